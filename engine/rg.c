/* rg.c: resource graph storage: symbols, vertices, edges, indexes,
 * properties.  Paths live in rg_path.c, whole-graph operations in rg_ops.c.
 *
 * Layout choices (the benchmark's 1.65 M-vertex graph is the yardstick):
 * - one array of fixed-size vertex records and one of edge records, grown
 *   by doubling and trimmed by rg_graph_compact(); no per-vertex malloc;
 * - adjacency as singly linked lists threaded through the edge array
 *   (head + tail per vertex, so appends keep insertion order in O(1)).
 *   Rejected: per-vertex edge vectors (a malloc per vertex, ~16 bytes of
 *   allocator overhead each) and CSR (cannot append after an attach);
 * - the type index is a list threaded through the vertices (next_type) with
 *   head/tail/count per symbol, the rank index a list (next_rank) with an
 *   open-addressing table of rank -> head/tail/count: both O(1) to update
 *   and cost 8 bytes per vertex in total. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rg_private.h"

/* ---- helpers --------------------------------------------------------------- */

int rg__grow(void *p, size_t *cap, size_t need, size_t esize)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need)
        ncap *= 2;
    void **pp = p;
    void *n = realloc(*pp, ncap * esize);
    if (!n)
        return ENG_ENOMEM;
    *pp = n;
    *cap = ncap;
    return 0;
}

/* FNV-1a plus murmur3's finaliser.  Plain FNV-1a clusters badly in the
 * low bits on keys like "0".."1163264" (the JGF node ids), which made linear
 * probing the top of the load profile. */
uint32_t rg__hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

/* ---- symbols --------------------------------------------------------------- */

static int symtab_rehash(rg_graph_t *g, size_t ncap)
{
    uint32_t *t = malloc(ncap * sizeof *t);
    if (!t)
        return ENG_ENOMEM;
    memset(t, 0xff, ncap * sizeof *t);
    for (size_t i = 0; i < g->nsyms; i++) {
        size_t j = g->syms[i].hash & (ncap - 1);
        while (t[j] != RG_SYM_NONE)
            j = (j + 1) & (ncap - 1);
        t[j] = (uint32_t)i;
    }
    free(g->symtab);
    g->symtab = t;
    g->cap_symtab = ncap;
    return 0;
}

static rg_sym_t sym_lookup(const rg_graph_t *g, const char *s, size_t len, uint32_t h,
                           size_t *slot)
{
    size_t mask = g->cap_symtab - 1;
    size_t j = h & mask;
    for (; g->symtab[j] != RG_SYM_NONE; j = (j + 1) & mask) {
        const struct rg__sym *y = &g->syms[g->symtab[j]];
        if (y->hash == h && y->len == len && memcmp(y->s, s, len) == 0)
            return g->symtab[j];
    }
    if (slot)
        *slot = j;
    return RG_SYM_NONE;
}

static char *arena_alloc(rg_graph_t *g, size_t n)
{
    if (g->nblocks == 0 || g->block_used + n > RG__ARENA_BLOCK) {
        if (rg__grow(&g->blocks, &g->cap_blocks, g->nblocks + 1, sizeof *g->blocks))
            return NULL;
        char *b = malloc(RG__ARENA_BLOCK);
        if (!b)
            return NULL;
        g->blocks[g->nblocks++] = b;
        g->block_used = 0;
    }
    char *p = g->blocks[g->nblocks - 1] + g->block_used;
    g->block_used += n;
    return p;
}

