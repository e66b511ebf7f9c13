/* test_swf.c: the SWF reader and writer, on real logs and malformed data. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../corpus.h"
#include "swf.h"
#include "wtrace_check.h"

#define TRACES SCHEDSIM_SHARED_DIR "/traces/"
#define DATA   SCHEDSIM_SOURCE_DIR "/tests/data/swf/"

static const wjob_map_t by_cores = {WJOB_UNIT_CORE, 1};

static wtrace_t *load_ok(const char *path, const wjob_map_t *map)
{
    eng_error_t err;
    wtrace_t *t = swf_load(path, map, &err);
    return wtrace_check_ok(t, &err);
}

static const wjob_t *find_id(const wtrace_t *t, int64_t id)
{
    for (size_t i = 0; i < wtrace_count(t); i++)
        if (wtrace_job(t, i)->id == id)
            return wtrace_job(t, i);
    return NULL;
}

START_TEST(test_kth)
{
    wtrace_t *t = load_ok(TRACES "KTH-SP2-1996-2.1-cln.swf", &by_cores);
    ck_assert_uint_eq(wtrace_count(t), 28476);
    ck_assert_int_eq(wtrace_submit_offset(t), 599850);
    ck_assert_str_eq(wtrace_meta_get(t, "UnixStartTime"), "843480031");
    ck_assert_str_eq(wtrace_meta_get(t, "TimeZoneString"), "Europe/Stockholm");
    ck_assert_str_eq(wtrace_meta_get(t, "Note"), "uses the EASY scheduler");
    int64_t procs = 0;
    ck_assert_int_eq(wtrace_meta_int(t, "MaxProcs", &procs), 0);
    ck_assert_int_eq(procs, 100);
    const wjob_t *j = wtrace_job(t, 0);
    ck_assert_int_eq(j->id, 15);
    ck_assert_int_eq(j->submit_s, 0);
    ck_assert_int_eq(j->runtime_s, 3477);
    ck_assert_int_eq(j->walltime_s, 53940);
    ck_assert_int_eq(j->procs, 4);
    ck_assert_int_eq(j->cores, 4);
    ck_assert_int_eq(j->user, 12);
    ck_assert_int_eq(j->swf[WJOB_SWF_WAIT], 192180);
    ck_assert_str_eq(
        j->jobspec,
        "{\"attributes\":{\"system\":{\"duration\":53940}},\"resources\":[{"
        "\"count\":4,\"label\":\"task\",\"type\":\"slot\",\"with\":[{\"count\":"
        "1,\"type\":\"core\"}]}],\"tasks\":[{\"command\":[\"app\"],\"count\":{"
        "\"per_slot\":1},\"slot\":\"task\"}],\"version\":1}");
    /* requested (field 8) wins over allocated (field 5): 7 of 8 */
    j = find_id(t, 15395);
    ck_assert_int_eq(j->procs, 7);
    ck_assert_int_eq(j->swf[WJOB_SWF_ALLOC_PROCS], 8);
    ck_assert_int_eq(j->submit_s, 17172337 - 599850);
    /* no size at all: kept, flagged */
    j = find_id(t, 27313);
    ck_assert(!wjob_is_mappable(j));
    ck_assert_int_eq(j->reason, WJOB_NO_SIZE);
    ck_assert_ptr_null(j->jobspec);
    j = wtrace_job(t, wtrace_count(t) - 1);
    ck_assert_int_eq(j->id, 28490);
    ck_assert_int_eq(j->status, 1);
    wtrace_stats_t s;
    wtrace_stats(t, 100, &s);
    ck_assert_uint_eq(s.mappable, 28475);
    ck_assert_uint_eq(s.unmapped[WJOB_NO_SIZE], 1);
    ck_assert_int_eq(s.span_s, 29363618 - 599850);
    ck_assert(s.offered_load > 0.69 && s.offered_load < 0.71);
    wtrace_destroy(t);
}
END_TEST

