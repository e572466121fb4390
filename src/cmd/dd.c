/* dd.c — convert and copy a file, as GNU dd 9.1: if= of= bs= ibs= obs=
 * count= skip=/iseek= seek=/oseek= (with the B suffix and N x M
 * products), conv=notrunc,noerror,sync,ucase,lcase,swab,excl,nocreat,
 * sparse,fsync,fdatasync, iflag/oflag (fullblock count_bytes skip_bytes
 * seek_bytes append nofollow directory nonblock and the cache/sync hints,
 * which have nothing to do in a VM), status=none|noxfer|progress, and the
 * three-line summary on stderr.
 *
 * With bs= each input block is written as read; otherwise input is
 * gathered into obs-sized output blocks, as POSIX asks. The EBCDIC and
 * fixed-record conversions (ascii, ebcdic, ibm, block, unblock) are not
 * implemented and say so. */
#include "cmd/cmd.h"
#include "lib/human.h"

#include <fcntl.h>
#include <stdio.h>

static const char dd_help[] =
    "Usage: %s [OPERAND]...\n"
    "  or:  %s OPTION\n"
    "Copy a file, converting and formatting according to the operands.\n"
    "\n"
    "  bs=BYTES        read and write up to BYTES bytes at a time (default: 512);\n"
    "                  overrides ibs and obs\n"
    "  cbs=BYTES       convert BYTES bytes at a time\n"
    "  conv=CONVS      convert the file as per the comma separated symbol list\n"
    "  count=N         copy only N input blocks\n"
    "  ibs=BYTES       read up to BYTES bytes at a time (default: 512)\n"
    "  if=FILE         read from FILE instead of stdin\n"
    "  iflag=FLAGS     read as per the comma separated symbol list\n"
    "  obs=BYTES       write BYTES bytes at a time (default: 512)\n"
    "  of=FILE         write to FILE instead of stdout\n"
    "  oflag=FLAGS     write as per the comma separated symbol list\n"
    "  seek=N          (or oseek=N) skip N obs-sized output blocks\n"
    "  skip=N          (or iseek=N) skip N ibs-sized input blocks\n"
    "  status=LEVEL    The LEVEL of information to print to stderr;\n"
    "                  'none' suppresses everything but error messages,\n"
    "                  'noxfer' suppresses the final transfer statistics,\n"
    "                  'progress' shows periodic transfer statistics\n"
    "\n"
    "N and BYTES may be followed by the following multiplicative suffixes:\n"
    "c=1, w=2, b=512, kB=1000, K=1024, MB=1000*1000, M=1024*1024, xM=M,\n"
    "GB=1000*1000*1000, G=1024*1024*1024, and so on for T, P, E, Z, Y.\n"
    "Binary prefixes can be used, too: KiB=K, MiB=M, and so on.\n"
    "If N ends in 'B', it counts bytes not blocks.\n"
    "\n"
    "Each CONV symbol may be:\n"
    "\n"
    "  ascii     from EBCDIC to ASCII\n"
    "  ebcdic    from ASCII to EBCDIC\n"
    "  ibm       from ASCII to alternate EBCDIC\n"
    "  block     pad newline-terminated records with spaces to cbs-size\n"
    "  unblock   replace trailing spaces in cbs-size records with newline\n"
    "  lcase     change upper case to lower case\n"
    "  ucase     change lower case to upper case\n"
    "  sparse    try to seek rather than write all-NUL output blocks\n"
    "  swab      swap every pair of input bytes\n"
    "  sync      pad every input block with NULs to ibs-size; when used\n"
    "            with block or unblock, pad with spaces rather than NULs\n"
    "  excl      fail if the output file already exists\n"
    "  nocreat   do not create the output file\n"
    "  notrunc   do not truncate the output file\n"
    "  noerror   continue after read errors\n"
    "  fdatasync  physically write output file data before finishing\n"
    "  fsync     likewise, but also write metadata\n"
    "\n"
    "Each FLAG symbol may be:\n"
    "\n"
    "  append    append mode (makes sense only for output; conv=notrunc suggested)\n"
    "  direct    use direct I/O for data\n"
    "  directory  fail unless a directory\n"
    "  dsync     use synchronized I/O for data\n"
    "  sync      likewise, but also for metadata\n"
    "  fullblock  accumulate full blocks of input (iflag only)\n"
    "  nonblock  use non-blocking I/O\n"
    "  noatime   do not update access time\n"
    "  nocache   Request to drop cache.  See also oflag=sync\n"
    "  noctty    do not assign controlling terminal from file\n"
    "  nofollow  do not follow symlinks\n"
    "\n"
    "Sending a USR1 signal to a running 'dd' process makes it\n"
    "print I/O statistics to standard error and then resume copying.\n"
    "\n"
    "Options are:\n"
    "\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("dd", "dd");

