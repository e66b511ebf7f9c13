/* trav_flex.c: Fluxion's flexible traverser (-T flexible, dfu_flexible.cpp at
 * fd257f71): sibling slots are alternatives ("or-slots": the traversal packs
 * the mix of them that gives the most slots), and "xor_slot" siblings are
 * expanded into one request per choice, tried in order until one matches.
 *
 * The expansion copies request resources; the copies live in blocks owned by
 * the engine until the match ends.  A copy whose type changes (xor_slot to
 * slot) gets a fresh side-table index, carrying the original's aggregates,
 * as Fluxion copies a Resource with its user data. */
#include <stdlib.h>
#include <string.h>

#include "eng_private.h"

enum { F_NONE, F_PRISTINE_NONE, F_RESOURCE, F_SLOT };
enum { XOR_EXPANSION_MAX = 1000, OR_TYPES_MAX = 16 };

static rg_sym_t rtype(const eng_t *e, const jobspec_resource_t *r)
{
    return e->jr[r->index].type;
}

static const struct rg_vertex *V(const eng_t *e, rg_vid_t u)
{
    return rg_vertex_get(e->g, u);
}

/* ---- test ------------------------------------------------------------------- */

int trav__flex_test(eng_t *e, rg_vid_t u, const jobspec_resource_t *rs, size_t n,
                    bool *pristine, unsigned *nslots, const jobspec_resource_t **next,
                    size_t *nnext)
{
    bool matched = false, or_matched = false;
    const jobspec_resource_t *mres = NULL, *slots = NULL;
    size_t nslotl = 0;
    for (size_t i = 0; i < n; i++) {
        const jobspec_resource_t *r = &rs[i];
        if (V(e, u)->type == rtype(e, r) && !r->is_slot) {
            if (matched || or_matched)
                goto fail;
            mres = r;
            for (size_t c = 0; c < r->nwith; c++) {
                if (r->with[c].is_slot) {
                    slots = r->with;
                    nslotl = r->nwith;
                    *nslots = match__effective_max(&r->with[c].count);
                }
            }
            matched = true;
        } else if (r->is_slot) {
            if (matched)
                goto fail;
            slots = rs;
            nslotl = n;
            *nslots = match__effective_max(&r->count);
            or_matched = true;
        }
    }
    *next = rs;
    *nnext = n;
    if (slots) {
        int spec = *pristine ? F_PRISTINE_NONE : F_NONE;
        for (size_t i = 0; i < nslotl; i++) {
            if (trav__slot_match(e, u, &slots[i])) {
                spec = F_SLOT;
                *pristine = false;
                *next = slots;
                *nnext = nslotl;
            }
        }
        return spec;
    }
    if (mres) {
        *pristine = false;
        *next = mres->with;
        *nnext = mres->nwith;
        return F_RESOURCE;
    }
    return *pristine ? F_PRISTINE_NONE : F_NONE;
fail:
    eng__msg_add(e, "test: siblings in jobspec request same resource type : %s.\n",
                 rg_sym_str(e->g, V(e, u)->type));
    *next = rs;
    *nnext = n;
    return F_NONE;
}

/* Slots failing their subtree check do not stop the loop (Fluxion
 * "continue"s): the last checked resource decides. */
int trav__flex_prune_resources(eng_t *e, const struct jobmeta *m, bool x, rg_vid_t u,
                               const jobspec_resource_t *rs, size_t n)
{
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        const jobspec_resource_t *r = &rs[i];
        if (V(e, u)->type != rtype(e, r) && !r->is_slot)
            continue;
        if (!r->is_slot) {
            if ((rc = trav__by_excl(e, m, u, x, r)) < 0)
                return rc == ENG_ELIMIT ? ENG_EBUSY : rc;
            if ((rc = trav__by_subplan(e, m, u, r)) < 0)
                return ENG_EBUSY;
        } else {
            rc = trav__by_subplan(e, m, u, r);
        }
    }
    return rc < 0 ? ENG_EBUSY : 0;
}

