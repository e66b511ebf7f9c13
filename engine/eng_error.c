/* eng_error.c: error code table and positioned error reports. */
#include "eng_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct errc_entry {
    int code;
    const char *name;
    const char *text;
};

#define ERRC_ROW_(name, value, text) {value, #name, text},
static const struct errc_entry errc_table[] = {ENG_ERRC_TABLE(ERRC_ROW_)};
#undef ERRC_ROW_

static const struct errc_entry *errc_find(int code)
{
    for (size_t i = 0; i < sizeof errc_table / sizeof errc_table[0]; i++)
        if (errc_table[i].code == code)
            return &errc_table[i];
    return NULL;
}

const char *eng_strerror(int code)
{
    const struct errc_entry *e = errc_find(code);
    return e ? e->text : "unknown error";
}

const char *eng_errname(int code)
{
    const struct errc_entry *e = errc_find(code);
    return e ? e->name : "ENG_UNKNOWN";
}

void eng_error_clear(eng_error_t *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

/* snprintf(dst, size, "%s", src), cut at a whole byte as snprintf cuts. */
static void copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int eng_errorf(eng_error_t *err, int code, const char *source, int line, int column,
               const char *fmt, ...)
{
    if (!err || err->code != 0)
        return code;
    err->code = code;
    err->line = line;
    err->column = column;
    copy_text(err->source, sizeof err->source, source ? source : "");
    va_list ap;
    va_start(ap, fmt);
    /* a constant text or "%s" (the busy answers of every match) is copied
     * as it is, without the formatter */
    if (strcmp(fmt, "%s") == 0) {
        const char *s = va_arg(ap, const char *);
        copy_text(err->text, sizeof err->text, s ? s : "(null)");
    } else if (!strchr(fmt, '%'))
        copy_text(err->text, sizeof err->text, fmt);
    else
        vsnprintf(err->text, sizeof err->text, fmt, ap);
    va_end(ap);
    /* The text is one line: a newline from a formatted value would break the
     * "file:line:col: text" convention that tools and tests rely on. */
    for (char *p = err->text; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return code;
}

char *eng_error_format(const eng_error_t *err, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    if (!err) {
        buf[0] = '\0';
        return buf;
    }
    const char *text = err->text[0] ? err->text : eng_strerror(err->code);
    if (err->source[0] && err->line > 0 && err->column > 0)
        snprintf(buf, size, "%s:%d:%d: %s", err->source, err->line, err->column, text);
    else if (err->source[0] && err->line > 0)
        snprintf(buf, size, "%s:%d: %s", err->source, err->line, text);
    else if (err->source[0])
        snprintf(buf, size, "%s: %s", err->source, text);
    else
        snprintf(buf, size, "%s", text);
    return buf;
}

void eng_free(void *p)
{
    free(p);
}
