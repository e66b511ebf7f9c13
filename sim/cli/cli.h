/* cli.h: the schedsim command-line front end.
 *
 * Each subcommand lives in sim/cli/cmd_<name>.c and exports one
 * 'int cmd_<name>(int argc, char **argv)' that parses its own options with
 * getopt_long (argv[0] is the subcommand name) and returns an exit code. */
#ifndef SCHEDSIM_CLI_H
#define SCHEDSIM_CLI_H

#include "eng_error.h"

/* Exit codes of every subcommand (documented in README.md). */
enum cli_exit {
    CLI_EXIT_OK = 0,      /* success */
    CLI_EXIT_FAIL = 1,    /* bad input, or the operation failed */
    CLI_EXIT_USAGE = 2,   /* bad command line */
    CLI_EXIT_NOMATCH = 3, /* a request could not be satisfied (query, jobspec check) */
};

struct cli_cmd {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
};

/* Print "schedsim: <formatted err>" to stderr. */
void cli_print_error(const eng_error_t *err);

/* Print "schedsim <cmd>: message" + "Try 'schedsim <cmd> --help'." to stderr
 * and return CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parse a whole decimal integer in [min, max] for option 'opt' of 'cmd'.
 * Returns 0, or prints a usage error and returns CLI_EXIT_USAGE. */
int cli_parse_int(const char *cmd, const char *opt, const char *text, long long min,
                  long long max, long long *out);

int cmd_graph(int argc, char **argv);
int cmd_jobspec(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_workload(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_plot(int argc, char **argv);

#endif /* SCHEDSIM_CLI_H */
