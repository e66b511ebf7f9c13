/* bench_sim.c: simulation speed -- real traces replayed against generated
 * graphs under each queue policy, through the real matching engine.
 *
 *   bench_sim [--max-jobs N] [--policies LIST] [--big] [--big-jobs N]
 *             [--cases LIST] [--shared DIR] [--replan always|literal|on-change]
 *
 * Default: KTH-SP2 (28,476 jobs, cores anywhere on 100 one-core nodes) and
 * lublin_256 (10,000 jobs, whole nodes of a 256-node graph), each under fcfs,
 * easy, hybrid and conservative, the first --max-jobs jobs of each (default
 * 5000; 0 = all).  --big adds a 100,000-job Lublin trace on 4,096 nodes of
 * 32 cores (whole nodes) under easy (its first --big-jobs jobs; default all).
 * --cases keeps only the cases named (KTH-SP2, lublin_256, gen-100k).  Prints
 * jobs per second and simulated days per wall second of the event loop (loading
 * excluded).  Traces come from --shared, $SCHEDSIM_SHARED or ../shared beside the source
 * tree. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "bench_util.h"
#include "eng.h"
#include "ggen.h"
#include "qpol.h"
#include "sim.h"
#include "sim_eng.h"
#include "wgen.h"
#include "wtrace.h"

struct bench_case {
    const char *name;
    const char *trace; /* file under traces/, or NULL: generated */
    int64_t nodes, cores;
    enum wjob_unit unit;
};

static wtrace_t *load(const struct bench_case *c, const char *shared, eng_error_t *err)
{
    if (c->trace) {
        char path[4096];
        snprintf(path, sizeof path, "%s/traces/%s", shared, c->trace);
        wjob_map_t map = {c->unit, c->cores};
        return wtrace_load(path, &map, err);
    }
    wgen_params_t p;
    wgen_params_init(&p);
    p.jobs = 100000;
    p.nodes = c->nodes;
    p.cores_per_node = c->cores;
    p.unit = WJOB_UNIT_NODE;
    p.load = 0.9;
    return wgen_generate(&p, err);
}

