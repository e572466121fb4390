/* base64.c — base64 and base32 (RFC 4648) encoding and decoding of a file
 * or standard input: -d, -i, -w COLS. Decoding follows gnulib's
 * base64_decode_ctx / base32_decode_ctx: newlines are skipped, each group
 * of 4 (8) characters is decoded in turn, and a bad or short group writes
 * what it could before "invalid input". One file for both commands. */
#include "cmd/cmd.h"

#define B64_HELP_MID                                                                               \
    "\n"                                                                                           \
    "With no FILE, or when FILE is -, read standard input.\n"                                      \
    "\n"                                                                                           \
    "Mandatory arguments to long options are mandatory for short options too.\n"                   \
    "  -d, --decode          decode data\n"                                                        \
    "  -i, --ignore-garbage  when decoding, ignore non-alphabet characters\n"                      \
    "  -w, --wrap=COLS       wrap encoded lines after COLS character (default 76).\n"              \
    "                          Use 0 to disable line wrapping\n"                                   \
    "      --help        display this help and exit\n"                                             \
    "      --version     output version information and exit\n"                                    \
    "\n"

static const char base64_help[] =
    "Usage: %s [OPTION]... [FILE]\n"
    "Base64 encode or decode FILE, or standard input, to standard output.\n" B64_HELP_MID
    "The data are encoded as described for the base64 alphabet in RFC 4648.\n"
    "When decoding, the input may contain newlines in addition to the bytes of\n"
    "the formal base64 alphabet.  Use --ignore-garbage to attempt to recover\n"
    "from any other non-alphabet bytes in the encoded stream.\n"
    "\n"
    COREUTILS_HELP_TAIL("base64", "base64");

static const char base32_help[] =
    "Usage: %s [OPTION]... [FILE]\n"
    "Base32 encode or decode FILE, or standard input, to standard output.\n" B64_HELP_MID
    "The data are encoded as described for the base32 alphabet in RFC 4648.\n"
    "When decoding, the input may contain newlines in addition to the bytes of\n"
    "the formal base32 alphabet.  Use --ignore-garbage to attempt to recover\n"
    "from any other non-alphabet bytes in the encoded stream.\n"
    "\n"
    COREUTILS_HELP_TAIL("base32", "base32");

static const struct opt_long longs[] = {{"decode", OPT_NOARG, 'd'},
                                        {"wrap", OPT_ARG, 'w'},
                                        {"ignore-garbage", OPT_NOARG, 'i'},
                                        {0}};

static const char b64_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b32_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

struct codec {
    bool b32;
    int group;   /* characters per group: 4 or 8 */
    int bytes;   /* bytes per group: 3 or 5 */
    signed char val[256];
};

static void codec_init(struct codec *c, bool b32)
{
    c->b32 = b32;
    c->group = b32 ? 8 : 4;
    c->bytes = b32 ? 5 : 3;
    memset(c->val, -1, sizeof c->val);
    const char *a = b32 ? b32_alpha : b64_alpha;
    for (int i = 0; a[i]; i++) c->val[(unsigned char)a[i]] = (signed char)i;
}

static bool isb(const struct codec *c, char ch)
{
    return c->val[(unsigned char)ch] >= 0;
}

/* gnulib decode_4: output into out (*n bytes); false when invalid. */
static bool decode_4(const struct codec *c, const char *in, size_t inlen, unsigned char *out,
                     size_t *n)
{
    *n = 0;
#define V(i) ((unsigned)c->val[(unsigned char)in[i]])
    if (inlen < 2 || !isb(c, in[0]) || !isb(c, in[1])) return false;
    out[(*n)++] = (unsigned char)(V(0) << 2 | V(1) >> 4);
    if (inlen == 2) return false;
    if (in[2] == '=') {
        if (inlen != 4 || in[3] != '=') return false;
    } else {
        if (!isb(c, in[2])) return false;
        out[(*n)++] = (unsigned char)((V(1) << 4 & 0xf0) | V(2) >> 2);
        if (inlen == 3) return false;
        if (in[3] == '=') {
            if (inlen != 4) return false;
        } else {
            if (!isb(c, in[3])) return false;
            out[(*n)++] = (unsigned char)((V(2) << 6 & 0xc0) | V(3));
        }
    }
    return true;
}

