/* bench_reapi.c: cost of one match + cancel cycle through Fluxion's C API
 * (reapi_cli.h), the baseline bench/bench_python.py compares the Python
 * binding against (issue 6: the binding should add under 5 us per call).
 *
 * It loads a JGF graph, matches a jobspec with allocate_with_satisfiability
 * (what ReapiCli.match() asks for) and cancels it, N times after a warm-up,
 * and prints microseconds per cycle, per match and per cancel, plus the RSS
 * growth per cycle (the context's journal and job table grow by design; see
 * reapi_cli.c).  A benchmark, not a test: it fails only when a call fails.
 *
 * Usage: bench_reapi [--lib PATH] [CYCLES]
 *        bench_reapi [--lib PATH] GRAPH.json JOBSPEC [CYCLES]
 *   default: the one-core graph and jobspec of Fluxion's Python README
 *   (the seed of issue 6) and its options, 100000 cycles.  --lib calls the
 *   API in that shared library (dlopen) instead of the linked static one:
 *   the same code Python runs, so the comparison is fair (a position-
 *   independent library is a little slower than the static archive).  Prints one line per
 * figure, and a last line "RESULT cycle_us=... match_us=... cancel_us=..." for scripts.
 */
#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "fio.h"
#include "reapi_cli.h"

static const char seed_graph[] =
    "{\"graph\": {\"nodes\": ["
    "{\"id\": \"0\", \"metadata\": {\"type\": \"cluster\", \"basename\": \"tiny\", "
    "\"name\": \"tiny0\", \"id\": 0, \"uniq_id\": 0, \"rank\": -1, \"exclusive\": "
    "false, \"size\": 1, \"paths\": {\"containment\": \"/tiny0\"}}},"
    "{\"id\": \"1\", \"metadata\": {\"type\": \"rack\", \"basename\": \"rack\", "
    "\"name\": \"rack0\", \"id\": 0, \"uniq_id\": 1, \"rank\": -1, \"exclusive\": "
    "false, \"size\": 1, \"paths\": {\"containment\": \"/tiny0/rack0\"}}},"
    "{\"id\": \"2\", \"metadata\": {\"type\": \"node\", \"basename\": \"node\", "
    "\"name\": \"node0\", \"id\": 0, \"uniq_id\": 2, \"rank\": -1, \"exclusive\": "
    "false, \"size\": 1, \"paths\": {\"containment\": \"/tiny0/rack0/node0\"}}},"
    "{\"id\": \"3\", \"metadata\": {\"type\": \"core\", \"basename\": \"core\", "
    "\"name\": \"core0\", \"id\": 0, \"uniq_id\": 3, \"rank\": -1, \"exclusive\": "
    "false, \"size\": 1, \"paths\": {\"containment\": "
    "\"/tiny0/rack0/node0/core0\"}}}],"
    "\"edges\": ["
    "{\"source\": \"0\", \"target\": \"1\", \"metadata\": {\"subsystem\": "
    "\"containment\"}},"
    "{\"source\": \"1\", \"target\": \"2\", \"metadata\": {\"subsystem\": "
    "\"containment\"}},"
    "{\"source\": \"2\", \"target\": \"3\", \"metadata\": {\"subsystem\": "
    "\"containment\"}}]}}";

static const char seed_jobspec[] =
    "{\"version\": 9999, \"resources\": [{\"type\": \"slot\", \"count\": 1, "
    "\"label\": \"default\", \"with\": [{\"type\": \"core\", \"count\": 1}]}], "
    "\"attributes\": {\"system\": {\"duration\": 3600}}, \"tasks\": [{\"command\": "
    "[\"app\"], \"slot\": \"default\", \"count\": {\"per_slot\": 1}}]}";

/* What ReapiCli.initialize() passes for the seed's options. */
static const char seed_options[] = "{\"load_format\": \"jgf\", \"prune_filters\": "
                                   "\"ALL:core\", \"matcher_name\": \"CA\", "
                                   "\"matcher_policy\": \"high\"}";

/* The calls the benchmark makes, from the linked archive or a dlopen()ed
 * libschedsim.so. */
struct api {
    reapi_cli_ctx_t *(*create)(void);
    void (*destroy)(reapi_cli_ctx_t *ctx);
    int (*initialize)(reapi_cli_ctx_t *ctx, const char *rgraph, const char *options);
    int (*match)(reapi_cli_ctx_t *ctx, match_op_t op, const char *jobspec,
                 uint64_t *jobid, bool *reserved, char **R, int64_t *at, double *ov);
    int (*cancel)(reapi_cli_ctx_t *ctx, const uint64_t jobid, bool noent_ok);
    const char *(*err_msg)(reapi_cli_ctx_t *ctx);
    void (*release)(void *p);
};

static const struct api linked = {
    reapi_cli_new,   reapi_cli_destroy, reapi_cli_initialize,
    reapi_cli_match, reapi_cli_cancel,  reapi_cli_get_err_msg,
    eng_free};

/* Fill 'a' from the shared library at 'path'; its handle stays open for
 * the life of the process. */
