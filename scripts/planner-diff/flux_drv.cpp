#include <cstdio>
#include <cstring>
#include <cstdint>
#include "planner.h"
#include "planner_multi.h"
#include <map>
#include <string>
#include <list>
#include "resource/planner/c++/planner.hpp"
int main() {
    char op[32]; planner_t *p = nullptr; planner_multi_t *m = nullptr;
    long long a, b, c; size_t len = 0; char types[8][8]; const char *tp[8];
    uint64_t v[8];
    while (scanf("%31s", op) == 1) {
        if (!strcmp(op, "new")) { scanf("%lld %lld %lld", &a, &b, &c); planner_destroy(&p); p = planner_new(a, b, c, "x"); printf("ok\n"); }
        else if (!strcmp(op, "add")) { scanf("%lld %lld %lld", &a, &b, &c); printf("%lld\n", (long long)planner_add_span(p, a, b, c)); }
        else if (!strcmp(op, "rem")) { scanf("%lld", &a); printf("%d\n", planner_rem_span(p, a)); }
        else if (!strcmp(op, "red")) { scanf("%lld %lld", &a, &b); bool r = false; int rc = planner_reduce_span(p, a, b, r); printf("%d %d\n", rc, (int)r); }
        else if (!strcmp(op, "first")) { scanf("%lld %lld %lld", &a, &b, &c); printf("%lld\n", (long long)planner_avail_time_first(p, a, b, c)); }
        else if (!strcmp(op, "next")) { printf("%lld\n", (long long)planner_avail_time_next(p)); }
        else if (!strcmp(op, "during")) { scanf("%lld %lld %lld", &a, &b, &c); printf("%d\n", planner_avail_during(p, a, b, c)); }
        else if (!strcmp(op, "rdur")) { scanf("%lld %lld", &a, &b); printf("%lld\n", (long long)planner_avail_resources_during(p, a, b)); }
        else if (!strcmp(op, "rat")) { scanf("%lld", &a); printf("%lld\n", (long long)planner_avail_resources_at(p, a)); }
        else if (!strcmp(op, "upd")) { scanf("%lld", &a); printf("%d\n", planner_update_total(p, a)); }
        else if (!strcmp(op, "mnew")) { scanf("%lld %lld %zu", &a, &b, &len); for (size_t i = 0; i < len; i++) { scanf("%7s %lld", types[i], &c); tp[i] = types[i]; v[i] = c; } planner_multi_destroy(&m); m = planner_multi_new(a, b, v, tp, len); printf("ok\n"); }
        else if (!strcmp(op, "madd")) { scanf("%lld %lld", &a, &b); for (size_t i = 0; i < len; i++) { scanf("%lld", &c); v[i] = c; } if (planner_multi_avail_during(m, a, b, v, len) != 0) { printf("busy\n"); continue; } printf("%lld\n", (long long)planner_multi_add_span(m, a, b, v, len)); }
        else if (!strcmp(op, "mrem")) { scanf("%lld", &a); printf("%d\n", planner_multi_rem_span(m, a)); }
        else if (!strcmp(op, "mfirst")) { scanf("%lld %lld", &a, &b); for (size_t i = 0; i < len; i++) { scanf("%lld", &c); v[i] = c; } printf("%lld\n", (long long)planner_multi_avail_time_first(m, a, b, v, len)); }
        else if (!strcmp(op, "mnext")) { printf("%lld\n", (long long)planner_multi_avail_time_next(m)); }
        else if (!strcmp(op, "mduring")) { scanf("%lld %lld", &a, &b); for (size_t i = 0; i < len; i++) { scanf("%lld", &c); v[i] = c; } printf("%d\n", planner_multi_avail_during(m, a, b, v, len)); }
        else if (!strcmp(op, "mat")) { scanf("%lld", &a); for (size_t i = 0; i < len; i++) printf("%lld ", (long long)planner_multi_avail_resources_at(m, a, i)); printf("\n"); }
        else if (!strcmp(op, "mred")) { size_t n; scanf("%lld %zu", &a, &n); char t2[8][8]; const char *tp2[8]; for (size_t i = 0; i < n; i++) { scanf("%7s %lld", t2[i], &c); tp2[i] = t2[i]; v[i] = c; } bool r = false; int rc = planner_multi_reduce_span(m, a, v, tp2, n, r); printf("%d %d\n", rc, (int)r); }
        else if (!strcmp(op, "mplan")) { scanf("%lld", &a); for (size_t i = 0; i < len; i++) printf("%lld ", (long long)planner_multi_span_planned_at(m, a, i)); printf("\n"); }
        else if (!strcmp(op, "mclear")) { long long ids[4096]; int k = 0; for (long long id = planner_multi_span_first(m); id >= 0 && k < 4096; id = planner_multi_span_next(m)) ids[k++] = id; for (int j = 0; j < k; j++) { long long id = ids[j]; planner_multi_rem_span(m, id); } printf("%d\n", k); }
        else if (!strcmp(op, "mupd")) { scanf("%zu", &len); for (size_t i = 0; i < len; i++) { scanf("%7s %lld", types[i], &c); tp[i] = types[i]; v[i] = c; } printf("%d\n", planner_multi_update(m, v, tp, len)); }
        else if (!strcmp(op, "dump")) { scheduled_point_t *pt = p->plan->sp_tree_get_state(p->plan->get_plan_start()); while (pt) { printf("[%lld r%lld k%lld m%d ref%d] ", (long long)pt->at, (long long)pt->remaining, (long long)pt->resource_rb.remaining, pt->in_mt_resource_tree, pt->ref_count); pt = p->plan->sp_tree_next(pt);} printf("\n"); }
        else { fprintf(stderr, "bad op %s\n", op); return 1; }
    }
    planner_destroy(&p); planner_multi_destroy(&m);
    return 0;
}
