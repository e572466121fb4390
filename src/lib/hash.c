/* hash.c — MD5 (RFC 1321), SHA-1 and SHA-2 (FIPS 180-4), BLAKE2b
 * (RFC 7693) and the POSIX cksum CRC, written from the specifications.
 * SHA-256 uses the x86 SHA extensions when the CPU has them (checked once
 * at run time); everything else is portable C. */
#include "lib/hash.h"

#include <stdbool.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_X86 1
#endif

static inline uint32_t rol32(uint32_t x, int n)
{
    n &= 31;
    return n ? x << n | x >> (32 - n) : x;
}
static inline uint32_t ror32(uint32_t x, int n)
{
    return x >> n | x << (32 - n);
}
static inline uint64_t ror64(uint64_t x, int n)
{
    return x >> n | x << (64 - n);
}
static inline uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint32_t le32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}
static inline uint64_t be64(const uint8_t *p)
{
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}
static inline uint64_t le64(const uint8_t *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}
static inline void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}
static inline void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}
static inline void put_be64(uint8_t *p, uint64_t v)
{
    put_be32(p, (uint32_t)(v >> 32));
    put_be32(p + 4, (uint32_t)v);
}

/* The common 64-byte-block buffering of MD5, SHA-1 and SHA-256. */
typedef void (*block_fn)(uint32_t *h, const uint8_t *data, size_t blocks);

static void feed64(uint32_t *h, uint64_t *len, uint8_t *buf, const void *data, size_t n,
                   block_fn fn)
{
    const uint8_t *d = data;
    size_t have = (size_t)(*len % 64);
    *len += n;
    if (have) {
        size_t take = 64 - have < n ? 64 - have : n;
        memcpy(buf + have, d, take);
        d += take;
        n -= take;
        if (have + take < 64) return;
        fn(h, buf, 1);
    }
    if (n >= 64) {
        fn(h, d, n / 64);
        d += n / 64 * 64;
        n %= 64;
    }
    if (n) memcpy(buf, d, n);
}

/* Pad with 0x80, zeros and the bit length (big- or little-endian). */
static void pad64(uint32_t *h, uint64_t len, uint8_t *buf, block_fn fn, int big)
{
    size_t have = (size_t)(len % 64);
    buf[have++] = 0x80;
    if (have > 56) {
        memset(buf + have, 0, 64 - have);
        fn(h, buf, 1);
        have = 0;
    }
    memset(buf + have, 0, 56 - have);
    uint64_t bits = len * 8;
    if (big)
        put_be64(buf + 56, bits);
    else
        for (int i = 0; i < 8; i++) buf[56 + i] = (uint8_t)(bits >> (8 * i));
    fn(h, buf, 1);
}

/* ---- MD5 ---------------------------------------------------------------- */

static const uint32_t md5_k[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
    0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
    0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
    0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
    0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
    0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
    0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
    0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
    0xeb86d391};

/* The 64 steps written out: each step updates one of a, b, c, d in turn. */
#define MD5_F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MD5_G(x, y, z) ((y) ^ ((z) & ((x) ^ (y))))
#define MD5_H(x, y, z) ((x) ^ (y) ^ (z))
#define MD5_I(x, y, z) ((y) ^ ((x) | ~(z)))
#define MD5_STEP(f, w, x, y, z, data, s)                                                           \
    do {                                                                                           \
        (w) += f((x), (y), (z)) + (data);                                                          \
        (w) = rol32((w), (s)) + (x);                                                               \
    } while (0)

