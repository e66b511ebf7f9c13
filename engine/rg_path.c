/* rg_path.c: per-subsystem paths of resource graph vertices and the path
 * index.
 *
 * Paths are the largest strings of a graph (about 40 bytes for
 * "/cluster0/rack0/node12345/socket1/core31"), so a containment path that
 * equals "<parent's path>/<name>" is not stored: the vertex gets the
 * RG__VF_DERIVED bit and the path is rebuilt on demand by walking up the
 * parent chain (O(depth)).  Other paths (other subsystems, fragment roots,
 * paths that disagree with the edges) are kept as strings in one growable
 * buffer, referenced by offset, in a per-vertex list.
 *
 * The index is an open-addressing table of (vid, hash of subsystem + path):
 * 8 bytes per path and no key strings; a hit is confirmed by rebuilding the
 * candidate's path and comparing.  Several vertices may share a path (Fluxion
 * tells them apart by rank), so lookups scan the whole probe run and return
 * the lowest matching vid. */
#include <stdlib.h>
#include <string.h>

#include "rg_private.h"

static const struct rg__xpath *xpath_find(const rg_graph_t *g, rg_vid_t v,
                                          rg_sym_t subsys)
{
    for (uint32_t x = g->v[v].xpaths; x; x = g->xp[x].next)
        if (g->xp[x].subsys == subsys)
            return &g->xp[x];
    return NULL;
}

static bool is_derived(const rg_graph_t *g, rg_vid_t v)
{
    return v != RG_VID_NONE && (g->v[v].flags & RG__VF_DERIVED);
}

/* Write the containment path of derived vertex 'v'.  Returns the length,
 * ENG_ELIMIT when it does not fit in 'size'. */
static int build_derived(const rg_graph_t *g, rg_vid_t v, char *buf, size_t size)
{
    size_t total = 0;
    rg_vid_t u = v;
    for (; is_derived(g, u); u = g->v[u].parent)
        total += 1 + g->syms[g->v[u].name].len;
    const char *base = "";
    if (u != RG_VID_NONE)
        base = g->pstr + xpath_find(g, u, RG_SYM_CONTAINMENT)->off;
    size_t blen = strlen(base);
    if (total + blen + 1 > size) {
        if (size > 0)
            buf[0] = '\0';
        return ENG_ELIMIT;
    }
    size_t pos = total + blen;
    buf[pos] = '\0';
    for (u = v; is_derived(g, u); u = g->v[u].parent) {
        const struct rg__sym *n = &g->syms[g->v[u].name];
        pos -= n->len;
        memcpy(buf + pos, n->s, n->len);
        buf[--pos] = '/';
    }
    memcpy(buf, base, blen);
    return (int)(total + blen);
}

int rg_vertex_path(const rg_graph_t *g, rg_vid_t v, rg_sym_t subsystem, char *buf,
                   size_t size)
{
    if (v >= g->nv)
        return ENG_ENOENT;
    if (subsystem == RG_SYM_CONTAINMENT && is_derived(g, v))
        return build_derived(g, v, buf, size);
    const struct rg__xpath *x = xpath_find(g, v, subsystem);
    if (!x)
        return ENG_ENOENT;
    size_t len = strlen(g->pstr + x->off);
    if (len + 1 > size) {
        if (size > 0)
            buf[0] = '\0';
        return ENG_ELIMIT;
    }
    memcpy(buf, g->pstr + x->off, len + 1);
    return (int)len;
}

bool rg_vertex_has_path(const rg_graph_t *g, rg_vid_t v, rg_sym_t subsystem)
{
    if (v >= g->nv)
        return false;
    return (subsystem == RG_SYM_CONTAINMENT && is_derived(g, v)) ||
           xpath_find(g, v, subsystem) != NULL;
}

size_t rg_graph_subsystem_vertex_count(const rg_graph_t *g, rg_sym_t subsystem)
{
    size_t n = 0;
    for (rg_vid_t v = 0; v < g->nv; v++)
        n += rg_vertex_is_live(g, v) && rg_vertex_has_path(g, v, subsystem);
    return n;
}

