/* test_resev.c: the resource-event file reader.  Malformed inputs are data:
 * tests/data/sim/resev/<case>/{input.txt,error}, 'error' holding
 * "line column text". */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fio.h"
#include "qpol.h"
#include "resev.h"
#include "sim/fake_rapi.h"

START_TEST(test_good)
{
    fake_rapi_t *f = fake_rapi_create(4, 1, 0);
    sim_t *sim = sim_create(&fake_rapi_ops, f, NULL, NULL);
    const char *text = "# node 3 is in maintenance\n\n0\tdown n3\n50 up   n3\n";
    ck_assert_int_eq(resev_parse(sim, text, strlen(text), "ev.txt", NULL), 0);
    struct sim_job_spec spec = {.id = 1,
                                .submit = 10,
                                .runtime = 5,
                                .walltime = 5,
                                .jobspec = "nodes=4 walltime=5"};
    ck_assert_int_eq(sim_job_add(sim, &spec, NULL), 0);
    void *q = qpol_fcfs.create(NULL, NULL);
    ck_assert_int_eq(sim_run(sim, &qpol_fcfs, q, NULL), 0);
    ck_assert_int_eq(sim_job(sim, 0)->start, 50);
    qpol_fcfs.destroy(q);
    sim_destroy(sim);
    fake_rapi_destroy(f);
}
END_TEST

START_TEST(test_invalid_corpus)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/tests/data/sim/resev", SCHEDSIM_SOURCE_DIR);
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int cases = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char in[800], ep[800];
        snprintf(in, sizeof in, "%s/%s/input.txt", dir, de->d_name);
        snprintf(ep, sizeof ep, "%s/%s/error", dir, de->d_name);
        char *want = fio_read_all(ep, 4096, NULL, NULL);
        ck_assert_ptr_nonnull(want);
        want[strcspn(want, "\n")] = '\0';
        int line = 0, col = 0, used = 0;
        ck_assert_int_eq(sscanf(want, "%d %d %n", &line, &col, &used), 2);
        fake_rapi_t *f = fake_rapi_create(4, 1, 0);
        sim_t *sim = sim_create(&fake_rapi_ops, f, NULL, NULL);
        eng_error_t err;
        eng_error_clear(&err);
        ck_assert_int_eq(resev_load(sim, in, &err), ENG_EPARSE);
        ck_assert_msg(err.line == line && err.column == col &&
                          !strcmp(err.text, want + used),
                      "%s: got %d:%d: %s", de->d_name, err.line, err.column, err.text);
        ck_assert_str_eq(err.source, in);
        sim_destroy(sim);
        fake_rapi_destroy(f);
        free(want);
        cases++;
    }
    closedir(d);
    ck_assert_int_ge(cases, 5);
    eng_error_t err;
    eng_error_clear(&err);
    ck_assert_int_eq(resev_load(NULL, "/nonexistent/ev", &err), ENG_EIO);
}
END_TEST

Suite *resev_suite(void)
{
    Suite *s = suite_create("resev");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_good);
    tcase_add_test(tc, test_invalid_corpus);
    suite_add_tcase(s, tc);
    return s;
}
