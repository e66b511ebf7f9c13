/* planner_multi.c: several resource types over one time range (see
 * planner_multi.h).
 *
 * Types are few (the pruning types of one vertex: usually 1 to 4), so lookups
 * by type name are linear scans, and each multi-span's per-type span ids sit
 * in one flat array with a stride of the type count.  Multi-spans are sorted
 * by id like the planner's spans, with tombstones compacted lazily. */
#include <stdlib.h>
#include <string.h>

#include "planner_multi.h"
#include "planner_private.h"

struct planner_multi {
    size_t len;
    planner_t **pl;  /* [len] */
    int64_t *totals; /* [len], Fluxion's per-type resource_total */
    int64_t base, duration;
    /* avail_time iteration: the request by type index */
    int64_t it_on_or_after, it_duration;
    int64_t *it_counts; /* [len] */
    /* multi-spans, sorted by id; sub[k * len + i] = span id in planner i or -1 */
    int64_t *ids; /* < 0: tombstone of -(id + 1) */
    int64_t *sub;
    size_t nspans, cap_spans, ndead;
    int64_t span_counter;
    int64_t span_cursor;    /* last id returned + 1 */
    struct plan_sink *sink; /* given to every planner (planner_multi__set_sink()) */
};

void planner_multi__set_sink(planner_multi_t *mp, struct plan_sink *sink)
{
    if (!mp)
        return;
    mp->sink = sink;
    for (size_t i = 0; i < mp->len; i++)
        planner__set_sink(mp->pl[i], sink);
}

/* A change of 'mp' that may touch any time. */
static void msink_all(const planner_multi_t *mp)
{
    if (mp->sink)
        mp->sink->all = true;
}

static int64_t id_of(int64_t raw)
{
    return raw < 0 ? -raw - 1 : raw;
}

static planner_multi_t *fail(eng_error_t *err, int code)
{
    eng_errorf(err, code, NULL, 0, 0, "planner_multi: %s", eng_strerror(code));
    return NULL;
}

/* Arrays of 'len' entries for 'mp' (planners NULL).  0 or ENG_ENOMEM. */
static int alloc_arrays(planner_multi_t *mp, size_t len)
{
    size_t n = len ? len : 1;
    mp->pl = calloc(n, sizeof(*mp->pl));
    mp->totals = calloc(n, sizeof(*mp->totals));
    mp->it_counts = calloc(n, sizeof(*mp->it_counts));
    mp->len = len;
    return mp->pl && mp->totals && mp->it_counts ? 0 : ENG_ENOMEM;
}

static bool has_duplicate(const char *const *types, size_t len)
{
    for (size_t i = 0; i < len; i++)
        for (size_t j = i + 1; j < len; j++)
            if (!strcmp(types[i], types[j]))
                return true;
    return false;
}

/* Validate totals/types for create and update: 0, ENG_EINVAL, ENG_EEXIST. */
static int check_types(const int64_t *totals, const char *const *types, size_t len)
{
    if (len && (!totals || !types))
        return ENG_EINVAL;
    for (size_t i = 0; i < len; i++)
        if (!types[i] || totals[i] < 0)
            return ENG_EINVAL;
    return has_duplicate(types, len) ? ENG_EEXIST : 0;
}

planner_multi_t *planner_multi_create(int64_t base_time, int64_t duration,
                                      const int64_t *totals, const char *const *types,
                                      size_t len, eng_error_t *err)
{
    eng_error_clear(err);
    int rc = check_types(totals, types, len);
    if (rc)
        return fail(err, rc);
    if (base_time < 0 || duration < 1 || duration > INT64_MAX - base_time)
        return fail(err, ENG_EINVAL);
    planner_multi_t *mp = calloc(1, sizeof(*mp));
    if (!mp || alloc_arrays(mp, len)) {
        planner_multi_destroy(mp);
        return fail(err, ENG_ENOMEM);
    }
    mp->base = base_time;
    mp->duration = duration;
    for (size_t i = 0; i < len; i++) {
        if (!(mp->pl[i] =
                  planner_create(base_time, duration, totals[i], types[i], err))) {
            planner_multi_destroy(mp);
            return NULL;
        }
        mp->totals[i] = totals[i];
    }
    return mp;
}

