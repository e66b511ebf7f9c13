/* rwrite_private.h: internals shared by rwrite.c (simple, pretty, JGF, the
 * rv1 envelopes) and rwrite_rlite.c (the R_lite gatherer).  Never installed. */
#ifndef ENG_RWRITE_PRIVATE_H
#define ENG_RWRITE_PRIVATE_H

#include <jansson.h>

#include "rwrite.h"

/* Fluxion's rlite writer state: per node signature ("children" JSON text)
 * the (rank, host) pairs gathered, per property the ranks, and the core/gpu
 * ids reduced since the last node. */
struct rl_host {
    int64_t rank;
    size_t host; /* offset of the name in the writer's 'names', or RL_NO_HOST */
};
#define RL_NO_HOST SIZE_MAX

struct rl_group {
    char *key; /* children JSON text, or "prop" / "prop=value" */
    struct rl_host *h;
    size_t n, cap;
    int64_t units[2]; /* distinct core and gpu ids in the key's id sets */
};

struct rl_map { /* sorted by key (strcmp), as std::map<std::string, ...> */
    struct rl_group *g;
    size_t n, cap;
};

struct rl_rank_pos { /* a host by rank, then gathering order (a stable sort) */
    int64_t rank;
    size_t pos;
    const char *host;
};

struct rl_ids {
    int64_t *id;
    size_t n, cap;
};

struct rlite {
    struct rl_ids core, gpu; /* Fluxion's m_reducer: core before gpu */
    struct rl_map gather;    /* m_gl_gatherer */
    struct rl_map props;     /* m_gl_prop_gatherer */
    char *sig;               /* the last node's signature, kept for the next */
    size_t sigcap;
    int64_t sig_units[2]; /* distinct core and gpu ids in 'sig' */
    char *names; /* the gathered hosts' names, each with its NUL, one after another */
    size_t nameslen, namescap;
    /* scratch of the writers, kept from one R to the next */
    int64_t *ranks; /* a group's ranks, sorted */
    size_t rankscap;
    struct rl_rank_pos *rp; /* all hosts by rank (the nodelist) */
    size_t rpcap;
    /* the last node's core and gpu ids as they came (before sorting) and
     * its group in 'gather': a node with the same ids has the same
     * signature, so its group is found without writing it again */
    struct rl_ids last_core, last_gpu;
    size_t last_g;
    bool last_ok;
};

void rwrite__rlite_init(struct rlite *r);
void rwrite__rlite_clear(struct rlite *r);
/* Forget what was gathered, keeping the buffers for the next R. */
void rwrite__rlite_reset(struct rlite *r);
bool rwrite__rlite_is_empty(const struct rlite *r);

/* Fluxion's rlite emit_vtx(). */
int rwrite__rlite_vertex(struct rlite *r, const struct rwrite_vertex *v,
                         eng_error_t *err);
/* rwrite__rlite_vertex() for a node or storage_node. */
int rwrite__rlite_node(struct rlite *r, const struct rwrite_vertex *v, eng_error_t *err);
/* rwrite__rlite_vertex() for a core ('gpu' false) or gpu of id 'id'. */
int rwrite__rlite_id(struct rlite *r, bool gpu, int64_t id, eng_error_t *err);
/* The R_lite state of 'w' (rlite and rv1 formats). */
struct rlite *rwrite__rlite(rwrite_t *w);

/* Fluxion's rlite emit_json(): new reference to the R_lite array in '*o'
 * (NULL when nothing), and when 'aux' is not NULL a new reference to
 * {"nodelist": [...], "properties"?: {...}}.  Clears the gathered nodes on
 * success.  0, ENG_EINVAL (nothing gathered, negative id or rank) or
 * ENG_ENOMEM, with 'err' set. */
int rwrite__rlite_json(struct rlite *r, json_t **o, json_t **aux, eng_error_t *err);

/* A scratch buffer of at least 'size' bytes owned by 'w' (kept between
 * calls, so emitting many vertices allocates once), or NULL (ENOMEM). */
char *rwrite__scratch(rwrite_t *w, size_t size);

/* The symbols of the types R_lite records, in the graph rwrite_rg.c last
 * fed the writer from since the last rwrite_reset() (RG_SYM_NONE where the
 * graph has no such type); 'g' and 'nsyms' tell whether they are still
 * valid. */
struct rwrite_rgsyms {
    const rg_graph_t *g;
    size_t nsyms;
    struct rwrite_rlite_types t;
};
struct rwrite_rgsyms *rwrite__rgsyms(rwrite_t *w);

/* Fluxion's rlite (envelope false: the R_lite array) or rv1_nosched
 * (envelope true: RFC 20 R with 'starttime' and 'expiration') emit(), written
 * as text directly (byte for byte what jansson's JSON_INDENT(0) dump of the
 * same objects gives, at a fraction of the cost), newline included.  New
 * string in '*out' (free() it).  Clears the gathered nodes on success.  0,
 * ENG_EINVAL (nothing gathered, negative id or rank) or ENG_ENOMEM. */
int rwrite__rlite_text(struct rlite *r, bool envelope, int64_t starttime,
                       int64_t expiration, char **out, eng_error_t *err);

/* The gathered R_lite as compact JSON (json_dumps(JSON_COMPACT) of the array)
 * in '*rlite' and the hosts, sorted by rank, as one hostlist string in
 * '*nodelist' (free() both); 'units' (may be NULL) gets the numbers of
 * distinct ranks, and of cores and gpus over them (each entry's ranks times
 * its children's ids).  Leaves the gathered nodes in place.  0, ENG_EINVAL
 * (nothing gathered) or ENG_ENOMEM (both NULL then). */
int rwrite__rlite_compact(struct rlite *r, char **rlite, char **nodelist,
                          int64_t units[3], eng_error_t *err);

#endif /* ENG_RWRITE_PRIVATE_H */
