/* hostfs.h — a host directory as a filesystem instance, strictly confined
 * to it. See hostfs.c for the confinement design. */
#ifndef VOS_FS_HOSTFS_H
#define VOS_FS_HOSTFS_H
#include "fs/vfs.h"

/* Mount host directory dir (a host path; symlinks in it are followed once,
 * here, by the embedder's choice). readonly: every change is -EROFS.
 * Host files owned by the host's effective uid (gid) show as vm_uid
 * (vm_gid), other root-owned ones as 0, the rest as 65534 (nobody).
 * NULL with *err set (-ENOENT, -ENOTDIR, -EACCES, -ENOMEM, -ENOSYS when the
 * host kernel lacks openat2). */
struct vfs_fs *hostfs_new(const char *dir, int readonly, uint64_t dev, uid_t vm_uid, gid_t vm_gid,
                          int *err);

/* Is fs a hostfs instance? */
int hostfs_is(const struct vfs_fs *fs);

/* A new read-write instance on the same host directory as fs (which may be
 * read-only): what writing an overlay's changes back goes through. */
struct vfs_fs *hostfs_reopen_rw(struct vfs_fs *fs, int *err);

#endif
