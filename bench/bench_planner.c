/* bench_planner.c: nanoseconds per planner operation.
 *
 * For planners holding 0 to 100,000 spans (64 units, random
 * starts, durations and counts, as a busy node-level planner would see),
 * times each planner_avail_time_first, planner_avail_resources_during,
 * planner_span_add and planner_span_remove call on its own and prints the
 * median and 99th percentile.  Add/remove pairs keep the span count
 * constant.  Also times planner_multi_avail_time_first on a 3-type
 * multi-planner.  Figures include the ~20 ns of clock_gettime(). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "planner.h"
#include "planner_multi.h"

enum { SAMPLES = 5000, TOTAL = 64 };

static uint64_t rng_next(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int64_t rng_range(uint64_t *s, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rng_next(s) % (uint64_t)(hi - lo + 1));
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void report(const char *what, size_t nspans, int64_t *ns, size_t n)
{
    qsort(ns, n, sizeof(*ns), cmp_i64);
    printf("%-32s spans=%-7zu median=%6lld ns  p99=%7lld ns\n", what, nspans,
           (long long)ns[n / 2], (long long)ns[n * 99 / 100]);
}

/* A horizon that keeps the planner about half busy at 'nspans' spans of
 * mean duration 500 and mean count TOTAL/4. */
static int64_t horizon(size_t nspans)
{
    return (int64_t)nspans * 500 / 2 + 1000;
}

static planner_t *fill(size_t nspans, uint64_t *rs)
{
    int64_t h = horizon(nspans);
    planner_t *p = planner_create(0, h + 100000, TOTAL, "core", NULL);
    for (size_t k = 0; k < nspans;) {
        int64_t start = rng_range(rs, 0, h), d = rng_range(rs, 1, 1000);
        if (planner_span_add(p, start, d, rng_range(rs, 1, TOTAL / 2)) > 0)
            k++;
    }
    return p;
}

static void bench_single(size_t nspans, int64_t *ns)
{
    uint64_t rs = 42 + nspans;
    planner_t *p = fill(nspans, &rs);
    int64_t h = horizon(nspans);
    volatile int64_t sink = 0;
    for (size_t i = 0; i < SAMPLES; i++) {
        int64_t oa = rng_range(&rs, 0, h), d = rng_range(&rs, 1, 2000);
        int64_t req = rng_range(&rs, 1, TOTAL);
        int64_t t0 = now_ns();
        sink += planner_avail_time_first(p, oa, d, req);
        ns[i] = now_ns() - t0;
    }
    report("planner_avail_time_first", nspans, ns, SAMPLES);
    for (size_t i = 0; i < SAMPLES; i++) {
        int64_t at = rng_range(&rs, 0, h), d = rng_range(&rs, 1, 2000);
        int64_t t0 = now_ns();
        sink += planner_avail_resources_during(p, at, d);
        ns[i] = now_ns() - t0;
    }
    report("planner_avail_resources_during", nspans, ns, SAMPLES);
    int64_t *rm = malloc(SAMPLES * sizeof(*rm));
    for (size_t i = 0; i < SAMPLES; i++) {
        int64_t start = rng_range(&rs, 0, h), d = rng_range(&rs, 1, 1000);
        int64_t t0 = now_ns();
        int64_t id = planner_span_add(p, start, d, 0);
        ns[i] = now_ns() - t0;
        t0 = now_ns();
        planner_span_remove(p, id);
        rm[i] = now_ns() - t0;
    }
    report("planner_span_add", nspans, ns, SAMPLES);
    report("planner_span_remove", nspans, rm, SAMPLES);
    free(rm);
    (void)sink;
    planner_destroy(p);
}

static void bench_multi(size_t nspans, int64_t *ns)
{
    uint64_t rs = 7 + nspans;
    const char *const types[] = {"node", "core", "gpu"};
    const int64_t totals[] = {16, 16 * 64, 16 * 4};
    int64_t h = horizon(nspans);
    planner_multi_t *mp = planner_multi_create(0, h + 100000, totals, types, 3, NULL);
    for (size_t k = 0; k < nspans;) {
        int64_t n = rng_range(&rs, 1, 4);
        int64_t req[3] = {n, n * rng_range(&rs, 1, 64), n * rng_range(&rs, 0, 4)};
        if (planner_multi_span_add(mp, rng_range(&rs, 0, h), rng_range(&rs, 1, 1000), req,
                                   3) >= 0)
            k++;
    }
    volatile int64_t sink = 0;
    for (size_t i = 0; i < SAMPLES; i++) {
        int64_t n = rng_range(&rs, 1, 8);
        int64_t req[3] = {n, n * 32, n};
        int64_t oa = rng_range(&rs, 0, h), d = rng_range(&rs, 1, 2000);
        int64_t t0 = now_ns();
        sink += planner_multi_avail_time_first(mp, oa, d, req, 3);
        ns[i] = now_ns() - t0;
    }
    report("planner_multi_avail_time_first", nspans, ns, SAMPLES);
    (void)sink;
    planner_multi_destroy(mp);
}

int main(void)
{
    /* 0-3: a vertex planner; 10-100: around the small form's limit */
    static const size_t sizes[] = {0, 1, 3, 10, 30, 100, 1000, 100000};
    int64_t *ns = malloc(SAMPLES * sizeof(*ns));
    if (!ns)
        return 1;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        bench_single(sizes[i], ns);
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        bench_multi(sizes[i], ns);
    free(ns);
    return 0;
}
