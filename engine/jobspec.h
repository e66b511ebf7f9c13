/* jobspec.h: Flux jobspecs (RFC 14 canonical, RFC 25 version 1) parsed into a
 * request tree for the matching engine.
 *
 * What is accepted is what Fluxion's libjobspec (flux-sched fd257f71,
 * resource/libjobspec/jobspec.cpp), which resource-query parses with, accepts:
 * any 'version' from 1 to 9999 with the same rules (Fluxion does not apply
 * RFC 25's stricter shape rules to version 1), exactly the four top-level keys
 * version/resources/tasks/attributes, resource keys type/count/unit/exclusive/
 * with/label/id, and RFC 31 constraints in attributes.system.constraints;
 * by default a few things RFC 14 forbids and Fluxion lets by are refused
 * (see jobspec.c), and JOBSPEC_FLUXION removes even that difference.  Whether
 * each 'type' is known is the engine's check (Fluxion's depends on the graph).
 * JSON and YAML are told apart by content (JSON starts with '{' or '[');
 * both give the same tree; only the first YAML document is read.
 *
 * Every rejection is positioned (source, 1-based line and column of the node
 * at fault) with a text such as
 *   "resources[0].with[1].count: expected integer >= 1, got -2".
 *
 * The tree is immutable once parsed: fields are public so that the traversal
 * reads them without calls, but they are read-only and owned by the jobspec_t.
 * Nothing in the hot path needs a string compare: the engine maps each
 * resource's 'type' to its own symbol once per job, in a side table indexed by
 * 'index' (0 .. nresources_total - 1). */
#ifndef ENG_JOBSPEC_H
#define ENG_JOBSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eng_api.h"
#include "eng_error.h"

ENG_BEGIN_DECLS

/* Limits, checked (ENG_ELIMIT, positioned) rather than assumed. */
enum jobspec_limit {
    JOBSPEC_TEXT_MAX = 4 * 1024 * 1024, /* bytes of jobspec text */
    JOBSPEC_DEPTH_MAX = 64,             /* nesting of YAML/JSON collections */
    JOBSPEC_RESOURCES_MAX = 10000,      /* resource vertices in the whole tree */
    JOBSPEC_NODES_MAX = 200000,         /* YAML/JSON nodes of any kind */
};

/* Tri-state 'exclusive' of a resource: Fluxion's traversal treats "unset"
 * differently from "false" (an unset resource under an exclusive one inherits
 * exclusivity), so the two are kept apart. */
enum jobspec_excl {
    JOBSPEC_EXCL_UNSET = 0,
    JOBSPEC_EXCL_FALSE = 1,
    JOBSPEC_EXCL_TRUE = 2,
};

/* Count of a resource request.  An integer N gives {N, N, '+', 1}; a mapping
 * without max/operator/operand gives {min, UINT32_MAX, '+', 1} (Fluxion's
 * defaults: max unbounded).  Validated: min >= 1 (a plain 0 is let through
 * under JOBSPEC_FLUXION, as Fluxion does), max >= min; operator '+' needs
 * operand >= 1, '*' operand >= 2, '^' operand >= 2 and min >= 2. */
struct jobspec_count {
    uint32_t min;
    uint32_t max;
    char oper; /* '+', '*' or '^' */
    int32_t operand;
};

typedef struct jobspec_resource jobspec_resource_t;

/* One resource vertex of the request tree.  A slot is a resource whose
 * 'is_slot' is true (type "slot"); it always has a 'label' key (Fluxion
 * accepts label: "" too). */
struct jobspec_resource {
    const char *type;  /* never NULL; empty only under JOBSPEC_FLUXION */
    const char *unit;  /* "" when absent */
    const char *label; /* "" when absent */
    const char *id;    /* "" when absent */
    struct jobspec_count count;
    enum jobspec_excl exclusive;
    bool is_slot;
    uint32_t index;                   /* pre-order index over the whole tree, from 0 */
    uint32_t depth;                   /* 0 for the entries of the top-level 'resources' */
    const jobspec_resource_t *parent; /* NULL at depth 0 */
    const jobspec_resource_t *with;   /* 'nwith' children, contiguous */
    size_t nwith;
    int line, column; /* 1-based position of this resource's mapping */
};

/* How a task's count was given (RFC 14 tasks[].count). */
enum jobspec_task_count_kind {
    JOBSPEC_TASK_COUNT_NONE = 0, /* no 'count' key */
    JOBSPEC_TASK_COUNT_PER_SLOT,
    JOBSPEC_TASK_COUNT_TOTAL,
    JOBSPEC_TASK_COUNT_OTHER, /* another key, kept as text (Fluxion allows it) */
};

typedef struct jobspec_task {
    const char *const *command; /* 'ncommand' strings, then NULL */
    size_t ncommand;
    const char *slot; /* label of the slot the task runs in */
    enum jobspec_task_count_kind count_kind;
    const char *count_key;        /* "" for NONE */
    const char *count_value;      /* the value's text, "" for NONE */
    int64_t count;                /* count_value as an integer, 0 if it is not one */
    const char *distribution;     /* "" when absent */
    const char *const *attr_keys; /* 'nattrs' task attributes, as text */
    const char *const *attr_values;
    size_t nattrs;
} jobspec_task_t;

