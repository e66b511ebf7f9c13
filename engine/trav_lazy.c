/* trav_lazy.c: the subtree below a wholly reserved vertex, held lazily
 * (eng_set_lazy_reservations()).
 *
 * The full update walks every vertex below such a vertex 'u' (Fluxion's
 * shadow walk), giving each a span, an exclusivity span, a record and, where
 * it has one, an aggregate span, and refreshing the weight of every out-edge
 * on the way.  A lazy reservation keeps only what can be observed while it
 * lasts: the counts the walk passes up to 'u' (so 'u' and its ancestors get
 * the same aggregate spans), the number of vertices it plans (what upd_dfv()
 * returns), and the weight refreshes.  The first two depend on the graph
 * alone, and the refreshes only on which edges lead to a vertex with an
 * aggregate planner: a summary per vertex, built on first use and dropped
 * when the graph changes (eng__lazy_reset()), replaces the walk by a pass
 * over those edges.  A summary needs the subtree to be a tree in the
 * dominant subsystem (the walk colours vertices and would skip a second
 * visit); a vertex below which some vertex has two parents is walked every
 * time instead, by the same rules.
 *
 * A lazy allocation (eng_set_lazy_allocations()) is held the same way where
 * 'u' has a summary, and also writes the subtree to the R writer as the full
 * walk would.  Its spans would cover the current time, which the weight
 * refreshes read: while it lives, the targets of its summary's edges are
 * marked held ('lheld'), and any refresh of an edge into a held vertex
 * subtracts what the allocation would have planned there ('lamt', from the
 * summaries). */
#include <stdlib.h>
#include <string.h>

#include "eng_private.h"
#include "planner_private.h"
#include "trav_inline.h"

/* upd_by_outedges() for edge 'ed' of 'src' as the full update runs it once
 * it has given the edge's target its aggregate span ('ag_added'; 'now': an
 * allocation's, which counts at the current time).  A live lazy allocation
 * above the target would have had its span there too. */
static void reweigh(eng_t *e, const struct jobmeta *m, rg_vid_t src, rg_eid_t ed,
                    bool ag_added, bool now)
{
    rg_vid_t tgt = E(e, ed)->dst;
    planner_multi_t *p = e->subplan[tgt];
    if (!p)
        return;
    if (!now) /* a reservation's: replayed as an upd_by_outedges() site */
        eng__rp_push(m, ag_added ? RP_FORCE : RP_REWEIGH, src, ed);
    int64_t avail;
    size_t nspans;
    if (eng__sub_last_at(e, tgt, m->now, &avail, &nspans) == 0) {
        eng__msg_add(e, "upd_dfv: upd_by_outedges returned -1.\n");
        return;
    }
    bool held;
    avail -= eng__lazy_now(e, tgt, &held) + (now && ag_added ? e->lamt[tgt] : 0);
    if (avail == 0 && nspans == 0 && !ag_added && !held)
        return;
    trav__oe_reweight(e, src, ed, avail < 0 ? 0 : (uint64_t)avail);
}

/* What upd_meta() would plan on the last resource of the aggregate of 'v'
 * given the counts 'cc'/'cm' passed up to it. */
static int64_t last_amount(eng_t *e, rg_vid_t v, const int64_t *cc, uint32_t cm)
{
    if (!e->subplan[v] || !e->sp_idx[v] || !cm)
        return 0;
    size_t len = prune__relevant(e, v, cc);
    if (len == 0)
        return 0;
    int k = e->sp_idx[v][len];
    return k < 0 || !(cm & (1u << k)) ? 0 : e->agg_buf[len - 1];
}

/* What the walk below 'u' passes up to 'u': 'c'/'mask' as upd_meta()
 * accumulates them, and the number of vertices planned. */
static void pass_up(const eng_t *e, rg_vid_t tgt, const int64_t *cc, uint32_t cm,
                    int64_t *c, uint32_t *mask)
{
    trav__accum_if(e, V(e, tgt)->type, V(e, tgt)->size, c, mask);
    for (unsigned k = 0; k < e->prune.ntotal; k++)
        if (cm & (1u << k))
            trav__accum_if(e, e->prune.total[k], cc[k], c, mask);
}

