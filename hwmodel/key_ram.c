/* key_ram.c - the key RAM (see key_ram.h). */
#include "key_ram.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct key_ram {
    uint32_t n;
    uint32_t writes;              /* source of slot generations */
    struct key_ram_slot *slot;
};

struct key_ram *key_ram_create(uint32_t n)
{
    if (n == 0)
        return NULL;
    struct key_ram *kr = calloc(1, sizeof(*kr));
    if (!kr)
        return NULL;
    kr->slot = calloc(n, sizeof(*kr->slot));
    if (!kr->slot) {
        free(kr);
        return NULL;
    }
    kr->n = n;
    return kr;
}

void key_ram_destroy(struct key_ram *kr)
{
    if (!kr)
        return;
    explicit_bzero(kr->slot, (size_t)kr->n * sizeof(*kr->slot));
    free(kr->slot);
    free(kr);
}

uint32_t key_ram_capacity(const struct key_ram *kr)
{
    return kr ? kr->n : 0;
}

int key_ram_write(struct key_ram *kr, uint32_t slot, const uint8_t *keymat, size_t len)
{
    if (!kr)
        return -EINVAL;
    if (slot >= kr->n)
        return -ERANGE;
    if (!keymat || (len != 20 && len != 28 && len != 36))
        return -EINVAL;
    /* Build the new contents aside and store them whole, so a failed write changes nothing. */
    struct key_ram_slot s;
    memset(&s, 0, sizeof(s));
    if (aes_expand_key(&s.ks, keymat, len - 4) != 0)
        return -EINVAL;
    static const uint8_t zero[16];
    /* H once per key: the portable path gives the same bits everywhere (tested equal to NI). */
    aes_encrypt_block(aes_ops_select(true), &s.ks, zero, s.h);
    memcpy(s.salt, keymat + len - 4, 4);
    s.valid = true;
    s.gen = ++kr->writes;
    kr->slot[slot] = s;
    explicit_bzero(&s, sizeof(s));
    return 0;
}

int key_ram_free(struct key_ram *kr, uint32_t slot)
{
    if (!kr)
        return -EINVAL;
    if (slot >= kr->n)
        return -ERANGE;
    struct key_ram_slot *s = &kr->slot[slot];
    explicit_bzero(s, sizeof(*s));
    s->gen = ++kr->writes;
    return 0;
}

bool key_ram_valid(const struct key_ram *kr, uint32_t slot)
{
    return kr && slot < kr->n && kr->slot[slot].valid;
}

unsigned key_ram_nr(const struct key_ram *kr, uint32_t slot)
{
    return key_ram_valid(kr, slot) ? kr->slot[slot].ks.nr : 0u;
}

const struct key_ram_slot *key_ram_slot_dp(const struct key_ram *kr, uint32_t slot)
{
    if (!kr || slot >= kr->n || !kr->slot[slot].valid)
        return NULL;
    return &kr->slot[slot];
}
