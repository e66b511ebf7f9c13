/* test_eng_replan.c: re-planning reservations in place
 * (eng_set_replan_in_place, eng_unreserve) changes nothing a caller can
 * see.  Two engines on one random graph replay the same stream of
 * queue-manager passes (drop every reservation, then match the queue from
 * its head: the first jobs may reserve, the others only start now), with
 * clock moves, completions and, now and then, another call slipped in
 * between a drop and the job's match.  Engine 0 cancels; engine 1
 * unreserves with re-planning on.  After every call they must answer alike,
 * write the same R, keep the same out-edge order and weights, report the
 * same visit counts, and plan the same: every vertex planner, aggregate and
 * exclusivity set in the same state. */
#include "eng_testgen.h"
#include "planner_multi.h"
#include "rwrite.h"

static const char *const policies[] = {"first",  "low",      "high",      "lonodex",
                                       "hinode", "locality", "variation", "firstnodex"};

/* How often exclusivity entry 'x' is in the set 's'. */
static size_t xcount(const struct xset *s, const struct xiv *x)
{
    size_t n = 0;
    for (uint32_t i = 0; i < s->n; i++)
        n += s->iv[i].start == x->start && s->iv[i].end == x->end &&
             s->iv[i].jobid == x->jobid;
    return n;
}

/* A planner's live spans as (start, duration, planned), sorted. */
struct sp3 {
    int64_t start, d, n;
};

static int sp3_cmp(const void *x, const void *y)
{
    const struct sp3 *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->d != b->d)
        return a->d < b->d ? -1 : 1;
    return (a->n > b->n) - (a->n < b->n);
}

static size_t spans_of(planner_t *p, struct sp3 *out, size_t cap)
{
    size_t n = 0;
    for (int64_t s = planner_span_first(p); s >= 0; s = planner_span_next(p)) {
        if (n >= cap)
            ck_abort_msg("too many spans");
        out[n++] = (struct sp3){planner_span_start(p, s), planner_span_duration(p, s),
                                planner_span_planned(p, s)};
    }
    qsort(out, n, sizeof *out, sp3_cmp);
    return n;
}

/* 'a' and 'b' plan the same spans (their ids aside: a span kept is not
 * planted anew) and so hold the same free counts at every span's ends. */
static bool same_plan(planner_t *a, planner_t *b)
{
    struct sp3 x[512], y[512];
    size_t nx = spans_of(a, x, 512), ny = spans_of(b, y, 512);
    if (nx != ny || (nx && memcmp(x, y, nx * sizeof *x)))
        return false;
    for (size_t i = 0; i < nx; i++) {
        int64_t t[2] = {x[i].start, x[i].start + x[i].d};
        for (int k = 0; k < 2; k++)
            if (planner_avail_resources_at(a, t[k]) !=
                planner_avail_resources_at(b, t[k]))
                return false;
    }
    return planner_resource_total(a) == planner_resource_total(b) &&
           planner_point_count(a) == planner_point_count(b);
}

static bool same_multi(planner_multi_t *a, planner_multi_t *b)
{
    size_t len = planner_multi_resources_len(a);
    if (len != planner_multi_resources_len(b) ||
        planner_multi_span_count(a) != planner_multi_span_count(b))
        return false;
    for (size_t i = 0; i < len; i++)
        if (!same_plan(planner_multi_planner_at(a, i), planner_multi_planner_at(b, i)))
            return false;
    return true;
}

