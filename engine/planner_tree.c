/* planner_tree.c: the augmented AVL tree of a planner's scheduled points.
 *
 * AVL rather than red-black: the tree is read far more often than written
 * (every traverser visit asks avail_resources_during), and AVL's smaller
 * height shortens every descent.  Recursive insert/delete recompute the
 * aggregates on the way back up, so there are no parent links to maintain.
 * Nodes live in one pool addressed by int32_t index (copy is one memcpy; no
 * malloc per point). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "planner_private.h"

/* Most planners (one per vertex) hold the base point and at most one or two
 * spans: start small, double when needed. */
enum { NIL = 0, POOL_MIN = 4 };

static int32_t height(const struct pt_node *n, int32_t i)
{
    return i ? n[i].height : 0;
}

/* Recompute node 'i''s aggregates from its children. */
static void pull(struct pt_node *n, int32_t i)
{
    struct pt_node *x = &n[i];
    int32_t l = x->left, r = x->right;
    int64_t self = (l ? n[l].sum : 0) + x->d;
    int64_t self_s = (l ? n[l].sum_s : 0) + x->ds;
    x->sum = self + (r ? n[r].sum : 0);
    x->sum_s = self_s + (r ? n[r].sum_s : 0);
    x->max_pref = self;
    x->min_pref = self;
    x->min_spref = self_s;
    x->min_po = self - x->off;
    if (l && n[l].min_pref < x->min_pref)
        x->min_pref = n[l].min_pref;
    if (l && n[l].min_spref < x->min_spref)
        x->min_spref = n[l].min_spref;
    if (r && self + n[r].min_pref < x->min_pref)
        x->min_pref = self + n[r].min_pref;
    if (r && self_s + n[r].min_spref < x->min_spref)
        x->min_spref = self_s + n[r].min_spref;
    if (l && n[l].max_pref > x->max_pref)
        x->max_pref = n[l].max_pref;
    if (l && n[l].min_po < x->min_po)
        x->min_po = n[l].min_po;
    if (r && self + n[r].max_pref > x->max_pref)
        x->max_pref = self + n[r].max_pref;
    if (r && self + n[r].min_po < x->min_po)
        x->min_po = self + n[r].min_po;
    x->n_stale = (x->off != 0) + (l ? n[l].n_stale : 0) + (r ? n[r].n_stale : 0);
    int32_t hl = height(n, l), hr = height(n, r);
    x->height = 1 + (hl > hr ? hl : hr);
}

static int32_t rotate_right(struct pt_node *n, int32_t y)
{
    int32_t x = n[y].left;
    n[y].left = n[x].right;
    n[x].right = y;
    pull(n, y);
    pull(n, x);
    return x;
}

static int32_t rotate_left(struct pt_node *n, int32_t x)
{
    int32_t y = n[x].right;
    n[x].right = n[y].left;
    n[y].left = x;
    pull(n, x);
    pull(n, y);
    return y;
}

static int32_t rebalance(struct pt_node *n, int32_t i)
{
    pull(n, i);
    int32_t bf = height(n, n[i].left) - height(n, n[i].right);
    if (bf > 1) {
        int32_t l = n[i].left;
        if (height(n, n[l].left) < height(n, n[l].right))
            n[i].left = rotate_left(n, l);
        return rotate_right(n, i);
    }
    if (bf < -1) {
        int32_t r = n[i].right;
        if (height(n, n[r].right) < height(n, n[r].left))
            n[i].right = rotate_right(n, r);
        return rotate_left(n, i);
    }
    return i;
}

int planner__pt_init(struct pt_tree *t)
{
    memset(t, 0, sizeof(*t));
    if (!(t->n = calloc(POOL_MIN, sizeof(*t->n))))
        return ENG_ENOMEM;
    t->cap = POOL_MIN;
    t->used = 1;
    return 0;
}

void planner__pt_fini(struct pt_tree *t)
{
    free(t->n);
    memset(t, 0, sizeof(*t));
}

void planner__pt_clear(struct pt_tree *t)
{
    memset(&t->n[0], 0, sizeof(t->n[0]));
    t->used = 1;
    t->root = NIL;
    t->free_head = NIL;
    t->count = 0;
}

