/* fileinfo.h — what commands that show file metadata share (ls, stat, du,
 * tree, df): mode strings, owner and group names from the VM's
 * /etc/passwd and /etc/group, the VM's time zone and strftime with GNU's
 * extensions, version ordering (filevercmp) and a stable sort. */
#ifndef VOS_LIB_FILEINFO_H
#define VOS_LIB_FILEINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

struct proc;

/* gnulib filemodestring: "drwxr-xr-x " (10 letters, a space, NUL). */
void file_mode_string(mode_t mode, char buf[12]);
/* The type letter alone: '-', 'd', 'l', 'c', 'b', 'p', 's', '?'. */
char file_type_letter(mode_t mode);
/* GNU's file type words: "regular file", "directory", ... */
const char *file_type_name(const struct stat *st);

/* Names of users and groups, read once from the VM's files. */
struct idcache {
    struct proc *p;
    bool users_loaded, groups_loaded;
    struct idname *users, *groups;
    size_t nusers, ngroups;
    size_t last_user, last_group;
};
void idcache_init(struct idcache *c, struct proc *p);
/* The name of uid/gid, or NULL when /etc/passwd or /etc/group has none. */
const char *idcache_user(struct idcache *c, unsigned uid);
const char *idcache_group(struct idcache *c, unsigned gid);
void idcache_free(struct idcache *c);

/* gnulib filevercmp: version order of file names ("a2" < "a10"). */
int filevercmp(const char *a, const char *b);

/* A stable merge sort of pointers with a context for the comparison.
 * tmp must hold n pointers. */
typedef int (*ptr_cmp_fn)(const void *a, const void *b, void *ctx);
void ptr_mergesort(void **v, size_t n, void **tmp, ptr_cmp_fn cmp, void *ctx);

#endif
