/* test_netbench.c — the flow bench (sim/net/netbench.h): its open mode
 * (fixed start times, make bench's flow-by-flow check against SimGrid)
 * keeps the closed list's hosts and sizes, times a lone flow exactly, and
 * refuses a load outside (0, 1). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "engine/rng.h"
#include "net/netbench.h"

static char *slurp(FILE *f)
{
    long n = ftell(f);
    rewind(f);
    char *s = calloc((size_t)n + 1, 1);
    cr_assert_not_null(s);
    cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return s;
}

Test(netbench, open_arrivals_keep_the_closed_lists_hosts_and_sizes)
{
    sim_rng_init();
    sim_netbench_config c;
    sim_netbench_result r;
    sim_netbench_defaults(&c);
    c.flows = 200;
    c.slots = 10;
    c.list_out = tmpfile();
    cr_assert_eq(sim_netbench_run(&c, &r), EDGE_OK);
    cr_assert_eq(r.flows, 200);
    char *closed = slurp(c.list_out);
    c.open_load = 0.5;
    c.list_out = tmpfile();
    cr_assert_eq(sim_netbench_run(&c, &r), EDGE_OK);
    cr_assert_eq(r.flows, 200);
    char *open = slurp(c.list_out);
    /* line by line: the open list is the closed one plus a start column,
     * the starts ascending */
    char *sa, *sb, *a = strtok_r(closed, "\n", &sa), *b = strtok_r(open, "\n", &sb);
    double last = 0;
    int lines = 0;
    for (; a && b; a = strtok_r(NULL, "\n", &sa), b = strtok_r(NULL, "\n", &sb), lines++) {
        size_t n = strlen(a);
        cr_assert(strncmp(a, b, n) == 0 && b[n] == ',', "%s | %s", a, b);
        double start = atof(b + n + 1);
        cr_assert_geq(start, last);
        last = start;
    }
    cr_assert_eq(lines, 200);
    cr_assert_null(a);
    cr_assert_null(b);
    /* 200 flows at 500 per second (0.5 x 16 leaves x 1 Gbit/s over 2 x 8 Mbit) */
    cr_assert(last > 0.2 && last < 0.6, "last start %g s", last);
    free(closed);
    free(open);
}

Test(netbench, a_lone_open_flow_takes_its_latency_and_size_over_the_leaf_rate)
{
    sim_rng_init();
    sim_netbench_config c;
    sim_netbench_result r;
    sim_netbench_defaults(&c);
    c.flows = 1;
    c.open_load = 0.1;
    c.list_out = tmpfile();
    c.finish_out = tmpfile();
    cr_assert_eq(sim_netbench_run(&c, &r), EDGE_OK);
    char *list = slurp(c.list_out), *fin = slurp(c.finish_out);
    unsigned long long id, bytes;
    unsigned src, dst;
    double start, finish;
    cr_assert_eq(sscanf(list, "%llu,%u,%u,%llu,%lf", &id, &src, &dst, &bytes, &start), 5);
    cr_assert_eq(sscanf(fin, "%llu,%lf", &id, &finish), 2);
    /* 2 leaf latencies of 1 us, then bytes at 1 Gbit/s = 0.125 bytes/ns,
     * finishing on the first whole ns */
    double want_ns = start * 1e9 + 2000 + (double)bytes / 0.125;
    cr_assert(finish * 1e9 >= want_ns - 0.5 && finish * 1e9 < want_ns + 1.5,
              "finish %.9f, want %.9f", finish, want_ns / 1e9);
    cr_assert_float_eq(r.mean_in_flight * (double)r.end, (finish - start) * 1e9, 1.0);
    free(list);
    free(fin);
}

Test(netbench, refuses_a_load_outside_zero_to_one)
{
    sim_netbench_config c;
    sim_netbench_result r;
    sim_netbench_defaults(&c);
    c.flows = 10;
    c.open_load = 1.0;
    cr_assert_eq(sim_netbench_run(&c, &r), EDGE_INVAL);
    c.open_load = -0.1;
    cr_assert_eq(sim_netbench_run(&c, &r), EDGE_INVAL);
}
