/* test_jobspec.c: jobspec parsing (RFC 14/25), validation with positions,
 * RFC 31 constraints, limits, and the Fluxion corpora. */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../corpus.h"
#include "fio.h"
#include "jobspec.h"
#include "jobspec_private.h"

#define DATA_DIR   SCHEDSIM_SOURCE_DIR "/tests/data/jobspec"
#define FLUXION    SCHEDSIM_SHARED_DIR "/conformance/data"
#define VALIDATION FLUXION "/jobspecs/validation"

/* ---- helpers ------------------------------------------------------------- */

typedef void (*file_f)(const char *path, void *arg);

/* Call 'fn' for each entry of 'dir' (sorted, no dot files); returns the count. */
static int for_each_entry(const char *dir, file_f fn, void *arg)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    ck_assert_msg(n >= 0, "cannot read %s", dir);
    int count = 0;
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.') {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
            fn(path, arg);
            count++;
        }
        free(names[i]);
    }
    free(names);
    return count;
}

static jobspec_t *parse_str(const char *text, eng_error_t *err)
{
    return jobspec_parse(text, strlen(text), "<test>", err);
}

/* Parse the file 'path' with 'flags'. */
static jobspec_t *load_ex(const char *path, unsigned flags, eng_error_t *err)
{
    size_t len = 0;
    char *text = fio_read_all(path, 1 << 22, &len, err);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    jobspec_t *js = jobspec_parse_ex(text, len, path, flags, err);
    free(text);
    return js;
}

/* Accepted both ways: ours, and in Fluxion mode. */
static void expect_valid(const char *path, void *arg)
{
    (void)arg;
    eng_error_t err;
    jobspec_t *js = jobspec_load(path, &err);
    char buf[600];
    ck_assert_msg(js != NULL, "rejected: %s", eng_error_format(&err, buf, sizeof buf));
    jobspec_destroy(js);
    js = load_ex(path, JOBSPEC_FLUXION, &err);
    ck_assert_msg(js != NULL, "rejected in Fluxion mode: %s",
                  eng_error_format(&err, buf, sizeof buf));
    jobspec_destroy(js);
}

static void expect_invalid(const char *path, void *arg)
{
    (void)arg;
    eng_error_t err;
    jobspec_t *js = jobspec_load(path, &err);
    ck_assert_msg(js == NULL, "accepted: %s", path);
    ck_assert_int_eq(err.code, ENG_EPARSE);
    ck_assert_int_gt(err.line, 0);
    ck_assert_int_gt(err.column, 0);
    ck_assert_str_eq(err.source, path);
}

/* ---- corpora -------------------------------------------------------------- */

START_TEST(test_fluxion_valid)
{
    ck_assert_int_eq(for_each_entry(VALIDATION "/valid", expect_valid, NULL), 20);
}
END_TEST

START_TEST(test_fluxion_invalid)
{
    ck_assert_int_eq(for_each_entry(VALIDATION "/invalid", expect_invalid, NULL), 49);
}
END_TEST

/* Every jobspec a resource-query command file matches must parse, except
 * the one that does not exist (resource-query says "can't open"). */
