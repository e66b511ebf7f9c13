/* rwrite_rg.c: feeding the writers straight from the resource graph (rg.h),
 * so the traversal hands over a vertex id rather than a filled record.
 *
 * Cost: the simple formats need only the name, so nothing else is looked up;
 * the JGF formats also read properties and paths.  Path text is written into
 * the writer's scratch buffer (RG_PATH_MAX per subsystem, up to
 * RWRITE_RG_SUBSYS_MAX subsystems, allocated once per writer), properties into
 * a small heap array only when the vertex has any. */
#include <stdlib.h>
#include <string.h>

#include "rwrite_private.h"

enum { RWRITE_RG_SUBSYS_MAX = 8 };

static bool wants_details(enum rwrite_format f)
{
    return f != RWRITE_SIMPLE && f != RWRITE_PRETTY_SIMPLE;
}

/* The formats with a JGF part: they want paths, and edges. */
static bool wants_paths(enum rwrite_format f)
{
    return f == RWRITE_JGF || f == RWRITE_JGF_SHORTHAND || f == RWRITE_RV1 ||
           f == RWRITE_RV1_SHORTHAND;
}

/* The formats that keep R_lite alone: they record the ids of cores and gpus
 * and the nodes (rwrite__rlite_vertex()), and nothing of other vertices. */
static bool rlite_only(enum rwrite_format f)
{
    return f == RWRITE_RLITE || f == RWRITE_RV1_NOSCHED;
}

bool rwrite_ids_only(const rwrite_t *w)
{
    return rlite_only(rwrite_get_format(w));
}