/* Both engines plan the same (engine 1 holds no kept reservation). */
static void same_state(eng_t *e[2])
{
    ck_assert(!e[1]->pend.on);
    size_t nv = rg_graph_vid_bound(e[0]->g);
    for (rg_vid_t v = 0; v < nv; v++) {
        if (!e[0]->plans[v] != !e[1]->plans[v] ||
            (e[0]->plans[v] && !same_plan(e[0]->plans[v], e[1]->plans[v])))
            ck_abort_msg("vertex %u planner differs", v);
        if (!e[0]->subplan[v] != !e[1]->subplan[v] ||
            (e[0]->subplan[v] && !same_multi(e[0]->subplan[v], e[1]->subplan[v])))
            ck_abort_msg("vertex %u aggregate differs", v);
        bool same = e[0]->xs[v].n == e[1]->xs[v].n;
        for (uint32_t i = 0; same && i < e[0]->xs[v].n; i++)
            same = xcount(&e[0]->xs[v], &e[0]->xs[v].iv[i]) ==
                   xcount(&e[1]->xs[v], &e[0]->xs[v].iv[i]);
        if (!same)
            ck_abort_msg("vertex %u exclusivity differs", v);
        if (e[0]->nalloc[v] != e[1]->nalloc[v] || e[0]->nresv[v] != e[1]->nresv[v] ||
            e[0]->ntag[v] != e[1]->ntag[v])
            ck_abort_msg("vertex %u counts differ", v);
    }
    ck_assert_uint_eq(e[0]->vj.live, e[1]->vj.live);
    struct eng_stats s[2];
    for (int t = 0; t < 2; t++)
        eng_stats_get(e[t], &s[t]);
    ck_assert_uint_eq(s[0].jobs, s[1].jobs);
}

struct qjob {
    uint64_t id;
    jobspec_t *js;
    int64_t at, end; /* while running or reserved */
    int state;       /* 0 queued, 1 reserved, 2 running */
};

static void both_cancel(eng_t *e[2], uint64_t id, bool unreserve)
{
    eng_error_t err;
    ck_assert_int_eq(eng_cancel(e[0], id, true, &err), 0);
    int rc = unreserve ? eng_unreserve(e[1], id, &err) : eng_cancel(e[1], id, true, &err);
    ck_assert_int_eq(rc, 0);
    struct eng_stats s[2];
    for (int t = 0; t < 2; t++)
        eng_stats_get(e[t], &s[t]);
    ck_assert_uint_eq(s[0].jobs, s[1].jobs);
    ck_assert_uint_eq(s[0].preorder, s[1].preorder);
    ck_assert_uint_eq(s[0].postorder, s[1].postorder);
    struct eng_job_info info;
    ck_assert_int_eq(eng_job_info(e[1], id, &info, NULL), ENG_ENOENT);
}

/* Something else between a drop and the job's match: engine 1 must cancel
 * the kept reservation first, as though it never kept it. */
static void interlude(struct rng *r, eng_t *e[2], rwrite_t *w[2])
{
    eng_error_t err;
    switch (rnd_in(r, 0, 3)) {
    case 0: { /* a find sees the reservation gone */
        char *out[2] = {NULL, NULL};
        for (int t = 0; t < 2; t++) {
            ck_assert_int_eq(eng_find(e[t], "sched-future=reserved", w[t], &err), 0);
            ck_assert_int_eq(rwrite_emit(w[t], &out[t], NULL), 0);
            rwrite_reset(w[t]);
        }
        ck_assert_str_eq(out[0] ? out[0] : "", out[1] ? out[1] : "");
        free(out[0]);
        free(out[1]);
        break;
    }
    case 1: /* the clock set again */
        for (int t = 0; t < 2; t++)
            ck_assert_int_eq(eng_time_set(e[t], eng_time(e[t])), 0);
        break;
    default:
        break;
    }
}

/* The graph's shape: small, or 'wide' (a rack of more nodes than an update
 * re-weighs one by one), or 'deep' (also nodes of as many sockets: queued
 * re-weighs inside queued ones). */
enum shape { SMALL, WIDE, DEEP, FLAT };

/* 'flat': cluster0 -> node* -> socket -> core* (no racks, no memory), as a
 * log's graph of cores anywhere: the cluster's out-edge order decides which
 * free cores a job gets.  With 'mixed', node n has 1 + n % 3 cores (a job
 * then needs more or fewer nodes depending on which it meets first). */
