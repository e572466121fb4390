/* strings.c — print the printable character sequences in files (GNU
 * binutils 2.40 strings, scanning whole files): -n -t (o d x) -o -f -w
 * -s, -e s S b l B L, -a (the default), -d is treated like -a (there are
 * no object-file sections to restrict to in the VM's data files). */
#include "cmd/cmd.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdlib.h>

static const char strings_help[] =
    "Usage: %s [option(s)] [file(s)]\n"
    " Display printable strings in [file(s)] (stdin by default)\n"
    " The options are:\n"
    "  -a - --all                Scan the entire file, not just the data section [default]\n"
    "  -d --data                 Only scan the data sections in the file\n"
    "  -f --print-file-name      Print the name of the file before each string\n"
    "  -n <number>               Locate & print any sequence of at least <number>\n"
    "    --bytes=<number>         displayable characters.  (The default is 4).\n"
    "  -t --radix={o,d,x}        Print the location of the string in base 8, 10 or 16\n"
    "  -w --include-all-whitespace Include all whitespace as valid string characters\n"
    "  -o                        An alias for --radix=o\n"
    "  -T --target=<BFDNAME>     Specify the binary file format\n"
    "  -e --encoding={s,S,b,l,B,L} Select character size and endianness:\n"
    "                            s = 7-bit, S = 8-bit, {b,l} = 16-bit, {B,L} = 32-bit\n"
    "  --unicode={default|show|invalid|hex|escape|highlight}\n"
    "  -U {d|s|i|x|e|h}          Specify how to treat UTF-8 encoded unicode characters\n"
    "  -s --output-separator=<string> String used to separate strings in output.\n"
    "  @<file>                   Read options from <file>\n"
    "  -h --help                 Display this information\n"
    "  -v -V --version           Print the program's version number\n"
    "%s: supported targets: elf64-x86-64 elf32-i386 elf32-iamcu elf32-x86-64 pei-i386 "
    "pe-x86-64 pei-x86-64 elf64-little elf64-big elf32-little elf32-big pe-bigobj-x86-64 "
    "pe-i386 pdb srec symbolsrec verilog tekhex binary ihex plugin\n"
    "Report bugs to <https://sourceware.org/bugzilla/>\n";

static const char strings_version[] =
    "GNU strings (GNU Binutils for Debian) 2.40\n"
    "Copyright (C) 2023 Free Software Foundation, Inc.\n"
    "This program is free software; you may redistribute it under the terms of\n"
    "the GNU General Public License version 3 or (at your option) any later version.\n"
    "This program has absolutely no warranty.\n";

static const struct opt_long longs[] = {{"all", OPT_NOARG, 'a'},
                                        {"data", OPT_NOARG, 'd'},
                                        {"print-file-name", OPT_NOARG, 'f'},
                                        {"bytes", OPT_ARG, 'n'},
                                        {"radix", OPT_ARG, 't'},
                                        {"include-all-whitespace", OPT_NOARG, 'w'},
                                        {"encoding", OPT_ARG, 'e'},
                                        {"output-separator", OPT_ARG, 's'},
                                        {"help", OPT_NOARG, 'h'},
                                        {"version", OPT_NOARG, 'v'},
                                        {0}};
static const struct opt_spec spec = {.name = "strings",
                                     .shorts = "adfhn:wot:e:Vvs:0123456789",
                                     .longs = longs,
                                     .help = strings_help,
                                     .version = strings_version,
                                     .flags = OPT_NO_HELP};

struct st {
    struct proc *p;
    size_t min;
    char radix; /* 0, 'o', 'd', 'x' */
    bool print_name, whitespace;
    char enc;
    const char *sep;
    struct obuf out;
};

static bool graphic(const struct st *s, long c)
{
    if (c < 0 || c > 255) return false;
    return c == '\t' || (c >= 32 && c < 127) || (s->enc == 'S' && c > 127) ||
           (s->whitespace && isspace((int)c));
}

static int usage_err(struct proc *p)
{
    struct sbuf sb;
    sbuf_init(&sb, p);
    sbuf_printf(&sb, strings_help, cmd_prog(p), cmd_prog(p));
    /* binutils prints the "Report bugs" line only for --help. */
    if (sb.s) {
        char *rb = strstr(sb.s, "Report bugs");
        io_write_all(p, 2, sb.s, rb ? (size_t)(rb - sb.s) : sb.len);
    }
    sbuf_free(&sb);
    return 1;
}

