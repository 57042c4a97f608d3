/* gold_sa.c - building and validating a security association (RFC 4106 key material).
 *
 * The library is stateless, so the SA is plain data the caller fills; every entry point calls
 * gold_sa_check() first so that a hand-filled SA with, say, icv_len 10 is refused, not used.
 */
#include <string.h>

#include "gold_priv.h"

enum gold_status gold_sa_check(const struct gold_sa *sa)
{
    if (sa == NULL)
        return GOLD_E_PARAM;
    if (sa->key_len != 16 && sa->key_len != 24 && sa->key_len != 32)
        return GOLD_E_PARAM;
    if (sa->icv_len != 8 && sa->icv_len != 12 && sa->icv_len != 16)
        return GOLD_E_PARAM;
    if (sa->mode != GOLD_TRANSPORT && sa->mode != GOLD_TUNNEL)
        return GOLD_E_PARAM;
    /* Pad length is one byte, so an alignment above 256 could demand more than 255 pad bytes. */
    if (sa->align % 4 != 0 || sa->align > GOLD_MAX_PAD + 1)
        return GOLD_E_PARAM;
    return GOLD_OK;
}

unsigned gold_sa_align(const struct gold_sa *sa) { return sa->align == 0 ? 4u : sa->align; }

enum gold_status gold_sa_init(struct gold_sa *sa, const uint8_t *keymat, size_t keymat_len,
                              uint32_t spi, unsigned icv_len)
{
    if (sa == NULL)
        return GOLD_E_PARAM;
    memset(sa, 0, sizeof *sa);
    if (keymat == NULL || (keymat_len != 20 && keymat_len != 28 && keymat_len != 36))
        return GOLD_E_PARAM;
    if (icv_len != 8 && icv_len != 12 && icv_len != 16)
        return GOLD_E_PARAM;
    /* RFC 4106 s8.1: the last four bytes of the key material are the salt. */
    sa->key_len = keymat_len - 4;
    memcpy(sa->key, keymat, sa->key_len);
    memcpy(sa->salt, keymat + sa->key_len, 4);
    sa->spi = spi;
    sa->icv_len = icv_len;
    sa->esn = false;
    sa->mode = GOLD_TRANSPORT;
    sa->align = 4;
    return GOLD_OK;
}
