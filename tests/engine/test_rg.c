/* test_rg.c: the in-memory resource graph. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "rg.h"

/* cluster0 -> node0..node{n-1} -> core0, core1 (containment, with paths) */
static rg_vid_t add(rg_graph_t *g, const char *type, int64_t id, int64_t rank)
{
    struct rg_vertex_init in;
    rg_vertex_init_default(&in);
    in.type = rg_sym_intern(g, type);
    in.id = id;
    in.uniq_id = (int64_t)rg_graph_vid_bound(g);
    in.rank = rank;
    return rg_vertex_add(g, &in, NULL);
}

static void set_path(rg_graph_t *g, rg_vid_t v)
{
    char buf[RG_PATH_MAX] = "";
    const struct rg_vertex *x = rg_vertex_get(g, v);
    if (x->parent != RG_VID_NONE)
        rg_vertex_path(g, x->parent, RG_SYM_CONTAINMENT, buf, sizeof buf);
    strcat(buf, "/");
    strcat(buf, rg_sym_str(g, x->name));
    ck_assert_int_eq(rg_vertex_path_set(g, v, RG_SYM_CONTAINMENT, buf, NULL), 0);
}

static rg_graph_t *small_graph(int nodes)
{
    rg_graph_t *g = rg_graph_create();
    rg_vid_t c = add(g, "cluster", 0, -1);
    set_path(g, c);
    for (int i = 0; i < nodes; i++) {
        rg_vid_t n = add(g, "node", i, i);
        rg_edge_add(g, c, n, RG_SYM_CONTAINMENT, RG_SYM_CONTAINS, NULL);
        set_path(g, n);
        for (int k = 0; k < 2; k++) {
            rg_vid_t core = add(g, "core", k, i);
            rg_edge_add(g, n, core, RG_SYM_CONTAINMENT, RG_SYM_CONTAINS, NULL);
            set_path(g, core);
        }
    }
    return g;
}

START_TEST(test_symbols)
{
    rg_graph_t *g = rg_graph_create();
    ck_assert_str_eq(rg_sym_str(g, RG_SYM_CONTAINMENT), "containment");
    ck_assert_str_eq(rg_sym_str(g, RG_SYM_EMPTY), "");
    ck_assert_uint_eq(rg_sym_find(g, "in"), RG_SYM_IN);
    ck_assert_uint_eq(rg_sym_find(g, "nope"), RG_SYM_NONE);
    rg_sym_t a = rg_sym_intern(g, "core");
    for (int i = 0; i < 5000; i++) { /* force rehashes */
        char buf[32];
        snprintf(buf, sizeof buf, "s%d", i);
        ck_assert_uint_ne(rg_sym_intern(g, buf), RG_SYM_NONE);
    }
    ck_assert_uint_eq(rg_sym_intern(g, "core"), a);
    ck_assert_str_eq(rg_sym_str(g, a), "core");
    ck_assert_uint_eq(rg_sym_intern_n(g, "corex", 4), a);
    ck_assert_ptr_null(rg_sym_str(g, RG_SYM_NONE));
    ck_assert_uint_eq(rg_sym_find(g, "s4999"), rg_sym_count(g) - 1);
    rg_graph_destroy(g);
    rg_graph_destroy(NULL);
}
END_TEST

