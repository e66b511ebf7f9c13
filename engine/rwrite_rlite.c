/* rwrite_rlite.c: the R_lite part of RFC 20 R, as Fluxion's rlite writer
 * builds it.
 *
 * Fluxion reduces core and gpu ids as the post-order traversal emits them,
 * and when a node (or storage_node) is emitted, turns the ids reduced so far
 * into that node's "children" signature {"core": "0-3", "gpu": "0"} and
 * groups nodes by signature text.  R_lite then lists one entry per distinct
 * signature, in the byte order of the signature text (Fluxion keeps them in a
 * std::map<std::string, ...>), with the node ranks as an idset.  Nodes that
 * arrive with no reduced ids are not recorded at all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostlist.h"
#include "idset.h"
#include "rwrite_private.h"
#include "sbuf.h"

void rwrite__rlite_init(struct rlite *r)
{
    memset(r, 0, sizeof *r);
}

/* No groups left; the group array is kept. */
static void map_empty(struct rl_map *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->g[i].h);
        free(m->g[i].key);
    }
    m->n = 0;
}

static void gather_empty(struct rlite *r)
{
    map_empty(&r->gather);
    r->last_ok = false;
}

static void map_clear(struct rl_map *m)
{
    map_empty(m);
    free(m->g);
    memset(m, 0, sizeof *m);
}

void rwrite__rlite_clear(struct rlite *r)
{
    free(r->core.id);
    free(r->gpu.id);
    free(r->sig);
    free(r->names);
    free(r->ranks);
    free(r->rp);
    free(r->last_core.id);
    free(r->last_gpu.id);
    map_clear(&r->gather);
    map_clear(&r->props);
    rwrite__rlite_init(r);
}

void rwrite__rlite_reset(struct rlite *r)
{
    r->core.n = r->gpu.n = 0;
    gather_empty(r);
    map_empty(&r->props);
    r->nameslen = 0;
}

/* '*p' with room for 'n' items of 'size' bytes (grown by doubling, kept
 * between calls), or NULL. */
static void *room(void *p, size_t *cap, size_t n, size_t size)
{
    if (n <= *cap && p)
        return p;
    size_t c = *cap ? *cap : 16;
    while (c < n)
        c *= 2;
    void *q = realloc(p, c * size);
    if (q)
        *cap = c;
    return q;
}

bool rwrite__rlite_is_empty(const struct rlite *r)
{
    return r->gather.n == 0;
}

static int ids_push(struct rl_ids *ids, int64_t id)
{
    int64_t *p = room(ids->id, &ids->cap, ids->n + 1, sizeof *p);
    if (!p)
        return ENG_ENOMEM;
    ids->id = p;
    ids->id[ids->n++] = id;
    return 0;
}

/* Group of 'key' in 'm', created (in key order) when absent; NULL on ENOMEM. */
static struct rl_group *map_group(struct rl_map *m, const char *key)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->g[mid].key, key);
        if (c == 0)
            return &m->g[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    struct rl_group *g = room(m->g, &m->cap, m->n + 1, sizeof *g);
    if (!g)
        return NULL;
    m->g = g;
    char *k = strdup(key);
    if (!k)
        return NULL;
    memmove(&m->g[lo + 1], &m->g[lo], (m->n - lo) * sizeof *m->g);
    m->g[lo] = (struct rl_group){k, NULL, 0, 0, {0, 0}};
    m->n++;
    return &m->g[lo];
}

/* Add (rank, host) to 'g'; the name, if any, is copied into r->names. */
static int group_push(struct rlite *r, struct rl_group *g, int64_t rank, const char *host)
{
    struct rl_host *h = room(g->h, &g->cap, g->n + 1, sizeof *h);
    if (!h)
        return ENG_ENOMEM;
    g->h = h;
    size_t at = RL_NO_HOST;
    if (host) {
        size_t len = strlen(host) + 1;
        char *n = room(r->names, &r->namescap, r->nameslen + len, 1);
        if (!n)
            return ENG_ENOMEM;
        r->names = n;
        at = r->nameslen;
        memcpy(r->names + at, host, len);
        r->nameslen += len;
    }
    g->h[g->n++] = (struct rl_host){rank, at};
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Fluxion's compress_ids(): sorted ids as a ranged idset ("0-3,7", as
 * idset_encode() with IDSET_FLAG_RANGE writes it, duplicates once) appended
 * to 'b'; negative ids are EINVAL.  '*count' (may be NULL) gets the number of
 * distinct ids.  0, or an error with 'err' set. */
