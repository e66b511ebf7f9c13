/* sim.h: the discrete-event simulator core: clock, event loop, job table.
 *
 * A sim_t replays jobs against a resource backend (struct sim_rapi_ops: the
 * matching engine, or a test double) under a queue policy (struct qpol_ops,
 * qpol.h).  The loop knows no policy by name: it turns events into calls of
 * the policy's ops, and policies act only through the narrow API below
 * (sim_now, sim_start_job, sim_reserve, sim_unreserve, sim_reject_job,
 * sim_schedule_at).
 *
 * Event order: (time, class, seq), see evq.h.  At one instant completions
 * come first (they free resources), then resource events (node down/up), then
 * arrivals, then the scheduling pass, so a pass sees everything that happened
 * at its instant; equal keys keep the order in which they were queued.
 *
 * Virtual time is integer seconds.  The backend is told the time before each
 * event and never reads a clock; the simulator reads none either, except the
 * optional 'clock_ns' callback the caller supplies to measure match overhead,
 * which affects only the wall-clock columns (match_us), never the schedule.
 *
 * Threads: one sim_t belongs to one thread at a time; distinct sims share
 * nothing. */
#ifndef SCHEDSIM_SIM_H
#define SCHEDSIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eng_error.h"
#include "evq.h"

typedef struct sim sim_t;
struct qpol_ops;

/* Event classes: the documented rank at one instant (lower first). */
enum sim_event_class {
    SIM_EV_FINISH = 0,   /* a running job ends */
    SIM_EV_RESOURCE = 1, /* a node goes down or up */
    SIM_EV_ARRIVAL = 2,  /* a job is submitted */
    SIM_EV_SCHED = 3,    /* a scheduling pass */
};

enum sim_job_state {
    SIM_JOB_FUTURE = 0, /* not submitted yet */
    SIM_JOB_QUEUED,     /* submitted, waiting in the policy's queue */
    SIM_JOB_RUNNING,
    SIM_JOB_COMPLETED,
    SIM_JOB_REJECTED, /* can never run on this graph */
    SIM_JOB_UNMAPPED, /* the trace record could not be turned into a jobspec */
};

/* Resource types counted in reports (busy and total units). */
enum sim_unit { SIM_UNIT_NODE = 0, SIM_UNIT_CORE, SIM_UNIT_GPU, SIM_UNIT_COUNT };

/* A job as given to sim_job_add().  Strings are copied. */
struct sim_job_spec {
    int64_t id;          /* id in the trace (reported, not interpreted) */
    sim_time_t submit;   /* >= 0 */
    sim_time_t runtime;  /* actual run time, >= 0 */
    sim_time_t walltime; /* requested time, >= 1; the job ends at
                            start + min(runtime, walltime) */
    const char *jobspec; /* jobspec text for the backend; NULL when unmapped */
    /* Requested, for reports; -1 unknown. */
    int64_t req_nodes, req_cores, req_gpus;
    /* A lower bound on the cores the job needs (0 or less: none known).
     * sim_start_job() answers ENG_EBUSY without asking the backend when fewer
     * cores than that are idle.  Whole-node jobs: nodes x the fewest cores
     * any node has, not nodes x the average. */
    int64_t min_cores;
    const char *unmapped; /* non-NULL: why the job cannot be mapped (never submitted) */
};

/* A job in the table.  Policies and reports read it; only sim.c writes it. */
typedef struct sim_job {
    size_t index; /* position in the table; the backend job id is index + 1 */
    int64_t id;   /* id in the trace */
    sim_time_t submit, runtime, walltime;
    char *jobspec; /* NULL when unmapped */
    int64_t req_nodes, req_cores, req_gpus;
    int64_t min_cores; /* see struct sim_job_spec */
    enum sim_job_state state;
    uint64_t arrival_seq;          /* order of submission among all jobs (queue order) */
    sim_time_t start, end;         /* -1 until started / ended */
    sim_time_t first_reserved_at;  /* start time of its first reservation, -1 never */
    sim_time_t reserved_at;        /* current reservation, -1 none */
    bool reordered;                /* its last successful match set
                                      sim_match_out.reordered */
    uint64_t match_calls;          /* backend match calls made for this job */
    int64_t match_ns;              /* their wall time (0 without a clock) */
    char *r_lite;                  /* RFC 20 R_lite JSON text once started */
    char *nodelist;                /* host list once started ("node[0-3]") */
    int64_t units[SIM_UNIT_COUNT]; /* allocated units once started */
    char *note;                    /* why rejected / unmapped, else NULL */
} sim_job_t;

