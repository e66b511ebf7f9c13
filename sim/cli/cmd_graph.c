/* cmd_graph.c: 'schedsim graph gen|info|convert': generate, inspect and
 * convert resource graphs (JGF). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ggen.h"
#include "graph_load.h"
#include "jgf.h"

enum { MAX_PROPS = 256 };

static void help_graph(FILE *fp)
{
    fprintf(fp,
            "Usage: schedsim graph <subcommand> [<args>]\n\n"
            "Subcommands:\n"
            "  gen      generate a cluster resource graph as JGF\n"
            "  info     print counts by type and subsystem, roots and depth of a graph\n"
            "  convert  load a graph (JGF, GRUG, hwloc, rv1exec) and write it as JGF\n\n"
            "Run 'schedsim graph <subcommand> --help' for its options.\n");
}

static void help_gen(FILE *fp)
{
    fprintf(
        fp,
        "Usage: schedsim graph gen [options]\n\n"
        "Write the JGF of cluster -> [rack] -> node -> socket -> core/gpu/memory,\n"
        "in the vertex and edge order of Fluxion's generated graphs.\n\n"
        "  -n, --nodes N          nodes (default 1)\n"
        "  -s, --sockets S        sockets per node (default 2)\n"
        "  -c, --cores C          cores per socket (default 16)\n"
        "  -g, --gpus G           GPUs per socket (default 0)\n"
        "  -m, --memory MIB       one memory vertex of MIB MiB per socket (default "
        "none)\n"
        "  -r, --racks R          spread the nodes over R racks (default: no racks)\n"
        "      --prefix NAME      node basename (default node)\n"
        "      --cluster NAME     cluster basename (default cluster)\n"
        "  -p, --property NAME[=VALUE]@RANGES\n"
        "                         property on node indexes, e.g. ssd@0-15 (repeatable)\n"
        "  -o, --output FILE      write FILE atomically (default standard output)\n"
        "  -h, --help             show this help\n");
}

static void help_info(FILE *fp)
{
    fprintf(fp,
            "Usage: schedsim graph info [-f FORMAT] FILE\n\n"
            "Print vertex and edge counts, counts by type and by subsystem, the root\n"
            "of each subsystem and the containment depth of the graph in FILE ('-'\n"
            "reads standard input).  FORMAT: jgf, grug, hwloc, rv1exec or auto (the\n"
            "default: told by content).\n");
}

static void help_convert(FILE *fp)
{
    fprintf(fp, "Usage: schedsim graph convert [-f FORMAT] [--to jgf] FILE [-o OUT]\n\n"
                "Load the graph in FILE (FORMAT: jgf, grug, hwloc, rv1exec or auto, the\n"
                "default) and write it as JGF to OUT (default standard output).\n");
}

static int parse_gen_opt(int c, const char *arg, struct ggen_spec *s,
                         struct ggen_prop *props, const char **out)
{
    long long v = 0;
    int rc = 0;
    switch (c) {
    case 'n':
        rc = cli_parse_int("graph gen", "--nodes", arg, 1, GGEN_NODES_MAX, &v);
        s->nodes = v;
        break;
    case 's':
        rc = cli_parse_int("graph gen", "--sockets", arg, 1, GGEN_SOCKETS_MAX, &v);
        s->sockets = v;
        break;
    case 'c':
        rc = cli_parse_int("graph gen", "--cores", arg, 0, GGEN_CORES_MAX, &v);
        s->cores = v;
        break;
    case 'g':
        rc = cli_parse_int("graph gen", "--gpus", arg, 0, GGEN_GPUS_MAX, &v);
        s->gpus = v;
        break;
    case 'm':
        rc = cli_parse_int("graph gen", "--memory", arg, 1, JGF_SIZE_MAX, &v);
        s->memory_mib = v;
        break;
    case 'r':
        rc = cli_parse_int("graph gen", "--racks", arg, 0, GGEN_NODES_MAX, &v);
        s->racks = v;
        break;
    case 'G':
        rc = cli_parse_int("graph gen", "--node-gpus", arg, 0, GGEN_GPUS_MAX, &v);
        s->node_gpus = v;
        break;
    case 'M':
        rc = cli_parse_int("graph gen", "--node-memory", arg, 1, JGF_SIZE_MAX, &v);
        s->node_memory_mib = v;
        break;
    case 'P':
        s->prefix = arg;
        break;
    case 'C':
        s->cluster = arg;
        break;
    case 'o':
        *out = arg;
        break;
    case 'p': {
        eng_error_t err;
        eng_error_clear(&err);
        if (ggen_prop_parse(arg, props, MAX_PROPS, &s->nprops, &err))
            return cli_usage_error("graph gen", "--property '%s': column %d: %s", arg,
                                   err.column, err.text);
        break;
    }
    default:
        return CLI_EXIT_USAGE;
    }
    return rc;
}

static int graph_gen(int argc, char **argv)
{
    static const struct option opts[] = {{"nodes", required_argument, NULL, 'n'},
                                         {"sockets", required_argument, NULL, 's'},
                                         {"cores", required_argument, NULL, 'c'},
                                         {"gpus", required_argument, NULL, 'g'},
                                         {"memory", required_argument, NULL, 'm'},
                                         {"racks", required_argument, NULL, 'r'},
                                         {"node-gpus", required_argument, NULL, 'G'},
                                         {"node-memory", required_argument, NULL, 'M'},
                                         {"prefix", required_argument, NULL, 'P'},
                                         {"cluster", required_argument, NULL, 'C'},
                                         {"property", required_argument, NULL, 'p'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct ggen_spec spec;
    ggen_spec_default(&spec);
    struct ggen_prop *props = calloc(MAX_PROPS, sizeof *props);
    if (!props)
        return CLI_EXIT_FAIL;
    spec.props = props;
    const char *out = "-";
    int c, rc = 0;
    while (rc == 0 &&
           (c = getopt_long(argc, argv, "n:s:c:g:m:r:p:o:h", opts, NULL)) != -1) {
        if (c == 'h') {
            help_gen(stdout);
            free(props);
            return CLI_EXIT_OK;
        }
        if (c == '?')
            rc = cli_usage_error("graph gen", "bad option");
        else
            rc = parse_gen_opt(c, optarg, &spec, props, &out);
    }
    if (rc == 0 && optind < argc)
        rc = cli_usage_error("graph gen", "unexpected argument '%s'", argv[optind]);
    if (rc == 0 && spec.racks > spec.nodes)
        rc = cli_usage_error("graph gen", "--racks: more racks than nodes");
    if (rc) {
        free(props);
        return rc;
    }
    eng_error_t err;
    eng_error_clear(&err);
    rg_graph_t *g = ggen_build(&spec, &err);
    free(props);
    if (!g || jgf_dump(g, out, &err)) {
        rg_graph_destroy(g);
        cli_print_error(&err);
        return err.code == ENG_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
    }
    rg_graph_destroy(g);
    return CLI_EXIT_OK;
}

/* ---- info ------------------------------------------------------------------ */