START_TEST(test_nasa_by_nodes)
{
    const wjob_map_t by_nodes = {WJOB_UNIT_NODE, 1};
    wtrace_t *t = load_ok(TRACES "NASA-iPSC-1993-3.1-cln.swf", &by_nodes);
    ck_assert_uint_eq(wtrace_count(t), 18239);
    ck_assert_int_eq(wtrace_submit_offset(t), 0);
    const wjob_t *j = wtrace_job(t, 0);
    ck_assert_int_eq(j->id, 1);
    ck_assert_int_eq(j->procs, 128);
    ck_assert_int_eq(j->nodes, 128);
    ck_assert_int_eq(j->runtime_s, 1451);
    ck_assert_int_eq(j->walltime_s, 1451); /* no requested time: the run time */
    ck_assert_ptr_nonnull(strstr(j->jobspec, "\"count\":128,\"label\":\"task\""));
    j = wtrace_job(t, wtrace_count(t) - 1);
    ck_assert_int_eq(j->id, 42264);
    ck_assert_int_eq(j->submit_s, 7948936);
    ck_assert_int_eq(j->group, 2);
    wtrace_stats_t s;
    wtrace_stats(t, 128, &s);
    ck_assert_uint_eq(s.mappable, 18239);
    wtrace_destroy(t);
}
END_TEST

START_TEST(test_lublin_256)
{
    wtrace_t *t = load_ok(TRACES "lublin_256.swf", NULL);
    ck_assert_uint_eq(wtrace_count(t), 10000);
    ck_assert_int_eq(wtrace_submit_offset(t), 5094);
    ck_assert_str_eq(wtrace_meta_get(t, "MaxNodes"), "256");
    const wjob_t *j = wtrace_job(t, 2);
    ck_assert_int_eq(j->id, 3);
    ck_assert_int_eq(j->submit_s, 6742 - 5094);
    ck_assert_int_eq(j->runtime_s, 24089);
    ck_assert_int_eq(j->procs, 1);
    ck_assert_int_eq(j->queue, 0);
    wtrace_stats_t s;
    wtrace_stats(t, 256, &s);
    ck_assert(s.offered_load > 1.05 && s.offered_load < 1.07);
    wtrace_destroy(t);
}
END_TEST

START_TEST(test_node_mapping)
{
    const wjob_map_t by4 = {WJOB_UNIT_NODE, 4};
    wtrace_t *t = load_ok(TRACES "KTH-SP2-1996-2.1-cln.swf", &by4);
    const wjob_t *j = find_id(t, 16); /* 25 processors: 7 nodes of 4 */
    ck_assert_int_eq(j->procs, 25);
    ck_assert_int_eq(j->nodes, 7);
    ck_assert_int_eq(j->cores, 28);
    ck_assert_str_eq(
        j->jobspec,
        "{\"attributes\":{\"system\":{\"duration\":3600}},\"resources\":[{"
        "\"count\":7,\"label\":\"task\",\"type\":\"slot\",\"with\":[{\"count\":1,"
        "\"exclusive\":true,\"type\":\"node\"}]}],\"tasks\":[{\"command\":[\"app\"],"
        "\"count\":{\"per_slot\":1},\"slot\":\"task\"}],\"version\":1}");
    wtrace_destroy(t);
}
END_TEST

