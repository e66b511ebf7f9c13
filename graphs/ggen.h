/* ggen.h: generator of cluster resource graphs.
 *
 * Builds cluster -> [rack] -> node -> socket -> {core, gpu, memory} in the
 * layout of Fluxion's own generated graphs (see flux-sched's
 * t/data/resource/jgfs/tiny.json): vertices are created level by level
 * (uniq_id = vertex id = creation order), the children of a socket being
 * all its cores, then its GPUs, then its memory (and those of a node: its
 * sockets, then node-level GPUs, then node-level memory); edges are listed by
 * source vertex, each source's children in vertex order.  Names are
 * basename + id: nodes and racks are numbered across the cluster, sockets,
 * cores, GPUs and memory within their node (core ids run on across
 * sockets: socket1's first core is core<C>).  Node i has rank i; other
 * vertices have no rank.  Output is a pure function of the spec. */
#ifndef SCHEDSIM_GGEN_H
#define SCHEDSIM_GGEN_H

#include <stddef.h>
#include <stdint.h>

#include "eng_error.h"
#include "rg.h"

enum ggen_limit {
    GGEN_NODES_MAX = 1000000,
    GGEN_SOCKETS_MAX = 64,
    GGEN_CORES_MAX = 4096, /* per socket */
    GGEN_GPUS_MAX = 256,   /* per socket */
    GGEN_NAME_MAX = 128,   /* bytes in names, property names and values */
};

/* Property 'name' = 'value' on the nodes with index in [lo, hi]. */
struct ggen_prop {
    char name[GGEN_NAME_MAX];
    char value[GGEN_NAME_MAX];
    int64_t lo, hi;
};

struct ggen_spec {
    const char *cluster;     /* cluster basename (name: basename + "0"); "cluster" */
    const char *prefix;      /* node basename; "node" */
    int64_t nodes;           /* >= 1 */
    int64_t racks;           /* 0: no rack level; else node i goes to rack
                              * i * racks / nodes (balanced, in order) */
    int64_t sockets;         /* per node, >= 1 */
    int64_t cores;           /* per socket, >= 0 */
    int64_t gpus;            /* per socket, >= 0 */
    int64_t memory_mib;      /* one memory vertex of this size (unit "MiB") per
                              * socket; 0: none */
    int64_t node_gpus;       /* GPUs directly under each node, >= 0 */
    int64_t node_memory_mib; /* one memory vertex of this size per node; 0: none */
    const struct ggen_prop *props;
    size_t nprops;
};

/* Defaults: cluster "cluster", prefix "node", 1 node, no racks, 2 sockets of
 * 16 cores, no GPUs, no memory, no properties. */
void ggen_spec_default(struct ggen_spec *spec);

/* Parse "NAME[=VALUE]@RANGES" (RANGES: "3", "0-15" or a comma list of them;
 * VALUE defaults to "") into '*n' entries appended to 'out' (room for
 * 'max').  0, or ENG_EPARSE / ENG_ELIMIT with 'err' set (column = 1-based
 * offset in 'text'). */
int ggen_prop_parse(const char *text, struct ggen_prop *out, size_t max, size_t *n,
                    eng_error_t *err);

/* Total vertices the spec generates (no allocation). */
int64_t ggen_vertex_count(const struct ggen_spec *spec);

/* Build the graph of 'spec'.  Returns a new graph (rg_graph_destroy()), or
 * NULL with 'err' set: ENG_EINVAL (a count out of range, property range
 * beyond the nodes; the text names the field), ENG_ELIMIT, ENG_ENOMEM. */
rg_graph_t *ggen_build(const struct ggen_spec *spec, eng_error_t *err);

#endif /* SCHEDSIM_GGEN_H */
