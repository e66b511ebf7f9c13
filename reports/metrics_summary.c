/* metrics_summary.c: the run summary (definitions in metrics.h).
 *
 * The summary is a flat list of named entries in a fixed order, so the CSV,
 * JSON and text forms cannot disagree and 'schedsim compare' can line runs
 * up by name.  Statistics use GSL on sorted copies (quantiles need sorted
 * data); GSL's error handler is left to main(), these calls cannot fail on
 * non-empty arrays. */
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fio.h"
#include "metrics.h"
#include "metrics_private.h"

enum { SUMMARY_MAX = 96, BSLD_THRESHOLD_S = 10 };

/* Share of the makespan trimmed at each end for the "trimmed" utilisation. */
#define TRIM_FRACTION 0.10

struct metrics_summary {
    struct metrics_entry e[SUMMARY_MAX];
    size_t n;
    bool oom;
};

static struct metrics_entry *add(metrics_summary_t *s, const char *name)
{
    if (s->n == SUMMARY_MAX) { /* a programming error: raise SUMMARY_MAX */
        s->oom = true;
        return NULL;
    }
    struct metrics_entry *e = &s->e[s->n++];
    *e = (struct metrics_entry){.name = name, .kind = METRICS_NONE};
    return e;
}

static void add_int(metrics_summary_t *s, const char *name, int64_t v)
{
    struct metrics_entry *e = add(s, name);
    if (e) {
        e->kind = METRICS_INT;
        e->i = v;
    }
}

static void add_real(metrics_summary_t *s, const char *name, double v)
{
    struct metrics_entry *e = add(s, name);
    if (e && isfinite(v)) {
        e->kind = METRICS_REAL;
        e->r = v;
    }
}

static void add_text(metrics_summary_t *s, const char *name, const char *v)
{
    struct metrics_entry *e = add(s, name);
    if (e && v) {
        e->kind = METRICS_TEXT;
        if (!(e->text = strdup(v)))
            s->oom = true;
    }
}

/* ---- statistics --------------------------------------------------------- */

struct series {
    double *v;
    size_t n;
};

static void add_stats(metrics_summary_t *s, const char *const names[], const double *qs,
                      size_t nq, struct series *x)
{
    /* names: mean, then one per quantile in 'qs' (1.0 = max) */
    if (x->n == 0) {
        for (size_t i = 0; i <= nq; i++)
            add_real(s, names[i], NAN);
        return;
    }
    gsl_sort(x->v, 1, x->n);
    add_real(s, names[0], gsl_stats_mean(x->v, 1, x->n));
    for (size_t i = 0; i < nq; i++)
        add_real(s, names[i + 1],
                 gsl_stats_quantile_from_sorted_data(x->v, 1, x->n, qs[i]));
}

struct span {
    int64_t first_submit, last_end;
    size_t total, completed, rejected, unmapped, other;
};

static void count_jobs(const struct metrics_job *jobs, size_t n, struct span *sp)
{
    *sp = (struct span){.first_submit = -1, .last_end = -1, .total = n};
    for (size_t i = 0; i < n; i++) {
        const struct metrics_job *j = &jobs[i];
        if (strcmp(j->state, "unmapped") == 0) {
            sp->unmapped++;
            continue;
        }
        if (j->submit >= 0 && (sp->first_submit < 0 || j->submit < sp->first_submit))
            sp->first_submit = j->submit;
        if (strcmp(j->state, "completed") == 0) {
            sp->completed++;
            if (j->end > sp->last_end)
                sp->last_end = j->end;
        } else if (strcmp(j->state, "rejected") == 0) {
            sp->rejected++;
        } else {
            sp->other++;
        }
    }
}

/* Busy unit-seconds of 'type' within [lo, hi). */
static double busy_in(const struct metrics_job *jobs, size_t n, int type, double lo,
                      double hi)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        const struct metrics_job *j = &jobs[i];
        if (j->start < 0 || j->end < 0)
            continue;
        double a = fmax((double)j->start, lo), b = fmin((double)j->end, hi);
        if (b > a)
            sum += (double)j->units[type] * (b - a);
    }
    return sum;
}

static const char *const util_names[METRICS_UNIT_COUNT] = {"util_node", "util_core",
                                                           "util_gpu"};
static const char *const util_trim_names[METRICS_UNIT_COUNT] = {
    "util_node_trimmed", "util_core_trimmed", "util_gpu_trimmed"};

