/* rparse.h: reading R back (RFC 20 R version 1, and bare JGF), for partial
 * cancel and update.
 *
 * Fluxion accepts three shapes wherever it reads an R (reapi update_allocate,
 * resource-query "update" and "partial-cancel", remove_job):
 *   - RFC 20 R: {"version": 1, "execution": {"R_lite": [...], "nodelist":
 *     [...], "starttime"?, "expiration"?, "properties"?}, "scheduling"?: JGF}
 *     where "scheduling", when present, is what the JGF reader consumes (its
 *     "writer" key tells jgf from jgf_shorthand);
 *   - the rv1exec form of the same without "scheduling" (only R_lite: each
 *     entry's "rank" idset, and its "children" type -> idset);
 *   - a bare JGF {"graph": {"nodes": [...], "edges": [...]}}.
 * rparse decodes any of them into plain arrays the engine walks; strings are
 * borrowed from the rparse_t and live until rparse_destroy().
 *
 * Internal module of the engine. */
#ifndef ENG_RPARSE_H
#define ENG_RPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eng_error.h"
#include "idset.h"

typedef struct rparse rparse_t;

/* A JGF node ("graph.nodes[i]").  Absent metadata take Fluxion's JGF reader
 * defaults. */
struct rparse_vertex {
    const char *jgf_id;   /* node "id" text */
    int64_t uniq_id;      /* metadata "uniq_id", else "id" as an integer, else -1 */
    const char *type;     /* required */
    const char *basename; /* NULL = same as type */
    const char *name;     /* NULL = basename followed by id */
    const char *unit;     /* NULL = none */
    int64_t id;           /* metadata "id" (-1 when absent) */
    int64_t rank;         /* -1 when absent */
    int64_t size;         /* 1 when absent */
    bool exclusive;       /* false when absent */
    const char *path;     /* containment path, NULL when none */
    size_t first_path;    /* all paths: rparse_path(r, first_path .. + npaths) */
    size_t npaths;
    size_t first_prop; /* properties: rparse_prop(r, ...), in document order */
    size_t nprops;
};

/* A JGF edge; 'src'/'dst' index rparse_vertex() (matched by node "id"). */
struct rparse_edge {
    size_t src, dst;
    const char *subsystem; /* "containment" when no metadata says otherwise */
};

struct rparse_kv {
    const char *key, *value;
};

/* One R_lite entry: its ranks and, per child type, the ids. */
struct rparse_child {
    const char *type;
    const idset_t *ids;
};

/* Parse 'len' bytes of 'text'; 'source' names it in errors.  Returns a new
 * rparse_t released with rparse_destroy(), or NULL with 'err' set: ENG_EPARSE
 * for invalid JSON (jansson's line and column and text) or a document of none
 * of the shapes above, with the JSON path at fault in the text, e.g.
 * "execution.R_lite[0].rank: error parsing range 'x'" or "graph.edges[2]:
 * unknown source '17'"; ENG_ENOMEM. */
rparse_t *rparse_parse(const char *text, size_t len, const char *source,
                       eng_error_t *err);

/* Release 'r'.  NULL is a no-op. */
void rparse_destroy(rparse_t *r);

/* True when the document is RFC 20 R (has "version" and "execution"). */
bool rparse_is_rv1(const rparse_t *r);

/* True when it has JGF: a "scheduling" key, or it is a bare JGF. */
bool rparse_has_jgf(const rparse_t *r);

/* "scheduling.writer" (e.g. "fluxion:jgf_shorthand"), or NULL. */
const char *rparse_writer(const rparse_t *r);

/* The JGF part as compact JSON text (Fluxion re-encodes "scheduling" with
 * JSON_COMPACT before handing it to its JGF reader), or NULL when there is
 * none.  Borrowed. */
const char *rparse_jgf_text(const rparse_t *r);

/* execution.starttime / expiration (Fluxion reads them as doubles and
 * truncates); 0 when absent.  '*has_*' (may be NULL) tell whether present. */
int64_t rparse_starttime(const rparse_t *r, bool *has);
int64_t rparse_expiration(const rparse_t *r, bool *has);

/* JGF vertices and edges, in document order. */
size_t rparse_vertex_count(const rparse_t *r);
const struct rparse_vertex *rparse_vertex(const rparse_t *r, size_t i);
size_t rparse_edge_count(const rparse_t *r);
const struct rparse_edge *rparse_edge(const rparse_t *r, size_t i);

/* Path ('key' = subsystem) and property records of vertices. */
const struct rparse_kv *rparse_path(const rparse_t *r, size_t i);
const struct rparse_kv *rparse_prop(const rparse_t *r, size_t i);

/* Union of the ranks of all R_lite entries (empty when there is no R_lite).
 * Borrowed. */
const idset_t *rparse_ranks(const rparse_t *r);

/* R_lite entries: rparse_rlite_count() of them; entry 'i' has ranks
 * rparse_rlite_ranks(r, i) and rparse_rlite_nchildren(r, i) children. */
size_t rparse_rlite_count(const rparse_t *r);
const idset_t *rparse_rlite_ranks(const rparse_t *r, size_t i);
size_t rparse_rlite_nchildren(const rparse_t *r, size_t i);
const struct rparse_child *rparse_rlite_child(const rparse_t *r, size_t i, size_t j);

/* execution.nodelist joined (each element an RFC 29 hostlist), or NULL. */
const char *rparse_nodelist(const rparse_t *r);

#endif /* ENG_RPARSE_H */
