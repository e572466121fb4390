/* bignum.c — arbitrary-precision decimal arithmetic (see bignum.h).
 * Numbers are kept as decimal digits; multiplication and division convert
 * to base 10^9 limbs (schoolbook product, Knuth's algorithm D). */
#include "lib/bignum.h"
#include "kernel/kernel.h"

#include <errno.h>
#include <string.h>

#define LB 1000000000u

void bn_free(struct proc *p, struct bn *a)
{
    p_free(p, a->mag);
    *a = BN_ZERO;
}

bool bn_is_zero(const struct bn *a)
{
    return a->n == 0;
}

static void trim(struct bn *a)
{
    while (a->n > 0 && a->mag[a->n - 1] == 0) a->n--;
    if (a->n == 0) a->neg = false;
}

/* Replace r by a fresh number owning mag (n digits). */
static void assign(struct proc *p, struct bn *r, bool neg, int scale, uint8_t *mag, int n)
{
    p_free(p, r->mag);
    r->neg = neg;
    r->scale = scale;
    r->mag = mag;
    r->n = n;
    trim(r);
}

int bn_copy(struct proc *p, struct bn *r, const struct bn *a)
{
    if (r == a) return 0;
    uint8_t *m = NULL;
    if (a->n) {
        m = p_malloc(p, (size_t)a->n);
        if (!m) return -ENOMEM;
        memcpy(m, a->mag, (size_t)a->n);
    }
    assign(p, r, a->neg, a->scale, m, a->n);
    return 0;
}

int bn_from_int(struct proc *p, struct bn *r, intmax_t v)
{
    uint8_t *m = p_malloc(p, 24);
    if (!m) return -ENOMEM;
    uintmax_t u = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
    int n = 0;
    while (u) {
        m[n++] = (uint8_t)(u % 10);
        u /= 10;
    }
    assign(p, r, v < 0, 0, m, n);
    return 0;
}

