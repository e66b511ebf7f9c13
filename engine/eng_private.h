/* eng_private.h: internals shared by the engine's traversal files (eng*.c,
 * trav*.c, match_policy.c, prune.c, find.c).  Never installed.
 *
 * Layout: everything per vertex or per edge lives in parallel arrays indexed
 * by rg_vid_t / rg_eid_t, grown when the graph grows, so the traversal does
 * no per-vertex allocation.  Per (vertex, job) records (Fluxion's
 * allocations, reservations, x_spans, job2span and tags maps) live in one
 * open-addressing hash table keyed by (vertex, jobid): O(1) for every lookup
 * the traversal does, where per-vertex sorted vectors would cost O(jobs) at
 * the root of a busy system. */
#ifndef ENG_PRIVATE_H
#define ENG_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "eng.h"
#include "jobspec.h"
#include "planner.h"
#include "planner_multi.h"
#include "rg.h"
#include "rwrite.h"

/* Fluxion constants (resource/schema/data_std.hpp, config/system_defaults.hpp). */
#define ENG_X_CHECKER_NJOBS INT64_C(0x40000000)
#define ENG_SYSTEM_MAX_DUR  INT64_C(3153600000) /* 100 years: the graph's end */
#define ENG_PLAN_DURATION   INT64_MAX
#define ENG_MATCH_UNMET     0
#define ENG_MATCH_MET       1
#define ENG_PRUNE_TYPES_MAX 16
#define ENG_AUX_MAX         4  /* auxiliary subsystems of a -S set ("ALL": 4) */
#define ENG_REQ_TYPES_MAX   16 /* distinct request types tracked (more: keep all) */

/* ---- match policy (match_policy.c) --------------------------------------- */

enum match_kind { MATCH_POL_MULTILEVEL, MATCH_POL_LOCALITY, MATCH_POL_VARIATION };

struct match_policy {
    enum match_kind kind;
    bool high;           /* multilevel: greater score first */
    bool node_centric;   /* score factor on nodes (add 1, multiply by 10000) */
    bool node_exclusive; /* node is an exclusive type for every job */
    unsigned stop_on_k;  /* 0 or 1: explore out-edges dynamically */
};

/* Parse Fluxion's policy name or custom form into '*p'.  0 or ENG_EINVAL
 * with a message naming the problem. */
int match__policy_parse(const char *name, struct match_policy *p, eng_error_t *err);

/* ---- pruning filters (prune.c) --------------------------------------------- */

/* Fluxion's matcher_util_api_t pruning tables for the dominant subsystem:
 * m_pruning_types[anchor] -> set of types, and the union m_total_set.  Types
 * are graph symbols; sets are kept sorted by Fluxion's interned-type order. */
struct prune_anchor {
    rg_sym_t anchor; /* RG_SYM_NONE = "ALL" */
    rg_sym_t types[ENG_PRUNE_TYPES_MAX];
    unsigned ntypes;
};

struct prune_tab {
    struct prune_anchor anchors[ENG_PRUNE_TYPES_MAX];
    unsigned nanchors;
    rg_sym_t total[ENG_PRUNE_TYPES_MAX]; /* union, index = "prune index" */
    unsigned ntotal;
};

/* ---- scoring (trav_score.c): Fluxion's scoring_api_t for one subsystem ---- */

struct eval_edge {
    uint32_t count, needs, exclusive;
    rg_eid_t edge; /* RG_EID_NONE for the root pseudo-edge */
};

struct egroup {
    int64_t score;
    uint32_t count, needs, exclusive;
    bool root;
    uint32_t ed_off, ned; /* edges in the owning evals' 'ed' array */
};

struct evals {
    rg_sym_t type;
    uint32_t rank; /* Fluxion's interned order of 'type' */
    uint32_t qual_count, total_count, best_k, best_i;
    uint32_t iter;
    bool iter_reset;
    bool keep; /* groups and edges stored; false: only the counts (trav_score.c) */
    struct egroup *eg;
    uint32_t neg, capeg;
    struct eval_edge *ed;
    uint32_t ned, caped;
};

/* An entry of an auxiliary subsystem (trav_aux.c): never chosen, so only
 * its counts are kept. */
struct aux_eval {
    unsigned sub; /* index into eng.aux */
    rg_sym_t type;
    uint32_t qual, total;
};

struct scoring {
    struct evals *ev; /* sorted by rank (a std::map keyed by interned type) */
    uint32_t nev, capev;
    struct aux_eval *ax; /* auxiliary subsystems' entries (usually none) */
    uint32_t nax, capax;
    bool hier;
    int64_t overall;
    uint32_t avail;
};

/* ---- lazily held subtrees (trav_lazy.c) ---------------------------------- */

struct lazy_rw {
    rg_vid_t src;
    rg_eid_t ed;
    bool ag; /* the target gets an aggregate span from the full walk */
};

struct lazy_sum {
    int n_plans;
    uint32_t mask;
    int64_t c[ENG_PRUNE_TYPES_MAX];
    size_t rw_off, rw_n; /* in eng_t.lrw */
    /* the ids of the cores, then the gpus, below the vertex, in eng_t.lids;
     * ids_ok false when a node or storage_node is below it (an R_lite-only
     * writer records more than ids there) or memory ran out */
    size_t id_off, ncore, ngpu;
    bool ids_ok;
};

/* ---- out-edge moves deferred to the end of a vertex's update loop ---------- */

struct oe_move {
    rg_eid_t ed;
    uint32_t pos; /* in the sorted out-edges, before the moves */
    uint64_t wt;  /* the new weight */
    int64_t uq;   /* the target's uniq id */
};

