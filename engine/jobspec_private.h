/* jobspec_private.h: internals shared by the jobspec_*.c files.  Never
 * installed.
 *
 * A parse builds everything in one arena owned by the jobspec_t: the
 * positioned document tree (YAML or JSON, same shape), then the request tree
 * that points into it.  Error paths release the arena as a whole, so no
 * failure can leak a piece. */
#ifndef ENG_JOBSPEC_PRIVATE_H
#define ENG_JOBSPEC_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eng_error.h"
#include "jobspec.h"

/* ---- arena ---------------------------------------------------------------- */

typedef struct jsarena jsarena_t;

jsarena_t *jobspec__arena_create(void);
void jobspec__arena_destroy(jsarena_t *a); /* NULL is a no-op */
/* Zeroed block of 'size' bytes, aligned for any type; NULL when out of memory. */
void *jobspec__arena_alloc(jsarena_t *a, size_t size);
/* Copy of 'len' bytes of 's' plus a NUL; NULL when out of memory. */
char *jobspec__arena_strndup(jsarena_t *a, const char *s, size_t len);
/* realloc() for temporary buffers outside the arena (released with free()),
 * counted by the failure injection below. */
void *jobspec__tmp_realloc(jsarena_t *a, void *p, size_t size);
/* Tests: let 'n' more allocations through 'a', then fail every one.  Covers
 * this module's allocations, not libyaml's or jansson's. */
void jobspec__arena_fail_after(jsarena_t *a, size_t n);

/* jobspec_parse() with allocation failure injected after 'n' allocations. */
jobspec_t *jobspec__parse_failing(const char *text, size_t len, unsigned flags, size_t n,
                                  eng_error_t *err);

/* ---- document tree -------------------------------------------------------- */

enum jsnode_kind { JSN_NULL, JSN_SCALAR, JSN_MAP, JSN_SEQ };

typedef struct jsnode jsnode_t;

/* One YAML/JSON node.  A map's 'items' holds 2 * 'n' entries: key, value,
 * key, value ... in document order (keys are scalars, unique).  A YAML plain
 * scalar ~, null, Null, NULL or empty is JSN_NULL, as yaml-cpp reads it. */
struct jsnode {
    enum jsnode_kind kind;
    bool quoted;      /* scalar written quoted (yaml-cpp tag "!") */
    const char *text; /* scalar text, NUL-terminated; "" otherwise */
    size_t n;         /* entries of a sequence, pairs of a map */
    jsnode_t **items;
    int line, column;   /* 1-based */
    int yline, ycolumn; /* where yaml-cpp puts it (differs for an empty value:
                           the next token), for JOBSPEC_FLUXION texts */
};

/* Parse 'text' (YAML, or JSON when it starts with '{' or '[') into a tree in
 * 'a'.  Repeated keys are refused unless 'allow_duplicates' (then lookups
 * find the first, as yaml-cpp's do).  Returns the root (JSN_NULL for an empty
 * document), or NULL with 'err' set. */
jsnode_t *jobspec__doc_parse(jsarena_t *a, const char *text, size_t len,
                             const char *source, bool allow_duplicates, eng_error_t *err);

/* Value of 'key' in the map 'map', or NULL (also when 'map' is not a map). */
const jsnode_t *jobspec__map_get(const jsnode_t *map, const char *key);

/* "mapping", "sequence", "null", "scalar" */
const char *jobspec__kind_name(const jsnode_t *n);

/* ---- paths in messages (jobspec.c) ---------------------------------------- */

enum { JOBSPEC_PATH_MAX = 512 };

/* 'out' (JOBSPEC_PATH_MAX bytes) = "path.key", or "key" when 'path' is empty;
 * cut to fit.  'out' must not overlap the inputs. */
void jobspec__subpath(char *out, const char *path, const char *key);
/* 'out' = "path[i]", or "path.key[i]" when 'key' is not NULL. */
void jobspec__subpath_index(char *out, const char *path, const char *key, size_t i);

/* ---- constraints (jobspec_constraint.c) ----------------------------------- */

/* Context of a parse: where errors go and the budget of built nodes, which
 * bounds the work YAML aliases could otherwise multiply. */
typedef struct jsctx {
    jsarena_t *arena;
    const char *source;
    eng_error_t *err;
    size_t budget; /* nodes still allowed to be built */
    int depth;     /* current nesting of resources or constraints */
    bool fluxion;  /* JOBSPEC_FLUXION: Fluxion's rules, order and texts */
} jsctx_t;

/* Fluxion text meaning yaml-cpp's "bad conversion" of the node at fault. */
extern const char jobspec__badconv[];

/* Reject 'n': "path: expected 'what', got <n>", or in Fluxion mode the text
 * 'fluxion' (when not NULL).  Returns ENG_EPARSE. */
int jobspec__expect(jsctx_t *c, const jsnode_t *n, const char *path, const char *what,
                    const char *fluxion);
/* Reject 'n' with "path: <fmt>", or in Fluxion mode 'fluxion' (when not NULL). */
int jobspec__failx(jsctx_t *c, const jsnode_t *n, const char *path, const char *fluxion,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Reject 'n' with Fluxion's text 'fluxion' (or jobspec__badconv). */
int jobspec__fluxion_fail(jsctx_t *c, const jsnode_t *n, const char *fluxion);

/* Scalars as yaml-cpp's as<T>() reads them; false when it would throw. */
bool jobspec__to_uint(const jsnode_t *n, unsigned long long max, unsigned long long *out);
bool jobspec__to_int(const jsnode_t *n, long long min, long long max, long long *out);
bool jobspec__to_double(const jsnode_t *n, double *out);
/* as<std::string>: a scalar's text, "null" for null, NULL otherwise. */
const char *jobspec__to_text(const jsnode_t *n);

/* ---- resources (jobspec_resource.c) ---------------------------------------- */

/* Parse the sequence 'seq' of resources below 'parent' (NULL at the top) into
 * a new arena array '*out' of '*nout'; 'next_index' numbers them in
 * pre-order. */
int jobspec__parse_resources(jsctx_t *c, const jsnode_t *seq, const char *path,
                             jobspec_resource_t *parent, jobspec_resource_t **out,
                             size_t *nout, size_t *next_index);
/* Fill 'by_index' from the tree 'rs' of 'n' resources. */
void jobspec__index_resources(const jobspec_resource_t *rs, size_t n,
                              const jobspec_resource_t **by_index);

/* Count one built node against the budget; ENG_ELIMIT at 'n' when spent. */
int jobspec__spend(jsctx_t *c, const jsnode_t *n);

/* Report an error at node 'n' with 'path' as prefix: "path: text". */
int jobspec__fail(jsctx_t *c, int code, const jsnode_t *n, const char *path,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Parse the RFC 31 constraint 'n' (path 'path' in errors) into '*out'. */
/* Whether Fluxion's parse of 'js' leaves errno at 0: it holds a hostlist or
 * ranks constraint with members, whose decoding by flux-core's hostlist
 * (hostrange_count()) or idset (strtoul_check()) sets errno to 0 on success.
 * resource-query then reports a traverser failure that sets no errno of its
 * own as "Success" rather than its readline's ENOTTY. */
bool jobspec__zeroes_errno(const jobspec_t *js);

int jobspec__constraint_parse(jsctx_t *c, const jsnode_t *n, const char *path,
                              const jobspec_constraint_t **out);

/* Append the constraint 'c' as YAML flow text to 'buf' (for jobspec_format). */
struct sbuf;
int jobspec__constraint_format(const jobspec_constraint_t *c, struct sbuf *buf);

#endif /* ENG_JOBSPEC_PRIVATE_H */
