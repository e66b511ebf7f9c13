/* runits.c: unit counts of R_lite, for utilisation reports.
 *
 * Counting needs only the sizes of the idsets, so ranges are summed without
 * materialising the ids. */
#include "runits.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static bool parse_id(const char **p, long long *out)
{
    if (!isdigit((unsigned char)**p))
        return false;
    char *end = NULL;
    errno = 0;
    *out = strtoll(*p, &end, 10);
    if (errno)
        return false;
    *p = end;
    return true;
}

int64_t runits_idset_count(const char *text)
{
    const char *p = text;
    bool bracket = *p == '[';
    if (bracket)
        p++;
    int64_t n = 0;
    long long last = -1;
    while (*p && *p != ']') {
        long long lo, hi;
        if (!parse_id(&p, &lo))
            return -1;
        hi = lo;
        if (*p == '-') {
            p++;
            if (!parse_id(&p, &hi) || hi <= lo)
                return -1;
        }
        if (lo <= last)
            return -1;
        last = hi;
        n += hi - lo + 1;
        if (*p == ',')
            p++;
        else if (*p && *p != ']')
            return -1;
    }
    if (bracket != (*p == ']') || (bracket && p[1] != '\0'))
        return -1;
    return n;
}

/* R_lite child types counted, in enum sim_unit order after SIM_UNIT_NODE. */
static const char *const child_types[] = {"core", "gpu"};

static int bad(eng_error_t *err, const char *what)
{
    return eng_errorf(err, ENG_EPARSE, "<R_lite>", 0, 0, "R_lite: %s", what);
}

static int count_entry(const json_t *e, int64_t units[SIM_UNIT_COUNT], eng_error_t *err)
{
    const json_t *rank = json_object_get(e, "rank");
    const json_t *children = json_object_get(e, "children");
    if (!json_is_string(rank) || !json_is_object(children))
        return bad(err, "entry without \"rank\" and \"children\"");
    int64_t nranks = runits_idset_count(json_string_value(rank));
    if (nranks < 0)
        return bad(err, "malformed rank idset");
    units[SIM_UNIT_NODE] += nranks;
    for (int k = 0; k < 2; k++) {
        const json_t *ids = json_object_get(children, child_types[k]);
        if (!ids)
            continue;
        int64_t n = json_is_string(ids) ? runits_idset_count(json_string_value(ids)) : -1;
        if (n < 0)
            return bad(err, "malformed child idset");
        units[SIM_UNIT_CORE + k] += nranks * n;
    }
    return 0;
}

int runits_count(const char *r_lite, int64_t units[SIM_UNIT_COUNT], eng_error_t *err)
{
    memset(units, 0, SIM_UNIT_COUNT * sizeof units[0]);
    json_error_t jerr;
    json_t *a = json_loads(r_lite, 0, &jerr);
    if (!json_is_array(a)) {
        json_decref(a);
        return bad(err, "expected a JSON array");
    }
    int rc = 0;
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e)
    {
        if ((rc = count_entry(e, units, err)) < 0)
            break;
    }
    json_decref(a);
    if (rc < 0)
        memset(units, 0, SIM_UNIT_COUNT * sizeof units[0]);
    return rc;
}
