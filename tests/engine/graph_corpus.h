/* graph_corpus.h: the invalid corpora of the graph readers (GRUG, hwloc,
 * rv1exec), which all load through graph_load_file().  Header-only: see
 * tests/corpus.h. */
#ifndef TESTS_ENGINE_GRAPH_CORPUS_H
#define TESTS_ENGINE_GRAPH_CORPUS_H

#include "../corpus.h"
#include "graph_load.h"

/* Loading 'c' as the format named by 'arg' fails with a negative code, the
 * case's position and text, and a source naming the input (a prefix of its
 * path), and leaks nothing (ASan checks). */
static inline void graph_corpus_check(const struct corpus_case *c, void *arg)
{
    eng_error_t err;
    rg_graph_t *g = graph_load_file(c->input, (const char *)arg, NULL, &err);
    ck_assert_msg(g == NULL, "%s: loaded", c->input);
    ck_assert_msg(err.code < 0, "%s: no error code", c->input);
    corpus_assert_error(c, &err, false);
    ck_assert(strncmp(err.source, c->input, strlen(err.source)) == 0);
}

/* Every tests/data/<dir>/invalid/<case>/input.<ext> (at least 'min_cases')
 * fails to load as 'format' as graph_corpus_check() requires. */
static inline void graph_corpus_run(const char *dir, const char *ext, const char *format,
                                    int min_cases)
{
    char invalid[1024], input[64];
    snprintf(invalid, sizeof invalid, "%s/tests/data/%s/invalid", SCHEDSIM_SOURCE_DIR,
             dir);
    snprintf(input, sizeof input, "input.%s", ext);
    const char *const inputs[] = {input, NULL};
    ck_assert_int_ge(corpus_each(invalid, inputs, graph_corpus_check, (void *)format),
                     min_cases);
}

#endif /* TESTS_ENGINE_GRAPH_CORPUS_H */