planner_multi_t *planner_multi_create_empty(eng_error_t *err)
{
    eng_error_clear(err);
    planner_multi_t *mp = calloc(1, sizeof(*mp));
    if (!mp || alloc_arrays(mp, 0)) {
        planner_multi_destroy(mp);
        return fail(err, ENG_ENOMEM);
    }
    return mp;
}

static void free_parts(planner_multi_t *mp)
{
    for (size_t i = 0; mp->pl && i < mp->len; i++)
        planner_destroy(mp->pl[i]);
    free(mp->pl);
    free(mp->totals);
    free(mp->it_counts);
    free(mp->ids);
    free(mp->sub);
}

void planner_multi_destroy(planner_multi_t *mp)
{
    if (!mp)
        return;
    free_parts(mp);
    free(mp);
}

/* Deep copy of 'src' into the zeroed 'c'. */
static int copy_into(planner_multi_t *c, const planner_multi_t *src)
{
    size_t len = src->len, cap = src->cap_spans;
    *c = *src;
    c->pl = NULL;
    c->ids = NULL;
    c->sub = NULL;
    c->sink = NULL; /* a copy tells nobody until its owner says */
    if (alloc_arrays(c, len))
        return ENG_ENOMEM;
    for (size_t i = 0; i < len; i++)
        if (!(c->pl[i] = planner_copy(src->pl[i], NULL)))
            return ENG_ENOMEM;
    memcpy(c->totals, src->totals, len * sizeof(*c->totals));
    memcpy(c->it_counts, src->it_counts, len * sizeof(*c->it_counts));
    if (cap) {
        c->ids = malloc(cap * sizeof(*c->ids));
        c->sub = malloc(cap * (len ? len : 1) * sizeof(*c->sub));
        if (!c->ids || !c->sub)
            return ENG_ENOMEM;
        memcpy(c->ids, src->ids, src->nspans * sizeof(*c->ids));
        memcpy(c->sub, src->sub, src->nspans * len * sizeof(*c->sub));
    }
    return 0;
}

planner_multi_t *planner_multi_copy(const planner_multi_t *mp, eng_error_t *err)
{
    eng_error_clear(err);
    if (!mp)
        return fail(err, ENG_EINVAL);
    planner_multi_t *c = calloc(1, sizeof(*c));
    if (!c || copy_into(c, mp)) {
        planner_multi_destroy(c);
        return fail(err, ENG_ENOMEM);
    }
    return c;
}

int planner_multi_assign(planner_multi_t *dst, const planner_multi_t *src)
{
    if (!dst || !src)
        return ENG_EINVAL;
    if (dst == src)
        return 0;
    planner_multi_t tmp;
    memset(&tmp, 0, sizeof(tmp));
    if (copy_into(&tmp, src)) {
        free_parts(&tmp);
        return ENG_ENOMEM;
    }
    free_parts(dst);
    struct plan_sink *sink = dst->sink;
    *dst = tmp;
    planner_multi__set_sink(dst, sink); /* the copy's owner is told */
    msink_all(dst);
    return 0;
}

int64_t planner_multi_base_time(const planner_multi_t *mp)
{
    return mp ? mp->base : ENG_EINVAL;
}

int64_t planner_multi_duration(const planner_multi_t *mp)
{
    return mp ? mp->duration : ENG_EINVAL;
}

size_t planner_multi_resources_len(const planner_multi_t *mp)
{
    return mp ? mp->len : 0;
}

const char *planner_multi_resource_type_at(const planner_multi_t *mp, size_t i)
{
    return mp && i < mp->len ? planner_resource_type(mp->pl[i]) : NULL;
}

const int64_t *planner_multi_resource_totals(const planner_multi_t *mp)
{
    return mp ? mp->totals : NULL;
}

int64_t planner_multi_resource_total_at(const planner_multi_t *mp, size_t i)
{
    return mp && i < mp->len ? mp->totals[i] : ENG_EINVAL;
}