static rg_graph_t *gen_graph_flat(int nodes, int cores, bool mixed)
{
    struct gen q = {.g = rg_graph_create()};
    ck_assert_ptr_nonnull(q.g);
    q.t_cluster = rg_sym_intern(q.g, "cluster");
    q.t_node = rg_sym_intern(q.g, "node");
    q.t_socket = rg_sym_intern(q.g, "socket");
    q.t_core = rg_sym_intern(q.g, "core");
    rg_vid_t c = gen_add(&q, RG_VID_NONE, q.t_cluster, 0, -1, 1);
    for (int n = 0, ci = 0; n < nodes; n++) {
        rg_vid_t nv = gen_add(&q, c, q.t_node, n, n, 1);
        rg_vid_t sv = gen_add(&q, nv, q.t_socket, n, n, 1);
        for (int k = 0; k < (mixed ? 1 + n % 3 : cores); k++)
            gen_add(&q, sv, q.t_core, ci++, n, 1);
    }
    return q.g;
}

/* A job for a flat graph: 'k' cores anywhere (slots of one core). */
static char *flat_jobspec(struct rng *r, int ncores)
{
    char *b = malloc(1024);
    ck_assert_ptr_nonnull(b);
    snprintf(
        b, 1024,
        "{\"version\": 9999, \"resources\": [{\"type\": \"slot\", \"count\": %d, "
        "\"label\": \"d\", \"with\": [{\"type\": \"core\", \"count\": 1}]}], "
        "\"attributes\": {\"system\": {\"duration\": %d}}, \"tasks\": [{\"command\": "
        "[\"a\"], \"slot\": \"d\", \"count\": {\"per_slot\": 1}}]}",
        rnd_in(r, 1, ncores * 2 / 3), (int)(rnd(r) % 8) * 50 + 50);
    return b;
}

/* A job for a wide graph, large enough to wait: 'nodes' whole nodes, or
 * sockets (one core each) spread over nodes or within one. */
#define WIDE_TAIL                                                                        \
    "\"attributes\": {\"system\": {\"duration\": %d}}, \"tasks\": [{\"command\": "       \
    "[\"a\"], "                                                                          \
    "\"slot\": \"d\", \"count\": {\"per_slot\": 1}}]}"
#define WIDE_SOCKET                                                                      \
    "\"with\": [{\"type\": \"socket\", \"count\": 1, \"with\": [{\"type\": \"core\", "   \
    "\"count\": 1}]}]"

static char *wide_jobspec(struct rng *r, int nodes, int sockets)
{
    char *b = malloc(1024);
    ck_assert_ptr_nonnull(b);
    int d = (int)(rnd(r) % 4) * 100 + 200; /* long: later jobs wait */
    switch (rnd_in(r, 0, 3)) {
    case 3: /* the whole machine: a select no order of out-edges changes */
        snprintf(b, 1024,
                 "{\"version\": 9999, \"resources\": [{\"type\": \"slot\", \"count\": 1, "
                 "\"label\": \"d\", \"with\": [{\"type\": \"node\", \"count\": %d, "
                 "\"exclusive\": true}]}], " WIDE_TAIL,
                 nodes, d);
        break;
    case 0:
        snprintf(b, 1024,
                 "{\"version\": 9999, \"resources\": [{\"type\": \"node\", \"count\": "
                 "%d, \"exclusive\": true, \"with\": [{\"type\": \"slot\", \"count\": 1, "
                 "\"label\": \"d\", " WIDE_SOCKET "}]}], " WIDE_TAIL,
                 rnd_in(r, 5, nodes / 2), d);
        break;
    case 1:
        snprintf(b, 1024,
                 "{\"version\": 9999, \"resources\": [{\"type\": \"slot\", \"count\": "
                 "%d, \"label\": \"d\", " WIDE_SOCKET "}], " WIDE_TAIL,
                 rnd_in(r, 5, nodes * sockets / 2), d);
        break;
    default:
        snprintf(b, 1024,
                 "{\"version\": 9999, \"resources\": [{\"type\": \"node\", \"count\": "
                 "1, \"with\": [{\"type\": \"slot\", \"count\": %d, \"label\": "
                 "\"d\", " WIDE_SOCKET "}]}], " WIDE_TAIL,
                 rnd_in(r, 1, sockets), d);
        break;
    }
    return b;
}