static const char dd_version[] =
    "dd (coreutils) 9.1\n"
    "Copyright (C) 2022 Free Software Foundation, Inc.\n"
    "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
    "This is free software: you are free to change and redistribute it.\n"
    "There is NO WARRANTY, to the extent permitted by law.\n"
    "\n"
    "Written by Paul Rubin, David MacKenzie, and Stuart Kemp.\n";

enum {
    C_NOTRUNC = 1 << 0,
    C_NOERROR = 1 << 1,
    C_SYNC = 1 << 2,
    C_UCASE = 1 << 3,
    C_LCASE = 1 << 4,
    C_EXCL = 1 << 5,
    C_NOCREAT = 1 << 6,
    C_FSYNC = 1 << 7,
    C_FDATASYNC = 1 << 8,
    C_SWAB = 1 << 9,
    C_SPARSE = 1 << 10,
    C_UNSUPPORTED = 1 << 11,
};
enum {
    F_FULLBLOCK = 1 << 0,
    F_COUNT_BYTES = 1 << 1,
    F_SKIP_BYTES = 1 << 2,
    F_SEEK_BYTES = 1 << 3,
    F_APPEND = 1 << 4,
    F_NOFOLLOW = 1 << 5,
    F_DIRECTORY = 1 << 6,
    F_NONBLOCK = 1 << 7,
    F_HINT = 1 << 8,
};

struct symbol {
    const char *name;
    int value;
};
static const struct symbol conversions[] = {{"notrunc", C_NOTRUNC},
                                            {"noerror", C_NOERROR},
                                            {"sync", C_SYNC},
                                            {"ucase", C_UCASE},
                                            {"lcase", C_LCASE},
                                            {"excl", C_EXCL},
                                            {"nocreat", C_NOCREAT},
                                            {"fsync", C_FSYNC},
                                            {"fdatasync", C_FDATASYNC},
                                            {"swab", C_SWAB},
                                            {"sparse", C_SPARSE},
                                            {"ascii", C_UNSUPPORTED},
                                            {"ebcdic", C_UNSUPPORTED},
                                            {"ibm", C_UNSUPPORTED},
                                            {"block", C_UNSUPPORTED},
                                            {"unblock", C_UNSUPPORTED},
                                            {NULL, 0}};
static const struct symbol flags[] = {{"fullblock", F_FULLBLOCK},
                                      {"count_bytes", F_COUNT_BYTES},
                                      {"skip_bytes", F_SKIP_BYTES},
                                      {"seek_bytes", F_SEEK_BYTES},
                                      {"append", F_APPEND},
                                      {"nofollow", F_NOFOLLOW},
                                      {"directory", F_DIRECTORY},
                                      {"nonblock", F_NONBLOCK},
                                      {"direct", F_HINT},
                                      {"dsync", F_HINT},
                                      {"sync", F_HINT},
                                      {"noatime", F_HINT},
                                      {"nocache", F_HINT},
                                      {"noctty", F_HINT},
                                      {"binary", F_HINT},
                                      {"text", F_HINT},
                                      {NULL, 0}};

