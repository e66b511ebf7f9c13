/* trav_prime.c: priming a request tree for the simple traverser (Fluxion's
 * prime_jobspec, resource/traversers/dfu_impl.cpp at fd257f71): the side
 * table e->jr per request resource (graph type, subtree aggregates for the
 * pruning filters, largest count, slot child) and the facts the walk reads
 * once per request list instead of scanning the list at every visit (no
 * type matched twice, an exclusive resource, a label), plus the request's
 * types, whose evals alone keep their groups (trav_score.c).  Split from
 * trav.c, which walks. */
#include <string.h>

#include "eng_private.h"

void trav__accum_if(const eng_t *e, rg_sym_t t, int64_t c, int64_t *acc, uint32_t *mask)
{
    int i = t == RG_SYM_NONE ? -1 : prune__index(e, t);
    if (i < 0)
        return;
    if (*mask & (1u << i))
        acc[i] += (unsigned)c;
    else
        acc[i] = (unsigned)c;
    *mask |= 1u << i;
}

/* Whether no vertex type can match two resources of the list 'rs': at most
 * one resource, or no slot and distinct types (see match_res()). */
static bool list_once(const eng_t *e, const jobspec_resource_t *rs, size_t n)
{
    if (n <= 1)
        return true;
    for (size_t i = 0; i < n; i++) {
        if (rs[i].is_slot)
            return false;
        for (size_t k = 0; k < i; k++)
            if (e->jr[rs[k].index].type == e->jr[rs[i].index].type)
                return false;
    }
    return true;
}

/* Note 't' among the request's types (see type_kept() in trav_score.c). */
static void req_type_add(eng_t *e, rg_sym_t t)
{
    for (unsigned i = 0; i < e->nreq_types; i++)
        if (e->req_types[i] == t)
            return;
    if (e->nreq_types < ENG_REQ_TYPES_MAX)
        e->req_types[e->nreq_types++] = t;
    else
        e->req_types_ok = false;
}

/* The facts kept on the first resource of a request list (struct jres). */
static void list_prime(eng_t *e, const jobspec_resource_t *rs, size_t n)
{
    struct jres *j = &e->jr[rs[0].index];
    j->once = list_once(e, rs, n);
    j->lx = j->llab = false;
    for (size_t i = 0; i < n; i++) {
        j->lx = j->lx || rs[i].exclusive == JOBSPEC_EXCL_TRUE;
        j->llab = j->llab || rs[i].label[0];
    }
}

static void prime_rec(eng_t *e, const jobspec_resource_t *rs, size_t n,
                      int64_t *to_parent, uint32_t *mask)
{
    for (size_t i = 0; i < n; i++) {
        const jobspec_resource_t *r = &rs[i];
        struct jres *j = &e->jr[r->index];
        j->type = r->is_slot ? e->sym_slot : rg_sym_find(e->g, r->type);
        req_type_add(e, j->type);
        if (r->exclusive == JOBSPEC_EXCL_TRUE && j->type != RG_SYM_NONE)
            eng__xtype_add(e, j->type);
        trav__accum_if(e, j->type, r->count.min, to_parent, mask);
        j->emax = match__effective_max(&r->count);
        j->slot = NULL;
        for (size_t c = 0; c < r->nwith; c++)
            if (r->with[c].is_slot)
                j->slot = &r->with[c];
        uint32_t umask = 0;
        memset(j->ud, 0, sizeof j->ud);
        prime_rec(e, r->with, r->nwith, j->ud, &umask);
        if (r->nwith > 0)
            list_prime(e, r->with, r->nwith);
        j->has_ud = umask != 0;
        for (unsigned k = 0; k < e->prune.ntotal; k++)
            if (umask & (1u << k))
                trav__accum_if(e, e->prune.total[k], (int64_t)r->count.min * j->ud[k],
                               to_parent, mask);
    }
}

void trav__prime_jobspec(eng_t *e, const jobspec_resource_t *rs, size_t n,
                         int64_t *to_parent)
{
    e->nreq_types = 0;
    e->req_types_ok = false;
    if (e->flexible) {
        trav__flex_prime(e, rs, n, to_parent);
        return;
    }
    e->req_types_ok = true; /* unless req_type_add() runs out of room */
    uint32_t mask = 0;
    prime_rec(e, rs, n, to_parent, &mask);
    if (n > 0)
        list_prime(e, rs, n);
}