static void md5_blocks(uint32_t *h, const uint8_t *dp, size_t blocks)
{
    for (; blocks--; dp += 64) {
        uint32_t m[16];
        for (int i = 0; i < 16; i++) m[i] = le32(dp + 4 * i);
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
        MD5_STEP(MD5_F, a, b, c, d, m[0] + md5_k[0], 7);
        MD5_STEP(MD5_F, d, a, b, c, m[1] + md5_k[1], 12);
        MD5_STEP(MD5_F, c, d, a, b, m[2] + md5_k[2], 17);
        MD5_STEP(MD5_F, b, c, d, a, m[3] + md5_k[3], 22);
        MD5_STEP(MD5_F, a, b, c, d, m[4] + md5_k[4], 7);
        MD5_STEP(MD5_F, d, a, b, c, m[5] + md5_k[5], 12);
        MD5_STEP(MD5_F, c, d, a, b, m[6] + md5_k[6], 17);
        MD5_STEP(MD5_F, b, c, d, a, m[7] + md5_k[7], 22);
        MD5_STEP(MD5_F, a, b, c, d, m[8] + md5_k[8], 7);
        MD5_STEP(MD5_F, d, a, b, c, m[9] + md5_k[9], 12);
        MD5_STEP(MD5_F, c, d, a, b, m[10] + md5_k[10], 17);
        MD5_STEP(MD5_F, b, c, d, a, m[11] + md5_k[11], 22);
        MD5_STEP(MD5_F, a, b, c, d, m[12] + md5_k[12], 7);
        MD5_STEP(MD5_F, d, a, b, c, m[13] + md5_k[13], 12);
        MD5_STEP(MD5_F, c, d, a, b, m[14] + md5_k[14], 17);
        MD5_STEP(MD5_F, b, c, d, a, m[15] + md5_k[15], 22);
        MD5_STEP(MD5_G, a, b, c, d, m[1] + md5_k[16], 5);
        MD5_STEP(MD5_G, d, a, b, c, m[6] + md5_k[17], 9);
        MD5_STEP(MD5_G, c, d, a, b, m[11] + md5_k[18], 14);
        MD5_STEP(MD5_G, b, c, d, a, m[0] + md5_k[19], 20);
        MD5_STEP(MD5_G, a, b, c, d, m[5] + md5_k[20], 5);
        MD5_STEP(MD5_G, d, a, b, c, m[10] + md5_k[21], 9);
        MD5_STEP(MD5_G, c, d, a, b, m[15] + md5_k[22], 14);
        MD5_STEP(MD5_G, b, c, d, a, m[4] + md5_k[23], 20);
        MD5_STEP(MD5_G, a, b, c, d, m[9] + md5_k[24], 5);
        MD5_STEP(MD5_G, d, a, b, c, m[14] + md5_k[25], 9);
        MD5_STEP(MD5_G, c, d, a, b, m[3] + md5_k[26], 14);
        MD5_STEP(MD5_G, b, c, d, a, m[8] + md5_k[27], 20);
        MD5_STEP(MD5_G, a, b, c, d, m[13] + md5_k[28], 5);
        MD5_STEP(MD5_G, d, a, b, c, m[2] + md5_k[29], 9);
        MD5_STEP(MD5_G, c, d, a, b, m[7] + md5_k[30], 14);
        MD5_STEP(MD5_G, b, c, d, a, m[12] + md5_k[31], 20);
        MD5_STEP(MD5_H, a, b, c, d, m[5] + md5_k[32], 4);
        MD5_STEP(MD5_H, d, a, b, c, m[8] + md5_k[33], 11);
        MD5_STEP(MD5_H, c, d, a, b, m[11] + md5_k[34], 16);
        MD5_STEP(MD5_H, b, c, d, a, m[14] + md5_k[35], 23);
        MD5_STEP(MD5_H, a, b, c, d, m[1] + md5_k[36], 4);
        MD5_STEP(MD5_H, d, a, b, c, m[4] + md5_k[37], 11);
        MD5_STEP(MD5_H, c, d, a, b, m[7] + md5_k[38], 16);
        MD5_STEP(MD5_H, b, c, d, a, m[10] + md5_k[39], 23);
        MD5_STEP(MD5_H, a, b, c, d, m[13] + md5_k[40], 4);
        MD5_STEP(MD5_H, d, a, b, c, m[0] + md5_k[41], 11);
        MD5_STEP(MD5_H, c, d, a, b, m[3] + md5_k[42], 16);
        MD5_STEP(MD5_H, b, c, d, a, m[6] + md5_k[43], 23);
        MD5_STEP(MD5_H, a, b, c, d, m[9] + md5_k[44], 4);
        MD5_STEP(MD5_H, d, a, b, c, m[12] + md5_k[45], 11);
        MD5_STEP(MD5_H, c, d, a, b, m[15] + md5_k[46], 16);
        MD5_STEP(MD5_H, b, c, d, a, m[2] + md5_k[47], 23);
        MD5_STEP(MD5_I, a, b, c, d, m[0] + md5_k[48], 6);
        MD5_STEP(MD5_I, d, a, b, c, m[7] + md5_k[49], 10);
        MD5_STEP(MD5_I, c, d, a, b, m[14] + md5_k[50], 15);
        MD5_STEP(MD5_I, b, c, d, a, m[5] + md5_k[51], 21);
        MD5_STEP(MD5_I, a, b, c, d, m[12] + md5_k[52], 6);
        MD5_STEP(MD5_I, d, a, b, c, m[3] + md5_k[53], 10);
        MD5_STEP(MD5_I, c, d, a, b, m[10] + md5_k[54], 15);
        MD5_STEP(MD5_I, b, c, d, a, m[1] + md5_k[55], 21);
        MD5_STEP(MD5_I, a, b, c, d, m[8] + md5_k[56], 6);
        MD5_STEP(MD5_I, d, a, b, c, m[15] + md5_k[57], 10);
        MD5_STEP(MD5_I, c, d, a, b, m[6] + md5_k[58], 15);
        MD5_STEP(MD5_I, b, c, d, a, m[13] + md5_k[59], 21);
        MD5_STEP(MD5_I, a, b, c, d, m[4] + md5_k[60], 6);
        MD5_STEP(MD5_I, d, a, b, c, m[11] + md5_k[61], 10);
        MD5_STEP(MD5_I, c, d, a, b, m[2] + md5_k[62], 15);
        MD5_STEP(MD5_I, b, c, d, a, m[9] + md5_k[63], 21);
        h[0] += a, h[1] += b, h[2] += c, h[3] += d;
    }
}

