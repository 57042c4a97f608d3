/* pcap_io.c - pcap reading and writing of IP packets on libpcap (see pcap_io.h). */
#include "pcap_io.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pcap_in {
    pcap_t *p;
    int dlt;
    uint64_t rec, skipped;
};

struct pcap_out {
    pcap_t *p;
    pcap_dumper_t *d;
};

struct pcap_in *pcap_in_open(const char *path, char *err, size_t errlen)
{
    char perr[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, perr);
    if (!p) {
        snprintf(err, errlen, "%s: %s", path, perr);
        return NULL;
    }
    int dlt = pcap_datalink(p);
    switch (dlt) {
    case DLT_RAW: case DLT_IPV4: case DLT_IPV6: case DLT_EN10MB: case DLT_LINUX_SLL:
    case DLT_NULL: case DLT_LOOP:
        break;
    default:
        snprintf(err, errlen, "%s: unsupported link type %s", path,
                 pcap_datalink_val_to_name(dlt) ? pcap_datalink_val_to_name(dlt) : "?");
        pcap_close(p);
        return NULL;
    }
    struct pcap_in *in = calloc(1, sizeof(*in));
    if (!in) {
        pcap_close(p);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    in->p = p;
    in->dlt = dlt;
    return in;
}

/* Bytes of link header in front of the IP packet, or -1 if the frame is not IP. */
static long l2_len(int dlt, const uint8_t *f, size_t len)
{
    switch (dlt) {
    case DLT_EN10MB: {
        if (len < 14)
            return -1;
        size_t off = 12;
        unsigned et = (unsigned)f[off] << 8 | f[off + 1];
        if (et == 0x8100 && len >= 18) {
            off += 4;
            et = (unsigned)f[off] << 8 | f[off + 1];
        }
        return et == 0x0800 || et == 0x86dd ? (long)off + 2 : -1;
    }
    case DLT_LINUX_SLL: {
        if (len < 16)
            return -1;
        unsigned et = (unsigned)f[14] << 8 | f[15];
        return et == 0x0800 || et == 0x86dd ? 16 : -1;
    }
    case DLT_NULL: case DLT_LOOP:
        return len < 4 ? -1 : 4;
    default:
        return 0;
    }
}

int pcap_in_next(struct pcap_in *in, const uint8_t **pkt, size_t *len, char *err, size_t errlen)
{
    for (;;) {
        struct pcap_pkthdr *h;
        const u_char *data;
        int rc = pcap_next_ex(in->p, &h, &data);
        if (rc == PCAP_ERROR_BREAK)
            return 0;
        in->rec++;
        if (rc != 1) {
            snprintf(err, errlen, "record %lu: %s", (unsigned long)in->rec, pcap_geterr(in->p));
            return -1;
        }
        if (h->caplen < h->len) {
            snprintf(err, errlen, "record %lu: truncated capture (%u of %u bytes)",
                     (unsigned long)in->rec, h->caplen, h->len);
            return -1;
        }
        long off = l2_len(in->dlt, data, h->caplen);
        if (off < 0 || (size_t)off >= h->caplen) {
            in->skipped++;
            continue;
        }
        *pkt = data + off;
        *len = h->caplen - (size_t)off;
        return 1;
    }
}

uint64_t pcap_in_skipped(const struct pcap_in *in)
{
    return in->skipped;
}

void pcap_in_close(struct pcap_in *in)
{
    if (!in)
        return;
    pcap_close(in->p);
    free(in);
}

struct pcap_out *pcap_out_open(const char *path, char *err, size_t errlen)
{
    struct pcap_out *out = calloc(1, sizeof(*out));
    if (!out) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    out->p = pcap_open_dead_with_tstamp_precision(DLT_RAW, 65535, PCAP_TSTAMP_PRECISION_NANO);
    out->d = out->p ? pcap_dump_open(out->p, path) : NULL;
    if (!out->d) {
        snprintf(err, errlen, "%s: %s", path, out->p ? pcap_geterr(out->p) : "cannot open");
        if (out->p)
            pcap_close(out->p);
        free(out);
        return NULL;
    }
    return out;
}

int pcap_out_write(struct pcap_out *out, const uint8_t *pkt, size_t len, uint64_t t_ns)
{
    struct pcap_pkthdr h;
    memset(&h, 0, sizeof(h));
    h.ts.tv_sec = (time_t)(t_ns / 1000000000u);
    h.ts.tv_usec = (suseconds_t)(t_ns % 1000000000u); /* nanoseconds: NANO precision dumper */
    h.caplen = h.len = (bpf_u_int32)len;
    pcap_dump((u_char *)out->d, &h, pkt);
    return 0;
}

void pcap_out_close(struct pcap_out *out)
{
    if (!out)
        return;
    pcap_dump_close(out->d);
    pcap_close(out->p);
    free(out);
}
