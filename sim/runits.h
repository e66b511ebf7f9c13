/* runits.h: count the units an RFC 20 R_lite array holds.
 *
 * R_lite is [{"rank": IDSET, "children": {TYPE: IDSET, ...}}, ...] where each
 * rank of the entry holds every child listed.  Nodes are counted as ranks,
 * cores and gpus as rank count times child count. */
#ifndef SCHEDSIM_RUNITS_H
#define SCHEDSIM_RUNITS_H

#include <stdint.h>

#include "eng_error.h"
#include "sim.h"

/* Fill 'units' (indexed by enum sim_unit) from the R_lite JSON text
 * 'r_lite'.  Returns 0, or ENG_EPARSE with 'err' set for text that is not an
 * R_lite array or holds a malformed idset. */
int runits_count(const char *r_lite, int64_t units[SIM_UNIT_COUNT], eng_error_t *err);

/* Number of ids in idset text 'text' ("0-3,7" or "[0-3,7]"), or -1 when
 * malformed (ids must ascend). */
int64_t runits_idset_count(const char *text);

#endif /* SCHEDSIM_RUNITS_H */
