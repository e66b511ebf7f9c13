/* reapi_cli_private.h: what 'schedsim query' (resource-query's shell) needs
 * from a reapi_cli context beyond Fluxion's C API: the engine, the writer,
 * the job counter and the diagnostics of the last call.  Never installed. */
#ifndef ENG_REAPI_CLI_PRIVATE_H
#define ENG_REAPI_CLI_PRIVATE_H

#include <stddef.h>

#include "eng.h"
#include "reapi_cli.h"
#include "rwrite.h"

/* Initialize as reapi_cli_initialize() from 'len' bytes of 'rgraph', naming
 * the graph 'source' in errors.  On failure returns -1 with errno set, and
 * reapi_cli__init_error() gives resource-query's text for it (e.g.
 * "resource_query_t: ERROR: can't create matcher\n"), which the caller
 * prints. */
int reapi_cli__initialize(reapi_cli_ctx_t *ctx, const char *rgraph, size_t len,
                          const char *source, const char *options);

/* The text of the last failed initialization ("" when none).  Borrowed. */
const char *reapi_cli__init_error(const reapi_cli_ctx_t *ctx);

/* The context's engine / configured writer (borrowed; NULL before
 * initialization). */
eng_t *reapi_cli__engine(reapi_cli_ctx_t *ctx);
rwrite_t *reapi_cli__writer(reapi_cli_ctx_t *ctx);

/* Fluxion's job counter: the next jobid reapi_cli_match() assigns. */
uint64_t reapi_cli__counter(const reapi_cli_ctx_t *ctx);
void reapi_cli__set_counter(reapi_cli_ctx_t *ctx, uint64_t next);

/* reapi_cli_match_with_jobid() without its check of 'jobid' against the job
 * table: a live id gets the match added to it (the engine merges, as
 * Fluxion's traverser never checks ids).  resource-query can do that: a
 * failed 'update' moves its job counter back onto a live id. */
int reapi_cli__match_reuse(reapi_cli_ctx_t *ctx, match_op_t match_op, const char *jobspec,
                           uint64_t jobid, bool *reserved, char **R, int64_t *at,
                           double *ov);

/* Result of the last match or update (visit counts, overhead).  Borrowed. */
const struct eng_match_result *reapi_cli__last(const reapi_cli_ctx_t *ctx);

/* The recorded messages (borrowed, "" when none) and their removal. */
const char *reapi_cli__errmsg(const reapi_cli_ctx_t *ctx);

/* Append 'text' to the recorded messages. */
void reapi_cli__errmsg_add(reapi_cli_ctx_t *ctx, const char *text);
/* Append a formatted message of any length (Fluxion's are unbounded). */
void reapi_cli__msgf(reapi_cli_ctx_t *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A job as the context records it (Fluxion's jobs map). */
/* Fluxion's context keeps a job in an 'allocations' and a 'reservations'
 * map besides its record: an id matched again while live (resource-query's
 * job counter moves back after an 'update') can be in both, and a cancel
 * takes it out of the first that has it. */
enum { REAPI_IN_ALLOC = 1, REAPI_IN_RESV = 2 };

struct reapi_job {
    uint64_t jobid;
    enum eng_job_state state; /* ALLOCATED, RESERVED or CANCELED */
    int64_t at;
    double overhead_s;
    unsigned maps; /* REAPI_IN_ALLOC, REAPI_IN_RESV */
};

/* The record of job 'jobid', or NULL.  Borrowed until the next call. */
const struct reapi_job *reapi_cli__job(const reapi_cli_ctx_t *ctx, uint64_t jobid);

/* Record job 'jobid' (replacing a previous record, whose map memberships it
 * adds to).  0, or -1 (ENOMEM). */
int reapi_cli__job_set(reapi_cli_ctx_t *ctx, uint64_t jobid, enum eng_job_state st,
                       int64_t at, double ov);

/* Job 'jobid' was cancelled: CANCELED, and out of the allocations map if it
 * is there, else out of the reservations map (no-op when unknown). */
int reapi_cli__job_cancel(reapi_cli_ctx_t *ctx, uint64_t jobid);

/* True when job 'jobid' is in Fluxion's allocations / reservations map. */
bool reapi_cli__is_allocated(const reapi_cli_ctx_t *ctx, uint64_t jobid);
bool reapi_cli__is_reserved(const reapi_cli_ctx_t *ctx, uint64_t jobid);

/* Kinds of state-changing calls a context journals for reapi_cli_clone(). */
enum reapi_journal_kind {
    REAPI_J_MATCH,
    REAPI_J_UPDATE,
    REAPI_J_CANCEL,
    REAPI_J_PCANCEL,
    REAPI_J_ATTACH,
    REAPI_J_REMOVE,
    REAPI_J_STATUS,
    REAPI_J_RSTATUS,
    REAPI_J_TIME,
};

/* Record a successful state-changing call ('text' is copied). */
void reapi_cli__journal(reapi_cli_ctx_t *ctx, enum reapi_journal_kind kind, int op,
                        uint64_t jobid, const char *text);

/* errno for an engine error code (ENG_EBUSY -> EBUSY, ENG_ENOMATCH -> ENODEV,
 * ...). */
int reapi_cli__errno(int code);

/* A new context rebuilt from 'ctx''s graph, options and journal, or NULL
 * with errno set. */
reapi_cli_ctx_t *reapi_cli__replay(const reapi_cli_ctx_t *ctx);

#endif /* ENG_REAPI_CLI_PRIVATE_H */
