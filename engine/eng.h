/* eng.h: the matching engine's native C API.
 *
 * An eng_t owns one resource graph (rg.h) and everything Fluxion's traverser
 * keeps beside it: a planner per vertex (units of the vertex in use over
 * time), an exclusivity checker per vertex, subtree aggregate planners for the
 * pruning filters, the job table, and the engine's current time.  Given a
 * request tree (jobspec.h) it decides which vertices a job gets and when,
 * exactly as Fluxion's depth-first-and-up (DFU) traverser at flux-sched
 * fd257f71 decides (resource/traversers/dfu*.cpp), and feeds the chosen
 * vertices and edges to an R writer (rwrite.h) in Fluxion's emit order.
 *
 * Errors: functions return 0 or a negative enum eng_errc and fill 'err'
 * (last argument, may be NULL).  A match that cannot be satisfied now but
 * could be later returns ENG_EBUSY (Fluxion's errno EBUSY); one that can never
 * be satisfied returns ENG_ENOMATCH (Fluxion's ENODEV).  On failure the
 * engine's state is unchanged.  Where Fluxion's traverser writes a diagnostic
 * (its err_message(), which resource-query prints to stderr), the same
 * multi-line text is available from eng_message() until the next call.
 *
 * Time: the engine has a current time that only moves forward (eng_time_set).
 * Matches start at or after it; Fluxion's standalone client behaves as an
 * engine whose time stays 0.  Times are integer seconds.
 *
 * Threads: one eng_t belongs to one thread at a time; distinct engines may
 * run in distinct threads. */
#ifndef ENG_ENG_H
#define ENG_ENG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eng_api.h"
#include "eng_error.h"
#include "jobspec.h"

ENG_BEGIN_DECLS

typedef struct eng eng_t;           /* opaque: one engine per resource graph */
typedef struct rg_graph rg_graph_t; /* rg.h */
typedef struct rwrite rwrite_t;     /* rwrite.h */

/* Match operations, with the numeric values of Fluxion's match_op_t
 * (resource/policies/base/match_op.h) so the compatibility layer can cast. */
enum eng_match_op {
    ENG_MATCH_UNKNOWN = 0,
    ENG_MATCH_ALLOCATE = 1,                  /* now, or ENG_EBUSY */
    ENG_MATCH_ALLOCATE_W_SATISFIABILITY = 2, /* now; ENG_ENOMATCH if never */
    ENG_MATCH_ALLOCATE_ORELSE_RESERVE = 3,   /* now, else the earliest start */
    ENG_MATCH_SATISFIABILITY = 4,            /* could it ever fit? no state change */
    ENG_MATCH_WITHOUT_ALLOCATING = 5,        /* now, no state change */
    ENG_MATCH_WITHOUT_ALLOCATING_FUTURE = 6, /* earliest start, no state change */
    /* schedsim's own (not Fluxion's): ENG_MATCH_ALLOCATE_ORELSE_RESERVE for
     * a caller that knows the request cannot start now (a simulator that
     * sees fewer idle cores than it needs).  The attempt at the current time
     * is skipped and the search for the earliest start begins at once, so
     * the answer is the same as allocate_orelse_reserve's whenever the
     * caller is right; only the visit counts of the result differ. */
    ENG_MATCH_RESERVE_LATER = 100,
};

/* Text of 'op' as resource-query spells it ("allocate_orelse_reserve"), or
 * "unknown".  Static storage. */
ENG_API const char *eng_match_op_name(enum eng_match_op op);

/* The op named 'name', or ENG_MATCH_UNKNOWN.  'name' may be NULL. */
ENG_API enum eng_match_op eng_match_op_parse(const char *name);

/* How an engine matches.  Zero-initialise and set what you need: a NULL
 * string takes the default shown, which is resource-query's default. */