/* ---- priming ------------------------------------------------------------------ */

static void min_at(int k, int64_t c, int64_t *acc, uint32_t *mask)
{
    if (!(*mask & (1u << k)) || acc[k] > (int64_t)(unsigned)c)
        acc[k] = (unsigned)c;
    *mask |= 1u << k;
}

static void flex_prime_rec(eng_t *e, const jobspec_resource_t *rs, size_t n,
                           int64_t *to_parent, uint32_t *mask)
{
    for (size_t i = 0; i < n; i++) {
        const jobspec_resource_t *r = &rs[i];
        struct jres *j = &e->jr[r->index];
        j->type = r->is_slot ? e->sym_slot : rg_sym_find(e->g, r->type);
        if (r->exclusive == JOBSPEC_EXCL_TRUE && j->type != RG_SYM_NONE)
            eng__xtype_add(e, j->type);
        trav__accum_if(e, j->type, r->count.min, to_parent, mask);
        uint32_t umask = 0;
        memset(j->ud, 0, sizeof j->ud);
        flex_prime_rec(e, r->with, r->nwith, j->ud, &umask);
        j->has_ud = umask != 0;
        bool slotlike = r->is_slot || j->type == e->sym_xor_slot;
        for (unsigned k = 0; k < e->prune.ntotal; k++) {
            if (!(umask & (1u << k)))
                continue;
            int64_t c = (int64_t)r->count.min * j->ud[k];
            if (slotlike)
                min_at((int)k, c, to_parent, mask);
            else
                trav__accum_if(e, e->prune.total[k], c, to_parent, mask);
        }
        if (slotlike)
            for (unsigned k = 0; k < e->prune.ntotal; k++)
                if ((*mask & (1u << k)) && !(umask & (1u << k)))
                    min_at((int)k, 0, to_parent, mask);
    }
}

void trav__flex_prime(eng_t *e, const jobspec_resource_t *rs, size_t n,
                      int64_t *to_parent)
{
    uint32_t mask = 0;
    flex_prime_rec(e, rs, n, to_parent, &mask);
}

/* ---- or-slots ------------------------------------------------------------------ */

struct orc {
    int64_t key[OR_TYPES_MAX], next[OR_TYPES_MAX];
    bool next_empty;
    int score, index;
};

struct orctx {
    eng_t *e;
    const jobspec_resource_t *slots;
    size_t nslots_list;
    unsigned nslots;
    rg_sym_t types[OR_TYPES_MAX];
    unsigned ntypes;
    struct orc *memo;
    size_t nmemo, capmemo;
    bool oom;
};

static int type_pos(const struct orctx *c, rg_sym_t t)
{
    for (unsigned i = 0; i < c->ntypes; i++)
        if (c->types[i] == t)
            return (int)i;
    return -1;
}

static struct orc *memo_find(struct orctx *c, const int64_t *key)
{
    for (size_t i = 0; i < c->nmemo; i++)
        if (memcmp(c->memo[i].key, key, c->ntypes * sizeof *key) == 0)
            return &c->memo[i];
    return NULL;
}

static struct orc *memo_put(struct orctx *c, const int64_t *key)
{
    struct orc *m = memo_find(c, key);
    if (m)
        return m;
    if (c->nmemo == c->capmemo) {
        size_t cap = c->capmemo ? 2 * c->capmemo : 16;
        struct orc *n = realloc(c->memo, cap * sizeof *n);
        if (!n) {
            c->oom = true;
            return NULL;
        }
        c->memo = n;
        c->capmemo = cap;
    }
    m = &c->memo[c->nmemo++];
    memset(m, 0, sizeof *m);
    memcpy(m->key, key, c->ntypes * sizeof *key);
    return m;
}