rg_sym_t rg_sym_intern_n(rg_graph_t *g, const char *s, size_t len)
{
    if (len >= RG_SYM_LEN_MAX || memchr(s, '\0', len))
        return RG_SYM_NONE;
    uint32_t h = rg__hash(s, len);
    size_t slot = 0;
    rg_sym_t found = sym_lookup(g, s, len, h, &slot);
    if (found != RG_SYM_NONE)
        return found;
    if ((g->nsyms + 1) * 2 > g->cap_symtab) {
        if (symtab_rehash(g, g->cap_symtab * 2))
            return RG_SYM_NONE;
        sym_lookup(g, s, len, h, &slot);
    }
    if (rg__grow(&g->syms, &g->cap_syms, g->nsyms + 1, sizeof *g->syms))
        return RG_SYM_NONE;
    char *text = arena_alloc(g, len + 1);
    if (!text)
        return RG_SYM_NONE;
    memcpy(text, s, len);
    text[len] = '\0';
    rg_sym_t id = (rg_sym_t)g->nsyms++;
    g->syms[id] = (struct rg__sym){.s = text,
                                   .len = (uint32_t)len,
                                   .hash = h,
                                   .type_head = RG_VID_NONE,
                                   .type_tail = RG_VID_NONE};
    g->symtab[slot] = id;
    return id;
}

rg_sym_t rg_sym_intern(rg_graph_t *g, const char *s)
{
    return s ? rg_sym_intern_n(g, s, strlen(s)) : RG_SYM_NONE;
}

rg_sym_t rg_sym_find(const rg_graph_t *g, const char *s)
{
    if (!s)
        return RG_SYM_NONE;
    size_t len = strlen(s);
    return sym_lookup(g, s, len, rg__hash(s, len), NULL);
}

const char *rg_sym_str(const rg_graph_t *g, rg_sym_t sym)
{
    return sym < g->nsyms ? g->syms[sym].s : NULL;
}

size_t rg_sym_count(const rg_graph_t *g)
{
    return g->nsyms;
}

/* ---- graph ----------------------------------------------------------------- */

rg_graph_t *rg_graph_create(void)
{
    rg_graph_t *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    static const char *const builtin[] = {"", "containment", "contains", "in"};
    if (symtab_rehash(g, 64))
        goto error;
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (rg_sym_intern(g, builtin[i]) != i)
            goto error;
    /* record 0 of the path and property pools means "none" */
    if (rg__grow(&g->xp, &g->cap_xp, 1, sizeof *g->xp) ||
        rg__grow(&g->props, &g->cap_props, 1, sizeof *g->props))
        goto error;
    g->nxp = g->nprops = 1;
    if (rg__subsys_slot(g, RG_SYM_CONTAINMENT) < 0)
        goto error;
    return g;
error:
    rg_graph_destroy(g);
    return NULL;
}

void rg_graph_destroy(rg_graph_t *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->nblocks; i++)
        free(g->blocks[i]);
    free(g->blocks);
    free(g->syms);
    free(g->symtab);
    free(g->v);
    free(g->e);
    free(g->ranks);
    free(g->ptab);
    free(g->xp);
    free(g->pstr);
    free(g->props);
    free(g);
}

int rg_graph_reserve(rg_graph_t *g, size_t nvertices, size_t nedges)
{
    if (rg__grow(&g->v, &g->cap_v, g->nv + nvertices, sizeof *g->v) ||
        rg__grow(&g->e, &g->cap_e, g->ne + nedges, sizeof *g->e))
        return ENG_ENOMEM;
    return 0;
}

static void shrink(void *p, size_t *cap, size_t n, size_t esize)
{
    void **pp = p;
    if (n == 0 || n >= *cap)
        return;
    void *s = realloc(*pp, n * esize);
    if (s) { /* on failure the larger block simply stays */
        *pp = s;
        *cap = n;
    }
}

void rg_graph_compact(rg_graph_t *g)
{
    rg__paths_rederive(g);
    shrink(&g->v, &g->cap_v, g->nv, sizeof *g->v);
    shrink(&g->e, &g->cap_e, g->ne, sizeof *g->e);
    shrink(&g->syms, &g->cap_syms, g->nsyms, sizeof *g->syms);
    shrink(&g->xp, &g->cap_xp, g->nxp, sizeof *g->xp);
    shrink(&g->pstr, &g->cap_pstr, g->plen, 1);
    shrink(&g->props, &g->cap_props, g->nprops, sizeof *g->props);
}

size_t rg_graph_vid_bound(const rg_graph_t *g)
{
    return g->nv;
}

size_t rg_graph_eid_bound(const rg_graph_t *g)
{
    return g->ne;
}

