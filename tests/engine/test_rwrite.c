/* test_rwrite.c: the match writers against the exact text Fluxion's writers
 * produce (samples from the conformance pack's expected outputs). */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rwrite.h"

/* A vertex of a small containment tree. */
static struct rwrite_vertex vtx(struct rwrite_kv *p, const char *type, const char *name,
                                int64_t id, int64_t uniq, int64_t rank, const char *path)
{
    p->key = "containment";
    p->value = path;
    return (struct rwrite_vertex){.uniq_id = uniq,
                                  .type = type,
                                  .name = name,
                                  .id = id,
                                  .rank = rank,
                                  .paths = p,
                                  .npaths = 1};
}

static char *emit(rwrite_t *w)
{
    char *out = NULL;
    eng_error_t err = {0};
    ck_assert_int_eq(rwrite_emit(w, &out, &err), 0);
    ck_assert_ptr_nonnull(out);
    return out;
}

/* Emit the t3001-001 first job (core35 < socket1 < node1 < rack0 < tiny0). */
static void emit_chain(rwrite_t *w)
{
    struct rwrite_kv kv[5];
    struct rwrite_vertex v[] = {
        vtx(&kv[0], "core", "core35", 35, 40, -1, "/tiny0/rack0/node1/socket1/core35"),
        vtx(&kv[1], "socket", "socket1", 1, 7, -1, "/tiny0/rack0/node1/socket1"),
        vtx(&kv[2], "node", "node1", 1, 3, -1, "/tiny0/rack0/node1"),
        vtx(&kv[3], "rack", "rack0", 0, 1, -1, "/tiny0/rack0"),
        vtx(&kv[4], "cluster", "tiny0", 0, 0, -1, "/tiny0"),
    };
    static const unsigned level[] = {5, 4, 3, 2, 1};
    static const int64_t parent[] = {7, 3, 1, 0};
    for (int i = 0; i < 5; i++) {
        if (i > 0)
            ck_assert_int_eq(
                rwrite_emit_edge(w, parent[i - 1], v[i - 1].uniq_id, NULL, false, NULL),
                0);
        ck_assert_int_eq(
            rwrite_emit_vertex(w, &v[i], level[i], 1, i < 2, false, NULL, 0, NULL), 0);
    }
}

START_TEST(test_simple)
{
    rwrite_t *w = rwrite_create(RWRITE_SIMPLE, NULL);
    ck_assert(rwrite_is_empty(w));
    emit_chain(w);
    ck_assert(!rwrite_is_empty(w));
    char *out = emit(w);
    ck_assert_str_eq(out, "      ---------------core35[1:x]\n"
                          "      ------------socket1[1:x]\n"
                          "      ---------node1[1:s]\n"
                          "      ------rack0[1:s]\n"
                          "      ---tiny0[1:s]\n");
    free(out);
    ck_assert(rwrite_is_empty(w));
    out = emit(w);
    ck_assert_str_eq(out, "");
    free(out);
    rwrite_destroy(w);
}
END_TEST

START_TEST(test_pretty)
{
    rwrite_t *w = rwrite_create(RWRITE_PRETTY_SIMPLE, NULL);
    emit_chain(w);
    char *out = emit(w);
    ck_assert_str_eq(out, "      ---tiny0[1:shared]\n"
                          "      ------rack0[1:shared]\n"
                          "      ---------node1[1:shared]\n"
                          "      ------------socket1[1:exclusive]\n"
                          "      ---------------core35[1:exclusive]\n");
    free(out);
    rwrite_destroy(w);
}
END_TEST