struct dd {
    struct proc *p;
    const char *in_name, *out_name;
    int in_fd, out_fd;
    uintmax_t ibs, obs, count, skip, seek;
    bool bs_given, count_given;
    int conv, iflag, oflag;
    int status; /* 0 default, 1 noxfer, 2 none, 3 progress */
    uintmax_t r_full, r_partial, w_full, w_partial, w_bytes;
    uint64_t start_ns;
    char *ibuf, *obuf;
    size_t olen;
    bool unsupported_named;
};

static void usage_try(struct dd *d)
{
    char b[128];
    snprintf(b, sizeof b, "Try '%s --help' for more information.\n", cmd_prog(d->p));
    io_write_all(d->p, 2, b, strlen(b));
}

/* Parse "N", "NxM" with dd's suffixes; a trailing B on skip/seek/count
 * means bytes (*bytes set). false when invalid. */
static bool parse_num(const char *s, uintmax_t *out, bool *bytes)
{
    char *suffix;
    uintmax_t n;
    if (bytes) *bytes = false;
    if (*s < '0' || *s > '9') return false;
    enum opt_num_status e = opt_strtoumax(s, &suffix, 10, &n, "bcEGkKMPTwYZ0");
    if (e == OPT_NUM_BAD_SUFFIX && *suffix == 'x') {
        uintmax_t m;
        char *end;
        if (suffix[1] < '0' || suffix[1] > '9') {
            /* "2xk" is 2 * 1024 */
            e = opt_strtoumax("1", NULL, 10, &m, NULL);
            const char *q = suffix + 1;
            e = opt_strtoumax(q, &end, 10, &m, "bcEGkKMPTwYZ0");
            if (e != OPT_NUM_OK || *end) return false;
        } else {
            e = opt_strtoumax(suffix + 1, &end, 10, &m, "bcEGkKMPTwYZ0");
            if (e != OPT_NUM_OK || *end) return false;
        }
        if (m && n > UINTMAX_MAX / m) return false;
        *out = n * m;
        return true;
    }
    if (e == OPT_NUM_BAD_SUFFIX && bytes && suffix[0] == 'B' && !suffix[1] && suffix > s &&
        suffix[-1] >= '0' && suffix[-1] <= '9') {
        *out = n;
        *bytes = true;
        return true;
    }
    if (e != OPT_NUM_OK) return false;
    *out = n;
    return true;
}

static bool parse_symbols(struct dd *d, const char *val, const struct symbol *tab, int *mask,
                          const char *what)
{
    const char *s = val;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t l = comma ? (size_t)(comma - s) : strlen(s);
        int found = -1;
        for (int i = 0; tab[i].name; i++)
            if (strlen(tab[i].name) == l && strncmp(tab[i].name, s, l) == 0) found = i;
        if (found < 0) {
            char *w = p_strndup(d->p, s, l);
            cmd_error(d->p, "%s: %s", what, cmd_quote(d->p, w ? w : ""));
            usage_try(d);
            return false;
        }
        if (tab[found].value == C_UNSUPPORTED && tab == conversions) {
            cmd_error(d->p, "conversion %s is not supported in vos",
                      cmd_quote(d->p, tab[found].name));
            return false;
        }
        *mask |= tab[found].value;
        if (!comma) return true;
        s = comma + 1;
    }
}

