/* jobspec.c: the rules of RFC 14 / RFC 25 jobspecs, as Fluxion's libjobspec
 * applies them, over the positioned document tree of jobspec_doc.c.
 *
 * Where Fluxion (yaml-cpp) is lenient we follow it, so that every jobspec
 * resource-query accepts is accepted here: scalars convert whatever their
 * quoting ("4" is a count), integers read with C's base prefixes as yaml-cpp's
 * stream conversion does (0x10, 010), tasks may carry any key so long as they
 * have 3 to 5, attributes.system may hold any other key (kept), a negative
 * duration parses (the traversal rejects it, as Fluxion's does at match time).
 * Where RFC 14 is explicit and Fluxion merely does not check, we reject,
 * because it catches mistakes no resource-query run depends on: a scalar
 * resource count of 0, unknown keys in a count mapping, an empty type.  The
 * readers differ a little too: repeated mapping keys, NUL characters, invalid
 * UTF-8 and control characters are refused here (yaml-cpp lets them by), and
 * libyaml takes a few flow-style oddities ("a?" keys) that yaml-cpp refuses;
 * the limits of jobspec.h apply.  A differential run of 4,000 mutated
 * jobspecs against Fluxion's flux-jobspec-validate found no other difference.
 * Errors name the key or value at fault rather than the enclosing mapping,
 * which is what Fluxion reports. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fio.h"
#include "jobspec_private.h"

struct jobspec_priv {
    jsarena_t *arena;
    const jsnode_t *attributes; /* NULL when absent or null */
    const jobspec_resource_t **by_index;
};

enum { PATH_MAX_LEN = JOBSPEC_PATH_MAX, GOT_MAX = 48 };

/* ---- error helpers ---------------------------------------------------------- */

int jobspec__fail(jsctx_t *c, int code, const jsnode_t *n, const char *path,
                  const char *fmt, ...)
{
    char text[ENG_ERROR_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    int line = n ? n->line : 0, col = n ? n->column : 0;
    if (path && *path)
        return eng_errorf(c->err, code, c->source, line, col, "%s: %s", path, text);
    return eng_errorf(c->err, code, c->source, line, col, "%s", text);
}

int jobspec__spend(jsctx_t *c, const jsnode_t *n)
{
    if (c->budget == 0)
        return jobspec__fail(c, ENG_ELIMIT, n, NULL,
                             "jobspec expands to more than %d nodes (yaml aliases?)",
                             (int)JOBSPEC_NODES_MAX);
    c->budget--;
    return 0;
}

/* What was found, for "expected X, got Y": a scalar's text (shortened) or the
 * kind of node. */
static const char *got(const jsnode_t *n, char *buf)
{
    if (n->kind != JSN_SCALAR)
        return jobspec__kind_name(n);
    size_t len = strlen(n->text);
    if (len < GOT_MAX)
        snprintf(buf, GOT_MAX + 8, "%s%s%s", n->quoted ? "\"" : "", n->text,
                 n->quoted ? "\"" : "");
    else
        snprintf(buf, GOT_MAX + 8, "%.*s...", GOT_MAX - 4, n->text);
    return buf;
}

static int expect(jsctx_t *c, const jsnode_t *n, const char *path, const char *what)
{
    char buf[GOT_MAX + 8];
    return jobspec__fail(c, ENG_EPARSE, n, path, "expected %s, got %s", what,
                         got(n, buf));
}

/* 'out' = path.key (or key when 'path' is empty), cut to PATH_MAX_LEN - 1
 * bytes: a path deeper than that is shown truncated, never overflowed. */
void jobspec__subpath(char *out, const char *path, const char *key)
{
    size_t n = 0;
    for (const char *p = path; *p && n < PATH_MAX_LEN - 1; p++)
        out[n++] = *p;
    if (*path && n < PATH_MAX_LEN - 1)
        out[n++] = '.';
    for (const char *p = key; *p && n < PATH_MAX_LEN - 1; p++)
        out[n++] = *p;
    out[n] = '\0';
}

/* 'out' = path[i], or path.key[i] when 'key' is not NULL. */
void jobspec__subpath_index(char *out, const char *path, const char *key, size_t i)
{
    char num[32];
    snprintf(num, sizeof num, "[%zu]", i);
    if (key)
        jobspec__subpath(out, path, key);
    else
        jobspec__subpath(out, "", path);
    size_t n = strlen(out);
    for (const char *p = num; *p && n < PATH_MAX_LEN - 1; p++)
        out[n++] = *p;
    out[n] = '\0';
}

/* ---- scalar conversions (as yaml-cpp's as<T>) -------------------------------- */

/* Unsigned integer in 'n' as as<unsigned>: C base prefixes, optional '+', no
 * '-', nothing else around it.  'min'..'max' bound it. */
static bool to_uint(const jsnode_t *n, unsigned long long max, unsigned long long *out)
{
    if (n->kind != JSN_SCALAR)
        return false;
    const char *s = n->text;
    if (!*s || *s == '-' || *s == ' ' || *s == '\t')
        return false;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end || end == s || v > max)
        return false;
    *out = v;
    return true;
}

