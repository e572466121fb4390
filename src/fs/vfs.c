/* vfs.c — paths, mounts and the POSIX rules above the filesystem backends.
 *
 * Backends (memfs, procfs, ...) know inode numbers inside one instance. This
 * file owns everything path-shaped: the mount table, name resolution, and
 * the permission and sanity checks of each call, so that every backend gets
 * them identically. Linux is the oracle: where a rule or the order of two
 * errors is not obvious, the code does what Linux 6.x does.
 *
 * Resolution (vfs_walk_run) is one loop over a private copy of the path,
 * never recursion, so symlink chains and deep paths cost no C stack:
 *
 *   cur = root (absolute path) or ctx->cwd (relative)
 *   for each component name (slashes repeat freely):
 *       need search (x) permission on cur
 *       "."  stays, ".." climbs (see below), others: ops->lookup in cur,
 *            then if the result is covered by a mount, its mounted root
 *       a symlink, unless it is the last component and not followed:
 *            count a hop (at most 40 per resolution, else -ELOOP);
 *            procfs magic links (ops->magic) give a node or an open file;
 *            ordinary ones splice their target in front of the rest of
 *            the path; an absolute target restarts at the namespace root,
 *            a relative one continues in the link's directory (cur)
 *       not last: must be a directory (-ENOTDIR), becomes cur
 *       last: with a trailing slash or VFS_DIRECTORY it must be a directory
 *
 *   ".." at the namespace root stays there; at the root of a mounted
 *   instance it first steps down to the covered directory, then up.
 *
 * The walker remembers the directory of the last component and its name,
 * also when that name does not exist (-ENOENT with have_dir set): creating
 * calls use that, so O_CREAT through a dangling symlink creates its target
 * as on Linux. In VFS_WALK_PARENT mode it stops before looking the last
 * component up (mkdir, unlink, rename, ...: those never follow it).
 *
 * Errors are negative errno values. The only allocation is the path copy of
 * one resolution (a symlink splices into a fresh buffer).
 */
#include "fs/vfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef O_PATH
#define O_PATH 010000000
#endif

void vfs_now(struct vfs_fs *fs, struct timespec *ts)
{
    if (fs && fs->now)
        fs->now(fs->now_ctx, ts);
    else
        clock_gettime(CLOCK_REALTIME, ts);
}

/* ---- small helpers --------------------------------------------------------- */

static int vfs_same(vnode a, vnode b)
{
    return a.fs == b.fs && a.ino == b.ino;
}

static int vfs_getattr(vnode n, struct stat *st)
{
    return n.fs->ops->getattr(n.fs, n.ino, st);
}

static int vfs_is_root(const struct vfs_cred *cred)
{
    return !cred || cred->uid == 0;
}

static int vfs_in_group(const struct vfs_cred *cred, gid_t gid)
{
    if (cred->gid == gid) return 1;
    for (int i = 0; i < cred->ngroups; i++)
        if (cred->groups[i] == gid) return 1;
    return 0;
}

static int vfs_is_owner(const struct vfs_cred *cred, const struct stat *st)
{
    return vfs_is_root(cred) || cred->uid == st->st_uid;
}

/* ---- the mount table ------------------------------------------------------- */

int vfs_ns_init(struct vfs_ns *ns, struct vfs_fs *root)
{
    ns->mounts = calloc(1, sizeof *ns->mounts);
    char *path = strdup("/");
    if (!ns->mounts || !path) {
        free(ns->mounts);
        free(path);
        ns->mounts = NULL;
        ns->nmounts = 0;
        return -ENOMEM;
    }
    ns->mounts[0] = (struct vfs_mount){path, {NULL, 0}, root, 0};
    ns->nmounts = 1;
    return 0;
}

vnode vfs_root(const struct vfs_ns *ns)
{
    struct vfs_fs *fs = ns->mounts[0].fs;
    return (vnode){fs, fs->root_ino};
}

/* The mount of instance fs, or NULL. */
static const struct vfs_mount *vfs_mount_of(const struct vfs_ns *ns, const struct vfs_fs *fs)
{
    for (int i = 0; i < ns->nmounts; i++)
        if (ns->mounts[i].fs == fs) return &ns->mounts[i];
    return NULL;
}

/* The mount covering directory n (n is a mount point), or NULL. */
static const struct vfs_mount *vfs_mount_on(const struct vfs_ns *ns, vnode n)
{
    for (int i = 1; i < ns->nmounts; i++)
        if (vfs_same(ns->mounts[i].on, n)) return &ns->mounts[i];
    return NULL;
}

/* The mount whose instance has n as its root, or NULL. */
static const struct vfs_mount *vfs_mount_at_root(const struct vfs_ns *ns, vnode n)
{
    if (!n.fs || n.ino != n.fs->root_ino) return NULL;
    return vfs_mount_of(ns, n.fs);
}

/* Step onto whatever is mounted on n (mounts may stack). */
static vnode vfs_cross(const struct vfs_ns *ns, vnode n)
{
    for (int i = 0; i < ns->nmounts; i++) {
        const struct vfs_mount *m = vfs_mount_on(ns, n);
        if (!m) break;
        n = (vnode){m->fs, m->fs->root_ino};
    }
    return n;
}

int vfs_writable(struct vfs_ctx *ctx, vnode node)
{
    const struct vfs_mount *m = vfs_mount_of(ctx->ns, node.fs);
    return m && m->readonly ? -EROFS : 0;
}

