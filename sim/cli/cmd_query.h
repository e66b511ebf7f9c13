/* cmd_query.h: internals of 'schedsim query', the resource-query compatible
 * shell (cmd_query.c: options, session, line loop; cmd_query_cmds.c: the
 * commands).  Private to the CLI. */
#ifndef SCHEDSIM_CMD_QUERY_H
#define SCHEDSIM_CMD_QUERY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "reapi_cli_private.h"

/* resource-query's job_lifecycle_t, as its shell records jobs. */
enum q_state { Q_INIT, Q_ALLOCATED, Q_RESERVED, Q_CANCELED, Q_ERROR };

struct q_job {
    uint64_t jobid;
    enum q_state state;
    int64_t at;
    char *fn; /* jobspec (or R) file name */
    double overhead;
};

/* One shell session.  'out' is the -t file or stdout, as resource-query's
 * 'out' stream; diagnostics go to stderr, -e figures and list/info/stat
 * lines to stdout, exactly where resource-query writes them. */
struct q_session {
    reapi_cli_ctx_t *ctx;
    eng_t *e;
    FILE *out;
    bool elapse;
    struct q_job *jobs; /* sorted by jobid (resource-query's std::map) */
    size_t njobs, capjobs;
    double perf_min, perf_max, perf_accum; /* only "update" feeds them, as Fluxion */
};

/* A command: returns 0 to go on, -1 to end the session (quit). */
typedef int (*q_cmd_f)(struct q_session *s, int argc, char **argv);

/* The commands of cmd_query_cmds.c (argv[0] is the command's name). */
int q_cmd_match(struct q_session *s, int argc, char **argv);
int q_cmd_match_multi(struct q_session *s, int argc, char **argv);
int q_cmd_update(struct q_session *s, int argc, char **argv);
int q_cmd_attach(struct q_session *s, int argc, char **argv);
int q_cmd_remove(struct q_session *s, int argc, char **argv);
int q_cmd_find(struct q_session *s, int argc, char **argv);
int q_cmd_cancel(struct q_session *s, int argc, char **argv);
int q_cmd_partial_cancel(struct q_session *s, int argc, char **argv);

/* The command named or abbreviated 'name', or NULL. */
q_cmd_f q_cmd_lookup(const char *name);

/* Record (or overwrite) job 'jobid'; 'fn' is copied. */
void q_job_set(struct q_session *s, uint64_t jobid, enum q_state st, int64_t at,
               const char *fn, double overhead);

/* The job 'jobid' or NULL. */
struct q_job *q_job_get(struct q_session *s, uint64_t jobid);

/* Name of 'st' ("ALLOCATED"). */
const char *q_state_name(enum q_state st);

/* Print the recorded reapi messages to stderr and clear them. */
void q_flush_errors(struct q_session *s);

/* Read all of 'path'; NULL when it cannot be opened (caller frees). */
char *q_read_file(const char *path, size_t *len);

#endif /* SCHEDSIM_CMD_QUERY_H */