static void check_command_file(const char *path, void *arg)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        for_each_entry(path, check_command_file, arg);
        return;
    }
    eng_error_t err;
    char *text = fio_read_all(path, 1 << 20, NULL, &err);
    ck_assert_ptr_nonnull(text);
    const char *prefix = "@TEST_SRCDIR@/data/resource/";
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        bool match =
            strncmp(line, "match ", 6) == 0 || strncmp(line, "multi-match ", 12) == 0;
        for (char *p = line; match && (p = strstr(p, prefix)) != NULL;) {
            p += strlen(prefix);
            size_t len = strcspn(p, " \t");
            char js_path[1024];
            snprintf(js_path, sizeof js_path, "%s/%.*s", FLUXION, (int)len, p);
            if (strstr(js_path, "/jobspecs/") && stat(js_path, &st) == 0) {
                expect_valid(js_path, NULL);
                (*(int *)arg)++;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
}

/* Fluxion mode gives libjobspec's own message for each file of its corpus
 * (tests/data/jobspec/fluxion_corpus_messages.tsv, from flux-jobspec-validate;
 * its "Unknown non-standard exception" is a syntax error, ours differs). */
START_TEST(test_fluxion_messages)
{
    eng_error_t err;
    char *tsv =
        fio_read_all(DATA_DIR "/fluxion_corpus_messages.tsv", 1 << 20, NULL, &err);
    ck_assert_ptr_nonnull(tsv);
    int n = 0;
    for (char *line = tsv; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *tab = strchr(line, '\t');
        if (line[0] != '#' && tab) {
            *tab = '\0';
            char path[1024];
            snprintf(path, sizeof path, "%s/invalid/%s", VALIDATION, line);
            jobspec_t *js = load_ex(path, JOBSPEC_FLUXION, &err);
            ck_assert_msg(js == NULL, "%s: accepted", line);
            if (strcmp(tab + 1, "Unknown non-standard exception") != 0)
                ck_assert_msg(strcmp(err.text, tab + 1) == 0,
                              "%s:\n got  '%s'\n want '%s'", line, err.text, tab + 1);
            n++;
        }
        line = nl ? nl + 1 : NULL;
    }
    ck_assert_int_eq(n, 49);
    free(tsv);
}
END_TEST

START_TEST(test_fluxion_case_jobspecs)
{
    int n = 0;
    for_each_entry(FLUXION "/commands", check_command_file, &n);
    for_each_entry(FLUXION "/inline", check_command_file, &n);
    ck_assert_int_gt(n, 300);
}
END_TEST

START_TEST(test_fluxion_deliberately_bad)
{
    eng_error_t err;
    ck_assert_ptr_null(jobspec_load(FLUXION "/jobspecs/basics/bad.yaml", &err));
    ck_assert_int_eq(err.code, ENG_EPARSE);
    ck_assert_int_eq(err.line, 4);
    ck_assert_ptr_null(jobspec_load(FLUXION "/jobspecs/nodex/test027.yaml", &err));
    ck_assert_int_eq(err.code, ENG_EIO);
}
END_TEST

/* ---- our own data --------------------------------------------------------- */

/* tests/data/jobspec/invalid/<case>/{input.yaml|input.json, error}: 'error'
 * holds "line column", the exact text, and optionally the code's name. */
static void check_invalid_case(const struct corpus_case *c, void *arg)
{
    (void)arg;
    ck_assert_ptr_nonnull(c->extra); /* the text ends with a newline */
    struct stat st;
    char errpath[1024];
    eng_error_t err;

    jobspec_t *js = jobspec_load(c->input, &err);
    ck_assert_msg(js == NULL, "%s: accepted", c->dir);
    ck_assert_msg(err.line == c->line && err.column == c->column,
                  "%s: at %d:%d, expected %d:%d (%s)", c->dir, err.line, err.column,
                  c->line, c->column, err.text);
    ck_assert_msg(strcmp(err.text, c->text) == 0, "%s:\n got  '%s'\n want '%s'", c->dir,
                  err.text, c->text);
    ck_assert_str_eq(eng_errname(err.code), *c->extra ? c->extra : "ENG_EPARSE");
    ck_assert_str_eq(err.source, c->input);

    /* 'fluxion', when present: Fluxion's message for it, or "ok" */
    snprintf(errpath, sizeof errpath, "%s/fluxion", c->dir);
    if (stat(errpath, &st) != 0)
        return;
    char *want = fio_read_all(errpath, 4096, NULL, &err);
    ck_assert_ptr_nonnull(want);
    want[strcspn(want, "\n")] = '\0';
    js = load_ex(c->input, JOBSPEC_FLUXION, &err);
    ck_assert_msg(strcmp(js ? "ok" : err.text, want) == 0,
                  "%s (Fluxion mode):\n got  '%s'\n want '%s'", c->dir,
                  js ? "ok" : err.text, want);
    jobspec_destroy(js);
    free(want);
}

START_TEST(test_data_invalid)
{
    static const char *const inputs[] = {"input.yaml", "input.json", NULL};
    ck_assert_int_ge(corpus_each(DATA_DIR "/invalid", inputs, check_invalid_case, NULL),
                     50);
}
END_TEST

START_TEST(test_data_valid)
{
    ck_assert_int_ge(for_each_entry(DATA_DIR "/valid", expect_valid, NULL), 6);
}
END_TEST

START_TEST(test_yaml_json_same_tree)
{
    eng_error_t err;
    jobspec_t *y = jobspec_load(DATA_DIR "/valid/canonical.yaml", &err);
    jobspec_t *j = jobspec_load(DATA_DIR "/valid/canonical.json", &err);
    ck_assert_ptr_nonnull(y);
    ck_assert_ptr_nonnull(j);
    char *ty = jobspec_format(y), *tj = jobspec_format(j);
    ck_assert_str_eq(ty, tj);
    eng_free(ty);
    eng_free(tj);
    jobspec_destroy(y);
    jobspec_destroy(j);
}
END_TEST

/* ---- the tree --------------------------------------------------------------- */

static void check_tree_shape(const jobspec_t *js)
{
    ck_assert_uint_eq(js->version, 9999);
    ck_assert_uint_eq(js->nresources, 1);
    ck_assert_uint_eq(js->nresources_total, 5);
    const jobspec_resource_t *node = &js->resources[0];
    ck_assert_str_eq(node->type, "node");
    ck_assert_uint_eq(node->count.min, 2);
    ck_assert_uint_eq(node->count.max, 8);
    ck_assert_int_eq(node->count.oper, '*');
    ck_assert_int_eq(node->count.operand, 2);
    ck_assert_int_eq(node->exclusive, JOBSPEC_EXCL_TRUE);
    ck_assert(!node->is_slot);
    ck_assert_ptr_null(node->parent);
    ck_assert_uint_eq(node->nwith, 1);
    const jobspec_resource_t *slot = &node->with[0];
    ck_assert(slot->is_slot);
    ck_assert_str_eq(slot->label, "task");
    ck_assert_ptr_eq(slot->parent, node);
    ck_assert_uint_eq(slot->depth, 1);
    ck_assert_uint_eq(slot->nwith, 3);
    const jobspec_resource_t *core = &slot->with[0], *gpu = &slot->with[1],
                             *mem = &slot->with[2];
    ck_assert_uint_eq(core->count.min, 4);
    ck_assert_uint_eq(core->count.max, 4);
    ck_assert_int_eq(core->count.oper, '+');
    ck_assert_int_eq(core->count.operand, 1);
    ck_assert_int_eq(core->exclusive, JOBSPEC_EXCL_UNSET);
    ck_assert_int_eq(gpu->exclusive, JOBSPEC_EXCL_FALSE);
    ck_assert_str_eq(mem->unit, "GB");
    ck_assert_str_eq(mem->id, "mem0");
    ck_assert_str_eq(core->unit, "");
    ck_assert_uint_eq(mem->depth, 2);
    for (size_t i = 0; i < js->nresources_total; i++)
        ck_assert_uint_eq(jobspec_resource_at(js, i)->index, i);
    ck_assert_ptr_eq(jobspec_resource_at(js, 2), core);
    ck_assert_ptr_null(jobspec_resource_at(js, 5));
}

static void check_tree_rest(const jobspec_t *js)
{
    ck_assert_uint_eq(js->ntasks, 1);
    const jobspec_task_t *t = &js->tasks[0];
    ck_assert_uint_eq(t->ncommand, 2);
    ck_assert_str_eq(t->command[1], "--flag");
    ck_assert_ptr_null(t->command[2]);
    ck_assert_str_eq(t->slot, "task");
    ck_assert_int_eq(t->count_kind, JOBSPEC_TASK_COUNT_PER_SLOT);
    ck_assert_int_eq(t->count, 2);
    ck_assert_str_eq(t->distribution, "block");
    ck_assert_uint_eq(t->nattrs, 1);
    ck_assert_str_eq(t->attr_values[0], "fast");
    const jobspec_system_t *s = &js->system;
    ck_assert(s->duration == 3600.5);
    ck_assert_str_eq(s->queue, "batch");
    ck_assert_str_eq(s->cwd, "/home/user");
    ck_assert_uint_eq(s->nenv, 2);
    ck_assert_str_eq(s->env_keys[1], "OMP_NUM_THREADS");
    ck_assert_str_eq(s->env_values[1], "4");
    ck_assert_ptr_nonnull(s->constraint);
    ck_assert_str_eq(jobspec_attr_get(js, "system.myattr"), "hello");
    ck_assert_str_eq(jobspec_attr_get(js, "user.project"), "alpha");
    ck_assert_str_eq(jobspec_attr_get(js, "system.duration"), "3600.5");
    ck_assert_ptr_null(jobspec_attr_get(js, "system.environment"));
    ck_assert_ptr_null(jobspec_attr_get(js, "system.nope"));
    ck_assert_ptr_null(jobspec_attr_get(js, "nope.deeper"));
}

START_TEST(test_tree)
{
    const char *files[] = {DATA_DIR "/valid/canonical.yaml",
                           DATA_DIR "/valid/canonical.json"};
    for (int i = 0; i < 2; i++) {
        eng_error_t err;
        jobspec_t *js = jobspec_load(files[i], &err);
        ck_assert_ptr_nonnull(js);
        check_tree_shape(js);
        check_tree_rest(js);
        jobspec_destroy(js);
    }
}
END_TEST

#define JS_HEAD "version: 9999\nresources:\n  - type: slot\n    label: s\n    count: "
#define JS_TAIL "\ntasks: [{command: [a], slot: s, count: {total: 1}}]\nattributes:\n"

START_TEST(test_count_forms)
{
    static const struct {
        const char *count;
        uint32_t min, max;
        char oper;
        int operand;
    } cases[] = {
        {"3", 3, 3, '+', 1},
        {"{min: 3}", 3, UINT32_MAX, '+', 1},
        {"{min: 2, max: 64, operator: '^', operand: 2}", 2, 64, '^', 2},
        {"{min: 1, max: 9, operator: '+', operand: 4}", 1, 9, '+', 4},
        {"\"7\"", 7, 7, '+', 1},
        {"4294967295", UINT32_MAX, UINT32_MAX, '+', 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, JS_HEAD "%s" JS_TAIL, cases[i].count);
        eng_error_t err;
        jobspec_t *js = parse_str(text, &err);
        ck_assert_msg(js != NULL, "%s: %s", cases[i].count, err.text);
        const struct jobspec_count *c = &js->resources[0].count;
        ck_assert_uint_eq(c->min, cases[i].min);
        ck_assert_uint_eq(c->max, cases[i].max);
        ck_assert_int_eq(c->oper, cases[i].oper);
        ck_assert_int_eq(c->operand, cases[i].operand);
        jobspec_destroy(js);
    }
}
END_TEST

START_TEST(test_duration_forms)
{
    static const struct {
        const char *text;
        double want;
    } cases[] = {{"0", 0},   {"3600", 3600}, {"0.1", 0.1},      {"1.0E+30", 1e30},
                 {"-1", -1}, {"\"60\"", 60}, {".inf", INFINITY}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, JS_HEAD "1" JS_TAIL "  system:\n    duration: %s\n",
                 cases[i].text);
        eng_error_t err;
        jobspec_t *js = parse_str(text, &err);
        ck_assert_msg(js != NULL, "%s: %s", cases[i].text, err.text);
        ck_assert(js->system.duration == cases[i].want);
        jobspec_destroy(js);
    }
}
END_TEST

