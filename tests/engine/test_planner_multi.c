/* test_planner_multi.c: the multi-type planner.
 *
 * Ports Fluxion's resource/planner/test/planner_test02.cpp (fd257f71) with
 * its expected numbers, then bad parameters and a property test: a
 * multi-planner evolves exactly like independent planners given the same
 * spans. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "planner_multi.h"

static const char *const abcde[] = {"A", "B", "C", "D", "E"};

static planner_multi_t *mk(int64_t duration, const int64_t *totals,
                           const char *const *types, size_t len)
{
    planner_multi_t *mp = planner_multi_create(0, duration, totals, types, len, NULL);
    ck_assert_ptr_nonnull(mp);
    return mp;
}

START_TEST(test_multi_basics)
{
    const int64_t totals[] = {10, 20, 30, 20, 100};
    const int64_t counts1[] = {1, 2, 3, 2, 10};
    const int64_t counts5[] = {5, 10, 15, 10, 50};
    const int64_t many_e[] = {1, 1, 1, 1, 50};
    const int64_t only_c[] = {0, 0, 15, 0, 0};
    int64_t avail[5];
    planner_multi_t *mp = mk(INT64_MAX, totals, abcde, 5);
    ck_assert_int_eq(planner_multi_avail_during(mp, 0, 1, totals, 5), 0);
    ck_assert_int_eq(planner_multi_avail_during(mp, 1, 1000, counts5, 5), 0);
    ck_assert_int_eq(planner_multi_span_add(mp, 1, 1000, counts5, 5), 0);
    ck_assert_int_eq(planner_multi_span_add(mp, 2000, 1001, totals, 5), 1);
    ck_assert_int_eq(planner_multi_avail_during(mp, 10, 2991, counts1, 5), ENG_EBUSY);
    ck_assert_int_eq(planner_multi_avail_during(mp, 10, 1990, counts1, 5), 0);
    ck_assert_int_eq(planner_multi_span_add(mp, 10, 1990, counts1, 5), 2);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 1, 0), 5);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 10, 1), 8);
    ck_assert_int_eq(planner_multi_avail_resources_array_at(mp, 500, avail, 5), 0);
    ck_assert_int_eq(avail[2], 12);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 1500, 0), 9);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 2000, 0), 0);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 2500, 0), 0);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 3000, 4), 0);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 3001, 2), 30);
    ck_assert_int_eq(planner_multi_avail_time_first(mp, 0, 9, only_c, 5), 0);
    ck_assert_int_eq(planner_multi_avail_time_next(mp), 1);
    ck_assert_int_eq(planner_multi_avail_time_next(mp), 1001);
    ck_assert_int_eq(planner_multi_avail_time_next(mp), 3001);
    ck_assert_int_eq(planner_multi_avail_time_next(mp), ENG_ENOMATCH);
    ck_assert_int_eq(planner_multi_avail_time_first(mp, 0, 10, many_e, 5), 0);
    ck_assert_int_eq(planner_multi_avail_time_next(mp), 1001);
    ck_assert_int_eq(planner_multi_avail_time_next(mp), 3001);
    ck_assert_int_eq(planner_multi_avail_time_next(mp), ENG_ENOMATCH);
    ck_assert_int_eq(planner_multi_check(mp), 0);
    planner_multi_destroy(mp);
}
END_TEST

START_TEST(test_multi_getters)
{
    const int64_t totals[] = {10, 20};
    const char *const types[] = {"1", "2"};
    planner_multi_t *mp = mk(9999, totals, types, 2);
    ck_assert_int_eq(planner_multi_base_time(mp), 0);
    ck_assert_int_eq(planner_multi_duration(mp), 9999);
    ck_assert_int_eq(planner_multi_resource_total_at(mp, 0), 10);
    ck_assert_int_eq(planner_multi_resource_total_by_type(mp, "2"), 20);
    ck_assert_int_eq(planner_multi_resource_total_by_type(mp, "3"), ENG_ENOENT);
    ck_assert_uint_eq(planner_multi_resources_len(mp), 2);
    ck_assert_str_eq(planner_multi_resource_type_at(mp, 1), "2");
    ck_assert_int_eq(planner_multi_resource_totals(mp)[1], 20);
    ck_assert_int_eq(planner_multi_type_index(mp, "2"), 1);
    ck_assert_ptr_nonnull(planner_multi_planner_at(mp, 1));
    ck_assert_int_eq(planner_resource_total(planner_multi_planner_at(mp, 1)), 20);
    planner_multi_destroy(mp);
}
END_TEST

/* Fluxion's staircases: spans of request[i] on type i for [0, 1000 (i+1))
 * (strictly larger) or [1000 i, 1000 (i+1)) (partially larger). */