/* ---- per-(vertex, job) records ------------------------------------------- */

enum vjob_flag {
    VJ_TAG = 1u << 0,   /* idata.tags */
    VJ_ALLOC = 1u << 1, /* schedule.allocations: 'span' */
    VJ_RESV = 1u << 2,  /* schedule.reservations: 'span' */
    VJ_X = 1u << 3,     /* idata.x_spans: 'xspan' */
    VJ_AG = 1u << 4,    /* idata.job2span: 'agspan' */
};

struct vjob {
    uint64_t jobid;
    rg_vid_t v;
    uint32_t flags; /* 0 = free record; VJ_DEAD = holds nothing yet */
    uint32_t next;  /* next record of the same vertex (pool index + 1), 0 none;
                       in the free list, the next free record */
    uint32_t prev;  /* previous record of the same vertex, 0 none */
    int64_t span, xspan, agspan; /* span: allocation (VJ_ALLOC) */
    int64_t rspan;               /* reservation (VJ_RESV) */
};
#define VJ_DEAD (1u << 31)

/* The records of each vertex form a short doubly-linked list (one per job
 * that holds or reserved the vertex) in one pool; 'head[v]' is the first
 * (index + 1).  A traversal touches vertices in about id order, and a job's
 * records are allocated in that order too, so walks stay in cache, unlike a
 * hash of (vertex, job).  A vertex whose list grows past VJ_LIST_MAX (the
 * cluster and racks hold a record for nearly every job) is marked in
 * 'head[v]' (VJ_INDEXED) and its records are also found through 'idx', an
 * open-addressing hash of (vertex, job) -> record.  Pointers into the pool
 * stay valid until the next eng__vj_put(), which may grow it. */
#define VJ_LIST_MAX 16
#define VJ_INDEXED  (1u << 31)
struct vjob_tab {
    struct vjob *slot;
    uint32_t *head; /* per vertex, e->vcap entries: record index + 1 | VJ_INDEXED */
    size_t cap;     /* records allocated */
    size_t used;    /* high-water mark of the pool */
    size_t live;    /* records in use */
    uint32_t free_head;
    uint32_t *idx; /* record index + 1 of indexed vertices' records, 0 empty */
    size_t icap;   /* a power of two, or 0 */
    size_t ilive;
};

/* ---- exclusivity checker -------------------------------------------------- */

/* Fluxion keeps a planner of 2^30 "jobs" per vertex and asks whether fewer
 * than 2^30 are free in a window, i.e. whether any job's span overlaps it.
 * Here that is the set of the spans themselves: adding and removing are O(1)
 * (a removal moves the last entry into the hole and re-points its owner's
 * record), and the question is a scan of the vertex's spans, which are few
 * except at the top of the tree, where Fluxion asks only for requests that
 * want the whole system exclusively. */
struct xiv {
    int64_t start, end;
    uint64_t jobid;
};

struct xset {
    struct xiv *iv;
    uint32_t n, cap;
};

/* Distinct types of a vertex's children (out-edges of every subsystem), for
 * the slot test; n > ENG_CTYPES_MAX means "too many: scan the edges". */
#define ENG_CTYPES_MAX 3
struct ctypes {
    rg_sym_t t[ENG_CTYPES_MAX];
    uint32_t n;
};

/* ---- jobs ------------------------------------------------------------------ */

/* One out-edge re-weigh site of a reservation's update, in walk order
 * (trav_update.c): RP_REWEIGH edge 'ed' of 'u' as upd_by_outedges() does it
 * at once, RP_FORCE the same even where nothing is planned on the target
 * (a lazy hold's edge into a vertex given an aggregate span), RP_DEFER its
 * move queued for the flush of 'u'; RP_BEGIN and RP_FLUSH bracket the loop
 * of a vertex 'u' whose moves are queued. */
enum rp_kind { RP_REWEIGH, RP_FORCE, RP_DEFER, RP_BEGIN, RP_FLUSH };
struct rp_op {
    rg_vid_t u;
    rg_eid_t ed;
    uint32_t kind;
};
/* The deepest nesting of queued loops a recording may have. */
enum { RP_DEPTH_MAX = 32 };

enum { ENG_MLOG_N = 1024 };

/* One child of the select root's explore loop, as the loop left it (trav.c;
 * eng_replan.c re-walks them in a new out-edge order): its edge, the visits
 * it added, the code it left in eng.stale (STALE_UNSET: none), and what it
 * added to the request's total (-1: it failed). */
struct pfx_rec {
    rg_eid_t ed;
    uint32_t dpre, dpost;
    int stale;
    int64_t contrib;
};
/* eng.stale before a select: nothing set it (INT_MIN, no error code). */
#define STALE_UNSET (-2147483647 - 1)

/* What a reservation's update was a function of (eng_replan.c): the
 * select's marked edges as (edge id << 32 | needs << 1 | exclusive), in
 * marking order, and the rest of the update's inputs; and, recorded by the
 * update it describes (when 'ops_ok'), the re-weighs that update's walk
 * made and the count it returned: equal fingerprints walk alike, so a kept
 * reservation's update replays 'ops' instead of walking. */
/* What a selection was made for, besides its marked edges: the window, the
 * root's needs and exclusivity, the graph/settings generation and the
 * exclusive types (eng.xtypes) in force. */
struct replan_sel {
    int64_t at, duration;
    uint64_t rt_needs;
    int rt_excl;
    uint64_t gen;
    rg_sym_t xtypes[ENG_PRUNE_TYPES_MAX];
    unsigned nxtypes;
};

