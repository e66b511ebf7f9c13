/* eng.c: the engine handle: options, graph ownership, per-vertex arrays, the
 * job table, time, status and statistics.  The (vertex, job) records and
 * the exclusivity checker are in eng_vjob.c, the match operations in
 * eng_match.c, the traversal in trav*.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eng_private.h"
#include "graph_load.h"
#include "idset.h"
#include "jgf.h"
#include "planner_private.h"

enum { SSTACK_CAP = 3 * (RG_DEPTH_MAX + 8) };

/* ---- names ------------------------------------------------------------------ */

static const char *const op_names[] = {
    "unknown",
    "allocate",
    "allocate_with_satisfiability",
    "allocate_orelse_reserve",
    "satisfiability",
    "without_allocating",
    "without_allocating_future",
};

const char *eng_match_op_name(enum eng_match_op op)
{
    if (op == ENG_MATCH_RESERVE_LATER)
        return "reserve_later"; /* schedsim's own: eng_match_op_parse() knows only
                                   Fluxion's */
    if ((unsigned)op >= sizeof op_names / sizeof op_names[0])
        return "unknown";
    return op_names[op];
}

enum eng_match_op eng_match_op_parse(const char *name)
{
    if (!name)
        return ENG_MATCH_UNKNOWN;
    for (unsigned i = 1; i < sizeof op_names / sizeof op_names[0]; i++)
        if (strcmp(name, op_names[i]) == 0)
            return (enum eng_match_op)i;
    return ENG_MATCH_UNKNOWN;
}

const char *eng_job_state_name(enum eng_job_state st)
{
    static const char *const n[] = {"INIT", "ALLOCATED", "RESERVED", "CANCELED", "ERROR"};
    if ((unsigned)st >= sizeof n / sizeof n[0])
        return "UNKNOWN";
    return n[st];
}

/* resource-query's -S names: the dominant subsystem, then the auxiliary ones
 * in Fluxion's order (trav_aux.c). */
static const struct {
    const char *name, *dom, *aux;
} subsys_tab[] = {
    {"CA", "containment", ""},
    {"IBA", "ibnet", ""},
    {"IBBA", "ibnetbw", ""},
    {"PA", "power", ""},
    {"PFS1BA", "pfs1bw", ""},
    {"C+IBA", "containment", "ibnet"},
    {"C+IBBA", "containment", "ibnetbw"},
    {"C+PA", "containment", "power"},
    {"C+PFS1BA", "containment", "pfs1bw"},
    {"IB+IBBA", "ibnet", "ibnetbw"},
    {"C+P+IBA", "containment", "power,ibnet"},
    {"V+PFS1BA", "virtual1", "pfs1bw"},
    {"VA", "virtual1", ""},
    {"ALL", "containment", "ibnet,ibnetbw,pfs1bw,power"},
};

/* The table index of set 'name' (or its lower-case form), or -1. */
static int subsys_find(const char *name)
{
    for (size_t i = 0; i < sizeof subsys_tab / sizeof subsys_tab[0]; i++) {
        const char *a = subsys_tab[i].name;
        size_t k = 0;
        bool lower = true;
        for (; a[k] && name[k]; k++) {
            char l = (char)(a[k] >= 'A' && a[k] <= 'Z' ? a[k] - 'A' + 'a' : a[k]);
            if (name[k] != l)
                lower = false;
        }
        if (strcmp(a, name) == 0 || (lower && !a[k] && !name[k]))
            return (int)i;
    }
    return -1;
}

static const char *subsys_dom(const char *name)
{
    int i = subsys_find(name);
    return i < 0 ? NULL : subsys_tab[i].dom;
}

/* ---- messages --------------------------------------------------------------- */

void eng__msg_clear(eng_t *e)
{
    e->msg_len = 0;
    if (e->msg)
        e->msg[0] = '\0';
}

/* Make room for 'need' more bytes plus the NUL; false if that fails (the
 * buffer is then as before). */
static bool msg_reserve(eng_t *e, size_t need)
{
    if (e->msg_cap - e->msg_len > need)
        return true;
    size_t cap = e->msg_cap ? e->msg_cap : 256;
    while (cap - e->msg_len <= need) {
        if (cap > SIZE_MAX / 2)
            return false;
        cap *= 2;
    }
    char *p = realloc(e->msg, cap);
    if (!p)
        return false;
    if (!e->msg)
        p[0] = '\0';
    e->msg = p;
    e->msg_cap = cap;
    return true;
}