void md5_init(struct md5_ctx *c)
{
    c->h[0] = 0x67452301, c->h[1] = 0xefcdab89, c->h[2] = 0x98badcfe, c->h[3] = 0x10325476;
    c->len = 0;
}
void md5_update(struct md5_ctx *c, const void *data, size_t n)
{
    feed64(c->h, &c->len, c->buf, data, n, md5_blocks);
}
void md5_final(struct md5_ctx *c, uint8_t out[16])
{
    pad64(c->h, c->len, c->buf, md5_blocks, 0);
    for (int i = 0; i < 4; i++) put_le32(out + 4 * i, c->h[i]);
}

/* ---- SHA-1 -------------------------------------------------------------- */

static void sha1_blocks_c(uint32_t *h, const uint8_t *d, size_t blocks)
{
    for (; blocks--; d += 64) {
        uint32_t w[80];
        for (int i = 0; i < 16; i++) w[i] = be32(d + 4 * i);
        for (int i = 16; i < 80; i++) w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        uint32_t a = h[0], b = h[1], c = h[2], dd = h[3], e = h[4];
        for (int i = 0; i < 80; i++) {
            uint32_t f, k;
            if (i < 20)
                f = (b & c) | (~b & dd), k = 0x5a827999;
            else if (i < 40)
                f = b ^ c ^ dd, k = 0x6ed9eba1;
            else if (i < 60)
                f = (b & c) | (b & dd) | (c & dd), k = 0x8f1bbcdc;
            else
                f = b ^ c ^ dd, k = 0xca62c1d6;
            uint32_t t = rol32(a, 5) + f + e + k + w[i];
            e = dd, dd = c, c = rol32(b, 30), b = a, a = t;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += dd, h[4] += e;
    }
}

#ifdef HAVE_X86
/* SHA-1 with the SHA extensions: four rounds per sha1rnds4, the message
 * schedule in four registers (Intel's published pattern). */
__attribute__((target("sha,sse4.1,ssse3"))) static void
sha1_blocks_ni(uint32_t *state, const uint8_t *data, size_t blocks)
{
    const __m128i mask = _mm_set_epi64x(0x0001020304050607ULL, 0x08090a0b0c0d0e0fULL);
    __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)state), 0x1B);
    __m128i e0 = _mm_set_epi32((int)state[4], 0, 0, 0), e1;
    for (; blocks--; data += 64) {
        __m128i abcd_save = abcd, e0_save = e0, m[4];
        m[0] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 0)), mask);
        m[1] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16)), mask);
        m[2] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 32)), mask);
        m[3] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 48)), mask);
        /* rounds 0-15 */
        e0 = _mm_add_epi32(e0, m[0]);
        e1 = abcd;
        abcd = _mm_sha1rnds4_epu32(abcd, e0, 0);
        e1 = _mm_sha1nexte_epu32(e1, m[1]);
        e0 = abcd;
        abcd = _mm_sha1rnds4_epu32(abcd, e1, 0);
        m[0] = _mm_sha1msg1_epu32(m[0], m[1]);
        e0 = _mm_sha1nexte_epu32(e0, m[2]);
        e1 = abcd;
        abcd = _mm_sha1rnds4_epu32(abcd, e0, 0);
        m[1] = _mm_sha1msg1_epu32(m[1], m[2]);
        m[0] = _mm_xor_si128(m[0], m[2]);
        e1 = _mm_sha1nexte_epu32(e1, m[3]);
        e0 = abcd;
        m[0] = _mm_sha1msg2_epu32(m[0], m[3]);
        abcd = _mm_sha1rnds4_epu32(abcd, e1, 0);
        m[2] = _mm_sha1msg1_epu32(m[2], m[3]);
        m[1] = _mm_xor_si128(m[1], m[3]);
        /* rounds 16-79: group g uses m[g % 4]; E alternates. */
#define SHA1_GROUP(g, ea, eb, f)                                                                   \
    do {                                                                                           \
        ea = _mm_sha1nexte_epu32(ea, m[(g) & 3]);                                                  \
        eb = abcd;                                                                                 \
        m[((g) + 1) & 3] = _mm_sha1msg2_epu32(m[((g) + 1) & 3], m[(g) & 3]);                       \
        abcd = _mm_sha1rnds4_epu32(abcd, ea, f);                                                   \
        m[((g) + 3) & 3] = _mm_sha1msg1_epu32(m[((g) + 3) & 3], m[(g) & 3]);                       \
        m[((g) + 2) & 3] = _mm_xor_si128(m[((g) + 2) & 3], m[(g) & 3]);                            \
    } while (0)
        SHA1_GROUP(4, e0, e1, 0);
        SHA1_GROUP(5, e1, e0, 1);
        SHA1_GROUP(6, e0, e1, 1);
        SHA1_GROUP(7, e1, e0, 1);
        SHA1_GROUP(8, e0, e1, 1);
        SHA1_GROUP(9, e1, e0, 1);
        SHA1_GROUP(10, e0, e1, 2);
        SHA1_GROUP(11, e1, e0, 2);
        SHA1_GROUP(12, e0, e1, 2);
        SHA1_GROUP(13, e1, e0, 2);
        SHA1_GROUP(14, e0, e1, 2);
        SHA1_GROUP(15, e1, e0, 3);
        SHA1_GROUP(16, e0, e1, 3);
        SHA1_GROUP(17, e1, e0, 3);
        SHA1_GROUP(18, e0, e1, 3);
        SHA1_GROUP(19, e1, e0, 3);
