/* rv1exec.h: rv1exec reader: RFC 20 R version 1 read from its "execution"
 * key alone, as Fluxion's resource_reader_rv1exec (flux-sched fd257f71)
 * builds a graph from it:
 * - a root "cluster0" (type cluster, id 0, path /cluster0);
 * - the ranks of all "R_lite" entries (RFC 22 idsets) are numbered 0, 1,
 *   ... in increasing order; rank r's host is that entry of "nodelist"
 *   (RFC 29 hostlists, concatenated);
 * - per entry, per rank in increasing order: a vertex of type "node" named
 *   after the host (basename = the host without its trailing digits, id =
 *   those digits, or -1 when there are none), then per key of "children" in
 *   document order, per id of its idset: a vertex "<type><id>" (size 1) of
 *   the same rank;
 * - "properties" (name -> idset of ranks) become properties (value "") of
 *   the node vertices of those ranks;
 * - every edge is parent -> child, "contains", containment.
 * "starttime" and "expiration" are not part of the graph and are ignored,
 * as Fluxion does when loading.
 *
 * Errors (ENG_EPARSE unless said): malformed JSON (with line and column), a
 * missing or mistyped key, version other than 1, a bad idset or hostlist
 * (with the key path, e.g. "execution.R_lite[1].rank"), a rank with no
 * host, a vertex that already exists (same path, rank and id), more than
 * 'max_vertices' vertices (ENG_ELIMIT).
 *
 * Internal module (not part of the stable ABI). */
#ifndef ENG_RV1EXEC_H
#define ENG_RV1EXEC_H

#include <stddef.h>

#include "eng_error.h"
#include "rg.h"

enum rv1x_limit { RV1X_VERTEX_MAX = 20000000 }; /* default vertex bound */

struct rv1x_opts {
    size_t max_vertices; /* 0: RV1X_VERTEX_MAX */
};

/* Build a graph from the R text 'text' ('len' bytes); 'source' names it in
 * errors (NULL: "<string>"); 'opts' may be NULL.  Returns a new graph
 * (rg_graph_destroy()), or NULL with 'err' set. */
rg_graph_t *rv1x_parse(const char *text, size_t len, const char *source,
                       const struct rv1x_opts *opts, eng_error_t *err);

#endif /* ENG_RV1EXEC_H */
