/* idset.c: RFC 22 idsets as sorted arrays of disjoint ranges.
 *
 * Why ranges and not a bitmap (flux-core uses a van Emde Boas tree): the
 * sets we handle are small and dense (cores of a node, ranks of a job), and a
 * malformed "0,2000000000" must not allocate 256 MiB.  Set/clear are O(log n)
 * to find the place plus O(n) to shift, which for appends in ascending order
 * (the writers' case) is amortised O(1). */
#include "idset.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

struct range {
    unsigned lo, hi; /* inclusive, lo <= hi */
};

struct idset {
    struct range *r;
    size_t n, cap;
};

idset_t *idset_create(void)
{
    return calloc(1, sizeof(idset_t));
}

void idset_destroy(idset_t *s)
{
    if (!s)
        return;
    free(s->r);
    free(s);
}

static int reserve(idset_t *s, size_t want)
{
    if (want <= s->cap)
        return 0;
    size_t cap = s->cap ? s->cap * 2 : 4;
    while (cap < want)
        cap *= 2;
    struct range *r = realloc(s->r, cap * sizeof *r);
    if (!r)
        return ENG_ENOMEM;
    s->r = r;
    s->cap = cap;
    return 0;
}

idset_t *idset_copy(const idset_t *s)
{
    idset_t *c = idset_create();
    if (!c || reserve(c, s->n) < 0) {
        idset_destroy(c);
        return NULL;
    }
    if (s->n)
        memcpy(c->r, s->r, s->n * sizeof *s->r);
    c->n = s->n;
    return c;
}

/* Index of the first range whose hi >= 'id' (s->n when none). */
static size_t lower(const idset_t *s, unsigned id)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->r[mid].hi < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int idset_range_set(idset_t *s, unsigned lo, unsigned hi)
{
    if (lo > hi) {
        unsigned t = lo;
        lo = hi;
        hi = t;
    }
    if (hi >= IDSET_MAX_ID)
        return ENG_EINVAL;
    /* fast path: append after the last range */
    if (s->n && s->r[s->n - 1].hi + 1 >= lo && s->r[s->n - 1].lo <= lo) {
        if (hi > s->r[s->n - 1].hi)
            s->r[s->n - 1].hi = hi;
        return 0;
    }
    /* first range that touches or follows [lo, hi] (adjacent counts) */
    size_t i = lower(s, lo ? lo - 1 : 0);
    size_t j = i; /* one past the last range merged */
    while (j < s->n && s->r[j].lo <= hi + 1)
        j++;
    if (i == j) { /* no overlap: insert */
        if (reserve(s, s->n + 1) < 0)
            return ENG_ENOMEM;
        memmove(&s->r[i + 1], &s->r[i], (s->n - i) * sizeof *s->r);
        s->r[i] = (struct range){lo, hi};
        s->n++;
        return 0;
    }
    struct range m = {s->r[i].lo < lo ? s->r[i].lo : lo,
                      s->r[j - 1].hi > hi ? s->r[j - 1].hi : hi};
    s->r[i] = m;
    memmove(&s->r[i + 1], &s->r[j], (s->n - j) * sizeof *s->r);
    s->n -= j - i - 1;
    return 0;
}

int idset_set(idset_t *s, unsigned id)
{
    return idset_range_set(s, id, id);
}

int idset_range_clear(idset_t *s, unsigned lo, unsigned hi)
{
    if (lo > hi) {
        unsigned t = lo;
        lo = hi;
        hi = t;
    }
    size_t i = lower(s, lo);
    if (i < s->n && s->r[i].lo < lo && s->r[i].hi > hi) { /* split one range */
        if (reserve(s, s->n + 1) < 0)
            return ENG_ENOMEM;
        memmove(&s->r[i + 1], &s->r[i], (s->n - i) * sizeof *s->r);
        s->n++;
        s->r[i].hi = lo - 1;
        s->r[i + 1].lo = hi + 1;
        return 0;
    }
    if (i < s->n && s->r[i].lo < lo) { /* trim the tail of the first */
        s->r[i].hi = lo - 1;
        i++;
    }
    size_t j = i;
    while (j < s->n && s->r[j].hi <= hi)
        j++;
    if (j < s->n && s->r[j].lo <= hi) /* trim the head of the last */
        s->r[j].lo = hi + 1;
    memmove(&s->r[i], &s->r[j], (s->n - j) * sizeof *s->r);
    s->n -= j - i;
    return 0;
}

int idset_clear(idset_t *s, unsigned id)
{
    return idset_range_clear(s, id, id);
}

bool idset_test(const idset_t *s, unsigned id)
{
    size_t i = lower(s, id);
    return i < s->n && s->r[i].lo <= id;
}

size_t idset_count(const idset_t *s)
{
    size_t c = 0;
    for (size_t i = 0; i < s->n; i++)
        c += (size_t)(s->r[i].hi - s->r[i].lo) + 1;
    return c;
}

unsigned idset_first(const idset_t *s)
{
    return s->n ? s->r[0].lo : IDSET_INVALID_ID;
}

unsigned idset_next(const idset_t *s, unsigned prev)
{
    if (prev >= IDSET_MAX_ID)
        return IDSET_INVALID_ID;
    size_t i = lower(s, prev + 1);
    if (i == s->n)
        return IDSET_INVALID_ID;
    return s->r[i].lo > prev + 1 ? s->r[i].lo : prev + 1;
}

