/* sim_eng.c: the engine adapter.
 *
 * One rv1_nosched writer is reused for every allocation: it yields both the
 * R_lite array and the host list (RFC 20 "execution"), which the reports
 * need, at the cost of one small JSON parse per started job.
 *
 * Jobs with the same jobspec text (most jobs of a log share a size) share one
 * parse and one satisfiability answer: satisfiability depends only on the
 * graph and the status of its vertices, so the answers are forgotten when a
 * status changes. */
#include "sim_eng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobspec.h"
#include "rg.h"
#include "rwrite.h"

/* One distinct jobspec text, shared by the live jobs that use it. */
struct spec {
    struct spec *next; /* hash chain */
    uint64_t hash;
    size_t len;
    char *text;
    jobspec_t *js;
    size_t refs;        /* live jobs using it */
    uint64_t sat_epoch; /* 'sat' holds for status epoch sat_epoch - 1 */
    int sat;            /* cached satisfiability answer */
};

struct sim_eng {
    eng_t *e;
    rwrite_t *w;
    struct spec **by_job; /* per job id, NULL until its first match */
    size_t njobs;
    struct spec **bucket; /* 'nbucket' chains, a power of two */
    size_t nbucket, nspec;
    uint64_t status_epoch; /* bumped by every status change */
};

sim_eng_t *sim_eng_create(eng_t *e, eng_error_t *err)
{
    if (!e || !eng_graph(e)) {
        eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "sim: the engine has no graph");
        return NULL;
    }
    sim_eng_t *a = calloc(1, sizeof *a);
    if (!a) {
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
        return NULL;
    }
    a->e = e;
    /* the R of a reservation is never reported, nor looked for vertex by
     * vertex */
    eng_set_write_reservations(e, false);
    eng_set_lazy_reservations(e, true);
    eng_set_lazy_allocations(e, true); /* every job ends by its span's end */
    if (!(a->w = rwrite_create(RWRITE_RV1_NOSCHED, err))) {
        free(a);
        return NULL;
    }
    return a;
}

void sim_eng_destroy(sim_eng_t *a)
{
    if (!a)
        return;
    for (size_t b = 0; b < a->nbucket; b++) {
        for (struct spec *x = a->bucket[b], *n; x; x = n) {
            n = x->next;
            jobspec_destroy(x->js);
            free(x->text);
            free(x);
        }
    }
    free(a->bucket);
    free(a->by_job);
    rwrite_destroy(a->w);
    free(a);
}

static int ae_set_time(void *ctx, sim_time_t now, eng_error_t *err)
{
    sim_eng_t *a = ctx;
    int rc = eng_time_set(a->e, now);
    if (rc < 0)
        return eng_errorf(err, rc, NULL, 0, 0, "engine: cannot set time %lld",
                          (long long)now);
    return 0;
}

static uint64_t text_hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
    return h;
}

static int buckets_grow(sim_eng_t *a)
{
    size_t n = a->nbucket ? 2 * a->nbucket : 256;
    struct spec **b = calloc(n, sizeof *b);
    if (!b)
        return ENG_ENOMEM;
    for (size_t i = 0; i < a->nbucket; i++) {
        for (struct spec *x = a->bucket[i], *next; x; x = next) {
            next = x->next;
            x->next = b[x->hash & (n - 1)];
            b[x->hash & (n - 1)] = x;
        }
    }
    free(a->bucket);
    a->bucket = b;
    a->nbucket = n;
    return 0;
}

/* The shared entry of 'text' (parsed on first use), or NULL with 'err' set. */
static struct spec *spec_get(sim_eng_t *a, uint64_t jobid, const char *text,
                             eng_error_t *err)
{
    size_t len = strlen(text);
    uint64_t h = text_hash(text, len);
    if (a->nbucket) {
        for (struct spec *x = a->bucket[h & (a->nbucket - 1)]; x; x = x->next)
            if (x->hash == h && x->len == len && memcmp(x->text, text, len) == 0)
                return x;
    }
    if (a->nspec >= a->nbucket && buckets_grow(a) < 0) {
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
        return NULL;
    }
    char source[64];
    snprintf(source, sizeof source, "<job %llu>", (unsigned long long)jobid);
    jobspec_t *js = jobspec_parse(text, len, source, err);
    if (!js)
        return NULL;
    struct spec *x = calloc(1, sizeof *x);
    if (!x || !(x->text = malloc(len + 1))) {
        free(x);
        jobspec_destroy(js);
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
        return NULL;
    }
    memcpy(x->text, text, len + 1);
    x->len = len;
    x->hash = h;
    x->js = js;
    x->next = a->bucket[h & (a->nbucket - 1)];
    a->bucket[h & (a->nbucket - 1)] = x;
    a->nspec++;
    return x;
}

