/* test_sim.c: the simulator core over the fake backend: event order at one
 * instant, rejection at submission, resource events, invariants and
 * determinism on a random workload. */
#include <check.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

#include "qpol.h"
#include "runits.h"
#include "sim.h"
#include "sim/fake_rapi.h"

/* J1 ends at 100 exactly when J2 (all 4 nodes) arrives: the completion is
 * handled first, so the pass at 100 starts J2 at once. */
START_TEST(test_completion_before_arrival)
{
    const struct fake_job jobs[] = {{1, 0, 4, 100, 100}, {2, 100, 4, 10, 10}};
    fake_rapi_t *f = fake_rapi_create(4, 1, 0);
    sim_t *sim = fake_run(f, jobs, 2, "fcfs", NULL);
    ck_assert_int_eq(sim_job(sim, 1)->start, 100);
    struct sim_stats st;
    sim_stats_get(sim, &st);
    /* events: 2 arrivals, 2 finishes, passes at 0, 100, 110 */
    ck_assert_uint_eq(st.passes, 3);
    ck_assert_uint_eq(st.events, 7);
    ck_assert_uint_eq(st.completed, 2);
    ck_assert_int_eq(st.now, 110);
    sim_destroy(sim);
    fake_rapi_destroy(f);
}
END_TEST

/* A job needing 5 of 4 nodes is rejected when it arrives and never blocks
 * fcfs; the job behind it starts at once. */
START_TEST(test_reject_at_submit)
{
    const struct fake_job jobs[] = {{7, 0, 5, 10, 10}, {8, 0, 1, 10, 10}};
    fake_rapi_t *f = fake_rapi_create(4, 1, 0);
    sim_t *sim = fake_run(f, jobs, 2, "fcfs", NULL);
    const sim_job_t *j = sim_job(sim, 0);
    ck_assert_int_eq(j->state, SIM_JOB_REJECTED);
    ck_assert_str_eq(j->note, "unsatisfiable");
    ck_assert_int_eq(j->start, -1);
    ck_assert_uint_eq(j->match_calls, 1);
    ck_assert_int_eq(sim_job(sim, 1)->start, 0);
    ck_assert_str_eq(sim_job_state_name(j->state), "rejected");
    sim_destroy(sim);
    fake_rapi_destroy(f);
}
END_TEST

/* n3 is down from 0 to 50: a 4-node job can be neither started nor
 * reserved, is set aside as blocked, and starts when n3 comes back. */
START_TEST(test_resource_events)
{
    fake_rapi_t *f = fake_rapi_create(4, 1, 0);
    eng_error_t err;
    eng_error_clear(&err);
    sim_t *sim = sim_create(&fake_rapi_ops, f, NULL, &err);
    struct sim_job_spec spec = {.id = 1,
                                .submit = 10,
                                .runtime = 5,
                                .walltime = 5,
                                .jobspec = "nodes=4 walltime=5"};
    ck_assert_int_eq(sim_job_add(sim, &spec, &err), 0);
    ck_assert_int_eq(sim_resource_event_add(sim, 0, "n3", false, &err), 0);
    ck_assert_int_eq(sim_resource_event_add(sim, 50, "n3", true, &err), 0);
    void *q = qpol_easy.create(NULL, &err);
    ck_assert_int_eq(sim_run(sim, &qpol_easy, q, &err), 0);
    ck_assert_int_eq(sim_job(sim, 0)->start, 50);
    ck_assert_int_eq(sim_job(sim, 0)->first_reserved_at, -1);
    qpol_easy.destroy(q);
    sim_destroy(sim);
    fake_rapi_destroy(f);
}
END_TEST

