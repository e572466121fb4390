/* bzip2.c — bzip2/bunzip2/bzcat (bzip2 1.0.8) and xz/unxz/xzcat (XZ Utils
 * 5.4.1) through libarchive's bzip2 and xz filters over the raw format:
 * -z -d -c -k -f -t -q -1..-9, the tools' suffix rules and their common
 * messages. Input and output only through sys_* calls (libarchive's
 * callback API). */
#include "cmd/cmd.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

static const char xz_help[] =
    "Usage: xz [OPTION]... [FILE]...\n"
    "Compress or decompress FILEs in the .xz format.\n"
    "\n"
    "  -z, --compress      force compression\n"
    "  -d, --decompress    force decompression\n"
    "  -t, --test          test compressed file integrity\n"
    "  -l, --list          list information about .xz files\n"
    "  -k, --keep          keep (don't delete) input files\n"
    "  -f, --force         force overwrite of output file and (de)compress links\n"
    "  -c, --stdout        write to standard output and don't delete input files\n"
    "  -0 ... -9           compression preset; default is 6; take compressor *and*\n"
    "                      decompressor memory usage into account before using 7-9!\n"
    "  -e, --extreme       try to improve compression ratio by using more CPU time;\n"
    "                      does not affect decompressor memory requirements\n"
    "  -T, --threads=NUM   use at most NUM threads; the default is 1; set to 0\n"
    "                      to use as many threads as there are processor cores\n"
    "  -q, --quiet         suppress warnings; specify twice to suppress errors too\n"
    "  -v, --verbose       be verbose; specify twice for even more verbose\n"
    "  -h, --help          display this short help and exit\n"
    "  -H, --long-help     display the long help (lists also the advanced options)\n"
    "  -V, --version       display the version number and exit\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "Report bugs to <xz@tukaani.org> (in English or Finnish).\n"
    "XZ Utils home page: <https://tukaani.org/xz/>\n";

static const char bz_help[] =
    "bzip2, a block-sorting file compressor.  Version 1.0.8, 13-Jul-2019.\n"
    "\n"
    "   usage: bzip2 [flags and input files in any order]\n"
    "\n"
    "   -h --help           print this message\n"
    "   -d --decompress     force decompression\n"
    "   -z --compress       force compression\n"
    "   -k --keep           keep (don't delete) input files\n"
    "   -f --force          overwrite existing output files\n"
    "   -t --test           test compressed file integrity\n"
    "   -c --stdout         output to standard out\n"
    "   -q --quiet          suppress noncritical error messages\n"
    "   -v --verbose        be verbose (a 2nd -v gives more)\n"
    "   -L --license        display software version & license\n"
    "   -V --version        display software version & license\n"
    "   -s --small          use less memory (at most 2500k)\n"
    "   -1 .. -9            set block size to 100k .. 900k\n"
    "   --fast              alias for -1\n"
    "   --best              alias for -9\n"
    "\n"
    "   If invoked as `bzip2', default action is to compress.\n"
    "              as `bunzip2',  default action is to decompress.\n"
    "              as `bzcat', default action is to decompress to stdout.\n"
    "\n"
    "   If no file names are given, bzip2 compresses or decompresses\n"
    "   from standard input to standard output.  You can combine\n"
    "   short flags, so `-v -4' means the same as -v4 or -4v, &c.\n"
    "\n";

#define CBUF (128 * 1024)

struct cz {
    struct proc *p;
    bool xz;         /* else bzip2 */
    const char *prog; /* name in messages */
    bool decompress, to_stdout, keep, force, test, quiet;
    int level;
    int status;
    int in, out;
    const char *oname;
    unsigned char *buf;
};

