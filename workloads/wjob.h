/* wjob.h: one job of a workload trace, and how a job size becomes a jobspec.
 *
 * Every workload source (an SWF log, a JSON-lines trace, a synthetic
 * generator) produces the same record, so the simulator never knows where a
 * job came from.  Records live in a wtrace_t (wtrace.h), which owns them.
 *
 * Mapping a size to a jobspec (RFC 14/25 canonical jobspec, version 1):
 * - WJOB_UNIT_CORE ("cores anywhere"): 'procs' single-core slots
 *     resources: [{type: slot, count: procs, label: task,
 *                  with: [{type: core, count: 1}]}]
 * - WJOB_UNIT_NODE ("whole nodes"): N = ceil(procs / cores_per_node) slots,
 *   each one exclusive node with everything in it
 *     resources: [{type: slot, count: N, label: task,
 *                  with: [{type: node, count: 1, exclusive: true}]}]
 *   Naming no cores is what makes this fit nodes of any shape: Fluxion (and
 *   so the engine) cannot spread one slot's cores over several sockets, so
 *   node[N] -> slot -> core[cores_per_node] never matches a multi-socket
 *   node, while an exclusive node is given with all its cores, sockets, GPUs
 *   and memory.  'cores_per_node' only sets N (and the record's 'cores').
 * Both carry tasks: [{command: ["app"], slot: task, count: {per_slot: 1}}]
 * and attributes.system.duration = the walltime in seconds.  The text is
 * jansson's compact output with sorted keys, so equal jobs give equal bytes.
 */
#ifndef WJOB_H
#define WJOB_H

#include <stdbool.h>
#include <stdint.h>

#include "eng_error.h"

/* How a processor count maps to resources (see the top of this file). */
enum wjob_unit { WJOB_UNIT_CORE = 0, WJOB_UNIT_NODE = 1 };

/* Why a job cannot be handed to the matching engine.  Such jobs are kept in
 * the trace, flagged, counted and reported, never dropped. */
enum wjob_reason {
    WJOB_MAPPABLE = 0,
    WJOB_NO_SIZE,          /* processor count unknown or zero */
    WJOB_NO_RUNTIME,       /* run time unknown (-1) */
    WJOB_NEGATIVE_RUNTIME, /* run time below -1 */
    WJOB_NO_JOBSPEC,       /* a JSON-lines record marked "unmappable" */
    WJOB_NREASONS
};

/* The 18 fields of the Standard Workload Format, in order (0-based index =
 * field number - 1). */
enum wjob_swf_field {
    WJOB_SWF_ID = 0,
    WJOB_SWF_SUBMIT,
    WJOB_SWF_WAIT,
    WJOB_SWF_RUNTIME,
    WJOB_SWF_ALLOC_PROCS,
    WJOB_SWF_AVG_CPU,
    WJOB_SWF_USED_MEM,
    WJOB_SWF_REQ_PROCS,
    WJOB_SWF_REQ_TIME,
    WJOB_SWF_REQ_MEM,
    WJOB_SWF_STATUS,
    WJOB_SWF_USER,
    WJOB_SWF_GROUP,
    WJOB_SWF_EXE,
    WJOB_SWF_QUEUE,
    WJOB_SWF_PARTITION,
    WJOB_SWF_PRECEDING,
    WJOB_SWF_THINK,
    WJOB_SWF_NFIELDS
};

/* Size-to-resources mapping options.  'cores_per_node' (>= 1) is used by
 * WJOB_UNIT_NODE only. */
typedef struct wjob_map {
    enum wjob_unit unit;
    int64_t cores_per_node;
} wjob_map_t;

/* A job.  A simulator submits 'jobspec' at 'submit_s' and ends the job at
 * start + min(runtime_s, walltime_s) (a job killed at its walltime). */
typedef struct wjob {
    int64_t id;         /* job number from the source */
    int64_t submit_s;   /* submit time, shifted so the trace's first job is at 0 */
    int64_t runtime_s;  /* actual run time; -1 unknown (then not mappable) */
    int64_t walltime_s; /* requested time, else the run time; >= 1 when mappable */
    int64_t procs;      /* requested processors (SWF 8, else 5); -1 unknown */
    int64_t nodes;      /* nodes requested; 0 = no node-level request; -1 unknown */
    int64_t cores;      /* cores requested in all; -1 unknown */
    int64_t gpus;       /* GPUs requested in all; -1 unknown */
    int64_t mem_kib;    /* requested memory per processor (SWF 10), KiB; -1 unknown */
    int64_t user, group, queue; /* -1 unknown */
    int64_t status;             /* SWF status: 1 completed, 0 failed, 5 cancelled, -1 */
    enum wjob_reason reason;    /* WJOB_MAPPABLE, or why the job cannot run */
    char *jobspec;              /* owned JSON (or YAML) text; NULL when not mappable */
    /* The job as SWF fields, the submit time on the source's clock
     * (submit_s + the trace's submit offset once in a wtrace_t), so SWF
     * round trips are exact and any trace can be written as SWF. */
    int64_t swf[WJOB_SWF_NFIELDS];
} wjob_t;

/* True when 'j' can be given to the matching engine. */
bool wjob_is_mappable(const wjob_t *j);

/* A lower bound on the cores job 'j' needs (0 when unknown), given that every
 * node of the graph has at least 'min_node_cores' cores: the cores its
 * jobspec names, except that a whole-node size (nodes x the average cores
 * per node) counts only nodes x 'min_node_cores'. */
int64_t wjob_min_cores(const wjob_t *j, int64_t min_node_cores);

/* Short lower-case text of 'r' ("no size", "unknown run time"...).  Static
 * storage; "unknown reason" for values out of range. */
const char *wjob_reason_str(enum wjob_reason r);

/* Parse a reason text as printed by wjob_reason_str().  Returns the reason,
 * or -1 when 'text' names none. */
int wjob_reason_parse(const char *text);

/* Canonical jobspec text for 'procs' processors (>= 1) lasting 'walltime_s'
 * (>= 1) under mapping 'map' (see the top of this file).  Returns new text
 * that the caller frees with free(), or NULL with 'err' set (ENG_EINVAL for
 * out-of-range arguments, ENG_ENOMEM). */
char *wjob_jobspec_format(int64_t procs, int64_t walltime_s, const wjob_map_t *map,
                          eng_error_t *err);

/* Fill the derived fields of 'j' from its SWF fields (j->swf) under 'map':
 * procs, walltime, nodes, cores, the reason, and a new jobspec when
 * mappable.  'j->submit_s' is set to the unshifted submit time.  Any previous
 * j->jobspec is freed first.  Returns 0, or a negative code with 'err' set
 * (then j->jobspec is NULL). */
int wjob_from_swf(wjob_t *j, const wjob_map_t *map, eng_error_t *err);

/* Set every field of 'j' to "unknown" (-1; swf[] all -1) with no jobspec. */
void wjob_init(wjob_t *j);

/* Free what 'j' owns (its jobspec) and reset it with wjob_init().  NULL is a
 * no-op. */
void wjob_clear(wjob_t *j);

#endif /* WJOB_H */
