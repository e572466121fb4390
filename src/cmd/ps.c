/* ps.c — report the VM's processes (procps-ng 4.0.2 ps) from /proc/PID/
 * status and cmdline: the default, -f and BSD u/aux layouts, -o FORMAT
 * (with name=HEADER and name:WIDTH), -e -A, BSD a x, -p/-q/p PIDs, -u/-U/U
 * users, -C names, --no-headers/h. The VM keeps no CPU or memory accounting
 * per process and has no terminals: TIME is 0, %CPU %MEM VSZ RSS are 0, TTY
 * is "?", and start times are the VM's current time. */
#include "cmd/cmd.h"
#include "lib/timefmt.h"
#include "lib/userdb.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage_text[] = "\n"
                                 "Usage:\n"
                                 " %s [options]\n"
                                 "\n"
                                 " Try 'ps --help <simple|list|output|threads|misc|all>'\n"
                                 "  or 'ps --help <s|l|o|t|m|a>'\n"
                                 " for additional help text.\n"
                                 "\n"
                                 "For more details see ps(1).\n";

struct pinfo {
    int pid, ppid;
    unsigned uid, gid;
    char state;
    char name[64];
    char *args;
};

enum fmt_id {
    F_PID,
    F_PPID,
    F_COMM,
    F_ARGS,
    F_USER,
    F_UID,
    F_GROUP,
    F_GID,
    F_STAT,
    F_S,
    F_TTY,
    F_TIME,
    F_ETIME,
    F_PCPU,
    F_PMEM,
    F_VSZ,
    F_RSS,
    F_NI,
    F_STIME,
    F_START,
    F_C,
    F_BSDTIME,
    F_UNAME
};

