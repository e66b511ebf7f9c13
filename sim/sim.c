/* sim.c: event loop, job table and the narrow API policies use.
 *
 * The loop owns no policy knowledge: arrivals, completions and resource
 * events become calls of the policy's ops, and one scheduling pass is queued
 * per instant at which something happened (class SIM_EV_SCHED sorts after
 * everything else at that instant, so the pass sees all of it).  Jobs live in
 * one array indexed by their position; the backend knows job 'i' as id i + 1
 * because Fluxion treats job id 0 as unset in places. */
#include "sim.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qpol.h"
#include "runits.h"

/* Match-duration histogram: 32 log-spaced buckets per doubling of the
 * nanosecond count, covering every int64.  16 KiB per sim instead of one
 * number per call (a deep queue makes millions of calls). */
enum { HIST_PER_OCTAVE = 32, HIST_BUCKETS = 64 * HIST_PER_OCTAVE };

struct resev {
    sim_time_t t;
    bool up;
    char *name;
};

struct arrival {
    sim_time_t submit;
    size_t job; /* index in jobs */
};

struct sim {
    const struct sim_rapi_ops *rapi;
    void *ctx;
    struct sim_params params;
    evq_t *evq;
    sim_job_t **jobs; /* pointers, so borrowed sim_job_t * stay valid on growth */
    size_t njobs, cap;
    struct resev *resevs;
    size_t nresevs, resev_cap;
    sim_time_t now;
    sim_time_t pass_at; /* time of the queued pass, -1 none */
    bool running, ran;
    uint64_t next_arrival_seq;
    /* the jobs to arrive, by (submit, index): only the next one waits in the
     * queue, so the heap holds running jobs and a few events, not the log */
    struct arrival *arrivals;
    size_t narrivals, next_arrival;
    struct sim_stats st;
    int64_t totals[SIM_UNIT_COUNT];
    int64_t busy[SIM_UNIT_COUNT]; /* units held by running jobs */
    uint64_t hist[HIST_BUCKETS];
    const struct qpol_ops *ops;
    void *qstate;
    eng_error_t run_err; /* errors of the run; copied to sim_run()'s caller */
};

const char *sim_job_state_name(enum sim_job_state st)
{
    switch (st) {
    case SIM_JOB_FUTURE:
        return "future";
    case SIM_JOB_QUEUED:
        return "queued";
    case SIM_JOB_RUNNING:
        return "running";
    case SIM_JOB_COMPLETED:
        return "completed";
    case SIM_JOB_REJECTED:
        return "rejected";
    case SIM_JOB_UNMAPPED:
        return "unmapped";
    }
    return "unknown";
}

sim_t *sim_create(const struct sim_rapi_ops *rapi, void *ctx, const struct sim_params *p,
                  eng_error_t *err)
{
    if (!rapi || !rapi->set_time || !rapi->match || !rapi->cancel || !rapi->totals) {
        eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "sim: backend is missing an operation");
        return NULL;
    }
    sim_t *sim = calloc(1, sizeof *sim);
    if (!sim || !(sim->evq = evq_create())) {
        free(sim);
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
        return NULL;
    }
    sim->rapi = rapi;
    sim->ctx = ctx;
    if (p)
        sim->params = *p;
    if (sim->params.progress_every == 0)
        sim->params.progress_every = 4096;
    sim->pass_at = -1;
    rapi->totals(ctx, sim->totals);
    return sim;
}

static void job_free(sim_job_t *j)
{
    if (!j)
        return;
    free(j->jobspec);
    free(j->r_lite);
    free(j->nodelist);
    free(j->note);
    free(j);
}

void sim_destroy(sim_t *sim)
{
    if (!sim)
        return;
    for (size_t i = 0; i < sim->njobs; i++)
        job_free(sim->jobs[i]);
    free(sim->jobs);
    free(sim->arrivals);
    for (size_t i = 0; i < sim->nresevs; i++)
        free(sim->resevs[i].name);
    free(sim->resevs);
    evq_destroy(sim->evq);
    free(sim);
}

static char *dup_or_null(const char *s, bool *oom)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *oom = true;
    return d;
}

