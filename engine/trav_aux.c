/* trav_aux.c: auxiliary subsystems, as Fluxion's traverser at fd257f71 treats
 * them (dfu_impl_t::dom_exp, explore with visit_t::UPV, aux_upv, has_remaining;
 * the base dfu_match_cb_t's aux_discover_vtx/aux_finish_vtx).
 *
 * With '-S C+PA' and the like, the first subsystem of the set is dominant and
 * the others are auxiliary.  What Fluxion does with an auxiliary subsystem:
 *
 * - Matching.  When a dominant vertex u is visited and its request is not a
 *   slot, after its dominant children u's out-edges of each auxiliary
 *   subsystem, in set order, are walked "up" (aux_upv): the target is
 *   pruned (status, constraint, availability, exclusivity; its auxiliary
 *   subtree filter is empty, see below), then, unless it is the auxiliary
 *   root, its own out-edges of that subsystem are walked the same way; the
 *   visit succeeds when the pruning passed and the vertex has something free.
 *   Each success adds an entry of (auxiliary subsystem, target type) to u's
 *   scoring with the score and count u's scoring holds at that moment (those
 *   of its last matched dominant child, or -1 and 0).  The up-walk's own
 *   scoring never gets a score, so it never reaches u.
 * - These entries are never chosen (the policies choose in the dominant
 *   subsystem only): a level whose policy chose something drops them, any
 *   other passes them up with the rest.  At the root, a type of any
 *   subsystem with no qualified count makes the request unsatisfiable
 *   (has_remaining): so a request whose top levels choose nothing (the whole
 *   tree below the root left unconstrained) fails whenever such an entry
 *   with score <= 0 or count 0 reached the root.  That is the whole visible
 *   effect on matches.
 * - The walk marks no auxiliary edge, and the update, cancel and find walks
 *   skip auxiliary edges (upd_upv, mod_upv and aux_find_upv do nothing), so
 *   writers, planners and find output are those of the dominant subsystem.
 * - The auxiliary root is looked up once per process, with the subsystem of
 *   the first up-walk (a function-local static): later up-walks in another
 *   auxiliary subsystem stop at that same vertex.  Kept per engine here.
 * - Colors are never set in an auxiliary subsystem during a match, so a
 *   vertex reached twice is walked twice, and a cycle of auxiliary edges
 *   recurses until Fluxion's stack overflows.  Here a vertex already on the
 *   up-walk's path fails the visit instead.
 *
 * Not reproduced: Fluxion also primes subtree filters in each auxiliary
 * subsystem, but with no filter spec there they track only leaf types under
 * vertices of type "cluster" of that subsystem, and the request carries
 * counts of dominant filter types only; they can prune nothing unless an
 * auxiliary subsystem holds such a cluster vertex above leaves of a
 * dominant filter type, which no Fluxion test graph has.
 *
 * No cost without auxiliary subsystems: dom_dfv_() tests e->naux once per
 * visit, and scoring merges test the entry count once per merge. */
#include <stdlib.h>
#include <string.h>

#include "eng_private.h"
#include "trav_inline.h"

/* ---- binding the subsystem set ------------------------------------------- */

int trav__aux_bind(eng_t *e, const char *names, eng_error_t *err)
{
    e->naux = 0;
    e->aux_root_known = false;
    e->aux_root = RG_VID_NONE;
    for (const char *p = names; p && *p;) {
        const char *q = strchr(p, ',');
        size_t len = q ? (size_t)(q - p) : strlen(p);
        char name[32];
        if (len == 0 || len >= sizeof name || e->naux == ENG_AUX_MAX)
            return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "bad subsystem list '%s'",
                              names);
        memcpy(name, p, len);
        name[len] = '\0';
        rg_sym_t s = rg_sym_intern(e->g, name);
        if (s == RG_SYM_NONE)
            return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
        /* Fluxion's traverser initialize() needs a root in every subsystem */
        if (rg_graph_root(e->g, s) == RG_VID_NONE)
            return eng_errorf(err, ENG_ENOTSUP, NULL, 0, 0,
                              "subsystem '%s' has no root in the resource graph", name);
        e->aux[e->naux++] = s;
        p = q ? q + 1 : p + len;
    }
    return 0;
}

/* ---- per-subsystem entries of a scoring object ------------------------------ */

static struct aux_eval *aux_find(struct scoring *s, unsigned sub, rg_sym_t type)
{
    for (uint32_t i = 0; i < s->nax; i++)
        if (s->ax[i].sub == sub && s->ax[i].type == type)
            return &s->ax[i];
    return NULL;
}

static struct aux_eval *aux_get(struct scoring *s, unsigned sub, rg_sym_t type)
{
    struct aux_eval *a = aux_find(s, sub, type);
    if (a)
        return a;
    if (s->nax == s->capax) {
        uint32_t cap = s->capax ? 2 * s->capax : 4;
        struct aux_eval *n = realloc(s->ax, cap * sizeof *n);
        if (!n)
            return NULL;
        s->ax = n;
        s->capax = cap;
    }
    a = &s->ax[s->nax++];
    *a = (struct aux_eval){.sub = sub, .type = type};
    return a;
}

