/* test_planner.c: the single-type planner.
 *
 * The first cases port Fluxion's own planner tests (resource/planner/test/
 * planner_test01.cpp and planner_errno_test.cpp at fd257f71) with their
 * expected numbers; the property tests compare random add/remove/reduce
 * sequences against a brute-force per-instant model. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "planner.h"

static planner_t *mk(int64_t base, int64_t duration, int64_t total, const char *type)
{
    planner_t *p = planner_create(base, duration, total, type, NULL);
    ck_assert_ptr_nonnull(p);
    return p;
}

START_TEST(test_getters)
{
    planner_t *p = mk(0, 9999, 10, "1");
    ck_assert_int_eq(planner_base_time(p), 0);
    ck_assert_int_eq(planner_duration(p), 9999);
    ck_assert_int_eq(planner_resource_total(p), 10);
    ck_assert_str_eq(planner_resource_type(p), "1");
    ck_assert_uint_eq(planner_point_count(p), 1);
    planner_destroy(p);
}
END_TEST

START_TEST(test_basic_add_remove)
{
    planner_t *p = mk(0, 10, 1, "B");
    ck_assert_int_eq(planner_avail_time_first(p, 0, 5, 1), 0);
    ck_assert_int_eq(planner_span_add(p, 0, 5, 1), 1);
    ck_assert_int_eq(planner_avail_time_first(p, 0, 2, 1), 5);
    int64_t span2 = planner_span_add(p, 5, 2, 1);
    ck_assert_int_eq(span2, 2);
    ck_assert_int_eq(planner_avail_time_first(p, 0, 2, 1), 7);
    int64_t span3 = planner_span_add(p, 7, 2, 1);
    ck_assert_int_ge(span3, 0);
    ck_assert_int_eq(planner_avail_time_first(p, 0, 2, 1), ENG_ENOMATCH);
    ck_assert_int_eq(planner_avail_time_first(p, 0, 1, 1), 9);
    ck_assert_int_ge(planner_span_add(p, 9, 1, 1), 0);
    ck_assert_int_eq(planner_span_start(p, span2), 5);
    ck_assert_int_eq(planner_span_remove(p, span2), 0);
    ck_assert_int_eq(planner_span_remove(p, span3), 0);
    ck_assert_int_eq(planner_avail_time_first(p, 0, 5, 1), ENG_ENOMATCH);
    ck_assert_int_eq(planner_avail_time_first(p, 0, 4, 1), 5);
    ck_assert_int_ge(planner_span_add(p, 5, 4, 1), 0);
    ck_assert_int_eq(planner_check(p), 0);
    planner_destroy(p);
}
END_TEST

/* Fluxion's test_availability_checkers: 10 units, spans (1,1000,5),
 * (2000,1001,10), (10,1990,1). */
static planner_t *checkers_planner(void)
{
    planner_t *p = mk(0, INT64_MAX, 10, "A");
    ck_assert_int_eq(planner_avail_during(p, 0, 1, 10), 0);
    ck_assert_int_eq(planner_avail_during(p, 1, 1000, 5), 0);
    ck_assert_int_ge(planner_span_add(p, 1, 1000, 5), 0);
    ck_assert_int_ge(planner_span_add(p, 2000, 1001, 10), 0);
    ck_assert_int_eq(planner_avail_during(p, 10, 2991, 1), ENG_EBUSY);
    ck_assert_int_eq(planner_avail_during(p, 10, 1990, 1), 0);
    ck_assert_int_ge(planner_span_add(p, 10, 1990, 1), 0);
    return p;
}

