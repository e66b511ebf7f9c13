/* test_eng.c: the matching engine's native API (eng.h).
 *
 * - bad arguments of every entry point, unknown job ids, request types the
 *   graph lacks;
 * - Fluxion's own decisions: the JGF "basics" command files of the
 *   conformance pack replayed through the engine and the simple writer,
 *   compared byte for byte with the outputs Fluxion's test suite expects;
 * - properties over seeded random job streams on generated graphs: no vertex
 *   is ever planned beyond its size at any instant (so reservations never
 *   overlap allocations), and a match followed by its cancel restores every
 *   planner exactly. */
#include "eng_testgen.h"
#include "rwrite.h"

/* ---- helpers ------------------------------------------------------------------ */

static const char *const JS_CORE =
    "{\"version\": 9999, \"resources\": [{\"type\": \"slot\", \"count\": 1, \"label\": "
    "\"default\", \"with\": [{\"type\": \"core\", \"count\": 1}]}], \"attributes\": "
    "{\"system\": {\"duration\": 60}}, \"tasks\": [{\"command\": [\"a\"], \"slot\": "
    "\"default\", \"count\": {\"per_slot\": 1}}]}";

/* ---- bad arguments -------------------------------------------------------------- */

static const struct {
    struct eng_options o;
    int code;
} create_cases[] = {
    {{.policy = "lowest"}, ENG_EINVAL},
    {{.policy = "policy=medium"}, ENG_EINVAL},
    {{.policy = "policy=low node_centric=maybe"}, ENG_EINVAL},
    {{.policy = "node_centric=true"}, ENG_EINVAL},
    {{.subsystems = "XYZ"}, ENG_EINVAL},
    {{.traverser = "fast"}, ENG_EINVAL},
    {{.prune_filters = "core"}, ENG_EINVAL},
    {{.prune_filters = "ALL:"}, ENG_EINVAL},
    {{.prune_filters = ":core"}, ENG_EINVAL},
    {{.prune_filters = "ALL:core,"}, ENG_EINVAL},
    {{.policy = "policy=high node_exclusive=true"}, 0},
    {{.policy = "hinodex", .prune_filters = "", .subsystems = "ca"}, 0},
};

START_TEST(test_badparam_create)
{
    eng_error_t err;
    eng_t *e = eng_create(&create_cases[_i].o, &err);
    if (create_cases[_i].code) {
        ck_assert_ptr_null(e);
        ck_assert_int_eq(err.code, create_cases[_i].code);
    } else {
        ck_assert_ptr_nonnull(e);
    }
    eng_destroy(e);
}
END_TEST

START_TEST(test_badparam_calls)
{
    eng_error_t err;
    jobspec_t *js = js_parse(JS_CORE);
    eng_t *e = eng_create(NULL, &err);
    ck_assert_ptr_nonnull(e);
    /* no graph yet */
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 1, NULL, NULL, &err),
                     ENG_EINVAL);
    ck_assert_int_eq(eng_graph_take(e, NULL, &err), ENG_EINVAL);
    ck_assert_int_eq(eng_graph_take(NULL, NULL, &err), ENG_EINVAL);
    ck_assert_int_eq(eng_graph_take(e, gen_graph(1, 2, 1, 2, 0), &err), 0);
    ck_assert_int_eq(eng_graph_take(e, gen_graph(1, 1, 1, 1, 0), &err), ENG_ESTATE);
    ck_assert_int_eq(eng_match(NULL, ENG_MATCH_ALLOCATE, js, 1, NULL, NULL, &err),
                     ENG_EINVAL);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, NULL, 1, NULL, NULL, &err),
                     ENG_EINVAL);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_UNKNOWN, js, 1, NULL, NULL, &err),
                     ENG_EINVAL);
    ck_assert_int_eq(eng_match(e, (enum eng_match_op)99, js, 1, NULL, NULL, &err),
                     ENG_EINVAL);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, UINT64_MAX, NULL, NULL, &err),
                     ENG_EINVAL);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 1, NULL, NULL, &err), 0);
    /* a live id is taken again (merged, see test_reused_id) */
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 1, NULL, NULL, &err), 0);
    ck_assert_int_eq(eng_time_set(e, 10), 0);
    ck_assert_int_eq(eng_time_set(e, 5), ENG_EINVAL);
    ck_assert_int_eq(eng_time(e), 10);
    ck_assert_int_eq(eng_find(e, "status=sideways", NULL, &err), ENG_EINVAL);
    ck_assert_str_eq(eng_message(e), "find: invalid criteria: status=sideways.\n");
    ck_assert_int_eq(eng_find(e, "(status=up", NULL, &err), ENG_EINVAL);
    ck_assert_int_eq(eng_find(e, "status=up nonsense", NULL, &err), ENG_EINVAL);
    ck_assert_int_eq(eng_find(NULL, "status=up", NULL, &err), ENG_EINVAL);
    bool up = false;
    ck_assert_int_eq(eng_status_get(e, "/nowhere", &up, &err), ENG_ENOENT);
    ck_assert_int_eq(eng_status_set(e, "/nowhere", false, &err), ENG_ENOENT);
    ck_assert_int_eq(eng_status_set_ranks(e, "1-x", false, &err), ENG_EPARSE);
    ck_assert_int_eq(eng_property_set(e, "/nowhere", "k", "v", &err), ENG_ENOENT);
    ck_assert_int_eq(eng_remove_path(e, "/nowhere", &err), ENG_ENOENT);
    ck_assert_int_eq(eng_attach(e, "{", 1, &err), ENG_EPARSE);
    bool full = true;
    ck_assert_int_eq(eng_partial_cancel(e, 1, "{", 1, &full, &err), ENG_EPARSE);
    ck_assert_int_eq(eng_update(e, 7, "{}", 2, -1, 10, false, NULL, NULL, &err),
                     ENG_EINVAL);
    eng_destroy(e);
    eng_destroy(NULL);
    jobspec_destroy(js);
}
END_TEST

