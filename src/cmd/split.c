/* split.c — split a file into pieces, as GNU split 9.1: -l lines, -b
 * bytes, -C line bytes, -n chunks (N, K/N, l/N, l/K/N, r/N, r/K/N), -t
 * separator, suffixes (-a, -d, -x, --numeric-suffixes[=FROM],
 * --hex-suffixes[=FROM], --additional-suffix, GNU's widening of the
 * default two-letter suffix), -e, -u, --verbose.
 *
 * --filter (which runs a shell per piece) is not implemented and says so. */
#include "cmd/cmd.h"

#include <fcntl.h>
#include <stdio.h>

static const char split_help[] =
    "Usage: %s [OPTION]... [FILE [PREFIX]]\n"
    "Output pieces of FILE to PREFIXaa, PREFIXab, ...;\n"
    "default size is 1000 lines, and default PREFIX is 'x'.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -a, --suffix-length=N   generate suffixes of length N (default 2)\n"
    "      --additional-suffix=SUFFIX  append an additional SUFFIX to file names\n"
    "  -b, --bytes=SIZE        put SIZE bytes per output file\n"
    "  -C, --line-bytes=SIZE   put at most SIZE bytes of records per output file\n"
    "  -d                      use numeric suffixes starting at 0, not alphabetic\n"
    "      --numeric-suffixes[=FROM]  same as -d, but allow setting the start value\n"
    "  -x                      use hex suffixes starting at 0, not alphabetic\n"
    "      --hex-suffixes[=FROM]  same as -x, but allow setting the start value\n"
    "  -e, --elide-empty-files  do not generate empty output files with '-n'\n"
    "      --filter=COMMAND    write to shell COMMAND; file name is $FILE\n"
    "  -l, --lines=NUMBER      put NUMBER lines/records per output file\n"
    "  -n, --number=CHUNKS     generate CHUNKS output files; see explanation below\n"
    "  -t, --separator=SEP     use SEP instead of newline as the record separator;\n"
    "                            '\\0' (zero) specifies the NUL character\n"
    "  -u, --unbuffered        immediately copy input to output with '-n r/...'\n"
    "      --verbose           print a diagnostic just before each\n"
    "                            output file is opened\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "The SIZE argument is an integer and optional unit (example: 10K is 10*1024).\n"
    "Units are K,M,G,T,P,E,Z,Y (powers of 1024) or KB,MB,... (powers of 1000).\n"
    "Binary prefixes can be used, too: KiB=K, MiB=M, and so on.\n"
    "\n"
    "CHUNKS may be:\n"
    "  N       split into N files based on size of input\n"
    "  K/N     output Kth of N to stdout\n"
    "  l/N     split into N files without splitting lines/records\n"
    "  l/K/N   output Kth of N to stdout without splitting lines/records\n"
    "  r/N     like 'l' but use round robin distribution\n"
    "  r/K/N   likewise but only output Kth of N to stdout\n"
    "\n"
    COREUTILS_HELP_TAIL("split", "split");

enum mode { M_LINES, M_BYTES, M_LINE_BYTES, M_CHUNK_BYTES, M_CHUNK_LINES, M_RR };

struct split {
    struct proc *p;
    const char *infile, *prefix, *add_suffix, *alphabet;
    int in_fd, out_fd;
    enum mode mode;
    uintmax_t n; /* lines/bytes per file, or number of chunks */
    uintmax_t k; /* -n K/N: the chunk to print, 0 for all */
    size_t suffix_len;
    bool suffix_auto, elide, verbose, unbuffered;
    uintmax_t start; /* --numeric-suffixes=FROM */
    char eol;
    /* the current name */
    char *name;
    size_t base_len; /* prefix (+ widened letters) */
    size_t *idx;
    bool first;
    struct obuf out; /* stdout for K/N and --verbose */
    int status;
};

static int die_errno(struct split *s, int err, const char *fmt, const char *arg)
{
    cmd_errno(s->p, err, fmt, arg);
    return -1;
}

