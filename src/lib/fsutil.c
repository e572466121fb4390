/* fsutil.c — users and groups, canonical names and the fts-like tree
 * walker shared by the file commands; see fsutil.h. */
#include "lib/fsutil.h"

#include "kernel/kernel.h"
#include "lib/io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- users and groups ------------------------------------------------------ */

/* Call fn on each line of a colon-separated file until it returns true. */
static bool scan_db(struct proc *p, const char *file, bool (*fn)(char **f, int nf, void *ctx),
                    void *ctx)
{
    int fd = sys_open(p, file, O_RDONLY, 0);
    if (fd < 0) return false;
    struct ibuf in;
    ibuf_init(&in, p, fd);
    char *line;
    ssize_t n;
    bool found = false;
    char copy[1024];
    while (!found && (n = ibuf_getline(&in, &line)) > 0) {
        if (line[n - 1] == '\n') n--;
        if ((size_t)n >= sizeof copy) continue;
        memcpy(copy, line, (size_t)n);
        copy[n] = 0;
        line = copy;
        char *f[8];
        int nf = 0;
        char *s = line;
        for (;;) {
            f[nf++] = s;
            char *c = strchr(s, ':');
            if (!c || nf == 8) break;
            *c = 0;
            s = c + 1;
        }
        found = fn(f, nf, ctx);
    }
    ibuf_free(&in);
    sys_close(p, fd);
    return found;
}

struct id_query {
    const char *name; /* by name, or */
    long id;          /* by id */
    long out_id, out_gid;
    char *buf;
    size_t n;
};

static bool parse_id(const char *s, long *v)
{
    if (!*s) return false;
    char *e;
    long x = strtol(s, &e, 10);
    if (*e || x < 0) return false;
    *v = x;
    return true;
}

static bool match_name(char **f, int nf, void *ctx)
{
    struct id_query *q = ctx;
    if (nf < 4 || strcmp(f[0], q->name)) return false;
    if (!parse_id(f[2], &q->out_id)) return false;
    if (!parse_id(f[3], &q->out_gid)) q->out_gid = -1;
    return true;
}

static bool match_id(char **f, int nf, void *ctx)
{
    struct id_query *q = ctx;
    long id;
    if (nf < 3 || !parse_id(f[2], &id) || id != q->id) return false;
    snprintf(q->buf, q->n, "%s", f[0]);
    return true;
}

int fs_user_by_name(struct proc *p, const char *name, uid_t *uid, gid_t *gid)
{
    struct id_query q = {.name = name};
    if (!scan_db(p, "/etc/passwd", match_name, &q)) return -ENOENT;
    *uid = (uid_t)q.out_id;
    if (gid) *gid = (gid_t)q.out_gid;
    return 0;
}

int fs_group_by_name(struct proc *p, const char *name, gid_t *gid)
{
    struct id_query q = {.name = name};
    if (!scan_db(p, "/etc/group", match_name, &q)) return -ENOENT;
    *gid = (gid_t)q.out_id;
    return 0;
}

bool fs_user_name(struct proc *p, uid_t uid, char *buf, size_t n)
{
    struct id_query q = {.id = (long)uid, .buf = buf, .n = n};
    if (scan_db(p, "/etc/passwd", match_id, &q)) return true;
    snprintf(buf, n, "%lu", (unsigned long)uid);
    return false;
}

bool fs_group_name(struct proc *p, gid_t gid, char *buf, size_t n)
{
    struct id_query q = {.id = (long)gid, .buf = buf, .n = n};
    if (scan_db(p, "/etc/group", match_id, &q)) return true;
    snprintf(buf, n, "%lu", (unsigned long)gid);
    return false;
}

/* ---- paths ----------------------------------------------------------------- */

const char *fs_last_component(const char *name)
{
    const char *base = name;
    bool saw_slash = false;
    while (*name == '/') name++;
    base = name;
    for (const char *s = name; *s; s++) {
        if (*s == '/')
            saw_slash = true;
        else if (saw_slash) {
            base = s;
            saw_slash = false;
        }
    }
    return base;
}

char *fs_join(struct proc *p, const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    bool slash = dl > 0 && dir[dl - 1] != '/';
    char *s = p_malloc(p, dl + slash + nl + 1);
    if (!s) return NULL;
    memcpy(s, dir, dl);
    if (slash) s[dl] = '/';
    memcpy(s + dl + slash, name, nl + 1);
    return s;
}

