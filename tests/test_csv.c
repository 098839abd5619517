/* Pins sim/csv: columns found by name, records split at commas, line ends
 * and empty lines tolerated, and every malformed input reported as one
 * line with the file, the line and what was expected. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/csv.h"

static char dir[64], path[128], err[512];

static void setup(void)
{
    strcpy(dir, "/tmp/edgesim-csv-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/f.csv", dir);
}

static void teardown(void)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

static void write_bytes(const char *s, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(s, 1, n, f), n);
    fclose(f);
}

static void write_text(const char *s)
{
    write_bytes(s, strlen(s));
}

/* The message of the first failure reading the whole file, "" if none. */
static const char *first_error(void)
{
    err[0] = '\0';
    sim_csv *c = sim_csv_open(path, err, sizeof err);
    if (!c)
        return err;
    int k;
    while ((k = sim_csv_next(c, err, sizeof err)) == 1)
        for (int i = 0; i < sim_csv_nfields(c); i++) {
            double v;
            if (sim_csv_double(c, i, 0, &v, err, sizeof err) != 0) {
                sim_csv_close(c);
                return err;
            }
        }
    sim_csv_close(c);
    return k < 0 ? err : "";
}

TestSuite(csv, .init = setup, .fini = teardown);

Test(csv, finds_columns_by_name_whatever_their_order)
{
    write_text("b,a,extra\n2,1,x\n4,3,y\n");
    sim_csv *c = sim_csv_open(path, err, sizeof err);
    cr_assert_not_null(c, "%s", err);
    static const char *const want[] = {"a", "b"};
    int idx[2];
    cr_assert_eq(sim_csv_require(c, want, idx, 2, err, sizeof err), 0);
    cr_assert(idx[0] == 1 && idx[1] == 0);
    cr_assert_eq(sim_csv_col(c, "extra"), 2);
    cr_assert_eq(sim_csv_col(c, "nope"), -1);
    double sum = 0, v;
    int rows = 0;
    while (sim_csv_next(c, err, sizeof err) == 1) {
        cr_assert_eq(sim_csv_double(c, idx[0], 0, &v, err, sizeof err), 0);
        sum += v;
        rows++;
        cr_assert_eq(sim_csv_line(c), (size_t)rows + 1);
    }
    cr_assert(rows == 2 && sum == 4);
    cr_assert_str_eq(sim_csv_field(c, 2), "y");
    sim_csv_close(c);
}

Test(csv, takes_crlf_empty_lines_and_no_final_newline)
{
    write_text("a,b\r\n1,2\r\n\r\n\n3,4");
    sim_csv *c = sim_csv_open(path, err, sizeof err);
    cr_assert_not_null(c);
    cr_assert_eq(sim_csv_next(c, err, sizeof err), 1);
    cr_assert_str_eq(sim_csv_field(c, 1), "2");
    cr_assert_eq(sim_csv_next(c, err, sizeof err), 1);
    cr_assert_str_eq(sim_csv_field(c, 0), "3");
    cr_assert_str_eq(sim_csv_field(c, 1), "4");
    cr_assert_eq(sim_csv_line(c), 5);
    cr_assert_eq(sim_csv_next(c, err, sizeof err), 0);
    sim_csv_close(c);
}

Test(csv, reads_empty_fields_as_nan_only_when_allowed)
{
    write_text("a,b\n1,\n");
    sim_csv *c = sim_csv_open(path, err, sizeof err);
    cr_assert_eq(sim_csv_next(c, err, sizeof err), 1);
    double v = 0;
    cr_assert_eq(sim_csv_double(c, 1, 1, &v, err, sizeof err), 0);
    cr_assert(isnan(v));
    cr_assert_eq(sim_csv_double(c, 1, 0, &v, err, sizeof err), -1);
    char want[256];
    snprintf(want, sizeof want, "%s:2: column \"b\": expected a number, found \"\"", path);
    cr_assert_str_eq(err, want);
    sim_csv_close(c);
}

Test(csv, names_file_line_and_column_of_a_bad_number)
{
    static const char *const bad[] = {"x", "1e999", "nan", "inf", " 1", "1 ", "0x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[64], want[256];
        snprintf(text, sizeof text, "a,b\n1,2\n3,%s\n", bad[i]);
        write_text(text);
        snprintf(want, sizeof want, "%s:3: column \"b\": expected a number, found \"%s\"", path,
                 bad[i]);
        cr_assert_str_eq(first_error(), want);
    }
}

Test(csv, cuts_long_fields_in_messages)
{
    write_text("a\nx123456789012345678901234567890123456789012345678901234567890123456789\n");
    char want[256];
    snprintf(want, sizeof want, "%s:2: column \"a\": expected a number, found "
                                "\"x123456789012345678901234567890123456789...\"",
             path);
    cr_assert_str_eq(first_error(), want);
}