static planner_multi_t *staircase(bool nested)
{
    const int64_t totals[] = {10, 20, 30, 40, 50};
    planner_multi_t *mp = mk(INT64_MAX, totals, abcde, 5);
    for (int i = 0; i < 5; i++) {
        int64_t req[5] = {0, 0, 0, 0, 0};
        req[i] = i + 1;
        int64_t start = nested ? 0 : 1000 * i, d = nested ? 1000 * (i + 1) : 1000;
        ck_assert_int_eq(planner_multi_avail_during(mp, start, d, req, 5), 0);
        ck_assert_int_eq(planner_multi_span_add(mp, start, d, req, 5), i);
    }
    return mp;
}

static void expect_times(planner_multi_t *mp, int64_t on_or_after, const int64_t *req,
                         const int64_t *times, size_t n)
{
    ck_assert_int_eq(planner_multi_avail_time_first(mp, on_or_after, 1000, req, 5),
                     times[0]);
    for (size_t i = 1; i < n; i++)
        ck_assert_int_eq(planner_multi_avail_time_next(mp), times[i]);
    ck_assert_int_eq(planner_multi_avail_time_next(mp), ENG_ENOMATCH);
}

START_TEST(test_multi_strictly_larger)
{
    planner_multi_t *mp = staircase(true);
    const int64_t a[] = {10, 20, 30, 40, 45}, b[] = {0, 0, 0, 30, 40},
                  c[] = {10, 18, 30, 30, 30};
    expect_times(mp, 0, a, (const int64_t[]){4000, 5000}, 2);
    expect_times(mp, 0, b, (const int64_t[]){0, 1000, 2000, 3000, 4000, 5000}, 6);
    expect_times(mp, 3500, b, (const int64_t[]){4000, 5000}, 2);
    expect_times(mp, 0, c, (const int64_t[]){3000, 4000, 5000}, 3);
    planner_multi_destroy(mp);
}
END_TEST

START_TEST(test_multi_partially_larger)
{
    planner_multi_t *mp = staircase(false);
    const int64_t a[] = {10, 20, 30, 40, 50}, b[] = {9, 20, 27, 36, 50},
                  c[] = {9, 19, 30, 40, 50};
    expect_times(mp, 0, a, (const int64_t[]){5000}, 1);
    expect_times(mp, 0, b, (const int64_t[]){0, 2000, 3000, 5000}, 4);
    expect_times(mp, 0, c, (const int64_t[]){0, 5000}, 2);
    planner_multi_destroy(mp);
}
END_TEST

