/* graph_load.c: format names and detection -> the right reader.  The
 * readers share the graph builder (rg.h); this file only dispatches. */
#include "graph_load.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fio.h"
#include "graph_load_private.h"
#include "grug.h"
#include "hwloc_reader.h"
#include "jgf.h"
#include "rv1exec.h"

enum fmt { F_JGF, F_GRUG, F_HWLOC, F_RV1EXEC, F_AUTO, F_UNKNOWN };

static enum fmt fmt_of(const char *name)
{
    static const struct {
        const char *name;
        enum fmt f;
    } names[] = {{"jgf", F_JGF},         {"jgf_shorthand", F_JGF},
                 {"grug", F_GRUG},       {"hwloc", F_HWLOC},
                 {"rv1exec", F_RV1EXEC}, {"rv1exec_force", F_RV1EXEC},
                 {"auto", F_AUTO}};
    if (!name)
        return F_AUTO;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, name) == 0)
            return names[i].f;
    return F_UNKNOWN;
}

bool graph_load_format_known(const char *format)
{
    return fmt_of(format) != F_UNKNOWN;
}

/* First occurrence of 'needle' in the 'len' bytes at 'hay', or NULL. */
static const char *find(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

const char *graph_load_detect(const char *text, size_t len)
{
    if (!text)
        return NULL;
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        i = 3; /* UTF-8 byte-order mark */
    while (i < len && strchr(" \t\r\n", text[i]) && text[i])
        i++;
    if (i == len)
        return NULL;
    /* The head is enough: both keys sit near the top of real documents, and
     * scanning a whole multi-gigabyte JGF would cost a second read. */
    size_t head = len - i < ((size_t)1 << 20) ? len - i : (size_t)1 << 20;
    const char *t = text + i;
    if (*t == '{') {
        const char *ex = find(t, head, "\"execution\""), *gr = find(t, head, "\"graph\"");
        return ex && (!gr || ex < gr) ? "rv1exec" : "jgf";
    }
    if (*t == '<') {
        const char *gm = find(t, head, "<graphml"), *tp = find(t, head, "<topology");
        if (gm && (!tp || gm < tp))
            return "grug";
        if (tp)
            return "hwloc";
    }
    return NULL;
}

rg_graph_t *graph_load_parse(const char *text, size_t len, const char *format,
                             const char *source, const struct graph_load_opts *opts,
                             eng_error_t *err)
{
    eng_error_clear(err);
    enum fmt f = fmt_of(format);
    source = source ? source : "<string>";
    if (f == F_AUTO) {
        /* undetectable text is read as JGF, the native format, so that a
         * broken JSON file gets the JSON reader's positioned error */
        const char *d = graph_load_detect(text, len);
        f = d ? fmt_of(d) : F_JGF;
    }
    size_t maxv = opts ? opts->max_vertices : 0;
    switch (f) {
    case F_JGF: {
        struct jgf_opts jo = {.max_vertices = maxv, .keep_unit = opts && opts->keep_unit};
        return jgf_parse(text, len, source, &jo, err);
    }
    case F_GRUG: {
        struct grug_opts go = {.max_vertices = maxv};
        return grug_parse(text, len, source, &go, err);
    }
    case F_HWLOC: {
        struct hwr_opts ho = {.allowlist = opts ? opts->allowlist : NULL,
                              .max_vertices = maxv};
        return hwr_parse(text, len, source, &ho, err);
    }
    case F_RV1EXEC: {
        struct rv1x_opts ro = {.max_vertices = maxv};
        return rv1x_parse(text, len, source, &ro, err);
    }
    default:
        eng_errorf(err, ENG_ENOTSUP, NULL, 0, 0, "unknown graph format '%s'", format);
        return NULL;
    }
}

rg_graph_t *graph_load_file(const char *path, const char *format,
                            const struct graph_load_opts *opts, eng_error_t *err)
{
    eng_error_clear(err);
    size_t len = 0;
    char *text = fio_read_all(path, GRAPH_LOAD_FILE_MAX, &len, err);
    if (!text)
        return NULL;
    rg_graph_t *g = graph_load_parse(text, len, format,
                                     strcmp(path, "-") ? path : "<stdin>", opts, err);
    free(text);
    return g;
}

/* ---- helpers shared by the readers ----------------------------------------- */

rg_vid_t graph_load__child_add(rg_graph_t *g, rg_vid_t parent,
                               const struct graph_load__vspec *s, eng_error_t *err)
{
    char name[RG_SYM_LEN_MAX + 24], path[RG_PATH_MAX];
    if (s->name && *s->name)
        snprintf(name, sizeof name, "%s", s->name);
    else if (s->id != -1)
        snprintf(name, sizeof name, "%s%lld", s->basename, (long long)s->id);
    else
        snprintf(name, sizeof name, "%s", s->basename);
    int plen = 0;
    if (parent != RG_VID_NONE &&
        (plen = rg_vertex_path(g, parent, RG_SYM_CONTAINMENT, path, sizeof path)) < 0)
        plen = 0;
    if ((size_t)plen + 1 + strlen(name) >= sizeof path) {
        eng_errorf(err, ENG_ELIMIT, NULL, 0, 0, "path of %s longer than %d bytes", name,
                   RG_PATH_MAX - 1);
        return RG_VID_NONE;
    }
    snprintf(path + plen, sizeof path - (size_t)plen, "/%s", name);
    struct rg_vertex_init in;
    rg_vertex_init_default(&in);
    in.type = rg_sym_intern(g, s->type);
    in.basename = rg_sym_intern(g, s->basename);
    in.name = rg_sym_intern(g, name);
    in.id = s->id;
    in.size = s->size;
    in.rank = s->rank;
    in.uniq_id = (int64_t)rg_graph_vid_bound(g);
    if (in.type == RG_SYM_NONE || in.basename == RG_SYM_NONE || in.name == RG_SYM_NONE) {
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
        return RG_VID_NONE;
    }
    rg_vid_t v = rg_vertex_add(g, &in, err);
    if (v == RG_VID_NONE)
        return v;
    if (parent != RG_VID_NONE && rg_edge_add(g, parent, v, RG_SYM_CONTAINMENT,
                                             RG_SYM_CONTAINS, err) == RG_EID_NONE)
        return RG_VID_NONE;
    if (rg_vertex_path_set(g, v, RG_SYM_CONTAINMENT, path, err))
        return RG_VID_NONE;
    return v;
}

int graph_load__host_split(const char *host, char *base, size_t size, int64_t *id)
{
    size_t len = strlen(host), cut = len;
    while (cut > 0 && host[cut - 1] >= '0' && host[cut - 1] <= '9')
        cut--;
    if (cut >= size || len >= size)
        return ENG_ELIMIT;
    /* an all-digit name keeps itself as basename (Fluxion's quirk) */
    size_t blen = cut ? cut : len;
    memcpy(base, host, blen);
    base[blen] = '\0';
    *id = -1;
    if (cut == len)
        return 0;
    int64_t v = 0;
    for (size_t i = cut; i < len; i++) {
        if (v > (INT64_MAX - (host[i] - '0')) / 10)
            return ENG_ELIMIT;
        v = v * 10 + (host[i] - '0');
    }
    *id = v;
    return 0;
}