int planner__pt_copy(struct pt_tree *dst, const struct pt_tree *src)
{
    struct pt_node *n = malloc((size_t)src->cap * sizeof(*n));
    if (!n)
        return ENG_ENOMEM;
    memcpy(n, src->n, (size_t)src->used * sizeof(*n));
    free(dst->n);
    *dst = *src;
    dst->n = n;
    return 0;
}

int planner__pt_reserve(struct pt_tree *t, int32_t extra)
{
    int32_t avail = t->cap - t->used;
    for (int32_t i = t->free_head; i && avail < extra; i = t->n[i].left)
        avail++;
    if (avail >= extra)
        return 0;
    if (t->cap > INT32_MAX / 2 - extra)
        return ENG_ENOMEM;
    int32_t cap = t->cap * 2 + extra;
    struct pt_node *n = realloc(t->n, (size_t)cap * sizeof(*n));
    if (!n)
        return ENG_ENOMEM;
    t->n = n;
    t->cap = cap;
    return 0;
}

/* Take a node from the free list or the high-water mark (room reserved). */
static int32_t node_new(struct pt_tree *t, int64_t at)
{
    int32_t i = t->free_head;
    if (i)
        t->free_head = t->n[i].left;
    else
        i = t->used++;
    memset(&t->n[i], 0, sizeof(t->n[i]));
    t->n[i].at = at;
    t->n[i].height = 1;
    t->count++;
    return i;
}

void planner__pt_insert_base(struct pt_tree *t, int64_t at, int64_t rem)
{
    int32_t x = node_new(t, at);
    t->n[x].d = -rem;
    t->n[x].ref = 1;
    pull(t->n, x);
    t->root = x;
}

/* Link the consecutive nodes lo..hi into a balanced subtree. */
static int32_t build_rec(struct pt_node *n, int32_t lo, int32_t hi)
{
    if (lo > hi)
        return NIL;
    int32_t mid = lo + (hi - lo) / 2;
    n[mid].left = build_rec(n, lo, mid - 1);
    n[mid].right = build_rec(n, mid + 1, hi);
    pull(n, mid);
    return mid;
}

void planner__pt_build(struct pt_tree *t, const struct pt_flat *a, int32_t n)
{
    int64_t prev = 0, prev_s = 0;
    int32_t first = t->used; /* the tree is empty: nodes come out in a row */
    for (int32_t i = 0; i < n; i++) {
        int32_t x = node_new(t, a[i].at);
        t->n[x].d = prev - a[i].rem;
        t->n[x].ds = a[i].sched - prev_s;
        t->n[x].off = a[i].off;
        t->n[x].ref = a[i].ref;
        prev = a[i].rem;
        prev_s = a[i].sched;
    }
    t->root = build_rec(t->n, first, first + n - 1);
}

int32_t planner__pt_find(const struct pt_tree *t, int64_t at)
{
    int32_t i = t->root;
    while (i && t->n[i].at != at)
        i = at < t->n[i].at ? t->n[i].left : t->n[i].right;
    return i;
}

int32_t planner__pt_floor(const struct pt_tree *t, int64_t at, struct pt_values *v)
{
    const struct pt_node *n = t->n;
    int32_t i = t->root, found = NIL;
    int64_t base = 0, base_s = 0;
    while (i) {
        if (n[i].at > at) {
            i = n[i].left;
            continue;
        }
        int32_t l = n[i].left;
        int64_t self = base + (l ? n[l].sum : 0) + n[i].d;
        int64_t self_s = base_s + (l ? n[l].sum_s : 0) + n[i].ds;
        found = i;
        if (v) {
            v->at = n[i].at;
            v->rem = -self;
            v->sched = self_s;
            v->key = -self + n[i].off;
            v->ref = n[i].ref;
        }
        if (n[i].at == at)
            break;
        base = self;
        base_s = self_s;
        i = n[i].right;
    }
    return found;
}

