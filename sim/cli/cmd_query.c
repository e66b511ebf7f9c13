/* cmd_query.c: 'schedsim query', a shell compatible with Fluxion's
 * resource-query (resource/utilities/resource-query.cpp at flux-sched
 * fd257f71): the same options, commands and output text, so Fluxion's test
 * inputs run unchanged and their expected outputs compare byte for byte.
 *
 * Differences on purpose: end of input ends the session (resource-query
 * spins on it), the prompt is printed only when standard input is a
 * terminal, and usage errors exit with 2 as every schedsim command. */
#include <errno.h>
#include <float.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_query.h"
#include "rg.h"

static void usage(FILE *fp)
{
    fprintf(
        fp,
        "Usage: schedsim query [OPTIONS...]\n\n"
        "A resource-query compatible shell: load a resource graph, then read\n"
        "commands (match, multi-match, update, attach, remove, find, cancel,\n"
        "partial-cancel, set-property, get-property, set-status, get-status,\n"
        "list, info, stat, cat, help, quit) from standard input.\n\n"
        "Options:\n"
        "  -h, --help                    show this help\n"
        "  -L, --load-file=FILE          resource graph (default: conf/default)\n"
        "  -f, --load-format=FORMAT      "
        "grug|hwloc|jgf|jgf_shorthand|rv1exec|rv1exec_force\n"
        "                                (default: grug)\n"
        "  -W, --load-allowlist=TYPES    resource types to load (hwloc only)\n"
        "  -S, --match-subsystems=NAME   CA|IBA|IBBA|PFS1BA|PA|C+IBA|C+PFS1BA|C+PA|\n"
        "                                IB+IBBA|C+P+IBA|VA|V+PFS1BA|ALL (default: CA)\n"
        "  -P, --match-policy=POLICY     low|high|lonode|hinode|lonodex|hinodex|first|\n"
        "                                firstnodex|locality|variation (default: first)\n"
        "  -F, --match-format=FORMAT     simple|pretty_simple|jgf|jgf_shorthand|rlite|\n"
        "                                rv1|rv1_nosched|rv1_shorthand (default: "
        "simple)\n"
        "  -T, --traverser-policy=NAME   simple|flexible (default: simple)\n"
        "  -p, --prune-filters=HL:LL,... pruning filters (default: ALL:core,ALL:node)\n"
        "  -g, --graph-format=dot|graphml  accepted for compatibility\n"
        "  -o, --graph-output=BASENAME   accepted for compatibility\n"
        "  -t, --test-output=FILE        write matched resources and INFO lines to FILE\n"
        "  -r, --reserve-vtx-vec=SIZE    accepted for compatibility (0..2000000)\n"
        "  -e, --elapse-time             print timings and visit counts\n"
        "  -d, --disable-prompt          never print the prompt\n");
}

static int bad_option(const char *what, const char *arg)
{
    fprintf(stderr, "[ERROR] %s%s\n", what, arg);
    usage(stderr);
    return CLI_EXIT_USAGE;
}

static bool known_reader(const char *n)
{
    static const char *const names[] = {"grug",          "hwloc",   "jgf",
                                        "jgf_shorthand", "rv1exec", "rv1exec_force"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(n, names[i]) == 0)
            return true;
    return false;
}

/* Append ",tok" (or "tok") to the string option 'key' of 'o'. */
static void append_opt(json_t *o, const char *key, const char *sep, const char *tok)
{
    const char *old = json_string_value(json_object_get(o, key));
    size_t n = (old ? strlen(old) + strlen(sep) : 0) + strlen(tok) + 1;
    char *v = malloc(n);
    if (!v)
        return;
    snprintf(v, n, "%s%s%s", old ? old : "", old ? sep : "", tok);
    json_object_set_new(o, key, json_string(v));
    free(v);
}

struct q_args {
    const char *load_file, *r_fname;
    bool elapse, no_prompt;
};

static int check_load_file(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return bad_option("file does not exist for --load-file: ", path);
    if (S_ISDIR(st.st_mode))
        return bad_option("path passed to --load-file is a directory: ", path);
    return 0;
}

/* resource-query's process_args(): options into the JSON 'o'.  Returns 0,
 * -1 after --help, or an exit code. */
