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

#endif /* ENG_TRAV_INLINE_H */
