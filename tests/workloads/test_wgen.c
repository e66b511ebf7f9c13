/* test_wgen.c: synthetic workloads: determinism, load scaling, model shape. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtrace.h"
#include "swf.h"
#include "wgen.h"
#include "wtrace_check.h"

#define TRACES SCHEDSIM_SHARED_DIR "/traces/"

static wtrace_t *gen_ok(const wgen_params_t *p)
{
    eng_error_t err;
    wtrace_t *t = wgen_generate(p, &err);
    return wtrace_check_ok(t, &err);
}

static wgen_params_t params(enum wgen_model m, size_t jobs, uint64_t seed, double load)
{
    wgen_params_t p;
    wgen_params_init(&p);
    p.model = m;
    p.jobs = jobs;
    p.seed = seed;
    p.nodes = 128;
    p.cores_per_node = 4;
    p.load = load;
    return p;
}

/* Same parameters, same bytes; another seed, other bytes. */
START_TEST(test_deterministic)
{
    for (int m = 0; m < 3; m++) {
        wgen_params_t p = params((enum wgen_model)m, 3000, 42, 0.7);
        wtrace_t *a = gen_ok(&p), *b = gen_ok(&p);
        for (int swf = 0; swf < 2; swf++) {
            char *x = wtrace_check_write(a, swf), *y = wtrace_check_write(b, swf);
            ck_assert_str_eq(x, y);
            free(x);
            free(y);
        }
        p.seed = 43;
        wtrace_t *c = gen_ok(&p);
        char *x = wtrace_check_write(a, true), *z = wtrace_check_write(c, true);
        ck_assert_str_ne(x, z);
        free(x);
        free(z);
        wtrace_destroy(a);
        wtrace_destroy(b);
        wtrace_destroy(c);
    }
}
END_TEST

/* The offered load hits the target for both models, both units. */
START_TEST(test_load_scaling)
{
    const double loads[] = {0.3, 0.7, 1.2};
    for (int m = 0; m < 3; m++)
        for (int u = 0; u < 2; u++)
            for (int l = 0; l < 3; l++) {
                wgen_params_t p = params((enum wgen_model)m, 5000, 7, loads[l]);
                p.unit = (enum wjob_unit)u;
                wtrace_t *t = gen_ok(&p);
                wtrace_stats_t s;
                wtrace_stats(t, p.nodes * p.cores_per_node, &s);
                ck_assert_msg(fabs(s.offered_load / loads[l] - 1) < 0.002,
                              "model %d unit %d: load %f for %f", m, u, s.offered_load,
                              loads[l]);
                ck_assert_uint_eq(s.mappable, 5000);
                wtrace_destroy(t);
            }
}
END_TEST

/* Every job fits the machine, times are sane, submits ascend from 0. */
START_TEST(test_job_properties)
{
    for (int m = 0; m < 2; m++)
        for (int u = 0; u < 2; u++) {
            wgen_params_t p = params((enum wgen_model)m, 4000, 3, 0);
            p.unit = (enum wjob_unit)u;
            p.nodes = 100; /* not a power of two: rounded sizes are capped */
            wtrace_t *t = gen_ok(&p);
            ck_assert_uint_eq(wtrace_count(t), 4000);
            ck_assert_int_eq(wtrace_job(t, 0)->submit_s, 0);
            for (size_t i = 0; i < wtrace_count(t); i++) {
                const wjob_t *j = wtrace_job(t, i);
                ck_assert(wjob_is_mappable(j));
                ck_assert_int_ge(j->cores, 1);
                ck_assert_int_le(j->cores, 400);
                ck_assert_int_ge(j->runtime_s, 1);
                ck_assert_int_le(j->runtime_s, 162754);
                ck_assert_int_eq(j->walltime_s, j->runtime_s);
                if (u == WJOB_UNIT_NODE)
                    ck_assert_int_eq(j->cores, j->nodes * 4);
                if (i)
                    ck_assert_int_ge(j->submit_s, wtrace_job(t, i - 1)->submit_s);
            }
            wtrace_destroy(t);
        }
}
END_TEST

/* Lublin-Feitelson shape: ~29% serial jobs, most parallel sizes powers of
 * two, arrivals peaking in the day. */
START_TEST(test_lublin_shape)
{
    wgen_params_t p = params(WGEN_LUBLIN, 20000, 11, 0);
    p.cores_per_node = 1;
    wtrace_t *t = gen_ok(&p);
    size_t serial = 0, pow2 = 0, day = 0, night = 0;
    int64_t offset = wtrace_submit_offset(t);
    for (size_t i = 0; i < wtrace_count(t); i++) {
        const wjob_t *j = wtrace_job(t, i);
        serial += j->nodes == 1;
        pow2 += j->nodes > 1 && (j->nodes & (j->nodes - 1)) == 0;
        int hour = (int)(((j->submit_s + offset) / 3600) % 24);
        day += hour >= 9 && hour < 17;
        night += hour < 8;
    }
    double fs = serial / 20000.0, fp = pow2 / (20000.0 - serial);
    ck_assert_msg(fabs(fs - 0.2927) < 0.015, "serial fraction %f", fs);
    ck_assert_msg(fp > 0.9, "power-of-two fraction %f", fp);
    ck_assert_msg(day > 2 * night, "day %zu night %zu", day, night);
    wtrace_destroy(t);
}
END_TEST

