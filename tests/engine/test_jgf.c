/* test_jgf.c: JGF reader and writer.  Every JGF of the shared conformance
 * pack must load and round-trip; every case under tests/data/jgf/invalid/
 * must fail with the position and text in its 'error' file. */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../corpus.h"
#include "fio.h"
#include "jgf.h"

#define JGF_DIR SCHEDSIM_SHARED_DIR "/conformance/data/jgfs"

/* Round trips keep units so that writing them is tested too. */
static const struct jgf_opts keep_unit = {.keep_unit = true};

/* Load 'path': a JGF, or an R object whose "scheduling" key holds one. */
static rg_graph_t *load_any(const char *path, eng_error_t *err)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    ck_assert_msg(doc != NULL, "%s: %s", path, jerr.text);
    json_t *sched = json_object_get(doc, "scheduling");
    rg_graph_t *g = sched && !json_object_get(doc, "graph")
                        ? jgf_from_json(sched, path, err)
                        : jgf_load(path, &keep_unit, err);
    json_decref(doc);
    return g;
}

static rg_graph_t *roundtrip(const rg_graph_t *g)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(fp);
    eng_error_t err;
    ck_assert_int_eq(jgf_write(g, fp, &err), 0);
    fclose(fp);
    rg_graph_t *h = jgf_parse(buf, len, "<roundtrip>", &keep_unit, &err);
    ck_assert_msg(h != NULL, "reload: %d:%d: %s", err.line, err.column, err.text);
    free(buf);
    return h;
}

START_TEST(test_shared_jgfs)
{
    glob_t gl;
    ck_assert_int_eq(glob(JGF_DIR "/*.json", 0, NULL, &gl), 0);
    ck_assert_int_eq(glob(JGF_DIR "/elastic/*.json", GLOB_APPEND, NULL, &gl), 0);
    ck_assert_uint_ge(gl.gl_pathc, 20);
    for (size_t i = 0; i < gl.gl_pathc; i++) {
        eng_error_t err;
        rg_graph_t *g = load_any(gl.gl_pathv[i], &err);
        ck_assert_msg(g != NULL, "%s:%d:%d: %s", gl.gl_pathv[i], err.line, err.column,
                      err.text);
        ck_assert_uint_gt(rg_graph_vertex_count(g), 0);
        rg_graph_t *h = roundtrip(g);
        char why[256];
        ck_assert_msg(rg_graph_equal(g, h, why, sizeof why), "%s: %s", gl.gl_pathv[i],
                      why);
        rg_graph_destroy(h);
        rg_graph_destroy(g);
    }
    globfree(&gl);
}
END_TEST

START_TEST(test_tiny_contents)
{
    eng_error_t err;
    rg_graph_t *g = jgf_load(JGF_DIR "/tiny.json", NULL, &err);
    ck_assert_ptr_nonnull(g);
    ck_assert_uint_eq(rg_graph_vertex_count(g), 100);
    ck_assert_uint_eq(rg_graph_type_count(g, rg_sym_find(g, "core")), 72);
    rg_vid_t v =
        rg_vertex_find_path(g, RG_SYM_CONTAINMENT, "/tiny0/rack0/node1/socket1/gpu1");
    ck_assert_uint_eq(v, 83);
    const struct rg_vertex *x = rg_vertex_get(g, v);
    ck_assert_str_eq(rg_sym_str(g, x->name), "gpu1");
    ck_assert_int_eq(x->id, 1);
    ck_assert_uint_eq(x->parent, 7);
    v = rg_vertex_find_path(g, RG_SYM_CONTAINMENT, "/tiny0/rack0/node0/socket0/memory2");
    ck_assert_int_eq(rg_vertex_get(g, v)->size, 2);
    ck_assert_str_eq(rg_sym_str(g, rg_vertex_get(g, v)->unit), ""); /* Fluxion drops it */
    /* children of socket0 in edge order: cores, then gpu0, then memory */
    rg_eid_t e = rg_out_first(g, 4, RG_SYM_CONTAINMENT);
    int n = 0;
    rg_vid_t last = 0;
    for (; e != RG_EID_NONE; e = rg_out_next(g, e, RG_SYM_CONTAINMENT), n++)
        last = rg_edge_get(g, e)->dst;
    ck_assert_int_eq(n, 23);
    ck_assert_uint_eq(last, 87);
    ck_assert_uint_eq(rg_graph_root(g, RG_SYM_CONTAINMENT), 0);
    ck_assert_uint_eq(rg_vertex_find_type_rank(g, rg_sym_find(g, "node"), 1), 3);
    rg_graph_destroy(g);
    struct jgf_opts opts = {.keep_unit = true};
    g = jgf_load(JGF_DIR "/tiny.json", &opts, &err);
    v = rg_vertex_find_path(g, RG_SYM_CONTAINMENT, "/tiny0/rack0/node0/socket0/memory2");
    ck_assert_str_eq(rg_sym_str(g, rg_vertex_get(g, v)->unit), "GB");
    rg_graph_destroy(g);
}
END_TEST

