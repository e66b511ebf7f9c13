/* jgf_read.c: JGF text -> resource graph, with Fluxion's rules (see jgf.h).
 *
 * One pass over the text: each node object is read into a reusable
 * 'struct node' (strings point into the buffer, decoded in place), defaults
 * are applied, and the vertex is added at once.  Paths are set straight
 * away (stored as strings) and rg_graph_compact() turns those that are
 * derivable from the edges back into nothing at the end, which keeps the
 * reader to one pass.  A map from JGF node id to vertex lives only during
 * the load.  Cost on the benchmark graph: about 1 µs per vertex. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fio.h"
#include "jgf_private.h"
#include "rg_private.h"

struct item {
    char *key, *val;
    struct jgf__pos pos; /* of the value */
};

struct node {
    char *jid;
    struct jgf__pos pos, jid_pos, meta_pos, name_pos;
    char *type, *basename, *name, *unit;
    int64_t id, uniq_id, rank, size;
    bool has_id, has_uniq_id, exclusive, has_meta, has_paths;
    int64_t status;
    struct item *paths, *props;
    size_t npaths, nprops, cap_paths, cap_props;
};

struct ident {
    const char *key; /* NUL-terminated, in the text buffer */
    uint32_t hash;
    rg_vid_t vid;
    bool fresh; /* the vertex was added for this id (not reused) */
};

struct vpos {
    uint32_t index; /* node index in graph.nodes */
    struct jgf__pos pos;
};

enum memo_slot { MEMO_TYPE, MEMO_BASENAME, MEMO_SUBSYS, MEMO_EDGE, MEMO_SLOTS };

struct reader {
    struct jgf__lex l;
    /* Node ids that are canonical decimals below a bound are looked up in a
     * plain array (entry = vid + 1, top bit = fresh): generated graphs
     * number their nodes 0..N-1, and this skips hashing and the cache miss
     * of a string compare.  Other ids go to the hash table. */
    uint32_t *direct;
    size_t cap_direct;
    rg_graph_t *g;
    size_t max_vertices;
    bool keep_unit;
    struct node n;
    struct ident *ids;
    size_t nids, cap_ids;
    struct vpos *vpos;
    size_t cap_vpos;
    /* Last symbol seen per use (type, basename, subsystem, ...): neighbouring
     * nodes mostly repeat them, and a strcmp is cheaper than a hash probe. */
    struct memo {
        const char *text; /* the symbol's text in the graph */
        rg_sym_t sym;
    } memo[MEMO_SLOTS];
};

/* ---- node id map ----------------------------------------------------------- */

static struct ident *ident_find(const struct reader *r, const char *key, uint32_t h)
{
    if (!r->cap_ids)
        return NULL;
    for (size_t j = h & (r->cap_ids - 1); r->ids[j].key; j = (j + 1) & (r->cap_ids - 1))
        if (r->ids[j].hash == h && strcmp(r->ids[j].key, key) == 0)
            return &r->ids[j];
    return NULL;
}

static int ident_insert(struct reader *r, const char *key, uint32_t h, rg_vid_t v,
                        bool fresh)
{
    if ((r->nids + 1) * 2 > r->cap_ids) {
        size_t ncap = r->cap_ids ? r->cap_ids * 2 : 1024;
        struct ident *t = calloc(ncap, sizeof *t);
        if (!t)
            return ENG_ENOMEM;
        for (size_t i = 0; i < r->cap_ids; i++) {
            if (!r->ids[i].key)
                continue;
            size_t j = r->ids[i].hash & (ncap - 1);
            while (t[j].key)
                j = (j + 1) & (ncap - 1);
            t[j] = r->ids[i];
        }
        free(r->ids);
        r->ids = t;
        r->cap_ids = ncap;
    }
    size_t j = h & (r->cap_ids - 1);
    while (r->ids[j].key)
        j = (j + 1) & (r->cap_ids - 1);
    r->ids[j] = (struct ident){.key = key, .hash = h, .vid = v, .fresh = fresh};
    r->nids++;
    return 0;
}

enum { DIRECT_MAX = 1 << 28, DIRECT_FRESH = 1u << 31 };

/* The value of 'key' if it is a canonical decimal ("0", "17", not "017")
 * below DIRECT_MAX, else -1. */