bool fs_dot_or_dotdot(const char *name)
{
    if (name[0] != '.') return false;
    size_t i = name[1] == '.' ? 2 : 1;
    while (name[i] == '/') i++;
    return name[i] == 0;
}

/* ---- canonicalize ---------------------------------------------------------- */

char *fs_canonicalize(struct proc *p, const char *name, int mode, int *err)
{
    int can = mode & CAN_MODE_MASK;
    bool nolinks = mode & CAN_NOLINKS;
    if (!*name) {
        *err = -ENOENT;
        return NULL;
    }
    /* dest: the resolved prefix; rest: what is still to walk. */
    size_t cap = VFS_PATH_MAX * 2;
    char *dest = p_malloc(p, cap), *rest = p_malloc(p, cap), *link = p_malloc(p, VFS_PATH_MAX + 1);
    char *tmp = p_malloc(p, cap);
    if (!dest || !rest || !link || !tmp) {
        *err = -ENOMEM;
        goto fail;
    }
    size_t dl;
    if (name[0] == '/') {
        dest[0] = '/', dest[1] = 0, dl = 1;
    } else {
        int r = sys_getcwd(p, dest, cap);
        if (r < 0) {
            *err = r;
            goto fail;
        }
        dl = strlen(dest);
    }
    if (strlen(name) >= cap) {
        *err = -ENAMETOOLONG;
        goto fail;
    }
    strcpy(rest, name);
    int hops = 0;
    char *s = rest;
    while (*s) {
        while (*s == '/') s++;
        if (!*s) break;
        char *e = s;
        while (*e && *e != '/') e++;
        size_t cl = (size_t)(e - s);
        if (cl == 1 && s[0] == '.') {
            s = e;
            continue;
        }
        if (cl == 2 && s[0] == '.' && s[1] == '.') {
            if (dl > 1) {
                while (dl > 1 && dest[dl - 1] != '/') dl--;
                if (dl > 1) dl--;
                dest[dl] = 0;
            }
            s = e;
            continue;
        }
        if (dl + 1 + cl + 1 > cap) {
            *err = -ENAMETOOLONG;
            goto fail;
        }
        size_t save_dl = dl;
        if (dest[dl - 1] != '/') dest[dl++] = '/';
        memcpy(dest + dl, s, cl);
        dl += cl;
        dest[dl] = 0;
        bool last = true;
        for (char *t = e; *t; t++)
            if (*t != '/') {
                last = false;
                break;
            }
        struct stat st;
        /* without link resolution, a link counts as what it points at */
        int r = nolinks ? sys_stat(p, dest, &st) : sys_lstat(p, dest, &st);
        if (r < 0 && nolinks && sys_lstat(p, dest, &st) == 0) r = 0;
        if (r < 0) {
            if (can == CAN_MISSING || (can == CAN_ALL_BUT_LAST && last && r == -ENOENT)) {
                s = e;
                continue;
            }
            *err = r;
            goto fail;
        }
        if (S_ISLNK(st.st_mode) && !nolinks) {
            if (++hops > VFS_SYMLOOP_MAX) {
                if (can == CAN_MISSING) {
                    s = e;
                    continue;
                }
                *err = -ELOOP;
                goto fail;
            }
            ssize_t n = sys_readlink(p, dest, link, VFS_PATH_MAX);
            if (n < 0) {
                *err = (int)n;
                goto fail;
            }
            link[n] = 0;
            size_t rl = strlen(e);
            if ((size_t)n + rl + 1 > cap) {
                *err = -ENAMETOOLONG;
                goto fail;
            }
            memcpy(tmp, link, (size_t)n);
            memcpy(tmp + n, e, rl + 1);
            memcpy(rest, tmp, (size_t)n + rl + 1);
            s = rest;
            if (link[0] == '/') {
                dest[0] = '/', dest[1] = 0, dl = 1;
            } else {
                dl = save_dl;
                dest[dl] = 0;
            }
            continue;
        }
        if (!S_ISDIR(st.st_mode) && !last && can != CAN_MISSING) {
            *err = -ENOTDIR;
            goto fail;
        }
        s = e;
    }
    p_free(p, rest);
    p_free(p, link);
    p_free(p, tmp);
    return dest;
fail:
    p_free(p, dest);
    p_free(p, rest);
    p_free(p, link);
    p_free(p, tmp);
    return NULL;
}

/* ---- the walker ------------------------------------------------------------ */

struct fw_frame {
    struct fw_ent *dir; /* the directory being listed */
    char **names;
    size_t n, i;
};

