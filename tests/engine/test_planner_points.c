/* test_planner_points.c: the two forms of a planner's point set.
 *
 * The same random scripts drive planners forced to the flat array, forced
 * to the tree, and free to convert at small limits (so that they cross the
 * conversion boundaries often, both ways, with and without stale keys from
 * planner_update_total).  Every answer and every state must agree. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "planner.h"
#include "planner_multi.h"
#include "planner_private.h"

/* small_max of each planner of a group: tree, flat, converting ones */
static const int32_t forms[] = {0, INT32_MAX, 2, 3, 4, 8, PT_SMALL_MAX};
enum { NFORMS = sizeof(forms) / sizeof(forms[0]), MAXSPANS = 512 };

static uint64_t rng_next(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int64_t rng_range(uint64_t *s, int64_t lo, int64_t hi) /* [lo, hi] */
{
    return lo + (int64_t)(rng_next(s) % (uint64_t)(hi - lo + 1));
}

struct group {
    planner_t *p[NFORMS];
    int64_t base, horizon, total;
    int64_t ids[MAXSPANS];
    int nids;
};

static void group_init(struct group *g, uint64_t *rs)
{
    g->base = rng_range(rs, 0, 3) * 100;
    g->horizon = rng_range(rs, 20, 400);
    g->total = rng_range(rs, 1, 10);
    g->nids = 0;
    for (int k = 0; k < NFORMS; k++) {
        g->p[k] = planner_create(g->base, g->horizon, g->total, "core", NULL);
        ck_assert_ptr_nonnull(g->p[k]);
        ck_assert_int_eq(planner__set_small_max(g->p[k], forms[k]), 0);
    }
}

static void group_fini(struct group *g)
{
    for (int k = 0; k < NFORMS; k++)
        planner_destroy(g->p[k]);
}

/* Every planner of 'g' must be in the state of the first one. */
static void group_same(const struct group *g)
{
    for (int k = 0; k < NFORMS; k++) {
        ck_assert_int_eq(planner_check(g->p[k]), 0);
        ck_assert(planner_is_equal(g->p[0], g->p[k]));
        ck_assert(planner_is_equal(g->p[k], g->p[0]));
        ck_assert_uint_eq(planner_point_count(g->p[k]), planner_point_count(g->p[0]));
    }
}

/* Run 'op' with arguments a, b, c on every planner; all answers equal. */
static int64_t apply(struct group *g, int op, int64_t a, int64_t b, int64_t c)
{
    int64_t first = 0;
    for (int k = 0; k < NFORMS; k++) {
        planner_t *p = g->p[k];
        bool gone = false;
        int64_t r = 0;
        switch (op) {
        case 0:
            r = planner_span_add(p, a, b, c);
            break;
        case 1:
            r = planner_span_remove(p, a);
            break;
        case 2:
            r = planner_span_reduce(p, a, b, &gone) * 2 + gone;
            break;
        case 3:
            r = planner_avail_time_first(p, a, b, c);
            break;
        case 4:
            r = planner_avail_time_next(p);
            break;
        case 5:
            r = planner_avail_during(p, a, b, c);
            break;
        case 6:
            r = planner_avail_resources_during(p, a, b);
            break;
        case 7:
            r = planner_avail_resources_at(p, a);
            break;
        default:
            r = planner_update_total(p, a);
            break;
        }
        if (k == 0)
            first = r;
        ck_assert_int_eq(r, first);
    }
    return first;
}

static int64_t pick_id(struct group *g, uint64_t *rs)
{
    return g->nids ? g->ids[rng_range(rs, 0, g->nids - 1)] : 1;
}

/* One random operation; 'grow' in [0, 100] biases towards adding. */
static void step(struct group *g, uint64_t *rs, int grow)
{
    int64_t b = g->base, h = g->horizon;
    int64_t x = rng_range(rs, 0, 99);
    int64_t t = rng_range(rs, b - 2, b + h + 1), d = rng_range(rs, 1, h / 3 + 1);
    int64_t n = rng_range(rs, 0, g->total + 1);
    if (x < grow / 2) {
        int64_t id = apply(g, 0, t, d, n);
        if (id > 0 && g->nids < MAXSPANS)
            g->ids[g->nids++] = id;
    } else if (x < 50) {
        apply(g, 1, pick_id(g, rs), 0, 0);
    } else if (x < 58) {
        apply(g, 2, pick_id(g, rs), rng_range(rs, 0, g->total), 0);
    } else if (x < 68) {
        apply(g, 3, rng_range(rs, b, b + h - 1), d, n);
    } else if (x < 76) {
        apply(g, 4, 0, 0, 0);
    } else if (x < 84) {
        apply(g, 5, t, d, n);
    } else if (x < 90) {
        apply(g, 6, t, d, 0);
    } else if (x < 97) {
        apply(g, 7, t, 0, 0);
    } else {
        int64_t total = rng_range(rs, 0, 12);
        apply(g, 8, total, 0, 0);
        g->total = total > 0 ? total : 1;
    }
}

/* Phases of growth and shrinkage carry the point count back and forth
 * across every form's limit. */
START_TEST(test_forms_random)
{
    uint64_t rs = 0xf0f0u + (uint64_t)_i;
    struct group g;
    group_init(&g, &rs);
    for (int phase = 0; phase < 16; phase++) {
        int grow = phase % 2 ? 20 : 95;
        for (int i = 0; i < 60; i++) {
            step(&g, &rs, grow);
            group_same(&g);
        }
    }
    /* copies keep the form's answers */
    for (int k = 0; k < NFORMS; k++) {
        planner_t *c = planner_copy(g.p[k], NULL);
        ck_assert(planner_is_equal(c, g.p[0]));
        planner_destroy(g.p[k]);
        g.p[k] = c;
    }
    for (int i = 0; i < 100; i++) {
        step(&g, &rs, 50);
        group_same(&g);
    }
    group_fini(&g);
}
END_TEST

/* Stale keys made in one form survive the move to the other: build up
 * past the limit, shrink the total, drop back below, and query. */
START_TEST(test_forms_stale_across)
{
    planner_t *p[2];
    for (int k = 0; k < 2; k++) {
        p[k] = planner_create(0, 1000, 8, "core", NULL);
        ck_assert_ptr_nonnull(p[k]);
    }
    ck_assert_int_eq(planner__set_small_max(p[1], 0), 0);
    int64_t ids[12];
    for (int i = 0; i < 12; i++)
        for (int k = 0; k < 2; k++)
            ids[i] = planner_span_add(p[k], i * 50, 30 + i, 1 + i % 3);
    ck_assert_uint_eq(planner_point_count(p[0]), 24); /* a tree now (0 is shared) */
    for (int k = 0; k < 2; k++) {
        ck_assert_int_eq(planner_update_total(p[k], 2), 0);
        ck_assert_int_eq(planner_update_total(p[k], 6), 0);
    }
    for (int i = 0; i < 11; i++)
        for (int k = 0; k < 2; k++)
            ck_assert_int_eq(planner_span_remove(p[k], ids[i]), 0);
    ck_assert_uint_eq(planner_point_count(p[0]), 3); /* flat again */
    ck_assert(planner_is_equal(p[0], p[1]));
    for (int64_t req = 0; req <= 6; req++) {
        int64_t t0 = planner_avail_time_first(p[0], 0, 40, req);
        ck_assert_int_eq(t0, planner_avail_time_first(p[1], 0, 40, req));
        for (int i = 0; i < 4; i++)
            ck_assert_int_eq(planner_avail_time_next(p[0]),
                             planner_avail_time_next(p[1]));
        ck_assert(planner_is_equal(p[0], p[1]));
    }
    for (int k = 0; k < 2; k++) {
        ck_assert_int_eq(planner_check(p[k]), 0);
        planner_destroy(p[k]);
    }
}
END_TEST

/* Forcing a form on a loaded planner converts it in place. */
START_TEST(test_forms_switch)
{
    planner_t *p = planner_create(0, 1000, 4, "core", NULL);
    planner_t *ref = planner_create(0, 1000, 4, "core", NULL);
    ck_assert_int_eq(planner__set_small_max(ref, INT32_MAX), 0);
    for (int i = 0; i < 20; i++) {
        planner_span_add(p, i * 40, 25, 1 + i % 4);
        planner_span_add(ref, i * 40, 25, 1 + i % 4);
    }
    static const int32_t seq[] = {0, INT32_MAX, 5, 100, 0, 1, 82, PT_SMALL_MAX};
    for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
        ck_assert_int_eq(planner__set_small_max(p, seq[i]), 0);
        ck_assert_int_eq(planner_check(p), 0);
        ck_assert(planner_is_equal(p, ref));
    }
    ck_assert_int_eq(planner__set_small_max(p, -1), ENG_EINVAL);
    planner_destroy(p);
    planner_destroy(ref);
}
END_TEST