size_t rg_vertex_path_subsystems(const rg_graph_t *g, rg_vid_t v, rg_sym_t *out,
                                 size_t max)
{
    if (v >= g->nv)
        return 0;
    size_t n = 0;
    if (is_derived(g, v) && n < max)
        out[n] = RG_SYM_CONTAINMENT;
    n += is_derived(g, v);
    for (uint32_t x = g->v[v].xpaths; x; x = g->xp[x].next, n++)
        if (n < max)
            out[n] = g->xp[x].subsys;
    /* in the order the graph first named each subsystem (containment
     * first), as Fluxion's interned subsystem ids order its paths map */
    size_t k = n < max ? n : max;
    for (size_t i = 1; i < k; i++) /* insertion sort: a handful of entries */
        for (size_t j = i;
             j > 0 && rg__subsys_find(g, out[j - 1]) > rg__subsys_find(g, out[j]); j--) {
            rg_sym_t t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return n;
}

/* ---- index ----------------------------------------------------------------- */

static uint32_t path_hash(rg_sym_t subsys, const char *path)
{
    return rg__hash(path, strlen(path)) ^ (subsys * 0x9E3779B9u);
}

static int ptab_rehash(rg_graph_t *g, size_t ncap)
{
    struct rg__pathent *t = malloc(ncap * sizeof *t);
    if (!t)
        return ENG_ENOMEM;
    memset(t, 0xff, ncap * sizeof *t);
    for (size_t i = 0; i < g->cap_ptab; i++) {
        if (g->ptab[i].vid == RG_VID_NONE)
            continue;
        size_t j = g->ptab[i].hash & (ncap - 1);
        while (t[j].vid != RG_VID_NONE)
            j = (j + 1) & (ncap - 1);
        t[j] = g->ptab[i];
    }
    free(g->ptab);
    g->ptab = t;
    g->cap_ptab = ncap;
    return 0;
}

static int ptab_reserve(rg_graph_t *g, size_t more)
{
    size_t ncap = g->cap_ptab ? g->cap_ptab : 64;
    while ((g->npaths + more) * 4 > ncap * 3)
        ncap *= 2;
    return ncap == g->cap_ptab ? 0 : ptab_rehash(g, ncap);
}

int rg__ptab_add(rg_graph_t *g, rg_vid_t v, rg_sym_t subsys, const char *path)
{
    if (ptab_reserve(g, 1))
        return ENG_ENOMEM;
    uint32_t h = path_hash(subsys, path);
    size_t j = h & (g->cap_ptab - 1);
    while (g->ptab[j].vid != RG_VID_NONE)
        j = (j + 1) & (g->cap_ptab - 1);
    g->ptab[j] = (struct rg__pathent){.vid = v, .hash = h};
    g->npaths++;
    return 0;
}

static rg_vid_t find_path(const rg_graph_t *g, rg_sym_t subsys, const char *path,
                          bool by_rank, int64_t rank)
{
    if (!g->cap_ptab || !path)
        return RG_VID_NONE;
    uint32_t h = path_hash(subsys, path);
    rg_vid_t best = RG_VID_NONE;
    char buf[RG_PATH_MAX];
    for (size_t j = h & (g->cap_ptab - 1); g->ptab[j].vid != RG_VID_NONE;
         j = (j + 1) & (g->cap_ptab - 1)) {
        rg_vid_t v = g->ptab[j].vid;
        if (g->ptab[j].hash != h || v >= best || !rg_vertex_is_live(g, v) ||
            (by_rank && g->v[v].rank != rank))
            continue;
        if (rg_vertex_path(g, v, subsys, buf, sizeof buf) >= 0 && strcmp(buf, path) == 0)
            best = v;
    }
    return best;
}

rg_vid_t rg_vertex_find_path(const rg_graph_t *g, rg_sym_t subsystem, const char *path)
{
    return find_path(g, subsystem, path, false, 0);
}

rg_vid_t rg_vertex_find_path_rank(const rg_graph_t *g, rg_sym_t subsystem,
                                  const char *path, int64_t rank)
{
    return find_path(g, subsystem, path, true, rank);
}

/* ---- setting --------------------------------------------------------------- */

/* True when 'path' is "<path of v's parent>/<name of v>" (or "/<name>" for a
 * vertex without parent), i.e. it need not be stored. */
static bool derivable(const rg_graph_t *g, rg_vid_t v, const char *path, size_t len)
{
    const struct rg__sym *n = &g->syms[g->v[v].name];
    if (len < n->len + 1 || path[len - n->len - 1] != '/' ||
        memcmp(path + len - n->len, n->s, n->len) != 0)
        return false;
    size_t plen = len - n->len - 1;
    rg_vid_t p = g->v[v].parent;
    if (p == RG_VID_NONE)
        return plen == 0;
    if (!rg_vertex_has_path(g, p, RG_SYM_CONTAINMENT))
        return false;
    char buf[RG_PATH_MAX];
    int r = rg_vertex_path(g, p, RG_SYM_CONTAINMENT, buf, sizeof buf);
    return r >= 0 && (size_t)r == plen && memcmp(buf, path, plen) == 0;
}

static int xpath_add(rg_graph_t *g, rg_vid_t v, rg_sym_t subsys, const char *path,
                     size_t len)
{
    if (g->plen + len + 1 > UINT32_MAX)
        return ENG_ELIMIT;
    if (rg__grow(&g->xp, &g->cap_xp, g->nxp + 1, sizeof *g->xp) ||
        rg__grow(&g->pstr, &g->cap_pstr, g->plen + len + 1, 1))
        return ENG_ENOMEM;
    memcpy(g->pstr + g->plen, path, len + 1);
    uint32_t *link = &g->v[v].xpaths;
    while (*link)
        link = &g->xp[*link].next;
    *link = (uint32_t)g->nxp;
    g->xp[g->nxp++] =
        (struct rg__xpath){.subsys = subsys, .off = (uint32_t)g->plen, .next = 0};
    g->plen += len + 1;
    return 0;
}

int rg_vertex_path_set(rg_graph_t *g, rg_vid_t v, rg_sym_t subsystem, const char *path,
                       eng_error_t *err)
{
    if (!rg_vertex_is_live(g, v) || subsystem >= g->nsyms || !path || path[0] != '/')
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "path must start with '/'");
    size_t len = strlen(path);
    if (len >= RG_PATH_MAX)
        return eng_errorf(err, ENG_ELIMIT, NULL, 0, 0, "path longer than %d bytes",
                          RG_PATH_MAX - 1);
    if (rg_vertex_has_path(g, v, subsystem))
        return eng_errorf(err, ENG_EEXIST, NULL, 0, 0, "vertex already has a %s path",
                          g->syms[subsystem].s);
    int slot = rg__subsys_slot(g, subsystem);
    if (slot < 0)
        return eng_errorf(err, ENG_ELIMIT, NULL, 0, 0, "more than %d subsystems",
                          RG__MAX_SUBSYS);
    bool root = strchr(path + 1, '/') == NULL;
    if (root && rg_graph_root(g, subsystem) != RG_VID_NONE)
        return eng_errorf(err, ENG_EEXIST, NULL, 0, 0,
                          "duplicate root of subsystem %s: %s", g->syms[subsystem].s,
                          path);
    if (ptab_reserve(g, 1))
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    if (subsystem == RG_SYM_CONTAINMENT && derivable(g, v, path, len)) {
        g->v[v].flags |= RG__VF_DERIVED;
    } else {
        int rc = xpath_add(g, v, subsystem, path, len);
        if (rc)
            return eng_errorf(err, rc, NULL, 0, 0, "%s", eng_strerror(rc));
    }
    if (root)
        g->roots[slot] = v;
    return rg__ptab_add(g, v, subsystem, path); /* cannot fail: reserved */
}