static void print_stats(struct dd *d)
{
    struct proc *p = d->p;
    if (d->status == 2) return;
    char b[512];
    int n = snprintf(b, sizeof b, "%ju+%ju records in\n%ju+%ju records out\n", d->r_full,
                     d->r_partial, d->w_full, d->w_partial);
    io_write_all(p, 2, b, (size_t)n);
    if (d->status == 1) return;
    int opts =
        HUMAN_AUTOSCALE | HUMAN_ROUND_TO_NEAREST | HUMAN_SPACE_BEFORE_UNIT | HUMAN_SI | HUMAN_B;
    char h0[HUMAN_BUFSIZE], h1[HUMAN_BUFSIZE], h2[HUMAN_BUFSIZE], rate[64];
    const char *si = human_readable(d->w_bytes, h0, opts, 1, 1);
    const char *iec = human_readable(d->w_bytes, h1, opts | HUMAN_BASE_1024, 1, 1);
    struct timespec now;
    sys_clock_gettime(p, CLOCK_MONOTONIC, &now);
    uint64_t end_ns = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
    double delta_s = 0;
    if (d->start_ns < end_ns) {
        uint64_t delta = end_ns - d->start_ns;
        delta_s = (double)delta / 1e9;
        snprintf(rate, sizeof rate, "%s/s",
                 human_readable(d->w_bytes, h2, opts, 1000000000, delta));
    } else {
        snprintf(rate, sizeof rate, "Infinity B/s");
    }
    char tm[64];
    snprintf(tm, sizeof tm, "%g s", delta_s);
    size_t sl = strlen(si), il = strlen(iec);
    if (sl >= 2 && si[sl - 2] == ' ')
        n = snprintf(b, sizeof b, "%ju byte%s copied, %s, %s\n", d->w_bytes,
                     d->w_bytes == 1 ? "" : "s", tm, rate);
    else if (il >= 2 && iec[il - 2] == ' ')
        n = snprintf(b, sizeof b, "%ju bytes (%s) copied, %s, %s\n", d->w_bytes, si, tm, rate);
    else
        n = snprintf(b, sizeof b, "%ju bytes (%s, %s) copied, %s, %s\n", d->w_bytes, si, iec, tm,
                     rate);
    io_write_all(p, 2, b, (size_t)n);
}

static const char *in_label(struct dd *d)
{
    return d->in_name ? cmd_quoteaf(d->p, d->in_name) : "'standard input'";
}
static const char *out_label(struct dd *d)
{
    return d->out_name ? cmd_quoteaf(d->p, d->out_name) : "'standard output'";
}

/* Write n bytes as one record (full when n == obs). 0 or -1. */
static int write_block(struct dd *d, const char *buf, size_t n)
{
    struct proc *p = d->p;
    if ((d->conv & C_SPARSE) && n == d->obs) {
        size_t i = 0;
        while (i < n && !buf[i]) i++;
        if (i == n) {
            off_t r = sys_lseek(p, d->out_fd, (off_t)n, SEEK_CUR);
            if (r >= 0) {
                d->w_full++;
                d->w_bytes += n;
                return 0;
            }
        }
    }
    size_t done = 0;
    while (done < n) {
        ssize_t w = sys_write(p, d->out_fd, buf + done, n - done);
        if (w < 0) {
            if (w == -EINTR) return -1;
            cmd_errno(p, (int)w, "error writing %s", out_label(d));
            return -1;
        }
        done += (size_t)w;
        d->w_bytes += (size_t)w;
    }
    if (n == d->obs)
        d->w_full++;
    else
        d->w_partial++;
    return 0;
}

static void convert(struct dd *d, char *buf, size_t n)
{
    if (d->conv & C_SWAB)
        for (size_t i = 0; i + 1 < n; i += 2) {
            char c = buf[i];
            buf[i] = buf[i + 1];
            buf[i + 1] = c;
        }
    if (d->conv & C_UCASE)
        for (size_t i = 0; i < n; i++)
            if (buf[i] >= 'a' && buf[i] <= 'z') buf[i] = (char)(buf[i] - 32);
    if (d->conv & C_LCASE)
        for (size_t i = 0; i < n; i++)
            if (buf[i] >= 'A' && buf[i] <= 'Z') buf[i] = (char)(buf[i] + 32);
}

/* Read up to n bytes (all of them with fullblock, unless EOF). */
static ssize_t read_block(struct dd *d, char *buf, size_t n)
{
    size_t got = 0;
    do {
        ssize_t r = sys_read(d->p, d->in_fd, buf + got, n - got);
        if (r < 0) return got ? (ssize_t)got : r;
        if (r == 0) break;
        got += (size_t)r;
    } while ((d->iflag & F_FULLBLOCK) && got < n);
    return (ssize_t)got;
}

