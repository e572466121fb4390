/* xxd.c — vim's xxd (2022-01-14): hex dumps (plain, -b bits, -e little
 * endian, -p plain hex, -i C include), -c -g -l -s -o -d -u -a -C -n, and
 * -r / -r -p to turn a dump back into bytes. Its own argument syntax:
 * options match by their first letters and take attached or separate
 * values; a bad option prints the usage to stderr with status 1.
 * (-E, EBCDIC, is not supported and is treated as an unknown option.) */
#include "cmd/cmd.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

#define COLS 256
#define LLEN (12 + (9 * COLS - 1) + COLS + 2)

static const char xxd_usage[] =
    "Usage:\n"
    "       %s [options] [infile [outfile]]\n"
    "    or\n"
    "       %s -r [-s [-]offset] [-c cols] [-ps] [infile [outfile]]\n"
    "Options:\n"
    "    -a          toggle autoskip: A single '*' replaces nul-lines. Default off.\n"
    "    -b          binary digit dump (incompatible with -ps,-i,-r). Default hex.\n"
    "    -C          capitalize variable names in C include file style (-i).\n"
    "    -c cols     format <cols> octets per line. Default 16 (-i: 12, -ps: 30).\n"
    "    -E          show characters in EBCDIC. Default ASCII.\n"
    "    -e          little-endian dump (incompatible with -ps,-i,-r).\n"
    "    -g bytes    number of octets per group in normal output. Default 2 (-e: 4).\n"
    "    -h          print this summary.\n"
    "    -i          output in C include file style.\n"
    "    -l len      stop after <len> octets.\n"
    "    -n name     set the variable name used in C include output (-i).\n"
    "    -o off      add <off> to the displayed file position.\n"
    "    -ps         output in postscript plain hexdump style.\n"
    "    -r          reverse operation: convert (or patch) hexdump into binary.\n"
    "    -r -s off   revert with <off> added to file positions found in hexdump.\n"
    "    -d          show offset in decimal instead of hex.\n"
    "    -s %sseek  start at <seek> bytes abs. %sinfile offset.\n"
    "    -u          use upper case hex letters.\n"
    "    -v          show version: \"xxd 2022-01-14 by Juergen Weigert et al.\".\n";

enum { HEX_NORMAL, HEX_POSTSCRIPT, HEX_CINCLUDE, HEX_BITS, HEX_LITTLEENDIAN };

static int usage(struct proc *p)
{
    const char *pn = "xxd";
    char *buf = NULL;
    struct sbuf sb;
    sbuf_init(&sb, p);
    sbuf_printf(&sb, xxd_usage, pn, pn, "[+][-]", "(or +: rel.) ");
    if (sb.s) io_write_all(p, 2, sb.s, sb.len);
    sbuf_free(&sb);
    (void)buf;
    return 1;
}

/* Buffered byte input over an fd. */
struct in {
    struct proc *p;
    int fd;
    char buf[65536];
    size_t pos, len;
    int err;
};

