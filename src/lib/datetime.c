/* datetime.c — a hand-written parser for the GNU date strings agents use
 * (see datetime.h), following gnulib parse_datetime's rules: date and time
 * items set fields, relative items add to them, and the date must be a
 * real one (2024-02-30 is refused). */
#include "lib/datetime.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

struct dt {
    const char *s;
    int dates, times, zones, days, rels, years_after;
    long year, month, day;
    int year_digits;
    long hour, min, sec, nsec;
    int meridian; /* 0 24h, 1 am, 2 pm */
    long zone;    /* minutes east of UTC */
    long rel_year, rel_month, rel_day, rel_hour, rel_min, rel_sec;
    long day_ordinal, day_number;
};

static void skip_space(struct dt *d)
{
    while (*d->s && (isspace((unsigned char)*d->s) || *d->s == ',')) d->s++;
}

static int digits(const char *s)
{
    int n = 0;
    while (isdigit((unsigned char)s[n])) n++;
    return n;
}

static bool read_num(struct dt *d, long *v, int *nd)
{
    int n = digits(d->s);
    if (!n || n > 18) return false;
    long x = 0;
    for (int i = 0; i < n; i++) x = x * 10 + (d->s[i] - '0');
    d->s += n;
    *v = x;
    if (nd) *nd = n;
    return true;
}

/* ".123456789" after seconds: nanoseconds (extra digits truncate). */
static long read_frac(struct dt *d)
{
    long ns = 0;
    if ((*d->s == '.' || *d->s == ',') && isdigit((unsigned char)d->s[1])) {
        d->s++;
        int i = 0;
        for (; isdigit((unsigned char)*d->s); d->s++, i++)
            if (i < 9) ns = ns * 10 + (*d->s - '0');
        for (; i < 9; i++) ns *= 10;
    }
    return ns;
}

static const char *const months[] = {"january", "february", "march",     "april",
                                     "may",     "june",     "july",      "august",
                                     "september", "october", "november", "december"};
static const char *const wdays[] = {"sunday",   "monday", "tuesday", "wednesday",
                                    "thursday", "friday", "saturday"};

static int match_month(const char *w)
{
    if (!strcmp(w, "sept")) return 9;
    for (int i = 0; i < 12; i++)
        if (!strcmp(w, months[i]) || (strlen(w) == 3 && !strncmp(w, months[i], 3))) return i + 1;
    return 0;
}

static int match_wday(const char *w)
{
    size_t n = strlen(w);
    if (n && w[n - 1] == '.') n--;
    for (int i = 0; i < 7; i++) {
        if (n == strlen(wdays[i]) && !strncmp(w, wdays[i], n)) return i;
        if (n == 3 && !strncmp(w, wdays[i], 3)) return i;
        if (!strcmp(w, "tues") && i == 2) return i;
        if (!strcmp(w, "wednes") && i == 3) return i;
        if (!strcmp(w, "thur") && i == 4) return i;
        if (!strcmp(w, "thurs") && i == 4) return i;
    }
    return -1;
}

/* The multiplier of a relative unit word: which field and how much. */
enum { U_NONE, U_YEAR, U_MONTH, U_DAY, U_HOUR, U_MIN, U_SEC };
static int match_unit(const char *w, long *mult)
{
    static const struct {
        const char *name;
        int unit;
        long mult;
    } units[] = {{"year", U_YEAR, 1},   {"month", U_MONTH, 1},     {"fortnight", U_DAY, 14},
                 {"week", U_DAY, 7},    {"day", U_DAY, 1},         {"hour", U_HOUR, 1},
                 {"minute", U_MIN, 1},  {"min", U_MIN, 1},         {"second", U_SEC, 1},
                 {"sec", U_SEC, 1}};
    size_t n = strlen(w);
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t k = strlen(units[i].name);
        if ((n == k && !strncmp(w, units[i].name, k)) ||
            (n == k + 1 && !strncmp(w, units[i].name, k) && w[k] == 's')) {
            *mult = units[i].mult;
            return units[i].unit;
        }
    }
    return U_NONE;
}

static bool add_rel(struct dt *d, int unit, long n)
{
    long *f = unit == U_YEAR    ? &d->rel_year
              : unit == U_MONTH ? &d->rel_month
              : unit == U_DAY   ? &d->rel_day
              : unit == U_HOUR  ? &d->rel_hour
              : unit == U_MIN   ? &d->rel_min
                                : &d->rel_sec;
    if (__builtin_add_overflow(*f, n, f)) return false;
    d->rels++;
    return true;
}

