/* hostfs.c — a host directory as a filesystem instance, read-only or
 * read-write, confined to that directory.
 *
 * Confinement. vfs.c never hands a backend a path: it asks for one name in
 * one directory at a time and resolves "..", symlinks and mounts itself, in
 * the VM's namespace. So host symlinks are only ever *read* (readlinkat) and
 * shown as symlinks; an absolute target like /etc/passwd then names the
 * VM's /etc/passwd, never the host's. Every host access starts from one
 * O_PATH fd of the mounted directory (rootfd) and goes through
 *     openat2(rootfd, "a/b/name", O_PATH|O_NOFOLLOW,
 *             RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
 *             RESOLVE_NO_XDEV)
 * so the host kernel itself refuses any path that would leave the directory,
 * cross a symlink (one swapped in by a racing host process included) or a
 * mount point. What comes back is checked against the inode we expect (host
 * st_dev and st_ino) before use; a mismatch means the host changed the tree
 * under us and gives -ENOENT. Files are read and written through fds made
 * from those O_PATH fds (reopened through /proc/self/fd, which names that
 * very inode), only after fstat said "regular file": a host FIFO, device or
 * socket is never opened. They are shown with their type but mode 0000 and
 * rdev 0, and read/write on them give -EACCES. Changes use the *at calls on
 * a confined directory fd with a single name (mkdirat, symlinkat, renameat,
 * unlinkat, linkat of /proc/self/fd/N), so nothing they touch is outside.
 * A host hard link to an outside file inside the directory is readable (it
 * is the same inode, legitimately placed there by the host).
 *
 * Inodes. The VM's inode number is the host's (one host filesystem, since
 * mounts are not crossed, so numbers are unique and stable, and hard links
 * share them). A table maps each number handed out to the directory it was
 * found in and its name there; a path is rebuilt from those records, so a
 * directory renamed by the VM moves all its descendants at once, and the
 * table holds no host fds (a tree of a million files needs no million fds).
 * Open files (ops->open) keep a data fd, so an unlinked-but-open file stays
 * readable; other reads share a small cache of data fds.
 *
 * Ownership: the host's effective uid/gid shows as the VM user, other
 * root-owned files as root, anything else as 65534 (nobody). chown can only
 * keep those values. Permission bits pass through; the host kernel applies
 * its own checks on top (a file the host user cannot write stays unwritable).
 *
 * Sharing: clone() gives a new instance sharing one core (the table, the
 * fds, a mutex: forked VMs may use it from different threads). snapshot()
 * is not possible (the host directory is live): it returns NULL.
 */
#include "fs/hostfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#define HOSTFS_NOBODY 65534
#define HOSTFS_FDCACHE 16
#define HOSTFS_DIRBUF 8192

struct hnode {
    uint64_t ino;
    uint64_t parent; /* where it was last found (root: itself) */
    char *name;      /* its name there (root: NULL) */
    int dfd;         /* data fd of a regular file, or -1 */
    int dfd_rw;      /* dfd is O_RDWR */
    int opens;       /* ops->open count: keeps dfd */
    unsigned lru;    /* last use of an unpinned dfd */
};

struct hostfs_core {
    atomic_int refs;
    pthread_mutex_t lock;
    int rootfd;
    dev_t hdev;
    uint64_t root_ino;
    int readonly;
    uid_t host_uid, vm_uid;
    gid_t host_gid, vm_gid;
    struct hnode **tab; /* open addressing by ino */
    size_t cap, count;
    int ncached; /* unpinned data fds */
    unsigned clock;
    /* readdir: one open directory and a buffer of entries */
    uint64_t d_ino;
    int d_fd;
    char *d_buf;
    size_t d_len, d_pos;
    uint64_t d_cookie; /* the cookie the entry at d_pos answers */
};

struct hostfs {
    struct vfs_fs fs;
    struct hostfs_core *c;
};

static const struct vfs_ops hostfs_ops;

#define CORE(fs) (((struct hostfs *)(fs))->c)

/* ---- the inode table -------------------------------------------------- */

