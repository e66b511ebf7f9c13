/* trav_inline.h: the vertex and edge accessors of the traversal files
 * (trav.c, trav_update.c, trav_lazy.c, trav_aux.c), over the arrays bound as
 * a walk starts (eng_t.vx, eng_t.ex; trav__tick): a walk reads each record
 * several times per visit, and a call into rg.c each time cost a tenth of a
 * rejected visit.  Private to the engine. */
#ifndef ENG_TRAV_INLINE_H
#define ENG_TRAV_INLINE_H

#include "eng_private.h"

static inline const struct rg_vertex *V(const eng_t *e, rg_vid_t u)
{
    return &e->vx[u];
}

static inline const struct rg_edge *E(const eng_t *e, rg_eid_t ed)
{
    return &e->ex[ed];
}

/* The first out-edge from 'ed' on (itself included) that a walk of the
 * dominant subsystem follows: of that subsystem, to a vertex not removed. */
static inline rg_eid_t dom_from(const eng_t *e, rg_eid_t ed)
{
    while (ed != RG_EID_NONE && (E(e, ed)->subsystem != e->dom ||
                                 (V(e, E(e, ed)->dst)->flags & RG_VF_REMOVED)))
        ed = E(e, ed)->next_out;
    return ed;
}

/* Fluxion's share_tally_t: progress toward 'multiplier' whole shares of a
 * request type, as the dynamic (stop-on-first) walks count them. */
struct tally {
    rg_sym_t type;
    unsigned per_share, prev_total, accum, shares;
};

static inline bool tally_ok(const struct tally *t, unsigned mult)
{
    return t->per_share == 0 || t->shares >= mult;
}

static inline struct tally *tally_of(struct tally *t, size_t nt, rg_sym_t type)
{
    for (size_t i = 0; i < nt; i++)
        if (t[i].type == type)
            return &t[i];
    return NULL;
}

/* tally_shares for one type: the type's running total is now 'total'. */
static inline void tally_step(struct tally *t, unsigned total)
{
    if (total <= t->prev_total)
        return;
    t->accum += total - t->prev_total;
    t->prev_total = total;
    if (t->per_share > 0 && t->accum >= t->per_share) {
        t->shares++;
        t->accum = 0;
    }
}

/* Whether 'type' is among the 'nsat' satisfied types in 'sat' (a walk then
 * skips the children of that type). */
static inline bool tally_is_sat(const rg_sym_t *sat, size_t nsat, rg_sym_t type)
{
    for (size_t k = 0; k < nsat; k++)
        if (sat[k] == type)
            return true;
    return false;
}

/* new_sat_types for one type: add 'type' to the '*nsat' satisfied types in
 * 'sat' (room for 'max') unless it is there. */
static inline void tally_mark_sat(rg_sym_t *sat, size_t *nsat, size_t max, rg_sym_t type)
{
    if (!tally_is_sat(sat, *nsat, type) && *nsat < max)
        sat[(*nsat)++] = type;
}

/* score__push(), score__pop() and score__find() inline (trav_score.c has
 * the contracts): a visit pushes a scoring or two and looks types up after
 * each child. */
static inline struct scoring *score_push_inl(eng_t *e)
{
    if (e->nsstack == e->capsstack)
        return NULL;
    struct scoring *s = &e->sstack[e->nsstack++];
    s->nev = 0;
    s->nax = 0;
    s->hier = false;
    s->overall = -1;
    s->avail = 0;
    return s;
}

static inline void score_pop_inl(eng_t *e)
{
    e->nsstack--;
}

static inline struct evals *score_find_inl(struct scoring *s, rg_sym_t type)
{
    for (uint32_t i = 0; i < s->nev; i++)
        if (s->ev[i].type == type)
            return &s->ev[i];
    return NULL;
}

/* score__add() to the entry 'ev' of a scoring (score__evals() of its
 * type), for a caller that adds many groups of one type: the look-up once,
 * not per group.  0 or ENG_ENOMEM. */
int score__add_ev(struct evals *ev, const struct egroup *eg,
                  const struct eval_edge *edges, uint32_t ned);

/* score__add_ev() inline when the entry has room for the group and its
 * edges (the call when it must grow). */
static inline int score_add_ev_inl(struct evals *ev, const struct egroup *eg,
                                   const struct eval_edge *edges, uint32_t ned)
{
    if (ev->keep) {
        if (ev->neg >= ev->capeg || ned > ev->caped - ev->ned)
            return score__add_ev(ev, eg, edges, ned);
        struct egroup *g = &ev->eg[ev->neg++];
        *g = *eg;
        g->ed_off = ev->ned;
        g->ned = ned;
        for (uint32_t i = 0; i < ned; i++)
            ev->ed[ev->ned + i] = edges[i];
        ev->ned += ned;
    }
    ev->total_count += eg->count;
    if (eg->score > 0)
        ev->qual_count += eg->count;
    return 0;
}

/* score__add() inline when the entry of 'type' exists (a walk adds one
 * group per child to the same entry); the call creates it. */
static inline int score_add_inl(eng_t *e, struct scoring *s, rg_sym_t type,
                                const struct egroup *eg, const struct eval_edge *edges,
                                uint32_t ned)
{
    struct evals *ev = score_find_inl(s, type);
    return ev ? score_add_ev_inl(ev, eg, edges, ned)
              : score__add(e, s, type, eg, edges, ned);
}

/* The checks of Fluxion's prune() that come before the request's own, in
 * the dominant walk and the auxiliary up-walk alike: 'u' down (unless
 * checking satisfiability), a node failing the constraint, or nothing of it
 * available ('avail', from its planner: by_avail).  0 or ENG_EBUSY. */
static inline int prune_vertex(eng_t *e, const struct jobmeta *m, rg_vid_t u,
                               int64_t avail)
{
    const struct rg_vertex *v = V(e, u);
    if (m->alloc_type != AT_SATISFIABILITY && (v->flags & RG_VF_DOWN))
        return ENG_EBUSY;
    if (m->constraint && (v->type == e->sym_node || v->type == e->sym_storage_node) &&
        !eng__constraint_match(e, m->constraint, u))
        return ENG_EBUSY;
    if (avail == 0)
        return ENG_EBUSY;
    if (avail < 0) {
        eng__msg_add(e, "by_avail: planner_avail_resources_during returned -1.\n%s.\n",
                     trav__errtext((int)avail));
        return ENG_EBUSY;
    }
    return 0;
}

#endif /* ENG_TRAV_INLINE_H */
