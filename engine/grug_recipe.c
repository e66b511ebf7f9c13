/* grug_recipe.c: GraphML text -> GRUG recipe (pools and rules), read the way
 * Boost's read_graphml fills Fluxion's resource_gen_spec_t:
 * - <key> elements (children of <graphml>) map a key id to a property name
 *   (attr.name), the kind of element it is for, and an optional <default>;
 * - only the first <graph> is read: its <node>s in document order, then its
 *   <edge>s; an edge naming an unknown node creates that node (with the
 *   defaults), as Boost does;
 * - defaults of "node" keys apply to every new node, of "edge" keys to every
 *   edge; a <data> element then sets the property of its key;
 * - values are trimmed of white space; numbers must be whole integers.
 * libxml2 builds a DOM: recipes are a few kilobytes, so the DOM's cost is
 * nothing next to the expansion, and it keeps line numbers per element. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "grug.h"
#include "grug_private.h"
#include "rg_private.h"

enum prop {
    P_ROOT,
    P_TYPE,
    P_BASENAME,
    P_SIZE,
    P_UNIT,
    P_SUBSYSTEM,
    P_E_SUBSYSTEM,
    P_RELATION,
    P_RRELATION,
    P_GEN_METHOD,
    P_ID_SCOPE,
    P_ID_START,
    P_ID_STRIDE,
    P_MULTI_SCALE,
    P_AS_TGT_SUBSYSTEM,
    P_AS_TGT_UPLVL,
    P_AS_SRC_UPLVL,
    P_COUNT,
    P_NONE = P_COUNT
};

/* Property names (Fluxion's dynamic_properties); the first P_E_SUBSYSTEM
 * belong to pools, the rest to rules. */
static const char *const prop_names[P_COUNT] = {
    "root",         "type",        "basename",  "size",        "unit",
    "subsystem",    "e_subsystem", "relation",  "rrelation",   "gen_method",
    "id_scope",     "id_start",    "id_stride", "multi_scale", "as_tgt_subsystem",
    "as_tgt_uplvl", "as_src_uplvl"};

enum key_for { FOR_NODE, FOR_EDGE, FOR_OTHER };

struct key {
    const char *id; /* borrowed from the DOM */
    enum prop prop;
    const char *name;
    enum key_for kind;
    char *def; /* trimmed default text (owned), or NULL */
    int line;
};

struct rparse {
    struct grug__recipe *r;
    rg_graph_t *g;
    eng_error_t *err;
    struct key *keys;
    size_t nkeys, cap_keys;
};

static int line_of(const xmlNode *n)
{
    long l = xmlGetLineNo(n);
    return l > 0 && l < INT_MAX ? (int)l : 0;
}