int bn_parse_dec(struct proc *p, struct bn *r, const char *s, size_t len)
{
    bool neg = false;
    size_t i = 0;
    if (i < len && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    uint8_t *m = p_malloc(p, len + 1);
    if (!m) return -ENOMEM;
    int n = 0, scale = 0;
    bool dot = false;
    for (size_t k = len; k > i; k--) {
        char c = s[k - 1];
        if (c == '.') {
            dot = true;
            scale = n;
            continue;
        }
        m[n++] = (uint8_t)(c - '0');
    }
    (void)dot;
    assign(p, r, neg, scale, m, n);
    return 0;
}

bool bn_to_int(const struct bn *a, intmax_t *v)
{
    uintmax_t u = 0;
    for (int i = a->n - 1; i >= a->scale; i--) {
        if (u > (UINTMAX_MAX - 9) / 10) return false;
        u = u * 10 + a->mag[i];
    }
    if (a->neg) {
        if (u > (uintmax_t)INTMAX_MAX + 1) return false;
        *v = u == (uintmax_t)INTMAX_MAX + 1 ? INTMAX_MIN : -(intmax_t)u;
    } else {
        if (u > INTMAX_MAX) return false;
        *v = (intmax_t)u;
    }
    return true;
}

char *bn_to_dec(struct proc *p, const struct bn *a)
{
    int ilen = a->n > a->scale ? a->n - a->scale : 0;
    size_t len = (size_t)(a->neg + (ilen ? ilen : 1) + (a->scale ? 1 + a->scale : 0));
    char *s = p_malloc(p, len + 1), *q = s;
    if (!s) return NULL;
    if (a->neg) *q++ = '-';
    if (!ilen) *q++ = '0';
    for (int i = a->n - 1; i >= a->scale; i--) *q++ = (char)('0' + a->mag[i]);
    if (a->scale) {
        *q++ = '.';
        for (int i = a->scale - 1; i >= 0; i--) *q++ = (char)('0' + (i < a->n ? a->mag[i] : 0));
    }
    *q = 0;
    return s;
}

/* Digit k (from the low end) of a aligned to scale sc >= a->scale. */
static inline int dig(const struct bn *a, int k, int sc)
{
    int j = k - (sc - a->scale);
    return j >= 0 && j < a->n ? a->mag[j] : 0;
}

int bn_cmp_abs(const struct bn *a, const struct bn *b)
{
    int sc = a->scale > b->scale ? a->scale : b->scale;
    int la = a->n + (sc - a->scale), lb = b->n + (sc - b->scale);
    if (a->n == 0) la = 0;
    if (b->n == 0) lb = 0;
    if (la != lb) return la < lb ? -1 : 1;
    for (int k = la - 1; k >= 0; k--) {
        int x = dig(a, k, sc), y = dig(b, k, sc);
        if (x != y) return x < y ? -1 : 1;
    }
    return 0;
}

int bn_cmp(const struct bn *a, const struct bn *b)
{
    if (a->neg != b->neg) return a->neg ? -1 : 1;
    int c = bn_cmp_abs(a, b);
    return a->neg ? -c : c;
}

/* |a| + |b| or |a| - |b| (|a| >= |b|) at the larger scale. */
static int addsub_abs(struct proc *p, struct bn *r, const struct bn *a, const struct bn *b,
                      bool sub, bool neg)
{
    int sc = a->scale > b->scale ? a->scale : b->scale;
    int la = a->n + (sc - a->scale), lb = b->n + (sc - b->scale);
    int n = (la > lb ? la : lb) + 1;
    uint8_t *m = p_malloc(p, (size_t)n);
    if (!m) return -ENOMEM;
    int carry = 0;
    for (int k = 0; k < n; k++) {
        int v = dig(a, k, sc) + (sub ? -(dig(b, k, sc) + carry) : dig(b, k, sc) + carry);
        if (sub) {
            carry = v < 0;
            if (v < 0) v += 10;
        } else {
            carry = v >= 10;
            if (v >= 10) v -= 10;
        }
        m[k] = (uint8_t)v;
    }
    assign(p, r, neg, sc, m, n);
    return 0;
}

static int add_signed(struct proc *p, struct bn *r, const struct bn *a, const struct bn *b,
                      bool bneg)
{
    if (a->neg == bneg) return addsub_abs(p, r, a, b, false, a->neg);
    if (bn_cmp_abs(a, b) >= 0) return addsub_abs(p, r, a, b, true, a->neg);
    return addsub_abs(p, r, b, a, true, bneg);
}

int bn_add(struct proc *p, struct bn *r, const struct bn *a, const struct bn *b)
{
    return add_signed(p, r, a, b, b->neg);
}

int bn_sub(struct proc *p, struct bn *r, const struct bn *a, const struct bn *b)
{
    return add_signed(p, r, a, b, b->n ? !b->neg : false);
}

/* ---- limbs ------------------------------------------------------------------ */

/* Digits (little-endian, n of them, shifted up by `shift` zeros) to limbs. */
static uint32_t *to_limbs(struct proc *p, const uint8_t *d, int n, int shift, int *ln)
{
    int total = n + shift;
    int l = (total + 8) / 9;
    if (l == 0) l = 1;
    uint32_t *v = p_calloc(p, (size_t)l + 1, sizeof *v);
    if (!v) return NULL;
    static const uint32_t pw[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
    for (int i = 0; i < n; i++) {
        int k = i + shift;
        v[k / 9] += d[i] * pw[k % 9];
    }
    *ln = l;
    while (*ln > 0 && v[*ln - 1] == 0) (*ln)--;
    return v;
}

/* Limbs to digits, dropping the low `drop` digits. */
static uint8_t *from_limbs(struct proc *p, const uint32_t *v, int l, int drop, int *n)
{
    int total = l * 9;
    int cnt = total - drop;
    if (cnt < 0) cnt = 0;
    uint8_t *d = p_malloc(p, (size_t)cnt + 1);
    if (!d) return NULL;
    for (int k = drop, i = 0; k < total; k++, i++) {
        uint32_t x = v[k / 9];
        for (int j = k % 9; j > 0; j--) x /= 10;
        d[i] = (uint8_t)(x % 10);
    }
    *n = cnt;
    return d;
}

int bn_mul(struct proc *p, struct bn *r, const struct bn *a, const struct bn *b, int scale)
{
    int full = a->scale + b->scale;
    int ms = a->scale > b->scale ? a->scale : b->scale;
    if (scale > ms) ms = scale;
    int rs = full < ms ? full : ms;
    bool neg = a->neg != b->neg;
    if (!a->n || !b->n) {
        assign(p, r, false, rs, NULL, 0);
        return 0;
    }
    int la, lb;
    uint32_t *x = to_limbs(p, a->mag, a->n, 0, &la), *y = to_limbs(p, b->mag, b->n, 0, &lb);
    uint32_t *z = p_calloc(p, (size_t)(la + lb + 1), sizeof *z);
    if (!x || !y || !z) {
        p_free(p, x);
        p_free(p, y);
        p_free(p, z);
        return -ENOMEM;
    }
    for (int i = 0; i < la; i++) {
        if ((i & 63) == 63 && proc_check(p) < 0) {
            p_free(p, x);
            p_free(p, y);
            p_free(p, z);
            return -EINTR;
        }
        uint64_t carry = 0;
        for (int j = 0; j < lb; j++) {
            uint64_t t = z[i + j] + (uint64_t)x[i] * y[j] + carry;
            z[i + j] = (uint32_t)(t % LB);
            carry = t / LB;
        }
        int k = i + lb;
        while (carry) {
            uint64_t t = z[k] + carry;
            z[k++] = (uint32_t)(t % LB);
            carry = t / LB;
        }
    }
    int n;
    uint8_t *d = from_limbs(p, z, la + lb, full - rs, &n);
    p_free(p, x);
    p_free(p, y);
    p_free(p, z);
    if (!d) return -ENOMEM;
    assign(p, r, neg, rs, d, n);
    return 0;
}

/* q = u / v, rem = u % v on limbs (Knuth D). u has lu limbs, v lv >= 1.
 * q gets lu - lv + 1 limbs (caller-allocated, zeroed). u is destroyed. */
static int divmod_limbs(struct proc *p, uint32_t *u, int lu, const uint32_t *v0, int lv,
                        uint32_t *q, uint32_t *rem)
{
    if (lv == 1) {
        uint64_t r = 0;
        for (int i = lu - 1; i >= 0; i--) {
            uint64_t cur = r * LB + u[i];
            q[i] = (uint32_t)(cur / v0[0]);
            r = cur % v0[0];
        }
        if (rem) rem[0] = (uint32_t)r;
        return 0;
    }
    uint32_t d = (uint32_t)(LB / ((uint64_t)v0[lv - 1] + 1));
    uint32_t *v = p_malloc(p, (size_t)lv * sizeof *v);
    uint32_t *un = p_calloc(p, (size_t)lu + 1, sizeof *un);
    if (!v || !un) {
        p_free(p, v);
        p_free(p, un);
        return -ENOMEM;
    }
    uint64_t carry = 0;
    for (int i = 0; i < lv; i++) {
        uint64_t t = (uint64_t)v0[i] * d + carry;
        v[i] = (uint32_t)(t % LB);
        carry = t / LB;
    }
    carry = 0;
    for (int i = 0; i < lu; i++) {
        uint64_t t = (uint64_t)u[i] * d + carry;
        un[i] = (uint32_t)(t % LB);
        carry = t / LB;
    }
    un[lu] = (uint32_t)carry;
    for (int j = lu - lv; j >= 0; j--) {
        if ((j & 63) == 0 && proc_check(p) < 0) {
            p_free(p, v);
            p_free(p, un);
            return -EINTR;
        }
        uint64_t num = (uint64_t)un[j + lv] * LB + un[j + lv - 1];
        uint64_t qhat = num / v[lv - 1], rhat = num % v[lv - 1];
        while (qhat >= LB || (lv >= 2 && qhat * v[lv - 2] > rhat * LB + un[j + lv - 2])) {
            qhat--;
            rhat += v[lv - 1];
            if (rhat >= LB) break;
        }
        /* un[j..j+lv] -= qhat * v */
        int64_t borrow = 0;
        uint64_t mc = 0;
        for (int i = 0; i < lv; i++) {
            uint64_t prod = qhat * v[i] + mc;
            mc = prod / LB;
            int64_t t = (int64_t)un[i + j] - (int64_t)(prod % LB) - borrow;
            borrow = t < 0;
            if (t < 0) t += LB;
            un[i + j] = (uint32_t)t;
        }
        int64_t t = (int64_t)un[j + lv] - (int64_t)mc - borrow;
        borrow = t < 0;
        if (t < 0) t += LB;
        un[j + lv] = (uint32_t)t;
        if (borrow) { /* add back */
            qhat--;
            uint64_t c = 0;
            for (int i = 0; i < lv; i++) {
                uint64_t s = (uint64_t)un[i + j] + v[i] + c;
                un[i + j] = (uint32_t)(s % LB);
                c = s / LB;
            }
            un[j + lv] = (uint32_t)(((uint64_t)un[j + lv] + c) % LB);
        }
        q[j] = (uint32_t)qhat;
    }
    if (rem) { /* un / d */
        uint64_t r = 0;
        for (int i = lv - 1; i >= 0; i--) {
            uint64_t cur = r * LB + un[i];
            rem[i] = (uint32_t)(cur / d);
            r = cur % d;
        }
    }
    p_free(p, v);
    p_free(p, un);
    return 0;
}

int bn_div(struct proc *p, struct bn *r, const struct bn *a, const struct bn *b, int scale)
{
    if (!b->n) return -EDOM;
    bool neg = a->neg != b->neg;
    if (!a->n) {
        assign(p, r, false, scale, NULL, 0);
        return 0;
    }
    /* Q = floor(A * 10^e / B), e = scale + sb - sa */
    int e = scale + b->scale - a->scale;
    const uint8_t *ad = a->mag;
    int an = a->n, shift = 0;
    if (e >= 0) {
        shift = e;
    } else {
        ad += -e < an ? -e : an;
        an = -e < an ? an + e : 0;
    }
    if (an == 0) {
        assign(p, r, false, scale, NULL, 0);
        return 0;
    }
    int lu, lv;
    uint32_t *u = to_limbs(p, ad, an, shift, &lu), *v = to_limbs(p, b->mag, b->n, 0, &lv);
    uint32_t *q = NULL;
    int ret = -ENOMEM;
    if (!u || !v) goto out;
    if (lu < lv) {
        assign(p, r, false, scale, NULL, 0);
        ret = 0;
        goto out;
    }
    q = p_calloc(p, (size_t)(lu - lv + 1), sizeof *q);
    if (!q) goto out;
    ret = divmod_limbs(p, u, lu, v, lv, q, NULL);
    if (ret == 0) {
        int n;
        uint8_t *d = from_limbs(p, q, lu - lv + 1, 0, &n);
        if (!d)
            ret = -ENOMEM;
        else
            assign(p, r, neg, scale, d, n);
    }
out:
    p_free(p, u);
    p_free(p, v);
    p_free(p, q);
    return ret;
}

int bn_rescale(struct proc *p, struct bn *r, const struct bn *a, int scale)
{
    if (scale >= a->scale) {
        int add = scale - a->scale;
        uint8_t *m = p_malloc(p, (size_t)(a->n + add) + 1);
        if (!m) return -ENOMEM;
        memset(m, 0, (size_t)add);
        if (a->n) memcpy(m + add, a->mag, (size_t)a->n);
        assign(p, r, a->neg, scale, m, a->n ? a->n + add : 0);
        return 0;
    }
    int drop = a->scale - scale;
    int n = a->n > drop ? a->n - drop : 0;
    uint8_t *m = p_malloc(p, (size_t)n + 1);
    if (!m) return -ENOMEM;
    if (n) memcpy(m, a->mag + drop, (size_t)n);
    assign(p, r, a->neg, scale, m, n);
    return 0;
}

int bn_mod(struct proc *p, struct bn *r, const struct bn *a, const struct bn *b, int scale)
{
    if (!b->n) return -EDOM;
    int rscale = scale + b->scale > a->scale ? scale + b->scale : a->scale;
    struct bn q = BN_ZERO, t = BN_ZERO;
    int ret = bn_div(p, &q, a, b, scale);
    if (!ret) ret = bn_mul(p, &t, &q, b, rscale);
    if (!ret) ret = bn_sub(p, r, a, &t);
    if (!ret) ret = bn_rescale(p, r, r, rscale);
    bn_free(p, &q);
    bn_free(p, &t);
    return ret;
}

int bn_length(const struct bn *a)
{
    if (!a->n) return a->scale ? a->scale : 1;
    return a->n > a->scale ? a->n : a->scale;
}

int bn_raise(struct proc *p, struct bn *r, const struct bn *a, intmax_t e, int scale)
{
    if (e == 0) return bn_from_int(p, r, 1);
    bool negexp = e < 0;
    uintmax_t ue = negexp ? (uintmax_t)0 - (uintmax_t)e : (uintmax_t)e;
    int rscale;
    if (negexp) {
        rscale = scale;
    } else {
        uintmax_t s = (uintmax_t)a->scale * ue;
        int ms = a->scale > scale ? a->scale : scale;
        rscale = s < (uintmax_t)ms ? (int)s : ms;
    }
    /* bc's bc_raise: square-and-multiply with a generous working scale. */
    struct bn power = BN_ZERO, temp = BN_ZERO;
    int ret = bn_copy(p, &power, a);
    int pwrscale = a->scale;
    while (!ret && !(ue & 1)) {
        pwrscale = 2 * pwrscale;
        ret = bn_mul(p, &power, &power, &power, pwrscale);
        ue >>= 1;
    }
    if (!ret) ret = bn_copy(p, &temp, &power);
    int calcscale = pwrscale;
    ue >>= 1;
    while (!ret && ue > 0) {
        if (proc_check(p) < 0) {
            ret = -EINTR;
            break;
        }
        pwrscale = 2 * pwrscale;
        ret = bn_mul(p, &power, &power, &power, pwrscale);
        if (!ret && (ue & 1)) {
            calcscale = pwrscale + calcscale;
            ret = bn_mul(p, &temp, &temp, &power, calcscale);
        }
        ue >>= 1;
    }
    if (!ret) {
        if (negexp) {
            struct bn one = BN_ZERO;
            ret = bn_from_int(p, &one, 1);
            if (!ret) ret = bn_div(p, r, &one, &temp, rscale);
            bn_free(p, &one);
        } else {
            ret = bn_copy(p, r, &temp);
            if (!ret && r->scale > rscale) ret = bn_rescale(p, r, r, rscale);
        }
    }
    bn_free(p, &power);
    bn_free(p, &temp);
    return ret;
}

int bn_sqrt(struct proc *p, struct bn *r, const struct bn *a, int scale)
{
    if (a->neg) return -EDOM;
    int rscale = scale > a->scale ? scale : a->scale;
    if (!a->n) {
        assign(p, r, false, rscale, NULL, 0);
        return 0;
    }
    /* Integer square root of A * 10^(2*rscale - sa): exact truncation. */
    int shift = 2 * rscale - a->scale;
    int lu;
    uint32_t *u = to_limbs(p, a->mag, a->n, shift, &lu);
    if (!u) return -ENOMEM;
    /* Newton on limbs via bn helpers: x = (x + N/x) / 2 in integers. */
    int n;
    uint8_t *nd = from_limbs(p, u, lu, 0, &n);
    p_free(p, u);
    if (!nd) return -ENOMEM;
    struct bn N = BN_ZERO, x = BN_ZERO, y = BN_ZERO, two = BN_ZERO;
    assign(p, &N, false, 0, nd, n);
    int ret = bn_from_int(p, &two, 2);
    /* initial guess: 10^(ceil(digits/2)) >= sqrt(N) */
    if (!ret) {
        int digits = N.n;
        int g = (digits + 1) / 2;
        uint8_t *m = p_calloc(p, (size_t)g + 1, 1);
        if (!m)
            ret = -ENOMEM;
        else {
            m[g] = 1;
            assign(p, &x, false, 0, m, g + 1);
        }
    }
    while (!ret) {
        if (proc_check(p) < 0) {
            ret = -EINTR;
            break;
        }
        ret = bn_div(p, &y, &N, &x, 0);
        if (!ret) ret = bn_add(p, &y, &y, &x);
        if (!ret) ret = bn_div(p, &y, &y, &two, 0);
        if (ret) break;
        if (bn_cmp(&y, &x) >= 0) break;
        ret = bn_copy(p, &x, &y);
    }
    if (!ret) {
        x.scale = rscale;
        trim(&x);
        ret = bn_copy(p, r, &x);
    }
    bn_free(p, &N);
    bn_free(p, &x);
    bn_free(p, &y);
    bn_free(p, &two);
    return ret;
}