START_TEST(test_availability_checkers)
{
    planner_t *p = checkers_planner();
    static const int64_t at_cases[][2] = {{1, 5},    {10, 4},   {1500, 9}, {2000, 0},
                                          {2500, 0}, {3000, 0}, {3001, 10}};
    for (size_t i = 0; i < sizeof(at_cases) / sizeof(at_cases[0]); i++)
        ck_assert_int_eq(planner_avail_resources_at(p, at_cases[i][0]), at_cases[i][1]);
    /* {at, duration, request, avail_during rc, resources_during or -1} */
    static const int64_t during[][5] = {
        {2000, 1001, 1, ENG_EBUSY, 0},
        {0, 1001, 4, 0, 4},
        {10, 1990, 4, 0, 4},
        {4, 3, 5, 0, 5},
        {20, 980, 4, 0, 4},
        {1001, 998, 9, 0, 9},
        {2500, 101, 1, ENG_EBUSY, 0},
        {0, 1000, 4, 0, -1},
        {10, 990, 4, 0, -1},
        {20, 981, 4, 0, -1},
        {1001, 999, 9, 0, -1},
        {100, 1401, 4, 0, -1},
        {1500, 1001, 1, ENG_EBUSY, -1},
        {1000, 1001, 1, ENG_EBUSY, -1},
        {0, 3001, 1, ENG_EBUSY, -1},
        {0, 2001, 1, ENG_EBUSY, -1},
        {3001, 2000, 10, 0, -1},
    };
    for (size_t i = 0; i < sizeof(during) / sizeof(during[0]); i++) {
        const int64_t *c = during[i];
        ck_assert_int_eq(planner_avail_during(p, c[0], c[1], c[2]), c[3]);
        if (c[4] >= 0)
            ck_assert_int_eq(planner_avail_resources_during(p, c[0], c[1]), c[4]);
    }
    ck_assert_int_eq(planner_avail_time_first(p, 0, 9, 5), 0);
    ck_assert_int_eq(planner_avail_time_next(p), 1);
    ck_assert_int_eq(planner_avail_time_next(p), 1001);
    ck_assert_int_eq(planner_avail_time_next(p), 3001);
    ck_assert_int_eq(planner_avail_time_next(p), ENG_ENOMATCH);
    ck_assert_int_eq(planner_avail_time_first(p, 0, 10, 9), 1001);
    ck_assert_int_eq(planner_avail_time_next(p), 3001);
    ck_assert_int_eq(planner_avail_time_next(p), ENG_ENOMATCH);
    ck_assert_int_eq(planner_check(p), 0);
    planner_destroy(p);
}
END_TEST

START_TEST(test_add_and_iterator)
{
    planner_t *p = mk(0, 10, 10, "C");
    ck_assert_int_eq(planner_avail_time_first(p, 0, 4, 3), 0);
    ck_assert_int_eq(planner_avail_time_next(p), ENG_ENOMATCH);
    ck_assert_int_ge(planner_span_add(p, 0, 4, 3), 0);
    ck_assert_int_eq(planner_avail_time_next(p), ENG_EINVAL); /* add ended it */
    ck_assert_int_eq(planner_avail_time_first(p, 0, 4, 3), 0);
    ck_assert_int_eq(planner_avail_time_next(p), 4);
    ck_assert_int_eq(planner_avail_time_next(p), ENG_ENOMATCH);
    planner_destroy(p);
}
END_TEST

START_TEST(test_on_or_after)
{
    planner_t *p = mk(0, INT64_MAX, 3, "A");
    ck_assert_int_eq(planner_avail_time_first(p, 100000, 100, 2), ENG_ENOMATCH);
    ck_assert_int_eq(planner_avail_during(p, 100000, 100, 2), 0);
    ck_assert_int_ge(planner_span_add(p, 100000, 100, 2), 0);
    ck_assert_int_eq(planner_avail_time_first(p, 100000, 200, 2), 100100);
    ck_assert_int_ge(planner_span_add(p, 100100, 200, 2), 0);
    ck_assert_int_eq(planner_avail_time_first(p, 100000, 200, 1), 100000);
    ck_assert_int_eq(planner_avail_time_next(p), 100100);
    ck_assert_int_eq(planner_avail_time_next(p), 100300);
    ck_assert_int_eq(planner_avail_time_first(p, 0, 200, 1), 0);
    ck_assert_int_eq(planner_avail_time_next(p), 100000);
    planner_destroy(p);
}
END_TEST

START_TEST(test_remove_more)
{
    planner_t *p = mk(0, INT64_MAX, 10, "core");
    int64_t *spans = malloc(10000 * sizeof(*spans));
    for (int i = 0; i < 10000; i++) {
        spans[i] = planner_span_add(p, (int64_t)(i / 2) * 1000, 1000, 5);
        ck_assert_int_ge(spans[i], 0);
    }
    for (int i = 0; i < 10000; i += 4)
        ck_assert_int_eq(planner_span_remove(p, spans[i]), 0);
    ck_assert_int_eq(planner_check(p), 0);
    free(spans);
    planner_destroy(p);
}
END_TEST

START_TEST(test_stress_fully_overlap)
{
    planner_t *p = mk(0, INT64_MAX, 10000000, "hardware-thread");
    for (int i = 0; i < 100000; i++) {
        ck_assert_int_eq(planner_avail_time_first(p, 0, 4, 100), 0);
        ck_assert_int_ge(planner_span_add(p, 0, 4, 100), 0);
    }
    for (int i = 0; i < 100000; i++) {
        ck_assert_int_eq(planner_avail_time_first(p, 0, 4, 100), 4);
        ck_assert_int_ge(planner_span_add(p, 4, 4, 100), 0);
    }
    planner_destroy(p);
}
END_TEST