void eng__msg_add(eng_t *e, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n >= 0 && (msg_reserve(e, (size_t)n) || e->msg_cap > e->msg_len + 1)) {
        /* on allocation failure, what fits in the current buffer */
        size_t room = e->msg_cap - e->msg_len;
        vsnprintf(e->msg + e->msg_len, room, fmt, ap2);
        e->msg_len += (size_t)n < room ? (size_t)n : room - 1;
    }
    va_end(ap2);
}

const char *eng_message(const eng_t *e)
{
    return e && e->msg ? e->msg : "";
}

/* ---- create / destroy ----------------------------------------------------------- */

static int check_prune_spec(const char *spec, eng_error_t *err)
{
    const char *s = spec;
    if (!*s)
        return 0;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        const char *colon = memchr(s, ':', len);
        bool hl = false, ll = false;
        for (const char *p = s; colon && p < colon; p++)
            hl = hl || (*p != ' ' && *p != '\t');
        for (const char *p = colon ? colon + 1 : s; colon && p < s + len; p++)
            ll = ll || (*p != ' ' && *p != '\t');
        if (!colon || !hl || !ll)
            return eng_errorf(err, ENG_EINVAL, NULL, 0, 0,
                              "malformed pruning filter '%.*s'", (int)len, s);
        if (!comma)
            break;
        s = comma + 1;
    }
    return 0;
}

eng_t *eng_create(const struct eng_options *o, eng_error_t *err)
{
    eng_error_clear(err);
    struct eng_options def = {0};
    if (!o)
        o = &def;
    eng_t *e = calloc(1, sizeof *e);
    if (!e) {
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    const char *trav = o->traverser ? o->traverser : "simple";
    const char *sub = o->subsystems ? o->subsystems : "CA";
    const char *spec = o->prune_filters ? o->prune_filters : "ALL:core,ALL:node";
    if (match__policy_parse(o->policy, &e->pol, err) < 0)
        goto fail;
    if (strcmp(trav, "simple") != 0 && strcmp(trav, "flexible") != 0) {
        eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "unknown traverser policy '%s'", trav);
        goto fail;
    }
    e->flexible = strcmp(trav, "flexible") == 0;
    if (!subsys_dom(sub)) {
        eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "unknown subsystem set '%s'", sub);
        goto fail;
    }
    if (check_prune_spec(spec, err) < 0)
        goto fail;
    e->prune_spec = strdup(spec);
    e->subsys_name = strdup(sub);
    e->sstack = calloc(SSTACK_CAP, sizeof *e->sstack);
    e->capsstack = SSTACK_CAP;
    if (!e->prune_spec || !e->subsys_name || !e->sstack) {
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
        goto fail;
    }
    e->graph_end = ENG_SYSTEM_MAX_DUR;
    e->mmin = 1e300;
    return e;
fail:
    eng_destroy(e);
    return NULL;
}

static void free_vertex_state(eng_t *e)
{
    for (size_t v = 0; v < e->vcap; v++) {
        planner_destroy(e->plans[v]);
        free(e->xs[v].iv);
        planner_multi_destroy(e->subplan[v]);
        free(e->oe[v]);
    }
}

void eng_destroy(eng_t *e)
{
    if (!e)
        return;
    free_vertex_state(e);
    eng__lazy_reset(e);
    free(e->msg);
    free(e->plans);
    free(e->xs);
    free(e->subplan);
    free(e->sp_idx);
    free(e->color);
    free(e->nalloc);
    free(e->nresv);
    free(e->ntag);
    free(e->label_seq);
    free(e->label);
    free(e->oe);
    free(e->noe);
    free(e->oe_dup);
    free(e->rmemo);
    free(e->subnow);
    free(e->ctypes);
    free(e->ndom);
    free(e->cur_tv);
    free(e->cur_tvr);
    for (size_t i = 0; i < e->njobs; i++) {
        free(e->jobs[i].tv);
        free(e->jobs[i].trec);
        eng__fp_release(e, e->jobs[i].fp);
    }
    free(e->e_needs);
    free(e->e_seq);
    free(e->e_weight);
    free(e->e_excl);
    free(e->type_rank);
    for (size_t i = 0; i < e->nsp_tabs; i++)
        free(e->sp_tabs[i]);
    free(e->sp_tabs);
    free(e->sp_tab_type);
    free(e->vj.slot);
    free(e->vj.head);
    free(e->vj.idx);
    for (size_t i = 0; i < e->capsstack && e->sstack; i++) {
        for (uint32_t k = 0; k < e->sstack[i].capev; k++) {
            free(e->sstack[i].ev[k].eg);
            free(e->sstack[i].ev[k].ed);
        }
        free(e->sstack[i].ev);
        free(e->sstack[i].ax);
    }
    free(e->sstack);
    free(e->jr);
    free(e->agg_buf);
    eng__replan_free(e);
    free(e->jobs);
    free(e->marked);
    free(e->mkeys);
    free(e->oe_pend);
    free(e->aux_path);
    eng__flex_free(e);
    free(e->flex_blocks);
    free(e->prune_spec);
    free(e->subsys_name);
    rg_graph_destroy(e->g);
    free(e);
}

