/* fio.h: whole-file reads and atomic file writes.
 *
 * Every output the project writes (graphs, reports, R) goes through
 * fio_atomic_*: data goes to a temporary file beside the target and is renamed
 * over it only when complete, so a failed run never leaves a half-written
 * file.  Internal module (not part of the stable ABI). */
#ifndef ENG_FIO_H
#define ENG_FIO_H

#include <stdio.h>

#include "eng_error.h"

/* Read all of 'path' ("-" is standard input) into a new NUL-terminated
 * buffer that the caller frees with free(); its length (without the NUL) goes
 * to '*len' when 'len' is not NULL.  Refuses files larger than 'max_bytes'
 * (ENG_ELIMIT).  Returns NULL with 'err' set (ENG_EIO, with strerror text). */
char *fio_read_all(const char *path, size_t max_bytes, size_t *len, eng_error_t *err);

typedef struct fio_atomic fio_atomic_t;

/* Begin writing 'path' atomically ("-" means standard output, written
 * directly).  Returns a handle whose FILE is fio_atomic_file(); NULL with 'err'
 * set on failure. */
fio_atomic_t *fio_atomic_open(const char *path, eng_error_t *err);

/* Borrowed stream of 'a', valid until commit or abort. */
FILE *fio_atomic_file(fio_atomic_t *a);

/* Flush, close and rename the temporary file over the target.  Always
 * releases 'a'.  On failure (write error, full disk) the temporary file is
 * removed, the target is untouched, and a negative code is returned. */
int fio_atomic_commit(fio_atomic_t *a, eng_error_t *err);

/* Discard everything written and release 'a'.  NULL is a no-op. */
void fio_atomic_abort(fio_atomic_t *a);

#endif /* ENG_FIO_H */
