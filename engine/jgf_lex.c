/* jgf_lex.c: a small pull lexer for JSON (RFC 8259), the JGF reader's
 * front end.
 *
 * Why not jansson: json_loads() of a 400 MB JGF builds a DOM of tens of
 * millions of json_t (several GB and many seconds), and json_loadb() per
 * node object still pays a hash table per object.  A pull lexer visits each
 * byte once, allocates nothing, and knows the exact position of every
 * value, so semantic errors get line and column too. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jgf_private.h"

void jgf__lex_init(struct jgf__lex *l, char *text, size_t len, const char *source,
                   eng_error_t *err)
{
    *l = (struct jgf__lex){.p = text,
                           .end = text + len,
                           .line_start = text,
                           .line = 1,
                           .source = source,
                           .err = err};
}

struct jgf__mark jgf__lex_mark(const struct jgf__lex *l)
{
    return (struct jgf__mark){l->p, l->line_start, l->line, l->depth};
}

void jgf__lex_reset(struct jgf__lex *l, struct jgf__mark m)
{
    l->p = m.p;
    l->line_start = m.line_start;
    l->line = m.line;
    l->depth = m.depth;
}

struct jgf__pos jgf__pos(const struct jgf__lex *l, const char *at)
{
    if (at < l->line_start)
        at = l->line_start;
    return (struct jgf__pos){l->line, (int)(at - l->line_start) + 1};
}

int jgf__err_at(struct jgf__lex *l, const char *at, int code, const char *what,
                const char *fmt, ...)
{
    char text[ENG_ERROR_TEXT_MAX], where[ENG_ERROR_TEXT_MAX] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (l->ctx)
        snprintf(where, sizeof where, "%s[%zu]%s%s", l->ctx, l->ctx_index,
                 what ? "." : "", what ? what : "");
    else if (what)
        snprintf(where, sizeof where, "%s", what);
    struct jgf__pos pos = jgf__pos(l, at);
    return eng_errorf(l->err, code, l->source, pos.line, pos.column, "%s%s%s", where,
                      where[0] ? ": " : "", text);
}

static void ws(struct jgf__lex *l)
{
    for (;;) {
        char c = *l->p;
        if (c == ' ' || c == '\t' || c == '\r') {
            l->p++;
        } else if (c == '\n') {
            l->line++;
            l->line_start = ++l->p;
        } else {
            return;
        }
    }
}

char jgf__peek(struct jgf__lex *l)
{
    ws(l);
    return l->p < l->end ? *l->p : '\0';
}

static const char *kind(char c)
{
    switch (c) {
    case '{':
        return "object";
    case '[':
        return "array";
    case '"':
        return "string";
    case 't':
    case 'f':
        return "boolean";
    case 'n':
        return "null";
    case '\0':
        return "end of input";
    case '}':
        return "'}'";
    case ']':
        return "']'";
    case ',':
        return "','";
    case ':':
        return "':'";
    default:
        return (c == '-' || (c >= '0' && c <= '9')) ? "number" : "invalid token";
    }
}

static int expected(struct jgf__lex *l, const char *what, const char *type)
{
    return jgf__err_at(l, l->p, ENG_EPARSE, what, "expected %s, got %s", type,
                       kind(l->p < l->end ? *l->p : '\0'));
}

/* ---- strings --------------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static long hex4(const char *s)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static char *put_utf8(char *w, unsigned long cp)
{
    if (cp < 0x80) {
        *w++ = (char)cp;
    } else if (cp < 0x800) {
        *w++ = (char)(0xC0 | (cp >> 6));
        *w++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *w++ = (char)(0xE0 | (cp >> 12));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *w++ = (char)(0xF0 | (cp >> 18));
        *w++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
    }
    return w;
}

/* Decode the \u escape at 'r' (pointing at the backslash).  Returns the code
 * point and advances '*r', or -1. */
static long unicode_escape(const char **r, const char *end)
{
    const char *s = *r;
    if (end - s < 6)
        return -1;
    long cp = hex4(s + 2);
    if (cp < 0)
        return -1;
    s += 6;
    if (cp >= 0xD800 && cp <= 0xDBFF) { /* high surrogate: a low one must follow */
        if (end - s < 6 || s[0] != '\\' || s[1] != 'u')
            return -1;
        long lo = hex4(s + 2);
        if (lo < 0xDC00 || lo > 0xDFFF)
            return -1;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        s += 6;
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        return -1;
    }
    *r = s;
    return cp;
}

