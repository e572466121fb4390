/* zip.c — zip and unzip (Info-ZIP zip 3.0 / UnZip 6.00 output) on
 * libarchive. zip: -r -q -j -x, -0..-9, updating an existing archive;
 * unzip: -l -o -n -q -d -p -t -x and member patterns. The archive is read
 * and written only through libarchive's callback API over sys_* calls;
 * members are extracted with sys_open/sys_write, with "../" components
 * and absolute paths stripped as UnZip does, so nothing is written outside
 * the target directory. */
#include "cmd/cmd.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <zlib.h>

static const char zip_help[] =
    "Copyright (c) 1990-2008 Info-ZIP - Type 'zip \"-L\"' for software license.\n"
    "Zip 3.0 (July 5th 2008). Usage:\n"
    "zip [-options] [-b path] [-t mmddyyyy] [-n suffixes] [zipfile list] [-xi list]\n"
    "  The default action is to add or replace zipfile entries from list, which\n"
    "  can include the special name - to compress standard input.\n"
    "  If zipfile and list are omitted, zip compresses stdin to stdout.\n"
    "  -f   freshen: only changed files  -u   update: only changed or new files\n"
    "  -d   delete entries in zipfile    -m   move into zipfile (delete OS files)\n"
    "  -r   recurse into directories     -j   junk (don't record) directory names\n"
    "  -0   store only                   -l   convert LF to CR LF (-ll CR LF to LF)\n"
    "  -1   compress faster              -9   compress better\n"
    "  -q   quiet operation              -v   verbose operation/print version info\n"
    "  -c   add one-line comments        -z   add zipfile comment\n"
    "  -@   read names from stdin        -o   make zipfile as old as latest entry\n"
    "  -x   exclude the following names  -i   include only the following names\n"
    "  -F   fix zipfile (-FF try harder) -D   do not add directory entries\n"
    "  -A   adjust self-extracting exe   -J   junk zipfile prefix (unzipsfx)\n"
    "  -T   test zipfile integrity       -X   eXclude eXtra file attributes\n"
    "  -y   store symbolic links as the link instead of the referenced file\n"
    "  -e   encrypt                      -n   don't compress these suffixes\n"
    "  -h2  show more help\n"
    "  \n";

static const char unzip_help[] =
    "UnZip 6.00 of 20 April 2009, by Debian. Original by Info-ZIP.\n"
    "\n"
    "Usage: unzip [-Z] [-opts[modifiers]] file[.zip] [list] [-x xlist] [-d exdir]\n"
    "  Default action is to extract files in list, except those in xlist, to exdir;\n"
    "  file[.zip] may be a wildcard.  -Z => ZipInfo mode (\"unzip -Z\" for usage).\n"
    "\n"
    "  -p  extract files to pipe, no messages     -l  list files (short format)\n"
    "  -f  freshen existing files, create none    -t  test compressed archive data\n"
    "  -u  update files, create if necessary      -z  display archive comment only\n"
    "  -v  list verbosely/show version info       -T  timestamp archive to latest\n"
    "  -x  exclude files that follow (in xlist)   -d  extract files into exdir\n"
    "modifiers:\n"
    "  -n  never overwrite existing files         -q  quiet mode (-qq => quieter)\n"
    "  -o  overwrite files WITHOUT prompting      -a  auto-convert any text files\n"
    "  -j  junk paths (do not make directories)   -aa treat ALL files as text\n"
    "  -U  use escapes for all non-ASCII Unicode  -UU ignore any Unicode fields\n"
    "  -C  match filenames case-insensitively     -L  make (some) names lowercase\n"
    "  -X  restore UID/GID info                   -V  retain VMS version numbers\n"
    "  -K  keep setuid/setgid/tacky permissions   -M  pipe through \"more\" pager\n"
    "See \"unzip -hh\" or unzip.txt for more help.  Examples:\n"
    "  unzip data1 -x joe   => extract all files except joe from zipfile data1.zip\n"
    "  unzip -p foo | more  => send contents of foo.zip via pipe into program more\n"
    "  unzip -fo foo ReadMe => quietly replace existing ReadMe if archive file newer\n";

#define ZBUF (128 * 1024)

struct zio {
    struct proc *p;
    int fd;
    unsigned char *buf;
};

static la_ssize_t z_read(struct archive *a, void *ud, const void **buf)
{
    struct zio *z = ud;
    if (proc_check(z->p)) {
        archive_set_error(a, EINTR, "Interrupted");
        return -1;
    }
    ssize_t n = sys_read(z->p, z->fd, z->buf, ZBUF);
    if (n < 0) {
        archive_set_error(a, (int)-n, "%s", cmd_strerror((int)n));
        return -1;
    }
    *buf = z->buf;
    return n;
}

