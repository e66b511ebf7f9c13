/* jtrace.c: JSON-lines traces (contract in jtrace.h).
 *
 * Each line is parsed on its own with jansson, so an error names its line;
 * jansson keeps no positions for values, so the column of a bad value is
 * found by scanning the line's top-level keys (key_col()). */
#include "jtrace.h"

#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fio.h"

static const int64_t max_value = INT64_C(1) << 40;

struct jreader {
    const char *source;
    char *dir; /* where relative jobspec paths are; "" = working directory */
    int line;
    const char *text; /* the current line, 'len' bytes */
    size_t len;
    wtrace_t *t;
    bool seen_job;
};

static const char *const job_keys[] = {
    "id",         "submit", "runtime", "walltime", "procs",  "jobspec", "jobspec_path",
    "unmappable", "user",   "group",   "queue",    "status", NULL,
};

/* Skip the JSON string starting at text[i] == '"'; index after its close. */
static size_t skip_string(const char *text, size_t len, size_t i)
{
    for (i++; i < len && text[i] != '"'; i++)
        if (text[i] == '\\')
            i++;
    return i + 1;
}

/* 1-based column of the top-level member 'key' of the object on this line:
 * of the key itself when 'at_key', else of its value; 1 when not found. */
static int key_col(const struct jreader *r, const char *key, bool at_key)
{
    const char *s = r->text;
    size_t klen = strlen(key);
    int depth = 0;
    for (size_t i = 0; i < r->len;) {
        char c = s[i];
        if (c == '"') {
            size_t end = skip_string(s, r->len, i), j = end;
            while (j < r->len && (s[j] == ' ' || s[j] == '\t'))
                j++;
            bool match = depth == 1 && j < r->len && s[j] == ':' && end - i - 2 == klen &&
                         memcmp(s + i + 1, key, klen) == 0;
            if (match && at_key)
                return (int)i + 1;
            if (match) {
                for (j++; j < r->len && (s[j] == ' ' || s[j] == '\t');)
                    j++;
                return (int)j + 1;
            }
            i = end;
            continue;
        }
        depth += (c == '{' || c == '[') - (c == '}' || c == ']');
        i++;
    }
    return 1;
}

/* Report an error at the value of 'key' (or at the key when 'at_key'; at
 * column 1 when 'key' is NULL). */