static void spec_release(sim_eng_t *a, struct spec *x)
{
    if (--x->refs > 0)
        return;
    for (struct spec **p = &a->bucket[x->hash & (a->nbucket - 1)]; *p; p = &(*p)->next) {
        if (*p == x) {
            *p = x->next;
            break;
        }
    }
    a->nspec--;
    jobspec_destroy(x->js);
    free(x->text);
    free(x);
}

/* Job 'jobid''s shared jobspec entry, looked up on its first match. */
static struct spec *job_spec(sim_eng_t *a, uint64_t jobid, const char *text,
                             eng_error_t *err)
{
    if (jobid >= a->njobs) {
        size_t n = a->njobs ? a->njobs : 1024;
        while (n <= jobid)
            n *= 2;
        struct spec **bj = realloc(a->by_job, n * sizeof *bj);
        if (!bj) {
            eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
            return NULL;
        }
        memset(bj + a->njobs, 0, (n - a->njobs) * sizeof *bj);
        a->by_job = bj;
        a->njobs = n;
    }
    if (!a->by_job[jobid]) {
        struct spec *x = spec_get(a, jobid, text, err);
        if (!x)
            return NULL;
        x->refs++;
        a->by_job[jobid] = x;
    }
    return a->by_job[jobid];
}

static enum eng_match_op engine_op(enum sim_match_op op)
{
    switch (op) {
    case SIM_MATCH_ALLOCATE:
        return ENG_MATCH_ALLOCATE;
    case SIM_MATCH_ORELSE_RESERVE:
        return ENG_MATCH_ALLOCATE_ORELSE_RESERVE;
    case SIM_MATCH_SATISFIABILITY:
        return ENG_MATCH_SATISFIABILITY;
    case SIM_MATCH_RESERVE_LATER:
        return ENG_MATCH_RESERVE_LATER;
    }
    return ENG_MATCH_UNKNOWN;
}

static int ae_match(void *ctx, enum sim_match_op op, uint64_t jobid, const char *jobspec,
                    struct sim_match_out *out, eng_error_t *err)
{
    sim_eng_t *a = ctx;
    struct spec *x = job_spec(a, jobid, jobspec, err);
    if (!x)
        return err && err->code ? err->code : ENG_EPARSE;
    const jobspec_t *js = x->js;
    struct eng_match_result res;
    bool sat = op == SIM_MATCH_SATISFIABILITY;
    int rc;
    if (sat && x->sat_epoch == a->status_epoch + 1)
        return x->sat;
    uint64_t order = eng_order_version(a->e);
    rc = eng_match(a->e, engine_op(op), js, jobid, sat ? NULL : a->w, &res, err);
    if (sat && (rc == 0 || rc == ENG_ENOMATCH || rc == ENG_EBUSY)) {
        x->sat = rc;
        x->sat_epoch = a->status_epoch + 1;
    }
    if (rc < 0 || sat)
        return rc;
    out->at = res.at;
    out->reserved = res.reserved;
    out->reordered = eng_order_version(a->e) != order;
    if (res.reserved) {
        rwrite_reset(a->w);
        return 0;
    }
    if ((rc = rwrite_take_rlite(a->w, &out->r_lite, &out->nodelist, err)) < 0) {
        rwrite_reset(a->w);
        eng_cancel(a->e, jobid, true, NULL); /* no side effect on failure */
        free(out->r_lite);
        free(out->nodelist);
        out->r_lite = out->nodelist = NULL;
    }
    return rc;
}

