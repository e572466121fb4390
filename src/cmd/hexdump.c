/* hexdump.c — util-linux hexdump with its built-in formats: the default
 * (2-byte hex words), -C (canonical hex+ASCII), -b -c -d -o -x, and -n -s
 * -v. Inputs are concatenated; repeated lines become "*". Custom format
 * strings (-e, -f) and colors (-L) are not supported. */
#include "cmd/cmd.h"

#include <fcntl.h>
#include <stdio.h>

static const char hexdump_help[] =
    "\n"
    "Usage:\n"
    " %s [options] <file>...\n"
    "\n"
    "Display file contents in hexadecimal, decimal, octal, or ascii.\n"
    "\n"
    "Options:\n"
    " -b, --one-byte-octal      one-byte octal display\n"
    " -c, --one-byte-char       one-byte character display\n"
    " -C, --canonical           canonical hex+ASCII display\n"
    " -d, --two-bytes-decimal   two-byte decimal display\n"
    " -o, --two-bytes-octal     two-byte octal display\n"
    " -x, --two-bytes-hex       two-byte hexadecimal display\n"
    " -L, --color[=<mode>]      interpret color formatting specifiers\n"
    "                             colors are enabled by default\n"
    " -e, --format <format>     format string to be used for displaying data\n"
    " -f, --format-file <file>  file that contains format strings\n"
    " -n, --length <length>     interpret only length bytes of input\n"
    " -s, --skip <offset>       skip offset bytes from the beginning\n"
    " -v, --no-squeezing        output identical lines\n"
    "\n"
    " -h, --help                display this help\n"
    " -V, --version             display version\n"
    "\n"
    "Arguments:\n"
    " <length> and <offset> arguments may be followed by the suffixes for\n"
    "   GiB, TiB, PiB, EiB, ZiB, and YiB (the \"iB\" is optional)\n"
    "\n"
    "For more details see hexdump(1).\n";

static const struct opt_long longs[] = {{"one-byte-octal", OPT_NOARG, 'b'},
                                        {"one-byte-char", OPT_NOARG, 'c'},
                                        {"canonical", OPT_NOARG, 'C'},
                                        {"two-bytes-decimal", OPT_NOARG, 'd'},
                                        {"two-bytes-octal", OPT_NOARG, 'o'},
                                        {"two-bytes-hex", OPT_NOARG, 'x'},
                                        {"length", OPT_ARG, 'n'},
                                        {"skip", OPT_ARG, 's'},
                                        {"no-squeezing", OPT_NOARG, 'v'},
                                        {"help", OPT_NOARG, 'h'},
                                        {"version", OPT_NOARG, 'V'},
                                        {0}};
static const struct opt_spec spec = {.name = "hexdump",
                                     .shorts = "bcCdoxn:s:vhV",
                                     .longs = longs,
                                     .help = hexdump_help,
                                     .version = "hexdump from util-linux 2.38.1\n",
                                     .flags = OPT_NO_HELP};

struct hd {
    struct proc *p;
    char fmts[8];
    int nfmts;
    struct obuf out;
    char **files;
    int nfiles, cur, fd;
    bool open, any_ok;
    int status;
};

static bool hd_open_next(struct hd *h)
{
    while (h->cur < h->nfiles) {
        const char *name = h->files[h->cur++];
        int fd = cmd_open_input(h->p, name);
        if (fd < 0) {
            cmd_file_error(h->p, name, fd);
            h->status = 1;
            continue;
        }
        h->fd = fd;
        h->open = true;
        h->any_ok = true;
        return true;
    }
    return false;
}

static size_t hd_read(struct hd *h, unsigned char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        if (!h->open && !hd_open_next(h)) break;
        ssize_t r = sys_read(h->p, h->fd, buf + got, n - got);
        if (r <= 0) {
            if (r < 0 && r != -EINTR) {
                cmd_file_error(h->p, h->files[h->cur - 1], (int)r);
                h->status = 1;
            }
            cmd_close_input(h->p, h->fd);
            h->open = false;
            if (r == -EINTR) break;
            continue;
        }
        got += (size_t)r;
    }
    return got;
}

