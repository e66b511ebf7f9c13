/* reapi_cli_ops.c: the non-matching half of Fluxion's C API (update, cancel,
 * info, find, stat, status, subgraphs, clone) and match_op.h. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idset.h"
#include "reapi_cli_private.h"
#include "rg.h"
#include "rparse.h"

#define SYSTEM_MAX_DURATION INT64_C(3153600000) /* Fluxion: 100 years */

/* ---- match_op.h ------------------------------------------------------------ */

static const char *const op_names[] = {
    [MATCH_ALLOCATE] = "allocate",
    [MATCH_ALLOCATE_W_SATISFIABILITY] = "allocate_with_satisfiability",
    [MATCH_ALLOCATE_ORELSE_RESERVE] = "allocate_orelse_reserve",
    [MATCH_SATISFIABILITY] = "satisfiability",
    [MATCH_WITHOUT_ALLOCATING] = "without_allocating",
    [MATCH_WITHOUT_ALLOCATING_FUTURE] = "without_allocating_future",
};

const char *match_op_to_string(match_op_t match_op)
{
    if ((int)match_op < 0 || match_op >= END_MATCH_OP_T) {
        errno = EINVAL;
        return NULL;
    }
    if (match_op == MATCH_UNKNOWN) {
        errno = ENOENT;
        return NULL;
    }
    return op_names[match_op];
}

match_op_t match_op_from_string(const char *str)
{
    if (!str) {
        errno = EINVAL;
        return MATCH_UNKNOWN;
    }
    for (int i = MATCH_ALLOCATE; i < END_MATCH_OP_T; i++)
        if (strcmp(op_names[i], str) == 0)
            return (match_op_t)i;
    errno = ENOENT;
    return MATCH_UNKNOWN;
}

bool match_op_valid(match_op_t match_op)
{
    int saved = errno;
    bool ok = match_op_to_string(match_op) != NULL;
    errno = saved;
    return ok;
}

/* ---- helpers --------------------------------------------------------------- */

static bool ready(reapi_cli_ctx_t *ctx)
{
    if (ctx && reapi_cli__engine(ctx))
        return true;
    errno = EINVAL;
    return false;
}

static const char *emsg(reapi_cli_ctx_t *ctx)
{
    const char *m = eng_message(reapi_cli__engine(ctx));
    return m ? m : "";
}

/* ---- update ---------------------------------------------------------------- */

/* Fluxion's reader_name_from_writer(): NULL when the writer is not one of
 * fluxion's JGF writers. */
static const char *reader_of(const char *writer, const char **why)
{
    if (!writer)
        return "jgf";
    const char *colon = strchr(writer, ':');
    size_t sl = colon ? (size_t)(colon - writer) : strlen(writer);
    if (sl != 7 || strncmp(writer, "fluxion", 7) != 0) {
        *why = "unsupported scheduling.writer scheme (not fluxion)";
        return NULL;
    }
    const char *path = colon ? colon + 1 : "";
    if (!*path || strcmp(path, "jgf") == 0)
        return "jgf";
    if (strcmp(path, "jgf_shorthand") == 0)
        return "jgf_shorthand";
    *why = "unsupported fluxion scheduling.writer format";
    return NULL;
}