static int fail(const struct jreader *r, int code, const char *key, bool at_key,
                eng_error_t *err, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int fail(const struct jreader *r, int code, const char *key, bool at_key,
                eng_error_t *err, const char *fmt, ...)
{
    char buf[ENG_ERROR_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    int col = key ? key_col(r, key, at_key) : 1;
    return eng_errorf(err, code, r->source, r->line, col, "%s", buf);
}

/* Indexed by json_type (jansson's enum order). */
static const char *const type_names[] = {"object",  "array", "string", "real",
                                         "integer", "true",  "false",  "null"};

static const char *type_name(const json_t *v)
{
    return v ? type_names[json_typeof(v)] : "nothing";
}

/* Integer member 'key' >= 'min' into '*out'; absent is an error only when
 * 'required' (then '*out' is left alone). */
static int get_int(const struct jreader *r, json_t *obj, const char *key, bool required,
                   int64_t min, int64_t *out, eng_error_t *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return required ? fail(r, ENG_EPARSE, NULL, false, err, "missing key \"%s\"", key)
                        : 0;
    if (!json_is_integer(v))
        return fail(r, ENG_EPARSE, key, false, err, "%s: expected integer, got %s", key,
                    type_name(v));
    json_int_t x = json_integer_value(v);
    if (x < min)
        return fail(r, ENG_EPARSE, key, false, err,
                    "%s: expected an integer >= %" PRId64 ", got %lld", key, min,
                    (long long)x);
    if (x > max_value)
        return fail(r, ENG_ELIMIT, key, false, err,
                    "%s: %lld exceeds the limit of %" PRId64, key, (long long)x,
                    max_value);
    *out = x;
    return 0;
}

static int check_keys(const struct jreader *r, json_t *obj, eng_error_t *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        int k = 0;
        while (job_keys[k] && strcmp(job_keys[k], key) != 0)
            k++;
        if (!job_keys[k])
            return fail(r, ENG_EPARSE, key, true, err, "unknown key \"%s\"", key);
    }
    int n = !!json_object_get(obj, "jobspec") + !!json_object_get(obj, "jobspec_path") +
            !!json_object_get(obj, "unmappable");
    if (n != 1)
        return fail(r, ENG_EPARSE, NULL, false, err,
                    "expected exactly one of \"jobspec\", \"jobspec_path\" and "
                    "\"unmappable\", got %d",
                    n);
    return 0;
}

struct counts {
    int64_t nodes, cores, gpus;
    bool whole; /* an exclusive node with nothing named below it */
};

/* Count of a resource: an integer or a range's "min" (RFC 14); 0 = bad. */
static int64_t res_count(json_t *res)
{
    json_t *c = json_object_get(res, "count");
    if (json_is_object(c))
        c = json_object_get(c, "min");
    return json_is_integer(c) && json_integer_value(c) > 0 ? json_integer_value(c) : 0;
}

/* Add the nodes, cores and GPUs below 'list', each vertex's count times
 * 'mult' (the product of the counts above it).  False when malformed; the
 * matching engine reports the details, here the counts just stay unknown. */
static bool count_tree(json_t *list, int64_t mult, struct counts *c, int depth)
{
    size_t i;
    json_t *res;
    if (!json_is_array(list) || depth > 64)
        return false;
    json_array_foreach(list, i, res)
    {
        const char *type = json_string_value(json_object_get(res, "type"));
        int64_t n = res_count(res);
        if (!type || n == 0 || n > max_value / (mult > 0 ? mult : 1))
            return false;
        n *= mult;
        c->nodes += strcmp(type, "node") == 0 ? n : 0;
        c->cores += strcmp(type, "core") == 0 ? n : 0;
        c->gpus += strcmp(type, "gpu") == 0 ? n : 0;
        json_t *with = json_object_get(res, "with");
        if (strcmp(type, "node") == 0 &&
            json_is_true(json_object_get(res, "exclusive")) && json_array_size(with) == 0)
            c->whole = true;
        if (with && !count_tree(with, n, c, depth + 1))
            return false;
    }
    return true;
}

/* The walltime of a JSON jobspec: the given one, else its duration, else
 * the run time; then make the jobspec's duration agree with it, so the
 * engine plans with the time the job is allowed.  Returns 1 when 'js' was
 * changed, 0 when not, ENG_ENOMEM. */
static int settle_duration(json_t *js, int64_t given, wjob_t *job)
{
    json_t *attrs = json_object_get(js, "attributes");
    json_t *sys = json_is_object(attrs) ? json_object_get(attrs, "system") : NULL;
    json_t *dur = json_is_object(sys) ? json_object_get(sys, "duration") : NULL;
    double d = json_is_number(dur) ? json_number_value(dur) : 0;
    if (given >= 1)
        job->walltime_s = given;
    else if (d >= 1 && d <= (double)max_value)
        job->walltime_s = (int64_t)ceil(d);
    else
        job->walltime_s = job->runtime_s >= 1 ? job->runtime_s : 1;
    if (json_is_integer(dur) && json_integer_value(dur) == job->walltime_s)
        return 0; /* agrees already */
    if (dur)      /* a given walltime, or a fraction rounded up, wins */
        return json_object_set_new(sys, "duration", json_integer(job->walltime_s))
                   ? ENG_ENOMEM
                   : 1;
    if ((attrs && !json_is_object(attrs)) || (sys && !json_is_object(sys)))
        return 0; /* malformed: the matching engine says why */
    if (!attrs && json_object_set_new(js, "attributes", attrs = json_object()) != 0)
        return ENG_ENOMEM;
    if (!sys && json_object_set_new(attrs, "system", sys = json_object()) != 0)
        return ENG_ENOMEM;
    return json_object_set_new(sys, "duration", json_integer(job->walltime_s))
               ? ENG_ENOMEM
               : 1;
}

/* The bytes of the top-level object value of 'key' on the current line (a
 * balanced {...}), as a new string; NULL if not found or out of memory. */
static char *raw_object(const struct jreader *r, const char *key)
{
    size_t start = (size_t)key_col(r, key, false) - 1, i = start;
    if (i >= r->len || r->text[i] != '{')
        return NULL;
    int depth = 0;
    while (i < r->len) {
        char c = r->text[i];
        if (c == '"') {
            i = skip_string(r->text, r->len, i);
            continue;
        }
        depth += (c == '{' || c == '[') - (c == '}' || c == ']');
        i++;
        if (depth == 0)
            return strndup(r->text + start, i - start);
    }
    return NULL;
}

/* A JSON jobspec object 'js' (borrowed): counts, walltime, compact text. */
static int take_json(const struct jreader *r, const char *key, json_t *js, int64_t given,
                     wjob_t *job, eng_error_t *err)
{
    struct counts c = {0, 0, 0, false};
    if (count_tree(json_object_get(js, "resources"), 1, &c, 0)) {
        job->nodes = c.nodes;
        job->cores = c.whole && c.cores == 0 ? -1 : c.cores; /* the graph decides */
        job->gpus = c.gpus;
        job->procs = c.cores > 0 ? c.cores : -1;
    }
    /* An inline jobspec used as is keeps the line's own bytes: dumping it
     * again would cost a third of the reading time for nothing. */
    int changed = settle_duration(js, given, job);
    if (changed == 0 && strcmp(key, "jobspec") == 0)
        job->jobspec = raw_object(r, key);
    if (changed >= 0 && !job->jobspec)
        job->jobspec = json_dumps(js, JSON_SORT_KEYS | JSON_COMPACT);
    if (!job->jobspec)
        return fail(r, ENG_ENOMEM, key, false, err, "out of memory");
    return 0;
}

/* Jobspec text (from a string value or a file): JSON object text is taken
 * as JSON; anything else (YAML) is kept verbatim for the matching engine. */
static int take_text(const struct jreader *r, const char *key, const char *text,
                     int64_t given, wjob_t *job, eng_error_t *err)
{
    json_t *js = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
    if (json_is_object(js)) {
        int rc = take_json(r, key, js, given, job, err);
        json_decref(js);
        return rc;
    }
    json_decref(js);
    json_t *check = json_string(text); /* the writer must be able to quote it */
    json_decref(check);
    if (!check)
        return fail(r, ENG_EPARSE, key, false, err, "%s: jobspec is not valid UTF-8",
                    key);
    job->walltime_s = given >= 1 ? given : job->runtime_s >= 1 ? job->runtime_s : 1;
    if (!(job->jobspec = strdup(text)))
        return fail(r, ENG_ENOMEM, key, false, err, "out of memory");
    return 0;
}

static int take_path(const struct jreader *r, const char *rel, int64_t given, wjob_t *job,
                     eng_error_t *err)
{
    size_t n = strlen(r->dir) + strlen(rel) + 2;
    char *path = malloc(n);
    if (!path)
        return fail(r, ENG_ENOMEM, "jobspec_path", false, err, "out of memory");
    snprintf(path, n, "%s%s", rel[0] == '/' ? "" : r->dir, rel);
    eng_error_t e;
    eng_error_clear(&e);
    char *text = fio_read_all(path, JTRACE_MAX_JOBSPEC, NULL, &e);
    free(path);
    if (!text)
        return fail(r, e.code, "jobspec_path", false, err, "jobspec_path: \"%s\": %s",
                    rel, e.text);
    int rc = take_text(r, "jobspec_path", text, given, job, err);
    free(text);
    return rc;
}

static int take_spec(const struct jreader *r, json_t *obj, int64_t given, wjob_t *job,
                     eng_error_t *err)
{
    json_t *v;
    if ((v = json_object_get(obj, "unmappable"))) {
        int reason = wjob_reason_parse(json_string_value(v));
        if (reason <= WJOB_MAPPABLE)
            return fail(r, ENG_EPARSE, "unmappable", false, err,
                        "unmappable: expected a reason such as \"no size\"");
        job->reason = (enum wjob_reason)reason;
        job->walltime_s = given;
        return 0;
    }
    if ((v = json_object_get(obj, "jobspec_path"))) {
        if (!json_is_string(v) || !*json_string_value(v))
            return fail(r, ENG_EPARSE, "jobspec_path", false, err,
                        "jobspec_path: expected a file name, got %s", type_name(v));
        return take_path(r, json_string_value(v), given, job, err);
    }
    v = json_object_get(obj, "jobspec");
    if (json_is_object(v))
        return take_json(r, "jobspec", v, given, job, err);
    if (json_is_string(v))
        return take_text(r, "jobspec", json_string_value(v), given, job, err);
    return fail(r, ENG_EPARSE, "jobspec", false, err,
                "jobspec: expected object or string, got %s", type_name(v));
}

/* The SWF view of a JSON-lines job, so any trace can be written as SWF. */
static void fill_swf(wjob_t *j)
{
    j->swf[WJOB_SWF_ID] = j->id;
    j->swf[WJOB_SWF_SUBMIT] = j->submit_s;
    j->swf[WJOB_SWF_RUNTIME] = j->runtime_s;
    j->swf[WJOB_SWF_REQ_PROCS] = j->procs;
    j->swf[WJOB_SWF_REQ_TIME] = j->walltime_s;
    j->swf[WJOB_SWF_STATUS] = j->status;
    j->swf[WJOB_SWF_USER] = j->user;
    j->swf[WJOB_SWF_GROUP] = j->group;
    j->swf[WJOB_SWF_QUEUE] = j->queue;
}

static int parse_job(struct jreader *r, json_t *obj, wjob_t *job, eng_error_t *err)
{
    int64_t given = -1, procs = -1;
    int rc = check_keys(r, obj, err);
    rc = rc ? rc : get_int(r, obj, "id", true, 0, &job->id, err);
    rc = rc ? rc : get_int(r, obj, "submit", true, 0, &job->submit_s, err);
    rc = rc ? rc : get_int(r, obj, "runtime", true, -max_value, &job->runtime_s, err);
    rc = rc ? rc : get_int(r, obj, "walltime", false, 1, &given, err);
    rc = rc ? rc : get_int(r, obj, "procs", false, 1, &procs, err);
    rc = rc ? rc : get_int(r, obj, "user", false, -1, &job->user, err);
    rc = rc ? rc : get_int(r, obj, "group", false, -1, &job->group, err);
    rc = rc ? rc : get_int(r, obj, "queue", false, -1, &job->queue, err);
    rc = rc ? rc : get_int(r, obj, "status", false, -1, &job->status, err);
    rc = rc ? rc : take_spec(r, obj, given, job, err);
    if (rc)
        return rc;
    if (procs >= 1)
        job->procs = procs;
    if (job->reason == WJOB_MAPPABLE && job->runtime_s < 0) {
        job->reason = job->runtime_s == -1 ? WJOB_NO_RUNTIME : WJOB_NEGATIVE_RUNTIME;
        free(job->jobspec);
        job->jobspec = NULL;
    }
    fill_swf(job);
    return 0;
}

static int parse_meta(struct jreader *r, json_t *obj, eng_error_t *err)
{
    if (r->seen_job)
        return fail(r, ENG_EPARSE, "meta", true, err,
                    "the metadata line must come before the first job");
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        if (strcmp(key, "meta") != 0 && strcmp(key, "submit_offset") != 0)
            return fail(r, ENG_EPARSE, key, true, err, "unknown key \"%s\"", key);
    }
    int64_t offset = 0;
    int rc = get_int(r, obj, "submit_offset", false, -max_value, &offset, err);
    if (rc)
        return rc;
    wtrace_submit_offset_set(r->t, offset);
    json_t *list = json_object_get(obj, "meta"), *pair;
    size_t i;
    if (!json_is_array(list))
        return fail(r, ENG_EPARSE, "meta", false, err, "meta: expected array, got %s",
                    type_name(list));
    json_array_foreach(list, i, pair)
    {
        const char *k = json_string_value(json_array_get(pair, 0));
        const char *val = json_string_value(json_array_get(pair, 1));
        if (json_array_size(pair) != 2 || !k || !val)
            return fail(r, ENG_EPARSE, "meta", false, err,
                        "meta[%zu]: expected [\"key\", \"value\"]", i);
        eng_error_t e;
        eng_error_clear(&e);
        if ((rc = wtrace_meta_add(r->t, k, val, &e)) != 0)
            return fail(r, rc, "meta", false, err, "%s", e.text);
    }
    return 0;
}

