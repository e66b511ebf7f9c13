/* prune.c: pruning filters (Fluxion's matcher_util_api_t pruning tables and
 * dfu_impl_t::prime_pruning_filter).
 *
 * A filter "HL:LL" installs at every vertex of type HL ("ALL": every vertex)
 * a multi-planner that tracks how many LL units its subtree holds over time,
 * so a request can skip a whole subtree that lacks them.  As in Fluxion, leaf
 * types that no filter names are added against the "cluster" type, and a
 * vertex never tracks its own type. */
#include <stdlib.h>
#include <string.h>

#include "eng_private.h"

static bool set_has(const rg_sym_t *s, unsigned n, rg_sym_t t)
{
    for (unsigned i = 0; i < n; i++)
        if (s[i] == t)
            return true;
    return false;
}

/* Insert 't' keeping 's' sorted by Fluxion's interned-type order. */
static void set_insert(eng_t *e, rg_sym_t *s, unsigned *n, rg_sym_t t)
{
    if (set_has(s, *n, t) || *n >= ENG_PRUNE_TYPES_MAX)
        return;
    uint32_t r = eng__type_rank(e, t);
    unsigned pos = *n;
    while (pos > 0 && eng__type_rank(e, s[pos - 1]) > r)
        pos--;
    memmove(&s[pos + 1], &s[pos], (*n - pos) * sizeof *s);
    s[pos] = t;
    (*n)++;
}

static void set_erase(rg_sym_t *s, unsigned *n, rg_sym_t t)
{
    for (unsigned i = 0; i < *n; i++) {
        if (s[i] == t) {
            memmove(&s[i], &s[i + 1], (*n - i - 1) * sizeof *s);
            (*n)--;
            return;
        }
    }
}

static struct prune_anchor *anchor_get(eng_t *e, rg_sym_t a, bool create)
{
    struct prune_tab *p = &e->prune;
    for (unsigned i = 0; i < p->nanchors; i++)
        if (p->anchors[i].anchor == a)
            return &p->anchors[i];
    if (!create || p->nanchors >= ENG_PRUNE_TYPES_MAX)
        return NULL;
    struct prune_anchor *n = &p->anchors[p->nanchors++];
    n->anchor = a;
    n->ntypes = 0;
    return n;
}

/* matcher_util_api_t::set_pruning_type */
static void set_pruning_type(eng_t *e, rg_sym_t anchor, rg_sym_t t)
{
    struct prune_tab *p = &e->prune;
    if (anchor == RG_SYM_NONE) {
        for (unsigned i = 0; i < p->nanchors; i++)
            set_erase(p->anchors[i].types, &p->anchors[i].ntypes, t);
        struct prune_anchor *any = anchor_get(e, RG_SYM_NONE, true);
        if (any)
            set_insert(e, any->types, &any->ntypes, t);
    } else {
        struct prune_anchor *any = anchor_get(e, RG_SYM_NONE, false);
        if (!any || !set_has(any->types, any->ntypes, t)) {
            struct prune_anchor *a = anchor_get(e, anchor, true);
            if (a)
                set_insert(e, a->types, &a->ntypes, t);
        }
    }
    if (!set_has(p->total, p->ntotal, t) && p->ntotal < ENG_PRUNE_TYPES_MAX)
        p->total[p->ntotal++] = t;
}

/* Copy 'len' bytes of 's' without whitespace into 'out' (size 'size'). */
static size_t strip_ws(const char *s, size_t len, char *out, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < size; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f' &&
            s[i] != '\v')
            out[n++] = s[i];
    out[n] = '\0';
    return n;
}

static int register_pair(eng_t *e, const char *pair, size_t len, eng_error_t *err)
{
    const char *colon = memchr(pair, ':', len);
    char hl[256], ll[256];
    if (!colon || strip_ws(pair, (size_t)(colon - pair), hl, sizeof hl) == 0 ||
        strip_ws(colon + 1, len - (size_t)(colon - pair) - 1, ll, sizeof ll) == 0)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "malformed pruning filter '%.*s'",
                          (int)len, pair);
    rg_sym_t a = strcmp(hl, "ALL") == 0 ? RG_SYM_NONE : rg_sym_intern(e->g, hl);
    rg_sym_t t = rg_sym_intern(e->g, ll);
    if (t == RG_SYM_NONE || (a == RG_SYM_NONE && strcmp(hl, "ALL") != 0))
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    set_pruning_type(e, a, t);
    return 0;
}

