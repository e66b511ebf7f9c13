/* trav_score.c: Fluxion's scoring_api_t / evals_t (resource/evaluators) for
 * the dominant subsystem, and the sort Fluxion's choice of "best k" relies on.
 *
 * Scoring objects live on a stack owned by the engine: each DFU visit pushes
 * one and pops it on return, and popped objects keep their arrays, so a
 * traversal in steady state allocates nothing.
 *
 * Tie-breaks are part of the product: Fluxion sorts candidate edge groups
 * with std::sort, which is not stable, so equal scores come out in the order
 * libstdc++'s introsort leaves them.  score__sort() performs the same steps
 * (median-of-three pivot moved to the front, unguarded Hoare partition,
 * depth limit 2*floor(log2 n) with a heap-sort fallback, final insertion sort
 * with threshold 16), so equal scores end up where Fluxion puts them. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "eng_private.h"
#include "trav_inline.h"

enum { SORT_THRESHOLD = 16 };

/* ---- the stack of scoring objects ------------------------------------------ */

/* The evals entries are left as they are: score__evals() sets every field
 * but the arrays when it takes an entry into use, and nothing reads past
 * 'nev'.  The stack is allocated once at its full size (eng_create): callers
 * keep pointers into it across deeper pushes, so it must never move. */
struct scoring *score__push(eng_t *e)
{
    return score_push_inl(e);
}

void score__pop(eng_t *e)
{
    score_pop_inl(e);
}

/* ---- evals ------------------------------------------------------------------ */

struct evals *score__find(struct scoring *s, rg_sym_t type)
{
    return score_find_inl(s, type);
}

/* Kept out of line: the lookup in score__evals(), inlined into the
 * additions here, then needs none of the registers this saves. */
#if defined(__GNUC__)
#define NOINLINE      __attribute__((noinline))
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define NOINLINE
#define ALWAYS_INLINE inline
#endif

static NOINLINE struct evals *evals_new(eng_t *e, struct scoring *s, rg_sym_t type);

/* Whether the evals of 'type' keep their groups and edges.  Only those of
 * the request's own types are ever read: the finish callbacks choose among
 * the children of a request resource (finish_vtx, finish_graph), a slot
 * takes the groups of its shape's types (cnt_slot, slot_groups), and enforce
 * marks the edges of chosen groups, which are of those types.  The evals of
 * any other type (the node and socket entries above a request for cores)
 * are read only for their existence, their best_k flag (still 0) and their
 * counts, and finish_slot's sort of such an entry in a slot's scratch
 * scoring is discarded with it: counting them is enough, which saves
 * copying their groups up every level of the tree. */
static bool type_kept(const eng_t *e, rg_sym_t type)
{
    if (!e->req_types_ok)
        return true;
    for (unsigned i = 0; i < e->nreq_types; i++)
        if (e->req_types[i] == type)
            return true;
    return false;
}

/* The evals of 'type' in 's', created (in interned-type order, as a std::map
 * would hold it) when missing.  NULL when out of memory. */
struct evals *score__evals(eng_t *e, struct scoring *s, rg_sym_t type)
{
    for (uint32_t i = 0; i < s->nev; i++)
        if (s->ev[i].type == type)
            return &s->ev[i];
    return evals_new(e, s, type);
}

static struct evals *evals_new(eng_t *e, struct scoring *s, rg_sym_t type)
{
    struct evals *ev;
    if (s->nev == s->capev) {
        uint32_t cap = s->capev ? 2 * s->capev : 4;
        struct evals *n = realloc(s->ev, cap * sizeof *n);
        if (!n)
            return NULL;
        memset(n + s->capev, 0, (cap - s->capev) * sizeof *n);
        s->ev = n;
        s->capev = cap;
    }
    /* the table covers every type seen so far: the call only for a new one */
    uint32_t rank = type < e->ntype_rank ? e->type_rank[type] : eng__type_rank(e, type);
    uint32_t pos = s->nev;
    while (pos > 0 && s->ev[pos - 1].rank > rank)
        pos--;
    if (pos < s->nev) {
        /* keep the arrays of the slot we overwrite: rotate them into place
         * (the rest of it is set below); a few entries move, one by one
         * rather than by a memmove call */
        struct evals *top = &s->ev[s->nev];
        struct egroup *eg = top->eg;
        struct eval_edge *ed = top->ed;
        uint32_t capeg = top->capeg, caped = top->caped;
        for (uint32_t i = s->nev; i > pos; i--)
            s->ev[i] = s->ev[i - 1];
        s->ev[pos].eg = eg;
        s->ev[pos].capeg = capeg;
        s->ev[pos].ed = ed;
        s->ev[pos].caped = caped;
    }
    s->nev++;
    ev = &s->ev[pos];
    ev->type = type;
    ev->rank = rank;
    ev->neg = ev->ned = 0;
    ev->qual_count = ev->total_count = ev->best_k = ev->best_i = 0;
    ev->iter = 0;
    ev->iter_reset = true;
    ev->keep = type_kept(e, type);
    return ev;
}

