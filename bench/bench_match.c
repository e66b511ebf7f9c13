/* bench_match.c: time per match on generated systems (issue 4, "Speed").
 *
 * Systems of 1,000 and 16,384 nodes, each node 2 sockets x (32 cores + 2
 * GPUs), default pruning filters (ALL:core,ALL:node), default policy
 * ("first").  For three requests -- (a) one core, (b) one whole node
 * (exclusive), (c) 16 whole nodes -- it reports the median and 99th
 * percentile time of "allocate" and "allocate_orelse_reserve":
 *   filling: the system is brought to 0%, 5%, ..., 95% of its nodes busy
 *            (node-exclusive jobs of random durations, untimed) and the
 *            request is matched there, then cancelled;
 *   full:    every node busy; allocate fails, allocate_orelse_reserve finds
 *            the earliest start after the running jobs (then cancelled).
 * No R is written (the writer is NULL): this times the engine alone.
 * Times are thread CPU time per call.
 * Usage: bench_match [nodes...] [a|b|c]   (default: 1000 16384, all three) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eng.h"
#include "jobspec.h"
#include "rg.h"

enum { SAMPLES_PER_LEVEL = 40, FULL_SAMPLES = 200 };

/* CPU time of this thread: the figures stay meaningful on a loaded machine
 * (wall time would count the time other processes hold the CPU). */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct gen {
    rg_graph_t *g;
    int64_t uniq;
};

static rg_vid_t add(struct gen *q, rg_vid_t parent, rg_sym_t type, int64_t id,
                    int64_t rank)
{
    struct rg_vertex_init in;
    rg_vertex_init_default(&in);
    in.type = type;
    in.id = id;
    in.uniq_id = q->uniq++;
    in.rank = rank;
    rg_vid_t v = rg_vertex_add(q->g, &in, NULL);
    if (v == RG_VID_NONE)
        exit(1);
    char path[RG_PATH_MAX] = "";
    if (parent != RG_VID_NONE) {
        if (rg_edge_add(q->g, parent, v, RG_SYM_CONTAINMENT, RG_SYM_CONTAINS, NULL) ==
            RG_EID_NONE)
            exit(1);
        rg_vertex_path(q->g, parent, RG_SYM_CONTAINMENT, path, sizeof path);
    }
    size_t len = strlen(path);
    snprintf(path + len, sizeof path - len, "/%s",
             rg_sym_str(q->g, rg_vertex_get(q->g, v)->name));
    if (rg_vertex_path_set(q->g, v, RG_SYM_CONTAINMENT, path, NULL) < 0)
        exit(1);
    return v;
}

static rg_graph_t *gen_system(int nodes)
{
    struct gen q = {.g = rg_graph_create()};
    rg_sym_t tc = rg_sym_intern(q.g, "cluster"), tn = rg_sym_intern(q.g, "node");
    rg_sym_t ts = rg_sym_intern(q.g, "socket"), tk = rg_sym_intern(q.g, "core");
    rg_sym_t tg = rg_sym_intern(q.g, "gpu");
    rg_graph_reserve(q.g, (size_t)nodes * 71 + 1, (size_t)nodes * 71);
    rg_vid_t c = add(&q, RG_VID_NONE, tc, 0, -1);
    for (int n = 0; n < nodes; n++) {
        rg_vid_t nv = add(&q, c, tn, n, n);
        for (int s = 0; s < 2; s++) {
            rg_vid_t sv = add(&q, nv, ts, 2 * n + s, n);
            for (int k = 0; k < 32; k++)
                add(&q, sv, tk, 64 * (int64_t)n + 32 * s + k, n);
            for (int k = 0; k < 2; k++)
                add(&q, sv, tg, 4 * (int64_t)n + 2 * s + k, n);
        }
    }
    return q.g;
}

static jobspec_t *spec(const char *text)
{
    eng_error_t err;
    jobspec_t *js = jobspec_parse(text, strlen(text), "<bench>", &err);
    if (!js) {
        fprintf(stderr, "bench_match: %s\n", err.text);
        exit(1);
    }
    return js;
}

static char *nodes_spec(int n, int duration)
{
    char *b = malloc(512);
    snprintf(
        b, 512,
        "{\"version\": 9999, \"resources\": [{\"type\": \"node\", \"count\": %d, "
        "\"exclusive\": true, \"with\": [{\"type\": \"slot\", \"count\": 1, \"label\": "
        "\"d\", \"with\": [{\"type\": \"core\", \"count\": 1}]}]}], \"attributes\": "
        "{\"system\": {\"duration\": %d}}, \"tasks\": [{\"command\": [\"a\"], \"slot\": "
        "\"d\", \"count\": {\"per_slot\": 1}}]}",
        n, duration);
    return b;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct stats {
    double *v;
    size_t n, cap;
};

static void push(struct stats *s, double x)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 256;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = x;
}