size_t idset_range_count(const idset_t *s)
{
    return s->n;
}

void idset_range_at(const idset_t *s, size_t i, unsigned *lo, unsigned *hi)
{
    *lo = s->r[i].lo;
    *hi = s->r[i].hi;
}

bool idset_equal(const idset_t *a, const idset_t *b)
{
    return a->n == b->n && (a->n == 0 || memcmp(a->r, b->r, a->n * sizeof *a->r) == 0);
}

char *idset_encode(const idset_t *s, int flags)
{
    struct sbuf b = SBUF_INIT;
    bool brackets = (flags & IDSET_FLAG_BRACKETS) && idset_count(s) > 1;
    sbuf_add(&b, "", 0);
    if (brackets)
        sbuf_add(&b, "[", 1);
    for (size_t i = 0; i < s->n; i++) {
        if (i > 0)
            sbuf_add(&b, ",", 1);
        if (flags & IDSET_FLAG_RANGE) {
            sbuf_uint(&b, s->r[i].lo);
            if (s->r[i].hi > s->r[i].lo) {
                sbuf_add(&b, "-", 1);
                sbuf_uint(&b, s->r[i].hi);
            }
            continue;
        }
        for (unsigned id = s->r[i].lo;; id++) {
            if (id > s->r[i].lo)
                sbuf_add(&b, ",", 1);
            sbuf_uint(&b, id);
            if (id == s->r[i].hi)
                break;
        }
    }
    if (brackets)
        sbuf_add(&b, "]", 1);
    if (!b.ok) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* One decimal number as RFC 22 allows it: digits only, no leading zero.
 * Returns the number of characters used, 0 when there is no valid number;
 * '*big' is set when it does not fit below IDSET_MAX_ID. */
static size_t parse_uint(const char *p, const char *end, unsigned long long *v, bool *big)
{
    size_t n = 0;
    *v = 0;
    while (p + n < end && p[n] >= '0' && p[n] <= '9') {
        if (*v < 10ull * IDSET_MAX_ID)
            *v = *v * 10 + (unsigned)(p[n] - '0');
        n++;
    }
    if (n > 1 && p[0] == '0')
        return 0;
    if (*v >= IDSET_MAX_ID)
        *big = true;
    return n;
}

/* Parse one element "N" or "N-M" spanning [p, end). */
static int parse_elem(const char *p, const char *end, unsigned *lo, unsigned *hi,
                      bool *big)
{
    unsigned long long a, b;
    size_t n = parse_uint(p, end, &a, big);
    if (n == 0)
        return -1;
    p += n;
    b = a;
    if (p < end && *p == '-') {
        p++;
        size_t m = parse_uint(p, end, &b, big);
        if (m == 0 || b <= a)
            return -1;
        p += m;
    }
    if (p != end)
        return -1;
    *lo = (unsigned)(a < IDSET_MAX_ID ? a : IDSET_MAX_ID - 1);
    *hi = (unsigned)(b < IDSET_MAX_ID ? b : IDSET_MAX_ID - 1);
    return 0;
}

static int elem_error(eng_error_t *err, const char *source, const char *str,
                      const char *p, const char *end, bool order)
{
    int col = (int)(p - str) + 1, n = (int)(end - p);
    if (order)
        return eng_errorf(err, ENG_EPARSE, source, 1, col, "range '%.*s' is out of order",
                          n, p);
    return eng_errorf(err, ENG_EPARSE, source, 1, col, "error parsing range '%.*s'", n,
                      p);
}

idset_t *idset_decode(const char *str, long len, const char *source, eng_error_t *err)
{
    if (!str) {
        eng_errorf(err, ENG_EINVAL, source, 0, 0, "input is NULL");
        return NULL;
    }
    const char *p = str, *end = str + (len < 0 ? (long)strlen(str) : len);
    if (end - p >= 2 && p[0] == '[' && end[-1] == ']') {
        p++;
        end--;
    }
    for (const char *q = p; q < end; q++) {
        if (*q == '[' || *q == ']') {
            eng_errorf(err, ENG_EPARSE, source, 1, (int)(q - str) + 1,
                       "mismatched or nested brackets");
            return NULL;
        }
    }
    idset_t *s = idset_create();
    if (!s) {
        eng_errorf(err, ENG_ENOMEM, source, 0, 0, "out of memory");
        return NULL;
    }
    bool have = false;
    unsigned maxid = 0;
    while (p < end) {
        const char *e = memchr(p, ',', (size_t)(end - p));
        if (!e)
            e = end;
        if (e > p) { /* empty elements are skipped, as strtok_r does */
            unsigned lo, hi;
            bool big = false;
            if (parse_elem(p, e, &lo, &hi, &big) < 0) {
                elem_error(err, source, str, p, e, false);
                goto error;
            }
            if (big) {
                eng_errorf(err, ENG_ELIMIT, source, 1, (int)(p - str) + 1,
                           "set universe size would exceed maximum");
                goto error;
            }
            if (have && lo <= maxid) {
                elem_error(err, source, str, p, e, true);
                goto error;
            }
            if (idset_range_set(s, lo, hi) < 0) {
                eng_errorf(err, ENG_ENOMEM, source, 0, 0, "out of memory");
                goto error;
            }
            have = true;
            maxid = hi;
        }
        p = e < end ? e + 1 : e;
    }
    return s;
error:
    idset_destroy(s);
    return NULL;
}
