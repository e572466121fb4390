/* free.c — memory use of the VM (procps-ng 4.0.2 free) from /proc/meminfo:
 * the VM's memory limit is the total, used = total - available; the VM has
 * no swap, buffers, cache or shared memory. Units -b -k -m -g --tebi
 * --pebi, --kilo..--peta (SI), -h, --si, -w, -t, -l, -v, -s N, -c N. */
#include "cmd/cmd.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage_text[] =
    "\n"
    "Usage:\n"
    " %s [options]\n"
    "\n"
    "Options:\n"
    " -b, --bytes         show output in bytes\n"
    "     --kilo          show output in kilobytes\n"
    "     --mega          show output in megabytes\n"
    "     --giga          show output in gigabytes\n"
    "     --tera          show output in terabytes\n"
    "     --peta          show output in petabytes\n"
    " -k, --kibi          show output in kibibytes\n"
    " -m, --mebi          show output in mebibytes\n"
    " -g, --gibi          show output in gibibytes\n"
    "     --tebi          show output in tebibytes\n"
    "     --pebi          show output in pebibytes\n"
    " -h, --human         show human-readable output\n"
    "     --si            use powers of 1000 not 1024\n"
    " -l, --lohi          show detailed low and high memory statistics\n"
    " -t, --total         show total for RAM + swap\n"
    " -v, --committed     show committed memory and commit limit\n"
    " -s N, --seconds N   repeat printing every N seconds\n"
    " -c N, --count N     repeat printing N times, then exit\n"
    " -w, --wide          wide output\n"
    "\n"
    "     --help     display this help and exit\n"
    " -V, --version  output version information and exit\n"
    "\n"
    "For more details see free(1).\n";

enum { O_KILO = 256, O_MEGA, O_GIGA, O_TERA, O_PETA, O_TEBI, O_PEBI, O_SI, O_HELP };
static const struct opt_long longs[] = {{"bytes", OPT_NOARG, 'b'},   {"kilo", OPT_NOARG, O_KILO},
                                        {"mega", OPT_NOARG, O_MEGA}, {"giga", OPT_NOARG, O_GIGA},
                                        {"tera", OPT_NOARG, O_TERA}, {"peta", OPT_NOARG, O_PETA},
                                        {"kibi", OPT_NOARG, 'k'},    {"mebi", OPT_NOARG, 'm'},
                                        {"gibi", OPT_NOARG, 'g'},    {"tebi", OPT_NOARG, O_TEBI},
                                        {"pebi", OPT_NOARG, O_PEBI}, {"human", OPT_NOARG, 'h'},
                                        {"si", OPT_NOARG, O_SI},     {"lohi", OPT_NOARG, 'l'},
                                        {"total", OPT_NOARG, 't'},   {"committed", OPT_NOARG, 'v'},
                                        {"seconds", OPT_ARG, 's'},   {"count", OPT_ARG, 'c'},
                                        {"wide", OPT_NOARG, 'w'},    {"help", OPT_NOARG, O_HELP},
                                        {"version", OPT_NOARG, 'V'}, {0}};
static const struct opt_spec spec = {.name = "free",
                                     .shorts = "bkmghltvc:ws:V",
                                     .longs = longs,
                                     .try_text = "",
                                     .flags = OPT_NO_HELP};

static void usage(struct proc *p, int fd)
{
    struct sbuf sb;
    sbuf_init(&sb, p);
    const char *prog = cmd_prog(p), *slash = strrchr(prog, '/');
    sbuf_printf(&sb, usage_text, slash ? slash + 1 : prog);
    if (sb.s) io_write_all(p, fd, sb.s, sb.len);
    sbuf_free(&sb);
}

struct fopts {
    int exponent; /* 0 default (KiB), 1 bytes, 2.. powers */
    bool si, human;
};

/* procps scale_size: kb KiB shown in the chosen unit. */
static const char *scale_size(unsigned long long kb, const struct fopts *f, char *buf, size_t n)
{
    static const char up[] = {'B', 'K', 'M', 'G', 'T', 'P', 0};
    double base = f->si ? 1000.0 : 1024.0;
    long long bytes = (long long)kb * 1024;
    if (!f->human) {
        if (f->exponent == 0)
            snprintf(buf, n, "%ld", (long)(bytes / (long long)base));
        else if (f->exponent == 1)
            snprintf(buf, n, "%lld", bytes);
        else
            snprintf(buf, n, "%ld", (long)(bytes / pow(base, f->exponent - 1)));
        return buf;
    }
    if (snprintf(buf, n, "%lld%c", bytes, up[0]) <= 4) return buf;
    for (int i = 1; up[i]; i++) {
        if (f->si) {
            if (snprintf(buf, n, "%.1f%c", (float)(bytes / pow(base, i)), up[i]) <= 4) return buf;
            if (snprintf(buf, n, "%ld%c", (long)(bytes / pow(base, i)), up[i]) <= 4) return buf;
        } else {
            if (snprintf(buf, n, "%.1f%ci", (float)(bytes / pow(base, i)), up[i]) <= 5) return buf;
            if (snprintf(buf, n, "%ld%ci", (long)(bytes / pow(base, i)), up[i]) <= 5) return buf;
        }
    }
    return buf;
}

