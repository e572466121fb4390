/* date.c — print the date and time in a format (+FORMAT, -I, -R,
 * --rfc-3339), of now, of a date string (-d, -f FILE, one per line), or of a
 * file's mtime (-r); -u for UTC. Setting the clock (-s, MMDDhhmm[[CC]YY][.ss])
 * is refused like for a non-root user, then the date is printed anyway.
 * Formatting and parsing live in lib/timefmt.c (no host time zone state). */
#include "cmd/cmd.h"
#include "lib/timefmt.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

static const char date_help[] =
    "Usage: %s [OPTION]... [+FORMAT]\n"
    "  or:  %s [-u|--utc|--universal] [MMDDhhmm[[CC]YY][.ss]]\n"
    "Display date and time in the given FORMAT.\n"
    "With -s, or with [MMDDhhmm[[CC]YY][.ss]], set the date and time.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -d, --date=STRING          display time described by STRING, not 'now'\n"
    "      --debug                annotate the parsed date,\n"
    "                              and warn about questionable usage to stderr\n"
    "  -f, --file=DATEFILE        like --date; once for each line of DATEFILE\n"
    "  -I[FMT], --iso-8601[=FMT]  output date/time in ISO 8601 format.\n"
    "                               FMT='date' for date only (the default),\n"
    "                               'hours', 'minutes', 'seconds', or 'ns'\n"
    "                               for date and time to the indicated precision.\n"
    "                               Example: 2006-08-14T02:34:56-06:00\n"
    "  --resolution               output the available resolution of timestamps\n"
    "                               Example: 0.000000001\n"
    "  -R, --rfc-email            output date and time in RFC 5322 format.\n"
    "                               Example: Mon, 14 Aug 2006 02:34:56 -0600\n"
    "      --rfc-3339=FMT         output date/time in RFC 3339 format.\n"
    "                               FMT='date', 'seconds', or 'ns'\n"
    "                               for date and time to the indicated precision.\n"
    "                               Example: 2006-08-14 02:34:56-06:00\n"
    "  -r, --reference=FILE       display the last modification time of FILE\n"
    "  -s, --set=STRING           set time described by STRING\n"
    "  -u, --utc, --universal     print or set Coordinated Universal Time (UTC)\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "FORMAT controls the output.  Interpreted sequences are:\n"
    "\n"
    "  %%%%   a literal %%\n"
    "  %%a   locale's abbreviated weekday name (e.g., Sun)\n"
    "  %%A   locale's full weekday name (e.g., Sunday)\n"
    "  %%b   locale's abbreviated month name (e.g., Jan)\n"
    "  %%B   locale's full month name (e.g., January)\n"
    "  %%c   locale's date and time (e.g., Thu Mar  3 23:05:25 2005)\n"
    "  %%C   century; like %%Y, except omit last two digits (e.g., 20)\n"
    "  %%d   day of month (e.g., 01)\n"
    "  %%D   date; same as %%m/%%d/%%y\n"
    "  %%e   day of month, space padded; same as %%_d\n"
    "  %%F   full date; like %%+4Y-%%m-%%d\n"
    "  %%g   last two digits of year of ISO week number (see %%G)\n"
    "  %%G   year of ISO week number (see %%V); normally useful only with %%V\n"
    "  %%h   same as %%b\n"
    "  %%H   hour (00..23)\n"
    "  %%I   hour (01..12)\n"
    "  %%j   day of year (001..366)\n"
    "  %%k   hour, space padded ( 0..23); same as %%_H\n"
    "  %%l   hour, space padded ( 1..12); same as %%_I\n"
    "  %%m   month (01..12)\n"
    "  %%M   minute (00..59)\n"
    "  %%n   a newline\n"
    "  %%N   nanoseconds (000000000..999999999)\n"
    "  %%p   locale's equivalent of either AM or PM; blank if not known\n"
    "  %%P   like %%p, but lower case\n"
    "  %%q   quarter of year (1..4)\n"
    "  %%r   locale's 12-hour clock time (e.g., 11:11:04 PM)\n"
    "  %%R   24-hour hour and minute; same as %%H:%%M\n"
    "  %%s   seconds since the Epoch (1970-01-01 00:00 UTC)\n"
    "  %%S   second (00..60)\n"
    "  %%t   a tab\n"
    "  %%T   time; same as %%H:%%M:%%S\n"
    "  %%u   day of week (1..7); 1 is Monday\n"
    "  %%U   week number of year, with Sunday as first day of week (00..53)\n"
    "  %%V   ISO week number, with Monday as first day of week (01..53)\n"
    "  %%w   day of week (0..6); 0 is Sunday\n"
    "  %%W   week number of year, with Monday as first day of week (00..53)\n"
    "  %%x   locale's date representation (e.g., 12/31/99)\n"
    "  %%X   locale's time representation (e.g., 23:13:48)\n"
    "  %%y   last two digits of year (00..99)\n"
    "  %%Y   year\n"
    "  %%z   +hhmm numeric time zone (e.g., -0400)\n"
    "  %%:z  +hh:mm numeric time zone (e.g., -04:00)\n"
    "  %%::z  +hh:mm:ss numeric time zone (e.g., -04:00:00)\n"
    "  %%:::z  numeric time zone with : to necessary precision (e.g., -04, +05:30)\n"
    "  %%Z   alphabetic time zone abbreviation (e.g., EDT)\n"
    "\n"
    "By default, date pads numeric fields with zeroes.\n"
    "The following optional flags may follow '%%':\n"
    "\n"
    "  -  (hyphen) do not pad the field\n"
    "  _  (underscore) pad with spaces\n"
    "  0  (zero) pad with zeros\n"
    "  +  pad with zeros, and put '+' before future years with >4 digits\n"
    "  ^  use upper case if possible\n"
    "  #  use opposite case if possible\n"
    "\n"
    "After any flags comes an optional field width, as a decimal number;\n"
    "then an optional modifier, which is either\n"
    "E to use the locale's alternate representations if available, or\n"
    "O to use the locale's alternate numeric symbols if available.\n"
    "\n"
    "Examples:\n"
    "Convert seconds since the Epoch (1970-01-01 UTC) to a date\n"
    "  $ date --date='@2147483647'\n"
    "\n"
    "Show the time on the west coast of the US (use tzselect(1) to find TZ)\n"
    "  $ TZ='America/Los_Angeles' date\n"
    "\n"
    "Show the local time for 9AM next Friday on the west coast of the US\n"
    "  $ date --date='TZ=\"America/Los_Angeles\" 09:00 next Fri'\n"
    "\n"
    COREUTILS_HELP_TAIL("date", "date");

