/* eng_match.c: the match operations (Fluxion's dfu_traverser_t::run,
 * schedule, is_satisfiable and request_feasible, resource/traversers/dfu.cpp
 * at fd257f71) and cancel.
 *
 * Fluxion reports through errno: EBUSY "not now", ENODEV "never", and keeps
 * going in the reserve loop until its planner runs out of candidate times
 * (ENOENT / ERANGE), then checks satisfiability at the end of time.  Here the
 * same decisions are taken on return codes (ENG_EBUSY / ENG_ENOMATCH). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eng_private.h"

double eng__clock(void);

static rg_vid_t dom_root(const eng_t *e)
{
    return rg_graph_root(e->g, e->dom);
}

/* jobmeta_t::build: duration defaults to the graph's, is rounded up, and must
 * fit in the graph's time. */
static int meta_build(eng_t *e, const jobspec_t *js, uint64_t jobid, struct jobmeta *m)
{
    memset(m, 0, sizeof *m);
    m->at = m->now = e->now;
    m->jobid = jobid;
    m->alloc_type = AT_ALLOC;
    int64_t gdur = e->graph_end;
    double d = js->system.duration;
    if (!(d >= 0) || d > (double)gdur)
        return ENG_EINVAL;
    m->duration = d == 0 ? gdur : (int64_t)ceil(d);
    m->constraint = js->system.constraint;
    m->queue = js->system.queue && js->system.queue[0] ? js->system.queue : NULL;
    return 0;
}

static bool op_allocates_now(enum eng_match_op op)
{
    return op == ENG_MATCH_ALLOCATE_ORELSE_RESERVE || op == ENG_MATCH_RESERVE_LATER ||
           op == ENG_MATCH_ALLOCATE || op == ENG_MATCH_WITHOUT_ALLOCATING ||
           op == ENG_MATCH_WITHOUT_ALLOCATING_FUTURE;
}

bool eng__constraint_match(const eng_t *e, const jobspec_constraint_t *c, rg_vid_t v);

static int request_feasible(eng_t *e, const struct jobmeta *m, enum eng_match_op op,
                            const int64_t *dfv)
{
    int ni = prune__index(e, e->sym_node);
    int64_t target = ni >= 0 ? dfv[ni] : 0;
    bool sat =
        op == ENG_MATCH_ALLOCATE_W_SATISFIABILITY || op == ENG_MATCH_SATISFIABILITY;
    int fail = op_allocates_now(op) ? ENG_EBUSY : sat ? ENG_ENOMATCH : 0;
    if (!m->constraint && target <= e->nodes_up)
        return 0;
    if (target > e->nodes_up && fail)
        return fail;
    if (rg_vertex_first_of_type(e->g, e->sym_node) == RG_VID_NONE)
        return 0;
    int64_t when = op == ENG_MATCH_ALLOCATE || op == ENG_MATCH_WITHOUT_ALLOCATING
                       ? m->at
                       : e->graph_end - 1;
    int64_t feasible = 0;
    for (rg_vid_t v = rg_vertex_first_of_type(e->g, e->sym_node); v != RG_VID_NONE;
         v = rg_vertex_next_of_type(e->g, v)) {
        if (m->constraint && !eng__constraint_match(e, m->constraint, v))
            continue;
        if (!sat && rg_vertex_status(e->g, v) != RG_STATUS_UP)
            continue;
        int64_t avail =
            e->plans[v] ? planner_avail_resources_during(e->plans[v], when, m->duration)
                        : rg_vertex_get(e->g, v)->size;
        if (e->plans[v] && e->gh_rec)
            avail = eng__ghost_plan_avail(e, v, when, m->duration, avail);
        if (avail == 1 && ++feasible >= target)
            break;
    }
    return feasible < target ? fail : 0;
}

static void add_visits(eng_t *e)
{
    e->tot_pre += e->preorder;
    e->tot_post += e->postorder;
}

