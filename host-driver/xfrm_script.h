/* xfrm_script.h - SA scripts in iproute2 syntax: `ip xfrm state ...` lines parsed into operations.
 *
 * A script is a shell-style text file of `ip xfrm state` commands as `ip` accepts them, e.g.
 *
 *   ip xfrm state add proto esp src 192.0.2.1 dst 192.0.2.2 spi 0x07 mode transport reqid 7 \
 *       replay-window 32 aead 'rfc4106(gcm(aes))' 0x<key+salt> 128 \
 *       sel src 192.0.2.1 dst 192.0.2.2 offload dev nic0 dir in
 *
 * Lexical rules (a subset of sh, plus what `ip -batch` files allow):
 *  - one command per line; a backslash right before the end of a line continues it;
 *  - `#` at the start of a word begins a comment; blank lines are skipped;
 *  - words split on blanks; '...' and "..." quote (quotes are optional: `aead rfc4106(gcm(aes))`
 *    works, as in `ip -batch`); a backslash outside quotes escapes the next character;
 *  - shell expansion and control syntax ($VAR, `cmd`, ;, |, &, <, >) is an error, since nothing
 *    here expands it; so is a quote left open at the end of a line;
 *  - a command starts with `ip` (or a path ending in /ip) and global options, or, as in an
 *    `ip -batch` file, directly with the object (`xfrm state add ...`).
 *
 * Grammar: iproute2's ip/ip.c, ip/ipxfrm.c and ip/xfrm_state.c, abbreviations included exactly as
 * `ip` resolves them (`ip x s a` = `ip xfrm state add`, `-f` = `-family`, mode `tu` = tunnel).
 * Commands: add, update, delete, deleteall (delall), flush. Global options: -4, -6,
 * -f/-family inet|inet6; display-only options (-s, -d, -o, -j, -p, -t, -r, -force, ...) are
 * accepted and ignored; options that change what runs (-netns, -batch, -all, other families)
 * are errors. See docs in xfrm_script.c for each keyword and what is unsupported.
 *
 * Stricter than `ip`, on purpose (each is an error with a reason): a keyword given twice; an
 * address with a prefix length where an SA address is wanted; an odd number of hex digits in a
 * key (`ip` would silently prepend a 0); SPI 0; add/update without src, dst, spi or aead;
 * replay-seq-hi/replay-oseq-hi without `flag esn`; two different directions.
 *
 * Errors: every malformed or unsupported command is reported as "NAME:LINE: reason" naming the
 * offending token, and parsing goes on with the next command (and, where the bad token's extent
 * is known, with the rest of the same command), so one run lists all errors. LINE is the line of
 * the offending token (for continued commands, the physical line it is on); a command with an
 * error produces no operation. The library never exits and never prints except to `err`.
 */
#ifndef NICSIM_XFRM_SCRIPT_H
#define NICSIM_XFRM_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define XFRM_SCRIPT_KEYMAT_MAX 36 /* AES-256 key + 4-byte salt */
#define XFRM_SCRIPT_DEV_MAX 16    /* IFNAMSIZ, including the NUL */
#define XFRM_SCRIPT_INF UINT64_MAX /* "no limit" for byte and packet lifetimes */
#define XFRM_SCRIPT_REPLAY_MAX 4096 /* XFRMA_REPLAY_ESN_MAX: the largest window `ip` accepts */

enum xfrm_script_opcode {
    XFRM_SCRIPT_ADD,
    XFRM_SCRIPT_UPDATE,
    XFRM_SCRIPT_DELETE,
    XFRM_SCRIPT_DELETEALL,
    XFRM_SCRIPT_FLUSH,
};

enum xfrm_script_mode { XFRM_SCRIPT_TRANSPORT = 0, XFRM_SCRIPT_TUNNEL = 1 }; /* XFRM_MODE_* */

/* XFRM_SA_DIR_* values; NONE: not given. */
enum xfrm_script_dir { XFRM_SCRIPT_DIR_NONE = 0, XFRM_SCRIPT_DIR_IN = 1, XFRM_SCRIPT_DIR_OUT = 2 };

enum xfrm_script_offload_type { XFRM_SCRIPT_OFFLOAD_CRYPTO = 1, XFRM_SCRIPT_OFFLOAD_PACKET = 2 };

/* State flags accepted (values of the kernel's XFRM_STATE_*). The others `ip` knows (noecn,
 * decap-dscp, nopmtudisc, wildrecv) change packet bytes or SA lookup and are errors. */
#define XFRM_SCRIPT_FLAG_ICMP 0x10      /* stack-side ICMP policy lookup: no effect on the NIC */
#define XFRM_SCRIPT_FLAG_AF_UNSPEC 0x20 /* stack-side selector family: no effect on the NIC */
#define XFRM_SCRIPT_FLAG_ALIGN4 0x40    /* ESP alignment 4: what GCM gets anyway */
#define XFRM_SCRIPT_FLAG_ESN 0x80       /* extended sequence numbers (also in .esn) */

