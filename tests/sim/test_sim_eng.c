/* test_sim_eng.c: the simulator over the real matching engine (sim_eng.h)
 * on a generated 4-node graph (1 socket of 2 cores per node, ranks 0-3),
 * whole-node jobs. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eng.h"
#include "ggen.h"
#include "jobspec.h"
#include "qpol.h"
#include "runits.h"
#include "sim.h"
#include "sim_eng.h"
#include "wjob.h"

/* A JSON jobspec asking for all 4 nodes, exclusively, with the attributes
 * object 'attrs' (a string literal). */
#define ALL_NODES(attrs)                                                                 \
    "{\"version\": 1, \"resources\": [{\"type\": \"slot\", \"count\": 4, \"label\": "    \
    "\"task\", \"with\": [{\"type\": \"node\", \"count\": 1, \"exclusive\": true}]}], "  \
    "\"tasks\": [{\"command\": [\"app\"], \"slot\": \"task\", \"count\": "               \
    "{\"per_slot\": "                                                                    \
    "1}}], \"attributes\": " attrs "}"

struct rig {
    eng_t *e;
    sim_eng_t *ae;
    sim_t *sim;
};

static void rig_init(struct rig *r, int nodes)
{
    struct ggen_spec gs;
    ggen_spec_default(&gs);
    gs.nodes = nodes;
    gs.sockets = 1;
    gs.cores = 2;
    eng_error_t err;
    eng_error_clear(&err);
    r->e = eng_create(NULL, &err);
    ck_assert_ptr_nonnull(r->e);
    ck_assert_int_eq(eng_graph_take(r->e, ggen_build(&gs, &err), &err), 0);
    r->ae = sim_eng_create(r->e, &err);
    ck_assert_ptr_nonnull(r->ae);
    r->sim = sim_create(&sim_eng_ops, r->ae, NULL, &err);
    ck_assert_ptr_nonnull(r->sim);
}

static void rig_free(struct rig *r)
{
    sim_destroy(r->sim);
    sim_eng_destroy(r->ae);
    eng_destroy(r->e);
}

static void add_job(struct rig *r, int64_t id, sim_time_t submit, int nodes,
                    sim_time_t runtime)
{
    wjob_map_t map = {WJOB_UNIT_NODE, 2};
    char *js = wjob_jobspec_format(nodes * 2, runtime, &map, NULL);
    ck_assert_ptr_nonnull(js);
    struct sim_job_spec s = {.id = id,
                             .submit = submit,
                             .runtime = runtime,
                             .walltime = runtime,
                             .jobspec = js,
                             .req_nodes = nodes,
                             .req_cores = nodes * 2,
                             .req_gpus = 0};
    ck_assert_int_eq(sim_job_add(r->sim, &s, NULL), 0);
    free(js);
}

static void run(struct rig *r, const char *policy)
{
    const struct qpol_ops *ops = qpol_find(policy);
    eng_error_t err;
    eng_error_clear(&err);
    void *q = ops->create(NULL, &err);
    int rc = sim_run(r->sim, ops, q, &err);
    ck_assert_msg(rc == 0, "%d %s", rc, err.text);
    ops->destroy(q);
}

/* The four-job example of test_qpol.c (J1 3 nodes 100 s at 0, J2 2 nodes 50 s
 * at 1, J3 4 nodes 50 s at 2, J4 1 node 200 s at 3): fcfs does not depend on
 * which nodes the engine picks. */