/* Add 'dd' to d and 'dds' to ds of the point at 'at' (which exists). */
static void adjust_rec(struct pt_node *n, int32_t i, int64_t at, int64_t dd, int64_t dds)
{
    if (at < n[i].at)
        adjust_rec(n, n[i].left, at, dd, dds);
    else if (at > n[i].at)
        adjust_rec(n, n[i].right, at, dd, dds);
    else {
        n[i].d += dd;
        n[i].ds += dds;
    }
    pull(n, i);
}

void planner__pt_plan(struct pt_tree *t, int64_t from, int64_t to, int64_t used)
{
    adjust_rec(t->n, t->root, from, used, used);
    adjust_rec(t->n, t->root, to, -used, -used);
}

static int32_t remove_min(struct pt_node *n, int32_t i, int32_t *min)
{
    if (!n[i].left) {
        *min = i;
        return n[i].right;
    }
    n[i].left = remove_min(n, n[i].left, min);
    return rebalance(n, i);
}

/* Insert-or-find the point at 'at' (a new point repeats its predecessor's
 * state), add a reference and 'dd' to its d and ds: one descent. */
static int32_t ref_add_rec(struct pt_tree *t, int32_t i, int64_t at, int64_t dd)
{
    struct pt_node *n = t->n; /* room is reserved: node_new() cannot move it */
    if (!i) {
        int32_t x = node_new(t, at);
        n[x].d = n[x].ds = dd;
        n[x].ref = 1;
        pull(n, x);
        return x;
    }
    if (at < n[i].at) {
        int32_t l = ref_add_rec(t, n[i].left, at, dd);
        n[i].left = l;
    } else if (at > n[i].at) {
        int32_t r = ref_add_rec(t, n[i].right, at, dd);
        n[i].right = r;
    } else {
        n[i].ref++;
        n[i].d += dd;
        n[i].ds += dd;
        pull(n, i);
        return i;
    }
    return rebalance(n, i);
}

void planner__pt_ref_add(struct pt_tree *t, int64_t at, int64_t dd)
{
    t->root = ref_add_rec(t, t->root, at, dd);
}

/* The differences of a removed point, on their way up to its successor
 * when that is an ancestor. */
struct fold {
    int64_t d, ds;
    bool pending;
};

static int32_t ref_drop_rec(struct pt_node *n, int32_t i, int64_t at, int64_t dd,
                            struct fold *f, int32_t *gone)
{
    if (at < n[i].at) {
        n[i].left = ref_drop_rec(n, n[i].left, at, dd, f, gone);
        if (f->pending) { /* 'i' is the successor of the removed point */
            n[i].d += f->d;
            n[i].ds += f->ds;
            f->pending = false;
        }
    } else if (at > n[i].at) {
        n[i].right = ref_drop_rec(n, n[i].right, at, dd, f, gone);
    } else {
        n[i].d += dd;
        n[i].ds += dd;
        if (--n[i].ref) {
            pull(n, i);
            return i;
        }
        /* Fold the differences into the successor so that every later
         * point keeps its state (Fluxion stores states, not differences). */
        *gone = i;
        if (!n[i].right) {
            *f = (struct fold){n[i].d, n[i].ds, n[i].d || n[i].ds};
            return n[i].left;
        }
        int32_t m;
        int32_t right = remove_min(n, n[i].right, &m);
        n[m].d += n[i].d;
        n[m].ds += n[i].ds;
        n[m].left = n[i].left;
        n[m].right = right;
        return rebalance(n, m);
    }
    return rebalance(n, i);
}

void planner__pt_ref_drop(struct pt_tree *t, int64_t at, int64_t dd)
{
    struct fold f = {0, 0, false};
    int32_t gone = NIL;
    t->root = ref_drop_rec(t->n, t->root, at, dd, &f, &gone);
    if (gone) {
        t->n[gone].left = t->free_head;
        t->free_head = gone;
        t->count--;
    }
}

/* First point strictly after 'at'; 0 if none. */
int32_t planner__pt_next(const struct pt_tree *t, int64_t at)
{
    int32_t i = t->root, best = NIL;
    while (i) {
        if (t->n[i].at > at) {
            best = i;
            i = t->n[i].left;
        } else {
            i = t->n[i].right;
        }
    }
    return best;
}

