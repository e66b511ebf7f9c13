/* planner_private.h: internals shared by planner.c, planner_tree.c and
 * planner_multi.c.  Never installed.
 *
 * The scheduled points of one planner live in an AVL tree ordered by time.
 * Instead of storing each point's free count, a point stores the change from
 * its predecessor, so a span touches two points (its start and its end) and
 * not every point it covers:
 *
 *   d(p)  = rem(pred p) - rem(p)      (rem(before the first point) = 0)
 *   rem(p) = -(d(first) + ... + d(p)) = -pref(p)
 *
 * and likewise 'ds' for the scheduled count.  Each subtree keeps the sum of
 * its d and the maximum prefix within it, so "fewest free units in a window"
 * and "first point at or after t with fewer than n free" are O(log n)
 * descents.
 *
 * Fluxion also keeps every point in a second tree keyed by the free count it
 * had when last (re)inserted there (its "mt key"), and answers avail_time
 * from those keys.  The key normally equals rem; planner_update_total()
 * changes rem but not the key, and Fluxion's results then follow the stale
 * key.  We keep 'off' = key - rem per point (0 unless stale) and the minimum
 * of pref - off per subtree, which gives "first point at or after t whose key
 * is >= n" in O(log n) on the same tree: one tree instead of two, and no
 * removal/reinsertion of points while iterating.
 *
 * Most planners are tiny: a core's planner holds its base point, the running
 * job's two points and perhaps a reservation's.  For them the tree's
 * aggregates cost more than they save, so a point set (struct pt_set) keeps
 * up to 'small_max' points in a plain sorted array of absolute values and
 * answers every query by a linear scan; it moves its points into the tree
 * when it would grow past that, and back when a removal leaves at most half
 * of it.  Both forms give the same answers (tests drive them side by side). */
#ifndef ENG_PLANNER_PRIVATE_H
#define ENG_PLANNER_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "planner.h"
#include "planner_multi.h"

/* Totals above this are ENG_ELIMIT: prefix sums of differences of counts
 * must not overflow int64_t. */
#define PLANNER_TOTAL_MAX (INT64_MAX / 4)

struct pt_node {
    int64_t at;        /* time of the point (unique key) */
    int64_t d, ds;     /* differences of rem and of scheduled, see above */
    int64_t off;       /* mt key - rem; nonzero only after update_total */
    int64_t sum;       /* subtree: sum of d */
    int64_t sum_s;     /* subtree: sum of ds */
    int64_t max_pref;  /* subtree: max over nodes of the prefix of d within it */
    int64_t min_po;    /* subtree: min over nodes of (prefix of d) - off */
    int64_t min_pref;  /* subtree: min prefix of d (for the largest rem) */
    int64_t min_spref; /* subtree: min prefix of ds (the smallest scheduled) */
    int32_t left, right;
    int32_t height;
    int32_t ref;     /* spans starting or ending here (+1 for the base point) */
    int32_t n_stale; /* subtree: nodes with off != 0 */
    int32_t pad_;
};

/* Pool of nodes addressed by index; index 0 is the nil sentinel, so the
 * pool can grow by realloc without invalidating links. */
struct pt_tree {
    struct pt_node *n;
    int32_t cap;  /* allocated nodes, sentinel included */
    int32_t used; /* high-water mark */
    int32_t root;
    int32_t free_head; /* free list linked through 'left' */
    int32_t count;     /* live points */
};

/* Values of one point, as the API sees them. */
struct pt_values {
    int64_t at, rem, sched, key;
    int32_t ref;
};

int planner__pt_init(struct pt_tree *t);
void planner__pt_fini(struct pt_tree *t);
void planner__pt_clear(struct pt_tree *t);
int planner__pt_copy(struct pt_tree *dst, const struct pt_tree *src);
/* Make room for 'extra' more points; ENG_ENOMEM leaves 't' unchanged. */
int planner__pt_reserve(struct pt_tree *t, int32_t extra);

/* Insert the first point at 'at' with 'rem' free units ('t' empty). */
void planner__pt_insert_base(struct pt_tree *t, int64_t at, int64_t rem);
/* Index of the point at exactly 'at', or 0. */
int32_t planner__pt_find(const struct pt_tree *t, int64_t at);
/* The last point at or before 'at' (the state at 'at') into '*v'; 0 if none. */
int32_t planner__pt_floor(const struct pt_tree *t, int64_t at, struct pt_values *v);
/* The first point strictly after 'at'; 0 if none. */
int32_t planner__pt_next(const struct pt_tree *t, int64_t at);
/* planner__pt_get_or_insert() and planner__pt_plan() at one point in one
 * descent: reference the point at 'at' and add 'dd' to its d and ds. */
