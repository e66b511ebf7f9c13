/* rwrite.h: writers of matched resource sets (R), byte-compatible with
 * Fluxion's match writers (resource/writers/match_writers.cpp at fd257f71).
 *
 * A writer collects the vertices and edges that the traversal emits for one
 * match, in the traversal's emit order (post-order: children before their
 * parent, each vertex after the edges leading to its emitted children), then
 * turns them into text in one of Fluxion's formats:
 *
 *   simple         one line per vertex in emit order: "<prefix><name>[<needs>:x|s]"
 *   pretty_simple  the same lines in reverse order, with "exclusive"/"shared"
 *   jgf            {"graph": {"nodes": [...], "edges": [...]}} (JSON Graph Format)
 *   jgf_shorthand  jgf without the vertices/edges below an exclusive parent,
 *                  then marked with "writer": "fluxion:jgf_shorthand"
 *   rlite          the R_lite array of RFC 20 (rank -> children idsets)
 *   rv1            RFC 20 R version 1 with a "scheduling" key holding jgf
 *   rv1_nosched    RFC 20 R version 1 without "scheduling"
 *   rv1_shorthand  rv1 whose "scheduling" key holds jgf_shorthand
 *
 * JSON text is produced with jansson exactly as Fluxion does (insertion-ordered
 * objects, JSON_INDENT(0): one line, ", " and ": " separators), so the bytes
 * match resource-query's.  Fluxion's quirks are kept on purpose, because
 * conformance is byte for byte: state a format does not clear on emit stays
 * for the next match, negative ranks make rlite/rv1 fail with ENG_EINVAL, a
 * jgf result with vertices but no edges (or the reverse) fails with
 * ENG_ENOENT, and rlite with nothing gathered fails with ENG_EINVAL.
 *
 * Internal module of the engine (not part of the stable ABI).  One writer
 * belongs to one thread at a time. */
#ifndef ENG_RWRITE_H
#define ENG_RWRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eng_error.h"
#include "rg.h"

ENG_BEGIN_DECLS

/* Output formats, named as Fluxion's match formats. */
enum rwrite_format {
    RWRITE_SIMPLE = 0,
    RWRITE_PRETTY_SIMPLE,
    RWRITE_JGF,
    RWRITE_JGF_SHORTHAND,
    RWRITE_RLITE,
    RWRITE_RV1,
    RWRITE_RV1_NOSCHED,
    RWRITE_RV1_SHORTHAND,
};

typedef struct rwrite rwrite_t; /* opaque: one writer, one output format */

/* A key/value string pair (properties, paths, agfilter and ephemeral data). */
struct rwrite_kv {
    const char *key;
    const char *value;
};

/* What a writer needs to know about one resource vertex.  All strings and
 * arrays are borrowed for the duration of the emit call only (the writer
 * copies what it keeps).  'properties', 'ephemeral' and agfilter entries may
 * come in any order (the writer orders them by key as Fluxion's std::map
 * does); 'paths' are written in the order given, which must be the graph's
 * subsystem order (containment first, then the others in order of first
 * appearance), as Fluxion orders paths by interned-subsystem id. */
struct rwrite_vertex {
    int64_t uniq_id;      /* graph-unique vertex id: the JGF node "id" */
    const char *type;     /* resource type, e.g. "core" */
    const char *basename; /* e.g. "node" (NULL = same as type) */
    const char *name;     /* e.g. "node3" (NULL = basename + id) */
    int64_t id;           /* logical id within its type */
    int64_t rank;         /* broker rank, -1 when none */
    const char *unit;     /* NULL or "" when none */
    const struct rwrite_kv *properties;
    size_t nproperties;
    const struct rwrite_kv *paths; /* subsystem name -> path */
    size_t npaths;
    const struct rwrite_kv *ephemeral; /* per-match data, e.g. jobspec labels */
    size_t nephemeral;
};

