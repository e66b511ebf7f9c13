/* qpol_private.h: internals shared by the queue policies (never installed).
 *
 * qpol__list: intrusive doubly-linked lists of job indices kept in arrival
 * order.  All lists of one policy share one arena (a job is in at most one
 * list), so moving a job between lists costs O(1) and a pass visits only the
 * jobs it looks at, whatever the queue length.  A sorted insert walks from
 * the tail, which is O(1) for arrivals (they come in order). */
#ifndef SCHEDSIM_QPOL_PRIVATE_H
#define SCHEDSIM_QPOL_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "qpol.h"

#define QPOL_NIL ((size_t)-1)

struct qpol__arena {
    size_t *next, *prev;
    uint64_t *seq;  /* arrival_seq of each member, for ordered inserts */
    uint64_t *mark; /* per member, for the policy's own use; 0 on insert */
    size_t cap;
};

struct qpol__list {
    size_t head, tail, count;
};

void qpol__arena_free(struct qpol__arena *a);
void qpol__list_init(struct qpol__list *l);

/* Insert job 'idx' with arrival order 'seq' in order.  Returns 0 or
 * ENG_ENOMEM. */
int qpol__list_insert(struct qpol__arena *a, struct qpol__list *l, size_t idx,
                      uint64_t seq);
void qpol__list_remove(struct qpol__arena *a, struct qpol__list *l, size_t idx);

/* Move every member of 'src' into 'dst', keeping arrival order. */
void qpol__list_merge(struct qpol__arena *a, struct qpol__list *dst,
                      struct qpol__list *src);

/* Check and parse the depth parameters common to every policy: '*qdepth'
 * gets the queue depth (default QPOL_DEFAULT_QUEUE_DEPTH). */
int qpol__queue_depth(const qpol_params_t *p, const char *name, int64_t *qdepth,
                      eng_error_t *err);

/* The backfilling policies (easy, hybrid, conservative) differ only in their
 * reservation depth, so they share one implementation (qpol_bf.c), as
 * qmanager's queue_policy_bf_base_t. */
void *qpol__bf_create(const char *name, int64_t queue_depth, int64_t reservation_depth,
                      enum qpol_replan replan, eng_error_t *err);
void qpol__bf_destroy(void *state);
int qpol__bf_on_submit(void *state, sim_t *sim, const sim_job_t *job);
int qpol__bf_on_finish(void *state, sim_t *sim, const sim_job_t *job);
int qpol__bf_on_resource(void *state, sim_t *sim);
int qpol__bf_schedule(void *state, sim_t *sim);
size_t qpol__bf_queued(const void *state);

#endif /* SCHEDSIM_QPOL_PRIVATE_H */
