/* timefmt.c — time zones (POSIX TZ strings and a built-in table), a
 * reentrant strftime after gnulib's nstrftime, and a date parser after
 * gnulib's parse-datetime. See timefmt.h. Pure computation: no host time
 * zone state, no files, no allocation. */
#include "lib/timefmt.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- calendar ------------------------------------------------------------- */

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int64_t floordiv(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int64_t tf_timegm(const struct tm *tm)
{
    int64_t mon = tm->tm_mon;
    int64_t y = (int64_t)tm->tm_year + 1900 + floordiv(mon, 12);
    mon -= floordiv(mon, 12) * 12;
    int64_t days = days_from_civil(y, (int)mon + 1, 1) + tm->tm_mday - 1;
    return days * 86400 + (int64_t)tm->tm_hour * 3600 + (int64_t)tm->tm_min * 60 + tm->tm_sec;
}

static bool fill_tm(int64_t t, struct tm *tm)
{
    int64_t days = floordiv(t, 86400), secs = t - days * 86400;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    if (y - 1900 > INT_MAX || y - 1900 < INT_MIN) return false;
    tm->tm_year = (int)(y - 1900);
    tm->tm_mon = m - 1;
    tm->tm_mday = d;
    tm->tm_hour = (int)(secs / 3600);
    tm->tm_min = (int)(secs / 60 % 60);
    tm->tm_sec = (int)(secs % 60);
    tm->tm_wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
    tm->tm_yday = (int)(days - days_from_civil(y, 1, 1));
    return true;
}

bool tf_gmtime(int64_t t, struct tm *tm)
{
    if (!fill_tm(t, tm)) return false;
    tm->tm_isdst = 0;
    tm->tm_gmtoff = 0;
    tm->tm_zone = "GMT";
    return true;
}

/* ---- zones --------------------------------------------------------------------- */

static const struct {
    const char *name, *rule;
} zone_table[] = {
    {"Africa/Cairo", "EET-2EEST,M4.5.5/0,M10.5.4/24"},
    {"Africa/Johannesburg", "SAST-2"},
    {"Africa/Lagos", "WAT-1"},
    {"Africa/Nairobi", "EAT-3"},
    {"America/Anchorage", "AKST9AKDT,M3.2.0,M11.1.0"},
    {"America/Argentina/Buenos_Aires", "<-03>3"},
    {"America/Bogota", "<-05>5"},
    {"America/Chicago", "CST6CDT,M3.2.0,M11.1.0"},
    {"America/Denver", "MST7MDT,M3.2.0,M11.1.0"},
    {"America/Detroit", "EST5EDT,M3.2.0,M11.1.0"},
    {"America/Halifax", "AST4ADT,M3.2.0,M11.1.0"},
    {"America/Los_Angeles", "PST8PDT,M3.2.0,M11.1.0"},
    {"America/Mexico_City", "CST6"},
    {"America/New_York", "EST5EDT,M3.2.0,M11.1.0"},
    {"America/Phoenix", "MST7"},
    {"America/Sao_Paulo", "<-03>3"},
    {"America/St_Johns", "NST3:30NDT,M3.2.0,M11.1.0"},
    {"America/Toronto", "EST5EDT,M3.2.0,M11.1.0"},
    {"America/Vancouver", "PST8PDT,M3.2.0,M11.1.0"},
    {"Asia/Bangkok", "<+07>-7"},
    {"Asia/Calcutta", "IST-5:30"},
    {"Asia/Dubai", "<+04>-4"},
    {"Asia/Hong_Kong", "HKT-8"},
    {"Asia/Jakarta", "WIB-7"},
    {"Asia/Jerusalem", "IST-2IDT,M3.4.4/26,M10.5.0"},
    {"Asia/Karachi", "PKT-5"},
    {"Asia/Kathmandu", "<+0545>-5:45"},
    {"Asia/Kolkata", "IST-5:30"},
    {"Asia/Manila", "PST-8"},
    {"Asia/Seoul", "KST-9"},
    {"Asia/Shanghai", "CST-8"},
    {"Asia/Singapore", "<+08>-8"},
    {"Asia/Taipei", "CST-8"},
    {"Asia/Tehran", "<+0330>-3:30"},
    {"Asia/Tokyo", "JST-9"},
    {"Australia/Adelaide", "ACST-9:30ACDT,M10.1.0,M4.1.0/3"},
    {"Australia/Brisbane", "AEST-10"},
    {"Australia/Melbourne", "AEST-10AEDT,M10.1.0,M4.1.0/3"},
    {"Australia/Perth", "AWST-8"},
    {"Australia/Sydney", "AEST-10AEDT,M10.1.0,M4.1.0/3"},
    {"CET", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"CST6CDT", "CST6CDT,M3.2.0,M11.1.0"},
    {"EET", "EET-2EEST,M3.5.0/3,M10.5.0/4"},
    {"EST", "EST5"},
    {"EST5EDT", "EST5EDT,M3.2.0,M11.1.0"},
    {"Etc/GMT", "GMT0"},
    {"Etc/UCT", "UTC0"},
    {"Etc/UTC", "UTC0"},
    {"Etc/Universal", "UTC0"},
    {"Etc/Zulu", "UTC0"},
    {"Europe/Amsterdam", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"Europe/Athens", "EET-2EEST,M3.5.0/3,M10.5.0/4"},
    {"Europe/Berlin", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"Europe/Brussels", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"Europe/Bucharest", "EET-2EEST,M3.5.0/3,M10.5.0/4"},
    {"Europe/Budapest", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"Europe/Copenhagen", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"Europe/Dublin", "IST-1GMT0,M10.5.0,M3.5.0/1"},
    {"Europe/Helsinki", "EET-2EEST,M3.5.0/3,M10.5.0/4"},
    {"Europe/Istanbul", "<+03>-3"},
    {"Europe/Kiev", "EET-2EEST,M3.5.0/3,M10.5.0/4"},
    {"Europe/Kyiv", "EET-2EEST,M3.5.0/3,M10.5.0/4"},
    {"Europe/Lisbon", "WET0WEST,M3.5.0/1,M10.5.0"},
    {"Europe/London", "GMT0BST,M3.5.0/1,M10.5.0"},
    {"Europe/Madrid", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"Europe/Moscow", "MSK-3"},
    {"Europe/Oslo", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"Europe/Paris", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"Europe/Prague", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"Europe/Rome", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"Europe/Stockholm", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"Europe/Vienna", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"Europe/Warsaw", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"Europe/Zurich", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"GB", "GMT0BST,M3.5.0/1,M10.5.0"},
    {"GMT", "GMT0"},
    {"GMT+0", "GMT0"},
    {"GMT-0", "GMT0"},
    {"GMT0", "GMT0"},
    {"Greenwich", "GMT0"},
    {"HST", "HST10"},
    {"Japan", "JST-9"},
    {"MET", "MET-1MEST,M3.5.0,M10.5.0/3"},
    {"MST", "MST7"},
    {"MST7MDT", "MST7MDT,M3.2.0,M11.1.0"},
    {"PRC", "CST-8"},
    {"PST8PDT", "PST8PDT,M3.2.0,M11.1.0"},
    {"Pacific/Auckland", "NZST-12NZDT,M9.5.0,M4.1.0/3"},
    {"Pacific/Honolulu", "HST10"},
    {"UCT", "UTC0"},
    {"US/Central", "CST6CDT,M3.2.0,M11.1.0"},
    {"US/Eastern", "EST5EDT,M3.2.0,M11.1.0"},
    {"US/Mountain", "MST7MDT,M3.2.0,M11.1.0"},
    {"US/Pacific", "PST8PDT,M3.2.0,M11.1.0"},
    {"UTC", "UTC0"},
    {"Universal", "UTC0"},
    {"WET", "WET0WEST,M3.5.0/1,M10.5.0"},
    {"Zulu", "UTC0"},
};

static const char *tz_name(const char *s, char *out, size_t n)
{
    size_t len = 0;
    if (*s == '<') {
        const char *e = strchr(s + 1, '>');
        if (!e) return NULL;
        len = (size_t)(e - s - 1);
        if (len < 3 || len >= n) return NULL;
        memcpy(out, s + 1, len);
        out[len] = 0;
        return e + 1;
    }
    while (isalpha((unsigned char)s[len])) len++;
    if (len < 3 || len >= n) return NULL;
    memcpy(out, s, len);
    out[len] = 0;
    return s + len;
}

/* [+-]hh[:mm[:ss]]; *secs gets the value with its sign. */
static const char *tz_time(const char *s, long *secs, bool sign_ok, long max_h)
{
    int sign = 1;
    if (sign_ok && (*s == '+' || *s == '-')) sign = *s++ == '-' ? -1 : 1;
    if (!isdigit((unsigned char)*s)) return NULL;
    long h = 0, m = 0, sec = 0;
    while (isdigit((unsigned char)*s)) {
        h = h * 10 + (*s++ - '0');
        if (h > max_h) return NULL;
    }
    if (*s == ':') {
        s++;
        if (!isdigit((unsigned char)*s)) return NULL;
        while (isdigit((unsigned char)*s)) m = m * 10 + (*s++ - '0');
        if (m > 59) return NULL;
        if (*s == ':') {
            s++;
            if (!isdigit((unsigned char)*s)) return NULL;
            while (isdigit((unsigned char)*s)) sec = sec * 10 + (*s++ - '0');
            if (sec > 59) return NULL;
        }
    }
    *secs = sign * (h * 3600 + m * 60 + sec);
    return s;
}

static const char *tz_rule(const char *s, struct tf_rule *r)
{
    char *e;
    r->secs = 7200;
    if (*s == 'M') {
        r->kind = 'M';
        r->m = (int)strtol(s + 1, &e, 10);
        if (e == s + 1 || *e != '.' || r->m < 1 || r->m > 12) return NULL;
        s = e + 1;
        r->w = (int)strtol(s, &e, 10);
        if (e == s || *e != '.' || r->w < 1 || r->w > 5) return NULL;
        s = e + 1;
        r->d = (int)strtol(s, &e, 10);
        if (e == s || r->d < 0 || r->d > 6) return NULL;
        s = e;
    } else {
        r->kind = 'D';
        if (*s == 'J') r->kind = 'J', s++;
        if (!isdigit((unsigned char)*s)) return NULL;
        r->d = (int)strtol(s, &e, 10);
        if (r->d > 365 || (r->kind == 'J' && r->d < 1)) return NULL;
        s = e;
    }
    if (*s == '/') {
        s = tz_time(s + 1, &r->secs, true, 167);
        if (!s) return NULL;
    }
    return s;
}

static void tz_posix(struct tf_zone *z, const char *s)
{
    const char *q = tz_name(s, z->std, sizeof z->std);
    if (!q) return; /* glibc: no name at all, UTC with an empty name */
    long off;
    const char *r = tz_time(q, &off, true, 24);
    if (!r) return;
    z->std_off = -off;
    if (!*r) return;
    q = tz_name(r, z->dst, sizeof z->dst);
    if (!q) return;
    z->dst_off = z->std_off + 3600;
    if (*q && *q != ',') {
        r = tz_time(q, &off, true, 24);
        if (!r) return;
        z->dst_off = -off;
        q = r;
    }
    struct tf_rule start = {'M', 3, 2, 0, 7200}, end = {'M', 11, 1, 0, 7200};
    if (*q == ',') {
        q = tz_rule(q + 1, &start);
        if (!q || *q != ',') return;
        q = tz_rule(q + 1, &end);
        if (!q || *q) return;
    } else if (*q) {
        return;
    }
    z->start = start;
    z->end = end;
    z->has_dst = true;
}

void tf_zone_load(struct tf_zone *z, const char *tz)
{
    memset(z, 0, sizeof *z);
    if (!tz || !*tz) tz = "UTC0";
    if (*tz == ':') tz++;
    if (!*tz) tz = "UTC0";
    size_t lo = 0, hi = sizeof zone_table / sizeof zone_table[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(tz, zone_table[mid].name);
        if (c == 0) {
            tz = zone_table[mid].rule;
            break;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    if (!strncmp(tz, "Etc/GMT", 7) && (tz[7] == '+' || tz[7] == '-') &&
        isdigit((unsigned char)tz[8])) {
        /* Etc/GMT+5 is five hours west, named "-05". */
        long h = strtol(tz + 8, NULL, 10);
        if (h <= 14) {
            z->std_off = (tz[7] == '+' ? -h : h) * 3600;
            z->std[0] = tz[7] == '+' ? '-' : '+';
            z->std[1] = (char)('0' + h / 10);
            z->std[2] = (char)('0' + h % 10);
            z->std[3] = 0;
            return;
        }
    }
    tz_posix(z, tz);
}

/* The UTC time of a DST change in year y; off is the offset in effect
 * before the change. */
static int64_t rule_time(const struct tf_rule *r, int64_t y, long off)
{
    int64_t day;
    if (r->kind == 'J') {
        day = days_from_civil(y, 1, 1) + r->d - 1 + (is_leap(y) && r->d >= 60);
    } else if (r->kind == 'D') {
        day = days_from_civil(y, 1, 1) + r->d;
    } else {
        int64_t first = days_from_civil(y, r->m, 1);
        int wday1 = (int)((first % 7 + 11) % 7);
        int d = (r->d - wday1 + 7) % 7 + 1 + (r->w - 1) * 7;
        static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int md = mdays[r->m - 1] + (r->m == 2 && is_leap(y));
        while (d > md) d -= 7;
        day = first + d - 1;
    }
    return day * 86400 + r->secs - off;
}

static bool zone_isdst(const struct tf_zone *z, int64_t t)
{
    if (!z->has_dst) return false;
    int64_t y;
    int m, d;
    civil_from_days(floordiv(t + z->std_off, 86400), &y, &m, &d);
    int64_t start = rule_time(&z->start, y, z->std_off);
    int64_t end = rule_time(&z->end, y, z->dst_off);
    if (start < end) return t >= start && t < end;
    return !(t >= end && t < start);
}

bool tf_localtime(const struct tf_zone *z, int64_t t, struct tm *tm)
{
    bool dst = zone_isdst(z, t);
    long off = dst ? z->dst_off : z->std_off;
    if (!fill_tm(t + off, tm)) return false;
    tm->tm_isdst = dst;
    tm->tm_gmtoff = off;
    tm->tm_zone = dst ? z->dst : z->std;
    return true;
}

bool tf_mktime(const struct tf_zone *z, struct tm *tm, int64_t *out)
{
    int64_t local = tf_timegm(tm);
    int64_t t1 = local - z->std_off, t2 = local - z->dst_off;
    bool ok1 = !zone_isdst(z, t1), ok2 = z->has_dst && zone_isdst(z, t2);
    int64_t t;
    if (ok1 && ok2)
        t = tm->tm_isdst > 0 ? t2 : t1;
    else if (ok1)
        t = t1;
    else if (ok2)
        t = t2;
    else /* in a gap: the offset before the change */
        t = zone_isdst(z, t1) ? local - z->std_off : local - z->dst_off;
    if (!tf_localtime(z, t, tm)) return false;
    *out = t;
    return true;
}

/* ---- strftime ---------------------------------------------------------------- */

struct fout {
    char *buf;
    size_t n, len;
};

static void out_mem(struct fout *o, const char *s, size_t n)
{
    if (o->len < o->n) {
        size_t room = o->n - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

static void out_fill(struct fout *o, char c, size_t n)
{
    if (o->len < o->n) {
        size_t room = o->n - o->len;
        memset(o->buf + o->len, c, n < room ? n : room);
    }
    o->len += n;
}

/* gnulib's width_add: pad s (n bytes) to width with pad, case-mapped. */
static void put_padded(struct fout *o, const char *s, size_t n, int width, char pad, int casemap)
{
    if (pad != '-' && width > 0 && (size_t)width > n)
        out_fill(o, pad == '0' || pad == '+' ? '0' : ' ', (size_t)width - n);
    size_t at = o->len;
    out_mem(o, s, n);
    if (casemap && at < o->n) {
        size_t end = o->len < o->n ? o->len : o->n;
        for (size_t i = at; i < end; i++)
            o->buf[i] = (char)(casemap > 0 ? toupper((unsigned char)o->buf[i])
                                           : tolower((unsigned char)o->buf[i]));
    }
}

/* gnulib do_number / do_yearish. */
static void put_number(struct fout *o, int digits, int64_t value, int width, char pad, bool yearish,
                       int colon_mask, bool always_sign)
{
    char buf[64], *bp = buf + sizeof buf;
    bool neg = value < 0;
    uint64_t u = neg ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    do {
        if (colon_mask & 1) *--bp = ':';
        colon_mask >>= 1;
        *--bp = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0 || colon_mask != 0);
    if (pad == 0) pad = '0';
    if (width < 0) width = digits;
    if (yearish && pad == '+') {
        uint64_t v = neg ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
        always_sign = (digits == 2 ? 99u : 9999u) < v || digits < width;
    }
    char sign = neg ? '-' : always_sign ? '+' : 0;
    int numlen = (int)(buf + sizeof buf - bp);
    int shortage = width - !!sign - numlen;
    int padding = pad == '-' || shortage <= 0 ? 0 : shortage;
    if (sign) {
        if (pad == '_') {
            out_fill(o, ' ', (size_t)padding);
            width -= padding;
        }
        /* width_add1(0, sign): no padding for the sign itself */
        out_mem(o, &sign, 1);
        width--;
    }
    put_padded(o, bp, (size_t)numlen, width, pad, 0);
}

static const char *const wday_name[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};
static const char *const mon_name[] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};

static int iso_week_days(int yday, int wday)
{
    int big = (366 / 7 + 2) * 7;
    return yday - (yday - wday + 4 + big) % 7 + 3;
}

static void fmt_rec(struct fout *o, const char *fmt, const struct tm *tm, long nsec);

static void subformat(struct fout *o, const char *sub, const struct tm *tm, long nsec, int width,
                      char pad, int casemap)
{
    char tmp[256];
    struct fout so = {tmp, sizeof tmp, 0};
    fmt_rec(&so, sub, tm, nsec);
    size_t n = so.len < sizeof tmp ? so.len : sizeof tmp;
    put_padded(o, tmp, n, width, pad, casemap);
}

static void fmt_rec(struct fout *o, const char *f, const struct tm *tm, long nsec)
{
    for (; *f; f++) {
        if (*f != '%') {
            out_mem(o, f, 1);
            continue;
        }
        const char *start = f;
        char pad = 0;
        bool upcase = false, change_case = false;
        int width = -1;
        for (;;) {
            char c = *++f;
            if (c == '_' || c == '-' || c == '0' || c == '+')
                pad = c;
            else if (c == '^')
                upcase = true;
            else if (c == '#')
                change_case = true;
            else
                break;
        }
        if (isdigit((unsigned char)*f)) {
            width = 0;
            while (isdigit((unsigned char)*f)) {
                if (width > (INT_MAX - 9) / 10)
                    width = INT_MAX;
                else
                    width = width * 10 + (*f - '0');
                f++;
            }
        }
        char modifier = 0;
        if (*f == 'E' || *f == 'O') modifier = *f++;
        int casemap = upcase ? 1 : 0;
        int colons = 0;
        int year = tm->tm_year + 1900;
        char c = *f;
        switch (c) {
        case '%':
            if (modifier || pad || upcase || change_case || width >= 0) {
                /* gnulib copies the spec, padded as if one byte shorter */
                put_padded(o, start, (size_t)(f - start) + 1, width < 0 ? width : width + 1, pad,
                           0);
                break;
            }
            out_mem(o, "%", 1);
            break;
        case 'a':
        case 'A':
            if (modifier) goto bad;
            if (change_case) casemap = 1;
            {
                const char *s = tm->tm_wday >= 0 && tm->tm_wday < 7 ? wday_name[tm->tm_wday] : "?";
                put_padded(o, s, c == 'a' ? strnlen(s, 3) : strlen(s), width, pad, casemap);
            }
            break;
        case 'b':
        case 'h':
        case 'B':
            if (modifier == 'E') goto bad;
            if (change_case) casemap = 1;
            {
                const char *s = tm->tm_mon >= 0 && tm->tm_mon < 12 ? mon_name[tm->tm_mon] : "?";
                put_padded(o, s, c == 'B' ? strlen(s) : strnlen(s, 3), width, pad, casemap);
            }
            break;
        case 'c':
            if (modifier == 'O') goto bad;
            subformat(o, "%a %b %e %H:%M:%S %Y", tm, nsec, width, pad, casemap);
            break;
        case 'C':
            if (modifier == 'O') goto bad;
            put_number(o, 2, year / 100 - (year % 100 < 0), width, pad, true, 0, false);
            break;
        case 'x':
            if (modifier == 'O') goto bad;
            subformat(o, "%m/%d/%y", tm, nsec, width, pad, casemap);
            break;
        case 'D':
            if (modifier) goto bad;
            subformat(o, "%m/%d/%y", tm, nsec, width, pad, casemap);
            break;
        case 'd':
            if (modifier == 'E') goto bad;
            put_number(o, 2, tm->tm_mday, width, pad, false, 0, false);
            break;
        case 'e':
            if (modifier == 'E') goto bad;
            put_number(o, 2, tm->tm_mday, width, pad ? pad : '_', false, 0, false);
            break;
        case 'F': {
            if (modifier) goto bad;
            char sub[32];
            if (pad == 0 && width < 0) {
                strcpy(sub, "%+4Y-%m-%d");
            } else {
                int w = width < 0 ? 4 : width - 6 < 0 ? 0 : width - 6;
                sub[0] = '%';
                int k = 1;
                if (pad) sub[k++] = pad;
                k += snprintf(sub + k, sizeof sub - (size_t)k, "%dY-%%m-%%d", w);
            }
            subformat(o, sub, tm, nsec, width, pad, casemap);
            break;
        }
        case 'g':
        case 'G':
        case 'V': {
            if (modifier == 'E') goto bad;
            int y = year;
            int days = iso_week_days(tm->tm_yday, tm->tm_wday);
            if (days < 0) {
                y--;
                days = iso_week_days(tm->tm_yday + (365 + is_leap(y)), tm->tm_wday);
            } else {
                int d = iso_week_days(tm->tm_yday - (365 + is_leap(y)), tm->tm_wday);
                if (d >= 0) {
                    y++;
                    days = d;
                }
            }
            if (c == 'g')
                put_number(o, 2, y < 0 ? -(y % 100) : y % 100, width, pad, false, 0, false);
            else if (c == 'G')
                put_number(o, 4, y, width, pad, true, 0, false);
            else
                put_number(o, 2, days / 7 + 1, width, pad, false, 0, false);
            break;
        }
        case 'H':
            if (modifier == 'E') goto bad;
            put_number(o, 2, tm->tm_hour, width, pad, false, 0, false);
            break;
        case 'I':
            if (modifier == 'E') goto bad;
            put_number(o, 2, (tm->tm_hour + 11) % 12 + 1, width, pad, false, 0, false);
            break;
        case 'k':
            if (modifier == 'E') goto bad;
            put_number(o, 2, tm->tm_hour, width, pad ? pad : '_', false, 0, false);
            break;
        case 'l':
            if (modifier == 'E') goto bad;
            put_number(o, 2, (tm->tm_hour + 11) % 12 + 1, width, pad ? pad : '_', false, 0, false);
            break;
        case 'j':
            if (modifier == 'E') goto bad;
            put_number(o, 3, tm->tm_yday + 1, width, pad, false, 0, false);
            break;
        case 'M':
            if (modifier == 'E') goto bad;
            put_number(o, 2, tm->tm_min, width, pad, false, 0, false);
            break;
        case 'm':
            if (modifier == 'E') goto bad;
            put_number(o, 2, tm->tm_mon + 1, width, pad, false, 0, false);
            break;
        case 'n': put_padded(o, "\n", 1, width, pad, 0); break;
        case 't': put_padded(o, "\t", 1, width, pad, 0); break;
        case 'N': {
            if (modifier == 'E') goto bad;
            long n = nsec;
            int ndigs = 9;
            char buf[9];
            if (width <= 0) {
                if (pad == '-') { /* %-N: all nine digits */
                    char nb[10];
                    snprintf(nb, sizeof nb, "%09ld", nsec);
                    out_mem(o, nb, 9);
                    break;
                }
                width = 9;
            }
            while (width < ndigs || (1 < ndigs && n % 10 == 0)) ndigs--, n /= 10;
            for (int j = ndigs; j > 0; j--) buf[j - 1] = (char)('0' + n % 10), n /= 10;
            if (!pad) pad = '0';
            put_padded(o, buf, (size_t)ndigs, 0, pad, 0);
            if (pad != '-' && width > ndigs)
                out_fill(o, pad == '0' || pad == '+' ? '0' : ' ', (size_t)(width - ndigs));
            break;
        }
        case 'p':
        case 'P': {
            bool lower = c == 'P' || change_case;
            if (c == 'P') casemap = 0;
            if (change_case) casemap = 0;
            const char *s = tm->tm_hour > 11 ? (lower ? "pm" : "PM") : (lower ? "am" : "AM");
            if (c == 'P' && modifier) goto bad;
            put_padded(o, s, 2, width, pad, casemap);
            break;
        }
        case 'q':
            if (modifier) goto bad;
            put_number(o, 1, (tm->tm_mon * 11 >> 5) + 1, width, pad, false, 0, false);
            break;
        case 'R': subformat(o, "%H:%M", tm, nsec, width, pad, casemap); break;
        case 'r': subformat(o, "%I:%M:%S %p", tm, nsec, width, pad, casemap); break;
        case 'S':
            if (modifier == 'E') goto bad;
            put_number(o, 2, tm->tm_sec, width, pad, false, 0, false);
            break;
        case 's': {
            struct tm t = *tm;
            int64_t v = tf_timegm(&t) - t.tm_gmtoff;
            put_number(o, 1, v, width, pad, false, 0, false);
            break;
        }
        case 'X':
            if (modifier == 'O') goto bad;
            subformat(o, "%H:%M:%S", tm, nsec, width, pad, casemap);
            break;
        case 'T': subformat(o, "%H:%M:%S", tm, nsec, width, pad, casemap); break;
        case 'u':
            put_number(o, 1, (tm->tm_wday - 1 + 7) % 7 + 1, width, pad, false, 0, false);
            break;
        case 'U':
            if (modifier == 'E') goto bad;
            put_number(o, 2, (tm->tm_yday - tm->tm_wday + 7) / 7, width, pad, false, 0, false);
            break;
        case 'W':
            if (modifier == 'E') goto bad;
            put_number(o, 2, (tm->tm_yday - (tm->tm_wday - 1 + 7) % 7 + 7) / 7, width, pad, false,
                       0, false);
            break;
        case 'w':
            if (modifier == 'E') goto bad;
            put_number(o, 1, tm->tm_wday, width, pad, false, 0, false);
            break;
        case 'Y':
            if (modifier == 'O') goto bad;
            put_number(o, 4, year, width, pad, true, 0, false);
            break;
        case 'y':
            put_number(o, 2, year < 0 ? -(year % 100) : year % 100, width, pad, false, 0, false);
            break;
        case 'Z':
            if (change_case) casemap = -1;
            {
                const char *z = tm->tm_zone ? tm->tm_zone : "";
                put_padded(o, z, strlen(z), width, pad, casemap);
            }
            break;
        case ':':
            for (colons = 1; f[colons] == ':'; colons++) continue;
            if (f[colons] != 'z') goto bad;
            f += colons;
            /* fall through */
        case 'z': {
            if (colons > 3) goto bad_colons;
            long diff = tm->tm_gmtoff;
            bool neg = diff < 0;
            long ad = neg ? -diff : diff;
            long hd = ad / 3600, md = ad / 60 % 60, sd = ad % 60;
            int64_t v;
            int digits, mask;
            if (colons == 3) colons = sd ? 2 : md ? 1 : 3;
            if (colons == 0)
                digits = 5, mask = 0, v = hd * 100 + md;
            else if (colons == 1)
                digits = 6, mask = 04, v = hd * 100 + md;
            else if (colons == 2)
                digits = 9, mask = 024, v = hd * 10000 + md * 100 + sd;
            else
                digits = 3, mask = 0, v = hd;
            /* The sign is printed separately so that -0 offsets show '-'. */
            char sign = neg ? '-' : '+';
            char nb[32], *bp = nb + sizeof nb;
            uint64_t u = (uint64_t)v;
            do {
                if (mask & 1) *--bp = ':';
                mask >>= 1;
                *--bp = (char)('0' + u % 10);
                u /= 10;
            } while (u || mask);
            if (pad == 0) pad = '0';
            int w = width < 0 ? digits : width;
            int numlen = (int)(nb + sizeof nb - bp);
            int shortage = w - 1 - numlen;
            int padding = pad == '-' || shortage <= 0 ? 0 : shortage;
            if (pad == '_') {
                out_fill(o, ' ', (size_t)padding);
                w -= padding;
            }
            out_mem(o, &sign, 1);
            w--;
            /* digits are zero-filled to the remaining width */
            put_padded(o, bp, (size_t)numlen, w, pad == '_' ? '0' : pad, 0);
            break;
        }
        case '\0':
            f--;
            /* fall through */
        default:
        bad:
        bad_colons : {
            size_t flen = (size_t)(f - start) + 1;
            put_padded(o, start, flen, width, pad, 0);
            break;
        }
        }
    }
}

size_t tf_strftime(char *buf, size_t n, const char *fmt, const struct tm *tm, long nsec)
{
    struct fout o = {buf, n ? n - 1 : 0, 0};
    fmt_rec(&o, fmt, tm, nsec);
    if (n) buf[o.len < o.n ? o.len : o.n] = 0;
    return o.len;
}

/* ---- parse_datetime ---------------------------------------------------------- */

enum tok_kind {
    T_END,
    T_NUM,  /* unsigned */
    T_SNUM, /* signed */
    T_UDEC,
    T_SDEC,
    T_MONTH,
    T_DAY,
    T_UNIT,  /* val: seconds multiplier; 0 month 1 year */
    T_ORD,   /* next/last/this/first... */
    T_SHIFT, /* tomorrow/yesterday/today/now: days */
    T_AGO,
    T_MERID,   /* 0 am, 1 pm */
    T_ZONE,    /* val: seconds east */
    T_DAYZONE, /* a summer zone name: val seconds east (DST included) */
    T_DST,
    T_CHAR,
};

enum { U_YEAR = 1, U_MONTH, U_DAY, U_HOUR, U_MIN, U_SEC };

struct tok {
    enum tok_kind kind;
    int64_t val;
    int digits; /* numbers */
    long ns;    /* decimals */
    int unit;   /* T_UNIT: U_*; val multiplier in that unit */
    char ch;
};

#define MAXTOK 128

struct pctx {
    struct tok t[MAXTOK];
    int n, i;
    /* results */
    int64_t year;
    int year_digits;
    int64_t month, day, hour, minutes, sec;
    long nsec;
    int meridian; /* -1 24h, 0 am, 1 pm */
    int64_t rel_year, rel_month, rel_day, rel_hour, rel_min, rel_sec, rel_ns;
    int64_t day_ordinal;
    int day_number;
    long zone;
    int dates_seen, times_seen, days_seen, rels_seen, zones_seen, local_zones_seen, dsts_seen;
    int local_isdst;
    bool timespec_seen;
    int64_t ts_sec;
    long ts_ns;
};

static const struct {
    const char *name;
    enum tok_kind kind;
    int64_t val;
    int unit;
} words[] = {
    {"AM", T_MERID, 0, 0},
    {"A.M.", T_MERID, 0, 0},
    {"PM", T_MERID, 1, 0},
    {"P.M.", T_MERID, 1, 0},
    {"JANUARY", T_MONTH, 1, 0},
    {"FEBRUARY", T_MONTH, 2, 0},
    {"MARCH", T_MONTH, 3, 0},
    {"APRIL", T_MONTH, 4, 0},
    {"MAY", T_MONTH, 5, 0},
    {"JUNE", T_MONTH, 6, 0},
    {"JULY", T_MONTH, 7, 0},
    {"AUGUST", T_MONTH, 8, 0},
    {"SEPTEMBER", T_MONTH, 9, 0},
    {"SEPT", T_MONTH, 9, 0},
    {"OCTOBER", T_MONTH, 10, 0},
    {"NOVEMBER", T_MONTH, 11, 0},
    {"DECEMBER", T_MONTH, 12, 0},
    {"SUNDAY", T_DAY, 0, 0},
    {"MONDAY", T_DAY, 1, 0},
    {"TUESDAY", T_DAY, 2, 0},
    {"TUES", T_DAY, 2, 0},
    {"WEDNESDAY", T_DAY, 3, 0},
    {"WEDNES", T_DAY, 3, 0},
    {"THURSDAY", T_DAY, 4, 0},
    {"THUR", T_DAY, 4, 0},
    {"THURS", T_DAY, 4, 0},
    {"FRIDAY", T_DAY, 5, 0},
    {"SATURDAY", T_DAY, 6, 0},
    {"YEAR", T_UNIT, 1, U_YEAR},
    {"MONTH", T_UNIT, 1, U_MONTH},
    {"FORTNIGHT", T_UNIT, 14, U_DAY},
    {"WEEK", T_UNIT, 7, U_DAY},
    {"DAY", T_UNIT, 1, U_DAY},
    {"HOUR", T_UNIT, 1, U_HOUR},
    {"MINUTE", T_UNIT, 1, U_MIN},
    {"MIN", T_UNIT, 1, U_MIN},
    {"SECOND", T_UNIT, 1, U_SEC},
    {"SEC", T_UNIT, 1, U_SEC},
    {"TOMORROW", T_SHIFT, 1, 0},
    {"YESTERDAY", T_SHIFT, -1, 0},
    {"TODAY", T_SHIFT, 0, 0},
    {"NOW", T_SHIFT, 0, 0},
    {"LAST", T_ORD, -1, 0},
    {"THIS", T_ORD, 0, 0},
    {"NEXT", T_ORD, 1, 0},
    {"FIRST", T_ORD, 1, 0},
    {"THIRD", T_ORD, 3, 0},
    {"FOURTH", T_ORD, 4, 0},
    {"FIFTH", T_ORD, 5, 0},
    {"SIXTH", T_ORD, 6, 0},
    {"SEVENTH", T_ORD, 7, 0},
    {"EIGHTH", T_ORD, 8, 0},
    {"NINTH", T_ORD, 9, 0},
    {"TENTH", T_ORD, 10, 0},
    {"ELEVENTH", T_ORD, 11, 0},
    {"TWELFTH", T_ORD, 12, 0},
    {"AGO", T_AGO, 0, 0},
    {"DST", T_DST, 0, 0},
    /* zones (gnulib's time_zone_table) */
    {"GMT", T_ZONE, 0, 0},
    {"UT", T_ZONE, 0, 0},
    {"UTC", T_ZONE, 0, 0},
    {"WET", T_ZONE, 0, 0},
    {"WEST", T_DAYZONE, 0, 0},
    {"BST", T_DAYZONE, 0, 0},
    {"ART", T_ZONE, -3 * 3600, 0},
    {"BRT", T_ZONE, -3 * 3600, 0},
    {"BRST", T_DAYZONE, -3 * 3600, 0},
    {"NST", T_ZONE, -(3 * 3600 + 1800), 0},
    {"NDT", T_DAYZONE, -(3 * 3600 + 1800), 0},
    {"AST", T_ZONE, -4 * 3600, 0},
    {"ADT", T_DAYZONE, -4 * 3600, 0},
    {"CLT", T_ZONE, -4 * 3600, 0},
    {"CLST", T_DAYZONE, -4 * 3600, 0},
    {"EST", T_ZONE, -5 * 3600, 0},
    {"EDT", T_DAYZONE, -5 * 3600, 0},
    {"CST", T_ZONE, -6 * 3600, 0},
    {"CDT", T_DAYZONE, -6 * 3600, 0},
    {"MST", T_ZONE, -7 * 3600, 0},
    {"MDT", T_DAYZONE, -7 * 3600, 0},
    {"PST", T_ZONE, -8 * 3600, 0},
    {"PDT", T_DAYZONE, -8 * 3600, 0},
    {"AKST", T_ZONE, -9 * 3600, 0},
    {"AKDT", T_DAYZONE, -9 * 3600, 0},
    {"HST", T_ZONE, -10 * 3600, 0},
    {"HAST", T_ZONE, -10 * 3600, 0},
    {"HADT", T_DAYZONE, -10 * 3600, 0},
    {"SST", T_ZONE, -12 * 3600, 0},
    {"WAT", T_ZONE, 3600, 0},
    {"CET", T_ZONE, 3600, 0},
    {"CEST", T_DAYZONE, 3600, 0},
    {"MET", T_ZONE, 3600, 0},
    {"MEZ", T_ZONE, 3600, 0},
    {"MEST", T_DAYZONE, 3600, 0},
    {"MESZ", T_DAYZONE, 3600, 0},
    {"EET", T_ZONE, 7200, 0},
    {"EEST", T_DAYZONE, 7200, 0},
    {"CAT", T_ZONE, 7200, 0},
    {"SAST", T_ZONE, 7200, 0},
    {"EAT", T_ZONE, 3 * 3600, 0},
    {"MSK", T_ZONE, 3 * 3600, 0},
    {"MSD", T_DAYZONE, 3 * 3600, 0},
    {"IST", T_ZONE, 5 * 3600 + 1800, 0},
    {"SGT", T_ZONE, 8 * 3600, 0},
    {"KST", T_ZONE, 9 * 3600, 0},
    {"JST", T_ZONE, 9 * 3600, 0},
    {"GST", T_ZONE, 10 * 3600, 0},
    {"NZST", T_ZONE, 12 * 3600, 0},
    {"NZDT", T_DAYZONE, 12 * 3600, 0},
};

static bool lookup_word(const char *w, const struct tf_zone *z, struct tok *t)
{
    char up[64];
    size_t n = strlen(w);
    if (n >= sizeof up) return false;
    for (size_t i = 0; i <= n; i++) up[i] = (char)toupper((unsigned char)w[i]);
    t->kind = T_END;
    /* The local zone's own abbreviations first. */
    if (!strcmp(up, "Z") || !strcmp(up, "UTC") || !strcmp(up, "GMT") || !strcmp(up, "UT")) {
        t->kind = T_ZONE;
        t->val = 0;
        return true;
    }
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(up, words[i].name)) goto found_exact;
    (void)z;
    /* Three-letter abbreviations of months and days; "SEPT."-like forms. */
    if (n == 3 || (n == 4 && up[3] == '.')) {
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
            if ((words[i].kind == T_MONTH || words[i].kind == T_DAY) &&
                !strncmp(up, words[i].name, 3)) {
                t->kind = words[i].kind;
                t->val = words[i].val;
                return true;
            }
    }
    if (n == 5 && up[4] == '.') {
        up[4] = 0;
        if (!strcmp(up, "SEPT") || !strcmp(up, "TUES") || !strcmp(up, "THUR"))
            return lookup_word(up, z, t);
        up[4] = '.';
    }
    /* Plural units. */
    if (n > 1 && up[n - 1] == 'S') {
        up[n - 1] = 0;
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
            if (words[i].kind == T_UNIT && !strcmp(up, words[i].name)) {
                t->kind = T_UNIT;
                t->val = words[i].val;
                t->unit = words[i].unit;
                return true;
            }
        up[n - 1] = 'S';
    }
    /* Military zones (RFC 822 signs as gnulib has them); 'T' is the ISO separator. */
    if (n == 1 && up[0] >= 'A' && up[0] <= 'Z' && up[0] != 'J') {
        if (up[0] == 'T') {
            t->kind = T_CHAR;
            t->ch = 'T';
            return true;
        }
        int c = up[0];
        int h = c <= 'I' ? c - 'A' + 1 : c <= 'M' ? c - 'A' : c <= 'Y' ? -(c - 'N' + 1) : 0;
        t->kind = T_ZONE;
        t->val = -(int64_t)h * 3600;
        return true;
    }
    /* Strip periods: "a.m." handled above; "n.y." style words otherwise. */
    if (strchr(up, '.')) {
        char stripped[64];
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (up[i] != '.') stripped[k++] = up[i];
        stripped[k] = 0;
        if (k && k < n) return lookup_word(stripped, z, t);
    }
    return false;
found_exact:
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(up, words[i].name)) {
            t->kind = words[i].kind;
            t->val = words[i].val;
            t->unit = words[i].unit;
            return true;
        }
    return false;
}

static int lex(struct pctx *pc, const char *s, const struct tf_zone *z)
{
    pc->n = 0;
    for (;;) {
        while (isspace((unsigned char)*s)) s++;
        if (pc->n >= MAXTOK - 1) return -1;
        struct tok *t = &pc->t[pc->n];
        memset(t, 0, sizeof *t);
        char c = *s;
        if (!c) {
            t->kind = T_END;
            return 0;
        }
        if (isdigit((unsigned char)c) || c == '-' || c == '+') {
            int sign = 0;
            if (c == '-' || c == '+') {
                sign = c == '-' ? -1 : 1;
                do s++;
                while (isspace((unsigned char)*s));
                if (!isdigit((unsigned char)*s)) continue; /* a lone sign is skipped */
            }
            uint64_t v = 0;
            int digits = 0;
            bool overflow = false;
            while (isdigit((unsigned char)*s)) {
                if (v > (UINT64_MAX - 9) / 10) overflow = true;
                v = v * 10 + (uint64_t)(*s++ - '0');
                digits++;
            }
            if (overflow || v > INT64_MAX) return -1;
            if ((*s == '.' || *s == ',') && isdigit((unsigned char)s[1])) {
                s++;
                long ns = 0;
                int nd = 0;
                while (isdigit((unsigned char)*s)) {
                    if (nd < 9)
                        ns = ns * 10 + (*s - '0');
                    else if (nd == 9 && sign < 0 && *s != '0') {
                        /* round toward -inf like gnulib: any further nonzero digit */
                    }
                    nd++;
                    s++;
                }
                while (nd < 9) ns *= 10, nd++;
                int64_t iv = (int64_t)v;
                if (sign < 0) {
                    /* -1.5 = -2 + 0.5 */
                    iv = -iv;
                    if (ns) {
                        iv--;
                        ns = 1000000000L - ns;
                    }
                }
                t->kind = sign ? T_SDEC : T_UDEC;
                t->val = iv;
                t->ns = ns;
            } else {
                t->kind = sign ? T_SNUM : T_NUM;
                t->val = sign < 0 ? -(int64_t)v : (int64_t)v;
                t->digits = digits;
            }
            pc->n++;
            continue;
        }
        if (isalpha((unsigned char)c)) {
            char w[64];
            size_t k = 0;
            while (isalpha((unsigned char)*s) || *s == '.') {
                if (k >= sizeof w - 1) return -1;
                w[k++] = *s++;
            }
            w[k] = 0;
            if (!lookup_word(w, z, t)) return -1;
            pc->n++;
            continue;
        }
        if (c == '(') {
            int depth = 0;
            do {
                if (*s == '(')
                    depth++;
                else if (*s == ')')
                    depth--;
                else if (!*s)
                    return -1;
                s++;
            } while (depth > 0);
            continue;
        }
        t->kind = T_CHAR;
        t->ch = c;
        s++;
        pc->n++;
    }
}

static struct tok *peek(struct pctx *pc, int k)
{
    int i = pc->i + k;
    return i < pc->n ? &pc->t[i] : &pc->t[pc->n];
}

static bool is_char(struct tok *t, char c)
{
    return t->kind == T_CHAR && t->ch == c;
}

static void set_year(struct pctx *pc, struct tok *t)
{
    pc->year = t->val < 0 ? -t->val : t->val;
    pc->year_digits = t->digits;
}

static bool apply_rel(struct pctx *pc, int unit, int64_t n)
{
    int64_t *f = unit == U_YEAR    ? &pc->rel_year
                 : unit == U_MONTH ? &pc->rel_month
                 : unit == U_DAY   ? &pc->rel_day
                 : unit == U_HOUR  ? &pc->rel_hour
                 : unit == U_MIN   ? &pc->rel_min
                                   : &pc->rel_sec;
    if (__builtin_add_overflow(*f, n, f)) return false;
    pc->rels_seen = 1;
    return true;
}

/* zone_offset: SNUM [':' NUM] -> seconds east, or false. */
static bool zone_offset(struct pctx *pc, long *out)
{
    struct tok *s = peek(pc, 0);
    if (s->kind != T_SNUM) return false;
    int64_t v = s->val, mins;
    bool neg = v < 0;
    int64_t av = neg ? -v : v;
    if (is_char(peek(pc, 1), ':') && peek(pc, 2)->kind == T_NUM) {
        mins = av * 60 + peek(pc, 2)->val;
        pc->i += 3;
    } else {
        mins = s->digits <= 2 ? av * 60 : av / 100 * 60 + av % 100;
        pc->i += 1;
    }
    if (mins > 24 * 60) return false;
    *out = (long)(neg ? -mins : mins) * 60;
    return true;
}

static void set_time(struct pctx *pc, int64_t h, int64_t m, int64_t s, long ns)
{
    pc->hour = h;
    pc->minutes = m;
    pc->sec = s;
    pc->nsec = ns;
    pc->times_seen++;
}

/* One item of the grammar at pc->i. false: a syntax error. */
static bool parse_item(struct pctx *pc)
{
    struct tok *a = peek(pc, 0), *b = peek(pc, 1), *c = peek(pc, 2);
    /* @seconds */
    if (is_char(a, '@')) {
        if (b->kind == T_NUM || b->kind == T_SNUM) {
            pc->ts_sec = b->val, pc->ts_ns = 0;
        } else if (b->kind == T_UDEC || b->kind == T_SDEC) {
            pc->ts_sec = b->val, pc->ts_ns = b->ns;
        } else {
            return false;
        }
        pc->timespec_seen = true;
        pc->i += 2;
        return true;
    }
    if (a->kind == T_NUM) {
        /* times */
        if (b->kind == T_MERID) {
            set_time(pc, a->val, 0, 0, 0);
            pc->meridian = (int)b->val;
            pc->i += 2;
            return true;
        }
        if (is_char(b, ':') && c->kind == T_NUM) {
            int64_t h = a->val, m = c->val, s = 0;
            long ns = 0;
            pc->i += 3;
            if (is_char(peek(pc, 0), ':') &&
                (peek(pc, 1)->kind == T_NUM || peek(pc, 1)->kind == T_UDEC)) {
                s = peek(pc, 1)->val;
                ns = peek(pc, 1)->ns;
                pc->i += 2;
            }
            set_time(pc, h, m, s, ns);
            if (peek(pc, 0)->kind == T_MERID) {
                pc->meridian = (int)peek(pc, 0)->val;
                pc->i++;
            } else if (peek(pc, 0)->kind == T_SNUM) {
                long off;
                if (!zone_offset(pc, &off)) return false;
                pc->zone = off;
                pc->zones_seen++;
            }
            return true;
        }
        /* dates */
        if (is_char(b, '/') && c->kind == T_NUM) {
            if (is_char(peek(pc, 3), '/') && peek(pc, 4)->kind == T_NUM) {
                struct tok *d = peek(pc, 4);
                if (a->digits >= 3) {
                    set_year(pc, a);
                    pc->month = c->val;
                    pc->day = d->val;
                } else {
                    pc->month = a->val;
                    pc->day = c->val;
                    set_year(pc, d);
                }
                pc->i += 5;
            } else {
                pc->month = a->val;
                pc->day = c->val;
                pc->i += 3;
            }
            pc->dates_seen++;
            return true;
        }
        if (b->kind == T_SNUM && c->kind == T_SNUM && b->val <= 0) {
            /* ISO 8601 date YYYY-MM-DD, maybe followed by T time */
            set_year(pc, a);
            pc->month = -b->val;
            pc->day = -c->val;
            pc->dates_seen++;
            pc->i += 3;
            if (is_char(peek(pc, 0), 'T') && peek(pc, 1)->kind == T_NUM) {
                pc->i++;
                struct tok *h = peek(pc, 0);
                if (is_char(peek(pc, 1), ':')) return parse_item(pc);
                /* THH: an hour alone with an optional zone */
                set_time(pc, h->val, 0, 0, 0);
                pc->i++;
                if (peek(pc, 0)->kind == T_SNUM) {
                    long off;
                    if (!zone_offset(pc, &off)) return false;
                    pc->zone = off;
                    pc->zones_seen++;
                }
            }
            return true;
        }
        if (b->kind == T_MONTH) {
            pc->day = a->val;
            pc->month = b->val;
            pc->i += 2;
            if (c->kind == T_SNUM) {
                set_year(pc, c);
                pc->i++;
            } else if (c->kind == T_NUM) {
                set_year(pc, c);
                pc->i++;
            }
            pc->dates_seen++;
            return true;
        }
        if (b->kind == T_UNIT) {
            pc->i += 2;
            int64_t n = a->val * b->val;
            if (peek(pc, 0)->kind == T_AGO) n = -n, pc->i++;
            return apply_rel(pc, b->unit, n);
        }
        if (b->kind == T_DAY) {
            pc->day_ordinal = a->val;
            pc->day_number = (int)b->val;
            pc->days_seen++;
            pc->i += 2;
            return true;
        }
        /* a bare number */
        pc->i++;
        if (pc->dates_seen && !pc->year_digits && !pc->rels_seen &&
            (pc->times_seen || 2 < a->digits)) {
            pc->year = a->val;
            pc->year_digits = a->digits;
        } else if (4 < a->digits) {
            pc->dates_seen++;
            pc->day = a->val % 100;
            pc->month = a->val / 100 % 100;
            pc->year = a->val / 10000;
            pc->year_digits = a->digits - 4;
        } else {
            pc->times_seen++;
            if (a->digits <= 2) {
                pc->hour = a->val;
                pc->minutes = 0;
            } else {
                pc->hour = a->val / 100;
                pc->minutes = a->val % 100;
            }
            pc->sec = 0;
            pc->nsec = 0;
            pc->meridian = -1;
        }
        return true;
    }
    if (a->kind == T_SNUM) {
        if (b->kind == T_UNIT) {
            pc->i += 2;
            int64_t n = a->val * b->val;
            if (peek(pc, 0)->kind == T_AGO) n = -n, pc->i++;
            return apply_rel(pc, b->unit, n);
        }
        return false;
    }
    if ((a->kind == T_UDEC || a->kind == T_SDEC) && b->kind == T_UNIT && b->unit == U_SEC) {
        pc->i += 2;
        int64_t s = a->val;
        int64_t ns = a->ns;
        if (peek(pc, 0)->kind == T_AGO) {
            pc->i++;
            s = -s;
            if (ns) s--, ns = 1000000000 - ns;
        }
        pc->rel_ns += ns;
        return apply_rel(pc, U_SEC, s);
    }
    if (a->kind == T_ORD) {
        if (b->kind == T_DAY) {
            pc->day_ordinal = a->val;
            pc->day_number = (int)b->val;
            pc->days_seen++;
            pc->i += 2;
            return true;
        }
        if (b->kind == T_UNIT) {
            pc->i += 2;
            int64_t n = a->val * b->val;
            if (peek(pc, 0)->kind == T_AGO) n = -n, pc->i++;
            return apply_rel(pc, b->unit, n);
        }
        return false;
    }
    if (a->kind == T_UNIT) {
        pc->i++;
        int64_t n = a->val;
        if (peek(pc, 0)->kind == T_AGO) n = -n, pc->i++;
        return apply_rel(pc, a->unit, n);
    }
    if (a->kind == T_SHIFT) {
        pc->i++;
        return apply_rel(pc, U_DAY, a->val);
    }
    if (a->kind == T_DAY) {
        pc->day_ordinal = 0;
        pc->day_number = (int)a->val;
        pc->days_seen++;
        pc->i++;
        if (is_char(peek(pc, 0), ',')) pc->i++;
        return true;
    }
    if (a->kind == T_MONTH) {
        pc->month = a->val;
        pc->dates_seen++;
        if (b->kind == T_SNUM && c->kind == T_SNUM) { /* Jan-2-2024 */
            pc->day = -b->val;
            set_year(pc, c);
            pc->i += 3;
            return true;
        }
        if (b->kind == T_NUM) {
            pc->day = b->val;
            pc->i += 2;
            if (is_char(peek(pc, 0), ',') && peek(pc, 1)->kind == T_NUM) {
                set_year(pc, peek(pc, 1));
                pc->i += 2;
            }
            return true;
        }
        /* a month alone: day 1? gnulib needs a day */
        return false;
    }
    if (a->kind == T_ZONE) {
        pc->i++;
        long z = (long)a->val;
        if (b->kind == T_DST) {
            z += 3600;
            pc->i++;
        } else if (b->kind == T_SNUM) {
            long off;
            if (!zone_offset(pc, &off)) return false;
            z += off;
        }
        pc->zone = z;
        pc->zones_seen++;
        return true;
    }
    if (a->kind == T_DAYZONE) {
        pc->zone = (long)a->val + 3600;
        pc->zones_seen++;
        pc->i++;
        return true;
    }
    if (a->kind == T_MERID) return false;
    return false;
}

static int to_hour(int64_t h, int mer)
{
    if (mer < 0) return h >= 0 && h <= 23 ? (int)h : -1;
    if (h < 1 || h > 12) return -1;
    return (int)(h % 12 + (mer == 1 ? 12 : 0));
}

static int64_t to_year(int64_t y, int digits)
{
    if (digits == 2) return y + (y < 69 ? 2000 : 1900);
    return y;
}

int parse_datetime(const char *s, const struct timespec *now, const char *tz, struct timespec *out)
{
    char tzbuf[256];
    while (isspace((unsigned char)*s)) s++;
    /* TZ="..." prefix */
    if (!strncmp(s, "TZ=\"", 4)) {
        const char *q = s + 4;
        size_t k = 0;
        for (; *q && *q != '"'; q++) {
            if (*q == '\\' && (q[1] == '\\' || q[1] == '"')) q++;
            if (k >= sizeof tzbuf - 1) return -EINVAL;
            tzbuf[k++] = *q;
        }
        if (*q != '"') return -EINVAL;
        tzbuf[k] = 0;
        tz = tzbuf;
        s = q + 1;
    }
    struct tf_zone zone;
    tf_zone_load(&zone, tz);
    struct pctx pcs;
    memset(&pcs, 0, sizeof pcs);
    struct pctx *pc = &pcs;
    int ret = -EINVAL;
    if (lex(pc, s, &zone) < 0) goto out;
    struct tm tm;
    if (!tf_localtime(&zone, now->tv_sec, &tm)) goto out;
    pc->year = tm.tm_year + 1900;
    pc->month = tm.tm_mon + 1;
    pc->day = tm.tm_mday;
    pc->hour = tm.tm_hour;
    pc->minutes = tm.tm_min;
    pc->sec = tm.tm_sec;
    pc->nsec = now->tv_nsec;
    pc->meridian = -1;
    while (pc->i < pc->n)
        if (!parse_item(pc)) goto out;
    if (pc->timespec_seen) {
        if (pc->dates_seen || pc->times_seen || pc->days_seen || pc->rels_seen || pc->zones_seen)
            goto out;
        out->tv_sec = pc->ts_sec;
        out->tv_nsec = pc->ts_ns;
        ret = 0;
        goto out;
    }
    if (pc->times_seen > 1 || pc->dates_seen > 1 || pc->days_seen > 1 || pc->zones_seen > 1)
        goto out;
    int64_t year = to_year(pc->year, pc->year_digits);
    if (year - 1900 > INT_MAX || year - 1900 < INT_MIN || pc->month > 1000 || pc->day > 1000)
        goto out;
    /* With a zone, local times are read in a fixed zone of that offset. */
    struct tf_zone fixed;
    const struct tf_zone *zz = &zone;
    if (pc->zones_seen) {
        memset(&fixed, 0, sizeof fixed);
        fixed.std_off = pc->zone;
        strcpy(fixed.std, "XXX");
        zz = &fixed;
    }
    tm.tm_year = (int)(year - 1900);
    tm.tm_mon = (int)pc->month - 1;
    tm.tm_mday = (int)pc->day;
    if (pc->times_seen || (pc->rels_seen && !pc->dates_seen && !pc->days_seen)) {
        int h = to_hour(pc->hour, pc->meridian);
        if (h < 0 || pc->minutes < 0 || pc->minutes > 59 || pc->sec < 0 || pc->sec > 60) goto out;
        tm.tm_hour = h;
        tm.tm_min = (int)pc->minutes;
        tm.tm_sec = (int)pc->sec;
    } else {
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        pc->nsec = 0;
    }
    if (pc->dates_seen || pc->days_seen || pc->times_seen) tm.tm_isdst = -1;
    struct tm tm0 = tm;
    int64_t start;
    if (!tf_mktime(zz, &tm, &start)) goto out;
    if (tm.tm_year != tm0.tm_year || tm.tm_mon != tm0.tm_mon || tm.tm_mday != tm0.tm_mday ||
        tm.tm_hour != tm0.tm_hour || tm.tm_min != tm0.tm_min || tm.tm_sec != tm0.tm_sec)
        goto out;
    if (pc->days_seen && !pc->dates_seen) {
        int64_t ord = pc->day_ordinal - (0 < pc->day_ordinal && tm.tm_wday != pc->day_number);
        int64_t incr = ord * 7 + (pc->day_number - tm.tm_wday + 7) % 7;
        if (incr > 1000000 || incr < -1000000) goto out;
        tm.tm_mday += (int)incr;
        tm.tm_isdst = -1;
        if (!tf_mktime(zz, &tm, &start)) goto out;
    }
    if (pc->rel_year || pc->rel_month || pc->rel_day) {
        int64_t y = tm.tm_year + pc->rel_year, m = tm.tm_mon + pc->rel_month,
                d = tm.tm_mday + pc->rel_day;
        if (y > INT_MAX || y < INT_MIN || m > INT_MAX || m < INT_MIN || d > INT_MAX || d < INT_MIN)
            goto out;
        tm.tm_year = (int)y;
        tm.tm_mon = (int)m;
        tm.tm_mday = (int)d;
        tm.tm_hour = tm0.tm_hour;
        tm.tm_min = tm0.tm_min;
        tm.tm_sec = tm0.tm_sec;
        tm.tm_isdst = tm0.tm_isdst;
        if (!tf_mktime(zz, &tm, &start)) goto out;
    }
    int64_t sum_ns = pc->nsec + pc->rel_ns;
    int64_t norm = (sum_ns % 1000000000 + 1000000000) % 1000000000;
    int64_t d4 = (sum_ns - norm) / 1000000000;
    int64_t t = start, d1, d2;
    if (__builtin_mul_overflow(pc->rel_hour, 3600, &d1) || __builtin_add_overflow(t, d1, &t) ||
        __builtin_mul_overflow(pc->rel_min, 60, &d2) || __builtin_add_overflow(t, d2, &t) ||
        __builtin_add_overflow(t, pc->rel_sec, &t) || __builtin_add_overflow(t, d4, &t))
        goto out;
    out->tv_sec = t;
    out->tv_nsec = norm;
    ret = 0;
out:
    return ret;
}
