/* report.c - JSON and table output of a run (see report.h). */
#include "report.h"

#include <stdlib.h>
#include <string.h>

int lat_add(struct lat_set *s, uint64_t cycles)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        uint64_t *v = realloc(s->v, cap * sizeof(*v));
        if (!v)
            return -1;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = cycles;
    return 0;
}

void lat_free(struct lat_set *s)
{
    free(s->v);
    memset(s, 0, sizeof(*s));
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

struct lat_summary {
    uint64_t min, median, p99, max;
};

/* Nearest-rank percentiles over the sorted samples. */
static struct lat_summary summarize(struct lat_set *s)
{
    struct lat_summary r = {0, 0, 0, 0};
    if (!s->n)
        return r;
    qsort(s->v, s->n, sizeof(*s->v), cmp_u64);
    r.min = s->v[0];
    r.max = s->v[s->n - 1];
    r.median = s->v[(s->n - 1) / 2];
    size_t k = (s->n * 99 + 99) / 100; /* ceil(0.99 n), 1-based */
    r.p99 = s->v[(k ? k : 1) - 1];
    return r;
}

static double seconds(const struct report *r)
{
    return r->clock_mhz ? (double)r->cycles / (r->clock_mhz * 1e6) : 0.0;
}

void report_json(FILE *f, struct report *r)
{
    double t = seconds(r);
    fprintf(f, "{\n  \"scenario\": \"%s\",\n  \"clock_mhz\": %u,\n  \"cycles\": %llu,\n"
               "  \"steps\": %llu,\n  \"host_seconds\": %.6f,\n  \"mismatches\": %llu",
            r->scenario ? r->scenario : "", r->clock_mhz, (unsigned long long)r->cycles,
            (unsigned long long)r->steps, r->host_seconds, (unsigned long long)r->mismatches);
    for (unsigned d = 0; d < r->ndir; d++) {
        struct report_dir *rd = &r->dir[d];
        struct lat_summary l = summarize(&rd->lat);
        fprintf(f, ",\n  \"%s\": {\n", rd->name);
        fprintf(f, "    \"packets_in\": %llu, \"packets_out\": %llu, \"bytes_in\": %llu, "
                   "\"bytes_out\": %llu,\n",
                (unsigned long long)rd->st.in, (unsigned long long)rd->st.out,
                (unsigned long long)rd->st.bytes_in, (unsigned long long)rd->st.bytes_out);
        fprintf(f, "    \"offloaded\": %llu, \"software\": %llu,\n",
                (unsigned long long)rd->st.offloaded, (unsigned long long)rd->software);
        fprintf(f, "    \"gbps\": %.3f, \"mpps\": %.3f,\n",
                t > 0 ? (double)rd->st.bytes_out * 8 / t / 1e9 : 0.0,
                t > 0 ? (double)rd->st.out / t / 1e6 : 0.0);
        fprintf(f, "    \"latency_cycles\": {\"min\": %llu, \"median\": %llu, \"p99\": %llu, "
                   "\"max\": %llu},\n",
                (unsigned long long)l.min, (unsigned long long)l.median,
                (unsigned long long)l.p99, (unsigned long long)l.max);
        fprintf(f, "    \"drops\": {");
        for (unsigned i = 1; i < NIC_DROP_COUNT; i++)
            fprintf(f, "%s\"%s\": %llu", i > 1 ? ", " : "", nic_drop_name((enum nic_drop)i),
                    (unsigned long long)rd->st.dropped[i]);
        fprintf(f, "}\n  }");
    }
    fprintf(f, "\n}\n");
}

void report_table(FILE *f, struct report *r)
{
    double t = seconds(r);
    fprintf(f, "%s: %llu cycles at %u MHz (%.3f us simulated, %llu steps, %.3f s host)\n",
            r->scenario ? r->scenario : "run", (unsigned long long)r->cycles, r->clock_mhz,
            t * 1e6, (unsigned long long)r->steps, r->host_seconds);
    fprintf(f, "%-4s %10s %10s %10s %10s %9s %9s | %8s %8s %8s %8s\n", "dir", "in", "out",
            "dropped", "software", "Gbps", "Mpps", "lat min", "median", "p99", "max");
    for (unsigned d = 0; d < r->ndir; d++) {
        struct report_dir *rd = &r->dir[d];
        struct lat_summary l = summarize(&rd->lat);
        uint64_t dropped = 0;
        for (unsigned i = 1; i < NIC_DROP_COUNT; i++)
            dropped += rd->st.dropped[i];
        fprintf(f, "%-4s %10llu %10llu %10llu %10llu %9.3f %9.3f | %8llu %8llu %8llu %8llu\n",
                rd->name, (unsigned long long)rd->st.in, (unsigned long long)rd->st.out,
                (unsigned long long)dropped, (unsigned long long)rd->software,
                t > 0 ? (double)rd->st.bytes_out * 8 / t / 1e9 : 0.0,
                t > 0 ? (double)rd->st.out / t / 1e6 : 0.0, (unsigned long long)l.min,
                (unsigned long long)l.median, (unsigned long long)l.p99,
                (unsigned long long)l.max);
        for (unsigned i = 1; i < NIC_DROP_COUNT; i++)
            if (rd->st.dropped[i])
                fprintf(f, "       dropped %-14s %llu\n", nic_drop_name((enum nic_drop)i),
                        (unsigned long long)rd->st.dropped[i]);
    }
    if (r->mismatches)
        fprintf(f, "MISMATCHES: %llu delivered packets differ from what was sent\n",
                (unsigned long long)r->mismatches);
}
