/* test_idset.c: RFC 22 idsets, checked against flux-core libidset's
 * behaviour (encodings, decode errors and their texts). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "idset.h"

static idset_t *make(const unsigned *ids, size_t n)
{
    idset_t *s = idset_create();
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(idset_set(s, ids[i]), 0);
    return s;
}

static void check_encode(const idset_t *s, int flags, const char *want)
{
    char *got = idset_encode(s, flags);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(test_encode)
{
    static const unsigned ids[] = {5, 0, 1, 2, 3, 7, 8, 3, 11};
    idset_t *s = make(ids, sizeof ids / sizeof ids[0]);
    ck_assert_uint_eq(idset_count(s), 8);
    check_encode(s, IDSET_FLAG_RANGE, "0-3,5,7-8,11");
    check_encode(s, 0, "0,1,2,3,5,7,8,11");
    check_encode(s, IDSET_FLAG_RANGE | IDSET_FLAG_BRACKETS, "[0-3,5,7-8,11]");
    idset_destroy(s);

    idset_t *one = make((const unsigned[]){42}, 1);
    check_encode(one, IDSET_FLAG_RANGE | IDSET_FLAG_BRACKETS, "42"); /* no brackets */
    idset_destroy(one);

    idset_t *e = idset_create();
    check_encode(e, IDSET_FLAG_RANGE | IDSET_FLAG_BRACKETS, "");
    ck_assert_uint_eq(idset_first(e), IDSET_INVALID_ID);
    idset_destroy(e);
}
END_TEST

START_TEST(test_set_clear_iterate)
{
    idset_t *s = idset_create();
    ck_assert_int_eq(idset_range_set(s, 10, 20), 0);
    ck_assert_int_eq(idset_range_set(s, 0, 3), 0);
    ck_assert_int_eq(idset_range_set(s, 4, 9), 0); /* joins both */
    check_encode(s, IDSET_FLAG_RANGE, "0-20");
    ck_assert_int_eq(idset_range_clear(s, 5, 6), 0);
    ck_assert_int_eq(idset_clear(s, 0), 0);
    ck_assert_int_eq(idset_clear(s, 20), 0);
    ck_assert_int_eq(idset_clear(s, 100), 0);
    check_encode(s, IDSET_FLAG_RANGE, "1-4,7-19");
    ck_assert(idset_test(s, 7));
    ck_assert(!idset_test(s, 6));
    unsigned n = 0, id;
    for (id = idset_first(s); id != IDSET_INVALID_ID; id = idset_next(s, id))
        n++;
    ck_assert_uint_eq(n, idset_count(s));
    ck_assert_int_eq(idset_range_clear(s, 0, 100), 0);
    ck_assert_uint_eq(idset_count(s), 0);
    ck_assert_int_eq(idset_set(s, IDSET_MAX_ID), ENG_EINVAL);
    idset_destroy(s);
}
END_TEST

static const struct {
    const char *in, *enc;
} good[] = {
    {"0-3,5", "0-3,5"}, {"[0-3,5]", "0-3,5"}, {"", ""},   {"[]", ""},
    {"1,,2", "1-2"},    {",7,", "7"},         {"0", "0"}, {"2147483647", "2147483647"},
};

static const struct {
    const char *in;
    int code, col;
    const char *text;
} bad[] = {
    {"3-3", ENG_EPARSE, 1, "error parsing range '3-3'"},
    {"5-2", ENG_EPARSE, 1, "error parsing range '5-2'"},
    {"01", ENG_EPARSE, 1, "error parsing range '01'"},
    {"1,x", ENG_EPARSE, 3, "error parsing range 'x'"},
    {"4,2", ENG_EPARSE, 3, "range '2' is out of order"},
    {"0-4,3", ENG_EPARSE, 5, "range '3' is out of order"},
    {"[1,2", ENG_EPARSE, 1, "mismatched or nested brackets"},
    {"[[1]]", ENG_EPARSE, 2, "mismatched or nested brackets"},
    {"-1", ENG_EPARSE, 1, "error parsing range '-1'"},
    {"1-", ENG_EPARSE, 1, "error parsing range '1-'"},
    {"2147483648", ENG_ELIMIT, 1, "set universe size would exceed maximum"},
};

START_TEST(test_decode)
{
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        eng_error_t err = {0};
        idset_t *s = idset_decode(good[i].in, -1, "<test>", &err);
        ck_assert_msg(s != NULL, "%s: %s", good[i].in, err.text);
        check_encode(s, IDSET_FLAG_RANGE, good[i].enc);
        idset_destroy(s);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        eng_error_t err = {0};
        ck_assert_ptr_null(idset_decode(bad[i].in, -1, "<test>", &err));
        ck_assert_int_eq(err.code, bad[i].code);
        ck_assert_int_eq(err.column, bad[i].col);
        ck_assert_str_eq(err.text, bad[i].text);
    }
    /* explicit length */
    idset_t *s = idset_decode("1-2,9", 3, NULL, NULL);
    check_encode(s, IDSET_FLAG_RANGE, "1-2");
    idset_t *c = idset_copy(s);
    ck_assert(idset_equal(s, c));
    idset_destroy(c);
    idset_destroy(s);
}
END_TEST

START_TEST(test_ranges)
{
    idset_t *s = idset_decode("0-3,5,7-8", -1, NULL, NULL);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(idset_range_count(s), 3);
    unsigned lo = 99, hi = 99;
    idset_range_at(s, 0, &lo, &hi);
    ck_assert_uint_eq(lo, 0);
    ck_assert_uint_eq(hi, 3);
    idset_range_at(s, 1, &lo, &hi);
    ck_assert_uint_eq(lo, 5);
    ck_assert_uint_eq(hi, 5);
    idset_range_at(s, 2, &lo, &hi);
    ck_assert_uint_eq(lo, 7);
    ck_assert_uint_eq(hi, 8);
    ck_assert_int_eq(idset_set(s, 4), 0); /* joins the first two runs */
    ck_assert_uint_eq(idset_range_count(s), 2);
    idset_range_at(s, 0, &lo, &hi);
    ck_assert_uint_eq(hi, 5);
    idset_destroy(s);
    s = idset_create();
    ck_assert_uint_eq(idset_range_count(s), 0);
    idset_destroy(s);
}
END_TEST

START_TEST(test_badparam)
{
    eng_error_t err = {0};
    ck_assert_ptr_null(idset_decode(NULL, -1, NULL, &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    idset_destroy(NULL);
}
END_TEST

Suite *idset_suite(void)
{
    Suite *s = suite_create("idset");
    TCase *tc = tcase_create("idset");
    tcase_add_test(tc, test_encode);
    tcase_add_test(tc, test_set_clear_iterate);
    tcase_add_test(tc, test_decode);
    tcase_add_test(tc, test_ranges);
    tcase_add_test(tc, test_badparam);
    suite_add_tcase(s, tc);
    return s;
}
