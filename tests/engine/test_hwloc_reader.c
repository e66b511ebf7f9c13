/* test_hwloc_reader.c: the hwloc reader (engine/hwloc_reader.c): Fluxion's
 * mapping of hwloc objects on the pack's topologies, the allowlist, a v2
 * export of a v1 file reading into the same graph, bad parameters and the
 * invalid corpus (malformed XML, files of the wrong kind). */
#include <check.h>
#include <glob.h>
#include <hwloc.h>
#include <hwloc/export.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fio.h"
#include "graph_corpus.h"
#include "graph_load.h"
#include "hwloc_reader.h"

#define HWLOC_DATA SCHEDSIM_SHARED_DIR "/conformance/data/hwloc-data"
#define LASSEN     HWLOC_DATA "/001N/node_local_storage/lassen/0.xml"

static size_t count(const rg_graph_t *g, const char *type)
{
    return rg_graph_type_count(g, rg_sym_find(g, type));
}

START_TEST(test_lassen)
{
    eng_error_t err;
    rg_graph_t *g = graph_load_file(LASSEN, "hwloc", NULL, &err);
    ck_assert_msg(g != NULL, "%s", err.text);
    ck_assert_uint_eq(rg_graph_vertex_count(g), 231);
    ck_assert_uint_eq(count(g, "pu"), 160);
    ck_assert_uint_eq(count(g, "cache"), 20);
    ck_assert_uint_eq(count(g, "gpu"), 4);
    rg_vid_t node = rg_vertex_find_type_rank(g, rg_sym_find(g, "node"), 0);
    ck_assert_uint_ne(node, RG_VID_NONE);
    ck_assert_str_eq(rg_sym_str(g, rg_vertex_get(g, node)->name), "lassen6");
    ck_assert_int_eq(rg_vertex_get(g, node)->id, 6);
    rg_vid_t st =
        rg_vertex_find_path(g, RG_SYM_CONTAINMENT, "/cluster0/lassen6/socket0/storage0");
    ck_assert_uint_ne(st, RG_VID_NONE);
    ck_assert_int_eq(rg_vertex_get(g, st)->size, 1562);
    ck_assert_str_eq(rg_vertex_prop_get(g, st, "LinuxDeviceID"), "259:0");
    rg_graph_destroy(g);
}
END_TEST

/* The allowlist keeps the listed types; the others' children still hang
 * off the nearest kept ancestor. */
START_TEST(test_allowlist)
{
    eng_error_t err;
    struct graph_load_opts o = {.allowlist = "cluster,node,core"};
    rg_graph_t *g = graph_load_file(LASSEN, "hwloc", &o, &err);
    ck_assert_msg(g != NULL, "%s", err.text);
    ck_assert_uint_eq(rg_graph_vertex_count(g), 1 + 1 + 40);
    ck_assert_uint_ne(
        rg_vertex_find_path(g, RG_SYM_CONTAINMENT, "/cluster0/lassen6/core0"),
        RG_VID_NONE);
    rg_graph_destroy(g);
    /* without storage in the list, corona's size-less NVMe device is skipped */
    o.allowlist = "node,socket,core,gpu";
    g = graph_load_file(HWLOC_DATA "/001N/amd_gpu/corona11.xml", "hwloc", &o, &err);
    ck_assert_msg(g != NULL, "%s", err.text);
    ck_assert_uint_eq(count(g, "gpu"), 4);
    rg_graph_destroy(g);
    ck_assert_ptr_null(
        graph_load_file(HWLOC_DATA "/001N/amd_gpu/corona11.xml", "hwloc", NULL, &err));
    ck_assert_str_eq(err.text, "block device nvme0n1 has no Size");
}
END_TEST

/* hwloc 2's own export of a v1 file reads into the same graph. */
START_TEST(test_v2_export)
{
    eng_error_t err;
    size_t len = 0;
    char *v1 = fio_read_all(LASSEN, 1 << 24, &len, &err);
    ck_assert_ptr_nonnull(v1);
    hwloc_topology_t topo;
    ck_assert_int_eq(hwloc_topology_init(&topo), 0);
    hwloc_topology_set_io_types_filter(topo, HWLOC_TYPE_FILTER_KEEP_IMPORTANT);
    ck_assert_int_eq(hwloc_topology_set_xmlbuffer(topo, v1, (int)len), 0);
    ck_assert_int_eq(hwloc_topology_load(topo), 0);
    char *v2 = NULL;
    int v2len = 0;
    ck_assert_int_eq(hwloc_topology_export_xmlbuffer(topo, &v2, &v2len, 0), 0);
    ck_assert_ptr_nonnull(strstr(v2, "version=\"2."));
    rg_graph_t *a = hwr_parse(v1, len, "v1", NULL, &err);
    ck_assert_msg(a != NULL, "%s", err.text);
    rg_graph_t *b = hwr_parse(v2, strlen(v2), "v2", NULL, &err);
    ck_assert_msg(b != NULL, "%s", err.text);
    char why[256];
    ck_assert_msg(rg_graph_equal(a, b, why, sizeof why), "%s", why);
    rg_graph_destroy(a);
    rg_graph_destroy(b);
    hwloc_free_xmlbuffer(topo, v2);
    hwloc_topology_destroy(topo);
    free(v1);
}
END_TEST

/* Every topology of the pack reads with Fluxion's usual allowlist. */
START_TEST(test_pack)
{
    glob_t gl;
    ck_assert_int_eq(glob(HWLOC_DATA "/*/*/*/*.xml", 0, NULL, &gl), 0);
    ck_assert_uint_ge(gl.gl_pathc, 20);
    struct graph_load_opts o = {.allowlist = "cluster,node,socket,core,gpu"};
    for (size_t i = 0; i < gl.gl_pathc; i++) {
        eng_error_t err;
        rg_graph_t *g = graph_load_file(gl.gl_pathv[i], "auto", &o, &err);
        ck_assert_msg(g != NULL, "%s: %s", gl.gl_pathv[i], err.text);
        ck_assert_uint_ge(count(g, "core"), 1);
        rg_graph_destroy(g);
    }
    globfree(&gl);
}
END_TEST

START_TEST(test_badparam)
{
    eng_error_t err;
    ck_assert_ptr_null(hwr_parse(NULL, 0, NULL, NULL, &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    ck_assert_ptr_null(hwr_parse("<topology/>", 11, NULL, NULL, NULL));
    struct hwr_opts small = {.max_vertices = 10};
    size_t len = 0;
    char *t = fio_read_all(LASSEN, 1 << 24, &len, &err);
    ck_assert_ptr_null(hwr_parse(t, len, "lassen", &small, &err));
    ck_assert_int_eq(err.code, ENG_ELIMIT);
    free(t);
}
END_TEST

START_TEST(test_invalid)
{
    graph_corpus_run("hwloc", "xml", "hwloc", 5);
}
END_TEST

Suite *hwloc_reader_suite(void)
{
    Suite *s = suite_create("hwloc_reader");
    TCase *tc = tcase_create("hwloc_reader");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_lassen);
    tcase_add_test(tc, test_allowlist);
    tcase_add_test(tc, test_v2_export);
    tcase_add_test(tc, test_pack);
    tcase_add_test(tc, test_badparam);
    tcase_add_test(tc, test_invalid);
    suite_add_tcase(s, tc);
    return s;
}