int reapi_cli_update_allocate(reapi_cli_ctx_t *ctx, const uint64_t jobid, const char *R,
                              int64_t *at, double *ov, const char **R_out)
{
    if (!ready(ctx) || !R || !*R || !at || !ov || !R_out) {
        errno = EINVAL;
        return -1;
    }
    if (reapi_cli__is_allocated(ctx, jobid) || reapi_cli__is_reserved(ctx, jobid)) {
        reapi_cli__msgf(ctx, "update_allocate: ERROR: existing jobid %llu\n",
                        (unsigned long long)jobid);
        errno = EEXIST;
        return -1;
    }
    eng_error_t err = {0};
    rparse_t *rp = rparse_parse(R, strlen(R), "R", &err);
    if (!rp) {
        reapi_cli__msgf(ctx, "update_allocate: ERROR: failed to parse R string\n");
        errno = EINVAL;
        return -1;
    }
    int64_t start = 0, duration = SYSTEM_MAX_DURATION;
    const char *why = NULL;
    if (rparse_is_rv1(rp)) {
        int64_t exp = rparse_expiration(rp, NULL);
        start = rparse_starttime(rp, NULL);
        duration = exp > start ? exp - start : SYSTEM_MAX_DURATION;
        if (rparse_has_jgf(rp) && !reader_of(rparse_writer(rp), &why)) {
            reapi_cli__msgf(ctx, "update_allocate: ERROR: %s\n", why);
            rparse_destroy(rp);
            errno = EINVAL;
            return -1;
        }
    }
    rparse_destroy(rp);
    struct eng_match_result res = {0};
    eng_t *e = reapi_cli__engine(ctx);
    int rc = eng_update(e, jobid, R, strlen(R), start, (uint64_t)duration,
                        start != eng_time(e), reapi_cli__writer(ctx), &res, &err);
    if (*emsg(ctx))
        reapi_cli__msgf(ctx, "update_allocate: ERROR: %s\n", emsg(ctx));
    if (rc < 0) {
        errno = reapi_cli__errno(rc);
        return -1;
    }
    char *out = NULL;
    if (rwrite_emit(reapi_cli__writer(ctx), &out, &err) < 0) {
        reapi_cli__msgf(ctx, "update_allocate: ERROR: writer emit failed\n");
        errno = EINVAL;
        return -1;
    }
    *R_out = out;
    *at = start;
    *ov = res.overhead_s;
    reapi_cli__job_set(ctx, jobid, ENG_JOB_ALLOCATED, start, *ov);
    reapi_cli__journal(ctx, REAPI_J_UPDATE, 0, jobid, R);
    return 0;
}

/* ---- subgraphs ------------------------------------------------------------- */

int reapi_cli_add_subgraph(reapi_cli_ctx_t *ctx, const char *R_subgraph)
{
    if (!ready(ctx) || !R_subgraph) {
        errno = EINVAL;
        return -1;
    }
    eng_error_t err = {0};
    if (eng_attach(reapi_cli__engine(ctx), R_subgraph, strlen(R_subgraph), &err) < 0) {
        int eno = reapi_cli__errno(err.code ? err.code : ENG_EINVAL);
        reapi_cli__msgf(ctx, "add_subgraph: ERROR: add subgraph error: %s\n",
                        strerror(eno));
        reapi_cli__msgf(ctx, "add_subgraph: ERROR: reader returned error: %s\n\n",
                        err.text);
        errno = eno;
        return -1;
    }
    reapi_cli__journal(ctx, REAPI_J_ATTACH, 0, 0, R_subgraph);
    return 0;
}

int reapi_cli_remove_subgraph(reapi_cli_ctx_t *ctx, const char *subgraph_path)
{
    int caller_errno = errno;
    if (!ready(ctx) || !subgraph_path) {
        errno = EINVAL;
        return -1;
    }
    eng_error_t err = {0};
    int rc = eng_remove_path(reapi_cli__engine(ctx), subgraph_path, &err);
    if (rc < 0) {
        /* a path Fluxion's by_path map lacks: its traverser fails with no
         * message and errno untouched, so the text shows the caller's errno
         * (resource-query: ENOTTY); errno is set to ENOENT all the same */
        bool unknown = rc == ENG_ENOENT;
        int eno = reapi_cli__errno(rc);
        reapi_cli__msgf(ctx, "remove_subgraph: ERROR: remove_subgraph error: %s\n",
                        strerror(unknown ? caller_errno : eno));
        reapi_cli__msgf(ctx, "remove_subgraph: ERROR: traverser returned error: %s\n\n",
                        unknown ? "" : emsg(ctx));
        errno = eno;
        return -1;
    }
    reapi_cli__journal(ctx, REAPI_J_REMOVE, 0, 0, subgraph_path);
    return 0;
}

/* ---- cancel ---------------------------------------------------------------- */