/* evals_t::add for an entry that is never chosen: only the counts matter. */
static int aux_add(struct scoring *s, unsigned sub, rg_sym_t type, int64_t score,
                   uint32_t count)
{
    struct aux_eval *a = aux_get(s, sub, type);
    if (!a)
        return ENG_ENOMEM;
    a->total += count;
    if (score > 0)
        a->qual += count;
    return 0;
}

int trav__aux_merge(struct scoring *dst, const struct scoring *src)
{
    for (uint32_t i = 0; i < src->nax; i++) {
        const struct aux_eval *o = &src->ax[i];
        struct aux_eval *a = aux_get(dst, o->sub, o->type);
        if (!a)
            return ENG_ENOMEM;
        a->qual += o->qual;
        a->total += o->total;
    }
    return 0;
}

bool trav__aux_qualified(const struct scoring *s)
{
    for (uint32_t i = 0; i < s->nax; i++)
        if (s->ax[i].qual == 0)
            return false;
    return true;
}

/* ---- the up-walk ------------------------------------------------------------ */

static int64_t avail_of(const eng_t *e, rg_vid_t u, const struct jobmeta *m)
{
    if (!e->plans[u])
        return V(e, u)->size;
    return planner_avail_resources_during(e->plans[u], m->at, m->duration);
}

struct aux_req {
    const jobspec_resource_t *rs;
    size_t n;
    unsigned sub; /* index into e->aux */
    bool x;       /* the visiting dominant vertex's exclusivity */
};

/* Fluxion's prune() in an auxiliary subsystem: the auxiliary subtree
 * filters hold nothing the request counts (see the top), so by_subplan
 * never fails there; the flexible traverser's prune_resources is then the
 * same as the simple one's. */
static int aux_prune(eng_t *e, const struct jobmeta *m, rg_vid_t u,
                     const struct aux_req *r, int64_t avail)
{
    int rc = prune_vertex(e, m, u, avail);
    if (rc < 0)
        return rc;
    const struct rg_vertex *v = V(e, u);
    for (size_t i = 0; i < r->n; i++) {
        const jobspec_resource_t *res = &r->rs[i];
        if (res->is_slot || e->jr[res->index].type != v->type)
            continue;
        rc = trav__by_excl(e, m, u, r->x, res);
        if (rc < 0)
            return rc == ENG_ELIMIT ? ENG_EBUSY : rc;
    }
    return 0;
}

static bool on_path(const eng_t *e, rg_vid_t u)
{
    for (size_t i = 0; i < e->naux_path; i++)
        if (e->aux_path[i] == u)
            return true;
    return false;
}

static int path_push(eng_t *e, rg_vid_t u)
{
    if (e->naux_path == e->capaux_path) {
        size_t cap = e->capaux_path ? 2 * e->capaux_path : 16;
        rg_vid_t *n = realloc(e->aux_path, cap * sizeof *n);
        if (!n)
            return ENG_ENOMEM;
        e->aux_path = n;
        e->capaux_path = cap;
    }
    e->aux_path[e->naux_path++] = u;
    return 0;
}

static int aux_explore(eng_t *e, const struct jobmeta *m, rg_vid_t u,
                       const struct aux_req *r, struct scoring *dfu);

/* aux_upv: 0 when 'u' may serve, else a negative code. */
static int aux_upv(eng_t *e, const struct jobmeta *m, rg_vid_t u, const struct aux_req *r)
{
    if (!e->aux_root_known) {
        e->aux_root = rg_graph_root(e->g, e->aux[r->sub]);
        e->aux_root_known = true;
    }
    if (e->aux_root == RG_VID_NONE)
        return ENG_EBUSY; /* Fluxion fails the visit and leaves errno alone */
    if (on_path(e, u))
        return ENG_EBUSY;
    int64_t avail = avail_of(e, u, m);
    int rc = aux_prune(e, m, u, r, avail);
    if (rc < 0) {
        e->stale = rc == ENG_EINVAL || rc == ENG_ENOMEM ? rc : ENG_EBUSY;
        return rc;
    }
    if (u != e->aux_root) {
        /* the up-walk's scoring: its entries only steer a dynamic walk */
        struct scoring *upv = e->pol.stop_on_k ? score__push(e) : NULL;
        if (e->pol.stop_on_k && !upv)
            return ENG_ENOMEM;
        if ((rc = path_push(e, u)) == 0) {
            rc = aux_explore(e, m, u, r, upv);
            e->naux_path--;
        }
        if (upv)
            score__pop(e);
        if (rc == ENG_ENOMEM)
            return rc;
    }
    return 0;
}

/* The count an added entry carries: what 'dfu' holds (its last matched
 * child's), the same for every entry added in one walk. */
static int aux_child_ok(eng_t *e, struct scoring *dfu, const struct aux_req *r,
                        rg_vid_t tgt)
{
    if (!dfu)
        return 0;
    return aux_add(dfu, r->sub, V(e, tgt)->type, dfu->overall, dfu->avail);
}

