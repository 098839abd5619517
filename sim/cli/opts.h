/*
 * opts.h — the command line of every edgesim command, from one table.
 *
 * A command describes itself once, as a sim_cmd: its name, operands, a
 * summary, paragraphs of help and a table of options (one sim_opt row per
 * option). From that one description this module
 *
 *   - parses argv the way git and jq users expect: `--opt value` and
 *     `--opt=value` alike, `-o value` and `-ovalue`, `--` ending the
 *     options, `-` an operand (stdin); -h and --help print the help;
 *   - answers mistakes with ONE line on stderr: an unknown option with the
 *     closest known one ("did you mean '--seed'?", common/suggest.h), a
 *     missing value ("edgesim run: --seed needs a value"), a value given to
 *     a flag;
 *   - prints the help (`CMD --help`, `edgesim help CMD`), whose usage line
 *     lists every option of the table, so help and parser cannot disagree.
 *     The man page (docs/edgesim.1, `make man`) is made from this output.
 *
 * Help text is printed as it is written (never as a printf format), so a
 * "95%" in a table prints as 95%. Adding an option to a command is one row
 * of its table and one case of its loop.
 *
 * Nothing here allocates; the tables are static data of the commands.
 */
#ifndef SIM_CLI_OPTS_H
#define SIM_CLI_OPTS_H

#include <stdio.h>

/* sim_opt.flags */
#define SIM_OPT_REPEAT 1u /* may be given more than once: "[--set PATH=VALUE]..." */

typedef struct sim_opt {
    int id;               /* what sim_opts_next returns for it: > 0; 0 ends a table */
    char short_name;      /* 'o' for -o, or 0 */
    const char *name;     /* the long name without dashes ("output"); never NULL */
    const char *arg;      /* the value's placeholder ("DIR"); NULL: a flag, no value */
    unsigned flags;       /* SIM_OPT_* */
    const char *help;     /* its help; lines separated by '\n', printed as written */
} sim_opt;

typedef struct sim_cmd {
    const char *name;     /* "run", or "bench phold" for a subcommand */
    const char *operands; /* in the usage line after the name, e.g. "SCENARIO"; may be NULL */
    const char *about;    /* one line: the command list of `edgesim --help`, the man page */
    const char *intro;    /* paragraphs between the usage line and the options; may be NULL */
    const sim_opt *opts;  /* ended by a row with id 0; -h/--help is added by this module */
    void (*extra)(FILE *out); /* more help after the options (lists made at run time);
                                 may be NULL */
    const char *outro;    /* after that: exit codes, where the docs are; may be NULL */
} sim_cmd;

/* What sim_opts_next returns besides an option's id. */
enum {
    SIM_OPTS_END = 0,      /* argv is used up */
    SIM_OPTS_OPERAND = -1, /* an operand, in p->arg */
    SIM_OPTS_HELP = -2,    /* -h or --help: the help is on stdout; exit 0 */
    SIM_OPTS_ERROR = -3    /* one line is on stderr; exit SIM_EXIT_USAGE */
};

typedef struct sim_opts {
    const sim_cmd *cmd;
    int argc;
    char **argv;
    int next;             /* the argv index read next */
    int operands_only;    /* after "--" */
    const char *arg;      /* the option's value (NULL for a flag) or the operand */
    char opt[64];         /* the option as written, without "=value": for messages */
} sim_opts;

/* Starts parsing argv[1..argc) (argv[0] is the command's name) for cmd.
 * p borrows cmd and argv; both must outlive it. */
void sim_opts_init(sim_opts *p, const sim_cmd *cmd, int argc, char **argv);

/* The next item of the command line: an option's id (its value, if it has
 * one, in p->arg and its spelling in p->opt), SIM_OPTS_OPERAND, SIM_OPTS_END,
 * SIM_OPTS_HELP (the help printed on stdout) or SIM_OPTS_ERROR (one line
 * printed on stderr: unknown option with a suggestion, missing value, value
 * given to a flag). After END, HELP or ERROR, stop calling. */
int sim_opts_next(sim_opts *p);

/* Prints "edgesim NAME: " and the formatted message and a newline on stderr;
 * returns SIM_EXIT_USAGE (2), so that `return sim_cmd_fail(...)` reads well. */
int sim_cmd_fail(const sim_cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints cmd's whole help on out: usage line(s) listing every option,
 * intro, options, extra, outro. */
void sim_cmd_help(const sim_cmd *cmd, FILE *out);

/* Prints cmd's options one per line for shell completion: "--output DIR",
 * "-o DIR", "--quiet" (the value's placeholder after a space when it takes
 * one), --help last. */
void sim_cmd_list_options(const sim_cmd *cmd, FILE *out);

#endif
