/* evq.c: binary min-heap of events.
 *
 * A binary heap rather than a calendar queue: SWF submit and run times are
 * irregular (seconds to weeks apart), which defeats a calendar's fixed bucket
 * width, while the heap costs O(log n) per push/pop whatever the spread.  The
 * array grows by doubling, so n pushes cost O(n) reallocations amortised. */
#include "evq.h"

#include <stdlib.h>

#include "eng_error.h"

struct evq {
    struct evq_event *heap;
    size_t count, cap;
    uint64_t next_seq;
};

evq_t *evq_create(void)
{
    return calloc(1, sizeof(evq_t));
}

void evq_destroy(evq_t *q)
{
    if (!q)
        return;
    free(q->heap);
    free(q);
}

int evq_event_cmp(const struct evq_event *a, const struct evq_event *b)
{
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    if (a->cls != b->cls)
        return a->cls < b->cls ? -1 : 1;
    if (a->seq != b->seq)
        return a->seq < b->seq ? -1 : 1;
    return 0;
}

static void sift_up(struct evq_event *h, size_t i)
{
    struct evq_event ev = h[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (evq_event_cmp(&h[parent], &ev) <= 0)
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = ev;
}

static void sift_down(struct evq_event *h, size_t n, size_t i)
{
    struct evq_event ev = h[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && evq_event_cmp(&h[child + 1], &h[child]) < 0)
            child++;
        if (evq_event_cmp(&ev, &h[child]) <= 0)
            break;
        h[i] = h[child];
        i = child;
    }
    h[i] = ev;
}

int evq_push(evq_t *q, sim_time_t time, int cls, uint64_t arg)
{
    if (q->count == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 64;
        struct evq_event *h = realloc(q->heap, cap * sizeof *h);
        if (!h)
            return ENG_ENOMEM;
        q->heap = h;
        q->cap = cap;
    }
    q->heap[q->count] = (struct evq_event){time, cls, q->next_seq++, arg};
    sift_up(q->heap, q->count++);
    return 0;
}

bool evq_pop(evq_t *q, struct evq_event *ev)
{
    if (q->count == 0)
        return false;
    *ev = q->heap[0];
    if (--q->count > 0) {
        q->heap[0] = q->heap[q->count];
        sift_down(q->heap, q->count, 0);
    }
    return true;
}

const struct evq_event *evq_peek(const evq_t *q)
{
    return q->count ? &q->heap[0] : NULL;
}

size_t evq_count(const evq_t *q)
{
    return q->count;
}
