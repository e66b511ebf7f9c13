/* qpol_fcfs.c: first come, first served, as qmanager's queue_policy_fcfs.
 *
 * A pass starts jobs from the head of the queue and stops at the first one
 * that does not fit now: nothing overtakes it.  At most 'queue_depth' jobs
 * are tried per pass; when all of them started and more wait, another pass
 * follows at the same instant (qmanager marks the queue schedulable again). */
#include <stdlib.h>

#include "qpol_private.h"

struct fcfs {
    int64_t queue_depth;
    struct qpol__arena arena;
    struct qpol__list pending;
};

static void *fcfs_create(const qpol_params_t *p, eng_error_t *err)
{
    int64_t qd;
    if (qpol__queue_depth(p, "fcfs", &qd, err) < 0)
        return NULL;
    if (p && p->reservation_depth) {
        eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "fcfs: takes no reservation-depth");
        return NULL;
    }
    struct fcfs *f = calloc(1, sizeof *f);
    if (!f) {
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "fcfs: out of memory");
        return NULL;
    }
    f->queue_depth = qd;
    qpol__list_init(&f->pending);
    return f;
}

static void fcfs_destroy(void *state)
{
    struct fcfs *f = state;
    if (!f)
        return;
    qpol__arena_free(&f->arena);
    free(f);
}

static int fcfs_on_submit(void *state, sim_t *sim, const sim_job_t *job)
{
    struct fcfs *f = state;
    int rc = qpol__list_insert(&f->arena, &f->pending, job->index, job->arrival_seq);
    if (rc < 0)
        return eng_errorf(sim_error(sim), rc, NULL, 0, 0, "fcfs: out of memory");
    return 0;
}

static int fcfs_on_finish(void *state, sim_t *sim, const sim_job_t *job)
{
    (void)state;
    (void)sim;
    (void)job;
    return 0;
}

static int fcfs_schedule(void *state, sim_t *sim)
{
    struct fcfs *f = state;
    eng_error_t *err = sim_error(sim);
    int64_t tried = 0;
    size_t it = f->pending.head;
    while (it != QPOL_NIL && tried < f->queue_depth) {
        size_t next = f->arena.next[it];
        const sim_job_t *job = sim_job(sim, it);
        int rc = sim_start_job(sim, job, err);
        if (rc == ENG_EBUSY)
            return 0; /* the head blocks everything behind it */
        if (rc == ENG_ENOMATCH) {
            qpol__list_remove(&f->arena, &f->pending, it);
            rc = sim_reject_job(sim, job, "unsatisfiable", err);
        } else if (rc == 0) {
            qpol__list_remove(&f->arena, &f->pending, it);
        }
        if (rc < 0)
            return rc;
        tried++;
        it = next;
    }
    return it != QPOL_NIL ? sim_schedule_at(sim, sim_now(sim)) : 0;
}

static size_t fcfs_queued(const void *state)
{
    const struct fcfs *f = state;
    return f->pending.count;
}

const struct qpol_ops qpol_fcfs = {
    .name = "fcfs",
    .create = fcfs_create,
    .destroy = fcfs_destroy,
    .on_submit = fcfs_on_submit,
    .on_finish = fcfs_on_finish,
    .on_resource = NULL,
    .schedule = fcfs_schedule,
    .queued = fcfs_queued,
};
