/* test_qpol.c: queue policies on small hand-checked schedules, over the
 * fake backend (4 whole nodes unless said otherwise; fake_rapi.h). */
#include <check.h>
#include <stdlib.h>

#include "qpol.h"
#include "sim/fake_rapi.h"

struct expect {
    sim_time_t start, end, first_reserved_at;
};

static void check_schedule(const char *policy, const qpol_params_t *p,
                           const struct fake_job *jobs, size_t n,
                           const struct expect *want)
{
    fake_rapi_t *f = fake_rapi_create(4, 2, 0);
    sim_t *sim = fake_run(f, jobs, n, policy, p);
    for (size_t i = 0; i < n; i++) {
        const sim_job_t *j = sim_job(sim, i);
        ck_assert_msg(j->state == SIM_JOB_COMPLETED, "%s: job %zu not completed", policy,
                      i);
        ck_assert_msg(j->start == want[i].start && j->end == want[i].end &&
                          j->first_reserved_at == want[i].first_reserved_at,
                      "%s: job %lld ran %lld-%lld (first reserved %lld), expected "
                      "%lld-%lld (%lld)",
                      policy, (long long)j->id, (long long)j->start, (long long)j->end,
                      (long long)j->first_reserved_at, (long long)want[i].start,
                      (long long)want[i].end, (long long)want[i].first_reserved_at);
    }
    ck_assert_int_eq(fake_rapi_live(f), 0);
    sim_destroy(sim);
    fake_rapi_destroy(f);
}

/* The four-job example, 4 nodes, runtime = walltime:
 *   J1 t=0 3 nodes 100 s    J2 t=1 2 nodes 50 s
 *   J3 t=2 4 nodes 50 s     J4 t=3 1 node 200 s
 * fcfs: J1 0-100 on n0-n2.  J2 does not fit (1 node free) and blocks J3, J4.
 *   t=100: J2 100-150; J3 needs all 4, waits; J4 waits behind J3.
 *   t=150: J3 150-200.  t=200: J4 200-400.
 * easy: J2 reserved at 100 on n0,n1 (lowest free then).  J3 gets no
 *   reservation (depth 1).  J4 fits now on n3 until 203 and does not touch
 *   n0,n1 at 100, so it backfills: 3-203.  t=100: J2 starts (100-150); J3 is
 *   now the first blocked job and is reserved when all 4 nodes are free,
 *   at 203 (J4 holds n3): 203-253.
 * conservative: J2 reserved at 100, J3 reserved at 150 (after J2, all 4
 *   nodes); J4 on n3 from 3 to 203 would overlap J3's reservation, so J4 is
 *   reserved after J3: 200-400.  Starts match fcfs here, but J3 and J4 carry
 *   reservations.
 * hybrid with depth 2: J2 and J3 are reserved as under conservative; J4,
 *   third in line, may only backfill, and cannot (n3 is needed by J3 at
 *   150).  At t=100 J2 runs, which frees a reservation slot: J3 is reserved
 *   at 150 and J4 at 200.  Same starts as conservative. */
static const struct fake_job four[] = {
    {1, 0, 3, 100, 100}, {2, 1, 2, 50, 50}, {3, 2, 4, 50, 50}, {4, 3, 1, 200, 200}};

START_TEST(test_fcfs_four)
{
    const struct expect want[] = {
        {0, 100, -1}, {100, 150, -1}, {150, 200, -1}, {200, 400, -1}};
    check_schedule("fcfs", NULL, four, 4, want);
}
END_TEST

START_TEST(test_easy_four)
{
    const struct expect want[] = {
        {0, 100, -1}, {100, 150, 100}, {203, 253, 203}, {3, 203, -1}};
    check_schedule("easy", NULL, four, 4, want);
}
END_TEST

START_TEST(test_conservative_four)
{
    const struct expect want[] = {
        {0, 100, -1}, {100, 150, 100}, {150, 200, 150}, {200, 400, 200}};
    check_schedule("conservative", NULL, four, 4, want);
}
END_TEST

START_TEST(test_hybrid_four)
{
    const struct expect want[] = {
        {0, 100, -1}, {100, 150, 100}, {150, 200, 150}, {200, 400, 200}};
    qpol_params_t p = {.reservation_depth = 2};
    check_schedule("hybrid", &p, four, 4, want);
}
END_TEST

/* Jobs given out of submit order arrive by submit time, ties in the order
 * given: all needing the 4 nodes, under fcfs they run one after another in
 * that order. */