int vfs_mount(struct vfs_ctx *ctx, const char *path, struct vfs_fs *fs, int readonly)
{
    struct vfs_ns *ns = ctx->ns;
    if (!fs) return -EINVAL;
    if (vfs_mount_of(ns, fs)) return -EBUSY;
    vnode on;
    int r = vfs_resolve(ctx, path, VFS_DIRECTORY, &on, NULL);
    if (r == -EVFS_FILE) return -ENOTDIR;
    if (r < 0) return r;
    if (vfs_same(on, vfs_root(ns))) return -EBUSY;
    char canon[VFS_PATH_MAX];
    if ((r = vfs_path_of(ctx, on, canon, sizeof canon)) < 0) return r;
    struct vfs_mount *mounts = realloc(ns->mounts, (ns->nmounts + 1) * sizeof *mounts);
    if (!mounts) return -ENOMEM;
    ns->mounts = mounts;
    char *copy = strdup(canon);
    if (!copy) return -ENOMEM;
    mounts[ns->nmounts++] = (struct vfs_mount){copy, on, fs, readonly};
    return 0;
}

int vfs_ns_clone(struct vfs_ns *dst, const struct vfs_ns *src)
{
    dst->mounts = calloc(src->nmounts, sizeof *dst->mounts);
    dst->nmounts = 0;
    if (!dst->mounts) return -ENOMEM;
    for (int i = 0; i < src->nmounts; i++) {
        const struct vfs_mount *m = &src->mounts[i];
        if (!m->fs->ops->clone) {
            vfs_ns_free(dst);
            return -EOPNOTSUPP;
        }
        struct vfs_fs *fs = m->fs->ops->clone(m->fs);
        char *path = fs ? strdup(m->path) : NULL;
        if (!path) {
            if (fs && fs->ops->destroy) fs->ops->destroy(fs);
            vfs_ns_free(dst);
            return -ENOMEM;
        }
        /* The covered directory lives in an earlier instance: its clone. */
        vnode on = m->on;
        for (int j = 0; on.fs && j < i; j++)
            if (src->mounts[j].fs == on.fs) {
                on.fs = dst->mounts[j].fs;
                break;
            }
        dst->mounts[i] = (struct vfs_mount){path, on, fs, m->readonly};
        dst->nmounts++;
    }
    return 0;
}

void vfs_ns_free(struct vfs_ns *ns)
{
    for (int i = ns->nmounts - 1; i >= 0; i--) {
        struct vfs_fs *fs = ns->mounts[i].fs;
        if (fs && fs->ops->destroy) fs->ops->destroy(fs);
        free(ns->mounts[i].path);
    }
    free(ns->mounts);
    ns->mounts = NULL;
    ns->nmounts = 0;
}

/* ---- permissions ------------------------------------------------------------ */

int vfs_permission(const struct vfs_cred *cred, const struct stat *st, int want)
{
    want &= R_OK | W_OK | X_OK;
    if (vfs_is_root(cred)) {
        if ((want & X_OK) && !S_ISDIR(st->st_mode) && !(st->st_mode & 0111)) return -EACCES;
        return 0;
    }
    mode_t bits;
    if (st->st_uid == cred->uid)
        bits = st->st_mode >> 6;
    else if (vfs_in_group(cred, st->st_gid))
        bits = st->st_mode >> 3;
    else
        bits = st->st_mode;
    return (want & ~bits & 7) ? -EACCES : 0;
}

/* Sticky directories (/tmp): only the owner of the entry or of the
 * directory (or root) may remove or rename an entry. */
static int vfs_check_sticky(const struct vfs_cred *cred, const struct stat *dir,
                            const struct stat *victim)
{
    if (!(dir->st_mode & S_ISVTX) || vfs_is_root(cred)) return 0;
    if (victim->st_uid == cred->uid || dir->st_uid == cred->uid) return 0;
    return -EPERM;
}

/* May victim (isdir: for rmdir or a directory rename) go from dir? */
static int vfs_may_delete(struct vfs_ctx *ctx, const struct stat *dir, const struct stat *victim,
                          int isdir)
{
    int r = vfs_permission(ctx->cred, dir, W_OK | X_OK);
    if (r < 0) return r;
    if ((r = vfs_check_sticky(ctx->cred, dir, victim)) < 0) return r;
    if (isdir && !S_ISDIR(victim->st_mode)) return -ENOTDIR;
    if (!isdir && S_ISDIR(victim->st_mode)) return -EISDIR;
    return 0;
}

/* ---- resolution ------------------------------------------------------------- */

enum { VFS_LAST_NORM, VFS_LAST_DOT, VFS_LAST_DOTDOT, VFS_LAST_ROOT };
#define VFS_WALK_PARENT (1 << 16) /* internal: stop before the last component */

struct vfs_walk {
    struct vfs_ctx *ctx;
    int flags;     /* VFS_NOFOLLOW, VFS_DIRECTORY, VFS_WALK_PARENT */
    int hops;      /* symlinks followed so far */
    int want_file; /* the caller takes an open file from a magic link */
    char *buf;     /* private copy of what is left of the path */
    const char *p;
    vnode cur; /* the directory being searched */
    struct stat cur_st;
    /* results */
    int have_dir; /* dir, name, type, trailing describe the last component */
    vnode dir;
    char name[VFS_NAME_MAX + 1];
    int type;
    int trailing;
    vnode node; /* what the path names (on success) */
    struct stat st;
    void *file; /* with -EVFS_FILE */
};

static int vfs_walk_enter(struct vfs_walk *w, vnode dir)
{
    int r = vfs_getattr(dir, &w->cur_st);
    if (r < 0) return r;
    if (!S_ISDIR(w->cur_st.st_mode)) return -ENOTDIR;
    w->cur = dir;
    return 0;
}

static void vfs_walk_done(struct vfs_walk *w)
{
    free(w->buf);
    w->buf = NULL;
}

static int vfs_walk_init(struct vfs_walk *w, struct vfs_ctx *ctx, const char *path, int flags)
{
    memset(w, 0, sizeof *w);
    w->ctx = ctx;
    w->flags = flags;
    if (!path) return -EFAULT;
    size_t len = strnlen(path, VFS_PATH_MAX);
    if (len == 0) return -ENOENT;
    if (len >= VFS_PATH_MAX) return -ENAMETOOLONG;
    if (!(w->buf = malloc(len + 1))) return -ENOMEM;
    memcpy(w->buf, path, len + 1);
    w->p = w->buf;
    vnode start = ctx->cwd;
    if (path[0] == '/' || !start.fs) start = vfs_root(ctx->ns);
    return vfs_walk_enter(w, start);
}