static void read_word(struct dt *d, char *w, size_t cap)
{
    size_t n = 0;
    while (isalpha((unsigned char)*d->s) || (*d->s == '.' && n > 0 && isalpha((unsigned char)d->s[1]))) {
        if (n + 1 < cap) w[n++] = (char)tolower((unsigned char)*d->s);
        d->s++;
    }
    if (*d->s == '.' && n > 0) {
        /* "a.m." and abbreviations like "Jan." */
        if (n + 1 < cap) w[n++] = '.';
        d->s++;
    }
    w[n] = 0;
}

/* A zone after a time: "Z", "UTC", "+0100", "-05:30". */
static bool try_zone(struct dt *d)
{
    const char *save = d->s;
    skip_space(d);
    if ((*d->s == '+' || *d->s == '-') && isdigit((unsigned char)d->s[1])) {
        int sign = *d->s == '-' ? -1 : 1;
        d->s++;
        long v;
        int nd;
        read_num(d, &v, &nd);
        long h, m = 0;
        if (*d->s == ':' && isdigit((unsigned char)d->s[1])) {
            d->s++;
            int md;
            read_num(d, &m, &md);
            h = v;
            if (nd > 2 || md != 2) return false;
        } else if (nd <= 2) {
            h = v;
        } else if (nd <= 4) {
            h = v / 100, m = v % 100;
        } else {
            return false;
        }
        if (h > 24 || m > 59) return false;
        d->zone = sign * (h * 60 + m);
        d->zones++;
        return true;
    }
    d->s = save;
    return true;
}

static bool parse_time(struct dt *d, long h)
{
    /* d->s is at ':' */
    long m, sec = 0, ns = 0;
    int nd;
    d->s++;
    if (!read_num(d, &m, &nd) || nd > 2) return false;
    if (*d->s == ':' && isdigit((unsigned char)d->s[1])) {
        d->s++;
        if (!read_num(d, &sec, &nd) || nd > 2) return false;
        ns = read_frac(d);
    }
    d->hour = h, d->min = m, d->sec = sec, d->nsec = ns;
    d->times++;
    /* meridian or zone may follow */
    const char *save = d->s;
    skip_space(d);
    if (isalpha((unsigned char)*d->s)) {
        char w[16];
        const char *ws = d->s;
        read_word(d, w, sizeof w);
        if (!strcmp(w, "am") || !strcmp(w, "a.m.")) d->meridian = 1;
        else if (!strcmp(w, "pm") || !strcmp(w, "p.m.")) d->meridian = 2;
        else d->s = ws;
    } else {
        d->s = save;
    }
    if (*d->s == '+' || *d->s == '-' || isspace((unsigned char)*d->s)) {
        const char *z = d->s;
        skip_space(d);
        if ((*d->s == '+' || *d->s == '-') && isdigit((unsigned char)d->s[1])) {
            /* A sign right after a time is a zone unless a unit follows. */
            const char *t = d->s + 1;
            while (isdigit((unsigned char)*t)) t++;
            if (*t == ':') return try_zone(d);
            while (isspace((unsigned char)*t)) t++;
            char w[32];
            size_t n = 0;
            while (isalpha((unsigned char)*t) && n + 1 < sizeof w) w[n++] = (char)tolower((unsigned char)*t++);
            w[n] = 0;
            long mult;
            if (!n || !match_unit(w, &mult)) return try_zone(d);
        }
        d->s = z;
    }
    return true;
}

static bool set_date(struct dt *d, long y, int yd, long m, long day)
{
    d->year = y, d->year_digits = yd, d->month = m, d->day = day;
    d->dates++;
    return true;
}

/* After a month name or "DD Month": an optional day and year. */
static bool parse_item(struct dt *d);

