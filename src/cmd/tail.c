/* tail.c — output the last part of files: -n/-c with [+|-]NUM, the old
 * "-5", "+2", "-3c", "-10f" syntax, -q -v headers, -z, and following
 * (-f, --follow=name|descriptor, -F, --retry, --pid, -s,
 * --max-unchanged-stats) by polling sys_fstat/sys_read between
 * sys_nanosleep calls until the exec's timeout or a kill ends it. */
#include "cmd/cmd.h"

#include <fcntl.h>
#include <stdint.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>

static const char tail_help[] =
    "Usage: %s [OPTION]... [FILE]...\n"
    "Print the last 10 lines of each FILE to standard output.\n"
    "With more than one FILE, precede each with a header giving the file name.\n"
    "\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "  -c, --bytes=[+]NUM       output the last NUM bytes; or use -c +NUM to\n"
    "                             output starting with byte NUM of each file\n"
    "  -f, --follow[={name|descriptor}]\n"
    "                           output appended data as the file grows;\n"
    "                             an absent option argument means 'descriptor'\n"
    "  -F                       same as --follow=name --retry\n"
    "  -n, --lines=[+]NUM       output the last NUM lines, instead of the last 10;\n"
    "                             or use -n +NUM to output starting with line NUM\n"
    "      --max-unchanged-stats=N\n"
    "                           with --follow=name, reopen a FILE which has not\n"
    "                             changed size after N (default 5) iterations\n"
    "                             to see if it has been unlinked or renamed\n"
    "                             (this is the usual case of rotated log files);\n"
    "                             with inotify, this option is rarely useful\n"
    "      --pid=PID            with -f, terminate after process ID, PID dies\n"
    "  -q, --quiet, --silent    never output headers giving file names\n"
    "      --retry              keep trying to open a file if it is inaccessible\n"
    "  -s, --sleep-interval=N   with -f, sleep for approximately N seconds\n"
    "                             (default 1.0) between iterations;\n"
    "                             with inotify and --pid=P, check process P at\n"
    "                             least once every N seconds\n"
    "  -v, --verbose            always output headers giving file names\n"
    "  -z, --zero-terminated    line delimiter is NUL, not newline\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "NUM may have a multiplier suffix:\n"
    "b 512, kB 1000, K 1024, MB 1000*1000, M 1024*1024,\n"
    "GB 1000*1000*1000, G 1024*1024*1024, and so on for T, P, E, Z, Y.\n"
    "Binary prefixes can be used, too: KiB=K, MiB=M, and so on.\n"
    "\n"
    "With --follow (-f), tail defaults to following the file descriptor, which\n"
    "means that even if a tail'ed file is renamed, tail will continue to track\n"
    "its end.  This default behavior is not desirable when you really want to\n"
    "track the actual name of the file, not the file descriptor (e.g., log\n"
    "rotation).  Use --follow=name in that case.  That causes tail to track the\n"
    "named file in a way that accommodates renaming, removal and creation.\n"
    "\n"
    COREUTILS_HELP_TAIL("tail", "tail");

enum { OPT_RETRY = 256, OPT_MAXSTATS, OPT_PID, OPT_PRESUME_PIPE, OPT_DISABLE_INOTIFY };
static const struct opt_long longs[] = {{"bytes", OPT_ARG, 'c'},
                                        {"follow", OPT_OPTARG, 'f'},
                                        {"lines", OPT_ARG, 'n'},
                                        {"max-unchanged-stats", OPT_ARG, OPT_MAXSTATS},
                                        {"disable-inotify", OPT_NOARG, OPT_DISABLE_INOTIFY},
                                        {"pid", OPT_ARG, OPT_PID},
                                        {"-presume-input-pipe", OPT_NOARG, OPT_PRESUME_PIPE},
                                        {"quiet", OPT_NOARG, 'q'},
                                        {"retry", OPT_NOARG, OPT_RETRY},
                                        {"silent", OPT_NOARG, 'q'},
                                        {"sleep-interval", OPT_ARG, 's'},
                                        {"verbose", OPT_NOARG, 'v'},
                                        {"zero-terminated", OPT_NOARG, 'z'},
                                        {0}};
