/* eng_replan.c: re-planning a reservation in place.
 *
 * A queue manager in Fluxion's manner drops every reservation at each
 * scheduling pass and plans it again; most of the time the job gets exactly
 * the reservation it had.  eng_unreserve() cancels a reservation as
 * eng_cancel() does, except that the spans, exclusivity entries and records
 * it planned stay where they are for a while ("kept"):
 *
 * - any public call other than the job's own next match first cancels the
 *   kept reservation for real (eng__settle()), so everything else sees the
 *   engine exactly as after eng_cancel();
 * - the job's next match runs its select with the kept reservation hidden:
 *   every planner, aggregate and exclusivity query of the select answers as
 *   if its span were not planned (the eng__ghost_*() helpers, called where
 *   the select reads them), and the root's aggregate span, which the
 *   reserve loop's time search reads, is taken out for the match;
 * - if the selection is the one the reservation was made from (same marked
 *   edges with the same needs and exclusivity, same start, duration, root
 *   needs and exclusive types, the graph unchanged: its "fingerprint"), the
 *   update would plant exactly the kept spans: they stay, and the update
 *   plants nothing (jobmeta.keep) but makes its out-edge re-weighs, which
 *   depend on the current time and must happen as they would: it replays
 *   those the reservation's first update recorded (trav_update.c);
 * - otherwise the kept reservation is cancelled for real between the select
 *   and the update, which the select does not depend on.
 * The visit counts a cancel reports are computed when it is asked for. */
#include <stdlib.h>
#include <string.h>

#include "eng_private.h"
#include "planner_private.h"

static rg_vid_t dom_root(const eng_t *e)
{
    return rg_graph_root(e->g, e->dom);
}

/* ---- fingerprints --------------------------------------------------------- */

/* A pooled record with room for 'n' keys; NULL when out of memory. */
static struct replan_fp *fp_get(eng_t *e, size_t n)
{
    struct replan_fp *fp =
        e->nfp_pool ? e->fp_pool[--e->nfp_pool] : calloc(1, sizeof(struct replan_fp));
    if (!fp)
        return NULL;
    fp->m_ok = fp->m_pfx_ok = false;
    if (fp->cap < n) {
        uint64_t *k = realloc(fp->keys, n * sizeof *k);
        if (!k) {
            eng__fp_release(e, fp);
            return NULL;
        }
        fp->keys = k;
        fp->cap = n;
    }
    return fp;
}

static void fp_free(struct replan_fp *fp)
{
    if (fp) {
        free(fp->keys);
        free(fp->ops);
        free(fp->m_key);
        free(fp->m_pfx);
    }
    free(fp);
}

void eng__fp_release(eng_t *e, struct replan_fp *fp)
{
    if (!fp)
        return;
    if (e->nfp_pool == e->capfp_pool) {
        size_t cap = e->capfp_pool ? 2 * e->capfp_pool : 16;
        struct replan_fp **n = realloc(e->fp_pool, cap * sizeof *n);
        if (!n) {
            fp_free(fp);
            return;
        }
        e->fp_pool = n;
        e->capfp_pool = cap;
    }
    e->fp_pool[e->nfp_pool++] = fp;
}

/* ---- the update's re-weighs --------------------------------------------------- */

void eng__rp_push_slow(struct replan_fp *fp, enum rp_kind kind, rg_vid_t u, rg_eid_t ed)
{
    if (kind == RP_BEGIN && fp->depth++ == RP_DEPTH_MAX) {
        fp->ops_ok = false; /* the replay's stack would not hold it */
        return;
    }
    if (kind == RP_FLUSH)
        fp->depth--;
    if (fp->nops == fp->capops) {
        size_t cap = fp->capops ? 2 * fp->capops : 256;
        struct rp_op *n = realloc(fp->ops, cap * sizeof *n);
        if (!n) {
            fp->ops_ok = false;
            return;
        }
        fp->ops = n;
        fp->capops = cap;
    }
    fp->ops[fp->nops++] = (struct rp_op){u, ed, kind};
}

/* Start the recording of 'fp' afresh. */
static void ops_start(struct replan_fp *fp)
{
    fp->nops = 0;
    fp->nplans = 0;
    fp->depth = 0;
    fp->ops_ok = true;
}

/* Give 'to' the recording of 'from' (the same selection's), 'from' the
 * buffer of 'to'. */
