/* sh/bi_read.c — `read` and `mapfile`/`readarray`, after bash 5.2's
 * read.def and mapfile.def: backslash handling, IFS splitting into names
 * (the last one takes the rest), -a -d -n -N -t -u, partial input at EOF
 * and timeout, mapfile's -d -n -O -s -t -u -C -c.
 *
 * Input comes through sys_read on the shell's fds. A pipe or terminal is
 * read one byte at a time so that nothing past the delimiter is consumed
 * (the next command must see it); a regular file is read in blocks and the
 * offset is moved back over what was not used, as bash does.
 */
#include "sh/builtins.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- input ------------------------------------------------------------------------------ */

struct rd {
    struct sh *sh;
    int fd;
    bool seekable;
    char buf[4096];
    size_t pos, len;
    uint64_t deadline; /* monotonic ns; 0: none */
    bool timed_out, error, eof;
    int err;
    unsigned long count; /* bytes handed out, for proc_check */
};

static void rd_init(struct rd *r, struct sh *sh, int fd, uint64_t deadline)
{
    memset(r, 0, sizeof *r);
    r->sh = sh;
    r->fd = fd;
    r->deadline = deadline;
    struct stat st;
    r->seekable = sys_fstat(sh->p, fd, &st) == 0 && S_ISREG(st.st_mode) &&
                  sys_lseek(sh->p, fd, 0, SEEK_CUR) >= 0;
}

/* Wait for input until the deadline: false on timeout. */
static bool rd_wait(struct rd *r)
{
    if (!r->deadline) return true;
    for (;;) {
        uint64_t now = now_ns();
        if (now >= r->deadline) return false;
        int ms = (int)((r->deadline - now + 999999) / 1000000);
        struct pollfd pfd = {.fd = r->fd, .events = POLLIN};
        int n = sys_poll(r->sh->p, &pfd, 1, ms);
        if (n > 0) return true;
        if (n < 0 && n != -EINTR) return true; /* let the read report it */
        if (n < 0 && proc_check(r->sh->p) < 0) return true;
    }
}

/* The next byte, or -1 at EOF / on error / timeout (flags say which). */
static int rd_getc(struct rd *r)
{
    if (r->pos < r->len) {
        if ((++r->count & 4095) == 0 && proc_check(r->sh->p) < 0) {
            r->error = true;
            r->err = -EINTR;
            return -1;
        }
        return (unsigned char)r->buf[r->pos++];
    }
    if (r->eof || r->error || r->timed_out) return -1;
    if (!r->seekable && !rd_wait(r)) {
        r->timed_out = true;
        return -1;
    }
    ssize_t n = sys_read(r->sh->p, r->fd, r->buf, r->seekable ? sizeof r->buf : 1);
    if (n < 0) {
        r->error = true;
        r->err = (int)n;
        return -1;
    }
    if (n == 0) {
        r->eof = true;
        return -1;
    }
    r->len = (size_t)n;
    r->pos = 1;
    r->count++;
    return (unsigned char)r->buf[0];
}

/* Give back what was read ahead (regular files). */
static void rd_sync(struct rd *r)
{
    if (r->seekable && r->pos < r->len)
        sys_lseek(r->sh->p, r->fd, -(off_t)(r->len - r->pos), SEEK_CUR);
    r->pos = r->len = 0;
}

/* ---- growable text with quoting marks ----------------------------------------------------- */

struct qtext {
    char *s;
    unsigned char *q; /* 1: the byte was escaped by a backslash */
    size_t n, cap;
};

static void qt_add(struct qtext *t, char c, bool quoted)
{
    if (t->n + 2 > t->cap) {
        t->cap = t->cap ? t->cap * 2 : 128;
        t->s = xrealloc(t->s, t->cap);
        t->q = xrealloc(t->q, t->cap);
    }
    t->s[t->n] = c;
    t->q[t->n++] = quoted;
    t->s[t->n] = 0;
}

static void qt_free(struct qtext *t)
{
    free(t->s);
    free(t->q);
}