static const struct opt_spec spec = {.name = "tail",
                                     .shorts = "c:n:fFqs:vz0123456789",
                                     .longs = longs,
                                     .help = tail_help,
                                     .authors = "Paul Rubin, David MacKenzie, Ian Lance Taylor,\n"
                                                "and Jim Meyering"};

#define SUFFIXES "bkKmMGTPEZY0"
#define TBUF (64 * 1024)

/* One file operand and, when following, what is known about it. */
struct tfile {
    const char *name;
    int fd;
    off_t size; /* bytes read so far (the position followed) */
    mode_t mode;
    dev_t dev;
    ino_t ino;
    bool ignore, tailable, stdin_pipe;
    int errnum;
    unsigned unchanged;
};

struct tail {
    struct proc *p;
    struct obuf out;
    bool lines, from_start, presume_pipe;
    uintmax_t n;
    char delim;
    char *buf;
    bool headers;
    struct tfile *last_hdr; /* file whose header was printed last */
    bool first_hdr;
};

static const char *pretty(const struct tfile *f)
{
    return strcmp(f->name, "-") == 0 ? "standard input" : f->name;
}

static void header(struct tail *t, struct tfile *f)
{
    if (!t->headers) return;
    obuf_printf(&t->out, "%s==> %s <==\n", t->first_hdr ? "" : "\n", pretty(f));
    t->first_hdr = false;
    t->last_hdr = f;
}

static bool nomem(struct tail *t)
{
    cmd_error(t->p, "memory exhausted");
    return false;
}

static bool read_err(struct tail *t, struct tfile *f, ssize_t r)
{
    if (r != -EINTR) cmd_errno(t->p, (int)r, "error reading %s", cmd_quoteaf(t->p, pretty(f)));
    return false;
}

/* Copy the rest of fd (at most max bytes) to stdout; count into *got. */
static bool dump(struct tail *t, struct tfile *f, uintmax_t max, uintmax_t *got)
{
    while (max > 0) {
        size_t want = max < TBUF ? (size_t)max : TBUF;
        ssize_t r = sys_read(t->p, f->fd, t->buf, want);
        if (r < 0) return read_err(t, f, r);
        if (r == 0) break;
        obuf_write(&t->out, t->buf, (size_t)r);
        if (obuf_failed(&t->out)) return false;
        if (got) *got += (uintmax_t)r;
        if (max != UINTMAX_MAX) max -= (uintmax_t)r;
    }
    return true;
}

/* A growing window of the last input of a pipe. */
struct win {
    char *b;
    size_t start, len, cap;
};

static bool win_add(struct tail *t, struct win *w, const char *d, size_t n)
{
    if (w->start + w->len + n > w->cap) {
        if (w->start) {
            memmove(w->b, w->b + w->start, w->len);
            w->start = 0;
        }
        if (w->len + n > w->cap) {
            size_t nc = w->cap ? w->cap : TBUF;
            while (nc < w->len + n) nc *= 2;
            char *nb = p_realloc(t->p, w->b, nc);
            if (!nb) return nomem(t);
            w->b = nb;
            w->cap = nc;
        }
    }
    memcpy(w->b + w->start + w->len, d, n);
    w->len += n;
    return true;
}

/* Last n lines or bytes of an unseekable input. */
static bool pipe_tail(struct tail *t, struct tfile *f, uintmax_t *got)
{
    struct win w = {0};
    uintmax_t nls = 0;
    bool ok = true;
    for (;;) {
        ssize_t r = sys_read(t->p, f->fd, t->buf, TBUF);
        if (r < 0) {
            ok = read_err(t, f, r);
            break;
        }
        if (r == 0) break;
        *got += (uintmax_t)r;
        if (!win_add(t, &w, t->buf, (size_t)r)) {
            ok = false;
            break;
        }
        if (!t->lines) {
            if (w.len > t->n) {
                w.start += w.len - (size_t)t->n;
                w.len = (size_t)t->n;
            }
            continue;
        }
        for (char *s = t->buf, *e = t->buf + r; (s = memchr(s, t->delim, (size_t)(e - s))); s++)
            nls++;
        /* Keep at most n delimiters (plus what follows the last). */
        while (nls > t->n) {
            char *s = w.b + w.start;
            char *nl = memchr(s, t->delim, w.len);
            size_t k = (size_t)(nl - s) + 1;
            w.start += k;
            w.len -= k;
            nls--;
        }
    }
    if (ok && t->lines && w.len > 0 && w.b[w.start + w.len - 1] != t->delim && nls == t->n &&
        t->n > 0) {
        char *s = w.b + w.start;
        char *nl = memchr(s, t->delim, w.len);
        size_t k = (size_t)(nl - s) + 1;
        w.start += k;
        w.len -= k;
    }
    if (ok && !(t->lines && t->n == 0)) obuf_write(&t->out, w.b + w.start, w.len);
    p_free(t->p, w.b);
    return ok;
}