static int compress_into(struct sbuf *b, const int64_t *ids, size_t n, int64_t *count,
                         eng_error_t *err)
{
    int64_t distinct = 0;
    sbuf_add(b, "", 0);
    for (size_t i = 0; i < n;) {
        if (ids[i] < 0 || ids[i] >= (int64_t)IDSET_MAX_ID)
            return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid id %lld in R_lite",
                              (long long)ids[i]);
        size_t j = i; /* the run ids[i] .. ids[j], duplicates included */
        while (j + 1 < n && (ids[j + 1] == ids[j] || ids[j + 1] == ids[j] + 1) &&
               ids[j + 1] < (int64_t)IDSET_MAX_ID)
            j++;
        if (i > 0)
            sbuf_add(b, ",", 1);
        sbuf_uint(b, (unsigned long long)ids[i]);
        if (ids[j] > ids[i]) {
            sbuf_add(b, "-", 1);
            sbuf_uint(b, (unsigned long long)ids[j]);
        }
        distinct += ids[j] - ids[i] + 1;
        i = j + 1;
    }
    if (count)
        *count = distinct;
    if (!b->ok)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    return 0;
}

static bool ascending(const int64_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (a[i] < a[i - 1])
            return false;
    return true;
}

/* Append the compressed 'ids' (sorted first: they mostly come in order) to
 * 'b'; 0, or an error with 'err' set. */
static int reduce(struct sbuf *b, struct rl_ids *ids, int64_t *count, eng_error_t *err)
{
    if (!ascending(ids->id, ids->n))
        qsort(ids->id, ids->n, sizeof *ids->id, cmp_i64);
    return compress_into(b, ids->id, ids->n, count, err);
}

