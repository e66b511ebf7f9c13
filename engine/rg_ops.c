/* rg_ops.c: whole-graph operations on the resource graph: tree checks,
 * depth, comparison and attach (merge of a fragment). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rg_private.h"

/* ---- tree check ------------------------------------------------------------ */

struct dfs_frame {
    rg_vid_t v;
    rg_eid_t next; /* next out-edge to look at */
};

static bool is_tree_edge(const rg_graph_t *g, rg_eid_t e, rg_sym_t subsys)
{
    const struct rg_edge *x = &g->e[e];
    return x->subsystem == subsys && x->relation == RG_SYM_CONTAINS &&
           !((g->v[x->src].flags | g->v[x->dst].flags) & RG_VF_REMOVED);
}

/* Depth-first search from 'start' over tree edges, three colours: reaching
 * a grey vertex closes a cycle.  The stack is bounded by the depth limit. */
static int dfs(const rg_graph_t *g, rg_sym_t subsys, rg_vid_t start, uint8_t *color,
               struct dfs_frame *stack, rg_vid_t *where)
{
    size_t n = 0;
    stack[n++] = (struct dfs_frame){start, g->v[start].out_head};
    color[start] = 1;
    while (n > 0) {
        struct dfs_frame *f = &stack[n - 1];
        while (f->next != RG_EID_NONE && !is_tree_edge(g, f->next, subsys))
            f->next = g->e[f->next].next_out;
        if (f->next == RG_EID_NONE) {
            color[f->v] = 2;
            n--;
            continue;
        }
        rg_vid_t d = g->e[f->next].dst;
        f->next = g->e[f->next].next_out;
        if (color[d] == 1) {
            *where = d;
            return ENG_EPARSE;
        }
        if (color[d] == 2)
            continue;
        if (n > RG_DEPTH_MAX) {
            *where = d;
            return ENG_ELIMIT;
        }
        color[d] = 1;
        stack[n++] = (struct dfs_frame){d, g->v[d].out_head};
    }
    return 0;
}

static bool has_tree_in_edge(const rg_graph_t *g, rg_vid_t v, rg_sym_t subsys)
{
    for (rg_eid_t e = g->v[v].in_head; e != RG_EID_NONE; e = g->e[e].next_in)
        if (is_tree_edge(g, e, subsys))
            return true;
    return false;
}

int rg_graph_check_tree(const rg_graph_t *g, rg_sym_t subsystem, rg_vid_t *where)
{
    rg_vid_t dummy;
    where = where ? where : &dummy;
    *where = RG_VID_NONE;
    uint8_t *color = calloc(g->nv ? g->nv : 1, 1);
    struct dfs_frame *stack = malloc((RG_DEPTH_MAX + 2) * sizeof *stack);
    int rc = color && stack ? 0 : ENG_ENOMEM;
    /* Roots first so depths are measured from the top; whatever is still
     * white afterwards hangs off a cycle. */
    for (int pass = 0; pass < 2 && rc == 0; pass++)
        for (rg_vid_t v = 0; v < g->nv && rc == 0; v++)
            if (!color[v] && rg_vertex_is_live(g, v) &&
                (pass == 1 || !has_tree_in_edge(g, v, subsystem)))
                rc = dfs(g, subsystem, v, color, stack, where);
    free(color);
    free(stack);
    return rc;
}

int rg_graph_depth(const rg_graph_t *g)
{
    int best = -1;
    for (rg_vid_t v = 0; v < g->nv; v++) {
        if (!rg_vertex_is_live(g, v))
            continue;
        int d = 0;
        for (rg_vid_t u = g->v[v].parent; u != RG_VID_NONE && d <= (int)g->nv;
             u = g->v[u].parent)
            d++;
        if (d > best)
            best = d;
    }
    return best;
}

/* ---- comparison ------------------------------------------------------------ */

static const char *S(const rg_graph_t *g, rg_sym_t s)
{
    return s < g->nsyms ? g->syms[s].s : "(none)";
}

static bool sym_eq(const rg_graph_t *a, rg_sym_t x, const rg_graph_t *b, rg_sym_t y)
{
    return strcmp(S(a, x), S(b, y)) == 0;
}

static bool props_equal(const rg_graph_t *a, const rg_graph_t *b, rg_vid_t v)
{
    rg_prop_it_t i = rg_prop_first(a, v), j = rg_prop_first(b, v);
    for (; i && j; i = rg_prop_next(a, i), j = rg_prop_next(b, j))
        if (!sym_eq(a, rg_prop_key(a, i), b, rg_prop_key(b, j)) ||
            !sym_eq(a, rg_prop_value(a, i), b, rg_prop_value(b, j)))
            return false;
    return !i && !j;
}