/* Skip the first n lines/bytes, then copy the rest. */
static bool start_tail(struct tail *t, struct tfile *f, uintmax_t *got)
{
    uintmax_t left = t->n;
    if (!t->lines && left > 0 && !t->presume_pipe) {
        struct stat st;
        if (sys_fstat(t->p, f->fd, &st) == 0 && S_ISREG(st.st_mode) && left <= INT64_MAX) {
            off_t cur = sys_lseek(t->p, f->fd, 0, SEEK_CUR);
            if (cur >= 0 && sys_lseek(t->p, f->fd, (off_t)left, SEEK_CUR) >= 0) {
                *got += left;
                left = 0;
            }
        }
    }
    while (left > 0) {
        ssize_t r = sys_read(t->p, f->fd, t->buf, TBUF);
        if (r < 0) return read_err(t, f, r);
        if (r == 0) return true;
        *got += (uintmax_t)r;
        size_t used;
        if (!t->lines) {
            used = left < (uintmax_t)r ? (size_t)left : (size_t)r;
            left -= used;
        } else {
            used = 0;
            while (left > 0) {
                char *nl = memchr(t->buf + used, t->delim, (size_t)r - used);
                if (!nl) {
                    used = (size_t)r;
                    break;
                }
                used = (size_t)(nl - t->buf) + 1;
                left--;
            }
        }
        if (used < (size_t)r) obuf_write(&t->out, t->buf + used, (size_t)r - used);
    }
    return dump(t, f, UINTMAX_MAX, got);
}

/* Last n lines of a seekable regular file in [start, end): scan backwards. */
static bool file_lines(struct tail *t, struct tfile *f, off_t start, off_t end, uintmax_t *got)
{
    uintmax_t n = t->n;
    off_t pos = end;
    size_t chunk = (size_t)((end - start) % TBUF);
    if (chunk == 0) chunk = TBUF;
    bool first = true;
    while (pos > start) {
        pos -= (off_t)chunk;
        ssize_t r = sys_pread(t->p, f->fd, t->buf, chunk, pos);
        if (r < 0) return read_err(t, f, r);
        if ((size_t)r != chunk) {
            /* The file shrank under us: give up on the clever path. */
            sys_lseek(t->p, f->fd, start, SEEK_SET);
            return pipe_tail(t, f, got);
        }
        if (first && chunk > 0 && t->buf[chunk - 1] != t->delim) n--;
        first = false;
        size_t k = chunk;
        while (k > 0) {
            char *nl = memrchr(t->buf, t->delim, k);
            if (!nl) break;
            k = (size_t)(nl - t->buf);
            if (n-- == 0) {
                obuf_write(&t->out, nl + 1, chunk - k - 1);
                sys_lseek(t->p, f->fd, pos + (off_t)chunk, SEEK_SET);
                *got = (uintmax_t)(pos + (off_t)chunk);
                return dump(t, f, (uintmax_t)(end - pos - (off_t)chunk), got);
            }
        }
        chunk = TBUF;
        if (proc_check(t->p) < 0) return false;
    }
    sys_lseek(t->p, f->fd, start, SEEK_SET);
    *got = (uintmax_t)start;
    return dump(t, f, (uintmax_t)(end - start), got);
}

/* Output the requested part of an open file; *got is the offset reached
 * (for following). */