static int api_load(struct api *a, const char *path)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "bench_reapi: %s\n", dlerror());
        return -1;
    }
    a->create = (reapi_cli_ctx_t * (*)(void)) dlsym(h, "reapi_cli_new");
    a->destroy = (void (*)(reapi_cli_ctx_t *))dlsym(h, "reapi_cli_destroy");
    a->initialize = (int (*)(reapi_cli_ctx_t *, const char *, const char *))dlsym(
        h, "reapi_cli_initialize");
    a->match = (int (*)(reapi_cli_ctx_t *, match_op_t, const char *, uint64_t *, bool *,
                        char **, int64_t *, double *))dlsym(h, "reapi_cli_match");
    a->cancel =
        (int (*)(reapi_cli_ctx_t *, const uint64_t, bool))dlsym(h, "reapi_cli_cancel");
    a->err_msg = (const char *(*)(reapi_cli_ctx_t *))dlsym(h, "reapi_cli_get_err_msg");
    a->release = (void (*)(void *))dlsym(h, "eng_free");
    if (!a->create || !a->destroy || !a->initialize || !a->match || !a->cancel ||
        !a->err_msg || !a->release) {
        fprintf(stderr, "bench_reapi: %s lacks a reapi_cli function\n", path);
        return -1;
    }
    return 0;
}

/* Resident set size in bytes (0 when /proc is unavailable). */
static long rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (!f)
        return 0;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
        resident = 0;
    fclose(f);
    return resident * 4096;
}

/* One match + cancel; adds the seconds of each half to 'tm' and 'tc'. */
static int cycle(const struct api *a, reapi_cli_ctx_t *ctx, const char *js, double *tm,
                 double *tc)
{
    uint64_t jobid = 0;
    bool reserved = false;
    char *R = NULL;
    int64_t at = 0;
    double ov = 0.0;
    double t0 = now_s();
    if (a->match(ctx, MATCH_ALLOCATE_W_SATISFIABILITY, js, &jobid, &reserved, &R, &at,
                 &ov) != 0)
        return -1;
    a->release(R);
    double t1 = now_s();
    if (a->cancel(ctx, jobid, false) != 0)
        return -1;
    *tm += t1 - t0;
    *tc += now_s() - t1;
    return 0;
}

static char *slurp(const char *path)
{
    eng_error_t err = {0};
    size_t len = 0;
    char *text = fio_read_all(path, (size_t)1 << 30, &len, &err);
    if (!text) {
        char buf[512];
        fprintf(stderr, "bench_reapi: %s\n", eng_error_format(&err, buf, sizeof buf));
    }
    return text;
}

static int run(const struct api *a, const char *graph, const char *js,
               const char *options, long cycles)
{
    reapi_cli_ctx_t *ctx = a->create();
    if (!ctx || a->initialize(ctx, graph, options) != 0) {
        const char *msg = ctx ? a->err_msg(ctx) : NULL;
        fprintf(stderr, "bench_reapi: initialize failed: %s", msg ? msg : "\n");
        a->release((char *)msg);
        if (ctx)
            a->destroy(ctx);
        return 1;
    }
    double tm = 0.0, tc = 0.0;
    for (long i = 0; i < cycles / 10 + 1; i++)
        if (cycle(a, ctx, js, &tm, &tc) < 0)
            goto fail;
    tm = tc = 0.0;
    long rss0 = rss_bytes();
    for (long i = 0; i < cycles; i++)
        if (cycle(a, ctx, js, &tm, &tc) < 0)
            goto fail;
    long growth = rss_bytes() - rss0;
    printf("C reapi_cli: %ld match+cancel cycles\n", cycles);
    printf("  match  %8.3f us/call\n", tm / (double)cycles * 1e6);
    printf("  cancel %8.3f us/call\n", tc / (double)cycles * 1e6);
    printf("  cycle  %8.3f us\n", (tm + tc) / (double)cycles * 1e6);
    printf("  RSS growth %.1f bytes/cycle (journal and job table)\n",
           (double)growth / (double)cycles);
    printf("RESULT cycle_us=%.3f match_us=%.3f cancel_us=%.3f rss_per_cycle=%.1f\n",
           (tm + tc) / (double)cycles * 1e6, tm / (double)cycles * 1e6,
           tc / (double)cycles * 1e6, (double)growth / (double)cycles);
    a->destroy(ctx);
    return 0;
fail:;
    const char *msg = a->err_msg(ctx);
    fprintf(stderr, "bench_reapi: match/cancel failed: %s", msg ? msg : "\n");
    a->release((char *)msg);
    a->destroy(ctx);
    return 1;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_reapi [--lib PATH] [CYCLES]\n"
                    "       bench_reapi [--lib PATH] GRAPH.json JOBSPEC [CYCLES]\n");
    return 2;
}

int main(int argc, char **argv)
{
    struct api a = linked;
    int i = 1;
    if (argc > 2 && strcmp(argv[1], "--lib") == 0) {
        if (api_load(&a, argv[2]) < 0)
            return 1;
        printf("library: %s\n", argv[2]);
        i = 3;
    }
    int nargs = argc - i;
    if (nargs > 3)
        return usage();
    const char *n = nargs == 1 ? argv[i] : nargs == 3 ? argv[i + 2] : "100000";
    char *end = NULL;
    long cycles = strtol(n, &end, 10);
    if (cycles < 1 || !end || *end)
        return usage();
    if (nargs <= 1)
        return run(&a, seed_graph, seed_jobspec, seed_options, cycles);
    char *graph = slurp(argv[i]);
    char *js = graph ? slurp(argv[i + 1]) : NULL;
    int rc = graph && js ? run(&a, graph, js, "{\"load_format\": \"jgf\"}", cycles) : 1;
    free(graph);
    free(js);
    return rc;
}
