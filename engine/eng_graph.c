/* eng_graph.c: changing the graph under a live engine (Fluxion's attach /
 * add_subgraph, remove_subgraph by path and by ranks) and placing a job from
 * an R ("update").  After every change the derived state is rebuilt as
 * Fluxion's traverser initialize() does: out-edge order, pruning filters (their
 * totals follow the graph, their spans stay), node count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eng_private.h"
#include "hostlist.h"
#include "idset.h"
#include "jgf.h"
#include "rparse.h"

rg_vid_t eng__rank_root(const eng_t *e, int64_t rank);
int eng__rebuild(eng_t *e, eng_error_t *err);

int eng_attach(eng_t *e, const char *text, size_t len, eng_error_t *err)
{
    eng_error_clear(err);
    if (!e || !e->g || !text)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid argument");
    if (e->pend.on) {
        int src = eng__settle_err(e, err);
        if (src < 0)
            return src;
    }
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
    if (e->pend.on) {
        int src = eng__settle_err(e, err);
        if (src < 0)
            return src;
    }
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
    for (uint32_t i = e->vj.head ? e->vj.head[v] & ~VJ_INDEXED : 0; i;
         i = e->vj.slot[i - 1].next) {
        const struct vjob *r = &e->vj.slot[i - 1];
        if ((r->flags & VJ_TAG) && jobset_add(jobs, r->jobid) < 0)
            return ENG_ENOMEM;
        if (r->flags & VJ_ALLOC)
            *total += planner_span_planned(e->plans[v], r->span);
    }
    if (e->plans[v])
        planner_reset(e->plans[v], 0, ENG_PLAN_DURATION);
    if (e->subplan[v])
        planner_multi_reset(e->subplan[v], 0, ENG_PLAN_DURATION);
    e->subnow[v].hi = INT64_MIN;
    while (e->vj.head && (e->vj.head[v] & ~VJ_INDEXED)) {
        struct vjob *r = &e->vj.slot[(e->vj.head[v] & ~VJ_INDEXED) - 1];
        r->flags = VJ_DEAD;
        eng__vj_drop_if_empty(e, r);
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
    if (e->pend.on) {
        int src = eng__settle_err(e, err);
        if (src < 0)
            return src;
    }
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
    bool emptied = false;
    for (unsigned k = idset_first(ids); k != IDSET_INVALID_ID; k = idset_next(ids, k)) {
        if (!rg_rank_seen(e->g, (int64_t)k)) {
            eng__msg_add(e, "remove: %u not found in by_rank map.\n", k);
            rc = eng_errorf(err, ENG_ENOENT, NULL, 0, 0, "rank %u not in the graph", k);
            goto out;
        }
        if (rg_vertex_first_of_rank(e->g, (int64_t)k) == RG_VID_NONE) {
            emptied = true; /* all removed before: Fluxion keeps the rank, empty */
            continue;
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
    if (emptied) {
        rc = eng_errorf(err, ENG_ESTATE, NULL, 0, 0,
                        "a rank in %s has no vertex left to remove", ranks);
        goto out;
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

/* The JGF reader's update (resource_reader_jgf_t::update): plan the
 * exclusive vertices the R names, check the others are free, and mark the
 * R's edges for the update walk. */
struct uvtx {
    rg_vid_t v;
    unsigned needs;
    bool excl, root;
};

static void update_undo(eng_t *e, const struct uvtx *u, size_t n, uint64_t jobid)
{
    for (size_t i = 0; i < n; i++) {
        struct vjob *r = u[i].excl ? eng__vj_get(e, u[i].v, jobid) : NULL;
        if (!r || !(r->flags & VJ_ALLOC))
            continue;
        planner_span_remove(e->plans[u[i].v], r->span);
        r->flags &= ~(uint32_t)VJ_ALLOC;
        e->nalloc[u[i].v]--;
        eng__vj_drop_if_empty(e, r);
    }
}

static int update_vertices(eng_t *e, const rparse_t *rp, const struct jobmeta *m,
                           struct uvtx *u)
{
    size_t n = rparse_vertex_count(rp);
    for (size_t i = 0; i < n; i++) {
        const struct rparse_vertex *x = rparse_vertex(rp, i);
        rg_vid_t v = RG_VID_NONE;
        /* every path the R gives must name the same vertex (find_vtx) */
        for (size_t k = 0; k < x->npaths; k++) {
            const struct rparse_kv *pk = rparse_path(rp, x->first_path + k);
            rg_sym_t sub = rg_sym_find(e->g, pk->key);
            rg_vid_t w = sub == RG_SYM_NONE
                             ? RG_VID_NONE
                             : rg_vertex_find_path_rank(e->g, sub, pk->value, x->rank);
            if (w == RG_VID_NONE || (v != RG_VID_NONE && w != v)) {
                eng__msg_add(
                    e, "exist: inconsistent input vertex: nonexistent path (%s) %s.\n",
                    pk->value, x->jgf_id);
                update_undo(e, u, i, m->jobid);
                return ENG_ENOENT;
            }
            v = w;
        }
        if (v == RG_VID_NONE) {
            eng__msg_add(e, "find_vtx: no path for %s.\n", x->jgf_id);
            update_undo(e, u, i, m->jobid);
            return ENG_ENOENT;
        }
        const struct rg_vertex *gv = rg_vertex_get(e->g, v);
        u[i] = (struct uvtx){v, (unsigned)x->size, x->exclusive,
                             v == rg_graph_root(e->g, e->dom)};
        planner_t *pl = eng__plan_get(e, v);
        int64_t avail =
            pl ? planner_avail_resources_during(pl, m->at, m->duration) : ENG_ENOMEM;
        int64_t span = -1;
        if (avail >= 0 && x->exclusive)
            span = planner_span_add(e->plans[v], m->at, m->duration, gv->size);
        struct vjob *r = span >= 0 ? eng__vj_put(e, v, m->jobid) : NULL;
        if (avail < 0 || (x->exclusive && !r) || (!x->exclusive && avail < gv->size)) {
            eng__msg_add(e, "update_vtx_plan: %s is unavailable.\n",
                         rg_sym_str(e->g, gv->name));
            update_undo(e, u, i, m->jobid);
            return ENG_EBUSY;
        }
        if (r) {
            r->span = span;
            r->flags |= VJ_ALLOC;
            e->nalloc[v]++;
        }
    }
    return 0;
}

static int update_edges(eng_t *e, const rparse_t *rp, const struct uvtx *u)
{
    for (size_t i = 0; i < rparse_edge_count(rp); i++) {
        const struct rparse_edge *x = rparse_edge(rp, i);
        const struct uvtx *s = &u[x->src], *t = &u[x->dst];
        if (s->root && e->rt_seq != e->seq) {
            e->rt_needs = s->needs;
            e->rt_excl = s->excl;
            e->rt_seq = e->seq;
        }
        rg_eid_t ed;
        for (ed = rg_out_first(e->g, s->v, RG_SYM_NONE); ed != RG_EID_NONE;
             ed = rg_out_next(e->g, ed, RG_SYM_NONE))
            if (rg_edge_get(e->g, ed)->dst == t->v)
                break;
        if (ed == RG_EID_NONE) {
            eng__msg_add(e,
                         "update_tgt_edge: JGF edge from %s to %s not found in resource "
                         "graph.\n",
                         rparse_vertex(rp, x->src)->jgf_id,
                         rparse_vertex(rp, x->dst)->jgf_id);
            return ENG_ENOENT;
        }
        trav__mark_edge(e, ed, t->needs, t->excl);
    }
    return 0;
}

/* ---- update from an rv1exec R (resource_reader_rv1exec_t::update) -------------- */

struct rvupd {
    eng_t *e;
    const struct jobmeta *m;
    rg_vid_t *done; /* vertices given a span, to undo on failure */
    size_t ndone, capdone;
};

static int rv_plan(struct rvupd *c, rg_vid_t v, bool span_it)
{
    eng_t *e = c->e;
    const struct rg_vertex *gv = rg_vertex_get(e->g, v);
    planner_t *pl = eng__plan_get(e, v);
    int64_t avail =
        pl ? planner_avail_resources_during(pl, c->m->at, c->m->duration) : ENG_ENOMEM;
    if (avail < gv->size) {
        eng__msg_add(e, "update_vertex: %s is unavailable.\n",
                     rg_sym_str(e->g, gv->name));
        return ENG_EBUSY;
    }
    if (!span_it)
        return 0;
    int64_t span = planner_span_add(e->plans[v], c->m->at, c->m->duration, gv->size);
    struct vjob *r = span >= 0 ? eng__vj_put(e, v, c->m->jobid) : NULL;
    if (c->ndone == c->capdone) {
        size_t cap = c->capdone ? 2 * c->capdone : 64;
        rg_vid_t *n = realloc(c->done, cap * sizeof *n);
        if (n) {
            c->done = n;
            c->capdone = cap;
        }
    }
    if (!r || c->ndone == c->capdone) {
        if (span >= 0)
            planner_span_remove(e->plans[v], span);
        eng__msg_add(e, "update_vertex: can't add span into %s.\n",
                     rg_sym_str(e->g, gv->name));
        return ENG_ENOMEM;
    }
    r->span = span;
    r->flags |= VJ_ALLOC;
    e->nalloc[v]++;
    c->done[c->ndone++] = v;
    return 0;
}

/* find_vertex: the child of 'parent' named 'name' with this rank and id, of
 * size 1 and type 'type'. */
static rg_vid_t rv_find(eng_t *e, rg_vid_t parent, const char *name, rg_sym_t type,
                        int64_t id, int64_t rank)
{
    char path[RG_PATH_MAX];
    int len = rg_vertex_path(e->g, parent, RG_SYM_CONTAINMENT, path, sizeof path);
    if (len < 0 || (size_t)len + strlen(name) + 2 > sizeof path)
        return RG_VID_NONE;
    snprintf(path + len, sizeof path - (size_t)len, "/%s", name);
    rg_vid_t v = rg_vertex_find_path_rank(e->g, RG_SYM_CONTAINMENT, path, rank);
    if (v == RG_VID_NONE)
        return v;
    const struct rg_vertex *gv = rg_vertex_get(e->g, v);
    return gv->id == id && gv->size == 1 && gv->type == type ? v : RG_VID_NONE;
}

static int rv_edge(eng_t *e, rg_vid_t src, rg_vid_t dst)
{
    for (rg_eid_t ed = rg_out_first(e->g, src, RG_SYM_NONE); ed != RG_EID_NONE;
         ed = rg_out_next(e->g, ed, RG_SYM_NONE))
        if (rg_edge_get(e->g, ed)->dst == dst) {
            trav__mark_edge(e, ed, (uint64_t)rg_vertex_get(e->g, dst)->size, 1);
            return 0;
        }
    eng__msg_add(e, "update_edges: rv1exec edge not found in resource graph.\n");
    return ENG_ENOENT;
}

static int rv_rank(struct rvupd *c, const rparse_t *rp, size_t entry, unsigned rank,
                   const char *host)
{
    eng_t *e = c->e;
    rg_vid_t root = rg_graph_root(e->g, RG_SYM_CONTAINMENT);
    size_t hl = strlen(host), d = hl;
    while (d > 0 && host[d - 1] >= '0' && host[d - 1] <= '9')
        d--;
    int64_t id = d < hl ? strtoll(host + d, NULL, 10) : -1;
    rg_vid_t node = rv_find(e, root, host, e->sym_node, id, rank);
    /* Fluxion's reader (unpack_rank, unpack_child) adds a second line naming
     * the node or child whose add_or_update failed */
    if (node == RG_VID_NONE) {
        eng__msg_add(e, "add_or_update: couldn't find vertex in graph for %s.\n", host);
        eng__msg_add(e, "unpack_rank: failed unpacking rank for %s.\n", host);
        return ENG_ENOENT;
    }
    int rc = rv_plan(c, node, false);
    if (rc == 0)
        rc = rv_edge(e, root, node);
    if (rc < 0)
        eng__msg_add(e, "unpack_rank: failed unpacking rank for %s.\n", host);
    size_t before = c->ndone;
    for (size_t k = 0; rc == 0 && k < rparse_rlite_nchildren(rp, entry); k++) {
        const struct rparse_child *ch = rparse_rlite_child(rp, entry, k);
        rg_sym_t t = rg_sym_find(e->g, ch->type);
        for (unsigned i = idset_first(ch->ids); rc == 0 && i != IDSET_INVALID_ID;
             i = idset_next(ch->ids, i)) {
            char name[RG_SYM_LEN_MAX + 16];
            snprintf(name, sizeof name, "%s%u", ch->type, i);
            rg_vid_t v = rv_find(e, node, name, t, i, rank);
            if (v == RG_VID_NONE) {
                eng__msg_add(e, "add_or_update: couldn't find vertex in graph for %s.\n",
                             name);
                eng__msg_add(e, "unpack_child: failed unpacking child for %s.\n", name);
                return ENG_ENOENT;
            }
            if ((rc = rv_plan(c, v, true)) == 0)
                rc = rv_edge(e, node, v);
            if (rc < 0)
                eng__msg_add(e, "unpack_child: failed unpacking child for %s.\n", name);
        }
    }
    if (rc < 0)
        return rc;
    /* the node itself only when every other vertex of its rank was taken */
    size_t nrank = 0;
    for (rg_vid_t v = rg_vertex_first_of_rank(e->g, rank); v != RG_VID_NONE;
         v = rg_vertex_next_of_rank(e->g, v))
        nrank++;
    if (c->ndone - before == nrank - 1 && (rc = rv_plan(c, node, true)) < 0)
        eng__msg_add(e, "unpack_rank: exclusive filter update failed for %s.\n", host);
    return rc;
}

static int update_rv1exec(eng_t *e, const rparse_t *rp, const struct jobmeta *m)
{
    struct rvupd c = {e, m, NULL, 0, 0};
    hostlist_t *hl = NULL;
    int rc = 0;
    rg_vid_t root = rg_graph_root(e->g, RG_SYM_CONTAINMENT);
    if (root == RG_VID_NONE || !rparse_nodelist(rp) ||
        !(hl = hostlist_decode(rparse_nodelist(rp), NULL, NULL)))
        return ENG_EINVAL;
    if (e->dom == RG_SYM_CONTAINMENT) {
        e->rt_needs = (uint64_t)rg_vertex_get(e->g, root)->size;
        e->rt_excl = 0;
        e->rt_seq = e->seq;
    }
    size_t nth = 0;
    for (size_t i = 0; rc == 0 && i < rparse_rlite_count(rp); i++) {
        const idset_t *ranks = rparse_rlite_ranks(rp, i);
        for (unsigned k = idset_first(ranks); rc == 0 && k != IDSET_INVALID_ID;
             k = idset_next(ranks, k)) {
            char host[RG_SYM_LEN_MAX];
            if (hostlist_nth(hl, nth++, host, sizeof host) < 0) {
                rc = ENG_EINVAL;
                break;
            }
            rc = rv_rank(&c, rp, i, k, host);
        }
    }
    if (rc < 0) {
        for (size_t i = 0; i < c.ndone; i++) {
            struct vjob *r = eng__vj_get(e, c.done[i], m->jobid);
            if (!r || !(r->flags & VJ_ALLOC))
                continue;
            planner_span_remove(e->plans[c.done[i]], r->span);
            r->flags &= ~(uint32_t)VJ_ALLOC;
            e->nalloc[c.done[i]]--;
            eng__vj_drop_if_empty(e, r);
        }
    }
    free(c.done);
    hostlist_destroy(hl);
    return rc;
}

int eng_update(eng_t *e, uint64_t jobid, const char *r, size_t len, int64_t at,
               uint64_t duration, bool reserve, rwrite_t *w, struct eng_match_result *res,
               eng_error_t *err)
{
    eng_error_clear(err);
    (void)reserve; /* Fluxion's reader records allocations either way */
    if (res)
        memset(res, 0, sizeof *res);
    if (!e || !e->g || !r || at < 0 || duration == 0 || duration > (uint64_t)INT64_MAX)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid time (%lld, %llu)",
                          (long long)at, (unsigned long long)duration);
    if (e->pend.on) {
        int src = eng__settle_err(e, err);
        if (src < 0)
            return src;
    }
    eng__msg_clear(e);
    struct eng_job *j = eng__job_find(e, jobid);
    if (j && (j->info.state == ENG_JOB_ALLOCATED || j->info.state == ENG_JOB_RESERVED))
        return eng_errorf(err, ENG_EEXIST, NULL, 0, 0, "existing jobid %llu",
                          (unsigned long long)jobid);
    rparse_t *rp = rparse_parse(r, len, NULL, err);
    if (!rp)
        return err ? err->code : ENG_EPARSE;
    int rc = 0;
    struct uvtx *u = NULL;
    u = calloc(rparse_vertex_count(rp) + 1, sizeof *u);
    if (!u) {
        rc = eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    /* Fluxion's reader update leaves jobmeta.now unset (-1): its out-edge
     * re-weighs read the aggregates before their planners begin, get -1 and
     * weigh every edge they reach 0 */
    struct jobmeta m = {.at = at,
                        .now = -1,
                        .duration = (int64_t)duration,
                        .jobid = jobid,
                        .alloc_type = AT_ALLOC};
    trav__tick(e);
    if (!rparse_has_jgf(rp))
        rc = update_rv1exec(e, rp, &m);
    else if ((rc = update_vertices(e, rp, &m, u)) == 0)
        rc = update_edges(e, rp, u);
    if (rc < 0) {
        eng_errorf(err, rc, NULL, 0, 0, "%s",
                   "cannot place the job on the R's resources");
        goto out;
    }
    if (e->rt_seq == e->seq &&
        trav__update(e, rg_graph_root(e->g, e->dom), w, &m, false, err) < 0) {
        rc = eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "nothing to update");
        goto out;
    }
    struct eng_job_info info = {.jobid = jobid,
                                .state =
                                    at > e->now ? ENG_JOB_RESERVED : ENG_JOB_ALLOCATED,
                                .at = at,
                                .duration = (int64_t)duration};
    if (eng__job_put(e, &info) < 0)
        rc = eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    else if (e->rt_seq == e->seq)
        eng__job_take_tagged(e, jobid);
    if (res) {
        res->at = at;
        res->duration = (int64_t)duration;
        res->reserved = at > e->now;
        res->satisfiable = true;
    }
out:
    free(u);
    rparse_destroy(rp);
    return rc;
}
