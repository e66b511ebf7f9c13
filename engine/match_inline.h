/* match_inline.h: the match policy callbacks that the traversal makes at
 * every vertex it visits (match_policy.c has the rest), inline: the call
 * cost about a third of the work of each.  Private to the engine; needs the
 * walk's bound vertex array (trav__tick()). */
#ifndef ENG_MATCH_INLINE_H
#define ENG_MATCH_INLINE_H

#include <stdlib.h>

#include "eng_private.h"
#include "trav_inline.h"

/* match_policy.c: the choices among the children that request resource 'r'
 * asks for (finish_vtx's inner loop); ENG_MATCH_MET or ENG_MATCH_UNMET. */
int64_t match__choose_children(eng_t *e, const jobspec_resource_t *r,
                               struct scoring *dfu);
/* match_policy.c: the variation policy's "perf_class" of 'u' (9999 if none). */
int64_t match__perf_class(const eng_t *e, rg_vid_t u);

/* multilevel_id_t::score_factor_t::calc_factor for node (add 1, x10000). */
static inline int64_t match_node_factor(int64_t base, int64_t tie)
{
    return (base + 1) * 10000 + llabs(tie % 10000 - 1);
}

/* match__dom_discover_vtx() (eng_private.h). */
static inline int match_discover_inl(eng_t *e, rg_vid_t u)
{
    if (e->pol.kind == MATCH_POL_MULTILEVEL && e->pol.node_centric) {
        const struct rg_vertex *v = V(e, u);
        if (v->type == e->sym_node) {
            if (v->id < -1)
                return -1;
            e->ml_scores += match_node_factor(v->id + 1, v->uniq_id);
        }
    }
    return 0;
}

/* match__dom_finish_vtx() (eng_private.h). */
static inline int match_finish_vtx_inl(eng_t *e, rg_vid_t u, const jobspec_resource_t *rs,
                                       size_t n, struct scoring *dfu)
{
    const struct rg_vertex *v = V(e, u);
    int64_t score = ENG_MATCH_MET;
    for (size_t i = 0; i < n && score == ENG_MATCH_MET; i++)
        if (e->jr[rs[i].index].type == v->type && rs[i].nwith > 0)
            score = match__choose_children(e, &rs[i], dfu);
    int64_t overall = score;
    if (e->pol.kind == MATCH_POL_MULTILEVEL) {
        if (e->pol.node_centric && v->type == e->sym_node)
            e->ml_scores -= match_node_factor(v->id + 1, v->uniq_id);
        if (score == ENG_MATCH_MET)
            overall = score + e->ml_scores + v->id + 1;
    } else if (e->pol.kind == MATCH_POL_LOCALITY) {
        if (score == ENG_MATCH_MET)
            overall = score + v->id + 1;
    } else if (score == ENG_MATCH_MET) {
        overall = score + match__perf_class(e, u);
    }
    dfu->overall = overall;
    return score == ENG_MATCH_MET ? 0 : -1;
}

#endif /* ENG_MATCH_INLINE_H */