/* Fluxion's traverser never checks ids: a second match under a live id (one
 * whose R its caller could not write, so never recorded) adds to the job,
 * the older spans of the vertices both tag stay in the planners, and cancel
 * releases every vertex either match took. */
START_TEST(test_reused_id)
{
    eng_error_t err;
    eng_t *e = mk_engine("low", gen_graph(1, 1, 1, 2, 0));
    jobspec_t *js = js_parse(JS_CORE);
    rg_vid_t root = rg_graph_root(e->g, e->dom);
    struct eng_job_info ji;
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 1, NULL, NULL, &err), 0);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 1, NULL, NULL, &err), 0);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 2, NULL, NULL, &err),
                     ENG_EBUSY);
    ck_assert_int_eq(eng_job_info(e, 1, &ji, &err), 0);
    ck_assert_int_eq(ji.state, ENG_JOB_ALLOCATED);
    ck_assert_uint_eq(e->xs[root].n, 2);
    ck_assert_int_eq(eng_cancel(e, 1, false, &err), 0);
    ck_assert_int_eq(eng_cancel(e, 1, false, &err), ENG_ENOENT);
    /* both cores are free again, but the ancestors keep the older match's
     * spans (x_checker, subtree planners: one core), as Fluxion's do */
    ck_assert_uint_eq(e->xs[root].n, 1);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 2, NULL, NULL, &err), 0);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 3, NULL, NULL, &err),
                     ENG_EBUSY);
    ck_assert_uint_eq(e->xs[root].n, 2);
    ck_assert_int_eq(eng_cancel(e, 2, false, &err), 0);
    ck_assert_uint_eq(e->xs[root].n, 1);
    jobspec_destroy(js);
    eng_destroy(e);
}
END_TEST

START_TEST(test_unknown_jobs)
{
    eng_error_t err;
    eng_t *e = mk_engine("low", gen_graph(1, 1, 1, 2, 0));
    struct eng_job_info ji;
    ck_assert_int_eq(eng_cancel(e, 42, false, &err), ENG_ENOENT);
    ck_assert_str_eq(err.text, "nonexistent job 42");
    ck_assert_int_eq(eng_cancel(e, 42, true, &err), 0);
    ck_assert_int_eq(eng_job_info(e, 42, &ji, &err), ENG_ENOENT);
    ck_assert_int_eq(eng_partial_cancel(e, 42, "{}", 2, NULL, &err), ENG_ENOENT);
    ck_assert(!eng_job_first(e, &ji));
    jobspec_t *js = js_parse(JS_CORE);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 3, NULL, NULL, &err), 0);
    ck_assert_int_eq(eng_cancel(e, 3, false, &err), 0);
    /* cancelled jobs are forgotten (memory stays flat), cannot be cancelled
     * twice, and still count in the statistics */
    ck_assert_int_eq(eng_job_info(e, 3, &ji, &err), ENG_ENOENT);
    ck_assert_str_eq(eng_job_state_name(ENG_JOB_CANCELED), "CANCELED");
    ck_assert_int_eq(eng_cancel(e, 3, false, &err), ENG_ENOENT);
    ck_assert(!eng_job_first(e, &ji));
    struct eng_stats st;
    eng_stats_get(e, &st);
    ck_assert_uint_eq(st.jobs, 1);
    /* the id can be used again, and ids around a dropped one stay ordered */
    for (uint64_t id = 1; id <= 5; id++)
        ck_assert_int_eq(
            eng_match(e, ENG_MATCH_ALLOCATE_ORELSE_RESERVE, js, id, NULL, NULL, &err), 0);
    ck_assert_int_eq(eng_cancel(e, 3, false, &err), 0);
    uint64_t want[] = {1, 2, 4, 5};
    int n = 0;
    for (bool ok = eng_job_first(e, &ji); ok; ok = eng_job_next(e, ji.jobid, &ji))
        ck_assert_uint_eq(ji.jobid, want[n++]);
    ck_assert_int_eq(n, 4);
    jobspec_destroy(js);
    eng_destroy(e);
}
END_TEST

/* A type the graph does not have is rejected as Fluxion's jobspec parser
 * does; a known type that cannot be had is never satisfiable. */
START_TEST(test_absent_types)
{
    eng_error_t err;
    eng_t *e = mk_engine("first", gen_graph(1, 2, 1, 2, 0));
    const char *foo =
        "{\"version\": 9999, \"resources\": [{\"type\": \"foo\", \"count\": 1}], "
        "\"tasks\": [{\"command\": [\"a\"], \"slot\": \"s\", \"count\": "
        "{\"per_slot\": 1}}], \"attributes\": {}}";
    jobspec_t *js = js_parse(foo);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 1, NULL, NULL, &err),
                     ENG_EINVAL);
    ck_assert_str_eq(err.text,
                     "Value of \"type\" must be a resource type known to fluxion");
    jobspec_destroy(js);
    const char *ssd =
        "{\"version\": 9999, \"resources\": [{\"type\": \"slot\", \"count\": 1, "
        "\"label\": \"d\", \"with\": [{\"type\": \"ssd\", \"count\": 1}]}], "
        "\"tasks\": [{\"command\": [\"a\"], \"slot\": \"d\", \"count\": "
        "{\"per_slot\": 1}}], \"attributes\": {}}";
    js = js_parse(ssd);
    struct eng_match_result res;
    ck_assert_int_eq(eng_match(e, ENG_MATCH_SATISFIABILITY, js, 1, NULL, &res, &err),
                     ENG_ENOMATCH);
    ck_assert(!res.satisfiable);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 1, NULL, NULL, &err),
                     ENG_EBUSY);
    ck_assert_int_eq(
        eng_match(e, ENG_MATCH_ALLOCATE_ORELSE_RESERVE, js, 1, NULL, NULL, &err),
        ENG_ENOMATCH);
    jobspec_destroy(js);
    eng_destroy(e);
}
END_TEST

