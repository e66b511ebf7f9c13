/* wjob.c: job records and the size-to-jobspec mapping (contract in wjob.h). */
#include "wjob.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const reason_text[WJOB_NREASONS] = {
    [WJOB_MAPPABLE] = "mappable",           [WJOB_NO_SIZE] = "no size",
    [WJOB_NO_RUNTIME] = "unknown run time", [WJOB_NEGATIVE_RUNTIME] = "negative run time",
    [WJOB_NO_JOBSPEC] = "no jobspec",
};

bool wjob_is_mappable(const wjob_t *j)
{
    return j && j->reason == WJOB_MAPPABLE && j->jobspec != NULL;
}

int64_t wjob_min_cores(const wjob_t *j, int64_t min_node_cores)
{
    if (!j || j->cores < 0)
        return 0;
    if (j->nodes > 0 && min_node_cores >= 0 &&
        j->nodes <= INT64_MAX / (min_node_cores + 1) &&
        j->nodes * min_node_cores < j->cores)
        return j->nodes * min_node_cores;
    return j->cores;
}

const char *wjob_reason_str(enum wjob_reason r)
{
    if ((int)r < 0 || r >= WJOB_NREASONS)
        return "unknown reason";
    return reason_text[r];
}

int wjob_reason_parse(const char *text)
{
    for (int r = 0; r < WJOB_NREASONS; r++)
        if (text && strcmp(text, reason_text[r]) == 0)
            return r;
    return -1;
}

void wjob_init(wjob_t *j)
{
    memset(j, 0, sizeof *j);
    j->id = j->submit_s = j->runtime_s = j->walltime_s = -1;
    j->procs = j->nodes = j->cores = j->gpus = j->mem_kib = -1;
    j->user = j->group = j->queue = j->status = -1;
    j->reason = WJOB_MAPPABLE;
    for (int i = 0; i < WJOB_SWF_NFIELDS; i++)
        j->swf[i] = -1;
}

void wjob_clear(wjob_t *j)
{
    if (!j)
        return;
    free(j->jobspec);
    wjob_init(j);
}

/* The two request shapes as text, byte for byte what jansson's
 * json_dumps(JSON_SORT_KEYS | JSON_COMPACT) prints for them (a test checks
 * that the text is a fixed point of that dump).  Printed directly rather
 * than built as json_t trees: building, sorting and dumping costs ~10 us a
 * job, which made jobspecs most of the time of reading a 28,000-job log. */
static const char core_fmt[] =
    "{\"attributes\":{\"system\":{\"duration\":%" PRId64 "}},\"resources\":[{"
    "\"count\":%" PRId64 ",\"label\":\"task\",\"type\":\"slot\",\"with\":[{"
    "\"count\":1,\"type\":\"core\"}]}],%s";
static const char node_fmt[] =
    "{\"attributes\":{\"system\":{\"duration\":%" PRId64 "}},\"resources\":[{"
    "\"count\":%" PRId64 ",\"label\":\"task\",\"type\":\"slot\",\"with\":[{"
    "\"count\":1,\"exclusive\":true,\"type\":\"node\"}]}],%s";
static const char tasks_tail[] = "\"tasks\":[{\"command\":[\"app\"],\"count\":{"
                                 "\"per_slot\":1},\"slot\":\"task\"}],\"version\":1}";

char *wjob_jobspec_format(int64_t procs, int64_t walltime_s, const wjob_map_t *map,
                          eng_error_t *err)
{
    eng_error_clear(err);
    if (!map || procs < 1 || walltime_s < 1 ||
        (map->unit == WJOB_UNIT_NODE && map->cores_per_node < 1) ||
        (map->unit != WJOB_UNIT_CORE && map->unit != WJOB_UNIT_NODE))
        return (void)eng_errorf(err, ENG_EINVAL, NULL, 0, 0,
                                "jobspec needs procs >= 1, walltime >= 1 and a mapping"),
               NULL;
    char buf[512]; /* the longest text, with two 19-digit numbers, is ~300 */
    int n;
    if (map->unit == WJOB_UNIT_CORE) {
        n = snprintf(buf, sizeof buf, core_fmt, walltime_s, procs, tasks_tail);
    } else {
        int64_t cpn = map->cores_per_node;
        int64_t nodes = procs / cpn + (procs % cpn != 0);
        n = snprintf(buf, sizeof buf, node_fmt, walltime_s, nodes, tasks_tail);
    }
    char *text = n > 0 && (size_t)n < sizeof buf ? strdup(buf) : NULL;
    if (!text)
        eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory building a jobspec");
    return text;
}

/* Which size and duration SWF gives: requested processors (field 8) when
 * known, else allocated (field 5); requested time (field 9) when known, else
 * the run time.  A zero walltime becomes 1 s, because Fluxion reads a zero
 * duration as "unlimited". */
static enum wjob_reason swf_size_time(wjob_t *j)
{
    const int64_t *f = j->swf;
    j->procs =
        f[WJOB_SWF_REQ_PROCS] > 0 ? f[WJOB_SWF_REQ_PROCS] : f[WJOB_SWF_ALLOC_PROCS];
    if (j->procs <= 0)
        j->procs = -1;
    j->runtime_s = f[WJOB_SWF_RUNTIME];
    j->walltime_s = f[WJOB_SWF_REQ_TIME] > 0 ? f[WJOB_SWF_REQ_TIME] : j->runtime_s;
    if (j->walltime_s == 0)
        j->walltime_s = 1;
    if (j->procs < 1)
        return WJOB_NO_SIZE;
    if (j->runtime_s == -1)
        return WJOB_NO_RUNTIME;
    if (j->runtime_s < -1)
        return WJOB_NEGATIVE_RUNTIME;
    return WJOB_MAPPABLE;
}

int wjob_from_swf(wjob_t *j, const wjob_map_t *map, eng_error_t *err)
{
    eng_error_clear(err);
    if (!j || !map)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no job or mapping");
    free(j->jobspec);
    j->jobspec = NULL;
    const int64_t *f = j->swf;
    j->id = f[WJOB_SWF_ID];
    j->submit_s = f[WJOB_SWF_SUBMIT];
    j->mem_kib = f[WJOB_SWF_REQ_MEM];
    j->status = f[WJOB_SWF_STATUS];
    j->user = f[WJOB_SWF_USER];
    j->group = f[WJOB_SWF_GROUP];
    j->queue = f[WJOB_SWF_QUEUE];
    j->gpus = 0;
    j->reason = swf_size_time(j);
    j->nodes = j->cores = -1;
    if (j->reason != WJOB_MAPPABLE)
        return 0;
    if (map->unit == WJOB_UNIT_NODE) {
        j->nodes = j->procs / map->cores_per_node + (j->procs % map->cores_per_node != 0);
        j->cores = j->nodes * map->cores_per_node;
    } else {
        j->nodes = 0;
        j->cores = j->procs;
    }
    j->jobspec = wjob_jobspec_format(j->procs, j->walltime_s, map, err);
    return j->jobspec ? 0 : (err && err->code ? err->code : ENG_ENOMEM);
}