Test(csv, names_a_record_with_the_wrong_number_of_fields)
{
    char want[256];
    write_text("a,b,c\n1,2,3\n1,2\n");
    snprintf(want, sizeof want,
             "%s:3: expected 3 comma-separated fields as in the header, found 2", path);
    cr_assert_str_eq(first_error(), want);
    write_text("a\n1,2\n");
    snprintf(want, sizeof want,
             "%s:2: expected 1 comma-separated fields as in the header, found 2", path);
    cr_assert_str_eq(first_error(), want);
}

Test(csv, names_a_missing_column)
{
    write_text("a,b\n");
    sim_csv *c = sim_csv_open(path, err, sizeof err);
    static const char *const want[] = {"a", "zz"};
    int idx[2];
    cr_assert_eq(sim_csv_require(c, want, idx, 2, err, sizeof err), -1);
    char msg[256];
    snprintf(msg, sizeof msg, "%s:1: expected a column \"zz\" in the header", path);
    cr_assert_str_eq(err, msg);
    sim_csv_close(c);
}

Test(csv, names_empty_missing_and_binary_files)
{
    char want[256];
    write_text("");
    snprintf(want, sizeof want, "%s:1: expected a header line naming the columns, found an "
                                "empty file", path);
    cr_assert_str_eq(first_error(), want);
    write_text("\nx\n");
    snprintf(want, sizeof want, "%s:1: expected a header line naming the columns, found an "
                                "empty line", path);
    cr_assert_str_eq(first_error(), want);
    write_bytes("a\n1\n2\0003\n", 9);
    snprintf(want, sizeof want, "%s:3: expected text, found a NUL byte", path);
    cr_assert_str_eq(first_error(), want);
    unlink(path);
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", path);
    cr_assert_str_eq(first_error(), want);
}

Test(csv, refuses_a_line_longer_than_the_limit)
{
    size_t n = SIM_CSV_LINE_MAX + 10;
    char *s = malloc(n + 8);
    memcpy(s, "a\n", 2);
    memset(s + 2, '7', n);
    memcpy(s + 2 + n, "\n", 1);
    write_bytes(s, n + 3);
    free(s);
    char want[256];
    snprintf(want, sizeof want,
             "%s:2: expected a line of at most %d bytes, found line 2 longer than %d bytes", path,
             SIM_CSV_LINE_MAX - 1, SIM_CSV_LINE_MAX - 1);
    cr_assert_str_eq(first_error(), want);
}

/* Regression: an error quotes a field escaped, so a control byte in a file
 * (or a terminal escape) never reaches the terminal as it is. */
Test(csv, escapes_control_bytes_in_messages)
{
    write_text("a\n\033[2Jx\"\n");
    char want[256];
    snprintf(want, sizeof want, "%s:2: column \"a\": expected a number, found \"\\x1b[2Jx\\\"\"",
             path);
    cr_assert_str_eq(first_error(), want);
}

/* Regression: a directory or a device is refused at open (fstat on the open
 * descriptor), not read: /dev/zero would otherwise be read without end. */
Test(csv, refuses_directories_and_devices)
{
    cr_assert_null(sim_csv_open("/tmp", err, sizeof err));
    cr_assert_str_eq(err, "/tmp: cannot open: a directory");
    cr_assert_null(sim_csv_open("/dev/zero", err, sizeof err));
    cr_assert_str_eq(err, "/dev/zero: cannot open: not a regular file (a device, a FIFO or a socket)");
}

Test(csv, accepts_a_line_exactly_at_the_limit)
{
    size_t n = SIM_CSV_LINE_MAX - 1;
    char *s = malloc(n + 8);
    memcpy(s, "a\n", 2);
    memset(s + 2, '7', n);
    memcpy(s + 2 + n, "\n", 1);
    write_bytes(s, n + 3);
    free(s);
    sim_csv *c = sim_csv_open(path, err, sizeof err);
    cr_assert_eq(sim_csv_next(c, err, sizeof err), 1, "%s", err);
    cr_assert_eq(strlen(sim_csv_field(c, 0)), n);
    cr_assert_eq(sim_csv_next(c, err, sizeof err), 0);
    sim_csv_close(c);
}

Test(csv, refuses_too_many_columns)
{
    size_t n = 2 * (SIM_CSV_MAX_FIELDS + 1);
    char *s = malloc(n + 2);
    for (size_t i = 0; i < SIM_CSV_MAX_FIELDS + 1; i++)
        memcpy(s + 2 * i, "a,", 2);
    s[n - 1] = '\n';
    s[n] = '\0';
    write_text(s);
    free(s);
    char want[256];
    snprintf(want, sizeof want, "%s:1: expected at most %d columns in the header", path,
             SIM_CSV_MAX_FIELDS);
    cr_assert_str_eq(first_error(), want);
}

Test(csv, close_accepts_null)
{
    sim_csv_close(NULL);
}
