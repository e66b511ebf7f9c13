/* ggen.c: cluster graph generator (see ggen.h for the layout).
 *
 * The graph is built directly in an rg_graph_t: vertices level by level,
 * then the containment edges sorted by (parent, child) with one counting
 * sort, then the paths in vertex order.  Since every parent precedes its
 * children, every path is derivable and costs no memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ggen.h"
#include "jgf.h"

void ggen_spec_default(struct ggen_spec *spec)
{
    *spec = (struct ggen_spec){
        .cluster = "cluster", .prefix = "node", .nodes = 1, .sockets = 2, .cores = 16};
}

int64_t ggen_vertex_count(const struct ggen_spec *s)
{
    int64_t per_socket = s->cores + s->gpus + (s->memory_mib > 0);
    int64_t per_node = 1 + s->node_gpus + (s->node_memory_mib > 0);
    return 1 + s->racks + s->nodes * (per_node + s->sockets * (1 + per_socket));
}

/* ---- properties ------------------------------------------------------------ */

static int prop_err(eng_error_t *err, const char *text, const char *at, const char *what)
{
    return eng_errorf(err, ENG_EPARSE, "--property", 1, (int)(at - text) + 1, "%s", what);
}

static const char *parse_num(const char *p, int64_t *out)
{
    if (!(*p >= '0' && *p <= '9'))
        return NULL;
    int64_t v = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (INT64_MAX - 9) / 10)
            return NULL;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return p;
}

static int copy_field(char *dst, const char *src, size_t len)
{
    if (len >= GGEN_NAME_MAX)
        return -1;
    memcpy(dst, src, len);
    dst[len] = '\0';
    return 0;
}

int ggen_prop_parse(const char *text, struct ggen_prop *out, size_t max, size_t *n,
                    eng_error_t *err)
{
    struct ggen_prop p = {.lo = 0};
    const char *at = strchr(text, '@'), *eq = strchr(text, '=');
    if (!at)
        return prop_err(err, text, text + strlen(text), "expected NAME[=VALUE]@RANGES");
    if (eq && eq > at)
        eq = NULL;
    const char *name_end = eq ? eq : at;
    if (name_end == text)
        return prop_err(err, text, text, "empty property name");
    if (copy_field(p.name, text, (size_t)(name_end - text)) ||
        (eq && copy_field(p.value, eq + 1, (size_t)(at - eq - 1))))
        return prop_err(err, text, text, "property name or value too long");
    size_t start = *n;
    for (const char *c = at + 1;; c++) {
        const char *r = parse_num(c, &p.lo);
        p.hi = p.lo;
        if (r && *r == '-')
            r = parse_num(r + 1, &p.hi);
        if (!r || (*r != ',' && *r != '\0') || p.hi < p.lo) {
            *n = start;
            return prop_err(err, text, c, "expected a node index or range like 0-15");
        }
        if (*n >= max) {
            *n = start;
            return eng_errorf(err, ENG_ELIMIT, "--property", 1, 1, "too many properties");
        }
        out[(*n)++] = p;
        c = r;
        if (*c == '\0')
            return 0;
    }
}

/* ---- building -------------------------------------------------------------- */

struct gen {
    rg_graph_t *g;
    rg_vid_t *parent;
    eng_error_t *err;
};

static rg_vid_t vadd_sized(struct gen *x, rg_sym_t type, rg_sym_t base, int64_t id,
                           int64_t rank, rg_vid_t parent, int64_t size, rg_sym_t unit)
{
    struct rg_vertex_init in;
    rg_vertex_init_default(&in);
    in.size = size;
    in.unit = unit;
    in.type = type;
    in.basename = base;
    in.id = id;
    in.uniq_id = (int64_t)rg_graph_vid_bound(x->g);
    in.rank = rank;
    rg_vid_t v = rg_vertex_add(x->g, &in, x->err);
    if (v != RG_VID_NONE)
        x->parent[v] = parent;
    return v;
}

static rg_vid_t vadd(struct gen *x, rg_sym_t type, rg_sym_t base, int64_t id,
                     int64_t rank, rg_vid_t parent)
{
    return vadd_sized(x, type, base, id, rank, parent, 1, RG_SYM_EMPTY);
}

/* Leaves of every socket: all cores, then all GPUs, then memory, each group
 * over the sockets in order (Fluxion's level-order generation). */
