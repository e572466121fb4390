/* digest.c — md5sum, sha1sum, sha224sum, sha256sum, sha384sum, sha512sum,
 * b2sum and cksum (coreutils 9.1's digest.c family): print or check
 * checksums (-c with --quiet --status --strict -w --ignore-missing), --tag,
 * -b/-t, -z, b2sum/cksum -l, cksum -a (sysv bsd crc md5 sha1 sha224 sha256
 * sha384 sha512 blake2b sm3) and --untagged. The algorithms are in
 * lib/hash.c. One file because the eight commands share all their code. */
#include "cmd/cmd.h"
#include "lib/hash.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

#define COMMON_HELP_TAIL                                                                           \
    "\n"                                                                                           \
    "GNU coreutils online help: <https://www.gnu.org/software/coreutils/>\n"                       \
    "Report any translation bugs to <https://translationproject.org/team/>\n"

#define SUM_OPTIONS                                                                                \
    "  -b, --binary          read in binary mode\n"                                                \
    "  -c, --check           read checksums from the FILEs and check them\n"

#define SUM_OPTIONS2                                                                               \
    "      --tag             create a BSD-style checksum\n"                                        \
    "  -t, --text            read in text mode (default)\n"                                        \
    "  -z, --zero            end each output line with NUL, not newline,\n"                        \
    "                          and disable file name escaping\n"                                   \
    "\n"                                                                                           \
    "The following five options are useful only when verifying checksums:\n"                     \
    "      --ignore-missing  don't fail or report status for missing files\n"                      \
    "      --quiet           don't print OK for each successfully verified file\n"                 \
    "      --status          don't output anything, status code shows success\n"                   \
    "      --strict          exit non-zero for improperly formatted checksum lines\n"              \
    "  -w, --warn            warn about improperly formatted checksum lines\n"                     \
    "\n"                                                                                           \
    "      --help        display this help and exit\n"                                             \
    "      --version     output version information and exit\n"                                    \
    "\n"

#define SUM_TAIL2(name, info)                                                                      \
    "When checking, the input should be a former output of this program.\n"                       \
    "The default mode is to print a line with: checksum, a space,\n"                               \
    "a character indicating input mode ('*' for binary, ' ' for text\n"                            \
    "or where binary is insignificant), and name for each FILE.\n"                                 \
    "\n"                                                                                           \
    "Note: There is no difference between binary mode and text mode on GNU systems.\n"            \
    COMMON_HELP_TAIL "Full documentation <https://www.gnu.org/software/coreutils/" name ">\n"       \
    "or available locally via: info '(coreutils) " info "'\n"
#define SUM_TAIL(name) SUM_TAIL2(name, name " invocation")

#define SUM_HELP(name, algo, bits, rfc) SUM_HELP2(name, algo, bits, rfc, name " invocation")
#define SUM_HELP2(name, algo, bits, rfc, info)                                                          \
    "Usage: %s [OPTION]... [FILE]...\n"                                                            \
    "Print or check " algo " (" bits "-bit) checksums.\n"                                          \
    "\n"                                                                                           \
    "With no FILE, or when FILE is -, read standard input.\n" SUM_OPTIONS SUM_OPTIONS2             \
    "The sums are computed as described in " rfc ".\n" SUM_TAIL2(name, info)

static const char md5_help[] = SUM_HELP("md5sum", "MD5", "128", "RFC 1321");
static const char sha1_help[] = SUM_HELP("sha1sum", "SHA1", "160", "FIPS-180-1");
static const char sha224_help[] =
    SUM_HELP2("sha224sum", "SHA224", "224", "RFC 3874", "sha2 utilities");
static const char sha256_help[] =
    SUM_HELP2("sha256sum", "SHA256", "256", "FIPS-180-2", "sha2 utilities");
static const char sha384_help[] =
    SUM_HELP2("sha384sum", "SHA384", "384", "FIPS-180-2", "sha2 utilities");
