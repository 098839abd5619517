/*
 * Pins sim/net/linkseries.c, the bounded store behind link_series.csv: rows
 * hold one sample interval each until rows x links would pass
 * SIM_LINKSERIES_CELLS, then rows merge in pairs (bytes summed, the later
 * end time kept) and each row spans twice the intervals; nothing is lost.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "net/linkseries.h"

Test(linkseries, keeps_one_row_per_sample_while_it_fits)
{
    sim_linkseries *s = sim_linkseries_create(3);
    cr_assert_not_null(s);
    for (int k = 1; k <= 200; k++) {
        double b[3] = {k, 2.0 * k, 0};
        cr_assert_eq(sim_linkseries_add(s, k * 10, b), 0);
    }
    cr_assert_eq(sim_linkseries_rows(s), 200);
    cr_assert_eq(sim_linkseries_t_end(s, 0), 10);
    cr_assert_eq(sim_linkseries_t_end(s, 199), 2000);
    cr_assert_eq(sim_linkseries_bytes(s, 41, 0), 42);
    cr_assert_eq(sim_linkseries_bytes(s, 41, 1), 84);
    cr_assert_eq(sim_linkseries_bytes(s, 41, 2), 0);
    sim_linkseries_free(s);
}

Test(linkseries, merges_rows_in_pairs_when_full)
{
    /* so many links that only 2 rows fit */
    size_t n = SIM_LINKSERIES_CELLS / 2;
    double *b = calloc(n, sizeof *b);
    sim_linkseries *s = sim_linkseries_create(n);
    cr_assert(b && s);
    for (int k = 1; k <= 5; k++) {
        b[0] = k;
        b[n - 1] = 10.0 * k;
        cr_assert_eq(sim_linkseries_add(s, k, b), 0);
    }
    /* 1, 2 | 3 -> [1+2] [3] | 4 -> [1+2] [3+4] | 5 -> [1+2+3+4] [5] */
    cr_assert_eq(sim_linkseries_rows(s), 2);
    cr_assert_eq(sim_linkseries_t_end(s, 0), 4);
    cr_assert_eq(sim_linkseries_t_end(s, 1), 5);
    cr_assert_eq(sim_linkseries_bytes(s, 0, 0), 10);
    cr_assert_eq(sim_linkseries_bytes(s, 0, n - 1), 100);
    cr_assert_eq(sim_linkseries_bytes(s, 1, 0), 5);
    cr_assert_eq(sim_linkseries_bytes(s, 1, 1), 0);
    /* the last row fills up to 4 samples before the next merge */
    for (int k = 6; k <= 8; k++) {
        b[0] = k;
        cr_assert_eq(sim_linkseries_add(s, k, b), 0);
    }
    cr_assert_eq(sim_linkseries_rows(s), 2);
    cr_assert_eq(sim_linkseries_bytes(s, 1, 0), 5 + 6 + 7 + 8);
    cr_assert_eq(sim_linkseries_t_end(s, 1), 8);
    b[0] = 9;
    cr_assert_eq(sim_linkseries_add(s, 9, b), 0);
    cr_assert_eq(sim_linkseries_bytes(s, 0, 0), 36);
    cr_assert_eq(sim_linkseries_t_end(s, 0), 8);
    cr_assert_eq(sim_linkseries_bytes(s, 1, 0), 9);
    sim_linkseries_free(s);
    free(b);
}
