/* qpol_hybrid.c: hybrid backfilling: the first 'reservation-depth' jobs that
 * do not fit get reservations (default 64, qmanager's
 * HYBRID_RESERVATION_DEPTH), the rest backfill. */
#include "qpol_private.h"

static void *hybrid_create(const qpol_params_t *p, eng_error_t *err)
{
    int64_t qd;
    if (qpol__queue_depth(p, "hybrid", &qd, err) < 0)
        return NULL;
    int64_t rd =
        p && p->reservation_depth ? p->reservation_depth : QPOL_HYBRID_RESERVATION_DEPTH;
    /* qmanager accepts only depths below max-reservation-depth */
    if (rd < 1 || rd >= QPOL_MAX_RESERVATION_DEPTH) {
        eng_errorf(err, ENG_EINVAL, NULL, 0, 0,
                   "hybrid: reservation-depth must be in [1, %d], got %lld",
                   QPOL_MAX_RESERVATION_DEPTH - 1, (long long)rd);
        return NULL;
    }
    return qpol__bf_create("hybrid", qd, rd, p ? p->replan : QPOL_REPLAN_ALWAYS, err);
}

const struct qpol_ops qpol_hybrid = {
    .name = "hybrid",
    .create = hybrid_create,
    .destroy = qpol__bf_destroy,
    .on_submit = qpol__bf_on_submit,
    .on_finish = qpol__bf_on_finish,
    .on_resource = qpol__bf_on_resource,
    .schedule = qpol__bf_schedule,
    .queued = qpol__bf_queued,
};
