/* trav_update.c: the update half of Fluxion's DFU traversal
 * (dfu_impl_update.cpp at fd257f71): walk the edges the match marked with the
 * current sequence number, plan the job's spans on the exclusively used
 * vertices, tag every ancestor, add the subtree aggregates to the pruning
 * filters, and emit vertices and edges to the R writer in post-order; and the
 * reverse walk that cancels a job.
 *
 * Fluxion quirks kept on purpose (outputs depend on them): a failing span
 * addition skips the vertex's emit and leaves the emit depth one deeper;
 * out-edge weights for the stop-on-first policies are refreshed only on
 * allocation; a cancel that cannot start from a tagged root scans every
 * vertex and releases only planner spans. */
#include <stdlib.h>
#include <string.h>

#include "eng_private.h"
#include "planner_private.h"
#include "trav_inline.h"

static void bind(eng_t *e)
{
    e->vx = rg_vertex_array(e->g);
    e->ex = rg_edge_array(e->g);
}

/* ---- emitting ------------------------------------------------------------------ */

int trav__emit_vertex(eng_t *e, rwrite_t *w, rg_vid_t u, unsigned needs, bool excl,
                      bool excl_parent, const struct rwrite_kv *ag, size_t nag,
                      eng_error_t *err)
{
    if (!w)
        return 0;
    /* Fluxion writes the vertex's ephemeral map as it stands, stale or not */
    struct rwrite_kv eph[1] = {{"label", e->label[u]}};
    return rwrite_emit_rg_vertex(w, e->g, u, e->trav_level, needs, excl, excl_parent, eph,
                                 e->label[u] ? 1 : 0, ag, nag, err);
}

int trav__emit_edge(eng_t *e, rwrite_t *w, rg_eid_t ed, bool excl_parent,
                    eng_error_t *err)
{
    if (!w)
        return 0;
    return rwrite_emit_rg_edge(w, e->g, ed, excl_parent, err);
}

/* ---- by_outedges ---------------------------------------------------------------- */

static bool oe_before(const eng_t *e, uint64_t w1, int64_t u1, uint64_t w2, int64_t u2)
{
    (void)e;
    return w1 > w2 || (w1 == w2 && u1 > u2);
}

/* The second part of an out-edge's key: its target's uniq id. */
static int64_t oe_uniq(const eng_t *e, rg_eid_t ed)
{
    return V(e, E(e, ed)->dst)->uniq_id;
}

/* The first of the 'n' sorted out-edges 'a' not before the key (w, uq). */
static uint32_t oe_lower(const eng_t *e, const rg_eid_t *a, uint32_t n, uint64_t w,
                         int64_t uq)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (oe_before(e, e->e_weight[a[mid]], oe_uniq(e, a[mid]), w, uq))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Move edge 'ed' of 'u' to its place for weight 'wt' (Fluxion re-inserts the
 * edge into a std::map ordered by (weight, uniq id), descending).  Both
 * places are found by binary search; only the entries between them move. */
void trav__oe_reweight(eng_t *e, rg_vid_t u, rg_eid_t ed, uint64_t wt)
{
    uint64_t w0 = e->e_weight[ed];
    /* With distinct keys the edge sits at its key, which stays: nothing
     * moves (the search below would find it there and stop) */
    if (w0 == wt && !e->oe_dup[u])
        return;
    rg_eid_t *a = e->oe[u];
    uint32_t n = e->noe[u], lo, hi;
    int64_t uq = oe_uniq(e, ed);
    uint32_t pos = oe_lower(e, a, n, w0, uq);
    if (pos < n && a[pos] == ed && w0 == wt)
        return;                     /* found at its key, which stays: nothing moves */
    if (pos >= n || a[pos] != ed) { /* duplicate keys: fall back to a scan */
        for (pos = 0; pos < n && a[pos] != ed; pos++)
            ;
        if (pos == n)
            return;
    }
    e->e_weight[ed] = wt;
    lo = 0;
    hi = n - 1; /* search the array without 'pos' */
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        rg_eid_t m = a[mid < pos ? mid : mid + 1];
        if (oe_before(e, e->e_weight[m], oe_uniq(e, m), wt, uq))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= pos)
        memmove(&a[pos], &a[pos + 1], (lo - pos) * sizeof *a);
    else
        memmove(&a[lo + 1], &a[lo], (pos - lo) * sizeof *a);
    a[lo] = ed;
    if (w0 != wt || lo != pos)
        e->order_version++; /* see eng_order_version() */
    e->pos_ver += lo != pos;
}

/* A vertex with more out-edges than this moves the out-edges its update
 * re-weighs all at once, after its loop (one pass over its sorted
 * out-edges instead of a memmove each). */
enum { OE_BATCH_MIN = 64 };

