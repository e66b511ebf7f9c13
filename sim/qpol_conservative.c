/* qpol_conservative.c: conservative backfilling: every job that does not fit
 * gets a reservation, up to the queue depth.  qmanager's
 * queue_policy_conservative_t sets the reservation depth to
 * MAX_RESERVATION_DEPTH, capped by the queue depth and by
 * max-reservation-depth; here 'reservation-depth', when given, plays the part
 * of max-reservation-depth. */
#include "qpol_private.h"

static void *conservative_create(const qpol_params_t *p, eng_error_t *err)
{
    int64_t qd;
    if (qpol__queue_depth(p, "conservative", &qd, err) < 0)
        return NULL;
    int64_t rd = QPOL_MAX_RESERVATION_DEPTH;
    if (p && p->reservation_depth) {
        if (p->reservation_depth < 1 ||
            p->reservation_depth > QPOL_MAX_RESERVATION_DEPTH) {
            eng_errorf(err, ENG_EINVAL, NULL, 0, 0,
                       "conservative: reservation-depth must be in [1, %d], got %lld",
                       QPOL_MAX_RESERVATION_DEPTH, (long long)p->reservation_depth);
            return NULL;
        }
        rd = p->reservation_depth;
    }
    if (rd > qd)
        rd = qd;
    return qpol__bf_create("conservative", qd, rd, p ? p->replan : QPOL_REPLAN_ALWAYS,
                           err);
}

const struct qpol_ops qpol_conservative = {
    .name = "conservative",
    .create = conservative_create,
    .destroy = qpol__bf_destroy,
    .on_submit = qpol__bf_on_submit,
    .on_finish = qpol__bf_on_finish,
    .on_resource = qpol__bf_on_resource,
    .schedule = qpol__bf_schedule,
    .queued = qpol__bf_queued,
};
