/* qpol_easy.c: EASY backfilling: one reservation (the first job that does
 * not fit), every other job backfills around it.  qmanager's
 * queue_policy_easy_t fixes the reservation depth at 1. */
#include "qpol_private.h"

static void *easy_create(const qpol_params_t *p, eng_error_t *err)
{
    int64_t qd;
    if (qpol__queue_depth(p, "easy", &qd, err) < 0)
        return NULL;
    if (p && p->reservation_depth && p->reservation_depth != 1) {
        eng_errorf(err, ENG_EINVAL, NULL, 0, 0,
                   "easy: reservation-depth is always 1 (use hybrid for more)");
        return NULL;
    }
    return qpol__bf_create("easy", qd, 1, p ? p->replan : QPOL_REPLAN_ALWAYS, err);
}

const struct qpol_ops qpol_easy = {
    .name = "easy",
    .create = easy_create,
    .destroy = qpol__bf_destroy,
    .on_submit = qpol__bf_on_submit,
    .on_finish = qpol__bf_on_finish,
    .on_resource = qpol__bf_on_resource,
    .schedule = qpol__bf_schedule,
    .queued = qpol__bf_queued,
};