static void report(const char *what, struct stats *s)
{
    qsort(s->v, s->n, sizeof *s->v, cmp_d);
    double med = s->n ? s->v[s->n / 2] : 0, p99 = s->n ? s->v[(s->n * 99) / 100] : 0;
    printf("  %-44s median %9.1f us   p99 %9.1f us   (n=%zu)\n", what, med * 1e6,
           p99 * 1e6, s->n);
    free(s->v);
    memset(s, 0, sizeof *s);
}

struct bench {
    eng_t *e;
    int nodes;
    uint64_t next_id;
    uint64_t *fill;
    size_t nfill;
    uint64_t rng;
};

static int rnd_dur(struct bench *b)
{
    b->rng ^= b->rng << 13;
    b->rng ^= b->rng >> 7;
    b->rng ^= b->rng << 17;
    return 100 + (int)(b->rng % 900);
}

/* Bring the number of busy nodes to 'target' with 1-node exclusive jobs. */
static void fill_to(struct bench *b, int target)
{
    while ((int)b->nfill < target) {
        char *t = nodes_spec(1, rnd_dur(b));
        jobspec_t *js = spec(t);
        free(t);
        uint64_t id = b->next_id++;
        if (eng_match(b->e, ENG_MATCH_ALLOCATE, js, id, NULL, NULL, NULL) == 0)
            b->fill[b->nfill++] = id;
        jobspec_destroy(js);
        if (b->nfill < (size_t)target && b->next_id > (uint64_t)b->nodes * 4)
            break;
    }
}

/* Match 'js' with 'op' once, timed; cancel it if it got resources. */
static void sample(struct bench *b, enum eng_match_op op, const jobspec_t *js,
                   struct stats *s)
{
    uint64_t id = b->next_id++;
    double t0 = now_s();
    int rc = eng_match(b->e, op, js, id, NULL, NULL, NULL);
    push(s, now_s() - t0);
    if (rc == 0)
        eng_cancel(b->e, id, false, NULL);
}

static void run_request(int nodes, const char *name, const char *text)
{
    const char *ops[2] = {"allocate", "allocate_orelse_reserve"};
    enum eng_match_op opv[2] = {ENG_MATCH_ALLOCATE, ENG_MATCH_ALLOCATE_ORELSE_RESERVE};
    for (int o = 0; o < 2; o++) {
        eng_t *e = eng_create(NULL, NULL);
        double t0 = now_s();
        eng_graph_take(e, gen_system(nodes), NULL);
        double load = now_s() - t0;
        struct bench b = {e, nodes,   1, calloc((size_t)nodes, sizeof(uint64_t)),
                          0, 88172645};
        jobspec_t *js = spec(text);
        struct stats filling = {0}, full = {0};
        for (int level = 0; level < 20; level++) {
            fill_to(&b, nodes * level / 20);
            for (int k = 0; k < SAMPLES_PER_LEVEL; k++)
                sample(&b, opv[o], js, &filling);
        }
        fill_to(&b, nodes);
        for (int k = 0; k < FULL_SAMPLES; k++)
            sample(&b, opv[o], js, &full);
        char what[128];
        if (o == 0)
            printf(" %s (graph built and primed in %.2f s)\n", name, load);
        snprintf(what, sizeof what, "%s, filling", ops[o]);
        report(what, &filling);
        snprintf(what, sizeof what, "%s, full", ops[o]);
        report(what, &full);
        jobspec_destroy(js);
        free(b.fill);
        eng_destroy(e);
    }
}

int main(int argc, char **argv)
{
    int sizes[8] = {1000, 16384};
    int nsizes = 2;
    const char *only = "abc";
    if (argc > 1) {
        nsizes = 0;
        for (int i = 1; i < argc && nsizes < 8; i++) {
            if (atoi(argv[i]) > 0)
                sizes[nsizes++] = atoi(argv[i]);
            else
                only = argv[i];
        }
        if (nsizes == 0)
            sizes[nsizes++] = 1000;
    }
    const char *core1 =
        "{\"version\": 9999, \"resources\": [{\"type\": \"slot\", \"count\": 1, "
        "\"label\": "
        "\"d\", \"with\": [{\"type\": \"core\", \"count\": 1}]}], \"attributes\": "
        "{\"system\": {\"duration\": 600}}, \"tasks\": [{\"command\": [\"a\"], \"slot\": "
        "\"d\", \"count\": {\"per_slot\": 1}}]}";
    for (int i = 0; i < nsizes; i++) {
        printf("bench_match: %d nodes (2 sockets x (32 cores + 2 GPUs)), policy first, "
               "prune ALL:core,ALL:node\n",
               sizes[i]);
        char *node1 = nodes_spec(1, 600), *node16 = nodes_spec(16, 600);
        if (strchr(only, 'a'))
            run_request(sizes[i], "(a) 1 core", core1);
        if (strchr(only, 'b'))
            run_request(sizes[i], "(b) 1 node, exclusive", node1);
        if (strchr(only, 'c'))
            run_request(sizes[i], "(c) 16 nodes, exclusive", node16);
        free(node1);
        free(node16);
    }
    return 0;
}