static const char sha512_help[] =
    SUM_HELP2("sha512sum", "SHA512", "512", "FIPS-180-2", "sha2 utilities");
static const char b2_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "Print or check BLAKE2b (512-bit) checksums.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n" SUM_OPTIONS
    "  -l, --length=BITS     digest length in bits; must not exceed the max for\n"
    "                          the blake2 algorithm and must be a multiple of 8\n" SUM_OPTIONS2
    "The sums are computed as described in RFC 7693.\n" SUM_TAIL("b2sum");
static const char cksum_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "Print or verify checksums.\n"
    "By default use the 32 bit CRC algorithm.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -a, --algorithm=TYPE  select the digest type to use.  See DIGEST below.\n"
    "  -c, --check           read checksums from the FILEs and check them\n"
    "  -l, --length=BITS     digest length in bits; must not exceed the max for\n"
    "                          the blake2 algorithm and must be a multiple of 8\n"
    "      --tag             create a BSD-style checksum (the default)\n"
    "      --untagged        create a reversed style checksum, without digest type\n"
    "  -z, --zero            end each output line with NUL, not newline,\n"
    "                          and disable file name escaping\n"
    "\n"
    "The following five options are useful only when verifying checksums:\n"
    "      --ignore-missing  don't fail or report status for missing files\n"
    "      --quiet           don't print OK for each successfully verified file\n"
    "      --status          don't output anything, status code shows success\n"
    "      --strict          exit non-zero for improperly formatted checksum lines\n"
    "  -w, --warn            warn about improperly formatted checksum lines\n"
    "\n"
    "      --debug           indicate which implementation used\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "DIGEST determines the digest algorithm and default output format:\n"
    "  sysv      (equivalent to sum -s)\n"
    "  bsd       (equivalent to sum -r)\n"
    "  crc       (equivalent to cksum)\n"
    "  md5       (equivalent to md5sum)\n"
    "  sha1      (equivalent to sha1sum)\n"
    "  sha224    (equivalent to sha224sum)\n"
    "  sha256    (equivalent to sha256sum)\n"
    "  sha384    (equivalent to sha384sum)\n"
    "  sha512    (equivalent to sha512sum)\n"
    "  blake2b   (equivalent to b2sum)\n"
    "  sm3       (only available through cksum)\n"
    "\n"
    "When checking, the input should be a former output of this program,\n"
    "or equivalent standalone program.\n" COMMON_HELP_TAIL
    "Full documentation <https://www.gnu.org/software/coreutils/cksum>\n"
    "or available locally via: info '(coreutils) cksum invocation'\n";

enum {
    OPT_TAG = 256,
    OPT_UNTAGGED,
    OPT_IGNORE_MISSING,
    OPT_QUIET,
    OPT_STATUS,
    OPT_STRICT,
    OPT_DEBUG
};
static const struct opt_long sum_longs[] = {{"binary", OPT_NOARG, 'b'},
                                            {"check", OPT_NOARG, 'c'},
                                            {"ignore-missing", OPT_NOARG, OPT_IGNORE_MISSING},
                                            {"quiet", OPT_NOARG, OPT_QUIET},
                                            {"status", OPT_NOARG, OPT_STATUS},
                                            {"text", OPT_NOARG, 't'},
                                            {"warn", OPT_NOARG, 'w'},
                                            {"strict", OPT_NOARG, OPT_STRICT},
                                            {"tag", OPT_NOARG, OPT_TAG},
                                            {"zero", OPT_NOARG, 'z'},
                                            {0}};
static const struct opt_long b2_longs[] = {{"binary", OPT_NOARG, 'b'},
                                           {"check", OPT_NOARG, 'c'},
                                           {"ignore-missing", OPT_NOARG, OPT_IGNORE_MISSING},
                                           {"length", OPT_ARG, 'l'},
                                           {"quiet", OPT_NOARG, OPT_QUIET},
                                           {"status", OPT_NOARG, OPT_STATUS},
                                           {"text", OPT_NOARG, 't'},
                                           {"warn", OPT_NOARG, 'w'},
                                           {"strict", OPT_NOARG, OPT_STRICT},
                                           {"tag", OPT_NOARG, OPT_TAG},
                                           {"zero", OPT_NOARG, 'z'},
                                           {0}};