struct replan_fp {
    uint64_t *keys;
    size_t n, cap;
    struct replan_sel sel;
    struct rp_op *ops;
    size_t nops, capops;
    int nplans;
    unsigned depth; /* while recording: queued loops open */
    bool ops_ok;
    /* The select this reservation was made from, for repeating it without a
     * search (eng_replan.c, "a select known again"): 'm_ok' when it may be;
     * the request tree as bytes (req_key()); what it read beyond the
     * planners, as versions (eng.pos_ver, eng.sel_ver); the planner changes
     * since its update (eng.mlog serial); its visit counts, the value it
     * left in eng.stale (STALE_UNSET: none). */
    bool m_ok;
    bool m_forced; /* its selection took every child of every vertex it
                      explored whole: no out-edge order could change it */
    /* ... or every child below the root; then the root's loop as recorded
     * ('m_pfx', when 'm_pfx_ok'), re-walked in the new order, tells */
    bool m_pfx_ok;
    struct pfx_rec *m_pfx;
    size_t m_npfx, m_pfxcap;
    int m_stale_before, m_stale_after; /* stale set before / after that loop */
    char *m_key;
    size_t m_keylen, m_keycap;
    uint64_t m_posver, m_selver, m_serial;
    uint32_t m_pre, m_post;
    int m_stale;
};

struct eng_job {
    struct eng_job_info info;
    rg_vid_t *tv; /* the vertices the job tagged (NULL: unknown, walk the tree) */
    uint32_t ntv;
    struct replan_fp *fp; /* a reservation that may be re-planned in place */
    uint32_t *trec;       /* with 'fp': the job's record index of each tv[i] */
};

/* A reservation cancelled by eng_unreserve() whose spans are still planned
 * (eng_replan.c): 'rec[i]' is the index of the job's record of tv[i]. */
struct replan_pend {
    bool on;
    uint64_t jobid;
    rg_vid_t *tv;
    uint32_t ntv;
    uint32_t *rec;
    struct replan_fp *fp;
};

/* What planner_multi__last_at() answered for a vertex's aggregate, and the
 * times for which it holds: from the point at or before the time asked up
 * to the next point (the out-edge re-weighs read it at the current time, and
 * on a large system the planners they read are scattered in memory: a flat
 * array costs one cache miss where the planner costs four).  All zero, or
 * hi <= lo: nothing known. */
struct sub_now {
    int64_t lo, hi, avail;
    uint64_t nspans;
};

/* ---- the engine ---------------------------------------------------------- */

enum alloc_type { AT_ALLOC, AT_ALLOC_ORELSE_RESERVE, AT_SATISFIABILITY, AT_NO_ALLOC };

struct jobmeta {
    int64_t at, now;
    int64_t duration;
    uint64_t jobid;
    enum alloc_type alloc_type;
    const jobspec_constraint_t *constraint;
    const char *queue; /* NULL when unset */
    bool keep;         /* the update re-plans a kept reservation (eng_replan.c) */
    /* set by eng__replan_decide() (else NULL): the fingerprint of the
     * reservation the update plants, whose re-weighs it records, or with
     * 'keep' replays if recorded */
    struct replan_fp *rec;
};

/* Side table of a request tree: per resource index. */
struct jres {
    rg_sym_t type;                   /* RG_SYM_NONE when the graph has no such type */
    bool has_ud;                     /* Fluxion's user_data non-empty */
    int64_t ud[ENG_PRUNE_TYPES_MAX]; /* aggregate per prune index */
    /* set by trav__prime_jobspec for the simple traverser: */
    unsigned emax;                  /* the count's largest value */
    const jobspec_resource_t *slot; /* the last slot among the children, or NULL */
    bool once; /* on a list's first resource: no vertex type matches two of them */
    bool lx;   /* on a list's first resource: some resource is exclusive */
    bool llab; /* on a list's first resource: some resource has a label */
};

