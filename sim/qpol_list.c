/* qpol_list.c: the arrival-ordered job lists of the queue policies. */
#include <stdlib.h>

#include "qpol_private.h"

void qpol__arena_free(struct qpol__arena *a)
{
    free(a->next);
    free(a->prev);
    free(a->seq);
    free(a->mark);
    *a = (struct qpol__arena){0};
}

void qpol__list_init(struct qpol__list *l)
{
    *l = (struct qpol__list){QPOL_NIL, QPOL_NIL, 0};
}

static int grow(struct qpol__arena *a, size_t idx)
{
    if (idx < a->cap)
        return 0;
    size_t cap = a->cap ? a->cap : 256;
    while (cap <= idx)
        cap *= 2;
    size_t *next = realloc(a->next, cap * sizeof *next);
    if (!next)
        return ENG_ENOMEM;
    a->next = next;
    size_t *prev = realloc(a->prev, cap * sizeof *prev);
    if (!prev)
        return ENG_ENOMEM;
    a->prev = prev;
    uint64_t *seq = realloc(a->seq, cap * sizeof *seq);
    if (!seq)
        return ENG_ENOMEM;
    a->seq = seq;
    uint64_t *mark = realloc(a->mark, cap * sizeof *mark);
    if (!mark)
        return ENG_ENOMEM;
    a->mark = mark;
    a->cap = cap;
    return 0;
}

/* Link 'idx' after 'at' (QPOL_NIL: at the head). */
static void link_after(struct qpol__arena *a, struct qpol__list *l, size_t at, size_t idx)
{
    size_t nx = at == QPOL_NIL ? l->head : a->next[at];
    a->prev[idx] = at;
    a->next[idx] = nx;
    if (at == QPOL_NIL)
        l->head = idx;
    else
        a->next[at] = idx;
    if (nx == QPOL_NIL)
        l->tail = idx;
    else
        a->prev[nx] = idx;
    l->count++;
}

int qpol__list_insert(struct qpol__arena *a, struct qpol__list *l, size_t idx,
                      uint64_t seq)
{
    if (grow(a, idx) < 0)
        return ENG_ENOMEM;
    a->seq[idx] = seq;
    a->mark[idx] = 0;
    size_t at = l->tail;
    while (at != QPOL_NIL && a->seq[at] > seq)
        at = a->prev[at];
    link_after(a, l, at, idx);
    return 0;
}

void qpol__list_remove(struct qpol__arena *a, struct qpol__list *l, size_t idx)
{
    size_t pv = a->prev[idx], nx = a->next[idx];
    if (pv == QPOL_NIL)
        l->head = nx;
    else
        a->next[pv] = nx;
    if (nx == QPOL_NIL)
        l->tail = pv;
    else
        a->prev[nx] = pv;
    l->count--;
}

void qpol__list_merge(struct qpol__arena *a, struct qpol__list *dst,
                      struct qpol__list *src)
{
    size_t at = QPOL_NIL; /* last member of dst known to precede the next src job */
    size_t cur = dst->head;
    while (src->head != QPOL_NIL) {
        size_t idx = src->head;
        qpol__list_remove(a, src, idx);
        while (cur != QPOL_NIL && a->seq[cur] < a->seq[idx]) {
            at = cur;
            cur = a->next[cur];
        }
        link_after(a, dst, at, idx);
        at = idx;
    }
}

int qpol__queue_depth(const qpol_params_t *p, const char *name, int64_t *qdepth,
                      eng_error_t *err)
{
    int64_t qd = p && p->queue_depth ? p->queue_depth : QPOL_DEFAULT_QUEUE_DEPTH;
    if (qd < 1 || qd > QPOL_MAX_QUEUE_DEPTH)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0,
                          "%s: queue-depth must be in [1, %d], got %lld", name,
                          QPOL_MAX_QUEUE_DEPTH, (long long)qd);
    *qdepth = qd;
    return 0;
}
