/* qpol.h: queue policies, with the names and semantics of Fluxion's
 * qmanager (qmanager/policies/queue_policy_*.hpp at flux-sched fd257f71).
 *
 *   fcfs          start jobs in queue order; stop at the first that does not
 *                 fit now (later jobs wait behind it)
 *   easy          like hybrid with reservation depth 1
 *   hybrid        reserve the first 'reservation_depth' jobs that do not fit
 *                 (default 64), backfill the others
 *   conservative  reserve every job that does not fit, up to the queue depth
 *
 * Each pass considers at most 'queue_depth' jobs from the head of the queue
 * (default 32, as Fluxion's DEFAULT_QUEUE_DEPTH).  The backfilling policies
 * first drop every reservation of the previous pass and plan again from the
 * head.  A job for which no reservation can be made at all (for example,
 * nodes it needs are down) is set aside as "blocked" and does not count
 * toward the depth; blocked jobs rejoin the queue, in queue order, when a job
 * finishes or a resource comes back.  Jobs that can never run are rejected
 * when the backend says so.
 *
 * Where the simulator departs from qmanager: qmanager re-runs a pass that
 * stopped at the queue depth whenever the pass changed any job (including
 * only re-making reservations); here it re-runs only when the pass started a
 * job, since a pass that merely re-plans the same reservations would repeat
 * forever in virtual time.  The schedule is otherwise the same. */
#ifndef SCHEDSIM_QPOL_H
#define SCHEDSIM_QPOL_H

#include <stddef.h>
#include <stdint.h>

#include "eng_error.h"
#include "sim.h"

/* Fluxion's limits and defaults (qmanager/config/queue_system_defaults.hpp). */
enum qpol_limits {
    QPOL_DEFAULT_QUEUE_DEPTH = 32,
    QPOL_MAX_QUEUE_DEPTH = 1000000,
    QPOL_MAX_RESERVATION_DEPTH = 100000,
    QPOL_HYBRID_RESERVATION_DEPTH = 64,
};

/* When a pass plans again from scratch.
 *
 *   QPOL_REPLAN_ALWAYS     qmanager's schedule (default): every pass drops
 *                          every reservation and visits the queue from the
 *                          head.  A pass whose re-plan provably repeats the
 *                          previous one is skipped, which changes no result:
 *                          since the last pass that planned from scratch no
 *                          job completed or started, no resource changed,
 *                          no reservation is due and no match changed how
 *                          the backend breaks ties (sim_match_out.reordered).
 *                          The state and the queue up to the jobs visited
 *                          then are as they were, nothing frees resources
 *                          between the two passes (every span that ends is a
 *                          completion), so every reservation would be made
 *                          again the same and every job that did not fit
 *                          still does not: such a pass keeps them and visits
 *                          only the jobs that arrived since.
 *   QPOL_REPLAN_LITERAL    the same schedule, re-planning in every pass
 *                          (slower; for checking the skip above).
 *   QPOL_REPLAN_ON_CHANGE  only a pass that follows a completion or a
 *                          resource event plans from scratch; any other pass
 *                          (arrivals, or the re-run after a pass that started
 *                          jobs) keeps the reservations and the outcome of
 *                          every job already visited since, and visits only
 *                          the jobs it has not.  The result is a correct
 *                          schedule of the same policy with fewer match
 *                          calls, but not always qmanager's: jobs started
 *                          since, and Fluxion's choice among equally good
 *                          resources, which depends on the order of its past
 *                          updates (e.g. 'first' re-sorts out-edges by what
 *                          was free at each update), would change a re-plan. */
enum qpol_replan {
    QPOL_REPLAN_ALWAYS = 0,
    QPOL_REPLAN_ON_CHANGE = 1,
    QPOL_REPLAN_LITERAL = 2,
};

/* Policy parameters; 0 means "the policy's default". */
typedef struct qpol_params {
    int64_t queue_depth;       /* 1..QPOL_MAX_QUEUE_DEPTH */
    int64_t reservation_depth; /* hybrid: 1..; conservative: a cap (Fluxion's
                                  max-reservation-depth); fcfs/easy: must be 0 */
    enum qpol_replan replan;
} qpol_params_t;

struct qpol_ops {
    const char *name; /* "fcfs", "easy", "hybrid", "conservative" */
    /* New policy state for 'p'; NULL with 'err' set (ENG_EINVAL for a
     * parameter the policy does not take or out of range). */
    void *(*create)(const qpol_params_t *p, eng_error_t *err);
    void (*destroy)(void *state);
    /* 'job' was submitted and is satisfiable: queue it. */
    int (*on_submit)(void *state, sim_t *sim, const sim_job_t *job);
    /* 'job' finished (its resources are free again). */
    int (*on_finish)(void *state, sim_t *sim, const sim_job_t *job);
    /* A resource changed state (node up or down). */
    int (*on_resource)(void *state, sim_t *sim);
    /* A scheduling pass: start what fits now (and plan reservations). */
    int (*schedule)(void *state, sim_t *sim);
    /* Number of jobs waiting (queued and blocked). */
    size_t (*queued)(const void *state);
};

extern const struct qpol_ops qpol_fcfs;
extern const struct qpol_ops qpol_easy;
extern const struct qpol_ops qpol_hybrid;
extern const struct qpol_ops qpol_conservative;

/* The policy named 'name', or NULL.  Case-sensitive. */
const struct qpol_ops *qpol_find(const char *name);

/* The 'i'-th registered policy (in the order listed above), or NULL. */
const struct qpol_ops *qpol_at(size_t i);

#endif /* SCHEDSIM_QPOL_H */
