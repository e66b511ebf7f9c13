/* trav.c: the matching half of Fluxion's depth-first-and-up traversal
 * (dfu_impl_t::select and everything below it, resource/traversers at
 * fd257f71): visit the dominant subsystem depth first, prune subtrees that
 * cannot help (status, RFC 31 constraint, availability, exclusivity, subtree
 * aggregates), score what the request tree needs bottom-up through the match
 * policy, and mark the chosen edges with (needs, exclusive, sequence number)
 * for the update walk in trav_update.c.
 *
 * Functions return 0 or a negative code that plays the part of Fluxion's
 * errno: ENG_EBUSY (not here / not now), ENG_ENOMATCH (ENODEV: the request
 * cannot be resolved at the root), ENG_EINVAL (inconsistent request, with a
 * message), ENG_ENOMEM. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "eng_private.h"
#include "match_inline.h"
#include "planner_private.h"
#include "trav_inline.h"

enum match_spec { SPEC_NONE, SPEC_PRISTINE_NONE, SPEC_RESOURCE, SPEC_SLOT };

/* The steps of a visit, inlined into it: each is small, and GCC, left to
 * itself, calls them (a tenth of a visit's instructions went into calls). */
#if defined(__GNUC__)
#define VISIT_STEP static inline __attribute__((always_inline))
#else
#define VISIT_STEP static inline
#endif

struct req {
    const jobspec_resource_t *rs;
    size_t n;
};

static int dom_dfv_(eng_t *e, const struct jobmeta *m, rg_vid_t u, struct req r,
                    bool pristine, bool *excl, struct scoring *to_parent, int64_t avail);
VISIT_STEP int dom_dfv(eng_t *e, const struct jobmeta *m, rg_vid_t u, struct req r,
                       bool pristine, bool *excl, struct scoring *to_parent,
                       int64_t avail);

static rg_sym_t rtype(const eng_t *e, const jobspec_resource_t *r)
{
    return e->jr[r->index].type;
}

/* The first out-edge from 'ed' on (inclusive) in the dominant subsystem
 * whose target is live: rg_out_first()/rg_out_next() without the calls. */
bool trav__in_dom(const eng_t *e, rg_eid_t ed)
{
    return E(e, ed)->subsystem == e->dom;
}

static bool stop_explore(const eng_t *e, rg_eid_t ed)
{
    return e->color[E(e, ed)->dst] > e->color_base;
}

void trav__tick(eng_t *e)
{
    e->vx = rg_vertex_array(e->g);
    e->ex = rg_edge_array(e->g);
    e->seq++;
    e->color_base += 3;
    e->nmarked = 0;
    e->marked_oom = false;
    e->sub_res = NULL;
}

/* Whether the list's facts (list_prime()) are known: the simple
 * traverser's lists, not the flexible one's copies. */
static bool primed(const eng_t *e, size_t n)
{
    return !e->flexible && n > 0;
}

static bool excl_of(const eng_t *e, const jobspec_resource_t *rs, size_t n, rg_sym_t type)
{
    if (primed(e, n) && !e->jr[rs[0].index].lx)
        return false;
    for (size_t i = 0; i < n; i++)
        if (rtype(e, &rs[i]) == type && rs[i].exclusive == JOBSPEC_EXCL_TRUE)
            return true;
    return false;
}

/* Called before any walk has bound e->vx: reads the graph directly. */
bool trav__exclusivity(eng_t *e, const jobspec_resource_t *rs, size_t n, rg_vid_t u)
{
    return excl_of(e, rs, n, rg_vertex_get(e->g, u)->type);
}

static const char *errtext(int code)
{
    return trav__errtext(code);
}

const char *trav__errtext(int code)
{
    switch (code) {
    case ENG_EINVAL:
        return "Invalid argument";
    case ENG_ELIMIT:
        return "Numerical result out of range";
    case ENG_ENOENT:
    case ENG_ENOMATCH:
        return "No such file or directory";
    case ENG_EBUSY:
        return "Device or resource busy";
    case ENG_ENOMEM:
        return "Cannot allocate memory";
    default:
        return "Unknown error";
    }
}

/* ---- planner access: vertex planners are created on first use -------------- */

VISIT_STEP int64_t plan_avail(const eng_t *e, rg_vid_t u, int64_t at, int64_t d)
{
    const planner_t *p = e->plans[u];
    if (!p)
        return V(e, u)->size;
    int64_t avail = planner__avail_resources_during(p, at, d);
    if (!e->gh_rec)
        return avail;
    /* eng__ghost_plan_avail() with the query inline: asked at every vertex
     * of the reservation (a call was a fifth of its cost) */
    const struct vjob *g = eng__ghost_during(e, u, at, d);
    return g && (g->flags & VJ_RESV) ? planner__avail_without(p, at, d, g->rspan, avail)
                                     : avail;
}

/* planner_multi__avail_during_ix() of the aggregate of 'u' for request
 * resource 'j' in the match's window, as the select sees it. */
VISIT_STEP int sub_avail(const eng_t *e, const struct jobmeta *m, rg_vid_t u,
                         const struct jres *j)
{
    const struct vjob *g = e->gh_rec ? eng__ghost_during(e, u, m->at, m->duration) : NULL;
    /* the query without the span asks each planner the plain question
     * first: instead of the plain query, not after it */
    if (g && (g->flags & VJ_AG))
        return planner_multi__avail_during_ix_without(e->subplan[u], m->at, m->duration,
                                                      e->sp_idx[u], j->ud, g->agspan);
    return planner_multi__avail_during_ix(e->subplan[u], m->at, m->duration, e->sp_idx[u],
                                          j->ud);
}

/* ---- pruning ------------------------------------------------------------------ */

/* 'avail': plan_avail() of the vertex for the match's window. */
/* Whether some span planned on 'u' ends after 'now'.  Fluxion treats any
 * live allocation on a vertex as holding it "now" (a job overrunning its
 * span); here, once the current time has moved past the end of every span,
 * the vertex is free again.  While the time stays 0, as in resource-query,
 * every live allocation ends after it, so the answer is Fluxion's. */