struct fwalk {
    struct proc *p;
    int flags;
    char *const *roots;
    size_t root_i;
    struct fw_frame *stack;
    size_t depth, cap;
    struct fw_ent *cur;  /* last returned */
    bool cur_skip;       /* fwalk_skip on cur */
    bool cur_pending;    /* cur is an FW_D not yet descended */
    struct fw_ent *last_root;
    dev_t root_dev;
};

struct fwalk *fwalk_open(struct proc *p, char *const *roots, int flags)
{
    struct fwalk *w = p_calloc(p, 1, sizeof *w);
    if (!w) return NULL;
    w->p = p;
    w->flags = flags;
    w->roots = roots;
    return w;
}

static void ent_free(struct fwalk *w, struct fw_ent *e)
{
    if (!e) return;
    p_free(w->p, e->path);
    p_free(w->p, e);
}

static struct fw_ent *ent_new(struct fwalk *w, struct fw_ent *parent, const char *dir,
                              const char *name, int level)
{
    struct fw_ent *e = p_calloc(w->p, 1, sizeof *e);
    if (!e) return NULL;
    if (dir) {
        size_t dl = strlen(dir), nl = strlen(name);
        size_t keep = dl > 0 && dir[dl - 1] == '/' ? dl - 1 : dl;
        e->path = p_malloc(w->p, keep + 1 + nl + 1);
        if (e->path) {
            memcpy(e->path, dir, keep);
            e->path[keep] = '/';
            memcpy(e->path + keep + 1, name, nl + 1);
            e->name = e->path + keep + 1;
        }
    } else {
        e->path = p_strdup(w->p, name);
        if (e->path) e->name = e->path;
    }
    if (!e->path) {
        p_free(w->p, e);
        return NULL;
    }
    e->level = level;
    e->parent = parent;
    return e;
}

static void classify(struct fwalk *w, struct fw_ent *e, bool follow)
{
    struct proc *p = w->p;
    int r;
    if (follow) {
        r = sys_stat(p, e->path, &e->st);
        if (r < 0) {
            int r2 = sys_lstat(p, e->path, &e->st);
            if (r2 == 0 && S_ISLNK(e->st.st_mode)) {
                e->info = FW_SLNONE;
                return;
            }
        }
    } else {
        r = sys_lstat(p, e->path, &e->st);
    }
    if (r < 0) {
        e->info = FW_NS;
        e->err = -r;
        memset(&e->st, 0, sizeof e->st);
        return;
    }
    if (S_ISDIR(e->st.st_mode)) {
        e->info = FW_D;
        /* a cycle: the same directory as an ancestor */
        for (struct fw_ent *a = e->parent; a; a = a->parent)
            if (a->st.st_ino == e->st.st_ino && a->st.st_dev == e->st.st_dev) {
                e->info = FW_DC;
                break;
            }
    } else if (S_ISLNK(e->st.st_mode)) {
        e->info = FW_SL;
    } else if (S_ISREG(e->st.st_mode)) {
        e->info = FW_F;
    } else {
        e->info = FW_DEFAULT;
    }
}

static int name_cmp(const void *a, const void *b)
{
    (void)a, (void)b;
    return 0;
}

/* List directory e: push a frame, or set e to FW_DNR. */
static int descend(struct fwalk *w, struct fw_ent *e)
{
    struct proc *p = w->p;
    int fd = sys_open(p, e->path, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) {
        if (fd == -EINTR) return fd;
        e->info = FW_DNR;
        e->err = -fd;
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct vfs_dirent *ents = p_malloc(p, 64 * sizeof *ents);
    if (!ents) {
        sys_close(p, fd);
        return -ENOMEM;
    }
    int r;
    while ((r = sys_getdents(p, fd, ents, 64)) > 0) {
        for (int i = 0; i < r; i++) {
            const char *nm = ents[i].name;
            if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2]))) continue;
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 16;
                char **nn = p_realloc(p, names, nc * sizeof *nn);
                if (!nn) {
                    r = -ENOMEM;
                    goto out;
                }
                names = nn, cap = nc;
            }
            if (!(names[n] = p_strdup(p, nm))) {
                r = -ENOMEM;
                goto out;
            }
            n++;
        }
        if ((r = proc_check(p)) < 0) goto out;
    }
