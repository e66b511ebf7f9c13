/* qpol_bf.c: the backfilling policies' common pass, as qmanager's
 * queue_policy_bf_base_t (easy, hybrid and conservative differ only in the
 * reservation depth they pass to qpol__bf_create()).
 *
 * A pass drops every reservation of the previous pass, then walks the queue
 * from the head.  While fewer than 'reservation_depth' jobs hold a
 * reservation, a job is matched with allocate-or-else-reserve (it starts now
 * or gets the earliest start it can have); after that, jobs are only started
 * if they fit now around the reservations (backfilling).  A job that can be
 * neither started nor reserved is moved to the blocked list without counting
 * toward the queue depth, and rejoins the queue when a job finishes or a
 * resource changes.  Re-planning from scratch costs one match per visited job
 * per pass.  A pass that need not re-plan (qpol.h: QPOL_REPLAN_ALWAYS when
 * the re-plan would repeat the last one, QPOL_REPLAN_ON_CHANGE after no
 * completion or resource event) keeps the previous reservations and skips
 * the jobs visited since the last full pass: a job's arena mark is the
 * number of the full pass ('epoch') after which it was last visited. */
#include <stdlib.h>

#include "qpol_private.h"

struct bf {
    const char *name;
    int64_t queue_depth, reservation_depth;
    struct qpol__arena arena;
    struct qpol__list pending, blocked;
    size_t *reserved; /* jobs reserved by the last pass, in pass order */
    size_t nreserved, reserved_cap;
    enum qpol_replan replan;
    bool dirty;     /* since the last full pass: a completion or resource event;
                       with QPOL_REPLAN_ALWAYS also a start or a reordering match */
    uint64_t epoch; /* full passes so far; arena.mark of a job = the epoch of
                       its last visit (0 never) */
};

void *qpol__bf_create(const char *name, int64_t queue_depth, int64_t reservation_depth,
                      enum qpol_replan replan, eng_error_t *err)
{
    struct bf *b = calloc(1, sizeof *b);
    if (!b) {
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "%s: out of memory", name);
        return NULL;
    }
    b->name = name;
    b->queue_depth = queue_depth;
    b->reservation_depth = reservation_depth;
    b->replan = replan;
    b->dirty = true;
    qpol__list_init(&b->pending);
    qpol__list_init(&b->blocked);
    return b;
}

void qpol__bf_destroy(void *state)
{
    struct bf *b = state;
    if (!b)
        return;
    qpol__arena_free(&b->arena);
    free(b->reserved);
    free(b);
}

int qpol__bf_on_submit(void *state, sim_t *sim, const sim_job_t *job)
{
    struct bf *b = state;
    int rc = qpol__list_insert(&b->arena, &b->pending, job->index, job->arrival_seq);
    if (rc < 0)
        return eng_errorf(sim_error(sim), rc, NULL, 0, 0, "%s: out of memory", b->name);
    return 0;
}

/* qmanager reconsiders blocked jobs whenever a job's resources are freed. */
int qpol__bf_on_finish(void *state, sim_t *sim, const sim_job_t *job)
{
    (void)sim;
    (void)job;
    struct bf *b = state;
    qpol__list_merge(&b->arena, &b->pending, &b->blocked);
    b->dirty = true;
    return 0;
}

int qpol__bf_on_resource(void *state, sim_t *sim)
{
    return qpol__bf_on_finish(state, sim, NULL);
}

size_t qpol__bf_queued(const void *state)
{
    const struct bf *b = state;
    return b->pending.count + b->blocked.count;
}

static int remember_reserved(struct bf *b, size_t idx, eng_error_t *err)
{
    if (b->nreserved == b->reserved_cap) {
        size_t cap = b->reserved_cap ? b->reserved_cap * 2 : 64;
        size_t *a = realloc(b->reserved, cap * sizeof *a);
        if (!a)
            return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "%s: out of memory", b->name);
        b->reserved = a;
        b->reserved_cap = cap;
    }
    b->reserved[b->nreserved++] = idx;
    return 0;
}