/* ".." of directory cur. */
static int vfs_dotdot(const struct vfs_ns *ns, vnode cur, vnode *out)
{
    vnode root = vfs_root(ns);
    for (int i = 0; i <= ns->nmounts; i++) {
        if (vfs_same(cur, root)) {
            *out = cur;
            return 0;
        }
        const struct vfs_mount *m = vfs_mount_at_root(ns, cur);
        if (!m || !m->on.fs) break;
        cur = m->on;
    }
    uint64_t ino;
    int r = cur.fs->ops->lookup(cur.fs, cur.ino, "..", &ino);
    if (r < 0) return r;
    *out = vfs_cross(ns, (vnode){cur.fs, ino});
    return 0;
}

/* The node the current component names in w->cur. */
static int vfs_walk_step(struct vfs_walk *w, vnode *next)
{
    if (w->type == VFS_LAST_DOT) {
        *next = w->cur;
        return 0;
    }
    if (w->type == VFS_LAST_DOTDOT) return vfs_dotdot(w->ctx->ns, w->cur, next);
    uint64_t ino;
    int r = w->cur.fs->ops->lookup(w->cur.fs, w->cur.ino, w->name, &ino);
    if (r < 0) return r;
    *next = vfs_cross(w->ctx->ns, (vnode){w->cur.fs, ino});
    return 0;
}

/* Ask procfs about a magic link: 1 with *next set to the node it names,
 * 0 when link is an ordinary symlink, or an error (-EVFS_FILE: a file). */
static int vfs_follow_magic(struct vfs_walk *w, vnode link, int final, vnode *next)
{
    struct vfs_magic m;
    memset(&m, 0, sizeof m);
    m.want_file = final && w->want_file;
    int r = link.fs->ops->magic(link.fs, link.ino, w->ctx->proc, &m);
    if (r == -EINVAL) return 0;
    if (r < 0) return r;
    if (m.file) {
        if (!final) return -ENOTDIR; /* no reference was taken */
        w->file = m.file;
        w->st = m.st;
        return -EVFS_FILE;
    }
    *next = m.node;
    return 1;
}

/* Follow symlink link met as the current component: 1 with *next set (magic
 * link to a node), 0 when its target was spliced into the path, or an error. */
static int vfs_follow(struct vfs_walk *w, vnode link, int last, int trailing, vnode *next)
{
    if (++w->hops > VFS_SYMLOOP_MAX) return -ELOOP;
    int final = last && !trailing && !(w->flags & VFS_DIRECTORY);
    if (link.fs->ops->magic) {
        int r = vfs_follow_magic(w, link, final, next);
        if (r != 0) return r;
    }
    size_t rest = strlen(w->p);
    char *nb = malloc(VFS_PATH_MAX + rest + 1);
    if (!nb) return -ENOMEM;
    ssize_t len = link.fs->ops->readlink(link.fs, link.ino, nb, VFS_PATH_MAX);
    if (len <= 0 || len >= VFS_PATH_MAX) {
        free(nb);
        return len < 0 ? (int)len : len == 0 ? -ENOENT : -ENAMETOOLONG;
    }
    memcpy(nb + len, w->p, rest + 1);
    free(w->buf);
    w->buf = nb;
    w->p = nb;
    if (nb[0] == '/') return vfs_walk_enter(w, vfs_root(w->ctx->ns));
    return 0;
}

static int vfs_classify(const char *name)
{
    if (name[0] == '.' && name[1] == 0) return VFS_LAST_DOT;
    if (name[0] == '.' && name[1] == '.' && name[2] == 0) return VFS_LAST_DOTDOT;
    return VFS_LAST_NORM;
}

/* Take the next component into w->name; *last and *trailing describe it. */
static int vfs_walk_component(struct vfs_walk *w, int *last, int *trailing)
{
    const char *comp = w->p;
    size_t n = strcspn(comp, "/");
    const char *q = comp + n;
    while (*q == '/') q++;
    *last = !*q;
    *trailing = *last && comp[n] == '/';
    int r = vfs_permission(w->ctx->cred, &w->cur_st, X_OK);
    if (r < 0) return r;
    if (n > VFS_NAME_MAX) return -ENAMETOOLONG;
    memcpy(w->name, comp, n);
    w->name[n] = 0;
    w->type = vfs_classify(w->name);
    w->p = comp + n;
    return 0;
}

static int vfs_walk_run(struct vfs_walk *w)
{
    for (;;) {
        while (*w->p == '/') w->p++;
        w->have_dir = 0;
        if (!*w->p) { /* "/" alone, or a symlink to "/" */
            w->type = VFS_LAST_ROOT;
            w->dir = w->node = w->cur;
            w->st = w->cur_st;
            return 0;
        }
        int last, trailing;
        int r = vfs_walk_component(w, &last, &trailing);
        if (r < 0) return r;
        if (last) {
            w->have_dir = 1;
            w->dir = w->cur;
            w->trailing = trailing;
            if (w->flags & VFS_WALK_PARENT) return 0;
        }
        vnode next;
        if ((r = vfs_walk_step(w, &next)) < 0) return r;
        struct stat st;
        if ((r = vfs_getattr(next, &st)) < 0) return r;
        if (S_ISLNK(st.st_mode) && (!last || trailing || !(w->flags & VFS_NOFOLLOW))) {
            w->have_dir = 0;
            r = vfs_follow(w, next, last, trailing, &next);
            if (r < 0) return r;
            if (r == 0) continue;
            if ((r = vfs_getattr(next, &st)) < 0) return r;
        }
        if (!last) {
            if (!S_ISDIR(st.st_mode)) return -ENOTDIR;
            w->cur = next;
            w->cur_st = st;
            continue;
        }
        if ((trailing || (w->flags & VFS_DIRECTORY)) && !S_ISDIR(st.st_mode)) return -ENOTDIR;
        w->node = next;
        w->st = st;
        return 0;
    }
}

