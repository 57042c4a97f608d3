/* bench_clock.c - the bench's wall clock: CLOCK_MONOTONIC in seconds (see bench.h). */
#include <time.h>

#include "bench.h"

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