START_TEST(test_multi_many_spans)
{
    const int64_t totals[] = {99, 99, 99};
    const char *const types[] = {"A", "B", "C"};
    planner_multi_t *mp = mk(INT64_MAX, totals, types, 3);
    for (int i = 0; i < 1000; i++) {
        int64_t req[3] = {i % 100, 99 - (i % 100), i % 100};
        ck_assert_int_eq(planner_multi_avail_during(mp, i * 1000, 1000, req, 3), 0);
        ck_assert_int_eq(planner_multi_span_add(mp, i * 1000, 1000, req, 3), i);
    }
    const int64_t a[] = {99, 99, 99}, b[] = {98, 1, 98}, c[] = {50, 49, 50};
    ck_assert_int_eq(planner_multi_avail_time_first(mp, 0, 1000, a, 3), 1000000);
    ck_assert_int_eq(planner_multi_avail_time_next(mp), ENG_ENOMATCH);
    ck_assert_int_eq(planner_multi_avail_time_first(mp, 0, 1000, b, 3), 1000);
    for (int i = 1; i < 10; i++)
        ck_assert_int_eq(planner_multi_avail_time_next(mp), 1000 * (100 * i + 1));
    ck_assert_int_eq(planner_multi_avail_time_next(mp), 1000000);
    ck_assert_int_eq(planner_multi_avail_time_next(mp), ENG_ENOMATCH);
    ck_assert_int_eq(planner_multi_avail_time_first(mp, 0, 1000, c, 3), 49000);
    for (int i = 1; i < 10; i++)
        ck_assert_int_eq(planner_multi_avail_time_next(mp), 1000 * (100 * i + 49));
    ck_assert_int_eq(planner_multi_avail_time_next(mp), 1000000);
    ck_assert_int_eq(planner_multi_avail_time_next(mp), ENG_ENOMATCH);
    ck_assert_int_eq(planner_multi_check(mp), 0);
    planner_multi_destroy(mp);
}
END_TEST

static const int64_t tot5[] = {10, 20, 30, 40, 50};
static const int64_t req1[] = {1, 0, 0, 0, 0}, req2[] = {0, 2, 0, 0, 0},
                     req3[] = {0, 0, 3, 0, 0};

START_TEST(test_multi_add_remove)
{
    planner_multi_t *mp = mk(INT64_MAX, tot5, abcde, 5);
    ck_assert_int_eq(planner_multi_span_add(mp, 0, 1000, req1, 5), 0);
    int64_t span2 = planner_multi_span_add(mp, 1000, 1000, req2, 5);
    ck_assert_int_eq(planner_multi_span_add(mp, 2000, 1000, req3, 5), 2);
    ck_assert_int_eq(planner_multi_span_remove(mp, span2), 0);
    ck_assert_uint_eq(planner_multi_span_count(mp), 2);
    ck_assert_int_eq(planner_multi_span_remove(mp, span2), ENG_ENOENT);
    ck_assert_int_eq(planner_multi_span_first(mp), 0);
    ck_assert_int_eq(planner_multi_span_next(mp), 2);
    ck_assert_int_eq(planner_multi_span_next(mp), ENG_ENOENT);
    ck_assert_int_eq(planner_multi_check(mp), 0);
    planner_multi_destroy(mp);
}
END_TEST

START_TEST(test_multi_constructors)
{
    planner_multi_t *mp = mk(INT64_MAX, tot5, abcde, 5);
    planner_multi_span_add(mp, 0, 1000, req1, 5);
    int64_t span = planner_multi_span_add(mp, 1000, 1000, req2, 5);
    planner_multi_span_add(mp, 2000, 1000, req3, 5);
    ck_assert(planner_multi_is_equal(mp, mp));
    planner_multi_t *m2 = planner_multi_create_empty(NULL);
    planner_multi_t *m3 = planner_multi_create_empty(NULL);
    ck_assert(planner_multi_is_equal(m2, m2));
    ck_assert(!planner_multi_is_equal(mp, m2));
    ck_assert(planner_multi_is_equal(m2, m3));
    ck_assert_int_eq(planner_multi_assign(m2, mp), 0);
    ck_assert(planner_multi_is_equal(mp, m2));
    planner_multi_t *m4 = planner_multi_copy(m2, NULL);
    ck_assert(planner_multi_is_equal(m2, m4));
    ck_assert_int_eq(planner_multi_span_remove(m2, span), 0);
    ck_assert_uint_eq(planner_multi_span_count(m2), 2);
    ck_assert(!planner_multi_is_equal(m2, m4));
    ck_assert_uint_eq(planner_multi_span_count(m4), 3);
    ck_assert_int_eq(planner_multi_assign(m4, m2), 0);
    ck_assert_uint_eq(planner_multi_span_count(m4), 2);
    ck_assert(planner_multi_is_equal(m2, m4));
    planner_multi_destroy(mp);
    mp = planner_multi_copy(m4, NULL);
    ck_assert(planner_multi_is_equal(mp, m4));
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 500, 1),
                     planner_multi_avail_resources_at(m4, 500, 1));
    planner_multi_destroy(mp);
    planner_multi_destroy(m2);
    planner_multi_destroy(m3);
    planner_multi_destroy(m4);
}
END_TEST