/* Resolve path into w (which the caller releases with vfs_walk_done). */
static int vfs_walk(struct vfs_walk *w, struct vfs_ctx *ctx, const char *path, int flags)
{
    int r = vfs_walk_init(w, ctx, path, flags);
    return r < 0 ? r : vfs_walk_run(w);
}

int vfs_resolve(struct vfs_ctx *ctx, const char *path, int flags, vnode *out, void **file)
{
    struct vfs_walk w;
    int r = vfs_walk_init(&w, ctx, path, flags & (VFS_NOFOLLOW | VFS_DIRECTORY));
    w.want_file = file != NULL;
    if (r == 0) r = vfs_walk_run(&w);
    if (r == 0) *out = w.node;
    if (r == -EVFS_FILE && file) *file = w.file;
    vfs_walk_done(&w);
    return r;
}

int vfs_resolve_parent(struct vfs_ctx *ctx, const char *path, vnode *dir,
                       char name[VFS_NAME_MAX + 1], int *trailing_slash)
{
    struct vfs_walk w;
    int r = vfs_walk(&w, ctx, path, VFS_WALK_PARENT);
    vfs_walk_done(&w);
    if (r < 0) return r;
    if (w.type == VFS_LAST_ROOT) return -EBUSY;
    if (w.type != VFS_LAST_NORM) return -EINVAL;
    *dir = w.dir;
    memcpy(name, w.name, strlen(w.name) + 1);
    if (trailing_slash) *trailing_slash = w.trailing;
    return 0;
}

/* The name of child in directory parent (same instance), by readdir. */
static int vfs_name_in(vnode parent, uint64_t child, char name[VFS_NAME_MAX + 1])
{
    struct vfs_dirent de;
    uint64_t cookie = 0;
    int r;
    while ((r = parent.fs->ops->readdir(parent.fs, parent.ino, &cookie, &de)) > 0)
        if (de.ino == child) {
            memcpy(name, de.name, sizeof de.name);
            return 0;
        }
    return r < 0 ? r : -ENOENT;
}

int vfs_path_of(struct vfs_ctx *ctx, vnode dir, char *buf, size_t n)
{
    const struct vfs_ns *ns = ctx->ns;
    vnode root = vfs_root(ns);
    char *tmp = malloc(VFS_PATH_MAX);
    if (!tmp) return -ENOMEM;
    size_t pos = VFS_PATH_MAX - 1;
    tmp[pos] = 0;
    int r = 0;
    while (!vfs_same(dir, root)) {
        const struct vfs_mount *m = vfs_mount_at_root(ns, dir);
        if (m && m->on.fs) {
            dir = m->on;
            continue;
        }
        uint64_t up;
        char name[VFS_NAME_MAX + 1];
        if ((r = dir.fs->ops->lookup(dir.fs, dir.ino, "..", &up)) < 0) break;
        vnode parent = {dir.fs, up};
        r = vfs_same(parent, dir) ? -ENOENT : vfs_name_in(parent, dir.ino, name);
        if (r < 0) break;
        size_t len = strlen(name);
        if (len + 1 > pos) {
            r = -ENAMETOOLONG;
            break;
        }
        pos -= len;
        memcpy(tmp + pos, name, len);
        tmp[--pos] = '/';
        dir = parent;
    }
    if (r == 0 && pos == VFS_PATH_MAX - 1) tmp[--pos] = '/';
    size_t len = VFS_PATH_MAX - 1 - pos;
    if (r == 0 && len + 1 > n) r = -ERANGE;
    if (r == 0) memcpy(buf, tmp + pos, len + 1);
    free(tmp);
    return r;
}

/* ---- shared pieces of the calls --------------------------------------------- */

/* Look name up in dir without crossing mounts (what removal and rename
 * act on is the entry in dir, which may be a mount point). */
static int vfs_lookup_entry(vnode dir, const char *name, vnode *out, struct stat *st)
{
    uint64_t ino;
    int r = dir.fs->ops->lookup(dir.fs, dir.ino, name, &ino);
    if (r < 0) return r;
    *out = (vnode){dir.fs, ino};
    return vfs_getattr(*out, st);
}

/* Resolve a path that a call may change: a magic link to an open file
 * is refused with -EINVAL (see vfs.h). */
static int vfs_walk_node(struct vfs_walk *w, struct vfs_ctx *ctx, const char *path, int flags)
{
    int r = vfs_walk(w, ctx, path, flags & (VFS_NOFOLLOW | VFS_DIRECTORY));
    vfs_walk_done(w);
    return r == -EVFS_FILE ? -EINVAL : r;
}

/* Linux's filename_create: the parent of a name to create, which must not
 * exist. is_dir allows a trailing slash (mkdir). W+X on the parent is
 * checked when check_perm is set (link checks it later, as Linux does). */
static int vfs_create_at(struct vfs_walk *w, struct vfs_ctx *ctx, const char *path, int is_dir,
                         int check_perm, struct stat *dirst)
{
    int r = vfs_walk(w, ctx, path, VFS_WALK_PARENT);
    vfs_walk_done(w);
    if (r < 0) return r;
    if (w->type != VFS_LAST_NORM) return -EEXIST;
    vnode old;
    struct stat st;
    r = vfs_lookup_entry(w->dir, w->name, &old, &st);
    if (r == 0) return -EEXIST;
    if (r != -ENOENT) return r;
    if (w->trailing && !is_dir) return -ENOENT;
    if ((r = vfs_writable(ctx, w->dir)) < 0) return r;
    if ((r = vfs_getattr(w->dir, dirst)) < 0) return r;
    return check_perm ? vfs_permission(ctx->cred, dirst, W_OK | X_OK) : 0;
}