START_TEST(test_jgf)
{
    struct rwrite_kv kv[5];
    rwrite_t *w = rwrite_create(RWRITE_JGF, NULL);
    struct rwrite_kv props[] = {{"zeta", "1"}, {"alpha", ""}};
    struct rwrite_kv agf[] = {{"gpu", "used:0, total:1"}, {"core", "used:0, total:18"}};
    struct rwrite_vertex s =
        vtx(&kv[0], "socket", "socket0", 0, 4, -1, "/tiny0/rack0/node0/socket0");
    struct rwrite_vertex m =
        vtx(&kv[1], "memory", "mem2", 2, 9, 3, "/tiny0/rack0/node0/mem2");
    m.basename = "mem";
    m.unit = "GB";
    m.properties = props;
    m.nproperties = 2;
    struct rwrite_vertex n = vtx(&kv[2], "node", "node0", 0, 2, 0, "/tiny0/rack0/node0");
    n.name = "weird";
    ck_assert_int_eq(rwrite_emit_vertex(w, &s, 4, 1, true, false, agf, 2, NULL), 0);
    ck_assert_int_eq(rwrite_emit_vertex(w, &m, 4, 8, false, false, NULL, 0, NULL), 0);
    ck_assert_int_eq(rwrite_emit_edge(w, 2, 4, NULL, false, NULL), 0);
    ck_assert_int_eq(rwrite_emit_edge(w, 2, 9, "power", false, NULL), 0);
    ck_assert_int_eq(rwrite_emit_vertex(w, &n, 3, 1, true, false, NULL, 0, NULL), 0);
    char *out = emit(w);
    ck_assert_str_eq(
        out,
        "{\"graph\": {\"nodes\": [{\"id\": \"4\", \"metadata\": {\"type\": \"socket\", "
        "\"id\": 0, \"rank\": -1, \"exclusive\": true, \"paths\": {\"containment\": "
        "\"/tiny0/rack0/node0/socket0\"}, \"agfilter\": {\"core\": \"used:0, total:18\", "
        "\"gpu\": \"used:0, total:1\"}}}, {\"id\": \"9\", \"metadata\": {\"type\": "
        "\"memory\", \"basename\": \"mem\", \"id\": 2, \"rank\": 3, \"properties\": "
        "{\"alpha\": \"\", \"zeta\": \"1\"}, \"unit\": \"GB\", \"size\": 8, \"paths\": "
        "{\"containment\": \"/tiny0/rack0/node0/mem2\"}}}, {\"id\": \"2\", \"metadata\": "
        "{\"type\": \"node\", \"name\": \"weird\", \"id\": 0, \"rank\": 0, "
        "\"exclusive\": "
        "true, \"paths\": {\"containment\": \"/tiny0/rack0/node0\"}}}], \"edges\": "
        "[{\"source\": \"2\", \"target\": \"4\"}, {\"source\": \"2\", \"target\": \"9\", "
        "\"metadata\": {\"subsystem\": \"power\"}}]}}\n");
    free(out);
    ck_assert(rwrite_is_empty(w));
    /* vertices without edges: Fluxion's writer fails with ENOENT, keeps them */
    ck_assert_int_eq(rwrite_emit_vertex(w, &n, 3, 1, true, false, NULL, 0, NULL), 0);
    eng_error_t err = {0};
    ck_assert_int_eq(rwrite_emit(w, &out, &err), ENG_ENOENT);
    ck_assert_ptr_null(out);
    ck_assert(!rwrite_is_empty(w));
    rwrite_reset(w);
    ck_assert(rwrite_is_empty(w));
    rwrite_destroy(w);
}
END_TEST

START_TEST(test_jgf_shorthand)
{
    struct rwrite_kv kv[5];
    rwrite_t *w = rwrite_create(RWRITE_JGF_SHORTHAND, NULL);
    struct rwrite_vertex c = vtx(&kv[0], "core", "core0", 0, 5, 0, "/c0/node0/core0");
    struct rwrite_vertex n = vtx(&kv[1], "node", "node0", 0, 1, 0, "/c0/node0");
    struct rwrite_vertex r = vtx(&kv[2], "cluster", "c0", 0, 0, -1, "/c0");
    ck_assert_int_eq(rwrite_emit_vertex(w, &c, 3, 1, true, true, NULL, 0, NULL), 0);
    ck_assert_int_eq(rwrite_emit_edge(w, 1, 5, NULL, true, NULL), 0);
    ck_assert_int_eq(rwrite_emit_vertex(w, &n, 2, 1, true, false, NULL, 0, NULL), 0);
    ck_assert_int_eq(rwrite_emit_edge(w, 0, 1, NULL, false, NULL), 0);
    ck_assert_int_eq(rwrite_emit_vertex(w, &r, 1, 1, false, false, NULL, 0, NULL), 0);
    char *out = emit(w);
    ck_assert_ptr_null(strstr(out, "core"));
    ck_assert_ptr_nonnull(strstr(out, "]}, \"writer\": \"fluxion:jgf_shorthand\"}\n"));
    free(out);
    rwrite_destroy(w);
}
END_TEST