void planner__pt_ref_add(struct pt_tree *t, int64_t at, int64_t dd);
/* Add 'dd' to the d and ds of the point at 'at' and drop a reference,
 * removing it (keeping its successors' states) when none is left; one
 * descent. */
void planner__pt_ref_drop(struct pt_tree *t, int64_t at, int64_t dd);
/* rem -= 'used' and scheduled += 'used' on [from, to): two point updates.
 * Points at 'from' and 'to' must exist. */
void planner__pt_plan(struct pt_tree *t, int64_t from, int64_t to, int64_t used);
/* Re-key (off = 0) every stale point in [from, to). */
void planner__pt_rekey_range(struct pt_tree *t, int64_t from, int64_t to);
/* Re-key every stale point at or before 'upto' whose key is >= 'req'. */
void planner__pt_rekey_consumed(struct pt_tree *t, int64_t upto, int64_t req);
/* First point at or after 'lo' whose key is >= 'req'; 0 if none. */
int32_t planner__pt_first_key_ge(const struct pt_tree *t, int64_t lo, int64_t req);
/* Last point whose key is >= 'req'; 0 if none. */
int32_t planner__pt_last_key_ge(const struct pt_tree *t, int64_t req);
/* First point at or after 'lo' with rem < 'req'; 0 if none. */
int32_t planner__pt_first_rem_lt(const struct pt_tree *t, int64_t lo, int64_t req);
/* Last point at or before 'hi' with rem < 'req'; 0 if none. */
int32_t planner__pt_last_rem_lt(const struct pt_tree *t, int64_t hi, int64_t req);
/* First point at or after 'lo' with rem > 'limit' or scheduled < 'amount';
 * 0 if none. */
int32_t planner__pt_first_over(const struct pt_tree *t, int64_t lo, int64_t limit,
                               int64_t amount);
/* Fewest free units over the points in [lo, hi]; INT64_MAX if none. */
int64_t planner__pt_min_rem(const struct pt_tree *t, int64_t lo, int64_t hi);
/* rem = max(0, rem + delta) at every point, keys unchanged.  O(n). */
void planner__pt_shift_all(struct pt_tree *t, int64_t delta);
/* In-order walk: calls 'fn' with each point's values until it returns
 * nonzero, which is returned. */
int planner__pt_walk(const struct pt_tree *t, int (*fn)(const struct pt_values *, void *),
                     void *arg);
/* 0 if every invariant holds, else ENG_ESTATE. */
int planner__pt_check(const struct pt_tree *t);

/* One point of the small form: absolute values, key = rem + off. */
struct pt_flat {
    int64_t at, rem, sched, off;
    int32_t ref;
    int32_t pad_;
};

/* Default largest point count of the small form.  By bench_planner, scans
 * of up to 64 points beat the tree's descents and aggregate updates (span
 * add + remove at 60 points: ~350 ns flat, ~750 ns tree). */
enum { PT_SMALL_MAX = 64 };

/* Points of the small form kept inside the planner itself: a query then
 * touches one or two cache lines of the planner and nothing else. */
enum { PT_INLINE = 4 };

/* The scheduled points of one planner, in one of two forms.  Holds a
 * pointer into itself: move it with planner__ps_move(), not by assignment. */
struct pt_set {
    struct pt_flat *a; /* small form: points sorted by time ('inl' or heap) */
    int32_t n, cap;    /* small form: points, capacity of 'a' */
    int32_t nstale;    /* small form: points with off != 0 */
    int32_t small_max; /* go to the tree above this many points */
    bool big;          /* the points are in 'tree' ('a' keeps its memory) */
    struct pt_flat inl[PT_INLINE];
    struct pt_tree tree; /* allocated when first needed */
};

/* Build a balanced tree of the 'n' sorted points 'a' into the empty 't',
 * which has room for them. */
void planner__pt_build(struct pt_tree *t, const struct pt_flat *a, int32_t n);

/* Point-set operations: the planner.c view.  Times are >= 0, so "none" is
 * -1.  Same contracts as the planner__pt_* functions above. */
