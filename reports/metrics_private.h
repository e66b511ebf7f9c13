/* metrics_private.h: helpers shared by the report writers (not installed). */
#ifndef SCHEDSIM_METRICS_PRIVATE_H
#define SCHEDSIM_METRICS_PRIVATE_H

#include <stdio.h>

/* Write 's' as one CSV field, quoted per RFC 4180 when it holds a comma,
 * quote or line break.  NULL writes an empty field. */
void metrics__csv_field(FILE *fp, const char *s);

#endif /* SCHEDSIM_METRICS_PRIVATE_H */
