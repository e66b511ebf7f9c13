/* planner_multi.h: availability of several resource types over one time range.
 *
 * A multi-planner owns one planner_t per resource type (index i = the i-th
 * type given at creation or by the last planner_multi_update()).  A
 * multi-span plans a vector of counts, one per type, over the same interval.
 * The engine uses it for pruning-filter aggregates at high-level vertices
 * (HL:LL) and for the subtree planner at the root that finds reservation
 * times.
 *
 * Semantics follow Fluxion's planner_multi (resource/planner/c/planner_multi.h
 * at fd257f71) function for function; error values as in planner.h:
 * EINVAL -> ENG_EINVAL, unknown span -> ENG_ENOENT, ERANGE -> ENG_ELIMIT,
 * no schedulable point -> ENG_ENOMATCH, EBUSY -> ENG_EBUSY.
 * Deliberate differences from Fluxion:
 *   - a failing call has no side effect (Fluxion's add_span keeps the spans
 *     it added to the first planners), except where noted to match Fluxion:
 *     a refused multi-span add uses up its id, and a partial release stops
 *     at the first bad amount keeping the earlier ones;
 *   - planner_multi_update() keeps each multi-span's per-type span ids in
 *     step with the planners when types are added, moved or dropped
 *     (Fluxion leaves them at their old indices);
 *   - counts are int64_t; negative values are ENG_EINVAL.
 *
 * Costs: every query is len x the planner.h cost.  Thread safety as planner.h. */
#ifndef ENG_PLANNER_MULTI_H
#define ENG_PLANNER_MULTI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eng_api.h"
#include "eng_error.h"
#include "planner.h"

ENG_BEGIN_DECLS

typedef struct planner_multi planner_multi_t; /* opaque */

/* Create planners of 'totals[i]' units of 'types[i]' (copied; distinct) for
 * i < 'len', all over [base_time, base_time + duration].  'len' may be 0.
 * Returns a new multi-planner released with planner_multi_destroy(), or NULL
 * with 'err' set (ENG_EINVAL, ENG_EEXIST for a repeated type, ENG_ENOMEM). */
planner_multi_t *planner_multi_create(int64_t base_time, int64_t duration,
                                      const int64_t *totals, const char *const *types,
                                      size_t len, eng_error_t *err);

/* Create a multi-planner with no type and no time range (Fluxion's
 * planner_multi_empty); base time 0, duration 0. */
planner_multi_t *planner_multi_create_empty(eng_error_t *err);

/* Deep copy of 'mp'; NULL with 'err' set (ENG_EINVAL, ENG_ENOMEM). */
planner_multi_t *planner_multi_copy(const planner_multi_t *mp, eng_error_t *err);

/* Make 'dst' a deep copy of 'src'.  Returns 0, or ENG_EINVAL / ENG_ENOMEM
 * with 'dst' unchanged. */
int planner_multi_assign(planner_multi_t *dst, const planner_multi_t *src);

/* Release 'mp' and its planners.  NULL is a no-op. */
void planner_multi_destroy(planner_multi_t *mp);

/* Getters.  Return ENG_EINVAL / 0 / NULL for a NULL 'mp' or index out of
 * range.  Borrowed strings and arrays stay valid until 'mp' is updated,
 * assigned to or destroyed. */
int64_t planner_multi_base_time(const planner_multi_t *mp);
int64_t planner_multi_duration(const planner_multi_t *mp);
size_t planner_multi_resources_len(const planner_multi_t *mp);
const char *planner_multi_resource_type_at(const planner_multi_t *mp, size_t i);
const int64_t *planner_multi_resource_totals(const planner_multi_t *mp);
int64_t planner_multi_resource_total_at(const planner_multi_t *mp, size_t i);
/* Total of 'type', or ENG_ENOENT if 'mp' has no planner for it. */
int64_t planner_multi_resource_total_by_type(const planner_multi_t *mp, const char *type);
/* Index of 'type' (< len), or ENG_ENOENT. */
int64_t planner_multi_type_index(const planner_multi_t *mp, const char *type);

/* Reset every planner to [base_time, base_time + duration] without spans and
 * forget every multi-span (Fluxion keeps stale entries); multi-span ids keep
 * counting, as in Fluxion.  Returns 0 or ENG_EINVAL. */
int planner_multi_reset(planner_multi_t *mp, int64_t base_time, int64_t duration);

/* The planner of type index 'i', borrowed: valid until 'mp' is updated,
 * assigned to or destroyed.  Spans added to it directly are not multi-spans.
 * NULL if 'i' is out of range. */
planner_t *planner_multi_planner_at(planner_multi_t *mp, size_t i);

/* Earliest scheduled point t of planner 0 at or after 'on_or_after' such that
 * every type i has 'requests[i]' units free during [t, t + duration)
 * (planner 0 by its avail_time rule, the others by planner_avail_during).
 * 'len' must equal planner_multi_resources_len() and be >= 1.  Starts an
 * iteration for planner_multi_avail_time_next().  Returns t, or ENG_EINVAL,
 * ENG_ELIMIT (requests[0] above its total), ENG_ENOMATCH. */
