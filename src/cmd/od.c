/* od.c — dump files in octal and other formats: -t (a c d o u x f with
 * sizes, z trailers), -A, -j, -N, -S, -v, -w, --endian, the traditional
 * -a -b -c -d -f -i -l -o -s -x options and offset operands, with GNU od's
 * exact column layout and "*" for repeated lines. */
#include "cmd/cmd.h"

#include <ctype.h>
#include <fcntl.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>

static const char od_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "  or:  %s [-abcdfilosx]... [FILE] [[+]OFFSET[.][b]]\n"
    "  or:  %s --traditional [OPTION]... [FILE] [[+]OFFSET[.][b] [+][LABEL][.][b]]\n"
    "\n"
    "Write an unambiguous representation, octal bytes by default,\n"
    "of FILE to standard output.  With more than one FILE argument,\n"
    "concatenate them in the listed order to form the input.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "If first and second call formats both apply, the second format is assumed\n"
    "if the last operand begins with + or (if there are 2 operands) a digit.\n"
    "An OFFSET operand means -j OFFSET.  LABEL is the pseudo-address\n"
    "at first byte printed, incremented when dump is progressing.\n"
    "For OFFSET and LABEL, a 0x or 0X prefix indicates hexadecimal;\n"
    "suffixes may be . for octal and b for multiply by 512.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -A, --address-radix=RADIX   output format for file offsets; RADIX is one\n"
    "                                of [doxn], for Decimal, Octal, Hex or None\n"
    "      --endian={big|little}   swap input bytes according the specified order\n"
    "  -j, --skip-bytes=BYTES      skip BYTES input bytes first\n"
    "  -N, --read-bytes=BYTES      limit dump to BYTES input bytes\n"
    "  -S BYTES, --strings[=BYTES]  output strings of at least BYTES graphic chars;\n"
    "                                3 is implied when BYTES is not specified\n"
    "  -t, --format=TYPE           select output format or formats\n"
    "  -v, --output-duplicates     do not use * to mark line suppression\n"
    "  -w[BYTES], --width[=BYTES]  output BYTES bytes per output line;\n"
    "                                32 is implied when BYTES is not specified\n"
    "      --traditional           accept arguments in third form above\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "\n"
    "Traditional format specifications may be intermixed; they accumulate:\n"
    "  -a   same as -t a,  select named characters, ignoring high-order bit\n"
    "  -b   same as -t o1, select octal bytes\n"
    "  -c   same as -t c,  select printable characters or backslash escapes\n"
    "  -d   same as -t u2, select unsigned decimal 2-byte units\n"
    "  -f   same as -t fF, select floats\n"
    "  -i   same as -t dI, select decimal ints\n"
    "  -l   same as -t dL, select decimal longs\n"
    "  -o   same as -t o2, select octal 2-byte units\n"
    "  -s   same as -t d2, select decimal 2-byte units\n"
    "  -x   same as -t x2, select hexadecimal 2-byte units\n"
    "\n"
    "\n"
    "TYPE is made up of one or more of these specifications:\n"
    "  a          named character, ignoring high-order bit\n"
    "  c          printable character or backslash escape\n"
    "  d[SIZE]    signed decimal, SIZE bytes per integer\n"
    "  f[SIZE]    floating point, SIZE bytes per float\n"
    "  o[SIZE]    octal, SIZE bytes per integer\n"
    "  u[SIZE]    unsigned decimal, SIZE bytes per integer\n"
    "  x[SIZE]    hexadecimal, SIZE bytes per integer\n"
    "\n"
    "SIZE is a number.  For TYPE in [doux], SIZE may also be C for\n"
    "sizeof(char), S for sizeof(short), I for sizeof(int) or L for\n"
    "sizeof(long).  If TYPE is f, SIZE may also be F for sizeof(float), D\n"
    "for sizeof(double) or L for sizeof(long double).\n"
    "\n"
    "Adding a z suffix to any type displays printable characters at the end of\n"
    "each output line.\n"
    "\n"
    "\n"
    "BYTES is hex with 0x or 0X prefix, and may have a multiplier suffix:\n"
    "  b    512\n"
    "  KB   1000\n"
    "  K    1024\n"
    "  MB   1000*1000\n"
    "  M    1024*1024\n"
    "and so on for G, T, P, E, Z, Y.\n"
    "Binary prefixes can be used, too: KiB=K, MiB=M, and so on.\n"
    "\n"
    COREUTILS_HELP_TAIL("od", "od");