START_TEST(test_round_trip_real)
{
    const char *names[] = {"KTH-SP2-1996-2.1-cln.swf", "NASA-iPSC-1993-3.1-cln.swf",
                           "lublin_256.swf"};
    for (int i = 0; i < 3; i++) {
        char path[512];
        snprintf(path, sizeof path, TRACES "%s", names[i]);
        wtrace_t *a = load_ok(path, &by_cores);
        char *text = wtrace_check_write(a, true);
        eng_error_t err;
        wtrace_t *b = swf_parse(text, "<mem>", &by_cores, &err);
        ck_assert_ptr_nonnull(b);
        wtrace_check_same(a, b, true);
        ck_assert_uint_eq(wtrace_meta_count(a), wtrace_meta_count(b));
        for (size_t m = 0; m < wtrace_meta_count(a); m++) {
            const char *ka, *va, *kb, *vb;
            wtrace_meta_at(a, m, &ka, &va);
            wtrace_meta_at(b, m, &kb, &vb);
            ck_assert_str_eq(ka, kb);
            ck_assert_str_eq(va, vb);
        }
        char *again = wtrace_check_write(b, true); /* and the text is a fixed point */
        ck_assert_str_eq(text, again);
        free(again);
        free(text);
        wtrace_destroy(a);
        wtrace_destroy(b);
    }
}
END_TEST

START_TEST(test_unsorted_and_flags)
{
    wtrace_t *t = load_ok(DATA "valid/unsorted.swf", NULL);
    ck_assert_uint_eq(wtrace_count(t), 7);
    ck_assert_int_eq(wtrace_submit_offset(t), 100);
    /* stable: the three jobs at 100 keep file order (1, 2, 4), then 3 */
    const int64_t ids[] = {1, 2, 4, 3, 5, 6, 7};
    const int64_t submits[] = {0, 0, 0, 400, 600, 700, 800};
    for (size_t i = 0; i < 7; i++) {
        ck_assert_int_eq(wtrace_job(t, i)->id, ids[i]);
        ck_assert_int_eq(wtrace_job(t, i)->submit_s, submits[i]);
    }
    ck_assert_int_eq(wtrace_job(t, 1)->swf[WJOB_SWF_AVG_CPU], 13); /* 12.75 rounded */
    ck_assert_int_eq(wtrace_job(t, 2)->reason, WJOB_NO_RUNTIME);
    ck_assert_int_eq(wtrace_job(t, 4)->reason, WJOB_NEGATIVE_RUNTIME);
    ck_assert_int_eq(wtrace_job(t, 5)->reason, WJOB_NO_SIZE);
    const wjob_t *j = wtrace_job(t, 6); /* requested 3 of 5, zero times */
    ck_assert(wjob_is_mappable(j));
    ck_assert_int_eq(j->procs, 3);
    ck_assert_int_eq(j->runtime_s, 0);
    ck_assert_int_eq(j->walltime_s, 1);
    ck_assert_str_eq(wtrace_meta_get(t, "UnixStartTime"), "1000");
    ck_assert_str_eq(wtrace_meta_get(t, "Note"), "out of order, with ties");
    ck_assert_str_eq(wtrace_meta_get(t, "continuation"), "text");
    wtrace_destroy(t);
}
END_TEST

START_TEST(test_header_text)
{
    const char *text = "; Information: http://a.example/\n;        http://b.example/\n;\n"
                       ";  free text: not a key? yes it is\n;MaxNodes:8\n";
    eng_error_t err;
    wtrace_t *t = swf_parse(text, "<test>", NULL, &err);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(wtrace_count(t), 0);
    ck_assert_uint_eq(wtrace_meta_count(t), 5);
    const char *k, *v;
    wtrace_meta_at(t, 1, &k, &v);
    ck_assert_str_eq(k, "");
    ck_assert_str_eq(v, "http://b.example/");
    wtrace_meta_at(t, 2, &k, &v);
    ck_assert_str_eq(k, "");
    ck_assert_str_eq(v, "");
    wtrace_meta_at(t, 3, &k, &v);
    ck_assert_str_eq(k, "");
    ck_assert_str_eq(v, "free text: not a key? yes it is");
    wtrace_meta_at(t, 4, &k, &v);
    ck_assert_str_eq(k, "MaxNodes");
    ck_assert_str_eq(v, "8");
    wtrace_destroy(t);
}
END_TEST

/* Every tests/data/swf/invalid/<case>/ holds input.swf and error ("line
 * column" then the exact text). */