int64_t planner_multi_avail_time_first(planner_multi_t *mp, int64_t on_or_after,
                                       int64_t duration, const int64_t *requests,
                                       size_t len);

/* The next such point after the last one returned.  Returns t, or ENG_EINVAL
 * (no iteration), ENG_ELIMIT, ENG_ENOMATCH. */
int64_t planner_multi_avail_time_next(planner_multi_t *mp);

/* Free units of type index 'i' at 'at' (see planner_avail_resources_at()). */
int64_t planner_multi_avail_resources_at(const planner_multi_t *mp, int64_t at, size_t i);

/* Free units of every type at 'at' into 'counts' ('len' = resources_len).
 * Returns 0 or the first planner's error (then 'counts' is partly filled). */
int planner_multi_avail_resources_array_at(const planner_multi_t *mp, int64_t at,
                                           int64_t *counts, size_t len);

/* Whether every type i has 'requests[i]' units free during
 * [at, at + duration).  Returns 0, or the first failing type's code
 * (ENG_EBUSY, ENG_ELIMIT, ENG_EINVAL) in index order. */
int planner_multi_avail_during(const planner_multi_t *mp, int64_t at, int64_t duration,
                               const int64_t *requests, size_t len);

/* Fewest free units of each type during [at, at + duration) into 'counts'
 * ('len' = resources_len >= 1).  Returns 0 or the first planner's error. */
int planner_multi_avail_resources_array_during(const planner_multi_t *mp, int64_t at,
                                               int64_t duration, int64_t *counts,
                                               size_t len);

/* Plan 'requests[i]' units of each type (zeros included: Fluxion creates a
 * span of 0 in that planner) during [start, start + duration).  Returns the
 * multi-span id (0, 1, 2, ...), or the first planner's error (which uses up
 * an id, as in Fluxion; nothing else changes); ENG_EINVAL if 'len' !=
 * resources_len or a request is negative; ENG_ENOMEM. */
int64_t planner_multi_span_add(planner_multi_t *mp, int64_t start, int64_t duration,
                               const int64_t *requests, size_t len);

/* Remove multi-span 'span_id' from every planner.  Returns 0, ENG_ENOENT or
 * ENG_EINVAL. */
int planner_multi_span_remove(planner_multi_t *mp, int64_t span_id);

/* Partial release of multi-span 'span_id': for each j < 'len', free
 * 'reduced[j]' units of type 'types[j]' (types the multi-planner does not
 * track are skipped).  Types not listed are reduced by 0, which removes their
 * span when it planned 0 units.  A per-type span that drops to 0 is removed;
 * when all are gone the multi-span is removed and '*removed' (may be NULL) is
 * set true.  Returns 0, ENG_ENOENT (no such span), or ENG_EINVAL (negative or
 * NULL arguments; or a reduction above a type's planned count, in which case
 * the reductions listed before it stay applied, as in Fluxion). */
int planner_multi_span_reduce(planner_multi_t *mp, int64_t span_id,
                              const int64_t *reduced, const char *const *types,
                              size_t len, bool *removed);

/* Units of type index 'i' planned by multi-span 'span_id' (0 once that type's
 * part was released).  Returns the count, ENG_ENOENT or ENG_EINVAL. */
int64_t planner_multi_span_planned_at(const planner_multi_t *mp, int64_t span_id,
                                      size_t i);

/* Multi-span iteration in increasing id order; ENG_ENOENT at the end. */
int64_t planner_multi_span_first(planner_multi_t *mp);
int64_t planner_multi_span_next(planner_multi_t *mp);
size_t planner_multi_span_count(const planner_multi_t *mp);

/* True if both hold the same types, totals, planners, spans and iteration
 * state (Fluxion's planner_multis_equal; planners compared by type). */
bool planner_multi_is_equal(const planner_multi_t *a, const planner_multi_t *b);

/* As planner_multi_is_equal() but ignoring span id counters and avail_time
 * iterations (see planner_is_same_state()). */
bool planner_multi_is_same_state(const planner_multi_t *a, const planner_multi_t *b);

/* Make the tracked types exactly 'types[0..len)' in that order with totals
 * 'totals' (elasticity and re-priming): a new type gets a planner over the
 * current time range, a known type moves to index j and its total changes as
 * planner_update_total(), a type not listed is dropped with its spans.
 * Returns 0, or ENG_EINVAL / ENG_EEXIST (repeated type) / ENG_ENOMEM with no
 * side effect.  'len' 0 is a no-op, as in Fluxion. */
int planner_multi_update(planner_multi_t *mp, const int64_t *totals,
                         const char *const *types, size_t len);

/* Check the invariants of every planner and of the span table; 0 or
 * ENG_ESTATE.  For tests. */
int planner_multi_check(const planner_multi_t *mp);

/* Changes of every planner of 'mp' (including those it adds later) are
 * told to 'sink' from now on (NULL: to nobody). */
void planner_multi__set_sink(planner_multi_t *mp, struct plan_sink *sink);

ENG_END_DECLS

#endif /* ENG_PLANNER_MULTI_H */