/* Signed integer as as<int>. */
static bool to_int(const jsnode_t *n, long long min, long long max, long long *out)
{
    if (n->kind != JSN_SCALAR)
        return false;
    const char *s = n->text;
    if (!*s || *s == ' ' || *s == '\t')
        return false;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (errno || *end || end == s || v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* A number as as<double>: YAML's .inf/.nan spellings, or a decimal float.
 * strtod alone would also take hex floats, "inf" and "nan", which yaml-cpp
 * refuses. */
static bool to_double(const jsnode_t *n, double *out)
{
    static const struct {
        const char *text;
        int kind; /* 1 +inf, -1 -inf, 0 nan */
    } special[] = {{".inf", 1},   {".Inf", 1},  {".INF", 1},   {"+.inf", 1},
                   {"+.Inf", 1},  {"+.INF", 1}, {"-.inf", -1}, {"-.Inf", -1},
                   {"-.INF", -1}, {".nan", 0},  {".NaN", 0},   {".NAN", 0}};
    if (n->kind != JSN_SCALAR)
        return false;
    const char *s = n->text;
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        if (strcmp(s, special[i].text) == 0) {
            *out = special[i].kind ? special[i].kind * (double)INFINITY : (double)NAN;
            return true;
        }
    if (!*s || strspn(s, "+-0123456789.eE") != strlen(s))
        return false;
    char *end = NULL;
    *out = strtod(s, &end);
    return end != s && *end == '\0';
}

/* Text of a scalar as as<std::string>: null reads "null". */
static const char *to_text(const jsnode_t *n)
{
    return n->kind == JSN_SCALAR ? n->text : n->kind == JSN_NULL ? "null" : NULL;
}

/* ---- resources ---------------------------------------------------------------- */

static int parse_resources(jsctx_t *c, const jsnode_t *seq, const char *path,
                           jobspec_resource_t *parent, jobspec_resource_t **out,
                           size_t *nout, size_t *next_index);

static int count_field(jsctx_t *c, const jsnode_t *map, const char *path, const char *key,
                       const jsnode_t **out)
{
    *out = jobspec__map_get(map, key);
    if (*out && (*out)->kind != JSN_SCALAR) {
        char sub[PATH_MAX_LEN];
        jobspec__subpath(sub, path, key);
        return expect(c, *out, sub, "a scalar");
    }
    return 0;
}

static int count_keys(jsctx_t *c, const jsnode_t *map, const char *path)
{
    static const char *const keys[] = {"min", "max", "operator", "operand"};
    for (size_t i = 0; i < map->n; i++) {
        const jsnode_t *k = map->items[2 * i];
        bool known = false;
        for (size_t j = 0; j < 4; j++)
            known |= strcmp(k->text, keys[j]) == 0;
        if (!known)
            return jobspec__fail(
                c, ENG_EPARSE, k, path,
                "unknown key \"%s\" (expected min, max, operator, operand)", k->text);
    }
    return 0;
}

static int count_operator(jsctx_t *c, struct jobspec_count *cnt, const jsnode_t *op,
                          const jsnode_t *operand, const jsnode_t *min, const char *path)
{
    char sub[PATH_MAX_LEN];
    jobspec__subpath(sub, path, "operator");
    if (strlen(op->text) != 1 || !strchr("+*^", op->text[0]))
        return expect(c, op, sub, "one of \"+\", \"*\", \"^\"");
    cnt->oper = op->text[0];
    long long v;
    jobspec__subpath(sub, path, "operand");
    if (!to_int(operand, INT32_MIN, INT32_MAX, &v))
        return expect(c, operand, sub, "an integer");
    cnt->operand = (int32_t)v;
    if (cnt->oper == '+' && v < 1)
        return jobspec__fail(c, ENG_EPARSE, operand, sub,
                             "expected integer >= 1 for operator '+', got %lld", v);
    if (cnt->oper != '+' && v < 2)
        return jobspec__fail(c, ENG_EPARSE, operand, sub,
                             "expected integer >= 2 for operator '%c', got %lld",
                             cnt->oper, v);
    jobspec__subpath(sub, path, "min");
    if (cnt->oper == '^' && cnt->min < 2)
        return jobspec__fail(c, ENG_EPARSE, min, sub,
                             "expected integer >= 2 for operator '^', got %u", cnt->min);
    return 0;
}

static int count_mapping(jsctx_t *c, const jsnode_t *n, const char *path,
                         struct jobspec_count *cnt)
{
    const jsnode_t *min, *max, *op, *operand;
    char sub[PATH_MAX_LEN];
    unsigned long long v;
    if (count_keys(c, n, path) || count_field(c, n, path, "min", &min) ||
        count_field(c, n, path, "max", &max) ||
        count_field(c, n, path, "operator", &op) ||
        count_field(c, n, path, "operand", &operand))
        return -1;
    if (!min)
        return jobspec__fail(c, ENG_EPARSE, n, path, "missing key \"min\"");
    if ((max || op || operand) && !(max && op && operand))
        return jobspec__fail(c, ENG_EPARSE, n, path,
                             "give all or none of \"max\", \"operator\", \"operand\"");
    jobspec__subpath(sub, path, "min");
    if (!to_uint(min, UINT32_MAX, &v) || v < 1)
        return expect(c, min, sub, "integer >= 1");
    *cnt = (struct jobspec_count){(uint32_t)v, UINT32_MAX, '+', 1};
    if (!max)
        return 0;
    jobspec__subpath(sub, path, "max");
    if (!to_uint(max, UINT32_MAX, &v) || v < cnt->min) {
        char buf[GOT_MAX + 8];
        return jobspec__fail(c, ENG_EPARSE, max, sub,
                             "expected integer >= min (%u), got %s", cnt->min,
                             got(max, buf));
    }
    cnt->max = (uint32_t)v;
    return count_operator(c, cnt, op, operand, min, path);
}

static int parse_count(jsctx_t *c, const jsnode_t *n, const char *path,
                       struct jobspec_count *cnt)
{
    char sub[PATH_MAX_LEN];
    jobspec__subpath(sub, path, "count");
    if (n->kind == JSN_MAP)
        return count_mapping(c, n, sub, cnt);
    unsigned long long v;
    if (!to_uint(n, UINT32_MAX, &v) || v < 1) {
        if (n->kind == JSN_SCALAR)
            return expect(c, n, sub, "integer >= 1");
        return expect(c, n, sub, "integer >= 1 or a mapping");
    }
    *cnt = (struct jobspec_count){(uint32_t)v, (uint32_t)v, '+', 1};
    return 0;
}

/* A scalar field of a resource ('unit', 'label', 'id'): its text or "". */
static int scalar_field(jsctx_t *c, const jsnode_t *map, const char *path,
                        const char *key, const char **out)
{
    const jsnode_t *v = jobspec__map_get(map, key);
    *out = "";
    if (!v)
        return 0;
    if (v->kind != JSN_SCALAR) {
        char sub[PATH_MAX_LEN];
        jobspec__subpath(sub, path, key);
        return expect(c, v, sub, "a string");
    }
    *out = v->text;
    return 0;
}

static int resource_keys(jsctx_t *c, const jsnode_t *map, const char *path)
{
    static const char *const keys[] = {"type", "count", "unit", "exclusive",
                                       "with", "label", "id"};
    for (size_t i = 0; i < map->n; i++) {
        const jsnode_t *k = map->items[2 * i];
        bool known = false;
        for (size_t j = 0; j < sizeof keys / sizeof keys[0]; j++)
            known |= strcmp(k->text, keys[j]) == 0;
        if (!known)
            return jobspec__fail(c, ENG_EPARSE, k, path, "unknown key \"%s\" in resource",
                                 k->text);
    }
    return 0;
}

static int resource_type(jsctx_t *c, const jsnode_t *map, const char *path,
                         jobspec_resource_t *r)
{
    const jsnode_t *t = jobspec__map_get(map, "type");
    if (!t)
        return jobspec__fail(c, ENG_EPARSE, map, path, "missing key \"type\"");
    char sub[PATH_MAX_LEN];
    jobspec__subpath(sub, path, "type");
    if (t->kind != JSN_SCALAR || !*t->text)
        return expect(c, t, sub, "a non-empty string");
    r->type = t->text;
    r->is_slot = strcmp(t->text, "slot") == 0;
    return 0;
}

static int resource_exclusive(jsctx_t *c, const jsnode_t *map, const char *path,
                              jobspec_resource_t *r)
{
    const jsnode_t *x = jobspec__map_get(map, "exclusive");
    if (!x)
        return 0;
    char sub[PATH_MAX_LEN];
    jobspec__subpath(sub, path, "exclusive");
    if (x->kind == JSN_SCALAR && strcmp(x->text, "true") == 0)
        r->exclusive = JOBSPEC_EXCL_TRUE;
    else if (x->kind == JSN_SCALAR && strcmp(x->text, "false") == 0)
        r->exclusive = JOBSPEC_EXCL_FALSE;
    else
        return expect(c, x, sub, "true or false");
    return 0;
}

static int parse_resource(jsctx_t *c, const jsnode_t *n, const char *path,
                          jobspec_resource_t *r, size_t *next_index)
{
    if (jobspec__spend(c, n))
        return -1;
    if (n->kind != JSN_MAP)
        return expect(c, n, path, "a resource mapping");
    if (*next_index >= JOBSPEC_RESOURCES_MAX)
        return jobspec__fail(c, ENG_ELIMIT, n, path, "more than %d resources",
                             (int)JOBSPEC_RESOURCES_MAX);
    r->index = (uint32_t)(*next_index)++;
    r->line = n->line;
    r->column = n->column;
    const jsnode_t *cnt = jobspec__map_get(n, "count");
    if (resource_keys(c, n, path) || resource_type(c, n, path, r))
        return -1;
    if (!cnt)
        return jobspec__fail(c, ENG_EPARSE, n, path, "missing key \"count\"");
    if (parse_count(c, cnt, path, &r->count) ||
        scalar_field(c, n, path, "unit", &r->unit) || resource_exclusive(c, n, path, r) ||
        scalar_field(c, n, path, "label", &r->label) ||
        scalar_field(c, n, path, "id", &r->id))
        return -1;
    if (r->is_slot && !jobspec__map_get(n, "label"))
        return jobspec__fail(c, ENG_EPARSE, n, path,
                             "missing key \"label\" (required on slot)");
    const jsnode_t *with = jobspec__map_get(n, "with");
    if (!with)
        return 0;
    char sub[PATH_MAX_LEN];
    jobspec__subpath(sub, path, "with");
    jobspec_resource_t *kids = NULL;
    if (parse_resources(c, with, sub, r, &kids, &r->nwith, next_index))
        return -1;
    r->with = kids;
    return 0;
}

static int parse_resources(jsctx_t *c, const jsnode_t *seq, const char *path,
                           jobspec_resource_t *parent, jobspec_resource_t **out,
                           size_t *nout, size_t *next_index)
{
    if (seq->kind != JSN_SEQ)
        return expect(c, seq, path, "a sequence of resources");
    uint32_t depth = parent ? parent->depth + 1 : 0;
    if (depth >= JOBSPEC_DEPTH_MAX)
        return jobspec__fail(c, ENG_ELIMIT, seq, path, "resources nested deeper than %d",
                             (int)JOBSPEC_DEPTH_MAX);
    if (seq->n == 0)
        return 0;
    jobspec_resource_t *rs = jobspec__arena_alloc(c->arena, seq->n * sizeof *rs);
    if (!rs)
        return jobspec__fail(c, ENG_ENOMEM, seq, path, "out of memory");
    *out = rs;
    char sub[PATH_MAX_LEN];
    for (size_t i = 0; i < seq->n; i++) {
        jobspec__subpath_index(sub, path, NULL, i);
        rs[i].parent = parent;
        rs[i].depth = depth;
        if (parse_resource(c, seq->items[i], sub, &rs[i], next_index))
            return -1;
        *nout = i + 1;
    }
    return 0;
}

static void index_resources(const jobspec_resource_t *rs, size_t n,
                            const jobspec_resource_t **by_index)
{
    for (size_t i = 0; i < n; i++) {
        by_index[rs[i].index] = &rs[i];
        index_resources(rs[i].with, rs[i].nwith, by_index);
    }
}

/* ---- tasks -------------------------------------------------------------------- */

static int task_command(jsctx_t *c, const jsnode_t *map, const char *path,
                        jobspec_task_t *t)
{
    const jsnode_t *cmd = jobspec__map_get(map, "command");
    char sub[PATH_MAX_LEN];
    jobspec__subpath(sub, path, "command");
    if (!cmd)
        return jobspec__fail(c, ENG_EPARSE, map, path, "missing key \"command\"");
    if (cmd->kind != JSN_SEQ)
        return expect(c, cmd, sub, "a sequence of strings");
    const char **argv = jobspec__arena_alloc(c->arena, (cmd->n + 1) * sizeof *argv);
    if (!argv)
        return jobspec__fail(c, ENG_ENOMEM, cmd, sub, "out of memory");
    for (size_t i = 0; i < cmd->n; i++) {
        if (!(argv[i] = to_text(cmd->items[i]))) {
            jobspec__subpath_index(sub, path, "command", i);
            return expect(c, cmd->items[i], sub, "a string");
        }
    }
    t->command = argv;
    t->ncommand = cmd->n;
    return 0;
}

/* A mapping of scalars into two parallel arrays (task attributes, environment). */
static int string_map(jsctx_t *c, const jsnode_t *map, const char *path,
                      const char *const **keys, const char *const **values, size_t *n)
{
    /* yaml-cpp iterates a scalar as an empty map, so Fluxion takes one */
    if (map->kind == JSN_NULL || map->kind == JSN_SCALAR)
        return 0;
    if (map->kind != JSN_MAP)
        return expect(c, map, path, "a mapping");
    const char **k = jobspec__arena_alloc(c->arena, (map->n + 1) * sizeof *k);
    const char **v = jobspec__arena_alloc(c->arena, (map->n + 1) * sizeof *v);
    if (!k || !v)
        return jobspec__fail(c, ENG_ENOMEM, map, path, "out of memory");
    for (size_t i = 0; i < map->n; i++) {
        k[i] = map->items[2 * i]->text;
        if (!(v[i] = to_text(map->items[2 * i + 1]))) {
            char sub[PATH_MAX_LEN];
            jobspec__subpath(sub, path, k[i]);
            return expect(c, map->items[2 * i + 1], sub, "a string");
        }
    }
    *keys = k;
    *values = v;
    *n = map->n;
    return 0;
}

static int task_count(jsctx_t *c, const jsnode_t *map, const char *path,
                      jobspec_task_t *t)
{
    const jsnode_t *cnt = jobspec__map_get(map, "count");
    t->count_key = t->count_value = "";
    if (!cnt)
        return 0;
    char sub[PATH_MAX_LEN];
    jobspec__subpath(sub, path, "count");
    if (cnt->kind != JSN_MAP)
        return expect(c, cnt, sub, "a mapping with one of per_slot, total");
    if (cnt->n != 1)
        return jobspec__fail(c, ENG_EPARSE, cnt, sub,
                             "expected exactly one entry (per_slot or total), got %zu",
                             cnt->n);
    const jsnode_t *k = cnt->items[0], *v = cnt->items[1];
    t->count_key = k->text;
    if (!(t->count_value = to_text(v))) {
        char sub2[PATH_MAX_LEN];
        jobspec__subpath(sub2, sub, k->text);
        return expect(c, v, sub2, "an integer");
    }
    t->count_kind = strcmp(k->text, "per_slot") == 0 ? JOBSPEC_TASK_COUNT_PER_SLOT
                    : strcmp(k->text, "total") == 0  ? JOBSPEC_TASK_COUNT_TOTAL
                                                     : JOBSPEC_TASK_COUNT_OTHER;
    long long nv;
    if (to_int(v, INT64_MIN, INT64_MAX, &nv))
        t->count = nv;
    return 0;
}

static int parse_task(jsctx_t *c, const jsnode_t *n, const char *path, jobspec_task_t *t)
{
    if (n->kind != JSN_MAP)
        return expect(c, n, path, "a task mapping");
    if (task_command(c, n, path, t))
        return -1;
    const jsnode_t *slot = jobspec__map_get(n, "slot");
    char sub[PATH_MAX_LEN];
    jobspec__subpath(sub, path, "slot");
    if (!slot)
        return jobspec__fail(c, ENG_EPARSE, n, path, "missing key \"slot\"");
    if (slot->kind != JSN_SCALAR)
        return expect(c, slot, sub, "a slot label");
    t->slot = slot->text;
    if (task_count(c, n, path, t) ||
        scalar_field(c, n, path, "distribution", &t->distribution))
        return -1;
    const jsnode_t *attrs = jobspec__map_get(n, "attributes");
    jobspec__subpath(sub, path, "attributes");
    if (attrs && (attrs->kind != JSN_MAP ? expect(c, attrs, sub, "a mapping")
                                         : string_map(c, attrs, sub, &t->attr_keys,
                                                      &t->attr_values, &t->nattrs)))
        return -1;
    /* Fluxion's rule: command, slot and 1 to 3 of count, distribution,
     * attributes or anything else. */
    if (n->n == 2)
        return jobspec__fail(c, ENG_EPARSE, n, path, "missing key \"count\"");
    if (n->n < 3 || n->n > 5)
        return jobspec__fail(c, ENG_EPARSE, n, path,
                             "expected 3 to 5 keys (command, slot, count, distribution, "
                             "attributes), got %zu",
                             n->n);
    return 0;
}

static int parse_tasks(jsctx_t *c, const jsnode_t *seq, jobspec_t *js)
{
    if (seq->kind != JSN_SEQ)
        return expect(c, seq, "tasks", "a sequence of tasks");
    if (seq->n == 0)
        return 0;
    jobspec_task_t *ts = jobspec__arena_alloc(c->arena, seq->n * sizeof *ts);
    if (!ts)
        return jobspec__fail(c, ENG_ENOMEM, seq, "tasks", "out of memory");
    js->tasks = ts;
    char sub[PATH_MAX_LEN];
    for (size_t i = 0; i < seq->n; i++) {
        jobspec__subpath_index(sub, "tasks", NULL, i);
        if (jobspec__spend(c, seq->items[i]) || parse_task(c, seq->items[i], sub, &ts[i]))
            return -1;
        js->ntasks = i + 1;
    }
    return 0;
}

/* ---- attributes ------------------------------------------------------------- */

static int system_entry(jsctx_t *c, const jsnode_t *k, const jsnode_t *v,
                        jobspec_system_t *sys)
{
    char sub[PATH_MAX_LEN];
    jobspec__subpath(sub, "attributes.system", k->text);
    if (strcmp(k->text, "duration") == 0) {
        if (!to_double(v, &sys->duration))
            return expect(c, v, sub, "a number of seconds");
    } else if (strcmp(k->text, "queue") == 0 || strcmp(k->text, "cwd") == 0) {
        const char *s = to_text(v);
        if (!s)
            return expect(c, v, sub, "a string");
        *(k->text[0] == 'q' ? &sys->queue : &sys->cwd) = s;
    } else if (strcmp(k->text, "environment") == 0) {
        return string_map(c, v, sub, &sys->env_keys, &sys->env_values, &sys->nenv);
    } else if (strcmp(k->text, "constraints") == 0) {
        return jobspec__constraint_parse(c, v, sub, &sys->constraint);
    }
    return 0; /* any other key is kept in the document (jobspec_attr_get) */
}

static int parse_attributes(jsctx_t *c, const jsnode_t *attrs, jobspec_t *js)
{
    if (attrs->kind == JSN_NULL)
        return 0;
    if (attrs->kind != JSN_MAP)
        return expect(c, attrs, "attributes", "a mapping");
    for (size_t i = 0; i < attrs->n; i++) {
        const jsnode_t *k = attrs->items[2 * i], *v = attrs->items[2 * i + 1];
        if (strcmp(k->text, "user") == 0)
            continue;
        if (strcmp(k->text, "system") != 0)
            return jobspec__fail(c, ENG_EPARSE, k, "attributes",
                                 "unknown key \"%s\" (expected system, user)", k->text);
        if (v->kind == JSN_NULL || v->kind == JSN_SCALAR)
            continue; /* as yaml-cpp: a scalar iterates as an empty map */
        if (v->kind != JSN_MAP)
            return expect(c, v, "attributes.system", "a mapping");
        for (size_t j = 0; j < v->n; j++)
            if (system_entry(c, v->items[2 * j], v->items[2 * j + 1], &js->system))
                return -1;
    }
    return 0;
}

/* ---- top level ---------------------------------------------------------------- */

static int parse_top(jsctx_t *c, const jsnode_t *top, jobspec_t *js)
{
    static const char *const keys[] = {"version", "resources", "tasks", "attributes"};
    if (top->kind != JSN_MAP)
        return expect(c, top, "jobspec", "a mapping");
    for (size_t i = 0; i < top->n; i++) {
        const jsnode_t *k = top->items[2 * i];
        bool known = false;
        for (size_t j = 0; j < 4; j++)
            known |= strcmp(k->text, keys[j]) == 0;
        if (!known)
            return jobspec__fail(c, ENG_EPARSE, k, NULL,
                                 "unknown top-level key \"%s\" (expected version, "
                                 "resources, tasks, attributes)",
                                 k->text);
    }
    for (size_t j = 0; j < 4; j++)
        if (!jobspec__map_get(top, keys[j]))
            return jobspec__fail(c, ENG_EPARSE, top, NULL, "missing top-level key \"%s\"",
                                 keys[j]);
    const jsnode_t *ver = jobspec__map_get(top, "version");
    unsigned long long v;
    if (!to_uint(ver, UINT32_MAX, &v) || v < 1 || v > 9999)
        return expect(c, ver, "version", "integer from 1 to 9999");
    js->version = (unsigned)v;
    const jsnode_t *attrs = jobspec__map_get(top, "attributes");
    if (parse_attributes(c, attrs, js))
        return -1;
    js->priv->attributes = attrs->kind == JSN_MAP ? attrs : NULL;
    size_t next_index = 0;
    jobspec_resource_t *rs = NULL;
    if (parse_resources(c, jobspec__map_get(top, "resources"), "resources", NULL, &rs,
                        &js->nresources, &next_index))
        return -1;
    js->resources = rs;
    js->nresources_total = next_index;
    return parse_tasks(c, jobspec__map_get(top, "tasks"), js);
}

static jobspec_t *parse_in(jsarena_t *a, const char *text, size_t len, const char *source,
                           eng_error_t *err)
{
    jsctx_t c = {.arena = a, .source = source, .err = err, .budget = JOBSPEC_NODES_MAX};
    jobspec_t *js = jobspec__arena_alloc(a, sizeof *js);
    jobspec_priv_t *priv = jobspec__arena_alloc(a, sizeof *priv);
    if (!js || !priv) {
        eng_errorf(err, ENG_ENOMEM, source, 0, 0, "out of memory");
        return NULL;
    }
    js->priv = priv;
    priv->arena = a;
    js->system.queue = js->system.cwd = "";
    const jsnode_t *root = jobspec__doc_parse(a, text, len, source, err);
    if (!root || parse_top(&c, root, js))
        return NULL;
    if (js->nresources_total) {
        priv->by_index =
            jobspec__arena_alloc(a, js->nresources_total * sizeof *priv->by_index);
        if (!priv->by_index) {
            eng_errorf(err, ENG_ENOMEM, source, 0, 0, "out of memory");
            return NULL;
        }
        index_resources(js->resources, js->nresources, priv->by_index);
    }
    return js;
}

static jobspec_t *parse_with(const char *text, size_t len, const char *source,
                             bool limited, size_t n, eng_error_t *err)
{
    eng_error_clear(err);
    if (!source)
        source = "<string>";
    if (!text) {
        eng_errorf(err, ENG_EINVAL, source, 0, 0, "no jobspec text");
        return NULL;
    }
    if (len > JOBSPEC_TEXT_MAX) {
        eng_errorf(err, ENG_ELIMIT, source, 0, 0, "jobspec larger than %d bytes",
                   (int)JOBSPEC_TEXT_MAX);
        return NULL;
    }
    jsarena_t *a = jobspec__arena_create();
    if (!a) {
        eng_errorf(err, ENG_ENOMEM, source, 0, 0, "out of memory");
        return NULL;
    }
    if (limited)
        jobspec__arena_fail_after(a, n);
    jobspec_t *js = parse_in(a, text, len, source, err);
    if (!js)
        jobspec__arena_destroy(a);
    return js;
}

jobspec_t *jobspec_parse(const char *text, size_t len, const char *source,
                         eng_error_t *err)
{
    return parse_with(text, len, source, false, 0, err);
}

jobspec_t *jobspec__parse_failing(const char *text, size_t len, size_t n,
                                  eng_error_t *err)
{
    return parse_with(text, len, "<test>", true, n, err);
}

jobspec_t *jobspec_load(const char *path, eng_error_t *err)
{
    eng_error_clear(err);
    if (!path) {
        eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no jobspec path");
        return NULL;
    }
    size_t len = 0;
    char *text = fio_read_all(path, JOBSPEC_TEXT_MAX, &len, err);
    if (!text)
        return NULL;
    jobspec_t *js = jobspec_parse(text, len, path, err);
    free(text);
    return js;
}

void jobspec_destroy(jobspec_t *js)
{
    if (js)
        jobspec__arena_destroy(js->priv->arena);
}

const jobspec_resource_t *jobspec_resource_at(const jobspec_t *js, size_t index)
{
    if (!js || index >= js->nresources_total)
        return NULL;
    return js->priv->by_index[index];
}

const char *jobspec_attr_get(const jobspec_t *js, const char *path)
{
    if (!js || !path)
        return NULL;
    const jsnode_t *n = js->priv->attributes;
    char key[256];
    while (n && *path) {
        size_t len = strcspn(path, ".");
        if (len >= sizeof key)
            return NULL;
        memcpy(key, path, len);
        key[len] = '\0';
        n = jobspec__map_get(n, key);
        path += len + (path[len] == '.');
    }
    return n && n->kind == JSN_SCALAR ? n->text : NULL;
}