struct stream_out {
    int kept, replayed, known, moved, walked; /* known: selects known again
                                                 (eng_replan.c), moved: of them
                                                 after out-edges moved, walked:
                                                 ... not forced */
};

static struct stream_out run_shape(uint64_t seed, const char *policy, bool write_resv,
                                   enum shape shape)
{
    struct rng r = {seed};
    eng_error_t err;
    int racks = rnd_in(&r, 1, 2), nodes = rnd_in(&r, 1, 3), sockets = rnd_in(&r, 1, 2),
        cores = rnd_in(&r, 2, 4), gpus = rnd_in(&r, 0, 1);
    if (shape == FLAT) { /* 'gpus' says mixed node sizes */
        nodes = rnd_in(&r, 20, 40);
        cores = rnd_in(&r, 1, 2);
    } else if (shape != SMALL) {
        racks = 1;
        nodes = rnd_in(&r, 65, 70);
        sockets = shape == DEEP ? rnd_in(&r, 65, 67) : 2;
        cores = 1;
        gpus = 0;
    }
    eng_t *e[2];
    rwrite_t *w[2];
    for (int k = 0; k < 2; k++) {
        e[k] = mk_engine(policy, shape == FLAT
                                     ? gen_graph_flat(nodes, cores, gpus)
                                     : gen_graph(racks, nodes, sockets, cores, gpus));
        w[k] = rwrite_create(RWRITE_RV1_NOSCHED, NULL);
        eng_set_write_reservations(e[k], write_resv);
        eng_set_lazy_reservations(e[k], true);
        eng_set_lazy_allocations(e[k], true);
    }
    ck_assert_int_eq(eng_set_replan_in_place(e[1], true), 0);
    struct qjob q[64];
    size_t nq = 0;
    uint64_t next_id = 1;
    int64_t now = 0;
    int depth = rnd_in(&r, 1, 3);
    for (int pass = 0; pass < 60; pass++) {
        /* arrivals */
        for (int k = rnd_in(&r, 0, 2); k > 0 && nq < 64; k--) {
            char *text = shape == SMALL  ? random_jobspec(&r)
                         : shape == FLAT ? flat_jobspec(&r, nodes * cores)
                                         : wide_jobspec(&r, nodes, sockets);
            q[nq++] = (struct qjob){next_id++, js_parse(text), 0, 0, 0};
            free(text);
        }
        /* drop the reservations, the queue's head last */
        for (size_t i = nq; i-- > 0;)
            if (q[i].state == 1) {
                both_cancel(e, q[i].id, true);
                q[i].state = 0;
            }
        if (rnd_in(&r, 0, 5) == 0)
            interlude(&r, e, w);
        int reserved = 0;
        for (size_t i = 0; i < nq; i++) {
            if (q[i].state != 0)
                continue;
            bool may_reserve = reserved < depth;
            enum eng_match_op op =
                may_reserve ? ENG_MATCH_ALLOCATE_ORELSE_RESERVE : ENG_MATCH_ALLOCATE;
            struct eng_match_result res[2];
            int rc[2];
            char *out[2] = {NULL, NULL};
            for (int t = 0; t < 2; t++) {
                rc[t] = eng_match(e[t], op, q[i].js, q[i].id, w[t], &res[t], &err);
                if (rc[t] == 0)
                    ck_assert_int_eq(rwrite_emit(w[t], &out[t], NULL), 0);
                rwrite_reset(w[t]);
            }
            ck_assert_int_eq(rc[0], rc[1]);
            ck_assert_uint_eq(res[0].preorder, res[1].preorder);
            ck_assert_uint_eq(res[0].postorder, res[1].postorder);
            ck_assert_str_eq(out[0] ? out[0] : "", out[1] ? out[1] : "");
            free(out[0]);
            free(out[1]);
            check_same_edge_order(e);
            for (int t_ = 0; t_ < 2; t_++)
                check_subnow(e[t_]);
            if (rc[0] == 0) {
                ck_assert_int_eq(res[0].at, res[1].at);
                ck_assert_int_eq(res[0].reserved, res[1].reserved);
                q[i].at = res[0].at;
                q[i].end = res[0].at + res[0].duration;
                q[i].state = res[0].reserved ? 1 : 2;
                reserved += res[0].reserved;
            } else if (rc[0] == ENG_ENOMATCH) {
                q[i].state = 3; /* never fits: leaves the queue */
            }
            same_state(e);
        }
        /* time moves; finished jobs go, and due reservations are dropped
         * at the next pass (their jobs then start) */
        now += rnd_in(&r, 1, 150);
        for (size_t i = 0; i < nq; i++)
            if (q[i].state == 2 && q[i].end <= now) {
                both_cancel(e, q[i].id, false);
                q[i].state = 3;
            }
        for (int t = 0; t < 2; t++)
            ck_assert_int_eq(eng_time_set(e[t], now), 0);
        size_t k = 0;
        for (size_t i = 0; i < nq; i++) {
            if (q[i].state == 3)
                jobspec_destroy(q[i].js);
            else
                q[k++] = q[i];
        }
        nq = k;
        same_state(e);
    }
    struct stream_out out = {(int)e[1]->nkept, (int)e[1]->nreplay, (int)e[1]->nmemo,
                             (int)e[1]->nmemo_moved, (int)e[1]->nmemo_walk};
    for (size_t i = 0; i < nq; i++) {
        if (q[i].state)
            both_cancel(e, q[i].id, false);
        jobspec_destroy(q[i].js);
    }
    same_state(e);
    for (int k = 0; k < 2; k++) {
        ck_assert_uint_eq(e[k]->vj.live, 0);
        rwrite_destroy(w[k]);
        eng_destroy(e[k]);
    }
    return out;
}