/* Parse a Fluxion match-format name ("simple", "pretty_simple", "jgf",
 * "jgf_shorthand", "rlite", "rv1", "rv1_nosched", "rv1_shorthand") into
 * '*fmt'.  Returns 0, or ENG_EINVAL (and '*fmt' unchanged) for any other name
 * ('name' NULL included). */
int rwrite_format_parse(const char *name, enum rwrite_format *fmt);

/* Fluxion's name of 'fmt', or NULL when 'fmt' is out of range.  Static. */
const char *rwrite_format_name(enum rwrite_format fmt);

/* True when 'name' is one of the names rwrite_format_parse() accepts
 * (Fluxion's known_match_format()). */
bool rwrite_format_is_known(const char *name);

/* New, empty writer for 'fmt'.  Returns NULL (ENG_EINVAL for a bad 'fmt',
 * ENG_ENOMEM) with 'err' set.  Release with rwrite_destroy(). */
rwrite_t *rwrite_create(enum rwrite_format fmt, eng_error_t *err);

/* Release 'w'.  NULL is a no-op. */
void rwrite_destroy(rwrite_t *w);

/* Format 'w' writes. */
enum rwrite_format rwrite_get_format(const rwrite_t *w);

/* Record vertex 'v' as matched, as Fluxion's emit_vtx().  'level' is the
 * traversal depth: the simple formats prefix the line with 6 spaces and
 * 'level' times "---".  'needs' is how many units of 'v' the job uses,
 * 'exclusive' whether it uses 'v' exclusively, 'excl_parent' whether an
 * ancestor is exclusively allocated (the shorthand formats then leave 'v' out).
 * 'agfilter' (may be NULL when 'nagfilter' is 0) is the pruning-filter data
 * that "find" reports ("core" -> "used:0, total:16").  Returns 0, or a
 * negative code (ENG_ENOMEM) with 'err' set; on failure the writer is left as
 * it was. */
int rwrite_emit_vertex(rwrite_t *w, const struct rwrite_vertex *v, unsigned level,
                       unsigned needs, bool exclusive, bool excl_parent,
                       const struct rwrite_kv *agfilter, size_t nagfilter,
                       eng_error_t *err);

/* rwrite_emit_vertex() for vertex 'v' of graph 'g': its attributes,
 * properties (key order) and paths (in rg_vertex_path_subsystems() order) are
 * read from 'g'; only what the format needs is read (the simple formats read
 * just the name).  'ephemeral' (may be NULL when 'nephemeral' is 0) is the
 * vertex's per-match data (jobspec labels), written by the JGF formats.
 * Returns 0, ENG_EINVAL for a bad vertex, ENG_ENOMEM, with 'err' set. */
int rwrite_emit_rg_vertex(rwrite_t *w, const rg_graph_t *g, rg_vid_t v, unsigned level,
                          unsigned needs, bool exclusive, bool excl_parent,
                          const struct rwrite_kv *ephemeral, size_t nephemeral,
                          const struct rwrite_kv *agfilter, size_t nagfilter,
                          eng_error_t *err);

/* The vertex types of 'g' that a writer keeping R_lite alone records
 * (RG_SYM_NONE where 'g' has no such type): cores and gpus by their ids,
 * nodes and storage nodes whole (rwrite_emit_rg_vertex()). */
struct rwrite_rlite_types {
    rg_sym_t core, gpu, node, storage_node;
};
struct rwrite_rlite_types rwrite_rlite_types(const rg_graph_t *g);

/* Whether 'w' keeps R_lite alone (rlite, rv1_nosched): an emit of a vertex
 * other than a core, gpu, node or storage_node records nothing, nor does an
 * edge's, and a core's or gpu's emit records just its id (so a caller may
 * pass the ids with rwrite_emit_rg_ids() instead). */
bool rwrite_ids_only(const rwrite_t *w);

/* The emits, in any order, of 'ncore' cores and 'ngpu' gpus whose ids are
 * 'core' and 'gpu' (either may be NULL when its count is 0), for a writer
 * where rwrite_ids_only() holds: the same record as rwrite_emit_rg_vertex()
 * of each.  Returns 0, ENG_EINVAL when the writer is not ids-only,
 * ENG_ENOMEM, with 'err' set. */
