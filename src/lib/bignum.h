/* bignum.h — arbitrary-precision decimal numbers for expr and bc.
 *
 * A number is a sign, a scale (digits after the point) and a magnitude of
 * decimal digits: value = (-1)^neg * mag * 10^-scale. Arithmetic follows GNU
 * bc's number.c: results are truncated (never rounded) to the scale asked
 * for, division truncates toward zero, and the remainder takes the
 * dividend's sign.
 *
 * Memory comes from p_malloc (the VM's limit applies). Every function that
 * allocates returns 0 or -ENOMEM; on error the output is left as zero.
 * Long operations call proc_check, so a kill or timeout interrupts them
 * (-EINTR).
 */
#ifndef VOS_LIB_BIGNUM_H
#define VOS_LIB_BIGNUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct proc;

struct bn {
    bool neg;
    int scale;    /* digits after the decimal point */
    int n;        /* digits in mag (0 for zero) */
    uint8_t *mag; /* little-endian decimal digits, no leading (high) zeros */
};

#define BN_ZERO ((struct bn){0})

void bn_free(struct proc *p, struct bn *a);
bool bn_is_zero(const struct bn *a);
int bn_copy(struct proc *p, struct bn *r, const struct bn *a);
int bn_from_int(struct proc *p, struct bn *r, intmax_t v);
/* Decimal text: [-+]digits[.digits] (sign only when allow_sign). false
 * when s is not a number; -ENOMEM as an int via *err. */
int bn_parse_dec(struct proc *p, struct bn *r, const char *s, size_t len);
/* Integer value when it fits (fraction dropped); false if not. */
bool bn_to_int(const struct bn *a, intmax_t *v);
/* Decimal text (with '-' and the scale's fraction digits), p_malloc'd. */
char *bn_to_dec(struct proc *p, const struct bn *a);

int bn_cmp(const struct bn *a, const struct bn *b); /* -1, 0, 1 */
int bn_cmp_abs(const struct bn *a, const struct bn *b);

/* r may alias a or b. */
int bn_add(struct proc *p, struct bn *r, const struct bn *a, const struct bn *b);
int bn_sub(struct proc *p, struct bn *r, const struct bn *a, const struct bn *b);
/* Scale min(a.scale + b.scale, max(scale, a.scale, b.scale)). */
int bn_mul(struct proc *p, struct bn *r, const struct bn *a, const struct bn *b, int scale);
/* Quotient truncated to scale digits; -EDOM when b is zero. */
int bn_div(struct proc *p, struct bn *r, const struct bn *a, const struct bn *b, int scale);
/* bc's modulo: a - (a / b at scale) * b, at scale max(scale + b.scale, a.scale). */
int bn_mod(struct proc *p, struct bn *r, const struct bn *a, const struct bn *b, int scale);
/* a ^ e (e an integer) as bc: negative e gives 1 / a^-e at scale. */
int bn_raise(struct proc *p, struct bn *r, const struct bn *a, intmax_t e, int scale);
/* Square root at max(scale, a.scale); -EDOM for negative a. */
int bn_sqrt(struct proc *p, struct bn *r, const struct bn *a, int scale);
/* Truncate (or extend with zeros) to scale fraction digits. */
int bn_rescale(struct proc *p, struct bn *r, const struct bn *a, int scale);
/* Significant digits (bc's length()). */
int bn_length(const struct bn *a);

#endif