static bool paths_equal(const rg_graph_t *a, const rg_graph_t *b, rg_vid_t v)
{
    rg_sym_t sa[RG__MAX_SUBSYS], sb[RG__MAX_SUBSYS];
    size_t na = rg_vertex_path_subsystems(a, v, sa, RG__MAX_SUBSYS);
    size_t nb = rg_vertex_path_subsystems(b, v, sb, RG__MAX_SUBSYS);
    if (na != nb)
        return false;
    char pa[RG_PATH_MAX], pb[RG_PATH_MAX];
    for (size_t i = 0; i < na && i < RG__MAX_SUBSYS; i++) {
        if (!sym_eq(a, sa[i], b, sb[i]) ||
            rg_vertex_path(a, v, sa[i], pa, sizeof pa) < 0 ||
            rg_vertex_path(b, v, sb[i], pb, sizeof pb) < 0 || strcmp(pa, pb) != 0)
            return false;
    }
    return true;
}

static bool vertex_equal(const rg_graph_t *a, const rg_graph_t *b, rg_vid_t v)
{
    const struct rg_vertex *x = &a->v[v], *y = &b->v[v];
    uint32_t pub = RG_VF_EXCLUSIVE | RG_VF_DOWN | RG_VF_REMOVED;
    return x->id == y->id && x->uniq_id == y->uniq_id && x->rank == y->rank &&
           x->size == y->size && (x->flags & pub) == (y->flags & pub) &&
           x->parent == y->parent && sym_eq(a, x->type, b, y->type) &&
           sym_eq(a, x->basename, b, y->basename) && sym_eq(a, x->name, b, y->name) &&
           sym_eq(a, x->unit, b, y->unit) && props_equal(a, b, v) && paths_equal(a, b, v);
}

static bool edge_equal(const rg_graph_t *a, const rg_graph_t *b, rg_eid_t e)
{
    const struct rg_edge *x = &a->e[e], *y = &b->e[e];
    return x->src == y->src && x->dst == y->dst &&
           sym_eq(a, x->subsystem, b, y->subsystem) &&
           sym_eq(a, x->relation, b, y->relation);
}

bool rg_graph_equal(const rg_graph_t *a, const rg_graph_t *b, char *why, size_t size)
{
    char dummy[1];
    if (!why || size == 0) {
        why = dummy;
        size = sizeof dummy;
    }
    why[0] = '\0';
    if (a->nv != b->nv || a->ne != b->ne) {
        snprintf(why, size, "sizes differ: %zu/%zu vertices, %zu/%zu edges", a->nv, b->nv,
                 a->ne, b->ne);
        return false;
    }
    for (rg_vid_t v = 0; v < a->nv; v++)
        if (!vertex_equal(a, b, v)) {
            snprintf(why, size, "vertex %u (%s) differs", v, S(a, a->v[v].name));
            return false;
        }
    /* Edge ids follow insertion order, so equal edge arrays also mean equal
     * per-vertex out-edge orders. */
    for (rg_eid_t e = 0; e < a->ne; e++)
        if (!edge_equal(a, b, e)) {
            snprintf(why, size, "edge %u differs", e);
            return false;
        }
    return true;
}

/* ---- attach ---------------------------------------------------------------- */

struct attach {
    rg_graph_t *g;
    const rg_graph_t *f;
    rg_sym_t *sym;  /* frag symbol -> g symbol */
    rg_vid_t *vmap; /* frag vid -> g vid (RG_VID_NONE: to be added) */
    bool *fresh;    /* frag vid is newly added */
};

