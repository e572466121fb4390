/* kernel.h — the virtual kernel: machines, processes, open files, pipes,
 * signals, limits, and the calls (sys_*) through which every command reaches
 * the world. A command is written like a small C program,
 *     int cmd_NAME(struct proc *p, int argc, char **argv);
 * and uses only these calls: it cannot name a host path, fd or socket.
 *
 * Concurrency: each VM has one lock (vm_lock). A thread runs VM code only
 * while holding it; every call that blocks (pipe I/O, wait, sleep, poll)
 * releases it while blocked, and long loops call proc_check(), which yields
 * it to waiting threads. So pipeline stages run concurrently, one at a time
 * per VM, and many VMs run in parallel on different host threads.
 *
 * Errors are negative errno values. A process that has been killed (signal,
 * timeout, limit) gets -EINTR from every call until its command returns;
 * its exit status is then 128 + the signal, whatever the command returned.
 */
#ifndef VOS_KERNEL_H
#define VOS_KERNEL_H

#include "vos.h"
#include "fs/vfs.h"
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>

struct vm;
struct proc;
struct file;
struct pipe;
struct exec;

typedef int (*proc_main_fn)(struct proc *p, int argc, char **argv);

/* ---- the command table (src/cmd/table.c) ------------------------------- */
struct cmd_entry {
    const char *name;
    proc_main_fn fn;
    const char *summary;
};
extern const struct cmd_entry cmd_table[];
extern const size_t cmd_count;
const struct cmd_entry *cmd_find(const char *name);

/* ---- VM ------------------------------------------------------------------ */

struct binding {
    struct binding *next;
    vos_command_fn fn;
    void *userdata;
    char name[];
};

struct vm {
    /* The VM lock: a fair ticket lock built from a host mutex, plus one
     * event condition that every state change broadcasts (see vm.c). */
    pthread_mutex_t m;
    pthread_cond_t turn, event;
    uint64_t next_ticket, serving, event_gen;
    int lock_waiters;

    struct vfs_ns ns;
    uid_t uid;
    gid_t gid;
    char *user, *home, *hostname;
    char **env; /* what each exec starts with: "K=V", NULL-terminated */
    vnode cwd;  /* default cwd for execs */

    struct proc **procs; /* by slot; pid = slot + 1 of a wrapping counter */
    int nprocs, cap_procs, next_pid, live_procs, threads;
    struct binding *bindings;
    struct fifo_ent *fifos; /* pipes behind named FIFOs */

    vos_limits limits;
    uint64_t mem_used; /* bytes allocated by processes (p_malloc) */
    uint64_t dev_base; /* st_dev numbers for instances mounted here */
    bool dying;        /* vos_free in progress: everything is killed */
    struct proc *current; /* the process inside a path call (for /proc/self) */
    void *session;        /* the shell session of vos_exec (src/sh/session.c) */
    void (*session_free)(void *session);
};

void vm_lock(struct vm *vm);
void vm_unlock(struct vm *vm);
/* Broadcast a state change to every blocked waiter of this VM. */
void vm_notify(struct vm *vm);
/* Release the lock, sleep until vm_notify or the absolute monotonic deadline
 * (0: none), take it back. Callers recheck their condition in a loop, and
 * check it after their last proc_check() (which may yield the lock) and
 * right before vm_wait, or a wake-up is lost. */
void vm_wait(struct vm *vm, uint64_t deadline_ns);
/* Let other threads of the VM run if any wait for the lock. */
void vm_yield(struct vm *vm);
uint64_t now_ns(void);          /* monotonic */
void vm_time(struct vm *vm, struct timespec *ts); /* the VM's wall clock */

/* ---- open files ---------------------------------------------------------- */

enum file_kind { F_NODE, F_DIR, F_PIPE, F_DEV, F_BUF_IN, F_SINK, F_MEMBUF };

struct file {
    int refs;
    enum file_kind kind;
    int flags;      /* O_ACCMODE | O_APPEND | O_NONBLOCK */
    off_t off;
    vnode node;     /* F_NODE, F_DIR, F_DEV (the device node), FIFOs */
    uint64_t dir_cookie;
    int dir_dots;   /* "." and ".." still to return */
    struct pipe *pipe;
    bool pipe_write;
    int dev;        /* F_DEV: minor of major 1 (3 null, 5 zero, 7 full, 8/9 random) */
    struct sink *sink;   /* F_SINK: an exec's stdout/stderr */
    const char *buf;     /* F_BUF_IN: bytes given as stdin; F_MEMBUF: collected */
    size_t buf_len, buf_cap, buf_max;
    struct vm *vm;
    char *path; /* absolute path it was opened by, for /proc/PID/fd */
};

struct file *file_ref(struct file *f);
void file_unref(struct file *f);

/* Where an exec's stdout/stderr go: collected bytes or a callback, under a
 * byte budget shared by both streams of one exec. */
struct sink {
    int refs;
    int fd; /* 1 or 2, for the callback */
    struct exec *exec;
    char *data;
    size_t len, cap;
};

