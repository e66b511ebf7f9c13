/* jobspec_util.c: error reports and scalar conversions shared by the jobspec
 * parser's files.
 *
 * Conversions copy what yaml-cpp's as<T>() accepts, since that is what
 * Fluxion's libjobspec applies to every scalar. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobspec_private.h"

const char jobspec__badconv[] = "bad conversion";

enum { PATH_MAX_LEN = JOBSPEC_PATH_MAX, GOT_MAX = 48 };

/* ---- error helpers ---------------------------------------------------------- */

int jobspec__fail(jsctx_t *c, int code, const jsnode_t *n, const char *path,
                  const char *fmt, ...)
{
    char text[ENG_ERROR_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    int line = n ? n->line : 0, col = n ? n->column : 0;
    if (path && *path)
        return eng_errorf(c->err, code, c->source, line, col, "%s: %s", path, text);
    return eng_errorf(c->err, code, c->source, line, col, "%s", text);
}

int jobspec__spend(jsctx_t *c, const jsnode_t *n)
{
    if (c->budget == 0)
        return jobspec__fail(c, ENG_ELIMIT, n, NULL,
                             "jobspec expands to more than %d nodes (yaml aliases?)",
                             (int)JOBSPEC_NODES_MAX);
    c->budget--;
    return 0;
}

/* What was found, for "expected X, got Y": a scalar's text (shortened) or the
 * kind of node. */
static const char *got(const jsnode_t *n, char *buf)
{
    if (n->kind != JSN_SCALAR)
        return jobspec__kind_name(n);
    size_t len = strlen(n->text);
    if (len < GOT_MAX)
        snprintf(buf, GOT_MAX + 8, "%s%s%s", n->quoted ? "\"" : "", n->text,
                 n->quoted ? "\"" : "");
    else
        snprintf(buf, GOT_MAX + 8, "%.*s...", GOT_MAX - 4, n->text);
    return buf;
}

int jobspec__expect(jsctx_t *c, const jsnode_t *n, const char *path, const char *what,
                    const char *fluxion)
{
    if (c->fluxion && fluxion)
        return jobspec__fluxion_fail(c, n, fluxion);
    char buf[GOT_MAX + 8];
    return jobspec__fail(c, ENG_EPARSE, n, path, "expected %s, got %s", what,
                         got(n, buf));
}

int jobspec__fluxion_fail(jsctx_t *c, const jsnode_t *n, const char *fluxion)
{
    if (fluxion == jobspec__badconv)
        return eng_errorf(c->err, ENG_EPARSE, c->source, n->line, n->column,
                          "yaml-cpp: error at line %d, column %d: bad conversion",
                          n->yline, n->ycolumn);
    return eng_errorf(c->err, ENG_EPARSE, c->source, n->line, n->column, "%s", fluxion);
}

int jobspec__failx(jsctx_t *c, const jsnode_t *n, const char *path, const char *fluxion,
                   const char *fmt, ...)
{
    if (c->fluxion && fluxion)
        return jobspec__fluxion_fail(c, n, fluxion);
    char text[ENG_ERROR_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return jobspec__fail(c, ENG_EPARSE, n, path, "%s", text);
}

/* 'out' = path.key (or key when 'path' is empty), cut to PATH_MAX_LEN - 1
 * bytes: a path deeper than that is shown truncated, never overflowed. */
void jobspec__subpath(char *out, const char *path, const char *key)
{
    size_t n = 0;
    for (const char *p = path; *p && n < PATH_MAX_LEN - 1; p++)
        out[n++] = *p;
    if (*path && n < PATH_MAX_LEN - 1)
        out[n++] = '.';
    for (const char *p = key; *p && n < PATH_MAX_LEN - 1; p++)
        out[n++] = *p;
    out[n] = '\0';
}

/* 'out' = path[i], or path.key[i] when 'key' is not NULL. */
void jobspec__subpath_index(char *out, const char *path, const char *key, size_t i)
{
    char num[32], *d = num + sizeof num;
    *--d = '\0';
    *--d = ']';
    do
        *--d = (char)('0' + i % 10);
    while ((i /= 10) != 0);
    *--d = '[';
    if (key)
        jobspec__subpath(out, path, key);
    else
        jobspec__subpath(out, "", path);
    size_t n = strlen(out);
    for (const char *p = d; *p && n < PATH_MAX_LEN - 1; p++)
        out[n++] = *p;
    out[n] = '\0';
}

/* ---- scalar conversions (as yaml-cpp's as<T>) -------------------------------- */

/* Unsigned integer in 'n' as as<unsigned>: C base prefixes, optional '+', no
 * '-', nothing else around it.  'min'..'max' bound it. */
bool jobspec__to_uint(const jsnode_t *n, unsigned long long max, unsigned long long *out)
{
    if (n->kind != JSN_SCALAR)
        return false;
    const char *s = n->text;
    if (!*s || *s == '-' || *s == ' ' || *s == '\t')
        return false;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end || end == s || v > max)
        return false;
    *out = v;
    return true;
}

/* Signed integer as as<int>. */
bool jobspec__to_int(const jsnode_t *n, long long min, long long max, long long *out)
{
    if (n->kind != JSN_SCALAR)
        return false;
    const char *s = n->text;
    if (!*s || *s == ' ' || *s == '\t')
        return false;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (errno || *end || end == s || v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* A number as as<double>: YAML's .inf/.nan spellings, or a decimal float.
 * strtod alone would also take hex floats, "inf" and "nan", which yaml-cpp
 * refuses. */
bool jobspec__to_double(const jsnode_t *n, double *out)
{
    static const struct {
        const char *text;
        int kind; /* 1 +inf, -1 -inf, 0 nan */
    } special[] = {{".inf", 1},   {".Inf", 1},  {".INF", 1},   {"+.inf", 1},
                   {"+.Inf", 1},  {"+.INF", 1}, {"-.inf", -1}, {"-.Inf", -1},
                   {"-.INF", -1}, {".nan", 0},  {".NaN", 0},   {".NAN", 0}};
    if (n->kind != JSN_SCALAR)
        return false;
    const char *s = n->text;
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        if (strcmp(s, special[i].text) == 0) {
            *out = special[i].kind ? special[i].kind * (double)INFINITY : (double)NAN;
            return true;
        }
    if (!*s || strspn(s, "+-0123456789.eE") != strlen(s))
        return false;
    char *end = NULL;
    *out = strtod(s, &end);
    return end != s && *end == '\0';
}

/* Text of a scalar as as<std::string>: null reads "null". */
const char *jobspec__to_text(const jsnode_t *n)
{
    return n->kind == JSN_SCALAR ? n->text : n->kind == JSN_NULL ? "null" : NULL;
}