/* ---- Fluxion's decisions: the basics command files ----------------------------------
 */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return b;
}

struct outbuf {
    char *s;
    size_t n, cap;
};

static void out_add(struct outbuf *o, const char *s)
{
    size_t l = strlen(s);
    if (o->n + l + 1 > o->cap) {
        o->cap = (o->n + l + 1) * 2;
        o->s = realloc(o->s, o->cap);
    }
    memcpy(o->s + o->n, s, l + 1);
    o->n += l;
}

static void print_match(struct outbuf *o, enum eng_match_op op, int rc, uint64_t jobid,
                        const struct eng_match_result *r)
{
    char buf[256];
    const char *bar = "INFO: =============================\n";
    if (op == ENG_MATCH_SATISFIABILITY) {
        out_add(o, bar);
        out_add(o, rc == 0 ? "INFO: Satisfiable request\n"
                           : "INFO: Unsatisfiable request\n");
        out_add(o, bar);
        return;
    }
    out_add(o, bar);
    if (rc == 0) {
        bool alloc = op != ENG_MATCH_WITHOUT_ALLOCATING &&
                     op != ENG_MATCH_WITHOUT_ALLOCATING_FUTURE;
        snprintf(buf, sizeof buf, "INFO: JOBID=%llu\nINFO: RESOURCES=%s\n",
                 (unsigned long long)jobid,
                 !alloc       ? "MATCHED"
                 : r->at == 0 ? "ALLOCATED"
                              : "RESERVED");
        out_add(o, buf);
        if (r->at == 0)
            snprintf(buf, sizeof buf, "INFO: SCHEDULED AT=Now\n");
        else
            snprintf(buf, sizeof buf, "INFO: SCHEDULED AT=%lld\n", (long long)r->at);
        out_add(o, buf);
    } else {
        out_add(o, "INFO: No matching resources found\n");
        if (!r->satisfiable)
            out_add(o, "INFO: Unsatisfiable request\n");
        snprintf(buf, sizeof buf, "INFO: JOBID=%llu\n", (unsigned long long)jobid);
        out_add(o, buf);
    }
    out_add(o, bar);
}

/* Replay a command file with "match" and "cancel" commands as resource-query
 * does (simple writer) and return the text of its -t file. */
static char *replay(const char *graph, const char *policy, const char *trav,
                    const char *cmds)
{
    char root[1024];
    snprintf(root, sizeof root, "%s/conformance/data", SCHEDSIM_SHARED_DIR);
    char path[2048];
    size_t len;
    snprintf(path, sizeof path, "%s/%s", root, graph);
    char *text = slurp(path, &len);
    struct eng_options o = {.policy = policy, .traverser = trav};
    eng_error_t err;
    eng_t *e = eng_create(&o, &err);
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(eng_graph_load(e, text, len, "jgf", path, &err), 0);
    free(text);
    rwrite_t *w = rwrite_create(RWRITE_SIMPLE, &err);
    snprintf(path, sizeof path, "%s/%s", root, cmds);
    char *c = slurp(path, &len);
    struct outbuf out = {0};
    out_add(&out, "");
    uint64_t jobid = 1;
    for (char *line = c, *nl; line && *line; line = nl) {
        nl = strchr(line, '\n');
        if (nl)
            *nl++ = '\0';
        char a0[64] = "", a1[64] = "", a2[1024] = "";
        if (line[0] == '#' || sscanf(line, "%63s %63s %1023s", a0, a1, a2) < 1)
            continue;
        if (strcmp(a0, "match") == 0) {
            const char *pfx = "@TEST_SRCDIR@/data/resource";
            snprintf(path, sizeof path, "%s%s", root, a2 + strlen(pfx));
            jobspec_t *js = jobspec_load(path, &err);
            ck_assert_msg(js != NULL, "%s", err.text);
            enum eng_match_op op = eng_match_op_parse(a1);
            struct eng_match_result r;
            int rc = eng_match(e, op, js, jobid, w, &r, &err);
            char *R = NULL;
            ck_assert_int_eq(rwrite_emit(w, &R, &err), 0);
            out_add(&out, R);
            free(R);
            print_match(&out, op, rc, jobid, &r);
            if (op != ENG_MATCH_SATISFIABILITY && op != ENG_MATCH_WITHOUT_ALLOCATING &&
                op != ENG_MATCH_WITHOUT_ALLOCATING_FUTURE)
                jobid++;
            jobspec_destroy(js);
        } else if (strcmp(a0, "cancel") == 0) {
            eng_cancel(e, strtoull(a1, NULL, 10), false, &err);
        }
    }
    free(c);
    rwrite_destroy(w);
    eng_destroy(e);
    return out.s;
}