static bool plans_past(eng_t *e, rg_vid_t u, int64_t now)
{
    planner_t *p = e->plans[u];
    if (!p)
        return true;
    const struct vjob *g = eng__ghost(e, u);
    int64_t hidden = g && (g->flags & VJ_RESV) ? g->rspan : 0;
    for (int64_t id = planner_span_first(p); id > 0; id = planner_span_next(p)) {
        if (id == hidden)
            continue;
        int64_t start = planner_span_start(p, id), d = planner_span_duration(p, id);
        if (start < 0 || d < 0 || start > now - d)
            return true;
    }
    return false;
}

VISIT_STEP int by_excl(eng_t *e, const struct jobmeta *m, rg_vid_t u, bool x_in,
                       const jobspec_resource_t *r)
{
    if (x_in && r->exclusive == JOBSPEC_EXCL_FALSE) {
        eng__msg_add(e, "by_excl: exclusivity conflicts at jobspec=%s : vertex=%s",
                     r->label, rg_sym_str(e->g, V(e, u)->name));
        return ENG_EINVAL;
    }
    if (!x_in && r->exclusive != JOBSPEC_EXCL_TRUE)
        return 0;
    /* an overrunning allocation still holds the vertex "now" */
    if (m->at == m->now && (m->alloc_type == AT_ALLOC || m->alloc_type == AT_NO_ALLOC) &&
        e->nalloc[u] > 0 && plans_past(e, u, m->now))
        return ENG_EBUSY;
    const struct vjob *g = e->gh_rec ? eng__ghost_during(e, u, m->at, m->duration) : NULL;
    int64_t skip = g && (g->flags & VJ_X) ? g->xspan : -1;
    return eng__x_busy(e, u, m->at, m->duration, skip) ? ENG_EBUSY : 0;
}

VISIT_STEP int by_subplan(eng_t *e, const struct jobmeta *m, rg_vid_t u,
                          const jobspec_resource_t *r)
{
    if (!e->subplan[u] || !e->sp_idx[u])
        return 0;
    const struct jres *j = &e->jr[r->index];
    if (!j->has_ud)
        return 0;
    int rc = sub_avail(e, m, u, j);
    if (rc < 0 && rc != ENG_ELIMIT && rc != ENG_EBUSY)
        eng__msg_add(e, "by_subplan: planner_multi_avail_during returned -1.\n%s.\n",
                     errtext(rc));
    return rc < 0 ? ENG_EBUSY : 0;
}

int trav__by_excl(eng_t *e, const struct jobmeta *m, rg_vid_t u, bool x_in,
                  const jobspec_resource_t *r)
{
    return by_excl(e, m, u, x_in, r);
}

int trav__by_subplan(eng_t *e, const struct jobmeta *m, rg_vid_t u,
                     const jobspec_resource_t *r)
{
    return by_subplan(e, m, u, r);
}

struct vctx {
    const eng_t *e;
    rg_vid_t v;
};

static bool c_has_prop(const void *ctx, const char *name)
{
    const struct vctx *c = ctx;
    return rg_vertex_prop_get(c->e->g, c->v, name) != NULL;
}

static const char *c_name(const void *ctx)
{
    const struct vctx *c = ctx;
    return rg_sym_str(c->e->g, rg_vertex_get(c->e->g, c->v)->name);
}

static int64_t c_rank(const void *ctx)
{
    const struct vctx *c = ctx;
    return rg_vertex_get(c->e->g, c->v)->rank;
}

/* (request_feasible() matches constraints before any walk: no V() here) */
static const struct jobspec_vertex_ops vops = {c_has_prop, c_name, c_rank};

bool eng__constraint_match(const eng_t *e, const jobspec_constraint_t *c, rg_vid_t v)
{
    struct vctx ctx = {e, v};
    return jobspec_constraint_match(c, &vops, &ctx);
}

static int prune(eng_t *e, const struct jobmeta *m, bool x, rg_vid_t u, struct req r,
                 int64_t avail)
{
    int rc = prune_vertex(e, m, u, avail);
    if (rc < 0)
        return rc;
    const struct rg_vertex *v = V(e, u);
    if (e->flexible)
        return trav__flex_prune_resources(e, m, x, u, r.rs, r.n);
    for (size_t i = 0; i < r.n; i++) {
        const jobspec_resource_t *res = &r.rs[i];
        if (v->type != rtype(e, res) && !res->is_slot)
            continue;
        if (!res->is_slot && (rc = by_excl(e, m, u, x, res)) < 0)
            return rc == ENG_ELIMIT ? ENG_EBUSY : rc;
        if ((res != e->sub_res || u != e->sub_u) && (rc = by_subplan(e, m, u, res)) < 0)
            return ENG_EBUSY;
    }
    return 0;
}

/* ---- test: what the visiting vertex is to the request ------------------------ */

/* The request resource 'u' (of type 'type') matches, and the slot that
 * resource or the request itself holds, with its largest count (both primed
 * in e->jr, which saves a walk of the children at every visit). */
static int match_res(const eng_t *e, rg_sym_t type, struct req r,
                     const jobspec_resource_t **slot, unsigned *nslots,
                     const jobspec_resource_t **mres)
{
    bool matched = false;
    for (size_t i = 0; i < r.n; i++) {
        const jobspec_resource_t *res = &r.rs[i];
        const struct jres *j = &e->jr[res->index];
        if (j->type == type && !res->is_slot) {
            if (matched)
                return -1;
            *mres = res;
            if (j->slot) {
                *slot = j->slot;
                *nslots = e->jr[j->slot->index].emax;
            }
            matched = true;
        } else if (res->is_slot) {
            if (matched)
                return -1;
            *slot = res;
            *nslots = j->emax;
            matched = true;
        }
    }
    return 0;
}