struct eng {
    /* options */
    struct match_policy pol;
    char *prune_spec;
    char *subsys_name;
    bool flexible;
    bool unwritten_resv;    /* !eng_set_write_reservations() */
    uint64_t order_version; /* eng_order_version(): out-edge weight changes */
    bool lazy_resv;         /* eng_set_lazy_reservations() */
    bool lazy_alloc;        /* eng_set_lazy_allocations() */
    /* eng_replan.c: eng_set_replan_in_place(); 'gen' changes whenever the
     * graph or a setting the update reads does; 'pend' the kept reservation;
     * during its job's next match, 'gh_rec' (else NULL) gives, per vertex,
     * the index + 1 of the record the select must not see (0 none) */
    bool replan;
    uint64_t gen;
    struct replan_pend pend;
    uint32_t *gh_rec, *gh_buf;
    size_t gh_cap;
    int64_t gh_at, gh_end;                /* the kept reservation's window */
    int64_t gh_root[ENG_PRUNE_TYPES_MAX]; /* the root's aggregate span, taken out */
    size_t gh_root_len;
    bool gh_root_out;
    struct replan_fp *fp_new; /* during a match: its selection's, for a reservation */
    uint64_t nkept;           /* reservations kept by a re-plan */
    uint64_t nreplay;         /* of them, updated by a replay (trav_update.c) */
    struct replan_fp **fp_pool;
    size_t nfp_pool, capfp_pool;
    /* a select known again (eng_replan.c): every planner of the engine tells
     * 'sink' its changes; each public operation's hull goes into the ring
     * 'mlog' ('mlog_n' entries ever); 'pos_ver' counts moves of out-edges
     * (positions, not weights), 'sel_ver' changes of status and properties;
     * during the kept reservation's next match, 'memo' is its fingerprint's
     * copy when its select is known again at time memo->at */
    struct plan_sink sink;
    struct mlog_ent {
        int64_t lo, hi;
    } mlog[ENG_MLOG_N];
    uint64_t mlog_n;
    uint64_t pos_ver, sel_ver;
    struct replan_fp *memo;
    bool memo_moved; /* ... although out-edges moved since (forced, or re-walked) */
    bool memo_used;  /* this match's reserve loop took it */
    int sel_stale;   /* what the last select left in 'stale' (STALE_UNSET: none) */
    bool sel_msg;    /* the last select added to the message */
    char *kbuf;      /* scratch of req_key(), 'kcap' bytes */
    size_t kcap;
    rg_vid_t *xpl; /* the vertices the last select explored (trav.c) */
    size_t nxpl, capxpl;
    bool xpl_oom; /* ... not all of them: out of memory */
    /* the last select's explored vertices ('xpl') and root loop (struct
     * pfx_rec; 'pfx_done': recorded whole, ended by enough), recorded when
     * 'pfx_on' (re-planning in place is) */
    bool pfx_on, pfx_noted, pfx_done, pfx_oom;
    rg_vid_t sel_root;
    struct pfx_rec *pfx;
    size_t npfx, cappfx;
    int pfx_stale_before, pfx_stale_end, pfx_stale_after;
    uint32_t *pfx_mark; /* per edge: pfx_stamp when recorded, in pfx_at */
    uint32_t *pfx_at;
    size_t pfx_markcap;
    uint32_t pfx_stamp;
    uint64_t nmemo;       /* selects known again */
    uint64_t nmemo_moved; /* ... of which with out-edges moved since */
    uint64_t nmemo_walk;  /* ... of which not forced: the root's loop re-walked */
    /* trav_lazy.c, per vertex, allocated on the first lazy allocation:
     * lhold_job: jobid + 1 of the live allocation holding it lazily (0 none);
     * lheld: live lazy allocations holding a vertex above it;
     * lamt: what the full walk below an allocation puts on its aggregate's
     * last resource at the current time (valid where lheld is, and for the
     * targets of every summary's re-weighs) */
    uint64_t *lhold_job;
    int32_t *lheld;
    int64_t *lamt;
    size_t nlazyv;
    uint32_t *lsum_ix; /* trav_lazy.c: per vertex, summary index + 1 */
    struct lazy_sum *lsum;
    size_t nlsum, caplsum;
    struct lazy_rw *lrw; /* the edges each summary re-weighs */
    size_t nlrw, caplrw;
    int64_t *lids; /* the core and gpu ids below each summary's vertex */
    size_t nlids, caplids;
    rg_sym_t dom; /* dominant subsystem symbol */
    /* auxiliary subsystems, in -S set order (trav_aux.c) */
    rg_sym_t aux[ENG_AUX_MAX];
    unsigned naux;
    bool aux_root_known; /* Fluxion looks the root up once (a static) */
    rg_vid_t aux_root;
    rg_vid_t *aux_path; /* vertices on the up-walk in progress */
    size_t naux_path, capaux_path;

    rg_graph_t *g;
    size_t vcap, ecap;
    /* per vertex */
    planner_t **plans;
    struct xset *xs; /* exclusivity checkers (Fluxion's x_checker) */
    planner_multi_t **subplan;
    const int32_t **sp_idx; /* subplan type i -> prune index (per vertex) */
    uint64_t *color;
    uint32_t *nalloc, *nresv, *ntag;
    uint64_t *label_seq;
    const char **label;
    rg_eid_t **oe; /* by_outedges: sorted out-edges */
    struct ctypes *ctypes;
    uint32_t *ndom; /* live out-edges in the dominant subsystem */
    uint32_t *noe;
    /* by_outedges, per vertex: two of its out-edges lead to vertices of one
     * uniq id, so two keys of its sorted out-edges may tie */
    uint8_t *oe_dup;
    /* trav__remove_listed(), per vertex it reached: the job's record there
     * (its index in e->vj.slot) */
    uint32_t *rmemo;
    /* per vertex: planner_multi__last_at() of its aggregate (see sub_now),
     * forgotten whenever the aggregate changes (eng__sub_changed()) */
    struct sub_now *subnow;
    /* per edge */
    uint64_t *e_needs, *e_seq, *e_weight;
    uint8_t *e_excl;
    /* root pseudo-edge (Fluxion's v_rt_edges[dom]) */
    uint64_t rt_needs, rt_seq;
    int rt_excl;

    /* Fluxion interned order of types */
    uint32_t *type_rank;
    size_t ntype_rank;

    struct prune_tab prune;
    /* subplan index tables, one per anchor type: owned here */
    int32_t **sp_tabs;
    rg_sym_t *sp_tab_type;
    size_t nsp_tabs;

    /* exclusive types (matcher's m_x_resource_types) */
    rg_sym_t xtypes[ENG_PRUNE_TYPES_MAX];
    unsigned nxtypes;

    struct vjob_tab vj;

    /* graph metadata */
    int64_t nodes_up;
    int64_t graph_end;
    rg_sym_t sym_node, sym_cluster, sym_slot, sym_storage_node, sym_xor_slot;
    /* flexible traverser: request copies made by xor_slot expansion */
    void **flex_blocks;
    size_t nflex_blocks, capflex_blocks;
    size_t njr; /* side-table entries in use (>= js->nresources_total) */

