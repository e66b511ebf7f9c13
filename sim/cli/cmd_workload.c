/* cmd_workload.c: 'schedsim workload convert|info|gen' -- read, convert and
 * generate workload traces (workloads/: swf.h, jtrace.h, wgen.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "wgen.h"
#include "wtrace.h"

static const char usage_text[] =
    "Usage: schedsim workload convert IN -o OUT [--format swf|jsonl]\n"
    "                [--swf-unit core|node] [--cores-per-node N]\n"
    "       schedsim workload info FILE [--swf-unit core|node] [--cores-per-node N]\n"
    "                [--cores N]\n"
    "       schedsim workload gen [--model lublin|lublin-all|poisson] [--jobs N]\n"
    "                [--seed S] [--nodes N] [--cores-per-node C] [--unit node|core]\n"
    "                [--load L] [--mean-interarrival S] -o OUT [--format swf|jsonl]\n\n"
    "Traces are SWF (Standard Workload Format) or JSON lines, told apart by content\n"
    "on input and by the extension of OUT (.swf, .jsonl) or --format on output.\n"
    "SWF sizes map to jobspecs by cores (--swf-unit core, the default: that many\n"
    "single-core slots anywhere) or by whole nodes (--swf-unit node: ceil(procs /\n"
    "cores-per-node) exclusive nodes).  Jobs that cannot be mapped are kept and\n"
    "counted, never dropped.\n\n"
    "  convert   rewrite a trace in the other format\n"
    "  info      count jobs, unmappable jobs by reason, span and offered load (over\n"
    "            --cores, default the trace's MaxProcs)\n"
    "  gen       generate a seeded synthetic workload: Lublin-Feitelson 2003 with\n"
    "            its batch-job parameters (lublin, the default) or its whole-sample\n"
    "            ones (lublin-all), or Poisson arrivals with log-normal run times;\n"
    "            sizes in whole nodes (--unit node) or cores; gaps scaled so the\n"
    "            offered load is --load (default: the model's own rate)\n";

enum {
    OPT_FORMAT = 256,
    OPT_UNIT,
    OPT_CPN,
    OPT_CORES,
    OPT_MODEL,
    OPT_JOBS,
    OPT_SEED,
    OPT_NODES,
    OPT_GUNIT,
    OPT_LOAD,
    OPT_MIA
};

static const struct option long_opts[] = {
    {"help", no_argument, NULL, 'h'},
    {"output", required_argument, NULL, 'o'},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"swf-unit", required_argument, NULL, OPT_UNIT},
    {"cores-per-node", required_argument, NULL, OPT_CPN},
    {"cores", required_argument, NULL, OPT_CORES},
    {"model", required_argument, NULL, OPT_MODEL},
    {"jobs", required_argument, NULL, OPT_JOBS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"nodes", required_argument, NULL, OPT_NODES},
    {"unit", required_argument, NULL, OPT_GUNIT},
    {"load", required_argument, NULL, OPT_LOAD},
    {"mean-interarrival", required_argument, NULL, OPT_MIA},
    {NULL, 0, NULL, 0},
};

/* The options each subcommand accepts (0-terminated), so 'info --seed 3' is
 * a usage error rather than silently ignored. */
static const int convert_opts[] = {'o', OPT_FORMAT, OPT_UNIT, OPT_CPN, 0};
static const int info_opts[] = {OPT_UNIT, OPT_CPN, OPT_CORES, 0};
static const int gen_opts[] = {'o',      OPT_FORMAT, OPT_CPN,   OPT_MODEL,
                               OPT_JOBS, OPT_SEED,   OPT_NODES, OPT_GUNIT,
                               OPT_LOAD, OPT_MIA,    0};

/* Everything any workload subcommand accepts; each checks what applies. */
struct wl_opts {
    const char *cmd; /* "workload convert", ... for messages */
    const char *out;
    enum wtrace_format format;
    wjob_map_t map;
    long long cores;
    wgen_params_t gen;
    bool help;
};

static int parse_unit(const char *cmd, const char *opt, const char *text,
                      enum wjob_unit *out)
{
    if (strcmp(text, "core") == 0 || strcmp(text, "node") == 0) {
        *out = text[0] == 'c' ? WJOB_UNIT_CORE : WJOB_UNIT_NODE;
        return 0;
    }
    return cli_usage_error(cmd, "%s: expected 'core' or 'node', got '%s'", opt, text);
}

static int parse_double(const char *cmd, const char *opt, const char *text, double min,
                        double max, double *out)
{
    char *end = NULL;
    double v = strtod(text, &end);
    if (end == text || *end || !(v >= min && v <= max))
        return cli_usage_error(cmd, "%s: expected a number in [%g, %g], got '%s'", opt,
                               min, max, text);
    *out = v;
    return 0;
}