/* Install the pruning types of 'spec' ("HL:LL,..."); needs the graph, whose
 * symbol table holds the types. */
int prune__spec_parse(eng_t *e, const char *spec, eng_error_t *err)
{
    memset(&e->prune, 0, sizeof e->prune);
    if (!spec || !*spec)
        return 0;
    const char *s = spec;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        int rc = register_pair(e, s, len, err);
        if (rc < 0)
            return rc;
        if (!comma)
            break;
        s = comma + 1;
    }
    return 0;
}

/* Check a spec without a graph (eng_create): same syntax rules. */
bool prune__is_type(const eng_t *e, rg_sym_t t)
{
    return set_has(e->prune.total, e->prune.ntotal, t);
}

int prune__index(const eng_t *e, rg_sym_t t)
{
    for (unsigned i = 0; i < e->prune.ntotal; i++)
        if (e->prune.total[i] == t)
            return (int)i;
    return -1;
}

/* get_my_pruning_types(anchor): the anchor's own set, then ALL's minus the
 * anchor itself. */
static unsigned my_types(eng_t *e, rg_sym_t anchor, rg_sym_t *out)
{
    unsigned n = 0;
    struct prune_anchor *a = anchor_get(e, anchor, false);
    if (a)
        for (unsigned i = 0; i < a->ntypes; i++)
            out[n++] = a->types[i];
    struct prune_anchor *any = anchor_get(e, RG_SYM_NONE, false);
    if (any)
        for (unsigned i = 0; i < any->ntypes && n < ENG_PRUNE_TYPES_MAX; i++)
            if (any->types[i] != anchor)
                out[n++] = any->types[i];
    return n;
}

static void accum_if(const eng_t *e, rg_sym_t t, int64_t c, int64_t *acc)
{
    int i = prune__index(e, t);
    if (i >= 0)
        acc[i] += (unsigned)c;
}

static int out_degree_zero(const eng_t *e, rg_vid_t u)
{
    return rg_out_first(e->g, u, RG_SYM_NONE) == RG_EID_NONE;
}

/* The index table of vertex 'u''s subplan: [len, prune index...], shared by
 * all vertices of the same type (their subplans track the same types). */
static const int32_t *sp_table(eng_t *e, rg_vid_t u)
{
    rg_sym_t type = rg_vertex_get(e->g, u)->type;
    for (size_t i = 0; i < e->nsp_tabs; i++)
        if (e->sp_tab_type[i] == type)
            return e->sp_tabs[i];
    size_t n = planner_multi_resources_len(e->subplan[u]);
    int32_t *t = malloc((n + 1) * sizeof *t);
    int32_t **nt = realloc(e->sp_tabs, (e->nsp_tabs + 1) * sizeof *nt);
    if (nt)
        e->sp_tabs = nt;
    rg_sym_t *ny = realloc(e->sp_tab_type, (e->nsp_tabs + 1) * sizeof *ny);
    if (ny)
        e->sp_tab_type = ny;
    if (!t || !nt || !ny) {
        free(t);
        return NULL;
    }
    t[0] = (int32_t)n;
    for (size_t i = 0; i < n; i++) {
        const char *name = planner_multi_resource_type_at(e->subplan[u], i);
        t[i + 1] = prune__index(e, rg_sym_find(e->g, name));
    }
    e->sp_tabs[e->nsp_tabs] = t;
    e->sp_tab_type[e->nsp_tabs++] = type;
    return t;
}