START_TEST(test_stress_4spans_overlap)
{
    planner_t *p = mk(0, INT64_MAX, 10000000, "hardware-thread");
    for (int i = 0; i < 200000; i++) {
        ck_assert_int_eq(planner_avail_during(p, i, 4, 100), 0);
        ck_assert_int_ge(planner_span_add(p, i, 4, 100), 0);
    }
    ck_assert_int_eq(planner_check(p), 0);
    planner_destroy(p);
}
END_TEST

START_TEST(test_resource_service_flow)
{
    enum { L1 = 9, L2 = 3, DEPTH = 50000 };
    const char *types[L2] = {"A", "B", "C"};
    const int64_t totals[L2] = {16, 2, 32};
    planner_t *locals[L1], *globals[L2];
    int64_t at = 3600, duration = 1000;
    for (int i = 0; i < L1; i++)
        locals[i] = mk(0, INT64_MAX, totals[i % L2], types[i % L2]);
    for (int j = 0; j < L2; j++)
        globals[j] = mk(0, INT64_MAX, L2 * totals[j], types[j]);
    for (int i = 0; i < L1; i++) {
        ck_assert_int_ge(planner_span_add(locals[i], at, duration, totals[i % L2]), 0);
        ck_assert_int_ge(planner_span_add(globals[i % L2], at, duration, totals[i % L2]),
                         0);
    }
    at += 1000;
    for (int i = 0; i < DEPTH; i++) {
        int j = i % L2, k = i % L1;
        int64_t t = planner_avail_time_first(globals[j], at, duration, totals[j]);
        ck_assert_int_eq(t, at + (int64_t)(i / L1) * duration);
        ck_assert_int_eq(planner_avail_during(locals[k], t, duration, totals[j]), 0);
        ck_assert_int_ge(planner_span_add(locals[k], t, duration, totals[j]), 0);
        ck_assert_int_ge(planner_span_add(globals[j], t, duration, totals[j]), 0);
    }
    for (int i = 0; i < L1; i++)
        planner_destroy(locals[i]);
    for (int j = 0; j < L2; j++)
        planner_destroy(globals[j]);
}
END_TEST

static const int64_t six_spans[6][3] = {{0, 600, 36},          {0, 57600, 3600},
                                        {57600, 57600, 1800},  {115200, 57600, 1152},
                                        {172800, 57600, 2304}, {115200, 900, 468}};

START_TEST(test_more_add_remove)
{
    planner_t *p = mk(0, INT64_MAX, 100000, "core");
    int64_t ids[6];
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 6; i++) {
            ids[i] =
                planner_span_add(p, six_spans[i][0], six_spans[i][1], six_spans[i][2]);
            ck_assert_int_ge(ids[i], 0);
        }
        if (round == 0) {
            for (int i = 0; i < 6; i++)
                ck_assert_int_eq(planner_span_remove(p, ids[i]), 0);
            ck_assert_uint_eq(planner_point_count(p), 1);
        }
    }
    ck_assert_int_eq(planner_check(p), 0);
    planner_destroy(p);
}
END_TEST

START_TEST(test_constructors_and_overload)
{
    planner_t *p = mk(0, INT64_MAX, 100000, "core");
    int64_t span = -1;
    for (int i = 0; i < 6; i++) {
        int64_t id =
            planner_span_add(p, six_spans[i][0], six_spans[i][1], six_spans[i][2]);
        if (i == 3)
            span = id;
    }
    ck_assert(planner_is_equal(p, p));
    planner_t *p2 = planner_create_empty(NULL);
    planner_t *p3 = planner_create_empty(NULL);
    ck_assert(planner_is_equal(p2, p2));
    ck_assert(!planner_is_equal(p, p2));
    ck_assert(planner_is_equal(p2, p3));
    ck_assert_int_eq(planner_assign(p2, p), 0);
    ck_assert_int_eq(planner_assign(p3, p2), 0);
    ck_assert(planner_is_equal(p2, p3));
    ck_assert(planner_is_equal(p, p2));
    ck_assert_int_eq(planner_reset(p3, 0, INT64_MAX), 0);
    ck_assert(!planner_is_equal(p2, p3));
    planner_t *p4 = planner_copy(p2, NULL);
    ck_assert(planner_is_equal(p2, p4));
    ck_assert(planner_is_equal(p, p2));
    ck_assert_int_eq(planner_span_remove(p2, span), 0);
    ck_assert(!planner_is_equal(p2, p4));
    ck_assert_int_eq(planner_assign(p4, p2), 0);
    ck_assert(planner_is_equal(p2, p4));
    planner_destroy(p);
    p = planner_copy(p4, NULL);
    ck_assert(planner_is_equal(p, p4));
    ck_assert_int_eq(planner_avail_resources_at(p, 57600),
                     planner_avail_resources_at(p4, 57600));
    planner_destroy(p);
    planner_destroy(p2);
    planner_destroy(p3);
    planner_destroy(p4);
}
END_TEST