static int add_jobs(sim_t *sim, const wtrace_t *t, size_t max, int64_t min_node_cores,
                    eng_error_t *err)
{
    size_t n = wtrace_count(t);
    for (size_t i = 0; i < n && (max == 0 || i < max); i++) {
        const wjob_t *j = wtrace_job(t, i);
        struct sim_job_spec s = {.id = j->id,
                                 .submit = j->submit_s,
                                 .runtime = j->runtime_s,
                                 .walltime = j->walltime_s,
                                 .jobspec = j->jobspec,
                                 .req_nodes = j->nodes,
                                 .req_cores = j->cores,
                                 .req_gpus = j->gpus,
                                 .min_cores = wjob_min_cores(j, min_node_cores),
                                 .unmapped = wjob_is_mappable(j) ? NULL : "unmapped"};
        int rc = sim_job_add(sim, &s, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int run_one(const struct bench_case *c, const wtrace_t *t, const char *policy,
                   size_t max, enum qpol_replan replan, eng_error_t *err)
{
    struct ggen_spec gs;
    ggen_spec_default(&gs);
    gs.nodes = c->nodes;
    gs.sockets = 1;
    gs.cores = c->cores;
    eng_t *e = eng_create(NULL, err);
    rg_graph_t *g = e ? ggen_build(&gs, err) : NULL;
    int rc = g ? eng_graph_take(e, g, err) : ENG_EINVAL;
    sim_eng_t *ae = rc == 0 ? sim_eng_create(e, err) : NULL;
    sim_t *sim = ae ? sim_create(&sim_eng_ops, ae, NULL, err) : NULL;
    const struct qpol_ops *ops = qpol_find(policy);
    qpol_params_t qp = {.replan = replan};
    void *q = sim ? ops->create(&qp, err) : NULL;
    rc = q ? add_jobs(sim, t, max, sim_eng_min_node_cores(e), err) : ENG_EINVAL;
    double t0 = now_s(), c0 = cpu_s();
    if (rc == 0)
        rc = sim_run(sim, ops, q, err);
    double dt = now_s() - t0, dc = cpu_s() - c0;
    if (rc == 0) {
        struct sim_stats st;
        sim_stats_get(sim, &st);
        size_t n = sim_job_count(sim);
        printf("%-10s %-12s %6zu jobs %8.2f s wall %8.2f s cpu %9.1f jobs/s %9.2f "
               "sim-days/s %8llu matches%s (rates per cpu second)\n",
               c->name, policy, n, dt, dc, (double)n / dc, (double)st.now / 86400.0 / dc,
               (unsigned long long)st.match_calls,
               replan == QPOL_REPLAN_ALWAYS || strcmp(policy, "fcfs") == 0 ? ""
               : replan == QPOL_REPLAN_ON_CHANGE ? ", replan on-change"
                                                 : ", replan literal");
        fflush(stdout);
    }
    if (q)
        ops->destroy(q);
    sim_destroy(sim);
    sim_eng_destroy(ae);
    eng_destroy(e);
    return rc;
}

/* Whether 'name' is one of the comma-separated 'list'. */
static bool listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, name, n) == 0)
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

static const char *default_shared(char *buf, size_t size)
{
    const char *env = getenv("SCHEDSIM_SHARED");
    if (env)
        return env;
    /* __FILE__ is <src>/bench/bench_sim.c; the pack is <src>/../shared */
    snprintf(buf, size, "%s", __FILE__);
    for (int k = 0; k < 2; k++) {
        char *slash = strrchr(buf, '/');
        if (slash)
            *slash = '\0';
    }
    strncat(buf, "/../shared", size - strlen(buf) - 1);
    return buf;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    static const struct option opts[] = {{"max-jobs", required_argument, NULL, 'm'},
                                         {"policies", required_argument, NULL, 'p'},
                                         {"big", no_argument, NULL, 'b'},
                                         {"replan", required_argument, NULL, 'r'},
                                         {"big-jobs", required_argument, NULL, 'B'},
                                         {"shared", required_argument, NULL, 's'},
                                         {"cases", required_argument, NULL, 'c'},
                                         {NULL, 0, NULL, 0}};
    char sbuf[4096];
    const char *shared = default_shared(sbuf, sizeof sbuf);
    const char *policies = "fcfs,easy,hybrid,conservative";
    const char *only = NULL;
    size_t max = 5000;
    bool big = false;
    size_t big_max = 0;
    enum qpol_replan replan = QPOL_REPLAN_ALWAYS; /* as 'schedsim run' by default */
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'm')
            max = (size_t)strtoull(optarg, NULL, 10);
        else if (c == 'p')
            policies = optarg;
        else if (c == 'b')
            big = true;
        else if (c == 'B')
            big_max = (size_t)strtoull(optarg, NULL, 10);
        else if (c == 'r' && strcmp(optarg, "always") == 0)
            replan = QPOL_REPLAN_ALWAYS;
        else if (c == 'r' && strcmp(optarg, "on-change") == 0)
            replan = QPOL_REPLAN_ON_CHANGE;
        else if (c == 'r' && strcmp(optarg, "literal") == 0)
            replan = QPOL_REPLAN_LITERAL;
        else if (c == 's')
            shared = optarg;
        else if (c == 'c')
            only = optarg;
        else
            return 2;
    }
    const struct bench_case cases[] = {
        {"KTH-SP2", "KTH-SP2-1996-2.1-cln.swf", 100, 1, WJOB_UNIT_CORE},
        {"lublin_256", "lublin_256.swf", 256, 1, WJOB_UNIT_NODE},
        {"gen-100k", NULL, 4096, 32, WJOB_UNIT_NODE},
    };
    int ncases = big ? 3 : 2;
    for (int i = 0; i < ncases; i++) {
        if (only && !listed(only, cases[i].name))
            continue;
        eng_error_t err;
        eng_error_clear(&err);
        wtrace_t *t = load(&cases[i], shared, &err);
        if (!t) {
            char buf[512];
            fprintf(stderr, "bench_sim: %s\n", eng_error_format(&err, buf, sizeof buf));
            return 1;
        }
        for (const char *p = policies; *p;) {
            size_t len = strcspn(p, ",");
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)len, p);
            p += len + (p[len] == ',');
            if (!qpol_find(name) || (i == 2 && strcmp(name, "easy") != 0))
                continue;
            if (run_one(&cases[i], t, name, i == 2 ? big_max : max, replan, &err) != 0) {
                char buf[512];
                fprintf(stderr, "bench_sim: %s\n",
                        eng_error_format(&err, buf, sizeof buf));
                wtrace_destroy(t);
                return 1;
            }
        }
        wtrace_destroy(t);
    }
    return 0;
}
