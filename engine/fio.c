/* fio.c: whole-file reads and atomic (temporary file + rename) writes. */
#include "fio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fio_atomic {
    FILE *fp;
    char *path; /* target; NULL when writing to stdout */
    char *tmp;  /* temporary file in the target's directory */
};

static char *read_stream(FILE *fp, const char *path, size_t max_bytes, size_t *len,
                         eng_error_t *err)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        goto nomem;
    for (;;) {
        if (n + 1 >= cap) {
            /* geometric growth: O(n) copies in total for a file of n bytes */
            char *nb = realloc(buf, cap * 2);
            if (!nb)
                goto nomem;
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, fp);
        n += got;
        if (n > max_bytes) {
            free(buf);
            eng_errorf(err, ENG_ELIMIT, path, 0, 0,
                       "file is larger than the limit of %zu bytes", max_bytes);
            return NULL;
        }
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        int e = errno;
        free(buf);
        eng_errorf(err, ENG_EIO, path, 0, 0, "read error: %s", strerror(e));
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
nomem:
    free(buf);
    eng_errorf(err, ENG_ENOMEM, path, 0, 0, "out of memory reading file");
    return NULL;
}

char *fio_read_all(const char *path, size_t max_bytes, size_t *len, eng_error_t *err)
{
    if (!path)
        return (void)eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no file name"), NULL;
    if (strcmp(path, "-") == 0)
        return read_stream(stdin, "<stdin>", max_bytes, len, err);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        eng_errorf(err, ENG_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *buf = read_stream(fp, path, max_bytes, len, err);
    fclose(fp);
    return buf;
}

/* Create a fresh temporary file for 'a->tmp' (a "...XXXXXX" template) with the
 * permissions an ordinary fopen() would give (0666 minus the umask).  mkstemp()
 * alone would leave every report at 0600; reading the umask means changing it,
 * which is process-wide, so instead the name mkstemp() picked is reopened with
 * O_EXCL and mode 0666, letting the kernel apply the umask.  A name stolen in
 * between fails O_EXCL and is retried with a new template. */
static int open_tmp(char *tmp, size_t n)
{
    for (int attempt = 0; attempt < 16; attempt++) {
        memcpy(tmp + n, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
        int fd = mkstemp(tmp);
        if (fd < 0)
            return -1;
        close(fd);
        unlink(tmp);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

fio_atomic_t *fio_atomic_open(const char *path, eng_error_t *err)
{
    fio_atomic_t *a = calloc(1, sizeof *a);
    if (!a)
        return (void)eng_errorf(err, ENG_ENOMEM, path, 0, 0, "out of memory"), NULL;
    if (strcmp(path, "-") == 0) {
        a->fp = stdout;
        return a;
    }
    size_t n = strlen(path);
    a->path = strdup(path);
    a->tmp = malloc(n + sizeof ".tmp.XXXXXX");
    if (!a->path || !a->tmp) {
        fio_atomic_abort(a);
        return (void)eng_errorf(err, ENG_ENOMEM, path, 0, 0, "out of memory"), NULL;
    }
    memcpy(a->tmp, path, n);
    int fd = open_tmp(a->tmp, n);
    if (fd < 0 || !(a->fp = fdopen(fd, "wb"))) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(a->tmp);
        }
        free(a->tmp);
        a->tmp = NULL;
        fio_atomic_abort(a);
        return (void)eng_errorf(err, ENG_EIO, path, 0, 0, "cannot create: %s",
                                strerror(e)),
               NULL;
    }
    return a;
}

FILE *fio_atomic_file(fio_atomic_t *a)
{
    return a ? a->fp : NULL;
}

int fio_atomic_commit(fio_atomic_t *a, eng_error_t *err)
{
    if (!a)
        return eng_errorf(err, ENG_EINVAL, NULL, 0, 0, "no file to commit");
    if (!a->path) { /* stdout */
        int rc = fflush(a->fp) == 0 && !ferror(a->fp)
                     ? 0
                     : eng_errorf(err, ENG_EIO, "<stdout>", 0, 0, "write error: %s",
                                  strerror(errno));
        free(a);
        return rc;
    }
    int bad = ferror(a->fp);
    int e = errno;
    if (fclose(a->fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    a->fp = NULL;
    if (!bad && rename(a->tmp, a->path) != 0) {
        bad = 1;
        e = errno;
    }
    int rc = 0;
    if (bad) {
        unlink(a->tmp);
        rc = eng_errorf(err, ENG_EIO, a->path, 0, 0, "write error: %s", strerror(e));
    }
    free(a->tmp);
    free(a->path);
    free(a);
    return rc;
}

void fio_atomic_abort(fio_atomic_t *a)
{
    if (!a)
        return;
    if (a->fp && a->path) {
        fclose(a->fp);
        unlink(a->tmp);
    }
    free(a->tmp);
    free(a->path);
    free(a);
}
