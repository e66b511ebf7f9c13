/* test_ggen.c: the cluster graph generator. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ggen.h"
#include "jgf.h"

#define TINY SCHEDSIM_SHARED_DIR "/conformance/data/jgfs/tiny.json"

static char *to_text(const rg_graph_t *g, size_t *len)
{
    char *buf = NULL;
    FILE *fp = open_memstream(&buf, len);
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(jgf_write(g, fp, NULL), 0);
    fclose(fp);
    return buf;
}

/* Same vertex as far as JGF goes (names compared as text). */
static void assert_same_vertex(const rg_graph_t *a, rg_vid_t va, const rg_graph_t *b,
                               rg_vid_t vb)
{
    const struct rg_vertex *x = rg_vertex_get(a, va), *y = rg_vertex_get(b, vb);
    char pa[RG_PATH_MAX], pb[RG_PATH_MAX];
    ck_assert_str_eq(rg_sym_str(a, x->type), rg_sym_str(b, y->type));
    ck_assert_str_eq(rg_sym_str(a, x->name), rg_sym_str(b, y->name));
    ck_assert_int_eq(x->id, y->id);
    ck_assert_int_eq(x->uniq_id, y->uniq_id);
    ck_assert_int_eq(x->rank, y->rank);
    rg_vertex_path(a, va, RG_SYM_CONTAINMENT, pa, sizeof pa);
    rg_vertex_path(b, vb, RG_SYM_CONTAINMENT, pb, sizeof pb);
    ck_assert_str_eq(pa, pb);
}

/* tiny.json is Fluxion's generated cluster of 2 nodes x 2 sockets x (18
 * cores, 1 gpu, 4 memory): without memory our generator must give the same
 * vertices (ids, names, uniq_ids, ranks, paths) and edges in the same
 * order. */
START_TEST(test_matches_fluxion_layout)
{
    struct ggen_spec s;
    ggen_spec_default(&s);
    s.cluster = "tiny";
    s.nodes = 2;
    s.racks = 1;
    s.cores = 18;
    s.gpus = 1;
    eng_error_t err;
    rg_graph_t *g = ggen_build(&s, &err), *t = jgf_load(TINY, NULL, &err);
    ck_assert_ptr_nonnull(g);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(rg_graph_vertex_count(g), 84);
    for (rg_vid_t v = 0; v < 84; v++)
        assert_same_vertex(g, v, t, v);
    rg_sym_t mem = rg_sym_find(t, "memory");
    rg_eid_t et = 0;
    for (rg_eid_t e = 0; e < rg_graph_eid_bound(g); e++, et++) {
        while (rg_vertex_get(t, rg_edge_get(t, et)->dst)->type == mem)
            et++;
        ck_assert_uint_eq(rg_edge_get(g, e)->src, rg_edge_get(t, et)->src);
        ck_assert_uint_eq(rg_edge_get(g, e)->dst, rg_edge_get(t, et)->dst);
    }
    rg_graph_destroy(g);
    rg_graph_destroy(t);
}
END_TEST