static void ops_take(struct replan_fp *to, struct replan_fp *from)
{
    struct replan_fp t = *to;
    to->ops = from->ops;
    to->nops = from->nops;
    to->capops = from->capops;
    to->nplans = from->nplans;
    to->depth = from->depth;
    to->ops_ok = from->ops_ok;
    from->ops = t.ops;
    from->capops = t.capops;
    from->nops = 0;
    from->ops_ok = false;
}

/* The fingerprint of the selection the update of 'm' is about to plant,
 * into a pooled record; NULL when it cannot be had (out of memory, an
 * incomplete list of marked edges, a count too large for a key). */
static struct replan_fp *fp_build(eng_t *e, const struct jobmeta *m)
{
    if (e->marked_oom)
        return NULL;
    struct replan_fp *fp = fp_get(e, e->nmarked);
    if (!fp)
        return NULL;
    for (size_t i = 0; i < e->nmarked; i++) {
        rg_eid_t ed = e->marked[i];
        uint64_t needs = e->e_needs[ed];
        if (needs >= (1u << 31)) {
            eng__fp_release(e, fp);
            return NULL;
        }
        fp->keys[i] = (uint64_t)ed << 32 | needs << 1 | e->e_excl[ed];
    }
    fp->n = e->nmarked;
    fp->sel = (struct replan_sel){.at = m->at,
                                  .duration = m->duration,
                                  .rt_needs = e->rt_needs,
                                  .rt_excl = e->rt_excl,
                                  .gen = e->gen,
                                  .nxtypes = e->nxtypes};
    memcpy(fp->sel.xtypes, e->xtypes, sizeof fp->sel.xtypes);
    return fp;
}

static int key_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static bool same_types(const struct replan_sel *a, const struct replan_sel *b)
{
    if (a->nxtypes != b->nxtypes)
        return false;
    for (unsigned i = 0; i < a->nxtypes; i++) {
        unsigned j = 0;
        while (j < b->nxtypes && b->xtypes[j] != a->xtypes[i])
            j++;
        if (j == b->nxtypes)
            return false;
    }
    return true;
}

/* Whether 'a' and 'b' are the fingerprints of one selection.  The marked
 * edges are compared in order first (a repeated select marks them in the
 * same order), then as sets.  May sort the keys of both. */
static bool fp_equal(struct replan_fp *a, struct replan_fp *b)
{
    const struct replan_sel *x = &a->sel, *y = &b->sel;
    if (a->n != b->n || x->at != y->at || x->duration != y->duration ||
        x->rt_needs != y->rt_needs || x->rt_excl != y->rt_excl || x->gen != y->gen ||
        !same_types(x, y))
        return false;
    if (memcmp(a->keys, b->keys, a->n * sizeof *a->keys) == 0)
        return true;
    qsort(a->keys, a->n, sizeof *a->keys, key_cmp);
    qsort(b->keys, b->n, sizeof *b->keys, key_cmp);
    return memcmp(a->keys, b->keys, a->n * sizeof *a->keys) == 0;
}

/* ---- a select known again ------------------------------------------------------
 *
 * The kept reservation's next match usually finds the same start, and its
 * select there then reads what the select the reservation was made from
 * read, when nothing it reads changed since: the planners' answers over the
 * reservation's window (no span, aggregate or exclusivity entry touching
 * that window was added, removed or reduced since the reservation's update:
 * the engine's planners and exclusivity sets tell e->sink, and each public
 * operation's hull of changes goes into the ring e->mlog), the order of the
 * out-edges (e->pos_ver; not needed when the selection was forced, every
 * child of every vertex the select explored taken whole, as a request for
 * the whole machine is: any order then gives the same selection, visit
 * counts and errno; nor when it was forced below the root and the root's
 * loop, recorded child by child (struct pfx_rec), walked again in the new
 * order meets only children it met then before it has met all it took:
 * each qualifies or fails as then, the ones taken add the same and are
 * taken whole, so the loop stops after the same ones, and the visit counts
 * and errno are those of the new walk), the status and properties of the
 * vertices
 * (e->sel_ver), the graph and settings (e->gen), the request (its tree as
 * bytes) and its duration, with the reservation itself hidden both times.
 * The select is a function of those reads, so its selection is the
 * reservation's own: the reserve loop takes it at that start instead of
 * searching (eng__memo_take() stands in for the select's counters and
 * marks the root as a select does), and the match keeps the reservation.
 * Only for the simple traverser, without auxiliary subsystems, constraints
 * or messages from the select, with the re-weighs recorded (the update
 * then replays them) and no writer for the reservation. */

