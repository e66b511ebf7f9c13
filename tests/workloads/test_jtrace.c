/* test_jtrace.c: JSON-lines traces: reading, writing, round trips, errors. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../corpus.h"
#include "jtrace.h"
#include "swf.h"
#include "wtrace_check.h"

#define TRACES SCHEDSIM_SHARED_DIR "/traces/"
#define DATA   SCHEDSIM_SOURCE_DIR "/tests/data/jtrace/"

static wtrace_t *load_ok(const char *path)
{
    eng_error_t err;
    wtrace_t *t = jtrace_load(path, &err);
    return wtrace_check_ok(t, &err);
}

START_TEST(test_mixed)
{
    wtrace_t *t = load_ok(DATA "valid/mixed.jsonl");
    ck_assert_uint_eq(wtrace_count(t), 7);
    ck_assert_int_eq(wtrace_submit_offset(t), 1010); /* 1000 + first submit 10 */
    ck_assert_str_eq(wtrace_meta_get(t, "MaxProcs"), "16");
    /* sorted stably: 2 and 3 at 10, then 4, 5, 6, 1, 7 */
    const int64_t ids[] = {2, 3, 4, 5, 6, 1, 7};
    for (size_t i = 0; i < 7; i++)
        ck_assert_int_eq(wtrace_job(t, i)->id, ids[i]);
    const wjob_t *j = wtrace_job(t, 0); /* file jobspec, JSON, node/core/gpu */
    ck_assert_int_eq(j->submit_s, 0);
    ck_assert_int_eq(j->walltime_s, 200); /* given, though the file says 900 */
    ck_assert_int_eq(j->nodes, 1);
    ck_assert_int_eq(j->cores, 4);
    ck_assert_int_eq(j->gpus, 2);
    ck_assert_int_eq(j->queue, 2);
    ck_assert_ptr_nonnull(strstr(j->jobspec, "\"duration\":200"));
    j = wtrace_job(t, 1); /* YAML file: kept verbatim, counts unknown */
    ck_assert(wjob_is_mappable(j));
    ck_assert_ptr_nonnull(strstr(j->jobspec, "label: task"));
    ck_assert_int_eq(j->cores, -1);
    ck_assert_int_eq(j->walltime_s, 45);
    j = wtrace_job(t, 2);
    ck_assert_int_eq(j->reason, WJOB_NO_SIZE);
    ck_assert_int_eq(j->walltime_s, 10);
    ck_assert_int_eq(j->status, 0);
    j = wtrace_job(t, 3);
    ck_assert_int_eq(j->reason, WJOB_NO_RUNTIME);
    ck_assert_ptr_null(j->jobspec);
    j = wtrace_job(t, 4); /* count range: min; real duration rounded up */
    ck_assert_int_eq(j->nodes, 2);
    ck_assert_int_eq(j->cores, 16);
    ck_assert_int_eq(j->walltime_s, 100);
    ck_assert_ptr_nonnull(strstr(j->jobspec, "\"duration\":100}"));
    j = wtrace_job(t, 6); /* used as is: the line's own bytes */
    ck_assert_int_eq(j->walltime_s, 5);
    ck_assert_ptr_eq(strstr(j->jobspec, "{\"version\": 1, \"resources\""), j->jobspec);
    ck_assert_ptr_nonnull(strstr(j->jobspec, "\"duration\": 5}}}"));
    j = wtrace_job(t, 5); /* no duration: added from the walltime (= run time) */
    ck_assert_int_eq(j->submit_s, 40);
    ck_assert_int_eq(j->cores, 3);
    ck_assert_int_eq(j->user, 7);
    ck_assert_str_eq(
        j->jobspec,
        "{\"attributes\":{\"system\":{\"duration\":30}},\"resources\":[{"
        "\"count\":3,\"label\":\"task\",\"type\":\"slot\",\"with\":[{\"count\":"
        "1,\"type\":\"core\"}]}],\"tasks\":[{\"command\":[\"app\"],\"count\":{"
        "\"per_slot\":1},\"slot\":\"task\"}],\"version\":1}");
    wtrace_destroy(t);
}
END_TEST

START_TEST(test_round_trip)
{
    wtrace_t *a = load_ok(DATA "valid/mixed.jsonl");
    char *text = wtrace_check_write(a, false);
    eng_error_t err;
    wtrace_t *b = jtrace_parse(text, "<mem>", &err);
    ck_assert_ptr_nonnull(b);
    wtrace_check_same(a, b, true);
    ck_assert_uint_eq(wtrace_meta_count(b), 2);
    char *again = wtrace_check_write(b, false);
    ck_assert_str_eq(text, again);
    free(again);
    free(text);
    wtrace_destroy(a);
    wtrace_destroy(b);
}
END_TEST

