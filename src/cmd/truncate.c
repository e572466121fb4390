/* truncate.c — shrink or extend the size of files: -s [+-<>/%]SIZE, -r
 * RFILE, -c, -o (SIZE in I/O blocks). */
#include "cmd/cmd.h"

#include <ctype.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/stat.h>

static const char truncate_help[] =
    "Usage: %s OPTION... FILE...\n"
    "Shrink or extend the size of each FILE to the specified size\n"
    "\n"
    "A FILE argument that does not exist is created.\n"
    "\n"
    "If a FILE is larger than the specified size, the extra data is lost.\n"
    "If a FILE is shorter, it is extended and the sparse extended part (hole)\n"
    "reads as zero bytes.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -c, --no-create        do not create any files\n"
    "  -o, --io-blocks        treat SIZE as number of IO blocks instead of bytes\n"
    "  -r, --reference=RFILE  base size on RFILE\n"
    "  -s, --size=SIZE        set or adjust the file size by SIZE bytes\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "The SIZE argument is an integer and optional unit (example: 10K is 10*1024).\n"
    "Units are K,M,G,T,P,E,Z,Y (powers of 1024) or KB,MB,... (powers of 1000).\n"
    "Binary prefixes can be used, too: KiB=K, MiB=M, and so on.\n"
    "\n"
    "SIZE may also be prefixed by one of the following modifying characters:\n"
    "'+' extend by, '-' reduce by, '<' at most, '>' at least,\n"
    "'/' round down to multiple of, '%%' round up to multiple of.\n"
    "\n"
    COREUTILS_HELP_TAIL("truncate", "truncate")
    ;

static const struct opt_long longs[] = {{"no-create", OPT_NOARG, 'c'},
                                        {"io-blocks", OPT_NOARG, 'o'},
                                        {"reference", OPT_ARG, 'r'},
                                        {"size", OPT_ARG, 's'},
                                        {0}};
static const struct opt_spec spec = {.name = "truncate",
                                     .shorts = "cor:s:",
                                     .longs = longs,
                                     .help = truncate_help,
                                     .authors = "Padraig Brady"};

enum { RM_ABS, RM_REL, RM_MIN, RM_MAX, RM_RDN, RM_RUP };

static bool do_truncate(struct proc *p, int fd, const char *name, off_t ssize, off_t rsize, int rel,
                        bool block_mode)
{
    struct stat sb;
    if ((block_mode || (rel && rsize < 0))) {
        int r = sys_fstat(p, fd, &sb);
        if (r < 0) {
            cmd_errno(p, r, "cannot fstat %s", cmd_quoteaf(p, name));
            return false;
        }
    }
    if (block_mode) {
        intmax_t blk = sb.st_blksize > 0 ? sb.st_blksize : 512, s0 = ssize;
        if (__builtin_mul_overflow(ssize, blk, &ssize)) {
            cmd_error(p, "overflow in %" PRIdMAX " * %" PRIdMAX " byte blocks for file %s", s0, blk,
                      cmd_quoteaf(p, name));
            return false;
        }
    }
    off_t nsize;
    if (rel) {
        off_t fsize;
        if (rsize >= 0) {
            fsize = rsize;
        } else if (S_ISREG(sb.st_mode)) {
            fsize = sb.st_size;
        } else {
            fsize = sys_lseek(p, fd, 0, SEEK_END);
            if (fsize < 0) {
                cmd_errno(p, (int)fsize, "cannot get the size of %s", cmd_quoteaf(p, name));
                return false;
            }
        }
        if (rel == RM_MIN)
            nsize = fsize > ssize ? fsize : ssize;
        else if (rel == RM_MAX)
            nsize = fsize < ssize ? fsize : ssize;
        else if (rel == RM_RDN)
            nsize = fsize - fsize % ssize;
        else {
            if (rel == RM_RUP) {
                off_t r = fsize % ssize;
                ssize = r == 0 ? 0 : ssize - r;
            }
            if (__builtin_add_overflow(fsize, ssize, &nsize)) {
                cmd_error(p, "overflow extending size of file %s", cmd_quoteaf(p, name));
                return false;
            }
        }
    } else {
        nsize = ssize;
    }
    if (nsize < 0) nsize = 0;
    int r = sys_ftruncate(p, fd, nsize);
    if (r < 0) {
        cmd_errno(p, r, "failed to truncate %s at %" PRIdMAX " bytes", cmd_quoteaf(p, name),
                  (intmax_t)nsize);
        return false;
    }
    return true;
}

