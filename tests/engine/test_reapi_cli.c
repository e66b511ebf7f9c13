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
#include <stdio.h>
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
    /* a live id is not refused, as in Fluxion: the job grows, and one
     * cancel releases all it holds */
    R = NULL;
    ck_assert_int_eq(reapi_cli_match_with_jobid(ctx, MATCH_ALLOCATE_ORELSE_RESERVE,
                                                one_core, 100, &reserved, &R, &at, &ov),
                     0);
    ck_assert_ptr_nonnull(R);
    free(R);
    ck_assert_int_eq(reapi_cli_cancel(ctx, 100, false), 0);
    ck_assert_int_eq(reapi_cli_info(ctx, 100, &mode, &reserved, &at, &ov), 0);
    ck_assert_str_eq(mode, "CANCELED");
    free(mode);
    /* nothing left to cancel */
    ck_assert_int_eq(reapi_cli_cancel(ctx, 100, false), -1);
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

/* cluster0 > node0, node1 (ranks 0, 1) > core0..core3 each, as JGF text in
 * 'buf'. */
static const char *two_nodes_jgf(char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size,
                                "{\"graph\": {\"nodes\": [{\"id\": \"0\", \"metadata\": "
                                "{\"type\": \"cluster\", \"name\": \"cluster0\", "
                                "\"size\": 1, \"paths\": {\"containment\": "
                                "\"/cluster0\"}}}");
    for (int nd = 0; nd < 2; nd++) {
        int vid = 1 + nd * 5;
        n += (size_t)snprintf(buf + n, size - n,
                              ", {\"id\": \"%d\", \"metadata\": {\"type\": \"node\", "
                              "\"name\": \"node%d\", \"id\": %d, \"rank\": %d, "
                              "\"size\": 1, \"paths\": {\"containment\": "
                              "\"/cluster0/node%d\"}}}",
                              vid, nd, nd, nd, nd);
        for (int c = 0; c < 4; c++)
            n += (size_t)snprintf(buf + n, size - n,
                                  ", {\"id\": \"%d\", \"metadata\": {\"type\": \"core\", "
                                  "\"name\": \"core%d\", \"id\": %d, \"rank\": %d, "
                                  "\"size\": 1, \"paths\": {\"containment\": "
                                  "\"/cluster0/node%d/core%d\"}}}",
                                  vid + 1 + c, c, c, nd, nd, c);
    }
    n += (size_t)snprintf(buf + n, size - n, "], \"edges\": [");
    for (int nd = 0; nd < 2; nd++) {
        int vid = 1 + nd * 5;
        n += (size_t)snprintf(buf + n, size - n,
                              "%s{\"source\": \"0\", \"target\": \"%d\"}", nd ? ", " : "",
                              vid);
        for (int c = 0; c < 4; c++)
            n += (size_t)snprintf(buf + n, size - n,
                                  ", {\"source\": \"%d\", \"target\": \"%d\"}", vid,
                                  vid + 1 + c);
    }
    snprintf(buf + n, size - n, "]}}");
    return buf;
}

static reapi_cli_ctx_t *setup_two_nodes(const char *format)
{
    char graph[8192], opts[256];
    snprintf(opts, sizeof opts,
             "{\"load_format\": \"jgf\", \"matcher_policy\": \"low\", "
             "\"match_format\": \"%s\"}",
             format);
    reapi_cli_ctx_t *ctx = reapi_cli_new();
    ck_assert_ptr_nonnull(ctx);
    ck_assert_int_eq(reapi_cli_initialize(ctx, two_nodes_jgf(graph, sizeof graph), opts),
                     0);
    return ctx;
}