static int gather_props(struct rlite *r, const struct rwrite_vertex *v, eng_error_t *err)
{
    /* Fluxion walks a std::map, so properties go in key order; the order
     * only matters for which group is created first, and the groups are
     * kept sorted anyway. */
    for (size_t i = 0; i < v->nproperties; i++) {
        const struct rwrite_kv *kv = &v->properties[i];
        size_t kl = strlen(kv->key), vl = kv->value ? strlen(kv->value) : 0;
        char *prop = malloc(kl + vl + 2);
        if (!prop)
            return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
        memcpy(prop, kv->key, kl + 1);
        if (vl) {
            prop[kl] = '=';
            memcpy(prop + kl + 1, kv->value, vl + 1);
        }
        struct rl_group *g = map_group(&r->props, prop);
        free(prop);
        if (!g || group_push(r, g, v->rank, NULL) < 0)
            return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return 0;
}

/* The node's "children" signature, exactly as Fluxion's json_dumps() of
 * {"core": ids, "gpu": ids} with JSON_INDENT(0) writes it.  Built as text:
 * idsets hold only digits, commas and dashes, so nothing needs escaping.
 * This runs once per emitted node, so the text goes into r->sig, whose
 * buffer is kept from one node to the next.  0, or an error with 'err' set. */
static int signature(struct rlite *r, eng_error_t *err)
{
    r->sig_units[0] = r->sig_units[1] = 0;
    struct sbuf b = {r->sig, 0, r->sigcap, true};
    sbuf_add(&b, "{", 1);
    int rc = 0;
    if (r->core.n) {
        sbuf_str(&b, "\"core\": \"");
        rc = reduce(&b, &r->core, &r->sig_units[0], err);
        sbuf_add(&b, "\"", 1);
    }
    r->core.n = 0; /* Fluxion clears each reduced type as it goes */
    if (rc == 0 && r->gpu.n) {
        sbuf_str(&b, b.len > 1 ? ", \"gpu\": \"" : "\"gpu\": \"");
        rc = reduce(&b, &r->gpu, &r->sig_units[1], err);
        sbuf_add(&b, "\"", 1);
    }
    r->gpu.n = 0;
    sbuf_add(&b, "}", 1);
    if (b.p) {
        r->sig = b.p;
        r->sigcap = b.cap;
    }
    if (rc == 0 && !b.ok)
        rc = eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    return rc;
}

static bool ids_same(const struct rl_ids *a, const struct rl_ids *b)
{
    return a->n == b->n && (a->n == 0 || memcmp(a->id, b->id, a->n * sizeof *a->id) == 0);
}

/* 'to' := 'from' (ids as they came); 0 or ENG_ENOMEM. */
static int ids_copy(struct rl_ids *to, const struct rl_ids *from)
{
    int64_t *p = room(to->id, &to->cap, from->n ? from->n : 1, sizeof *p);
    if (!p)
        return ENG_ENOMEM;
    to->id = p;
    if (from->n)
        memcpy(p, from->id, from->n * sizeof *p);
    to->n = from->n;
    return 0;
}

int rwrite__rlite_node(struct rlite *r, const struct rwrite_vertex *v, eng_error_t *err)
{
    if (r->core.n == 0 && r->gpu.n == 0)
        return 0;
    struct rl_group *g;
    if (r->last_ok && ids_same(&r->core, &r->last_core) &&
        ids_same(&r->gpu, &r->last_gpu)) {
        g = &r->gather.g[r->last_g]; /* the same text: the same group */
        r->core.n = r->gpu.n = 0;
    } else {
        r->last_ok = false;
        if (ids_copy(&r->last_core, &r->core) < 0 || ids_copy(&r->last_gpu, &r->gpu) < 0)
            return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
        int rc = signature(r, err);
        if (rc < 0)
            return rc;
        if (!(g = map_group(&r->gather, r->sig)))
            return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
        /* one key, one text of the same id sets: the same counts */
        g->units[0] = r->sig_units[0];
        g->units[1] = r->sig_units[1];
        r->last_g = (size_t)(g - r->gather.g);
        r->last_ok = true;
    }
    if (group_push(r, g, v->rank, v->name ? v->name : "") < 0)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    return gather_props(r, v, err);
}

int rwrite__rlite_id(struct rlite *r, bool gpu, int64_t id, eng_error_t *err)
{
    if (ids_push(gpu ? &r->gpu : &r->core, id) < 0)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    return 0;
}

int rwrite__rlite_vertex(struct rlite *r, const struct rwrite_vertex *v, eng_error_t *err)
{
    if (strcmp(v->type, "core") == 0)
        return rwrite__rlite_id(r, false, v->id, err);
    if (strcmp(v->type, "gpu") == 0)
        return rwrite__rlite_id(r, true, v->id, err);
    if (strcmp(v->type, "node") == 0 || strcmp(v->type, "storage_node") == 0)
        return rwrite__rlite_node(r, v, err);
    return 0;
}

/* Stable sort of hosts by rank (insertion sort within merge sort would do;
 * a stable qsort key is simpler: rank, then original position). */
static int cmp_rank_pos(const void *a, const void *b)
{
    const struct rl_rank_pos *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* The group's ranks as an idset text appended to 'b'; '*nranks' (may be
 * NULL) gets how many distinct ones.  0, or an error with 'err' set. */
static int group_ranks_into(struct rlite *r, struct sbuf *b, const struct rl_group *g,
                            int64_t *nranks, eng_error_t *err)
{
    int64_t *ranks = room(r->ranks, &r->rankscap, g->n ? g->n : 1, sizeof *ranks);
    if (!ranks)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    r->ranks = ranks;
    for (size_t i = 0; i < g->n; i++)
        ranks[i] = g->h[i].rank;
    if (!ascending(ranks, g->n))
        qsort(ranks, g->n, sizeof *ranks, cmp_i64);
    return compress_into(b, ranks, g->n, nranks, err);
}

/* group_ranks_into() as a new string, or NULL with 'err' set. */
static char *group_ranks(struct rlite *r, const struct rl_group *g, int64_t *nranks,
                         eng_error_t *err)
{
    struct sbuf b = SBUF_INIT;
    if (group_ranks_into(r, &b, g, nranks, err) < 0) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

static json_t *build_rlite(struct rlite *r, eng_error_t *err)
{
    json_t *arr = json_array();
    if (!arr) {
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < r->gather.n; i++) {
        char *ranks = group_ranks(r, &r->gather.g[i], NULL, err);
        json_t *children = ranks ? json_loads(r->gather.g[i].key, 0, NULL) : NULL;
        json_t *o =
            children ? json_pack("{s:s s:o}", "rank", ranks, "children", children) : NULL;
        free(ranks);
        if (!o || json_array_append_new(arr, o) < 0) {
            eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

/* All gathered hosts sorted by rank (stably), as one hostlist string in
 * '*out' (free() it).  0 or ENG_ENOMEM. */
static int nodelist_text(struct rlite *r, char **out, eng_error_t *err)
{
    size_t n = 0, k = 0;
    for (size_t i = 0; i < r->gather.n; i++)
        n += r->gather.g[i].n;
    struct rl_rank_pos *rp = room(r->rp, &r->rpcap, n ? n : 1, sizeof *rp);
    if (rp)
        r->rp = rp;
    hostlist_t *hl = hostlist_create();
    *out = NULL;
    int rc = rp && hl ? 0 : ENG_ENOMEM;
    bool sorted = true;
    for (size_t i = 0; rc == 0 && i < r->gather.n; i++)
        for (size_t j = 0; j < r->gather.g[i].n; j++, k++) {
            rp[k] = (struct rl_rank_pos){r->gather.g[i].h[j].rank, k,
                                         r->names + r->gather.g[i].h[j].host};
            sorted = sorted && (k == 0 || rp[k - 1].rank <= rp[k].rank);
        }
    if (rc == 0 && !sorted) /* one node group in rank order: most R */
        qsort(rp, n, sizeof *rp, cmp_rank_pos);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (hostlist_append(hl, rp[i].host, NULL) < 0)
            rc = ENG_ENOMEM;
    if (rc == 0 && !(*out = hostlist_encode(hl)))
        rc = ENG_ENOMEM;
    hostlist_destroy(hl);
    return rc < 0 ? eng_errorf(err, rc, NULL, 0, 0, "out of memory") : 0;
}

static json_t *build_nodelist(struct rlite *r, eng_error_t *err)
{
    char *text = NULL;
    if (nodelist_text(r, &text, err) < 0)
        return NULL;
    json_t *arr = json_array();
    if (!arr || json_array_append_new(arr, json_string(text)) < 0) {
        json_decref(arr);
        arr = NULL;
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    free(text);
    return arr;
}

static json_t *build_props(struct rlite *r, eng_error_t *err)
{
    json_t *props = json_object();
    if (!props) {
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < r->props.n; i++) {
        char *ranks = group_ranks(r, &r->props.g[i], NULL, err);
        if (!ranks ||
            json_object_set_new(props, r->props.g[i].key, json_string(ranks)) < 0) {
            free(ranks);
            json_decref(props);
            eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
            return NULL;
        }
        free(ranks);
    }
    return props;
}

int rwrite__rlite_json(struct rlite *r, json_t **o, json_t **aux, eng_error_t *err)
{
    *o = NULL;
    if (aux)
        *aux = NULL;
    if (r->gather.n == 0)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no resources to write as R_lite");
    json_t *arr = build_rlite(r, err);
    json_t *nodelist = arr && aux ? build_nodelist(r, err) : NULL;
    json_t *props = arr && r->props.n && aux ? build_props(r, err) : NULL;
    if (!arr || (aux && !nodelist) || (aux && r->props.n && !props)) {
        json_decref(arr);
        json_decref(nodelist);
        json_decref(props);
        return err && err->code ? err->code : ENG_ENOMEM;
    }
    if (aux) {
        *aux = json_pack("{s:o}", "nodelist", nodelist);
        if (!*aux || (props && json_object_set_new(*aux, "properties", props) < 0)) {
            json_decref(*aux);
            json_decref(arr);
            *aux = NULL;
            return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
        }
    }
    gather_empty(r);
    map_empty(&r->props);
    r->nameslen = 0;
    *o = arr;
    return 0;
}

/* ---- R as text ------------------------------------------------------------ */

/* 's' as a JSON string, escaped as jansson's json_dumps() escapes it
 * (quote, backslash, the short escapes, other control bytes as \u00XX in
 * upper case; '/' and non-ASCII bytes as they are). */
static void sbuf_json(struct sbuf *b, const char *s)
{
    sbuf_add(b, "\"", 1);
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        const char *esc = c == '"'    ? "\\\""
                          : c == '\\' ? "\\\\"
                          : c == '\b' ? "\\b"
                          : c == '\f' ? "\\f"
                          : c == '\n' ? "\\n"
                          : c == '\r' ? "\\r"
                          : c == '\t' ? "\\t"
                                      : NULL;
        char u[8];
        if (!esc && c < 0x20) {
            snprintf(u, sizeof u, "\\u%04X", c);
            esc = u;
        }
        if (esc)
            sbuf_str(b, esc);
        else
            sbuf_add(b, p, 1);
    }
    sbuf_add(b, "\"", 1);
}

static int rlite_entries(struct rlite *r, struct sbuf *b, eng_error_t *err)
{
    sbuf_add(b, "[", 1);
    for (size_t i = 0; i < r->gather.n; i++) {
        sbuf_str(b, i ? ", {\"rank\": \"" : "{\"rank\": \"");
        int rc = group_ranks_into(r, b, &r->gather.g[i], NULL, err);
        if (rc < 0)
            return rc;
        sbuf_str(b, "\", \"children\": ");
        sbuf_str(b, r->gather.g[i].key); /* already JSON text */
        sbuf_add(b, "}", 1);
    }
    sbuf_add(b, "]", 1);
    return 0;
}

static int rlite_props(struct rlite *r, struct sbuf *b, eng_error_t *err)
{
    sbuf_str(b, ", \"properties\": {");
    for (size_t i = 0; i < r->props.n; i++) {
        if (i)
            sbuf_str(b, ", ");
        sbuf_json(b, r->props.g[i].key);
        sbuf_str(b, ": \"");
        int rc = group_ranks_into(r, b, &r->props.g[i], NULL, err);
        if (rc < 0)
            return rc;
        sbuf_add(b, "\"", 1);
    }
    sbuf_add(b, "}", 1);
    return 0;
}

int rwrite__rlite_text(struct rlite *r, bool envelope, int64_t starttime,
                       int64_t expiration, char **out, eng_error_t *err)
{
    struct sbuf b = SBUF_INIT;
    char *nodelist = NULL, num[64];
    *out = NULL;
    if (r->gather.n == 0)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no resources to write as R_lite");
    if (envelope)
        sbuf_str(&b, "{\"version\": 1, \"execution\": {\"R_lite\": ");
    int rc = rlite_entries(r, &b, err);
    if (rc == 0 && envelope && (rc = nodelist_text(r, &nodelist, err)) == 0) {
        sbuf_str(&b, ", \"nodelist\": [");
        sbuf_json(&b, nodelist);
        sbuf_add(&b, "]", 1);
        if (r->props.n)
            rc = rlite_props(r, &b, err);
        snprintf(num, sizeof num, ", \"starttime\": %lld, \"expiration\": %lld}}",
                 (long long)starttime, (long long)expiration);
        sbuf_str(&b, num);
    }
    sbuf_add(&b, "\n", 1);
    free(nodelist);
    if (rc == 0 && !b.ok)
        rc = eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc < 0) {
        free(b.p);
        return rc;
    }
    gather_empty(r);
    map_empty(&r->props);
    *out = b.p;
    return 0;
}

int rwrite__rlite_compact(struct rlite *r, char **rlite, char **nodelist,
                          int64_t units[3], eng_error_t *err)
{
    *rlite = *nodelist = NULL;
    int64_t u[3] = {0, 0, 0};
    if (r->gather.n == 0)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no resources to write as R_lite");
    struct sbuf b = SBUF_INIT;
    int rc = 0;
    sbuf_add(&b, "[", 1);
    for (size_t i = 0; rc == 0 && i < r->gather.n; i++) {
        int64_t nr = 0;
        sbuf_str(&b, i ? ",{\"rank\":\"" : "{\"rank\":\"");
        if ((rc = group_ranks_into(r, &b, &r->gather.g[i], &nr, err)) < 0)
            break;
        sbuf_str(&b, "\",\"children\":");
        /* the key is signature()'s text: its only spaces follow its
         * separators (id sets hold digits, commas and dashes) */
        for (const char *k = r->gather.g[i].key; *k;) {
            size_t run = strcspn(k, " ");
            sbuf_add(&b, k, run);
            k += run;
            k += *k == ' ';
        }
        sbuf_add(&b, "}", 1);
        u[0] += nr;
        u[1] += nr * r->gather.g[i].units[0];
        u[2] += nr * r->gather.g[i].units[1];
    }
    sbuf_add(&b, "]", 1);
    if (rc == 0 && !b.ok)
        rc = eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc == 0)
        rc = nodelist_text(r, nodelist, err);
    if (rc < 0) {
        free(b.p);
        return rc;
    }
    *rlite = b.p;
    if (units)
        memcpy(units, u, sizeof u);
    return 0;
}
