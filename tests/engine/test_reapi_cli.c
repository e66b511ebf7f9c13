/* test_reapi_cli.c: Fluxion's C API (reapi_cli.h) used as a program written
 * for Fluxion's standalone client uses it: only reapi_cli.h, errno, free().
 * The scenario follows resource/reapi/bindings/c/test/reapi_cli_test.c at
 * flux-sched fd257f71 (initialize, match, status by path and rank, NULL
 * arguments, clone) and adds what that test leaves out (reservations,
 * satisfiability, find, stat, info, cancel errors). */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reapi_cli.h"

/* cluster tiny0 > node0 (rank 0) > core0 */
static const char tiny_jgf[] =
    "{\"graph\": {\"nodes\": ["
    "{\"id\": \"0\", \"metadata\": {\"type\": \"cluster\", \"basename\": \"tiny\", "
    "\"name\": "
    "\"tiny0\", \"size\": 1, \"paths\": {\"containment\": \"/tiny0\"}}},"
    "{\"id\": \"1\", \"metadata\": {\"type\": \"node\", \"basename\": \"node\", "
    "\"name\": "
    "\"node0\", \"size\": 1, \"rank\": 0, \"paths\": {\"containment\": "
    "\"/tiny0/node0\"}}},"
    "{\"id\": \"2\", \"metadata\": {\"type\": \"core\", \"basename\": \"core\", "
    "\"name\": "
    "\"core0\", \"size\": 1, \"id\": 0, \"rank\": 0, \"paths\": {\"containment\": "
    "\"/tiny0/node0/core0\"}}}],"
    "\"edges\": [{\"source\": \"0\", \"target\": \"1\"}, {\"source\": \"1\", \"target\": "
    "\"2\"}]}}";

static const char params[] = "{\"load_format\": \"jgf\", \"matcher_policy\": \"high\", "
                             "\"match_format\": \"rv1\", \"matcher_name\": \"CA\"}";

#define JOBSPEC(CORES, EXTRA)                                                            \
    "{\"version\": 1, \"resources\": [{\"type\": \"node\", \"count\": 1, \"with\": [{"   \
    "\"type\": \"slot\", \"count\": 1, \"label\": \"task\", \"with\": [{\"type\": "      \
    "\"core\", \"count\": " CORES "}" EXTRA                                              \
    "]}]}], \"tasks\": [{\"command\": [\"app\"], "                                       \
    "\"slot\": \"task\", \"count\": {\"per_slot\": 1}}], \"attributes\": {\"system\": "  \
    "{\"duration\": 60.0}}}"

static const char one_core[] = JOBSPEC("1", "");
static const char two_cores[] = JOBSPEC("2", "");
static const char absent_type[] = JOBSPEC("1", ", {\"type\": \"mpi\", \"count\": 1}");

static reapi_cli_ctx_t *setup(void)
{
    reapi_cli_ctx_t *ctx = reapi_cli_new();
    ck_assert_ptr_nonnull(ctx);
    int rc = reapi_cli_initialize(ctx, tiny_jgf, params);
    if (rc != 0) {
        const char *m = reapi_cli_get_err_msg(ctx);
        ck_abort_msg("reapi_cli_initialize failed: %s", m);
    }
    return ctx;
}

static bool err_contains(reapi_cli_ctx_t *ctx, const char *text)
{
    char *m = (char *)reapi_cli_get_err_msg(ctx);
    bool found = m && strstr(m, text) != NULL;
    free(m);
    reapi_cli_clear_err_msg(ctx);
    return found;
}

