/* wgen.h: synthetic workloads, seeded and reproducible, scaled to a load.
 *
 * Models draw from one GSL generator (gsl_rng_mt19937) seeded explicitly,
 * so the same parameters give the same jobs, byte for byte.
 *
 * "lublin": U. Lublin and D. G. Feitelson, "The workload on parallel
 * supercomputers: modeling the characteristics of rigid jobs", Journal of
 * Parallel and Distributed Computing 63(11):1105-1122, 2003, with the
 * published default parameters for batch jobs (as in the authors'
 * generator, lublin99):
 * - size: a job is serial with probability 0.2927, a parallel job of a
 *   power-of-two size with probability 0.6686, otherwise a parallel job of
 *   any size.  For parallel jobs log2(size) is drawn from a two-stage
 *   uniform (on [1.2, umed] with probability 0.875, else on [umed, uhi]),
 *   with uhi = log2(machine size) and umed = uhi - 2 (the published umed 5
 *   of the model's 128-node machine), and rounded to an integer for the
 *   power-of-two ones; size = round(2^x), capped at the machine size;
 * - run time: exp of a hyper-gamma: gamma(6.57, 0.823) with probability
 *   p = -0.003 * size + 0.6986 (clipped to [0, 1]), else gamma(639.1,
 *   0.0156); draws above 12 (162,754 s) are redrawn;
 * - arrivals: log inter-arrival times from gamma(6.0415 * 1.0519, 0.8531)
 *   (draws above 13 redrawn), spent against a daily cycle of 48 half-hour
 *   buckets weighted by the gamma(6.1271, 5.2740) distribution (the day
 *   starting at bucket 11 of that distribution), so arrivals peak in the
 *   working day and thin out at night.
 * "lublin-all": the same model with the parameters the authors fitted to
 *   the whole sample, batch and interactive jobs together (serial 0.244,
 *   power of two 0.576, ulow 0.8, umed = uhi - 2.5, uprob 0.86; run time
 *   gamma(4.2, 0.94) / gamma(312, 0.03), p = -0.0054 * size + 0.78; log gaps
 *   gamma(10.2303 * 1.0225, 0.4871); cycle gamma(8.1737, 3.9631)), which is
 *   what the Parallel Workloads Archive's lublin_256.swf was made with; its
 *   test compares the two.
 * "poisson": Poisson arrivals (exponential inter-arrival times), run times
 *   log-normal with zeta = 7.0 and sigma = 1.5 (median 1,097 s; above
 *   162,754 s redrawn), sizes 2^k with k uniform on 0..floor(log2(machine)).
 *
 * Sizes are in nodes (WJOB_UNIT_NODE: a job of k nodes asks for k whole
 * exclusive nodes, k * cores_per_node processors in SWF) or in cores
 * (WJOB_UNIT_CORE: the machine has nodes * cores_per_node cores anywhere).
 *
 * Offered load = sum(runtime * cores) / (span * nodes * cores_per_node),
 * span = last submit - first submit.  With a target 'load' > 0 the gaps
 * between arrivals are scaled by one common factor (found by bisection for
 * lublin, where the daily cycle makes span non-linear in the factor; exact
 * for poisson), so the trace's offered load is the target to within the
 * rounding of submit times to whole seconds; the daily cycle keeps its 24
 * hours.  With load 0 the model's own arrival rate is used (poisson: mean
 * gap 'mean_interarrival_s').
 *
 * Generated jobs have no requested time: walltime = run time.  Arrival
 * times count from midnight of day 0 ("UnixStartTime: 0"); as for any
 * trace, they are shifted to start at 0 and the first arrival is kept as
 * the submit offset, so (offset + submit) mod 86400 is the time of day.
 */
#ifndef WGEN_H
#define WGEN_H

#include <stddef.h>
#include <stdint.h>

#include "eng_error.h"
#include "wjob.h"
#include "wtrace.h"

enum wgen_model {
    WGEN_LUBLIN = 0,     /* "lublin": Lublin-Feitelson, batch-job parameters */
    WGEN_POISSON = 1,    /* "poisson": Poisson arrivals, log-normal run times */
    WGEN_LUBLIN_ALL = 2, /* "lublin-all": Lublin-Feitelson, whole-sample fit */
};

typedef struct wgen_params {
    enum wgen_model model;
    size_t jobs;                /* number of jobs, >= 1 */
    uint64_t seed;              /* seed of the generator */
    int64_t nodes;              /* machine size in nodes, >= 1 */
    int64_t cores_per_node;     /* >= 1 */
    enum wjob_unit unit;        /* sizes in nodes (default) or cores */
    double load;                /* target offered load; 0 = model's own rate */
    double mean_interarrival_s; /* poisson without a target load; > 0 */
} wgen_params_t;

/* Defaults: lublin, 1000 jobs, seed 1, 128 nodes of 1 core, node units,
 * the model's own rate, 600 s mean gap for poisson. */
void wgen_params_init(wgen_params_t *p);

/* Model named 'name' ("lublin", "poisson", "lublin-all"), or -1. */
int wgen_model_parse(const char *name);

/* Name of 'm', or "unknown". */
const char *wgen_model_name(enum wgen_model m);

/* Generate the workload 'p' describes.  Returns a new trace (submit order,
 * first submit 0, jobspecs mapped by p->unit; wtrace_destroy()), or NULL
 * with 'err' set (ENG_EINVAL for out-of-range parameters, ENG_ELIMIT,
 * ENG_ENOMEM).  Uses no global state beyond what GSL's allocation failure
 * path may report to GSL's error handler (the CLI turns it off). */
wtrace_t *wgen_generate(const wgen_params_t *p, eng_error_t *err);

#endif /* WGEN_H */
