/* test_hostlist.c: RFC 29 hostlists, checked against flux-core
 * libhostlist's encodings (merging, zero padding, bracketing). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostlist.h"

static const struct {
    const char *appends[6]; /* appended in order, NULL-terminated */
    const char *enc;
    size_t count;
} cases[] = {
    {{"node0", "node1", "node2", "node3", NULL}, "node[0-3]", 4},
    {{"node3", "node1", "node2", NULL}, "node[3,1-2]", 3}, /* no sorting */
    {{"node[0-3,5]", NULL}, "node[0-3,5]", 5},
    {{"node9", "node10", NULL}, "node[9-10]", 2},
    {{"node01", "node02", "node10", NULL}, "node[01-02,10]", 3},
    {{"foo", "bar", NULL}, "foo,bar", 2},
    {{"a1", "b1", "a2", NULL}, "a1,b1,a2", 3},
    {{"node1", "node1", NULL}, "node[1,1]", 2}, /* no de-duplication */
    {{"login0 io[01-02]", NULL}, "login0,io[01-02]", 3},
    {{"foo[1-2]bar", NULL}, "foo1bar,foo2bar", 2},
    {{"", NULL}, "", 0},
    {{"12", "13", NULL}, "[12-13]", 2},
    {{"node5-", NULL}, "node5-", 1},
    {{"n[5-]", NULL}, "n5", 1}, /* flux-core reads "5-" as 5 */
};

START_TEST(test_encode)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hostlist_t *hl = hostlist_create();
        for (size_t j = 0; cases[i].appends[j]; j++)
            ck_assert_int_ge(hostlist_append(hl, cases[i].appends[j], NULL), 0);
        char *s = hostlist_encode(hl);
        ck_assert_msg(strcmp(s, cases[i].enc) == 0, "case %zu: got '%s' want '%s'", i, s,
                      cases[i].enc);
        ck_assert_uint_eq(hostlist_count(hl), cases[i].count);
        free(s);
        hostlist_destroy(hl);
    }
}
END_TEST

/* Appending plain host names one at a time (hostlist_append()'s direct
 * path) gives what decoding them as one comma-separated list gives:
 * merging, zero-padding reconciliation, overflowing suffixes dropped. */
START_TEST(test_append_plain_matches_decode)
{
    static const char *const pfx[] = {"node", "n", "", "io-", "node0"};
    static const char *const num[] = {"0",
                                      "1",
                                      "2",
                                      "3",
                                      "01",
                                      "02",
                                      "003",
                                      "9",
                                      "10",
                                      "99",
                                      "100",
                                      "",
                                      "99999999999999999999999"};
    uint64_t x = 12345;
    for (int round = 0; round < 200; round++) {
        hostlist_t *hl = hostlist_create();
        char joined[4096] = "";
        size_t added = 0;
        for (int k = 0; k < 12; k++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            char host[64];
            snprintf(host, sizeof host, "%s%s", pfx[(x >> 33) % 5], num[(x >> 45) % 13]);
            if (!host[0])
                continue;
            int n = hostlist_append(hl, host, NULL);
            ck_assert_int_ge(n, 0);
            added += (size_t)n;
            strcat(joined, ",");
            strcat(joined, host);
        }
        hostlist_t *ref = hostlist_decode(joined, NULL, NULL);
        ck_assert_ptr_nonnull(ref);
        char *a = hostlist_encode(hl), *b = hostlist_encode(ref);
        ck_assert_msg(strcmp(a, b) == 0, "'%s': appended '%s' decoded '%s'", joined, a,
                      b);
        ck_assert_uint_eq(hostlist_count(hl), hostlist_count(ref));
        ck_assert_uint_eq(added, hostlist_count(ref));
        free(a);
        free(b);
        hostlist_destroy(hl);
        hostlist_destroy(ref);
    }
}
END_TEST

