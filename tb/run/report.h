/* report.h - what `nicsim run` measured, as JSON (for scripts) and as a table (for people).
 *
 * Figures per direction: packets and bytes in and out, drops by reason, packets offloaded and
 * packets the driver handled in software, latency in cycles (min, median, p99, max) over every
 * packet that came out, and rates at the configured clock: Gbps = out bytes * 8 / time,
 * Mpps = out packets / time, time = cycles / clock.
 */
#ifndef NICSIM_REPORT_H
#define NICSIM_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nicsim/nicsim.h"

struct lat_set {
    uint64_t *v;
    size_t n, cap;
};

/* Add one latency sample (cycles). 0 or -1 (out of memory). */
int lat_add(struct lat_set *s, uint64_t cycles);
void lat_free(struct lat_set *s);

struct report_dir {
    const char *name;          /* "tx", "rx" */
    struct nic_dir_stats st;   /* from nic_get_stats() */
    uint64_t software;         /* packets the driver handled without the card's crypto */
    struct lat_set lat;
};

struct report {
    const char *scenario;
    uint32_t clock_mhz;
    uint64_t cycles;           /* simulated time of the run */
    uint64_t steps;            /* scheduler steps actually executed */
    double host_seconds;       /* wall clock of the simulation */
    struct report_dir dir[2];
    unsigned ndir;
    uint64_t mismatches;       /* loopback: delivered packets that differ from what was sent */
};

void report_json(FILE *f, struct report *r);
void report_table(FILE *f, struct report *r);

#endif