static int check_spec(const struct sim_job_spec *s, eng_error_t *err)
{
    if (s->unmapped)
        return 0;
    if (!s->jobspec)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "job %lld: no jobspec",
                          (long long)s->id);
    if (s->submit < 0 || s->runtime < 0 || s->walltime < 1)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0,
                          "job %lld: submit and run time must be >= 0 and walltime >= 1",
                          (long long)s->id);
    return 0;
}

int sim_job_add(sim_t *sim, const struct sim_job_spec *spec, eng_error_t *err)
{
    if (sim->running || sim->ran)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0,
                          "sim: jobs must be added before the run");
    int rc = check_spec(spec, err);
    if (rc < 0)
        return rc;
    if (sim->njobs == sim->cap) {
        size_t cap = sim->cap ? sim->cap * 2 : 256;
        sim_job_t **a = realloc(sim->jobs, cap * sizeof *a);
        if (!a)
            return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
        sim->jobs = a;
        sim->cap = cap;
    }
    sim_job_t *j = calloc(1, sizeof *j);
    bool oom = !j;
    if (j) {
        *j = (sim_job_t){.index = sim->njobs,
                         .id = spec->id,
                         .submit = spec->submit,
                         .runtime = spec->runtime,
                         .walltime = spec->walltime,
                         .req_nodes = spec->req_nodes,
                         .req_cores = spec->req_cores,
                         .min_cores = spec->min_cores,
                         .req_gpus = spec->req_gpus,
                         .state = spec->unmapped ? SIM_JOB_UNMAPPED : SIM_JOB_FUTURE,
                         .start = -1,
                         .end = -1,
                         .first_reserved_at = -1,
                         .reserved_at = -1};
        j->jobspec = dup_or_null(spec->unmapped ? NULL : spec->jobspec, &oom);
        j->note = dup_or_null(spec->unmapped, &oom);
    }
    if (oom) {
        job_free(j);
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
    }
    sim->jobs[sim->njobs++] = j;
    if (j->state == SIM_JOB_UNMAPPED)
        sim->st.unmapped++;
    return 0;
}

int sim_resource_event_add(sim_t *sim, sim_time_t t, const char *name, bool up,
                           eng_error_t *err)
{
    if (sim->running || sim->ran || t < 0 || !name || !*name)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0,
                          "sim: resource events need a time >= 0 and a name");
    if (sim->nresevs == sim->resev_cap) {
        size_t cap = sim->resev_cap ? sim->resev_cap * 2 : 16;
        struct resev *a = realloc(sim->resevs, cap * sizeof *a);
        if (!a)
            return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
        sim->resevs = a;
        sim->resev_cap = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
    sim->resevs[sim->nresevs++] = (struct resev){t, up, copy};
    return 0;
}

eng_error_t *sim_error(sim_t *sim)
{
    return &sim->run_err;
}

sim_time_t sim_now(const sim_t *sim)
{
    return sim->now;
}

const sim_job_t *sim_job(const sim_t *sim, size_t index)
{
    return index < sim->njobs ? sim->jobs[index] : NULL;
}

size_t sim_job_count(const sim_t *sim)
{
    return sim->njobs;
}

void sim_totals(const sim_t *sim, int64_t totals[SIM_UNIT_COUNT])
{
    memcpy(totals, sim->totals, sizeof sim->totals);
}

void sim_stats_get(const sim_t *sim, struct sim_stats *st)
{
    *st = sim->st;
    st->now = sim->now;
}

/* ---- match-time histogram ----------------------------------------------- */

static void hist_add(sim_t *sim, int64_t ns)
{
    size_t b = 0;
    if (ns > 1) {
        double x = floor(log2((double)ns) * HIST_PER_OCTAVE);
        b = x >= HIST_BUCKETS - 1 ? HIST_BUCKETS - 1 : (size_t)x;
    }
    sim->hist[b]++;
}

int64_t sim_match_quantile_ns(const sim_t *sim, double q)
{
    uint64_t total = 0;
    for (size_t b = 0; b < HIST_BUCKETS; b++)
        total += sim->hist[b];
    if (total == 0 || !sim->params.clock_ns)
        return 0;
    double want = q * (double)total;
    uint64_t acc = 0;
    size_t b = 0;
    for (; b < HIST_BUCKETS - 1; b++) {
        acc += sim->hist[b];
        if ((double)acc >= want && acc > 0)
            break;
    }
    /* geometric middle of the bucket */
    return (int64_t)llround(exp2(((double)b + 0.5) / HIST_PER_OCTAVE));
}