/* ---- per-vertex and per-edge arrays ----------------------------------------------- */

#define GROW(arr, oldn, newn)                                                            \
    do {                                                                                 \
        void *p_ = realloc((arr), (newn) * sizeof *(arr));                               \
        if (!p_)                                                                         \
            return ENG_ENOMEM;                                                           \
        (arr) = p_;                                                                      \
        memset((arr) + (oldn), 0, ((newn) - (oldn)) * sizeof *(arr));                    \
    } while (0)

int eng__grow(eng_t *e)
{
    size_t nv = rg_graph_vid_bound(e->g), ne = rg_graph_eid_bound(e->g);
    if (nv > e->vcap) {
        GROW(e->plans, e->vcap, nv);
        GROW(e->xs, e->vcap, nv);
        GROW(e->subplan, e->vcap, nv);
        GROW(e->sp_idx, e->vcap, nv);
        GROW(e->color, e->vcap, nv);
        GROW(e->nalloc, e->vcap, nv);
        GROW(e->nresv, e->vcap, nv);
        GROW(e->ntag, e->vcap, nv);
        GROW(e->label_seq, e->vcap, nv);
        GROW(e->label, e->vcap, nv);
        GROW(e->oe, e->vcap, nv);
        GROW(e->noe, e->vcap, nv);
        GROW(e->oe_dup, e->vcap, nv);
        GROW(e->rmemo, e->vcap, nv);
        GROW(e->subnow, e->vcap, nv);
        GROW(e->ctypes, e->vcap, nv);
        GROW(e->ndom, e->vcap, nv);
        GROW(e->vj.head, e->vcap, nv);
        e->vcap = nv;
    }
    if (ne > e->ecap) {
        size_t old = e->ecap;
        GROW(e->e_needs, old, ne);
        GROW(e->e_seq, old, ne);
        GROW(e->e_weight, old, ne);
        GROW(e->e_excl, old, ne);
        for (size_t i = old; i < ne; i++)
            e->e_weight[i] = UINT64_MAX;
        e->ecap = ne;
    }
    size_t ns = rg_sym_count(e->g);
    if (ns > e->ntype_rank) {
        GROW(e->type_rank, e->ntype_rank, ns);
        static const char *const builtin[] = {
            "cluster", "core", "socket",   "gpu", "node",
            "rack",    "slot", "xor_slot", "ssd", "storage_node"};
        for (size_t s = e->ntype_rank; s < ns; s++) {
            const char *str = rg_sym_str(e->g, (rg_sym_t)s);
            e->type_rank[s] = 100 + (uint32_t)s;
            for (uint32_t b = 0; b < sizeof builtin / sizeof builtin[0]; b++)
                if (str && strcmp(str, builtin[b]) == 0)
                    e->type_rank[s] = b;
        }
        e->ntype_rank = ns;
    }
    return 0;
}

uint32_t eng__type_rank(eng_t *e, rg_sym_t type)
{
    if (type >= e->ntype_rank)
        eng__grow(e);
    return type < e->ntype_rank ? e->type_rank[type] : UINT32_MAX;
}

/* by_outedges: every out-edge of a vertex ordered by (weight, target uniq id),
 * both descending, weights starting at UINT64_MAX. */
static int cmp_oe_ctx_uniq(const void *a, const void *b, const eng_t *e)
{
    rg_eid_t x = *(const rg_eid_t *)a, y = *(const rg_eid_t *)b;
    uint64_t wx = e->e_weight[x], wy = e->e_weight[y];
    if (wx != wy)
        return wx > wy ? -1 : 1;
    int64_t ux = rg_vertex_get(e->g, rg_edge_get(e->g, x)->dst)->uniq_id;
    int64_t uy = rg_vertex_get(e->g, rg_edge_get(e->g, y)->dst)->uniq_id;
    return (ux < uy) - (ux > uy);
}