START_TEST(test_nth_find)
{
    hostlist_t *hl = hostlist_decode("node[08-10],login", NULL, NULL);
    char buf[64];
    ck_assert_int_eq(hostlist_nth(hl, 0, buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "node08");
    ck_assert_int_eq(hostlist_nth(hl, 2, buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "node10");
    ck_assert_int_eq(hostlist_nth(hl, 3, buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "login");
    ck_assert_int_eq(hostlist_nth(hl, 4, buf, sizeof buf), ENG_ENOENT);
    ck_assert_int_eq(hostlist_nth(hl, 0, buf, 3), ENG_ELIMIT);
    ck_assert_int_eq(hostlist_find(hl, "node09"), 1);
    ck_assert_int_eq(hostlist_find(hl, "node9"), -1);
    ck_assert_int_eq(hostlist_find(hl, "login"), 3);
    ck_assert_int_eq(hostlist_find(hl, "node11"), -1);
    hostlist_destroy(hl);
}
END_TEST

START_TEST(test_runs)
{
    hostlist_t *hl =
        hostlist_decode("node[1-10],node11,n[08-12],a[1-2]x,login", NULL, NULL);
    ck_assert_ptr_nonnull(hl);
    /* node11 extends node[1-10]; a[1-2]x is two single hosts */
    ck_assert_uint_eq(hostlist_run_count(hl), 5);
    struct hostlist_run r = hostlist_run_at(hl, 0);
    ck_assert_str_eq(r.prefix, "node");
    ck_assert_uint_eq(r.plen, 4);
    ck_assert_uint_eq(r.lo, 1);
    ck_assert_uint_eq(r.hi, 11);
    ck_assert(!r.single);
    ck_assert(hostlist_run_has(&r, "node7", 5));
    ck_assert(hostlist_run_has(&r, "node11", 6));
    ck_assert(!hostlist_run_has(&r, "node07", 6));
    ck_assert(!hostlist_run_has(&r, "node12", 6));
    ck_assert(!hostlist_run_has(&r, "node", 4));
    ck_assert(!hostlist_run_has(&r, "node1x", 6));
    ck_assert(!hostlist_run_has(&r, "nodes1", 6));
    ck_assert(!hostlist_run_has(&r, "node99999999999999999999999", 27));
    r = hostlist_run_at(hl, 1);
    ck_assert_int_eq(r.width, 2);
    ck_assert(hostlist_run_has(&r, "n09", 3));
    ck_assert(hostlist_run_has(&r, "n12", 3));
    ck_assert(!hostlist_run_has(&r, "n9", 2));
    ck_assert(!hostlist_run_has(&r, "n012", 4));
    r = hostlist_run_at(hl, 2);
    ck_assert(r.single);
    ck_assert_str_eq(r.prefix, "a1x");
    ck_assert(hostlist_run_has(&r, "a1x", 3));
    ck_assert(!hostlist_run_has(&r, "a1", 2));
    r = hostlist_run_at(hl, 4);
    ck_assert(hostlist_run_has(&r, "login", 5));
    ck_assert(!hostlist_run_has(&r, "login0", 6));
    ck_assert_int_eq(hostlist_find(hl, "n12"), 15);
    ck_assert_int_eq(hostlist_find(hl, "a2x"), 17);
    /* the code returned is this failure's, whatever 'err' held before */
    eng_error_t err = {.code = ENG_EIO};
    ck_assert_int_eq(hostlist_append(hl, "x[1-", &err), ENG_EPARSE);
    ck_assert_int_eq(hostlist_append(hl, "x[1-", NULL), ENG_EPARSE);
    ck_assert_uint_eq(hostlist_count(hl), 19); /* unchanged */
    hostlist_destroy(hl);
}
END_TEST

START_TEST(test_bad)
{
    static const char *bad[] = {"node[1-2", "node]1", "node[a]", "node[3-1]", "n[1--2]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        eng_error_t err = {0};
        ck_assert_ptr_null(hostlist_decode(bad[i], "<test>", &err));
        ck_assert_int_eq(err.code, ENG_EPARSE);
        ck_assert_str_eq(err.source, "<test>");
    }
    eng_error_t err = {0};
    ck_assert_ptr_null(hostlist_decode("n[0-2000000]", NULL, &err));
    ck_assert_int_eq(err.code, ENG_ELIMIT);
    hostlist_t *hl = hostlist_decode("a1", NULL, NULL);
    ck_assert_int_lt(hostlist_append(hl, "b[1", NULL), 0);
    char *s = hostlist_encode(hl);
    ck_assert_str_eq(s, "a1"); /* unchanged */
    free(s);
    hostlist_destroy(hl);
    ck_assert_ptr_null(hostlist_decode(NULL, NULL, NULL));
    hostlist_destroy(NULL);
}
END_TEST

Suite *hostlist_suite(void)
{
    Suite *s = suite_create("hostlist");
    TCase *tc = tcase_create("hostlist");
    tcase_add_test(tc, test_encode);
    tcase_add_test(tc, test_append_plain_matches_decode);
    tcase_add_test(tc, test_nth_find);
    tcase_add_test(tc, test_runs);
    tcase_add_test(tc, test_bad);
    suite_add_tcase(s, tc);
    return s;
}
