/* cmd_query_misc.c: the graph-state and bookkeeping commands of 'schedsim
 * query' (properties, status, list, info, stat, cat, help, quit) and the
 * command table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_query.h"
#include "rg.h"

static int malformed(void)
{
    fputs("ERROR: malformed command\n", stderr);
    return 0;
}

/* The first live vertex whose path is 'path' in any subsystem (Fluxion's
 * by_path index covers them all), or RG_VID_NONE. */
static rg_vid_t find_path(const rg_graph_t *g, const char *path)
{
    rg_sym_t subs[16];
    size_t n = rg_graph_subsystems(g, subs, 16);
    for (size_t i = 0; i < n && i < 16; i++) {
        rg_vid_t v = rg_vertex_find_path(g, subs[i], path);
        if (v != RG_VID_NONE)
            return v;
    }
    return RG_VID_NONE;
}

static int cmd_set_property(struct q_session *s, int argc, char **argv)
{
    if (argc != 3)
        return malformed();
    const char *eq = strchr(argv[2], '=');
    size_t len = strlen(argv[2]);
    if (!eq || eq == argv[2] || (size_t)(eq - argv[2]) == len - 1) {
        fprintf(s->out, "Incorrect input format. \n"
                        "Please use `set-property <resource> PROPERTY=VALUE`.\n");
        return 0;
    }
    if (find_path(eng_graph(s->e), argv[1]) == RG_VID_NONE) {
        fprintf(s->out, "Couldn't find path %s in resource graph.\n", argv[1]);
        return 0;
    }
    char *key = strndup(argv[2], (size_t)(eq - argv[2]));
    if (key)
        eng_property_set(s->e, argv[1], key, eq + 1, NULL);
    free(key);
    return 0;
}

static int cmd_get_property(struct q_session *s, int argc, char **argv)
{
    if (argc != 2)
        return malformed();
    const rg_graph_t *g = eng_graph(s->e);
    rg_vid_t v = find_path(g, argv[1]);
    if (v == RG_VID_NONE) {
        fprintf(s->out, "Could not find path %s in resource graph.\n", argv[1]);
        return 0;
    }
    rg_prop_it_t it = rg_prop_first(g, v);
    if (it == RG_PROP_END)
        fprintf(s->out, "No properties were found for %s (vtx's uniq_id=%lld).\n",
                argv[1], (long long)rg_vertex_get(g, v)->uniq_id);
    for (; it != RG_PROP_END; it = rg_prop_next(g, it))
        fprintf(s->out, "%s=%s\n", rg_sym_str(g, rg_prop_key(g, it)),
                rg_sym_str(g, rg_prop_value(g, it)));
    return 0;
}

static int cmd_set_status(struct q_session *s, int argc, char **argv)
{
    if (argc != 3)
        return malformed();
    if (find_path(eng_graph(s->e), argv[1]) == RG_VID_NONE) {
        fprintf(s->out, "Could not find path %s in resource graph.\n", argv[1]);
        return 0;
    }
    bool up = strcmp(argv[2], "up") == 0;
    if (!up && strcmp(argv[2], "down") != 0) {
        fputs("ERROR: unrecognized status\n", stderr);
        return 0;
    }
    if (eng_status_set(s->e, argv[1], up, NULL) < 0) {
        const char *m = eng_message(s->e);
        if (m && *m)
            fputs(m, stderr);
    }
    return 0;
}

static int cmd_get_status(struct q_session *s, int argc, char **argv)
{
    if (argc != 2)
        return malformed();
    bool up;
    if (find_path(eng_graph(s->e), argv[1]) == RG_VID_NONE ||
        eng_status_get(s->e, argv[1], &up, NULL) < 0) {
        fprintf(s->out, "Could not find path %s in resource graph.\n", argv[1]);
        return 0;
    }
    fprintf(s->out, "%s is %s\n", argv[1], up ? "up" : "down");
    return 0;
}

static void print_job(const struct q_job *j)
{
    printf("INFO: %llu, %s, %lld, %s, %g\n", (unsigned long long)j->jobid,
           q_state_name(j->state), (long long)j->at, j->fn, j->overhead);
}

static int cmd_list(struct q_session *s, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    for (size_t i = 0; i < s->njobs; i++)
        print_job(&s->jobs[i]);
    return 0;
}

static int cmd_info(struct q_session *s, int argc, char **argv)
{
    if (argc != 2)
        return malformed();
    uint64_t jobid = (uint64_t)strtoll(argv[1], NULL, 10);
    struct q_job *j = q_job_get(s, jobid);
    if (!j) {
        fprintf(stderr, "info: ERROR: nonexistent job %llu\n", (unsigned long long)jobid);
        return 0;
    }
    print_job(j);
    return 0;
}

static int cmd_stat(struct q_session *s, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return malformed();
    double avg = 0.0, min = 0.0;
    if (s->njobs) {
        avg = s->perf_accum / (double)s->njobs;
        min = s->perf_min; /* stays DBL_MAX without updates, as in Fluxion */
    }
    printf("INFO: Num. of Jobs Matched: %zu\n", s->njobs);
    printf("INFO: Min. Match Time: %g\n", min);
    printf("INFO: Max. Match Time: %g\n", s->perf_max);
    printf("INFO: Avg. Match Time: %g\n", avg);
    return 0;
}

