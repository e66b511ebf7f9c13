/* cmd_query_cmds.c: the commands of 'schedsim query', each writing what
 * resource-query's command.cpp (flux-sched fd257f71) writes, to the same
 * stream: the session's 'out' (the -t file or stdout), stdout, or stderr. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_query.h"
#include "idset.h"
#include "rg.h"

#define INFO_RULE "INFO: =============================\n"

/* ---- jobs -------------------------------------------------------------------- */

const char *q_state_name(enum q_state st)
{
    static const char *const names[] = {"INIT", "ALLOCATED", "RESERVED", "CANCELED",
                                        "ERROR"};
    return (unsigned)st < 5 ? names[st] : "UNKNOWN";
}

struct q_job *q_job_get(struct q_session *s, uint64_t jobid)
{
    for (size_t i = 0; i < s->njobs; i++)
        if (s->jobs[i].jobid == jobid)
            return &s->jobs[i];
    return NULL;
}

void q_job_set(struct q_session *s, uint64_t jobid, enum q_state st, int64_t at,
               const char *fn, double overhead)
{
    char *copy = strdup(fn ? fn : "");
    if (!copy)
        return;
    struct q_job *j = q_job_get(s, jobid);
    if (j) {
        free(j->fn);
        *j = (struct q_job){jobid, st, at, copy, overhead};
        return;
    }
    if (s->njobs == s->capjobs) {
        size_t cap = s->capjobs ? s->capjobs * 2 : 16;
        struct q_job *p = realloc(s->jobs, cap * sizeof *p);
        if (!p) {
            free(copy);
            return;
        }
        s->jobs = p;
        s->capjobs = cap;
    }
    size_t i = s->njobs; /* keep jobid order, as resource-query's std::map */
    while (i > 0 && s->jobs[i - 1].jobid > jobid) {
        s->jobs[i] = s->jobs[i - 1];
        i--;
    }
    s->jobs[i] = (struct q_job){jobid, st, at, copy, overhead};
    s->njobs++;
}

void q_flush_errors(struct q_session *s)
{
    const char *m = reapi_cli__errmsg(s->ctx);
    if (*m)
        fputs(m, stderr);
    reapi_cli_clear_err_msg(s->ctx);
}

char *q_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(fp);
                return NULL;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, 4096, fp);
        n += got;
        if (got < 4096)
            break;
    }
    fclose(fp);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static int malformed(void)
{
    fputs("ERROR: malformed command\n", stderr);
    return 0;
}

/* ---- match ------------------------------------------------------------------- */

static void print_counts(struct q_session *s, FILE *fp)
{
    const struct eng_match_result *r = reapi_cli__last(s->ctx);
    fprintf(fp, "INFO: PREORDER VISIT COUNT=%u\n", r->preorder);
    fprintf(fp, "INFO: POSTORDER VISIT COUNT=%u\n", r->postorder);
}

static void print_sat_info(struct q_session *s, bool sat, double elapse)
{
    fprintf(s->out, INFO_RULE "INFO: %s request\n" INFO_RULE,
            sat ? "Satisfiable" : "Unsatisfiable");
    if (s->elapse) {
        printf("INFO: ELAPSE=%f\n", elapse);
        print_counts(s, stdout);
    }
}