START_TEST(test_engine_fcfs)
{
    struct rig r;
    rig_init(&r, 4);
    add_job(&r, 1, 0, 3, 100);
    add_job(&r, 2, 1, 2, 50);
    add_job(&r, 3, 2, 4, 50);
    add_job(&r, 4, 3, 1, 200);
    add_job(&r, 5, 4, 5, 10); /* never fits: rejected at submission */
    run(&r, "fcfs");
    const sim_time_t want[][2] = {{0, 100}, {100, 150}, {150, 200}, {200, 400}};
    for (size_t i = 0; i < 4; i++) {
        const sim_job_t *j = sim_job(r.sim, i);
        ck_assert_int_eq(j->start, want[i][0]);
        ck_assert_int_eq(j->end, want[i][1]);
        ck_assert_int_eq(j->units[SIM_UNIT_NODE], j->req_nodes);
        ck_assert_int_eq(j->units[SIM_UNIT_CORE], j->req_nodes * 2);
    }
    ck_assert_str_eq(sim_job(r.sim, 0)->r_lite,
                     "[{\"rank\":\"1-3\",\"children\":{\"core\":\"0-1\"}}]");
    ck_assert_str_eq(sim_job(r.sim, 0)->nodelist,
                     "node[1-3]"); /* "first" takes high ids */
    ck_assert_str_eq(sim_job(r.sim, 2)->nodelist, "node[0-3]");
    ck_assert_int_eq(sim_job(r.sim, 4)->state, SIM_JOB_REJECTED);
    int64_t totals[SIM_UNIT_COUNT];
    sim_totals(r.sim, totals);
    ck_assert_int_eq(totals[SIM_UNIT_NODE], 4);
    ck_assert_int_eq(totals[SIM_UNIT_CORE], 8);
    ck_assert_int_eq(totals[SIM_UNIT_GPU], 0);
    rig_free(&r);
}
END_TEST

/* EASY backfilling through the engine: J1 takes 3 nodes for 100 s, J2 (all
 * 4 nodes) is reserved at 100, J3 (1 node, 50 s) fits on the free node before
 * 100 and backfills at 2; J4 (1 node, 500 s) would delay J2 and waits until
 * J2 ends at 200. */
START_TEST(test_engine_easy)
{
    struct rig r;
    rig_init(&r, 4);
    add_job(&r, 1, 0, 3, 100);
    add_job(&r, 2, 1, 4, 100);
    add_job(&r, 3, 2, 1, 50);
    add_job(&r, 4, 3, 1, 500);
    run(&r, "easy");
    const sim_time_t want[][3] = {
        {0, 100, -1}, {100, 200, 100}, {2, 52, -1}, {200, 700, 200}};
    for (size_t i = 0; i < 4; i++) {
        const sim_job_t *j = sim_job(r.sim, i);
        ck_assert_msg(j->start == want[i][0] && j->end == want[i][1] &&
                          j->first_reserved_at == want[i][2],
                      "job %zu: %lld-%lld (%lld)", i + 1, (long long)j->start,
                      (long long)j->end, (long long)j->first_reserved_at);
    }
    rig_free(&r);
}
END_TEST

/* node3 is down from 0 to 30 (by name) and node2 from 0 to 60 (by path): a
 * 4-node job submitted at 10 starts at 60. */
START_TEST(test_engine_status)
{
    struct rig r;
    rig_init(&r, 4);
    add_job(&r, 1, 10, 4, 5);
    ck_assert_int_eq(sim_resource_event_add(r.sim, 0, "node3", false, NULL), 0);
    ck_assert_int_eq(sim_resource_event_add(r.sim, 0, "/cluster0/node2", false, NULL), 0);
    ck_assert_int_eq(sim_resource_event_add(r.sim, 30, "node3", true, NULL), 0);
    ck_assert_int_eq(sim_resource_event_add(r.sim, 60, "/cluster0/node2", true, NULL), 0);
    run(&r, "conservative");
    ck_assert_int_eq(sim_job(r.sim, 0)->start, 60);
    rig_free(&r);

    rig_init(&r, 2);
    ck_assert_int_eq(sim_resource_event_add(r.sim, 0, "node7", false, NULL), 0);
    const struct qpol_ops *ops = qpol_find("fcfs");
    void *q = ops->create(NULL, NULL);
    eng_error_t err;
    eng_error_clear(&err);
    ck_assert_int_eq(sim_run(r.sim, ops, q, &err), ENG_ENOENT);
    ck_assert_str_eq(err.text, "no node named 'node7'");
    ops->destroy(q);
    rig_free(&r);
}
END_TEST

/* An adapter over a new engine of 6 nodes of 2 sockets of 3 cores and 1 GPU;
 * without remembered busy answers unless 'memo'. */
