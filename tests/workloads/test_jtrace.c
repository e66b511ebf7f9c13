/* test_jtrace.c: JSON-lines traces: reading, writing, round trips, errors. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fio.h"
#include "jtrace.h"
#include "swf.h"

#define TRACES SCHEDSIM_SHARED_DIR "/traces/"
#define DATA   SCHEDSIM_SOURCE_DIR "/tests/data/jtrace/"

static wtrace_t *load_ok(const char *path)
{
    eng_error_t err;
    wtrace_t *t = jtrace_load(path, &err);
    if (!t) {
        char buf[512];
        ck_abort_msg("%s", eng_error_format(&err, buf, sizeof buf));
    }
    return t;
}

static char *write_mem(const wtrace_t *t, bool swf)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(fp);
    eng_error_t err;
    ck_assert_int_eq(swf ? swf_write(t, fp, &err) : jtrace_write(t, fp, &err), 0);
    fclose(fp);
    return buf;
}

/* Same records, as the simulator sees them (swf[] only when 'swf'). */
static void assert_same_jobs(const wtrace_t *a, const wtrace_t *b, bool swf)
{
    ck_assert_uint_eq(wtrace_count(a), wtrace_count(b));
    ck_assert_int_eq(wtrace_submit_offset(a), wtrace_submit_offset(b));
    for (size_t i = 0; i < wtrace_count(a); i++) {
        const wjob_t *x = wtrace_job(a, i), *y = wtrace_job(b, i);
        ck_assert_int_eq(x->id, y->id);
        ck_assert_int_eq(x->submit_s, y->submit_s);
        ck_assert_int_eq(x->runtime_s, y->runtime_s);
        ck_assert_int_eq(x->walltime_s, y->walltime_s);
        ck_assert_int_eq(x->procs, y->procs);
        ck_assert_int_eq(x->nodes, y->nodes);
        ck_assert_int_eq(x->cores, y->cores);
        ck_assert_int_eq(x->gpus, y->gpus);
        ck_assert_int_eq(x->user, y->user);
        ck_assert_int_eq(x->group, y->group);
        ck_assert_int_eq(x->queue, y->queue);
        ck_assert_int_eq(x->status, y->status);
        ck_assert_int_eq(x->reason, y->reason);
        ck_assert(x->jobspec == y->jobspec || strcmp(x->jobspec, y->jobspec) == 0);
        if (swf)
            ck_assert_mem_eq(x->swf, y->swf, sizeof x->swf);
    }
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
    char *text = write_mem(a, false);
    eng_error_t err;
    wtrace_t *b = jtrace_parse(text, "<mem>", &err);
    ck_assert_ptr_nonnull(b);
    assert_same_jobs(a, b, true);
    ck_assert_uint_eq(wtrace_meta_count(b), 2);
    char *again = write_mem(b, false);
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
        char *text = write_mem(a, false);
        wtrace_t *b = jtrace_parse(text, "<mem>", &err);
        ck_assert_ptr_nonnull(b);
        for (size_t i = 0; i < wtrace_count(a); i++) {
            wjob_t *x = (wjob_t *)wtrace_job(a, i);
            x->gpus = wjob_is_mappable(x) ? 0 : -1;         /* SWF has none to count */
            x->procs = wjob_is_mappable(x) ? x->cores : -1; /* whole nodes */
        }
        assert_same_jobs(a, b, false);
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
    char *text = write_mem(a, true);
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

START_TEST(test_invalid_cases)
{
    DIR *dir = opendir(DATA "invalid");
    ck_assert_ptr_nonnull(dir);
    int cases = 0, bad = 0;
    struct dirent *de;
    while ((de = readdir(dir))) {
        if (de->d_name[0] == '.')
            continue;
        char in[512], ep[512];
        snprintf(in, sizeof in, DATA "invalid/%s/input.jsonl", de->d_name);
        snprintf(ep, sizeof ep, DATA "invalid/%s/error", de->d_name);
        char *expect = fio_read_all(ep, 4096, NULL, NULL);
        ck_assert_msg(expect != NULL, "%s: no error file", de->d_name);
        int line = 0, col = 0, used = 0;
        ck_assert_int_eq(sscanf(expect, "%d %d\n%n", &line, &col, &used), 2);
        char *text = expect + used;
        text[strcspn(text, "\n")] = '\0';
        eng_error_t err;
        wtrace_t *t = jtrace_load(in, &err);
        ck_assert_msg(t == NULL, "%s: accepted", de->d_name);
        if (err.line != line || err.column != col || strcmp(err.text, text) != 0) {
            fprintf(stderr, "%s: got %d:%d: %s\n", de->d_name, err.line, err.column,
                    err.text);
            bad++;
        }
        ck_assert_str_eq(err.source, in);
        free(expect);
        cases++;
    }
    closedir(dir);
    ck_assert_int_eq(bad, 0);
    ck_assert_int_ge(cases, 10);
}
END_TEST

/* Header text JSON cannot carry (Latin-1, line breaks) degrades, never fails. */
START_TEST(test_odd_metadata)
{
    eng_error_t err;
    wtrace_t *a = swf_parse("; Installation: Universit\xe4t\n", "<x>", NULL, &err);
    ck_assert_ptr_nonnull(a);
    char *text = write_mem(a, false);
    ck_assert_str_eq(text, "{\"meta\":[[\"Installation\",\"Universit?t\"]],"
                           "\"submit_offset\":0}\n");
    free(text);
    wtrace_destroy(a);
    a = jtrace_parse("{\"meta\": [[\"Note\", \"a\\nb\"]]}", "<x>", &err);
    ck_assert_ptr_nonnull(a);
    text = write_mem(a, true);
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
    tcase_add_test(tc, test_odd_metadata);
    tcase_add_test(tc, test_line_limit);
    tcase_add_test(tc, test_badparam);
    suite_add_tcase(s, tc);
    return s;
}