VISIT_STEP bool slot_match(eng_t *e, rg_vid_t u, const jobspec_resource_t *slot)
{
    if (!slot)
        return false;
    const struct ctypes *ct = &e->ctypes[u];
    if (ct->n <= ENG_CTYPES_MAX) {
        /* the child types of 'u', gathered when the graph was loaded */
        for (size_t c = 0; c < slot->nwith; c++) {
            rg_sym_t t = rtype(e, &slot->with[c]);
            unsigned k = 0;
            while (k < ct->n && ct->t[k] != t)
                k++;
            if (k == ct->n)
                return false;
        }
        return true;
    }
    for (size_t c = 0; c < slot->nwith; c++) {
        rg_sym_t t = rtype(e, &slot->with[c]);
        rg_eid_t ed;
        for (ed = rg_out_first(e->g, u, RG_SYM_NONE); ed != RG_EID_NONE;
             ed = rg_out_next(e->g, ed, RG_SYM_NONE))
            if (V(e, E(e, ed)->dst)->type == t)
                break;
        if (ed == RG_EID_NONE)
            return false;
    }
    return true;
}

bool trav__slot_match(eng_t *e, rg_vid_t u, const jobspec_resource_t *slot)
{
    return slot_match(e, u, slot);
}

static struct req test(eng_t *e, rg_vid_t u, struct req r, bool *pristine,
                       unsigned *nslots, enum match_spec *spec)
{
    if (e->flexible) {
        struct req out = r;
        *spec = (enum match_spec)trav__flex_test(e, u, r.rs, r.n, pristine, nslots,
                                                 &out.rs, &out.n);
        return out;
    }
    const jobspec_resource_t *slot = NULL, *mres = NULL;
    if (match_res(e, V(e, u)->type, r, &slot, nslots, &mres) < 0) {
        eng__msg_add(e, "test: siblings in jobspec request same resource type : %s.\n",
                     rg_sym_str(e->g, V(e, u)->type));
        *spec = SPEC_NONE;
        return r;
    }
    if (slot_match(e, u, slot)) {
        *spec = SPEC_SLOT;
        *pristine = false;
        return (struct req){slot->with, slot->nwith};
    }
    if (mres) {
        *spec = SPEC_RESOURCE;
        *pristine = false;
        return (struct req){mres->with, mres->nwith};
    }
    *spec = *pristine ? SPEC_PRISTINE_NONE : SPEC_NONE;
    return r;
}

/* ---- exploring children ------------------------------------------------------ */

/* score__total() inline. */
static inline uint32_t total_of(struct scoring *s, rg_sym_t type)
{
    struct evals *ev = score_find_inl(s, type);
    return ev ? ev->total_count : 0;
}

VISIT_STEP int add_child(eng_t *e, struct scoring *dfu, rg_eid_t ed, bool x)
{
    uint32_t count = dfu->avail;
    struct eval_edge ev = {count, count, x, ed};
    struct egroup g = {.score = dfu->overall, .count = dfu->avail, .exclusive = x};
    return score_add_inl(e, dfu, V(e, E(e, ed)->dst)->type, &g, &ev, 1);
}

/* Prefetching the children about to be visited.  The root of a large system
 * has thousands of children whose records lie far apart (a node's subtree
 * is some 70 vertices), and a visit that rejects a node reads its edge, the
 * flags of its vertex record, its color, its planner pointer and the
 * planner, each a cache miss that the next read depends on.  Fetching them
 * some children ahead overlaps those misses: the edge record PF_AHEAD
 * children ahead, the vertex's lines half as far (its edge is cached by
 * then), the planner (its first three lines: the opaque planner_t keeps its
 * few points inline) a quarter as far.  Only what a rejected visit reads:
 * the memory system has room for some ten misses in flight, and lines a
 * passing visit needs besides are few.  Costs a few instructions per child;
 * changes no result.  16384 nodes, system full, 1-node request: about 2x
 * faster than without; fetching also the child types and the whole vertex
 * record was a third slower than this. */
#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif
enum { PF_AHEAD = 16 };
/* Fewer children than this fit in the caches anyway: no prefetching, whose
 * instructions then cost more than they save. */
enum { PF_MIN = 256 };

/* The target of edge 'ed', read for prefetching only.  The read is
 * volatile: GCC 12 otherwise drops a prefetch whose address needs a load
 * (and the load with it). */
static rg_vid_t peek_dst(const eng_t *e, rg_eid_t ed)
{
    return *(const volatile rg_vid_t *)&e->ex[ed].dst;
}

static void warm_vertex(const eng_t *e, rg_vid_t v)
{
    const char *rec = (const char *)&e->vx[v];
    PREFETCH(rec + offsetof(struct rg_vertex, flags));
    PREFETCH(&e->color[v]);
    PREFETCH(&e->plans[v]);
}

static void warm_children(const eng_t *e, const rg_eid_t *oe, uint32_t n, uint32_t k)
{
    if (k + PF_AHEAD < n)
        PREFETCH(&e->ex[oe[k + PF_AHEAD]]);
    if (k + PF_AHEAD / 2 < n)
        warm_vertex(e, peek_dst(e, oe[k + PF_AHEAD / 2]));
    if (k + PF_AHEAD / 4 < n) {
        const planner_t *p =
            *(planner_t *const volatile *)&e->plans[peek_dst(e, oe[k + PF_AHEAD / 4])];
        if (p) {
            PREFETCH(p);
            PREFETCH((const char *)p + 64);
            PREFETCH((const char *)p + 128);
        }
    }
}

/* The same along an out-edge list ('far' and 'near' run ahead of the walk,
 * over edges of every subsystem: a few wasted fetches at worst). */
static void warm_list(const eng_t *e, rg_eid_t *far, rg_eid_t *near)
{
    if (*far != RG_EID_NONE) {
        PREFETCH(&e->ex[*far]);
        *far = e->ex[*far].next_out;
    }
    if (*near != RG_EID_NONE) {
        warm_vertex(e, peek_dst(e, *near));
        *near = e->ex[*near].next_out;
    }
}

/* A visit of a vertex with nothing free in the window ('avail' 0) fails
 * with EBUSY in prune(), and everything dom_dfv_() does before that is free
 * of side effects except the visit count, unless the request list can match
 * the vertex twice (test() then writes a message; the flexible traverser
 * has its own test): count the visit and fail it without the call. */