static size_t h_slot(const struct hostfs_core *c, uint64_t ino)
{
    uint64_t h = ino * 0x9e3779b97f4a7c15ull;
    size_t i = (size_t)(h >> 20) & (c->cap - 1);
    while (c->tab[i] && c->tab[i]->ino != ino) i = (i + 1) & (c->cap - 1);
    return i;
}

static struct hnode *h_get(const struct hostfs_core *c, uint64_t ino)
{
    return c->cap ? c->tab[h_slot(c, ino)] : NULL;
}

static int h_grow(struct hostfs_core *c)
{
    size_t ncap = c->cap ? c->cap * 2 : 256;
    struct hnode **old = c->tab;
    size_t ocap = c->cap;
    if (!(c->tab = calloc(ncap, sizeof *c->tab))) {
        c->tab = old;
        return -ENOMEM;
    }
    c->cap = ncap;
    for (size_t i = 0; i < ocap; i++)
        if (old[i]) c->tab[h_slot(c, old[i]->ino)] = old[i];
    free(old);
    return 0;
}

/* Record that ino is called name in directory parent. */
static int h_note(struct hostfs_core *c, uint64_t ino, uint64_t parent, const char *name)
{
    struct hnode *n = h_get(c, ino);
    if (n) {
        if (ino == c->root_ino) return 0;
        if (n->parent == parent && n->name && !strcmp(n->name, name)) return 0;
        char *nm = strdup(name);
        if (!nm) return -ENOMEM;
        free(n->name);
        n->name = nm;
        n->parent = parent;
        return 0;
    }
    if ((c->count + 1) * 2 > c->cap && h_grow(c) < 0) return -ENOMEM;
    if (!(n = calloc(1, sizeof *n))) return -ENOMEM;
    n->ino = ino;
    n->parent = parent;
    n->dfd = -1;
    if (name && !(n->name = strdup(name))) {
        free(n);
        return -ENOMEM;
    }
    c->tab[h_slot(c, ino)] = n;
    c->count++;
    return 0;
}

/* The path of ino relative to the root ("." for the root itself). */
static int h_path(struct hostfs_core *c, uint64_t ino, char *buf, size_t n)
{
    size_t pos = n - 1;
    buf[pos] = 0;
    for (int depth = 0; ino != c->root_ino; depth++) {
        struct hnode *h = h_get(c, ino);
        if (!h || !h->name || depth > VFS_PATH_MAX / 2) return -ENOENT;
        size_t l = strlen(h->name);
        if (l + 1 > pos) return -ENAMETOOLONG;
        if (pos != n - 1) buf[--pos] = '/';
        pos -= l;
        memcpy(buf + pos, h->name, l);
        ino = h->parent;
    }
    if (pos == n - 1) buf[--pos] = '.';
    memmove(buf, buf + pos, n - pos);
    return 0;
}

/* ---- confined host access ----------------------------------------------- */

static int h_openat2(int dirfd, const char *path, int flags)
{
    struct open_how how = {
        .flags = (uint64_t)(flags | O_CLOEXEC | O_NOFOLLOW),
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
    };
    long fd;
    do fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
    while (fd < 0 && errno == EINTR);
    if (fd >= 0) return (int)fd;
    /* A mount point or a symlink where a directory was: not reachable. */
    if (errno == EXDEV) return -EACCES;
    if (errno == ELOOP) return -ENOENT;
    return -errno;
}

/* An O_PATH fd of ino, checked to be that inode; st filled. */
static int h_open(struct hostfs_core *c, uint64_t ino, struct stat *st)
{
    char path[VFS_PATH_MAX];
    int r = h_path(c, ino, path, sizeof path);
    if (r < 0) return r;
    int fd = h_openat2(c->rootfd, path, O_PATH);
    if (fd < 0) return fd;
    if (fstat(fd, st) < 0 || st->st_dev != c->hdev || st->st_ino != ino) {
        close(fd);
        return -ENOENT;
    }
    return fd;
}

static int h_is_special(mode_t m)
{
    return !S_ISREG(m) && !S_ISDIR(m) && !S_ISLNK(m);
}