START_TEST(test_arrival_order)
{
    const struct fake_job jobs[] = {{1, 20, 4, 10, 10},
                                    {2, 5, 4, 10, 10},
                                    {3, 5, 4, 10, 10},
                                    {4, 0, 4, 10, 10},
                                    {5, 20, 4, 10, 10}};
    const struct expect want[] = {
        {30, 40, -1}, {10, 20, -1}, {20, 30, -1}, {0, 10, -1}, {40, 50, -1}};
    check_schedule("fcfs", NULL, jobs, 5, want);
}
END_TEST

/* Queue depth only changes how many passes it takes, not the schedule: with
 * depth 1, fcfs runs one more pass per started job at the same instant. */
START_TEST(test_fcfs_depth_one)
{
    const struct fake_job jobs[] = {{1, 0, 1, 10, 10},
                                    {2, 0, 1, 10, 10},
                                    {3, 0, 1, 10, 10},
                                    {4, 0, 1, 10, 10},
                                    {5, 0, 1, 10, 10}};
    const struct expect want[] = {
        {0, 10, -1}, {0, 10, -1}, {0, 10, -1}, {0, 10, -1}, {10, 20, -1}};
    qpol_params_t p = {.queue_depth = 1};
    check_schedule("fcfs", &p, jobs, 5, want);
    check_schedule("fcfs", NULL, jobs, 5, want);
}
END_TEST

/* EASY and the queue depth: J1 t=0 3 nodes 100 s, J2 t=1 4 nodes 100 s,
 * J3 t=2 2 nodes 500 s, J4 t=3 1 node 50 s. */
START_TEST(test_easy_depth)
{
    const struct fake_job jobs[] = {
        {1, 0, 3, 100, 100}, {2, 1, 4, 100, 100}, {3, 2, 2, 500, 500}, {4, 3, 1, 50, 50}};
    /* depth 32: J4 (1 node, 3-53) backfills on n3.  J3 (2 nodes, 500 s)
     * would delay J2, so waits: at 100 J2 runs 100-200, J3 reserved at 200. */
    const struct expect deep[] = {
        {0, 100, -1}, {100, 200, 100}, {200, 700, 200}, {3, 53, -1}};
    check_schedule("easy", NULL, jobs, 4, deep);
    /* depth 2: passes look at J2 and J3 only, so J4 never backfills on n3;
     * once J2 runs (100-200, all nodes) nothing is free until 200, when J3
     * (n0,n1) and J4 (n2) start. */
    const struct expect shallow[] = {
        {0, 100, -1}, {100, 200, 100}, {200, 700, 200}, {200, 250, -1}};
    qpol_params_t p = {.queue_depth = 2};
    check_schedule("easy", &p, jobs, 4, shallow);
}
END_TEST

START_TEST(test_registry)
{
    const char *names[] = {"fcfs", "easy", "hybrid", "conservative"};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_ptr_eq(qpol_find(names[i]), qpol_at(i));
        ck_assert_str_eq(qpol_at(i)->name, names[i]);
    }
    ck_assert_ptr_null(qpol_at(4));
    ck_assert_ptr_null(qpol_find("sjf"));
    ck_assert_ptr_null(qpol_find(NULL));
}
END_TEST

START_TEST(test_badparam)
{
    const struct {
        const char *policy;
        qpol_params_t p;
        const char *text;
    } cases[] = {
        {"fcfs",
         {.queue_depth = -1},
         "fcfs: queue-depth must be in [1, 1000000], got -1"},
        {"fcfs",
         {.queue_depth = 1000001},
         "fcfs: queue-depth must be in [1, 1000000], got 1000001"},
        {"fcfs", {.reservation_depth = 3}, "fcfs: takes no reservation-depth"},
        {"easy",
         {.reservation_depth = 2},
         "easy: reservation-depth is always 1 (use hybrid for more)"},
        {"hybrid",
         {.reservation_depth = -2},
         "hybrid: reservation-depth must be in [1, 99999], got -2"},
        {"conservative",
         {.reservation_depth = 100001},
         "conservative: reservation-depth must be in [1, 100000], got 100001"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        eng_error_t err;
        eng_error_clear(&err);
        ck_assert_ptr_null(qpol_find(cases[i].policy)->create(&cases[i].p, &err));
        ck_assert_int_eq(err.code, ENG_EINVAL);
        ck_assert_str_eq(err.text, cases[i].text);
    }
}
END_TEST

Suite *qpol_suite(void)
{
    Suite *s = suite_create("qpol");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_fcfs_four);
    tcase_add_test(tc, test_easy_four);
    tcase_add_test(tc, test_conservative_four);
    tcase_add_test(tc, test_hybrid_four);
    tcase_add_test(tc, test_fcfs_depth_one);
    tcase_add_test(tc, test_arrival_order);
    tcase_add_test(tc, test_easy_depth);
    tcase_add_test(tc, test_registry);
    tcase_add_test(tc, test_badparam);
    suite_add_tcase(s, tc);
    return s;
}
