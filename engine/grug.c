/* grug.c: GRUG recipe -> resource graph (the generation walk, see grug.h).
 *
 * The walk mirrors Fluxion's dfs_emitter_t under Boost's depth_first_search,
 * including its quirks, because vertex ids depend on them:
 * - the "scales" stack gets a MULTIPLY edge's multi_scale pushed when the
 *   edge is generated, and loses its top whenever ANY recipe vertex
 *   finishes (also after an ASSOCIATE edge, which pushed nothing);
 * - an id with id_scope s > 0 is local to the s nearest scales on that
 *   stack: id = id_start + (j mod prod(scales[0..s-1])) * multi_scale *
 *   id_stride + i * id_stride, for the i-th copy made from the j-th source;
 * - a root pool makes its vertex only when it has an out-edge, and reuses
 *   the existing root of its subsystem if there is one.
 *
 * Cost: O(1) amortised per generated vertex plus the path string (built
 * once per source, not per copy); the builder (rg.h) stores derivable
 * containment paths for free, so the reader adds nothing per vertex beyond
 * the list of vertices generated for each pool (4 bytes). */
#include "grug.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fio.h"
#include "grug_private.h"
#include "rg_private.h"

struct vlist {
    rg_vid_t *v;
    size_t n, cap;
};

enum color { WHITE, GRAY, BLACK };

struct frame {
    uint32_t pool;
    size_t next; /* index into out[pool] */
};

struct gen {
    rg_graph_t *g;
    const struct grug__recipe *r;
    eng_error_t *err;
    size_t max_vertices;
    struct vlist *made;        /* per pool: the vertices made (or associated) for it */
    uint32_t *out_start, *out; /* rules by source pool, document order */
    int64_t *scales;           /* the stack; its top is the last element */
    size_t nscales, cap_scales;
    int64_t node_rank;
    rg_sym_t node_type;
    /* errors of the builder, cleared once: a load stops at the first, and
     * clearing 400 bytes per call was 4% of the load */
    eng_error_t scratch;
    bool staged; /* paths go to 'stage' first (see grug_private.h) */
    struct grug__stage stage;
    struct root {
        rg_sym_t subsys;
        rg_vid_t v;
    } * roots; /* Fluxion's m.roots: the root made per subsystem */
    size_t nroots, cap_roots;
    char path[RG_PATH_MAX];
};