static bool parse_number_item(struct dt *d, int sign)
{
    const char *start = d->s;
    long v;
    int nd;
    if (!read_num(d, &v, &nd)) return false;
    if (!sign && *d->s == '-' && isdigit((unsigned char)d->s[1])) {
        /* ISO 8601 date Y-M-D */
        long m, day;
        int md, dd;
        d->s++;
        if (!read_num(d, &m, &md)) return false;
        if (*d->s != '-' || !isdigit((unsigned char)d->s[1])) return false;
        d->s++;
        if (!read_num(d, &day, &dd)) return false;
        set_date(d, v, nd, m, day);
        if ((*d->s == 'T' || *d->s == 't') && isdigit((unsigned char)d->s[1])) {
            d->s++;
            long h;
            if (!read_num(d, &h, &nd)) return false;
            if (*d->s != ':') return false;
            return parse_time(d, h);
        }
        return true;
    }
    if (!sign && *d->s == '-' && isalpha((unsigned char)d->s[1])) {
        /* 2-Jan-2024 */
        d->s++;
        char w[32];
        read_word(d, w, sizeof w);
        int mon = match_month(w);
        if (!mon) return false;
        long y = 0;
        int yd = 0;
        if (*d->s == '-' && isdigit((unsigned char)d->s[1])) {
            d->s++;
            read_num(d, &y, &yd);
            return set_date(d, y, yd, mon, v);
        }
        return set_date(d, 0, 0, mon, v);
    }
    if (!sign && *d->s == '/') {
        long b, c = 0;
        int bd, cd = 0;
        d->s++;
        if (!read_num(d, &b, &bd)) return false;
        if (*d->s == '/' && isdigit((unsigned char)d->s[1])) {
            d->s++;
            read_num(d, &c, &cd);
        }
        if (nd >= 3) /* Y/M/D */
            return cd ? set_date(d, v, nd, b, c) : false;
        return set_date(d, c, cd, v, b);
    }
    if (!sign && *d->s == ':') return parse_time(d, v);
    /* A number followed by a unit or a month. */
    const char *after = d->s;
    skip_space(d);
    if (isalpha((unsigned char)*d->s)) {
        const char *ws = d->s;
        char w[32];
        read_word(d, w, sizeof w);
        long mult;
        int unit = match_unit(w, &mult);
        if (unit) {
            long n = sign < 0 ? -v : v;
            if (__builtin_mul_overflow(n, mult, &n)) return false;
            /* "ago" right after negates this item */
            const char *s2 = d->s;
            skip_space(d);
            if (isalpha((unsigned char)*d->s)) {
                const char *w2s = d->s;
                char w2[16];
                read_word(d, w2, sizeof w2);
                if (!strcmp(w2, "ago")) n = -n;
                else d->s = w2s;
            } else {
                d->s = s2;
            }
            return add_rel(d, unit, n);
        }
        int mon = sign ? 0 : match_month(w);
        if (mon) {
            /* "2 Jan [2024]" */
            const char *s2 = d->s;
            skip_space(d);
            long y;
            int yd;
            if (isdigit((unsigned char)*d->s) && (digits(d->s) >= 3 || d->s[digits(d->s)] != ':')) {
                read_num(d, &y, &yd);
                if (*d->s == ':') {
                    d->s = s2;
                    return set_date(d, 0, 0, mon, v);
                }
                return set_date(d, y, yd, mon, v);
            }
            d->s = s2;
            return set_date(d, 0, 0, mon, v);
        }
        d->s = ws;
    }
    d->s = after;
    if (sign) {
        /* a signed number with no unit: a zone after a time, else invalid */
        d->s = start - 1;
        if (d->times) return try_zone(d) && d->zones;
        return false;
    }
    /* bare number (parse-datetime's digits_to_date_time) */
    if (d->dates && !d->year_digits && !d->rels && (d->times || nd > 2)) {
        d->year = v, d->year_digits = nd;
        d->years_after++;
    } else if (nd > 4) {
        set_date(d, v / 10000, nd - 4, (v / 100) % 100, v % 100);
    } else {
        d->times++;
        if (nd <= 2) d->hour = v, d->min = 0;
        else d->hour = v / 100, d->min = v % 100;
        d->sec = 0, d->nsec = 0, d->meridian = 0;
        const char *s2 = d->s;
        skip_space(d);
        if (isalpha((unsigned char)*d->s)) {
            char w[16];
            read_word(d, w, sizeof w);
            if (!strcmp(w, "am") || !strcmp(w, "a.m.")) d->meridian = 1;
            else if (!strcmp(w, "pm") || !strcmp(w, "p.m.")) d->meridian = 2;
            else d->s = s2;
        } else {
            d->s = s2;
        }
    }
    return true;
}