static const struct {
    const char *name, *header;
    enum fmt_id id;
    int width;
    bool left;
} fields[] = {
    {"pid", "PID", F_PID, 5, 0},
    {"tgid", "TGID", F_PID, 5, 0},
    {"ppid", "PPID", F_PPID, 5, 0},
    {"comm", "COMMAND", F_COMM, 15, 1},
    {"ucmd", "CMD", F_COMM, 15, 1},
    {"ucomm", "COMMAND", F_COMM, 15, 1},
    {"args", "COMMAND", F_ARGS, 27, 1},
    {"cmd", "CMD", F_ARGS, 27, 1},
    {"command", "COMMAND", F_ARGS, 27, 1},
    {"user", "USER", F_USER, 8, 1},
    {"euser", "EUSER", F_USER, 8, 1},
    {"ruser", "RUSER", F_USER, 8, 1},
    {"uname", "USER", F_USER, 8, 1},
    {"uid", "UID", F_UID, 5, 0},
    {"euid", "EUID", F_UID, 5, 0},
    {"ruid", "RUID", F_UID, 5, 0},
    {"group", "GROUP", F_GROUP, 8, 1},
    {"egroup", "EGROUP", F_GROUP, 8, 1},
    {"rgroup", "RGROUP", F_GROUP, 8, 1},
    {"gid", "GID", F_GID, 5, 0},
    {"egid", "EGID", F_GID, 5, 0},
    {"rgid", "RGID", F_GID, 5, 0},
    {"stat", "STAT", F_STAT, 4, 1},
    {"s", "S", F_S, 1, 1},
    {"state", "S", F_S, 1, 1},
    {"tty", "TT", F_TTY, 8, 1},
    {"tt", "TT", F_TTY, 8, 1},
    {"tname", "TTY", F_TTY, 8, 1},
    {"time", "TIME", F_TIME, 8, 0},
    {"cputime", "TIME", F_TIME, 8, 0},
    {"etime", "ELAPSED", F_ETIME, 11, 0},
    {"%cpu", "%CPU", F_PCPU, 4, 0},
    {"pcpu", "%CPU", F_PCPU, 4, 0},
    {"%mem", "%MEM", F_PMEM, 4, 0},
    {"pmem", "%MEM", F_PMEM, 4, 0},
    {"vsz", "VSZ", F_VSZ, 6, 0},
    {"vsize", "VSZ", F_VSZ, 6, 0},
    {"rss", "RSS", F_RSS, 5, 0},
    {"rssize", "RSS", F_RSS, 5, 0},
    {"ni", "NI", F_NI, 3, 0},
    {"nice", "NI", F_NI, 3, 0},
    {"stime", "STIME", F_STIME, 5, 0},
    {"start_time", "START", F_STIME, 5, 0},
    {"start", "STARTED", F_START, 8, 0},
    {"c", "C", F_C, 2, 0},
    {"bsdtime", "TIME", F_BSDTIME, 6, 0},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

struct col {
    int f;
    const char *header;
    int width;
};

struct ps {
    struct proc *p;
    struct userdb db;
    struct col *cols;
    int ncols, cap;
    char hhmm[8], hms[16];
};

static void usage(struct proc *p, int fd)
{
    struct sbuf sb;
    sbuf_init(&sb, p);
    const char *prog = cmd_prog(p), *slash = strrchr(prog, '/');
    sbuf_printf(&sb, usage_text, slash ? slash + 1 : prog);
    if (sb.s) io_write_all(p, fd, sb.s, sb.len);
    sbuf_free(&sb);
}

static int fail(struct proc *p, const char *fmt, const char *arg)
{
    struct sbuf sb;
    sbuf_init(&sb, p);
    sbuf_printf(&sb, fmt, arg);
    sbuf_addc(&sb, '\n');
    if (sb.s) io_write_all(p, 2, sb.s, sb.len);
    sbuf_free(&sb);
    usage(p, 2);
    return 1;
}

static bool add_col(struct ps *ps, int f, const char *header, int width)
{
    if (ps->ncols == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 8;
        struct col *n = p_realloc(ps->p, ps->cols, (size_t)ps->cap * sizeof *n);
        if (!n) return false;
        ps->cols = n;
    }
    ps->cols[ps->ncols++] = (struct col){f, header, width};
    return true;
}

/* -o list: "a,b c", each "name[:width][=header]" (a header runs to the end). */
static int parse_format(struct ps *ps, char *s)
{
    while (*s) {
        while (*s == ',' || *s == ' ') s++;
        if (!*s) break;
        char *end = s + strcspn(s, ",= ");
        char *header = NULL;
        if (*end == '=') {
            header = end + 1;
            *end = 0;
            end = header + strlen(header);
        } else if (*end) {
            *end++ = 0;
        }
        int width = -1;
        char *colon = strchr(s, ':');
        if (colon) {
            *colon = 0;
            width = atoi(colon + 1);
        }
        size_t k;
        for (k = 0; k < NFIELDS; k++)
            if (!strcmp(fields[k].name, s)) break;
        if (k == NFIELDS)
            return fail(ps->p, "error: unknown user-defined format specifier \"%s\"", s);
        if (!add_col(ps, (int)k, header ? header : fields[k].header,
                     width >= 0 ? width : fields[k].width))
            return 1;
        if (header) {
            int hw = (int)strlen(header);
            if (width < 0 && hw > ps->cols[ps->ncols - 1].width) ps->cols[ps->ncols - 1].width = hw;
        }
        s = end;
    }
    return 0;
}

static char *slurp(struct proc *p, const char *path, size_t *len)
{
    int fd = sys_open(p, path, O_RDONLY, 0);
    if (fd < 0) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = p_malloc(p, cap);
    while (buf) {
        if (n + 1 >= cap) {
            char *nb = p_realloc(p, buf, cap *= 2);
            if (!nb) break;
            buf = nb;
        }
        ssize_t r = sys_read(p, fd, buf + n, cap - n - 1);
        if (r <= 0) break;
        n += (size_t)r;
    }
    sys_close(p, fd);
    if (buf) buf[n] = 0;
    *len = n;
    return buf;
}

static bool read_proc(struct proc *p, int pid, struct pinfo *pi)
{
    char path[64];
    size_t len;
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    char *st = slurp(p, path, &len);
    if (!st) return false;
    memset(pi, 0, sizeof *pi);
    pi->pid = pid;
    for (char *line = st; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        if (!strncmp(line, "Name:\t", 6))
            snprintf(pi->name, sizeof pi->name, "%s", line + 6);
        else if (!strncmp(line, "State:\t", 7))
            pi->state = line[7];
        else if (!strncmp(line, "PPid:\t", 6))
            pi->ppid = atoi(line + 6);
        else if (!strncmp(line, "Uid:\t", 5))
            pi->uid = (unsigned)strtoul(line + 5, NULL, 10);
        else if (!strncmp(line, "Gid:\t", 5))
            pi->gid = (unsigned)strtoul(line + 5, NULL, 10);
        line = nl ? nl + 1 : NULL;
    }
    p_free(p, st);
    snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
    pi->args = slurp(p, path, &len);
    if (pi->args) {
        while (len > 0 && pi->args[len - 1] == 0) len--;
        for (size_t i = 0; i < len; i++)
            if (!pi->args[i]) pi->args[i] = ' ';
        pi->args[len] = 0;
        if (!len) {
            /* kernel-thread style: [name] */
            p_free(p, pi->args);
            pi->args = NULL;
        }
    }
    return true;
}

static void cell(struct ps *ps, const struct pinfo *pi, int f, char *buf, size_t n)
{
    const struct udb_user *u;
    const struct udb_group *g;
    switch (fields[f].id) {
    case F_PID: snprintf(buf, n, "%d", pi->pid); break;
    case F_PPID: snprintf(buf, n, "%d", pi->ppid); break;
    case F_COMM: snprintf(buf, n, "%s", pi->name); break;
    case F_ARGS:
        if (pi->args)
            snprintf(buf, n, "%s", pi->args);
        else
            snprintf(buf, n, "[%s]", pi->name);
        break;
    case F_USER:
    case F_UNAME:
        u = udb_user_by_uid(&ps->db, pi->uid);
        if (u && strlen(u->name) <= 8)
            snprintf(buf, n, "%s", u->name);
        else if (u)
            snprintf(buf, n, "%.7s+", u->name);
        else
            snprintf(buf, n, "%u", pi->uid);
        break;
    case F_UID: snprintf(buf, n, "%u", pi->uid); break;
    case F_GROUP:
        g = udb_group_by_gid(&ps->db, pi->gid);
        if (g)
            snprintf(buf, n, "%s", g->name);
        else
            snprintf(buf, n, "%u", pi->gid);
        break;
    case F_GID: snprintf(buf, n, "%u", pi->gid); break;
    case F_STAT: snprintf(buf, n, "%c", pi->state ? pi->state : 'S'); break;
    case F_S: snprintf(buf, n, "%c", pi->state ? pi->state : 'S'); break;
    case F_TTY: snprintf(buf, n, "?"); break;
    case F_TIME: snprintf(buf, n, "00:00:00"); break;
    case F_BSDTIME: snprintf(buf, n, "0:00"); break;
    case F_ETIME: snprintf(buf, n, "00:00"); break;
    case F_PCPU:
    case F_PMEM: snprintf(buf, n, "0.0"); break;
    case F_VSZ:
    case F_RSS:
    case F_NI:
    case F_C: snprintf(buf, n, "0"); break;
    case F_STIME: snprintf(buf, n, "%s", ps->hhmm); break;
    case F_START: snprintf(buf, n, "%s", ps->hms); break;
    }
}

static void print_row(struct ps *ps, struct obuf *o, const struct pinfo *pi, bool header)
{
    for (int c = 0; c < ps->ncols; c++) {
        const struct col *col = &ps->cols[c];
        char buf[4096];
        if (header)
            snprintf(buf, sizeof buf, "%s", col->header);
        else
            cell(ps, pi, col->f, buf, sizeof buf);
        bool last = c == ps->ncols - 1;
        bool left = fields[col->f].left;
        if (c) obuf_putc(o, ' ');
        int len = (int)strlen(buf);
        if (!last && !header && fields[col->f].id == F_ARGS && len > col->width) {
            buf[col->width] = 0;
            len = col->width;
        }
        if (left) {
            obuf_puts(o, buf);
            if (!last && len < col->width) obuf_printf(o, "%*s", col->width - len, "");
        } else {
            if (len < col->width) obuf_printf(o, "%*s", col->width - len, "");
            obuf_puts(o, buf);
        }
    }
    obuf_putc(o, '\n');
}

static bool in_list(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *s = list; *s;) {
        size_t k = strcspn(s, ", ");
        if (k == n && !strncmp(s, item, n)) return true;
        s += k;
        while (*s == ',' || *s == ' ') s++;
    }
    return false;
}

