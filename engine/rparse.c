/* rparse.c: RFC 20 R / JGF documents decoded into flat arrays.
 *
 * The jansson document is kept for the life of the rparse_t, so every string
 * handed out is a borrowed pointer into it: no copies per vertex.  Edges are
 * resolved to vertex indexes through a sorted index of node ids (O(log n)
 * per endpoint), since R documents of large jobs hold tens of thousands of
 * vertices. */
#include "rparse.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rl_entry {
    idset_t *ranks;
    struct rparse_child *ch;
    size_t nch;
};

struct rparse {
    json_t *doc;
    bool rv1, jgf;
    const char *writer;
    char *jgf_text;
    int64_t start, exp;
    bool has_start, has_exp;
    struct rparse_vertex *v;
    size_t nv;
    struct rparse_edge *e;
    size_t ne;
    struct rparse_kv *paths, *props;
    size_t npaths, nprops, cap_paths, cap_props;
    idset_t *ranks;
    struct rl_entry *rl;
    size_t nrl;
    char *nodelist;
    const char *source; /* for errors, borrowed from the caller during parse */
};

void rparse_destroy(rparse_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nrl; i++) {
        idset_destroy(r->rl[i].ranks);
        for (size_t j = 0; j < r->rl[i].nch; j++)
            idset_destroy((idset_t *)r->rl[i].ch[j].ids);
        free(r->rl[i].ch);
    }
    free(r->rl);
    idset_destroy(r->ranks);
    free(r->v);
    free(r->e);
    free(r->paths);
    free(r->props);
    free(r->jgf_text);
    free(r->nodelist);
    json_decref(r->doc);
    free(r);
}

static int fail(rparse_t *r, eng_error_t *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(rparse_t *r, eng_error_t *err, const char *fmt, ...)
{
    char text[ENG_ERROR_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return eng_errorf(err, ENG_EPARSE, r->source, 0, 0, "%s", text);
}

static int nomem(rparse_t *r, eng_error_t *err)
{
    return eng_errorf(err, ENG_ENOMEM, r->source, 0, 0, "out of memory");
}

static int push_kv(struct rparse_kv **a, size_t *n, size_t *cap, const char *k,
                   const char *v)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        struct rparse_kv *p = realloc(*a, c * sizeof *p);
        if (!p)
            return ENG_ENOMEM;
        *a = p;
        *cap = c;
    }
    (*a)[(*n)++] = (struct rparse_kv){k, v};
    return 0;
}

/* Optional integer member 'key' of 'o' into '*out'.  -1 when not an integer. */
static int get_int(const json_t *o, const char *key, int64_t *out)
{
    json_t *x = json_object_get(o, key);
    if (!x)
        return 0;
    if (!json_is_integer(x))
        return -1;
    *out = json_integer_value(x);
    return 0;
}

static const char *get_str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static int vertex_maps(rparse_t *r, struct rparse_vertex *v, const json_t *meta,
                       const char *where, eng_error_t *err)
{
    const char *k;
    json_t *x;
    json_t *paths = json_object_get(meta, "paths");
    json_t *props = json_object_get(meta, "properties");
    if ((paths && !json_is_object(paths)) || (props && !json_is_object(props)))
        return fail(r, err, "%s: %s must be objects", where, "paths and properties");
    v->first_path = r->npaths;
    json_object_foreach(paths, k, x)
    {
        if (!json_is_string(x))
            return fail(r, err, "%s.paths.%s: expected a string", where, k);
        if (push_kv(&r->paths, &r->npaths, &r->cap_paths, k, json_string_value(x)) < 0)
            return nomem(r, err);
        if (strcmp(k, "containment") == 0)
            v->path = json_string_value(x);
    }
    v->npaths = r->npaths - v->first_path;
    v->first_prop = r->nprops;
    json_object_foreach(props, k, x)
    {
        if (!json_is_string(x))
            return fail(r, err, "%s.properties.%s: expected a string", where, k);
        if (push_kv(&r->props, &r->nprops, &r->cap_props, k, json_string_value(x)) < 0)
            return nomem(r, err);
    }
    v->nprops = r->nprops - v->first_prop;
    return 0;
}