/* gnulib decode_8 (base32). */
static bool decode_8(const struct codec *c, const char *in, size_t inlen, unsigned char *out,
                     size_t *n)
{
    *n = 0;
    if (inlen < 8 || !isb(c, in[0]) || !isb(c, in[1])) return false;
    out[(*n)++] = (unsigned char)(V(0) << 3 | V(1) >> 2);
    if (in[2] == '=') {
        for (int i = 3; i < 8; i++)
            if (in[i] != '=') return false;
        return true;
    }
    if (!isb(c, in[2]) || !isb(c, in[3])) return false;
    out[(*n)++] = (unsigned char)(V(1) << 6 | V(2) << 1 | V(3) >> 4);
    if (in[4] == '=') {
        for (int i = 5; i < 8; i++)
            if (in[i] != '=') return false;
        return true;
    }
    if (!isb(c, in[4])) return false;
    out[(*n)++] = (unsigned char)(V(3) << 4 | V(4) >> 1);
    if (in[5] == '=') {
        if (in[6] != '=' || in[7] != '=') return false;
        return true;
    }
    if (!isb(c, in[5]) || !isb(c, in[6])) return false;
    out[(*n)++] = (unsigned char)(V(4) << 7 | V(5) << 2 | V(6) >> 3);
    if (in[7] == '=') return true;
    if (!isb(c, in[7])) return false;
    out[(*n)++] = (unsigned char)(V(6) << 5 | V(7));
#undef V
    return true;
}

static bool decode_group(const struct codec *c, const char *in, size_t inlen, unsigned char *out,
                         size_t *n)
{
    return c->b32 ? decode_8(c, in, inlen, out, n) : decode_4(c, in, inlen, out, n);
}

static void encode_group(const struct codec *c, const unsigned char *in, size_t n, char *out)
{
    if (!c->b32) {
        uint32_t v = (uint32_t)in[0] << 16 | (n > 1 ? (uint32_t)in[1] << 8 : 0) | (n > 2 ? in[2] : 0);
        out[0] = b64_alpha[v >> 18 & 63];
        out[1] = b64_alpha[v >> 12 & 63];
        out[2] = n > 1 ? b64_alpha[v >> 6 & 63] : '=';
        out[3] = n > 2 ? b64_alpha[v & 63] : '=';
        return;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < 5; i++) v = v << 8 | (i < n ? in[i] : 0);
    static const int chars[6] = {0, 2, 4, 5, 7, 8};
    for (int i = 0; i < 8; i++) out[i] = i < chars[n] ? b32_alpha[v >> (35 - 5 * i) & 31] : '=';
}

struct state {
    struct proc *p;
    struct codec c;
    struct obuf out;
    size_t wrap, col;
};

static void wrap_write(struct state *s, const char *d, size_t n)
{
    if (!s->wrap) {
        obuf_write(&s->out, d, n);
        return;
    }
    while (n > 0) {
        size_t room = s->wrap - s->col;
        size_t k = n < room ? n : room;
        obuf_write(&s->out, d, k);
        s->col += k;
        d += k;
        n -= k;
        if (s->col == s->wrap) {
            obuf_putc(&s->out, '\n');
            s->col = 0;
        }
    }
}

static int do_encode(struct state *s, int fd, const char *name)
{
    struct proc *p = s->p;
    size_t gb = (size_t)s->c.bytes, gc = (size_t)s->c.group;
    size_t inbuf = gb * 20480; /* a multiple of the group size */
    unsigned char *in = p_malloc(p, inbuf);
    char *enc = p_malloc(p, inbuf / gb * gc);
    if (!in || !enc) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    size_t have = 0;
    int status = 0;
    for (;;) {
        ssize_t r = sys_read(p, fd, in + have, inbuf - have);
        if (r < 0) {
            if (r != -EINTR) cmd_errno(p, (int)r, "read error");
            (void)name;
            status = 1;
            break;
        }
        bool eof = r == 0;
        have += (size_t)r;
        size_t full = eof ? have : have / gb * gb;
        size_t k = 0, o = 0;
        for (; k + gb <= full; k += gb, o += gc) encode_group(&s->c, in + k, gb, enc + o);
        if (eof && k < full) {
            encode_group(&s->c, in + k, full - k, enc + o);
            o += gc;
            k = full;
        }
        wrap_write(s, enc, o);
        memmove(in, in + k, have - k);
        have -= k;
        if (eof || obuf_failed(&s->out)) break;
    }
    if (s->wrap && s->col > 0) obuf_putc(&s->out, '\n');
    p_free(p, in);
    p_free(p, enc);
    return status;
}

