/* Pins sim/common/loadfile: a whole-file load is checked before reading (a
 * regular file no larger than the cap), reads exactly the file with a NUL
 * after it, and says in one line, with the size in human units, why not. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/loadfile.h"

static char dir[64];
static char path[256], err[512];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/test_loadfile.XXXXXX");
    cr_assert(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/f", dir);
}

static void teardown(void)
{
    unlink(path);
    rmdir(path);
    rmdir(dir);
}

static void write_file(const char *text, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(text, 1, n, f), n);
    fclose(f);
}

TestSuite(loadfile, .init = setup, .fini = teardown);

Test(loadfile, reads_a_file_whole_with_a_nul_after_it)
{
    write_file("a\0b\n", 4);
    char *buf;
    size_t len;
    cr_assert_eq(sim_load_file(path, 4, &buf, &len, err, sizeof err), SIM_LOAD_OK, "%s", err);
    cr_expect_eq(len, 4);
    cr_expect_eq(memcmp(buf, "a\0b\n", 5), 0);
    free(buf);
}

Test(loadfile, an_empty_file_is_an_empty_string)
{
    write_file("", 0);
    char *buf;
    size_t len;
    cr_assert_eq(sim_load_file(path, 0, &buf, &len, err, sizeof err), SIM_LOAD_OK, "%s", err);
    cr_expect_eq(len, 0);
    cr_expect_eq(buf[0], '\0');
    free(buf);
}

Test(loadfile, a_file_over_the_cap_is_refused_before_reading)
{
    write_file("12345", 5);
    char *buf = (char *)1;
    size_t len;
    cr_assert_eq(sim_load_file(path, 4, &buf, &len, err, sizeof err), SIM_LOAD_TOO_BIG);
    cr_expect_null(buf);
    char want[400];
    snprintf(want, sizeof want, "%s: expected a file of at most 4 bytes, found 5 bytes", path);
    cr_expect_str_eq(err, want);
    /* a sparse 1 GiB file: the size comes from fstat, nothing is read */
    cr_assert_eq(truncate(path, (off_t)1 << 30), 0);
    cr_assert_eq(sim_load_file(path, (size_t)64 << 20, &buf, &len, err, sizeof err),
                 SIM_LOAD_TOO_BIG);
    snprintf(want, sizeof want, "%s: expected a file of at most 64 MiB, found 1 GiB", path);
    cr_expect_str_eq(err, want);
}

Test(loadfile, devices_directories_and_fifos_are_refused_without_blocking)
{
    char *buf;
    size_t len;
    cr_expect_eq(sim_load_file("/dev/zero", 1 << 20, &buf, &len, err, sizeof err),
                 SIM_LOAD_NOT_FILE);
    cr_expect_str_eq(err, "/dev/zero: expected a regular file, found a character device");
    cr_expect_eq(sim_load_file(dir, 1 << 20, &buf, &len, err, sizeof err), SIM_LOAD_NOT_FILE);
    cr_expect(strstr(err, "found a directory"), "%s", err);
    cr_assert_eq(mkfifo(path, 0600), 0);
    /* no writer: a blocking open would hang here */
    cr_expect_eq(sim_load_file(path, 1 << 20, &buf, &len, err, sizeof err), SIM_LOAD_NOT_FILE);
    cr_expect(strstr(err, "found a FIFO (named pipe)"), "%s", err);
}

Test(loadfile, a_missing_file_gives_the_system_error)
{
    char *buf;
    size_t len;
    cr_expect_eq(sim_load_file(path, 10, &buf, &len, err, sizeof err), SIM_LOAD_OPEN);
    char want[400];
    snprintf(want, sizeof want, "%s: No such file or directory", path);
    cr_expect_str_eq(err, want);
}