int rwrite_emit_rg_ids(rwrite_t *w, const int64_t *core, size_t ncore, const int64_t *gpu,
                       size_t ngpu, eng_error_t *err);

/* rwrite_emit_edge() for edge 'e' of graph 'g' (endpoints' uniq_ids and the
 * edge's subsystem).  Returns 0, ENG_EINVAL for a bad edge, ENG_ENOMEM. */
int rwrite_emit_rg_edge(rwrite_t *w, const rg_graph_t *g, rg_eid_t e, bool excl_parent,
                        eng_error_t *err);

/* Record the edge from the vertex whose uniq_id is 'src' to 'dst' in
 * 'subsystem' (NULL means "containment"), as Fluxion's emit_edg().  Only the
 * JGF-based formats keep edges; non-containment edges carry
 * {"subsystem": ...} metadata.  Returns 0 or ENG_ENOMEM with 'err' set. */
int rwrite_emit_edge(rwrite_t *w, int64_t src, int64_t dst, const char *subsystem,
                     bool excl_parent, eng_error_t *err);

/* Set the "starttime" and "expiration" the rv1 formats write (Fluxion's
 * emit_tm(); they persist until changed).  Other formats ignore them. */
void rwrite_set_times(rwrite_t *w, int64_t starttime, int64_t expiration);

/* Set attributes.system.scheduler.'key' = 'value' for the rv1 formats
 * (Fluxion's emit_attrs(), used for "queue").  Returns 0 or ENG_ENOMEM. */
int rwrite_set_attr(rwrite_t *w, const char *key, const char *value, eng_error_t *err);

/* True when nothing has been recorded since the last successful emit (as
 * Fluxion's empty(): rv1 is empty only when both its parts are). */
bool rwrite_is_empty(const rwrite_t *w);

/* Produce the text of everything recorded, in the writer's format, exactly as
 * Fluxion's emit() writes it to resource-query's output (JSON formats end with
 * a newline; nothing at all when there is nothing to write), and clear what
 * Fluxion clears.  On success stores a new NUL-terminated string (possibly
 * "") in '*out', which the caller releases with free(), and returns 0.  On
 * failure stores NULL and returns ENG_ENOENT (jgf with only vertices or only
 * edges), ENG_EINVAL (rlite with nothing to write, or a negative rank) or
 * ENG_ENOMEM, with 'err' set; the recorded data is then kept, as in Fluxion. */
int rwrite_emit(rwrite_t *w, char **out, eng_error_t *err);

/* For the rlite, rv1 and rv1_nosched writers: what was recorded, as its
 * R_lite array in compact JSON (what json_dumps(JSON_COMPACT) prints for the
 * "R_lite" member of rwrite_emit()'s text) in '*r_lite', and its hosts as one
 * hostlist string (the "nodelist" member's single entry) in '*nodelist'; both
 * new strings, free() them.  Then drops everything recorded, as
 * rwrite_reset().  0, ENG_EINVAL (another format, or nothing recorded; both
 * NULL, the record kept) or ENG_ENOMEM. */
int rwrite_take_rlite(rwrite_t *w, char **r_lite, char **nodelist, eng_error_t *err);
/* rwrite_take_rlite(), and in 'units' (may be NULL) what the R_lite holds:
 * [0] nodes (the ranks of its entries), [1] cores and [2] gpus (each entry's
 * ranks times its children's ids), as counting them in the text would. */
int rwrite_take_rlite_units(rwrite_t *w, char **r_lite, char **nodelist, int64_t units[3],
                            eng_error_t *err);

/* Drop everything recorded (times, attributes and the shorthand "complete"
 * flag included), as if 'w' were new. */
void rwrite_reset(rwrite_t *w);

ENG_END_DECLS

#endif /* ENG_RWRITE_H */
