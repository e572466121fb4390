/* file.c — determine file type (file 5.44) on libmagic: -b -i --mime-type
 * -L -z. Types that come from the inode (directory, symlink, fifo, device,
 * empty) are decided from sys_lstat/sys_stat as file does; for regular
 * files the bytes are read through the kernel and given to magic_buffer.
 * libmagic handles are not thread-safe, so each call opens its own; -z
 * never lets libmagic fork a decompressor (MAGIC_NO_COMPRESS_FORK). */
#include "cmd/cmd.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <magic.h>
#include <zlib.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static const char file_help[] =
    "Usage: file [OPTION...] [FILE...]\n"
    "Determine type of FILEs.\n"
    "\n"
    "      --help                 display this help and exit\n"
    "  -v, --version              output version information and exit\n"
    "  -m, --magic-file LIST      use LIST as a colon-separated list of magic\n"
    "                               number files\n"
    "  -z, --uncompress           try to look inside compressed files\n"
    "  -Z, --uncompress-noreport  only print the contents of compressed files\n"
    "  -b, --brief                do not prepend filenames to output lines\n"
    "  -c, --checking-printout    print the parsed form of the magic file, use in\n"
    "                               conjunction with -m to debug a new magic file\n"
    "                               before installing it\n"
    "  -e, --exclude TEST         exclude TEST from the list of test to be\n"
    "                               performed for file. Valid tests are:\n"
    "                               apptype, ascii, cdf, compress, csv, elf,\n"
    "                               encoding, soft, tar, json, text,\n"
    "                               tokens\n"
    "      --exclude-quiet TEST   like exclude, but ignore unknown tests\n"
    "  -f, --files-from FILE      read the filenames to be examined from FILE\n"
    "  -F, --separator STRING     use string as separator instead of `:'\n"
    "  -i, --mime                 output MIME type strings (--mime-type and\n"
    "                               --mime-encoding)\n"
    "      --apple                output the Apple CREATOR/TYPE\n"
    "      --extension            output a slash-separated list of extensions\n"
    "      --mime-type            output the MIME type\n"
    "      --mime-encoding        output the MIME encoding\n"
    "  -k, --keep-going           don't stop at the first match\n"
    "  -l, --list                 list magic strength\n"
    "  -L, --dereference          follow symlinks (default if POSIXLY_CORRECT is set)\n"
    "  -h, --no-dereference       don't follow symlinks (default if POSIXLY_CORRECT is not set) (default)\n"
    "  -n, --no-buffer            do not buffer output\n"
    "  -N, --no-pad               do not pad output\n"
    "  -0, --print0               terminate filenames with ASCII NUL\n"
    "  -p, --preserve-date        preserve access times on files\n"
    "  -P, --parameter            set file engine parameter limits\n"
    "                                   bytes 7340032 max bytes to look inside file\n"
    "                               elf_notes     256 max ELF notes processed\n"
    "                               elf_phnum    2048 max ELF prog sections processed\n"
    "                               elf_shnum   32768 max ELF sections processed\n"
    "                                encoding   65536 max bytes to scan for encoding\n"
    "                                   indir      50 recursion limit for indirection\n"
    "                                    name      50 use limit for name/use magic\n"
    "                                   regex    8192 length limit for REGEX searches\n"
    "  -r, --raw                  don't translate unprintable chars to \\ooo\n"
    "  -s, --special-files        treat special (block/char devices) files as\n"
    "                             ordinary ones\n"
    "  -S, --no-sandbox           disable system call sandboxing\n"
    "  -C, --compile              compile file specified by -m\n"
    "  -d, --debug                print debugging messages\n"
    "\n"
    "Report bugs to https://bugs.astron.com/\n";

static const char file_usage[] =
    "Usage: file [-bcCdEhikLlNnprsSvzZ0] [--apple] [--extension] [--mime-encoding]\n"
    "            [--mime-type] [-e <testname>] [-F <separator>]  [-f <namefile>]\n"
    "            [-m <magicfiles>] [-P <parameter=value>] [--exclude-quiet]\n"
    "            <file> ...\n"
    "       file -C [-m <magicfiles>]\n"
    "       file [--help]\n";

static const char file_version[] =
    "file-5.44\nmagic file from /etc/magic:/usr/share/misc/magic\n";

enum { F_MIME_TYPE = 256 };

static const struct opt_long longs[] = {{"brief", OPT_NOARG, 'b'},
                                        {"mime", OPT_NOARG, 'i'},
                                        {"mime-type", OPT_NOARG, F_MIME_TYPE},
                                        {"dereference", OPT_NOARG, 'L'},
                                        {"uncompress", OPT_NOARG, 'z'},
                                        {0}};