static rg_eid_t aux_from(const eng_t *e, rg_eid_t ed, rg_sym_t s)
{
    while (ed != RG_EID_NONE &&
           (E(e, ed)->subsystem != s || (V(e, E(e, ed)->dst)->flags & RG_VF_REMOVED)))
        ed = E(e, ed)->next_out;
    return ed;
}

static int explore_static(eng_t *e, const struct jobmeta *m, rg_vid_t u,
                          const struct aux_req *r, struct scoring *dfu)
{
    rg_sym_t s = e->aux[r->sub];
    int rc2 = ENG_EBUSY;
    for (rg_eid_t ed = aux_from(e, V(e, u)->out_head, s); ed != RG_EID_NONE;
         ed = aux_from(e, E(e, ed)->next_out, s)) {
        int rc = aux_upv(e, m, E(e, ed)->dst, r);
        if (rc == ENG_ENOMEM)
            return rc;
        if (rc == 0) {
            if (aux_child_ok(e, dfu, r, E(e, ed)->dst) < 0)
                return ENG_ENOMEM;
            rc2 = 0;
        }
    }
    return rc2;
}

/* share_tally_t of the dynamic walk (see explore_dynamically in trav.c),
 * over the entries of this auxiliary subsystem (struct tally, trav_inline.h). */
enum { AUX_TALLY_MAX = 32 };

static size_t tally_init(const eng_t *e, const struct aux_req *r, struct tally *tl)
{
    size_t nt = 0;
    for (size_t i = 0; i < r->n && nt < AUX_TALLY_MAX; i++) {
        rg_sym_t t = e->jr[r->rs[i].index].type;
        struct tally *a = tally_of(tl, nt, t);
        if (!a) {
            a = &tl[nt++];
            *a = (struct tally){.type = t};
        }
        a->per_share = match__effective_max(&r->rs[i].count);
    }
    return nt;
}

/* tally_shares.  Fluxion reads each total through std::map::operator[],
 * which creates an empty entry for every requested type: entries with no
 * qualified count that fail the request at the root unless a level that
 * chooses drops them first (hence aux_get, not aux_find). */
static int tally_update(struct scoring *dfu, unsigned sub, struct tally *tl, size_t nt)
{
    for (size_t i = 0; i < nt; i++) {
        struct aux_eval *a = aux_get(dfu, sub, tl[i].type);
        if (!a)
            return ENG_ENOMEM;
        tally_step(&tl[i], a->total);
    }
    return 0;
}

/* new_sat_types then is_enough: true when every requested type is done. */
static bool tally_sat(const eng_t *e, const struct aux_req *r, struct tally *tl,
                      size_t nt, rg_sym_t *sat, size_t *nsat)
{
    bool enough = true;
    for (size_t i = 0; i < r->n; i++) {
        struct tally *t = tally_of(tl, nt, e->jr[r->rs[i].index].type);
        if (!t || !tally_ok(t, 1)) {
            enough = false;
            continue;
        }
        tally_mark_sat(sat, nsat, AUX_TALLY_MAX, t->type);
    }
    return enough;
}

static int explore_dynamic(eng_t *e, const struct jobmeta *m, rg_vid_t u,
                           const struct aux_req *r, struct scoring *dfu)
{
    if (e->noe[u] == 0)
        return ENG_EBUSY;
    rg_sym_t s = e->aux[r->sub];
    struct tally tl[AUX_TALLY_MAX];
    size_t nt = tally_init(e, r, tl), nsat = 0;
    rg_sym_t sat[AUX_TALLY_MAX];
    int rc2 = ENG_EBUSY;
    for (uint32_t k = 0; k < e->noe[u]; k++) {
        rg_eid_t ed = e->oe[u][k];
        rg_vid_t tgt = E(e, ed)->dst;
        if (E(e, ed)->subsystem != s || (V(e, tgt)->flags & RG_VF_REMOVED))
            continue;
        if (tally_is_sat(sat, nsat, V(e, tgt)->type))
            continue;
        int rc = aux_upv(e, m, tgt, r);
        if (rc == ENG_ENOMEM)
            return rc;
        if (rc != 0)
            continue;
        if (aux_child_ok(e, dfu, r, tgt) < 0 || tally_update(dfu, r->sub, tl, nt) < 0)
            return ENG_ENOMEM;
        rc2 = 0;
        if (tally_sat(e, r, tl, nt, sat, &nsat))
            break;
    }
    return rc2;
}

static int aux_explore(eng_t *e, const struct jobmeta *m, rg_vid_t u,
                       const struct aux_req *r, struct scoring *dfu)
{
    return e->pol.stop_on_k ? explore_dynamic(e, m, u, r, dfu)
                            : explore_static(e, m, u, r, dfu);
}

int trav__aux_explore(eng_t *e, const struct jobmeta *m, rg_vid_t u,
                      const jobspec_resource_t *rs, size_t n, bool x, struct scoring *dfu)
{
    for (unsigned s = 0; s < e->naux; s++) {
        struct aux_req r = {rs, n, s, x};
        e->naux_path = 0;
        int rc = aux_explore(e, m, u, &r, dfu);
        if (rc == ENG_ENOMEM)
            return rc;
    }
    return 0;
}