/* Bits of struct xfrm_script_sa.have: which fields the command gave. */
#define XFRM_SCRIPT_HAVE_SRC (1u << 0)
#define XFRM_SCRIPT_HAVE_DST (1u << 1)
#define XFRM_SCRIPT_HAVE_PROTO (1u << 2)
#define XFRM_SCRIPT_HAVE_SPI (1u << 3)
#define XFRM_SCRIPT_HAVE_MODE (1u << 4)
#define XFRM_SCRIPT_HAVE_REQID (1u << 5)
#define XFRM_SCRIPT_HAVE_FLAGS (1u << 6)
#define XFRM_SCRIPT_HAVE_REPLAY_WINDOW (1u << 7)
#define XFRM_SCRIPT_HAVE_SEQ (1u << 8)  /* replay-seq or replay-seq-hi */
#define XFRM_SCRIPT_HAVE_OSEQ (1u << 9) /* replay-oseq or replay-oseq-hi */
#define XFRM_SCRIPT_HAVE_AEAD (1u << 10)
#define XFRM_SCRIPT_HAVE_SEL (1u << 11)
#define XFRM_SCRIPT_HAVE_LIFETIME (1u << 12)
#define XFRM_SCRIPT_HAVE_OFFLOAD (1u << 13)
#define XFRM_SCRIPT_HAVE_DIR (1u << 14)
#define XFRM_SCRIPT_HAVE_KM_SEQ (1u << 15)
#define XFRM_SCRIPT_HAVE_FAMILY (1u << 16) /* -4, -6 or -f given */

/* Lifetimes (`limit ...`), as struct xfrm_lifetime_cfg: byte/packet limits default to
 * XFRM_SCRIPT_INF, times (seconds) to 0 = none. */
struct xfrm_script_lifetime {
    uint64_t soft_byte_limit, hard_byte_limit;
    uint64_t soft_packet_limit, hard_packet_limit;
    uint64_t soft_add_expires_seconds, hard_add_expires_seconds; /* time-soft, time-hard */
    uint64_t soft_use_expires_seconds, hard_use_expires_seconds; /* time-use-soft/-hard */
};

/* `sel ...`, as struct xfrm_selector (ports in host order). family 0: no address given. */
struct xfrm_script_sel {
    int family;                       /* AF_INET, AF_INET6 or 0 */
    uint8_t saddr[16], daddr[16];     /* network order; IPv4 in the first 4 bytes */
    uint8_t prefixlen_s, prefixlen_d; /* /32 or /128 when no /PLEN was written */
    uint8_t proto;                    /* upper-layer protocol, 0 = any */
    uint16_t sport, sport_mask;       /* ICMP: type; GRE: key high half */
    uint16_t dport, dport_mask;       /* ICMP: code; GRE: key low half */
    char dev[XFRM_SCRIPT_DEV_MAX];    /* "" = none */
};

struct xfrm_script_offload {
    bool present;
    enum xfrm_script_offload_type type; /* crypto unless `packet` was written */
    char dev[XFRM_SCRIPT_DEV_MAX];
    enum xfrm_script_dir dir;
};

/* Every field a command can carry. add/update fill the SA; delete fills the ID (dst, proto,
 * spi, optional src); deleteall fills the filter fields it was given (src/dst may be prefixes,
 * see src_plen/dst_plen; family is the -4/-6 filter or that of the addresses, 0 = any); flush
 * fills proto (0 = all). `have` says which fields were written. */
struct xfrm_script_sa {
    uint32_t have;                    /* XFRM_SCRIPT_HAVE_* */
    int family;                       /* AF_INET or AF_INET6 (0 only in filters) */
    uint8_t src[16], dst[16];         /* network order; IPv4 in the first 4 bytes */
    uint8_t src_plen, dst_plen;       /* 32/128 except in deleteall filters */
    uint8_t proto;                    /* IPPROTO_ESP for add/update/delete */
    uint32_t spi;                     /* host order */
    enum xfrm_script_mode mode;       /* transport unless given */
    uint32_t reqid;
    uint32_t km_seq;                  /* `seq`: key-manager message sequence, not ESP's */
    uint32_t replay_window;           /* packets, 0..XFRM_SCRIPT_REPLAY_MAX */
    bool esn;                         /* flag esn */
    uint8_t flags;                    /* XFRM_SCRIPT_FLAG_* */
    uint64_t seq;                     /* initial inbound SN: replay-seq-hi << 32 | replay-seq */
    uint64_t oseq;                    /* initial outbound SN: replay-oseq-hi << 32 | replay-oseq */
    uint8_t keymat[XFRM_SCRIPT_KEYMAT_MAX]; /* AES key || 4-byte salt (RFC 4106) */
    size_t keymat_len;                /* 20, 28 or 36 */
    unsigned icv_bits;                /* 64, 96 or 128 */
    struct xfrm_script_sel sel;
    struct xfrm_script_lifetime lft;
    enum xfrm_script_dir dir;         /* `dir` or the offload clause's dir */
    struct xfrm_script_offload offload;
};

struct xfrm_script_op {
    enum xfrm_script_opcode op;
    unsigned line; /* line the command starts on */
    struct xfrm_script_sa sa;
};

struct xfrm_script_error {
    unsigned line;
    char *msg; /* "reason" without the NAME:LINE: prefix */
};

struct xfrm_script {
    struct xfrm_script_op *ops; /* the good commands, in script order */
    size_t n_ops;
    struct xfrm_script_error *errors; /* every error, in script order */
    size_t n_errors;
};

/* Parse a script. *out is overwritten (free an earlier result first); each error is also
 * printed to err (NULL: not printed) as "NAME:LINE: reason\n", NAME being path or name.
 * Returns the number of errors (0: every command is in out->ops), or -1 if the file cannot be
 * read or memory runs out (reason printed to err; out then holds what was parsed so far). */
int xfrm_script_parse_file(const char *path, struct xfrm_script *out, FILE *err);
int xfrm_script_parse_string(const char *text, const char *name, struct xfrm_script *out,
                             FILE *err);
/* Frees everything and zeroes the key material; *s becomes empty. NULL is fine. */
void xfrm_script_free(struct xfrm_script *s);

const char *xfrm_script_op_name(enum xfrm_script_opcode op); /* "add", "delete", ... */

#endif
