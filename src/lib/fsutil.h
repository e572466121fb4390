/* fsutil.h — helpers shared by the file-changing commands (rm, chmod,
 * chown, cp, mv, ln, install, realpath...): user and group names from the
 * VM's /etc/passwd and /etc/group, file-name canonicalization (gnulib
 * canonicalize), path pieces, and a tree walker in the manner of fts(3)
 * that keeps its stack on the heap, so deep trees never deepen the C stack.
 * Everything goes through sys_* calls and p_malloc. */
#ifndef VOS_LIB_FSUTIL_H
#define VOS_LIB_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

struct proc;

/* ---- users and groups ---------------------------------------------------- */
/* Look a name up in /etc/passwd (/etc/group): 0 and the ids, or -ENOENT. */
int fs_user_by_name(struct proc *p, const char *name, uid_t *uid, gid_t *gid);
int fs_group_by_name(struct proc *p, const char *name, gid_t *gid);
/* The name of an id into buf, or false (buf then holds the number). */
bool fs_user_name(struct proc *p, uid_t uid, char *buf, size_t n);
bool fs_group_name(struct proc *p, gid_t gid, char *buf, size_t n);

/* ---- paths ---------------------------------------------------------------- */
/* The last component of a name (after the last run of slashes that is
 * followed by something), like gnulib last_component. */
const char *fs_last_component(const char *name);
/* dir + "/" + name (no doubled slash), allocated with p_malloc. */
char *fs_join(struct proc *p, const char *dir, const char *name);
/* Whether name is "." or ".." (optionally followed by slashes). */
bool fs_dot_or_dotdot(const char *name);

/* gnulib canonicalize_filename_mode. */
enum {
    CAN_EXISTING = 0,      /* every component must exist */
    CAN_ALL_BUT_LAST = 1,  /* all but the last must exist */
    CAN_MISSING = 2,       /* none need exist */
    CAN_MODE_MASK = 3,
    CAN_NOLINKS = 4,       /* do not resolve symlinks */
};
/* An absolute canonical name (p_malloc'd) or NULL with *err set. */
char *fs_canonicalize(struct proc *p, const char *name, int mode, int *err);

/* ---- walking trees (fts-like) ---------------------------------------------- */
enum {
    FW_PHYSICAL = 1,  /* do not follow symlinks */
    FW_LOGICAL = 2,   /* follow all symlinks */
    FW_COMFOLLOW = 4, /* follow symlinks named as roots */
    FW_XDEV = 8,      /* do not descend into other filesystems */
};
enum fw_info {
    FW_D = 1,   /* a directory, before its children */
    FW_DP,      /* a directory, after its children */
    FW_DNR,     /* a directory that cannot be read (err) */
    FW_DC,      /* a directory that makes a cycle */
    FW_F,       /* a regular file */
    FW_SL,      /* a symlink (not followed) */
    FW_SLNONE,  /* a symlink whose target is missing */
    FW_NS,      /* stat failed (err) */
    FW_DEFAULT, /* anything else (fifo, device...) */
};
struct fw_ent {
    char *path;       /* the name as given, extended with "/child" */
    const char *name; /* the last component within path */
    int level;        /* 0 for the names given */
    int info;
    int err;          /* positive errno for FW_NS, FW_DNR */
    struct stat st;
    long number;      /* for the caller; starts at 0 */
    struct fw_ent *parent;
};
struct fwalk;
/* Start walking roots (NULL-terminated). NULL when out of memory. */
struct fwalk *fwalk_open(struct proc *p, char *const *roots, int flags);
/* The next entry, or NULL at the end (err then says why, 0 for a normal
 * end; -EINTR when the process is killed). */
struct fw_ent *fwalk_read(struct fwalk *w, int *err);
/* After an FW_D: do not descend (no children, no FW_DP). */
void fwalk_skip(struct fwalk *w, struct fw_ent *e);
/* Mark the ancestors of e (number = 1): rm's "a child failed". */
void fwalk_mark_ancestors(struct fw_ent *e);
void fwalk_close(struct fwalk *w);

#endif

/* ---- relative names, backups, answers ------------------------------------- */
/* The name of can_fname relative to directory can_dir (both canonical
 * absolute names), coreutils relpath: p_malloc'd, or NULL. */
char *fs_relpath(struct proc *p, const char *can_fname, const char *can_dir);

/* Backup types of --backup[=CONTROL] (gnulib backupfile). */
enum { BK_NONE, BK_SIMPLE, BK_EXISTING, BK_NUMBERED };
struct opt_state;
/* The type named by arg (NULL: $VERSION_CONTROL, else "existing"); -1
 * after an argmatch error message (st->status set). */
int fs_backup_type(struct opt_state *st, const char *arg);
/* The suffix: -S's, else $SIMPLE_BACKUP_SUFFIX, else "~". */
const char *fs_backup_suffix(struct proc *p, const char *opt_suffix);
/* The backup name of file for type (BK_SIMPLE..), p_malloc'd; NULL on
 * out of memory. */
char *fs_backup_name(struct proc *p, const char *file, int type, const char *suffix);

/* Read one answer line from in: true when it starts with y or Y. */
struct ibuf;
bool fs_yesno(struct ibuf *in);