static bool quick_ok(const eng_t *e, struct req r)
{
    return !e->flexible && (r.n == 0 || e->jr[r.rs[0].index].once);
}

/* 'ok': quick_ok() for the request list of the visit. */
static bool quick_reject(eng_t *e, bool ok, int64_t avail)
{
    if (avail != 0 || !ok)
        return false;
    e->preorder++;
    e->stale = ENG_EBUSY; /* as dom_dfv() records a failed visit */
    return true;
}

/* Likewise a visit that prune() fails at the subplan test: the first
 * resource of the list that the vertex's type matches (or a slot) is tested
 * first, and before that only by_excl() can fail, with EBUSY unless the
 * resource is explicitly not exclusive (then it may be EINVAL, with a
 * message: left to the full visit, as is a planner error that writes one).
 * A test that fails or a constraint that excludes the vertex fails it with
 * EBUSY just the same.  Rejects most of the busy nodes of a system allocated
 * by cores without the call, the request test and the pruning steps before
 * this one. */
VISIT_STEP bool sub_reject(eng_t *e, const struct jobmeta *m, rg_vid_t u, bool ok,
                           struct req r, int64_t avail)
{
    e->sub_res = NULL;
    if (!ok || avail <= 0 || !e->subplan[u] || !e->sp_idx[u])
        return false;
    rg_sym_t type = V(e, u)->type;
    for (size_t i = 0; i < r.n; i++) {
        const jobspec_resource_t *res = &r.rs[i];
        if (rtype(e, res) != type && !res->is_slot)
            continue;
        const struct jres *j = &e->jr[res->index];
        if ((!res->is_slot && res->exclusive == JOBSPEC_EXCL_FALSE) || !j->has_ud)
            return false;
        int rc = sub_avail(e, m, u, j);
        if (rc == 0) {
            e->sub_u = u;
            e->sub_res = res;
        }
        if (rc != ENG_EBUSY && rc != ENG_ELIMIT)
            return false;
        e->preorder++;
        e->stale = ENG_EBUSY;
        return true;
    }
    return false;
}

/* A child visited with an empty request list, outside the pristine top of
 * the walk, fails in test() (nothing to match: SPEC_NONE), after only its
 * visit count, whether or not anything of it is free (quick_reject() fails
 * it the same way), and the walk records EBUSY.  A vertex that a request
 * resource without children matched (a whole node, say) has its children
 * explored with such a list: count them without the planner queries and the
 * calls.  (The subplan test's memo, e->sub_res, is left as it is: it is
 * read only by the visit its own test preceded.)  The flexible traverser
 * has its own test. */
static bool bare(const eng_t *e, struct req r, bool pristine)
{
    return r.n == 0 && !pristine && !e->flexible;
}

static void count_bare(eng_t *e, uint32_t n)
{
    e->preorder += n;
    if (n)
        e->stale = ENG_EBUSY;
}

/* Note 'u' as explored by this select (see trav__select_forced()). */
static void xpl_push(eng_t *e, rg_vid_t u)
{
    if (e->nxpl == e->capxpl) {
        size_t cap = e->capxpl ? 2 * e->capxpl : 256;
        rg_vid_t *n = realloc(e->xpl, cap * sizeof *n);
        if (!n) {
            e->xpl_oom = true;
            return;
        }
        e->xpl = n;
        e->capxpl = cap;
    }
    e->xpl[e->nxpl++] = u;
}

/* Record child edge 'ed' of the root's loop (see struct pfx_rec), given
 * the visit counts and stale code from before it; the code it set, if any,
 * is taken out of eng.stale and the one before put back. */
static void pfx_push(eng_t *e, rg_eid_t ed, uint32_t pre0, uint32_t post0, int st0,
                     int64_t contrib)
{
    int st = e->stale;
    if (st == STALE_UNSET)
        e->stale = st0;
    if (e->npfx == e->cappfx) {
        size_t cap = e->cappfx ? 2 * e->cappfx : 256;
        struct pfx_rec *n = realloc(e->pfx, cap * sizeof *n);
        if (!n) {
            e->pfx_oom = true;
            return;
        }
        e->pfx = n;
        e->cappfx = cap;
    }
    e->pfx[e->npfx++] =
        (struct pfx_rec){ed, e->preorder - pre0, e->postorder - post0, st, contrib};
}

bool trav__taken_whole(const eng_t *e, rg_eid_t ed)
{
    return e->e_seq[ed] == e->seq &&
           e->e_needs[ed] == (uint64_t)V(e, E(e, ed)->dst)->size;
}

/* Whether the last select took whole every child of the dominant subsystem
 * of each vertex it explored, from the 'from'-th on. */
static bool explored_whole(const eng_t *e, size_t from)
{
    if (!e->pfx_on || e->xpl_oom)
        return false;
    for (size_t i = from; i < e->nxpl; i++)
        for (rg_eid_t ed = dom_from(e, V(e, e->xpl[i])->out_head); ed != RG_EID_NONE;
             ed = dom_from(e, E(e, ed)->next_out))
            if (!trav__taken_whole(e, ed))
                return false;
    return true;
}

bool trav__select_forced_below(const eng_t *e)
{
    return e->nxpl > 0 && e->xpl[0] == e->sel_root && explored_whole(e, 1);
}

bool trav__select_forced(const eng_t *e)
{
    return explored_whole(e, 0);
}

