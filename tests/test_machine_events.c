/* Pins sim/machine_events: the mapping of machines (first appearance, one
 * node each, the rest ignored), REMOVE -> crash and the next ADD -> recover,
 * every ignored kind counted, the time formula with scientific notation,
 * out-of-order rows clamped to file order, rows past `until` unread, and the
 * error line of a malformed row. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/textfile.h"
#include "input/machine_events.h"

static char path[64];

static void write_file(const char *text)
{
    strcpy(path, "/tmp/test_mevents_XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs(text, fp);
    fclose(fp);
}

static sim_mevents *open_with(const size_t *nodes, size_t n, edge_time offset, double scale,
                              edge_time until)
{
    sim_rng r;
    sim_rng_derive(&r, 1, "test", 0);
    char err[256] = "";
    sim_mevents *m = sim_mevents_open(path, nodes, n, offset, scale, until, &r, err, sizeof err);
    cr_assert_not_null(m, "%s", err);
    return m;
}

Test(machine_events, remove_then_add_is_a_crash_then_a_recovery_at_the_mapped_times)
{
    write_file("# header\n"
               "1E+6,42,0,p,0.5,0.5\n"       /* t_first = 1 s: initial presence */
               "2.5E+06,42,2,p,,\n"          /* update: ignored */
               "3.0E+6,42,1,p,0.5,0.5\n"     /* remove at trace 3 s */
               "3.5E+6,42,1,p,0.5,0.5\n"     /* already down: ignored */
               "5000000,42,0,p,0.5,0.5\n"    /* add: recovery at trace 5 s */
               "6E6,42,0,p,0.5,0.5\n");      /* up already: ignored */
    size_t nodes[1] = {7};
    sim_mevents *m = open_with(nodes, 1, 10 * EDGE_S, 2.0, EDGE_TIME_MAX);
    sim_mevent ev;
    char err[256];
    cr_assert_eq(sim_mevents_next(m, &ev, err, sizeof err), 1);
    cr_expect_eq(ev.crash, 1);
    cr_expect_eq(ev.node, 7);
    cr_expect_eq(ev.at, 10 * EDGE_S + 4 * EDGE_S, "offset + (3 s - 1 s) x 2");
    cr_assert_eq(sim_mevents_next(m, &ev, err, sizeof err), 1);
    cr_expect_eq(ev.crash, 0);
    cr_expect_eq(ev.at, 18 * EDGE_S);
    cr_assert_eq(sim_mevents_next(m, &ev, err, sizeof err), 0);
    const sim_mevents_counts *n = sim_mevents_counts_of(m);
    cr_expect_eq(n->rows, 6);
    cr_expect_eq(n->machines, 1);
    cr_expect_eq(n->removes_applied, 1);
    cr_expect_eq(n->removes_ignored, 1);
    cr_expect_eq(n->adds_applied, 1);
    cr_expect_eq(n->adds_ignored, 2);
    cr_expect_eq(n->updates_ignored, 1);
    sim_mevents_close(m);
    unlink(path);
}

Test(machine_events, machines_beyond_the_nodes_are_ignored_and_the_mapping_is_a_permutation)
{
    write_file("0,1,0,p,,\n0,2,0,p,,\n0,3,0,p,,\n0,4,0,p,,\n"
               "10,1,1,p,,\n10,2,1,p,,\n10,3,1,p,,\n10,4,1,p,,\n");
    size_t nodes[3] = {0, 1, 2};
    sim_mevents *m = open_with(nodes, 3, 0, 1.0, EDGE_TIME_MAX);
    sim_mevent ev;
    char err[256];
    int seen[3] = {0};
    for (int k = 0; k < 3; k++) {
        cr_assert_eq(sim_mevents_next(m, &ev, err, sizeof err), 1);
        cr_assert_lt(ev.node, 3);
        seen[ev.node]++;
    }
    cr_expect(seen[0] == 1 && seen[1] == 1 && seen[2] == 1, "one machine per node");
    cr_assert_eq(sim_mevents_next(m, &ev, err, sizeof err), 0);
    cr_expect_eq(sim_mevents_counts_of(m)->machines_ignored, 1);
    cr_expect_eq(sim_mevents_counts_of(m)->removes_ignored, 1, "machine 4 has no node");
    sim_mevents_close(m);
    unlink(path);
}