/* The latest start the planners allow: Fluxion's satisfiability point. */
static int64_t sat_time(const struct jobmeta *m)
{
    return INT64_MAX - m->duration - 1;
}

static int sat_check(eng_t *e, const jobspec_t *js, rg_vid_t root, struct jobmeta *m,
                     bool x)
{
    m->alloc_type = AT_SATISFIABILITY;
    m->at = sat_time(m);
    int rc = trav__select(e, js->resources, js->nresources, root, m, x);
    if (rc == ENG_EBUSY || rc == ENG_ELIMIT)
        rc = ENG_ENOMATCH;
    return rc;
}

/* The satisfiability check after a failed allocate: Fluxion sets errno to
 * EBUSY and selects at the end of time.  A select that matches does not
 * clear errno, so the call fails with what the traversal last left there,
 * e.g. ENODEV from an xor_slot variant that failed before the one that
 * matched, and resource-query then calls the request unsatisfiable. */
static int sat_fallback(eng_t *e, const jobspec_t *js, rg_vid_t root, struct jobmeta *m,
                        bool x)
{
    e->stale = ENG_EBUSY;
    int rc = sat_check(e, js, root, m, x);
    return rc == 0 ? e->stale : rc;
}

/* trav__select(), noting for eng_replan.c what it left in e->stale
 * (STALE_UNSET: nothing) and whether it added to the message, and letting
 * it record its root's explore loop (eng.pfx). */
static int select_noted(eng_t *e, const jobspec_t *js, rg_vid_t root, struct jobmeta *m,
                        bool x)
{
    int prev = e->stale;
    size_t ml = e->msg_len;
    e->stale = STALE_UNSET;
    e->pfx_noted = true; /* the root's loop may be recorded (trav.c) */
    int rc = trav__select(e, js->resources, js->nresources, root, m, x);
    e->pfx_noted = false;
    int last = e->stale;
    if (e->pfx_done) { /* then 'last' is what was set after the root's loop */
        e->pfx_stale_after = last;
        if (last == STALE_UNSET)
            last = e->pfx_stale_end;
    }
    e->sel_stale = last;
    e->stale = last == STALE_UNSET ? prev : last;
    e->sel_msg = e->msg_len != ml;
    return rc;
}

static int reserve_loop(eng_t *e, const jobspec_t *js, rg_vid_t root, struct jobmeta *m,
                        bool x, const int64_t *dfv)
{
    planner_multi_t *p = e->subplan[root];
    if (!p || !e->sp_idx[root])
        return ENG_EINVAL;
    size_t len = prune__relevant(e, root, dfv);
    int64_t agg[ENG_PRUNE_TYPES_MAX];
    memcpy(agg, e->agg_buf, len * sizeof *agg);
    int rc = ENG_EBUSY;
    int64_t t;
    /* As Fluxion's for loop, the step (next) runs once more after the
     * successful select: its error is what Fluxion reports should the
     * update then emit nothing. */
    for (t = planner_multi_avail_time_first(p, m->at + 1, m->duration, agg, len);
         t >= 0 && rc; t = planner_multi_avail_time_next(p)) {
        m->at = t;
        if (eng__memo_at(e, t, m->duration)) { /* eng_replan.c: known again */
            eng__memo_take(e);
            rc = 0;
        } else {
            rc = select_noted(e, js, root, m, x);
        }
        add_visits(e);
    }
    if (rc == 0) {
        e->after_next = t < 0 ? (t == ENG_ENOMATCH ? ENG_ENOENT : (int)t) : 0;
        return 0;
    }
    if (t == ENG_ENOMATCH || t == ENG_ELIMIT)
        return sat_fallback(e, js, root, m, x);
    return (int)t;
}

