/* hostlist.c: RFC 29 hostlists with flux-core's libhostlist semantics.
 *
 * A list is an array of host ranges: a prefix plus a numeric suffix range
 * lo..hi printed with zero padding to 'width', or a single host whose name has
 * no numeric suffix.  The merge rule on append and the bracketing rule on
 * encode follow flux-core exactly (including its zero-padding reconciliation
 * and the silent acceptance of "5-" as "5"), since R text is compared byte for
 * byte with Fluxion's. */
#include "hostlist.h"

#include "sbuf.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    MAX_RANGE_HOSTS = 1 << 20, /* flux-core: larger ranges are input errors */
    MAX_HOST_LEN = 1024,
};

struct hrange {
    char *prefix;
    size_t plen;
    unsigned long lo, hi;
    int width;
    bool single; /* no numeric suffix: the host is 'prefix' */
};

struct hostlist {
    struct hrange *r;
    size_t n, cap;
    size_t nhosts;
};

hostlist_t *hostlist_create(void)
{
    return calloc(1, sizeof(hostlist_t));
}

void hostlist_destroy(hostlist_t *hl)
{
    if (!hl)
        return;
    for (size_t i = 0; i < hl->n; i++)
        free(hl->r[i].prefix);
    free(hl->r);
    free(hl);
}

static size_t hr_count(const struct hrange *h)
{
    return h->single ? 1 : (size_t)(h->hi - h->lo) + 1;
}

/* flux-core's hostrange_prefix_cmp(): by prefix bytes, then length, then
 * ranges before single hosts. */
static int prefix_cmp(const struct hrange *a, const struct hrange *b)
{
    size_t m = a->plen < b->plen ? a->plen : b->plen;
    int c = memcmp(a->prefix, b->prefix, m);
    if (c)
        return c;
    if (a->plen != b->plen)
        return a->plen < b->plen ? -1 : 1;
    return (int)b->single - (int)a->single;
}

static int zero_padded(unsigned long num, int width)
{
    int n = 1;
    while (num /= 10)
        n++;
    return width > n ? width - n : 0;
}

/* flux-core's width_equiv(): can 'n' printed at '*wn' and 'm' at '*wm' share
 * one width?  When so, the width that changes nothing is copied across. */
static bool width_equiv(unsigned long n, int *wn, unsigned long m, int *wm)
{
    int npad = zero_padded(n, *wn), nmpad = zero_padded(n, *wm);
    int mpad = zero_padded(m, *wm), mnpad = zero_padded(m, *wn);
    if (npad != nmpad && mpad != mnpad)
        return false;
    if (npad != nmpad)
        *wm = *wn;
    else
        *wn = *wm;
    return true;
}

/* Extend hl's last range by 'h' when flux-core's append would merge them
 * (same prefix, consecutive numbers, compatible widths). */
static bool merge_tail(hostlist_t *hl, struct hrange *h)
{
    struct hrange *tail = hl->n ? &hl->r[hl->n - 1] : NULL;
    /* the numbers first: they differ more often, and cost no call */
    if (!tail || tail->hi != h->lo - 1 || prefix_cmp(tail, h) != 0 ||
        !width_equiv(tail->lo, &tail->width, h->lo, &h->width))
        return false;
    tail->hi = h->hi;
    hl->nhosts += hr_count(h);
    return true;
}

/* Append 'h' as a new range, whose prefix it owns (freed on failure). */
static int push_new(hostlist_t *hl, struct hrange *h)
{
    if (hl->n == hl->cap) {
        size_t cap = hl->cap ? hl->cap * 2 : 8;
        struct hrange *r = realloc(hl->r, cap * sizeof *r);
        if (!r) {
            free(h->prefix);
            return ENG_ENOMEM;
        }
        hl->r = r;
        hl->cap = cap;
    }
    hl->r[hl->n++] = *h;
    hl->nhosts += hr_count(h);
    return 0;
}