/* ---- constraints ------------------------------------------------------------- */

struct vertex {
    const char *props; /* comma separated */
    const char *name;
    int64_t rank;
};

static bool v_has(const void *ctx, const char *name)
{
    const struct vertex *v = ctx;
    size_t len = strlen(name);
    for (const char *p = v->props; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n == len && strncmp(p, name, len) == 0)
            return true;
        p += n + (p[n] == ',');
    }
    return false;
}

static const char *v_name(const void *ctx)
{
    return ((const struct vertex *)ctx)->name;
}

static int64_t v_rank(const void *ctx)
{
    return ((const struct vertex *)ctx)->rank;
}

static const struct jobspec_vertex_ops vops = {v_has, v_name, v_rank};

START_TEST(test_constraint_match)
{
    static const struct {
        const char *constraint;
        struct vertex v;
        bool want;
    } cases[] = {
        {"{}", {"", "n1", 0}, true},
        {"{properties: [\"amd\"]}", {"amd,big", "n1", 0}, true},
        {"{properties: [\"amd\"]}", {"intel", "n1", 0}, false},
        {"{properties: [\"^amd\"]}", {"intel", "n1", 0}, true},
        {"{properties: [\"^amd\", \"big\"]}", {"amd,big", "n1", 0}, false},
        {"{properties: []}", {"", "n1", 0}, true},
        {"{hostlist: [\"node[1-10]\"]}", {"", "node7", 0}, true},
        {"{hostlist: [\"node[1-10]\"]}", {"", "node07", 0}, false},
        {"{hostlist: [\"node[1-10]\"]}", {"", "node11", 0}, false},
        {"{hostlist: [\"node[01-10]\"]}", {"", "node07", 0}, true},
        {"{hostlist: [\"node[01-10]\"]}", {"", "node7", 0}, false},
        {"{hostlist: [\"node[1-3,7],login\"]}", {"", "login", 0}, true},
        {"{hostlist: [\"node[1-3,7],login\"]}", {"", "node7", 0}, true},
        {"{hostlist: [\"node[1-3,7],login\"]}", {"", "node5", 0}, false},
        {"{hostlist: [\"node1[0-5]\"]}", {"", "node12", 0}, true},
        {"{hostlist: [\"node[1-2]\"]}", {"", "node", 0}, false},
        {"{hostlist: [\"a\", \"b[0-1]\"]}", {"", "b1", 0}, true},
        {"{hostlist: [\"node[1-2]-ib\"]}", {"", "node2-ib", 0}, true},
        {"{hostlist: [\"node[1-2]-ib\"]}", {"", "node2", 0}, false},
        {"{hostlist: [\"a b,\\tc\"]}", {"", "c", 0}, true},
        {"{hostlist: [\"n[8-12]\"]}", {"", "n10", 0}, true},
        {"{hostlist: [\"n[08-12]\"]}", {"", "n09", 0}, true},
        {"{hostlist: [\"n[008-012]\"]}", {"", "n12", 0}, false},
        {"{hostlist: [\"n[0-999999]\"]}", {"", "n123456", 0}, true},
        {"{hostlist: []}", {"", "n1", 0}, false},
        {"{ranks: [\"0-3,8\"]}", {"", "n", 8}, true},
        {"{ranks: [\"0-3,8\"]}", {"", "n", 5}, false},
        {"{ranks: [\"[0-3]\", 10]}", {"", "n", 10}, true},
        {"{ranks: [\"5\", \"0-9\"]}", {"", "n", 7}, true},
        {"{ranks: [0]}", {"", "n", -1}, false},
        {"{and: [{properties: [\"a\"]}, {ranks: [1]}]}", {"a", "n", 1}, true},
        {"{and: [{properties: [\"a\"]}, {ranks: [1]}]}", {"a", "n", 2}, false},
        {"{or: [{properties: [\"a\"]}, {ranks: [1]}]}", {"", "n", 1}, true},
        {"{or: [{properties: [\"a\"]}, {ranks: [1]}]}", {"", "n", 2}, false},
        {"{or: []}", {"", "n", 2}, false},
        {"{not: [{properties: [\"a\"]}, {ranks: [1]}]}", {"a", "n", 1}, false},
        {"{not: [{properties: [\"a\"]}, {ranks: [1]}]}", {"a", "n", 2}, true},
        {"{not: []}", {"", "n", 2}, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 JS_HEAD "1" JS_TAIL "  system:\n    constraints: %s\n",
                 cases[i].constraint);
        eng_error_t err;
        jobspec_t *js = parse_str(text, &err);
        ck_assert_msg(js != NULL, "%s: %s", cases[i].constraint, err.text);
        bool got = jobspec_constraint_match(js->system.constraint, &vops, &cases[i].v);
        ck_assert_msg(got == cases[i].want, "%zu: %s on %s/%s/%lld: got %d", i,
                      cases[i].constraint, cases[i].v.props, cases[i].v.name,
                      (long long)cases[i].v.rank, got);
        jobspec_destroy(js);
    }
    ck_assert(jobspec_constraint_match(NULL, &vops, NULL));
}
END_TEST