enum { OPT_TRADITIONAL = 256, OPT_ENDIAN };
static const struct opt_long longs[] = {{"skip-bytes", OPT_ARG, 'j'},
                                        {"address-radix", OPT_ARG, 'A'},
                                        {"read-bytes", OPT_ARG, 'N'},
                                        {"format", OPT_ARG, 't'},
                                        {"output-duplicates", OPT_NOARG, 'v'},
                                        {"strings", OPT_OPTARG, 'S'},
                                        {"traditional", OPT_NOARG, OPT_TRADITIONAL},
                                        {"width", OPT_OPTARG, 'w'},
                                        {"endian", OPT_ARG, OPT_ENDIAN},
                                        {0}};
static const struct opt_spec spec = {.name = "od",
                                     .shorts = "A:aBbcDdeFfHhIij:LlN:OoS:st:vw::Xx",
                                     .longs = longs,
                                     .help = od_help,
                                     .authors = "Jim Meyering"};

enum fmt { F_SIGNED, F_UNSIGNED, F_OCTAL, F_HEX, F_FLOAT, F_NAMED, F_CHAR };

struct tspec {
    enum fmt fmt;
    int size; /* bytes per datum */
    int field_width, pad_width;
    bool trailer;
};

static const int oct_digits[] = {0, 3, 6, 8, 11, 14, 16, 19, 22, 25, 27, 30, 32, 35, 38, 41, 43};
static const int sdec_digits[] = {1, 4, 6, 8, 11, 13, 16, 18, 20, 23, 25, 28, 30, 33, 35, 37, 40};
static const int udec_digits[] = {0, 3, 5, 8, 10, 13, 15, 17, 20, 22, 25, 27, 29, 32, 34, 37, 39};
static const int hex_digits[] = {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32};

struct od {
    struct proc *p;
    struct tspec *specs;
    size_t nspecs, cap_specs;
    int radix; /* 8 10 16, 0 none */
    int addr_pad;
    bool verbose, swap;
    size_t width;
    uintmax_t skip, limit;
    bool limited;
    /* input */
    char **files;
    int nfiles, cur;
    int fd;
    bool fd_open;
    int status;
    struct obuf out;
    bool have_label;
    uintmax_t label;
};

static int add_spec(struct od *o, enum fmt f, int size, bool z)
{
    if (o->nspecs == o->cap_specs) {
        size_t nc = o->cap_specs ? o->cap_specs * 2 : 8;
        struct tspec *n = p_realloc(o->p, o->specs, nc * sizeof *n);
        if (!n) return -1;
        o->specs = n;
        o->cap_specs = nc;
    }
    struct tspec *t = &o->specs[o->nspecs++];
    memset(t, 0, sizeof *t);
    t->fmt = f;
    t->size = size;
    t->trailer = z;
    switch (f) {
    case F_SIGNED: t->field_width = sdec_digits[size]; break;
    case F_UNSIGNED: t->field_width = udec_digits[size]; break;
    case F_OCTAL: t->field_width = oct_digits[size]; break;
    case F_HEX: t->field_width = hex_digits[size]; break;
    case F_FLOAT: t->field_width = size == 4 ? 15 : size == 8 ? 24 : 29; break;
    case F_NAMED:
    case F_CHAR: t->field_width = 3; break;
    }
    return 0;
}

