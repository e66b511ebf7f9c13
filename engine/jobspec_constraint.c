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
 * Hostlists and idsets are decoded by hostlist.c and idset.c (flux-core's
 * rules, as Fluxion's HostlistConstraint and RankConstraint use them: every
 * entry appended to one list or set), then copied into the parse's arena as
 * runs and ranges, so that the jobspec owns no other memory and matching a
 * node is a scan of a few runs with no allocation and no expansion
 * (node[0-999999] costs one run). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostlist.h"
#include "idset.h"
#include "jobspec_private.h"
#include "sbuf.h"

enum cop { COP_TRUE, COP_PROPERTIES, COP_HOSTLIST, COP_RANKS, COP_AND, COP_OR, COP_NOT };

struct irange {
    unsigned lo, hi;
};

struct jobspec_constraint {
    enum cop op;
    size_t n;                          /* entries of the array below that applies */
    const char **props;                /* COP_PROPERTIES, as written (with '^') */
    struct hostlist_run *hosts;        /* COP_HOSTLIST, prefixes in the arena */
    struct irange *ranks;              /* COP_RANKS, ascending, disjoint */
    const char *text;                  /* COP_HOSTLIST, COP_RANKS: RFC 29/22 text */
    const jobspec_constraint_t **kids; /* COP_AND, COP_OR, COP_NOT */
};

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

/* Append entry 'e' (path 'path', operator 'op', index 'i') to 'hl', or to
 * 'ids' when 'hl' is NULL.  Returns 0, ENG_ENOMEM (not reported yet), or
 * the code of the positioned error reported. */
static int add_entry(jsctx_t *c, const jsnode_t *e, const char *path, const char *op,
                     size_t i, hostlist_t *hl, idset_t *ids)
{
    const char *t = jobspec__to_text(e);
    char sub[JOBSPEC_PATH_MAX];
    jobspec__subpath_index(sub, path, op, i);
    if (!t)
        return jobspec__expect(c, e, sub, "a string", jobspec__badconv);
    eng_error_t err = {0}; /* the decoders' texts give way to Fluxion's */
    int rc = 0;
    if (hl) {
        rc = hostlist_append(hl, t, &err);
    } else {
        idset_t *add = idset_decode(t, -1, NULL, &err);
        unsigned lo, hi;
        rc = add ? 0 : err.code;
        for (size_t k = 0; add && rc == 0 && k < idset_range_count(add); k++) {
            idset_range_at(add, k, &lo, &hi);
            rc = idset_range_set(ids, lo, hi);
        }
        idset_destroy(add);
    }
    if (rc == ENG_ENOMEM || rc >= 0)
        return rc < 0 ? rc : 0;
    char fluxion[ENG_ERROR_TEXT_MAX];
    const char *what = hl ? "hostlist" : "idset";
    snprintf(fluxion, sizeof fluxion, "Invalid %s `%s'", what, t);
    return jobspec__failx(c, e, sub, fluxion, "invalid %s \"%s\"", what, t);
}

/* Copy the runs of 'hl' and its text into the arena. */
static int keep_hosts(jsctx_t *c, const hostlist_t *hl, jobspec_constraint_t *con)
{
    size_t n = hostlist_run_count(hl);
    char *text = hostlist_encode(hl);
    if (!text || !(con->text = jobspec__arena_strndup(c->arena, text, strlen(text))) ||
        (n && !(con->hosts = jobspec__arena_alloc(c->arena, n * sizeof *con->hosts)))) {
        free(text);
        return ENG_ENOMEM;
    }
    free(text);
    for (; con->n < n; con->n++) {
        struct hostlist_run r = hostlist_run_at(hl, con->n);
        if (!(r.prefix = jobspec__arena_strndup(c->arena, r.prefix, r.plen)))
            return ENG_ENOMEM;
        con->hosts[con->n] = r;
    }
    return 0;
}

