/* planner.c: one resource pool over integer time (see planner.h).
 *
 * Scheduled points live in a point set (planner_points.c: a flat array
 * while small, else the augmented tree of planner_tree.c).  Spans are
 * kept in an array sorted by id: ids only grow, so adding is an append,
 * lookup a binary search, and iteration in id order (Fluxion iterates a
 * std::map) is a scan.  Removal leaves a tombstone; the array is compacted
 * when tombstones outnumber live spans, so removal is O(log s) amortised.
 *
 * avail_time iteration.  Fluxion takes each candidate point out of its
 * min-time tree as it examines it and puts them all back on the next
 * update.  Candidates come out in increasing time, so the examined set is
 * always "every candidate up to the last one examined": we keep that time
 * (the cursor) instead of moving points, and skip ahead with one O(log n)
 * query per blocked window rather than examining each candidate inside it. */
#include <stdlib.h>
#include <string.h>

#include "planner.h"
#include "planner_private.h"

static planner_t *alloc_planner(const char *type, eng_error_t *err)
{
    planner_t *p = calloc(1, sizeof(*p));
    if (p && (p->type = strdup(type))) {
        planner__ps_init(&p->pts);
        p->spans = p->span_inl;
        p->cap_spans = SPAN_INLINE;
        return p;
    }
    if (p)
        free(p->type);
    free(p);
    eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "planner: out of memory");
    return NULL;
}

/* Start over with only the base point (span ids restart at 1). */
static void restart(planner_t *p, int64_t base, int64_t duration)
{
    planner__ps_clear(&p->pts);
    planner__memo_clear(p);
    p->base = base;
    p->end = base + duration;
    p->nspans = p->ndead = 0;
    p->span_counter = 0;
    p->span_cursor = 0;
    p->iter_set = p->consumed = false;
    planner__ps_insert_base(&p->pts, base, p->total);
}

planner_t *planner_create(int64_t base_time, int64_t duration, int64_t total,
                          const char *type, eng_error_t *err)
{
    eng_error_clear(err);
    if (base_time < 0 || duration < 1 || total < 0 || !type ||
        duration > INT64_MAX - base_time) {
        eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "planner: invalid argument");
        return NULL;
    }
    if (total > PLANNER_TOTAL_MAX) {
        eng_errorf(err, ENG_ELIMIT, NULL, 0, 0, "planner: total %lld too large",
                   (long long)total);
        return NULL;
    }
    planner_t *p = alloc_planner(type, err);
    if (!p)
        return NULL;
    p->total = total;
    restart(p, base_time, duration);
    return p;
}

planner_t *planner_create_empty(eng_error_t *err)
{
    eng_error_clear(err);
    return alloc_planner("", err);
}

void planner_destroy(planner_t *p)
{
    if (!p)
        return;
    planner__ps_fini(&p->pts);
    if (p->spans != p->span_inl)
        free(p->spans);
    free(p->type);
    free(p);
}

/* A change that may touch any time. */
static void sink_all(const planner_t *p)
{
    if (p->sink)
        p->sink->all = true;
}

/* Copy 'src' into the fresh parts 'pts', 'spans', 'type', then 'dst'. */
int planner_assign(planner_t *dst, const planner_t *src)
{
    if (!dst || !src)
        return ENG_EINVAL;
    if (dst == src)
        return 0;
    struct pt_set pts;
    struct span *spans = NULL;
    char *type = strdup(src->type);
    size_t cap = src->nspans > SPAN_INLINE ? src->cap_spans : SPAN_INLINE;
    if (cap > SPAN_INLINE)
        spans = malloc(cap * sizeof(*spans));
    if (!type || (cap > SPAN_INLINE && !spans) || planner__ps_copy(&pts, &src->pts)) {
        free(type);
        free(spans);
        return ENG_ENOMEM;
    }
    planner__ps_fini(&dst->pts);
    if (dst->spans != dst->span_inl)
        free(dst->spans);
    free(dst->type);
    struct plan_sink *sink = dst->sink;
    *dst = *src;
    dst->sink = sink; /* the copy's owner is told, not the original's */
    sink_all(dst);
    planner__ps_move(&dst->pts, &pts);
    dst->spans = spans ? spans : dst->span_inl;
    dst->cap_spans = cap;
    if (src->nspans)
        memcpy(dst->spans, src->spans, src->nspans * sizeof(*spans));
    dst->type = type;
    return 0;
}

planner_t *planner_copy(const planner_t *p, eng_error_t *err)
{
    eng_error_clear(err);
    if (!p) {
        eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "planner: invalid argument");
        return NULL;
    }
    planner_t *c = alloc_planner("", err);
    if (!c)
        return NULL;
    if (planner_assign(c, p)) {
        planner_destroy(c);
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "planner: out of memory");
        return NULL;
    }
    return c;
}