#undef SHA1_GROUP
        e0 = _mm_sha1nexte_epu32(e0, e0_save);
        abcd = _mm_add_epi32(abcd, abcd_save);
    }
    _mm_storeu_si128((__m128i *)state, _mm_shuffle_epi32(abcd, 0x1B));
    state[4] = (uint32_t)_mm_extract_epi32(e0, 3);
}
#endif

static block_fn sha1_fn;

static bool cpu_has_sha(void)
{
#ifdef HAVE_X86
    unsigned a, b, c, d;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29))) {
        unsigned a1, b1, c1, d1;
        if (__get_cpuid(1, &a1, &b1, &c1, &d1) && (c1 & (1u << 19)) && (c1 & (1u << 9)))
            return true;
    }
#endif
    return false;
}

static void sha1_blocks(uint32_t *h, const uint8_t *d, size_t blocks)
{
    block_fn f = __atomic_load_n(&sha1_fn, __ATOMIC_RELAXED);
    if (!f) {
#ifdef HAVE_X86
        f = cpu_has_sha() ? sha1_blocks_ni : sha1_blocks_c;
#else
        f = sha1_blocks_c;
#endif
        __atomic_store_n(&sha1_fn, f, __ATOMIC_RELAXED);
    }
    f(h, d, blocks);
}

void sha1_init(struct sha1_ctx *c)
{
    c->h[0] = 0x67452301, c->h[1] = 0xefcdab89, c->h[2] = 0x98badcfe, c->h[3] = 0x10325476,
    c->h[4] = 0xc3d2e1f0;
    c->len = 0;
}
void sha1_update(struct sha1_ctx *c, const void *data, size_t n)
{
    feed64(c->h, &c->len, c->buf, data, n, sha1_blocks);
}
void sha1_final(struct sha1_ctx *c, uint8_t out[20])
{
    pad64(c->h, c->len, c->buf, sha1_blocks, 1);
    for (int i = 0; i < 5; i++) put_be32(out + 4 * i, c->h[i]);
}

/* ---- SHA-256 ------------------------------------------------------------ */

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

static void sha256_blocks_c(uint32_t *h, const uint8_t *d, size_t blocks)
{
    for (; blocks--; d += 64) {
        uint32_t w[64];
        for (int i = 0; i < 16; i++) w[i] = be32(d + 4 * i);
        for (int i = 16; i < 64; i++) {
            uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = h[0], b = h[1], c = h[2], dd = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int i = 0; i < 64; i++) {
            uint32_t S1 = ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25);
            uint32_t ch = (e & f) ^ (~e & g);
            uint32_t t1 = hh + S1 + ch + sha256_k[i] + w[i];
            uint32_t S0 = ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22);
            uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
            uint32_t t2 = S0 + maj;
            hh = g, g = f, f = e, e = dd + t1, dd = c, c = b, b = a, a = t1 + t2;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += dd, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
    }
}