static int install_subplan(eng_t *e, rg_vid_t u, const int64_t *dfv, eng_error_t *err)
{
    const struct rg_vertex *v = rg_vertex_get(e->g, u);
    rg_sym_t types[ENG_PRUNE_TYPES_MAX];
    const char *names[ENG_PRUNE_TYPES_MAX];
    int64_t avail[ENG_PRUNE_TYPES_MAX];
    unsigned n = my_types(e, v->type, types);
    if (n == 0)
        return 0;
    for (unsigned i = 0; i < n; i++) {
        names[i] = rg_sym_str(e->g, types[i]);
        int k = prune__index(e, types[i]);
        avail[i] = k >= 0 ? dfv[k] : 0;
    }
    if (e->subplan[u]) {
        eng__sub_changed(e, u);
        int rc = planner_multi_update(e->subplan[u], avail, names, n);
        if (rc < 0)
            return eng_errorf(err, rc, NULL, 0, 0,
                              "prime: error updating a multi-planner");
    } else {
        planner_multi_t *p =
            planner_multi_create(0, ENG_PLAN_DURATION, avail, names, n, err);
        if (!p) {
            eng__msg_add(e, "prime: error initializing a multi-planner. ");
            return err ? err->code : ENG_ENOMEM;
        }
        e->subplan[u] = p;
        planner_multi__set_sink(p, &e->sink);
        e->sink.all = true; /* a new aggregate: what the select reads changed */
        eng__sub_changed(e, u);
    }
    e->sp_idx[u] = NULL; /* resolved after priming: tables may still grow */
    return 0;
}

static int prime(eng_t *e, rg_vid_t u, int64_t *to_parent, eng_error_t *err)
{
    const struct rg_vertex *v = rg_vertex_get(e->g, u);
    rg_sym_t type = v->type;
    int64_t size = v->size;
    e->color[u] = e->color_base + 1;
    accum_if(e, type, size, to_parent);
    if (out_degree_zero(e, u)) {
        if (!prune__is_type(e, type)) {
            set_pruning_type(e, e->sym_cluster, type);
            accum_if(e, type, size, to_parent);
        }
        e->color[u] = e->color_base + 2;
        return 0;
    }
    int64_t dfv[ENG_PRUNE_TYPES_MAX] = {0};
    for (rg_eid_t ed = rg_out_first(e->g, u, e->dom); ed != RG_EID_NONE;
         ed = rg_out_next(e->g, ed, e->dom)) {
        rg_vid_t t = rg_edge_get(e->g, ed)->dst;
        if (e->color[t] > e->color_base)
            continue;
        int rc = prime(e, t, dfv, err);
        if (rc < 0)
            return rc;
    }
    for (unsigned i = 0; i < e->prune.ntotal; i++)
        to_parent[i] += dfv[i];
    int rc = install_subplan(e, u, dfv, err);
    e->color[u] = e->color_base + 2;
    return rc;
}

/* Build the subtree planners from the graph (Fluxion's traverser
 * initialize()), then map each subplan's types to prune indices. */
int prune__prime(eng_t *e, eng_error_t *err)
{
    rg_vid_t root = rg_graph_root(e->g, e->dom);
    if (root == RG_VID_NONE)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0,
                          "subsystem '%s' has no root in the resource graph",
                          rg_sym_str(e->g, e->dom));
    for (size_t i = 0; i < e->nsp_tabs; i++)
        free(e->sp_tabs[i]);
    e->nsp_tabs = 0;
    e->color_base += 3;
    int64_t top[ENG_PRUNE_TYPES_MAX] = {0};
    int rc = prime(e, root, top, err);
    e->color_base += 3;
    if (rc < 0)
        return rc;
    size_t bound = rg_graph_vid_bound(e->g);
    for (rg_vid_t u = 0; u < bound; u++) {
        if (!e->subplan[u])
            continue;
        e->sp_idx[u] = sp_table(e, u);
        if (!e->sp_idx[u])
            return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return 0;
}

size_t prune__relevant(eng_t *e, rg_vid_t v, const int64_t *counts)
{
    const int32_t *t = e->sp_idx[v];
    if (!t)
        return 0;
    for (int32_t i = 0; i < t[0]; i++)
        e->agg_buf[i] = t[i + 1] >= 0 ? counts[t[i + 1]] : 0;
    return (size_t)t[0];
}