static int in_getc(struct in *in)
{
    if (in->pos == in->len) {
        ssize_t r = sys_read(in->p, in->fd, in->buf, sizeof in->buf);
        if (r <= 0) {
            if (r < 0) in->err = (int)r;
            return -1;
        }
        in->pos = 0;
        in->len = (size_t)r;
    }
    return (unsigned char)in->buf[in->pos++];
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* xxdline's autoskip state. */
struct skip {
    char z[LLEN + 1];
    int zero_seen;
};

static void xxdline(struct obuf *o, struct skip *s, const char *l, int nz)
{
    if (!nz && s->zero_seen == 1) strcpy(s->z, l);
    if (nz || !s->zero_seen++) {
        if (nz) {
            if (nz < 0) s->zero_seen--;
            if (s->zero_seen == 2) obuf_puts(o, s->z);
            if (s->zero_seen > 2) obuf_puts(o, "*\n");
        }
        if (nz >= 0 || s->zero_seen > 0) obuf_puts(o, l);
        if (nz) s->zero_seen = 0;
    }
}

/* -r: parse a dump (plain or -p) back into bytes. */
static int huntype(struct proc *p, struct in *in, int outfd, struct obuf *o, int cols,
                   int hextype, long base_off)
{
    int c, ign_garb = 1, n1 = -1, n2 = 0, n3, pcount = cols;
    long have_off = 0, want_off = 0;
    while ((c = in_getc(in)) != -1) {
        if (c == '\r') continue;
        if (hextype == HEX_POSTSCRIPT && (c == ' ' || c == '\n' || c == '\t')) continue;
        n3 = n2;
        n2 = n1;
        n1 = hexval(c);
        if (n1 == -1 && ign_garb) continue;
        ign_garb = 0;
        if (!hextype && pcount >= cols) {
            if (n1 < 0) {
                pcount = 0;
                continue;
            }
            want_off = (want_off << 4) | n1;
            continue;
        }
        if (base_off + want_off != have_off) {
            obuf_flush(o);
            if (outfd != 1 || sys_lseek(p, outfd, 0, SEEK_CUR) >= 0) {
                off_t r = sys_lseek(p, outfd, base_off + want_off - have_off, SEEK_CUR);
                if (r >= 0) have_off = base_off + want_off;
            }
            if (base_off + want_off < have_off) {
                cmd_error(p, "Sorry, cannot seek backwards.");
                return 5;
            }
            for (; have_off < base_off + want_off; have_off++) obuf_putc(o, 0);
        }
        if (n2 >= 0 && n1 >= 0) {
            obuf_putc(o, (char)((n2 << 4) | n1));
            have_off++;
            want_off++;
            n1 = -1;
            if (!hextype && ++pcount >= cols)
                while (c != '\n' && c != -1) c = in_getc(in);
        } else if (n1 < 0 && n2 < 0 && n3 < 0)
            while (c != '\n' && c != -1) c = in_getc(in);
        if (c == '\n') {
            if (!hextype) want_off = 0;
            pcount = cols;
            ign_garb = 1;
        }
    }
    return 0;
}

int cmd_xxd(struct proc *p, int argc, char **argv)
{
    int hextype = HEX_NORMAL, cols = 0, octspergrp = -1, autoskip = 0, capitalize = 0;
    int decimal = 0, revert = 0;
    bool upper = false, relseek = false, negseek = false;
    long seekoff = 0, length = -1;
    unsigned long displayoff = 0;
    const char *varname = NULL;
    while (argc >= 2) {
        const char *pp = argv[1] + (!strncmp(argv[1], "--", 2) && argv[1][2]);
        if (!strncmp(pp, "-a", 2))
            autoskip = 1 - autoskip;
        else if (!strncmp(pp, "-b", 2))
            hextype = HEX_BITS;
        else if (!strncmp(pp, "-e", 2))
            hextype = HEX_LITTLEENDIAN;
        else if (!strncmp(pp, "-u", 2))
            upper = true;
        else if (!strncmp(pp, "-p", 2))
            hextype = HEX_POSTSCRIPT;
        else if (!strncmp(pp, "-i", 2))
            hextype = HEX_CINCLUDE;
        else if (!strncmp(pp, "-C", 2))
            capitalize = 1;
        else if (!strncmp(pp, "-d", 2))
            decimal = 1;
        else if (!strncmp(pp, "-r", 2))
            revert++;
        else if (!strncmp(pp, "-v", 2)) {
            const char *v = "xxd 2022-01-14 by Juergen Weigert et al.\n";
            io_write_all(p, 2, v, strlen(v));
            return 0;
        } else if (!strncmp(pp, "-c", 2)) {
            if (pp[2] && !strncmp("apitalize", pp + 2, 9))
                capitalize = 1;
            else if (pp[2] && strncmp("ols", pp + 2, 3))
                cols = (int)strtol(pp + 2, NULL, 0);
            else {
                if (!argv[2]) return usage(p);
                cols = (int)strtol(argv[2], NULL, 0);
                argv++, argc--;
            }
        } else if (!strncmp(pp, "-g", 2)) {
            if (pp[2] && strncmp("roup", pp + 2, 4))
                octspergrp = (int)strtol(pp + 2, NULL, 0);
            else {
                if (!argv[2]) return usage(p);
                octspergrp = (int)strtol(argv[2], NULL, 0);
                argv++, argc--;
            }
        } else if (!strncmp(pp, "-o", 2)) {
            if (pp[2] && strncmp("ffset", pp + 2, 5))
                displayoff = strtoul(pp + 2, NULL, 0);
            else {
                if (!argv[2]) return usage(p);
                displayoff = strtoul(argv[2], NULL, 0);
                argv++, argc--;
            }
        } else if (!strncmp(pp, "-s", 2)) {
            relseek = negseek = false;
            const char *a;
            if (pp[2] && strncmp("kip", pp + 2, 3) && strncmp("eek", pp + 2, 3))
                a = pp + 2;
            else {
                if (!argv[2]) return usage(p);
                a = argv[2];
                argv++, argc--;
            }
            if (a[0] == '+') relseek = true;
            if (a[relseek] == '-') negseek = true;
            seekoff = strtol(a + relseek + negseek, NULL, 0);
        } else if (!strncmp(pp, "-l", 2)) {
            if (pp[2] && strncmp("en", pp + 2, 2))
                length = strtol(pp + 2, NULL, 0);
            else {
                if (!argv[2]) return usage(p);
                length = strtol(argv[2], NULL, 0);
                argv++, argc--;
            }
        } else if (!strncmp(pp, "-n", 2)) {
            if (pp[2] && strncmp("ame", pp + 2, 3))
                varname = pp + 2;
            else {
                if (!argv[2]) return usage(p);
                varname = argv[2];
                argv++, argc--;
            }
        } else if (!strncmp(pp, "--", 2)) {
            argv++, argc--;
            break;
        } else if (pp[0] == '-' && pp[1])
            return usage(p);
        else
            break;
        argv++, argc--;
    }
    if (!cols) cols = hextype == HEX_POSTSCRIPT ? 30 : hextype == HEX_CINCLUDE ? 12
                      : hextype == HEX_BITS ? 6 : 16;
    if (octspergrp < 0)
        octspergrp = hextype == HEX_BITS ? 1 : hextype == HEX_NORMAL ? 2
                     : hextype == HEX_LITTLEENDIAN ? 4 : 0;
    if ((hextype == HEX_POSTSCRIPT && cols < 0) ||
        (hextype != HEX_POSTSCRIPT && (cols < 1 || cols > COLS))) {
        cmd_error(p, "invalid number of columns (max. %d).", COLS);
        return 1;
    }
    if (octspergrp < 1 || octspergrp > cols)
        octspergrp = cols;
    else if (hextype == HEX_LITTLEENDIAN && (octspergrp & (octspergrp - 1))) {
        cmd_error(p, "number of octets per group must be a power of 2 with -e.");
        return 1;
    }
    if (argc > 3) return usage(p);

    const char *inname = argc > 1 && !(argv[1][0] == '-' && !argv[1][1]) ? argv[1] : NULL;
    struct in *in = p_calloc(p, 1, sizeof *in);
    if (!in) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    in->p = p;
    in->fd = 0;
    if (inname) {
        in->fd = sys_open(p, inname, O_RDONLY, 0);
        if (in->fd < 0) {
            cmd_errno(p, in->fd, "%s", inname);
            return 2;
        }
    }
    int outfd = 1;
    if (argc > 2 && !(argv[2][0] == '-' && !argv[2][1])) {
        outfd = sys_open(p, argv[2], (revert ? O_WRONLY : O_TRUNC | O_WRONLY) | O_CREAT, 0666);
        if (outfd < 0) {
            cmd_errno(p, outfd, "%s", argv[2]);
            return 3;
        }
    }
    struct obuf o;
    obuf_init(&o, p, outfd);
    int status = 0;
    const char *hexx = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    if (revert) {
        if (hextype && hextype != HEX_POSTSCRIPT) {
            cmd_error(p, "sorry, cannot revert this type of hexdump");
            return 1;
        }
        status = huntype(p, in, outfd, &o, cols, hextype, negseek ? -seekoff : seekoff);
        goto done;
    }
    if (seekoff || negseek || !relseek) {
        off_t e;
        if (relseek)
            e = sys_lseek(p, in->fd, negseek ? -seekoff : seekoff, SEEK_CUR);
        else
            e = sys_lseek(p, in->fd, negseek ? -seekoff : seekoff, negseek ? SEEK_END : SEEK_SET);
        if (e < 0 && negseek) {
            cmd_error(p, "sorry cannot seek.");
            status = 4;
            goto done;
        }
        if (e >= 0)
            seekoff = (long)e;
        else {
            for (long s = seekoff; s-- > 0;)
                if (in_getc(in) < 0) {
                    cmd_error(p, "sorry cannot seek.");
                    status = 4;
                    goto done;
                }
        }
    }
    long n = 0;
    int e;
    if (hextype == HEX_CINCLUDE) {
        if (!varname && inname) varname = inname;
        if (varname) {
            obuf_printf(&o, "unsigned char %s", isdigit((unsigned char)varname[0]) ? "__" : "");
            for (const char *v = varname; *v; v++)
                obuf_putc(&o, isalnum((unsigned char)*v)
                                  ? (capitalize ? (char)toupper((unsigned char)*v) : *v)
                                  : '_');
            obuf_puts(&o, "[] = {\n");
        }
        long pcount = 0;
        while ((length < 0 || pcount < length) && (e = in_getc(in)) >= 0) {
            obuf_printf(&o, upper ? "%s0X%02X" : "%s0x%02x",
                        (pcount % cols) ? ", " : (!pcount ? "  " : ",\n  "), e);
            pcount++;
        }
        if (pcount) obuf_puts(&o, "\n");
        if (varname) {
            obuf_puts(&o, "};\n");
            obuf_printf(&o, "unsigned int %s", isdigit((unsigned char)varname[0]) ? "__" : "");
            for (const char *v = varname; *v; v++)
                obuf_putc(&o, isalnum((unsigned char)*v)
                                  ? (capitalize ? (char)toupper((unsigned char)*v) : *v)
                                  : '_');
            obuf_printf(&o, "_%s = %ld;\n", capitalize ? "LEN" : "len", pcount);
        }
        goto done;
    }
    if (hextype == HEX_POSTSCRIPT) {
        int left = cols;
        while ((length < 0 || n < length) && (e = in_getc(in)) >= 0) {
            obuf_putc(&o, hexx[(e >> 4) & 15]);
            obuf_putc(&o, hexx[e & 15]);
            n++;
            if (cols > 0 && !--left) {
                obuf_putc(&o, '\n');
                left = cols;
            }
        }
        if (cols == 0 || left < cols) obuf_putc(&o, '\n');
        goto done;
    }
    {
        int grplen = hextype != HEX_BITS ? octspergrp * 2 + 1 : 8 * octspergrp + 1;
        char *l = p_malloc(p, LLEN + 1);
        struct skip *sk = p_calloc(p, 1, sizeof *sk);
        if (!l || !sk) {
            cmd_error(p, "memory exhausted");
            status = 1;
            goto done;
        }
        int pcount = 0, c = 0, addrlen = 9, nonzero = 0;
        while ((length < 0 || n < length) && (e = in_getc(in)) >= 0) {
            if (pcount == 0) {
                addrlen = snprintf(l, LLEN, decimal ? "%08ld:" : "%08lx:",
                                   (unsigned long)(n + seekoff + (long)displayoff));
                for (c = addrlen; c < LLEN; l[c++] = ' ') continue;
            }
            int x = hextype == HEX_LITTLEENDIAN ? pcount ^ (octspergrp - 1) : pcount;
            c = addrlen + 1 + (grplen * x) / octspergrp;
            if (hextype == HEX_NORMAL || hextype == HEX_LITTLEENDIAN) {
                l[c] = hexx[(e >> 4) & 15];
                l[++c] = hexx[e & 15];
            } else
                for (int i = 7; i >= 0; i--) l[c++] = (e & (1 << i)) ? '1' : '0';
            if (e) nonzero++;
            c = addrlen + 3 + (grplen * cols - 1) / octspergrp + pcount;
            l[c++] = (char)(e > 31 && e < 127 ? e : '.');
            n++;
            if (++pcount == cols) {
                l[c] = '\n';
                l[++c] = '\0';
                xxdline(&o, sk, l, autoskip ? nonzero : 1);
                nonzero = 0;
                pcount = 0;
            }
            if ((n & 0xffff) == 0 && (proc_check(p) < 0 || obuf_failed(&o))) break;
        }
        if (pcount) {
            l[c] = '\n';
            l[++c] = '\0';
            xxdline(&o, sk, l, 1);
        } else if (autoskip)
            xxdline(&o, sk, l, -1);
    }
done:
    if (in->err && in->err != -EINTR) {
        cmd_errno(p, in->err, "%s", inname ? inname : "stdin");
        status = 2;
    }
    if (in->fd > 0) sys_close(p, in->fd);
    status = cmd_close_stdout(p, &o, status);
    if (outfd != 1) sys_close(p, outfd);
    return status;
}
