/* jobspec_constraint.c: RFC 31 job constraints, parsed into a small tree and
 * evaluated against one vertex through the engine's callbacks.
 *
 * Accepted as Fluxion's libjobspec (constraint.cpp) accepts it: a constraint
 * is a mapping of at most one operator ({} matches everything) whose value is
 * a sequence; "properties" entries must be quoted strings and, after one
 * optional leading '^' (negation), contain none of !&'"^`|(); "hostlist"
 * entries are RFC 29 hostlists and "ranks" entries RFC 22 idsets (any scalar,
 * so ranks: [0] is fine); "and", "or", "not" take constraints.
 *
 * Hostlists and idsets are decoded here into sorted ranges rather than linked
 * from flux-core: matching a node is then a scan of a few ranges with no
 * allocation and no expansion (node[0-999999] costs one range).  A name is in
 * a range when it reads prefix, number, suffix with the number written as
 * flux-core writes the range's hosts ("%0*lu", the width of 'lo' as given):
 * node[01-10] holds node07, node[1-10] holds node7 but not node07.  A
 * bracket-less token is one name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobspec_private.h"

enum cop { COP_TRUE, COP_PROPERTIES, COP_HOSTLIST, COP_RANKS, COP_AND, COP_OR, COP_NOT };

/* prefix[lo-hi]suffix, or one name when 'single' (then 'prefix' is it). */
struct hrange {
    const char *prefix, *suffix;
    size_t plen, slen;
    uint64_t lo, hi;
    int width; /* digits of 'lo' as written: numbers print as %0*lu */
    bool single;
};

enum { HOSTRANGE_MAX = 1 << 20 }; /* hosts per range, as flux-core */

struct irange {
    uint64_t lo, hi;
};

struct jobspec_constraint {
    enum cop op;
    size_t n;                          /* entries of the array below that applies */
    const char **props;                /* COP_PROPERTIES, as written (with '^') */
    struct hrange *hosts;              /* COP_HOSTLIST */
    struct irange *ranks;              /* COP_RANKS, sorted, disjoint */
    const jobspec_constraint_t **kids; /* COP_AND, COP_OR, COP_NOT */
};

/* ---- decoding -------------------------------------------------------------- */

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Decimal 's' of 'n' digits into '*v'; false when empty or above 2^32 - 1. */
static bool read_uint(const char *s, size_t n, uint64_t *v)
{
    if (!all_digits(s, n) || n > 10)
        return false;
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++)
        x = x * 10 + (uint64_t)(s[i] - '0');
    *v = x;
    return x <= UINT32_MAX;
}

/* One "lo" or "lo-hi" of 'n' bytes. */
static bool read_range(const char *s, size_t n, uint64_t *lo, uint64_t *hi, int *width)
{
    const char *dash = memchr(s, '-', n);
    size_t l1 = dash ? (size_t)(dash - s) : n;
    if (!read_uint(s, l1, lo))
        return false;
    *width = (int)l1;
    if (!dash) {
        *hi = *lo;
        return true;
    }
    return read_uint(dash + 1, n - l1 - 1, hi) && *hi >= *lo;
}

static bool is_host_sep(char c)
{
    return c == ',' || c == ' ' || c == '\t';
}

/* One hostlist token 's' of 'n' bytes (RFC 29: name, or prefix[ranges]suffix)
 * appended to 'out'.  Returns the number of ranges added, or -1 when invalid. */
static int host_entry(const char *s, size_t n, struct hrange *out)
{
    const char *open = memchr(s, '[', n);
    const char *close = memchr(s, ']', n);
    if (!open && !close) {
        *out = (struct hrange){.prefix = s, .plen = n, .single = true};
        return 1;
    }
    if (!open || !close || close < open ||
        memchr(close + 1, '[', (size_t)(s + n - close - 1)) ||
        memchr(close + 1, ']', (size_t)(s + n - close - 1)))
        return -1;
    struct hrange r = {.prefix = s,
                       .plen = (size_t)(open - s),
                       .suffix = close + 1,
                       .slen = (size_t)(s + n - close - 1)};
    int k = 0;
    for (const char *p = open + 1; p <= close; k++) {
        const char *comma = memchr(p, ',', (size_t)(close - p));
        const char *stop = comma ? comma : close;
        if (!read_range(p, (size_t)(stop - p), &r.lo, &r.hi, &r.width) ||
            r.hi - r.lo >= HOSTRANGE_MAX)
            return -1;
        out[k] = r;
        p = stop + 1;
    }
    return k;
}

/* Split 'text' into tokens at commas, spaces and tabs outside brackets (as
 * flux-core's hostlist_decode) and add their ranges to 'con'. */
