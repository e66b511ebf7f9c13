#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "planner.h"
#include "planner_multi.h"
#include "planner.c"
static int dumpfn(const struct pt_values *v, void *a) { (void)a; printf("[%lld r%lld k%lld ref%d] ", (long long)v->at, (long long)v->rem, (long long)v->key, v->ref); return 0; }
static long long e(long long x) { return x < 0 ? -1 : x; }
static void force_form(planner_t *q) { const char *k = getenv("PLANNER_SMALL_MAX"); if (q && k) planner__set_small_max(q, (int32_t)atoi(k)); }
int main(void) {
    char op[32]; planner_t *p = NULL; planner_multi_t *m = NULL;
    long long a, b, c; size_t len = 0; char types[8][8]; const char *tp[8];
    int64_t v[8];
    while (scanf("%31s", op) == 1) {
        if (!strcmp(op, "new")) { scanf("%lld %lld %lld", &a, &b, &c); planner_destroy(p); p = planner_create(a, b, c, "x", NULL); force_form(p); printf("ok\n"); }
        else if (!strcmp(op, "add")) { scanf("%lld %lld %lld", &a, &b, &c); printf("%lld\n", e(planner_span_add(p, a, b, c))); }
        else if (!strcmp(op, "rem")) { scanf("%lld", &a); printf("%lld\n", e(planner_span_remove(p, a))); }
        else if (!strcmp(op, "red")) { scanf("%lld %lld", &a, &b); bool r = false; int rc = planner_span_reduce(p, a, b, &r); printf("%lld %d\n", e(rc), (int)r); }
        else if (!strcmp(op, "first")) { scanf("%lld %lld %lld", &a, &b, &c); printf("%lld\n", e(planner_avail_time_first(p, a, b, c))); }
        else if (!strcmp(op, "next")) { printf("%lld\n", e(planner_avail_time_next(p))); }
        else if (!strcmp(op, "during")) { scanf("%lld %lld %lld", &a, &b, &c); printf("%lld\n", e(planner_avail_during(p, a, b, c))); }
        else if (!strcmp(op, "rdur")) { scanf("%lld %lld", &a, &b); printf("%lld\n", e(planner_avail_resources_during(p, a, b))); }
        else if (!strcmp(op, "rat")) { scanf("%lld", &a); printf("%lld\n", e(planner_avail_resources_at(p, a))); }
        else if (!strcmp(op, "upd")) { scanf("%lld", &a); printf("%lld\n", e(planner_update_total(p, a))); }
        else if (!strcmp(op, "mnew")) { scanf("%lld %lld %zu", &a, &b, &len); for (size_t i = 0; i < len; i++) { scanf("%7s %lld", types[i], &c); tp[i] = types[i]; v[i] = c; } planner_multi_destroy(m); m = planner_multi_create(a, b, v, tp, len, NULL); for (size_t i = 0; i < len; i++) force_form(planner_multi_planner_at(m, i)); printf("ok\n"); }
        else if (!strcmp(op, "madd")) { scanf("%lld %lld", &a, &b); for (size_t i = 0; i < len; i++) { scanf("%lld", &c); v[i] = c; } if (planner_multi_avail_during(m, a, b, v, len) != 0) { printf("busy\n"); continue; } printf("%lld\n", e(planner_multi_span_add(m, a, b, v, len))); }
        else if (!strcmp(op, "mrem")) { scanf("%lld", &a); printf("%lld\n", e(planner_multi_span_remove(m, a))); }
        else if (!strcmp(op, "mfirst")) { scanf("%lld %lld", &a, &b); for (size_t i = 0; i < len; i++) { scanf("%lld", &c); v[i] = c; } printf("%lld\n", e(planner_multi_avail_time_first(m, a, b, v, len))); }
        else if (!strcmp(op, "mnext")) { printf("%lld\n", e(planner_multi_avail_time_next(m))); }
        else if (!strcmp(op, "mduring")) { scanf("%lld %lld", &a, &b); for (size_t i = 0; i < len; i++) { scanf("%lld", &c); v[i] = c; } printf("%lld\n", e(planner_multi_avail_during(m, a, b, v, len))); }
        else if (!strcmp(op, "mat")) { scanf("%lld", &a); for (size_t i = 0; i < len; i++) printf("%lld ", e(planner_multi_avail_resources_at(m, a, i))); printf("\n"); }
        else if (!strcmp(op, "mred")) { size_t n; scanf("%lld %zu", &a, &n); char t2[8][8]; const char *tp2[8]; for (size_t i = 0; i < n; i++) { scanf("%7s %lld", t2[i], &c); tp2[i] = t2[i]; v[i] = c; } bool r = false; int rc = planner_multi_span_reduce(m, a, v, tp2, n, &r); printf("%lld %d\n", e(rc), (int)r); }
        else if (!strcmp(op, "mplan")) { scanf("%lld", &a); for (size_t i = 0; i < len; i++) printf("%lld ", e(planner_multi_span_planned_at(m, a, i))); printf("\n"); }
        else if (!strcmp(op, "mclear")) { long long ids[4096]; int k = 0; for (long long id = planner_multi_span_first(m); id >= 0 && k < 4096; id = planner_multi_span_next(m)) ids[k++] = id; for (int j = 0; j < k; j++) { long long id = ids[j]; planner_multi_span_remove(m, id); } printf("%d\n", k); }
        else if (!strcmp(op, "mupd")) { scanf("%zu", &len); for (size_t i = 0; i < len; i++) { scanf("%7s %lld", types[i], &c); tp[i] = types[i]; v[i] = c; } printf("%lld\n", e(planner_multi_update(m, v, tp, len))); }
        else if (!strcmp(op, "dump")) { planner__ps_walk(&p->pts, dumpfn, NULL); printf("\n"); }
        else { fprintf(stderr, "bad op %s\n", op); return 1; }
    }
    planner_destroy(p); planner_multi_destroy(m);
    return 0;
}
