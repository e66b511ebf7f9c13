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

enum { PATH_MAX_LEN = JOBSPEC_PATH_MAX };

/* ---- tasks -------------------------------------------------------------------- */

static int task_command(jsctx_t *c, const jsnode_t *map, const char *path,
                        jobspec_task_t *t)
{
    const jsnode_t *cmd = jobspec__map_get(map, "command");
    char sub[PATH_MAX_LEN];
    jobspec__subpath(sub, path, "command");
    if (!cmd)
        return jobspec__failx(c, map, path, "Key \"command\" missing from task",
                              "missing key \"command\"");
    if (cmd->kind != JSN_SEQ)
        return jobspec__expect(c, cmd, sub, "a sequence of strings",
                               "\"command\" value must be a sequence");
    const char **argv = jobspec__arena_alloc(c->arena, (cmd->n + 1) * sizeof *argv);
    if (!argv)
        return jobspec__fail(c, ENG_ENOMEM, cmd, sub, "out of memory");
    for (size_t i = 0; i < cmd->n; i++) {
        if (!(argv[i] = jobspec__to_text(cmd->items[i]))) {
            jobspec__subpath_index(sub, path, "command", i);
            return jobspec__expect(c, cmd->items[i], sub, "a string", jobspec__badconv);
        }
    }
    t->command = argv;
    t->ncommand = cmd->n;
    return 0;
}

/* What yaml-cpp does when a map is iterated: a scalar or null gives no
 * entries, a sequence throws on its first entry ("invalid node"). */
static int not_a_map(jsctx_t *c, const jsnode_t *n, const char *path, bool *skip)
{
    *skip = n->kind == JSN_NULL || n->kind == JSN_SCALAR ||
            (c->fluxion && n->kind == JSN_SEQ && n->n == 0);
    if (*skip || n->kind == JSN_MAP)
        return 0;
    return jobspec__expect(c, n, path, "a mapping",
                           "invalid node; this may result from using a map iterator as a "
                           "sequence iterator, or vice-versa");
}

