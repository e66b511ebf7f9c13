/* reapi_cli.h: Fluxion's standalone resource API for C programs
 * (resource/reapi/bindings/c/reapi_cli.h at flux-sched fd257f71), on
 * schedsim's engine, with no flux-core and no C++.
 *
 * Names, types, signatures and errno values are Fluxion's, so a program
 * written for Fluxion's client compiles and runs against libschedsim.so.
 * Conventions (Fluxion's): functions return 0 on success and -1 with errno
 * set on failure; a match that cannot be satisfied now fails with EBUSY, one
 * that can never be satisfied with ENODEV; unknown jobs give ENOENT; bad
 * arguments EINVAL.  Diagnostics accumulate in the context and are read with
 * reapi_cli_get_err_msg().  Strings returned through 'char **' parameters are
 * heap strings the caller releases with free().
 *
 * Differences from Fluxion, on purpose:
 *   - reapi_cli_stat() is implemented (Fluxion's returns ENOSYS);
 *   - error messages live in the context, not in a process-wide variable, so
 *     two contexts never see each other's messages;
 *   - graphs load from JGF ("load_format": "jgf" or "jgf_shorthand");
 *     Fluxion's other readers (grug, hwloc, rv1exec) fail with EPROTO as an
 *     unknown reader would;
 *   - reapi_cli_clone() rebuilds the clone by replaying the context's
 *     state-changing calls on a fresh engine (same result), since the
 *     engine has no deep copy.  The journal it replays holds the live
 *     state, not the history: with the "jgf" and "rv1" match formats an
 *     allocation is kept as its exact R and forgotten when cancelled, so
 *     memory stays flat over any number of match/cancel cycles; with the
 *     other formats, and while a reservation is live, matches are kept as
 *     jobspecs (replayed in order) until no job is live;
 *   - a context remembers the 1024 most recently cancelled jobs for
 *     reapi_cli_info() ("CANCELED"), not all of them (Fluxion keeps all).
 *
 * Thread-safety: one context belongs to one thread at a time; distinct
 * contexts may be used from distinct threads. */
#ifndef ENG_REAPI_CLI_H
#define ENG_REAPI_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "eng_api.h"
#include "match_op.h"
#include "resource_status.h"

ENG_BEGIN_DECLS

typedef struct reapi_cli_ctx reapi_cli_ctx_t;

/* A new context with no resource graph (initialize it next), or NULL with
 * errno ENOMEM.  Release with reapi_cli_destroy(). */
ENG_API reapi_cli_ctx_t *reapi_cli_new(void);

/* An independent deep copy of 'ctx' (graph, allocations, reservations,
 * status, time, job records, job counter): operations on either never affect
 * the other, and both answer the same match the same way.  The clone's
 * reapi_cli_stat() counts and timings cover only what was replayed.  NULL
 * with errno EINVAL ('ctx' NULL or not initialized), ENOMEM, or EPROTO (the
 * replay diverged, a bug). */
ENG_API reapi_cli_ctx_t *reapi_cli_clone(reapi_cli_ctx_t *ctx);

/* Release 'ctx' and everything it holds.  errno is preserved. */
ENG_API void reapi_cli_destroy(reapi_cli_ctx_t *ctx);

/* Load the resource graph text 'rgraph' and configure matching from the JSON
 * object text 'options' (every key optional): "load_format" ("jgf"),
 * "matcher_name" (-S subsystems, "CA"), "matcher_policy" ("first"),
 * "traverser_policy" ("simple"), "match_format" (writer, "jgf"),
 * "prune_filters" ("ALL:core,ALL:node").  Returns 0, or -1 with errno EPROTO
 * (bad options, unknown policy or reader, malformed graph: the message says
 * which), EINVAL ('ctx'/'rgraph' NULL, unknown subsystems), ENOMEM. */
ENG_API int reapi_cli_initialize(reapi_cli_ctx_t *ctx, const char *rgraph,
                                 const char *options);