static const struct opt_long cksum_longs[] = {{"algorithm", OPT_ARG, 'a'},
                                              {"check", OPT_NOARG, 'c'},
                                              {"debug", OPT_NOARG, OPT_DEBUG},
                                              {"ignore-missing", OPT_NOARG, OPT_IGNORE_MISSING},
                                              {"length", OPT_ARG, 'l'},
                                              {"quiet", OPT_NOARG, OPT_QUIET},
                                              {"status", OPT_NOARG, OPT_STATUS},
                                              {"warn", OPT_NOARG, 'w'},
                                              {"strict", OPT_NOARG, OPT_STRICT},
                                              {"tag", OPT_NOARG, OPT_TAG},
                                              {"untagged", OPT_NOARG, OPT_UNTAGGED},
                                              {"zero", OPT_NOARG, 'z'},
                                              {0}};

#define DRAPER "Ulrich Drepper, Scott Miller, and David Madore"

enum algo { A_SYSV, A_BSD, A_CRC, A_MD5, A_SHA1, A_SHA224, A_SHA256, A_SHA384, A_SHA512,
            A_BLAKE2B, A_SM3, A_NONE };
static const char *const algo_names[] = {"bsd",    "sysv",   "crc",    "md5",
                                         "sha1",   "sha224", "sha256", "sha384",
                                         "sha512", "blake2b", "sm3",   NULL};
static const enum algo algo_vals[] = {A_BSD,    A_SYSV,   A_CRC,    A_MD5,     A_SHA1, A_SHA224,
                                      A_SHA256, A_SHA384, A_SHA512, A_BLAKE2B, A_SM3};
static const char *const hash_names[] = {"", "", "", "md5", "sha1", "sha224", "sha256",
                                         "sha384", "sha512", "blake2b", "sm3"};

struct dg {
    struct proc *p;
    bool cksum;       /* the cksum program (tags by default, -a) */
    enum algo algo;   /* A_NONE: cksum -c picks per line */
    bool algo_given;
    int b2_bits;      /* digest length for blake2b (0: full) */
    bool tagged, binary, zero;
    bool quiet, status_only, strict, warn, ignore_missing, debug;
    bool args;        /* file operands were given (legacy cksum output) */
    char *buf;
    struct obuf out;
};

static bool is_legacy(enum algo a)
{
    return a == A_SYSV || a == A_BSD || a == A_CRC;
}

static int digest_bits(const struct dg *d, enum algo a)
{
    if (a == A_BLAKE2B && d->b2_bits) return d->b2_bits;
    return hash_find(hash_names[a])->bits;
}

static const char *tag_name(enum algo a)
{
    return hash_find(hash_names[a])->tag;
}

/* Hash file name (or "-") with algorithm a: 0, or a negative errno
 * (reported unless quiet_missing and it is ENOENT). */
