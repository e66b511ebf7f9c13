/* sim_eng.c: the engine adapter.
 *
 * One rv1_nosched writer is reused for every allocation: it yields both the
 * R_lite array and the host list (RFC 20 "execution"), which the reports
 * need, at the cost of one small JSON parse per started job.
 *
 * Jobs with the same jobspec text share one parse, and so do JSON texts that
 * differ only in the one number after their one "duration" key (a log's jobs
 * mostly do): the number is taken out of the text to make the key, and each
 * job's own value is put in the shared jobspec before each of its matches.
 * A text is shared so only when it has no escapes, and its parse took
 * attributes.system.duration from that number, which must be a plain integer
 * of at most 15 digits (read exactly as the parser reads it, with strtod())
 * above 0.
 *
 * Satisfiability is checked at the end of time, where no job of finite span
 * reaches: the answer depends only on the graph, the status of its vertices
 * and the request's resource tree, not on its duration, so jobs whose trees
 * are alike (most jobs of a log share a size; their durations differ) share
 * one answer, forgotten when a status changes.  That holds while every span
 * ends long before the end of time: once a job of unbounded or enormous
 * duration is matched, or the clock is enormous, nothing is shared any
 * more.
 *
 * Failed attempts to start a job now are remembered per tree too ("busy"
 * answers).  Whether a request fits now does not depend on which of several
 * fitting resources the engine would pick, nor on the order it tries them
 * in (a vertex qualifies by its own subtree alone, and a level succeeds once
 * the qualified children hold enough), and it can only get harder while
 * resources are only taken: a request of the same tree that did not fit at
 * this time for some duration does not fit for a duration at least as long.
 * So, from one freeing to the next (a cancel, a status change, a dropped
 * reservation that its job's next match does not make again exactly), an
 * allocation of a tree that failed for a shorter or equal duration is
 * answered "busy" without a search: the answer the engine would give, its
 * state untouched, the call counted in match_calls as the simulator made
 * it.  A reservation made for later tells the same of its duration now.
 * This holds at later instants too: a resource free for the whole later,
 * longer window was free for the earlier one, because every span that ends
 * is a cancel (a job's span ends no earlier than its completion), a
 * reservation made again exactly starts no earlier than the new instant
 * (so whatever held a resource between the two instants holds it at the
 * later one still), and nothing else removes a span.  A reservation kept by
 * the engine (eng_kept_count()) leaves every span as it was before the
 * drop; any other call while a drop is pending lets the engine remove it,
 * and counts as a freeing.  The same holds across a
 * family of trees that differ only in the count of their one top-level
 * slot (a log's jobs of every size): more slots of the same kind never fit
 * where fewer did not, and the engine answers them "busy" too (a slot's
 * count is checked where the root's visit fails, not where the request is
 * found unsatisfiable). */
#include "sim_eng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobspec.h"
#include "rg.h"
#include "rwrite.h"
#include "sbuf.h"

/* A chained hash table of entries that start with a 'struct hent'. */
struct hent {
    struct hent *next;
    uint64_t hash;
};

struct htab {
    struct hent **bucket; /* 'nbucket' chains, a power of two */
    size_t nbucket, n;
};

enum { FAM_MAX = 8 }; /* failed (count, duration) pairs kept per family */

/* One distinct resource tree (without constraints), and its cached
 * satisfiability answer. */
struct shape {
    struct hent h;
    char *key;          /* the tree as text (shape_key()) */
    uint64_t sat_epoch; /* 'sat' holds for status epoch sat_epoch - 1 */
    int sat;
    /* A tree whose one top-level resource is a slot of a fixed count
     * belongs to the family of the trees that differ from it in that count
     * only ('family', another entry, keyed as the tree with the count left
     * out); 'fam_count' is its count.  Any other tree is its own family,
     * count 0.  While busy_epoch == free_epoch + 1 (struct sim_eng), a
     * family entry keeps the (count, duration) pairs of its trees that did
     * not fit at time 'busy_at', none dominating another. */
    struct shape *family;
    uint32_t fam_count;
    uint64_t busy_epoch;
    sim_time_t busy_at;
    struct fam_pair {
        uint32_t count;
        double dur;
    } fam[FAM_MAX];
    uint32_t nfam;
};