START_TEST(test_unmapped_and_badparam)
{
    fake_rapi_t *f = fake_rapi_create(2, 1, 0);
    eng_error_t err;
    eng_error_clear(&err);
    ck_assert_ptr_null(sim_create(NULL, f, NULL, &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    sim_t *sim = sim_create(&fake_rapi_ops, f, NULL, &err);
    struct sim_job_spec bad = {.id = 1,
                               .submit = 0,
                               .runtime = 1,
                               .walltime = 0,
                               .jobspec = "nodes=1 walltime=1"};
    eng_error_clear(&err);
    ck_assert_int_eq(sim_job_add(sim, &bad, &err), ENG_EINVAL);
    ck_assert_str_eq(err.text,
                     "job 1: submit and run time must be >= 0 and walltime >= 1");
    bad.walltime = 1;
    bad.jobspec = NULL;
    eng_error_clear(&err);
    ck_assert_int_eq(sim_job_add(sim, &bad, &err), ENG_EINVAL);
    struct sim_job_spec un = {
        .id = 2, .submit = 5, .runtime = -1, .walltime = -1, .unmapped = "no size"};
    ck_assert_int_eq(sim_job_add(sim, &un, &err), 0);
    ck_assert_int_eq(sim_resource_event_add(sim, -1, "n0", false, &err), ENG_EINVAL);
    void *q = qpol_fcfs.create(NULL, &err);
    ck_assert_int_eq(sim_run(sim, &qpol_fcfs, q, &err), 0);
    ck_assert_int_eq(sim_run(sim, &qpol_fcfs, q, &err), ENG_EINVAL); /* runs once */
    ck_assert_int_eq(sim_job(sim, 0)->state, SIM_JOB_UNMAPPED);
    ck_assert_str_eq(sim_job(sim, 0)->note, "no size");
    ck_assert_ptr_null(sim_job(sim, 1));
    ck_assert_int_eq(sim_job_add(sim, &un, &err), ENG_EINVAL); /* after the run */
    qpol_fcfs.destroy(q);
    sim_destroy(sim);
    sim_destroy(NULL);
    fake_rapi_destroy(f);
}
END_TEST

START_TEST(test_runits)
{
    int64_t u[SIM_UNIT_COUNT];
    ck_assert_int_eq(runits_count("[{\"rank\": \"0-3,7\", \"children\": {\"core\": "
                                  "\"0-15\", \"gpu\": \"0-1\"}}, {\"rank\": \"9\", "
                                  "\"children\": {\"core\": \"2,4\"}}]",
                                  u, NULL),
                     0);
    ck_assert_int_eq(u[SIM_UNIT_NODE], 6);
    ck_assert_int_eq(u[SIM_UNIT_CORE], 5 * 16 + 2);
    ck_assert_int_eq(u[SIM_UNIT_GPU], 10);
    ck_assert_int_eq(runits_idset_count("[0-2,5]"), 4);
    ck_assert_int_eq(runits_idset_count(""), 0);
    const char *bad[] = {"3-1", "1,1", "a", "0-", "[0", "0]", "1,,2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(runits_idset_count(bad[i]) == -1, "%s", bad[i]);
    eng_error_t err;
    eng_error_clear(&err);
    ck_assert_int_eq(runits_count("{}", u, &err), ENG_EPARSE);
    ck_assert_str_eq(err.text, "R_lite: expected a JSON array");
}
END_TEST

/* ---- random workloads: invariants and determinism ---------------------- */

enum { RAND_JOBS = 250, RAND_NODES = 16 };

static struct fake_job *random_jobs(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    struct fake_job *jobs = calloc(RAND_JOBS, sizeof *jobs);
    sim_time_t t = 0;
    for (int i = 0; i < RAND_JOBS; i++) {
        t += (sim_time_t)gsl_ran_exponential(r, 40.0);
        sim_time_t wall = 1 + (sim_time_t)gsl_rng_uniform_int(r, 1000);
        sim_time_t run = (sim_time_t)gsl_rng_uniform_int(r, (unsigned long)wall + 50);
        int nodes = 1 + (int)gsl_rng_uniform_int(r, RAND_NODES + 2); /* some too big */
        jobs[i] = (struct fake_job){1000 + i, t, nodes, run, wall};
    }
    gsl_rng_free(r);
    return jobs;
}

/* No job starts before it is submitted; it ends at start + min(run, wall);
 * never more nodes busy than exist (the fake also refuses double bookings);
 * fcfs starts in submit order; under easy no job starts after its first
 * reservation. */
static void check_invariants(const char *policy, sim_t *sim)
{
    size_t n = sim_job_count(sim);
    sim_time_t last_start = -1;
    for (size_t i = 0; i < n; i++) {
        const sim_job_t *j = sim_job(sim, i);
        if (j->state == SIM_JOB_REJECTED) {
            ck_assert_int_gt(j->req_nodes, RAND_NODES);
            continue;
        }
        ck_assert_int_eq(j->state, SIM_JOB_COMPLETED);
        ck_assert_int_ge(j->start, j->submit);
        ck_assert_int_eq(
            j->end, j->start + (j->runtime < j->walltime ? j->runtime : j->walltime));
        ck_assert_int_eq(j->units[SIM_UNIT_NODE], j->req_nodes);
        if (strcmp(policy, "fcfs") == 0) {
            ck_assert_int_ge(j->start, last_start);
            last_start = j->start;
        }
        if (strcmp(policy, "easy") == 0 && j->first_reserved_at >= 0)
            ck_assert_int_le(j->start, j->first_reserved_at);
    }
    /* busy nodes at every start instant */
    for (size_t i = 0; i < n; i++) {
        const sim_job_t *a = sim_job(sim, i);
        if (a->state != SIM_JOB_COMPLETED)
            continue;
        int64_t busy = 0;
        for (size_t k = 0; k < n; k++) {
            const sim_job_t *b = sim_job(sim, k);
            if (b->state == SIM_JOB_COMPLETED && b->start <= a->start &&
                a->start < b->end)
                busy += b->units[SIM_UNIT_NODE];
        }
        ck_assert_int_le(busy, RAND_NODES);
    }
}

START_TEST(test_random_invariants)
{
    const char *policies[] = {"fcfs", "easy", "hybrid", "conservative"};
    struct fake_job *jobs = random_jobs(42);
    for (int p = 0; p < 4; p++) {
        fake_rapi_t *f = fake_rapi_create(RAND_NODES, 4, 0);
        sim_t *sim = fake_run(f, jobs, RAND_JOBS, policies[p], NULL);
        check_invariants(policies[p], sim);
        ck_assert_int_eq(fake_rapi_live(f), 0);
        sim_destroy(sim);
        fake_rapi_destroy(f);
    }
    free(jobs);
}
END_TEST

START_TEST(test_determinism)
{
    struct fake_job *jobs = random_jobs(7);
    fake_rapi_t *f1 = fake_rapi_create(RAND_NODES, 4, 0);
    fake_rapi_t *f2 = fake_rapi_create(RAND_NODES, 4, 0);
    sim_t *a = fake_run(f1, jobs, RAND_JOBS, "easy", NULL);
    sim_t *b = fake_run(f2, jobs, RAND_JOBS, "easy", NULL);
    for (size_t i = 0; i < RAND_JOBS; i++) {
        const sim_job_t *x = sim_job(a, i), *y = sim_job(b, i);
        ck_assert_int_eq(x->start, y->start);
        ck_assert_int_eq(x->first_reserved_at, y->first_reserved_at);
        ck_assert_uint_eq(x->match_calls, y->match_calls);
        ck_assert_str_eq(x->r_lite ? x->r_lite : "", y->r_lite ? y->r_lite : "");
    }
    sim_destroy(a);
    sim_destroy(b);
    fake_rapi_destroy(f1);
    fake_rapi_destroy(f2);
    free(jobs);
}
END_TEST

Suite *sim_suite(void)
{
    Suite *s = suite_create("sim");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300); /* sanitizers on a busy machine */
    tcase_add_test(tc, test_completion_before_arrival);
    tcase_add_test(tc, test_reject_at_submit);
    tcase_add_test(tc, test_resource_events);
    tcase_add_test(tc, test_unmapped_and_badparam);
    tcase_add_test(tc, test_runits);
    tcase_add_test(tc, test_random_invariants);
    tcase_add_test(tc, test_determinism);
    suite_add_tcase(s, tc);
    return s;
}