static bool tail_fd(struct tail *t, struct tfile *f, uintmax_t *got)
{
    *got = 0;
    if (t->from_start) return start_tail(t, f, got);
    struct stat st;
    if (sys_fstat(t->p, f->fd, &st) < 0) return pipe_tail(t, f, got);
    off_t cur = -1, end = -1;
    if (!t->presume_pipe && S_ISREG(st.st_mode) &&
        (cur = sys_lseek(t->p, f->fd, 0, SEEK_CUR)) >= 0 && cur < (end = st.st_size)) {
        if (t->lines) {
            if (t->n == 0) {
                sys_lseek(t->p, f->fd, end, SEEK_SET);
                *got = (uintmax_t)end;
                return true;
            }
            return file_lines(t, f, cur, end, got);
        }
        off_t from = (uintmax_t)(end - cur) > t->n ? end - (off_t)t->n : cur;
        sys_lseek(t->p, f->fd, from, SEEK_SET);
        *got = (uintmax_t)from;
        return dump(t, f, UINTMAX_MAX, got);
    }
    if (cur >= 0 && end >= 0 && cur >= end) {
        *got = (uintmax_t)cur;
        return dump(t, f, UINTMAX_MAX, got);
    }
    return pipe_tail(t, f, got);
}

/* ---- following ----------------------------------------------------------- */

enum follow { FOLLOW_NONE, FOLLOW_NAME, FOLLOW_DESC };

struct follow_opts {
    enum follow mode;
    bool retry;
    uintmax_t pid;
    struct timespec sleep;
    uintmax_t max_unchanged;
};

static bool tailable(mode_t m)
{
    return S_ISREG(m) || S_ISFIFO(m) || S_ISSOCK(m) || S_ISCHR(m);
}

static void close_fd(struct tail *t, struct tfile *f)
{
    if (f->fd > 0) sys_close(t->p, f->fd);
    f->fd = -1;
}

/* --follow=name: look at the name again after a change (GNU's recheck). */
static void recheck(struct tail *t, struct tfile *f, const struct follow_opts *fo)
{
    struct proc *p = t->p;
    int fd = sys_open(p, f->name, O_RDONLY, 0);
    struct stat st;
    bool was_tailable = f->tailable;
    int prev_err = f->errnum;
    bool ok = true;
    if (fd < 0) {
        ok = false;
        f->errnum = -fd;
        f->tailable = true;
        if (!fo->retry && f->fd >= 0) f->ignore = true;
    } else if (sys_fstat(p, fd, &st) < 0) {
        ok = false;
        f->errnum = EIO;
    } else if (!tailable(st.st_mode)) {
        ok = false;
        f->errnum = -1;
        f->tailable = false;
        f->ignore = !fo->retry;
        cmd_error(p, "%s has been replaced with an untailable file%s", cmd_quoteaf(p, pretty(f)),
                  f->ignore ? "; giving up on this name" : "");
    } else {
        f->errnum = 0;
        f->tailable = true;
    }
    if (!ok) {
        if (fd >= 0) sys_close(p, fd);
        if (f->errnum > 0 && (prev_err != f->errnum || f->fd >= 0) && was_tailable) {
            cmd_errno(p, -f->errnum, "%s has become inaccessible", cmd_quoteaf(p, pretty(f)));
        }
        close_fd(t, f);
        return;
    }
    if (f->fd < 0) {
        if (prev_err)
            cmd_error(p, "%s has appeared;  following new file", cmd_quoteaf(p, pretty(f)));
        f->fd = fd;
        f->size = 0;
    } else if (f->ino != st.st_ino || f->dev != st.st_dev) {
        cmd_error(p, "%s has been replaced;  following new file", cmd_quoteaf(p, pretty(f)));
        close_fd(t, f);
        f->fd = fd;
        f->size = 0;
    } else {
        sys_close(p, fd);
        return;
    }
    f->mode = st.st_mode;
    f->dev = st.st_dev;
    f->ino = st.st_ino;
    f->unchanged = 0;
    sys_lseek(p, f->fd, 0, SEEK_SET);
}

static bool pid_alive(struct tail *t, uintmax_t pid)
{
    int r = sys_kill(t->p, (int)pid, 0);
    return r == 0 || r == -EPERM;
}

