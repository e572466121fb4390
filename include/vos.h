/* vos.h — the public C API of libvos, a virtual operating system for AI
 * coding agents. One vos_vm is one isolated machine: a filesystem, processes,
 * an environment, limits. VMs share nothing mutable and may be used from
 * different threads at once (one VM by one thread at a time, or serialised by
 * the caller). Every call returns a negative errno value on failure (see
 * vos_strerror); nothing here calls exit() or abort() on any input.
 */
#ifndef VOS_H
#define VOS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VOS_VERSION "0.1.0"

typedef struct vos_vm vos_vm;
typedef struct vos_snapshot vos_snapshot;

/* Limits of one VM. 0 keeps the default; (uint64_t)-1 means unlimited. */
typedef struct vos_limits {
    uint64_t memory_bytes; /* bytes processes may allocate at once (default 1 GiB) */
    uint64_t fs_bytes;     /* file data in the VM's memory filesystem (default 1 GiB) */
    uint64_t fs_inodes;    /* inodes in it (default 1,000,000) */
    uint64_t processes;    /* live processes (default 256) */
    uint64_t open_files;   /* open fds per process (default 1024) */
    uint64_t output_bytes; /* stdout + stderr collected per exec (default 64 MiB) */
    uint64_t wall_ms;      /* wall time per exec (default 0: none) */
} vos_limits;

typedef struct vos_config {
    const char *user;     /* "agent" (uid 1000) by default; "root" for uid 0 */
    const char *hostname; /* "vos" */
    vos_limits limits;
} vos_config;

/* A callback receives chunks of output while an exec runs. */
typedef void (*vos_output_fn)(void *userdata, int fd, const void *data, size_t len);

typedef struct vos_exec_opts {
    const void *stdin_data; /* bytes on stdin (none: stdin reads EOF) */
    size_t stdin_len;
    const char *const *env; /* "K=V" additions for this exec, NULL-terminated */
    const char *cwd;        /* working directory for this exec */
    uint64_t timeout_ms;    /* may lower the VM's wall_ms, never raise it */
    uint64_t max_output;    /* may lower output_bytes */
    vos_output_fn on_output; /* stream instead of collecting */
    void *userdata;
    int fresh_session; /* vos_exec: run in a new shell state, not the VM's session */
    int *cancel; /* a flag owned by the caller: see vos_exec_cancel (NULL: none) */
} vos_exec_opts;

typedef struct vos_result {
    char *out; /* stdout bytes (NUL-terminated for convenience) */
    size_t out_len;
    char *err; /* stderr bytes */
    size_t err_len;
    int status; /* exit status: 0-255; 128+N after signal N; 124 on timeout */
} vos_result;

/* Host commands ("bindings"). fd 0/1/2 are the process's kernel fds; use
 * vos_proc_read/vos_proc_write to reach them. Return the exit status. */
typedef struct vos_proc vos_proc;
typedef int (*vos_command_fn)(vos_proc *p, int argc, char **argv, void *userdata);
long vos_proc_read(vos_proc *p, int fd, void *buf, size_t n);
long vos_proc_write(vos_proc *p, int fd, const void *buf, size_t n);
const char *vos_proc_getenv(vos_proc *p, const char *name);

/* Machines. */
vos_vm *vos_new(const vos_config *cfg); /* NULL cfg: defaults. NULL on ENOMEM */
void vos_free(vos_vm *vm);
vos_vm *vos_fork(vos_vm *vm); /* O(1): the filesystem is shared copy-on-write */
vos_snapshot *vos_snapshot_take(vos_vm *vm); /* O(1) */
int vos_restore(vos_vm *vm, const vos_snapshot *s);
void vos_snapshot_free(vos_snapshot *s);
int vos_set_limits(vos_vm *vm, const vos_limits *l);
int vos_get_limits(vos_vm *vm, vos_limits *l);

/* Running. vos_exec runs a bash script in the VM's shell session: its cwd,
 * variables, functions and aliases persist from one call to the next, as in
 * a terminal; each call otherwise behaves like `bash -c SCRIPT`. vos_run
 * takes argv with no shell parsing. */
int vos_exec(vos_vm *vm, const char *script, const vos_exec_opts *o, vos_result *r);
int vos_run(vos_vm *vm, char *const argv[], const vos_exec_opts *o, vos_result *r);
void vos_result_free(vos_result *r);
/* From any thread: end the exec (vos_exec/vos_run) whose opts carry this
 * cancel flag. Sets *cancel; the exec's processes are killed (status 137)
 * and an exec that has not started yet returns -ECANCELED. 0, or -ESRCH when
 * no process of such an exec runs now (the flag is set all the same). */
int vos_exec_cancel(vos_vm *vm, int *cancel);
/* Forget the shell session of vos_exec (variables, functions, cwd): the next
 * vos_exec starts a fresh one. Not while a vos_exec of this VM runs. */
int vos_session_reset(vos_vm *vm);
int vos_register_command(vos_vm *vm, const char *name, vos_command_fn fn, void *userdata);
/* Environment of the VM (what each new exec starts with). */
int vos_setenv(vos_vm *vm, const char *name, const char *value);
const char *vos_getenv(vos_vm *vm, const char *name);

/* Files (paths inside the VM, relative ones from the VM's cwd). */
int vos_write_file(vos_vm *vm, const char *path, const void *data, size_t len);
int vos_read_file(vos_vm *vm, const char *path, void **data, size_t *len); /* free() *data */
int vos_stat(vos_vm *vm, const char *path, struct stat *st);
int vos_lstat(vos_vm *vm, const char *path, struct stat *st);
/* Names in a directory (without . and ..), NULL-terminated; free with vos_list_free. */
int vos_list(vos_vm *vm, const char *path, char ***names);
void vos_list_free(char **names);
int vos_mkdir(vos_vm *vm, const char *path, mode_t mode); /* creates parents too */
int vos_remove(vos_vm *vm, const char *path); /* a file, or a directory and its contents */
int vos_rename(vos_vm *vm, const char *from, const char *to);
int vos_chmod(vos_vm *vm, const char *path, mode_t mode);
int vos_symlink(vos_vm *vm, const char *target, const char *path);

/* Host directories. vm_path is made (like mkdir -p) when missing. The host
 * directory is confined: nothing in the VM can reach outside it. */
#define VOS_MOUNT_RO 1      /* read-only: changes fail with EROFS */
#define VOS_MOUNT_RW 2      /* read-write: changes go to the host directory */
#define VOS_MOUNT_OVERLAY 4 /* copy-on-write: changes stay in the VM */
int vos_mount_host(vos_vm *vm, const char *host_dir, const char *vm_path, int flags);
/* For the overlay mounted at vm_path: its changes, one "A path", "M path" or
 * "D path" line each (paths relative to vm_path, sorted); the same as a
 * unified diff (`diff -ruN a b` of the directory before and after, times in
 * UTC); free() the text. vos_overlay_apply writes the changes to the host
 * directory (each file atomically) and leaves the overlay clean. */
int vos_overlay_changes(vos_vm *vm, const char *vm_path, char **text, size_t *len);
int vos_overlay_diff(vos_vm *vm, const char *vm_path, char **text, size_t *len);
int vos_overlay_apply(vos_vm *vm, const char *vm_path);

const char *vos_strerror(int err);
const char *vos_version(void);

#ifdef __cplusplus
}
#endif
#endif