/* ---- splitting (bash's get_word_from_string on the read line) -------------------------- */

struct splitter {
    const char *s;
    const unsigned char *q;
    size_t n, i;
    const char *ifs;
};

static bool is_ifs(const struct splitter *sp, size_t i)
{
    return i < sp->n && !sp->q[i] && sp->s[i] && strchr(sp->ifs, sp->s[i]);
}

static bool is_ifs_ws(const struct splitter *sp, size_t i)
{
    return is_ifs(sp, i) && (sp->s[i] == ' ' || sp->s[i] == '\t' || sp->s[i] == '\n');
}

static void skip_ws(struct splitter *sp)
{
    while (sp->i < sp->n && is_ifs_ws(sp, sp->i)) sp->i++;
}

/* The next field [*start, *end); advances past its separator. false when
 * only IFS whitespace is left. */
static bool next_word(struct splitter *sp, size_t *start, size_t *end)
{
    skip_ws(sp);
    if (sp->i >= sp->n) return false;
    size_t i = sp->i;
    *start = i;
    while (i < sp->n && !is_ifs(sp, i)) i++;
    *end = i;
    bool whitesep = i < sp->n && is_ifs_ws(sp, i);
    if (i < sp->n) i++;
    while (i < sp->n && is_ifs_ws(sp, i)) i++;
    if (i < sp->n && whitesep && is_ifs(sp, i) && !is_ifs_ws(sp, i)) {
        i++;
        while (i < sp->n && is_ifs_ws(sp, i)) i++;
    }
    sp->i = i;
    return true;
}

static char *span(const struct splitter *sp, size_t a, size_t b)
{
    return xstrndup(sp->s + a, b - a);
}

/* ---- read -------------------------------------------------------------------------------- */

#define READ_USAGE                                                                                 \
    "read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t "         \
    "timeout] [-u fd] [name ...]"

/* bash's uconvert: seconds with an optional fraction. */
static bool parse_timeout(const char *s, uint64_t *ns)
{
    const char *p = s;
    if (*p == '-') return false;
    if (*p == '+') p++;
    uint64_t sec = 0, frac = 0, scale = 100000000;
    bool digits = false;
    while (isdigit((unsigned char)*p)) {
        sec = sec * 10 + (uint64_t)(*p++ - '0');
        if (sec > 100000000) sec = 100000000;
        digits = true;
    }
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p)) {
            frac += (uint64_t)(*p++ - '0') * scale;
            scale /= 10;
            digits = true;
        }
    }
    if (*p || !digits) return false;
    *ns = sec * 1000000000ull + frac;
    return true;
}

static bool parse_count(const char *s, intmax_t *out)
{
    char *end;
    errno = 0;
    intmax_t v = strtoimax(s, &end, 10);
    while (isspace((unsigned char)*end)) end++;
    if (errno || end == s || *end || v < 0) return false;
    *out = v;
    return true;
}

/* Length of a UTF-8 sequence from its lead byte (1 for anything else). */
static int utf8_len(int c)
{
    if (c >= 0xc2 && c <= 0xdf) return 2;
    if (c >= 0xe0 && c <= 0xef) return 3;
    if (c >= 0xf0 && c <= 0xf4) return 4;
    return 1;
}

static int assign_or_error(struct sh *sh, const char *name, const char *val)
{
    if (!sh_bi_valid_lhs(name)) {
        sh_error(sh, "read: `%s': not a valid identifier", name);
        return 1;
    }
    return sh_bi_assign(sh, name, val) < 0 ? 1 : 0;
}