/* ---- documents, limits, bad parameters ----------------------------------------- */

START_TEST(test_first_document_only)
{
    const char *text = "---\n" JS_HEAD "1" JS_TAIL "...\n---\nthis: [is not read\n";
    eng_error_t err;
    jobspec_t *js = parse_str(text, &err);
    ck_assert_msg(js != NULL, "%s", err.text);
    jobspec_destroy(js);
}
END_TEST

START_TEST(test_length_not_nul)
{
    /* 'len' bounds the text: what follows is never read */
    const char *text = JS_HEAD "1" JS_TAIL "GARBAGE: [";
    eng_error_t err;
    jobspec_t *js = jobspec_parse(text, strlen(text) - strlen("GARBAGE: ["), NULL, &err);
    ck_assert_msg(js != NULL, "%s", err.text);
    jobspec_destroy(js);
    ck_assert_ptr_null(jobspec_parse(text, strlen(text), NULL, &err));
    ck_assert_str_eq(err.source, "<string>");
}
END_TEST

START_TEST(test_text_limit)
{
    size_t len = (size_t)JOBSPEC_TEXT_MAX + 1;
    char *big = malloc(len);
    ck_assert_ptr_nonnull(big);
    memset(big, ' ', len);
    eng_error_t err;
    ck_assert_ptr_null(jobspec_parse(big, len, "big", &err));
    ck_assert_int_eq(err.code, ENG_ELIMIT);
    free(big);
}
END_TEST

