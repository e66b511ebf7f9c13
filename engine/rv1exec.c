/* rv1exec.c: R "execution" -> resource graph (see rv1exec.h).
 *
 * jansson builds the DOM: an R is small next to the graph it describes (one
 * R_lite entry covers any number of identical ranks).  Its values carry no
 * position, so errors after parsing name the key path instead. */
#include "rv1exec.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_load_private.h"
#include "hostlist.h"
#include "idset.h"
#include "jgf_private.h"
#include "rg_private.h"

struct prop {
    unsigned rank;
    const char *name; /* borrowed from the DOM */
};

struct rv1x {
    rg_graph_t *g;
    const char *source;
    eng_error_t *err;
    size_t max_vertices;
    unsigned *ranks; /* all ranks of R_lite, increasing: index = host */
    size_t nranks;
    struct prop *props; /* node properties, by (rank, then document order) */
    size_t nprops, cap_props;
    hostlist_t *hosts;
    rg_vid_t cluster;
    size_t entry; /* R_lite entry being read */
    const char *text;
    size_t len;
};

/* Step over one key ("a") or index ("[3]") of 'path' with the lexer 'l';
 * returns the rest of the path, or NULL when the document has no such
 * value. */
static const char *step(struct jgf__lex *l, const char *path)
{
    bool first = true;
    if (*path == '[') {
        char *end;
        unsigned long idx = strtoul(path + 1, &end, 10);
        if (*end != ']' || jgf__arr_open(l, NULL))
            return NULL;
        for (unsigned long i = 0;; i++) {
            if (jgf__arr_next(l, &first) <= 0)
                return NULL;
            if (i == idx)
                return end + 1;
            if (jgf__skip(l))
                return NULL;
        }
    }
    path += *path == '.';
    size_t n = strcspn(path, ".[");
    char *key;
    if (jgf__obj_open(l, NULL))
        return NULL;
    while (jgf__obj_key(l, &first, &key) > 0) {
        if (strlen(key) == n && strncmp(key, path, n) == 0)
            return path + n;
        if (jgf__skip(l))
            return NULL;
    }
    return NULL;
}

/* Line and column of the value at the key path 'path' ("execution.R_lite[1]
 * .rank") in the document, found with the JGF reader's lexer (jansson keeps
 * no positions); 0 and 0 when it is not there.  Runs only on errors. */
static void locate(const struct rv1x *x, const char *path, size_t plen, int *line,
                   int *col)
{
    *line = *col = 0;
    char *copy = malloc(x->len + 1), *want = malloc(plen + 1);
    if (copy && want) {
        memcpy(copy, x->text, x->len);
        copy[x->len] = '\0';
        memcpy(want, path, plen);
        want[plen] = '\0';
        eng_error_t scratch;
        eng_error_clear(&scratch);
        struct jgf__lex l;
        jgf__lex_init(&l, copy, x->len, "", &scratch);
        const char *p = want;
        while (p && *p)
            p = step(&l, p);
        if (p) {
            jgf__peek(&l);
            struct jgf__pos pos = jgf__pos(&l, l.p);
            *line = pos.line;
            *col = pos.column;
        }
    }
    free(copy);
    free(want);
}

static int fail(struct rv1x *x, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct rv1x *x, int code, const char *fmt, ...)
{
    char text[ENG_ERROR_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    int line = 0, col = 0;
    size_t n = strspn(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                            "0123456789_-.[]");
    if (n > 0 && text[n] == ':' && x->text)
        locate(x, text, n, &line, &col);
    return eng_errorf(x->err, code, x->source, line, col, "%s", text);
}

/* Decode the idset string 'v' found at key path 'what'. */
static idset_t *ids_of(struct rv1x *x, const json_t *v, const char *what)
{
    if (!json_is_string(v)) {
        fail(x, ENG_EPARSE, "%s: expected an idset string", what);
        return NULL;
    }
    eng_error_t ierr;
    eng_error_clear(&ierr);
    idset_t *s = idset_decode(json_string_value(v), -1, NULL, &ierr);
    if (!s)
        fail(x, ierr.code ? ierr.code : ENG_EPARSE, "%s: %s", what, ierr.text);
    return s;
}

/* ---- ranks, properties, hosts ---------------------------------------------- */

static int build_ranks(struct rv1x *x, const json_t *rlite)
{
    idset_t *all = idset_create();
    if (!all)
        return fail(x, ENG_ENOMEM, "out of memory");
    size_t i;
    const json_t *entry;
    int rc = 0;
    json_array_foreach(rlite, i, entry)
    {
        char what[64];
        snprintf(what, sizeof what, "execution.R_lite[%zu].rank", i);
        idset_t *s = ids_of(x, json_object_get(entry, "rank"), what);
        if (!s) {
            rc = x->err->code;
            break;
        }
        for (unsigned r = idset_first(s); r != IDSET_INVALID_ID && rc == 0;
             r = idset_next(s, r))
            rc = idset_set(all, r) ? fail(x, ENG_ENOMEM, "out of memory") : 0;
        idset_destroy(s);
        if (rc)
            break;
    }
    if (rc == 0 && (x->nranks = idset_count(all)) > 0) {
        if (!(x->ranks = malloc(x->nranks * sizeof *x->ranks)))
            rc = fail(x, ENG_ENOMEM, "out of memory");
        size_t n = 0;
        for (unsigned r = idset_first(all); rc == 0 && r != IDSET_INVALID_ID;
             r = idset_next(all, r))
            x->ranks[n++] = r;
    }
    idset_destroy(all);
    return rc;
}

static long host_index(const struct rv1x *x, unsigned rank)
{
    size_t lo = 0, hi = x->nranks;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->ranks[mid] < rank)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < x->nranks && x->ranks[lo] == rank ? (long)lo : -1;
}