static int hash_file(struct dg *d, const char *name, enum algo a, int bits, uint8_t *out,
                     uint32_t *sum, uint64_t *length, bool quiet_missing)
{
    struct proc *p = d->p;
    int fd = cmd_open_input(p, name);
    if (fd < 0) {
        if (!(quiet_missing && fd == -ENOENT)) cmd_file_error(p, name, fd);
        return fd;
    }
    union hash_any h;
    const struct hash_algo *ha = is_legacy(a) ? NULL : hash_find(hash_names[a]);
    if (ha) ha->init(&h, bits);
    uint64_t len = 0, total = 0;
    uint32_t crc = 0, bsd = 0;
    int r = 0;
    for (;;) {
        ssize_t n = sys_read(p, fd, d->buf, IO_BUFSIZE * 4);
        if (n < 0) {
            if (n != -EINTR) cmd_file_error(p, name, (int)n);
            r = (int)n;
            break;
        }
        if (n == 0) break;
        const unsigned char *b = (const unsigned char *)d->buf;
        len += (uint64_t)n;
        switch (a) {
        case A_CRC: crc = crc_posix_update(crc, b, (size_t)n); break;
        case A_SYSV:
            for (ssize_t i = 0; i < n; i++) total += b[i];
            break;
        case A_BSD:
            for (ssize_t i = 0; i < n; i++) {
                bsd = (bsd >> 1) + ((bsd & 1) << 15);
                bsd = (bsd + b[i]) & 0xffff;
            }
            break;
        default: ha->update(&h, b, (size_t)n); break;
        }
    }
    cmd_close_input(p, fd);
    if (r) return r;
    *length = len;
    switch (a) {
    case A_CRC: *sum = crc_posix_final(crc, len); break;
    case A_SYSV: {
        uint32_t s = (uint32_t)(total & 0xffff) + (uint32_t)((total & 0xffffffff) >> 16);
        *sum = (s & 0xffff) + (s >> 16);
        break;
    }
    case A_BSD: *sum = bsd; break;
    default: ha->final(&h, out); break;
    }
    return 0;
}

static bool problematic(const char *s)
{
    return strchr(s, '\\') || strchr(s, '\n');
}

static void print_name(struct obuf *o, const char *s, bool escape)
{
    if (!escape) {
        obuf_puts(o, s);
        return;
    }
    for (; *s; s++) {
        if (*s == '\n')
            obuf_puts(o, "\\n");
        else if (*s == '\\')
            obuf_puts(o, "\\\\");
        else
            obuf_putc(o, *s);
    }
}

static int sum_one(struct dg *d, const char *name)
{
    uint8_t dig[64];
    uint32_t sum = 0;
    uint64_t len = 0;
    enum algo a = d->algo;
    int bits = is_legacy(a) ? 0 : digest_bits(d, a);
    if (hash_file(d, name, a, bits, dig, &sum, &len, false) < 0) return 1;
    struct obuf *o = &d->out;
    char delim = d->zero ? '\0' : '\n';
    if (a == A_CRC) {
        obuf_printf(o, "%u %ju", sum, (uintmax_t)len);
        if (d->args) obuf_printf(o, " %s", name);
        obuf_putc(o, delim);
        return 0;
    }
    if (a == A_SYSV) {
        obuf_printf(o, "%u %ju", sum, (uintmax_t)((len + 511) / 512));
        if (d->args) obuf_printf(o, " %s", name);
        obuf_putc(o, delim);
        return 0;
    }
    if (a == A_BSD) {
        obuf_printf(o, "%05u %5ju", sum, (uintmax_t)((len + 1023) / 1024));
        if (d->args) obuf_printf(o, " %s", name);
        obuf_putc(o, delim);
        return 0;
    }
    bool esc = !d->zero && problematic(name);
    if (esc) obuf_putc(o, '\\');
    if (d->tagged) {
        obuf_puts(o, tag_name(a));
        if (a == A_BLAKE2B && bits < 512) obuf_printf(o, "-%d", bits);
        obuf_puts(o, " (");
        print_name(o, name, esc);
        obuf_puts(o, ") = ");
    }
    for (int i = 0; i < bits / 8; i++) obuf_printf(o, "%02x", dig[i]);
    if (!d->tagged) {
        obuf_putc(o, ' ');
        obuf_putc(o, d->binary ? '*' : ' ');
        print_name(o, name, esc);
    }
    obuf_putc(o, delim);
    return 0;
}

/* ---- checking ------------------------------------------------------------ */

static bool hexstr(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i])) return false;
    return true;
}

/* Undo the \\ and \n escapes in place; false on a bad escape. */
static bool unescape(char *s, size_t len)
{
    char *dst = s;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\') {
            if (i + 1 >= len) return false;
            if (s[i + 1] == '\\')
                *dst++ = '\\';
            else if (s[i + 1] == 'n')
                *dst++ = '\n';
            else
                return false;
            i++;
        } else if (s[i] == '\0')
            return false;
        else
            *dst++ = s[i];
    }
    *dst = 0;
    return true;
}