int64_t planner_multi_type_index(const planner_multi_t *mp, const char *type)
{
    if (!mp || !type)
        return ENG_EINVAL;
    for (size_t i = 0; i < mp->len; i++)
        if (!strcmp(planner_resource_type(mp->pl[i]), type))
            return (int64_t)i;
    return ENG_ENOENT;
}

int64_t planner_multi_resource_total_by_type(const planner_multi_t *mp, const char *type)
{
    int64_t i = planner_multi_type_index(mp, type);
    return i < 0 ? i : mp->totals[i];
}

int planner_multi_reset(planner_multi_t *mp, int64_t base_time, int64_t duration)
{
    if (!mp || base_time < 0 || duration < 1 || duration > INT64_MAX - base_time)
        return ENG_EINVAL;
    for (size_t i = 0; i < mp->len; i++)
        planner_reset(mp->pl[i], base_time, duration);
    mp->base = base_time;
    mp->duration = duration;
    mp->nspans = mp->ndead = 0;
    return 0;
}

planner_t *planner_multi_planner_at(planner_multi_t *mp, size_t i)
{
    return mp && i < mp->len ? mp->pl[i] : NULL;
}

static bool bad_vector(const planner_multi_t *mp, const int64_t *v, size_t len)
{
    if (!mp || !v || len != mp->len)
        return true;
    for (size_t i = 0; i < len; i++)
        if (v[i] < 0)
            return true;
    return false;
}

/* Advance planner 0's iteration from 't' until the other types fit too. */
static int64_t multi_seek(planner_multi_t *mp, int64_t t)
{
    while (t >= 0) {
        size_t i = 1;
        while (i < mp->len &&
               planner_avail_during(mp->pl[i], t, mp->it_duration, mp->it_counts[i]) == 0)
            i++;
        if (i == mp->len)
            return t;
        t = planner_avail_time_next(mp->pl[0]);
    }
    return t;
}

int64_t planner_multi_avail_time_first(planner_multi_t *mp, int64_t on_or_after,
                                       int64_t duration, const int64_t *requests,
                                       size_t len)
{
    if (bad_vector(mp, requests, len) || len < 1)
        return ENG_EINVAL;
    mp->it_on_or_after = on_or_after;
    mp->it_duration = duration;
    memcpy(mp->it_counts, requests, len * sizeof(*requests));
    int64_t t = planner_avail_time_first(mp->pl[0], on_or_after, duration, requests[0]);
    return multi_seek(mp, t);
}

int64_t planner_multi_avail_time_next(planner_multi_t *mp)
{
    if (!mp || mp->len < 1)
        return ENG_EINVAL;
    return multi_seek(mp, planner_avail_time_next(mp->pl[0]));
}

int64_t planner_multi_avail_resources_at(const planner_multi_t *mp, int64_t at, size_t i)
{
    if (!mp || i >= mp->len)
        return ENG_EINVAL;
    return planner__avail_resources_at(mp->pl[i], at);
}

size_t planner_multi__last_at(const planner_multi_t *mp, int64_t at, int64_t *avail,
                              size_t *nspans)
{
    if (!mp || mp->len == 0)
        return 0;
    *avail = planner__avail_resources_at(mp->pl[mp->len - 1], at);
    *nspans = mp->nspans - mp->ndead;
    return mp->len;
}

int planner_multi_avail_resources_array_at(const planner_multi_t *mp, int64_t at,
                                           int64_t *counts, size_t len)
{
    if (!mp || !counts || len != mp->len)
        return ENG_EINVAL;
    for (size_t i = 0; i < len; i++) {
        int64_t n = planner_avail_resources_at(mp->pl[i], at);
        if (n < 0)
            return (int)n;
        counts[i] = n;
    }
    return 0;
}

int planner_multi_avail_during(const planner_multi_t *mp, int64_t at, int64_t duration,
                               const int64_t *requests, size_t len)
{
    if (!mp || !requests || len != mp->len)
        return ENG_EINVAL;
    for (size_t i = 0; i < len; i++) {
        int rc = planner__avail_during(mp->pl[i], at, duration, requests[i]);
        if (rc)
            return rc;
    }
    return 0;
}