/* The walk itself, for a vertex without a summary. */
static int walk(eng_t *e, const struct jobmeta *m, rg_vid_t u, int64_t *c, uint32_t *mask)
{
    int n_plans = 0;
    e->color[u] = e->color_base + 1;
    for (rg_eid_t ed = dom_from(e, V(e, u)->out_head); ed != RG_EID_NONE;
         ed = dom_from(e, E(e, ed)->next_out)) {
        rg_vid_t tgt = E(e, ed)->dst;
        if (e->color[tgt] > e->color_base)
            continue;
        int64_t cc[ENG_PRUNE_TYPES_MAX] = {0};
        uint32_t cm = 0;
        int sub = walk(e, m, tgt, cc, &cm) + 1; /* + its own plan */
        if (e->pol.stop_on_k > 0)
            reweigh(e, m, u, ed, e->subplan[tgt] && e->sp_idx[tgt] && cm, false);
        pass_up(e, tgt, cc, cm, c, mask);
        n_plans += sub;
    }
    e->color[u] = e->color_base + 2;
    return n_plans;
}

static bool single_parent(const eng_t *e, rg_vid_t v)
{
    rg_eid_t in = rg_in_first(e->g, v, e->dom);
    return in != RG_EID_NONE && rg_in_next(e->g, in, e->dom) == RG_EID_NONE;
}

static int push_rw(eng_t *e, rg_vid_t src, rg_eid_t ed, bool ag)
{
    if (e->nlrw == e->caplrw) {
        size_t cap = e->caplrw ? 2 * e->caplrw : 256;
        struct lazy_rw *n = realloc(e->lrw, cap * sizeof *n);
        if (!n)
            return ENG_ENOMEM;
        e->lrw = n;
        e->caplrw = cap;
    }
    e->lrw[e->nlrw++] = (struct lazy_rw){src, ed, ag};
    return 0;
}

/* The walk without side effects, recording the edges it would re-weigh (in
 * its order).  '*ok' false: not a tree, or out of memory. */
static int build(eng_t *e, rg_vid_t u, int64_t *c, uint32_t *mask, bool *ok)
{
    int n_plans = 0;
    for (rg_eid_t ed = dom_from(e, V(e, u)->out_head); ed != RG_EID_NONE && *ok;
         ed = dom_from(e, E(e, ed)->next_out)) {
        rg_vid_t tgt = E(e, ed)->dst;
        if (!single_parent(e, tgt)) {
            *ok = false;
            break;
        }
        int64_t cc[ENG_PRUNE_TYPES_MAX] = {0};
        uint32_t cm = 0;
        int sub = build(e, tgt, cc, &cm, ok) + 1;
        if (e->subplan[tgt] && push_rw(e, u, ed, e->sp_idx[tgt] && cm) < 0)
            *ok = false;
        if (e->subplan[tgt] && e->lamt)
            e->lamt[tgt] = last_amount(e, tgt, cc, cm);
        pass_up(e, tgt, cc, cm, c, mask);
        n_plans += sub;
    }
    return n_plans;
}

static bool push_id(eng_t *e, int64_t id)
{
    if (e->nlids == e->caplids) {
        size_t cap = e->caplids ? 2 * e->caplids : 1024;
        int64_t *n = realloc(e->lids, cap * sizeof *n);
        if (!n)
            return false;
        e->lids = n;
        e->caplids = cap;
    }
    e->lids[e->nlids++] = id;
    return true;
}

/* Append to e->lids the ids of the vertices of type 'want' below 'u' (a
 * tree, as build() found), in the walk's post-order; count them in '*n'.
 * False when a node or storage node (which R_lite records whole) is
 * there, or out of memory. */