/* t3027-001 (expected/RV/R1.out): 4 nodes x 2 sockets x (18 cores, 1 gpu). */
static void emit_4nodes(rwrite_t *w)
{
    struct rwrite_kv kv[3];
    char name[32], path[96];
    int64_t uniq = 100;
    for (int node = 0; node < 4; node++) {
        for (int sock = 0; sock < 2; sock++) {
            for (int core = 0; core < 18; core++) {
                int id = sock * 18 + core;
                snprintf(name, sizeof name, "core%d", id);
                snprintf(path, sizeof path, "/c/node%d/socket%d/core%d", node, sock, id);
                struct rwrite_vertex v =
                    vtx(&kv[0], "core", name, id, uniq++, node, path);
                ck_assert_int_eq(
                    rwrite_emit_vertex(w, &v, 4, 1, true, false, NULL, 0, NULL), 0);
                ck_assert_int_eq(rwrite_emit_edge(w, 1, v.uniq_id, NULL, false, NULL), 0);
            }
            snprintf(name, sizeof name, "gpu%d", sock);
            struct rwrite_vertex g = vtx(&kv[1], "gpu", name, sock, uniq++, node, "/c/g");
            ck_assert_int_eq(rwrite_emit_vertex(w, &g, 4, 1, true, false, NULL, 0, NULL),
                             0);
        }
        snprintf(name, sizeof name, "node%d", node);
        struct rwrite_vertex n = vtx(&kv[2], "node", name, node, uniq++, node, "/c/n");
        ck_assert_int_eq(rwrite_emit_vertex(w, &n, 2, 1, false, false, NULL, 0, NULL), 0);
    }
}

START_TEST(test_rv1_nosched)
{
    rwrite_t *w = rwrite_create(RWRITE_RV1_NOSCHED, NULL);
    emit_4nodes(w);
    rwrite_set_times(w, 0, 3600);
    char *out = emit(w);
    ck_assert_str_eq(out,
                     "{\"version\": 1, \"execution\": {\"R_lite\": [{\"rank\": \"0-3\", "
                     "\"children\": {\"core\": \"0-35\", \"gpu\": \"0-1\"}}], "
                     "\"nodelist\": [\"node[0-3]\"], \"starttime\": 0, \"expiration\": "
                     "3600}}\n");
    free(out);
    rwrite_destroy(w);
}
END_TEST

/* Core ids in any order, repeated or not, reduce to sorted ranges. */
START_TEST(test_rlite_ids)
{
    static const int ids[] = {7, 3, 1, 2, 2, 9, 10, 11, 0};
    struct rwrite_kv kv[10];
    rwrite_t *w = rwrite_create(RWRITE_RLITE, NULL);
    for (int i = 0; i < 9; i++) {
        char name[16];
        snprintf(name, sizeof name, "core%d", ids[i]);
        struct rwrite_vertex c = vtx(&kv[i], "core", name, ids[i], i, 4, "/c/n4/core");
        ck_assert_int_eq(rwrite_emit_vertex(w, &c, 2, 1, true, false, NULL, 0, NULL), 0);
    }
    struct rwrite_vertex n = vtx(&kv[9], "node", "n4", 4, 20, 4, "/c/n4");
    ck_assert_int_eq(rwrite_emit_vertex(w, &n, 1, 1, true, false, NULL, 0, NULL), 0);
    char *out = emit(w);
    ck_assert_str_eq(out,
                     "[{\"rank\": \"4\", \"children\": {\"core\": \"0-3,7,9-11\"}}]\n");
    free(out);
    rwrite_destroy(w);
}
END_TEST

