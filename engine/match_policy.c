/* match_policy.c: Fluxion's match policies (resource/policies at fd257f71):
 * the named policies and the custom "policy=... node_centric=..." form, the
 * count calculation of the request (matcher_util_api_t::calc_count) and the
 * callbacks the DFU traversal calls at each vertex (dfu_match_cb_t).
 *
 * Three families: multilevel-id ("low"/"high" and their node-centric,
 * node-exclusive and stop-on-first variants), locality (greater interval
 * first) and variation (by the "perf_class" property). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eng_private.h"
#include "match_inline.h"
#include "trav_inline.h"

/* Named policies and their custom-form definitions (dfu_match_policy_factory). */
static const struct {
    const char *name, *spec;
} named[] = {
    {"first", "policy=high node_centric=true stop_on_1_matches=true"},
    {"firstnodex",
     "policy=high node_centric=true node_exclusive=true stop_on_1_matches=true"},
    {"high", "policy=high"},
    {"low", "policy=low"},
    {"lonode", "policy=low node_centric=true"},
    {"hinode", "policy=high node_centric=true"},
    {"lonodex", "policy=low node_centric=true node_exclusive=true"},
    {"hinodex", "policy=high node_centric=true node_exclusive=true"},
};

static int parse_bool(const char *key, const char *val, bool *out, eng_error_t *err)
{
    if (strcmp(val, "true") == 0)
        *out = true;
    else if (strcmp(val, "false") == 0)
        *out = false;
    else
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0,
                          "policy option %s requires true or false, got %s", key, val);
    return 0;
}

/* One "key=value" term of the custom form. */
static int parse_term(char *term, struct match_policy *p, bool *have_pol,
                      eng_error_t *err)
{
    char *eq = strchr(term, '=');
    const char *val = eq ? eq + 1 : "";
    if (eq)
        *eq = '\0';
    if (strcmp(term, "policy") == 0) {
        if (strcmp(val, "high") != 0 && strcmp(val, "low") != 0)
            return eng_errorf(err, ENG_EINVAL, NULL, 0, 0,
                              "policy key within custom policy accepts only low or high");
        if (!*have_pol)
            p->high = strcmp(val, "high") == 0;
        *have_pol = true;
        return 0;
    }
    bool b = false;
    if (strcmp(term, "node_centric") == 0 || strcmp(term, "node_exclusive") == 0 ||
        strcmp(term, "stop_on_1_matches") == 0) {
        int rc = parse_bool(term, val, &b, err);
        if (rc < 0)
            return rc;
        if (term[5] == 'c')
            p->node_centric = b;
        else if (term[5] == 'e')
            p->node_exclusive = b;
        else
            p->stop_on_k = b ? 1 : 0;
        return 0;
    }
    return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid policy option: %s", term);
}

static int parse_custom(const char *spec, struct match_policy *p, eng_error_t *err)
{
    char buf[512];
    if (strlen(spec) >= sizeof buf)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "match policy too long");
    strcpy(buf, spec);
    bool have_pol = false;
    char *save = NULL;
    /* Fluxion splits on single spaces; empty terms are invalid options */
    char *s = buf;
    for (;;) {
        char *sp = strchr(s, ' ');
        if (sp)
            *sp = '\0';
        int rc = parse_term(s, p, &have_pol, err);
        if (rc < 0)
            return rc;
        if (!sp)
            break;
        s = sp + 1;
    }
    (void)save;
    if (!have_pol)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "unknown match policy '%s'", spec);
    return 0;
}

int match__policy_parse(const char *name, struct match_policy *p, eng_error_t *err)
{
    memset(p, 0, sizeof *p);
    p->kind = MATCH_POL_MULTILEVEL;
    if (!name)
        name = "first";
    if (strcmp(name, "locality") == 0) {
        p->kind = MATCH_POL_LOCALITY;
        return 0;
    }
    if (strcmp(name, "variation") == 0) {
        p->kind = MATCH_POL_VARIATION;
        return 0;
    }
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strcmp(name, named[i].name) == 0)
            return parse_custom(named[i].spec, p, err);
    return parse_custom(name, p, err);
}

/* ---- counts ---------------------------------------------------------------- */