static int cmp_sym_name(const void *a, const void *b, void *g)
{
    return strcmp(rg_sym_str(g, *(const rg_sym_t *)a),
                  rg_sym_str(g, *(const rg_sym_t *)b));
}

/* Sort symbols by name (insertion sort: few types). */
static void sort_syms(const rg_graph_t *g, rg_sym_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && cmp_sym_name(&v[j - 1], &v[j], (void *)g) > 0; j--) {
            rg_sym_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

static void print_types(const rg_graph_t *g)
{
    size_t nsyms = rg_sym_count(g), n = 0;
    rg_sym_t *types = malloc((nsyms ? nsyms : 1) * sizeof *types);
    if (!types)
        return;
    for (rg_sym_t s = 0; s < nsyms; s++)
        if (rg_graph_type_count(g, s) > 0)
            types[n++] = s;
    sort_syms(g, types, n);
    for (size_t i = 0; i < n; i++)
        printf("type %s: %zu\n", rg_sym_str(g, types[i]),
               rg_graph_type_count(g, types[i]));
    free(types);
}

static void print_info(const rg_graph_t *g)
{
    printf("vertices: %zu\nedges: %zu\ndepth: %d\n", rg_graph_vertex_count(g),
           rg_graph_edge_count(g), rg_graph_depth(g));
    rg_sym_t subs[64];
    size_t n = rg_graph_subsystems(g, subs, 64);
    for (size_t i = 0; i < n && i < 64; i++) {
        char root[RG_PATH_MAX] = "(none)";
        rg_vid_t r = rg_graph_root(g, subs[i]);
        if (r != RG_VID_NONE)
            rg_vertex_path(g, r, subs[i], root, sizeof root);
        printf("subsystem %s: %zu vertices, %zu edges, root %s\n", rg_sym_str(g, subs[i]),
               rg_graph_subsystem_vertex_count(g, subs[i]),
               rg_graph_subsystem_edge_count(g, subs[i]), root);
    }
    print_types(g);
}

/* Options of 'info' and 'convert': [-f FORMAT] [--to jgf] [-o OUT] FILE. */
static int load_args(const char *cmd, int argc, char **argv, void (*help)(FILE *),
                     bool want_out, const char **in, const char **out, const char **fmt)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, want_out ? "o:f:h" : "f:h", opts, NULL)) != -1) {
        if (c == 'h') {
            help(stdout);
            return -1;
        }
        if (c == 'f' && graph_load_format_known(optarg)) {
            *fmt = optarg;
            continue;
        }
        if (c == 't' && want_out && strcmp(optarg, "jgf") == 0)
            continue;
        if (c != 'o' || !want_out)
            return cli_usage_error(cmd, "bad option");
        *out = optarg;
    }
    if (optind + 1 != argc)
        return cli_usage_error(cmd, "expected one FILE");
    *in = argv[optind];
    return 0;
}