static sim_eng_t *twin_make(eng_t **e, bool memo)
{
    struct ggen_spec gs;
    ggen_spec_default(&gs);
    gs.nodes = 6;
    gs.sockets = 2;
    gs.cores = 3;
    gs.gpus = 1;
    eng_error_t err;
    eng_error_clear(&err);
    *e = eng_create(NULL, &err);
    ck_assert_ptr_nonnull(*e);
    ck_assert_int_eq(eng_graph_take(*e, ggen_build(&gs, &err), &err), 0);
    if (!memo)
        setenv("SCHEDSIM_NO_BUSY_MEMO", "1", 1);
    sim_eng_t *ae = sim_eng_create(*e, &err);
    unsetenv("SCHEDSIM_NO_BUSY_MEMO");
    ck_assert_ptr_nonnull(ae);
    return ae;
}

/* The units the backend counts for an allocation (the R writer's counts)
 * are what counting its R_lite text gives (runits_count()), over random
 * allocations of cores anywhere, whole nodes and cores with gpus, on a graph
 * of 2 sockets of 3 cores and 1 gpu per node. */
START_TEST(test_engine_units)
{
    eng_t *e;
    sim_eng_t *ae = twin_make(&e, true);
    uint64_t x = 88172645463325252u;
    size_t checked = 0;
    for (uint64_t id = 1; id <= 200; id++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        char text[1024];
        int n = (int)(x % 9) + 1;
        if (x % 3 == 0) {
            wjob_map_t map = {WJOB_UNIT_NODE, 6};
            char *t = wjob_jobspec_format(n * 6 % 36 + 6, 10, &map, NULL);
            ck_assert_ptr_nonnull(t);
            snprintf(text, sizeof text, "%s", t);
            free(t);
        } else if (x % 3 == 1) {
            wjob_map_t map = {WJOB_UNIT_CORE, 6};
            char *t = wjob_jobspec_format(n * 3, 10, &map, NULL);
            ck_assert_ptr_nonnull(t);
            snprintf(text, sizeof text, "%s", t);
            free(t);
        } else {
            snprintf(
                text, sizeof text,
                "{\"version\": 1, \"resources\": [{\"type\": \"slot\", \"count\": %d, "
                "\"label\": \"t\", \"with\": [{\"type\": \"core\", \"count\": 2}, "
                "{\"type\": \"gpu\", \"count\": 1}]}], \"tasks\": [{\"command\": "
                "[\"a\"], \"slot\": \"t\", \"count\": {\"per_slot\": 1}}], "
                "\"attributes\": {\"system\": {\"duration\": 10}}}",
                n % 4 + 1);
        }
        struct sim_match_out out;
        int rc = sim_eng_ops.match(ae, SIM_MATCH_ALLOCATE, id, text, &out, NULL);
        if (rc != 0)
            continue; /* more than the graph holds */
        ck_assert_ptr_nonnull(out.r_lite);
        ck_assert(out.has_units);
        int64_t want[SIM_UNIT_COUNT];
        ck_assert_int_eq(runits_count(out.r_lite, want, NULL), 0);
        for (int u = 0; u < SIM_UNIT_COUNT; u++)
            ck_assert_int_eq(out.units[u], want[u]);
        checked++;
        free(out.r_lite);
        free(out.nodelist);
        ck_assert_int_eq(sim_eng_ops.cancel(ae, id, true, NULL), 0);
    }
    ck_assert_uint_gt(checked, 40);
    sim_eng_destroy(ae);
    eng_destroy(e);
}
END_TEST