static int ae_cancel(void *ctx, uint64_t jobid, bool final, eng_error_t *err)
{
    sim_eng_t *a = ctx;
    if (final && jobid < a->njobs && a->by_job[jobid]) {
        spec_release(a, a->by_job[jobid]);
        a->by_job[jobid] = NULL;
    }
    return eng_cancel(a->e, jobid, true, err);
}

/* The containment path of the node named 'name', into 'buf'. */
static int node_path(const rg_graph_t *g, const char *name, char *buf, size_t size)
{
    rg_sym_t node = rg_sym_find(g, "node"), sym = rg_sym_find(g, name);
    if (node == RG_SYM_NONE || sym == RG_SYM_NONE)
        return ENG_ENOENT;
    for (rg_vid_t v = rg_vertex_first_of_type(g, node); v != RG_VID_NONE;
         v = rg_vertex_next_of_type(g, v))
        if (rg_vertex_get(g, v)->name == sym)
            return rg_vertex_path(g, v, RG_SYM_CONTAINMENT, buf, size) < 0 ? ENG_ENOENT
                                                                           : 0;
    return ENG_ENOENT;
}

static int ae_set_status(void *ctx, const char *name, bool up, eng_error_t *err)
{
    sim_eng_t *a = ctx;
    char path[RG_PATH_MAX];
    if (name[0] != '/' && node_path(eng_graph(a->e), name, path, sizeof path) < 0)
        return eng_errorf(err, ENG_ENOENT, NULL, 0, 0, "no node named '%s'", name);
    a->status_epoch++; /* satisfiability answers may change */
    int rc = eng_status_set(a->e, name[0] == '/' ? name : path, up, err);
    if (rc < 0)
        return eng_errorf(err, rc, NULL, 0, 0, "cannot mark '%s' %s", name,
                          up ? "up" : "down");
    return 0;
}

/* Cores under 'v' in the containment subsystem (a tree). */
static int64_t cores_under(const rg_graph_t *g, rg_vid_t v, rg_sym_t core)
{
    int64_t n = 0;
    for (rg_eid_t ed = rg_out_first(g, v, RG_SYM_CONTAINMENT); ed != RG_EID_NONE;
         ed = rg_out_next(g, ed, RG_SYM_CONTAINMENT)) {
        const struct rg_edge *x = rg_edge_get(g, ed);
        if (x->relation != RG_SYM_CONTAINS)
            continue;
        n += rg_vertex_get(g, x->dst)->type == core ? 1 : cores_under(g, x->dst, core);
    }
    return n;
}

int64_t sim_eng_min_node_cores(const eng_t *e)
{
    const rg_graph_t *g = e ? eng_graph(e) : NULL;
    rg_sym_t node = g ? rg_sym_find(g, "node") : RG_SYM_NONE;
    rg_sym_t core = g ? rg_sym_find(g, "core") : RG_SYM_NONE;
    if (node == RG_SYM_NONE || core == RG_SYM_NONE)
        return 0;
    int64_t min = -1;
    for (rg_vid_t v = rg_vertex_first_of_type(g, node); v != RG_VID_NONE;
         v = rg_vertex_next_of_type(g, v)) {
        int64_t n = cores_under(g, v, core);
        if (min < 0 || n < min)
            min = n;
    }
    return min < 0 ? 0 : min;
}

/* Resource types counted, in enum sim_unit order. */
static const char *const unit_types[SIM_UNIT_COUNT] = {"node", "core", "gpu"};

static void ae_totals(void *ctx, int64_t totals[SIM_UNIT_COUNT])
{
    sim_eng_t *a = ctx;
    const rg_graph_t *g = eng_graph(a->e);
    for (int u = 0; u < SIM_UNIT_COUNT; u++) {
        rg_sym_t t = rg_sym_find(g, unit_types[u]);
        totals[u] = t == RG_SYM_NONE ? 0 : (int64_t)rg_graph_type_count(g, t);
    }
}

const struct sim_rapi_ops sim_eng_ops = {
    .name = "engine",
    .set_time = ae_set_time,
    .match = ae_match,
    .cancel = ae_cancel,
    .set_status = ae_set_status,
    .totals = ae_totals,
};