static int graph_load_cmd(int argc, char **argv, bool convert)
{
    const char *cmd = convert ? "graph convert" : "graph info", *in = NULL, *out = "-";
    const char *fmt = NULL;
    int rc = load_args(cmd, argc, argv, convert ? help_convert : help_info, convert, &in,
                       &out, &fmt);
    if (rc)
        return rc < 0 ? CLI_EXIT_OK : rc;
    eng_error_t err;
    struct graph_load_opts opts = {.keep_unit = true}; /* lossless, unlike Fluxion */
    rg_graph_t *g = graph_load_file(in, fmt, &opts, &err);
    if (!g) {
        cli_print_error(&err);
        return CLI_EXIT_FAIL;
    }
    if (convert) {
        rc = jgf_dump(g, out, &err) ? CLI_EXIT_FAIL : CLI_EXIT_OK;
        if (rc)
            cli_print_error(&err);
    } else {
        print_info(g);
    }
    rg_graph_destroy(g);
    return rc;
}

int cmd_graph(int argc, char **argv)
{
    if (argc < 2) {
        help_graph(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 ||
        strcmp(sub, "help") == 0) {
        help_graph(stdout);
        return CLI_EXIT_OK;
    }
    optind = 0; /* the subcommand parses argv[1..] afresh */
    if (strcmp(sub, "gen") == 0)
        return graph_gen(argc - 1, argv + 1);
    if (strcmp(sub, "info") == 0)
        return graph_load_cmd(argc - 1, argv + 1, false);
    if (strcmp(sub, "convert") == 0)
        return graph_load_cmd(argc - 1, argv + 1, true);
    return cli_usage_error("graph", "unknown subcommand '%s'", sub);
}