static int fail(struct rparse *p, int line, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(struct rparse *p, int line, int code, const char *fmt, ...)
{
    char text[ENG_ERROR_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return eng_errorf(p->err, code, p->r->source, line, 0, "%s", text);
}

static int nomem(struct rparse *p)
{
    return eng_errorf(p->err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
}

static bool is_elem(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const char *attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (strcmp((const char *)a->name, name) == 0 && a->children &&
            a->children->type == XML_TEXT_NODE)
            return (const char *)a->children->content;
    return NULL;
}

/* The element's text, trimmed (new string), or NULL when out of memory. */
static char *text_of(const xmlNode *n)
{
    xmlChar *c = xmlNodeGetContent(n);
    const char *s = c ? (const char *)c : "";
    while (isspace((unsigned char)*s))
        s++;
    size_t len = strlen(s);
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    char *t = malloc(len + 1);
    if (t) {
        memcpy(t, s, len);
        t[len] = '\0';
    }
    xmlFree(c);
    return t;
}

/* ---- keys ------------------------------------------------------------------ */

static enum prop prop_of(const char *name)
{
    for (int i = 0; i < P_COUNT; i++)
        if (strcmp(prop_names[i], name) == 0)
            return (enum prop)i;
    return P_NONE;
}

static int read_key(struct rparse *p, const xmlNode *n)
{
    const char *id = attr(n, "id"), *for_ = attr(n, "for"), *name = attr(n, "attr.name");
    id = id ? id : "";
    for_ = for_ ? for_ : "";
    static const char *const kinds[] = {"graph", "node",     "edge", "hyperedge",
                                        "port",  "endpoint", "all",  "graphml"};
    bool known = false;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        known = known || strcmp(for_, kinds[i]) == 0;
    if (!known)
        return fail(p, line_of(n), ENG_EPARSE, "key '%s': bad 'for' value '%s'", id,
                    for_);
    if (rg__grow(&p->keys, &p->cap_keys, p->nkeys + 1, sizeof *p->keys))
        return nomem(p);
    struct key *k = &p->keys[p->nkeys++];
    *k = (struct key){.id = id, .name = name ? name : "", .line = line_of(n)};
    k->prop = prop_of(k->name);
    k->kind = strcmp(for_, "node") == 0   ? FOR_NODE
              : strcmp(for_, "edge") == 0 ? FOR_EDGE
                                          : FOR_OTHER;
    for (const xmlNode *c = n->children; c; c = c->next)
        if (is_elem(c, "default")) {
            free(k->def);
            if (!(k->def = text_of(c)))
                return nomem(p);
        }
    return 0;
}

/* Later keys with the same id replace earlier ones (Boost's map). */
static const struct key *key_find(const struct rparse *p, const char *id)
{
    for (size_t i = p->nkeys; i-- > 0;)
        if (strcmp(p->keys[i].id, id) == 0)
            return &p->keys[i];
    return NULL;
}

/* ---- property values ------------------------------------------------------- */

static int parse_int(struct rparse *p, int line, const struct key *k, const char *s,
                     int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi) {
        return fail(p, line, ENG_EPARSE,
                    "%.64s: expected an integer in [%lld, %lld], got '%.64s'", k->name,
                    (long long)lo, (long long)hi, s);
    }
    *out = v;
    return 0;
}

static rg_sym_t intern(struct rparse *p, const char *s)
{
    return rg_sym_intern(p->g, s);
}

static int set_string(struct rparse *p, int line, const struct key *k, const char *val,
                      rg_sym_t *dst)
{
    if (strlen(val) >= RG_SYM_LEN_MAX)
        return fail(p, line, ENG_ELIMIT, "%s: value longer than %d bytes", k->name,
                    RG_SYM_LEN_MAX - 1);
    if ((*dst = intern(p, val)) == RG_SYM_NONE)
        return nomem(p);
    return 0;
}

static int set_pool_prop(struct rparse *p, struct grug__pool *v, const struct key *k,
                         const char *val, int line)
{
    switch (k->prop) {
    case P_ROOT:
        return parse_int(p, line, k, val, INT32_MIN, INT32_MAX, &v->root);
    case P_SIZE:
        return parse_int(p, line, k, val, INT64_MIN, INT64_MAX, &v->size);
    case P_TYPE:
        return set_string(p, line, k, val, &v->type);
    case P_BASENAME:
        return set_string(p, line, k, val, &v->basename);
    case P_UNIT:
        return set_string(p, line, k, val, &v->unit);
    case P_SUBSYSTEM:
        return set_string(p, line, k, val, &v->subsystem);
    default:
        return fail(p, line, ENG_EPARSE,
                    "property '%s' (key '%s') is not a node property", k->name, k->id);
    }
}

static int set_gen(struct rparse *p, struct grug__rule *e, const char *val, int line)
{
    static const char *const names[] = {"MULTIPLY", "ASSOCIATE_IN",
                                        "ASSOCIATE_BY_PATH_IN"};
    for (int i = 0; i < 3; i++)
        if (strcmp(val, names[i]) == 0) {
            e->gen = (enum grug__gen)i;
            return 0;
        }
    return fail(p, line, ENG_EPARSE, "edge '%s': unknown gen_method '%s'", e->xml_id,
                val);
}

static int set_rule_prop(struct rparse *p, struct grug__rule *e, const struct key *k,
                         const char *val, int line)
{
    rg_sym_t unused;
    switch (k->prop) {
    case P_E_SUBSYSTEM:
        return set_string(p, line, k, val, &e->e_subsystem);
    case P_AS_TGT_SUBSYSTEM:
        return set_string(p, line, k, val, &e->as_tgt_subsystem);
    case P_RELATION:
    case P_RRELATION:
        return set_string(p, line, k, val, &unused);
    case P_GEN_METHOD:
        return set_gen(p, e, val, line);
    case P_ID_SCOPE:
        return parse_int(p, line, k, val, INT32_MIN, INT32_MAX, &e->id_scope);
    case P_ID_START:
        return parse_int(p, line, k, val, INT32_MIN, INT32_MAX, &e->id_start);
    case P_ID_STRIDE:
        return parse_int(p, line, k, val, INT32_MIN, INT32_MAX, &e->id_stride);
    case P_MULTI_SCALE:
        return parse_int(p, line, k, val, 0, INT32_MAX, &e->multi_scale);
    case P_AS_TGT_UPLVL:
        return parse_int(p, line, k, val, INT32_MIN, INT32_MAX, &e->as_tgt_uplvl);
    case P_AS_SRC_UPLVL:
        return parse_int(p, line, k, val, INT32_MIN, INT32_MAX, &e->as_src_uplvl);
    default:
        return fail(p, line, ENG_EPARSE,
                    "property '%s' (key '%s') is not an edge property", k->name, k->id);
    }
}

/* Apply the defaults of the keys of 'kind' to a new pool or rule. */
static int apply_defaults(struct rparse *p, enum key_for kind, void *obj, int line)
{
    for (size_t i = 0; i < p->nkeys; i++) {
        const struct key *k = &p->keys[i];
        if (k->kind != kind || !k->def || key_find(p, k->id) != k)
            continue;
        int rc = kind == FOR_NODE ? set_pool_prop(p, obj, k, k->def, k->line)
                                  : set_rule_prop(p, obj, k, k->def, k->line);
        if (rc)
            return rc;
    }
    (void)line;
    return 0;
}

/* <data key="..."> children of 'n'. */
static int apply_data(struct rparse *p, const xmlNode *n, enum key_for kind, void *obj)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (!is_elem(c, "data"))
            continue;
        const char *kid = attr(c, "key");
        const struct key *k = key_find(p, kid ? kid : "");
        if (!k || k->prop == P_NONE)
            return fail(p, line_of(c), ENG_EPARSE, "data: unknown key '%s'%s",
                        kid ? kid : "", k ? " (no such property)" : "");
        char *val = text_of(c);
        if (!val)
            return nomem(p);
        int rc = kind == FOR_NODE ? set_pool_prop(p, obj, k, val, line_of(c))
                                  : set_rule_prop(p, obj, k, val, line_of(c));
        free(val);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- pools and rules ------------------------------------------------------- */

static long pool_find(const struct grug__recipe *r, const char *id)
{
    for (size_t i = 0; i < r->npool; i++)
        if (strcmp(r->pool[i].xml_id, id) == 0)
            return (long)i;
    return -1;
}

/* Boost's handle_vertex: the pool named 'id', made (with defaults) if new. */
static int pool_get(struct rparse *p, const char *id, int line, uint32_t *out)
{
    struct grug__recipe *r = p->r;
    long i = pool_find(r, id);
    if (i >= 0) {
        *out = (uint32_t)i;
        return 0;
    }
    if (r->npool >= GRUG_RECIPE_MAX)
        return fail(p, line, ENG_ELIMIT, "more than %d recipe nodes", GRUG_RECIPE_MAX);
    if (rg__grow(&r->pool, &r->cap_pool, r->npool + 1, sizeof *r->pool))
        return nomem(p);
    struct grug__pool *v = &r->pool[r->npool];
    *v = (struct grug__pool){.type = RG_SYM_EMPTY,
                             .basename = RG_SYM_EMPTY,
                             .unit = RG_SYM_EMPTY,
                             .subsystem = RG_SYM_EMPTY,
                             .line = line};
    if (!(v->xml_id = strdup(id)))
        return nomem(p);
    *out = (uint32_t)r->npool++;
    return apply_defaults(p, FOR_NODE, v, line);
}

static int read_node(struct rparse *p, const xmlNode *n)
{
    const char *id = attr(n, "id");
    if (!id)
        return fail(p, line_of(n), ENG_EPARSE, "node: missing attribute 'id'");
    uint32_t i;
    int rc = pool_get(p, id, line_of(n), &i);
    return rc ? rc : apply_data(p, n, FOR_NODE, &p->r->pool[i]);
}

static int read_edge(struct rparse *p, const xmlNode *n, bool directed)
{
    struct grug__recipe *r = p->r;
    const char *src = attr(n, "source"), *dst = attr(n, "target"),
               *d = attr(n, "directed");
    const char *id = attr(n, "id");
    if (!src || !dst)
        return fail(p, line_of(n), ENG_EPARSE, "edge '%s': missing attribute '%s'",
                    id ? id : "", src ? "target" : "source");
    if (d ? strcmp(d, "true") != 0 : !directed)
        return fail(p, line_of(n), ENG_EPARSE, "edge '%s': undirected edge",
                    id ? id : "");
    if (r->nrule >= GRUG_RECIPE_MAX)
        return fail(p, line_of(n), ENG_ELIMIT, "more than %d recipe edges",
                    GRUG_RECIPE_MAX);
    uint32_t s, t;
    int rc = pool_get(p, src, line_of(n), &s);
    if (rc || (rc = pool_get(p, dst, line_of(n), &t)))
        return rc;
    if (rg__grow(&r->rule, &r->cap_rule, r->nrule + 1, sizeof *r->rule))
        return nomem(p);
    struct grug__rule *e = &r->rule[r->nrule];
    *e = (struct grug__rule){.src = s,
                             .dst = t,
                             .e_subsystem = RG_SYM_EMPTY,
                             .as_tgt_subsystem = RG_SYM_EMPTY,
                             .line = line_of(n)};
    if (!(e->xml_id = strdup(id ? id : "")))
        return nomem(p);
    r->nrule++;
    /* without a gen_method default or value, Fluxion's is unknown */
    e->gen = (enum grug__gen) - 1;
    if ((rc = apply_defaults(p, FOR_EDGE, e, e->line)) ||
        (rc = apply_data(p, n, FOR_EDGE, e)))
        return rc;
    if ((int)e->gen < 0)
        return fail(p, e->line, ENG_EPARSE, "edge '%s': no gen_method", e->xml_id);
    return 0;
}

static int read_graph(struct rparse *p, const xmlNode *gr)
{
    const char *ed = attr(gr, "edgedefault");
    if (!ed)
        return fail(p, line_of(gr), ENG_EPARSE, "graph: missing attribute 'edgedefault'");
    bool directed = strcmp(ed, "directed") == 0;
    for (const xmlNode *c = gr->children; c; c = c->next) {
        int rc = is_elem(c, "node") ? read_node(p, c) : 0;
        if (rc)
            return rc;
    }
    for (const xmlNode *c = gr->children; c; c = c->next) {
        int rc = is_elem(c, "edge") ? read_edge(p, c, directed) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

static int read_graphml(struct rparse *p, const xmlNode *root)
{
    if (!root || !is_elem(root, "graphml"))
        return fail(p, root ? line_of(root) : 1, ENG_EPARSE,
                    "not a GraphML document (root element '%s')",
                    root ? (const char *)root->name : "");
    const xmlNode *graph = NULL;
    for (const xmlNode *c = root->children; c; c = c->next) {
        int rc = is_elem(c, "key") ? read_key(p, c) : 0;
        if (rc)
            return rc;
        if (!graph && is_elem(c, "graph"))
            graph = c;
    }
    if (!graph)
        return fail(p, line_of(root), ENG_EPARSE, "graphml: no graph element");
    return read_graph(p, graph);
}

/* libxml2's message, one line, without its trailing newline. */
static int xml_error(struct rparse *p, xmlParserCtxtPtr ctx)
{
    const xmlError *e = ctx ? xmlCtxtGetLastError(ctx) : NULL;
    if (!e || !e->message)
        return fail(p, 0, ENG_EPARSE, "malformed XML");
    char msg[200];
    snprintf(msg, sizeof msg, "%s", e->message);
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    return eng_errorf(p->err, ENG_EPARSE, p->r->source, e->line,
                      e->int2 > 0 ? e->int2 : 0, "malformed XML: %s", msg);
}

int grug__recipe_parse(struct grug__recipe *r, rg_graph_t *g, const char *text,
                       size_t len, eng_error_t *err)
{
    struct rparse p = {.r = r, .g = g, .err = err};
    if (len > INT_MAX)
        return eng_errorf(err, ENG_ELIMIT, r->source, 0, 0, "recipe larger than 2 GiB");
    xmlParserCtxtPtr ctx = xmlNewParserCtxt();
    if (!ctx)
        return nomem(&p);
    int flags =
        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
    xmlDocPtr doc = xmlCtxtReadMemory(ctx, text, (int)len, r->source, NULL, flags);
    int rc = doc ? read_graphml(&p, xmlDocGetRootElement(doc)) : xml_error(&p, ctx);
    for (size_t i = 0; i < p.nkeys; i++)
        free(p.keys[i].def);
    free(p.keys);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctx);
    return rc;
}

void grug__recipe_free(struct grug__recipe *r)
{
    for (size_t i = 0; i < r->npool; i++)
        free(r->pool[i].xml_id);
    for (size_t i = 0; i < r->nrule; i++)
        free(r->rule[i].xml_id);
    free(r->pool);
    free(r->rule);
    r->pool = NULL;
    r->rule = NULL;
    r->npool = r->nrule = 0;
}
