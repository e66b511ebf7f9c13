/* match_op.h: Fluxion's match operations (resource/policies/base/match_op.h
 * at flux-sched fd257f71), same names and values, for programs written for
 * Fluxion's C API (reapi_cli.h). */
#ifndef ENG_MATCH_OP_H
#define ENG_MATCH_OP_H

#include <stdbool.h>

#include "eng_api.h"

ENG_BEGIN_DECLS

typedef enum match_op_t {
    MATCH_UNKNOWN,
    MATCH_ALLOCATE,
    MATCH_ALLOCATE_W_SATISFIABILITY,
    MATCH_ALLOCATE_ORELSE_RESERVE,
    MATCH_SATISFIABILITY,
    MATCH_WITHOUT_ALLOCATING,
    MATCH_WITHOUT_ALLOCATING_FUTURE,
    END_MATCH_OP_T
} match_op_t;

/* resource-query's name of 'match_op' ("allocate_orelse_reserve"), or NULL
 * with errno EINVAL (out of range) or ENOENT (MATCH_UNKNOWN).  Static. */
ENG_API const char *match_op_to_string(match_op_t match_op);

/* The op named 'str', or MATCH_UNKNOWN with errno EINVAL ('str' NULL) or
 * ENOENT (no such name). */
ENG_API match_op_t match_op_from_string(const char *str);

/* True when 'match_op' names an operation; errno is preserved. */
ENG_API bool match_op_valid(match_op_t match_op);

ENG_END_DECLS

#endif /* ENG_MATCH_OP_H */
