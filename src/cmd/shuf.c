/* shuf.c — random permutations: lines of a file, -e ARGs, -i LO-HI; -n,
 * -r, -o, -z, --random-source. The random numbers follow gnulib's
 * randint/randperm exactly, so with --random-source=FILE the output is
 * GNU shuf's byte for byte (reservoir sampling for large or unseekable
 * input with -n included). Without it, bytes come from sys_getrandom. */
#include "cmd/cmd.h"

#include <fcntl.h>

static const char shuf_help[] =
    "Usage: %s [OPTION]... [FILE]\n"
    "  or:  %s -e [OPTION]... [ARG]...\n"
    "  or:  %s -i LO-HI [OPTION]...\n"
    "Write a random permutation of the input lines to standard output.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -e, --echo                treat each ARG as an input line\n"
    "  -i, --input-range=LO-HI   treat each number LO through HI as an input line\n"
    "  -n, --head-count=COUNT    output at most COUNT lines\n"
    "  -o, --output=FILE         write result to FILE instead of standard output\n"
    "      --random-source=FILE  get random bytes from FILE\n"
    "  -r, --repeat              output lines can be repeated\n"
    "  -z, --zero-terminated     line delimiter is NUL, not newline\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("shuf", "shuf");

enum { OPT_RANDOM_SOURCE = 256 };
static const struct opt_long longs[] = {{"echo", OPT_NOARG, 'e'},
                                        {"input-range", OPT_ARG, 'i'},
                                        {"head-count", OPT_ARG, 'n'},
                                        {"output", OPT_ARG, 'o'},
                                        {"random-source", OPT_ARG, OPT_RANDOM_SOURCE},
                                        {"repeat", OPT_NOARG, 'r'},
                                        {"zero-terminated", OPT_NOARG, 'z'},
                                        {0}};
static const struct opt_spec spec = {.name = "shuf",
                                     .shorts = "ei:n:o:rz",
                                     .longs = longs,
                                     .help = shuf_help,
                                     .authors = "Paul Eggert"};

#define RESERVOIR_MIN_INPUT (8192 * 1024)

/* gnulib randread + randint over a file or sys_getrandom. */
struct rnd {
    struct proc *p;
    int fd; /* -1: sys_getrandom */
    const char *name;
    unsigned char buf[4096];
    size_t pos, len;
    uintmax_t randnum, randmax;
    bool failed;
};

static bool rnd_bytes(struct rnd *r, unsigned char *out, size_t n)
{
    while (n > 0) {
        if (r->pos == r->len) {
            ssize_t got = r->fd >= 0 ? sys_read(r->p, r->fd, r->buf, sizeof r->buf)
                                     : sys_getrandom(r->p, r->buf, sizeof r->buf);
            if (got <= 0) {
                if (got == 0)
                    cmd_error(r->p, "%s: end of file", cmd_quote(r->p, r->name));
                else if (got != -EINTR)
                    cmd_errno(r->p, (int)got, "%s", cmd_quotef(r->p, r->name ? r->name : "getrandom"));
                r->failed = true;
                return false;
            }
            r->pos = 0;
            r->len = (size_t)got;
        }
        size_t k = r->len - r->pos < n ? r->len - r->pos : n;
        memcpy(out, r->buf + r->pos, k);
        r->pos += k;
        out += k;
        n -= k;
    }
    return true;
}

static uintmax_t randint_genmax(struct rnd *s, uintmax_t genmax)
{
    uintmax_t randnum = s->randnum, randmax = s->randmax, choices = genmax + 1;
    for (;;) {
        if (randmax < genmax) {
            size_t i = 0;
            uintmax_t rmax = randmax;
            unsigned char buf[sizeof randnum];
            do {
                rmax = (rmax << 8) + 255;
                i++;
            } while (rmax < genmax);
            if (!rnd_bytes(s, buf, i)) return 0;
            i = 0;
            do {
                randnum = (randnum << 8) + buf[i];
                randmax = (randmax << 8) + 255;
                i++;
            } while (randmax < genmax);
        }
        if (randmax == genmax) {
            s->randnum = s->randmax = 0;
            return randnum;
        }
        uintmax_t excess = randmax - genmax;
        uintmax_t unusable = excess % choices;
        uintmax_t last_usable = randmax - unusable;
        uintmax_t reduced = randnum % choices;
        if (randnum <= last_usable) {
            s->randnum = randnum / choices;
            s->randmax = excess / choices;
            return reduced;
        }
        s->randnum = randnum = reduced;
        s->randmax = randmax = unusable - 1;
    }
}

static uintmax_t randint_choose(struct rnd *s, uintmax_t choices)
{
    return randint_genmax(s, choices - 1);
}

