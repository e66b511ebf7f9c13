/* metrics.h: the reports of a simulation run.
 *
 * Everything here is a pure function of the per-job records (struct
 * metrics_job) and the run description (struct metrics_run), so a report can
 * be rebuilt from data alone and tested without a simulator.  Files are
 * written atomically (fio.h): a failed write leaves no partial file.
 *
 * Files of a run directory:
 *   jobs.csv          one row per job: id,submit,start,end,wait,runtime,
 *                     walltime,nodes,cores,gpus,nodelist,state,
 *                     first_reserved_at,match_calls,match_us
 *   allocations.jsonl one line per started job:
 *                     {"id":..,"start":..,"end":..,"R_lite":[..]}
 *   utilisation.csv   busy and total nodes/cores/gpus, running and queued
 *                     jobs, after every instant at which anything changed
 *   summary.csv       "metric,value" rows; summary.json the same as one
 *                     object; summary.txt the same, aligned for people
 *
 * Determinism: every column is a function of the inputs except match_us in
 * jobs.csv and the summary metrics whose names start with "wall_", which are
 * wall-clock measurements.  Reproducibility checks ignore exactly those.
 *
 * Metric definitions (completed jobs; times in seconds):
 *   wait = start - submit; run = end - start (the simulated run time, i.e.
 *   min(trace run time, walltime)); turnaround = end - submit;
 *   bounded slowdown = max(1, (wait + run) / max(run, 10));
 *   makespan = last end - first submit (of all submitted jobs);
 *   utilisation(type) = sum(units * run) / (total units * makespan);
 *   trimmed utilisation: the same over the window
 *   [first submit + 10% makespan, first submit + 90% makespan], each job
 *   counted for the part of its run inside it (warm-up and drain removed);
 *   throughput = completed jobs * 3600 / makespan (jobs per hour);
 *   quantiles: GSL's gsl_stats_quantile_from_sorted_data (linear
 *   interpolation between order statistics).
 * Input hashes: FNV-1a 64-bit over the file's bytes, written
 * "fnv1a64:<16 hex digits>". */
#ifndef SCHEDSIM_METRICS_H
#define SCHEDSIM_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "eng_error.h"

enum metrics_unit {
    METRICS_UNIT_NODE = 0,
    METRICS_UNIT_CORE,
    METRICS_UNIT_GPU,
    METRICS_UNIT_COUNT
};

/* One job.  Strings are borrowed for the duration of the call. */
struct metrics_job {
    int64_t id;
    int64_t submit;             /* -1 unknown (unmapped jobs) */
    int64_t start, end;         /* -1 when it never ran */
    int64_t runtime, walltime;  /* from the trace; -1 unknown */
    int64_t nodes, cores, gpus; /* requested; -1 unknown */
    const char *nodelist;       /* allocated hosts; NULL when it never ran */
    const char *state;          /* "completed", "rejected", "unmapped", ... */
    int64_t first_reserved_at;  /* -1 when never reserved */
    uint64_t match_calls;
    int64_t match_ns;   /* wall clock */
    const char *r_lite; /* RFC 20 R_lite JSON text; NULL when it never ran */
    int64_t units[METRICS_UNIT_COUNT]; /* allocated */
};

/* One input file of a run. */
struct metrics_input {
    const char *role; /* "graph", "trace", "resource_events" */
    const char *name; /* path, or a description of a generated input */
    const char *hash; /* metrics_hash_*() text */
};

/* The run's description and its wall-clock measurements. */
struct metrics_run {
    const char *queue_policy, *match_policy;
    int64_t queue_depth, reservation_depth; /* as used (0: not applicable) */
    const char *params;                     /* other parameters, "k=v ..." or NULL */
    int64_t seed;                           /* -1 when none was used */
    const struct metrics_input *inputs;
    size_t ninputs;
    int64_t totals[METRICS_UNIT_COUNT]; /* total units of the graph */
    uint64_t events, passes;            /* deterministic counters */
    /* wall clock */
    double wall_s;        /* simulation time (event loop) */
    double match_total_s; /* all match calls */
    double match_p99_us;  /* per call */
};

/* FNV-1a 64 of 'len' bytes at 'buf' as "fnv1a64:%016x" into 'out' (>= 25
 * bytes).  Returns 'out'. */
char *metrics_hash_buf(const void *buf, size_t len, char out[32]);

/* The same over the contents of file 'path'.  Returns 0, or ENG_EIO with
 * 'err' set. */
int metrics_hash_file(const char *path, char out[32], eng_error_t *err);

