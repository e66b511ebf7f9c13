/* test_metrics.c: report files and summary statistics on hand-made jobs. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fio.h"
#include "metrics.h"

/* Three completed jobs on a 4-node, 8-core cluster, one rejected, one
 * unmapped:
 *   id 1: submit 0,  start 0,  end 100, 2 nodes 4 cores  wait 0   run 100
 *   id 2: submit 10, start 100, end 105, 1 node  2 cores wait 90  run 5
 *   id 3: submit 20, start 20, end 60,  1 node  2 cores  wait 0   run 40
 * bounded slowdown: j1 1, j2 (90+5)/10 = 9.5, j3 1.
 * makespan 105; core-seconds 4*100 + 2*5 + 2*40 = 490; util_core = 490/840. */
static const struct metrics_job jobs[] = {
    {1,
     0,
     0,
     100,
     100,
     120,
     2,
     4,
     0,
     "n0,n1",
     "completed",
     -1,
     1,
     1500,
     "[{\"rank\": \"0-1\", \"children\": {\"core\": \"0-1\"}}]",
     {2, 4, 0}},
    {2,
     10,
     100,
     105,
     5,
     50,
     1,
     2,
     0,
     "n2",
     "completed",
     100,
     3,
     0,
     "[{\"rank\": \"2\", \"children\": {\"core\": \"0-1\"}}]",
     {1, 2, 0}},
    {3,
     20,
     20,
     60,
     40,
     40,
     1,
     2,
     0,
     "n3",
     "completed",
     -1,
     1,
     0,
     "[{\"rank\": \"3\", \"children\": {\"core\": \"0-1\"}}]",
     {1, 2, 0}},
    {4, 30, -1, -1, 10, 10, 9, 18, 0, NULL, "rejected", -1, 1, 0, NULL, {0, 0, 0}},
    {5, -1, -1, -1, -1, -1, -1, -1, -1, NULL, "unmapped", -1, 0, 0, NULL, {0, 0, 0}},
};
static const int64_t totals[METRICS_UNIT_COUNT] = {4, 8, 0};

static char dir[64];

