/* swf.h: the Parallel Workloads Archive's Standard Workload Format.
 *
 * Reader and writer of SWF logs (Feitelson et al., "Experience with using
 * the Parallel Workloads Archive", JPDC 74(10), 2014; format at
 * https://www.cs.huji.ac.il/labs/parallel/workload/swf.html).
 *
 * Reading.  One job per line, 18 whitespace-separated integer fields (see
 * enum wjob_swf_field); -1 means unknown.  Fields 6 (average CPU time) and 7
 * (used memory) may be decimals; they are rounded to whole numbers, since
 * nothing here uses them.  Lines starting with ';' are header comments:
 * "; Key: value" becomes metadata entry (Key, value), any other comment text
 * an entry with an empty key, in file order (so a header round-trips).
 * Blank lines and a final '\r' are ignored.  Every value must be -1 or
 * >= 0, except the run time, whose other negative values make the job
 * unmappable rather than the file invalid; the submit time must be known.
 * Processor counts are limited to 2^31-1 and times to 2^40 s.
 *
 * Mapping (wjob.h): procs = requested processors (field 8) when known, else
 * allocated processors (field 5); walltime = requested time (field 9) when
 * known, else the run time (a zero walltime becomes 1 s).  Jobs with no
 * size or with an unknown or negative run time are kept, flagged with the
 * reason, and never dropped.  Jobs are sorted stably by (submit time, line)
 * and submit times shifted to start at 0 (wtrace.h).
 *
 * Errors name the place: "log.swf:12:9: field 5 (allocated processors):
 * expected integer, got "x"".
 */
#ifndef SWF_H
#define SWF_H

#include <stdio.h>

#include "eng_error.h"
#include "wjob.h"
#include "wtrace.h"

/* Limits of the reader. */
enum swf_limit {
    SWF_MAX_LINE = 65536,       /* bytes per line */
    SWF_MAX_PROCS = 2147483647, /* fields 5, 8 */
};

/* Name of SWF field 'index' (0-based: 4 -> "allocated processors"), or
 * "unknown field".  Static storage. */
const char *swf_field_name(int index);

/* Parse the NUL-terminated SWF 'text'; 'source' names it in errors (a file
 * name, or "<string>").  'map' chooses how sizes map to jobspecs (NULL =
 * cores anywhere).  Returns a new trace that the caller releases with
 * wtrace_destroy(), or NULL with 'err' set to the first error and its
 * line and column. */
wtrace_t *swf_parse(const char *text, const char *source, const wjob_map_t *map,
                    eng_error_t *err);

/* swf_parse() of the file 'path' ("-" = standard input). */
wtrace_t *swf_load(const char *path, const wjob_map_t *map, eng_error_t *err);

/* Write 't' as SWF to 'fp': its metadata as header comments, then one line
 * per job with the 18 fields (wjob_t.swf, the submit time restored to the
 * source's clock by adding the trace's submit offset).  Reading the output
 * gives the same records.  Returns 0, or ENG_EIO with 'err' set. */
int swf_write(const wtrace_t *t, FILE *fp, eng_error_t *err);

/* swf_write() to 'path' atomically ("-" = standard output). */
int swf_dump(const wtrace_t *t, const char *path, eng_error_t *err);

#endif /* SWF_H */