static void h_stat_out(struct vfs_fs *fs, const struct stat *h, struct stat *st)
{
    struct hostfs_core *c = CORE(fs);
    *st = *h;
    st->st_dev = fs->dev;
    st->st_rdev = 0;
    st->st_uid = h->st_uid == c->host_uid ? c->vm_uid : h->st_uid == 0 ? 0 : HOSTFS_NOBODY;
    st->st_gid = h->st_gid == c->host_gid ? c->vm_gid : h->st_gid == 0 ? 0 : HOSTFS_NOBODY;
    if (h_is_special(h->st_mode)) {
        st->st_mode = h->st_mode & S_IFMT;
        st->st_uid = st->st_gid = 0;
    }
}

static int h_proc_path(int fd, char *buf, size_t n)
{
    return snprintf(buf, n, "/proc/self/fd/%d", fd) < (int)n ? 0 : -ENAMETOOLONG;
}

/* Reopen an O_PATH fd of a regular file for I/O: the same inode. */
static int h_reopen(int pfd, int flags)
{
    char p[64];
    h_proc_path(pfd, p, sizeof p);
    int fd = open(p, flags | O_CLOEXEC | O_NOCTTY);
    return fd < 0 ? -errno : fd;
}

static void h_drop_dfd(struct hostfs_core *c, struct hnode *h)
{
    if (h->dfd < 0) return;
    close(h->dfd);
    h->dfd = -1;
    if (!h->opens) c->ncached--;
}

/* Make room in the cache of unpinned data fds. */
static void h_evict(struct hostfs_core *c)
{
    while (c->ncached >= HOSTFS_FDCACHE) {
        struct hnode *old = NULL;
        for (size_t i = 0; i < c->cap; i++) {
            struct hnode *h = c->tab[i];
            if (h && h->dfd >= 0 && !h->opens && (!old || h->lru < old->lru)) old = h;
        }
        if (!old) return;
        h_drop_dfd(c, old);
    }
}

/* The data fd of regular file ino (O_RDWR when rw, else at least O_RDONLY). */
static int h_data(struct hostfs_core *c, uint64_t ino, int rw)
{
    struct hnode *h = h_get(c, ino);
    if (!h) return -ENOENT;
    h->lru = ++c->clock;
    if (h->dfd >= 0 && (h->dfd_rw || !rw)) return h->dfd;
    int fd;
    if (h->dfd >= 0) {
        /* Upgrade through the open fd: works for an unlinked file too. */
        fd = h_reopen(h->dfd, O_RDWR);
    } else {
        struct stat st;
        int pfd = h_open(c, ino, &st);
        if (pfd < 0) return pfd;
        if (S_ISDIR(st.st_mode))
            fd = -EISDIR;
        else if (!S_ISREG(st.st_mode))
            fd = -EACCES;
        else {
            fd = h_reopen(pfd, rw || !c->readonly ? O_RDWR : O_RDONLY);
            if (fd == -EACCES && !rw)
                fd = h_reopen(pfd, O_RDONLY);
            else
                rw = rw || (fd >= 0 && !c->readonly);
        }
        close(pfd);
        if (fd >= 0 && !h->opens) {
            h_evict(c);
            c->ncached++;
        }
    }
    if (fd < 0) return fd;
    if (h->dfd >= 0) close(h->dfd);
    h->dfd = fd;
    h->dfd_rw = rw;
    return fd;
}

/* ---- ops ---------------------------------------------------------------------- */

static int h_name_ok(const char *name)
{
    if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) return -EINVAL;
    return strlen(name) > VFS_NAME_MAX ? -ENAMETOOLONG : 0;
}

/* The O_PATH fd of entry name in directory dir, its stat and inode recorded. */
static int h_open_entry(struct hostfs_core *c, uint64_t dir, const char *name, struct stat *st)
{
    char path[VFS_PATH_MAX];
    int r = h_path(c, dir, path, sizeof path);
    if (r < 0) return r;
    size_t l = strlen(path), nl = strlen(name);
    if (l + nl + 2 > sizeof path) return -ENAMETOOLONG;
    if (!strcmp(path, "."))
        l = 0;
    else
        path[l++] = '/';
    memcpy(path + l, name, nl + 1);
    int fd = h_openat2(c->rootfd, path, O_PATH);
    if (fd < 0) return fd;
    if (fstat(fd, st) < 0 || st->st_dev != c->hdev) {
        close(fd);
        return -EACCES;
    }
    if ((r = h_note(c, st->st_ino, dir, name)) < 0) {
        close(fd);
        return r;
    }
    return fd;
}

