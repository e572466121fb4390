/* mcp_tools.c — the tools of `vos mcp`: bash, read, write, edit, list, glob
 * and grep, each a function from a JSON arguments object to a
 * CallToolResult, run on the worker thread one at a time (mcp.c).
 *
 * Paths are VM paths; relative ones are resolved against the shell
 * session's cwd, which is asked of the session (`builtin pwd`) only after a
 * bash call may have changed it. Every exec a call makes carries the call's
 * cancel flag, so notifications/cancelled ends it (vos_exec_cancel); the
 * walks of list/glob/grep check the flag between entries.
 *
 * grep runs the VM's rg or grep (arguments quoted for the shell, never
 * spliced raw); when the VM has neither, a built-in search over the file API
 * with POSIX extended regular expressions prints the same format.
 */
#include "serve/mcp_impl.h"

#include <errno.h>
#include <fnmatch.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define READ_MAX_FILE (256u << 20) /* bytes of a file read or edited */
#define READ_LINES 2000            /* default lines of a read */
#define READ_LINE_MAX 2000         /* bytes of one line shown by read */
#define READ_TEXT_MAX (256u << 10) /* bytes of text a read returns */
#define LIST_MAX 1000              /* entries shown by list */
#define GLOB_MAX 1000              /* paths shown by glob */
#define WALK_MAX 200000            /* entries a walk visits */
#define GREP_MAX_CONTEXT 100

/* ---- text ------------------------------------------------------------------ */

struct sb {
    char *p;
    size_t n, cap;
    bool oom;
};

static void sb_add(struct sb *b, const char *s, size_t n)
{
    if (b->oom || !n) return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1) cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np) {
            b->oom = true;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void sb_str(struct sb *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void sb_printf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sb *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        sb_add(b, tmp, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->oom = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_add(b, big, (size_t)n);
    free(big);
}

/* Length of the UTF-8 sequence at s (at most n bytes), 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, min = 0x10000;
    else
        return 0;
    if (n < len) return 0;
    unsigned cp = c & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return len;
}

/* Append s with invalid UTF-8 replaced by U+FFFD (JSON strings need it). */
static void sb_add_utf8(struct sb *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0;
    while (i < n) {
        size_t l = utf8_len(u + i, n - i);
        if (l) {
            i += l;
            continue;
        }
        sb_add(b, s + run, i - run);
        sb_add(b, "\xef\xbf\xbd", 3);
        i++;
        run = i;
    }
    sb_add(b, s + run, n - run);
}

static bool is_utf8(const char *s, size_t n, bool allow_cut_end)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_len(u + i, n - i);
        if (!l) return allow_cut_end && n - i < 4 && u[i] >= 0xc2;
        i += l;
    }
    return true;
}

/* Back n up so that it does not end inside a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = n;
    for (int back = 0; back < 4 && k > 0; back++) {
        unsigned c = u[k - 1];
        if ((c & 0xc0) != 0x80) {
            /* A lead byte (or ASCII) at k-1: keep it only if complete. */
            size_t need = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
            return (n - (k - 1) >= need) ? n : k - 1;
        }
        k--;
    }
    return n;
}

/* ---- results ----------------------------------------------------------------- */

static json_t *result_text(bool is_error, const char *text, size_t len)
{
    struct sb b = {0};
    sb_add_utf8(&b, text, len);
    json_t *t = b.oom ? json_string("out of memory") : json_stringn(b.p ? b.p : "", b.n);
    free(b.p);
    if (!t) t = json_string("");
    return json_pack("{s:[{s:s, s:o}], s:b}", "content", "type", "text", "text", t, "isError",
                     is_error);
}

static json_t *result_sb(bool is_error, struct sb *b)
{
    json_t *r = b->oom ? result_text(true, "out of memory", 13)
                       : result_text(is_error, b->p ? b->p : "", b->n);
    free(b->p);
    b->p = NULL;
    return r;
}

static json_t *tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static json_t *tool_error(const char *fmt, ...)
{
    char msg[4400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return result_text(true, msg, strlen(msg));
}

/* ---- arguments --------------------------------------------------------------- */

/* Refuse names the schema does not have: a typo should not pass silently. */
static json_t *check_keys(json_t *args, const char *tool, const char *const *keys)
{
    const char *k;
    json_t *v;
    json_object_foreach(args, k, v)
    {
        bool ok = false;
        for (const char *const *p = keys; *p; p++) ok |= !strcmp(k, *p);
        if (ok) continue;
        struct sb b = {0};
        sb_printf(&b, "%s: unknown argument '", tool);
        sb_add_utf8(&b, k, strlen(k));
        sb_str(&b, "' (expected:");
        for (const char *const *p = keys; *p; p++) sb_printf(&b, " %s", *p);
        sb_str(&b, ")");
        return result_sb(true, &b);
    }
    return NULL;
}

/* A string argument: *out NULL when absent and optional. */
static json_t *arg_str(json_t *args, const char *tool, const char *key, bool required,
                       const char **out, size_t *len)
{
    json_t *v = json_object_get(args, key);
    *out = NULL;
    if (len) *len = 0;
    if (!v || json_is_null(v)) {
        if (required) return tool_error("%s: missing required argument '%s'", tool, key);
        return NULL;
    }
    if (!json_is_string(v)) return tool_error("%s: argument '%s' must be a string", tool, key);
    *out = json_string_value(v);
    if (len) *len = json_string_length(v);
    if (len == NULL && strlen(*out) != json_string_length(v))
        return tool_error("%s: argument '%s' must not contain NUL characters", tool, key);
    return NULL;
}

static json_t *arg_int(json_t *args, const char *tool, const char *key, long long min,
                       long long max, long long dflt, long long *out)
{
    json_t *v = json_object_get(args, key);
    *out = dflt;
    if (!v || json_is_null(v)) return NULL;
    long long n;
    if (json_is_integer(v))
        n = json_integer_value(v);
    else if (json_is_real(v) && json_real_value(v) == (double)(long long)json_real_value(v))
        n = (long long)json_real_value(v);
    else
        return tool_error("%s: argument '%s' must be an integer", tool, key);
    if (n < min || n > max)
        return tool_error("%s: argument '%s' must be between %lld and %lld (got %lld)", tool, key,
                          min, max, n);
    *out = n;
    return NULL;
}

static json_t *arg_bool(json_t *args, const char *tool, const char *key, bool *out)
{
    json_t *v = json_object_get(args, key);
    *out = false;
    if (!v || json_is_null(v)) return NULL;
    if (!json_is_boolean(v)) return tool_error("%s: argument '%s' must be a boolean", tool, key);
    *out = json_is_true(v);
    return NULL;
}

/* ---- the session ----------------------------------------------------------- */

static bool cancelled(struct call *c)
{
    return __atomic_load_n(&c->cancel, __ATOMIC_RELAXED) != 0;
}

/* Run script: in the session (its cwd first applied when it is new), or in a
 * fresh shell at cwd. */
static int run_script(struct mcp *s, struct call *c, const char *script, bool fresh,
                      const char *cwd, uint64_t timeout_ms, vos_exec_opts *o, vos_result *r)
{
    vos_exec_opts local = {0};
    if (!o) o = &local;
    o->fresh_session = fresh;
    o->cwd = fresh ? cwd : (s->session_started ? NULL : s->start_cwd);
    o->timeout_ms = timeout_ms;
    o->cancel = &c->cancel;
    int rc = vos_exec(s->vm, script, o, r);
    if (!fresh && rc != -ECANCELED) s->session_started = true;
    return rc;
}

/* The session's current directory (owned by s), or NULL when unknown. */
static const char *session_cwd(struct mcp *s, struct call *c)
{
    if (!s->cwd_dirty && s->cwd) return s->cwd;
    vos_result r;
    int rc = run_script(s, c, "builtin pwd", false, NULL, 10000, NULL, &r);
    if (rc < 0) return s->cwd ? s->cwd : s->start_cwd;
    char *line = r.out;
    size_t n = r.out_len;
    while (n && r.out[n - 1] == '\n') n--;
    if (r.status == 0 && n && line[0] == '/' && !memchr(line, '\n', n)) {
        char *cwd = strndup(line, n);
        if (cwd) {
            free(s->cwd);
            s->cwd = cwd;
            s->cwd_dirty = false;
        }
    }
    vos_result_free(&r);
    return s->cwd ? s->cwd : s->start_cwd;
}

/* A VM path from the tool's argument: malloc'd absolute path, or NULL. */
static char *resolve(struct mcp *s, struct call *c, const char *path)
{
    if (path[0] == '/') return strdup(path);
    const char *cwd = session_cwd(s, c);
    if (!cwd) cwd = "/";
    if (!*path || !strcmp(path, ".")) return strdup(cwd);
    if (path[0] == '.' && path[1] == '/') path += 2;
    size_t cl = strlen(cwd), pl = strlen(path);
    char *out = malloc(cl + pl + 2);
    if (!out) return NULL;
    memcpy(out, cwd, cl);
    size_t k = cl;
    if (!k || out[k - 1] != '/') out[k++] = '/';
    memcpy(out + k, path, pl + 1);
    return out;
}

/* The path for messages: the argument as given, made valid UTF-8 there. */
static char *join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    char *p = malloc(dl + nl + 2);
    if (!p) return NULL;
    memcpy(p, dir, dl);
    size_t k = dl;
    if (!k || p[k - 1] != '/') p[k++] = '/';
    memcpy(p + k, name, nl + 1);
    return p;
}