/* One distinct jobspec text, shared by the live jobs that use it. */
struct spec {
    struct hent h;
    size_t len;
    char *text; /* with 'templ', without its duration number */
    bool templ; /* shared by texts that differ in their duration */
    jobspec_t *js;
    size_t refs;         /* live jobs using it; 0: kept idle (spec_release()) */
    struct shape *shape; /* its resource tree; NULL: it has constraints */
};

/* Durations and times below this leave the end of time free of spans. */
#define SHAPE_SAFE_DURATION ((int64_t)1 << 40)

struct job_rec {
    struct spec *spec; /* NULL until its first match */
    double dur;        /* its duration when its spec is 'templ' */
};

struct sim_eng {
    eng_t *e;
    rwrite_t *w;
    struct job_rec *jobs; /* per job id */
    size_t njobs;
    struct htab specs, shapes;
    uint64_t status_epoch; /* bumped by every status change */
    uint64_t free_epoch;   /* bumped by everything that may free resources */
    /* a reservation dropped (eng_unreserve()) whose job has not been matched
     * again: it frees resources unless that match keeps it (drop_resolve()) */
    bool drop_pending;
    uint64_t drop_job;
    bool unshared;  /* a span may reach the end of time: share nothing */
    bool busy_memo; /* remember busy answers (SCHEDSIM_NO_BUSY_MEMO: off) */
    size_t nidle;   /* entries with no live job, kept (spec_release()) */
};

sim_eng_t *sim_eng_create(eng_t *e, eng_error_t *err)
{
    if (!e || !eng_graph(e)) {
        eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "sim: the engine has no graph");
        return NULL;
    }
    sim_eng_t *a = calloc(1, sizeof *a);
    if (!a) {
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
        return NULL;
    }
    a->e = e;
    /* the R of a reservation is never reported, nor looked for vertex by
     * vertex */
    eng_set_write_reservations(e, false);
    eng_set_lazy_reservations(e, true);
    eng_set_lazy_allocations(e, true); /* every job ends by its span's end */
    /* a pass drops its reservations and matches their jobs again */
    eng_set_replan_in_place(e, getenv("SCHEDSIM_NO_REPLAN_IN_PLACE") == NULL);
    a->busy_memo = getenv("SCHEDSIM_NO_BUSY_MEMO") == NULL; /* a check switch */
    if (!(a->w = rwrite_create(RWRITE_RV1_NOSCHED, err))) {
        free(a);
        return NULL;
    }
    return a;
}

static void spec_free(struct spec *x)
{
    jobspec_destroy(x->js);
    free(x->text);
    free(x);
}

void sim_eng_destroy(sim_eng_t *a)
{
    if (!a)
        return;
    for (size_t b = 0; b < a->specs.nbucket; b++) {
        for (struct hent *h = a->specs.bucket[b], *n; h; h = n) {
            n = h->next;
            spec_free((struct spec *)h);
        }
    }
    for (size_t b = 0; b < a->shapes.nbucket; b++) {
        for (struct hent *h = a->shapes.bucket[b], *n; h; h = n) {
            n = h->next;
            free(((struct shape *)h)->key);
            free(h);
        }
    }
    free(a->shapes.bucket);
    free(a->specs.bucket);
    free(a->jobs);
    rwrite_destroy(a->w);
    free(a);
}

static int ae_set_time(void *ctx, sim_time_t now, eng_error_t *err)
{
    sim_eng_t *a = ctx;
    a->unshared |= now >= SHAPE_SAFE_DURATION;
    int rc = eng_time_set(a->e, now);
    if (rc < 0)
        return eng_errorf(err, rc, NULL, 0, 0, "engine: cannot set time %lld",
                          (long long)now);
    return 0;
}

/* Bytes s[0..7] as a little-endian number, whatever the machine's order
 * (one load where it is little-endian). */