int cmd_ps(struct proc *p, int argc, char **argv)
{
    struct ps ps = {.p = p};
    bool all = false, full = false, bsd_u = false, no_headers = false, bsd_x = false, bsd_a = false;
    const char *pids = NULL, *users = NULL, *names = NULL;
    char *formats[16];
    int nformats = 0;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        char *arg = NULL;
        if (!strncmp(a, "--", 2)) {
            char *eq = strchr(a, '=');
            size_t n = eq ? (size_t)(eq - a) : strlen(a);
            if (!strcmp(a, "--help")) {
                usage(p, 1);
                return 0;
            }
            if (!strcmp(a, "--version")) {
                static const char v[] = "ps from procps-ng 4.0.2\n";
                io_write_all(p, 1, v, sizeof v - 1);
                return 0;
            }
            if (!strcmp(a, "--no-headers") || !strcmp(a, "--no-heading")) {
                no_headers = true;
                continue;
            }
            static const char *const withargs[] = {"--format", "--pid",       "--user",
                                                   "--User",   "--quick-pid", NULL};
            int k;
            for (k = 0; withargs[k]; k++)
                if (strlen(withargs[k]) == n && !strncmp(a, withargs[k], n)) break;
            if (!withargs[k]) return fail(p, "error: unknown gnu long option", "");
            arg = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
            if (!arg) return fail(p, "error: list of process IDs must follow %s", withargs[k] + 1);
            if (k == 0) {
                if (nformats < 16) formats[nformats++] = p_strdup(p, arg);
            } else if (k == 1 || k == 4) {
                pids = arg;
            } else {
                users = arg;
            }
            continue;
        }
        bool unix_style = a[0] == '-';
        char *s = unix_style ? a + 1 : a;
        for (; *s; s++) {
            char c = *s;
            bool takes = unix_style ? strchr("opqUuCgGt", c) != NULL : strchr("opUt", c) != NULL;
            if (takes) {
                arg = s[1] ? s + 1 : i + 1 < argc ? argv[++i] : NULL;
                if (!arg) {
                    if (c == 'p' || c == 'q')
                        return fail(p, "error: list of process IDs must follow -%s",
                                    c == 'p' ? "p" : "q");
                    if (c == 'o') return fail(p, "error: format specification must follow -o", "");
                    return fail(p, "error: list of users must follow -%s", c == 'u' ? "u" : "U");
                }
                if (c == 'o') {
                    if (nformats < 16) formats[nformats++] = p_strdup(p, arg);
                } else if (c == 'p' || c == 'q') {
                    pids = arg;
                } else if (c == 'U' || c == 'u') {
                    users = arg;
                } else if (c == 'C') {
                    names = arg;
                } else {
                    return fail(p, "error: unsupported option (BSD syntax)", "");
                }
                break;
            }
            if (unix_style) {
                switch (c) {
                case 'e':
                case 'A': all = true; break;
                case 'f': full = true; break;
                case 'a': bsd_a = true; break;
                case 'x': bsd_x = true; break;
                case 'w': break;
                case 'V': {
                    static const char v[] = "ps from procps-ng 4.0.2\n";
                    io_write_all(p, 1, v, sizeof v - 1);
                    return 0;
                }
                default: return fail(p, "error: unsupported SysV option", "");
                }
            } else {
                switch (c) {
                case 'a': bsd_a = true; break;
                case 'x': bsd_x = true; break;
                case 'u': bsd_u = true; break;
                case 'h': no_headers = true; break;
                case 'w': break;
                case 'e': break;
                default: return fail(p, "error: unsupported option (BSD syntax)", "");
                }
            }
        }
    }
    if (bsd_a && bsd_x) all = true;
    if (bsd_x && !bsd_a) all = true; /* x: this user's processes without a tty, i.e. all of them */
    if (udb_load(&ps.db, p) < 0) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    for (int k = 0; k < nformats; k++) {
        if (!formats[k]) return 1;
        int r = parse_format(&ps, formats[k]);
        if (r) return r;
    }
    if (!nformats) {
        const char *def = bsd_u  ? "user,pid,%cpu,%mem,vsz,rss,tname,stat,start_time,bsdtime,args"
                          : full ? "user,pid,ppid,c,stime,tname,time,cmd"
                          : (bsd_x || bsd_a) ? "pid,tname,stat,bsdtime,args"
                                             : "pid,tname,time,ucmd";
        char *d = p_strdup(p, def);
        if (!d || parse_format(&ps, d)) return 1;
        if (full) ps.cols[0].header = "UID";
        for (int c = 0; c < ps.ncols; c++)
            if (fields[ps.cols[c].f].id == F_STIME && bsd_u) ps.cols[c].header = "START";
    }
    struct timespec now;
    sys_clock_gettime(p, CLOCK_REALTIME, &now);
    struct tf_zone zone;
    tf_zone_load(&zone, proc_getenv(p, "TZ"));
    struct tm tm;
    tf_localtime(&zone, now.tv_sec, &tm);
    tf_strftime(ps.hhmm, sizeof ps.hhmm, "%H:%M", &tm, 0);
    tf_strftime(ps.hms, sizeof ps.hms, "%H:%M:%S", &tm, 0);

    /* The pids, in order. */
    int fd = sys_open(p, "/proc", O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) {
        cmd_errno(p, fd, "/proc");
        return 1;
    }
    int *list = NULL, n = 0, cap = 0;
    struct vfs_dirent ents[64];
    int got;
    while ((got = sys_getdents(p, fd, ents, 64)) > 0) {
        for (int k = 0; k < got; k++) {
            char *end;
            long v = strtol(ents[k].name, &end, 10);
            if (*end || v <= 0) continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 32;
                int *nl = p_realloc(p, list, (size_t)cap * sizeof *nl);
                if (!nl) {
                    sys_close(p, fd);
                    cmd_error(p, "memory exhausted");
                    return 1;
                }
                list = nl;
            }
            list[n++] = (int)v;
        }
    }
    sys_close(p, fd);
    for (int a = 1; a < n; a++)
        for (int b = a; b > 0 && list[b - 1] > list[b]; b--) {
            int t = list[b];
            list[b] = list[b - 1];
            list[b - 1] = t;
        }
    struct obuf out;
    obuf_init(&out, p, 1);
    bool any_header = false;
    for (int c = 0; c < ps.ncols; c++)
        if (*ps.cols[c].header) any_header = true;
    if (!no_headers && any_header) print_row(&ps, &out, NULL, true);
    int shown = 0;
    for (int k = 0; k < n; k++) {
        struct pinfo pi;
        if (!read_proc(p, list[k], &pi)) continue;
        bool sel;
        if (pids || users || names) {
            char num[16];
            snprintf(num, sizeof num, "%d", pi.pid);
            sel = false;
            if (pids && in_list(pids, num)) sel = true;
            if (names && in_list(names, pi.name)) sel = true;
            if (users) {
                const struct udb_user *u = udb_user_by_uid(&ps.db, pi.uid);
                snprintf(num, sizeof num, "%u", pi.uid);
                if (in_list(users, num) || (u && in_list(users, u->name))) sel = true;
            }
        } else if (all) {
            sel = true;
        } else {
            sel = pi.uid == p->uid; /* same user, same (absent) terminal */
        }
        if (sel) {
            print_row(&ps, &out, &pi, false);
            shown++;
        }
        p_free(p, pi.args);
    }
    return cmd_close_stdout(p, &out, shown ? 0 : 1);
}