/* Last to first: the backend may keep the last reservation dropped until
 * its job's next match (eng_unreserve()), and the pass visits the earliest
 * reserved job first. */
static int drop_reservations(struct bf *b, sim_t *sim, eng_error_t *err)
{
    for (size_t i = b->nreserved; i-- > 0;) {
        const sim_job_t *job = sim_job(sim, b->reserved[i]);
        if (job->state != SIM_JOB_QUEUED)
            continue;
        int rc = sim_unreserve(sim, job, err);
        if (rc < 0)
            return rc;
    }
    b->nreserved = 0;
    return 0;
}

struct pass {
    int64_t reservations, scheduled;
    bool started;
};

/* Try job 'it' in the pass: start it, reserve it, block it or skip it. */
static int visit(struct bf *b, sim_t *sim, size_t it, struct pass *ps, eng_error_t *err)
{
    const sim_job_t *job = sim_job(sim, it);
    bool try_reserve = ps->reservations < b->reservation_depth;
    sim_time_t at = 0;
    int rc = try_reserve ? sim_reserve(sim, job, &at, err) : sim_start_job(sim, job, err);
    if (rc == 0 && job->state == SIM_JOB_RUNNING) {
        qpol__list_remove(&b->arena, &b->pending, it);
        ps->started = true;
        b->dirty |= b->replan == QPOL_REPLAN_ALWAYS;
    } else if (rc == 0) {
        ps->reservations++;
        b->dirty |= b->replan == QPOL_REPLAN_ALWAYS && job->reordered;
        rc = remember_reserved(b, it, err);
    } else if (rc == ENG_EBUSY && try_reserve) {
        qpol__list_remove(&b->arena, &b->pending, it);
        return qpol__list_insert(&b->arena, &b->blocked, it, job->arrival_seq);
    } else if (rc == ENG_EBUSY) {
        rc = 0;
    } else if (rc == ENG_ENOMATCH) {
        qpol__list_remove(&b->arena, &b->pending, it);
        rc = sim_reject_job(sim, job, "unsatisfiable", err);
    }
    if (rc < 0)
        return rc;
    ps->scheduled++;
    return 0;
}

/* Whether this pass must plan from scratch (qpol.h): always with
 * QPOL_REPLAN_LITERAL; else when 'dirty', or once a kept reservation is due. */
static bool full_pass(const struct bf *b, sim_t *sim)
{
    if (b->replan == QPOL_REPLAN_LITERAL || b->dirty)
        return true;
    for (size_t i = 0; i < b->nreserved; i++) {
        const sim_job_t *job = sim_job(sim, b->reserved[i]);
        if (job->state == SIM_JOB_QUEUED && job->reserved_at <= sim_now(sim))
            return true;
    }
    return false;
}

int qpol__bf_schedule(void *state, sim_t *sim)
{
    struct bf *b = state;
    eng_error_t *err = sim_error(sim);
    bool full = full_pass(b, sim);
    int rc = 0;
    if (full) {
        if ((rc = drop_reservations(b, sim, err)) < 0)
            return rc;
        b->epoch++;
        b->dirty = false;
    }
    struct pass ps = {0, 0, false};
    size_t it = b->pending.head;
    while (it != QPOL_NIL && ps.scheduled < b->queue_depth) {
        size_t next = b->arena.next[it];
        if (!full && b->arena.mark[it] == b->epoch) {
            /* visited since the last full pass: same outcome as then */
            ps.reservations += sim_job(sim, it)->reserved_at >= 0;
            ps.scheduled++;
        } else {
            b->arena.mark[it] = b->epoch;
            if ((rc = visit(b, sim, it, &ps, err)) < 0)
                return rc;
        }
        it = next;
    }
    if (it != QPOL_NIL && ps.started)
        return sim_schedule_at(sim, sim_now(sim));
    return 0;
}
