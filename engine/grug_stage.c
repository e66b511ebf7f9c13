/* grug_stage.c: staged paths of the GRUG reader (see grug_private.h). */
#include <stdlib.h>
#include <string.h>

#include "grug_private.h"
#include "rg_private.h"

static struct grug__stage_entry *find(const struct grug__stage *s, rg_vid_t v,
                                      rg_sym_t subsys)
{
    if (v >= s->cap_first)
        return NULL;
    for (uint32_t i = s->first[v]; i; i = s->e[i - 1].next)
        if (s->e[i - 1].subsys == subsys)
            return &s->e[i - 1];
    return NULL;
}

int grug__stage_set(struct grug__stage *s, rg_vid_t v, rg_sym_t subsys, const char *path)
{
    size_t len = strlen(path) + 1;
    if (rg__grow(&s->pool, &s->cap_pool, s->npool + len, 1))
        return ENG_ENOMEM;
    struct grug__stage_entry *x = find(s, v, subsys);
    if (!x) {
        if (v >= s->cap_first) {
            size_t old = s->cap_first;
            if (rg__grow(&s->first, &s->cap_first, (size_t)v + 1, sizeof *s->first))
                return ENG_ENOMEM;
            memset(s->first + old, 0, (s->cap_first - old) * sizeof *s->first);
        }
        if (rg__grow(&s->e, &s->cap_e, s->ne + 1, sizeof *s->e))
            return ENG_ENOMEM;
        x = &s->e[s->ne++];
        *x = (struct grug__stage_entry){.subsys = subsys};
        uint32_t *link = &s->first[v];
        while (*link)
            link = &s->e[*link - 1].next;
        *link = (uint32_t)s->ne;
    }
    memcpy(s->pool + s->npool, path, len);
    x->off = s->npool; /* an overwritten text stays in the pool until the end */
    s->npool += len;
    return 0;
}

const char *grug__stage_get(const struct grug__stage *s, rg_vid_t v, rg_sym_t subsys)
{
    const struct grug__stage_entry *x = find(s, v, subsys);
    return x ? s->pool + x->off : NULL;
}

int grug__stage_commit(const struct grug__stage *s, rg_graph_t *g, eng_error_t *err)
{
    for (rg_vid_t v = 0; v < s->cap_first; v++)
        for (uint32_t i = s->first[v]; i; i = s->e[i - 1].next) {
            int rc = rg_vertex_path_set(g, v, s->e[i - 1].subsys,
                                        s->pool + s->e[i - 1].off, err);
            if (rc)
                return rc;
        }
    return 0;
}

void grug__stage_free(struct grug__stage *s)
{
    free(s->first);
    free(s->e);
    free(s->pool);
    memset(s, 0, sizeof *s);
}