static int schedule(eng_t *e, const jobspec_t *js, struct jobmeta *m, bool x,
                    enum eng_match_op op, rg_vid_t root, const int64_t *dfv)
{
    int rc = request_feasible(e, m, op, dfv);
    if (rc < 0)
        return rc;
    if (op == ENG_MATCH_RESERVE_LATER) { /* known not to fit now */
        e->tot_pre = e->tot_post = 0;
        m->alloc_type = AT_ALLOC_ORELSE_RESERVE;
        return reserve_loop(e, js, root, m, x, dfv);
    }
    /* Fluxion's visit totals: set by a first select that matches, added to
     * by the later selects of a failed one, left as they were (from the
     * last operation) otherwise */
    rc = trav__select(e, js->resources, js->nresources, root, m, x);
    if (rc == 0) {
        e->tot_pre = e->preorder;
        e->tot_post = e->postorder;
        return 0;
    }
    switch (op) {
    case ENG_MATCH_ALLOCATE_W_SATISFIABILITY: {
        int src = sat_fallback(e, js, root, m, x);
        add_visits(e);
        return src;
    }
    case ENG_MATCH_ALLOCATE_ORELSE_RESERVE:
        m->alloc_type = AT_ALLOC_ORELSE_RESERVE;
        return reserve_loop(e, js, root, m, x, dfv);
    case ENG_MATCH_WITHOUT_ALLOCATING_FUTURE:
        return reserve_loop(e, js, root, m, x, dfv);
    default:
        return ENG_EBUSY;
    }
}

static int check_args(eng_t *e, enum eng_match_op op, const jobspec_t *js, uint64_t jobid,
                      eng_error_t *err)
{
    if (!e || !js)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid argument");
    if ((op <= ENG_MATCH_UNKNOWN || op > ENG_MATCH_WITHOUT_ALLOCATING_FUTURE) &&
        op != ENG_MATCH_RESERVE_LATER)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid match op %d", (int)op);
    if (!e->g || dom_root(e) == RG_VID_NONE || js->nresources == 0)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no graph or empty request");
    bool allocating = op != ENG_MATCH_SATISFIABILITY &&
                      op != ENG_MATCH_WITHOUT_ALLOCATING &&
                      op != ENG_MATCH_WITHOUT_ALLOCATING_FUTURE;
    /* the operations that record nothing take any id (Fluxion casts it to
     * int64_t, so reapi_cli's automatic (uint64_t)-1 is job -1 there) */
    if (allocating && jobid > (uint64_t)INT64_MAX)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "jobid out of range");
    /* A live id is not refused: as Fluxion's traverser, the engine never
     * checks ids (see eng_match() in eng.h); callers keep them unique. */
    return 0;
}

/* Fluxion's jobspec parser accepts only resource types its interner knows:
 * the built-in ones, those of the graph and the pruning filters'. */
static bool type_known(const eng_t *e, const char *type)
{
    static const char *const builtin[] = {"cluster", "core",        "socket", "gpu",
                                          "node",    "rack",        "slot",   "xor_slot",
                                          "ssd",     "storage_node"};
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (type[0] == builtin[i][0] && strcmp(type, builtin[i]) == 0)
            return true;
    rg_sym_t t = rg_sym_find(e->g, type);
    return t != RG_SYM_NONE && (rg_graph_type_count(e->g, t) > 0 || prune__is_type(e, t));
}

static int check_types(const eng_t *e, const jobspec_t *js, eng_error_t *err)
{
    for (size_t i = 0; i < js->nresources_total; i++) {
        const jobspec_resource_t *r = jobspec_resource_at(js, i);
        if (r && !type_known(e, r->type))
            return eng_errorf(
                err, ENG_EINVAL, NULL, r->line, r->column,
                "Value of \"type\" must be a resource type known to fluxion");
    }
    return 0;
}

static int prepare(eng_t *e, const jobspec_t *js)
{
    if (js->nresources_total > e->capjr) {
        struct jres *n = realloc(e->jr, js->nresources_total * sizeof *n);
        if (!n)
            return ENG_ENOMEM;
        e->jr = n;
        e->capjr = js->nresources_total;
    }
    e->js = js;
    e->njr = js->nresources_total;
    return 0;
}