static int run_stream(uint64_t seed, const char *policy, bool write_resv)
{
    return run_shape(seed, policy, write_resv, SMALL).kept;
}

START_TEST(test_replan_twin)
{
    uint64_t seed = 0x9E3779B97F4A7C15u ^ (uint64_t)(_i + 1) * 2654435761u;
    int kept = run_stream(seed, policies[_i % 8], false);
    /* with reservations written nothing may be kept, and all must agree */
    ck_assert_int_eq(run_stream(seed, policies[_i % 8], true), 0);
    ck_assert_int_ge(kept, 0);
}
END_TEST

/* Over all the streams, reservations were kept (the test tests something),
 * most of them updated by replaying their first update's re-weighs, and
 * some without a search, their select known again. */
START_TEST(test_replan_kept)
{
    int kept = 0, replayed = 0, known = 0;
    for (int i = 0; i < 16; i++) {
        struct stream_out o =
            run_shape(0x51AFD7ED558CCD1Du + (uint64_t)i, policies[i % 8], false, SMALL);
        kept += o.kept;
        replayed += o.replayed;
        known += o.known;
    }
    ck_assert_int_gt(kept, 20);
    ck_assert_int_gt(replayed, kept / 2);
    ck_assert_int_gt(known, 5);
}
END_TEST

/* Node-exclusive request of 'nodes' nodes for 'dur' seconds. */
static jobspec_t *nodes_js(int nodes, int dur)
{
    char b[1024];
    snprintf(b, sizeof b,
             "{\"version\": 9999, \"resources\": [{\"type\": \"node\", \"count\": %d, "
             "\"exclusive\": true, \"with\": [{\"type\": \"slot\", \"count\": 1, "
             "\"label\": \"t\", \"with\": [{\"type\": \"core\", \"count\": 1}]}]}], "
             "\"tasks\": [{\"command\": [\"a\"], \"slot\": \"t\", \"count\": "
             "{\"per_slot\": 1}}], \"attributes\": {\"system\": {\"duration\": %d}}}",
             nodes, dur);
    return js_parse(b);
}

/* One slot of 'nodes' whole nodes (nothing asked below them). */
static jobspec_t *bare_nodes_js(int nodes, int dur)
{
    char b[1024];
    snprintf(b, sizeof b,
             "{\"version\": 9999, \"resources\": [{\"type\": \"slot\", \"count\": 1, "
             "\"label\": \"t\", \"with\": [{\"type\": \"node\", \"count\": %d, "
             "\"exclusive\": true}]}], \"tasks\": [{\"command\": [\"a\"], \"slot\": "
             "\"t\", \"count\": {\"per_slot\": 1}}], \"attributes\": {\"system\": "
             "{\"duration\": %d}}}",
             nodes, dur);
    return js_parse(b);
}

