/* rg.h: the in-memory resource graph (RFC 4 resource model, Fluxion's JGF
 * vertex and edge attributes).
 *
 * This is the structure the matching engine walks millions of times, so it
 * is laid out for reads:
 *
 * - Vertices are addressed by a dense index rg_vid_t.  Vertex ids are
 *   0, 1, 2, ... in creation order and are NEVER reused or renumbered, even
 *   when a vertex is removed (removal only sets RG_VF_REMOVED).  Callers may
 *   therefore keep parallel arrays (planner state, scratch marks) indexed by
 *   rg_vid_t, sized rg_graph_vid_bound(); after a mutation that added
 *   vertices (rg_vertex_add, rg_graph_attach) the bound grows and those
 *   arrays must grow with it.  Edges use a dense rg_eid_t the same way.
 * - Strings (types, basenames, names, units, subsystems, relations,
 *   property keys and values) are interned once per graph as rg_sym_t, so
 *   comparing two types is an integer compare.  rg_sym_str() returns a
 *   pointer that stays valid until the graph is destroyed.
 * - rg_vertex_get()/rg_edge_get() return a pointer to the stored record:
 *   O(1), no copy.  The public fields are read-only for callers; change them
 *   only through the rg_* setters.  The pointer stays valid until the next
 *   call that adds vertices (resp. edges) to 'g', or until 'g' is destroyed.
 *
 * Out-edges of a vertex are kept IN INSERTION ORDER (a linked list threaded
 * through the edge array), because Fluxion's DFU traversal visits children
 * in the order their edges were added to the graph, and match results depend
 * on it.  In-edges are kept in insertion order as well.
 *
 * Paths (one per subsystem a vertex belongs to) are stored compactly: a
 * containment path equal to "<parent's path>/<name>" is derived on demand
 * (no storage); any other path is stored as a string.  Hence
 * rg_vertex_path() costs O(depth).
 *
 * Thread-safety: distinct graphs may be used from distinct threads.  A graph
 * that nobody modifies may be read from several threads at once: no function
 * taking 'const rg_graph_t *' changes hidden state.
 *
 * Internal module of the engine (not part of the stable ABI). */
#ifndef ENG_RG_H
#define ENG_RG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eng_error.h"

typedef uint32_t rg_vid_t;     /* dense vertex index */
typedef uint32_t rg_eid_t;     /* dense edge index */
typedef uint32_t rg_sym_t;     /* interned string */
typedef uint32_t rg_prop_it_t; /* property iterator; RG_PROP_END ends */

typedef struct rg_graph rg_graph_t;

enum rg_none {
    RG_VID_NONE = UINT32_MAX,
    RG_EID_NONE = UINT32_MAX,
    RG_SYM_NONE = UINT32_MAX,
    RG_PROP_END = 0,
};

/* Symbols interned by rg_graph_create() in every graph, with fixed values so
 * hot paths can compare against constants. */
enum rg_sym_builtin {
    RG_SYM_EMPTY = 0,       /* "" (the default unit) */
    RG_SYM_CONTAINMENT = 1, /* "containment": the default subsystem */
    RG_SYM_CONTAINS = 2,    /* "contains": parent -> child relation */
    RG_SYM_IN = 3,          /* "in": child -> parent relation */
};

/* Stated limits.  Loading or building past them fails with ENG_ELIMIT. */
enum rg_limit {
    RG_VERTEX_MAX = 100000000, /* vertices per graph (removed ones count) */
    RG_EDGE_MAX = 400000000,   /* edges per graph */
    RG_DEPTH_MAX = 128,        /* containment depth (root has depth 0) */
    RG_PATH_MAX = 4096,        /* bytes in a path, including the NUL */
    RG_SYM_LEN_MAX = 1024,     /* bytes in one interned string */
};

enum rg_status { RG_STATUS_UP = 0, RG_STATUS_DOWN = 1 };

/* Bits of rg_vertex.flags. */
enum rg_vertex_flag {
    RG_VF_EXCLUSIVE = 1u << 0, /* JGF "exclusive": true */
    RG_VF_DOWN = 1u << 1,      /* status down */
    RG_VF_REMOVED = 1u << 2,   /* removed: skipped by every iteration/lookup */
};