struct parsed {
    enum algo algo;
    int bits;
    char *hex;
    size_t hexlen;
    char *name;
    bool binary;
};

/* Which tag starts s (at most one matches): the algorithm and its name's
 * length, or A_NONE. */
static enum algo match_tag(const struct dg *d, const char *s, size_t *taglen)
{
    if (!d->cksum || d->algo_given) {
        enum algo a = d->algo;
        const char *t = tag_name(a);
        size_t n = strlen(t);
        if (strncmp(s, t, n) == 0) {
            *taglen = n;
            return a;
        }
        return A_NONE;
    }
    /* cksum -c without -a: any tag. Longer names first (SHA224 vs SHA2...). */
    static const enum algo order[] = {A_SHA224, A_SHA256, A_SHA384, A_SHA512, A_SHA1,
                                      A_MD5,    A_BLAKE2B, A_SM3};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *t = tag_name(order[i]);
        size_t n = strlen(t);
        if (strncmp(s, t, n) == 0 && (s[n] == ' ' || s[n] == '(' || s[n] == '-')) {
            *taglen = n;
            return order[i];
        }
    }
    return A_NONE;
}

static bool split_line(struct dg *d, char *s, size_t len, struct parsed *pl, int *bsd_reversed)
{
    size_t i = 0;
    bool escaped = false;
    while (s[i] == ' ' || s[i] == '\t') i++;
    if (s[i] == '\\') {
        i++;
        escaped = true;
    }
    size_t tl;
    enum algo a = match_tag(d, s + i, &tl);
    if (a != A_NONE) {
        i += tl;
        int bits = digest_bits(d, a);
        if (a == A_BLAKE2B) {
            bits = 512;
            if (s[i] == '-') {
                i++;
                char *end;
                unsigned long v = strtoul(s + i, &end, 10);
                if (end == s + i || v == 0 || v > 512 || v % 8) return false;
                bits = (int)v;
                i = (size_t)(end - s);
            }
        }
        if (s[i] == ' ') i++;
        if (s[i] != '(') return false;
        i++;
        /* BSD: NAME) = HEX, the name ending at the last ')'. */
        char *t = s + i;
        size_t tlen = len - i;
        if (tlen == 0) return false;
        size_t k = tlen - 1;
        while (k && t[k] != ')') k--;
        if (t[k] != ')') return false;
        t[k] = '\0';
        if (escaped && !unescape(t, k)) return false;
        pl->name = t;
        k++;
        while (t[k] == ' ' || t[k] == '\t') k++;
        if (t[k] != '=') return false;
        k++;
        while (t[k] == ' ' || t[k] == '\t') k++;
        pl->hex = t + k;
        pl->hexlen = strlen(t + k);
        pl->algo = a;
        pl->bits = bits;
        pl->binary = false;
        return (int)pl->hexlen == bits / 4 && hexstr(pl->hex, pl->hexlen);
    }
    if (d->cksum && !d->algo_given) return false;
    a = d->algo;
    int bits = digest_bits(d, a);
    if (a == A_BLAKE2B && !d->b2_bits) {
        /* The length comes from the digest itself. */
        size_t n = 0;
        while (isxdigit((unsigned char)s[i + n])) n++;
        if (n == 0 || n % 2 || n > 128) return false;
        bits = (int)(n * 4);
    }
    size_t hexbytes = (size_t)bits / 4;
    size_t min_len = hexbytes + 2;
    if (len - i < min_len + (s[i] == '\\')) return false;
    pl->hex = s + i;
    pl->hexlen = hexbytes;
    i += hexbytes;
    if (s[i] != ' ' && s[i] != '\t') return false;
    s[i++] = '\0';
    if (!hexstr(pl->hex, hexbytes)) return false;
    pl->binary = false;
    if (len - i == 1 || (s[i] != ' ' && s[i] != '*')) {
        if (*bsd_reversed == 0) return false;
        *bsd_reversed = 1;
    } else if (*bsd_reversed != 1) {
        *bsd_reversed = 0;
        pl->binary = s[i++] == '*';
    }
    pl->name = s + i;
    pl->algo = a;
    pl->bits = bits;
    if (escaped) return unescape(s + i, len - i);
    return true;
}

