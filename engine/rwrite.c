/* rwrite.c: Fluxion-compatible match writers (simple, pretty_simple, JGF and
 * its shorthand, and the RFC 20 R envelopes).  See rwrite.h for the contract
 * and rwrite_rlite.c for R_lite.
 *
 * The JSON is built with jansson and dumped with JSON_INDENT(0), as Fluxion
 * does, so key order (insertion order) and separators come out identical.
 * The simple formats append to a text buffer: no JSON, no per-vertex
 * allocation beyond the buffer's growth. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rwrite_private.h"
#include "sbuf.h"

struct rwrite {
    enum rwrite_format fmt;
    struct sbuf text; /* simple */
    char **lines;     /* pretty_simple: one string per vertex, emit order */
    size_t nlines, caplines;
    json_t *nodes; /* JGF formats */
    json_t *edges;
    bool incomplete; /* jgf_shorthand: something was left out */
    struct rlite rl; /* rlite and rv1 formats */
    int64_t starttime, expiration;
    json_t *attrs; /* rv1: attributes.system.scheduler, key-ordered */
    char *scratch; /* rwrite__scratch() */
    size_t scratch_size;
    struct rwrite_rgsyms rgsyms;
};

struct rwrite_rgsyms *rwrite__rgsyms(rwrite_t *w)
{
    return &w->rgsyms;
}

struct rlite *rwrite__rlite(rwrite_t *w)
{
    return &w->rl;
}

char *rwrite__scratch(rwrite_t *w, size_t size)
{
    if (size > w->scratch_size) {
        char *p = realloc(w->scratch, size);
        if (!p)
            return NULL;
        w->scratch = p;
        w->scratch_size = size;
    }
    return w->scratch;
}

static const char *const format_names[] = {
    [RWRITE_SIMPLE] = "simple",
    [RWRITE_PRETTY_SIMPLE] = "pretty_simple",
    [RWRITE_JGF] = "jgf",
    [RWRITE_JGF_SHORTHAND] = "jgf_shorthand",
    [RWRITE_RLITE] = "rlite",
    [RWRITE_RV1] = "rv1",
    [RWRITE_RV1_NOSCHED] = "rv1_nosched",
    [RWRITE_RV1_SHORTHAND] = "rv1_shorthand",
};
enum { NFORMATS = sizeof format_names / sizeof format_names[0] };

int rwrite_format_parse(const char *name, enum rwrite_format *fmt)
{
    for (int i = 0; name && i < NFORMATS; i++) {
        if (strcmp(name, format_names[i]) == 0) {
            *fmt = (enum rwrite_format)i;
            return 0;
        }
    }
    return ENG_EINVAL;
}

const char *rwrite_format_name(enum rwrite_format fmt)
{
    return (unsigned)fmt < NFORMATS ? format_names[fmt] : NULL;
}

bool rwrite_format_is_known(const char *name)
{
    enum rwrite_format f;
    return rwrite_format_parse(name, &f) == 0;
}

static bool has_jgf(const rwrite_t *w)
{
    return w->fmt == RWRITE_JGF || w->fmt == RWRITE_JGF_SHORTHAND ||
           w->fmt == RWRITE_RV1 || w->fmt == RWRITE_RV1_SHORTHAND;
}

static bool has_rlite(const rwrite_t *w)
{
    return w->fmt == RWRITE_RLITE || w->fmt == RWRITE_RV1 ||
           w->fmt == RWRITE_RV1_NOSCHED || w->fmt == RWRITE_RV1_SHORTHAND;
}

static bool is_shorthand(const rwrite_t *w)
{
    return w->fmt == RWRITE_JGF_SHORTHAND || w->fmt == RWRITE_RV1_SHORTHAND;
}

rwrite_t *rwrite_create(enum rwrite_format fmt, eng_error_t *err)
{
    if ((unsigned)fmt >= NFORMATS) {
        eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "unknown match format %d", (int)fmt);
        return NULL;
    }
    rwrite_t *w = calloc(1, sizeof *w);
    if (!w)
        goto nomem;
    w->fmt = fmt;
    w->text = (struct sbuf)SBUF_INIT;
    rwrite__rlite_init(&w->rl);
    if (has_jgf(w) && (!(w->nodes = json_array()) || !(w->edges = json_array())))
        goto nomem;
    if (!(w->attrs = json_object()))
        goto nomem;
    return w;
