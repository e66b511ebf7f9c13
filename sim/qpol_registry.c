/* qpol_registry.c: policy names to ops.  The event loop never names a
 * policy; the CLI looks one up here. */
#include <string.h>

#include "qpol.h"

static const struct qpol_ops *const registry[] = {&qpol_fcfs, &qpol_easy, &qpol_hybrid,
                                                  &qpol_conservative};
enum { NPOLICIES = sizeof registry / sizeof registry[0] };

const struct qpol_ops *qpol_find(const char *name)
{
    for (size_t i = 0; name && i < NPOLICIES; i++)
        if (strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

const struct qpol_ops *qpol_at(size_t i)
{
    return i < NPOLICIES ? registry[i] : NULL;
}