static int parse_args(int argc, char **argv, json_t *o, struct q_args *a)
{
    static const struct option longopts[] = {
        {"load-file", required_argument, NULL, 'L'},
        {"load-format", required_argument, NULL, 'f'},
        {"load-allowlist", required_argument, NULL, 'W'},
        {"match-subsystems", required_argument, NULL, 'S'},
        {"match-policy", required_argument, NULL, 'P'},
        {"match-format", required_argument, NULL, 'F'},
        {"traverser-policy", required_argument, NULL, 'T'},
        {"graph-format", required_argument, NULL, 'g'},
        {"graph-output", required_argument, NULL, 'o'},
        {"prune-filters", required_argument, NULL, 'p'},
        {"test-output", required_argument, NULL, 't'},
        {"reserve-vtx-vec", required_argument, NULL, 'r'},
        {"elapse-time", no_argument, NULL, 'e'},
        {"disable-prompt", no_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c, rc;
    json_object_set_new(o, "match_format", json_string("simple"));
    while ((c = getopt_long(argc, argv, "L:f:W:S:P:T:F:g:o:p:t:r:edh", longopts, NULL)) !=
           -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return -1;
        case 'L':
            a->load_file = optarg;
            if ((rc = check_load_file(optarg)) != 0)
                return rc;
            break;
        case 'f':
            json_object_set_new(o, "load_format", json_string(optarg));
            if (!known_reader(optarg))
                return bad_option("unknown format for --load-format: ", optarg);
            break;
        case 'W':
            if (strspn(optarg, " ") < strlen(optarg)) {
                if (!json_object_get(o, "load_allowlist"))
                    json_object_set_new(o, "load_allowlist", json_string("cluster"));
                append_opt(o, "load_allowlist", ",", optarg);
            }
            break;
        case 'S':
            json_object_set_new(o, "matcher_name", json_string(optarg));
            break;
        case 'P':
            json_object_set_new(o, "matcher_policy", json_string(optarg));
            break;
        case 'T':
            json_object_set_new(o, "traverser_policy", json_string(optarg));
            break;
        case 'F':
            json_object_set_new(o, "match_format", json_string(optarg));
            if (!rwrite_format_is_known(optarg))
                return bad_option("unknown format for --match-format: ", optarg);
            break;
        case 'g':
            if (strcasecmp(optarg, "dot") != 0 && strcasecmp(optarg, "graphml") != 0)
                return bad_option("unknown format for --graph-format: ", optarg);
            break;
        case 'o':
            break;
        case 'p':
            if (strspn(optarg, " ") < strlen(optarg))
                append_opt(o, "prune_filters", ",", optarg);
            break;
        case 't':
            a->r_fname = optarg;
            break;
        case 'r': {
            long v = strtol(optarg, NULL, 10);
            if (v < 0 || v > 2000000)
                fprintf(stderr,
                        "WARN: out of range specified for --reserve-vtx-vec: %s\n",
                        optarg);
            break;
        }
        case 'e':
            a->elapse = true;
            break;
        case 'd':
            a->no_prompt = true;
            break;
        default:
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    return 0;
}

/* resource-query -e: what the loaded graph holds. */
static void print_graph_info(const rg_graph_t *g, double elapse)
{
    size_t bound = rg_graph_vid_bound(g), nsym = rg_sym_count(g);
    size_t ntypes = 0, nnames = 0, npaths = 0;
    unsigned char *seen = calloc(nsym ? nsym : 1, 1);
    for (rg_vid_t v = 0; seen && v < bound; v++) {
        const struct rg_vertex *x = rg_vertex_get(g, v);
        if (!rg_vertex_is_live(g, v))
            continue;
        ntypes += !(seen[x->type] & 1);
        nnames += !(seen[x->name] & 2);
        seen[x->type] |= 1;
        seen[x->name] |= 2;
        npaths += rg_vertex_path_subsystems(g, v, NULL, 0);
    }
    free(seen);
    printf("INFO: Graph Load Time: %g\n", elapse);
    printf("INFO: Vertex Count: %zu\n", rg_graph_vertex_count(g));
    printf("INFO: Edge Count: %zu\n", rg_graph_edge_count(g));
    printf("INFO: by_type Key-Value Pairs: %zu\n", ntypes);
    printf("INFO: by_name Key-Value Pairs: %zu\n", nnames);
    printf("INFO: by_path Key-Value Pairs: %zu\n", npaths);
    int64_t prev = INT64_MIN;
    for (;;) { /* ranks in increasing order, as Fluxion's std::map */
        int64_t next = INT64_MAX;
        bool any = false;
        for (rg_vid_t v = 0; v < bound; v++) {
            const struct rg_vertex *x = rg_vertex_get(g, v);
            if (rg_vertex_is_live(g, v) && x->rank > prev && x->rank <= next)
                next = x->rank, any = true;
        }
        if (!any)
            break;
        size_t n = 0;
        for (rg_vid_t v = rg_vertex_first_of_rank(g, next); v != RG_VID_NONE;
             v = rg_vertex_next_of_rank(g, v))
            n++;
        printf("INFO: number of vertices with rank %lld: %zu\n", (long long)next, n);
        prev = next;
    }
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Split 'line' in place at white space (as resource-query's istream
 * tokenizer).  Returns a new NULL-terminated array (free() it) with the count
 * in '*argc', or NULL when out of memory. */
static char **split(char *line, int *argc)
{
    size_t n = 0;
    for (char *p = line; *p;) {
        while (is_space(*p))
            p++;
        if (!*p)
            break;
        n++;
        while (*p && !is_space(*p))
            p++;
    }
    char **argv = malloc((n + 1) * sizeof *argv);
    if (!argv)
        return NULL;
    n = 0;
    for (char *p = line; *p;) {
        while (is_space(*p))
            *p++ = '\0';
        if (!*p)
            break;
        argv[n++] = p;
        while (*p && !is_space(*p))
            p++;
    }
    argv[n] = NULL;
    *argc = (int)n;
    return argv;
}

static void control_loop(struct q_session *s, bool prompt)
{
    char *line = NULL;
    size_t cap = 0;
    for (;;) {
        if (prompt) {
            fputs("resource-query> ", stdout);
            fflush(stdout);
        }
        if (getline(&line, &cap, stdin) < 0)
            break;
        int argc = 0;
        char **argv = split(line, &argc);
        if (!argv) {
            fputs("schedsim query: out of memory\n", stderr);
            break;
        }
        q_cmd_f cmd = argc ? q_cmd_lookup(argv[0]) : NULL;
        int rc = cmd ? cmd(s, argc, argv) : 0;
        free(argv);
        fflush(s->out);
        if (rc != 0)
            break;
    }
    free(line);
}

static void session_free(struct q_session *s)
{
    for (size_t i = 0; i < s->njobs; i++)
        free(s->jobs[i].fn);
    free(s->jobs);
    reapi_cli_destroy(s->ctx);
}

static int run_session(json_t *o, const struct q_args *a)
{
    struct q_session s = {.perf_min = DBL_MAX, .elapse = a->elapse};
    const char *path = a->load_file ? a->load_file : "conf/default";
    size_t len = 0;
    char *graph = q_read_file(path, &len);
    char *options = json_dumps(o, JSON_COMPACT);
    int rc = CLI_EXIT_FAIL;
    if (!(s.ctx = reapi_cli_new()) || !options)
        goto done;
    double t0 = mono_s();
    if (reapi_cli__initialize(s.ctx, graph ? graph : "", len, path, options) < 0) {
        fprintf(stderr, ": Runtime error: %s\n", reapi_cli__init_error(s.ctx));
        goto done;
    }
    double elapse = mono_s() - t0;
    s.e = reapi_cli__engine(s.ctx);
    if (a->elapse)
        print_graph_info(eng_graph(s.e), elapse);
    s.out = a->r_fname ? fopen(a->r_fname, "w") : stdout;
    if (!s.out) {
        fprintf(stderr, "schedsim query: %s: %s\n", a->r_fname, strerror(errno));
        goto done;
    }
    control_loop(&s, !a->no_prompt && isatty(STDIN_FILENO));
    rc = CLI_EXIT_OK;
    if (s.out != stdout && fclose(s.out) != 0) {
        fprintf(stderr, "schedsim query: %s: %s\n", a->r_fname, strerror(errno));
        rc = CLI_EXIT_FAIL;
    }
done:
    fflush(stdout);
    free(graph);
    free(options);
    session_free(&s);
    return rc;
}

int cmd_query(int argc, char **argv)
{
    json_t *o = json_object();
    struct q_args a = {NULL, NULL, false, false};
    if (!o)
        return CLI_EXIT_FAIL;
    int rc = parse_args(argc, argv, o, &a);
    if (rc == 0)
        rc = run_session(o, &a);
    json_decref(o);
    return rc < 0 ? CLI_EXIT_OK : rc;
}