void eng__mlog_harvest(eng_t *e)
{
    struct plan_sink *k = &e->sink;
    if (!k->any && !k->all)
        return;
    struct mlog_ent *m = &e->mlog[e->mlog_n % ENG_MLOG_N];
    m->lo = k->all ? INT64_MIN : k->lo;
    m->hi = k->all ? INT64_MAX : k->hi;
    e->mlog_n++;
    k->any = k->all = false;
}

/* Whether a change logged since serial 'from' touched [lo, hi) (or the
 * ring no longer holds them all). */
static bool mlog_touched(const eng_t *e, uint64_t from, int64_t lo, int64_t hi)
{
    if (e->mlog_n - from > ENG_MLOG_N)
        return true;
    for (uint64_t i = from; i < e->mlog_n; i++) {
        const struct mlog_ent *m = &e->mlog[i % ENG_MLOG_N];
        if (m->lo < hi && lo < m->hi)
            return true;
    }
    return false;
}

static bool key_put(char **buf, size_t *cap, size_t *len, const void *p, size_t n)
{
    if (*len + n > *cap) {
        size_t c = *cap ? *cap : 256;
        while (c < *len + n)
            c *= 2;
        char *b = realloc(*buf, c);
        if (!b)
            return false;
        *buf = b;
        *cap = c;
    }
    memcpy(*buf + *len, p, n);
    *len += n;
    return true;
}

static bool key_str(char **buf, size_t *cap, size_t *len, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return key_put(buf, cap, len, &n, sizeof n) && key_put(buf, cap, len, s, n);
}

/* The request tree of 'js' as bytes, every field a select reads, into
 * '*buf'; its length, 0 when out of memory. */
static size_t req_key(const jobspec_t *js, char **buf, size_t *cap)
{
    size_t len = 0;
    uint64_t top = js->nresources;
    if (!key_put(buf, cap, &len, &top, sizeof top))
        return 0;
    for (size_t i = 0; i < js->nresources_total; i++) {
        const jobspec_resource_t *r = jobspec_resource_at(js, i);
        if (!r)
            return 0;
        int64_t f[8] = {r->depth,      (int64_t)r->nwith, r->count.min, r->count.max,
                        r->count.oper, r->count.operand,  r->exclusive, r->is_slot};
        if (!key_put(buf, cap, &len, f, sizeof f) || !key_str(buf, cap, &len, r->type) ||
            !key_str(buf, cap, &len, r->unit) || !key_str(buf, cap, &len, r->label) ||
            !key_str(buf, cap, &len, r->id))
            return 0;
    }
    return len;
}

/* Room for 'n' records of the root's loop in 'fp'. */
static bool pfx_room(struct replan_fp *fp, size_t n)
{
    if (fp->m_pfxcap >= n)
        return true;
    struct pfx_rec *p = realloc(fp->m_pfx, n * sizeof *p);
    if (!p)
        return false;
    fp->m_pfx = p;
    fp->m_pfxcap = n;
    return true;
}

/* A copy of 'f' for the match that takes its selection again (no re-weigh
 * recording: ops_take() moves it); NULL when out of memory. */
static struct replan_fp *fp_clone(eng_t *e, const struct replan_fp *f)
{
    struct replan_fp *c = fp_get(e, f->n);
    if (!c)
        return NULL;
    if (f->n)
        memcpy(c->keys, f->keys, f->n * sizeof *c->keys);
    size_t kl = 0;
    if (!key_put(&c->m_key, &c->m_keycap, &kl, f->m_key, f->m_keylen)) {
        eng__fp_release(e, c);
        return NULL;
    }
    c->n = f->n;
    c->sel = f->sel;
    if (f->m_pfx_ok && !pfx_room(c, f->m_npfx)) {
        eng__fp_release(e, c);
        return NULL;
    }
    if (f->m_pfx_ok && f->m_npfx)
        memcpy(c->m_pfx, f->m_pfx, f->m_npfx * sizeof *c->m_pfx);
    c->m_npfx = f->m_pfx_ok ? f->m_npfx : 0;
    c->m_pfx_ok = f->m_pfx_ok;
    c->m_stale_before = f->m_stale_before;
    c->m_stale_after = f->m_stale_after;
    c->m_ok = f->m_ok;
    c->m_forced = f->m_forced;
    c->m_keylen = kl;
    c->m_pre = f->m_pre;
    c->m_post = f->m_post;
    c->m_stale = f->m_stale;
    return c;
}

