/* graph_load.h: one entry point to read a resource graph in any format
 * schedsim knows, by name or by looking at the text.
 *
 * Formats (Fluxion's load-format names):
 *   "jgf", "jgf_shorthand"    JSON Graph Format (jgf.h; the two read alike)
 *   "grug"                    GraphML generation recipe (grug.h)
 *   "hwloc"                   hwloc XML topology, v1 or v2 (hwloc_reader.h)
 *   "rv1exec", "rv1exec_force" RFC 20 R with "execution" (rv1exec.h)
 *   "auto" or NULL            decided by graph_load_detect(); text it cannot
 *                             place is read as JGF (and fails as JSON)
 *
 * Internal module (not part of the stable ABI); eng_graph_load() and the
 * command line use it. */
#ifndef ENG_GRAPH_LOAD_H
#define ENG_GRAPH_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "eng_error.h"
#include "rg.h"

/* Largest graph file graph_load_file() reads (bytes). */
#define GRAPH_LOAD_FILE_MAX ((size_t)16 << 30)

/* Options of a load; NULL means the defaults. */
struct graph_load_opts {
    /* hwloc: comma-separated resource types to keep (Fluxion's
     * --load-allowlist, e.g. "cluster,node,socket,core"); NULL or "": all */
    const char *allowlist;
    size_t max_vertices; /* 0: the reader's default limit */
    bool keep_unit;      /* jgf: store "unit" (Fluxion drops it) */
};

/* True when 'format' names a format above ("auto" and NULL included). */
bool graph_load_format_known(const char *format);

/* The format of 'text' ('len' bytes), judged by its first bytes: JSON whose
 * key "execution" comes before any key "graph" is "rv1exec", other JSON
 * "jgf"; XML with a <graphml> element is "grug", with a <topology> element
 * "hwloc".  NULL when none fits.  Static storage. */
const char *graph_load_detect(const char *text, size_t len);

/* Read 'text' ('len' bytes) in 'format'; 'source' names it in errors (NULL:
 * "<string>").  Returns a new graph (rg_graph_destroy()), or NULL with
 * 'err' set: the reader's errors, or ENG_ENOTSUP for an unknown format. */
rg_graph_t *graph_load_parse(const char *text, size_t len, const char *format,
                             const char *source, const struct graph_load_opts *opts,
                             eng_error_t *err);

/* As graph_load_parse, reading the file 'path' ("-": standard input). */
rg_graph_t *graph_load_file(const char *path, const char *format,
                            const struct graph_load_opts *opts, eng_error_t *err);

#endif /* ENG_GRAPH_LOAD_H */
