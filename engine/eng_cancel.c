/* eng_cancel.c: partial cancel (Fluxion's dfu_impl_t::remove with an R to
 * cancel, dfu_impl_update.cpp at fd257f71) and removal of ranks.
 *
 * An rv1 R names ranks: every vertex of those ranks that carries the job's
 * tag is released completely (a "vertex cancel"), and the units released per
 * type are then taken off the job's aggregate spans of every ancestor of each
 * rank's subtree root (a "partial cancel" of those vertices).  When the
 * job's tag leaves the graph root, nothing of the job is left. */
#include <stdlib.h>
#include <string.h>

#include "eng_private.h"
#include "idset.h"
#include "rparse.h"

rg_vid_t eng__rank_root(const eng_t *e, int64_t rank);

/* Units per type released, for one rank or one ancestor. */
struct tcount {
    rg_sym_t type[64];
    int64_t count[64];
    unsigned n;
};

static void tc_add(struct tcount *t, rg_sym_t type, int64_t c)
{
    for (unsigned i = 0; i < t->n; i++)
        if (t->type[i] == type) {
            t->count[i] += c;
            return;
        }
    if (t->n < 64) {
        t->type[t->n] = type;
        t->count[t->n++] = c;
    }
}

/* cancel_vertex in VTX_CANCEL mode: drop everything of the job on 'u'. */
static int vtx_cancel(eng_t *e, rg_vid_t u, uint64_t jobid, struct tcount *tc,
                      bool *counted)
{
    struct vjob *r = eng__vj_get(e, u, jobid);
    if (!r)
        return 0;
    eng__lazy_release(e, u, jobid);
    if (r->flags & VJ_TAG) {
        r->flags &= ~(uint32_t)VJ_TAG;
        e->ntag[u]--;
        if (!(r->flags & VJ_X)) {
            eng__msg_add(e,
                         "rem_exclusive_filter: jobid isn't found in x_spans table.\n ");
            return ENG_EINVAL;
        }
        eng__x_remove(e, u, r->xspan);
        r->flags &= ~(uint32_t)VJ_X;
        if (e->subplan[u] && (r->flags & VJ_AG)) {
            planner_multi_span_remove(e->subplan[u], r->agspan);
            eng__sub_changed(e, u);
            r->flags &= ~(uint32_t)VJ_AG;
        }
    }
    if (r->flags & (VJ_ALLOC | VJ_RESV)) {
        int64_t span = r->flags & VJ_ALLOC ? r->span : r->rspan;
        int64_t prev = planner_span_planned(e->plans[u], span);
        if (prev < 0) {
            eng__msg_add(e, "mod_plan: planner_span_resource_count failed.\n");
            return ENG_EINVAL;
        }
        planner_span_remove(e->plans[u], eng__vj_drop_span(e, r));
        tc_add(tc, rg_vertex_get(e->g, u)->type, prev);
        *counted = true;
    }
    eng__vj_drop_if_empty(e, r);
    return 0;
}

/* cancel_vertex in PARTIAL_CANCEL mode on an ancestor. */
static int partial_vertex(eng_t *e, rg_vid_t u, uint64_t jobid, const struct tcount *tc)
{
    struct vjob *r = eng__vj_get(e, u, jobid);
    if (!e->subplan[u] || !r || !(r->flags & VJ_AG) || !(r->flags & VJ_TAG))
        return 0;
    const char *names[64];
    for (unsigned i = 0; i < tc->n; i++)
        names[i] = rg_sym_str(e->g, tc->type[i]);
    bool removed = false;
    eng__sub_changed(e, u);
    int rc = planner_multi_span_reduce(e->subplan[u], r->agspan, tc->count, names, tc->n,
                                       &removed);
    if (rc < 0) {
        eng__msg_add(e, "mod_agfilter: planner_multi_reduce_span returned -1.\n");
        return rc;
    }
    if (removed) {
        r->flags &= ~(uint32_t)(VJ_AG | VJ_TAG);
        e->ntag[u]--;
    }
    if (r->flags & VJ_X) {
        eng__x_remove(e, u, r->xspan);
        r->flags &= ~(uint32_t)VJ_X;
    }
    eng__vj_drop_if_empty(e, r);
    return 0;
}

struct anc {
    rg_vid_t v;
    struct tcount tc;
};

/* Per rank: the subtree root of what was released and the units per type. */
struct rdata {
    int64_t rank;
    rg_vid_t root;
    int rootlen;
    struct tcount tc;
    bool counted; /* some span of the job released on this rank */
};

/* Take each rank's released units off the job's aggregate spans of every
 * ancestor of the rank's root, then tell whether the job is gone. */
