/* datetime.h — GNU date strings (gnulib parse_datetime) for touch -d and
 * friends, and POSIX touch -t stamps. Times are taken in UTC (the VM's
 * zone; a TZ other than UTC is not modelled).
 *
 * Understood: "@SECONDS[.FRAC]"; ISO dates "2024-01-02", "2024-01-02T03:04:05",
 * "2024-01-02 03:04:05.123 +0100"; "01/02/2024", "1/2"; "Jan 2 2024",
 * "2 January 2024", "2-Jan-2024"; times "3:04", "3:04:05pm", "15:04Z";
 * bare numbers "20240102" (date) and "0304" (time); zones Z UTC UT GMT and
 * +HH[:MM]; weekdays ("monday", "next friday"); relative items "now",
 * "today", "yesterday", "tomorrow", "[+-]N unit", "N unit ago", "next week",
 * "last month" with units year month fortnight week day hour minute min
 * second sec (and plurals). */
#ifndef VOS_LIB_DATETIME_H
#define VOS_LIB_DATETIME_H

#include <stdbool.h>
#include <time.h>

/* Parse s relative to now; true with *out set, false when invalid. */
bool dt_parse(const char *s, const struct timespec *now, struct timespec *out);
/* touch -t: [[CC]YY]MMDDhhmm[.ss]; false when invalid. */
bool dt_posixtime(const char *s, const struct timespec *now, time_t *out);

#endif
