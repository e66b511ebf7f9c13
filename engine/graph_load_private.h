/* graph_load_private.h: helpers the readers share (hwloc, rv1exec): adding
 * a child vertex the way Fluxion's readers do, and splitting host names.
 * Never installed. */
#ifndef ENG_GRAPH_LOAD_PRIVATE_H
#define ENG_GRAPH_LOAD_PRIVATE_H

#include <stdint.h>

#include "eng_error.h"
#include "rg.h"

/* A vertex as Fluxion's readers make it. */
struct graph_load__vspec {
    const char *type, *basename;
    const char *name; /* NULL or "": basename followed by id (no id when -1) */
    int64_t id, size, rank;
};

/* Add a vertex for 's' below 'parent' (RG_VID_NONE: a root) in the
 * containment subsystem: uniq_id = its vertex id, path = the parent's path
 * + "/" + name, and a "contains" edge parent -> vertex.  Returns the vertex,
 * or RG_VID_NONE with 'err' set (no position). */
rg_vid_t graph_load__child_add(rg_graph_t *g, rg_vid_t parent,
                               const struct graph_load__vspec *s, eng_error_t *err);

/* Fluxion's split_hostname(): 'host' without its trailing digits into
 * 'base' (of 'size' bytes) and those digits as a number in '*id' (-1 when
 * there are none, 0 when all are zeros).  0, or ENG_ELIMIT when the number
 * does not fit in int64_t or 'base' is too small. */
int graph_load__host_split(const char *host, char *base, size_t size, int64_t *id);

#endif /* ENG_GRAPH_LOAD_PRIVATE_H */