static uint64_t load_le64(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    return (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 |
           (uint64_t)u[3] << 24 | (uint64_t)u[4] << 32 | (uint64_t)u[5] << 40 |
           (uint64_t)u[6] << 48 | (uint64_t)u[7] << 56;
}

/* A hash of 'n' bytes, eight at a time (the texts are a jobspec each, read
 * once per job), mixed at the end so that the low bits that pick a bucket
 * depend on every byte. */
static uint64_t text_hash(const char *s, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15u ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        h = (h ^ load_le64(s + i)) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    for (; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
    h ^= h >> 33; /* splitmix64's finalizer */
    h *= 0xc4ceb9fe1a85ec53u;
    h ^= h >> 33;
    return h;
}

/* The chain of 'hash' in 't' (NULL when the table is empty). */
static struct hent *htab_chain(const struct htab *t, uint64_t hash)
{
    return t->nbucket ? t->bucket[hash & (t->nbucket - 1)] : NULL;
}

/* Make room for one more entry. */
static int htab_reserve(struct htab *t)
{
    if (t->n < t->nbucket)
        return 0;
    size_t n = t->nbucket ? 2 * t->nbucket : 256;
    struct hent **b = calloc(n, sizeof *b);
    if (!b)
        return ENG_ENOMEM;
    for (size_t i = 0; i < t->nbucket; i++) {
        for (struct hent *x = t->bucket[i], *next; x; x = next) {
            next = x->next;
            x->next = b[x->hash & (n - 1)];
            b[x->hash & (n - 1)] = x;
        }
    }
    free(t->bucket);
    t->bucket = b;
    t->nbucket = n;
    return 0;
}

/* Add 'x' (its hash set; htab_reserve() done). */
static void htab_add(struct htab *t, struct hent *x)
{
    x->next = t->bucket[x->hash & (t->nbucket - 1)];
    t->bucket[x->hash & (t->nbucket - 1)] = x;
    t->n++;
}

static void htab_remove(struct htab *t, struct hent *x)
{
    for (struct hent **p = &t->bucket[x->hash & (t->nbucket - 1)]; *p; p = &(*p)->next) {
        if (*p == x) {
            *p = x->next;
            t->n--;
            return;
        }
    }
}

/* The resource tree of 'js' as text: every field the match reads, per
 * resource in pre-order.  NULL when out of memory. */
static char *shape_key(const jobspec_t *js, bool family)
{
    struct sbuf b = SBUF_INIT;
    sbuf_add(&b, family ? "family " : "", family ? 7 : 0);
    for (size_t i = 0; i < js->nresources_total; i++) {
        const jobspec_resource_t *r = jobspec_resource_at(js, i);
        if (r && family && i == 0) /* the count left out */
            sbuf_printf(&b, "%u:%zu:%s/%s/%s/%s/*/%d%d;", (unsigned)r->depth, r->nwith,
                        r->type, r->unit, r->label, r->id, (int)r->exclusive,
                        (int)r->is_slot);
        else if (r)
            sbuf_printf(&b, "%u:%zu:%s/%s/%s/%s/%u-%u%c%d/%d%d;", (unsigned)r->depth,
                        r->nwith, r->type, r->unit, r->label, r->id,
                        (unsigned)r->count.min, (unsigned)r->count.max, r->count.oper,
                        (int)r->count.operand, (int)r->exclusive, (int)r->is_slot);
    }
    if (!b.ok) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* The count of the one top-level slot of 'js' if its tree has a family
 * (struct shape), else 0. */
static uint32_t family_count(const jobspec_t *js)
{
    const jobspec_resource_t *r = js->nresources == 1 ? jobspec_resource_at(js, 0) : NULL;
    return r && r->is_slot && r->count.min == r->count.max ? r->count.min : 0;
}

/* The shared entry of the resource tree of 'js' (with 'family': of its
 * family), or NULL (out of memory). */
static struct shape *shape_get(sim_eng_t *a, const jobspec_t *js, bool family)
{
    char *key = shape_key(js, family);
    if (!key)
        return NULL;
    size_t len = strlen(key);
    uint64_t h = text_hash(key, len);
    for (struct hent *x = htab_chain(&a->shapes, h); x; x = x->next) {
        struct shape *s = (struct shape *)x;
        if (x->hash == h && strcmp(s->key, key) == 0) {
            free(key);
            return s;
        }
    }
    struct shape *s = htab_reserve(&a->shapes) == 0 ? calloc(1, sizeof *s) : NULL;
    if (!s) {
        free(key);
        return NULL;
    }
    s->h.hash = h;
    s->key = key;
    htab_add(&a->shapes, &s->h);
    if (!family) { /* NULL (out of memory): no busy answers for it */
        s->fam_count = family_count(js);
        s->family = s->fam_count ? shape_get(a, js, true) : s;
    }
    return s;
}

enum { DURATION_DIGITS_MAX = 15 }; /* exact in a double and in an int64 */

/* Where the number after the one "duration" key of JSON text 'text' is:
 * [*start, *end), a plain integer, value '*value' > 0.  False when the text
 * does not look like JSON, has no or several "duration", or another kind of
 * value follows it. */
static bool duration_number(const char *text, size_t len, size_t *start, size_t *end,
                            double *value)
{
    static const char key[] = "\"duration\"";
    const size_t klen = sizeof key - 1;
    size_t i = strspn(text, " \t\r\n");
    /* no escapes: a key spelled "dur\u0061tion" would not be seen */
    if (i >= len || text[i] != '{' || strchr(text, '\\'))
        return false;
    const char *k = strstr(text, key);
    if (!k || strstr(k + klen, key))
        return false;
    size_t p = (size_t)(k - text) + klen;
    p += strspn(text + p, " \t\r\n");
    if (text[p] != ':')
        return false;
    p++;
    p += strspn(text + p, " \t\r\n");
    size_t n = strspn(text + p, "0123456789");
    if (n == 0 || n > DURATION_DIGITS_MAX || !strchr(",} \t\r\n", text[p + n]) ||
        text[p + n] == '\0')
        return false;
    char digits[DURATION_DIGITS_MAX + 1];
    memcpy(digits, text + p, n);
    digits[n] = '\0';
    *value = strtod(digits, NULL);
    *start = p;
    *end = p + n;
    return *value > 0;
}

/* A reference to 'x' for a job (an idle entry is idle no more). */
static struct spec *spec_ref(sim_eng_t *a, struct spec *x)
{
    if (x->refs++ == 0)
        a->nidle--;
    return x;
}

/* The entry of key 'key' ('len' bytes, 'templ' kind), or NULL. */
static struct spec *spec_find(sim_eng_t *a, const char *key, size_t len, uint64_t h,
                              bool templ)
{
    for (struct hent *e = htab_chain(&a->specs, h); e; e = e->next) {
        struct spec *x = (struct spec *)e;
        if (e->hash == h && x->templ == templ && x->len == len &&
            memcmp(x->text, key, len) == 0)
            return x;
    }
    return NULL;
}

/* A reference to the shared entry of 'text' (parsed on first use), or NULL
 * with 'err' set.  '*dur': the job's duration when the entry is a template. */
static struct spec *spec_take(sim_eng_t *a, uint64_t jobid, const char *text, double *dur,
                              eng_error_t *err)
{
    size_t len = strlen(text), start = 0, end = 0;
    uint64_t h = text_hash(text, len);
    struct spec *x = spec_find(a, text, len, h, false);
    if (x)
        return spec_ref(a, x);
    /* the key of a template: the text without its duration number */
    bool templ = duration_number(text, len, &start, &end, dur);
    char *tkey = NULL;
    size_t tlen = len - (end - start);
    uint64_t th = 0;
    if (templ) {
        if (!(tkey = malloc(tlen + 1))) {
            eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
            return NULL;
        }
        memcpy(tkey, text, start);
        memcpy(tkey + start, text + end, len - end + 1);
        th = text_hash(tkey, tlen);
        if ((x = spec_find(a, tkey, tlen, th, true))) {
            free(tkey);
            return spec_ref(a, x);
        }
    }
    if (htab_reserve(&a->specs) < 0) {
        free(tkey);
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
        return NULL;
    }
    char source[64];
    snprintf(source, sizeof source, "<job %llu>", (unsigned long long)jobid);
    jobspec_t *js = jobspec_parse(text, len, source, err);
    if (!js) {
        free(tkey);
        return NULL;
    }
    /* shared by duration only if the parse read it from that number */
    if (templ && js->system.duration != *dur) {
        templ = false;
        free(tkey);
        tkey = NULL;
    }
    x = calloc(1, sizeof *x);
    struct shape *sh = js->system.constraint ? NULL : shape_get(a, js, false);
    if (!x || (!templ && !(x->text = malloc(len + 1))) ||
        (!sh && !js->system.constraint)) {
        if (x)
            free(x->text);
        free(x);
        free(tkey);
        jobspec_destroy(js);
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
        return NULL;
    }
    if (templ) {
        x->text = tkey;
        x->len = tlen;
        x->h.hash = th;
    } else {
        memcpy(x->text, text, len + 1);
        x->len = len;
        x->h.hash = h;
    }
    x->templ = templ;
    x->js = js;
    x->shape = sh;
    x->refs = 1;
    htab_add(&a->specs, &x->h);
    return x;
}

/* Parsed jobspecs kept for later jobs when no live job uses them (a log's
 * jobs come back to the same few texts): ~17 KB each at most. */
enum { SPEC_IDLE_MAX = 512 };

static void spec_release(sim_eng_t *a, struct spec *x)
{
    if (--x->refs > 0)
        return;
    if (a->nidle < SPEC_IDLE_MAX) {
        a->nidle++;
        return;
    }
    htab_remove(&a->specs, &x->h);
    spec_free(x);
}

/* Job 'jobid''s shared jobspec entry, looked up on its first match. */
static struct spec *job_spec(sim_eng_t *a, uint64_t jobid, const char *text,
                             eng_error_t *err)
{
    if (jobid >= a->njobs) {
        size_t n = a->njobs ? a->njobs : 1024;
        while (n <= jobid)
            n *= 2;
        struct job_rec *jr = realloc(a->jobs, n * sizeof *jr);
        if (!jr) {
            eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
            return NULL;
        }
        memset(jr + a->njobs, 0, (n - a->njobs) * sizeof *jr);
        a->jobs = jr;
        a->njobs = n;
    }
    struct job_rec *jr = &a->jobs[jobid];
    if (!jr->spec) {
        struct spec *x = spec_take(a, jobid, text, &jr->dur, err);
        if (!x)
            return NULL;
        jr->spec = x;
    }
    struct spec *x = jr->spec;
    if (x->templ)
        x->js->system.duration = jr->dur;
    return x;
}

static enum eng_match_op engine_op(enum sim_match_op op)
{
    switch (op) {
    case SIM_MATCH_ALLOCATE:
        return ENG_MATCH_ALLOCATE;
    case SIM_MATCH_ORELSE_RESERVE:
        return ENG_MATCH_ALLOCATE_ORELSE_RESERVE;
    case SIM_MATCH_SATISFIABILITY:
        return ENG_MATCH_SATISFIABILITY;
    case SIM_MATCH_RESERVE_LATER:
        return ENG_MATCH_RESERVE_LATER;
    }
    return ENG_MATCH_UNKNOWN;
}

/* Whether the busy answers of entry 'sh' hold now. */
static bool busy_current(const sim_eng_t *a, const struct shape *sh)
{
    return sh->busy_epoch == a->free_epoch + 1 && sh->busy_at <= eng_time(a->e);
}

/* The dropped reservation is gone for good (or may be): resources freed. */
static void drop_resolve(sim_eng_t *a)
{
    if (a->drop_pending) {
        a->drop_pending = false;
        a->free_epoch++;
    }
}

/* Whether family entry 'f' holds a pair of no larger a count and no longer
 * a duration than ('count', 'dur'). */
static bool fam_covers(const struct shape *f, uint32_t count, double dur)
{
    for (uint32_t i = 0; i < f->nfam; i++)
        if (f->fam[i].count <= count && f->fam[i].dur <= dur)
            return true;
    return false;
}

/* Whether tree 'sh' is known not to fit now for 'duration' (see above): a
 * tree of its family with no larger a count did not, for no longer. */
static bool busy_known(const sim_eng_t *a, const struct shape *sh, double duration)
{
    const struct shape *f = sh->family;
    return a->busy_memo && f && busy_current(a, f) &&
           fam_covers(f, sh->fam_count, duration);
}

/* Tree 'sh' did not fit now for 'duration'. */
static void busy_note(sim_eng_t *a, struct shape *sh, double duration)
{
    struct shape *f = sh->family;
    if (!f)
        return;
    if (!busy_current(a, f)) {
        f->busy_epoch = a->free_epoch + 1;
        f->busy_at = eng_time(a->e);
        f->nfam = 0;
    } else if (fam_covers(f, sh->fam_count, duration)) {
        return; /* known already */
    }
    uint32_t k = 0; /* the pairs the new one does not dominate stay */
    for (uint32_t i = 0; i < f->nfam; i++)
        if (!(f->fam[i].count >= sh->fam_count && f->fam[i].dur >= duration))
            f->fam[k++] = f->fam[i];
    f->nfam = k;
    if (k < FAM_MAX)
        f->fam[f->nfam++] = (struct fam_pair){sh->fam_count, duration};
}

static int ae_match(void *ctx, enum sim_match_op op, uint64_t jobid, const char *jobspec,
                    struct sim_match_out *out, eng_error_t *err)
{
    sim_eng_t *a = ctx;
    /* the match of the job whose reservation was dropped may keep it; any
     * other call lets the engine remove it (and an allocation of that job
     * may use what it held) */
    bool mine = a->drop_pending && jobid == a->drop_job && op != SIM_MATCH_ALLOCATE &&
                op != SIM_MATCH_SATISFIABILITY;
    if (!mine)
        drop_resolve(a);
    uint64_t kept = mine ? eng_kept_count(a->e) : 0;
    struct spec *x = job_spec(a, jobid, jobspec, err);
    if (!x) {
        drop_resolve(a);
        return err && err->code ? err->code : ENG_EPARSE;
    }
    const jobspec_t *js = x->js;
    struct eng_match_result res;
    bool sat = op == SIM_MATCH_SATISFIABILITY;
    /* duration 0 is the graph's: a span to the end of time */
    bool bounded =
        js->system.duration > 0 && js->system.duration < (double)SHAPE_SAFE_DURATION;
    struct shape *sh = x->shape && bounded && !a->unshared ? x->shape : NULL;
    if (sat && sh && sh->sat_epoch == a->status_epoch + 1)
        return sh->sat;
    if (op == SIM_MATCH_ALLOCATE && sh && busy_known(a, sh, js->system.duration))
        return ENG_EBUSY;
    a->unshared |= !sat && !bounded;
    uint64_t order = eng_order_version(a->e);
    int rc = eng_match(a->e, engine_op(op), js, jobid, sat ? NULL : a->w, &res, err);
    if (mine && eng_kept_count(a->e) == kept)
        drop_resolve(a);
    a->drop_pending = false; /* kept: every span is as before the drop */
    if (sat && sh && (rc == 0 || rc == ENG_ENOMATCH || rc == ENG_EBUSY)) {
        sh->sat = rc;
        sh->sat_epoch = a->status_epoch + 1;
    }
    if (sh && ((op == SIM_MATCH_ALLOCATE && rc == ENG_EBUSY) ||
               (rc == 0 && res.reserved && res.at > eng_time(a->e))))
        busy_note(a, sh, js->system.duration);
    if (rc < 0 || sat)
        return rc;
    out->at = res.at;
    out->reserved = res.reserved;
    out->reordered = eng_order_version(a->e) != order;
    if (res.reserved) {
        rwrite_reset(a->w);
        return 0;
    }
    /* the writer's counts are those of the text, in enum sim_unit's order */
    if ((rc = rwrite_take_rlite_units(a->w, &out->r_lite, &out->nodelist, out->units,
                                      err)) < 0) {
        rwrite_reset(a->w);
        eng_cancel(a->e, jobid, true, NULL); /* no side effect on failure */
        free(out->r_lite);
        free(out->nodelist);
        out->r_lite = out->nodelist = NULL;
    }
    out->has_units = rc == 0;
    return rc;
}

static int ae_cancel(void *ctx, uint64_t jobid, bool final, eng_error_t *err)
{
    sim_eng_t *a = ctx;
    drop_resolve(a); /* a reservation dropped before is removed now */
    if (final) {
        a->free_epoch++;
    } else { /* freed unless the job's next match keeps it */
        a->drop_pending = true;
        a->drop_job = jobid;
    }
    if (final && jobid < a->njobs && a->jobs[jobid].spec) {
        spec_release(a, a->jobs[jobid].spec);
        a->jobs[jobid].spec = NULL;
    }
    return final ? eng_cancel(a->e, jobid, true, err) : eng_unreserve(a->e, jobid, err);
}

/* The containment path of the node named 'name', into 'buf'. */
static int node_path(const rg_graph_t *g, const char *name, char *buf, size_t size)
{
    rg_sym_t node = rg_sym_find(g, "node"), sym = rg_sym_find(g, name);
    if (node == RG_SYM_NONE || sym == RG_SYM_NONE)
        return ENG_ENOENT;
    for (rg_vid_t v = rg_vertex_first_of_type(g, node); v != RG_VID_NONE;
         v = rg_vertex_next_of_type(g, v))
        if (rg_vertex_get(g, v)->name == sym)
            return rg_vertex_path(g, v, RG_SYM_CONTAINMENT, buf, size) < 0 ? ENG_ENOENT
                                                                           : 0;
    return ENG_ENOENT;
}

static int ae_set_status(void *ctx, const char *name, bool up, eng_error_t *err)
{
    sim_eng_t *a = ctx;
    char path[RG_PATH_MAX];
    if (name[0] != '/' && node_path(eng_graph(a->e), name, path, sizeof path) < 0)
        return eng_errorf(err, ENG_ENOENT, NULL, 0, 0, "no node named '%s'", name);
    a->status_epoch++; /* satisfiability answers may change */
    drop_resolve(a);
    a->free_epoch++; /* and so may what fits now */
    int rc = eng_status_set(a->e, name[0] == '/' ? name : path, up, err);
    if (rc < 0)
        return eng_errorf(err, rc, NULL, 0, 0, "cannot mark '%s' %s", name,
                          up ? "up" : "down");
    return 0;
}

/* Cores under 'v' in the containment subsystem (a tree). */
static int64_t cores_under(const rg_graph_t *g, rg_vid_t v, rg_sym_t core)
{
    int64_t n = 0;
    for (rg_eid_t ed = rg_out_first(g, v, RG_SYM_CONTAINMENT); ed != RG_EID_NONE;
         ed = rg_out_next(g, ed, RG_SYM_CONTAINMENT)) {
        const struct rg_edge *x = rg_edge_get(g, ed);
        if (x->relation != RG_SYM_CONTAINS)
            continue;
        n += rg_vertex_get(g, x->dst)->type == core ? 1 : cores_under(g, x->dst, core);
    }
    return n;
}

int64_t sim_eng_min_node_cores(const eng_t *e)
{
    const rg_graph_t *g = e ? eng_graph(e) : NULL;
    rg_sym_t node = g ? rg_sym_find(g, "node") : RG_SYM_NONE;
    rg_sym_t core = g ? rg_sym_find(g, "core") : RG_SYM_NONE;
    if (node == RG_SYM_NONE || core == RG_SYM_NONE)
        return 0;
    int64_t min = -1;
    for (rg_vid_t v = rg_vertex_first_of_type(g, node); v != RG_VID_NONE;
         v = rg_vertex_next_of_type(g, v)) {
        int64_t n = cores_under(g, v, core);
        if (min < 0 || n < min)
            min = n;
    }
    return min < 0 ? 0 : min;
}

/* Resource types counted, in enum sim_unit order. */
static const char *const unit_types[SIM_UNIT_COUNT] = {"node", "core", "gpu"};

static void ae_totals(void *ctx, int64_t totals[SIM_UNIT_COUNT])
{
    sim_eng_t *a = ctx;
    const rg_graph_t *g = eng_graph(a->e);
    for (int u = 0; u < SIM_UNIT_COUNT; u++) {
        rg_sym_t t = rg_sym_find(g, unit_types[u]);
        totals[u] = t == RG_SYM_NONE ? 0 : (int64_t)rg_graph_type_count(g, t);
    }
}

const struct sim_rapi_ops sim_eng_ops = {
    .name = "engine",
    .set_time = ae_set_time,
    .match = ae_match,
    .cancel = ae_cancel,
    .set_status = ae_set_status,
    .totals = ae_totals,
};
