/*
 * opts.c — the table-driven command line of opts.h.
 *
 * The parser is a small state machine over argv, one item per call, so a
 * command keeps its own loop (a `switch` on the option ids) and keeps
 * order-dependent options such as compare's `--metric X --max-increase 5%`.
 * Help is generated from the same table: the usage line is wrapped at
 * USAGE_WIDTH columns, option help is aligned in one column.
 */
#include "cli/opts.h"

#include <stdarg.h>
#include <string.h>

#include "cli/cli.h"
#include "common/suggest.h"

#define USAGE_WIDTH 79 /* a terminal's 80 columns, less the cursor */
#define HELP_COLUMN 24 /* option help starts here; longer option specs get their own line */
#define MAX_OPTIONS 64 /* per command: the suggestion list is on the stack */

static const sim_opt help_opt = {SIM_OPTS_HELP, 'h', "help", NULL, 0, "this help"};

void sim_opts_init(sim_opts *p, const sim_cmd *cmd, int argc, char **argv)
{
    memset(p, 0, sizeof *p);
    p->cmd = cmd;
    p->argc = argc;
    p->argv = argv;
    p->next = 1;
}

static void vsay(const sim_cmd *cmd, const char *fmt, va_list ap)
{
    fprintf(stderr, "edgesim %s: ", cmd->name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int sim_cmd_fail(const sim_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(cmd, fmt, ap);
    va_end(ap);
    return SIM_EXIT_USAGE;
}

/* The parser's one line for a mistake; returns SIM_OPTS_ERROR. */
__attribute__((format(printf, 2, 3))) static int fail(const sim_opts *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(p->cmd, fmt, ap);
    va_end(ap);
    return SIM_OPTS_ERROR;
}

static const sim_opt *find_long(const sim_cmd *c, const char *name, size_t len)
{
    for (const sim_opt *o = c->opts; o && o->id; o++)
        if (strlen(o->name) == len && !strncmp(o->name, name, len))
            return o;
    if (len == 4 && !strncmp(name, "help", 4))
        return &help_opt;
    return NULL;
}

static const sim_opt *find_short(const sim_cmd *c, char ch)
{
    for (const sim_opt *o = c->opts; o && o->id; o++)
        if (o->short_name && o->short_name == ch)
            return o;
    return ch == 'h' ? &help_opt : NULL;
}

/* "unknown option '--sed' (did you mean '--seed'?)" */
static int unknown(sim_opts *p, const char *written, const char *name, size_t len)
{
    const char *cands[MAX_OPTIONS + 2];
    size_t n = 0;
    for (const sim_opt *o = p->cmd->opts; o && o->id && n < MAX_OPTIONS; o++)
        cands[n++] = o->name;
    cands[n++] = "help";
    cands[n] = NULL;
    char word[SIM_SUGGEST_WORD_MAX + 1];
    const char *sug = NULL;
    if (len <= SIM_SUGGEST_WORD_MAX) {
        memcpy(word, name, len);
        word[len] = '\0';
        sug = sim_suggest(word, cands);
    }
    int n_written = (int)strcspn(written, "=");
    if (sug)
        return fail(p, "unknown option '%.*s' (did you mean '--%s'?)", n_written, written, sug);
    return fail(p, "unknown option '%.*s' (see 'edgesim %s --help')", n_written, written,
                p->cmd->name);
}

/* Whether s is spelled like one of the command's long options: the value
 * of `--trace --no-plots` is missing, not the file "--no-plots". */
static int looks_like_option(const sim_cmd *c, const char *s)
{
    return s[0] == '-' && s[1] == '-' && s[2] && find_long(c, s + 2, strcspn(s + 2, "="));
}

static int take(sim_opts *p, const sim_opt *o, const char *inline_value)
{
    if (o->id == SIM_OPTS_HELP) {
        if (inline_value)
            return fail(p, "%s takes no value", p->opt);
        sim_cmd_help(p->cmd, stdout);
        return SIM_OPTS_HELP;
    }
    if (!o->arg) {
        if (inline_value)
            return fail(p, "%s takes no value (found '%s')", p->opt, inline_value);
        p->arg = NULL;
        return o->id;
    }
    if (inline_value) {
        p->arg = inline_value;
    } else {
        if (p->next >= p->argc || looks_like_option(p->cmd, p->argv[p->next]))
            return fail(p, "%s needs a value", p->opt);
        p->arg = p->argv[p->next++];
    }
    /* no option takes "" (a script's empty variable: `-o "$OUT"`): it would
     * be read as a path, a number or a name that is not there */
    if (!p->arg[0])
        return fail(p, "%s: expected %s, found an empty value", p->opt, o->arg);
    return o->id;
}

int sim_opts_next(sim_opts *p)
{
    if (p->next >= p->argc)
        return SIM_OPTS_END;
    const char *a = p->argv[p->next++];
    p->arg = NULL;
    if (!a[0])
        return fail(p, "expected %s, found an empty argument ('')",
                    p->cmd->operands && *p->cmd->operands ? p->cmd->operands : "no operand");
    if (p->operands_only || a[0] != '-' || a[1] == '\0') {
        p->arg = a;
        return SIM_OPTS_OPERAND;
    }
    if (a[1] == '-' && a[2] == '\0') {
        p->operands_only = 1;
        return sim_opts_next(p);
    }
    if (a[1] == '-') {
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        snprintf(p->opt, sizeof p->opt, "--%.*s", (int)(len < 60 ? len : 60), name);
        const sim_opt *o = find_long(p->cmd, name, len);
        if (!o)
            return unknown(p, a, name, len);
        return take(p, o, eq ? eq + 1 : NULL);
    }
    /* -o VALUE, -oVALUE (-j2 as make takes it); flags one at a time */
    snprintf(p->opt, sizeof p->opt, "-%c", a[1]);
    const sim_opt *o = find_short(p->cmd, a[1]);
    if (!o)
        return fail(p, "unknown option '%s' (see 'edgesim %s --help')", p->opt, p->cmd->name);
    if (a[2] && o->id == SIM_OPTS_HELP)
        return fail(p, "unknown option '%s' (see 'edgesim %s --help')", a, p->cmd->name);
    if (a[2] && !o->arg)
        return fail(p, "%s takes no value (found '%s')", p->opt, a);
    return take(p, o, a[2] ? a + 2 : NULL);
}

/* ---- help ---- */

/* "[-o DIR]", "[--seed N]", "[--set PATH=VALUE]..." */
static void usage_item(const sim_opt *o, char *buf, size_t n)
{
    char name[80];
    if (o->short_name)
        snprintf(name, sizeof name, "-%c", o->short_name);
    else
        snprintf(name, sizeof name, "--%s", o->name);
    snprintf(buf, n, "[%s%s%s]%s", name, o->arg ? " " : "", o->arg ? o->arg : "",
             o->flags & SIM_OPT_REPEAT ? "..." : "");
}

static void usage_lines(const sim_cmd *c, FILE *out)
{
    char head[96], item[160];
    int indent = snprintf(head, sizeof head, "usage: edgesim %s", c->name);
    fputs(head, out);
    int col = indent;
    const char *ops = c->operands;
    if (ops && *ops) {
        fprintf(out, " %s", ops);
        col += 1 + (int)strlen(ops);
    }
    for (const sim_opt *o = c->opts;; o++) {
        int last = !o || !o->id;
        if (last)
            o = &help_opt;
        usage_item(o, item, sizeof item);
        int w = (int)strlen(item);
        if (col + 1 + w > USAGE_WIDTH && col > indent) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
        }
        fprintf(out, " %s", item);
        col += 1 + w;
        if (last)
            break;
    }
    fputc('\n', out);
}

static void option_spec(const sim_opt *o, char *buf, size_t n)
{
    char s[8] = "";
    if (o->short_name)
        snprintf(s, sizeof s, "-%c, ", o->short_name);
    snprintf(buf, n, "%s--%s%s%s", s, o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

static void option_help(const sim_opt *o, FILE *out)
{
    char spec[160];
    option_spec(o, spec, sizeof spec);
    int w = (int)strlen(spec) + 2;
    fprintf(out, "  %s", spec);
    if (w + 2 > HELP_COLUMN) {
        fputc('\n', out);
        w = 0;
    }
    /* word-wrapped into the column; '\n' in the text forces a break */
    const char *h = o->help ? o->help : "";
    const int width = USAGE_WIDTH - HELP_COLUMN;
    do {
        size_t k = strcspn(h, "\n");
        while (k > (size_t)width) { /* the last space that fits */
            size_t cut = (size_t)width;
            while (cut > 0 && h[cut] != ' ')
                cut--;
            if (cut == 0)
                break;
            fprintf(out, "%*s%.*s\n", HELP_COLUMN - w, "", (int)cut, h);
            w = 0;
            h += cut + 1;
            k -= cut + 1;
        }
        fprintf(out, "%*s%.*s\n", HELP_COLUMN - w, "", (int)k, h);
        w = 0;
        h += k;
    } while (*h && *h++ == '\n' && *h);
}

void sim_cmd_help(const sim_cmd *c, FILE *out)
{
    usage_lines(c, out);
    if (c->intro && *c->intro) {
        fputc('\n', out);
        fputs(c->intro, out);
    }
    fputs("\noptions:\n", out);
    for (const sim_opt *o = c->opts; o && o->id; o++)
        option_help(o, out);
    option_help(&help_opt, out);
    if (c->extra) {
        fputc('\n', out);
        c->extra(out);
    }
    if (c->outro && *c->outro) {
        fputc('\n', out);
        fputs(c->outro, out);
    }
}

void sim_cmd_list_options(const sim_cmd *c, FILE *out)
{
    for (const sim_opt *o = c->opts;; o++) {
        int last = !o || !o->id;
        if (last)
            o = &help_opt;
        fprintf(out, "--%s%s%s\n", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        if (o->short_name)
            fprintf(out, "-%c%s%s\n", o->short_name, o->arg ? " " : "", o->arg ? o->arg : "");
        if (last)
            break;
    }
}