struct eng_options {
    /* Match policy: "first" (default), "firstnodex", "low", "high", "lonode",
     * "hinode", "lonodex", "hinodex", "locality", "variation", or the custom
     * form "policy=low|high node_centric=true|false node_exclusive=...
     * stop_on_1_matches=...". */
    const char *policy;
    /* Pruning filters "HL:LL[,HL:LL...]" ("ALL" = every vertex): default
     * "ALL:core,ALL:node"; "" installs none (leaf types are still tracked at
     * the cluster vertex, as in Fluxion). */
    const char *prune_filters;
    /* Subsystems by resource-query's -S name: "CA" (default, containment),
     * "PA" (power), "IBA", "IBBA", "PFS1BA", "C+IBA", "C+PA", "C+IBBA",
     * "C+PFS1BA", "IB+IBBA", "C+P+IBA", "V+PFS1BA", "VA", "ALL", or lower
     * case.  The first is the dominant subsystem. */
    const char *subsystems;
    /* Traverser: "simple" (default) or "flexible" (Fluxion's -T). */
    const char *traverser;
};

/* Create an engine with options 'o' (NULL = all defaults) and no graph.
 * Returns a new engine released with eng_destroy(), or NULL with 'err' set:
 * ENG_EINVAL for an unknown policy, subsystem set, traverser or a malformed
 * pruning filter (err->text names it, e.g. "unknown match policy 'lowest'"),
 * ENG_ENOMEM. */
ENG_API eng_t *eng_create(const struct eng_options *o, eng_error_t *err);

/* Release 'e', its graph and all its state.  NULL is a no-op. */
ENG_API void eng_destroy(eng_t *e);

/* Give the engine its resource graph 'g'; the engine owns it from then on,
 * even on failure (a _take function).  Builds the planners and pruning
 * filters.  Fails with ENG_ESTATE when a graph is already loaded,
 * ENG_ENOTSUP when a subsystem of the set (dominant or auxiliary) has no
 * root in 'g' (Fluxion's traverser initialize: ENOTSUP). */
ENG_API int eng_graph_take(eng_t *e, rg_graph_t *g, eng_error_t *err);

/* Read a graph from 'len' bytes of 'text' in 'format' ("jgf"; other readers
 * register through rg.h) and take it.  'source' names the input in errors.
 * Errors as the reader's, plus those of eng_graph_take(). */
ENG_API int eng_graph_load(eng_t *e, const char *text, size_t len, const char *format,
                           const char *source, eng_error_t *err);

/* The engine's graph, or NULL before one is loaded.  Borrowed; valid until
 * the next call that changes the graph (eng_attach, eng_remove_*). */
ENG_API const rg_graph_t *eng_graph(const eng_t *e);

/* ---- time --------------------------------------------------------------- */

/* Move the current time to 't' seconds.  Returns ENG_EINVAL if 't' is before
 * the current time (time never goes back). */
ENG_API int eng_time_set(eng_t *e, int64_t t);

/* Whether a match that ends in a reservation feeds its writer: true after
 * eng_create (every match is written, as in Fluxion).  The simulator turns it
 * off: it reports no R for reservations, and writing one costs about as much
 * as making it. */
ENG_API void eng_set_write_reservations(eng_t *e, bool on);

/* Lazy reservations (off after eng_create): a reservation that takes a
 * vertex whole with everything below it (an exclusive node, say) and is
 * written to no writer plans its spans on that vertex and its ancestors only,
 * not on the vertices below, which no match can reach in the reservation's
 * window (the vertex's own planner is full then); the out-edge weights below
 * it are refreshed as the full update would.  Matches, their order of
 * preference and cancels are exactly as without, provided every job is
 * cancelled by the end of its span and every reservation before its start,
 * as the simulator does (an allocation left running past its span holds its
 * vertices "now" while any span on them lasts, and the spans not made would
 * count there).  What inspects single vertices below such a vertex (find,
 * status and property queries) does not see the reservation there.  With a
 * node of 32 cores it cuts the work of planning and cancelling such a
 * reservation about thirtyfold. */
ENG_API void eng_set_lazy_reservations(eng_t *e, bool on);

/* Lazy allocations (off after eng_create): the same for an allocation at the
 * current time that takes a vertex whole, with the graph's dominant subsystem
 * alone (no auxiliary ones), where the subtree below the vertex is a tree.
 * Its R is written in full; the vertices below get no spans, records or
 * exclusivity marks, and while the allocation lives the engine counts it
 * there when another match re-weighs an out-edge below it (a reservation
 * after its end, say), as the full spans would.  Exact under the same
 * conditions as lazy reservations: every job cancelled by the end of its
 * span, and the graph not changed (attach, remove) while one lives.  What
 * inspects single vertices below (find, status queries, partial cancels)
 * does not see the allocation there.  A whole 32-core node then costs about
 * as much to allocate and cancel as a one-core job. */
