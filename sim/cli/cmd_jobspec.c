/* cmd_jobspec.c: 'schedsim jobspec check|show' — validate Flux jobspecs. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fio.h"
#include "jobspec.h"

static void jobspec_help(FILE *fp)
{
    fprintf(fp,
            "Usage: schedsim jobspec check [--quiet] [--fluxion] FILE...\n"
            "       schedsim jobspec show FILE\n\n"
            "Validate Flux jobspecs (YAML or JSON; RFC 14 canonical 'version: 9999' or\n"
            "RFC 25 version 1) by the rules of Fluxion's jobspec library.\n\n"
            "  check   print 'FILE: ok' for each valid file, and 'FILE:LINE:COLUMN: "
            "what'\n"
            "          on standard error for each invalid one\n"
            "  show    print the parsed request tree of FILE (counts in full)\n\n"
            "Options:\n"
            "  -q, --quiet   check: print nothing for valid files\n"
            "  -F, --fluxion accept exactly what Fluxion's libjobspec accepts and word\n"
            "                errors as it does (resource-query's messages)\n"
            "  -h, --help    show this help\n\n"
            "FILE '-' is standard input.  Exit status: 0 all valid, 1 some file invalid\n"
            "or unreadable, 2 bad command line.\n");
}

/* jobspec_load() with 'flags'. */
static jobspec_t *load_file(const char *path, unsigned flags, eng_error_t *err)
{
    if (!flags)
        return jobspec_load(path, err);
    size_t len = 0;
    char *text = fio_read_all(path, JOBSPEC_TEXT_MAX, &len, err);
    if (!text)
        return NULL;
    jobspec_t *js = jobspec_parse_ex(text, len, path, flags, err);
    free(text);
    return js;
}

static int check_files(int nfiles, char **files, bool quiet, unsigned flags)
{
    int rc = CLI_EXIT_OK;
    for (int i = 0; i < nfiles; i++) {
        eng_error_t err;
        jobspec_t *js = load_file(files[i], flags, &err);
        if (!js) {
            char buf[512];
            fprintf(stderr, "%s\n", eng_error_format(&err, buf, sizeof buf));
            rc = CLI_EXIT_FAIL;
            continue;
        }
        if (!quiet)
            printf("%s: ok\n", files[i]);
        jobspec_destroy(js);
    }
    return rc;
}

static int show_file(const char *file, unsigned flags)
{
    eng_error_t err;
    jobspec_t *js = load_file(file, flags, &err);
    if (!js) {
        cli_print_error(&err);
        return CLI_EXIT_FAIL;
    }
    char *text = jobspec_format(js);
    jobspec_destroy(js);
    if (!text) {
        fprintf(stderr, "schedsim: jobspec show: out of memory\n");
        return CLI_EXIT_FAIL;
    }
    fputs(text, stdout);
    eng_free(text);
    return CLI_EXIT_OK;
}

int cmd_jobspec(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"fluxion", no_argument, NULL, 'F'},
                                         {NULL, 0, NULL, 0}};
    bool quiet = false;
    unsigned flags = 0;
    int c;
    /* Options may come before or after the action and the files. */
    while ((c = getopt_long(argc, argv, "hqF", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            jobspec_help(stdout);
            return CLI_EXIT_OK;
        case 'q':
            quiet = true;
            break;
        case 'F':
            flags |= JOBSPEC_FLUXION;
            break;
        default:
            return cli_usage_error("jobspec", "bad option");
        }
    }
    if (optind >= argc)
        return cli_usage_error("jobspec", "expected an action: check or show");
    const char *action = argv[optind++];
    int nfiles = argc - optind;
    if (strcmp(action, "check") == 0) {
        if (nfiles < 1)
            return cli_usage_error("jobspec", "check: expected at least one FILE");
        return check_files(nfiles, argv + optind, quiet, flags);
    }
    if (strcmp(action, "show") == 0) {
        if (nfiles != 1)
            return cli_usage_error("jobspec", "show: expected exactly one FILE");
        return show_file(argv[optind], flags);
    }
    return cli_usage_error("jobspec", "unknown action '%s' (expected check or show)",
                           action);
}