/* Whether the last select's root loop, as recorded, can be re-walked in
 * another order: recorded whole and ended by enough, every vertex below
 * the root taken whole, and every child it took taken whole and adding
 * the same to the request's total (so any order needs them all, and
 * reaches enough at the last of them). */
static bool pfx_usable(const eng_t *e)
{
    if (!e->pfx_done || e->pfx_oom || !trav__select_forced_below(e))
        return false;
    int64_t c = -1;
    for (size_t i = 0; i < e->npfx; i++) {
        const struct pfx_rec *r = &e->pfx[i];
        if (r->contrib < 0)
            continue;
        if (r->contrib == 0 || (c >= 0 && r->contrib != c))
            return false;
        c = r->contrib;
        if (!trav__taken_whole(e, r->ed))
            return false;
    }
    return c > 0;
}

/* The root's loop of 'f' walked again in the current out-edge order into
 * 'c' (a copy of 'f'): true when every child it meets before it has met
 * all those 'f' took is one 'f' met (so it qualifies or fails as then: no
 * planner read in the window changed); then the visit counts and stale
 * code are those of the new walk, and its records are 'c''s. */
static bool pfx_walk(eng_t *e, const struct replan_fp *f, struct replan_fp *c)
{
    size_t ne = rg_graph_eid_bound(e->g);
    if (e->pfx_markcap < ne) {
        uint32_t *mk = realloc(e->pfx_mark, ne * sizeof *mk);
        if (!mk)
            return false;
        e->pfx_mark = mk;
        uint32_t *at = realloc(e->pfx_at, ne * sizeof *at);
        if (!at)
            return false;
        e->pfx_at = at;
        memset(e->pfx_mark + e->pfx_markcap, 0, (ne - e->pfx_markcap) * sizeof *mk);
        e->pfx_markcap = ne;
    }
    if (++e->pfx_stamp == 0) {
        memset(e->pfx_mark, 0, e->pfx_markcap * sizeof *e->pfx_mark);
        e->pfx_stamp = 1;
    }
    uint32_t stamp = e->pfx_stamp, pre = f->m_pre, post = f->m_post;
    size_t nq = 0;
    for (size_t i = 0; i < f->m_npfx; i++) {
        const struct pfx_rec *r = &f->m_pfx[i];
        e->pfx_mark[r->ed] = stamp;
        e->pfx_at[r->ed] = (uint32_t)i;
        if (r->contrib < 0) {
            pre -= r->dpre;
            post -= r->dpost;
        } else {
            nq++;
        }
    }
    if (!pfx_room(c, f->m_npfx))
        return false;
    rg_vid_t root = dom_root(e);
    const struct rg_edge *ea = rg_edge_array(e->g);
    const struct rg_vertex *va = rg_vertex_array(e->g);
    int st = f->m_stale_before;
    size_t seen = 0, n = 0;
    for (uint32_t k = 0; k < e->noe[root] && seen < nq; k++) {
        rg_eid_t ed = e->oe[root][k];
        if ((va[ea[ed].dst].flags & RG_VF_REMOVED) || ea[ed].subsystem != e->dom)
            continue;
        if (e->pfx_mark[ed] != stamp)
            return false; /* not met then: unknown */
        const struct pfx_rec *r = &f->m_pfx[e->pfx_at[ed]];
        if (r->contrib < 0) {
            pre += r->dpre;
            post += r->dpost;
        } else {
            seen++;
        }
        if (r->stale != STALE_UNSET)
            st = r->stale;
        c->m_pfx[n++] = *r;
    }
    if (seen < nq)
        return false;
    if (f->m_stale_after != STALE_UNSET)
        st = f->m_stale_after;
    c->m_pre = pre;
    c->m_post = post;
    c->m_stale = st;
    c->m_npfx = n;
    return true;
}

