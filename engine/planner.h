/* planner.h: availability of one resource pool over integer time.
 *
 * A planner tracks how many of 'total' units of one resource type are free at
 * every instant of [base_time, base_time + duration].  Work is planned as
 * spans (start, duration, count): a span holds 'count' units during
 * [start, start + duration).  The times where the free count changes are the
 * planner's scheduled points; queries look only at them.
 *
 * Semantics follow Fluxion's C planner (resource/planner/c/planner.h at
 * fd257f71) function for function, so the traverser maps 1:1; see the table
 * at the end of this comment.  Differences are deliberate and listed there.
 *
 * Costs: with n scheduled points, every query and update below is O(log n)
 * (span lookups O(log s) for s spans; up to 64 points sit in a flat array
 * and are scanned, which is cheaper there), except that avail_time_first/
 * next pay O(log n) per rejected window (a run of candidates cut short by a point
 * with too few free units; Fluxion pays O(window) per candidate), and
 * planner_update_total(), copy, assign and equality, which are O(n).
 * Queries never allocate; span_add allocates only when a pool grows
 * (amortised).  An idle planner takes about 450 bytes (one allocation and
 * its type name); a point takes 40 bytes up to 64 points, 104 beyond.
 *
 * Errors are values: functions returning int64_t give a time, a count or a
 * span id (all >= 0) on success and a negative enum eng_errc on failure;
 * functions returning int give 0 or a negative enum eng_errc.  A failing call
 * leaves the planner unchanged.
 *
 * Fluxion errno -> our code:
 *   EINVAL (bad argument)                          -> ENG_EINVAL
 *   EINVAL (unknown span id)                       -> ENG_ENOENT
 *   ERANGE (request above the total, or the window
 *           runs past base_time + duration)        -> ENG_ELIMIT
 *   ENOENT (avail_time: no schedulable point)      -> ENG_ENOMATCH
 *   EBUSY  (avail_during: not enough free units)   -> ENG_EBUSY
 *   ENOMEM                                         -> ENG_ENOMEM
 * Deliberate differences from Fluxion:
 *   - base_time must be >= 0 (all valid results are then >= 0, which frees
 *     the negative range for error codes);  counts, totals and durations are
 *     int64_t and negative values are ENG_EINVAL.
 *   - planner_span_add() reports why it failed (ENG_EBUSY / ENG_ELIMIT /
 *     ENG_EINVAL) where Fluxion always says EINVAL.
 *   - planner_span_reduce() rejects a negative amount (Fluxion would add).
 *   - 'at + duration' saturates instead of wrapping.
 *
 * Thread safety: one planner belongs to one thread at a time; queries that
 * iterate (avail_time_*, span_first/next) keep their state in the handle. */
#ifndef ENG_PLANNER_H
#define ENG_PLANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eng_api.h"
#include "eng_error.h"

ENG_BEGIN_DECLS

typedef struct planner planner_t; /* opaque: one resource pool over time */

/* Where a planner tells what it changed, if its owner wants to know
 * (planner_private.h: planner__set_sink()): the hull [lo, hi) of the
 * intervals of the spans added, removed or reduced since the owner last
 * emptied it ('any'), or 'all' after a change of another kind (reset, new
 * total, copy, new types) that may touch any time. */
struct plan_sink {
    int64_t lo, hi;
    bool any, all;
};

/* Add [lo, hi) to what 'k' was told. */
static inline void plan_sink_note(struct plan_sink *k, int64_t lo, int64_t hi)
{
    if (!k->any) {
        k->lo = lo;
        k->hi = hi;
        k->any = true;
        return;
    }
    k->lo = lo < k->lo ? lo : k->lo;
    k->hi = hi > k->hi ? hi : k->hi;
}

/* Changes of 'p' are told to 'sink' from now on (NULL: to nobody). */
void planner__set_sink(planner_t *p, struct plan_sink *sink);

