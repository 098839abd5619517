/* Pins cli/opts: the table-driven command line every command uses —
 * "--opt value" and "--opt=value" alike, short options with attached values,
 * "--" and "-", and the one line each mistake gets. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <string.h>

#include "cli/opts.h"

enum { O_OUT = 1, O_SEED, O_QUIET, O_SET };
static const sim_opt opts[] = {
    {O_OUT, 'o', "output", "DIR", 0, "where"},
    {O_SEED, 0, "seed", "N", 0, "the seed"},
    {O_QUIET, 'q', "quiet", NULL, 0, "hush"},
    {O_SET, 0, "set", "PATH=VALUE", SIM_OPT_REPEAT, "override"},
    {0, 0, NULL, NULL, 0, NULL},
};
static const sim_cmd cmd = {.name = "demo", .operands = "FILE", .about = "a demo", .opts = opts};

/* Parses the words; the ids and values into out as "id:value ...". */
static int parse(char *out, size_t n, int argc, char **argv)
{
    sim_opts p;
    sim_opts_init(&p, &cmd, argc, argv);
    out[0] = '\0';
    int id;
    while ((id = sim_opts_next(&p)) > 0 || id == SIM_OPTS_OPERAND) {
        size_t k = strlen(out);
        snprintf(out + k, n - k, "%s%d:%s", k ? " " : "", id, p.arg ? p.arg : "-");
    }
    return id;
}

#define ARGV(...) (char *[]){"demo", __VA_ARGS__, NULL}
#define ARGC(...) ((int)(sizeof((char *[]){"demo", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(buf, ...) parse(buf, sizeof buf, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

Test(opts, takes_values_separate_attached_or_after_an_equals_sign)
{
    char got[256];
    cr_assert_eq(PARSE(got, "--seed", "7", "--seed=8", "-o", "a", "-ob", "--output=c", "f.json"),
                 SIM_OPTS_END);
    cr_expect_str_eq(got, "2:7 2:8 1:a 1:b 1:c -1:f.json");
}

Test(opts, a_value_may_contain_equals_signs_and_start_with_a_dash)
{
    char got[256];
    cr_assert_eq(PARSE(got, "--set=a.b=1", "--set", "c=d=e", "--seed", "-1"), SIM_OPTS_END);
    cr_expect_str_eq(got, "4:a.b=1 4:c=d=e 2:-1");
}

Test(opts, double_dash_ends_options_and_a_lone_dash_is_an_operand)
{
    char got[256];
    cr_assert_eq(PARSE(got, "-", "--", "--quiet", "-q"), SIM_OPTS_END);
    cr_expect_str_eq(got, "-1:- -1:--quiet -1:-q");
}

Test(opts, a_missing_value_is_one_line, .init = cr_redirect_stderr)
{
    char got[256];
    cr_assert_eq(PARSE(got, "f.json", "--seed"), SIM_OPTS_ERROR);
    fflush(stderr);
    cr_expect_stderr_eq_str("edgesim demo: --seed needs a value\n");
}

Test(opts, an_option_where_a_value_should_be_is_a_missing_value, .init = cr_redirect_stderr)
{
    char got[256];
    cr_assert_eq(PARSE(got, "--output", "--quiet"), SIM_OPTS_ERROR);
    fflush(stderr);
    cr_expect_stderr_eq_str("edgesim demo: --output needs a value\n");
}

Test(opts, an_unknown_option_gets_the_closest_known_one, .init = cr_redirect_stderr)
{
    char got[256];
    cr_assert_eq(PARSE(got, "--qiet=1"), SIM_OPTS_ERROR);
    fflush(stderr);
    cr_expect_stderr_eq_str("edgesim demo: unknown option '--qiet' (did you mean '--quiet'?)\n");
}

Test(opts, a_flag_refuses_a_value, .init = cr_redirect_stderr)
{
    char got[256];
    cr_assert_eq(PARSE(got, "--quiet=yes"), SIM_OPTS_ERROR);
    fflush(stderr);
    cr_expect_stderr_eq_str("edgesim demo: --quiet takes no value (found 'yes')\n");
}

Test(opts, help_is_printed_on_stdout_with_every_option_in_the_usage_line,
     .init = cr_redirect_stdout)
{
    char got[256];
    cr_assert_eq(PARSE(got, "x", "--help", "--bogus"), SIM_OPTS_HELP);
    fflush(stdout);
    cr_expect_stdout_eq_str(
        "usage: edgesim demo FILE [-o DIR] [--seed N] [-q] [--set PATH=VALUE]... [-h]\n"
        "\n"
        "options:\n"
        "  -o, --output DIR      where\n"
        "  --seed N              the seed\n"
        "  -q, --quiet           hush\n"
        "  --set PATH=VALUE      override\n"
        "  -h, --help            this help\n");
}