int bi_read(struct sh *sh, int argc, char **argv)
{
    struct sh_bopt o = {0};
    bool raw = false, have_timeout = false;
    const char *array = NULL;
    int delim = '\n', fd = 0;
    intmax_t nchars = -1;
    bool ignore_delim = false;
    uint64_t timeout_ns = 0;
    for (int c; (c = sh_bopt_next(sh, &o, argc, argv, "ersa:d:i:n:N:p:t:u:", READ_USAGE)) != -1;) {
        switch (c) {
        case -2: return 2;
        case 'r': raw = true; break;
        case 'e':
        case 's':
        case 'i':
        case 'p': break; /* readline, silence and prompts apply to terminals only */
        case 'a': array = o.arg; break;
        case 'd': delim = (unsigned char)o.arg[0]; break;
        case 'n':
        case 'N':
            if (!parse_count(o.arg, &nchars)) {
                sh_error(sh, "read: %s: invalid number", o.arg);
                return 1;
            }
            ignore_delim = c == 'N';
            break;
        case 't':
            if (!parse_timeout(o.arg, &timeout_ns)) {
                sh_error(sh, "read: %s: invalid timeout specification", o.arg);
                return 1;
            }
            have_timeout = true;
            break;
        case 'u': {
            intmax_t v;
            struct stat st;
            if (!parse_count(o.arg, &v) || v > INT32_MAX || sys_fstat(sh->p, (int)v, &st) < 0) {
                sh_error(sh, "read: %s: invalid file descriptor: %s", o.arg, vos_strerror(-EBADF));
                return 1;
            }
            fd = (int)v;
            break;
        }
        }
    }
    if (!have_timeout) {
        const char *tm = sh_var_get(sh, "TMOUT");
        if (tm && parse_timeout(tm, &timeout_ns) && timeout_ns) have_timeout = true;
    }
    if (array && !sh_valid_name(array)) {
        sh_error(sh, "read: `%s': not a valid identifier", array);
        return 1;
    }
    if (have_timeout && timeout_ns == 0) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        struct stat st;
        if (sys_fstat(sh->p, fd, &st) == 0 && S_ISREG(st.st_mode)) return 0;
        int n = sys_poll(sh->p, &pfd, 1, 0);
        return n > 0 && (pfd.revents & (POLLIN | POLLHUP)) ? 0 : 1;
    }
    struct rd r;
    rd_init(&r, sh, fd, have_timeout ? now_ns() + timeout_ns : 0);
    bool utf8 = sh_utf8(sh);
    size_t limit = sh->lim.string_bytes ? sh->lim.string_bytes : (64u << 20);
    struct qtext t = {0};
    qt_add(&t, 0, false);
    t.n = 0;
    bool pass_next = false, saw_delim = false, too_long = false;
    intmax_t nr = 0;
    if (nchars == 0) goto assign;
    for (;;) {
        int c = rd_getc(&r);
        if (c < 0) break;
        if (pass_next) {
            pass_next = false;
            if (c == '\n') continue;
            qt_add(&t, (char)c, true);
        } else if (c == '\\' && !raw) {
            pass_next = true;
            continue;
        } else if (!ignore_delim && c == delim) {
            saw_delim = true;
            break;
        } else if (c == 0) {
            continue; /* NUL bytes are dropped */
        } else {
            qt_add(&t, (char)c, false);
        }
        if (nchars > 0 && utf8 && c >= 0xc0) {
            /* Count a whole multibyte character as one. */
            for (int k = utf8_len(c) - 1; k > 0; k--) {
                int d = rd_getc(&r);
                if (d < 0) break;
                qt_add(&t, (char)d, false);
                if ((d & 0xc0) != 0x80) break;
            }
        }
        if (t.n > limit) {
            too_long = true;
            break;
        }
        nr++;
        if (nchars > 0 && nr >= nchars) {
            saw_delim = true;
            break;
        }
    }
    rd_sync(&r);
    if (too_long) {
        sh_error(sh, "read: input exceeds the string size limit (%zu bytes)", limit);
        qt_free(&t);
        return 1;
    }
    if (r.error && r.err != -EINTR) {
        sh_error(sh, "read: read error: %d: %s", fd, vos_strerror(r.err));
        qt_free(&t);
        return 1;
    }