/* One escape at '*r' written at '*w'.  0 or -1 (bad escape). */
static int escape(const char **r, char **w, const char *end)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *k = (*r)[1] ? strchr(from, (*r)[1]) : NULL;
    if (k) {
        *(*w)++ = to[k - from];
        *r += 2;
        return 0;
    }
    if ((*r)[1] != 'u')
        return -1;
    long cp = unicode_escape(r, end);
    if (cp <= 0) /* \u0000 would cut the string short */
        return -1;
    *w = put_utf8(*w, (unsigned long)cp);
    return 0;
}

/* Bytes that end the fast scan of a string: control characters (the NUL
 * after the text among them), '"' and '\\'.  A table lookup per byte is
 * about a third of the instructions of the four tests it replaces, and
 * string scanning is a third of the load time. */
#define X4(n) [n] = 1, [n + 1] = 1, [n + 2] = 1, [n + 3] = 1
static const unsigned char string_stop[256] = {
    X4(0), X4(4), X4(8), X4(12), X4(16), X4(20), X4(24), X4(28), ['"'] = 1, ['\\'] = 1};
#undef X4

/* The part of a string from the first escape on: decode in place. */
static int string_slow(struct jgf__lex *l, const char *what, char *start, const char **rp,
                       char **wp)
{
    const char *r = *rp;
    char *w = NULL;
    for (;;) {
        unsigned char c = (unsigned char)*r;
        if (c == '"')
            break;
        if (r >= l->end)
            return jgf__err_at(l, start - 1, ENG_EPARSE, what, "unterminated string");
        if (c < 0x20)
            return jgf__err_at(l, r, ENG_EPARSE, what, "control character in string");
        if (c == '\\') {
            if (!w)
                w = (char *)r;
            if (escape(&r, &w, l->end) < 0)
                return jgf__err_at(l, r, ENG_EPARSE, what, "invalid escape in string");
            continue;
        }
        if (w)
            *w++ = (char)c;
        r++;
    }
    *rp = r;
    *wp = w;
    return 0;
}

int jgf__string(struct jgf__lex *l, const char *what, char **s, size_t *len)
{
    ws(l);
    if (*l->p != '"')
        return expected(l, what, "string");
    char *start = ++l->p, *w = NULL;
    const char *r = start;
    while (!string_stop[(unsigned char)*r])
        r++;
    if (*r != '"') {
        int rc = string_slow(l, what, start, &r, &w);
        if (rc)
            return rc;
    }
    char *stop = w ? w : (char *)r;
    *stop = '\0';
    *s = start;
    if (len)
        *len = (size_t)(stop - start);
    l->p = (char *)r + 1;
    return 0;
}

/* Skip a string without decoding it. */
static int skip_string(struct jgf__lex *l)
{
    char *start = l->p++;
    for (;;) {
        unsigned char c = (unsigned char)*l->p;
        if (c == '"')
            break;
        if (l->p >= l->end)
            return jgf__err_at(l, start, ENG_EPARSE, NULL, "unterminated string");
        if (c < 0x20)
            return jgf__err_at(l, l->p, ENG_EPARSE, NULL, "control character in string");
        if (c == '\\') {
            char w[8], *wp = w;
            const char *r = l->p;
            if (escape(&r, &wp, l->end) < 0)
                return jgf__err_at(l, l->p, ENG_EPARSE, NULL, "invalid escape in string");
            l->p = (char *)r;
            continue;
        }
        l->p++;
    }
    l->p++;
    return 0;
}

/* ---- numbers and literals -------------------------------------------------- */

/* Length of the JSON number at 's' (0 if none); '*is_int' when it has no
 * fraction or exponent. */
