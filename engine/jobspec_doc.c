/* jobspec_doc.c: YAML and JSON text into one positioned document tree.
 *
 * YAML goes through libyaml's event parser (not its document loader) so that
 * depth, node count and aliases are checked while reading, before memory is
 * spent, and every node keeps its start mark.
 *
 * JSON: jansson keeps no positions for values, so a small scanner here
 * builds the tree with positions.  Rejected alternatives: parsing JSON with
 * libyaml (YAML 1.1 is not a strict superset: tabs, "a":1 without a space
 * after the colon in older libyaml) and walking jansson's tree in step with a
 * position scan (the order of an object's keys would have to match).  The
 * scanner is strict where it matters (strings, UTF-8, structure) and runs
 * first; only when it refuses the text does jansson run, because its syntax
 * errors carry the best line, column and wording (JSON_REJECT_DUPLICATES
 * for repeated keys).  Text jansson refuses may still be YAML flow style,
 * which Fluxion (yaml-cpp) accepts: libyaml gets a try, and jansson's error
 * is reported only if libyaml fails too.
 *
 * Columns count characters (UTF-8 continuation bytes are skipped), as libyaml
 * and jansson do. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <yaml.h>

#include "jobspec_private.h"

/* ---- arena ---------------------------------------------------------------- */

enum { ARENA_CHUNK = 16384 };

struct arena_chunk {
    struct arena_chunk *next;
    size_t used, size;
    _Alignas(max_align_t) unsigned char data[];
};

struct jsarena {
    struct arena_chunk *head;
    /* Allocation-failure injection for tests: when 'limited', the
     * 'allocs_left'+1-th allocation request fails. */
    bool limited;
    size_t allocs_left;
};

jsarena_t *jobspec__arena_create(void)
{
    return calloc(1, sizeof(jsarena_t));
}

void jobspec__arena_fail_after(jsarena_t *a, size_t n)
{
    a->limited = true;
    a->allocs_left = n;
}

/* Is one more allocation allowed?  Always, unless injection is on. */
static bool arena_grant(jsarena_t *a)
{
    if (!a->limited)
        return true;
    if (a->allocs_left == 0)
        return false;
    a->allocs_left--;
    return true;
}

void *jobspec__tmp_realloc(jsarena_t *a, void *p, size_t size)
{
    return arena_grant(a) ? realloc(p, size) : NULL;
}

static char *tmp_strdup(jsarena_t *a, const char *s)
{
    size_t len = strlen(s) + 1;
    char *p = jobspec__tmp_realloc(a, NULL, len);
    if (p)
        memcpy(p, s, len);
    return p;
}