static void shell_quote(struct sb *b, const char *s)
{
    sb_add(b, " '", 2);
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            sb_add(b, "'\\''", 4);
        else
            sb_add(b, p, 1);
    }
    sb_add(b, "'", 1);
}

/* ---- output capture: head and tail of a stream --------------------------- */

struct cap {
    char *head, *ring;
    size_t hlen, hmax, tmax, tpos, tfill;
    uint64_t total;
};

struct caps {
    struct cap s[2]; /* stdout, stderr */
};

static bool cap_init(struct cap *c, size_t limit)
{
    memset(c, 0, sizeof *c);
    c->hmax = limit / 2;
    c->tmax = limit - c->hmax;
    c->head = malloc(c->hmax);
    c->ring = malloc(c->tmax);
    return c->head && c->ring;
}

static void cap_add(struct cap *c, const char *d, size_t n)
{
    c->total += n;
    size_t h = n < c->hmax - c->hlen ? n : c->hmax - c->hlen;
    memcpy(c->head + c->hlen, d, h);
    c->hlen += h;
    d += h;
    n -= h;
    if (!n) return;
    if (n >= c->tmax) {
        memcpy(c->ring, d + n - c->tmax, c->tmax);
        c->tpos = 0;
        c->tfill = c->tmax;
        return;
    }
    size_t first = n < c->tmax - c->tpos ? n : c->tmax - c->tpos;
    memcpy(c->ring + c->tpos, d, first);
    memcpy(c->ring, d + first, n - first);
    c->tpos = (c->tpos + n) % c->tmax;
    c->tfill = c->tfill + n > c->tmax ? c->tmax : c->tfill + n;
}

static void on_output(void *ud, int fd, const void *data, size_t len)
{
    struct caps *cs = ud;
    cap_add(&cs->s[fd == 2], data, len);
}

/* The stream's text: everything, or head + marker + tail. */
static void cap_render(struct cap *c, struct sb *b)
{
    char *tail = malloc(c->tfill + 1);
    if (!tail) {
        b->oom = true;
        return;
    }
    if (c->tfill < c->tmax) {
        memcpy(tail, c->ring, c->tfill);
    } else {
        memcpy(tail, c->ring + c->tpos, c->tmax - c->tpos);
        memcpy(tail + c->tmax - c->tpos, c->ring, c->tpos);
    }
    if (c->total <= c->hlen + c->tfill) {
        /* All of it was kept: no marker, and no cut inside a character. */
        struct sb all = {0};
        sb_add(&all, c->head, c->hlen);
        sb_add(&all, tail, c->tfill);
        sb_add_utf8(b, all.p ? all.p : "", all.n);
        b->oom |= all.oom;
        free(all.p);
    } else {
        size_t hn = utf8_cut(c->head, c->hlen), skip = 0;
        while (skip < 3 && skip < c->tfill && ((unsigned char)tail[skip] & 0xc0) == 0x80) skip++;
        sb_add_utf8(b, c->head, hn);
        if (hn && c->head[hn - 1] != '\n') sb_str(b, "\n");
        sb_printf(b,
                  "[... output truncated: %llu bytes in all, %llu omitted; showing the first %zu "
                  "and the last %zu bytes ...]\n",
                  (unsigned long long)c->total,
                  (unsigned long long)(c->total - hn - (c->tfill - skip)), hn, c->tfill - skip);
        sb_add_utf8(b, tail + skip, c->tfill - skip);
    }
    free(tail);
}

/* ---- bash ------------------------------------------------------------------ */

static json_t *tool_bash(struct mcp *s, struct call *c)
{
    static const char *const keys[] = {"command", "timeout_ms", "restart", NULL};
    const char *cmd;
    long long timeout;
    bool restart;
    json_t *e;
    if ((e = check_keys(c->args, "bash", keys)) ||
        (e = arg_str(c->args, "bash", "command", true, &cmd, NULL)) ||
        (e = arg_int(c->args, "bash", "timeout_ms", 1, 86400000LL, (long long)s->cfg.timeout_ms,
                     &timeout)) ||
        (e = arg_bool(c->args, "bash", "restart", &restart)))
        return e;
    if (s->cfg.max_timeout_ms && (uint64_t)timeout > s->cfg.max_timeout_ms)
        timeout = (long long)s->cfg.max_timeout_ms;
    if (restart) {
        vos_session_reset(s->vm);
        s->session_started = false;
        s->cwd_dirty = true;
    }
    struct caps cs;
    if (!cap_init(&cs.s[0], s->cfg.output_limit) || !cap_init(&cs.s[1], s->cfg.output_limit)) {
        for (int i = 0; i < 2; i++) free(cs.s[i].head), free(cs.s[i].ring);
        return tool_error("bash: out of memory");
    }
    vos_exec_opts o = {0};
    o.on_output = on_output;
    o.userdata = &cs;
    vos_result r;
    int rc = run_script(s, c, cmd, false, NULL, (uint64_t)timeout, &o, &r);
    s->cwd_dirty = true;
    json_t *res;
    if (rc < 0) {
        res = tool_error("bash: cannot run the command: %s", vos_strerror(rc));
    } else {
        struct sb b = {0};
        if (restart) sb_str(&b, "[the shell session was restarted]\n");
        cap_render(&cs.s[0], &b);
        if (cs.s[1].total) {
            if (b.n && b.p[b.n - 1] != '\n') sb_str(&b, "\n");
            sb_str(&b, "[stderr]\n");
            cap_render(&cs.s[1], &b);
        }
        if (r.status != 0) {
            if (b.n && b.p[b.n - 1] != '\n') sb_str(&b, "\n");
            sb_printf(&b, "[exit status %d%s]", r.status,
                      r.status == 124   ? ": timed out"
                      : r.status == 137 ? ": killed"
                                        : "");
        }
        if (!b.n) sb_str(&b, "(no output)");
        res = result_sb(r.status != 0, &b);
        vos_result_free(&r);
    }
    for (int i = 0; i < 2; i++) free(cs.s[i].head), free(cs.s[i].ring);
    return res;
}