START_TEST(test_build_and_query)
{
    rg_graph_t *g = small_graph(3);
    ck_assert_uint_eq(rg_graph_vertex_count(g), 10);
    ck_assert_uint_eq(rg_graph_edge_count(g), 9);
    ck_assert_uint_eq(rg_graph_type_count(g, rg_sym_find(g, "core")), 6);
    ck_assert_uint_eq(rg_graph_root(g, RG_SYM_CONTAINMENT), 0);
    ck_assert_int_eq(rg_graph_depth(g), 2);
    char buf[64];
    ck_assert_int_eq(rg_vertex_path(g, 9, RG_SYM_CONTAINMENT, buf, sizeof buf),
                     (int)strlen("/cluster0/node2/core1"));
    ck_assert_str_eq(buf, "/cluster0/node2/core1");
    ck_assert_int_eq(rg_vertex_path(g, 9, RG_SYM_CONTAINMENT, buf, 5), ENG_ELIMIT);
    ck_assert_int_eq(rg_vertex_path(g, 9, rg_sym_intern(g, "power"), buf, 64),
                     ENG_ENOENT);
    ck_assert_uint_eq(rg_vertex_find_path(g, RG_SYM_CONTAINMENT, "/cluster0/node1/core0"),
                      5);
    ck_assert_uint_eq(rg_vertex_find_path(g, RG_SYM_CONTAINMENT, "/cluster0/node9"),
                      RG_VID_NONE);
    ck_assert_uint_eq(
        rg_vertex_find_path_rank(g, RG_SYM_CONTAINMENT, "/cluster0/node1", 1), 4);
    ck_assert_uint_eq(
        rg_vertex_find_path_rank(g, RG_SYM_CONTAINMENT, "/cluster0/node1", 2),
        RG_VID_NONE);
    /* out-edges in insertion order, parents */
    rg_eid_t e = rg_out_first(g, 0, RG_SYM_CONTAINMENT);
    ck_assert_uint_eq(rg_edge_get(g, e)->dst, 1);
    e = rg_out_next(g, e, RG_SYM_CONTAINMENT);
    ck_assert_uint_eq(rg_edge_get(g, e)->dst, 4);
    ck_assert_uint_eq(rg_vertex_get(g, 5)->parent, 4);
    ck_assert_uint_eq(rg_edge_get(g, rg_in_first(g, 5, RG_SYM_NONE))->src, 4);
    /* rank and type indexes */
    rg_sym_t core = rg_sym_find(g, "core");
    ck_assert_uint_eq(rg_vertex_find_type_rank(g, core, 2), 8);
    int n = 0;
    for (rg_vid_t v = rg_vertex_first_of_rank(g, 1); v != RG_VID_NONE;
         v = rg_vertex_next_of_rank(g, v))
        n++;
    ck_assert_int_eq(n, 3);
    n = 0;
    for (rg_vid_t v = rg_vertex_first_of_type(g, core); v != RG_VID_NONE;
         v = rg_vertex_next_of_type(g, v))
        n++;
    ck_assert_int_eq(n, 6);
    ck_assert_int_eq(rg_graph_check_tree(g, RG_SYM_CONTAINMENT, NULL), 0);
    ck_assert_uint_gt(rg_graph_memory(g), 10 * sizeof(struct rg_vertex));
    rg_graph_destroy(g);
}
END_TEST

START_TEST(test_remove_subtree)
{
    rg_graph_t *g = small_graph(3);
    ck_assert_int_eq(rg_vertex_remove_subtree(g, 4), 3);
    ck_assert_int_eq(rg_vertex_remove_subtree(g, 4), ENG_EINVAL);
    ck_assert_uint_eq(rg_graph_vertex_count(g), 7);
    ck_assert_uint_eq(rg_graph_edge_count(g), 6);
    ck_assert_uint_eq(rg_graph_vid_bound(g), 10);
    ck_assert_uint_eq(rg_vertex_find_path(g, RG_SYM_CONTAINMENT, "/cluster0/node1"),
                      RG_VID_NONE);
    ck_assert_uint_eq(rg_vertex_first_of_rank(g, 1), RG_VID_NONE);
    ck_assert_uint_eq(rg_graph_type_count(g, rg_sym_find(g, "node")), 2);
    rg_eid_t e = rg_out_first(g, 0, RG_SYM_CONTAINMENT);
    ck_assert_uint_eq(rg_edge_get(g, rg_out_next(g, e, RG_SYM_CONTAINMENT))->dst, 7);
    ck_assert(!rg_vertex_is_live(g, 5));
    rg_graph_destroy(g);
}
END_TEST

