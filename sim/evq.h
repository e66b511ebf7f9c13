/* evq.h: the simulator's event queue, a binary min-heap with a total order.
 *
 * Events are ordered by the key (time, class, seq): earlier time first; at
 * the same time a lower class first (the simulator ranks completions before
 * arrivals before scheduling passes, see sim.h); at the same time and class
 * the event pushed first (seq is a counter held in the queue, as libuv's
 * timer start_id).  The order therefore never depends on pointer values or
 * on anything outside the queue, so runs are reproducible. */
#ifndef SCHEDSIM_EVQ_H
#define SCHEDSIM_EVQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t sim_time_t; /* virtual time, integer seconds */

struct evq_event {
    sim_time_t time; /* when it happens */
    int cls;         /* rank among events at the same time; lower first */
    uint64_t seq;    /* push order, assigned by evq_push() */
    uint64_t arg;    /* payload (e.g. a job index); opaque to the queue */
};

typedef struct evq evq_t;

/* New empty queue, released with evq_destroy().  NULL when out of memory. */
evq_t *evq_create(void);
void evq_destroy(evq_t *q); /* NULL is a no-op */

/* Add an event with 'time', 'cls' and 'arg'; its seq is the next counter
 * value.  Returns 0, or ENG_ENOMEM (the queue is unchanged). */
int evq_push(evq_t *q, sim_time_t time, int cls, uint64_t arg);

/* Remove the first event into '*ev'.  Returns false when the queue is empty. */
bool evq_pop(evq_t *q, struct evq_event *ev);

/* The first event, borrowed until the next push or pop; NULL when empty. */
const struct evq_event *evq_peek(const evq_t *q);

size_t evq_count(const evq_t *q);

/* -1, 0 or 1 as 'a' orders before, equal to, or after 'b' by (time, cls, seq). */
int evq_event_cmp(const struct evq_event *a, const struct evq_event *b);

#endif /* SCHEDSIM_EVQ_H */
