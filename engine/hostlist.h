/* hostlist.h: ordered lists of host names and their RFC 29 text form.
 *
 * Decodes and encodes exactly as flux-core's libhostlist, because R's
 * "nodelist" (RFC 20) and resource-query's output must match byte for byte:
 * "node[0-3,5],login1"; appending keeps the order given and merges a host into
 * the previous range when it has the same prefix and continues it with a
 * compatible zero-padding width; encoding brackets the runs of ranges that
 * share a prefix.  No sorting and no de-duplication happen implicitly.
 * Internal module. */
#ifndef ENG_HOSTLIST_H
#define ENG_HOSTLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "eng_error.h"

typedef struct hostlist hostlist_t;

/* New empty list, or NULL (out of memory).  Release with hostlist_destroy(). */
hostlist_t *hostlist_create(void);

/* Release 'hl'.  NULL is a no-op. */
void hostlist_destroy(hostlist_t *hl);

/* Parse 'str' ("node[1-3,7],login0 io[01-02]": separators are comma, space and
 * tab).  Returns a new list, or NULL with 'err' set (ENG_EPARSE: unbalanced
 * brackets or a bad range inside brackets, with the 1-based column of the
 * token; ENG_ELIMIT: a range of more than 2^20 hosts; ENG_ENOMEM).  'source'
 * names the input in 'err' (may be NULL). */
hostlist_t *hostlist_decode(const char *str, const char *source, eng_error_t *err);

/* Append the hosts 'str' denotes (as hostlist_decode() reads it) to 'hl'.
 * Returns the number of hosts appended (>= 0), or a negative code with 'err'
 * set and 'hl' unchanged. */
int hostlist_append(hostlist_t *hl, const char *str, eng_error_t *err);

/* Number of hosts in 'hl'. */
size_t hostlist_count(const hostlist_t *hl);

/* Write host number 'n' (0-based) of 'hl' into 'buf' of 'size' bytes.
 * Returns 0, ENG_ENOENT when 'n' >= count, ENG_ELIMIT when it does not fit. */
int hostlist_nth(const hostlist_t *hl, size_t n, char *buf, size_t size);

/* Index of 'host' in 'hl' (first occurrence), or -1 when absent. */
long hostlist_find(const hostlist_t *hl, const char *host);

/* One run of hosts of a list: 'prefix' followed by each number lo..hi
 * printed as "%0*lu" with 'width', or 'prefix' alone when 'single'.  Lets a
 * caller keep a list's hosts in its own memory (e.g. an arena) and test names
 * against them without expanding ranges. */
struct hostlist_run {
    const char *prefix; /* 'plen' bytes, NUL-terminated */
    size_t plen;
    unsigned long lo, hi;
    int width;
    bool single;
};

/* Number of runs of 'hl' (hosts that extend the previous run are merged into
 * it, as appending does). */
size_t hostlist_run_count(const hostlist_t *hl);

/* Run 'i' (< hostlist_run_count()) of 'hl'; 'prefix' is borrowed from 'hl'
 * and valid until 'hl' changes. */
struct hostlist_run hostlist_run_at(const hostlist_t *hl, size_t i);

/* True when 'host' ('len' bytes) is a host of 'run': the test
 * hostlist_find() applies (node[01-10] holds node07, node[1-10] holds node7
 * but not node07). */
bool hostlist_run_has(const struct hostlist_run *run, const char *host, size_t len);

/* RFC 29 text of 'hl' ("" when empty).  Returns a new string the caller frees
 * with free(), or NULL (out of memory). */
char *hostlist_encode(const hostlist_t *hl);

#endif /* ENG_HOSTLIST_H */