/* Append 'h', whose prefix it owns (freed when merged or on failure). */
static int push_range(hostlist_t *hl, struct hrange *h)
{
    if (merge_tail(hl, h)) {
        free(h->prefix);
        return 0;
    }
    return push_new(hl, h);
}

/* push_range() of a copy of 'prefix' ('plen' bytes), copied only when the
 * range does not merge into the last one. */
static int push(hostlist_t *hl, const char *prefix, size_t plen, unsigned long lo,
                unsigned long hi, int width, bool single)
{
    struct hrange h = {(char *)prefix, plen, lo, hi, width, single};
    if (merge_tail(hl, &h))
        return 0;
    if (!(h.prefix = malloc(plen + 1)))
        return ENG_ENOMEM;
    memcpy(h.prefix, prefix, plen);
    h.prefix[plen] = '\0';
    return push_new(hl, &h); /* merge_tail() said no already */
}

/* A host name without brackets: split off its numeric suffix.  A suffix that
 * overflows makes flux-core drop the host silently; so do we. */
static int push_host(hostlist_t *hl, const char *s, size_t len)
{
    size_t i = len;
    while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')
        i--;
    if (i == len)
        return push(hl, s, len, 0, 0, 0, true);
    if (len - i >= MAX_HOST_LEN)
        return 0;
    unsigned long num = 0; /* strtoul() of the digits, whose ERANGE drops it */
    for (size_t k = i; k < len; k++) {
        unsigned d = (unsigned)(s[k] - '0');
        if (num > (ULONG_MAX - d) / 10)
            return 0;
        num = num * 10 + d;
    }
    return push(hl, s, i, num, num, (int)(len - i), false);
}

/* flux-core's parse_next_range() on one element of a bracket list. */
static int parse_elem(char *el, unsigned long *lo, unsigned long *hi, int *width)
{
    char *p = strchr(el, '-'), *q;
    if (p) {
        *p++ = '\0';
        if (*p == '-')
            return ENG_EPARSE;
    }
    *lo = strtoul(el, &q, 10);
    if (q == el)
        return ENG_EPARSE;
    *hi = (p && *p) ? strtoul(p, &q, 10) : *lo;
    if (q == p || *q != '\0' || *lo > *hi)
        return ENG_EPARSE;
    if (*hi - *lo + 1 > MAX_RANGE_HOSTS)
        return ENG_ELIMIT;
    *width = (int)strlen(el);
    return 0;
}

static int push_suffixed(hostlist_t *hl, const char *pfx, const char *sfx,
                         unsigned long lo, unsigned long hi, int width)
{
    for (unsigned long j = lo;; j++) {
        char host[MAX_HOST_LEN];
        int n = snprintf(host, sizeof host, "%s%0*lu%s", pfx, width, j, sfx);
        if (n < 0 || (size_t)n >= sizeof host)
            return ENG_ELIMIT;
        int rc = push(hl, host, (size_t)n, 0, 0, 0, true);
        if (rc < 0)
            return rc;
        if (j == hi)
            break;
    }
    return 0;
}

/* "prefix[ranges]suffix" in 'tok' (modified in place). */
static int push_bracketed(hostlist_t *hl, char *tok, char *open)
{
    *open++ = '\0';
    char *close = strchr(open, ']');
    if (!close)
        return ENG_EPARSE;
    *close++ = '\0';
    for (char *el = open; el;) {
        char *comma = strchr(el, ',');
        if (comma)
            *comma++ = '\0';
        unsigned long lo, hi;
        int width, rc = parse_elem(el, &lo, &hi, &width);
        if (rc == 0)
            rc = *close ? push_suffixed(hl, tok, close, lo, hi, width)
                        : push(hl, tok, strlen(tok), lo, hi, width, false);
        if (rc < 0)
            return rc;
        el = comma;
    }
    return 0;
}