/* select_or_config: the most slots that fit in 'counts' and the first
 * choice towards it, memoized by counts.  Returns the memo entry's index. */
static long or_config(struct orctx *c, const int64_t *counts)
{
    struct orc *m = memo_find(c, counts);
    if (m)
        return m - c->memo;
    if (c->nslots_list == 1) {
        int best = (int)c->nslots;
        const jobspec_resource_t *slot = &c->slots[0];
        for (size_t k = 0; k < slot->nwith; k++) {
            int p = type_pos(c, rtype(c->e, &slot->with[k]));
            int64_t have = p >= 0 ? counts[p] : 0;
            unsigned cnt = match__calc_count(&slot->with[k].count, (unsigned)have);
            if (p < 0 || have < (int64_t)cnt || cnt == 0) {
                best = 0;
                break;
            }
            int possible = (int)(have / cnt);
            best = best < possible ? best : possible;
        }
        if (!(m = memo_put(c, counts)))
            return -1;
        memcpy(m->next, counts, c->ntypes * sizeof *counts);
        m->score = best;
        m->index = 0;
        return m - c->memo;
    }
    int best = -1;
    int64_t upd[OR_TYPES_MAX];
    for (size_t i = 0; i < c->nslots_list; i++) {
        const jobspec_resource_t *slot = &c->slots[i];
        bool match = true;
        memcpy(upd, counts, c->ntypes * sizeof *counts);
        for (size_t k = 0; k < slot->nwith && match; k++) {
            int p = type_pos(c, rtype(c->e, &slot->with[k]));
            unsigned cnt =
                match__calc_count(&slot->with[k].count, p >= 0 ? (unsigned)counts[p] : 0);
            if (cnt == 0 || p < 0)
                match = false;
            else
                upd[p] -= cnt;
        }
        if (!match)
            continue;
        long t = or_config(c, upd);
        if (t < 0)
            return -1;
        int test = c->memo[t].score;
        if (best < test) {
            best = test;
            if (!(m = memo_put(c, counts)))
                return -1;
            memcpy(m->next, upd, c->ntypes * sizeof *upd);
            m->next_empty = false;
            m->score = best + 1;
            m->index = (int)i;
        }
    }
    if (best < 0) {
        if (!(m = memo_put(c, counts)))
            return -1;
        m->next_empty = true;
        m->score = 0;
        m->index = -1;
    }
    m = memo_find(c, counts);
    return m - c->memo;
}

/* Build the slot groups of the chosen configuration into 'out'. */
static int or_groups(struct orctx *c, struct scoring *ds, long cur, struct scoring *out)
{
    eng_t *e = c->e;
    struct eval_edge edges[1024];
    int qual = c->memo[cur].score;
    if (qual < 0) {
        /* An open slot count made Fluxion's slot bound (unsigned)-1: its
         * loop takes groups until they run out and fails. */
        eng__msg_add(e, "dom_slot: not enough slots.\n");
        return ENG_EBUSY;
    }
    for (int i = 0; i < qual; i++) {
        int idx = c->memo[cur].index;
        if (idx < 0)
            return ENG_EBUSY;
        const jobspec_resource_t *slot = &c->slots[idx];
        uint32_t ned = 0;
        int64_t score = ENG_MATCH_MET;
        for (size_t s = 0; s < slot->nwith; s++) {
            struct evals *ev = score__evals(e, ds, rtype(e, &slot->with[s]));
            unsigned count =
                match__calc_count(&slot->with[s].count, ev ? ev->qual_count : 0);
            for (unsigned j = 0; j < count;) {
                struct egroup *g = ev ? trav__iter_next(ev) : NULL;
                if (!g || ned >= 1024) {
                    eng__msg_add(e, "dom_slot: not enough slots.\n");
                    return ENG_EBUSY;
                }
                struct eval_edge ee = ev->ed[g->ed_off];
                edges[ned++] = (struct eval_edge){ee.count, ee.count, 1, ee.edge};
                score += g->score;
                j += ee.count;
            }
        }
        struct egroup grp = {.score = score, .count = 1, .exclusive = 1};
        if (score__add(e, out, e->sym_slot, &grp, edges, ned) < 0)
            return ENG_ENOMEM;
        if (i + 1 < qual) {
            struct orc *nx =
                c->memo[cur].next_empty ? NULL : memo_find(c, c->memo[cur].next);
            if (!nx)
                return ENG_EBUSY;
            cur = nx - c->memo;
        }
    }
    return qual > 0 ? 0 : ENG_EBUSY;
}