int planner_multi__avail_during_ix(const planner_multi_t *mp, int64_t at,
                                   int64_t duration, const int32_t *ix,
                                   const int64_t *counts)
{
    if (!mp || (size_t)ix[0] != mp->len)
        return ENG_EINVAL;
    for (int32_t i = 0; i < ix[0]; i++) {
        int rc = planner__avail_during(mp->pl[i], at, duration,
                                       ix[i + 1] >= 0 ? counts[ix[i + 1]] : 0);
        if (rc)
            return rc;
    }
    return 0;
}

int planner_multi_avail_resources_array_during(const planner_multi_t *mp, int64_t at,
                                               int64_t duration, int64_t *counts,
                                               size_t len)
{
    if (!mp || !counts || len < 1 || len != mp->len)
        return ENG_EINVAL;
    for (size_t i = 0; i < len; i++) {
        int64_t n = planner_avail_resources_during(mp->pl[i], at, duration);
        if (n < 0)
            return (int)n;
        counts[i] = n;
    }
    return 0;
}

/* Index of live multi-span 'id', or -1. */
static inline ptrdiff_t mspan_find(const planner_multi_t *mp, int64_t id)
{
    size_t lo = 0, hi = mp->nspans;
    /* the newest is the one most often asked for, as in planner.c; a kept
     * reservation's (eng_replan.c) is often the one before it, the
     * allocation of a job started since */
    if (hi && mp->ids[hi - 1] == id && id >= 0)
        return (ptrdiff_t)(hi - 1);
    if (hi > 1 && mp->ids[hi - 2] == id && id >= 0)
        return (ptrdiff_t)(hi - 2);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (id_of(mp->ids[mid]) < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (id >= 0 && lo < mp->nspans && mp->ids[lo] == id)
        return (ptrdiff_t)lo;
    return -1;
}

int planner_multi__avail_during_ix_without(const planner_multi_t *mp, int64_t at,
                                           int64_t duration, const int32_t *ix,
                                           const int64_t *counts, int64_t span_id)
{
    if (!mp || (size_t)ix[0] != mp->len)
        return ENG_EINVAL;
    int rc;
    ptrdiff_t k = mspan_find(mp, span_id);
    for (int32_t i = 0; i < ix[0]; i++) {
        int64_t req = ix[i + 1] >= 0 ? counts[ix[i + 1]] : 0;
        int64_t sub = k >= 0 ? mp->sub[(size_t)k * mp->len + (size_t)i] : -1;
        if ((rc = planner__avail_during_without(mp->pl[i], at, duration, req, sub)))
            return rc;
    }
    return 0;
}

static int mspans_reserve(planner_multi_t *mp)
{
    if (mp->nspans < mp->cap_spans)
        return 0;
    size_t cap = mp->cap_spans ? mp->cap_spans * 2 : 8;
    size_t stride = mp->len ? mp->len : 1;
    int64_t *ids = realloc(mp->ids, cap * sizeof(*ids));
    if (!ids)
        return ENG_ENOMEM;
    mp->ids = ids;
    int64_t *sub = realloc(mp->sub, cap * stride * sizeof(*sub));
    if (!sub)
        return ENG_ENOMEM;
    mp->sub = sub;
    mp->cap_spans = cap;
    return 0;
}

int64_t planner_multi_span_add(planner_multi_t *mp, int64_t start, int64_t duration,
                               const int64_t *requests, size_t len)
{
    if (bad_vector(mp, requests, len))
        return ENG_EINVAL;
    /* Check and reserve everywhere first, so the adds below cannot fail and
     * a failure leaves no partial multi-span behind. */
    enum { HINTS = 8 };
    int32_t hint[HINTS];
    for (size_t i = 0; i < len; i++) {
        int32_t h;
        int rc = planner__span_check(mp->pl[i], start, duration, requests[i], &h);
        if (rc) {
            mp->span_counter++; /* Fluxion uses up the id of a failed add */
            return rc;
        }
        if ((rc = planner__reserve(mp->pl[i])))
            return rc;
        if (i < HINTS)
            hint[i] = h;
    }
    int rc = mspans_reserve(mp);
    if (rc)
        return rc;
    int64_t *sub = &mp->sub[mp->nspans * len];
    for (size_t i = 0; i < len; i++)
        sub[i] = planner__span_add_hinted(mp->pl[i], start, duration, requests[i],
                                          i < HINTS ? hint[i] : -1);
    mp->ids[mp->nspans++] = mp->span_counter;
    return mp->span_counter++;
}

static inline void mspan_erase(planner_multi_t *mp, size_t k)
{
    mp->ids[k] = -mp->ids[k] - 1;
    mp->ndead++;
    /* As planner.c: trailing tombstones go at once, the rest when they are
     * half the array, so a vertex's array stays short. */
    while (mp->nspans && mp->ids[mp->nspans - 1] < 0) {
        mp->nspans--;
        mp->ndead--;
    }
    if (!mp->ndead || mp->ndead * 2 < mp->nspans)
        return;
    size_t w = 0;
    for (size_t r = 0; r < mp->nspans; r++) {
        if (mp->ids[r] < 0)
            continue;
        mp->ids[w] = mp->ids[r];
        memmove(&mp->sub[w * mp->len], &mp->sub[r * mp->len], mp->len * sizeof(*mp->sub));
        w++;
    }
    mp->nspans = w;
    mp->ndead = 0;
}

int planner_multi_span_remove(planner_multi_t *mp, int64_t span_id)
{
    if (!mp || span_id < 0)
        return ENG_EINVAL;
    ptrdiff_t k = mspan_find(mp, span_id);
    if (k < 0)
        return ENG_ENOENT;
    for (size_t i = 0; i < mp->len; i++) {
        /* planner_span_remove(), inline; a part already gone is skipped */
        int64_t sid = mp->sub[k * mp->len + i];
        planner_t *p = mp->pl[i];
        ptrdiff_t j = sid != -1 && p ? planner__span_find(p, sid) : -1;
        if (j >= 0)
            planner__span_remove_at(p, (size_t)j);
    }
    mspan_erase(mp, (size_t)k);
    return 0;
}

/* Whether type index 'i' appears in 'types' ('named' caches i < 64). */
static bool is_named(const planner_multi_t *mp, uint64_t named, const char *const *types,
                     size_t len, size_t i)
{
    if (i < 64)
        return named & (UINT64_C(1) << i);
    for (size_t j = 0; j < len; j++)
        if (!strcmp(types[j], planner_resource_type(mp->pl[i])))
            return true;
    return false;
}

/* Reduce type 'i''s part of the multi-span whose per-type ids are 'sub' by
 * 'amount', as Fluxion does: a part already released (or never planned) is
 * skipped; a part that drops to 0 is marked -1.  0 or ENG_EINVAL. */
static int reduce_one(planner_multi_t *mp, int64_t *sub, size_t i, int64_t amount)
{
    bool gone = false;
    int rc = planner_span_reduce(mp->pl[i], sub[i], amount, &gone);
    if (rc && planner_span_is_active(mp->pl[i], sub[i]))
        return ENG_EINVAL;
    if (gone)
        sub[i] = -1;
    return 0;
}

int planner_multi_span_reduce(planner_multi_t *mp, int64_t span_id,
                              const int64_t *reduced, const char *const *types,
                              size_t len, bool *removed)
{
    if (removed)
        *removed = false;
    if (!mp || span_id < 0 || (len && (!reduced || !types)))
        return ENG_EINVAL;
    for (size_t j = 0; j < len; j++)
        if (!types[j] || reduced[j] < 0)
            return ENG_EINVAL;
    ptrdiff_t k = mspan_find(mp, span_id);
    if (k < 0)
        return ENG_ENOENT;
    int64_t *sub = &mp->sub[(size_t)k * mp->len];
    /* 64 bits of "named in the list" flags: pruning types are few, and a
     * multi-planner with more types falls back to a scan. */
    uint64_t named = 0;
    for (size_t j = 0; j < len; j++) {
        int64_t i = planner_multi_type_index(mp, types[j]);
        if (i < 0)
            continue; /* a type this filter does not track */
        /* Fluxion applies the list in order and stops at the first bad
         * amount, keeping what it already released; so do we. */
        if (reduce_one(mp, sub, (size_t)i, reduced[j]))
            return ENG_EINVAL;
        if (i < 64)
            named |= UINT64_C(1) << i;
    }
    /* Types the list does not name are reduced by 0: their part goes away
     * if it planned nothing (jobs plan 0 of the filter types they skip). */
    bool all_gone = true;
    for (size_t i = 0; i < mp->len; i++) {
        if (!is_named(mp, named, types, len, i) && reduce_one(mp, sub, i, 0))
            return ENG_EINVAL;
        all_gone = all_gone && sub[i] == -1;
    }
    if (all_gone) {
        mspan_erase(mp, (size_t)k);
        if (removed)
            *removed = true;
    }
    return 0;
}

int64_t planner_multi_span_planned_at(const planner_multi_t *mp, int64_t span_id,
                                      size_t i)
{
    if (!mp || span_id < 0 || i >= mp->len)
        return ENG_EINVAL;
    ptrdiff_t k = mspan_find(mp, span_id);
    if (k < 0)
        return ENG_ENOENT;
    int64_t sid = mp->sub[(size_t)k * mp->len + i];
    return sid == -1 ? 0 : planner_span_planned(mp->pl[i], sid);
}

static int64_t mspan_from(planner_multi_t *mp, int64_t after)
{
    size_t lo = 0, hi = mp->nspans;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (id_of(mp->ids[mid]) < after)
            lo = mid + 1;
        else
            hi = mid;
    }
    while (lo < mp->nspans && mp->ids[lo] < 0)
        lo++;
    if (lo == mp->nspans)
        return ENG_ENOENT;
    mp->span_cursor = mp->ids[lo] + 1;
    return mp->ids[lo];
}