static int explore_statically(eng_t *e, const struct jobmeta *m, rg_vid_t u, struct req r,
                              bool pristine, bool *excl, struct scoring *dfu)
{
    int rc2 = ENG_EBUSY;
    if (bare(e, r, pristine)) {
        uint32_t n = 0;
        for (rg_eid_t ed = dom_from(e, V(e, u)->out_head); ed != RG_EID_NONE;
             ed = dom_from(e, E(e, ed)->next_out))
            n += !stop_explore(e, ed);
        count_bare(e, n);
        return rc2;
    }
    if (e->pfx_on)
        xpl_push(e, u);
    bool ok = quick_ok(e, r);
    rg_eid_t far = V(e, u)->out_head, near = far;
    for (int i = 0; i < PF_AHEAD && far != RG_EID_NONE; i++) {
        far = e->ex[far].next_out;
        if (i >= PF_AHEAD / 2)
            near = e->ex[near].next_out;
    }
    for (rg_eid_t ed = dom_from(e, V(e, u)->out_head); ed != RG_EID_NONE;
         ed = dom_from(e, E(e, ed)->next_out)) {
        warm_list(e, &far, &near);
        if (stop_explore(e, ed))
            continue;
        rg_vid_t tgt = E(e, ed)->dst;
        int64_t avail = plan_avail(e, tgt, m->at, m->duration);
        if (quick_reject(e, ok, avail) || sub_reject(e, m, tgt, ok, r, avail))
            continue;
        bool x = *excl;
        if (dom_dfv(e, m, tgt, r, pristine, &x, dfu, avail) == 0) {
            if (add_child(e, dfu, ed, x) < 0)
                return ENG_ENOMEM;
            rc2 = 0;
        }
    }
    return rc2;
}

/* The units of 'r' that make one share of its type (primed, or from the
 * count for the flexible traverser's copies). */
static unsigned per_share(const eng_t *e, const jobspec_resource_t *r)
{
    return e->flexible ? match__effective_max(&r->count) : e->jr[r->index].emax;
}

static int explore_dynamically(eng_t *e, const struct jobmeta *m, rg_vid_t u,
                               struct req r, bool pristine, bool *excl,
                               struct scoring *dfu, unsigned mult)
{
    if (e->noe[u] == 0)
        return ENG_EBUSY;
    if (bare(e, r, pristine)) {
        uint32_t n = 0;
        for (uint32_t k = 0; k < e->noe[u]; k++) {
            const struct rg_edge *ep = E(e, e->oe[u][k]);
            n += !(V(e, ep->dst)->flags & RG_VF_REMOVED) &&
                 e->color[ep->dst] <= e->color_base && ep->subsystem == e->dom;
        }
        count_bare(e, n);
        return ENG_EBUSY;
    }
    if (e->pfx_on)
        xpl_push(e, u);
    struct tally tl[32];
    size_t nt = 0;
    /* one resource (most lists) has one tally: set up, and counted after
     * each child below, without the look-ups a list of several needs
     * (GCC then keeps it in registers: 5% fewer instructions in a select
     * of single cores on the KTH-SP2 log) */
    if (r.n == 1) {
        tl[nt++] = (struct tally){.type = rtype(e, &r.rs[0]),
                                  .per_share = per_share(e, &r.rs[0])};
    } else {
        for (size_t i = 0; i < r.n && nt < 32; i++) {
            struct tally *t = tally_of(tl, nt, rtype(e, &r.rs[i]));
            if (!t) {
                t = &tl[nt++];
                *t = (struct tally){.type = rtype(e, &r.rs[i])};
            }
            t->per_share = per_share(e, &r.rs[i]);
        }
    }
    rg_sym_t sat[32];
    size_t nsat = 0;
    int rc2 = ENG_EBUSY;
    /* none of these change during a walk: kept out of the loop, which the
     * calls below would otherwise make reload them at each child */
    const rg_eid_t *oe = e->oe[u];
    uint32_t noe = e->noe[u];
    const uint64_t *color = e->color, cbase = e->color_base;
    rg_sym_t dom = e->dom;
    bool ok = quick_ok(e, r);
    bool warm = noe > PF_MIN;
    /* the root's loop is recorded for eng_replan.c (struct pfx_rec) */
    bool rec = e->pfx_on && e->pfx_noted && u == e->sel_root && r.n == 1;
    if (rec) {
        e->npfx = 0;
        e->pfx_oom = false;
        e->pfx_stale_before = e->stale;
    }
    uint32_t pre0 = 0, post0 = 0;
    int st0 = 0;
    int64_t tot0 = 0;
    for (uint32_t k = 0; k < noe; k++) {
        if (warm)
            warm_children(e, oe, noe, k);
        rg_eid_t ed = oe[k];
        const struct rg_edge *ep = E(e, ed);
        rg_vid_t tgt = ep->dst;
        if ((V(e, tgt)->flags & RG_VF_REMOVED) || color[tgt] > cbase ||
            ep->subsystem != dom)
            continue;
        if (tally_is_sat(sat, nsat, V(e, tgt)->type))
            continue;
        if (rec) {
            pre0 = e->preorder;
            post0 = e->postorder;
            st0 = e->stale;
            e->stale = STALE_UNSET;
            tot0 = total_of(dfu, tl[0].type);
        }
        int64_t avail = plan_avail(e, tgt, m->at, m->duration);
        if (quick_reject(e, ok, avail) || sub_reject(e, m, tgt, ok, r, avail)) {
            if (rec)
                pfx_push(e, ed, pre0, post0, st0, -1);
            continue;
        }
        bool x = *excl;
        if (dom_dfv(e, m, tgt, r, pristine, &x, dfu, avail) != 0) {
            if (rec)
                pfx_push(e, ed, pre0, post0, st0, -1);
            continue;
        }
        if (add_child(e, dfu, ed, x) < 0) {
            if (rec && e->stale == STALE_UNSET)
                e->stale = st0;
            return ENG_ENOMEM;
        }
        if (rec)
            pfx_push(e, ed, pre0, post0, st0, (int64_t)total_of(dfu, tl[0].type) - tot0);
        bool enough = true;
        if (r.n == 1) { /* most lists: one tally, tl[0], of the one type */
            tally_step(&tl[0], total_of(dfu, tl[0].type));
            if (tally_ok(&tl[0], mult))
                tally_mark_sat(sat, &nsat, 32, tl[0].type);
            else
                enough = false;
        } else {
            for (size_t i = 0; i < nt; i++)
                tally_step(&tl[i], total_of(dfu, tl[i].type));
            for (size_t i = 0; i < r.n; i++) {
                struct tally *t = tally_of(tl, nt, rtype(e, &r.rs[i]));
                if (t && tally_ok(t, mult))
                    tally_mark_sat(sat, &nsat, 32, t->type);
                else
                    enough = false;
            }
        }
        rc2 = 0;
        if (enough) {
            if (rec) { /* what the rest of the select sets is told apart */
                e->pfx_done = true;
                e->pfx_stale_end = e->stale;
                e->stale = STALE_UNSET;
            }
            break;
        }
    }
    return rc2;
}

