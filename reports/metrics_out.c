/* metrics_out.c: per-job outputs (jobs.csv, allocations.jsonl), the
 * utilisation time series and input hashes.
 *
 * FNV-1a rather than SHA-256: the hash only tells inputs apart in reports
 * (not an integrity guarantee), needs no dependency and is defined in a few
 * lines; collisions between two real inputs of a study are not a concern. */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fio.h"
#include "metrics.h"
#include "metrics_private.h"

enum { FNV_MAX_FILE = 1 << 30 };

char *metrics_hash_buf(const void *buf, size_t len, char out[32])
{
    uint64_t h = 0xcbf29ce484222325ULL;
    const unsigned char *p = buf;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    snprintf(out, 32, "fnv1a64:%016" PRIx64, h);
    return out;
}

int metrics_hash_file(const char *path, char out[32], eng_error_t *err)
{
    size_t len = 0;
    char *text = fio_read_all(path, FNV_MAX_FILE, &len, err);
    if (!text)
        return err && err->code ? err->code : ENG_EIO;
    metrics_hash_buf(text, len, out);
    free(text);
    return 0;
}

/* An integer column, empty when negative (unknown / not applicable). */
static void put_opt(FILE *fp, int64_t v)
{
    if (v >= 0)
        fprintf(fp, "%" PRId64, v);
    fputc(',', fp);
}

void metrics__csv_field(FILE *fp, const char *s)
{
    if (!s)
        s = "";
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static void job_row(FILE *fp, const struct metrics_job *j)
{
    bool ran = j->start >= 0;
    fprintf(fp, "%" PRId64 ",", j->id);
    put_opt(fp, j->submit);
    put_opt(fp, ran ? j->start : -1);
    put_opt(fp, ran ? j->end : -1);
    put_opt(fp, ran ? j->start - j->submit : -1);
    put_opt(fp, j->runtime);
    put_opt(fp, j->walltime);
    put_opt(fp, j->nodes);
    put_opt(fp, j->cores);
    put_opt(fp, j->gpus);
    metrics__csv_field(fp, ran ? j->nodelist : NULL);
    fputc(',', fp);
    metrics__csv_field(fp, j->state);
    fputc(',', fp);
    put_opt(fp, j->first_reserved_at);
    fprintf(fp, "%" PRIu64 ",%.3f\n", j->match_calls, (double)j->match_ns / 1e3);
}

int metrics_jobs_write(const char *path, const struct metrics_job *jobs, size_t n,
                       eng_error_t *err)
{
    fio_atomic_t *a = fio_atomic_open(path, err);
    if (!a)
        return err && err->code ? err->code : ENG_EIO;
    FILE *fp = fio_atomic_file(a);
    fputs("id,submit,start,end,wait,runtime,walltime,nodes,cores,gpus,nodelist,state,"
          "first_reserved_at,match_calls,match_us\n",
          fp);
    for (size_t i = 0; i < n; i++)
        job_row(fp, &jobs[i]);
    return fio_atomic_commit(a, err);
}

static int alloc_line(FILE *fp, const struct metrics_job *j, eng_error_t *err)
{
    json_error_t jerr;
    json_t *r = json_loads(j->r_lite, 0, &jerr);
    if (!r)
        return eng_errorf(err, ENG_EPARSE, "<R_lite>", jerr.line, jerr.column,
                          "job %" PRId64 ": %s", j->id, jerr.text);
    json_t *o = json_pack("{s:I s:I s:I s:o}", "id", (json_int_t)j->id, "start",
                          (json_int_t)j->start, "end", (json_int_t)j->end, "R_lite", r);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!text)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    fputs(text, fp);
    fputc('\n', fp);
    free(text);
    return 0;
}

int metrics_allocations_write(const char *path, const struct metrics_job *jobs, size_t n,
                              eng_error_t *err)
{
    fio_atomic_t *a = fio_atomic_open(path, err);
    if (!a)
        return err && err->code ? err->code : ENG_EIO;
    FILE *fp = fio_atomic_file(a);
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].start < 0 || !jobs[i].r_lite)
            continue;
        int rc = alloc_line(fp, &jobs[i], err);
        if (rc < 0) {
            fio_atomic_abort(a);
            return rc;
        }
    }
    return fio_atomic_commit(a, err);
}

/* ---- utilisation -------------------------------------------------------- */

/* A change at an instant.  At one instant ends apply before starts (the
 * simulator frees before it allocates), then submissions; the row written is
 * the state after all changes of the instant, so their order inside the
 * instant does not show. */
struct change {
    int64_t t;
    int kind; /* 0 end, 1 start, 2 submit */
    size_t job;
};

static int change_cmp(const void *pa, const void *pb)
{
    const struct change *a = pa, *b = pb;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    return a->job < b->job ? -1 : a->job > b->job;
}

static size_t collect_changes(const struct metrics_job *jobs, size_t n, struct change *c)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].start < 0)
            continue; /* rejected and unmapped jobs never queue */
        c[k++] = (struct change){jobs[i].submit, 2, i};
        c[k++] = (struct change){jobs[i].start, 1, i};
        c[k++] = (struct change){jobs[i].end, 0, i};
    }
    qsort(c, k, sizeof *c, change_cmp);
    return k;
}

static void util_row(FILE *fp, int64_t t, const int64_t *busy, const int64_t *totals,
                     int64_t running, int64_t queued)
{
    fprintf(fp, "%" PRId64, t);
    for (int u = 0; u < METRICS_UNIT_COUNT; u++)
        fprintf(fp, ",%" PRId64 ",%" PRId64, busy[u], totals[u]);
    fprintf(fp, ",%" PRId64 ",%" PRId64 "\n", running, queued);
}

int metrics_utilisation_write(const char *path, const struct metrics_job *jobs, size_t n,
                              const int64_t totals[METRICS_UNIT_COUNT], eng_error_t *err)
{
    struct change *c = malloc((3 * n + 1) * sizeof *c);
    if (!c)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    size_t k = collect_changes(jobs, n, c);
    fio_atomic_t *a = fio_atomic_open(path, err);
    if (!a) {
        free(c);
        return err && err->code ? err->code : ENG_EIO;
    }
    FILE *fp = fio_atomic_file(a);
    fputs("time,busy_nodes,total_nodes,busy_cores,total_cores,busy_gpus,total_gpus,"
          "running,queued\n",
          fp);
    int64_t busy[METRICS_UNIT_COUNT] = {0}, running = 0, queued = 0;
    for (size_t i = 0; i < k; i++) {
        const struct metrics_job *j = &jobs[c[i].job];
        int sign = c[i].kind == 0 ? -1 : 1;
        if (c[i].kind == 2) {
            queued++;
        } else {
            for (int u = 0; u < METRICS_UNIT_COUNT; u++)
                busy[u] += sign * j->units[u];
            running += sign;
            queued -= c[i].kind == 1;
        }
        if (i + 1 == k || c[i + 1].t != c[i].t)
            util_row(fp, c[i].t, busy, totals, running, queued);
    }
    free(c);
    return fio_atomic_commit(a, err);
}