int64_t planner_multi_span_first(planner_multi_t *mp)
{
    return mp ? mspan_from(mp, 0) : ENG_EINVAL;
}

int64_t planner_multi_span_next(planner_multi_t *mp)
{
    return mp ? mspan_from(mp, mp->span_cursor) : ENG_EINVAL;
}

size_t planner_multi_span_count(const planner_multi_t *mp)
{
    return mp ? mp->nspans - mp->ndead : 0;
}

static bool rows_equal(const planner_multi_t *a, const planner_multi_t *b)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < a->nspans && a->ids[i] < 0)
            i++;
        while (j < b->nspans && b->ids[j] < 0)
            j++;
        if (i == a->nspans || j == b->nspans)
            return i == a->nspans && j == b->nspans;
        if (a->ids[i] != b->ids[j] ||
            memcmp(&a->sub[i * a->len], &b->sub[j * b->len], a->len * sizeof(*a->sub)))
            return false;
        i++;
        j++;
    }
}

static bool multis_match(const planner_multi_t *a, const planner_multi_t *b, bool strict)
{
    if (!a || !b)
        return false;
    if (a == b)
        return true;
    if (a->len != b->len || !rows_equal(a, b))
        return false;
    if (strict &&
        (a->span_counter != b->span_counter || a->it_on_or_after != b->it_on_or_after ||
         a->it_duration != b->it_duration))
        return false;
    for (size_t i = 0; i < a->len; i++) {
        int64_t j = planner_multi_type_index(b, planner_resource_type(a->pl[i]));
        if (j < 0 || a->totals[i] != b->totals[j])
            return false;
        if (strict ? a->it_counts[i] != b->it_counts[j] ||
                         !planner_is_equal(a->pl[i], b->pl[j])
                   : !planner_is_same_state(a->pl[i], b->pl[j]))
            return false;
    }
    return true;
}