static int parse_line(struct jreader *r, eng_error_t *err)
{
    if (r->len > JTRACE_MAX_LINE)
        return eng_errorf(err, ENG_ELIMIT, r->source, r->line, 1,
                          "line longer than %d bytes", (int)JTRACE_MAX_LINE);
    json_error_t jerr;
    json_t *obj = json_loadb(r->text, r->len, JSON_REJECT_DUPLICATES, &jerr);
    if (!obj)
        return eng_errorf(err, ENG_EPARSE, r->source, r->line,
                          jerr.column > 0 ? jerr.column : 1, "%s", jerr.text);
    int rc;
    if (!json_is_object(obj)) {
        rc = fail(r, ENG_EPARSE, NULL, false, err, "expected a JSON object, got %s",
                  type_name(obj));
    } else if (json_object_get(obj, "meta")) {
        rc = parse_meta(r, obj, err);
    } else {
        wjob_t job;
        wjob_init(&job);
        rc = parse_job(r, obj, &job, err);
        eng_error_t e;
        eng_error_clear(&e);
        if (rc == 0 && (rc = wtrace_job_take(r->t, &job, &e)) != 0)
            fail(r, rc, NULL, false, err, "%s", e.text);
        wjob_clear(&job);
        r->seen_job = true;
    }
    json_decref(obj);
    return rc;
}