/* The first h entries of a random permutation of 0..n-1. */
static size_t *randperm(struct rnd *r, size_t h, size_t n)
{
    if (h == 0) return NULL;
    size_t *v = p_malloc(r->p, (n ? n : 1) * sizeof *v);
    if (!v) return NULL;
    if (h == 1) {
        v[0] = (size_t)randint_choose(r, n);
        return v;
    }
    for (size_t i = 0; i < n; i++) v[i] = i;
    for (size_t i = 0; i < h && !r->failed; i++) {
        size_t j = i + (size_t)randint_choose(r, n - i);
        size_t t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
    return v;
}

struct lines {
    char **s;
    size_t *len; /* each with its delimiter */
    size_t n, cap;
};

static bool push_line(struct proc *p, struct lines *l, char *s, size_t len)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 1024;
        char **ns = p_realloc(p, l->s, nc * sizeof *ns);
        if (!ns) return false;
        l->s = ns;
        size_t *nl = p_realloc(p, l->len, nc * sizeof *nl);
        if (!nl) return false;
        l->len = nl;
        l->cap = nc;
    }
    l->s[l->n] = s;
    l->len[l->n] = len;
    l->n++;
    return true;
}

/* Read all of fd and split it into lines (a final delimiter added). */
static int read_all(struct proc *p, int fd, char eol, struct lines *l)
{
    size_t cap = 65536, n = 0;
    char *buf = p_malloc(p, cap + 1);
    if (!buf) return -ENOMEM;
    for (;;) {
        if (cap - n < 65536) {
            char *nb = p_realloc(p, buf, cap * 2 + 1);
            if (!nb) return -ENOMEM;
            buf = nb;
            cap *= 2;
        }
        ssize_t r = sys_read(p, fd, buf + n, cap - n);
        if (r < 0) return (int)r;
        if (r == 0) break;
        n += (size_t)r;
    }
    if (n && buf[n - 1] != eol) buf[n++] = eol;
    for (size_t i = 0; i < n;) {
        char *e = memchr(buf + i, eol, n - i);
        size_t len = (size_t)(e - (buf + i)) + 1;
        if (!push_line(p, l, buf + i, len)) return -ENOMEM;
        i += len;
    }
    return 0;
}

/* gnulib-style reservoir sampling of k lines from fd. As in GNU shuf,
 * once the reservoir is full a random slot is drawn before each further
 * read, so one extra draw happens at the end of the input. */
static int read_reservoir(struct proc *p, int fd, char eol, size_t k, struct rnd *r,
                          struct lines *l, size_t *total)
{
    struct ibuf in;
    ibuf_init(&in, p, fd);
    size_t n = 0;
    int err = 0;
    bool full = false;
    for (;;) {
        uintmax_t j = 0;
        if (full) {
            j = randint_choose(r, (uintmax_t)n + 1);
            if (r->failed) break;
        }
        char *rec;
        ssize_t len = k == 0 ? 0 : ibuf_getdelim(&in, eol, &rec);
        if (len < 0) {
            err = (int)len;
            break;
        }
        if (len == 0) break;
        size_t ln = (size_t)len + (rec[len - 1] != eol);
        if (full && j >= k) {
            n++;
            continue;
        }
        char *copy = p_malloc(p, ln);
        if (!copy) {
            err = -ENOMEM;
            break;
        }
        memcpy(copy, rec, (size_t)len);
        copy[ln - 1] = eol;
        if (full) {
            p_free(p, l->s[j]);
            l->s[j] = copy;
            l->len[j] = ln;
        } else if (!push_line(p, l, copy, ln)) {
            err = -ENOMEM;
            break;
        }
        n++;
        if (n == k) full = true;
        if ((n & 0xffff) == 0 && proc_check(p) < 0) break;
    }
    ibuf_free(&in);
    *total = n < k ? n : k;
    return err;
}

