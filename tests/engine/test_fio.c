/* test_fio.c: whole-file reads and atomic writes. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fio.h"

START_TEST(test_atomic_roundtrip)
{
    char dir[] = "/tmp/fio_testXXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    eng_error_t err;
    eng_error_clear(&err);
    fio_atomic_t *a = fio_atomic_open(path, &err);
    ck_assert_ptr_nonnull(a);
    fputs("hello", fio_atomic_file(a));
    ck_assert_int_eq(access(path, F_OK), -1); /* not visible before commit */
    ck_assert_int_eq(fio_atomic_commit(a, &err), 0);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    mode_t mask = umask(022); /* test process only: read the mask back */
    umask(mask);
    ck_assert_uint_eq(st.st_mode & 0777, 0666 & ~mask);
    size_t len = 0;
    char *text = fio_read_all(path, 1024, &len, &err);
    ck_assert_ptr_nonnull(text);
    ck_assert_str_eq(text, "hello");
    ck_assert_uint_eq(len, 5);
    free(text);

    a = fio_atomic_open(path, &err);
    fputs("discarded", fio_atomic_file(a));
    fio_atomic_abort(a);
    text = fio_read_all(path, 1024, NULL, &err);
    ck_assert_str_eq(text, "hello");
    free(text);
    ck_assert_ptr_null(fio_read_all(path, 3, NULL, &err));
    ck_assert_int_eq(err.code, ENG_ELIMIT);
    unlink(path);
    rmdir(dir);
}
END_TEST

START_TEST(test_missing_file)
{
    eng_error_t err;
    eng_error_clear(&err);
    ck_assert_ptr_null(fio_read_all("/nonexistent/x", 10, NULL, &err));
    ck_assert_int_eq(err.code, ENG_EIO);
    ck_assert_str_eq(err.source, "/nonexistent/x");
    eng_error_clear(&err);
    ck_assert_ptr_null(fio_atomic_open("/nonexistent/dir/x", &err));
    ck_assert_int_eq(err.code, ENG_EIO);
    fio_atomic_abort(NULL);
}
END_TEST

Suite *fio_suite(void)
{
    Suite *s = suite_create("fio");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_atomic_roundtrip);
    tcase_add_test(tc, test_missing_file);
    suite_add_tcase(s, tc);
    return s;
}