static void both_match(eng_t *e[2], enum eng_match_op op, const jobspec_t *js,
                       uint64_t id, struct eng_match_result res[2])
{
    int rc[2];
    for (int t = 0; t < 2; t++)
        rc[t] = eng_match(e[t], op, js, id, NULL, &res[t], NULL);
    ck_assert_int_eq(rc[0], 0);
    ck_assert_int_eq(rc[1], 0);
    ck_assert_int_eq(res[0].at, res[1].at);
    ck_assert_int_eq(res[0].reserved, res[1].reserved);
    ck_assert_uint_eq(res[0].preorder, res[1].preorder);
    ck_assert_uint_eq(res[0].postorder, res[1].postorder);
    same_state(e);
}

/* A select known again (eng_replan.c) only when nothing it reads changed.
 * Four nodes, policy "low" (lowest ids first): X holds node 0 until 300, Y
 * nodes 1-3 until 100, so job J (2 nodes, 50 s) is reserved at 100 on nodes
 * 1 and 2.  At time 10 something happens, J's reservation is dropped and J
 * matched again, on twin engines (cancel and re-plant / keep in place):
 * with nothing in between, J's select is known again; after X ends early
 * (node 0 is free at 100: J gets nodes 0 and 1 at the same start), node 1
 * goes down, or J asks for 3 nodes or 60 s, it must not be. */
START_TEST(test_replan_known)
{
    const int what = _i; /* 0 nothing, 1 X ends, 2 node 1 down, 3 3 nodes, 4 60 s */
    eng_t *e[2];
    for (int k = 0; k < 2; k++)
        e[k] = mk_engine("low", gen_graph(1, 4, 1, 1, 0));
    ck_assert_int_eq(eng_set_replan_in_place(e[1], true), 0);
    jobspec_t *x = nodes_js(1, 300), *y = nodes_js(3, 100), *j = nodes_js(2, 50);
    struct eng_match_result res[2];
    both_match(e, ENG_MATCH_ALLOCATE, x, 1, res);
    both_match(e, ENG_MATCH_ALLOCATE, y, 2, res);
    both_match(e, ENG_MATCH_ALLOCATE_ORELSE_RESERVE, j, 3, res);
    ck_assert(res[0].reserved);
    ck_assert_int_eq(res[0].at, 100);
    for (int t = 0; t < 2; t++)
        ck_assert_int_eq(eng_time_set(e[t], 10), 0);
    jobspec_t *again = j;
    if (what == 1)
        both_cancel(e, 1, false);
    if (what == 2)
        for (int t = 0; t < 2; t++)
            ck_assert_int_eq(eng_status_set_ranks(e[t], "1", false, NULL), 0);
    if (what == 3)
        again = nodes_js(3, 50);
    if (what == 4)
        again = nodes_js(2, 60);
    both_cancel(e, 3, true);
    uint64_t known = e[1]->nmemo;
    both_match(e, ENG_MATCH_ALLOCATE_ORELSE_RESERVE, again, 3, res);
    ck_assert_int_eq(res[0].at, 100);
    ck_assert_uint_eq(e[1]->nmemo - known, what == 0);
    /* and once more, nothing in between: known again even after a change */
    both_cancel(e, 3, true);
    known = e[1]->nmemo;
    both_match(e, ENG_MATCH_ALLOCATE_ORELSE_RESERVE, again, 3, res);
    ck_assert_uint_eq(e[1]->nmemo - known, 1);
    if (again != j)
        jobspec_destroy(again);
    jobspec_destroy(x);
    jobspec_destroy(y);
    jobspec_destroy(j);
    for (int k = 0; k < 2; k++)
        eng_destroy(e[k]);
}
END_TEST