/* Owner and group of a new node: the caller's, or the directory's group
 * under a setgid directory (where new directories inherit setgid too). */
static void vfs_new_owner(struct vfs_ctx *ctx, const struct stat *dirst, struct vfs_newnode *nn)
{
    const struct vfs_cred *cred = ctx->cred;
    nn->uid = cred ? cred->uid : 0;
    nn->gid = cred ? cred->gid : 0;
    if (!(dirst->st_mode & S_ISGID)) return;
    nn->gid = dirst->st_gid;
    if (S_ISDIR(nn->mode))
        nn->mode |= S_ISGID;
    else if ((nn->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) && !vfs_is_root(cred) &&
             !vfs_in_group(cred, nn->gid))
        nn->mode &= ~S_ISGID;
}

static int vfs_make(struct vfs_ctx *ctx, struct vfs_walk *w, const struct stat *dirst,
                    struct vfs_newnode *nn, vnode *out)
{
    vfs_new_owner(ctx, dirst, nn);
    uint64_t ino;
    int r = w->dir.fs->ops->mknode(w->dir.fs, w->dir.ino, w->name, nn, &ino);
    if (r == 0 && out) *out = (vnode){w->dir.fs, ino};
    return r;
}

/* Is a an ancestor of (or equal to) directory d? Both on one instance. */
static int vfs_is_ancestor(vnode a, vnode d)
{
    for (;;) {
        if (vfs_same(a, d)) return 1;
        uint64_t up;
        if (d.ino == d.fs->root_ino || d.fs->ops->lookup(d.fs, d.ino, "..", &up) < 0 || up == d.ino)
            return 0;
        d.ino = up;
    }
}

/* ---- POSIX calls on paths ------------------------------------------------------ */

static int vfs_open_want(int flags)
{
    int acc = flags & O_ACCMODE;
    int want = acc == O_RDONLY ? R_OK : acc == O_WRONLY ? W_OK : R_OK | W_OK;
    return flags & O_TRUNC ? want | W_OK : want;
}

/* Create the missing last component of an O_CREAT open. */
static int vfs_open_create(struct vfs_ctx *ctx, struct vfs_walk *w, mode_t mode)
{
    struct stat dirst;
    int r = vfs_writable(ctx, w->dir);
    if (r == 0) r = vfs_getattr(w->dir, &dirst);
    if (r == 0) r = vfs_permission(ctx->cred, &dirst, W_OK | X_OK);
    if (r < 0) return r;
    struct vfs_newnode nn = {S_IFREG | (mode & ~ctx->umask & 07777), 0, 0, 0, NULL};
    if ((r = vfs_make(ctx, w, &dirst, &nn, &w->node)) < 0) return r;
    return vfs_getattr(w->node, &w->st);
}

/* The checks of opening an existing node (Linux's do_open and may_open). */
static int vfs_open_existing(struct vfs_ctx *ctx, struct vfs_walk *w, int flags)
{
    const struct stat *st = &w->st;
    int want = vfs_open_want(flags);
    if ((flags & O_CREAT) && (flags & O_EXCL)) return -EEXIST;
    if ((flags & O_CREAT) && S_ISDIR(st->st_mode)) return -EISDIR;
    if (S_ISLNK(st->st_mode)) return -ELOOP;
    if (S_ISDIR(st->st_mode) && (want & W_OK)) return -EISDIR;
    int trunc = (flags & O_TRUNC) && S_ISREG(st->st_mode);
    int r;
    if (trunc && (r = vfs_writable(ctx, w->node)) < 0) return r;
    if ((r = vfs_permission(ctx->cred, st, want)) < 0) return r;
    if ((want & W_OK) && !S_ISFIFO(st->st_mode) && !S_ISCHR(st->st_mode) && !S_ISBLK(st->st_mode) &&
        !S_ISSOCK(st->st_mode) && (r = vfs_writable(ctx, w->node)) < 0)
        return r;
    if (!trunc) return 0;
    struct vfs_setattr set = {.mask = VFS_SET_SIZE | VFS_SET_MTIME, .size = 0};
    set.mtime.tv_nsec = UTIME_NOW;
    return w->node.fs->ops->setattr(w->node.fs, w->node.ino, &set);
}

int vfs_open(struct vfs_ctx *ctx, const char *path, int flags, mode_t mode, vnode *out, void **file)
{
    int wflags = 0;
    if (flags & O_NOFOLLOW) wflags |= VFS_NOFOLLOW;
    if (flags & O_DIRECTORY) wflags |= VFS_DIRECTORY;
    if ((flags & O_CREAT) && (flags & O_DIRECTORY)) return -EINVAL;
    if ((flags & O_CREAT) && (flags & O_EXCL)) wflags |= VFS_NOFOLLOW;
    struct vfs_walk w;
    int r = vfs_walk_init(&w, ctx, path, wflags);
    w.want_file = file != NULL;
    if (r == 0) r = vfs_walk_run(&w);
    vfs_walk_done(&w);
    if (r == -EVFS_FILE) {
        if (file) *file = w.file;
        return r;
    }
    if (flags & O_PATH) {
        if (r == 0) *out = w.node;
        return r;
    }
    int missing = r == -ENOENT && w.have_dir;
    if ((flags & O_CREAT) && w.trailing && (r == 0 || missing)) return -EISDIR;
    if (missing && (flags & O_CREAT))
        r = vfs_open_create(ctx, &w, mode);
    else if (r == 0)
        r = vfs_open_existing(ctx, &w, flags);
    if (r == 0) *out = w.node;
    return r;
}