/* ---- backend calls ------------------------------------------------------ */

static int do_match(sim_t *sim, enum sim_match_op op, sim_job_t *j,
                    struct sim_match_out *out, eng_error_t *err)
{
    *out = (struct sim_match_out){.at = -1};
    int64_t t0 = sim->params.clock_ns ? sim->params.clock_ns(sim->params.clock_arg) : 0;
    int rc = sim->rapi->match(sim->ctx, op, j->index + 1, j->jobspec, out, err);
    if (rc == 0)
        j->reordered = out->reordered;
    j->match_calls++;
    sim->st.match_calls++;
    if (sim->params.clock_ns) {
        int64_t dt = sim->params.clock_ns(sim->params.clock_arg) - t0;
        j->match_ns += dt;
        sim->st.match_ns += dt;
        hist_add(sim, dt);
    }
    if (rc < 0) {
        free(out->r_lite);
        free(out->nodelist);
        out->r_lite = out->nodelist = NULL;
    }
    return rc;
}

static int queue_pass(sim_t *sim)
{
    return sim_schedule_at(sim, sim->now);
}

int sim_schedule_at(sim_t *sim, sim_time_t t)
{
    if (t < sim->now)
        return ENG_EINVAL;
    if (t == sim->pass_at)
        return 0;
    int rc = evq_push(sim->evq, t, SIM_EV_SCHED, 0);
    if (rc == 0 && (sim->pass_at < 0 || t < sim->pass_at))
        sim->pass_at = t;
    return rc;
}

static int start_now(sim_t *sim, sim_job_t *j, struct sim_match_out *out,
                     eng_error_t *err)
{
    j->r_lite = out->r_lite;
    j->nodelist = out->nodelist;
    out->r_lite = out->nodelist = NULL;
    if (j->r_lite && out->has_units) {
        memcpy(j->units, out->units, sizeof j->units);
    } else if (j->r_lite) {
        int rc = runits_count(j->r_lite, j->units, err);
        if (rc < 0)
            return rc;
    }
    for (int u = 0; u < SIM_UNIT_COUNT; u++)
        sim->busy[u] += j->units[u];
    j->state = SIM_JOB_RUNNING;
    j->reserved_at = -1;
    j->start = sim->now;
    j->end = sim->now + (j->runtime < j->walltime ? j->runtime : j->walltime);
    sim->st.started++;
    sim->st.queued--;
    sim->st.running++;
    if (evq_push(sim->evq, j->end, SIM_EV_FINISH, j->index) < 0)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
    return 0;
}

static sim_job_t *queued_job(sim_t *sim, const sim_job_t *job)
{
    if (!job || job->index >= sim->njobs || sim->jobs[job->index] != job ||
        job->state != SIM_JOB_QUEUED)
        return NULL;
    return sim->jobs[job->index];
}

int sim_unreserve(sim_t *sim, const sim_job_t *job, eng_error_t *err)
{
    sim_job_t *j = queued_job(sim, job);
    if (!j)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "sim: job is not queued");
    if (j->reserved_at < 0)
        return 0;
    j->reserved_at = -1;
    return sim->rapi->cancel(sim->ctx, j->index + 1, false, err);
}

/* Cores are never shared, so a job needing more cores than are idle cannot
 * start now, whatever the backend would search. */
static bool cannot_start_now(const sim_t *sim, const sim_job_t *j)
{
    return j->min_cores > sim->totals[SIM_UNIT_CORE] - sim->busy[SIM_UNIT_CORE];
}

int sim_start_job(sim_t *sim, const sim_job_t *job, eng_error_t *err)
{
    sim_job_t *j = queued_job(sim, job);
    if (!j)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "sim: job is not queued");
    int rc = sim_unreserve(sim, j, err);
    if (rc < 0)
        return rc;
    /* This skips most failed backfill attempts on a full machine; the
     * schedule is unchanged, only match_calls shrinks. */
    if (cannot_start_now(sim, j)) {
        sim->st.prechecked++;
        return ENG_EBUSY;
    }
    struct sim_match_out out;
    if ((rc = do_match(sim, SIM_MATCH_ALLOCATE, j, &out, err)) < 0)
        return rc;
    rc = start_now(sim, j, &out, err);
    free(out.r_lite);
    free(out.nodelist);
    return rc;
}

