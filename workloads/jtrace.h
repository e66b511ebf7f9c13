/* jtrace.h: JSON-lines workload traces: one job per line with a full jobspec.
 *
 * For what SWF cannot say (GPUs, memory, constraints, several resource
 * types), each line is a JSON object:
 *
 *   {"id": 7, "submit": 120, "runtime": 3477, "walltime": 3600,
 *    "jobspec": {...canonical jobspec (RFC 14/25)...}}
 *
 * - "id" (integer >= 0), "submit" (integer >= 0, seconds) and "runtime"
 *   (integer seconds; -1 unknown and below -1 make the job unmappable) are
 *   required.
 * - Exactly one of: "jobspec" (an object, or a string holding YAML or JSON
 *   jobspec text), "jobspec_path" (a file holding one, relative to the
 *   trace file's directory), or "unmappable" (a reason as printed by
 *   wjob_reason_str(): a job kept for the report that cannot run).
 * - "walltime" (integer >= 1) is optional: by default the jobspec's
 *   attributes.system.duration, else the run time (at least 1).  A JSON
 *   jobspec's duration is then set to the walltime (added, or replaced
 *   when "walltime" says otherwise), so the two always agree; YAML text is
 *   passed on unchanged.
 * - "procs" (integer >= 1) is optional: the processors the job asked for
 *   (SWF field 8).  By default the jobspec's core count; needed when the
 *   jobspec names none, e.g. whole nodes (wjob.h's WJOB_UNIT_NODE), which
 *   the writer marks so (it writes "procs" whenever a reader could not infer
 *   it from the jobspec).
 * - Optional "user", "group", "queue", "status" (integers >= -1).
 * - Any other key is an error, so a misspelt key never goes unnoticed.
 * The first line may instead be {"meta": [["Key", "value"], ...],
 * "submit_offset": N}, the trace's metadata (as an SWF header) and submit
 * offset (wtrace.h), which the writer emits.  Blank lines are ignored.
 *
 * Jobs are sorted stably by (submit, line) and shifted to start at 0.  The
 * node, core and GPU counts of a JSON jobspec are derived from it (products
 * of counts down the resource tree, the minimum of a count range); for YAML
 * text they stay unknown (-1), and so does the core count of a jobspec that
 * asks for exclusive nodes with nothing named below them (the graph says).  An inline
 * JSON jobspec used as is keeps the bytes of its line; one that needed a duration, or
 * came from a file or a string, is stored as compact JSON with sorted keys.
 *
 * Errors name the line and the column of the offending value:
 * "t.jsonl:4:31: runtime: expected integer, got string".
 */
#ifndef JTRACE_H
#define JTRACE_H

#include <stdio.h>

#include "eng_error.h"
#include "wtrace.h"

enum jtrace_limit {
    JTRACE_MAX_LINE = 1 << 20,    /* bytes per line */
    JTRACE_MAX_JOBSPEC = 1 << 20, /* bytes of a jobspec file */
};

/* Parse the NUL-terminated JSON-lines 'text'.  'source' names it in errors
 * and, when it is a file path (not "<...>"), its directory is where relative
 * "jobspec_path"s are found (else the working directory).  Returns a new
 * trace (wtrace_destroy()), or NULL with 'err' set to the first error. */
wtrace_t *jtrace_parse(const char *text, const char *source, eng_error_t *err);

/* jtrace_parse() of the file 'path' ("-" = standard input). */
wtrace_t *jtrace_load(const char *path, eng_error_t *err);

/* Write 't' as JSON lines to 'fp': the metadata line when 't' has metadata
 * or a submit offset, then one line per job in submit order with its
 * jobspec inline (unmappable jobs carry "unmappable": reason instead).
 * Reading the output gives the same records.  Returns 0 or ENG_EIO. */
int jtrace_write(const wtrace_t *t, FILE *fp, eng_error_t *err);

/* jtrace_write() to 'path' atomically ("-" = standard output). */
int jtrace_dump(const wtrace_t *t, const char *path, eng_error_t *err);

#endif /* JTRACE_H */
