/* swf.c: Standard Workload Format reader and writer (contract in swf.h).
 *
 * The reader walks the text once, line by line, without copying it: a log
 * of 28,000 jobs is 2.6 MB and parses in a few milliseconds, so there is no
 * point in streaming from the file (the jobs must be sorted anyway). */
#include "swf.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fio.h"

static const char *const field_names[WJOB_SWF_NFIELDS] = {
    "job number",
    "submit time",
    "wait time",
    "run time",
    "allocated processors",
    "average cpu time",
    "used memory",
    "requested processors",
    "requested time",
    "requested memory",
    "status",
    "user id",
    "group id",
    "executable number",
    "queue number",
    "partition number",
    "preceding job number",
    "think time",
};

/* Largest accepted time (about 35,000 years) and other value. */
static const int64_t max_time = INT64_C(1) << 40;
static const int64_t max_other = INT64_C(1) << 62;

const char *swf_field_name(int index)
{
    return index >= 0 && index < WJOB_SWF_NFIELDS ? field_names[index] : "unknown field";
}

struct reader {
    const char *source;
    int line;
    const char *line_start;
    const wjob_map_t *map;
    wtrace_t *t;
};

static int col_of(const struct reader *r, const char *p)
{
    return (int)(p - r->line_start) + 1;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int64_t field_max(int f)
{
    switch (f) {
    case WJOB_SWF_ALLOC_PROCS:
    case WJOB_SWF_REQ_PROCS:
        return SWF_MAX_PROCS;
    case WJOB_SWF_SUBMIT:
    case WJOB_SWF_WAIT:
    case WJOB_SWF_RUNTIME:
    case WJOB_SWF_REQ_TIME:
    case WJOB_SWF_THINK:
        return max_time;
    default:
        return max_other;
    }
}

/* Whole integer of 'n' bytes at 'tok' with overflow checked; 1 = not an
 * integer, 2 = beyond max_other in magnitude. */
static int scan_int(const char *tok, size_t n, int64_t *out)
{
    size_t i = tok[0] == '-' || tok[0] == '+';
    if (i == n)
        return 1;
    int64_t v = 0;
    for (; i < n; i++) {
        if (!isdigit((unsigned char)tok[i]))
            return 1;
        if (v > (max_other - (tok[i] - '0')) / 10)
            return 2;
        v = v * 10 + (tok[i] - '0');
    }
    *out = tok[0] == '-' ? -v : v;
    return 0;
}

/* A decimal such as "12.75" for the measured fields 6 and 7, rounded. */
static int scan_decimal(const char *tok, size_t n, int64_t *out)
{
    char buf[64];
    if (n >= sizeof buf || strspn(tok, "+-0123456789.") < n)
        return 1;
    memcpy(buf, tok, n);
    buf[n] = '\0';
    char *end = NULL;
    errno = 0;
    double d = strtod(buf, &end);
    if (end != buf + n || !isfinite(d))
        return 1;
    if (fabs(d) > (double)max_other)
        return 2;
    *out = (int64_t)llround(d);
    return 0;
}

static int parse_field(struct reader *r, int f, const char *tok, size_t n, int64_t *out,
                       eng_error_t *err)
{
    int bad = scan_int(tok, n, out);
    if (bad == 1 && (f == WJOB_SWF_AVG_CPU || f == WJOB_SWF_USED_MEM))
        bad = scan_decimal(tok, n, out);
    int col = col_of(r, tok);
    if (bad == 1)
        return eng_errorf(err, ENG_EPARSE, r->source, r->line, col,
                          "field %d (%s): expected integer, got \"%.*s\"", f + 1,
                          field_names[f], n > 40 ? 40 : (int)n, tok);
    if (bad == 2 || *out > field_max(f))
        return eng_errorf(err, ENG_ELIMIT, r->source, r->line, col,
                          "field %d (%s): %.*s exceeds the limit of %" PRId64, f + 1,
                          field_names[f], n > 40 ? 40 : (int)n, tok, field_max(f));
    if (f == WJOB_SWF_SUBMIT && *out < 0)
        return eng_errorf(err, ENG_EPARSE, r->source, r->line, col,
                          "field %d (%s): expected an integer >= 0, got %" PRId64, f + 1,
                          field_names[f], *out);
    if (f != WJOB_SWF_RUNTIME && *out < -1)
        return eng_errorf(err, ENG_EPARSE, r->source, r->line, col,
                          "field %d (%s): expected -1 or an integer >= 0, got %" PRId64,
                          f + 1, field_names[f], *out);
    return 0;
}

/* Report an error 'inner' that has no place at the start of the line. */
static int placed(const struct reader *r, int rc, const eng_error_t *inner,
                  eng_error_t *err)
{
    return eng_errorf(err, rc, r->source, r->line, 1, "%s", inner->text);
}

/* One job line [p, end): exactly 18 fields. */
static int parse_job(struct reader *r, const char *p, const char *end, eng_error_t *err)
{
    wjob_t job;
    wjob_init(&job);
    int nf = 0;
    for (;;) {
        while (p < end && is_blank(*p))
            p++;
        if (p == end)
            break;
        const char *tok = p;
        while (p < end && !is_blank(*p))
            p++;
        if (nf == WJOB_SWF_NFIELDS)
            return eng_errorf(err, ENG_EPARSE, r->source, r->line, col_of(r, tok),
                              "expected %d fields, found more", WJOB_SWF_NFIELDS);
        int rc = parse_field(r, nf, tok, (size_t)(p - tok), &job.swf[nf], err);
        if (rc != 0)
            return rc;
        nf++;
    }
    if (nf < WJOB_SWF_NFIELDS)
        return eng_errorf(err, ENG_EPARSE, r->source, r->line, col_of(r, end),
                          "expected %d fields, got %d", WJOB_SWF_NFIELDS, nf);
    eng_error_t e;
    eng_error_clear(&e);
    int rc = wjob_from_swf(&job, r->map, &e);
    if (rc == 0)
        rc = wtrace_job_take(r->t, &job, &e);
    wjob_clear(&job);
    return rc ? placed(r, rc, &e, err) : 0;
}

/* "; Key: value" -> (Key, value); other comment text -> ("", text).  A key
 * is a word followed by ':' but not by "//", so "http://..." on a
 * continuation line stays text. */
static int parse_comment(struct reader *r, const char *p, const char *end,
                         eng_error_t *err)
{
    while (p < end && is_blank(*p))
        p++;
    while (end > p && is_blank(end[-1]))
        end--;
    const char *k = p;
    while (p < end && (isalnum((unsigned char)*p) || *p == '_' || *p == '-'))
        p++;
    size_t klen = 0;
    if (p > k && isalpha((unsigned char)*k) && p < end && *p == ':' &&
        !(end - p >= 3 && p[1] == '/' && p[2] == '/')) {
        klen = (size_t)(p - k);
        for (p++; p < end && is_blank(*p);)
            p++;
    } else {
        p = k;
    }
    char *key = strndup(k, klen), *value = strndup(p, (size_t)(end - p));
    eng_error_t e;
    eng_error_clear(&e);
    int rc = key && value ? wtrace_meta_add(r->t, key, value, &e)
                          : eng_errorf(&e, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    free(key);
    free(value);
    return rc ? placed(r, rc, &e, err) : 0;
}

static int parse_line(struct reader *r, const char *p, const char *end, eng_error_t *err)
{
    if (end - p > SWF_MAX_LINE)
        return eng_errorf(err, ENG_ELIMIT, r->source, r->line, SWF_MAX_LINE + 1,
                          "line longer than %d bytes", (int)SWF_MAX_LINE);
    const char *q = p;
    while (q < end && is_blank(*q))
        q++;
    if (q == end)
        return 0;
    if (*q == ';')
        return parse_comment(r, q + 1, end, err);
    return parse_job(r, p, end, err);
}

static bool valid_map(const wjob_map_t *map)
{
    return map->unit == WJOB_UNIT_CORE ||
           (map->unit == WJOB_UNIT_NODE && map->cores_per_node >= 1);
}

wtrace_t *swf_parse(const char *text, const char *source, const wjob_map_t *map,
                    eng_error_t *err)
{
    eng_error_clear(err);
    const wjob_map_t cores = {WJOB_UNIT_CORE, 1};
    if (!map)
        map = &cores;
    if (!text || !valid_map(map))
        return (void)eng_errorf(err, ENG_EINVAL, source, 0, 0,
                                "no text, or a node mapping without cores per node"),
               NULL;
    struct reader r = {source ? source : "<string>", 0, text, map, NULL};
    if (!(r.t = wtrace_create(err)))
        return NULL;
    /* a UTF-8 byte-order mark, as some editors write, is not content */
    if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        const char *end = nl ? nl : p + strlen(p);
        r.line++;
        r.line_start = p;
        if (parse_line(&r, p, end, err) != 0)
            goto error;
        p = nl ? nl + 1 : end;
    }
    if (wtrace_finish(r.t, err) != 0)
        goto error;
    return r.t;
error:
    wtrace_destroy(r.t);
    return NULL;
}

wtrace_t *swf_load(const char *path, const wjob_map_t *map, eng_error_t *err)
{
    eng_error_clear(err);
    char *text = fio_read_all(path, (size_t)WTRACE_MAX_FILE_MIB << 20, NULL, err);
    if (!text)
        return NULL;
    wtrace_t *t = swf_parse(text, strcmp(path, "-") == 0 ? "<stdin>" : path, map, err);
    free(text);
    return t;
}

/* 's' with line breaks and other control characters as spaces, so a
 * value from a JSON-lines trace cannot break the one-line comment. */
static void put_text(const char *s, FILE *fp)
{
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 ? ' ' : *s, fp);
}