void planner__set_sink(planner_t *p, struct plan_sink *sink)
{
    if (p)
        p->sink = sink;
}

int planner_reset(planner_t *p, int64_t base_time, int64_t duration)
{
    if (!p || base_time < 0 || duration < 1 || duration > INT64_MAX - base_time)
        return ENG_EINVAL;
    sink_all(p);
    restart(p, base_time, duration);
    return 0;
}

int64_t planner_base_time(const planner_t *p)
{
    return p ? p->base : ENG_EINVAL;
}

int64_t planner_duration(const planner_t *p)
{
    return p ? p->end - p->base : ENG_EINVAL;
}

int64_t planner_resource_total(const planner_t *p)
{
    return p ? p->total : ENG_EINVAL;
}

const char *planner_resource_type(const planner_t *p)
{
    return p ? p->type : NULL;
}

static void restore_tracked(planner_t *p)
{
    planner__restore_tracked(p);
}

/* Fluxion's avail_at(): examine candidate points (key >= request) in time
 * order from the cursor; the first at or after on_or_after whose window has
 * no point with fewer than 'request' free wins. */
static int64_t avail_at(planner_t *p)
{
    const struct pt_set *t = &p->pts;
    int64_t req = p->req_count, dur = p->req_duration;
    int64_t lo = p->req_on_or_after;
    bool failed = false;
    if (p->consumed) {
        if (p->cursor == INT64_MAX)
            return ENG_ENOMATCH;
        if (p->cursor + 1 > lo)
            lo = p->cursor + 1;
    }
    for (;;) {
        int64_t at = planner__ps_first_key_ge(t, lo, req);
        if (at < 0)
            break;
        int64_t f = planner__ps_last_rem_lt(t, planner__window_end(at, dur) - 1, req);
        if (f >= at) {
            /* f, the last short point in the window, is in the window of
             * every candidate in [at, f]: Fluxion would examine and reject
             * each of them, so skip them all. */
            failed = true;
            lo = f + 1;
            continue;
        }
        p->consumed = true;
        p->cursor = at;
        return planner__past_end(at, dur, p->end) ? ENG_ENOMATCH : at;
    }
    p->consumed = true;
    p->cursor = INT64_MAX;
    /* Fluxion returns the last candidate it examined when all of them failed
     * (its loop leaves 'at' set).  Reachable only with stale keys. */
    if (failed)
        return planner__ps_last_key_ge(t, req);
    return ENG_ENOMATCH;
}

int64_t planner_avail_time_first(planner_t *p, int64_t on_or_after, int64_t duration,
                                 int64_t request)
{
    if (!p || on_or_after < p->base || on_or_after >= p->end || duration < 1 ||
        request < 0)
        return ENG_EINVAL;
    if (request > p->total)
        return ENG_ELIMIT;
    restore_tracked(p);
    p->iter_set = true;
    p->req_on_or_after = on_or_after;
    p->req_duration = duration;
    p->req_count = request;
    return avail_at(p);
}

int64_t planner_avail_time_next(planner_t *p)
{
    if (!p || !p->iter_set)
        return ENG_EINVAL;
    if (p->req_count > p->total)
        return ENG_ELIMIT;
    return avail_at(p);
}

int planner_avail_during(const planner_t *p, int64_t at, int64_t duration,
                         int64_t request)
{
    return planner__avail_during(p, at, duration, request);
}

int64_t planner_avail_resources_during(const planner_t *p, int64_t at, int64_t duration)
{
    return planner__avail_resources_during(p, at, duration);
}

int64_t planner_avail_resources_at(const planner_t *p, int64_t at)
{
    return planner__avail_resources_at(p, at);
}

ptrdiff_t planner__span_search(const planner_t *p, int64_t id)
{
    size_t lo = 0, hi = p->nspans;
    if (id < 1)
        return -1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t mid_id = p->spans[mid].id < 0 ? -p->spans[mid].id : p->spans[mid].id;
        if (mid_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < p->nspans && p->spans[lo].id == id)
        return (ptrdiff_t)lo;
    return -1;
}

static inline ptrdiff_t span_find(const planner_t *p, int64_t id)
{
    return planner__span_find(p, id);
}

static int spans_reserve(planner_t *p)
{
    if (p->nspans < p->cap_spans)
        return 0;
    size_t cap = p->cap_spans * 2;
    struct span *s = p->spans == p->span_inl ? malloc(cap * sizeof(*s))
                                             : realloc(p->spans, cap * sizeof(*s));
    if (!s)
        return ENG_ENOMEM;
    if (p->spans == p->span_inl)
        memcpy(s, p->span_inl, sizeof(p->span_inl));
    p->spans = s;
    p->cap_spans = cap;
    return 0;
}

