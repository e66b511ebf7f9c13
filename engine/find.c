/* find.c: Fluxion's "find" (dfu_impl_t::find and expr_eval_api_t,
 * resource/evaluators at fd257f71): evaluate a predicate expression at every
 * vertex of the dominant subsystem, post-order, and emit each vertex that
 * satisfies it together with its ancestors.
 *
 * Grammar, as Fluxion parses it: terms are "key=value" leaves or
 * parenthesised expressions; terms are joined by "and", "or" or bare
 * whitespace (an implicit and), evaluated strictly left to right without
 * precedence.  A parent's down / allocated / reserved state overrides its
 * descendants' for the status and sched-* predicates. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eng_private.h"
#include "hostlist.h"

struct fctx {
    eng_t *e;
    rg_vid_t u;
    bool down, alloc, resv; /* overrides from ancestors (and u itself) */
};

static bool is_ws(char c)
{
    return c == ' ' || c == '\t';
}

static size_t skip_ws(const char *s, size_t at, size_t n)
{
    while (at < n && is_ws(s[at]))
        at++;
    return at;
}

static bool ieq(const char *a, size_t n, const char *b)
{
    if (strlen(b) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)a[i]) != b[i])
            return false;
    return true;
}

/* flux_job_id_parse, for the forms tests use: decimal and 0x hex. */
static int parse_jobid(const char *s, size_t n, uint64_t *id)
{
    char buf[64];
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end = NULL;
    unsigned long long v = strtoull(buf, &end, 0);
    if (*end || buf[0] == '-')
        return -1;
    *id = v;
    return 0;
}

/* Validate (ctx NULL) or evaluate the leaf "key=value" of 'n' bytes. */
static int leaf(const struct fctx *c, const char *s, size_t n, bool *res)
{
    const char *eq = memchr(s, '=', n);
    if (!eq)
        return -1;
    size_t kn = (size_t)(eq - s), vn = n - kn - 1;
    const char *v = eq + 1;
    bool r = false;
    uint64_t id = 0;
    if (kn == 6 && !strncmp(s, "status", 6)) {
        if (!ieq(v, vn, "down") && !ieq(v, vn, "up"))
            return -1;
        if (c) {
            bool down = c->down || rg_vertex_status(c->e->g, c->u) == RG_STATUS_DOWN;
            r = ieq(v, vn, "down") ? down : !down;
        }
    } else if (kn == 9 && !strncmp(s, "sched-now", 9)) {
        if (!ieq(v, vn, "allocated") && !ieq(v, vn, "free"))
            return -1;
        if (c) {
            bool a = c->alloc || c->e->nalloc[c->u] > 0;
            r = ieq(v, vn, "allocated") ? a : !a;
        }
    } else if (kn == 12 && !strncmp(s, "sched-future", 12)) {
        if (!ieq(v, vn, "reserved") && !ieq(v, vn, "free"))
            return -1;
        if (c) {
            bool a = c->resv || c->e->nresv[c->u] > 0;
            r = ieq(v, vn, "reserved") ? a : !a;
        }
    } else if ((kn == 11 && !strncmp(s, "jobid-alloc", 11)) ||
               (kn == 10 && !strncmp(s, "jobid-span", 10)) ||
               (kn == 9 && !strncmp(s, "jobid-tag", 9)) ||
               (kn == 14 && !strncmp(s, "jobid-reserved", 14))) {
        if (parse_jobid(v, vn, &id) < 0)
            return -1;
        if (c) {
            struct vjob *j = eng__vj_get(c->e, c->u, id);
            uint32_t f = j ? j->flags : 0;
            uint32_t want = s[6] == 'a'   ? VJ_ALLOC
                            : s[6] == 's' ? VJ_AG
                            : s[6] == 't' ? VJ_TAG
                                          : VJ_RESV;
            r = (f & want) != 0;
        }
    } else if (kn == 8 && !strncmp(s, "agfilter", 8)) {
        if (!ieq(v, vn, "true") && !ieq(v, vn, "t") && !ieq(v, vn, "false") &&
            !ieq(v, vn, "f"))
            return -1;
        r = ieq(v, vn, "true") || ieq(v, vn, "t");
    } else if (kn == 5 && !strncmp(s, "names", 5)) {
        char buf[4096];
        if (vn >= sizeof buf)
            return -1;
        for (size_t i = 0; i < vn; i++)
            buf[i] = (char)tolower((unsigned char)v[i]);
        buf[vn] = '\0';
        hostlist_t *hl = hostlist_decode(buf, NULL, NULL);
        if (!hl)
            return -1;
        if (c)
            r = hostlist_find(
                    hl, rg_sym_str(c->e->g, rg_vertex_get(c->e->g, c->u)->name)) >= 0;
        hostlist_destroy(hl);
    } else if (kn == 8 && !strncmp(s, "property", 8)) {
        if (vn == 0)
            return -1;
        if (c) {
            char buf[1024];
            size_t m = vn < sizeof buf - 1 ? vn : sizeof buf - 1;
            for (size_t i = 0; i < m; i++)
                buf[i] = (char)tolower((unsigned char)v[i]);
            buf[m] = '\0';
            r = rg_vertex_prop_get(c->e->g, c->u, buf) != NULL;
        }
    } else {
        return -1;
    }
    if (res)
        *res = r;
    return 0;
}