struct fopts {
    bool brief, deref, unzip;
    int mime; /* 0 none, 1 -i, 2 --mime-type */
};

/* The description of an inode type, or NULL for a regular file to read. */
static const char *inode_desc(struct proc *p, struct fopts *f, const char *name, struct stat *st,
                              char *buf, size_t n, bool *err)
{
    const char *cs = f->mime == 1 ? "; charset=binary" : "";
    *err = false;
    int r = f->deref ? sys_stat(p, name, st) : sys_lstat(p, name, st);
    if (r < 0) {
        snprintf(buf, n, "cannot open `%s' (%s)", name, cmd_strerror(r));
        *err = true;
        return buf;
    }
    if (S_ISDIR(st->st_mode)) {
        snprintf(buf, n, "%s", f->mime ? (f->mime == 1 ? "inode/directory; charset=binary" : "inode/directory") : "directory");
        return buf;
    }
    if (S_ISLNK(st->st_mode)) {
        char t[4096];
        ssize_t k = sys_readlink(p, name, t, sizeof t - 1);
        t[k < 0 ? 0 : k] = 0;
        struct stat ts;
        bool broken = sys_stat(p, name, &ts) < 0;
        if (f->mime)
            snprintf(buf, n, "inode/symlink%s", broken ? "" : cs);
        else
            snprintf(buf, n, "%ssymbolic link to %s", broken ? "broken " : "", t);
        return buf;
    }
    if (S_ISFIFO(st->st_mode)) {
        snprintf(buf, n, f->mime ? "inode/fifo%s" : "fifo (named pipe)", cs);
        return buf;
    }
    if (S_ISSOCK(st->st_mode)) {
        snprintf(buf, n, f->mime ? "inode/socket%s" : "socket", cs);
        return buf;
    }
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
        bool c = S_ISCHR(st->st_mode);
        if (f->mime)
            snprintf(buf, n, "inode/%s%s", c ? "chardevice" : "blockdevice", cs);
        else
            snprintf(buf, n, "%s special (%u/%u)", c ? "character" : "block",
                     major(st->st_rdev), minor(st->st_rdev));
        return buf;
    }
    if (st->st_size == 0) {
        snprintf(buf, n, f->mime ? "inode/x-empty%s" : "empty", cs);
        return buf;
    }
    return NULL;
}

/* -z: the decompressed start of a gzip, bzip2 or xz buffer (NULL if it is
 * none of them), up to max bytes. libmagic would fork a decompressor. */
static char *decompress(struct proc *p, const unsigned char *d, size_t n, size_t max, size_t *out)
{
    bool gz = n >= 2 && d[0] == 0x1f && d[1] == 0x8b;
    bool bz = n >= 3 && !memcmp(d, "BZh", 3);
    bool xz = n >= 6 && !memcmp(d, "\xfd" "7zXZ\0", 6);
    if (!gz && !bz && !xz) return NULL;
    char *o = p_malloc(p, max);
    if (!o) return NULL;
    size_t got = 0;
    if (gz) {
        z_stream zs = {0};
        if (inflateInit2(&zs, 16 + 15) != Z_OK) {
            p_free(p, o);
            return NULL;
        }
        zs.next_in = (unsigned char *)d;
        zs.avail_in = (uInt)n;
        zs.next_out = (unsigned char *)o;
        zs.avail_out = (uInt)max;
        inflate(&zs, Z_SYNC_FLUSH);
        got = max - zs.avail_out;
        inflateEnd(&zs);
    } else {
        struct archive *a = archive_read_new();
        struct archive_entry *e;
        archive_read_support_filter_bzip2(a);
        archive_read_support_filter_xz(a);
        archive_read_support_format_raw(a);
        if (archive_read_open_memory(a, d, n) == ARCHIVE_OK &&
            archive_read_next_header(a, &e) == ARCHIVE_OK) {
            la_ssize_t r;
            while (got < max && (r = archive_read_data(a, o + got, max - got)) > 0) got += (size_t)r;
        }
        archive_read_free(a);
    }
    if (got == 0) {
        p_free(p, o);
        return NULL;
    }
    *out = got;
    return o;
}

