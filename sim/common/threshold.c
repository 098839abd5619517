/*
 * threshold.c — tolerances with units (threshold.h). The number is read with
 * strtod, which also accepts "nan", "inf" and hex: anything not finite, and
 * any sign, is refused; the rest of the text must be exactly one of the
 * spellings of "%" or the metric's unit.
 */
#include "common/threshold.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct spelling {
    const char *suffix;
    double scale; /* into the metric's unit */
} spelling;

static const spelling sec_units[] = {{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1}, {0, 0}};
static const spelling frac_units[] = {{"pp", 1e-2}, {0, 0}};
static const spelling rate_units[] = {{"/s", 1}, {0, 0}};
static const spelling joule_units[] = {{"mJ", 1e-3}, {"J", 1}, {"kJ", 1e3}, {0, 0}};
static const spelling mbs_units[] = {{"MB*s", 1}, {"GB*s", 1e3}, {0, 0}};

static const struct {
    const char *name, *example, *spellings;
    const spelling *units;
} unit_info[] = {
    [SIM_UNIT_SECONDS] = {"s", "20ms", "ns, us, ms or s", sec_units},
    [SIM_UNIT_FRACTION] = {"ratio", "0.1pp", "pp (percentage points)", frac_units},
    [SIM_UNIT_PER_S] = {"1/s", "2/s", "/s", rate_units},
    [SIM_UNIT_JOULES] = {"J", "0.5J", "mJ, J or kJ", joule_units},
    [SIM_UNIT_MB_S] = {"MB*s", "500MB*s", "MB*s or GB*s", mbs_units},
};

const char *sim_unit_name(sim_unit u)
{
    return unit_info[u].name;
}

const char *sim_unit_example(sim_unit u)
{
    return unit_info[u].example;
}

/* The number at the start of s: finite and not negative, with no sign and no
 * leading space. Returns the rest of s, or NULL. */
static const char *leading_number(const char *s, double *v)
{
    if (!((*s >= '0' && *s <= '9') || *s == '.'))
        return NULL; /* no sign, space, "nan" or "inf" */
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    if (end == s || errno == ERANGE || !isfinite(*v) || *v < 0)
        return NULL;
    return end;
}

int sim_parse_threshold(const char *s, sim_unit unit, sim_threshold *out, char *err,
                        size_t errlen)
{
    double v;
    const char *rest = leading_number(s, &v);
    if (rest && *rest == '\0') {
        snprintf(err, errlen, "expected a unit, found the bare number '%s': write %s%% for a "
                              "percentage of the baseline, or an absolute tolerance in %s "
                              "such as %s", s, s, unit_info[unit].spellings,
                 unit_info[unit].example);
        return -1;
    }
    if (rest && !strcmp(rest, "%")) {
        out->absolute = 0;
        out->value = v / 100.0;
        snprintf(out->text, sizeof out->text, "%g%%", v);
        return 0;
    }
    for (const spelling *u = unit_info[unit].units; rest && u->suffix; u++)
        if (!strcmp(rest, u->suffix)) {
            out->absolute = 1;
            out->value = v * u->scale;
            snprintf(out->text, sizeof out->text, "%g%s", v, u->suffix);
            return 0;
        }
    snprintf(err, errlen, "expected a percentage such as 5%% or an absolute tolerance in %s "
                          "such as %s, found '%s'", unit_info[unit].spellings,
             unit_info[unit].example, s);
    return -1;
}