START_TEST(test_match_reserve_cancel)
{
    reapi_cli_ctx_t *ctx = setup();
    uint64_t jobid = 0;
    bool reserved = true;
    char *R = NULL;
    int64_t at = -1;
    double ov = -1.0;

    ck_assert_int_eq(
        reapi_cli_match_allocate(ctx, false, one_core, &jobid, &reserved, &R, &at, &ov),
        0);
    ck_assert_uint_eq(jobid, 1);
    ck_assert(!reserved);
    ck_assert_int_eq(at, 0);
    ck_assert(ov >= 0.0);
    ck_assert_ptr_nonnull(
        strstr(R, "\"R_lite\": [{\"rank\": \"0\", \"children\": {\"core\": "
                  "\"0\"}}]"));
    ck_assert_ptr_nonnull(strstr(R, "\"scheduling\": {\"graph\""));
    free(R);
    R = NULL;

    /* busy now: EBUSY, and the job counter still moves on (as Fluxion's) */
    errno = 0;
    ck_assert_int_eq(
        reapi_cli_match_allocate(ctx, false, one_core, &jobid, &reserved, &R, &at, &ov),
        -1);
    ck_assert_int_eq(errno, EBUSY);
    ck_assert_ptr_null(R);

    ck_assert_int_eq(
        reapi_cli_match_allocate(ctx, true, one_core, &jobid, &reserved, &R, &at, &ov),
        0);
    ck_assert_uint_eq(jobid, 3);
    ck_assert(reserved);
    ck_assert_int_eq(at, 60);
    free(R);

    char *mode = NULL;
    ck_assert_int_eq(reapi_cli_info(ctx, 1, &mode, &reserved, &at, &ov), 0);
    ck_assert_str_eq(mode, "ALLOCATED");
    free(mode);
    ck_assert_int_eq(reapi_cli_info(ctx, 3, &mode, &reserved, &at, &ov), 0);
    ck_assert_str_eq(mode, "RESERVED");
    ck_assert(reserved);
    free(mode);
    errno = 0;
    ck_assert_int_eq(reapi_cli_info(ctx, 2, &mode, &reserved, &at, &ov), -1);
    ck_assert_int_eq(errno, ENOENT);
    ck_assert(err_contains(ctx, "info: ERROR: nonexistent job 2"));

    ck_assert_int_eq(reapi_cli_cancel(ctx, 1, false), 0);
    errno = 0;
    ck_assert_int_eq(reapi_cli_cancel(ctx, 1, false), -1);
    ck_assert_int_eq(errno, ENOENT);
    ck_assert(err_contains(ctx, "cancel: ERROR: nonexistent job 1"));
    ck_assert_int_eq(reapi_cli_cancel(ctx, 1, true), 0);
    reapi_cli_clear_err_msg(ctx);

    /* the explicit-jobid form */
    ck_assert_int_eq(reapi_cli_cancel(ctx, 3, false), 0);
    ck_assert_int_eq(reapi_cli_match_with_jobid(ctx, MATCH_ALLOCATE, one_core, 100,
                                                &reserved, &R, &at, &ov),
                     0);
    free(R);
    ck_assert_int_eq(reapi_cli_info(ctx, 100, &mode, &reserved, &at, &ov), 0);
    ck_assert_str_eq(mode, "ALLOCATED");
    free(mode);
    reapi_cli_destroy(ctx);
}
END_TEST

