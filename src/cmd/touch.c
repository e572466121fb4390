/* touch.c — change file timestamps: -a -m -c -d DATE -t STAMP -r FILE -h
 * --time=WORD; missing files are created empty (unless -c or -h). */
#include "cmd/cmd.h"
#include "lib/datetime.h"

#include <fcntl.h>
#include <sys/stat.h>

static const char touch_help[] =
    "Usage: %s [OPTION]... FILE...\n"
    "Update the access and modification times of each FILE to the current time.\n"
    "\n"
    "A FILE argument that does not exist is created empty, unless -c or -h\n"
    "is supplied.\n"
    "\n"
    "A FILE argument string of - is handled specially and causes touch to\n"
    "change the times of the file associated with standard output.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -a                     change only the access time\n"
    "  -c, --no-create        do not create any files\n"
    "  -d, --date=STRING      parse STRING and use it instead of current time\n"
    "  -f                     (ignored)\n"
    "  -h, --no-dereference   affect each symbolic link instead of any referenced\n"
    "                         file (useful only on systems that can change the\n"
    "                         timestamps of a symlink)\n"
    "  -m                     change only the modification time\n"
    "  -r, --reference=FILE   use this file's times instead of current time\n"
    "  -t STAMP               use [[CC]YY]MMDDhhmm[.ss] instead of current time\n"
    "      --time=WORD        change the specified time:\n"
    "                           WORD is access, atime, or use: equivalent to -a\n"
    "                           WORD is modify or mtime: equivalent to -m\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "Note that the -d and -t options accept different time-date formats.\n"
    "\n"
    COREUTILS_HELP_TAIL("touch", "touch")
    ;

enum { OPT_TIME = 256 };
static const struct opt_long longs[] = {{"time", OPT_ARG, OPT_TIME},
                                        {"no-create", OPT_NOARG, 'c'},
                                        {"date", OPT_ARG, 'd'},
                                        {"reference", OPT_ARG, 'r'},
                                        {"no-dereference", OPT_NOARG, 'h'},
                                        {0}};
static const struct opt_spec spec = {.name = "touch",
                                     .shorts = "acd:fhmr:t:",
                                     .longs = longs,
                                     .help = touch_help,
                                     .authors = "Paul Rubin, Arnold Robbins, Jim Kingdon,\n"
                                                "David MacKenzie, and Randy Smith"};

enum { CH_ATIME = 1, CH_MTIME = 2 };
static const char *const time_args[] = {"atime", "access", "use", "mtime", "modify", NULL};
static const int time_masks[] = {CH_ATIME, CH_ATIME, CH_ATIME, CH_MTIME, CH_MTIME};

struct touch {
    struct proc *p;
    bool no_create, no_deref, amtime_now;
    int change;
    struct timespec t[2];
};

static bool touch_one(struct touch *t, const char *file)
{
    struct proc *p = t->p;
    int fd = -1, open_err = 0;
    if (strcmp(file, "-") == 0) {
        fd = 1;
    } else if (!t->no_create && !t->no_deref) {
        fd = sys_open(p, file, O_WRONLY | O_CREAT | O_NONBLOCK | O_NOCTTY, 0666);
        if (fd < 0) open_err = fd, fd = -1;
    }
    struct timespec ts[2] = {t->t[0], t->t[1]};
    if (t->change == CH_MTIME) ts[0].tv_nsec = UTIME_OMIT;
    else if (t->change == CH_ATIME) ts[1].tv_nsec = UTIME_OMIT;
    const struct timespec *tp = t->amtime_now ? NULL : ts;
    int r = fd >= 0 ? sys_futimens(p, fd, tp) : sys_utimens(p, file, tp, t->no_deref);
    if (fd >= 0 && fd != 1) {
        /* fall back to the path when the fd does not carry a node */
        sys_close(p, fd);
    }
    if (fd == 1 && r == -EBADF && t->no_create) return true;
    if (r == -EINTR) return false;
    if (r < 0) {
        /* Linux's open(O_CREAT) of "name/" fails with EISDIR */
        size_t n = strlen(file);
        if (open_err && n && file[n - 1] == '/') open_err = -EISDIR;
        if (open_err && open_err != -EISDIR) {
            cmd_errno(p, open_err, "cannot touch %s", cmd_quoteaf(p, file));
        } else {
            if (t->no_create && r == -ENOENT) return true;
            cmd_errno(p, r, "setting times of %s", cmd_quoteaf(p, file));
        }
        return false;
    }
    return true;
}

int cmd_touch(struct proc *p, int argc, char **argv)
{
    struct touch t = {.p = p};
    const char *flex = NULL, *ref = NULL;
    bool date_set = false;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'a': t.change |= CH_ATIME; break;
        case 'c': t.no_create = true; break;
        case 'd': flex = o.arg; break;
        case 'f': break;
        case 'h': t.no_deref = true; break;
        case 'm': t.change |= CH_MTIME; break;
        case 'r': ref = o.arg; break;
        case 't': {
            struct timespec now;
            sys_clock_gettime(p, CLOCK_REALTIME, &now);
            time_t v;
            if (!dt_posixtime(o.arg, &now, &v)) {
                cmd_error(p, "invalid date format %s", cmd_quote(p, o.arg));
                return 1;
            }
            t.t[0].tv_sec = v;
            t.t[0].tv_nsec = 0;
            t.t[1] = t.t[0];
            date_set = true;
            break;
        }
        case OPT_TIME: {
            int i = opt_argmatch_vals(&o, "--time", o.arg, time_args, time_masks);
            if (i < 0) return o.status;
            t.change |= time_masks[i];
            break;
        }
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (!t.change) t.change = CH_ATIME | CH_MTIME;
    if (date_set && (ref || flex)) {
        return opt_usage_error(&o, "cannot specify times from more than one source");
    }
    if (ref) {
        struct stat st;
        int r = t.no_deref ? sys_lstat(p, ref, &st) : sys_stat(p, ref, &st);
        if (r < 0) {
            cmd_errno(p, r, "failed to get attributes of %s", cmd_quoteaf(p, ref));
            return 1;
        }
        t.t[0] = st.st_atim;
        t.t[1] = st.st_mtim;
        date_set = true;
        if (flex) {
            for (int i = 0; i < 2; i++) {
                if (!(t.change & (i ? CH_MTIME : CH_ATIME))) continue;
                struct timespec base = t.t[i];
                if (!dt_parse(flex, &base, &t.t[i])) {
                    cmd_error(p, "invalid date format %s", cmd_quote(p, flex));
                    return 1;
                }
            }
        }
    } else if (flex) {
        struct timespec now;
        sys_clock_gettime(p, CLOCK_REALTIME, &now);
        if (!dt_parse(flex, &now, &t.t[0])) {
            cmd_error(p, "invalid date format %s", cmd_quote(p, flex));
            return 1;
        }
        t.t[1] = t.t[0];
        date_set = true;
        if (t.change == (CH_ATIME | CH_MTIME) && t.t[0].tv_sec == now.tv_sec &&
            t.t[0].tv_nsec == now.tv_nsec)
            date_set = false;
    }
    if (!date_set) {
        if (t.change == (CH_ATIME | CH_MTIME))
            t.amtime_now = true;
        else
            t.t[0].tv_nsec = t.t[1].tv_nsec = UTIME_NOW;
    }
    if (o.ind >= argc) return opt_usage_error(&o, "missing file operand");
    bool ok = true;
    for (int i = o.ind; i < argc; i++) ok &= touch_one(&t, argv[i]);
    return ok ? 0 : 1;
}
