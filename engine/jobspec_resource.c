/* jobspec_resource.c: the 'resources' tree of a jobspec (RFC 14 resource
 * vertices and their counts).
 *
 * Checks run in the order of Fluxion's Resource constructor (type, count,
 * unit, exclusive, with, label, id, then unknown keys) so that, in
 * JOBSPEC_FLUXION mode, a jobspec with several faults reports the same one
 * as resource-query.  Children are parsed before their parent's label and id
 * for the same reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobspec_private.h"

enum { PATH_MAX_LEN = JOBSPEC_PATH_MAX };

/* ---- count ------------------------------------------------------------------ */

/* The mapping keys of a count field, scalar-checked as Fluxion does. */
static int count_scalar(jsctx_t *c, const jsnode_t *v, const char *path, const char *key,
                        const char *fluxion)
{
    if (v->kind == JSN_SCALAR)
        return 0;
    char sub[PATH_MAX_LEN];
    jobspec__subpath(sub, path, key);
    return jobspec__expect(c, v, sub, "a scalar", fluxion);
}

static int count_unknown_keys(jsctx_t *c, const jsnode_t *map, const char *path)
{
    static const char *const keys[] = {"min", "max", "operator", "operand"};
    if (c->fluxion) /* Fluxion ignores other keys in a count */
        return 0;
    for (size_t i = 0; i < map->n; i++) {
        const jsnode_t *k = map->items[2 * i];
        bool known = false;
        for (size_t j = 0; j < 4; j++)
            known |= strcmp(k->text, keys[j]) == 0;
        if (!known)
            return jobspec__fail(
                c, ENG_EPARSE, k, path,
                "unknown key \"%s\" (expected min, max, operator, operand)", k->text);
    }
    return 0;
}

/* Operator and operand rules, checked last as in Fluxion. */
static int count_rules(jsctx_t *c, const struct jobspec_count *cnt, const jsnode_t *op,
                       const jsnode_t *operand, const jsnode_t *min, const char *path)
{
    char sub[PATH_MAX_LEN];
    jobspec__subpath(sub, path, "operand");
    switch (cnt->oper) {
    case '+':
        if (cnt->operand < 1)
            return jobspec__failx(
                c, operand, sub, "\"operand\" must be greater than zero for addition '+'",
                "expected integer >= 1 for operator '+', got %d", (int)cnt->operand);
        return 0;
    case '*':
    case '^':
        if (cnt->operand < 2)
            return jobspec__failx(
                c, operand, sub,
                cnt->oper == '*'
                    ? "\"operand\" must be greater than one for multiplication '*'"
                    : "\"operand\" must be greater than one for exponentiation '^'",
                "expected integer >= 2 for operator '%c', got %d", cnt->oper,
                (int)cnt->operand);
        jobspec__subpath(sub, path, "min");
        if (cnt->oper == '^' && cnt->min < 2)
            return jobspec__failx(
                c, min, sub, "\"min\" must be greater than one for exponentiation '^'",
                "expected integer >= 2 for operator '^', got %u", (unsigned)cnt->min);
        return 0;
    default:
        jobspec__subpath(sub, path, "operator");
        return jobspec__expect(c, op, sub, "one of \"+\", \"*\", \"^\"",
                               "Invalid count operator");
    }
}

/* max, operator and operand as Fluxion converts them (before min). */
static int count_convert(jsctx_t *c, struct jobspec_count *cnt, const jsnode_t *max,
                         const jsnode_t *op, const jsnode_t *operand, const char *path)
{
    char sub[PATH_MAX_LEN];
    unsigned long long v;
    long long iv;
    jobspec__subpath(sub, path, "max");
    if (!jobspec__to_uint(max, UINT32_MAX, &v))
        return jobspec__expect(c, max, sub, "an integer >= min", jobspec__badconv);
    cnt->max = (uint32_t)v;
    jobspec__subpath(sub, path, "operator");
    if (strlen(op->text) != 1)
        return jobspec__expect(c, op, sub, "one of \"+\", \"*\", \"^\"",
                               jobspec__badconv);
    cnt->oper = op->text[0];
    jobspec__subpath(sub, path, "operand");
    if (!jobspec__to_int(operand, INT32_MIN, INT32_MAX, &iv))
        return jobspec__expect(c, operand, sub, "an integer", jobspec__badconv);
    cnt->operand = (int32_t)iv;
    return 0;
}