/* resource-query's print_schedule_info(). */
static void print_schedule_info(struct q_session *s, uint64_t jobid, const char *fn,
                                bool matched, bool allocated, int64_t at, bool sat,
                                double elapse)
{
    if (!matched) {
        fprintf(s->out, INFO_RULE "INFO: No matching resources found\n");
        if (!sat)
            fprintf(s->out, "INFO: Unsatisfiable request\n");
        fprintf(s->out, "INFO: JOBID=%llu\n", (unsigned long long)jobid);
        if (s->elapse) {
            fprintf(s->out, "INFO: ELAPSE=%f\n", elapse); /* sic: to 'out' */
            print_counts(s, stdout);
        }
        fprintf(s->out, INFO_RULE);
        return;
    }
    const char *mode = !allocated ? "MATCHED" : at == 0 ? "ALLOCATED" : "RESERVED";
    fprintf(s->out, INFO_RULE "INFO: JOBID=%llu\nINFO: RESOURCES=%s\n",
            (unsigned long long)jobid, mode);
    if (at == 0)
        fprintf(s->out, "INFO: SCHEDULED AT=Now\n");
    else
        fprintf(s->out, "INFO: SCHEDULED AT=%lld\n", (long long)at);
    if (s->elapse) {
        fflush(s->out);
        printf("INFO: ELAPSE=%f\n", elapse);
        print_counts(s, stdout);
    }
    fprintf(s->out, INFO_RULE);
    if (allocated) {
        q_job_set(s, jobid, at == 0 ? Q_ALLOCATED : Q_RESERVED, at, fn, elapse);
        reapi_cli__job_set(s->ctx, jobid, at == 0 ? ENG_JOB_ALLOCATED : ENG_JOB_RESERVED,
                           at, elapse);
    }
}

static int run_match(struct q_session *s, uint64_t jobid, match_op_t op, const char *fn)
{
    char *jobspec = q_read_file(fn, NULL);
    if (!jobspec) {
        fprintf(stderr, "ERROR: can't open %s\n", fn);
        return 0;
    }
    bool reserved = false, sat = true, matched = true;
    char *R = NULL;
    int64_t at = 0;
    double ov = 0.0;
    /* resource-query's readline probes the terminal before every command,
     * leaving errno at ENOTTY when standard input is not one; a traverser
     * failure that sets no errno reports that ("Inappropriate ioctl for
     * device").  The same probe, right before the match: */
    (void)isatty(STDIN_FILENO);
    int rc = reapi_cli__match_reuse(s->ctx, op, jobspec, jobid, &reserved, &R, &at, &ov);
    if (rc < 0) {
        matched = false;
        sat = !(errno == ENODEV || errno == ENOENT);
    }
    free(jobspec);
    q_flush_errors(s);
    if (R)
        fputs(R, s->out);
    free(R);
    if (op == MATCH_SATISFIABILITY)
        print_sat_info(s, sat, ov);
    else
        print_schedule_info(s, jobid, fn, matched,
                            op != MATCH_WITHOUT_ALLOCATING &&
                                op != MATCH_WITHOUT_ALLOCATING_FUTURE,
                            at, sat, ov);
    return rc;
}

int q_cmd_match(struct q_session *s, int argc, char **argv)
{
    if (argc != 3)
        return malformed();
    match_op_t op = match_op_from_string(argv[1]);
    if (!match_op_valid(op)) {
        fprintf(stderr, "ERROR: unknown subcmd %s\n", argv[1]);
        return 0;
    }
    run_match(s, reapi_cli__counter(s->ctx), op, argv[2]);
    return 0;
}

int q_cmd_match_multi(struct q_session *s, int argc, char **argv)
{
    if (argc <= 3)
        return malformed();
    match_op_t op = match_op_from_string(argv[1]);
    if (!match_op_valid(op)) {
        fprintf(stderr, "ERROR: unknown subcmd %s\n", argv[1]);
        return 0;
    }
    for (int i = 2; i < argc; i++)
        if (run_match(s, reapi_cli__counter(s->ctx), op, argv[i]) != 0)
            break;
    return 0;
}

/* ---- update, attach, remove ------------------------------------------------ */

static int update_run(struct q_session *s, const char *fn, const char *text, uint64_t id,
                      int64_t at, uint64_t d)
{
    eng_error_t err = {0};
    struct eng_match_result res = {0};
    int rc = eng_update(s->e, id, text, strlen(text), at, d, at != 0,
                        reapi_cli__writer(s->ctx), &res, &err);
    if (rc < 0) {
        fputs("ERROR: traverser run () returned error \n", stderr);
        const char *m = eng_message(s->e);
        if (m && *m)
            fprintf(stderr, "ERROR: %s", m);
    }
    char *R = NULL;
    eng_error_t werr = {0};
    if (rwrite_emit(reapi_cli__writer(s->ctx), &R, &werr) == 0 && R)
        fputs(R, s->out);
    free(R);
    double elapse = res.overhead_s;
    s->perf_min = s->perf_min > elapse ? elapse : s->perf_min;
    s->perf_max = s->perf_max < elapse ? elapse : s->perf_max;
    s->perf_accum += elapse;
    reapi_cli__set_counter(s->ctx, id);
    print_schedule_info(s, id, fn, rc == 0, true, at, true, elapse);
    reapi_cli__set_counter(s->ctx, id + 1);
    return 0;
}