static bool collect_ids(eng_t *e, rg_vid_t u, rg_sym_t want,
                        const struct rwrite_rlite_types *rt, size_t *n)
{
    for (rg_eid_t ed = dom_from(e, V(e, u)->out_head); ed != RG_EID_NONE;
         ed = dom_from(e, E(e, ed)->next_out)) {
        rg_vid_t tgt = E(e, ed)->dst;
        if (!collect_ids(e, tgt, want, rt, n))
            return false;
        rg_sym_t t = V(e, tgt)->type;
        if (t != RG_SYM_NONE && (t == rt->node || t == rt->storage_node))
            return false;
        if (t != RG_SYM_NONE && t == want) {
            if (!push_id(e, V(e, tgt)->id))
                return false;
            (*n)++;
        }
    }
    return true;
}

/* The ids part of summary 's' of 'u' (see struct lazy_sum). */
static void summary_ids(eng_t *e, rg_vid_t u, struct lazy_sum *s)
{
    struct rwrite_rlite_types rt = rwrite_rlite_types(e->g);
    size_t n0 = e->nlids;
    s->id_off = n0;
    s->ncore = s->ngpu = 0;
    s->ids_ok = collect_ids(e, u, rt.core, &rt, &s->ncore) &&
                collect_ids(e, u, rt.gpu, &rt, &s->ngpu);
    if (!s->ids_ok) {
        e->nlids = n0;
        s->ncore = s->ngpu = 0;
    }
}

enum { LAZY_WALK = UINT32_MAX }; /* e->lsum_ix: no summary, walk each time */

/* Drop the per-vertex state of lazy allocations. */
static void free_alloc_arrays(eng_t *e)
{
    free(e->lhold_job);
    free(e->lheld);
    free(e->lamt);
    e->lhold_job = NULL;
    e->lheld = NULL;
    e->lamt = NULL;
    e->nlazyv = 0;
}

/* The per-vertex arrays: summary indexes, and with lazy allocations on,
 * their state (allocated on first use).  False when out of memory. */
static bool vertex_arrays(eng_t *e)
{
    size_t n = rg_graph_vid_bound(e->g) + 1;
    if (!e->lsum_ix && !(e->lsum_ix = calloc(n, sizeof(uint32_t))))
        return false;
    if (!e->lazy_alloc || e->lamt)
        return true;
    /* summaries built so far have no 'lamt': build them again */
    e->nlsum = e->nlrw = e->nlids = 0;
    memset(e->lsum_ix, 0, n * sizeof(uint32_t));
    e->lhold_job = calloc(n, sizeof *e->lhold_job);
    e->lheld = calloc(n, sizeof *e->lheld);
    e->lamt = calloc(n, sizeof *e->lamt);
    if (!e->lhold_job || !e->lheld || !e->lamt) {
        free_alloc_arrays(e);
        return false;
    }
    e->nlazyv = n;
    return true;
}

/* The summary of 'u' (NULL: walk instead).  Summaries live in a pool; a
 * per-vertex index (0: none yet) finds them, so the memory grows with the
 * vertices reserved whole (nodes), not with the graph. */
static const struct lazy_sum *summary(eng_t *e, rg_vid_t u)
{
    if (!vertex_arrays(e))
        return NULL;
    uint32_t ix = e->lsum_ix[u];
    if (ix == LAZY_WALK)
        return NULL;
    if (ix)
        return &e->lsum[ix - 1];
    if (e->nlsum == e->caplsum) {
        size_t cap = e->caplsum ? 2 * e->caplsum : 64;
        struct lazy_sum *n = realloc(e->lsum, cap * sizeof *n);
        if (!n)
            return NULL;
        e->lsum = n;
        e->caplsum = cap;
    }
    size_t rw0 = e->nlrw;
    struct lazy_sum *s = &e->lsum[e->nlsum];
    memset(s, 0, sizeof *s);
    bool ok = e->nlsum < LAZY_WALK - 1;
    s->n_plans = ok ? build(e, u, s->c, &s->mask, &ok) : 0;
    if (!ok) {
        e->nlrw = rw0;
        e->lsum_ix[u] = LAZY_WALK;
        return NULL;
    }
    s->rw_off = rw0;
    s->rw_n = e->nlrw - rw0;
    summary_ids(e, u, s);
    e->lsum_ix[u] = (uint32_t)++e->nlsum;
    return s;
}

