/* wtrace.c: the in-memory trace shared by every workload source (see wtrace.h). */
#include "wtrace.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "fio.h"
#include "jtrace.h"
#include "swf.h"

struct meta {
    char *key, *value;
};

struct wtrace {
    wjob_t *jobs;
    size_t njobs, cap;
    struct meta *meta;
    size_t nmeta, meta_cap;
    int64_t submit_offset;
    bool finished; /* sorted and shifted since the last job was added */
};

wtrace_t *wtrace_create(eng_error_t *err)
{
    wtrace_t *t = calloc(1, sizeof *t);
    if (!t)
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    return t;
}

void wtrace_destroy(wtrace_t *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->njobs; i++)
        free(t->jobs[i].jobspec);
    for (size_t i = 0; i < t->nmeta; i++) {
        free(t->meta[i].key);
        free(t->meta[i].value);
    }
    free(t->jobs);
    free(t->meta);
    free(t);
}

/* Grow '*arr' (of 'elem'-byte items) to hold one more than 'n'.  Doubling
 * keeps appends O(1) amortised. */
static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 64;
    void *na = realloc(*arr, nc * elem);
    if (!na)
        return ENG_ENOMEM;
    *arr = na;
    *cap = nc;
    return 0;
}

int wtrace_job_take(wtrace_t *t, wjob_t *job, eng_error_t *err)
{
    int rc = 0;
    if (!t || !job)
        rc = eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no trace or job");
    else if (t->njobs >= WTRACE_MAX_JOBS)
        rc = eng_errorf(err, ENG_ELIMIT, NULL, 0, 0, "more than %d jobs",
                        (int)WTRACE_MAX_JOBS);
    else if (grow((void **)&t->jobs, &t->cap, t->njobs, sizeof *t->jobs) != 0)
        rc = eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc != 0) {
        if (job)
            wjob_clear(job);
        return rc;
    }
    t->jobs[t->njobs++] = *job;
    t->finished = false;
    wjob_init(job);
    return 0;
}

/* qsort() is not stable, so ties are broken by the position of addition. */
struct order {
    int64_t submit;
    size_t seq;
};