static int add_leaves(struct gen *x, const struct ggen_spec *s, rg_vid_t sock0)
{
    rg_graph_t *g = x->g;
    rg_sym_t core = rg_sym_intern(g, "core"), gpu = rg_sym_intern(g, "gpu");
    rg_sym_t mem = rg_sym_intern(g, "memory"), mib = rg_sym_intern(g, "MiB");
    int64_t nsock = s->nodes * s->sockets;
    for (int64_t j = 0; j < nsock; j++)
        for (int64_t k = 0; k < s->cores; k++)
            if (vadd(x, core, core, (j % s->sockets) * s->cores + k, -1,
                     sock0 + (rg_vid_t)j) == RG_VID_NONE)
                return -1;
    for (int64_t j = 0; j < nsock; j++)
        for (int64_t k = 0; k < s->gpus; k++)
            if (vadd(x, gpu, gpu, (j % s->sockets) * s->gpus + k, -1,
                     sock0 + (rg_vid_t)j) == RG_VID_NONE)
                return -1;
    for (int64_t j = 0; j < nsock && s->memory_mib > 0; j++) {
        if (vadd_sized(x, mem, mem, j % s->sockets, -1, sock0 + (rg_vid_t)j,
                       s->memory_mib, mib) == RG_VID_NONE)
            return -1;
    }
    return 0;
}

/* GPUs and memory attached to nodes: on the sockets' level, after all the
 * sockets; their ids follow the per-socket ones of the same node. */
static int add_node_leaves(struct gen *x, const struct ggen_spec *s, rg_vid_t node0)
{
    rg_graph_t *g = x->g;
    rg_sym_t gpu = rg_sym_intern(g, "gpu"), mem = rg_sym_intern(g, "memory");
    rg_sym_t mib = rg_sym_intern(g, "MiB");
    for (int64_t i = 0; i < s->nodes; i++)
        for (int64_t k = 0; k < s->node_gpus; k++)
            if (vadd(x, gpu, gpu, s->sockets * s->gpus + k, -1, node0 + (rg_vid_t)i) ==
                RG_VID_NONE)
                return -1;
    int64_t mem_id = s->memory_mib > 0 ? s->sockets : 0;
    for (int64_t i = 0; i < s->nodes && s->node_memory_mib > 0; i++)
        if (vadd_sized(x, mem, mem, mem_id, -1, node0 + (rg_vid_t)i, s->node_memory_mib,
                       mib) == RG_VID_NONE)
            return -1;
    return 0;
}

static int add_vertices(struct gen *x, const struct ggen_spec *s)
{
    rg_graph_t *g = x->g;
    rg_sym_t cl = rg_sym_intern(g, "cluster"), clb = rg_sym_intern(g, s->cluster);
    rg_sym_t rack = rg_sym_intern(g, "rack"), node = rg_sym_intern(g, "node");
    rg_sym_t nodeb = rg_sym_intern(g, s->prefix), sock = rg_sym_intern(g, "socket");
    if (vadd(x, cl, clb, 0, -1, RG_VID_NONE) == RG_VID_NONE)
        return -1;
    for (int64_t r = 0; r < s->racks; r++)
        if (vadd(x, rack, rack, r, -1, 0) == RG_VID_NONE)
            return -1;
    rg_vid_t node0 = (rg_vid_t)rg_graph_vid_bound(g);
    for (int64_t i = 0; i < s->nodes; i++)
        if (vadd(x, node, nodeb, i, i,
                 s->racks ? (rg_vid_t)(1 + i * s->racks / s->nodes) : 0) == RG_VID_NONE)
            return -1;
    rg_vid_t sock0 = (rg_vid_t)rg_graph_vid_bound(g);
    for (int64_t i = 0; i < s->nodes; i++)
        for (int64_t k = 0; k < s->sockets; k++)
            if (vadd(x, sock, sock, k, -1, node0 + (rg_vid_t)i) == RG_VID_NONE)
                return -1;
    if (add_node_leaves(x, s, node0))
        return -1;
    return add_leaves(x, s, sock0);
}

/* Containment edges in (parent, child) order: a stable counting sort of the
 * children by parent. */