void planner__ps_init(struct pt_set *s);
void planner__ps_fini(struct pt_set *s);
void planner__ps_clear(struct pt_set *s);
/* Deep copy of 'src' into the unused 'dst'; 0, or ENG_ENOMEM with nothing
 * to release in 'dst'. */
int planner__ps_copy(struct pt_set *dst, const struct pt_set *src);
/* Move the set 'src' into the unused 'dst' ('src' is then unused). */
void planner__ps_move(struct pt_set *dst, struct pt_set *src);
int planner__ps_reserve(struct pt_set *s, int32_t extra);
int32_t planner__ps_count(const struct pt_set *s);
bool planner__ps_has_stale(const struct pt_set *s);
void planner__ps_insert_base(struct pt_set *s, int64_t at, int64_t rem);
bool planner__ps_has(const struct pt_set *s, int64_t at);
bool planner__ps_floor(const struct pt_set *s, int64_t at, struct pt_values *v);
int64_t planner__ps_next(const struct pt_set *s, int64_t at);
/* A span of 'used' units on [from, to): reference (inserting if needed) the
 * points at 'from' and 'to', plan the units and re-key the range.  Room
 * must have been reserved; 'from' is at or after the first point. */
void planner__ps_span_add(struct pt_set *s, int64_t from, int64_t to, int64_t used);
/* Undo planner__ps_span_add(): give the units back, re-key the range, and
 * drop the two references (removing points nobody references). */
void planner__ps_span_remove(struct pt_set *s, int64_t from, int64_t to, int64_t used);
void planner__ps_plan(struct pt_set *s, int64_t from, int64_t to, int64_t used);
void planner__ps_rekey_range(struct pt_set *s, int64_t from, int64_t to);
void planner__ps_rekey_consumed(struct pt_set *s, int64_t upto, int64_t req);
int64_t planner__ps_first_key_ge(const struct pt_set *s, int64_t lo, int64_t req);
int64_t planner__ps_last_key_ge(const struct pt_set *s, int64_t req);
int64_t planner__ps_last_rem_lt(const struct pt_set *s, int64_t hi, int64_t req);
int64_t planner__ps_first_over(const struct pt_set *s, int64_t lo, int64_t limit,
                               int64_t amount);
/* Whether some instant of [at, end) has fewer than 'req' free units: the
 * state at 'at' or any point in (at, end).  'at' is at or after the first
 * point. */
bool planner__ps_busy(const struct pt_set *s, int64_t at, int64_t end, int64_t req);
/* Fewest free units at any instant of [at, end) ('at' as above). */
int64_t planner__ps_min_during(const struct pt_set *s, int64_t at, int64_t end);
void planner__ps_shift_all(struct pt_set *s, int64_t delta);
int planner__ps_walk(const struct pt_set *s, int (*fn)(const struct pt_values *, void *),
                     void *arg);
int planner__ps_check(const struct pt_set *s);
/* See planner__set_small_max(). */
int planner__ps_set_small_max(struct pt_set *s, int32_t small_max);

/* For tests: make 'p' keep at most 'small_max' points in the small form
 * (0: always the tree; INT32_MAX: never the tree), converting now if
 * needed.  Returns 0 or ENG_ENOMEM (then 'p' is unchanged). */
int planner__set_small_max(planner_t *p, int32_t small_max);

/* planner_span_add(); '*refused' says whether the failure was one that
 * Fluxion's multi-planner charges a span id for: no room in the window, or
 * a window outside the planner (ENG_EBUSY, ENG_ELIMIT, or ENG_EINVAL for
 * a bad window or a start before the base time). */
int64_t planner__span_add_try(planner_t *p, int64_t start, int64_t duration,
                              int64_t request, bool *refused);

/* planner__reserve() when the inline test finds no room. */
int planner__reserve_slow(planner_t *p);

/* For the out-edge weights, in one call: the number of types of 'mp' (0
 * for NULL), and when not 0 planner_multi_avail_resources_at() of the
 * last type at 'at' in '*avail' and planner_multi_span_count() in
 * '*nspans'. */
size_t planner_multi__last_at(const planner_multi_t *mp, int64_t at, int64_t *avail,
                              size_t *nspans);