static int order_cmp(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    if (x->submit != y->submit)
        return x->submit < y->submit ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sort through an (submit, seq) key array and a scratch copy of the jobs:
 * O(n log n), and the keys are small, so the sort moves 16-byte items. */
static int sort_jobs(wtrace_t *t)
{
    struct order *ord = malloc(t->njobs * sizeof *ord);
    wjob_t *sorted = malloc(t->njobs * sizeof *sorted);
    if (!ord || !sorted) {
        free(ord);
        free(sorted);
        return ENG_ENOMEM;
    }
    for (size_t i = 0; i < t->njobs; i++)
        ord[i] = (struct order){t->jobs[i].submit_s, i};
    qsort(ord, t->njobs, sizeof *ord, order_cmp);
    for (size_t i = 0; i < t->njobs; i++)
        sorted[i] = t->jobs[ord[i].seq];
    free(ord);
    free(t->jobs);
    t->jobs = sorted;
    t->cap = t->njobs;
    return 0;
}

int wtrace_finish(wtrace_t *t, eng_error_t *err)
{
    if (!t)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no trace");
    if (t->finished || t->njobs == 0)
        return 0;
    bool in_order = true;
    for (size_t i = 1; i < t->njobs && in_order; i++)
        in_order = t->jobs[i - 1].submit_s <= t->jobs[i].submit_s;
    if (!in_order && sort_jobs(t) != 0)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory sorting jobs");
    int64_t first = t->jobs[0].submit_s;
    t->submit_offset += first;
    for (size_t i = 0; i < t->njobs; i++) {
        t->jobs[i].submit_s -= first;
        t->jobs[i].swf[WJOB_SWF_SUBMIT] = t->jobs[i].submit_s + t->submit_offset;
    }
    t->finished = true;
    return 0;
}

size_t wtrace_count(const wtrace_t *t)
{
    return t ? t->njobs : 0;
}

const wjob_t *wtrace_job(const wtrace_t *t, size_t i)
{
    return t && i < t->njobs ? &t->jobs[i] : NULL;
}

int64_t wtrace_submit_offset(const wtrace_t *t)
{
    return t ? t->submit_offset : 0;
}

void wtrace_submit_offset_set(wtrace_t *t, int64_t offset_s)
{
    if (t)
        t->submit_offset = offset_s;
}

int wtrace_meta_add(wtrace_t *t, const char *key, const char *value, eng_error_t *err)
{
    if (!t || !key || !value)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no trace, key or value");
    if (t->nmeta >= WTRACE_MAX_META)
        return eng_errorf(err, ENG_ELIMIT, NULL, 0, 0, "more than %d metadata entries",
                          (int)WTRACE_MAX_META);
    if (grow((void **)&t->meta, &t->meta_cap, t->nmeta, sizeof *t->meta) != 0)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    char *k = strdup(key), *v = strdup(value);
    if (!k || !v) {
        free(k);
        free(v);
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    t->meta[t->nmeta++] = (struct meta){k, v};
    return 0;
}

size_t wtrace_meta_count(const wtrace_t *t)
{
    return t ? t->nmeta : 0;
}

int wtrace_meta_at(const wtrace_t *t, size_t i, const char **key, const char **value)
{
    if (!t || i >= t->nmeta)
        return ENG_ENOENT;
    *key = t->meta[i].key;
    *value = t->meta[i].value;
    return 0;
}

const char *wtrace_meta_get(const wtrace_t *t, const char *key)
{
    for (size_t i = 0; t && key && i < t->nmeta; i++)
        if (strcmp(t->meta[i].key, key) == 0)
            return t->meta[i].value;
    return NULL;
}

int wtrace_meta_int(const wtrace_t *t, const char *key, int64_t *out)
{
    const char *v = wtrace_meta_get(t, key);
    if (!v || !*v)
        return ENG_ENOENT;
    char *end = NULL;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    while (end && isspace((unsigned char)*end))
        end++;
    if (errno || end == v || *end)
        return ENG_ENOENT;
    *out = x;
    return 0;
}

void wtrace_stats(const wtrace_t *t, int64_t total_cores, wtrace_stats_t *out)
{
    memset(out, 0, sizeof *out);
    if (!t)
        return;
    out->jobs = t->njobs;
    int64_t first = INT64_MAX, last = INT64_MIN;
    for (size_t i = 0; i < t->njobs; i++) {
        const wjob_t *j = &t->jobs[i];
        first = j->submit_s < first ? j->submit_s : first;
        last = j->submit_s > last ? j->submit_s : last;
        if (!wjob_is_mappable(j)) {
            int r =
                j->reason > 0 && j->reason < WJOB_NREASONS ? j->reason : WJOB_NO_JOBSPEC;
            out->unmapped[r]++;
            continue;
        }
        out->mappable++;
        if (j->procs > out->max_procs)
            out->max_procs = j->procs;
        int64_t rt = j->runtime_s < j->walltime_s ? j->runtime_s : j->walltime_s;
        int64_t cores = j->cores > 0 ? j->cores : j->procs;
        if (rt > 0 && cores > 0)
            out->work_core_s += (double)rt * (double)cores;
    }
    out->span_s = t->njobs ? last - first : 0;
    if (total_cores > 0 && out->span_s > 0)
        out->offered_load =
            out->work_core_s / ((double)out->span_s * (double)total_cores);
}

enum wtrace_format wtrace_format_detect(const char *text)
{
    const char *p = text ? text : "";
    if (strncmp(p, "\xEF\xBB\xBF", 3) == 0) /* UTF-8 byte-order mark */
        p += 3;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '{')
        return WTRACE_FORMAT_JSONL;
    if (*p == '\0' || *p == ';' || isdigit((unsigned char)*p) || *p == '-')
        return WTRACE_FORMAT_SWF;
    return WTRACE_FORMAT_UNKNOWN;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

enum wtrace_format wtrace_format_from_name(const char *path)
{
    if (!path)
        return WTRACE_FORMAT_UNKNOWN;
    if (ends_with(path, ".swf"))
        return WTRACE_FORMAT_SWF;
    if (ends_with(path, ".jsonl") || ends_with(path, ".json"))
        return WTRACE_FORMAT_JSONL;
    return WTRACE_FORMAT_UNKNOWN;
}

/* The parsers work on C strings: a NUL inside the file would silently end
 * it early, so it is an error at its place. */
static int check_nul(const char *text, size_t len, const char *src, eng_error_t *err)
{
    const char *nul = memchr(text, '\0', len);
    if (!nul)
        return 0;
    int line = 1;
    const char *start = text;
    for (const char *p = text; p < nul; p++)
        if (*p == '\n') {
            line++;
            start = p + 1;
        }
    return eng_errorf(err, ENG_EPARSE, src, line, (int)(nul - start) + 1,
                      "NUL byte in a text file");
}

wtrace_t *wtrace_load(const char *path, const wjob_map_t *map, eng_error_t *err)
{
    eng_error_clear(err);
    size_t len = 0;
    char *text = fio_read_all(path, (size_t)WTRACE_MAX_FILE_MIB << 20, &len, err);
    if (!text)
        return NULL;
    const char *src = strcmp(path, "-") == 0 ? "<stdin>" : path;
    if (check_nul(text, len, src, err) != 0) {
        free(text);
        return NULL;
    }
    wtrace_t *t = NULL;
    switch (wtrace_format_detect(text)) {
    case WTRACE_FORMAT_SWF:
        t = swf_parse(text, src, map, err);
        break;
    case WTRACE_FORMAT_JSONL:
        t = jtrace_parse(text, src, err);
        break;
    default:
        eng_errorf(err, ENG_EPARSE, src, 1, 1,
                   "neither SWF nor JSON lines: expected ';', a digit or '{'");
    }
    free(text);
    return t;
}

int wtrace_dump(const wtrace_t *t, const char *path, enum wtrace_format fmt,
                eng_error_t *err)
{
    eng_error_clear(err);
    if (!t || !path)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no trace or path");
    if (fmt != WTRACE_FORMAT_SWF && fmt != WTRACE_FORMAT_JSONL)
        return eng_errorf(err, ENG_EINVAL, path, 0, 0, "unknown output format");
    fio_atomic_t *a = fio_atomic_open(path, err);
    if (!a)
        return err && err->code ? err->code : ENG_EIO;
    int rc = fmt == WTRACE_FORMAT_SWF ? swf_write(t, fio_atomic_file(a), err)
                                      : jtrace_write(t, fio_atomic_file(a), err);
    if (rc != 0) {
        fio_atomic_abort(a);
        return rc;
    }
    return fio_atomic_commit(a, err);
}