/* Whether the moves of the out-edges of 'u' are deferred to its loop's
 * end: only where keys cannot tie (the sorted order is then unique, so
 * moving the edges together leaves it as moving them one by one). */
static bool oe_batched(const eng_t *e, rg_vid_t u)
{
    return !e->oe_dup[u] && e->noe[u] > OE_BATCH_MIN;
}

/* Queue the move of edge 'ed' (of a vertex that oe_batched()) to weight
 * 'wt'; false when out of memory (then move it now). */
static bool oe_defer(eng_t *e, rg_eid_t ed, uint64_t wt)
{
    if (e->e_weight[ed] == wt)
        return true; /* its key stays: nothing moves */
    if (e->noe_pend == e->capoe_pend) {
        size_t cap = e->capoe_pend ? 2 * e->capoe_pend : 64;
        struct oe_move *n = realloc(e->oe_pend, cap * sizeof *n);
        if (!n)
            return false;
        e->oe_pend = n;
        e->capoe_pend = cap;
    }
    e->oe_pend[e->noe_pend++] = (struct oe_move){ed, 0, wt, 0};
    return true;
}

/* The order of the new keys (weight, uniq id), descending. */
static int cmp_move(const void *x, const void *y)
{
    const struct oe_move *a = x, *b = y;
    if (a->wt != b->wt)
        return a->wt > b->wt ? -1 : 1;
    return (a->uq < b->uq) - (a->uq > b->uq);
}

static inline bool move_before(const struct oe_move *a, const struct oe_move *b)
{
    return a->wt > b->wt || (a->wt == b->wt && a->uq > b->uq);
}

/* Sort the 'n' moves 'a' as cmp_move() orders them: runs of 16 by
 * insertion, merged bottom-up through a scratch array (qsort() when none
 * can be had).  The keys are distinct, so any sort gives this order. */