#ifdef HAVE_X86
__attribute__((target("sha,sse4.1,ssse3"))) static void
sha256_blocks_ni(uint32_t *state, const uint8_t *data, size_t blocks)
{
    const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i s1 = _mm_loadu_si128((const __m128i *)&state[4]);
    tmp = _mm_shuffle_epi32(tmp, 0xB1);      /* CDAB */
    s1 = _mm_shuffle_epi32(s1, 0x1B);        /* EFGH */
    __m128i s0 = _mm_alignr_epi8(tmp, s1, 8); /* ABEF */
    s1 = _mm_blend_epi16(s1, tmp, 0xF0);     /* CDGH */
    for (; blocks--; data += 64) {
        __m128i abef = s0, cdgh = s1, w[4], msg;
#define NI_ROUNDS(i)                                                                               \
    do {                                                                                           \
        msg = _mm_add_epi32(w[(i) & 3], _mm_loadu_si128((const __m128i *)&sha256_k[4 * (i)]));    \
        s1 = _mm_sha256rnds2_epu32(s1, s0, msg);                                                   \
        msg = _mm_shuffle_epi32(msg, 0x0E);                                                        \
        s0 = _mm_sha256rnds2_epu32(s0, s1, msg);                                                   \
    } while (0)
#define NI_SCHED(i)                                                                                \
    w[(i) & 3] = _mm_sha256msg2_epu32(                                                             \
        _mm_add_epi32(_mm_sha256msg1_epu32(w[(i) & 3], w[((i) + 1) & 3]),                          \
                      _mm_alignr_epi8(w[((i) + 3) & 3], w[((i) + 2) & 3], 4)),                     \
        w[((i) + 3) & 3])
        w[0] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 0)), mask);
        w[1] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16)), mask);
        w[2] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 32)), mask);
        w[3] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 48)), mask);
        NI_ROUNDS(0);
        NI_ROUNDS(1);
        NI_ROUNDS(2);
        NI_ROUNDS(3);
        NI_SCHED(4); NI_ROUNDS(4);
        NI_SCHED(5); NI_ROUNDS(5);
        NI_SCHED(6); NI_ROUNDS(6);
        NI_SCHED(7); NI_ROUNDS(7);
        NI_SCHED(8); NI_ROUNDS(8);
        NI_SCHED(9); NI_ROUNDS(9);
        NI_SCHED(10); NI_ROUNDS(10);
        NI_SCHED(11); NI_ROUNDS(11);
        NI_SCHED(12); NI_ROUNDS(12);
        NI_SCHED(13); NI_ROUNDS(13);
        NI_SCHED(14); NI_ROUNDS(14);
        NI_SCHED(15); NI_ROUNDS(15);
#undef NI_ROUNDS
#undef NI_SCHED
        s0 = _mm_add_epi32(s0, abef);
        s1 = _mm_add_epi32(s1, cdgh);
    }
    tmp = _mm_shuffle_epi32(s0, 0x1B);       /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);        /* DCHG */
    s0 = _mm_blend_epi16(tmp, s1, 0xF0);     /* DCBA */
    s1 = _mm_alignr_epi8(s1, tmp, 8);        /* HGFE */
    _mm_storeu_si128((__m128i *)&state[0], s0);
    _mm_storeu_si128((__m128i *)&state[4], s1);
}

static bool cpu_has_sha(void);
static block_fn sha256_pick(void)
{
    return cpu_has_sha() ? sha256_blocks_ni : sha256_blocks_c;
}
#else
static block_fn sha256_pick(void)
{
    return sha256_blocks_c;
}
#endif

static block_fn sha256_fn;

static void sha256_blocks(uint32_t *h, const uint8_t *d, size_t blocks)
{
    block_fn f = __atomic_load_n(&sha256_fn, __ATOMIC_RELAXED);
    if (!f) {
        f = sha256_pick();
        __atomic_store_n(&sha256_fn, f, __ATOMIC_RELAXED);
    }
    f(h, d, blocks);
}

void sha224_init(struct sha256_ctx *c)
{
    static const uint32_t iv[8] = {0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939,
                                   0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4};
    memcpy(c->h, iv, sizeof iv);
    c->len = 0;
    c->outlen = 28;
}
void sha256_init(struct sha256_ctx *c)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, iv, sizeof iv);
    c->len = 0;
    c->outlen = 32;
}
void sha256_update(struct sha256_ctx *c, const void *data, size_t n)
{
    feed64(c->h, &c->len, c->buf, data, n, sha256_blocks);
}
void sha256_final(struct sha256_ctx *c, uint8_t *out)
{
    pad64(c->h, c->len, c->buf, sha256_blocks, 1);
    uint8_t full[32];
    for (int i = 0; i < 8; i++) put_be32(full + 4 * i, c->h[i]);
    memcpy(out, full, (size_t)c->outlen);
}

/* ---- SHA-512 ------------------------------------------------------------ */

static const uint64_t sha512_k[80] = {
    0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL, 0xe9b5dba58189dbbcULL,
    0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL, 0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL,
    0xd807aa98a3030242ULL, 0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
    0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL, 0xc19bf174cf692694ULL,
    0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL, 0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL,
    0x2de92c6f592b0275ULL, 0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
    0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL, 0xbf597fc7beef0ee4ULL,
    0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL, 0x06ca6351e003826fULL, 0x142929670a0e6e70ULL,
    0x27b70a8546d22ffcULL, 0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
    0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL, 0x92722c851482353bULL,
    0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL, 0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL,
    0xd192e819d6ef5218ULL, 0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
    0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL, 0x34b0bcb5e19b48a8ULL,
    0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL, 0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL,
    0x748f82ee5defb2fcULL, 0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
    0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL, 0xc67178f2e372532bULL,
    0xca273eceea26619cULL, 0xd186b8c721c0c207ULL, 0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL,
    0x06f067aa72176fbaULL, 0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
    0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL, 0x431d67c49c100d4cULL,
    0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL, 0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL};