static int hostfs_lookup(struct vfs_fs *fs, uint64_t dir, const char *name, uint64_t *ino)
{
    struct hostfs_core *c = CORE(fs);
    pthread_mutex_lock(&c->lock);
    int r = 0;
    struct stat st;
    if (!strcmp(name, "..")) {
        struct hnode *h = h_get(c, dir);
        if (!h)
            r = -ENOENT;
        else
            *ino = dir == c->root_ino ? dir : h->parent;
    } else if ((r = h_name_ok(name)) == 0) {
        int fd = h_open(c, dir, &st);
        if (fd >= 0) {
            close(fd);
            fd = S_ISDIR(st.st_mode) ? h_open_entry(c, dir, name, &st) : -ENOTDIR;
        }
        if (fd < 0)
            r = fd;
        else {
            close(fd);
            *ino = st.st_ino;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return r;
}

static int hostfs_getattr(struct vfs_fs *fs, uint64_t ino, struct stat *st)
{
    struct hostfs_core *c = CORE(fs);
    pthread_mutex_lock(&c->lock);
    struct stat hs;
    struct hnode *h = h_get(c, ino);
    int r = 0;
    if (h && h->dfd >= 0) {
        /* An open file: its fd knows it even when unlinked. */
        if (fstat(h->dfd, &hs) < 0) r = -errno;
    } else {
        int fd = h_open(c, ino, &hs);
        if (fd < 0)
            r = fd;
        else
            close(fd);
    }
    if (r == 0) h_stat_out(fs, &hs, st);
    pthread_mutex_unlock(&c->lock);
    return r;
}

static int h_setattr_locked(struct vfs_fs *fs, uint64_t ino, const struct vfs_setattr *set)
{
    struct hostfs_core *c = CORE(fs);
    if (c->readonly) return -EROFS;
    struct stat hs, cur;
    int fd = h_open(c, ino, &hs);
    if (fd < 0) return fd;
    h_stat_out(fs, &hs, &cur);
    int r = 0;
    char p[64];
    h_proc_path(fd, p, sizeof p);
    if ((set->mask & VFS_SET_UID) && set->uid != cur.st_uid) r = -EPERM;
    if ((set->mask & VFS_SET_GID) && set->gid != cur.st_gid) r = -EPERM;
    if (!r && h_is_special(hs.st_mode)) r = -EACCES;
    if (!r && (set->mask & VFS_SET_SIZE)) {
        if (S_ISDIR(hs.st_mode))
            r = -EISDIR;
        else if (!S_ISREG(hs.st_mode))
            r = -EINVAL;
        else {
            int dfd = h_data(c, ino, 1);
            r = dfd < 0 ? dfd : ftruncate(dfd, set->size) < 0 ? -errno : 0;
        }
    }
    if (!r && (set->mask & VFS_SET_MODE)) {
        if (S_ISLNK(hs.st_mode))
            r = -EOPNOTSUPP;
        else if (chmod(p, set->mode & 07777) < 0)
            r = -errno;
    }
    if (!r && (set->mask & (VFS_SET_ATIME | VFS_SET_MTIME))) {
        struct timespec ts[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
        if (set->mask & VFS_SET_ATIME) ts[0] = set->atime;
        if (set->mask & VFS_SET_MTIME) ts[1] = set->mtime;
        if (utimensat(fd, "", ts, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0) r = -errno;
    }
    close(fd);
    return r;
}

static int hostfs_setattr(struct vfs_fs *fs, uint64_t ino, const struct vfs_setattr *set)
{
    struct hostfs_core *c = CORE(fs);
    pthread_mutex_lock(&c->lock);
    int r = h_setattr_locked(fs, ino, set);
    pthread_mutex_unlock(&c->lock);
    return r;
}

static ssize_t hostfs_read(struct vfs_fs *fs, uint64_t ino, void *buf, size_t n, off_t off)
{
    struct hostfs_core *c = CORE(fs);
    pthread_mutex_lock(&c->lock);
    int fd = h_data(c, ino, 0);
    ssize_t r = fd;
    if (fd >= 0) {
        do r = pread(fd, buf, n, off);
        while (r < 0 && errno == EINTR);
        if (r < 0) r = -errno;
    }
    pthread_mutex_unlock(&c->lock);
    return r;
}

static ssize_t hostfs_write(struct vfs_fs *fs, uint64_t ino, const void *buf, size_t n, off_t off)
{
    struct hostfs_core *c = CORE(fs);
    if (c->readonly) return -EROFS;
    pthread_mutex_lock(&c->lock);
    int fd = h_data(c, ino, 1);
    ssize_t r = fd;
    if (fd >= 0) {
        do r = pwrite(fd, buf, n, off);
        while (r < 0 && errno == EINTR);
        if (r < 0) r = -errno;
    }
    pthread_mutex_unlock(&c->lock);
    return r;
}

/* Fill the readdir buffer of directory dir from host offset cookie. */
static int h_dir_fill(struct hostfs_core *c, uint64_t dir, uint64_t cookie)
{
    if (c->d_ino != dir || c->d_fd < 0) {
        if (c->d_fd >= 0) close(c->d_fd);
        c->d_fd = -1;
        c->d_ino = 0;
        struct stat st;
        int pfd = h_open(c, dir, &st);
        if (pfd < 0) return pfd;
        int fd = S_ISDIR(st.st_mode) ? openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                                     : (errno = ENOTDIR, -1);
        int e = errno;
        close(pfd);
        if (fd < 0) return -e;
        c->d_fd = fd;
        c->d_ino = dir;
    }
    if (!c->d_buf && !(c->d_buf = malloc(HOSTFS_DIRBUF))) return -ENOMEM;
    if (lseek(c->d_fd, (off_t)cookie, SEEK_SET) < 0) return -errno;
    long n = syscall(SYS_getdents64, c->d_fd, c->d_buf, HOSTFS_DIRBUF);
    if (n < 0) return -errno;
    c->d_len = (size_t)n;
    c->d_pos = 0;
    c->d_cookie = cookie;
    return 0;
}

struct h_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

static int hostfs_readdir(struct vfs_fs *fs, uint64_t dir, uint64_t *cookie, struct vfs_dirent *out)
{
    struct hostfs_core *c = CORE(fs);
    pthread_mutex_lock(&c->lock);
    int r = 0;
    for (;;) {
        if (c->d_ino != dir || c->d_fd < 0 || c->d_cookie != *cookie || c->d_pos >= c->d_len ||
            *cookie == 0) { /* a new listing always rereads */
            if ((r = h_dir_fill(c, dir, *cookie)) < 0) break;
            if (c->d_len == 0) break; /* the end */
        }
        struct h_dirent64 *d = (struct h_dirent64 *)(c->d_buf + c->d_pos);
        c->d_pos += d->d_reclen;
        c->d_cookie = (uint64_t)d->d_off;
        *cookie = (uint64_t)d->d_off;
        if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..")) continue;
        unsigned char type = d->d_type;
        if (type == DT_UNKNOWN) {
            struct stat st;
            if (fstatat(c->d_fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
                type = (unsigned char)IFTODT(st.st_mode);
        }
        out->ino = d->d_ino;
        out->type = type;
        snprintf(out->name, sizeof out->name, "%s", d->d_name);
        r = 1;
        break;
    }
    pthread_mutex_unlock(&c->lock);
    return r;
}

/* An O_PATH fd of directory dir, for the *at calls. */
static int h_dirfd(struct hostfs_core *c, uint64_t dir)
{
    struct stat st;
    int fd = h_open(c, dir, &st);
    if (fd >= 0 && !S_ISDIR(st.st_mode)) {
        close(fd);
        return -ENOTDIR;
    }
    return fd;
}

static void h_forget_dir(struct hostfs_core *c)
{
    /* The directory changed: the next readdir rereads from its cookie. */
    c->d_len = c->d_pos = 0;
}

static int h_mknode_locked(struct vfs_fs *fs, uint64_t dir, const char *name,
                           const struct vfs_newnode *nn, uint64_t *ino)
{
    struct hostfs_core *c = CORE(fs);
    int r = h_name_ok(name);
    if (r < 0) return r;
    if (c->readonly) return -EROFS;
    mode_t type = nn->mode & S_IFMT;
    if (type != S_IFREG && type != S_IFDIR && type != S_IFLNK) return -EPERM;
    int dfd = h_dirfd(c, dir);
    if (dfd < 0) return dfd;
    if (type == S_IFREG) {
        int fd = openat(dfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
            r = -errno;
        else
            close(fd);
    } else if (type == S_IFDIR) {
        r = mkdirat(dfd, name, 0700) < 0 ? -errno : 0;
    } else {
        r = symlinkat(nn->target, dfd, name) < 0 ? -errno : 0;
    }
    struct stat st;
    int fd = r < 0 ? r : h_open_entry(c, dir, name, &st);
    if (fd >= 0) {
        /* Exact bits, whatever the host umask says. */
        char p[64];
        h_proc_path(fd, p, sizeof p);
        if (type != S_IFLNK && chmod(p, nn->mode & 07777) < 0) r = -errno;
        close(fd);
        if (r == 0) *ino = st.st_ino;
    } else if (r == 0)
        r = fd;
    close(dfd);
    h_forget_dir(c);
    return r;
}

static int hostfs_mknode(struct vfs_fs *fs, uint64_t dir, const char *name,
                         const struct vfs_newnode *nn, uint64_t *ino)
{
    struct hostfs_core *c = CORE(fs);
    pthread_mutex_lock(&c->lock);
    int r = h_mknode_locked(fs, dir, name, nn, ino);
    pthread_mutex_unlock(&c->lock);
    return r;
}

static int h_link_locked(struct hostfs_core *c, uint64_t ino, uint64_t dir, const char *name)
{
    int r = h_name_ok(name);
    if (r < 0) return r;
    if (c->readonly) return -EROFS;
    struct stat st;
    int fd = h_open(c, ino, &st);
    if (fd < 0) return fd;
    int dfd = h_dirfd(c, dir);
    if (dfd < 0) {
        close(fd);
        return dfd;
    }
    struct hnode *h = h_get(c, ino);
    if (S_ISDIR(st.st_mode))
        r = -EPERM;
    else if (h_is_special(st.st_mode))
        r = -EACCES;
    else if (S_ISLNK(st.st_mode)) {
        /* A symlink by its recorded name: flags 0 never follows it. */
        int pfd = h->parent == ino ? -ENOENT : h_dirfd(c, h->parent);
        r = pfd < 0 ? pfd : linkat(pfd, h->name, dfd, name, 0) < 0 ? -errno : 0;
        if (pfd >= 0) close(pfd);
    } else {
        char p[64];
        h_proc_path(fd, p, sizeof p);
        r = linkat(AT_FDCWD, p, dfd, name, AT_SYMLINK_FOLLOW) < 0 ? -errno : 0;
    }
    close(fd);
    close(dfd);
    h_forget_dir(c);
    return r;
}

static int hostfs_link(struct vfs_fs *fs, uint64_t ino, uint64_t dir, const char *name)
{
    struct hostfs_core *c = CORE(fs);
    pthread_mutex_lock(&c->lock);
    int r = h_link_locked(c, ino, dir, name);
    pthread_mutex_unlock(&c->lock);
    return r;
}

static int h_remove(struct vfs_fs *fs, uint64_t dir, const char *name, int flags)
{
    struct hostfs_core *c = CORE(fs);
    int r = h_name_ok(name);
    if (r < 0) return r;
    if (c->readonly) return -EROFS;
    pthread_mutex_lock(&c->lock);
    int dfd = h_dirfd(c, dir);
    r = dfd < 0 ? dfd : unlinkat(dfd, name, flags) < 0 ? -errno : 0;
    if (r == -EEXIST) r = -ENOTEMPTY;
    if (dfd >= 0) close(dfd);
    h_forget_dir(c);
    pthread_mutex_unlock(&c->lock);
    return r;
}

static int hostfs_unlink(struct vfs_fs *fs, uint64_t dir, const char *name)
{
    return h_remove(fs, dir, name, 0);
}

static int hostfs_rmdir(struct vfs_fs *fs, uint64_t dir, const char *name)
{
    return h_remove(fs, dir, name, AT_REMOVEDIR);
}

static int hostfs_rename(struct vfs_fs *fs, uint64_t olddir, const char *oldname, uint64_t newdir,
                         const char *newname)
{
    struct hostfs_core *c = CORE(fs);
    int r = h_name_ok(oldname);
    if (r == 0) r = h_name_ok(newname);
    if (r < 0) return r;
    if (c->readonly) return -EROFS;
    pthread_mutex_lock(&c->lock);
    int ofd = h_dirfd(c, olddir);
    int nfd = ofd < 0 ? ofd : h_dirfd(c, newdir);
    r = nfd < 0 ? nfd : renameat(ofd, oldname, nfd, newname) < 0 ? -errno : 0;
    if (r == -EEXIST) r = -ENOTEMPTY;
    if (r == 0) {
        struct stat st;
        int fd = h_open_entry(c, newdir, newname, &st); /* records the new name */
        if (fd >= 0) close(fd);
    }
    if (ofd >= 0) close(ofd);
    if (nfd >= 0) close(nfd);
    h_forget_dir(c);
    pthread_mutex_unlock(&c->lock);
    return r;
}

static ssize_t hostfs_readlink(struct vfs_fs *fs, uint64_t ino, char *buf, size_t n)
{
    struct hostfs_core *c = CORE(fs);
    pthread_mutex_lock(&c->lock);
    struct stat st;
    int fd = h_open(c, ino, &st);
    ssize_t r = fd;
    if (fd >= 0) {
        r = !S_ISLNK(st.st_mode) ? -EINVAL : readlinkat(fd, "", buf, n);
        if (r < 0 && r != -EINVAL) r = -errno;
        close(fd);
    }
    pthread_mutex_unlock(&c->lock);
    return r;
}

static int hostfs_statfs(struct vfs_fs *fs, struct statvfs *sv)
{
    struct hostfs_core *c = CORE(fs);
    if (fstatvfs(c->rootfd, sv) < 0) return -errno;
    sv->f_fsid = fs->dev;
    if (c->readonly) sv->f_flag |= ST_RDONLY;
    return 0;
}

static void hostfs_open(struct vfs_fs *fs, uint64_t ino)
{
    struct hostfs_core *c = CORE(fs);
    pthread_mutex_lock(&c->lock);
    struct hnode *h = h_get(c, ino);
    if (h) {
        if (h->opens++ == 0 && h->dfd >= 0) c->ncached--; /* now pinned */
        if (h->dfd < 0) h_data(c, ino, 0); /* keep the inode: fails harmlessly on dirs */
    }
    pthread_mutex_unlock(&c->lock);
}

static void hostfs_close(struct vfs_fs *fs, uint64_t ino)
{
    struct hostfs_core *c = CORE(fs);
    pthread_mutex_lock(&c->lock);
    struct hnode *h = h_get(c, ino);
    if (h && h->opens > 0 && --h->opens == 0 && h->dfd >= 0) {
        close(h->dfd);
        h->dfd = -1;
    }
    pthread_mutex_unlock(&c->lock);
}

static struct vfs_fs *h_wrap(struct hostfs_core *c, const struct vfs_fs *like)
{
    struct hostfs *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->fs = *like;
    h->c = c;
    return &h->fs;
}

static struct vfs_fs *hostfs_clone(struct vfs_fs *fs)
{
    struct hostfs_core *c = CORE(fs);
    struct vfs_fs *n = h_wrap(c, fs);
    if (n) atomic_fetch_add(&c->refs, 1);
    return n;
}

static void *hostfs_snapshot(struct vfs_fs *fs)
{
    (void)fs;
    return NULL;
}

static void core_free(struct hostfs_core *c)
{
    for (size_t i = 0; i < c->cap; i++) {
        struct hnode *h = c->tab[i];
        if (!h) continue;
        if (h->dfd >= 0) close(h->dfd);
        free(h->name);
        free(h);
    }
    free(c->tab);
    free(c->d_buf);
    if (c->d_fd >= 0) close(c->d_fd);
    if (c->rootfd >= 0) close(c->rootfd);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static void hostfs_destroy(struct vfs_fs *fs)
{
    struct hostfs_core *c = CORE(fs);
    if (atomic_fetch_sub(&c->refs, 1) == 1) core_free(c);
    free(fs);
}

static const struct vfs_ops hostfs_ops = {
    .lookup = hostfs_lookup,
    .getattr = hostfs_getattr,
    .setattr = hostfs_setattr,
    .read = hostfs_read,
    .write = hostfs_write,
    .readdir = hostfs_readdir,
    .mknode = hostfs_mknode,
    .link = hostfs_link,
    .unlink = hostfs_unlink,
    .rmdir = hostfs_rmdir,
    .rename = hostfs_rename,
    .readlink = hostfs_readlink,
    .statfs = hostfs_statfs,
    .open = hostfs_open,
    .close = hostfs_close,
    .clone = hostfs_clone,
    .snapshot = hostfs_snapshot,
    .destroy = hostfs_destroy,
};

int hostfs_is(const struct vfs_fs *fs)
{
    return fs && fs->ops == &hostfs_ops;
}

/* A core on rootfd (taken over). */
static struct vfs_fs *h_new_core(int rootfd, int readonly, uint64_t dev, uid_t vm_uid, gid_t vm_gid,
                                 int *err)
{
    struct stat st;
    if (fstat(rootfd, &st) < 0 || !S_ISDIR(st.st_mode)) {
        *err = S_ISDIR(st.st_mode) ? -errno : -ENOTDIR;
        close(rootfd);
        return NULL;
    }
    /* Probe openat2 once: without it there is no confinement to offer. */
    int probe = h_openat2(rootfd, ".", O_PATH);
    if (probe < 0) {
        *err = probe == -ENOSYS ? -ENOSYS : probe;
        close(rootfd);
        return NULL;
    }
    close(probe);
    struct hostfs_core *c = calloc(1, sizeof *c);
    if (!c) {
        close(rootfd);
        *err = -ENOMEM;
        return NULL;
    }
    atomic_init(&c->refs, 1);
    pthread_mutex_init(&c->lock, NULL);
    c->rootfd = rootfd;
    c->d_fd = -1;
    c->hdev = st.st_dev;
    c->root_ino = st.st_ino;
    c->readonly = readonly;
    c->host_uid = geteuid();
    c->host_gid = getegid();
    c->vm_uid = vm_uid;
    c->vm_gid = vm_gid;
    struct vfs_fs like = {.ops = &hostfs_ops, .root_ino = st.st_ino, .dev = dev};
    struct vfs_fs *fs = NULL;
    if (h_note(c, st.st_ino, st.st_ino, NULL) == 0) fs = h_wrap(c, &like);
    if (!fs) {
        core_free(c);
        *err = -ENOMEM;
    }
    return fs;
}

struct vfs_fs *hostfs_new(const char *dir, int readonly, uint64_t dev, uid_t vm_uid, gid_t vm_gid,
                          int *err)
{
    int e;
    if (!err) err = &e;
    int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        *err = -errno;
        return NULL;
    }
    return h_new_core(fd, readonly, dev, vm_uid, vm_gid, err);
}

struct vfs_fs *hostfs_reopen_rw(struct vfs_fs *fs, int *err)
{
    int e;
    if (!err) err = &e;
    if (!hostfs_is(fs)) {
        *err = -EINVAL;
        return NULL;
    }
    struct hostfs_core *c = CORE(fs);
    int fd = fcntl(c->rootfd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) {
        *err = -errno;
        return NULL;
    }
    return h_new_core(fd, 0, fs->dev, c->vm_uid, c->vm_gid, err);
}