static const struct {
    const char *policy, *cmds, *expected, *traverser;
} basics[] = {
    {"high", "commands/basics/cmds01.in", "expected/basics/001.R.out", NULL},
    {"high", "commands/basics/cmds02.in", "expected/basics/002.R.out", NULL},
    {"high", "commands/basics/cmds03.in", "expected/basics/003.R.out", NULL},
    {"high", "commands/basics/cmds04.in", "expected/basics/004.R.out", NULL},
    {"high", "commands/basics/cmds05.in", "expected/basics/005.R.out", NULL},
    {"high", "commands/basics/cmds06.in", "expected/basics/006.R.out", NULL},
    {"high", "commands/basics/cmds08.in", "expected/basics/008.R.out", NULL},
    {"low", "commands/basics/cmds01.in", "expected/basics/009.R.out", NULL},
    {"low", "commands/basics/cmds02.in", "expected/basics/010.R.out", NULL},
    {"low", "commands/basics/cmds03.in", "expected/basics/011.R.out", NULL},
    {"low", "commands/basics/cmds04.in", "expected/basics/012.R.out", NULL},
    {"low", "commands/basics/cmds05.in", "expected/basics/013.R.out", NULL},
    {"low", "commands/basics/cmds06.in", "expected/basics/014.R.out", NULL},
    {"low", "commands/basics/cmds07.in", "expected/basics/015.R.out", NULL},
    {"low", "commands/basics/cmds08.in", "expected/basics/016.R.out", NULL},
    {"low", "commands/basics/cmds40.in", "expected/basics/040.R.out", NULL},
    {"first", "commands/basics/cmds01.in", "expected/basics/041.R.out", NULL},
    {"first", "commands/basics/cmds02.in", "expected/basics/042.R.out", NULL},
    {"first", "commands/basics/cmds03.in", "expected/basics/043.R.out", NULL},
    {"first", "commands/basics/cmds04.in", "expected/basics/044.R.out", NULL},
    {"first", "commands/basics/cmds05.in", "expected/basics/045.R.out", NULL},
    {"first", "commands/basics/cmds06.in", "expected/basics/046.R.out", NULL},
    {"first", "commands/basics/cmds08.in", "expected/basics/048.R.out", NULL},
    /* t3038: the flexible traverser (or-slots, xor_slot) */
    {"high", "commands/flexible/cmds02.in", "expected/flexible/002.R.out", "flexible"},
    {"high", "commands/flexible/cmds03.in", "expected/flexible/003.R.out", "flexible"},
    {"high", "commands/flexible/cmds04.in", "expected/flexible/004.R.out", "flexible"},
    {"high", "commands/flexible/cmds05.in", "expected/flexible/005.R.out", "flexible"},
    {"high", "commands/flexible/cmds07.in", "expected/flexible/007.R.out", "flexible"},
    {"high", "commands/flexible/cmds08.in", "expected/flexible/008.R.out", "flexible"},
    {"first", "commands/flexible/cmds09.in", "expected/flexible/009.R.out", "flexible"},
    {"first", "commands/flexible/cmds10.in", "expected/flexible/010.R.out", "flexible"},
    {"first", "commands/flexible/cmds11.in", "expected/flexible/011.R.out", "flexible"},
    {"high", "commands/flexible/cmds13.in", "expected/flexible/013.R.out", "flexible"},
    {"first", "commands/flexible/cmds13.in", "expected/flexible/014.R.out", "flexible"},
    {"first", "commands/flexible/cmds15.in", "expected/flexible/015.R.out", "flexible"},
};

START_TEST(test_basics_tiny)
{
    char *got = replay("jgfs/tiny.json", basics[_i].policy, basics[_i].traverser,
                       basics[_i].cmds);
    char path[2048];
    size_t len;
    snprintf(path, sizeof path, "%s/conformance/data/%s", SCHEDSIM_SHARED_DIR,
             basics[_i].expected);
    char *want = slurp(path, &len);
    ck_assert_msg(strcmp(got, want) == 0, "%s with -P %s differs from %s",
                  basics[_i].cmds, basics[_i].policy, basics[_i].expected);
    free(got);
    free(want);
}
END_TEST

/* ---- properties over random job streams ---------------------------------------------
 */

struct snap {
    planner_t **plans;
    uint32_t *nx;
    planner_multi_t **sub;
    size_t n;
    size_t live;
};

static void snap_take(const eng_t *e, struct snap *s)
{
    s->n = rg_graph_vid_bound(e->g);
    s->plans = calloc(s->n, sizeof *s->plans);
    s->nx = calloc(s->n, sizeof *s->nx);
    s->sub = calloc(s->n, sizeof *s->sub);
    for (size_t v = 0; v < s->n; v++) {
        s->plans[v] = e->plans[v] ? planner_copy(e->plans[v], NULL) : NULL;
        s->nx[v] = e->xs[v].n;
        s->sub[v] = e->subplan[v] ? planner_multi_copy(e->subplan[v], NULL) : NULL;
    }
    s->live = e->vj.live;
}

/* Same free units at every instant any of the two planners has a point. */
static bool same_avail(planner_t *a, planner_t *b, int64_t size)
{
    if (!a || !b) {
        planner_t *p = a ? a : b;
        return !p || planner_span_count(p) == 0 ||
               planner_avail_resources_at(p, 0) == size;
    }
    planner_t *both[2] = {a, b};
    for (int i = 0; i < 2; i++)
        for (int64_t s = planner_span_first(both[i]); s >= 0;
             s = planner_span_next(both[i])) {
            int64_t t = planner_span_start(both[i], s);
            int64_t d = planner_span_duration(both[i], s);
            if (planner_avail_resources_at(a, t) != planner_avail_resources_at(b, t) ||
                planner_avail_resources_at(a, t + d) !=
                    planner_avail_resources_at(b, t + d))
                return false;
        }
    return planner_span_count(a) == planner_span_count(b);
}

static void snap_check(const eng_t *e, struct snap *s)
{
    for (size_t v = 0; v < s->n; v++) {
        int64_t size = rg_vertex_get(e->g, (rg_vid_t)v)->size;
        ck_assert_msg(same_avail(s->plans[v], e->plans[v], size), "plan of %zu changed",
                      v);
        ck_assert_msg(s->nx[v] == e->xs[v].n, "x_checker of %zu changed", v);
        if (s->sub[v]) {
            size_t len = planner_multi_resources_len(s->sub[v]);
            for (size_t i = 0; i < len; i++)
                ck_assert_msg(same_avail(planner_multi_planner_at(s->sub[v], i),
                                         planner_multi_planner_at(e->subplan[v], i),
                                         planner_multi_resource_total_at(s->sub[v], i)),
                              "subtree planner of %zu changed", v);
        }
        planner_destroy(s->plans[v]);
        planner_multi_destroy(s->sub[v]);
    }
    ck_assert_uint_eq(s->live, e->vj.live);
    free(s->plans);
    free(s->nx);
    free(s->sub);
}