/* Parse one -t argument: 0, or 1 after a message. */
static int parse_type(struct od *o, const char *s0)
{
    struct proc *p = o->p;
    const char *s = s0;
    while (*s) {
        char c = *s++;
        enum fmt f;
        int size;
        switch (c) {
        case 'd':
        case 'o':
        case 'u':
        case 'x': {
            f = c == 'd' ? F_SIGNED : c == 'o' ? F_OCTAL : c == 'u' ? F_UNSIGNED : F_HEX;
            size = 4;
            if (*s == 'C')
                size = 1, s++;
            else if (*s == 'S')
                size = 2, s++;
            else if (*s == 'I')
                size = 4, s++;
            else if (*s == 'L')
                size = 8, s++;
            else if (isdigit((unsigned char)*s)) {
                char *end;
                unsigned long v = strtoul(s, &end, 10);
                if (v != 1 && v != 2 && v != 4 && v != 8) {
                    cmd_error(p, "invalid type string %s;\nthis system doesn't provide a %lu-byte integral type",
                              cmd_quote(p, s0), v);
                    return 1;
                }
                size = (int)v;
                s = end;
            }
            break;
        }
        case 'f':
            f = F_FLOAT;
            size = 8;
            if (*s == 'F')
                size = 4, s++;
            else if (*s == 'D')
                size = 8, s++;
            else if (*s == 'L')
                size = 16, s++;
            else if (isdigit((unsigned char)*s)) {
                char *end;
                unsigned long v = strtoul(s, &end, 10);
                if (v != 4 && v != 8 && v != 16) {
                    cmd_error(p, "invalid type string %s;\nthis system doesn't provide a %lu-byte floating point type",
                              cmd_quote(p, s0), v);
                    return 1;
                }
                size = (int)v;
                s = end;
            }
            break;
        case 'a':
            f = F_NAMED;
            size = 1;
            break;
        case 'c':
            f = F_CHAR;
            size = 1;
            break;
        default:
            cmd_error(p, "invalid character '%c' in type string %s", c, cmd_quote(p, s0));
            return 1;
        }
        bool z = false;
        if (*s == 'z') {
            z = true;
            s++;
        }
        if (add_spec(o, f, size, z) < 0) {
            cmd_error(p, "memory exhausted");
            return 1;
        }
    }
    return 0;
}

/* ---- input ------------------------------------------------------------------ */

static bool open_next(struct od *o)
{
    while (o->cur < o->nfiles) {
        const char *name = o->files[o->cur++];
        int fd = cmd_open_input(o->p, name);
        if (fd < 0) {
            cmd_file_error(o->p, name, fd);
            o->status = 1;
            continue;
        }
        o->fd = fd;
        o->fd_open = true;
        return true;
    }
    return false;
}

static void close_cur(struct od *o)
{
    if (o->fd_open) cmd_close_input(o->p, o->fd);
    o->fd_open = false;
}

/* Read up to n bytes across the inputs: how many were read. */
static size_t read_some(struct od *o, char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        if (!o->fd_open && !open_next(o)) break;
        ssize_t r = sys_read(o->p, o->fd, buf + got, n - got);
        if (r < 0) {
            if (r != -EINTR) cmd_file_error(o->p, o->files[o->cur - 1], (int)r);
            o->status = 1;
            close_cur(o);
            if (r == -EINTR) break;
            continue;
        }
        if (r == 0) {
            close_cur(o);
            continue;
        }
        got += (size_t)r;
    }
    return got;
}

static bool skip_input(struct od *o, uintmax_t n)
{
    char buf[65536];
    while (n > 0) {
        if (!o->fd_open && !open_next(o)) break;
        struct stat st;
        if (sys_fstat(o->p, o->fd, &st) == 0 && S_ISREG(st.st_mode)) {
            off_t cur = sys_lseek(o->p, o->fd, 0, SEEK_CUR);
            if (cur >= 0 && st.st_size >= cur) {
                uintmax_t left = (uintmax_t)(st.st_size - cur);
                if (n >= left) {
                    n -= left;
                    close_cur(o);
                    continue;
                }
                if (sys_lseek(o->p, o->fd, (off_t)n, SEEK_CUR) >= 0) return true;
            }
        }
        size_t want = n < sizeof buf ? (size_t)n : sizeof buf;
        ssize_t r = sys_read(o->p, o->fd, buf, want);
        if (r < 0) {
            cmd_file_error(o->p, o->files[o->cur - 1], (int)r);
            o->status = 1;
            close_cur(o);
            continue;
        }
        if (r == 0) {
            close_cur(o);
            continue;
        }
        n -= (uintmax_t)r;
    }
    if (n > 0) {
        cmd_error(o->p, "cannot skip past end of combined input");
        return false;
    }
    return true;
}

/* ---- output --------------------------------------------------------------------- */

static void put_std(struct od *o, uintmax_t a)
{
    switch (o->radix) {
    case 10: obuf_printf(&o->out, "%0*ju", o->addr_pad, a); break;
    case 16: obuf_printf(&o->out, "%0*jx", o->addr_pad, a); break;
    default: obuf_printf(&o->out, "%0*jo", o->addr_pad ? o->addr_pad : 7, a); break;
    }
}

/* The address of a line, then c (if not NUL); with a traditional LABEL,
 * the pseudo-address follows in parentheses. -A n prints nothing. */