START_TEST(test_many_nodes_limit)
{
    /* a flat sequence of JOBSPEC_NODES_MAX + 1 scalars under 'user' */
    size_t n = (size_t)JOBSPEC_NODES_MAX + 1, cap = 3 * n + 256;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    size_t len = (size_t)snprintf(text, cap, JS_HEAD "1" JS_TAIL "  user: [");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "1,");
    len += (size_t)snprintf(text + len, cap - len, "1]\n");
    eng_error_t err;
    ck_assert_ptr_null(jobspec_parse(text, len, NULL, &err));
    ck_assert_int_eq(err.code, ENG_ELIMIT);
    ck_assert_int_eq(err.line, 8);
    free(text);
}
END_TEST

/* Fail the 1st, 2nd, ... allocation of the parse: every failure must be a
 * clean ENG_ENOMEM (ASan checks nothing leaks), until the parse gets through
 * and gives its normal result. */
START_TEST(test_alloc_failures)
{
    static const char *const files[] = {DATA_DIR "/valid/canonical.yaml",
                                        DATA_DIR "/valid/canonical.json",
                                        DATA_DIR "/valid/anchors.yaml",
                                        DATA_DIR "/valid/yaml_flow.json",
                                        DATA_DIR "/invalid/count_negative/input.yaml",
                                        DATA_DIR "/invalid/yaml_duplicate_key/input.yaml",
                                        DATA_DIR
                                        "/invalid/constraint_bad_hostlist/input.yaml"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        eng_error_t err;
        size_t len = 0;
        char *text = fio_read_all(files[f], 1 << 20, &len, &err);
        ck_assert_ptr_nonnull(text);
        size_t n = 0;
        unsigned flags = f % 2 ? JOBSPEC_FLUXION : 0;
        for (;; n++) {
            jobspec_t *js = jobspec__parse_failing(text, len, flags, n, &err);
            if (js) {
                jobspec_destroy(js);
                break;
            }
            if (err.code != ENG_ENOMEM)
                break;
            ck_assert_uint_lt(n, 100000);
        }
        ck_assert_uint_gt(n, 10);
        if (strstr(files[f], "/invalid/"))
            ck_assert_int_eq(err.code, ENG_EPARSE);
        free(text);
    }
}
END_TEST

