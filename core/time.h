/*
 * time.h — edge_time: int64 nanoseconds of whatever clock the caller uses.
 *
 * Nothing in core reads a clock. Every call that needs "now" takes it as an
 * argument, so the same code runs under the simulator's virtual clock and a
 * real platform's monotonic clock. int64 nanoseconds cover ±292 years.
 *
 * Durations are written with a unit everywhere a person writes a time:
 * "100ns", "500us", "250ms", "1.5s", "10m", "2h", "1d". A bare number is
 * rejected, because "5" could mean seconds or milliseconds.
 */
#ifndef EDGE_TIME_H
#define EDGE_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef int64_t edge_time;

#define EDGE_NS ((edge_time)1)
#define EDGE_US ((edge_time)1000)
#define EDGE_MS ((edge_time)1000000)
#define EDGE_S ((edge_time)1000000000)
#define EDGE_MIN (60 * EDGE_S)
#define EDGE_HOUR (60 * EDGE_MIN)
#define EDGE_DAY (24 * EDGE_HOUR)
#define EDGE_TIME_MAX INT64_MAX

/* t + d for d >= 0, saturated at EDGE_TIME_MAX: "d after t" for a d that
 * may be as long as a time can be (a draw from a heavy-tailed distribution
 * saturates at EDGE_TIME_MAX; edge_time_from_s does too). */
static inline edge_time edge_time_add_sat(edge_time t, edge_time d)
{
    return t > EDGE_TIME_MAX - d ? EDGE_TIME_MAX : t + d;
}

/* Seconds as a double, for reports and arithmetic on rates. */
static inline double edge_time_to_s(edge_time t) { return (double)t / 1e9; }

/* Seconds to edge_time, rounded to the nearest nanosecond and saturated at
 * ±EDGE_TIME_MAX; NaN gives 0. */
edge_time edge_time_from_s(double seconds);

/*
 * Parses a duration string with a unit (ns, us, ms, s, m, h, d) into *out.
 * A decimal fraction is allowed ("1.5s"); the result is rounded to the
 * nearest nanosecond. Negative values are accepted ("-5s"); callers that need
 * a non-negative duration check the sign themselves.
 * Errors: EDGE_INVAL when s is NULL, empty, a bare number or has an unknown
 * unit; EDGE_RANGE when the value does not fit in int64 nanoseconds.
 * *out is written only on success.
 */
edge_err edge_duration_parse(const char *s, edge_time *out);

/*
 * Formats d into buf as the shortest exact form with the largest unit that
 * keeps it an integer ("10m", "1500ms", "0s"). Returns the length that
 * snprintf would return (so a result >= n means truncation).
 */
int edge_duration_format(char *buf, size_t n, edge_time d);

#endif
