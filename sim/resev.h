/* resev.h: resource events (a node down or up at a time) read from a file.
 *
 * One event per line: "TIME down|up NAME", where TIME is integer seconds
 * of simulated time (>= 0) and NAME a node name ("node3") or a containment
 * path ("/cluster0/node3").  Blank lines and lines starting with '#' are
 * ignored; fields are separated by spaces or tabs.  Events at the same time
 * apply in file order. */
#ifndef SCHEDSIM_RESEV_H
#define SCHEDSIM_RESEV_H

#include <stddef.h>

#include "eng_error.h"
#include "sim.h"

/* Parse 'len' bytes of 'text' (named 'source' in errors) and add each event
 * to 'sim' with sim_resource_event_add().  Returns 0, or ENG_EPARSE with
 * 'err' positioned at the offending field ("events.txt:3:5: expected 'down'
 * or 'up', got 'off'"), or ENG_ENOMEM.  On failure the events of the lines
 * before the bad one have been added. */
int resev_parse(sim_t *sim, const char *text, size_t len, const char *source,
                eng_error_t *err);

/* Read file 'path' and parse it as above. */
int resev_load(sim_t *sim, const char *path, eng_error_t *err);

#endif /* SCHEDSIM_RESEV_H */