/* dfu_traverser_t::run for a jobspec. */
static int run(eng_t *e, enum eng_match_op op, const jobspec_t *js, uint64_t jobid,
               rwrite_t *w, struct jobmeta *m, eng_error_t *err)
{
    rg_vid_t root = dom_root(e);
    int64_t dfv[ENG_PRUNE_TYPES_MAX] = {0};
    rg_sym_t saved[ENG_PRUNE_TYPES_MAX];
    unsigned nsaved = e->nxtypes;
    memcpy(saved, e->xtypes, sizeof saved);
    trav__prime_jobspec(e, js->resources, js->nresources, dfv);
    bool x = trav__exclusivity(e, js->resources, js->nresources, root);
    int rc = meta_build(e, js, jobid, m);
    if (rc < 0) {
        rc = eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid duration");
        goto out;
    }
    if (op == ENG_MATCH_WITHOUT_ALLOCATING || op == ENG_MATCH_WITHOUT_ALLOCATING_FUTURE)
        m->alloc_type = AT_NO_ALLOC;
    if (op == ENG_MATCH_SATISFIABILITY) {
        rc = sat_check(e, js, root, m, x);
        e->tot_pre = e->preorder;
        e->tot_post = e->postorder;
        goto out;
    }
    e->after_next = 0;
    e->stale = ENG_ESTATE;
    e->sel_msg = true; /* until a noted select says (select_noted()) */
    rc = schedule(e, js, m, x, op, root, dfv);
    if (rc < 0)
        goto out;
    if (m->at == e->graph_end) {
        rc = ENG_EBUSY;
        goto out;
    }
    if (m->at < 0 || m->at > e->graph_end) {
        rc = eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "start time out of range");
        goto out;
    }
    if (m->at + m->duration > e->graph_end)
        m->duration = e->graph_end - m->at;
    if (e->unwritten_resv && m->at != e->now)
        w = NULL;
    if ((rc = eng__replan_decide(e, m, w)) < 0) {
        rc = eng_errorf(err, rc, NULL, 0, 0, "error encountered while removing job %llu",
                        (unsigned long long)jobid);
        goto out;
    }
    rc = trav__update(e, root, w, m, true, err);
    /* Nothing emitted: Fluxion fails with whatever errno is left over, the
     * reserve loop's last planner error or else a stale one (ENOTTY from
     * stdio in resource-query), which its client treats as a hard error. */
    if (rc == ENG_EINVAL && e->rt_seq == e->seq) {
        rc = e->after_next ? e->after_next : e->stale;
        eng_errorf(err, rc, NULL, 0, 0, "match found but its update emitted nothing");
    }
out:
    memcpy(e->xtypes, saved, sizeof saved);
    e->nxtypes = nsaved;
    return rc;
}