int cmd_truncate(struct proc *p, int argc, char **argv)
{
    bool no_create = false, block_mode = false, got_size = false;
    const char *ref = NULL;
    int rel = RM_ABS;
    off_t size = 0, rsize = -1;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'c': no_create = true; break;
        case 'o': block_mode = true; break;
        case 'r': ref = o.arg; break;
        case 's': {
            const char *a = o.arg;
            while (isspace((unsigned char)*a)) a++;
            switch (*a) {
            case '<': rel = RM_MAX, a++; break;
            case '>': rel = RM_MIN, a++; break;
            case '/': rel = RM_RDN, a++; break;
            case '%': rel = RM_RUP, a++; break;
            }
            while (isspace((unsigned char)*a)) a++;
            if (*a == '+' || *a == '-') {
                if (rel) return opt_usage_error(&o, "multiple relative modifiers specified");
                rel = RM_REL;
            }
            intmax_t v;
            char *end;
            enum opt_num_status st = opt_strtoimax(a, &end, 10, &v, "EgGkKmMPtTYZ0");
            if (st == OPT_NUM_OK && *end) st = OPT_NUM_INVALID;
            if (st != OPT_NUM_OK) {
                if (st == OPT_NUM_OVERFLOW)
                    cmd_errno(p, -EOVERFLOW, "Invalid number: %s", cmd_quote(p, a));
                else
                    cmd_error(p, "Invalid number: %s", cmd_quote(p, a));
                return 1;
            }
            if ((rel == RM_RUP || rel == RM_RDN) && v == 0) {
                cmd_error(p, "division by zero");
                return 1;
            }
            size = (off_t)v;
            got_size = true;
            break;
        }
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (!ref && !got_size)
        return opt_usage_error(&o, "you must specify either %s or %s", "‘--size’", "‘--reference’");
    if (ref && got_size && !rel)
        return opt_usage_error(&o, "you must specify a relative %s with %s", "‘--size’",
                               "‘--reference’");
    if (block_mode && !got_size)
        return opt_usage_error(&o, "%s was specified but %s was not", "‘--io-blocks’", "‘--size’");
    if (o.ind >= argc) return opt_usage_error(&o, "missing file operand");
    if (ref) {
        struct stat sb;
        int r = sys_stat(p, ref, &sb);
        if (r < 0) {
            cmd_errno(p, r, "cannot stat %s", cmd_quoteaf(p, ref));
            return 1;
        }
        off_t fsize = sb.st_size;
        if (!S_ISREG(sb.st_mode)) {
            int fd = sys_open(p, ref, O_RDONLY, 0);
            fsize = fd >= 0 ? sys_lseek(p, fd, 0, SEEK_END) : fd;
            if (fd >= 0) sys_close(p, fd);
            if (fsize < 0) {
                cmd_errno(p, (int)fsize, "cannot get the size of %s", cmd_quoteaf(p, ref));
                return 1;
            }
        }
        if (!got_size)
            size = fsize;
        else
            rsize = fsize;
    }
    bool errors = false;
    int oflags = O_WRONLY | (no_create ? 0 : O_CREAT) | O_NONBLOCK;
    for (int i = o.ind; i < argc; i++) {
        const char *name = argv[i];
        int fd = sys_open(p, name, oflags, 0666);
        if (fd < 0) {
            if (fd == -EINTR) return 1;
            if (!(no_create && fd == -ENOENT)) {
                /* Linux's open(O_CREAT) of "name/" fails with EISDIR */
                size_t n = strlen(name);
                if (!no_create && n && name[n - 1] == '/' && fd == -ENOTDIR) fd = -EISDIR;
                cmd_errno(p, fd, "cannot open %s for writing", cmd_quoteaf(p, name));
                errors = true;
            }
            continue;
        }
        errors |= !do_truncate(p, fd, name, size, rsize, rel, block_mode);
        sys_close(p, fd);
    }
    return errors ? 1 : 0;
}
