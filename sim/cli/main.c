/* main.c: 'schedsim' entry point, subcommand dispatch, shared CLI helpers. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli.h"

#ifndef SCHEDSIM_VERSION
#define SCHEDSIM_VERSION "unknown"
#endif

static int cmd_version(int argc, char **argv);

static const struct cli_cmd commands[] = {
    {"graph", "generate, inspect and convert resource graphs", cmd_graph},
    {"jobspec", "validate Flux jobspecs (YAML or JSON)", cmd_jobspec},
    {"query", "resource-query compatible matching shell", cmd_query},
    {"workload", "read, convert and generate workload traces", cmd_workload},
    {"run", "replay a workload trace against a resource graph", cmd_run},
    {"compare", "compare run directories side by side", cmd_compare},
    {"plot", "write gnuplot scripts and SVG figures of runs", cmd_plot},
    {"version", "print the version", cmd_version},
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("schedsim %s\n", SCHEDSIM_VERSION);
    return CLI_EXIT_OK;
}

static void print_help(FILE *fp)
{
    fprintf(fp, "Usage: schedsim [--version] [--help] <command> [<args>]\n\n"
                "A discrete-event batch-scheduling simulator with a Fluxion-compatible\n"
                "graph-based resource matching engine.\n\nCommands:\n");
    for (int i = 0; i < NCOMMANDS; i++)
        fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp, "  %-10s %s\n", "help", "show help for schedsim or a command");
    fprintf(fp, "\nRun 'schedsim <command> --help' for a command's options.\n"
                "Exit status: 0 success, 1 bad input or failed operation, 2 bad command "
                "line,\n3 request not satisfiable.\n");
}

static const struct cli_cmd *find_command(const char *name)
{
    for (int i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

void cli_print_error(const eng_error_t *err)
{
    char buf[512];
    fprintf(stderr, "schedsim: %s\n", eng_error_format(err, buf, sizeof buf));
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "schedsim %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'schedsim %s --help'.\n", cmd);
    return CLI_EXIT_USAGE;
}

int cli_parse_int(const char *cmd, const char *opt, const char *text, long long min,
                  long long max, long long *out)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end != '\0' || v < min || v > max)
        return cli_usage_error(cmd, "%s: expected an integer in [%lld, %lld], got '%s'",
                               opt, min, max, text);
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts the process; the libraries check GSL's
     * return values themselves, so the CLI turns the handler off once here. */
    gsl_set_error_handler_off();

    static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
                                         {"version", no_argument, NULL, 'V'},
                                         {NULL, 0, NULL, 0}};
    int c;
    /* '+' stops at the first non-option: the rest belongs to the subcommand. */
    while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            print_help(stdout);
            return CLI_EXIT_OK;
        case 'V':
            printf("schedsim %s\n", SCHEDSIM_VERSION);
            return CLI_EXIT_OK;
        default:
            fprintf(stderr, "Try 'schedsim --help'.\n");
            return CLI_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        print_help(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[optind];
    if (strcmp(name, "help") == 0) {
        if (optind + 1 >= argc) {
            print_help(stdout);
            return CLI_EXIT_OK;
        }
        const struct cli_cmd *cmd = find_command(argv[optind + 1]);
        if (!cmd) {
            fprintf(stderr, "schedsim: unknown command '%s'\n", argv[optind + 1]);
            return CLI_EXIT_USAGE;
        }
        char *hargv[] = {(char *)cmd->name, "--help", NULL};
        optind = 0;
        return cmd->run(2, hargv);
    }
    const struct cli_cmd *cmd = find_command(name);
    if (!cmd) {
        fprintf(stderr, "schedsim: unknown command '%s'\nTry 'schedsim --help'.\n", name);
        return CLI_EXIT_USAGE;
    }
    int sub_argc = argc - optind;
    char **sub_argv = argv + optind;
    optind = 0; /* glibc: 0 fully reinitialises getopt for the subcommand */
    return cmd->run(sub_argc, sub_argv);
}