static int set_format(struct wl_opts *o, const char *text)
{
    if (strcmp(text, "swf") == 0)
        o->format = WTRACE_FORMAT_SWF;
    else if (strcmp(text, "jsonl") == 0)
        o->format = WTRACE_FORMAT_JSONL;
    else
        return cli_usage_error(o->cmd, "--format: expected 'swf' or 'jsonl', got '%s'",
                               text);
    return 0;
}

static int set_int_opt(struct wl_opts *o, int c, const char *arg)
{
    long long v = 0;
    int rc;
    switch (c) {
    case OPT_CPN:
        rc = cli_parse_int(o->cmd, "--cores-per-node", arg, 1, 1LL << 20, &v);
        o->map.cores_per_node = o->gen.cores_per_node = v;
        return rc;
    case OPT_CORES:
        return cli_parse_int(o->cmd, "--cores", arg, 1, 1LL << 40, &o->cores);
    case OPT_JOBS:
        rc = cli_parse_int(o->cmd, "--jobs", arg, 1, WTRACE_MAX_JOBS, &v);
        o->gen.jobs = (size_t)v;
        return rc;
    case OPT_SEED:
        rc = cli_parse_int(o->cmd, "--seed", arg, 0, 1LL << 62, &v);
        o->gen.seed = (uint64_t)v;
        return rc;
    default: /* OPT_NODES */
        rc = cli_parse_int(o->cmd, "--nodes", arg, 1, 1LL << 31, &v);
        o->gen.nodes = v;
        return rc;
    }
}

static int set_opt(struct wl_opts *o, int c, const char *arg)
{
    switch (c) {
    case 'h':
        o->help = true;
        return 0;
    case 'o':
        o->out = arg;
        return 0;
    case OPT_FORMAT:
        return set_format(o, arg);
    case OPT_UNIT:
        return parse_unit(o->cmd, "--swf-unit", arg, &o->map.unit);
    case OPT_GUNIT:
        return parse_unit(o->cmd, "--unit", arg, &o->gen.unit);
    case OPT_MODEL: {
        int m = wgen_model_parse(arg);
        if (m < 0)
            return cli_usage_error(
                o->cmd,
                "--model: expected 'lublin', 'lublin-all' or 'poisson', "
                "got '%s'",
                arg);
        o->gen.model = (enum wgen_model)m;
        return 0;
    }
    case OPT_LOAD:
        return parse_double(o->cmd, "--load", arg, 0, 1000, &o->gen.load);
    case OPT_MIA:
        return parse_double(o->cmd, "--mean-interarrival", arg, 1e-3, 1e8,
                            &o->gen.mean_interarrival_s);
    case OPT_CPN:
    case OPT_CORES:
    case OPT_JOBS:
    case OPT_SEED:
    case OPT_NODES:
        return set_int_opt(o, c, arg);
    default:
        return cli_usage_error(o->cmd, "unknown option");
    }
}

/* Parse options of subcommand 'o->cmd'; 'allowed' lists the option codes it
 * accepts (one of the *_opts tables). */
static int parse_opts(struct wl_opts *o, int argc, char **argv, const int *allowed)
{
    int c, li = -1;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "ho:", long_opts, &li)) != -1) {
        if (c == '?')
            return cli_usage_error(o->cmd, "unknown option or missing argument: '%s'",
                                   argv[optind - 1]);
        bool ok = c == 'h';
        for (int i = 0; allowed[i] && !ok; i++)
            ok = allowed[i] == c;
        if (!ok)
            return cli_usage_error(o->cmd, "option '%s%s' does not apply here",
                                   li >= 0 ? "--" : "-",
                                   li >= 0 ? long_opts[li].name : "o");
        li = -1;
        int rc = set_opt(o, c, optarg);
        if (rc)
            return rc;
    }
    return 0;
}

static enum wtrace_format out_format(const struct wl_opts *o)
{
    if (o->format != WTRACE_FORMAT_UNKNOWN)
        return o->format;
    return wtrace_format_from_name(o->out);
}