enum { OPT_RESOLUTION = 256, OPT_RFC3339, OPT_DEBUG };
static const struct opt_long longs[] = {{"date", OPT_ARG, 'd'},
                                        {"file", OPT_ARG, 'f'},
                                        {"iso-8601", OPT_OPTARG, 'I'},
                                        {"reference", OPT_ARG, 'r'},
                                        {"resolution", OPT_NOARG, OPT_RESOLUTION},
                                        {"rfc-email", OPT_NOARG, 'R'},
                                        {"rfc-822", OPT_NOARG, 'R'},
                                        {"rfc-2822", OPT_NOARG, 'R'},
                                        {"rfc-3339", OPT_ARG, OPT_RFC3339},
                                        {"set", OPT_ARG, 's'},
                                        {"uct", OPT_NOARG, 'u'},
                                        {"utc", OPT_NOARG, 'u'},
                                        {"universal", OPT_NOARG, 'u'},
                                        {0}};
static const struct opt_spec spec = {.name = "date",
                                     .shorts = "d:f:I::r:Rs:u",
                                     .longs = longs,
                                     .help = date_help,
                                     .authors = "David MacKenzie"};

static const char rfc_email_format[] = "%a, %d %b %Y %H:%M:%S %z";

struct date {
    struct proc *p;
    struct obuf out;
    struct tf_zone zone;
    const char *format;
};

/* Print t in the format; false (message given) when out of range. */
static bool show_date(struct date *d, const struct timespec *t)
{
    struct tm tm;
    if (!tf_localtime(&d->zone, t->tv_sec, &tm)) {
        char num[32];
        snprintf(num, sizeof num, "%lld", (long long)t->tv_sec);
        cmd_error(d->p, "time %s is out of range", cmd_quote(d->p, num));
        return false;
    }
    char small[1024];
    size_t n = tf_strftime(small, sizeof small, d->format, &tm, t->tv_nsec);
    if (n < sizeof small) {
        obuf_write(&d->out, small, n);
    } else {
        char *big = n < ((size_t)1 << 30) ? p_malloc(d->p, n + 1) : NULL;
        if (!big) {
            cmd_error(d->p, "memory exhausted");
            return false;
        }
        tf_strftime(big, n + 1, d->format, &tm, t->tv_nsec);
        obuf_write(&d->out, big, n);
        p_free(d->p, big);
    }
    obuf_putc(&d->out, '\n');
    return true;
}

