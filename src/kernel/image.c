/* image.c — the default image: the filesystem every new VM starts from.
 * It is built once per host process and shared: each VM gets an O(1)
 * copy-on-write clone, so a VM costs only what it changes.
 *
 * Layout follows Debian 12 (merged /usr: /bin -> usr/bin). Every native
 * command has an executable file in /usr/bin holding VOS_CMD_MAGIC and its
 * name; exec recognises the marker and runs the command in-process.
 */
#include "kernel/kernel.h"
#include "fs/memfs.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>

static struct vfs_fs *master;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static const struct vfs_cred root_cred = {0, 0, 0, NULL};

static int put_file(struct vfs_ctx *c, const char *path, mode_t mode, const char *text)
{
    vnode n;
    int r = vfs_open(c, path, O_WRONLY | O_CREAT | O_TRUNC, mode, &n, NULL);
    if (r < 0) return r;
    ssize_t w = n.fs->ops->write(n.fs, n.ino, text, strlen(text), 0);
    return w < 0 ? (int)w : 0;
}

static int build(struct vfs_ctx *c)
{
    static const struct {
        const char *path;
        mode_t mode;
    } dirs[] = {
        {"/usr", 0755},      {"/usr/bin", 0755},   {"/usr/sbin", 0755},  {"/usr/lib", 0755},
        {"/usr/local", 0755}, {"/usr/local/bin", 0755}, {"/usr/share", 0755}, {"/etc", 0755},
        {"/home", 0755},     {"/root", 0700},      {"/tmp", 01777},      {"/var", 0755},
        {"/var/tmp", 01777}, {"/var/log", 0755},   {"/dev", 0755},       {"/dev/shm", 01777},
        {"/proc", 0555},     {"/run", 0755},       {"/opt", 0755},       {"/mnt", 0755},
        {"/srv", 0755},
    };
    int r = 0;
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0] && r >= 0; i++)
        r = vfs_mkdir(c, dirs[i].path, dirs[i].mode);
    static const char *const links[][2] = {
        {"usr/bin", "/bin"},           {"usr/sbin", "/sbin"},           {"usr/lib", "/lib"},
        {"/proc/self/fd", "/dev/fd"},  {"/proc/self/fd/0", "/dev/stdin"},
        {"/proc/self/fd/1", "/dev/stdout"}, {"/proc/self/fd/2", "/dev/stderr"},
    };
    for (size_t i = 0; i < sizeof links / sizeof links[0] && r >= 0; i++)
        r = vfs_symlink(c, links[i][0], links[i][1]);
    static const struct {
        const char *name;
        int minor;
    } devs[] = {{"null", 3}, {"zero", 5}, {"full", 7}, {"random", 8}, {"urandom", 9}};
    for (size_t i = 0; i < 5 && r >= 0; i++) {
        char path[32];
        snprintf(path, sizeof path, "/dev/%s", devs[i].name);
        r = vfs_mknod(c, path, S_IFCHR | 0666, makedev(1, devs[i].minor));
    }
    if (r >= 0) r = vfs_mkdir(c, "/home/agent", 0755);
    if (r >= 0) r = vfs_chown(c, "/home/agent", 1000, 1000, 0);
    if (r >= 0)
        r = put_file(c, "/etc/passwd", 0644,
                     "root:x:0:0:root:/root:/bin/bash\n"
                     "agent:x:1000:1000:agent:/home/agent:/bin/bash\n"
                     "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    if (r >= 0) r = put_file(c, "/etc/group", 0644, "root:x:0:\nagent:x:1000:\nnogroup:x:65534:\n");
    if (r >= 0) r = put_file(c, "/etc/hostname", 0644, "vos\n");
    if (r >= 0) r = put_file(c, "/etc/shells", 0644, "/bin/sh\n/bin/bash\n/usr/bin/bash\n");
    if (r >= 0)
        r = put_file(c, "/etc/os-release", 0644,
                     "PRETTY_NAME=\"vos " VOS_VERSION " (Debian 12 compatible)\"\nNAME=\"vos\"\n"
                     "VERSION_ID=\"" VOS_VERSION "\"\nID=vos\nID_LIKE=debian\n");
    for (size_t i = 0; i < cmd_count && r >= 0; i++) {
        char path[300], text[300];
        snprintf(path, sizeof path, "/usr/bin/%s", cmd_table[i].name);
        snprintf(text, sizeof text, VOS_CMD_MAGIC "%s\n", cmd_table[i].name);
        r = put_file(c, path, 0755, text);
    }
    return r;
}

static void image_init(void)
{
    struct vfs_fs *fs = memfs_new(1, 0, 0);
    if (!fs) return;
    struct vfs_ns ns;
    if (vfs_ns_init(&ns, fs) < 0) {
        fs->ops->destroy(fs);
        return;
    }
    struct vfs_ctx c = {&ns, &root_cred, vfs_root(&ns), NULL, 0};
    if (build(&c) < 0) {
        vfs_ns_free(&ns);
        return;
    }
    /* Keep the instance, drop the table around it. */
    ns.mounts[0].fs = NULL;
    vfs_ns_free(&ns);
    master = fs;
}

struct vfs_fs *image_clone(void)
{
    pthread_once(&once, image_init);
    return master ? master->ops->clone(master) : NULL;
}
