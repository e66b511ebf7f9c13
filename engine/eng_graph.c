/* eng_graph.c: changing the graph under a live engine (Fluxion's attach /
 * add_subgraph, remove_subgraph by path and by ranks) and placing a job from
 * an R ("update").  After every change the derived state is rebuilt as
 * Fluxion's traverser initialize() does: out-edge order, pruning filters (their
 * totals follow the graph, their spans stay), node count. */
#include <stdlib.h>
#include <string.h>

#include "eng_private.h"
#include "idset.h"
#include "jgf.h"

rg_vid_t eng__rank_root(const eng_t *e, int64_t rank);
int eng__rebuild(eng_t *e, eng_error_t *err);

int eng_attach(eng_t *e, const char *text, size_t len, eng_error_t *err)
{
    eng_error_clear(err);
    if (!e || !e->g || !text)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid argument");
    eng__msg_clear(e);
    int rc = jgf_attach(e->g, text, len, NULL, NULL, err);
    if (rc < 0) {
        eng__msg_add(e, "add_subgraph: ERROR: reader returned error: %s\n",
                     err ? err->text : "");
        return rc;
    }
    return eng__rebuild(e, err);
}

int eng_remove_path(eng_t *e, const char *path, eng_error_t *err)
{
    eng_error_clear(err);
    if (!e || !e->g || !path)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid argument");
    eng__msg_clear(e);
    rg_vid_t v = rg_vertex_find_path(e->g, e->dom, path);
    if (v == RG_VID_NONE) {
        eng__msg_add(e, "remove_subgraph: ERROR: traverser returned error: \n");
        return eng_errorf(err, ENG_ENOENT, NULL, 0, 0, "could not find path %s", path);
    }
    long n = rg_vertex_remove_subtree(e->g, v);
    if (n < 0)
        return eng_errorf(err, (int)n, NULL, 0, 0, "cannot remove %s", path);
    return eng__rebuild(e, err);
}

/* clear_vertex: drop every job's state on 'v', adding the units its
 * allocations held to 'counts' per type. */
struct jobset {
    uint64_t *id;
    size_t n, cap;
};

static int jobset_add(struct jobset *s, uint64_t id)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->id[i] == id)
            return 0;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        uint64_t *n = realloc(s->id, cap * sizeof *n);
        if (!n)
            return ENG_ENOMEM;
        s->id = n;
        s->cap = cap;
    }
    s->id[s->n++] = id;
    return 0;
}

static int clear_vertex(eng_t *e, rg_vid_t v, struct jobset *jobs, int64_t *total)
{
    for (size_t i = 0; i < e->vj.cap; i++) {
        struct vjob *r = &e->vj.slot[i];
        if (!r->flags || r->v != v)
            continue;
        if ((r->flags & VJ_TAG) && jobset_add(jobs, r->jobid) < 0)
            return ENG_ENOMEM;
        if (r->flags & VJ_ALLOC)
            *total += planner_span_planned(e->plans[v], r->span);
    }
    if (e->plans[v])
        planner_reset(e->plans[v], 0, ENG_PLAN_DURATION);
    if (e->subplan[v])
        planner_multi_reset(e->subplan[v], 0, ENG_PLAN_DURATION);
    for (size_t i = 0; i < e->vj.cap;) {
        struct vjob *r = &e->vj.slot[i];
        if (r->flags && r->v == v) {
            r->flags = VJ_DEAD;
            eng__vj_drop_if_empty(e, r); /* may shift another record into slot i */
            continue;
        }
        i++;
    }
    e->nalloc[v] = e->nresv[v] = e->ntag[v] = 0;
    return 0;
}

int eng__partial_reduce(eng_t *e, rg_vid_t u, uint64_t jobid, const rg_sym_t *types,
                        const int64_t *counts, unsigned n);

int eng_remove_ranks(eng_t *e, const char *ranks, eng_error_t *err)
{
    eng_error_clear(err);
    if (!e || !e->g || !ranks)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid argument");
    eng__msg_clear(e);
    idset_t *ids = idset_decode(ranks, -1, NULL, err);
    if (!ids)
        return err ? err->code : ENG_EPARSE;
    struct jobset jobs = {0};
    int rc = 0;
    rg_sym_t types[64];
    int64_t counts[64];
    unsigned nt = 0;
    rg_vid_t roots[256];
    size_t nroots = 0;
    for (unsigned k = idset_first(ids); k != IDSET_INVALID_ID; k = idset_next(ids, k)) {
        if (rg_vertex_first_of_rank(e->g, (int64_t)k) == RG_VID_NONE) {
            eng__msg_add(e, "remove: %u not found in by_rank map.\n", k);
            rc = eng_errorf(err, ENG_ENOENT, NULL, 0, 0, "rank %u not in the graph", k);
            goto out;
        }
        for (rg_vid_t v = rg_vertex_first_of_rank(e->g, (int64_t)k); v != RG_VID_NONE;
             v = rg_vertex_next_of_rank(e->g, v)) {
            int64_t total = 0;
            if ((rc = clear_vertex(e, v, &jobs, &total)) < 0)
                goto out;
            rg_sym_t t = rg_vertex_get(e->g, v)->type;
            unsigned i = 0;
            while (i < nt && types[i] != t)
                i++;
            if (i == nt && nt < 64) {
                types[nt] = t;
                counts[nt++] = 0;
            }
            if (i < 64)
                counts[i] += total;
        }
        if (nroots < 256)
            roots[nroots++] = eng__rank_root(e, (int64_t)k);
    }
    for (size_t r = 0; r < nroots && jobs.n; r++) {
        for (rg_vid_t p = rg_vertex_get(e->g, roots[r])->parent; p != RG_VID_NONE;
             p = rg_vertex_get(e->g, p)->parent)
            for (size_t j = 0; j < jobs.n; j++)
                eng__partial_reduce(e, p, jobs.id[j], types, counts, nt);
    }
    for (size_t r = 0; r < nroots; r++)
        if (roots[r] != RG_VID_NONE && rg_vertex_is_live(e->g, roots[r]))
            rg_vertex_remove_subtree(e->g, roots[r]);
    rc = eng__rebuild(e, err);
out:
    free(jobs.id);
    idset_destroy(ids);
    return rc;
}

int eng_update(eng_t *e, uint64_t jobid, const char *r, size_t len, int64_t at,
               uint64_t duration, bool reserve, rwrite_t *w, struct eng_match_result *res,
               eng_error_t *err)
{
    eng_error_clear(err);
    (void)jobid;
    (void)r;
    (void)len;
    (void)reserve;
    (void)w;
    if (res)
        memset(res, 0, sizeof *res);
    if (!e || !r || at < 0 || duration == 0)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid argument");
    return eng_errorf(err, ENG_ENOTSUP, NULL, 0, 0,
                      "update from R is not implemented by this engine yet");
}
