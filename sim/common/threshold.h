/*
 * threshold.h — tolerances and percentages on the command line, always with
 * their unit.
 *
 * A bare number is ambiguous: "--max-increase 5" read as a fraction allowed a
 * 500% change, so a CI gate passed everything. Every flag that takes a
 * percentage or a tolerance therefore takes it with its unit: "5%" is five
 * percent of the baseline (relative); an absolute tolerance carries the
 * metric's own unit ("20ms", "0.5s" for latencies, "0.1pp" percentage points
 * for rates, "2/s" for a throughput). A bare number, even "0", is refused
 * with one line saying what to write instead. sim_parse_threshold is the
 * one parser for such values: compare's --max-increase and --max-decrease are
 * today the CLI's only flags that take a percentage or a fraction.
 */
#ifndef SIM_THRESHOLD_H
#define SIM_THRESHOLD_H

#include <stddef.h>

/* The unit a metric is measured in, which decides its absolute spellings. */
typedef enum sim_unit {
    SIM_UNIT_SECONDS,  /* "s": absolute as ns, us, ms, s */
    SIM_UNIT_FRACTION, /* "ratio" in [0, 1]: absolute as pp (percentage points) */
    SIM_UNIT_PER_S,    /* "1/s": absolute as N/s */
    SIM_UNIT_JOULES,   /* "J": absolute as mJ, J, kJ */
    SIM_UNIT_MB_S      /* "MB*s": absolute as MB*s, GB*s */
} sim_unit;

/* A tolerance: relative (value 0.05 for "5%") or absolute (value in the
 * metric's unit: 0.02 for "20ms"). text is the normalised spelling for tables
 * and JSON ("5%", "20ms"). A plain value struct. */
typedef struct sim_threshold {
    int absolute;
    double value;
    char text[32];
} sim_threshold;

/* The unit's name as tables print it ("s", "ratio", "1/s", "J", "MB*s"). */
const char *sim_unit_name(sim_unit u);

/* An example absolute spelling for messages ("20ms", "0.1pp", ...). */
const char *sim_unit_example(sim_unit u);

/* Parses s as a non-negative finite tolerance for a metric measured in unit:
 * "P%" (relative) or an absolute with one of the unit's spellings. Returns 0
 * and fills *out, or -1 with one line in err (truncated to errlen) that says
 * what was expected and what was found; a bare number is refused with the
 * hint to write "P%" or an absolute with its unit. */
int sim_parse_threshold(const char *s, sim_unit unit, sim_threshold *out, char *err,
                        size_t errlen);

#endif