static void rekey_range_rec(struct pt_node *n, int32_t i, int64_t from, int64_t to)
{
    if (!i || !n[i].n_stale)
        return;
    if (n[i].at >= from)
        rekey_range_rec(n, n[i].left, from, to);
    if (n[i].at >= from && n[i].at < to)
        n[i].off = 0;
    if (n[i].at < to)
        rekey_range_rec(n, n[i].right, from, to);
    pull(n, i);
}

void planner__pt_rekey_range(struct pt_tree *t, int64_t from, int64_t to)
{
    rekey_range_rec(t->n, t->root, from, to);
}

static void rekey_consumed_rec(struct pt_node *n, int32_t i, int64_t base, int64_t upto,
                               int64_t thr)
{
    if (!i || !n[i].n_stale)
        return;
    int32_t l = n[i].left;
    int64_t self = base + (l ? n[l].sum : 0) + n[i].d;
    rekey_consumed_rec(n, l, base, upto, thr);
    if (n[i].at <= upto && n[i].off && self - n[i].off <= thr)
        n[i].off = 0;
    if (n[i].at < upto)
        rekey_consumed_rec(n, n[i].right, self, upto, thr);
    pull(n, i);
}

void planner__pt_rekey_consumed(struct pt_tree *t, int64_t upto, int64_t req)
{
    /* key >= req  <=>  pref - off <= -req */
    rekey_consumed_rec(t->n, t->root, 0, upto, -req);
}

/* What a descent looks for; see the three planner__pt_first_* below. */
enum pt_pred_kind { PRED_KEY_GE, PRED_REM_LT, PRED_OVER };

struct pt_pred {
    enum pt_pred_kind kind;
    int64_t thr;   /* on the prefix of d */
    int64_t thr_s; /* on the prefix of ds (PRED_OVER) */
};

/* Whether some node of subtree 'i' (prefixes before it: 'base', 'base_s')
 * may match.  Exact: a descent into a subtree that may match finds one. */
static bool sub_may(const struct pt_node *n, int32_t i, int64_t base, int64_t base_s,
                    const struct pt_pred *q)
{
    switch (q->kind) {
    case PRED_KEY_GE: /* key >= req  <=>  pref - off <= -req */
        return base + n[i].min_po <= q->thr;
    case PRED_REM_LT: /* rem < req  <=>  pref > -req */
        return base + n[i].max_pref > q->thr;
    default: /* rem > limit or sched < amount */
        return base + n[i].min_pref < q->thr || base_s + n[i].min_spref < q->thr_s;
    }
}

static bool node_is(const struct pt_node *n, int32_t i, int64_t self, int64_t self_s,
                    const struct pt_pred *q)
{
    switch (q->kind) {
    case PRED_KEY_GE:
        return self - n[i].off <= q->thr;
    case PRED_REM_LT:
        return self > q->thr;
    default:
        return self < q->thr || self_s < q->thr_s;
    }
}

/* First node (in time order) of subtree 'i' matching 'q', when every node
 * of it is at or after the bound.  One descent. */
static int32_t first_all(const struct pt_node *n, int32_t i, int64_t base, int64_t base_s,
                         const struct pt_pred *q)
{
    while (i && sub_may(n, i, base, base_s, q)) {
        int32_t l = n[i].left;
        if (l && sub_may(n, l, base, base_s, q)) {
            i = l;
            continue;
        }
        int64_t self = base + (l ? n[l].sum : 0) + n[i].d;
        int64_t self_s = base_s + (l ? n[l].sum_s : 0) + n[i].ds;
        if (node_is(n, i, self, self_s, q))
            return i;
        base = self;
        base_s = self_s;
        i = n[i].right;
    }
    return NIL;
}

/* First node at or after 'lo' matching 'q': the boundary path plus at most
 * one successful first_all(), so O(log n). */