/* rwrite_emit_rg_ids() records what the cores' and gpus' own emits would,
 * in any order; writers that keep more than R_lite refuse it. */
START_TEST(test_emit_rg_ids)
{
    static const int64_t core[] = {5, 4, 0, 1, 2}, gpu[] = {1, 0};
    static const enum rwrite_format fmts[] = {RWRITE_RLITE, RWRITE_RV1_NOSCHED};
    for (size_t f = 0; f < 2; f++) {
        rwrite_t *w = rwrite_create(fmts[f], NULL);
        ck_assert(rwrite_ids_only(w));
        ck_assert_int_eq(rwrite_emit_rg_ids(w, core, 5, gpu, 2, NULL), 0);
        struct rwrite_kv kv[1];
        struct rwrite_vertex n = vtx(&kv[0], "node", "n4", 4, 20, 4, "/c/n4");
        ck_assert_int_eq(rwrite_emit_vertex(w, &n, 1, 1, true, false, NULL, 0, NULL), 0);
        rwrite_set_times(w, 0, 60);
        char *out = emit(w);
        ck_assert_ptr_nonnull(strstr(out, "\"children\": {\"core\": \"0-2,4-5\", "
                                          "\"gpu\": \"0-1\"}"));
        free(out);
        rwrite_destroy(w);
    }
    static const enum rwrite_format others[] = {RWRITE_SIMPLE, RWRITE_RV1, RWRITE_JGF};
    for (size_t f = 0; f < 3; f++) {
        rwrite_t *w = rwrite_create(others[f], NULL);
        eng_error_t err = {0};
        ck_assert(!rwrite_ids_only(w));
        ck_assert_int_eq(rwrite_emit_rg_ids(w, core, 5, NULL, 0, &err), ENG_EINVAL);
        rwrite_destroy(w);
    }
}
END_TEST

START_TEST(test_rlite_rv1)
{
    struct rwrite_kv kv[5];
    rwrite_t *w = rwrite_create(RWRITE_RLITE, NULL);
    struct rwrite_kv props[] = {{"arm", ""}, {"class", "a"}};
    struct rwrite_vertex c1 = vtx(&kv[0], "core", "core1", 1, 10, 5, "/c/n5/core1");
    struct rwrite_vertex c0 = vtx(&kv[1], "core", "core0", 0, 11, 5, "/c/n5/core0");
    struct rwrite_vertex n5 = vtx(&kv[2], "node", "n5", 5, 12, 5, "/c/n5");
    struct rwrite_vertex c3 = vtx(&kv[3], "core", "core3", 3, 13, 2, "/c/n2/core3");
    struct rwrite_vertex n2 = vtx(&kv[4], "node", "n2", 2, 14, 2, "/c/n2");
    n2.properties = props;
    n2.nproperties = 2;
    const struct rwrite_vertex *seq[] = {&c1, &c0, &n5, &c3, &n2};
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(rwrite_emit_vertex(w, seq[i], 2, 1, true, false, NULL, 0, NULL),
                         0);
    char *out = emit(w);
    /* entries in the byte order of their children text */
    ck_assert_str_eq(out,
                     "[{\"rank\": \"5\", \"children\": {\"core\": \"0-1\"}}, {\"rank\": "
                     "\"2\", \"children\": {\"core\": \"3\"}}]\n");
    free(out);
    eng_error_t err = {0};
    ck_assert_int_eq(rwrite_emit(w, &out, &err), ENG_EINVAL); /* nothing gathered */
    rwrite_destroy(w);

    w = rwrite_create(RWRITE_RV1, NULL);
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(rwrite_emit_vertex(w, seq[i], 2, 1, true, false, NULL, 0, NULL),
                         0);
        ck_assert_int_eq(rwrite_emit_edge(w, 0, seq[i]->uniq_id, NULL, false, NULL), 0);
    }
    rwrite_set_times(w, 10, 20);
    ck_assert_int_eq(rwrite_set_attr(w, "queue", "batch", NULL), 0);
    ck_assert_int_eq(rwrite_set_attr(w, "a", "b", NULL), 0);
    out = emit(w);
    ck_assert_ptr_nonnull(strstr(
        out,
        "{\"version\": 1, \"execution\": {\"R_lite\": [{\"rank\": \"5\", \"children\": "
        "{\"core\": \"0-1\"}}, {\"rank\": \"2\", \"children\": {\"core\": \"3\"}}], "
        "\"nodelist\": [\"n[2,5]\"], \"properties\": {\"arm\": \"2\", \"class=a\": "
        "\"2\"}, \"starttime\": 10, \"expiration\": 20}, \"scheduling\": {\"graph\": "));
    ck_assert_ptr_nonnull(
        strstr(out, "}, \"attributes\": {\"system\": {\"scheduler\": {\"a\": \"b\", "
                    "\"queue\": \"batch\"}}}}\n"));
    free(out);
    rwrite_destroy(w);
}
END_TEST