/* Match 'jobspec' (YAML or JSON text) with operation 'match_op', as job
 * number *jobid, which the context assigns from its counter (1, 2, ...;
 * (uint64_t)-1 for the without_allocating operations).  On success '*R' is
 * the matched resource set in the configured match format (free() it; "" when
 * the format writes nothing), '*reserved' tells a reservation from an
 * allocation, '*at' is the start time (0 = now), '*ov' the seconds spent.
 * Returns 0, or -1 with errno EBUSY (not now), ENODEV (never; for
 * MATCH_SATISFIABILITY: unsatisfiable), EINVAL (bad op, malformed jobspec or
 * a resource type the graph does not know), ENOMEM. */
ENG_API int reapi_cli_match(reapi_cli_ctx_t *ctx, match_op_t match_op,
                            const char *jobspec, uint64_t *jobid, bool *reserved,
                            char **R, int64_t *at, double *ov);

/* reapi_cli_match() with the caller's 'jobid' (do not mix with the
 * counter-assigning calls).  As in Fluxion, the id is not checked: matching
 * under the id of a live job adds what is matched to that job (its record
 * then describes the newer match, and reapi_cli_cancel() releases both).  The
 * counter still advances as in reapi_cli_match(). */
ENG_API int reapi_cli_match_with_jobid(reapi_cli_ctx_t *ctx, match_op_t match_op,
                                       const char *jobspec, uint64_t jobid,
                                       bool *reserved, char **R, int64_t *at, double *ov);

/* reapi_cli_match() with MATCH_ALLOCATE_ORELSE_RESERVE when 'orelse_reserve',
 * else MATCH_ALLOCATE. */
ENG_API int reapi_cli_match_allocate(reapi_cli_ctx_t *ctx, bool orelse_reserve,
                                     const char *jobspec, uint64_t *jobid, bool *reserved,
                                     char **R, int64_t *at, double *ov);

/* Satisfiability of 'jobspec' on the whole graph, nothing allocated: '*sat'
 * true, or false when unsatisfiable (then -1 with errno ENODEV) or when any
 * other error occurred (-1, errno as reapi_cli_match()). */
ENG_API int reapi_cli_match_satisfy(reapi_cli_ctx_t *ctx, const char *jobspec, bool *sat,
                                    double *ov);

/* Allocate to job 'jobid' exactly the resources named by R (RFC 20 R with a
 * "scheduling" JGF, rv1exec R, or bare JGF), starting at execution.starttime
 * for expiration - starttime seconds (100 years when absent).  '*R_out' is
 * the allocation in the configured match format (free() it), '*at' its
 * start, '*ov' the seconds spent.  Returns 0, or -1 with errno EEXIST (jobid
 * in use), EINVAL (malformed R, 'R' NULL), ENOENT (R names resources not in
 * the graph), EBUSY (they are not free then). */
ENG_API int reapi_cli_update_allocate(reapi_cli_ctx_t *ctx, const uint64_t jobid,
                                      const char *R, int64_t *at, double *ov,
                                      const char **R_out);

/* Attach the JGF subgraph 'R_subgraph' (with the path from the cluster root
 * to it) to the graph.  0, or -1 with errno EINVAL (malformed, NULL). */
ENG_API int reapi_cli_add_subgraph(reapi_cli_ctx_t *ctx, const char *R_subgraph);

/* Remove the subtree whose containment path is 'subgraph_path'
 * ("/cluster0/rack0/node3").  0, or -1 with errno ENOENT / EINVAL. */
ENG_API int reapi_cli_remove_subgraph(reapi_cli_ctx_t *ctx, const char *subgraph_path);

/* Release job 'jobid' (allocated or reserved).  0, or -1 with errno ENOENT
 * when there is no such live job (0 when 'noent_ok'; the message is still
 * recorded). */
ENG_API int reapi_cli_cancel(reapi_cli_ctx_t *ctx, const uint64_t jobid, bool noent_ok);

/* Release the part of allocation 'jobid' named by 'R' (rv1exec R_lite ranks,
 * or R with a "scheduling" JGF); '*full_removal' tells whether nothing is
 * left.  0, or -1 with errno ENOENT (no such allocation; 0 when 'noent_ok'),
 * EINVAL (malformed R). */