nomem:
    rwrite_destroy(w);
    eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    return NULL;
}

static void clear_lines(rwrite_t *w)
{
    for (size_t i = 0; i < w->nlines; i++)
        free(w->lines[i]);
    w->nlines = 0;
}

void rwrite_destroy(rwrite_t *w)
{
    if (!w)
        return;
    free(w->text.p);
    clear_lines(w);
    free(w->lines);
    json_decref(w->nodes);
    json_decref(w->edges);
    json_decref(w->attrs);
    rwrite__rlite_clear(&w->rl);
    free(w->scratch);
    free(w);
}

enum rwrite_format rwrite_get_format(const rwrite_t *w)
{
    return w->fmt;
}

/* "<6 spaces><level x '---'><name>[<needs>:<mode>]\n" into 'b'. */
static int simple_line(struct sbuf *b, const struct rwrite_vertex *v, unsigned level,
                       unsigned needs, const char *mode)
{
    sbuf_add(b, "      ", 6);
    for (unsigned i = 0; i < level; i++)
        sbuf_add(b, "---", 3);
    sbuf_str(b, v->name);
    sbuf_printf(b, "[%u:%s]\n", needs, mode);
    return b->ok ? 0 : ENG_ENOMEM;
}

static int emit_pretty(rwrite_t *w, const struct rwrite_vertex *v, unsigned level,
                       unsigned needs, bool exclusive)
{
    struct sbuf line = SBUF_INIT;
    if (w->nlines == w->caplines) {
        size_t cap = w->caplines ? w->caplines * 2 : 16;
        char **p = realloc(w->lines, cap * sizeof *p);
        if (!p)
            return ENG_ENOMEM;
        w->lines = p;
        w->caplines = cap;
    }
    if (simple_line(&line, v, level, needs, exclusive ? "exclusive" : "shared") < 0) {
        free(line.p);
        return ENG_ENOMEM;
    }
    w->lines[w->nlines++] = line.p;
    return 0;
}

static int cmp_kv(const void *a, const void *b)
{
    const struct rwrite_kv *const *x = a, *const *y = b;
    return strcmp((*x)->key, (*y)->key);
}

/* Set 'key' of 'o' to an object of 'kv' sorted by key (std::map order).
 * Nothing when 'n' is 0. */
static int set_map(json_t *o, const char *key, const struct rwrite_kv *kv, size_t n,
                   bool sorted)
{
    if (n == 0)
        return 0;
    const struct rwrite_kv **order = malloc(n * sizeof *order);
    json_t *m = json_object();
    int rc = (order && m) ? 0 : ENG_ENOMEM;
    for (size_t i = 0; rc == 0 && i < n; i++)
        order[i] = &kv[i];
    if (rc == 0 && sorted)
        qsort(order, n, sizeof *order, cmp_kv);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (json_object_set_new(m, order[i]->key,
                                json_string(order[i]->value ? order[i]->value : "")) < 0)
            rc = ENG_ENOMEM;
    free(order);
    if (rc == 0 && json_object_set_new(o, key, m) < 0)
        return ENG_ENOMEM;
    if (rc < 0)
        json_decref(m);
    return rc;
}