static int do_decode(struct state *s, int fd, bool ignore_garbage)
{
    struct proc *p = s->p;
    size_t gc = (size_t)s->c.group;
    char *buf = p_malloc(p, IO_BUFSIZE);
    char grp[8];
    size_t ng = 0;
    unsigned char out[5];
    if (!buf) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    int status = 0;
    for (;;) {
        ssize_t r = sys_read(p, fd, buf, IO_BUFSIZE);
        if (r < 0) {
            if (r != -EINTR) cmd_errno(p, (int)r, "read error");
            status = 1;
            break;
        }
        if (r == 0) {
            if (ng > 0) {
                size_t n;
                decode_group(&s->c, grp, ng, out, &n);
                obuf_write(&s->out, out, n);
                cmd_error(p, "invalid input");
                status = 1;
            }
            break;
        }
        bool bad = false;
        for (ssize_t i = 0; i < r; i++) {
            char ch = buf[i];
            if (ch == '\n') continue;
            if (ignore_garbage && !isb(&s->c, ch) && ch != '=') continue;
            grp[ng++] = ch;
            if (ng == gc) {
                size_t n;
                bool ok = decode_group(&s->c, grp, ng, out, &n);
                obuf_write(&s->out, out, n);
                ng = 0;
                if (!ok) {
                    bad = true;
                    break;
                }
            }
        }
        if (bad) {
            cmd_error(p, "invalid input");
            status = 1;
            break;
        }
        if (obuf_failed(&s->out)) break;
    }
    p_free(p, buf);
    return status;
}

static int base_main(struct proc *p, int argc, char **argv, bool b32)
{
    struct opt_spec spec = {.name = b32 ? "base32" : "base64",
                            .shorts = "diw:",
                            .longs = longs,
                            .help = b32 ? base32_help : base64_help,
                            .authors = "Simon Josefsson"};
    struct state s = {.p = p, .wrap = 76};
    codec_init(&s.c, b32);
    bool decode = false, garbage = false;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'd': decode = true; break;
        case 'i': garbage = true; break;
        case 'w': {
            intmax_t w;
            char *end;
            enum opt_num_status r = opt_strtoimax(o.arg, &end, 10, &w, "");
            if ((r != OPT_NUM_OK && r != OPT_NUM_OVERFLOW) || w < 0) {
                cmd_error(p, "invalid wrap size: %s", cmd_quote(p, o.arg));
                return 1;
            }
            s.wrap = r == OPT_NUM_OVERFLOW || (uintmax_t)w > SIZE_MAX ? SIZE_MAX : (size_t)w;
            break;
        }
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    if (argc - o.ind > 1) {
        cmd_error(p, "extra operand %s", cmd_quote(p, argv[o.ind + 1]));
        return opt_usage_error(&o, NULL);
    }
    const char *name = o.ind < argc ? argv[o.ind] : "-";
    int fd = cmd_open_input(p, name);
    if (fd < 0) {
        cmd_file_error(p, name, fd);
        return 1;
    }
    obuf_init(&s.out, p, 1);
    int status = decode ? do_decode(&s, fd, garbage) : do_encode(&s, fd, name);
    cmd_close_input(p, fd);
    return cmd_close_stdout(p, &s.out, status);
}

int cmd_base64(struct proc *p, int argc, char **argv)
{
    return base_main(p, argc, argv, false);
}

int cmd_base32(struct proc *p, int argc, char **argv)
{
    return base_main(p, argc, argv, true);
}
