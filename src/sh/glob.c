/* sh/glob.c — pathname expansion: split the pattern at '/', then walk the
 * VM's directories component by component. A component without glob
 * characters is taken literally (after removing its backslashes); a magic
 * one is matched against the names sys_getdents returns; "**" under
 * globstar matches zero or more real (not symlinked) directories. All
 * matches are collected, sorted and deduplicated at the end, as bash sorts
 * the whole list.
 */
#include "sh/glob.h"
#include "kernel/kernel.h"
#include "sh/pattern.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct gctx {
    struct proc *p;
    int flags, patflags;
    char **comps; /* pattern components */
    int ncomps;
    bool trailing; /* the pattern ended in '/': directories only, shown with '/' */
    char **res;
    size_t n, cap, max;
    int err;
};

static char *join(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *r = malloc(la + lb + lc + 1);
    if (!r) return NULL;
    memcpy(r, a, la);
    memcpy(r + la, b, lb);
    memcpy(r + la + lb, c, lc + 1);
    return r;
}

/* Is path a directory (following symlinks)? */
static bool is_dir(struct gctx *g, const char *path)
{
    struct stat st;
    return sys_stat(g->p, path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Add a copy of path. */
static void add(struct gctx *g, const char *path)
{
    if (g->err) return;
    if (g->n >= g->max) {
        g->err = SH_GLOB_TOO_MANY;
        return;
    }
    if (g->n + 1 >= g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 16;
        char **r = realloc(g->res, cap * sizeof *r);
        if (!r) {
            g->err = -ENOMEM;
            return;
        }
        g->res = r, g->cap = cap;
    }
    char *c = strdup(path);
    if (!c) {
        g->err = -ENOMEM;
        return;
    }
    g->res[g->n++] = c;
}

/* The entries of directory prefix ("" is "."), minus . and ..; NULL when it
 * cannot be read. types[i] is the d_type. */
static char **read_dir(struct gctx *g, const char *prefix, unsigned char **types, size_t *count)
{
    *count = 0;
    *types = NULL;
    int fd = sys_open(g->p, *prefix ? prefix : ".", O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) {
        if (fd == -EINTR) g->err = -EINTR;
        return NULL;
    }
    char **names = NULL;
    unsigned char *ty = NULL;
    size_t n = 0, cap = 0;
    struct vfs_dirent ents[32];
    for (;;) {
        int rc = proc_check(g->p);
        if (rc < 0) {
            g->err = rc;
            break;
        }
        int k = sys_getdents(g->p, fd, ents, 32);
        if (k <= 0) {
            if (k == -EINTR) g->err = -EINTR;
            break;
        }
        for (int i = 0; i < k; i++) {
            const char *nm = ents[i].name;
            if (!strcmp(nm, ".") || !strcmp(nm, "..")) continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 32;
                char **nn = realloc(names, cap * sizeof *nn);
                unsigned char *nt = nn ? realloc(ty, cap) : NULL;
                if (nn) names = nn;
                if (!nn || !nt) {
                    g->err = -ENOMEM;
                    goto out;
                }
                ty = nt;
            }
            if (!(names[n] = strdup(nm))) {
                g->err = -ENOMEM;
                goto out;
            }
            ty[n++] = ents[i].type;
        }
    }
out:
    sys_close(g->p, fd);
    *count = n;
    *types = ty;
    if (!names) names = calloc(1, sizeof *names);
    return names;
}

static void free_names(char **names, unsigned char *types, size_t n)
{
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    free(types);
}

/* A real directory (not a symlink to one)? */
static bool real_dir(struct gctx *g, const char *path, unsigned char type)
{
    if (type == DT_DIR) return true;
    if (type != DT_UNKNOWN) return false;
    struct stat st;
    return sys_lstat(g->p, path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool hidden_skip(struct gctx *g, const char *name)
{
    return name[0] == '.' && !(g->flags & SH_GLOB_DOTGLOB);
}

static void walk(struct gctx *g, const char *prefix, int ci);

/* Trailing "**": everything below prefix (directories only with '/' when
 * the pattern ended in '/'), descending into real directories only. */
static void star_all(struct gctx *g, const char *prefix)
{
    size_t n;
    unsigned char *ty;
    char **names = read_dir(g, prefix, &ty, &n);
    if (!names) return;
    for (size_t i = 0; i < n && !g->err; i++) {
        if (hidden_skip(g, names[i])) continue;
        char *path = join(prefix, names[i], "");
        if (!path) {
            g->err = -ENOMEM;
            break;
        }
        bool real = real_dir(g, path, ty[i]);
        if (!g->trailing)
            add(g, path);
        else if (real || ((ty[i] == DT_LNK || ty[i] == DT_UNKNOWN) && is_dir(g, path))) {
            char *d = join(path, "/", "");
            if (d)
                add(g, d);
            else
                g->err = -ENOMEM;
            free(d);
        }
        if (real) {
            char *sub = join(path, "/", "");
            if (sub)
                star_all(g, sub);
            else
                g->err = -ENOMEM;
            free(sub);
        }
        free(path);
    }
    free_names(names, ty, n);
}

/* "**" followed by more components: zero or more real directories. */
static void star_dirs(struct gctx *g, const char *prefix, int ci)
{
    walk(g, prefix, ci + 1);
    size_t n;
    unsigned char *ty;
    char **names = read_dir(g, prefix, &ty, &n);
    if (!names) return;
    for (size_t i = 0; i < n && !g->err; i++) {
        if (hidden_skip(g, names[i])) continue;
        char *path = join(prefix, names[i], "");
        if (!path) {
            g->err = -ENOMEM;
            break;
        }
        if (real_dir(g, path, ty[i])) {
            char *sub = join(path, "/", "");
            if (sub)
                star_dirs(g, sub, ci);
            else
                g->err = -ENOMEM;
            free(sub);
        }
        free(path);
    }
    free_names(names, ty, n);
}

/* Match components ci.. below prefix ("" or ending in '/'). */
static void walk(struct gctx *g, const char *prefix, int ci)
{
    if (g->err) return;
    int rc = proc_check(g->p);
    if (rc < 0) {
        g->err = rc;
        return;
    }
    if (ci == g->ncomps) { /* only after a trailing '/' */
        if (*prefix && is_dir(g, prefix)) add(g, prefix);
        return;
    }
    const char *comp = g->comps[ci];
    bool last = ci == g->ncomps - 1;
    if ((g->flags & SH_GLOB_GLOBSTAR) && !strcmp(comp, "**")) {
        if (last) {
            if (*prefix) add(g, prefix);
            star_all(g, prefix);
        } else {
            star_dirs(g, prefix, ci);
        }
        return;
    }
    if (!sh_pat_has_magic(comp, g->patflags)) {
        char *name = sh_pat_unescape(comp);
        char *path = name ? join(prefix, name, "") : NULL;
        free(name);
        if (!path) {
            g->err = -ENOMEM;
            return;
        }
        if (last && !g->trailing) {
            struct stat st;
            if (sys_lstat(g->p, path, &st) == 0) add(g, path);
        } else {
            char *sub = join(path, "/", "");
            if (sub)
                walk(g, sub, ci + 1);
            else
                g->err = -ENOMEM;
            free(sub);
        }
        free(path);
        return;
    }
    struct sh_pat *pat;
    rc = sh_pat_compile(comp, g->patflags, &pat);
    if (rc < 0) {
        g->err = rc;
        return;
    }
    size_t n;
    unsigned char *ty;
    char **names = read_dir(g, prefix, &ty, &n);
    for (size_t i = 0; names && i < n && !g->err; i++) {
        rc = sh_pat_exec(pat, names[i], strlen(names[i]));
        if (rc < 0) g->err = rc;
        if (rc <= 0) continue;
        char *path = join(prefix, names[i], "");
        if (!path) {
            g->err = -ENOMEM;
            break;
        }
        if (last && !g->trailing) {
            add(g, path);
        } else if (ty[i] == DT_DIR ||
                   ((ty[i] == DT_LNK || ty[i] == DT_UNKNOWN) && is_dir(g, path))) {
            char *sub = join(path, "/", "");
            if (sub)
                walk(g, sub, ci + 1);
            else
                g->err = -ENOMEM;
            free(sub);
        }
        free(path);
    }
    if (names) free_names(names, ty, n);
    sh_pat_free(pat);
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int sh_glob(struct proc *p, const char *pattern, int flags, char ***out, size_t *count,
            size_t max_results)
{
    *out = NULL;
    *count = 0;
    struct gctx g = {0};
    g.p = p;
    g.flags = flags;
    g.max = max_results;
    g.patflags = SH_PAT_PATHNAME | (flags & SH_GLOB_DOTGLOB ? 0 : SH_PAT_PERIOD) |
                 (flags & SH_GLOB_EXTGLOB ? SH_PAT_EXTGLOB : 0) |
                 (flags & SH_GLOB_NOCASE ? SH_PAT_NOCASE : 0);
    char *copy = strdup(pattern);
    size_t len = strlen(pattern);
    g.comps = calloc(len / 2 + 2, sizeof *g.comps);
    if (!copy || !g.comps) {
        free(copy);
        free(g.comps);
        return -ENOMEM;
    }
    const char *prefix = "";
    char *s = copy;
    if (*s == '/') {
        prefix = "/";
        s++;
    }
    for (;;) { /* split at '/': a '/' inside [..] still splits, as in bash */
        char *sl = strchr(s, '/');
        if (!sl) {
            if (*s || g.ncomps == 0)
                g.comps[g.ncomps++] = s;
            else
                g.trailing = true;
            break;
        }
        *sl = 0;
        g.comps[g.ncomps++] = s;
        s = sl + 1;
        if (!*s) {
            g.trailing = true;
            break;
        }
    }
    if (!*prefix || g.ncomps) walk(&g, prefix, 0);
    free(copy);
    free(g.comps);
    if (g.err) {
        for (size_t i = 0; i < g.n; i++) free(g.res[i]);
        free(g.res);
        return g.err;
    }
    if (!g.n) {
        free(g.res);
        return 0;
    }
    qsort(g.res, g.n, sizeof *g.res, cmp);
    size_t k = 0;
    for (size_t i = 0; i < g.n; i++) {
        if (k && !strcmp(g.res[k - 1], g.res[i]))
            free(g.res[i]);
        else
            g.res[k++] = g.res[i];
    }
    g.res[k] = NULL;
    for (size_t i = 0; (flags & SH_GLOB_MARK) && i < k; i++) { /* after sorting, as bash */
        size_t l = strlen(g.res[i]);
        if (l && g.res[i][l - 1] != '/' && is_dir(&g, g.res[i])) {
            char *m = join(g.res[i], "/", "");
            if (!m) {
                sh_glob_free(g.res);
                return -ENOMEM;
            }
            free(g.res[i]);
            g.res[i] = m;
        }
    }
    *out = g.res;
    *count = k;
    return 0;
}

void sh_glob_free(char **v)
{
    if (!v) return;
    for (char **p = v; *p; p++) free(*p);
    free(v);
}
