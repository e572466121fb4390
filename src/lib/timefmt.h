/* timefmt.h — time zones, time formatting and date parsing for commands
 * (date, touch -d, ls, stat, find -printf, awk's strftime).
 *
 * Nothing here touches the host: no tzset/setenv/localtime, no zoneinfo
 * files. A zone comes from a TZ string:
 *   - NULL or unset: the VM's default zone, UTC;
 *   - "" or ":" : UTC;
 *   - a POSIX TZ string: "EST5EDT,M3.2.0,M11.1.0", "UTC+3", "<+0530>-5:30";
 *   - a zoneinfo name from a small built-in table of common zones with their
 *     current rules ("Europe/Paris", "America/New_York", "Asia/Tokyo", ...).
 *     Historical rule changes are not known: dates before the zone's current
 *     rules started are shown with today's rules. A name not in the table is
 *     read as a POSIX string the way glibc does ("Foo/Bar" is UTC named Foo).
 *
 * tf_strftime is gnulib's nstrftime (what GNU date uses) in the C locale:
 * every conversion, the flags _ - 0 + ^ #, widths, E/O modifiers, %N,
 * %:z %::z %:::z, %q, %P; a bad conversion is copied as is.
 *
 * parse_datetime follows gnulib's parse-datetime grammar: absolute dates
 * (ISO 8601, US m/d/y, "2 Jan 2024", "Jan 2, 2024"), times with am/pm and
 * zone offsets, zone names, weekdays ("next monday"), relative items
 * ("2 days ago", "+3 hours", "tomorrow"), "@EPOCH", TZ="..." prefixes.
 */
#ifndef VOS_LIB_TIMEFMT_H
#define VOS_LIB_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* One DST transition rule of a POSIX TZ string. */
struct tf_rule {
    char kind; /* 'J' (1-365, no leap day), 'D' (0-365), 'M' (month.week.day) */
    int m, w, d;
    long secs; /* local time of day of the change */
};

struct tf_zone {
    char std[32], dst[32]; /* abbreviations */
    long std_off, dst_off; /* seconds east of UTC */
    bool has_dst;
    struct tf_rule start, end;
};

/* Load a zone from a TZ value (see above). Never fails: bad strings end up
 * UTC-like as with glibc. */
void tf_zone_load(struct tf_zone *z, const char *tz);

/* Broken-down local time of t in z (tm_gmtoff, tm_zone and tm_isdst set;
 * tm_zone points into z). false when the year does not fit an int. */
bool tf_localtime(const struct tf_zone *z, int64_t t, struct tm *tm);
/* Broken-down UTC time of t. */
bool tf_gmtime(int64_t t, struct tm *tm);
/* mktime: normalize tm (fields may be out of range) as a local time of z
 * and give its time in *t. tm_isdst < 0 lets the zone decide; a local time
 * skipped by a DST change is taken with the offset before the change.
 * false on overflow. */
bool tf_mktime(const struct tf_zone *z, struct tm *tm, int64_t *t);
/* timegm: seconds since the epoch of tm read as UTC (fields may be out of
 * range; tm is not changed). */
int64_t tf_timegm(const struct tm *tm);

/* gnulib nstrftime in the C locale. Writes at most n bytes (NUL included)
 * to buf and returns the length of the whole result (like snprintf): a
 * result >= n was truncated. nsec is for %N. */
size_t tf_strftime(char *buf, size_t n, const char *fmt, const struct tm *tm, long nsec);

/* Parse a date string like GNU date -d. now is the current time, tz the
 * TZ value (NULL: UTC). 0 with *out set, or -EINVAL. */
int parse_datetime(const char *s, const struct timespec *now, const char *tz, struct timespec *out);

#endif
