/* test_wtrace.c: job records, jobspec mapping and the trace container. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fio.h"
#include "jtrace.h"
#include "swf.h"
#include "wtrace.h"

#define DATA SCHEDSIM_SOURCE_DIR "/tests/data/"

START_TEST(test_jobspec_format)
{
    const wjob_map_t cores = {WJOB_UNIT_CORE, 1}, nodes = {WJOB_UNIT_NODE, 16};
    eng_error_t err;
    char *a = wjob_jobspec_format(1, 60, &cores, &err);
    ck_assert_str_eq(a,
                     "{\"attributes\":{\"system\":{\"duration\":60}},\"resources\":[{"
                     "\"count\":1,\"label\":\"task\",\"type\":\"slot\",\"with\":[{"
                     "\"count\":1,\"type\":\"core\"}]}],\"tasks\":[{\"command\":[\"app\""
                     "],\"count\":{\"per_slot\":1},\"slot\":\"task\"}],\"version\":1}");
    char *b = wjob_jobspec_format(33, 7200, &nodes, &err); /* ceil(33/16) = 3 */
    ck_assert_ptr_nonnull(strstr(b, "\"resources\":[{\"count\":3,\"label\":\"task\","
                                    "\"type\":\"slot\",\"with\":[{\"count\":1,"
                                    "\"exclusive\":true,\"type\":\"node\"}]}]"));
    ck_assert_ptr_null(strstr(b, "core")); /* whole nodes of any shape */
    ck_assert_ptr_nonnull(strstr(b, "\"duration\":7200"));
    free(a);
    free(b);
    const wjob_map_t bad = {WJOB_UNIT_NODE, 0};
    ck_assert_ptr_null(wjob_jobspec_format(0, 60, &cores, &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    ck_assert_ptr_null(wjob_jobspec_format(4, 0, &cores, NULL));
    ck_assert_ptr_null(wjob_jobspec_format(4, 60, &bad, NULL));
    ck_assert_ptr_null(wjob_jobspec_format(4, 60, NULL, NULL));
}
END_TEST

/* The printed text is canonical: jansson's sorted compact dump of it gives
 * it back unchanged, and it has the RFC 25 shape asked for. */
START_TEST(test_jobspec_canonical)
{
    const int64_t procs[] = {1, 7, 64, 1000000, INT64_C(2147483647)};
    const int64_t cpn[] = {1, 4, 48};
    for (int u = 0; u < 2; u++)
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < 5; i++) {
                const wjob_map_t map = {(enum wjob_unit)u, cpn[c]};
                char *text = wjob_jobspec_format(procs[i], INT64_C(1) << 40, &map, NULL);
                ck_assert_ptr_nonnull(text);
                json_error_t jerr;
                json_t *js = json_loads(text, 0, &jerr);
                ck_assert_msg(js != NULL, "%s: %s", text, jerr.text);
                char *again = json_dumps(js, JSON_SORT_KEYS | JSON_COMPACT);
                ck_assert_str_eq(again, text);
                json_int_t count = 0, inner = 0, dur = 0;
                const char *slot = "", *type = "";
                int excl = 0;
                json_t *below = NULL; /* what the slot's child holds */
                int rc = json_unpack(
                    js, "{s:[{s:I, s:s, s:[{s:I, s:s, s?b, s?o}]}], s:{s:{s:I}}}",
                    "resources", "count", &count, "type", &slot, "with", "count", &inner,
                    "type", &type, "exclusive", &excl, "with", &below, "attributes",
                    "system", "duration", &dur);
                ck_assert_int_eq(rc, 0);
                ck_assert_int_eq(dur, INT64_C(1) << 40);
                ck_assert_str_eq(slot, "slot");
                ck_assert_int_eq(inner, 1);
                if (u == WJOB_UNIT_CORE) {
                    ck_assert_int_eq(count, procs[i]);
                    ck_assert_str_eq(type, "core");
                } else { /* slot[N] -> node[1] exclusive, nothing below */
                    ck_assert_int_eq(count, (procs[i] + cpn[c] - 1) / cpn[c]);
                    ck_assert_str_eq(type, "node");
                    ck_assert(excl);
                }
                ck_assert_ptr_null(below);
                free(again);
                json_decref(js);
                free(text);
            }
}
END_TEST

