/* gold_ip.c - gold_encap / gold_decap: argument checks, mode dispatch, output hygiene.
 *
 * The transport and tunnel files do the work; this file makes sure that both see only valid
 * arguments, that *out_len is 0 unless the call succeeded, and that a failed decap leaves no
 * byte of plaintext in the caller's buffer. `out` must not overlap `pkt`.
 */
#include "gold_priv.h"

enum gold_status gold_encap(const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                            const uint8_t *pkt, size_t pkt_len, uint8_t *out, size_t out_cap,
                            size_t *out_len)
{
    if (out_len != NULL)
        *out_len = 0;
    if (gold_sa_check(sa) != GOLD_OK || iv == NULL || out_len == NULL)
        return GOLD_E_PARAM;
    if ((pkt == NULL && pkt_len != 0) || (out == NULL && out_cap != 0))
        return GOLD_E_PARAM;
    if (!sa->esn && (sn >> 32) != 0)
        return GOLD_E_PARAM;
    enum gold_status st = sa->mode == GOLD_TUNNEL
                              ? gold_tunnel_encap(sa, sn, iv, pkt, pkt_len, out, out_cap, out_len)
                              : gold_transport_encap(sa, sn, iv, pkt, pkt_len, out, out_cap,
                                                     out_len);
    if (st != GOLD_OK) {
        *out_len = 0;
        gold_wipe(out, out_cap);
    }
    return st;
}

enum gold_status gold_decap(const struct gold_sa *sa, uint32_t seq_hi, const uint8_t *pkt,
                            size_t pkt_len, uint8_t *out, size_t out_cap, size_t *out_len)
{
    if (out_len != NULL)
        *out_len = 0;
    enum gold_status st = GOLD_E_PARAM;
    if (gold_sa_check(sa) == GOLD_OK && out_len != NULL && (pkt != NULL || pkt_len == 0) &&
        (out != NULL || out_cap == 0))
        st = sa->mode == GOLD_TUNNEL
                 ? gold_tunnel_decap(sa, seq_hi, pkt, pkt_len, out, out_cap, out_len)
                 : gold_transport_decap(sa, seq_hi, pkt, pkt_len, out, out_cap, out_len);
    if (st != GOLD_OK) {
        if (out_len != NULL)
            *out_len = 0;
        gold_wipe(out, out_cap);
    }
    return st;
}