START_TEST(test_update)
{
    planner_t *p = mk(0, INT64_MAX, 100000, "core");
    static const int64_t spans[5][3] = {{0, 600, 36},
                                        {0, 57600, 3600},
                                        {57600, 57600, 1800},
                                        {172800, 57600, 2304},
                                        {115200, 900, 468}};
    for (int i = 0; i < 5; i++)
        ck_assert_int_ge(planner_span_add(p, spans[i][0], spans[i][1], spans[i][2]), 0);
    int64_t avail = planner_avail_resources_at(p, 0);
    planner_t *p2 = planner_copy(p, NULL);
    ck_assert_int_eq(planner_update_total(p, 100000), 0);
    ck_assert(planner_is_equal(p, p2));
    ck_assert_int_eq(planner_update_total(p, 50000), 0);
    ck_assert_int_eq(planner_avail_resources_at(p, 0), avail - 50000);
    ck_assert_int_eq(planner_update_total(p, 100000), 0);
    ck_assert(planner_is_equal(p, p2));
    ck_assert_int_eq(planner_update_total(p, 40000), 0);
    ck_assert_int_eq(planner_span_add(p, 1152000, 57600, 50000), ENG_ELIMIT);
    int64_t span = planner_span_add(p, 1152000, 57600, 40000);
    ck_assert_int_ge(span, 0);
    ck_assert_int_eq(planner_span_remove(p, span), 0);
    ck_assert_int_eq(planner_check(p), 0);
    planner_destroy(p);
    planner_destroy(p2);
}
END_TEST

START_TEST(test_partial_cancel)
{
    planner_t *p = mk(0, INT64_MAX, 100, "core");
    bool removed = true;
    int64_t span1 = planner_span_add(p, 0, 600, 25);
    int64_t span2 = planner_span_add(p, 0, 1200, 75);
    ck_assert_int_eq(planner_span_reduce(p, span1, 15, &removed), 0);
    ck_assert(!removed);
    ck_assert_int_eq(planner_avail_resources_at(p, 0), 15);
    ck_assert_int_eq(planner_span_reduce(p, span1, 10, &removed), 0);
    ck_assert(removed);
    ck_assert_int_eq(planner_avail_resources_at(p, 0), 25);
    ck_assert_int_eq(planner_span_reduce(p, span2, 25, &removed), 0);
    ck_assert(!removed);
    ck_assert_int_eq(planner_avail_resources_at(p, 300), 50);
    int64_t span3 = planner_span_add(p, 300, 300, 50);
    ck_assert_int_eq(planner_avail_resources_at(p, 300), 0);
    ck_assert_int_eq(planner_span_remove(p, span2), 0);
    ck_assert_int_eq(planner_span_reduce(p, span3, 50, &removed), 0);
    ck_assert(removed);
    ck_assert_int_ge(planner_span_add(p, 300, 300, 100), 0);
    ck_assert_int_eq(planner_avail_resources_at(p, 300), 0);
    ck_assert_int_eq(planner_check(p), 0);
    planner_destroy(p);
}
END_TEST