size_t rg_graph_vertex_count(const rg_graph_t *g)
{
    return g->nlive;
}

static bool edge_is_live(const rg_graph_t *g, const struct rg_edge *e)
{
    return !((g->v[e->src].flags | g->v[e->dst].flags) & RG_VF_REMOVED);
}

size_t rg_graph_edge_count(const rg_graph_t *g)
{
    size_t n = 0;
    for (size_t i = 0; i < g->ne; i++)
        n += edge_is_live(g, &g->e[i]);
    return n;
}

size_t rg_graph_type_count(const rg_graph_t *g, rg_sym_t type)
{
    return type < g->nsyms ? g->syms[type].type_count : 0;
}

size_t rg_graph_subsystem_edge_count(const rg_graph_t *g, rg_sym_t subsystem)
{
    size_t n = 0;
    for (size_t i = 0; i < g->ne; i++)
        n += g->e[i].subsystem == subsystem && edge_is_live(g, &g->e[i]);
    return n;
}

size_t rg_graph_subsystems(const rg_graph_t *g, rg_sym_t *out, size_t max)
{
    for (size_t i = 0; i < g->nsubsys && i < max; i++)
        out[i] = g->subsys[i];
    return g->nsubsys;
}

int rg__subsys_find(const rg_graph_t *g, rg_sym_t subsys)
{
    for (size_t i = 0; i < g->nsubsys; i++)
        if (g->subsys[i] == subsys)
            return (int)i;
    return -1;
}

int rg__subsys_slot(rg_graph_t *g, rg_sym_t subsys)
{
    int i = rg__subsys_find(g, subsys);
    if (i >= 0 || g->nsubsys == RG__MAX_SUBSYS)
        return i;
    g->subsys[g->nsubsys] = subsys;
    g->roots[g->nsubsys] = RG_VID_NONE;
    return (int)g->nsubsys++;
}

rg_vid_t rg_graph_root(const rg_graph_t *g, rg_sym_t subsystem)
{
    int i = rg__subsys_find(g, subsystem);
    if (i < 0 || g->roots[i] == RG_VID_NONE || !rg_vertex_is_live(g, g->roots[i]))
        return RG_VID_NONE;
    return g->roots[i];
}

size_t rg_graph_memory(const rg_graph_t *g)
{
    return sizeof *g + g->cap_syms * sizeof *g->syms + g->cap_symtab * sizeof *g->symtab +
           g->nblocks * RG__ARENA_BLOCK + g->cap_blocks * sizeof *g->blocks +
           g->cap_v * sizeof *g->v + g->cap_e * sizeof *g->e +
           g->cap_ranks * sizeof *g->ranks + g->cap_ptab * sizeof *g->ptab +
           g->cap_xp * sizeof *g->xp + g->cap_pstr + g->cap_props * sizeof *g->props;
}

/* ---- rank index ------------------------------------------------------------ */

static size_t rank_slot(int64_t rank, size_t cap)
{
    uint64_t x = (uint64_t)rank * 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 32) & (cap - 1);
}

static struct rg__rank *rank_find(const rg_graph_t *g, int64_t rank)
{
    if (!g->cap_ranks)
        return NULL;
    for (size_t j = rank_slot(rank, g->cap_ranks); g->ranks[j].used;
         j = (j + 1) & (g->cap_ranks - 1))
        if (g->ranks[j].rank == rank)
            return &g->ranks[j];
    return NULL;
}

static int rank_rehash(rg_graph_t *g, size_t ncap)
{
    struct rg__rank *t = calloc(ncap, sizeof *t);
    if (!t)
        return ENG_ENOMEM;
    for (size_t i = 0; i < g->cap_ranks; i++) {
        if (!g->ranks[i].used)
            continue;
        size_t j = rank_slot(g->ranks[i].rank, ncap);
        while (t[j].used)
            j = (j + 1) & (ncap - 1);
        t[j] = g->ranks[i];
    }
    free(g->ranks);
    g->ranks = t;
    g->cap_ranks = ncap;
    return 0;
}