int reapi_cli_cancel(reapi_cli_ctx_t *ctx, const uint64_t jobid, bool noent_ok)
{
    if (!ready(ctx))
        return -1;
    if (!reapi_cli__is_allocated(ctx, jobid) && !reapi_cli__is_reserved(ctx, jobid)) {
        reapi_cli__msgf(ctx, "cancel: ERROR: nonexistent job %llu\n",
                        (unsigned long long)jobid);
        if (noent_ok)
            return 0;
        errno = ENOENT;
        return -1;
    }
    eng_error_t err = {0};
    int rc = eng_cancel(reapi_cli__engine(ctx), jobid, false, &err);
    if (rc < 0) {
        reapi_cli__msgf(ctx, "cancel: ERROR: error encountered while removing job %llu\n",
                        (unsigned long long)jobid);
        errno = reapi_cli__errno(rc);
        return -1;
    }
    reapi_cli__job_cancel(ctx, jobid);
    reapi_cli__journal(ctx, REAPI_J_CANCEL, 0, jobid, NULL);
    return 0;
}

int reapi_cli_partial_cancel(reapi_cli_ctx_t *ctx, const uint64_t jobid, const char *R,
                             bool noent_ok, bool *full_removal)
{
    if (!ready(ctx) || !R || !full_removal) {
        errno = EINVAL;
        return -1;
    }
    if (!reapi_cli__is_allocated(ctx, jobid)) {
        reapi_cli__msgf(ctx, "cancel: WARNING: can't find allocation for jobid: %llu\n",
                        (unsigned long long)jobid);
        if (noent_ok)
            return 0;
        errno = ENOENT;
        return -1;
    }
    json_error_t jerr;
    json_t *o = json_loads(R, 0, &jerr);
    if (!o) {
        reapi_cli__msgf(ctx, "remove_job: ERROR: failed to parse R as JSON: %s\n",
                        jerr.text);
        reapi_cli__msgf(ctx, "cancel: ERROR: error encountered while removing job %llu\n",
                        (unsigned long long)jobid);
        errno = EINVAL;
        return -1;
    }
    json_decref(o);
    eng_error_t err = {0};
    int rc = eng_partial_cancel(reapi_cli__engine(ctx), jobid, R, strlen(R), full_removal,
                                &err);
    if (rc < 0) {
        reapi_cli__errmsg_add(ctx, emsg(ctx));
        reapi_cli__msgf(ctx, "cancel: ERROR: error encountered while removing job %llu\n",
                        (unsigned long long)jobid);
        errno = reapi_cli__errno(rc);
        return -1;
    }
    if (*full_removal)
        reapi_cli__job_cancel(ctx, jobid);
    reapi_cli__journal(ctx, REAPI_J_PCANCEL, 0, jobid, R);
    return 0;
}

/* ---- info, find, stat ------------------------------------------------------ */

int reapi_cli_info(reapi_cli_ctx_t *ctx, const uint64_t jobid, char **mode,
                   bool *reserved, int64_t *at, double *ov)
{
    if (!ready(ctx) || !mode || !reserved || !at || !ov)
        return -1;
    const struct reapi_job *j = reapi_cli__job(ctx, jobid);
    if (!j) {
        reapi_cli__msgf(ctx, "info: ERROR: nonexistent job %llu\n",
                        (unsigned long long)jobid);
        errno = ENOENT;
        return -1;
    }
    if (!(*mode = strdup(eng_job_state_name(j->state)))) {
        errno = ENOMEM;
        return -1;
    }
    *reserved = j->state == ENG_JOB_RESERVED;
    *at = j->at;
    *ov = j->overhead_s;
    return 0;
}