static int write_trace(const struct wl_opts *o, const wtrace_t *t)
{
    eng_error_t err;
    if (wtrace_dump(t, o->out, out_format(o), &err) != 0) {
        cli_print_error(&err);
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}

static int check_output(const struct wl_opts *o)
{
    if (!o->out)
        return cli_usage_error(o->cmd, "missing -o OUT");
    if (out_format(o) == WTRACE_FORMAT_UNKNOWN)
        return cli_usage_error(o->cmd,
                               "cannot tell the format of '%s': name it .swf or "
                               ".jsonl, or give --format",
                               o->out);
    return 0;
}

static int print_usage(void)
{
    fputs(usage_text, stdout);
    return CLI_EXIT_OK;
}

/* The one positional argument (IN or FILE) after the options. */
static int positional(const struct wl_opts *o, int argc, char **argv, const char **out)
{
    if (optind >= argc)
        return cli_usage_error(o->cmd, "missing input trace");
    if (optind + 1 < argc)
        return cli_usage_error(o->cmd, "unexpected argument '%s'", argv[optind + 1]);
    *out = argv[optind];
    return 0;
}

static wtrace_t *load_trace(const char *path, const wjob_map_t *map)
{
    eng_error_t err;
    wtrace_t *t = wtrace_load(path, map, &err);
    if (!t)
        cli_print_error(&err);
    return t;
}

static int run_convert(struct wl_opts *o, int argc, char **argv)
{
    const char *in = NULL;
    int rc = parse_opts(o, argc, argv, convert_opts);
    if (rc || o->help)
        return rc ? rc : print_usage();
    if ((rc = positional(o, argc, argv, &in)) || (rc = check_output(o)))
        return rc;
    wtrace_t *t = load_trace(in, &o->map);
    if (!t)
        return CLI_EXIT_FAIL;
    rc = write_trace(o, t);
    wtrace_destroy(t);
    return rc;
}

/* Total cores for the offered load: --cores, else MaxProcs, else MaxNodes
 * times cores per node. */
static long long total_cores(const struct wl_opts *o, const wtrace_t *t,
                             const char **from)
{
    int64_t v = 0;
    *from = "--cores";
    if (o->cores > 0)
        return o->cores;
    *from = "MaxProcs";
    if (wtrace_meta_int(t, "MaxProcs", &v) == 0 && v > 0)
        return v;
    *from = "MaxNodes x cores per node";
    if (wtrace_meta_int(t, "MaxNodes", &v) == 0 && v > 0)
        return v * o->map.cores_per_node;
    *from = "unknown";
    return 0;
}

static void print_info(const char *path, const struct wl_opts *o, const wtrace_t *t)
{
    const char *from = NULL;
    long long cores = total_cores(o, t, &from);
    wtrace_stats_t s;
    wtrace_stats(t, cores, &s);
    printf("file: %s\njobs: %zu\nmappable: %zu\n", path, s.jobs, s.mappable);
    size_t unmapped = s.jobs - s.mappable;
    printf("unmappable: %zu\n", unmapped);
    for (int r = 1; r < WJOB_NREASONS; r++)
        if (s.unmapped[r])
            printf("unmappable (%s): %zu\n", wjob_reason_str((enum wjob_reason)r),
                   s.unmapped[r]);
    printf("span_s: %lld\nspan_days: %.2f\n", (long long)s.span_s, s.span_s / 86400.0);
    printf("submit_offset_s: %lld\n", (long long)wtrace_submit_offset(t));
    int64_t epoch = 0;
    if (wtrace_meta_int(t, "UnixStartTime", &epoch) == 0)
        printf("first_submit_epoch: %lld\n",
               (long long)(epoch + wtrace_submit_offset(t)));
    printf("max_procs: %lld\nwork_core_s: %.0f\n", (long long)s.max_procs, s.work_core_s);
    printf("cores: %lld (%s)\n", cores, from);
    if (cores > 0 && s.span_s > 0)
        printf("offered_load: %.4f\n", s.offered_load);
    else
        printf("offered_load: unknown\n");
}

static int run_info(struct wl_opts *o, int argc, char **argv)
{
    const char *in = NULL;
    int rc = parse_opts(o, argc, argv, info_opts);
    if (rc || o->help)
        return rc ? rc : print_usage();
    if ((rc = positional(o, argc, argv, &in)))
        return rc;
    wtrace_t *t = load_trace(in, &o->map);
    if (!t)
        return CLI_EXIT_FAIL;
    print_info(in, o, t);
    wtrace_destroy(t);
    return CLI_EXIT_OK;
}

static int run_gen(struct wl_opts *o, int argc, char **argv)
{
    int rc = parse_opts(o, argc, argv, gen_opts);
    if (rc || o->help)
        return rc ? rc : print_usage();
    if (optind < argc)
        return cli_usage_error(o->cmd, "unexpected argument '%s'", argv[optind]);
    if ((rc = check_output(o)))
        return rc;
    eng_error_t err;
    wtrace_t *t = wgen_generate(&o->gen, &err);
    if (!t) {
        cli_print_error(&err);
        return CLI_EXIT_FAIL;
    }
    rc = write_trace(o, t);
    wtrace_destroy(t);
    return rc;
}

static const struct {
    const char *name, *cmd;
    int (*run)(struct wl_opts *o, int argc, char **argv);
} subs[] = {{"convert", "workload convert", run_convert},
            {"info", "workload info", run_info},
            {"gen", "workload gen", run_gen}};

int cmd_workload(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("workload", "missing subcommand: convert, info or gen");
    const char *sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)
        return print_usage();
    struct wl_opts o = {.map = {WJOB_UNIT_CORE, 1}};
    wgen_params_init(&o.gen);
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(sub, subs[i].name) == 0) {
            o.cmd = subs[i].cmd;
            return subs[i].run(&o, argc - 1, argv + 1);
        }
    return cli_usage_error("workload",
                           "unknown subcommand '%s': expected convert, info "
                           "or gen",
                           sub);
}