/* At the kept reservation's job's match of 'js' (writer 'w'): whether its
 * select is known again; if so e->memo is its fingerprint's copy. */
static void memo_arm(eng_t *e, const jobspec_t *js, const rwrite_t *w)
{
    const struct replan_fp *f = e->pend.fp;
    eng__mlog_harvest(e);
    if (!f->m_ok || !f->ops_ok || (w && !e->unwritten_resv) || e->flexible || e->naux ||
        js->system.constraint || f->sel.gen != e->gen ||
        (f->m_posver != e->pos_ver && !f->m_forced && !f->m_pfx_ok) ||
        f->m_selver != e->sel_ver ||
        mlog_touched(e, f->m_serial, f->sel.at,
                     planner__window_end(f->sel.at, f->sel.duration)))
        return;
    size_t n = req_key(js, &e->kbuf, &e->kcap);
    if (n == 0 || n != f->m_keylen || memcmp(e->kbuf, f->m_key, n) != 0)
        return;
    e->memo = fp_clone(e, f);
    e->memo_moved = f->m_posver != e->pos_ver;
    if (e->memo && e->memo_moved && !f->m_forced && !pfx_walk(e, f, e->memo)) {
        eng__fp_release(e, e->memo);
        e->memo = NULL;
    }
}

void eng__memo_take(eng_t *e)
{
    const struct replan_fp *f = e->memo;
    trav__tick(e);
    e->preorder = f->m_pre;
    e->postorder = f->m_post;
    e->rt_needs = f->sel.rt_needs;
    e->rt_excl = f->sel.rt_excl;
    e->rt_seq = e->seq;
    if (f->m_stale != STALE_UNSET)
        e->stale = f->m_stale;
    e->sel_stale = f->m_stale;
    e->sel_msg = false;
    e->memo_used = true;
    e->nmemo++;
    e->nmemo_moved += e->memo_moved;
    e->nmemo_walk += e->memo_moved && !e->memo->m_forced;
}

/* What the select of reservation 'fp' (just made, before its update) read
 * beyond the planners, for knowing it again. */
static void memo_note(eng_t *e, struct replan_fp *fp, const struct jobmeta *m)
{
    fp->m_ok = !e->sel_msg && !e->flexible && !e->naux && !m->constraint;
    if (fp->m_ok && !e->memo_used)
        fp->m_keylen = req_key(e->js, &fp->m_key, &fp->m_keycap);
    fp->m_ok = fp->m_ok && fp->m_keylen > 0;
    fp->m_posver = e->pos_ver;
    fp->m_selver = e->sel_ver;
    if (!e->memo_used) {
        fp->m_pre = e->preorder;
        fp->m_post = e->postorder;
        fp->m_stale = e->sel_stale;
        fp->m_forced = fp->m_ok && trav__select_forced(e);
        fp->m_pfx_ok =
            fp->m_ok && !fp->m_forced && pfx_usable(e) && pfx_room(fp, e->npfx);
        if (fp->m_pfx_ok) {
            memcpy(fp->m_pfx, e->pfx, e->npfx * sizeof *fp->m_pfx);
            fp->m_npfx = e->npfx;
            fp->m_stale_before = e->pfx_stale_before;
            fp->m_stale_after = e->pfx_stale_after;
        }
    }
}

/* ---- keeping and settling ------------------------------------------------- */

int eng_set_replan_in_place(eng_t *e, bool on)
{
    if (!e)
        return ENG_EINVAL;
    int rc = eng__settle(e);
    e->replan = on;
    e->pfx_on = on;
    return rc;
}

int eng_unreserve(eng_t *e, uint64_t jobid, eng_error_t *err)
{
    eng_error_clear(err);
    if (!e)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "invalid argument");
    int rc = eng__settle_err(e, err);
    if (rc < 0)
        return rc;
    struct eng_job *j = eng__job_find(e, jobid);
    if (!e->replan || !j || j->info.state != ENG_JOB_RESERVED || !j->fp || !j->tv ||
        !j->trec || j->fp->sel.gen != e->gen || e->naux > 0 || !j->ntv ||
        j->tv[j->ntv - 1] != dom_root(e))
        return eng_cancel(e, jobid, true, err);
    /* The update tagged the root last, and each vertex once, below a tagged
     * parent: the cancel's walk from the root reaches every one of them and
     * counts the root, then each vertex and its children */
    eng__msg_clear(e);
    uint32_t pre = 1;
    for (uint32_t i = 0; i < j->ntv; i++)
        pre += e->ndom[j->tv[i]];
    e->preorder = e->tot_pre = pre;
    e->postorder = e->tot_post = j->ntv;
    struct replan_pend *p = &e->pend;
    p->on = true;
    p->jobid = jobid;
    p->tv = j->tv;
    p->rec = j->trec;
    p->ntv = j->ntv;
    p->fp = j->fp;
    j->tv = NULL;
    j->trec = NULL;
    j->fp = NULL;
    eng__job_drop(e, j);
    return 0;
}