/* planner_errno_test.cpp, in our error values. */
START_TEST(test_errno_cases)
{
    planner_t *p = mk(0, 100, 10, "core");
    ck_assert_int_eq(planner_avail_resources_at(NULL, 50), ENG_EINVAL);
    ck_assert_int_eq(planner_avail_resources_at(p, 101), ENG_ELIMIT);
    ck_assert_int_eq(planner_avail_resources_at(p, -1), ENG_ELIMIT);
    ck_assert_int_eq(planner_avail_resources_during(NULL, 50, 10), ENG_EINVAL);
    ck_assert_int_eq(planner_avail_resources_during(p, 95, 10), ENG_ELIMIT);
    ck_assert_int_eq(planner_span_start(p, 999), ENG_ENOENT);
    ck_assert_int_eq(planner_span_start(NULL, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_span_duration(NULL, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_span_planned(NULL, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_span_remove(p, 999), ENG_ENOENT);
    ck_assert_int_eq(planner_span_remove(NULL, 1), ENG_EINVAL);
    ck_assert_int_ge(planner_span_add(p, 10, 10, 8), 0);
    ck_assert_int_eq(planner_avail_during(p, 10, 10, 5), ENG_EBUSY);
    ck_assert_int_eq(planner_avail_during(p, 0, 10, 10), 0);
    ck_assert_int_eq(planner_avail_during(p, 20, 10, 10), 0);
    ck_assert_int_eq(planner_avail_during(p, 95, 10, 5), ENG_ELIMIT);
    ck_assert_int_eq(planner_avail_during(p, 90, 10, 5), 0);
    planner_destroy(p);
}
END_TEST

START_TEST(test_badparam)
{
    eng_error_t err;
    ck_assert_ptr_null(planner_create(-1, 10, 1, "x", &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    ck_assert_ptr_null(planner_create(0, 0, 1, "x", NULL));
    ck_assert_ptr_null(planner_create(0, 10, -1, "x", NULL));
    ck_assert_ptr_null(planner_create(0, 10, 1, NULL, NULL));
    ck_assert_ptr_null(planner_create(5, INT64_MAX, 1, "x", NULL));
    ck_assert_ptr_null(planner_create(0, 10, INT64_MAX, "x", &err));
    ck_assert_int_eq(err.code, ENG_ELIMIT);
    ck_assert_ptr_null(planner_copy(NULL, &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    planner_t *p = mk(10, 100, 4, "x");
    ck_assert_int_eq(planner_assign(NULL, p), ENG_EINVAL);
    ck_assert_int_eq(planner_assign(p, NULL), ENG_EINVAL);
    ck_assert_int_eq(planner_reset(NULL, 0, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_reset(p, -1, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_reset(p, 0, 0), ENG_EINVAL);
    ck_assert_int_eq(planner_base_time(NULL), ENG_EINVAL);
    ck_assert_int_eq(planner_duration(NULL), ENG_EINVAL);
    ck_assert_int_eq(planner_resource_total(NULL), ENG_EINVAL);
    ck_assert_ptr_null(planner_resource_type(NULL));
    /* avail_time_first: on_or_after outside [base, end), duration, request */
    ck_assert_int_eq(planner_avail_time_first(NULL, 10, 1, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_avail_time_first(p, 9, 1, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_avail_time_first(p, 110, 1, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_avail_time_first(p, 10, 0, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_avail_time_first(p, 10, 1, -1), ENG_EINVAL);
    ck_assert_int_eq(planner_avail_time_first(p, 10, 1, 5), ENG_ELIMIT);
    ck_assert_int_eq(planner_avail_time_first(p, 10, 101, 1), ENG_ENOMATCH);
    ck_assert_int_eq(planner_avail_time_next(NULL), ENG_EINVAL);
    ck_assert_int_eq(planner_avail_time_next(p), ENG_ENOMATCH);
    ck_assert_int_eq(planner_avail_during(NULL, 10, 1, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_avail_during(p, 10, 0, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_avail_during(p, 10, 1, -1), ENG_EINVAL);
    ck_assert_int_eq(planner_avail_during(p, 10, 1, 5), ENG_ELIMIT);
    ck_assert_int_eq(planner_avail_during(p, 10, INT64_MAX, 1), ENG_ELIMIT);
    ck_assert_int_eq(planner_avail_during(p, 0, 5, 4), 0); /* before base: free */
    ck_assert_int_eq(planner_avail_resources_during(p, 111, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_avail_resources_during(p, 10, 0), ENG_EINVAL);
    ck_assert_int_eq(planner_avail_resources_during(p, 5, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_avail_resources_during(p, 10, 100), 4);
    ck_assert_int_eq(planner_avail_resources_at(p, 110), 4);
    ck_assert_int_eq(planner_span_add(NULL, 10, 1, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_span_add(p, 5, 1, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_span_add(p, 10, 0, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_span_add(p, 10, 1, -1), ENG_EINVAL);
    ck_assert_int_eq(planner_span_add(p, 10, 1, 5), ENG_ELIMIT);
    ck_assert_int_eq(planner_span_add(p, 100, 11, 1), ENG_ELIMIT);
    int64_t id = planner_span_add(p, 10, 100, 3);
    ck_assert_int_eq(id, 1);
    ck_assert_int_eq(planner_span_add(p, 10, 1, 2), ENG_EBUSY);
    bool removed = true;
    ck_assert_int_eq(planner_span_reduce(NULL, id, 1, &removed), ENG_EINVAL);
    ck_assert(!removed);
    ck_assert_int_eq(planner_span_reduce(p, id, -1, NULL), ENG_EINVAL);
    ck_assert_int_eq(planner_span_reduce(p, id, 4, NULL), ENG_EINVAL);
    ck_assert_int_eq(planner_span_reduce(p, 7, 1, NULL), ENG_ENOENT);
    ck_assert_int_eq(planner_span_reduce(p, id, 0, NULL), 0);
    ck_assert_int_eq(planner_span_first(NULL), ENG_EINVAL);
    ck_assert_int_eq(planner_span_next(NULL), ENG_EINVAL);
    ck_assert_uint_eq(planner_span_count(NULL), 0);
    ck_assert(!planner_span_is_active(NULL, id));
    ck_assert(!planner_span_is_active(p, 0));
    ck_assert_int_eq(planner_update_total(NULL, 1), ENG_EINVAL);
    ck_assert_int_eq(planner_update_total(p, -1), ENG_EINVAL);
    ck_assert_int_eq(planner_update_total(p, INT64_MAX), ENG_ELIMIT);
    ck_assert(!planner_is_equal(NULL, p));
    ck_assert_int_eq(planner_check(NULL), ENG_ESTATE);
    planner_destroy(NULL);
    /* an empty planner answers every query with an error */
    planner_t *e = planner_create_empty(NULL);
    ck_assert_int_eq(planner_avail_time_first(e, 0, 1, 0), ENG_EINVAL);
    ck_assert_int_eq(planner_avail_resources_at(e, 0), ENG_EINVAL);
    ck_assert_int_eq(planner_span_add(e, 0, 1, 0), ENG_ELIMIT);
    ck_assert_int_eq(planner_check(e), 0);
    planner_destroy(e);
    ck_assert_int_eq(planner_check(p), 0);
    planner_destroy(p);
    /* windows before the base time of an unbounded planner do not overflow */
    p = mk(0, INT64_MAX, 4, "x");
    ck_assert_int_eq(planner_avail_during(p, -5, 10, 1), 0);
    ck_assert_int_eq(planner_avail_during(p, INT64_MIN, INT64_MAX, 1), 0);
    ck_assert_int_eq(planner_avail_resources_during(p, -5, 10), ENG_EINVAL);
    ck_assert_int_eq(planner_avail_during(p, 5, INT64_MAX, 1), ENG_ELIMIT);
    planner_destroy(p);
}
END_TEST

START_TEST(test_span_iteration)
{
    planner_t *p = mk(0, 1000, 10, "x");
    for (int i = 0; i < 40; i++)
        ck_assert_int_eq(planner_span_add(p, i * 10, 5, 1), i + 1);
    for (int i = 1; i <= 40; i += 2)
        ck_assert_int_eq(planner_span_remove(p, i), 0);
    ck_assert_uint_eq(planner_span_count(p), 20);
    int64_t expect = 2;
    for (int64_t id = planner_span_first(p); id > 0; id = planner_span_next(p)) {
        ck_assert_int_eq(id, expect);
        ck_assert_int_eq(planner_span_start(p, id), (id - 1) * 10);
        ck_assert_int_eq(planner_span_duration(p, id), 5);
        ck_assert_int_eq(planner_span_planned(p, id), 1);
        ck_assert(planner_span_is_active(p, id));
        /* removing the current span does not disturb the iteration */
        ck_assert_int_eq(planner_span_remove(p, id), 0);
        expect += 2;
    }
    ck_assert_int_eq(expect, 42);
    ck_assert_int_eq(planner_span_first(p), ENG_ENOENT);
    ck_assert_uint_eq(planner_point_count(p), 1);
    ck_assert_int_eq(planner_check(p), 0);
    planner_destroy(p);
}
END_TEST

/* Stale keys (Fluxion quirk): after planner_update_total() Fluxion's
 * min-time tree still holds the old free counts, and avail_time follows
 * them until the points are re-inserted. */
START_TEST(test_update_stale_keys)
{
    planner_t *p = mk(0, 100, 10, "x");
    ck_assert_int_ge(planner_span_add(p, 0, 5, 10), 0);
    ck_assert_int_eq(planner_update_total(p, 20), 0);
    ck_assert_int_eq(planner_avail_resources_at(p, 0), 10);
    ck_assert_int_eq(planner_avail_resources_at(p, 5), 20);
    /* key(0) = 0, key(5) = 10: time 0 is not a candidate for 5 units */
    ck_assert_int_eq(planner_avail_time_first(p, 0, 1, 15), ENG_ENOMATCH);
    ck_assert_int_eq(planner_avail_time_first(p, 0, 1, 5), 5);
    /* the next query first puts the examined point 5 back, keyed by its
     * current count (20) */
    ck_assert_int_eq(planner_avail_time_first(p, 0, 1, 15), 5);
    ck_assert_int_eq(planner_avail_during(p, 0, 1, 10), 0);
    /* an update re-keys the points it covers */
    int64_t id = planner_span_add(p, 0, 50, 0);
    ck_assert_int_eq(planner_avail_time_first(p, 0, 1, 5), 0);
    ck_assert_int_eq(planner_span_remove(p, id), 0);
    ck_assert_int_eq(planner_check(p), 0);
    planner_destroy(p);
}
END_TEST

/* ---- property tests against a brute-force model ---- */

enum { H = 300, MAXSPANS = 256 };

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

struct model {
    int64_t total;
    int64_t used[H + 1];
    int ref[H + 1];
    int64_t id[MAXSPANS], start[MAXSPANS], last[MAXSPANS], planned[MAXSPANS];
    int n;
};

static bool model_point(const struct model *m, int64_t t)
{
    return t == 0 || m->ref[t] > 0;
}

static bool model_fits(const struct model *m, int64_t t, int64_t d, int64_t req)
{
    for (int64_t u = t; u < t + d && u <= H; u++)
        if (m->total - m->used[u] < req)
            return false;
    return true;
}

/* Fluxion's avail_time over the model: the first scheduled point after
 * 'from' (and at or after 'oa') that fits; ENG_ENOMATCH past the end. */
static int64_t model_avail(const struct model *m, int64_t oa, int64_t from, int64_t d,
                           int64_t req, int64_t *next_from)
{
    for (int64_t t = from > oa ? from : oa; t <= H; t++) {
        if (!model_point(m, t) || !model_fits(m, t, d, req))
            continue;
        *next_from = t + 1;
        return t + d > H ? ENG_ENOMATCH : t;
    }
    *next_from = H + 1;
    return ENG_ENOMATCH;
}

static void model_apply(struct model *m, int k, int64_t amount)
{
    for (int64_t u = m->start[k]; u < m->last[k]; u++)
        m->used[u] += amount;
}

static void model_drop(struct model *m, int k)
{
    m->ref[m->start[k]]--;
    m->ref[m->last[k]]--;
    m->n--;
    m->id[k] = m->id[m->n];
    m->start[k] = m->start[m->n];
    m->last[k] = m->last[m->n];
    m->planned[k] = m->planned[m->n];
}

static void prop_add(planner_t *p, struct model *m, uint64_t *rs)
{
    int64_t start = rng_range(rs, 0, H - 1);
    int64_t d = rng_range(rs, 1, H - start);
    int64_t req = rng_range(rs, 0, m->total);
    bool fits = model_fits(m, start, d, req);
    int64_t id = planner_span_add(p, start, d, req);
    if (!fits || m->n == MAXSPANS) {
        if (!fits)
            ck_assert_int_eq(id, ENG_EBUSY);
        else if (id > 0)
            planner_span_remove(p, id);
        return;
    }
    ck_assert_int_gt(id, 0);
    int k = m->n++;
    m->id[k] = id;
    m->start[k] = start;
    m->last[k] = start + d;
    m->planned[k] = req;
    m->ref[start]++;
    m->ref[start + d]++;
    model_apply(m, k, req);
}

static void prop_remove_or_reduce(planner_t *p, struct model *m, uint64_t *rs)
{
    if (!m->n)
        return;
    int k = (int)rng_range(rs, 0, m->n - 1);
    int64_t amount = rng_range(rs, 0, m->planned[k]);
    if (rng_next(rs) % 2) {
        ck_assert_int_eq(planner_span_remove(p, m->id[k]), 0);
        model_apply(m, k, -m->planned[k]);
        model_drop(m, k);
        return;
    }
    bool removed = false;
    ck_assert_int_eq(planner_span_reduce(p, m->id[k], amount, &removed), 0);
    model_apply(m, k, -amount);
    ck_assert(removed == (amount == m->planned[k]));
    m->planned[k] -= amount;
    if (removed)
        model_drop(m, k);
}

static void prop_query(planner_t *p, const struct model *m, uint64_t *rs)
{
    int64_t oa = rng_range(rs, 0, H - 1), d = rng_range(rs, 1, H / 2);
    int64_t req = rng_range(rs, 0, m->total), from = 0;
    int64_t t = planner_avail_time_first(p, oa, d, req);
    ck_assert_int_eq(t, model_avail(m, oa, 0, d, req, &from));
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(planner_avail_time_next(p),
                         model_avail(m, oa, from, d, req, &from));
    int64_t at = rng_range(rs, 0, H - d), lowest = INT64_MAX;
    for (int64_t u = at; u < at + d; u++)
        if (m->total - m->used[u] < lowest)
            lowest = m->total - m->used[u];
    ck_assert_int_eq(planner_avail_resources_during(p, at, d), lowest);
    ck_assert_int_eq(planner_avail_during(p, at, d, req), req <= lowest ? 0 : ENG_EBUSY);
    ck_assert_int_eq(planner_avail_resources_at(p, at), m->total - m->used[at]);
}

/* Availability at every instant and the scheduled points agree. */
static void assert_same_state(const planner_t *a, const planner_t *b)
{
    ck_assert_uint_eq(planner_point_count(a), planner_point_count(b));
    ck_assert_uint_eq(planner_span_count(a), planner_span_count(b));
    for (int64_t t = 0; t <= H; t++)
        ck_assert_int_eq(planner_avail_resources_at(a, t),
                         planner_avail_resources_at(b, t));
}

START_TEST(test_props_random)
{
    uint64_t rs = 0x5eed0000u + (uint64_t)_i;
    struct model *m = calloc(1, sizeof(*m));
    m->total = rng_range(&rs, 1, 12);
    planner_t *p = mk(0, H, m->total, "core");
    for (int step = 0; step < 3000; step++) {
        int op = (int)(rng_next(&rs) % 8);
        if (op < 3)
            prop_add(p, m, &rs);
        else if (op < 5)
            prop_remove_or_reduce(p, m, &rs);
        else
            prop_query(p, m, &rs);
        if (step % 97 == 0) {
            ck_assert_int_eq(planner_check(p), 0);
            size_t points = 1;
            for (int64_t t = 1; t <= H; t++)
                points += m->ref[t] > 0;
            ck_assert_uint_eq(planner_point_count(p), points);
        }
        for (int64_t t = 0; t <= H && step % 211 == 0; t++)
            ck_assert_int_le(m->used[t], m->total); /* never over-allocated */
    }
    /* add then remove restores the exact prior state */
    for (int i = 0; i < 50; i++) {
        planner_t *before = planner_copy(p, NULL);
        int64_t start = rng_range(&rs, 0, H - 1), d = rng_range(&rs, 1, H - start);
        int64_t id = planner_span_add(p, start, d, rng_range(&rs, 0, m->total));
        if (id > 0)
            ck_assert_int_eq(planner_span_remove(p, id), 0);
        assert_same_state(p, before);
        ck_assert(planner_is_same_state(p, before));
        ck_assert(id < 0 || !planner_is_equal(p, before)); /* the id counter moved */
        ck_assert_int_eq(planner_check(p), 0);
        planner_destroy(before);
    }
    planner_destroy(p);
    free(m);
}
END_TEST

/* Copy and assign give planners that evolve identically. */
START_TEST(test_props_copy)
{
    uint64_t rs = 77;
    struct model *m = calloc(1, sizeof(*m));
    m->total = 8;
    planner_t *p = mk(0, H, m->total, "core");
    for (int step = 0; step < 400; step++)
        prop_add(p, m, &rs);
    planner_t *c = planner_copy(p, NULL);
    ck_assert(planner_is_equal(p, c));
    for (int i = 0; i < m->n; i++) {
        ck_assert_int_eq(planner_span_remove(p, m->id[i]), 0);
        ck_assert_int_eq(planner_span_remove(c, m->id[i]), 0);
        ck_assert(planner_is_equal(p, c));
    }
    ck_assert_uint_eq(planner_point_count(c), 1);
    planner_destroy(p);
    planner_destroy(c);
    free(m);
}
END_TEST

Suite *planner_suite(void);

Suite *planner_suite(void)
{
    Suite *s = suite_create("planner");
    TCase *tc = tcase_create("fluxion");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_getters);
    tcase_add_test(tc, test_basic_add_remove);
    tcase_add_test(tc, test_availability_checkers);
    tcase_add_test(tc, test_add_and_iterator);
    tcase_add_test(tc, test_on_or_after);
    tcase_add_test(tc, test_remove_more);
    tcase_add_test(tc, test_stress_fully_overlap);
    tcase_add_test(tc, test_stress_4spans_overlap);
    tcase_add_test(tc, test_resource_service_flow);
    tcase_add_test(tc, test_more_add_remove);
    tcase_add_test(tc, test_constructors_and_overload);
    tcase_add_test(tc, test_update);
    tcase_add_test(tc, test_partial_cancel);
    tcase_add_test(tc, test_errno_cases);
    suite_add_tcase(s, tc);
    TCase *tc2 = tcase_create("api");
    tcase_add_test(tc2, test_badparam);
    tcase_add_test(tc2, test_span_iteration);
    tcase_add_test(tc2, test_update_stale_keys);
    suite_add_tcase(s, tc2);
    TCase *tc3 = tcase_create("properties");
    tcase_set_timeout(tc3, 120);
    tcase_add_loop_test(tc3, test_props_random, 0, 12);
    tcase_add_test(tc3, test_props_copy);
    suite_add_tcase(s, tc3);
    return s;
}