int planner__reserve_slow(planner_t *p)
{
    int rc = planner__ps_reserve_inl(&p->pts, 2);
    return rc ? rc : spans_reserve(p);
}

int64_t planner__span_add_try(planner_t *p, int64_t start, int64_t duration,
                              int64_t request, bool *refused)
{
    *refused = false;
    if (!p || request < 0)
        return ENG_EINVAL;
    int32_t hint;
    int rc = planner__span_check(p, start, duration, request, &hint);
    if (rc) {
        *refused = true;
        return rc;
    }
    if ((rc = planner__reserve(p)))
        return rc;
    return planner__span_add_hinted(p, start, duration, request, hint);
}

int64_t planner_span_add(planner_t *p, int64_t start, int64_t duration, int64_t request)
{
    bool refused;
    return planner__span_add_try(p, start, duration, request, &refused);
}

int planner_span_remove(planner_t *p, int64_t span_id)
{
    if (!p)
        return ENG_EINVAL;
    ptrdiff_t i = span_find(p, span_id);
    if (i < 0)
        return ENG_ENOENT;
    planner__span_remove_at(p, (size_t)i);
    return 0;
}

int planner_span_reduce(planner_t *p, int64_t span_id, int64_t to_remove, bool *removed)
{
    if (removed)
        *removed = false;
    if (!p || to_remove < 0)
        return ENG_EINVAL;
    ptrdiff_t i = span_find(p, span_id);
    if (i < 0)
        return ENG_ENOENT;
    struct span *s = &p->spans[i];
    if (to_remove == s->planned) {
        if (removed)
            *removed = true;
        return planner_span_remove(p, span_id);
    }
    if (to_remove == 0)
        return 0;
    if (to_remove > s->planned)
        return ENG_EINVAL;
    /* Unlike add and remove, Fluxion leaves the iteration set here, so the
     * next avail_time_next starts again from the first candidate. */
    s->planned -= to_remove;
    planner__sink_note(p, s->start, s->last);
    restore_tracked(p);
    /* Fluxion stops updating at the first point that would go out of range
     * (free above the total or scheduled below 0, possible only after
     * planner_update_total) and leaves the later points as they were. */
    int64_t upto = s->last;
    int64_t q =
        planner__ps_first_over(&p->pts, s->start, p->total - to_remove, to_remove);
    if (q >= 0 && q < s->last)
        upto = planner__ps_next(&p->pts, q); /* exists: s->last is a point */
    planner__memo_clear(p);
    planner__ps_plan(&p->pts, s->start, upto, -to_remove);
    planner__ps_rekey_range(&p->pts, s->start, s->last);
    return 0;
}

static int64_t span_from(const planner_t *p, size_t i)
{
    while (i < p->nspans && p->spans[i].id < 0)
        i++;
    return i < p->nspans ? p->spans[i].id : ENG_ENOENT;
}

int64_t planner_span_first(planner_t *p)
{
    if (!p)
        return ENG_EINVAL;
    int64_t id = span_from(p, 0);
    p->span_cursor = id > 0 ? id : 0;
    return id;
}

int64_t planner_span_next(planner_t *p)
{
    if (!p)
        return ENG_EINVAL;
    /* first index whose id is above the cursor */
    size_t lo = 0, hi = p->nspans;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t id = p->spans[mid].id < 0 ? -p->spans[mid].id : p->spans[mid].id;
        if (id <= p->span_cursor)
            lo = mid + 1;
        else
            hi = mid;
    }
    int64_t id = span_from(p, lo);
    if (id > 0)
        p->span_cursor = id;
    return id;
}

size_t planner_span_count(const planner_t *p)
{
    return p ? p->nspans - p->ndead : 0;
}

bool planner_span_is_active(const planner_t *p, int64_t span_id)
{
    return p && span_find(p, span_id) >= 0;
}

static const struct span *span_get(const planner_t *p, int64_t span_id, int64_t *rc)
{
    ptrdiff_t i = p ? span_find(p, span_id) : -1;
    *rc = !p ? ENG_EINVAL : ENG_ENOENT;
    return i < 0 ? NULL : &p->spans[i];
}

int64_t planner_span_start(const planner_t *p, int64_t span_id)
{
    int64_t rc;
    const struct span *s = span_get(p, span_id, &rc);
    return s ? s->start : rc;
}

int64_t planner_span_duration(const planner_t *p, int64_t span_id)
{
    int64_t rc;
    const struct span *s = span_get(p, span_id, &rc);
    return s ? s->last - s->start : rc;
}