/* Write jobs.csv / allocations.jsonl / utilisation.csv for jobs[0..n) to
 * 'path'.  Returns 0 or a negative code with 'err' set (ENG_EIO, ENG_EPARSE
 * for an R_lite that is not JSON). */
int metrics_jobs_write(const char *path, const struct metrics_job *jobs, size_t n,
                       eng_error_t *err);
int metrics_allocations_write(const char *path, const struct metrics_job *jobs, size_t n,
                              eng_error_t *err);
int metrics_utilisation_write(const char *path, const struct metrics_job *jobs, size_t n,
                              const int64_t totals[METRICS_UNIT_COUNT], eng_error_t *err);

/* ---- summary ------------------------------------------------------------ */

enum metrics_kind { METRICS_INT, METRICS_REAL, METRICS_TEXT, METRICS_NONE };

/* One summary entry.  'name' is static; 'text' is owned by the summary. */
struct metrics_entry {
    const char *name;
    enum metrics_kind kind; /* METRICS_NONE: undefined (no jobs, no GPUs) */
    int64_t i;
    double r;
    char *text;
};

typedef struct metrics_summary metrics_summary_t;

/* Compute the summary of jobs[0..n) and 'run'.  Returns a new summary
 * (metrics_summary_destroy()), or NULL with 'err' set (ENG_ENOMEM). */
metrics_summary_t *metrics_summary_create(const struct metrics_job *jobs, size_t n,
                                          const struct metrics_run *run,
                                          eng_error_t *err);
void metrics_summary_destroy(metrics_summary_t *s); /* NULL is a no-op */

/* Entries in their fixed order; borrowed until 's' is destroyed. */
size_t metrics_summary_count(const metrics_summary_t *s);
const struct metrics_entry *metrics_summary_at(const metrics_summary_t *s, size_t i);

/* The entry named 'name', or NULL. */
const struct metrics_entry *metrics_summary_get(const metrics_summary_t *s,
                                                const char *name);

/* Value of 'e' as written in summary.csv ("" when undefined) into 'buf'. */
char *metrics_entry_format(const struct metrics_entry *e, char *buf, size_t size);

/* Write summary.csv ("metric,value"), summary.json, or the aligned text. */
int metrics_summary_write_csv(const metrics_summary_t *s, const char *path,
                              eng_error_t *err);
int metrics_summary_write_json(const metrics_summary_t *s, const char *path,
                               eng_error_t *err);
void metrics_summary_print(const metrics_summary_t *s, FILE *fp);
int metrics_summary_write_text(const metrics_summary_t *s, const char *path,
                               eng_error_t *err);

/* ---- comparison --------------------------------------------------------- */

/* Read summary.csv of each of 'dirs[0..n)' and write one CSV with a row per
 * metric ("metric,<dir1>,<dir2>,...", metrics in the first run's order, then
 * any the others add) to 'out_path' ("-" = standard output); when 'table' is
 * not NULL print the same as an aligned table there.  Returns 0, or ENG_EIO /
 * ENG_EPARSE (positioned: "dir/summary.csv:LINE:COL: ...") with 'err' set. */
int metrics_compare(const char *const *dirs, size_t n, const char *out_path, FILE *table,
                    eng_error_t *err);

/* ---- figures ------------------------------------------------------------ */

/* Limits for the Gantt chart: runs with more ranks or jobs are not drawn
 * (a chart nobody can read). */
enum metrics_plot_limit { METRICS_GANTT_MAX_RANKS = 128, METRICS_GANTT_MAX_JOBS = 2000 };

/* A gnuplot script written by metrics_plot(): render it by running gnuplot
 * on 'script' with 'dir' as the working directory (it writes 'svg' there). */
struct metrics_plot_script {
    char dir[4096];
    char script[64];
    char svg[64];
};

/* Write gnuplot scripts (and the data files they read) for the runs in
 * dirs[0..n): in each run directory utilisation.gp (busy cores and queue
 * length over time, from utilisation.csv), wait_cdf.dat, and gantt.gp +
 * gantt.dat (rank x time boxes from allocations.jsonl) when the run is
 * small enough; in 'out_dir' (NULL: the first run directory) wait_cdf.gp
 * with one wait-time CDF curve per run.  The scripts are stored in 'out'
 * (room for 'max'; '*count' gets how many were written).  Returns 0, or
 * ENG_EIO / ENG_EPARSE (positioned) / ENG_ELIMIT with 'err' set. */
int metrics_plot(const char *const *dirs, size_t n, const char *out_dir,
                 struct metrics_plot_script *out, size_t max, size_t *count,
                 eng_error_t *err);

#endif /* SCHEDSIM_METRICS_H */