static int reserve_eg(struct evals *ev, uint32_t more)
{
    if (ev->neg + more <= ev->capeg)
        return 0;
    uint32_t cap = ev->capeg ? ev->capeg : 4;
    while (cap < ev->neg + more)
        cap *= 2;
    struct egroup *n = realloc(ev->eg, cap * sizeof *n);
    if (!n)
        return ENG_ENOMEM;
    ev->eg = n;
    ev->capeg = cap;
    return 0;
}

static int reserve_ed(struct evals *ev, uint32_t more)
{
    if (ev->ned + more <= ev->caped)
        return 0;
    uint32_t cap = ev->caped ? ev->caped : 4;
    while (cap < ev->ned + more)
        cap *= 2;
    struct eval_edge *n = realloc(ev->ed, cap * sizeof *n);
    if (!n)
        return ENG_ENOMEM;
    ev->ed = n;
    ev->caped = cap;
    return 0;
}

/* Append group 'eg' and its 'ned' edges to 'ev' (a kept evals).  Inline
 * in each of its two callers (a call per addition otherwise). */
static ALWAYS_INLINE int append(struct evals *ev, const struct egroup *eg,
                                const struct eval_edge *edges, uint32_t ned)
{
    if (reserve_eg(ev, 1) < 0 || reserve_ed(ev, ned) < 0)
        return ENG_ENOMEM;
    struct egroup *g = &ev->eg[ev->neg++];
    *g = *eg;
    g->ed_off = ev->ned;
    g->ned = ned;
    if (ned == 1) /* a child's edge: most additions, and no call */
        ev->ed[ev->ned] = edges[0];
    else
        memcpy(&ev->ed[ev->ned], edges, ned * sizeof *edges);
    ev->ned += ned;
    return 0;
}

/* evals_t::add: count toward the totals (qualified when above the cutline,
 * which Fluxion never moves from 0) and append. */
static inline int add_ev(struct evals *ev, const struct egroup *eg,
                         const struct eval_edge *edges, uint32_t ned)
{
    if (ev->keep && append(ev, eg, edges, ned) < 0)
        return ENG_ENOMEM;
    ev->total_count += eg->count;
    if (eg->score > 0)
        ev->qual_count += eg->count;
    return 0;
}

int score__add(eng_t *e, struct scoring *s, rg_sym_t type, const struct egroup *eg,
               const struct eval_edge *edges, uint32_t ned)
{
    struct evals *ev = score__evals(e, s, type);
    return ev ? add_ev(ev, eg, edges, ned) : ENG_ENOMEM;
}

int score__add_ev(struct evals *ev, const struct egroup *eg,
                  const struct eval_edge *edges, uint32_t ned)
{
    return add_ev(ev, eg, edges, ned);
}

/* Append the groups and edges of 'o' to 'ev' (a kept evals). */
static int append_all(struct evals *ev, const struct evals *o)
{
    if (reserve_eg(ev, o->neg) < 0 || reserve_ed(ev, o->ned) < 0)
        return ENG_ENOMEM;
    for (uint32_t j = 0; j < o->neg; j++) {
        struct egroup g = o->eg[j];
        g.ed_off += ev->ned;
        ev->eg[ev->neg++] = g;
    }
    if (o->ned == 1)
        ev->ed[ev->ned] = o->ed[0];
    else
        memcpy(&ev->ed[ev->ned], o->ed, o->ned * sizeof *o->ed);
    ev->ned += o->ned;
    return 0;
}

/* scoring_api_t::merge: append every evals of 'src' to 'dst'. */
int score__merge(eng_t *e, struct scoring *dst, const struct scoring *src)
{
    for (uint32_t i = 0; i < src->nev; i++) {
        const struct evals *o = &src->ev[i];
        struct evals *ev = score__evals(e, dst, o->type);
        if (!ev || (ev->keep && append_all(ev, o) < 0))
            return ENG_ENOMEM;
        ev->qual_count += o->qual_count;
        ev->total_count += o->total_count;
    }
    return src->nax ? trav__aux_merge(dst, src) : 0;
}

