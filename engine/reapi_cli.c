/* reapi_cli.c: Fluxion's C API (reapi_cli.h) over the native engine (eng.h).
 *
 * This is the one place where the engine's error codes become errno values
 * and where Fluxion's diagnostic texts are produced ("match_allocate: ERROR:
 * ..."), because programs and resource-query's shell compare them.  The
 * texts and the order of side effects (job counter, writer emits) follow
 * Fluxion's reapi_cli_impl.hpp at fd257f71; see the comments where a quirk
 * is kept on purpose.
 *
 * Cloning: the engine has no deep copy, so a context keeps its graph text,
 * options and a journal of the calls that changed state, and a clone replays
 * them on a fresh engine.  The journal is kept as short as the live state,
 * so that a context that matches and cancels for ever does not grow:
 *   - with an exact match format (jgf, rv1) an allocation is journaled as
 *     the R it got, its start and duration, and replayed by eng_update(); such
 *     an entry depends on no other job, so a job's entries (match, update,
 *     partial cancels) are dropped when the job is fully cancelled;
 *   - with the other formats the R does not name the exact resources, so a
 *     match is journaled as its jobspec and replayed by matching again (so
 *     is a reservation, see journal_match()),
 *     which depends on every job placed before it: those entries are dropped
 *     only when no job is live any more (the engine's schedule is then
 *     empty, as if fresh);
 *   - consecutive time changes collapse into the last one.
 * Matching is deterministic, so the replay rebuilds the same schedule; the
 * cost is the journal's length, paid once per clone. */
#include "reapi_cli.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graph_load.h"
#include "idset.h"
#include "jobspec.h"
#include "jobspec_private.h"
#include "reapi_cli_private.h"
#include "rg.h"
#include "rparse.h"

struct journal {
    enum reapi_journal_kind kind;
    int op;         /* match op, or status */
    uint64_t jobid; /* match/update/cancel */
    char *text;     /* jobspec, R, path, ranks */
    bool exact;     /* REAPI_J_MATCH: 'text' is the R it got, replayed by update */
    int64_t at;     /* exact match: start */
    uint64_t dur;   /* exact match: duration in seconds */
};

/* Canceled jobs a context made with reapi_cli_initialize() remembers for
 * reapi_cli_info() ("CANCELED"): the most recent ones only, so that memory
 * stays flat over any number of jobs.  Fluxion keeps them all, and so does
 * resource-query's shell (reapi_cli__initialize()), which lists them. */
#define CANCELED_KEEP 1024

struct reapi_cli_ctx {
    eng_t *e;
    rwrite_t *w;
    char *msg; /* recorded messages */
    size_t msglen;
    uint64_t counter;
    struct eng_match_result last;
    char *rgraph, *options; /* for clones */
    size_t rglen;
    struct journal *jr;
    size_t njr, capjr;
    bool replaying;
    char init_err[512];     /* resource-query's text for a failed initialization */
    char prune[256];        /* prune filter spec, for the "known type" check */
    struct reapi_job *jobs; /* Fluxion's jobs/allocations/reservations maps */
    size_t njobs, capjobs;
    size_t nlive;               /* jobs ALLOCATED or RESERVED */
    size_t keep;                /* canceled records kept (0: all) */
    struct reapi_job *canceled; /* ring of the 'keep' latest canceled jobs */
    size_t ncanceled, head;
    /* the last jobspec parsed, reused while callers send the same text */
    char *js_text;
    jobspec_t *js;
};

/* ---- messages ------------------------------------------------------------- */

void reapi_cli__errmsg_add(reapi_cli_ctx_t *ctx, const char *text)
{
    size_t n = strlen(text);
    char *p = realloc(ctx->msg, ctx->msglen + n + 1);
    if (!p)
        return; /* a message lost to ENOMEM is not worth failing the call */
    memcpy(p + ctx->msglen, text, n + 1);
    ctx->msg = p;
    ctx->msglen += n;
}

void reapi_cli__msgf(reapi_cli_ctx_t *ctx, const char *fmt, ...)
{
    /* Most messages fit the stack buffer; a long one (an exclusivity report
     * on a large graph runs to tens of KB) is formatted again into the heap. */
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof buf) {
        reapi_cli__errmsg_add(ctx, buf);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big)
        return; /* as reapi_cli__errmsg_add: a lost message never fails the call */
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    reapi_cli__errmsg_add(ctx, big);
    free(big);
}

const char *reapi_cli__errmsg(const reapi_cli_ctx_t *ctx)
{
    return ctx->msg ? ctx->msg : "";
}

const char *reapi_cli_get_err_msg(reapi_cli_ctx_t *ctx)
{
    if (!ctx) {
        errno = EINVAL;
        return strdup("ERROR: reapi_cli context is null\n");
    }
    return strdup(reapi_cli__errmsg(ctx));
}