static char *read_bytes(struct proc *p, int fd, size_t max, size_t *len)
{
    char *b = p_malloc(p, max ? max : 1);
    if (!b) return NULL;
    size_t got = 0;
    while (got < max) {
        ssize_t r = sys_read(p, fd, b + got, max - got);
        if (r <= 0) break;
        got += (size_t)r;
        if (proc_check(p)) break;
    }
    *len = got;
    return b;
}

int cmd_file(struct proc *p, int argc, char **argv)
{
    static const struct opt_spec spec = {.name = "file",
                                         .shorts = "biLz",
                                         .longs = longs,
                                         .help = file_help,
                                         .version = file_version,
                                         .try_text = file_usage};
    struct fopts f = {0};
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case OPT_EXIT: return o.status;
        case 'b': f.brief = true; break;
        case 'i': f.mime = 1; break;
        case F_MIME_TYPE: f.mime = 2; break;
        case 'L': f.deref = true; break;
        case 'z': f.unzip = true; break;
        }
    }
    if (o.ind >= argc) {
        p_write_all(p, 2, file_usage, strlen(file_usage));
        return 1;
    }
    int flags = MAGIC_NO_COMPRESS_FORK;
    if (f.mime == 1) flags |= MAGIC_MIME;
    if (f.mime == 2) flags |= MAGIC_MIME_TYPE;
    magic_t m = magic_open(flags);
    if (!m || magic_load(m, NULL) != 0) {
        cmd_error(p, "could not find any valid magic files!");
        if (m) magic_close(m);
        return 1;
    }
    size_t bytes_max = 7 * 1024 * 1024;
    magic_getparam(m, MAGIC_PARAM_BYTES_MAX, &bytes_max);
    size_t width = 0;
    for (int i = o.ind; i < argc; i++) {
        const char *n = strcmp(argv[i], "-") ? argv[i] : "/dev/stdin";
        size_t l = strlen(n);
        if (l > width) width = l;
    }
    struct obuf out;
    obuf_init(&out, p, 1);
    int status = 0;
    for (int i = o.ind; i < argc && !p->killed; i++) {
        bool isstd = !strcmp(argv[i], "-");
        const char *name = isstd ? "/dev/stdin" : argv[i];
        char buf[8192];
        const char *desc = NULL;
        struct stat st;
        bool err = false;
        int fd = -1;
        if (isstd) {
            fd = 0;
        } else {
            desc = inode_desc(p, &f, name, &st, buf, sizeof buf, &err);
            if (!desc) {
                fd = sys_open(p, name, O_RDONLY, 0);
                if (fd < 0) {
                    snprintf(buf, sizeof buf, "cannot open `%s' (%s)", name, cmd_strerror(fd));
                    desc = buf;
                }
            }
        }
        if (!desc) {
            size_t len = 0;
            char *data = read_bytes(p, fd, bytes_max, &len);
            if (!isstd) sys_close(p, fd);
            if (!data) {
                obuf_flush(&out);
                cmd_error(p, "memory exhausted");
                status = 1;
                break;
            }
            if (len == 0) {
                snprintf(buf, sizeof buf, "%s",
                         f.mime == 1 ? "inode/x-empty; charset=binary" : f.mime ? "inode/x-empty" : "empty");
                desc = buf;
            } else {
                const char *r = magic_buffer(m, data, len);
                snprintf(buf, sizeof buf, "%s", r ? r : magic_error(m) ? magic_error(m) : "data");
                desc = buf;
                size_t ulen = 0;
                char *u = f.unzip ? decompress(p, (unsigned char *)data, len, bytes_max, &ulen) : NULL;
                if (u) {
                    char outer[4096];
                    snprintf(outer, sizeof outer, "%.4000s", buf);
                    char *om = strstr(outer, ", original size modulo");
                    if (om) *om = 0;
                    const char *in = magic_buffer(m, u, ulen);
                    if (f.mime == 2)
                        snprintf(buf, sizeof buf, "%s", in ? in : "data");
                    else if (f.mime == 1)
                        snprintf(buf, sizeof buf, "%.4000s compressed-encoding=%s", in ? in : "data", outer);
                    else
                        snprintf(buf, sizeof buf, "%.4000s (%s)", in ? in : "data", outer);
                    p_free(p, u);
                }
            }
            p_free(p, data);
        }
        if (!f.brief) {
            obuf_puts(&out, name);
            obuf_putc(&out, ':');
            for (size_t k = strlen(name); k < width; k++) obuf_putc(&out, ' ');
            obuf_putc(&out, ' ');
        }
        obuf_puts(&out, desc);
        obuf_putc(&out, '\n');
    }
    magic_close(m);
    return cmd_close_stdout(p, &out, status);
}