/* For the traversal's pruning test: planner_multi_avail_during() for the
 * requests counts[ix[i + 1]] (0 where ix[i + 1] < 0), i < ix[0] (a subplan
 * index table, see prune__relevant()), without copying them out first. */
int planner_multi__avail_during_ix(const planner_multi_t *mp, int64_t at,
                                   int64_t duration, const int32_t *ix,
                                   const int64_t *counts);

/* planner_multi__avail_during_ix() without the multi-span 'span_id' (see
 * planner__avail_during_without() below). */
int planner_multi__avail_during_ix_without(const planner_multi_t *mp, int64_t at,
                                           int64_t duration, const int32_t *ix,
                                           const int64_t *counts, int64_t span_id);

/* ---- the planner itself (planner.c), and its hottest queries inline ------- */

/* The queries below are meant to be inlined into their callers' loops. */
#if defined(__GNUC__)
#define PLANNER_INLINE static inline __attribute__((always_inline))
#else
#define PLANNER_INLINE static inline
#endif

struct span {
    int64_t id; /* < 0: tombstone of id -id */
    int64_t start, last, planned;
};

/* Spans kept inside the planner: a vertex rarely has more at once. */
enum { SPAN_INLINE = 2 };

/* Every query reads the first fields and the set's inline points, so they
 * come first; one allocation holds a small planner whole.  Defined here so
 * that planner_multi.c and the traversal's pruning checks, which ask a
 * planner about a window at nearly every vertex they visit, can do it
 * without three calls (the call overhead was most of the cost of a query of
 * a core's planner of three points). */
struct planner {
    int64_t total, base, end;
    /* Memo of the window queries: no unit is free at any time in [zlo,
     * zhi), between two points (zlo >= zhi: nothing known).  A busy vertex
     * is asked about again and again at the same time, by each select of a
     * scheduling pass, and the answer is then a comparison.  Any change of
     * the points forgets it (planner__memo_clear()). */
    int64_t zlo, zhi;
    struct pt_set pts;
    struct span *spans; /* sorted by id, tombstones included ('span_inl' or heap) */
    size_t nspans, cap_spans, ndead;
    int64_t span_counter;
    struct plan_sink *sink; /* NULL: changes are told to nobody */
    int64_t span_cursor;    /* last id returned by span_first/next */
    /* avail_time iteration (Fluxion's current request and tracked points) */
    bool iter_set;  /* a request is stored */
    bool consumed;  /* some candidate points were examined */
    int64_t cursor; /* ... all candidates at or before it (INT64_MAX: all) */
    int64_t req_on_or_after, req_duration, req_count;
    char *type;
    struct span span_inl[SPAN_INLINE];
};

/* at + duration > end, without overflow ('duration' >= 1). */
PLANNER_INLINE bool planner__past_end(int64_t at, int64_t duration, int64_t end)
{
    if (at > end)
        return true;
    if (at < 0) /* end >= 0: end - at could overflow, at + duration cannot */
        return at + duration > end;
    return duration > end - at;
}

/* at + duration, saturated at INT64_MAX. */
PLANNER_INLINE int64_t planner__window_end(int64_t at, int64_t duration)
{
    return at > 0 && duration > INT64_MAX - at ? INT64_MAX : at + duration;
}

/* Small form: index of the first point after 'at' ('strict') or at or
 * after it; n if none.  A binary search whose steps compile to conditional
 * moves (the points' times are distinct and increasing): fewer instructions
 * than a scan of the last few points, and no mispredicted branch. */
PLANNER_INLINE int32_t planner__flat_search(const struct pt_set *s, int64_t at,
                                            bool strict)
{
    const struct pt_flat *a = s->a;
    int32_t base = 0, n = s->n;
    while (n > 0) {
        int32_t half = n / 2;
        int64_t t = a[base + half].at;
        bool before = strict ? t <= at : t < at;
        base = before ? base + half + 1 : base;
        n = before ? n - half - 1 : half;
    }
    return base;
}

/* ---- the small form's span steps, inline (planner_points.c, planner.c) ---- */

/* Reference the point at 'to' given 'j', the index of the first point at
 * or after it, once the points before it were planned 'used' units: a new
 * point takes its predecessor's state from before that plan, as
 * planner__flat_ref_add() before the plan would have given it. */
