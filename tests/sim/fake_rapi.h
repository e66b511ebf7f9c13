/* fake_rapi.h: a small resource backend for simulator tests.
 *
 * 'nnodes' identical nodes of 'cores' cores and 'gpus' GPUs, allocated
 * whole.  A jobspec is the text "nodes=K walltime=W".  Allocation takes the
 * K lowest-numbered nodes free over [now, now + W); a reservation takes the
 * earliest time T (now, or the end of an interval already planned) at which K
 * nodes are free over [T, T + W), again lowest-numbered.  Down nodes are never
 * chosen; satisfiability ignores status (as Fluxion's).  Every booking is
 * checked against the others, so a double booking fails the test. */
#ifndef TESTS_SIM_FAKE_RAPI_H
#define TESTS_SIM_FAKE_RAPI_H

#include <stdbool.h>
#include <stdint.h>

#include "qpol.h"
#include "sim.h"

typedef struct fake_rapi fake_rapi_t;

fake_rapi_t *fake_rapi_create(int nnodes, int cores, int gpus);
void fake_rapi_destroy(fake_rapi_t *f);

/* Backend ops; pass the fake_rapi_t as ctx. */
extern const struct sim_rapi_ops fake_rapi_ops;

/* Number of live bookings (allocations and reservations). */
int fake_rapi_live(const fake_rapi_t *f);

/* One job of a test table: 'nodes' whole nodes for min(runtime, walltime). */
struct fake_job {
    int64_t id;
    sim_time_t submit;
    int nodes;
    sim_time_t runtime, walltime;
};

/* Create a sim over 'f', add jobs[0..n), run it under 'policy' with 'p'
 * (may be NULL) and check sim_run() returns 0.  The caller destroys the
 * sim. */
sim_t *fake_run(fake_rapi_t *f, const struct fake_job *jobs, size_t n, const char *policy,
                const qpol_params_t *p);

#endif
