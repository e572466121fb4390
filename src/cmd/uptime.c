/* uptime.c — how long the VM has been up (procps-ng 4.0.2 uptime): the time
 * of day in the VM's zone, the uptime from /proc/uptime, no logged-in
 * users, and the load averages of a VM (always 0.00). -p pretty, -s since. */
#include "cmd/cmd.h"
#include "lib/timefmt.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage_text[] = "\n"
                                 "Usage:\n"
                                 " %s [options]\n"
                                 "\n"
                                 "Options:\n"
                                 " -p, --pretty   show uptime in pretty format\n"
                                 " -h, --help     display this help and exit\n"
                                 " -s, --since    system up since\n"
                                 " -V, --version  output version information and exit\n"
                                 "\n"
                                 "For more details see uptime(1).\n";

static const struct opt_long longs[] = {{"pretty", OPT_NOARG, 'p'},
                                        {"help", OPT_NOARG, 'h'},
                                        {"since", OPT_NOARG, 's'},
                                        {"version", OPT_NOARG, 'V'},
                                        {0}};
static const struct opt_spec spec = {
    .name = "uptime", .shorts = "phsV", .longs = longs, .try_text = "", .flags = OPT_NO_HELP};

static void usage(struct proc *p, int fd)
{
    struct sbuf sb;
    sbuf_init(&sb, p);
    const char *prog = cmd_prog(p), *slash = strrchr(prog, '/');
    sbuf_printf(&sb, usage_text, slash ? slash + 1 : prog);
    if (sb.s) io_write_all(p, fd, sb.s, sb.len);
    sbuf_free(&sb);
}

static void piece(struct obuf *o, bool *first, long n, const char *one, const char *many)
{
    if (!n) return;
    obuf_printf(o, "%s%ld %s", *first ? "" : ", ", n, n != 1 ? many : one);
    *first = false;
}

int cmd_uptime(struct proc *p, int argc, char **argv)
{
    bool pretty = false, since = false;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'p': pretty = true; break;
        case 's': since = true; break;
        case 'h': usage(p, 1); return 0;
        case 'V': {
            static const char v[] = "uptime from procps-ng 4.0.2\n";
            io_write_all(p, 1, v, sizeof v - 1);
            return 0;
        }
        case OPT_EXIT: usage(p, 2); return 1;
        }
    }
    if (o.ind < argc) {
        usage(p, 2);
        return 1;
    }
    char text[128];
    int fd = sys_open(p, "/proc/uptime", O_RDONLY, 0);
    ssize_t r = fd >= 0 ? sys_read(p, fd, text, sizeof text - 1) : fd;
    if (fd >= 0) sys_close(p, fd);
    if (r < 0) {
        cmd_errno(p, (int)r, "/proc/uptime");
        return 1;
    }
    text[r] = 0;
    double up = strtod(text, NULL);
    struct timespec now;
    sys_clock_gettime(p, CLOCK_REALTIME, &now);
    struct tf_zone zone;
    tf_zone_load(&zone, proc_getenv(p, "TZ"));
    struct tm tm;
    struct obuf out;
    obuf_init(&out, p, 1);
    long secs = (long)up;
    if (since) {
        char buf[64];
        tf_localtime(&zone, now.tv_sec - secs, &tm);
        tf_strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm, 0);
        obuf_printf(&out, "%s\n", buf);
        return cmd_close_stdout(p, &out, 0);
    }
    if (pretty) {
        long mins = secs / 60 % 60, hours = secs / 3600 % 24, days = secs / 86400 % 7,
             weeks = secs / (86400 * 7) % 52, years = secs / (86400L * 365) % 10,
             decades = secs / (86400L * 365 * 10);
        bool first = true;
        obuf_puts(&out, "up ");
        piece(&out, &first, decades, "decade", "decades");
        piece(&out, &first, years, "year", "years");
        piece(&out, &first, weeks, "week", "weeks");
        piece(&out, &first, days, "day", "days");
        piece(&out, &first, hours, "hour", "hours");
        piece(&out, &first, mins, "minute", "minutes");
        if (first) obuf_printf(&out, "%ld %s", mins, mins != 1 ? "minutes" : "minute");
        obuf_putc(&out, '\n');
        return cmd_close_stdout(p, &out, 0);
    }
    tf_localtime(&zone, now.tv_sec, &tm);
    obuf_printf(&out, " %02d:%02d:%02d up ", tm.tm_hour, tm.tm_min, tm.tm_sec);
    long days = secs / 86400;
    if (days) obuf_printf(&out, "%ld day%s, ", days, days != 1 ? "s" : "");
    long mins = secs / 60, hours = mins / 60 % 24;
    mins %= 60;
    if (hours)
        obuf_printf(&out, "%2ld:%02ld, ", hours, mins);
    else
        obuf_printf(&out, "%ld min, ", mins);
    obuf_printf(&out, "%2d %s,  load average: %.2f, %.2f, %.2f\n", 0, "user", 0.0, 0.0, 0.0);
    return cmd_close_stdout(p, &out, 0);
}