static int build_props(struct rv1x *x, const json_t *props)
{
    const char *key;
    const json_t *val;
    json_object_foreach((json_t *)props, key, val)
    {
        char what[128];
        snprintf(what, sizeof what, "execution.properties.%.64s", key);
        idset_t *s = ids_of(x, val, what);
        if (!s)
            return x->err->code;
        for (unsigned r = idset_first(s); r != IDSET_INVALID_ID; r = idset_next(s, r)) {
            if (rg__grow(&x->props, &x->cap_props, x->nprops + 1, sizeof *x->props)) {
                idset_destroy(s);
                return fail(x, ENG_ENOMEM, "out of memory");
            }
            x->props[x->nprops++] = (struct prop){r, key};
        }
        idset_destroy(s);
    }
    return 0;
}

static int build_hosts(struct rv1x *x, const json_t *nodelist)
{
    if (!(x->hosts = hostlist_create()))
        return fail(x, ENG_ENOMEM, "out of memory");
    size_t i;
    const json_t *v;
    json_array_foreach(nodelist, i, v)
    {
        if (!json_is_string(v))
            return fail(x, ENG_EPARSE, "execution.nodelist[%zu]: expected a string", i);
        eng_error_t herr;
        eng_error_clear(&herr);
        if (hostlist_append(x->hosts, json_string_value(v), &herr) < 0)
            return fail(x, herr.code ? herr.code : ENG_EPARSE,
                        "execution.nodelist[%zu]: %s", i, herr.text);
    }
    return 0;
}

/* ---- vertices -------------------------------------------------------------- */

/* Fluxion's add_or_update() when loading: refuse a vertex that exists. */
static rg_vid_t add(struct rv1x *x, rg_vid_t parent, const struct graph_load__vspec *s)
{
    if (rg_graph_vid_bound(x->g) >= x->max_vertices) {
        fail(x, ENG_ELIMIT, "execution.R_lite[%zu]: more than %zu vertices", x->entry,
             x->max_vertices);
        return RG_VID_NONE;
    }
    char path[RG_PATH_MAX], name[RG_SYM_LEN_MAX + 24];
    int plen = rg_vertex_path(x->g, parent, RG_SYM_CONTAINMENT, path, sizeof path);
    if (s->name && *s->name)
        snprintf(name, sizeof name, "%s", s->name);
    else
        snprintf(name, sizeof name, "%s%lld", s->basename, (long long)s->id);
    if (plen > 0 && (size_t)plen + 1 + strlen(name) < sizeof path) {
        snprintf(path + plen, sizeof path - (size_t)plen, "/%s", name);
        rg_vid_t old = rg_vertex_find_path_rank(x->g, RG_SYM_CONTAINMENT, path, s->rank);
        if (old != RG_VID_NONE && rg_vertex_get(x->g, old)->id == s->id) {
            fail(x, ENG_EEXIST, "execution.R_lite[%zu]: duplicate vertex %s (rank %lld)",
                 x->entry, path, (long long)s->rank);
            return RG_VID_NONE;
        }
    }
    eng_error_t verr;
    eng_error_clear(&verr);
    rg_vid_t v = graph_load__child_add(x->g, parent, s, &verr);
    if (v == RG_VID_NONE)
        fail(x, verr.code, "execution.R_lite[%zu]: %s: %s", x->entry, name, verr.text);
    return v;
}

static int tag_props(struct rv1x *x, rg_vid_t v, unsigned rank)
{
    for (size_t i = 0; i < x->nprops; i++)
        if (x->props[i].rank == rank && rg_vertex_prop_set(x->g, v, x->props[i].name, ""))
            return fail(x, ENG_ENOMEM, "out of memory");
    return 0;
}

static int add_children(struct rv1x *x, rg_vid_t node, unsigned rank,
                        const json_t *children, size_t entry)
{
    const char *type;
    const json_t *ids;
    json_object_foreach((json_t *)children, type, ids)
    {
        char what[128];
        snprintf(what, sizeof what, "execution.R_lite[%zu].children.%.64s", entry, type);
        idset_t *s = ids_of(x, ids, what);
        if (!s)
            return x->err->code;
        int rc = 0;
        for (unsigned id = idset_first(s); rc == 0 && id != IDSET_INVALID_ID;
             id = idset_next(s, id)) {
            struct graph_load__vspec vs = {type, type, NULL, id, 1, rank};
            rg_vid_t v = add(x, node, &vs);
            if (v == RG_VID_NONE)
                rc = x->err->code;
            else if (strcmp(type, "node") == 0) /* properties are kept for "node" */
                rc = tag_props(x, v, rank);
        }
        idset_destroy(s);
        if (rc)
            return rc;
    }
    return 0;
}

