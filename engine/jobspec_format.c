/* jobspec_format.c: the parsed request tree as text.
 *
 * The layout follows Fluxion's flux-jobspec-validate (its operator<< on
 * Jobspec, Resource and Task), so that the two can be compared by eye; the
 * count is always shown in full, with Fluxion's defaults filled in.  Orders
 * follow the file (Fluxion prints its unordered maps in hash order), and
 * constraints are printed in YAML flow style. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobspec_private.h"

void jobspec__buf_printf(struct jsbuf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->data ? b->data + b->len : NULL, b->data ? b->cap - b->len : 0,
                      fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap : 256);
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->data = p;
        b->cap = cap;
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

static void format_resource(const jobspec_resource_t *r, int indent, struct jsbuf *b)
{
    const struct jobspec_count *c = &r->count;
    jobspec__buf_printf(b, "%*s- type: %s\n", indent, "", r->type);
    jobspec__buf_printf(b,
                        "%*s  count:\n%*s    min: %u\n%*s    max: %u\n"
                        "%*s    operator: %c\n%*s    operand: %d\n",
                        indent, "", indent, "", c->min, indent, "", c->max, indent, "",
                        c->oper, indent, "", (int)c->operand);
    if (*r->unit)
        jobspec__buf_printf(b, "%*s  unit: %s\n", indent, "", r->unit);
    if (*r->label)
        jobspec__buf_printf(b, "%*s  label: %s\n", indent, "", r->label);
    if (*r->id)
        jobspec__buf_printf(b, "%*s  id: %s\n", indent, "", r->id);
    if (r->exclusive != JOBSPEC_EXCL_UNSET)
        jobspec__buf_printf(b, "%*s  exclusive: %s\n", indent, "",
                            r->exclusive == JOBSPEC_EXCL_TRUE ? "true" : "false");
    if (r->nwith)
        jobspec__buf_printf(b, "%*s  with:\n", indent, "");
    for (size_t i = 0; i < r->nwith; i++)
        format_resource(&r->with[i], indent + 4, b);
}

static void format_task(const jobspec_task_t *t, struct jsbuf *b)
{
    jobspec__buf_printf(b, "  command: [ ");
    for (size_t i = 0; i < t->ncommand; i++)
        jobspec__buf_printf(b, "%s\"%s\"", i ? ", " : "", t->command[i]);
    jobspec__buf_printf(b, " ]\n  slot: %s\n", t->slot);
    if (t->count_kind != JOBSPEC_TASK_COUNT_NONE)
        jobspec__buf_printf(b, "  count:\n    %s: %s\n", t->count_key, t->count_value);
    if (*t->distribution)
        jobspec__buf_printf(b, "  distribution: %s\n", t->distribution);
    if (t->nattrs)
        jobspec__buf_printf(b, "  attributes:\n");
    for (size_t i = 0; i < t->nattrs; i++)
        jobspec__buf_printf(b, "    %s: %s\n", t->attr_keys[i], t->attr_values[i]);
}

char *jobspec_format(const jobspec_t *js)
{
    if (!js)
        return NULL;
    struct jsbuf b = {0};
    jobspec__buf_printf(&b, "version: %u\nresources:\n", js->version);
    for (size_t i = 0; i < js->nresources; i++)
        format_resource(&js->resources[i], 2, &b);
    jobspec__buf_printf(&b, "tasks:\n");
    for (size_t i = 0; i < js->ntasks; i++)
        format_task(&js->tasks[i], &b);
    const jobspec_system_t *s = &js->system;
    jobspec__buf_printf(&b,
                        "attributes:\n  system:\n    duration: %g\n    cwd: %s\n"
                        "    queue: %s\n    environment:\n",
                        s->duration, s->cwd, s->queue);
    for (size_t i = 0; i < s->nenv; i++)
        jobspec__buf_printf(&b, "      %s: %s\n", s->env_keys[i], s->env_values[i]);
    jobspec__buf_printf(&b, "    constraints:");
    if (s->constraint) {
        jobspec__buf_printf(&b, " ");
        jobspec__constraint_format(s->constraint, &b);
    }
    jobspec__buf_printf(&b, "\n");
    if (b.failed) {
        free(b.data);
        return NULL;
    }
    return b.data;
}