static void sha512_blocks(uint64_t *h, const uint8_t *d, size_t blocks)
{
    for (; blocks--; d += 128) {
        uint64_t w[80];
        for (int i = 0; i < 16; i++) w[i] = be64(d + 8 * i);
        for (int i = 16; i < 80; i++) {
            uint64_t s0 = ror64(w[i - 15], 1) ^ ror64(w[i - 15], 8) ^ (w[i - 15] >> 7);
            uint64_t s1 = ror64(w[i - 2], 19) ^ ror64(w[i - 2], 61) ^ (w[i - 2] >> 6);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint64_t a = h[0], b = h[1], c = h[2], dd = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int i = 0; i < 80; i++) {
            uint64_t S1 = ror64(e, 14) ^ ror64(e, 18) ^ ror64(e, 41);
            uint64_t ch = (e & f) ^ (~e & g);
            uint64_t t1 = hh + S1 + ch + sha512_k[i] + w[i];
            uint64_t S0 = ror64(a, 28) ^ ror64(a, 34) ^ ror64(a, 39);
            uint64_t maj = (a & b) ^ (a & c) ^ (b & c);
            hh = g, g = f, f = e, e = dd + t1, dd = c, c = b, b = a, a = t1 + S0 + maj;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += dd, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
    }
}

void sha384_init(struct sha512_ctx *c)
{
    static const uint64_t iv[8] = {0xcbbb9d5dc1059ed8ULL, 0x629a292a367cd507ULL,
                                   0x9159015a3070dd17ULL, 0x152fecd8f70e5939ULL,
                                   0x67332667ffc00b31ULL, 0x8eb44a8768581511ULL,
                                   0xdb0c2e0d64f98fa7ULL, 0x47b5481dbefa4fa4ULL};
    memcpy(c->h, iv, sizeof iv);
    c->len = 0;
    c->outlen = 48;
}
void sha512_init(struct sha512_ctx *c)
{
    static const uint64_t iv[8] = {0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL,
                                   0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
                                   0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
                                   0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};
    memcpy(c->h, iv, sizeof iv);
    c->len = 0;
    c->outlen = 64;
}
void sha512_update(struct sha512_ctx *c, const void *data, size_t n)
{
    const uint8_t *d = data;
    size_t have = (size_t)(c->len % 128);
    c->len += n;
    if (have) {
        size_t take = 128 - have < n ? 128 - have : n;
        memcpy(c->buf + have, d, take);
        d += take;
        n -= take;
        if (have + take < 128) return;
        sha512_blocks(c->h, c->buf, 1);
    }
    if (n >= 128) {
        sha512_blocks(c->h, d, n / 128);
        d += n / 128 * 128;
        n %= 128;
    }
    if (n) memcpy(c->buf, d, n);
}
void sha512_final(struct sha512_ctx *c, uint8_t *out)
{
    size_t have = (size_t)(c->len % 128);
    c->buf[have++] = 0x80;
    if (have > 112) {
        memset(c->buf + have, 0, 128 - have);
        sha512_blocks(c->h, c->buf, 1);
        have = 0;
    }
    memset(c->buf + have, 0, 128 - have);
    put_be64(c->buf + 112, c->len >> 61);
    put_be64(c->buf + 120, c->len << 3);
    sha512_blocks(c->h, c->buf, 1);
    uint8_t full[64];
    for (int i = 0; i < 8; i++) put_be64(full + 8 * i, c->h[i]);
    memcpy(out, full, (size_t)c->outlen);
}

/* ---- BLAKE2b ------------------------------------------------------------ */

static const uint64_t blake2b_iv[8] = {0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL,
                                       0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
                                       0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
                                       0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};
static const uint8_t blake2b_sigma[12][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3}};

