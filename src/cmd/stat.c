/* stat.c — display file or file system status, as GNU stat 9.1: the default
 * and terse (-t) layouts, -c/--format and --printf with every directive
 * (%a %A %b %B %C %d %D %Hd %Ld %f %F %g %G %h %i %m %n %N %o %r %R %Hr
 * %Lr %s %t %T %u %U %w %W %x %X %y %Y %z %Z and printf flags, widths and
 * precisions), -f file system status (%a %b %c %d %f %i %l %n %s %S %t %T),
 * -L, --cached.
 *
 * vos files have no birth time: %w prints "-" and %W "0", as GNU does on
 * a file system without one. */
#include "cmd/cmd.h"
#include "lib/fileinfo.h"
#include "lib/quotearg.h"
#include "lib/timefmt.h"

#include <ctype.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sysmacros.h>

static const char stat_help[] =
    "Usage: %s [OPTION]... FILE...\n"
    "Display file or file system status.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -L, --dereference     follow links\n"
    "  -f, --file-system     display file system status instead of file status\n"
    "      --cached=MODE     specify how to use cached attributes;\n"
    "                          useful on remote file systems. See MODE below\n"
    "  -c  --format=FORMAT   use the specified FORMAT instead of the default;\n"
    "                          output a newline after each use of FORMAT\n"
    "      --printf=FORMAT   like --format, but interpret backslash escapes,\n"
    "                          and do not output a mandatory trailing newline;\n"
    "                          if you want a newline, include \\n in FORMAT\n"
    "  -t, --terse           print the information in terse form\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "The MODE argument of --cached can be: always, never, or default.\n"
    "'always' will use cached attributes if available, while\n"
    "'never' will try to synchronize with the latest attributes, and\n"
    "'default' will leave it up to the underlying file system.\n"
    "\n"
    "The valid format sequences for files (without --file-system):\n"
    "\n"
    "  %%a   permission bits in octal (note '#' and '0' printf flags)\n"
    "  %%A   permission bits and file type in human readable form\n"
    "  %%b   number of blocks allocated (see %%B)\n"
    "  %%B   the size in bytes of each block reported by %%b\n"
    "  %%C   SELinux security context string\n"
    "  %%d   device number in decimal (st_dev)\n"
    "  %%D   device number in hex (st_dev)\n"
    "  %%Hd  major device number in decimal\n"
    "  %%Ld  minor device number in decimal\n"
    "  %%f   raw mode in hex\n"
    "  %%F   file type\n"
    "  %%g   group ID of owner\n"
    "  %%G   group name of owner\n"
    "  %%h   number of hard links\n"
    "  %%i   inode number\n"
    "  %%m   mount point\n"
    "  %%n   file name\n"
    "  %%N   quoted file name with dereference if symbolic link\n"
    "  %%o   optimal I/O transfer size hint\n"
    "  %%s   total size, in bytes\n"
    "  %%r   device type in decimal (st_rdev)\n"
    "  %%R   device type in hex (st_rdev)\n"
    "  %%Hr  major device type in decimal, for character/block device special files\n"
    "  %%Lr  minor device type in decimal, for character/block device special files\n"
    "  %%t   major device type in hex, for character/block device special files\n"
    "  %%T   minor device type in hex, for character/block device special files\n"
    "  %%u   user ID of owner\n"
    "  %%U   user name of owner\n"
    "  %%w   time of file birth, human-readable; - if unknown\n"
    "  %%W   time of file birth, seconds since Epoch; 0 if unknown\n"
    "  %%x   time of last access, human-readable\n"
    "  %%X   time of last access, seconds since Epoch\n"
    "  %%y   time of last data modification, human-readable\n"
    "  %%Y   time of last data modification, seconds since Epoch\n"
    "  %%z   time of last status change, human-readable\n"
    "  %%Z   time of last status change, seconds since Epoch\n"
    "\n"
    "Valid format sequences for file systems:\n"
    "\n"
    "  %%a   free blocks available to non-superuser\n"
    "  %%b   total data blocks in file system\n"
    "  %%c   total file nodes in file system\n"
    "  %%d   free file nodes in file system\n"
    "  %%f   free blocks in file system\n"
    "  %%i   file system ID in hex\n"
    "  %%l   maximum length of filenames\n"
    "  %%n   file name\n"
    "  %%s   block size (for faster transfers)\n"
    "  %%S   fundamental block size (for block counts)\n"
    "  %%t   file system type in hex\n"
    "  %%T   file system type in human readable form\n"
    "\n"
    "--terse is equivalent to the following FORMAT:\n"
    "    %%n %%s %%b %%f %%u %%g %%D %%i %%h %%t %%T %%X %%Y %%Z %%W %%o %%C\n"
    "--terse --file-system is equivalent to the following FORMAT:\n"
    "    %%n %%i %%l %%t %%s %%S %%b %%f %%a %%c %%d\n"
    "\n"
    "NOTE: your shell may have its own version of stat, which usually supersedes\n"
    "the version described here.  Please refer to your shell's documentation\n"
    "for details about the options it supports.\n"
    "\n"
    COREUTILS_HELP_TAIL("stat", "stat");