static int parse_vertex(rparse_t *r, const json_t *node, size_t i, eng_error_t *err)
{
    char where[64];
    snprintf(where, sizeof where, "graph.nodes[%zu]", i);
    struct rparse_vertex *v = &r->v[i];
    *v = (struct rparse_vertex){.uniq_id = -1, .id = -1, .rank = -1, .size = 1};
    json_t *meta = json_object_get(node, "metadata");
    if (!json_is_object(node) || !(v->jgf_id = get_str(node, "id")))
        return fail(r, err, "%s: %s", where, "expected an object with a string \"id\"");
    if (!json_is_object(meta) || !(v->type = get_str(meta, "type")))
        return fail(r, err, "%s: %s", where, "metadata.type missing");
    char *end;
    long long u = strtoll(v->jgf_id, &end, 10);
    if (*v->jgf_id && !*end)
        v->uniq_id = u;
    if (get_int(meta, "uniq_id", &v->uniq_id) < 0 || get_int(meta, "id", &v->id) < 0 ||
        get_int(meta, "rank", &v->rank) < 0 || get_int(meta, "size", &v->size) < 0)
        return fail(r, err, "%s: %s", where,
                    "uniq_id, id, rank and size must be integers");
    json_t *x = json_object_get(meta, "exclusive");
    if (x && !json_is_boolean(x))
        return fail(r, err, "%s: %s", where, "metadata.exclusive must be a boolean");
    v->exclusive = json_is_true(x);
    v->basename = get_str(meta, "basename");
    v->name = get_str(meta, "name");
    v->unit = get_str(meta, "unit");
    return vertex_maps(r, v, meta, where, err);
}

struct id_index {
    const char *id;
    size_t idx;
};

static int cmp_id(const void *a, const void *b)
{
    const struct id_index *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static long find_id(const struct id_index *ix, size_t n, const char *id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { /* first entry >= id: the first vertex with that id */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix[mid].id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(ix[lo].id, id) == 0 ? (long)ix[lo].idx : -1;
}

static int parse_edges(rparse_t *r, const json_t *edges, eng_error_t *err)
{
    size_t n = json_array_size(edges);
    struct id_index *ix = malloc((r->nv ? r->nv : 1) * sizeof *ix);
    r->e = calloc(n ? n : 1, sizeof *r->e);
    if (!ix || !r->e) {
        free(ix);
        return nomem(r, err);
    }
    for (size_t i = 0; i < r->nv; i++)
        ix[i] = (struct id_index){r->v[i].jgf_id, i};
    qsort(ix, r->nv, sizeof *ix, cmp_id);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char where[64];
        snprintf(where, sizeof where, "graph.edges[%zu]", i);
        json_t *ed = json_array_get(edges, i);
        const char *s = get_str(ed, "source"), *d = get_str(ed, "target");
        long si = s ? find_id(ix, r->nv, s) : -1, di = d ? find_id(ix, r->nv, d) : -1;
        if (!s || !d)
            rc = fail(r, err, "%s: %s", where, "source and target must be strings");
        else if (si < 0)
            rc = fail(r, err, "%s: unknown source '%s'", where, s);
        else if (di < 0)
            rc = fail(r, err, "%s: unknown target '%s'", where, d);
        const char *sub = get_str(json_object_get(ed, "metadata"), "subsystem");
        r->e[i] = (struct rparse_edge){(size_t)si, (size_t)di, sub ? sub : "containment"};
    }
    r->ne = n;
    free(ix);
    return rc;
}

static int parse_jgf(rparse_t *r, const json_t *jgf, eng_error_t *err)
{
    json_t *graph = json_object_get(jgf, "graph");
    json_t *nodes = json_object_get(graph, "nodes");
    json_t *edges = json_object_get(graph, "edges");
    if (!json_is_array(nodes) || (edges && !json_is_array(edges)))
        return fail(r, err, "%s: %s", "graph", "expected \"nodes\" and \"edges\" arrays");
    r->jgf = true;
    r->writer = get_str(jgf, "writer");
    if (!(r->jgf_text = json_dumps(jgf, JSON_COMPACT)))
        return nomem(r, err);
    r->nv = json_array_size(nodes);
    if (!(r->v = calloc(r->nv ? r->nv : 1, sizeof *r->v)))
        return nomem(r, err);
    for (size_t i = 0; i < r->nv; i++) {
        int rc = parse_vertex(r, json_array_get(nodes, i), i, err);
        if (rc < 0)
            return rc;
    }
    return parse_edges(r, edges, err);
}

static int parse_children(rparse_t *r, struct rl_entry *en, const json_t *ch,
                          const char *where, eng_error_t *err)
{
    if (!json_is_object(ch))
        return fail(r, err, "%s.children: %s", where, "expected an object");
    if (!(en->ch = calloc(json_object_size(ch) + 1, sizeof *en->ch)))
        return nomem(r, err);
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)ch, k, x)
    {
        eng_error_t e2 = {0};
        idset_t *ids =
            json_is_string(x) ? idset_decode(json_string_value(x), -1, NULL, &e2) : NULL;
        if (!ids)
            return eng_errorf(err, ENG_EPARSE, r->source, 0, 0, "%s.children.%s: %s",
                              where, k,
                              json_is_string(x) ? e2.text : "expected an idset string");
        en->ch[en->nch++] = (struct rparse_child){k, ids};
    }
    return 0;
}