static void blake2b_compress(struct blake2b_ctx *c, const uint8_t *blk, int last)
{
    uint64_t m[16], v[16];
    for (int i = 0; i < 16; i++) m[i] = le64(blk + 8 * i);
    for (int i = 0; i < 8; i++) v[i] = c->h[i], v[i + 8] = blake2b_iv[i];
    v[12] ^= c->t[0];
    v[13] ^= c->t[1];
    if (last) v[14] = ~v[14];
#define G(a, b, cc, d, x, y)                                                                       \
    do {                                                                                           \
        v[a] = v[a] + v[b] + (x);                                                                  \
        v[d] = ror64(v[d] ^ v[a], 32);                                                             \
        v[cc] = v[cc] + v[d];                                                                      \
        v[b] = ror64(v[b] ^ v[cc], 24);                                                            \
        v[a] = v[a] + v[b] + (y);                                                                  \
        v[d] = ror64(v[d] ^ v[a], 16);                                                             \
        v[cc] = v[cc] + v[d];                                                                      \
        v[b] = ror64(v[b] ^ v[cc], 63);                                                            \
    } while (0)
    for (int r = 0; r < 12; r++) {
        const uint8_t *s = blake2b_sigma[r];
        G(0, 4, 8, 12, m[s[0]], m[s[1]]);
        G(1, 5, 9, 13, m[s[2]], m[s[3]]);
        G(2, 6, 10, 14, m[s[4]], m[s[5]]);
        G(3, 7, 11, 15, m[s[6]], m[s[7]]);
        G(0, 5, 10, 15, m[s[8]], m[s[9]]);
        G(1, 6, 11, 12, m[s[10]], m[s[11]]);
        G(2, 7, 8, 13, m[s[12]], m[s[13]]);
        G(3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
#undef G
    for (int i = 0; i < 8; i++) c->h[i] ^= v[i] ^ v[i + 8];
}

void blake2b_init(struct blake2b_ctx *c, int outlen)
{
    memcpy(c->h, blake2b_iv, sizeof c->h);
    c->h[0] ^= 0x01010000ULL ^ (uint64_t)outlen;
    c->t[0] = c->t[1] = 0;
    c->buflen = 0;
    c->outlen = outlen;
}
void blake2b_update(struct blake2b_ctx *c, const void *data, size_t n)
{
    const uint8_t *d = data;
    while (n > 0) {
        /* Keep the last block buffered: it must be compressed as final. */
        if (c->buflen == 128) {
            c->t[0] += 128;
            if (c->t[0] < 128) c->t[1]++;
            blake2b_compress(c, c->buf, 0);
            c->buflen = 0;
        }
        if (c->buflen == 0 && n > 128) {
            c->t[0] += 128;
            if (c->t[0] < 128) c->t[1]++;
            blake2b_compress(c, d, 0);
            d += 128;
            n -= 128;
            continue;
        }
        size_t take = 128 - c->buflen < n ? 128 - c->buflen : n;
        memcpy(c->buf + c->buflen, d, take);
        c->buflen += take;
        d += take;
        n -= take;
    }
}
void blake2b_final(struct blake2b_ctx *c, uint8_t *out)
{
    c->t[0] += c->buflen;
    if (c->t[0] < c->buflen) c->t[1]++;
    memset(c->buf + c->buflen, 0, 128 - c->buflen);
    blake2b_compress(c, c->buf, 1);
    uint8_t full[64];
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++) full[8 * i + j] = (uint8_t)(c->h[i] >> (8 * j));
    memcpy(out, full, (size_t)c->outlen);
}

/* ---- SM3 (GB/T 32905-2016) ------------------------------------------------ */

static inline uint32_t sm3_p0(uint32_t x)
{
    return x ^ rol32(x, 9) ^ rol32(x, 17);
}
static inline uint32_t sm3_p1(uint32_t x)
{
    return x ^ rol32(x, 15) ^ rol32(x, 23);
}

static void sm3_blocks(uint32_t *v, const uint8_t *d, size_t blocks)
{
    for (; blocks--; d += 64) {
        uint32_t w[68], w1[64];
        for (int j = 0; j < 16; j++) w[j] = be32(d + 4 * j);
        for (int j = 16; j < 68; j++)
            w[j] = sm3_p1(w[j - 16] ^ w[j - 9] ^ rol32(w[j - 3], 15)) ^ rol32(w[j - 13], 7) ^ w[j - 6];
        for (int j = 0; j < 64; j++) w1[j] = w[j] ^ w[j + 4];
        uint32_t a = v[0], b = v[1], c = v[2], dd = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
        for (int j = 0; j < 64; j++) {
            uint32_t t = j < 16 ? 0x79cc4519u : 0x7a879d8au;
            uint32_t ss1 = rol32(rol32(a, 12) + e + rol32(t, j % 32), 7);
            uint32_t ss2 = ss1 ^ rol32(a, 12);
            uint32_t ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
            uint32_t gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
            uint32_t tt1 = ff + dd + ss2 + w1[j];
            uint32_t tt2 = gg + h + ss1 + w[j];
            dd = c;
            c = rol32(b, 9);
            b = a;
            a = tt1;
            h = g;
            g = rol32(f, 19);
            f = e;
            e = sm3_p0(tt2);
        }
        v[0] ^= a, v[1] ^= b, v[2] ^= c, v[3] ^= dd, v[4] ^= e, v[5] ^= f, v[6] ^= g, v[7] ^= h;
    }
}

void sm3_init(struct sm3_ctx *c)
{
    static const uint32_t iv[8] = {0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600,
                                   0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e};
    memcpy(c->h, iv, sizeof iv);
    c->len = 0;
}
void sm3_update(struct sm3_ctx *c, const void *data, size_t n)
{
    feed64(c->h, &c->len, c->buf, data, n, sm3_blocks);
}
void sm3_final(struct sm3_ctx *c, uint8_t out[32])
{
    pad64(c->h, c->len, c->buf, sm3_blocks, 1);
    for (int i = 0; i < 8; i++) put_be32(out + 4 * i, c->h[i]);
}

/* ---- CRC (cksum) --------------------------------------------------------- */

static uint32_t crc_tab[8][256];
static int crc_ready;

static void crc_init_tables(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i << 24;
        for (int k = 0; k < 8; k++) c = c & 0x80000000u ? c << 1 ^ 0x04c11db7u : c << 1;
        crc_tab[0][i] = c;
    }
    for (int t = 1; t < 8; t++)
        for (int i = 0; i < 256; i++)
            crc_tab[t][i] = crc_tab[t - 1][i] << 8 ^ crc_tab[0][crc_tab[t - 1][i] >> 24];
    __atomic_store_n(&crc_ready, 1, __ATOMIC_RELEASE);
}