Test(machine_events, rows_out_of_order_keep_file_order_and_rows_past_until_are_not_read)
{
    write_file("0,1,0,p,,\n"
               "2.00001E+6,1,1,p,,\n"  /* 2.00001 s */
               "2000000,1,0,p,,\n"     /* rounded earlier than the row before */
               "9E+6,1,1,p,,\n");      /* 9 s: past until */
    size_t nodes[1] = {0};
    sim_mevents *m = open_with(nodes, 1, 0, 1.0, 5 * EDGE_S);
    sim_mevent a, b;
    char err[256];
    cr_assert_eq(sim_mevents_next(m, &a, err, sizeof err), 1);
    cr_assert_eq(sim_mevents_next(m, &b, err, sizeof err), 1);
    cr_expect_eq(a.crash, 1);
    cr_expect_eq(b.crash, 0);
    cr_expect_eq(b.at, a.at, "clamped to the row before");
    cr_expect_eq(a.at, 2000010000);
    cr_assert_eq(sim_mevents_next(m, &a, err, sizeof err), 0);
    cr_expect_eq(sim_mevents_counts_of(m)->rows, 3, "the 9 s row is past the end");
    sim_mevents_close(m);
    unlink(path);
}

Test(machine_events, a_malformed_row_names_file_line_and_column)
{
    write_file("0,1,0,p,,\n0,1,1,p,,,\n");
    size_t nodes[1] = {0};
    sim_mevents *m = open_with(nodes, 1, 0, 1.0, EDGE_TIME_MAX);
    sim_mevent ev;
    char err[256], want[300];
    cr_assert_eq(sim_mevents_next(m, &ev, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s:2:1: row: expected 6 comma-separated fields", path);
    cr_expect(strncmp(err, want, strlen(want)) == 0, "%s", err);
    sim_mevents_close(m);
    unlink(path);
    write_file("0,1,0,p,,\n-5,1,1,p,,\n");
    m = open_with(nodes, 1, 0, 1.0, EDGE_TIME_MAX);
    cr_assert_eq(sim_mevents_next(m, &ev, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s:2:1: timestamp: expected", path);
    cr_expect(strncmp(err, want, strlen(want)) == 0, "%s", err);
    sim_mevents_close(m);
    unlink(path);
}

Test(machine_events, a_missing_file_is_an_error)
{
    sim_rng r;
    sim_rng_derive(&r, 1, "test", 0);
    char err[256] = "";
    size_t nodes[1] = {0};
    cr_expect_null(sim_mevents_open("/nonexistent/ev.csv", nodes, 1, 0, 1.0, 1, &r, err,
                                    sizeof err));
    cr_expect(strstr(err, "/nonexistent/ev.csv: cannot read") != NULL, "%s", err);
}

/* Regression (issue 17): a directory passed validation and /dev/zero was read
 * with getline without bound; both are refused at open now, and an endless
 * line in a regular file stops at SIM_LINE_MAX with its own message. */
Test(machine_events, refuses_directories_devices_and_endless_lines)
{
    sim_rng r;
    sim_rng_derive(&r, 1, "test", 0);
    char err[256] = "";
    size_t nodes[1] = {0};
    cr_expect_null(sim_mevents_open("/tmp", nodes, 1, 0, 1.0, 1, &r, err, sizeof err));
    cr_expect_str_eq(err, "/tmp: cannot read the machine events: a directory");
    cr_expect_null(sim_mevents_open("/dev/zero", nodes, 1, 0, 1.0, 1, &r, err, sizeof err));
    cr_expect(strstr(err, "not a regular file") != NULL, "%s", err);
    char *text = malloc(SIM_LINE_MAX + 64);
    cr_assert_not_null(text);
    strcpy(text, "0,1,0,p,1,1\n");
    size_t at = strlen(text);
    memset(text + at, '9', SIM_LINE_MAX + 10);
    text[at + SIM_LINE_MAX + 10] = '\0';
    write_file(text);
    free(text);
    sim_mevents *m = open_with(nodes, 1, 0, 1.0, EDGE_S * 1000);
    sim_mevent ev;
    cr_expect_eq(sim_mevents_next(m, &ev, err, sizeof err), -1);
    char want[256];
    snprintf(want, sizeof want, "%s:2:1: row: expected a line of at most %d bytes, found line 2 "
                                "longer than %d bytes", path, SIM_LINE_MAX, SIM_LINE_MAX);
    cr_expect_str_eq(err, want);
    sim_mevents_close(m);
    unlink(path);
}

/* Regression: a fault over no nodes copied from a NULL list (memcpy(dst,
 * NULL, 0) is undefined); it opens and maps every machine to nothing. */
Test(machine_events, a_fault_over_no_nodes_ignores_every_machine)
{
    write_file("0,1,0,p,1,1\n1,1,1,p,1,1\n");
    sim_mevents *m = open_with(NULL, 0, 0, 1.0, EDGE_S * 1000);
    sim_mevent ev;
    char err[256] = "";
    cr_expect_eq(sim_mevents_next(m, &ev, err, sizeof err), 0, "%s", err);
    cr_expect_eq(sim_mevents_counts_of(m)->machines_ignored, 1);
    sim_mevents_close(m);
    unlink(path);
}