static int add_rank(struct rv1x *x, unsigned rank, const json_t *children, size_t entry)
{
    long h = host_index(x, rank);
    char host[1024], base[1024];
    if (h < 0 || hostlist_nth(x->hosts, (size_t)h, host, sizeof host) < 0)
        return fail(x, ENG_EPARSE, "execution.nodelist: no host for rank %u", rank);
    int64_t id;
    if (!host[0] || graph_load__host_split(host, base, sizeof base, &id))
        return fail(x, ENG_EPARSE, "execution.nodelist: bad host name '%s' (rank %u)",
                    host, rank);
    struct graph_load__vspec vs = {"node", base, host, id, 1, rank};
    rg_vid_t v = add(x, x->cluster, &vs);
    if (v == RG_VID_NONE)
        return x->err->code;
    int rc = tag_props(x, v, rank);
    return rc ? rc : add_children(x, v, rank, children, entry);
}

static int add_entries(struct rv1x *x, const json_t *rlite)
{
    size_t i;
    const json_t *entry;
    json_array_foreach(rlite, i, entry)
    {
        x->entry = i;
        const json_t *children = json_object_get(entry, "children");
        if (!json_is_object(children))
            return fail(x, ENG_EPARSE,
                        "execution.R_lite[%zu].children: expected an object", i);
        char what[64];
        snprintf(what, sizeof what, "execution.R_lite[%zu].rank", i);
        idset_t *s = ids_of(x, json_object_get(entry, "rank"), what);
        if (!s)
            return x->err->code;
        int rc = 0;
        for (unsigned r = idset_first(s); rc == 0 && r != IDSET_INVALID_ID;
             r = idset_next(s, r))
            rc = add_rank(x, r, children, i);
        idset_destroy(s);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- document -------------------------------------------------------------- */

static int read_doc(struct rv1x *x, const json_t *doc)
{
    const json_t *ver = json_object_get(doc, "version");
    const json_t *ex = json_object_get(doc, "execution");
    if (!json_is_object(doc))
        return fail(x, ENG_EPARSE, "expected a json object");
    if (!json_is_integer(ver))
        return fail(x, ENG_EPARSE, "version: expected an integer");
    if (json_integer_value(ver) != 1)
        return fail(x, ENG_EPARSE, "version: expected 1, got %lld",
                    (long long)json_integer_value(ver));
    if (!json_is_object(ex))
        return fail(x, ENG_EPARSE, "execution: expected an object");
    const json_t *rlite = json_object_get(ex, "R_lite");
    const json_t *nodes = json_object_get(ex, "nodelist");
    const json_t *props = json_object_get(ex, "properties");
    if (!json_is_array(rlite))
        return fail(x, ENG_EPARSE, "execution.R_lite: expected an array");
    if (!json_is_array(nodes))
        return fail(x, ENG_EPARSE, "execution.nodelist: expected an array");
    if (props && !json_is_object(props))
        return fail(x, ENG_EPARSE, "execution.properties: expected an object");
    int rc = build_ranks(x, rlite);
    if (rc == 0)
        rc = build_props(x, props);
    if (rc == 0)
        rc = build_hosts(x, nodes);
    if (rc == 0) {
        struct graph_load__vspec vs = {"cluster", "cluster", NULL, 0, 1, -1};
        eng_error_t verr;
        eng_error_clear(&verr);
        x->cluster = graph_load__child_add(x->g, RG_VID_NONE, &vs, &verr);
        rc = x->cluster == RG_VID_NONE ? fail(x, verr.code, "%s", verr.text) : 0;
    }
    return rc ? rc : add_entries(x, rlite);
}

rg_graph_t *rv1x_parse(const char *text, size_t len, const char *source,
                       const struct rv1x_opts *opts, eng_error_t *err)
{
    eng_error_t local;
    err = err ? err : &local;
    eng_error_clear(err);
    struct rv1x x = {
        .source = source ? source : "<string>", .err = err, .text = text, .len = len};
    x.max_vertices = opts && opts->max_vertices ? opts->max_vertices : RV1X_VERTEX_MAX;
    json_error_t jerr;
    json_t *doc = text ? json_loadb(text, len, 0, &jerr) : NULL;
    int rc;
    if (!doc)
        rc = text ? eng_errorf(err, ENG_EPARSE, x.source, jerr.line, jerr.column, "%s",
                               jerr.text)
                  : eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no text");
    else if (!(x.g = rg_graph_create()))
        rc = fail(&x, ENG_ENOMEM, "out of memory");
    else
        rc = read_doc(&x, doc);
    json_decref(doc);
    free(x.ranks);
    free(x.props);
    hostlist_destroy(x.hosts);
    if (rc) {
        rg_graph_destroy(x.g);
        return NULL;
    }
    rg_graph_compact(x.g);
    return x.g;
}