int sim_reserve(sim_t *sim, const sim_job_t *job, sim_time_t *at, eng_error_t *err)
{
    sim_job_t *j = queued_job(sim, job);
    if (!j)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "sim: job is not queued");
    int rc = sim_unreserve(sim, j, err);
    if (rc < 0)
        return rc;
    /* the backend need not try now before searching for the earliest start */
    struct sim_match_out out;
    rc = do_match(sim,
                  cannot_start_now(sim, j) ? SIM_MATCH_RESERVE_LATER
                                           : SIM_MATCH_ORELSE_RESERVE,
                  j, &out, err);
    if (rc < 0)
        return rc;
    if (out.reserved && out.at > sim->now) {
        j->reserved_at = out.at;
        if (j->first_reserved_at < 0)
            j->first_reserved_at = out.at;
        *at = out.at;
    } else {
        *at = sim->now;
        rc = start_now(sim, j, &out, err);
    }
    free(out.r_lite);
    free(out.nodelist);
    return rc;
}

static int reject(sim_t *sim, sim_job_t *j, const char *why, eng_error_t *err)
{
    free(j->note);
    if (!(j->note = strdup(why)))
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
    j->state = SIM_JOB_REJECTED;
    sim->st.rejected++;
    return sim->rapi->cancel(sim->ctx, j->index + 1, true, err);
}

int sim_reject_job(sim_t *sim, const sim_job_t *job, const char *why, eng_error_t *err)
{
    sim_job_t *j = queued_job(sim, job);
    if (!j)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "sim: job is not queued");
    int rc = sim_unreserve(sim, j, err);
    if (rc < 0)
        return rc;
    sim->st.queued--;
    return reject(sim, j, why ? why : "rejected", err);
}

/* ---- event handlers ----------------------------------------------------- */

static int on_arrival(sim_t *sim, sim_job_t *j, eng_error_t *err)
{
    sim->st.submitted++;
    j->arrival_seq = sim->next_arrival_seq++;
    struct sim_match_out out;
    eng_error_t jerr; /* a bad jobspec rejects the job, not the run */
    eng_error_clear(&jerr);
    int rc = do_match(sim, SIM_MATCH_SATISFIABILITY, j, &out, &jerr);
    free(out.r_lite);
    free(out.nodelist);
    if (rc == ENG_ENOMATCH)
        return reject(sim, j, "unsatisfiable", err);
    if (rc == ENG_EPARSE || rc == ENG_EINVAL || rc == ENG_ELIMIT) {
        char why[ENG_ERROR_TEXT_MAX + 64], where[ENG_ERROR_TEXT_MAX + 200];
        snprintf(why, sizeof why, "invalid jobspec: %s",
                 eng_error_format(&jerr, where, sizeof where));
        return reject(sim, j, why, err);
    }
    if (rc < 0 && rc != ENG_EBUSY) { /* EBUSY: it could fit some day, queue it */
        eng_errorf(err, rc, jerr.source[0] ? jerr.source : NULL, jerr.line, jerr.column,
                   "%s", jerr.text);
        return rc;
    }
    j->state = SIM_JOB_QUEUED;
    sim->st.queued++;
    if ((rc = sim->ops->on_submit(sim->qstate, sim, j)) != 0)
        return rc;
    return queue_pass(sim);
}

static int on_finish(sim_t *sim, sim_job_t *j, eng_error_t *err)
{
    for (int u = 0; u < SIM_UNIT_COUNT; u++)
        sim->busy[u] -= j->units[u];
    j->state = SIM_JOB_COMPLETED;
    sim->st.running--;
    sim->st.completed++;
    int rc = sim->rapi->cancel(sim->ctx, j->index + 1, true, err);
    if (rc < 0)
        return rc;
    if ((rc = sim->ops->on_finish(sim->qstate, sim, j)) != 0)
        return rc;
    return queue_pass(sim);
}

static int on_resource(sim_t *sim, const struct resev *r, eng_error_t *err)
{
    if (!sim->rapi->set_status)
        return eng_errorf(err, ENG_ENOTSUP, NULL, 0, 0,
                          "sim: backend '%s' cannot change resource status",
                          sim->rapi->name);
    int rc = sim->rapi->set_status(sim->ctx, r->name, r->up, err);
    if (rc < 0)
        return rc;
    if (sim->ops->on_resource && (rc = sim->ops->on_resource(sim->qstate, sim)) != 0)
        return rc;
    return queue_pass(sim);
}