int score__take(eng_t *e, struct scoring *dst, struct scoring *src)
{
    if (src->nev > 0 && dst->nev == 0) {
        /* appending to nothing gives the same entries in the same order,
         * with the same groups and edge offsets, and the state that
         * evals_new() gives an entry: exchange the arrays instead (each
         * stack entry still owns one set of them) */
        for (uint32_t i = 0; i < src->nev; i++) {
            struct evals *o = &src->ev[i];
            o->best_k = o->best_i = o->iter = 0;
            o->iter_reset = true;
        }
        struct evals *ev = dst->ev;
        uint32_t cap = dst->capev;
        dst->ev = src->ev;
        dst->nev = src->nev;
        dst->capev = src->capev;
        src->ev = ev;
        src->nev = 0;
        src->capev = cap;
        return src->nax ? trav__aux_merge(dst, src) : 0;
    }
    return score__merge(e, dst, src);
}

uint32_t score__qual(struct scoring *s, rg_sym_t type)
{
    struct evals *ev = score__find(s, type);
    return ev ? ev->qual_count : 0;
}

uint32_t score__total(struct scoring *s, rg_sym_t type)
{
    struct evals *ev = score__find(s, type);
    return ev ? ev->total_count : 0;
}

/* ---- libstdc++ std::sort, step for step ------------------------------------ */

/* The egroups are compared by 'score' (CMP_GREATER / CMP_LESS); locality's
 * interval comparison is reduced to a key computed beforehand, stored in
 * 'needs' scratch-free form: see sort_keys below. */
struct sctx {
    struct egroup *a;
    const int64_t *key; /* parallel to 'a' while sorting: moved with it */
    int64_t *k;
    bool greater;
};

static bool lt(const struct sctx *c, int64_t x, int64_t y)
{
    return c->greater ? x > y : x < y;
}

static void swap_at(struct sctx *c, size_t i, size_t j)
{
    struct egroup t = c->a[i];
    c->a[i] = c->a[j];
    c->a[j] = t;
    int64_t k = c->k[i];
    c->k[i] = c->k[j];
    c->k[j] = k;
}

static void move_median_to_first(struct sctx *c, size_t res, size_t a, size_t b, size_t d)
{
    int64_t *k = c->k;
    if (lt(c, k[a], k[b])) {
        if (lt(c, k[b], k[d]))
            swap_at(c, res, b);
        else if (lt(c, k[a], k[d]))
            swap_at(c, res, d);
        else
            swap_at(c, res, a);
    } else if (lt(c, k[a], k[d]))
        swap_at(c, res, a);
    else if (lt(c, k[b], k[d]))
        swap_at(c, res, d);
    else
        swap_at(c, res, b);
}

static size_t unguarded_partition(struct sctx *c, size_t first, size_t last, size_t pivot)
{
    for (;;) {
        while (lt(c, c->k[first], c->k[pivot]))
            first++;
        last--;
        while (lt(c, c->k[pivot], c->k[last]))
            last--;
        if (!(first < last))
            return first;
        swap_at(c, first, last);
        first++;
    }
}

static void adjust_heap(struct sctx *c, size_t base, size_t hole, size_t len,
                        struct egroup val, int64_t vkey)
{
    struct egroup *a = c->a + base;
    int64_t *k = c->k + base;
    size_t top = hole, child = hole;
    while (len > 2 && child < (len - 1) / 2) {
        child = 2 * (child + 1);
        if (lt(c, k[child], k[child - 1]))
            child--;
        a[hole] = a[child];
        k[hole] = k[child];
        hole = child;
    }
    if ((len & 1) == 0 && child == (len - 2) / 2) {
        child = 2 * (child + 1);
        a[hole] = a[child - 1];
        k[hole] = k[child - 1];
        hole = child - 1;
    }
    /* __push_heap */
    while (hole > top) {
        size_t parent = (hole - 1) / 2;
        if (!lt(c, k[parent], vkey))
            break;
        a[hole] = a[parent];
        k[hole] = k[parent];
        hole = parent;
    }
    a[hole] = val;
    k[hole] = vkey;
}

static void heap_sort(struct sctx *c, size_t first, size_t last)
{
    size_t len = last - first;
    if (len >= 2) {
        for (size_t parent = (len - 2) / 2;; parent--) {
            adjust_heap(c, first, parent, len, c->a[first + parent],
                        c->k[first + parent]);
            if (parent == 0)
                break;
        }
    }
    while (last - first > 1) {
        last--;
        struct egroup v = c->a[last];
        int64_t vk = c->k[last];
        c->a[last] = c->a[first];
        c->k[last] = c->k[first];
        adjust_heap(c, first, 0, last - first, v, vk);
    }
}

