/* resev.c: the resource-event file reader (format in resev.h). */
#include "resev.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fio.h"

enum { RESEV_MAX_FILE = 64 << 20, RESEV_NAME_MAX = 4096 };

struct cursor {
    const char *p, *end, *line_start;
    int line;
    const char *source;
};

static void skip_blanks(struct cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r'))
        c->p++;
}

/* The next field: start in '*f', length returned (0 at end of line). */
static size_t field(struct cursor *c, const char **f)
{
    skip_blanks(c);
    *f = c->p;
    while (c->p < c->end && *c->p != ' ' && *c->p != '\t' && *c->p != '\n' &&
           *c->p != '\r')
        c->p++;
    return (size_t)(c->p - *f);
}

static int col(const struct cursor *c, const char *at)
{
    return (int)(at - c->line_start) + 1;
}

static int parse_line(sim_t *sim, struct cursor *c, eng_error_t *err)
{
    const char *f;
    size_t n = field(c, &f);
    if (n == 0 || *f == '#')
        return 0;
    char buf[32];
    char *endp = NULL;
    long long t = -1;
    if (n < sizeof buf) {
        memcpy(buf, f, n);
        buf[n] = '\0';
        errno = 0;
        t = strtoll(buf, &endp, 10);
    }
    if (n >= sizeof buf || errno || *endp != '\0' || t < 0)
        return eng_errorf(err, ENG_EPARSE, c->source, c->line, col(c, f),
                          "expected a time in seconds >= 0, got '%.*s'", (int)n, f);
    n = field(c, &f);
    bool down = n == 4 && strncmp(f, "down", 4) == 0,
         up = n == 2 && strncmp(f, "up", 2) == 0;
    if (!down && !up)
        return eng_errorf(err, ENG_EPARSE, c->source, c->line, col(c, f),
                          "expected 'down' or 'up', got '%.*s'", (int)n, f);
    n = field(c, &f);
    if (n == 0 || n >= RESEV_NAME_MAX)
        return eng_errorf(err, ENG_EPARSE, c->source, c->line, col(c, f),
                          "expected a node name or path");
    char *name = strndup(f, n);
    if (!name)
        return eng_errorf(err, ENG_ENOMEM, NULL, 0, 0, "out of memory");
    const char *extra;
    size_t more = field(c, &extra);
    int rc = more ? eng_errorf(err, ENG_EPARSE, c->source, c->line, col(c, extra),
                               "unexpected '%.*s' after the node name", (int)more, extra)
                  : sim_resource_event_add(sim, t, name, up, err);
    free(name);
    return rc;
}

int resev_parse(sim_t *sim, const char *text, size_t len, const char *source,
                eng_error_t *err)
{
    struct cursor c = {text, text + len, text, 1, source ? source : "<string>"};
    while (c.p < c.end) {
        c.line_start = c.p;
        int rc = parse_line(sim, &c, err);
        if (rc < 0)
            return rc;
        const char *nl = memchr(c.p, '\n', (size_t)(c.end - c.p));
        c.p = nl ? nl + 1 : c.end;
        c.line++;
    }
    return 0;
}

int resev_load(sim_t *sim, const char *path, eng_error_t *err)
{
    size_t len = 0;
    char *text = fio_read_all(path, RESEV_MAX_FILE, &len, err);
    if (!text)
        return err && err->code ? err->code : ENG_EIO;
    int rc = resev_parse(sim, text, len, path, err);
    free(text);
    return rc;
}