static int add_edges(struct gen *x)
{
    size_t n = rg_graph_vid_bound(x->g);
    uint32_t *start = calloc(n + 1, sizeof *start);
    rg_vid_t *order = malloc(n * sizeof *order);
    int rc = start && order ? 0 : -1;
    for (size_t v = 1; v < n && rc == 0; v++)
        start[x->parent[v] + 1]++;
    for (size_t i = 0; i < n && rc == 0; i++)
        start[i + 1] += start[i];
    for (size_t v = 1; v < n && rc == 0; v++)
        order[start[x->parent[v]]++] = (rg_vid_t)v;
    for (size_t i = 0; i + 1 < n && rc == 0; i++)
        if (rg_edge_add(x->g, x->parent[order[i]], order[i], RG_SYM_CONTAINMENT,
                        RG_SYM_CONTAINS, x->err) == RG_EID_NONE)
            rc = -1;
    if ((!start || !order) && x->err)
        eng_errorf(x->err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    free(start);
    free(order);
    return rc;
}

static int add_paths(struct gen *x)
{
    char path[RG_PATH_MAX];
    for (rg_vid_t v = 0; v < rg_graph_vid_bound(x->g); v++) {
        const struct rg_vertex *w = rg_vertex_get(x->g, v);
        int len = 0;
        if (w->parent != RG_VID_NONE)
            len = rg_vertex_path(x->g, w->parent, RG_SYM_CONTAINMENT, path, sizeof path);
        if (len < 0)
            return eng_errorf(x->err, len, NULL, 0, 0, "path too long");
        snprintf(path + len, sizeof path - (size_t)len, "/%s", rg_sym_str(x->g, w->name));
        if (rg_vertex_path_set(x->g, v, RG_SYM_CONTAINMENT, path, x->err))
            return -1;
    }
    return 0;
}

static int add_props(struct gen *x, const struct ggen_spec *s)
{
    rg_vid_t node0 = (rg_vid_t)(1 + s->racks);
    for (size_t i = 0; i < s->nprops; i++)
        for (int64_t k = s->props[i].lo; k <= s->props[i].hi; k++)
            if (rg_vertex_prop_set(x->g, node0 + (rg_vid_t)k, s->props[i].name,
                                   s->props[i].value))
                return eng_errorf(x->err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    return 0;
}

static int check_range(eng_error_t *err, const char *what, int64_t v, int64_t lo,
                       int64_t hi)
{
    if (v >= lo && v <= hi)
        return 0;
    return eng_errorf(err, ENG_EINVAL, NULL, 0, 0,
                      "%s: expected an integer in [%lld, %lld]", what, (long long)lo,
                      (long long)hi);
}

static int check_spec(const struct ggen_spec *s, eng_error_t *err)
{
    int rc = check_range(err, "nodes", s->nodes, 1, GGEN_NODES_MAX);
    rc = rc ? rc : check_range(err, "racks", s->racks, 0, s->nodes);
    rc = rc ? rc : check_range(err, "sockets", s->sockets, 1, GGEN_SOCKETS_MAX);
    rc = rc ? rc : check_range(err, "cores", s->cores, 0, GGEN_CORES_MAX);
    rc = rc ? rc : check_range(err, "gpus", s->gpus, 0, GGEN_GPUS_MAX);
    rc = rc ? rc : check_range(err, "memory", s->memory_mib, 0, JGF_SIZE_MAX);
    rc = rc ? rc : check_range(err, "node gpus", s->node_gpus, 0, GGEN_GPUS_MAX);
    rc = rc ? rc : check_range(err, "node memory", s->node_memory_mib, 0, JGF_SIZE_MAX);
    if (rc)
        return rc;
    if (!s->cluster || !*s->cluster || strlen(s->cluster) >= GGEN_NAME_MAX ||
        strchr(s->cluster, '/') || !s->prefix || !*s->prefix ||
        strlen(s->prefix) >= GGEN_NAME_MAX || strchr(s->prefix, '/'))
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0,
                          "cluster and node names must be non-empty, without '/'");
    for (size_t i = 0; i < s->nprops; i++)
        if (s->props[i].hi >= s->nodes)
            return eng_errorf(err, ENG_EINVAL, NULL, 0, 0,
                              "property %s: node %lld is beyond the %lld nodes",
                              s->props[i].name, (long long)s->props[i].hi,
                              (long long)s->nodes);
    if (ggen_vertex_count(s) > RG_VERTEX_MAX)
        return eng_errorf(err, ENG_ELIMIT, NULL, 0, 0, "more than %d vertices",
                          RG_VERTEX_MAX);
    return 0;
}

rg_graph_t *ggen_build(const struct ggen_spec *spec, eng_error_t *err)
{
    eng_error_t local;
    err = err ? err : &local;
    eng_error_clear(err);
    if (check_spec(spec, err))
        return NULL;
    size_t nv = (size_t)ggen_vertex_count(spec);
    struct gen x = {
        .g = rg_graph_create(), .parent = malloc(nv * sizeof(rg_vid_t)), .err = err};
    int rc = x.g && x.parent && rg_graph_reserve(x.g, nv, nv - 1) == 0 ? 0 : -1;
    if (rc)
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc == 0)
        rc = add_vertices(&x, spec);
    if (rc == 0)
        rc = add_edges(&x);
    if (rc == 0)
        rc = add_paths(&x);
    if (rc == 0)
        rc = add_props(&x, spec);
    free(x.parent);
    if (rc) {
        rg_graph_destroy(x.g);
        return NULL;
    }
    rg_graph_compact(x.g);
    return x.g;
}