static int expr(const struct fctx *c, const char *s, size_t n, bool *res);

/* One term at 'at': a leaf or a parenthesised expression.  '*next' gets the
 * index after it. */
static int term(const struct fctx *c, const char *s, size_t n, size_t at, size_t *next,
                bool *res)
{
    size_t tok = skip_ws(s, at, n);
    if (tok >= n)
        return -1;
    if (s[tok] != '(') {
        size_t end = tok;
        while (end < n && !is_ws(s[end]))
            end++;
        *next = end;
        return leaf(c, s + tok, end - tok, res);
    }
    int bal = 1;
    size_t pa = tok + 1;
    while (bal && pa < n) {
        if (s[pa] == '(' || s[pa] == ')')
            bal += s[pa] == ')' ? -1 : 1;
        pa++;
    }
    if (bal)
        return -1;
    *next = pa;
    return expr(c, s + tok + 1, pa - tok - 2, res);
}

static int expr(const struct fctx *c, const char *s, size_t n, bool *res)
{
    size_t next = 0;
    bool r1 = false, r2 = false;
    if (term(c, s, n, 0, &next, &r1) < 0)
        return -1;
    size_t last = n;
    while (last > 0 && is_ws(s[last - 1]))
        last--;
    size_t at = next;
    while (at < last) {
        if (!is_ws(s[at]))
            return -1;
        size_t w = skip_ws(s, at, n), we = w;
        while (we < n && !is_ws(s[we]))
            we++;
        bool is_or = we - w == 2 && !strncmp(s + w, "or", 2);
        if (is_or || (we - w == 3 && !strncmp(s + w, "and", 3)))
            at = we;
        if (term(c, s, n, at, &next, &r2) < 0)
            return -1;
        r1 = is_or ? (r1 || r2) : (r1 && r2);
        at = next;
    }
    if (res)
        *res = r1;
    return 0;
}

/* Pull the jobid-* and agfilter predicates out of 'crit' (validated). */
static void scan_preds(const char *crit, uint64_t *jobid, bool *agfilter)
{
    const char *keys[] = {
        "jobid-alloc=", "jobid-span=", "jobid-tag=", "jobid-reserved=", "agfilter="};
    size_t n = strlen(crit);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && !is_ws(crit[i - 1]) && crit[i - 1] != '(')
            continue;
        for (int k = 0; k < 5; k++) {
            size_t kl = strlen(keys[k]);
            if (strncmp(crit + i, keys[k], kl) != 0)
                continue;
            size_t e = i + kl;
            while (e < n && !is_ws(crit[e]) && crit[e] != ')')
                e++;
            if (k < 4)
                parse_jobid(crit + i + kl, e - i - kl, jobid);
            else
                *agfilter = ieq(crit + i + kl, e - i - kl, "true") ||
                            ieq(crit + i + kl, e - i - kl, "t");
        }
    }
}

struct find {
    eng_t *e;
    const char *crit;
    rwrite_t *w;
    uint64_t jobid;
    bool agfilter;
    eng_error_t *err;
};

/* The aggregate-filter data of 'u' for the find: its used/total counts,
 * for job f->jobid if set.  Returns 0, or 1 when 'u' has no span of that job
 * (as after a failed partial cancel) or the planner cannot say: Fluxion then
 * notes it in its message buffer and leaves the vertex out, the find going
 * on and succeeding. */
