/* vec_esp.h - one record of the nicsim ESP packet-vector format (vectors/README.md).
 *
 * Internal to libvec: vec_esp.c parses records into this struct and validates them (so that
 * every field the check needs is present and in range), vec_esp_check.c runs them.
 */
#ifndef NICSIM_VEC_ESP_H
#define NICSIM_VEC_ESP_H

#include <stdbool.h>

#include "vec_hex.h"
#include "vec_job.h"

#define VEC_ESP_NAME_MAX 128

enum vec_esp_op { VEC_ESP_ENCAP, VEC_ESP_DECAP };
enum vec_esp_level { VEC_ESP_LEVEL_ESP, VEC_ESP_LEVEL_IP };

/* Which fields a record set (bit per field, in the order of the field table). */
enum vec_esp_field {
    VEC_ESP_F_SOURCE,
    VEC_ESP_F_OP,
    VEC_ESP_F_LEVEL,
    VEC_ESP_F_MODE,
    VEC_ESP_F_KEYMAT,
    VEC_ESP_F_ICV,
    VEC_ESP_F_SPI,
    VEC_ESP_F_SN,
    VEC_ESP_F_ESN,
    VEC_ESP_F_IV,
    VEC_ESP_F_NEXT_HEADER,
    VEC_ESP_F_OUTER_SRC,
    VEC_ESP_F_OUTER_DST,
    VEC_ESP_F_ALIGN,
    VEC_ESP_F_PLAIN,
    VEC_ESP_F_ESP,
    VEC_ESP_F_RESULT,
    VEC_ESP_F_COUNT_
};

struct vec_esp_rec {
    char name[VEC_ESP_NAME_MAX + 1];
    unsigned long line;                     /* of [NAME] */
    unsigned long field_line[VEC_ESP_F_COUNT_];
    unsigned have;                          /* bit (1u << enum vec_esp_field) per field given */

    enum vec_esp_op op;
    enum vec_esp_level level;
    enum gold_mode mode;
    struct vec_bytes keymat;                /* key || 4-byte salt: 20, 28 or 36 bytes */
    unsigned icv;
    uint32_t spi;
    uint64_t sn;
    bool esn;
    uint8_t iv[8];
    uint8_t next_header;
    bool outer_src_v6, outer_dst_v6;
    uint8_t outer_src[16], outer_dst[16];
    unsigned align;                         /* 0: the default (4) */
    struct vec_bytes plain;
    struct vec_bytes esp;
    int result;                             /* enum gold_status */
};

static inline bool vec_esp_has(const struct vec_esp_rec *r, enum vec_esp_field f)
{
    return (r->have >> f) & 1u;
}

/* Run a validated record through an engine. */
void vec_esp_check(const struct vec_engine *eng, void *ctx, const struct vec_esp_rec *r,
                   struct vec_outcome *o);

#endif
