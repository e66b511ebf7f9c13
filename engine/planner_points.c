/* planner_points.c: a planner's scheduled points, small or big (see
 * planner_private.h).
 *
 * The small form is a sorted array of absolute values: every operation is a
 * scan from the front, which for the one to eight points of nearly every
 * vertex planner costs a few dozen instructions, where the tree pays a
 * descent plus an aggregate recompute per level for each update.  The tree
 * (planner_tree.c) takes over past 'small_max' points; its pool is
 * allocated on first use and kept, as is the array, so switching back and
 * forth never allocates outside planner__ps_reserve(). */
#include <stdlib.h>
#include <string.h>

#include "planner_private.h"

void planner__ps_init(struct pt_set *s)
{
    memset(s, 0, sizeof(*s));
    s->a = s->inl;
    s->cap = PT_INLINE;
    s->small_max = PT_SMALL_MAX;
}

void planner__ps_fini(struct pt_set *s)
{
    if (s->a != s->inl)
        free(s->a);
    if (s->tree.n)
        planner__pt_fini(&s->tree);
    planner__ps_init(s);
}

void planner__ps_clear(struct pt_set *s)
{
    if (s->tree.n)
        planner__pt_clear(&s->tree);
    s->big = false;
    s->n = 0;
    s->nstale = 0;
}

int planner__ps_copy(struct pt_set *dst, const struct pt_set *src)
{
    *dst = *src;
    dst->a = dst->inl;
    memset(&dst->tree, 0, sizeof(dst->tree));
    if (src->a != src->inl && !(dst->a = malloc((size_t)src->cap * sizeof(*dst->a))))
        return ENG_ENOMEM;
    if (src->big && planner__pt_copy(&dst->tree, &src->tree)) {
        if (dst->a != dst->inl)
            free(dst->a);
        return ENG_ENOMEM;
    }
    if (!src->big && dst->a != dst->inl)
        memcpy(dst->a, src->a, (size_t)src->n * sizeof(*dst->a));
    return 0;
}

void planner__ps_move(struct pt_set *dst, struct pt_set *src)
{
    *dst = *src;
    if (src->a == src->inl)
        dst->a = dst->inl;
    planner__ps_init(src);
}

/* The point steps of a span's addition and removal, inlined into them:
 * called several times for each of the millions of spans a simulation
 * plans, they cost as much in calls (saved registers) as in work. */
#if defined(__GNUC__)
#define PT_STEP static inline __attribute__((always_inline))
#else
#define PT_STEP static inline
#endif

static int flat_grow_slow(struct pt_set *s, int32_t need);

PT_STEP int flat_grow(struct pt_set *s, int32_t need)
{
    return s->cap >= need ? 0 : flat_grow_slow(s, need);
}

static int flat_grow_slow(struct pt_set *s, int32_t need)
{
    int32_t cap = s->cap > INT32_MAX / 2 ? INT32_MAX : s->cap * 2;
    if (cap < need)
        cap = need;
    struct pt_flat *a = s->a == s->inl ? malloc((size_t)cap * sizeof(*a))
                                       : realloc(s->a, (size_t)cap * sizeof(*a));
    if (!a)
        return ENG_ENOMEM;
    if (s->a == s->inl)
        memcpy(a, s->inl, sizeof(s->inl));
    s->a = a;
    s->cap = cap;
    return 0;
}

/* Room for 'need' points in the tree, which must hold none or all of them. */
static int tree_room(struct pt_set *s, int32_t need)
{
    if (!s->tree.n) {
        int rc = planner__pt_init(&s->tree);
        if (rc)
            return rc;
    }
    return planner__pt_reserve(&s->tree, need - s->tree.count);
}

int planner__ps_reserve(struct pt_set *s, int32_t extra)
{
    if (s->big)
        return planner__pt_reserve(&s->tree, extra);
    if (s->n > INT32_MAX - extra)
        return ENG_ENOMEM;
    int32_t need = s->n + extra;
    int rc = flat_grow(s, need < s->small_max ? need : s->small_max);
    if (!rc && need > s->small_max)
        rc = tree_room(s, need);
    return rc;
}

int32_t planner__ps_count(const struct pt_set *s)
{
    return s->big ? s->tree.count : s->n;
}

bool planner__ps_has_stale(const struct pt_set *s)
{
    if (s->big)
        return s->tree.count && s->tree.n[s->tree.root].n_stale;
    return s->nstale > 0;
}

void planner__ps_insert_base(struct pt_set *s, int64_t at, int64_t rem)
{
    s->a[0] = (struct pt_flat){at, rem, 0, 0, 1, 0};
    s->n = 1;
}

PT_STEP int32_t search(const struct pt_set *s, int64_t at, bool strict)
{
    return planner__flat_search(s, at, strict);
}

/* Small form: index of the first point at or after 'at' (n if none). */
PT_STEP int32_t lower(const struct pt_set *s, int64_t at)
{
    return search(s, at, false);
}