/* The record of 'rank', created if missing.  NULL when out of memory. */
static struct rg__rank *rank_get(rg_graph_t *g, int64_t rank)
{
    struct rg__rank *r = rank_find(g, rank);
    if (r)
        return r;
    if ((g->nranks + 1) * 2 > g->cap_ranks &&
        rank_rehash(g, g->cap_ranks ? g->cap_ranks * 2 : 64))
        return NULL;
    size_t j = rank_slot(rank, g->cap_ranks);
    while (g->ranks[j].used)
        j = (j + 1) & (g->cap_ranks - 1);
    g->nranks++;
    g->ranks[j] = (struct rg__rank){
        .rank = rank, .head = RG_VID_NONE, .tail = RG_VID_NONE, .used = 1};
    return &g->ranks[j];
}

/* ---- vertices -------------------------------------------------------------- */

void rg_vertex_init_default(struct rg_vertex_init *init)
{
    *init = (struct rg_vertex_init){.type = RG_SYM_NONE,
                                    .basename = RG_SYM_NONE,
                                    .name = RG_SYM_NONE,
                                    .unit = RG_SYM_EMPTY,
                                    .rank = -1,
                                    .size = 1,
                                    .status = RG_STATUS_UP};
}

static rg_sym_t derive_name(rg_graph_t *g, rg_sym_t basename, int64_t id)
{
    char buf[RG_SYM_LEN_MAX + 32];
    int n = snprintf(buf, sizeof buf, "%s%lld", g->syms[basename].s, (long long)id);
    return rg_sym_intern_n(g, buf, (size_t)n);
}

rg_vid_t rg_vertex_add(rg_graph_t *g, const struct rg_vertex_init *init, eng_error_t *err)
{
    rg_sym_t base = init->basename == RG_SYM_NONE ? init->type : init->basename;
    if (init->type >= g->nsyms || base >= g->nsyms || init->unit >= g->nsyms ||
        (init->name != RG_SYM_NONE && init->name >= g->nsyms)) {
        eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "vertex: unknown symbol");
        return RG_VID_NONE;
    }
    if (init->size < 1) {
        eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "vertex: size must be >= 1");
        return RG_VID_NONE;
    }
    if (g->nv >= RG_VERTEX_MAX) {
        eng_errorf(err, ENG_ELIMIT, NULL, 0, 0, "more than %d vertices", RG_VERTEX_MAX);
        return RG_VID_NONE;
    }
    rg_sym_t name =
        init->name == RG_SYM_NONE ? derive_name(g, base, init->id) : init->name;
    struct rg__rank *r = rank_get(g, init->rank);
    if (name == RG_SYM_NONE || !r ||
        rg__grow(&g->v, &g->cap_v, g->nv + 1, sizeof *g->v)) {
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
        return RG_VID_NONE;
    }
    rg_vid_t id = (rg_vid_t)g->nv++;
    g->v[id] = (struct rg_vertex){
        .id = init->id,
        .uniq_id = init->uniq_id,
        .rank = init->rank,
        .size = init->size,
        .type = init->type,
        .basename = base,
        .name = name,
        .unit = init->unit,
        .parent = RG_VID_NONE,
        .flags = (init->exclusive ? RG_VF_EXCLUSIVE : 0) |
                 (init->status == RG_STATUS_DOWN ? RG_VF_DOWN : 0),
        .out_head = RG_EID_NONE,
        .out_tail = RG_EID_NONE,
        .in_head = RG_EID_NONE,
        .in_tail = RG_EID_NONE,
        .next_type = RG_VID_NONE,
        .next_rank = RG_VID_NONE,
    };
    struct rg__sym *t = &g->syms[init->type];
    if (t->type_tail == RG_VID_NONE)
        t->type_head = id;
    else
        g->v[t->type_tail].next_type = id;
    t->type_tail = id;
    t->type_count++;
    if (r->tail == RG_VID_NONE)
        r->head = id;
    else
        g->v[r->tail].next_rank = id;
    r->tail = id;
    r->count++;
    g->nlive++;
    return id;
}

const struct rg_vertex *rg_vertex_get(const rg_graph_t *g, rg_vid_t v)
{
    return v < g->nv ? &g->v[v] : NULL;
}