/* Fluxion's emit_vtx_base() and the maps added after it. */
static json_t *jgf_metadata(const struct rwrite_vertex *v, unsigned needs, bool exclusive,
                            const struct rwrite_kv *agf, size_t nagf)
{
    const char *basename = v->basename ? v->basename : v->type;
    json_t *m = json_object();
    if (!m || json_object_set_new(m, "type", json_string(v->type)) < 0)
        goto error;
    if (strcmp(basename, v->type) != 0 &&
        json_object_set_new(m, "basename", json_string(basename)) < 0)
        goto error;
    if (v->name) {
        char derived[1024];
        snprintf(derived, sizeof derived, "%s%lld", basename, (long long)v->id);
        if (strcmp(v->name, derived) != 0 &&
            json_object_set_new(m, "name", json_string(v->name)) < 0)
            goto error;
    }
    if (json_object_set_new(m, "id", json_integer(v->id)) < 0 ||
        json_object_set_new(m, "rank", json_integer(v->rank)) < 0 ||
        set_map(m, "properties", v->properties, v->nproperties, true) < 0)
        goto error;
    if (v->unit && *v->unit && json_object_set_new(m, "unit", json_string(v->unit)) < 0)
        goto error;
    if (exclusive && json_object_set_new(m, "exclusive", json_true()) < 0)
        goto error;
    if (needs != 1 && json_object_set_new(m, "size", json_integer(needs)) < 0)
        goto error;
    if (set_map(m, "paths", v->paths, v->npaths, false) < 0 ||
        set_map(m, "ephemeral", v->ephemeral, v->nephemeral, true) < 0 ||
        set_map(m, "agfilter", agf, nagf, true) < 0)
        goto error;
    return m;
error:
    json_decref(m);
    return NULL;
}

static int emit_jgf_vertex(rwrite_t *w, const struct rwrite_vertex *v, unsigned needs,
                           bool exclusive, const struct rwrite_kv *agf, size_t nagf)
{
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)v->uniq_id);
    json_t *meta = jgf_metadata(v, needs, exclusive, agf, nagf);
    json_t *node = meta ? json_pack("{s:s s:o}", "id", id, "metadata", meta) : NULL;
    if (!node || json_array_append_new(w->nodes, node) < 0)
        return ENG_ENOMEM;
    return 0;
}

int rwrite_emit_vertex(rwrite_t *w, const struct rwrite_vertex *v, unsigned level,
                       unsigned needs, bool exclusive, bool excl_parent,
                       const struct rwrite_kv *agfilter, size_t nagfilter,
                       eng_error_t *err)
{
    int rc = 0;
    switch (w->fmt) {
    case RWRITE_SIMPLE:
        rc = simple_line(&w->text, v, level, needs, exclusive ? "x" : "s");
        break;
    case RWRITE_PRETTY_SIMPLE:
        rc = emit_pretty(w, v, level, needs, exclusive);
        break;
    default:
        /* rv1: rlite first, then JGF, as Fluxion; a failing rlite stops it */
        if (has_rlite(w) && (rc = rwrite__rlite_vertex(&w->rl, v, err)) < 0)
            return rc;
        if (!has_jgf(w))
            break;
        if (is_shorthand(w) && excl_parent) {
            w->incomplete = true;
            break;
        }
        rc = emit_jgf_vertex(w, v, needs, exclusive, agfilter, nagfilter);
        break;
    }
    if (rc < 0)
        return eng_errorf(err, rc, NULL, 0, 0, "out of memory");
    return 0;
}

