/* metrics_compare.c: runs side by side, from their summary.csv files.
 *
 * Reading the written summaries (rather than re-running anything) lets a
 * comparison mix runs made at different times, and keeps 'compare' honest:
 * it shows exactly what each run directory says. */
#include <stdlib.h>
#include <string.h>

#include "fio.h"
#include "metrics.h"
#include "metrics_private.h"

enum { COMPARE_MAX_FILE = 1 << 24 };

struct table {
    char **names;  /* metric names, in first-seen order */
    char ***cells; /* cells[metric][run], NULL = absent */
    size_t nnames, cap, nruns;
};

static void table_free(struct table *t)
{
    for (size_t i = 0; i < t->nnames; i++) {
        free(t->names[i]);
        for (size_t r = 0; r < t->nruns; r++)
            free(t->cells[i][r]);
        free(t->cells[i]);
    }
    free(t->names);
    free(t->cells);
}

static char **table_row(struct table *t, const char *name)
{
    for (size_t i = 0; i < t->nnames; i++)
        if (strcmp(t->names[i], name) == 0)
            return t->cells[i];
    if (t->nnames == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        char **n = realloc(t->names, cap * sizeof *n);
        if (!n)
            return NULL;
        t->names = n;
        char ***c = realloc(t->cells, cap * sizeof *c);
        if (!c)
            return NULL;
        t->cells = c;
        t->cap = cap;
    }
    char **row = calloc(t->nruns, sizeof *row);
    char *copy = strdup(name);
    if (!row || !copy) {
        free(row);
        free(copy);
        return NULL;
    }
    t->names[t->nnames] = copy;
    t->cells[t->nnames++] = row;
    return row;
}

/* One CSV field starting at '*p' (RFC 4180 quotes); advances past it and
 * its separator.  Returns a new string, or NULL (bad quoting / no memory). */
static char *csv_take(const char **p)
{
    const char *s = *p;
    size_t cap = strlen(s) + 1, n = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    if (*s == '"') {
        for (s++;; s++) {
            if (*s == '\0') {
                free(out);
                return NULL;
            }
            if (*s == '"' && s[1] == '"')
                out[n++] = *s++;
            else if (*s == '"')
                break;
            else
                out[n++] = *s;
        }
        s++;
    } else {
        while (*s && *s != ',' && *s != '\n' && *s != '\r')
            out[n++] = *s++;
    }
    out[n] = '\0';
    if (*s == ',')
        s++;
    *p = s;
    return out;
}

static int read_run(struct table *t, size_t run, const char *dir, eng_error_t *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    char *text = fio_read_all(path, COMPARE_MAX_FILE, NULL, err);
    if (!text)
        return err && err->code ? err->code : ENG_EIO;
    int rc = 0, line = 1;
    const char *p = text;
    if (strncmp(p, "metric,value", 12) != 0)
        rc =
            eng_errorf(err, ENG_EPARSE, path, 1, 1, "expected the header 'metric,value'");
    p = strchr(p, '\n');
    while (rc == 0 && p && *++p) {
        const char *ls = p; /* start of the line, for columns */
        line++;
        char *name = csv_take(&p), *value = name ? csv_take(&p) : NULL;
        char **row = value && *name ? table_row(t, name) : NULL;
        if (!row)
            rc = eng_errorf(err, ENG_EPARSE, path, line, 1,
                            "expected 'metric,value' (a name and a value)");
        else if (*p != '\n' && *p != '\r' && *p != '\0')
            rc = eng_errorf(err, ENG_EPARSE, path, line, (int)(p - ls) + 1,
                            "expected 2 fields");
        else {
            free(row[run]);
            row[run] = value;
            value = NULL;
        }
        free(name);
        free(value);
        p = strchr(p, '\n');
    }
    free(text);
    return rc;
}

static void print_table(const struct table *t, const char *const *dirs, FILE *fp)
{
    size_t *w = calloc(t->nruns + 1, sizeof *w);
    if (!w)
        return;
    w[0] = strlen("metric");
    for (size_t i = 0; i < t->nnames; i++)
        if (strlen(t->names[i]) > w[0])
            w[0] = strlen(t->names[i]);
    for (size_t r = 0; r < t->nruns; r++) {
        w[r + 1] = strlen(dirs[r]);
        for (size_t i = 0; i < t->nnames; i++)
            if (t->cells[i][r] && strlen(t->cells[i][r]) > w[r + 1])
                w[r + 1] = strlen(t->cells[i][r]);
    }
    fprintf(fp, "%-*s", (int)w[0], "metric");
    for (size_t r = 0; r < t->nruns; r++)
        fprintf(fp, "  %*s", (int)w[r + 1], dirs[r]);
    fputc('\n', fp);
    for (size_t i = 0; i < t->nnames; i++) {
        fprintf(fp, "%-*s", (int)w[0], t->names[i]);
        for (size_t r = 0; r < t->nruns; r++)
            fprintf(fp, "  %*s", (int)w[r + 1], t->cells[i][r] ? t->cells[i][r] : "");
        fputc('\n', fp);
    }
    free(w);
}

static int write_csv(const struct table *t, const char *const *dirs, const char *out_path,
                     eng_error_t *err)
{
    fio_atomic_t *a = fio_atomic_open(out_path, err);
    if (!a)
        return err && err->code ? err->code : ENG_EIO;
    FILE *fp = fio_atomic_file(a);
    fputs("metric", fp);
    for (size_t r = 0; r < t->nruns; r++) {
        fputc(',', fp);
        metrics__csv_field(fp, dirs[r]);
    }
    fputc('\n', fp);
    for (size_t i = 0; i < t->nnames; i++) {
        metrics__csv_field(fp, t->names[i]);
        for (size_t r = 0; r < t->nruns; r++) {
            fputc(',', fp);
            metrics__csv_field(fp, t->cells[i][r] ? t->cells[i][r] : "");
        }
        fputc('\n', fp);
    }
    return fio_atomic_commit(a, err);
}

int metrics_compare(const char *const *dirs, size_t n, const char *out_path, FILE *table,
                    eng_error_t *err)
{
    if (n == 0)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "compare: no run directories");
    struct table t = {.nruns = n};
    int rc = 0;
    for (size_t r = 0; rc == 0 && r < n; r++)
        rc = read_run(&t, r, dirs[r], err);
    if (rc == 0)
        rc = write_csv(&t, dirs, out_path, err);
    if (rc == 0 && table)
        print_table(&t, dirs, table);
    table_free(&t);
    return rc;
}