bool planner_multi_is_equal(const planner_multi_t *a, const planner_multi_t *b)
{
    return multis_match(a, b, true);
}

bool planner_multi_is_same_state(const planner_multi_t *a, const planner_multi_t *b)
{
    return multis_match(a, b, false);
}

/* The arrays an update builds before it commits. */
struct update_plan {
    planner_t **pl;
    int64_t *totals, *counts, *sub, *from; /* from[j]: old index or -1 */
};

static void update_plan_free(struct update_plan *u, size_t len, bool planners)
{
    for (size_t j = 0; planners && u->pl && j < len; j++)
        if (u->from[j] < 0)
            planner_destroy(u->pl[j]);
    free(u->pl);
    free(u->totals);
    free(u->counts);
    free(u->sub);
    free(u->from);
}

static int update_prepare(const planner_multi_t *mp, struct update_plan *u,
                          const int64_t *totals, const char *const *types, size_t len)
{
    u->pl = calloc(len, sizeof(*u->pl));
    u->totals = calloc(len, sizeof(*u->totals));
    u->counts = calloc(len, sizeof(*u->counts));
    u->from = calloc(len, sizeof(*u->from));
    u->sub = calloc(mp->cap_spans ? mp->cap_spans * len : 1, sizeof(*u->sub));
    if (!u->pl || !u->totals || !u->counts || !u->from || !u->sub)
        return ENG_ENOMEM;
    for (size_t j = 0; j < len; j++) {
        u->from[j] = planner_multi_type_index(mp, types[j]);
        u->totals[j] = totals[j];
        if (u->from[j] >= 0)
            continue;
        /* A new type starts without spans, over the current time range. */
        eng_error_t err = {0};
        if (!(u->pl[j] =
                  planner_create(mp->base, mp->duration, totals[j], types[j], &err)))
            return err.code;
    }
    return 0;
}