int reapi_cli_find(reapi_cli_ctx_t *ctx, const char *criteria, const char *format,
                   char **R)
{
    if (!ready(ctx) || !criteria || !R)
        return -1;
    *R = NULL;
    enum rwrite_format fmt;
    rwrite_t *own = NULL, *w = reapi_cli__writer(ctx);
    if (format) {
        if (rwrite_format_parse(format, &fmt) < 0) {
            reapi_cli__msgf(ctx, "find: ERROR: unknown match format '%s'\n", format);
            errno = EINVAL;
            return -1;
        }
        if (!(w = own = rwrite_create(fmt, NULL))) {
            errno = ENOMEM;
            return -1;
        }
    }
    eng_error_t err = {0};
    rwrite_set_times(w, 0, 0);
    int rc = eng_find(reapi_cli__engine(ctx), criteria, w, &err);
    char *text = NULL;
    if (rc < 0) {
        reapi_cli__msgf(ctx, "find%s", emsg(ctx));
        errno = reapi_cli__errno(rc);
    } else if ((rc = rwrite_emit(w, &text, &err)) < 0) {
        reapi_cli__msgf(ctx, "find: ERROR: find writer emit: %s\n",
                        strerror(reapi_cli__errno(rc)));
        errno = reapi_cli__errno(rc);
    }
    rwrite_destroy(own);
    if (rc < 0)
        return -1;
    json_t *o = *text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    if (*text && (!o || !json_is_object(o) || !(*R = json_dumps(o, JSON_COMPACT)))) {
        /* the text formats are not JSON: Fluxion's json_dumps() fails there */
        reapi_cli__msgf(ctx, "reapi_cli_find: ERROR: can't serialize JSON\n");
        json_decref(o);
        free(text);
        errno = ENOMEM;
        return -1;
    }
    json_decref(o);
    free(text);
    return 0;
}

int reapi_cli_stat(reapi_cli_ctx_t *ctx, int64_t *V, int64_t *E, int64_t *J, double *load,
                   double *min, double *max, double *avg)
{
    if (!ready(ctx) || !V || !E || !J || !load || !min || !max || !avg)
        return -1;
    struct eng_stats st;
    eng_stats_get(reapi_cli__engine(ctx), &st);
    *V = (int64_t)st.vertices;
    *E = (int64_t)st.edges;
    *J = (int64_t)st.jobs;
    *load = st.load_s;
    *min = st.match_min_s;
    *max = st.match_max_s;
    *avg = st.match_avg_s;
    return 0;
}

/* ---- status ---------------------------------------------------------------- */

int reapi_cli_set_status(reapi_cli_ctx_t *ctx, const char *resource_path,
                         resource_status_t status)
{
    if (!ready(ctx) || !resource_path || !*resource_path ||
        (status != RESOURCE_UP && status != RESOURCE_DOWN)) {
        errno = EINVAL;
        return -1;
    }
    eng_error_t err = {0};
    if (eng_status_set(reapi_cli__engine(ctx), resource_path, status == RESOURCE_UP,
                       &err) < 0) {
        reapi_cli_clear_err_msg(ctx);
        reapi_cli__msgf(ctx, "set_status: %s", emsg(ctx));
        errno = EINVAL;
        return -1;
    }
    reapi_cli__journal(ctx, REAPI_J_STATUS, status, 0, resource_path);
    return 0;
}

int reapi_cli_get_status(reapi_cli_ctx_t *ctx, const char *resource_path,
                         resource_status_t *status)
{
    if (!ready(ctx) || !resource_path || !*resource_path || !status) {
        errno = EINVAL;
        return -1;
    }
    bool up;
    if (eng_status_get(reapi_cli__engine(ctx), resource_path, &up, NULL) < 0) {
        reapi_cli_clear_err_msg(ctx);
        reapi_cli__msgf(ctx, "get_status: resource path not found: %s", resource_path);
        errno = EINVAL;
        return -1;
    }
    *status = up ? RESOURCE_UP : RESOURCE_DOWN;
    return 0;
}