START_TEST(test_satisfiability_and_bad_jobspecs)
{
    reapi_cli_ctx_t *ctx = setup();
    bool sat = true;
    double ov;
    errno = 0;
    ck_assert_int_eq(reapi_cli_match_satisfy(ctx, two_cores, &sat, &ov), -1);
    ck_assert(!sat);
    ck_assert_int_eq(errno, ENODEV);
    ck_assert_int_eq(reapi_cli_match_satisfy(ctx, one_core, &sat, &ov), 0);
    ck_assert(sat);

    uint64_t jobid;
    bool reserved;
    char *R = NULL;
    int64_t at;
    errno = 0;
    ck_assert_int_eq(reapi_cli_match_allocate(ctx, false, absent_type, &jobid, &reserved,
                                              &R, &at, &ov),
                     -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert(err_contains(ctx, "must be a resource type known to fluxion"));
    errno = 0;
    ck_assert_int_eq(reapi_cli_match_allocate(ctx, false, "{\"version\": 1", &jobid,
                                              &reserved, &R, &at, &ov),
                     -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert(err_contains(ctx, "match_allocate: ERROR: Jobspec error for 1: "));
    errno = 0;
    ck_assert_int_eq(
        reapi_cli_match(ctx, (match_op_t)42, one_core, &jobid, &reserved, &R, &at, &ov),
        -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert(err_contains(ctx, "Invalid Match Option: 42"));
    reapi_cli_destroy(ctx);
}
END_TEST

START_TEST(test_find_stat)
{
    reapi_cli_ctx_t *ctx = setup();
    char *R = NULL;
    ck_assert_int_eq(reapi_cli_find(ctx, "status=up", "rv1_nosched", &R), 0);
    ck_assert_ptr_nonnull(R);
    ck_assert_ptr_nonnull(strstr(R, "\"nodelist\":[\"node0\"]")); /* compact JSON */
    free(R);
    R = NULL;
    ck_assert_int_eq(reapi_cli_find(ctx, "sched-now=allocated", NULL, &R), 0);
    ck_assert_ptr_null(R); /* nothing allocated */
    errno = 0;
    ck_assert_int_eq(reapi_cli_find(ctx, "status=up", "bogus", &R), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert(err_contains(ctx, "find: ERROR: unknown match format 'bogus'"));
    errno = 0; /* the text formats are not JSON: Fluxion fails with ENOMEM */
    ck_assert_int_eq(reapi_cli_find(ctx, "status=up", "simple", &R), -1);
    ck_assert_int_eq(errno, ENOMEM);
    reapi_cli_clear_err_msg(ctx);

    int64_t V, E, J;
    double load, min, max, avg;
    ck_assert_int_eq(reapi_cli_stat(ctx, &V, &E, &J, &load, &min, &max, &avg), 0);
    ck_assert_int_eq(V, 3);
    ck_assert_int_eq(E, 2);
    ck_assert_int_eq(J, 0);
    ck_assert(load >= 0.0);
    errno = 0;
    ck_assert_int_eq(reapi_cli_stat(NULL, &V, &E, &J, &load, &min, &max, &avg), -1);
    ck_assert_int_eq(errno, EINVAL);
    reapi_cli_destroy(ctx);
}
END_TEST

START_TEST(test_status)
{
    reapi_cli_ctx_t *ctx = setup();
    resource_status_t st;
    ck_assert_int_eq(reapi_cli_set_rank_status(ctx, "0", RESOURCE_DOWN), 0);
    ck_assert_int_eq(reapi_cli_get_rank_status(ctx, "0", &st), 0);
    ck_assert_int_eq(st, RESOURCE_DOWN);
    ck_assert_int_eq(reapi_cli_set_rank_status(ctx, "all", RESOURCE_UP), 0);
    ck_assert_int_eq(reapi_cli_get_rank_status(ctx, "0", &st), 0);
    ck_assert_int_eq(st, RESOURCE_UP);
    ck_assert_int_eq(reapi_cli_set_rank_status(ctx, "999", RESOURCE_DOWN), 0);
    errno = 0;
    ck_assert_int_eq(reapi_cli_get_rank_status(ctx, "999", &st), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert(err_contains(ctx, "get_rank_status: rank not found: 999"));
    errno = 0;
    ck_assert_int_eq(reapi_cli_get_rank_status(ctx, "0-1", &st), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert(err_contains(ctx, "must specify exactly one rank, got 0-1"));

    ck_assert_int_eq(reapi_cli_set_status(ctx, "/tiny0/node0", RESOURCE_DOWN), 0);
    ck_assert_int_eq(reapi_cli_get_status(ctx, "/tiny0/node0", &st), 0);
    ck_assert_int_eq(st, RESOURCE_DOWN);
    /* a down node cannot be allocated now */
    uint64_t jobid;
    bool reserved;
    char *R = NULL;
    int64_t at;
    double ov;
    ck_assert_int_eq(
        reapi_cli_match_allocate(ctx, false, one_core, &jobid, &reserved, &R, &at, &ov),
        -1);
    ck_assert_int_eq(reapi_cli_set_status(ctx, "/tiny0/node0", RESOURCE_UP), 0);
    ck_assert_int_eq(reapi_cli_get_status(ctx, "/tiny0/node0", &st), 0);
    ck_assert_int_eq(st, RESOURCE_UP);
    errno = 0;
    ck_assert_int_eq(reapi_cli_set_status(ctx, "/nonexistent", RESOURCE_DOWN), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert(err_contains(ctx, "set_status"));
    errno = 0;
    ck_assert_int_eq(reapi_cli_get_status(ctx, "/nonexistent", &st), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert(err_contains(ctx, "get_status: resource path not found: /nonexistent"));
    reapi_cli_destroy(ctx);
}
END_TEST

START_TEST(test_badparam)
{
    reapi_cli_ctx_t *ctx = setup();
    uint64_t jobid;
    bool reserved, full;
    char *R = NULL;
    const char *Rc = NULL;
    int64_t at;
    double ov;
    resource_status_t st;
    errno = 0;
    ck_assert_int_eq(reapi_cli_match_with_jobid(NULL, MATCH_ALLOCATE, one_core, 1,
                                                &reserved, &R, &at, &ov),
                     -1);
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_int_eq(reapi_cli_get_status(ctx, "/tiny0/node0", NULL), -1);
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_int_eq(reapi_cli_get_rank_status(ctx, "0", NULL), -1);
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_int_eq(reapi_cli_set_rank_status(ctx, "", RESOURCE_DOWN), -1);
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_int_eq(reapi_cli_get_rank_status(ctx, "not-a-rank", &st), -1);
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_int_eq(reapi_cli_set_status(ctx, "/tiny0", (resource_status_t)7), -1);
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_int_eq(reapi_cli_partial_cancel(ctx, 5, "{}", false, &full), -1);
    ck_assert_int_eq(errno, ENOENT);
    errno = 0;
    ck_assert_int_eq(reapi_cli_update_allocate(ctx, 1, "not json", &at, &ov, &Rc), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(
        reapi_cli_match_allocate(ctx, false, one_core, &jobid, &reserved, &R, &at, &ov),
        0);
    free(R);
    errno = 0;
    ck_assert_int_eq(reapi_cli_update_allocate(ctx, jobid, "{}", &at, &ov, &Rc), -1);
    ck_assert_int_eq(errno, EEXIST);
    errno = 0;
    ck_assert_int_eq(reapi_cli_initialize(ctx, tiny_jgf, params), -1); /* twice */
    reapi_cli_clear_err_msg(ctx);
    reapi_cli_destroy(ctx);

    reapi_cli_ctx_t *bad = reapi_cli_new();
    errno = 0;
    ck_assert_int_eq(reapi_cli_initialize(bad, tiny_jgf,
                                          "{\"matcher_policy\": \"nope\", "
                                          "\"load_format\": \"jgf\"}"),
                     -1);
    ck_assert_int_eq(errno, EPROTO);
    ck_assert(err_contains(bad, "can't create matcher"));
    errno = 0;
    ck_assert_int_eq(reapi_cli_initialize(bad, "{\"graph\": 3}", params), -1);
    ck_assert_int_eq(errno, EPROTO);
    ck_assert(err_contains(bad, "error generating resources"));
    reapi_cli_destroy(bad);
    reapi_cli_destroy(NULL);

    ck_assert_str_eq(match_op_to_string(MATCH_ALLOCATE_ORELSE_RESERVE),
                     "allocate_orelse_reserve");
    ck_assert_int_eq(match_op_from_string("without_allocating_future"),
                     MATCH_WITHOUT_ALLOCATING_FUTURE);
    ck_assert_int_eq(match_op_from_string("nope"), MATCH_UNKNOWN);
    ck_assert(!match_op_valid(MATCH_UNKNOWN));
    ck_assert(!match_op_valid(END_MATCH_OP_T));
}
END_TEST

START_TEST(test_clone)
{
    reapi_cli_ctx_t *ctx = setup();
    uint64_t jobid;
    bool reserved;
    char *R = NULL;
    int64_t at;
    double ov;
    ck_assert_int_eq(
        reapi_cli_match_allocate(ctx, false, one_core, &jobid, &reserved, &R, &at, &ov),
        0);
    free(R);
    reapi_cli_ctx_t *clone = reapi_cli_clone(ctx);
    ck_assert_ptr_nonnull(clone);
    errno = 0;
    ck_assert_ptr_null(reapi_cli_clone(NULL));
    ck_assert_int_eq(errno, EINVAL);

    /* the clone holds the allocation: busy there too */
    errno = 0;
    ck_assert_int_eq(
        reapi_cli_match_allocate(clone, false, one_core, &jobid, &reserved, &R, &at, &ov),
        -1);
    ck_assert_int_eq(errno, EBUSY);
    /* releasing in the clone leaves the original busy */
    ck_assert_int_eq(reapi_cli_cancel(clone, 1, false), 0);
    ck_assert_int_eq(
        reapi_cli_match_allocate(clone, false, one_core, &jobid, &reserved, &R, &at, &ov),
        0);
    ck_assert_uint_eq(jobid, 3);
    free(R);
    errno = 0;
    ck_assert_int_eq(
        reapi_cli_match_allocate(ctx, false, one_core, &jobid, &reserved, &R, &at, &ov),
        -1);
    ck_assert_int_eq(errno, EBUSY);
    reapi_cli_destroy(clone);
    reapi_cli_destroy(ctx);
}
END_TEST

START_TEST(test_time)
{
    reapi_cli_ctx_t *ctx = setup();
    uint64_t jobid;
    bool reserved;
    char *R = NULL;
    int64_t at;
    double ov;
    ck_assert_int_eq(reapi_cli_get_time(ctx), 0);
    ck_assert_int_eq(reapi_cli_set_time(ctx, 100), 0);
    ck_assert_int_eq(reapi_cli_get_time(ctx), 100);
    errno = 0;
    ck_assert_int_eq(reapi_cli_set_time(ctx, 99), -1); /* never backwards */
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(
        reapi_cli_match_allocate(ctx, false, one_core, &jobid, &reserved, &R, &at, &ov),
        0);
    ck_assert_int_eq(at, 100);
    ck_assert(!reserved);
    ck_assert_ptr_nonnull(strstr(R, "\"starttime\": 100, \"expiration\": 160"));
    free(R);
    ck_assert_int_eq(
        reapi_cli_match_allocate(ctx, true, one_core, &jobid, &reserved, &R, &at, &ov),
        0);
    ck_assert_int_eq(at, 160);
    ck_assert(reserved);
    free(R);
    reapi_cli_ctx_t *clone = reapi_cli_clone(ctx); /* the clone keeps the time */
    ck_assert_int_eq(reapi_cli_get_time(clone), 100);
    reapi_cli_destroy(clone);
    errno = 0;
    ck_assert_int_eq(reapi_cli_get_time(NULL), -1);
    ck_assert_int_eq(errno, EINVAL);
    reapi_cli_destroy(ctx);
}
END_TEST

Suite *reapi_cli_suite(void)
{
    Suite *s = suite_create("reapi_cli");
    TCase *tc = tcase_create("reapi_cli");
    tcase_add_test(tc, test_match_reserve_cancel);
    tcase_add_test(tc, test_satisfiability_and_bad_jobspecs);
    tcase_add_test(tc, test_find_stat);
    tcase_add_test(tc, test_status);
    tcase_add_test(tc, test_badparam);
    tcase_add_test(tc, test_clone);
    tcase_add_test(tc, test_time);
    suite_add_tcase(s, tc);
    return s;
}