static void put_address(struct od *o, uintmax_t a, char c)
{
    if (o->have_label) {
        if (o->radix) {
            put_std(o, a);
            obuf_putc(&o->out, ' ');
        }
        obuf_putc(&o->out, '(');
        put_std(o, a + (o->label - o->skip));
        obuf_putc(&o->out, ')');
    } else if (o->radix)
        put_std(o, a);
    else
        return;
    if (c) obuf_putc(&o->out, c);
}

static uintmax_t get_uint(const struct od *o, const unsigned char *b, int size)
{
    uintmax_t v = 0;
    /* Input is read in the host's (little-endian) order unless swapped. */
    bool big = o->swap;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    big = !big;
#endif
    for (int i = 0; i < size; i++) {
        int k = big ? i : size - 1 - i;
        v = v << 8 | b[k];
    }
    return v;
}

static void put_float(struct od *o, const unsigned char *b, int size, int width)
{
    unsigned char tmp[16];
    bool swap = o->swap;
    for (int i = 0; i < size; i++) tmp[i] = swap ? b[size - 1 - i] : b[i];
    char buf[64];
    if (size == 4) {
        float x;
        memcpy(&x, tmp, 4);
        float ax = x < 0 ? -x : x;
        for (int prec = ax < FLT_MIN ? 1 : FLT_DIG;; prec++) {
            snprintf(buf, sizeof buf, "%.*g", prec, (double)x);
            if (prec >= FLT_DECIMAL_DIG + 1 || strtof(buf, NULL) == x) break;
        }
    } else if (size == 8) {
        double x;
        memcpy(&x, tmp, 8);
        double ax = x < 0 ? -x : x;
        for (int prec = ax < DBL_MIN ? 1 : DBL_DIG;; prec++) {
            snprintf(buf, sizeof buf, "%.*g", prec, x);
            if (prec >= DBL_DECIMAL_DIG + 1 || strtod(buf, NULL) == x) break;
        }
    } else {
        long double x;
        memset(&x, 0, sizeof x);
        memcpy(&x, tmp, sizeof x < 16 ? sizeof x : 16);
        long double ax = x < 0 ? -x : x;
        for (int prec = ax < LDBL_MIN ? 1 : LDBL_DIG;; prec++) {
            snprintf(buf, sizeof buf, "%.*Lg", prec, x);
            if (prec >= LDBL_DECIMAL_DIG + 1 || strtold(buf, NULL) == x) break;
        }
    }
    obuf_printf(&o->out, "%*s", width, buf);
}

static const char charname[33][4] = {"nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs",
                                     "ht",  "nl",  "vt",  "ff",  "cr",  "so",  "si",  "dle", "dc1",
                                     "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em",  "sub",
                                     "esc", "fs",  "gs",  "rs",  "us",  "sp"};

static void print_spec(struct od *o, const struct tspec *t, const unsigned char *block,
                       size_t n_bytes)
{
    size_t fields = o->width / (size_t)t->size;
    size_t blank = (o->width - n_bytes) / (size_t)t->size;
    int pad = t->pad_width, pad_remaining = pad;
    const unsigned char *b = block;
    for (size_t i = fields; blank < i; i--) {
        int next_pad = (int)((size_t)pad * (i - 1) / fields);
        int w = pad_remaining - next_pad + t->field_width;
        char buf[8];
        const char *s;
        switch (t->fmt) {
        case F_SIGNED: {
            uintmax_t u = get_uint(o, b, t->size);
            intmax_t v;
            if (t->size < 8 && (u >> (8 * t->size - 1)) & 1)
                v = (intmax_t)(u | (~(uintmax_t)0 << (8 * t->size)));
            else
                v = (intmax_t)u;
            obuf_printf(&o->out, "%*jd", w, v);
            break;
        }
        case F_UNSIGNED: obuf_printf(&o->out, "%*ju", w, get_uint(o, b, t->size)); break;
        case F_OCTAL:
            obuf_printf(&o->out, "%*.*jo", w, t->field_width, get_uint(o, b, t->size));
            break;
        case F_HEX:
            obuf_printf(&o->out, "%*.*jx", w, t->field_width, get_uint(o, b, t->size));
            break;
        case F_FLOAT: put_float(o, b, t->size, w); break;
        case F_NAMED: {
            int c = *b & 0x7f;
            if (c == 127)
                s = "del";
            else if (c <= 32)
                s = charname[c];
            else {
                buf[0] = (char)c;
                buf[1] = 0;
                s = buf;
            }
            obuf_printf(&o->out, "%*s", w, s);
            break;
        }
        case F_CHAR: {
            unsigned char c = *b;
            switch (c) {
            case '\0': s = "\\0"; break;
            case '\a': s = "\\a"; break;
            case '\b': s = "\\b"; break;
            case '\f': s = "\\f"; break;
            case '\n': s = "\\n"; break;
            case '\r': s = "\\r"; break;
            case '\t': s = "\\t"; break;
            case '\v': s = "\\v"; break;
            default:
                if (c >= 32 && c < 127) {
                    buf[0] = (char)c;
                    buf[1] = 0;
                } else
                    snprintf(buf, sizeof buf, "%03o", c);
                s = buf;
            }
            obuf_printf(&o->out, "%*s", w, s);
            break;
        }
        }
        pad_remaining = next_pad;
        b += t->size;
    }
    if (t->trailer) {
        size_t pw = (size_t)t->pad_width * blank / fields;
        obuf_printf(&o->out, "%*s", (int)(blank * (size_t)t->field_width + pw), "");
        obuf_puts(&o->out, "  >");
        for (size_t i = 0; i < n_bytes; i++) {
            unsigned char c = block[i];
            obuf_putc(&o->out, c >= 32 && c < 127 ? c : '.');
        }
        obuf_putc(&o->out, '<');
    }
}

