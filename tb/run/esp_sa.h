/* esp_sa.h - Wireshark's ESP SA table (the `esp_sa` UAT file): one line per SA so that a
 * capture of nicsim's wire can be decrypted and its ICVs checked in Wireshark or tshark
 * (preferences esp.enable_encryption_decode and esp.enable_authentication_check; the file goes
 * in ~/.config/wireshark/esp_sa). Format, as Wireshark 4.0 reads it (verified with tshark):
 *   "IPv4","<src>","<dst>","0x<spi, 8 hex digits>","AES-GCM with <16|12|8> octet ICV [RFC4106]",
 *   "0x<key || salt>","NULL",""
 * Wireshark's table has no field for the ESN high half, so it decrypts ESN SAs but cannot
 * verify their ICVs.
 */
#ifndef NICSIM_ESP_SA_H
#define NICSIM_ESP_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct esp_sa_entry {
    bool v6;
    uint8_t src[16], dst[16]; /* the addresses of the ESP packets on the wire */
    uint32_t spi;
    unsigned icv_len;         /* 8, 12, 16 */
    uint8_t keymat[36];
    size_t keymat_len;        /* 20, 28, 36 */
};

/* One line for `e`. 0, or -1 on a write error or bad ICV length. */
int esp_sa_write(FILE *f, const struct esp_sa_entry *e);

#endif
