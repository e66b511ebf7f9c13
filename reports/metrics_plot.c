/* metrics_plot.c: gnuplot scripts for a run's figures.
 *
 * Scripts rather than drawn images: authors restyle figures for a paper, and
 * a .gp file beside the CSV is the form they can edit.  Each script reads
 * files of its own directory by bare name (run it there), except the
 * cross-run CDF, which names each run's data by absolute path.  Data
 * derived from the reports (sorted waits, Gantt boxes) is written as plain
 * whitespace-separated .dat files gnuplot reads without options. */
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fio.h"
#include "metrics.h"

enum { PLOT_MAX_FILE = 1 << 30 };

static const char svg_terminal[] =
    "set terminal svg size 960,540 dynamic enhanced font 'Sans,12'\n";

static int add_script(struct metrics_plot_script *out, size_t max, size_t *count,
                      const char *dir, const char *script, const char *svg,
                      eng_error_t *err)
{
    if (*count >= max)
        return eng_errorf(err, ENG_ELIMIT, NULL, 0, 0, "plot: too many scripts");
    struct metrics_plot_script *s = &out[(*count)++];
    snprintf(s->dir, sizeof s->dir, "%s", dir);
    snprintf(s->script, sizeof s->script, "%s", script);
    snprintf(s->svg, sizeof s->svg, "%s", svg);
    return 0;
}

static fio_atomic_t *open_in(const char *dir, const char *name, eng_error_t *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return fio_atomic_open(path, err);
}

static int write_utilisation(const char *dir, eng_error_t *err)
{
    fio_atomic_t *a = open_in(dir, "utilisation.gp", err);
    if (!a)
        return ENG_EIO;
    FILE *fp = fio_atomic_file(a);
    fputs("# schedsim: cores in use and queue length over time (utilisation.csv)\n", fp);
    fputs(svg_terminal, fp);
    fputs("set output 'utilisation.svg'\n"
          "set datafile separator ','\n"
          "set xlabel 'time (days)'\n"
          "set ylabel 'cores in use (%)'\n"
          "set yrange [0:105]\n"
          "set ytics nomirror\n"
          "set y2label 'jobs waiting'\n"
          "set y2tics\n"
          "set key below\n"
          "plot 'utilisation.csv' every ::1 using ($1/86400):(100.0*$4/$5) "
          "with steps lw 1.5 title 'cores in use', \\\n"
          "     '' every ::1 using ($1/86400):9 axes x1y2 with steps lw 1 "
          "title 'jobs waiting'\n",
          fp);
    return fio_atomic_commit(a, err);
}

/* ---- wait-time CDF ------------------------------------------------------ */