static void write_block(struct od *o, uintmax_t addr, size_t n, const unsigned char *prev,
                        const unsigned char *cur, bool *first, bool *prev_equal)
{
    if (!o->verbose && !*first && n == o->width && memcmp(prev, cur, o->width) == 0) {
        if (!*prev_equal) {
            obuf_puts(&o->out, "*\n");
            *prev_equal = true;
        }
    } else {
        *prev_equal = false;
        for (size_t i = 0; i < o->nspecs; i++) {
            if (i == 0)
                put_address(o, addr, 0);
            else
                obuf_printf(&o->out, "%*s", o->addr_pad, "");
            print_spec(o, &o->specs[i], cur, n);
            obuf_putc(&o->out, '\n');
        }
    }
    *first = false;
}

static int dump(struct od *o)
{
    struct proc *p = o->p;
    unsigned char *blocks = p_calloc(p, 2, o->width + 16);
    if (!blocks) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    unsigned char *b[2] = {blocks, blocks + o->width + 16};
    int idx = 0;
    uintmax_t addr = o->skip;
    uintmax_t left = o->limit;
    bool first = true, prev_equal = false;
    size_t n = 0;
    for (;;) {
        size_t want = o->width;
        if (o->limited && left < want) want = (size_t)left;
        if (want == 0) break;
        memset(b[idx], 0, o->width + 16);
        n = read_some(o, (char *)b[idx], want);
        if (n == 0) break;
        write_block(o, addr, n, b[!idx], b[idx], &first, &prev_equal);
        addr += n;
        if (o->limited) left -= n;
        idx = !idx;
        if (n < o->width) break;
        if (obuf_failed(&o->out) || proc_check(p) < 0) break;
    }
    put_address(o, addr, '\n');
    return 0;
}

/* -S: strings of at least min printable bytes ending in NUL. */
static int dump_strings(struct od *o, uintmax_t min)
{
    struct proc *p = o->p;
    size_t cap = (size_t)min + 64;
    char *buf = p_malloc(p, cap);
    if (!buf) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    uintmax_t addr = o->skip;
    uintmax_t end = o->skip + o->limit;
    for (;;) {
        size_t i = 0;
        bool eof = false;
        /* Look for min printable bytes. */
        while (i < min) {
            if (o->limited && addr >= end) {
                eof = true;
                break;
            }
            char c;
            if (read_some(o, &c, 1) == 0) {
                eof = true;
                break;
            }
            addr++;
            if (isprint((unsigned char)c) && (unsigned char)c < 128)
                buf[i++] = c;
            else
                i = 0;
        }
        if (eof) break;
        /* Extend it to a NUL. */
        bool terminated = false;
        for (;;) {
            if (o->limited && addr >= end) break;
            char c;
            if (read_some(o, &c, 1) == 0) break;
            addr++;
            if (c == '\0') {
                terminated = true;
                break;
            }
            if (!(isprint((unsigned char)c) && (unsigned char)c < 128)) break;
            if (i + 1 >= cap) {
                cap *= 2;
                char *nb = p_realloc(p, buf, cap);
                if (!nb) {
                    cmd_error(p, "memory exhausted");
                    return 1;
                }
                buf = nb;
            }
            buf[i++] = c;
        }
        if (!terminated) {
            if ((o->limited && addr >= end)) break;
            continue;
        }
        put_address(o, addr - i - 1, ' ');
        obuf_write(&o->out, buf, i);
        obuf_putc(&o->out, '\n');
        if (obuf_failed(&o->out) || proc_check(p) < 0) break;
    }
    p_free(p, buf);
    return 0;
}