START_TEST(test_properties_status)
{
    rg_graph_t *g = small_graph(1);
    ck_assert_int_eq(rg_vertex_prop_set(g, 1, "zeta", "1"), 0);
    ck_assert_int_eq(rg_vertex_prop_set(g, 1, "alpha", "2"), 0);
    ck_assert_int_eq(rg_vertex_prop_set(g, 1, "mid", "3"), 0);
    ck_assert_int_eq(rg_vertex_prop_set(g, 1, "alpha", "4"), 0);
    const char *want[] = {"alpha", "mid", "zeta"};
    int i = 0;
    for (rg_prop_it_t it = rg_prop_first(g, 1); it != RG_PROP_END;
         it = rg_prop_next(g, it))
        ck_assert_str_eq(rg_sym_str(g, rg_prop_key(g, it)), want[i++]);
    ck_assert_int_eq(i, 3);
    ck_assert_str_eq(rg_vertex_prop_get(g, 1, "alpha"), "4");
    ck_assert_int_eq(rg_vertex_prop_remove(g, 1, "mid"), 0);
    ck_assert_int_eq(rg_vertex_prop_remove(g, 1, "mid"), ENG_ENOENT);
    ck_assert_ptr_null(rg_vertex_prop_get(g, 1, "mid"));
    ck_assert_int_eq(rg_vertex_prop_set(g, 1, "new", "x"), 0); /* reuses the record */
    ck_assert_int_eq(rg_vertex_status(g, 2), RG_STATUS_UP);
    ck_assert_int_eq(rg_vertex_status_set(g, 2, RG_STATUS_DOWN), 0);
    ck_assert_int_eq(rg_vertex_status(g, 2), RG_STATUS_DOWN);
    ck_assert_int_eq(rg_vertex_status_set(g, 99, RG_STATUS_DOWN), ENG_EINVAL);
    rg_graph_destroy(g);
}
END_TEST

/* Insertion after an existing key while the property pool grows: the insertion
 * point must survive the pool's reallocation (it once dangled). */
START_TEST(test_properties_grow)
{
    rg_graph_t *g = small_graph(1);
    char key[32], val[32];
    for (int i = 0; i < 200; i++) {
        snprintf(key, sizeof key, "k%03d", i);
        snprintf(val, sizeof val, "v%d", i);
        ck_assert_int_eq(rg_vertex_prop_set(g, 1, key, val), 0);
    }
    int n = 0;
    const char *prev = "";
    for (rg_prop_it_t it = rg_prop_first(g, 1); it != RG_PROP_END;
         it = rg_prop_next(g, it), n++) {
        const char *k = rg_sym_str(g, rg_prop_key(g, it));
        ck_assert_int_lt(strcmp(prev, k), 0);
        prev = k;
    }
    ck_assert_int_eq(n, 200);
    ck_assert_str_eq(rg_vertex_prop_get(g, 1, "k123"), "v123");
    rg_graph_destroy(g);
}
END_TEST

START_TEST(test_badparam)
{
    rg_graph_t *g = small_graph(1);
    eng_error_t err;
    eng_error_clear(&err);
    ck_assert_uint_eq(rg_edge_add(g, 0, 1, RG_SYM_CONTAINMENT, RG_SYM_CONTAINS, &err),
                      RG_EID_NONE);
    ck_assert_int_eq(err.code, ENG_EEXIST);
    eng_error_clear(&err);
    ck_assert_uint_eq(rg_edge_add(g, 0, 0, RG_SYM_CONTAINMENT, RG_SYM_CONTAINS, &err),
                      RG_EID_NONE);
    ck_assert_int_eq(err.code, ENG_EINVAL);
    struct rg_vertex_init in;
    rg_vertex_init_default(&in);
    eng_error_clear(&err);
    ck_assert_uint_eq(rg_vertex_add(g, &in, &err), RG_VID_NONE); /* no type */
    ck_assert_int_eq(err.code, ENG_EINVAL);
    in.type = RG_SYM_CONTAINS;
    in.size = 0;
    ck_assert_uint_eq(rg_vertex_add(g, &in, NULL), RG_VID_NONE);
    ck_assert_int_eq(rg_vertex_path_set(g, 1, RG_SYM_CONTAINMENT, "/x", NULL),
                     ENG_EEXIST);
    in.size = 1;
    rg_vid_t v = rg_vertex_add(g, &in, NULL);
    ck_assert_int_eq(rg_vertex_path_set(g, v, RG_SYM_CONTAINMENT, "rel", NULL),
                     ENG_EINVAL);
    ck_assert_int_eq(rg_vertex_path_set(g, v, RG_SYM_CONTAINMENT, "/root2", NULL),
                     ENG_EEXIST); /* second root */
    ck_assert_int_eq(rg_vertex_path_set(g, v, RG_SYM_CONTAINMENT, "/a/b", NULL), 0);
    char buf[16];
    rg_vertex_path(g, v, RG_SYM_CONTAINMENT, buf, sizeof buf);
    ck_assert_str_eq(buf, "/a/b");
    ck_assert_uint_eq(rg_vertex_find_path(g, RG_SYM_CONTAINMENT, "/a/b"), v);
    rg_graph_destroy(g);
}
END_TEST

