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
 * Usage: bench_reapi [GRAPH.json JOBSPEC [CYCLES]]
 *   default: the one-core graph and jobspec of Fluxion's Python README
 *   (the seed of issue 6), 100000 cycles.  Prints one line per figure, and
 *   a last line "RESULT cycle_us=... match_us=... cancel_us=..." for
 *   scripts. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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
static int cycle(reapi_cli_ctx_t *ctx, const char *js, double *tm, double *tc)
{
    uint64_t jobid = 0;
    bool reserved = false;
    char *R = NULL;
    int64_t at = 0;
    double ov = 0.0;
    double t0 = now_s();
    if (reapi_cli_match(ctx, MATCH_ALLOCATE_W_SATISFIABILITY, js, &jobid, &reserved, &R,
                        &at, &ov) != 0)
        return -1;
    free(R);
    double t1 = now_s();
    if (reapi_cli_cancel(ctx, jobid, false) != 0)
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

static int run(const char *graph, const char *js, const char *options, long cycles)
{
    reapi_cli_ctx_t *ctx = reapi_cli_new();
    if (!ctx || reapi_cli_initialize(ctx, graph, options) != 0) {
        const char *msg = ctx ? reapi_cli_get_err_msg(ctx) : NULL;
        fprintf(stderr, "bench_reapi: initialize failed: %s", msg ? msg : "\n");
        free((char *)msg);
        reapi_cli_destroy(ctx);
        return 1;
    }
    double tm = 0.0, tc = 0.0;
    for (long i = 0; i < cycles / 10 + 1; i++)
        if (cycle(ctx, js, &tm, &tc) < 0)
            goto fail;
    tm = tc = 0.0;
    long rss0 = rss_bytes();
    for (long i = 0; i < cycles; i++)
        if (cycle(ctx, js, &tm, &tc) < 0)
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
    reapi_cli_destroy(ctx);
    return 0;
fail:;
    const char *msg = reapi_cli_get_err_msg(ctx);
    fprintf(stderr, "bench_reapi: match/cancel failed: %s", msg ? msg : "\n");
    free((char *)msg);
    reapi_cli_destroy(ctx);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 1 && argc != 3 && argc != 4) {
        fprintf(stderr, "usage: bench_reapi [GRAPH.json JOBSPEC [CYCLES]]\n");
        return 2;
    }
    long cycles = argc == 4 ? strtol(argv[3], NULL, 10) : 100000;
    if (cycles < 1) {
        fprintf(stderr, "bench_reapi: CYCLES must be a positive integer\n");
        return 2;
    }
    if (argc == 1)
        return run(seed_graph, seed_jobspec, seed_options, cycles);
    char *graph = slurp(argv[1]);
    char *js = graph ? slurp(argv[2]) : NULL;
    int rc = graph && js ? run(graph, js, "{\"load_format\": \"jgf\"}", cycles) : 1;
    free(graph);
    free(js);
    return rc;
}