const struct rg_vertex *rg_vertex_array(const rg_graph_t *g)
{
    return g->nv ? g->v : NULL;
}

bool rg_vertex_is_live(const rg_graph_t *g, rg_vid_t v)
{
    return v < g->nv && !(g->v[v].flags & RG_VF_REMOVED);
}

int rg_vertex_status_set(rg_graph_t *g, rg_vid_t v, enum rg_status status)
{
    if (v >= g->nv || (status != RG_STATUS_UP && status != RG_STATUS_DOWN))
        return ENG_EINVAL;
    if (status == RG_STATUS_DOWN)
        g->v[v].flags |= RG_VF_DOWN;
    else
        g->v[v].flags &= ~(uint32_t)RG_VF_DOWN;
    return 0;
}

enum rg_status rg_vertex_status(const rg_graph_t *g, rg_vid_t v)
{
    if (v >= g->nv || (g->v[v].flags & RG_VF_DOWN))
        return RG_STATUS_DOWN;
    return RG_STATUS_UP;
}

static rg_vid_t skip_type(const rg_graph_t *g, rg_vid_t v)
{
    while (v != RG_VID_NONE && (g->v[v].flags & RG_VF_REMOVED))
        v = g->v[v].next_type;
    return v;
}

rg_vid_t rg_vertex_first_of_type(const rg_graph_t *g, rg_sym_t type)
{
    return type < g->nsyms ? skip_type(g, g->syms[type].type_head) : RG_VID_NONE;
}

rg_vid_t rg_vertex_next_of_type(const rg_graph_t *g, rg_vid_t v)
{
    return v < g->nv ? skip_type(g, g->v[v].next_type) : RG_VID_NONE;
}

static rg_vid_t skip_rank(const rg_graph_t *g, rg_vid_t v)
{
    while (v != RG_VID_NONE && (g->v[v].flags & RG_VF_REMOVED))
        v = g->v[v].next_rank;
    return v;
}

rg_vid_t rg_vertex_first_of_rank(const rg_graph_t *g, int64_t rank)
{
    const struct rg__rank *r = rank_find(g, rank);
    return r ? skip_rank(g, r->head) : RG_VID_NONE;
}

bool rg_rank_seen(const rg_graph_t *g, int64_t rank)
{
    return rank_find(g, rank) != NULL;
}

rg_vid_t rg_vertex_next_of_rank(const rg_graph_t *g, rg_vid_t v)
{
    return v < g->nv ? skip_rank(g, g->v[v].next_rank) : RG_VID_NONE;
}

rg_vid_t rg_vertex_find_type_rank(const rg_graph_t *g, rg_sym_t type, int64_t rank)
{
    rg_vid_t v = rg_vertex_first_of_rank(g, rank);
    while (v != RG_VID_NONE && g->v[v].type != type)
        v = rg_vertex_next_of_rank(g, v);
    return v;
}

static void mark_removed(rg_graph_t *g, rg_vid_t v)
{
    struct rg_vertex *x = &g->v[v];
    x->flags |= RG_VF_REMOVED;
    g->syms[x->type].type_count--;
    rank_find(g, x->rank)->count--;
    g->nlive--;
}

long rg_vertex_remove_subtree(rg_graph_t *g, rg_vid_t v)
{
    if (!rg_vertex_is_live(g, v))
        return ENG_EINVAL;
    rg_vid_t *stack = NULL;
    size_t n = 0, cap = 0;
    long removed = 0;
    if (rg__grow(&stack, &cap, 1, sizeof *stack))
        return ENG_ENOMEM;
    stack[n++] = v;
    mark_removed(g, v);
    removed++;
    /* Marking before pushing makes a cycle or a vertex with two parents
     * harmless: each vertex is pushed once. */
    while (n > 0) {
        rg_vid_t u = stack[--n];
        for (rg_eid_t e = g->v[u].out_head; e != RG_EID_NONE; e = g->e[e].next_out) {
            const struct rg_edge *x = &g->e[e];
            if (x->subsystem != RG_SYM_CONTAINMENT || x->relation != RG_SYM_CONTAINS ||
                (g->v[x->dst].flags & RG_VF_REMOVED))
                continue;
            if (rg__grow(&stack, &cap, n + 1, sizeof *stack)) {
                free(stack);
                return ENG_ENOMEM; /* what is marked stays marked */
            }
            mark_removed(g, x->dst);
            removed++;
            stack[n++] = x->dst;
        }
    }
    free(stack);
    return removed;
}