/* ---- read ------------------------------------------------------------------ */

static json_t *file_error(const char *tool, const char *path, int err)
{
    struct sb b = {0};
    sb_printf(&b, "%s: ", tool);
    sb_add_utf8(&b, path, strlen(path));
    if (err == -ENOENT)
        sb_str(&b, ": no such file or directory");
    else if (err == -EISDIR)
        sb_printf(&b, ": is a directory (use the list tool)");
    else
        sb_printf(&b, ": %s", vos_strerror(err));
    return result_sb(true, &b);
}

/* Read a whole regular file. 0, or a tool result explaining why not. */
static json_t *load_file(struct mcp *s, const char *tool, const char *path, char **data,
                         size_t *len)
{
    struct stat st;
    int r = vos_stat(s->vm, path, &st);
    if (r == 0 && S_ISDIR(st.st_mode)) r = -EISDIR;
    if (r == 0 && (uint64_t)st.st_size > READ_MAX_FILE)
        return tool_error("%s: the file is too large (%lld bytes; the limit is %u)", tool,
                          (long long)st.st_size, READ_MAX_FILE);
    void *d = NULL;
    if (r == 0) r = vos_read_file(s->vm, path, &d, len);
    if (r < 0) return file_error(tool, path, r);
    *data = d;
    return NULL;
}

static json_t *tool_read(struct mcp *s, struct call *c)
{
    static const char *const keys[] = {"path", "offset", "limit", NULL};
    const char *arg;
    long long offset, limit;
    json_t *e;
    if ((e = check_keys(c->args, "read", keys)) ||
        (e = arg_str(c->args, "read", "path", true, &arg, NULL)) ||
        (e = arg_int(c->args, "read", "offset", 1, 1LL << 40, 1, &offset)) ||
        (e = arg_int(c->args, "read", "limit", 1, 1000000, READ_LINES, &limit)))
        return e;
    char *path = resolve(s, c, arg);
    if (!path) return tool_error("read: out of memory");
    char *data;
    size_t len;
    if ((e = load_file(s, "read", path, &data, &len))) {
        free(path);
        return e;
    }
    struct sb b = {0};
    size_t probe = len < 8192 ? len : 8192;
    if (len == 0) {
        sb_str(&b, "(the file ");
        sb_add_utf8(&b, path, strlen(path));
        sb_str(&b, " is empty)");
    } else if (memchr(data, 0, probe) || !is_utf8(data, probe, probe < len)) {
        sb_str(&b, "(");
        sb_add_utf8(&b, path, strlen(path));
        sb_printf(&b,
                  " is a binary file of %zu bytes: not shown; use bash, e.g. od -c, to "
                  "inspect it)",
                  len);
    } else {
        long long lineno = 0, shown_last = 0, total;
        size_t pos = 0;
        bool stopped = false;
        while (pos < len) {
            const char *nl = memchr(data + pos, '\n', len - pos);
            size_t ll = nl ? (size_t)(nl - (data + pos)) : len - pos;
            lineno++;
            if (lineno >= offset && lineno < offset + limit && !stopped) {
                if (b.n > READ_TEXT_MAX) {
                    stopped = true;
                } else {
                    sb_printf(&b, "%6lld\t", lineno);
                    size_t show = ll > READ_LINE_MAX ? utf8_cut(data + pos, READ_LINE_MAX) : ll;
                    sb_add_utf8(&b, data + pos, show);
                    if (show < ll) sb_printf(&b, " [... line truncated: %zu bytes]", ll);
                    sb_str(&b, "\n");
                    shown_last = lineno;
                }
            }
            pos += ll + (nl ? 1 : 0);
        }
        total = lineno;
        if (offset > total) {
            free(b.p);
            free(data);
            struct sb m = {0};
            sb_printf(&m, "read: offset %lld is past the end of ", offset);
            sb_add_utf8(&m, path, strlen(path));
            sb_printf(&m, " (%lld lines)", total);
            free(path);
            return result_sb(true, &m);
        }
        if (shown_last < total)
            sb_printf(&b, "[showing lines %lld-%lld of %lld; continue with offset=%lld]\n", offset,
                      shown_last, total, shown_last + 1);
    }
    free(data);
    free(path);
    return result_sb(false, &b);
}

/* ---- write and edit ------------------------------------------------------ */

static int make_parents(struct mcp *s, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path) return 0;
    char *dir = strndup(path, (size_t)(slash - path));
    if (!dir) return -ENOMEM;
    struct stat st;
    int r = vos_stat(s->vm, dir, &st);
    if (r == -ENOENT)
        r = vos_mkdir(s->vm, dir, 0755);
    else if (r == 0 && !S_ISDIR(st.st_mode))
        r = -ENOTDIR;
    free(dir);
    return r;
}

static json_t *tool_write(struct mcp *s, struct call *c)
{
    static const char *const keys[] = {"path", "content", NULL};
    const char *arg, *content;
    size_t clen;
    json_t *e;
    if ((e = check_keys(c->args, "write", keys)) ||
        (e = arg_str(c->args, "write", "path", true, &arg, NULL)) ||
        (e = arg_str(c->args, "write", "content", true, &content, &clen)))
        return e;
    if (!*arg) return tool_error("write: path must not be empty");
    char *path = resolve(s, c, arg);
    if (!path) return tool_error("write: out of memory");
    struct stat st;
    bool existed = vos_stat(s->vm, path, &st) == 0;
    int r = existed && S_ISDIR(st.st_mode) ? -EISDIR : make_parents(s, path);
    if (r == 0) r = vos_write_file(s->vm, path, content, clen);
    if (r < 0) {
        e = file_error("write", path, r);
        free(path);
        return e;
    }
    struct sb b = {0};
    sb_printf(&b, "%s ", existed ? "Overwrote" : "Created");
    sb_add_utf8(&b, path, strlen(path));
    sb_printf(&b, " (%zu bytes)", clen);
    free(path);
    return result_sb(false, &b);
}