    /* traversal state */
    const struct rg_vertex *vx; /* rg_vertex_array(g), set as a walk starts */
    const struct rg_edge *ex;   /* rg_edge_array(g), likewise */
    uint64_t seq;               /* Fluxion's m_sequence_number */
    uint64_t color_base;        /* colors: base+1 gray, base+2 black */
    unsigned trav_level;        /* emit prefix depth */
    uint32_t preorder, postorder;
    uint32_t tot_pre, tot_post;
    struct scoring *sstack;
    size_t nsstack, capsstack;
    int64_t ml_scores; /* multilevel policy running factor sum */
    struct jres *jr;
    size_t capjr;
    const jobspec_t *js;
    /* the resource types of the request being matched (trav__prime_jobspec):
     * only their evals keep groups and edges (trav_score.c) */
    rg_sym_t req_types[ENG_REQ_TYPES_MAX];
    unsigned nreq_types;
    bool req_types_ok; /* the list is complete (false: keep every type) */
    int64_t *agg_buf;
    /* trav.c: the subplan test of resource 'sub_res' passed on vertex
     * 'sub_u' in this walk's window (not repeated by prune()) */
    rg_vid_t sub_u;
    const jobspec_resource_t *sub_res;
    rg_eid_t *marked; /* edges marked in this sequence (any order) */
    size_t nmarked, capmarked;
    bool marked_oom;         /* the list is incomplete: scan out-edges instead */
    struct oe_move *oe_pend; /* trav_update.c: out-edge moves not done yet */
    size_t noe_pend, capoe_pend;
    uint64_t *mkeys; /* the update's sorted marked edges, and merge scratch */
    size_t capmkeys;
    rg_vid_t *cur_tv;  /* vertices tagged by the update in progress */
    uint32_t *cur_tvr; /* and the index of the job's record of each */
    size_t ncur_tv, capcur_tv;
    bool cur_tv_oom;
    int after_next; /* planner error of the reserve loop's extra step */
    int stale;      /* Fluxion's errno as last set during this match */
    char *msg;      /* Fluxion's m_err_msg: grows without limit, NULL until used */
    size_t msg_len, msg_cap;

    /* jobs */
    struct eng_job *jobs;
    size_t njobs, capjobs;
    size_t jobs_done; /* jobs cancelled and forgotten (eng__job_drop), for stats */
    int64_t now;

    /* stats */
    double load_s, mmin, mmax, macc;
    uint64_t nmatch;
};

/* planner_multi__last_at() of the aggregate of 'v' (e->subplan[v], not
 * NULL) at time 'at', through e->subnow. */
size_t eng__sub_last_at_fill(eng_t *e, rg_vid_t v, int64_t at, int64_t *avail,
                             size_t *nspans);
static inline size_t eng__sub_last_at(eng_t *e, rg_vid_t v, int64_t at, int64_t *avail,
                                      size_t *nspans)
{
    const struct sub_now *c = &e->subnow[v];
    if (at >= c->lo && at < c->hi) {
        *avail = c->avail;
        *nspans = c->nspans;
        return 1;
    }
    return eng__sub_last_at_fill(e, v, at, avail, nspans);
}

/* The aggregate of 'v' changed (a span added or removed, totals updated). */
static inline void eng__sub_changed(eng_t *e, rg_vid_t v)
{
    e->subnow[v].hi = INT64_MIN;
}

/* Release the request copies of the flexible traverser. */
void eng__flex_free(eng_t *e);

/* ---- re-planning a reservation in place (eng_replan.c) ------------------- */

/* Put the planner changes told to e->sink since the last call into the
 * ring e->mlog (one entry, their hull). */
void eng__mlog_harvest(eng_t *e);
/* The select of the kept reservation's match at 'at' is known again (the
 * reserve loop then takes eng.memo's selection instead of searching):
 * stand in for it.  eng__replan_arm() decides. */
static inline bool eng__memo_at(const eng_t *e, int64_t at, int64_t duration)
{
    return e->memo && e->memo->sel.at == at && e->memo->sel.duration == duration;
}
void eng__memo_take(eng_t *e);
/* Whether the last (successful) select took, at every vertex it explored,
 * every child of the dominant subsystem whole: then the order it visited
 * them in changed nothing it chose, counted or left in eng.stale. */
bool trav__select_forced(const eng_t *e);
/* ... at every vertex but the root (the root's loop is in eng.pfx). */
bool trav__select_forced_below(const eng_t *e);
/* Whether the last select marked edge 'ed' with its target's whole size. */
bool trav__taken_whole(const eng_t *e, rg_eid_t ed);

/* Cancel the kept reservation for real, if there is one: every public
 * call but its job's own match does this first.  0 or an error. */
int eng__settle(eng_t *e);
/* eng__settle() for a public call, its error reported through 'err'. */
int eng__settle_err(eng_t *e, eng_error_t *err);
/* eng_match() of job 'jobid' with 'op': when the kept reservation is this
 * job's and the op may reserve, hide it from the select; else settle. */
int eng__replan_arm(eng_t *e, enum eng_match_op op, uint64_t jobid, const jobspec_t *js,
                    const rwrite_t *w);
/* After the select, before the update of 'm': note the selection for a
 * reservation, and decide whether the kept reservation is exactly what the
 * update would plant (then m->keep) or must be cancelled first. */
int eng__replan_decide(eng_t *e, struct jobmeta *m, const rwrite_t *w);
/* After the match: undo what eng__replan_arm() left (a failed match). */
int eng__replan_disarm(eng_t *e);
/* After a successful match that made job 'j' ('m'): give it its
 * fingerprint (and, kept, the vertices it tagged before). */