/* A select known again although out-edges moved, when its selection is
 * forced (every child of every vertex it explored taken whole).  Policy
 * "first" (out-edges re-weighed by every update), six nodes of two cores:
 * A holds three nodes until 100, W asks for all six (or, '_i' 1, five) for
 * 50 s and is reserved at 100; at time 10 B takes one node until 60 (its
 * update moves out-edges), W's reservation is dropped and W matched again
 * on twin engines: known again for all six, not for five. */
START_TEST(test_replan_forced)
{
    eng_t *e[2];
    for (int k = 0; k < 2; k++)
        e[k] = mk_engine("first", gen_graph(1, 6, 1, 2, 0));
    ck_assert_int_eq(eng_set_replan_in_place(e[1], true), 0);
    jobspec_t *a = nodes_js(3, 100), *wj = bare_nodes_js(_i ? 5 : 6, 50),
              *b = nodes_js(1, 50);
    struct eng_match_result res[2];
    both_match(e, ENG_MATCH_ALLOCATE, a, 1, res);
    both_match(e, ENG_MATCH_ALLOCATE_ORELSE_RESERVE, wj, 2, res);
    ck_assert(res[0].reserved);
    ck_assert_int_eq(res[0].at, 100);
    for (int t = 0; t < 2; t++)
        ck_assert_int_eq(eng_time_set(e[t], 10), 0);
    uint64_t moves = e[1]->pos_ver;
    both_match(e, ENG_MATCH_ALLOCATE, b, 3, res);
    ck_assert(!res[0].reserved);
    ck_assert_uint_gt(e[1]->pos_ver, moves);
    both_cancel(e, 2, true);
    uint64_t known = e[1]->nmemo, moved = e[1]->nmemo_moved;
    both_match(e, ENG_MATCH_ALLOCATE_ORELSE_RESERVE, wj, 2, res);
    ck_assert_int_eq(res[0].at, 100);
    ck_assert_uint_eq(e[1]->nmemo - known, _i == 0);
    ck_assert_uint_eq(e[1]->nmemo_moved - moved, _i == 0);
    jobspec_destroy(a);
    jobspec_destroy(wj);
    jobspec_destroy(b);
    for (int k = 0; k < 2; k++)
        eng_destroy(e[k]);
}
END_TEST

/* Flat graphs, cores anywhere, policy "first": most re-plans are known
 * again by re-walking the cluster's loop in its new out-edge order. */
START_TEST(test_replan_flat)
{
    int walked = 0, kept = 0;
    for (int i = 0; i < 16; i++) {
        uint64_t seed = 0x7F4A7C159E3779B9u ^ (uint64_t)(_i * 16 + i + 1) * 0x27D4EB2Fu;
        struct stream_out o =
            run_shape(seed, i % 3 ? "first" : "firstnodex", false, FLAT);
        kept += o.kept;
        walked += o.walked;
    }
    ck_assert_int_gt(kept, 100);
    ck_assert_int_gt(walked, 5);
}
END_TEST

/* Wide graphs: the re-weighs an update queues (a rack of many nodes under
 * the stop-on-first policies), nested in 'deep' ones, replayed alike. */
START_TEST(test_replan_wide)
{
    uint64_t seed = 0xC2B2AE3D27D4EB4Fu ^ (uint64_t)(_i + 1) * 0x165667B1u;
    const char *pol = _i % 2 ? "firstnodex" : "first";
    struct stream_out o = run_shape(seed, pol, false, _i < 4 ? WIDE : DEEP);
    ck_assert_int_gt(o.replayed, 0);
    ck_assert_int_gt(o.moved, 0); /* whole-machine requests known again */
}
END_TEST

Suite *eng_replan_suite(void)
{
    Suite *s = suite_create("eng_replan");
    TCase *tc = tcase_create("twins");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_replan_twin, 0, 48);
    tcase_add_test(tc, test_replan_kept);
    tcase_add_loop_test(tc, test_replan_known, 0, 5);
    tcase_add_loop_test(tc, test_replan_forced, 0, 2);
    tcase_add_loop_test(tc, test_replan_flat, 0, 3);
    tcase_add_loop_test(tc, test_replan_wide, 0, 6);
    suite_add_tcase(s, tc);
    return s;
}