int vfs_stat(struct vfs_ctx *ctx, const char *path, int flags, struct stat *st)
{
    struct vfs_walk w;
    int r = vfs_walk(&w, ctx, path, flags & (VFS_NOFOLLOW | VFS_DIRECTORY));
    vfs_walk_done(&w);
    if (r == 0 || r == -EVFS_FILE) *st = w.st;
    return r == -EVFS_FILE ? 0 : r;
}

int vfs_access(struct vfs_ctx *ctx, const char *path, int mode, int flags)
{
    if (mode & ~(R_OK | W_OK | X_OK)) return -EINVAL;
    struct vfs_walk w;
    int r = vfs_walk(&w, ctx, path, flags & (VFS_NOFOLLOW | VFS_DIRECTORY));
    vfs_walk_done(&w);
    if (r == -EVFS_FILE) return vfs_permission(ctx->cred, &w.st, mode);
    if (r < 0) return r;
    if ((r = vfs_permission(ctx->cred, &w.st, mode)) < 0) return r;
    mode_t t = w.st.st_mode & S_IFMT;
    if ((mode & W_OK) && (t == S_IFREG || t == S_IFDIR || t == S_IFLNK))
        return vfs_writable(ctx, w.node);
    return 0;
}

int vfs_mkdir(struct vfs_ctx *ctx, const char *path, mode_t mode)
{
    struct vfs_walk w;
    struct stat dirst;
    int r = vfs_create_at(&w, ctx, path, 1, 1, &dirst);
    if (r < 0) return r;
    struct vfs_newnode nn = {S_IFDIR | (mode & ~ctx->umask & 01777), 0, 0, 0, NULL};
    return vfs_make(ctx, &w, &dirst, &nn, NULL);
}

int vfs_mknod(struct vfs_ctx *ctx, const char *path, mode_t mode, dev_t rdev)
{
    mode_t type = mode & S_IFMT;
    if (type == 0) type = S_IFREG;
    if (type == S_IFDIR) return -EPERM;
    if (type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFIFO &&
        type != S_IFSOCK)
        return -EINVAL;
    struct vfs_walk w;
    struct stat dirst;
    int r = vfs_create_at(&w, ctx, path, 0, 1, &dirst);
    if (r < 0) return r;
    if ((type == S_IFCHR || type == S_IFBLK) && !vfs_is_root(ctx->cred)) return -EPERM;
    struct vfs_newnode nn = {type | (mode & ~ctx->umask & 07777), 0, 0, rdev, NULL};
    if (type != S_IFCHR && type != S_IFBLK) nn.rdev = 0;
    return vfs_make(ctx, &w, &dirst, &nn, NULL);
}

int vfs_symlink(struct vfs_ctx *ctx, const char *target, const char *linkpath)
{
    if (!target) return -EFAULT;
    size_t len = strnlen(target, VFS_PATH_MAX);
    if (len == 0) return -ENOENT;
    if (len >= VFS_PATH_MAX) return -ENAMETOOLONG;
    struct vfs_walk w;
    struct stat dirst;
    int r = vfs_create_at(&w, ctx, linkpath, 0, 1, &dirst);
    if (r < 0) return r;
    struct vfs_newnode nn = {S_IFLNK | 0777, 0, 0, 0, target};
    return vfs_make(ctx, &w, &dirst, &nn, NULL);
}

/* protected_hardlinks (on by default on Linux distributions): a user may
 * hard-link only files they own or could read and write, and no setuid or
 * setgid-executable files. */
static int vfs_may_link(struct vfs_ctx *ctx, const struct stat *st)
{
    if (vfs_is_owner(ctx->cred, st)) return 0;
    if (!S_ISREG(st->st_mode) || (st->st_mode & S_ISUID)) return -EPERM;
    if ((st->st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)) return -EPERM;
    return vfs_permission(ctx->cred, st, R_OK | W_OK) < 0 ? -EPERM : 0;
}

int vfs_link(struct vfs_ctx *ctx, const char *oldpath, const char *newpath, int flags)
{
    struct vfs_walk ow, nw;
    int r = vfs_walk(&ow, ctx, oldpath, (flags & AT_SYMLINK_FOLLOW) ? 0 : VFS_NOFOLLOW);
    vfs_walk_done(&ow);
    if (r == -EVFS_FILE) return -EXDEV; /* an open pipe: no name to add */
    if (r < 0) return r;
    struct stat dirst;
    if ((r = vfs_create_at(&nw, ctx, newpath, 0, 0, &dirst)) < 0) return r;
    if (ow.node.fs != nw.dir.fs) return -EXDEV;
    if ((r = vfs_may_link(ctx, &ow.st)) < 0) return r;
    if ((r = vfs_permission(ctx->cred, &dirst, W_OK | X_OK)) < 0) return r;
    if (S_ISDIR(ow.st.st_mode)) return -EPERM;
    return nw.dir.fs->ops->link(nw.dir.fs, ow.node.ino, nw.dir.ino, nw.name);
}

int vfs_unlink(struct vfs_ctx *ctx, const char *path)
{
    struct vfs_walk w;
    int r = vfs_walk(&w, ctx, path, VFS_WALK_PARENT);
    vfs_walk_done(&w);
    if (r < 0) return r;
    if (w.type != VFS_LAST_NORM) return -EISDIR;
    if ((r = vfs_writable(ctx, w.dir)) < 0) return r;
    vnode victim;
    struct stat st, dirst;
    r = vfs_lookup_entry(w.dir, w.name, &victim, &st);
    if (r < 0) return r;
    if (w.trailing) return S_ISDIR(st.st_mode) ? -EISDIR : -ENOTDIR;
    if ((r = vfs_getattr(w.dir, &dirst)) < 0) return r;
    if ((r = vfs_may_delete(ctx, &dirst, &st, 0)) < 0) return r;
    return w.dir.fs->ops->unlink(w.dir.fs, w.dir.ino, w.name);
}