static void czmsg(struct cz *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void czmsg(struct cz *c, const char *fmt, ...)
{
    struct sbuf sb;
    sbuf_init(&sb, c->p);
    va_list ap;
    va_start(ap, fmt);
    sbuf_vprintf(&sb, fmt, ap);
    va_end(ap);
    if (sb.s) p_write_all(c->p, 2, sb.s, sb.len);
    sbuf_free(&sb);
}

static void set_st(struct cz *c, int s)
{
    if (s > c->status) c->status = s;
}

static la_ssize_t cz_read(struct archive *a, void *ud, const void **buf)
{
    struct cz *c = ud;
    if (proc_check(c->p)) {
        archive_set_error(a, EINTR, "Interrupted");
        return -1;
    }
    ssize_t n = sys_read(c->p, c->in, c->buf, CBUF);
    if (n < 0) {
        archive_set_error(a, (int)-n, "%s", cmd_strerror((int)n));
        return -1;
    }
    *buf = c->buf;
    return n;
}

static la_ssize_t cz_write(struct archive *a, void *ud, const void *buf, size_t n)
{
    struct cz *c = ud;
    if (proc_check(c->p)) {
        archive_set_error(a, EINTR, "Interrupted");
        return -1;
    }
    int e = io_write_all(c->p, c->out, buf, n);
    if (e) {
        archive_set_error(a, -e, "%s", cmd_strerror(e));
        return -1;
    }
    return (la_ssize_t)n;
}

static int cz_close(struct archive *a, void *ud)
{
    (void)a;
    (void)ud;
    return ARCHIVE_OK;
}

/* 0 ok, -1 error reported (name: the input's name in messages). */
static int do_compress(struct cz *c, const char *name)
{
    struct archive *a = archive_write_new();
    if (!a) return -1;
    int r = c->xz ? archive_write_add_filter_xz(a) : archive_write_add_filter_bzip2(a);
    archive_write_set_format_raw(a);
    archive_write_set_bytes_per_block(a, 0);
    char lv[4];
    snprintf(lv, sizeof lv, "%d", c->level);
    if (r == ARCHIVE_OK) r = archive_write_set_filter_option(a, NULL, "compression-level", lv);
    if (r == ARCHIVE_OK) r = archive_write_open(a, c, NULL, cz_write, cz_close);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_pathname(e, "data");
    if (r == ARCHIVE_OK) r = archive_write_header(a, e);
    archive_entry_free(e);
    int ret = 0;
    unsigned char *ib = p_malloc(c->p, CBUF);
    if (!ib) r = ARCHIVE_FATAL;
    while (r >= ARCHIVE_WARN) {
        ssize_t n = sys_read(c->p, c->in, ib, CBUF);
        if (n < 0) {
            czmsg(c, "%s: %s: %s\n", c->prog, name, cmd_strerror((int)n));
            ret = -1;
            break;
        }
        if (n == 0) break;
        if (archive_write_data(a, ib, (size_t)n) < 0) {
            r = ARCHIVE_FATAL;
            break;
        }
    }
    if (r >= ARCHIVE_WARN && !ret && archive_write_close(a) != ARCHIVE_OK) r = ARCHIVE_FATAL;
    if (r < ARCHIVE_WARN && !ret) {
        const char *es = archive_error_string(a);
        if (!c->p->killed) czmsg(c, "%s: %s: %s\n", c->prog, name, es ? es : "write error");
        ret = -1;
    }
    archive_write_free(a);
    p_free(c->p, ib);
    return ret;
}

static void read_err(struct cz *c, struct archive *a, const char *name)
{
    const char *es = archive_error_string(a);
    bool trunc = es && (strstr(es, "runcated") || strstr(es, "No progress"));
    if (c->xz)
        czmsg(c, "%s: %s: %s\n", c->prog, name,
              trunc ? "Unexpected end of input" : es ? es : "error");
    else if (trunc)
        czmsg(c,
              "\n%s: Compressed file ends unexpectedly;\n\tperhaps it is corrupted?  "
              "*Possible* reason follows.\n%s: Success\n\tInput file = %s, output file = "
              "%s\n\nIt is possible that the compressed file(s) have become corrupted.\nYou "
              "can use the -tvv option to test integrity of such files.\n\nYou can use the "
              "`bzip2recover' program to attempt to recover\ndata from undamaged sections of "
              "corrupted files.\n\n",
              c->prog, c->prog, name, c->oname ? c->oname : c->out < 0 ? "(none)" : "(stdout)");
    else
        czmsg(c, "%s: %s: %s\n", c->prog, name, es ? es : "error");
}

/* 0 ok, -1 error reported. not_fmt: the input is not in the format. */
static int do_decompress(struct cz *c, const char *name, bool *not_fmt)
{
    struct archive *a = archive_read_new();
    if (!a) return -1;
    if (c->xz) {
        archive_read_support_filter_xz(a);
        archive_read_support_filter_lzma(a);
    } else {
        archive_read_support_filter_bzip2(a);
    }
    archive_read_support_format_raw(a);
    archive_read_support_format_empty(a);
    int ret = 0;
    struct archive_entry *e;
    int r = archive_read_open(a, c, NULL, cz_read, cz_close);
    if (r == ARCHIVE_OK) r = archive_read_next_header(a, &e);
    int code = archive_filter_code(a, 0);
    if (r == ARCHIVE_EOF || (r >= ARCHIVE_WARN && code != ARCHIVE_FILTER_BZIP2 &&
                             code != ARCHIVE_FILTER_XZ && code != ARCHIVE_FILTER_LZMA) ||
        (r < ARCHIVE_WARN && code == ARCHIVE_FILTER_NONE)) {
        *not_fmt = true;
        archive_read_free(a);
        return -1;
    }
    if (r < ARCHIVE_WARN) {
        read_err(c, a, name);
        archive_read_free(a);
        return -1;
    }
    unsigned char *ob = p_malloc(c->p, CBUF);
    if (!ob) {
        archive_read_free(a);
        return -1;
    }
    la_ssize_t n;
    while ((n = archive_read_data(a, ob, CBUF)) > 0) {
        if (c->out < 0) continue;
        int w = io_write_all(c->p, c->out, ob, (size_t)n);
        if (w) {
            if (w != -EINTR && w != -EPIPE)
                czmsg(c, "%s: %s: %s\n", c->prog, c->out == 1 ? "(stdout)" : name, cmd_strerror(w));
            ret = -1;
            break;
        }
    }
    if (n < 0 && !ret) {
        read_err(c, a, name);
        ret = -1;
    }
    p_free(c->p, ob);
    archive_read_free(a);
    return ret;
}

static const char *sfx_in(struct cz *c, const char *name, const char **repl)
{
    static const char *const bz[][2] = {{".bz2", ""}, {".bz", ""}, {".tbz2", ".tar"}, {".tbz", ".tar"}};
    static const char *const xz[][2] = {{".xz", ""}, {".txz", ".tar"}, {".lzma", ""}, {".tlz", ".tar"}};
    size_t l = strlen(name);
    int n = 4;
    for (int i = 0; i < n; i++) {
        const char *s = c->xz ? xz[i][0] : bz[i][0];
        size_t sl = strlen(s);
        if (l > sl && !strcmp(name + l - sl, s)) {
            *repl = c->xz ? xz[i][1] : bz[i][1];
            return name + l - sl;
        }
    }
    return NULL;
}

static void treat(struct cz *c, const char *name)
{
    struct proc *p = c->p;
    bool isstd = name == NULL;
    const char *disp = isstd ? (c->xz ? "(stdin)" : "(stdin)") : name;
    char *oname = NULL;
    struct stat st;
    if (!isstd) {
        int r = sys_stat(p, name, &st);
        if (r < 0) {
            if (c->xz)
                czmsg(c, "%s: %s: %s\n", c->prog, name, cmd_strerror(r));
            else
                czmsg(c, "%s: Can't open input file %s: %s.\n", c->prog, name, cmd_strerror(r));
            set_st(c, 1);
            return;
        }
        if (S_ISDIR(st.st_mode)) {
            if (c->xz)
                czmsg(c, "%s: %s: Is a directory, skipping\n", c->prog, name);
            else
                czmsg(c, "%s: Input file %s is a directory.\n", c->prog, name);
            set_st(c, c->xz ? 2 : 1);
            return;
        }
        if (!c->to_stdout && !c->test) {
            const char *repl = "";
            const char *s = sfx_in(c, name, &repl);
            if (c->decompress) {
                size_t bl = s ? (size_t)(s - name) : strlen(name);
                if (!s) {
                    unsigned char m[6] = {0};
                    int fd = sys_open(p, name, O_RDONLY, 0);
                    if (fd >= 0) {
                        sys_read(p, fd, m, 6);
                        sys_close(p, fd);
                    }
                    if (c->xz && memcmp(m, "\xfd" "7zXZ\0", 6) && m[0] != 0x5d) {
                        czmsg(c, "%s: %s: File format not recognized\n", c->prog, name);
                        set_st(c, 1);
                        return;
                    }
                    if (c->xz) {
                        czmsg(c, "%s: %s: Filename has an unknown suffix, skipping\n", c->prog,
                              name);
                        set_st(c, 2);
                        return;
                    }
                    czmsg(c, "%s: Can't guess original name for %s -- using %s.out\n", c->prog,
                          name, name);
                    repl = ".out";
                }
                oname = p_malloc(p, bl + 6);
                if (!oname) return;
                memcpy(oname, name, bl);
                strcpy(oname + bl, repl);
            } else {
                if (s && !strcmp(s, c->xz ? ".xz" : ".bz2")) {
                    if (c->xz)
                        czmsg(c, "%s: %s: File already has `.xz' suffix, skipping\n", c->prog, name);
                    else
                        czmsg(c, "%s: Input file %s already has .bz2 suffix.\n", c->prog, name);
                    set_st(c, c->xz ? 2 : 1);
                    return;
                }
                oname = p_malloc(p, strlen(name) + 5);
                if (!oname) return;
                strcpy(oname, name);
                strcat(oname, c->xz ? ".xz" : ".bz2");
            }
        }
        c->in = sys_open(p, name, O_RDONLY, 0);
        if (c->in < 0) {
            if (c->xz)
                czmsg(c, "%s: %s: %s\n", c->prog, name, cmd_strerror(c->in));
            else
                czmsg(c, "%s: Can't open input file %s: %s.\n", c->prog, name, cmd_strerror(c->in));
            set_st(c, 1);
            return;
        }
    } else {
        c->in = 0;
    }
    c->out = c->test ? -1 : 1;
    if (oname) {
        c->out = sys_open(p, oname, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (c->out == -EEXIST && c->force) {
            sys_unlink(p, oname);
            c->out = sys_open(p, oname, O_WRONLY | O_CREAT | O_EXCL, 0600);
        }
        if (c->out < 0) {
            if (c->out == -EEXIST && !c->xz)
                czmsg(c, "%s: Output file %s already exists.\n", c->prog, oname);
            else
                czmsg(c, "%s: %s: %s\n", c->prog, oname, cmd_strerror(c->out));
            set_st(c, 1);
            if (!isstd) sys_close(p, c->in);
            return;
        }
    }
    c->oname = oname;
    int r;
    bool not_fmt = false;
    if (c->decompress)
        r = do_decompress(c, disp, &not_fmt);
    else
        r = do_compress(c, disp);
    if (!isstd) sys_close(p, c->in);
    if (oname) sys_close(p, c->out);
    if (not_fmt) {
        if (c->xz)
            czmsg(c, "%s: %s: File format not recognized\n", c->prog, disp);
        else if (c->test)
            czmsg(c, "%s: %s: bad magic number (file not created by bzip2)\n\n"
                     "You can use the `bzip2recover' program to attempt to recover\n"
                     "data from undamaged sections of corrupted files.\n\n",
                  c->prog, disp);
        else
            czmsg(c, "%s: %s is not a bzip2 file.\n", c->prog, disp);
        set_st(c, c->xz ? 1 : 2);
    } else if (r < 0) {
        set_st(c, c->xz ? 1 : 2);
    }
    if (r < 0) {
        if (oname) sys_unlink(p, oname);
        return;
    }
    if (oname) {
        sys_chmod(p, oname, st.st_mode & 07777);
        struct timespec ts[2] = {st.st_atim, st.st_mtim};
        sys_utimens(p, oname, ts, false);
        if (!c->keep) sys_unlink(p, name);
    }
}

static const struct opt_long cz_longs[] = {{"compress", OPT_NOARG, 'z'},
                                           {"decompress", OPT_NOARG, 'd'},
                                           {"uncompress", OPT_NOARG, 'd'},
                                           {"stdout", OPT_NOARG, 'c'},
                                           {"to-stdout", OPT_NOARG, 'c'},
                                           {"keep", OPT_NOARG, 'k'},
                                           {"force", OPT_NOARG, 'f'},
                                           {"test", OPT_NOARG, 't'},
                                           {"quiet", OPT_NOARG, 'q'},
                                           {"fast", OPT_NOARG, '1'},
                                           {"best", OPT_NOARG, '9'},
                                           {0}};

static int cz_main(struct proc *p, int argc, char **argv, bool xz, int mode, const char *prog)
{
    static const char xz_version[] = "xz (XZ Utils) 5.4.1\nliblzma 5.4.1\n";
    static const char bz_version[] =
        "bzip2, a block-sorting file compressor.  Version 1.0.8, 13-Jul-2019.\n";
    struct opt_spec spec = {.name = prog,
                            .shorts = "zdckftqh0123456789V",
                            .longs = cz_longs,
                            .help = "",
                            .version = xz ? xz_version : bz_version,
                            .try_text = xz ? "%s: Try `xz --help' for more information.\n" : NULL,
                            .flags = OPT_NO_HELP};
    struct cz c = {.p = p, .xz = xz, .prog = prog, .level = xz ? 6 : 9};
    if (mode >= 1) c.decompress = true;
    if (mode == 2) c.to_stdout = true;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) break;
        if (!strcmp(argv[i], "--help")) {
            const char *h = xz ? xz_help : bz_help;
            p_write_all(p, xz ? 1 : 2, h, strlen(h));
            return 0;
        }
        if (!strcmp(argv[i], "--version")) {
            p_write_all(p, xz ? 1 : 2, spec.version, strlen(spec.version));
            return 0;
        }
    }
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int ch; (ch = opt_next(&o)) != OPT_END;) {
        switch (ch) {
        case OPT_EXIT:
            if (!xz) {
                czmsg(&c, "%s", bz_help);
                return 1;
            }
            return 1;
        case 'z': c.decompress = false; break;
        case 'd': c.decompress = true; break;
        case 'c': c.to_stdout = true; break;
        case 'k': c.keep = true; break;
        case 'f': c.force = true; break;
        case 't': c.test = c.decompress = true; break;
        case 'q': c.quiet = true; break;
        case 'h': {
            const char *h = xz ? xz_help : bz_help;
            p_write_all(p, xz ? 1 : 2, h, strlen(h));
            return 0;
        }
        case 'V': p_write_all(p, xz ? 1 : 2, spec.version, strlen(spec.version)); return 0;
        default:
            if (ch >= '0' && ch <= '9') c.level = ch - '0' ? ch - '0' : (xz ? 0 : 1);
            break;
        }
    }
    c.buf = p_malloc(p, CBUF);
    if (!c.buf) return 1;
    if (o.ind >= argc)
        treat(&c, NULL);
    for (int i = o.ind; i < argc; i++) {
        treat(&c, strcmp(argv[i], "-") ? argv[i] : NULL);
        if (p->killed) break;
    }
    return c.status;
}

int cmd_bzip2(struct proc *p, int argc, char **argv)
{
    return cz_main(p, argc, argv, false, 0, "bzip2");
}
int cmd_bunzip2(struct proc *p, int argc, char **argv)
{
    return cz_main(p, argc, argv, false, 1, "bunzip2");
}
int cmd_bzcat(struct proc *p, int argc, char **argv)
{
    return cz_main(p, argc, argv, false, 2, "bzcat");
}
int cmd_xz(struct proc *p, int argc, char **argv)
{
    return cz_main(p, argc, argv, true, 0, "xz");
}
int cmd_unxz(struct proc *p, int argc, char **argv)
{
    return cz_main(p, argc, argv, true, 1, "unxz");
}
int cmd_xzcat(struct proc *p, int argc, char **argv)
{
    return cz_main(p, argc, argv, true, 2, "xzcat");
}