/* Multi-planners whose per-type planners use different forms agree. */
START_TEST(test_forms_multi)
{
    uint64_t rs = 0xabcdu + (uint64_t)_i;
    const char *types[3] = {"core", "gpu", "memory"};
    int64_t totals[3] = {8, 2, 16};
    planner_multi_t *m[3];
    for (int k = 0; k < 3; k++) {
        m[k] = planner_multi_create(0, 500, totals, types, 3, NULL);
        ck_assert_ptr_nonnull(m[k]);
        for (size_t i = 0; i < 3; i++)
            planner__set_small_max(planner_multi_planner_at(m[k], i), forms[k + 1]);
    }
    int64_t ids[256];
    int nids = 0;
    for (int s = 0; s < 600; s++) {
        int64_t req[3] = {rng_range(&rs, 0, 8), rng_range(&rs, 0, 2),
                          rng_range(&rs, 0, 16)};
        int64_t at = rng_range(&rs, 0, 450), d = rng_range(&rs, 1, 50), r[3];
        int64_t x = rng_range(&rs, 0, 9);
        int64_t rid = nids ? ids[rng_next(&rs) % (uint64_t)nids] : 0;
        for (int k = 0; k < 3; k++) {
            if (x < 4)
                r[k] = planner_multi_span_add(m[k], at, d, req, 3);
            else if (x < 7)
                r[k] = planner_multi_span_remove(m[k], rid);
            else if (x < 9)
                r[k] = planner_multi_avail_time_first(m[k], at, d, req, 3);
            else
                r[k] = planner_multi_avail_during(m[k], at, d, req, 3);
            ck_assert_int_eq(r[k], r[0]);
        }
        if (x < 4 && r[0] >= 0 && nids < 256)
            ids[nids++] = r[0];
        for (int k = 0; k < 3; k++) {
            ck_assert_int_eq(planner_multi_check(m[k]), 0);
            ck_assert(planner_multi_is_equal(m[k], m[0]));
        }
    }
    for (int k = 0; k < 3; k++)
        planner_multi_destroy(m[k]);
}
END_TEST

Suite *planner_points_suite(void);

Suite *planner_points_suite(void)
{
    Suite *s = suite_create("planner_points");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_forms_random, 0, 40);
    tcase_add_test(tc, test_forms_stale_across);
    tcase_add_test(tc, test_forms_switch);
    tcase_add_loop_test(tc, test_forms_multi, 0, 4);
    suite_add_tcase(s, tc);
    return s;
}