static void add_utilisation(metrics_summary_t *s, const struct metrics_job *jobs,
                            size_t n, const struct span *sp, const int64_t *totals)
{
    double m =
        sp->last_end > sp->first_submit ? (double)(sp->last_end - sp->first_submit) : 0;
    double t0 = (double)sp->first_submit;
    double lo = t0 + TRIM_FRACTION * m, hi = t0 + (1 - TRIM_FRACTION) * m;
    for (int u = 0; u < METRICS_UNIT_COUNT; u++) {
        double cap = (double)totals[u];
        add_real(s, util_names[u],
                 m > 0 && cap > 0 ? busy_in(jobs, n, u, t0, t0 + m) / (cap * m) : NAN);
        add_real(s, util_trim_names[u],
                 hi > lo && cap > 0 ? busy_in(jobs, n, u, lo, hi) / (cap * (hi - lo))
                                    : NAN);
    }
}

static const char *const wait_names[] = {"wait_mean_s", "wait_median_s", "wait_p90_s",
                                         "wait_p99_s", "wait_max_s"};
static const double wait_q[] = {0.5, 0.9, 0.99, 1.0};
static const char *const bsld_names[] = {"bsld_mean", "bsld_median", "bsld_p99"};
static const double bsld_q[] = {0.5, 0.99};
static const char *const ta_names[] = {"turnaround_mean_s", "turnaround_median_s"};
static const double ta_q[] = {0.5};

static int add_job_stats(metrics_summary_t *s, const struct metrics_job *jobs, size_t n,
                         size_t completed)
{
    struct series w = {calloc(completed + 1, sizeof(double)), 0};
    struct series b = {calloc(completed + 1, sizeof(double)), 0};
    struct series t = {calloc(completed + 1, sizeof(double)), 0};
    int rc = w.v && b.v && t.v ? 0 : ENG_ENOMEM;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const struct metrics_job *j = &jobs[i];
        if (strcmp(j->state, "completed") != 0)
            continue;
        double wait = (double)(j->start - j->submit), run = (double)(j->end - j->start);
        w.v[w.n++] = wait;
        b.v[b.n++] = fmax(1.0, (wait + run) / fmax(run, BSLD_THRESHOLD_S));
        t.v[t.n++] = wait + run;
    }
    if (rc == 0) {
        add_stats(s, wait_names, wait_q, 4, &w);
        add_stats(s, bsld_names, bsld_q, 2, &b);
        add_stats(s, ta_names, ta_q, 1, &t);
    }
    free(w.v);
    free(b.v);
    free(t.v);
    return rc;
}

static void add_run(metrics_summary_t *s, const struct metrics_run *r)
{
    add_text(s, "queue_policy", r->queue_policy);
    add_text(s, "match_policy", r->match_policy);
    add_int(s, "queue_depth", r->queue_depth);
    add_int(s, "reservation_depth", r->reservation_depth);
    add_text(s, "params", r->params);
    if (r->seed >= 0)
        add_int(s, "seed", r->seed);
    else
        add(s, "seed");
    for (size_t i = 0; i < r->ninputs; i++) {
        /* names are static: only the roles the CLI uses get their own keys */
        const char *role = r->inputs[i].role;
        bool g = strcmp(role, "graph") == 0, t = strcmp(role, "trace") == 0;
        add_text(s, g ? "graph" : t ? "trace" : "resource_events", r->inputs[i].name);
        add_text(s,
                 g   ? "graph_hash"
                 : t ? "trace_hash"
                     : "resource_events_hash",
                 r->inputs[i].hash);
    }
    add_int(s, "total_nodes", r->totals[METRICS_UNIT_NODE]);
    add_int(s, "total_cores", r->totals[METRICS_UNIT_CORE]);
    add_int(s, "total_gpus", r->totals[METRICS_UNIT_GPU]);
}