static uint64_t xs(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* The random stream of test_engine_busy_memo(): trees 2 whole nodes; 3, 9
 * or 15 cores anywhere (one family); 3 or 5 slots of 2 cores and a GPU
 * (another). */
enum { NJOBS = 1500, NTREES = 6, NFAM = 3 };
static const int fam_of[NTREES] = {0, 1, 1, 1, 2, 2};
static const uint32_t count_of[NTREES] = {2, 3, 9, 15, 3, 5};

/* What the stream knows: 'ep' is bumped by everything that may free
 * resources (a job's end, a node's status, a reservation dropped and not
 * kept by its job's next match); per tree, the shortest duration that did
 * not fit since 'ep' (at 'fail_at' or later), and per family the failed
 * (count, duration) pairs since 'ep'.  The counts: allocations the memory
 * can answer by the tree itself, by its family alone, and at a later
 * instant than the failure. */
struct stream {
    uint64_t ep;
    sim_time_t now;
    int64_t fail_dur[NTREES];
    sim_time_t fail_at[NTREES];
    uint64_t fail_ep[NTREES];
    struct {
        uint64_t ep;
        size_t n;
        sim_time_t at[256];
        uint32_t count[256];
        int64_t dur[256];
    } ffail[NFAM];
    bool live[NJOBS + 1], resv[NJOBS + 1];
    sim_time_t end[NJOBS + 1];
    int tree[NJOBS + 1];
    int64_t dur[NJOBS + 1];
    size_t answerable, fam_answerable, later, kept, started, reserved;
};

static char *tree_text(int tree, int64_t dur)
{
    if (tree < 4) {
        wjob_map_t map = {tree == 0 ? WJOB_UNIT_NODE : WJOB_UNIT_CORE, 6};
        return wjob_jobspec_format(tree == 0 ? 12 : count_of[tree], dur, &map, NULL);
    }
    char buf[1024];
    snprintf(buf, sizeof buf,
             "{\"version\": 1, \"resources\": [{\"type\": \"slot\", \"count\": "
             "%d, \"label\": \"t\", \"with\": [{\"type\": \"core\", \"count\": "
             "2}, {\"type\": \"gpu\", \"count\": 1}]}], \"tasks\": "
             "[{\"command\": [\"a\"], \"slot\": \"t\", \"count\": "
             "{\"per_slot\": 1}}], \"attributes\": {\"system\": "
             "{\"duration\": %lld}}}",
             (int)count_of[tree], (long long)dur);
    return strdup(buf);
}

/* Match job 'id' of 'tree' for 'dur' on both adapters, compare the answers
 * and note them.  'e0' (not NULL) is the first engine when the job's
 * reservation was just dropped, with its kept count 'kept0' before. */
static void stream_match(struct stream *s, sim_eng_t *ae[2], uint64_t id,
                         enum sim_match_op op, int tree, int64_t dur, const eng_t *e0,
                         uint64_t kept0)
{
    char *text = tree_text(tree, dur);
    ck_assert_ptr_nonnull(text);
    bool same = s->fail_ep[tree] == s->ep && s->fail_at[tree] <= s->now &&
                dur >= s->fail_dur[tree];
    s->answerable += op == SIM_MATCH_ALLOCATE && same;
    int fm = fam_of[tree];
    bool by_family = false, earlier = false;
    for (size_t i = 0; s->ffail[fm].ep == s->ep && i < s->ffail[fm].n; i++)
        if (s->ffail[fm].count[i] <= count_of[tree] && s->ffail[fm].dur[i] <= dur) {
            by_family = true;
            earlier |= s->ffail[fm].at[i] < s->now;
        }
    s->fam_answerable += op == SIM_MATCH_ALLOCATE && !same && by_family;
    s->later += op == SIM_MATCH_ALLOCATE && by_family && earlier;
    struct sim_match_out out[2];
    int rc[2];
    for (int k = 0; k < 2; k++) {
        memset(&out[k], 0, sizeof out[k]);
        rc[k] = sim_eng_ops.match(ae[k], op, id, text, &out[k], NULL);
    }
    ck_assert_int_eq(rc[0], rc[1]);
    if (e0 && eng_kept_count(e0) == kept0)
        s->ep++; /* the dropped reservation was not kept */
    else if (e0)
        s->kept++;
    bool busy_now =
        op == SIM_MATCH_ALLOCATE ? rc[0] == ENG_EBUSY : rc[0] == 0 && out[0].reserved;
    s->live[id] = false;
    if (rc[0] == 0) {
        ck_assert_int_eq(out[0].reserved, out[1].reserved);
        ck_assert_int_eq(out[0].at, out[1].at);
        ck_assert_str_eq(out[0].r_lite ? out[0].r_lite : "",
                         out[1].r_lite ? out[1].r_lite : "");
        s->live[id] = true;
        s->resv[id] = out[0].reserved;
        s->end[id] = out[0].at + dur;
        s->tree[id] = tree;
        s->dur[id] = dur;
        s->started += !out[0].reserved;
        s->reserved += out[0].reserved;
    }
    if (busy_now && !(s->fail_ep[tree] == s->ep && s->fail_dur[tree] <= dur)) {
        s->fail_ep[tree] = s->ep;
        s->fail_at[tree] = s->now;
        s->fail_dur[tree] = dur;
    }
    if (busy_now) {
        if (s->ffail[fm].ep != s->ep) {
            s->ffail[fm].ep = s->ep;
            s->ffail[fm].n = 0;
        }
        if (s->ffail[fm].n < 256) {
            s->ffail[fm].at[s->ffail[fm].n] = s->now;
            s->ffail[fm].count[s->ffail[fm].n] = count_of[tree];
            s->ffail[fm].dur[s->ffail[fm].n++] = dur;
        }
    }
    for (int k = 0; k < 2; k++) {
        free(out[k].r_lite);
        free(out[k].nodelist);
    }
    free(text);
}

/* Drop the reservation of job 'j' ('r' a random number): for good, or
 * matched again at once (mostly allocate-or-else-reserve, as a pass does;
 * sometimes allocate only). */
static void stream_replan(struct stream *s, sim_eng_t *ae[2], const eng_t *e0, uint64_t j,
                          uint64_t r)
{
    for (int k = 0; k < 2; k++)
        ck_assert_int_eq(sim_eng_ops.cancel(ae[k], j, false, NULL), 0);
    if (r % 3 == 0) {
        s->live[j] = false; /* freed, once the next call removes it */
        s->ep++;
        return;
    }
    uint64_t kept = eng_kept_count(e0);
    enum sim_match_op op = r % 12 == 1 ? SIM_MATCH_ALLOCATE : SIM_MATCH_ORELSE_RESERVE;
    stream_match(s, ae, j, op, s->tree[j], s->dur[j], e0, kept);
}

/* The busy answers the adapter remembers (sim_eng.c) are the engine's own:
 * twin adapters, one remembering and one asking the engine every time, get
 * the same random stream of allocations (of a few trees, with durations
 * that repeat), reservations, cancels, reservation drops and re-plans (a
 * dropped reservation matched again, kept when nothing changed), status
 * changes and clock steps, and must give the same answer to every call,
 * R_lite included.  The stream must contain allocations the memory can
 * answer (a tree of the family failed for a duration no longer and a count
 * no larger, nothing freed since), also from an earlier instant, and kept
 * re-plans: counted here from the answers, and required. */
START_TEST(test_engine_busy_memo)
{
    eng_t *e[2];
    sim_eng_t *ae[2] = {twin_make(&e[0], true), twin_make(&e[1], false)};
    /* first a fixed case: 5 of the 6 nodes busy until 100, the last one
     * reserved from 100 by a 2-node job; a 1-node job of 200 s cannot
     * start, nor another (remembered), nor one of 300 s; one of 50 s can;
     * once the 5-node job ends, one of 400 s can too */
    wjob_map_t nodes = {WJOB_UNIT_NODE, 6};
    struct {
        enum sim_match_op op;
        int nodes;
        int64_t dur;
        int rc;
        bool reserved;
    } fixed[] = {{SIM_MATCH_ALLOCATE, 5, 100, 0, false},
                 {SIM_MATCH_ORELSE_RESERVE, 2, 50, 0, true},
                 {SIM_MATCH_ALLOCATE, 1, 200, ENG_EBUSY, false},
                 {SIM_MATCH_ALLOCATE, 1, 200, ENG_EBUSY, false},
                 {SIM_MATCH_ALLOCATE, 1, 300, ENG_EBUSY, false},
                 {SIM_MATCH_ALLOCATE, 1, 50, 0, false},
                 {SIM_MATCH_ALLOCATE, 1, 400, ENG_EBUSY, false},
                 /* the 5-node job ends at the same instant: what did not
                  * fit may fit now */
                 {-1, 0, 0, 0, false},
                 {SIM_MATCH_ALLOCATE, 1, 400, 0, false}};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        if ((int)fixed[i].op < 0) {
            for (int k = 0; k < 2; k++)
                ck_assert_int_eq(sim_eng_ops.cancel(ae[k], 9000, true, NULL), 0);
            continue;
        }
        char *t = wjob_jobspec_format(fixed[i].nodes * 6, fixed[i].dur, &nodes, NULL);
        ck_assert_ptr_nonnull(t);
        for (int k = 0; k < 2; k++) {
            struct sim_match_out out;
            memset(&out, 0, sizeof out);
            int rc = sim_eng_ops.match(ae[k], fixed[i].op, 9000 + i, t, &out, NULL);
            ck_assert_int_eq(rc, fixed[i].rc);
            if (rc == 0)
                ck_assert_int_eq(out.reserved, fixed[i].reserved);
            free(out.r_lite);
            free(out.nodelist);
        }
        free(t);
    }
    for (int k = 0; k < 2; k++)
        for (uint64_t j = 9001; j < 9000 + sizeof fixed / sizeof fixed[0]; j++)
            ck_assert_int_eq(sim_eng_ops.cancel(ae[k], j, true, NULL), 0);
    uint64_t x = 0x9e3779b97f4a7c15u;
    static struct stream s;
    memset(&s, 0, sizeof s);
    s.ep = 1;
    for (uint64_t id = 1; id <= NJOBS; id++) {
        uint64_t r = xs(&x);
        if (r % 11 == 0) { /* the clock moves: jobs end; reservations are dropped
                            * or planned again, as a pass does */
            s.now += (sim_time_t)(xs(&x) % 60) + 1;
            for (int k = 0; k < 2; k++)
                ck_assert_int_eq(sim_eng_ops.set_time(ae[k], s.now, NULL), 0);
            for (uint64_t j = 1; j < id; j++) {
                if (!s.live[j] || (!s.resv[j] && s.end[j] > s.now))
                    continue;
                if (s.resv[j]) {
                    stream_replan(&s, ae, e[0], j, xs(&x));
                    continue;
                }
                for (int k = 0; k < 2; k++)
                    ck_assert_int_eq(sim_eng_ops.cancel(ae[k], j, true, NULL), 0);
                s.live[j] = false;
                s.ep++;
            }
            continue;
        }
        if (r % 13 == 3) { /* a pass at this instant drops or plans again one */
            uint64_t j = 1 + xs(&x) % id, n = 0;
            while (n++ < id && !(s.live[j] && s.resv[j]))
                j = j % id + 1;
            if (s.live[j] && s.resv[j])
                stream_replan(&s, ae, e[0], j, xs(&x));
            continue;
        }
        if (r % 29 == 2) { /* a node goes down or comes back */
            char node[32];
            snprintf(node, sizeof node, "node%u", (unsigned)(xs(&x) % 6));
            bool up = xs(&x) % 2;
            for (int k = 0; k < 2; k++)
                ck_assert_int_eq(sim_eng_ops.set_status(ae[k], node, up, NULL), 0);
            s.ep++;
            continue;
        }
        int tree = (int)(xs(&x) % NTREES);
        int64_t dur = 10 * (int64_t)(xs(&x) % 30 + 1);
        enum sim_match_op op =
            xs(&x) % 4 == 0 ? SIM_MATCH_ORELSE_RESERVE : SIM_MATCH_ALLOCATE;
        stream_match(&s, ae, id, op, tree, dur, NULL, 0);
    }
    if (getenv("TEST_VERBOSE"))
        printf("busy memo stream: %zu by tree, %zu by family, %zu later, %zu kept, %zu "
               "started, %zu reserved\n",
               s.answerable, s.fam_answerable, s.later, s.kept, s.started, s.reserved);
    ck_assert_uint_gt(s.answerable, 50);
    ck_assert_uint_gt(s.fam_answerable, 10);
    ck_assert_uint_gt(s.later, 15);
    ck_assert_uint_gt(s.kept, 20);
    ck_assert_uint_gt(s.started, 30);
    ck_assert_uint_gt(s.reserved, 20);
    for (int k = 0; k < 2; k++) {
        sim_eng_destroy(ae[k]);
        eng_destroy(e[k]);
    }
}
END_TEST