assign:;
    int status = r.timed_out ? 128 + SIGALRM : (saw_delim || nchars == 0) ? 0 : 1;
    if (r.error) status = 1;
    const char *ifs = sh_ifs(sh);
    if (!ifs) ifs = " \t\n";
    if (ignore_delim) ifs = ""; /* read -N does not split */
    struct splitter sp = {t.s ? t.s : "", t.q, t.n, 0, ifs};
    if (!t.s) sp.n = 0;
    if (array) {
        struct sh_var *v = sh_var_find(sh, array);
        if (v && (v->attr & V_READONLY)) {
            sh_error(sh, "read: %s: readonly variable", array);
            qt_free(&t);
            return 1;
        }
        if (v && (v->attr & V_ASSOC)) {
            sh_error(sh, "read: %s: cannot convert associative to indexed array", array);
            qt_free(&t);
            return 1;
        }
        sh_var_unset(sh, array);
        v = sh_var_find(sh, array);
        if (!v) v = sh_var_declare(sh, array, false);
        sh_var_make_array(v);
        size_t a, b;
        intmax_t idx = 0;
        if (!*ifs) {
            if (sp.n) sh_var_set_elem(sh, array, NULL, idx, t.s, false);
        } else {
            while (next_word(&sp, &a, &b)) {
                char *w = span(&sp, a, b);
                sh_var_set_elem(sh, array, NULL, idx++, w, false);
                free(w);
            }
        }
        qt_free(&t);
        return status;
    }
    if (o.ind >= argc) {
        if (sh_var_set(sh, "REPLY", t.s ? t.s : "", false) < 0) status = 1;
        qt_free(&t);
        return status;
    }
    /* Leading IFS whitespace goes first. */
    if (*ifs) skip_ws(&sp);
    for (int i = o.ind; i < argc; i++) {
        const char *name = argv[i];
        char *val;
        if (i + 1 < argc) {
            size_t a, b;
            if (*ifs && next_word(&sp, &a, &b)) val = span(&sp, a, b);
            else if (!*ifs && sp.i < sp.n) {
                val = span(&sp, sp.i, sp.n);
                sp.i = sp.n;
            } else val = xstrdup("");
        } else {
            size_t rest = sp.i, a, b;
            if (rest >= sp.n) {
                val = xstrdup("");
            } else if (!*ifs) {
                val = span(&sp, rest, sp.n);
            } else {
                struct splitter s2 = sp;
                if (next_word(&s2, &a, &b) && s2.i >= s2.n) {
                    val = span(&sp, a, b);
                } else {
                    size_t e = sp.n;
                    while (e > rest && is_ifs_ws(&sp, e - 1)) e--;
                    val = span(&sp, rest, e);
                }
            }
            sp.i = sp.n;
        }
        if (assign_or_error(sh, name, val)) status = 1;
        free(val);
    }
    qt_free(&t);
    return status;
}

/* ---- mapfile ---------------------------------------------------------------------------- */

#define MAPFILE_USAGE                                                                              \
    "mapfile [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c "         \
    "quantum] [array]"

static char *single_quote(const char *s)
{
    size_t n = strlen(s);
    char *r = xmalloc(4 * n + 3), *o = r;
    *o++ = '\'';
    for (; *s; s++) {
        if (*s == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *s;
        }
    }
    *o++ = '\'';
    *o = 0;
    return r;
}

/* One record up to delim (kept), into *line; its length, or -1 at EOF. */
static ssize_t get_record(struct rd *r, int delim, char **line, size_t *cap, size_t limit)
{
    size_t n = 0;
    for (;;) {
        int c = rd_getc(r);
        if (c < 0) break;
        if (n + 2 > *cap) {
            *cap = *cap ? *cap * 2 : 128;
            *line = xrealloc(*line, *cap);
        }
        (*line)[n++] = (char)c;
        if (c == delim) break;
        if (n > limit) break;
    }
    if (!n) return -1;
    (*line)[n] = 0;
    return (ssize_t)n;
}

