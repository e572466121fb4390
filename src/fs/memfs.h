/* memfs.h — the default in-memory filesystem, built for sharing.
 * See memfs.c for the data structures. */
#ifndef VOS_FS_MEMFS_H
#define VOS_FS_MEMFS_H
#include "fs/vfs.h"

/* A new empty instance: a root directory (ino 1... or whatever the backend
 * picks, in fs->root_ino) owned by uid/gid with mode 0755. NULL on ENOMEM. */
struct vfs_fs *memfs_new(uint64_t dev, uid_t uid, gid_t gid);

/* ---- for tests and fuzzing ---- */

/* What memfs_check counted. */
struct memfs_stats {
    uint64_t inodes;        /* inode records in the tree (orphans included) */
    uint64_t bytes;         /* bytes of allocated 4 KiB blocks, recounted */
    uint64_t private_bytes; /* memory held by this instance alone: what a
                               write after a fork has copied */
};

/* Walk the whole tree and check its invariants (link counts, directory
 * link counts and "..", hash index, block counts, used_bytes/used_inodes,
 * no orphan without an open count). 0 or -EIO; O(size of the tree). */
int memfs_check(struct vfs_fs *fs, struct memfs_stats *st);

/* Fault injection: when set to N > 0, the Nth allocation memfs makes from
 * now on fails (and the counter stops at 0). Not thread-safe; tests only. */
extern long memfs_fault_countdown;

#endif