/* flux-core's next_tok(): tokens split at separators outside brackets. */
static char *next_tok(char **str)
{
    static const char sep[] = "\t, ";
    while (**str && strchr(sep, **str))
        (*str)++;
    if (!**str)
        return NULL;
    char *tok = *str;
    int level = 0;
    while (**str && (level != 0 || !strchr(sep, **str))) {
        if (**str == '[')
            level++;
        else if (**str == ']')
            level--;
        (*str)++;
    }
    while (**str && strchr(sep, **str))
        *(*str)++ = '\0';
    return tok;
}

static int append_text(hostlist_t *hl, const char *str, const char *source,
                       eng_error_t *err)
{
    char *copy = strdup(str);
    if (!copy)
        return eng_errorf(err, ENG_ENOMEM, source, 0, 0, "out of memory");
    char *cursor = copy;
    int rc = 0;
    for (char *tok; rc == 0 && (tok = next_tok(&cursor));) {
        int col = (int)(tok - copy) + 1;
        char *open = strchr(tok, '[');
        if (open)
            rc = push_bracketed(hl, tok, open);
        else if (strchr(tok, ']'))
            rc = ENG_EPARSE;
        else
            rc = push_host(hl, tok, strlen(tok));
        if (rc == ENG_EPARSE)
            eng_errorf(err, rc, source, 1, col, "invalid hostlist near column %d", col);
        else if (rc == ENG_ELIMIT)
            eng_errorf(err, rc, source, 1, col, "host range too large");
        else if (rc < 0)
            eng_errorf(err, rc, source, 0, 0, "out of memory");
    }
    free(copy);
    return rc;
}

hostlist_t *hostlist_decode(const char *str, const char *source, eng_error_t *err)
{
    if (!str) {
        eng_errorf(err, ENG_EINVAL, source, 0, 0, "input is NULL");
        return NULL;
    }
    hostlist_t *hl = hostlist_create();
    if (!hl) {
        eng_errorf(err, ENG_ENOMEM, source, 0, 0, "out of memory");
        return NULL;
    }
    if (append_text(hl, str, source, err) < 0) {
        hostlist_destroy(hl);
        return NULL;
    }
    return hl;
}

int hostlist_append(hostlist_t *hl, const char *str, eng_error_t *err)
{
    size_t len = str ? strlen(str) : 0;
    if (len > 0 && strcspn(str, "[]\t, ") == len) {
        /* one plain host name (the common case: R's nodes one by one) is
         * what decoding it would give, without the temporary list */
        size_t before = hl->nhosts;
        int rc = push_host(hl, str, len);
        if (rc < 0)
            return eng_errorf(err, rc, NULL, 0, 0, "out of memory");
        return (int)(hl->nhosts - before);
    }
    /* a local error: 'err' may hold an earlier error, which eng_errorf()
     * keeps, so its code would not be this failure's (cleared here, not on
     * the path above: it is hundreds of bytes) */
    eng_error_t local = {0};
    hostlist_t *add = hostlist_decode(str, NULL, &local);
    if (!add)
        return eng_errorf(err, local.code, NULL, local.line, local.column, "%s",
                          local.text);
    size_t before = hl->nhosts, nr = hl->n;
    int rc = 0;
    for (size_t i = 0; i < add->n && rc == 0; i++) {
        struct hrange h = add->r[i];
        if (!(h.prefix = strdup(h.prefix)))
            rc = ENG_ENOMEM;
        else
            rc = push_range(hl, &h);
    }
    if (rc < 0) {
        /* roll back: ranges pushed after 'nr' go; a merged tail cannot be
         * restored cheaply, so only the out-of-memory path is approximate */
        while (hl->n > nr)
            free(hl->r[--hl->n].prefix);
        hl->nhosts = before;
        hostlist_destroy(add);
        return eng_errorf(err, rc, NULL, 0, 0, "out of memory");
    }
    hostlist_destroy(add);
    return (int)(hl->nhosts - before);
}

size_t hostlist_count(const hostlist_t *hl)
{
    return hl->nhosts;
}

