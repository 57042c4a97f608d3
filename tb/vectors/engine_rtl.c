/* engine_rtl.c - the `rtl` engine: raw AES-GCM known answers through the Verilated
 * rtl/gcm_engine.v, and the programs behind the engine (engine_rtl.h).
 *
 * The Verilated engine lives in a separate C++ program, build/cosim/bin/cosim_gcm_engine (built
 * by `make cosim-build`); create() starts it with --serve and talks to it over two pipes, one
 * job per line (format in tb/cosim/README.md). The program is found in $NICSIM_COSIM_DIR, else
 * in ../cosim/bin next to this binary's directory (nicsim is build/bin/nicsim). When it is not
 * there create() prints one line saying so and fails, so the runner reports the engine as not
 * creatable instead of passing anything.
 *
 * The program sets up the key register from OpenSSL's key schedule and H (not the C model's),
 * so published vectors check the RTL against an independent key schedule.
 *
 * As for the model engine (engine_model_gcm.c): a 96-bit IV splits onto the RFC 4106 nonce
 * (salt = IV[0..3], explicit IV = IV[4..11]); IVs of other lengths, AAD over 16 bytes (the
 * engine's aad_i port is 128 bits) and tags the engine refuses (outside 1..16 bytes) are
 * VEC_UNSUPPORTED. ESP records go through the pipeline top instead (engine_rtl_esp.c, a second
 * program: build/cosim/bin/cosim_top --serve).
 *
 * The engine is opt-in by name (`--engine rtl`): vec_engines.c leaves it out of the table that
 * `--engine all` runs, so `all` does not depend on a separately built program.
 */

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine_rtl.h"
#include "vec_engine_list.h"

#define RTL_PROG "cosim_gcm_engine"
#define RTL_TOP_PROG "cosim_top"
#define GCM_IV_BYTES 12u
#define SALT_BYTES 4u

/* The program's path into buf; 0 if it is there and executable. */
static int rtl_prog_path(char *buf, size_t n, const char *prog)
{
    const char *dir = getenv("NICSIM_COSIM_DIR");
    if (dir != NULL && *dir) {
        if ((size_t)snprintf(buf, n, "%s/%s", dir, prog) >= n)
            return -1;
    } else {
        char exe[PATH_MAX];
        ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (k < 0)
            return -1;
        exe[k] = '\0';
        /* build/bin/nicsim -> build/cosim/bin/cosim_gcm_engine */
        if ((size_t)snprintf(buf, n, "%s/../cosim/bin/%s", dirname(exe), prog) >= n)
            return -1;
    }
    return access(buf, X_OK);
}

void rtl_child_stop(struct rtl_child *c)
{
    if (c->to != NULL)
        fclose(c->to); /* EOF on its stdin: the program exits */
    if (c->from != NULL)
        fclose(c->from);
    if (c->pid > 0)
        while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
            ;
    free(c->line);
    memset(c, 0, sizeof *c);
}