ENG_API int reapi_cli_partial_cancel(reapi_cli_ctx_t *ctx, const uint64_t jobid,
                                     const char *R, bool noent_ok, bool *full_removal);

/* State of job 'jobid': '*mode' = "ALLOCATED", "RESERVED", "CANCELED"...
 * (free() it), '*reserved', '*at', '*ov' (seconds its match took).  0, or -1
 * with errno ENOENT (never matched, or cancelled before the 1024 latest
 * cancelled jobs). */
ENG_API int reapi_cli_info(reapi_cli_ctx_t *ctx, const uint64_t jobid, char **mode,
                           bool *reserved, int64_t *at, double *ov);

/* Resources satisfying 'criteria' (Fluxion's find expressions, e.g.
 * "sched-now=allocated and status=up") as compact JSON in '*R' in 'format'
 * (NULL: the configured match format), or NULL when nothing matches (free()
 * it).  0, or -1 with errno EINVAL (bad criteria or format), ENOMEM (also
 * for the text formats, whose output is not JSON, as in Fluxion). */
ENG_API int reapi_cli_find(reapi_cli_ctx_t *ctx, const char *criteria, const char *format,
                           char **R);

/* Counts and timings: vertices '*V', edges '*E', jobs ever matched '*J'
 * (canceled ones included), graph load seconds '*load', and min/max/average
 * seconds per match.  0, or -1 with errno EINVAL. */
ENG_API int reapi_cli_stat(reapi_cli_ctx_t *ctx, int64_t *V, int64_t *E, int64_t *J,
                           double *load, double *min, double *max, double *avg);

/* All messages recorded since the last clear, as a new string the caller
 * releases with free() ("" when none). */
ENG_API const char *reapi_cli_get_err_msg(reapi_cli_ctx_t *ctx);

/* Forget the recorded messages. */
ENG_API void reapi_cli_clear_err_msg(reapi_cli_ctx_t *ctx);

/* Mark the vertex at 'resource_path' and its subtree up or down.  0, or -1
 * with errno EINVAL (NULL, bad status, path not found). */
ENG_API int reapi_cli_set_status(reapi_cli_ctx_t *ctx, const char *resource_path,
                                 resource_status_t status);

/* '*status' of the vertex at 'resource_path'.  0, or -1 with errno EINVAL. */
ENG_API int reapi_cli_get_status(reapi_cli_ctx_t *ctx, const char *resource_path,
                                 resource_status_t *status);

/* Mark the subtree of each rank in idset text 'ranks' ("0-3,7", or "all")
 * up or down; unknown ranks are ignored.  0, or -1 with errno EINVAL. */
ENG_API int reapi_cli_set_rank_status(reapi_cli_ctx_t *ctx, const char *ranks,
                                      resource_status_t status);

/* '*status' of the node of rank 'rank' (one rank, e.g. "2").  0, or -1 with
 * errno EINVAL (not exactly one rank, unknown rank, no node there). */
ENG_API int reapi_cli_get_rank_status(reapi_cli_ctx_t *ctx, const char *rank,
                                      resource_status_t *status);

/* ---- schedsim extensions (not in Fluxion's API) --------------------------- */

/* Move the engine's current time to 't' integer seconds.  Matches start at
 * or after it, and a match is a reservation when it starts later ('*at' is
 * then the absolute start).  Fluxion's client behaves as if the time stayed
 * 0.  Returns 0, or -1 with errno EINVAL ('ctx' NULL or not initialized, or
 * 't' before the current time: time never goes back). */
ENG_API int reapi_cli_set_time(reapi_cli_ctx_t *ctx, int64_t t);

/* The engine's current time (0 until set), or -1 with errno EINVAL ('ctx'
 * NULL or not initialized). */
ENG_API int64_t reapi_cli_get_time(reapi_cli_ctx_t *ctx);

ENG_END_DECLS

#endif /* ENG_REAPI_CLI_H */