static const char *const policies[] = {"first",  "low",      "high",      "lonodex",
                                       "hinode", "locality", "variation", "firstnodex"};

START_TEST(test_random_streams)
{
    struct rng r = {0x9E3779B97F4A7C15u ^ (uint64_t)(_i + 1) * 7919u};
    eng_error_t err;
    rg_graph_t *g = gen_graph(rnd_in(&r, 1, 2), rnd_in(&r, 1, 3), rnd_in(&r, 1, 2),
                              rnd_in(&r, 2, 4), rnd_in(&r, 0, 1));
    eng_t *e = mk_engine(policies[_i % 8], g);
    uint64_t live[256];
    size_t nlive = 0;
    for (uint64_t jobid = 1; jobid <= 60; jobid++) {
        if (nlive && rnd_in(&r, 0, 3) == 0) {
            size_t k = (size_t)rnd_in(&r, 0, (int)nlive - 1);
            ck_assert_int_eq(eng_cancel(e, live[k], false, &err), 0);
            live[k] = live[--nlive];
        }
        char *text = random_jobspec(&r);
        jobspec_t *js = js_parse(text);
        free(text);
        /* a match and its cancel leave no trace */
        struct snap s;
        snap_take(e, &s);
        if (eng_match(e, ENG_MATCH_ALLOCATE_ORELSE_RESERVE, js, 1000 + jobid, NULL, NULL,
                      &err) == 0)
            ck_assert_int_eq(eng_cancel(e, 1000 + jobid, false, &err), 0);
        snap_check(e, &s);
        enum eng_match_op op =
            rnd_in(&r, 0, 1) ? ENG_MATCH_ALLOCATE_ORELSE_RESERVE : ENG_MATCH_ALLOCATE;
        struct eng_match_result res;
        int rc = eng_match(e, op, js, jobid, NULL, &res, &err);
        ck_assert(rc == 0 || rc == ENG_EBUSY || rc == ENG_ENOMATCH || rc == ENG_ESTATE ||
                  rc == ENG_ENOENT);
        if (rc == 0) {
            ck_assert_int_ge(res.at, 0);
            ck_assert(op == ENG_MATCH_ALLOCATE_ORELSE_RESERVE || res.at == 0);
            live[nlive++] = jobid;
        }
        jobspec_destroy(js);
        check_no_overallocation(e);
    }
    while (nlive)
        ck_assert_int_eq(eng_cancel(e, live[--nlive], false, &err), 0);
    ck_assert_uint_eq(e->vj.live, 0);
    eng_destroy(e);
}
END_TEST

/* A vertex held by more than VJ_LIST_MAX jobs (the cluster, here) finds its
 * records through the (vertex, job) index; cancels in any order keep the
 * lists and the index consistent. */
START_TEST(test_many_jobs_per_vertex)
{
    eng_error_t err;
    eng_t *e = mk_engine("first", gen_graph(1, 1, 2, 32, 0));
    jobspec_t *js = js_parse(JS_CORE);
    enum { N = 3 * VJ_LIST_MAX };
    for (uint64_t id = 1; id <= N; id++)
        ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, id, NULL, NULL, &err), 0);
    ck_assert(e->vj.head[rg_graph_root(e->g, RG_SYM_CONTAINMENT)] & VJ_INDEXED);
    for (uint64_t id = 1; id <= N; id += 3)
        ck_assert_int_eq(eng_cancel(e, id, false, &err), 0);
    for (uint64_t id = 1; id <= N; id++) {
        struct eng_job_info info;
        ck_assert_int_eq(eng_job_info(e, id, &info, NULL) == 0, id % 3 != 1);
    }
    for (uint64_t id = N; id >= 1; id--)
        if (id % 3 != 1)
            ck_assert_int_eq(eng_cancel(e, id, false, &err), 0);
    ck_assert_uint_eq(e->vj.live, 0);
    ck_assert_uint_eq(e->vj.ilive, 0);
    jobspec_destroy(js);
    eng_destroy(e);
}
END_TEST

/* Status: a down node is never matched, up again it is. */
START_TEST(test_status)
{
    eng_error_t err;
    eng_t *e = mk_engine("low", gen_graph(1, 2, 1, 1, 0));
    const char *node =
        "{\"version\": 9999, \"resources\": [{\"type\": \"node\", \"count\": 2, "
        "\"with\": [{\"type\": \"slot\", \"count\": 1, \"label\": \"d\", "
        "\"with\": [{\"type\": \"socket\", \"count\": 1}]}]}], \"tasks\": "
        "[{\"command\": [\"a\"], \"slot\": \"d\", \"count\": {\"per_slot\": 1}}],"
        " \"attributes\": {}}";
    jobspec_t *js = js_parse(node);
    bool up = false;
    ck_assert_int_eq(eng_status_get(e, "/cluster0/rack0/node1", &up, &err), 0);
    ck_assert(up);
    ck_assert_int_eq(eng_status_set(e, "/cluster0/rack0/node1", false, &err), 0);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 1, NULL, NULL, &err),
                     ENG_EBUSY);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_SATISFIABILITY, js, 1, NULL, NULL, &err), 0);
    ck_assert_int_eq(eng_status_set_ranks(e, "1", true, &err), 0);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 1, NULL, NULL, &err), 0);
    jobspec_destroy(js);
    eng_destroy(e);
}
END_TEST