/* Poll the files forever: returns the exit status once nothing is left to
 * follow, the --pid process died, or the process is killed. */
static int follow(struct tail *t, struct tfile *fs, int n, const struct follow_opts *fo)
{
    struct proc *p = t->p;
    t->last_hdr = n > 0 ? &fs[n - 1] : NULL;
    for (;;) {
        bool any = false, changed = false;
        for (int i = 0; i < n; i++) {
            struct tfile *f = &fs[i];
            if (f->ignore) continue;
            if (f->fd < 0) {
                if (fo->mode == FOLLOW_NAME) recheck(t, f, fo);
                if (!f->ignore) any = true;
                continue;
            }
            any = true;
            struct stat st;
            int r = sys_fstat(p, f->fd, &st);
            if (r < 0) {
                f->errnum = -r;
                cmd_errno(p, r, "%s", cmd_quotef(p, pretty(f)));
                close_fd(t, f);
                f->ignore = true;
                continue;
            }
            if (S_ISREG(st.st_mode) && st.st_size < f->size) {
                cmd_error(p, "%s: file truncated", cmd_quotef(p, pretty(f)));
                sys_lseek(p, f->fd, 0, SEEK_SET);
                f->size = 0;
            }
            if (S_ISREG(st.st_mode) && st.st_size == f->size) {
                if (fo->mode == FOLLOW_NAME && ++f->unchanged >= fo->max_unchanged) {
                    f->unchanged = 0;
                    recheck(t, f, fo);
                }
                continue;
            }
            /* New data (or an unseekable file): read what is there. */
            bool hdr = f != t->last_hdr;
            for (;;) {
                ssize_t k = sys_read(p, f->fd, t->buf, TBUF);
                if (k < 0) {
                    if (k != -EINTR) read_err(t, f, k);
                    else return 1;
                    close_fd(t, f);
                    f->ignore = true;
                    break;
                }
                if (k == 0) {
                    if (!S_ISREG(st.st_mode)) {
                        close_fd(t, f);
                        f->ignore = true;
                    }
                    break;
                }
                if (hdr) {
                    header(t, f);
                    hdr = false;
                }
                obuf_write(&t->out, t->buf, (size_t)k);
                f->size += k;
                changed = true;
                if (!S_ISREG(st.st_mode)) break;
            }
            f->unchanged = 0;
            if (fo->mode == FOLLOW_NAME && f->fd >= 0) recheck(t, f, fo);
        }
        if (obuf_flush(&t->out) < 0) return 1;
        if (!any) {
            cmd_error(p, "no files remaining");
            return 1;
        }
        if (fo->pid && !pid_alive(t, fo->pid)) return 0;
        if (!changed && sys_nanosleep(p, &fo->sleep) < 0) return 1;
        if (proc_check(p) < 0) return 1;
    }
}

/* ---- main ----------------------------------------------------------------- */

/* The obsolete "-N[bcl][f]" / "+N..." first argument (GNU rules). */
static int obsolete(struct tail *t, struct opt_state *o, int argc, char **argv, bool *forever)
{
    if (!(argc == 2 || (argc == 3 && !(argv[2][0] == '-' && argv[2][1])) ||
          (argc >= 3 && argc <= 4 && strcmp(argv[2], "--") == 0)))
        return 0;
    const char *s = argv[1];
    bool from_start;
    if (*s == '+')
        from_start = true;
    else if (*s == '-') {
        if (!s[1 + (s[1] == 'c')]) return 0;
        from_start = false;
    } else
        return 0;
    s++;
    const char *digits = s;
    while (*s >= '0' && *s <= '9') s++;
    size_t nd = (size_t)(s - digits);
    uintmax_t def = 10;
    bool lines = true;
    switch (*s) {
    case 'b': def *= 512; /* fallthrough */
    case 'c': lines = false; /* fallthrough */
    case 'l': s++; break;
    }
    bool f = false;
    if (*s == 'f') {
        f = true;
        s++;
    }
    if (*s) return 0;
    uintmax_t n = def;
    if (nd) {
        char num[64];
        if (nd > 60) nd = 60;
        memcpy(num, digits, nd);
        num[nd] = 0;
        if (argv[1][1 + nd] == 'b') strcat(num, "b");
        enum opt_num_status r = opt_strtoumax(num, NULL, 10, &n, "b");
        if (r != OPT_NUM_OK && r != OPT_NUM_BAD_SUFFIX) {
            cmd_error(t->p, "invalid number: %s", cmd_quote(t->p, argv[1]));
            return -1;
        }
    }
    t->n = n;
    t->from_start = from_start;
    t->lines = lines;
    *forever = f;
    (void)o;
    return 1;
}