/* A vertex as stored.  Read-only for callers (see the file comment). */
struct rg_vertex {
    int64_t id;      /* JGF "id" (e.g. 3 for core3) */
    int64_t uniq_id; /* JGF "uniq_id" */
    int64_t rank;    /* execution target; -1 = none */
    int64_t size;    /* amount (>= 1); e.g. MiB of a memory vertex */
    rg_sym_t type;
    rg_sym_t basename;
    rg_sym_t name;
    rg_sym_t unit;   /* RG_SYM_EMPTY when none */
    rg_vid_t parent; /* containment parent (first "contains" in-edge of the
                      * containment subsystem), RG_VID_NONE for a root */
    uint32_t flags;  /* enum rg_vertex_flag bits */
    /* Adjacency lists (RG_EID_NONE = empty), in insertion order.  Hot loops
     * may walk out_head / rg_edge.next_out (and in_head / next_in) directly
     * instead of calling rg_out_first/next; they must then skip edges of
     * other subsystems and removed endpoints themselves. */
    rg_eid_t out_head, in_head;
    /* The rest is private to rg.c: do not use. */
    rg_eid_t out_tail, in_tail;
    uint32_t props;  /* first property record, 0 = none */
    uint32_t xpaths; /* first stored path record, 0 = none */
    rg_vid_t next_type, next_rank;
};

/* An edge as stored.  Read-only for callers. */
struct rg_edge {
    rg_vid_t src, dst;
    rg_sym_t subsystem;         /* RG_SYM_CONTAINMENT by default */
    rg_sym_t relation;          /* RG_SYM_CONTAINS or RG_SYM_IN for containment edges */
    rg_eid_t next_out, next_in; /* next edge of src's out-list / dst's in-list */
};

/* Attributes of a new vertex, all strings already interned in the target
 * graph.  rg_vertex_init_default() fills Fluxion's defaults. */
struct rg_vertex_init {
    rg_sym_t type;         /* required */
    rg_sym_t basename;     /* RG_SYM_NONE: same as type */
    rg_sym_t name;         /* RG_SYM_NONE: basename followed by id, e.g. "core3" */
    rg_sym_t unit;         /* RG_SYM_EMPTY by default */
    int64_t id;            /* default 0 */
    int64_t uniq_id;       /* default 0 */
    int64_t rank;          /* default -1 */
    int64_t size;          /* default 1; must be >= 1 */
    bool exclusive;        /* default false */
    enum rg_status status; /* default up */
};

/* ---- graph ---------------------------------------------------------------- */

/* New empty graph with the builtin symbols interned.  Release with
 * rg_graph_destroy().  NULL when out of memory. */
rg_graph_t *rg_graph_create(void);

/* Release 'g' and everything it owns.  NULL is a no-op. */
void rg_graph_destroy(rg_graph_t *g);

/* Make room for 'nvertices' more vertices and 'nedges' more edges so that
 * adding them allocates no more vertex/edge storage.  0 or ENG_ENOMEM. */
int rg_graph_reserve(rg_graph_t *g, size_t nvertices, size_t nedges);

/* Release spare capacity, and stop storing containment paths that the
 * edges have made derivable ("<parent's path>/<name>"): readers call it
 * after a load.  O(V).  Never fails (on allocation failure less memory is
 * released). */
void rg_graph_compact(rg_graph_t *g);

/* One past the largest vertex id ever created (removed ones included): the
 * size of caller-side arrays indexed by rg_vid_t.  O(1). */
size_t rg_graph_vid_bound(const rg_graph_t *g);

/* One past the largest edge id ever created.  O(1). */
size_t rg_graph_eid_bound(const rg_graph_t *g);

/* Vertices not removed.  O(1). */
size_t rg_graph_vertex_count(const rg_graph_t *g);

/* Edges whose two endpoints are not removed.  O(E). */
size_t rg_graph_edge_count(const rg_graph_t *g);

/* Live vertices of type 'type' (RG_SYM_NONE or unknown: 0).  O(1). */
size_t rg_graph_type_count(const rg_graph_t *g, rg_sym_t type);

/* Live edges of 'subsystem'.  O(E). */
size_t rg_graph_subsystem_edge_count(const rg_graph_t *g, rg_sym_t subsystem);

/* Live vertices that have a path in 'subsystem'.  O(V). */
size_t rg_graph_subsystem_vertex_count(const rg_graph_t *g, rg_sym_t subsystem);

/* Subsystems used by any path or edge, in order of first use (containment is
 * always first, even in an empty graph).  Stores up to 'max' of them in
 * 'out' and returns how many exist.  O(number of subsystems). */
size_t rg_graph_subsystems(const rg_graph_t *g, rg_sym_t *out, size_t max);