START_TEST(test_badparam)
{
    eng_error_t err;
    ck_assert_ptr_null(jobspec_parse(NULL, 0, "x", &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    ck_assert_ptr_null(jobspec_load(NULL, &err));
    ck_assert_int_eq(err.code, ENG_EINVAL);
    ck_assert_ptr_null(jobspec_load("/nonexistent/job.yaml", &err));
    ck_assert_int_eq(err.code, ENG_EIO);
    ck_assert_ptr_null(jobspec_parse("", 0, NULL, NULL)); /* err may be NULL */
    jobspec_destroy(NULL);
    ck_assert_ptr_null(jobspec_resource_at(NULL, 0));
    ck_assert_ptr_null(jobspec_attr_get(NULL, "x"));
    ck_assert_ptr_null(jobspec_format(NULL));
    jobspec_t *js = parse_str(JS_HEAD "1" JS_TAIL, &err);
    ck_assert_ptr_nonnull(js);
    ck_assert_int_eq(err.code, 0);
    ck_assert_ptr_null(jobspec_attr_get(js, NULL));
    ck_assert_ptr_null(jobspec_attr_get(js, "system"));
    ck_assert_ptr_null(js->system.constraint);
    ck_assert(js->system.duration == 0);
    jobspec_destroy(js);
}
END_TEST

Suite *jobspec_suite(void)
{
    Suite *s = suite_create("jobspec");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_fluxion_valid);
    tcase_add_test(tc, test_fluxion_invalid);
    tcase_add_test(tc, test_fluxion_messages);
    tcase_add_test(tc, test_fluxion_case_jobspecs);
    tcase_add_test(tc, test_fluxion_deliberately_bad);
    tcase_add_test(tc, test_data_invalid);
    tcase_add_test(tc, test_data_valid);
    tcase_add_test(tc, test_yaml_json_same_tree);
    tcase_add_test(tc, test_tree);
    tcase_add_test(tc, test_count_forms);
    tcase_add_test(tc, test_duration_forms);
    tcase_add_test(tc, test_constraint_match);
    tcase_add_test(tc, test_first_document_only);
    tcase_add_test(tc, test_length_not_nul);
    tcase_add_test(tc, test_text_limit);
    tcase_add_test(tc, test_many_nodes_limit);
    tcase_add_test(tc, test_alloc_failures);
    tcase_add_test(tc, test_badparam);
    suite_add_tcase(s, tc);
    return s;
}