/* Jobs with one jobspec text share its satisfiability answer (forgotten when
 * a status changes, and always the engine's own). */
START_TEST(test_engine_sat_cache)
{
    struct rig r;
    rig_init(&r, 4);
    wjob_map_t map = {WJOB_UNIT_NODE, 2};
    char *text = wjob_jobspec_format(4 * 2, 10, &map, NULL);
    ck_assert_ptr_nonnull(text);
    struct sim_match_out out;
    ck_assert_int_eq(
        sim_eng_ops.match(r.ae, SIM_MATCH_SATISFIABILITY, 1, text, &out, NULL), 0);
    ck_assert_int_eq(sim_eng_ops.set_status(r.ae, "node0", false, NULL), 0);
    eng_error_t err;
    eng_error_clear(&err);
    jobspec_t *js = jobspec_parse(text, strlen(text), "<test>", &err);
    ck_assert_ptr_nonnull(js);
    struct eng_match_result res;
    int want = eng_match(r.e, ENG_MATCH_SATISFIABILITY, js, 99, NULL, &res, NULL);
    ck_assert_int_eq(want, 0); /* satisfiability ignores status, as Fluxion's */
    ck_assert_int_eq(
        sim_eng_ops.match(r.ae, SIM_MATCH_SATISFIABILITY, 2, text, &out, NULL), want);
    ck_assert_int_eq(sim_eng_ops.set_status(r.ae, "node0", true, NULL), 0);
    ck_assert_int_eq(
        sim_eng_ops.match(r.ae, SIM_MATCH_SATISFIABILITY, 3, text, &out, NULL), 0);
    char *big = wjob_jobspec_format(5 * 2, 10, &map, NULL); /* 5 nodes of 4 */
    for (uint64_t id = 4; id < 6; id++)
        ck_assert_int_eq(
            sim_eng_ops.match(r.ae, SIM_MATCH_SATISFIABILITY, id, big, &out, NULL),
            ENG_ENOMATCH);
    free(big);
    jobspec_destroy(js);
    free(text);
    rig_free(&r);
}
END_TEST