/* Forget the kept reservation (its spans are gone or are the job's again). */
static void pend_clear(eng_t *e)
{
    struct replan_pend *p = &e->pend;
    free(p->tv);
    free(p->rec);
    eng__fp_release(e, p->fp);
    p->tv = NULL;
    p->rec = NULL;
    p->fp = NULL;
    p->ntv = 0;
    p->on = false;
}

int eng__settle(eng_t *e)
{
    struct replan_pend *p = &e->pend;
    if (!p->on)
        return 0;
    /* the cancel's counts were reported when it was asked for */
    uint32_t pre = e->preorder, post = e->postorder;
    uint32_t tpre = e->tot_pre, tpost = e->tot_post;
    int rc = trav__remove_recs(e, p->jobid, p->tv, p->rec, p->ntv);
    e->preorder = pre;
    e->postorder = post;
    e->tot_pre = tpre;
    e->tot_post = tpost;
    pend_clear(e);
    eng__mlog_harvest(e); /* the settle's changes, apart from what follows */
    return rc;
}

int eng__settle_err(eng_t *e, eng_error_t *err)
{
    int rc = eng__settle(e);
    if (rc < 0)
        return eng_errorf(err, rc, NULL, 0, 0,
                          "error encountered while removing job %llu",
                          (unsigned long long)e->pend.jobid);
    return 0;
}

/* ---- the job's next match --------------------------------------------------- */

static bool op_may_reserve(enum eng_match_op op)
{
    return op == ENG_MATCH_ALLOCATE_ORELSE_RESERVE || op == ENG_MATCH_RESERVE_LATER;
}

int eng__replan_arm(eng_t *e, enum eng_match_op op, uint64_t jobid, const jobspec_t *js,
                    const rwrite_t *w)
{
    struct replan_pend *p = &e->pend;
    e->memo_used = false;
    eng__fp_release(e, e->memo);
    e->memo = NULL;
    if (!p->on)
        return 0;
    if (p->jobid != jobid || !op_may_reserve(op))
        return eng__settle(e);
    size_t nv = rg_graph_vid_bound(e->g);
    if (e->gh_cap < nv) {
        uint32_t *n = calloc(nv, sizeof *n);
        if (!n)
            return eng__settle(e);
        free(e->gh_buf);
        e->gh_buf = n;
        e->gh_cap = nv;
    }
    for (uint32_t i = 0; i < p->ntv; i++)
        e->gh_buf[p->tv[i]] = p->rec[i] + 1;
    e->gh_at = p->fp->sel.at;
    e->gh_end = p->fp->sel.at + p->fp->sel.duration;
    e->gh_rec = e->gh_buf;
    memo_arm(e, js, w); /* before the root's span comes out */
    /* the reserve loop searches the root's aggregate for times: take the
     * reservation's span out of it for this match */
    rg_vid_t root = dom_root(e);
    e->gh_root_out = false;
    struct vjob *r = e->gh_buf[root] ? &e->vj.slot[e->gh_buf[root] - 1] : NULL;
    planner_multi_t *sp = e->subplan[root];
    if (r && sp && (r->flags & VJ_AG)) {
        size_t len = planner_multi_resources_len(sp);
        if (len > ENG_PRUNE_TYPES_MAX)
            return eng__replan_disarm(e);
        for (size_t i = 0; i < len; i++)
            e->gh_root[i] = planner_multi_span_planned_at(sp, r->agspan, i);
        eng__sub_changed(e, root);
        if (planner_multi_span_remove(sp, r->agspan) < 0)
            return eng__replan_disarm(e);
        r->flags &= ~(uint32_t)VJ_AG;
        e->gh_root_len = len;
        e->gh_root_out = true;
    }
    return 0;
}