static void check_invalid(const struct corpus_case *c, void *arg)
{
    int *bad = arg;
    eng_error_t err;
    wtrace_t *t = swf_load(c->input, NULL, &err);
    ck_assert_msg(t == NULL, "%s: accepted", c->dir);
    *bad += corpus_error_mismatch(c, &err, false);
    ck_assert_str_eq(err.source, c->input);
    ck_assert(err.code == ENG_EPARSE || err.code == ENG_ELIMIT);
}

START_TEST(test_invalid_cases)
{
    static const char *const inputs[] = {"input.swf", NULL};
    int bad = 0, cases = corpus_each(DATA "invalid", inputs, check_invalid, &bad);
    ck_assert_int_eq(bad, 0);
    ck_assert_int_ge(cases, 10);
}
END_TEST

START_TEST(test_line_limit)
{
    size_t n = SWF_MAX_LINE + 10;
    char *text = malloc(n + 8);
    memcpy(text, "; ok\n", 5);
    memset(text + 5, ' ', n);
    text[5 + n] = '\0';
    eng_error_t err;
    ck_assert_ptr_null(swf_parse(text, "<big>", NULL, &err));
    ck_assert_int_eq(err.code, ENG_ELIMIT);
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.column, SWF_MAX_LINE + 1);
    free(text);
}
END_TEST

START_TEST(test_badparam)
{
    eng_error_t err;
    const wjob_map_t bad = {WJOB_UNIT_NODE, 0};
    ck_assert_ptr_null(swf_parse(NULL, "<x>", NULL, &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    ck_assert_ptr_null(swf_parse("", "<x>", &bad, &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    ck_assert_ptr_null(swf_load("/nonexistent/x.swf", NULL, &err));
    ck_assert_int_eq(err.code, ENG_EIO);
    ck_assert_int_eq(swf_write(NULL, stdout, &err), ENG_EINVAL);
    ck_assert_str_eq(swf_field_name(4), "allocated processors");
    ck_assert_str_eq(swf_field_name(18), "unknown field");
    wtrace_t *t = swf_parse("", NULL, NULL, NULL); /* err may be NULL */
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(wtrace_count(t), 0);
    wtrace_destroy(t);
}
END_TEST

/* wjob_min_cores: a lower bound for the simulator's idle-core shortcut. */
START_TEST(test_min_cores)
{
    wjob_t j = {.nodes = 0, .cores = 7};
    ck_assert_int_eq(wjob_min_cores(&j, 4), 7);  /* cores anywhere: exact */
    j = (wjob_t){.nodes = 2, .cores = 16};       /* 2 whole nodes of 8 on average */
    ck_assert_int_eq(wjob_min_cores(&j, 4), 8);  /* the smallest node has 4 */
    ck_assert_int_eq(wjob_min_cores(&j, 8), 16); /* uniform nodes */
    j = (wjob_t){.nodes = 2, .cores = 6};        /* node[2] -> core[3]: named cores */
    ck_assert_int_eq(wjob_min_cores(&j, 32), 6);
    j = (wjob_t){.nodes = 3, .cores = -1};
    ck_assert_int_eq(wjob_min_cores(&j, 4), 0); /* unknown: no bound */
    ck_assert_int_eq(wjob_min_cores(NULL, 4), 0);
}
END_TEST

Suite *swf_suite(void)
{
    Suite *s = suite_create("swf");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_kth);
    tcase_add_test(tc, test_nasa_by_nodes);
    tcase_add_test(tc, test_lublin_256);
    tcase_add_test(tc, test_node_mapping);
    tcase_add_test(tc, test_round_trip_real);
    tcase_add_test(tc, test_unsorted_and_flags);
    tcase_add_test(tc, test_header_text);
    tcase_add_test(tc, test_invalid_cases);
    tcase_add_test(tc, test_line_limit);
    tcase_add_test(tc, test_badparam);
    tcase_add_test(tc, test_min_cores);
    suite_add_tcase(s, tc);
    return s;
}