int eng_match(eng_t *e, enum eng_match_op op, const jobspec_t *js, uint64_t jobid,
              rwrite_t *w, struct eng_match_result *res, eng_error_t *err)
{
    eng_error_clear(err);
    struct eng_match_result dummy;
    if (!res)
        res = &dummy;
    memset(res, 0, sizeof *res);
    res->satisfiable = true;
    int rc = check_args(e, op, js, jobid, err);
    if (rc == 0)
        rc = check_types(e, js, err);
    if (rc < 0)
        return rc;
    eng__msg_clear(e);
    if ((rc = prepare(e, js)) < 0)
        return eng_errorf(err, rc, NULL, 0, 0, "out of memory");
    double t0 = eng__clock();
    if ((rc = eng__replan_arm(e, op, jobid, js, w)) < 0)
        return eng_errorf(err, rc, NULL, 0, 0,
                          "error encountered while removing job %llu",
                          (unsigned long long)jobid);
    struct jobmeta m;
    m.keep = false;
    rc = run(e, op, js, jobid, w, &m, err);
    e->js = NULL;
    eng__flex_free(e);
    if (rc < 0) { /* no job gets the selection's fingerprint */
        eng__fp_release(e, e->fp_new);
        e->fp_new = NULL;
    }
    if (e->pend.on && !m.keep) { /* the match failed with the reservation kept */
        int src = eng__replan_disarm(e);
        if (src < 0 && rc == 0)
            rc = eng_errorf(err, src, NULL, 0, 0,
                            "error encountered while removing job %llu",
                            (unsigned long long)jobid);
    }
    res->overhead_s = eng__clock() - t0;
    res->preorder = e->tot_pre;
    res->postorder = e->tot_post;
    if (rc == ENG_ENOMATCH || rc == ENG_ENOENT)
        res->satisfiable = false;
    if (rc < 0) {
        if (rc == ENG_EBUSY || rc == ENG_ENOMATCH)
            eng_errorf(err, rc, NULL, 0, 0, "%s",
                       rc == ENG_EBUSY ? "no matching resources found"
                                       : "unsatisfiable request");
        else
            eng_errorf(err, rc, NULL, 0, 0, "match failed");
        return rc;
    }
    res->at = m.at;
    res->duration = m.duration;
    if (op == ENG_MATCH_SATISFIABILITY || op == ENG_MATCH_WITHOUT_ALLOCATING ||
        op == ENG_MATCH_WITHOUT_ALLOCATING_FUTURE)
        return 0;
    res->reserved = m.at != e->now;
    struct eng_job_info info = {
        .jobid = jobid,
        .state = res->reserved ? ENG_JOB_RESERVED : ENG_JOB_ALLOCATED,
        .at = m.at,
        .duration = m.duration,
        .overhead_s = res->overhead_s,
    };
    e->nmatch++;
    e->macc += res->overhead_s;
    if (res->overhead_s < e->mmin)
        e->mmin = res->overhead_s;
    if (res->overhead_s > e->mmax)
        e->mmax = res->overhead_s;
    struct eng_job *j = eng__job_find(e, jobid);
    if (j) { /* a reused id: its older spans stay, cancel removes both */
        j->info = info;
        eng__job_merge_tagged(e, j);
        eng__fp_release(e, j->fp); /* never re-planned in place */
        eng__fp_release(e, e->fp_new);
        j->fp = e->fp_new = NULL;
        return 0;
    }
    if (eng__job_put(e, &info) < 0)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    eng__job_take_tagged(e, jobid);
    eng__replan_done(e, eng__job_find(e, jobid), &m);
    return 0;
}

int eng_cancel(eng_t *e, uint64_t jobid, bool noent_ok, eng_error_t *err)
{
    eng_error_clear(err);
    if (!e)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid argument");
    if (e->pend.on) {
        int src = eng__settle_err(e, err);
        if (src < 0)
            return src;
    }
    eng__msg_clear(e);
    struct eng_job *j = eng__job_find(e, jobid);
    if (!j || (j->info.state != ENG_JOB_ALLOCATED && j->info.state != ENG_JOB_RESERVED)) {
        if (noent_ok)
            return 0;
        return eng_errorf(err, ENG_ENOENT, NULL, 0, 0, "nonexistent job %llu",
                          (unsigned long long)jobid);
    }
    int rc = j->tv ? trav__remove_listed(e, dom_root(e), jobid, j->tv, j->ntv)
                   : trav__remove(e, dom_root(e), jobid);
    eng__mlog_harvest(e);
    free(j->tv);
    j->tv = NULL;
    j->ntv = 0;
    e->tot_pre = e->preorder;
    e->tot_post = e->postorder;
    if (rc < 0)
        return eng_errorf(err, rc, NULL, 0, 0,
                          "error encountered while removing job %llu",
                          (unsigned long long)jobid);
    eng__job_drop(e, j);
    return 0;
}