static int cmd_cat(struct q_session *s, int argc, char **argv)
{
    (void)s;
    if (argc < 2)
        return malformed();
    char *text = q_read_file(argv[1], NULL);
    if (text) {
        fputs(text, stdout);
        if (*text && text[strlen(text) - 1] != '\n')
            putchar('\n');
    }
    free(text);
    printf("INFO: Jobspec in %s\n", argv[1]);
    return 0;
}

static int cmd_quit(struct q_session *s, int argc, char **argv)
{
    (void)s;
    (void)argc;
    (void)argv;
    return -1;
}

static int cmd_help(struct q_session *s, int argc, char **argv);

static const struct q_cmd {
    const char *name, *abbr;
    q_cmd_f run;
    const char *note;
} cmds[] = {
    {"match", "m", q_cmd_match,
     "Allocate or reserve matching resources (subcmd: allocate | "
     "allocate_with_satisfiability | allocate_orelse_reserve) | satisfiability | "
     "without_allocating | without_allocating_future: resource-query> match allocate "
     "jobspec"},
    {"multi-match", "M", q_cmd_match_multi,
     "Allocate or reserve for multiple jobspecs (subcmd: allocate | "
     "allocate_with_satisfiability | allocate_orelse_reserve | without_allocating | "
     "without_allocating_future): resource-query> multi-match allocate jobspec1 jobspec2 "
     "..."},
    {"update", "u", q_cmd_update,
     "Update resources with a JGF subgraph (subcmd: allocate | reserve), (reader: jgf | "
     "jgf_shorthand | rv1exec): resource-query> update allocate jgf jgf_file jobid "
     "starttime duration"},
    {"attach", "j", q_cmd_attach,
     "Attach a JGF subgraph to the resource graph: resource-query> attach jgf_file"},
    {"remove", "j", q_cmd_remove,
     "Remove a subgraph from the resource graph, specifying whether the target is a path "
     "(true) or idset (false): resource-query> remove (/path/to/node/ | idset) "
     "(true|false)"},
    {"find", "f", q_cmd_find,
     "Find resources matched with criteria (predicates: status={up|down} "
     "sched-now={allocated|free} sched-future={reserved|free} agfilter={true|false} "
     "names=hostlist jobid-alloc=jobid jobid-span=jobid jobid-tag=jobid "
     "jobid-reserved=jobid property=name): resource-query> find status=down and "
     "sched-now=allocated"},
    {"cancel", "c", q_cmd_cancel,
     "Cancel an allocation or reservation: resource-query> cancel jobid (optional "
     "subcmd: "
     "stats)"},
    {"partial-cancel", "pc", q_cmd_partial_cancel,
     "Partially release an allocation: resource-query> partial-cancel jobid (file "
     "format: "
     "jgf | rv1exec) R_to_cancel.file (optional subcmd: stats)"},
    {"set-property", "p", cmd_set_property,
     "Add a property to a resource: resource-query> set-property resource "
     "PROPERTY=VALUE"},
    {"get-property", "g", cmd_get_property,
     "Get all properties of a resource: resource-query> get-property resource"},
    {"set-status", "t", cmd_set_status,
     "Set resource status on vertex: resource-query> set-status PATH_TO_VERTEX "
     "{up|down}"},
    {"get-status", "e", cmd_get_status,
     "Get the graph resource vertex status: resource-query> get-status PATH_TO_VERTEX"},
    {"list", "l", cmd_list, "List all jobs: resource-query> list"},
    {"info", "i", cmd_info, "Print info on a jobid: resource-query> info jobid"},
    {"stat", "s", cmd_stat, "Print overall stats: resource-query> stat jobid"},
    {"cat", "a", cmd_cat, "Print jobspec file: resource-query> cat jobspec"},
    {"help", "h", cmd_help, "Print help message: resource-query> help"},
    {"quit", "q", cmd_quit, "Quit the session: resource-query> quit"},
};
enum { NCMDS = sizeof cmds / sizeof cmds[0] };

static int cmd_help(struct q_session *s, int argc, char **argv)
{
    (void)s;
    bool found = false;
    const char *want = argc == 2 ? argv[1] : NULL;
    for (int i = 0; i < NCMDS; i++) {
        if (!want || strcmp(want, cmds[i].name) == 0 || strcmp(want, cmds[i].abbr) == 0) {
            printf("INFO: %s (%s) -- %s\n", cmds[i].name, cmds[i].abbr, cmds[i].note);
            found = true;
        }
    }
    if (want && !found)
        printf("ERROR: unknown command: %s\n", want);
    return 0;
}

q_cmd_f q_cmd_lookup(const char *name)
{
    for (int i = 0; i < NCMDS; i++)
        if (strcmp(name, cmds[i].name) == 0 || strcmp(name, cmds[i].abbr) == 0)
            return cmds[i].run;
    return NULL;
}