static bool check_file(struct dg *d, const char *checkfile)
{
    struct proc *p = d->p;
    bool is_stdin = strcmp(checkfile, "-") == 0;
    const char *shown = is_stdin ? "standard input" : checkfile;
    int fd = cmd_open_input(p, checkfile);
    if (fd < 0) {
        cmd_file_error(p, checkfile, fd);
        return false;
    }
    struct ibuf in;
    ibuf_init(&in, p, fd);
    uintmax_t lineno = 0, n_misformatted = 0, n_open_fail = 0, n_mismatch = 0;
    bool properly = false, matched = false, ok_read = true;
    int bsd_reversed = -1;
    struct obuf *o = &d->out;
    char *line = NULL;
    size_t cap = 0;
    for (;;) {
        char *rec;
        ssize_t n = ibuf_getdelim(&in, '\n', &rec);
        if (n < 0) {
            if (n != -EINTR) cmd_file_error(p, shown, (int)n);
            ok_read = false;
            break;
        }
        if (n == 0) break;
        lineno++;
        if (rec[0] == '#') continue;
        size_t len = (size_t)n;
        if (len && rec[len - 1] == '\n') len--;
        if (len && rec[len - 1] == '\r') len--;
        if (len == 0) continue;
        if (cap < len + 1) {
            cap = len + 1;
            char *nl = p_realloc(p, line, cap);
            if (!nl) {
                cmd_error(p, "memory exhausted");
                ok_read = false;
                break;
            }
            line = nl;
        }
        memcpy(line, rec, len);
        line[len] = '\0';
        struct parsed pl;
        if (!split_line(d, line, len, &pl, &bsd_reversed) ||
            (is_stdin && strcmp(pl.name, "-") == 0) || strlen(line) == 0) {
            n_misformatted++;
            if (d->warn)
                cmd_error(p, "%s: %ju: improperly formatted %s checksum line",
                          cmd_quotef(p, shown), lineno,
                          d->cksum && !d->algo_given ? "" : tag_name(d->algo));
            continue;
        }
        bool esc = false; /* 9.1 prints checked names as they are */
        properly = true;
        uint8_t dig[64];
        uint32_t sum;
        uint64_t flen;
        int r = hash_file(d, pl.name, pl.algo, pl.bits, dig, &sum, &flen, d->ignore_missing);
        if (r < 0 && !(d->ignore_missing && r == -ENOENT)) {
            n_open_fail++;
            if (!d->status_only) {
                if (esc) obuf_putc(o, '\\');
                print_name(o, pl.name, esc);
                obuf_puts(o, ": FAILED open or read\n");
            }
        } else if (r < 0) {
            /* --ignore-missing */
        } else {
            static const char hex[] = "0123456789abcdef";
            size_t nb = (size_t)pl.bits / 8, k;
            for (k = 0; k < nb; k++)
                if (tolower((unsigned char)pl.hex[2 * k]) != hex[dig[k] >> 4] ||
                    tolower((unsigned char)pl.hex[2 * k + 1]) != hex[dig[k] & 15])
                    break;
            bool good = k == nb;
            if (good)
                matched = true;
            else
                n_mismatch++;
            if (!d->status_only) {
                if (!good || !d->quiet) {
                    if (esc) obuf_putc(o, '\\');
                    print_name(o, pl.name, esc);
                }
                if (!good)
                    obuf_puts(o, ": FAILED\n");
                else if (!d->quiet)
                    obuf_puts(o, ": OK\n");
            }
        }
        obuf_flush(o);
        if (proc_check(p) < 0) {
            ok_read = false;
            break;
        }
    }
    ibuf_free(&in);
    cmd_close_input(p, fd);
    p_free(p, line);
    obuf_flush(o);
    if (!ok_read) return false;
    if (!properly) {
        cmd_error(p, "%s: no properly formatted checksum lines found", cmd_quotef(p, shown));
    } else if (!d->status_only) {
        if (n_misformatted)
            cmd_error(p, "WARNING: %ju line%s improperly formatted", n_misformatted,
                      n_misformatted == 1 ? " is" : "s are");
        if (n_open_fail)
            cmd_error(p, "WARNING: %ju listed file%s could not be read", n_open_fail,
                      n_open_fail == 1 ? "" : "s");
        if (n_mismatch)
            cmd_error(p, "WARNING: %ju computed checksum%s did NOT match", n_mismatch,
                      n_mismatch == 1 ? "" : "s");
        if (d->ignore_missing && !matched)
            cmd_error(p, "%s: no file was verified", cmd_quotef(p, shown));
    }
    return properly && matched && n_mismatch == 0 && n_open_fail == 0 &&
           (!d->strict || n_misformatted == 0);
}