static int strings_fd(struct st *s, int fd, const char *name)
{
    struct proc *p = s->p;
    int width = s->enc == 'b' || s->enc == 'l' ? 2 : s->enc == 'B' || s->enc == 'L' ? 4 : 1;
    bool big = s->enc == 'b' || s->enc == 'B';
    unsigned char *buf = p_malloc(p, IO_BUFSIZE);
    char *str = NULL;
    size_t len = 0, cap = 0;
    uintmax_t off = 0, start = 0;
    unsigned char part[4];
    int npart = 0;
    if (!buf) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    int status = 0;
    for (;;) {
        ssize_t n = sys_read(p, fd, buf, IO_BUFSIZE);
        if (n < 0) {
            if (n != -EINTR) cmd_errno(p, (int)n, "%s", name);
            status = 1;
            break;
        }
        bool eof = n == 0;
        for (ssize_t i = 0; i <= n; i++) {
            long c;
            bool end = eof && i == n;
            if (!end) {
                if (i == n) break;
                part[npart++] = buf[i];
                if (npart < width) continue;
                c = 0;
                for (int k = 0; k < width; k++) {
                    int idx = big ? k : width - 1 - k;
                    c = c << 8 | part[idx];
                }
                npart = 0;
            } else
                c = -1;
            uintmax_t here = off;
            if (!end) off += (uintmax_t)width;
            if (!end && graphic(s, c)) {
                if (len == 0) start = here;
                if (len + 1 >= cap) {
                    cap = cap ? cap * 2 : 256;
                    char *ns = p_realloc(p, str, cap);
                    if (!ns) {
                        cmd_error(p, "memory exhausted");
                        return 1;
                    }
                    str = ns;
                }
                str[len++] = (char)c;
                continue;
            }
            if (len >= s->min) {
                if (s->print_name) obuf_printf(&s->out, "%s: ", name);
                switch (s->radix) {
                case 'o': obuf_printf(&s->out, "%7jo ", start); break;
                case 'd': obuf_printf(&s->out, "%7ju ", start); break;
                case 'x': obuf_printf(&s->out, "%7jx ", start); break;
                }
                obuf_write(&s->out, str, len);
                if (s->sep)
                    obuf_puts(&s->out, s->sep);
                else
                    obuf_putc(&s->out, '\n');
            }
            len = 0;
        }
        if (eof || obuf_failed(&s->out) || proc_check(p) < 0) break;
    }
    p_free(p, buf);
    p_free(p, str);
    return status;
}

int cmd_strings(struct proc *p, int argc, char **argv)
{
    struct st s = {.p = p, .min = 4, .enc = 's'};
    char numbuf[32];
    size_t numlen = 0;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'a':
        case 'd': break;
        case 'f': s.print_name = true; break;
        case 'n': {
            char *end;
            long v = strtol(o.arg, &end, 0);
            if (*end || v <= 0) {
                cmd_error(p, "invalid minimum string length %s", o.arg);
                return 1;
            }
            s.min = (size_t)v;
            break;
        }
        case 'w': s.whitespace = true; break;
        case 'o': s.radix = 'o'; break;
        case 't':
            if (o.arg[1] || !strchr("odx", o.arg[0])) return usage_err(p);
            s.radix = o.arg[0];
            break;
        case 'e':
            if (o.arg[1] || !strchr("sSbBlL", o.arg[0])) return usage_err(p);
            s.enc = o.arg[0];
            break;
        case 's': s.sep = o.arg; break;
        case 'h': {
            struct sbuf sb;
            sbuf_init(&sb, p);
            sbuf_printf(&sb, strings_help, cmd_prog(p), cmd_prog(p));
            if (sb.s) io_write_all(p, 1, sb.s, sb.len);
            sbuf_free(&sb);
            return 0;
        }
        case 'v':
        case 'V': return opt_version(&o);
        case OPT_EXIT: return o.status;
        default:
            if (c >= '0' && c <= '9') {
                /* -NUM is -n NUM. */
                if (numlen < sizeof numbuf - 1) numbuf[numlen++] = (char)c;
                numbuf[numlen] = 0;
                s.min = (size_t)strtoul(numbuf, NULL, 10);
                break;
            }
            return usage_err(p);
        }
    }
    if (numlen && s.min == 0) {
        cmd_error(p, "invalid minimum string length 0");
        return 1;
    }
    obuf_init(&s.out, p, 1);
    int status = 0;
    if (o.ind >= argc)
        status |= strings_fd(&s, 0, "{standard input}");
    for (int i = o.ind; i < argc && !obuf_failed(&s.out); i++) {
        struct stat st;
        int r = sys_stat(p, argv[i], &st);
        if (r < 0) {
            cmd_error(p, "'%s': No such file", argv[i]);
            status = 1;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            cmd_error(p, "Warning: '%s' is a directory", argv[i]);
            status = 1;
            continue;
        }
        int fd = sys_open(p, argv[i], O_RDONLY, 0);
        if (fd < 0) {
            cmd_errno(p, fd, "%s", argv[i]);
            status = 1;
            continue;
        }
        status |= strings_fd(&s, fd, argv[i]);
        sys_close(p, fd);
    }
    return cmd_close_stdout(p, &s.out, status);
}
