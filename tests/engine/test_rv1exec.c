/* test_rv1exec.c: the rv1exec reader (engine/rv1exec.c): the graph Fluxion
 * builds from R's "execution" (ranks -> hosts, children in document order,
 * properties on nodes, host names without digits), the pack's R files,
 * bad parameters and the invalid corpus (bad idsets and hostlists). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fio.h"
#include "graph_corpus.h"
#include "graph_load.h"
#include "rv1exec.h"

#define RV1 SCHEDSIM_SHARED_DIR "/conformance/data/rv1exec"

static rg_vid_t at(const rg_graph_t *g, const char *path)
{
    return rg_vertex_find_path(g, RG_SYM_CONTAINMENT, path);
}

START_TEST(test_tiny)
{
    eng_error_t err;
    rg_graph_t *g = graph_load_file(RV1 "/tiny_rv1exec.json", "rv1exec", NULL, &err);
    ck_assert_msg(g != NULL, "%s", err.text);
    ck_assert_uint_eq(rg_graph_vertex_count(g), 1 + 2 * (1 + 16 + 4));
    rg_vid_t n1 = at(g, "/cluster0/node1");
    ck_assert_uint_ne(n1, RG_VID_NONE);
    ck_assert_int_eq(rg_vertex_get(g, n1)->rank, 1);
    ck_assert_uint_eq(n1, 22); /* cluster, node0 and its 20 children first */
    rg_vid_t gpu = at(g, "/cluster0/node1/gpu3");
    ck_assert_int_eq(rg_vertex_get(g, gpu)->rank, 1);
    ck_assert_int_eq(rg_vertex_get(g, gpu)->uniq_id, (int64_t)gpu);
    rg_graph_destroy(g);
}
END_TEST

/* Ranks are numbered by increasing rank across entries; a host name
 * without digits gives id -1 and keeps its name; children keep document
 * order; properties go to the node vertices of their ranks. */
START_TEST(test_mapping)
{
    const char *r =
        "{\"version\": 1, \"execution\": {\"R_lite\": ["
        "{\"rank\": \"7\", \"children\": {\"gpu\": \"1\", \"core\": \"2-3\"}},"
        "{\"rank\": \"3\", \"children\": {\"core\": \"0\"}}],"
        "\"nodelist\": [\"login\", \"fat[12]\"],"
        "\"properties\": {\"ssd\": \"7\", \"amd\": \"3,7\"},"
        "\"starttime\": 0, \"expiration\": 100}}";
    eng_error_t err;
    rg_graph_t *g = rv1x_parse(r, strlen(r), "<r>", NULL, &err);
    ck_assert_msg(g != NULL, "%s", err.text);
    rg_vid_t fat = at(g, "/cluster0/fat12"), login = at(g, "/cluster0/login");
    ck_assert_uint_eq(fat, 1); /* rank 7's entry comes first in R_lite */
    ck_assert_int_eq(rg_vertex_get(g, fat)->rank, 7);
    ck_assert_int_eq(rg_vertex_get(g, fat)->id, 12);
    ck_assert_str_eq(rg_sym_str(g, rg_vertex_get(g, fat)->basename), "fat");
    ck_assert_int_eq(rg_vertex_get(g, login)->id, -1);
    ck_assert_int_eq(rg_vertex_get(g, login)->rank, 3);
    ck_assert_uint_eq(at(g, "/cluster0/fat12/gpu1"), 2);
    ck_assert_uint_eq(at(g, "/cluster0/fat12/core2"), 3);
    ck_assert_str_eq(rg_vertex_prop_get(g, fat, "ssd"), "");
    ck_assert_str_eq(rg_vertex_prop_get(g, fat, "amd"), "");
    ck_assert_ptr_null(rg_vertex_prop_get(g, login, "ssd"));
    ck_assert_str_eq(rg_vertex_prop_get(g, login, "amd"), "");
    rg_graph_destroy(g);
}
END_TEST

/* Two ranks on one host (Fluxion's update tests) are two vertices. */
START_TEST(test_shared_host)
{
    eng_error_t err;
    rg_graph_t *g = graph_load_file(RV1 "/tiny_rv1exec_2-1.json", "auto", NULL, &err);
    ck_assert_msg(g != NULL, "%s", err.text);
    rg_vid_t a = rg_vertex_find_path_rank(g, RG_SYM_CONTAINMENT, "/cluster0/node", 0);
    rg_vid_t b = rg_vertex_find_path_rank(g, RG_SYM_CONTAINMENT, "/cluster0/node", 1);
    ck_assert_uint_ne(a, RG_VID_NONE);
    ck_assert_uint_ne(b, RG_VID_NONE);
    ck_assert_uint_ne(a, b);
    rg_graph_destroy(g);
}
END_TEST

START_TEST(test_badparam)
{
    eng_error_t err;
    ck_assert_ptr_null(rv1x_parse(NULL, 0, NULL, NULL, &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    ck_assert_ptr_null(rv1x_parse("{}", 2, NULL, NULL, NULL));
    struct rv1x_opts small = {.max_vertices = 5};
    size_t len = 0;
    char *t = fio_read_all(RV1 "/tiny_rv1exec.json", 1 << 20, &len, &err);
    ck_assert_ptr_null(rv1x_parse(t, len, "tiny", &small, &err));
    ck_assert_int_eq(err.code, ENG_ELIMIT);
    free(t);
}
END_TEST

START_TEST(test_invalid)
{
    graph_corpus_run("rv1exec", "json", "rv1exec", 13);
}
END_TEST

Suite *rv1exec_suite(void)
{
    Suite *s = suite_create("rv1exec");
    TCase *tc = tcase_create("rv1exec");
    tcase_add_test(tc, test_tiny);
    tcase_add_test(tc, test_mapping);
    tcase_add_test(tc, test_shared_host);
    tcase_add_test(tc, test_badparam);
    tcase_add_test(tc, test_invalid);
    suite_add_tcase(s, tc);
    return s;
}
