/* sleep.c — pause for the sum of the given intervals (suffixes s m h d,
 * fractions, "inf"), interruptibly through sys_nanosleep. */
#include "cmd/cmd.h"

#include <math.h>
#include <stdlib.h>

static const char sleep_help[] =
    "Usage: %s NUMBER[SUFFIX]...\n"
    "  or:  %s OPTION\n"
    "Pause for NUMBER seconds.  SUFFIX may be 's' for seconds (the default),\n"
    "'m' for minutes, 'h' for hours or 'd' for days.  NUMBER need not be an\n"
    "integer.  Given two or more arguments, pause for the amount of time\n"
    "specified by the sum of their values.\n"
    "\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("sleep", "sleep");

static const struct opt_spec spec = {
    .name = "sleep", .shorts = "", .help = sleep_help, .authors = "Jim Meyering and Paul Eggert"};

int cmd_sleep(struct proc *p, int argc, char **argv)
{
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;)
        if (c == OPT_EXIT) return o.status;
    if (o.ind >= argc) return opt_usage_error(&o, "missing operand");
    double total = 0;
    bool ok = true;
    for (int i = o.ind; i < argc; i++) {
        char *end;
        errno = 0;
        double s = strtod(argv[i], &end);
        bool converted = end != argv[i];
        double mult = 1;
        if (converted && *end && !end[1]) {
            switch (*end) {
            case 's': break;
            case 'm': mult = 60; break;
            case 'h': mult = 3600; break;
            case 'd': mult = 86400; break;
            default: converted = false;
            }
        } else if (*end) {
            converted = false;
        }
        if (!converted || s < 0 || isnan(s)) {
            cmd_error(p, "invalid time interval %s", cmd_quote(p, argv[i]));
            ok = false;
            continue;
        }
        total += s * mult;
    }
    if (!ok) return opt_usage_error(&o, NULL);
    struct timespec ts;
    if (total >= 1e15) {
        ts.tv_sec = (time_t)1e15;
        ts.tv_nsec = 0;
    } else {
        ts.tv_sec = (time_t)total;
        /* Round up like xnanosleep: never sleep less than asked. */
        double frac = (total - (double)ts.tv_sec) * 1e9;
        ts.tv_nsec = (long)ceil(frac);
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
    }
    int r = sys_nanosleep(p, &ts);
    if (r < 0 && r != -EINTR) {
        cmd_errno(p, r, "cannot read realtime clock");
        return 1;
    }
    return r < 0 ? 1 : 0;
}