PLANNER_INLINE void planner__flat_ref_add_planned(struct pt_set *s, int32_t j, int64_t to,
                                                  int64_t used)
{
    if (j < s->n && s->a[j].at == to) {
        s->a[j].ref++;
        return;
    }
    for (int32_t k = s->n; k > j; k--) /* a few points: no memmove call */
        s->a[k] = s->a[k - 1];
    const struct pt_flat *p = &s->a[j - 1];
    s->a[j] = (struct pt_flat){to, p->rem + used, p->sched - used, 0, 1, 0};
    s->n++;
}

/* Reference the point at 'at' given 'i', the index of the first point at or
 * after it, inserting it (with its predecessor's state and a fresh key) if
 * needed; there is room. */
PLANNER_INLINE void planner__flat_ref_add(struct pt_set *s, int32_t i, int64_t at)
{
    planner__flat_ref_add_planned(s, i, at, 0);
}

/* Drop a reference to the point at index 'i', removing it when none is
 * left. */
PLANNER_INLINE void planner__flat_ref_drop(struct pt_set *s, int32_t i)
{
    if (--s->a[i].ref)
        return;
    s->nstale -= s->a[i].off != 0;
    s->n--;
    for (; i < s->n; i++)
        s->a[i] = s->a[i + 1];
}

/* Plan 'used' units on the points from index 'i' up to 'to' and re-key
 * them.  Returns the index of the first point at or after 'to' (n if
 * none), which saves the callers a search for it. */
PLANNER_INLINE int32_t planner__flat_plan_rekey(struct pt_set *s, int32_t i, int64_t to,
                                                int64_t used)
{
    for (; i < s->n && s->a[i].at < to; i++) {
        struct pt_flat *x = &s->a[i];
        x->rem -= used;
        x->sched += used;
        if (x->off) {
            x->off = 0;
            s->nstale--;
        }
    }
    return i;
}

/* planner__ps_span_add() in the small form with room for two more points
 * (no move to the tree), given 'i', the index of the first point at or
 * after 'from'. */
PLANNER_INLINE void planner__flat_span_add(struct pt_set *s, int32_t i, int64_t from,
                                           int64_t to, int64_t used)
{
    /* 'to' lies after 'from' (a span lasts at least 1): inserting it
     * leaves the index of 'from' as it was */
    planner__flat_ref_add(s, i, from);
    /* the walk that plans [from, to) ends where 'to' goes: one search */
    planner__flat_ref_add_planned(s, planner__flat_plan_rekey(s, i, to, used), to, used);
}

/* planner__ps_span_remove() in the small form. */
PLANNER_INLINE void planner__flat_span_remove(struct pt_set *s, int64_t from, int64_t to,
                                              int64_t used)
{
    /* dropping 'to' leaves the index of 'from' as it was */
    int32_t i = planner__flat_search(s, from, false);
    planner__flat_ref_drop(s, planner__flat_plan_rekey(s, i, to, -used)); /* at 'to' */
    planner__flat_ref_drop(s, i);
}

PLANNER_INLINE int32_t planner__ps_count_inl(const struct pt_set *s)
{
    return s->big ? s->tree.count : s->n;
}

static inline void planner__memo_clear(planner_t *p)
{
    p->zlo = p->zhi = 0;
}

/* planner__ps_reserve() without the call when the small form has room. */
PLANNER_INLINE int planner__ps_reserve_inl(struct pt_set *s, int32_t extra)
{
    if (!s->big && s->n <= s->cap - extra && s->n <= s->small_max - extra)
        return 0;
    return planner__ps_reserve(s, extra);
}

PLANNER_INLINE bool planner__memo_busy(const planner_t *p, int64_t at)
{
    return at >= p->zlo && at < p->zhi;
}

/* Note that nothing is free from the small form's point 'i' to the next.
 * The queries take a const planner: the memo is a cache of what the points
 * say (the planner is never const itself; one handle, one thread). */
PLANNER_INLINE void planner__memo_set(const planner_t *p, int32_t i)
{
    const struct pt_set *s = &p->pts;
    planner_t *w = (planner_t *)p;
    w->zlo = s->a[i].at;
    w->zhi = i + 1 < s->n ? s->a[i + 1].at : INT64_MAX;
}

/* Whether fewer than 'req' units are free somewhere from the small form's
 * point 'i' (the state at the window's start) until 'end'.  No point holds
 * less than 0 free: one that holds 0 is busy for every request. */