int q_cmd_update(struct q_session *s, int argc, char **argv)
{
    if (argc != 7)
        return malformed();
    if (strcmp(argv[1], "allocate") != 0 && strcmp(argv[1], "reserve") != 0) {
        fprintf(stderr, "ERROR: unknown subcmd %s\n", argv[1]);
        return 0;
    }
    if (strcmp(argv[2], "jgf") != 0 && strcmp(argv[2], "rv1exec") != 0 &&
        strcmp(argv[2], "jgf_shorthand") != 0) {
        fprintf(stderr, "ERROR: unsupported reader %s\n", argv[2]);
        return 0;
    }
    char *text = q_read_file(argv[3], NULL);
    if (!text) {
        fprintf(stderr, "ERROR: can't open %s\n", argv[3]);
        return 0;
    }
    int64_t jobid = strtoll(argv[4], NULL, 10);
    if (reapi_cli__is_allocated(s->ctx, (uint64_t)jobid) ||
        reapi_cli__is_reserved(s->ctx, (uint64_t)jobid)) {
        fputs("ERROR: existing Jobid \n", stderr);
        free(text);
        return 0;
    }
    int64_t at = strtoll(argv[5], NULL, 10);
    uint64_t d = (uint64_t)strtoll(argv[6], NULL, 10);
    if (at < 0 || d == 0) {
        fprintf(stderr, "ERROR: invalid time (%lld, %llu)\n", (long long)at,
                (unsigned long long)d);
        free(text);
        return 0;
    }
    update_run(s, argv[3], text, (uint64_t)jobid, at, d);
    free(text);
    return 0;
}

int q_cmd_attach(struct q_session *s, int argc, char **argv)
{
    if (argc != 2)
        return malformed();
    char *text = q_read_file(argv[1], NULL);
    if (!text) {
        fprintf(stderr, "ERROR: can't open %s\n", argv[1]);
        return 0;
    }
    if (reapi_cli_add_subgraph(s->ctx, text) != 0) {
        fprintf(stderr, "ERROR: can't attach JGF subgraph \nERROR: %s",
                reapi_cli__errmsg(s->ctx));
        reapi_cli_clear_err_msg(s->ctx);
    }
    free(text);
    return 0;
}

int q_cmd_remove(struct q_session *s, int argc, char **argv)
{
    if (argc != 3)
        return malformed();
    if (strcmp(argv[2], "true") == 0) {
        (void)isatty(STDIN_FILENO); /* errno as resource-query's readline leaves it */
        if (reapi_cli_remove_subgraph(s->ctx, argv[1]) != 0) {
            fprintf(stderr, "ERROR: can't remove subgraph \nERROR: %s",
                    reapi_cli__errmsg(s->ctx));
            reapi_cli_clear_err_msg(s->ctx);
        }
    } else if (strcmp(argv[2], "false") == 0) {
        idset_t *ids = idset_decode(argv[1], -1, NULL, NULL);
        eng_error_t err = {0};
        int rc;
        if (!ids)
            fputs("ERROR: failed to decode ranks.\n", stderr);
        else if ((rc = eng_remove_ranks(s->e, argv[1], &err)) != 0)
            fprintf(stderr, "ERROR: can't %s subgraph \nERROR: %s",
                    rc == ENG_ESTATE ? "remove" : "partial cancel", eng_message(s->e));
        idset_destroy(ids);
    } else {
        fputs("ERROR: invalid path boolean input \n", stderr);
    }
    return 0;
}

/* ---- find, cancel -------------------------------------------------------------- */

