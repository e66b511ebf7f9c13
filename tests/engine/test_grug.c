/* test_grug.c: the GRUG reader (engine/grug.c) and the format dispatch
 * (engine/graph_load.c): Fluxion's ids, names, ranks, paths and sizes on an
 * inline recipe (checked against resource-query), the pack's recipes, JGF
 * round trips, format detection, bad parameters and the invalid corpus. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_corpus.h"
#include "graph_load.h"
#include "grug.h"
#include "jgf.h"

#define GRUGS      SCHEDSIM_SHARED_DIR "/conformance/data/grugs"
#define INLINE_DIR SCHEDSIM_SOURCE_DIR "/tests/data/grug"

static rg_vid_t by_path(const rg_graph_t *g, const char *path)
{
    return rg_vertex_find_path(g, RG_SYM_CONTAINMENT, path);
}

static const char *str(const rg_graph_t *g, rg_sym_t s)
{
    return rg_sym_str(g, s);
}

/* ids from id_start, id_scope (wrap over the parent's scale) and id_stride,
 * a name without id (id_scope -1), ranks of "node" vertices, sizes, units:
 * the same as resource-query gives for tests/data/grug/ids.graphml. */
START_TEST(test_ids)
{
    eng_error_t err;
    rg_graph_t *g = grug_load(INLINE_DIR "/ids.graphml", NULL, &err);
    ck_assert_msg(g != NULL, "%s", err.text);
    ck_assert_uint_eq(rg_graph_vertex_count(g), 13);
    ck_assert_uint_eq(rg_graph_edge_count(g), 12);
    static const char *const paths[] = {
        "/x0",        "/x0/n5",      "/x0/n6",     "/x0/n5/k10", "/x0/n5/k12",
        "/x0/n5/k14", "/x0/n6/k16",  "/x0/n6/k18", "/x0/n6/k20", "/x0/n5/gpu",
        "/x0/n6/gpu", "/x0/n5/mem0", "/x0/n6/mem0"};
    for (rg_vid_t v = 0; v < 13; v++) {
        char buf[RG_PATH_MAX];
        ck_assert_int_gt(rg_vertex_path(g, v, RG_SYM_CONTAINMENT, buf, sizeof buf), 0);
        ck_assert_str_eq(buf, paths[v]);
        ck_assert_int_eq(rg_vertex_get(g, v)->uniq_id, (int64_t)v);
    }
    const struct rg_vertex *n6 = rg_vertex_get(g, by_path(g, "/x0/n6"));
    ck_assert_int_eq(n6->rank, 1);
    ck_assert_int_eq(n6->id, 6);
    const struct rg_vertex *gpu = rg_vertex_get(g, 9);
    ck_assert_int_eq(gpu->id, -1);
    ck_assert_str_eq(str(g, gpu->name), "gpu");
    ck_assert_int_eq(gpu->rank, -1);
    const struct rg_vertex *mem = rg_vertex_get(g, 12);
    ck_assert_int_eq(mem->size, 16);
    ck_assert_str_eq(str(g, mem->unit), "GB");
    /* edges in generation order: the first out-edge of n5 goes to k10 */
    rg_eid_t e = rg_out_first(g, 1, RG_SYM_NONE);
    ck_assert_uint_eq(rg_edge_get(g, e)->dst, 3);
    rg_graph_destroy(g);
}
END_TEST

/* tiny.graphml: cluster -> rack -> 2 nodes -> 2 sockets -> 18 cores, 4 x 2 GB
 * memory, 1 GPU; core ids are local to the node (id_scope 1). */
START_TEST(test_tiny)
{
    eng_error_t err;
    rg_graph_t *g = graph_load_file(GRUGS "/tiny.graphml", "grug", NULL, &err);
    ck_assert_msg(g != NULL, "%s", err.text);
    ck_assert_uint_eq(rg_graph_vertex_count(g), 100);
    ck_assert_uint_eq(rg_graph_type_count(g, rg_sym_find(g, "core")), 72);
    rg_vid_t v = by_path(g, "/tiny0/rack0/node1/socket1/core35");
    ck_assert_uint_ne(v, RG_VID_NONE);
    ck_assert_int_eq(rg_vertex_get(g, v)->rank, -1);
    ck_assert_int_eq(rg_vertex_get(g, by_path(g, "/tiny0/rack0/node1"))->rank, 1);
    ck_assert_uint_eq(rg_graph_root(g, RG_SYM_CONTAINMENT), 0);
    rg_graph_destroy(g);
}
END_TEST

/* power.graphml: a second subsystem built by ASSOCIATE_IN and
 * ASSOCIATE_BY_PATH_IN over the containment vertices. */