static int copy(struct dd *d)
{
    struct proc *p = d->p;
    int ret = 0;
    uintmax_t in_bytes = 0, blocks = 0;
    bool swab_odd = false;
    (void)swab_odd;
    for (;;) {
        if (d->count_given) {
            if (d->iflag & F_COUNT_BYTES) {
                if (in_bytes >= d->count) break;
            } else if (blocks >= d->count) {
                break;
            }
        }
        size_t want = d->ibs;
        if (d->count_given && (d->iflag & F_COUNT_BYTES) && d->count - in_bytes < want)
            want = (size_t)(d->count - in_bytes);
        if (proc_check(p) < 0) return 1;
        ssize_t r = read_block(d, d->ibuf, want);
        if (r < 0) {
            if (r == -EINTR) return 1;
            cmd_errno(p, (int)r, "error reading %s", in_label(d));
            ret = 1;
            if (!(d->conv & C_NOERROR)) break;
            /* skip the bad block, padding it with sync */
            sys_lseek(p, d->in_fd, (off_t)want, SEEK_CUR);
            d->r_partial++;
            if (d->conv & C_SYNC) {
                memset(d->ibuf, 0, d->ibs);
                r = (ssize_t)d->ibs;
            } else {
                continue;
            }
        } else if (r == 0) {
            break;
        } else {
            if ((size_t)r == d->ibs)
                d->r_full++;
            else
                d->r_partial++;
        }
        blocks++;
        in_bytes += (uintmax_t)r;
        size_t n = (size_t)r;
        if ((d->conv & C_SYNC) && n < d->ibs) {
            memset(d->ibuf + n, 0, d->ibs - n);
            n = d->ibs;
        }
        convert(d, d->ibuf, n);
        if (d->bs_given) {
            if (write_block(d, d->ibuf, n) < 0) return 1;
        } else {
            size_t off = 0;
            while (off < n) {
                size_t take = d->obs - d->olen;
                if (take > n - off) take = n - off;
                memcpy(d->obuf + d->olen, d->ibuf + off, take);
                d->olen += take;
                off += take;
                if (d->olen == d->obs) {
                    if (write_block(d, d->obuf, d->olen) < 0) return 1;
                    d->olen = 0;
                }
            }
        }
    }
    if (!d->bs_given && d->olen) {
        if (write_block(d, d->obuf, d->olen) < 0) return 1;
        d->olen = 0;
    }
    /* a sparse copy that ends in a hole still has its length */
    if (d->conv & C_SPARSE) {
        off_t pos = sys_lseek(p, d->out_fd, 0, SEEK_CUR);
        struct stat st;
        if (pos > 0 && sys_fstat(p, d->out_fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < pos)
            sys_ftruncate(p, d->out_fd, pos);
    }
    return ret;
}

int cmd_dd(struct proc *p, int argc, char **argv)
{
    struct dd *d = p_calloc(p, 1, sizeof *d);
    if (!d) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    d->p = p;
    d->ibs = d->obs = 512;
    /* dd takes only --help and --version as options */
    static const struct opt_spec spec = {
        .name = "dd", .shorts = "+", .help = dd_help, .version = dd_version};
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        if (c == OPT_EXIT) return o.status;
        return 1;
    }
    bool skip_B = false, seek_B = false, count_B = false, ibs_set = false, obs_set = false;
    for (int i = o.ind; i < argc; i++) {
        char *a = argv[i];
        char *eq = strchr(a, '=');
        if (!eq) {
            cmd_error(p, "unrecognized operand %s", cmd_quote(p, a));
            usage_try(d);
            return 1;
        }
        size_t kl = (size_t)(eq - a);
        const char *v = eq + 1;
#define KEY(s) (kl == strlen(s) && strncmp(a, s, kl) == 0)
        uintmax_t n;
        bool isbytes;
        if (KEY("if"))
            d->in_name = v;
        else if (KEY("of"))
            d->out_name = v;
        else if (KEY("conv")) {
            if (!parse_symbols(d, v, conversions, &d->conv, "invalid conversion")) return 1;
        } else if (KEY("iflag")) {
            if (!parse_symbols(d, v, flags, &d->iflag, "invalid input flag")) return 1;
        } else if (KEY("oflag")) {
            if (!parse_symbols(d, v, flags, &d->oflag, "invalid output flag")) return 1;
        } else if (KEY("status")) {
            if (strcmp(v, "none") == 0)
                d->status = 2;
            else if (strcmp(v, "noxfer") == 0)
                d->status = 1;
            else if (strcmp(v, "progress") == 0)
                d->status = 3;
            else {
                cmd_error(p, "invalid status level: %s", cmd_quote(p, v));
                usage_try(d);
                return 1;
            }
        } else if (KEY("bs") || KEY("ibs") || KEY("obs") || KEY("cbs")) {
            if (!parse_num(v, &n, NULL) || n == 0 || n > (SIZE_MAX >> 2)) {
                cmd_error(p, "invalid number: %s", cmd_quote(p, v));
                return 1;
            }
            if (KEY("bs")) {
                d->ibs = d->obs = (size_t)n;
                d->bs_given = true;
            } else if (KEY("ibs")) {
                d->ibs = (size_t)n;
                ibs_set = true;
            } else if (KEY("obs")) {
                d->obs = (size_t)n;
                obs_set = true;
            } else {
                cmd_error(p, "cbs= is only used by the block and unblock conversions, which vos "
                             "does not support");
                return 1;
            }
        } else if (KEY("count") || KEY("skip") || KEY("iseek") || KEY("seek") || KEY("oseek")) {
            if (!parse_num(v, &n, &isbytes)) {
                cmd_error(p, "invalid number: %s", cmd_quote(p, v));
                return 1;
            }
            if (KEY("count")) {
                d->count = n;
                d->count_given = true;
                count_B = isbytes;
            } else if (KEY("skip") || KEY("iseek")) {
                d->skip = n;
                skip_B = isbytes;
            } else {
                d->seek = n;
                seek_B = isbytes;
            }
        } else {
            cmd_error(p, "unrecognized operand %s", cmd_quote(p, a));
            usage_try(d);
            return 1;
        }
    }
    if (d->bs_given) (void)ibs_set, (void)obs_set;
    if ((d->conv & C_UCASE) && (d->conv & C_LCASE)) {
        cmd_error(p, "cannot combine lcase and ucase");
        return 1;
    }
    if ((d->conv & C_EXCL) && (d->conv & C_NOCREAT)) {
        cmd_error(p, "cannot combine excl and nocreat");
        return 1;
    }
    if (count_B) d->iflag |= F_COUNT_BYTES;
    if (skip_B) d->iflag |= F_SKIP_BYTES;
    if (seek_B) d->oflag |= F_SEEK_BYTES;

    /* open */
    if (d->in_name) {
        int fl = O_RDONLY | ((d->iflag & F_NOFOLLOW) ? O_NOFOLLOW : 0) |
                 ((d->iflag & F_DIRECTORY) ? O_DIRECTORY : 0) |
                 ((d->iflag & F_NONBLOCK) ? O_NONBLOCK : 0);
        d->in_fd = sys_open(p, d->in_name, fl, 0);
        if (d->in_fd < 0) {
            cmd_errno(p, d->in_fd, "failed to open %s", cmd_quoteaf(p, d->in_name));
            return 1;
        }
    } else {
        d->in_fd = 0;
    }
    uintmax_t seek_bytes = (d->oflag & F_SEEK_BYTES) ? d->seek : d->seek * d->obs;
    if (d->out_name) {
        int fl = O_WRONLY | ((d->conv & C_NOCREAT) ? 0 : O_CREAT) |
                 ((d->conv & C_EXCL) ? O_EXCL : 0) | ((d->oflag & F_APPEND) ? O_APPEND : 0) |
                 ((d->oflag & F_NOFOLLOW) ? O_NOFOLLOW : 0) |
                 ((d->oflag & F_DIRECTORY) ? O_DIRECTORY : 0) |
                 ((d->oflag & F_NONBLOCK) ? O_NONBLOCK : 0) |
                 (!seek_bytes && !(d->conv & C_NOTRUNC) ? O_TRUNC : 0);
        d->out_fd = sys_open(p, d->out_name, fl, 0666);
        if (d->out_fd < 0) {
            cmd_errno(p, d->out_fd, "failed to open %s", cmd_quoteaf(p, d->out_name));
            return 1;
        }
        if (seek_bytes && !(d->conv & C_NOTRUNC)) {
            struct stat st;
            if (sys_fstat(p, d->out_fd, &st) == 0 && S_ISREG(st.st_mode)) {
                int r = sys_ftruncate(p, d->out_fd, (off_t)seek_bytes);
                if (r < 0) {
                    cmd_errno(p, r, "failed to truncate to %ju bytes in output file %s", seek_bytes,
                              cmd_quoteaf(p, d->out_name));
                    return 1;
                }
            }
        }
    } else {
        d->out_fd = 1;
    }
    d->ibuf = p_malloc(p, d->ibs + 1);
    d->obuf = d->bs_given ? NULL : p_malloc(p, d->obs + 1);
    if (!d->ibuf || (!d->bs_given && !d->obuf)) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    struct timespec ts;
    sys_clock_gettime(p, CLOCK_MONOTONIC, &ts);
    d->start_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    int ret = 0;

    /* skip input */
    uintmax_t skip_bytes = (d->iflag & F_SKIP_BYTES) ? d->skip : d->skip * d->ibs;
    if (skip_bytes) {
        struct stat st;
        off_t r = sys_lseek(p, d->in_fd, 0, SEEK_CUR);
        if (r >= 0 && sys_fstat(p, d->in_fd, &st) == 0 && S_ISREG(st.st_mode)) {
            if ((uintmax_t)r + skip_bytes > (uintmax_t)st.st_size) {
                cmd_error(p, "%s: cannot skip to specified offset",
                          d->in_name ? cmd_quotef(p, d->in_name) : "standard input");
                sys_lseek(p, d->in_fd, 0, SEEK_END);
            } else {
                sys_lseek(p, d->in_fd, (off_t)skip_bytes, SEEK_CUR);
            }
        } else {
            uintmax_t left = skip_bytes;
            while (left) {
                size_t want = left < d->ibs ? (size_t)left : d->ibs;
                ssize_t n = sys_read(p, d->in_fd, d->ibuf, want);
                if (n < 0) {
                    if (n != -EINTR) cmd_errno(p, (int)n, "error reading %s", in_label(d));
                    ret = 1;
                    break;
                }
                if (n == 0) {
                    cmd_error(p, "%s: cannot skip to specified offset",
                              cmd_quotef(p, d->in_name ? d->in_name : "standard input"));
                    break;
                }
                left -= (uintmax_t)n;
            }
        }
    }
    /* seek output */
    if (seek_bytes && ret == 0) {
        off_t r = sys_lseek(p, d->out_fd, (off_t)seek_bytes, SEEK_CUR);
        if (r < 0) {
            /* not seekable: write zeros, like dd does for pipes */
            char z[4096] = {0};
            uintmax_t left = seek_bytes;
            while (left && ret == 0) {
                size_t w = left < sizeof z ? (size_t)left : sizeof z;
                ssize_t n = sys_write(p, d->out_fd, z, w);
                if (n < 0) {
                    if (n != -EINTR) cmd_errno(p, (int)n, "error writing %s", out_label(d));
                    ret = 1;
                } else
                    left -= (uintmax_t)n;
            }
        }
    }
    if (ret == 0) ret = copy(d);
    if (d->out_name && (d->conv & (C_FSYNC | C_FDATASYNC))) {
        /* memory file systems are always in sync */
    }
    print_stats(d);
    if (d->in_name) sys_close(p, d->in_fd);
    if (d->out_name) {
        int r = sys_close(p, d->out_fd);
        if (r < 0 && r != -EINTR) {
            cmd_errno(p, r, "closing output file %s", out_label(d));
            ret = 1;
        }
    }
    return ret;
}