int q_cmd_find(struct q_session *s, int argc, char **argv)
{
    if (argc < 2) {
        fputs("ERROR: malformed command: \n", stderr);
        return 0;
    }
    size_t n = 1;
    for (int i = 1; i < argc; i++)
        n += strlen(argv[i]) + 1;
    char *criteria = malloc(n);
    if (!criteria)
        return 0;
    criteria[0] = '\0';
    for (int i = 1; i < argc; i++) {
        if (i > 1)
            strcat(criteria, " ");
        strcat(criteria, argv[i]);
    }
    rwrite_t *w = reapi_cli__writer(s->ctx);
    eng_error_t err = {0};
    char *R = NULL;
    rwrite_set_times(w, 0, 0);
    if (eng_find(s->e, criteria, w, &err) < 0) {
        const char *m = eng_message(s->e);
        fprintf(stderr, "find%s", m && *m ? m : "");
    } else if (rwrite_emit(w, &R, &err) < 0) {
        fprintf(stderr, "find: ERROR: find writer emit: %s\n",
                strerror(reapi_cli__errno(err.code)));
    } else {
        fputs(R, s->out);
        fprintf(s->out, INFO_RULE "INFO: EXPRESSION=\"%s\"\n" INFO_RULE, criteria);
    }
    free(R);
    free(criteria);
    return 0;
}

static void print_stats(struct q_session *s, const char *what)
{
    struct eng_stats st;
    eng_stats_get(s->e, &st);
    fprintf(s->out,
            INFO_RULE
            "INFO: %s PREORDER COUNT=\"%u\"\nINFO: %s POSTORDER COUNT=\"%u\"\n" INFO_RULE,
            what, st.preorder, what, st.postorder);
}

int q_cmd_cancel(struct q_session *s, int argc, char **argv)
{
    if (argc < 2 || argc > 3)
        return malformed();
    uint64_t jobid = (uint64_t)strtoll(argv[1], NULL, 10);
    if (reapi_cli_cancel(s->ctx, jobid, false) != 0) {
        q_flush_errors(s);
        return 0;
    }
    struct q_job *j = q_job_get(s, jobid);
    if (j)
        j->state = Q_CANCELED;
    if (argc == 3 && strcmp(argv[2], "stats") == 0)
        print_stats(s, "CANCEL");
    return 0;
}

int q_cmd_partial_cancel(struct q_session *s, int argc, char **argv)
{
    if (argc < 4 || argc > 5)
        return malformed();
    uint64_t jobid = (uint64_t)strtoll(argv[1], NULL, 10);
    if (strcmp(argv[2], "jgf") != 0 && strcmp(argv[2], "rv1exec") != 0) {
        fprintf(stderr, "ERROR: unsupported reader %s\n", argv[2]);
        return 0;
    }
    size_t len = 0;
    char *text = q_read_file(argv[3], &len);
    if (!text) {
        fprintf(stderr, "ERROR: can't open %s\n", argv[3]);
        return 0;
    }
    int rc = -1;
    if (reapi_cli__is_allocated(s->ctx, jobid)) {
        bool full = false;
        eng_error_t err = {0};
        rc = eng_partial_cancel(s->e, jobid, text, len, &full, &err);
        if (rc == 0 && full) {
            struct q_job *j = q_job_get(s, jobid);
            if (j)
                j->state = Q_CANCELED;
            reapi_cli__job_cancel(s->ctx, jobid);
        } else if (rc != 0) {
            fputs(eng_message(s->e), stdout); /* sic: resource-query uses stdout */
        }
    } else if (reapi_cli__is_reserved(s->ctx, jobid)) {
        fputs("ERROR: reservations not currently supported by partial cancel\n", stderr);
        free(text);
        return 0;
    } else {
        fprintf(stderr, "ERROR: nonexistent job %llu\n", (unsigned long long)jobid);
        free(text);
        return 0;
    }
    free(text);
    if (rc != 0)
        fprintf(stderr, "ERROR: error encountered while removing job %llu\n",
                (unsigned long long)jobid);
    if (argc == 5 && strcmp(argv[4], "stats") == 0)
        print_stats(s, "PARTIAL CANCEL");
    return 0;
}