static void setup(void)
{
    strcpy(dir, "/tmp/metrics_testXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static char *slurp(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = fio_read_all(path, 1 << 20, NULL, NULL);
    ck_assert_ptr_nonnull(text);
    return text;
}

START_TEST(test_hash)
{
    char out[32];
    ck_assert_str_eq(metrics_hash_buf("", 0, out), "fnv1a64:cbf29ce484222325");
    ck_assert_str_eq(metrics_hash_buf("a", 1, out), "fnv1a64:af63dc4c8601ec8c");
    eng_error_t err;
    eng_error_clear(&err);
    ck_assert_int_eq(metrics_hash_file("/nonexistent/x", out, &err), ENG_EIO);
}
END_TEST

START_TEST(test_jobs_csv)
{
    char path[128];
    snprintf(path, sizeof path, "%s/jobs.csv", dir);
    ck_assert_int_eq(metrics_jobs_write(path, jobs, 5, NULL), 0);
    char *text = slurp("jobs.csv");
    ck_assert_str_eq(text, "id,submit,start,end,wait,runtime,walltime,nodes,cores,gpus,"
                           "nodelist,state,first_reserved_at,match_calls,match_us\n"
                           "1,0,0,100,0,100,120,2,4,0,\"n0,n1\",completed,,1,1.500\n"
                           "2,10,100,105,90,5,50,1,2,0,n2,completed,100,3,0.000\n"
                           "3,20,20,60,0,40,40,1,2,0,n3,completed,,1,0.000\n"
                           "4,30,,,,10,10,9,18,0,,rejected,,1,0.000\n"
                           "5,,,,,,,,,,,unmapped,,0,0.000\n");
    free(text);
}
END_TEST

START_TEST(test_allocations)
{
    char path[128];
    snprintf(path, sizeof path, "%s/allocations.jsonl", dir);
    ck_assert_int_eq(metrics_allocations_write(path, jobs, 5, NULL), 0);
    char *text = slurp("allocations.jsonl");
    ck_assert_str_eq(
        text,
        "{\"id\":1,\"start\":0,\"end\":100,\"R_lite\":[{\"rank\":\"0-1\",\"children\":"
        "{\"core\":\"0-1\"}}]}\n"
        "{\"id\":2,\"start\":100,\"end\":105,\"R_lite\":[{\"rank\":\"2\",\"children\":"
        "{\"core\":\"0-1\"}}]}\n"
        "{\"id\":3,\"start\":20,\"end\":60,\"R_lite\":[{\"rank\":\"3\",\"children\":"
        "{\"core\":\"0-1\"}}]}\n");
    free(text);
    struct metrics_job bad = jobs[0];
    bad.r_lite = "[{";
    eng_error_t err;
    eng_error_clear(&err);
    ck_assert_int_eq(metrics_allocations_write(path, &bad, 1, &err), ENG_EPARSE);
}
END_TEST

/* Changes: t0 j1 submit+start; t10 j2 queued; t20 j3 submit+start; t60 j3
 * ends; t100 j1 ends, j2 starts; t105 j2 ends. */
START_TEST(test_utilisation)
{
    char path[128];
    snprintf(path, sizeof path, "%s/utilisation.csv", dir);
    ck_assert_int_eq(metrics_utilisation_write(path, jobs, 5, totals, NULL), 0);
    char *text = slurp("utilisation.csv");
    ck_assert_str_eq(text, "time,busy_nodes,total_nodes,busy_cores,total_cores,busy_gpus,"
                           "total_gpus,running,queued\n"
                           "0,2,4,4,8,0,0,1,0\n"
                           "10,2,4,4,8,0,0,1,1\n"
                           "20,3,4,6,8,0,0,2,1\n"
                           "60,2,4,4,8,0,0,1,1\n"
                           "100,1,4,2,8,0,0,1,0\n"
                           "105,0,4,0,8,0,0,0,0\n");
    free(text);
}
END_TEST

static void check_real(const metrics_summary_t *s, const char *name, double want)
{
    const struct metrics_entry *e = metrics_summary_get(s, name);
    ck_assert_msg(e != NULL, "%s missing", name);
    ck_assert_msg(e->kind == METRICS_REAL, "%s not real", name);
    ck_assert_msg(e->r > want - 1e-9 && e->r < want + 1e-9, "%s = %.9f, want %.9f", name,
                  e->r, want);
}

START_TEST(test_summary)
{
    struct metrics_input in[] = {{"graph", "g.json", "fnv1a64:0000000000000001"},
                                 {"trace", "t.swf", "fnv1a64:0000000000000002"}};
    struct metrics_run run = {.queue_policy = "easy",
                              .match_policy = "first",
                              .queue_depth = 32,
                              .reservation_depth = 1,
                              .seed = 7,
                              .inputs = in,
                              .ninputs = 2,
                              .totals = {4, 8, 0},
                              .events = 20,
                              .passes = 6,
                              .wall_s = 0.5,
                              .match_total_s = 0.001,
                              .match_p99_us = 12};
    metrics_summary_t *s = metrics_summary_create(jobs, 5, &run, NULL);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(metrics_summary_get(s, "jobs_completed")->i, 3);
    ck_assert_int_eq(metrics_summary_get(s, "jobs_rejected")->i, 1);
    ck_assert_int_eq(metrics_summary_get(s, "jobs_unmapped")->i, 1);
    ck_assert_int_eq(metrics_summary_get(s, "makespan_s")->i, 105);
    ck_assert_int_eq(metrics_summary_get(s, "match_calls")->i, 6);
    check_real(s, "util_core", 490.0 / 840.0);
    check_real(s, "util_node", (200.0 + 5 + 40) / 420.0);
    ck_assert_int_eq(metrics_summary_get(s, "util_gpu")->kind, METRICS_NONE);
    /* trimmed window [10.5, 94.5): j1 84 s * 4 cores, j3 40 s * 2 */
    check_real(s, "util_core_trimmed", (84.0 * 4 + 40.0 * 2) / (8 * 84.0));
    check_real(s, "wait_mean_s", 30.0);
    check_real(s, "wait_median_s", 0.0);
    check_real(s, "wait_p90_s", 72.0); /* 0.9 * 2 = 1.8: 0 + 0.8 * 90 */
    check_real(s, "wait_max_s", 90.0);
    check_real(s, "bsld_mean", 11.5 / 3);
    check_real(s, "bsld_median", 1.0);
    check_real(s, "turnaround_mean_s", (100.0 + 95 + 40) / 3);
    check_real(s, "throughput_jobs_per_hour", 3 * 3600.0 / 105);
    check_real(s, "wall_match_call_mean_us", 1000.0 / 6);
    ck_assert_str_eq(metrics_summary_get(s, "trace_hash")->text,
                     "fnv1a64:0000000000000002");
    char path[128];
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    ck_assert_int_eq(metrics_summary_write_csv(s, path, NULL), 0);
    snprintf(path, sizeof path, "%s/summary.json", dir);
    ck_assert_int_eq(metrics_summary_write_json(s, path, NULL), 0);
    char *csv = slurp("summary.csv");
    ck_assert_ptr_nonnull(strstr(csv, "\nqueue_policy,easy\n"));
    ck_assert_ptr_nonnull(strstr(csv, "\nutil_gpu,\n"));
    ck_assert_ptr_nonnull(strstr(csv, "\nwait_mean_s,30.0000\n"));
    char *json = slurp("summary.json");
    ck_assert_ptr_nonnull(strstr(json, "\"util_gpu\": null"));
    ck_assert_ptr_nonnull(strstr(json, "\"wait_mean_s\": 30.0"));
    free(csv);
    free(json);
    metrics_summary_destroy(s);
    metrics_summary_destroy(NULL);
}
END_TEST

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
}