out:
    p_free(p, ents);
    sys_close(p, fd);
    if (r < 0) {
        for (size_t i = 0; i < n; i++) p_free(p, names[i]);
        p_free(p, names);
        if (r == -EINTR || r == -ENOMEM) return r;
        e->info = FW_DNR;
        e->err = -r;
        return 1;
    }
    (void)name_cmp;
    if (w->depth == w->cap) {
        size_t nc = w->cap ? w->cap * 2 : 16;
        struct fw_frame *ns = p_realloc(p, w->stack, nc * sizeof *ns);
        if (!ns) {
            for (size_t i = 0; i < n; i++) p_free(p, names[i]);
            p_free(p, names);
            return -ENOMEM;
        }
        w->stack = ns, w->cap = nc;
    }
    w->stack[w->depth++] = (struct fw_frame){e, names, n, 0};
    return 0;
}

void fwalk_skip(struct fwalk *w, struct fw_ent *e)
{
    if (e == w->cur) w->cur_skip = true;
}

void fwalk_mark_ancestors(struct fw_ent *e)
{
    for (struct fw_ent *a = e->parent; a; a = a->parent) {
        if (a->number) break;
        a->number = 1;
    }
}

/* Free the last returned entry unless a frame still refers to it. */
static void drop_cur(struct fwalk *w)
{
    struct fw_ent *c = w->cur;
    w->cur = NULL;
    if (!c) return;
    for (size_t i = 0; i < w->depth; i++)
        if (w->stack[i].dir == c) return;
    ent_free(w, c);
}

struct fw_ent *fwalk_read(struct fwalk *w, int *err)
{
    struct proc *p = w->p;
    *err = 0;
    int r = proc_check(p);
    if (r < 0) {
        *err = r;
        return NULL;
    }
    if (w->cur && w->cur_pending) {
        struct fw_ent *c = w->cur;
        w->cur_pending = false;
        if (!w->cur_skip) {
            bool xdev = (w->flags & FW_XDEV) && c->level > 0 && c->st.st_dev != w->root_dev;
            if (!xdev) {
                r = descend(w, c);
                if (r < 0) {
                    *err = r;
                    return NULL;
                }
                if (r == 1) return c; /* the same entry again, as FW_DNR */
            } else {
                /* not descended: report it done */
                c->info = FW_DP;
                return c;
            }
            if (r == 0) {
                /* pushed; fall through to its first child */
                w->cur = NULL;
            }
        }
    }
    if (w->cur) drop_cur(w);
    w->cur_skip = false;
    for (;;) {
        if (w->depth > 0) {
            struct fw_frame *f = &w->stack[w->depth - 1];
            if (f->i < f->n) {
                char *nm = f->names[f->i++];
                struct fw_ent *e = ent_new(w, f->dir, f->dir->path, nm, f->dir->level + 1);
                p_free(p, nm);
                if (!e) {
                    *err = -ENOMEM;
                    return NULL;
                }
                classify(w, e, (w->flags & FW_LOGICAL) != 0);
                w->cur = e;
                w->cur_pending = e->info == FW_D;
                return e;
            }
            /* directory done: post-order */
            struct fw_ent *d = f->dir;
            p_free(p, f->names);
            w->depth--;
            if (d->info == FW_D) d->info = FW_DP;
            w->cur = d;
            w->cur_pending = false;
            return d;
        }
        const char *root = w->roots[w->root_i];
        if (!root) return NULL;
        w->root_i++;
        struct fw_ent *e = ent_new(w, NULL, NULL, root, 0);
        if (!e) {
            *err = -ENOMEM;
            return NULL;
        }
        e->name = fs_last_component(e->path);
        classify(w, e, (w->flags & (FW_LOGICAL | FW_COMFOLLOW)) != 0);
        w->root_dev = e->st.st_dev;
        w->cur = e;
        w->cur_pending = e->info == FW_D;
        return e;
    }
}

void fwalk_close(struct fwalk *w)
{
    if (!w) return;
    struct proc *p = w->p;
    struct fw_ent *c = w->cur;
    w->cur = NULL;
    while (w->depth > 0) {
        struct fw_frame *f = &w->stack[--w->depth];
        for (size_t i = f->i; i < f->n; i++) p_free(p, f->names[i]);
        p_free(p, f->names);
        if (f->dir == c) c = NULL;
        ent_free(w, f->dir);
    }
    ent_free(w, c);
    p_free(p, w->stack);
    p_free(p, w);
}

/* ---- relative names ---------------------------------------------------------- */