static int on_sched(sim_t *sim)
{
    if (sim->pass_at == sim->now)
        sim->pass_at = -1;
    sim->st.passes++;
    return sim->ops->schedule(sim->qstate, sim);
}

/* Queue the next job to arrive, if any.  An arrival's place among events of
 * its time is by class (none other is an arrival) and then push order, which
 * is (submit, index) order either way. */
static int push_arrival(sim_t *sim)
{
    if (sim->next_arrival == sim->narrivals)
        return 0;
    const struct arrival *a = &sim->arrivals[sim->next_arrival++];
    return evq_push(sim->evq, a->submit, SIM_EV_ARRIVAL, a->job);
}

static int dispatch(sim_t *sim, const struct evq_event *ev, eng_error_t *err)
{
    switch ((enum sim_event_class)ev->cls) {
    case SIM_EV_FINISH:
        return on_finish(sim, sim->jobs[ev->arg], err);
    case SIM_EV_RESOURCE:
        return on_resource(sim, &sim->resevs[ev->arg], err);
    case SIM_EV_ARRIVAL:
        if (push_arrival(sim) < 0)
            return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
        return on_arrival(sim, sim->jobs[ev->arg], err);
    case SIM_EV_SCHED:
        return on_sched(sim);
    }
    return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "sim: unknown event class %d",
                      ev->cls);
}

/* By submit time, then index (a total order: no two jobs share an index). */
static int cmp_arrival(const void *a, const void *b)
{
    const struct arrival *x = a, *y = b;
    if (x->submit != y->submit)
        return x->submit < y->submit ? -1 : 1;
    return (x->job > y->job) - (x->job < y->job);
}

static int seed_events(sim_t *sim, eng_error_t *err)
{
    if (!(sim->arrivals = malloc((sim->njobs ? sim->njobs : 1) * sizeof *sim->arrivals)))
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
    bool sorted = true;
    for (size_t i = 0; i < sim->njobs; i++) {
        if (sim->jobs[i]->state != SIM_JOB_FUTURE)
            continue;
        size_t n = sim->narrivals;
        sorted =
            sorted && (n == 0 || sim->arrivals[n - 1].submit <= sim->jobs[i]->submit);
        sim->arrivals[sim->narrivals++] = (struct arrival){sim->jobs[i]->submit, i};
    }
    if (!sorted)
        qsort(sim->arrivals, sim->narrivals, sizeof *sim->arrivals, cmp_arrival);
    if (push_arrival(sim) < 0)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
    for (size_t i = 0; i < sim->nresevs; i++)
        if (evq_push(sim->evq, sim->resevs[i].t, SIM_EV_RESOURCE, i) < 0)
            return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "sim: out of memory");
    return 0;
}

static void progress(sim_t *sim)
{
    if (sim->params.progress)
        sim->params.progress(sim->params.progress_arg, sim);
}

int sim_run(sim_t *sim, const struct qpol_ops *ops, void *state, eng_error_t *err)
{
    if (sim->ran || !ops || !ops->on_submit || !ops->on_finish || !ops->schedule)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0,
                          sim->ran ? "sim: a simulator runs once"
                                   : "sim: policy is missing an operation");
    sim->ran = sim->running = true;
    sim->ops = ops;
    sim->qstate = state;
    eng_error_t *rerr = &sim->run_err;
    eng_error_clear(rerr);
    int rc = seed_events(sim, rerr);
    struct evq_event ev;
    while (rc == 0 && evq_pop(sim->evq, &ev)) {
        if (ev.time > sim->now) {
            sim->now = ev.time;
            if ((rc = sim->rapi->set_time(sim->ctx, sim->now, rerr)) < 0)
                break;
        }
        sim->st.events++;
        rc = dispatch(sim, &ev, rerr);
        if (rc != 0 && rerr->code == 0) /* a policy's code without a report */
            eng_errorf(rerr, rc < 0 ? rc : ENG_ESTATE, NULL, 0, 0,
                       "policy '%s' stopped the run (%d)", ops->name, rc);
        if (sim->st.events % sim->params.progress_every == 0)
            progress(sim);
    }
    sim->running = false;
    progress(sim);
    if (rc != 0 && err)
        *err = *rerr;
    return rc;
}