/* Time only moves forward and matches start at or after it. */
START_TEST(test_time)
{
    eng_error_t err;
    eng_t *e = mk_engine("low", gen_graph(1, 1, 1, 1, 0));
    jobspec_t *js = js_parse(JS_CORE); /* one core for 60 s */
    struct eng_match_result r;
    ck_assert_int_eq(eng_time_set(e, 100), 0);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 1, NULL, &r, &err), 0);
    ck_assert_int_eq(r.at, 100);
    ck_assert(!r.reserved);
    ck_assert_int_eq(
        eng_match(e, ENG_MATCH_ALLOCATE_ORELSE_RESERVE, js, 2, NULL, &r, &err), 0);
    ck_assert_int_eq(r.at, 160);
    ck_assert(r.reserved);
    struct eng_job_info ji;
    ck_assert_int_eq(eng_job_info(e, 2, &ji, &err), 0);
    ck_assert_int_eq(ji.state, ENG_JOB_RESERVED);
    ck_assert_int_eq(eng_time_set(e, 160), 0);
    ck_assert_int_eq(eng_cancel(e, 1, false, &err), 0);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 3, NULL, &r, &err), ENG_EBUSY);
    struct eng_stats st;
    eng_stats_get(e, &st);
    ck_assert_uint_eq(st.jobs, 2);
    ck_assert_uint_eq(st.vertices, 6);
    jobspec_destroy(js);
    eng_destroy(e);
}
END_TEST

/* eng_order_version(): 'first' re-weighs out-edges as it allocates, and a
 * cancel leaves the weights as they were, so matching the same job again may
 * take another path and re-weigh again.  Once a match re-weighs nothing, the
 * state after its cancel is the state it was made in, and the same match
 * then repeats it, re-weighing nothing (what the simulator's skipped
 * re-plans rely on).  'low' never re-weighs. */
START_TEST(test_order_version)
{
    eng_error_t err;
    jobspec_t *js = js_parse(JS_CORE);
    struct eng_match_result r;
    eng_t *e = mk_engine("first", gen_graph(1, 4, 2, 4, 0));
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 1, NULL, &r, &err), 0);
    ck_assert_uint_ne(eng_order_version(e), 0);
    uint64_t id = 2;
    bool stable = false;
    for (; id < 20 && !stable; id++) {
        uint64_t v = eng_order_version(e);
        ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, id, NULL, &r, &err), 0);
        stable = eng_order_version(e) == v;
        ck_assert_int_eq(eng_cancel(e, id, false, &err), 0);
    }
    ck_assert(stable);
    uint64_t v = eng_order_version(e);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, id, NULL, &r, &err), 0);
    ck_assert_uint_eq(eng_order_version(e), v);
    ck_assert_uint_eq(eng_order_version(NULL), 0);
    eng_destroy(e);

    e = mk_engine("low", gen_graph(1, 4, 2, 4, 0));
    for (id = 1; id <= 8; id++)
        ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, id, NULL, &r, &err), 0);
    ck_assert_uint_eq(eng_order_version(e), 0);
    eng_destroy(e);
    jobspec_destroy(js);
}
END_TEST

/* A job that is never cancelled stops holding its resources once the time
 * passes its end: the same request fits again at the new time. */
START_TEST(test_time_past_end)
{
    eng_error_t err;
    eng_t *e = mk_engine(policies[_i], gen_graph(1, 1, 1, 1, 0));
    const char *ten =
        "{\"version\": 9999, \"resources\": [{\"type\": \"node\", \"count\": 1, "
        "\"with\": [{\"type\": \"slot\", \"count\": 1, \"label\": \"d\", "
        "\"with\": [{\"type\": \"socket\", \"count\": 1, \"with\": [{\"type\": "
        "\"core\", \"count\": 1}]}]}]}], \"attributes\": {\"system\": "
        "{\"duration\": 10}}, \"tasks\": [{\"command\": [\"a\"], \"slot\": "
        "\"d\", \"count\": {\"per_slot\": 1}}]}";
    jobspec_t *js = js_parse(ten);
    struct eng_match_result r;
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 1, NULL, &r, &err), 0);
    ck_assert_int_eq(r.at, 0);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 2, NULL, &r, &err), ENG_EBUSY);
    ck_assert_int_eq(eng_time_set(e, 10), 0);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_WITHOUT_ALLOCATING, js, 2, NULL, &r, &err),
                     0);
    ck_assert_int_eq(r.at, 10);
    ck_assert_int_eq(
        eng_match(e, ENG_MATCH_ALLOCATE_W_SATISFIABILITY, js, 2, NULL, &r, &err), 0);
    ck_assert_int_eq(r.at, 10);
    ck_assert(!r.reserved);
    ck_assert_int_eq(
        eng_match(e, ENG_MATCH_ALLOCATE_ORELSE_RESERVE, js, 3, NULL, &r, &err), 0);
    ck_assert_int_eq(r.at, 20);
    ck_assert(r.reserved);
    ck_assert_int_eq(eng_time_set(e, 35), 0);
    ck_assert_int_eq(
        eng_match(e, ENG_MATCH_ALLOCATE_ORELSE_RESERVE, js, 4, NULL, &r, &err), 0);
    ck_assert_int_eq(r.at, 35);
    ck_assert(!r.reserved);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 5, NULL, &r, &err), ENG_EBUSY);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_SATISFIABILITY, js, 5, NULL, &r, &err), 0);
    ck_assert_int_eq(eng_cancel(e, 4, false, &err), 0);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 5, NULL, &r, &err), 0);
    ck_assert_int_eq(r.at, 35);
    jobspec_destroy(js);
    eng_destroy(e);
}
END_TEST

/* The operations that record nothing take any job id, even UINT64_MAX
 * (reapi_cli's automatic id for them); the allocating ones do not. */