int rwrite_emit_rg_ids(rwrite_t *w, const int64_t *core, size_t ncore, const int64_t *gpu,
                       size_t ngpu, eng_error_t *err)
{
    if (!rwrite_ids_only(w))
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0,
                          "rwrite_emit_rg_ids: the writer keeps more than ids");
    /* the reducer sorts each type's ids before use, so their order is free */
    for (size_t i = 0; i < ncore; i++) {
        int rc = rwrite__rlite_id(rwrite__rlite(w), false, core[i], err);
        if (rc < 0)
            return rc;
    }
    for (size_t i = 0; i < ngpu; i++) {
        int rc = rwrite__rlite_id(rwrite__rlite(w), true, gpu[i], err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Properties of 'v' in key order into a new array (NULL when none). */
static struct rwrite_kv *read_props(const rg_graph_t *g, rg_vid_t v, size_t *n, int *rc)
{
    size_t count = 0;
    *rc = 0;
    for (rg_prop_it_t it = rg_prop_first(g, v); it != RG_PROP_END;
         it = rg_prop_next(g, it))
        count++;
    *n = count;
    if (count == 0)
        return NULL;
    struct rwrite_kv *kv = malloc(count * sizeof *kv);
    if (!kv) {
        *rc = ENG_ENOMEM;
        return NULL;
    }
    size_t i = 0;
    for (rg_prop_it_t it = rg_prop_first(g, v); it != RG_PROP_END;
         it = rg_prop_next(g, it))
        kv[i++] = (struct rwrite_kv){rg_sym_str(g, rg_prop_key(g, it)),
                                     rg_sym_str(g, rg_prop_value(g, it))};
    return kv;
}

struct path_scratch {
    struct rwrite_kv kv[RWRITE_RG_SUBSYS_MAX];
    char *text; /* RWRITE_RG_SUBSYS_MAX * RG_PATH_MAX bytes */
};

static size_t read_paths(const rg_graph_t *g, rg_vid_t v, struct path_scratch *ps)
{
    rg_sym_t subs[RWRITE_RG_SUBSYS_MAX];
    size_t n = rg_vertex_path_subsystems(g, v, subs, RWRITE_RG_SUBSYS_MAX), k = 0;
    if (n > RWRITE_RG_SUBSYS_MAX)
        n = RWRITE_RG_SUBSYS_MAX;
    for (size_t i = 0; i < n; i++) {
        char *buf = ps->text + k * RG_PATH_MAX;
        if (rg_vertex_path(g, v, subs[i], buf, RG_PATH_MAX) < 0)
            continue;
        ps->kv[k++] = (struct rwrite_kv){rg_sym_str(g, subs[i]), buf};
    }
    return k;
}

struct rwrite_rlite_types rwrite_rlite_types(const rg_graph_t *g)
{
    return (struct rwrite_rlite_types){rg_sym_find(g, "core"), rg_sym_find(g, "gpu"),
                                       rg_sym_find(g, "node"),
                                       rg_sym_find(g, "storage_node")};
}

/* rwrite_rlite_types() of 'g', kept in the writer (rwrite__rgsyms()) and
 * looked up again when the graph or its symbols change. */
static const struct rwrite_rlite_types *rlite_syms(rwrite_t *w, const rg_graph_t *g)
{
    struct rwrite_rgsyms *s = rwrite__rgsyms(w);
    if (s->g != g || s->nsyms != rg_sym_count(g))
        *s = (struct rwrite_rgsyms){g, rg_sym_count(g), rwrite_rlite_types(g)};
    return &s->t;
}

int rwrite_emit_rg_vertex(rwrite_t *w, const rg_graph_t *g, rg_vid_t v, unsigned level,
                          unsigned needs, bool exclusive, bool excl_parent,
                          const struct rwrite_kv *ephemeral, size_t nephemeral,
                          const struct rwrite_kv *agfilter, size_t nagfilter,
                          eng_error_t *err)
{
    const struct rg_vertex *rv = rg_vertex_get(g, v);
    if (!rv)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no vertex %u in the graph", v);
    enum rwrite_format f = rwrite_get_format(w);
    if (rlite_only(f)) { /* most vertices of a big match record nothing */
        const struct rwrite_rlite_types *s = rlite_syms(w, g);
        if (rv->type == s->core || rv->type == s->gpu)
            return rwrite__rlite_id(rwrite__rlite(w), rv->type == s->gpu, rv->id, err);
        if (rv->type != s->node && rv->type != s->storage_node)
            return 0;
        /* a node: R_lite reads its rank, name and properties alone */
        struct rwrite_vertex x = {.name = rg_sym_str(g, rv->name), .rank = rv->rank};
        int rc = 0;
        struct rwrite_kv *props = read_props(g, v, &x.nproperties, &rc);
        if (rc < 0)
            return eng_errorf(err, rc, NULL, 0, 0, "out of memory");
        x.properties = props;
        rc = rwrite__rlite_node(rwrite__rlite(w), &x, err);
        free(props);
        return rc;
    }
    struct rwrite_vertex x = {.uniq_id = rv->uniq_id,
                              .type = rg_sym_str(g, rv->type),
                              .basename = rg_sym_str(g, rv->basename),
                              .name = rg_sym_str(g, rv->name),
                              .id = rv->id,
                              .rank = rv->rank,
                              .unit = rg_sym_str(g, rv->unit),
                              .ephemeral = ephemeral,
                              .nephemeral = nephemeral};
    struct rwrite_kv *props = NULL;
    struct path_scratch ps = {.text = NULL};
    int rc = 0;
    if (wants_details(f))
        props = read_props(g, v, &x.nproperties, &rc);
    if (rc == 0 && wants_paths(f)) {
        if (!(ps.text = rwrite__scratch(w, (size_t)RWRITE_RG_SUBSYS_MAX * RG_PATH_MAX)))
            rc = ENG_ENOMEM;
        else
            x.npaths = read_paths(g, v, &ps);
    }
    if (rc < 0) {
        free(props);
        return eng_errorf(err, rc, NULL, 0, 0, "out of memory");
    }
    x.properties = props;
    x.paths = ps.kv;
    rc = rwrite_emit_vertex(w, &x, level, needs, exclusive, excl_parent, agfilter,
                            nagfilter, err);
    free(props);
    return rc;
}

int rwrite_emit_rg_edge(rwrite_t *w, const rg_graph_t *g, rg_eid_t e, bool excl_parent,
                        eng_error_t *err)
{
    if (!wants_paths(rwrite_get_format(w)))
        return rg_edge_get(g, e) ? 0
                                 : eng_errorf(err, ENG_EINVAL, NULL, 0, 0,
                                              "no edge %u in the graph", e);
    const struct rg_edge *re = rg_edge_get(g, e);
    const struct rg_vertex *s = re ? rg_vertex_get(g, re->src) : NULL;
    const struct rg_vertex *d = re ? rg_vertex_get(g, re->dst) : NULL;
    if (!s || !d)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no edge %u in the graph", e);
    return rwrite_emit_edge(w, s->uniq_id, d->uniq_id, rg_sym_str(g, re->subsystem),
                            excl_parent, err);
}
