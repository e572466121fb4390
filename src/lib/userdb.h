/* userdb.h — the VM's /etc/passwd and /etc/group, read through the kernel
 * (getpwnam/getpwuid/getgrgid/getgrouplist for id, groups, whoami, ps). */
#ifndef VOS_LIB_USERDB_H
#define VOS_LIB_USERDB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct proc;

struct udb_user {
    char *name;
    uid_t uid;
    gid_t gid;
    char *home, *shell;
};

struct udb_group {
    char *name;
    gid_t gid;
    char **members; /* NULL-terminated */
};

struct userdb {
    struct proc *p;
    struct udb_user *users;
    size_t nusers;
    struct udb_group *groups;
    size_t ngroups;
};

/* Load both files (missing files give empty tables). -ENOMEM or 0. */
int udb_load(struct userdb *db, struct proc *p);
void udb_free(struct userdb *db);
const struct udb_user *udb_user_by_name(const struct userdb *db, const char *name);
const struct udb_user *udb_user_by_uid(const struct userdb *db, uid_t uid);
const struct udb_group *udb_group_by_gid(const struct userdb *db, gid_t gid);
const struct udb_group *udb_group_by_name(const struct userdb *db, const char *name);
/* getgrouplist: gid first, then every group listing name as a member
 * (duplicates of gid dropped). Returns the count; *out p_malloc'd. */
int udb_grouplist(const struct userdb *db, const char *name, gid_t gid, gid_t **out);

#endif
