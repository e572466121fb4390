/* memfs.h — the default in-memory filesystem, built for sharing.
 * See memfs.c for the data structures. */
#ifndef VOS_FS_MEMFS_H
#define VOS_FS_MEMFS_H
#include "fs/vfs.h"

/* A new empty instance: a root directory (ino 1... or whatever the backend
 * picks, in fs->root_ino) owned by uid/gid with mode 0755. NULL on ENOMEM. */
struct vfs_fs *memfs_new(uint64_t dev, uid_t uid, gid_t gid);

#endif