static void put_line(struct hd *h, char fmt, uintmax_t addr, const unsigned char *b, size_t n)
{
    struct obuf *o = &h->out;
    if (fmt == 'C') {
        obuf_printf(o, "%08jx ", addr);
        for (size_t i = 0; i < 16; i++) {
            if (i == 8) obuf_putc(o, ' ');
            if (i < n)
                obuf_printf(o, " %02x", b[i]);
            else
                obuf_puts(o, "   ");
        }
        obuf_puts(o, "  |");
        for (size_t i = 0; i < n; i++) obuf_putc(o, b[i] >= 32 && b[i] < 127 ? (char)b[i] : '.');
        obuf_puts(o, "|\n");
        return;
    }
    obuf_printf(o, "%07jx", addr);
    if (fmt == 'b' || fmt == 'c') {
        for (size_t i = 0; i < 16; i++) {
            if (i >= n) {
                obuf_puts(o, "    ");
                continue;
            }
            if (fmt == 'b') {
                obuf_printf(o, " %03o", b[i]);
                continue;
            }
            const char *s;
            char buf[8];
            switch (b[i]) {
            case '\0': s = "\\0"; break;
            case '\a': s = "\\a"; break;
            case '\b': s = "\\b"; break;
            case '\f': s = "\\f"; break;
            case '\n': s = "\\n"; break;
            case '\r': s = "\\r"; break;
            case '\t': s = "\\t"; break;
            case '\v': s = "\\v"; break;
            default:
                if (b[i] >= 32 && b[i] < 127) {
                    buf[0] = (char)b[i];
                    buf[1] = 0;
                } else
                    snprintf(buf, sizeof buf, "%03o", b[i]);
                s = buf;
            }
            obuf_printf(o, " %3s", s);
        }
    } else {
        int w = fmt == 0 ? 5 : 8;
        for (size_t i = 0; i < 16; i += 2) {
            if (i >= n) {
                obuf_printf(o, "%*s", w, "");
                continue;
            }
            unsigned v = b[i] | (i + 1 < n ? (unsigned)b[i + 1] << 8 : 0);
            switch (fmt) {
            case 'd': obuf_printf(o, "   %05u", v); break;
            case 'o': obuf_printf(o, "  %06o", v); break;
            case 'x': obuf_printf(o, "    %04x", v); break;
            default: obuf_printf(o, " %04x", v); break;
            }
        }
    }
    obuf_putc(o, '\n');
}

static bool parse_size(struct hd *h, const char *arg, const char *what, uintmax_t *v)
{
    char *end;
    enum opt_num_status r = opt_strtoumax(arg, &end, 0, v, "0bEGKkMmPTYZ");
    if (r != OPT_NUM_OK) {
        cmd_errno(h->p, -EINVAL, "failed to parse %s: '%s'", what, arg);
        return false;
    }
    return true;
}

int cmd_hexdump(struct proc *p, int argc, char **argv)
{
    struct hd h = {.p = p};
    uintmax_t length = UINTMAX_MAX, skip = 0;
    bool verbose = false;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'b':
        case 'c':
        case 'C':
        case 'd':
        case 'o':
        case 'x':
            if (h.nfmts < 8) h.fmts[h.nfmts++] = (char)c;
            break;
        case 'n':
            if (!parse_size(&h, o.arg, "length", &length)) return 1;
            break;
        case 's':
            if (!parse_size(&h, o.arg, "offset", &skip)) return 1;
            break;
        case 'v': verbose = true; break;
        case 'h': return opt_help(&o);
        case 'V': return opt_version(&o);
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (h.nfmts == 0) h.fmts[h.nfmts++] = 0;
    static char *dash[] = {"-", NULL};
    h.files = o.ind < argc ? argv + o.ind : dash;
    h.nfiles = o.ind < argc ? argc - o.ind : 1;
    obuf_init(&h.out, p, 1);
    unsigned char cur[16], prev[16];
    uintmax_t addr = 0;
    /* Skip: seek within regular files, read otherwise. */
    while (skip > 0) {
        if (!h.open && !hd_open_next(&h)) break;
        struct stat st;
        if (sys_fstat(p, h.fd, &st) == 0 && S_ISREG(st.st_mode)) {
            off_t pos = sys_lseek(p, h.fd, 0, SEEK_CUR);
            uintmax_t left = pos >= 0 && st.st_size > pos ? (uintmax_t)(st.st_size - pos) : 0;
            if (skip >= left) {
                skip -= left;
                addr += left;
                cmd_close_input(p, h.fd);
                h.open = false;
                continue;
            }
            sys_lseek(p, h.fd, (off_t)skip, SEEK_CUR);
            addr += skip;
            skip = 0;
            break;
        }
        unsigned char tmp[4096];
        size_t want = skip < sizeof tmp ? (size_t)skip : sizeof tmp;
        size_t got = hd_read(&h, tmp, want);
        if (got == 0) break;
        skip -= got;
        addr += got;
    }
    bool first = true, star = false;
    for (;;) {
        size_t want = 16;
        if (length < want) want = (size_t)length;
        if (want == 0) break;
        size_t n = hd_read(&h, cur, want);
        if (n == 0) break;
        length -= n;
        if (!verbose && !first && n == 16 && memcmp(cur, prev, 16) == 0) {
            if (!star) obuf_puts(&h.out, "*\n");
            star = true;
        } else {
            star = false;
            for (int k = 0; k < h.nfmts; k++) put_line(&h, h.fmts[k], addr, cur, n);
        }
        first = false;
        memcpy(prev, cur, n);
        addr += n;
        if (n < 16 || obuf_failed(&h.out) || proc_check(p) < 0) break;
    }
    if (h.open) cmd_close_input(p, h.fd);
    if (!h.any_ok && h.status) {
        cmd_error(p, "all input file arguments failed");
        return cmd_close_stdout(p, &h.out, 1);
    }
    /* The end address is printed in the last format's style. */
    bool canonical = h.fmts[h.nfmts - 1] == 'C';
    if (!first || addr) obuf_printf(&h.out, canonical ? "%08jx\n" : "%07jx\n", addr);
    return cmd_close_stdout(p, &h.out, h.status);
}