static void introsort_loop(struct sctx *c, size_t first, size_t last, int depth)
{
    while (last - first > SORT_THRESHOLD) {
        if (depth == 0) {
            heap_sort(c, first, last);
            return;
        }
        depth--;
        size_t mid = first + (last - first) / 2;
        move_median_to_first(c, first, first + 1, mid, last - 1);
        size_t cut = unguarded_partition(c, first + 1, last, first);
        introsort_loop(c, cut, last, depth);
        last = cut;
    }
}

static void linear_insert(struct sctx *c, size_t i)
{
    struct egroup v = c->a[i];
    int64_t vk = c->k[i];
    size_t j = i;
    while (lt(c, vk, c->k[j - 1])) {
        c->a[j] = c->a[j - 1];
        c->k[j] = c->k[j - 1];
        j--;
    }
    c->a[j] = v;
    c->k[j] = vk;
}

static void insertion_sort(struct sctx *c, size_t first, size_t last)
{
    if (first == last)
        return;
    for (size_t i = first + 1; i != last; i++) {
        if (lt(c, c->k[i], c->k[first])) {
            struct egroup v = c->a[i];
            int64_t vk = c->k[i];
            memmove(&c->a[first + 1], &c->a[first], (i - first) * sizeof *c->a);
            memmove(&c->k[first + 1], &c->k[first], (i - first) * sizeof *c->k);
            c->a[first] = v;
            c->k[first] = vk;
        } else {
            linear_insert(c, i);
        }
    }
}

static int lg(size_t n)
{
    int r = 0;
    while (n >>= 1)
        r++;
    return r;
}

static void reverse(struct sctx *c, size_t n)
{
    for (size_t i = 0, j = n - 1; i < j; i++, j--)
        swap_at(c, i, j);
}

static void std_sort(struct sctx *c, size_t n)
{
    if (n == 0)
        return;
    introsort_loop(c, 0, n, 2 * lg(n));
    if (n > SORT_THRESHOLD) {
        insertion_sort(c, 0, SORT_THRESHOLD);
        for (size_t i = SORT_THRESHOLD; i < n; i++)
            linear_insert(c, i);
    } else {
        insertion_sort(c, 0, n);
    }
}

/* Locality's comparator looks each score up in the interval set of all
 * scores, where adjacent integers merge into one interval: equal intervals
 * compare equal.  The key of a score is the low end of its interval. */
static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

