/* hwloc_reader.c: hwloc topology -> resource graph (see hwloc_reader.h).
 *
 * libxml2 looks at the text first: hwloc's own messages carry no position
 * and some go to stderr, so a malformed file or one of the wrong kind is
 * reported here, with a line and column, before hwloc sees it. */
#include "hwloc_reader.h"

#include <hwloc.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "graph_load_private.h"

struct hwr {
    rg_graph_t *g;
    hwloc_topology_t topo;
    const char *source;
    eng_error_t *err;
    char *allow; /* ",a,b,c," or NULL */
    size_t max_vertices;
    int64_t node_rank;
};

static int fail(struct hwr *x, int line, int col, int code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int fail(struct hwr *x, int line, int col, int code, const char *fmt, ...)
{
    char text[ENG_ERROR_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return eng_errorf(x->err, code, x->source, line, col, "%s", text);
}

static bool allowed(const struct hwr *x, const char *type)
{
    if (!x->allow)
        return true;
    char key[80];
    snprintf(key, sizeof key, ",%s,", type);
    return strstr(x->allow, key) != NULL;
}

/* ---- the wrong-kind and well-formedness check ------------------------------ */

static int precheck(struct hwr *x, const char *text, size_t len)
{
    if (len > INT_MAX)
        return fail(x, 0, 0, ENG_ELIMIT, "file larger than 2 GiB");
    xmlParserCtxtPtr ctx = xmlNewParserCtxt();
    if (!ctx)
        return fail(x, 0, 0, ENG_ENOMEM, "out of memory");
    int flags =
        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
    xmlDocPtr doc = xmlCtxtReadMemory(ctx, text, (int)len, x->source, NULL, flags);
    int rc = 0;
    if (!doc) {
        const xmlError *e = xmlCtxtGetLastError(ctx);
        char msg[200] = "malformed XML";
        if (e && e->message)
            snprintf(msg, sizeof msg, "%s", e->message);
        size_t n = strlen(msg);
        while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
            msg[--n] = '\0';
        rc = fail(x, e ? e->line : 0, e && e->int2 > 0 ? e->int2 : 0, ENG_EPARSE,
                  "malformed XML: %s", msg);
    } else {
        const xmlNode *root = xmlDocGetRootElement(doc);
        if (!root || strcmp((const char *)root->name, "topology") != 0)
            rc = fail(x, root ? (int)xmlGetLineNo(root) : 1, 0, ENG_EPARSE,
                      "wrong kind of file: root element '%s', not an hwloc <topology>",
                      root ? (const char *)root->name : "");
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctx);
    return rc;
}

/* ---- the walk -------------------------------------------------------------- */

struct kept {
    const char *type;
    char basename[256];
    const char *name; /* NULL: basename + id */
    int64_t id, size;
    const char *dev_id; /* storage: LinuxDeviceID */
};

static void set_simple(struct kept *k, const char *type)
{
    k->type = type;
    snprintf(k->basename, sizeof k->basename, "%s", type);
}

/* GPU and block-storage OS devices; 1 when kept, 0 when not, or an error. */
static int os_device(struct hwr *x, hwloc_obj_t obj, struct kept *k)
{
    const char *nm = obj->name ? obj->name : "";
    hwloc_obj_osdev_type_t t = obj->attr->osdev.type;
    if (t == HWLOC_OBJ_OSDEV_COPROC ||
        (t == HWLOC_OBJ_OSDEV_GPU && strncmp(nm, "rsmi", 4) == 0)) {
        if (!allowed(x, "gpu"))
            return 0;
        if (strncmp(nm, "cuda", 4) == 0 || strncmp(nm, "rsmi", 4) == 0)
            k->id = strtol(nm + 4, NULL, 10);
        else if (strncmp(nm, "opencl", 6) == 0 && strchr(nm + 6, 'd'))
            k->id = strtol(strchr(nm + 6, 'd') + 1, NULL, 10);
        set_simple(k, "gpu");
        return 1;
    }
    if (t != HWLOC_OBJ_OSDEV_BLOCK || !allowed(x, "storage"))
        return 0;
    const char *size = hwloc_obj_get_info_by_name(obj, "Size");
    if (!size)
        return fail(x, 0, 0, ENG_EPARSE, "block device %s has no Size", nm);
    char *end;
    long long kb = strtoll(size, &end, 10);
    if (kb <= 0 || kb == LLONG_MAX)
        return fail(x, 0, 0, ENG_EPARSE, "block device %s: bad Size '%s'", nm, size);
    k->size = kb / 1000000;
    if (k->size < 1)
        return fail(x, 0, 0, ENG_EPARSE,
                    "block device %s: Size %s kB is under 1 GB, which Fluxion cannot "
                    "schedule",
                    nm, size);
    k->dev_id = hwloc_obj_get_info_by_name(obj, "LinuxDeviceID");
    k->dev_id = k->dev_id ? k->dev_id : "-1";
    set_simple(k, "storage");
    return 1;
}

static int cache(struct hwr *x, hwloc_obj_t obj, struct kept *k, int level)
{
    char name[16];
    snprintf(name, sizeof name, "L%dcache", level);
    if (!allowed(x, name))
        return 0;
    k->type = "cache";
    snprintf(k->basename, sizeof k->basename, "%s", name);
    k->size = (int64_t)(obj->attr->cache.size / 1024);
    return 1;
}

/* What 'obj' becomes: 1 (filled in 'k'), 0 (skipped), or an error. */
static int classify(struct hwr *x, hwloc_obj_t obj, struct kept *k)
{
    static const struct {
        hwloc_obj_type_t t;
        const char *name;
    } simple[] = {{HWLOC_OBJ_GROUP, "group"},
                  {HWLOC_OBJ_NUMANODE, "numanode"},
                  {HWLOC_OBJ_PACKAGE, "socket"},
                  {HWLOC_OBJ_CORE, "core"},
                  {HWLOC_OBJ_PU, "pu"}};
    for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
        if (obj->type == simple[i].t) {
            if (!allowed(x, simple[i].name))
                return 0;
            set_simple(k, simple[i].name);
            return 1;
        }
    switch (obj->type) {
    case HWLOC_OBJ_MACHINE: {
        const char *host = hwloc_obj_get_info_by_name(obj, "HostName");
        if (!host || !allowed(x, "node"))
            return 0;
        k->type = "node";
        k->name = host;
        if (graph_load__host_split(host, k->basename, sizeof k->basename, &k->id))
            return fail(x, 0, 0, ENG_EPARSE, "bad host name '%s'", host);
        return 1;
    }
    case HWLOC_OBJ_L1CACHE:
        return cache(x, obj, k, 1);
    case HWLOC_OBJ_L2CACHE:
        return cache(x, obj, k, 2);
    case HWLOC_OBJ_L3CACHE:
        return cache(x, obj, k, 3);
    case HWLOC_OBJ_OS_DEVICE:
        return obj->attr ? os_device(x, obj, k) : 0;
    default:
        return 0;
    }
}

static int add_kept(struct hwr *x, const struct kept *k, rg_vid_t parent, rg_vid_t *out)
{
    if (rg_graph_vid_bound(x->g) >= x->max_vertices)
        return fail(x, 0, 0, ENG_ELIMIT, "more than %zu vertices", x->max_vertices);
    int64_t rank = strcmp(k->type, "node") == 0 ? ++x->node_rank : -1;
    struct graph_load__vspec vs = {k->type, k->basename, k->name, k->id, k->size, rank};
    eng_error_t verr;
    eng_error_clear(&verr);
    rg_vid_t v = graph_load__child_add(x->g, parent, &vs, &verr);
    if (v == RG_VID_NONE)
        return fail(x, 0, 0, verr.code, "%s", verr.text);
    if (k->dev_id && rg_vertex_prop_set(x->g, v, "LinuxDeviceID", k->dev_id))
        return fail(x, 0, 0, ENG_ENOMEM, "out of memory");
    *out = v;
    return 0;
}

static int walk(struct hwr *x, hwloc_obj_t obj, rg_vid_t parent, int depth)
{
    if (depth > RG_DEPTH_MAX)
        return fail(x, 0, 0, ENG_ELIMIT, "topology deeper than %d levels", RG_DEPTH_MAX);
    struct kept k = {.id = (int64_t)obj->logical_index, .size = 1};
    int rc = classify(x, obj, &k);
    if (rc < 0)
        return rc;
    rg_vid_t here = parent;
    if (rc == 1 && (rc = add_kept(x, &k, parent, &here)))
        return rc;
    for (hwloc_obj_t c = hwloc_get_next_child(x->topo, obj, NULL); c;
         c = hwloc_get_next_child(x->topo, obj, c))
        if ((rc = walk(x, c, here, depth + 1)))
            return rc;
    return 0;
}

static int load_topology(struct hwr *x, const char *text, size_t len)
{
    if (hwloc_topology_init(&x->topo) != 0) {
        x->topo = NULL;
        return fail(x, 0, 0, ENG_ENOMEM, "cannot initialise hwloc");
    }
    if (hwloc_topology_set_io_types_filter(x->topo, HWLOC_TYPE_FILTER_KEEP_IMPORTANT) ||
        hwloc_topology_set_cache_types_filter(x->topo,
                                              HWLOC_TYPE_FILTER_KEEP_STRUCTURE) ||
        hwloc_topology_set_icache_types_filter(x->topo, HWLOC_TYPE_FILTER_KEEP_STRUCTURE))
        return fail(x, 0, 0, ENG_EINVAL, "cannot set hwloc filters");
    if (hwloc_topology_set_xmlbuffer(x->topo, text, (int)len) != 0)
        return fail(x, 0, 0, ENG_EPARSE, "hwloc cannot read this XML");
    if (hwloc_topology_load(x->topo) != 0)
        return fail(x, 0, 0, ENG_EPARSE, "hwloc cannot load this topology");
    return 0;
}

static int set_allowlist(struct hwr *x, const char *list)
{
    if (!list || !*list)
        return 0;
    size_t n = strlen(list);
    if (!(x->allow = malloc(n + 3)))
        return fail(x, 0, 0, ENG_ENOMEM, "out of memory");
    snprintf(x->allow, n + 3, ",%s,", list);
    return 0;
}

rg_graph_t *hwr_parse(const char *text, size_t len, const char *source,
                      const struct hwr_opts *opts, eng_error_t *err)
{
    eng_error_t local;
    err = err ? err : &local;
    eng_error_clear(err);
    struct hwr x = {.source = source ? source : "<string>", .err = err, .node_rank = -1};
    x.max_vertices = opts && opts->max_vertices ? opts->max_vertices : HWR_VERTEX_MAX;
    if (!text) {
        eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no text");
        return NULL;
    }
    int rc = set_allowlist(&x, opts ? opts->allowlist : NULL);
    if (rc == 0)
        rc = precheck(&x, text, len);
    if (rc == 0)
        rc = load_topology(&x, text, len);
    if (rc == 0 && !(x.g = rg_graph_create()))
        rc = fail(&x, 0, 0, ENG_ENOMEM, "out of memory");
    if (rc == 0) {
        struct graph_load__vspec vs = {"cluster", "cluster", NULL, 0, 1, -1};
        eng_error_t verr;
        eng_error_clear(&verr);
        rg_vid_t root = graph_load__child_add(x.g, RG_VID_NONE, &vs, &verr);
        rc = root == RG_VID_NONE ? fail(&x, 0, 0, verr.code, "%s", verr.text)
                                 : walk(&x, hwloc_get_root_obj(x.topo), root, 0);
    }
    if (x.topo)
        hwloc_topology_destroy(x.topo);
    free(x.allow);
    if (rc) {
        rg_graph_destroy(x.g);
        return NULL;
    }
    rg_graph_compact(x.g);
    return x.g;
}
