/* eng_api.h: export and C++ linkage macros shared by the public headers.
 *
 * The engine builds with -fvisibility=hidden; only declarations marked ENG_API
 * are exported from libschedsim.so.  When a binding parses the headers (cffi),
 * it defines ENG_CFFI so the attribute disappears. */
#ifndef ENG_API_H
#define ENG_API_H

#if defined(ENG_CFFI)
#define ENG_API
#elif defined(__GNUC__)
#define ENG_API __attribute__((visibility("default")))
#else
#define ENG_API
#endif

#ifdef __cplusplus
#define ENG_BEGIN_DECLS extern "C" {
#define ENG_END_DECLS   }
#else
#define ENG_BEGIN_DECLS
#define ENG_END_DECLS
#endif

#endif /* ENG_API_H */
