/* eng_error.h: error codes and positioned error reports of the engine.
 *
 * Functions return 0 on success or a negative enum eng_errc.  Functions that
 * read input also take an 'eng_error_t *err' as their last argument (may be
 * NULL) which receives the code, the place in the input and a one-line text.
 * The first error wins: once err->code is set, later reports leave it alone. */
#ifndef ENG_ERROR_H
#define ENG_ERROR_H

#include <stddef.h>

#include "eng_api.h"

ENG_BEGIN_DECLS

/* X(name, value, default text).  One table makes the enum, eng_strerror() and
 * eng_errname(), so the three never drift apart. */
#define ENG_ERRC_TABLE(X)                                                                \
    X(ENG_OK, 0, "success")                                                              \
    X(ENG_EINVAL, -1, "invalid argument")                                                \
    X(ENG_ENOMEM, -2, "out of memory")                                                   \
    X(ENG_EIO, -3, "input/output error")                                                 \
    X(ENG_EPARSE, -4, "malformed input")                                                 \
    X(ENG_ELIMIT, -5, "size or nesting limit exceeded")                                  \
    X(ENG_ENOENT, -6, "no such entry")                                                   \
    X(ENG_EEXIST, -7, "entry already exists")                                            \
    X(ENG_ENOMATCH, -8, "request can never be satisfied")                                \
    X(ENG_EBUSY, -9, "resources are busy")                                               \
    X(ENG_ENOTSUP, -10, "operation not supported")                                       \
    X(ENG_ESTATE, -11, "operation not valid in the current state")

#define ENG_ERRC_ENUM_(name, value, text) name = value,
enum eng_errc { ENG_ERRC_TABLE(ENG_ERRC_ENUM_) };
#undef ENG_ERRC_ENUM_

/* Sizes of the text fields of eng_error_t (bytes, including the NUL). */
enum eng_error_size { ENG_ERROR_SOURCE_MAX = 128, ENG_ERROR_TEXT_MAX = 256 };

typedef struct eng_error {
    int code;                          /* enum eng_errc; 0 = no error */
    int line, column;                  /* 1-based; 0 = not applicable */
    char source[ENG_ERROR_SOURCE_MAX]; /* file name, "<string>", "<trace:LINE>" */
    char text[ENG_ERROR_TEXT_MAX];     /* one line, lower case, no final period */
} eng_error_t;

/* Text of 'code' ("malformed input"), or "unknown error".  Static storage. */
ENG_API const char *eng_strerror(int code);

/* Name of 'code' ("ENG_EPARSE"), or "ENG_UNKNOWN".  Static storage. */
ENG_API const char *eng_errname(int code);

/* Reset 'err' to "no error".  NULL is a no-op. */
ENG_API void eng_error_clear(eng_error_t *err);

/* Record an error in 'err' unless one is already recorded (the first error
 * wins) and return 'code', so a failing branch is one line.  'source' may be
 * NULL; 'line'/'column' are 1-based, 0 when not applicable.  'err' may be NULL.
 * The formatted text is truncated to fit. */
ENG_API int eng_errorf(eng_error_t *err, int code, const char *source, int line,
                       int column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Format 'err' as "source:line:column: text" (the parts that are set) into
 * 'buf' of 'size' bytes.  Returns 'buf'. */
ENG_API char *eng_error_format(const eng_error_t *err, char *buf, size_t size);

/* Release memory the engine returned to the caller (strings, arrays).  NULL is
 * a no-op.  Bindings call this rather than their own free(). */
ENG_API void eng_free(void *p);

ENG_END_DECLS

#endif /* ENG_ERROR_H */