metrics_summary_t *metrics_summary_create(const struct metrics_job *jobs, size_t n,
                                          const struct metrics_run *run, eng_error_t *err)
{
    metrics_summary_t *s = calloc(1, sizeof *s);
    if (!s) {
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    struct span sp;
    count_jobs(jobs, n, &sp);
    add_run(s, run);
    add_int(s, "jobs", (int64_t)sp.total);
    add_int(s, "jobs_completed", (int64_t)sp.completed);
    add_int(s, "jobs_rejected", (int64_t)sp.rejected);
    add_int(s, "jobs_unmapped", (int64_t)sp.unmapped);
    add_int(s, "jobs_unfinished", (int64_t)sp.other);
    int64_t makespan = sp.last_end >= 0 ? sp.last_end - sp.first_submit : 0;
    add_int(s, "makespan_s", makespan);
    add_utilisation(s, jobs, n, &sp, run->totals);
    if (add_job_stats(s, jobs, n, sp.completed) < 0)
        s->oom = true;
    add_real(s, "throughput_jobs_per_hour",
             makespan > 0 ? (double)sp.completed * 3600.0 / (double)makespan : NAN);
    uint64_t calls = 0;
    for (size_t i = 0; i < n; i++)
        calls += jobs[i].match_calls;
    add_int(s, "match_calls", (int64_t)calls);
    add_int(s, "events", (int64_t)run->events);
    add_int(s, "passes", (int64_t)run->passes);
    add_real(s, "wall_time_s", run->wall_s);
    add_real(s, "wall_events_per_s",
             run->wall_s > 0 ? (double)run->events / run->wall_s : NAN);
    add_real(s, "wall_jobs_per_s", run->wall_s > 0 ? (double)n / run->wall_s : NAN);
    add_real(s, "wall_match_total_s", run->match_total_s);
    add_real(s, "wall_match_call_mean_us",
             calls ? run->match_total_s * 1e6 / (double)calls : NAN);
    add_real(s, "wall_match_call_p99_us", calls ? run->match_p99_us : NAN);
    if (s->oom) {
        metrics_summary_destroy(s);
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    return s;
}

void metrics_summary_destroy(metrics_summary_t *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->e[i].text);
    free(s);
}

size_t metrics_summary_count(const metrics_summary_t *s)
{
    return s->n;
}

const struct metrics_entry *metrics_summary_at(const metrics_summary_t *s, size_t i)
{
    return i < s->n ? &s->e[i] : NULL;
}

const struct metrics_entry *metrics_summary_get(const metrics_summary_t *s,
                                                const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->e[i].name, name) == 0)
            return &s->e[i];
    return NULL;
}

char *metrics_entry_format(const struct metrics_entry *e, char *buf, size_t size)
{
    switch (e->kind) {
    case METRICS_INT:
        snprintf(buf, size, "%" PRId64, e->i);
        break;
    case METRICS_REAL:
        snprintf(buf, size, "%.4f", e->r);
        break;
    case METRICS_TEXT:
        snprintf(buf, size, "%s", e->text);
        break;
    case METRICS_NONE:
        snprintf(buf, size, "%s", "");
        break;
    }
    return buf;
}

/* ---- writers ------------------------------------------------------------ */

int metrics_summary_write_csv(const metrics_summary_t *s, const char *path,
                              eng_error_t *err)
{
    fio_atomic_t *a = fio_atomic_open(path, err);
    if (!a)
        return err && err->code ? err->code : ENG_EIO;
    FILE *fp = fio_atomic_file(a);
    fputs("metric,value\n", fp);
    char buf[1024];
    for (size_t i = 0; i < s->n; i++) {
        fprintf(fp, "%s,", s->e[i].name);
        metrics__csv_field(fp, metrics_entry_format(&s->e[i], buf, sizeof buf));
        fputc('\n', fp);
    }
    return fio_atomic_commit(a, err);
}

static json_t *entry_json(const struct metrics_entry *e)
{
    char buf[64];
    switch (e->kind) {
    case METRICS_INT:
        return json_integer(e->i);
    case METRICS_REAL:
        /* the CSV's rounding, so both files carry the same numbers */
        return json_real(strtod(metrics_entry_format(e, buf, sizeof buf), NULL));
    case METRICS_TEXT:
        return json_string(e->text);
    case METRICS_NONE:
        break;
    }
    return json_null();
}

int metrics_summary_write_json(const metrics_summary_t *s, const char *path,
                               eng_error_t *err)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < s->n; i++)
        if (json_object_set_new(o, s->e[i].name, entry_json(&s->e[i])) < 0) {
            json_decref(o);
            o = NULL;
        }
    char *text = o ? json_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(12)) : NULL;
    json_decref(o);
    if (!text)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    fio_atomic_t *a = fio_atomic_open(path, err);
    if (!a) {
        free(text);
        return err && err->code ? err->code : ENG_EIO;
    }
    fputs(text, fio_atomic_file(a));
    fputc('\n', fio_atomic_file(a));
    free(text);
    return fio_atomic_commit(a, err);
}

void metrics_summary_print(const metrics_summary_t *s, FILE *fp)
{
    size_t width = 0;
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->e[i].name) > width)
            width = strlen(s->e[i].name);
    char buf[1024];
    for (size_t i = 0; i < s->n; i++)
        fprintf(fp, "%-*s  %s\n", (int)width, s->e[i].name,
                metrics_entry_format(&s->e[i], buf, sizeof buf));
}

int metrics_summary_write_text(const metrics_summary_t *s, const char *path,
                               eng_error_t *err)
{
    fio_atomic_t *a = fio_atomic_open(path, err);
    if (!a)
        return err && err->code ? err->code : ENG_EIO;
    metrics_summary_print(s, fio_atomic_file(a));
    return fio_atomic_commit(a, err);
}
