/* jgf_write.c: resource graph -> JGF text.
 *
 * One node or edge per line: the file stays greppable, errors in it get
 * useful line numbers, and it is about half the size of an indented dump.
 * Output goes through a 64 KiB buffer with hand-formatted integers: stdio's
 * printf family was the bottleneck when writing the 1.65 M-vertex
 * benchmark graph. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fio.h"
#include "jgf.h"

struct out {
    FILE *fp;
    size_t n;
    bool failed;
    char buf[64 * 1024];
};

static void flush(struct out *o)
{
    if (o->n && fwrite(o->buf, 1, o->n, o->fp) != o->n)
        o->failed = true;
    o->n = 0;
}

static void put(struct out *o, const char *s, size_t len)
{
    if (o->n + len > sizeof o->buf) {
        flush(o);
        if (len > sizeof o->buf) {
            if (fwrite(s, 1, len, o->fp) != len)
                o->failed = true;
            return;
        }
    }
    memcpy(o->buf + o->n, s, len);
    o->n += len;
}

static void puts_(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

static void put_int(struct out *o, int64_t v)
{
    char tmp[24], *p = tmp + sizeof tmp;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    put(o, p, (size_t)(tmp + sizeof tmp - p));
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void put_str(struct out *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    put(o, "\"", 1);
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(o, run, (size_t)(s - run));
        char esc[6] = {'\\', (char)c, 0, 0, 0, 0};
        size_t n = 2;
        if (c < 0x20) {
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        }
        put(o, esc, n);
        run = s + 1;
    }
    put(o, run, (size_t)(s - run));
    put(o, "\"", 1);
}

static void put_key(struct out *o, const char *key)
{
    put_str(o, key);
    put(o, ": ", 2);
}

static void put_props(struct out *o, const rg_graph_t *g, rg_vid_t v)
{
    rg_prop_it_t it = rg_prop_first(g, v);
    if (it == RG_PROP_END)
        return;
    puts_(o, ", \"properties\": {");
    for (bool first = true; it != RG_PROP_END; it = rg_prop_next(g, it), first = false) {
        if (!first)
            put(o, ", ", 2);
        put_key(o, rg_sym_str(g, rg_prop_key(g, it)));
        put_str(o, rg_sym_str(g, rg_prop_value(g, it)));
    }
    put(o, "}", 1);
}

static void put_paths(struct out *o, const rg_graph_t *g, rg_vid_t v)
{
    rg_sym_t subs[64];
    char path[RG_PATH_MAX];
    size_t n = rg_vertex_path_subsystems(g, v, subs, 64);
    puts_(o, ", \"paths\": {");
    for (size_t i = 0; i < n && i < 64; i++) {
        if (i)
            put(o, ", ", 2);
        put_key(o, rg_sym_str(g, subs[i]));
        rg_vertex_path(g, v, subs[i], path, sizeof path);
        put_str(o, path);
    }
    put(o, "}", 1);
}

static void put_node(struct out *o, const rg_graph_t *g, rg_vid_t v)
{
    const struct rg_vertex *x = rg_vertex_get(g, v);
    puts_(o, "{\"id\": \"");
    put_int(o, x->uniq_id);
    puts_(o, "\", \"metadata\": {\"type\": ");
    put_str(o, rg_sym_str(g, x->type));
    puts_(o, ", \"basename\": ");
    put_str(o, rg_sym_str(g, x->basename));
    puts_(o, ", \"name\": ");
    put_str(o, rg_sym_str(g, x->name));
    puts_(o, ", \"id\": ");
    put_int(o, x->id);
    puts_(o, ", \"uniq_id\": ");
    put_int(o, x->uniq_id);
    puts_(o, ", \"rank\": ");
    put_int(o, x->rank);
    puts_(o, (x->flags & RG_VF_EXCLUSIVE) ? ", \"exclusive\": true"
                                          : ", \"exclusive\": false");
    puts_(o, ", \"unit\": ");
    put_str(o, rg_sym_str(g, x->unit));
    puts_(o, ", \"size\": ");
    put_int(o, x->size);
    if (x->flags & RG_VF_DOWN)
        puts_(o, ", \"status\": 1");
    put_props(o, g, v);
    put_paths(o, g, v);
    puts_(o, "}}");
}

/* The relation the reader derives when none is given (see jgf.h). */
static rg_sym_t default_relation(const rg_graph_t *g, const struct rg_edge *e)
{
    char ps[RG_PATH_MAX], pd[RG_PATH_MAX];
    int ls = rg_vertex_path(g, e->src, e->subsystem, ps, sizeof ps);
    int ld = rg_vertex_path(g, e->dst, e->subsystem, pd, sizeof pd);
    if (ls > 0 && ld > 0 && ld < ls && ps[ld] == '/' && memcmp(ps, pd, (size_t)ld) == 0)
        return RG_SYM_IN;
    return RG_SYM_CONTAINS;
}

static void put_edge(struct out *o, const rg_graph_t *g, const struct rg_edge *e)
{
    puts_(o, "{\"source\": \"");
    put_int(o, rg_vertex_get(g, e->src)->uniq_id);
    puts_(o, "\", \"target\": \"");
    put_int(o, rg_vertex_get(g, e->dst)->uniq_id);
    puts_(o, "\", \"metadata\": {\"subsystem\": ");
    put_str(o, rg_sym_str(g, e->subsystem));
    if (e->relation != default_relation(g, e)) {
        puts_(o, ", \"name\": {");
        put_key(o, rg_sym_str(g, e->subsystem));
        put_str(o, rg_sym_str(g, e->relation));
        put(o, "}", 1);
    }
    puts_(o, "}}");
}

int jgf_write(const rg_graph_t *g, FILE *fp, eng_error_t *err)
{
    struct out *o = malloc(sizeof *o);
    if (!o)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    o->fp = fp;
    o->n = 0;
    o->failed = false;
    puts_(o, "{\"graph\": {\"nodes\": [");
    bool first = true;
    for (rg_vid_t v = 0; v < rg_graph_vid_bound(g); v++) {
        if (!rg_vertex_is_live(g, v))
            continue;
        puts_(o, first ? "\n" : ",\n");
        first = false;
        put_node(o, g, v);
    }
    puts_(o, "\n], \"edges\": [");
    first = true;
    for (rg_eid_t e = 0; e < rg_graph_eid_bound(g); e++) {
        const struct rg_edge *x = rg_edge_get(g, e);
        if (!rg_vertex_is_live(g, x->src) || !rg_vertex_is_live(g, x->dst))
            continue;
        puts_(o, first ? "\n" : ",\n");
        first = false;
        put_edge(o, g, x);
    }
    puts_(o, "\n]}}\n");
    flush(o);
    bool failed = o->failed;
    free(o);
    if (failed)
        return eng_errorf(err, ENG_EIO, NULL, 0, 0, "write error");
    return 0;
}

int jgf_dump(const rg_graph_t *g, const char *path, eng_error_t *err)
{
    fio_atomic_t *a = fio_atomic_open(path, err);
    if (!a)
        return err ? err->code : ENG_EIO;
    int rc = jgf_write(g, fio_atomic_file(a), err);
    if (rc) {
        fio_atomic_abort(a);
        return rc;
    }
    return fio_atomic_commit(a, err);
}
