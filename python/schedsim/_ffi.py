"""Loading libschedsim.so and the C declarations the binding uses.

ABI mode (``ffi.dlopen``): nothing is compiled when the package is installed,
so it works with Debian's python3-cffi and no compiler.  The declarations
below are copied from engine/reapi_cli.h, match_op.h, resource_status.h,
eng_error.h and eng.h; tests/test_cdef.py checks them against those headers
so they cannot drift apart.

The library is searched, first hit wins:
  1. $SCHEDSIM_LIB (the .so file, or a directory holding it); when set, it is
     the only place looked at;
  2. beside this module (a copy bundled at install time, see setup.py);
  3. the source tree's build directories, when the package is imported from
     python/ in a schedsim checkout (build/release, build/test, build/*);
  4. the dynamic loader's own search (LD_LIBRARY_PATH, ldconfig, /usr/lib...).
It is loaded once per process, on first use, so ``import schedsim`` never
fails for want of the library.
"""

import glob
import os
import threading

import cffi

CDEF = """
typedef struct reapi_cli_ctx reapi_cli_ctx_t;
typedef struct eng eng_t;

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

const char *match_op_to_string(match_op_t match_op);
match_op_t match_op_from_string(const char *str);
bool match_op_valid(match_op_t match_op);

typedef enum resource_status_t { RESOURCE_UP = 0, RESOURCE_DOWN = 1 } resource_status_t;

void eng_free(void *p);
int eng_time_set(eng_t *e, int64_t t);
int64_t eng_time(const eng_t *e);
struct eng_stats {
    uint64_t vertices, edges;
    uint64_t jobs;
    uint64_t matches;
    double load_s;
    double match_min_s, match_max_s, match_avg_s;
    uint32_t preorder, postorder;
};
void eng_stats_get(const eng_t *e, struct eng_stats *st);

reapi_cli_ctx_t *reapi_cli_new(void);
reapi_cli_ctx_t *reapi_cli_clone(reapi_cli_ctx_t *ctx);
void reapi_cli_destroy(reapi_cli_ctx_t *ctx);
int reapi_cli_initialize(reapi_cli_ctx_t *ctx, const char *rgraph,
                         const char *options);
int reapi_cli_match(reapi_cli_ctx_t *ctx, match_op_t match_op,
                    const char *jobspec, uint64_t *jobid, bool *reserved,
                    char **R, int64_t *at, double *ov);
int reapi_cli_match_with_jobid(reapi_cli_ctx_t *ctx, match_op_t match_op,
                               const char *jobspec, uint64_t jobid,
                               bool *reserved, char **R, int64_t *at, double *ov);
int reapi_cli_match_allocate(reapi_cli_ctx_t *ctx, bool orelse_reserve,
                             const char *jobspec, uint64_t *jobid, bool *reserved,
                             char **R, int64_t *at, double *ov);
int reapi_cli_match_satisfy(reapi_cli_ctx_t *ctx, const char *jobspec, bool *sat,
                            double *ov);
int reapi_cli_update_allocate(reapi_cli_ctx_t *ctx, const uint64_t jobid,
                              const char *R, int64_t *at, double *ov,
                              const char **R_out);
int reapi_cli_add_subgraph(reapi_cli_ctx_t *ctx, const char *R_subgraph);
int reapi_cli_remove_subgraph(reapi_cli_ctx_t *ctx, const char *subgraph_path);
int reapi_cli_cancel(reapi_cli_ctx_t *ctx, const uint64_t jobid, bool noent_ok);
int reapi_cli_partial_cancel(reapi_cli_ctx_t *ctx, const uint64_t jobid,
                             const char *R, bool noent_ok, bool *full_removal);
int reapi_cli_info(reapi_cli_ctx_t *ctx, const uint64_t jobid, char **mode,
                   bool *reserved, int64_t *at, double *ov);
int reapi_cli_find(reapi_cli_ctx_t *ctx, const char *criteria, const char *format,
                   char **R);
int reapi_cli_stat(reapi_cli_ctx_t *ctx, int64_t *V, int64_t *E, int64_t *J,
                   double *load, double *min, double *max, double *avg);
const char *reapi_cli_get_err_msg(reapi_cli_ctx_t *ctx);
void reapi_cli_clear_err_msg(reapi_cli_ctx_t *ctx);
int reapi_cli_set_status(reapi_cli_ctx_t *ctx, const char *resource_path,
                         resource_status_t status);
int reapi_cli_get_status(reapi_cli_ctx_t *ctx, const char *resource_path,
                         resource_status_t *status);
int reapi_cli_set_rank_status(reapi_cli_ctx_t *ctx, const char *ranks,
                              resource_status_t status);
int reapi_cli_get_rank_status(reapi_cli_ctx_t *ctx, const char *rank,
                              resource_status_t *status);
"""