static json_t *tool_edit(struct mcp *s, struct call *c)
{
    static const char *const keys[] = {"path", "old_string", "new_string", "replace_all", NULL};
    const char *arg, *old, *new;
    size_t olen, nlen;
    bool all;
    json_t *e;
    if ((e = check_keys(c->args, "edit", keys)) ||
        (e = arg_str(c->args, "edit", "path", true, &arg, NULL)) ||
        (e = arg_str(c->args, "edit", "old_string", true, &old, &olen)) ||
        (e = arg_str(c->args, "edit", "new_string", true, &new, &nlen)) ||
        (e = arg_bool(c->args, "edit", "replace_all", &all)))
        return e;
    if (!olen) return tool_error("edit: old_string must not be empty (use write to create a file)");
    if (olen == nlen && !memcmp(old, new, olen))
        return tool_error("edit: old_string and new_string are the same; nothing to change");
    char *path = resolve(s, c, arg);
    if (!path) return tool_error("edit: out of memory");
    char *data;
    size_t len;
    if ((e = load_file(s, "edit", path, &data, &len))) {
        free(path);
        return e;
    }
    size_t count = 0, first = 0;
    for (const char *p = data; (p = memmem(p, len - (size_t)(p - data), old, olen)); p += olen)
        if (!count++) first = (size_t)(p - data);
    struct sb b = {0};
    if (count == 0 || (count > 1 && !all)) {
        if (count == 0)
            sb_str(&b, "edit: old_string was not found in ");
        else
            sb_printf(&b, "edit: old_string occurs %zu times in ", count);
        sb_add_utf8(&b, path, strlen(path));
        if (count > 1)
            sb_str(&b, "; include more surrounding text to make it unique, or set replace_all");
        else
            sb_str(&b, " (it must match exactly, including whitespace and indentation)");
        free(data);
        free(path);
        return result_sb(true, &b);
    }
    struct sb out = {0};
    const char *p = data, *end = data + len;
    for (const char *m; (m = memmem(p, (size_t)(end - p), old, olen)); p = m + olen) {
        sb_add(&out, p, (size_t)(m - p));
        sb_add(&out, new, nlen);
        if (!all) {
            p = m + olen;
            break;
        }
    }
    sb_add(&out, p, (size_t)(end - p));
    int r = out.oom ? -ENOMEM : vos_write_file(s->vm, path, out.p ? out.p : "", out.n);
    free(out.p);
    long line = 1;
    for (size_t i = 0; i < first; i++) line += data[i] == '\n';
    free(data);
    if (r < 0) {
        e = file_error("edit", path, r);
        free(path);
        return e;
    }
    sb_printf(&b, "Edited ");
    sb_add_utf8(&b, path, strlen(path));
    sb_printf(&b, ": replaced %zu occurrence%s (first at line %ld)", all ? count : 1,
              (all ? count : 1) == 1 ? "" : "s", line);
    free(path);
    return result_sb(false, &b);
}

/* ---- walking the tree ---------------------------------------------------- */

struct walk {
    struct mcp *s;
    struct call *c;
    int max_depth;
    size_t visited;
    bool truncated; /* stopped at WALK_MAX, or cancelled */
    /* Called for each entry below the root; a directory is entered when it
     * returns true. */
    bool (*fn)(struct walk *w, const char *path, const char *rel, const struct stat *st, int depth);
    void *ud;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk_dir(struct walk *w, const char *dir, const char *rel, int depth)
{
    char **names;
    if (vos_list(w->s->vm, dir, &names) < 0) return;
    size_t n = 0;
    while (names[n]) n++;
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && !w->truncated; i++) {
        if (++w->visited > WALK_MAX || cancelled(w->c)) {
            w->truncated = true;
            break;
        }
        /* The kernel's own trees are not part of a search from above. */
        if (!strcmp(dir, "/") &&
            (!strcmp(names[i], "proc") || !strcmp(names[i], "dev") || !strcmp(names[i], "sys")))
            continue;
        char *path = join(dir, names[i]);
        char *r = *rel ? join(rel, names[i]) : strdup(names[i]);
        struct stat st;
        if (path && r && vos_lstat(w->s->vm, path, &st) == 0 && w->fn(w, path, r, &st, depth + 1) &&
            S_ISDIR(st.st_mode) && depth + 1 < w->max_depth)
            walk_dir(w, path, r, depth + 1);
        free(path);
        free(r);
    }
    vos_list_free(names);
}

/* ---- list ------------------------------------------------------------------ */

struct list_state {
    struct sb b;
    size_t shown, more;
};

static bool list_one(struct walk *w, const char *path, const char *rel, const struct stat *st,
                     int depth)
{
    struct list_state *ls = w->ud;
    if (ls->shown >= LIST_MAX) {
        ls->more++;
        return false;
    }
    ls->shown++;
    for (int i = 0; i < depth; i++) sb_str(&ls->b, "  ");
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    sb_add_utf8(&ls->b, base, strlen(base));
    sb_str(&ls->b, S_ISDIR(st->st_mode) ? "/" : S_ISLNK(st->st_mode) ? "@" : "");
    sb_str(&ls->b, "\n");
    return true;
}

static json_t *tool_list(struct mcp *s, struct call *c)
{
    static const char *const keys[] = {"path", "depth", NULL};
    const char *arg;
    long long depth;
    json_t *e;
    if ((e = check_keys(c->args, "list", keys)) ||
        (e = arg_str(c->args, "list", "path", false, &arg, NULL)) ||
        (e = arg_int(c->args, "list", "depth", 1, 20, 1, &depth)))
        return e;
    char *path = resolve(s, c, arg ? arg : ".");
    if (!path) return tool_error("list: out of memory");
    struct stat st;
    int r = vos_stat(s->vm, path, &st);
    if (r == 0 && !S_ISDIR(st.st_mode)) r = -ENOTDIR;
    if (r < 0) {
        e = file_error("list", path, r);
        free(path);
        return e;
    }
    struct list_state ls = {0};
    sb_add_utf8(&ls.b, path, strlen(path));
    if (ls.b.n && ls.b.p[ls.b.n - 1] != '/') sb_str(&ls.b, "/");
    sb_str(&ls.b, "\n");
    struct walk w = {s, c, (int)depth, 0, false, list_one, &ls};
    walk_dir(&w, path, "", 0);
    if (ls.shown == 0) sb_str(&ls.b, "  (empty)\n");
    if (ls.more) sb_printf(&ls.b, "[... %zu more entries not shown]\n", ls.more);
    if (w.truncated) sb_str(&ls.b, "[... listing stopped early]\n");
    free(path);
    return result_sb(false, &ls.b);
}

/* ---- glob ------------------------------------------------------------------ */

#define GLOB_ALTS 64

