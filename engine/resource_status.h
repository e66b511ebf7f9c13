/* resource_status.h: Fluxion's resource status values
 * (resource/reapi/bindings/c/resource_status.h at flux-sched fd257f71). */
#ifndef ENG_RESOURCE_STATUS_H
#define ENG_RESOURCE_STATUS_H

#include "eng_api.h"

ENG_BEGIN_DECLS

typedef enum resource_status_t { RESOURCE_UP = 0, RESOURCE_DOWN = 1 } resource_status_t;

ENG_END_DECLS

#endif /* ENG_RESOURCE_STATUS_H */
