/* test_eng_error.c: error table, first-error-wins and formatting. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "eng_error.h"

START_TEST(test_table)
{
    ck_assert_str_eq(eng_errname(ENG_EPARSE), "ENG_EPARSE");
    ck_assert_str_eq(eng_strerror(ENG_OK), "success");
    ck_assert_str_eq(eng_errname(12345), "ENG_UNKNOWN");
    ck_assert_str_eq(eng_strerror(-999), "unknown error");
}
END_TEST

START_TEST(test_first_error_wins)
{
    eng_error_t err;
    eng_error_clear(&err);
    ck_assert_int_eq(eng_errorf(&err, ENG_EPARSE, "a.yaml", 7, 14, "inner %d", 1),
                     ENG_EPARSE);
    ck_assert_int_eq(eng_errorf(&err, ENG_EIO, "b", 1, 1, "outer"), ENG_EIO);
    ck_assert_int_eq(err.code, ENG_EPARSE);
    ck_assert_str_eq(err.text, "inner 1");
    char buf[128];
    ck_assert_str_eq(eng_error_format(&err, buf, sizeof buf), "a.yaml:7:14: inner 1");
    ck_assert_int_eq(eng_errorf(NULL, ENG_EINVAL, NULL, 0, 0, "x"), ENG_EINVAL);
}
END_TEST

/* Texts copied without the formatter (a constant, "%s") are what
 * snprintf() gives: cut to the buffer, NULL as "(null)", newlines as spaces. */
START_TEST(test_text_copies)
{
    char longtext[600], want[600];
    for (size_t i = 0; i < sizeof longtext - 1; i++)
        longtext[i] = (char)('a' + i % 26);
    longtext[sizeof longtext - 1] = '\0';
    longtext[3] = '\n';
    eng_error_t a = {0}, b = {0};
    eng_errorf(&a, ENG_EBUSY, longtext, 0, 0, "%s", longtext);
    eng_errorf(&b, ENG_EBUSY, longtext, 0, 0, "%s%s", longtext, "");
    ck_assert_str_eq(a.text, b.text);
    ck_assert_str_eq(a.source, b.source);
    ck_assert_uint_eq(strlen(a.text), ENG_ERROR_TEXT_MAX - 1);
    ck_assert_uint_eq(strlen(a.source), ENG_ERROR_SOURCE_MAX - 1);
    ck_assert_int_eq(a.text[3], ' ');
    snprintf(want, sizeof want, "%.*s", (int)ENG_ERROR_SOURCE_MAX - 1, longtext);
    ck_assert_str_eq(a.source, want);
    eng_error_t c = {0}, d = {0};
    eng_errorf(&c, ENG_EINVAL, NULL, 0, 0, "no matching resources found");
    const char *volatile nul = NULL; /* hidden from the format checker */
    eng_errorf(&d, ENG_EINVAL, NULL, 0, 0, "%s", nul);
    ck_assert_str_eq(c.text, "no matching resources found");
    ck_assert_str_eq(c.source, "");
    ck_assert_str_eq(d.text, "(null)");
    eng_error_t f = {0};
    eng_errorf(&f, ENG_EINVAL, "s", 0, 0, "100%% sure");
    ck_assert_str_eq(f.text, "100% sure");
}
END_TEST

START_TEST(test_format_parts)
{
    eng_error_t err;
    char buf[64];
    eng_error_clear(&err);
    eng_errorf(&err, ENG_EIO, "f", 3, 0, "line\nbreak");
    ck_assert_str_eq(eng_error_format(&err, buf, sizeof buf), "f:3: line break");
    eng_error_clear(&err);
    eng_errorf(&err, ENG_EIO, NULL, 0, 0, "bare");
    ck_assert_str_eq(eng_error_format(&err, buf, sizeof buf), "bare");
    ck_assert_str_eq(eng_error_format(NULL, buf, sizeof buf), "");
}
END_TEST

Suite *eng_error_suite(void)
{
    Suite *s = suite_create("eng_error");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_table);
    tcase_add_test(tc, test_text_copies);
    tcase_add_test(tc, test_first_error_wins);
    tcase_add_test(tc, test_format_parts);
    suite_add_tcase(s, tc);
    return s;
}