static int nomem(struct gen *x)
{
    return eng_errorf(x->err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
}

static int rule_fail(struct gen *x, const struct grug__rule *e, int code, const char *fmt,
                     ...) __attribute__((format(printf, 4, 5)));

static int rule_fail(struct gen *x, const struct grug__rule *e, int code, const char *fmt,
                     ...)
{
    char text[ENG_ERROR_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return eng_errorf(x->err, code, x->r->source, e->line, 0, "edge '%.64s': %s",
                      e->xml_id, text);
}

static int vlist_push(struct vlist *l, rg_vid_t v)
{
    if (l->n == l->cap && rg__grow(&l->v, &l->cap, l->n + 1, sizeof *l->v))
        return ENG_ENOMEM;
    l->v[l->n++] = v;
    return 0;
}

static const char *sym(const struct gen *x, rg_sym_t s)
{
    return rg_sym_str(x->g, s);
}

/* Path of 'v' in 'subsys' into 'buf' (RG_PATH_MAX bytes); "" when it has
 * none (Fluxion reads a missing path as empty).  Returns its length. */
static size_t path_of(const struct gen *x, rg_vid_t v, rg_sym_t subsys, char *buf)
{
    if (x->staged) {
        const char *p = grug__stage_get(&x->stage, v, subsys);
        size_t n = p ? strlen(p) : 0;
        memcpy(buf, p ? p : "", n + 1);
        return n;
    }
    int n = rg_vertex_path(x->g, v, subsys, buf, RG_PATH_MAX);
    if (n < 0) {
        buf[0] = '\0';
        return 0;
    }
    return (size_t)n;
}

/* 'buf' = 'prefix' (of 'plen' bytes) + "/" + 'name'; ENG_ELIMIT if too long. */
static int path_join(char *buf, size_t plen, const char *name)
{
    size_t nl = strlen(name);
    if (plen + 1 + nl >= RG_PATH_MAX)
        return ENG_ELIMIT;
    buf[plen] = '/';
    memcpy(buf + plen + 1, name, nl + 1);
    return 0;
}

/* ---- making vertices --------------------------------------------------- */

/* Fluxion's gen_id(). */
static int64_t gen_id(const struct gen *x, const struct grug__rule *e, int64_t i,
                      int64_t sz, int64_t j)
{
    int64_t scope = e->id_scope;
    if (scope < 0)
        return -1;
    if (scope == 0)
        return e->id_start + i;
    if (scope > (int64_t)x->nscales)
        scope = (int64_t)x->nscales;
    int64_t wrap = 1;
    for (int64_t h = 0; h < scope; h++) {
        int64_t sc = x->scales[x->nscales - 1 - (size_t)h];
        if (sc && wrap > INT64_MAX / sc) {
            wrap = INT64_MAX; /* j never gets that far */
            break;
        }
        wrap *= sc;
    }
    /* Fluxion computes in int; unsigned arithmetic wraps like it without
     * undefined behaviour on absurd recipes */
    uint64_t id =
        (uint64_t)e->id_start +
        (uint64_t)(wrap ? j % wrap : 0) * (uint64_t)sz * (uint64_t)e->id_stride +
        (uint64_t)i * (uint64_t)e->id_stride;
    return (int64_t)(int32_t)(uint32_t)id;
}

static rg_vid_t add_vertex(struct gen *x, const struct grug__pool *u, int64_t id,
                           eng_error_t *err)
{
    /* basename + decimal id by hand: snprintf was 3% of a sierra load */
    char name[RG_SYM_LEN_MAX + 24], digits[24];
    const char *base = sym(x, u->basename);
    size_t bl = strlen(base), nd = 0;
    memcpy(name, base, bl);
    if (id != -1) {
        uint64_t m = id < 0 ? (uint64_t)0 - (uint64_t)id : (uint64_t)id;
        do
            digits[nd++] = (char)('0' + m % 10);
        while ((m /= 10) > 0);
        if (id < 0)
            digits[nd++] = '-';
    }
    for (size_t k = 0; k < nd; k++)
        name[bl + k] = digits[nd - 1 - k];
    name[bl + nd] = '\0';
    struct rg_vertex_init in;
    rg_vertex_init_default(&in);
    in.type = u->type;
    in.basename = u->basename;
    in.unit = u->unit;
    in.size = u->size;
    in.id = id;
    in.uniq_id = (int64_t)rg_graph_vid_bound(x->g);
    in.rank = u->type == x->node_type ? ++x->node_rank : -1;
    if ((in.name = rg_sym_intern(x->g, name)) == RG_SYM_NONE) {
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
        return RG_VID_NONE;
    }
    return rg_vertex_add(x->g, &in, err);
}

/* Set the path of 'v' in 'subsys' to x->path + "/" + its name, where
 * x->path holds 'plen' bytes of prefix. */
static int set_path(struct gen *x, const struct grug__rule *e, rg_vid_t v,
                    rg_sym_t subsys, size_t plen)
{
    const char *name = sym(x, rg_vertex_get(x->g, v)->name);
    char buf[RG_PATH_MAX];
    memcpy(buf, x->path, plen);
    if (path_join(buf, plen, name))
        return rule_fail(x, e, ENG_ELIMIT, "path of %s longer than %d bytes", name,
                         RG_PATH_MAX - 1);
    if (x->staged)
        return grug__stage_set(&x->stage, v, subsys, buf) ? nomem(x) : 0;
    if (rg_vertex_path_set(x->g, v, subsys, buf, &x->scratch))
        return rule_fail(x, e, x->scratch.code, "%s: %s", buf, x->scratch.text);
    return 0;
}

static int add_edge(struct gen *x, const struct grug__rule *e, rg_vid_t s, rg_vid_t t)
{
    if (rg_edge_add(x->g, s, t, e->e_subsystem, RG_SYM_CONTAINS, &x->scratch) !=
        RG_EID_NONE)
        return 0;
    return rule_fail(x, e, x->scratch.code, "edge %s -> %s: %s",
                     sym(x, rg_vertex_get(x->g, s)->name),
                     sym(x, rg_vertex_get(x->g, t)->name), x->scratch.text);
}

/* The root vertex of pool 'u' (made when its subsystem has none). */
static int emit_root(struct gen *x, uint32_t u, const struct grug__rule *e)
{
    const struct grug__pool *p = &x->r->pool[u];
    rg_vid_t v = RG_VID_NONE;
    for (size_t i = 0; i < x->nroots; i++)
        if (x->roots[i].subsys == p->subsystem)
            v = x->roots[i].v;
    if (v == RG_VID_NONE) {
        if ((v = add_vertex(x, p, 0, &x->scratch)) == RG_VID_NONE)
            return rule_fail(x, e, x->scratch.code, "%s", x->scratch.text);
        if (rg__grow(&x->roots, &x->cap_roots, x->nroots + 1, sizeof *x->roots))
            return nomem(x);
        x->roots[x->nroots++] = (struct root){p->subsystem, v};
        int rc = set_path(x, e, v, p->subsystem, 0);
        if (rc)
            return rc;
    }
    return vlist_push(&x->made[u], v) ? nomem(x) : 0;
}

/* ---- the three generation methods ------------------------------------- */

static int multiply(struct gen *x, const struct grug__rule *e)
{
    const struct grug__pool *tp = &x->r->pool[e->dst];
    const struct vlist *src = &x->made[e->src];
    size_t have = rg_graph_vid_bound(x->g);
    if (e->multi_scale > 0 &&
        (src->n > (x->max_vertices - have) / (size_t)e->multi_scale))
        return rule_fail(x, e, ENG_ELIMIT,
                         "%zu x %lld more vertices would pass the limit of %zu", src->n,
                         (long long)e->multi_scale, x->max_vertices);
    if (rg_graph_reserve(x->g, src->n * (size_t)e->multi_scale,
                         src->n * (size_t)e->multi_scale))
        return nomem(x);
    for (size_t j = 0; j < src->n; j++) {
        rg_vid_t s = src->v[j];
        size_t plen = path_of(x, s, tp->subsystem, x->path);
        for (int64_t i = 0; i < e->multi_scale; i++) {
            int64_t id = gen_id(x, e, i, e->multi_scale, (int64_t)j);
            rg_vid_t v = add_vertex(x, tp, id, &x->scratch);
            if (v == RG_VID_NONE)
                return rule_fail(x, e, x->scratch.code, "%s", x->scratch.text);
            int rc = add_edge(x, e, s, v);
            if (rc || (rc = set_path(x, e, v, tp->subsystem, plen)))
                return rc;
            if (vlist_push(&x->made[e->dst], v))
                return nomem(x);
        }
    }
    if (rg__grow(&x->scales, &x->cap_scales, x->nscales + 1, sizeof *x->scales))
        return nomem(x);
    x->scales[x->nscales++] = e->multi_scale;
    return 0;
}

/* Fluxion's path_prefix(): 'path' up to and including the slash that ends
 * its ('uplevel')-th last component; "" when 'uplevel' >= the number of
 * slashes.  Written into 'out' (RG_PATH_MAX bytes). */
static void path_prefix(const char *path, int64_t uplevel, char *out)
{
    int64_t slashes = 0;
    for (const char *p = path; *p; p++)
        slashes += *p == '/';
    out[0] = '\0';
    if (uplevel >= slashes)
        return;
    size_t len = strlen(path);
    int64_t want = slashes - uplevel + 1, seen = 0;
    for (size_t k = 0; k < len && seen < want; k++)
        if (path[k] == '/' && ++seen == want)
            len = k + 1;
    memcpy(out, path, len);
    out[len] = '\0';
    if (len == 0 || out[len - 1] != '/') {
        out[len] = '/';
        out[len + 1] = '\0';
    }
}

static bool path_matches(const struct gen *x, const struct grug__rule *e, rg_vid_t s,
                         rg_vid_t t)
{
    char a[RG_PATH_MAX + 1], b[RG_PATH_MAX + 1], pa[RG_PATH_MAX + 2], pb[RG_PATH_MAX + 2];
    path_of(x, t, e->as_tgt_subsystem, a);
    path_of(x, s, e->as_tgt_subsystem, b);
    path_prefix(a, e->as_tgt_uplvl, pa);
    path_prefix(b, e->as_src_uplvl, pb);
    return strcmp(pa, pb) == 0;
}

/* ASSOCIATE_IN, and ASSOCIATE_BY_PATH_IN when 'by_path'. */
static int associate(struct gen *x, const struct grug__rule *e, bool by_path)
{
    const struct vlist *src = &x->made[e->src];
    rg_sym_t type = x->r->pool[e->dst].type;
    for (size_t j = 0; j < src->n; j++) {
        rg_vid_t s = src->v[j];
        size_t plen = path_of(x, s, e->e_subsystem, x->path);
        for (rg_vid_t t = rg_vertex_first_of_type(x->g, type); t != RG_VID_NONE;
             t = rg_vertex_next_of_type(x->g, t)) {
            if (by_path && !path_matches(x, e, s, t))
                continue;
            int rc = add_edge(x, e, s, t);
            if (rc || (rc = set_path(x, e, t, e->e_subsystem, plen)))
                return rc;
            if (vlist_push(&x->made[e->dst], t))
                return nomem(x);
        }
    }
    return 0;
}

/* Boost's tree_edge event. */
static int tree_edge(struct gen *x, const struct grug__rule *e)
{
    int rc;
    if (x->r->pool[e->src].root && x->made[e->src].n == 0 &&
        (rc = emit_root(x, e->src, e)))
        return rc;
    x->made[e->dst].n = 0;
    switch (e->gen) {
    case GRUG__MULTIPLY:
        return multiply(x, e);
    case GRUG__ASSOCIATE_IN:
        return associate(x, e, false);
    case GRUG__ASSOCIATE_BY_PATH_IN:
        return associate(x, e, true);
    }
    return rule_fail(x, e, ENG_EPARSE, "unknown gen_method");
}

/* ---- the walk ---------------------------------------------------------- */

static int index_rules(struct gen *x)
{
    const struct grug__recipe *r = x->r;
    x->out_start = calloc(r->npool + 1, sizeof *x->out_start);
    x->out = malloc((r->nrule ? r->nrule : 1) * sizeof *x->out);
    x->made = calloc(r->npool ? r->npool : 1, sizeof *x->made);
    if (!x->out_start || !x->out || !x->made)
        return nomem(x);
    for (size_t i = 0; i < r->nrule; i++)
        x->out_start[r->rule[i].src + 1]++;
    for (size_t u = 0; u < r->npool; u++)
        x->out_start[u + 1] += x->out_start[u];
    uint32_t *fill = calloc(r->npool ? r->npool : 1, sizeof *fill);
    if (!fill)
        return nomem(x);
    for (size_t i = 0; i < r->nrule; i++) {
        uint32_t s = r->rule[i].src;
        x->out[x->out_start[s] + fill[s]++] = (uint32_t)i;
    }
    free(fill);
    return 0;
}

static void finish_vertex(struct gen *x)
{
    if (x->nscales)
        x->nscales--;
}

/* Depth-first from 'start', iteratively (recipes may be deep). */
static int visit(struct gen *x, uint32_t start, uint8_t *color, struct frame *stack)
{
    size_t n = 0;
    stack[n++] = (struct frame){start, x->out_start[start]};
    color[start] = GRAY;
    while (n > 0) {
        struct frame *f = &stack[n - 1];
        if (f->next == x->out_start[f->pool + 1]) {
            color[f->pool] = BLACK;
            finish_vertex(x);
            n--;
            continue;
        }
        const struct grug__rule *e = &x->r->rule[x->out[f->next++]];
        if (color[e->dst] == GRAY)
            return rule_fail(x, e, ENG_EPARSE,
                             "recipe cycle: '%.64s' is an ancestor of "
                             "'%.64s'",
                             x->r->pool[e->dst].xml_id, x->r->pool[e->src].xml_id);
        if (color[e->dst] == BLACK)
            continue; /* Boost ignores forward and cross edges */
        int rc = tree_edge(x, e);
        if (rc)
            return rc;
        color[e->dst] = GRAY;
        stack[n++] = (struct frame){e->dst, x->out_start[e->dst]};
    }
    return 0;
}

static int generate(struct gen *x)
{
    const struct grug__recipe *r = x->r;
    int rc = index_rules(x);
    if (rc)
        return rc;
    uint8_t *color = calloc(r->npool ? r->npool : 1, 1);
    struct frame *stack = malloc((r->npool ? r->npool : 1) * sizeof *stack);
    rc = color && stack ? 0 : nomem(x);
    for (uint32_t u = 0; u < r->npool && rc == 0; u++)
        if (color[u] == WHITE)
            rc = visit(x, u, color, stack);
    free(color);
    free(stack);
    return rc;
}

/* Every subsystem's edges must form a forest of bounded depth (ASSOCIATE
 * rules could otherwise tie a knot). */
static int check_trees(struct gen *x)
{
    rg_sym_t subs[64];
    size_t n = rg_graph_subsystems(x->g, subs, 64);
    for (size_t i = 0; i < n && i < 64; i++) {
        rg_vid_t where = RG_VID_NONE;
        int rc = rg_graph_check_tree(x->g, subs[i], &where);
        if (rc == ENG_ENOMEM || (rc && where == RG_VID_NONE))
            return nomem(x);
        if (rc)
            return eng_errorf(x->err, rc, x->r->source, 0, 0,
                              "generated vertex %s is %s (subsystem %s)",
                              sym(x, rg_vertex_get(x->g, where)->name),
                              rc == ENG_ELIMIT ? "too deep" : "on a cycle",
                              sym(x, subs[i]));
    }
    return 0;
}

rg_graph_t *grug_parse(const char *text, size_t len, const char *source,
                       const struct grug_opts *opts, eng_error_t *err)
{
    eng_error_t local;
    err = err ? err : &local;
    eng_error_clear(err);
    struct grug__recipe r = {.source = source ? source : "<string>"};
    struct gen x = {
        .r = &r, .err = err, .max_vertices = GRUG_VERTEX_MAX, .node_rank = -1};
    if (opts && opts->max_vertices)
        x.max_vertices = opts->max_vertices;
    if (!text) {
        eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no text");
        return NULL;
    }
    int rc = (x.g = rg_graph_create()) ? 0 : nomem(&x);
    if (rc == 0)
        rc = grug__recipe_parse(&r, x.g, text, len, err);
    for (size_t i = 0; rc == 0 && i < r.nrule; i++)
        x.staged = x.staged || r.rule[i].gen != GRUG__MULTIPLY;
    if (rc == 0) {
        x.node_type = rg_sym_intern(x.g, "node");
        rc = x.node_type == RG_SYM_NONE ? nomem(&x) : generate(&x);
    }
    if (rc == 0 && x.staged) {
        eng_error_t perr;
        eng_error_clear(&perr);
        if ((rc = grug__stage_commit(&x.stage, x.g, &perr)))
            eng_errorf(err, rc, r.source, 0, 0, "generated paths: %s", perr.text);
    }
    if (rc == 0)
        rc = check_trees(&x);
    for (size_t u = 0; x.made && u < r.npool; u++)
        free(x.made[u].v);
    free(x.made);
    free(x.out_start);
    free(x.out);
    free(x.scales);
    free(x.roots);
    grug__stage_free(&x.stage);
    grug__recipe_free(&r);
    if (rc) {
        rg_graph_destroy(x.g);
        return NULL;
    }
    rg_graph_compact(x.g);
    return x.g;
}

rg_graph_t *grug_load(const char *path, const struct grug_opts *opts, eng_error_t *err)
{
    eng_error_clear(err);
    size_t len = 0;
    char *text = fio_read_all(path, GRUG_FILE_MAX, &len, err);
    if (!text)
        return NULL;
    rg_graph_t *g =
        grug_parse(text, len, strcmp(path, "-") ? path : "<stdin>", opts, err);
    free(text);
    return g;
}
