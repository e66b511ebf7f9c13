/* test_eng_lazy.c: what the simulator's shortcuts in the engine must not
 * change: lazy reservations (eng_set_lazy_reservations) and the
 * reserve-later match (ENG_MATCH_RESERVE_LATER) decide exactly as the
 * plain engine does, over seeded random job streams. */
#include "eng_testgen.h"
#include "rwrite.h"

static const char *const policies[] = {"first",  "low",      "high",      "lonodex",
                                       "hinode", "locality", "variation", "firstnodex"};

/* Lazy reservations (eng_set_lazy_reservations) change no decision: two
 * engines, one lazy, given the same random stream of allocations,
 * reservations, cancels and clock moves (jobs cancelled by the end of their
 * span, reservations before they start, as the simulator does) answer
 * alike, write the same R for every allocation and re-weigh their out-edges
 * alike; the lazy one keeps fewer (vertex, job) records. */
struct twin_job {
    uint64_t id;
    int64_t at, end;
    bool reserved;
};

static void twin_cancel(eng_t *e[2], struct twin_job *live, size_t *nlive, size_t k)
{
    eng_error_t err;
    for (int t = 0; t < 2; t++)
        ck_assert_int_eq(eng_cancel(e[t], live[k].id, false, &err), 0);
    live[k] = live[--*nlive];
}

/* Two engines with 'policy' on the same random graph, and a writer each. */
static void twins_create(struct rng *r, const char *policy, enum rwrite_format fmt,
                         eng_t *e[2], rwrite_t *w[2])
{
    int racks = rnd_in(r, 1, 2), nodes = rnd_in(r, 1, 3), sockets = rnd_in(r, 1, 2),
        cores = rnd_in(r, 2, 4), gpus = rnd_in(r, 0, 1);
    for (int k = 0; k < 2; k++) {
        e[k] = mk_engine(policy, gen_graph(racks, nodes, sockets, cores, gpus));
        w[k] = rwrite_create(fmt, NULL);
    }
}

START_TEST(test_lazy_twin)
{
    struct rng r = {0x5851F42D4C957F2Du ^ (uint64_t)(_i + 1) * 104729u};
    eng_error_t err;
    eng_t *e[2];
    rwrite_t *w[2];
    twins_create(&r, policies[_i % 8], RWRITE_RV1_NOSCHED, e, w);
    for (int k = 0; k < 2; k++)
        eng_set_write_reservations(e[k], false);
    /* streams 0, 3, 6...: lazy reservations; 1, 4...: lazy allocations; 2,
     * 5...: both */
    eng_set_lazy_reservations(e[1], _i % 3 != 1);
    eng_set_lazy_allocations(e[1], _i % 3 != 0);
    struct twin_job live[256];
    size_t nlive = 0, lazy_recs = 0, eager_recs = 0;
    int64_t now = 0;
    for (uint64_t jobid = 1; jobid <= 80; jobid++) {
        if (nlive && rnd_in(&r, 0, 2) == 0)
            twin_cancel(e, live, &nlive, (size_t)rnd_in(&r, 0, (int)nlive - 1));
        if (rnd_in(&r, 0, 4) == 0) {
            now += rnd_in(&r, 1, 120);
            for (size_t k = nlive; k-- > 0;)
                if (live[k].end <= now || (live[k].reserved && live[k].at <= now))
                    twin_cancel(e, live, &nlive, k);
            for (int t = 0; t < 2; t++)
                ck_assert_int_eq(eng_time_set(e[t], now), 0);
        }
        char *text = random_jobspec(&r);
        jobspec_t *js = js_parse(text);
        free(text);
        enum eng_match_op op =
            rnd_in(&r, 0, 2) ? ENG_MATCH_ALLOCATE_ORELSE_RESERVE : ENG_MATCH_ALLOCATE;
        struct eng_match_result res[2];
        int rc[2];
        char *out[2] = {NULL, NULL};
        for (int t = 0; t < 2; t++) {
            rc[t] = eng_match(e[t], op, js, jobid, w[t], &res[t], &err);
            if (rc[t] == 0 && !res[t].reserved)
                ck_assert_int_eq(rwrite_emit(w[t], &out[t], NULL), 0);
            rwrite_reset(w[t]);
        }
        ck_assert_int_eq(rc[0], rc[1]);
        if (rc[0] == 0) {
            ck_assert_int_eq(res[0].at, res[1].at);
            ck_assert_int_eq(res[0].reserved, res[1].reserved);
            ck_assert_str_eq(out[0] ? out[0] : "", out[1] ? out[1] : "");
            live[nlive++] = (struct twin_job){
                jobid, res[0].at, res[0].at + res[0].duration, res[0].reserved};
        }
        ck_assert_uint_eq(eng_order_version(e[0]), eng_order_version(e[1]));
        check_same_edge_order(e);
        for (int t_ = 0; t_ < 2; t_++)
            check_subnow(e[t_]);
        free(out[0]);
        free(out[1]);
        jobspec_destroy(js);
        check_no_overallocation(e[1]);
        eager_recs += e[0]->vj.live;
        lazy_recs += e[1]->vj.live;
    }
    ck_assert_uint_le(lazy_recs, eager_recs);
    while (nlive)
        twin_cancel(e, live, &nlive, nlive - 1);
    for (int k = 0; k < 2; k++) {
        ck_assert_uint_eq(e[k]->vj.live, 0);
        rwrite_destroy(w[k]);
        eng_destroy(e[k]);
    }
}
END_TEST