ENG_API void eng_set_lazy_allocations(eng_t *e, bool on);

/* A number that changes whenever a match changes the order in which later
 * matches consider equally good resources: Fluxion's stop-on-first policies
 * re-weigh the out-edges along each match's path by what is free at the
 * current time.  Everything else a match depends on is the planned spans, the
 * status of vertices and the time; so two identical sequences of matches from
 * states equal in those, with this number unchanged by the first, decide the
 * same.  The simulator uses it to skip re-planning passes that would repeat
 * the previous one exactly. */
ENG_API uint64_t eng_order_version(const eng_t *e);

/* The current time (0 after eng_create). */
ENG_API int64_t eng_time(const eng_t *e);

/* ---- matching ----------------------------------------------------------- */

/* What a match decided. */
struct eng_match_result {
    int64_t at;        /* start time of the match */
    int64_t duration;  /* seconds, after Fluxion's defaulting and clipping */
    bool reserved;     /* 'at' is after the current time (a reservation) */
    bool satisfiable;  /* false when the call returned ENG_ENOMATCH or ENG_ENOENT */
    double overhead_s; /* wall time spent in the call */
    /* DFU visit counts as resource-query -e prints them: Fluxion's running
     * totals, set by a first select that matches, added to by the later
     * selects of a reserve search or satisfiability check, and left from the
     * previous operation (match or cancel) when a match fails early. */
    uint32_t preorder;
    uint32_t postorder;
};

/* Match request 'js' for job 'jobid' with operation 'op'.  On success the
 * chosen vertices and edges are fed to 'w' (may be NULL: nothing emitted),
 * '*res' is filled and, for the allocating operations, the job is recorded as
 * ALLOCATED (at == current time) or RESERVED.  Returns 0, ENG_EBUSY (not at
 * this time / not before the end of time), ENG_ENOMATCH (never; also for
 * ENG_MATCH_SATISFIABILITY when unsatisfiable), ENG_EINVAL (bad op, empty request, bad
 * duration, a jobid above INT64_MAX for an operation that records the job (the others
 * record nothing and take any id, e.g. UINT64_MAX), or
 * a resource type neither built in, nor in the graph, nor a pruning type:
 * err->text is then Fluxion's jobspec error "Value of "type" must be a
 * resource type known to fluxion") or ENG_ENOMEM.  Fluxion quirk kept: when a match is
 * found but its update emits nothing (a request tree Fluxion resolves without marking a
 * path to the root), the call fails with the errno Fluxion is left with: after a reserve
 * search whose planner ran out of times, ENG_ENOENT (errno ENOENT: resource-query reports
 * "traverser: No such file or directory" and treats the request as unsatisfiable) or
 * ENG_ELIMIT (ERANGE); otherwise the errno the traversal last left: ENG_EBUSY when some
 * visit failed before, else ENG_ESTATE (Fluxion's errno is stale there, e.g. ENOTTY).
 * Except for ENG_EBUSY, resource-query does not advance its job counter then.  'res' is
 * filled on ENG_EBUSY/ENG_ENOMATCH too (visit counts, overhead, satisfiable).  'w'
 * receives nothing on failure.  Ids are not checked, as in Fluxion's traverser: a match
 * under the id of a live job (e.g. one whose R a caller failed to write and so never
 * recorded) is added to it: per vertex the newer spans become the job's, the older ones
 * stay in the planners, and eng_cancel() then releases every vertex either match tagged.
 * Callers that want unique ids check them (reapi_cli does, against its job table). */
ENG_API int eng_match(eng_t *e, enum eng_match_op op, const jobspec_t *js, uint64_t jobid,
                      rwrite_t *w, struct eng_match_result *res, eng_error_t *err);

