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
#include "sbuf.h"

static void format_resource(const jobspec_resource_t *r, int indent, struct sbuf *b)
{
    const struct jobspec_count *c = &r->count;
    sbuf_printf(b, "%*s- type: %s\n", indent, "", r->type);
    sbuf_printf(b,
                "%*s  count:\n%*s    min: %u\n%*s    max: %u\n"
                "%*s    operator: %c\n%*s    operand: %d\n",
                indent, "", indent, "", c->min, indent, "", c->max, indent, "", c->oper,
                indent, "", (int)c->operand);
    if (*r->unit)
        sbuf_printf(b, "%*s  unit: %s\n", indent, "", r->unit);
    if (*r->label)
        sbuf_printf(b, "%*s  label: %s\n", indent, "", r->label);
    if (*r->id)
        sbuf_printf(b, "%*s  id: %s\n", indent, "", r->id);
    if (r->exclusive != JOBSPEC_EXCL_UNSET)
        sbuf_printf(b, "%*s  exclusive: %s\n", indent, "",
                    r->exclusive == JOBSPEC_EXCL_TRUE ? "true" : "false");
    if (r->nwith)
        sbuf_printf(b, "%*s  with:\n", indent, "");
    for (size_t i = 0; i < r->nwith; i++)
        format_resource(&r->with[i], indent + 4, b);
}

static void format_task(const jobspec_task_t *t, struct sbuf *b)
{
    sbuf_printf(b, "  command: [ ");
    for (size_t i = 0; i < t->ncommand; i++)
        sbuf_printf(b, "%s\"%s\"", i ? ", " : "", t->command[i]);
    sbuf_printf(b, " ]\n  slot: %s\n", t->slot);
    if (t->count_kind != JOBSPEC_TASK_COUNT_NONE)
        sbuf_printf(b, "  count:\n    %s: %s\n", t->count_key, t->count_value);
    if (*t->distribution)
        sbuf_printf(b, "  distribution: %s\n", t->distribution);
    if (t->nattrs)
        sbuf_printf(b, "  attributes:\n");
    for (size_t i = 0; i < t->nattrs; i++)
        sbuf_printf(b, "    %s: %s\n", t->attr_keys[i], t->attr_values[i]);
}

char *jobspec_format(const jobspec_t *js)
{
    if (!js)
        return NULL;
    struct sbuf b = SBUF_INIT;
    sbuf_printf(&b, "version: %u\nresources:\n", js->version);
    for (size_t i = 0; i < js->nresources; i++)
        format_resource(&js->resources[i], 2, &b);
    sbuf_printf(&b, "tasks:\n");
    for (size_t i = 0; i < js->ntasks; i++)
        format_task(&js->tasks[i], &b);
    const jobspec_system_t *s = &js->system;
    sbuf_printf(&b,
                "attributes:\n  system:\n    duration: %g\n    cwd: %s\n"
                "    queue: %s\n    environment:\n",
                s->duration, s->cwd, s->queue);
    for (size_t i = 0; i < s->nenv; i++)
        sbuf_printf(&b, "      %s: %s\n", s->env_keys[i], s->env_values[i]);
    sbuf_printf(&b, "    constraints:");
    if (s->constraint) {
        sbuf_printf(&b, " ");
        jobspec__constraint_format(s->constraint, &b);
    }
    sbuf_printf(&b, "\n");
    if (!b.ok) {
        free(b.p);
        return NULL;
    }
    return b.p;
}
