/* test_fake_rapi.c: the test double of the resource backend (fake_rapi.h)
 * and a check of its own behaviour. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/fake_rapi.h"

struct booking {
    uint64_t jobid;
    int node;
    sim_time_t start, end;
};

struct fake_rapi {
    int nnodes, cores, gpus;
    bool *down;
    struct booking *b;
    int nb, cap;
    sim_time_t now;
};

fake_rapi_t *fake_rapi_create(int nnodes, int cores, int gpus)
{
    fake_rapi_t *f = calloc(1, sizeof *f);
    f->nnodes = nnodes;
    f->cores = cores;
    f->gpus = gpus;
    f->down = calloc((size_t)nnodes, sizeof *f->down);
    return f;
}

void fake_rapi_destroy(fake_rapi_t *f)
{
    if (!f)
        return;
    free(f->down);
    free(f->b);
    free(f);
}

int fake_rapi_live(const fake_rapi_t *f)
{
    return f->nb;
}

static bool node_free(const fake_rapi_t *f, int node, sim_time_t s, sim_time_t e)
{
    for (int i = 0; i < f->nb; i++)
        if (f->b[i].node == node && f->b[i].start < e && s < f->b[i].end)
            return false;
    return true;
}

/* The lowest 'k' nodes free over [s, e) into 'pick'; false if too few. */
static bool pick_nodes(const fake_rapi_t *f, int k, sim_time_t s, sim_time_t e, int *pick)
{
    int n = 0;
    for (int node = 0; node < f->nnodes && n < k; node++)
        if (!f->down[node] && node_free(f, node, s, e))
            pick[n++] = node;
    return n == k;
}

static void book(fake_rapi_t *f, uint64_t jobid, const int *pick, int k, sim_time_t s,
                 sim_time_t e)
{
    for (int i = 0; i < k; i++) {
        ck_assert(node_free(f, pick[i], s, e)); /* never double-booked */
        if (f->nb == f->cap) {
            f->cap = f->cap ? f->cap * 2 : 16;
            f->b = realloc(f->b, (size_t)f->cap * sizeof *f->b);
        }
        f->b[f->nb++] = (struct booking){jobid, pick[i], s, e};
    }
}

/* idset text of 0..n-1 ("0" or "0-3") */
static void range(char *buf, size_t size, int n)
{
    if (n == 1)
        snprintf(buf, size, "0");
    else
        snprintf(buf, size, "0-%d", n - 1);
}

static char *format_rlite(const fake_rapi_t *f, const int *pick, int k, char **nodelist)
{
    char ranks[1024] = "", hosts[1024] = "", one[32];
    for (int i = 0; i < k; i++) {
        snprintf(one, sizeof one, "%s%d", i ? "," : "", pick[i]);
        strcat(ranks, one);
        snprintf(one, sizeof one, "%sn%d", i ? "," : "", pick[i]);
        strcat(hosts, one);
    }
    char buf[2048], cores[32], gpus[48] = "";
    range(cores, sizeof cores, f->cores);
    if (f->gpus) {
        char g[32];
        range(g, sizeof g, f->gpus);
        snprintf(gpus, sizeof gpus, ", \"gpu\": \"%s\"", g);
    }
    snprintf(buf, sizeof buf, "[{\"rank\": \"%s\", \"children\": {\"core\": \"%s\"%s}}]",
             ranks, cores, gpus);
    *nodelist = strdup(hosts);
    return strdup(buf);
}

static int time_cmp(const void *a, const void *b)
{
    sim_time_t x = *(const sim_time_t *)a, y = *(const sim_time_t *)b;
    return x < y ? -1 : x > y;
}

static int fake_set_time(void *ctx, sim_time_t now, eng_error_t *err)
{
    fake_rapi_t *f = ctx;
    if (now < f->now)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "fake: time went back");
    f->now = now;
    return 0;
}

static int fake_match(void *ctx, enum sim_match_op op, uint64_t jobid,
                      const char *jobspec, struct sim_match_out *out, eng_error_t *err)
{
    fake_rapi_t *f = ctx;
    int k = 0;
    long long w = 0;
    if (sscanf(jobspec, "nodes=%d walltime=%lld", &k, &w) != 2 || k < 1 || w < 1)
        return eng_errorf(err, ENG_EPARSE, "<fake>", 1, 1, "fake: bad jobspec");
    if (k > f->nnodes)
        return ENG_ENOMATCH;
    if (op == SIM_MATCH_SATISFIABILITY)
        return 0;
    int pick[256];
    sim_time_t at = f->now;
    if (!pick_nodes(f, k, at, at + w, pick)) {
        if (op == SIM_MATCH_ALLOCATE)
            return ENG_EBUSY;
        /* candidate starts: the ends of bookings, earliest first */
        sim_time_t *ends = malloc(((size_t)f->nb + 1) * sizeof *ends);
        int ne = 0;
        for (int i = 0; i < f->nb; i++)
            if (f->b[i].end > f->now)
                ends[ne++] = f->b[i].end;
        qsort(ends, (size_t)ne, sizeof *ends, time_cmp);
        bool found = false;
        sim_time_t best = 0;
        for (int i = 0; i < ne && !found; i++) {
            if (i > 0 && ends[i] == ends[i - 1])
                continue;
            if (pick_nodes(f, k, ends[i], ends[i] + w, pick)) {
                best = ends[i];
                found = true;
            }
        }
        free(ends);
        if (!found)
            return ENG_EBUSY;
        at = best;
        pick_nodes(f, k, at, at + w, pick);
    }
    book(f, jobid, pick, k, at, at + w);
    out->at = at;
    out->reserved = at > f->now;
    if (!out->reserved)
        out->r_lite = format_rlite(f, pick, k, &out->nodelist);
    return 0;
}