static bool parse_item(struct dt *d)
{
    char c = *d->s;
    if (isdigit((unsigned char)c)) return parse_number_item(d, 0);
    if ((c == '+' || c == '-') && isdigit((unsigned char)d->s[1])) {
        d->s++;
        return parse_number_item(d, c == '-' ? -1 : 1);
    }
    if (!isalpha((unsigned char)c)) return false;
    char w[32];
    read_word(d, w, sizeof w);
    if (!strcmp(w, "now") || !strcmp(w, "today")) {
        d->rels++;
        return true;
    }
    if (!strcmp(w, "yesterday")) return add_rel(d, U_DAY, -1);
    if (!strcmp(w, "tomorrow")) return add_rel(d, U_DAY, 1);
    if (!strcmp(w, "utc") || !strcmp(w, "gmt") || !strcmp(w, "ut") || !strcmp(w, "z")) {
        d->zone = 0;
        d->zones++;
        return true;
    }
    if (!strcmp(w, "t") && isdigit((unsigned char)*d->s)) return true; /* ISO 'T' */
    long mult;
    int unit = match_unit(w, &mult);
    if (unit) {
        long n = mult;
        const char *s2 = d->s;
        skip_space(d);
        if (isalpha((unsigned char)*d->s)) {
            const char *w2s = d->s;
            char w2[16];
            read_word(d, w2, sizeof w2);
            if (!strcmp(w2, "ago")) n = -n;
            else d->s = w2s;
        } else {
            d->s = s2;
        }
        return add_rel(d, unit, n);
    }
    static const struct {
        const char *name;
        long v;
    } ords[] = {{"last", -1},   {"this", 0},     {"next", 1},     {"first", 1},
                {"third", 3},   {"fourth", 4},   {"fifth", 5},    {"sixth", 6},
                {"seventh", 7}, {"eighth", 8},   {"ninth", 9},    {"tenth", 10},
                {"eleventh", 11}, {"twelfth", 12}};
    for (size_t i = 0; i < sizeof ords / sizeof ords[0]; i++) {
        if (strcmp(w, ords[i].name)) continue;
        skip_space(d);
        char w2[32];
        read_word(d, w2, sizeof w2);
        int u = match_unit(w2, &mult);
        if (u) return add_rel(d, u, ords[i].v * mult);
        int wd = match_wday(w2);
        if (wd >= 0) {
            d->day_ordinal = ords[i].v, d->day_number = wd;
            d->days++;
            return true;
        }
        return false;
    }
    int wd = match_wday(w);
    if (wd >= 0) {
        d->day_ordinal = 0, d->day_number = wd;
        d->days++;
        return true;
    }
    int mon = match_month(w);
    if (mon) {
        /* "Jan 2", "Jan 2 2024", "January 2, 2024", "Jan 2024"? */
        const char *s2 = d->s;
        skip_space(d);
        long day, y;
        int dd, yd;
        if (!isdigit((unsigned char)*d->s)) {
            d->s = s2;
            return false;
        }
        const char *ds = d->s;
        read_num(d, &day, &dd);
        if (*d->s == ':') {
            d->s = ds;
            return false;
        }
        const char *s3 = d->s;
        skip_space(d);
        if (isdigit((unsigned char)*d->s)) {
            const char *ys = d->s;
            read_num(d, &y, &yd);
            if (*d->s == ':') {
                d->s = ys;
                return set_date(d, 0, 0, mon, day);
            }
            return set_date(d, y, yd, mon, day);
        }
        d->s = s3;
        return set_date(d, 0, 0, mon, day);
    }
    if (!strcmp(w, "am") || !strcmp(w, "pm") || !strcmp(w, "a.m.") || !strcmp(w, "p.m.")) return false;
    return false;
}

static bool leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static long days_in_month(long y, long m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : dm[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (any year). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yy + (*m <= 2);
}

static bool epoch(struct dt *d, const char *s, struct timespec *out)
{
    /* "@[-]N[.frac]" */
    bool neg = false;
    while (isspace((unsigned char)*s)) s++;
    if (*s == '-' || *s == '+') neg = *s++ == '-';
    if (!isdigit((unsigned char)*s)) return false;
    int64_t v = 0;
    for (; isdigit((unsigned char)*s); s++)
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *s - '0', &v)) return false;
    d->s = s;
    long ns = read_frac(d);
    s = d->s;
    while (isspace((unsigned char)*s)) s++;
    if (*s) return false;
    if (neg) {
        v = -v;
        if (ns) v--, ns = 1000000000 - ns;
    }
    out->tv_sec = (time_t)v;
    out->tv_nsec = ns;
    return true;
}