int64_t planner_span_planned(const planner_t *p, int64_t span_id)
{
    int64_t rc;
    const struct span *s = span_get(p, span_id, &rc);
    return s ? s->planned : rc;
}

int planner_update_total(planner_t *p, int64_t total)
{
    if (!p || total < 0)
        return ENG_EINVAL;
    if (total > PLANNER_TOTAL_MAX)
        return ENG_ELIMIT;
    int64_t delta = total - p->total;
    if (delta == 0)
        return 0;
    p->total = total;
    sink_all(p);
    planner__memo_clear(p);
    planner__ps_shift_all(&p->pts, delta);
    return 0;
}

size_t planner_point_count(const planner_t *p)
{
    return p ? (size_t)planner__ps_count(&p->pts) : 0;
}

/* Whether the point 'v' was examined by the current iteration (Fluxion's
 * tracked points, out of its min-time tree). */
static bool is_tracked(const planner_t *p, const struct pt_values *v)
{
    return p->consumed && v->key >= p->req_count && v->at <= p->cursor;
}

struct eq_state {
    const planner_t *a, *b;
    bool strict; /* compare the avail_time iteration too */
};

static int eq_point(const struct pt_values *va, void *arg)
{
    struct eq_state *st = arg;
    struct pt_values vb;
    if (!planner__ps_floor(&st->b->pts, va->at, &vb) || vb.at != va->at ||
        vb.rem != va->rem || vb.sched != va->sched || vb.key != va->key ||
        vb.ref != va->ref ||
        (st->strict && is_tracked(st->a, va) != is_tracked(st->b, &vb)))
        return 1;
    return 0;
}

static bool spans_equal(const planner_t *a, const planner_t *b)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < a->nspans && a->spans[i].id < 0)
            i++;
        while (j < b->nspans && b->spans[j].id < 0)
            j++;
        if (i == a->nspans || j == b->nspans)
            return i == a->nspans && j == b->nspans;
        const struct span *x = &a->spans[i++], *y = &b->spans[j++];
        if (x->id != y->id || x->start != y->start || x->last != y->last ||
            x->planned != y->planned)
            return false;
    }
}

static bool planners_match(const planner_t *a, const planner_t *b, bool strict)
{
    if (!a || !b)
        return false;
    if (a == b)
        return true;
    if (a->total != b->total || strcmp(a->type, b->type) || a->base != b->base ||
        a->end != b->end || planner__ps_count(&a->pts) != planner__ps_count(&b->pts) ||
        !spans_equal(a, b))
        return false;
    if (strict && (a->iter_set != b->iter_set || a->span_counter != b->span_counter))
        return false;
    struct eq_state st = {a, b, strict};
    return planner__ps_walk(&a->pts, eq_point, &st) == 0;
}

bool planner_is_equal(const planner_t *a, const planner_t *b)
{
    return planners_match(a, b, true);
}

bool planner_is_same_state(const planner_t *a, const planner_t *b)
{
    return planners_match(a, b, false);
}

struct check_state {
    const planner_t *p;
    int64_t refs; /* sum of point reference counts */
    bool first;
};

static int check_point(const struct pt_values *v, void *arg)
{
    struct check_state *st = arg;
    if (st->first && v->at != st->p->base)
        return 1;
    if (v->at > st->p->end)
        return 1;
    st->first = false;
    st->refs += v->ref;
    return 0;
}

int planner_check(const planner_t *p)
{
    if (!p || planner__ps_check(&p->pts))
        return ENG_ESTATE;
    struct check_state st = {p, 0, true};
    if (planner__ps_walk(&p->pts, check_point, &st))
        return ENG_ESTATE;
    size_t dead = 0;
    for (size_t i = 0; i < p->nspans; i++) {
        const struct span *s = &p->spans[i];
        int64_t id = s->id < 0 ? -s->id : s->id;
        if (id < 1 || id > p->span_counter ||
            (i &&
             id <= (p->spans[i - 1].id < 0 ? -p->spans[i - 1].id : p->spans[i - 1].id)))
            return ENG_ESTATE;
        if (s->id < 0) {
            dead++;
            continue;
        }
        if (!planner__ps_has(&p->pts, s->start) || !planner__ps_has(&p->pts, s->last))
            return ENG_ESTATE;
    }
    size_t live = p->nspans - dead;
    if (dead != p->ndead ||
        (planner__ps_count(&p->pts) && st.refs != 1 + 2 * (int64_t)live))
        return ENG_ESTATE;
    return 0;
}

int planner__set_small_max(planner_t *p, int32_t small_max)
{
    return p ? planner__ps_set_small_max(&p->pts, small_max) : ENG_EINVAL;
}