/* Root of 'subsystem' (the vertex whose path there is "/<name>"), or
 * RG_VID_NONE (none, or the root was removed).  O(number of subsystems). */
rg_vid_t rg_graph_root(const rg_graph_t *g, rg_sym_t subsystem);

/* Largest containment depth of a live vertex (a root has depth 0), or -1 for
 * an empty graph.  O(V). */
int rg_graph_depth(const rg_graph_t *g);

/* Bytes of heap memory the graph holds (capacity, not just what is used):
 * the figure behind "bytes per vertex" in the benchmark.  O(1). */
size_t rg_graph_memory(const rg_graph_t *g);

/* Check that the "contains" edges of 'subsystem' form no cycle and that no
 * vertex is deeper than RG_DEPTH_MAX.  Returns 0, or ENG_EPARSE (cycle) /
 * ENG_ELIMIT (depth) with a vertex on the cycle / the too-deep vertex in
 * '*where' (may be NULL).  O(V + E), allocates O(V) scratch (ENG_ENOMEM). */
int rg_graph_check_tree(const rg_graph_t *g, rg_sym_t subsystem, rg_vid_t *where);

/* Compare everything the graph holds (vertex attributes in vid order,
 * properties, paths per subsystem, edges in order with subsystem and
 * relation, status, removal).  Symbols are compared as strings, so two
 * graphs built separately compare equal.  Returns true when equal; otherwise
 * false and a one-line description of the first difference in 'why' (may be
 * NULL) of 'size' bytes.  O(V + E). */
bool rg_graph_equal(const rg_graph_t *a, const rg_graph_t *b, char *why, size_t size);

/* ---- symbols -------------------------------------------------------------- */

/* Intern the 'len' bytes at 's' (need not be NUL-terminated; no NUL inside)
 * and return the symbol, or RG_SYM_NONE when out of memory or 'len' >=
 * RG_SYM_LEN_MAX.  Equal strings give equal symbols.  Amortised O(len). */
rg_sym_t rg_sym_intern_n(rg_graph_t *g, const char *s, size_t len);

/* rg_sym_intern_n(g, s, strlen(s)). */
rg_sym_t rg_sym_intern(rg_graph_t *g, const char *s);

/* The symbol of 's' if already interned, else RG_SYM_NONE.  Never inserts,
 * so it works on a const graph.  O(strlen(s)). */
rg_sym_t rg_sym_find(const rg_graph_t *g, const char *s);

/* Text of 'sym' (borrowed, valid until 'g' is destroyed), or NULL for
 * RG_SYM_NONE / an unknown symbol.  O(1). */
const char *rg_sym_str(const rg_graph_t *g, rg_sym_t sym);

/* Number of interned symbols (they are 0 .. count-1).  O(1). */
size_t rg_sym_count(const rg_graph_t *g);

/* ---- vertices ------------------------------------------------------------- */

/* Fill 'init' with Fluxion's defaults (type RG_SYM_NONE, basename and name
 * RG_SYM_NONE = derived, unit "", id 0, uniq_id 0, rank -1, size 1, not
 * exclusive, up). */
void rg_vertex_init_default(struct rg_vertex_init *init);

/* Add a vertex with no edges and no paths.  Returns its id (always the
 * previous rg_graph_vid_bound()), or RG_VID_NONE with 'err' set: ENG_EINVAL
 * (bad symbol, size < 1), ENG_ELIMIT (RG_VERTEX_MAX), ENG_ENOMEM.  A NULL
 * name is derived as basename + id and interned here. */
rg_vid_t rg_vertex_add(rg_graph_t *g, const struct rg_vertex_init *init,
                       eng_error_t *err);

/* The stored record of 'v' (see the file comment for validity), or NULL when
 * 'v' is out of range.  Removed vertices are returned too (check flags). */
const struct rg_vertex *rg_vertex_get(const rg_graph_t *g, rg_vid_t v);

/* Every stored vertex record as one array indexed by rg_vid_t, valid for
 * indices below rg_graph_vid_bound(g) (removed vertices included: check
 * flags) and for as long as rg_vertex_get()'s pointers.  For loops that
 * would otherwise call rg_vertex_get() at each step (the traversal reads a
 * vertex several times per visit).  NULL for a graph without vertices. */
const struct rg_vertex *rg_vertex_array(const rg_graph_t *g);

/* True when 'v' exists and is not removed. */
bool rg_vertex_is_live(const rg_graph_t *g, rg_vid_t v);

/* Set the status of 'v'.  0, or ENG_EINVAL for a bad vertex. */
int rg_vertex_status_set(rg_graph_t *g, rg_vid_t v, enum rg_status status);