/* "dir/" of a file 'source', "" for "<string>"-like names and bare names. */
static char *dir_of(const char *source)
{
    const char *slash = source[0] == '<' ? NULL : strrchr(source, '/');
    return strndup(source, slash ? (size_t)(slash - source) + 1 : 0);
}

static bool blank_line(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return false;
    return true;
}

wtrace_t *jtrace_parse(const char *text, const char *source, eng_error_t *err)
{
    eng_error_clear(err);
    if (!text)
        return (void)eng_errorf(err, ENG_EINVAL, source, 0, 0, "no text"), NULL;
    struct jreader r = {.source = source ? source : "<string>"};
    r.dir = dir_of(r.source);
    if (!r.dir || !(r.t = wtrace_create(err))) {
        free(r.dir);
        return (void)eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory"), NULL;
    }
    /* a UTF-8 byte-order mark, as some editors write, is not content */
    if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        r.text = p;
        r.len = nl ? (size_t)(nl - p) : strlen(p);
        r.line++;
        if (!blank_line(p, r.len) && parse_line(&r, err) != 0)
            goto error;
        p = nl ? nl + 1 : p + r.len;
    }
    if (wtrace_finish(r.t, err) != 0)
        goto error;
    free(r.dir);
    return r.t;
error:
    free(r.dir);
    wtrace_destroy(r.t);
    return NULL;
}