/* ENG_MATCH_RESERVE_LATER answers as allocate_orelse_reserve for a request
 * that does not fit now: two engines given the same random stream, one of
 * them reserving with it whenever a without_allocating probe says "not now",
 * grant the same start and write the same R (reservations included), and
 * keep the same out-edge order. */
START_TEST(test_reserve_later)
{
    struct rng r = {0x2545F4914F6CDD1Du ^ (uint64_t)(_i + 1) * 15485863u};
    eng_error_t err;
    eng_t *e[2];
    rwrite_t *w[2];
    twins_create(&r, policies[_i % 8], RWRITE_SIMPLE, e, w);
    uint64_t live[256];
    size_t nlive = 0, later = 0;
    for (uint64_t jobid = 1; jobid <= 80; jobid++) {
        if (nlive && rnd_in(&r, 0, 2) == 0) {
            size_t k = (size_t)rnd_in(&r, 0, (int)nlive - 1);
            for (int t = 0; t < 2; t++)
                ck_assert_int_eq(eng_cancel(e[t], live[k], false, &err), 0);
            live[k] = live[--nlive];
        }
        char *text = random_jobspec(&r);
        jobspec_t *js = js_parse(text);
        free(text);
        /* both probe: with the stop-on-first policies a probe re-weighs
         * out-edges as a match does */
        int probe = 0;
        for (int t = 0; t < 2; t++) {
            int p = eng_match(e[t], ENG_MATCH_WITHOUT_ALLOCATING, js, jobid, NULL, NULL,
                              &err);
            ck_assert(t == 0 || p == probe);
            probe = p;
        }
        struct eng_match_result res[2];
        int rc[2];
        char *out[2] = {NULL, NULL};
        for (int t = 0; t < 2; t++) {
            enum eng_match_op op = t == 1 && probe == ENG_EBUSY
                                       ? ENG_MATCH_RESERVE_LATER
                                       : ENG_MATCH_ALLOCATE_ORELSE_RESERVE;
            rc[t] = eng_match(e[t], op, js, jobid, w[t], &res[t], &err);
            if (rc[t] == 0)
                ck_assert_int_eq(rwrite_emit(w[t], &out[t], NULL), 0);
            rwrite_reset(w[t]);
        }
        later += probe == ENG_EBUSY;
        ck_assert_int_eq(rc[0], rc[1]);
        if (rc[0] == 0) {
            ck_assert_int_eq(res[0].at, res[1].at);
            ck_assert_int_eq(res[0].reserved, res[1].reserved);
            ck_assert_str_eq(out[0] ? out[0] : "", out[1] ? out[1] : "");
            live[nlive++] = jobid;
        }
        ck_assert_uint_eq(eng_order_version(e[0]), eng_order_version(e[1]));
        free(out[0]);
        free(out[1]);
        jobspec_destroy(js);
    }
    ck_assert_uint_gt(later, 0);
    for (int k = 0; k < 2; k++) {
        rwrite_destroy(w[k]);
        eng_destroy(e[k]);
    }
}
END_TEST

Suite *eng_lazy_suite(void)
{
    Suite *s = suite_create("eng_lazy");
    TCase *tc = tcase_create("twins");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_lazy_twin, 0, 48);
    tcase_add_loop_test(tc, test_reserve_later, 0, 24);
    suite_add_tcase(s, tc);
    return s;
}
