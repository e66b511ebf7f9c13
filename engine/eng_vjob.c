/* eng_vjob.c: the engine's per-vertex bookkeeping of jobs: the exclusive
 * types, the exclusivity checker (which jobs hold a vertex exclusively,
 * when), and the (vertex, job) records -- a short list per vertex, with a
 * hash index for vertices that hold many jobs.  Split from eng.c. */
#include <stdlib.h>
#include <string.h>

#include "eng_private.h"

/* ---- exclusive types ------------------------------------------------------------- */

bool eng__xtype_has(const eng_t *e, rg_sym_t t)
{
    for (unsigned i = 0; i < e->nxtypes; i++)
        if (e->xtypes[i] == t)
            return true;
    return false;
}

void eng__xtype_add(eng_t *e, rg_sym_t t)
{
    if (!eng__xtype_has(e, t) && e->nxtypes < ENG_PRUNE_TYPES_MAX)
        e->xtypes[e->nxtypes++] = t;
}

/* ---- exclusivity checker ------------------------------------------------------ */

int64_t eng__x_add(eng_t *e, rg_vid_t v, int64_t at, int64_t dur, uint64_t jobid)
{
    struct xset *x = &e->xs[v];
    if (x->n == x->cap) {
        uint32_t cap = x->cap ? 2 * x->cap : 2;
        struct xiv *n = realloc(x->iv, cap * sizeof *n);
        if (!n)
            return ENG_ENOMEM;
        x->iv = n;
        x->cap = cap;
    }
    x->iv[x->n] = (struct xiv){at, at + dur, jobid};
    eng__sink_note(e, at, at + dur);
    return x->n++;
}

void eng__x_remove(eng_t *e, rg_vid_t v, int64_t idx)
{
    struct xset *x = &e->xs[v];
    if (idx < 0 || idx >= x->n)
        return;
    eng__sink_note(e, x->iv[idx].start, x->iv[idx].end);
    x->iv[idx] = x->iv[--x->n];
    if (idx < x->n) {
        /* re-point the owner only if it pointed at the moved entry: a reused
         * job id can leave an older, unreferenced entry of the same id */
        struct vjob *r = eng__vj_get(e, v, x->iv[idx].jobid);
        if (r && (r->flags & VJ_X) && r->xspan == (int64_t)x->n)
            r->xspan = idx;
    }
}

bool eng__x_busy(const eng_t *e, rg_vid_t v, int64_t at, int64_t dur, int64_t skip)
{
    const struct xset *x = &e->xs[v];
    int64_t end = at > INT64_MAX - dur ? INT64_MAX : at + dur;
    for (uint32_t i = 0; i < x->n; i++)
        if (i != skip && x->iv[i].start < end && at < x->iv[i].end)
            return true;
    return false;
}

/* ---- (vertex, job) records: a short list per vertex, a hash for long ones -------- */

static size_t vj_hash(rg_vid_t v, uint64_t jobid, size_t mask)
{
    uint64_t h = ((uint64_t)v * 0x9E3779B97F4A7C15u) ^ (jobid * 0xC2B2AE3D27D4EB4Fu);
    h ^= h >> 29;
    return (size_t)h & mask;
}

static uint32_t vj_first(const struct vjob_tab *t, rg_vid_t v)
{
    return t->head[v] & ~VJ_INDEXED;
}

/* Slot of (v, jobid) in the index, or of the empty slot where it would go. */
static size_t idx_find(const struct vjob_tab *t, rg_vid_t v, uint64_t jobid)
{
    size_t mask = t->icap - 1, i = vj_hash(v, jobid, mask);
    for (; t->idx[i]; i = (i + 1) & mask) {
        const struct vjob *s = &t->slot[t->idx[i] - 1];
        if (s->v == v && s->jobid == jobid)
            break;
    }
    return i;
}

static int idx_grow(struct vjob_tab *t)
{
    size_t cap = t->icap ? 2 * t->icap : 256;
    uint32_t *n = calloc(cap, sizeof *n);
    if (!n)
        return ENG_ENOMEM;
    for (size_t i = 0; i < t->icap; i++) {
        if (!t->idx[i])
            continue;
        const struct vjob *s = &t->slot[t->idx[i] - 1];
        size_t k = vj_hash(s->v, s->jobid, cap - 1);
        while (n[k])
            k = (k + 1) & (cap - 1);
        n[k] = t->idx[i];
    }
    free(t->idx);
    t->idx = n;
    t->icap = cap;
    return 0;
}

/* Add record 'ri' (index + 1) to the index; room must exist. */
static void idx_add(struct vjob_tab *t, uint32_t ri)
{
    const struct vjob *s = &t->slot[ri - 1];
    t->idx[idx_find(t, s->v, s->jobid)] = ri;
    t->ilive++;
}