START_TEST(test_shape_and_roundtrip)
{
    struct ggen_prop props[8];
    size_t np = 0;
    ck_assert_int_eq(ggen_prop_parse("ssd@0-1", props, 8, &np, NULL), 0);
    ck_assert_int_eq(ggen_prop_parse("zone=b@2,4-5", props, 8, &np, NULL), 0);
    ck_assert_uint_eq(np, 3);
    struct ggen_spec s;
    ggen_spec_default(&s);
    s.nodes = 6;
    s.racks = 4; /* nodes 0,1 | 2 | 3,4 | 5 */
    s.sockets = 2;
    s.cores = 4;
    s.gpus = 2;
    s.memory_mib = 4096;
    s.node_gpus = 1;
    s.node_memory_mib = 1024;
    s.prefix = "fat";
    s.cluster = "big";
    s.props = props;
    s.nprops = np;
    rg_graph_t *g = ggen_build(&s, NULL);
    ck_assert_ptr_nonnull(g);
    ck_assert_uint_eq(rg_graph_vertex_count(g), (size_t)ggen_vertex_count(&s));
    ck_assert_uint_eq(rg_graph_vertex_count(g), 1 + 4 + 6 * (3 + 2 * (1 + 4 + 2 + 1)));
    ck_assert_int_eq(rg_graph_depth(g), 4);
    rg_vid_t v =
        rg_vertex_find_path(g, RG_SYM_CONTAINMENT, "/big0/rack3/fat5/socket1/core7");
    ck_assert_uint_ne(v, RG_VID_NONE);
    v = rg_vertex_find_path(g, RG_SYM_CONTAINMENT, "/big0/rack3/fat5/socket1/memory1");
    ck_assert_int_eq(rg_vertex_get(g, v)->size, 4096);
    ck_assert_str_eq(rg_sym_str(g, rg_vertex_get(g, v)->unit), "MiB");
    v = rg_vertex_find_path(g, RG_SYM_CONTAINMENT, "/big0/rack0/fat1");
    ck_assert_int_eq(rg_vertex_get(g, v)->rank, 1);
    ck_assert_str_eq(rg_vertex_prop_get(g, v, "ssd"), "");
    ck_assert_ptr_null(rg_vertex_prop_get(g, v, "zone"));
    v = rg_vertex_find_path(g, RG_SYM_CONTAINMENT, "/big0/rack2/fat4");
    ck_assert_str_eq(rg_vertex_prop_get(g, v, "zone"), "b");
    v = rg_vertex_find_path(g, RG_SYM_CONTAINMENT,
                            "/big0/rack2/fat3/gpu4"); /* after 2x2 */
    ck_assert_uint_ne(v, RG_VID_NONE);
    v = rg_vertex_find_path(g, RG_SYM_CONTAINMENT, "/big0/rack2/fat3/memory2");
    ck_assert_int_eq(rg_vertex_get(g, v)->size, 1024);
    /* a node's children: sockets, then its gpu, then its memory */
    rg_vid_t n3 = rg_vertex_find_path(g, RG_SYM_CONTAINMENT, "/big0/rack2/fat3");
    const char *kids[] = {"socket0", "socket1", "gpu4", "memory2"};
    int k = 0;
    for (rg_eid_t e = rg_out_first(g, n3, RG_SYM_CONTAINMENT); e != RG_EID_NONE;
         e = rg_out_next(g, e, RG_SYM_CONTAINMENT), k++)
        ck_assert_str_eq(rg_sym_str(g, rg_vertex_get(g, rg_edge_get(g, e)->dst)->name),
                         kids[k]);
    ck_assert_int_eq(k, 4);
    ck_assert_uint_eq(rg_vertex_find_path(g, RG_SYM_CONTAINMENT, "/big0/rack3"), 4);
    ck_assert_uint_ne(rg_vertex_find_path(g, RG_SYM_CONTAINMENT, "/big0/rack1/fat2"),
                      RG_VID_NONE);
    /* determinism and round trip */
    size_t la, lb;
    char *a = to_text(g, &la);
    rg_graph_t *h = ggen_build(&s, NULL);
    char *b = to_text(h, &lb);
    ck_assert_uint_eq(la, lb);
    ck_assert(memcmp(a, b, la) == 0);
    struct jgf_opts keep = {.keep_unit = true};
    rg_graph_t *r = jgf_parse(a, la, "<gen>", &keep, NULL);
    ck_assert_ptr_nonnull(r);
    ck_assert(rg_graph_equal(g, r, NULL, 0));
    free(a);
    free(b);
    rg_graph_destroy(r);
    rg_graph_destroy(h);
    rg_graph_destroy(g);
}
END_TEST

START_TEST(test_badparam)
{
    struct ggen_prop props[2];
    size_t np = 0;
    eng_error_t err;
    static const char *bad[] = {"ssd", "@0", "x@", "x@a", "x@3-1", "x@1,", "x@-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        eng_error_clear(&err);
        ck_assert_msg(ggen_prop_parse(bad[i], props, 2, &np, &err) == ENG_EPARSE, "%s",
                      bad[i]);
        ck_assert_uint_eq(np, 0);
    }
    ck_assert_int_eq(ggen_prop_parse("x@1,2,3", props, 2, &np, &err), ENG_ELIMIT);
    ck_assert_int_eq(ggen_prop_parse("x@1", props, 2, &np, &err), 0);
    struct ggen_spec s;
    ggen_spec_default(&s);
    s.nodes = 0;
    eng_error_clear(&err);
    ck_assert_ptr_null(ggen_build(&s, &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    ck_assert_str_eq(err.text, "nodes: expected an integer in [1, 1000000]");
    ggen_spec_default(&s);
    s.racks = 2;
    ck_assert_ptr_null(ggen_build(&s, &err));
    ggen_spec_default(&s);
    s.props = props;
    s.nprops = np; /* node 1 of 1 */
    eng_error_clear(&err);
    ck_assert_ptr_null(ggen_build(&s, &err));
    ck_assert_str_eq(err.text, "property x: node 1 is beyond the 1 nodes");
    ggen_spec_default(&s);
    s.prefix = "a/b";
    ck_assert_ptr_null(ggen_build(&s, NULL));
}
END_TEST

Suite *ggen_suite(void)
{
    Suite *s = suite_create("ggen");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_matches_fluxion_layout);
    tcase_add_test(tc, test_shape_and_roundtrip);
    tcase_add_test(tc, test_badparam);
    suite_add_tcase(s, tc);
    return s;
}