START_TEST(test_noalloc_any_jobid)
{
    eng_error_t err;
    eng_t *e = mk_engine("low", gen_graph(1, 1, 1, 1, 0));
    jobspec_t *js = js_parse(JS_CORE);
    struct eng_match_result r;
    ck_assert_int_eq(
        eng_match(e, ENG_MATCH_WITHOUT_ALLOCATING, js, UINT64_MAX, NULL, &r, &err), 0);
    ck_assert_int_eq(r.at, 0);
    ck_assert_int_eq(
        eng_match(e, ENG_MATCH_WITHOUT_ALLOCATING_FUTURE, js, UINT64_MAX, NULL, &r, &err),
        0);
    ck_assert_int_eq(
        eng_match(e, ENG_MATCH_SATISFIABILITY, js, UINT64_MAX, NULL, &r, &err), 0);
    struct eng_stats st;
    eng_stats_get(e, &st);
    ck_assert_uint_eq(st.jobs, 0);
    struct eng_job_info ji;
    ck_assert_int_lt(eng_job_info(e, UINT64_MAX, &ji, &err), 0);
    ck_assert_int_eq(
        eng_match(e, ENG_MATCH_ALLOCATE_ORELSE_RESERVE, js, UINT64_MAX, NULL, &r, &err),
        ENG_EINVAL);
    /* nothing was held: the only core is still free now */
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 1, NULL, &r, &err), 0);
    ck_assert_int_eq(
        eng_match(e, ENG_MATCH_WITHOUT_ALLOCATING, js, UINT64_MAX, NULL, &r, &err),
        ENG_EBUSY);
    ck_assert_int_eq(
        eng_match(e, ENG_MATCH_WITHOUT_ALLOCATING_FUTURE, js, UINT64_MAX, NULL, &r, &err),
        0);
    ck_assert_int_eq(r.at, 60);
    eng_stats_get(e, &st);
    ck_assert_uint_eq(st.jobs, 1);
    jobspec_destroy(js);
    eng_destroy(e);
}
END_TEST

/* find jobid-alloc=N agfilter=t over a vertex left without the job's
 * aggregate span (a partial cancel that fails half way): as Fluxion, that
 * vertex is left out and the find succeeds. */
START_TEST(test_find_agfilter_missing_span)
{
    eng_error_t err;
    /* cluster0 -> node0 (rank 0) -> socket0 -> core0, core1, memory0: the
     * vertices below the node have no rank */
    struct gen q = {.g = rg_graph_create()};
    ck_assert_ptr_nonnull(q.g);
    rg_vid_t c = gen_add(&q, RG_VID_NONE, rg_sym_intern(q.g, "cluster"), 0, -1, 1);
    rg_vid_t n = gen_add(&q, c, rg_sym_intern(q.g, "node"), 0, 0, 1);
    rg_vid_t so = gen_add(&q, n, rg_sym_intern(q.g, "socket"), 0, -1, 1);
    gen_add(&q, so, rg_sym_intern(q.g, "core"), 0, -1, 1);
    gen_add(&q, so, rg_sym_intern(q.g, "core"), 1, -1, 1);
    gen_add(&q, so, rg_sym_intern(q.g, "memory"), 0, -1, 64);
    eng_t *e = mk_engine("variation", q.g);
    const char *sock =
        "{\"version\": 9999, \"resources\": [{\"type\": \"node\", \"count\": 1, "
        "\"with\": [{\"type\": \"socket\", \"count\": 1, \"exclusive\": true, "
        "\"with\": [{\"type\": \"slot\", \"count\": 1, \"label\": \"d\", "
        "\"with\": [{\"type\": \"core\", \"count\": 2}, {\"type\": \"memory\", "
        "\"count\": 16}]}]}]}], \"attributes\": {\"system\": {\"duration\": 100}}, "
        "\"tasks\": [{\"command\": [\"a\"], \"slot\": \"d\", \"count\": "
        "{\"per_slot\": 1}}]}";
    jobspec_t *js = js_parse(sock);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 1, NULL, NULL, &err), 0);
    const char *pr = "{\"version\": 1, \"execution\": {\"R_lite\": [{\"rank\": "
                     "\"0\", \"children\": {\"core\": \"0-1\"}}], \"nodelist\": "
                     "[\"node0\"], \"starttime\": 0, \"expiration\": 1000000}}";
    bool full = true;
    ck_assert_int_lt(eng_partial_cancel(e, 1, pr, strlen(pr), &full, &err), 0);
    rwrite_t *w = rwrite_create(RWRITE_SIMPLE, &err);
    ck_assert_ptr_nonnull(w);
    ck_assert_int_eq(eng_find(e, "jobid-alloc=1 agfilter=t", w, &err), 0);
    char *out = NULL;
    ck_assert_int_eq(rwrite_emit(w, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "socket0[1:x]"));
    ck_assert_ptr_null(strstr(out, "node0"));
    ck_assert_ptr_nonnull(strstr(eng_message(e), "span missing in job2span"));
    free(out);
    rwrite_destroy(w);
    jobspec_destroy(js);
    eng_destroy(e);
}
END_TEST

/* Fluxion's messages have no length limit: a request that conflicts on
 * each of 200 sockets leaves one line per socket, well past 4 KiB, and the
 * next call starts from an empty message. */
START_TEST(test_message_unbounded)
{
    eng_error_t err;
    eng_t *e = mk_engine("low", gen_graph(1, 100, 2, 1, 0));
    const char *shared =
        "{\"version\": 9999, \"resources\": [{\"type\": \"slot\", \"count\": 1, "
        "\"label\": \"d\", \"with\": [{\"type\": \"socket\", \"count\": 1, "
        "\"exclusive\": false}]}], \"attributes\": {\"system\": {\"duration\": 10}}, "
        "\"tasks\": [{\"command\": [\"a\"], \"slot\": \"d\", \"count\": "
        "{\"per_slot\": 1}}]}";
    jobspec_t *js = js_parse(shared);
    ck_assert_int_lt(eng_match(e, ENG_MATCH_ALLOCATE, js, 1, NULL, NULL, &err), 0);
    const char *m = eng_message(e);
    ck_assert_uint_gt(strlen(m), 8192);
    ck_assert_ptr_nonnull(strstr(m, "vertex=socket0"));
    ck_assert_ptr_nonnull(strstr(m, "vertex=socket199"));
    size_t lines = 0;
    for (const char *q = m; (q = strstr(q, "by_excl: exclusivity conflicts")); q++)
        lines++;
    ck_assert_uint_ge(lines, 200);
    jobspec_t *core = js_parse(JS_CORE);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, core, 2, NULL, NULL, &err), 0);
    ck_assert_str_eq(eng_message(e), "");
    jobspec_destroy(core);
    jobspec_destroy(js);
    eng_destroy(e);
}
END_TEST