void eng__replan_done(eng_t *e, struct eng_job *j, const struct jobmeta *m);
void eng__replan_free(eng_t *e);
void eng__fp_release(eng_t *e, struct replan_fp *fp);

/* Record re-weigh site 'kind' of edge 'ed' of 'u' for the update of 'm',
 * if it records (out of memory, or nested too deep: the recording is
 * dropped). */
void eng__rp_push_slow(struct replan_fp *fp, enum rp_kind kind, rg_vid_t u, rg_eid_t ed);
static inline void eng__rp_push(const struct jobmeta *m, enum rp_kind kind, rg_vid_t u,
                                rg_eid_t ed)
{
    struct replan_fp *fp = m->rec;
    if (!fp || !fp->ops_ok)
        return;
    if (fp->nops < fp->capops && kind != RP_BEGIN && kind != RP_FLUSH)
        fp->ops[fp->nops++] = (struct rp_op){u, ed, kind};
    else
        eng__rp_push_slow(fp, kind, u, ed);
}

/* The select's view of a kept reservation's vertex: its record, or NULL. */
static inline const struct vjob *eng__ghost(const eng_t *e, rg_vid_t v)
{
    return e->gh_rec && e->gh_rec[v] ? &e->vj.slot[e->gh_rec[v] - 1] : NULL;
}
/* eng__ghost() where the window [at, at + d) meets the kept reservation's. */
static inline const struct vjob *eng__ghost_during(const eng_t *e, rg_vid_t v, int64_t at,
                                                   int64_t d)
{
    int64_t end = at > 0 && d > INT64_MAX - at ? INT64_MAX : at + d;
    return at < e->gh_end && e->gh_at < end ? eng__ghost(e, v) : NULL;
}
/* The select's answer for a vertex whose kept record 'r' (from
 * eng__ghost_during() for the same window) has VJ_RESV: the planner's
 * planner_avail_resources_during() ('avail') without the record's span.
 * (The aggregate's and the exclusivity set's are asked at their callers in
 * trav.c, with planner_multi__avail_during_ix_without() and eng__x_busy()'s
 * 'skip'.) */
int64_t eng__ghost_plan_without(const eng_t *e, rg_vid_t v, const struct vjob *r,
                                int64_t at, int64_t d, int64_t avail);
/* planner_avail_resources_during() of the planner of 'v' ('avail') as the
 * select sees it. */
static inline int64_t eng__ghost_plan_avail(const eng_t *e, rg_vid_t v, int64_t at,
                                            int64_t d, int64_t avail)
{
    const struct vjob *r = eng__ghost_during(e, v, at, d);
    return r && (r->flags & VJ_RESV) ? eng__ghost_plan_without(e, v, r, at, d, avail)
                                     : avail;
}

/* Messages (Fluxion's m_err_msg).  The buffer grows as needed; if it cannot,
 * the text that fits in the current buffer is kept. */