static int decode_hostlist(jsctx_t *c, const jsnode_t *n, const char *text,
                           jobspec_constraint_t *con, size_t *cap)
{
    /* a range takes at least two bytes of text, so this bounds the count */
    size_t need = con->n + strlen(text) / 2 + 1;
    if (need > *cap) {
        struct hrange *h = jobspec__arena_alloc(c->arena, need * 2 * sizeof *h);
        if (!h)
            return jobspec__fail(c, ENG_ENOMEM, n, NULL, "out of memory");
        if (con->n)
            memcpy(h, con->hosts, con->n * sizeof *h);
        con->hosts = h;
        *cap = need * 2;
    }
    const char *p = text;
    while (*p) {
        while (*p && is_host_sep(*p))
            p++;
        const char *tok = p;
        int depth = 0;
        for (; *p && (depth || !is_host_sep(*p)); p++)
            depth += (*p == '[') - (*p == ']');
        if (p == tok)
            break;
        int k = host_entry(tok, (size_t)(p - tok), con->hosts + con->n);
        if (k < 0)
            return -1;
        con->n += (size_t)k;
    }
    return 0;
}

static int cmp_irange(const void *pa, const void *pb)
{
    const struct irange *a = pa, *b = pb;
    return a->lo < b->lo ? -1 : a->lo > b->lo;
}

/* An RFC 22 idset: optional brackets, ascending "n" or "n-m" (m > n), no
 * leading zeros, as flux-core's idset_decode() requires. */
static int decode_idset(const char *text, struct irange *out, size_t *nout)
{
    size_t len = strlen(text);
    if (len >= 2 && text[0] == '[' && text[len - 1] == ']') {
        text++;
        len -= 2;
    }
    const char *p = text, *end = text + len;
    int64_t last = -1;
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        struct irange r;
        int width;
        if (!read_range(p, (size_t)(stop - p), &r.lo, &r.hi, &width) ||
            (p[0] == '0' && width > 1) || (int64_t)r.lo <= last)
            return -1;
        const char *dash = memchr(p, '-', (size_t)(stop - p));
        if (dash && (r.hi == r.lo || (dash[1] == '0' && stop - dash > 2)))
            return -1;
        last = (int64_t)r.hi;
        out[(*nout)++] = r;
        p = stop + (stop < end);
    }
    return 0;
}

/* ---- parsing --------------------------------------------------------------- */

/* Text of a scalar entry as yaml-cpp's as<std::string> gives it. */
static int parse_properties(jsctx_t *c, const jsnode_t *seq, const char *path,
                            jobspec_constraint_t *con)
{
    if (seq->n && !(con->props = jobspec__arena_alloc(c->arena, seq->n * sizeof(char *))))
        return jobspec__fail(c, ENG_ENOMEM, seq, path, "out of memory");
    for (size_t i = 0; i < seq->n; i++) {
        const jsnode_t *e = seq->items[i];
        char sub[JOBSPEC_PATH_MAX];
        jobspec__subpath_index(sub, path, "properties", i);
        /* yaml-cpp's tag "!": a quoted string, not a number or a plain word */
        if (e->kind != JSN_SCALAR || !e->quoted)
            return jobspec__expect(c, e, sub, "a quoted string",
                                   "non-string property specified");
        const char *name = e->text + (e->text[0] == '^');
        char fluxion[ENG_ERROR_TEXT_MAX];
        if (strpbrk(name, "!&'\"^`|()") &&
            snprintf(fluxion, sizeof fluxion, "%s is invalid", e->text) >= 0)
            return jobspec__failx(c, e, sub, fluxion,
                                  "invalid property \"%s\" (none of !&'\"^`|() after an "
                                  "optional leading ^)",
                                  e->text);
        con->props[con->n++] = e->text;
    }
    return 0;
}