PLANNER_INLINE bool planner__flat_busy_from(const planner_t *p, int32_t i, int64_t end,
                                            int64_t req)
{
    const struct pt_set *s = &p->pts;
    if (s->a[i].rem == 0)
        planner__memo_set(p, i);
    for (; i < s->n && s->a[i].at < end; i++)
        if (s->a[i].rem < req)
            return true;
    return false;
}

/* planner__ps_busy() on the points of 'p', the small form inline. */
PLANNER_INLINE bool planner__busy_inl(const planner_t *p, int64_t at, int64_t end,
                                      int64_t req)
{
    const struct pt_set *s = &p->pts;
    if (s->big)
        return planner__ps_busy(s, at, end, req);
    /* the state at 'at' is the last point at or before it */
    return planner__flat_busy_from(p, planner__flat_search(s, at, true) - 1, end, req);
}

/* planner__ps_min_during() on the points of 'p', the small form inline. */
PLANNER_INLINE int64_t planner__min_during_inl(const planner_t *p, int64_t at,
                                               int64_t end)
{
    const struct pt_set *s = &p->pts;
    if (s->big)
        return planner__ps_min_during(s, at, end);
    int32_t i = planner__flat_search(s, at, true) - 1;
    int64_t best = s->a[i].rem;
    if (best == 0) {
        planner__memo_set(p, i);
        return 0;
    }
    for (i++; i < s->n && s->a[i].at < end && best > 0; i++)
        if (s->a[i].rem < best)
            best = s->a[i].rem;
    return best;
}

/* planner_avail_during() (see planner.h), inline. */
PLANNER_INLINE int planner__avail_during(const planner_t *p, int64_t at, int64_t duration,
                                         int64_t request)
{
    if (!p || duration < 1 || request < 0)
        return ENG_EINVAL;
    if (request > p->total || planner__past_end(at, duration, p->end))
        return ENG_ELIMIT;
    /* Before the base point Fluxion checks nothing (and an empty planner
     * never gets here: every window runs past its end). */
    if (at < p->base || !planner__ps_count_inl(&p->pts))
        return 0;
    /* No point ever holds less than 0 (additions are checked, a lowered
     * total clamps at 0) and, with no live span, less than the total (every
     * point is the total, raised where a clamp took effect): either way no
     * point can be below 'request', and the search is skipped. */
    if (request == 0 || p->nspans == p->ndead)
        return 0;
    if (planner__memo_busy(p, at))
        return ENG_EBUSY;
    return planner__busy_inl(p, at, planner__window_end(at, duration), request)
               ? ENG_EBUSY
               : 0;
}

/* planner_avail_resources_during() (see planner.h), inline. */
PLANNER_INLINE int64_t planner__avail_resources_during(const planner_t *p, int64_t at,
                                                       int64_t duration)
{
    if (!p || at > p->end || duration < 1)
        return ENG_EINVAL;
    if (planner__past_end(at, duration, p->end))
        return ENG_ELIMIT;
    if (at < p->base || !planner__ps_count_inl(&p->pts))
        return ENG_EINVAL;
    if (planner__memo_busy(p, at))
        return 0;
    return planner__min_during_inl(p, at, planner__window_end(at, duration));
}

/* planner_avail_resources_at() (see planner.h), the small form inline. */
PLANNER_INLINE int64_t planner__avail_resources_at(const planner_t *p, int64_t at)
{
    if (!p)
        return ENG_EINVAL;
    if (at > p->end || at < p->base)
        return ENG_ELIMIT;
    const struct pt_set *s = &p->pts;
    if (s->big) {
        struct pt_values v;
        return planner__ps_floor(s, at, &v) ? v.rem : ENG_EINVAL;
    }
    int32_t i = planner__flat_search(s, at, true) - 1;
    return i < 0 ? ENG_EINVAL : s->a[i].rem;
}

/* planner__span_find() past its first guess: a binary search. */
ptrdiff_t planner__span_search(const planner_t *p, int64_t id);

/* Index of live span 'id' in p->spans, or -1.  The span asked for is most
 * often the newest (a reservation dropped at the next pass, a job cancelled
 * on a vertex that saw no later span): that guess is inline. */