void reapi_cli_clear_err_msg(reapi_cli_ctx_t *ctx)
{
    if (!ctx)
        return;
    free(ctx->msg);
    ctx->msg = NULL;
    ctx->msglen = 0;
}

int reapi_cli__errno(int code)
{
    switch (code) {
    case ENG_EBUSY:
        return EBUSY;
    case ENG_ENOMATCH:
        return ENODEV;
    case ENG_ENOENT:
        return ENOENT;
    case ENG_EEXIST:
        return EEXIST;
    case ENG_ENOMEM:
        return ENOMEM;
    case ENG_ENOTSUP:
        return ENOTSUP;
    default:
        return EINVAL;
    }
}

/* Fluxion's traverser message of the last engine call, if any. */
static const char *engine_msg(const reapi_cli_ctx_t *ctx)
{
    const char *m = ctx->e ? eng_message(ctx->e) : "";
    return m ? m : "";
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- journal (for clones) ------------------------------------------------- */

static void journal_add(reapi_cli_ctx_t *ctx, const struct journal *entry,
                        const char *text);

static bool is_job_entry(const struct journal *j)
{
    return j->kind == REAPI_J_MATCH || j->kind == REAPI_J_UPDATE ||
           j->kind == REAPI_J_CANCEL || j->kind == REAPI_J_PCANCEL;
}

/* Drop the entries 'drop' selects (for 'jobid'), then merge time changes
 * that became adjacent: one pass, in place. */
static void journal_compact(reapi_cli_ctx_t *ctx,
                            bool (*drop)(const struct journal *, uint64_t),
                            uint64_t jobid)
{
    size_t k = 0;
    for (size_t i = 0; i < ctx->njr; i++) {
        struct journal *j = &ctx->jr[i];
        if (drop(j, jobid)) {
            free(j->text);
            continue;
        }
        if (j->kind == REAPI_J_TIME && k > 0 && ctx->jr[k - 1].kind == REAPI_J_TIME)
            k--; /* time only moves forward: the later one says it all */
        ctx->jr[k++] = *j;
    }
    ctx->njr = k;
}

static bool drop_job(const struct journal *j, uint64_t jobid)
{
    return is_job_entry(j) && j->jobid == jobid;
}

static bool drop_all_jobs(const struct journal *j, uint64_t jobid)
{
    (void)jobid;
    return is_job_entry(j);
}

/* True when some match is journaled by jobspec: its replay depends on every
 * job placed before it, so no job entry may be dropped while it stays. */
static bool has_jobspec_entries(const reapi_cli_ctx_t *ctx)
{
    for (size_t i = 0; i < ctx->njr; i++)
        if (ctx->jr[i].kind == REAPI_J_MATCH && !ctx->jr[i].exact)
            return true;
    return false;
}

/* Job 'jobid' is gone: forget what only it needed. */
static void journal_job_gone(reapi_cli_ctx_t *ctx, enum reapi_journal_kind kind,
                             uint64_t jobid, const char *text)
{
    if (ctx->nlive == 0)
        journal_compact(ctx, drop_all_jobs, 0);
    else if (!has_jobspec_entries(ctx))
        journal_compact(ctx, drop_job, jobid);
    else
        journal_add(ctx, &(struct journal){.kind = kind, .jobid = jobid}, text);
}

void reapi_cli__journal(reapi_cli_ctx_t *ctx, enum reapi_journal_kind kind, int op,
                        uint64_t jobid, const char *text)
{
    if (ctx->replaying)
        return;
    const struct reapi_job *job = NULL;
    bool gone = (kind == REAPI_J_CANCEL || kind == REAPI_J_PCANCEL) &&
                (!(job = reapi_cli__job(ctx, jobid)) || job->state == ENG_JOB_CANCELED);
    if (gone) {
        journal_job_gone(ctx, kind, jobid, text);
        return;
    }
    if (kind == REAPI_J_TIME && ctx->njr > 0 &&
        ctx->jr[ctx->njr - 1].kind == REAPI_J_TIME) {
        ctx->jr[ctx->njr - 1].jobid = jobid;
        return;
    }
    journal_add(ctx, &(struct journal){.kind = kind, .op = op, .jobid = jobid}, text);
}

static void journal_add(reapi_cli_ctx_t *ctx, const struct journal *entry,
                        const char *text)
{
    if (ctx->njr == ctx->capjr) {
        size_t cap = ctx->capjr ? ctx->capjr * 2 : 16;
        struct journal *p = realloc(ctx->jr, cap * sizeof *p);
        if (!p)
            return;
        ctx->jr = p;
        ctx->capjr = cap;
    }
    char *copy = text ? strdup(text) : NULL;
    if (text && !copy)
        return;
    ctx->jr[ctx->njr] = *entry;
    ctx->jr[ctx->njr++].text = copy;
}

/* ---- life cycle ----------------------------------------------------------- */

reapi_cli_ctx_t *reapi_cli_new(void)
{
    reapi_cli_ctx_t *ctx = calloc(1, sizeof *ctx);
    if (!ctx) {
        errno = ENOMEM;
        return NULL;
    }
    ctx->counter = 1;
    return ctx;
}

void reapi_cli_destroy(reapi_cli_ctx_t *ctx)
{
    int saved = errno;
    if (ctx) {
        eng_destroy(ctx->e);
        rwrite_destroy(ctx->w);
        free(ctx->msg);
        free(ctx->rgraph);
        free(ctx->options);
        for (size_t i = 0; i < ctx->njr; i++)
            free(ctx->jr[i].text);
        free(ctx->jr);
        free(ctx->jobs);
        free(ctx->canceled);
        free(ctx->js_text);
        jobspec_destroy(ctx->js);
        free(ctx);
    }
    errno = saved;
}

struct opts {
    const char *load_format, *matcher_name, *matcher_policy, *traverser, *match_format,
        *prune, *allowlist;
};

/* Fluxion's set_resource_ctx_params(): defaults, then the keys present. */
static int read_options(json_t *o, struct opts *p)
{
    *p = (struct opts){"grug", "CA", "first", "simple", "jgf", "ALL:core,ALL:node", ""};
    const char **dst[] = {&p->load_format, &p->matcher_name, &p->matcher_policy,
                          &p->traverser,   &p->match_format, &p->prune,
                          &p->allowlist};
    static const char *const keys[] = {
        "load_format",  "matcher_name",  "matcher_policy", "traverser_policy",
        "match_format", "prune_filters", "load_allowlist"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        json_t *v = json_object_get(o, keys[i]);
        if (v && !json_is_string(v))
            return -1;
        if (v)
            *dst[i] = json_string_value(v);
    }
    return 0;
}

static int init_fail(reapi_cli_ctx_t *ctx, int eno, const char *text)
{
    snprintf(ctx->init_err, sizeof ctx->init_err, "%s", text);
    errno = eno;
    return -1;
}

/* Build the engine for options 'p' and load 'rgraph'; on failure
 * ctx->init_err holds resource-query's message for it. */
static int build(reapi_cli_ctx_t *ctx, const struct opts *p, const char *rgraph,
                 size_t len, const char *source)
{
    enum rwrite_format fmt = RWRITE_SIMPLE;
    eng_error_t e2 = {0};
    struct eng_options eo = {.policy = p->matcher_policy};
    eng_t *probe = eng_create(&eo, &e2);
    if (!probe)
        return init_fail(ctx, EPROTO, "resource_query_t: ERROR: can't create matcher\n");
    eng_destroy(probe);
    /* Fluxion's jgf_shorthand reader differs from jgf only when it updates
     * (it fills in exclusive subtrees); loading a graph is the same. */
    if (!graph_load_format_known(p->load_format) || strcmp(p->load_format, "auto") == 0)
        return init_fail(ctx, EPROTO, "resource_query_t: ERROR: can't create reader\n");
    /* Fluxion falls back to "simple" for a name it does not know */
    rwrite_format_parse(p->match_format, &fmt);
    /* Fluxion crashes on an unknown traverser or subsystem set; we say which
     * option is wrong, probing them one at a time. */
    eo = (struct eng_options){.policy = p->matcher_policy, .traverser = p->traverser};
    if (!(probe = eng_create(&eo, &e2)))
        return init_fail(ctx, EINVAL,
                         "resource_query_t: ERROR: unknown traverser policy\n");
    eng_destroy(probe);
    eo.subsystems = p->matcher_name;
    if (!(probe = eng_create(&eo, &e2)))
        return init_fail(
            ctx, EINVAL,
            "initialize_matchers_and_traversers: ERROR: can't set subsystems\n");
    eng_destroy(probe);
    eo.prune_filters = p->prune;
    if (!(ctx->e = eng_create(&eo, &e2)))
        return init_fail(ctx, EPROTO,
                         "initialize_matchers_and_traversers: ERROR: can't set pruning "
                         "filters\n");
    struct graph_load_opts lo = {.allowlist = p->allowlist};
    rg_graph_t *g = graph_load_parse(rgraph, len, p->load_format, source, &lo, &e2);
    int trc = g ? eng_graph_take(ctx->e, g, &e2) : ENG_EINVAL;
    if (trc == ENG_ENOTSUP) { /* a subsystem of the set has no root */
        eng_destroy(ctx->e);
        ctx->e = NULL;
        return init_fail(ctx, ENOTSUP,
                         "initialize_matchers_and_traversers: ERROR: can't initialize "
                         "traverser\n");
    }
    if (trc < 0) {
        char buf[400], text[ENG_ERROR_TEXT_MAX];
        eng_error_format(&e2, buf, sizeof buf);
        snprintf(text, sizeof text,
                 "resource_query_t: ERROR: %.180s\nERROR: error generating resources\n",
                 buf);
        eng_destroy(ctx->e);
        ctx->e = NULL;
        return init_fail(ctx, EPROTO, text);
    }
    if (!(ctx->w = rwrite_create(fmt, &e2))) {
        eng_destroy(ctx->e);
        ctx->e = NULL;
        return init_fail(ctx, ENOMEM,
                         "initialize_matchers_and_traversers: ERROR: can't "
                         "create match writers\n");
    }
    snprintf(ctx->prune, sizeof ctx->prune, "%s", p->prune);
    return 0;
}

const char *reapi_cli__init_error(const reapi_cli_ctx_t *ctx)
{
    return ctx->init_err;
}

int reapi_cli__initialize(reapi_cli_ctx_t *ctx, const char *rgraph, size_t len,
                          const char *source, const char *options)
{
    if (!ctx) {
        errno = EINVAL;
        return -1;
    }
    if (!rgraph || ctx->e)
        return init_fail(ctx, EINVAL, "reapi_cli_initialize: ERROR: invalid argument\n");
    json_t *o = json_loads(options ? options : "{}", JSON_DECODE_ANY, NULL);
    struct opts p;
    if (!o || read_options(o, &p) < 0) {
        json_decref(o);
        return init_fail(
            ctx, EPROTO,
            "resource_query_t: ERROR: can't set resource graph parameters\n");
    }
    int rc = build(ctx, &p, rgraph, len, source);
    json_decref(o);
    if (rc < 0)
        return -1;
    ctx->rgraph = malloc(len + 1);
    ctx->options = strdup(options ? options : "{}");
    if (!ctx->rgraph || !ctx->options) {
        errno = ENOMEM;
        return init_fail(ctx, ENOMEM,
                         "reapi_cli_initialize: ERROR: can't allocate memory\n");
    }
    memcpy(ctx->rgraph, rgraph, len);
    ctx->rgraph[len] = '\0';
    ctx->rglen = len;
    ctx->counter = 1;
    return 0;
}

int reapi_cli_initialize(reapi_cli_ctx_t *ctx, const char *rgraph, const char *options)
{
    if (!ctx || !rgraph) {
        errno = EINVAL;
        return -1;
    }
    if (reapi_cli__initialize(ctx, rgraph, strlen(rgraph), "<rgraph>", options) < 0) {
        int saved = errno;
        reapi_cli__msgf(ctx, "reapi_cli_initialize: Runtime error: %s", ctx->init_err);
        errno = saved;
        return -1;
    }
    ctx->keep = CANCELED_KEEP;
    return 0;
}

eng_t *reapi_cli__engine(reapi_cli_ctx_t *ctx)
{
    return ctx->e;
}

rwrite_t *reapi_cli__writer(reapi_cli_ctx_t *ctx)
{
    return ctx->w;
}

uint64_t reapi_cli__counter(const reapi_cli_ctx_t *ctx)
{
    return ctx->counter;
}

void reapi_cli__set_counter(reapi_cli_ctx_t *ctx, uint64_t next)
{
    ctx->counter = next;
}

const struct eng_match_result *reapi_cli__last(const reapi_cli_ctx_t *ctx)
{
    return &ctx->last;
}

/* The context keeps its own job table, as Fluxion's resource_query_t keeps
 * 'jobs', 'allocations' and 'reservations' apart from the traverser: a job
 * the engine placed but whose R could not be written (a writer error) is not
 * recorded, so "cancel" then reports it nonexistent, as in Fluxion.  Sorted
 * by jobid; binary search. */
static size_t job_index(const reapi_cli_ctx_t *ctx, uint64_t jobid)
{
    size_t lo = 0, hi = ctx->njobs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ctx->jobs[mid].jobid < jobid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The latest canceled record of 'jobid' in the ring, newest first, or NULL. */
static const struct reapi_job *ring_find(const reapi_cli_ctx_t *ctx, uint64_t jobid)
{
    for (size_t k = 1; k <= ctx->ncanceled; k++) {
        size_t at = (ctx->head + ctx->keep - k) % ctx->keep;
        if (ctx->canceled[at].jobid == jobid)
            return &ctx->canceled[at];
    }
    return NULL;
}

const struct reapi_job *reapi_cli__job(const reapi_cli_ctx_t *ctx, uint64_t jobid)
{
    size_t i = job_index(ctx, jobid);
    if (i < ctx->njobs && ctx->jobs[i].jobid == jobid)
        return &ctx->jobs[i];
    return ctx->keep ? ring_find(ctx, jobid) : NULL;
}

static bool live(enum eng_job_state st)
{
    return st == ENG_JOB_ALLOCATED || st == ENG_JOB_RESERVED;
}

/* With a bounded history (ctx->keep), canceled record 'i' leaves the table
 * for the ring, where it replaces the oldest.  The table then holds only
 * live jobs, so keeping it sorted costs little. */
static void job_retire(reapi_cli_ctx_t *ctx, size_t i)
{
    if (ctx->keep == 0)
        return;
    if (!ctx->canceled && !(ctx->canceled = malloc(ctx->keep * sizeof *ctx->canceled)))
        ctx->ncanceled = 0; /* no room to remember it: forgotten */
    else {
        ctx->canceled[ctx->head] = ctx->jobs[i];
        ctx->head = (ctx->head + 1) % ctx->keep;
        if (ctx->ncanceled < ctx->keep)
            ctx->ncanceled++;
    }
    memmove(&ctx->jobs[i], &ctx->jobs[i + 1], (ctx->njobs - i - 1) * sizeof *ctx->jobs);
    ctx->njobs--;
}

int reapi_cli__job_set(reapi_cli_ctx_t *ctx, uint64_t jobid, enum eng_job_state st,
                       int64_t at, double ov)
{
    size_t i = job_index(ctx, jobid);
    unsigned maps = st == ENG_JOB_ALLOCATED  ? REAPI_IN_ALLOC
                    : st == ENG_JOB_RESERVED ? REAPI_IN_RESV
                                             : 0;
    if (i < ctx->njobs && ctx->jobs[i].jobid == jobid) {
        ctx->nlive -= live(ctx->jobs[i].state);
        maps |= ctx->jobs[i].maps;
    } else {
        if (ctx->njobs == ctx->capjobs) {
            size_t cap = ctx->capjobs ? ctx->capjobs * 2 : 16;
            struct reapi_job *p = realloc(ctx->jobs, cap * sizeof *p);
            if (!p)
                return -1;
            ctx->jobs = p;
            ctx->capjobs = cap;
        }
        memmove(&ctx->jobs[i + 1], &ctx->jobs[i], (ctx->njobs - i) * sizeof *ctx->jobs);
        ctx->njobs++;
    }
    ctx->jobs[i] = (struct reapi_job){jobid, st, at, ov, maps};
    ctx->nlive += live(st);
    if (st == ENG_JOB_CANCELED && maps == 0)
        job_retire(ctx, i);
    return 0;
}

int reapi_cli__job_cancel(reapi_cli_ctx_t *ctx, uint64_t jobid)
{
    size_t i = job_index(ctx, jobid);
    if (i >= ctx->njobs || ctx->jobs[i].jobid != jobid)
        return 0;
    struct reapi_job *j = &ctx->jobs[i];
    j->maps &=
        j->maps & REAPI_IN_ALLOC ? ~(unsigned)REAPI_IN_ALLOC : ~(unsigned)REAPI_IN_RESV;
    if (j->state == ENG_JOB_CANCELED) { /* canceled before, still in a map */
        if (j->maps == 0)
            job_retire(ctx, i);
        return 0;
    }
    return reapi_cli__job_set(ctx, jobid, ENG_JOB_CANCELED, j->at, j->overhead_s);
}

bool reapi_cli__is_allocated(const reapi_cli_ctx_t *ctx, uint64_t jobid)
{
    const struct reapi_job *j = reapi_cli__job(ctx, jobid);
    return j && (j->maps & REAPI_IN_ALLOC);
}

bool reapi_cli__is_reserved(const reapi_cli_ctx_t *ctx, uint64_t jobid)
{
    const struct reapi_job *j = reapi_cli__job(ctx, jobid);
    return j && (j->maps & REAPI_IN_RESV);
}

/* ---- matching ------------------------------------------------------------- */

/* Fluxion's resource-type interner, closed after the graph is loaded: a
 * jobspec type is known if it is one of Fluxion's built-in types, a type of
 * the graph, or a type named by the pruning filters. */
static bool type_known(const reapi_cli_ctx_t *ctx, const char *type)
{
    static const char *const builtin[] = {"cluster", "core",        "socket", "gpu",
                                          "node",    "rack",        "slot",   "xor_slot",
                                          "ssd",     "storage_node"};
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (strcmp(type, builtin[i]) == 0)
            return true;
    const rg_graph_t *g = eng_graph(ctx->e);
    rg_sym_t s = g ? rg_sym_find(g, type) : RG_SYM_NONE;
    if (s != RG_SYM_NONE && rg_graph_type_count(g, s) > 0)
        return true;
    size_t n = strlen(type);
    for (const char *p = ctx->prune; (p = strstr(p, type)); p += n) {
        bool start = p == ctx->prune || p[-1] == ':' || p[-1] == ',';
        bool end = p[n] == '\0' || p[n] == ':' || p[n] == ',';
        if (start && end)
            return true;
    }
    return false;
}

/* The parsed 'text', or NULL with the message recorded.  Borrowed: valid
 * until the next call.  A caller that sends the same text again (a
 * simulator, a benchmark) gets the previous parse back; the type check, which
 * depends on the graph, runs every time. */
static const jobspec_t *parse_jobspec(reapi_cli_ctx_t *ctx, const char *text)
{
    if (!ctx->js || strcmp(ctx->js_text, text) != 0) {
        jobspec_destroy(ctx->js);
        free(ctx->js_text);
        ctx->js = NULL;
        ctx->js_text = NULL;
        eng_error_t err = {0};
        jobspec_t *js =
            jobspec_parse_ex(text, strlen(text), "jobspec", JOBSPEC_FLUXION, &err);
        if (!js) {
            reapi_cli__msgf(ctx, "match_allocate: ERROR: Jobspec error for %llu: %s\n",
                            (unsigned long long)ctx->counter, err.text);
            return NULL;
        }
        if (!(ctx->js_text = strdup(text))) {
            jobspec_destroy(js);
            reapi_cli__msgf(ctx, "match_allocate: ERROR: Jobspec error for %llu: %s\n",
                            (unsigned long long)ctx->counter, strerror(ENOMEM));
            return NULL;
        }
        ctx->js = js;
    }
    const jobspec_t *js = ctx->js;
    for (size_t i = 0; i < js->nresources_total; i++) {
        const jobspec_resource_t *r = jobspec_resource_at(js, i);
        if (!type_known(ctx, r->type)) {
            reapi_cli__msgf(
                ctx,
                "match_allocate: ERROR: Jobspec error for %llu: Value of \"type\" must "
                "be a "
                "resource type known to fluxion\n",
                (unsigned long long)ctx->counter);
            return NULL;
        }
    }
    return js;
}

/* Journal the match of job 'jobid': by the R it got when the configured
 * format names the resources exactly (jgf, rv1), else by its jobspec.  A
 * reservation is journaled by jobspec too: eng_update() records what it
 * places as an allocation (as Fluxion's reader does), and "find" tells the
 * two apart. */
static void journal_match(reapi_cli_ctx_t *ctx, match_op_t op, uint64_t jobid,
                          const char *jobspec, const char *R)
{
    enum rwrite_format f = rwrite_get_format(ctx->w);
    struct eng_job_info ji;
    if (ctx->replaying)
        return;
    if ((f == RWRITE_JGF || f == RWRITE_RV1) && R && *R &&
        eng_job_info(ctx->e, jobid, &ji, NULL) == 0 && ji.duration > 0 &&
        ji.state == ENG_JOB_ALLOCATED) {
        struct journal j = {.kind = REAPI_J_MATCH,
                            .op = (int)op,
                            .jobid = jobid,
                            .exact = true,
                            .at = ji.at,
                            .dur = (uint64_t)ji.duration};
        journal_add(ctx, &j, R);
        return;
    }
    reapi_cli__journal(ctx, REAPI_J_MATCH, op, jobid, jobspec);
}

static bool counts_job(match_op_t op)
{
    return op != MATCH_SATISFIABILITY && op != MATCH_WITHOUT_ALLOCATING &&
           op != MATCH_WITHOUT_ALLOCATING_FUTURE;
}

/* Fluxion's reapi_cli_t::match_allocate(). */
static int match_allocate(reapi_cli_ctx_t *ctx, match_op_t op, const char *jobspec,
                          uint64_t jobid, bool reuse, bool *reserved, char **R,
                          int64_t *at, double *ov)
{
    /* Fluxion's traverser can fail without setting errno (ENG_ESTATE here):
     * what the caller left in errno is then reported */
    int caller_errno = errno;
    *at = 0;
    *ov = 0.0;
    *R = NULL;
    if (!match_op_valid(op)) {
        reapi_cli__msgf(ctx, "match_allocate: ERROR: Invalid Match Option: %d\n",
                        (int)op);
        errno = EINVAL;
        return -1;
    }
    double t0 = now_s();
    const jobspec_t *js = parse_jobspec(ctx, jobspec);
    if (!js) {
        errno = EINVAL;
        return -1;
    }
    /* Fluxion parses the jobspec on each call, and a hostlist or ranks
     * constraint leaves errno at 0 (see jobspec__zeroes_errno()) */
    if (jobspec__zeroes_errno(js))
        caller_errno = 0;
    bool live = counts_job(op) && (reapi_cli__is_allocated(ctx, jobid) ||
                                   reapi_cli__is_reserved(ctx, jobid));
    if (live && !reuse) {
        /* the engine would add to the live job (as Fluxion's traverser
         * does); a recorded live id is refused here instead */
        reapi_cli__msgf(ctx, "match_allocate: ERROR: traverser: %s\n", strerror(EEXIST));
        errno = EEXIST;
        return -1;
    }
    eng_error_t err = {0};
    memset(&ctx->last, 0, sizeof ctx->last);
    int rc =
        eng_match(ctx->e, (enum eng_match_op)op, js, jobid, ctx->w, &ctx->last, &err);
    int eno = rc == ENG_ESTATE ? caller_errno : rc < 0 ? reapi_cli__errno(rc) : 0;
    if (rc < 0) {
        if (*engine_msg(ctx))
            reapi_cli__msgf(ctx, "match_allocate: ERROR: %s\n", engine_msg(ctx));
        else if (eno != EBUSY && eno != ENODEV)
            reapi_cli__msgf(ctx, "match_allocate: ERROR: traverser: %s\n", strerror(eno));
        if (eno != EBUSY && eno != ENODEV) {
            errno = eno;
            return -1;
        }
    }
    /* Fluxion emits even after EBUSY/ENODEV (an empty result) and fails if
     * the writer does, e.g. rlite with nothing gathered. */
    eng_error_t werr = {0};
    if (rwrite_emit(ctx->w, R, &werr) < 0) {
        int weno = werr.code == ENG_ENOENT   ? ENOENT
                   : werr.code == ENG_ENOMEM ? ENOMEM
                                             : EINVAL;
        reapi_cli__msgf(ctx, "match_allocate: ERROR: match writer emit: %s\n",
                        strerror(weno));
        errno = weno;
        return -1;
    }
    *ov = now_s() - t0;
    ctx->last.overhead_s = *ov;
    if (rc == 0 && op != MATCH_SATISFIABILITY) {
        *at = ctx->last.at;
        *reserved = counts_job(op) && ctx->last.reserved;
        if (counts_job(op)) {
            reapi_cli__job_set(
                ctx, jobid, *reserved ? ENG_JOB_RESERVED : ENG_JOB_ALLOCATED, *at, *ov);
            /* a reused id is replayed by match (an update would refuse it) */
            journal_match(ctx, op, jobid, jobspec, live ? NULL : *R);
        }
    }
    if (counts_job(op))
        ctx->counter++;
    if (rc < 0) {
        free(*R);
        *R = NULL;
        errno = eno;
        return -1;
    }
    return 0;
}

int reapi_cli_match_with_jobid(reapi_cli_ctx_t *ctx, match_op_t match_op,
                               const char *jobspec, uint64_t jobid, bool *reserved,
                               char **R, int64_t *at, double *ov)
{
    if (!ctx || !ctx->e || !jobspec || !reserved || !R || !at || !ov) {
        errno = EINVAL;
        return -1;
    }
    /* as Fluxion's reapi_cli: the id is not checked, a live job's grows */
    return match_allocate(ctx, match_op, jobspec, jobid, true, reserved, R, at, ov);
}

int reapi_cli__match_reuse(reapi_cli_ctx_t *ctx, match_op_t match_op, const char *jobspec,
                           uint64_t jobid, bool *reserved, char **R, int64_t *at,
                           double *ov)
{
    if (!ctx || !ctx->e || !jobspec || !reserved || !R || !at || !ov) {
        errno = EINVAL;
        return -1;
    }
    return match_allocate(ctx, match_op, jobspec, jobid, true, reserved, R, at, ov);
}

int reapi_cli_match(reapi_cli_ctx_t *ctx, match_op_t match_op, const char *jobspec,
                    uint64_t *jobid, bool *reserved, char **R, int64_t *at, double *ov)
{
    if (!ctx || !ctx->e || !jobid) {
        errno = EINVAL;
        return -1;
    }
    uint64_t seq = ctx->counter;
    if (match_op == MATCH_WITHOUT_ALLOCATING ||
        match_op == MATCH_WITHOUT_ALLOCATING_FUTURE)
        seq = (uint64_t)-1;
    int rc = reapi_cli_match_with_jobid(ctx, match_op, jobspec, seq, reserved, R, at, ov);
    if (rc == 0)
        *jobid = seq;
    return rc;
}

int reapi_cli_match_allocate(reapi_cli_ctx_t *ctx, bool orelse_reserve,
                             const char *jobspec, uint64_t *jobid, bool *reserved,
                             char **R, int64_t *at, double *ov)
{
    return reapi_cli_match(
        ctx, orelse_reserve ? MATCH_ALLOCATE_ORELSE_RESERVE : MATCH_ALLOCATE, jobspec,
        jobid, reserved, R, at, ov);
}

int reapi_cli_match_satisfy(reapi_cli_ctx_t *ctx, const char *jobspec, bool *sat,
                            double *ov)
{
    uint64_t jobid;
    bool reserved = false;
    char *R = NULL;
    int64_t at;
    if (!sat) {
        errno = EINVAL;
        return -1;
    }
    *sat = true;
    int rc = reapi_cli_match(ctx, MATCH_SATISFIABILITY, jobspec, &jobid, &reserved, &R,
                             &at, ov);
    free(R);
    if (rc != 0)
        *sat = false;
    return rc;
}

/* ---- clone ----------------------------------------------------------------- */

/* An exact match: the same resources, start and duration, through the
 * engine's update; the writer emits as after the match. */
static int replay_exact(reapi_cli_ctx_t *c, const struct journal *j)
{
    eng_error_t err = {0};
    struct eng_match_result res = {0};
    if (eng_update(c->e, j->jobid, j->text, strlen(j->text), j->at, j->dur, false, c->w,
                   &res, &err) < 0 ||
        reapi_cli__job_set(c, j->jobid, ENG_JOB_ALLOCATED, j->at, 0.0) < 0)
        return -1;
    char *out = NULL;
    int rc = rwrite_emit(c->w, &out, &err);
    free(out);
    return rc < 0 ? -1 : 0;
}

static int replay_one(reapi_cli_ctx_t *c, const struct journal *j)
{
    bool reserved = false, full = false;
    char *R = NULL;
    const char *Rc = NULL;
    int64_t at;
    double ov;
    int rc = 0;
    switch (j->kind) {
    case REAPI_J_MATCH:
        if (j->exact) {
            rc = replay_exact(c, j);
            break;
        }
        rc = match_allocate(c, (match_op_t)j->op, j->text, j->jobid, true, &reserved, &R,
                            &at, &ov);
        break;
    case REAPI_J_UPDATE:
        rc = reapi_cli_update_allocate(c, j->jobid, j->text, &at, &ov, &Rc);
        break;
    case REAPI_J_CANCEL:
        rc = reapi_cli_cancel(c, j->jobid, false);
        break;
    case REAPI_J_PCANCEL:
        rc = reapi_cli_partial_cancel(c, j->jobid, j->text, false, &full);
        break;
    case REAPI_J_ATTACH:
        rc = reapi_cli_add_subgraph(c, j->text);
        break;
    case REAPI_J_REMOVE:
        rc = reapi_cli_remove_subgraph(c, j->text);
        break;
    case REAPI_J_STATUS:
        rc = reapi_cli_set_status(c, j->text, (resource_status_t)j->op);
        break;
    case REAPI_J_RSTATUS:
        rc = reapi_cli_set_rank_status(c, j->text, (resource_status_t)j->op);
        break;
    case REAPI_J_TIME:
        rc = reapi_cli_set_time(c, (int64_t)j->jobid);
        break;
    }
    free(R);
    free((char *)Rc);
    return rc;
}

/* The job table of 'ctx' (canceled jobs included, which the replay does not
 * see) into the clone 'c'. */
static int copy_jobs(reapi_cli_ctx_t *c, const reapi_cli_ctx_t *ctx)
{
    struct reapi_job *jobs = malloc((ctx->capjobs ? ctx->capjobs : 1) * sizeof *jobs);
    struct reapi_job *ring = ctx->canceled ? malloc(ctx->keep * sizeof *ring) : NULL;
    if (!jobs || (ctx->canceled && !ring)) {
        free(jobs);
        free(ring);
        return -1;
    }
    if (ctx->njobs)
        memcpy(jobs, ctx->jobs, ctx->njobs * sizeof *jobs);
    if (ring)
        memcpy(ring, ctx->canceled, ctx->keep * sizeof *ring);
    free(c->jobs);
    free(c->canceled);
    c->jobs = jobs;
    c->njobs = ctx->njobs;
    c->capjobs = ctx->capjobs ? ctx->capjobs : 1;
    c->nlive = ctx->nlive;
    c->keep = ctx->keep;
    c->canceled = ring;
    c->ncanceled = ctx->ncanceled;
    c->head = ctx->head;
    return 0;
}

reapi_cli_ctx_t *reapi_cli__replay(const reapi_cli_ctx_t *ctx)
{
    reapi_cli_ctx_t *c = reapi_cli_new();
    if (!c ||
        reapi_cli__initialize(c, ctx->rgraph, ctx->rglen, "<clone>", ctx->options) < 0)
        goto error;
    c->replaying = true;
    for (size_t i = 0; i < ctx->njr; i++)
        if (replay_one(c, &ctx->jr[i]) < 0)
            goto error;
    c->replaying = false;
    for (size_t i = 0; i < ctx->njr; i++)
        journal_add(c, &ctx->jr[i], ctx->jr[i].text);
    if (c->njr != ctx->njr || copy_jobs(c, ctx) < 0) {
        errno = ENOMEM;
        goto error;
    }
    c->counter = ctx->counter;
    reapi_cli_clear_err_msg(c);
    return c;
error:
    if (c && c->replaying) /* replay diverged: the engine is not deterministic */
        errno = EPROTO;
    reapi_cli_destroy(c);
    return NULL;
}

/* ---- time (schedsim extension) ---------------------------------------------- */

int reapi_cli_set_time(reapi_cli_ctx_t *ctx, int64_t t)
{
    if (!ctx || !ctx->e || eng_time_set(ctx->e, t) < 0) {
        errno = EINVAL;
        return -1;
    }
    reapi_cli__journal(ctx, REAPI_J_TIME, 0, (uint64_t)t, NULL);
    return 0;
}

int64_t reapi_cli_get_time(reapi_cli_ctx_t *ctx)
{
    if (!ctx || !ctx->e) {
        errno = EINVAL;
        return -1;
    }
    return eng_time(ctx->e);
}