static int dbl_cmp(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

/* Waits of completed jobs from jobs.csv (column 5, state column 12). */
static int read_waits(const char *dir, double **out, size_t *n, eng_error_t *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/jobs.csv", dir);
    char *text = fio_read_all(path, PLOT_MAX_FILE, NULL, err);
    if (!text)
        return ENG_EIO;
    size_t cap = 1024, k = 0;
    double *w = malloc(cap * sizeof *w);
    int line = 1, rc = w ? 0 : ENG_ENOMEM;
    for (char *p = strchr(text, '\n'); rc == 0 && p && p[1]; p = strchr(p + 1, '\n')) {
        line++;
        char *eol = strchr(p + 1, '\n');
        if (!eol || !strstr(p + 1, ",completed,") || strstr(p + 1, ",completed,") > eol)
            continue;
        const char *f = p + 1;
        for (int col = 0; col < 4 && f; col++) /* skip id,submit,start,end */
            f = strchr(f, ',') ? strchr(f, ',') + 1 : NULL;
        char *end = NULL;
        double v = f ? strtod(f, &end) : 0;
        if (!f || end == f || *end != ',') {
            rc = eng_errorf(err, ENG_EPARSE, path, line, 1, "expected a wait time");
            break;
        }
        if (k == cap) {
            double *g = realloc(w, (cap *= 2) * sizeof *g);
            if (!g) {
                rc = ENG_ENOMEM;
                break;
            }
            w = g;
        }
        w[k++] = v;
    }
    free(text);
    if (rc < 0) {
        free(w);
        return rc;
    }
    qsort(w, k, sizeof *w, dbl_cmp);
    *out = w;
    *n = k;
    return 0;
}

static int write_cdf_data(const char *dir, eng_error_t *err)
{
    double *w = NULL;
    size_t n = 0;
    int rc = read_waits(dir, &w, &n, err);
    if (rc < 0)
        return rc;
    fio_atomic_t *a = open_in(dir, "wait_cdf.dat", err);
    if (!a) {
        free(w);
        return ENG_EIO;
    }
    FILE *fp = fio_atomic_file(a);
    fputs("# wait_s fraction_of_completed_jobs\n", fp);
    for (size_t i = 0; i < n; i++)
        if (i + 1 == n || w[i + 1] != w[i]) /* one point per distinct wait */
            fprintf(fp, "%.0f %.6f\n", w[i], (double)(i + 1) / (double)n);
    free(w);
    return fio_atomic_commit(a, err);
}

static int write_cdf_script(const char *const *dirs, size_t n, const char *out_dir,
                            eng_error_t *err)
{
    fio_atomic_t *a = open_in(out_dir, "wait_cdf.gp", err);
    if (!a)
        return ENG_EIO;
    FILE *fp = fio_atomic_file(a);
    fputs("# schedsim: wait-time CDF of completed jobs, one curve per run\n", fp);
    fputs(svg_terminal, fp);
    fputs("set output 'wait_cdf.svg'\n"
          "set xlabel 'wait (s, log scale; 0 plotted at 1)'\n"
          "set ylabel 'fraction of jobs'\n"
          "set logscale x\n"
          "set yrange [0:1]\n"
          "set key bottom right\n"
          "plot ",
          fp);
    for (size_t i = 0; i < n; i++) {
        char abs[PATH_MAX + 4200], cwd[PATH_MAX];
        const char *d = dirs[i];
        if (d[0] != '/' && getcwd(cwd, sizeof cwd)) { /* the script may run elsewhere */
            snprintf(abs, sizeof abs, "%s/%s", cwd, dirs[i]);
            d = abs;
        }
        fprintf(fp,
                "%s'%s/wait_cdf.dat' using ($1 < 1 ? 1 : $1):2 with steps lw 1.5 "
                "title '%s'",
                i ? ", \\\n     " : "", d, dirs[i]);
    }
    fputc('\n', fp);
    return fio_atomic_commit(a, err);
}

/* ---- Gantt chart -------------------------------------------------------- */

/* Append each id of idset 'text' to 'fp' as one box line; returns the number
 * of ids or -1 when malformed. */
static long box_lines(FILE *fp, const char *text, json_int_t start, json_int_t end,
                      json_int_t id)
{
    long n = 0;
    const char *p = text;
    while (*p) {
        char *e = NULL;
        long lo = strtol(p, &e, 10), hi = lo;
        if (e == p)
            return -1;
        if (*e == '-') {
            p = e + 1;
            hi = strtol(p, &e, 10);
            if (e == p || hi < lo)
                return -1;
        }
        for (long r = lo; r <= hi; r++, n++)
            fprintf(fp, "%ld %lld %lld %lld\n", r, (long long)start, (long long)end,
                    (long long)id);
        p = *e == ',' ? e + 1 : e;
        if (*e && *e != ',')
            return -1;
    }
    return n;
}

static int gantt_line(FILE *fp, const char *line, const char *path, int lineno,
                      long *max_rank, eng_error_t *err)
{
    json_error_t jerr;
    json_t *o = json_loads(line, 0, &jerr);
    json_int_t id, start, end;
    json_t *rl = NULL;
    int rc = 0;
    if (!o || json_unpack(o, "{s:I s:I s:I s:o}", "id", &id, "start", &start, "end", &end,
                          "R_lite", &rl) < 0)
        rc = eng_errorf(err, ENG_EPARSE, path, lineno, o ? 1 : jerr.column,
                        "expected {\"id\", \"start\", \"end\", \"R_lite\"}");
    size_t i;
    json_t *ent;
    json_array_foreach(rl, i, ent)
    {
        const char *ranks = json_string_value(json_object_get(ent, "rank"));
        if (rc == 0 && (!ranks || box_lines(fp, ranks, start, end, id) < 0))
            rc = eng_errorf(err, ENG_EPARSE, path, lineno, 1, "malformed R_lite rank");
        const char *last = ranks ? strrchr(ranks, '-') : NULL;
        const char *comma = ranks ? strrchr(ranks, ',') : NULL;
        const char *tail = last && (!comma || last > comma) ? last + 1
                           : comma                          ? comma + 1
                                                            : ranks;
        if (rc == 0 && tail && atol(tail) > *max_rank)
            *max_rank = atol(tail);
    }
    json_decref(o);
    return rc;
}

/* Writes gantt.dat and gantt.gp; '*drawn' false when the run is too big. */
static int write_gantt(const char *dir, bool *drawn, eng_error_t *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/allocations.jsonl", dir);
    char *text = fio_read_all(path, PLOT_MAX_FILE, NULL, err);
    if (!text)
        return ENG_EIO;
    size_t jobs = 0;
    for (const char *p = text; (p = strchr(p, '\n')); p++)
        jobs++;
    *drawn = jobs <= METRICS_GANTT_MAX_JOBS;
    fio_atomic_t *a = *drawn ? open_in(dir, "gantt.dat", err) : NULL;
    int rc = *drawn && !a ? ENG_EIO : 0;
    long max_rank = -1;
    int lineno = 0;
    for (char *p = text; rc == 0 && *drawn && *p;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        rc = gantt_line(fio_atomic_file(a), p, path, lineno, &max_rank, err);
        p = nl ? nl + 1 : p + strlen(p);
    }
    free(text);
    if (rc < 0 || !*drawn) {
        fio_atomic_abort(a);
        return rc;
    }
    if (max_rank >= METRICS_GANTT_MAX_RANKS) {
        fio_atomic_abort(a);
        *drawn = false;
        return 0;
    }
    if ((rc = fio_atomic_commit(a, err)) < 0)
        return rc;
    if (!(a = open_in(dir, "gantt.gp", err)))
        return ENG_EIO;
    FILE *fp = fio_atomic_file(a);
    fputs("# schedsim: which node (rank) ran which job when (allocations.jsonl)\n", fp);
    fputs(svg_terminal, fp);
    fprintf(fp,
            "set output 'gantt.svg'\n"
            "set xlabel 'time (hours)'\n"
            "set ylabel 'node rank'\n"
            "set yrange [-0.5:%ld.5]\n"
            "set style fill solid 0.6 border lc 'black'\n"
            "unset key\n"
            "# columns: rank start end job id; colour by job id\n"
            "plot 'gantt.dat' using (($2+$3)/7200.0):1:(($3-$2)/7200.0):(0.4):"
            "(int($4)%%8+1) with boxxyerror lc variable\n",
            max_rank);
    return fio_atomic_commit(a, err);
}

int metrics_plot(const char *const *dirs, size_t n, const char *out_dir,
                 struct metrics_plot_script *out, size_t max, size_t *count,
                 eng_error_t *err)
{
    *count = 0;
    if (n == 0)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "plot: no run directories");
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        bool gantt = false;
        if ((rc = write_utilisation(dirs[i], err)) == 0)
            rc = add_script(out, max, count, dirs[i], "utilisation.gp", "utilisation.svg",
                            err);
        if (rc == 0)
            rc = write_cdf_data(dirs[i], err);
        if (rc == 0)
            rc = write_gantt(dirs[i], &gantt, err);
        if (rc == 0 && gantt)
            rc = add_script(out, max, count, dirs[i], "gantt.gp", "gantt.svg", err);
    }
    const char *od = out_dir ? out_dir : dirs[0];
    if (rc == 0)
        rc = write_cdf_script(dirs, n, od, err);
    if (rc == 0)
        rc = add_script(out, max, count, od, "wait_cdf.gp", "wait_cdf.svg", err);
    return rc;
}
