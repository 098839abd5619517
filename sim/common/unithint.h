/*
 * unithint.h — what a duration written another way most likely meant.
 *
 * Scenario writers reach for the units they speak: "10min", "30 sec",
 * "2 hours", "500 ms". The readers refuse them (a duration is a number and
 * one of ns, us, ms, s, m, h, d, with no blank); this names the form that
 * would have been read, for the end of the diagnostic.
 */
#ifndef SIM_COMMON_UNITHINT_H
#define SIM_COMMON_UNITHINT_H

#include <stddef.h>

/*
 * For a string s that is not a duration, writes " (did you mean \"X\"?)"
 * into buf when X, the same number with its unit written as a duration's
 * ("10min" -> "10m", "30 secs" -> "30s", "2 Hours" -> "2h", "500 ms" ->
 * "500ms", "1.5hr" -> "1.5h"), is one; else "" (s NULL included). Returns
 * buf. n must be at least 1; the text is cut to fit. Never fails.
 */
const char *sim_duration_hint(const char *s, char *buf, size_t n);

#endif