/* ---- pipes ----------------------------------------------------------------- */
#define PIPE_SIZE 65536
struct pipe {
    char *buf; /* ring of PIPE_SIZE bytes, allocated on first write */
    size_t head, len;
    int readers, writers;
    int refs;
};

/* ---- processes --------------------------------------------------------- */

struct fdent {
    struct file *f;
    bool cloexec;
};

enum proc_state { P_EMBRYO, P_RUNNING, P_ZOMBIE };

/* One run of vos_run/vos_exec: its deadline and its output budget. */
struct exec {
    int refs;
    struct vm *vm;
    uint64_t deadline; /* monotonic ns; 0 none */
    uint64_t wall_ms;
    uint64_t max_output, output_used;
    vos_output_fn on_output;
    void *userdata;
    int *cancel; /* vos_exec_opts.cancel */
    bool timed_out, output_exceeded, ended;
};

struct proc {
    struct vm *vm;
    int pid, ppid, pgid;
    enum proc_state state;
    int status; /* wait status (W* encoding) once a zombie */
    bool reaped_by_nobody; /* parent gone: reap on exit */

    struct fdent *fds;
    int nfds; /* size of fds[] */
    vnode cwd;
    mode_t umask;
    char **env; /* "K=V", NULL-terminated, owned */
    char **argv;
    int argc;
    uid_t uid;
    gid_t gid;

    uint64_t sig_pending, sig_ignored, sig_caught_mask, sig_caught;
    int killed; /* fatal signal taken: the command must wind down */

    struct exec *exec;
    proc_main_fn main;
    vos_command_fn binding;
    void *userdata;
    void *sh; /* the shell's state when this process is a shell */

    struct proc *pool_next; /* queued for a pool thread */
    bool has_thread;
    uint64_t mem_used;
    struct memhdr *mem; /* blocks from p_malloc, freed at exit */
    uint64_t start_ns;
};

/* Make a child of parent (or of nobody: parent NULL gives a VM's first
 * process) sharing its open files (fds marked close-on-exec are not
 * inherited when the child is made for an exec), cwd, umask, env and exec.
 * The child is not running; adjust its fds with the fd calls, then start. */
struct proc *proc_new(struct vm *vm, struct proc *parent);
/* Run main(argc, argv) as the child. async: on a new host thread (returns at
 * once); else on this thread, returning when it ends (the child is then a
 * zombie for the parent to wait on). argv is copied. -EAGAIN past the
 * process limit. */
int proc_start(struct proc *p, proc_main_fn main, int argc, char *const argv[], bool async);
/* Close the fds marked close-on-exec (what exec does). */
void proc_close_cloexec(struct proc *p);
/* Discard a child that was never started. */
void proc_discard(struct proc *p);
/* Free a zombie that has no parent to wait for it (the API's first process). */
void proc_reap(struct proc *p);
struct proc *proc_find(struct vm *vm, int pid);
/* Cancellation point: deliver pending signals, check the exec's deadline,
 * yield the lock to waiting threads. 0, or -EINTR once killed (or when a
 * caught signal interrupts; sig_caught says which). */
int proc_check(struct proc *p);
/* Take the fatal path for signal sig (SIGKILL, timeouts and limits use it). */
void proc_kill(struct proc *p, int sig);
/* Look up a command by its name in the VM's bindings, then the table. */
int proc_lookup_command(struct vm *vm, const char *name, proc_main_fn *fn, vos_command_fn *bfn,
                        void **userdata);

/* Process memory: counted against the VM's memory limit, freed at exit.
 * NULL (and errno-free) past the limit or on host ENOMEM. */
void *p_malloc(struct proc *p, size_t n);
void *p_calloc(struct proc *p, size_t n, size_t size);
void *p_realloc(struct proc *p, void *ptr, size_t n);
void p_free(struct proc *p, void *ptr);
char *p_strdup(struct proc *p, const char *s);
char *p_strndup(struct proc *p, const char *s, size_t n);
void p_free_all(struct proc *p);

/* Environment of a process. */
const char *proc_getenv(struct proc *p, const char *name);
int proc_setenv(struct proc *p, const char *name, const char *value); /* NULL value unsets */