START_TEST(test_reasons)
{
    for (int r = 0; r < WJOB_NREASONS; r++)
        ck_assert_int_eq(wjob_reason_parse(wjob_reason_str((enum wjob_reason)r)), r);
    ck_assert_str_eq(wjob_reason_str(WJOB_NO_SIZE), "no size");
    ck_assert_str_eq(wjob_reason_str((enum wjob_reason)99), "unknown reason");
    ck_assert_int_eq(wjob_reason_parse("nonsense"), -1);
    ck_assert_int_eq(wjob_reason_parse(NULL), -1);
    ck_assert(!wjob_is_mappable(NULL));
}
END_TEST

static void add_job(wtrace_t *t, int64_t id, int64_t submit)
{
    wjob_t j;
    wjob_init(&j);
    j.swf[WJOB_SWF_ID] = id;
    j.swf[WJOB_SWF_SUBMIT] = submit;
    j.swf[WJOB_SWF_RUNTIME] = 10;
    j.swf[WJOB_SWF_ALLOC_PROCS] = 2;
    const wjob_map_t map = {WJOB_UNIT_CORE, 1};
    ck_assert_int_eq(wjob_from_swf(&j, &map, NULL), 0);
    ck_assert_int_eq(wtrace_job_take(t, &j, NULL), 0);
    ck_assert_ptr_null(j.jobspec); /* taken */
}

START_TEST(test_container)
{
    eng_error_t err;
    wtrace_t *t = wtrace_create(&err);
    const int64_t submits[] = {50, 20, 50, 20, 30};
    for (int i = 0; i < 5; i++)
        add_job(t, i + 1, submits[i]);
    ck_assert_int_eq(wtrace_finish(t, &err), 0);
    ck_assert_int_eq(wtrace_finish(t, &err), 0); /* idempotent */
    const int64_t ids[] = {2, 4, 5, 1, 3}, shifted[] = {0, 0, 10, 30, 30};
    for (size_t i = 0; i < 5; i++) {
        ck_assert_int_eq(wtrace_job(t, i)->id, ids[i]);
        ck_assert_int_eq(wtrace_job(t, i)->submit_s, shifted[i]);
        ck_assert_int_eq(wtrace_job(t, i)->swf[WJOB_SWF_SUBMIT], shifted[i] + 20);
    }
    ck_assert_ptr_null(wtrace_job(t, 5));
    ck_assert_int_eq(wtrace_submit_offset(t), 20);
    ck_assert_int_eq(wtrace_meta_add(t, "MaxProcs", "64 ", &err), 0);
    ck_assert_int_eq(wtrace_meta_add(t, "Note", "x", &err), 0);
    ck_assert_int_eq(wtrace_meta_add(t, "Note", "y", &err), 0);
    ck_assert_int_eq(wtrace_meta_add(t, NULL, "y", &err), ENG_EINVAL);
    int64_t v = 0;
    ck_assert_int_eq(wtrace_meta_int(t, "MaxProcs", &v), 0);
    ck_assert_int_eq(v, 64);
    ck_assert_int_eq(wtrace_meta_int(t, "Note", &v), ENG_ENOENT);
    ck_assert_int_eq(wtrace_meta_int(t, "Absent", &v), ENG_ENOENT);
    ck_assert_str_eq(wtrace_meta_get(t, "Note"), "x");
    const char *k, *val;
    ck_assert_int_eq(wtrace_meta_at(t, 2, &k, &val), 0);
    ck_assert_str_eq(val, "y");
    ck_assert_int_eq(wtrace_meta_at(t, 3, &k, &val), ENG_ENOENT);
    wtrace_stats_t s;
    wtrace_stats(t, 4, &s);
    ck_assert_uint_eq(s.jobs, 5);
    ck_assert_int_eq(s.span_s, 30);
    ck_assert(s.work_core_s == 100.0);
    ck_assert(s.offered_load > 0.83 && s.offered_load < 0.84); /* 100 / (30 * 4) */
    wtrace_destroy(t);
    wtrace_destroy(NULL);
    ck_assert_uint_eq(wtrace_count(NULL), 0);
}
END_TEST