int trav__flex_dom_slot(eng_t *e, const struct jobmeta *m, rg_vid_t u,
                        const jobspec_resource_t *slots, size_t n, unsigned nslots,
                        bool pristine, struct scoring *dfu)
{
    struct orctx c = {.e = e, .slots = slots, .nslots_list = n, .nslots = nslots};
    /* the union of the slots' shapes, per type the largest minimum count,
     * in interned-type order (a std::map keyed by type) */
    jobspec_resource_t uni[OR_TYPES_MAX];
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < slots[i].nwith; k++) {
            const jobspec_resource_t *r = &slots[i].with[k];
            int p = type_pos(&c, rtype(e, r));
            if (p >= 0) {
                if (uni[p].count.min < r->count.min)
                    uni[p] = *r;
                continue;
            }
            if (c.ntypes >= OR_TYPES_MAX)
                return ENG_ELIMIT;
            uint32_t rank = eng__type_rank(e, rtype(e, r));
            unsigned pos = c.ntypes;
            while (pos > 0 && eng__type_rank(e, c.types[pos - 1]) > rank) {
                c.types[pos] = c.types[pos - 1];
                uni[pos] = uni[pos - 1];
                pos--;
            }
            c.types[pos] = rtype(e, r);
            uni[pos] = *r;
            c.ntypes++;
        }
    }
    bool x = true;
    struct scoring *ds = score__push(e);
    struct scoring *groups = ds ? score__push(e) : NULL;
    if (!groups)
        return ENG_ENOMEM;
    int rc = trav__explore(e, m, u, uni, c.ntypes, pristine, &x, ds, nslots);
    if (rc == 0) {
        match__dom_finish_slot(e, ds);
        int64_t counts[OR_TYPES_MAX];
        for (unsigned i = 0; i < c.ntypes; i++)
            counts[i] = score__qual(ds, c.types[i]);
        long cur = or_config(&c, counts);
        rc = cur < 0 ? ENG_ENOMEM : or_groups(&c, ds, cur, groups);
        if (rc == 0)
            rc = score__merge(e, dfu, groups);
    }
    free(c.memo);
    score__pop(e);
    score__pop(e);
    return rc;
}

/* ---- xor_slot expansion ----------------------------------------------------------- */

struct variant {
    jobspec_resource_t *rs;
    size_t n;
};

struct vlist {
    struct variant *v;
    size_t n, cap;
};

static void *block(eng_t *e, size_t size)
{
    if (e->nflex_blocks == e->capflex_blocks) {
        size_t cap = e->capflex_blocks ? 2 * e->capflex_blocks : 64;
        void **n = realloc(e->flex_blocks, cap * sizeof *n);
        if (!n)
            return NULL;
        e->flex_blocks = n;
        e->capflex_blocks = cap;
    }
    void *p = calloc(1, size ? size : 1);
    if (p)
        e->flex_blocks[e->nflex_blocks++] = p;
    return p;
}