void jobspec__arena_destroy(jsarena_t *a)
{
    if (!a)
        return;
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

void *jobspec__arena_alloc(jsarena_t *a, size_t size)
{
    const size_t align = _Alignof(max_align_t);
    size = (size + align - 1) / align * align;
    if (size == 0)
        size = align;
    if (!arena_grant(a))
        return NULL;
    struct arena_chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        size_t want = size > ARENA_CHUNK ? size : ARENA_CHUNK;
        if (!(c = malloc(sizeof *c + want)))
            return NULL;
        c->size = want;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

char *jobspec__arena_strndup(jsarena_t *a, const char *s, size_t len)
{
    char *p = jobspec__arena_alloc(a, len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

/* ---- helpers -------------------------------------------------------------- */

const jsnode_t *jobspec__map_get(const jsnode_t *map, const char *key)
{
    if (!map || map->kind != JSN_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->items[2 * i]->text, key) == 0)
            return map->items[2 * i + 1];
    return NULL;
}

const char *jobspec__kind_name(const jsnode_t *n)
{
    static const char *const names[] = {"null", "scalar", "mapping", "sequence"};
    return names[n->kind];
}

static int cmp_key(const void *pa, const void *pb)
{
    const jsnode_t *a = *(jsnode_t *const *)pa, *b = *(jsnode_t *const *)pb;
    int c = strcmp(a->text, b->text);
    if (c)
        return c;
    return a->line != b->line ? (a->line < b->line ? -1 : 1)
                              : (a->column < b->column ? -1 : a->column > b->column);
}

/* Reject a repeated key in 'map', at the later occurrence.  Sorting a copy
 * costs O(n log n); a scan per insertion would be quadratic on big maps. */
static int check_duplicates(jsarena_t *a, const jsnode_t *map, const char *source,
                            eng_error_t *err)
{
    if (map->n < 2)
        return 0;
    jsnode_t **keys = jobspec__tmp_realloc(a, NULL, map->n * sizeof *keys);
    if (!keys)
        return eng_errorf(err, ENG_ENOMEM, source, 0, 0, "out of memory");
    for (size_t i = 0; i < map->n; i++)
        keys[i] = map->items[2 * i];
    qsort(keys, map->n, sizeof *keys, cmp_key);
    int rc = 0;
    for (size_t i = 1; i < map->n && rc == 0; i++)
        if (strcmp(keys[i - 1]->text, keys[i]->text) == 0)
            rc = eng_errorf(err, ENG_EPARSE, source, keys[i]->line, keys[i]->column,
                            "duplicate key \"%s\"", keys[i]->text);
    free(keys);
    return rc;
}

/* ---- building collections ------------------------------------------------- */

/* An open collection while its entries arrive. */
struct frame {
    jsnode_t *node;
    jsnode_t **items;
    size_t n, cap;
    char *anchor; /* malloc'd, or NULL */
};

struct anchor {
    char *name; /* malloc'd */
    jsnode_t *node;
};

enum { ANCHORS_MAX = 1024 };

struct builder {
    jsarena_t *arena;
    const char *source;
    eng_error_t *err;
    struct frame stack[JOBSPEC_DEPTH_MAX];
    int depth;
    size_t nnodes;
    jsnode_t *root;
    jsnode_t *empty; /* an empty value waiting for the next event's mark */
    bool ended;      /* the first document ended */
    bool done;
    bool allow_duplicates;
    struct anchor anchors[ANCHORS_MAX];
    int nanchors;
};

static void builder_release(struct builder *b)
{
    for (int i = 0; i < b->depth; i++) {
        free(b->stack[i].items);
        free(b->stack[i].anchor);
    }
    b->depth = 0;
    for (int i = 0; i < b->nanchors; i++)
        free(b->anchors[i].name);
    b->nanchors = 0;
}

static jsnode_t *node_new(struct builder *b, enum jsnode_kind kind, int line, int column)
{
    if (++b->nnodes > JOBSPEC_NODES_MAX) {
        eng_errorf(b->err, ENG_ELIMIT, b->source, line, column,
                   "more than %d yaml/json nodes", (int)JOBSPEC_NODES_MAX);
        return NULL;
    }
    jsnode_t *n = jobspec__arena_alloc(b->arena, sizeof *n);
    if (!n) {
        eng_errorf(b->err, ENG_ENOMEM, b->source, line, column, "out of memory");
        return NULL;
    }
    n->kind = kind;
    n->text = "";
    n->line = n->yline = line;
    n->column = n->ycolumn = column;
    return n;
}

/* Hand a finished node to its parent (or make it the root). */
static int add_value(struct builder *b, jsnode_t *n)
{
    if (b->depth == 0) {
        b->root = n;
        return 0;
    }
    struct frame *f = &b->stack[b->depth - 1];
    if (f->node->kind == JSN_MAP && f->n % 2 == 0 && n->kind != JSN_SCALAR)
        return eng_errorf(b->err, ENG_EPARSE, b->source, n->line, n->column,
                          "mapping key must be a scalar, got %s", jobspec__kind_name(n));
    if (f->n == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 8;
        jsnode_t **items = jobspec__tmp_realloc(b->arena, f->items, cap * sizeof *items);
        if (!items)
            return eng_errorf(b->err, ENG_ENOMEM, b->source, n->line, n->column,
                              "out of memory");
        f->items = items;
        f->cap = cap;
    }
    f->items[f->n++] = n;
    return 0;
}

static int push_frame(struct builder *b, jsnode_t *n, const char *anchor)
{
    if (b->depth == JOBSPEC_DEPTH_MAX)
        return eng_errorf(b->err, ENG_ELIMIT, b->source, n->line, n->column,
                          "nesting deeper than %d levels", (int)JOBSPEC_DEPTH_MAX);
    struct frame *f = &b->stack[b->depth];
    memset(f, 0, sizeof *f);
    f->node = n;
    if (anchor && !(f->anchor = tmp_strdup(b->arena, anchor)))
        return eng_errorf(b->err, ENG_ENOMEM, b->source, n->line, n->column,
                          "out of memory");
    b->depth++;
    return 0;
}

static int add_anchor(struct builder *b, const char *name, jsnode_t *n, bool take,
                      char *owned)
{
    if (b->nanchors == ANCHORS_MAX) {
        if (take)
            free(owned);
        return eng_errorf(b->err, ENG_ELIMIT, b->source, n->line, n->column,
                          "more than %d yaml anchors", (int)ANCHORS_MAX);
    }
    char *copy = take ? owned : tmp_strdup(b->arena, name);
    if (!copy)
        return eng_errorf(b->err, ENG_ENOMEM, b->source, n->line, n->column,
                          "out of memory");
    b->anchors[b->nanchors].name = copy;
    b->anchors[b->nanchors].node = n;
    b->nanchors++;
    return 0;
}

/* Close the innermost collection: move its entries into the arena, check its
 * keys, register its anchor (only now, so an alias can never form a cycle). */
static int pop_frame(struct builder *b)
{
    struct frame *f = &b->stack[b->depth - 1];
    jsnode_t *n = f->node;
    int rc = 0;
    if (f->n) {
        n->items = jobspec__arena_alloc(b->arena, f->n * sizeof *n->items);
        if (!n->items)
            rc = eng_errorf(b->err, ENG_ENOMEM, b->source, n->line, n->column,
                            "out of memory");
        else
            memcpy(n->items, f->items, f->n * sizeof *n->items);
    }
    n->n = n->kind == JSN_MAP ? f->n / 2 : f->n;
    char *anchor = f->anchor;
    free(f->items);
    b->depth--;
    if (rc == 0 && n->kind == JSN_MAP && !b->allow_duplicates)
        rc = check_duplicates(b->arena, n, b->source, b->err);
    if (rc == 0 && anchor)
        return add_anchor(b, NULL, n, true, anchor) ? -1 : add_value(b, n);
    free(anchor);
    return rc ? rc : add_value(b, n);
}

/* ---- YAML ------------------------------------------------------------------ */

static bool is_null_text(const char *s)
{
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
           !strcmp(s, "NULL");
}

static int yaml_scalar(struct builder *b, const yaml_event_t *ev)
{
    int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;
    const char *v = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    if (memchr(v, '\0', len))
        return eng_errorf(b->err, ENG_EPARSE, b->source, line, col,
                          "scalar contains a nul character");
    bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    bool tagged = ev->data.scalar.tag != NULL;
    jsnode_t *n = node_new(b, JSN_SCALAR, line, col);
    if (!n)
        return ENG_ENOMEM;
    if (!(n->text = jobspec__arena_strndup(b->arena, v, len)))
        return eng_errorf(b->err, ENG_ENOMEM, b->source, line, col, "out of memory");
    n->quoted = !plain && !tagged;
    if (plain && !tagged && is_null_text(n->text))
        n->kind = JSN_NULL;
    if (plain && !tagged && len == 0)
        b->empty = n;
    if (ev->data.scalar.anchor &&
        add_anchor(b, (const char *)ev->data.scalar.anchor, n, false, NULL))
        return -1;
    return add_value(b, n);
}

static int yaml_alias(struct builder *b, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    for (int i = b->nanchors - 1; i >= 0; i--)
        if (strcmp(b->anchors[i].name, name) == 0)
            return add_value(b, b->anchors[i].node);
    return eng_errorf(b->err, ENG_EPARSE, b->source, (int)ev->start_mark.line + 1,
                      (int)ev->start_mark.column + 1, "undefined yaml alias \"%s\"",
                      name);
}

static int yaml_collection(struct builder *b, const yaml_event_t *ev, bool map)
{
    jsnode_t *n = node_new(b, map ? JSN_MAP : JSN_SEQ, (int)ev->start_mark.line + 1,
                           (int)ev->start_mark.column + 1);
    if (!n)
        return -1;
    const yaml_char_t *anchor =
        map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
    return push_frame(b, n, (const char *)anchor);
}

static int yaml_event(struct builder *b, const yaml_event_t *ev)
{
    if (b->empty) {
        b->empty->yline = (int)ev->start_mark.line + 1;
        b->empty->ycolumn = (int)ev->start_mark.column + 1;
        b->empty = NULL;
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        return yaml_scalar(b, ev);
    case YAML_ALIAS_EVENT:
        return yaml_alias(b, ev);
    case YAML_SEQUENCE_START_EVENT:
        return yaml_collection(b, ev, false);
    case YAML_MAPPING_START_EVENT:
        return yaml_collection(b, ev, true);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return pop_frame(b);
    case YAML_DOCUMENT_END_EVENT:
        /* Only the first document counts, as with yaml-cpp's YAML::Load
         * that resource-query uses, but what follows it must at least start
         * a new document: read one more event (stray "}" is an error). */
        b->ended = true;
        return 0;
    case YAML_DOCUMENT_START_EVENT:
    case YAML_STREAM_END_EVENT:
        b->done = b->ended || ev->type == YAML_STREAM_END_EVENT;
        return 0;
    default:
        return 0;
    }
}

static int yaml_syntax_error(struct builder *b, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR)
        return eng_errorf(b->err, ENG_ENOMEM, b->source, 0, 0, "out of memory");
    const char *problem = p->problem ? p->problem : "syntax error";
    int line = (int)p->problem_mark.line + 1, col = (int)p->problem_mark.column + 1;
    if (p->context)
        return eng_errorf(b->err, ENG_EPARSE, b->source, line, col,
                          "invalid yaml: %s %s (from line %d)", problem, p->context,
                          (int)p->context_mark.line + 1);
    return eng_errorf(b->err, ENG_EPARSE, b->source, line, col, "invalid yaml: %s",
                      problem);
}

static jsnode_t *yaml_parse(struct builder *b, const char *text, size_t len)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        eng_errorf(b->err, ENG_ENOMEM, b->source, 0, 0, "out of memory");
        return NULL;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    int rc = 0;
    while (rc == 0 && !b->done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            rc = yaml_syntax_error(b, &p);
            break;
        }
        rc = yaml_event(b, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    builder_release(b);
    if (rc)
        return NULL;
    if (!b->root)
        b->root = node_new(b, JSN_NULL, 1, 1);
    return b->root;
}

/* ---- JSON ------------------------------------------------------------------ */

struct jscan {
    struct builder *b;
    const char *s, *end;
    int line, column;
    int depth;
};

static void jadvance(struct jscan *j)
{
    if (*j->s == '\n') {
        j->line++;
        j->column = 1;
    } else if (((unsigned char)*j->s & 0xC0) != 0x80) {
        j->column++;
    }
    j->s++;
}

static void jskip_ws(struct jscan *j)
{
    while (j->s < j->end &&
           (*j->s == ' ' || *j->s == '\t' || *j->s == '\n' || *j->s == '\r'))
        jadvance(j);
}

static int jfail(struct jscan *j, const char *what)
{
    return eng_errorf(j->b->err, ENG_EPARSE, j->b->source, j->line, j->column,
                      "invalid json: %s", what);
}

static int hexval(const char *p, const char *end, unsigned *out)
{
    if (end - p < 4)
        return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decode the escape at 'p' (after the backslash) into 'o'; returns the bytes
 * written, with '*used' the input consumed, or 0 when malformed or NUL. */
static size_t junescape(const char *p, const char *end, char *o, size_t *used)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *hit = p < end && *p ? strchr(from, *p) : NULL;
    if (hit) {
        *o = to[hit - from];
        *used = 1;
        return 1;
    }
    unsigned cp, lo;
    if (p >= end || *p != 'u' || hexval(p + 1, end, &cp) || cp == 0)
        return 0;
    *used = 5;
    if (cp >= 0xD800 && cp < 0xDC00) {
        if (end - p < 11 || p[5] != '\\' || p[6] != 'u' || hexval(p + 7, end, &lo) ||
            lo < 0xDC00 || lo > 0xDFFF)
            return 0;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        *used = 11;
    }
    return put_utf8(o, cp);
}

/* Well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF),
 * as jansson requires. */
static bool utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        unsigned c = *p++;
        int more = c < 0x80             ? 0
                   : (c & 0xE0) == 0xC0 ? 1
                   : (c & 0xF0) == 0xE0 ? 2
                   : (c & 0xF8) == 0xF0 ? 3
                                        : -1;
        if (more < 0 || end - p < more)
            return false;
        unsigned cp = more == 0 ? c : c & (0x3F >> more);
        for (int i = 0; i < more; i++, p++) {
            if ((*p & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (*p & 0x3F);
        }
        static const unsigned min[] = {0, 0x80, 0x800, 0x10000};
        if (cp < min[more] || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000))
            return false;
    }
    return true;
}

static int jstring(struct jscan *j, jsnode_t *n)
{
    jadvance(j); /* opening quote */
    const char *start = j->s;
    while (j->s < j->end && *j->s != '"') {
        if ((unsigned char)*j->s < 0x20)
            return jfail(j, "control character in string");
        j->s += (*j->s == '\\' && j->s + 1 < j->end) ? 2 : 1;
    }
    if (j->s >= j->end)
        return jfail(j, "unterminated string");
    if (!utf8_valid(start, (size_t)(j->s - start)))
        return jfail(j, "invalid utf-8 in string");
    size_t rawlen = (size_t)(j->s - start);
    char *out = jobspec__arena_alloc(j->b->arena, rawlen + 1);
    if (!out)
        return eng_errorf(j->b->err, ENG_ENOMEM, j->b->source, n->line, n->column,
                          "out of memory");
    size_t o = 0;
    for (const char *p = start; p < j->s;) {
        size_t used;
        if (*p != '\\') {
            out[o++] = *p++;
            continue;
        }
        size_t w = junescape(p + 1, j->s, out + o, &used);
        if (w == 0)
            return eng_errorf(j->b->err, ENG_EPARSE, j->b->source, n->line, n->column,
                              "invalid json: bad escape or nul character in string");
        o += w;
        p += 1 + used;
    }
    out[o] = '\0';
    for (const char *p = start; p < j->s; p++)
        j->column += ((unsigned char)*p & 0xC0) != 0x80;
    jadvance(j); /* closing quote */
    n->text = out;
    n->quoted = true;
    return 0;
}

static int jvalue(struct jscan *j);

/* Length of the JSON number at 's' (RFC 8259 grammar), 0 if there is none. */
static size_t number_len(const char *s, const char *end)
{
    const char *p = s;
    p += p < end && *p == '-';
    if (p < end && *p == '0')
        p++;
    else if (p < end && *p >= '1' && *p <= '9')
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    else
        return 0;
    if (p + 1 < end && *p == '.' && p[1] >= '0' && p[1] <= '9')
        for (p++; p < end && *p >= '0' && *p <= '9';)
            p++;
    if (p < end && (*p == 'e' || *p == 'E')) {
        const char *q = p + 1;
        q += q < end && (*q == '+' || *q == '-');
        if (q >= end || *q < '0' || *q > '9')
            return 0;
        while (q < end && *q >= '0' && *q <= '9')
            q++;
        p = q;
    }
    return (size_t)(p - s);
}

/* true, false, null or a number, ending at a delimiter. */
static int jatom(struct jscan *j, jsnode_t *n)
{
    static const char *const words[] = {"true", "false", "null"};
    size_t len = number_len(j->s, j->end);
    for (int i = 0; i < 3 && len == 0; i++) {
        size_t wl = strlen(words[i]);
        if ((size_t)(j->end - j->s) >= wl && memcmp(j->s, words[i], wl) == 0)
            len = wl;
    }
    if (len == 0 || (j->s + len < j->end && !strchr(",]} \t\r\n", j->s[len])))
        return jfail(j, "invalid value");
    if (!(n->text = jobspec__arena_strndup(j->b->arena, j->s, len)))
        return eng_errorf(j->b->err, ENG_ENOMEM, j->b->source, n->line, n->column,
                          "out of memory");
    if (strcmp(n->text, "null") == 0)
        n->kind = JSN_NULL;
    for (size_t i = 0; i < len; i++)
        jadvance(j);
    return 0;
}

/* Entries of an object or array up to 'close'; keys of objects are strings. */
static int jentries(struct jscan *j, bool object)
{
    char close = object ? '}' : ']';
    jadvance(j);
    jskip_ws(j);
    if (j->s < j->end && *j->s == close) {
        jadvance(j);
        return 0;
    }
    for (;;) {
        if (object && (j->s >= j->end || *j->s != '"'))
            return jfail(j, "expected a string key");
        if (jvalue(j))
            return -1;
        jskip_ws(j);
        if (object) {
            if (j->s >= j->end || *j->s != ':')
                return jfail(j, "expected ':'");
            jadvance(j);
            if (jvalue(j))
                return -1;
            jskip_ws(j);
        }
        if (j->s < j->end && *j->s == close) {
            jadvance(j);
            return 0;
        }
        if (j->s >= j->end || *j->s != ',')
            return jfail(j, "expected ',' or a closing bracket");
        jadvance(j);
        jskip_ws(j);
    }
}

static int jvalue(struct jscan *j)
{
    struct builder *b = j->b;
    jskip_ws(j);
    if (j->s >= j->end)
        return jfail(j, "unexpected end of text");
    char c = *j->s;
    bool coll = c == '{' || c == '[';
    jsnode_t *n = node_new(b, coll ? (c == '{' ? JSN_MAP : JSN_SEQ) : JSN_SCALAR, j->line,
                           j->column);
    if (!n)
        return -1;
    if (coll) {
        if (push_frame(b, n, NULL) || jentries(j, c == '{'))
            return -1;
        return pop_frame(b);
    }
    if ((c == '"' ? jstring(j, n) : jatom(j, n)) != 0)
        return -1;
    return add_value(b, n);
}

static jsnode_t *json_parse(struct builder *b, const char *text, size_t len)
{
    struct jscan j = {.b = b, .s = text, .end = text + len, .line = 1, .column = 1};
    int rc = jvalue(&j);
    if (rc == 0) {
        jskip_ws(&j);
        if (j.s < j.end)
            rc = jfail(&j, "text after the end of the document");
    }
    builder_release(b);
    return rc ? NULL : b->root;
}

/* jansson's verdict; on failure its error lands in 'err'. */
static bool json_valid(const char *text, size_t len, const char *source, eng_error_t *err)
{
    json_error_t jerr;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (doc) {
        json_decref(doc);
        return true;
    }
    eng_errorf(err, ENG_EPARSE, source, jerr.line > 0 ? jerr.line : 1,
               jerr.column > 0 ? jerr.column : 1, "invalid json: %s", jerr.text);
    return false;
}

static bool looks_like_json(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len &&
           (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        i++;
    return i < len && (text[i] == '{' || text[i] == '[');
}

/* Ready 'b' (arena, source and allow_duplicates set) for a parse.  The
 * frame and anchor arrays (~20 KB) are not cleared: an entry is written
 * when it comes into use (push_frame(), add_anchor()), and nothing reads
 * past 'depth' or 'nanchors'. */
static void builder_reset(struct builder *b, eng_error_t *err)
{
    b->err = err;
    b->depth = 0;
    b->nnodes = 0;
    b->root = NULL;
    b->empty = NULL;
    b->ended = false;
    b->done = false;
    b->nanchors = 0;
}

/* Text that starts like JSON: the scanner alone when it accepts (the common
 * case, half the cost of running jansson too); otherwise jansson's verdict
 * gives the syntax error, unless libyaml reads it as YAML flow style. */
static jsnode_t *json_or_yaml(struct builder *b, const char *text, size_t len,
                              eng_error_t *err)
{
    eng_error_t serr = {0}, jerr = {0}, yerr = {0};
    b->err = &serr;
    jsnode_t *root = json_parse(b, text, len);
    if (root)
        return root;
    if (serr.code != ENG_EPARSE || json_valid(text, len, b->source, &jerr)) {
        if (err && err->code == 0)
            *err = serr;
        return NULL;
    }
    builder_reset(b, &yerr);
    root = yaml_parse(b, text, len);
    /* Out of memory is not the text's fault: say so, not jansson's. */
    if (!root && err && err->code == 0)
        *err = yerr.code == ENG_ENOMEM ? yerr : jerr;
    return root;
}

jsnode_t *jobspec__doc_parse(jsarena_t *a, const char *text, size_t len,
                             const char *source, bool allow_duplicates, eng_error_t *err)
{
    struct builder *b = jobspec__tmp_realloc(a, NULL, sizeof *b);
    if (!b) {
        eng_errorf(err, ENG_ENOMEM, source, 0, 0, "out of memory");
        return NULL;
    }
    b->arena = a;
    b->source = source;
    b->allow_duplicates = allow_duplicates;
    builder_reset(b, err);
    jsnode_t *root = looks_like_json(text, len) ? json_or_yaml(b, text, len, err)
                                                : yaml_parse(b, text, len);
    free(b);
    return root;
}