static la_int64_t z_seek(struct archive *a, void *ud, la_int64_t off, int whence)
{
    struct zio *z = ud;
    (void)a;
    off_t r = sys_lseek(z->p, z->fd, off, whence);
    return r < 0 ? ARCHIVE_FATAL : r;
}

static la_int64_t z_skip(struct archive *a, void *ud, la_int64_t n)
{
    struct zio *z = ud;
    (void)a;
    off_t cur = sys_lseek(z->p, z->fd, 0, SEEK_CUR);
    if (cur < 0) return 0;
    if (sys_lseek(z->p, z->fd, n, SEEK_CUR) < 0) return 0;
    return n;
}

static la_ssize_t z_write(struct archive *a, void *ud, const void *buf, size_t n)
{
    struct zio *z = ud;
    if (proc_check(z->p)) {
        archive_set_error(a, EINTR, "Interrupted");
        return -1;
    }
    int e = io_write_all(z->p, z->fd, buf, n);
    if (e) {
        archive_set_error(a, -e, "%s", cmd_strerror(e));
        return -1;
    }
    return (la_ssize_t)n;
}

static int z_close(struct archive *a, void *ud)
{
    (void)a;
    (void)ud;
    return ARCHIVE_OK;
}

static struct archive *zip_reader(struct zio *z)
{
    struct archive *a = archive_read_new();
    if (!a) return NULL;
    archive_read_support_format_zip_seekable(a);
    archive_read_set_callback_data(a, z);
    archive_read_set_read_callback(a, z_read);
    archive_read_set_seek_callback(a, z_seek);
    archive_read_set_skip_callback(a, z_skip);
    archive_read_set_close_callback(a, z_close);
    if (archive_read_open1(a) != ARCHIVE_OK) {
        archive_read_free(a);
        return NULL;
    }
    return a;
}

static void zputs(struct proc *p, int fd, const char *s)
{
    p_write_all(p, fd, s, strlen(s));
}

/* Info-ZIP's percent(): the saving of m against n, rounded. */
static int zpercent(uint64_t n, uint64_t m)
{
    while (n > 0xffffffUL) {
        n += 0x80;
        n >>= 8;
        m += 0x80;
        m >>= 8;
    }
    return n > m ? (int)(((n - m) * 200 + n) / (2 * n)) : 0;
}

/* ================================= zip ==================================== */

struct znew {
    char *path;  /* on disk */
    char *name;  /* in the archive */
    struct stat st;
    bool done;
};

struct zipc {
    struct proc *p;
    bool recurse, quiet, junk;
    int level;
    char **excl;
    size_t nexcl;
    struct znew *files;
    size_t nfiles, cap;
    unsigned char *buf, *cbuf;
    int status;
};

static bool zip_excluded(struct zipc *z, const char *name)
{
    for (size_t i = 0; i < z->nexcl; i++)
        if (fnmatch(z->excl[i], name, 0) == 0) return true;
    return false;
}

static void zip_add_file(struct zipc *z, const char *path, struct stat *st)
{
    struct proc *p = z->p;
    const char *n = path;
    while (n[0] == '.' && n[1] == '/') n += 2;
    while (*n == '/') n++;
    if (z->junk) {
        if (S_ISDIR(st->st_mode)) return;
        const char *b = strrchr(n, '/');
        if (b) n = b + 1;
    }
    size_t l = strlen(n);
    char *name = p_malloc(p, l + 2);
    if (!name) return;
    memcpy(name, n, l + 1);
    if (S_ISDIR(st->st_mode) && l && name[l - 1] != '/') strcpy(name + l, "/");
    if (!*name || !strcmp(name, "./") || zip_excluded(z, name)) return;
    for (size_t i = 0; i < z->nfiles; i++)
        if (!strcmp(z->files[i].name, name)) return;
    if (z->nfiles == z->cap) {
        size_t nc = z->cap ? z->cap * 2 : 32;
        struct znew *nf = p_realloc(p, z->files, nc * sizeof *nf);
        if (!nf) return;
        z->files = nf;
        z->cap = nc;
    }
    z->files[z->nfiles++] = (struct znew){p_strdup(p, path), name, *st, false};
}

