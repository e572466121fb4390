/* overlay.h — a copy-on-write memfs upper over a read-only lower instance.
 * See overlay.c for the design. */
#ifndef VOS_FS_OVERLAY_H
#define VOS_FS_OVERLAY_H
#include "fs/vfs.h"

/* A new overlay over lower (which it takes over: destroyed with the
 * overlay; clones of the overlay use lower->ops->clone). The lower is
 * never written. uid/gid own the upper's internal directories only.
 * NULL with *err set. */
struct vfs_fs *overlay_new(struct vfs_fs *lower, uint64_t dev, int *err);
int overlay_is(const struct vfs_fs *fs);
struct vfs_fs *overlay_lower(struct vfs_fs *fs);

/* One difference between the lower tree and the overlay, by path. */
enum { OV_ADDED = 'A', OV_MODIFIED = 'M', OV_DELETED = 'D' };
struct overlay_change {
    int kind;         /* OV_ADDED, OV_MODIFIED, OV_DELETED */
    const char *path; /* relative to the overlay's root, no leading "/" */
    mode_t old_mode;  /* type and bits in the lower (0 when added) */
    mode_t new_mode;  /* in the overlay (0 when deleted) */
    int content;      /* MODIFIED: the bytes (or symlink target) differ,
                         not only the mode */
    uint64_t old_ino; /* lower inode (0 when added) */
    uint64_t new_ino; /* overlay inode (0 when deleted) */
};
/* Call fn for each change in path order (names sorted bytewise, a
 * directory before what is in it, deleted before added at one path; a
 * directory changing type is deleted with its contents, then added).
 * A non-zero return of fn stops the walk and is returned. */
typedef int (*overlay_change_fn)(void *ctx, const struct overlay_change *c);
int overlay_changes(struct vfs_fs *fs, overlay_change_fn fn, void *ctx);

/* The changes as text, one per line: "A path", "M path", "D path"
 * (paths with a newline, tab, backslash or double quote are written in
 * double quotes with C escapes). Directories are listed too. malloc'd. */
int overlay_change_list(struct vfs_fs *fs, char **text, size_t *len);

/* The changes as a unified diff, as `TZ=UTC diff -ruN a b` prints it for
 * a copy of the lower tree in a/ and of the overlay in b/ (see overlay.c).
 * malloc'd. */
int overlay_diff(struct vfs_fs *fs, char **text, size_t *len);

/* Write the changes into target, an instance holding the same tree as the
 * lower (a read-write hostfs of the same directory): each file atomically
 * (a temporary name, then rename), then deletions, new directories,
 * symlinks and modes. On success the overlay is reset: its upper is empty
 * again over the updated lower. */
int overlay_apply(struct vfs_fs *fs, struct vfs_fs *target);

/* Drop every change (the upper becomes empty). */
int overlay_reset(struct vfs_fs *fs);

#endif