PLANNER_INLINE ptrdiff_t planner__span_find(const planner_t *p, int64_t id)
{
    size_t n = p->nspans;
    if (id >= 1 && n && p->spans[n - 1].id == id)
        return (ptrdiff_t)(n - 1);
    /* next most often the one before it: a kept reservation (eng_replan.c)
     * with the allocation of a job started since */
    if (id >= 1 && n > 1 && p->spans[n - 2].id == id)
        return (ptrdiff_t)(n - 2);
    return planner__span_search(p, id);
}

/* A reservation kept for its job's next match is invisible to that match's
 * select (eng_replan.c): the two queries below answer as if the live span
 * 'span_id' were not planned (an id not live: as the plain query).
 * planner__avail_without() takes 'avail', planner_avail_resources_during()
 * for the same window, and returns the count without the span: the least of
 * what is free outside the span's part of the window and what is free
 * inside it plus what the span holds (removing a span adds its count back
 * over its interval, nothing else).  planner__avail_during_without() is
 * planner_avail_during() without it.  Inline: the select asks them at every
 * vertex of the reservation. */
PLANNER_INLINE int64_t planner__avail_without(const planner_t *p, int64_t at,
                                              int64_t duration, int64_t span_id,
                                              int64_t avail)
{
    ptrdiff_t k = avail < 0 || !p || span_id < 1 ? -1 : planner__span_find(p, span_id);
    if (k < 0)
        return avail;
    const struct span *s = &p->spans[k];
    int64_t end = planner__window_end(at, duration);
    int64_t lo = at > s->start ? at : s->start, hi = end < s->last ? end : s->last;
    if (lo >= hi)
        return avail; /* the span is outside the window */
    /* the window's least free count: inside the span's part, what is free
     * there plus what the span holds; outside it, what is free (a span
     * over the whole window: 'avail' is what is free in its part) */
    if (lo == at && hi == end)
        return avail + s->planned;
    int64_t best = planner__avail_resources_during(p, lo, hi - lo);
    if (best < 0)
        return best;
    best += s->planned;
    int64_t side[2][2] = {{at, lo - at}, {hi, end - hi}};
    for (int i = 0; i < 2; i++) {
        if (side[i][1] < 1)
            continue;
        int64_t n = planner__avail_resources_during(p, side[i][0], side[i][1]);
        if (n < 0)
            return n;
        best = n < best ? n : best;
    }
    return best;
}

PLANNER_INLINE int planner__avail_during_without(const planner_t *p, int64_t at,
                                                 int64_t duration, int64_t request,
                                                 int64_t span_id)
{
    /* a request of nothing is never refused for want of units: the span
     * cannot matter, and is not looked up */
    ptrdiff_t k = request == 0 || span_id < 1 || !p ? -1 : planner__span_find(p, span_id);
    const struct span *s = k >= 0 ? &p->spans[k] : NULL;
    int64_t end = planner__window_end(at, duration);
    if (s && request <= s->planned && s->start <= at && end <= s->last) {
        /* without the span, the window holds at least the span's count
         * everywhere: only planner__avail_during()'s checks of the
         * arguments, which come before it reads any point, can refuse */
        if (duration < 1 || request < 0)
            return ENG_EINVAL;
        if (request > p->total || planner__past_end(at, duration, p->end))
            return ENG_ELIMIT;
        return 0;
    }
    int rc = planner__avail_during(p, at, duration, request);
    if (rc != ENG_EBUSY || !s)
        return rc;
    int64_t lo = at > s->start ? at : s->start, hi = end < s->last ? end : s->last;
    if (lo >= hi)
        return rc;
    /* inside the span's part of the window the span's count is free too */
    if (request > s->planned &&
        (rc = planner__avail_during(p, lo, hi - lo, request - s->planned)))
        return rc;
    if (lo > at && (rc = planner__avail_during(p, at, lo - at, request)))
        return rc;
    if (end > hi && (rc = planner__avail_during(p, hi, end - hi, request)))
        return rc;
    return 0;
}

/* Put back the points examined by the last avail_time query (Fluxion's
 * restore_track_points): they re-enter the min-time tree keyed by their
 * current free count, which matters only for stale keys.  Moves no point. */
PLANNER_INLINE void planner__restore_tracked(planner_t *p)
{
    if (p->consumed && planner__ps_has_stale(&p->pts))
        planner__ps_rekey_consumed(&p->pts, p->cursor, p->req_count);
    p->consumed = false;
}

/* Make room for one more span and two points, so that a following
 * planner__span_add_hinted() cannot fail.  0 or ENG_ENOMEM. */
