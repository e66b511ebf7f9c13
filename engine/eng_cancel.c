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
    if (r->flags & VJ_TAG) {
        r->flags &= ~(uint32_t)VJ_TAG;
        e->ntag[u]--;
        if (!(r->flags & VJ_X)) {
            eng__msg_add(e,
                         "rem_exclusive_filter: jobid isn't found in x_spans table.\n ");
            return ENG_EINVAL;
        }
        planner_span_remove(e->xchk[u], r->xspan);
        r->flags &= ~(uint32_t)VJ_X;
        if (e->subplan[u] && (r->flags & VJ_AG)) {
            planner_multi_span_remove(e->subplan[u], r->agspan);
            r->flags &= ~(uint32_t)VJ_AG;
        }
    }
    if (r->flags & (VJ_ALLOC | VJ_RESV)) {
        int64_t prev = planner_span_planned(e->plans[u], r->span);
        if (prev < 0) {
            eng__msg_add(e, "mod_plan: planner_span_resource_count failed.\n");
            return ENG_EINVAL;
        }
        if (r->flags & VJ_ALLOC)
            e->nalloc[u]--;
        else
            e->nresv[u]--;
        r->flags &= ~(uint32_t)(VJ_ALLOC | VJ_RESV);
        planner_span_remove(e->plans[u], r->span);
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
        planner_span_remove(e->xchk[u], r->xspan);
        r->flags &= ~(uint32_t)VJ_X;
    }
    eng__vj_drop_if_empty(e, r);
    return 0;
}

struct anc {
    rg_vid_t v;
    struct tcount tc;
};

static int partial_ranks(eng_t *e, uint64_t jobid, const idset_t *ranks, bool *full)
{
    rg_vid_t root = rg_graph_root(e->g, e->dom);
    size_t nanc = 0, capanc = 0;
    struct anc *anc = NULL;
    int rc = 0;
    bool any_root = false;
    for (unsigned k = idset_first(ranks); k != IDSET_INVALID_ID;
         k = idset_next(ranks, k)) {
        if (rg_vertex_first_of_rank(e->g, (int64_t)k) == RG_VID_NONE) {
            eng__msg_add(e, "remove%u not found in by_rank map.\n", k);
            rc = ENG_ENOENT;
            goto out;
        }
        struct tcount tc = {.n = 0};
        bool counted = false;
        for (rg_vid_t v = rg_vertex_first_of_rank(e->g, (int64_t)k); v != RG_VID_NONE;
             v = rg_vertex_next_of_rank(e->g, v)) {
            struct vjob *r = eng__vj_get(e, v, jobid);
            if (r && (r->flags & VJ_TAG) &&
                (rc = vtx_cancel(e, v, jobid, &tc, &counted)) < 0) {
                eng__msg_add(e, "remove: cancel_vertex failed\n.%s.\n",
                             rg_sym_str(e->g, rg_vertex_get(e->g, v)->name));
                goto out;
            }
        }
        rg_vid_t rr = eng__rank_root(e, (int64_t)k);
        any_root = any_root || rr != RG_VID_NONE;
        if (!counted) {
            eng__msg_add(e, "remove: %u not found in rank_to_counts.\n", k);
            rc = ENG_ENOENT;
            goto out;
        }
        for (rg_vid_t p = rg_vertex_get(e->g, rr)->parent; p != RG_VID_NONE;
             p = rg_vertex_get(e->g, p)->parent) {
            size_t i = 0;
            while (i < nanc && anc[i].v != p)
                i++;
            if (i == nanc) {
                if (nanc == capanc) {
                    capanc = capanc ? 2 * capanc : 16;
                    struct anc *n = realloc(anc, capanc * sizeof *n);
                    if (!n) {
                        rc = ENG_ENOMEM;
                        goto out;
                    }
                    anc = n;
                }
                anc[nanc].v = p;
                anc[nanc++].tc.n = 0;
            }
            for (unsigned t = 0; t < tc.n; t++)
                tc_add(&anc[i].tc, tc.type[t], tc.count[t]);
        }
    }
    if (!any_root) {
        eng__msg_add(e, "remove: rank_to_root is empty.\n");
        rc = ENG_EINVAL;
        goto out;
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
out:
    free(anc);
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
    if (rparse_is_rv1(rp) && !rparse_has_jgf(rp)) {
        rc = partial_ranks(e, jobid, rparse_ranks(rp), &full);
    } else {
        eng__msg_add(e, "partial_cancel: JGF partial cancel is not supported.\n");
        rc = ENG_ENOTSUP;
    }
    rparse_destroy(rp);
    e->tot_pre = e->tot_post = 0;
    if (rc < 0)
        return eng_errorf(err, rc, NULL, 0, 0,
                          "error encountered while removing job %llu",
                          (unsigned long long)jobid);
    if (full)
        j->info.state = ENG_JOB_CANCELED;
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