/* Expand the first {a,b} group of pat (recursively): into out[*n]. */
static int brace_expand(const char *pat, char **out, int *n)
{
    const char *open = NULL;
    int depth = 0;
    for (const char *p = pat; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p == '{' && !open)
            open = p, depth = 1;
        else if (*p == '{')
            depth++;
        else if (*p == '}' && open && --depth == 0) {
            /* split the body at top-level commas */
            const char *body = open + 1, *close = p;
            bool comma = false;
            int d = 0;
            for (const char *q = body; q < close; q++) {
                if (*q == '{')
                    d++;
                else if (*q == '}')
                    d--;
                else if (*q == ',' && d == 0)
                    comma = true;
            }
            if (!comma) {
                open = NULL; /* a literal {x}: look further */
                continue;
            }
            const char *start = body;
            d = 0;
            for (const char *q = body; q <= close; q++) {
                if (q < close && *q == '{')
                    d++;
                else if (q < close && *q == '}')
                    d--;
                if (q == close || (*q == ',' && d == 0)) {
                    size_t pl = (size_t)(open - pat), al = (size_t)(q - start),
                           sl = strlen(close + 1);
                    char *alt = malloc(pl + al + sl + 1);
                    if (!alt) return -ENOMEM;
                    memcpy(alt, pat, pl);
                    memcpy(alt + pl, start, al);
                    memcpy(alt + pl + al, close + 1, sl + 1);
                    int r = brace_expand(alt, out, n);
                    free(alt);
                    if (r < 0) return r;
                    start = q + 1;
                }
            }
            return 0;
        }
    }
    if (*n >= GLOB_ALTS) return -E2BIG;
    if (!(out[*n] = strdup(pat))) return -ENOMEM;
    (*n)++;
    return 0;
}

struct gpat {
    char *buf;
    char *seg[64];
    int nseg;
};

static int gpat_init(struct gpat *g, const char *pat)
{
    memset(g, 0, sizeof *g);
    if (!(g->buf = strdup(pat))) return -ENOMEM;
    int stars = 0;
    for (char *tok = strtok(g->buf, "/"); tok; tok = strtok(NULL, "/")) {
        if (!strcmp(tok, ".")) continue;
        bool dstar = !strcmp(tok, "**");
        if (dstar && g->nseg && !strcmp(g->seg[g->nseg - 1], "**")) continue;
        if (g->nseg == 64 || (dstar && ++stars > 8)) return -E2BIG;
        g->seg[g->nseg++] = tok;
    }
    return 0;
}

/* Does the pattern match the path segments (partial: could it match
 * something below them)? */
static bool seg_match(char **p, int np, char **t, int nt, bool partial)
{
    if (np == 0) return nt == 0;
    if (!strcmp(p[0], "**")) {
        for (int k = 0; k <= nt; k++)
            if (seg_match(p + 1, np - 1, t + k, nt - k, partial)) return true;
        return partial; /* ** can always go deeper */
    }
    if (nt == 0) return partial;
    if (fnmatch(p[0], t[0], 0) != 0) return false;
    return seg_match(p + 1, np - 1, t + 1, nt - 1, partial);
}

struct glob_hit {
    char *path;
    struct timespec mtime;
};

struct glob_state {
    struct gpat pats[GLOB_ALTS];
    int npats;
    struct glob_hit *hits;
    size_t nhits, cap;
    bool oom;
};

static bool rel_match(struct glob_state *gs, const char *rel, bool partial)
{
    char buf[4096], *segs[512];
    int ns = 0;
    if (strlen(rel) >= sizeof buf) return false;
    strcpy(buf, rel);
    for (char *tok = strtok(buf, "/"); tok && ns < 512; tok = strtok(NULL, "/")) segs[ns++] = tok;
    for (int i = 0; i < gs->npats; i++)
        if (seg_match(gs->pats[i].seg, gs->pats[i].nseg, segs, ns, partial)) return true;
    return false;
}

static bool glob_one(struct walk *w, const char *path, const char *rel, const struct stat *st,
                     int depth)
{
    struct glob_state *gs = w->ud;
    if (!S_ISDIR(st->st_mode) && rel_match(gs, rel, false)) {
        if (gs->nhits == gs->cap) {
            size_t cap = gs->cap ? gs->cap * 2 : 64;
            struct glob_hit *h = realloc(gs->hits, cap * sizeof *h);
            if (!h) {
                gs->oom = true;
                return false;
            }
            gs->hits = h;
            gs->cap = cap;
        }
        char *p = strdup(path);
        if (!p) {
            gs->oom = true;
            return false;
        }
        gs->hits[gs->nhits++] = (struct glob_hit){p, st->st_mtim};
    }
    return S_ISDIR(st->st_mode) && rel_match(gs, rel, true);
}

static int cmp_hit(const void *a, const void *b)
{
    const struct glob_hit *x = a, *y = b;
    if (x->mtime.tv_sec != y->mtime.tv_sec) return x->mtime.tv_sec < y->mtime.tv_sec ? 1 : -1;
    if (x->mtime.tv_nsec != y->mtime.tv_nsec) return x->mtime.tv_nsec < y->mtime.tv_nsec ? 1 : -1;
    return strcmp(x->path, y->path);
}

static bool has_meta(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strchr("*?[{\\", s[i])) return true;
    return false;
}

static json_t *tool_glob(struct mcp *s, struct call *c)
{
    static const char *const keys[] = {"pattern", "path", NULL};
    const char *pat, *arg;
    json_t *e;
    if ((e = check_keys(c->args, "glob", keys)) ||
        (e = arg_str(c->args, "glob", "pattern", true, &pat, NULL)) ||
        (e = arg_str(c->args, "glob", "path", false, &arg, NULL)))
        return e;
    if (!*pat) return tool_error("glob: pattern must not be empty");
    /* An absolute pattern starts at its longest directory prefix free of
     * wildcards; a relative one at path (default: the cwd). */
    char *base;
    const char *rest = pat;
    if (pat[0] == '/') {
        size_t cut = 0;
        for (size_t i = 1;; i++) {
            if (pat[i] != '/' && pat[i]) continue;
            if (has_meta(pat + cut, i - cut) || !pat[i]) break;
            cut = i;
        }
        base = cut ? strndup(pat, cut) : strdup("/");
        rest = pat + cut + 1;
    } else {
        base = resolve(s, c, arg ? arg : ".");
    }
    if (!base) return tool_error("glob: out of memory");
    struct stat st;
    int r = vos_stat(s->vm, base, &st);
    if (r == 0 && !S_ISDIR(st.st_mode)) r = -ENOTDIR;
    if (r < 0) {
        e = file_error("glob", base, r);
        free(base);
        return e;
    }
    struct glob_state *gs = calloc(1, sizeof *gs);
    char *alts[GLOB_ALTS];
    int nalts = 0;
    r = gs ? brace_expand(rest, alts, &nalts) : -ENOMEM;
    for (int i = 0; i < nalts; i++) {
        if (r == 0) {
            r = gpat_init(&gs->pats[i], alts[i]);
            gs->npats = i + 1;
        }
        free(alts[i]);
    }
    struct sb b = {0};
    if (r < 0) {
        sb_printf(&b, "glob: %s",
                  r == -E2BIG ? "pattern too complex (at most 64 brace alternatives, 64 "
                                "segments and 8 ** per pattern)"
                              : "out of memory");
    } else {
        struct walk w = {s, c, 256, 0, false, glob_one, gs};
        walk_dir(&w, base, "", 0);
        if (gs->oom) {
            sb_str(&b, "glob: out of memory");
            r = -ENOMEM;
        } else {
            if (gs->nhits) qsort(gs->hits, gs->nhits, sizeof *gs->hits, cmp_hit);
            for (size_t i = 0; i < gs->nhits && i < GLOB_MAX; i++) {
                sb_add_utf8(&b, gs->hits[i].path, strlen(gs->hits[i].path));
                sb_str(&b, "\n");
            }
            if (gs->nhits > GLOB_MAX)
                sb_printf(&b, "[... %zu more matches not shown; narrow the pattern]\n",
                          gs->nhits - GLOB_MAX);
            if (!gs->nhits) {
                sb_str(&b, "No files match ");
                sb_add_utf8(&b, pat, strlen(pat));
                sb_str(&b, " under ");
                sb_add_utf8(&b, base, strlen(base));
                sb_str(&b, "\n");
            }
            if (w.truncated) sb_printf(&b, "[search stopped after %d entries]\n", WALK_MAX);
        }
    }
    if (gs) {
        for (size_t i = 0; i < gs->nhits; i++) free(gs->hits[i].path);
        free(gs->hits);
        for (int i = 0; i < gs->npats; i++) free(gs->pats[i].buf);
        free(gs);
    }
    free(base);
    return result_sb(r < 0, &b);
}