/* Make the next output name; -1 when the suffixes are exhausted. */
static int next_name(struct split *s)
{
    struct proc *p = s->p;
    size_t alen = strlen(s->alphabet);
    if (s->first) {
        s->first = false;
        size_t pl = strlen(s->prefix);
        s->base_len = pl;
        s->idx = p_calloc(p, s->suffix_len + 64, sizeof *s->idx);
        s->name = p_malloc(p, pl + s->suffix_len + strlen(s->add_suffix) + 64);
        if (!s->idx || !s->name) return die_errno(s, -ENOMEM, "%s", "memory exhausted");
        memcpy(s->name, s->prefix, pl);
        /* --numeric-suffixes=FROM: start the digits at FROM */
        uintmax_t v = s->start;
        for (size_t i = s->suffix_len; i-- > 0;) {
            s->idx[i] = v % alen;
            v /= alen;
        }
        if (v) {
            cmd_error(p, "numerical suffix start value is too large for the suffix length");
            return -1;
        }
    } else {
        size_t i = s->suffix_len;
        for (;;) {
            if (i == 0) {
                cmd_error(p, "output file suffixes exhausted");
                return -1;
            }
            i--;
            s->idx[i]++;
            if (s->suffix_auto && i == 0 && s->idx[0] == alen - 1) {
                /* widen: the last letter joins the base, one more letter */
                s->name[s->base_len++] = s->alphabet[alen - 1];
                s->suffix_len++;
                for (size_t j = 0; j < s->suffix_len; j++) s->idx[j] = 0;
                break;
            }
            if (s->idx[i] < alen) break;
            s->idx[i] = 0;
        }
    }
    size_t k = s->base_len;
    for (size_t i = 0; i < s->suffix_len; i++) s->name[k++] = s->alphabet[s->idx[i]];
    size_t al = strlen(s->add_suffix);
    memcpy(s->name + k, s->add_suffix, al + 1);
    return 0;
}

static int open_next(struct split *s)
{
    struct proc *p = s->p;
    if (s->out_fd >= 0) {
        int r = sys_close(p, s->out_fd);
        s->out_fd = -1;
        if (r < 0 && r != -EINTR) return die_errno(s, r, "%s", cmd_quotef(p, s->name));
    }
    if (next_name(s) < 0) return -1;
    if (s->verbose) {
        obuf_printf(&s->out, "creating file %s\n", cmd_quoteaf(p, s->name));
        obuf_flush(&s->out);
    }
    int fd = sys_open(p, s->name, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) return die_errno(s, fd, "%s", cmd_quotef(p, s->name));
    s->out_fd = fd;
    return 0;
}

static int cwrite(struct split *s, bool new_file, const char *buf, size_t n)
{
    if (new_file && open_next(s) < 0) return -1;
    size_t done = 0;
    while (done < n) {
        ssize_t w = sys_write(s->p, s->out_fd, buf + done, n - done);
        if (w < 0) return die_errno(s, (int)w, "%s", cmd_quotef(s->p, s->name));
        done += (size_t)w;
    }
    return 0;
}

#define BUFSZ (128 * 1024)

static ssize_t read_in(struct split *s, char *buf, size_t n)
{
    ssize_t r = sys_read(s->p, s->in_fd, buf, n);
    if (r < 0 && r != -EINTR) cmd_errno(s->p, (int)r, "%s", cmd_quotef(s->p, s->infile));
    return r;
}

static int bytes_split(struct split *s, char *buf)
{
    uintmax_t left = 0; /* bytes still to go in the current file; 0: start a new one */
    for (;;) {
        ssize_t r = read_in(s, buf, BUFSZ);
        if (r < 0) return -1;
        if (r == 0) return 0;
        size_t off = 0;
        while (off < (size_t)r) {
            bool nf = left == 0;
            if (nf) left = s->n;
            size_t take = (size_t)r - off < left ? (size_t)r - off : (size_t)left;
            if (cwrite(s, nf, buf + off, take) < 0) return -1;
            off += take;
            left -= take;
        }
        if (proc_check(s->p) < 0) return -1;
    }
}

static int lines_split(struct split *s, char *buf)
{
    uintmax_t lines = 0;
    bool nf = true;
    for (;;) {
        ssize_t r = read_in(s, buf, BUFSZ);
        if (r < 0) return -1;
        if (r == 0) return 0;
        char *bp = buf, *eob = buf + r;
        while (bp < eob) {
            char *e = bp;
            size_t want = s->n - lines;
            /* find the end of the lines that still fit */
            while (want && e < eob) {
                char *nl = memchr(e, s->eol, (size_t)(eob - e));
                if (!nl) {
                    e = eob;
                    break;
                }
                e = nl + 1;
                want--;
                lines++;
            }
            if (cwrite(s, nf, bp, (size_t)(e - bp)) < 0) return -1;
            nf = false;
            bp = e;
            if (lines == s->n) {
                lines = 0;
                nf = true;
            }
        }
        if (proc_check(s->p) < 0) return -1;
    }
}