/* A mapping of scalars into two parallel arrays (task attributes, environment). */
static int string_map(jsctx_t *c, const jsnode_t *map, const char *path,
                      const char *const **keys, const char *const **values, size_t *n)
{
    bool skip;
    if (not_a_map(c, map, path, &skip) || skip)
        return skip ? 0 : -1;
    const char **k = jobspec__arena_alloc(c->arena, (map->n + 1) * sizeof *k);
    const char **v = jobspec__arena_alloc(c->arena, (map->n + 1) * sizeof *v);
    if (!k || !v)
        return jobspec__fail(c, ENG_ENOMEM, map, path, "out of memory");
    for (size_t i = 0; i < map->n; i++) {
        k[i] = map->items[2 * i]->text;
        if (!(v[i] = jobspec__to_text(map->items[2 * i + 1]))) {
            char sub[PATH_MAX_LEN];
            jobspec__subpath(sub, path, k[i]);
            return jobspec__expect(c, map->items[2 * i + 1], sub, "a string",
                                   jobspec__badconv);
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
        return jobspec__expect(c, cnt, sub, "a mapping with one of per_slot, total",
                               "\"count\" in task is not a mapping");
    if (cnt->n != 1)
        return jobspec__failx(
            c, cnt, sub, "\"count\" in task must have exactly one entry",
            "expected exactly one entry (per_slot or total), got %zu", cnt->n);
    const jsnode_t *k = cnt->items[0], *v = cnt->items[1];
    t->count_key = k->text;
    if (!(t->count_value = jobspec__to_text(v))) {
        char sub2[PATH_MAX_LEN];
        jobspec__subpath(sub2, sub, k->text);
        return jobspec__expect(c, v, sub2, "an integer", jobspec__badconv);
    }
    t->count_kind = strcmp(k->text, "per_slot") == 0 ? JOBSPEC_TASK_COUNT_PER_SLOT
                    : strcmp(k->text, "total") == 0  ? JOBSPEC_TASK_COUNT_TOTAL
                                                     : JOBSPEC_TASK_COUNT_OTHER;
    long long nv;
    if (jobspec__to_int(v, INT64_MIN, INT64_MAX, &nv))
        t->count = nv;
    return 0;
}

static int task_slot(jsctx_t *c, const jsnode_t *map, const char *path, jobspec_task_t *t)
{
    const jsnode_t *slot = jobspec__map_get(map, "slot");
    char sub[PATH_MAX_LEN];
    jobspec__subpath(sub, path, "slot");
    if (!slot)
        return jobspec__failx(c, map, path, "Key \"slot\" missing from task",
                              "missing key \"slot\"");
    if (slot->kind != JSN_SCALAR)
        return jobspec__expect(c, slot, sub, "a slot label",
                               "Value of task \"slot\" must be a YAML scalar");
    t->slot = slot->text;
    return 0;
}

static int task_extras(jsctx_t *c, const jsnode_t *map, const char *path,
                       jobspec_task_t *t)
{
    char sub[PATH_MAX_LEN];
    const jsnode_t *d = jobspec__map_get(map, "distribution");
    t->distribution = "";
    jobspec__subpath(sub, path, "distribution");
    if (d && d->kind != JSN_SCALAR)
        return jobspec__expect(c, d, sub, "a string",
                               "Value of task \"distribution\" must be a YAML scalar");
    if (d)
        t->distribution = d->text;
    const jsnode_t *attrs = jobspec__map_get(map, "attributes");
    jobspec__subpath(sub, path, "attributes");
    if (attrs && attrs->kind != JSN_MAP)
        return jobspec__expect(c, attrs, sub, "a mapping",
                               "\"attributes\" in task is not a mapping");
    if (attrs)
        return string_map(c, attrs, sub, &t->attr_keys, &t->attr_values, &t->nattrs);
    return 0;
}

static int parse_task(jsctx_t *c, const jsnode_t *n, const char *path, jobspec_task_t *t)
{
    if (n->kind != JSN_MAP)
        return jobspec__expect(c, n, path, "a task mapping", "task is not a mapping");
    if (task_command(c, n, path, t) || task_slot(c, n, path, t) ||
        task_count(c, n, path, t) || task_extras(c, n, path, t))
        return -1;
    /* Fluxion's rule: command, slot and 1 to 3 of count, distribution,
     * attributes or anything else. */
    const char *fluxion = "impossible number of entries in task mapping";
    if (n->n == 2)
        return jobspec__failx(c, n, path, fluxion, "missing key \"count\"");
    if (n->n < 3 || n->n > 5)
        return jobspec__failx(c, n, path, fluxion,
                              "expected 3 to 5 keys (command, slot, count, distribution, "
                              "attributes), got %zu",
                              n->n);
    return 0;
}

static int parse_tasks(jsctx_t *c, const jsnode_t *seq, jobspec_t *js)
{
    if (seq->kind != JSN_SEQ)
        return jobspec__expect(c, seq, "tasks", "a sequence of tasks",
                               "\"tasks\" is not a sequence");
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
        if (!jobspec__to_double(v, &sys->duration))
            return jobspec__expect(c, v, sub, "a number of seconds", jobspec__badconv);
    } else if (strcmp(k->text, "queue") == 0 || strcmp(k->text, "cwd") == 0) {
        const char *s = jobspec__to_text(v);
        if (!s)
            return jobspec__expect(c, v, sub, "a string", jobspec__badconv);
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
        return jobspec__expect(c, attrs, "attributes", "a mapping",
                               "\"attributes\" is not a map");
    for (size_t i = 0; i < attrs->n; i++) {
        const jsnode_t *k = attrs->items[2 * i], *v = attrs->items[2 * i + 1];
        if (strcmp(k->text, "user") == 0)
            continue;
        if (strcmp(k->text, "system") != 0)
            return jobspec__failx(c, k, "attributes", "Unknown key in \"attributes\"",
                                  "unknown key \"%s\" (expected system, user)", k->text);
        bool skip;
        if (not_a_map(c, v, "attributes.system", &skip))
            return -1;
        for (size_t j = 0; !skip && j < v->n; j++)
            if (system_entry(c, v->items[2 * j], v->items[2 * j + 1], &js->system))
                return -1;
    }
    return 0;
}

/* ---- top level ---------------------------------------------------------------- */

static int top_keys(jsctx_t *c, const jsnode_t *top)
{
    static const char *const keys[] = {"version", "resources", "tasks", "attributes"};
    static const char *const missing[] = {
        "Missing key \"version\" in top level mapping",
        "Missing key \"resource\" in top level mapping", /* sic, Fluxion's text */
        "Missing key \"tasks\" in top level mapping",
        "Missing key \"attributes\" in top level mapping"};
    for (size_t j = 0; j < 4; j++)
        if (!jobspec__map_get(top, keys[j]))
            return jobspec__failx(c, top, NULL, missing[j],
                                  "missing top-level key \"%s\"", keys[j]);
    for (size_t i = 0; i < top->n && top->n != 4; i++) {
        const jsnode_t *k = top->items[2 * i];
        bool known = false;
        for (size_t j = 0; j < 4; j++)
            known |= strcmp(k->text, keys[j]) == 0;
        if (!known || c->fluxion)
            return jobspec__failx(c, k, NULL,
                                  "Top mapping in jobspec must have exactly four entries",
                                  "unknown top-level key \"%s\" (expected version, "
                                  "resources, tasks, attributes)",
                                  k->text);
    }
    return 0;
}

static int top_version(jsctx_t *c, const jsnode_t *top, jobspec_t *js)
{
    const jsnode_t *ver = jobspec__map_get(top, "version");
    const char *what = "integer from 1 to 9999";
    unsigned long long v;
    if (ver->kind != JSN_SCALAR)
        return jobspec__expect(c, ver, "version", what,
                               "\"version\" must be an unsigned integer");
    if (!jobspec__to_uint(ver, UINT32_MAX, &v))
        return jobspec__expect(c, ver, "version", what, jobspec__badconv);
    if (v < 1 || v > 9999)
        return jobspec__expect(c, ver, "version", what,
                               "Only jobspec \"version\" 1-9999 is supported");
    js->version = (unsigned)v;
    return 0;
}

static int parse_top(jsctx_t *c, const jsnode_t *top, jobspec_t *js)
{
    if (top->kind != JSN_MAP)
        return jobspec__expect(c, top, "jobspec", "a mapping",
                               "Top level of jobspec is not a mapping");
    if (top_keys(c, top) || top_version(c, top, js))
        return -1;
    /* attributes before resources and tasks, in Fluxion's order */
    const jsnode_t *attrs = jobspec__map_get(top, "attributes");
    if (parse_attributes(c, attrs, js))
        return -1;
    js->priv->attributes = attrs->kind == JSN_MAP ? attrs : NULL;
    size_t next_index = 0;
    jobspec_resource_t *rs = NULL;
    if (jobspec__parse_resources(c, jobspec__map_get(top, "resources"), "resources", NULL,
                                 &rs, &js->nresources, &next_index))
        return -1;
    js->resources = rs;
    js->nresources_total = next_index;
    return parse_tasks(c, jobspec__map_get(top, "tasks"), js);
}

static jobspec_t *parse_in(jsarena_t *a, const char *text, size_t len, const char *source,
                           unsigned flags, eng_error_t *err)
{
    jsctx_t c = {.arena = a,
                 .source = source,
                 .err = err,
                 .budget = JOBSPEC_NODES_MAX,
                 .fluxion = (flags & JOBSPEC_FLUXION) != 0};
    jobspec_t *js = jobspec__arena_alloc(a, sizeof *js);
    jobspec_priv_t *priv = jobspec__arena_alloc(a, sizeof *priv);
    if (!js || !priv) {
        eng_errorf(err, ENG_ENOMEM, source, 0, 0, "out of memory");
        return NULL;
    }
    js->priv = priv;
    priv->arena = a;
    js->system.queue = js->system.cwd = "";
    const jsnode_t *root = jobspec__doc_parse(a, text, len, source, c.fluxion, err);
    if (!root || parse_top(&c, root, js))
        return NULL;
    if (js->nresources_total) {
        priv->by_index =
            jobspec__arena_alloc(a, js->nresources_total * sizeof *priv->by_index);
        if (!priv->by_index) {
            eng_errorf(err, ENG_ENOMEM, source, 0, 0, "out of memory");
            return NULL;
        }
        jobspec__index_resources(js->resources, js->nresources, priv->by_index);
    }
    return js;
}

static jobspec_t *parse_with(const char *text, size_t len, const char *source,
                             unsigned flags, bool limited, size_t n, eng_error_t *err)
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
    jobspec_t *js = parse_in(a, text, len, source, flags, err);
    if (!js)
        jobspec__arena_destroy(a);
    return js;
}

jobspec_t *jobspec_parse(const char *text, size_t len, const char *source,
                         eng_error_t *err)
{
    return parse_with(text, len, source, 0, false, 0, err);
}

jobspec_t *jobspec_parse_ex(const char *text, size_t len, const char *source,
                            unsigned flags, eng_error_t *err)
{
    return parse_with(text, len, source, flags, false, 0, err);
}

jobspec_t *jobspec__parse_failing(const char *text, size_t len, unsigned flags, size_t n,
                                  eng_error_t *err)
{
    return parse_with(text, len, "<test>", flags, true, n, err);
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
