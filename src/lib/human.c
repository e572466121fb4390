/* human.c — human-readable sizes and block-size options, as gnulib's
 * human.c does them. See human.h. */
#include "lib/human.h"
#include "kernel/kernel.h"
#include "lib/opt.h"

#include <stdio.h>
#include <string.h>

static const char power_letter[] = {0, 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'};

static long double adjust_value(int inexact_style, long double value)
{
    if (inexact_style != HUMAN_ROUND_TO_NEAREST && value < (long double)UINTMAX_MAX) {
        uintmax_t u = (uintmax_t)value;
        value = u + (inexact_style == HUMAN_CEILING && u != value);
    }
    return value;
}

char *human_readable(uintmax_t n, char *buf, int opts, uintmax_t from_block_size,
                     uintmax_t to_block_size)
{
    int inexact_style = opts & (HUMAN_ROUND_TO_NEAREST | HUMAN_FLOOR | HUMAN_CEILING);
    unsigned base = opts & HUMAN_BASE_1024 ? 1024 : 1000;
    uintmax_t amt;
    int tenths = 0, exponent = -1, exponent_max = sizeof power_letter - 1, rounding = 0;
    char *p, *psuffix;
    psuffix = buf + HUMAN_BUFSIZE - 1 - 8;
    p = psuffix;

    if (to_block_size <= from_block_size) {
        if (from_block_size % to_block_size == 0) {
            uintmax_t mult = from_block_size / to_block_size;
            amt = n * mult;
            if (amt / mult == n) {
                tenths = rounding = 0;
                goto integer;
            }
        }
    } else if (from_block_size != 0 && to_block_size % from_block_size == 0) {
        uintmax_t divisor = to_block_size / from_block_size;
        uintmax_t r10 = (n % divisor) * 10;
        uintmax_t r2 = (r10 % divisor) * 2;
        amt = n / divisor;
        tenths = (int)(r10 / divisor);
        rounding = r2 < divisor ? 0 < r2 : 2 + (divisor < r2);
        goto integer;
    }
    {
        char tmp[HUMAN_BUFSIZE + 64];
        long double dto = to_block_size;
        long double damt = n * (from_block_size / dto);
        size_t buflen;
        if (!(opts & HUMAN_AUTOSCALE)) {
            snprintf(tmp, sizeof tmp, "%.0Lf", adjust_value(inexact_style, damt));
            buflen = strlen(tmp);
        } else {
            long double e = 1;
            exponent = 0;
            do {
                e *= base;
                exponent++;
            } while (e * base <= damt && exponent < exponent_max);
            damt /= e;
            snprintf(tmp, sizeof tmp, "%.1Lf", adjust_value(inexact_style, damt));
            buflen = strlen(tmp);
            if (1 + 2 + !(opts & HUMAN_BASE_1024) < (int)buflen ||
                ((opts & HUMAN_SUPPRESS_POINT_ZERO) && tmp[buflen - 1] == '0')) {
                snprintf(tmp, sizeof tmp, "%.0Lf", adjust_value(inexact_style, damt * 10) / 10);
                buflen = strlen(tmp);
            }
        }
        if (buflen > (size_t)(psuffix - buf)) buflen = (size_t)(psuffix - buf);
        p = psuffix - buflen;
        memcpy(p, tmp, buflen);
    }
    goto suffix;

integer:
    if (opts & HUMAN_AUTOSCALE) {
        exponent = 0;
        if (base <= amt) {
            do {
                unsigned r10 = (unsigned)(amt % base) * 10 + (unsigned)tenths;
                unsigned r2 = (r10 % base) * 2 + (unsigned)(rounding >> 1);
                amt /= base;
                tenths = (int)(r10 / base);
                rounding = r2 < base ? (r2 + (unsigned)rounding) != 0
                                     : 2 + (base < r2 + (unsigned)rounding);
                exponent++;
            } while (base <= amt && exponent < exponent_max);
            if (amt < 10) {
                if (inexact_style == HUMAN_ROUND_TO_NEAREST
                        ? 2 < rounding + (tenths & 1)
                        : inexact_style == HUMAN_CEILING && 0 < rounding) {
                    tenths++;
                    rounding = 0;
                    if (tenths == 10) {
                        amt++;
                        tenths = 0;
                    }
                }
                if (amt < 10 && (tenths || !(opts & HUMAN_SUPPRESS_POINT_ZERO))) {
                    *--p = (char)('0' + tenths);
                    *--p = '.';
                    tenths = rounding = 0;
                }
            }
        }
    }
    if (inexact_style == HUMAN_ROUND_TO_NEAREST
            ? 5 < tenths + (0 < rounding + (int)(amt & 1))
            : inexact_style == HUMAN_CEILING && 0 < tenths + rounding) {
        amt++;
        if ((opts & HUMAN_AUTOSCALE) && amt == base && exponent < exponent_max) {
            exponent++;
            if (!(opts & HUMAN_SUPPRESS_POINT_ZERO)) {
                *--p = '0';
                *--p = '.';
            }
            amt = 1;
        }
    }
    do {
        *--p = (char)('0' + amt % 10);
    } while ((amt /= 10) != 0);

suffix:
    if (opts & HUMAN_SI) {
        if (exponent < 0) {
            exponent = 0;
            for (uintmax_t power = 1; power < to_block_size; power *= base)
                if (++exponent == exponent_max) break;
        }
        if ((exponent || (opts & HUMAN_B)) && (opts & HUMAN_SPACE_BEFORE_UNIT)) *psuffix++ = ' ';
        if (exponent)
            *psuffix++ = !(opts & HUMAN_BASE_1024) && exponent == 1 ? 'k' : power_letter[exponent];
        if (opts & HUMAN_B) {
            if ((opts & HUMAN_BASE_1024) && exponent) *psuffix++ = 'i';
            *psuffix++ = 'B';
        }
    }
    *psuffix = '\0';
    return p;
}

static uintmax_t default_block_size(struct proc *p)
{
    return proc_getenv(p, "POSIXLY_CORRECT") ? 512 : 1024;
}

int human_options(struct proc *p, const char *spec, int *opts, uintmax_t *block_size)
{
    int o = 0;
    int e = OPT_NUM_OK;
    if (!spec && !(spec = proc_getenv(p, "BLOCK_SIZE")) && !(spec = proc_getenv(p, "BLOCKSIZE"))) {
        *block_size = default_block_size(p);
    } else {
        if (*spec == '\'') {
            o |= HUMAN_GROUP_DIGITS;
            spec++;
        }
        size_t sl = strlen(spec);
        if (sl && strncmp("human-readable", spec, sl) == 0) {
            o |= HUMAN_AUTOSCALE | HUMAN_SI | HUMAN_BASE_1024;
            *block_size = 1;
        } else if (sl && strncmp("si", spec, sl) == 0) {
            o |= HUMAN_AUTOSCALE | HUMAN_SI;
            *block_size = 1;
        } else {
            char *ptr;
            e = opt_strtoumax(spec, &ptr, 0, block_size, "eEgGkKmMpPtTyYzZ0");
            if (e != OPT_NUM_OK) {
                *opts = 0;
                return e;
            }
            for (; !('0' <= *spec && *spec <= '9'); spec++) {
                if (spec == ptr) {
                    o |= HUMAN_SI;
                    if (ptr[-1] == 'B') o |= HUMAN_B;
                    if (ptr[-1] != 'B' || ptr[-2] == 'i') o |= HUMAN_BASE_1024;
                    break;
                }
            }
        }
    }
    *opts = o;
    if (*block_size == 0) {
        *block_size = default_block_size(p);
        e = OPT_NUM_INVALID;
    }
    return e;
}
