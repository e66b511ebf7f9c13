/* eng_testgen.h: helpers shared by the engine's property tests (test_eng.c,
 * test_eng_lazy.c, test_eng_replan.c): a seeded xorshift generator, generated
 * graphs (cluster -> rack -> node -> socket -> core, gpu, memory), random
 * jobspecs of four shapes, the over-allocation check and the twin engines'
 * out-edge comparison. */
#ifndef SCHEDSIM_TESTS_ENG_TESTGEN_H
#define SCHEDSIM_TESTS_ENG_TESTGEN_H

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eng.h"
#include "eng_private.h"
#include "jobspec.h"
#include "planner_private.h"
#include "rg.h"

struct rng {
    uint64_t s;
};

static inline uint64_t rnd(struct rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return r->s;
}

static inline int rnd_in(struct rng *r, int lo, int hi)
{
    return lo + (int)(rnd(r) % (uint64_t)(hi - lo + 1));
}

struct gen {
    rg_graph_t *g;
    int64_t uniq;
    rg_sym_t t_cluster, t_rack, t_node, t_socket, t_core, t_gpu, t_memory;
};

static inline rg_vid_t gen_add(struct gen *q, rg_vid_t parent, rg_sym_t type, int64_t id,
                               int64_t rank, int64_t size)
{
    struct rg_vertex_init in;
    rg_vertex_init_default(&in);
    in.type = type;
    in.id = id;
    in.uniq_id = q->uniq++;
    in.rank = rank;
    in.size = size;
    eng_error_t err;
    rg_vid_t v = rg_vertex_add(q->g, &in, &err);
    ck_assert_uint_ne(v, RG_VID_NONE);
    char path[RG_PATH_MAX] = "";
    if (parent != RG_VID_NONE) {
        ck_assert_uint_ne(
            rg_edge_add(q->g, parent, v, RG_SYM_CONTAINMENT, RG_SYM_CONTAINS, &err),
            RG_EID_NONE);
        ck_assert_int_ge(
            rg_vertex_path(q->g, parent, RG_SYM_CONTAINMENT, path, sizeof path), 0);
    }
    size_t len = strlen(path);
    snprintf(path + len, sizeof path - len, "/%s",
             rg_sym_str(q->g, rg_vertex_get(q->g, v)->name));
    ck_assert_int_eq(rg_vertex_path_set(q->g, v, RG_SYM_CONTAINMENT, path, &err), 0);
    return v;
}

/* cluster0 -> rack* -> node* -> socket* -> core*, gpu*, memory (size 4). */
static inline rg_graph_t *gen_graph(int racks, int nodes, int sockets, int cores,
                                    int gpus)
{
    struct gen q = {.g = rg_graph_create()};
    ck_assert_ptr_nonnull(q.g);
    q.t_cluster = rg_sym_intern(q.g, "cluster");
    q.t_rack = rg_sym_intern(q.g, "rack");
    q.t_node = rg_sym_intern(q.g, "node");
    q.t_socket = rg_sym_intern(q.g, "socket");
    q.t_core = rg_sym_intern(q.g, "core");
    q.t_gpu = rg_sym_intern(q.g, "gpu");
    q.t_memory = rg_sym_intern(q.g, "memory");
    rg_vid_t c = gen_add(&q, RG_VID_NONE, q.t_cluster, 0, -1, 1);
    int64_t ni = 0, si = 0, ci = 0, gi = 0;
    for (int r = 0; r < racks; r++) {
        rg_vid_t rv = gen_add(&q, c, q.t_rack, r, -1, 1);
        for (int n = 0; n < nodes; n++, ni++) {
            rg_vid_t nv = gen_add(&q, rv, q.t_node, ni, ni, 1);
            for (int s = 0; s < sockets; s++, si++) {
                rg_vid_t sv = gen_add(&q, nv, q.t_socket, si, ni, 1);
                for (int k = 0; k < cores; k++)
                    gen_add(&q, sv, q.t_core, ci++, ni, 1);
                for (int k = 0; k < gpus; k++)
                    gen_add(&q, sv, q.t_gpu, gi++, ni, 1);
                gen_add(&q, sv, q.t_memory, si, ni, 4);
            }
        }
    }
    return q.g;
}

static inline eng_t *mk_engine(const char *policy, rg_graph_t *g)
{
    struct eng_options o = {.policy = policy};
    eng_error_t err;
    eng_t *e = eng_create(&o, &err);
    ck_assert_msg(e != NULL, "%s", err.text);
    ck_assert_int_eq(eng_graph_take(e, g, &err), 0);
    return e;
}

static inline jobspec_t *js_parse(const char *text)
{
    eng_error_t err;
    jobspec_t *js = jobspec_parse(text, strlen(text), "<test>", &err);
    ck_assert_msg(js != NULL, "%s", err.text);
    return js;
}