int vfs_rmdir(struct vfs_ctx *ctx, const char *path)
{
    struct vfs_walk w;
    int r = vfs_walk(&w, ctx, path, VFS_WALK_PARENT);
    vfs_walk_done(&w);
    if (r < 0) return r;
    if (w.type == VFS_LAST_DOTDOT) return -ENOTEMPTY;
    if (w.type == VFS_LAST_DOT) return -EINVAL;
    if (w.type == VFS_LAST_ROOT) return -EBUSY;
    if ((r = vfs_writable(ctx, w.dir)) < 0) return r;
    vnode victim;
    struct stat st, dirst;
    if ((r = vfs_lookup_entry(w.dir, w.name, &victim, &st)) < 0) return r;
    if ((r = vfs_getattr(w.dir, &dirst)) < 0) return r;
    if ((r = vfs_may_delete(ctx, &dirst, &st, 1)) < 0) return r;
    if (vfs_mount_on(ctx->ns, victim)) return -EBUSY;
    return w.dir.fs->ops->rmdir(w.dir.fs, w.dir.ino, w.name);
}

/* What rename knows about one side. */
struct vfs_rename_side {
    struct vfs_walk w;
    struct stat dirst;
    vnode node;
    struct stat st;
    int exists;
};

static int vfs_rename_checks(struct vfs_ctx *ctx, struct vfs_rename_side *o,
                             struct vfs_rename_side *n)
{
    int isdir = S_ISDIR(o->st.st_mode);
    int r;
    if (!isdir && (o->w.trailing || n->w.trailing)) return -ENOTDIR;
    if (isdir && vfs_is_ancestor(o->node, n->w.dir)) return -EINVAL;
    if (n->exists && vfs_is_ancestor(n->node, o->w.dir)) return -ENOTEMPTY;
    if (n->exists && vfs_same(o->node, n->node)) return 1; /* nothing to do */
    if ((r = vfs_may_delete(ctx, &o->dirst, &o->st, isdir)) < 0) return r;
    if (!n->exists)
        r = vfs_permission(ctx->cred, &n->dirst, W_OK | X_OK);
    else
        r = vfs_may_delete(ctx, &n->dirst, &n->st, isdir);
    if (r < 0) return r;
    /* Moving a directory to another parent rewrites its "..". */
    if (isdir && !vfs_same(o->w.dir, n->w.dir)) {
        if ((r = vfs_permission(ctx->cred, &o->st, W_OK)) < 0) return r;
    }
    if (vfs_mount_on(ctx->ns, o->node) || (n->exists && vfs_mount_on(ctx->ns, n->node)))
        return -EBUSY;
    return 0;
}

int vfs_rename(struct vfs_ctx *ctx, const char *oldpath, const char *newpath)
{
    struct vfs_rename_side o, n;
    int r = vfs_walk(&o.w, ctx, oldpath, VFS_WALK_PARENT);
    vfs_walk_done(&o.w);
    if (r < 0) return r;
    r = vfs_walk(&n.w, ctx, newpath, VFS_WALK_PARENT);
    vfs_walk_done(&n.w);
    if (r < 0) return r;
    if (o.w.dir.fs != n.w.dir.fs) return -EXDEV;
    if (o.w.type != VFS_LAST_NORM || n.w.type != VFS_LAST_NORM) return -EBUSY;
    if ((r = vfs_writable(ctx, o.w.dir)) < 0) return r;
    if ((r = vfs_lookup_entry(o.w.dir, o.w.name, &o.node, &o.st)) < 0) return r;
    r = vfs_lookup_entry(n.w.dir, n.w.name, &n.node, &n.st);
    if (r < 0 && r != -ENOENT) return r;
    n.exists = r == 0;
    if ((r = vfs_getattr(o.w.dir, &o.dirst)) < 0 || (r = vfs_getattr(n.w.dir, &n.dirst)) < 0)
        return r;
    if ((r = vfs_rename_checks(ctx, &o, &n)) != 0) return r < 0 ? r : 0;
    return o.w.dir.fs->ops->rename(o.w.dir.fs, o.w.dir.ino, o.w.name, n.w.dir.ino, n.w.name);
}

ssize_t vfs_readlink(struct vfs_ctx *ctx, const char *path, char *buf, size_t n)
{
    if (n == 0) return -EINVAL;
    struct vfs_walk w;
    int r = vfs_walk_node(&w, ctx, path, VFS_NOFOLLOW);
    if (r < 0) return r;
    if (!S_ISLNK(w.st.st_mode)) return -EINVAL;
    return w.node.fs->ops->readlink(w.node.fs, w.node.ino, buf, n);
}

int vfs_chmod(struct vfs_ctx *ctx, const char *path, mode_t mode, int flags)
{
    struct vfs_walk w;
    int r = vfs_walk_node(&w, ctx, path, flags & VFS_NOFOLLOW);
    if (r < 0) return r;
    if (S_ISLNK(w.st.st_mode)) return -EOPNOTSUPP;
    return vfs_node_chmod(ctx, w.node, mode);
}

int vfs_chown(struct vfs_ctx *ctx, const char *path, uid_t uid, gid_t gid, int flags)
{
    struct vfs_walk w;
    int r = vfs_walk_node(&w, ctx, path, flags & VFS_NOFOLLOW);
    return r < 0 ? r : vfs_node_chown(ctx, w.node, uid, gid);
}

int vfs_utimens(struct vfs_ctx *ctx, const char *path, const struct timespec ts[2], int flags)
{
    for (int i = 0; ts && i < 2; i++)
        if (ts[i].tv_nsec != UTIME_NOW && ts[i].tv_nsec != UTIME_OMIT &&
            (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= 1000000000L))
            return -EINVAL;
    struct vfs_walk w;
    int r = vfs_walk_node(&w, ctx, path, flags & VFS_NOFOLLOW);
    return r < 0 ? r : vfs_node_utimens(ctx, w.node, ts);
}

