/* test_rparse.c: reading R back (RFC 20 rv1 with and without "scheduling",
 * bare JGF), and positioned errors for malformed R. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../corpus.h"
#include "fio.h"
#include "idset.h"
#include "rparse.h"

static rparse_t *parse(const char *text)
{
    eng_error_t err = {0};
    rparse_t *r = rparse_parse(text, strlen(text), "<test>", &err);
    ck_assert_msg(r != NULL, "%s", err.text);
    return r;
}

static void check_ids(const idset_t *s, const char *want)
{
    char *t = idset_encode(s, IDSET_FLAG_RANGE);
    ck_assert_str_eq(t, want);
    free(t);
}

START_TEST(test_rv1exec)
{
    rparse_t *r =
        parse("{\"version\": 1, \"execution\": {\"R_lite\": [{\"rank\": \"17-19\", "
              "\"children\": {\"core\": \"0-35\", \"gpu\": \"0-1\"}}, {\"rank\": "
              "\"2\", \"children\": {\"core\": \"3\"}}], \"nodelist\": "
              "[\"node[17-19]\", \"node2\"], \"starttime\": 5.5, \"expiration\": "
              "1000000}}");
    ck_assert(rparse_is_rv1(r));
    ck_assert(!rparse_has_jgf(r));
    ck_assert_ptr_null(rparse_jgf_text(r));
    check_ids(rparse_ranks(r), "2,17-19");
    ck_assert_uint_eq(rparse_rlite_count(r), 2);
    ck_assert_uint_eq(rparse_rlite_nchildren(r, 0), 2);
    const struct rparse_child *c = rparse_rlite_child(r, 0, 1);
    ck_assert_str_eq(c->type, "gpu");
    check_ids(c->ids, "0-1");
    ck_assert_ptr_null(rparse_rlite_child(r, 0, 2));
    ck_assert_str_eq(rparse_nodelist(r), "node[17-19],node2");
    bool has = false;
    ck_assert_int_eq(rparse_starttime(r, &has), 5);
    ck_assert(has);
    ck_assert_int_eq(rparse_expiration(r, NULL), 1000000);
    ck_assert_uint_eq(rparse_vertex_count(r), 0);
    rparse_destroy(r);
}
END_TEST

START_TEST(test_scheduling)
{
    rparse_t *r = parse(
        "{\"version\": 1, \"execution\": {\"R_lite\": [{\"rank\": \"3\", \"children\": "
        "{\"core\": \"2\"}}], \"nodelist\": [\"node7\"], \"starttime\": 0, "
        "\"expiration\": "
        "3600}, \"scheduling\": {\"graph\": {\"nodes\": [{\"id\": \"2\", \"metadata\": "
        "{\"type\": \"core\", \"id\": 2, \"rank\": 3, \"exclusive\": true, \"paths\": "
        "{\"containment\": \"/cluster0/node7/core2\"}}}, {\"id\": \"1\", \"metadata\": "
        "{\"type\": \"node\", \"id\": 7, \"rank\": 3, \"size\": 4, \"properties\": "
        "{\"arch\": "
        "\"x86\"}, \"paths\": {\"containment\": \"/cluster0/node7\", \"power\": "
        "\"/p/n\"}}}], "
        "\"edges\": [{\"source\": \"1\", \"target\": \"2\"}, {\"source\": \"2\", "
        "\"target\": "
        "\"1\", \"metadata\": {\"subsystem\": \"power\"}}]}, \"writer\": "
        "\"fluxion:jgf_shorthand\"}}");
    ck_assert(rparse_has_jgf(r));
    ck_assert_str_eq(rparse_writer(r), "fluxion:jgf_shorthand");
    ck_assert_ptr_nonnull(strstr(rparse_jgf_text(r), "{\"graph\":{\"nodes\":[{"));
    ck_assert_uint_eq(rparse_vertex_count(r), 2);
    const struct rparse_vertex *v = rparse_vertex(r, 1);
    ck_assert_int_eq(v->uniq_id, 1);
    ck_assert_str_eq(v->type, "node");
    ck_assert_int_eq(v->id, 7);
    ck_assert_int_eq(v->size, 4);
    ck_assert(!v->exclusive);
    ck_assert(rparse_vertex(r, 0)->exclusive);
    ck_assert_str_eq(v->path, "/cluster0/node7");
    ck_assert_uint_eq(v->npaths, 2);
    ck_assert_str_eq(rparse_path(r, v->first_path + 1)->key, "power");
    ck_assert_uint_eq(v->nprops, 1);
    ck_assert_str_eq(rparse_prop(r, v->first_prop)->value, "x86");
    ck_assert_uint_eq(rparse_edge_count(r), 2);
    ck_assert_uint_eq(rparse_edge(r, 0)->src, 1);
    ck_assert_uint_eq(rparse_edge(r, 0)->dst, 0);
    ck_assert_str_eq(rparse_edge(r, 0)->subsystem, "containment");
    ck_assert_str_eq(rparse_edge(r, 1)->subsystem, "power");
    ck_assert_ptr_null(rparse_edge(r, 2));
    rparse_destroy(r);
}
END_TEST

START_TEST(test_bare_jgf)
{
    rparse_t *r =
        parse("{\"graph\": {\"nodes\": [{\"id\": \"0\", \"metadata\": {\"type\": "
              "\"cluster\", \"uniq_id\": 9}}], \"edges\": []}}");
    ck_assert(!rparse_is_rv1(r));
    ck_assert(rparse_has_jgf(r));
    ck_assert_int_eq(rparse_vertex(r, 0)->uniq_id, 9);
    ck_assert_int_eq(rparse_vertex(r, 0)->rank, -1);
    rparse_destroy(r);
}
END_TEST

/* Malformed R is data: tests/data/rparse/invalid/<case>/{input.json,error},
 * where 'error' holds "line column" and the exact text ("*": any text, for
 * jansson's own syntax messages). */
static void check_invalid(const struct corpus_case *c, void *arg)
{
    (void)arg;
    size_t len = 0;
    char *text = fio_read_all(c->input, 1 << 20, &len, NULL);
    ck_assert_ptr_nonnull(text);
    eng_error_t err = {0};
    ck_assert_msg(rparse_parse(text, len, c->input, &err) == NULL, "%s: parsed",
                  c->input);
    ck_assert_int_eq(err.code, ENG_EPARSE);
    ck_assert_str_eq(err.source, c->input);
    corpus_assert_error(c, &err, true);
    free(text);
}

START_TEST(test_invalid_cases)
{
    static const char *const inputs[] = {"input.json", NULL};
    ck_assert_int_ge(corpus_each(SCHEDSIM_SOURCE_DIR "/tests/data/rparse/invalid", inputs,
                                 check_invalid, NULL),
                     20);
}
END_TEST

START_TEST(test_badparam)
{
    eng_error_t err = {0};
    ck_assert_ptr_null(rparse_parse(NULL, 0, NULL, &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    rparse_destroy(NULL);
}
END_TEST

Suite *rparse_suite(void)
{
    Suite *s = suite_create("rparse");
    TCase *tc = tcase_create("rparse");
    tcase_add_test(tc, test_rv1exec);
    tcase_add_test(tc, test_scheduling);
    tcase_add_test(tc, test_bare_jgf);
    tcase_add_test(tc, test_invalid_cases);
    tcase_add_test(tc, test_badparam);
    suite_add_tcase(s, tc);
    return s;
}