int hostlist_nth(const hostlist_t *hl, size_t n, char *buf, size_t size)
{
    for (size_t i = 0; i < hl->n; i++) {
        const struct hrange *h = &hl->r[i];
        size_t c = hr_count(h);
        if (n >= c) {
            n -= c;
            continue;
        }
        int len = h->single ? snprintf(buf, size, "%s", h->prefix)
                            : snprintf(buf, size, "%s%0*lu", h->prefix, h->width,
                                       h->lo + (unsigned long)n);
        return (len < 0 || (size_t)len >= size) ? ENG_ELIMIT : 0;
    }
    return ENG_ENOENT;
}

size_t hostlist_run_count(const hostlist_t *hl)
{
    return hl->n;
}

struct hostlist_run hostlist_run_at(const hostlist_t *hl, size_t i)
{
    const struct hrange *h = &hl->r[i];
    return (struct hostlist_run){h->prefix, h->plen, h->lo, h->hi, h->width, h->single};
}

/* flux-core's hostrange_hn_within(): is 'host' ('len' bytes) in 'run', and
 * at which number ('*num', 0 for a single host)?  The name must be the
 * prefix, then only digits, written at the run's width or wider when the
 * number needs more (a number beyond ULONG_MAX reads as ULONG_MAX, as
 * strtoul() gives it). */
static bool run_number(const struct hostlist_run *run, const char *host, size_t len,
                       unsigned long *num)
{
    *num = 0;
    if (run->single)
        return len == run->plen && memcmp(host, run->prefix, len) == 0;
    if (len <= run->plen || memcmp(host, run->prefix, run->plen) != 0)
        return false;
    const char *d = host + run->plen;
    size_t nd = len - run->plen;
    unsigned long v = 0;
    for (size_t i = 0; i < nd; i++) {
        if (d[i] < '0' || d[i] > '9')
            return false;
        unsigned digit = (unsigned)(d[i] - '0');
        v = v > (ULONG_MAX - digit) / 10 ? ULONG_MAX : v * 10 + digit;
    }
    int w = zero_padded(v, run->width) + 1;
    for (unsigned long t = v; t /= 10;)
        w++;
    *num = v;
    return v >= run->lo && v <= run->hi && (size_t)w == nd;
}

bool hostlist_run_has(const struct hostlist_run *run, const char *host, size_t len)
{
    unsigned long num;
    return run_number(run, host, len, &num);
}

long hostlist_find(const hostlist_t *hl, const char *host)
{
    size_t base = 0, hlen = strlen(host);
    for (size_t i = 0; i < hl->n; i++) {
        struct hostlist_run run = hostlist_run_at(hl, i);
        unsigned long num;
        if (run_number(&run, host, hlen, &num))
            return (long)(base + (num - run.lo));
        base += hr_count(&hl->r[i]);
    }
    return -1;
}

static bool within(const struct hrange *a, const struct hrange *b)
{
    return prefix_cmp(a, b) == 0 && !a->single && !b->single;
}

static void put_num(struct sbuf *b, const struct hrange *h)
{
    if (h->single)
        return;
    sbuf_uint_width(b, h->lo, h->width);
    if (h->lo < h->hi) {
        sbuf_add(b, "-", 1);
        sbuf_uint_width(b, h->hi, h->width);
    }
}

char *hostlist_encode(const hostlist_t *hl)
{
    struct sbuf b = SBUF_INIT;
    sbuf_add(&b, "", 0);
    size_t i = 0;
    while (i < hl->n) {
        const struct hrange *h = &hl->r[i];
        bool br = hr_count(h) > 1 || (i + 1 < hl->n && within(h, &hl->r[i + 1]));
        sbuf_str(&b, h->prefix);
        if (br)
            sbuf_add(&b, "[", 1);
        for (;;) {
            put_num(&b, &hl->r[i]);
            if (++i >= hl->n || !within(&hl->r[i], &hl->r[i - 1]))
                break;
            if (br)
                sbuf_add(&b, ",", 1);
        }
        if (br)
            sbuf_add(&b, "]", 1);
        if (i < hl->n)
            sbuf_add(&b, ",", 1);
    }
    if (!b.ok) {
        free(b.p);
        return NULL;
    }
    return b.p;
}