START_TEST(test_compare)
{
    char a[128], b[128], path[160];
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    ck_assert_int_eq(mkdir(a, 0700), 0);
    ck_assert_int_eq(mkdir(b, 0700), 0);
    snprintf(path, sizeof path, "%s/summary.csv", a);
    write_file(path, "metric,value\nqueue_policy,fcfs\nwait_mean_s,10.5000\n");
    snprintf(path, sizeof path, "%s/summary.csv", b);
    write_file(path,
               "metric,value\nqueue_policy,easy\nseed,\"1,2\"\nwait_mean_s,2.0000\n");
    snprintf(path, sizeof path, "%s/cmp.csv", dir);
    const char *dirs[] = {a, b};
    char *tbuf = NULL;
    size_t tlen = 0;
    FILE *table = open_memstream(&tbuf, &tlen);
    ck_assert_int_eq(metrics_compare(dirs, 2, path, table, NULL), 0);
    fclose(table);
    char *csv = slurp("cmp.csv");
    char want[1024];
    snprintf(want, sizeof want,
             "metric,%s,%s\nqueue_policy,fcfs,easy\nwait_mean_s,10.5000,2.0000\n"
             "seed,,\"1,2\"\n",
             a, b);
    ck_assert_str_eq(csv, want);
    ck_assert_ptr_nonnull(strstr(tbuf, "wait_mean_s   "));
    free(csv);
    free(tbuf);
}
END_TEST

/* Malformed summaries are data: tests/data/reports/<case>/{summary.csv,error}
 * where error holds "line column text". */
