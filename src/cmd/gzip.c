/* gzip.c — gzip, gunzip and zcat (GNU gzip 1.12) on zlib: -c -d -k -f -l
 * -n -N -q -r -S -t -v -1..-9, multi-member input, GNU's suffix rules and
 * messages. Every byte goes through sys_read/sys_write; zlib allocates
 * through p_malloc so the VM's memory limit applies. Debian's zcat and
 * gunzip are scripts running gzip, so messages always say "gzip". */
#include "cmd/cmd.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <zlib.h>

static const char gzip_help[] =
    "Usage: gzip [OPTION]... [FILE]...\n"
    "Compress or uncompress FILEs (by default, compress FILES in-place).\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "\n"
    "  -c, --stdout      write on standard output, keep original files unchanged\n"
    "  -d, --decompress  decompress\n"
    "  -f, --force       force overwrite of output file and compress links\n"
    "  -h, --help        give this help\n"
    "  -k, --keep        keep (don't delete) input files\n"
    "  -l, --list        list compressed file contents\n"
    "  -L, --license     display software license\n"
    "  -n, --no-name     do not save or restore the original name and timestamp\n"
    "  -N, --name        save or restore the original name and timestamp\n"
    "  -q, --quiet       suppress all warnings\n"
    "  -r, --recursive   operate recursively on directories\n"
    "      --rsyncable   make rsync-friendly archive\n"
    "  -S, --suffix=SUF  use suffix SUF on compressed files\n"
    "      --synchronous synchronous output (safer if system crashes, but slower)\n"
    "  -t, --test        test compressed file integrity\n"
    "  -v, --verbose     verbose mode\n"
    "  -V, --version     display version number\n"
    "  -1, --fast        compress faster\n"
    "  -9, --best        compress better\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "Report bugs to <bug-gzip@gnu.org>.\n";

static const char gunzip_help[] =
    "Usage: /usr/bin/gunzip [OPTION]... [FILE]...\n"
    "Uncompress FILEs (by default, in-place).\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "\n"
    "  -c, --stdout      write on standard output, keep original files unchanged\n"
    "  -f, --force       force overwrite of output file and compress links\n"
    "  -k, --keep        keep (don't delete) input files\n"
    "  -l, --list        list compressed file contents\n"
    "  -n, --no-name     do not save or restore the original name and timestamp\n"
    "  -N, --name        save or restore the original name and timestamp\n"
    "  -q, --quiet       suppress all warnings\n"
    "  -r, --recursive   operate recursively on directories\n"
    "  -S, --suffix=SUF  use suffix SUF on compressed files\n"
    "      --synchronous synchronous output (safer if system crashes, but slower)\n"
    "  -t, --test        test compressed file integrity\n"
    "  -v, --verbose     verbose mode\n"
    "      --help        display this help and exit\n"
    "      --version     display version information and exit\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "Report bugs to <bug-gzip@gnu.org>.\n";

static const char zcat_help[] =
    "Usage: /usr/bin/zcat [OPTION]... [FILE]...\n"
    "Uncompress FILEs to standard output.\n"
    "\n"
    "  -f, --force       force; read compressed data even from a terminal\n"
    "  -l, --list        list compressed file contents\n"
    "  -q, --quiet       suppress all warnings\n"
    "  -r, --recursive   operate recursively on directories\n"
    "  -S, --suffix=SUF  use suffix SUF on compressed files\n"
    "      --synchronous synchronous output (safer if system crashes, but slower)\n"
    "  -t, --test        test compressed file integrity\n"
    "  -v, --verbose     verbose mode\n"
    "      --help        display this help and exit\n"
    "      --version     display version information and exit\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "Report bugs to <bug-gzip@gnu.org>.\n";

static const char gzip_version[] =
    "gzip 1.12\n"
    "Copyright (C) 2018 Free Software Foundation, Inc.\n"
    "Copyright (C) 1993 Jean-loup Gailly.\n"
    "This is free software.  You may redistribute copies of it under the terms of\n"
    "the GNU General Public License <https://www.gnu.org/licenses/gpl.html>.\n"
    "There is NO WARRANTY, to the extent permitted by law.\n"
    "\n"
    "Written by Jean-loup Gailly.\n";

#define SCRIPT_VERSION(n)                                                                   \
    n " (gzip) 1.12\n"                                                                     \
      "Copyright (C) 2007, 2011-2018 Free Software Foundation, Inc.\n"                     \
      "This is free software.  You may redistribute copies of it under the terms of\n"     \
      "the GNU General Public License <https://www.gnu.org/licenses/gpl.html>.\n"          \
      "There is NO WARRANTY, to the extent permitted by law.\n"                            \
      "\n"                                                                                 \
      "Written by Paul Eggert.\n"

static const char gzip_license[] =
    "gzip 1.12\n"
    "Copyright (C) 2018 Free Software Foundation, Inc.\n"
    "Copyright (C) 1993 Jean-loup Gailly.\n"
    "This is free software.  You may redistribute copies of it under the terms of\n"
    "the GNU General Public License <https://www.gnu.org/licenses/gpl.html>.\n"
    "There is NO WARRANTY, to the extent permitted by law.\n";