/* Small form: index of the last point at or before 'at', or -1. */
PT_STEP int32_t floor_idx(const struct pt_set *s, int64_t at)
{
    return search(s, at, true) - 1;
}

static int64_t tree_at(const struct pt_tree *t, int32_t i)
{
    return i ? t->n[i].at : -1;
}

static void to_tree(struct pt_set *s)
{
    planner__pt_build(&s->tree, s->a, s->n);
    s->big = true;
}

static int fill_flat(const struct pt_values *v, void *arg)
{
    struct pt_set *s = arg;
    s->a[s->n++] = (struct pt_flat){v->at, v->rem, v->sched, v->key - v->rem, v->ref, 0};
    s->nstale += v->key != v->rem;
    return 0;
}

/* Back to the small form ('a' has room for every point). */
static void to_small(struct pt_set *s)
{
    s->n = 0;
    s->nstale = 0;
    planner__pt_walk(&s->tree, fill_flat, s);
    planner__pt_clear(&s->tree);
    s->big = false;
}

bool planner__ps_has(const struct pt_set *s, int64_t at)
{
    if (s->big)
        return planner__pt_find(&s->tree, at) != 0;
    int32_t i = lower(s, at);
    return i < s->n && s->a[i].at == at;
}

static bool tree_has_stale(const struct pt_tree *t)
{
    return t->count && t->n[t->root].n_stale;
}

void planner__ps_span_add(struct pt_set *s, int64_t from, int64_t to, int64_t used)
{
    if (!s->big && s->n + 2 > s->small_max &&
        s->n + !planner__ps_has(s, from) + !planner__ps_has(s, to) > s->small_max)
        to_tree(s); /* planner__ps_reserve() made room */
    if (s->big) {   /* two descents: each point's insertion and plan at once */
        planner__pt_ref_add(&s->tree, from, used);
        planner__pt_ref_add(&s->tree, to, -used);
        if (tree_has_stale(&s->tree))
            planner__pt_rekey_range(&s->tree, from, to);
        return;
    }
    planner__flat_span_add(s, lower(s, from), from, to, used);
}

void planner__ps_span_remove(struct pt_set *s, int64_t from, int64_t to, int64_t used)
{
    if (s->big) {
        planner__pt_ref_drop(&s->tree, to, used);
        planner__pt_ref_drop(&s->tree, from, -used);
        if (tree_has_stale(&s->tree))
            planner__pt_rekey_range(&s->tree, from, to);
        if (s->tree.count <= s->small_max / 2 && s->tree.count <= s->cap)
            to_small(s);
        return;
    }
    planner__flat_span_remove(s, from, to, used);
}

void planner__ps_plan(struct pt_set *s, int64_t from, int64_t to, int64_t used)
{
    if (s->big) {
        planner__pt_plan(&s->tree, from, to, used);
        return;
    }
    for (int32_t i = lower(s, from); i < s->n && s->a[i].at < to; i++) {
        s->a[i].rem -= used;
        s->a[i].sched += used;
    }
}

void planner__ps_rekey_range(struct pt_set *s, int64_t from, int64_t to)
{
    if (s->big) {
        planner__pt_rekey_range(&s->tree, from, to);
        return;
    }
    for (int32_t i = lower(s, from); s->nstale && i < s->n && s->a[i].at < to; i++)
        if (s->a[i].off) {
            s->a[i].off = 0;
            s->nstale--;
        }
}

void planner__ps_rekey_consumed(struct pt_set *s, int64_t upto, int64_t req)
{
    if (s->big) {
        planner__pt_rekey_consumed(&s->tree, upto, req);
        return;
    }
    for (int32_t i = 0; s->nstale && i < s->n && s->a[i].at <= upto; i++) {
        struct pt_flat *x = &s->a[i];
        if (x->off && x->rem + x->off >= req) {
            x->off = 0;
            s->nstale--;
        }
    }
}

bool planner__ps_floor(const struct pt_set *s, int64_t at, struct pt_values *v)
{
    if (s->big)
        return planner__pt_floor(&s->tree, at, v) != 0;
    int32_t i = floor_idx(s, at);
    if (i < 0)
        return false;
    const struct pt_flat *x = &s->a[i];
    *v = (struct pt_values){x->at, x->rem, x->sched, x->rem + x->off, x->ref};
    return true;
}

int64_t planner__ps_next(const struct pt_set *s, int64_t at)
{
    if (s->big)
        return tree_at(&s->tree, planner__pt_next(&s->tree, at));
    int32_t i = floor_idx(s, at) + 1;
    return i < s->n ? s->a[i].at : -1;
}

int64_t planner__ps_first_key_ge(const struct pt_set *s, int64_t lo, int64_t req)
{
    if (s->big)
        return tree_at(&s->tree, planner__pt_first_key_ge(&s->tree, lo, req));
    for (int32_t i = lower(s, lo); i < s->n; i++)
        if (s->a[i].rem + s->a[i].off >= req)
            return s->a[i].at;
    return -1;
}

