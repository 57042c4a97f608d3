/* key_ram.h - the key RAM: one slot per SA holding the expanded AES key, the GHASH subkey and
 * the RFC 4106 salt.
 *
 * Contract
 *  - Write-only from the host side: key_ram_write() takes RFC 4106 key material (AES key ||
 *    4-byte salt, 20/28/36 bytes), expands the key (FIPS-197 5.2) and computes H = E_K(0^128)
 *    at write time, so a job start costs no key-schedule cycles. There is NO read-back function
 *    for key material: keys never leave the card. key_ram_valid() reports occupancy only.
 *  - key_ram_free() zeroes the slot (key, round keys, H, salt) with a store the compiler may
 *    not elide; key_ram_destroy() zeroes every slot before freeing.
 *  - Per slot: struct key_ram_slot, under 300 bytes (static_assert), so 65536 slots are < 20 MB.
 *    The first Nk words of ks.rk are the key itself, so no separate key copy is stored.
 *  - gen changes on every write and free of the slot: a cache keyed by (key RAM, slot, gen),
 *    such as the fast-mode OpenSSL context, can never use a stale key.
 * Timing: writes come over the CSR bus from firmware (the CSR block accounts their cycles); the
 * model applies them immediately. Firmware must not rewrite a slot while a job that uses it is
 * in an engine; an engine reads the slot once, at its job start (see gcm_engine.h).
 */
#ifndef NICSIM_KEY_RAM_H
#define NICSIM_KEY_RAM_H

#include <assert.h> /* static_assert: C11 macro, C++ keyword (the header is read by C++ too) */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aes_core.h"

struct key_ram_slot {
    struct aes_ks ks;   /* round keys; rk bytes 0 .. key_len-1 are the key           */
    uint8_t h[16];      /* GHASH subkey E_K(0^128)                                     */
    uint8_t salt[4];    /* RFC 4106 nonce prefix                                       */
    bool valid;
    uint32_t gen;       /* write generation, see above (not key material)              */
};
static_assert(sizeof(struct key_ram_slot) < 300, "key RAM slot must stay small");

struct key_ram; /* opaque: slots are reachable only through the API below */

/* Capacity n >= 1 slots, all invalid. NULL on n == 0 or out of memory. */
struct key_ram *key_ram_create(uint32_t n);
void key_ram_destroy(struct key_ram *kr);
uint32_t key_ram_capacity(const struct key_ram *kr);

/* keymat = key || salt, len 20/28/36. Returns 0; -ERANGE if slot >= capacity; -EINVAL if kr or
 * keymat is NULL or len is not 20/28/36 (the slot is then left as it was). */
int key_ram_write(struct key_ram *kr, uint32_t slot, const uint8_t *keymat, size_t len);
/* Zero the slot. 0, or -ERANGE / -EINVAL (NULL kr). Freeing a free slot is fine. */
int key_ram_free(struct key_ram *kr, uint32_t slot);
/* Occupancy only (no key material). */
bool key_ram_valid(const struct key_ram *kr, uint32_t slot);
/* AES rounds of the slot's key (10/12/14), 0 if not valid: timing metadata, not key material
 * (the packet pipeline uses it with gcm_engine_latency()). */
unsigned key_ram_nr(const struct key_ram *kr, uint32_t slot);

/* ---- internal: datapath only ------------------------------------------------------------
 * The GCM engines' read port. Returns the slot if it is in range and valid, else NULL. Only
 * hwmodel/gcm_engine.c and hwmodel/gcm_unit.c may call it; nothing that serves the host, the
 * CSR bus or a debug dump may, since the result exposes key material. */
const struct key_ram_slot *key_ram_slot_dp(const struct key_ram *kr, uint32_t slot);

#endif