START_TEST(test_cycle_and_equal)
{
    rg_graph_t *g = small_graph(2), *h = small_graph(2);
    char why[128];
    ck_assert(rg_graph_equal(g, h, why, sizeof why));
    rg_vertex_prop_set(h, 2, "k", "v");
    ck_assert(!rg_graph_equal(g, h, why, sizeof why));
    ck_assert_str_eq(why, "vertex 2 (core0) differs");
    /* core0 of node0 contains node0: a cycle node0 -> core0 -> node0 */
    rg_edge_add(g, 2, 1, RG_SYM_CONTAINMENT, RG_SYM_CONTAINS, NULL);
    rg_vid_t where = RG_VID_NONE;
    ck_assert_int_eq(rg_graph_check_tree(g, RG_SYM_CONTAINMENT, &where), ENG_EPARSE);
    ck_assert(where == 1 || where == 2);
    /* "in" edges do not count */
    ck_assert_uint_ne(rg_edge_add(h, 3, 1, RG_SYM_CONTAINMENT, RG_SYM_IN, NULL),
                      RG_EID_NONE);
    ck_assert_int_eq(rg_graph_check_tree(h, RG_SYM_CONTAINMENT, NULL), 0);
    rg_graph_destroy(g);
    rg_graph_destroy(h);
}
END_TEST

START_TEST(test_deep)
{
    rg_graph_t *g = rg_graph_create();
    rg_vid_t prev = add(g, "x", 0, -1);
    for (int i = 1; i <= RG_DEPTH_MAX + 1; i++) {
        rg_vid_t v = add(g, "x", i, -1);
        rg_edge_add(g, prev, v, RG_SYM_CONTAINMENT, RG_SYM_CONTAINS, NULL);
        prev = v;
    }
    rg_vid_t where;
    ck_assert_int_eq(rg_graph_check_tree(g, RG_SYM_CONTAINMENT, &where), ENG_ELIMIT);
    ck_assert_uint_eq(where, RG_DEPTH_MAX + 1);
    rg_graph_destroy(g);
}
END_TEST

START_TEST(test_attach)
{
    rg_graph_t *g = small_graph(2);
    rg_graph_t *f = small_graph(3); /* node0, node1 exist in g; node2 is new */
    rg_vertex_prop_set(f, 7, "color", "red");
    size_t added = 0;
    eng_error_t err;
    eng_error_clear(&err);
    ck_assert_int_eq(rg_graph_attach(g, f, &added, &err), 0);
    ck_assert_uint_eq(added, 3);
    ck_assert_uint_eq(rg_graph_vertex_count(g), 10);
    ck_assert_uint_eq(rg_graph_edge_count(g), 9);
    rg_vid_t n2 = rg_vertex_find_path(g, RG_SYM_CONTAINMENT, "/cluster0/node2");
    ck_assert_uint_eq(n2, 7);
    ck_assert_str_eq(rg_vertex_prop_get(g, n2, "color"), "red");
    ck_assert_uint_eq(rg_vertex_get(g, n2)->parent, 0);
    ck_assert(rg_graph_equal(g, f, NULL, 0));
    /* a fragment with another root is refused, g unchanged */
    rg_graph_t *other = rg_graph_create();
    struct rg_vertex_init in;
    rg_vertex_init_default(&in);
    in.type = rg_sym_intern(other, "cluster");
    in.id = 7;
    rg_vid_t r = rg_vertex_add(other, &in, NULL);
    rg_vertex_path_set(other, r, RG_SYM_CONTAINMENT, "/cluster7", NULL);
    eng_error_clear(&err);
    ck_assert_int_eq(rg_graph_attach(g, other, NULL, &err), ENG_EEXIST);
    ck_assert_uint_eq(rg_graph_vid_bound(g), 10);
    rg_graph_destroy(other);
    rg_graph_destroy(f);
    rg_graph_destroy(g);
}
END_TEST

Suite *rg_suite(void)
{
    Suite *s = suite_create("rg");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_symbols);
    tcase_add_test(tc, test_properties_grow);
    tcase_add_test(tc, test_build_and_query);
    tcase_add_test(tc, test_remove_subtree);
    tcase_add_test(tc, test_properties_status);
    tcase_add_test(tc, test_badparam);
    tcase_add_test(tc, test_cycle_and_equal);
    tcase_add_test(tc, test_deep);
    tcase_add_test(tc, test_attach);
    suite_add_tcase(s, tc);
    return s;
}
