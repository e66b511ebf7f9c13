/* cmd_compare.c: 'schedsim compare' -- runs side by side (reports/metrics.h). */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "metrics.h"

static const char usage_text[] =
    "Usage: schedsim compare [--out FILE] RUN_DIR...\n\n"
    "Read summary.csv of each run directory written by 'schedsim run' and write one\n"
    "CSV with a row per metric and a column per run (default compare.csv; '-' is\n"
    "standard output), then print it as an aligned table.\n";

int cmd_compare(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
                                         {"out", required_argument, NULL, 'o'},
                                         {NULL, 0, NULL, 0}};
    const char *out = "compare.csv";
    int c;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        case 'o':
            out = optarg;
            break;
        default:
            return cli_usage_error("compare", "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error("compare", "expected at least one run directory");
    eng_error_t err;
    eng_error_clear(&err);
    int rc = metrics_compare((const char *const *)argv + optind, (size_t)(argc - optind),
                             out, stdout, &err);
    if (rc < 0) {
        cli_print_error(&err);
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}