static size_t common_prefix(const char *a, const char *b)
{
    size_t i = 0, ret = 0;
    if ((a[1] == '/') != (b[1] == '/')) return 0;
    while (a[i] && b[i] && a[i] == b[i]) {
        if (a[i] == '/') ret = i + 1;
        i++;
    }
    if ((!a[i] && !b[i]) || (!a[i] && b[i] == '/') || (!b[i] && a[i] == '/')) ret = i;
    return ret;
}

char *fs_relpath(struct proc *p, const char *fname, const char *dir)
{
    size_t ci = common_prefix(dir, fname);
    if (!ci) return NULL;
    const char *rs = dir + ci, *fs = fname + ci;
    if (*rs == '/') rs++;
    if (*fs == '/') fs++;
    struct sbuf sb;
    sbuf_init(&sb, p);
    if (*rs) {
        sbuf_add(&sb, "..", 2);
        for (; *rs; rs++)
            if (*rs == '/') sbuf_add(&sb, "/..", 3);
        if (*fs) {
            sbuf_addc(&sb, '/');
            sbuf_add(&sb, fs, strlen(fs));
        }
    } else {
        const char *t = *fs ? fs : ".";
        sbuf_add(&sb, t, strlen(t));
    }
    if (sb.oom || !sb.s) {
        sbuf_free(&sb);
        return NULL;
    }
    return sb.s;
}

/* ---- backups ----------------------------------------------------------------- */

#include "lib/opt.h"

static const char *const bk_names[] = {"none", "off", "simple", "never", "existing",
                                       "nil", "numbered", "t", NULL};
static const int bk_vals[] = {BK_NONE, BK_NONE, BK_SIMPLE, BK_SIMPLE,
                              BK_EXISTING, BK_EXISTING, BK_NUMBERED, BK_NUMBERED};

int fs_backup_type(struct opt_state *st, const char *arg)
{
    const char *what = "backup type";
    if (!arg) {
        arg = proc_getenv(st->p, "VERSION_CONTROL");
        if (!arg || !*arg) return BK_EXISTING;
        what = "$VERSION_CONTROL";
    }
    int i = opt_argmatch_vals(st, what, arg, bk_names, bk_vals);
    return i < 0 ? -1 : bk_vals[i];
}

const char *fs_backup_suffix(struct proc *p, const char *opt_suffix)
{
    const char *s = opt_suffix;
    if (!s) s = proc_getenv(p, "SIMPLE_BACKUP_SUFFIX");
    if (!s || !*s || strchr(s, '/')) s = "~";
    return s;
}

char *fs_backup_name(struct proc *p, const char *file, int type, const char *suffix)
{
    const char *base = fs_last_component(file);
    size_t dirlen = (size_t)(base - file), blen = strlen(base);
    if (type == BK_EXISTING || type == BK_NUMBERED) {
        /* highest N of base.~N~ in the directory */
        char *dir = dirlen ? p_strndup(p, file, dirlen) : p_strdup(p, ".");
        if (!dir) return NULL;
        long highest = 0;
        bool any = false;
        int fd = sys_open(p, dir, O_RDONLY | O_DIRECTORY, 0);
        p_free(p, dir);
        if (fd >= 0) {
            struct vfs_dirent ents[32];
            int n;
            while ((n = sys_getdents(p, fd, ents, 32)) > 0) {
                for (int i = 0; i < n; i++) {
                    const char *nm = ents[i].name;
                    if (strncmp(nm, base, blen) || nm[blen] != '.' || nm[blen + 1] != '~') continue;
                    const char *d = nm + blen + 2;
                    if (*d < '1' || *d > '9') continue;
                    char *e;
                    long v = strtol(d, &e, 10);
                    if (e[0] != '~' || e[1]) continue;
                    any = true;
                    if (v > highest) highest = v;
                }
            }
            sys_close(p, fd);
        }
        if (type == BK_NUMBERED || any) {
            char num[32];
            snprintf(num, sizeof num, ".~%ld~", highest + 1);
            char *r = p_malloc(p, strlen(file) + strlen(num) + 1);
            if (r) {
                strcpy(r, file);
                strcat(r, num);
            }
            return r;
        }
    }
    char *r = p_malloc(p, strlen(file) + strlen(suffix) + 1);
    if (r) {
        strcpy(r, file);
        strcat(r, suffix);
    }
    return r;
}

bool fs_yesno(struct ibuf *in)
{
    char *line;
    ssize_t n = ibuf_getline(in, &line);
    if (n <= 0) return false;
    return line[0] == 'y' || line[0] == 'Y';
}