/* ---- main --------------------------------------------------------------------- */

static int usage_err(struct opt_state *o, const char *msg)
{
    cmd_error(o->p, "%s", msg);
    return opt_usage_error(o, NULL);
}

static int digest_main(struct proc *p, int argc, char **argv, enum algo fixed, const char *name,
                       const char *help, const char *authors)
{
    bool is_cksum = fixed == A_NONE, is_b2 = fixed == A_BLAKE2B;
    struct opt_spec spec = {.name = name,
                            .shorts = is_cksum ? "a:cl:wz" : is_b2 ? "bcl:twz" : "bctwz",
                            .longs = is_cksum ? cksum_longs : is_b2 ? b2_longs : sum_longs,
                            .help = help,
                            .authors = authors};
    struct dg d = {.p = p, .cksum = is_cksum, .algo = is_cksum ? A_CRC : fixed};
    bool check = false, tag_opt = false, untagged = false;
    int binary = -1;
    const char *length_str = NULL;
    uintmax_t length = 0;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'a': {
            int k = opt_argmatch(&o, "--algorithm", o.arg, algo_names);
            if (k < 0) return 1;
            d.algo = algo_vals[k];
            d.algo_given = true;
            break;
        }
        case 'b': binary = 1; break;
        case 't': binary = 0; break;
        case 'c': check = true; break;
        case 'l': {
            length_str = o.arg;
            char *end;
            enum opt_num_status r = opt_strtoumax(o.arg, &end, 10, &length, "");
            if (r != OPT_NUM_OK) {
                cmd_error(p, "invalid length: %s", cmd_quote(p, o.arg));
                return 1;
            }
            break;
        }
        case 'w': d.warn = true; break;
        case 'z': d.zero = true; break;
        case OPT_TAG:
            tag_opt = true;
            untagged = false;
            binary = 1;
            break;
        case OPT_UNTAGGED:
            untagged = true;
            tag_opt = false;
            break;
        case OPT_IGNORE_MISSING: d.ignore_missing = true; break;
        case OPT_QUIET: d.quiet = true, d.status_only = false, d.warn = false; break;
        case OPT_STATUS: d.status_only = true, d.quiet = false, d.warn = false; break;
        case OPT_STRICT: d.strict = true; break;
        case OPT_DEBUG: d.debug = true; break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (length_str) {
        if (is_cksum && length && d.algo != A_BLAKE2B) {
            cmd_error(p, "--length is only supported with --algorithm=blake2b");
            return 1;
        }
        if (length % 8) {
            cmd_error(p, "invalid length: %s", cmd_quote(p, length_str));
            cmd_error(p, "length is not a multiple of 8");
            return 1;
        }
        if (length > 512) {
            cmd_error(p, "invalid length: %s", cmd_quote(p, length_str));
            cmd_error(p, "maximum digest length for %s is 512 bits", cmd_quote(p, "BLAKE2b"));
            return 1;
        }
        d.b2_bits = (int)length;
        if (d.b2_bits == 512) d.b2_bits = 0;
    }
    if (is_cksum && is_legacy(d.algo) && check && d.algo_given) {
        cmd_error(p, "--check is not supported with --algorithm={bsd,sysv,crc}");
        return 1;
    }
    if (is_cksum && check && !d.algo_given) d.algo = A_NONE;
    if (d.zero && check) return usage_err(&o, "the --zero option is not supported when verifying checksums");
    if (tag_opt && check) return usage_err(&o, "the --tag option is meaningless when verifying checksums");
    if (binary >= 0 && check && !is_cksum)
        return usage_err(&o, "the --binary and --text options are meaningless when verifying checksums");
    if (d.ignore_missing && !check)
        return usage_err(&o, "the --ignore-missing option is meaningful only when verifying checksums");
    if (d.status_only && !check)
        return usage_err(&o, "the --status option is meaningful only when verifying checksums");
    if (d.warn && !check)
        return usage_err(&o, "the --warn option is meaningful only when verifying checksums");
    if (d.quiet && !check)
        return usage_err(&o, "the --quiet option is meaningful only when verifying checksums");
    if (d.strict && !check)
        return usage_err(&o, "the --strict option is meaningful only when verifying checksums");
    d.binary = binary > 0 && !tag_opt;
    d.tagged = is_cksum ? !untagged : tag_opt;
    if (is_cksum && d.debug && d.algo == A_CRC)
        cmd_error(p, "using generic hardware support");

    d.buf = p_malloc(p, IO_BUFSIZE * 4);
    if (!d.buf) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    obuf_init(&d.out, p, 1);
    d.args = o.ind < argc;
    static char *dash[] = {"-", NULL};
    char **files = o.ind < argc ? argv + o.ind : dash;
    int nfiles = o.ind < argc ? argc - o.ind : 1;
    bool ok = true;
    for (int i = 0; i < nfiles && !obuf_failed(&d.out); i++) {
        if (check)
            ok &= check_file(&d, files[i]);
        else
            ok &= sum_one(&d, files[i]) == 0;
        obuf_flush(&d.out);
        if (proc_check(p) < 0) {
            ok = false;
            break;
        }
    }
    p_free(p, d.buf);
    return cmd_close_stdout(p, &d.out, ok ? 0 : 1);
}