/* Stop hiding the kept reservation from the select. */
static void unhide(eng_t *e)
{
    if (!e->gh_rec)
        return;
    for (uint32_t i = 0; i < e->pend.ntv; i++)
        e->gh_buf[e->pend.tv[i]] = 0;
    e->gh_rec = NULL;
}

int eng__replan_disarm(eng_t *e)
{
    unhide(e);
    e->gh_root_out = false; /* the root's span is gone; the cancel skips it */
    return eng__settle(e);
}

/* Put the root's aggregate span back: the update would plant it anew. */
static int root_back(eng_t *e, const struct jobmeta *m)
{
    if (!e->gh_root_out)
        return 0;
    e->gh_root_out = false;
    rg_vid_t root = dom_root(e);
    struct vjob *r = eng__vj_get(e, root, m->jobid);
    eng__sub_changed(e, root);
    int64_t s = planner_multi_span_add(e->subplan[root], m->at, m->duration, e->gh_root,
                                       e->gh_root_len);
    if (s < 0 || !r)
        return s < 0 ? (int)s : ENG_EINVAL;
    r->agspan = s;
    r->flags |= VJ_AG;
    return 0;
}

int eng__replan_decide(eng_t *e, struct jobmeta *m, const rwrite_t *w)
{
    eng__fp_release(e, e->fp_new);
    e->fp_new = NULL;
    m->rec = NULL;
    bool resv = m->alloc_type == AT_ALLOC_ORELSE_RESERVE && m->at > e->now;
    if (e->memo_used) { /* the kept reservation's selection, taken again */
        e->fp_new = e->memo;
        e->memo = NULL;
    } else if (e->replan && resv) {
        e->fp_new = fp_build(e, m);
    }
    if (e->fp_new)
        memo_note(e, e->fp_new, m);
    /* the update records its re-weighs where a kept reservation's would
     * walk alike: a walk with no writer */
    if (e->fp_new) {
        e->fp_new->ops_ok = false;
        if (!w) {
            ops_start(e->fp_new);
            m->rec = e->fp_new;
        }
    }
    if (!e->pend.on)
        return 0;
    unhide(e);
    if (!w && e->fp_new && fp_equal(e->pend.fp, e->fp_new)) {
        m->keep = true;
        if (e->memo_used && !e->pend.fp->ops_ok)
            return ENG_ESTATE;  /* cannot be: memo_arm() asked for the recording */
        if (e->pend.fp->ops_ok) /* recorded: replayed, else recorded anew */
            ops_take(e->fp_new, e->pend.fp);
        return root_back(e, m);
    }
    if (e->memo_used)
        return ENG_ESTATE; /* cannot be: the same selection, no writer */
    e->gh_root_out = false;
    return eng__settle(e);
}

void eng__replan_done(eng_t *e, struct eng_job *j, const struct jobmeta *m)
{
    if (m->keep) {
        e->nkept++;
        free(j->tv);
        free(j->trec);
        j->tv = e->pend.tv;
        j->trec = e->pend.rec;
        j->ntv = e->pend.ntv;
        e->pend.tv = NULL;
        e->pend.rec = NULL;
        pend_clear(e);
    }
    eng__fp_release(e, j->fp);
    /* the changes from here on are the ones the next match looks at */
    eng__mlog_harvest(e);
    if (e->fp_new)
        e->fp_new->m_serial = e->mlog_n;
    j->fp = e->fp_new;
    e->fp_new = NULL;
}

void eng__replan_free(eng_t *e)
{
    pend_clear(e);
    fp_free(e->fp_new);
    fp_free(e->memo);
    free(e->kbuf);
    free(e->xpl);
    free(e->pfx);
    free(e->pfx_mark);
    free(e->pfx_at);
    for (size_t i = 0; i < e->nfp_pool; i++)
        fp_free(e->fp_pool[i]);
    free(e->fp_pool);
    free(e->gh_buf);
}

/* ---- the select's view ------------------------------------------------------ */

int64_t eng__ghost_plan_without(const eng_t *e, rg_vid_t v, const struct vjob *r,
                                int64_t at, int64_t d, int64_t avail)
{
    return planner__avail_without(e->plans[v], at, d, r->rspan, avail);
}