typedef struct jobspec_constraint jobspec_constraint_t; /* opaque, RFC 31 */

/* attributes.system.  'duration' is kept as the number written (Fluxion
 * keeps a double): the parser checks it is a number, and the traversal
 * rejects it when negative or NaN and rounds it up to whole seconds, as
 * Fluxion's does.  0 means unset (the traversal uses the graph's duration). */
typedef struct jobspec_system {
    double duration;
    const char *queue;           /* "" when absent */
    const char *cwd;             /* "" when absent */
    const char *const *env_keys; /* 'nenv' environment entries, in file order */
    const char *const *env_values;
    size_t nenv;
    const jobspec_constraint_t *constraint; /* NULL when absent */
} jobspec_system_t;

typedef struct jobspec_priv jobspec_priv_t; /* private storage */

typedef struct jobspec {
    unsigned version;                    /* 1 .. 9999 (9999 = RFC 14 canonical) */
    const jobspec_resource_t *resources; /* 'nresources' top-level requests */
    size_t nresources;
    size_t nresources_total; /* vertices in the whole tree (max 'index' + 1) */
    const jobspec_task_t *tasks;
    size_t ntasks;
    jobspec_system_t system;
    jobspec_priv_t *priv;
} jobspec_t;

/* Parse 'len' bytes of 'text' (YAML or JSON; need not be NUL-terminated).
 * 'source' names the input in errors (NULL gives "<string>").  Returns a new
 * jobspec the caller releases with jobspec_destroy(), or NULL with 'err' set:
 * ENG_EPARSE (syntax or rule violated), ENG_ELIMIT (a limit above), ENG_ENOMEM,
 * ENG_EINVAL ('text' NULL).  'err' may be NULL. */
ENG_API jobspec_t *jobspec_parse(const char *text, size_t len, const char *source,
                                 eng_error_t *err);

/* Flags of jobspec_parse_ex(). */
enum jobspec_flag {
    /* Behave as Fluxion's libjobspec, for resource-query compatibility:
     * accept what it accepts (a plain count of 0, which gives {0, 0, '+', 1},
     * unknown keys in a count mapping, an empty type, repeated mapping keys
     * where it ignores them), check in its order, and put in err->text its
     * message, e.g. "Key \"count\" missing from resource" or
     * "yaml-cpp: error at line 8, column 16: bad conversion" (what
     * resource-query prints after "Jobspec error for N: ").  Line and column
     * are still set.  YAML/JSON syntax errors keep our own text. */
    JOBSPEC_FLUXION = 1 << 0,
};

/* jobspec_parse() with 'flags' (enum jobspec_flag, or 0). */
ENG_API jobspec_t *jobspec_parse_ex(const char *text, size_t len, const char *source,
                                    unsigned flags, eng_error_t *err);

/* Read and parse the file 'path' ("-" is standard input); errors name 'path'.
 * Returns a new jobspec or NULL with 'err' set (ENG_EIO added to the above). */
ENG_API jobspec_t *jobspec_load(const char *path, eng_error_t *err);

/* Release 'js'.  NULL is a no-op. */
ENG_API void jobspec_destroy(jobspec_t *js);

/* The whole tree in pre-order: the resource whose index is 'index', or NULL
 * when 'index' >= js->nresources_total.  Borrowed, valid until 'js' is
 * destroyed. */
ENG_API const jobspec_resource_t *jobspec_resource_at(const jobspec_t *js, size_t index);

/* Text of a scalar attribute by dotted path below 'attributes', e.g.
 * "system.foo" or "user.project" (keys with dots cannot be named).  Returns
 * NULL when absent or not a scalar.  Borrowed, valid until 'js' is destroyed. */
ENG_API const char *jobspec_attr_get(const jobspec_t *js, const char *path);

/* The tree as YAML-like text, in the layout of Fluxion's
 * flux-jobspec-validate (for 'schedsim jobspec show' and debugging).  Returns
 * a new string the caller releases with eng_free(), or NULL when out of
 * memory. */
ENG_API char *jobspec_format(const jobspec_t *js);

/* ---- RFC 31 constraints ------------------------------------------------ */

/* What a constraint asks of a vertex; the engine supplies these so that the
 * evaluation needs neither the graph's types nor jansson.  'ctx' is the
 * engine's, passed through untouched. */
struct jobspec_vertex_ops {
    bool (*has_property)(const void *ctx, const char *name); /* key present */
    const char *(*name)(const void *ctx); /* vertex name, e.g. "node12" */
    int64_t (*rank)(const void *ctx);     /* -1 when the vertex has none */
};

/* Does the vertex described by 'ops'/'ctx' satisfy 'c'?  NULL 'c' (no
 * constraint) and the empty constraint {} match everything.  As in Fluxion:
 * properties: every listed property present ("^p": p absent); hostlist: the
 * vertex name is in the hostlist; ranks: the rank is in the idset; and/or over
 * the operands; not: the negation of and(operands).  The engine applies it to
 * vertices of type "node" and "storage_node" only, as Fluxion's traversal
 * does. */
ENG_API bool jobspec_constraint_match(const jobspec_constraint_t *c,
                                      const struct jobspec_vertex_ops *ops,
                                      const void *ctx);

ENG_END_DECLS

#endif /* ENG_JOBSPEC_H */
