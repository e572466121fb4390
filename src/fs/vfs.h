/* vfs.h — the filesystem layer's contract.
 *
 * A filesystem instance (memfs, procfs, later hostfs and overlay) sits behind
 * one ops table, struct vfs_ops. Backends work on inode numbers inside their
 * own instance and know nothing about paths, mounts, credentials or other
 * filesystems. Everything path-shaped lives above them in vfs.c, in one place:
 * the mount table, resolution of ".", "..", symlinks (40 hops) and mount
 * crossings, permission checks, and the POSIX rules of each call.
 *
 * Errors are negative errno values everywhere. Nothing here allocates on
 * behalf of a caller except where a function says it returns memory.
 */
#ifndef VOS_FS_VFS_H
#define VOS_FS_VFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <time.h>

#define VFS_NAME_MAX 255
#define VFS_PATH_MAX 4096
#define VFS_SYMLOOP_MAX 40

struct vfs_fs;

/* A node of the whole namespace: an inode of one filesystem instance. */
typedef struct vnode {
    struct vfs_fs *fs;
    uint64_t ino;
} vnode;

struct vfs_dirent {
    uint64_t ino;
    unsigned char type; /* DT_REG, DT_DIR, DT_LNK, DT_FIFO, DT_CHR, ... */
    char name[VFS_NAME_MAX + 1];
};

/* What setattr changes: a mask of VFS_SET_* and the new values. Times equal
 * to UTIME_NOW are set to the filesystem's clock; UTIME_OMIT leaves them. */
enum {
    VFS_SET_MODE = 1 << 0, /* permission bits only (07777); type is kept */
    VFS_SET_UID = 1 << 1,
    VFS_SET_GID = 1 << 2,
    VFS_SET_SIZE = 1 << 3, /* truncate or extend with a hole */
    VFS_SET_ATIME = 1 << 4,
    VFS_SET_MTIME = 1 << 5,
};
struct vfs_setattr {
    unsigned mask;
    mode_t mode;
    uid_t uid;
    gid_t gid;
    off_t size;
    struct timespec atime, mtime;
};

/* What a new node is: type and permission bits in mode (S_IFREG, S_IFDIR,
 * S_IFLNK, S_IFIFO, S_IFCHR with rdev), owner, and for symlinks the target. */
struct vfs_newnode {
    mode_t mode;
    uid_t uid;
    gid_t gid;
    dev_t rdev;
    const char *target;
};

/* What a "magic" link of procfs points at (/proc/self/fd/N, /proc/self/cwd):
 * either a node of the namespace or an open file of a process. */
struct vfs_magic {
    int want_file; /* in: set by vfs.c when its caller takes a file */
    vnode node;    /* out: set when the target is a node */
    void *file;    /* out: else a struct file *, referenced only if want_file */
    struct stat st; /* out: with file, what fstat of it says (for vfs_stat) */
};

