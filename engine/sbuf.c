/* sbuf.c: growable string with sticky allocation failure. */
#include "sbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for 'n' more bytes and the NUL; false (and !ok) if there is none. */
static bool grow(struct sbuf *b, size_t n)
{
    if (!b->ok)
        return false;
    if (b->len + n + 1 > b->cap) {
        /* doubling: O(total length) copying for any sequence of appends */
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->ok = false;
            return false;
        }
        b->p = p;
        b->cap = cap;
    }
    return true;
}

void sbuf__add_grow(struct sbuf *b, const char *s, size_t n)
{
    if (!grow(b, n))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void sbuf_uint(struct sbuf *b, unsigned long long v)
{
    sbuf_uint_width(b, v, 0);
}

void sbuf_uint_width(struct sbuf *b, unsigned long long v, int width)
{
    char tmp[24];
    size_t k = sizeof tmp;
    do {
        tmp[--k] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int n = (int)(sizeof tmp - k); n < width; n++)
        sbuf_add(b, "0", 1);
    sbuf_add(b, tmp + k, sizeof tmp - k);
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
    if (!b->ok)
        return;
    char small[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->ok = false;
        return;
    }
    if ((size_t)n < sizeof small) {
        sbuf_add(b, small, (size_t)n);
        return;
    }
    if (!grow(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}