/* Status of 'v' (RG_STATUS_DOWN for a bad vertex). */
enum rg_status rg_vertex_status(const rg_graph_t *g, rg_vid_t v);

/* Set the path of 'v' in 'subsystem'.  A vertex has at most one path per
 * subsystem: ENG_EEXIST when it already has one.  A path of the form
 * "/<name>" makes 'v' the root of 'subsystem'; ENG_EEXIST when the
 * subsystem already has a live root.  ENG_EINVAL for a path that does not
 * start with '/', ENG_ELIMIT for one of RG_PATH_MAX bytes or more.
 * Storage: a containment path equal to "<parent's path>/<name>" costs
 * nothing, so add the containment edge first and set paths in parent-first
 * order (readers do); anything else is stored as a string.  O(depth). */
int rg_vertex_path_set(rg_graph_t *g, rg_vid_t v, rg_sym_t subsystem, const char *path,
                       eng_error_t *err);

/* Write the path of 'v' in 'subsystem' into 'buf' of 'size' bytes.  Returns
 * its length, ENG_ENOENT when 'v' has no path there (or is bad), ENG_ELIMIT
 * when 'size' is too small ('buf' then holds "" if size > 0).  O(depth). */
int rg_vertex_path(const rg_graph_t *g, rg_vid_t v, rg_sym_t subsystem, char *buf,
                   size_t size);

/* True when 'v' has a path in 'subsystem'.  O(depth). */
bool rg_vertex_has_path(const rg_graph_t *g, rg_vid_t v, rg_sym_t subsystem);

/* Subsystems in which 'v' has a path, in the order the graph first named
 * each subsystem, containment first (Fluxion's map keyed by interned
 * subsystem ids, and the order the JGF writer emits).  Stores up
 * to 'max' in 'out'; returns how many there are. */
size_t rg_vertex_path_subsystems(const rg_graph_t *g, rg_vid_t v, rg_sym_t *out,
                                 size_t max);

/* Find the first live vertex (lowest vid) whose path in 'subsystem' is
 * 'path'.  RG_VID_NONE if there is none.  Expected O(depth). */
rg_vid_t rg_vertex_find_path(const rg_graph_t *g, rg_sym_t subsystem, const char *path);

/* As rg_vertex_find_path, but the vertex must also have rank 'rank' (the
 * identity Fluxion's attach uses to decide whether a vertex exists). */
rg_vid_t rg_vertex_find_path_rank(const rg_graph_t *g, rg_sym_t subsystem,
                                  const char *path, int64_t rank);

/* Iterate live vertices of type 'type' in vid order:
 * for (v = rg_vertex_first_of_type(g, t); v != RG_VID_NONE;
 *      v = rg_vertex_next_of_type(g, v)).  O(1) per step, plus skipped
 * removed vertices. */
rg_vid_t rg_vertex_first_of_type(const rg_graph_t *g, rg_sym_t type);
rg_vid_t rg_vertex_next_of_type(const rg_graph_t *g, rg_vid_t v);

/* Iterate live vertices of rank 'rank' (-1 gives those without a rank) in
 * vid order, like the type iteration.  First is expected O(1). */
rg_vid_t rg_vertex_first_of_rank(const rg_graph_t *g, int64_t rank);
rg_vid_t rg_vertex_next_of_rank(const rg_graph_t *g, rg_vid_t v);

/* Whether some vertex of rank 'rank' was ever added, even if all have been
 * removed since (Fluxion's by_rank map keeps the rank, with no vertex). */
bool rg_rank_seen(const rg_graph_t *g, int64_t rank);

/* First live vertex (lowest vid) with type 'type' and rank 'rank', or
 * RG_VID_NONE.  O(vertices of that rank). */
rg_vid_t rg_vertex_find_type_rank(const rg_graph_t *g, rg_sym_t type, int64_t rank);

/* Mark 'v' and every vertex below it (following "contains" edges of the
 * containment subsystem) removed.  Removed vertices keep their ids but are
 * skipped by iteration, counts, lookups and edge iteration; a root that is
 * removed stops being its subsystem's root.  Returns the number of
 * vertices newly removed, or ENG_EINVAL for a bad/removed vertex,
 * ENG_ENOMEM.  O(size of the subtree). */
long rg_vertex_remove_subtree(rg_graph_t *g, rg_vid_t v);

/* ---- properties ----------------------------------------------------------- */

