/* cmd_run.c: 'schedsim run' -- replay a workload trace against a resource
 * graph under a queue policy and write the reports (reports/metrics.h).
 *
 * Without --graph and --trace it runs the embedded default: a generated
 * cluster (graphs/ggen.h) and a seeded Lublin-Feitelson workload
 * (workloads/wgen.h) sized to it, so one command shows the whole product. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "eng.h"
#include "fio.h"
#include "ggen.h"
#include "metrics.h"
#include "qpol.h"
#include "resev.h"
#include "sim.h"
#include "sim_eng.h"
#include "wgen.h"
#include "wtrace.h"

static const char usage_text[] =
    "Usage: schedsim run [--graph FILE] [--trace FILE] [--queue-policy NAME]\n"
    "                    [--match-policy NAME] [--queue-depth N] [--reservation-depth "
    "N]\n"
    "                    [--swf-unit core|node] [--cores-per-node N] [--seed N]\n"
    "                    [--resource-events FILE] [--prune-filters SPEC]\n"
    "                    [--replan always|literal|on-change] [--out DIR] [--quiet]\n\n"
    "Replay a workload trace against a resource graph and write jobs.csv,\n"
    "allocations.jsonl, utilisation.csv and summary.{csv,json,txt} to DIR.\n\n"
    "  --graph FILE           resource graph: JGF, GRUG, hwloc XML or rv1exec R (told\n"
    "                         apart by content); default: a generated cluster of\n"
    "                         64 nodes of 32 cores (one socket)\n"
    "  --trace FILE           workload, SWF or JSON lines (told apart by content);\n"
    "                         default: 1000 Lublin-Feitelson jobs (offered load 0.8)\n"
    "                         for the graph, generated with --seed\n"
    "  --queue-policy NAME    fcfs, easy (default), hybrid or conservative\n"
    "  --match-policy NAME    the engine's match policy (default first; low, high,\n"
    "                         lonode, hinode, locality, variation, ...)\n"
    "  --queue-depth N        jobs considered per scheduling pass (default 32)\n"
    "  --reservation-depth N  hybrid: reservations per pass (default 64);\n"
    "                         conservative: cap on them\n"
    "  --swf-unit core|node   SWF sizes as cores anywhere (default) or whole nodes\n"
    "  --cores-per-node N     for --swf-unit node (default: the graph's)\n"
    "  --seed N               seed of the generated workload (default 1)\n"
    "  --resource-events FILE lines 'TIME down|up NODE'\n"
    "  --prune-filters SPEC   the engine's pruning filters (default ALL:core,ALL:node)\n"
    "  --replan WHEN          backfilling policies: 'always' (default) re-plans every\n"
    "                         pass from scratch as qmanager does, skipping passes\n"
    "                         whose re-plan provably repeats the previous one;\n"
    "                         'literal' the same schedule without skipping (slower,\n"
    "                         to check the skip); 'on-change' only after a\n"
    "                         completion or resource event: fewer match calls, a\n"
    "                         valid schedule of the same policy, but not always\n"
    "                         the placement qmanager would choose\n"
    "  --out DIR              output directory, created if needed (default ./out)\n"
    "  --quiet                print no summary\n";

enum {
    OPT_GRAPH = 256,
    OPT_TRACE,
    OPT_QPOL,
    OPT_MPOL,
    OPT_QDEPTH,
    OPT_RDEPTH,
    OPT_UNIT,
    OPT_CPN,
    OPT_SEED,
    OPT_RESEV,
    OPT_PRUNE,
    OPT_REPLAN,
    OPT_OUT,
    OPT_QUIET,
};

static const struct option long_opts[] = {
    {"help", no_argument, NULL, 'h'},
    {"graph", required_argument, NULL, OPT_GRAPH},
    {"trace", required_argument, NULL, OPT_TRACE},
    {"queue-policy", required_argument, NULL, OPT_QPOL},
    {"match-policy", required_argument, NULL, OPT_MPOL},
    {"queue-depth", required_argument, NULL, OPT_QDEPTH},
    {"reservation-depth", required_argument, NULL, OPT_RDEPTH},
    {"swf-unit", required_argument, NULL, OPT_UNIT},
    {"cores-per-node", required_argument, NULL, OPT_CPN},
    {"seed", required_argument, NULL, OPT_SEED},
    {"resource-events", required_argument, NULL, OPT_RESEV},
    {"prune-filters", required_argument, NULL, OPT_PRUNE},
    {"replan", required_argument, NULL, OPT_REPLAN},
    {"out", required_argument, NULL, OPT_OUT},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {NULL, 0, NULL, 0},
};

/* Defaults of the embedded run. */
enum {
    DEFAULT_NODES = 64,
    DEFAULT_SOCKETS = 1,
    DEFAULT_CORES = 32,
    DEFAULT_JOBS = 1000,
};
#define DEFAULT_LOAD 0.8