static int map_symbols(struct attach *at, eng_error_t *err)
{
    for (size_t i = 0; i < at->f->nsyms; i++) {
        const struct rg__sym *s = &at->f->syms[i];
        if ((at->sym[i] = rg_sym_intern_n(at->g, s->s, s->len)) == RG_SYM_NONE)
            return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return 0;
}

/* Find 'fv' in g by (path, rank) in any of its subsystems; for a vertex to be
 * added, refuse a second root.  Returns the number of subsystems. */
static int match_vertex(struct attach *at, rg_vid_t fv, eng_error_t *err)
{
    rg_sym_t subs[RG__MAX_SUBSYS];
    char path[RG_PATH_MAX];
    size_t n = rg_vertex_path_subsystems(at->f, fv, subs, RG__MAX_SUBSYS);
    int64_t rank = at->f->v[fv].rank;
    for (size_t i = 0; i < n; i++) {
        rg_vertex_path(at->f, fv, subs[i], path, sizeof path);
        rg_vid_t u = rg_vertex_find_path_rank(at->g, at->sym[subs[i]], path, rank);
        if (u != RG_VID_NONE) {
            at->vmap[fv] = u;
            return 0;
        }
    }
    at->fresh[fv] = true;
    for (size_t i = 0; i < n; i++) {
        rg_vertex_path(at->f, fv, subs[i], path, sizeof path);
        if (!strchr(path + 1, '/') &&
            rg_graph_root(at->g, at->sym[subs[i]]) != RG_VID_NONE)
            return eng_errorf(err, ENG_EEXIST, NULL, 0, 0,
                              "attach: %s would be a second root of subsystem %s", path,
                              S(at->f, subs[i]));
    }
    return 0;
}

static int add_vertex(struct attach *at, rg_vid_t fv, eng_error_t *err)
{
    const struct rg_vertex *x = &at->f->v[fv];
    struct rg_vertex_init in = {
        .type = at->sym[x->type],
        .basename = at->sym[x->basename],
        .name = at->sym[x->name],
        .unit = at->sym[x->unit],
        .id = x->id,
        .uniq_id = x->uniq_id,
        .rank = x->rank,
        .size = x->size,
        .exclusive = (x->flags & RG_VF_EXCLUSIVE) != 0,
        .status = (x->flags & RG_VF_DOWN) ? RG_STATUS_DOWN : RG_STATUS_UP,
    };
    if ((at->vmap[fv] = rg_vertex_add(at->g, &in, err)) == RG_VID_NONE)
        return err ? err->code : ENG_ENOMEM;
    for (rg_prop_it_t p = rg_prop_first(at->f, fv); p; p = rg_prop_next(at->f, p)) {
        int rc = rg_vertex_prop_set(at->g, at->vmap[fv], S(at->f, rg_prop_key(at->f, p)),
                                    S(at->f, rg_prop_value(at->f, p)));
        if (rc)
            return eng_errorf(err, rc, NULL, 0, 0, "%s", eng_strerror(rc));
    }
    return 0;
}

static int add_paths(struct attach *at, rg_vid_t fv, eng_error_t *err)
{
    rg_sym_t subs[RG__MAX_SUBSYS];
    char path[RG_PATH_MAX];
    size_t n = rg_vertex_path_subsystems(at->f, fv, subs, RG__MAX_SUBSYS);
    for (size_t i = 0; i < n; i++) {
        rg_vertex_path(at->f, fv, subs[i], path, sizeof path);
        int rc = rg_vertex_path_set(at->g, at->vmap[fv], at->sym[subs[i]], path, err);
        if (rc)
            return rc;
    }
    return 0;
}

static bool edge_is_live_pub(const rg_graph_t *g, const struct rg_edge *e)
{
    return rg_vertex_is_live(g, e->src) && rg_vertex_is_live(g, e->dst);
}

static int attach_run(struct attach *at, size_t *added, eng_error_t *err)
{
    const rg_graph_t *f = at->f;
    int rc = map_symbols(at, err);
    size_t nnew = 0;
    for (rg_vid_t v = 0; v < f->nv && rc == 0; v++)
        if (rg_vertex_is_live(f, v) && (rc = match_vertex(at, v, err)) == 0)
            nnew += at->fresh[v];
    if (rc == 0 && rg_graph_reserve(at->g, nnew, f->ne))
        rc = eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    for (rg_vid_t v = 0; v < f->nv && rc == 0; v++)
        if (at->fresh[v])
            rc = add_vertex(at, v, err);
    for (rg_eid_t e = 0; e < f->ne && rc == 0; e++) {
        const struct rg_edge *x = &f->e[e];
        if (!edge_is_live_pub(f, x) || !(at->fresh[x->src] || at->fresh[x->dst]))
            continue;
        if (rg_edge_add(at->g, at->vmap[x->src], at->vmap[x->dst], at->sym[x->subsystem],
                        at->sym[x->relation], err) == RG_EID_NONE)
            rc = err ? err->code : ENG_EINVAL;
    }
    for (rg_vid_t v = 0; v < f->nv && rc == 0; v++)
        if (at->fresh[v])
            rc = add_paths(at, v, err);
    if (rc == 0 && added)
        *added = nnew;
    return rc;
}

int rg_graph_attach(rg_graph_t *g, const rg_graph_t *frag, size_t *added,
                    eng_error_t *err)
{
    struct attach at = {.g = g, .f = frag};
    at.sym = malloc((frag->nsyms + 1) * sizeof *at.sym);
    at.vmap = malloc((frag->nv + 1) * sizeof *at.vmap);
    at.fresh = calloc(frag->nv + 1, sizeof *at.fresh);
    int rc;
    if (!at.sym || !at.vmap || !at.fresh)
        rc = eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    else {
        memset(at.vmap, 0xff, (frag->nv + 1) * sizeof *at.vmap);
        rc = attach_run(&at, added, err);
    }
    free(at.sym);
    free(at.vmap);
    free(at.fresh);
    return rc;
}