static int count_mapping(jsctx_t *c, const jsnode_t *n, const char *path,
                         struct jobspec_count *cnt)
{
    const jsnode_t *min = jobspec__map_get(n, "min"), *max = jobspec__map_get(n, "max");
    const jsnode_t *op = jobspec__map_get(n, "operator");
    const jsnode_t *operand = jobspec__map_get(n, "operand");
    if (!min)
        return jobspec__failx(c, n, path, "Key \"min\" missing from count",
                              "missing key \"min\"");
    if (count_scalar(c, min, path, "min", "Value of \"min\" must be a scalar"))
        return -1;
    *cnt = (struct jobspec_count){0, UINT32_MAX, '+', 1};
    if (max || op || operand) {
        if (!(max && op && operand))
            return jobspec__failx(
                c, n, path,
                "All or none of \"max\", \"operator\", and \"operand\" must be specified",
                "give all or none of \"max\", \"operator\", \"operand\"");
        if (count_scalar(c, max, path, "max", "Value of \"max\" must be a scalar") ||
            count_scalar(c, op, path, "operator",
                         "Value of \"operator\" must be a scalar") ||
            count_scalar(c, operand, path, "operand",
                         "Value of \"operand\" must be a scalar") ||
            count_convert(c, cnt, max, op, operand, path))
            return -1;
    }
    char sub[PATH_MAX_LEN];
    jobspec__subpath(sub, path, "min");
    unsigned long long v;
    if (!jobspec__to_uint(min, UINT32_MAX, &v))
        return jobspec__expect(c, min, sub, "integer >= 1", jobspec__badconv);
    if (v < 1)
        return jobspec__expect(c, min, sub, "integer >= 1",
                               "\"min\" must be greater than zero");
    cnt->min = (uint32_t)v;
    jobspec__subpath(sub, path, "max");
    if (max && cnt->max < cnt->min)
        return jobspec__failx(c, max, sub,
                              "\"max\" must be greater than or equal to \"min\"",
                              "expected integer >= min (%u), got %u", (unsigned)cnt->min,
                              (unsigned)cnt->max);
    if (max && count_rules(c, cnt, op, operand, min, path))
        return -1;
    return count_unknown_keys(c, n, path);
}

static int parse_count(jsctx_t *c, const jsnode_t *map, const char *path,
                       struct jobspec_count *cnt)
{
    const jsnode_t *n = jobspec__map_get(map, "count");
    if (!n)
        return jobspec__failx(c, map, path, "Key \"count\" missing from resource",
                              "missing key \"count\"");
    char sub[PATH_MAX_LEN];
    jobspec__subpath(sub, path, "count");
    if (n->kind == JSN_MAP)
        return count_mapping(c, n, sub, cnt);
    if (n->kind != JSN_SCALAR)
        return jobspec__expect(c, n, sub, "integer >= 1 or a mapping",
                               "count is not a mapping");
    unsigned long long v;
    if (!jobspec__to_uint(n, UINT32_MAX, &v))
        return jobspec__expect(c, n, sub, "integer >= 1", jobspec__badconv);
    /* RFC 14 wants >= 1; Fluxion takes 0 from a plain integer */
    if (v < 1 && !c->fluxion)
        return jobspec__expect(c, n, sub, "integer >= 1", NULL);
    *cnt = (struct jobspec_count){(uint32_t)v, (uint32_t)v, '+', 1};
    return 0;
}

/* ---- resource fields ---------------------------------------------------------- */

/* A scalar field ('unit', 'label', 'id'): its text, or "" when absent. */
static int scalar_field(jsctx_t *c, const jsnode_t *map, const char *path,
                        const char *key, const char *fluxion, const char **out)
{
    const jsnode_t *v = jobspec__map_get(map, key);
    *out = "";
    if (!v)
        return 0;
    if (v->kind != JSN_SCALAR) {
        char sub[PATH_MAX_LEN];
        jobspec__subpath(sub, path, key);
        return jobspec__expect(c, v, sub, "a string", fluxion);
    }
    *out = v->text;
    return 0;
}

/* Unknown keys; in Fluxion mode, as its count of recognised keys against the
 * mapping's size (so a repeated key also fails there). */
static int resource_keys(jsctx_t *c, const jsnode_t *map, const char *path)
{
    static const char *const keys[] = {"type", "count", "unit", "exclusive",
                                       "with", "label", "id"};
    enum { NKEYS = sizeof keys / sizeof keys[0] };
    size_t found = 0;
    for (size_t j = 0; j < NKEYS; j++)
        found += jobspec__map_get(map, keys[j]) != NULL;
    for (size_t i = 0; i < map->n && found != map->n; i++) {
        const jsnode_t *k = map->items[2 * i];
        bool known = false;
        for (size_t j = 0; j < NKEYS; j++)
            known |= strcmp(k->text, keys[j]) == 0;
        if (!known || c->fluxion)
            return jobspec__failx(c, c->fluxion ? map : k, path,
                                  "Unrecognized key in resource mapping",
                                  "unknown key \"%s\" in resource", k->text);
    }
    return 0;
}