static void interval_keys(int64_t *k, size_t n)
{
    int64_t *s = malloc(n * sizeof *s);
    if (!s)
        return; /* keys stay the scores: the order of a plain greater */
    memcpy(s, k, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_i64);
    for (size_t i = 0; i < n; i++) {
        /* binary search k[i], then walk down while contiguous */
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (s[mid] < k[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        while (lo > 0 && (s[lo - 1] == s[lo] || s[lo - 1] + 1 == s[lo]))
            lo--;
        k[i] = s[lo];
    }
    free(s);
}

/* ---- distinct keys: any sort will do --------------------------------------- */

/* When no two keys compare equal, the sorted sequence is unique: std::sort
 * leaves the groups exactly as any other correct sort does, and its
 * tie-breaks never come into play.  A natural merge sort of (key, index)
 * pairs finds that order in O(n log r) for keys that arrive as r sorted runs
 * (the candidates of a large reservation come in a few runs of out-edge
 * order), against the emulation's O(n log n) moves of whole groups.  It
 * checks for equal neighbours at the end; if it finds any, nothing has been
 * moved and the caller runs the emulation. */
struct kix {
    int64_t k;
    size_t i;
};

static bool kix_lt(const struct kix *x, const struct kix *y, bool greater)
{
    return greater ? x->k > y->k : x->k < y->k;
}

/* Merge the sorted runs src[lo, mid) and src[mid, hi) into dst[lo, hi). */
static void kix_merge(const struct kix *src, struct kix *dst, size_t lo, size_t mid,
                      size_t hi, bool greater)
{
    size_t i = lo, j = mid, o = lo;
    while (i < mid && j < hi)
        dst[o++] = kix_lt(&src[j], &src[i], greater) ? src[j++] : src[i++];
    while (i < mid)
        dst[o++] = src[i++];
    while (j < hi)
        dst[o++] = src[j++];
}

/* Sort 'p' (n pairs; 'q' and 'run', n + 1 entries, are scratch); returns
 * the sorted array, which is 'p' or 'q'. */
static struct kix *kix_sort(struct kix *p, struct kix *q, size_t *run, size_t n,
                            bool greater)
{
    size_t nrun = 0;
    run[nrun++] = 0;
    for (size_t i = 1; i < n; i++)
        if (kix_lt(&p[i], &p[i - 1], greater))
            run[nrun++] = i;
    run[nrun] = n;
    while (nrun > 1) {
        size_t w = 0;
        for (size_t r = 0; r < nrun; r += 2) {
            if (r + 1 < nrun)
                kix_merge(p, q, run[r], run[r + 1], run[r + 2], greater);
            else
                memcpy(&q[run[r]], &p[run[r]], (run[r + 1] - run[r]) * sizeof *p);
            run[w++] = run[r];
        }
        run[w] = n;
        nrun = w;
        struct kix *t = p;
        p = q;
        q = t;
    }
    return p;
}

/* Sort 'a' by keys 'k' if no two keys are equal; false (nothing moved) if
 * some are, or when out of memory. */
static bool sort_distinct(struct egroup *a, const int64_t *k, size_t n, bool greater)
{
    struct kix *p = malloc(2 * n * sizeof *p);
    size_t *run = malloc((n + 1) * sizeof *run);
    struct egroup *tmp = malloc(n * sizeof *tmp);
    bool ok = p && run && tmp;
    if (ok) {
        for (size_t i = 0; i < n; i++)
            p[i] = (struct kix){k[i], i};
        struct kix *s = kix_sort(p, p + n, run, n, greater);
        for (size_t i = 1; i < n && ok; i++)
            ok = kix_lt(&s[i - 1], &s[i], greater);
        if (ok) {
            memcpy(tmp, a, n * sizeof *a);
            for (size_t i = 0; i < n; i++)
                a[i] = tmp[s[i].i];
        }
    }
    free(p);
    free(run);
    free(tmp);
    return ok;
}

static void sort_groups(struct egroup *a, size_t n, enum score_cmp cmp, bool fast)
{
    if (n < 2) /* already in order: a slot's or a leaf's single group */
        return;
    int64_t stack_keys[64];
    int64_t *k = n <= 64 ? stack_keys : malloc(n * sizeof *k);
    if (!k)
        return;
    for (size_t i = 0; i < n; i++)
        k[i] = a[i].score;
    if (cmp == CMP_IV_GREATER)
        interval_keys(k, n);
    struct sctx c = {.a = a, .k = k, .greater = cmp != CMP_LESS};
    /* Keys already in strict order (or strictly against it) are distinct, so
     * every sort, std::sort included, puts them in the one sorted order:
     * nothing to do (or a reversal), in one pass.  Candidates often come
     * that way, in the order of the vertices' ids. */
    size_t i = 1;
    while (i < n && lt(&c, k[i - 1], k[i]))
        i++;
    if (i < n) {
        size_t j = 1;
        while (j < n && lt(&c, k[j], k[j - 1]))
            j++;
        if (j == n)
            reverse(&c, n);
        else if (!fast || n <= SORT_THRESHOLD || !sort_distinct(a, k, n, c.greater))
            std_sort(&c, n);
    }
    if (k != stack_keys)
        free(k);
}

/* std::sort of 'a' (n groups) by 'cmp', step for step (score__sort() without
 * its shortcuts: the reference the tests compare it with). */
void score__sort_std(struct egroup *a, size_t n, enum score_cmp cmp)
{
    sort_groups(a, n, cmp, false);
}

void score__sort(struct egroup *a, size_t n, enum score_cmp cmp)
{
    sort_groups(a, n, cmp, true);
}

/* evals_t::choose_best_k: sort, then give the first groups their needs until
 * 'k' units are covered.  -1 when 'k' is 0 or above the qualified count. */
int score__choose_best_k(struct evals *ev, uint32_t k, enum score_cmp cmp)
{
    if (k == 0 || k > ev->qual_count)
        return -1;
    assert(ev->keep); /* only request types are chosen among */
    /* score__sort() without the call where one group (a slot's core, say)
     * is already in order */
    if (ev->neg > 1)
        sort_groups(ev->eg, ev->neg, cmp, true);
    int64_t left = k;
    uint32_t i = 0;
    while (left > 0) {
        struct egroup *g = &ev->eg[i];
        g->needs = left <= (int64_t)g->count ? (uint32_t)left : g->count;
        left -= g->count;
        i++;
    }
    ev->best_k = k;
    ev->best_i = i;
    return 0;
}

void score__choose_accum_best_k(struct scoring *s, struct evals *ev, uint32_t k,
                                enum score_cmp cmp)
{
    if (ev && score__choose_best_k(ev, k, cmp) == 0)
        s->hier = true;
}

void score__choose_accum_all(struct scoring *s, struct evals *ev, enum score_cmp cmp)
{
    if (ev && score__choose_best_k(ev, ev->qual_count, cmp) == 0)
        s->hier = true;
}
