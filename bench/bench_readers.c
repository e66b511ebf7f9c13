/* bench_readers.c: load Fluxion's sierra.graphml (a GRUG recipe for about
 * 350,000 vertices) and the same graph written as JGF, and print load time
 * (best of a few runs, wall and CPU) and bytes per vertex.  Targets (issue
 * 7): under 0.3 s and under 200 bytes per vertex; Fluxion's resource-query
 * takes about 2.7 s and 3 KB per vertex for the GRUG.  Also times the
 * small hwloc and rv1exec inputs of the pack.  A benchmark, not a test: it
 * fails only when something cannot be loaded.
 *
 * Usage: bench_readers [RUNS]   (default 5; reads SCHEDSIM_SHARED_DIR or
 * ../shared beside the source tree) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"
#include "fio.h"
#include "graph_load.h"
#include "jgf.h"

/* Load 'text' in 'format' 'runs' times; print the best times and memory. */
static int bench(const char *label, const char *text, size_t len, const char *format,
                 int runs)
{
    double best = 1e9, best_cpu = 1e9;
    size_t bytes = 0, nv = 0;
    for (int i = 0; i < runs; i++) {
        eng_error_t err;
        double t0 = now_s(), c0 = cpu_s();
        rg_graph_t *g = graph_load_parse(text, len, format, label, NULL, &err);
        double t = now_s() - t0, c = cpu_s() - c0;
        if (!g) {
            char msg[512];
            fprintf(stderr, "bench_readers: %s\n",
                    eng_error_format(&err, msg, sizeof msg));
            return 1;
        }
        best = t < best ? t : best;
        best_cpu = c < best_cpu ? c : best_cpu;
        bytes = rg_graph_memory(g);
        nv = rg_graph_vertex_count(g);
        rg_graph_destroy(g);
    }
    printf("%-8s %-34s %8zu vertices  load %6.3f s (cpu %6.3f s)  %6.1f B/vertex\n",
           format, label, nv, best, best_cpu, nv ? (double)bytes / (double)nv : 0.0);
    fflush(stdout);
    return 0;
}

static int bench_file(const char *data, const char *rel, const char *format, int runs)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", data, rel);
    eng_error_t err;
    size_t len = 0;
    char *text = fio_read_all(path, (size_t)1 << 30, &len, &err);
    if (!text) {
        char msg[512];
        fprintf(stderr, "bench_readers: %s\n", eng_error_format(&err, msg, sizeof msg));
        return 1;
    }
    int rc = bench(rel, text, len, format, runs);
    free(text);
    return rc;
}

/* sierra as GRUG, then converted to JGF in memory and loaded as JGF. */
static int bench_sierra(const char *data, int runs)
{
    int rc = bench_file(data, "grugs/sierra.graphml", "grug", runs);
    char path[1024];
    snprintf(path, sizeof path, "%s/grugs/sierra.graphml", data);
    eng_error_t err;
    rg_graph_t *g = rc ? NULL : graph_load_file(path, "grug", NULL, &err);
    if (!g)
        return 1;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    rc = !fp || jgf_write(g, fp, &err) != 0;
    if (fp)
        fclose(fp);
    rg_graph_destroy(g);
    if (rc == 0)
        rc = bench("grugs/sierra.graphml as JGF", buf, len, "jgf", runs);
    free(buf);
    return rc;
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 5;
    runs = runs > 0 ? runs : 1;
    const char *shared = getenv("SCHEDSIM_SHARED_DIR");
    char data[1024];
    if (shared && *shared) {
        snprintf(data, sizeof data, "%s/conformance/data", shared);
    } else { /* ../shared beside the source tree: this file is <src>/bench/... */
        snprintf(data, sizeof data, "%s", __FILE__);
        for (int up = 0; up < 3; up++) {
            char *slash = strrchr(data, '/');
            if (slash)
                *slash = '\0';
        }
        size_t n = strlen(data);
        snprintf(data + n, sizeof data - n, "/shared/conformance/data");
    }
    printf("bench_readers: best of %d runs; data %s\n", runs, data);
    int rc = bench_sierra(data, runs);
    if (rc == 0)
        rc = bench_file(data, "grugs/medium.graphml", "grug", runs);
    if (rc == 0)
        rc = bench_file(data, "hwloc-data/001N/node_local_storage/lassen/0.xml", "hwloc",
                        runs);
    if (rc == 0)
        rc = bench_file(data, "rv1exec/tiny_rv1exec.json", "rv1exec", runs);
    return rc;
}