/* SWF -> JSON lines -> records the simulator sees are the same. */
START_TEST(test_from_swf)
{
    const wjob_map_t maps[] = {{WJOB_UNIT_CORE, 1}, {WJOB_UNIT_NODE, 4}};
    for (int m = 0; m < 2; m++) {
        eng_error_t err;
        wtrace_t *a = swf_load(TRACES "KTH-SP2-1996-2.1-cln.swf", &maps[m], &err);
        ck_assert_ptr_nonnull(a);
        char *text = wtrace_check_write(a, false);
        wtrace_t *b = jtrace_parse(text, "<mem>", &err);
        ck_assert_ptr_nonnull(b);
        for (size_t i = 0; i < wtrace_count(a); i++) {
            wjob_t *x = (wjob_t *)wtrace_job(a, i);
            x->gpus = wjob_is_mappable(x) ? 0 : -1; /* SWF has none to count */
            if (maps[m].unit == WJOB_UNIT_NODE && wjob_is_mappable(x))
                x->cores = -1; /* whole nodes: the graph has the cores */
        }
        wtrace_check_same(a, b, false);
        ck_assert_str_eq(wtrace_meta_get(b, "UnixStartTime"), "843480031");
        free(text);
        wtrace_destroy(a);
        wtrace_destroy(b);
    }
}
END_TEST

/* JSON lines -> SWF -> the sizes and times survive. */
START_TEST(test_to_swf)
{
    wtrace_t *a = load_ok(DATA "valid/mixed.jsonl");
    char *text = wtrace_check_write(a, true);
    eng_error_t err;
    wtrace_t *b = swf_parse(text, "<mem>", NULL, &err);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(wtrace_count(b), 7);
    ck_assert_int_eq(wtrace_submit_offset(b), 1010);
    const wjob_t *x = wtrace_job(a, 5), *y = wtrace_job(b, 5);
    ck_assert_int_eq(y->id, 1);
    ck_assert_int_eq(y->submit_s, x->submit_s);
    ck_assert_int_eq(y->procs, 3);
    ck_assert_int_eq(y->walltime_s, 30);
    ck_assert_int_eq(wtrace_job(b, 1)->reason, WJOB_NO_SIZE); /* YAML: size unknown */
    free(text);
    wtrace_destroy(a);
    wtrace_destroy(b);
}
END_TEST

static void check_invalid(const struct corpus_case *c, void *arg)
{
    int *bad = arg;
    eng_error_t err;
    wtrace_t *t = jtrace_load(c->input, &err);
    ck_assert_msg(t == NULL, "%s: accepted", c->dir);
    *bad += corpus_error_mismatch(c, &err, false);
    ck_assert_str_eq(err.source, c->input);
}

START_TEST(test_invalid_cases)
{
    static const char *const inputs[] = {"input.jsonl", NULL};
    int bad = 0, cases = corpus_each(DATA "invalid", inputs, check_invalid, &bad);
    ck_assert_int_eq(bad, 0);
    ck_assert_int_ge(cases, 10);
}
END_TEST

/* Whole-node jobspecs name no cores: "procs" carries the size, the core
 * count stays unknown, and the writer emits "procs" only where a reader
 * could not infer it. */
