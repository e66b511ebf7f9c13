/* jgf_private.h: the pull lexer shared by the JGF reader's files.  Never
 * installed.
 *
 * The lexer walks a mutable, NUL-terminated buffer.  Strings are decoded in
 * place (an escape sequence is never shorter than what it decodes to) and
 * NUL-terminated over their closing quote, so the reader can keep pointers
 * into the buffer instead of copying.  Line numbers are counted as
 * whitespace is skipped: outside strings a newline can only be whitespace,
 * and raw control characters inside strings are rejected. */
#ifndef ENG_JGF_PRIVATE_H
#define ENG_JGF_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eng_error.h"
#include "jgf.h"

struct jgf__lex {
    char *p;          /* next byte */
    char *end;        /* one past the text; *end == '\0' */
    char *line_start; /* first byte of the current line */
    int line;         /* 1-based line of 'p' */
    int depth;        /* current JSON nesting */
    const char *source;
    eng_error_t *err;
    /* Context of errors: when 'ctx' is set, texts start "<ctx>[<ctx_index>]."
     * (e.g. "graph.nodes[12].metadata.size: ..."); formatted only on error. */
    const char *ctx;
    size_t ctx_index;
};

/* A saved lexer position (to come back to a skipped "edges" array). */
struct jgf__mark {
    char *p, *line_start;
    int line, depth;
};

struct jgf__pos {
    int line, column;
};

void jgf__lex_init(struct jgf__lex *l, char *text, size_t len, const char *source,
                   eng_error_t *err);
struct jgf__mark jgf__lex_mark(const struct jgf__lex *l);
void jgf__lex_reset(struct jgf__lex *l, struct jgf__mark m);

/* Position of 'at' (a byte on the current line, at or after line_start). */
struct jgf__pos jgf__pos(const struct jgf__lex *l, const char *at);

/* Record error 'code' at 'at' with text "<ctx>[i].<what>: <fmt...>" (parts
 * left out when unset; 'what' may be NULL) and return 'code'. */
int jgf__err_at(struct jgf__lex *l, const char *at, int code, const char *what,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Skip whitespace; return the next byte without consuming it ('\0' at end). */
char jgf__peek(struct jgf__lex *l);

/* Value readers: each skips leading whitespace, reads one value, and on a
 * type mismatch reports "<what>: expected <type>" at the value. */
int jgf__string(struct jgf__lex *l, const char *what, char **s, size_t *len);
int jgf__int(struct jgf__lex *l, const char *what, int64_t *out);
int jgf__bool(struct jgf__lex *l, const char *what, bool *out);
int jgf__skip(struct jgf__lex *l); /* any value, validated, not modified */

/* Containers.  jgf__obj_open consumes '{' (error "<what>: expected
 * object"); jgf__obj_key then returns 1 with the next key (the value comes
 * next), 0 after the closing '}', or a negative error.  Arrays likewise; 1
 * means an element comes next. */
int jgf__obj_open(struct jgf__lex *l, const char *what);
int jgf__obj_key(struct jgf__lex *l, bool *first, char **key);
int jgf__arr_open(struct jgf__lex *l, const char *what);
int jgf__arr_next(struct jgf__lex *l, bool *first);

#endif /* ENG_JGF_PRIVATE_H */