struct vfs_ops {
    /* Find name in directory dir. ".." of the instance's root is the root
     * itself (vfs.c handles crossing out of a mount). "." is never passed. */
    int (*lookup)(struct vfs_fs *fs, uint64_t dir, const char *name, uint64_t *ino);
    /* Fill st (st_dev is the instance's dev, st_ino the inode number). */
    int (*getattr)(struct vfs_fs *fs, uint64_t ino, struct stat *st);
    /* Change attributes; ctime is updated on any change. Size changes apply
     * only to regular files (-EISDIR on a directory, -EINVAL otherwise). */
    int (*setattr)(struct vfs_fs *fs, uint64_t ino, const struct vfs_setattr *set);
    /* Read/write a regular file's bytes at off; holes read as zeros. Return
     * bytes done. Write extends the file and updates mtime/ctime; read
     * updates atime (relatime is fine). -ENOSPC past the instance's limits. */
    ssize_t (*read)(struct vfs_fs *fs, uint64_t ino, void *buf, size_t n, off_t off);
    ssize_t (*write)(struct vfs_fs *fs, uint64_t ino, const void *buf, size_t n, off_t off);
    /* Directory entries in a stable order (creation order for memfs),
     * without "." and "..". *cookie starts at 0; returns 1 and advances it for
     * an entry, 0 at the end. Entries added or removed between calls must not
     * make it skip or repeat the others. */
    int (*readdir)(struct vfs_fs *fs, uint64_t dir, uint64_t *cookie, struct vfs_dirent *out);
    /* Make a node of any type named name in dir: -EEXIST if the name is taken. */
    int (*mknode)(struct vfs_fs *fs, uint64_t dir, const char *name, const struct vfs_newnode *nn,
                  uint64_t *ino);
    /* Hard link ino under a new name (never a directory: vfs.c checks). */
    int (*link)(struct vfs_fs *fs, uint64_t ino, uint64_t dir, const char *name);
    /* Remove a name. rmdir: -ENOTDIR / -ENOTEMPTY; unlink: -EISDIR on a
     * directory. An inode whose last link goes stays alive while it is open. */
    int (*unlink)(struct vfs_fs *fs, uint64_t dir, const char *name);
    int (*rmdir)(struct vfs_fs *fs, uint64_t dir, const char *name);
    /* rename(2) within the instance. vfs.c has checked permissions and that a
     * directory is not moved into its own subtree; the backend applies the
     * replace rules: -EISDIR (file over dir), -ENOTDIR (dir over file),
     * -ENOTEMPTY (dir over non-empty dir), no-op when both names are links to
     * the same inode. Atomic: no observer sees neither or both names. */
    int (*rename)(struct vfs_fs *fs, uint64_t olddir, const char *oldname, uint64_t newdir,
                  const char *newname);
    /* Copy a symlink's target into buf (not NUL-terminated), return length. */
    ssize_t (*readlink)(struct vfs_fs *fs, uint64_t ino, char *buf, size_t n);
    int (*statfs)(struct vfs_fs *fs, struct statvfs *sv);
    /* Open count, so that unlinked-but-open inodes stay readable. */
    void (*open)(struct vfs_fs *fs, uint64_t ino);
    void (*close)(struct vfs_fs *fs, uint64_t ino);
    /* Optional (procfs): resolve a magic link for the calling process.
     * Called for every symlink of the instance that is followed; -EINVAL
     * means "an ordinary symlink" and vfs.c reads it with readlink. */
    int (*magic)(struct vfs_fs *fs, uint64_t ino, void *proc, struct vfs_magic *out);
    /* Optional: a new instance sharing this one's contents copy-on-write, in
     * O(1); used by vos_fork. Open counts are not carried over. */
    struct vfs_fs *(*clone)(struct vfs_fs *fs);
    /* Optional: an O(1) frozen copy of the contents, and putting one back. */
    void *(*snapshot)(struct vfs_fs *fs);
    int (*restore)(struct vfs_fs *fs, void *snap);
    void (*snapshot_free)(void *snap);
    void (*destroy)(struct vfs_fs *fs);
};

/* The part every instance starts with. The mounter sets the clock and the
 * limits (0 means none). bytes/inodes used are kept by the backend. */
struct vfs_fs {
    const struct vfs_ops *ops;
    uint64_t root_ino;
    uint64_t dev;
    void (*now)(void *ctx, struct timespec *ts);
    void *now_ctx;
    uint64_t max_bytes, max_inodes;
    uint64_t used_bytes, used_inodes;
};

/* The clock of an instance (realtime when none is set). */
void vfs_now(struct vfs_fs *fs, struct timespec *ts);

/* ---- the namespace: a mount table ---------------------------------------- */

struct vfs_mount {
    char *path;         /* canonical absolute path of the mount point */
    vnode on;           /* the covered directory ("/" has none: fs NULL) */
    struct vfs_fs *fs;  /* what is mounted there */
    int readonly;
};

struct vfs_ns {
    struct vfs_mount *mounts; /* mounts[0] is "/" */
    int nmounts;
};

/* Who is asking, and from where. */
struct vfs_cred {
    uid_t uid;
    gid_t gid;
    int ngroups;
    const gid_t *groups;
};
struct vfs_ctx {
    struct vfs_ns *ns;
    const struct vfs_cred *cred;
    vnode cwd;
    void *proc; /* passed to ops->magic */
    mode_t umask;
};

int vfs_ns_init(struct vfs_ns *ns, struct vfs_fs *root);
/* Mount fs on the existing directory path (resolved with ctx; no
 * permission check: mounting is the embedder's). -EBUSY for "/" or an
 * instance already mounted. Once mounted, the namespace owns fs. */
int vfs_mount(struct vfs_ctx *ctx, const char *path, struct vfs_fs *fs, int readonly);
/* Deep-copy the table for a forked VM; each instance is cloned. */
int vfs_ns_clone(struct vfs_ns *dst, const struct vfs_ns *src);
/* Unmount everything and destroy the instances. */
void vfs_ns_free(struct vfs_ns *ns);
vnode vfs_root(const struct vfs_ns *ns);

