/* test_evq.c: the event queue's total order (time, class, seq). */
#include <check.h>
#include <stdlib.h>

#include "evq.h"

START_TEST(test_order_key)
{
    evq_t *q = evq_create();
    /* pushed out of order; arg tells the expected pop position */
    ck_assert_int_eq(evq_push(q, 10, 3, 5), 0); /* pass at 10 */
    ck_assert_int_eq(evq_push(q, 10, 2, 3), 0); /* arrival at 10 */
    ck_assert_int_eq(evq_push(q, 10, 0, 1), 0); /* completion at 10 */
    ck_assert_int_eq(evq_push(q, 5, 3, 0), 0);
    ck_assert_int_eq(evq_push(q, 10, 2, 4), 0); /* second arrival: after the first */
    ck_assert_int_eq(evq_push(q, 10, 0, 2), 0); /* second completion */
    ck_assert_int_eq(evq_push(q, 11, 0, 6), 0);
    ck_assert_uint_eq(evq_count(q), 7);
    ck_assert_int_eq(evq_peek(q)->time, 5);
    struct evq_event ev, last = {0};
    for (uint64_t i = 0; i < 7; i++) {
        ck_assert(evq_pop(q, &ev));
        ck_assert_uint_eq(ev.arg, i);
        if (i)
            ck_assert_int_lt(evq_event_cmp(&last, &ev), 0);
        last = ev;
    }
    ck_assert(!evq_pop(q, &ev));
    ck_assert_ptr_null(evq_peek(q));
    evq_destroy(q);
    evq_destroy(NULL);
}
END_TEST

/* Many events with few distinct keys: the pop order must be exactly the
 * sort by (time, cls, push order), whatever the heap's internal layout. */
START_TEST(test_many_ties)
{
    evq_t *q = evq_create();
    enum { N = 5000 };
    uint64_t state = 12345;
    for (int i = 0; i < N; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        int t = (int)((state >> 33) % 7), c = (int)((state >> 45) % 4);
        ck_assert_int_eq(evq_push(q, t, c, (uint64_t)i), 0);
    }
    struct evq_event prev, ev;
    ck_assert(evq_pop(q, &prev));
    for (int i = 1; i < N; i++) {
        ck_assert(evq_pop(q, &ev));
        ck_assert_int_lt(evq_event_cmp(&prev, &ev), 0);
        if (prev.time == ev.time && prev.cls == ev.cls)
            ck_assert_uint_lt(prev.arg, ev.arg); /* seq = push order */
        prev = ev;
    }
    evq_destroy(q);
}
END_TEST

Suite *evq_suite(void)
{
    Suite *s = suite_create("evq");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_order_key);
    tcase_add_test(tc, test_many_ties);
    suite_add_tcase(s, tc);
    return s;
}