/* Messages to the process's stderr: "prog: fmt" + newline, like err(3). */
void p_errorf(struct proc *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int p_printf(struct proc *p, int fd, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int p_write_all(struct proc *p, int fd, const void *buf, size_t n);

/* ---- the calls --------------------------------------------------------- */

struct vfs_ctx;
void proc_vfs_ctx(struct proc *p, struct vfs_ctx *ctx, struct vfs_cred *cred);

int sys_open(struct proc *p, const char *path, int flags, mode_t mode);
int sys_close(struct proc *p, int fd);
ssize_t sys_read(struct proc *p, int fd, void *buf, size_t n);
ssize_t sys_write(struct proc *p, int fd, const void *buf, size_t n);
ssize_t sys_pread(struct proc *p, int fd, void *buf, size_t n, off_t off);
ssize_t sys_pwrite(struct proc *p, int fd, const void *buf, size_t n, off_t off);
off_t sys_lseek(struct proc *p, int fd, off_t off, int whence);
int sys_dup(struct proc *p, int fd);
int sys_dup2(struct proc *p, int fd, int newfd);
int sys_dup3(struct proc *p, int fd, int newfd, int flags);
int sys_fcntl(struct proc *p, int fd, int cmd, long arg);
int sys_pipe(struct proc *p, int fds[2], int flags);
int sys_fstat(struct proc *p, int fd, struct stat *st);
int sys_stat(struct proc *p, const char *path, struct stat *st);
int sys_lstat(struct proc *p, const char *path, struct stat *st);
int sys_access(struct proc *p, const char *path, int mode);
int sys_mkdir(struct proc *p, const char *path, mode_t mode);
int sys_mknod(struct proc *p, const char *path, mode_t mode, dev_t dev);
int sys_rmdir(struct proc *p, const char *path);
int sys_unlink(struct proc *p, const char *path);
int sys_rename(struct proc *p, const char *from, const char *to);
int sys_link(struct proc *p, const char *from, const char *to);
int sys_symlink(struct proc *p, const char *target, const char *path);
ssize_t sys_readlink(struct proc *p, const char *path, char *buf, size_t n);
int sys_chmod(struct proc *p, const char *path, mode_t mode);
int sys_fchmod(struct proc *p, int fd, mode_t mode);
int sys_chown(struct proc *p, const char *path, uid_t uid, gid_t gid, bool nofollow);
int sys_fchown(struct proc *p, int fd, uid_t uid, gid_t gid);
int sys_utimens(struct proc *p, const char *path, const struct timespec ts[2], bool nofollow);
int sys_futimens(struct proc *p, int fd, const struct timespec ts[2]);
int sys_truncate(struct proc *p, const char *path, off_t size);
int sys_ftruncate(struct proc *p, int fd, off_t size);
int sys_statfs(struct proc *p, const char *path, struct statvfs *sv);
/* Up to n entries of an open directory ("." and ".." first); 0 at the end. */
int sys_getdents(struct proc *p, int fd, struct vfs_dirent *ents, int n);
int sys_chdir(struct proc *p, const char *path);
int sys_fchdir(struct proc *p, int fd);
int sys_getcwd(struct proc *p, char *buf, size_t n);
mode_t sys_umask(struct proc *p, mode_t mask);
int sys_isatty(struct proc *p, int fd);
/* poll(2) on fds (pipes, files, devices); timeout_ms < 0 waits forever. */
struct pollfd;
int sys_poll(struct proc *p, struct pollfd *fds, int n, int timeout_ms);

int sys_kill(struct proc *p, int pid, int sig);
/* waitpid(2): pid > 0 a child, -1 any child, 0 / < -1 a process group.
 * options: WNOHANG. Returns the pid, 0 (WNOHANG, none ready), -ECHILD. */
int sys_waitpid(struct proc *p, int pid, int *status, int options);
int sys_setpgid(struct proc *p, int pid, int pgid);
/* Sleep; -EINTR when a signal or kill interrupts. */
int sys_nanosleep(struct proc *p, const struct timespec *ts);
int sys_clock_gettime(struct proc *p, clockid_t clk, struct timespec *ts);
ssize_t sys_getrandom(struct proc *p, void *buf, size_t n);
/* Spawn a command by path (resolved in the VM: native marker or #! script)
 * as a child with the given fds already in place in child (from proc_new). */
int sys_exec(struct proc *child, const char *path, char *const argv[], bool async);

/* The first bytes of /bin and /usr/bin entries: a native command's marker. */
#define VOS_CMD_MAGIC "\x7fVOS\n"

/* ---- the default image and /proc ----------------------------------------- */
/* The image every new VM starts from (built once per host process, shared). */
struct vfs_fs *image_clone(void);
struct vfs_fs *procfs_new(struct vm *vm, uint64_t dev);
/* After vos_fork cloned the namespace: point a cloned procfs at its VM. */
void procfs_rebind(struct vfs_fs *fs, struct vm *vm);
int env_set(char ***envp, const char *name, const char *value);
int vm_lock_init(struct vm *vm);
void vm_lock_destroy(struct vm *vm);

/* ---- exec plumbing shared by the API and the shell --------------------- */
struct exec *exec_new(struct vm *vm, const vos_exec_opts *o);
/* Run main(argc, argv) as the first process of a new exec on this thread,
 * with stdin/stdout/stderr and options from o, collecting into res. */
int vm_exec(struct vm *vm, const vos_exec_opts *o, vos_result *res, proc_main_fn main, int argc,
            char *const argv[], void *userdata);
void exec_unref(struct exec *e);
struct file *sink_file(struct vm *vm, struct exec *e, int fd);
struct file *buf_file(struct vm *vm, const void *data, size_t len);
/* A write-only file collecting bytes in memory, up to max (then -EFBIG):
 * what a command substitution reads. membuf_take hands the bytes over. */
struct file *membuf_file(struct vm *vm, size_t max);
char *membuf_take(struct file *f, size_t *len);
/* Install fd in p's table at the lowest free slot >= min (or exactly at
 * min when exact), taking a reference. Returns the fd. */
int fd_install(struct proc *p, struct file *f, int min, bool exact, bool cloexec);
struct file *fd_get(struct proc *p, int fd);

#endif