/* Jobs whose resource trees are alike share one satisfiability answer
 * whatever their durations; after a job whose span may reach the end of time
 * (a duration of 0 is the graph's) nothing is shared, and the answer is the
 * engine's own. */
START_TEST(test_engine_sat_shape)
{
    struct rig r;
    rig_init(&r, 4);
    wjob_map_t map = {WJOB_UNIT_NODE, 2};
    struct sim_match_out out;
    for (int64_t d = 10; d <= 30; d += 10) {
        char *t = wjob_jobspec_format(4 * 2, d, &map, NULL);
        ck_assert_int_eq(
            sim_eng_ops.match(r.ae, SIM_MATCH_SATISFIABILITY, (uint64_t)d, t, &out, NULL),
            0);
        free(t);
    }
    /* job 50 holds every node to the end of time */
    const char *forever = ALL_NODES("{\"system\": {\"duration\": 0}}");
    ck_assert_int_eq(sim_eng_ops.match(r.ae, SIM_MATCH_ALLOCATE, 50, forever, &out, NULL),
                     0);
    free(out.r_lite);
    free(out.nodelist);
    char *t = wjob_jobspec_format(4 * 2, 40, &map, NULL);
    eng_error_t err;
    jobspec_t *js = jobspec_parse(t, strlen(t), "<test>", &err);
    ck_assert_ptr_nonnull(js);
    int want = eng_match(r.e, ENG_MATCH_SATISFIABILITY, js, 99, NULL, NULL, NULL);
    ck_assert_int_eq(sim_eng_ops.match(r.ae, SIM_MATCH_SATISFIABILITY, 51, t, &out, NULL),
                     want);
    jobspec_destroy(js);
    free(t);
    rig_free(&r);
}
END_TEST