static int partial_ancestors(eng_t *e, uint64_t jobid, const struct rdata *rd, size_t nrd,
                             bool *full)
{
    rg_vid_t root = rg_graph_root(e->g, e->dom);
    size_t nanc = 0, capanc = 0;
    struct anc *anc = NULL;
    int rc = 0;
    if (nrd == 0) {
        eng__msg_add(e, "remove: rank_to_root is empty.\n");
        return ENG_EINVAL;
    }
    for (size_t k = 0; k < nrd; k++) {
        for (rg_vid_t p = rg_vertex_get(e->g, rd[k].root)->parent; p != RG_VID_NONE;
             p = rg_vertex_get(e->g, p)->parent) {
            size_t i = 0;
            while (i < nanc && anc[i].v != p)
                i++;
            if (i == nanc) {
                if (nanc == capanc) {
                    capanc = capanc ? 2 * capanc : 16;
                    struct anc *n = realloc(anc, capanc * sizeof *n);
                    if (!n) {
                        free(anc);
                        return ENG_ENOMEM;
                    }
                    anc = n;
                }
                anc[nanc].v = p;
                anc[nanc++].tc.n = 0;
            }
            for (unsigned t = 0; t < rd[k].tc.n; t++)
                tc_add(&anc[i].tc, rd[k].tc.type[t], rd[k].tc.count[t]);
        }
    }
    struct vjob *rj = eng__vj_get(e, root, jobid);
    if (rj && (rj->flags & VJ_TAG)) {
        for (size_t i = 0; i < nanc && rc == 0; i++)
            rc = partial_vertex(e, anc[i].v, jobid, &anc[i].tc);
        rj = eng__vj_get(e, root, jobid);
        *full = !rj || !(rj->flags & VJ_TAG);
    } else {
        rc = trav__remove(e, root, jobid);
    }
    free(anc);
    return rc;
}

static int rdata_add(struct rdata **rd, size_t *n, size_t *cap)
{
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 16;
        struct rdata *x = realloc(*rd, *cap * sizeof *x);
        if (!x)
            return ENG_ENOMEM;
        *rd = x;
    }
    memset(&(*rd)[*n], 0, sizeof **rd);
    (*n)++;
    return 0;
}

static int partial_ranks(eng_t *e, uint64_t jobid, const idset_t *ranks, bool *full)
{
    struct rdata *rd = NULL;
    size_t nrd = 0, caprd = 0;
    int rc = 0;
    for (unsigned k = idset_first(ranks); k != IDSET_INVALID_ID;
         k = idset_next(ranks, k)) {
        if (!rg_rank_seen(e->g, (int64_t)k)) {
            eng__msg_add(e, "remove%u not found in by_rank map.\n", k);
            rc = ENG_ENOENT;
            goto out;
        }
        /* a rank whose vertices were all removed: Fluxion's by_rank keeps
         * it with no vertex, and nothing is released or counted for it */
        if (rg_vertex_first_of_rank(e->g, (int64_t)k) == RG_VID_NONE)
            continue;
        if ((rc = rdata_add(&rd, &nrd, &caprd)) < 0)
            goto out;
        struct rdata *d = &rd[nrd - 1];
        bool counted = false;
        for (rg_vid_t v = rg_vertex_first_of_rank(e->g, (int64_t)k); v != RG_VID_NONE;
             v = rg_vertex_next_of_rank(e->g, v)) {
            struct vjob *r = eng__vj_get(e, v, jobid);
            if (r && (r->flags & VJ_TAG) &&
                (rc = vtx_cancel(e, v, jobid, &d->tc, &counted)) < 0) {
                eng__msg_add(e, "remove: cancel_vertex failed\n.%s.\n",
                             rg_sym_str(e->g, rg_vertex_get(e->g, v)->name));
                goto out;
            }
        }
        d->rank = k;
        d->root = eng__rank_root(e, (int64_t)k);
        d->counted = counted;
    }
    /* as Fluxion: every rank's vertices are released first, then a rank
     * that released nothing fails the call (the others stay released) */
    for (size_t i = 0; i < nrd; i++)
        if (!rd[i].counted) {
            eng__msg_add(e, "remove: %u not found in rank_to_counts.\n",
                         (unsigned)rd[i].rank);
            rc = ENG_ENOENT;
            goto out;
        }
    rc = partial_ancestors(e, jobid, rd, nrd, full);
out:
    free(rd);
    return rc;
}

/* The JGF reader's partial cancel (resource_reader_jgf_t::cancel_vtx): every
 * vertex the JGF names loses the job's aggregate span, tag, exclusivity span
 * and allocation span; all must be there. */