static int32_t first_from(const struct pt_node *n, int32_t i, int64_t base,
                          int64_t base_s, int64_t lo, const struct pt_pred *q)
{
    while (i && sub_may(n, i, base, base_s, q)) {
        int32_t l = n[i].left;
        int64_t self = base + (l ? n[l].sum : 0) + n[i].d;
        int64_t self_s = base_s + (l ? n[l].sum_s : 0) + n[i].ds;
        if (n[i].at < lo) {
            base = self;
            base_s = self_s;
            i = n[i].right;
            continue;
        }
        int32_t r = first_from(n, l, base, base_s, lo, q);
        if (r)
            return r;
        if (node_is(n, i, self, self_s, q))
            return i;
        return first_all(n, n[i].right, self, self_s, q);
    }
    return NIL;
}

int32_t planner__pt_first_key_ge(const struct pt_tree *t, int64_t lo, int64_t req)
{
    struct pt_pred q = {PRED_KEY_GE, -req, 0};
    return first_from(t->n, t->root, 0, 0, lo, &q);
}

int32_t planner__pt_first_rem_lt(const struct pt_tree *t, int64_t lo, int64_t req)
{
    struct pt_pred q = {PRED_REM_LT, -req, 0};
    return first_from(t->n, t->root, 0, 0, lo, &q);
}

int32_t planner__pt_first_over(const struct pt_tree *t, int64_t lo, int64_t limit,
                               int64_t amount)
{
    /* rem > limit  <=>  pref < -limit */
    struct pt_pred q = {PRED_OVER, -limit, amount};
    return first_from(t->n, t->root, 0, 0, lo, &q);
}

/* Last node (in time order) of subtree 'i' matching 'q', when every node of
 * it is at or before the bound.  One descent. */
static int32_t last_all(const struct pt_node *n, int32_t i, int64_t base, int64_t base_s,
                        const struct pt_pred *q)
{
    while (i && sub_may(n, i, base, base_s, q)) {
        int32_t l = n[i].left, r = n[i].right;
        int64_t self = base + (l ? n[l].sum : 0) + n[i].d;
        int64_t self_s = base_s + (l ? n[l].sum_s : 0) + n[i].ds;
        if (r && sub_may(n, r, self, self_s, q)) {
            base = self;
            base_s = self_s;
            i = r;
        } else if (node_is(n, i, self, self_s, q)) {
            return i;
        } else {
            i = l;
        }
    }
    return NIL;
}

/* Last node at or before 'hi' matching 'q'.  O(log n) like first_from(). */
static int32_t last_upto(const struct pt_node *n, int32_t i, int64_t base, int64_t base_s,
                         int64_t hi, const struct pt_pred *q)
{
    while (i && sub_may(n, i, base, base_s, q)) {
        int32_t l = n[i].left;
        if (n[i].at > hi) {
            i = l;
            continue;
        }
        int64_t self = base + (l ? n[l].sum : 0) + n[i].d;
        int64_t self_s = base_s + (l ? n[l].sum_s : 0) + n[i].ds;
        int32_t r = last_upto(n, n[i].right, self, self_s, hi, q);
        if (r)
            return r;
        if (node_is(n, i, self, self_s, q))
            return i;
        return last_all(n, l, base, base_s, q);
    }
    return NIL;
}

int32_t planner__pt_last_key_ge(const struct pt_tree *t, int64_t req)
{
    struct pt_pred q = {PRED_KEY_GE, -req, 0};
    return last_upto(t->n, t->root, 0, 0, INT64_MAX, &q);
}

int32_t planner__pt_last_rem_lt(const struct pt_tree *t, int64_t hi, int64_t req)
{
    struct pt_pred q = {PRED_REM_LT, -req, 0};
    return last_upto(t->n, t->root, 0, 0, hi, &q);
}

/* Max prefix over nodes in [lo, hi] of subtree 'i'; 'lo_ok'/'hi_ok' say the
 * whole subtree is known to be >= lo / <= hi. */
static void max_pref_rec(const struct pt_node *n, int32_t i, int64_t base, int64_t lo,
                         int64_t hi, bool lo_ok, bool hi_ok, int64_t *best)
{
    while (i) {
        if (lo_ok && hi_ok) {
            if (base + n[i].max_pref > *best)
                *best = base + n[i].max_pref;
            return;
        }
        int32_t l = n[i].left;
        int64_t self = base + (l ? n[l].sum : 0) + n[i].d;
        if (n[i].at < lo) {
            base = self;
            i = n[i].right;
        } else if (n[i].at > hi) {
            i = l;
        } else {
            if (self > *best)
                *best = self;
            max_pref_rec(n, l, base, lo, hi, lo_ok, true, best);
            base = self;
            i = n[i].right;
            lo_ok = true;
        }
    }
}