START_TEST(test_compare_bad)
{
    const char *cases[] = {"bad_summary"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char cdir[512], epath[600], out[160];
        snprintf(cdir, sizeof cdir, "%s/tests/data/reports/%s", SCHEDSIM_SOURCE_DIR,
                 cases[i]);
        snprintf(epath, sizeof epath, "%s/error", cdir);
        snprintf(out, sizeof out, "%s/cmp.csv", dir);
        char *want = fio_read_all(epath, 4096, NULL, NULL);
        ck_assert_ptr_nonnull(want);
        int line = 0, col = 0, used = 0;
        ck_assert_int_eq(sscanf(want, "%d %d %n", &line, &col, &used), 2);
        want[strcspn(want, "\n")] = '\0';
        const char *dirs[] = {cdir};
        eng_error_t err;
        eng_error_clear(&err);
        ck_assert_int_eq(metrics_compare(dirs, 1, out, NULL, &err), ENG_EPARSE);
        ck_assert_int_eq(err.line, line);
        ck_assert_int_eq(err.column, col);
        ck_assert_str_eq(err.text, want + used);
        ck_assert_int_eq(access(out, F_OK), -1);
        free(want);
    }
    eng_error_t err;
    eng_error_clear(&err);
    const char *none[] = {"/nonexistent"};
    ck_assert_int_eq(metrics_compare(none, 1, "-", NULL, &err), ENG_EIO);
    ck_assert_int_eq(metrics_compare(none, 0, "-", NULL, &err), ENG_EINVAL);
    ck_assert_int_eq(err.code, ENG_EIO); /* the first error recorded wins */
}
END_TEST

START_TEST(test_plot)
{
    char path[128];
    snprintf(path, sizeof path, "%s/jobs.csv", dir);
    ck_assert_int_eq(metrics_jobs_write(path, jobs, 5, NULL), 0);
    snprintf(path, sizeof path, "%s/allocations.jsonl", dir);
    ck_assert_int_eq(metrics_allocations_write(path, jobs, 5, NULL), 0);
    snprintf(path, sizeof path, "%s/utilisation.csv", dir);
    ck_assert_int_eq(metrics_utilisation_write(path, jobs, 5, totals, NULL), 0);
    struct metrics_plot_script sc[8];
    size_t n = 0;
    const char *dirs[] = {dir};
    ck_assert_int_eq(metrics_plot(dirs, 1, NULL, sc, 8, &n, NULL), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(sc[0].script, "utilisation.gp");
    ck_assert_str_eq(sc[1].script, "gantt.gp");
    ck_assert_str_eq(sc[2].svg, "wait_cdf.svg");
    ck_assert_str_eq(sc[2].dir, dir);
    char *gantt = slurp("gantt.dat");
    ck_assert_str_eq(gantt, "0 0 100 1\n1 0 100 1\n2 100 105 2\n3 20 60 3\n");
    char *cdf = slurp("wait_cdf.dat");
    ck_assert_str_eq(cdf,
                     "# wait_s fraction_of_completed_jobs\n0 0.666667\n90 1.000000\n");
    char *gp = slurp("gantt.gp");
    ck_assert_ptr_nonnull(strstr(gp, "set yrange [-0.5:3.5]"));
    free(gantt);
    free(cdf);
    free(gp);
    /* a broken allocations file is reported with its line */
    snprintf(path, sizeof path, "%s/allocations.jsonl", dir);
    FILE *fp = fopen(path, "a");
    fputs("{\"id\": 9}\n", fp);
    fclose(fp);
    eng_error_t err;
    eng_error_clear(&err);
    ck_assert_int_eq(metrics_plot(dirs, 1, NULL, sc, 8, &n, &err), ENG_EPARSE);
    ck_assert_int_eq(err.line, 4);
    ck_assert_str_eq(err.text, "expected {\"id\", \"start\", \"end\", \"R_lite\"}");
    ck_assert_int_eq(metrics_plot(dirs, 0, NULL, sc, 8, &n, NULL), ENG_EINVAL);
}
END_TEST

Suite *metrics_suite(void)
{
    Suite *s = suite_create("metrics");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_hash);
    tcase_add_test(tc, test_jobs_csv);
    tcase_add_test(tc, test_allocations);
    tcase_add_test(tc, test_utilisation);
    tcase_add_test(tc, test_summary);
    tcase_add_test(tc, test_compare);
    tcase_add_test(tc, test_compare_bad);
    tcase_add_test(tc, test_plot);
    suite_add_tcase(s, tc);
    return s;
}
