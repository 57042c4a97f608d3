/* trace.c - VCD writer and event trace (see trace.h). */
#include "trace.h"

#include <string.h>

static const char *const block_names[TRACE_NBLOCKS] = {
    [TRACE_DMA] = "dma",       [TRACE_ESP_TX] = "esp_tx",   [TRACE_GCM_TX] = "gcm_tx",
    [TRACE_TX_MAC] = "tx_mac", [TRACE_RX_MAC] = "rx_mac",   [TRACE_ESP_RX] = "esp_rx",
    [TRACE_GCM_RX] = "gcm_rx", [TRACE_ESP_RX_POST] = "esp_rx_post",
};

const char *trace_block_name(enum trace_block b)
{
    return (unsigned)b < TRACE_NBLOCKS ? block_names[b] : "?";
}

int64_t trace_parse_mask(const char *list)
{
    if (strcmp(list, "all") == 0)
        return (1 << TRACE_NBLOCKS) - 1;
    int64_t mask = 0;
    const char *s = list;
    while (*s) {
        size_t n = strcspn(s, ",");
        int found = -1;
        for (int b = 0; b < TRACE_NBLOCKS; b++)
            if (strlen(block_names[b]) == n && strncmp(s, block_names[b], n) == 0)
                found = b;
        if (found < 0 || n == 0)
            return -1;
        mask |= 1 << found;
        s += n;
        if (*s == ',')
            s++;
    }
    return mask;
}

void trace_init(struct trace *t)
{
    memset(t, 0, sizeof(*t));
}

int trace_probe(struct trace *t, const char *name, const void *ptr, unsigned size,
                unsigned width)
{
    if (t->nprobes >= TRACE_MAX_PROBES || t->vcd_header_done)
        return -1;
    struct trace_probe *p = &t->probes[t->nprobes++];
    snprintf(p->name, sizeof(p->name), "%s", name);
    p->ptr = ptr;
    p->size = (uint8_t)size;
    p->width = (uint8_t)width;
    return 0;
}

static uint64_t read_probe(const struct trace_probe *p)
{
    switch (p->size) {
    case 1: return *(const uint8_t *)p->ptr;
    case 2: return *(const uint16_t *)p->ptr;
    case 4: return *(const uint32_t *)p->ptr;
    default: return *(const uint64_t *)p->ptr;
    }
}

/* VCD identifier of probe i: printable characters '!'..'~', base 94. */
static void vcd_id(unsigned i, char *out)
{
    do {
        *out++ = (char)('!' + i % 94);
        i /= 94;
    } while (i);
    *out = '\0';
}

static void emit(FILE *f, const struct trace_probe *p, unsigned i, uint64_t v)
{
    char id[8];
    vcd_id(i, id);
    if (p->width == 1) {
        fprintf(f, "%c%s\n", v ? '1' : '0', id);
        return;
    }
    char bits[65];
    for (unsigned b = 0; b < p->width; b++)
        bits[b] = (char)('0' + (v >> (p->width - 1 - b) & 1));
    bits[p->width] = '\0';
    fprintf(f, "b%s %s\n", bits, id);
}

/* Scopes: the name up to the last dot; probes are registered grouped by scope. */
static void header(struct trace *t)
{
    FILE *f = t->vcd;
    fprintf(f, "$version nicsim C model $end\n$timescale 1ns $end\n");
    char scope[64] = "";
    for (unsigned i = 0; i < t->nprobes; i++) {
        const struct trace_probe *p = &t->probes[i];
        const char *dot = strrchr(p->name, '.');
        size_t sl = dot ? (size_t)(dot - p->name) : 0;
        if (strlen(scope) != sl || strncmp(scope, p->name, sl) != 0) {
            /* close the old scope's levels, open the new one's */
            if (scope[0])
                for (const char *c = scope; c; c = strchr(c + 1, '.'))
                    fprintf(f, "$upscope $end\n");
            memcpy(scope, p->name, sl);
            scope[sl] = '\0';
            char part[64];
            snprintf(part, sizeof(part), "%s", scope);
            for (char *tok = strtok(part, "."); tok; tok = strtok(NULL, "."))
                fprintf(f, "$scope module %s $end\n", tok);
        }
        char id[8];
        vcd_id(i, id);
        fprintf(f, "$var wire %u %s %s $end\n", p->width, id, dot ? dot + 1 : p->name);
    }
    if (scope[0])
        for (const char *c = scope; c; c = strchr(c + 1, '.'))
            fprintf(f, "$upscope $end\n");
    fprintf(f, "$enddefinitions $end\n");
}

void trace_sample(struct trace *t, uint64_t cycle)
{
    if (!t->vcd)
        return;
    if (!t->vcd_header_done) {
        header(t);
        fprintf(t->vcd, "#%lu\n$dumpvars\n", (unsigned long)cycle);
        for (unsigned i = 0; i < t->nprobes; i++) {
            t->probes[i].last = read_probe(&t->probes[i]);
            emit(t->vcd, &t->probes[i], i, t->probes[i].last);
        }
        fprintf(t->vcd, "$end\n");
        t->vcd_header_done = true;
        return;
    }
    bool stamped = false;
    for (unsigned i = 0; i < t->nprobes; i++) {
        uint64_t v = read_probe(&t->probes[i]);
        if (v == t->probes[i].last)
            continue;
        if (!stamped) {
            fprintf(t->vcd, "#%lu\n", (unsigned long)cycle);
            stamped = true;
        }
        t->probes[i].last = v;
        emit(t->vcd, &t->probes[i], i, v);
    }
}

void trace_event(struct trace *t, enum trace_block b, uint64_t cycle, const char *fmt, ...)
{
    if (!trace_on(t, b))
        return;
    fprintf(t->events, "%10lu %-11s ", (unsigned long)cycle, trace_block_name(b));
    va_list ap;
    va_start(ap, fmt);
    vfprintf(t->events, fmt, ap);
    va_end(ap);
    fputc('\n', t->events);
}