int cmd_shuf(struct proc *p, int argc, char **argv)
{
    bool echo = false, range = false, repeat = false;
    uintmax_t lo = 0, hi = 0, head = UINTMAX_MAX;
    const char *outfile = NULL, *random_source = NULL;
    char eol = '\n';
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'e': echo = true; break;
        case 'i': {
            if (range) {
                cmd_error(p, "multiple -i options specified");
                return 1;
            }
            range = true;
            const char *dash = strchr(o.arg, '-');
            bool ok = dash != NULL;
            if (ok) {
                char lob[64];
                size_t ll = (size_t)(dash - o.arg);
                ok = ll > 0 && ll < sizeof lob;
                if (ok) {
                    memcpy(lob, o.arg, ll);
                    lob[ll] = 0;
                    ok = opt_strtoumax(lob, NULL, 10, &lo, "") == OPT_NUM_OK &&
                         opt_strtoumax(dash + 1, NULL, 10, &hi, "") == OPT_NUM_OK &&
                         !(hi < lo && hi + 1 != lo) && !(lo == 0 && hi == UINTMAX_MAX);
                }
            }
            if (!ok) {
                cmd_error(p, "invalid input range: %s", cmd_quote(p, o.arg));
                return 1;
            }
            break;
        }
        case 'n': {
            uintmax_t v;
            enum opt_num_status r = opt_strtoumax(o.arg, NULL, 10, &v, "");
            if (r == OPT_NUM_OVERFLOW) v = UINTMAX_MAX;
            else if (r != OPT_NUM_OK) {
                cmd_error(p, "invalid line count: %s", cmd_quote(p, o.arg));
                return 1;
            }
            if (v < head) head = v;
            break;
        }
        case 'o':
            if (outfile && strcmp(outfile, o.arg) != 0) {
                cmd_error(p, "multiple output files specified");
                return 1;
            }
            outfile = o.arg;
            break;
        case OPT_RANDOM_SOURCE:
            if (random_source && strcmp(random_source, o.arg) != 0) {
                cmd_error(p, "multiple random sources specified");
                return 1;
            }
            random_source = o.arg;
            break;
        case 'r': repeat = true; break;
        case 'z': eol = '\0'; break;
        case OPT_EXIT: return o.status;
        default: return opt_usage_error(&o, NULL);
        }
    }
    int nops = argc - o.ind;
    if (echo && range) {
        cmd_error(p, "cannot combine -e and -i options");
        return opt_usage_error(&o, NULL);
    }
    if (range ? nops > 0 : !echo && nops > 1) {
        cmd_error(p, "extra operand %s", cmd_quote(p, argv[o.ind + (range ? 0 : 1)]));
        return opt_usage_error(&o, NULL);
    }
    struct rnd r = {.p = p, .fd = -1, .name = random_source};
    struct lines l = {0};
    size_t n_lines = 0;
    bool reservoir = false;
    int status = 0;
    if (echo) {
        for (int i = o.ind; i < argc; i++) {
            size_t len = strlen(argv[i]);
            char *s = p_malloc(p, len + 1);
            if (!s || !push_line(p, &l, s, len + 1)) {
                cmd_error(p, "memory exhausted");
                return 1;
            }
            memcpy(s, argv[i], len);
            s[len] = eol;
        }
        n_lines = l.n;
    } else if (range)
        n_lines = (size_t)(hi - lo + 1);
    int infd = -1;
    if (!echo && !range) {
        const char *name = nops ? argv[o.ind] : "-";
        infd = cmd_open_input(p, name);
        if (infd < 0) {
            cmd_file_error(p, name, infd);
            return 1;
        }
        struct stat st;
        off_t size = -1;
        if (sys_fstat(p, infd, &st) == 0 && S_ISREG(st.st_mode)) {
            off_t cur = sys_lseek(p, infd, 0, SEEK_CUR);
            if (cur >= 0) size = st.st_size - cur;
        }
        reservoir = !repeat && head != UINTMAX_MAX && (size < 0 || size > RESERVOIR_MIN_INPUT);
    }
    if (random_source) {
        r.fd = sys_open(p, random_source, O_RDONLY, 0);
        if (r.fd < 0) {
            cmd_file_error(p, random_source, r.fd);
            return 1;
        }
    }
    if (infd >= 0) {
        int err;
        if (reservoir)
            err = read_reservoir(p, infd, eol, (size_t)(head > SIZE_MAX ? SIZE_MAX : head), &r, &l,
                                 &n_lines);
        else {
            err = read_all(p, infd, eol, &l);
            n_lines = l.n;
        }
        cmd_close_input(p, infd);
        if (r.failed) return 1;
        if (err) {
            if (err == -ENOMEM)
                cmd_error(p, "memory exhausted");
            else if (err != -EINTR)
                cmd_errno(p, err, "read error");
            return 1;
        }
    }
    int outfd = 1;
    if (outfile) {
        outfd = sys_open(p, outfile, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (outfd < 0) {
            cmd_file_error(p, outfile, outfd);
            return 1;
        }
    }
    struct obuf out;
    obuf_init(&out, p, outfd);
    if (repeat) {
        if (head == 0) {
        } else if (n_lines == 0) {
            cmd_error(p, "no lines to repeat");
            status = 1;
        } else {
            for (uintmax_t i = 0; i < head && !obuf_failed(&out); i++) {
                uintmax_t j = randint_choose(&r, range ? hi - lo + 1 : n_lines);
                if (r.failed) break;
                if (range)
                    obuf_printf(&out, "%ju%c", lo + j, eol);
                else
                    obuf_write(&out, l.s[j], l.len[j]);
                if ((i & 0xfff) == 0xfff && proc_check(p) < 0) break;
            }
        }
    } else {
        size_t h = head < n_lines ? (size_t)head : n_lines;
        size_t *perm = randperm(&r, h, n_lines);
        if (h && !perm && !r.failed) {
            cmd_error(p, "memory exhausted");
            status = 1;
        }
        for (size_t i = 0; i < h && perm && !r.failed && !obuf_failed(&out); i++) {
            if (range)
                obuf_printf(&out, "%ju%c", lo + perm[i], eol);
            else
                obuf_write(&out, l.s[perm[i]], l.len[perm[i]]);
        }
    }
    if (r.failed) status = 1;
    if (r.fd >= 0) sys_close(p, r.fd);
    status = cmd_close_stdout(p, &out, status);
    if (outfd != 1) sys_close(p, outfd);
    return status;
}
