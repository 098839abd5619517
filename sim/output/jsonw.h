/*
 * jsonw.h — a cJSON tree written straight into a buffered writer (csvw.h),
 * byte for byte as cJSON_Print formats it: objects one member a line,
 * indented with tabs, "key":<TAB>value; arrays on one line, ", " between
 * elements; strings with cJSON's escapes (the short ones, \u00XX below
 * U+0020, every other byte as is).
 *
 * Why not cJSON_Print: it builds the whole text in a buffer that it grows by
 * copying, finds each number's text by printing it with "%1.15g", reading it
 * back with sscanf and printing it again with "%1.17g" when the two differ
 * by more than cJSON's tolerance, counts included. At 10,000
 * nodes summary.json's print was 43% of the outputs' instructions. Here an
 * integral number below 1e15 (whose "%1.15g" text is its digits) is
 * written digit by digit, once; any other number takes cJSON's own two-step
 * rule (so the bytes cannot differ), with strtod for the read-back, which is
 * what sscanf("%lg") runs underneath at several times the cost. Rejected:
 * the shortest round-trip digits (edge_json_format_double) for every number:
 * cJSON accepts a 15-digit text within one unit in the last place, which the
 * shortest digits do not reproduce, so summary.json's bytes would change.
 *
 * Internal to sim/output (the double-underscore names).
 */
#ifndef SIM_JSONW_H
#define SIM_JSONW_H

#include <cJSON.h>

#include "output/csvw.h"

/* Writes item (and everything below it) to w as cJSON_Print would, without
 * a trailing newline. item is only read. Returns 0, or -1 where cJSON_Print
 * would fail (an invalid item, a raw item without text); what was written
 * up to there stays in w. */
int sim__jsonw_value(sim__csvw *w, const cJSON *item);

#endif