/* ---- re-derivation --------------------------------------------------------- */

/* Drop the stored containment path of every vertex whose path is derivable,
 * then repack the path pool.  Readers set paths before the edges that make
 * them derivable are known; this gives the memory back in one O(V) pass.
 * Allocation failure only means the pool is not repacked. */
void rg__paths_rederive(rg_graph_t *g)
{
    size_t dropped = 0;
    for (rg_vid_t v = 0; v < g->nv; v++) {
        uint32_t *link = &g->v[v].xpaths;
        while (*link && g->xp[*link].subsys != RG_SYM_CONTAINMENT)
            link = &g->xp[*link].next;
        if (!*link || is_derived(g, v))
            continue;
        const char *path = g->pstr + g->xp[*link].off;
        if (!derivable(g, v, path, strlen(path)))
            continue;
        g->v[v].flags |= RG__VF_DERIVED;
        *link = g->xp[*link].next;
        dropped++;
    }
    if (dropped == 0)
        return;
    size_t nxp = 1, plen = 0;
    for (rg_vid_t v = 0; v < g->nv; v++)
        for (uint32_t x = g->v[v].xpaths; x; x = g->xp[x].next, nxp++)
            plen += strlen(g->pstr + g->xp[x].off) + 1;
    struct rg__xpath *xp = malloc(nxp * sizeof *xp);
    char *pstr = malloc(plen ? plen : 1);
    if (!xp || !pstr) {
        free(xp);
        free(pstr);
        return;
    }
    size_t n = 1, off = 0;
    for (rg_vid_t v = 0; v < g->nv; v++) {
        uint32_t *link = &g->v[v].xpaths;
        for (uint32_t x = *link; x; x = g->xp[x].next) {
            size_t len = strlen(g->pstr + g->xp[x].off) + 1;
            memcpy(pstr + off, g->pstr + g->xp[x].off, len);
            xp[n] = (struct rg__xpath){.subsys = g->xp[x].subsys, .off = (uint32_t)off};
            *link = (uint32_t)n;
            link = &xp[n].next;
            off += len;
            n++;
        }
        *link = 0;
    }
    free(g->xp);
    free(g->pstr);
    g->xp = xp;
    g->nxp = g->cap_xp = nxp;
    g->pstr = pstr;
    g->plen = g->cap_pstr = plen;
}