static const char printf_flags[] = "'-+ #0I";

struct st {
    struct proc *p;
    struct obuf out;
    bool follow, escapes;
    const char *trailing;
    struct qa_opts nq; /* %N quoting */
    struct idcache ids;
    struct tf_zone tz;
    bool tz_loaded;
};

/* Build "%<allowed flags><width/precision><suffix>" from the directive
 * prefix pf[0..len) (pf[0] is '%'). */
static void make_format(char *dst, const char *pf, size_t len, const char *allowed,
                        const char *suffix)
{
    char *d = dst;
    *d++ = '%';
    const char *s = pf + 1, *lim = pf + len;
    for (; s < lim && strchr(printf_flags, *s); s++)
        if (strchr(allowed, *s) && *s != '\'') *d++ = *s;
    while (s < lim) *d++ = *s++;
    strcpy(d, suffix);
}

static int out_fmt(struct st *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int out_fmt(struct st *s, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return n;
    if ((size_t)n < sizeof small) {
        obuf_write(&s->out, small, (size_t)n);
        return n;
    }
    char *big = p_malloc(s->p, (size_t)n + 1);
    if (!big) return -1;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    obuf_write(&s->out, big, (size_t)n);
    p_free(s->p, big);
    return n;
}

static void out_string(struct st *s, const char *pf, size_t len, const char *arg)
{
    char f[64];
    if (len > 40) len = 40;
    make_format(f, pf, len, "-", "s");
    out_fmt(s, f, arg);
}
static int out_int(struct st *s, const char *pf, size_t len, intmax_t v)
{
    char f[64];
    if (len > 40) len = 40;
    make_format(f, pf, len, "'-+ 0", PRIdMAX);
    return out_fmt(s, f, v);
}
static int out_uint(struct st *s, const char *pf, size_t len, uintmax_t v)
{
    char f[64];
    if (len > 40) len = 40;
    make_format(f, pf, len, "'-0", PRIuMAX);
    return out_fmt(s, f, v);
}
static void out_uint_o(struct st *s, const char *pf, size_t len, uintmax_t v)
{
    char f[64];
    if (len > 40) len = 40;
    make_format(f, pf, len, "-#0", PRIoMAX);
    out_fmt(s, f, v);
}
static void out_uint_x(struct st *s, const char *pf, size_t len, uintmax_t v)
{
    char f[64];
    if (len > 40) len = 40;
    make_format(f, pf, len, "-#0", PRIxMAX);
    out_fmt(s, f, v);
}
static int out_minus_zero(struct st *s, const char *pf, size_t len)
{
    char f[64];
    if (len > 40) len = 40;
    make_format(f, pf, len, "'-+ 0", ".0f");
    return out_fmt(s, f, -0.25);
}

/* Seconds since the epoch, printf %f-like: "%.3Y", "%15Y", "%-15.4Y". */
static void out_epoch_sec(struct st *s, const char *pfin, size_t len, struct timespec arg)
{
    char pf[64];
    if (len > 40) len = 40;
    memcpy(pf, pfin, len);
    pf[len] = '\0';
    char *dot = memchr(pf, '.', len);
    size_t sec_len = len;
    int width = 0, precision = 0;
    bool frac_left = false;
    if (dot) {
        sec_len = (size_t)(dot - pf);
        if (dot[1] >= '0' && dot[1] <= '9') {
            long l = strtol(dot + 1, NULL, 10);
            precision = l <= INT32_MAX ? (int)l : INT32_MAX;
        } else {
            precision = 9;
        }
        if (precision && dot[-1] >= '0' && dot[-1] <= '9') {
            char *q = dot;
            *dot = '\0';
            do --q;
            while (q[-1] >= '0' && q[-1] <= '9');
            long lw = strtol(q, NULL, 10);
            width = lw <= INT32_MAX ? (int)lw : INT32_MAX;
            if (1 < width) {
                q += (*q == '0');
                sec_len = (size_t)(q - pf);
                int w_d = 1 < width ? width - 1 : 0;
                if (1 < w_d) {
                    int w = w_d - precision;
                    if (1 < w) {
                        char *d = pf;
                        for (const char *src = d; src < q; src++) {
                            if (*src == '-')
                                frac_left = true;
                            else
                                *d++ = *src;
                        }
                        sec_len = (size_t)(d - pf) + (frac_left ? 0 : (size_t)sprintf(d, "%d", w));
                    }
                }
            }
        }
    }
    int divisor = 1;
    for (int i = precision; i < 9; i++) divisor *= 10;
    int frac = (int)(arg.tv_nsec / divisor);
    int int_len;
    bool minus_zero = false;
    if (arg.tv_sec < 0 && arg.tv_nsec != 0) {
        int mod = 1000000000 / divisor;
        frac = mod - frac - (arg.tv_nsec % divisor != 0);
        arg.tv_sec += frac != 0;
        minus_zero = arg.tv_sec == 0;
    }
    int_len = minus_zero ? out_minus_zero(s, pf, sec_len) : out_int(s, pf, sec_len, arg.tv_sec);
    if (precision) {
        int prec = precision < 9 ? precision : 9;
        int trailing_prec = precision - prec;
        int ilen = int_len < 0 ? 0 : int_len;
        int trailing_width = ilen < width && 1 < width - ilen ? width - ilen - 1 - prec : 0;
        out_fmt(s, ".%.*d%-*.*d", prec, frac, trailing_width, trailing_prec, 0);
    }
}

static const char *human_time(struct st *s, struct timespec t, char *buf, size_t n)
{
    if (!s->tz_loaded) {
        tf_zone_load(&s->tz, proc_getenv(s->p, "TZ"));
        s->tz_loaded = true;
    }
    struct tm tm;
    if (tf_localtime(&s->tz, t.tv_sec, &tm))
        tf_strftime(buf, n, "%Y-%m-%d %H:%M:%S.%N %z", &tm, t.tv_nsec);
    else
        snprintf(buf, n, "%jd.%09ld", (intmax_t)t.tv_sec, (long)t.tv_nsec);
    return buf;
}

static const char *quote_n(struct st *s, const char *name)
{
    struct sbuf sb;
    sbuf_init(&sb, s->p);
    qa_quote(&sb, name, strlen(name), &s->nq);
    return sb.s ? sb.s : "?";
}

/* The mount point of name: the nearest ancestor (of its absolute path)
 * on another device, else "/". */
static bool out_mount_point(struct st *s, const char *pf, size_t len, const char *name,
                            const struct stat *st)
{
    struct proc *p = s->p;
    char *abs = p_malloc(p, VFS_PATH_MAX * 2 + 2);
    if (!abs) return true;
    size_t n = 0;
    if (name[0] != '/') {
        if (sys_getcwd(p, abs, VFS_PATH_MAX) < 0) {
            p_free(p, abs);
            out_string(s, pf, len, "?");
            return true;
        }
        n = strlen(abs);
    }
    snprintf(abs + n, VFS_PATH_MAX * 2 + 2 - n, "%s%s", n && abs[n - 1] != '/' ? "/" : "", name);
    /* lexical clean-up of "." and ".." (symlinks aside) */
    char *parts[512];
    int np = 0;
    for (char *tok = strtok(abs, "/"); tok && np < 512; tok = strtok(NULL, "/")) {
        if (strcmp(tok, ".") == 0) continue;
        if (strcmp(tok, "..") == 0) {
            if (np) np--;
            continue;
        }
        parts[np++] = tok;
    }
    char *path = p_malloc(p, VFS_PATH_MAX * 2 + 2);
    if (!path) {
        p_free(p, abs);
        return true;
    }
    dev_t dev = st->st_dev;
    if (S_ISLNK(st->st_mode) && !s->follow) {
        /* the link lives in its parent directory */
        if (np) np--;
        struct stat ps;
        path[0] = '/';
        size_t k = 1;
        for (int i = 0; i < np; i++)
            k += (size_t)snprintf(path + k, VFS_PATH_MAX * 2 + 2 - k, "%s%s", i ? "/" : "",
                                  parts[i]);
        path[k] = '\0';
        if (sys_stat(p, path, &ps) == 0) dev = ps.st_dev;
    }
    const char *result = "/";
    for (int depth = np; depth >= 1; depth--) {
        size_t k = 0;
        for (int i = 0; i < depth; i++)
            k += (size_t)snprintf(path + k, VFS_PATH_MAX * 2 + 2 - k, "/%s", parts[i]);
        path[k] = '\0';
        struct stat a, b;
        if (sys_stat(p, path, &a) < 0) continue;
        if (a.st_dev != dev) continue;
        char *parent = p_strdup(p, path);
        if (!parent) break;
        char *sl = strrchr(parent, '/');
        if (sl == parent)
            sl[1] = '\0';
        else
            *sl = '\0';
        if (sys_stat(p, parent, &b) == 0 && b.st_dev != a.st_dev) {
            result = path;
            p_free(p, parent);
            break;
        }
        p_free(p, parent);
    }
    out_string(s, pf, len, result);
    p_free(p, abs);
    p_free(p, path);
    return false;
}

static bool print_stat(struct st *s, const char *pf, size_t len, unsigned m, char mod,
                       const char *filename, const struct stat *st)
{
    char tb[128];
    char mb[12];
    bool fail = false;
    switch (m) {
    case 'n': out_string(s, pf, len, filename); break;
    case 'N':
        out_string(s, pf, len, quote_n(s, filename));
        if (S_ISLNK(st->st_mode)) {
            char lb[VFS_PATH_MAX + 1];
            ssize_t r = sys_readlink(s->p, filename, lb, sizeof lb - 1);
            if (r < 0) {
                cmd_errno(s->p, (int)r, "cannot read symbolic link %s",
                          cmd_quoteaf(s->p, filename));
                return true;
            }
            lb[r] = '\0';
            obuf_puts(&s->out, " -> ");
            out_string(s, pf, len, quote_n(s, lb));
        }
        break;
    case 'd':
        if (mod == 'H')
            out_uint(s, pf, len, major(st->st_dev));
        else if (mod == 'L')
            out_uint(s, pf, len, minor(st->st_dev));
        else
            out_uint(s, pf, len, st->st_dev);
        break;
    case 'D': out_uint_x(s, pf, len, st->st_dev); break;
    case 'i': out_uint(s, pf, len, st->st_ino); break;
    case 'a': out_uint_o(s, pf, len, st->st_mode & 07777); break;
    case 'A':
        file_mode_string(st->st_mode, mb);
        mb[10] = '\0';
        out_string(s, pf, len, mb);
        break;
    case 'f': out_uint_x(s, pf, len, st->st_mode); break;
    case 'F': out_string(s, pf, len, file_type_name(st)); break;
    case 'h': out_uint(s, pf, len, st->st_nlink); break;
    case 'u': out_uint(s, pf, len, st->st_uid); break;
    case 'U': {
        const char *n = idcache_user(&s->ids, st->st_uid);
        out_string(s, pf, len, n ? n : "UNKNOWN");
        break;
    }
    case 'g': out_uint(s, pf, len, st->st_gid); break;
    case 'G': {
        const char *n = idcache_group(&s->ids, st->st_gid);
        out_string(s, pf, len, n ? n : "UNKNOWN");
        break;
    }
    case 'm': fail |= out_mount_point(s, pf, len, filename, st); break;
    case 'r':
        if (mod == 'H')
            out_uint(s, pf, len, major(st->st_rdev));
        else if (mod == 'L')
            out_uint(s, pf, len, minor(st->st_rdev));
        else
            out_uint(s, pf, len, st->st_rdev);
        break;
    case 'R': out_uint_x(s, pf, len, st->st_rdev); break;
    case 't': out_uint_x(s, pf, len, major(st->st_rdev)); break;
    case 'T': out_uint_x(s, pf, len, minor(st->st_rdev)); break;
    case 's': out_int(s, pf, len, st->st_size); break;
    case 'B': out_uint(s, pf, len, 512); break;
    case 'b': out_uint(s, pf, len, (uintmax_t)st->st_blocks); break;
    case 'o': out_uint(s, pf, len, (uintmax_t)st->st_blksize); break;
    case 'w': out_string(s, pf, len, "-"); break;
    case 'W': {
        struct timespec z = {0, 0};
        out_epoch_sec(s, pf, len, z);
        break;
    }
    case 'x': out_string(s, pf, len, human_time(s, st->st_atim, tb, sizeof tb)); break;
    case 'X': out_epoch_sec(s, pf, len, st->st_atim); break;
    case 'y': out_string(s, pf, len, human_time(s, st->st_mtim, tb, sizeof tb)); break;
    case 'Y': out_epoch_sec(s, pf, len, st->st_mtim); break;
    case 'z': out_string(s, pf, len, human_time(s, st->st_ctim, tb, sizeof tb)); break;
    case 'Z': out_epoch_sec(s, pf, len, st->st_ctim); break;
    case 'C':
        cmd_errno(s->p, -ENODATA, "failed to get security context of %s",
                  cmd_quoteaf(s->p, filename));
        out_string(s, pf, len, "?");
        fail = true;
        break;
    default: obuf_putc(&s->out, '?'); break;
    }
    return fail;
}

/* What f_type a vos file system reports (statvfs has none): procfs is
 * "proc", everything else is in memory like tmpfs. */
static uintmax_t fs_type(const struct statvfs *sv)
{
    return sv->f_fsid == 0x9fa0 ? 0x9fa0 : 0x01021994;
}

static bool print_statfs(struct st *s, const char *pf, size_t len, unsigned m, const char *filename,
                         const struct statvfs *sv)
{
    switch (m) {
    case 'n': out_string(s, pf, len, filename); break;
    case 'i': out_uint_x(s, pf, len, (uintmax_t)sv->f_fsid); break;
    case 'l': out_uint(s, pf, len, sv->f_namemax); break;
    case 't': out_uint_x(s, pf, len, fs_type(sv)); break;
    case 'T': out_string(s, pf, len, fs_type(sv) == 0x9fa0 ? "proc" : "tmpfs"); break;
    case 'b': out_int(s, pf, len, (intmax_t)sv->f_blocks); break;
    case 'f': out_int(s, pf, len, (intmax_t)sv->f_bfree); break;
    case 'a': out_int(s, pf, len, (intmax_t)sv->f_bavail); break;
    case 's': out_uint(s, pf, len, sv->f_bsize); break;
    case 'S': out_uint(s, pf, len, sv->f_frsize ? sv->f_frsize : sv->f_bsize); break;
    case 'c': out_uint(s, pf, len, sv->f_files); break;
    case 'd': out_int(s, pf, len, (intmax_t)sv->f_ffree); break;
    default: obuf_putc(&s->out, '?'); break;
    }
    return false;
}

static void print_esc_char(struct st *s, char c)
{
    switch (c) {
    case 'a': c = '\a'; break;
    case 'b': c = '\b'; break;
    case 'e': c = '\x1B'; break;
    case 'f': c = '\f'; break;
    case 'n': c = '\n'; break;
    case 'r': c = '\r'; break;
    case 't': c = '\t'; break;
    case 'v': c = '\v'; break;
    case '"':
    case '\\': break;
    default:
        obuf_flush(&s->out);
        cmd_error(s->p, "warning: unrecognized escape '\\%c'", c);
        break;
    }
    obuf_putc(&s->out, c);
}

static int hexval(char c)
{
    return c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0';
}

/* Returns -1 on an invalid directive (the command exits), else whether
 * something failed. */
static int print_it(struct st *s, const char *format, const char *filename, bool fs,
                    const void *data)
{
    bool fail = false;
    for (const char *b = format; *b; b++) {
        switch (*b) {
        case '%': {
            size_t len = strspn(b + 1, printf_flags);
            const char *fc = b + len + 1;
            fc += strspn(fc, "0123456789");
            if (*fc == '.') fc += 1 + strspn(fc + 1, "0123456789");
            len = (size_t)(fc - (b + 1));
            unsigned code = (unsigned char)*fc;
            const char *pf = b;
            b = fc;
            char mod = 0;
            switch (code) {
            case '\0':
                --b;
                /* fall through */
            case '%':
                if (0 < len) {
                    char *d = p_strndup(s->p, pf, len + 2);
                    if (d && code == 0) d[len + 1] = '\0';
                    obuf_flush(&s->out);
                    cmd_error(s->p, "%s: invalid directive", cmd_quote(s->p, d ? d : "%"));
                    return -1;
                }
                obuf_putc(&s->out, '%');
                break;
            case 'H':
            case 'L':
                mod = (char)code;
                code = (unsigned char)b[1];
                if (!fs && (code == 'd' || code == 'r')) {
                    b++;
                } else {
                    code = '?';
                }
                /* fall through */
            default:
                if (fs)
                    fail |= print_statfs(s, pf, len + 1, code, filename, data);
                else
                    fail |= print_stat(s, pf, len + 1, code, mod, filename, data);
                break;
            }
            break;
        }
        case '\\':
            if (!s->escapes) {
                obuf_putc(&s->out, '\\');
                break;
            }
            ++b;
            if (*b >= '0' && *b <= '7') {
                int v = *b - '0', n = 1;
                for (++b; n < 3 && *b >= '0' && *b <= '7'; ++n, ++b) v = v * 8 + (*b - '0');
                obuf_putc(&s->out, v);
                --b;
            } else if (*b == 'x' && isxdigit((unsigned char)b[1])) {
                int v = hexval(b[1]);
                ++b;
                if (isxdigit((unsigned char)b[1])) {
                    ++b;
                    v = v * 16 + hexval(*b);
                }
                obuf_putc(&s->out, v);
            } else if (*b == '\0') {
                obuf_flush(&s->out);
                cmd_error(s->p, "warning: backslash at end of format");
                obuf_putc(&s->out, '\\');
                --b;
            } else {
                print_esc_char(s, *b);
            }
            break;
        default: obuf_putc(&s->out, *b); break;
        }
    }
    obuf_puts(&s->out, s->trailing);
    return fail;
}

static const char *default_format(bool fs, bool terse, bool device)
{
    if (fs)
        return terse ? "%n %i %l %t %s %S %b %f %a %c %d\n"
                     : "  File: \"%n\"\n"
                       "    ID: %-8i Namelen: %-7l Type: %T\n"
                       "Block size: %-10s Fundamental block size: %S\n"
                       "Blocks: Total: %-10b Free: %-10f Available: %a\n"
                       "Inodes: Total: %-10c Free: %d\n";
    if (terse) return "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o\n";
    return device ? "  File: %N\n"
                    "  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n"
                    "Device: %Hd,%Ld\tInode: %-10i  Links: %-5h Device type: %Hr,%Lr\n"
                    "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n"
                    "Access: %x\nModify: %y\nChange: %z\n Birth: %w\n"
                  : "  File: %N\n"
                    "  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n"
                    "Device: %Hd,%Ld\tInode: %-10i  Links: %h\n"
                    "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n"
                    "Access: %x\nModify: %y\nChange: %z\n Birth: %w\n";
}

enum { O_PRINTF = 256, O_CACHED };
static const struct opt_long longs[] = {{"dereference", OPT_NOARG, 'L'},
                                        {"file-system", OPT_NOARG, 'f'},
                                        {"format", OPT_ARG, 'c'},
                                        {"printf", OPT_ARG, O_PRINTF},
                                        {"terse", OPT_NOARG, 't'},
                                        {"cached", OPT_ARG, O_CACHED},
                                        {0}};
static const struct opt_spec spec = {.name = "stat",
                                     .shorts = "c:fLt",
                                     .longs = longs,
                                     .help = stat_help,
                                     .authors = "Michael Meskes"};

int cmd_stat(struct proc *p, int argc, char **argv)
{
    struct st *s = p_calloc(p, 1, sizeof *s);
    if (!s) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    s->p = p;
    s->trailing = "";
    bool fs = false, terse = false;
    const char *format = NULL;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case O_PRINTF:
            format = o.arg;
            s->escapes = true;
            s->trailing = "";
            break;
        case 'c':
            format = o.arg;
            s->escapes = false;
            s->trailing = "\n";
            break;
        case 'L': s->follow = true; break;
        case 'f': fs = true; break;
        case 't': terse = true; break;
        case O_CACHED: {
            static const char *const modes[] = {"default", "never", "always", NULL};
            static const int vals[] = {0, 1, 2};
            if (opt_argmatch_vals(&o, "--cached", o.arg, modes, vals) < 0) return 1;
            break; /* vos has no attribute cache: every mode reads the latest */
        }
        case OPT_EXIT: return o.status;
        default: return 1;
        }
    }
    if (o.ind >= argc) {
        opt_usage_error(&o, "missing operand");
        return 1;
    }
    s->nq.utf8 = cmd_utf8_locale(p);
    s->nq.style = QA_LITERAL;
    const char *format2;
    if (format) {
        if (strstr(format, "%N")) {
            s->nq.style = QA_SHELL_ESCAPE_ALWAYS;
            const char *qs = proc_getenv(p, "QUOTING_STYLE");
            if (qs) {
                int i = -1;
                size_t ql = strlen(qs);
                for (int k = 0; qa_style_names[k]; k++)
                    if (strncmp(qa_style_names[k], qs, ql) == 0) {
                        if (strlen(qa_style_names[k]) == ql || i < 0) i = k;
                        if (strlen(qa_style_names[k]) == ql) break;
                    }
                if (i >= 0)
                    s->nq.style = (enum qa_style)i;
                else
                    cmd_error(p, "ignoring invalid value of environment variable QUOTING_STYLE: %s",
                              cmd_quote(p, qs));
            }
        }
        format2 = format;
    } else {
        format = default_format(fs, terse, false);
        format2 = default_format(fs, terse, true);
    }
    idcache_init(&s->ids, p);
    obuf_init(&s->out, p, 1);
    bool ok = true;
    for (int i = o.ind; i < argc; i++) {
        const char *name = argv[i];
        if (fs) {
            if (strcmp(name, "-") == 0) {
                obuf_flush(&s->out);
                cmd_error(p, "using %s to denote standard input does not work in file system mode",
                          cmd_quoteaf(p, name));
                ok = false;
                continue;
            }
            struct statvfs sv;
            int r = sys_statfs(p, name, &sv);
            if (r < 0) {
                obuf_flush(&s->out);
                cmd_errno(p, r, "cannot read file system information for %s", cmd_quoteaf(p, name));
                ok = false;
                continue;
            }
            int f = print_it(s, format, name, true, &sv);
            if (f < 0) {
                cmd_close_stdout(p, &s->out, 1);
                return 1;
            }
            ok &= !f;
        } else {
            struct stat st;
            int r;
            if (strcmp(name, "-") == 0)
                r = sys_fstat(p, 0, &st);
            else
                r = s->follow ? sys_stat(p, name, &st) : sys_lstat(p, name, &st);
            if (r < 0) {
                obuf_flush(&s->out);
                if (strcmp(name, "-") == 0)
                    cmd_errno(p, r, "cannot stat standard input");
                else
                    cmd_errno(p, r, "cannot statx %s", cmd_quoteaf(p, name));
                ok = false;
                continue;
            }
            const char *fmt = S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode) ? format2 : format;
            int f = print_it(s, fmt, name, false, &st);
            if (f < 0) {
                cmd_close_stdout(p, &s->out, 1);
                return 1;
            }
            ok &= !f;
        }
        if (proc_check(p) < 0) break;
    }
    return cmd_close_stdout(p, &s->out, ok ? 0 : 1);
}