START_TEST(test_power)
{
    eng_error_t err;
    rg_graph_t *g = grug_load(GRUGS "/power.graphml", NULL, &err);
    ck_assert_msg(g != NULL, "%s", err.text);
    rg_sym_t power = rg_sym_find(g, "power");
    ck_assert_uint_ne(power, RG_SYM_NONE);
    rg_vid_t root = rg_graph_root(g, power);
    char buf[RG_PATH_MAX];
    ck_assert_int_gt(rg_vertex_path(g, root, power, buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "/powerpanel0");
    rg_vid_t n = by_path(g, "/power0/rack1/node18");
    ck_assert_uint_ne(n, RG_VID_NONE);
    ck_assert_int_gt(rg_vertex_path(g, n, power, buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "/powerpanel0/pdu1/node18");
    ck_assert_uint_eq(rg_graph_subsystem_vertex_count(g, power),
                      1 + 200 + 4 + 160 + 72 + 144);
    rg_graph_destroy(g);
}
END_TEST

/* Every recipe of the pack reads, and its JGF reads back into an equal graph. */
START_TEST(test_roundtrip)
{
    static const char *const names[] = {"tiny",
                                        "small",
                                        "medium",
                                        "power",
                                        "resv_test",
                                        "advanced_test",
                                        "coarse_iobw",
                                        "mt-storage/mtl0",
                                        "mt-storage/mtl1",
                                        "mt-storage/mtl2",
                                        "mt-storage/mtl3"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, GRUGS "/%s.graphml", names[i]);
        eng_error_t err;
        rg_graph_t *g = grug_load(path, NULL, &err);
        ck_assert_msg(g != NULL, "%s: %s", path, err.text);
        char *buf = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&buf, &len);
        ck_assert_ptr_nonnull(fp);
        ck_assert_int_eq(jgf_write(g, fp, &err), 0);
        fclose(fp);
        struct jgf_opts keep = {.keep_unit = true};
        rg_graph_t *h = jgf_parse(buf, len, path, &keep, &err);
        ck_assert_msg(h != NULL, "%s: %s", path, err.text);
        char why[256];
        ck_assert_msg(rg_graph_equal(g, h, why, sizeof why), "%s: %s", path, why);
        free(buf);
        rg_graph_destroy(g);
        rg_graph_destroy(h);
    }
}
END_TEST

/* mtl3: an ASSOCIATE_IN in containment moves mtl1unit0's path under
 * mtl2unit0 after its SSDs took theirs under rack0 (Fluxion's result). */
START_TEST(test_overwritten_path)
{
    eng_error_t err;
    rg_graph_t *g = grug_load(GRUGS "/mt-storage/mtl3.graphml", NULL, &err);
    ck_assert_msg(g != NULL, "%s", err.text);
    ck_assert_uint_ne(by_path(g, "/mtl3-test0/mtl2unit0/mtl1unit0"), RG_VID_NONE);
    ck_assert_uint_ne(by_path(g, "/mtl3-test0/rack0/mtl1unit0/ssd0"), RG_VID_NONE);
    ck_assert_uint_eq(by_path(g, "/mtl3-test0/rack0/mtl1unit0"), RG_VID_NONE);
    rg_graph_destroy(g);
}
END_TEST

START_TEST(test_detect)
{
    ck_assert_str_eq(graph_load_detect("{\"graph\": {}}", 13), "jgf");
    const char *r = "{\"version\": 1, \"execution\": {}, \"scheduling\": {\"graph\": 1}}";
    ck_assert_str_eq(graph_load_detect(r, strlen(r)), "rv1exec");
    const char *x = "\xef\xbb\xbf <?xml version=\"1.0\"?>\n<graphml>";
    ck_assert_str_eq(graph_load_detect(x, strlen(x)), "grug");
    ck_assert_str_eq(graph_load_detect("<topology/>", 11), "hwloc");
    ck_assert_ptr_null(graph_load_detect("  ", 2));
    ck_assert_ptr_null(graph_load_detect("node0 core", 10));
    ck_assert_ptr_null(graph_load_detect(NULL, 0));
    ck_assert(graph_load_format_known("jgf_shorthand"));
    ck_assert(graph_load_format_known("rv1exec_force"));
    ck_assert(graph_load_format_known(NULL));
    ck_assert(!graph_load_format_known("xml"));
    /* auto-detected GRUG */
    eng_error_t err;
    rg_graph_t *g = graph_load_file(GRUGS "/small.graphml", "auto", NULL, &err);
    ck_assert_msg(g != NULL, "%s", err.text);
    rg_graph_destroy(g);
}
END_TEST

START_TEST(test_badparam)
{
    eng_error_t err;
    ck_assert_ptr_null(graph_load_parse("{}", 2, "xml", NULL, NULL, &err));
    ck_assert_int_eq(err.code, ENG_ENOTSUP);
    ck_assert_ptr_null(graph_load_parse("plain", 5, NULL, "x", NULL, &err));
    ck_assert_int_eq(err.code, ENG_EPARSE); /* undetectable: read as JGF */
    ck_assert_ptr_null(grug_parse(NULL, 0, NULL, NULL, &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    ck_assert_ptr_null(grug_parse("<graphml/>", 10, NULL, NULL, NULL)); /* NULL err */
    ck_assert_ptr_null(grug_load("/nonexistent/x.graphml", NULL, &err));
    ck_assert_int_eq(err.code, ENG_EIO);
    struct grug_opts small = {.max_vertices = 50};
    ck_assert_ptr_null(grug_load(GRUGS "/tiny.graphml", &small, &err));
    ck_assert_int_eq(err.code, ENG_ELIMIT);
    struct graph_load_opts lo = {.max_vertices = 50};
    ck_assert_ptr_null(graph_load_file(GRUGS "/tiny.graphml", "grug", &lo, &err));
    ck_assert_int_eq(err.code, ENG_ELIMIT);
}
END_TEST

START_TEST(test_invalid)
{
    graph_corpus_run("grug", "graphml", "grug", 15);
}
END_TEST

Suite *grug_suite(void)
{
    Suite *s = suite_create("grug");
    TCase *tc = tcase_create("grug");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_ids);
    tcase_add_test(tc, test_tiny);
    tcase_add_test(tc, test_power);
    tcase_add_test(tc, test_roundtrip);
    tcase_add_test(tc, test_overwritten_path);
    tcase_add_test(tc, test_detect);
    tcase_add_test(tc, test_badparam);
    tcase_add_test(tc, test_invalid);
    suite_add_tcase(s, tc);
    return s;
}