START_TEST(test_negative_rank)
{
    struct rwrite_kv kv[5];
    rwrite_t *w = rwrite_create(RWRITE_RV1_NOSCHED, NULL);
    struct rwrite_vertex c = vtx(&kv[0], "core", "core0", 0, 1, -1, "/c/n/core0");
    struct rwrite_vertex n = vtx(&kv[1], "node", "n0", 0, 2, -1, "/c/n0");
    ck_assert_int_eq(rwrite_emit_vertex(w, &c, 2, 1, true, false, NULL, 0, NULL), 0);
    ck_assert_int_eq(rwrite_emit_vertex(w, &n, 2, 1, true, false, NULL, 0, NULL), 0);
    char *out;
    eng_error_t err = {0};
    ck_assert_int_eq(rwrite_emit(w, &out, &err), ENG_EINVAL);
    ck_assert_ptr_null(out);
    rwrite_destroy(w);
}
END_TEST

START_TEST(test_formats)
{
    static const char *names[] = {"simple",        "pretty_simple", "jgf",
                                  "jgf_shorthand", "rlite",         "rv1",
                                  "rv1_nosched",   "rv1_shorthand"};
    for (int i = 0; i < 8; i++) {
        enum rwrite_format f;
        ck_assert_int_eq(rwrite_format_parse(names[i], &f), 0);
        ck_assert_str_eq(rwrite_format_name(f), names[i]);
        ck_assert(rwrite_format_is_known(names[i]));
    }
    enum rwrite_format f = RWRITE_JGF;
    ck_assert_int_eq(rwrite_format_parse("json", &f), ENG_EINVAL);
    ck_assert_int_eq(rwrite_format_parse(NULL, &f), ENG_EINVAL);
    ck_assert_int_eq(f, RWRITE_JGF);
    ck_assert_ptr_null(rwrite_format_name((enum rwrite_format)99));
    eng_error_t err = {0};
    ck_assert_ptr_null(rwrite_create((enum rwrite_format)99, &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    rwrite_destroy(NULL);
}
END_TEST

/* rv1_nosched and rlite are written as text, not through jansson: check
 * them against jansson's dump of the same objects, with names and property
 * keys that need escaping. */
START_TEST(test_text_matches_jansson)
{
    struct rwrite_kv kv[4];
    struct rwrite_kv props[] = {{"we\"ird\\key\x01\t/\xc3\xa9", "v"}, {"plain", ""}};
    struct rwrite_vertex c0 = vtx(&kv[0], "core", "core0", 0, 10, 7, "/c/n/core0");
    struct rwrite_vertex g1 = vtx(&kv[1], "gpu", "gpu1", 1, 11, 7, "/c/n/gpu1");
    struct rwrite_vertex n = vtx(&kv[2], "node", "h\"x\x1f", 7, 12, 7, "/c/n");
    n.properties = props;
    n.nproperties = 2;
    rwrite_t *w = rwrite_create(RWRITE_RV1_NOSCHED, NULL);
    const struct rwrite_vertex *seq[] = {&c0, &g1, &n};
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(rwrite_emit_vertex(w, seq[i], 2, 1, true, false, NULL, 0, NULL),
                         0);
    rwrite_set_times(w, 5, -3);
    char *out = emit(w);
    json_t *want =
        json_pack("{s:i s:{s:[{s:s s:{s:s s:s}}] s:[s] s:{s:s s:s} s:I s:I}}", "version",
                  1, "execution", "R_lite", "rank", "7", "children", "core", "0", "gpu",
                  "1", "nodelist", "h\"x\x1f", "properties", "plain", "7",
                  "we\"ird\\key\x01\t/\xc3\xa9=v", "7", "starttime", (json_int_t)5,
                  "expiration", (json_int_t)-3);
    char *dump = json_dumps(want, JSON_INDENT(0));
    ck_assert_ptr_nonnull(dump);
    size_t n_out = strlen(out);
    ck_assert(n_out > 0 && out[n_out - 1] == '\n');
    out[n_out - 1] = '\0';
    ck_assert_str_eq(out, dump);
    free(dump);
    json_decref(want);
    free(out);
    /* nothing gathered: rv1_nosched writes nothing, rlite fails */
    out = emit(w);
    ck_assert_str_eq(out, "");
    free(out);
    rwrite_destroy(w);
}
END_TEST

static rg_vid_t add_vertex(rg_graph_t *g, const char *type, int64_t id, int64_t uniq,
                           int64_t rank, rg_vid_t parent, const char *path)
{
    struct rg_vertex_init init;
    rg_vertex_init_default(&init);
    init.type = rg_sym_intern(g, type);
    init.id = id;
    init.uniq_id = uniq;
    init.rank = rank;
    rg_vid_t v = rg_vertex_add(g, &init, NULL);
    ck_assert_uint_ne(v, RG_VID_NONE);
    if (parent != RG_VID_NONE)
        ck_assert_uint_ne(
            rg_edge_add(g, parent, v, RG_SYM_CONTAINMENT, RG_SYM_CONTAINS, NULL),
            RG_EID_NONE);
    ck_assert_int_eq(rg_vertex_path_set(g, v, RG_SYM_CONTAINMENT, path, NULL), 0);
    return v;
}

START_TEST(test_rg)
{
    rg_graph_t *g = rg_graph_create();
    rg_vid_t c = add_vertex(g, "cluster", 0, 0, -1, RG_VID_NONE, "/cluster0");
    rg_vid_t n = add_vertex(g, "node", 7, 1, 3, c, "/cluster0/node7");
    rg_vid_t k = add_vertex(g, "core", 2, 2, 3, n, "/cluster0/node7/core2");
    ck_assert_int_eq(rg_vertex_prop_set(g, n, "arch", "x86"), 0);
    rwrite_t *w = rwrite_create(RWRITE_RV1, NULL);
    ck_assert_int_eq(
        rwrite_emit_rg_vertex(w, g, k, 3, 1, true, false, NULL, 0, NULL, 0, NULL), 0);
    ck_assert_int_eq(
        rwrite_emit_rg_edge(w, g, rg_in_first(g, k, RG_SYM_CONTAINMENT), false, NULL), 0);
    ck_assert_int_eq(
        rwrite_emit_rg_vertex(w, g, n, 2, 1, false, false, NULL, 0, NULL, 0, NULL), 0);
    ck_assert_int_eq(
        rwrite_emit_rg_edge(w, g, rg_in_first(g, n, RG_SYM_CONTAINMENT), false, NULL), 0);
    ck_assert_int_eq(
        rwrite_emit_rg_vertex(w, g, c, 1, 1, false, false, NULL, 0, NULL, 0, NULL), 0);
    rwrite_set_times(w, 0, 3600);
    char *out = emit(w);
    ck_assert_str_eq(
        out,
        "{\"version\": 1, \"execution\": {\"R_lite\": [{\"rank\": \"3\", \"children\": "
        "{\"core\": \"2\"}}], \"nodelist\": [\"node7\"], \"properties\": {\"arch=x86\": "
        "\"3\"}, \"starttime\": 0, \"expiration\": 3600}, \"scheduling\": {\"graph\": "
        "{\"nodes\": [{\"id\": \"2\", \"metadata\": {\"type\": \"core\", \"id\": 2, "
        "\"rank\": 3, \"exclusive\": true, \"paths\": {\"containment\": "
        "\"/cluster0/node7/core2\"}}}, {\"id\": \"1\", \"metadata\": {\"type\": "
        "\"node\", "
        "\"id\": 7, \"rank\": 3, \"properties\": {\"arch\": \"x86\"}, \"paths\": "
        "{\"containment\": \"/cluster0/node7\"}}}, {\"id\": \"0\", \"metadata\": "
        "{\"type\": "
        "\"cluster\", \"id\": 0, \"rank\": -1, \"paths\": {\"containment\": "
        "\"/cluster0\"}}}], \"edges\": [{\"source\": \"1\", \"target\": \"2\"}, "
        "{\"source\": \"0\", \"target\": \"1\"}]}}}\n");
    free(out);
    eng_error_t err = {0};
    ck_assert_int_eq(
        rwrite_emit_rg_vertex(w, g, 99, 1, 1, false, false, NULL, 0, NULL, 0, &err),
        ENG_EINVAL);
    rwrite_destroy(w);
    rg_graph_destroy(g);
}
END_TEST

/* rwrite_take_rlite() gives what jansson's compact dump of the emitted
 * R_lite and the nodelist entry are, and forgets the record. */
/* A node with the ids of the node before it joins that node's entry; one
 * whose entry was shifted by a new entry before it, or gathered again after
 * the record was taken, is found by its text. */
START_TEST(test_rlite_same_ids)
{
    static const struct {
        const char *node;
        int64_t rank, cores[2];
    } seq[] = {{"n0", 0, {3, -1}}, {"n1", 1, {3, -1}}, {"n2", 2, {0, -1}},
               {"n3", 3, {3, -1}}, {"n4", 4, {3, -1}}, {"n5", 5, {0, 1}},
               {"n6", 6, {0, 1}},  {"n7", 7, {0, -1}}};
    rwrite_t *w = rwrite_create(RWRITE_RV1_NOSCHED, NULL);
    for (int round = 0; round < 2; round++) {
        size_t n = sizeof seq / sizeof seq[0];
        for (size_t i = round == 0 ? 0 : n - 1; i < n; i++) { /* again: the last */
            struct rwrite_kv kv[3];
            for (int k = 0; k < 2 && seq[i].cores[k] >= 0; k++) {
                struct rwrite_vertex c =
                    vtx(&kv[k], "core", "core", seq[i].cores[k], 100, seq[i].rank, "/c");
                ck_assert_int_eq(
                    rwrite_emit_vertex(w, &c, 2, 1, true, false, NULL, 0, NULL), 0);
            }
            struct rwrite_vertex v = vtx(&kv[2], "node", seq[i].node, seq[i].rank,
                                         (int64_t)i, seq[i].rank, "/c/n");
            ck_assert_int_eq(rwrite_emit_vertex(w, &v, 2, 1, true, false, NULL, 0, NULL),
                             0);
        }
        char *rl = NULL, *nl = NULL;
        ck_assert_int_eq(rwrite_take_rlite(w, &rl, &nl, NULL), 0);
        if (round == 0) {
            ck_assert_str_eq(rl, "[{\"rank\":\"2,7\",\"children\":{\"core\":\"0\"}},"
                                 "{\"rank\":\"5-6\",\"children\":{\"core\":\"0-1\"}},"
                                 "{\"rank\":\"0-1,3-4\",\"children\":{\"core\":\"3\"}}]");
            ck_assert_str_eq(nl, "n[0-7]");
        } else {
            ck_assert_str_eq(rl, "[{\"rank\":\"7\",\"children\":{\"core\":\"0\"}}]");
            ck_assert_str_eq(nl, "n7");
        }
        free(rl);
        free(nl);
    }
    rwrite_destroy(w);
}
END_TEST

START_TEST(test_take_rlite)
{
    for (int round = 0; round < 2; round++) {
        rwrite_t *w[2] = {rwrite_create(RWRITE_RV1_NOSCHED, NULL),
                          rwrite_create(RWRITE_RV1_NOSCHED, NULL)};
        for (int k = 0; k < 2; k++) {
            if (round == 0) {
                emit_4nodes(w[k]);
            } else {
                struct rwrite_kv kv[4];
                struct rwrite_vertex c1 = vtx(&kv[0], "core", "core1", 1, 10, 5, "/c");
                struct rwrite_vertex n5 = vtx(&kv[1], "node", "n5", 5, 12, 5, "/c/n5");
                struct rwrite_vertex c3 = vtx(&kv[2], "core", "core3", 3, 13, 2, "/c");
                struct rwrite_vertex n2 = vtx(&kv[3], "node", "n2", 2, 14, 2, "/c/n2");
                const struct rwrite_vertex *seq[] = {&c1, &n5, &c3, &n2};
                for (int i = 0; i < 4; i++)
                    ck_assert_int_eq(rwrite_emit_vertex(w[k], seq[i], 2, 1, true, false,
                                                        NULL, 0, NULL),
                                     0);
            }
        }
        char *out = emit(w[0]);
        json_t *r = json_loads(out, 0, NULL);
        ck_assert_ptr_nonnull(r);
        char *want = json_dumps(
            json_object_get(json_object_get(r, "execution"), "R_lite"), JSON_COMPACT);
        const char *want_nl = json_string_value(json_array_get(
            json_object_get(json_object_get(r, "execution"), "nodelist"), 0));
        char *rl = NULL, *nl = NULL;
        ck_assert_int_eq(rwrite_take_rlite(w[1], &rl, &nl, NULL), 0);
        ck_assert_str_eq(rl, want);
        ck_assert_str_eq(nl, want_nl);
        ck_assert(rwrite_is_empty(w[1]));
        free(rl);
        free(nl);
        eng_error_t err = {0};
        ck_assert_int_eq(rwrite_take_rlite(w[1], &rl, &nl, &err), ENG_EINVAL);
        ck_assert_ptr_null(rl);
        ck_assert_ptr_null(nl);
        free(want);
        free(out);
        json_decref(r);
        rwrite_destroy(w[0]);
        rwrite_destroy(w[1]);
    }
    rwrite_t *j = rwrite_create(RWRITE_JGF, NULL);
    char *rl, *nl;
    ck_assert_int_eq(rwrite_take_rlite(j, &rl, &nl, NULL), ENG_EINVAL);
    rwrite_destroy(j);
}
END_TEST

Suite *rwrite_suite(void)
{
    Suite *s = suite_create("rwrite");
    TCase *tc = tcase_create("rwrite");
    tcase_add_test(tc, test_simple);
    tcase_add_test(tc, test_rlite_ids);
    tcase_add_test(tc, test_emit_rg_ids);
    tcase_add_test(tc, test_pretty);
    tcase_add_test(tc, test_jgf);
    tcase_add_test(tc, test_jgf_shorthand);
    tcase_add_test(tc, test_rv1_nosched);
    tcase_add_test(tc, test_rlite_rv1);
    tcase_add_test(tc, test_negative_rank);
    tcase_add_test(tc, test_formats);
    tcase_add_test(tc, test_rg);
    tcase_add_test(tc, test_text_matches_jansson);
    tcase_add_test(tc, test_take_rlite);
    tcase_add_test(tc, test_rlite_same_ids);
    suite_add_tcase(s, tc);
    return s;
}
