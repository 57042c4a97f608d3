/* esp_sa.c - Wireshark esp_sa lines (see esp_sa.h). */
#include "esp_sa.h"

#include <arpa/inet.h>

int esp_sa_write(FILE *f, const struct esp_sa_entry *e)
{
    if (e->icv_len != 8 && e->icv_len != 12 && e->icv_len != 16)
        return -1;
    char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
    int af = e->v6 ? AF_INET6 : AF_INET;
    if (!inet_ntop(af, e->src, src, sizeof(src)) || !inet_ntop(af, e->dst, dst, sizeof(dst)))
        return -1;
    fprintf(f, "\"%s\",\"%s\",\"%s\",\"0x%08x\",\"AES-GCM with %u octet ICV [RFC4106]\",\"0x",
            e->v6 ? "IPv6" : "IPv4", src, dst, e->spi, e->icv_len);
    for (size_t i = 0; i < e->keymat_len; i++)
        fprintf(f, "%02x", e->keymat[i]);
    return fprintf(f, "\",\"NULL\",\"\"\n") < 0 ? -1 : 0;
}