int64_t planner__ps_last_key_ge(const struct pt_set *s, int64_t req)
{
    if (s->big)
        return tree_at(&s->tree, planner__pt_last_key_ge(&s->tree, req));
    for (int32_t i = s->n - 1; i >= 0; i--)
        if (s->a[i].rem + s->a[i].off >= req)
            return s->a[i].at;
    return -1;
}

int64_t planner__ps_last_rem_lt(const struct pt_set *s, int64_t hi, int64_t req)
{
    if (s->big)
        return tree_at(&s->tree, planner__pt_last_rem_lt(&s->tree, hi, req));
    for (int32_t i = floor_idx(s, hi); i >= 0; i--)
        if (s->a[i].rem < req)
            return s->a[i].at;
    return -1;
}

int64_t planner__ps_first_over(const struct pt_set *s, int64_t lo, int64_t limit,
                               int64_t amount)
{
    if (s->big)
        return tree_at(&s->tree, planner__pt_first_over(&s->tree, lo, limit, amount));
    for (int32_t i = lower(s, lo); i < s->n; i++)
        if (s->a[i].rem > limit || s->a[i].sched < amount)
            return s->a[i].at;
    return -1;
}

bool planner__ps_busy(const struct pt_set *s, int64_t at, int64_t end, int64_t req)
{
    if (s->big) {
        struct pt_values v;
        planner__pt_floor(&s->tree, at, &v);
        int32_t f = planner__pt_first_rem_lt(&s->tree, v.at, req);
        return f && s->tree.n[f].at < end;
    }
    /* the state at 'at' (the last point at or before it) and every point
     * after it that starts before 'end' */
    for (int32_t i = floor_idx(s, at); i < s->n && s->a[i].at < end; i++)
        if (s->a[i].rem < req)
            return true;
    return false;
}

int64_t planner__ps_min_during(const struct pt_set *s, int64_t at, int64_t end)
{
    if (s->big) {
        struct pt_values v;
        planner__pt_floor(&s->tree, at, &v);
        return planner__pt_min_rem(&s->tree, v.at, end - 1);
    }
    int32_t i = floor_idx(s, at);
    int64_t best = s->a[i].rem;
    for (i++; i < s->n && s->a[i].at < end; i++)
        if (s->a[i].rem < best)
            best = s->a[i].rem;
    return best;
}

void planner__ps_shift_all(struct pt_set *s, int64_t delta)
{
    if (s->big) {
        planner__pt_shift_all(&s->tree, delta);
        return;
    }
    s->nstale = 0;
    for (int32_t i = 0; i < s->n; i++) {
        struct pt_flat *x = &s->a[i];
        int64_t key = x->rem + x->off;
        x->rem = x->rem + delta < 0 ? 0 : x->rem + delta;
        x->off = key - x->rem;
        s->nstale += x->off != 0;
    }
}

int planner__ps_walk(const struct pt_set *s, int (*fn)(const struct pt_values *, void *),
                     void *arg)
{
    if (s->big)
        return planner__pt_walk(&s->tree, fn, arg);
    for (int32_t i = 0; i < s->n; i++) {
        const struct pt_flat *x = &s->a[i];
        struct pt_values v = {x->at, x->rem, x->sched, x->rem + x->off, x->ref};
        int rc = fn(&v, arg);
        if (rc)
            return rc;
    }
    return 0;
}

int planner__ps_check(const struct pt_set *s)
{
    /* a tree small enough to go back would have gone back */
    if (s->big)
        return s->tree.count <= s->small_max / 2 && s->tree.count <= s->cap
                   ? ENG_ESTATE
                   : planner__pt_check(&s->tree);
    if (s->n > s->cap || s->n > (s->small_max > 0 ? s->small_max : 1) ||
        (s->tree.n && s->tree.count))
        return ENG_ESTATE;
    int32_t stale = 0;
    for (int32_t i = 0; i < s->n; i++) {
        if (s->a[i].ref < 1 || (i && s->a[i].at <= s->a[i - 1].at))
            return ENG_ESTATE;
        stale += s->a[i].off != 0;
    }
    return stale == s->nstale ? 0 : ENG_ESTATE;
}

int planner__ps_set_small_max(struct pt_set *s, int32_t small_max)
{
    int32_t n = planner__ps_count(s);
    int rc = 0;
    if (small_max < 0)
        return ENG_EINVAL;
    if (!s->big && n > small_max && n > 1) {
        if (!(rc = tree_room(s, n)))
            to_tree(s);
    } else if (s->big && n <= small_max / 2) {
        if (!(rc = flat_grow(s, n)))
            to_small(s);
    }
    if (!rc)
        s->small_max = small_max;
    return rc;
}
