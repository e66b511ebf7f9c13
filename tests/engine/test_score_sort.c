/* test_score_sort.c: score__sort() (engine/trav_score.c) leaves candidate
 * groups exactly where the plain emulation of libstdc++'s std::sort does
 * (score__sort_std()), shortcuts included, on random inputs of every shape:
 * distinct keys in runs, few distinct values, all keys equal, and the
 * interval comparator of the locality policy. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eng_private.h"

/* xorshift64*: a fixed, portable sequence (no rand()). */
static uint64_t next_u64(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * UINT64_C(2685821657736338717);
}

static int64_t below(uint64_t *s, int64_t n)
{
    return (int64_t)(next_u64(s) % (uint64_t)n);
}

enum shape { SH_RANDOM, SH_FEW, SH_EQUAL, SH_RUNS, SH_NEAR, SH_COUNT };

/* Keys of shape 'sh' into a[i].score; every group is told apart by its
 * other fields. */
static void fill(struct egroup *a, size_t n, enum shape sh, uint64_t *s)
{
    int64_t base = below(s, 1000000) - 500000, nruns = 1 + below(s, 6);
    int64_t few = 1 + below(s, 4);
    for (size_t i = 0; i < n; i++) {
        int64_t k = 0;
        switch (sh) {
        case SH_RANDOM:
            k = (int64_t)next_u64(s);
            break;
        case SH_FEW:
            k = base + below(s, few);
            break;
        case SH_EQUAL:
            k = base;
            break;
        case SH_RUNS: /* interleaved ascending runs of distinct keys */
            k = base + (int64_t)(i % (size_t)nruns) * 100000 + (int64_t)i;
            break;
        default: /* near neighbours: intervals of adjacent integers */
            k = base + below(s, (int64_t)n + 3);
            break;
        }
        a[i] = (struct egroup){.score = k,
                               .count = (uint32_t)below(s, 5),
                               .needs = (uint32_t)i,
                               .exclusive = (uint32_t)(i & 1),
                               .root = false,
                               .ed_off = (uint32_t)i,
                               .ned = 1};
    }
}

static void check_one(size_t n, enum shape sh, enum score_cmp cmp, uint64_t *s)
{
    struct egroup *a = calloc(n ? n : 1, sizeof *a);
    struct egroup *b = calloc(n ? n : 1, sizeof *b);
    ck_assert(a && b);
    fill(a, n, sh, s);
    memcpy(b, a, n * sizeof *a);
    score__sort(a, n, cmp);
    score__sort_std(b, n, cmp);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(a[i].ed_off == b[i].ed_off && a[i].score == b[i].score,
                      "n=%zu shape=%d cmp=%d: position %zu differs", n, (int)sh, (int)cmp,
                      i);
    free(a);
    free(b);
}

START_TEST(sort_matches_std_small)
{
    uint64_t s = UINT64_C(0x9e3779b97f4a7c15);
    for (size_t n = 0; n <= 80; n++)
        for (int sh = 0; sh < SH_COUNT; sh++)
            for (int c = CMP_GREATER; c <= CMP_IV_GREATER; c++)
                for (int rep = 0; rep < 8; rep++)
                    check_one(n, (enum shape)sh, (enum score_cmp)c, &s);
}
END_TEST

START_TEST(sort_matches_std_large)
{
    uint64_t s = UINT64_C(0x243f6a8885a308d3);
    static const size_t sizes[] = {81, 100, 255, 256, 257, 1000, 4096, 5000};
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++)
        for (int sh = 0; sh < SH_COUNT; sh++)
            for (int c = CMP_GREATER; c <= CMP_IV_GREATER; c++)
                for (int rep = 0; rep < 3; rep++)
                    check_one(sizes[z], (enum shape)sh, (enum score_cmp)c, &s);
}
END_TEST

Suite *score_sort_suite(void)
{
    Suite *s = suite_create("score_sort");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, sort_matches_std_small);
    tcase_add_test(tc, sort_matches_std_large);
    suite_add_tcase(s, tc);
    return s;
}