/* ---- edges ----------------------------------------------------------------- */

rg_eid_t rg_edge_add(rg_graph_t *g, rg_vid_t src, rg_vid_t dst, rg_sym_t subsystem,
                     rg_sym_t relation, eng_error_t *err)
{
    if (!rg_vertex_is_live(g, src) || !rg_vertex_is_live(g, dst) || src == dst ||
        subsystem >= g->nsyms || relation >= g->nsyms) {
        eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "edge: bad vertex or symbol");
        return RG_EID_NONE;
    }
    for (rg_eid_t e = g->v[dst].in_head; e != RG_EID_NONE; e = g->e[e].next_in)
        if (g->e[e].src == src) {
            eng_errorf(err, ENG_EEXIST, NULL, 0, 0, "duplicate edge");
            return RG_EID_NONE;
        }
    if (g->ne >= RG_EDGE_MAX) {
        eng_errorf(err, ENG_ELIMIT, NULL, 0, 0, "more than %d edges", RG_EDGE_MAX);
        return RG_EID_NONE;
    }
    if (rg__subsys_slot(g, subsystem) < 0) {
        eng_errorf(err, ENG_ELIMIT, NULL, 0, 0, "more than %d subsystems",
                   RG__MAX_SUBSYS);
        return RG_EID_NONE;
    }
    if (rg__grow(&g->e, &g->cap_e, g->ne + 1, sizeof *g->e)) {
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
        return RG_EID_NONE;
    }
    rg_eid_t id = (rg_eid_t)g->ne++;
    g->e[id] = (struct rg_edge){.src = src,
                                .dst = dst,
                                .subsystem = subsystem,
                                .relation = relation,
                                .next_out = RG_EID_NONE,
                                .next_in = RG_EID_NONE};
    struct rg_vertex *s = &g->v[src], *d = &g->v[dst];
    if (s->out_tail == RG_EID_NONE)
        s->out_head = id;
    else
        g->e[s->out_tail].next_out = id;
    s->out_tail = id;
    if (d->in_tail == RG_EID_NONE)
        d->in_head = id;
    else
        g->e[d->in_tail].next_in = id;
    d->in_tail = id;
    if (subsystem == RG_SYM_CONTAINMENT && relation == RG_SYM_CONTAINS &&
        d->parent == RG_VID_NONE)
        d->parent = src;
    return id;
}

const struct rg_edge *rg_edge_get(const rg_graph_t *g, rg_eid_t e)
{
    return e < g->ne ? &g->e[e] : NULL;
}

const struct rg_edge *rg_edge_array(const rg_graph_t *g)
{
    return g->ne ? g->e : NULL;
}

static rg_eid_t skip_out(const rg_graph_t *g, rg_eid_t e, rg_sym_t s)
{
    while (e != RG_EID_NONE && ((s != RG_SYM_NONE && g->e[e].subsystem != s) ||
                                (g->v[g->e[e].dst].flags & RG_VF_REMOVED)))
        e = g->e[e].next_out;
    return e;
}

rg_eid_t rg_out_first(const rg_graph_t *g, rg_vid_t v, rg_sym_t subsystem)
{
    return rg_vertex_is_live(g, v) ? skip_out(g, g->v[v].out_head, subsystem)
                                   : RG_EID_NONE;
}

rg_eid_t rg_out_next(const rg_graph_t *g, rg_eid_t e, rg_sym_t subsystem)
{
    return e < g->ne ? skip_out(g, g->e[e].next_out, subsystem) : RG_EID_NONE;
}