struct shape {
    double serial, pow2, log2_size, log_runtime;
};

static struct shape shape_of(const wtrace_t *t)
{
    struct shape s = {0, 0, 0, 0};
    size_t n = wtrace_count(t), par = 0;
    for (size_t i = 0; i < n; i++) {
        const wjob_t *j = wtrace_job(t, i);
        s.serial += j->procs == 1;
        par += j->procs > 1;
        s.pow2 += j->procs > 1 && (j->procs & (j->procs - 1)) == 0;
        s.log2_size += log2((double)j->procs);
        s.log_runtime += log((double)(j->runtime_s > 0 ? j->runtime_s : 1));
    }
    s.serial /= (double)n;
    s.pow2 /= (double)par;
    s.log2_size /= (double)n;
    s.log_runtime /= (double)n;
    return s;
}

/* "lublin-all" against the archive's lublin_256.swf, made by the authors'
 * generator with the same whole-sample parameters on 256 nodes: the size
 * and run-time distributions agree. */
START_TEST(test_lublin_all_vs_archive)
{
    eng_error_t err;
    wtrace_t *ref = swf_load(TRACES "lublin_256.swf", NULL, &err);
    ck_assert_ptr_nonnull(ref);
    wgen_params_t p = params(WGEN_LUBLIN_ALL, 10000, 1, 0);
    p.nodes = 256;
    p.cores_per_node = 1;
    wtrace_t *t = gen_ok(&p);
    struct shape a = shape_of(t), b = shape_of(ref);
    ck_assert_msg(fabs(a.serial - b.serial) < 0.02, "serial %f vs %f", a.serial,
                  b.serial);
    ck_assert_msg(fabs(a.pow2 - b.pow2) < 0.03, "pow2 %f vs %f", a.pow2, b.pow2);
    ck_assert_msg(fabs(a.log2_size - b.log2_size) < 0.1, "log2 size %f vs %f",
                  a.log2_size, b.log2_size);
    ck_assert_msg(fabs(a.log_runtime - b.log_runtime) < 0.1, "log run time %f vs %f",
                  a.log_runtime, b.log_runtime);
    wtrace_destroy(t);
    wtrace_destroy(ref);
}
END_TEST

START_TEST(test_poisson_native_rate)
{
    wgen_params_t p = params(WGEN_POISSON, 20000, 5, 0);
    p.mean_interarrival_s = 300;
    wtrace_t *t = gen_ok(&p);
    double mean = (double)wtrace_job(t, 19999)->submit_s / 19999.0;
    ck_assert_msg(fabs(mean / 300 - 1) < 0.03, "mean gap %f", mean);
    wtrace_destroy(t);
}
END_TEST

START_TEST(test_badparam)
{
    eng_error_t err;
    wgen_params_t p = params(WGEN_LUBLIN, 10, 1, 0);
    ck_assert_ptr_null(wgen_generate(NULL, &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    wgen_params_t bad = p;
    bad.jobs = 0;
    ck_assert_ptr_null(wgen_generate(&bad, &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    bad = p;
    bad.nodes = 0;
    ck_assert_ptr_null(wgen_generate(&bad, &err));
    bad = p;
    bad.load = -1;
    ck_assert_ptr_null(wgen_generate(&bad, &err));
    bad = p;
    bad.load = NAN;
    ck_assert_ptr_null(wgen_generate(&bad, &err));
    bad = p;
    bad.model = (enum wgen_model)9;
    ck_assert_ptr_null(wgen_generate(&bad, &err));
    ck_assert_int_eq(wgen_model_parse("lublin"), WGEN_LUBLIN);
    ck_assert_int_eq(wgen_model_parse("poisson"), WGEN_POISSON);
    ck_assert_int_eq(wgen_model_parse("lublin-all"), WGEN_LUBLIN_ALL);
    ck_assert_int_eq(wgen_model_parse("nope"), -1);
    ck_assert_str_eq(wgen_model_name((enum wgen_model)7), "unknown");
    ck_assert_str_eq(wgen_model_name(WGEN_POISSON), "poisson");
    /* tiny machines and single jobs still work */
    p.nodes = 1;
    p.jobs = 1;
    p.load = 0.5;
    wtrace_t *t = gen_ok(&p);
    ck_assert_uint_eq(wtrace_count(t), 1);
    ck_assert_int_eq(wtrace_job(t, 0)->nodes, 1);
    wtrace_destroy(t);
}
END_TEST

Suite *wgen_suite(void)
{
    Suite *s = suite_create("wgen");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_deterministic);
    tcase_add_test(tc, test_load_scaling);
    tcase_add_test(tc, test_job_properties);
    tcase_add_test(tc, test_lublin_shape);
    tcase_add_test(tc, test_lublin_all_vs_archive);
    tcase_add_test(tc, test_poisson_native_rate);
    tcase_add_test(tc, test_badparam);
    suite_add_tcase(s, tc);
    return s;
}