/* Optional keys take Fluxion's defaults; edges may precede nodes; the old
 * "name" form of edge metadata gives subsystem and relation. */
START_TEST(test_defaults)
{
    static const char text[] =
        "{\"graph\": {\"edges\": [{\"source\": \"7\", \"target\": \"8\"},\n"
        " {\"source\": \"8\", \"target\": \"9\", \"metadata\": {\"name\": "
        "{\"containment\": \"contains\"}}}],\n"
        " \"nodes\": [{\"id\": \"7\", \"metadata\": {\"type\": \"cluster\", \"name\": "
        "\"c\", "
        "\"paths\": {\"containment\": \"/c\"}}},\n"
        " {\"id\": \"8\", \"metadata\": {\"type\": \"node\", \"name\": \"host42\", "
        "\"rank\": 3, \"properties\": {\"ssd\": \"\"}, \"paths\": {\"containment\": "
        "\"/c/host42\"}}},\n"
        " {\"id\": \"9\", \"metadata\": {\"type\": \"core\", \"status\": 1, "
        "\"exclusive\": "
        "true, \"size\": 4, \"unit\": \"x\", \"paths\": {\"containment\": "
        "\"/c/host42/core9\"}}}]}}";
    eng_error_t err;
    rg_graph_t *g = jgf_parse(text, strlen(text), NULL, NULL, &err);
    ck_assert_msg(g != NULL, "%d:%d: %s", err.line, err.column, err.text);
    const struct rg_vertex *c = rg_vertex_get(g, 0), *n = rg_vertex_get(g, 1),
                           *k = rg_vertex_get(g, 2);
    ck_assert_int_eq(c->uniq_id, 7);
    ck_assert_int_eq(c->id, 7);
    ck_assert_int_eq(c->rank, -1);
    ck_assert_str_eq(rg_sym_str(g, c->basename), "cluster");
    ck_assert_int_eq(n->id, 42); /* trailing digits of the node's name */
    ck_assert_int_eq(n->rank, 3);
    ck_assert_str_eq(rg_vertex_prop_get(g, 1, "ssd"), "");
    ck_assert_str_eq(rg_sym_str(g, k->name), "core9"); /* basename + id */
    ck_assert_int_eq(k->size, 4);
    ck_assert_uint_eq(k->flags & (RG_VF_EXCLUSIVE | RG_VF_DOWN),
                      RG_VF_EXCLUSIVE | RG_VF_DOWN);
    ck_assert_uint_eq(k->parent, 1);
    ck_assert_uint_eq(rg_graph_edge_count(g), 2);
    rg_graph_t *h = roundtrip(g);
    ck_assert(rg_graph_equal(g, h, NULL, 0));
    rg_graph_destroy(h);
    rg_graph_destroy(g);
}
END_TEST

/* Escapes are decoded on input and re-escaped on output. */
START_TEST(test_escapes)
{
    static const char text[] =
        "{\"graph\": {\"nodes\": [{\"id\": \"0\", \"metadata\": {\"type\": "
        "\"cluster\", \"name\": \"c\\u00e9\\\"q\\\\\\t\", \"properties\": {\"k\\/x\": "
        "\"\\ud83d\\ude00\"}, \"paths\": {\"containment\": "
        "\"/c\\u00e9\\\"q\\\\\\t\"}}}], "
        "\"edges\": []}}";
    eng_error_t err;
    rg_graph_t *g = jgf_parse(text, strlen(text), NULL, NULL, &err);
    ck_assert_msg(g != NULL, "%d:%d: %s", err.line, err.column, err.text);
    ck_assert_str_eq(rg_sym_str(g, rg_vertex_get(g, 0)->name), "c\xc3\xa9\"q\\\t");
    ck_assert_str_eq(rg_vertex_prop_get(g, 0, "k/x"), "\xf0\x9f\x98\x80");
    ck_assert_uint_eq(rg_graph_root(g, RG_SYM_CONTAINMENT), 0);
    rg_graph_t *h = roundtrip(g);
    ck_assert(rg_graph_equal(g, h, NULL, 0));
    rg_graph_destroy(h);
    rg_graph_destroy(g);
}
END_TEST