static int parse_hosts_or_ranks(jsctx_t *c, const jsnode_t *seq, const char *path,
                                const char *op, jobspec_constraint_t *con)
{
    bool hosts = con->op == COP_HOSTLIST;
    size_t cap = 0, total = 0;
    for (size_t i = 0; i < seq->n; i++) {
        const char *t = jobspec__to_text(seq->items[i]);
        total += t ? strlen(t) + 1 : 0;
    }
    if (!hosts && total &&
        !(con->ranks = jobspec__arena_alloc(c->arena, total * sizeof *con->ranks)))
        return jobspec__fail(c, ENG_ENOMEM, seq, path, "out of memory");
    for (size_t i = 0; i < seq->n; i++) {
        const jsnode_t *e = seq->items[i];
        const char *t = jobspec__to_text(e);
        char sub[JOBSPEC_PATH_MAX];
        jobspec__subpath_index(sub, path, op, i);
        if (!t)
            return jobspec__expect(c, e, sub, "a string", jobspec__badconv);
        int rc = hosts ? decode_hostlist(c, e, t, con, &cap)
                       : decode_idset(t, con->ranks, &con->n);
        if (rc == ENG_ENOMEM)
            return rc;
        char fluxion[ENG_ERROR_TEXT_MAX];
        if (rc && snprintf(fluxion, sizeof fluxion, "Invalid %s `%s'",
                           hosts ? "hostlist" : "idset", t) >= 0)
            return jobspec__failx(c, e, sub, fluxion, "invalid %s \"%s\"",
                                  hosts ? "hostlist" : "idset", t);
    }
    if (!hosts && con->n > 1)
        qsort(con->ranks, con->n, sizeof *con->ranks, cmp_irange);
    return 0;
}

static int parse_children(jsctx_t *c, const jsnode_t *seq, const char *path,
                          const char *op, jobspec_constraint_t *con)
{
    if (seq->n && !(con->kids = jobspec__arena_alloc(c->arena, seq->n * sizeof(void *))))
        return jobspec__fail(c, ENG_ENOMEM, seq, path, "out of memory");
    char *sub = jobspec__tmp_realloc(c->arena, NULL, JOBSPEC_PATH_MAX);
    if (!sub)
        return jobspec__fail(c, ENG_ENOMEM, seq, path, "out of memory");
    int rc = 0;
    c->depth++;
    for (size_t i = 0; i < seq->n && rc == 0; i++) {
        jobspec__subpath_index(sub, path, op, i);
        rc = jobspec__constraint_parse(c, seq->items[i], sub, &con->kids[i]);
        con->n += rc == 0;
    }
    c->depth--;
    free(sub);
    return rc;
}

static const char *const op_names[] = {"",    "properties", "hostlist", "ranks",
                                       "and", "or",         "not"};

int jobspec__constraint_parse(jsctx_t *c, const jsnode_t *n, const char *path,
                              const jobspec_constraint_t **out)
{
    if (jobspec__spend(c, n))
        return -1;
    if (c->depth >= JOBSPEC_DEPTH_MAX)
        return jobspec__fail(c, ENG_ELIMIT, n, path, "constraints nested deeper than %d",
                             (int)JOBSPEC_DEPTH_MAX);
    if (n->kind != JSN_MAP)
        return jobspec__expect(c, n, path, "a mapping", "constraint is not a mapping");
    if (n->n > 1)
        return jobspec__failx(c, n, path, "constraint map may not contain > 1 operation",
                              "a constraint holds one operator, got %zu", n->n);
    jobspec_constraint_t *con = jobspec__arena_alloc(c->arena, sizeof *con);
    if (!con)
        return jobspec__fail(c, ENG_ENOMEM, n, path, "out of memory");
    *out = con;
    if (n->n == 0)
        return 0;
    const jsnode_t *key = n->items[0], *val = n->items[1];
    char fluxion[ENG_ERROR_TEXT_MAX], sub[JOBSPEC_PATH_MAX];
    jobspec__subpath(sub, path, key->text);
    if (val->kind != JSN_SEQ && /* checked before the operator's name, as Fluxion */
        snprintf(fluxion, sizeof fluxion, "%s operator value must be an array",
                 key->text) >= 0)
        return jobspec__expect(c, val, sub, "a sequence", fluxion);
    for (int op = COP_PROPERTIES; op <= COP_NOT; op++)
        if (strcmp(key->text, op_names[op]) == 0)
            con->op = (enum cop)op;
    if (con->op == COP_TRUE &&
        snprintf(fluxion, sizeof fluxion, "unknown constraint operator: %s", key->text) >=
            0)
        return jobspec__failx(c, key, path, fluxion, "unknown constraint operator \"%s\"",
                              key->text);
    switch (con->op) {
    case COP_PROPERTIES:
        return parse_properties(c, val, path, con);
    case COP_HOSTLIST:
    case COP_RANKS:
        return parse_hosts_or_ranks(c, val, path, key->text, con);
    default:
        return parse_children(c, val, path, key->text, con);
    }
}

/* ---- matching -------------------------------------------------------------- */

static int ndigits(uint64_t v)
{
    int d = 1;
    while (v >= 10) {
        v /= 10;
        d++;
    }
    return d;
}

/* 'name' is in 'r' when it is prefix + the number as "%0*lu" + suffix, the
 * form flux-core's hostlist gives each of its hosts. */