int cmd_md5sum(struct proc *p, int argc, char **argv)
{
    return digest_main(p, argc, argv, A_MD5, "md5sum", md5_help, DRAPER);
}
int cmd_sha1sum(struct proc *p, int argc, char **argv)
{
    return digest_main(p, argc, argv, A_SHA1, "sha1sum", sha1_help, DRAPER);
}
int cmd_sha224sum(struct proc *p, int argc, char **argv)
{
    return digest_main(p, argc, argv, A_SHA224, "sha224sum", sha224_help, DRAPER);
}
int cmd_sha256sum(struct proc *p, int argc, char **argv)
{
    return digest_main(p, argc, argv, A_SHA256, "sha256sum", sha256_help, DRAPER);
}
int cmd_sha384sum(struct proc *p, int argc, char **argv)
{
    return digest_main(p, argc, argv, A_SHA384, "sha384sum", sha384_help, DRAPER);
}
int cmd_sha512sum(struct proc *p, int argc, char **argv)
{
    return digest_main(p, argc, argv, A_SHA512, "sha512sum", sha512_help, DRAPER);
}
int cmd_b2sum(struct proc *p, int argc, char **argv)
{
    return digest_main(p, argc, argv, A_BLAKE2B, "b2sum", b2_help,
                       "Padraig Brady and Samuel Neves");
}
int cmd_cksum(struct proc *p, int argc, char **argv)
{
    return digest_main(p, argc, argv, A_NONE, "cksum", cksum_help, "Padraig Brady and Q. Frank Xia");
}
