/* Pins sim/common/textfile: a line read never grows past its cap (an endless
 * line, /dev/zero, is "too long" after max bytes, not a reason to grow), the
 * three ways of stopping stay apart from the end of the file, only regular
 * files open, sizes read in human units and excerpts are short and escaped. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/textfile.h"

Test(textfile, reads_lines_without_their_ends_and_a_last_line_without_one)
{
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    fputs("ab\r\n\nlast", f);
    rewind(f);
    char *buf = NULL;
    size_t cap = 0;
    cr_assert_eq(sim_line_read(f, &buf, &cap, 16), 3);
    cr_assert_str_eq(buf, "ab\r");
    cr_assert_eq(sim_line_read(f, &buf, &cap, 16), 0);
    cr_assert_str_eq(buf, "");
    cr_assert_eq(sim_line_read(f, &buf, &cap, 16), 4);
    cr_assert_str_eq(buf, "last");
    cr_assert_eq(sim_line_read(f, &buf, &cap, 16), SIM_LINE_EOF);
    free(buf);
    fclose(f);
}

Test(textfile, keeps_a_line_of_exactly_max_bytes_and_refuses_one_more)
{
    FILE *f = tmpfile();
    fputs("12345678\n123456789\n", f);
    rewind(f);
    char *buf = NULL;
    size_t cap = 0;
    cr_assert_eq(sim_line_read(f, &buf, &cap, 8), 8);
    cr_assert_str_eq(buf, "12345678");
    cr_assert_eq(sim_line_read(f, &buf, &cap, 8), SIM_LINE_TOO_LONG);
    cr_assert_leq(cap, 9, "the buffer never grows past max + 1");
    free(buf);
    fclose(f);
}

/* A NUL inside a line: the whole line is read (the next read starts at the
 * next line) and it is reported, never handed on as a shorter C string. */
Test(textfile, a_line_with_a_nul_byte_is_binary_and_the_next_line_reads_on)
{
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    fwrite("a\0b\nok\n\0", 1, 8, f);
    rewind(f);
    char *buf = NULL;
    size_t cap = 0;
    cr_assert_eq(sim_line_read(f, &buf, &cap, 16), SIM_LINE_BINARY);
    cr_assert_eq(sim_line_read(f, &buf, &cap, 16), 2);
    cr_assert_str_eq(buf, "ok");
    cr_assert_eq(sim_line_read(f, &buf, &cap, 16), SIM_LINE_BINARY, "a last line of one NUL");
    cr_assert_eq(sim_line_read(f, &buf, &cap, 16), SIM_LINE_EOF);
    free(buf);
    fclose(f);
}

/* Regression (issue 17): /dev/zero is one endless line; getline grew ~140 MB/s
 * until allocation failed and then reported the end of the file. */
Test(textfile, an_endless_line_stops_at_the_cap_with_the_buffer_bounded)
{
    FILE *f = fopen("/dev/zero", "r");
    cr_assert_not_null(f);
    char *buf = NULL;
    size_t cap = 0;
    cr_assert_eq(sim_line_read(f, &buf, &cap, SIM_LINE_MAX), SIM_LINE_TOO_LONG);
    cr_assert_leq(cap, (size_t)SIM_LINE_MAX + 1);
    free(buf);
    fclose(f);
}

Test(textfile, opens_regular_files_only)
{
    char why[128];
    uint64_t size = 0;
    cr_assert_null(sim_open_regular("/tmp", why, sizeof why, &size));
    cr_assert_str_eq(why, "a directory");
    cr_assert_null(sim_open_regular("/dev/zero", why, sizeof why, NULL));
    cr_assert_str_eq(why, "not a regular file (a device, a FIFO or a socket)");
    cr_assert_null(sim_open_regular("/nonexistent/x", why, sizeof why, NULL));
    cr_assert_str_eq(why, "No such file or directory");
    char path[] = "/tmp/edgesim-textfile-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, "hello", 5), 5);
    close(fd);
    FILE *f = sim_open_regular(path, why, sizeof why, &size);
    cr_assert_not_null(f, "%s", why);
    cr_assert_eq(size, 5);
    fclose(f);
    unlink(path);
}

