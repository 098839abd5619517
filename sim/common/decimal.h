/*
 * decimal.h — whole numbers as decimal text, without printf.
 *
 * The outputs write millions of numbers (an output of 10,000 nodes), and
 * a scenario of a million nodes builds a million ids and JSON paths: through
 * snprintf each cost hundreds of instructions more. These write two digits
 * per division. Nothing here allocates, NUL-terminates or fails: the caller
 * gives the room (at most 20 characters for a uint64_t).
 */
#ifndef SIM_COMMON_DECIMAL_H
#define SIM_COMMON_DECIMAL_H

#include <stdint.h>

/* How many digits v has in decimal (1 for 0). */
int sim_decimal_len(uint64_t v);

/* The n digits of v < 10^n at p[0..n), leading zeros included. */
void sim_put_digits(char *p, uint64_t v, int n);

/* The 9 digits of v < 10^9 at p[0..9), leading zeros included (a time's
 * nanoseconds, a fraction's digits): in 32-bit arithmetic, unrolled. */
void sim_put_digits9(char *p, uint32_t v);

/* The digits of v at p (sim_decimal_len(v) characters); returns their end. */
char *sim_put_u64(char *p, uint64_t v);

#endif