unsigned match__calc_count(const struct jobspec_count *c, unsigned qc)
{
    if (c->min > c->max || c->min > qc)
        return 0;
    unsigned count = 0, cur = c->min;
    switch (c->oper) {
    case '+': {
        count = qc < c->max ? qc : c->max;
        unsigned range = count - cur;
        count -= range % (unsigned)c->operand;
        break;
    }
    case '*':
        if (c->operand == 1) {
            count = cur;
        } else {
            while (cur <= qc && cur <= c->max) {
                count = cur;
                cur *= (unsigned)c->operand;
            }
        }
        break;
    case '^':
        if (c->operand < 2 || cur == 1) {
            count = cur;
        } else {
            while (cur <= qc && cur <= c->max) {
                unsigned base = cur;
                count = cur;
                for (int i = 1; i < c->operand; i++)
                    cur *= base;
            }
        }
        break;
    default:
        break;
    }
    return count;
}

unsigned match__effective_max(const struct jobspec_count *c)
{
    return match__calc_count(c, UINT_MAX);
}

/* ---- callbacks ------------------------------------------------------------- */

static enum score_cmp policy_cmp(const eng_t *e)
{
    if (e->pol.kind == MATCH_POL_MULTILEVEL)
        return e->pol.high ? CMP_GREATER : CMP_LESS;
    if (e->pol.kind == MATCH_POL_VARIATION)
        return CMP_LESS;
    return CMP_GREATER;
}

int match__dom_finish_graph(eng_t *e, const jobspec_resource_t *rs, size_t n,
                            struct scoring *dfu)
{
    int64_t score = ENG_MATCH_MET;
    enum score_cmp cmp =
        e->pol.kind == MATCH_POL_LOCALITY ? CMP_IV_GREATER : policy_cmp(e);
    for (size_t i = 0; i < n; i++) {
        rg_sym_t t = e->jr[rs[i].index].type;
        struct evals *ev = score__evals(e, dfu, t);
        unsigned qc = ev ? ev->qual_count : 0;
        unsigned count = match__calc_count(&rs[i].count, qc);
        if (count == 0) {
            score = ENG_MATCH_UNMET;
            break;
        }
        score__choose_accum_best_k(dfu, ev, count, cmp);
    }
    dfu->overall = score;
    e->ml_scores = 0;
    return score == ENG_MATCH_MET ? 0 : -1;
}

int match__dom_finish_slot(eng_t *e, struct scoring *dfu)
{
    enum score_cmp cmp =
        e->pol.kind == MATCH_POL_MULTILEVEL ? policy_cmp(e) : CMP_GREATER;
    /* an entry kept as counts only is of no type of the slot's shape: its
     * choice would be dropped with this scratch scoring (trav_score.c) */
    for (uint32_t i = 0; i < dfu->nev; i++)
        if (dfu->ev[i].keep)
            score__choose_accum_all(dfu, &dfu->ev[i], cmp);
    return 0;
}

int match__dom_discover_vtx(eng_t *e, rg_vid_t u)
{
    return match_discover_inl(e, u); /* called during a walk only */
}

int64_t match__perf_class(const eng_t *e, rg_vid_t u)
{
    const char *s = rg_vertex_prop_get(e->g, u, "perf_class");
    if (!s)
        return 9999;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (end == s || v < 0 || v > 9999)
        return 9999;
    return v;
}

int64_t match__choose_children(eng_t *e, const jobspec_resource_t *r, struct scoring *dfu)
{
    enum score_cmp cmp = policy_cmp(e);
    for (size_t c = 0; c < r->nwith; c++) {
        const jobspec_resource_t *cr = &r->with[c];
        struct evals *ev = score__evals(e, dfu, e->jr[cr->index].type);
        unsigned qc = ev ? ev->qual_count : 0;
        unsigned count = match__calc_count(&cr->count, qc);
        if (count == 0)
            return ENG_MATCH_UNMET;
        score__choose_accum_best_k(dfu, ev, count, cmp);
    }
    return ENG_MATCH_MET;
}

int match__dom_finish_vtx(eng_t *e, rg_vid_t u, const jobspec_resource_t *rs, size_t n,
                          struct scoring *dfu)
{
    return match_finish_vtx_inl(e, u, rs, n, dfu); /* called during a walk only */
}