static bool parse_interval(const char *s, struct timespec *ts)
{
    char *end;
    errno = 0;
    if (!*s || strchr(s, 'x') || strchr(s, 'X')) return false;
    double d = strtod(s, &end);
    if (*end || !(d >= 0) || isinf(d)) return false;
    if (d > 1e9) d = 1e9;
    ts->tv_sec = (time_t)d;
    ts->tv_nsec = (long)((d - (double)ts->tv_sec) * 1e9);
    return true;
}

int cmd_tail(struct proc *p, int argc, char **argv)
{
    struct tail t = {.p = p, .lines = true, .n = 10, .delim = '\n', .first_hdr = true};
    enum { MULTIPLE, ALWAYS, NEVER } header_mode = MULTIPLE;
    struct follow_opts fo = {.sleep = {1, 0}, .max_unchanged = 5};
    bool forever = false;
    int shift = obsolete(&t, NULL, argc, argv, &forever);
    if (shift < 0) return 1;
    if (forever) fo.mode = FOLLOW_DESC;
    struct opt_state o;
    opt_init(&o, p, &spec, argc - shift, argv + shift);
    if (shift) o.prog = argv[0];
    static const char *const follow_names[] = {"descriptor", "name", NULL};
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'c':
        case 'n':
            t.lines = c == 'n';
            t.from_start = false;
            {
                const char *a = o.arg;
                if (*a == '+')
                    t.from_start = true;
                else if (*a == '-')
                    a++;
                if (opt_dectoumax(&o, a, 0, UINTMAX_MAX, SUFFIXES,
                                  t.lines ? "invalid number of lines" : "invalid number of bytes",
                                  &t.n) < 0)
                    return 1;
            }
            break;
        case 'f':
            if (!o.arg)
                fo.mode = FOLLOW_DESC;
            else {
                int k = opt_argmatch(&o, "--follow", o.arg, follow_names);
                if (k < 0) return o.status;
                fo.mode = k == 1 ? FOLLOW_NAME : FOLLOW_DESC;
            }
            break;
        case 'F':
            fo.mode = FOLLOW_NAME;
            fo.retry = true;
            break;
        case OPT_RETRY: fo.retry = true; break;
        case OPT_MAXSTATS:
            if (opt_dectoumax(&o, o.arg, 0, UINTMAX_MAX, "",
                              "invalid maximum number of unchanged stats between opens",
                              &fo.max_unchanged) < 0)
                return 1;
            break;
        case OPT_PID:
            if (opt_dectoumax(&o, o.arg, 0, INT32_MAX, "", "invalid PID", &fo.pid) < 0) return 1;
            break;
        case OPT_PRESUME_PIPE: t.presume_pipe = true; break;
        case OPT_DISABLE_INOTIFY: break;
        case 'q': header_mode = NEVER; break;
        case 'v': header_mode = ALWAYS; break;
        case 's':
            if (!parse_interval(o.arg, &fo.sleep)) {
                cmd_error(p, "invalid number of seconds: %s", cmd_quote(p, o.arg));
                return 1;
            }
            break;
        case 'z': t.delim = '\0'; break;
        case OPT_EXIT: return o.status;
        default:
            if (c >= '0' && c <= '9') {
                cmd_error(p, "option used in invalid context -- %c", c);
                return 1;
            }
            return opt_usage_error(&o, NULL);
        }
    }
    forever = fo.mode != FOLLOW_NONE;
    if (fo.retry) {
        if (!forever) {
            cmd_error(p, "warning: --retry ignored; --retry is useful only when following");
            fo.retry = false;
        } else if (fo.mode == FOLLOW_DESC)
            cmd_error(p, "warning: --retry only effective for the initial open");
    }
    if (fo.pid && !forever)
        cmd_error(p, "warning: PID ignored; --pid=PID is useful only when following");
    if (t.from_start && t.n) t.n--;

    static char *dash[] = {"-", NULL};
    char **names = o.ind < argc - shift ? argv + shift + o.ind : dash;
    int nfiles = o.ind < argc - shift ? argc - shift - o.ind : 1;
    if (t.n == 0 && !forever && !t.from_start) return 0;

    bool hyphen = false;
    for (int i = 0; i < nfiles; i++)
        if (strcmp(names[i], "-") == 0) hyphen = true;
    if (forever && hyphen && fo.mode == FOLLOW_NAME) {
        cmd_error(p, "cannot follow %s by name", cmd_quoteaf(p, "-"));
        return 1;
    }
    t.headers = header_mode == ALWAYS || (header_mode == MULTIPLE && nfiles > 1);

    struct tfile *fs = p_calloc(p, (size_t)nfiles, sizeof *fs);
    t.buf = p_malloc(p, TBUF);
    if (!fs || !t.buf) {
        cmd_error(p, "memory exhausted");
        return 1;
    }
    obuf_init(&t.out, p, 1);
    int status = 0;
    for (int i = 0; i < nfiles && !obuf_failed(&t.out); i++) {
        struct tfile *f = &fs[i];
        f->name = names[i];
        f->fd = strcmp(f->name, "-") == 0 ? 0 : sys_open(p, f->name, O_RDONLY, 0);
        if (f->fd < 0) {
            int e = f->fd;
            if (forever) {
                f->tailable = !(fo.retry && fo.mode == FOLLOW_NAME);
                f->errnum = -e;
            }
            cmd_errno(p, e, "cannot open %s for reading", cmd_quoteaf(p, pretty(f)));
            status = 1;
            f->ignore = !(fo.retry && fo.mode == FOLLOW_NAME);
            f->tailable = true;
            continue;
        }
        header(&t, f);
        uintmax_t got = 0;
        bool ok = tail_fd(&t, f, &got);
        obuf_flush(&t.out);
        if (!ok) status = 1;
        if (!forever) {
            cmd_close_input(p, f->fd);
            f->fd = -1;
            continue;
        }
        struct stat st;
        if (sys_fstat(p, f->fd, &st) < 0) st.st_mode = 0;
        f->mode = st.st_mode;
        f->dev = st.st_dev;
        f->ino = st.st_ino;
        f->size = S_ISREG(st.st_mode) ? (off_t)got : 0;
        f->tailable = true;
        if (!ok) {
            f->ignore = !(fo.retry && fo.mode == FOLLOW_NAME);
            f->errnum = EIO;
            close_fd(&t, f);
            if (!tailable(st.st_mode)) {
                f->tailable = false;
                cmd_error(p, "%s: cannot follow end of this type of file%s",
                          cmd_quotef(p, pretty(f)), f->ignore ? "; giving up on this name" : "");
            }
        } else if (!tailable(st.st_mode)) {
            f->tailable = false;
            f->ignore = !(fo.retry && fo.mode == FOLLOW_NAME);
            cmd_error(p, "%s: cannot follow end of this type of file%s", cmd_quotef(p, pretty(f)),
                      f->ignore ? "; giving up on this name" : "");
            close_fd(&t, f);
        } else if (strcmp(f->name, "-") == 0 && S_ISFIFO(st.st_mode)) {
            f->ignore = true; /* POSIX: -f is ignored for a pipe on stdin */
            f->stdin_pipe = true;
            f->fd = -1;
        }
    }
    if (forever && !obuf_failed(&t.out)) {
        int viable = 0;
        for (int i = 0; i < nfiles; i++)
            if (!fs[i].stdin_pipe) viable++;
        if (viable) {
            int r = follow(&t, fs, nfiles, &fo);
            if (r) status = r;
        }
    }
    for (int i = 0; i < nfiles; i++)
        if (fs[i].fd > 0) sys_close(p, fs[i].fd);
    return cmd_close_stdout(p, &t.out, status);
}