static int resource_type(jsctx_t *c, const jsnode_t *map, const char *path,
                         jobspec_resource_t *r)
{
    const jsnode_t *t = jobspec__map_get(map, "type");
    if (!t)
        return jobspec__failx(c, map, path, "Key \"type\" missing from resource",
                              "missing key \"type\"");
    char sub[PATH_MAX_LEN];
    jobspec__subpath(sub, path, "type");
    if (t->kind != JSN_SCALAR)
        return jobspec__expect(c, t, sub, "a non-empty string",
                               "Value of \"type\" must be a scalar");
    if (!*t->text && !c->fluxion)
        return jobspec__expect(c, t, sub, "a non-empty string", NULL);
    r->type = t->text;
    r->is_slot = strcmp(t->text, "slot") == 0;
    return 0;
}

static int resource_exclusive(jsctx_t *c, const jsnode_t *map, const char *path,
                              jobspec_resource_t *r)
{
    const jsnode_t *x = jobspec__map_get(map, "exclusive");
    if (!x)
        return 0;
    char sub[PATH_MAX_LEN];
    jobspec__subpath(sub, path, "exclusive");
    if (x->kind != JSN_SCALAR)
        return jobspec__expect(c, x, sub, "true or false",
                               "Value of \"exclusive\" must be a scalar");
    if (strcmp(x->text, "true") == 0)
        r->exclusive = JOBSPEC_EXCL_TRUE;
    else if (strcmp(x->text, "false") == 0)
        r->exclusive = JOBSPEC_EXCL_FALSE;
    else
        return jobspec__expect(
            c, x, sub, "true or false",
            "Value of \"exclusive\" must be either \"true\" or \"false\"");
    return 0;
}

static int resource_with(jsctx_t *c, const jsnode_t *map, const char *path,
                         jobspec_resource_t *r, size_t *next_index)
{
    const jsnode_t *with = jobspec__map_get(map, "with");
    if (!with)
        return 0;
    char sub[PATH_MAX_LEN];
    jobspec__subpath(sub, path, "with");
    jobspec_resource_t *kids = NULL;
    if (jobspec__parse_resources(c, with, sub, r, &kids, &r->nwith, next_index))
        return -1;
    r->with = kids;
    return 0;
}

static int parse_resource(jsctx_t *c, const jsnode_t *n, const char *path,
                          jobspec_resource_t *r, size_t *next_index)
{
    if (jobspec__spend(c, n))
        return -1;
    if (n->kind != JSN_MAP)
        return jobspec__expect(c, n, path, "a resource mapping",
                               "resource is not a mapping");
    if (*next_index >= JOBSPEC_RESOURCES_MAX)
        return jobspec__fail(c, ENG_ELIMIT, n, path, "more than %d resources",
                             (int)JOBSPEC_RESOURCES_MAX);
    r->index = (uint32_t)(*next_index)++;
    r->line = n->line;
    r->column = n->column;
    if (resource_type(c, n, path, r) || parse_count(c, n, path, &r->count) ||
        scalar_field(c, n, path, "unit", "Value of \"unit\" must be a scalar",
                     &r->unit) ||
        resource_exclusive(c, n, path, r) || resource_with(c, n, path, r, next_index) ||
        scalar_field(c, n, path, "label", "Value of \"label\" must be a scalar",
                     &r->label))
        return -1;
    if (r->is_slot && !jobspec__map_get(n, "label"))
        return jobspec__failx(c, n, path, "All slots must be labeled",
                              "missing key \"label\" (required on slot)");
    if (scalar_field(c, n, path, "id", "Value of \"id\" must be a scalar", &r->id))
        return -1;
    return resource_keys(c, n, path);
}

int jobspec__parse_resources(jsctx_t *c, const jsnode_t *seq, const char *path,
                             jobspec_resource_t *parent, jobspec_resource_t **out,
                             size_t *nout, size_t *next_index)
{
    if (seq->kind != JSN_SEQ)
        return jobspec__expect(c, seq, path, "a sequence of resources",
                               "\"resources\" is not a sequence");
    uint32_t depth = parent ? parent->depth + 1 : 0;
    if (depth >= JOBSPEC_DEPTH_MAX)
        return jobspec__fail(c, ENG_ELIMIT, seq, path, "resources nested deeper than %d",
                             (int)JOBSPEC_DEPTH_MAX);
    if (seq->n == 0)
        return 0;
    jobspec_resource_t *rs = jobspec__arena_alloc(c->arena, seq->n * sizeof *rs);
    if (!rs)
        return jobspec__fail(c, ENG_ENOMEM, seq, path, "out of memory");
    *out = rs;
    char sub[PATH_MAX_LEN];
    for (size_t i = 0; i < seq->n; i++) {
        jobspec__subpath_index(sub, path, NULL, i);
        rs[i].parent = parent;
        rs[i].depth = depth;
        if (parse_resource(c, seq->items[i], sub, &rs[i], next_index))
            return -1;
        *nout = i + 1;
    }
    return 0;
}

void jobspec__index_resources(const jobspec_resource_t *rs, size_t n,
                              const jobspec_resource_t **by_index)
{
    for (size_t i = 0; i < n; i++) {
        by_index[rs[i].index] = &rs[i];
        jobspec__index_resources(rs[i].with, rs[i].nwith, by_index);
    }
}