static void sort_oe(const eng_t *e, rg_eid_t *a, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) { /* insertion: degrees are small or pre-sorted */
        rg_eid_t v = a[i];
        uint32_t j = i;
        while (j > 0 && cmp_oe_ctx_uniq(&a[j - 1], &v, e) > 0) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Whether two of the 'n' out-edges 'a' lead to vertices of one uniq id.
 * 0 no, 1 yes, ENG_ENOMEM. */
static int oe_has_dup(const eng_t *e, const rg_eid_t *a, uint32_t n)
{
    if (n < 2)
        return 0;
    /* sorted as built: usually by uniq id alone, descending (all weights
     * equal), and then without a tie */
    bool desc = true;
    for (uint32_t i = 1; i < n && desc; i++)
        desc = rg_vertex_get(e->g, rg_edge_get(e->g, a[i])->dst)->uniq_id <
               rg_vertex_get(e->g, rg_edge_get(e->g, a[i - 1])->dst)->uniq_id;
    if (desc)
        return 0;
    int64_t *u = malloc(n * sizeof *u);
    if (!u)
        return ENG_ENOMEM;
    for (uint32_t i = 0; i < n; i++)
        u[i] = rg_vertex_get(e->g, rg_edge_get(e->g, a[i])->dst)->uniq_id;
    qsort(u, n, sizeof *u, cmp_i64);
    int dup = 0;
    for (uint32_t i = 1; i < n && !dup; i++)
        dup = u[i] == u[i - 1];
    free(u);
    return dup;
}

static int build_outedges(eng_t *e)
{
    size_t nv = rg_graph_vid_bound(e->g);
    for (rg_vid_t v = 0; v < nv; v++) {
        free(e->oe[v]);
        e->oe[v] = NULL;
        e->noe[v] = 0;
        e->oe_dup[v] = 0;
        e->ctypes[v].n = 0;
        e->ndom[v] = 0;
        if (!rg_vertex_is_live(e->g, v))
            continue;
        for (rg_eid_t ed = rg_out_first(e->g, v, e->dom); ed != RG_EID_NONE;
             ed = rg_out_next(e->g, ed, e->dom))
            e->ndom[v]++;
        struct ctypes *ct = &e->ctypes[v];
        for (rg_eid_t ed = rg_out_first(e->g, v, RG_SYM_NONE);
             ed != RG_EID_NONE && ct->n <= ENG_CTYPES_MAX;
             ed = rg_out_next(e->g, ed, RG_SYM_NONE)) {
            rg_sym_t t = rg_vertex_get(e->g, rg_edge_get(e->g, ed)->dst)->type;
            unsigned k = 0;
            while (k < ct->n && ct->t[k] != t)
                k++;
            if (k == ct->n && ct->n++ < ENG_CTYPES_MAX)
                ct->t[k] = t;
        }
        uint32_t n = 0;
        for (rg_eid_t ed = rg_out_first(e->g, v, RG_SYM_NONE); ed != RG_EID_NONE;
             ed = rg_out_next(e->g, ed, RG_SYM_NONE))
            n++;
        if (n == 0)
            continue;
        rg_eid_t *a = malloc(n * sizeof *a);
        if (!a)
            return ENG_ENOMEM;
        n = 0;
        for (rg_eid_t ed = rg_out_first(e->g, v, RG_SYM_NONE); ed != RG_EID_NONE;
             ed = rg_out_next(e->g, ed, RG_SYM_NONE))
            a[n++] = ed;
        /* reverse first: children usually come in increasing uniq id */
        for (uint32_t i = 0; i < n / 2; i++) {
            rg_eid_t t = a[i];
            a[i] = a[n - 1 - i];
            a[n - 1 - i] = t;
        }
        sort_oe(e, a, n);
        e->oe[v] = a;
        e->noe[v] = n;
        int dup = oe_has_dup(e, a, n);
        if (dup < 0)
            return dup;
        e->oe_dup[v] = (uint8_t)dup;
    }
    return 0;
}

static void count_nodes_up(eng_t *e)
{
    e->nodes_up = 0;
    for (rg_vid_t v = rg_vertex_first_of_type(e->g, e->sym_node); v != RG_VID_NONE;
         v = rg_vertex_next_of_type(e->g, v))
        e->nodes_up += rg_vertex_status(e->g, v) == RG_STATUS_UP ? 1 : -1;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double eng__clock(void);
double eng__clock(void)
{
    return now_s();
}

/* (Re)build everything derived from the graph: arrays, out-edge order,
 * pruning filters, and ('count_nodes') the count of nodes up.  Fluxion's
 * traverser initialize(); its nodes_up is counted when the graph is loaded
 * (resource_graph_db_t::load) and moved by status changes only, so attach
 * and remove leave it as it was. */
static int rebuild(eng_t *e, bool outedges, bool count_nodes, eng_error_t *err)
{
    eng__lazy_reset(e); /* the subtrees may have changed */
    e->gen++;           /* and so may what an update plants */
    if (eng__grow(e) < 0)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    memset(e->subnow, 0, e->vcap * sizeof *e->subnow); /* the aggregates may change */
    if (outedges && build_outedges(e) < 0)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = prune__spec_parse(e, e->prune_spec, err);
    if (rc < 0)
        return rc;
    if (eng__grow(e) < 0) /* the spec may have interned types */
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    if ((rc = prune__prime(e, err)) < 0)
        return rc;
    if (count_nodes)
        count_nodes_up(e);
    return 0;
}

int eng_graph_take(eng_t *e, rg_graph_t *g, eng_error_t *err)
{
    eng_error_clear(err);
    if (!e || !g) {
        rg_graph_destroy(g);
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no engine or graph");
        if (e->pend.on) {
            int src = eng__settle_err(e, err);
            if (src < 0)
                return src;
        }
    }
    if (e->g) {
        rg_graph_destroy(g);
        return eng_errorf(err, ENG_ESTATE, NULL, 0, 0, "the engine already has a graph");
    }
    double t0 = now_s();
    e->g = g;
    e->dom = rg_sym_intern(g, subsys_dom(e->subsys_name));
    e->sym_node = rg_sym_intern(g, "node");
    e->sym_cluster = rg_sym_intern(g, "cluster");
    e->sym_slot = rg_sym_intern(g, "slot");
    e->sym_storage_node = rg_sym_intern(g, "storage_node");
    e->sym_xor_slot = rg_sym_intern(g, "xor_slot");
    e->agg_buf = calloc(ENG_PRUNE_TYPES_MAX, sizeof *e->agg_buf);
    int rc = e->agg_buf ? 0 : eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc == 0 && rg_graph_root(g, e->dom) == RG_VID_NONE)
        rc = eng_errorf(err, ENG_ENOTSUP, NULL, 0, 0,
                        "subsystem '%s' has no root in the resource graph",
                        rg_sym_str(g, e->dom));
    if (rc == 0)
        rc = trav__aux_bind(e, subsys_tab[subsys_find(e->subsys_name)].aux, err);
    if (rc == 0)
        rc = rebuild(e, true, true, err);
    if (rc == 0 && e->pol.node_exclusive)
        eng__xtype_add(e, e->sym_node);
    if (rc < 0) {
        free_vertex_state(e);
        if (e->vcap) { /* 0 (arrays NULL) when it failed before they grew */
            memset(e->plans, 0, e->vcap * sizeof *e->plans);
            memset(e->xs, 0, e->vcap * sizeof *e->xs);
            memset(e->subplan, 0, e->vcap * sizeof *e->subplan);
            memset(e->oe, 0, e->vcap * sizeof *e->oe);
        }
        rg_graph_destroy(e->g);
        e->g = NULL;
        return rc;
    }
    e->load_s = now_s() - t0;
    return 0;
}

int eng_graph_load(eng_t *e, const char *text, size_t len, const char *format,
                   const char *source, eng_error_t *err)
{
    eng_error_clear(err);
    if (!e || !text)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no engine or text");
    if (e->pend.on) {
        int src = eng__settle_err(e, err);
        if (src < 0)
            return src;
    }
    double t0 = now_s();
    rg_graph_t *g = graph_load_parse(text, len, format, source, NULL, err);
    if (!g)
        return err ? err->code : ENG_EPARSE;
    int rc = eng_graph_take(e, g, err);
    if (rc == 0)
        e->load_s = now_s() - t0;
    return rc;
}

const rg_graph_t *eng_graph(const eng_t *e)
{
    return e ? e->g : NULL;
}

/* ---- the aggregates' free counts now ---------------------------------------------- */

size_t eng__sub_last_at_fill(eng_t *e, rg_vid_t v, int64_t at, int64_t *avail,
                             size_t *nspans)
{
    planner_multi_t *mp = e->subplan[v];
    size_t len = planner_multi__last_at(mp, at, avail, nspans);
    if (len == 0 || *avail < 0)
        return len;
    /* the answer is the free count of the last planner's point at or
     * before 'at', which holds up to its next point (or the planner's end) */
    const planner_t *p = planner_multi_planner_at(mp, len - 1);
    struct pt_values pv;
    if (!planner__ps_floor(&p->pts, at, &pv))
        return len;
    int64_t next = planner__ps_next(&p->pts, pv.at);
    int64_t hi = p->end < INT64_MAX ? p->end + 1 : INT64_MAX;
    if (next >= 0 && next < hi)
        hi = next;
    e->subnow[v] =
        (struct sub_now){pv.at > p->base ? pv.at : p->base, hi, *avail, *nspans};
    return len;
}

/* ---- jobs -------------------------------------------------------------------------- */

static size_t job_lower(const eng_t *e, uint64_t jobid)
{
    size_t lo = 0, hi = e->njobs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (e->jobs[mid].info.jobid < jobid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

struct eng_job *eng__job_find(const eng_t *e, uint64_t jobid)
{
    size_t i = job_lower(e, jobid);
    return i < e->njobs && e->jobs[i].info.jobid == jobid ? &e->jobs[i] : NULL;
}

int eng__job_put(eng_t *e, const struct eng_job_info *info)
{
    struct eng_job *j = eng__job_find(e, info->jobid);
    if (j) {
        j->info = *info;
        free(j->tv);
        j->tv = NULL;
        j->ntv = 0;
        eng__fp_release(e, j->fp);
        j->fp = NULL;
        free(j->trec);
        j->trec = NULL;
        return 0;
    }
    if (e->njobs == e->capjobs) {
        size_t cap = e->capjobs ? 2 * e->capjobs : 64;
        struct eng_job *n = realloc(e->jobs, cap * sizeof *n);
        if (!n)
            return ENG_ENOMEM;
        e->jobs = n;
        e->capjobs = cap;
    }
    size_t i = job_lower(e, info->jobid);
    memmove(&e->jobs[i + 1], &e->jobs[i], (e->njobs - i) * sizeof *e->jobs);
    e->jobs[i] = (struct eng_job){.info = *info};
    e->njobs++;
    return 0;
}

void eng__job_drop(eng_t *e, struct eng_job *j)
{
    size_t i = (size_t)(j - e->jobs);
    free(j->tv);
    free(j->trec);
    eng__fp_release(e, j->fp);
    /* O(live jobs) move; cancels mostly hit old (low) ids, so a hash table
     * would not pay for itself in the simulator's FIFO-like pattern */
    memmove(&e->jobs[i], &e->jobs[i + 1], (e->njobs - i - 1) * sizeof *e->jobs);
    e->njobs--;
    e->jobs_done++;
}

void eng__job_take_tagged(eng_t *e, uint64_t jobid)
{
    struct eng_job *j = eng__job_find(e, jobid);
    if (!j || e->cur_tv_oom)
        return;
    rg_vid_t *tv = malloc((e->ncur_tv + 1) * sizeof *tv);
    if (!tv)
        return;
    memcpy(tv, e->cur_tv, e->ncur_tv * sizeof *tv);
    free(j->tv);
    j->tv = tv;
    j->ntv = (uint32_t)e->ncur_tv;
    free(j->trec);
    j->trec = NULL;
    /* a reservation that may be re-planned in place: its records too */
    if (e->fp_new && (j->trec = malloc((e->ncur_tv + 1) * sizeof *j->trec)))
        memcpy(j->trec, e->cur_tvr, e->ncur_tv * sizeof *j->trec);
}

void eng__job_merge_tagged(eng_t *e, struct eng_job *j)
{
    free(j->trec); /* a reused id is never re-planned in place */
    j->trec = NULL;
    if (!j->tv)
        return; /* unknown already: cancel walks the tree */
    rg_vid_t *tv =
        e->cur_tv_oom ? NULL : realloc(j->tv, (j->ntv + e->ncur_tv + 1) * sizeof *tv);
    if (!tv) {
        free(j->tv);
        j->tv = NULL;
        j->ntv = 0;
        return;
    }
    memcpy(tv + j->ntv, e->cur_tv, e->ncur_tv * sizeof *tv);
    j->tv = tv;
    j->ntv += (uint32_t)e->ncur_tv;
}

int eng_job_info(const eng_t *e, uint64_t jobid, struct eng_job_info *info,
                 eng_error_t *err)
{
    eng_error_clear(err);
    if (!e || !info)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid argument");
    const struct eng_job *j = eng__job_find(e, jobid);
    if (!j)
        return eng_errorf(err, ENG_ENOENT, NULL, 0, 0, "nonexistent job %llu",
                          (unsigned long long)jobid);
    *info = j->info;
    return 0;
}

bool eng_job_first(const eng_t *e, struct eng_job_info *info)
{
    if (!e || !info || e->njobs == 0)
        return false;
    *info = e->jobs[0].info;
    return true;
}

bool eng_job_next(const eng_t *e, uint64_t prev, struct eng_job_info *info)
{
    if (!e || !info || prev == UINT64_MAX)
        return false;
    size_t i = job_lower(e, prev + 1);
    if (i >= e->njobs)
        return false;
    *info = e->jobs[i].info;
    return true;
}

/* ---- time and stats --------------------------------------------------------------- */

int eng_time_set(eng_t *e, int64_t t)
{
    if (!e || t < e->now || t >= e->graph_end)
        return ENG_EINVAL;
    int rc = eng__settle(e);
    if (rc < 0)
        return rc;
    e->now = t;
    return 0;
}

void eng_set_write_reservations(eng_t *e, bool on)
{
    if (!e)
        return;
    eng__settle(e); /* a setting the update reads: no reservation is kept across */
    e->gen++;
    e->unwritten_resv = !on;
}

void eng_set_lazy_reservations(eng_t *e, bool on)
{
    if (!e)
        return;
    eng__settle(e); /* a setting the update reads: no reservation is kept across */
    e->gen++;
    e->lazy_resv = on;
}

void eng_set_lazy_allocations(eng_t *e, bool on)
{
    if (!e)
        return;
    eng__settle(e); /* a setting the update reads: no reservation is kept across */
    e->gen++;
    e->lazy_alloc = on;
}

uint64_t eng_order_version(const eng_t *e)
{
    return e ? e->order_version : 0;
}

uint64_t eng_kept_count(const eng_t *e)
{
    return e ? e->nkept : 0;
}

int64_t eng_time(const eng_t *e)
{
    return e ? e->now : 0;
}

void eng_stats_get(const eng_t *e, struct eng_stats *st)
{
    if (!st)
        return;
    memset(st, 0, sizeof *st);
    if (!e)
        return;
    if (e->g) {
        st->vertices = rg_graph_vertex_count(e->g);
        st->edges = rg_graph_edge_count(e->g);
    }
    st->jobs = e->njobs + e->jobs_done;
    st->matches = e->nmatch;
    st->load_s = e->load_s;
    if (e->nmatch) {
        st->match_min_s = e->mmin;
        st->match_max_s = e->mmax;
        st->match_avg_s = e->macc / (double)e->nmatch;
    }
    st->preorder = e->tot_pre;
    st->postorder = e->tot_post;
}

/* ---- status and properties ------------------------------------------------------- */

static rg_vid_t find_path(const eng_t *e, const char *path)
{
    return e->g && path ? rg_vertex_find_path(e->g, e->dom, path) : RG_VID_NONE;
}

static void subtree_nodes(eng_t *e, rg_vid_t v, int64_t *n)
{
    const struct rg_vertex *x = rg_vertex_get(e->g, v);
    if (x->type == e->sym_node)
        *n += x->size;
    for (rg_eid_t ed = rg_out_first(e->g, v, e->dom); ed != RG_EID_NONE;
         ed = rg_out_next(e->g, ed, e->dom))
        subtree_nodes(e, rg_edge_get(e->g, ed)->dst, n);
}

planner_t *eng__plan_new(eng_t *e, rg_vid_t v)
{
    const struct rg_vertex *gv = rg_vertex_get(e->g, v);
    e->plans[v] =
        planner_create(0, ENG_PLAN_DURATION, gv->size, rg_sym_str(e->g, gv->type), NULL);
    planner__set_sink(e->plans[v], &e->sink);
    return e->plans[v];
}

int eng_status_set(eng_t *e, const char *path, bool up, eng_error_t *err)
{
    eng_error_clear(err);
    if (!e)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid argument");
    if (e->pend.on) {
        int src = eng__settle_err(e, err);
        if (src < 0)
            return src;
    }
    eng__msg_clear(e);
    rg_vid_t v = find_path(e, path);
    if (v == RG_VID_NONE) {
        eng__msg_add(e, "mark: could not find subtree path (%s) in resource graph.\n",
                     path ? path : "");
        return eng_errorf(err, ENG_ENOENT, NULL, 0, 0, "could not find path %s",
                          path ? path : "");
    }
    enum rg_status st = up ? RG_STATUS_UP : RG_STATUS_DOWN;
    if (rg_vertex_status(e->g, v) == st)
        return 0;
    rg_vertex_status_set(e->g, v, st);
    e->sel_ver++; /* what a select reads changed */
    int64_t n = 0;
    subtree_nodes(e, v, &n);
    e->nodes_up += up ? n : -n;
    return 0;
}

int eng_status_get(const eng_t *e, const char *path, bool *up, eng_error_t *err)
{
    eng_error_clear(err);
    if (!e || !up)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid argument");
    rg_vid_t v = find_path(e, path);
    if (v == RG_VID_NONE)
        return eng_errorf(err, ENG_ENOENT, NULL, 0, 0, "could not find path %s",
                          path ? path : "");
    *up = rg_vertex_status(e->g, v) == RG_STATUS_UP;
    return 0;
}

/* The root of a rank's subtree: its vertex with the shortest path. */
rg_vid_t eng__rank_root(const eng_t *e, int64_t rank);
rg_vid_t eng__rank_root(const eng_t *e, int64_t rank)
{
    rg_vid_t best = RG_VID_NONE;
    int bestlen = 0;
    char buf[RG_PATH_MAX];
    for (rg_vid_t v = rg_vertex_first_of_rank(e->g, rank); v != RG_VID_NONE;
         v = rg_vertex_next_of_rank(e->g, v)) {
        int len = rg_vertex_path(e->g, v, e->dom, buf, sizeof buf);
        if (len < 0)
            continue;
        if (best == RG_VID_NONE || len < bestlen) {
            best = v;
            bestlen = len;
        }
    }
    return best;
}

int eng_status_set_ranks(eng_t *e, const char *ranks, bool up, eng_error_t *err)
{
    eng_error_clear(err);
    if (!e || !e->g || !ranks)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid argument");
    if (e->pend.on) {
        int src = eng__settle_err(e, err);
        if (src < 0)
            return src;
    }
    idset_t *ids = idset_decode(ranks, -1, NULL, err);
    if (!ids)
        return err ? err->code : ENG_EPARSE;
    enum rg_status st = up ? RG_STATUS_UP : RG_STATUS_DOWN;
    int64_t total = 0;
    for (unsigned id = idset_first(ids); id != IDSET_INVALID_ID;
         id = idset_next(ids, id)) {
        rg_vid_t r = eng__rank_root(e, (int64_t)id);
        if (r == RG_VID_NONE || rg_vertex_status(e->g, r) == st)
            continue;
        rg_vertex_status_set(e->g, r, st);
        e->sel_ver++;
        total++;
    }
    e->nodes_up += up ? total : -total;
    idset_destroy(ids);
    return 0;
}

int eng_property_set(eng_t *e, const char *path, const char *key, const char *value,
                     eng_error_t *err)
{
    eng_error_clear(err);
    if (!e || !key || !value)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid argument");
    if (e->pend.on) {
        int src = eng__settle_err(e, err);
        if (src < 0)
            return src;
    }
    rg_vid_t v = find_path(e, path);
    if (v == RG_VID_NONE)
        return eng_errorf(err, ENG_ENOENT, NULL, 0, 0, "could not find path %s",
                          path ? path : "");
    int rc = rg_vertex_prop_set(e->g, v, key, value);
    e->sel_ver++;
    if (rc < 0)
        return eng_errorf(err, rc, NULL, 0, 0, "cannot set property %s", key);
    return eng__grow(e) < 0 ? eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory")
                            : 0;
}

int eng__rebuild(eng_t *e, eng_error_t *err);
int eng__rebuild(eng_t *e, eng_error_t *err)
{
    return rebuild(e, true, false, err);
}

void eng__flex_free(eng_t *e)
{
    for (size_t i = 0; i < e->nflex_blocks; i++)
        free(e->flex_blocks[i]);
    e->nflex_blocks = 0;
}