struct run_opts {
    const char *graph, *trace, *qpol, *mpol, *resev, *prune, *replan, *out;
    long long qdepth, rdepth, cpn, seed;
    enum wjob_unit unit;
    bool quiet, help;
};

static int parse_opts(int argc, char **argv, struct run_opts *o)
{
    *o = (struct run_opts){.qpol = "easy",
                           .replan = "always",
                           .out = "out",
                           .seed = 1,
                           .unit = WJOB_UNIT_CORE};
    int c, rc = 0;
    while (rc == 0 && (c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            o->help = true;
            break;
        case OPT_GRAPH:
            o->graph = optarg;
            break;
        case OPT_TRACE:
            o->trace = optarg;
            break;
        case OPT_QPOL:
            o->qpol = optarg;
            if (!qpol_find(optarg))
                rc = cli_usage_error("run",
                                     "--queue-policy: expected fcfs, easy, hybrid "
                                     "or conservative, got '%s'",
                                     optarg);
            break;
        case OPT_MPOL:
            o->mpol = optarg;
            break;
        case OPT_QDEPTH:
            rc = cli_parse_int("run", "--queue-depth", optarg, 1, QPOL_MAX_QUEUE_DEPTH,
                               &o->qdepth);
            break;
        case OPT_RDEPTH:
            rc = cli_parse_int("run", "--reservation-depth", optarg, 1,
                               QPOL_MAX_RESERVATION_DEPTH, &o->rdepth);
            break;
        case OPT_UNIT:
            if (strcmp(optarg, "core") != 0 && strcmp(optarg, "node") != 0)
                rc = cli_usage_error("run", "--swf-unit: expected core or node, got '%s'",
                                     optarg);
            o->unit = optarg[0] == 'n' ? WJOB_UNIT_NODE : WJOB_UNIT_CORE;
            break;
        case OPT_CPN:
            rc = cli_parse_int("run", "--cores-per-node", optarg, 1, 1 << 20, &o->cpn);
            break;
        case OPT_SEED:
            rc = cli_parse_int("run", "--seed", optarg, 0, INT64_MAX, &o->seed);
            break;
        case OPT_RESEV:
            o->resev = optarg;
            break;
        case OPT_PRUNE:
            o->prune = optarg;
            break;
        case OPT_REPLAN:
            o->replan = optarg;
            if (strcmp(optarg, "always") != 0 && strcmp(optarg, "on-change") != 0 &&
                strcmp(optarg, "literal") != 0)
                rc = cli_usage_error(
                    "run", "--replan: expected always, literal or on-change, got '%s'",
                    optarg);
            break;
        case OPT_OUT:
            o->out = optarg;
            break;
        case OPT_QUIET:
            o->quiet = true;
            break;
        default:
            return cli_usage_error("run", "unknown option");
        }
    }
    if (rc == 0 && optind < argc)
        rc = cli_usage_error("run", "unexpected argument '%s'", argv[optind]);
    return rc;
}

/* ---- wall clock and progress (the CLI, never the simulator, reads clocks) */

static int64_t mono_ns(void *arg)
{
    (void)arg;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct progress {
    int64_t t0, last;
    size_t total;
    bool tty, drawn;
};

static void progress_draw(void *arg, const sim_t *sim)
{
    struct progress *p = arg;
    int64_t now = mono_ns(NULL);
    if (!p->tty || now - p->t0 < 1000000000 || now - p->last < 100000000)
        return;
    p->last = now;
    p->drawn = true;
    struct sim_stats st;
    sim_stats_get(sim, &st);
    size_t done = st.completed + st.rejected + st.unmapped;
    double secs = (double)(now - p->t0) / 1e9, rate = (double)done / secs;
    double frac = p->total ? (double)done / (double)p->total : 1;
    int bar = (int)(frac * 30);
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu jobs  day %.1f  %.0f jobs/s  ETA %.0f s ", bar,
            "##############################", 30 - bar, "", done, p->total,
            (double)st.now / 86400.0, rate,
            rate > 0 ? (double)(p->total - done) / rate : 0.0);
}