static int vl_push(eng_t *e, struct vlist *l, const jobspec_resource_t *rs, size_t n,
                   const jobspec_resource_t *extra)
{
    if (l->n >= XOR_EXPANSION_MAX)
        return ENG_ELIMIT;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 4;
        struct variant *x = realloc(l->v, cap * sizeof *x);
        if (!x)
            return ENG_ENOMEM;
        l->v = x;
        l->cap = cap;
    }
    jobspec_resource_t *a = block(e, (n + 1) * sizeof *a);
    if (!a)
        return ENG_ENOMEM;
    if (n)
        memcpy(a, rs, n * sizeof *a);
    if (extra)
        a[n++] = *extra;
    l->v[l->n++] = (struct variant){a, n};
    return 0;
}

/* A side-table entry for a converted copy of resource 'src'. */
static int jr_clone(eng_t *e, uint32_t src, uint32_t *out)
{
    if (e->njr >= e->capjr) {
        size_t cap = e->capjr ? 2 * e->capjr : 16;
        struct jres *n = realloc(e->jr, cap * sizeof *n);
        if (!n)
            return ENG_ENOMEM;
        e->jr = n;
        e->capjr = cap;
    }
    e->jr[e->njr] = e->jr[src];
    e->jr[e->njr].type = e->sym_slot;
    *out = (uint32_t)e->njr++;
    return 0;
}

static int split(eng_t *e, const jobspec_resource_t *rs, size_t n, struct vlist *out)
{
    struct vlist base = {0}, xopt = {0};
    int rc = vl_push(e, &base, NULL, 0, NULL);
    for (size_t i = 0; i < n && rc == 0; i++) {
        const jobspec_resource_t *r = &rs[i];
        struct vlist child = {0};
        if ((rc = split(e, r->with, r->nwith, &child)) < 0)
            break;
        if (rtype(e, r) == e->sym_xor_slot && !r->is_slot) {
            for (size_t k = 0; k < child.n && rc == 0; k++) {
                jobspec_resource_t opt = *r;
                opt.is_slot = true;
                opt.type = "slot";
                opt.with = child.v[k].rs;
                opt.nwith = child.v[k].n;
                if ((rc = jr_clone(e, r->index, &opt.index)) == 0)
                    rc = vl_push(e, &xopt, &opt, 1, NULL);
            }
        } else {
            struct vlist next = {0};
            for (size_t b = 0; b < base.n && rc == 0; b++)
                for (size_t k = 0; k < child.n && rc == 0; k++) {
                    jobspec_resource_t ex = *r;
                    ex.with = child.v[k].rs;
                    ex.nwith = child.v[k].n;
                    rc = vl_push(e, &next, base.v[b].rs, base.v[b].n, &ex);
                }
            free(base.v);
            base = next;
        }
        free(child.v);
    }
    if (rc == 0 && xopt.n == 0) {
        *out = base;
        base.v = NULL;
    } else if (rc == 0) {
        for (size_t b = 0; b < base.n && rc == 0; b++)
            for (size_t k = 0; k < xopt.n && rc == 0; k++)
                rc = vl_push(e, out, base.v[b].rs, base.v[b].n, &xopt.v[k].rs[0]);
    }
    free(base.v);
    free(xopt.v);
    return rc;
}

int trav__flex_select(eng_t *e, const jobspec_resource_t *rs, size_t n, rg_vid_t root,
                      struct jobmeta *meta, bool excl)
{
    struct vlist vl = {0};
    if (e->njr < e->js->nresources_total)
        e->njr = e->js->nresources_total;
    int rc = split(e, rs, n, &vl);
    if (rc < 0 || vl.n == 0) {
        eng__msg_add(e, "select: split_xor_slots failed.\n");
        if (rc == ENG_ELIMIT)
            eng__msg_add(e, "Value too large for defined data type\n");
        free(vl.v);
        return rc < 0 ? rc : ENG_EINVAL;
    }
    rc = ENG_EBUSY;
    for (size_t i = 0; i < vl.n; i++)
        if ((rc = trav__select_simple(e, vl.v[i].rs, vl.v[i].n, root, meta, excl)) == 0)
            break;
    free(vl.v);
    return rc;
}
