/* hwloc_reader.h: hwloc XML topology (v1 or v2 files) -> resource graph,
 * as Fluxion's resource_reader_hwloc (flux-sched fd257f71) maps it.
 *
 * Debian's libhwloc reads the XML (I/O devices kept as "important", caches
 * as "structure", Fluxion's filters).  A root "cluster0" is made, then hwloc's
 * objects are walked depth-first in hwloc_get_next_child() order (normal,
 * memory, I/O, then misc children), each kept object becoming a child of its
 * nearest kept ancestor:
 *   Machine with a HostName info  -> "node", named after the host (basename
 *                                    without trailing digits, id = digits),
 *                                    rank 0, 1, ... in walk order
 *   Group, NUMANode, Package, Core, PU -> "group", "numanode", "socket",
 *                                    "core", "pu" (id = logical index)
 *   L1/L2/L3 caches               -> "cache" named "L<n>cache<id>", size KiB
 *   OS device: CoProc, or GPU named rsmi*  -> "gpu" (id from the name:
 *                                    cuda<N>, rsmi<N>, opencl<P>d<N>)
 *   OS device: Block              -> "storage", size = Size info / 10^6 (GB),
 *                                    property LinuxDeviceID (or "-1")
 * A type not in the allowlist (when one is given) is skipped, its children
 * still walked.  Other vertices have rank -1; all sizes 1 unless said.
 *
 * Errors: malformed XML (libxml2's position), an XML file that is not an
 * hwloc topology (no <topology> root: "wrong kind of file"), hwloc refusing
 * it, a block device without a usable Size, more than 'max_vertices'.
 *
 * Internal module (not part of the stable ABI). */
#ifndef ENG_HWLOC_READER_H
#define ENG_HWLOC_READER_H

#include <stddef.h>

#include "eng_error.h"
#include "rg.h"

enum hwr_limit { HWR_VERTEX_MAX = 10000000 }; /* default vertex bound */

struct hwr_opts {
    const char *allowlist; /* comma-separated types; NULL or "": keep all */
    size_t max_vertices;   /* 0: HWR_VERTEX_MAX */
};

/* Read the hwloc XML 'text' ('len' bytes); 'source' names it in errors
 * (NULL: "<string>"); 'opts' may be NULL.  Returns a new graph
 * (rg_graph_destroy()), or NULL with 'err' set. */
rg_graph_t *hwr_parse(const char *text, size_t len, const char *source,
                      const struct hwr_opts *opts, eng_error_t *err);

#endif /* ENG_HWLOC_READER_H */
