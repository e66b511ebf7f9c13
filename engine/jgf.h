/* jgf.h: JSON Graph Format (JGF) reader and writer for the resource graph.
 *
 * The reader follows Fluxion's resource_reader_jgf (flux-sched fd257f71):
 * - the top-level object needs "graph", which needs the arrays "nodes" and
 *   "edges" (in either order); other keys are ignored;
 * - each node needs "id" (string) and "metadata" with "type" (string) and
 *   "paths" (object of subsystem -> path string); optional metadata keys and
 *   their defaults: "uniq_id" (the node id read as an integer), "id"
 *   (uniq_id, or for type "node" the trailing digits of "name"),
 *   "basename" (type), "name" (basename + id), "unit" (""; read but not
 *   stored unless jgf_opts.keep_unit, like Fluxion), "size" (1),
 *   "rank" (-1), "exclusive" (false), "status" (0 up / 1 down),
 *   "properties" (object of strings, or null);
 * - each edge needs "source" and "target" (node ids); "metadata.subsystem"
 *   names its subsystem (default "containment"), and the older form
 *   "metadata.name": {"<subsystem>": "<relation>"} is accepted too.  Without
 *   an explicit relation, an edge whose target's path is a prefix of its
 *   source's path is an "in" edge, any other a "contains" edge;
 * - a node whose path (in any subsystem) and rank match a vertex already in
 *   the graph reuses that vertex, and an edge is added only when one of its
 *   endpoints was newly added (Fluxion's rule, which makes attach work).
 *
 * On top of Fluxion's rules it rejects, with 'file:line:column: what':
 * malformed JSON, wrong types, duplicate node ids, edges to unknown nodes,
 * duplicate edges, a second root of a subsystem, "contains" cycles, sizes
 * outside [1, JGF_SIZE_MAX], ranks outside [-1, INT32_MAX], JSON nested
 * deeper than JGF_NESTING_MAX, paths of RG_PATH_MAX bytes or more,
 * containment deeper than RG_DEPTH_MAX and more than the vertex limit.
 *
 * The reader scans the text itself (no DOM is built): a 400 MB file does not
 * become gigabytes of json_t.  Internal module (not part of the stable ABI). */
#ifndef ENG_JGF_H
#define ENG_JGF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "eng_error.h"
#include "rg.h"

enum jgf_limit {
    JGF_NESTING_MAX = 64, /* JSON nesting depth */
};

/* Largest accepted "size" (2^50: a PiB counted in bytes). */
#define JGF_SIZE_MAX ((int64_t)1 << 50)

/* Largest JGF file jgf_load() reads (bytes). */
#define JGF_FILE_MAX ((size_t)16 << 30)

/* Options of a load.  NULL means the defaults. */
struct jgf_opts {
    size_t max_vertices; /* 0: RG_VERTEX_MAX */
    bool keep_unit;      /* store "unit"; by default it is checked and dropped,
                          * as Fluxion's JGF reader never copies it into the
                          * graph (so its R and JGF outputs show no unit) */
};

/* Parse the JGF text 'text' of 'len' bytes; 'source' names it in errors
 * (NULL: "<string>").  Returns a new graph (release with
 * rg_graph_destroy()), or NULL with 'err' set: ENG_EPARSE (malformed input,
 * with line and column), ENG_ELIMIT, ENG_ENOMEM. */
rg_graph_t *jgf_parse(const char *text, size_t len, const char *source,
                      const struct jgf_opts *opts, eng_error_t *err);

/* As jgf_parse, but reads the file 'path' ("-": standard input).  ENG_EIO
 * when it cannot be read. */
rg_graph_t *jgf_load(const char *path, const struct jgf_opts *opts, eng_error_t *err);

/* As jgf_parse, for a JGF held as a jansson value 'jgf' (borrowed
 * reference), e.g. the "scheduling" key of an R object.  Positions in errors
 * refer to the compact encoding of 'jgf'. */
rg_graph_t *jgf_from_json(const json_t *jgf, const char *source, eng_error_t *err);

/* Attach the JGF text 'text' (a fragment) to 'g' with Fluxion's attach rules
 * (see rg_graph_attach).  The fragment is parsed completely first, so a
 * malformed one leaves 'g' unchanged.  Stores the number of vertices added
 * in '*added' (may be NULL).  0 or a negative enum eng_errc with 'err' set. */
int jgf_attach(rg_graph_t *g, const char *text, size_t len, const char *source,
               size_t *added, eng_error_t *err);

/* Write 'g' as JGF to 'fp': live vertices in vid order as nodes (id = the
 * decimal uniq_id, every metadata key written), then live edges in edge-id
 * order; one node or edge per line.  The output reads back into an equal
 * graph (rg_graph_equal) as long as uniq_ids are unique.  0 or ENG_EIO. */
int jgf_write(const rg_graph_t *g, FILE *fp, eng_error_t *err);

/* jgf_write to 'path' atomically ("-": standard output).  0 or a negative
 * code with 'err' set. */
int jgf_dump(const rg_graph_t *g, const char *path, eng_error_t *err);

#endif /* ENG_JGF_H */