/* -C: as many whole records as fit, long ones cut (GNU's algorithm). */
static int line_bytes_split(struct split *s, char *buf)
{
    struct proc *p = s->p;
    uintmax_t n_bytes = s->n, n_out = 0;
    size_t n_hold = 0, hold_size = 0;
    char *hold = NULL;
    bool split_line = false;
    ssize_t n_read;
    do {
        n_read = read_in(s, buf, BUFSZ);
        if (n_read < 0) return -1;
        size_t n_left = (size_t)n_read;
        char *sob = buf;
        while (n_left) {
            size_t split_rest = 0;
            char *eoc = NULL, *eol;
            if (n_bytes - n_out - n_hold <= n_left) {
                split_rest = (size_t)(n_bytes - n_out - n_hold);
                eoc = sob + split_rest - 1;
                eol = memrchr(sob, s->eol, split_rest);
            } else {
                eol = memrchr(sob, s->eol, n_left);
            }
            if (n_hold && !(!eol && n_out)) {
                if (cwrite(s, n_out == 0, hold, n_hold) < 0) return -1;
                n_out += n_hold;
                n_hold = 0;
            }
            if (eol) {
                split_line = true;
                size_t n_write = (size_t)(eol - sob) + 1;
                if (cwrite(s, n_out == 0, sob, n_write) < 0) return -1;
                n_out += n_write;
                n_left -= n_write;
                sob += n_write;
                if (eoc) split_rest -= n_write;
            }
            if (n_left && !split_line) {
                size_t n_write = eoc ? split_rest : n_left;
                if (cwrite(s, n_out == 0, sob, n_write) < 0) return -1;
                n_out += n_write;
                n_left -= n_write;
                sob += n_write;
                if (eoc) split_rest -= n_write;
            }
            if ((eoc && split_rest) || (!eoc && n_left)) {
                size_t n_buf = eoc ? split_rest : n_left;
                if (hold_size - n_hold < n_buf) {
                    size_t ns = hold_size + n_buf + BUFSZ;
                    char *nh = p_realloc(p, hold, ns);
                    if (!nh) return die_errno(s, -ENOMEM, "%s", "memory exhausted");
                    hold = nh;
                    hold_size = ns;
                }
                memcpy(hold + n_hold, sob, n_buf);
                n_hold += n_buf;
                n_left -= n_buf;
                sob += n_buf;
            }
            if (eoc) {
                n_out = 0;
                split_line = false;
            }
        }
        if (proc_check(p) < 0) return -1;
    } while (n_read);
    if (n_hold && cwrite(s, n_out == 0, hold, n_hold) < 0) return -1;
    p_free(p, hold);
    return 0;
}

/* The whole input for -n: a regular file's size, or stdin read into memory. */
static int load_input(struct split *s, char **data, uintmax_t *size)
{
    struct proc *p = s->p;
    size_t cap = 1 << 16, n = 0;
    char *b = p_malloc(p, cap);
    if (!b) return die_errno(s, -ENOMEM, "%s", "memory exhausted");
    for (;;) {
        if (n == cap) {
            char *nb = p_realloc(p, b, cap * 2);
            if (!nb) return die_errno(s, -ENOMEM, "%s", "memory exhausted");
            b = nb;
            cap *= 2;
        }
        ssize_t r = read_in(s, b + n, cap - n);
        if (r < 0) return -1;
        if (r == 0) break;
        n += (size_t)r;
        if (proc_check(p) < 0) return -1;
    }
    *data = b;
    *size = n;
    return 0;
}

static int emit_chunk(struct split *s, uintmax_t k, const char *b, size_t n)
{
    if (s->k) {
        if (k == s->k) obuf_write(&s->out, b, n);
        return 0;
    }
    if (n == 0 && s->elide) return 0;
    if (open_next(s) < 0) return -1;
    return cwrite(s, false, b, n);
}

