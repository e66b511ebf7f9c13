/* wtrace_check.h: checks shared by the workload suites (SWF, JSON-lines
 * traces, synthetic workloads).  Header-only: see tests/corpus.h. */
#ifndef TESTS_WORKLOADS_WTRACE_CHECK_H
#define TESTS_WORKLOADS_WTRACE_CHECK_H

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "eng_error.h"
#include "jtrace.h"
#include "swf.h"

/* 't', or abort the test with the text of 'err' when 't' is NULL. */
static inline wtrace_t *wtrace_check_ok(wtrace_t *t, const eng_error_t *err)
{
    if (!t) {
        char buf[512];
        ck_abort_msg("%s", eng_error_format(err, buf, sizeof buf));
    }
    return t;
}

/* 't' written as SWF ('swf') or JSON lines, as a new string (free()). */
static inline char *wtrace_check_write(const wtrace_t *t, bool swf)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(fp);
    eng_error_t err;
    ck_assert_int_eq(swf ? swf_write(t, fp, &err) : jtrace_write(t, fp, &err), 0);
    fclose(fp);
    return buf;
}

/* Same records, as the simulator sees them (swf[] only when 'swf'). */
static inline void wtrace_check_same(const wtrace_t *a, const wtrace_t *b, bool swf)
{
    ck_assert_uint_eq(wtrace_count(a), wtrace_count(b));
    ck_assert_int_eq(wtrace_submit_offset(a), wtrace_submit_offset(b));
    for (size_t i = 0; i < wtrace_count(a); i++) {
        const wjob_t *x = wtrace_job(a, i), *y = wtrace_job(b, i);
        ck_assert_int_eq(x->id, y->id);
        ck_assert_int_eq(x->submit_s, y->submit_s);
        ck_assert_int_eq(x->runtime_s, y->runtime_s);
        ck_assert_int_eq(x->walltime_s, y->walltime_s);
        ck_assert_int_eq(x->procs, y->procs);
        ck_assert_int_eq(x->nodes, y->nodes);
        ck_assert_int_eq(x->cores, y->cores);
        ck_assert_int_eq(x->gpus, y->gpus);
        ck_assert_int_eq(x->user, y->user);
        ck_assert_int_eq(x->group, y->group);
        ck_assert_int_eq(x->queue, y->queue);
        ck_assert_int_eq(x->status, y->status);
        ck_assert_int_eq(x->reason, y->reason);
        ck_assert(x->jobspec == y->jobspec || strcmp(x->jobspec, y->jobspec) == 0);
        if (swf)
            ck_assert_mem_eq(x->swf, y->swf, sizeof x->swf);
    }
}

#endif /* TESTS_WORKLOADS_WTRACE_CHECK_H */