/* ---- grep ------------------------------------------------------------------ */

enum { MODE_CONTENT, MODE_FILES, MODE_COUNT };

struct grep_q {
    const char *pattern, *glob;
    char *path; /* absolute */
    bool icase;
    int mode;
    long long context;
};

/* Output of a search: cut at the output limit. */
static void grep_out(struct sb *b, size_t limit, bool *cut, const char *s, size_t n)
{
    if (*cut) return;
    if (b->n + n > limit) {
        *cut = true;
        return;
    }
    sb_add_utf8(b, s, n);
}

struct native {
    struct grep_q *q;
    regex_t re;
    struct gpat globs[GLOB_ALTS];
    int nglobs;
    struct sb b;
    size_t limit, files;
    bool cut, oom;
};

static bool native_glob_ok(struct native *ns, const char *rel)
{
    if (!ns->nglobs) return true;
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    for (int i = 0; i < ns->nglobs; i++) {
        const char *pat = ns->globs[i].buf;
        /* A glob with a slash matches the path below the root, else the name. */
        if (strchr(pat, '/') ? fnmatch(pat, rel, 0) == 0 : fnmatch(pat, base, 0) == 0) return true;
    }
    return false;
}

static void native_file(struct native *ns, struct mcp *s, const char *path)
{
    char *data;
    size_t len;
    struct stat st;
    if (vos_stat(s->vm, path, &st) < 0 || !S_ISREG(st.st_mode) ||
        (uint64_t)st.st_size > READ_MAX_FILE)
        return;
    void *d;
    if (vos_read_file(s->vm, path, &d, &len) < 0) return;
    data = d;
    bool binary = memchr(data, 0, len < 8192 ? len : 8192) != NULL;
    /* Lines: starts of each. */
    size_t nlines = 0, cap = 0, *starts = NULL;
    for (size_t pos = 0; pos < len;) {
        if (nlines == cap) {
            cap = cap ? cap * 2 : 256;
            size_t *ns2 = realloc(starts, cap * sizeof *ns2);
            if (!ns2) {
                ns->oom = true;
                free(starts);
                free(data);
                return;
            }
            starts = ns2;
        }
        starts[nlines++] = pos;
        const char *nl = memchr(data + pos, '\n', len - pos);
        pos = nl ? (size_t)(nl - data) + 1 : len;
    }
    long long matches = 0, last_printed = -1;
    char *hit = calloc(nlines ? nlines : 1, 1);
    if (!hit) ns->oom = true;
    for (size_t i = 0; hit && i < nlines; i++) {
        size_t end = i + 1 < nlines ? starts[i + 1] - 1 : len;
        if (end > starts[i] && data[end - 1] == '\n') end--;
        char save = data[end];
        data[end] = 0; /* (a NUL inside a binary file's line ends it early) */
        if (regexec(&ns->re, data + starts[i], 0, NULL, 0) == 0) {
            hit[i] = 1;
            matches++;
        }
        data[end] = save;
        if (matches && ns->q->mode == MODE_FILES) break;
    }
    if (matches) {
        char line[4200];
        if (ns->q->mode == MODE_FILES) {
            grep_out(&ns->b, ns->limit, &ns->cut, path, strlen(path));
            grep_out(&ns->b, ns->limit, &ns->cut, "\n", 1);
        } else if (ns->q->mode == MODE_COUNT) {
            int n = snprintf(line, sizeof line, "%s:%lld\n", path, matches);
            grep_out(&ns->b, ns->limit, &ns->cut, line, (size_t)n < sizeof line ? (size_t)n : 0);
        } else if (binary) {
            int n = snprintf(line, sizeof line, "Binary file %s matches\n", path);
            grep_out(&ns->b, ns->limit, &ns->cut, line, (size_t)n < sizeof line ? (size_t)n : 0);
        } else {
            long long ctx = ns->q->context;
            for (long long i = 0; i < (long long)nlines; i++) {
                bool near = false;
                for (long long k = i - ctx; k <= i + ctx && !near; k++)
                    near = k >= 0 && k < (long long)nlines && hit[k];
                if (!near) continue;
                if (ctx && last_printed >= 0 && i > last_printed + 1)
                    grep_out(&ns->b, ns->limit, &ns->cut, "--\n", 3);
                if (ctx && last_printed < 0 && ns->files)
                    grep_out(&ns->b, ns->limit, &ns->cut, "--\n", 3);
                size_t end = i + 1 < (long long)nlines ? starts[i + 1] : len;
                int n = snprintf(line, sizeof line, "%s%c%lld%c", path, hit[i] ? ':' : '-', i + 1,
                                 hit[i] ? ':' : '-');
                if ((size_t)n < sizeof line) grep_out(&ns->b, ns->limit, &ns->cut, line, (size_t)n);
                grep_out(&ns->b, ns->limit, &ns->cut, data + starts[i], end - starts[i]);
                if (end == len && (len == 0 || data[len - 1] != '\n'))
                    grep_out(&ns->b, ns->limit, &ns->cut, "\n", 1);
                last_printed = i;
            }
        }
        ns->files++;
    }
    free(hit);
    free(starts);
    free(data);
}

static bool native_one(struct walk *w, const char *path, const char *rel, const struct stat *st,
                       int depth)
{
    struct native *ns = w->ud;
    if (S_ISDIR(st->st_mode)) return true;
    if (S_ISREG(st->st_mode) && native_glob_ok(ns, rel) && !ns->cut && !ns->oom)
        native_file(ns, w->s, path);
    return false;
}