static int parse_rlite(rparse_t *r, const json_t *rlite, eng_error_t *err)
{
    if (!json_is_array(rlite))
        return fail(r, err, "%s: %s", "execution.R_lite", "expected an array");
    size_t n = json_array_size(rlite);
    if (!(r->rl = calloc(n ? n : 1, sizeof *r->rl)))
        return nomem(r, err);
    for (size_t i = 0; i < n; i++) {
        char where[64];
        snprintf(where, sizeof where, "execution.R_lite[%zu]", i);
        json_t *en = json_array_get(rlite, i);
        const char *ranks = get_str(en, "rank");
        if (!ranks)
            return fail(r, err, "%s: %s", where, "\"rank\" must be an idset string");
        eng_error_t e2 = {0};
        struct rl_entry *x = &r->rl[r->nrl++];
        if (!(x->ranks = idset_decode(ranks, -1, NULL, &e2)))
            return eng_errorf(err, ENG_EPARSE, r->source, 0, 0, "%s.rank: %s", where,
                              e2.text);
        for (unsigned id = idset_first(x->ranks); id != IDSET_INVALID_ID;
             id = idset_next(x->ranks, id))
            if (idset_set(r->ranks, id) < 0)
                return nomem(r, err);
        int rc = parse_children(r, x, json_object_get(en, "children"), where, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int parse_nodelist(rparse_t *r, const json_t *nl, eng_error_t *err)
{
    if (!nl)
        return 0;
    if (!json_is_array(nl))
        return fail(r, err, "%s: %s", "execution.nodelist", "expected an array");
    size_t total = 1;
    for (size_t i = 0; i < json_array_size(nl); i++) {
        const char *s = json_string_value(json_array_get(nl, i));
        if (!s)
            return fail(r, err, "%s: %s", "execution.nodelist", "expected strings");
        total += strlen(s) + 1;
    }
    if (!(r->nodelist = calloc(1, total)))
        return nomem(r, err);
    for (size_t i = 0; i < json_array_size(nl); i++) {
        if (i)
            strcat(r->nodelist, ",");
        strcat(r->nodelist, json_string_value(json_array_get(nl, i)));
    }
    return 0;
}

static int parse_time(const json_t *exec, const char *key, int64_t *out, bool *has)
{
    json_t *x = json_object_get(exec, key);
    if (!x)
        return 0;
    if (!json_is_number(x))
        return -1;
    *out = (int64_t)json_number_value(x);
    *has = true;
    return 0;
}

static int parse_rv1(rparse_t *r, const json_t *doc, eng_error_t *err)
{
    json_t *exec = json_object_get(doc, "execution");
    json_t *ver = json_object_get(doc, "version");
    if (!json_is_integer(ver) || json_integer_value(ver) != 1)
        return fail(r, err, "%s: %s", "version", "only R version 1 is supported");
    if (!json_is_object(exec))
        return fail(r, err, "%s: %s", "execution", "expected an object");
    r->rv1 = true;
    if (parse_time(exec, "starttime", &r->start, &r->has_start) < 0 ||
        parse_time(exec, "expiration", &r->exp, &r->has_exp) < 0)
        return fail(r, err, "%s: %s", "execution",
                    "starttime and expiration must be numbers");
    int rc = parse_rlite(r, json_object_get(exec, "R_lite"), err);
    if (rc == 0)
        rc = parse_nodelist(r, json_object_get(exec, "nodelist"), err);
    json_t *sched = json_object_get(doc, "scheduling");
    if (rc == 0 && sched)
        rc = parse_jgf(r, sched, err);
    return rc;
}

rparse_t *rparse_parse(const char *text, size_t len, const char *source, eng_error_t *err)
{
    rparse_t *r = calloc(1, sizeof *r);
    if (!r || !(r->ranks = idset_create())) {
        free(r);
        eng_errorf(err, ENG_ENOMEM, source, 0, 0, "out of memory");
        return NULL;
    }
    r->source = source;
    json_error_t jerr;
    if (!text || !(r->doc = json_loadb(text, len, 0, &jerr))) {
        if (text)
            eng_errorf(err, ENG_EPARSE, source, jerr.line, jerr.column, "%s", jerr.text);
        else
            eng_errorf(err, ENG_EINVAL, source, 0, 0, "no R text");
        goto error;
    }
    int rc;
    if (json_object_get(r->doc, "execution") || json_object_get(r->doc, "version"))
        rc = parse_rv1(r, r->doc, err);
    else if (json_object_get(r->doc, "graph"))
        rc = parse_jgf(r, r->doc, err);
    else
        rc = fail(r, err, "%s: %s", "R", "neither RFC 20 R nor JGF");
    if (rc < 0)
        goto error;
    r->source = NULL;
    return r;
error:
    rparse_destroy(r);
    return NULL;
}

bool rparse_is_rv1(const rparse_t *r)
{
    return r->rv1;
}

bool rparse_has_jgf(const rparse_t *r)
{
    return r->jgf;
}

const char *rparse_writer(const rparse_t *r)
{
    return r->writer;
}

const char *rparse_jgf_text(const rparse_t *r)
{
    return r->jgf_text;
}

int64_t rparse_starttime(const rparse_t *r, bool *has)
{
    if (has)
        *has = r->has_start;
    return r->start;
}

int64_t rparse_expiration(const rparse_t *r, bool *has)
{
    if (has)
        *has = r->has_exp;
    return r->exp;
}

size_t rparse_vertex_count(const rparse_t *r)
{
    return r->nv;
}

const struct rparse_vertex *rparse_vertex(const rparse_t *r, size_t i)
{
    return i < r->nv ? &r->v[i] : NULL;
}

size_t rparse_edge_count(const rparse_t *r)
{
    return r->ne;
}

const struct rparse_edge *rparse_edge(const rparse_t *r, size_t i)
{
    return i < r->ne ? &r->e[i] : NULL;
}

const struct rparse_kv *rparse_path(const rparse_t *r, size_t i)
{
    return i < r->npaths ? &r->paths[i] : NULL;
}

const struct rparse_kv *rparse_prop(const rparse_t *r, size_t i)
{
    return i < r->nprops ? &r->props[i] : NULL;
}

const idset_t *rparse_ranks(const rparse_t *r)
{
    return r->ranks;
}

size_t rparse_rlite_count(const rparse_t *r)
{
    return r->nrl;
}

const idset_t *rparse_rlite_ranks(const rparse_t *r, size_t i)
{
    return i < r->nrl ? r->rl[i].ranks : NULL;
}

size_t rparse_rlite_nchildren(const rparse_t *r, size_t i)
{
    return i < r->nrl ? r->rl[i].nch : 0;
}

const struct rparse_child *rparse_rlite_child(const rparse_t *r, size_t i, size_t j)
{
    return i < r->nrl && j < r->rl[i].nch ? &r->rl[i].ch[j] : NULL;
}

const char *rparse_nodelist(const rparse_t *r)
{
    return r->nodelist;
}