wtrace_t *jtrace_load(const char *path, eng_error_t *err)
{
    eng_error_clear(err);
    char *text = fio_read_all(path, (size_t)WTRACE_MAX_FILE_MIB << 20, NULL, err);
    if (!text)
        return NULL;
    wtrace_t *t = jtrace_parse(text, strcmp(path, "-") == 0 ? "<stdin>" : path, err);
    free(text);
    return t;
}

/* A JSON string of 's'.  SWF headers of old logs may hold Latin-1 bytes,
 * which JSON cannot: those bytes become '?' rather than failing the write. */
static json_t *text_value(const char *s)
{
    json_t *v = json_string(s);
    if (v)
        return v;
    char *copy = strdup(s);
    for (char *p = copy; p && *p; p++)
        if ((unsigned char)*p >= 0x80)
            *p = '?';
    v = copy ? json_string(copy) : NULL;
    free(copy);
    return v;
}

static int write_meta(const wtrace_t *t, FILE *fp)
{
    size_t n = wtrace_meta_count(t);
    if (n == 0 && wtrace_submit_offset(t) == 0)
        return 0;
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) {
        const char *k = NULL, *v = NULL;
        wtrace_meta_at(t, i, &k, &v);
        if (json_array_append_new(list,
                                  json_pack("[oo]", text_value(k), text_value(v)))) {
            json_decref(list);
            return ENG_ENOMEM;
        }
    }
    json_t *line = json_pack("{s:o, s:I}", "meta", list, "submit_offset",
                             (json_int_t)wtrace_submit_offset(t));
    char *text = line ? json_dumps(line, JSON_COMPACT) : NULL;
    json_decref(line);
    if (!text)
        return ENG_ENOMEM;
    fprintf(fp, "%s\n", text);
    free(text);
    return 0;
}