int trav__explore(eng_t *e, const struct jobmeta *m, rg_vid_t u,
                  const jobspec_resource_t *rs, size_t n, bool pristine, bool *excl,
                  struct scoring *dfu, unsigned mult)
{
    struct req r = {rs, n};
    if (e->pol.stop_on_k == 0)
        return explore_statically(e, m, u, r, pristine, excl, dfu);
    return explore_dynamically(e, m, u, r, pristine, excl, dfu, mult);
}

/* ---- slots --------------------------------------------------------------------- */

struct egroup *trav__iter_next(struct evals *ev)
{
    if (ev->iter_reset) {
        ev->iter = 0;
        ev->iter_reset = false;
    } else if (ev->iter < ev->neg) {
        ev->iter++;
    }
    return ev->iter < ev->neg ? &ev->eg[ev->iter] : NULL;
}

/* Shapes of at most this many types have their counts kept by cnt_slot()
 * for slot_groups(). */
enum { SLOT_SHAPE_MAX = 8 };

/* cnt_slot: how many disjoint whole-egroup bundles give one slot each.  The
 * count of each shape type is left in 'scount' (for the first
 * SLOT_SHAPE_MAX types). */
static unsigned cnt_slot(eng_t *e, struct req shape, struct scoring *ds, unsigned *scount)
{
    unsigned qual = UINT32_MAX;
    for (size_t i = 0; i < shape.n; i++) {
        struct evals *ev = score__evals(e, ds, rtype(e, &shape.rs[i]));
        unsigned qc = ev ? ev->qual_count : 0;
        unsigned count = match__calc_count(&shape.rs[i].count, qc);
        if (i < SLOT_SHAPE_MAX)
            scount[i] = count;
        unsigned accum = 0, shares = 0;
        if (count != 0 && ev) {
            for (uint32_t k = 0; k < ev->neg; k++) {
                accum += ev->ed[ev->eg[k].ed_off].count;
                if (accum >= count) {
                    shares++;
                    accum = 0;
                }
            }
        }
        unsigned fit = count == 0 ? 0 : shares;
        qual = qual > fit ? fit : qual;
        if (ev)
            ev->iter_reset = true;
    }
    return qual;
}

/* One slot's share of shape type 'ev' (whose count is 'count'): whole
 * egroups from its iterator until the count is covered, their first edges
 * appended to 'edges' ('*ned' of 1024 used) and their scores to '*score'. */
static inline int slot_take(eng_t *e, struct evals *ev, unsigned count,
                            struct eval_edge *edges, uint32_t *ned, int64_t *score)
{
    for (unsigned j = 0; j < count;) {
        struct egroup *g = ev ? trav__iter_next(ev) : NULL;
        if (!g || *ned >= 1024) {
            eng__msg_add(e, "dom_slot: not enough slots.\n");
            return ENG_EBUSY;
        }
        struct eval_edge ee = ev->ed[g->ed_off];
        edges[(*ned)++] = (struct eval_edge){ee.count, ee.count, 1, ee.edge};
        *score += g->score;
        j += ee.count;
    }
    return 0;
}

/* Add one slot's group to the slot entry of 'out': '*oev' once known (no
 * other type is added to 'out' meanwhile: it stays put), looked up after
 * the first addition when 'more' are to come. */
VISIT_STEP int slot_add(eng_t *e, struct scoring *out, struct evals **oev, bool more,
                        int64_t score, const struct eval_edge *edges, uint32_t ned)
{
    struct egroup grp = {.score = score, .count = 1, .exclusive = 1};
    if (*oev)
        return score_add_ev_inl(*oev, &grp, edges, ned) < 0 ? ENG_ENOMEM : 0;
    if (score__add(e, out, e->sym_slot, &grp, edges, ned) < 0)
        return ENG_ENOMEM;
    if (more)
        *oev = score_find_inl(out, e->sym_slot);
    return 0;
}

/* slot_groups() for a shape of at most SLOT_SHAPE_MAX types, whose counts
 * cnt_slot() left in 'scount': each type's evals and count stay the same
 * while the slots are built (cnt_slot() created every evals of the shape in
 * 'ds', so none is created or moved here; only their iterators move), so
 * they are looked up once, not once per slot. */
static int slot_groups_many(eng_t *e, struct req shape, struct scoring *ds, unsigned qual,
                            const unsigned *scount, struct scoring *out,
                            struct eval_edge *edges)
{
    struct evals *sev[SLOT_SHAPE_MAX], *oev = NULL;
    for (size_t s = 0; s < shape.n; s++) {
        rg_sym_t t = rtype(e, &shape.rs[s]);
        struct evals *ev = score_find_inl(ds, t);
        sev[s] = ev ? ev : score__evals(e, ds, t);
    }
    for (unsigned i = 0; i < qual; i++) {
        uint32_t ned = 0;
        int64_t score = ENG_MATCH_MET;
        int rc = 0;
        for (size_t s = 0; s < shape.n && rc == 0; s++)
            rc = slot_take(e, sev[s], scount[s], edges, &ned, &score);
        if (rc < 0 || (rc = slot_add(e, out, &oev, i + 1 < qual, score, edges, ned)) < 0)
            return rc;
    }
    return 0;
}

/* Build the 'qual' slot groups from the sorted candidates in 'ds' into 'out'
 * (a scratch scoring): each slot takes whole egroups of every shape type
 * until its count is covered, and scores their sum. */