static int agfilter_data(struct find *f, rg_vid_t u, struct rwrite_kv *kv,
                         char (*buf)[64], size_t *nkv)
{
    eng_t *e = f->e;
    planner_multi_t *p = e->subplan[u];
    size_t len = planner_multi_resources_len(p);
    int64_t span = -1;
    if (f->jobid) {
        struct vjob *j = eng__vj_get(e, u, f->jobid);
        if (!j || !(j->flags & VJ_AG)) {
            eng__msg_add(e, "dom_find_dfv: span missing in job2span  for vertex: %s\n",
                         rg_sym_str(e->g, rg_vertex_get(e->g, u)->name));
            return 1;
        }
        span = j->agspan;
    }
    for (size_t i = 0; i < len && i < ENG_PRUNE_TYPES_MAX; i++) {
        int64_t total = planner_multi_resource_total_at(p, i), used;
        if (f->jobid) {
            used = planner_multi_span_planned_at(p, span, i);
            if (used < 0) {
                eng__msg_add(e,
                             "dom_find_dfv: error from planner_multi_span_planned_at:  "
                             "for vertex: %s\n",
                             rg_sym_str(e->g, rg_vertex_get(e->g, u)->name));
                return 1;
            }
        } else {
            int64_t free_now = planner_multi_avail_resources_at(p, e->now, i);
            if (free_now == total) {
                int64_t t0 = planner_multi_avail_resources_at(p, 0, i);
                if (t0 != total)
                    free_now = t0;
            }
            used = total - free_now;
        }
        snprintf(buf[i], sizeof buf[i], "used:%lld, total:%lld", (long long)used,
                 (long long)total);
        kv[i].key = planner_multi_resource_type_at(p, i);
        kv[i].value = buf[i];
    }
    *nkv = len < ENG_PRUNE_TYPES_MAX ? len : ENG_PRUNE_TYPES_MAX;
    return 0;
}

static int find_dfv(struct find *f, rg_vid_t u, bool down, bool alloc, bool resv)
{
    eng_t *e = f->e;
    int nchildren = 0, rc;
    down = down || rg_vertex_status(e->g, u) == RG_STATUS_DOWN;
    alloc = alloc || e->nalloc[u] > 0;
    resv = resv || e->nresv[u] > 0;
    e->color[u] = e->color_base + 1;
    e->trav_level++;
    for (rg_eid_t ed = rg_out_first(e->g, u, e->dom); ed != RG_EID_NONE;
         ed = rg_out_next(e->g, ed, e->dom)) {
        rg_vid_t t = rg_edge_get(e->g, ed)->dst;
        if (e->color[t] > e->color_base)
            continue;
        rc = find_dfv(f, t, down, alloc, resv);
        if (rc < 0) {
            e->trav_level--;
            return rc;
        }
        if (rc > 0) {
            if (trav__emit_edge(e, f->w, ed, false, f->err) < 0)
                eng__msg_add(e, "dom_find_dfv: emit_edg returned an error.\n");
            nchildren += rc;
        }
    }
    e->color[u] = e->color_base + 2;
    struct fctx c = {e, u, down, alloc, resv};
    bool result = false;
    rc = 0;
    if (expr(&c, f->crit, strlen(f->crit), &result) < 0) {
        eng__msg_add(e, "dom_find_dfv: error from evaluate: Invalid argument");
        rc = ENG_EINVAL;
        goto done;
    }
    if (!result && !nchildren)
        goto done;
    struct rwrite_kv kv[ENG_PRUNE_TYPES_MAX];
    char buf[ENG_PRUNE_TYPES_MAX][64];
    size_t nkv = 0;
    if (f->agfilter) {
        if (!e->subplan[u])
            goto done;
        if (agfilter_data(f, u, kv, buf, &nkv) != 0)
            goto done; /* rc 0: the vertex is skipped, the find goes on */
    }
    /* the ephemeral data (labels) of a previous match is stale here: cleared */
    e->label[u] = NULL;
    if (trav__emit_vertex(e, f->w, u, (unsigned)rg_vertex_get(e->g, u)->size, true, false,
                          kv, nkv, f->err) < 0) {
        eng__msg_add(e, "dom_find_dfv: error from emit_vtx: Cannot allocate memory");
        rc = ENG_ENOMEM;
        goto done;
    }
    rc = nchildren + 1;
done:
    e->trav_level--;
    return rc;
}

int eng_find(eng_t *e, const char *criteria, rwrite_t *w, eng_error_t *err)
{
    eng_error_clear(err);
    if (!e || !criteria || !e->g)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid argument");
    if (e->pend.on) {
        int src = eng__settle_err(e, err);
        if (src < 0)
            return src;
    }
    eng__msg_clear(e);
    rg_vid_t root = rg_graph_root(e->g, e->dom);
    if (root == RG_VID_NONE)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no root");
    if (expr(NULL, criteria, strlen(criteria), NULL) < 0) {
        eng__msg_add(e, "find: invalid criteria: %s.\n", criteria);
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid criteria: %s", criteria);
    }
    struct find f = {e, criteria, w, 0, false, err};
    scan_preds(criteria, &f.jobid, &f.agfilter);
    trav__tick(e);
    int rc = find_dfv(&f, root, false, false, false);
    if (rc < 0)
        return eng_errorf(err, rc, NULL, 0, 0, "find failed");
    if (w)
        rwrite_set_times(w, 0, 0);
    return 0;
}