static void zip_collect(struct zipc *z, const char *path, bool top)
{
    struct proc *p = z->p;
    struct stat st;
    int r = sys_stat(z->p, path, &st);
    if (r < 0) {
        if (top) {
            struct sbuf sb;
            sbuf_init(&sb, p);
            sbuf_printf(&sb, "\tzip warning: name not matched: %s\n", path);
            zputs(p, 1, sb.s);
            sbuf_free(&sb);
        }
        return;
    }
    zip_add_file(z, path, &st);
    if (!S_ISDIR(st.st_mode) || !z->recurse) return;
    int fd = sys_open(p, path, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) return;
    struct vfs_dirent ents[64];
    int k;
    char **kids = NULL;
    size_t nk = 0, kc = 0;
    while ((k = sys_getdents(p, fd, ents, 64)) > 0) {
        for (int i = 0; i < k; i++) {
            if (!strcmp(ents[i].name, ".") || !strcmp(ents[i].name, "..")) continue;
            if (nk == kc) {
                kc = kc ? kc * 2 : 32;
                char **nn = p_realloc(p, kids, kc * sizeof *nn);
                if (!nn) break;
                kids = nn;
            }
            size_t pl = strlen(path);
            char *c = p_malloc(p, pl + strlen(ents[i].name) + 2);
            if (!c) break;
            strcpy(c, path);
            if (pl && c[pl - 1] != '/') strcat(c, "/");
            strcat(c, ents[i].name);
            kids[nk++] = c;
        }
    }
    sys_close(p, fd);
    for (size_t i = 0; i < nk; i++) {
        if (proc_check(p)) return;
        zip_collect(z, kids[i], false);
    }
}

