/* corpus.h: the invalid-input corpora of the test suites.
 *
 * A corpus is a directory tests/data/<area>/invalid/ with one directory per
 * case, holding the input file and 'error':
 *
 *     <line> <column>
 *     <exact error text>
 *     [<anything else the suite reads, e.g. the error code's name>]
 *
 * corpus_each() walks the cases in name order and hands each one, with its
 * 'error' file read, to the suite's check, which loads the input and compares
 * with corpus_assert_error() (or corpus_error_matches() to collect all
 * mismatches before failing).
 *
 * Header-only with static functions: the per-area runners are built from
 * tests/<area>/test_*.c alone, so each test file includes its own copy. */
#ifndef TESTS_CORPUS_H
#define TESTS_CORPUS_H

#include <check.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "eng_error.h"
#include "fio.h"

/* One case, valid during the check it is passed to. */
struct corpus_case {
    const char *dir;   /* the case's directory */
    const char *input; /* its input file */
    int line, column;  /* the expected position */
    const char *text;  /* the expected text (second line of 'error') */
    const char *extra; /* the rest after the text's newline ("" when none),
                          NULL when the text has no newline after it */
};

typedef void (*corpus_check_f)(const struct corpus_case *c, void *arg);

/* "'a'/'b'" into 'buf' of 'size' bytes; fails the test when it does not fit. */
static inline void corpus_path(char *buf, size_t size, const char *a, const char *b)
{
    int n = snprintf(buf, size, "%s/%s", a, b);
    ck_assert_msg(n >= 0 && (size_t)n < size, "path too long: %s/%s", a, b);
}

/* Parse the 'error' file text 'want' (modified in place) into 'c'. */
static inline void corpus_parse_error(char *want, struct corpus_case *c)
{
    char *nl = strchr(want, '\n');
    ck_assert_msg(nl != NULL, "%s: error file has no text line", c->dir);
    ck_assert_int_eq(sscanf(want, "%d %d", &c->line, &c->column), 2);
    char *text = nl + 1, *end = strchr(text, '\n');
    c->extra = NULL;
    if (end) {
        *end = '\0';
        end[1 + strcspn(end + 1, "\n")] = '\0';
        c->extra = end + 1;
    }
    c->text = text;
}

/* One case directory 'dir': the first of 'inputs' (file names, NULL-ended)
 * that exists is the input (else the first, so that loading it fails). */
static inline void corpus_run_case(const char *dir, const char *const *inputs,
                                   corpus_check_f check, void *arg)
{
    char input[1024], errpath[1024];
    struct stat st;
    corpus_path(input, sizeof input, dir, inputs[0]);
    for (size_t i = 1; stat(input, &st) != 0 && inputs[i]; i++)
        corpus_path(input, sizeof input, dir, inputs[i]);
    if (stat(input, &st) != 0)
        corpus_path(input, sizeof input, dir, inputs[0]);
    corpus_path(errpath, sizeof errpath, dir, "error");
    eng_error_t err;
    char *want = fio_read_all(errpath, 1 << 20, NULL, &err);
    ck_assert_msg(want != NULL, "%s: no error file (%s)", dir, err.text);
    struct corpus_case c = {.dir = dir, .input = input, .line = -1, .column = -1};
    corpus_parse_error(want, &c);
    check(&c, arg);
    free(want);
}

/* Run 'check' on every case below 'invalid_dir' in name order; the input of
 * a case is the first of 'inputs' (NULL-ended) present.  Returns the number
 * of cases. */
static inline int corpus_each(const char *invalid_dir, const char *const *inputs,
                              corpus_check_f check, void *arg)
{
    struct dirent **names = NULL;
    int n = scandir(invalid_dir, &names, NULL, alphasort);
    ck_assert_msg(n >= 0, "cannot read %s", invalid_dir);
    int count = 0;
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.') {
            char dir[1024];
            corpus_path(dir, sizeof dir, invalid_dir, names[i]->d_name);
            corpus_run_case(dir, inputs, check, arg);
            count++;
        }
        free(names[i]);
    }
    free(names);
    return count;
}

/* True when 'err' is at the case's position with its text; when 'wildcard',
 * an expected text of "*" matches any text (for messages of libraries). */
static inline bool corpus_error_matches(const struct corpus_case *c,
                                        const eng_error_t *err, bool wildcard)
{
    return err->line == c->line && err->column == c->column &&
           ((wildcard && strcmp(c->text, "*") == 0) || strcmp(err->text, c->text) == 0);
}

/* 0 when corpus_error_matches(), else 1 after printing the difference: for
 * suites that list every mismatch before failing. */
static inline int corpus_error_mismatch(const struct corpus_case *c,
                                        const eng_error_t *err, bool wildcard)
{
    if (corpus_error_matches(c, err, wildcard))
        return 0;
    fprintf(stderr, "%s: got %d:%d: %s\n", c->dir, err->line, err->column, err->text);
    return 1;
}

/* Fail unless corpus_error_matches(). */
static inline void corpus_assert_error(const struct corpus_case *c,
                                       const eng_error_t *err, bool wildcard)
{
    ck_assert_msg(corpus_error_matches(c, err, wildcard),
                  "%s: got %d:%d: %s\n  want %d:%d: %s", c->input, err->line, err->column,
                  err->text, c->line, c->column, c->text);
}

#endif /* TESTS_CORPUS_H */