static int slot_groups(eng_t *e, struct req shape, struct scoring *ds, unsigned qual,
                       const unsigned *scount, struct scoring *out)
{
    struct eval_edge edges[1024];
    if (shape.n <= SLOT_SHAPE_MAX)
        return slot_groups_many(e, shape, ds, qual, scount, out, edges);
    struct evals *oev = NULL;
    for (unsigned i = 0; i < qual; i++) {
        uint32_t ned = 0;
        int64_t score = ENG_MATCH_MET;
        int rc = 0;
        for (size_t s = 0; s < shape.n && rc == 0; s++) {
            struct evals *ev = score__evals(e, ds, rtype(e, &shape.rs[s]));
            unsigned count =
                match__calc_count(&shape.rs[s].count, ev ? ev->qual_count : 0);
            rc = slot_take(e, ev, count, edges, &ned, &score);
        }
        if (rc < 0 || (rc = slot_add(e, out, &oev, i + 1 < qual, score, edges, ned)) < 0)
            return rc;
    }
    return 0;
}

static int dom_slot(eng_t *e, const struct jobmeta *m, rg_vid_t u, struct req shape,
                    unsigned nslots, bool pristine, struct scoring *dfu)
{
    bool x = true;
    struct scoring *ds = score_push_inl(e);
    if (!ds)
        return ENG_ENOMEM;
    int rc = trav__explore(e, m, u, shape.rs, shape.n, pristine, &x, ds, nslots);
    if (rc == 0) {
        match__dom_finish_slot(e, ds);
        unsigned scount[SLOT_SHAPE_MAX];
        unsigned qual = cnt_slot(e, shape, ds, scount);
        /* all groups or none, as Fluxion adds them only once all are built:
         * 'dfu' is still empty (dom_dfv_() has just pushed it), so building
         * them there and emptying it again on failure is the same */
        rc = qual ? slot_groups(e, shape, ds, qual, scount, dfu) : ENG_EBUSY;
        if (rc < 0)
            dfu->nev = 0;
    }
    score_pop_inl(e);
    return rc;
}

/* ---- resolving -------------------------------------------------------------------- */

/* Make room in the list of marked edges; false when out of memory (the
 * list is then incomplete: marked_oom). */
static bool marked_grow(eng_t *e)
{
    size_t cap = e->capmarked ? 2 * e->capmarked : 256;
    rg_eid_t *n = realloc(e->marked, cap * sizeof *n);
    if (!n) {
        e->marked_oom = true;
        return false;
    }
    e->marked = n;
    e->capmarked = cap;
    return true;
}

/* Fluxion's set_for_trav_update.  Each edge marked in this sequence is also
 * listed, so the update walk visits the marked edges of a vertex without
 * scanning all its out-edges (the root of a large system has thousands). */
VISIT_STEP void set_edge(eng_t *e, rg_eid_t ed, uint64_t needs, int x)
{
    if (e->e_seq[ed] != e->seq && (e->nmarked < e->capmarked || marked_grow(e)))
        e->marked[e->nmarked++] = ed;
    e->e_needs[ed] = needs;
    e->e_excl[ed] = (uint8_t)(x != 0);
    e->e_seq[ed] = e->seq;
}

void trav__mark_edge(eng_t *e, rg_eid_t ed, uint64_t needs, int x)
{
    set_edge(e, ed, needs, x);
}

/* rg_in_first(e->g, v, e->dom) over the bound arrays ('v' is live: the
 * source of an edge the walk followed). */
static rg_eid_t parent_edge(const eng_t *e, rg_vid_t v)
{
    rg_eid_t ed = V(e, v)->in_head;
    while (ed != RG_EID_NONE && (E(e, ed)->subsystem != e->dom ||
                                 (V(e, E(e, ed)->src)->flags & RG_VF_REMOVED)))
        ed = E(e, ed)->next_in;
    return ed;
}

static void enforce_up(eng_t *e, struct scoring *dfu, rg_eid_t ed)
{
    rg_vid_t pv = E(e, ed)->src;
    rg_eid_t pe;
    while ((pe = parent_edge(e, pv)) != RG_EID_NONE) {
        if (e->e_seq[pe] == e->seq)
            break;
        pv = E(e, pe)->src;
        rg_vid_t tgt = E(e, pe)->dst;
        struct evals *ev = score_find_inl(dfu, V(e, tgt)->type);
        if (!ev || ev->best_k)
            continue;
        set_edge(e, pe, (uint64_t)V(e, tgt)->size, 0);
    }
}

static int enforce(eng_t *e, struct scoring *dfu, bool unconstrained)
{
    for (uint32_t t = 0; t < dfu->nev; t++) {
        struct evals *ev = &dfu->ev[t];
        if (!ev->best_k)
            continue;
        for (uint32_t i = 0; i < ev->best_i; i++) {
            if (ev->eg[i].root)
                continue;
            for (uint32_t k = 0; k < ev->eg[i].ned; k++) {
                struct eval_edge *ee = &ev->ed[ev->eg[i].ed_off + k];
                set_edge(e, ee->edge, ee->needs, (int)ee->exclusive);
                if (unconstrained)
                    enforce_up(e, dfu, ee->edge);
            }
        }
    }
    return 0;
}

static int resolve(eng_t *e, struct scoring *dfu, struct scoring *to_parent)
{
    if (dfu->overall <= ENG_MATCH_UNMET)
        return 0;
    if (dfu->hier)
        return enforce(e, dfu, false);
    if (dfu->nev == 0 && dfu->nax == 0) /* a leaf's: nothing to pass up */
        return 0;
    return score__take(e, to_parent, dfu);
}

static int set_label(eng_t *e, rg_vid_t u, struct req r)
{
    if (primed(e, r.n) && !e->jr[r.rs[0].index].llab)
        return 0;
    for (size_t i = 0; i < r.n; i++) {
        if (rtype(e, &r.rs[i]) != V(e, u)->type || !r.rs[i].label[0])
            continue;
        if (e->label_seq[u] < e->seq)
            e->label[u] = NULL;
        if (e->label[u]) {
            eng__msg_add(
                e, "dom_dfv: inserting label into ephemeral failed.\nFile exists.\n");
            return ENG_EEXIST;
        }
        e->label_seq[u] = e->seq;
        /* the engine outlives the request: keep the label in the graph's
         * string table */
        rg_sym_t l = rg_sym_intern(e->g, r.rs[i].label);
        e->label[u] = l == RG_SYM_NONE ? NULL : rg_sym_str(e->g, l);
    }
    return 0;
}