/* Deflated size of a file (first pass), or -1 on a read error. */
static int64_t deflated_size(struct zipc *z, const char *path, int level)
{
    struct proc *p = z->p;
    int fd = sys_open(p, path, O_RDONLY, 0);
    if (fd < 0) return -1;
    z_stream zs = {0};
    if (deflateInit2(&zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        sys_close(p, fd);
        return -1;
    }
    int64_t out = 0;
    int flush = Z_NO_FLUSH;
    while (flush != Z_FINISH) {
        ssize_t n = sys_read(p, fd, z->buf, ZBUF);
        if (n < 0) {
            out = -1;
            break;
        }
        if (n == 0) flush = Z_FINISH;
        zs.next_in = z->buf;
        zs.avail_in = (uInt)n;
        do {
            zs.next_out = z->cbuf;
            zs.avail_out = ZBUF;
            deflate(&zs, flush);
            out += ZBUF - zs.avail_out;
        } while (zs.avail_out == 0);
        if (proc_check(p)) {
            out = -1;
            break;
        }
    }
    deflateEnd(&zs);
    sys_close(p, fd);
    return out;
}

static int zip_write_new(struct zipc *z, struct archive *a, struct znew *f, bool update)
{
    struct proc *p = z->p;
    bool dir = S_ISDIR(f->st.st_mode);
    int64_t csize = 0;
    bool store = dir || z->level == 0 || f->st.st_size == 0;
    if (!store) {
        csize = deflated_size(z, f->path, z->level);
        if (csize < 0 || csize >= f->st.st_size) store = true;
    }
    if (store)
        archive_write_zip_set_compression_store(a);
    else
        archive_write_zip_set_compression_deflate(a);
    struct archive_entry *e = archive_entry_new();
    archive_entry_copy_stat(e, &f->st);
    archive_entry_copy_pathname(e, f->name);
    if (dir) archive_entry_set_size(e, 0);
    archive_entry_unset_atime(e);
    archive_entry_unset_ctime(e);
    archive_entry_unset_birthtime(e);
    if (!z->quiet) {
        struct sbuf sb;
        sbuf_init(&sb, p);
        sbuf_printf(&sb, "%s: %s (%s %d%%)\n", update ? "updating" : "  adding", f->name,
                    store ? "stored" : "deflated",
                    store ? 0 : zpercent((uint64_t)f->st.st_size, (uint64_t)csize));
        zputs(p, 1, sb.s);
        sbuf_free(&sb);
    }
    if (archive_write_header(a, e) < ARCHIVE_WARN) {
        archive_entry_free(e);
        return -1;
    }
    archive_entry_free(e);
    if (!dir) {
        int fd = sys_open(p, f->path, O_RDONLY, 0);
        if (fd >= 0) {
            ssize_t n;
            while ((n = sys_read(p, fd, z->buf, ZBUF)) > 0)
                if (archive_write_data(a, z->buf, (size_t)n) < 0) {
                    sys_close(p, fd);
                    return -1;
                }
            sys_close(p, fd);
        }
    }
    f->done = true;
    return 0;
}

static void zip_error(struct proc *p, const char *fmt, const char *arg)
{
    struct sbuf sb;
    sbuf_init(&sb, p);
    sbuf_add(&sb, "\nzip error: ", 12);
    sbuf_printf(&sb, fmt, arg);
    sbuf_addc(&sb, '\n');
    zputs(p, 1, sb.s);
    sbuf_free(&sb);
}

int cmd_zip(struct proc *p, int argc, char **argv)
{
    struct zipc z = {.p = p, .level = 6};
    const char *zipfile = NULL;
    char **names = p_calloc(p, (size_t)argc + 1, sizeof *names);
    z.excl = p_calloc(p, (size_t)argc + 1, sizeof *z.excl);
    size_t nn = 0;
    bool in_x = false, opts_done = false;
    if (!names || !z.excl) return 1;
    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        zputs(p, 1, zip_help);
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!opts_done && s[0] == '-' && s[1]) {
            if (!strcmp(s, "--")) {
                opts_done = true;
                continue;
            }
            in_x = false;
            if (s[1] == '-') {
                const char *l = s + 2;
                if (!strcmp(l, "recurse-paths")) z.recurse = true;
                else if (!strcmp(l, "quiet")) z.quiet = true;
                else if (!strcmp(l, "junk-paths")) z.junk = true;
                else if (!strcmp(l, "exclude")) in_x = true;
                else if (!strcmp(l, "help")) {
                    zputs(p, 1, zip_help);
                    return 0;
                } else {
                    struct sbuf sb;
                    sbuf_init(&sb, p);
                    sbuf_printf(&sb, "\nzip error: Invalid command arguments (long option '%s' not supported)\n", l);
                    zputs(p, 1, sb.s);
                    return 16;
                }
                continue;
            }
            for (const char *c = s + 1; *c; c++) {
                switch (*c) {
                case 'r': z.recurse = true; break;
                case 'q': z.quiet = true; break;
                case 'j': z.junk = true; break;
                case 'x': in_x = true; break;
                case 'h': zputs(p, 1, zip_help); return 0;
                default:
                    if (*c >= '0' && *c <= '9') {
                        z.level = *c - '0';
                        break;
                    }
                    {
                        char m[128];
                        snprintf(m, sizeof m,
                                 "\nzip error: Invalid command arguments (short option '%c' not "
                                 "supported)\n",
                                 *c);
                        zputs(p, 1, m);
                    }
                    return 16;
                }
            }
            continue;
        }
        if (in_x) {
            z.excl[z.nexcl++] = argv[i];
            continue;
        }
        if (!zipfile)
            zipfile = argv[i];
        else
            names[nn++] = argv[i];
    }
    if (!zipfile) {
        zip_error(p, "%sNothing to do! (try: zip -h)", "");
        return 12;
    }
    /* Info-ZIP adds ".zip" when the name has no suffix */
    const char *base = strrchr(zipfile, '/');
    base = base ? base + 1 : zipfile;
    char *zname = (char *)zipfile;
    if (!strchr(base, '.')) {
        zname = p_malloc(p, strlen(zipfile) + 5);
        if (!zname) return 1;
        strcpy(zname, zipfile);
        strcat(zname, ".zip");
    }
    z.buf = p_malloc(p, ZBUF);
    z.cbuf = p_malloc(p, ZBUF);
    if (!z.buf || !z.cbuf) return 1;
    for (size_t i = 0; i < nn; i++) zip_collect(&z, names[i], true);
    struct stat ost;
    bool exists = sys_stat(p, zname, &ost) == 0;
    if (z.nfiles == 0) {
        zip_error(p, "Nothing to do! (%s)", zname);
        return 12;
    }
    /* write to a temporary file, then rename over the archive */
    char tmp[4096];
    const char *slash = strrchr(zname, '/');
    int dl = slash ? (int)(slash - zname) + 1 : 0;
    int ofd = -1;
    for (int tries = 0; tries < 100 && ofd < 0; tries++) {
        uint32_t rnd = 0;
        sys_getrandom(p, &rnd, sizeof rnd);
        snprintf(tmp, sizeof tmp, "%.*szi%06u", dl, zname, (unsigned)(rnd % 1000000));
        ofd = sys_open(p, tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (ofd != -EEXIST && ofd < 0) break;
    }
    if (ofd < 0) {
        zip_error(p, "Could not create output file (%s)", zname);
        return 15;
    }
    struct zio wio = {p, ofd, NULL};
    struct archive *w = archive_write_new();
    archive_write_set_format_zip(w);
    archive_write_set_bytes_per_block(w, 0);
    int status = 0;
    if (archive_write_open(w, &wio, NULL, z_write, z_close) != ARCHIVE_OK) status = 15;
    if (!status && exists) {
        int ifd = sys_open(p, zname, O_RDONLY, 0);
        struct zio rio = {p, ifd, z.buf};
        unsigned char *rbuf = p_malloc(p, ZBUF);
        rio.buf = rbuf;
        struct archive *r = ifd >= 0 && rbuf ? zip_reader(&rio) : NULL;
        if (!r) {
            zip_error(p, "Zip file structure invalid (%s)", zname);
            status = 3;
        } else {
            struct archive_entry *e;
            int rc;
            while (!status && ((rc = archive_read_next_header(r, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN)) {
                const char *en = archive_entry_pathname(e);
                struct znew *nf = NULL;
                for (size_t i = 0; en && i < z.nfiles; i++)
                    if (!strcmp(z.files[i].name, en)) nf = &z.files[i];
                if (nf) {
                    if (zip_write_new(&z, w, nf, true) < 0) status = 15;
                    continue;
                }
                const char *fmt = archive_format_name(r);
                if (fmt && strstr(fmt, "deflation"))
                    archive_write_zip_set_compression_deflate(w);
                else
                    archive_write_zip_set_compression_store(w);
                if (archive_write_header(w, e) < ARCHIVE_WARN) {
                    status = 15;
                    break;
                }
                la_ssize_t n;
                unsigned char *cb = z.cbuf;
                while ((n = archive_read_data(r, cb, ZBUF)) > 0)
                    if (archive_write_data(w, cb, (size_t)n) < 0) {
                        status = 15;
                        break;
                    }
                if (n < 0) {
                    zip_error(p, "Zip file structure invalid (%s)", zname);
                    status = 3;
                }
            }
            archive_read_free(r);
        }
        if (ifd >= 0) sys_close(p, ifd);
    }
    for (size_t i = 0; !status && i < z.nfiles; i++)
        if (!z.files[i].done && zip_write_new(&z, w, &z.files[i], false) < 0) status = 15;
    if (!status && archive_write_close(w) != ARCHIVE_OK) status = 15;
    if (status == 15) {
        const char *es = archive_error_string(w);
        struct sbuf sb;
        sbuf_init(&sb, p);
        sbuf_printf(&sb, "\nzip I/O error: %s\n\nzip error: Output file write failure (write error on zip file)\n",
                    es ? es : "write error");
        zputs(p, 2, sb.s);
        sbuf_free(&sb);
    }
    archive_write_free(w);
    sys_close(p, ofd);
    if (status) {
        sys_unlink(p, tmp);
        return status;
    }
    int rr = sys_rename(p, tmp, zname);
    if (rr < 0) {
        sys_unlink(p, tmp);
        zip_error(p, "Could not create output file (%s)", zname);
        return 15;
    }
    return 0;
}

/* ================================ unzip ==================================== */

struct unz {
    struct proc *p;
    char mode; /* x, l, t, p */
    bool overwrite, never, quiet;
    const char *exdir;
    char **pats, **excl;
    size_t npats, nexcl;
    bool *matched;
    bool none_all; /* "[N]one" after EOF at the prompt */
    char **dl_path, **dl_target; /* symlinks made last, as UnZip does */
    size_t ndl;
    int status;
    unsigned char *buf;
};

static bool unz_selected(struct unz *u, const char *name)
{
    for (size_t i = 0; i < u->nexcl; i++)
        if (fnmatch(u->excl[i], name, 0) == 0) return false;
    if (!u->npats) return true;
    bool any = false;
    for (size_t i = 0; i < u->npats; i++)
        if (fnmatch(u->pats[i], name, 0) == 0) {
            u->matched[i] = true;
            any = true;
        }
    return any;
}

static void uprintf(struct unz *u, int fd, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void uprintf(struct unz *u, int fd, const char *fmt, ...)
{
    struct sbuf sb;
    sbuf_init(&sb, u->p);
    va_list ap;
    va_start(ap, fmt);
    sbuf_vprintf(&sb, fmt, ap);
    va_end(ap);
    if (sb.s) p_write_all(u->p, fd, sb.s, sb.len);
    sbuf_free(&sb);
}

/* UnZip's path sanitising: drop leading "/" and every "../" component. */
static char *safe_path(struct unz *u, const char *name)
{
    struct proc *p = u->p;
    size_t l = strlen(name);
    char *out = p_malloc(p, l + 1);
    if (!out) return NULL;
    size_t k = 0;
    bool abs = name[0] == '/', dotdot = false;
    const char *s = name;
    while (*s) {
        while (*s == '/') s++;
        const char *e = strchr(s, '/');
        size_t cl = e ? (size_t)(e - s) : strlen(s);
        if (cl == 2 && s[0] == '.' && s[1] == '.') {
            dotdot = true;
        } else if (cl && !(cl == 1 && s[0] == '.')) {
            if (k) out[k++] = '/';
            memcpy(out + k, s, cl);
            k += cl;
        }
        s += cl;
        if (e && !*s) break;
    }
    out[k] = 0;
    if (l && name[l - 1] == '/' && k) {
        out[k++] = '/';
        out[k] = 0;
    }
    if (dotdot) {
        uprintf(u, 1, "warning:  skipped \"../\" path component(s) in %s\n", name);
        if (u->status < 1) u->status = 1;
    } else if (abs) {
        uprintf(u, 2, "warning:  stripped absolute path spec from %s\n", name);
        if (u->status < 1) u->status = 1;
    }
    return out;
}

/* Make the directories of path (all of it when last); -1 after UnZip's
 * checkdir error when a component exists but is not a directory. */
static int make_dirs(struct unz *u, const char *path, bool last)
{
    struct proc *p = u->p;
    char *s = p_strdup(p, path);
    if (!s) return -1;
    size_t l = strlen(s);
    for (size_t i = 1; i <= l; i++) {
        if (s[i] == '/' || (last && i == l)) {
            char c = s[i];
            s[i] = 0;
            int r = sys_mkdir(p, s, 0777);
            struct stat st;
            if (r == -EEXIST && sys_stat(p, s, &st) == 0 && !S_ISDIR(st.st_mode)) {
                uprintf(u, 2, "checkdir error:  %s exists but is not directory\n"
                              "                 unable to process %s.\n", s, path);
                u->status = 2;
                p_free(p, s);
                return -1;
            }
            s[i] = c;
        }
    }
    p_free(p, s);
    return 0;
}

static char *join(struct proc *p, const char *dir, const char *name)
{
    if (!dir) return p_strdup(p, name);
    size_t dl = strlen(dir);
    char *s = p_malloc(p, dl + strlen(name) + 2);
    if (!s) return NULL;
    strcpy(s, dir);
    if (dl && s[dl - 1] != '/') strcat(s, "/");
    strcat(s, name);
    return s;
}

static int unz_extract(struct unz *u, struct archive *a, struct archive_entry *e, bool deflated)
{
    struct proc *p = u->p;
    const char *name = archive_entry_pathname(e);
    char *sp = safe_path(u, name);
    if (!sp) return -1;
    if (!*sp) return 0;
    char *path = join(p, u->exdir, sp);
    if (!path) return -1;
    unsigned ft = archive_entry_filetype(e);
    if (ft == AE_IFDIR) {
        size_t l = strlen(path);
        while (l > 1 && path[l - 1] == '/') path[--l] = 0;
        struct stat st;
        if (sys_stat(p, path, &st) < 0) {
            if (!u->quiet) uprintf(u, 1, "   creating: %s/\n", path);
            make_dirs(u, path, true);
        }
        return 0;
    }
    struct stat st;
    if (sys_lstat(p, path, &st) == 0) {
        if (u->never || u->none_all) return 0;
        if (!u->overwrite) {
            uprintf(u, 2,
                    "replace %s? [y]es, [n]o, [A]ll, [N]one, [r]ename:  NULL\n"
                    "(EOF or read error, treating as \"[N]one\" ...)\n",
                    path);
            u->none_all = true;
            if (u->status < 1) u->status = 1;
            return 0;
        }
        sys_unlink(p, path);
    }
    if (make_dirs(u, path, false) < 0) {
        archive_read_data_skip(a);
        return 0;
    }
    if (ft == AE_IFLNK) {
        /* a placeholder holding the target now, the link after every other
         * member: no member is written through a link from the archive */
        const char *t = archive_entry_symlink(e);
        if (!t) t = "";
        if (!u->quiet) uprintf(u, 1, "    linking: %-22s  -> %s \n", path, t);
        int fd = sys_open(p, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
        if (fd < 0) {
            uprintf(u, 2, "error:  cannot create %s\n        %s\n", path, cmd_strerror(fd));
            if (u->status < 1) u->status = 1;
            return 0;
        }
        io_write_all(p, fd, t, strlen(t));
        sys_close(p, fd);
        char **np = p_realloc(p, u->dl_path, (u->ndl + 1) * sizeof *np);
        if (np) u->dl_path = np;
        char **nt = p_realloc(p, u->dl_target, (u->ndl + 1) * sizeof *nt);
        if (nt) u->dl_target = nt;
        if (np && nt) {
            u->dl_path[u->ndl] = path;
            u->dl_target[u->ndl] = p_strdup(p, t);
            u->ndl++;
        }
        return 0;
    }
    if (!u->quiet) uprintf(u, 1, "%s: %-22s  \n", deflated ? "  inflating" : " extracting", path);
    int fd = sys_open(p, path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        uprintf(u, 2, "error:  cannot create %s\n        %s\n", path, cmd_strerror(fd));
        if (u->status < 1) u->status = 1;
        archive_read_data_skip(a);
        return 0;
    }
    la_ssize_t n;
    int ret = 0;
    while ((n = archive_read_data(a, u->buf, ZBUF)) > 0) {
        int w = io_write_all(p, fd, u->buf, (size_t)n);
        if (w) {
            if (w != -EINTR)
                uprintf(u, 2, "%s:  write error (disk full?).\n", path);
            u->status = 50;
            ret = -1;
            break;
        }
    }
    if (n < 0) {
        uprintf(u, 2, "  error:  %s\n", archive_error_string(a));
        u->status = 2;
        ret = -1;
    }
    mode_t m = archive_entry_mode(e) & 0777;
    if (!m) m = 0644;
    sys_fchmod(p, fd, m & ~0);
    struct timespec ts[2] = {{0, UTIME_NOW}, {archive_entry_mtime(e), 0}};
    sys_futimens(p, fd, ts);
    sys_close(p, fd);
    return ret;
}

int cmd_unzip(struct proc *p, int argc, char **argv)
{
    struct unz u = {.p = p, .mode = 'x'};
    const char *zipfile = NULL;
    u.pats = p_calloc(p, (size_t)argc + 1, sizeof *u.pats);
    u.excl = p_calloc(p, (size_t)argc + 1, sizeof *u.excl);
    u.matched = p_calloc(p, (size_t)argc + 1, sizeof *u.matched);
    u.buf = p_malloc(p, ZBUF);
    if (!u.pats || !u.excl || !u.matched || !u.buf) return 5;
    if (argc == 1) {
        zputs(p, 1, unzip_help);
        return 0;
    }
    bool in_x = false;
    int qcount = 0;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (s[0] == '-' && s[1]) {
            in_x = false;
            for (const char *c = s + 1; *c; c++) {
                switch (*c) {
                case 'l': u.mode = 'l'; break;
                case 't': u.mode = 't'; break;
                case 'p': u.mode = 'p'; break;
                case 'o': u.overwrite = true; break;
                case 'n': u.never = true; break;
                case 'q': u.quiet = true; qcount++; break;
                case 'x': in_x = true; break;
                case 'h': zputs(p, 1, unzip_help); return 0;
                case 'd':
                    if (c[1]) {
                        u.exdir = c + 1;
                    } else if (i + 1 < argc) {
                        u.exdir = argv[++i];
                    } else {
                        uprintf(&u, 2, "error:  must specify directory to which to extract with -d option\n");
                        return 10;
                    }
                    goto next_arg;
                case '-': goto next_arg;
                default:
                    zputs(p, 1, unzip_help);
                    return 10;
                }
            }
        next_arg:
            continue;
        }
        if (in_x)
            u.excl[u.nexcl++] = argv[i];
        else if (!zipfile)
            zipfile = argv[i];
        else
            u.pats[u.npats++] = argv[i];
    }
    if (!zipfile) {
        zputs(p, 1, unzip_help);
        return 0;
    }
    /* find the archive: NAME, NAME.zip, NAME.ZIP */
    int fd = sys_open(p, zipfile, O_RDONLY, 0);
    char *used = (char *)zipfile;
    struct stat zst;
    if (fd >= 0 && (sys_fstat(p, fd, &zst) < 0 || S_ISDIR(zst.st_mode))) {
        sys_close(p, fd);
        fd = -EISDIR;
    }
    for (int k = 0; fd < 0 && k < 2; k++) {
        used = p_malloc(p, strlen(zipfile) + 5);
        if (!used) return 5;
        strcpy(used, zipfile);
        strcat(used, k ? ".ZIP" : ".zip");
        fd = sys_open(p, used, O_RDONLY, 0);
    }
    if (fd < 0) {
        uprintf(&u, 2, "unzip:  cannot find or open %s, %s.zip or %s.ZIP.\n", zipfile, zipfile,
                zipfile);
        return 9;
    }
    bool quiet_hdr = u.mode == 'p' || (u.quiet && u.mode != 'l') || qcount > 1;
    if (!quiet_hdr) uprintf(&u, 1, "Archive:  %s\n", used);
    struct zio io = {p, fd, p_malloc(p, ZBUF)};
    if (!io.buf) return 5;
    struct archive *a = zip_reader(&io);
    if (!a) {
        uprintf(&u, 2,
                "  End-of-central-directory signature not found.  Either this file is not\n"
                "  a zipfile, or it constitutes one disk of a multi-part archive.  In the\n"
                "  latter case the central directory and zipfile comment will be found on\n"
                "  the last disk(s) of this archive.\n"
                "unzip:  cannot find zipfile directory in one of %s or\n"
                "        %s.zip, and cannot find %s.ZIP, period.\n",
                used, used, used);
        sys_close(p, fd);
        return 9;
    }
    if (u.mode == 'l' && !u.quiet)
        uprintf(&u, 1, "  Length      Date    Time    Name\n---------  ---------- -----   ----\n");
    uint64_t total = 0, nfiles = 0;
    int errors = 0;
    struct archive_entry *e;
    int rc;
    while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
        if (proc_check(p)) break;
        const char *name = archive_entry_pathname(e);
        if (!name) name = "";
        if (!unz_selected(&u, name)) continue;
        const char *fmt = archive_format_name(a);
        bool deflated = fmt && strstr(fmt, "deflation");
        if (u.mode == 'l') {
            time_t mt = archive_entry_mtime(e);
            struct tm tm;
            char date[32] = "";
            if (gmtime_r(&mt, &tm)) strftime(date, sizeof date, "%Y-%m-%d %H:%M", &tm);
            uint64_t sz = (uint64_t)archive_entry_size(e);
            uprintf(&u, 1, "%9llu  %s   %s\n", (unsigned long long)sz, date, name);
            total += sz;
            nfiles++;
        } else if (u.mode == 't') {
            la_ssize_t n;
            while ((n = archive_read_data(a, u.buf, ZBUF)) > 0) {
            }
            if (n < 0) {
                uprintf(&u, 1, "    testing: %-22s   bad\n", name);
                errors++;
            } else if (!u.quiet) {
                uprintf(&u, 1, "    testing: %-22s   OK\n", name);
            }
            nfiles++;
        } else if (u.mode == 'p') {
            if (archive_entry_filetype(e) != AE_IFREG) continue;
            la_ssize_t n;
            while ((n = archive_read_data(a, u.buf, ZBUF)) > 0)
                if (io_write_all(p, 1, u.buf, (size_t)n)) break;
            if (n < 0) {
                uprintf(&u, 2, "  error:  %s\n", archive_error_string(a));
                u.status = 2;
            }
        } else {
            if (unz_extract(&u, a, e, deflated) < 0 && u.status >= 50) break;
        }
    }
    if (rc == ARCHIVE_FATAL) {
        uprintf(&u, 2, "unzip: %s\n", archive_error_string(a));
        u.status = 2;
    }
    if (u.ndl) {
        if (!u.quiet) uprintf(&u, 1, "finishing deferred symbolic links:\n");
        for (size_t i = 0; i < u.ndl; i++) {
            struct stat st;
            if (!u.dl_target[i] || sys_lstat(p, u.dl_path[i], &st) < 0 || !S_ISREG(st.st_mode))
                continue;
            if (!u.quiet) uprintf(&u, 1, "  %-22s -> %s\n", u.dl_path[i], u.dl_target[i]);
            sys_unlink(p, u.dl_path[i]);
            int r = sys_symlink(p, u.dl_target[i], u.dl_path[i]);
            if (r < 0) {
                uprintf(&u, 2, "error:  cannot create %s\n        %s\n", u.dl_path[i], cmd_strerror(r));
                if (u.status < 1) u.status = 1;
            }
        }
    }
    archive_read_free(a);
    sys_close(p, fd);
    if (u.mode == 'l' && !u.quiet)
        uprintf(&u, 1, "---------                     -------\n%9llu                     %llu file%s\n",
                (unsigned long long)total, (unsigned long long)nfiles, nfiles == 1 ? "" : "s");
    bool unmatched = false;
    for (size_t i = 0; i < u.npats; i++)
        if (!u.matched[i]) {
            if (u.mode != 'l')
                uprintf(&u, u.mode == 't' ? 1 : 2, "caution: filename not matched:  %s\n", u.pats[i]);
            unmatched = true;
        }
    if (u.mode == 't') {
        if (errors || unmatched) {
            uprintf(&u, 1, "At least one error was detected in %s.\n", used);
            if (errors) u.status = 2;
        } else if (qcount < 2) {
            uprintf(&u, 1, "No errors detected in compressed data of %s.\n", used);
        }
    }
    if (unmatched && u.status == 0) u.status = 11;
    return u.status;
}