/* update: an R produced by a match places the same job again, and the
 * writer gives the same R back. */
START_TEST(test_update_roundtrip)
{
    eng_error_t err;
    eng_t *e = mk_engine("high", gen_graph(1, 2, 2, 2, 1));
    rwrite_t *w = rwrite_create(RWRITE_RV1, &err);
    ck_assert_ptr_nonnull(w);
    const char *two =
        "{\"version\": 9999, \"resources\": [{\"type\": \"node\", \"count\": 1, "
        "\"with\": [{\"type\": \"slot\", \"count\": 1, \"label\": \"d\", "
        "\"with\": [{\"type\": \"socket\", \"count\": 1, \"with\": [{\"type\": "
        "\"core\", \"count\": 2}]}]}]}], \"attributes\": {\"system\": "
        "{\"duration\": 100}}, \"tasks\": [{\"command\": [\"a\"], \"slot\": "
        "\"d\", \"count\": {\"per_slot\": 1}}]}";
    jobspec_t *js = js_parse(two);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 1, w, NULL, &err), 0);
    char *r1 = NULL, *r2 = NULL;
    ck_assert_int_eq(rwrite_emit(w, &r1, &err), 0);
    ck_assert_int_eq(eng_cancel(e, 1, false, &err), 0);
    struct eng_match_result res;
    ck_assert_int_eq(eng_update(e, 2, r1, strlen(r1), 0, 100, false, w, &res, &err), 0);
    ck_assert_int_eq(rwrite_emit(w, &r2, &err), 0);
    ck_assert_str_eq(r1, r2);
    /* the same R cannot be placed twice at the same time */
    ck_assert_int_eq(eng_update(e, 3, r1, strlen(r1), 0, 100, false, w, &res, &err),
                     ENG_EBUSY);
    ck_assert_int_eq(eng_update(e, 2, r1, strlen(r1), 0, 100, false, w, &res, &err),
                     ENG_EEXIST);
    /* once job 2 is gone it fits again */
    ck_assert_int_eq(eng_cancel(e, 2, false, &err), 0);
    ck_assert_int_eq(eng_update(e, 3, r1, strlen(r1), 50, 10, false, NULL, &res, &err),
                     0);
    ck_assert(res.reserved);
    free(r1);
    free(r2);
    jobspec_destroy(js);
    rwrite_destroy(w);
    eng_destroy(e);
}
END_TEST

/* Visit counts are Fluxion's running totals: a match that fails before any
 * traversal reports those of the previous operation. */
START_TEST(test_visit_counts)
{
    eng_error_t err;
    eng_t *e = mk_engine("high", gen_graph(1, 2, 1, 2, 0));
    const char *node =
        "{\"version\": 9999, \"resources\": [{\"type\": \"node\", \"count\": 2, "
        "\"with\": [{\"type\": \"slot\", \"count\": 1, \"label\": \"d\", "
        "\"with\": [{\"type\": \"socket\", \"count\": 1}]}]}], \"tasks\": "
        "[{\"command\": [\"a\"], \"slot\": \"d\", \"count\": {\"per_slot\": 1}}],"
        " \"attributes\": {\"system\": {\"duration\": 10}}}";
    jobspec_t *js = js_parse(node);
    struct eng_match_result r1, r2;
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 1, NULL, &r1, &err), 0);
    ck_assert_uint_gt(r1.preorder, 0);
    ck_assert_uint_gt(r1.postorder, 0);
    /* both nodes are taken: fails before any traversal (node count check) */
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 2, NULL, &r2, &err), ENG_EBUSY);
    ck_assert_uint_eq(r2.preorder, r1.preorder);
    ck_assert_uint_eq(r2.postorder, r1.postorder);
    struct eng_stats st;
    ck_assert_int_eq(eng_cancel(e, 1, false, &err), 0);
    eng_stats_get(e, &st);
    ck_assert_uint_gt(st.preorder, 0);
    jobspec_destroy(js);
    eng_destroy(e);
}
END_TEST

Suite *eng_suite(void)
{
    Suite *s = suite_create("eng");
    TCase *tc = tcase_create("api");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_badparam_create, 0,
                        (int)(sizeof create_cases / sizeof create_cases[0]));
    tcase_add_test(tc, test_badparam_calls);
    tcase_add_test(tc, test_unknown_jobs);
    tcase_add_test(tc, test_reused_id);
    tcase_add_test(tc, test_absent_types);
    tcase_add_test(tc, test_status);
    tcase_add_test(tc, test_time);
    tcase_add_loop_test(tc, test_time_past_end, 0,
                        (int)(sizeof policies / sizeof policies[0]));
    tcase_add_test(tc, test_noalloc_any_jobid);
    tcase_add_test(tc, test_find_agfilter_missing_span);
    tcase_add_test(tc, test_message_unbounded);
    tcase_add_test(tc, test_update_roundtrip);
    tcase_add_test(tc, test_visit_counts);
    tcase_add_test(tc, test_many_jobs_per_vertex);
    tcase_add_test(tc, test_order_version);
    tcase_add_loop_test(tc, test_basics_tiny, 0, (int)(sizeof basics / sizeof basics[0]));
    tcase_add_loop_test(tc, test_random_streams, 0, 24);
    suite_add_tcase(s, tc);
    return s;
}