bool dt_parse(const char *str, const struct timespec *now, struct timespec *out)
{
    struct dt d;
    memset(&d, 0, sizeof d);
    const char *s = str;
    while (isspace((unsigned char)*s)) s++;
    if (*s == '@') return epoch(&d, s + 1, out);
    d.s = s;
    for (;;) {
        skip_space(&d);
        if (!*d.s) break;
        if (!parse_item(&d)) return false;
    }
    if (d.dates > 1 || d.times > 1 || d.zones > 1 || d.days > 1 || d.years_after > 1) return false;

    int64_t days = now->tv_sec / 86400, secs = now->tv_sec % 86400;
    if (secs < 0) secs += 86400, days--;
    int64_t y, m, dd;
    civil_from_days(days, &y, &m, &dd);
    long ns = now->tv_nsec;
    int64_t hh = secs / 3600, mi = secs / 60 % 60, ss = secs % 60;
    if (d.dates) {
        if (d.year_digits) {
            y = d.year;
            if (d.year_digits == 2) y += y < 69 ? 2000 : 1900;
        }
        m = d.month, dd = d.day;
        if (m < 1 || m > 12 || dd < 1 || dd > days_in_month(y, m)) return false;
    }
    if (d.times) {
        hh = d.hour, mi = d.min, ss = d.sec, ns = d.nsec;
        if (d.meridian) {
            if (hh < 1 || hh > 12) return false;
            hh = hh % 12 + (d.meridian == 2 ? 12 : 0);
        }
        if (hh > 23 || mi > 59 || ss > 60) return false;
        if (ss == 60) ss = 59;
    } else if (d.dates || d.days) {
        hh = mi = ss = 0, ns = 0;
    }
    /* Relative years and months move the calendar fields, days add. */
    int64_t mon0 = y * 12 + (m - 1) + d.rel_year * 12 + d.rel_month;
    y = mon0 >= 0 ? mon0 / 12 : -((-mon0 + 11) / 12);
    m = mon0 - y * 12 + 1;
    int64_t t_days = days_from_civil(y, m, 1) + dd - 1 + d.rel_day;
    if (d.days && !d.dates) {
        int64_t wday = ((t_days % 7) + 11) % 7; /* 1970-01-01 was a Thursday (4) */
        int64_t ord = d.day_ordinal;
        t_days += (d.day_number - wday + 7) % 7 + 7 * (ord - (ord > 0 && wday != d.day_number));
    }
    int64_t t = t_days * 86400 + hh * 3600 + mi * 60 + ss;
    if (d.zones) t -= (int64_t)d.zone * 60;
    t += (int64_t)d.rel_hour * 3600 + (int64_t)d.rel_min * 60 + d.rel_sec;
    out->tv_sec = (time_t)t;
    out->tv_nsec = ns;
    return true;
}

bool dt_posixtime(const char *s, const struct timespec *now, time_t *out)
{
    size_t n = strlen(s);
    const char *dot = strchr(s, '.');
    size_t dl = dot ? (size_t)(dot - s) : n;
    long sec = 0;
    if (dot) {
        if (strlen(dot + 1) != 2 || !isdigit((unsigned char)dot[1]) || !isdigit((unsigned char)dot[2]))
            return false;
        sec = (dot[1] - '0') * 10 + (dot[2] - '0');
    }
    if (dl != 8 && dl != 10 && dl != 12) return false;
    for (size_t i = 0; i < dl; i++)
        if (!isdigit((unsigned char)s[i])) return false;
    long f[6];
    for (size_t i = 0; i < dl / 2; i++) f[i] = (s[2 * i] - '0') * 10 + (s[2 * i + 1] - '0');
    long year, mon, day, h, mi;
    const long *q = f;
    if (dl == 12) {
        year = q[0] * 100 + q[1];
        q += 2;
    } else if (dl == 10) {
        year = q[0] + (q[0] < 69 ? 2000 : 1900);
        q += 1;
    } else {
        year = -1; /* this year */
    }
    mon = q[0], day = q[1], h = q[2], mi = q[3];
    if (year < 0) {
        int64_t yy, mm, dd, z = now->tv_sec / 86400;
        if (now->tv_sec < 0 && now->tv_sec % 86400) z--;
        civil_from_days(z, &yy, &mm, &dd);
        year = (long)yy;
    }
    if (mon < 1 || mon > 12 || day < 1 || day > days_in_month(year, mon) || h > 23 || mi > 59 ||
        sec > 60)
        return false;
    if (sec == 60) sec = 59;
    *out = (time_t)(days_from_civil(year, mon, day) * 86400 + h * 3600 + mi * 60 + sec);
    return true;
}