int64_t planner__pt_min_rem(const struct pt_tree *t, int64_t lo, int64_t hi)
{
    int64_t best = INT64_MIN;
    max_pref_rec(t->n, t->root, 0, lo, hi, false, false, &best);
    return best == INT64_MIN ? INT64_MAX : -best;
}

struct shift_state {
    int64_t old_pref, new_prev, delta;
};

static void shift_rec(struct pt_node *n, int32_t i, struct shift_state *st)
{
    if (!i)
        return;
    shift_rec(n, n[i].left, st);
    st->old_pref += n[i].d;
    int64_t rem = -st->old_pref;
    int64_t key = rem + n[i].off;
    int64_t nrem = rem + st->delta < 0 ? 0 : rem + st->delta;
    n[i].d = st->new_prev - nrem;
    n[i].off = key - nrem;
    st->new_prev = nrem;
    shift_rec(n, n[i].right, st);
    pull(n, i);
}

void planner__pt_shift_all(struct pt_tree *t, int64_t delta)
{
    struct shift_state st = {0, 0, delta};
    shift_rec(t->n, t->root, &st);
}

/* AVL height is < 1.45 log2(n + 2), so 96 levels cover any int32_t pool. */
enum { WALK_DEPTH = 96 };

int planner__pt_walk(const struct pt_tree *t, int (*fn)(const struct pt_values *, void *),
                     void *arg)
{
    int32_t stack[WALK_DEPTH];
    int depth = 0;
    int32_t i = t->root;
    int64_t pref = 0, pref_s = 0;
    while (i || depth) {
        while (i) {
            stack[depth++] = i;
            i = t->n[i].left;
        }
        i = stack[--depth];
        const struct pt_node *x = &t->n[i];
        pref += x->d;
        pref_s += x->ds;
        struct pt_values v = {x->at, -pref, pref_s, -pref + x->off, x->ref};
        int rc = fn(&v, arg);
        if (rc)
            return rc;
        i = x->right;
    }
    return 0;
}

/* Recompute subtree 'i' from scratch and compare with what is stored. */
static int check_rec(const struct pt_tree *t, int32_t i, int64_t lo, int64_t hi,
                     int32_t *count)
{
    if (!i)
        return 0;
    const struct pt_node *n = t->n;
    if (i < 1 || i >= t->used || n[i].at < lo || n[i].at > hi || n[i].ref < 1)
        return ENG_ESTATE;
    (*count)++;
    if (check_rec(t, n[i].left, lo, n[i].at - 1, count) ||
        check_rec(t, n[i].right, n[i].at + 1, hi, count))
        return ENG_ESTATE;
    struct pt_node copy[3];
    int32_t l = n[i].left, r = n[i].right;
    copy[0] = n[0];
    copy[1] = l ? n[l] : n[0];
    copy[2] = r ? n[r] : n[0];
    struct pt_node self = n[i];
    self.left = l ? 1 : 0;
    self.right = r ? 2 : 0;
    struct pt_node tmp[4] = {copy[0], copy[1], copy[2], self};
    pull(tmp, 3);
    int32_t bf = height(n, l) - height(n, r);
    if (bf < -1 || bf > 1 || tmp[3].sum != n[i].sum || tmp[3].sum_s != n[i].sum_s ||
        tmp[3].max_pref != n[i].max_pref || tmp[3].min_po != n[i].min_po ||
        tmp[3].min_pref != n[i].min_pref || tmp[3].min_spref != n[i].min_spref ||
        tmp[3].n_stale != n[i].n_stale || tmp[3].height != n[i].height)
        return ENG_ESTATE;
    return 0;
}

int planner__pt_check(const struct pt_tree *t)
{
    int32_t count = 0;
    if (check_rec(t, t->root, INT64_MIN, INT64_MAX, &count) || count != t->count)
        return ENG_ESTATE;
    return 0;
}
