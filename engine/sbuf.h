/* sbuf.h: a growable NUL-terminated string that remembers allocation failure.
 *
 * For writers that build text piece by piece (idset_encode(), R_lite, the simple writers,
 * jobspec_format()): every append is a no-op once an allocation has failed, so the caller
 * checks 'ok' once at the end instead of after each piece.  Internal module. */
#ifndef ENG_SBUF_H
#define ENG_SBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Start as SBUF_INIT; 'p' is NULL until the first append, then always
 * NUL-terminated.  The owner releases 'p' with free(), also when !ok. */
struct sbuf {
    char *p;
    size_t len, cap;
    bool ok; /* false after the first allocation failure */
};

#define SBUF_INIT                                                                        \
    {                                                                                    \
        NULL, 0, 0, true                                                                 \
    }

/* sbuf_add() when the bytes do not fit (or 'p' is still NULL). */
void sbuf__add_grow(struct sbuf *b, const char *s, size_t n);

/* Append 'n' bytes of 's' ('n' may be 0, which still makes 'p' non-NULL).
 * Inline: the writers append a few bytes at a time, mostly with room. */
static inline void sbuf_add(struct sbuf *b, const char *s, size_t n)
{
    if (b->ok && n < b->cap - b->len) { /* cap > len whenever p is set */
        memcpy(b->p + b->len, s, n);
        b->len += n;
        b->p[b->len] = '\0';
    } else {
        sbuf__add_grow(b, s, n);
    }
}

/* Append the NUL-terminated 's'. */
static inline void sbuf_str(struct sbuf *b, const char *s)
{
    sbuf_add(b, s, strlen(s));
}

/* Append 'v' in decimal. */
void sbuf_uint(struct sbuf *b, unsigned long long v);

/* Append 'v' in decimal, zero-padded to 'width' digits (printf's "%0*llu"). */
void sbuf_uint_width(struct sbuf *b, unsigned long long v, int width);

/* Append printf-formatted text. */
void sbuf_printf(struct sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* ENG_SBUF_H */