static int jgf_cancel_vtx(eng_t *e, rg_vid_t v, uint64_t jobid, struct rdata *d)
{
    const char *name = rg_sym_str(e->g, rg_vertex_get(e->g, v)->name);
    struct vjob *r = eng__vj_get(e, v, jobid);
    eng__lazy_release(e, v, jobid);
    if (r && (r->flags & VJ_AG)) {
        if (e->subplan[v])
            eng__sub_changed(e, v);
        if (!e->subplan[v] || planner_multi_span_remove(e->subplan[v], r->agspan) < 0)
            return ENG_EINVAL;
        r->flags &= ~(uint32_t)VJ_AG;
    }
    if (!r || !(r->flags & VJ_X)) {
        eng__msg_add(e, "cancel_vtx: can't find x_checker span for job %llu in %s.\n",
                     (unsigned long long)jobid, name);
        return ENG_EINVAL;
    }
    if (r->flags & VJ_TAG) {
        r->flags &= ~(uint32_t)VJ_TAG;
        e->ntag[v]--;
    }
    r->flags &= ~(uint32_t)VJ_X;
    eng__x_remove(e, v, r->xspan);
    if (!(r->flags & VJ_ALLOC)) {
        eng__msg_add(e, "cancel_vtx: can't find allocation span for job %llu in %s.\n",
                     (unsigned long long)jobid, name);
        eng__vj_drop_if_empty(e, r);
        return ENG_EINVAL;
    }
    int64_t prev = planner_span_planned(e->plans[v], r->span);
    planner_span_remove(e->plans[v], r->span);
    r->flags &= ~(uint32_t)VJ_ALLOC;
    e->nalloc[v]--;
    eng__vj_drop_if_empty(e, r);
    tc_add(&d->tc, rg_vertex_get(e->g, v)->type, prev);
    char buf[RG_PATH_MAX];
    int len = rg_vertex_path(e->g, v, e->dom, buf, sizeof buf);
    if (d->root == RG_VID_NONE || (len >= 0 && len < d->rootlen)) {
        d->root = v;
        d->rootlen = len;
    }
    return 0;
}

static int partial_jgf(eng_t *e, uint64_t jobid, const rparse_t *rp, bool *full)
{
    struct rdata *rd = NULL;
    size_t nrd = 0, caprd = 0;
    int rc = 0;
    for (size_t i = 0; i < rparse_vertex_count(rp) && rc == 0; i++) {
        const struct rparse_vertex *x = rparse_vertex(rp, i);
        rg_vid_t v = x->path ? rg_vertex_find_path_rank(e->g, e->dom, x->path, x->rank)
                             : RG_VID_NONE;
        if (v == RG_VID_NONE) {
            eng__msg_add(e,
                         "exist: inconsistent input vertex: nonexistent path (%s) %s.\n",
                         x->path ? x->path : "", x->jgf_id);
            rc = ENG_ENOENT;
            break;
        }
        size_t k = 0;
        while (k < nrd && rd[k].rank != x->rank)
            k++;
        if (k == nrd) {
            if ((rc = rdata_add(&rd, &nrd, &caprd)) < 0)
                break;
            rd[k].rank = x->rank;
            rd[k].root = RG_VID_NONE;
        }
        rc = jgf_cancel_vtx(e, v, jobid, &rd[k]);
    }
    if (rc < 0) {
        eng__msg_add(e, "remove: partial_cancel returned error.\n");
    } else {
        /* Fluxion keys its per-rank data by rank: walk them in rank order */
        for (size_t a = 1; a < nrd; a++)
            for (size_t b = a; b > 0 && rd[b - 1].rank > rd[b].rank; b--) {
                struct rdata t = rd[b];
                rd[b] = rd[b - 1];
                rd[b - 1] = t;
            }
        rc = partial_ancestors(e, jobid, rd, nrd, full);
    }
    free(rd);
    return rc;
}

int eng_partial_cancel(eng_t *e, uint64_t jobid, const char *r, size_t len,
                       bool *full_removal, eng_error_t *err)
{
    eng_error_clear(err);
    bool full = false;
    if (full_removal)
        *full_removal = false;
    if (!e || !r || !e->g)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid argument");
    if (e->pend.on) {
        int src = eng__settle_err(e, err);
        if (src < 0)
            return src;
    }
    eng__msg_clear(e);
    struct eng_job *j = eng__job_find(e, jobid);
    if (!j || j->info.state != ENG_JOB_ALLOCATED)
        return eng_errorf(err, ENG_ENOENT, NULL, 0, 0,
                          "can't find allocation for jobid: %llu",
                          (unsigned long long)jobid);
    rparse_t *rp = rparse_parse(r, len, NULL, err);
    if (!rp)
        return err ? err->code : ENG_EPARSE;
    int rc;
    e->preorder = e->postorder = 0;
    if (rparse_has_jgf(rp))
        rc = partial_jgf(e, jobid, rp, &full);
    else
        rc = partial_ranks(e, jobid, rparse_ranks(rp), &full);
    rparse_destroy(rp);
    e->tot_pre = e->tot_post = 0;
    if (rc < 0)
        return eng_errorf(err, rc, NULL, 0, 0,
                          "error encountered while removing job %llu",
                          (unsigned long long)jobid);
    if (full)
        eng__job_drop(e, j);
    if (full_removal)
        *full_removal = full;
    return 0;
}

int eng__partial_reduce(eng_t *e, rg_vid_t u, uint64_t jobid, const rg_sym_t *types,
                        const int64_t *counts, unsigned n);
int eng__partial_reduce(eng_t *e, rg_vid_t u, uint64_t jobid, const rg_sym_t *types,
                        const int64_t *counts, unsigned n)
{
    struct tcount tc = {.n = 0};
    for (unsigned i = 0; i < n; i++)
        tc_add(&tc, types[i], counts[i]);
    return partial_vertex(e, u, jobid, &tc);
}
