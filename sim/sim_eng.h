/* sim_eng.h: the matching engine (eng.h) as the simulator's resource backend.
 *
 * Jobs are matched with Fluxion's semantics: allocate, allocate_orelse_reserve
 * and satisfiability map to the engine's ops of the same names, the engine's
 * clock follows the simulator's, and an allocation's R_lite and host list
 * come from the engine's RFC 20 rv1 writer.  Parsed jobspecs are cached per
 * job until the job ends, so a job tried in many passes is parsed once. */
#ifndef SCHEDSIM_SIM_ENG_H
#define SCHEDSIM_SIM_ENG_H

#include "eng.h"
#include "eng_error.h"
#include "sim.h"

typedef struct sim_eng sim_eng_t;

/* New adapter over engine 'e' (borrowed; it must have its graph loaded and
 * outlive the adapter); turns off the writing of reservations in 'e'
 * (eng_set_write_reservations()) and makes them lazy
 * (eng_set_lazy_reservations()).  NULL with 'err' set (ENG_EINVAL without a
 * graph, ENG_ENOMEM). */
sim_eng_t *sim_eng_create(eng_t *e, eng_error_t *err);
void sim_eng_destroy(sim_eng_t *a); /* NULL is a no-op */

/* The fewest cores any node of 'e''s graph holds in its containment subtree
 * (0 when some node has none, or the graph has no node): the per-node lower
 * bound for sim_job_spec.min_cores of whole-node jobs. */
int64_t sim_eng_min_node_cores(const eng_t *e);

/* The backend ops; pass the sim_eng_t as their context.  set_status takes a
 * containment path ("/cluster0/node3") or a node name ("node3"). */
extern const struct sim_rapi_ops sim_eng_ops;

#endif /* SCHEDSIM_SIM_ENG_H */