static int dom_dfv_(eng_t *e, const struct jobmeta *m, rg_vid_t u, struct req r,
                    bool pristine, bool *excl, struct scoring *to_parent, int64_t avail)
{
    bool x_in = *excl || excl_of(e, r.rs, r.n, V(e, u)->type);
    bool x_inout = x_in, check_pres = pristine;
    unsigned nslots = 0;
    enum match_spec sm;
    struct req next = test(e, u, r, &check_pres, &nslots, &sm);
    e->preorder++;
    if (sm == SPEC_NONE)
        return ENG_EBUSY;
    int rc = prune(e, m, x_in, u, r, avail);
    if (rc < 0)
        return rc;
    if (match_discover_inl(e, u) != 0)
        return ENG_EBUSY;
    struct scoring *dfu = score_push_inl(e);
    if (!dfu)
        return ENG_ENOMEM;
    e->color[u] = e->color_base + 1;
    if (sm == SPEC_SLOT)
        rc = e->flexible
                 ? trav__flex_dom_slot(e, m, u, next.rs, next.n, nslots, check_pres, dfu)
                 : dom_slot(e, m, u, next, nslots, check_pres, dfu);
    else
        rc = trav__explore(e, m, u, next.rs, next.n, check_pres, &x_inout, dfu, 1);
    if (e->naux && sm != SPEC_SLOT && rc != ENG_ENOMEM &&
        trav__aux_explore(e, m, u, next.rs, next.n, x_inout, dfu) == ENG_ENOMEM)
        rc = ENG_ENOMEM;
    if (rc == ENG_ENOMEM)
        goto done;
    *excl = x_in;
    e->color[u] = e->color_base + 2;
    /* the planners do not change during a walk: 'avail' still holds */
    if (avail <= 0) {
        if (avail < 0)
            eng__msg_add(e, "dom_dfv: planner_avail_resources_during returned -1.\n%s.\n",
                         errtext((int)avail));
        rc = ENG_EBUSY;
        goto done;
    }
    if ((rc = match_finish_vtx_inl(e, u, r.rs, r.n, dfu)) != 0) {
        rc = ENG_EBUSY;
        goto done;
    }
    if ((rc = resolve(e, dfu, to_parent)) != 0)
        goto done;
    to_parent->avail = (uint32_t)avail;
    to_parent->overall = dfu->overall;
    if ((rc = set_label(e, u, r)) != 0)
        goto done;
    e->postorder++;
done:
    score_pop_inl(e);
    return rc;
}

/* Every failing visit leaves Fluxion's errno at EBUSY (EINVAL for a
 * conflicting request): remembered, because a later failure that sets
 * nothing reports it. */
VISIT_STEP int dom_dfv(eng_t *e, const struct jobmeta *m, rg_vid_t u, struct req r,
                       bool pristine, bool *excl, struct scoring *to_parent,
                       int64_t avail)
{
    int rc = dom_dfv_(e, m, u, r, pristine, excl, to_parent, avail);
    if (rc != 0)
        e->stale = rc == ENG_EINVAL || rc == ENG_ENOMEM ? rc : ENG_EBUSY;
    return rc;
}

/* ---- the root ------------------------------------------------------------------- */

static int resolve_graph(eng_t *e, rg_vid_t root, struct req r, struct scoring *dfu,
                         unsigned *needs)
{
    if (match__dom_finish_graph(e, r.rs, r.n, dfu) != 0)
        return ENG_ENOMATCH;
    *needs = 1;
    for (size_t i = 0; i < r.n; i++) {
        if (rtype(e, &r.rs[i]) != V(e, root)->type)
            continue;
        unsigned count = match__calc_count(&r.rs[i].count, dfu->avail);
        if (count == 0)
            return ENG_ENOMATCH;
        *needs = count;
    }
    for (uint32_t t = 0; t < dfu->nev; t++)
        if (dfu->ev[t].qual_count == 0)
            return ENG_ENOMATCH;
    if (dfu->nax && !trav__aux_qualified(dfu))
        return ENG_ENOMATCH;
    enforce(e, dfu, true);
    return 0;
}

int trav__select_simple(eng_t *e, const jobspec_resource_t *rs, size_t n, rg_vid_t root,
                        struct jobmeta *meta, bool excl)
{
    struct req r = {rs, n};
    bool x_in = excl;
    trav__tick(e);
    e->preorder = e->postorder = 0;
    e->nsstack = 0;
    e->nxpl = 0;
    e->xpl_oom = false;
    e->sel_root = root;
    e->pfx_done = false;
    struct scoring *dfu = score_push_inl(e);
    if (!dfu)
        return ENG_ENOMEM;
    int rc = dom_dfv(e, meta, root, r, true, &x_in, dfu,
                     plan_avail(e, root, meta->at, meta->duration));
    if (rc == 0) {
        unsigned needs = 0;
        struct eval_edge ev = {dfu->avail, dfu->avail, excl, RG_EID_NONE};
        struct egroup g = {
            .score = dfu->overall, .count = dfu->avail, .exclusive = excl, .root = true};
        rc = score__add(e, dfu, V(e, root)->type, &g, &ev, 1);
        if (rc == 0)
            rc = resolve_graph(e, root, r, dfu, &needs);
        if (rc == ENG_ENOMATCH)
            e->stale = rc;
        e->rt_needs = needs;
        e->rt_excl = x_in;
        e->rt_seq = e->seq;
    }
    score_pop_inl(e);
    return rc;
}

int trav__select(eng_t *e, const jobspec_resource_t *rs, size_t n, rg_vid_t root,
                 struct jobmeta *meta, bool excl)
{
    if (e->flexible)
        return trav__flex_select(e, rs, n, root, meta, excl);
    return trav__select_simple(e, rs, n, root, meta, excl);
}