int vfs_truncate(struct vfs_ctx *ctx, const char *path, off_t size)
{
    if (size < 0) return -EINVAL;
    struct vfs_walk w;
    int r = vfs_walk_node(&w, ctx, path, 0);
    if (r < 0) return r;
    if (S_ISDIR(w.st.st_mode)) return -EISDIR;
    if (!S_ISREG(w.st.st_mode)) return -EINVAL;
    if ((r = vfs_writable(ctx, w.node)) < 0) return r;
    if ((r = vfs_permission(ctx->cred, &w.st, W_OK)) < 0) return r;
    return vfs_node_truncate(ctx, w.node, size);
}

int vfs_statfs(struct vfs_ctx *ctx, const char *path, struct statvfs *sv)
{
    struct vfs_walk w;
    int r = vfs_walk_node(&w, ctx, path, 0);
    if (r < 0) return r;
    memset(sv, 0, sizeof *sv);
    struct vfs_fs *fs = w.node.fs;
    if (fs->ops->statfs && (r = fs->ops->statfs(fs, sv)) < 0) return r;
    if (!sv->f_namemax) sv->f_namemax = VFS_NAME_MAX;
    if (vfs_writable(ctx, w.node) < 0) sv->f_flag |= ST_RDONLY;
    return 0;
}

/* ---- the same on open nodes --------------------------------------------------- */

static int vfs_setattr(vnode n, const struct vfs_setattr *set)
{
    return n.fs->ops->setattr(n.fs, n.ino, set);
}

int vfs_node_chmod(struct vfs_ctx *ctx, vnode n, mode_t mode)
{
    struct stat st;
    int r = vfs_getattr(n, &st);
    if (r < 0) return r;
    if ((r = vfs_writable(ctx, n)) < 0) return r;
    if (!vfs_is_owner(ctx->cred, &st)) return -EPERM;
    struct vfs_setattr set = {.mask = VFS_SET_MODE, .mode = mode & 07777};
    /* Only members of a file's group may make it setgid. */
    if (!vfs_is_root(ctx->cred) && !vfs_in_group(ctx->cred, st.st_gid)) set.mode &= ~S_ISGID;
    return vfs_setattr(n, &set);
}

int vfs_node_chown(struct vfs_ctx *ctx, vnode n, uid_t uid, gid_t gid)
{
    struct stat st;
    int r = vfs_getattr(n, &st);
    if (r < 0) return r;
    if ((r = vfs_writable(ctx, n)) < 0) return r;
    const struct vfs_cred *cred = ctx->cred;
    int root = vfs_is_root(cred);
    struct vfs_setattr set = {0};
    if (uid != (uid_t)-1) {
        if (!root && (cred->uid != st.st_uid || uid != st.st_uid)) return -EPERM;
        set.mask |= VFS_SET_UID;
        set.uid = uid;
    }
    if (gid != (gid_t)-1) {
        if (!root && (cred->uid != st.st_uid || (gid != st.st_gid && !vfs_in_group(cred, gid))))
            return -EPERM;
        set.mask |= VFS_SET_GID;
        set.gid = gid;
    }
    /* chown(2) of a non-directory, even to -1 -1, drops setuid, and setgid
     * unless the group cannot execute and the caller is in its group. */
    mode_t mode = st.st_mode & 07777;
    if (!S_ISDIR(st.st_mode)) {
        mode &= ~S_ISUID;
        if ((mode & S_IXGRP) || (!root && !vfs_in_group(cred, st.st_gid))) mode &= ~S_ISGID;
    }
    if (mode != (st.st_mode & 07777)) {
        if (!vfs_is_owner(cred, &st)) return -EPERM; /* as Linux: a mode change */
        set.mask |= VFS_SET_MODE;
        set.mode = mode;
    }
    return set.mask ? vfs_setattr(n, &set) : 0;
}

int vfs_node_utimens(struct vfs_ctx *ctx, vnode n, const struct timespec ts[2])
{
    struct timespec now[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
    if (!ts) ts = now;
    for (int i = 0; i < 2; i++)
        if (ts[i].tv_nsec != UTIME_NOW && ts[i].tv_nsec != UTIME_OMIT &&
            (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= 1000000000L))
            return -EINVAL;
    struct stat st;
    int r = vfs_getattr(n, &st);
    if (r < 0) return r;
    if ((r = vfs_writable(ctx, n)) < 0) return r;
    if (ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT) return 0;
    int touch = ts[0].tv_nsec == UTIME_NOW && ts[1].tv_nsec == UTIME_NOW;
    if (!vfs_is_owner(ctx->cred, &st)) {
        /* Setting the current time needs write access, any other time or
         * a mix needs ownership (as Linux). */
        if (!touch) return -EPERM;
        if ((r = vfs_permission(ctx->cred, &st, W_OK)) < 0) return r;
    }
    struct vfs_setattr set = {0};
    if (ts[0].tv_nsec != UTIME_OMIT) {
        set.mask |= VFS_SET_ATIME;
        set.atime = ts[0];
    }
    if (ts[1].tv_nsec != UTIME_OMIT) {
        set.mask |= VFS_SET_MTIME;
        set.mtime = ts[1];
    }
    return vfs_setattr(n, &set);
}

int vfs_node_truncate(struct vfs_ctx *ctx, vnode n, off_t size)
{
    if (size < 0) return -EINVAL;
    struct stat st;
    int r = vfs_getattr(n, &st);
    if (r < 0) return r;
    if (S_ISDIR(st.st_mode)) return -EISDIR;
    if (!S_ISREG(st.st_mode)) return -EINVAL;
    if ((r = vfs_writable(ctx, n)) < 0) return r;
    struct vfs_setattr set = {.mask = VFS_SET_SIZE, .size = size};
    return vfs_setattr(n, &set);
}