uint32_t crc_posix_update(uint32_t crc, const void *data, size_t n)
{
    if (!__atomic_load_n(&crc_ready, __ATOMIC_ACQUIRE)) crc_init_tables();
    const uint8_t *d = data;
    while (n >= 8) {
        uint32_t a = crc ^ be32(d), b = be32(d + 4);
        crc = crc_tab[7][a >> 24] ^ crc_tab[6][(a >> 16) & 255] ^ crc_tab[5][(a >> 8) & 255] ^
              crc_tab[4][a & 255] ^ crc_tab[3][b >> 24] ^ crc_tab[2][(b >> 16) & 255] ^
              crc_tab[1][(b >> 8) & 255] ^ crc_tab[0][b & 255];
        d += 8;
        n -= 8;
    }
    while (n--) crc = crc << 8 ^ crc_tab[0][(crc >> 24) ^ *d++];
    return crc;
}

uint32_t crc_posix_final(uint32_t crc, uint64_t len)
{
    if (!__atomic_load_n(&crc_ready, __ATOMIC_ACQUIRE)) crc_init_tables();
    for (; len; len >>= 8) crc = crc << 8 ^ crc_tab[0][(crc >> 24) ^ (len & 0xff)];
    return ~crc;
}

/* ---- by name --------------------------------------------------------------- */

static void i_md5(union hash_any *h, int bits)
{
    (void)bits;
    md5_init(&h->md5);
}
static void u_md5(union hash_any *h, const void *d, size_t n)
{
    md5_update(&h->md5, d, n);
}
static void f_md5(union hash_any *h, uint8_t *o)
{
    md5_final(&h->md5, o);
}
static void i_sha1(union hash_any *h, int bits)
{
    (void)bits;
    sha1_init(&h->sha1);
}
static void u_sha1(union hash_any *h, const void *d, size_t n)
{
    sha1_update(&h->sha1, d, n);
}
static void f_sha1(union hash_any *h, uint8_t *o)
{
    sha1_final(&h->sha1, o);
}
static void i_sha224(union hash_any *h, int bits)
{
    (void)bits;
    sha224_init(&h->sha256);
}
static void i_sha256(union hash_any *h, int bits)
{
    (void)bits;
    sha256_init(&h->sha256);
}
static void u_sha256(union hash_any *h, const void *d, size_t n)
{
    sha256_update(&h->sha256, d, n);
}
static void f_sha256(union hash_any *h, uint8_t *o)
{
    sha256_final(&h->sha256, o);
}
static void i_sha384(union hash_any *h, int bits)
{
    (void)bits;
    sha384_init(&h->sha512);
}
static void i_sha512(union hash_any *h, int bits)
{
    (void)bits;
    sha512_init(&h->sha512);
}
static void u_sha512(union hash_any *h, const void *d, size_t n)
{
    sha512_update(&h->sha512, d, n);
}
static void f_sha512(union hash_any *h, uint8_t *o)
{
    sha512_final(&h->sha512, o);
}
static void i_blake2b(union hash_any *h, int bits)
{
    blake2b_init(&h->blake2b, bits / 8);
}
static void u_blake2b(union hash_any *h, const void *d, size_t n)
{
    blake2b_update(&h->blake2b, d, n);
}
static void f_blake2b(union hash_any *h, uint8_t *o)
{
    blake2b_final(&h->blake2b, o);
}

static void i_sm3(union hash_any *h, int bits)
{
    (void)bits;
    sm3_init(&h->sm3);
}
static void u_sm3(union hash_any *h, const void *d, size_t n)
{
    sm3_update(&h->sm3, d, n);
}
static void f_sm3(union hash_any *h, uint8_t *o)
{
    sm3_final(&h->sm3, o);
}

static const struct hash_algo algos[] = {
    {"md5", "MD5", 128, i_md5, u_md5, f_md5},
    {"sha1", "SHA1", 160, i_sha1, u_sha1, f_sha1},
    {"sha224", "SHA224", 224, i_sha224, u_sha256, f_sha256},
    {"sha256", "SHA256", 256, i_sha256, u_sha256, f_sha256},
    {"sha384", "SHA384", 384, i_sha384, u_sha512, f_sha512},
    {"sha512", "SHA512", 512, i_sha512, u_sha512, f_sha512},
    {"blake2b", "BLAKE2b", 512, i_blake2b, u_blake2b, f_blake2b},
    {"sm3", "SM3", 256, i_sm3, u_sm3, f_sm3},
};

const struct hash_algo *hash_find(const char *name)
{
    for (size_t i = 0; i < sizeof algos / sizeof algos[0]; i++)
        if (strcmp(algos[i].name, name) == 0) return &algos[i];
    return NULL;
}