int trav__lazy_hold(eng_t *e, const struct jobmeta *m, rg_vid_t u, int64_t *c,
                    uint32_t *mask)
{
    const struct lazy_sum *s = summary(e, u);
    if (!s)
        return walk(e, m, u, c, mask);
    e->color[u] = e->color_base + 2;
    if (e->pol.stop_on_k > 0)
        for (size_t i = 0; i < s->rw_n; i++) {
            const struct lazy_rw *r = &e->lrw[s->rw_off + i];
            reweigh(e, m, r->src, r->ed, r->ag, false);
        }
    memcpy(c, s->c, sizeof s->c);
    *mask = s->mask;
    return s->n_plans;
}

bool trav__lazy_alloc_ok(eng_t *e, rg_vid_t u)
{
    return summary(e, u) && e->lamt;
}

/* The emits of the full walk below 'x' (every vertex taken whole, in
 * post-order, each vertex before the edge that leads to it).  A writer that
 * keeps R_lite alone gets just the ids of the cores and gpus, from the
 * summary 's' when it has them. */
static void emit_below(eng_t *e, rwrite_t *w, rg_vid_t x, const struct lazy_sum *s,
                       eng_error_t *err)
{
    if (s && s->ids_ok && rwrite_ids_only(w)) {
        const int64_t *ids = e->lids + s->id_off;
        if (rwrite_emit_rg_ids(w, ids, s->ncore, ids + s->ncore, s->ngpu, err) < 0)
            eng__msg_add(e, "upd_sched: emit_vtx returned -1.\n");
        return;
    }
    for (rg_eid_t ed = dom_from(e, V(e, x)->out_head); ed != RG_EID_NONE;
         ed = dom_from(e, E(e, ed)->next_out)) {
        rg_vid_t tgt = E(e, ed)->dst;
        e->trav_level++;
        emit_below(e, w, tgt, NULL, err);
        if (trav__emit_vertex(e, w, tgt, (unsigned)V(e, tgt)->size, true, true, NULL, 0,
                              err) < 0)
            eng__msg_add(e, "upd_sched: emit_vtx returned -1.\n");
        e->trav_level--;
        if (trav__emit_edge(e, w, ed, true, err) < 0)
            eng__msg_add(e, "upd_dfv: emit_edg returned -1.\n");
    }
}

int trav__lazy_hold_alloc(eng_t *e, const struct jobmeta *m, rg_vid_t u, rwrite_t *w,
                          int64_t *c, uint32_t *mask, eng_error_t *err)
{
    const struct lazy_sum *s = summary(e, u); /* trav__lazy_alloc_ok() */
    e->color[u] = e->color_base + 2;
    if (e->pol.stop_on_k > 0)
        for (size_t i = 0; i < s->rw_n; i++) {
            const struct lazy_rw *r = &e->lrw[s->rw_off + i];
            reweigh(e, m, r->src, r->ed, r->ag, true);
        }
    for (size_t i = 0; i < s->rw_n; i++)
        e->lheld[E(e, e->lrw[s->rw_off + i].ed)->dst]++;
    e->lhold_job[u] = m->jobid + 1;
    if (w)
        emit_below(e, w, u, s, err);
    memcpy(c, s->c, sizeof s->c);
    *mask = s->mask;
    return s->n_plans;
}

void eng__lazy_release(eng_t *e, rg_vid_t u, uint64_t jobid)
{
    if (!e->lhold_job || u >= e->nlazyv || e->lhold_job[u] != jobid + 1)
        return;
    e->lhold_job[u] = 0;
    const struct lazy_sum *s = summary(e, u);
    for (size_t i = 0; s && i < s->rw_n; i++) {
        rg_vid_t t = E(e, e->lrw[s->rw_off + i].ed)->dst;
        if (e->lheld[t] > 0)
            e->lheld[t]--;
    }
}

void eng__lazy_reset(eng_t *e)
{
    free(e->lsum_ix);
    free(e->lsum);
    free(e->lrw);
    free(e->lids);
    free_alloc_arrays(e);
    e->lsum_ix = NULL;
    e->lsum = NULL;
    e->lrw = NULL;
    e->lids = NULL;
    e->nlsum = e->caplsum = e->nlrw = e->caplrw = e->nlids = e->caplids = 0;
}