static long direct_index(const char *key)
{
    if (key[0] == '0')
        return key[1] ? -1 : 0;
    long v = 0;
    for (const char *p = key; *p; p++) {
        if (*p < '0' || *p > '9' || v >= DIRECT_MAX / 10)
            return -1;
        v = v * 10 + (*p - '0');
    }
    return key[0] ? v : -1;
}

/* Look 'key' up: true and its vertex and freshness when known. */
static bool ident_get(const struct reader *r, const char *key, rg_vid_t *v, bool *fresh)
{
    long d = direct_index(key);
    if (d >= 0 && (size_t)d < r->cap_direct && r->direct[d]) {
        *v = (r->direct[d] & ~DIRECT_FRESH) - 1;
        *fresh = (r->direct[d] & DIRECT_FRESH) != 0;
        return true;
    }
    const struct ident *x = ident_find(r, key, rg__hash(key, strlen(key)));
    if (x) {
        *v = x->vid;
        *fresh = x->fresh;
    }
    return x != NULL;
}

/* Record 'key' (known to be new).  The array grows only while ids stay
 * dense (at most twice the ids seen, plus slack), so a huge id in a small
 * file costs no memory. */
static int ident_add(struct reader *r, const char *key, rg_vid_t v, bool fresh)
{
    long d = direct_index(key);
    if (d >= 0 && (size_t)d >= r->cap_direct && (size_t)d < 2 * r->nids + 4096) {
        size_t ncap = r->cap_direct ? r->cap_direct : 4096;
        while (ncap <= (size_t)d)
            ncap *= 2;
        uint32_t *t = realloc(r->direct, ncap * sizeof *t);
        if (!t)
            return ENG_ENOMEM;
        memset(t + r->cap_direct, 0, (ncap - r->cap_direct) * sizeof *t);
        r->direct = t;
        r->cap_direct = ncap;
    }
    if (d >= 0 && (size_t)d < r->cap_direct) {
        r->direct[d] = (v + 1) | (fresh ? DIRECT_FRESH : 0);
        r->nids++;
        return 0;
    }
    return ident_insert(r, key, rg__hash(key, strlen(key)), v, fresh);
}

/* ---- reading one node ------------------------------------------------------ */