static unsigned long long meminfo(const char *text, const char *key)
{
    const char *s = strstr(text, key);
    return s ? strtoull(s + strlen(key), NULL, 10) : 0;
}

static void row(struct obuf *o, const char *label, const unsigned long long *v, int n,
                const struct fopts *f)
{
    char buf[64];
    obuf_printf(o, "%-9s", label);
    for (int i = 0; i < n; i++)
        obuf_printf(o, i ? " %11s" : "%11s", scale_size(v[i], f, buf, sizeof buf));
    obuf_putc(o, '\n');
}

int cmd_free(struct proc *p, int argc, char **argv)
{
    struct fopts f = {0};
    bool wide = false, total = false, lohi = false, committed = false, repeat = false;
    int units = 0;
    long count = -1;
    double seconds = 1;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        int exp = -1;
        bool si = false;
        switch (c) {
        case 'b': exp = 1; break;
        case 'k': exp = 2; break;
        case 'm': exp = 3; break;
        case 'g': exp = 4; break;
        case O_TEBI: exp = 5; break;
        case O_PEBI: exp = 6; break;
        case O_KILO: exp = 2, si = true; break;
        case O_MEGA: exp = 3, si = true; break;
        case O_GIGA: exp = 4, si = true; break;
        case O_TERA: exp = 5, si = true; break;
        case O_PETA: exp = 6, si = true; break;
        case 'h': f.human = true; break;
        case O_SI: f.si = true; break;
        case 'l': lohi = true; break;
        case 't': total = true; break;
        case 'v': committed = true; break;
        case 'w': wide = true; break;
        case 's': {
            char *end;
            errno = 0;
            seconds = strtod(o.arg, &end);
            if (end == o.arg || *end || errno || seconds < 0 || isnan(seconds)) {
                cmd_errno(p, EINVAL, "seconds argument failed: '%s'", o.arg);
                return 1;
            }
            repeat = true;
            break;
        }
        case 'c': {
            char *end;
            errno = 0;
            count = strtol(o.arg, &end, 10);
            if (end == o.arg || *end || errno || count < 1) {
                cmd_errno(p, ERANGE, "failed to parse count argument: '%s'", o.arg);
                return 1;
            }
            repeat = true;
            break;
        }
        case 'V': {
            static const char v[] = "free from procps-ng 4.0.2\n";
            io_write_all(p, 1, v, sizeof v - 1);
            return 0;
        }
        case O_HELP: usage(p, 1); return 0;
        case OPT_EXIT: usage(p, 2); return 1;
        }
        if (exp >= 0) {
            if (units++) {
                cmd_error(p, "Multiple unit options don't make sense.");
                return 1;
            }
            f.exponent = exp;
            if (si) f.si = true;
        }
    }
    if (o.ind < argc) {
        usage(p, 2);
        return 1;
    }
    struct obuf out;
    obuf_init(&out, p, 1);
    for (long iter = 0;; iter++) {
        char text[1024];
        int fd = sys_open(p, "/proc/meminfo", O_RDONLY, 0);
        ssize_t r = fd >= 0 ? sys_read(p, fd, text, sizeof text - 1) : fd;
        if (fd >= 0) sys_close(p, fd);
        if (r < 0) {
            obuf_free(&out);
            cmd_errno(p, (int)r, "/proc/meminfo");
            return 1;
        }
        text[r] = 0;
        unsigned long long mt = meminfo(text, "MemTotal:"), mf = meminfo(text, "MemFree:"),
                           ma = meminfo(text, "MemAvailable:");
        unsigned long long used = mt > ma ? mt - ma : 0;
        if (wide) {
            obuf_puts(&out, "               total        used        free      shared     buffers"
                            "       cache   available\n");
            unsigned long long v[] = {mt, used, mf, 0, 0, 0, ma};
            row(&out, "Mem:", v, 7, &f);
        } else {
            obuf_puts(&out, "               total        used        free      shared  buff/cache"
                            "   available\n");
            unsigned long long v[] = {mt, used, mf, 0, 0, ma};
            row(&out, "Mem:", v, 6, &f);
        }
        if (lohi) {
            unsigned long long lo[] = {mt, used, mf}, hi[] = {0, 0, 0};
            row(&out, "Low:", lo, 3, &f);
            row(&out, "High:", hi, 3, &f);
        }
        unsigned long long sw[] = {0, 0, 0};
        row(&out, "Swap:", sw, 3, &f);
        if (total) {
            unsigned long long t[] = {mt, used, mf};
            row(&out, "Total:", t, 3, &f);
        }
        if (committed) {
            unsigned long long cm[] = {mt, used, mt - used};
            row(&out, "Comm:", cm, 3, &f);
        }
        if (!repeat || (count > 0 && iter + 1 >= count)) break;
        obuf_putc(&out, '\n');
        obuf_flush(&out);
        struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
        if (sys_nanosleep(p, &ts) < 0) break;
    }
    return cmd_close_stdout(p, &out, 0);
}