int rwrite_emit_edge(rwrite_t *w, int64_t src, int64_t dst, const char *subsystem,
                     bool excl_parent, eng_error_t *err)
{
    if (!has_jgf(w))
        return 0;
    if (is_shorthand(w) && excl_parent) {
        w->incomplete = true;
        return 0;
    }
    char s[32], d[32];
    snprintf(s, sizeof s, "%lld", (long long)src);
    snprintf(d, sizeof d, "%lld", (long long)dst);
    json_t *meta = NULL;
    if (subsystem && strcmp(subsystem, "containment") != 0) {
        if (!(meta = json_pack("{s:s}", "subsystem", subsystem)))
            return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    json_t *e = json_pack("{s:s s:s s:o*}", "source", s, "target", d, "metadata", meta);
    if (!e || json_array_append_new(w->edges, e) < 0)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    return 0;
}

void rwrite_set_times(rwrite_t *w, int64_t starttime, int64_t expiration)
{
    w->starttime = starttime;
    w->expiration = expiration;
}

int rwrite_set_attr(rwrite_t *w, const char *key, const char *value, eng_error_t *err)
{
    /* std::map order: rebuild the object with 'key' in its sorted place */
    json_t *m = json_object();
    const char *k;
    json_t *val;
    bool placed = false;
    int rc = m ? 0 : ENG_ENOMEM;
    json_object_foreach(w->attrs, k, val)
    {
        if (rc == 0 && !placed && strcmp(key, k) <= 0) {
            rc = json_object_set_new(m, key, json_string(value));
            placed = true;
        }
        if (rc == 0 && strcmp(key, k) != 0)
            rc = json_object_set(m, k, val);
    }
    if (rc == 0 && !placed)
        rc = json_object_set_new(m, key, json_string(value));
    if (rc < 0) {
        json_decref(m);
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    json_decref(w->attrs);
    w->attrs = m;
    return 0;
}

static bool jgf_is_empty(const rwrite_t *w)
{
    return json_array_size(w->nodes) == 0 && json_array_size(w->edges) == 0;
}

bool rwrite_is_empty(const rwrite_t *w)
{
    switch (w->fmt) {
    case RWRITE_SIMPLE:
        return w->text.len == 0;
    case RWRITE_PRETTY_SIMPLE:
        return w->nlines == 0;
    case RWRITE_JGF:
    case RWRITE_JGF_SHORTHAND:
        return jgf_is_empty(w);
    case RWRITE_RLITE:
    case RWRITE_RV1_NOSCHED:
        return rwrite__rlite_is_empty(&w->rl);
    default:
        return rwrite__rlite_is_empty(&w->rl) && jgf_is_empty(w);
    }
}

/* Fluxion's jgf emit_json(): 0 and '*o' NULL when empty, ENG_ENOENT when
 * only one of nodes/edges has entries, else the graph object (the arrays are
 * handed over and replaced by empty ones). */
static int jgf_json(rwrite_t *w, json_t **o, eng_error_t *err)
{
    *o = NULL;
    size_t nv = json_array_size(w->nodes), ne = json_array_size(w->edges);
    if (nv == 0 && ne == 0)
        return 0;
    if (nv == 0 || ne == 0)
        return eng_errorf(err, ENG_ENOENT, NULL, 0, 0, "jgf writer: %s without %s",
                          nv ? "vertices" : "edges", nv ? "edges" : "vertices");
    json_t *nodes = json_array(), *edges = json_array();
    const char *uri = w->incomplete ? "fluxion:jgf_shorthand" : NULL;
    if (nodes && edges)
        *o = json_pack("{s:{s:O s:O} s:s*}", "graph", "nodes", w->nodes, "edges",
                       w->edges, "writer", uri);
    if (!*o) {
        json_decref(nodes);
        json_decref(edges);
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    json_decref(w->nodes);
    json_decref(w->edges);
    w->nodes = nodes;
    w->edges = edges;
    return 0;
}

/* Fluxion's rv1 / rv1_nosched emit_json(). */
static int rv1_json(rwrite_t *w, json_t **o, eng_error_t *err)
{
    json_t *rl = NULL, *aux = NULL, *jgf = NULL;
    *o = NULL;
    bool sched = w->fmt != RWRITE_RV1_NOSCHED;
    if (rwrite__rlite_is_empty(&w->rl) || (sched && jgf_is_empty(w)))
        return 0;
    int rc = rwrite__rlite_json(&w->rl, &rl, &aux, err);
    if (rc == 0 && sched)
        rc = jgf_json(w, &jgf, err);
    if (rc < 0)
        goto done;
    json_t *exec = json_pack("{s:o s:O}", "R_lite", rl, "nodelist",
                             json_object_get(aux, "nodelist"));
    rl = NULL;
    json_t *props = json_object_get(aux, "properties");
    if (exec && props && json_object_set(exec, "properties", props) < 0)
        json_decref(exec), exec = NULL;
    if (exec &&
        (json_object_set_new(exec, "starttime", json_integer(w->starttime)) < 0 ||
         json_object_set_new(exec, "expiration", json_integer(w->expiration)) < 0))
        json_decref(exec), exec = NULL;
    if (exec)
        *o = json_pack("{s:i s:o}", "version", 1, "execution", exec);
    if (*o && sched) {
        if (json_object_set_new(*o, "scheduling", jgf) < 0)
            json_decref(*o), *o = NULL;
        jgf = NULL;
    }
    if (*o && json_object_size(w->attrs) > 0 &&
        json_object_set_new(*o, "attributes",
                            json_pack("{s:{s:O}}", "system", "scheduler", w->attrs)) < 0)
        json_decref(*o), *o = NULL;
    if (!*o)
        rc = eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
done:
    json_decref(rl);
    json_decref(aux);
    json_decref(jgf);
    return rc;
}

static int dump_line(json_t *o, char **out, eng_error_t *err)
{
    char *s = json_dumps(o, JSON_INDENT(0));
    json_decref(o);
    size_t n = s ? strlen(s) : 0;
    char *line = s ? realloc(s, n + 2) : NULL;
    if (!line) {
        free(s);
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    line[n] = '\n';
    line[n + 1] = '\0';
    *out = line;
    return 0;
}

/* Empty the simple writer's text, forgetting an earlier allocation failure. */
static void text_reset(rwrite_t *w)
{
    w->text.len = 0;
    w->text.ok = true;
    if (w->text.p)
        w->text.p[0] = '\0';
}

static int emit_text(rwrite_t *w, char **out, eng_error_t *err)
{
    struct sbuf b = SBUF_INIT;
    sbuf_add(&b, "", 0);
    if (w->fmt == RWRITE_SIMPLE) {
        sbuf_add(&b, w->text.p ? w->text.p : "", w->text.len);
        if (!w->text.ok)
            b.ok = false;
        text_reset(w);
    } else {
        for (size_t i = w->nlines; i-- > 0;)
            sbuf_str(&b, w->lines[i]);
        clear_lines(w);
    }
    if (!b.ok) {
        free(b.p);
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    *out = b.p;
    return 0;
}

int rwrite_emit(rwrite_t *w, char **out, eng_error_t *err)
{
    json_t *o = NULL;
    int rc = 0;
    *out = NULL;
    switch (w->fmt) {
    case RWRITE_SIMPLE:
    case RWRITE_PRETTY_SIMPLE:
        return emit_text(w, out, err);
    case RWRITE_JGF:
    case RWRITE_JGF_SHORTHAND:
        rc = jgf_json(w, &o, err);
        break;
    case RWRITE_RLITE:
        return rwrite__rlite_text(&w->rl, false, 0, 0, out, err);
    case RWRITE_RV1_NOSCHED:
        if (rwrite__rlite_is_empty(&w->rl))
            break; /* Fluxion writes nothing and reports no error */
        return rwrite__rlite_text(&w->rl, true, w->starttime, w->expiration, out, err);
    default:
        rc = rv1_json(w, &o, err);
        break;
    }
    if (rc < 0)
        return rc;
    if (o)
        return dump_line(o, out, err);
    if (!(*out = strdup("")))
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    return 0;
}

int rwrite_take_rlite(rwrite_t *w, char **r_lite, char **nodelist, eng_error_t *err)
{
    return rwrite_take_rlite_units(w, r_lite, nodelist, NULL, err);
}

int rwrite_take_rlite_units(rwrite_t *w, char **r_lite, char **nodelist, int64_t units[3],
                            eng_error_t *err)
{
    *r_lite = *nodelist = NULL;
    if (w->fmt != RWRITE_RLITE && w->fmt != RWRITE_RV1 && w->fmt != RWRITE_RV1_NOSCHED)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "%s writer has no R_lite",
                          rwrite_format_name(w->fmt));
    int rc = rwrite__rlite_compact(&w->rl, r_lite, nodelist, units, err);
    if (rc == 0)
        rwrite_reset(w);
    return rc;
}

void rwrite_reset(rwrite_t *w)
{
    text_reset(w);
    clear_lines(w);
    if (has_jgf(w)) {
        json_array_clear(w->nodes);
        json_array_clear(w->edges);
    }
    w->incomplete = false;
    rwrite__rlite_reset(&w->rl);
    w->starttime = w->expiration = 0;
    json_object_clear(w->attrs);
    w->rgsyms.g = NULL; /* the next graph may be another at the same address */
}