/* ---- the resource backend ---------------------------------------------- */

enum sim_match_op {
    SIM_MATCH_ALLOCATE = 0,   /* now or ENG_EBUSY */
    SIM_MATCH_ORELSE_RESERVE, /* now, else reserve the earliest start */
    SIM_MATCH_SATISFIABILITY, /* could it ever fit?  No state change */
    /* SIM_MATCH_ORELSE_RESERVE for a job known not to fit now (it needs more
     * cores than are idle): a backend may skip the attempt at the current
     * time; the answer must be the same. */
    SIM_MATCH_RESERVE_LATER,
};

struct sim_match_out {
    sim_time_t at; /* start granted (== now unless reserved) */
    bool reserved;
    /* The match changed how the backend breaks ties among equally good
     * resources (eng_order_version()): re-planning the same requests on the
     * same state might then decide otherwise.  False when unknown to be so. */
    bool reordered;
    char *r_lite;   /* new (free()): R_lite JSON array for allocations, else NULL */
    char *nodelist; /* new (free()): host list for allocations, else NULL */
    /* the units 'r_lite' holds, when the backend counted them (else the
     * simulator counts them in the text) */
    bool has_units;
    int64_t units[SIM_UNIT_COUNT];
};

/* What the simulator needs from a matching engine.  'ctx' is the backend's
 * own handle.  Every op returns 0 or a negative enum eng_errc; match returns
 * ENG_EBUSY (not now / no reservation possible) or ENG_ENOMATCH (never) as
 * outcomes, any other negative code as a failure that stops the run. */
struct sim_rapi_ops {
    const char *name;
    /* Move the backend's clock to 'now' (never decreases). */
    int (*set_time)(void *ctx, sim_time_t now, eng_error_t *err);
    /* Match 'jobspec' of job 'jobid' with 'op'; fill '*out' on success. */
    int (*match)(void *ctx, enum sim_match_op op, uint64_t jobid, const char *jobspec,
                 struct sim_match_out *out, eng_error_t *err);
    /* Release the allocation or reservation of 'jobid'.  'final' says the
     * job will never be matched again (the backend may drop its caches). */
    int (*cancel)(void *ctx, uint64_t jobid, bool final, eng_error_t *err);
    /* Mark node 'name' (a host name or a graph path) up or down. */
    int (*set_status)(void *ctx, const char *name, bool up, eng_error_t *err);
    /* Total units per enum sim_unit. */
    void (*totals)(void *ctx, int64_t totals[SIM_UNIT_COUNT]);
};

/* ---- creation and input ------------------------------------------------ */

struct sim_params {
    /* Optional monotonic clock in nanoseconds, used only to time backend
     * match calls (match_us and the overhead statistics).  NULL: not timed. */
    int64_t (*clock_ns)(void *arg);
    void *clock_arg;
    /* Optional progress callback, called every 'progress_every' events
     * (default 4096) and once at the end. */
    void (*progress)(void *arg, const sim_t *sim);
    void *progress_arg;
    uint64_t progress_every;
};

/* Aggregate counters of a run. */
struct sim_stats {
    uint64_t events;      /* events dispatched */
    uint64_t passes;      /* scheduling passes */
    uint64_t match_calls; /* backend match calls (all jobs) */
    uint64_t prechecked;  /* start attempts answered "busy" by the idle-core count */
    int64_t match_ns;     /* their wall time (0 without a clock) */
    size_t submitted, started, completed, rejected, unmapped, queued, running;
    sim_time_t now;
};

/* New simulator over backend 'rapi' with context 'ctx' (borrowed; must
 * outlive the sim).  'p' may be NULL.  Returns NULL with 'err' set
 * (ENG_EINVAL for a backend missing an op, ENG_ENOMEM). */