int rtl_child_start(struct rtl_child *c, const char *prog, const char *arg)
{
    char path[PATH_MAX + 64];
    memset(c, 0, sizeof *c);
    if (rtl_prog_path(path, sizeof path, prog) != 0) {
        fprintf(stderr, "rtl engine: build/cosim/bin/%s not found; run make cosim-build\n", prog);
        return -1;
    }
    int in[2] = {-1, -1}, out[2] = {-1, -1};
    if (pipe(in) != 0 || pipe(out) != 0)
        goto fail;
    /* close-on-exec: a second program started later must not inherit this one's pipe ends
     * (it would hold its stdin open, and closing ours would never give it EOF); dup2 in the
     * child clears the flag on the ends it keeps */
    for (int i = 0; i < 2; i++)
        if (fcntl(in[i], F_SETFD, FD_CLOEXEC) != 0 || fcntl(out[i], F_SETFD, FD_CLOEXEC) != 0)
            goto fail;
    fflush(NULL); /* nothing buffered may be written twice by the child */
    c->pid = fork();
    if (c->pid < 0)
        goto fail;
    if (c->pid == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execl(path, path, arg, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    in[0] = out[1] = -1;
    if ((c->to = fdopen(in[1], "w")) != NULL)
        in[1] = -1; /* owned by the FILE now */
    if ((c->from = fdopen(out[0], "r")) != NULL)
        out[0] = -1;
    if (c->to == NULL || c->from == NULL)
        goto fail;
    return 0;
fail:
    for (int i = 0; i < 2; i++) {
        if (in[i] >= 0)
            close(in[i]);
        if (out[i] >= 0)
            close(out[i]);
    }
    rtl_child_stop(c);
    return -1;
}

static void rtl_destroy(void *p)
{
    struct rtl_ctx *c = p;
    if (c == NULL)
        return;
    rtl_child_stop(&c->gcm);
    rtl_child_stop(&c->esp);
    free(c);
}

/* Both programs run for the whole vector run: the engine alone for raw GCM, the pipeline top
 * for ESP records (engine_rtl_esp.c). */
static void *rtl_create(void)
{
    struct rtl_ctx *c = calloc(1, sizeof *c);
    if (c == NULL || rtl_child_start(&c->gcm, RTL_PROG, "--serve") != 0 ||
        rtl_child_start(&c->esp, RTL_TOP_PROG, "--serve") != 0) {
        rtl_destroy(c);
        return NULL;
    }
    return c;
}

static void put_hex(FILE *f, const char *name, const uint8_t *p, size_t n)
{
    fprintf(f, " %s=", name);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", p[i]);
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    return -1;
}

/* The hex value of field name in the answer line into p (exactly n bytes); 0 on success. */
static int get_hex(const char *line, const char *name, uint8_t *p, size_t n)
{
    char key[16];
    snprintf(key, sizeof key, " %s=", name);
    const char *s = strstr(line, key);
    if (s == NULL)
        return -1;
    s += strlen(key);
    for (size_t i = 0; i < n; i++) {
        int a = hexval(s[2 * i]), b = a < 0 ? -1 : hexval(s[2 * i + 1]);
        if (a < 0 || b < 0)
            return -1;
        p[i] = (uint8_t)(a << 4 | b);
    }
    return hexval(s[2 * n]) < 0 ? 0 : -1; /* no extra digits */
}

static bool supported(size_t key_len, size_t iv_len, size_t aad_len, size_t len, size_t tag_len)
{
    return (key_len == 16 || key_len == 24 || key_len == 32) && iv_len == GCM_IV_BYTES &&
           aad_len <= 16 && tag_len >= 1 && tag_len <= 16 && len <= UINT32_MAX;
}

/* One job; out gets len bytes, tag tag_len bytes; *icv_ok the engine's verdict. */
static int rtl_job(struct rtl_ctx *ctx, bool dec, const uint8_t *key, size_t key_len,
                   const uint8_t *iv, const uint8_t *aad, size_t aad_len, const uint8_t *in,
                   size_t len, const uint8_t *icv, size_t tag_len, uint8_t *out, uint8_t *tag,
                   bool *icv_ok)
{
    struct rtl_child *c = &ctx->gcm;
    fprintf(c->to, "gcm %s", dec ? "dec" : "enc");
    put_hex(c->to, "key", key, key_len);
    put_hex(c->to, "salt", iv, SALT_BYTES);
    put_hex(c->to, "iv", iv + SALT_BYTES, GCM_IV_BYTES - SALT_BYTES);
    put_hex(c->to, "aad", aad, aad_len);
    put_hex(c->to, "data", in, len);
    fprintf(c->to, " icvlen=%zu", tag_len);
    if (dec)
        put_hex(c->to, "icv", icv, tag_len);
    fputc('\n', c->to);
    if (fflush(c->to) != 0 || getline(&c->line, &c->cap, c->from) < 0)
        return GOLD_E_CRYPTO; /* the program died */
    if (strncmp(c->line, "ok ", 3) != 0)
        return GOLD_E_CRYPTO; /* "err reason": the RTL refused or misbehaved */
    const char *v = strstr(c->line, " icv_ok=");
    if (get_hex(c->line, "data", out, len) != 0 || get_hex(c->line, "tag", tag, tag_len) != 0 ||
        v == NULL)
        return GOLD_E_CRYPTO;
    *icv_ok = v[8] == '1';
    return GOLD_OK;
}

static int rtl_gcm_encrypt(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv,
                           size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *pt,
                           size_t len, uint8_t *ct, uint8_t *tag, size_t tag_len)
{
    if (!supported(key_len, iv_len, aad_len, len, tag_len))
        return VEC_UNSUPPORTED;
    bool ok;
    return rtl_job(ctx, false, key, key_len, iv, aad, aad_len, pt, len, NULL, tag_len, ct, tag,
                   &ok);
}

static int rtl_gcm_decrypt(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv,
                           size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *ct,
                           size_t len, const uint8_t *tag, size_t tag_len, uint8_t *pt)
{
    if (!supported(key_len, iv_len, aad_len, len, tag_len))
        return VEC_UNSUPPORTED;
    uint8_t got[16];
    bool ok = false;
    int rc = rtl_job(ctx, true, key, key_len, iv, aad, aad_len, ct, len, tag, tag_len, pt, got,
                     &ok);
    if (rc == GOLD_OK && !ok)
        rc = GOLD_E_BAD_ICV;
    if (rc != GOLD_OK && len)
        memset(pt, 0, len); /* the golden library's rule: nothing unverified */
    return rc;
}

const struct vec_engine vec_engine_rtl = {
    .name = "rtl",
    .desc = "Verilated RTL: GCM through rtl/gcm_engine.v, ESP through rtl/crypto_top.v (needs make cosim-build; not in 'all')",
    .create = rtl_create,
    .destroy = rtl_destroy,
    .gcm_encrypt = rtl_gcm_encrypt,
    .gcm_decrypt = rtl_gcm_decrypt,
    .esp_seal = rtl_esp_seal,
    .esp_open = rtl_esp_open,
    .encap = rtl_encap,
    .decap = rtl_decap,
};