/* Value of property 'key' of 'v' (borrowed, valid until 'g' is destroyed),
 * or NULL.  O(number of properties of v). */
const char *rg_vertex_prop_get(const rg_graph_t *g, rg_vid_t v, const char *key);

/* Set property 'key' of 'v' to 'value' (replacing any value).  0, or
 * ENG_EINVAL (bad vertex, NULL key/value), ENG_ENOMEM. */
int rg_vertex_prop_set(rg_graph_t *g, rg_vid_t v, const char *key, const char *value);

/* Remove property 'key' of 'v'.  0, or ENG_ENOENT when it is not set. */
int rg_vertex_prop_remove(rg_graph_t *g, rg_vid_t v, const char *key);

/* Iterate the properties of 'v' sorted by key (strcmp order, as Fluxion's
 * std::map): for (it = rg_prop_first(g, v); it != RG_PROP_END;
 * it = rg_prop_next(g, it)).  Any property change ends the iteration's
 * validity. */
rg_prop_it_t rg_prop_first(const rg_graph_t *g, rg_vid_t v);
rg_prop_it_t rg_prop_next(const rg_graph_t *g, rg_prop_it_t it);
rg_sym_t rg_prop_key(const rg_graph_t *g, rg_prop_it_t it);
rg_sym_t rg_prop_value(const rg_graph_t *g, rg_prop_it_t it);

/* ---- edges ---------------------------------------------------------------- */

/* Add an edge 'src' -> 'dst' in 'subsystem' with 'relation' (both interned;
 * RG_SYM_CONTAINMENT / RG_SYM_CONTAINS for a containment edge).  The first
 * "contains" edge of the containment subsystem into 'dst' makes 'src' its
 * parent.  Returns the edge id, or RG_EID_NONE with 'err' set: ENG_EINVAL
 * (bad or removed vertex, src == dst), ENG_EEXIST (an edge 'src' -> 'dst'
 * already exists, in any subsystem: Fluxion rejects it too), ENG_ELIMIT,
 * ENG_ENOMEM.  O(in-degree of dst). */
rg_eid_t rg_edge_add(rg_graph_t *g, rg_vid_t src, rg_vid_t dst, rg_sym_t subsystem,
                     rg_sym_t relation, eng_error_t *err);

/* The stored record of 'e', or NULL when out of range. */
const struct rg_edge *rg_edge_get(const rg_graph_t *g, rg_eid_t e);

/* Every stored edge record as one array indexed by rg_eid_t, valid for
 * indices below rg_graph_eid_bound(g) and for as long as rg_edge_get()'s
 * pointers.  NULL for a graph without edges. */
const struct rg_edge *rg_edge_array(const rg_graph_t *g);

/* Iterate the out-edges of 'v' in 'subsystem' (RG_SYM_NONE: all) IN
 * INSERTION ORDER, skipping edges whose target is removed:
 * for (e = rg_out_first(g, v, s); e != RG_EID_NONE; e = rg_out_next(g, e, s))
 * O(1) per step plus skipped edges of other subsystems. */
rg_eid_t rg_out_first(const rg_graph_t *g, rg_vid_t v, rg_sym_t subsystem);
rg_eid_t rg_out_next(const rg_graph_t *g, rg_eid_t e, rg_sym_t subsystem);

/* The same for in-edges (insertion order, skipping removed sources). */
rg_eid_t rg_in_first(const rg_graph_t *g, rg_vid_t v, rg_sym_t subsystem);
rg_eid_t rg_in_next(const rg_graph_t *g, rg_eid_t e, rg_sym_t subsystem);

/* ---- attach --------------------------------------------------------------- */

/* Merge 'frag' into 'g' the way Fluxion attaches a JGF: each live vertex of
 * 'frag', in vid order, is matched to a live vertex of 'g' with the same
 * path and rank in one of its subsystems (then reused) or added with all its
 * attributes, properties and paths; each edge of 'frag' is added when at
 * least one endpoint was newly added.  New vertices get ids from the old
 * rg_graph_vid_bound(g) on, in 'frag' order.  Fails with ENG_EEXIST (a new
 * vertex would be a second root of a subsystem), leaving the vertices and
 * edges of 'g' unchanged (symbols of 'frag' may have been interned), or
 * with ENG_ENOMEM, after which 'g' may hold part of 'frag'.  Stores the
 * number of added vertices in '*added' (may be NULL). */
int rg_graph_attach(rg_graph_t *g, const rg_graph_t *frag, size_t *added,
                    eng_error_t *err);

#endif /* ENG_RG_H */