static bool host_in_range(const struct hrange *r, const char *name, size_t len)
{
    if (r->single)
        return len == r->plen && memcmp(name, r->prefix, len) == 0;
    if (len <= r->plen + r->slen || memcmp(name, r->prefix, r->plen) != 0 ||
        memcmp(name + len - r->slen, r->suffix, r->slen) != 0)
        return false;
    const char *d = name + r->plen;
    size_t nd = len - r->plen - r->slen;
    uint64_t v;
    if (!read_uint(d, nd, &v) || v < r->lo || v > r->hi)
        return false;
    int want = ndigits(v) > r->width ? ndigits(v) : r->width;
    return (int)nd == want;
}

static bool match_hosts(const jobspec_constraint_t *c, const char *name)
{
    if (!name)
        return false;
    size_t len = strlen(name);
    for (size_t i = 0; i < c->n; i++)
        if (host_in_range(&c->hosts[i], name, len))
            return true;
    return false;
}

/* Binary search: the ranges are sorted by 'lo' (they may overlap when
 * several entries were given, so a miss falls back to a scan to the left). */
static bool match_ranks(const jobspec_constraint_t *c, int64_t rank)
{
    if (rank < 0)
        return false;
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->ranks[mid].lo <= (uint64_t)rank)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i-- > 0;)
        if ((uint64_t)rank <= c->ranks[i].hi)
            return true;
    return false;
}

static bool match_props(const jobspec_constraint_t *c,
                        const struct jobspec_vertex_ops *ops, const void *ctx)
{
    for (size_t i = 0; i < c->n; i++) {
        const char *p = c->props[i];
        bool negate = p[0] == '^';
        bool has = ops->has_property && ops->has_property(ctx, p + negate);
        if (has == negate)
            return false;
    }
    return true;
}

bool jobspec_constraint_match(const jobspec_constraint_t *c,
                              const struct jobspec_vertex_ops *ops, const void *ctx)
{
    if (!c)
        return true;
    switch (c->op) {
    case COP_TRUE:
        return true;
    case COP_PROPERTIES:
        return match_props(c, ops, ctx);
    case COP_HOSTLIST:
        return match_hosts(c, ops->name ? ops->name(ctx) : NULL);
    case COP_RANKS:
        return match_ranks(c, ops->rank ? ops->rank(ctx) : -1);
    case COP_OR:
        for (size_t i = 0; i < c->n; i++)
            if (jobspec_constraint_match(c->kids[i], ops, ctx))
                return true;
        return false;
    default: /* and; not is the negation of and */
        for (size_t i = 0; i < c->n; i++)
            if (!jobspec_constraint_match(c->kids[i], ops, ctx))
                return c->op == COP_NOT;
        return c->op != COP_NOT;
    }
}

/* ---- formatting ------------------------------------------------------------ */

static void format_hrange(const struct hrange *r, struct jsbuf *b)
{
    if (r->single) {
        jobspec__buf_printf(b, "\"%.*s\"", (int)r->plen, r->prefix);
        return;
    }
    jobspec__buf_printf(b, "\"%.*s[%0*llu", (int)r->plen, r->prefix, r->width,
                        (unsigned long long)r->lo);
    if (r->hi != r->lo)
        jobspec__buf_printf(b, "-%0*llu", r->width, (unsigned long long)r->hi);
    jobspec__buf_printf(b, "]%.*s\"", (int)r->slen, r->suffix);
}

int jobspec__constraint_format(const jobspec_constraint_t *c, struct jsbuf *b)
{
    if (c->op == COP_TRUE) {
        jobspec__buf_printf(b, "{}");
        return 0;
    }
    jobspec__buf_printf(b, "{%s: [", op_names[c->op]);
    for (size_t i = 0; i < c->n; i++) {
        if (i)
            jobspec__buf_printf(b, ", ");
        if (c->op == COP_PROPERTIES)
            jobspec__buf_printf(b, "\"%s\"", c->props[i]);
        else if (c->op == COP_HOSTLIST)
            format_hrange(&c->hosts[i], b);
        else if (c->op == COP_RANKS && c->ranks[i].lo == c->ranks[i].hi)
            jobspec__buf_printf(b, "\"%llu\"", (unsigned long long)c->ranks[i].lo);
        else if (c->op == COP_RANKS)
            jobspec__buf_printf(b, "\"%llu-%llu\"", (unsigned long long)c->ranks[i].lo,
                                (unsigned long long)c->ranks[i].hi);
        else
            jobspec__constraint_format(c->kids[i], b);
    }
    jobspec__buf_printf(b, "]}");
    return 0;
}
