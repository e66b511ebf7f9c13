/* reapi_client.c: a program written for Fluxion's standalone C client,
 * built by tests/e2e/query.sh against libschedsim.so and reapi_cli.h only.
 * Usage: reapi_client GRAPH.json JOBSPEC; prints the R of two matches. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reapi_cli.h"

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!fp || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
        fseek(fp, 0, SEEK_SET) != 0 || !(buf = malloc((size_t)n + 1)) ||
        fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        if (fp)
            fclose(fp);
        free(buf);
        return NULL;
    }
    fclose(fp);
    buf[n] = '\0';
    return buf;
}

int main(int argc, char **argv)
{
    const char *opts = "{\"load_format\": \"jgf\", \"matcher_policy\": \"low\", "
                       "\"match_format\": \"rv1_nosched\"}";
    char *graph = argc == 3 ? slurp(argv[1]) : NULL;
    char *jobspec = argc == 3 ? slurp(argv[2]) : NULL;
    reapi_cli_ctx_t *ctx = reapi_cli_new();
    if (!graph || !jobspec || !ctx || reapi_cli_initialize(ctx, graph, opts) < 0)
        return 1;
    for (int i = 0; i < 2; i++) {
        uint64_t jobid;
        bool reserved;
        char *R = NULL;
        int64_t at;
        double ov;
        if (reapi_cli_match_allocate(ctx, true, jobspec, &jobid, &reserved, &R, &at,
                                     &ov) < 0) {
            fprintf(stderr, "match failed: %s\n", strerror(errno));
            return 1;
        }
        printf("%llu %s %lld %s", (unsigned long long)jobid,
               reserved ? "reserved" : "allocated", (long long)at, R);
        free(R);
    }
    reapi_cli_destroy(ctx);
    free(graph);
    free(jobspec);
    return 0;
}