START_TEST(test_multi_update)
{
    const int64_t tot1[] = {5, 10, 20}, tot2[] = {10, 20, 30, 40, 50, 60, 70};
    const char *const types1[] = {"B", "C", "D"};
    const char *const types2[] = {"B", "A", "C", "D", "G", "X", "Y"};
    const int64_t req4[] = {0, 0, 20}, req5[] = {0, 0, 21};
    planner_multi_t *mp = mk(INT64_MAX, tot5, abcde, 5);
    planner_multi_span_add(mp, 0, 1000, req1, 5);
    planner_multi_span_add(mp, 1000, 1000, req2, 5);
    planner_multi_span_add(mp, 2000, 1000, req3, 5);
    int64_t avail = planner_multi_avail_resources_at(mp, 0, 0);
    planner_multi_t *m2 = planner_multi_copy(mp, NULL);
    ck_assert_int_eq(planner_multi_update(mp, tot5, abcde, 5), 0);
    ck_assert(planner_multi_is_equal(mp, m2));
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 0, 0), avail);
    ck_assert_int_eq(planner_multi_update(mp, tot1, types1, 3), 0);
    ck_assert(!planner_multi_is_equal(mp, m2));
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 1000, 0), 3);
    ck_assert_int_eq(planner_multi_update(mp, tot5, abcde, 5), 0);
    ck_assert(!planner_multi_is_equal(mp, m2));
    ck_assert_int_eq(planner_multi_update(mp, tot1, types1, 3), 0);
    ck_assert_int_ge(planner_multi_span_add(mp, 2000, 1000, req4, 3), 0);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 2000, 2), 0);
    ck_assert_int_lt(planner_multi_span_add(mp, 3000, 1000, req5, 3), 0);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 3000, 2), 20);
    ck_assert_int_eq(planner_multi_update(mp, tot2, types2, 7), 0);
    ck_assert_int_ge(planner_multi_span_add(mp, 4000, 1000, tot2, 7), 0);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 4000, 6), 0);
    for (size_t i = 0; i < planner_multi_resources_len(mp); i++)
        ck_assert_int_eq(planner_multi_resource_total_by_type(mp, types2[i]), tot2[i]);
    ck_assert_int_eq(planner_multi_check(mp), 0);
    planner_multi_destroy(mp);
    planner_multi_destroy(m2);
}
END_TEST