static json_t *grep_native(struct mcp *s, struct call *c, struct grep_q *q)
{
    struct native *ns = calloc(1, sizeof *ns);
    if (!ns) return tool_error("grep: out of memory");
    ns->q = q;
    ns->limit = s->cfg.output_limit;
    int rc = regcomp(&ns->re, q->pattern, REG_EXTENDED | REG_NEWLINE | (q->icase ? REG_ICASE : 0));
    if (rc) {
        char msg[256];
        regerror(rc, &ns->re, msg, sizeof msg);
        free(ns);
        return tool_error("grep: invalid regular expression: %s", msg);
    }
    int r = 0;
    if (q->glob) {
        char *alts[GLOB_ALTS];
        int n = 0;
        r = brace_expand(q->glob, alts, &n);
        for (int i = 0; i < n; i++) {
            if (r == 0) {
                ns->globs[i].buf = alts[i];
                ns->nglobs = i + 1;
            } else {
                free(alts[i]);
            }
        }
    }
    json_t *res;
    struct stat st;
    int sr = r < 0 ? r : vos_stat(s->vm, q->path, &st);
    if (r < 0) {
        res = tool_error("grep: glob too complex");
    } else if (sr < 0) {
        res = file_error("grep", q->path, sr);
    } else {
        struct walk w = {s, c, 256, 0, false, native_one, ns};
        if (S_ISDIR(st.st_mode))
            walk_dir(&w, q->path, "", 0);
        else
            native_file(ns, s, q->path);
        if (ns->oom) {
            res = tool_error("grep: out of memory");
        } else {
            if (!ns->files) sb_str(&ns->b, "No matches found\n");
            if (ns->cut)
                sb_printf(&ns->b, "[... output truncated at %zu bytes; narrow the search]\n",
                          ns->limit);
            if (w.truncated) sb_printf(&ns->b, "[search stopped after %d entries]\n", WALK_MAX);
            res = result_sb(false, &ns->b);
        }
    }
    free(ns->b.p);
    regfree(&ns->re);
    for (int i = 0; i < ns->nglobs; i++) free(ns->globs[i].buf);
    free(ns);
    return res;
}

/* Which engine the VM has: probed once. */
static int grep_engine(struct mcp *s, struct call *c)
{
    if (s->grep_engine) return s->grep_engine;
    /* Tests set VOS_MCP_GREP=builtin to check the built-in search. */
    const char *force = getenv("VOS_MCP_GREP");
    if (force && !strcmp(force, "builtin")) return s->grep_engine = 3;
    vos_result r;
    int rc = run_script(s, c, "command -v rg || command -v grep", true, "/", 10000, NULL, &r);
    if (rc < 0) return 3; /* not cached: cancelled or failing, try again next time */
    s->grep_engine = 3;
    size_t n = r.out_len;
    while (n && r.out[n - 1] == '\n') n--;
    if (n >= 3 && !memcmp(r.out + n - 3, "/rg", 3))
        s->grep_engine = 1;
    else if (n >= 5 && !memcmp(r.out + n - 5, "/grep", 5))
        s->grep_engine = 2;
    vos_result_free(&r);
    return s->grep_engine;
}

static json_t *grep_vm(struct mcp *s, struct call *c, struct grep_q *q, int engine)
{
    struct sb cmd = {0};
    if (engine == 1) {
        sb_str(&cmd, "rg --no-heading --with-filename --line-number --color never");
        if (q->glob) sb_str(&cmd, " --glob"), shell_quote(&cmd, q->glob);
    } else {
        sb_str(&cmd, "grep -r -n -H -E");
        if (q->glob) {
            sb_str(&cmd, " --include");
            shell_quote(&cmd, q->glob);
        }
    }
    if (q->icase) sb_str(&cmd, " -i");
    if (q->mode == MODE_FILES) sb_str(&cmd, " -l");
    if (q->mode == MODE_COUNT) sb_str(&cmd, " -c");
    if (q->mode == MODE_CONTENT && q->context) sb_printf(&cmd, " -C %lld", q->context);
    sb_str(&cmd, " -e");
    shell_quote(&cmd, q->pattern);
    sb_str(&cmd, " --");
    shell_quote(&cmd, q->path);
    if (cmd.oom) {
        free(cmd.p);
        return tool_error("grep: out of memory");
    }
    struct caps cs;
    size_t lim = s->cfg.output_limit;
    if (!cap_init(&cs.s[0], lim * 2) || !cap_init(&cs.s[1], lim)) {
        for (int i = 0; i < 2; i++) free(cs.s[i].head), free(cs.s[i].ring);
        free(cmd.p);
        return tool_error("grep: out of memory");
    }
    vos_exec_opts o = {0};
    o.on_output = on_output;
    o.userdata = &cs;
    vos_result r;
    int rc = run_script(s, c, cmd.p, true, "/", s->cfg.timeout_ms, &o, &r);
    free(cmd.p);
    json_t *res;
    if (rc < 0) {
        res = tool_error("grep: cannot run the search: %s", vos_strerror(rc));
    } else {
        struct sb out = {0}, b = {0};
        cap_render(&cs.s[0], &out);
        bool cut = false;
        /* grep -c lists files without matches too ("path:0"): drop them. */
        for (size_t pos = 0; out.p && pos < out.n;) {
            char *nl = memchr(out.p + pos, '\n', out.n - pos);
            size_t ll = nl ? (size_t)(nl - (out.p + pos)) + 1 : out.n - pos;
            bool zero = q->mode == MODE_COUNT && ll >= 3 &&
                        !memcmp(out.p + pos + ll - (nl ? 3 : 2), ":0", 2);
            if (!zero) grep_out(&b, lim, &cut, out.p + pos, ll);
            pos += ll;
        }
        free(out.p);
        bool err = r.status > 1 && !b.n;
        if (!b.n && r.status <= 1) sb_str(&b, "No matches found\n");
        if (cut) sb_printf(&b, "[... output truncated at %zu bytes; narrow the search]\n", lim);
        if (r.status > 1 && cs.s[1].total) {
            sb_str(&b, "[stderr]\n");
            cap_render(&cs.s[1], &b);
        }
        res = result_sb(err, &b);
        vos_result_free(&r);
    }
    for (int i = 0; i < 2; i++) free(cs.s[i].head), free(cs.s[i].ring);
    return res;
}

static json_t *tool_grep(struct mcp *s, struct call *c)
{
    static const char *const keys[] = {
        "pattern", "path", "glob", "case_insensitive", "output_mode", "context", NULL,
    };
    const char *arg, *mode;
    struct grep_q q = {0};
    json_t *e;
    if ((e = check_keys(c->args, "grep", keys)) ||
        (e = arg_str(c->args, "grep", "pattern", true, &q.pattern, NULL)) ||
        (e = arg_str(c->args, "grep", "path", false, &arg, NULL)) ||
        (e = arg_str(c->args, "grep", "glob", false, &q.glob, NULL)) ||
        (e = arg_bool(c->args, "grep", "case_insensitive", &q.icase)) ||
        (e = arg_str(c->args, "grep", "output_mode", false, &mode, NULL)) ||
        (e = arg_int(c->args, "grep", "context", 0, GREP_MAX_CONTEXT, 0, &q.context)))
        return e;
    if (!mode || !strcmp(mode, "files_with_matches"))
        q.mode = MODE_FILES;
    else if (!strcmp(mode, "content"))
        q.mode = MODE_CONTENT;
    else if (!strcmp(mode, "count"))
        q.mode = MODE_COUNT;
    else
        return tool_error("grep: output_mode must be content, files_with_matches or count");
    if (q.glob && !*q.glob) q.glob = NULL;
    if (!(q.path = resolve(s, c, arg ? arg : "."))) return tool_error("grep: out of memory");
    int engine = grep_engine(s, c);
    e = engine == 3 ? grep_native(s, c, &q) : grep_vm(s, c, &q, engine);
    free(q.path);
    return e;
}

/* ---- the table -------------------------------------------------------------- */

struct tool {
    const char *name, *title;
    json_t *(*run)(struct mcp *s, struct call *c);
    bool read_only, destructive, idempotent;
    const char *description;
    const char *schema; /* JSON */
};