sim_t *sim_create(const struct sim_rapi_ops *rapi, void *ctx, const struct sim_params *p,
                  eng_error_t *err);
void sim_destroy(sim_t *sim); /* NULL is a no-op */

/* Add a job (before sim_run).  Jobs may come in any submit order; jobs with
 * equal submit times arrive in the order added.  Returns 0, ENG_EINVAL (a
 * negative time, walltime < 1, no jobspec and no 'unmapped' reason, or the
 * run already started) or ENG_ENOMEM, with 'err' set. */
int sim_job_add(sim_t *sim, const struct sim_job_spec *spec, eng_error_t *err);

/* Schedule node 'name' to go down ('up' false) or up at time 't' >= 0.
 * Returns 0, ENG_EINVAL or ENG_ENOMEM. */
int sim_resource_event_add(sim_t *sim, sim_time_t t, const char *name, bool up,
                           eng_error_t *err);

/* Replay every event under policy 'ops' with policy state 'state'
 * (borrowed).  Returns 0 when the event queue is exhausted, or the first
 * non-zero code of a policy op or a backend failure, with 'err' set.  A sim
 * runs once. */
int sim_run(sim_t *sim, const struct qpol_ops *ops, void *state, eng_error_t *err);

/* ---- the narrow API for policies --------------------------------------- */

sim_time_t sim_now(const sim_t *sim);

/* The run's error record, for policies to pass as 'err' to the calls below;
 * sim_run() copies it to its caller.  Borrowed for the life of 'sim'. */
eng_error_t *sim_error(sim_t *sim);

/* Job 'index', borrowed for the life of 'sim'; NULL when out of range. */
const sim_job_t *sim_job(const sim_t *sim, size_t index);
size_t sim_job_count(const sim_t *sim);

/* Try to start queued job 'job' now.  Returns 0 (running; its completion
 * is queued), ENG_EBUSY (does not fit now), ENG_ENOMATCH (never fits), or a
 * failure code (stop the run).  Drops the job's reservation first, if any.
 * When the job requests more cores than are idle (total minus those held
 * by running jobs) the answer is ENG_EBUSY without a backend call. */
int sim_start_job(sim_t *sim, const sim_job_t *job, eng_error_t *err);

/* Start queued 'job' now, or else reserve its earliest start (Fluxion's
 * allocate_orelse_reserve).  Returns 0 with '*at' == sim_now() when started,
 * '*at' > sim_now() when reserved (until sim_unreserve() or a later start);
 * ENG_EBUSY when neither is possible, ENG_ENOMATCH, or a failure code. */
int sim_reserve(sim_t *sim, const sim_job_t *job, sim_time_t *at, eng_error_t *err);

/* Drop the reservation of 'job' (no-op when it has none). */
int sim_unreserve(sim_t *sim, const sim_job_t *job, eng_error_t *err);

/* Mark queued 'job' rejected with reason 'why' (copied); the policy must
 * have removed it from its queue. */
int sim_reject_job(sim_t *sim, const sim_job_t *job, const char *why, eng_error_t *err);

/* Ask for a scheduling pass at 't' (>= now).  A pass already queued for
 * 't' is not duplicated.  Returns 0, ENG_EINVAL or ENG_ENOMEM. */
int sim_schedule_at(sim_t *sim, sim_time_t t);

/* ---- results ------------------------------------------------------------ */

void sim_stats_get(const sim_t *sim, struct sim_stats *st);

/* Total units per enum sim_unit, as the backend reported at creation. */
void sim_totals(const sim_t *sim, int64_t totals[SIM_UNIT_COUNT]);

/* Quantile 'q' (0..1) of the per-call match durations in nanoseconds, from a
 * log-bucketed histogram (32 buckets per doubling, so within about 2.2%);
 * 0 when no call was timed. */
int64_t sim_match_quantile_ns(const sim_t *sim, double q);

/* Name of 'st' as jobs.csv spells it ("completed", "rejected", "unmapped",
 * "queued", "running", "future").  Static storage. */
const char *sim_job_state_name(enum sim_job_state st);

#endif /* SCHEDSIM_SIM_H */