START_TEST(test_multi_partial_cancel)
{
    const char *const types1[] = {"B", "A", "E"};
    const char *const types2[] = {"B", "A", "C", "D", "G", "X", "Y"};
    const char *const types3[] = {"C", "D", "A", "B", "E"};
    const char *const t_d[] = {"D"}, *const t_a[] = {"A"}, *const t_b[] = {"B"};
    const int64_t reduce1[] = {1, 0, 0, 0, 0}, reduce2[] = {2, 1, 5},
                  reduce3[] = {2, 1, 5, 6, 7, 8, 9}, reduce4[] = {3, 3, 0, 0, 0},
                  reduce5[] = {1};
    const int64_t r1[] = {2, 0, 0, 0, 0}, r2[] = {1, 2, 3, 4, 5}, r3[] = {2, 2, 0, 0, 0};
    bool removed = true, rm1, rm2, rm3, rm4;
    planner_multi_t *mp = mk(INT64_MAX, tot5, abcde, 5);
    int64_t span1 = planner_multi_span_add(mp, 0, 1000, r1, 5);
    int64_t span2 = planner_multi_span_add(mp, 0, 2000, r2, 5);
    ck_assert_int_eq(planner_multi_span_reduce(mp, span1, reduce1, abcde, 5, &removed),
                     0);
    ck_assert(!removed);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 0, 0), 8);
    ck_assert_int_eq(planner_multi_span_reduce(mp, span1, reduce1, abcde, 5, &removed),
                     0);
    ck_assert(removed);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 0, 0), 9);
    ck_assert_int_eq(planner_multi_span_reduce(mp, span2, reduce2, types1, 3, &removed),
                     0);
    ck_assert(!removed);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 0, 1), 20);
    ck_assert_int_eq(planner_multi_span_reduce(mp, span2, reduce3, types2, 7, &removed),
                     ENG_EINVAL);
    ck_assert(!removed);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 0, 2), 27);
    ck_assert_int_eq(planner_multi_span_reduce(mp, span2, reduce4, types3, 5, &removed),
                     0);
    ck_assert(!removed);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 0, 3), 39);
    ck_assert_int_eq(planner_multi_span_reduce(mp, span2, reduce5, t_d, 1, &removed), 0);
    ck_assert(removed);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 0, 3), 40);
    ck_assert_int_ge(planner_multi_span_add(mp, 0, 2000, tot5, 5), 0);
    for (size_t i = 0; i < 5; i++)
        ck_assert_int_eq(planner_multi_avail_resources_at(mp, 1000, i), 0);
    int64_t span4 = planner_multi_span_add(mp, 3000, 1000, r3, 5);
    ck_assert_int_eq(planner_multi_span_reduce(mp, span4, reduce5, t_a, 1, &rm1), 0);
    ck_assert_int_eq(planner_multi_span_reduce(mp, span4, reduce5, t_a, 1, &rm2), 0);
    ck_assert_int_eq(planner_multi_span_planned_at(mp, span4, 0), 0);
    ck_assert_int_eq(planner_multi_span_reduce(mp, span4, reduce5, t_b, 1, &rm3), 0);
    ck_assert_int_eq(planner_multi_span_reduce(mp, span4, reduce5, t_b, 1, &rm4), 0);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 3500, 0), 10);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 3500, 1), 20);
    ck_assert(!rm1 && !rm2 && !rm3 && rm4);
    ck_assert_int_eq(planner_multi_check(mp), 0);
    planner_multi_destroy(mp);
}
END_TEST

