/*
 * suggest.h — "did you mean": the closest known word to a mistyped one.
 *
 * The distance is the optimal string alignment distance (Levenshtein with
 * adjacent transpositions: "sede" -> "seed" is one edit), capped: a word is
 * only ever suggested within SIM_SUGGEST_MAX_EDITS edits, and never when the
 * edits would rewrite the whole word ("ab" is not a typo of "xy"). The
 * scenario reader suggests field names and ids with it, the command line
 * commands and options, so every "did you mean" of the program agrees.
 * Nothing here allocates; words longer than SIM_SUGGEST_WORD_MAX are never
 * close to anything (a bound on the stack rows, not on the caller).
 */
#ifndef SIM_SUGGEST_H
#define SIM_SUGGEST_H

#include <stddef.h>

#define SIM_SUGGEST_MAX_EDITS 2   /* more than two typos is a different word */
#define SIM_SUGGEST_WORD_MAX 256  /* longer words: no suggestion */

/* The optimal string alignment distance of a and b, or a number above
 * SIM_SUGGEST_MAX_EDITS when it is larger than that (or either word is
 * longer than SIM_SUGGEST_WORD_MAX). */
size_t sim_edit_distance(const char *a, const char *b);

/* Whether cand may be suggested for word: within SIM_SUGGEST_MAX_EDITS
 * and fewer edits than word has characters. *dist (may be NULL) gets the
 * distance. */
int sim_suggest_close(const char *word, const char *cand, size_t *dist);

/* The candidate of the NULL-terminated list cands closest to word (see
 * sim_suggest_close), or NULL. Ties go to the first in the list. The
 * result is one of cands (borrowed). */
const char *sim_suggest(const char *word, const char *const *cands);

#endif
