/* wtrace.h: a workload trace in memory: jobs in submit order plus metadata.
 *
 * The one interface between workload sources and the simulator.  SWF logs
 * (swf.h), JSON-lines traces (jtrace.h) and synthetic generators (wgen.h) all
 * return a wtrace_t; a simulator streams it in submit order:
 *
 *     wtrace_t *t = wtrace_load(path, &map, &err);   // SWF or JSON lines
 *     for (size_t i = 0; i < wtrace_count(t); i++) {
 *         const wjob_t *j = wtrace_job(t, i);          // submit_s ascending
 *         if (!wjob_is_mappable(j)) { report it as unmapped; continue; }
 *         ...submit j->jobspec at j->submit_s...
 *     }
 *     wtrace_destroy(t);
 *
 * A whole trace is held in memory (about 250 bytes per job plus its
 * jobspec), because SWF logs must be sorted by submit time and synthetic
 * ones scaled to a load before the first job is known.
 *
 * Submit times are shifted so the first job submits at 0; the shift is kept
 * (wtrace_submit_offset()) together with the source's header metadata
 * (UnixStartTime, MaxProcs, ...), so the absolute epoch time of job j is
 * UnixStartTime + offset + j->submit_s.
 */
#ifndef WTRACE_H
#define WTRACE_H

#include <stddef.h>
#include <stdint.h>

#include "eng_error.h"
#include "wjob.h"

typedef struct wtrace wtrace_t;

enum wtrace_format {
    WTRACE_FORMAT_UNKNOWN = 0,
    WTRACE_FORMAT_SWF = 1,   /* Standard Workload Format (swf.h) */
    WTRACE_FORMAT_JSONL = 2, /* JSON-lines trace (jtrace.h) */
};

/* Limits on what a trace may hold (ENG_ELIMIT beyond them). */
enum wtrace_limit {
    WTRACE_MAX_JOBS = 10000000,
    WTRACE_MAX_META = 10000,
    WTRACE_MAX_FILE_MIB = 2048,
};

/* Totals of a trace as printed by 'schedsim workload info'. */
typedef struct wtrace_stats {
    size_t jobs;                    /* all jobs */
    size_t mappable;                /* jobs with a jobspec */
    size_t unmapped[WJOB_NREASONS]; /* jobs per reason (index 0 unused) */
    int64_t span_s;                 /* last submit - first submit */
    int64_t max_procs;              /* largest request among mappable jobs */
    double work_core_s;             /* sum of min(runtime, walltime) * cores */
    double offered_load;            /* work / (span * total cores); 0 if unknown */
} wtrace_stats_t;

/* New empty trace; NULL with 'err' set (ENG_ENOMEM). */
wtrace_t *wtrace_create(eng_error_t *err);

/* Free 't' and every job and string it owns.  NULL is a no-op. */
void wtrace_destroy(wtrace_t *t);

/* Append a copy of '*job' to 't', taking ownership of job->jobspec (the
 * caller's record is reset with wjob_init(), even on failure, so it never
 * leaks).  Jobs may be added in any order; call wtrace_finish() after the
 * last.  Returns 0, ENG_ENOMEM or ENG_ELIMIT with 'err' set. */
int wtrace_job_take(wtrace_t *t, wjob_t *job, eng_error_t *err);

/* Sort the jobs stably by (submit time, order of addition) and shift submit
 * times so the first is 0, adding the shift to the submit offset.  Idempotent.
 * The loaders call it; callers building a trace by hand call it once.
 * Returns 0, or ENG_ENOMEM with 't' unchanged. */
int wtrace_finish(wtrace_t *t, eng_error_t *err);

/* Number of jobs in 't'. */
size_t wtrace_count(const wtrace_t *t);

/* The 'i'-th job in submit order, borrowed until 't' is modified or
 * destroyed; NULL when 'i' is out of range. */
const wjob_t *wtrace_job(const wtrace_t *t, size_t i);

/* Seconds subtracted from every submit time of the source (the first job's
 * original submit time). */
int64_t wtrace_submit_offset(const wtrace_t *t);

/* Set the submit offset (the JSON-lines reader restores it from the file). */
void wtrace_submit_offset_set(wtrace_t *t, int64_t offset_s);

/* Append a metadata entry ("MaxProcs" = "100").  Keys may repeat (SWF "Note"
 * lines); an empty key is a free comment line.  Copies both strings.
 * Returns 0, ENG_ENOMEM or ENG_ELIMIT. */
int wtrace_meta_add(wtrace_t *t, const char *key, const char *value, eng_error_t *err);

/* Number of metadata entries, and entry 'i' (borrowed strings, valid until
 * 't' is modified or destroyed).  Returns 0, or ENG_ENOENT out of range. */
size_t wtrace_meta_count(const wtrace_t *t);
int wtrace_meta_at(const wtrace_t *t, size_t i, const char **key, const char **value);

/* Value of the first entry named 'key', borrowed; NULL if none. */
const char *wtrace_meta_get(const wtrace_t *t, const char *key);

/* Integer value of metadata 'key' (e.g. "MaxProcs") in '*out'.  Returns 0, or
 * ENG_ENOENT when absent or not a whole integer. */
int wtrace_meta_int(const wtrace_t *t, const char *key, int64_t *out);

/* Totals of 't'; 'total_cores' (<= 0: unknown) gives the offered load. */
void wtrace_stats(const wtrace_t *t, int64_t total_cores, wtrace_stats_t *out);

/* Format of 'text' told apart by content: the first non-blank character is
 * '{' for JSON lines, ';' or a digit for SWF.  Empty text is SWF (no jobs). */
enum wtrace_format wtrace_format_detect(const char *text);

/* Format named by the extension of 'path' (".swf", ".jsonl"/".json"), or
 * WTRACE_FORMAT_UNKNOWN. */
enum wtrace_format wtrace_format_from_name(const char *path);

/* Read 'path' ("-" = standard input) as SWF or JSON lines (by content) and
 * map SWF sizes with 'map' (NULL = cores anywhere).  Returns a new trace
 * (wtrace_destroy()), or NULL with 'err' set to the first error and its
 * place. */
wtrace_t *wtrace_load(const char *path, const wjob_map_t *map, eng_error_t *err);

/* Write 't' to 'path' ("-" = standard output) in format 'fmt', atomically
 * (temporary file, then rename).  Returns 0 or a negative code with 'err'. */
int wtrace_dump(const wtrace_t *t, const char *path, enum wtrace_format fmt,
                eng_error_t *err);

#endif /* WTRACE_H */