static int chunk_split(struct split *s)
{
    char *data;
    uintmax_t size;
    struct stat st;
    if (s->mode != M_RR && (sys_fstat(s->p, s->in_fd, &st) < 0 || !S_ISREG(st.st_mode))) {
        cmd_error(s->p, "%s: cannot determine file size", cmd_quotef(s->p, s->infile));
        return -1;
    }
    if (load_input(s, &data, &size) < 0) return -1;
    uintmax_t N = s->n;
    if (s->mode == M_CHUNK_BYTES) {
        uintmax_t cs = size / N ? size / N : 1;
        for (uintmax_t k = 1; k <= N; k++) {
            uintmax_t st = (k - 1) * cs < size ? (k - 1) * cs : size;
            uintmax_t en = k == N ? size : (k * cs < size ? k * cs : size);
            if (emit_chunk(s, k, data + st, (size_t)(en - st)) < 0) return -1;
        }
    } else if (s->mode == M_CHUNK_LINES) {
        uintmax_t cs = size / N;
        uintmax_t pos = 0;
        for (uintmax_t k = 1; k <= N; k++) {
            uintmax_t en;
            if (k == N) {
                en = size;
            } else {
                uintmax_t b = (k * cs) != 0 ? k * cs - 1 : 0;
                if (b < pos) {
                    en = pos; /* a long line already covered this chunk */
                } else if (b >= size) {
                    en = size;
                } else {
                    char *nl = memchr(data + b, s->eol, (size_t)(size - b));
                    en = nl ? (uintmax_t)(nl - data) + 1 : size;
                }
            }
            if (en < pos) en = pos;
            if (emit_chunk(s, k, data + pos, (size_t)(en - pos)) < 0) return -1;
            pos = en;
        }
    } else {
        /* round robin: record i to file i mod N */
        int *fds = NULL;
        char **names = NULL;
        if (!s->k) {
            fds = p_calloc(s->p, (size_t)N, sizeof *fds);
            names = p_calloc(s->p, (size_t)N, sizeof *names);
            if (!fds || !names) return die_errno(s, -ENOMEM, "%s", "memory exhausted");
            for (uintmax_t i = 0; i < N; i++) {
                fds[i] = -1;
                if (s->elide) continue;
                if (open_next(s) < 0) return -1;
                fds[i] = s->out_fd;
                names[i] = p_strdup(s->p, s->name);
                s->out_fd = -1;
            }
        }
        uintmax_t i = 0;
        size_t pos = 0;
        while (pos < size) {
            char *nl = memchr(data + pos, s->eol, (size_t)(size - pos));
            size_t en = nl ? (size_t)(nl - data) + 1 : (size_t)size;
            uintmax_t f = i % N;
            if (s->k) {
                if (f + 1 == s->k) obuf_write(&s->out, data + pos, en - pos);
            } else {
                if (fds[f] < 0) {
                    if (open_next(s) < 0) return -1;
                    fds[f] = s->out_fd;
                    names[f] = p_strdup(s->p, s->name);
                    s->out_fd = -1;
                }
                size_t done = pos;
                while (done < en) {
                    ssize_t w = sys_write(s->p, fds[f], data + done, en - done);
                    if (w < 0)
                        return die_errno(s, (int)w, "%s",
                                         cmd_quotef(s->p, names[f] ? names[f] : "?"));
                    done += (size_t)w;
                }
            }
            pos = en;
            i++;
        }
        if (fds)
            for (uintmax_t j = 0; j < N; j++)
                if (fds[j] >= 0) sys_close(s->p, fds[j]);
    }
    return 0;
}

enum { O_VERBOSE = 256, O_ADD_SUFFIX, O_NUMERIC, O_HEX, O_FILTER, O_IO_BLKSIZE };
static const struct opt_long longs[] = {{"bytes", OPT_ARG, 'b'},
                                        {"lines", OPT_ARG, 'l'},
                                        {"line-bytes", OPT_ARG, 'C'},
                                        {"number", OPT_ARG, 'n'},
                                        {"elide-empty-files", OPT_NOARG, 'e'},
                                        {"unbuffered", OPT_NOARG, 'u'},
                                        {"suffix-length", OPT_ARG, 'a'},
                                        {"additional-suffix", OPT_ARG, O_ADD_SUFFIX},
                                        {"numeric-suffixes", OPT_OPTARG, O_NUMERIC},
                                        {"hex-suffixes", OPT_OPTARG, O_HEX},
                                        {"filter", OPT_ARG, O_FILTER},
                                        {"verbose", OPT_NOARG, O_VERBOSE},
                                        {"separator", OPT_ARG, 't'},
                                        {"-io-blksize", OPT_ARG, O_IO_BLKSIZE},
                                        {0}};
static const struct opt_spec spec = {.name = "split",
                                     .shorts = "0123456789C:a:b:del:n:t:ux",
                                     .longs = longs,
                                     .help = split_help,
                                     .authors = "Torbjorn Granlund and Richard M. Stallman"};