enum { OK = 0, ERROR = 1, WARNING = 2 };
enum { GZO_RSYNC = 256, GZO_SYNC = 257, GZO_NOOP = 258 };

static const struct opt_long longs[] = {{"stdout", OPT_NOARG, 'c'},
                                        {"to-stdout", OPT_NOARG, 'c'},
                                        {"decompress", OPT_NOARG, 'd'},
                                        {"uncompress", OPT_NOARG, 'd'},
                                        {"force", OPT_NOARG, 'f'},
                                        {"keep", OPT_NOARG, 'k'},
                                        {"list", OPT_NOARG, 'l'},
                                        {"license", OPT_NOARG, 'L'},
                                        {"no-name", OPT_NOARG, 'n'},
                                        {"name", OPT_NOARG, 'N'},
                                        {"quiet", OPT_NOARG, 'q'},
                                        {"silent", OPT_NOARG, 'q'},
                                        {"recursive", OPT_NOARG, 'r'},
                                        {"suffix", OPT_ARG, 'S'},
                                        {"synchronous", OPT_NOARG, GZO_SYNC},
                                        {"test", OPT_NOARG, 't'},
                                        {"verbose", OPT_NOARG, 'v'},
                                        {"fast", OPT_NOARG, '1'},
                                        {"best", OPT_NOARG, '9'},
                                        {0}};

struct gz {
    struct proc *p;
    bool to_stdout, decompress, force, keep, list, quiet, recursive, test;
    int verbose, level;
    int no_name, no_time; /* -1: default */
    const char *suffix;
    int status;
    bool first_list;
    int64_t total_in, total_out, header_bytes;
    int list_files;
    unsigned char *ibuf, *obuf;
};

#define GZ_BUF (256 * 1024)

static void set_status(struct gz *g, int s)
{
    if (s == ERROR)
        g->status = ERROR;
    else if (g->status == OK)
        g->status = s;
}