/* Resolution flags. */
enum {
    VFS_NOFOLLOW = 1 << 0, /* do not follow a final symlink */
    VFS_DIRECTORY = 1 << 1, /* final component must be a directory */
};

/* Resolve path to a node. When a magic link resolves to an open file, returns
 * -EVFS_FILE and stores the file in *file (reference taken) when file is not
 * NULL (the magic op is called with want_file set). vfs_stat of such a path
 * returns the magic op's st; other calls on it give -EVFS_FILE or a fitting
 * errno (-ENOTDIR for chdir, -EINVAL for the rest). */
#define EVFS_FILE 4096
int vfs_resolve(struct vfs_ctx *ctx, const char *path, int flags, vnode *out, void **file);
/* Resolve all but the last component: the parent directory and the final
 * name (trailing slashes noted in *trailing_slash). "/" has no last name:
 * -EBUSY. A final "." or "..": -EINVAL for callers that create or remove. */
int vfs_resolve_parent(struct vfs_ctx *ctx, const char *path, vnode *dir,
                       char name[VFS_NAME_MAX + 1], int *trailing_slash);
/* The canonical absolute path of a directory node (for getcwd): 0, -ERANGE
 * when it does not fit in n bytes, -ENOENT for a removed directory. */
int vfs_path_of(struct vfs_ctx *ctx, vnode dir, char *buf, size_t n);

/* Permission check of mode bits against cred: want is a mask of R_OK, W_OK,
 * X_OK. Root passes except X_OK on a file with no x bit. */
int vfs_permission(const struct vfs_cred *cred, const struct stat *st, int want);
/* -EROFS if node is on a read-only mount. */
int vfs_writable(struct vfs_ctx *ctx, vnode node);

/* ---- POSIX calls on paths (all the checks in one place) ------------------ */

/* open(2) without the file object: resolves, creates (O_CREAT, O_EXCL),
 * checks access for O_RDONLY/O_WRONLY/O_RDWR, truncates (O_TRUNC), refuses
 * writing a directory (-EISDIR), honours O_NOFOLLOW, O_DIRECTORY.
 * Does not call ops->open: whoever keeps the node open takes that count.
 * O_CREAT|O_DIRECTORY is -EINVAL (Linux 6.4+); O_PATH skips access checks. */
int vfs_open(struct vfs_ctx *ctx, const char *path, int flags, mode_t mode, vnode *out,
             void **file);
int vfs_stat(struct vfs_ctx *ctx, const char *path, int flags, struct stat *st);
int vfs_access(struct vfs_ctx *ctx, const char *path, int mode, int flags);
int vfs_mkdir(struct vfs_ctx *ctx, const char *path, mode_t mode);
int vfs_mknod(struct vfs_ctx *ctx, const char *path, mode_t mode, dev_t rdev);
int vfs_rmdir(struct vfs_ctx *ctx, const char *path);
int vfs_unlink(struct vfs_ctx *ctx, const char *path);
int vfs_rename(struct vfs_ctx *ctx, const char *oldpath, const char *newpath);
/* flags: AT_SYMLINK_FOLLOW to link what a final symlink of oldpath names. */
int vfs_link(struct vfs_ctx *ctx, const char *oldpath, const char *newpath, int flags);
int vfs_symlink(struct vfs_ctx *ctx, const char *target, const char *linkpath);
ssize_t vfs_readlink(struct vfs_ctx *ctx, const char *path, char *buf, size_t n);
int vfs_chmod(struct vfs_ctx *ctx, const char *path, mode_t mode, int flags);
int vfs_chown(struct vfs_ctx *ctx, const char *path, uid_t uid, gid_t gid, int flags);
int vfs_utimens(struct vfs_ctx *ctx, const char *path, const struct timespec ts[2], int flags);
int vfs_truncate(struct vfs_ctx *ctx, const char *path, off_t size);
int vfs_statfs(struct vfs_ctx *ctx, const char *path, struct statvfs *sv);

/* The same checks on an already-open node (fchmod, fchown, futimens, ftruncate). */
int vfs_node_chmod(struct vfs_ctx *ctx, vnode n, mode_t mode);
int vfs_node_chown(struct vfs_ctx *ctx, vnode n, uid_t uid, gid_t gid);
int vfs_node_utimens(struct vfs_ctx *ctx, vnode n, const struct timespec ts[2]);
int vfs_node_truncate(struct vfs_ctx *ctx, vnode n, off_t size);

#endif