/* Create a planner of 'total' units of 'type' (copied) over
 * [base_time, base_time + duration].  'base_time' >= 0, 'duration' >= 1,
 * 'total' >= 0, 'type' not NULL.  Returns a new planner that the caller
 * releases with planner_destroy(), or NULL with 'err' set (ENG_EINVAL,
 * ENG_ENOMEM).  'err' may be NULL. */
planner_t *planner_create(int64_t base_time, int64_t duration, int64_t total,
                          const char *type, eng_error_t *err);

/* Create an empty planner (Fluxion's planner_new_empty): no scheduled point,
 * total 0, type "", base time 0, duration 0.  Every query on it fails with
 * ENG_EINVAL or ENG_ELIMIT until planner_assign() fills it.  NULL with 'err'
 * set on ENG_ENOMEM. */
planner_t *planner_create_empty(eng_error_t *err);

/* Deep copy of 'p' (spans, points, iteration state).  The caller releases it
 * with planner_destroy().  NULL with 'err' set (ENG_EINVAL, ENG_ENOMEM). */
planner_t *planner_copy(const planner_t *p, eng_error_t *err);

/* Make 'dst' a deep copy of 'src' (Fluxion's planner_assign).  Returns 0, or
 * ENG_EINVAL / ENG_ENOMEM with 'dst' unchanged. */
int planner_assign(planner_t *dst, const planner_t *src);

/* Release 'p' and everything it owns.  NULL is a no-op. */
void planner_destroy(planner_t *p);

/* Drop every span and restart the planner over [base_time, base_time +
 * duration] with the same total and type; span ids restart at 1.  Returns 0
 * or ENG_EINVAL ('base_time' < 0, 'duration' < 1). */
int planner_reset(planner_t *p, int64_t base_time, int64_t duration);

/* Getters.  Return ENG_EINVAL (or NULL) when 'p' is NULL.
 * planner_resource_type() is borrowed, valid until 'p' is destroyed or
 * assigned to. */
int64_t planner_base_time(const planner_t *p);
int64_t planner_duration(const planner_t *p); /* end - base_time */
int64_t planner_resource_total(const planner_t *p);
const char *planner_resource_type(const planner_t *p);

/* Earliest scheduled point t >= 'on_or_after' at which 'request' units are
 * free throughout [t, t + duration) and t + duration <= end.  Only scheduled
 * points are candidates: if the state changes at t1 and t2, t1 + 1 is never
 * returned even when it would fit.  Starts a new iteration for
 * planner_avail_time_next().  Returns t, or ENG_EINVAL ('on_or_after' outside
 * [base, end), 'duration' < 1, 'request' < 0), ENG_ELIMIT ('request' above the
 * total), ENG_ENOMATCH (no such point). */
int64_t planner_avail_time_first(planner_t *p, int64_t on_or_after, int64_t duration,
                                 int64_t request);

/* The next scheduled point, after the last one returned, that satisfies the
 * request given to the last planner_avail_time_first().  planner_span_add()
 * and planner_span_remove() end the iteration (then ENG_EINVAL);
 * planner_span_reduce() of part of a span restarts it from the beginning, as
 * in Fluxion.  Returns t, or ENG_EINVAL (no iteration), ENG_ELIMIT (the total
 * shrank below the request), ENG_ENOMATCH (no more points). */
int64_t planner_avail_time_next(planner_t *p);

/* Whether 'request' units are free throughout [at, at + duration); 'at' need
 * not be a scheduled point.  Returns 0 if so, ENG_EBUSY if not, ENG_ELIMIT if
 * 'request' exceeds the total or at + duration > end, ENG_EINVAL for bad
 * arguments.  (A window starting before base_time counts as free, as in
 * Fluxion.) */
int planner_avail_during(const planner_t *p, int64_t at, int64_t duration,
                         int64_t request);

/* Fewest free units at any instant of [at, at + duration).  Returns the count,
 * or ENG_EINVAL ('at' > end, 'at' < base_time, 'duration' < 1), ENG_ELIMIT
 * (at + duration > end). */
