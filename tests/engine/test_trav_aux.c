/* test_trav_aux.c: auxiliary subsystems of a -S set (engine/trav_aux.c).
 * The expectations were checked against Fluxion's resource-query at
 * fd257f71 on the same graph and requests. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "eng.h"
#include "jobspec.h"

/* cluster0 -> node0 -> core0, cluster0 -> node1 -> core1 and cluster0 ->
 * pdu0 in containment; powerpanel0 -> pdu0 -> node0 in power. */
static const struct {
    int id;
    const char *type;
    int idx;
    const char *paths;
} verts[] = {
    {0, "cluster", 0, "{\"containment\": \"/cluster0\"}"},
    {1, "node", 0,
     "{\"containment\": \"/cluster0/node0\", \"power\": \"/powerpanel0/pdu0/node0\"}"},
    {2, "core", 0, "{\"containment\": \"/cluster0/node0/core0\"}"},
    {3, "node", 1, "{\"containment\": \"/cluster0/node1\"}"},
    {4, "core", 1, "{\"containment\": \"/cluster0/node1/core1\"}"},
    {5, "pdu", 0,
     "{\"containment\": \"/cluster0/pdu0\", \"power\": \"/powerpanel0/pdu0\"}"},
    {6, "powerpanel", 0, "{\"power\": \"/powerpanel0\"}"},
};

static const struct {
    int src, dst;
    const char *sub;
} edges[] = {
    {0, 1, "containment"}, {1, 2, "containment"}, {0, 3, "containment"},
    {3, 4, "containment"}, {0, 5, "containment"}, {6, 5, "power"},
    {5, 1, "power"},
};

static size_t graph_text(char *buf, size_t cap)
{
    size_t n = (size_t)snprintf(buf, cap, "{\"graph\": {\"nodes\": [");
    for (size_t i = 0; i < sizeof verts / sizeof verts[0]; i++)
        n += (size_t)snprintf(
            buf + n, cap - n,
            "%s{\"id\": \"%d\", \"metadata\": {\"type\": \"%s\", \"basename\": \"%s\", "
            "\"name\": \"%s%d\", \"id\": %d, \"uniq_id\": %d, \"rank\": -1, "
            "\"exclusive\": false, \"unit\": \"\", \"size\": 1, \"paths\": %s}}",
            i ? ", " : "", verts[i].id, verts[i].type, verts[i].type, verts[i].type,
            verts[i].idx, verts[i].idx, verts[i].id, verts[i].paths);
    n += (size_t)snprintf(buf + n, cap - n, "], \"edges\": [");
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        n += (size_t)snprintf(buf + n, cap - n,
                              "%s{\"source\": \"%d\", \"target\": \"%d\", \"metadata\": "
                              "{\"subsystem\": \"%s\"}}",
                              i ? ", " : "", edges[i].src, edges[i].dst, edges[i].sub);
    n += (size_t)snprintf(buf + n, cap - n, "]}}");
    ck_assert_uint_lt(n, cap);
    return n;
}

static eng_t *mk(const char *subsystems, const char *policy, int want_rc)
{
    char text[4096];
    size_t len = graph_text(text, sizeof text);
    struct eng_options o = {.policy = policy, .subsystems = subsystems};
    eng_error_t err;
    eng_t *e = eng_create(&o, &err);
    ck_assert_msg(e != NULL, "%s", err.text);
    int rc = eng_graph_load(e, text, len, "jgf", "<aux>", &err);
    ck_assert_msg(rc == want_rc, "load: %d (%s)", rc, err.text);
    if (rc < 0) {
        eng_destroy(e);
        return NULL;
    }
    return e;
}

/* node[1] -> slot[1] -> core[1], under cluster[1] when 'cluster'. */
static jobspec_t *js_node(bool cluster)
{
    char text[1024];
    const char *inner =
        "{\"type\": \"node\", \"count\": 1, \"with\": [{\"type\": \"slot\", "
        "\"count\": 1, \"label\": \"default\", \"with\": [{\"type\": "
        "\"core\", \"count\": 1}]}]}";
    char res[512];
    if (cluster)
        snprintf(res, sizeof res, "{\"type\": \"cluster\", \"count\": 1, \"with\": [%s]}",
                 inner);
    else
        snprintf(res, sizeof res, "%s", inner);
    snprintf(text, sizeof text,
             "{\"version\": 9999, \"resources\": [%s], \"attributes\": {\"system\": "
             "{\"duration\": 60}}, \"tasks\": [{\"command\": [\"a\"], \"slot\": "
             "\"default\", \"count\": {\"per_slot\": 1}}]}",
             res);
    eng_error_t err;
    jobspec_t *js = jobspec_parse(text, strlen(text), "<aux>", &err);
    ck_assert_msg(js != NULL, "%s", err.text);
    return js;
}

static const char *const policies[] = {"low", "first"};

/* Without the power subsystem the pdu is just a childless containment
 * vertex: both requests match. */
START_TEST(test_dominant_only)
{
    eng_t *e = mk("CA", policies[_i], 0);
    eng_error_t err;
    for (int top = 0; top < 2; top++) {
        jobspec_t *js = js_node(top);
        ck_assert_int_eq(
            eng_match(e, ENG_MATCH_ALLOCATE, js, (uint64_t)top + 1, NULL, NULL, &err), 0);
        jobspec_destroy(js);
    }
    eng_destroy(e);
}
END_TEST

/* With -S C+PA the pdu's up-walk to node0 adds a (power, node) entry with
 * no qualified count (the pdu matched no dominant child); nothing chooses
 * above it when the request starts at node, so the root finds it and the
 * request fails (allocate: EBUSY).  Starting at cluster, the cluster's choice of
 * nodes drops the entry. */
START_TEST(test_power_entry_reaches_root)
{
    eng_t *e = mk("C+PA", policies[_i], 0);
    eng_error_t err;
    jobspec_t *js = js_node(false);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 1, NULL, NULL, &err),
                     ENG_EBUSY);
    jobspec_destroy(js);
    js = js_node(true);
    ck_assert_int_eq(eng_match(e, ENG_MATCH_ALLOCATE, js, 2, NULL, NULL, &err), 0);
    jobspec_destroy(js);
    eng_destroy(e);
}
END_TEST

/* Every subsystem of the set needs a root, as Fluxion's traverser
 * initialize() does (ENOTSUP there). */
START_TEST(test_missing_root)
{
    ck_assert_ptr_null(mk("C+IBA", "low", ENG_ENOTSUP));
    ck_assert_ptr_null(mk("IBA", "low", ENG_ENOTSUP));
    eng_destroy(mk("PA", "low", 0));
}
END_TEST

Suite *trav_aux_suite(void)
{
    Suite *s = suite_create("trav_aux");
    TCase *tc = tcase_create("aux");
    tcase_add_loop_test(tc, test_dominant_only, 0, 2);
    tcase_add_loop_test(tc, test_power_entry_reaches_root, 0, 2);
    tcase_add_test(tc, test_missing_root);
    suite_add_tcase(s, tc);
    return s;
}