/* ---- inputs ------------------------------------------------------------- */

struct inputs {
    char graph_name[256], graph_hash[32], trace_name[256], trace_hash[32], resev_hash[32];
    int64_t cores_per_node;
};

static int load_graph(eng_t *e, const struct run_opts *o, struct inputs *in,
                      eng_error_t *err)
{
    if (o->graph) {
        size_t len = 0;
        char *text = fio_read_all(o->graph, (size_t)4 << 30, &len, err);
        if (!text)
            return ENG_EIO;
        metrics_hash_buf(text, len, in->graph_hash);
        snprintf(in->graph_name, sizeof in->graph_name, "%s", o->graph);
        int rc = eng_graph_load(e, text, len, NULL, o->graph, err);
        free(text);
        return rc;
    }
    struct ggen_spec spec;
    ggen_spec_default(&spec);
    spec.nodes = DEFAULT_NODES;
    spec.sockets = DEFAULT_SOCKETS;
    spec.cores = DEFAULT_CORES;
    snprintf(in->graph_name, sizeof in->graph_name,
             "generated: %d nodes x %d sockets x %d cores", DEFAULT_NODES,
             DEFAULT_SOCKETS, DEFAULT_CORES);
    metrics_hash_buf(in->graph_name, strlen(in->graph_name), in->graph_hash);
    rg_graph_t *g = ggen_build(&spec, err);
    return g ? eng_graph_take(e, g, err) : ENG_EINVAL;
}

static wtrace_t *load_trace(const struct run_opts *o, const int64_t *totals,
                            struct inputs *in, eng_error_t *err)
{
    if (o->trace) {
        if (metrics_hash_file(o->trace, in->trace_hash, err) < 0)
            return NULL;
        snprintf(in->trace_name, sizeof in->trace_name, "%s", o->trace);
        wjob_map_t map = {o->unit, in->cores_per_node};
        return wtrace_load(o->trace, &map, err);
    }
    wgen_params_t p;
    wgen_params_init(&p);
    p.model = WGEN_LUBLIN;
    p.jobs = DEFAULT_JOBS;
    p.seed = (uint64_t)o->seed;
    p.nodes = totals[SIM_UNIT_NODE];
    p.cores_per_node = in->cores_per_node;
    p.unit = WJOB_UNIT_NODE;
    p.load = DEFAULT_LOAD;
    snprintf(in->trace_name, sizeof in->trace_name,
             "generated: lublin, %d jobs, seed %lld, load %.2f, %lld nodes x %lld cores",
             DEFAULT_JOBS, o->seed, DEFAULT_LOAD, (long long)p.nodes,
             (long long)p.cores_per_node);
    metrics_hash_buf(in->trace_name, strlen(in->trace_name), in->trace_hash);
    return wgen_generate(&p, err);
}

static int add_jobs(sim_t *sim, const wtrace_t *t, int64_t min_node_cores,
                    eng_error_t *err)
{
    for (size_t i = 0; i < wtrace_count(t); i++) {
        const wjob_t *j = wtrace_job(t, i);
        bool ok = wjob_is_mappable(j);
        struct sim_job_spec spec = {.id = j->id,
                                    .submit = j->submit_s,
                                    .runtime = j->runtime_s,
                                    .walltime = j->walltime_s,
                                    .jobspec = j->jobspec,
                                    .req_nodes = j->nodes,
                                    .req_cores = j->cores,
                                    .req_gpus = j->gpus,
                                    .min_cores = wjob_min_cores(j, min_node_cores),
                                    .unmapped = ok ? NULL : wjob_reason_str(j->reason)};
        int rc = sim_job_add(sim, &spec, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* mkdir -p */
static int make_dir(const char *path, eng_error_t *err)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return eng_errorf(err, ENG_ELIMIT, path, 0, 0, "path too long");
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(buf, 0777) < 0 && errno != EEXIST)
            return eng_errorf(err, ENG_EIO, buf, 0, 0, "%s", strerror(errno));
        *p = c;
        if (c == '\0')
            return 0;
    }
}

/* ---- reports ------------------------------------------------------------ */

