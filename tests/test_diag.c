/* Pins sim/diag: the one-line shape of every bad-input message, with the
 * parts that are known, and JSON paths of children. */
#include <criterion/criterion.h>
#include <string.h>

#include "common/diag.h"

static const char *fmt(const sim_diag *d)
{
    static char buf[1024];
    sim_diag_format(d, buf, sizeof buf);
    return buf;
}

Test(diag, a_full_diagnostic_names_file_line_column_path_and_message)
{
    sim_diag d;
    sim_diag_clear(&d);
    d.file = "x.json";
    d.line = 14;
    d.col = 9;
    sim_diag_set(&d, "functions[2].timeout", "expected a duration such as \"3s\", found %d", -5);
    cr_expect_str_eq(fmt(&d), "x.json:14:9: functions[2].timeout: expected a duration such as \"3s\", found -5");
}

Test(diag, unknown_parts_are_left_out_without_running_together)
{
    sim_diag d;
    sim_diag_clear(&d);
    sim_diag_set(&d, "seed", "expected a whole number");
    cr_expect_str_eq(fmt(&d), "seed: expected a whole number");
    d.line = 1;
    d.col = 5;
    cr_expect_str_eq(fmt(&d), "1:5: seed: expected a whole number", "a position without a file");
    sim_diag_set(&d, NULL, "expected an object");
    cr_expect_str_eq(fmt(&d), "1:5: expected an object");
    d.file = "f.json";
    d.col = 0;
    cr_expect_str_eq(fmt(&d), "f.json:1: expected an object");
}

Test(diag, child_paths_use_dots_for_keys_and_brackets_for_indices)
{
    char p[SIM_DIAG_PATH_MAX];
    sim_diag_path_child(p, sizeof p, "", "nodes", 0);
    cr_expect_str_eq(p, "nodes");
    sim_diag_path_child(p, sizeof p, "nodes", NULL, 3);
    cr_expect_str_eq(p, "nodes[3]");
    sim_diag_path_child(p, sizeof p, "nodes[3]", "cores", 0);
    cr_expect_str_eq(p, "nodes[3].cores");
    char small[8];
    sim_diag_path_child(small, sizeof small, "abcdefgh", "ijk", 0);
    cr_expect_str_eq(small, "abcd...", "cut with an ellipsis");
}