/* Regression (issue 17): a 1 GB scenario was reported as "found 67108865 bytes". */
Test(textfile, formats_sizes_in_binary_units)
{
    struct { uint64_t n; const char *want; } cases[] = {
        {0, "0 bytes"}, {1, "1 byte"}, {1023, "1023 bytes"}, {1024, "1 KiB"},
        {1536, "1.5 KiB"}, {64u << 20, "64 MiB"}, {(64u << 20) + 1, "64.0 MiB"},
        {1ull << 30, "1 GiB"}, {1000000000, "953.6 MiB"}, {UINT64_MAX, "15.9 EiB"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sim_bytes_format(buf, sizeof buf, cases[i].n);
        cr_expect_str_eq(buf, cases[i].want, "%llu", (unsigned long long)cases[i].n);
    }
}

Test(textfile, excerpts_are_short_quoted_and_escaped)
{
    char buf[4 * SIM_EXCERPT_MAX + 8];
    cr_assert_str_eq(sim_excerpt(buf, sizeof buf, "abc", 3), "\"abc\"");
    cr_assert_str_eq(sim_excerpt(buf, sizeof buf, "a\"b\\c\n\x1b", 7), "\"a\\\"b\\\\c\\x0a\\x1b\"");
    const char *passwd = "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin";
    cr_assert_str_eq(sim_excerpt(buf, sizeof buf, passwd, strlen(passwd)),
                     "\"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/...\"");
    cr_assert_str_eq(sim_excerpt(buf, sizeof buf, "a\0b", 3), "\"a\\x00b\"");
    char tiny[10];
    sim_excerpt(tiny, sizeof tiny, passwd, strlen(passwd));
    cr_assert_lt(strlen(tiny), sizeof tiny);
}

/* A UTF-8 byte-order mark at the start (a CSV saved by a spreadsheet) is read
 * past at open: the first line reads as without it. Anything else at the
 * start, a mark elsewhere, and files shorter than a mark read unchanged. */
Test(textfile, a_leading_byte_order_mark_is_skipped_and_nothing_else)
{
    static const struct {
        const char *bytes, *first;
    } cases[] = {
        {"\xEF\xBB\xBFtime,node\n1,a\n", "time,node"},
        {"time,node\n", "time,node"},
        {"\xEF\xBB\xBF", NULL}, /* the mark alone: an empty file */
        {"\xEF\xBB", "\xEF\xBB"},
        {"ab", "ab"},
        {"", NULL},
        {"\xEF\xBB\xBF\xEF\xBB\xBFx\n", "\xEF\xBB\xBFx"}, /* one mark only */
        {"x\xEF\xBB\xBF\n", "x\xEF\xBB\xBF"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[] = "/tmp/edgesim-textfile-XXXXXX", why[128];
        int fd = mkstemp(path);
        cr_assert(fd >= 0);
        size_t n = strlen(cases[i].bytes);
        cr_assert_eq(write(fd, cases[i].bytes, n), (ssize_t)n);
        close(fd);
        uint64_t size = 0;
        FILE *f = sim_open_regular(path, why, sizeof why, &size);
        cr_assert_not_null(f, "%s", why);
        cr_expect_eq(size, n, "case %zu: the file's own size", i);
        char *buf = NULL;
        size_t cap = 0;
        ssize_t got = sim_line_read(f, &buf, &cap, 100);
        if (cases[i].first) {
            cr_expect_eq(got, (ssize_t)strlen(cases[i].first), "case %zu", i);
            if (got >= 0)
                cr_expect_str_eq(buf, cases[i].first, "case %zu", i);
        } else {
            cr_expect_eq(got, SIM_LINE_EOF, "case %zu", i);
        }
        free(buf);
        fclose(f);
        unlink(path);
    }
}

/* The reader as it was, a byte at a time: the reference for the one that
 * reads in chunks. */
static ssize_t ref_line_read(FILE *fp, char *buf, size_t max)
{
    size_t len = 0;
    int ch, nul = 0;
    while ((ch = getc(fp)) != EOF && ch != '\n') {
        if (len == max)
            return SIM_LINE_TOO_LONG;
        nul |= ch == '\0';
        buf[len++] = (char)ch;
    }
    if (ch == EOF && len == 0)
        return SIM_LINE_EOF;
    buf[len] = '\0';
    return nul ? SIM_LINE_BINARY : (ssize_t)len;
}

/* Random files of short and long lines (past the 4 KiB chunk), NUL bytes,
 * '\r's, empty lines, a last line with or without its '\n', under caps
 * small and large: every read returns what the byte-at-a-time reader
 * returned, with the same line, and the buffer stays within max + 1. */
Test(textfile, reads_in_chunks_as_a_byte_at_a_time_would)
{
    uint64_t x = 12345;
    for (int round = 0; round < 300; round++) {
        size_t n = 0, cap_bytes = 20000;
        char *data = malloc(cap_bytes);
        cr_assert_not_null(data);
        int nlines = 1 + (int)(x % 6);
        for (int l = 0; l < nlines; l++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            size_t ll = (x >> 33) % 7 == 0 ? 4000 + (x >> 40) % 5000 : (x >> 40) % 40;
            for (size_t i = 0; i < ll && n < cap_bytes - 2; i++) {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                unsigned r = (unsigned)(x >> 56);
                data[n++] = r < 3 ? '\0' : r < 6 ? '\r' : (char)('a' + r % 26);
            }
            if (l + 1 < nlines || (x >> 20) % 2)
                data[n++] = '\n';
        }
        size_t maxes[] = {0, 1, 7, 100, 4095, 4096, 4097, 9000, SIM_LINE_MAX};
        size_t max = maxes[round % (sizeof maxes / sizeof *maxes)];
        FILE *a = tmpfile(), *b = tmpfile();
        cr_assert(a && b);
        cr_assert_eq(fwrite(data, 1, n, a), n);
        cr_assert_eq(fwrite(data, 1, n, b), n);
        rewind(a);
        rewind(b);
        char *buf = NULL, *want = malloc(max + 2);
        size_t cap = 0;
        cr_assert_not_null(want);
        for (int k = 0; k < 1000; k++) {
            ssize_t got = sim_line_read(a, &buf, &cap, max);
            ssize_t ref = ref_line_read(b, want, max);
            cr_assert_eq(got, ref, "round %d (max %zu), read %d", round, max, k);
            cr_assert_leq(cap, max + 1, "round %d", round);
            if (got >= 0)
                cr_assert_eq(memcmp(buf, want, (size_t)got + 1), 0, "round %d, read %d", round, k);
            if (got == SIM_LINE_EOF)
                break;
            if (got == SIM_LINE_TOO_LONG) /* both left the rest of the line unread */
                cr_assert_eq(ftell(a), ftell(b), "round %d", round);
        }
        free(buf);
        free(want);
        free(data);
        fclose(a);
        fclose(b);
    }
}