static struct metrics_job *report_jobs(const sim_t *sim)
{
    size_t n = sim_job_count(sim);
    struct metrics_job *mj = calloc(n + 1, sizeof *mj);
    for (size_t i = 0; mj && i < n; i++) {
        const sim_job_t *j = sim_job(sim, i);
        mj[i] = (struct metrics_job){
            .id = j->id,
            .submit = j->submit,
            .start = j->start,
            .end = j->end,
            .runtime = j->runtime,
            .walltime = j->walltime,
            .nodes = j->req_nodes,
            .cores = j->req_cores,
            .gpus = j->req_gpus,
            .nodelist = j->nodelist,
            .state = sim_job_state_name(j->state),
            .first_reserved_at = j->first_reserved_at,
            .match_calls = j->match_calls,
            .match_ns = j->match_ns,
            .r_lite = j->r_lite,
        };
        for (int u = 0; u < METRICS_UNIT_COUNT; u++)
            mj[i].units[u] = j->units[u];
    }
    return mj;
}

struct run_ctx {
    const struct run_opts *o;
    const struct inputs *in;
    const qpol_params_t *qp;
    const struct qpol_ops *ops;
    double wall_s;
};

static void describe_run(const struct run_ctx *rc, const sim_t *sim,
                         struct metrics_input *inputs, struct metrics_run *run,
                         char *params, size_t psize)
{
    snprintf(params, psize, "swf_unit=%s cores_per_node=%lld prune_filters=%s replan=%s",
             rc->o->unit == WJOB_UNIT_NODE ? "node" : "core",
             (long long)rc->in->cores_per_node,
             rc->o->prune ? rc->o->prune : "ALL:core,ALL:node",
             rc->qp->replan == QPOL_REPLAN_ON_CHANGE ? "on-change"
             : rc->qp->replan == QPOL_REPLAN_LITERAL ? "literal"
                                                     : "always");
    struct sim_stats st;
    sim_stats_get(sim, &st);
    int64_t totals[SIM_UNIT_COUNT];
    sim_totals(sim, totals);
    inputs[0] = (struct metrics_input){"graph", rc->in->graph_name, rc->in->graph_hash};
    inputs[1] = (struct metrics_input){"trace", rc->in->trace_name, rc->in->trace_hash};
    inputs[2] =
        (struct metrics_input){"resource_events", rc->o->resev, rc->in->resev_hash};
    int64_t rd = strcmp(rc->ops->name, "fcfs") == 0   ? 0
                 : strcmp(rc->ops->name, "easy") == 0 ? 1
                                                      : rc->qp->reservation_depth;
    *run = (struct metrics_run){
        .queue_policy = rc->ops->name,
        .match_policy = rc->o->mpol ? rc->o->mpol : "first",
        .queue_depth =
            rc->qp->queue_depth ? rc->qp->queue_depth : QPOL_DEFAULT_QUEUE_DEPTH,
        .reservation_depth = rd,
        .params = params,
        .seed = rc->o->seed,
        .inputs = inputs,
        .ninputs = rc->o->resev ? 3 : 2,
        .totals = {totals[0], totals[1], totals[2]},
        .events = st.events,
        .passes = st.passes,
        .wall_s = rc->wall_s,
        .match_total_s = (double)st.match_ns / 1e9,
        .match_p99_us = (double)sim_match_quantile_ns(sim, 0.99) / 1e3,
    };
}

static int write_reports(const struct run_ctx *rc, const sim_t *sim, eng_error_t *err)
{
    int r = make_dir(rc->o->out, err);
    if (r < 0)
        return r;
    struct metrics_job *mj = report_jobs(sim);
    if (!mj)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    size_t n = sim_job_count(sim);
    struct metrics_input inputs[3];
    struct metrics_run run;
    char params[512];
    describe_run(rc, sim, inputs, &run, params, sizeof params);
    char path[4200];
    const char *dir = rc->o->out;
    snprintf(path, sizeof path, "%s/jobs.csv", dir);
    r = metrics_jobs_write(path, mj, n, err);
    snprintf(path, sizeof path, "%s/allocations.jsonl", dir);
    if (r == 0)
        r = metrics_allocations_write(path, mj, n, err);
    snprintf(path, sizeof path, "%s/utilisation.csv", dir);
    if (r == 0)
        r = metrics_utilisation_write(path, mj, n, run.totals, err);
    metrics_summary_t *s = r == 0 ? metrics_summary_create(mj, n, &run, err) : NULL;
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    if (s && (r = metrics_summary_write_csv(s, path, err)) == 0) {
        snprintf(path, sizeof path, "%s/summary.json", dir);
        r = metrics_summary_write_json(s, path, err);
    }
    snprintf(path, sizeof path, "%s/summary.txt", dir);
    if (s && r == 0)
        r = metrics_summary_write_text(s, path, err);
    if (s && r == 0 && !rc->o->quiet) {
        metrics_summary_print(s, stdout);
        printf("reports written to %s/\n", dir);
    }
    if (r == 0 && !s)
        r = ENG_ENOMEM;
    metrics_summary_destroy(s);
    free(mj);
    return r;
}