static int item_add(struct reader *r, struct item **arr, size_t *n, size_t *cap,
                    char *key, char *val, struct jgf__pos pos)
{
    for (size_t i = 0; i < *n; i++) /* a repeated key: the last one wins, as in jansson */
        if (strcmp((*arr)[i].key, key) == 0) {
            (*arr)[i].val = val;
            (*arr)[i].pos = pos;
            return 0;
        }
    if (rg__grow(arr, cap, *n + 1, sizeof **arr))
        return eng_errorf(r->l.err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    (*arr)[(*n)++] = (struct item){key, val, pos};
    return 0;
}

static int read_paths(struct reader *r)
{
    struct jgf__lex *l = &r->l;
    int rc = jgf__obj_open(l, "metadata.paths");
    bool first = true;
    char *key, *val;
    size_t len;
    while (rc == 0 && (rc = jgf__obj_key(l, &first, &key)) > 0) {
        jgf__peek(l);
        struct jgf__pos pos = jgf__pos(l, l->p);
        char *at = l->p;
        if ((rc = jgf__string(l, "metadata.paths", &val, &len)) < 0)
            return rc;
        if (val[0] != '/' || len >= RG_PATH_MAX) {
            char what[RG_SYM_LEN_MAX + 32];
            snprintf(what, sizeof what, "metadata.paths.%.*s", RG_SYM_LEN_MAX, key);
            if (val[0] != '/')
                return jgf__err_at(l, at, ENG_EPARSE, what, "must start with '/'");
            return jgf__err_at(l, at, ENG_ELIMIT, what, "longer than %d bytes",
                               RG_PATH_MAX - 1);
        }
        if (key[0] == '\0' || strlen(key) >= RG_SYM_LEN_MAX)
            return jgf__err_at(l, at, ENG_EPARSE, "metadata.paths", "bad subsystem name");
        rc = item_add(r, &r->n.paths, &r->n.npaths, &r->n.cap_paths, key, val, pos);
    }
    return rc < 0 ? rc : 0;
}

static int read_props(struct reader *r)
{
    struct jgf__lex *l = &r->l;
    if (jgf__peek(l) == 'n')
        return jgf__skip(l); /* null: no properties */
    int rc = jgf__obj_open(l, "metadata.properties");
    bool first = true;
    char *key, *val;
    size_t len;
    while (rc == 0 && (rc = jgf__obj_key(l, &first, &key)) > 0) {
        jgf__peek(l);
        char *at = l->p;
        if ((rc = jgf__string(l, "metadata.properties", &val, &len)) < 0)
            return rc;
        if (strlen(key) >= RG_SYM_LEN_MAX || len >= RG_SYM_LEN_MAX)
            return jgf__err_at(l, at, ENG_ELIMIT, "metadata.properties",
                               "longer than %d bytes", RG_SYM_LEN_MAX - 1);
        rc = item_add(r, &r->n.props, &r->n.nprops, &r->n.cap_props, key, val,
                      jgf__pos(l, at));
    }
    return rc < 0 ? rc : 0;
}

static int read_sym(struct reader *r, const char *what, char **out)
{
    jgf__peek(&r->l);
    char *at = r->l.p;
    size_t len;
    int rc = jgf__string(&r->l, what, out, &len);
    if (rc == 0 && len >= RG_SYM_LEN_MAX)
        return jgf__err_at(&r->l, at, ENG_ELIMIT, what, "longer than %d bytes",
                           RG_SYM_LEN_MAX - 1);
    return rc;
}

static int read_ranged(struct reader *r, const char *what, int64_t lo, int64_t hi,
                       int64_t *out)
{
    jgf__peek(&r->l);
    char *at = r->l.p;
    int rc = jgf__int(&r->l, what, out);
    if (rc == 0 && (*out < lo || *out > hi))
        return jgf__err_at(&r->l, at, ENG_EPARSE, what,
                           "expected integer in [%lld, %lld], got %lld", (long long)lo,
                           (long long)hi, (long long)*out);
    return rc;
}

/* One metadata member; unknown keys are skipped as Fluxion ignores them. */
enum meta_key {
    MK_OTHER,
    MK_TYPE,
    MK_BASENAME,
    MK_NAME,
    MK_UNIT,
    MK_ID,
    MK_UNIQ_ID,
    MK_RANK,
    MK_SIZE,
    MK_STATUS,
    MK_EXCLUSIVE,
    MK_PATHS,
    MK_PROPERTIES,
};

/* Which metadata key 'key' is: one switch and at most two string compares,
 * not a dozen (this runs ~12 times per vertex). */
static enum meta_key meta_key(const char *key)
{
    static const struct {
        const char *name;
        enum meta_key k;
    } keys[] = {{"type", MK_TYPE},       {"basename", MK_BASENAME},
                {"name", MK_NAME},       {"unit", MK_UNIT},
                {"uniq_id", MK_UNIQ_ID}, {"id", MK_ID},
                {"rank", MK_RANK},       {"size", MK_SIZE},
                {"status", MK_STATUS},   {"exclusive", MK_EXCLUSIVE},
                {"paths", MK_PATHS},     {"properties", MK_PROPERTIES}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (keys[i].name[0] == key[0] && strcmp(keys[i].name, key) == 0)
            return keys[i].k;
    return MK_OTHER;
}

/* One metadata member; unknown keys are skipped as Fluxion ignores them. */
static int read_meta_key(struct reader *r, const char *key)
{
    struct node *n = &r->n;
    switch (meta_key(key)) {
    case MK_TYPE:
        return read_sym(r, "metadata.type", &n->type);
    case MK_BASENAME:
        return read_sym(r, "metadata.basename", &n->basename);
    case MK_NAME:
        jgf__peek(&r->l);
        n->name_pos = jgf__pos(&r->l, r->l.p);
        return read_sym(r, "metadata.name", &n->name);
    case MK_UNIT:
        return read_sym(r, "metadata.unit", &n->unit);
    case MK_ID:
        n->has_id = true;
        return jgf__int(&r->l, "metadata.id", &n->id);
    case MK_UNIQ_ID:
        n->has_uniq_id = true;
        return jgf__int(&r->l, "metadata.uniq_id", &n->uniq_id);
    case MK_RANK:
        return read_ranged(r, "metadata.rank", -1, INT32_MAX, &n->rank);
    case MK_SIZE:
        return read_ranged(r, "metadata.size", 1, JGF_SIZE_MAX, &n->size);
    case MK_STATUS:
        return read_ranged(r, "metadata.status", 0, 1, &n->status);
    case MK_EXCLUSIVE:
        return jgf__bool(&r->l, "metadata.exclusive", &n->exclusive);
    case MK_PATHS:
        n->has_paths = true;
        return read_paths(r);
    case MK_PROPERTIES:
        return read_props(r);
    default:
        return jgf__skip(&r->l);
    }
}

static int read_meta(struct reader *r)
{
    struct jgf__lex *l = &r->l;
    jgf__peek(l);
    r->n.meta_pos = jgf__pos(l, l->p);
    int rc = jgf__obj_open(l, "metadata");
    bool first = true;
    char *key;
    while (rc == 0 && (rc = jgf__obj_key(l, &first, &key)) > 0)
        rc = read_meta_key(r, key);
    r->n.has_meta = true;
    return rc < 0 ? rc : 0;
}

static void node_reset(struct node *n)
{
    struct node keep = *n;
    *n = (struct node){.rank = -1, .size = 1};
    n->paths = keep.paths;
    n->cap_paths = keep.cap_paths;
    n->props = keep.props;
    n->cap_props = keep.cap_props;
}

static int read_node_fields(struct reader *r)
{
    struct jgf__lex *l = &r->l;
    jgf__peek(l);
    r->n.pos = jgf__pos(l, l->p);
    int rc = jgf__obj_open(l, NULL);
    bool first = true;
    char *key;
    while (rc == 0 && (rc = jgf__obj_key(l, &first, &key)) > 0) {
        if (strcmp(key, "id") == 0) {
            jgf__peek(l);
            r->n.jid_pos = jgf__pos(l, l->p);
            rc = jgf__string(l, "id", &r->n.jid, NULL);
        } else if (strcmp(key, "metadata") == 0) {
            rc = read_meta(r);
        } else {
            rc = jgf__skip(l);
        }
    }
    return rc < 0 ? rc : 0;
}

/* ---- defaults and checks --------------------------------------------------- */

__attribute__((format(printf, 4, 5))) static int
err_pos(struct reader *r, struct jgf__pos pos, int code, const char *fmt, ...)
{
    char text[ENG_ERROR_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return eng_errorf(r->l.err, code, r->l.source, pos.line, pos.column, "%s[%zu]%s",
                      r->l.ctx, r->l.ctx_index, text);
}

/* Leading integer of 's' the way std::stoll reads it (space, sign, digits;
 * the rest ignored).  false when there are no digits or it overflows. */
static bool stoll_like(const char *s, int64_t *out)
{
    while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        s++;
    bool neg = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    if (!(*s >= '0' && *s <= '9'))
        return false;
    uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; *s >= '0' && *s <= '9'; s++) {
        uint64_t d = (uint64_t)(*s - '0');
        if (v > (limit - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

static int apply_defaults(struct reader *r)
{
    struct node *n = &r->n;
    if (!n->jid)
        return err_pos(r, n->pos, ENG_EPARSE, ": missing key 'id'");
    if (!n->has_meta)
        return err_pos(r, n->pos, ENG_EPARSE, ": missing key 'metadata'");
    if (!n->type)
        return err_pos(r, n->meta_pos, ENG_EPARSE, ".metadata: missing key 'type'");
    if (!n->has_paths)
        return err_pos(r, n->meta_pos, ENG_EPARSE, ".metadata: missing key 'paths'");
    if (!n->has_uniq_id && !stoll_like(n->jid, &n->uniq_id))
        return err_pos(r, n->jid_pos, ENG_EPARSE,
                       ".id: uniq_id cannot be inferred from id '%s'", n->jid);
    if (!n->has_id) {
        n->id = n->uniq_id;
        if (strcmp(n->type, "node") == 0 && n->name) {
            const char *d = n->name + strlen(n->name);
            while (d > n->name && d[-1] >= '0' && d[-1] <= '9')
                d--;
            if (*d && !stoll_like(d, &n->id))
                return err_pos(r, n->name_pos, ENG_EPARSE,
                               ".metadata.name: id of '%s' out of range", n->name);
        }
    }
    return 0;
}

/* ---- adding the vertex ----------------------------------------------------- */

static rg_sym_t sym(struct reader *r, const char *s)
{
    return s ? rg_sym_intern(r->g, s) : RG_SYM_NONE;
}

/* sym() through the memo of 'slot'; with 'insert' false, only finds. */
static rg_sym_t memo_sym(struct reader *r, enum memo_slot slot, const char *s,
                         bool insert)
{
    struct memo *m = &r->memo[slot];
    if (m->text && strcmp(m->text, s) == 0)
        return m->sym;
    rg_sym_t y = insert ? rg_sym_intern(r->g, s) : rg_sym_find(r->g, s);
    if (y != RG_SYM_NONE)
        *m = (struct memo){rg_sym_str(r->g, y), y};
    return y;
}

/* The vertex with one of the node's paths and its rank, or RG_VID_NONE. */
static rg_vid_t existing(struct reader *r)
{
    for (size_t i = 0; i < r->n.npaths; i++) {
        rg_sym_t s = memo_sym(r, MEMO_SUBSYS, r->n.paths[i].key, false);
        rg_vid_t v =
            s == RG_SYM_NONE
                ? RG_VID_NONE
                : rg_vertex_find_path_rank(r->g, s, r->n.paths[i].val, r->n.rank);
        if (v != RG_VID_NONE)
            return v;
    }
    return RG_VID_NONE;
}

static int add_vertex(struct reader *r, size_t index, rg_vid_t *out)
{
    struct node *n = &r->n;
    eng_error_t *err = r->l.err;
    if (rg_graph_vid_bound(r->g) >= r->max_vertices) {
        char num[32];
        snprintf(num, sizeof num, "%zu", r->max_vertices);
        return err_pos(r, n->pos, ENG_ELIMIT, ": more than %s vertices", num);
    }
    struct rg_vertex_init in;
    rg_vertex_init_default(&in);
    in.type = memo_sym(r, MEMO_TYPE, n->type, true);
    in.basename = n->basename ? memo_sym(r, MEMO_BASENAME, n->basename, true) : in.type;
    in.name = n->name ? sym(r, n->name) : RG_SYM_NONE;
    in.unit = n->unit && r->keep_unit ? sym(r, n->unit) : RG_SYM_EMPTY;
    in.id = n->id;
    in.uniq_id = n->uniq_id;
    in.rank = n->rank;
    in.size = n->size;
    in.exclusive = n->exclusive;
    in.status = n->status ? RG_STATUS_DOWN : RG_STATUS_UP;
    rg_vid_t v = rg_vertex_add(r->g, &in, err);
    if (v == RG_VID_NONE)
        return err->code;
    for (size_t i = 0; i < n->npaths; i++) {
        eng_error_t perr;
        eng_error_clear(&perr);
        rg_sym_t s = memo_sym(r, MEMO_SUBSYS, n->paths[i].key, true);
        if (s == RG_SYM_NONE || rg_vertex_path_set(r->g, v, s, n->paths[i].val, &perr))
            return err_pos(r, n->paths[i].pos, perr.code ? perr.code : ENG_ENOMEM,
                           ".metadata.paths.%s: %s", n->paths[i].key, perr.text);
    }
    for (size_t i = 0; i < n->nprops; i++)
        if (rg_vertex_prop_set(r->g, v, n->props[i].key, n->props[i].val))
            return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    if (rg__grow(&r->vpos, &r->cap_vpos, (size_t)v + 1, sizeof *r->vpos))
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    r->vpos[v] = (struct vpos){(uint32_t)index, n->pos};
    *out = v;
    return 0;
}

static int read_node(struct reader *r, size_t index)
{
    node_reset(&r->n);
    int rc = read_node_fields(r);
    if (rc == 0)
        rc = apply_defaults(r);
    if (rc)
        return rc;
    rg_vid_t v;
    bool fresh;
    if (ident_get(r, r->n.jid, &v, &fresh))
        return err_pos(r, r->n.jid_pos, ENG_EPARSE, ".id: duplicate node id '%s'",
                       r->n.jid);
    v = existing(r);
    fresh = v == RG_VID_NONE;
    if (fresh && (rc = add_vertex(r, index, &v)))
        return rc;
    if (ident_add(r, r->n.jid, v, fresh))
        return eng_errorf(r->l.err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    return 0;
}

static int read_nodes(struct reader *r)
{
    struct jgf__lex *l = &r->l;
    int rc = jgf__arr_open(l, "graph.nodes");
    bool first = true;
    r->l.ctx = "graph.nodes";
    for (size_t i = 0; rc == 0 && (rc = jgf__arr_next(l, &first)) > 0; i++) {
        r->l.ctx_index = i;
        rc = read_node(r, i);
    }
    r->l.ctx = NULL;
    return rc < 0 ? rc : 0;
}

/* ---- edges ----------------------------------------------------------------- */

struct edge {
    char *src, *dst, *subsys, *relation;
    struct jgf__pos pos, src_pos, dst_pos;
};

/* The older "name": {"containment": "contains"} form. */
static int read_edge_names(struct reader *r, struct edge *e)
{
    struct jgf__lex *l = &r->l;
    int rc = jgf__obj_open(l, "metadata.name");
    bool first = true;
    char *key, *val;
    while (rc == 0 && (rc = jgf__obj_key(l, &first, &key)) > 0) {
        if ((rc = read_sym(r, "metadata.name", &val)) < 0)
            return rc;
        if (!e->subsys || strcmp(e->subsys, key) == 0) {
            e->subsys = key;
            e->relation = val;
        }
    }
    return rc < 0 ? rc : 0;
}

static int read_edge_meta(struct reader *r, struct edge *e)
{
    struct jgf__lex *l = &r->l;
    if (jgf__peek(l) == 'n')
        return jgf__skip(l);
    int rc = jgf__obj_open(l, "metadata");
    bool first = true;
    char *key, *subsys = NULL;
    while (rc == 0 && (rc = jgf__obj_key(l, &first, &key)) > 0) {
        if (strcmp(key, "subsystem") == 0)
            rc = read_sym(r, "metadata.subsystem", &subsys);
        else if (strcmp(key, "name") == 0 && jgf__peek(l) == '{')
            rc = read_edge_names(r, e);
        else
            rc = jgf__skip(l);
    }
    if (subsys) { /* an explicit subsystem wins over the "name" form */
        if (e->subsys && strcmp(e->subsys, subsys) != 0)
            e->relation = NULL;
        e->subsys = subsys;
    }
    return rc < 0 ? rc : 0;
}

static int read_edge_fields(struct reader *r, struct edge *e)
{
    struct jgf__lex *l = &r->l;
    jgf__peek(l);
    e->pos = jgf__pos(l, l->p);
    int rc = jgf__obj_open(l, NULL);
    bool first = true;
    char *key;
    while (rc == 0 && (rc = jgf__obj_key(l, &first, &key)) > 0) {
        jgf__peek(l);
        if (strcmp(key, "source") == 0) {
            e->src_pos = jgf__pos(l, l->p);
            rc = jgf__string(l, "source", &e->src, NULL);
        } else if (strcmp(key, "target") == 0) {
            e->dst_pos = jgf__pos(l, l->p);
            rc = jgf__string(l, "target", &e->dst, NULL);
        } else if (strcmp(key, "metadata") == 0) {
            rc = read_edge_meta(r, e);
        } else {
            rc = jgf__skip(l);
        }
    }
    if (rc < 0)
        return rc;
    if (!e->src)
        return err_pos(r, e->pos, ENG_EPARSE, ": missing key 'source'");
    if (!e->dst)
        return err_pos(r, e->pos, ENG_EPARSE, ": missing key 'target'");
    return 0;
}

/* "in" when the target's path is a proper prefix of the source's path. */
static rg_sym_t derive_relation(struct reader *r, rg_vid_t src, rg_vid_t dst, rg_sym_t s)
{
    char ps[RG_PATH_MAX], pd[RG_PATH_MAX];
    int ls = rg_vertex_path(r->g, src, s, ps, sizeof ps);
    int ld = rg_vertex_path(r->g, dst, s, pd, sizeof pd);
    if (ls > 0 && ld > 0 && ld < ls && ps[ld] == '/' && memcmp(ps, pd, (size_t)ld) == 0)
        return RG_SYM_IN;
    return RG_SYM_CONTAINS;
}

static int read_edge(struct reader *r)
{
    struct edge e = {0};
    int rc = read_edge_fields(r, &e);
    if (rc)
        return rc;
    rg_vid_t sv, dv;
    bool sfresh, dfresh;
    if (!ident_get(r, e.src, &sv, &sfresh))
        return err_pos(r, e.src_pos, ENG_EPARSE, ".source: unknown node id '%s'", e.src);
    if (!ident_get(r, e.dst, &dv, &dfresh))
        return err_pos(r, e.dst_pos, ENG_EPARSE, ".target: unknown node id '%s'", e.dst);
    if (!sfresh && !dfresh)
        return 0; /* both endpoints reused: Fluxion adds no edge */
    rg_sym_t subsys =
        e.subsys ? memo_sym(r, MEMO_EDGE, e.subsys, true) : RG_SYM_CONTAINMENT;
    rg_sym_t rel = e.relation ? sym(r, e.relation) : RG_SYM_NONE;
    if (subsys == RG_SYM_NONE || (e.relation && rel == RG_SYM_NONE))
        return eng_errorf(r->l.err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    if (rel == RG_SYM_NONE)
        rel = derive_relation(r, sv, dv, subsys);
    eng_error_t eerr;
    eng_error_clear(&eerr);
    if (rg_edge_add(r->g, sv, dv, subsys, rel, &eerr) == RG_EID_NONE)
        return err_pos(r, e.pos, eerr.code, ": %s (source '%s')", eerr.text, e.src);
    return 0;
}

static int read_edges(struct reader *r)
{
    struct jgf__lex *l = &r->l;
    int rc = jgf__arr_open(l, "graph.edges");
    bool first = true;
    r->l.ctx = "graph.edges";
    for (size_t i = 0; rc == 0 && (rc = jgf__arr_next(l, &first)) > 0; i++) {
        r->l.ctx_index = i;
        rc = read_edge(r);
    }
    r->l.ctx = NULL;
    return rc < 0 ? rc : 0;
}

/* ---- document -------------------------------------------------------------- */

/* "graph": nodes and edges in either order; edges seen first are skipped
 * (validated, not decoded) and read again once the nodes are known. */
static int read_graph(struct reader *r)
{
    struct jgf__lex *l = &r->l;
    jgf__peek(l);
    char *at = l->p;
    struct jgf__pos gpos = jgf__pos(l, at);
    int rc = jgf__obj_open(l, "graph");
    bool first = true, nodes = false, edges = false, pending = false;
    struct jgf__mark edges_at = {0};
    char *key;
    while (rc == 0 && (rc = jgf__obj_key(l, &first, &key)) > 0) {
        bool is_nodes = strcmp(key, "nodes") == 0, is_edges = strcmp(key, "edges") == 0;
        if ((is_nodes && nodes) || (is_edges && edges))
            return jgf__err_at(l, l->p, ENG_EPARSE, "graph", "duplicate key '%s'", key);
        if (is_nodes) {
            nodes = true;
            rc = read_nodes(r);
        } else if (is_edges && nodes) {
            edges = true;
            rc = read_edges(r);
        } else if (is_edges) {
            edges = pending = true;
            jgf__peek(l);
            edges_at = jgf__lex_mark(l);
            rc = jgf__skip(l);
        } else {
            rc = jgf__skip(l);
        }
    }
    if (rc < 0)
        return rc;
    if (!nodes || !edges)
        return eng_errorf(l->err, ENG_EPARSE, l->source, gpos.line, gpos.column,
                          "graph: missing key '%s'", nodes ? "edges" : "nodes");
    if (pending) {
        struct jgf__mark after = jgf__lex_mark(l);
        jgf__lex_reset(l, edges_at);
        if ((rc = read_edges(r)) < 0)
            return rc;
        jgf__lex_reset(l, after);
    }
    return 0;
}

static int read_document(struct reader *r)
{
    struct jgf__lex *l = &r->l;
    int rc = jgf__obj_open(l, "top level");
    bool first = true, graph = false;
    char *key;
    while (rc == 0 && (rc = jgf__obj_key(l, &first, &key)) > 0) {
        if (strcmp(key, "graph") == 0) {
            if (graph)
                return jgf__err_at(l, l->p, ENG_EPARSE, NULL, "duplicate key 'graph'");
            graph = true;
            rc = read_graph(r);
        } else {
            rc = jgf__skip(l);
        }
    }
    if (rc < 0)
        return rc;
    if (!graph)
        return eng_errorf(l->err, ENG_EPARSE, l->source, 1, 1, "missing key 'graph'");
    if (jgf__peek(l) != '\0' || l->p != l->end)
        return jgf__err_at(l, l->p, ENG_EPARSE, NULL, "trailing characters after json");
    return 0;
}

/* Every subsystem's "contains" edges must form a forest of bounded depth. */
static int check_trees(struct reader *r)
{
    rg_sym_t subs[64];
    size_t n = rg_graph_subsystems(r->g, subs, 64);
    for (size_t i = 0; i < n && i < 64; i++) {
        rg_vid_t where = RG_VID_NONE;
        int rc = rg_graph_check_tree(r->g, subs[i], &where);
        if (rc == 0)
            continue;
        if (where == RG_VID_NONE)
            return eng_errorf(r->l.err, rc, NULL, 0, 0, "out of memory");
        const struct vpos *p = &r->vpos[where];
        if (rc == ENG_ELIMIT)
            return eng_errorf(r->l.err, rc, r->l.source, p->pos.line, p->pos.column,
                              "graph.nodes[%u]: deeper than %d levels (subsystem %s)",
                              p->index, RG_DEPTH_MAX, rg_sym_str(r->g, subs[i]));
        return eng_errorf(
            r->l.err, rc, r->l.source, p->pos.line, p->pos.column,
            "graph.nodes[%u]: on a cycle of 'contains' edges (subsystem %s)", p->index,
            rg_sym_str(r->g, subs[i]));
    }
    return 0;
}

/* Parse the mutable buffer 'text' (NUL at text[len]). */
static rg_graph_t *parse_buffer(char *text, size_t len, const char *source,
                                const struct jgf_opts *opts, eng_error_t *err)
{
    eng_error_t local;
    err = err ? err : &local;
    struct reader r = {.max_vertices = RG_VERTEX_MAX};
    if (opts && opts->max_vertices)
        r.max_vertices = opts->max_vertices;
    r.keep_unit = opts && opts->keep_unit;
    jgf__lex_init(&r.l, text, len, source ? source : "<string>", err);
    r.g = rg_graph_create();
    int rc =
        r.g ? read_document(&r) : eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "no memory");
    if (rc == 0)
        rc = check_trees(&r);
    free(r.ids);
    free(r.direct);
    free(r.vpos);
    free(r.n.paths);
    free(r.n.props);
    if (rc) {
        rg_graph_destroy(r.g);
        return NULL;
    }
    rg_graph_compact(r.g);
    return r.g;
}

rg_graph_t *jgf_parse(const char *text, size_t len, const char *source,
                      const struct jgf_opts *opts, eng_error_t *err)
{
    eng_error_clear(err);
    char *copy = malloc(len + 1);
    if (!copy) {
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    rg_graph_t *g = parse_buffer(copy, len, source, opts, err);
    free(copy);
    return g;
}

rg_graph_t *jgf_load(const char *path, const struct jgf_opts *opts, eng_error_t *err)
{
    eng_error_clear(err);
    size_t len = 0;
    char *text = fio_read_all(path, JGF_FILE_MAX, &len, err);
    if (!text)
        return NULL;
    rg_graph_t *g =
        parse_buffer(text, len, strcmp(path, "-") ? path : "<stdin>", opts, err);
    free(text);
    return g;
}

rg_graph_t *jgf_from_json(const json_t *jgf, const char *source, eng_error_t *err)
{
    eng_error_clear(err);
    char *text = json_dumps(jgf, JSON_COMPACT);
    if (!text) {
        eng_errorf(err, ENG_EINVAL, source, 0, 0, "not a json object");
        return NULL;
    }
    rg_graph_t *g = parse_buffer(text, strlen(text), source, NULL, err);
    free(text);
    return g;
}

int jgf_attach(rg_graph_t *g, const char *text, size_t len, const char *source,
               size_t *added, eng_error_t *err)
{
    rg_graph_t *frag = jgf_parse(text, len, source, NULL, err);
    if (!frag)
        return err ? err->code : ENG_EPARSE;
    int rc = rg_graph_attach(g, frag, added, err);
    rg_graph_destroy(frag);
    return rc;
}
