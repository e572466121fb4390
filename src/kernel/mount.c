/* mount.c — the C API for host directories (include/vos.h): mounting one
 * read-only, read-write or as a copy-on-write overlay, and listing, diffing
 * and writing back an overlay's changes. Each call holds the VM lock.
 */
#include "fs/hostfs.h"
#include "fs/overlay.h"
#include "kernel/kernel.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* st_dev numbers of mounted host directories: after the image and /proc. */
#define MOUNT_DEV_BASE 0x100

/* mkdir -p as root: the mount point may be anywhere. */
static int mkdir_p(struct vfs_ctx *ctx, const char *path)
{
    char buf[VFS_PATH_MAX];
    size_t len = strlen(path);
    if (len >= sizeof buf) return -ENAMETOOLONG;
    memcpy(buf, path, len + 1);
    for (char *s = buf + 1;; s++) {
        if (*s && *s != '/') continue;
        char c = *s;
        *s = 0;
        int r = vfs_mkdir(ctx, buf, 0755);
        if (r < 0 && r != -EEXIST) return r;
        *s = c;
        if (!c) break;
    }
    struct stat st;
    int r = vfs_stat(ctx, path, 0, &st);
    return r < 0 ? r : S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

int vos_mount_host(vos_vm *v, const char *host_dir, const char *vm_path, int flags)
{
    struct vm *vm = (struct vm *)v;
    if (!vm || !host_dir || !vm_path || vm_path[0] != '/') return -EINVAL;
    if (flags != VOS_MOUNT_RO && flags != VOS_MOUNT_RW && flags != VOS_MOUNT_OVERLAY)
        return -EINVAL;
    vm_lock(vm);
    struct vfs_cred rc = {0, 0, 0, NULL};
    struct vfs_ctx ctx = {&vm->ns, &rc, vfs_root(&vm->ns), NULL, 022};
    uint64_t dev = MOUNT_DEV_BASE + (uint64_t)vm->ns.nmounts;
    int r = mkdir_p(&ctx, vm_path);
    struct vfs_fs *fs = NULL;
    if (r == 0) fs = hostfs_new(host_dir, flags != VOS_MOUNT_RW, dev, vm->uid, vm->gid, &r);
    if (fs && flags == VOS_MOUNT_OVERLAY) {
        struct vfs_fs *ov = overlay_new(fs, dev, &r);
        if (!ov) fs->ops->destroy(fs);
        fs = ov;
        if (fs) {
            fs->max_bytes = vm->limits.fs_bytes;
            fs->max_inodes = vm->limits.fs_inodes;
        }
    }
    if (fs && (r = vfs_mount(&ctx, vm_path, fs, flags == VOS_MOUNT_RO)) < 0) fs->ops->destroy(fs);
    vm_unlock(vm);
    return r;
}

/* The overlay mounted at path (its root must be path), under the lock. */
static int find_overlay(struct vm *vm, const char *path, struct vfs_fs **out)
{
    struct vfs_cred rc = {0, 0, 0, NULL};
    struct vfs_ctx ctx = {&vm->ns, &rc, vfs_root(&vm->ns), NULL, 022};
    vnode n;
    int r = vfs_resolve(&ctx, path, VFS_DIRECTORY, &n, NULL);
    if (r == -EVFS_FILE) return -ENOTDIR;
    if (r < 0) return r;
    if (!overlay_is(n.fs) || n.ino != n.fs->root_ino) return -EINVAL;
    *out = n.fs;
    return 0;
}

int vos_overlay_changes(vos_vm *v, const char *vm_path, char **text, size_t *len)
{
    struct vm *vm = (struct vm *)v;
    struct vfs_fs *fs;
    *text = NULL;
    *len = 0;
    vm_lock(vm);
    int r = find_overlay(vm, vm_path, &fs);
    if (r == 0) r = overlay_change_list(fs, text, len);
    vm_unlock(vm);
    return r;
}

int vos_overlay_diff(vos_vm *v, const char *vm_path, char **text, size_t *len)
{
    struct vm *vm = (struct vm *)v;
    struct vfs_fs *fs;
    *text = NULL;
    *len = 0;
    vm_lock(vm);
    int r = find_overlay(vm, vm_path, &fs);
    if (r == 0) r = overlay_diff(fs, text, len);
    vm_unlock(vm);
    return r;
}

int vos_overlay_apply(vos_vm *v, const char *vm_path)
{
    struct vm *vm = (struct vm *)v;
    struct vfs_fs *fs;
    vm_lock(vm);
    int r = find_overlay(vm, vm_path, &fs);
    struct vfs_fs *target = NULL;
    if (r == 0) {
        struct vfs_fs *lower = overlay_lower(fs);
        target = hostfs_is(lower) ? hostfs_reopen_rw(lower, &r) : (r = -EINVAL, NULL);
    }
    if (target) {
        r = overlay_apply(fs, target);
        target->ops->destroy(target);
    }
    vm_unlock(vm);
    return r;
}