/* Traditional offset: [+]N, octal, hex with 0x, decimal when it has a
 * '.' (which, as in GNU od 9.1, then fails as a bad suffix); b B suffixes. */
static bool parse_old_offset(const char *s, uintmax_t *val)
{
    if (!*s) return false;
    if (*s == '+') s++;
    int base = strchr(s, '.') ? 10 : (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 8;
    return opt_strtoumax(s, NULL, base, val, "Bb") == OPT_NUM_OK;
}

static int num_arg(struct od *o, struct opt_state *st, const char *optname, uintmax_t *val)
{
    char *end;
    enum opt_num_status r = opt_strtoumax(st->arg, &end, 0, val, "bEGKkMmPTYZ0");
    if (r == OPT_NUM_OK) return 0;
    const char *name = st->long_index >= 0 ? optname : NULL;
    char opt[32];
    if (name)
        snprintf(opt, sizeof opt, "--%s", name);
    else
        snprintf(opt, sizeof opt, "-%c", st->opt);
    if (r == OPT_NUM_OVERFLOW || r == OPT_NUM_BAD_SUFFIX_OVERFLOW)
        cmd_error(o->p, "%s argument '%s' too large", opt, st->arg);
    else if (r == OPT_NUM_BAD_SUFFIX)
        cmd_error(o->p, "invalid suffix in %s argument '%s'", opt, st->arg);
    else
        cmd_error(o->p, "invalid %s argument '%s'", opt, st->arg);
    return -1;
}

int cmd_od(struct proc *p, int argc, char **argv)
{
    struct od o = {.p = p, .radix = 8, .addr_pad = 7};
    bool modern = false, traditional = false, strings = false, width_set = false;
    uintmax_t string_min = 3, desired_width = 32;
    static const char *const endians[] = {"little", "big", NULL};
    struct opt_state st;
    opt_init(&st, p, &spec, argc, argv);
    for (int c; (c = opt_next(&st)) != OPT_END;) {
        int r = 0;
        switch (c) {
        case 'A':
            modern = true;
            if (!st.arg[0] || !strchr("doxn", st.arg[0])) {
                cmd_error(p, "invalid output address radix '%c'; it must be one character from [doxn]",
                          st.arg[0]);
                return 1;
            }
            switch (st.arg[0]) {
            case 'd': o.radix = 10, o.addr_pad = 7; break;
            case 'o': o.radix = 8, o.addr_pad = 7; break;
            case 'x': o.radix = 16, o.addr_pad = 6; break;
            case 'n': o.radix = 0, o.addr_pad = 0; break;
            }
            break;
        case 'j':
            modern = true;
            if (num_arg(&o, &st, "skip-bytes", &o.skip) < 0) return 1;
            break;
        case 'N':
            modern = true;
            o.limited = true;
            if (num_arg(&o, &st, "read-bytes", &o.limit) < 0) return 1;
            break;
        case 'S':
            modern = true;
            strings = true;
            if (st.arg && num_arg(&o, &st, "strings", &string_min) < 0) return 1;
            break;
        case 't':
            modern = true;
            r = parse_type(&o, st.arg);
            break;
        case 'v':
            modern = true;
            o.verbose = true;
            break;
        case 'w':
            modern = true;
            width_set = true;
            desired_width = 32;
            if (st.arg && num_arg(&o, &st, "width", &desired_width) < 0) return 1;
            break;
        case OPT_TRADITIONAL: traditional = true; break;
        case OPT_ENDIAN: {
            modern = true;
            int k = opt_argmatch(&st, "--endian", st.arg, endians);
            if (k < 0) return 1;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            o.swap = k == 0;
#else
            o.swap = k == 1;
#endif
            break;
        }
        case 'a': r = parse_type(&o, "a"); break;
        case 'b': r = parse_type(&o, "o1"); break;
        case 'c': r = parse_type(&o, "c"); break;
        case 'd': r = parse_type(&o, "u2"); break;
        case 'f': r = parse_type(&o, "fF"); break;
        case 'i': r = parse_type(&o, "dI"); break;
        case 'l': r = parse_type(&o, "dL"); break;
        case 'o': r = parse_type(&o, "o2"); break;
        case 's': r = parse_type(&o, "d2"); break;
        case 'x': r = parse_type(&o, "x2"); break;
        case 'B': r = parse_type(&o, "o2"); break;
        case 'D': r = parse_type(&o, "u4"); break;
        case 'e':
        case 'F': r = parse_type(&o, "fD"); break;
        case 'h': r = parse_type(&o, "x2"); break;
        case 'H':
        case 'X': r = parse_type(&o, "x4"); break;
        case 'I':
        case 'L': r = parse_type(&o, "dL"); break;
        case 'O': r = parse_type(&o, "o4"); break;
        case OPT_EXIT: return st.status;
        default: return opt_usage_error(&st, NULL);
        }
        if (r) return r;
    }
    int nfiles = argc - st.ind;
    char **files = argv + st.ind;
    if (!modern || traditional) {
        uintmax_t o1, o2;
        if (nfiles == 1) {
            if ((traditional || files[0][0] == '+') && parse_old_offset(files[0], &o1)) {
                o.skip = o1;
                nfiles--;
                files++;
            }
        } else if (nfiles == 2) {
            if ((traditional || files[1][0] == '+' || isdigit((unsigned char)files[1][0])) &&
                parse_old_offset(files[1], &o2)) {
                if (traditional && parse_old_offset(files[0], &o1)) {
                    o.skip = o1;
                    o.have_label = true;
                    o.label = o2;
                    nfiles -= 2;
                    files += 2;
                } else {
                    o.skip = o2;
                    nfiles--;
                }
            }
        } else if (nfiles == 3 && traditional) {
            if (parse_old_offset(files[1], &o1) && parse_old_offset(files[2], &o2)) {
                o.skip = o1;
                o.have_label = true;
                o.label = o2;
                nfiles -= 2;
            } else {
                cmd_error(p, "invalid second operand in compatibility mode %s",
                          cmd_quote(p, files[2]));
                return opt_usage_error(&st, NULL);
            }
        }
        if (traditional && nfiles > 3) {
            cmd_error(p, "extra operand %s", cmd_quote(p, files[3]));
            return opt_usage_error(&st, NULL);
        }
    }
    static char *dash[] = {"-", NULL};
    o.files = nfiles > 0 ? files : dash;
    o.nfiles = nfiles > 0 ? nfiles : 1;

    if (o.nspecs == 0 && add_spec(&o, F_OCTAL, 2, false) < 0) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    /* Width: a multiple of every datum size. */
    size_t lcm = 1;
    for (size_t i = 0; i < o.nspecs; i++) {
        size_t a = lcm, b = (size_t)o.specs[i].size;
        while (b) {
            size_t t = a % b;
            a = b;
            b = t;
        }
        lcm = lcm / a * (size_t)o.specs[i].size;
    }
    if (width_set) {
        if (desired_width != 0 && desired_width % lcm == 0 && desired_width < ((size_t)1 << 30))
            o.width = (size_t)desired_width;
        else {
            cmd_error(p, "warning: invalid width %ju; using %zu instead", desired_width, lcm);
            o.width = lcm;
        }
    } else
        o.width = lcm < 16 ? lcm * (16 / lcm) : lcm;
    int width_per_block = 0;
    for (size_t i = 0; i < o.nspecs; i++) {
        int fpb = (int)(o.width / (size_t)o.specs[i].size);
        int bw = (o.specs[i].field_width + 1) * fpb;
        if (width_per_block < bw) width_per_block = bw;
    }
    for (size_t i = 0; i < o.nspecs; i++) {
        int fpb = (int)(o.width / (size_t)o.specs[i].size);
        o.specs[i].pad_width = width_per_block - o.specs[i].field_width * fpb;
    }

    obuf_init(&o.out, p, 1);
    int status = 0;
    if (!open_next(&o))
        status = 1; /* no input could be opened: GNU prints nothing */
    else if (o.skip && !skip_input(&o, o.skip))
        status = 1;
    else if (strings)
        status = dump_strings(&o, string_min);
    else
        status = dump(&o);
    close_cur(&o);
    if (o.status) status = 1;
    return cmd_close_stdout(p, &o.out, status);
}