START_TEST(test_in_edges_and_power)
{
    eng_error_t err;
    rg_graph_t *g = jgf_load(JGF_DIR "/elastic/node-1-partial-cancel.json", NULL, &err);
    ck_assert_ptr_nonnull(g);
    /* the file has both directions: "in" edges are recognised from paths */
    rg_eid_t e = rg_out_first(g, 1, RG_SYM_CONTAINMENT);
    ck_assert_uint_eq(rg_edge_get(g, e)->relation, RG_SYM_IN);
    ck_assert_int_eq(rg_graph_check_tree(g, RG_SYM_CONTAINMENT, NULL), 0);
    rg_graph_destroy(g);
    g = jgf_load(JGF_DIR "/power.json", NULL, &err);
    ck_assert_ptr_nonnull(g);
    rg_sym_t power = rg_sym_find(g, "power");
    ck_assert_uint_eq(rg_graph_subsystem_edge_count(g, power), 580);
    ck_assert_uint_ne(rg_graph_root(g, power), RG_VID_NONE);
    ck_assert_uint_ne(rg_vertex_find_path(g, power, "/powerpanel0/pdu0"), RG_VID_NONE);
    rg_graph_destroy(g);
}
END_TEST

START_TEST(test_attach)
{
    eng_error_t err;
    rg_graph_t *g = jgf_load(JGF_DIR "/elastic/node-test.json", NULL, &err);
    ck_assert_ptr_nonnull(g);
    size_t before = rg_graph_vertex_count(g), len = 0, added = 99;
    char *text = fio_read_all(JGF_DIR "/elastic/node-test.json", 1 << 20, &len, &err);
    ck_assert_int_eq(jgf_attach(g, text, len, "same", &added, &err), 0);
    ck_assert_uint_eq(added, 0); /* attaching the same graph changes nothing */
    free(text);
    text = fio_read_all(JGF_DIR "/elastic/node-add-test.json", 1 << 20, &len, &err);
    ck_assert_int_eq(jgf_attach(g, text, len, "add", &added, &err), 0);
    ck_assert_uint_gt(added, 0);
    ck_assert_uint_eq(rg_graph_vertex_count(g), before + added);
    ck_assert_int_eq(rg_graph_check_tree(g, RG_SYM_CONTAINMENT, NULL), 0);
    free(text);
    /* a malformed fragment leaves the graph alone */
    size_t vids = rg_graph_vid_bound(g);
    ck_assert_int_eq(jgf_attach(g, "{\"graph\": 1}", 12, "bad", NULL, &err), ENG_EPARSE);
    ck_assert_uint_eq(rg_graph_vid_bound(g), vids);
    rg_graph_destroy(g);
}
END_TEST

START_TEST(test_limits_and_badparam)
{
    eng_error_t err;
    struct jgf_opts opts = {.max_vertices = 50};
    ck_assert_ptr_null(jgf_load(JGF_DIR "/tiny.json", &opts, &err));
    ck_assert_int_eq(err.code, ENG_ELIMIT);
    ck_assert_str_eq(err.text, "graph.nodes[50]: more than 50 vertices");
    ck_assert_ptr_null(jgf_load("/nonexistent/x.json", NULL, &err));
    ck_assert_int_eq(err.code, ENG_EIO);
    ck_assert_ptr_null(jgf_parse("{}", 2, NULL, NULL, NULL)); /* NULL err is fine */
    rg_graph_t *g = rg_graph_create();
    ck_assert_int_lt(jgf_dump(g, "/nonexistent/d/x", &err), 0);
    rg_graph_destroy(g);
}
END_TEST

/* Every tests/data/jgf/invalid/<case>/input.json fails to load with the
 * position and text of its 'error' file and names its path as the source. */
static void check_invalid(const struct corpus_case *c, void *arg)
{
    (void)arg;
    eng_error_t err;
    rg_graph_t *g = jgf_load(c->input, NULL, &err);
    ck_assert_msg(g == NULL, "%s: loaded", c->input);
    corpus_assert_error(c, &err, false);
    ck_assert_str_eq(err.source, c->input);
}

START_TEST(test_invalid_cases)
{
    static const char *const inputs[] = {"input.json", NULL};
    ck_assert_int_ge(corpus_each(SCHEDSIM_SOURCE_DIR "/tests/data/jgf/invalid", inputs,
                                 check_invalid, NULL),
                     30);
}
END_TEST

Suite *jgf_suite(void)
{
    Suite *s = suite_create("jgf");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_shared_jgfs);
    tcase_add_test(tc, test_tiny_contents);
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_escapes);
    tcase_add_test(tc, test_in_edges_and_power);
    tcase_add_test(tc, test_attach);
    tcase_add_test(tc, test_limits_and_badparam);
    tcase_add_test(tc, test_invalid_cases);
    suite_add_tcase(s, tc);
    return s;
}