/* POSIX touch/date time: MMDDhhmm[[CC]YY][.ss], year at the end. */
static bool posixtime(const struct tf_zone *z, const struct timespec *now, const char *s,
                      struct timespec *out)
{
    size_t len = strlen(s);
    const char *dot = strchr(s, '.');
    size_t dlen = dot ? (size_t)(dot - s) : len;
    if (dot &&
        (len - dlen != 3 || !isdigit((unsigned char)dot[1]) || !isdigit((unsigned char)dot[2])))
        return false;
    if (dlen != 8 && dlen != 10 && dlen != 12) return false;
    for (size_t i = 0; i < dlen; i++)
        if (!isdigit((unsigned char)s[i])) return false;
    int v[6];
    for (size_t i = 0; i < dlen / 2; i++) v[i] = (s[2 * i] - '0') * 10 + (s[2 * i + 1] - '0');
    struct tm tm;
    tf_localtime(z, now->tv_sec, &tm);
    int year = tm.tm_year + 1900;
    if (dlen == 10) year = v[4] + (v[4] < 69 ? 2000 : 1900);
    if (dlen == 12) year = v[4] * 100 + v[5];
    struct tm want = {0};
    want.tm_year = year - 1900;
    want.tm_mon = v[0] - 1;
    want.tm_mday = v[1];
    want.tm_hour = v[2];
    want.tm_min = v[3];
    want.tm_sec = dot ? (dot[1] - '0') * 10 + (dot[2] - '0') : 0;
    want.tm_isdst = -1;
    struct tm got = want;
    int64_t t;
    bool leap = want.tm_sec == 60;
    if (leap) got.tm_sec = 59;
    if (!tf_mktime(z, &got, &t)) return false;
    if (got.tm_year != want.tm_year || got.tm_mon != want.tm_mon || got.tm_mday != want.tm_mday ||
        got.tm_hour != want.tm_hour || got.tm_min != want.tm_min ||
        got.tm_sec != (leap ? 59 : want.tm_sec))
        return false;
    out->tv_sec = t + leap;
    out->tv_nsec = 0;
    return true;
}

/* -f: one date per line. */
static bool batch_convert(struct date *d, const char *file, const struct timespec *now,
                          const char *tz)
{
    struct proc *p = d->p;
    int fd = cmd_open_input(p, file);
    if (fd < 0) {
        cmd_file_error(p, file, fd);
        return false;
    }
    struct ibuf in;
    ibuf_init(&in, p, fd);
    bool ok = true;
    char *line;
    ssize_t n;
    while ((n = ibuf_getline(&in, &line)) > 0) {
        if (proc_check(p) < 0) break;
        if (line[n - 1] == '\n') n--;
        char *copy = p_strndup(p, line, (size_t)n);
        if (!copy) {
            cmd_error(p, "memory exhausted");
            ok = false;
            break;
        }
        struct timespec t;
        if (parse_datetime(copy, now, tz, &t) < 0) {
            cmd_error(p, "invalid date %s", cmd_quote(p, copy));
            ok = false;
        } else {
            ok &= show_date(d, &t);
        }
        p_free(p, copy);
    }
    if (n < 0 && n != -EINTR) {
        cmd_file_error(p, file, (int)n);
        ok = false;
    }
    ibuf_free(&in);
    cmd_close_input(p, fd);
    return ok;
}