/* The processor count a reader infers from the jobspec of 'j' alone: its
 * cores, or -1 (YAML text, whole nodes, no jobspec). */
static int64_t inferred_procs(const wjob_t *j)
{
    if (!wjob_is_mappable(j) || j->jobspec[0] != '{')
        return -1;
    json_t *js = json_loads(j->jobspec, 0, NULL);
    struct counts c = {0, 0, 0, false};
    bool ok =
        json_is_object(js) && count_tree(json_object_get(js, "resources"), 1, &c, 0);
    json_decref(js);
    return ok && c.cores > 0 ? c.cores : -1;
}

static int write_job(const wjob_t *j, FILE *fp)
{
    fprintf(fp, "{\"id\":%" PRId64 ",\"submit\":%" PRId64 ",\"runtime\":%" PRId64, j->id,
            j->submit_s, j->runtime_s);
    if (j->walltime_s >= 1)
        fprintf(fp, ",\"walltime\":%" PRId64, j->walltime_s);
    if (j->procs >= 1 && inferred_procs(j) != j->procs)
        fprintf(fp, ",\"procs\":%" PRId64, j->procs);
    const char *names[] = {"user", "group", "queue", "status"};
    const int64_t values[] = {j->user, j->group, j->queue, j->status};
    for (int i = 0; i < 4; i++)
        if (values[i] >= 0)
            fprintf(fp, ",\"%s\":%" PRId64, names[i], values[i]);
    if (!wjob_is_mappable(j)) {
        fprintf(fp, ",\"unmappable\":\"%s\"}\n", wjob_reason_str(j->reason));
        return 0;
    }
    if (j->jobspec[0] == '{') { /* compact JSON already */
        fprintf(fp, ",\"jobspec\":%s}\n", j->jobspec);
        return 0;
    }
    json_t *s = json_string(j->jobspec);
    char *quoted = s ? json_dumps(s, JSON_ENCODE_ANY) : NULL;
    json_decref(s);
    if (!quoted)
        return ENG_ENOMEM;
    fprintf(fp, ",\"jobspec\":%s}\n", quoted);
    free(quoted);
    return 0;
}

int jtrace_write(const wtrace_t *t, FILE *fp, eng_error_t *err)
{
    if (!t || !fp)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no trace or stream");
    int rc = write_meta(t, fp);
    for (size_t i = 0; rc == 0 && i < wtrace_count(t); i++)
        rc = write_job(wtrace_job(t, i), fp);
    if (rc)
        return eng_errorf(err, rc, NULL, 0, 0, "out of memory writing a trace");
    if (ferror(fp))
        return eng_errorf(err, ENG_EIO, NULL, 0, 0, "write error");
    return 0;
}

int jtrace_dump(const wtrace_t *t, const char *path, eng_error_t *err)
{
    return wtrace_dump(t, path, WTRACE_FORMAT_JSONL, err);
}
