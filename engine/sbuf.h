/* sbuf.h: a growable NUL-terminated string that remembers allocation failure.
 *
 * For writers that build text piece by piece (idset_encode(), R_lite, the simple writers,
 * jobspec_format()): every append is a no-op once an allocation has failed, so the caller
 * checks 'ok' once at the end instead of after each piece.  Internal module. */
#ifndef ENG_SBUF_H
#define ENG_SBUF_H

#include <stdbool.h>
#include <stddef.h>

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

/* Append 'n' bytes of 's' ('n' may be 0, which still makes 'p' non-NULL). */
void sbuf_add(struct sbuf *b, const char *s, size_t n);

/* Append the NUL-terminated 's'. */
void sbuf_str(struct sbuf *b, const char *s);

/* Append 'v' in decimal. */
void sbuf_uint(struct sbuf *b, unsigned long long v);

/* Append 'v' in decimal, zero-padded to 'width' digits (printf's "%0*llu"). */
void sbuf_uint_width(struct sbuf *b, unsigned long long v, int width);

/* Append printf-formatted text. */
void sbuf_printf(struct sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* ENG_SBUF_H */