static void msg(struct gz *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void msg(struct gz *g, const char *fmt, ...)
{
    char buf[4600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    p_write_all(g->p, 2, buf, strlen(buf));
}

static void warn(struct gz *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct gz *g, const char *fmt, ...)
{
    if (!g->quiet) {
        char buf[4600];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
        p_write_all(g->p, 2, buf, strlen(buf));
    }
    set_status(g, WARNING);
}

static void *zalloc(void *opaque, unsigned items, unsigned size)
{
    return p_calloc(opaque, items, size);
}
static void zfree(void *opaque, void *ptr)
{
    p_free(opaque, ptr);
}

/* ---- a read buffer over an fd --------------------------------------------- */
struct rd {
    struct proc *p;
    int fd;
    unsigned char *buf;
    size_t pos, len;
    int err;
    bool eof;
    int64_t total; /* bytes consumed */
};

static int rd_fill(struct rd *r)
{
    if (r->pos < r->len) return 1;
    if (r->eof) return 0;
    ssize_t n = sys_read(r->p, r->fd, r->buf, GZ_BUF);
    if (n < 0) {
        r->err = (int)n;
        r->eof = true;
        return 0;
    }
    if (n == 0) {
        r->eof = true;
        return 0;
    }
    r->pos = 0;
    r->len = (size_t)n;
    return 1;
}

static int rd_getc(struct rd *r)
{
    if (!rd_fill(r)) return -1;
    r->total++;
    return r->buf[r->pos++];
}

/* ---- writing ------------------------------------------------------------- */
static int out_write(struct gz *g, int fd, const void *b, size_t n)
{
    if (fd < 0 || n == 0) return 0;
    return io_write_all(g->p, fd, b, n);
}

static void put32(unsigned char *b, uint32_t v)
{
    b[0] = (unsigned char)v;
    b[1] = (unsigned char)(v >> 8);
    b[2] = (unsigned char)(v >> 16);
    b[3] = (unsigned char)(v >> 24);
}

static void display_ratio(struct sbuf *sb, int64_t num, int64_t den)
{
    sbuf_printf(sb, "%5.1f%%", den == 0 ? 0.0 : 100.0 * (double)num / (double)den);
}

/* Compress in to out. Returns 0, or a negative errno (read: *rerr set). */
static int do_zip(struct gz *g, int in, int out, const char *name, uint32_t mtime, int64_t *bin,
                  int64_t *bout, int64_t *hbytes, bool *read_fail)
{
    struct proc *p = g->p;
    unsigned char hdr[10] = {0x1f, 0x8b, 8, name ? 8 : 0, 0, 0, 0, 0, 0, 3};
    put32(hdr + 4, mtime);
    hdr[8] = g->level == 9 ? 2 : g->level == 1 ? 4 : 0;
    int64_t nout = 0, nin = 0;
    int err = out_write(g, out, hdr, 10);
    nout += 10;
    if (!err && name) {
        size_t nl = strlen(name) + 1;
        err = out_write(g, out, name, nl);
        nout += (int64_t)nl;
    }
    *hbytes = nout + 8;
    if (err) return err;
    z_stream zs = {.zalloc = zalloc, .zfree = zfree, .opaque = p};
    if (deflateInit2(&zs, g->level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -ENOMEM;
    uLong crc = crc32(0, NULL, 0);
    int flush = Z_NO_FLUSH;
    while (flush != Z_FINISH) {
        ssize_t n = sys_read(p, in, g->ibuf, GZ_BUF);
        if (n < 0) {
            *read_fail = true;
            err = (int)n;
            break;
        }
        if (n == 0) flush = Z_FINISH;
        crc = crc32(crc, g->ibuf, (uInt)n);
        nin += n;
        zs.next_in = g->ibuf;
        zs.avail_in = (uInt)n;
        do {
            zs.next_out = g->obuf;
            zs.avail_out = GZ_BUF;
            int rc = deflate(&zs, flush);
            if (rc == Z_STREAM_ERROR) {
                err = -EIO;
                break;
            }
            size_t have = GZ_BUF - zs.avail_out;
            err = out_write(g, out, g->obuf, have);
            nout += (int64_t)have;
            if (err) break;
            if ((err = proc_check(p)) != 0) break;
        } while (zs.avail_out == 0);
        if (err) break;
    }
    deflateEnd(&zs);
    if (err) return err;
    unsigned char tr[8];
    put32(tr, (uint32_t)crc);
    put32(tr + 4, (uint32_t)nin);
    err = out_write(g, out, tr, 8);
    nout += 8;
    *bin = nin;
    *bout = nout;
    return err;
}

/* Header of one member. 1 ok, 0 clean EOF (no bytes), -1 not gzip, -2 EOF
 * inside the header. */
struct hdr {
    uint32_t mtime;
    char name[1024];
    bool has_name;
    int64_t len;
};

static int read_header(struct rd *r, struct hdr *h, int first, int *c0)
{
    int64_t start = r->total;
    int a = rd_getc(r);
    if (a < 0) return 0;
    *c0 = a;
    int b = rd_getc(r);
    if (b < 0) return first ? -1 : -3;
    if (a != 0x1f || (b != 0x8b && b != 0x9e)) return first ? -1 : -3;
    int m = rd_getc(r);
    if (m < 0) return -2;
    if (m != 8) return -4;
    int flags = rd_getc(r);
    if (flags < 0) return -2;
    if (flags & 0xe0) return -5;
    uint32_t t = 0;
    for (int i = 0; i < 4; i++) {
        int c = rd_getc(r);
        if (c < 0) return -2;
        t |= (uint32_t)c << (8 * i);
    }
    h->mtime = t;
    if (rd_getc(r) < 0 || rd_getc(r) < 0) return -2;
    if (flags & 4) {
        int l0 = rd_getc(r), l1 = rd_getc(r);
        if (l1 < 0) return -2;
        for (int n = l0 | (l1 << 8); n > 0; n--)
            if (rd_getc(r) < 0) return -2;
    }
    h->has_name = false;
    if (flags & 8) {
        size_t k = 0;
        int c;
        while ((c = rd_getc(r)) > 0)
            if (k + 1 < sizeof h->name) h->name[k++] = (char)c;
        if (c < 0) return -2;
        h->name[k] = 0;
        h->has_name = true;
    }
    if (flags & 16) {
        int c;
        while ((c = rd_getc(r)) > 0) {
        }
        if (c < 0) return -2;
    }
    if (flags & 2)
        if (rd_getc(r) < 0 || rd_getc(r) < 0) return -2;
    h->len = r->total - start;
    return 1;
}

/* Decompress all members of r to out (fd, or -1 for test). Returns OK,
 * WARNING or ERROR (message given); *first gets the first header. */
static int do_unzip(struct gz *g, struct rd *r, int out, const char *ifname, struct hdr *first,
                    int64_t *bout, bool *not_gzip)
{
    struct proc *p = g->p;
    int64_t nout = 0;
    for (int member = 0;; member++) {
        struct hdr h;
        int c0 = 0;
        int rc = read_header(r, &h, member == 0, &c0);
        if (rc == 0) {
            if (member == 0) {
                *not_gzip = true;
                return ERROR;
            }
            break;
        }
        if (rc == -1) {
            *not_gzip = true;
            return ERROR;
        }
        if (rc == -3) {
            /* trailing garbage: zeros are ignored silently */
            bool zeros = c0 == 0;
            if (zeros) {
                for (;;) {
                    if (!rd_fill(r)) break;
                    size_t i = r->pos;
                    while (i < r->len && r->buf[i] == 0) i++;
                    if (i < r->len) {
                        zeros = false;
                        break;
                    }
                    r->total += (int64_t)(r->len - r->pos);
                    r->pos = r->len;
                }
            }
            if (!zeros)
                warn(g, "\ngzip: %s: decompression OK, trailing garbage ignored\n", ifname);
            break;
        }
        if (rc == -2) {
            msg(g, "\ngzip: %s: unexpected end of file\n", ifname);
            return ERROR;
        }
        if (rc == -4) {
            msg(g, "\ngzip: %s: unknown method %d -- not supported\n", ifname, 8);
            return ERROR;
        }
        if (rc == -5) {
            msg(g, "\ngzip: %s is encrypted -- not supported\n", ifname);
            return ERROR;
        }
        if (member == 0) *first = h;
        z_stream zs = {.zalloc = zalloc, .zfree = zfree, .opaque = p};
        if (inflateInit2(&zs, -15) != Z_OK) {
            msg(g, "gzip: memory exhausted\n");
            return ERROR;
        }
        uLong crc = crc32(0, NULL, 0);
        uint32_t len = 0;
        int zr = Z_OK;
        while (zr != Z_STREAM_END) {
            if (!rd_fill(r)) {
                inflateEnd(&zs);
                if (r->err) {
                    msg(g, "gzip: %s: %s\n", ifname, cmd_strerror(r->err));
                    return ERROR;
                }
                msg(g, "\ngzip: %s: unexpected end of file\n", ifname);
                return ERROR;
            }
            zs.next_in = r->buf + r->pos;
            zs.avail_in = (uInt)(r->len - r->pos);
            do {
                zs.next_out = g->obuf;
                zs.avail_out = GZ_BUF;
                zr = inflate(&zs, Z_NO_FLUSH);
                if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT || zr == Z_STREAM_ERROR) {
                    inflateEnd(&zs);
                    msg(g, "\ngzip: %s: invalid compressed data--format violated\n", ifname);
                    return ERROR;
                }
                if (zr == Z_MEM_ERROR) {
                    inflateEnd(&zs);
                    msg(g, "gzip: memory exhausted\n");
                    return ERROR;
                }
                size_t have = GZ_BUF - zs.avail_out;
                crc = crc32(crc, g->obuf, (uInt)have);
                len += (uint32_t)have;
                nout += (int64_t)have;
                int err = out_write(g, out, g->obuf, have);
                if (err) {
                    inflateEnd(&zs);
                    if (err != -EINTR && err != -EPIPE)
                        msg(g, "gzip: %s: %s\n", out == 1 ? "stdout" : ifname, cmd_strerror(err));
                    return ERROR;
                }
                if (proc_check(p)) {
                    inflateEnd(&zs);
                    return ERROR;
                }
            } while (zs.avail_out == 0 && zr != Z_STREAM_END);
            size_t used = (r->len - r->pos) - zs.avail_in;
            r->pos += used;
            r->total += (int64_t)used;
        }
        inflateEnd(&zs);
        unsigned char tr[8];
        for (int i = 0; i < 8; i++) {
            int c = rd_getc(r);
            if (c < 0) {
                msg(g, "\ngzip: %s: unexpected end of file\n", ifname);
                return ERROR;
            }
            tr[i] = (unsigned char)c;
        }
        uint32_t tcrc = tr[0] | tr[1] << 8 | tr[2] << 16 | (uint32_t)tr[3] << 24;
        uint32_t tlen = tr[4] | tr[5] << 8 | tr[6] << 16 | (uint32_t)tr[7] << 24;
        if (tcrc != (uint32_t)crc) {
            msg(g, "\ngzip: %s: invalid compressed data--crc error\n", ifname);
            return ERROR;
        }
        if (tlen != len) {
            msg(g, "\ngzip: %s: invalid compressed data--length error\n", ifname);
            return ERROR;
        }
    }
    *bout = nout;
    return OK;
}

/* ---- names --------------------------------------------------------------- */
static const char *const known_sfx[] = {".gz", "-gz", ".z", "-z", "_z", ".tgz", ".taz", NULL};

/* Length of the compressed suffix of name (0: none). */
static size_t get_suffix(struct gz *g, const char *name, bool *tgz)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t nl = strlen(base);
    *tgz = false;
    size_t sl = strlen(g->suffix);
    if (sl && nl > sl && strcasecmp(base + nl - sl, g->suffix) == 0) return sl;
    for (int i = 0; known_sfx[i]; i++) {
        size_t l = strlen(known_sfx[i]);
        if (nl > l && strcasecmp(base + nl - l, known_sfx[i]) == 0) {
            if (i >= 5) *tgz = true;
            return l;
        }
    }
    return 0;
}

static void list_line(struct gz *g, struct obuf *o, const char *method, uint32_t crc,
                      uint32_t mtime, int64_t bin, int64_t bout, int64_t hbytes, const char *name)
{
    struct sbuf sb;
    sbuf_init(&sb, g->p);
    if (g->first_list) {
        g->first_list = false;
        if (g->verbose) sbuf_printf(&sb, "method  crc     date  time  ");
        if (!g->quiet)
            sbuf_printf(&sb, "%19s %19s  ratio uncompressed_name\n", "compressed", "uncompressed");
    }
    if (!method) { /* totals */
        if (g->verbose) sbuf_printf(&sb, "                            ");
    } else if (g->verbose) {
        static const char mon[][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        time_t t = mtime;
        struct tm tm;
        sbuf_printf(&sb, "%5s %08lx ", method, (unsigned long)crc);
        if (gmtime_r(&t, &tm))
            sbuf_printf(&sb, "%s%3d %02d:%02d ", mon[tm.tm_mon], tm.tm_mday, tm.tm_hour,
                        tm.tm_min);
        else
            sbuf_printf(&sb, "??? ?? ??:?? ");
    }
    sbuf_printf(&sb, "%19lld %19lld ", (long long)bin, (long long)bout);
    display_ratio(&sb, bout - (bin - hbytes), bout);
    sbuf_printf(&sb, " %s\n", name);
    obuf_write(o, sb.s, sb.len);
    sbuf_free(&sb);
}

/* gzip -l of one open input. */
static void do_list(struct gz *g, struct obuf *o, int fd, const char *ifname, const char *ofname)
{
    struct stat lst;
    uint32_t fmtime = 0;
    if (sys_fstat(g->p, fd, &lst) == 0 && S_ISREG(lst.st_mode)) fmtime = (uint32_t)lst.st_mtime;
    struct proc *p = g->p;
    struct rd r = {.p = p, .fd = fd, .buf = g->ibuf};
    struct hdr h;
    int c0;
    int rc = read_header(&r, &h, 1, &c0);
    if (rc == 0 || rc == -1) {
        msg(g, "\ngzip: %s: not in gzip format\n", ifname);
        set_status(g, ERROR);
        return;
    }
    if (rc < 0) {
        msg(g, "\ngzip: %s: unexpected end of file\n", ifname);
        set_status(g, ERROR);
        return;
    }
    /* size and the last 8 bytes */
    unsigned char last[8] = {0};
    int64_t size = r.total;
    size_t keep = 0;
    for (;;) {
        if (!rd_fill(&r)) break;
        size_t n = r.len - r.pos;
        size += (int64_t)n;
        const unsigned char *s = r.buf + r.pos;
        if (n >= 8) {
            memcpy(last, s + n - 8, 8);
            keep = 8;
        } else {
            size_t sh = keep + n > 8 ? keep + n - 8 : 0;
            memmove(last, last + sh, keep - sh);
            keep -= sh;
            memcpy(last + keep, s, n);
            keep += n;
        }
        r.pos = r.len;
    }
    uint32_t crc = last[0] | last[1] << 8 | last[2] << 16 | (uint32_t)last[3] << 24;
    uint32_t len = last[4] | last[5] << 8 | last[6] << 16 | (uint32_t)last[7] << 24;
    const char *name = ofname;
    if (!g->no_name && g->no_name != -1 && h.has_name) name = h.name;
    int64_t hb = h.len + 8;
    g->header_bytes = hb;
    g->total_in += size;
    g->total_out += len;
    g->list_files++;
    list_line(g, o, "defla", crc, g->no_time == 0 ? h.mtime : fmtime, size, len, hb, name);
}

static char *join_path(struct proc *p, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = p_malloc(p, la + lb + 2);
    if (!s) return NULL;
    memcpy(s, a, la);
    size_t k = la;
    if (k && s[k - 1] != '/') s[k++] = '/';
    memcpy(s + k, b, lb + 1);
    return s;
}

static void treat_file(struct gz *g, struct obuf *o, const char *name);

static void treat_dir(struct gz *g, struct obuf *o, const char *dir)
{
    struct proc *p = g->p;
    int fd = sys_open(p, dir, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) {
        msg(g, "gzip: %s: %s\n", dir, cmd_strerror(fd));
        set_status(g, ERROR);
        return;
    }
    /* collect names first: the directory changes as we go */
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct vfs_dirent ents[64];
    int k;
    while ((k = sys_getdents(p, fd, ents, 64)) > 0) {
        for (int i = 0; i < k; i++) {
            if (!strcmp(ents[i].name, ".") || !strcmp(ents[i].name, "..")) continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 32;
                char **nn = p_realloc(p, names, cap * sizeof *names);
                if (!nn) break;
                names = nn;
            }
            names[n++] = join_path(p, dir, ents[i].name);
        }
    }
    sys_close(p, fd);
    for (size_t i = 0; i < n; i++)
        if (names[i]) treat_file(g, o, names[i]);
}

static void copy_stat(struct gz *g, const char *ofname, const struct stat *st, uint32_t hmtime)
{
    struct proc *p = g->p;
    sys_chmod(p, ofname, st->st_mode & 07777);
    struct timespec ts[2] = {st->st_atim, st->st_mtim};
    if (g->decompress && !g->no_time && g->no_time != -1 && hmtime) {
        ts[1].tv_sec = hmtime;
        ts[1].tv_nsec = 0;
    }
    sys_utimens(p, ofname, ts, false);
}

static void treat_stdin(struct gz *g, struct obuf *o)
{
    struct proc *p = g->p;
    if (!g->force && !g->list && !g->test &&
        (g->decompress ? sys_isatty(p, 0) == 1 : sys_isatty(p, 1) == 1)) {
        msg(g, "gzip: compressed data not %s a terminal. Use -f to force %scompression.\n"
               "For help, type: gzip -h\n",
            g->decompress ? "read from" : "written to", g->decompress ? "de" : "");
        set_status(g, ERROR);
        return;
    }
    if (g->list) {
        do_list(g, o, 0, "stdin", "stdout");
        return;
    }
    obuf_flush(o);
    if (!g->decompress) {
        struct stat st;
        uint32_t mt = 0;
        if (!g->no_time && sys_fstat(p, 0, &st) == 0 && S_ISREG(st.st_mode))
            mt = (uint32_t)st.st_mtime;
        int64_t bin = 0, bout = 0, hb = 0;
        bool rf = false;
        int err = do_zip(g, 0, 1, NULL, mt, &bin, &bout, &hb, &rf);
        if (err) {
            if (err != -EINTR && err != -EPIPE)
                msg(g, "gzip: %s: %s\n", rf ? "stdin" : "stdout", cmd_strerror(err));
            set_status(g, ERROR);
            return;
        }
        if (g->verbose) {
            struct sbuf sb;
            sbuf_init(&sb, p);
            sbuf_printf(&sb, "%s:\t", "stdin");
            display_ratio(&sb, bin - (bout - hb), bin);
            sbuf_addc(&sb, '\n');
            p_write_all(p, 2, sb.s, sb.len);
            sbuf_free(&sb);
        }
        return;
    }
    struct rd r = {.p = p, .fd = 0, .buf = g->ibuf};
    struct hdr h;
    int64_t bout = 0;
    bool not_gz = false;
    int s = do_unzip(g, &r, g->test ? -1 : 1, "stdin", &h, &bout, &not_gz);
    if (not_gz) {
        if (g->force && g->to_stdout && !g->test) {
            /* zcat -f: copy the rest through */
            out_write(g, 1, r.buf, r.len);
            if (!r.eof) {
                ssize_t n;
                while ((n = sys_read(p, 0, g->ibuf, GZ_BUF)) > 0)
                    if (out_write(g, 1, g->ibuf, (size_t)n)) break;
            }
            return;
        }
        msg(g, "\ngzip: stdin: not in gzip format\n");
    }
    set_status(g, s);
    if (s == OK && g->verbose && g->test) msg(g, "stdin:\t OK\n");
}

static void treat_file(struct gz *g, struct obuf *o, const char *iname)
{
    struct proc *p = g->p;
    if (!strcmp(iname, "-")) {
        treat_stdin(g, o);
        return;
    }
    struct stat st;
    int rc = (g->force || g->to_stdout) ? sys_stat(p, iname, &st) : sys_lstat(p, iname, &st);
    bool tg;
    if (rc == -ENOENT && g->decompress && get_suffix(g, iname, &tg) == 0) {
        char *alt = p_malloc(p, strlen(iname) + strlen(g->suffix) + 1);
        if (alt) {
            strcpy(alt, iname);
            strcat(alt, g->suffix);
            iname = alt;
            rc = (g->force || g->to_stdout) ? sys_stat(p, iname, &st) : sys_lstat(p, iname, &st);
        }
    }
    if (rc < 0) {
        msg(g, "gzip: %s: %s\n", iname, cmd_strerror(rc));
        set_status(g, ERROR);
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        if (g->recursive)
            treat_dir(g, o, iname);
        else
            warn(g, "gzip: %s is a directory -- ignored\n", iname);
        return;
    }
    if (S_ISLNK(st.st_mode)) {
        msg(g, "gzip: %s: Too many levels of symbolic links\n", iname);
        set_status(g, ERROR);
        return;
    }
    if (!S_ISREG(st.st_mode) && !g->to_stdout) {
        warn(g, "gzip: %s is not a directory or a regular file - ignored\n", iname);
        return;
    }
    /* output name */
    char *ofname = NULL;
    bool tgz;
    size_t sl = get_suffix(g, iname, &tgz);
    if (g->decompress) {
        if (sl == 0 && !g->list && !g->to_stdout && !g->test) {
            warn(g, "gzip: %s: unknown suffix -- ignored\n", iname);
            return;
        }
        size_t bl = strlen(iname) - sl;
        ofname = p_malloc(p, bl + 5);
        if (!ofname) return;
        memcpy(ofname, iname, bl);
        strcpy(ofname + bl, tgz ? ".tar" : "");
    } else if (!g->to_stdout && !g->list && !g->test) {
        if (sl) {
            if (!g->quiet)
                msg(g, "gzip: %s already has %s suffix -- unchanged\n", iname,
                    iname + strlen(iname) - sl);
            return;
        }
        ofname = p_malloc(p, strlen(iname) + strlen(g->suffix) + 1);
        if (!ofname) return;
        strcpy(ofname, iname);
        strcat(ofname, g->suffix);
    }
    int in = sys_open(p, iname, O_RDONLY, 0);
    if (in < 0) {
        msg(g, "gzip: %s: %s\n", iname, cmd_strerror(in));
        set_status(g, ERROR);
        return;
    }
    if (g->list) {
        const char *base = ofname ? ofname : iname;
        do_list(g, o, in, iname, base);
        sys_close(p, in);
        return;
    }
    obuf_flush(o);
    const char *base = strrchr(iname, '/');
    base = base ? base + 1 : iname;
    if (!g->decompress) {
        int out = 1;
        if (!g->to_stdout) {
            out = sys_open(p, ofname, O_WRONLY | O_CREAT | O_EXCL, 0600);
            if (out == -EEXIST) {
                if (!g->force) {
                    warn(g, "gzip: %s already exists;\tnot overwritten\n", ofname);
                    sys_close(p, in);
                    return;
                }
                sys_unlink(p, ofname);
                out = sys_open(p, ofname, O_WRONLY | O_CREAT | O_EXCL, 0600);
            }
            if (out < 0) {
                msg(g, "gzip: %s: %s\n", ofname, cmd_strerror(out));
                set_status(g, ERROR);
                sys_close(p, in);
                return;
            }
        }
        int64_t bin = 0, bout = 0, hb = 0;
        bool rf = false;
        int err = do_zip(g, in, out, g->no_name ? NULL : base, g->no_time ? 0 : (uint32_t)st.st_mtime,
                         &bin, &bout, &hb, &rf);
        sys_close(p, in);
        if (out != 1) sys_close(p, out);
        if (err) {
            if (err != -EINTR && err != -EPIPE)
                msg(g, "gzip: %s: %s\n", rf ? iname : out == 1 ? "stdout" : ofname,
                    cmd_strerror(err));
            if (out != 1) sys_unlink(p, ofname);
            set_status(g, ERROR);
            return;
        }
        if (out != 1) copy_stat(g, ofname, &st, 0);
        if (g->verbose) {
            struct sbuf sb;
            sbuf_init(&sb, p);
            sbuf_printf(&sb, "%s:\t", iname);
            display_ratio(&sb, bin - (bout - hb), bin);
            if (out != 1) sbuf_printf(&sb, " -- %s %s", g->keep ? "created" : "replaced with", ofname);
            sbuf_addc(&sb, '\n');
            p_write_all(p, 2, sb.s, sb.len);
            sbuf_free(&sb);
        }
        if (out != 1 && !g->keep) sys_unlink(p, iname);
        return;
    }
    /* decompress */
    struct rd r = {.p = p, .fd = in, .buf = g->ibuf};
    struct hdr h = {0};
    int out = -1;
    char *oname = ofname;
    if (!g->to_stdout && !g->test) {
        /* peek at the header for -N's name; read it once and rewind */
        int c0;
        if (!g->no_name && g->no_name != -1) {
            struct hdr ph;
            if (read_header(&r, &ph, 1, &c0) == 1 && ph.has_name) {
                const char *b = strrchr(ph.name, '/');
                b = b ? b + 1 : ph.name;
                if (*b && strcmp(b, ".") && strcmp(b, "..")) {
                    const char *slash = strrchr(iname, '/');
                    size_t dl = slash ? (size_t)(slash - iname) + 1 : 0;
                    oname = p_malloc(p, dl + strlen(b) + 1);
                    if (!oname) return;
                    memcpy(oname, iname, dl);
                    strcpy(oname + dl, b);
                }
            }
            sys_lseek(p, in, 0, SEEK_SET);
            r = (struct rd){.p = p, .fd = in, .buf = g->ibuf};
        }
    } else if (g->to_stdout && !g->test) {
        out = 1;
    }
    bool created = false;
    /* check the magic before creating the output */
    {
        unsigned char m[2];
        ssize_t n = sys_pread(p, in, m, 2, 0);
        if (n >= 0 && (n < 2 || m[0] != 0x1f || (m[1] != 0x8b && m[1] != 0x9e))) {
            if (g->force && g->to_stdout && !g->test) {
                ssize_t k;
                while ((k = sys_read(p, in, g->ibuf, GZ_BUF)) > 0)
                    if (out_write(g, 1, g->ibuf, (size_t)k)) break;
                sys_close(p, in);
                return;
            }
            msg(g, "\ngzip: %s: not in gzip format\n", iname);
            set_status(g, ERROR);
            sys_close(p, in);
            return;
        }
    }
    if (!g->to_stdout && !g->test) {
        out = sys_open(p, oname, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (out == -EEXIST) {
            if (!g->force) {
                warn(g, "gzip: %s already exists;\tnot overwritten\n", oname);
                sys_close(p, in);
                return;
            }
            sys_unlink(p, oname);
            out = sys_open(p, oname, O_WRONLY | O_CREAT | O_EXCL, 0600);
        }
        if (out < 0) {
            msg(g, "gzip: %s: %s\n", oname, cmd_strerror(out));
            set_status(g, ERROR);
            sys_close(p, in);
            return;
        }
        created = true;
    }
    int64_t bout = 0;
    bool not_gz = false;
    int s = do_unzip(g, &r, out, iname, &h, &bout, &not_gz);
    sys_close(p, in);
    if (created) sys_close(p, out);
    if (not_gz) msg(g, "\ngzip: %s: not in gzip format\n", iname);
    if (s == ERROR) {
        if (created) sys_unlink(p, oname);
        set_status(g, ERROR);
        return;
    }
    set_status(g, s);
    if (created) copy_stat(g, oname, &st, h.mtime);
    if (g->verbose) {
        struct sbuf sb;
        sbuf_init(&sb, p);
        sbuf_printf(&sb, "%s:\t", iname);
        if (g->test)
            sbuf_printf(&sb, " OK");
        else
            display_ratio(&sb, bout - (r.total - h.len - 8), bout);
        if (created) sbuf_printf(&sb, " -- %s %s", g->keep ? "created" : "replaced with", oname);
        sbuf_addc(&sb, '\n');
        p_write_all(p, 2, sb.s, sb.len);
        sbuf_free(&sb);
    }
    if (created && !g->keep) sys_unlink(p, iname);
}

static int gzip_main(struct proc *p, int argc, char **argv, int mode)
{
    const char *help = mode == 2 ? zcat_help : mode == 1 ? gunzip_help : gzip_help;
    struct opt_spec spec = {.name = "gzip",
                            .shorts = "0123456789cdfhklLnNqrS:tvV",
                            .longs = longs,
                            .help = help,
                            .version = mode == 2   ? SCRIPT_VERSION("zcat")
                                       : mode == 1 ? SCRIPT_VERSION("gunzip")
                                                   : gzip_version,
                            .try_text = "Try `gzip --help' for more information.\n",
                            .flags = 0};
    struct gz g = {.p = p, .level = 6, .no_name = -1, .no_time = -1, .suffix = ".gz",
                   .first_list = true};
    if (mode >= 1) g.decompress = true;
    if (mode == 2) g.to_stdout = true;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case OPT_EXIT: return o.status;
        case 'c': g.to_stdout = true; break;
        case 'd': g.decompress = true; break;
        case 'f': g.force = true; break;
        case 'h': return opt_help(&o);
        case 'k': g.keep = true; break;
        case 'l': g.list = g.decompress = g.to_stdout = true; break;
        case 'L': p_write_all(p, 1, gzip_license, strlen(gzip_license)); return 0;
        case 'n': g.no_name = g.no_time = 1; break;
        case 'N': g.no_name = g.no_time = 0; break;
        case 'q': g.quiet = true; g.verbose = 0; break;
        case 'r': g.recursive = true; break;
        case 'S':
            if (!*o.arg || strlen(o.arg) > 30) {
                msg(&g, "gzip: invalid suffix '%s'\n", o.arg);
                return ERROR;
            }
            g.suffix = o.arg;
            break;
        case 't': g.test = g.decompress = g.to_stdout = true; break;
        case 'v': g.verbose++; g.quiet = false; break;
        case 'V': return opt_version(&o);
        case GZO_SYNC: break;
        default:
            if (c >= '0' && c <= '9') g.level = c - '0' == 0 ? 1 : c - '0';
            break;
        }
    }
    if (g.no_name < 0) g.no_name = g.decompress ? -1 : 0;
    if (g.no_time < 0) g.no_time = g.decompress ? -1 : 0;
    if (g.decompress && g.no_name == -1) g.no_name = -1;
    g.ibuf = p_malloc(p, GZ_BUF);
    g.obuf = p_malloc(p, GZ_BUF);
    if (!g.ibuf || !g.obuf) {
        msg(&g, "gzip: memory exhausted\n");
        return ERROR;
    }
    struct obuf out;
    obuf_init(&out, p, 1);
    if (o.ind >= argc) {
        if (g.recursive && !g.list) {
            /* gzip -r with no operand still reads stdin */
        }
        treat_stdin(&g, &out);
    }
    for (int i = o.ind; i < argc; i++) {
        treat_file(&g, &out, argv[i]);
        if (p->killed) break;
    }
    if (g.list && !g.quiet && g.list_files > 1)
        list_line(&g, &out, NULL, 0, 0, g.total_in, g.total_out, g.header_bytes, "(totals)");
    obuf_flush(&out);
    obuf_free(&out);
    return g.status;
}

int cmd_gzip(struct proc *p, int argc, char **argv)
{
    return gzip_main(p, argc, argv, 0);
}
int cmd_gunzip(struct proc *p, int argc, char **argv)
{
    return gzip_main(p, argc, argv, 1);
}
int cmd_zcat(struct proc *p, int argc, char **argv)
{
    return gzip_main(p, argc, argv, 2);
}