/* Texts that differ only in their duration share one parse, yet each job
 * keeps its own duration: on a graph where every job needs all 4 nodes, job
 * k is reserved at the end of the jobs before it.  A "duration" outside
 * attributes.system, or a text with escapes, is never taken for it. */
START_TEST(test_engine_duration_shared)
{
    struct rig r;
    rig_init(&r, 4);
    wjob_map_t map = {WJOB_UNIT_NODE, 2};
    struct sim_match_out out;
    static const int64_t dur[] = {100, 200, 300, 50, 200};
    int64_t at = 0;
    for (uint64_t k = 0; k < 5; k++) {
        char *t = wjob_jobspec_format(4 * 2, dur[k], &map, NULL);
        ck_assert_int_eq(
            sim_eng_ops.match(r.ae, SIM_MATCH_ORELSE_RESERVE, k + 1, t, &out, NULL), 0);
        ck_assert_int_eq(out.at, at);
        ck_assert(out.reserved == (k > 0));
        if (!out.reserved) {
            free(out.r_lite);
            free(out.nodelist);
        }
        at += dur[k];
        free(t);
    }
    /* the one "duration" is a user attribute: the system's is the graph's
     * (to the end of time), so after the first nothing can be reserved */
    static const char *const user[] = {ALL_NODES("{\"user\": {\"duration\": 7}}"),
                                       ALL_NODES("{\"user\": {\"duration\": 9}}")};
    struct rig u;
    rig_init(&u, 4);
    ck_assert_int_eq(sim_eng_ops.match(u.ae, SIM_MATCH_ALLOCATE, 1, user[0], &out, NULL),
                     0);
    free(out.r_lite);
    free(out.nodelist);
    ck_assert_int_eq(
        sim_eng_ops.match(u.ae, SIM_MATCH_ORELSE_RESERVE, 2, user[1], &out, NULL),
        ENG_EBUSY);
    rig_free(&u);
    /* escapes: "dur\u0061tion" is the system's duration (20), the plain
     * "duration" a user attribute: the second job keeps 20, whatever its
     * user number says */
    struct rig x;
    rig_init(&x, 4);
    static const char *const esc[] = {
        ALL_NODES("{\"system\": {\"dur\\u0061tion\": 20}, \"user\": {\"duration\": 20}}"),
        ALL_NODES(
            "{\"system\": {\"dur\\u0061tion\": 20}, \"user\": {\"duration\": 90}}")};
    ck_assert_int_eq(sim_eng_ops.match(x.ae, SIM_MATCH_ALLOCATE, 1, esc[0], &out, NULL),
                     0);
    free(out.r_lite);
    free(out.nodelist);
    ck_assert_int_eq(
        sim_eng_ops.match(x.ae, SIM_MATCH_ORELSE_RESERVE, 2, esc[1], &out, NULL), 0);
    ck_assert(out.reserved);
    ck_assert_int_eq(out.at, 20);
    ck_assert_int_eq(
        sim_eng_ops.match(x.ae, SIM_MATCH_ORELSE_RESERVE, 3, esc[0], &out, NULL), 0);
    ck_assert_int_eq(out.at, 40);
    rig_free(&x);
    rig_free(&r);
}
END_TEST

