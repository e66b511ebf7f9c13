/* grug_private.h: the parsed recipe shared by grug_recipe.c (GraphML ->
 * recipe) and grug.c (recipe -> resource graph).  Never installed. */
#ifndef ENG_GRUG_PRIVATE_H
#define ENG_GRUG_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "eng_error.h"
#include "rg.h"

enum grug__gen { GRUG__MULTIPLY, GRUG__ASSOCIATE_IN, GRUG__ASSOCIATE_BY_PATH_IN };

/* A resource pool.  Symbols are interned in the graph being built. */
struct grug__pool {
    char *xml_id; /* owned */
    rg_sym_t type, basename, unit, subsystem;
    int64_t size;
    int64_t root;
    int line;
};

/* A generation rule. */
struct grug__rule {
    char *xml_id; /* owned; "" when the element has none */
    uint32_t src, dst;
    rg_sym_t e_subsystem, as_tgt_subsystem;
    enum grug__gen gen;
    int64_t id_scope, id_start, id_stride, multi_scale, as_tgt_uplvl, as_src_uplvl;
    int line;
};

struct grug__recipe {
    const char *source;
    struct grug__pool *pool;
    size_t npool, cap_pool;
    struct grug__rule *rule; /* in document order */
    size_t nrule, cap_rule;
};

/* Parse the GraphML 'text' into 'r' (zeroed by the caller), interning
 * strings in 'g'.  0 or a negative code with 'err' set; 'r' must be freed
 * with grug__recipe_free() either way. */
int grug__recipe_parse(struct grug__recipe *r, rg_graph_t *g, const char *text,
                       size_t len, eng_error_t *err);
void grug__recipe_free(struct grug__recipe *r);

/* Paths held back from the graph until generation ends.  Fluxion lets an
 * ASSOCIATE rule overwrite a vertex's path after its children took theirs
 * from it (mt-storage recipes do), while the builder derives a child's
 * containment path from its parent's and sets each path once.  So when a
 * recipe associates, paths are staged here (set, overwritten, read) and
 * given to the graph in vertex order at the end.  Cost: one string per path
 * until then; recipes without ASSOCIATE rules skip it. */
struct grug__stage_entry {
    rg_sym_t subsys;
    uint32_t next; /* next entry of the same vertex + 1, 0 = last */
    size_t off;    /* text in 'pool' */
};

struct grug__stage {
    uint32_t *first; /* per vertex: first entry + 1, 0 = none */
    size_t cap_first;
    struct grug__stage_entry *e;
    size_t ne, cap_e;
    char *pool;
    size_t npool, cap_pool;
};

/* Set (or overwrite) the staged path of 'v' in 'subsys'.  0 or ENG_ENOMEM. */
int grug__stage_set(struct grug__stage *s, rg_vid_t v, rg_sym_t subsys, const char *path);

/* The staged path of 'v' in 'subsys' (borrowed until the next set), or
 * NULL. */
const char *grug__stage_get(const struct grug__stage *s, rg_vid_t v, rg_sym_t subsys);

/* Give every staged path to 'g', vertices in increasing order.  0 or the
 * builder's error in 'err' (no position). */
int grug__stage_commit(const struct grug__stage *s, rg_graph_t *g, eng_error_t *err);

void grug__stage_free(struct grug__stage *s);

#endif /* ENG_GRUG_PRIVATE_H */