/* ---- the run ------------------------------------------------------------ */

struct run_state {
    eng_t *e;
    sim_eng_t *ae;
    sim_t *sim;
    wtrace_t *trace;
    void *qstate;
};

static void run_state_free(struct run_state *s, const struct qpol_ops *ops)
{
    if (ops && s->qstate)
        ops->destroy(s->qstate);
    sim_destroy(s->sim);
    sim_eng_destroy(s->ae);
    wtrace_destroy(s->trace);
    eng_destroy(s->e);
}

static int setup(struct run_state *s, const struct run_opts *o, struct inputs *in,
                 struct progress *pg, eng_error_t *err)
{
    struct eng_options eo = {.policy = o->mpol, .prune_filters = o->prune};
    if (!(s->e = eng_create(&eo, err)))
        return ENG_EINVAL;
    int rc = load_graph(s->e, o, in, err);
    if (rc < 0 || !(s->ae = sim_eng_create(s->e, err)))
        return rc < 0 ? rc : ENG_ENOMEM;
    struct sim_params sp = {.clock_ns = mono_ns,
                            .progress = progress_draw,
                            .progress_arg = pg,
                            .progress_every = 1024};
    if (!(s->sim = sim_create(&sim_eng_ops, s->ae, &sp, err)))
        return ENG_ENOMEM;
    int64_t totals[SIM_UNIT_COUNT];
    sim_totals(s->sim, totals);
    in->cores_per_node = o->cpn ? o->cpn
                         : totals[SIM_UNIT_NODE] > 0 && totals[SIM_UNIT_CORE] > 0
                             ? totals[SIM_UNIT_CORE] / totals[SIM_UNIT_NODE]
                             : 1;
    if (!(s->trace = load_trace(o, totals, in, err)))
        return ENG_EPARSE;
    if (o->resev && (rc = metrics_hash_file(o->resev, in->resev_hash, err)) < 0)
        return rc;
    if (o->resev && (rc = resev_load(s->sim, o->resev, err)) < 0)
        return rc;
    pg->total = wtrace_count(s->trace);
    return add_jobs(s->sim, s->trace, sim_eng_min_node_cores(s->e), err);
}

int cmd_run(int argc, char **argv)
{
    struct run_opts o;
    int rc = parse_opts(argc, argv, &o);
    if (rc != 0)
        return rc;
    if (o.help) {
        fputs(usage_text, stdout);
        return CLI_EXIT_OK;
    }
    const struct qpol_ops *ops = qpol_find(o.qpol);
    qpol_params_t qp = {.queue_depth = o.qdepth,
                        .reservation_depth = o.rdepth,
                        .replan =
                            strcmp(o.replan, "on-change") == 0 ? QPOL_REPLAN_ON_CHANGE
                            : strcmp(o.replan, "literal") == 0 ? QPOL_REPLAN_LITERAL
                                                               : QPOL_REPLAN_ALWAYS};
    eng_error_t err;
    eng_error_clear(&err);
    struct run_state s = {0};
    struct inputs in = {0};
    struct progress pg = {.t0 = mono_ns(NULL), .tty = isatty(STDERR_FILENO) == 1};
    if (!(s.qstate = ops->create(&qp, &err))) {
        fprintf(stderr, "schedsim run: %s\n", err.text);
        return CLI_EXIT_USAGE;
    }
    rc = setup(&s, &o, &in, &pg, &err);
    int64_t t0 = mono_ns(NULL);
    if (rc == 0)
        rc = sim_run(s.sim, ops, s.qstate, &err);
    struct run_ctx ctx = {&o, &in, &qp, ops, (double)(mono_ns(NULL) - t0) / 1e9};
    if (pg.drawn)
        fputs("\r\033[K", stderr);
    if (rc == 0)
        rc = write_reports(&ctx, s.sim, &err);
    if (rc != 0)
        cli_print_error(&err);
    /* no engine: a bad --match-policy or --prune-filters value */
    int code = rc == 0 ? CLI_EXIT_OK : s.e ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
    run_state_free(&s, ops);
    return code;
}