/* A jobspec the engine cannot parse rejects that job, not the run. */
START_TEST(test_engine_bad_jobspec)
{
    struct rig r;
    rig_init(&r, 2);
    struct sim_job_spec s = {.id = 9,
                             .submit = 0,
                             .runtime = 1,
                             .walltime = 1,
                             .jobspec = "{\"version\": 1, \"resources\": 3}"};
    ck_assert_int_eq(sim_job_add(r.sim, &s, NULL), 0);
    add_job(&r, 10, 0, 1, 10);
    run(&r, "easy");
    const sim_job_t *j = sim_job(r.sim, 0);
    ck_assert_int_eq(j->state, SIM_JOB_REJECTED);
    ck_assert_msg(strncmp(j->note, "invalid jobspec: <job 1>:", 25) == 0, "%s", j->note);
    ck_assert_int_eq(sim_job(r.sim, 1)->state, SIM_JOB_COMPLETED);
    rig_free(&r);
}
END_TEST

Suite *sim_eng_suite(void)
{
    Suite *s = suite_create("sim_eng");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_engine_fcfs);
    tcase_add_test(tc, test_engine_easy);
    tcase_add_test(tc, test_engine_status);
    tcase_add_test(tc, test_engine_bad_jobspec);
    tcase_add_test(tc, test_engine_sat_cache);
    tcase_add_test(tc, test_engine_sat_shape);
    tcase_add_test(tc, test_engine_duration_shared);
    tcase_add_test(tc, test_engine_units);
    tcase_add_test(tc, test_engine_busy_memo);
    suite_add_tcase(s, tc);
    return s;
}