/* A size or count with split's suffixes; "invalid X: ‘ARG’" on error. */
static bool num_arg(struct split *s, const char *arg, const char *what, uintmax_t *v, bool bytes)
{
    char *end;
    enum opt_num_status e = opt_strtoumax(arg, &end, 10, v, bytes ? "bEGKkMmPTYZ0" : "");
    if (e == OPT_NUM_OK && *v == 0) {
        cmd_errno(s->p, -ERANGE, "%s: %s", what, cmd_quote(s->p, arg));
        return false;
    }
    if (e == OPT_NUM_OVERFLOW) {
        *v = UINTMAX_MAX;
        return true;
    }
    if (e != OPT_NUM_OK || *end) {
        cmd_error(s->p, "%s: %s", what, cmd_quote(s->p, arg));
        return false;
    }
    return true;
}

int cmd_split(struct proc *p, int argc, char **argv)
{
    struct split *s = p_calloc(p, 1, sizeof *s);
    if (!s) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    s->p = p;
    s->mode = M_LINES;
    s->n = 1000;
    s->eol = '\n';
    s->out_fd = -1;
    s->first = true;
    s->alphabet = "abcdefghijklmnopqrstuvwxyz";
    s->add_suffix = "";
    bool mode_set = false, len_set = false, eol_set = false, numeric_from = false;
    uintmax_t digits = 0;
    bool in_digits = false;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        if (c >= '0' && c <= '9') {
            /* obsolete -N: lines */
            if (mode_set && s->mode != M_LINES) goto more_than_one;
            if (!in_digits) digits = 0;
            digits = digits * 10 + (uintmax_t)(c - '0');
            in_digits = true;
            s->mode = M_LINES;
            s->n = digits;
            mode_set = true;
            continue;
        }
        in_digits = false;
        switch (c) {
        case 'a': {
            uintmax_t v;
            char *end;
            if (opt_strtoumax(o.arg, &end, 10, &v, "") != OPT_NUM_OK || *end || v > 1000) {
                cmd_error(p, "%s: %s", "invalid suffix length", cmd_quote(p, o.arg));
                return 1;
            }
            s->suffix_len = (size_t)v;
            len_set = v != 0;
            break;
        }
        case O_ADD_SUFFIX:
            if (strchr(o.arg, '/')) {
                cmd_error(p, "invalid suffix %s, contains directory separator",
                          cmd_quote(p, o.arg));
                opt_usage_error(&o, NULL);
                return 1;
            }
            s->add_suffix = o.arg;
            break;
        case 'b':
        case 'l':
        case 'C': {
            if (mode_set) goto more_than_one;
            uintmax_t v;
            const char *what = c == 'l' ? "invalid number of lines" : "invalid number of bytes";
            if (!num_arg(s, o.arg, what, &v, c != 'l')) return 1;
            s->mode = c == 'l' ? M_LINES : c == 'b' ? M_BYTES : M_LINE_BYTES;
            s->n = v;
            mode_set = true;
            break;
        }
        case 'n': {
            if (mode_set) goto more_than_one;
            const char *a = o.arg;
            s->mode = M_CHUNK_BYTES;
            if (a[0] == 'l' && a[1] == '/') {
                s->mode = M_CHUNK_LINES;
                a += 2;
            } else if (a[0] == 'r' && a[1] == '/') {
                s->mode = M_RR;
                a += 2;
            }
            const char *slash = strchr(a, '/');
            uintmax_t v;
            if (slash) {
                char *kstr = p_strndup(p, a, (size_t)(slash - a));
                if (!kstr) return 1;
                if (!num_arg(s, slash + 1, "invalid number of chunks", &v, false)) return 1;
                uintmax_t kv;
                char *end;
                if (opt_strtoumax(kstr, &end, 10, &kv, "") != OPT_NUM_OK || *end) {
                    cmd_error(p, "%s: %s", "invalid chunk number", cmd_quote(p, kstr));
                    return 1;
                }
                if (kv == 0 || kv > v) {
                    cmd_errno(p, -ERANGE, "%s: %s", "invalid chunk number", cmd_quote(p, kstr));
                    return 1;
                }
                s->k = kv;
            } else if (!num_arg(s, a, "invalid number of chunks", &v, false)) {
                return 1;
            }
            s->n = v;
            mode_set = true;
            break;
        }
        case 'e': s->elide = true; break;
        case 'u': s->unbuffered = true; break;
        case 'd':
        case 'x':
        case O_NUMERIC:
        case O_HEX:
            s->alphabet = c == 'd' || c == O_NUMERIC ? "0123456789" : "0123456789abcdef";
            if (o.arg) {
                uintmax_t v;
                char *end;
                if (opt_strtoumax(o.arg, &end, 10, &v, "") != OPT_NUM_OK || *end) {
                    cmd_error(p, "%s: %s", "invalid start value for numerical suffix",
                              cmd_quote(p, o.arg));
                    return 1;
                }
                /* FROM is written in the suffix alphabet's digits */
                s->start = 0;
                uintmax_t base = strlen(s->alphabet);
                for (const char *q = o.arg; *q; q++)
                    s->start = s->start * base + (uintmax_t)(*q - '0');
                (void)v;
                numeric_from = true;
            }
            break;
        case 't': {
            const char *a = o.arg;
            char sep = a[0];
            if (a[0] && a[1]) {
                if (strcmp(a, "\\0") == 0)
                    sep = '\0';
                else {
                    cmd_error(p, "multi-character separator %s", cmd_quote(p, a));
                    return 1;
                }
            }
            if (!a[0]) {
                cmd_error(p, "empty record separator");
                return 1;
            }
            if (eol_set && sep != s->eol) {
                cmd_error(p, "multiple separator characters specified");
                return 1;
            }
            s->eol = sep;
            eol_set = true;
            break;
        }
        case O_FILTER: cmd_error(p, "--filter is not supported in vos"); return 1;
        case O_IO_BLKSIZE: break;
        case O_VERBOSE: s->verbose = true; break;
        case OPT_EXIT: return o.status;
        default: return 1;
        }
    }
    if (argc - o.ind > 2) {
        cmd_error(p, "extra operand %s", cmd_quote(p, argv[o.ind + 2]));
        opt_usage_error(&o, NULL);
        return 1;
    }
    s->infile = o.ind < argc ? argv[o.ind] : "-";
    s->prefix = o.ind + 1 < argc ? argv[o.ind + 1] : "x";
    /* suffix length: default 2, auto-widening unless fixed or numbered from */
    size_t alen = strlen(s->alphabet);
    if (!len_set) {
        s->suffix_len = 2;
        s->suffix_auto = !numeric_from;
        if (s->mode == M_CHUNK_BYTES || s->mode == M_CHUNK_LINES || s->mode == M_RR) {
            size_t need = 1;
            uintmax_t cap = alen;
            uintmax_t max = s->n - 1 + s->start;
            while (cap <= max) {
                cap *= alen;
                need++;
            }
            if (need > s->suffix_len) s->suffix_len = need;
            s->suffix_auto = false;
        }
    }
    if (numeric_from) {
        uintmax_t cap = 1;
        for (size_t i = 0; i < s->suffix_len && cap < UINTMAX_MAX / alen; i++) cap *= alen;
        if (s->start >= cap) {
            cmd_error(p, "numerical suffix start value is too large for the suffix length");
            opt_usage_error(&o, NULL);
            return 1;
        }
    }
    if (strcmp(s->infile, "-") == 0) {
        s->in_fd = 0;
    } else {
        s->in_fd = sys_open(p, s->infile, O_RDONLY, 0);
        if (s->in_fd < 0) {
            cmd_errno(p, s->in_fd, "cannot open %s for reading", cmd_quoteaf(p, s->infile));
            return 1;
        }
    }
    obuf_init(&s->out, p, 1);
    char *buf = p_malloc(p, BUFSZ);
    if (!buf) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    int r;
    switch (s->mode) {
    case M_LINES: r = lines_split(s, buf); break;
    case M_BYTES: r = bytes_split(s, buf); break;
    case M_LINE_BYTES: r = line_bytes_split(s, buf); break;
    default: r = chunk_split(s); break;
    }
    if (s->out_fd >= 0) {
        int c = sys_close(p, s->out_fd);
        if (c < 0 && c != -EINTR && r == 0) {
            cmd_errno(p, c, "%s", cmd_quotef(p, s->name));
            r = -1;
        }
    }
    if (s->in_fd > 0) sys_close(p, s->in_fd);
    return cmd_close_stdout(p, &s->out, r < 0 ? 1 : 0);
more_than_one:
    cmd_error(p, "cannot split in more than one way");
    opt_usage_error(&o, NULL);
    return 1;
}