PLANNER_INLINE int planner__reserve(planner_t *p)
{
    const struct pt_set *s = &p->pts;
    if (!s->big && s->n <= s->cap - 2 && s->n <= s->small_max - 2 &&
        p->nspans < p->cap_spans)
        return 0;
    return planner__reserve_slow(p);
}

/* planner_span_add()'s checks: planner_avail_during() for the window, then
 * ENG_EINVAL for a start before the base time.  On success '*hint' is a
 * hint for planner__span_add_hinted() (the index of the first point at or
 * after 'start' in the small form, else -1), valid until the points change
 * (planner__reserve() keeps it). */
PLANNER_INLINE int planner__span_check(planner_t *p, int64_t start, int64_t duration,
                                       int64_t request, int32_t *hint)
{
    const struct pt_set *s = &p->pts;
    *hint = -1;
    if (s->big || s->n < 1 || start < p->base || duration < 1 || request < 0 ||
        request > p->total || planner__past_end(start, duration, p->end)) {
        int rc = planner__avail_during(p, start, duration, request);
        return !rc && start < p->base ? ENG_EINVAL : rc;
    }
    /* planner__avail_during() from its point search on, with the search
     * kept: the point at or before 'start' (the first is at the base) */
    int32_t i = planner__flat_search(s, start, true) - 1;
    if (request != 0 && p->nspans != p->ndead &&
        (planner__memo_busy(p, start) ||
         planner__flat_busy_from(p, i, planner__window_end(start, duration), request)))
        return ENG_EBUSY;
    *hint = s->a[i].at == start ? i : i + 1;
    return 0;
}

/* Tell the sink of 'p' that the time [start, last) changed. */
PLANNER_INLINE void planner__sink_note(const planner_t *p, int64_t start, int64_t last)
{
    if (p->sink)
        plan_sink_note(p->sink, start, last);
}

/* planner_span_add() without its checks, once planner__span_check()
 * returned 0 and 'hint' for the same arguments and planner__reserve()
 * succeeded (so nothing can fail).  Returns the id. */
PLANNER_INLINE int64_t planner__span_add_hinted(planner_t *p, int64_t start,
                                                int64_t duration, int64_t request,
                                                int32_t hint)
{
    struct pt_set *s = &p->pts;
    int64_t last = start + duration; /* <= end: checked */
    planner__restore_tracked(p);
    planner__memo_clear(p);
    /* in the small form with room for both points (no move to the tree)
     * the first goes at 'hint', where planner__ps_span_add() would search */
    if (hint >= 0 && !s->big && s->n <= s->small_max - 2)
        planner__flat_span_add(s, hint, start, last, request);
    else
        planner__ps_span_add(s, start, last, request);
    p->iter_set = false;
    planner__sink_note(p, start, last);
    struct span *sp = &p->spans[p->nspans++];
    sp->id = ++p->span_counter;
    sp->start = start;
    sp->last = last;
    sp->planned = request;
    return sp->id;
}

/* Drop trailing tombstones at once (the newest span is the one most often
 * removed), and all of them once they are half the array: amortised O(1),
 * and the array of a vertex planner stays within its inline room. */
PLANNER_INLINE void planner__spans_compact(planner_t *p)
{
    while (p->nspans && p->spans[p->nspans - 1].id < 0) {
        p->nspans--;
        p->ndead--;
    }
    if (p->ndead * 2 < p->nspans || !p->ndead)
        return;
    size_t k = 0;
    for (size_t i = 0; i < p->nspans; i++)
        if (p->spans[i].id > 0)
            p->spans[k++] = p->spans[i];
    p->nspans = k;
    p->ndead = 0;
}

/* planner_span_remove() of the live span at index 'i' of p->spans. */
PLANNER_INLINE void planner__span_remove_at(planner_t *p, size_t i)
{
    struct span s = p->spans[i];
    planner__sink_note(p, s.start, s.last);
    planner__restore_tracked(p);
    planner__memo_clear(p);
    if (p->pts.big)
        planner__ps_span_remove(&p->pts, s.start, s.last, s.planned);
    else
        planner__flat_span_remove(&p->pts, s.start, s.last, s.planned);
    p->spans[i].id = -s.id;
    p->ndead++;
    p->iter_set = false;
    planner__spans_compact(p);
}

#endif /* ENG_PLANNER_PRIVATE_H */