# Declared separately: a schedsim extension that may be absent from an older
# library, so a missing symbol must not stop the rest from loading.
CDEF_OPTIONAL = """
int reapi_cli_set_time(reapi_cli_ctx_t *ctx, int64_t t);
int64_t reapi_cli_get_time(reapi_cli_ctx_t *ctx);
"""

LIBNAMES = ("libschedsim.so", "libschedsim.so.0")

ffi = cffi.FFI()
ffi.cdef(CDEF)
ffi.cdef(CDEF_OPTIONAL)

_lock = threading.Lock()
_lib = None


class LibraryNotFound(OSError):
    """libschedsim.so could not be found or loaded."""


def _from_env():
    path = os.environ.get("SCHEDSIM_LIB")
    if not path:
        return []
    if os.path.isdir(path):
        return [os.path.join(path, n) for n in LIBNAMES]
    return [path]


def _beside_package():
    here = os.path.dirname(os.path.realpath(__file__))
    return [os.path.join(here, n) for n in LIBNAMES]


def _source_tree():
    """Build directories of the checkout this package sits in, if any.
    Sanitizer builds are skipped: they load only with libasan preloaded
    (SCHEDSIM_LIB can still name one)."""
    here = os.path.dirname(os.path.realpath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    if not os.path.isfile(os.path.join(root, "engine", "reapi_cli.h")):
        return []
    build = os.path.join(root, "build")
    preferred = [os.path.join(build, d, "engine", "libschedsim.so")
                 for d in ("release", "test")]
    others = sorted(glob.glob(os.path.join(build, "*", "engine", "libschedsim.so")),
                    key=os.path.getmtime, reverse=True)
    return preferred + [p for p in others if "san" not in p.split(os.sep)[-3]]


def candidates():
    """Where the library is looked for, in order: existing files, then the
    bare names for the dynamic loader.  An explicit $SCHEDSIM_LIB is the only
    candidate (nothing when it names no file: an error, not a hint)."""
    if os.environ.get("SCHEDSIM_LIB"):
        return [p for p in _from_env() if os.path.isfile(p)]
    found = [p for p in _beside_package() + _source_tree() if os.path.isfile(p)]
    return found + list(LIBNAMES)


def lib():
    """The loaded library (loaded on first call)."""
    global _lib
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is None:
            _lib = _load()
    return _lib


def _load():
    errors = []
    for path in candidates():
        try:
            return ffi.dlopen(path)
        except OSError as e:
            errors.append("%s: %s" % (path, e))
    where = os.environ.get("SCHEDSIM_LIB")
    hint = ("SCHEDSIM_LIB=%s names no loadable library" % where if where else
            "set SCHEDSIM_LIB to build/<dir>/engine/libschedsim.so")
    raise LibraryNotFound("cannot load libschedsim.so (%s)%s" % (
        hint, "".join("\n  " + e for e in errors)))


def has(name):
    """True when the loaded library exports 'name'."""
    try:
        getattr(lib(), name)
    except AttributeError:
        return False
    return True