/* Place job 'jobid' on the resources named by 'len' bytes of R text 'r'
 * (RFC 20 R: JGF "scheduling" or rv1 "execution", see rparse.h) starting at
 * 'at' for 'duration' seconds, as Fluxion's "update" does; 'reserve' records
 * it as RESERVED rather than ALLOCATED.  The placed vertices are fed to 'w'.
 * Returns 0, ENG_EEXIST (jobid in use), ENG_EPARSE (malformed R, positioned),
 * ENG_ENOENT (R names a vertex not in the graph), ENG_EBUSY (the vertices are
 * not free then), ENG_EINVAL ('at' < 0, 'duration' 0). */
ENG_API int eng_update(eng_t *e, uint64_t jobid, const char *r, size_t len, int64_t at,
                       uint64_t duration, bool reserve, rwrite_t *w,
                       struct eng_match_result *res, eng_error_t *err);

/* Release all resources of job 'jobid' (allocated or reserved) and forget the
 * job, so an engine's memory does not grow with the jobs it has seen (the
 * Fluxion-compatible layer keeps its own record of cancelled jobs).  Returns
 * 0, or ENG_ENOENT when no such live job exists (0 instead if 'noent_ok'). */
ENG_API int eng_cancel(eng_t *e, uint64_t jobid, bool noent_ok, eng_error_t *err);

/* Re-planning reservations in place (off after eng_create).  A queue manager
 * that drops its reservations at every scheduling pass and matches the same
 * jobs again (Fluxion's qmanager does) mostly gets each job the reservation it
 * just had.  With this on, eng_unreserve() of a reservation acts as
 * eng_cancel() for every call that follows, except that the reservation's
 * spans stay planned until one of them could see them: the job's next
 * eng_match() (allocate-or-else-reserve, or reserve-later) selects as if they
 * were gone, and when it selects exactly what the reservation held, they
 * stay as the new reservation instead of being removed and planted again;
 * any other call removes them first.  Every answer, R, out-edge order and
 * visit count is what eng_cancel() then eng_match() give.  Returns 0, or an
 * error of the delayed removal. */
ENG_API int eng_set_replan_in_place(eng_t *e, bool on);

/* eng_cancel(e, jobid, true, err) for a job that is about to be matched
 * again: a reservation may be kept for that match (eng_set_replan_in_place). */
ENG_API int eng_unreserve(eng_t *e, uint64_t jobid, eng_error_t *err);

/* How many reservations re-planning in place has kept so far: matches after
 * eng_unreserve() that selected exactly what the reservation held (the same
 * start, duration and resources), which therefore left every planned span as
 * it was before the eng_unreserve().  0 while it is off. */
ENG_API uint64_t eng_kept_count(const eng_t *e);

/* Release the subset of job 'jobid' named by 'len' bytes of R text 'r'
 * (rv1 execution R_lite ranks, or JGF).  '*full_removal' tells whether
 * nothing of the job is left (it is then forgotten, as after eng_cancel).  Returns 0,
 * ENG_ENOENT (no such allocation; reservations cannot be partially cancelled), ENG_EPARSE
 * (malformed R).  'full_removal' may be NULL. */
ENG_API int eng_partial_cancel(eng_t *e, uint64_t jobid, const char *r, size_t len,
                               bool *full_removal, eng_error_t *err);

/* ---- jobs --------------------------------------------------------------- */

/* States of a job, as Fluxion's job_lifecycle_t. */
enum eng_job_state {
    ENG_JOB_INIT = 0,
    ENG_JOB_ALLOCATED = 1,
    ENG_JOB_RESERVED = 2,
    ENG_JOB_CANCELED = 3,
    ENG_JOB_ERROR = 4,
};

/* Name of 'st' ("ALLOCATED"), or "UNKNOWN".  Static storage. */
ENG_API const char *eng_job_state_name(enum eng_job_state st);

struct eng_job_info {
    uint64_t jobid;
    enum eng_job_state state;
    int64_t at;       /* scheduled start */
    int64_t duration; /* seconds */
    double overhead_s;
};

/* Fill '*info' for live job 'jobid' (allocated or reserved; cancelled jobs
 * are forgotten).  Returns 0 or ENG_ENOENT. */
ENG_API int eng_job_info(const eng_t *e, uint64_t jobid, struct eng_job_info *info,
                         eng_error_t *err);

