/* vec_gcm.h - checking one raw AES-GCM record (CAVP or Wycheproof) against an engine.
 *
 * Internal to libvec. The parsers translate their record into a vec_gcm_case, say what must
 * happen (expect), and get one verdict back.
 */
#ifndef NICSIM_VEC_GCM_H
#define NICSIM_VEC_GCM_H

#include "vec_job.h"

enum vec_gcm_expect {
    VEC_GCM_ENCRYPT,     /* encrypt gives ct and tag (CAVP encrypt record)                      */
    VEC_GCM_DECRYPT,     /* decrypt verifies and gives pt (CAVP decrypt record)                 */
    VEC_GCM_BAD_ICV,     /* decrypt reports bad-icv (CAVP decrypt record with FAIL)             */
    VEC_GCM_VALID,       /* both: encrypt gives ct and tag, decrypt gives pt (Wycheproof valid) */
    VEC_GCM_INVALID,     /* decrypt fails with any gold error (Wycheproof invalid)              */
    VEC_GCM_ACCEPTABLE,  /* either op may refuse; what succeeds must give the right bytes      */
};

struct vec_gcm_case {
    const uint8_t *key;
    size_t key_len;
    const uint8_t *iv;
    size_t iv_len;
    const uint8_t *aad;
    size_t aad_len;
    const uint8_t *pt; /* may be NULL when not needed by expect (CAVP FAIL) */
    size_t pt_len;
    const uint8_t *ct;
    size_t ct_len;
    const uint8_t *tag;
    size_t tag_len;
    enum vec_gcm_expect expect;
};

void vec_gcm_check(const struct vec_engine *eng, void *ctx, const struct vec_gcm_case *c,
                   struct vec_outcome *o);

#endif
