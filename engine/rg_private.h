/* rg_private.h: internals shared by rg.c, rg_path.c and rg_ops.c.  Never
 * installed; nothing outside engine/rg*.c includes it. */
#ifndef ENG_RG_PRIVATE_H
#define ENG_RG_PRIVATE_H

#include "rg.h"

/* Private bits of rg_vertex.flags, above the public enum rg_vertex_flag. */
enum rg__vflag {
    RG__VF_DERIVED = 1u << 8, /* containment path is parent's path + "/" + name */
};

enum {
    RG__ARENA_BLOCK = 64 * 1024, /* symbol text block (> RG_SYM_LEN_MAX) */
    RG__MAX_SUBSYS = 64,         /* distinct subsystems per graph */
};

struct rg__sym {
    const char *s; /* into an arena block: never moves */
    uint32_t len;
    uint32_t hash;
    rg_vid_t type_head, type_tail; /* vertices of this type, vid order */
    uint32_t type_count;           /* live ones */
};

struct rg__rank {
    int64_t rank;
    rg_vid_t head, tail;
    uint32_t count; /* live ones */
    uint32_t used;
};

struct rg__pathent {
    rg_vid_t vid; /* RG_VID_NONE = empty slot */
    uint32_t hash;
};

/* A path stored as a string (not derivable). */
struct rg__xpath {
    rg_sym_t subsys;
    uint32_t off; /* into g->pstr */
    uint32_t next;
};

struct rg__prop {
    rg_sym_t key, val;
    uint32_t next; /* 0 ends the list; the free list reuses it */
};

struct rg_graph {
    /* symbols: text in fixed blocks so rg_sym_str() pointers never move */
    struct rg__sym *syms;
    size_t nsyms, cap_syms;
    uint32_t *symtab; /* open addressing, RG_SYM_NONE = empty */
    size_t cap_symtab;
    char **blocks;
    size_t nblocks, cap_blocks, block_used;

    struct rg_vertex *v;
    size_t nv, cap_v, nlive;
    struct rg_edge *e;
    size_t ne, cap_e;

    struct rg__rank *ranks;
    size_t nranks, cap_ranks;

    struct rg__pathent *ptab;
    size_t npaths, cap_ptab;
    struct rg__xpath *xp; /* [0] unused */
    size_t nxp, cap_xp;
    char *pstr;
    size_t plen, cap_pstr;

    struct rg__prop *props; /* [0] unused */
    size_t nprops, cap_props;
    uint32_t prop_free;

    rg_sym_t subsys[RG__MAX_SUBSYS];
    rg_vid_t roots[RG__MAX_SUBSYS];
    size_t nsubsys;
};

/* Grow '*p' (elements of 'esize' bytes, capacity '*cap') to hold 'need'
 * elements.  0 or ENG_ENOMEM (then '*p' is unchanged). */
int rg__grow(void *p, size_t *cap, size_t need, size_t esize);

/* Index of 'subsys' in g->subsys, registering it if new; -1 when full. */
int rg__subsys_slot(rg_graph_t *g, rg_sym_t subsys);

/* Index of 'subsys' in g->subsys, or -1. */
int rg__subsys_find(const rg_graph_t *g, rg_sym_t subsys);

/* Path index: add entry for 'v' with path 'path' in 'subsys'. */
int rg__ptab_add(rg_graph_t *g, rg_vid_t v, rg_sym_t subsys, const char *path);

uint32_t rg__hash(const char *s, size_t len);

/* Stop storing containment paths that the edges now make derivable. */
void rg__paths_rederive(rg_graph_t *g);

#endif /* ENG_RG_PRIVATE_H */