static const char two_nodes[] =
    "{\"version\": 1, \"resources\": [{\"type\": \"node\", \"count\": 2, \"with\": [{"
    "\"type\": \"slot\", \"count\": 1, \"label\": \"task\", \"with\": [{\"type\": "
    "\"core\", \"count\": 1}]}]}], \"tasks\": [{\"command\": [\"app\"], "
    "\"slot\": \"task\", \"count\": {\"per_slot\": 1}}], \"attributes\": {\"system\": "
    "{\"duration\": 3600.0}}}";
static const char rank1[] =
    "{\"version\": 1, \"execution\": {\"R_lite\": [{\"rank\": \"1\", \"children\": "
    "{\"core\": \"0\"}}]}}";

/* Match 'js' (allocate or else reserve) in 'a' and 'b': the same answer. */
static uint64_t match_both(reapi_cli_ctx_t *a, reapi_cli_ctx_t *b, const char *js)
{
    uint64_t ja = 0, jb = 0;
    bool ra = false, rb = false;
    char *Ra = NULL, *Rb = NULL;
    int64_t ata = -1, atb = -1;
    double ov;
    int rca = reapi_cli_match_allocate(a, true, js, &ja, &ra, &Ra, &ata, &ov);
    int rcb = reapi_cli_match_allocate(b, true, js, &jb, &rb, &Rb, &atb, &ov);
    ck_assert_int_eq(rca, rcb);
    if (rca == 0) {
        ck_assert_uint_eq(ja, jb);
        ck_assert_int_eq(ra, rb);
        ck_assert_int_eq(ata, atb);
        ck_assert_str_eq(Ra, Rb);
    }
    free(Ra);
    free(Rb);
    return ja;
}

static void same_find(reapi_cli_ctx_t *a, reapi_cli_ctx_t *b, const char *criteria)
{
    char *Ra = NULL, *Rb = NULL;
    ck_assert_int_eq(reapi_cli_find(a, criteria, "jgf", &Ra), 0);
    ck_assert_int_eq(reapi_cli_find(b, criteria, "jgf", &Rb), 0);
    ck_assert((Ra == NULL) == (Rb == NULL));
    if (Ra)
        ck_assert_str_eq(Ra, Rb);
    free(Ra);
    free(Rb);
}

/* Many match/cancel cycles with a few jobs always live (allocated and
 * reserved), time moving on: a clone then holds the same schedule and
 * answers the next matches as the original does, in every kind of journal
 * (exact R for rv1 and jgf, jobspecs for simple). */