int planner_multi_update(planner_multi_t *mp, const int64_t *totals,
                         const char *const *types, size_t len)
{
    if (!mp || !totals || !types)
        return ENG_EINVAL;
    int rc = check_types(totals, types, len);
    if (rc || len == 0)
        return rc;
    for (size_t j = 0; j < len; j++)
        if (totals[j] > PLANNER_TOTAL_MAX)
            return ENG_ELIMIT;
    struct update_plan u = {0};
    if ((rc = update_prepare(mp, &u, totals, types, len))) {
        update_plan_free(&u, len, true);
        return rc;
    }
    for (size_t j = 0; j < len; j++) {
        int64_t old = u.from[j];
        if (old >= 0) {
            u.pl[j] = mp->pl[old];
            mp->pl[old] = NULL;
            planner_update_total(u.pl[j], totals[j]);
            u.counts[j] = mp->it_counts[old];
        }
        for (size_t k = 0; k < mp->nspans; k++)
            u.sub[k * len + j] = old >= 0 ? mp->sub[k * mp->len + (size_t)old] : -1;
    }
    for (size_t i = 0; i < mp->len; i++)
        planner_destroy(mp->pl[i]); /* the types not listed */
    free(mp->pl);
    free(mp->totals);
    free(mp->it_counts);
    free(mp->sub);
    mp->pl = u.pl;
    mp->totals = u.totals;
    mp->it_counts = u.counts;
    mp->sub = u.sub;
    mp->len = len;
    free(u.from);
    planner_multi__set_sink(mp, mp->sink); /* the new types' planners too */
    msink_all(mp);
    return 0;
}

int planner_multi_check(const planner_multi_t *mp)
{
    if (!mp)
        return ENG_ESTATE;
    for (size_t i = 0; i < mp->len; i++)
        if (planner_check(mp->pl[i]) ||
            planner_resource_total(mp->pl[i]) != mp->totals[i])
            return ENG_ESTATE;
    size_t dead = 0;
    for (size_t k = 0; k < mp->nspans; k++) {
        if (k && id_of(mp->ids[k]) <= id_of(mp->ids[k - 1]))
            return ENG_ESTATE;
        if (id_of(mp->ids[k]) >= mp->span_counter)
            return ENG_ESTATE;
        if (mp->ids[k] < 0) {
            dead++;
            continue;
        }
        for (size_t i = 0; i < mp->len; i++) {
            int64_t sid = mp->sub[k * mp->len + i];
            if (sid != -1 && !planner_span_is_active(mp->pl[i], sid))
                return ENG_ESTATE;
        }
    }
    return dead == mp->ndead ? 0 : ENG_ESTATE;
}