int cmd_date(struct proc *p, int argc, char **argv)
{
    static const char *const iso_names[] = {"hours", "minutes", "date", "seconds", "ns", NULL};
    static const char *const iso_formats[] = {"%Y-%m-%dT%H%:z", "%Y-%m-%dT%H:%M%:z", "%Y-%m-%d",
                                              "%Y-%m-%dT%H:%M:%S%:z", "%Y-%m-%dT%H:%M:%S,%N%:z"};
    static const char *const rfc_names[] = {"date", "seconds", "ns", NULL};
    static const char *const rfc_formats[] = {"%Y-%m-%d", "%Y-%m-%d %H:%M:%S%:z",
                                              "%Y-%m-%d %H:%M:%S.%N%:z"};
    struct date d = {.p = p};
    const char *datestr = NULL, *batch = NULL, *reference = NULL, *set_str = NULL;
    bool resolution = false, set_date = false;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        const char *fmt = NULL;
        int i;
        switch (c) {
        case 'd': datestr = o.arg; break;
        case 'f': batch = o.arg; break;
        case OPT_RESOLUTION: resolution = true; break;
        case OPT_RFC3339:
            if ((i = opt_argmatch(&o, "--rfc-3339", o.arg, rfc_names)) < 0) return o.status;
            fmt = rfc_formats[i];
            break;
        case 'I':
            i = 2;
            if (o.arg && (i = opt_argmatch(&o, "--iso-8601", o.arg, iso_names)) < 0)
                return o.status;
            fmt = iso_formats[i];
            break;
        case 'r': reference = o.arg; break;
        case 'R': fmt = rfc_email_format; break;
        case 's':
            set_str = o.arg;
            set_date = true;
            break;
        case 'u': proc_setenv(p, "TZ", "UTC0"); break;
        case OPT_EXIT: return o.status;
        }
        if (fmt) {
            if (d.format) {
                cmd_error(p, "multiple output formats specified");
                return 1;
            }
            d.format = fmt;
        }
    }
    int specified = !!datestr + !!batch + !!reference + resolution;
    if (specified > 1) {
        cmd_error(p, "the options to specify dates for printing are mutually exclusive");
        return opt_usage_error(&o, NULL);
    }
    if (set_date && specified) {
        cmd_error(p, "the options to print and set the time may not be used together");
        return opt_usage_error(&o, NULL);
    }
    if (o.ind < argc) {
        if (o.ind + 1 < argc) {
            cmd_error(p, "extra operand %s", cmd_quote(p, argv[o.ind + 1]));
            return opt_usage_error(&o, NULL);
        }
        if (argv[o.ind][0] == '+') {
            if (d.format) {
                cmd_error(p, "multiple output formats specified");
                return 1;
            }
            d.format = argv[o.ind++] + 1;
        } else if (set_date || specified) {
            cmd_error(p,
                      "the argument %s lacks a leading '+';\n"
                      "when using an option to specify date(s), any non-option\n"
                      "argument must be a format string beginning with '+'",
                      cmd_quote(p, argv[o.ind]));
            return opt_usage_error(&o, NULL);
        }
    }
    if (!d.format) d.format = resolution ? "%s.%N" : "%a %b %e %H:%M:%S %Z %Y";
    const char *tz = proc_getenv(p, "TZ");
    tf_zone_load(&d.zone, tz);
    struct timespec now, when;
    sys_clock_gettime(p, CLOCK_REALTIME, &now);
    obuf_init(&d.out, p, 1);
    bool ok = true;
    if (batch) {
        ok = batch_convert(&d, batch, &now, tz);
        return cmd_close_stdout(p, &d.out, ok ? 0 : 1);
    }
    bool valid = true;
    if (!specified && !set_date) {
        if (o.ind < argc) {
            set_date = true;
            datestr = argv[o.ind];
            valid = posixtime(&d.zone, &now, datestr, &when);
        } else {
            when = now;
        }
    } else if (reference) {
        struct stat st;
        int r = sys_stat(p, reference, &st);
        if (r < 0) {
            cmd_file_error(p, reference, r);
            obuf_free(&d.out);
            return 1;
        }
        when = st.st_mtim;
    } else if (resolution) {
        when.tv_sec = 0;
        when.tv_nsec = 1;
    } else {
        if (set_str) datestr = set_str;
        valid = parse_datetime(datestr, &now, tz, &when) == 0;
    }
    if (!valid) {
        cmd_error(p, "invalid date %s", cmd_quote(p, datestr));
        obuf_free(&d.out);
        return 1;
    }
    if (set_date) {
        /* Only root may set the clock, and the VM's clock is not settable. */
        cmd_errno(p, EPERM, "cannot set date");
        ok = false;
    }
    ok &= show_date(&d, &when);
    return cmd_close_stdout(p, &d.out, ok ? 0 : 1);
}
