/* cmd_plot.c: 'schedsim plot' -- gnuplot scripts and SVG figures of runs
 * (reports/metrics.h: metrics_plot()).  The library writes the scripts; the
 * CLI runs gnuplot on them when it is installed (Debian: gnuplot-nox). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "metrics.h"

static const char usage_text[] =
    "Usage: schedsim plot [--out DIR] RUN_DIR...\n\n"
    "Write gnuplot scripts beside each run's CSV files -- utilisation.gp (cores in\n"
    "use and jobs waiting over time) and, for runs small enough to read, gantt.gp\n"
    "(nodes x time) -- and wait_cdf.gp (the wait-time CDF, one curve per run) in\n"
    "DIR (default: the first run directory), then render each to SVG with gnuplot.\n"
    "Without gnuplot the scripts are still written, with the command to render them.\n";

enum { MAX_SCRIPTS = 1024 };

static bool have_gnuplot(void)
{
    const char *path = getenv("PATH");
    for (const char *p = path ? path : ""; *p;) {
        size_t len = strcspn(p, ":");
        char exe[4200];
        snprintf(exe, sizeof exe, "%.*s/gnuplot", (int)len, p);
        if (len && access(exe, X_OK) == 0)
            return true;
        p += len + (p[len] == ':');
    }
    return false;
}

/* Run gnuplot on 's->script' inside 's->dir'.  Returns gnuplot's status. */
static int render(const struct metrics_plot_script *s)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (chdir(s->dir) == 0)
            execlp("gnuplot", "gnuplot", s->script, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int cmd_plot(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
                                         {"out", required_argument, NULL, 'o'},
                                         {NULL, 0, NULL, 0}};
    const char *out = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        }
        if (c != 'o')
            return cli_usage_error("plot", "unknown option");
        out = optarg;
    }
    if (optind >= argc)
        return cli_usage_error("plot", "expected at least one run directory");
    struct metrics_plot_script *scripts = calloc(MAX_SCRIPTS, sizeof *scripts);
    size_t n = 0;
    eng_error_t err;
    eng_error_clear(&err);
    int rc = scripts ? metrics_plot((const char *const *)argv + optind,
                                    (size_t)(argc - optind), out, scripts, MAX_SCRIPTS,
                                    &n, &err)
                     : eng_errorf(&err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc < 0) {
        cli_print_error(&err);
        free(scripts);
        return CLI_EXIT_FAIL;
    }
    bool gp = have_gnuplot();
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        const struct metrics_plot_script *s = &scripts[i];
        if (!gp) {
            printf("wrote %s/%s\n", s->dir, s->script);
        } else if (render(s) == 0) {
            printf("wrote %s/%s and %s/%s\n", s->dir, s->script, s->dir, s->svg);
        } else {
            fprintf(stderr, "schedsim plot: gnuplot failed on %s/%s\n", s->dir,
                    s->script);
            failed = 1;
        }
    }
    if (!gp)
        printf("gnuplot not found (Debian: apt-get install gnuplot-nox); render each "
               "script in its directory, e.g. (cd %s && gnuplot %s)\n",
               scripts[0].dir, scripts[0].script);
    free(scripts);
    return failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