static size_t number_len(const char *s, bool *is_int)
{
    const char *p = s;
    *is_int = true;
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        return 0;
    if (*p == '.') {
        *is_int = false;
        if (!(*++p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        *is_int = false;
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return (size_t)(p - s);
}

int jgf__int(struct jgf__lex *l, const char *what, int64_t *out)
{
    ws(l);
    bool is_int;
    size_t n = number_len(l->p, &is_int);
    if (n > 0 && !is_int)
        return jgf__err_at(l, l->p, ENG_EPARSE, what,
                           "expected integer, got real number");
    if (n == 0)
        return expected(l, what, "integer");
    const char *s = l->p;
    bool neg = *s == '-';
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, v = 0;
    for (const char *d = s + neg; d < s + n; d++) {
        uint64_t digit = (uint64_t)(*d - '0');
        if (v > (limit - digit) / 10)
            return jgf__err_at(l, s, ENG_EPARSE, what, "integer out of range");
        v = v * 10 + digit;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    l->p += n;
    return 0;
}

static bool literal(struct jgf__lex *l, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(l->end - l->p) < n || memcmp(l->p, word, n) != 0)
        return false;
    l->p += n;
    return true;
}

int jgf__bool(struct jgf__lex *l, const char *what, bool *out)
{
    ws(l);
    if (literal(l, "true"))
        *out = true;
    else if (literal(l, "false"))
        *out = false;
    else
        return expected(l, what, "boolean");
    return 0;
}

/* ---- containers ------------------------------------------------------------ */

static int enter(struct jgf__lex *l)
{
    if (++l->depth > JGF_NESTING_MAX)
        return jgf__err_at(l, l->p, ENG_ELIMIT, NULL, "json nested deeper than %d levels",
                           JGF_NESTING_MAX);
    l->p++;
    return 0;
}

int jgf__obj_open(struct jgf__lex *l, const char *what)
{
    ws(l);
    if (*l->p != '{')
        return expected(l, what, "object");
    return enter(l);
}

int jgf__arr_open(struct jgf__lex *l, const char *what)
{
    ws(l);
    if (*l->p != '[')
        return expected(l, what, "array");
    return enter(l);
}

/* After a member or element: ',' continues, 'close' ends.  1, 0 or error. */
static int next_item(struct jgf__lex *l, bool *first, char close, const char *name)
{
    ws(l);
    if (*l->p == close && l->p < l->end) {
        l->p++;
        l->depth--;
        return 0;
    }
    if (!*first) {
        if (*l->p != ',')
            return jgf__err_at(l, l->p, ENG_EPARSE, NULL,
                               "expected ',' or '%c' in %s, got %s", close, name,
                               kind(l->p < l->end ? *l->p : '\0'));
        l->p++;
        ws(l);
    }
    *first = false;
    return 1;
}

int jgf__obj_key(struct jgf__lex *l, bool *first, char **key)
{
    int rc = next_item(l, first, '}', "object");
    if (rc <= 0)
        return rc;
    if (*l->p != '"')
        return jgf__err_at(l, l->p, ENG_EPARSE, NULL,
                           "expected string key in object, got %s",
                           kind(l->p < l->end ? *l->p : '\0'));
    if ((rc = jgf__string(l, "key", key, NULL)) < 0)
        return rc;
    ws(l);
    if (*l->p != ':')
        return jgf__err_at(l, l->p, ENG_EPARSE, NULL, "expected ':' after object key");
    l->p++;
    return 1;
}

int jgf__arr_next(struct jgf__lex *l, bool *first)
{
    int rc = next_item(l, first, ']', "array");
    if (rc == 1 && *l->p == ']')
        return jgf__err_at(l, l->p, ENG_EPARSE, NULL,
                           "expected value after ',' in array");
    return rc;
}

static int skip_object(struct jgf__lex *l)
{
    int rc = enter(l);
    bool first = true;
    while (rc == 0) {
        rc = next_item(l, &first, '}', "object");
        if (rc <= 0)
            return rc;
        if (*l->p != '"')
            return jgf__err_at(l, l->p, ENG_EPARSE, NULL,
                               "expected string key in object, got %s",
                               kind(l->p < l->end ? *l->p : '\0'));
        if ((rc = skip_string(l)) < 0)
            return rc;
        ws(l);
        if (*l->p != ':')
            return jgf__err_at(l, l->p, ENG_EPARSE, NULL,
                               "expected ':' after object key");
        l->p++;
        rc = jgf__skip(l);
    }
    return rc;
}

static int skip_array(struct jgf__lex *l)
{
    int rc = enter(l);
    bool first = true;
    while (rc == 0) {
        rc = jgf__arr_next(l, &first);
        if (rc <= 0)
            return rc;
        rc = jgf__skip(l);
    }
    return rc;
}

int jgf__skip(struct jgf__lex *l)
{
    ws(l);
    bool is_int;
    size_t n;
    switch (l->p < l->end ? *l->p : '\0') {
    case '{':
        return skip_object(l);
    case '[':
        return skip_array(l);
    case '"':
        return skip_string(l);
    case 't':
    case 'f':
    case 'n':
        if (literal(l, "true") || literal(l, "false") || literal(l, "null"))
            return 0;
        break;
    default:
        if ((n = number_len(l->p, &is_int)) > 0) {
            l->p += n;
            return 0;
        }
    }
    return jgf__err_at(l, l->p, ENG_EPARSE, NULL, "expected a json value, got %s",
                       l->p < l->end ? "invalid token" : "end of input");
}