void eng__msg_clear(eng_t *e);
void eng__msg_add(eng_t *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Fluxion's interned order of 'type'. */
uint32_t eng__type_rank(eng_t *e, rg_sym_t type);
/* Grow per-vertex/edge arrays to the graph's bounds.  0 or ENG_ENOMEM. */
int eng__grow(eng_t *e);

/* exclusivity checker */
int64_t eng__x_add(eng_t *e, rg_vid_t v, int64_t at, int64_t dur, uint64_t jobid);
void eng__x_remove(eng_t *e, rg_vid_t v, int64_t idx);
/* Whether an entry of the exclusivity set of 'v' other than entry 'skip' (a
 * kept reservation's hidden from the select, or -1) overlaps [at, at + dur). */
bool eng__x_busy(const eng_t *e, rg_vid_t v, int64_t at, int64_t dur, int64_t skip);

/* The planner of vertex 'v', created on first use (its changes told to
 * e->sink); NULL when out of memory. */
planner_t *eng__plan_new(eng_t *e, rg_vid_t v);
static inline planner_t *eng__plan_get(eng_t *e, rg_vid_t v)
{
    return e->plans[v] ? e->plans[v] : eng__plan_new(e, v);
}

/* Tell e->sink that [lo, hi) changed outside the planners (an exclusivity
 * entry), as a planner tells it its own changes. */
static inline void eng__sink_note(eng_t *e, int64_t lo, int64_t hi)
{
    plan_sink_note(&e->sink, lo, hi);
}

/* eng__x_add() when the vertex's set has room, inline (the call cost as
 * much as the work). */
static inline int64_t eng__x_add_inl(eng_t *e, rg_vid_t v, int64_t at, int64_t dur,
                                     uint64_t jobid)
{
    struct xset *x = &e->xs[v];
    if (x->n == x->cap)
        return eng__x_add(e, v, at, dur, jobid);
    x->iv[x->n] = (struct xiv){at, at + dur, jobid};
    eng__sink_note(e, at, at + dur);
    return x->n++;
}

/* eng__x_remove(), inline when 'idx' is the last entry (nothing moves). */
static inline void eng__x_remove_inl(eng_t *e, rg_vid_t v, int64_t idx)
{
    struct xset *x = &e->xs[v];
    if (idx >= 0 && idx == (int64_t)x->n - 1) {
        eng__sink_note(e, x->iv[idx].start, x->iv[idx].end);
        x->n--;
    } else {
        eng__x_remove(e, v, idx);
    }
}

/* vjob table */
struct vjob *eng__vj_get(const eng_t *e, rg_vid_t v, uint64_t jobid);
struct vjob *eng__vj_put(eng_t *e, rg_vid_t v, uint64_t jobid); /* NULL: ENOMEM */
void eng__vj_drop_if_empty(eng_t *e, struct vjob *r);
/* Fluxion's mod_plan: a cancel releases the job's allocation on the vertex if
 * there is one, else its reservation (a reused id may hold both).  Clears
 * that flag, adjusts the vertex's counts and returns the span to remove from
 * the vertex's planner.  'r' must have VJ_ALLOC or VJ_RESV. */
int64_t eng__vj_drop_span(eng_t *e, struct vjob *r);

/* exclusive types */
bool eng__xtype_has(const eng_t *e, rg_sym_t t);
void eng__xtype_add(eng_t *e, rg_sym_t t);

/* jobs */
struct eng_job *eng__job_find(const eng_t *e, uint64_t jobid);
int eng__job_put(eng_t *e, const struct eng_job_info *info);
/* Forget job 'j' (fully cancelled): its record is removed so that a
 * long-lived engine's memory does not grow with every job it ever saw. */
void eng__job_drop(eng_t *e, struct eng_job *j);
/* Give job 'jobid' the list of vertices the last update tagged. */
void eng__job_take_tagged(eng_t *e, uint64_t jobid);
/* Add the vertices the last update newly tagged to those of job 'j' (a
 * reused id); when that fails the list is dropped (cancel walks the tree). */
void eng__job_merge_tagged(eng_t *e, struct eng_job *j);

/* prune.c */
int prune__spec_parse(eng_t *e, const char *spec, eng_error_t *err);
bool prune__is_type(const eng_t *e, rg_sym_t t);
int prune__index(const eng_t *e, rg_sym_t t); /* -1 if not a pruning type */
int prune__prime(eng_t *e, eng_error_t *err);
/* Fill e->agg_buf from 'counts' (per prune index) for the subplan of 'v';
 * returns its length. */
size_t prune__relevant(eng_t *e, rg_vid_t v, const int64_t *counts);

/* trav_score.c */
struct scoring *score__push(eng_t *e);
void score__pop(eng_t *e);
struct evals *score__evals(eng_t *e, struct scoring *s, rg_sym_t type);
struct evals *score__find(struct scoring *s, rg_sym_t type);
int score__add(eng_t *e, struct scoring *s, rg_sym_t type, const struct egroup *eg,
               const struct eval_edge *edges, uint32_t ned);
int score__merge(eng_t *e, struct scoring *dst, const struct scoring *src);
/* score__merge() for a 'src' that is not read again (it may be left empty):
 * an empty 'dst' takes the arrays of 'src' instead of a copy. */
int score__take(eng_t *e, struct scoring *dst, struct scoring *src);
uint32_t score__qual(struct scoring *s, rg_sym_t type);
uint32_t score__total(struct scoring *s, rg_sym_t type);
/* comparator kinds for choose_best_k */
enum score_cmp { CMP_GREATER, CMP_LESS, CMP_IV_GREATER };
int score__choose_best_k(struct evals *ev, uint32_t k, enum score_cmp cmp);
void score__choose_accum_best_k(struct scoring *s, struct evals *ev, uint32_t k,
                                enum score_cmp cmp);
void score__choose_accum_all(struct scoring *s, struct evals *ev, enum score_cmp cmp);
void score__sort(struct egroup *a, size_t n, enum score_cmp cmp);
/* score__sort() without its shortcuts: libstdc++'s std::sort emulated step
 * for step whatever the keys (the reference the shortcuts are tested
 * against). */
void score__sort_std(struct egroup *a, size_t n, enum score_cmp cmp);

/* match_policy.c: hooks */
unsigned match__calc_count(const struct jobspec_count *c, unsigned qc);
unsigned match__effective_max(const struct jobspec_count *c);
int match__dom_finish_graph(eng_t *e, const jobspec_resource_t *rs, size_t n,
                            struct scoring *dfu);
int match__dom_finish_slot(eng_t *e, struct scoring *dfu);
int match__dom_discover_vtx(eng_t *e, rg_vid_t u);
int match__dom_finish_vtx(eng_t *e, rg_vid_t u, const jobspec_resource_t *rs, size_t n,
                          struct scoring *dfu);

/* trav.c */
void trav__tick(eng_t *e);
int trav__select(eng_t *e, const jobspec_resource_t *rs, size_t n, rg_vid_t root,
                 struct jobmeta *meta, bool excl);
bool trav__exclusivity(eng_t *e, const jobspec_resource_t *rs, size_t n, rg_vid_t u);
/* Add 'c' units of pruning-filter type 't' into 'acc' (the first addition for
 * a type sets it; '*mask' records which types were set); a type the filters do
 * not track is ignored.  Shared by the simple and flexible request priming. */
void trav__accum_if(const eng_t *e, rg_sym_t t, int64_t c, int64_t *acc, uint32_t *mask);
void trav__prime_jobspec(eng_t *e, const jobspec_resource_t *rs, size_t n,
                         int64_t *to_parent);
bool trav__in_dom(const eng_t *e, rg_eid_t ed);
void trav__mark_edge(eng_t *e, rg_eid_t ed, uint64_t needs, int x);

int trav__select_simple(eng_t *e, const jobspec_resource_t *rs, size_t n, rg_vid_t root,
                        struct jobmeta *meta, bool excl);
int trav__by_excl(eng_t *e, const struct jobmeta *m, rg_vid_t u, bool x_in,
                  const jobspec_resource_t *r);
int trav__by_subplan(eng_t *e, const struct jobmeta *m, rg_vid_t u,
                     const jobspec_resource_t *r);
bool trav__slot_match(eng_t *e, rg_vid_t u, const jobspec_resource_t *slot);
struct egroup *trav__iter_next(struct evals *ev);
int trav__explore(eng_t *e, const struct jobmeta *m, rg_vid_t u,
                  const jobspec_resource_t *rs, size_t n, bool pristine, bool *excl,
                  struct scoring *dfu, unsigned mult);

/* trav_flex.c: Fluxion's flexible traverser (or-slots and xor_slot) */
int trav__flex_test(eng_t *e, rg_vid_t u, const jobspec_resource_t *rs, size_t n,
                    bool *pristine, unsigned *nslots, const jobspec_resource_t **next,
                    size_t *nnext);
int trav__flex_prune_resources(eng_t *e, const struct jobmeta *m, bool x, rg_vid_t u,
                               const jobspec_resource_t *rs, size_t n);
int trav__flex_dom_slot(eng_t *e, const struct jobmeta *m, rg_vid_t u,
                        const jobspec_resource_t *slots, size_t n, unsigned nslots,
                        bool pristine, struct scoring *dfu);
void trav__flex_prime(eng_t *e, const jobspec_resource_t *rs, size_t n,
                      int64_t *to_parent);
int trav__flex_select(eng_t *e, const jobspec_resource_t *rs, size_t n, rg_vid_t root,
                      struct jobmeta *meta, bool excl);

/* trav_aux.c: auxiliary subsystems (see there) */
/* Intern the comma-separated subsystem 'names' as e->aux; ENG_ENOTSUP when
 * one has no root in the graph. */
int trav__aux_bind(eng_t *e, const char *names, eng_error_t *err);
/* The up-walks of dominant vertex 'u' into each auxiliary subsystem, for
 * request list 'rs' with exclusivity 'x', adding entries to 'dfu'.  0 or
 * ENG_ENOMEM. */
int trav__aux_explore(eng_t *e, const struct jobmeta *m, rg_vid_t u,
                      const jobspec_resource_t *rs, size_t n, bool x,
                      struct scoring *dfu);
int trav__aux_merge(struct scoring *dst, const struct scoring *src);
/* has_remaining over the auxiliary entries: none has a zero qualified count. */
bool trav__aux_qualified(const struct scoring *s);
const char *trav__errtext(int code);

bool eng__constraint_match(const eng_t *e, const jobspec_constraint_t *c, rg_vid_t v);

/* trav_update.c */
/* The counts ('c', 'mask') and number of plans the update's shadow walk
 * below wholly reserved 'u' would pass up, with its out-edge re-weighs done
 * (trav_lazy.c). */
int trav__lazy_hold(eng_t *e, const struct jobmeta *m, rg_vid_t u, int64_t *c,
                    uint32_t *mask);
/* Whether an allocation (at the current time) may hold 'u' lazily: 'u' has
 * a summary (its subtree is a tree) and the per-vertex state exists. */
bool trav__lazy_alloc_ok(eng_t *e, rg_vid_t u);
/* trav__lazy_hold() for an allocation of 'u' by job m->jobid: also writes
 * the subtree to 'w' (the full walk's emits) and marks it held now. */
int trav__lazy_hold_alloc(eng_t *e, const struct jobmeta *m, rg_vid_t u, rwrite_t *w,
                          int64_t *c, uint32_t *mask, eng_error_t *err);
/* Job 'jobid' releases 'u': if it held 'u' lazily, unmark its subtree. */
void eng__lazy_release(eng_t *e, rg_vid_t u, uint64_t jobid);
/* What a live lazy allocation holding 'v' from above would have planned on
 * v's aggregate's last resource at the current time (0 when none holds
 * 'v'); '*held' says whether one does. */
static inline int64_t eng__lazy_now(const eng_t *e, rg_vid_t v, bool *held)
{
    *held = e->lheld && v < e->nlazyv && e->lheld[v] > 0;
    return *held ? e->lamt[v] : 0;
}
/* Forget the summaries (the graph changed). */
void eng__lazy_reset(eng_t *e);
/* Move edge 'ed' of 'u' to its place for out-edge weight 'wt'. */
void trav__oe_reweight(eng_t *e, rg_vid_t u, rg_eid_t ed, uint64_t wt);
int trav__update(eng_t *e, rg_vid_t root, rwrite_t *w, const struct jobmeta *meta,
                 bool full, eng_error_t *err);
int trav__remove(eng_t *e, rg_vid_t root, uint64_t jobid);
/* Release job 'jobid' on tv[i] through its record rec[i], i < ntv:
 * trav__remove_listed() for a job whose every tagged vertex the walk
 * reaches, with its records known. */
int trav__remove_recs(eng_t *e, uint64_t jobid, const rg_vid_t *tv, const uint32_t *rec,
                      uint32_t ntv);
int trav__remove_listed(eng_t *e, rg_vid_t root, uint64_t jobid, const rg_vid_t *tv,
                        uint32_t ntv);
int trav__emit_vertex(eng_t *e, rwrite_t *w, rg_vid_t u, unsigned needs, bool excl,
                      bool excl_parent, const struct rwrite_kv *ag, size_t nag,
                      eng_error_t *err);
int trav__emit_edge(eng_t *e, rwrite_t *w, rg_eid_t ed, bool excl_parent,
                    eng_error_t *err);

#endif /* ENG_PRIVATE_H */