START_TEST(test_whole_nodes)
{
    static const char text[] =
        "{\"id\": 1, \"submit\": 0, \"runtime\": 5, \"procs\": 25, \"jobspec\": "
        "{\"version\": 1, \"resources\": [{\"type\": \"slot\", \"count\": 7, "
        "\"label\": \"task\", \"with\": [{\"type\": \"node\", \"count\": 1, "
        "\"exclusive\": true}]}], \"tasks\": []}}\n"
        "{\"id\": 2, \"submit\": 1, \"runtime\": 5, \"jobspec\": {\"version\": 1, "
        "\"resources\": [{\"type\": \"slot\", \"count\": 2, \"label\": \"task\", "
        "\"with\": [{\"type\": \"node\", \"count\": 1, \"exclusive\": true}]}], "
        "\"tasks\": []}}\n"
        "{\"id\": 3, \"submit\": 2, \"runtime\": 5, \"procs\": 6, \"jobspec\": "
        "\"version: 1\\n\"}\n"
        "{\"id\": 4, \"submit\": 3, \"runtime\": 5, \"procs\": 3, \"jobspec\": "
        "{\"version\": 1, \"resources\": [{\"type\": \"slot\", \"count\": 3, "
        "\"label\": \"task\", \"with\": [{\"type\": \"core\", \"count\": 1}]}], "
        "\"tasks\": []}}\n";
    eng_error_t err;
    wtrace_t *a = jtrace_parse(text, "<x>", &err);
    ck_assert_msg(a != NULL, "%s", err.text);
    const wjob_t *j = wtrace_job(a, 0);
    ck_assert_int_eq(j->procs, 25);
    ck_assert_int_eq(j->nodes, 7);
    ck_assert_int_eq(j->cores, -1);
    ck_assert_int_eq(j->swf[WJOB_SWF_REQ_PROCS], 25);
    j = wtrace_job(a, 1); /* no "procs": size unknown, still runnable */
    ck_assert_int_eq(j->procs, -1);
    ck_assert_int_eq(j->nodes, 2);
    ck_assert_int_eq(j->cores, -1);
    ck_assert(wjob_is_mappable(j));
    ck_assert_int_eq(wtrace_job(a, 2)->procs, 6); /* YAML: only "procs" says */
    ck_assert_int_eq(wtrace_job(a, 3)->cores, 3);
    char *out = wtrace_check_write(a, false);
    ck_assert_ptr_nonnull(strstr(out, "{\"id\":1,\"submit\":0,\"runtime\":5,"
                                      "\"walltime\":5,\"procs\":25,"));
    ck_assert_ptr_nonnull(strstr(out, "\"runtime\":5,\"walltime\":5,\"procs\":6,"));
    ck_assert_ptr_null(strstr(out, "\"procs\":3")); /* the jobspec says so */
    ck_assert_ptr_null(strstr(out, "\"procs\":-1"));
    wtrace_t *b = jtrace_parse(out, "<mem>", &err);
    ck_assert_ptr_nonnull(b);
    wtrace_check_same(a, b, true);
    free(out);
    wtrace_destroy(a);
    wtrace_destroy(b);
}
END_TEST

/* Header text JSON cannot carry (Latin-1, line breaks) degrades, never fails. */
START_TEST(test_odd_metadata)
{
    eng_error_t err;
    wtrace_t *a = swf_parse("; Installation: Universit\xe4t\n", "<x>", NULL, &err);
    ck_assert_ptr_nonnull(a);
    char *text = wtrace_check_write(a, false);
    ck_assert_str_eq(text, "{\"meta\":[[\"Installation\",\"Universit?t\"]],"
                           "\"submit_offset\":0}\n");
    free(text);
    wtrace_destroy(a);
    a = jtrace_parse("{\"meta\": [[\"Note\", \"a\\nb\"]]}", "<x>", &err);
    ck_assert_ptr_nonnull(a);
    text = wtrace_check_write(a, true);
    ck_assert_str_eq(text, "; Note: a b\n");
    free(text);
    wtrace_destroy(a);
}
END_TEST

START_TEST(test_line_limit)
{
    size_t n = JTRACE_MAX_LINE + 10;
    char *text = malloc(n + 1);
    memset(text, ' ', n);
    text[0] = '{';
    text[n - 1] = '}';
    text[n] = '\0';
    eng_error_t err;
    ck_assert_ptr_null(jtrace_parse(text, "<big>", &err));
    ck_assert_int_eq(err.code, ENG_ELIMIT);
    ck_assert_int_eq(err.line, 1);
    free(text);
}
END_TEST

START_TEST(test_badparam)
{
    eng_error_t err;
    ck_assert_ptr_null(jtrace_parse(NULL, "<x>", &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    ck_assert_ptr_null(jtrace_load("/nonexistent/x.jsonl", &err));
    ck_assert_int_eq(err.code, ENG_EIO);
    ck_assert_int_eq(jtrace_write(NULL, stdout, &err), ENG_EINVAL);
    wtrace_t *t = jtrace_parse("\n  \n", NULL, NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(wtrace_count(t), 0);
    wtrace_destroy(t);
}
END_TEST

Suite *jtrace_suite(void)
{
    Suite *s = suite_create("jtrace");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_mixed);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_from_swf);
    tcase_add_test(tc, test_to_swf);
    tcase_add_test(tc, test_invalid_cases);
    tcase_add_test(tc, test_whole_nodes);
    tcase_add_test(tc, test_odd_metadata);
    tcase_add_test(tc, test_line_limit);
    tcase_add_test(tc, test_badparam);
    suite_add_tcase(s, tc);
    return s;
}