static int fake_cancel(void *ctx, uint64_t jobid, bool final, eng_error_t *err)
{
    (void) final;
    (void)err;
    fake_rapi_t *f = ctx;
    int n = 0;
    for (int i = 0; i < f->nb; i++)
        if (f->b[i].jobid != jobid)
            f->b[n++] = f->b[i];
    f->nb = n;
    return 0;
}

static int fake_set_status(void *ctx, const char *name, bool up, eng_error_t *err)
{
    fake_rapi_t *f = ctx;
    int node = -1;
    if (sscanf(name, "n%d", &node) != 1 || node < 0 || node >= f->nnodes)
        return eng_errorf(err, ENG_ENOENT, NULL, 0, 0, "fake: no node '%s'", name);
    f->down[node] = !up;
    return 0;
}

static void fake_totals(void *ctx, int64_t totals[SIM_UNIT_COUNT])
{
    fake_rapi_t *f = ctx;
    totals[SIM_UNIT_NODE] = f->nnodes;
    totals[SIM_UNIT_CORE] = (int64_t)f->nnodes * f->cores;
    totals[SIM_UNIT_GPU] = (int64_t)f->nnodes * f->gpus;
}

const struct sim_rapi_ops fake_rapi_ops = {
    .name = "fake",
    .set_time = fake_set_time,
    .match = fake_match,
    .cancel = fake_cancel,
    .set_status = fake_set_status,
    .totals = fake_totals,
};

sim_t *fake_run(fake_rapi_t *f, const struct fake_job *jobs, size_t n, const char *policy,
                const qpol_params_t *p)
{
    eng_error_t err;
    eng_error_clear(&err);
    sim_t *sim = sim_create(&fake_rapi_ops, f, NULL, &err);
    ck_assert_ptr_nonnull(sim);
    for (size_t i = 0; i < n; i++) {
        char js[64];
        snprintf(js, sizeof js, "nodes=%d walltime=%lld", jobs[i].nodes,
                 (long long)jobs[i].walltime);
        struct sim_job_spec spec = {.id = jobs[i].id,
                                    .submit = jobs[i].submit,
                                    .runtime = jobs[i].runtime,
                                    .walltime = jobs[i].walltime,
                                    .jobspec = js,
                                    .req_nodes = jobs[i].nodes,
                                    .req_cores = -1,
                                    .req_gpus = 0};
        ck_assert_int_eq(sim_job_add(sim, &spec, &err), 0);
    }
    const struct qpol_ops *ops = qpol_find(policy);
    ck_assert_ptr_nonnull(ops);
    void *state = ops->create(p, &err);
    ck_assert_msg(state != NULL, "%s", err.text);
    int rc = sim_run(sim, ops, state, &err);
    ck_assert_msg(rc == 0, "sim_run: %d %s", rc, err.text);
    ck_assert_uint_eq(ops->queued(state), 0);
    ops->destroy(state);
    return sim;
}

START_TEST(test_fake_reserve)
{
    fake_rapi_t *f = fake_rapi_create(4, 2, 0);
    struct sim_match_out out = {0};
    ck_assert_int_eq(
        fake_match(f, SIM_MATCH_ALLOCATE, 1, "nodes=3 walltime=100", &out, NULL), 0);
    ck_assert_int_eq(out.at, 0);
    ck_assert_str_eq(out.r_lite,
                     "[{\"rank\": \"0,1,2\", \"children\": {\"core\": \"0-1\"}}]");
    ck_assert_str_eq(out.nodelist, "n0,n1,n2");
    free(out.r_lite);
    free(out.nodelist);
    out = (struct sim_match_out){0};
    ck_assert_int_eq(
        fake_match(f, SIM_MATCH_ALLOCATE, 2, "nodes=2 walltime=10", &out, NULL),
        ENG_EBUSY);
    ck_assert_int_eq(
        fake_match(f, SIM_MATCH_ORELSE_RESERVE, 2, "nodes=2 walltime=10", &out, NULL), 0);
    ck_assert(out.reserved);
    ck_assert_int_eq(out.at, 100);
    ck_assert_ptr_null(out.r_lite);
    ck_assert_int_eq(
        fake_match(f, SIM_MATCH_SATISFIABILITY, 3, "nodes=5 walltime=1", &out, NULL),
        ENG_ENOMATCH);
    ck_assert_int_eq(fake_rapi_live(f), 5);
    fake_cancel(f, 1, true, NULL);
    ck_assert_int_eq(fake_rapi_live(f), 2);
    fake_rapi_destroy(f);
}
END_TEST

Suite *fake_rapi_suite(void)
{
    Suite *s = suite_create("fake_rapi");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_fake_reserve);
    suite_add_tcase(s, tc);
    return s;
}