/* Copy the ranges of 'ids' and its text into the arena. */
static int keep_ranks(jsctx_t *c, const idset_t *ids, jobspec_constraint_t *con)
{
    size_t n = idset_range_count(ids);
    char *text = idset_encode(ids, IDSET_FLAG_RANGE);
    if (!text || !(con->text = jobspec__arena_strndup(c->arena, text, strlen(text))) ||
        (n && !(con->ranks = jobspec__arena_alloc(c->arena, n * sizeof *con->ranks)))) {
        free(text);
        return ENG_ENOMEM;
    }
    free(text);
    for (; con->n < n; con->n++)
        idset_range_at(ids, con->n, &con->ranks[con->n].lo, &con->ranks[con->n].hi);
    return 0;
}

/* As Fluxion's HostlistConstraint/RankConstraint: all entries go into one
 * hostlist or idset; a bad one is "Invalid hostlist `x'" ("idset"). */
static int parse_hosts_or_ranks(jsctx_t *c, const jsnode_t *seq, const char *path,
                                const char *op, jobspec_constraint_t *con)
{
    bool hosts = con->op == COP_HOSTLIST;
    hostlist_t *hl = hosts ? hostlist_create() : NULL;
    idset_t *ids = hosts ? NULL : idset_create();
    int rc = hl || ids ? 0 : ENG_ENOMEM;
    for (size_t i = 0; rc == 0 && i < seq->n; i++)
        rc = add_entry(c, seq->items[i], path, op, i, hl, ids);
    if (rc == 0)
        rc = hosts ? keep_hosts(c, hl, con) : keep_ranks(c, ids, con);
    hostlist_destroy(hl);
    idset_destroy(ids);
    if (rc == ENG_ENOMEM)
        return jobspec__fail(c, ENG_ENOMEM, seq, path, "out of memory");
    return rc;
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

static bool zeroes_errno(const jobspec_constraint_t *c)
{
    if (c->op == COP_HOSTLIST || c->op == COP_RANKS)
        return c->n > 0;
    if (c->op == COP_AND || c->op == COP_OR || c->op == COP_NOT)
        for (size_t i = 0; i < c->n; i++)
            if (zeroes_errno(c->kids[i])) /* depth bounded by the parser */
                return true;
    return false;
}

bool jobspec__zeroes_errno(const jobspec_t *js)
{
    return js && js->system.constraint && zeroes_errno(js->system.constraint);
}

static bool match_hosts(const jobspec_constraint_t *c, const char *name)
{
    if (!name)
        return false;
    size_t len = strlen(name);
    for (size_t i = 0; i < c->n; i++)
        if (hostlist_run_has(&c->hosts[i], name, len))
            return true;
    return false;
}

/* Binary search over the ascending, disjoint ranges. */
static bool match_ranks(const jobspec_constraint_t *c, int64_t rank)
{
    if (rank < 0 || rank > UINT_MAX)
        return false;
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->ranks[mid].hi < (unsigned)rank)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n && c->ranks[lo].lo <= (unsigned)rank;
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

int jobspec__constraint_format(const jobspec_constraint_t *c, struct sbuf *b)
{
    if (c->op == COP_TRUE) {
        sbuf_printf(b, "{}");
        return 0;
    }
    if (c->op == COP_HOSTLIST || c->op == COP_RANKS) { /* as Fluxion's as_yaml() */
        sbuf_printf(b, "{%s: [\"%s\"]}", op_names[c->op], c->text);
        return 0;
    }
    sbuf_printf(b, "{%s: [", op_names[c->op]);
    for (size_t i = 0; i < c->n; i++) {
        if (i)
            sbuf_printf(b, ", ");
        if (c->op == COP_PROPERTIES)
            sbuf_printf(b, "\"%s\"", c->props[i]);
        else
            jobspec__constraint_format(c->kids[i], b);
    }
    sbuf_printf(b, "]}");
    return 0;
}