/* Fluxion's parse_ranks(): "all" or an RFC 22 idset. */
static idset_t *parse_ranks(reapi_cli_ctx_t *ctx, const char *fn, const char *ranks)
{
    idset_t *s = NULL;
    if (!ranks || !*ranks) {
        reapi_cli_clear_err_msg(ctx);
        reapi_cli__msgf(ctx, "%s: empty idset string", fn);
    } else if (!(s = idset_decode(ranks, -1, NULL, NULL))) {
        reapi_cli_clear_err_msg(ctx);
        reapi_cli__msgf(ctx, "%s: invalid idset string: %s", fn, ranks);
    }
    if (!s)
        errno = EINVAL;
    return s;
}

/* "all": every rank >= 0 that some vertex has. */
static idset_t *graph_ranks(const rg_graph_t *g)
{
    idset_t *s = idset_create();
    size_t bound = rg_graph_vid_bound(g);
    for (rg_vid_t v = 0; s && v < bound; v++) {
        const struct rg_vertex *x = rg_vertex_get(g, v);
        if (rg_vertex_is_live(g, v) && x->rank >= 0 && x->rank < (int64_t)IDSET_MAX_ID &&
            idset_set(s, (unsigned)x->rank) < 0) {
            idset_destroy(s);
            return NULL;
        }
    }
    return s;
}

int reapi_cli_set_rank_status(reapi_cli_ctx_t *ctx, const char *ranks,
                              resource_status_t status)
{
    if (!ready(ctx) || (status != RESOURCE_UP && status != RESOURCE_DOWN)) {
        errno = EINVAL;
        return -1;
    }
    idset_t *s = ranks && strcmp(ranks, "all") == 0
                     ? graph_ranks(eng_graph(reapi_cli__engine(ctx)))
                     : parse_ranks(ctx, "set_rank_status", ranks);
    char *text = s ? idset_encode(s, IDSET_FLAG_RANGE) : NULL;
    idset_destroy(s);
    if (!text) {
        if (errno != EINVAL)
            errno = ENOMEM;
        return -1;
    }
    eng_error_t err = {0};
    int rc = *text ? eng_status_set_ranks(reapi_cli__engine(ctx), text,
                                          status == RESOURCE_UP, &err)
                   : 0;
    if (rc < 0) {
        reapi_cli_clear_err_msg(ctx);
        reapi_cli__msgf(ctx, "set_rank_status: failed to mark ranks %s", ranks);
        free(text);
        errno = EINVAL;
        return -1;
    }
    reapi_cli__journal(ctx, REAPI_J_RSTATUS, status, 0, text);
    free(text);
    return 0;
}

int reapi_cli_get_rank_status(reapi_cli_ctx_t *ctx, const char *rank,
                              resource_status_t *status)
{
    if (!ready(ctx) || !status) {
        errno = EINVAL;
        return -1;
    }
    idset_t *s = parse_ranks(ctx, "get_rank_status", rank);
    if (!s)
        return -1;
    size_t n = idset_count(s);
    unsigned r = idset_first(s);
    idset_destroy(s);
    const char *why = NULL;
    const rg_graph_t *g = eng_graph(reapi_cli__engine(ctx));
    rg_vid_t v = RG_VID_NONE;
    if (n != 1)
        why = "must specify exactly one rank, got ";
    else if (rg_vertex_first_of_rank(g, r) == RG_VID_NONE)
        why = "rank not found: ";
    else {
        v = rg_vertex_find_type_rank(g, rg_sym_find(g, "node"), r);
        if (v == RG_VID_NONE)
            v = rg_vertex_find_type_rank(g, rg_sym_find(g, "storage_node"), r);
        if (v == RG_VID_NONE)
            why = "no node vertex at rank: ";
    }
    if (why) {
        reapi_cli_clear_err_msg(ctx);
        reapi_cli__msgf(ctx, "get_rank_status: %s%s", why, rank);
        errno = EINVAL;
        return -1;
    }
    *status = rg_vertex_status(g, v) == RG_STATUS_UP ? RESOURCE_UP : RESOURCE_DOWN;
    return 0;
}

/* ---- clone ----------------------------------------------------------------- */

reapi_cli_ctx_t *reapi_cli_clone(reapi_cli_ctx_t *ctx)
{
    if (!ready(ctx))
        return NULL;
    return reapi_cli__replay(ctx);
}