static void sort_moves(struct oe_move *a, size_t n)
{
    enum { RUN = 16 };
    for (size_t i = 0; i < n; i += RUN) {
        size_t end = n - i < RUN ? n : i + RUN;
        for (size_t j = i + 1; j < end; j++) {
            struct oe_move v = a[j];
            size_t k = j;
            for (; k > i && move_before(&v, &a[k - 1]); k--)
                a[k] = a[k - 1];
            a[k] = v;
        }
    }
    if (n <= RUN)
        return;
    struct oe_move *tmp = malloc(n * sizeof *tmp);
    if (!tmp) {
        qsort(a, n, sizeof *a, cmp_move);
        return;
    }
    struct oe_move *src = a, *dst = tmp;
    for (size_t w = RUN; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = move_before(&src[j], &src[i]) ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        struct oe_move *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
    free(tmp);
}

/* Position of edge 'ed' among the sorted out-edges 'a' of 'n', by its
 * current key; n when it is not there (keys are distinct). */
static uint32_t oe_find(const eng_t *e, const rg_eid_t *a, uint32_t n, rg_eid_t ed,
                        int64_t uq)
{
    uint32_t lo = oe_lower(e, a, n, e->e_weight[ed], uq);
    return lo < n && a[lo] == ed ? lo : n;
}

/* Do the 'k' distinct moves 'mv' of out-edges of 'u': find them by their
 * old keys, take them out, and merge them back in by their new keys. */
static void oe_move_many(eng_t *e, rg_vid_t u, struct oe_move *mv, size_t k)
{
    rg_eid_t *a = e->oe[u];
    uint32_t n = e->noe[u], minpos = n;
    size_t kk = 0;
    for (size_t j = 0; j < k; j++) {
        int64_t uq = oe_uniq(e, mv[j].ed);
        uint32_t pos = oe_find(e, a, n, mv[j].ed, uq);
        if (pos == n)
            continue; /* not among the sorted out-edges: left alone */
        mv[kk++] = (struct oe_move){mv[j].ed, pos, mv[j].wt, uq};
        minpos = pos < minpos ? pos : minpos;
    }
    if (kk == 0)
        return;
    for (size_t j = 0; j < kk; j++) {
        e->e_weight[mv[j].ed] = mv[j].wt;
        a[mv[j].pos] = RG_EID_NONE;
        e->order_version++; /* once per moved edge, as trav__oe_reweight() */
    }
    uint32_t w = minpos;
    for (uint32_t r = minpos; r < n; r++)
        if (a[r] != RG_EID_NONE)
            a[w++] = a[r];
    /* the edges come in the order of the walk, often already sorted by
     * their new keys: test that before sorting */
    size_t run = 1;
    while (run < kk && cmp_move(&mv[run - 1], &mv[run]) < 0)
        run++;
    if (run < kk)
        sort_moves(mv, kk);
    /* merge from the back: the later of the two heads goes last; the order
     * changed unless every moved edge lands where it was */
    int64_t i = (int64_t)w - 1, j = (int64_t)kk - 1, d = (int64_t)n - 1;
    bool moved = false;
    while (j >= 0) {
        if (i >= 0 &&
            oe_before(e, mv[j].wt, mv[j].uq, e->e_weight[a[i]], oe_uniq(e, a[i]))) {
            a[d--] = a[i--];
        } else {
            moved |= d != (int64_t)mv[j].pos;
            a[d--] = mv[j--].ed;
        }
    }
    e->pos_ver += moved;
}

/* Do the moves queued for 'u' since 'from' (the queue's length when its
 * loop started; the loops below it have done theirs). */
static void oe_flush(eng_t *e, rg_vid_t u, size_t from)
{
    size_t k = e->noe_pend - from;
    struct oe_move *mv = e->oe_pend + from;
    e->noe_pend = from;
    if (k == 1)
        trav__oe_reweight(e, u, mv[0].ed, mv[0].wt);
    else if (k > 1)
        oe_move_many(e, u, mv, k);
}

/* oe_site() runs a million times in a long replay: inline in both loops. */
#if defined(__GNUC__)
#define OE_SITE_INLINE static inline __attribute__((always_inline))
#else
#define OE_SITE_INLINE static inline
#endif

/* Re-weigh edge 'ed' of 'u' by what its target's aggregate holds free at
 * the current time, as site 'kind' (see enum rp_kind): RP_DEFER queues the
 * move for oe_flush(); RP_FORCE re-weighs even an edge into an aggregate
 * with nothing planned.  -1 when the aggregate cannot be read. */
OE_SITE_INLINE int oe_site(eng_t *e, const struct jobmeta *m, rg_vid_t u, rg_eid_t ed,
                           enum rp_kind kind)
{
    rg_vid_t tgt = E(e, ed)->dst;
    planner_multi_t *p = e->subplan[tgt];
    if (!p)
        return 0;
    int64_t avail;
    size_t nspans;
    if (eng__sub_last_at(e, tgt, m->now, &avail, &nspans) == 0)
        return -1;
    /* a live lazy allocation above 'tgt' would have a span there now */
    bool held = false;
    if (e->lheld) /* lazy allocations are on */
        avail -= eng__lazy_now(e, tgt, &held);
    if (avail == 0 && nspans == 0 && !held && kind != RP_FORCE)
        return 0;
    uint64_t wt = avail < 0 ? 0 : (uint64_t)avail;
    if (e->e_weight[ed] == wt && !e->oe_dup[u])
        return 0; /* its key stays (trav__oe_reweight(), oe_defer()): nothing moves */
    if (kind != RP_DEFER || !oe_defer(e, ed, wt))
        trav__oe_reweight(e, u, ed, wt);
    return 0;
}

/* 'defer': the moves of the out-edges of 'u' wait for oe_flush(). */
static int upd_by_outedges(eng_t *e, const struct jobmeta *m, rg_vid_t u, rg_eid_t ed,
                           bool defer)
{
    if (!e->subplan[E(e, ed)->dst])
        return 0;
    enum rp_kind kind = defer ? RP_DEFER : RP_REWEIGH;
    eng__rp_push(m, kind, u, ed);
    return oe_site(e, m, u, ed, kind);
}

/* The re-weighs of the update that recorded 'fp', again in its order (the
 * walk of a kept reservation makes no other change): what upd_dfv() would
 * return. */
static int upd_replay(eng_t *e, const struct jobmeta *m, const struct replan_fp *fp)
{
    size_t pend0[RP_DEPTH_MAX];
    unsigned depth = 0;
    for (size_t i = 0; i < fp->nops; i++) {
        const struct rp_op *op = &fp->ops[i];
        if (op->kind == RP_BEGIN)
            pend0[depth++] = e->noe_pend;
        else if (op->kind == RP_FLUSH)
            oe_flush(e, op->u, pend0[--depth]);
        else if (oe_site(e, m, op->u, op->ed, (enum rp_kind)op->kind) < 0)
            eng__msg_add(e, "upd_dfv: upd_by_outedges returned -1.\n");
    }
    return fp->nplans;
}

/* ---- updating ------------------------------------------------------------------ */

/* Counts passed up to a parent, per prune index: only the entries whose
 * bit is in 'mask' are set (the others are never read, so a vertex's
 * aggregate costs no clearing). */
struct agg {
    int64_t c[ENG_PRUNE_TYPES_MAX];
    uint32_t mask;
};

/* prune__index(), inline: the pruning types are one or two. */
static inline int prune_ix(const eng_t *e, rg_sym_t t)
{
    for (unsigned i = 0; i < e->prune.ntotal; i++)
        if (e->prune.total[i] == t)
            return (int)i;
    return -1;
}

/* Add 'c' at prune index 'i' of 'a' (the first addition sets it). */
static inline void accum_at(struct agg *a, int i, int64_t c)
{
    if (a->mask & (1u << i))
        a->c[i] += (unsigned)c;
    else
        a->c[i] = (unsigned)c;
    a->mask |= 1u << i;
}

static inline void accum_if(const eng_t *e, rg_sym_t t, int64_t c, struct agg *a)
{
    int i = prune_ix(e, t);
    if (i >= 0)
        accum_at(a, i, c);
}

/* '*rec': the job's record of 'u' when this made one (upd_meta() then
 * needs no second lookup), else left alone. */
static int upd_plan(eng_t *e, rg_vid_t u, unsigned needs, bool excl,
                    const struct jobmeta *m, bool full, int *n, struct vjob **rec)
{
    if (!excl)
        return 0;
    (*n)++;
    if (!full)
        return 0;
    planner_t *p = eng__plan_get(e, u);
    int64_t span = p ? planner_span_add(p, m->at, m->duration, needs) : ENG_ENOMEM;
    if (span < 0) {
        eng__msg_add(e, "upd_plan: planner_add_span returned -1.\n");
        return -1;
    }
    if (m->alloc_type == AT_SATISFIABILITY)
        return 0;
    struct vjob *r = eng__vj_put(e, u, m->jobid);
    if (!r)
        return -1;
    *rec = r;
    /* Fluxion keeps a vertex's allocations and reservations in two maps by
     * job id: a reused id can hold one of each */
    if (m->alloc_type == AT_ALLOC) {
        if (!(r->flags & VJ_ALLOC))
            e->nalloc[u]++;
        r->flags |= VJ_ALLOC;
        r->span = span;
    } else {
        if (!(r->flags & VJ_RESV))
            e->nresv[u]++;
        r->flags |= VJ_RESV;
        r->rspan = span;
    }
    return 0;
}

/* Remember the vertices this update tags: their job's cancel visits just
 * those (and counts the children Fluxion's walk would have looked at). */
static void tagged(eng_t *e, rg_vid_t u, const struct vjob *r)
{
    if (e->ncur_tv == e->capcur_tv) {
        size_t cap = e->capcur_tv ? 2 * e->capcur_tv : 256;
        rg_vid_t *n = realloc(e->cur_tv, cap * sizeof *n);
        if (n)
            e->cur_tv = n;
        uint32_t *nr = n ? realloc(e->cur_tvr, cap * sizeof *nr) : NULL;
        if (!nr) {
            e->cur_tv_oom = true;
            return;
        }
        e->cur_tvr = nr;
        e->capcur_tv = cap;
    }
    e->cur_tvr[e->ncur_tv] = (uint32_t)(r - e->vj.slot);
    e->cur_tv[e->ncur_tv++] = u;
}

/* 'r': the job's record of 'u' if upd_plan() just got it, else NULL. */
static int upd_meta(eng_t *e, rg_vid_t u, unsigned needs, bool excl, int n,
                    const struct jobmeta *m, const struct agg *dfu, struct agg *to_parent,
                    struct vjob *r)
{
    if (n == 0)
        return 0;
    if (!r)
        r = eng__vj_put(e, u, m->jobid);
    if (!r) {
        eng__msg_add(e, "upd_txfilter: x_checker not installed.\n");
        return -1;
    }
    if (!(r->flags & VJ_TAG)) {
        e->ntag[u]++;
        tagged(e, u, r);
    }
    r->flags |= VJ_TAG;
    int64_t span = eng__x_add_inl(e, u, m->at, m->duration, m->jobid);
    if (span < 0) {
        eng__msg_add(e, "upd_txfilter: planner_add_span returned -1.\n");
        return -1;
    }
    r->xspan = span;
    r->flags |= VJ_X;
    if (e->subplan[u] && e->sp_idx[u] && dfu->mask) {
        /* prune__relevant() with the types not passed up at 0 */
        const int32_t *t = e->sp_idx[u];
        size_t len = (size_t)t[0];
        for (size_t i = 0; i < len; i++) {
            int k = t[i + 1];
            e->agg_buf[i] = k >= 0 && (dfu->mask & (1u << k)) ? dfu->c[k] : 0;
        }
        int64_t s =
            planner_multi_span_add(e->subplan[u], m->at, m->duration, e->agg_buf, len);
        eng__sub_changed(e, u);
        if (s < 0) {
            eng__msg_add(e, "upd_agfilter: planner_multi_add_span returned -1.\n");
            return -1;
        }
        r->agspan = s;
        r->flags |= VJ_AG;
    }
    const struct rg_vertex *v = V(e, u);
    accum_if(e, v->type, excl ? v->size : v->size - (int64_t)needs, to_parent);
    /* the types of e->prune.total are distinct: type k is at index k */
    for (uint32_t mk = dfu->mask, k = 0; mk; mk >>= 1, k++)
        if (mk & 1u)
            accum_at(to_parent, (int)k, dfu->c[k]);
    return 0;
}

/* A marked edge as the key (source << 32 | edge id): the keys sort as
 * the pairs (source, edge id) do. */
static rg_vid_t key_src(uint64_t k)
{
    return (rg_vid_t)(k >> 32);
}

static rg_eid_t key_eid(uint64_t k)
{
    return (rg_eid_t)(k & UINT32_MAX);
}

struct upd {
    rwrite_t *w;
    const struct jobmeta *m;
    bool full;
    eng_error_t *err;
    const uint64_t *keys; /* marked edges by (source, edge id); NULL: scan */
    size_t npairs;
};

static size_t pairs_lower(const struct upd *c, rg_vid_t u)
{
    size_t lo = 0, hi = c->npairs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (key_src(c->keys[mid]) < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void insertion_sort(uint64_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t v = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

/* Sort the 'n' keys of 'a' with 'tmp' (as long) as scratch: runs of 16 by
 * insertion, then merged bottom-up.  Returns the array that holds them.
 * The keys are distinct (an edge is listed once), so any sort gives the
 * same order; this one saves qsort()'s call per comparison. */
static uint64_t *sort_keys(uint64_t *a, uint64_t *tmp, size_t n)
{
    enum { RUN = 16 };
    for (size_t i = 0; i < n; i += RUN)
        insertion_sort(a + i, n - i < RUN ? n - i : RUN);
    for (size_t w = RUN; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = a[j] < a[i] ? a[j++] : a[i++];
            while (i < mid)
                tmp[k++] = a[i++];
            while (j < hi)
                tmp[k++] = a[j++];
        }
        uint64_t *t = a;
        a = tmp;
        tmp = t;
    }
    return a;
}

/* A vertex with at most this many out-edges finds its marked ones by
 * scanning them (a few loads each); one with more, in the sorted list. */
enum { UPD_SCAN_MAX = 8 };

static bool upd_listed(const eng_t *e, rg_vid_t u)
{
    return e->noe[u] > UPD_SCAN_MAX;
}

/* The marked edges out of vertices that upd_listed(), sorted by source then
 * edge id (a vertex's out-edges are kept in insertion order, which is
 * edge-id order), in the engine's buffer kept from one update to the
 * next. */
static const uint64_t *sort_marked(eng_t *e, size_t *n)
{
    if (e->marked_oom)
        return NULL;
    if (!e->mkeys || 2 * e->nmarked > e->capmkeys) {
        size_t cap = e->capmkeys ? e->capmkeys : 512;
        while (cap < 2 * e->nmarked)
            cap *= 2;
        uint64_t *k = realloc(e->mkeys, cap * sizeof *k);
        if (!k)
            return NULL;
        e->mkeys = k;
        e->capmkeys = cap;
    }
    uint64_t *k = e->mkeys;
    size_t nk = 0;
    for (size_t i = 0; i < e->nmarked; i++) {
        rg_vid_t src = E(e, e->marked[i])->src;
        if (upd_listed(e, src))
            k[nk++] = (uint64_t)src << 32 | e->marked[i];
    }
    *n = nk;
    /* the walk marks a vertex's edges in the order of its sorted out-edges,
     * often by uniq id descending: a run that is already monotone needs
     * no sort (the keys are distinct, so sorted is one order) */
    size_t up = 1, down = 1;
    while (up < nk && k[up - 1] < k[up])
        up++;
    while (down < nk && k[down - 1] > k[down])
        down++;
    if (up >= nk)
        return k;
    if (down >= nk) {
        for (size_t i = 0, j = nk - 1; i < j; i++, j--) {
            uint64_t t = k[i];
            k[i] = k[j];
            k[j] = t;
        }
        return k;
    }
    return sort_keys(k, k + nk, nk);
}

static int upd_sched(eng_t *e, struct upd *c, rg_vid_t u, unsigned needs, bool excl,
                     int n, const struct agg *dfu, struct agg *to_parent,
                     bool excl_parent)
{
    /* a kept reservation (m->keep) holds what this would plant already */
    if (c->m->alloc_type == AT_NO_ALLOC || c->m->keep) {
        if (excl)
            n++;
    } else {
        struct vjob *r = NULL;
        if (upd_plan(e, u, needs, excl, c->m, c->full, &n, &r) < 0)
            return n; /* Fluxion leaves the depth as is here */
        if (upd_meta(e, u, needs, excl, n, c->m, dfu, to_parent, r) < 0)
            return n;
    }
    if (n > 0 &&
        trav__emit_vertex(e, c->w, u, needs, excl, excl_parent, NULL, 0, c->err) < 0)
        eng__msg_add(e, "upd_sched: emit_vtx returned -1.\n");
    e->trav_level--;
    return n;
}

/* ---- lazily held subtrees (eng_set_lazy_reservations, trav_lazy.c) ---------- */

/* Whether the shadow walk Fluxion starts at 'u' may be replaced by
 * trav__lazy_hold(): lazy reservations on, a reservation (in the future, written
 * nowhere) planned in full, 'u' taken whole. */
static bool lazy_ok(const eng_t *e, const struct upd *c, rg_vid_t u, unsigned needs)
{
    return e->lazy_resv && !c->w && c->full &&
           c->m->alloc_type == AT_ALLOC_ORELSE_RESERVE && c->m->at > c->m->now &&
           (int64_t)needs == V(e, u)->size;
}

/* ... or by trav__lazy_hold_alloc(): lazy allocations on, an allocation
 * (now) planned in full, 'u' taken whole, no auxiliary subsystem (whose
 * up-walks could reach below 'u'), and a tree below 'u'. */
static bool lazy_alloc_ok(eng_t *e, const struct upd *c, rg_vid_t u, unsigned needs)
{
    return e->lazy_alloc && c->full && c->m->alloc_type == AT_ALLOC &&
           c->m->at == c->m->now && (int64_t)needs == V(e, u)->size && e->naux == 0 &&
           trav__lazy_alloc_ok(e, u);
}

static int upd_dfv(eng_t *e, struct upd *c, rg_vid_t u, unsigned needs, bool excl,
                   struct agg *to_parent, bool emit_shadow, bool excl_parent)
{
    int n_plans = 0;
    struct agg dfu;
    dfu.mask = 0;
    bool mod = emit_shadow || eng__xtype_has(e, V(e, u)->type);
    excl = excl || mod;
    e->trav_level++;
    if (mod && !emit_shadow && lazy_ok(e, c, u, needs)) {
        n_plans = trav__lazy_hold(e, c->m, u, dfu.c, &dfu.mask);
        return upd_sched(e, c, u, needs, excl, n_plans, &dfu, to_parent, excl_parent);
    }
    if (mod && !emit_shadow && lazy_alloc_ok(e, c, u, needs)) {
        n_plans = trav__lazy_hold_alloc(e, c->m, u, c->w, dfu.c, &dfu.mask, c->err);
        return upd_sched(e, c, u, needs, excl, n_plans, &dfu, to_parent, excl_parent);
    }
    e->color[u] = e->color_base + 1;
    /* Without a shadow walk only this sequence's marked edges matter: take
     * them from the sorted list rather than scanning every out-edge */
    bool listed = !mod && c->keys && upd_listed(e, u);
    bool defer = e->pol.stop_on_k > 0 && oe_batched(e, u);
    size_t pend0 = e->noe_pend;
    if (defer)
        eng__rp_push(c->m, RP_BEGIN, u, RG_EID_NONE);
    size_t k = listed ? pairs_lower(c, u) : 0;
    rg_eid_t ed = listed
                      ? (k < c->npairs && key_src(c->keys[k]) == u ? key_eid(c->keys[k])
                                                                   : RG_EID_NONE)
                      : dom_from(e, V(e, u)->out_head);
    for (; ed != RG_EID_NONE;
         ed = listed ? (++k < c->npairs && key_src(c->keys[k]) == u ? key_eid(c->keys[k])
                                                                    : RG_EID_NONE)
                     : dom_from(e, E(e, ed)->next_out)) {
        rg_vid_t tgt = E(e, ed)->dst;
        if (listed &&
            (E(e, ed)->subsystem != e->dom || (V(e, tgt)->flags & RG_VF_REMOVED)))
            continue;
        if (e->color[tgt] > e->color_base)
            continue;
        if (e->e_seq[ed] != e->seq && !mod)
            continue;
        bool x = e->e_excl[ed] || mod;
        unsigned cn = mod ? (unsigned)V(e, tgt)->size : (unsigned)e->e_needs[ed];
        int sub = upd_dfv(e, c, tgt, cn, x, &dfu, mod, excl);
        if (sub > 0) {
            if (e->pol.stop_on_k > 0 && upd_by_outedges(e, c->m, u, ed, defer) < 0)
                eng__msg_add(e, "upd_dfv: upd_by_outedges returned -1.\n");
            if (trav__emit_edge(e, c->w, ed, excl, c->err) < 0)
                eng__msg_add(e, "upd_dfv: emit_edg returned -1.\n");
            n_plans += sub;
        }
    }
    if (defer) {
        oe_flush(e, u, pend0);
        eng__rp_push(c->m, RP_FLUSH, u, RG_EID_NONE);
    }
    e->color[u] = e->color_base + 2;
    return upd_sched(e, c, u, needs, excl, n_plans, &dfu, to_parent, excl_parent);
}

/* Fluxion's dfu_impl_t::update(root, writers, meta) ('full') and the variant
 * used after a reader placed the spans ('full' false).  0 when something was
 * emitted, ENG_EINVAL otherwise. */
int trav__update(eng_t *e, rg_vid_t root, rwrite_t *w, const struct jobmeta *meta,
                 bool full, eng_error_t *err)
{
    if (e->rt_seq != e->seq) {
        eng__msg_add(e, "update: resource state wasn't properly set up for update.\n");
        return ENG_EINVAL;
    }
    struct upd c = {w, meta, full, err, NULL, 0};
    bind(e);
    e->ncur_tv = 0;
    e->cur_tv_oom = false;
    struct agg top = {{0}, 0};
    e->color_base += 3;
    struct replan_fp *rec = meta->rec;
    int n;
    if (meta->keep && rec && rec->ops_ok) {
        n = upd_replay(e, meta, rec);
        e->nreplay++;
    } else {
        c.keys = sort_marked(e, &c.npairs);
        bool shadow = eng__xtype_has(e, V(e, root)->type);
        n = upd_dfv(e, &c, root, (unsigned)e->rt_needs, e->rt_excl != 0, &top, shadow,
                    false);
        if (rec) {
            rec->nplans = n;
            rec->ops_ok = rec->ops_ok && n > 0 && rec->depth == 0;
        }
    }
    if (n <= 0)
        return ENG_EINVAL;
    if (w) {
        rwrite_set_times(w, meta->at, meta->at + meta->duration);
        if (meta->queue && rwrite_set_attr(w, "queue", meta->queue, err) < 0)
            eng__msg_add(e, "update: emit_attrs returned -1.\n");
    }
    return 0;
}

/* ---- cancel ---------------------------------------------------------------------- */

static void drop_tag(eng_t *e, struct vjob *r)
{
    if (r->flags & VJ_TAG) {
        r->flags &= ~(uint32_t)VJ_TAG;
        e->ntag[r->v]--;
    }
}

/* cancel_vertex_full() given the job's record 'r' of 'u'. */
static int cancel_vertex_rec(eng_t *e, rg_vid_t u, uint64_t jobid, struct vjob *r,
                             int *rc)
{
    if (!(r->flags & VJ_TAG))
        return 1;
    if (e->lhold_job) /* lazy allocations are on */
        eng__lazy_release(e, u, jobid);
    drop_tag(e, r);
    if (r->flags & VJ_X) {
        eng__x_remove_inl(e, u, r->xspan);
        r->flags &= ~(uint32_t)VJ_X;
    }
    if (e->subplan[u] && (r->flags & VJ_AG)) {
        eng__sub_changed(e, u);
        if (planner_multi_span_remove(e->subplan[u], r->agspan) < 0) {
            eng__msg_add(e, "mod_agfilter: planner_multi_rem_span returned -1.\n");
            *rc = -1;
            eng__vj_drop_if_empty(e, r);
            return 1;
        }
        r->flags &= ~(uint32_t)VJ_AG;
    }
    if (r->flags & (VJ_ALLOC | VJ_RESV)) {
        if (planner_span_remove(e->plans[u], eng__vj_drop_span(e, r)) < 0) {
            eng__msg_add(e, "mod_plan: planner_rem_span returned -1.\n");
            *rc = -1;
        }
    }
    eng__vj_drop_if_empty(e, r);
    return 0;
}

/* mod_idata + mod_plan for a full cancel.  Returns 1 to stop descending. */
static int cancel_vertex_full(eng_t *e, rg_vid_t u, uint64_t jobid, int *rc)
{
    struct vjob *r = eng__vj_get(e, u, jobid);
    return r ? cancel_vertex_rec(e, u, jobid, r, rc) : 1;
}

static int mod_dfv(eng_t *e, rg_vid_t u, uint64_t jobid)
{
    int rc = 0;
    e->preorder++;
    e->color[u] = e->color_base + 1;
    if (cancel_vertex_full(e, u, jobid, &rc) || rc)
        return rc;
    for (rg_eid_t ed = dom_from(e, V(e, u)->out_head); ed != RG_EID_NONE;
         ed = dom_from(e, E(e, ed)->next_out)) {
        rg_vid_t tgt = E(e, ed)->dst;
        if (e->color[tgt] > e->color_base)
            continue;
        if (e->ntag[tgt] == 0) { /* no job's tag: the visit stops at once */
            e->preorder++;
            e->color[tgt] = e->color_base + 1;
            continue;
        }
        rc += mod_dfv(e, tgt, jobid);
    }
    e->color[u] = e->color_base + 2;
    e->postorder++;
    return rc;
}

static int mod_exv(eng_t *e, uint64_t jobid)
{
    int rc = 0;
    size_t bound = rg_graph_vid_bound(e->g);
    for (rg_vid_t v = 0; v < bound; v++) {
        struct vjob *r = eng__vj_get(e, v, jobid);
        if (!r || !(r->flags & (VJ_ALLOC | VJ_RESV)))
            continue;
        eng__lazy_release(e, v, jobid);
        if (planner_span_remove(e->plans[v], eng__vj_drop_span(e, r)) < 0) {
            eng__msg_add(e, "mod_exv: planner_rem_span returned -1.\n");
            rc = -1;
        }
        eng__vj_drop_if_empty(e, r);
    }
    return rc;
}

int trav__remove(eng_t *e, rg_vid_t root, uint64_t jobid)
{
    bind(e);
    e->preorder = e->postorder = 0;
    struct vjob *r = eng__vj_get(e, root, jobid);
    e->color_base += 3;
    if (r && (r->flags & VJ_TAG))
        return mod_dfv(e, root, jobid) == 0 ? 0 : ENG_EINVAL;
    return mod_exv(e, jobid) == 0 ? 0 : ENG_EINVAL;
}

/* The source of the first in-edge of 'v' in the dominant subsystem whose
 * source is live (rg_in_first() without the calls), or RG_VID_NONE. */
static rg_vid_t dom_parent(const eng_t *e, rg_vid_t v)
{
    rg_eid_t ed = V(e, v)->in_head;
    while (ed != RG_EID_NONE && (E(e, ed)->subsystem != e->dom ||
                                 (V(e, E(e, ed)->src)->flags & RG_VF_REMOVED)))
        ed = E(e, ed)->next_in;
    return ed == RG_EID_NONE ? RG_VID_NONE : E(e, ed)->src;
}

static bool has_tag(const eng_t *e, rg_vid_t v, uint64_t jobid)
{
    const struct vjob *r = e->ntag[v] ? eng__vj_get(e, v, jobid) : NULL;
    return r && (r->flags & VJ_TAG);
}

/* Whether Fluxion's walk from the root reaches 'v': 'v' and all its
 * ancestors carry the job's tag.  Memoised in the colors (base + 1 reached,
 * base + 2 not), so a job's vertices cost one tag lookup each rather than
 * one per ancestor; a reached vertex's record is kept in e->rmemo. */
static bool reached(eng_t *e, rg_vid_t v, uint64_t jobid)
{
    if (e->color[v] > e->color_base)
        return e->color[v] == e->color_base + 1;
    rg_vid_t p = dom_parent(e, v);
    const struct vjob *r = e->ntag[v] ? eng__vj_get(e, v, jobid) : NULL;
    bool ok = r && (r->flags & VJ_TAG) && (p == RG_VID_NONE || reached(e, p, jobid));
    if (ok)
        e->rmemo[v] = (uint32_t)(r - e->vj.slot);
    e->color[v] = e->color_base + (ok ? 1 : 2);
    return ok;
}

int trav__remove_recs(eng_t *e, uint64_t jobid, const rg_vid_t *tv, const uint32_t *rec,
                      uint32_t ntv)
{
    bind(e);
    int rc = 0;
    for (uint32_t i = 0; i < ntv; i++) {
        int vrc = 0;
        cancel_vertex_rec(e, tv[i], jobid, &e->vj.slot[rec[i]], &vrc);
        rc += vrc;
    }
    return rc == 0 ? 0 : ENG_EINVAL;
}

/* trav__remove for a job whose tagged vertices are known: Fluxion's walk
 * from the root reaches exactly the tagged vertices whose ancestors are all
 * tagged, and looks at each of their children once; those are released and
 * counted without scanning untouched subtrees (thousands of nodes under the
 * root of a large system). */
int trav__remove_listed(eng_t *e, rg_vid_t root, uint64_t jobid, const rg_vid_t *tv,
                        uint32_t ntv)
{
    bind(e);
    if (!has_tag(e, root, jobid))
        return trav__remove(e, root, jobid);
    e->preorder = 1;
    e->postorder = 0;
    e->color_base += 3;
    /* every answer is decided before the first release drops a tag; the
     * releases below touch no color, so the memo still holds it, and they
     * neither move records nor make new ones, so the records found stay
     * where they are (one dropped is marked free: no tag) */
    for (uint32_t i = 0; i < ntv; i++)
        reached(e, tv[i], jobid);
    int rc = 0;
    for (uint32_t i = 0; i < ntv; i++) {
        if (e->color[tv[i]] != e->color_base + 1)
            continue;
        int vrc = 0;
        cancel_vertex_rec(e, tv[i], jobid, &e->vj.slot[e->rmemo[tv[i]]], &vrc);
        rc += vrc;
        e->preorder += e->ndom[tv[i]];
        e->postorder++;
    }
    return rc == 0 ? 0 : ENG_EINVAL;
}