static rg_eid_t skip_in(const rg_graph_t *g, rg_eid_t e, rg_sym_t s)
{
    while (e != RG_EID_NONE && ((s != RG_SYM_NONE && g->e[e].subsystem != s) ||
                                (g->v[g->e[e].src].flags & RG_VF_REMOVED)))
        e = g->e[e].next_in;
    return e;
}

rg_eid_t rg_in_first(const rg_graph_t *g, rg_vid_t v, rg_sym_t subsystem)
{
    return rg_vertex_is_live(g, v) ? skip_in(g, g->v[v].in_head, subsystem) : RG_EID_NONE;
}

rg_eid_t rg_in_next(const rg_graph_t *g, rg_eid_t e, rg_sym_t subsystem)
{
    return e < g->ne ? skip_in(g, g->e[e].next_in, subsystem) : RG_EID_NONE;
}

/* ---- properties ------------------------------------------------------------ */

const char *rg_vertex_prop_get(const rg_graph_t *g, rg_vid_t v, const char *key)
{
    rg_sym_t k = rg_sym_find(g, key);
    if (v >= g->nv || k == RG_SYM_NONE)
        return NULL;
    for (uint32_t p = g->v[v].props; p; p = g->props[p].next)
        if (g->props[p].key == k)
            return g->syms[g->props[p].val].s;
    return NULL;
}

static uint32_t prop_alloc(rg_graph_t *g)
{
    if (g->prop_free) {
        uint32_t p = g->prop_free;
        g->prop_free = g->props[p].next;
        return p;
    }
    if (rg__grow(&g->props, &g->cap_props, g->nprops + 1, sizeof *g->props))
        return 0;
    return (uint32_t)g->nprops++;
}

int rg_vertex_prop_set(rg_graph_t *g, rg_vid_t v, const char *key, const char *value)
{
    if (v >= g->nv || !key || !value)
        return ENG_EINVAL;
    rg_sym_t k = rg_sym_intern(g, key), val = rg_sym_intern(g, value);
    if (k == RG_SYM_NONE || val == RG_SYM_NONE)
        return ENG_ENOMEM;
    /* keep the list sorted by key text: iteration order is then Fluxion's.  The
     * insertion point is held as an index, not a pointer: prop_alloc() may move
     * g->props. */
    uint32_t prev = 0, cur = g->v[v].props;
    for (; cur; prev = cur, cur = g->props[cur].next) {
        int c = strcmp(g->syms[g->props[cur].key].s, key);
        if (c == 0) {
            g->props[cur].val = val;
            return 0;
        }
        if (c > 0)
            break;
    }
    uint32_t p = prop_alloc(g);
    if (!p)
        return ENG_ENOMEM;
    g->props[p] = (struct rg__prop){.key = k, .val = val, .next = cur};
    if (prev)
        g->props[prev].next = p;
    else
        g->v[v].props = p;
    return 0;
}

int rg_vertex_prop_remove(rg_graph_t *g, rg_vid_t v, const char *key)
{
    rg_sym_t k = rg_sym_find(g, key);
    if (v >= g->nv || k == RG_SYM_NONE)
        return ENG_ENOENT;
    for (uint32_t *link = &g->v[v].props; *link; link = &g->props[*link].next) {
        if (g->props[*link].key != k)
            continue;
        uint32_t p = *link;
        *link = g->props[p].next;
        g->props[p].next = g->prop_free;
        g->prop_free = p;
        return 0;
    }
    return ENG_ENOENT;
}

rg_prop_it_t rg_prop_first(const rg_graph_t *g, rg_vid_t v)
{
    return v < g->nv ? g->v[v].props : RG_PROP_END;
}

rg_prop_it_t rg_prop_next(const rg_graph_t *g, rg_prop_it_t it)
{
    return it && it < g->nprops ? g->props[it].next : RG_PROP_END;
}

rg_sym_t rg_prop_key(const rg_graph_t *g, rg_prop_it_t it)
{
    return it && it < g->nprops ? g->props[it].key : RG_SYM_NONE;
}

rg_sym_t rg_prop_value(const rg_graph_t *g, rg_prop_it_t it)
{
    return it && it < g->nprops ? g->props[it].val : RG_SYM_NONE;
}