int bi_mapfile(struct sh *sh, int argc, char **argv)
{
    struct sh_bopt o = {0};
    int delim = '\n', fd = 0;
    intmax_t count = 0, origin = 0, skip = 0, quantum = 5000;
    bool chop = false, have_origin = false;
    const char *callback = NULL;
    const char *name = argv[0];
    for (int c; (c = sh_bopt_next(sh, &o, argc, argv, "d:u:n:O:tC:c:s:", MAPFILE_USAGE)) != -1;) {
        intmax_t v;
        switch (c) {
        case -2: return 2;
        case 'd': delim = (unsigned char)o.arg[0]; break;
        case 't': chop = true; break;
        case 'C': callback = o.arg; break;
        case 'u': {
            struct stat st;
            if (!parse_count(o.arg, &v) || v > INT32_MAX || sys_fstat(sh->p, (int)v, &st) < 0) {
                sh_error(sh, "%s: %s: invalid file descriptor: %s", name, o.arg, vos_strerror(-EBADF));
                return 1;
            }
            fd = (int)v;
            break;
        }
        case 'n':
            if (!parse_count(o.arg, &v)) {
                sh_error(sh, "%s: %s: invalid line count", name, o.arg);
                return 1;
            }
            count = v;
            break;
        case 'O':
            if (!parse_count(o.arg, &v)) {
                sh_error(sh, "%s: %s: invalid array origin", name, o.arg);
                return 1;
            }
            origin = v;
            have_origin = true;
            break;
        case 's':
            if (!parse_count(o.arg, &v)) {
                sh_error(sh, "%s: %s: invalid line count", name, o.arg);
                return 1;
            }
            skip = v;
            break;
        case 'c':
            if (!parse_count(o.arg, &v) || v == 0) {
                sh_error(sh, "%s: %s: invalid callback quantum", name, o.arg);
                return 1;
            }
            quantum = v;
            break;
        }
    }
    const char *array = "MAPFILE";
    if (o.ind < argc) {
        array = argv[o.ind]; /* bash ignores any further words */
    }
    if (!sh_valid_name(array)) {
        sh_error(sh, "%s: `%s': not a valid identifier", name, array);
        return 1;
    }
    struct sh_var *v = sh_var_resolve(sh, array, &array);
    if (v && (v->attr & V_READONLY)) {
        sh_error(sh, "%s: %s: readonly variable", name, array);
        return 1;
    }
    if (v && (v->attr & V_ASSOC)) {
        sh_error(sh, "%s: %s: not an indexed array", name, array);
        return 1;
    }
    if (!have_origin) {
        sh_var_unset(sh, array);
        v = NULL;
    }
    if (!v) v = sh_var_declare(sh, array, false);
    sh_var_make_array(v);
    struct rd r;
    rd_init(&r, sh, fd, 0);
    size_t limit = sh->lim.string_bytes ? sh->lim.string_bytes : (64u << 20);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    for (intmax_t i = 0; i < skip; i++)
        if (get_record(&r, delim, &line, &cap, limit) < 0) break;
    intmax_t idx = origin, stored = 0, line_count = 1;
    int status = 0;
    while ((count == 0 || stored < count) && (len = get_record(&r, delim, &line, &cap, limit)) >= 0) {
        if ((size_t)len > limit) {
            sh_error(sh, "%s: line exceeds the string size limit (%zu bytes)", name, limit);
            status = 1;
            break;
        }
        if (chop && len > 0 && (unsigned char)line[len - 1] == delim) line[--len] = 0;
        if (callback && line_count % quantum == 0) {
            rd_sync(&r);
            char *q = single_quote(line);
            char *cmd = xasprintf("%s %jd %s", callback, idx, q);
            sh_run_source(sh, cmd, strlen(cmd), sh->lineno);
            free(cmd);
            free(q);
            v = sh_var_find(sh, array);
            if (!v) v = sh_var_declare(sh, array, false);
        }
        if (sh_var_set_elem(sh, array, NULL, idx, line, false) < 0) {
            status = 1;
            break;
        }
        idx++;
        stored++;
        line_count++;
        if (proc_check(sh->p) < 0) {
            status = 1;
            break;
        }
    }
    rd_sync(&r);
    free(line);
    return status;
}