static void idx_del(struct vjob_tab *t, const struct vjob *r)
{
    size_t mask = t->icap - 1, i = idx_find(t, r->v, r->jobid);
    if (!t->idx[i])
        return;
    /* backward-shift deletion keeps probe runs short, with no tombstones */
    for (size_t j = (i + 1) & mask; t->idx[j]; j = (j + 1) & mask) {
        const struct vjob *s = &t->slot[t->idx[j] - 1];
        size_t home = vj_hash(s->v, s->jobid, mask);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            t->idx[i] = t->idx[j];
            i = j;
        }
    }
    t->idx[i] = 0;
    t->ilive--;
}

static bool idx_room(struct vjob_tab *t, size_t more)
{
    return (t->ilive + more) * 4 <= t->icap * 3 || idx_grow(t) == 0;
}

struct vjob *eng__vj_get(const eng_t *e, rg_vid_t v, uint64_t jobid)
{
    const struct vjob_tab *t = &e->vj;
    if (!t->head || (size_t)v >= e->vcap)
        return NULL;
    if (t->head[v] & VJ_INDEXED) {
        size_t i = idx_find(t, v, jobid);
        return t->idx[i] ? &t->slot[t->idx[i] - 1] : NULL;
    }
    for (uint32_t i = t->head[v]; i; i = t->slot[i - 1].next) {
        struct vjob *s = &t->slot[i - 1];
        if (s->jobid == jobid)
            return s;
    }
    return NULL;
}

/* Index every record of 'v' (its list just outgrew VJ_LIST_MAX). */
static int vj_index_vertex(struct vjob_tab *t, rg_vid_t v, size_t n)
{
    while (!((t->ilive + n) * 4 <= t->icap * 3))
        if (idx_grow(t) < 0)
            return ENG_ENOMEM;
    for (uint32_t i = t->head[v]; i; i = t->slot[i - 1].next)
        idx_add(t, i);
    t->head[v] |= VJ_INDEXED;
    return 0;
}

struct vjob *eng__vj_put(eng_t *e, rg_vid_t v, uint64_t jobid)
{
    struct vjob_tab *t = &e->vj;
    if (!t->head || (size_t)v >= e->vcap)
        return NULL;
    bool indexed = t->head[v] & VJ_INDEXED;
    size_t n = 1; /* the list's length with the new record, up to VJ_LIST_MAX + 1 */
    if (indexed) {
        size_t k = idx_find(t, v, jobid);
        if (t->idx[k])
            return &t->slot[t->idx[k] - 1];
        if (!idx_room(t, 1))
            return NULL;
    } else {
        /* eng__vj_get()'s walk, counting the list on the way */
        for (uint32_t k = t->head[v]; k; k = t->slot[k - 1].next) {
            if (t->slot[k - 1].jobid == jobid)
                return &t->slot[k - 1];
            n += n <= VJ_LIST_MAX;
        }
    }
    uint32_t i = t->free_head;
    if (i) {
        t->free_head = t->slot[i - 1].next;
    } else {
        if (t->used == t->cap) {
            size_t cap = t->cap ? 2 * t->cap : 1024;
            if (cap >= VJ_INDEXED)
                return NULL;
            struct vjob *nw = realloc(t->slot, cap * sizeof *nw);
            if (!nw)
                return NULL;
            t->slot = nw;
            t->cap = cap;
        }
        i = (uint32_t)++t->used;
    }
    uint32_t first = vj_first(t, v);
    t->slot[i - 1] = (struct vjob){.jobid = jobid,
                                   .v = v,
                                   .flags = VJ_DEAD,
                                   .next = first,
                                   .prev = 0,
                                   .span = -1,
                                   .xspan = -1,
                                   .agspan = -1,
                                   .rspan = -1};
    if (first)
        t->slot[first - 1].prev = i;
    t->head[v] = i | (indexed ? VJ_INDEXED : 0);
    t->live++;
    if (indexed)
        idx_add(t, i);
    else if (n > VJ_LIST_MAX) /* out of memory for the index: the list still works */
        (void)vj_index_vertex(t, v, n);
    return &t->slot[i - 1];
}

int64_t eng__vj_drop_span(eng_t *e, struct vjob *r)
{
    if (r->flags & VJ_ALLOC) {
        r->flags &= ~(uint32_t)VJ_ALLOC;
        e->nalloc[r->v]--;
        return r->span;
    }
    r->flags &= ~(uint32_t)VJ_RESV;
    e->nresv[r->v]--;
    return r->rspan;
}

/* Delete 'r' when it holds nothing; other records do not move. */
void eng__vj_drop_if_empty(eng_t *e, struct vjob *r)
{
    if (r->flags & ~VJ_DEAD)
        return;
    struct vjob_tab *t = &e->vj;
    uint32_t ri = (uint32_t)(r - t->slot) + 1;
    if (t->head[r->v] & VJ_INDEXED)
        idx_del(t, r);
    if (r->prev)
        t->slot[r->prev - 1].next = r->next;
    else
        t->head[r->v] = r->next | (t->head[r->v] & VJ_INDEXED);
    if (r->next)
        t->slot[r->next - 1].prev = r->prev;
    r->flags = 0;
    r->next = t->free_head;
    t->free_head = ri;
    t->live--;
}