START_TEST(test_multi_badparam)
{
    eng_error_t err;
    const int64_t neg[] = {1, -1}, two[] = {1, 2};
    const char *const dup[] = {"a", "a"}, *const ab[] = {"a", "b"};
    const char *const with_null[] = {"a", NULL};
    ck_assert_ptr_null(planner_multi_create(0, 10, neg, ab, 2, &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    ck_assert_ptr_null(planner_multi_create(0, 10, two, dup, 2, &err));
    ck_assert_int_eq(err.code, ENG_EEXIST);
    ck_assert_ptr_null(planner_multi_create(0, 10, two, with_null, 2, NULL));
    ck_assert_ptr_null(planner_multi_create(0, 10, NULL, ab, 2, NULL));
    ck_assert_ptr_null(planner_multi_create(-1, 10, two, ab, 2, NULL));
    ck_assert_ptr_null(planner_multi_create(0, 0, two, ab, 2, NULL));
    ck_assert_ptr_null(planner_multi_copy(NULL, &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    planner_multi_t *mp = planner_multi_create(0, 100, two, ab, 2, &err);
    ck_assert_int_eq(err.code, 0);
    int64_t out[2];
    ck_assert_int_eq(planner_multi_assign(NULL, mp), ENG_EINVAL);
    ck_assert_int_eq(planner_multi_base_time(NULL), ENG_EINVAL);
    ck_assert_int_eq(planner_multi_duration(NULL), ENG_EINVAL);
    ck_assert_uint_eq(planner_multi_resources_len(NULL), 0);
    ck_assert_ptr_null(planner_multi_resource_type_at(mp, 2));
    ck_assert_ptr_null(planner_multi_resource_totals(NULL));
    ck_assert_int_eq(planner_multi_resource_total_at(mp, 2), ENG_EINVAL);
    ck_assert_int_eq(planner_multi_type_index(mp, NULL), ENG_EINVAL);
    ck_assert_int_eq(planner_multi_reset(mp, 0, 0), ENG_EINVAL);
    ck_assert_ptr_null(planner_multi_planner_at(mp, 2));
    ck_assert_int_eq(planner_multi_avail_time_first(mp, 0, 1, two, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_multi_avail_time_first(mp, 0, 1, neg, 2), ENG_EINVAL);
    ck_assert_int_eq(planner_multi_avail_time_first(mp, 0, 1, NULL, 2), ENG_EINVAL);
    ck_assert_int_eq(planner_multi_avail_time_next(NULL), ENG_EINVAL);
    ck_assert_int_eq(planner_multi_avail_time_next(mp), ENG_EINVAL); /* no iteration */
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 0, 2), ENG_EINVAL);
    ck_assert_int_eq(planner_multi_avail_resources_array_at(mp, 0, out, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_multi_avail_resources_array_at(mp, 101, out, 2), ENG_ELIMIT);
    ck_assert_int_eq(planner_multi_avail_during(mp, 0, 1, two, 3), ENG_EINVAL);
    ck_assert_int_eq(planner_multi_avail_resources_array_during(mp, 0, 1, NULL, 2),
                     ENG_EINVAL);
    ck_assert_int_eq(planner_multi_avail_resources_array_during(mp, 0, 1, out, 2), 0);
    ck_assert_int_eq(out[1], 2);
    ck_assert_int_eq(planner_multi_span_add(mp, 0, 1, neg, 2), ENG_EINVAL);
    ck_assert_int_eq(planner_multi_span_add(mp, 0, 1, two, 1), ENG_EINVAL);
    const int64_t three[] = {1, 3};
    ck_assert_int_eq(planner_multi_span_add(mp, 0, 1, three, 2), ENG_ELIMIT);
    ck_assert_int_eq(planner_multi_span_add(mp, 0, 1, two, 2), 1); /* id 0 used up */
    ck_assert_int_eq(planner_multi_span_add(mp, 0, 1, two, 2), ENG_EBUSY);
    ck_assert_int_eq(planner_multi_span_remove(mp, -1), ENG_EINVAL);
    ck_assert_int_eq(planner_multi_span_remove(mp, 0), ENG_ENOENT);
    bool removed = true;
    ck_assert_int_eq(planner_multi_span_reduce(mp, 1, neg, ab, 2, &removed), ENG_EINVAL);
    ck_assert(!removed);
    ck_assert_int_eq(planner_multi_span_reduce(mp, 1, two, with_null, 2, NULL),
                     ENG_EINVAL);
    ck_assert_int_eq(planner_multi_span_reduce(mp, 7, two, ab, 2, NULL), ENG_ENOENT);
    ck_assert_int_eq(planner_multi_span_reduce(mp, 1, NULL, ab, 2, NULL), ENG_EINVAL);
    ck_assert_int_eq(planner_multi_span_planned_at(mp, 1, 2), ENG_EINVAL);
    ck_assert_int_eq(planner_multi_span_planned_at(mp, 9, 1), ENG_ENOENT);
    ck_assert_int_eq(planner_multi_span_planned_at(mp, 1, 1), 2);
    ck_assert_int_eq(planner_multi_span_first(NULL), ENG_EINVAL);
    ck_assert_int_eq(planner_multi_span_next(NULL), ENG_EINVAL);
    ck_assert_uint_eq(planner_multi_span_count(NULL), 0);
    ck_assert(!planner_multi_is_equal(mp, NULL));
    ck_assert_int_eq(planner_multi_update(NULL, two, ab, 2), ENG_EINVAL);
    ck_assert_int_eq(planner_multi_update(mp, neg, ab, 2), ENG_EINVAL);
    ck_assert_int_eq(planner_multi_update(mp, two, dup, 2), ENG_EEXIST);
    ck_assert_int_eq(planner_multi_update(mp, two, ab, 0), 0);
    ck_assert_int_eq(planner_multi_check(NULL), ENG_ESTATE);
    ck_assert_int_eq(planner_multi_check(mp), 0);
    planner_multi_destroy(NULL);
    planner_multi_destroy(mp);
}
END_TEST

/* Reset forgets multi-spans; update keeps each multi-span's parts with their
 * types when types move, appear or go. */
START_TEST(test_multi_reset_and_reorder)
{
    const int64_t totals[] = {4, 8};
    const char *const ab[] = {"a", "b"}, *const cba[] = {"c", "b", "a"};
    const int64_t t3[] = {1, 8, 4};
    planner_multi_t *mp = mk(100, totals, ab, 2);
    const int64_t req[] = {1, 2};
    int64_t id = planner_multi_span_add(mp, 10, 10, req, 2);
    ck_assert_int_eq(planner_multi_update(mp, t3, cba, 3), 0);
    ck_assert_str_eq(planner_multi_resource_type_at(mp, 2), "a");
    ck_assert_int_eq(planner_multi_span_planned_at(mp, id, 0), 0);
    ck_assert_int_eq(planner_multi_span_planned_at(mp, id, 1), 2);
    ck_assert_int_eq(planner_multi_span_planned_at(mp, id, 2), 1);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 15, 2), 3);
    ck_assert_int_eq(planner_multi_check(mp), 0);
    ck_assert_int_eq(planner_multi_span_remove(mp, id), 0);
    ck_assert_int_eq(planner_multi_avail_resources_at(mp, 15, 1), 8);
    int64_t id2 = planner_multi_span_add(mp, 0, 5, t3, 3);
    ck_assert_int_eq(planner_multi_reset(mp, 50, 100), 0);
    ck_assert_uint_eq(planner_multi_span_count(mp), 0);
    ck_assert_int_eq(planner_multi_base_time(mp), 50);
    ck_assert_int_eq(planner_multi_span_add(mp, 50, 5, t3, 3), id2 + 1);
    ck_assert_int_eq(planner_multi_check(mp), 0);
    planner_multi_destroy(mp);
}
END_TEST

/* ---- property: a multi-planner is its planners in lockstep ---- */

static uint64_t rng_next(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int64_t rng_range(uint64_t *s, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rng_next(s) % (uint64_t)(hi - lo + 1));
}

enum { PH = 200, PL = 3, PSPANS = 64 };

/* The multi-planner's answer to avail_time, recomputed from the separate
 * planners: the first candidate of planner 0 where the others fit. */
static int64_t lockstep_first(planner_t **pl, int64_t oa, int64_t d, const int64_t *req)
{
    int64_t t = planner_avail_time_first(pl[0], oa, d, req[0]);
    for (; t >= 0; t = planner_avail_time_next(pl[0])) {
        int i = 1;
        while (i < PL && planner_avail_during(pl[i], t, d, req[i]) == 0)
            i++;
        if (i == PL)
            break;
    }
    return t;
}

START_TEST(test_multi_props)
{
    uint64_t rs = 0xabc0u + (uint64_t)_i;
    const char *const types[PL] = {"x", "y", "z"};
    int64_t totals[PL];
    planner_t *pl[PL];
    for (int i = 0; i < PL; i++) {
        totals[i] = rng_range(&rs, 1, 6);
        pl[i] = planner_create(0, PH, totals[i], types[i], NULL);
    }
    planner_multi_t *mp = mk(PH, totals, types, PL);
    int64_t ids[PSPANS], sub[PSPANS][PL];
    int n = 0;
    for (int step = 0; step < 1500; step++) {
        int64_t req[PL], start = rng_range(&rs, 0, PH - 1);
        int64_t d = rng_range(&rs, 1, PH - start);
        for (int i = 0; i < PL; i++)
            req[i] = rng_range(&rs, 0, totals[i]);
        int op = (int)(rng_next(&rs) % 4);
        if (op == 0 && n < PSPANS &&
            planner_multi_avail_during(mp, start, d, req, PL) == 0) {
            ids[n] = planner_multi_span_add(mp, start, d, req, PL);
            ck_assert_int_ge(ids[n], 0);
            for (int i = 0; i < PL; i++)
                sub[n][i] = planner_span_add(pl[i], start, d, req[i]);
            n++;
        } else if (op == 1 && n) {
            int k = (int)rng_range(&rs, 0, n - 1);
            ck_assert_int_eq(planner_multi_span_remove(mp, ids[k]), 0);
            for (int i = 0; i < PL; i++)
                planner_span_remove(pl[i], sub[k][i]);
            n--;
            ids[k] = ids[n];
            for (int i = 0; i < PL; i++)
                sub[k][i] = sub[n][i];
        } else {
            int64_t oa = rng_range(&rs, 0, PH - 1);
            ck_assert_int_eq(planner_multi_avail_time_first(mp, oa, d, req, PL),
                             lockstep_first(pl, oa, d, req));
            for (int i = 0; i < PL; i++)
                ck_assert_int_eq(planner_multi_avail_resources_at(mp, start, (size_t)i),
                                 planner_avail_resources_at(pl[i], start));
        }
    }
    ck_assert_int_eq(planner_multi_check(mp), 0);
    /* add + remove leaves the same state (but a new span id counter) */
    planner_multi_t *before = planner_multi_copy(mp, NULL);
    const int64_t zero[PL] = {0, 0, 0};
    int64_t id = planner_multi_span_add(mp, 3, 7, zero, PL);
    ck_assert(!planner_multi_is_same_state(mp, before));
    ck_assert_int_eq(planner_multi_span_remove(mp, id), 0);
    ck_assert(planner_multi_is_same_state(mp, before));
    ck_assert(!planner_multi_is_equal(mp, before));
    planner_multi_destroy(before);
    for (int i = 0; i < PL; i++)
        planner_destroy(pl[i]);
    planner_multi_destroy(mp);
}
END_TEST

Suite *planner_multi_suite(void);

Suite *planner_multi_suite(void)
{
    Suite *s = suite_create("planner_multi");
    TCase *tc = tcase_create("fluxion");
    tcase_add_test(tc, test_multi_basics);
    tcase_add_test(tc, test_multi_getters);
    tcase_add_test(tc, test_multi_strictly_larger);
    tcase_add_test(tc, test_multi_partially_larger);
    tcase_add_test(tc, test_multi_many_spans);
    tcase_add_test(tc, test_multi_add_remove);
    tcase_add_test(tc, test_multi_constructors);
    tcase_add_test(tc, test_multi_update);
    tcase_add_test(tc, test_multi_partial_cancel);
    suite_add_tcase(s, tc);
    TCase *tc2 = tcase_create("api");
    tcase_add_test(tc2, test_multi_badparam);
    tcase_add_test(tc2, test_multi_reset_and_reorder);
    tcase_set_timeout(tc2, 60);
    tcase_add_loop_test(tc2, test_multi_props, 0, 8);
    suite_add_tcase(s, tc2);
    return s;
}