static const struct tool tools[] = {
    {"bash", "Run a bash command", tool_bash, false, true, false,
     "Run a bash script in the VM's persistent shell session: the working directory, "
     "variables, functions and aliases persist from one call to the next, as in a terminal. "
     "Returns stdout, then stderr after a [stderr] line, then [exit status N] when it is not "
     "0; each stream is cut in the middle, keeping its head and tail, beyond the server's "
     "output limit. There is no terminal and no stdin. The VM is isolated: nothing reaches "
     "the host except the directories mounted into it.",
     "{\"type\":\"object\",\"properties\":{"
     "\"command\":{\"type\":\"string\",\"description\":\"The bash script to run.\"},"
     "\"timeout_ms\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":86400000,"
     "\"description\":\"Time limit in milliseconds (default: the server's, 120000 unless "
     "--timeout says otherwise). On timeout the command is killed and the exit status is "
     "124.\"},"
     "\"restart\":{\"type\":\"boolean\",\"description\":\"Start a fresh shell session (new "
     "variables, functions and cwd) before running the command.\"}},"
     "\"required\":[\"command\"],\"additionalProperties\":false}"},
    {"read", "Read a file", tool_read, true, false, true,
     "Read a text file of the VM, with line numbers as cat -n prints them. Pages by lines: "
     "offset is the first line (1-based), limit the number of lines (default 2000); a note at "
     "the end says how to read on. Binary files are reported, not dumped.",
     "{\"type\":\"object\",\"properties\":{"
     "\"path\":{\"type\":\"string\",\"description\":\"Path of the file in the VM (relative "
     "paths start at the shell's cwd).\"},"
     "\"offset\":{\"type\":\"integer\",\"minimum\":1,\"description\":\"First line to show "
     "(1-based; default 1).\"},"
     "\"limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000000,\"description\":"
     "\"Number of lines to show (default 2000).\"}},"
     "\"required\":[\"path\"],\"additionalProperties\":false}"},
    {"write", "Write a file", tool_write, false, true, true,
     "Write content to a file of the VM, replacing what it held; missing parent directories "
     "are created.",
     "{\"type\":\"object\",\"properties\":{"
     "\"path\":{\"type\":\"string\",\"description\":\"Path of the file in the VM (relative "
     "paths start at the shell's cwd).\"},"
     "\"content\":{\"type\":\"string\",\"description\":\"The whole new content of the "
     "file.\"}},"
     "\"required\":[\"path\",\"content\"],\"additionalProperties\":false}"},
    {"edit", "Edit a file", tool_edit, false, true, false,
     "Replace an exact piece of text in a file of the VM. old_string must occur exactly once "
     "(or set replace_all to replace every occurrence); it must match byte for byte, "
     "whitespace and indentation included. Fails without changing the file otherwise.",
     "{\"type\":\"object\",\"properties\":{"
     "\"path\":{\"type\":\"string\",\"description\":\"Path of the file in the VM.\"},"
     "\"old_string\":{\"type\":\"string\",\"description\":\"The exact text to replace.\"},"
     "\"new_string\":{\"type\":\"string\",\"description\":\"The text to put in its "
     "place.\"},"
     "\"replace_all\":{\"type\":\"boolean\",\"description\":\"Replace every occurrence "
     "instead of requiring exactly one (default false).\"}},"
     "\"required\":[\"path\",\"old_string\",\"new_string\"],\"additionalProperties\":false}"},
    {"list", "List a directory", tool_list, true, false, true,
     "List a directory of the VM as an indented tree, names sorted; directories end in /, "
     "symbolic links in @.",
     "{\"type\":\"object\",\"properties\":{"
     "\"path\":{\"type\":\"string\",\"description\":\"Directory to list (default: the "
     "shell's cwd).\"},"
     "\"depth\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":20,\"description\":\"Levels "
     "to descend (default 1: the directory's own entries).\"}},"
     "\"additionalProperties\":false}"},
    {"glob", "Find files by name", tool_glob, true, false, true,
     "Find files of the VM whose paths match a glob pattern: * and ? within a name, ** for "
     "any number of directories, [abc] classes and {a,b} alternatives (e.g. src/**/*.{c,h}). "
     "Returns absolute paths, most recently modified first.",
     "{\"type\":\"object\",\"properties\":{"
     "\"pattern\":{\"type\":\"string\",\"description\":\"The glob, relative to path (or "
     "absolute).\"},"
     "\"path\":{\"type\":\"string\",\"description\":\"Directory to search from (default: the "
     "shell's cwd).\"}},"
     "\"required\":[\"pattern\"],\"additionalProperties\":false}"},
    {"grep", "Search file contents", tool_grep, true, false, true,
     "Search the contents of files of the VM for a regular expression (extended syntax), "
     "with the VM's rg or grep. output_mode: files_with_matches (default) lists matching "
     "files, content prints matching lines as path:line:text (with context lines around "
     "them), count prints path:count.",
     "{\"type\":\"object\",\"properties\":{"
     "\"pattern\":{\"type\":\"string\",\"description\":\"The regular expression.\"},"
     "\"path\":{\"type\":\"string\",\"description\":\"File or directory to search (default: "
     "the shell's cwd).\"},"
     "\"glob\":{\"type\":\"string\",\"description\":\"Only search files whose names match "
     "this glob, e.g. *.py or *.{ts,tsx}.\"},"
     "\"case_insensitive\":{\"type\":\"boolean\",\"description\":\"Ignore case (default "
     "false).\"},"
     "\"output_mode\":{\"type\":\"string\",\"enum\":[\"content\",\"files_with_matches\","
     "\"count\"],\"description\":\"What to print (default files_with_matches).\"},"
     "\"context\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":100,\"description\":"
     "\"Lines of context around each match in content mode (default 0).\"}},"
     "\"required\":[\"pattern\"],\"additionalProperties\":false}"},
};

#define NTOOLS (sizeof tools / sizeof tools[0])

bool mcp_tool_known(const char *name)
{
    for (size_t i = 0; i < NTOOLS; i++)
        if (!strcmp(tools[i].name, name)) return true;
    return false;
}

json_t *mcp_tool_list(struct mcp *s)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < NTOOLS; i++) {
        const struct tool *t = &tools[i];
        json_t *schema = json_loads(t->schema, 0, NULL);
        json_t *ann = json_pack("{s:s, s:b, s:b, s:b, s:b}", "title", t->title, "readOnlyHint",
                                t->read_only, "destructiveHint", t->destructive, "idempotentHint",
                                t->idempotent, "openWorldHint", 0);
        json_t *tool = json_pack("{s:s, s:s, s:o, s:o}", "name", t->name, "description",
                                 t->description, "inputSchema", schema, "annotations", ann);
        if (tool && strcmp(s->version, "2025-06-18") >= 0)
            json_object_set_new(tool, "title", json_string(t->title));
        json_array_append_new(list, tool);
    }
    return list;
}

json_t *mcp_run_tool(struct mcp *s, struct call *c)
{
    for (size_t i = 0; i < NTOOLS; i++)
        if (!strcmp(tools[i].name, c->tool)) {
            json_t *r = tools[i].run(s, c);
            return r ? r : tool_error("%s: out of memory", c->tool);
        }
    return tool_error("unknown tool: %s", c->tool);
}