START_TEST(test_clone_after_cycles)
{
    static const char *const formats[] = {"rv1", "jgf", "simple"};
    const char *fmt = formats[_i];
    reapi_cli_ctx_t *ctx = setup_two_nodes(fmt);
    uint64_t live[6] = {0};
    bool reserved;
    char *R = NULL;
    int64_t at;
    double ov;
    /* a job on both nodes, partly released: its rest stays through it all */
    ck_assert_int_eq(reapi_cli_match_allocate(ctx, false, two_nodes, &live[0], &reserved,
                                              &R, &at, &ov),
                     0);
    free(R);
    bool full = true;
    ck_assert_int_eq(reapi_cli_partial_cancel(ctx, live[0], rank1, false, &full), 0);
    ck_assert(!full);
    for (unsigned i = 1; i < 600; i++) {
        const char *js = i % 3 == 0 ? two_cores : one_core;
        unsigned k = 1 + i % 5;
        uint64_t id;
        if (live[k] && reapi_cli_cancel(ctx, live[k], false) != 0)
            ck_abort_msg("%s: cancel %u failed", fmt, (unsigned)live[k]);
        live[k] = 0;
        if (reapi_cli_match_allocate(ctx, true, js, &id, &reserved, &R, &at, &ov) == 0)
            live[k] = id;
        free(R);
        R = NULL;
        if (i % 50 == 49)
            ck_assert_int_eq(reapi_cli_set_time(ctx, reapi_cli_get_time(ctx) + 1), 0);
    }
    reapi_cli_ctx_t *clone = reapi_cli_clone(ctx);
    ck_assert_msg(clone != NULL, "%s: clone failed", fmt);
    ck_assert_int_eq(reapi_cli_get_time(clone), reapi_cli_get_time(ctx));
    same_find(ctx, clone, "sched-now=allocated");
    same_find(ctx, clone, "sched-future=reserved");
    for (unsigned k = 0; k < 6; k++) {
        char *ma = NULL, *mb = NULL;
        bool rsa, rsb;
        int64_t ata, atb;
        if (!live[k])
            continue;
        ck_assert_int_eq(reapi_cli_info(ctx, live[k], &ma, &rsa, &ata, &ov), 0);
        ck_assert_int_eq(reapi_cli_info(clone, live[k], &mb, &rsb, &atb, &ov), 0);
        ck_assert_str_eq(ma, mb);
        ck_assert_int_eq(rsa, rsb);
        ck_assert_int_eq(ata, atb);
        free(ma);
        free(mb);
    }
    for (unsigned k = 0; k < 8; k++)
        match_both(ctx, clone, k % 2 ? one_core : two_cores);
    /* cancelling a job that was live at the clone frees the same cores */
    for (unsigned k = 0; k < 6; k++)
        if (live[k]) {
            ck_assert_int_eq(reapi_cli_cancel(ctx, live[k], false), 0);
            ck_assert_int_eq(reapi_cli_cancel(clone, live[k], false), 0);
        }
    match_both(ctx, clone, two_cores);
    same_find(ctx, clone, "sched-now=allocated");
    reapi_cli_destroy(clone);
    /* nothing live: the journal forgets every job, the clone is as fresh */
    for (uint64_t id = 1; id < 700; id++)
        ck_assert_int_eq(reapi_cli_cancel(ctx, id, true), 0);
    reapi_cli_clear_err_msg(ctx);
    clone = reapi_cli_clone(ctx);
    ck_assert_ptr_nonnull(clone);
    same_find(ctx, clone, "sched-now=allocated");
    for (unsigned k = 0; k < 4; k++)
        match_both(ctx, clone, k % 2 ? one_core : two_cores);
    reapi_cli_destroy(clone);
    reapi_cli_destroy(ctx);
}
END_TEST

/* A context remembers the latest 1024 canceled jobs for info(), not all. */
START_TEST(test_canceled_history)
{
    reapi_cli_ctx_t *ctx = setup();
    uint64_t jobid;
    bool reserved;
    char *R = NULL, *mode = NULL;
    int64_t at;
    double ov;
    for (unsigned i = 0; i < 1100; i++) {
        ck_assert_int_eq(reapi_cli_match_allocate(ctx, false, one_core, &jobid, &reserved,
                                                  &R, &at, &ov),
                         0);
        free(R);
        ck_assert_int_eq(reapi_cli_cancel(ctx, jobid, false), 0);
    }
    ck_assert_int_eq(reapi_cli_info(ctx, jobid, &mode, &reserved, &at, &ov), 0);
    ck_assert_str_eq(mode, "CANCELED");
    free(mode);
    ck_assert_int_eq(reapi_cli_info(ctx, jobid - 1023, &mode, &reserved, &at, &ov), 0);
    free(mode);
    errno = 0;
    ck_assert_int_eq(reapi_cli_info(ctx, jobid - 1024, &mode, &reserved, &at, &ov), -1);
    ck_assert_int_eq(errno, ENOENT);
    reapi_cli_ctx_t *clone = reapi_cli_clone(ctx); /* the history goes along */
    ck_assert_int_eq(reapi_cli_info(clone, jobid - 1023, &mode, &reserved, &at, &ov), 0);
    ck_assert_str_eq(mode, "CANCELED");
    free(mode);
    reapi_cli_destroy(clone);
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
    tcase_add_loop_test(tc, test_clone_after_cycles, 0, 3);
    tcase_add_test(tc, test_canceled_history);
    suite_add_tcase(s, tc);
    return s;
}