/* Iterate the known jobs in increasing jobid: eng_job_first() fills '*info'
 * with the smallest and returns true, eng_job_next() the one after 'prev'.
 * Both return false when there is none. */
ENG_API bool eng_job_first(const eng_t *e, struct eng_job_info *info);
ENG_API bool eng_job_next(const eng_t *e, uint64_t prev, struct eng_job_info *info);

/* ---- graph state -------------------------------------------------------- */

/* Mark the vertex at 'path' (in the dominant subsystem, e.g.
 * "/tiny0/rack0/node0") and its subtree up or down.  Down vertices are never
 * matched (except by satisfiability checks).  Returns 0, ENG_ENOENT (Fluxion's
 * message "could not find subtree path (...)" in eng_message()). */
ENG_API int eng_status_set(eng_t *e, const char *path, bool up, eng_error_t *err);

/* '*up' = status of the vertex at 'path'.  Returns 0 or ENG_ENOENT. */
ENG_API int eng_status_get(const eng_t *e, const char *path, bool *up, eng_error_t *err);

/* Mark the subtree of each rank in idset text 'ranks' ("0-3,7") up or down,
 * as Fluxion's mark(ranks).  Unknown ranks are skipped.  Returns 0 or
 * ENG_EPARSE. */
ENG_API int eng_status_set_ranks(eng_t *e, const char *ranks, bool up, eng_error_t *err);

/* Set property 'key' = 'value' on the vertex at 'path' (replacing a previous
 * value).  Returns 0 or ENG_ENOENT. */
ENG_API int eng_property_set(eng_t *e, const char *path, const char *key,
                             const char *value, eng_error_t *err);

/* Feed to 'w' the vertices satisfying Fluxion's find 'criteria' (status=,
 * sched-now=, sched-future=, names=, property=, jobid-alloc=, jobid-span=,
 * jobid-tag=, jobid-reserved=, agfilter= joined by and/or with parentheses).
 * Returns 0 or ENG_EINVAL ("find: invalid criteria: ..." in eng_message()). */
ENG_API int eng_find(eng_t *e, const char *criteria, rwrite_t *w, eng_error_t *err);

/* Add the JGF subgraph in 'len' bytes of 'text' to the graph (Fluxion's
 * attach / add_subgraph) and rebuild the pruning filters.  Returns 0 or the
 * reader's error. */
ENG_API int eng_attach(eng_t *e, const char *text, size_t len, eng_error_t *err);

/* Remove the subtree at 'path' from the graph (Fluxion's remove_subgraph).
 * Returns 0 or ENG_ENOENT. */
ENG_API int eng_remove_path(eng_t *e, const char *path, eng_error_t *err);

/* Release every job's hold on the subtrees of the ranks in idset 'ranks',
 * then remove those subtrees (resource-query "remove IDSET false").  Returns
 * 0, ENG_EPARSE, ENG_ENOENT (a rank never in the graph: nothing done) or
 * ENG_ESTATE (a rank whose vertices were all removed before: the holds are
 * released but, as Fluxion fails to remove a subtree without a root, nothing
 * is removed; Fluxion's removal of the ranks before that one in the set is
 * half done, ours not at all). */
ENG_API int eng_remove_ranks(eng_t *e, const char *ranks, eng_error_t *err);

/* ---- diagnostics -------------------------------------------------------- */

/* Fluxion's traverser diagnostic of the last call (possibly several lines,
 * each ending in '\n'), or "".  Borrowed; valid until the next call on 'e'. */
ENG_API const char *eng_message(const eng_t *e);

struct eng_stats {
    uint64_t vertices, edges; /* in the graph */
    uint64_t jobs;            /* jobs recorded, including cancelled ones */
    uint64_t matches;         /* eng_match calls that matched */
    double load_s;            /* time to take the graph and prime filters */
    double match_min_s, match_max_s, match_avg_s;
    uint32_t preorder, postorder; /* visit counts of the last operation */
};

/* Fill '*st'. */
ENG_API void eng_stats_get(const eng_t *e, struct eng_stats *st);

ENG_END_DECLS

#endif /* ENG_ENG_H */
