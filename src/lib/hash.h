/* hash.h — message digests written for vos (no external crypto library):
 * MD5, SHA-1, SHA-224/256 (SHA-NI when the CPU has it), SHA-384/512,
 * BLAKE2b, SM3, and the CRCs of cksum (POSIX CRC-32) and of sum/crc32.
 *
 * Every algorithm has the same shape: init, update (any number of times,
 * any sizes), final (writes the digest). hash_find() gives a vtable by
 * name for commands that choose an algorithm at run time (cksum -a).
 */
#ifndef VOS_LIB_HASH_H
#define VOS_LIB_HASH_H

#include <stddef.h>
#include <stdint.h>

struct md5_ctx {
    uint32_t h[4];
    uint64_t len;
    uint8_t buf[64];
};
void md5_init(struct md5_ctx *c);
void md5_update(struct md5_ctx *c, const void *data, size_t n);
void md5_final(struct md5_ctx *c, uint8_t out[16]);

struct sha1_ctx {
    uint32_t h[5];
    uint64_t len;
    uint8_t buf[64];
};
void sha1_init(struct sha1_ctx *c);
void sha1_update(struct sha1_ctx *c, const void *data, size_t n);
void sha1_final(struct sha1_ctx *c, uint8_t out[20]);

struct sha256_ctx {
    uint32_t h[8];
    uint64_t len;
    uint8_t buf[64];
    int outlen; /* 28 or 32 */
};
void sha224_init(struct sha256_ctx *c);
void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t n);
void sha256_final(struct sha256_ctx *c, uint8_t *out); /* outlen bytes */

struct sha512_ctx {
    uint64_t h[8];
    uint64_t len;
    uint8_t buf[128];
    int outlen; /* 48 or 64 */
};
void sha384_init(struct sha512_ctx *c);
void sha512_init(struct sha512_ctx *c);
void sha512_update(struct sha512_ctx *c, const void *data, size_t n);
void sha512_final(struct sha512_ctx *c, uint8_t *out);

struct blake2b_ctx {
    uint64_t h[8], t[2];
    uint8_t buf[128];
    size_t buflen;
    int outlen; /* 1..64 */
};
void blake2b_init(struct blake2b_ctx *c, int outlen);
void blake2b_update(struct blake2b_ctx *c, const void *data, size_t n);
void blake2b_final(struct blake2b_ctx *c, uint8_t *out);

struct sm3_ctx {
    uint32_t h[8];
    uint64_t len;
    uint8_t buf[64];
};
void sm3_init(struct sm3_ctx *c);
void sm3_update(struct sm3_ctx *c, const void *data, size_t n);
void sm3_final(struct sm3_ctx *c, uint8_t out[32]);

/* POSIX cksum CRC (polynomial 0x04C11DB7, MSB first): feed the data with
 * crc_posix_update starting from 0, then crc_posix_final with the length. */
uint32_t crc_posix_update(uint32_t crc, const void *data, size_t n);
uint32_t crc_posix_final(uint32_t crc, uint64_t len);

/* A digest chosen by name. */
union hash_any {
    struct md5_ctx md5;
    struct sha1_ctx sha1;
    struct sha256_ctx sha256;
    struct sha512_ctx sha512;
    struct blake2b_ctx blake2b;
    struct sm3_ctx sm3;
};
struct hash_algo {
    const char *name;   /* "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "sm3" */
    const char *tag;    /* for --tag: "MD5", "SHA1", ..., "BLAKE2b" */
    int bits;           /* digest size */
    void (*init)(union hash_any *h, int bits);
    void (*update)(union hash_any *h, const void *data, size_t n);
    void (*final)(union hash_any *h, uint8_t *out);
};
const struct hash_algo *hash_find(const char *name);

#endif