int64_t planner_avail_resources_during(const planner_t *p, int64_t at, int64_t duration);

/* Free units at instant 'at'.  Returns the count, or ENG_ELIMIT ('at' outside
 * [base, end]), ENG_EINVAL ('p' NULL or empty). */
int64_t planner_avail_resources_at(const planner_t *p, int64_t at);

/* Plan 'request' units (may be 0) during [start, start + duration).  Ends any
 * avail_time iteration.  Returns the new span id (1, 2, ...; never reused until
 * planner_reset()), or ENG_EBUSY (not enough free units), ENG_ELIMIT
 * ('request' above the total, or past the end), ENG_EINVAL ('start' <
 * base_time, 'duration' < 1, 'request' < 0), ENG_ENOMEM. */
int64_t planner_span_add(planner_t *p, int64_t start, int64_t duration, int64_t request);

/* Remove span 'span_id' and free its units.  Ends any avail_time iteration.
 * Returns 0, ENG_ENOENT (no such span) or ENG_EINVAL. */
int planner_span_remove(planner_t *p, int64_t span_id);

/* Free 'to_remove' of the units of span 'span_id' (partial release).  If
 * 'to_remove' equals the span's count the whole span is removed and
 * '*removed' (may be NULL) is set true; 0 is a no-op.  Returns 0, ENG_ENOENT
 * (no such span), or ENG_EINVAL ('to_remove' < 0 or above the span's count). */
int planner_span_reduce(planner_t *p, int64_t span_id, int64_t to_remove, bool *removed);

/* Span iteration in increasing id order.  Return a span id, or ENG_ENOENT at
 * the end (ENG_EINVAL if 'p' is NULL).  Removing spans while iterating is
 * allowed: the next call continues after the last id returned. */
int64_t planner_span_first(planner_t *p);
int64_t planner_span_next(planner_t *p);

/* Number of spans in 'p' (0 if 'p' is NULL). */
size_t planner_span_count(const planner_t *p);

/* True if 'span_id' is a span of 'p'. */
bool planner_span_is_active(const planner_t *p, int64_t span_id);

/* Properties of span 'span_id': start time, duration, planned count.  Return
 * the value, or ENG_ENOENT (no such span) / ENG_EINVAL ('p' NULL). */
int64_t planner_span_start(const planner_t *p, int64_t span_id);
int64_t planner_span_duration(const planner_t *p, int64_t span_id);
int64_t planner_span_planned(const planner_t *p, int64_t span_id);

/* Change the total to 'total' (elasticity), as Fluxion's
 * planner_update_total: every scheduled point's free count moves by the
 * difference, clamped at 0; spans are kept (a point may then be
 * over-committed).  Does not end an avail_time iteration.  Returns 0 or
 * ENG_EINVAL ('total' < 0).  O(n). */
int planner_update_total(planner_t *p, int64_t total);

/* True if 'a' and 'b' hold the same plan: totals, type, time bounds, span
 * counter, spans, scheduled points and avail_time iteration state (Fluxion's
 * planners_equal, used to check that cancel restores the prior state). */
bool planner_is_equal(const planner_t *a, const planner_t *b);

/* True if 'a' and 'b' plan the same: as planner_is_equal() but ignoring the
 * span id counter and the avail_time iteration, so allocate + cancel gives a
 * planner in the same state as before (planner_is_equal() would see the
 * counter move). */
bool planner_is_same_state(const planner_t *a, const planner_t *b);

/* Number of scheduled points (>= 1 unless empty).  For tests and statistics. */
size_t planner_point_count(const planner_t *p);

/* Check every internal invariant (tree balance, aggregates, counts, pools).
 * Returns 0 or ENG_ESTATE.  O(n); for tests. */
int planner_check(const planner_t *p);

ENG_END_DECLS

#endif /* ENG_PLANNER_H */
