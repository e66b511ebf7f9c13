/* idset.h: sets of non-negative integer ids and their RFC 22 text form.
 *
 * Encodes and decodes exactly as flux-core's libidset does, because R (RFC 20)
 * and resource-query's output carry idsets and must match byte for byte:
 * ranged encoding "0-3,5,7-8" (or plain "0,1,2,3,5"), optionally in brackets
 * when the set has more than one id ("[0-3,5]"); decoding accepts optional
 * outer brackets, comma-separated ids or "lo-hi" ranges (hi > lo) in
 * ascending order, no leading zeros, empty elements ignored.
 *
 * Stored as a sorted array of disjoint, non-adjacent ranges, so the sets
 * Fluxion writes (dense core and rank ranges) cost a few words, and adding
 * ids in ascending order is amortised O(1).  Internal module. */
#ifndef ENG_IDSET_H
#define ENG_IDSET_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "eng_error.h"

/* What idset_first()/idset_next() return at the end (flux-core's value), and
 * the bound all ids stay below (flux-core's universe limit, INT_MAX + 1). */
#define IDSET_INVALID_ID (UINT_MAX - 1)
#define IDSET_MAX_ID     ((unsigned)INT_MAX + 1u)

/* idset_encode() flags, values as flux-core's. */
enum idset_flags {
    IDSET_FLAG_BRACKETS = 1, /* "[0-3]" when more than one id */
    IDSET_FLAG_RANGE = 2,    /* "0-3" rather than "0,1,2,3" */
};

typedef struct idset idset_t;

/* New empty set, or NULL (out of memory).  Release with idset_destroy(). */
idset_t *idset_create(void);

/* Release 's'.  NULL is a no-op. */
void idset_destroy(idset_t *s);

/* New copy of 's', or NULL (out of memory). */
idset_t *idset_copy(const idset_t *s);

/* Add 'id' / the ids 'lo'..'hi' (inclusive; swapped when lo > hi).  Returns 0,
 * ENG_EINVAL when an id is >= IDSET_MAX_ID, or ENG_ENOMEM; 's' is unchanged on
 * failure. */
int idset_set(idset_t *s, unsigned id);
int idset_range_set(idset_t *s, unsigned lo, unsigned hi);

/* Remove 'id' / 'lo'..'hi'.  Removing absent ids is not an error.  Returns 0
 * or ENG_ENOMEM (a range split needed memory; 's' unchanged). */
int idset_clear(idset_t *s, unsigned id);
int idset_range_clear(idset_t *s, unsigned lo, unsigned hi);

/* True when 'id' is in 's'. */
bool idset_test(const idset_t *s, unsigned id);

/* Number of ids in 's'. */
size_t idset_count(const idset_t *s);

/* Number of maximal runs of consecutive ids in 's' ("0-3,5" has 2). */
size_t idset_range_count(const idset_t *s);

/* Run 'i' (< idset_range_count()) of 's' in ascending order: its first and
 * last id into '*lo' and '*hi'.  Lets a caller copy a set into its own memory
 * without visiting every id. */
void idset_range_at(const idset_t *s, size_t i, unsigned *lo, unsigned *hi);

/* Smallest id, or the smallest id greater than 'prev'; IDSET_INVALID_ID when
 * there is none. */
unsigned idset_first(const idset_t *s);
unsigned idset_next(const idset_t *s, unsigned prev);

/* True when both sets hold the same ids. */
bool idset_equal(const idset_t *a, const idset_t *b);

/* Text of 's' per 'flags' (enum idset_flags), "" for the empty set.  Returns
 * a new string the caller frees with free(), or NULL (out of memory). */
char *idset_encode(const idset_t *s, int flags);

/* Parse 'len' bytes of 'str' ('len' < 0: up to the NUL).  Returns a new set,
 * or NULL with 'err' set: ENG_EPARSE with flux-core's text ("error parsing
 * range 'x'", "range 'x' is out of order", "mismatched or nested brackets")
 * and the 1-based column of the bad element, ENG_ELIMIT for ids >=
 * IDSET_MAX_ID, ENG_ENOMEM.  'source' names the input in 'err' (may be NULL). */
idset_t *idset_decode(const char *str, long len, const char *source, eng_error_t *err);

#endif /* ENG_IDSET_H */