static inline char *random_jobspec(struct rng *r)
{
    char *b = malloc(1024);
    int d = (int)(rnd(r) % 4) * 50 + 10;
    switch (rnd_in(r, 0, 3)) {
    case 0:
        snprintf(
            b, 1024,
            "{\"version\": 9999, \"resources\": [{\"type\": \"slot\", \"count\": %d, "
            "\"label\": \"d\", \"with\": [{\"type\": \"core\", \"count\": %d}]}], "
            "\"attributes\": {\"system\": {\"duration\": %d}}, \"tasks\": "
            "[{\"command\": [\"a\"], \"slot\": \"d\", \"count\": {\"per_slot\": 1}}]}",
            rnd_in(r, 1, 3), rnd_in(r, 1, 3), d);
        break;
    case 1:
        snprintf(
            b, 1024,
            "{\"version\": 9999, \"resources\": [{\"type\": \"node\", \"count\": %d, "
            "\"exclusive\": true, \"with\": [{\"type\": \"slot\", \"count\": 1, "
            "\"label\": \"d\", \"with\": [{\"type\": \"socket\", \"count\": 1, \"with\": "
            "[{\"type\": \"core\", \"count\": 1}]}]}]}], \"attributes\": {\"system\": "
            "{\"duration\": %d}}, \"tasks\": [{\"command\": [\"a\"], \"slot\": \"d\", "
            "\"count\": {\"per_slot\": 1}}]}",
            rnd_in(r, 1, 2), d);
        break;
    case 2:
        snprintf(
            b, 1024,
            "{\"version\": 9999, \"resources\": [{\"type\": \"slot\", \"count\": 1, "
            "\"label\": \"d\", \"with\": [{\"type\": \"socket\", \"count\": 1, \"with\": "
            "[{\"type\": \"core\", \"count\": %d}, {\"type\": \"gpu\", \"count\": 1}, "
            "{\"type\": \"memory\", \"count\": 2}]}]}], \"attributes\": {\"system\": "
            "{\"duration\": %d}}, \"tasks\": [{\"command\": [\"a\"], \"slot\": \"d\", "
            "\"count\": {\"per_slot\": 1}}]}",
            rnd_in(r, 1, 2), d);
        break;
    default:
        snprintf(
            b, 1024,
            "{\"version\": 9999, \"resources\": [{\"type\": \"node\", \"count\": 1, "
            "\"with\": [{\"type\": \"socket\", \"count\": 1, \"with\": [{\"type\": "
            "\"slot\", \"count\": %d, \"label\": \"d\", \"with\": [{\"type\": \"core\", "
            "\"count\": 1}]}]}]}], \"attributes\": {\"system\": {\"duration\": %d}}, "
            "\"tasks\": [{\"command\": [\"a\"], \"slot\": \"d\", \"count\": "
            "{\"per_slot\": 1}}]}",
            rnd_in(r, 1, 4), d);
        break;
    }
    return b;
}

/* Every vertex: at every instant where a span starts, the units planned by
 * the spans covering it do not exceed the vertex's size. */
static inline void check_no_overallocation(const eng_t *e)
{
    size_t nv = rg_graph_vid_bound(e->g);
    for (rg_vid_t v = 0; v < nv; v++) {
        planner_t *p = e->plans[v];
        if (!p)
            continue;
        int64_t size = rg_vertex_get(e->g, v)->size;
        for (int64_t s = planner_span_first(p); s >= 0; s = planner_span_next(p)) {
            int64_t t = planner_span_start(p, s), used = 0;
            for (int64_t k = planner_span_first(p); k >= 0; k = planner_span_next(p)) {
                int64_t a = planner_span_start(p, k), d = planner_span_duration(p, k);
                if (a <= t && t < a + d)
                    used += planner_span_planned(p, k);
            }
            /* the inner loop restarted the iteration: re-position it */
            for (int64_t k = planner_span_first(p); k >= 0 && k != s;
                 k = planner_span_next(p))
                ;
            ck_assert_msg(used <= size, "vertex %u over-allocated at %lld: %lld > %lld",
                          v, (long long)t, (long long)used, (long long)size);
            ck_assert_int_ge(planner_avail_resources_at(p, t), 0);
        }
    }
}

/* Every aggregate free count the engine remembers (e->subnow) is the
 * planner's answer at both ends of the time range it is kept for. */
static inline void check_subnow(eng_t *e)
{
    size_t nv = rg_graph_vid_bound(e->g);
    for (rg_vid_t v = 0; v < nv; v++) {
        const struct sub_now *c = &e->subnow[v];
        if (!e->subplan[v] || c->hi <= c->lo)
            continue;
        int64_t ends[2] = {c->lo, c->hi - 1};
        for (int k = 0; k < 2; k++) {
            int64_t avail;
            size_t nspans;
            size_t len = planner_multi__last_at(e->subplan[v], ends[k], &avail, &nspans);
            if (len == 0 || avail != c->avail || nspans != c->nspans)
                ck_abort_msg("vertex %u at %lld: remembered %lld/%llu, planner %lld/%zu",
                             v, (long long)ends[k], (long long)c->avail,
                             (unsigned long long)c->nspans, (long long)avail, nspans);
        }
    }
}

/* Twin engines order every vertex's out-edges alike, with the same weights,
 * and have changed their order as often.  (Check records every assertion
 * that passes: the loop tests plainly and asserts once.) */
static inline void check_same_edge_order(eng_t *const e[2])
{
    size_t nv = rg_graph_vid_bound(e[0]->g);
    for (rg_vid_t v = 0; v < nv; v++) {
        bool same = e[0]->noe[v] == e[1]->noe[v];
        for (uint32_t i = 0; same && i < e[0]->noe[v]; i++) {
            rg_eid_t ed = e[0]->oe[v][i];
            same = ed == e[1]->oe[v][i] && e[0]->e_weight[ed] == e[1]->e_weight[ed];
        }
        if (!same)
            ck_abort_msg("vertex %u: out-edges differ", v);
    }
    ck_assert_uint_eq(eng_order_version(e[0]), eng_order_version(e[1]));
}

#endif /* SCHEDSIM_TESTS_ENG_TESTGEN_H */