START_TEST(test_formats)
{
    ck_assert_int_eq(wtrace_format_detect("  \n{\"id\":1}"), WTRACE_FORMAT_JSONL);
    ck_assert_int_eq(wtrace_format_detect("; Version: 2\n"), WTRACE_FORMAT_SWF);
    ck_assert_int_eq(wtrace_format_detect("1 0 -1"), WTRACE_FORMAT_SWF);
    ck_assert_int_eq(wtrace_format_detect(""), WTRACE_FORMAT_SWF);
    ck_assert_int_eq(wtrace_format_detect("<xml/>"), WTRACE_FORMAT_UNKNOWN);
    ck_assert_int_eq(wtrace_format_detect("\xEF\xBB\xBF{"), WTRACE_FORMAT_JSONL);
    eng_error_t err;
    wtrace_t *t = swf_parse("\xEF\xBB\xBF; MaxProcs: 4\n", "<bom>", NULL, &err);
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(wtrace_meta_get(t, "MaxProcs"), "4");
    wtrace_destroy(t);
    t = jtrace_parse("\xEF\xBB\xBF{\"id\":1,\"submit\":0,\"runtime\":1,\"unmappable\":"
                     "\"no size\"}\n",
                     "<bom>", &err);
    ck_assert_ptr_nonnull(t);
    wtrace_destroy(t);
    ck_assert_int_eq(wtrace_format_from_name("a/b.swf"), WTRACE_FORMAT_SWF);
    ck_assert_int_eq(wtrace_format_from_name("b.jsonl"), WTRACE_FORMAT_JSONL);
    ck_assert_int_eq(wtrace_format_from_name("b.txt"), WTRACE_FORMAT_UNKNOWN);
    ck_assert_int_eq(wtrace_format_from_name(NULL), WTRACE_FORMAT_UNKNOWN);
}
END_TEST

/* wtrace_load() tells the formats apart; wtrace_dump() writes atomically. */
START_TEST(test_load_dump)
{
    eng_error_t err;
    wtrace_t *a = wtrace_load(DATA "swf/valid/unsorted.swf", NULL, &err);
    ck_assert_ptr_nonnull(a);
    char dir[] = "/tmp/wtrace_testXXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char swf[256], jl[256];
    snprintf(swf, sizeof swf, "%s/t.swf", dir);
    snprintf(jl, sizeof jl, "%s/t.jsonl", dir);
    ck_assert_int_eq(wtrace_dump(a, swf, WTRACE_FORMAT_SWF, &err), 0);
    ck_assert_int_eq(wtrace_dump(a, jl, WTRACE_FORMAT_JSONL, &err), 0);
    ck_assert_int_eq(wtrace_dump(a, jl, WTRACE_FORMAT_UNKNOWN, &err), ENG_EINVAL);
    wtrace_t *b = wtrace_load(swf, NULL, &err), *c = wtrace_load(jl, NULL, &err);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(wtrace_count(b), 7);
    ck_assert_uint_eq(wtrace_count(c), 7);
    for (size_t i = 0; i < 7; i++) {
        ck_assert_int_eq(wtrace_job(c, i)->id, wtrace_job(a, i)->id);
        ck_assert_int_eq(wtrace_job(c, i)->reason, wtrace_job(a, i)->reason);
    }
    ck_assert_int_eq(wtrace_dump(a, "/nonexistent/dir/t.swf", WTRACE_FORMAT_SWF, &err),
                     ENG_EIO);
    unlink(swf);
    unlink(jl);
    rmdir(dir);
    wtrace_destroy(a);
    wtrace_destroy(b);
    wtrace_destroy(c);
    ck_assert_ptr_null(wtrace_load(DATA "swf/invalid/bad_integer/error", NULL, &err));
    ck_assert_int_eq(err.code, ENG_EPARSE); /* "2 11" parses as a short SWF line */
}
END_TEST

START_TEST(test_nul_byte)
{
    char path[] = "/tmp/wtrace_nulXXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "; a\n1 0\0 -1", 11), 11);
    close(fd);
    eng_error_t err;
    ck_assert_ptr_null(wtrace_load(path, NULL, &err));
    ck_assert_int_eq(err.code, ENG_EPARSE);
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.column, 4);
    ck_assert_str_eq(err.text, "NUL byte in a text file");
    unlink(path);
}
END_TEST

Suite *wtrace_suite(void)
{
    Suite *s = suite_create("wtrace");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_jobspec_format);
    tcase_add_test(tc, test_jobspec_canonical);
    tcase_add_test(tc, test_reasons);
    tcase_add_test(tc, test_container);
    tcase_add_test(tc, test_formats);
    tcase_add_test(tc, test_load_dump);
    tcase_add_test(tc, test_nul_byte);
    suite_add_tcase(s, tc);
    return s;
}