static void write_header(const wtrace_t *t, FILE *fp)
{
    for (size_t i = 0; i < wtrace_meta_count(t); i++) {
        const char *k = NULL, *v = NULL;
        wtrace_meta_at(t, i, &k, &v);
        fputc(';', fp);
        if (*k || *v)
            fputc(' ', fp);
        if (*k) {
            put_text(k, fp);
            fputs(": ", fp);
        }
        put_text(v, fp);
        fputc('\n', fp);
    }
}

int swf_write(const wtrace_t *t, FILE *fp, eng_error_t *err)
{
    if (!t || !fp)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no trace or stream");
    write_header(t, fp);
    int64_t offset = wtrace_submit_offset(t);
    for (size_t i = 0; i < wtrace_count(t); i++) {
        const wjob_t *j = wtrace_job(t, i);
        for (int f = 0; f < WJOB_SWF_NFIELDS; f++) {
            int64_t v = f == WJOB_SWF_SUBMIT ? j->submit_s + offset : j->swf[f];
            fprintf(fp, f ? " %" PRId64 : "%" PRId64, v);
        }
        fputc('\n', fp);
    }
    if (ferror(fp))
        return eng_errorf(err, ENG_EIO, NULL, 0, 0, "write error");
    return 0;
}

int swf_dump(const wtrace_t *t, const char *path, eng_error_t *err)
{
    return wtrace_dump(t, path, WTRACE_FORMAT_SWF, err);
}
