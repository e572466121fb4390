/* test_kernel.c — the kernel through the public API and host bindings:
 * processes, pipes, signals, limits, devices, /proc, exec, and VMs on many
 * threads. Bindings stand in for commands until the shell exists.
 */
#include "kernel/kernel.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#define P(vp) ((struct proc *)(vp))

static vos_vm *vm;

static int setup(void **state)
{
    vm = vos_new(NULL);
    return vm ? 0 : -1;
}

static int teardown(void **state)
{
    vos_free(vm);
    return 0;
}

/* Run argv (a binding or command) and return the result. */
static vos_result run(const char *const *argv, const vos_exec_opts *o)
{
    vos_result r;
    int rc = vos_run(vm, (char *const *)argv, o, &r);
    assert_int_equal(rc, 0);
    return r;
}

/* ---- bindings used by the tests ---------------------------------------- */

static int b_echo(vos_proc *vp, int argc, char **argv, void *ud)
{
    for (int i = 1; i < argc; i++) {
        vos_proc_write(vp, 1, argv[i], strlen(argv[i]));
        vos_proc_write(vp, 1, i + 1 < argc ? " " : "\n", 1);
    }
    return 0;
}

static int b_status(vos_proc *vp, int argc, char **argv, void *ud)
{
    vos_proc_write(vp, 2, "oops\n", 5);
    return argc > 1 ? atoi(argv[1]) : 0;
}

static int b_cat(vos_proc *vp, int argc, char **argv, void *ud)
{
    char buf[4096];
    long n;
    while ((n = vos_proc_read(vp, 0, buf, sizeof buf)) > 0)
        if (vos_proc_write(vp, 1, buf, (size_t)n) < 0) return 1;
    return n < 0 ? 1 : 0;
}

static int b_yes(vos_proc *vp, int argc, char **argv, void *ud)
{
    for (;;)
        if (vos_proc_write(vp, 1, "y\n", 2) < 0) return 1;
}

static int b_head1(vos_proc *vp, int argc, char **argv, void *ud)
{
    char c;
    while (vos_proc_read(vp, 0, &c, 1) == 1) {
        vos_proc_write(vp, 1, &c, 1);
        if (c == '\n') break;
    }
    return 0;
}

static int b_sleep(vos_proc *vp, int argc, char **argv, void *ud)
{
    struct timespec ts = {argc > 1 ? atoi(argv[1]) : 10, 0};
    int r = sys_nanosleep(P(vp), &ts);
    return r < 0 ? 3 : 0;
}

static int b_spin(vos_proc *vp, int argc, char **argv, void *ud)
{
    for (;;)
        if (proc_check(P(vp)) < 0) return 5;
}

/* Start a child of p running a VM command with stdin/stdout given. */
static int spawn(struct proc *p, const char *cmd, int in, int out, bool async)
{
    struct proc *c = proc_new(p->vm, p);
    if (!c) return -EAGAIN;
    if (in >= 0) fd_install(c, fd_get(p, in), 0, true, false);
    if (out >= 0) fd_install(c, fd_get(p, out), 1, true, false);
    char path[256];
    snprintf(path, sizeof path, "/usr/local/bin/%s", cmd);
    char *argv[] = {(char *)cmd, NULL};
    int r = sys_exec(c, path, argv, async);
    if (r < 0) {
        proc_discard(c);
        return r;
    }
    return c->pid;
}

/* yes | head1: the producer never ends on its own. */
static int b_pipeline(vos_proc *vp, int argc, char **argv, void *ud)
{
    struct proc *p = P(vp);
    int fds[2];
    assert_int_equal(sys_pipe(p, fds, O_CLOEXEC), 0);
    int a = spawn(p, argv[1], -1, fds[1], true);
    int b = spawn(p, argv[2], fds[0], -1, true);
    sys_close(p, fds[0]);
    sys_close(p, fds[1]);
    int sa = 0, sb = 0;
    /* No asserts here: a timeout makes these fail on purpose. */
    if (sys_waitpid(p, a, &sa, 0) != a || sys_waitpid(p, b, &sb, 0) != b) return 1;
    char msg[64];
    int n = snprintf(msg, sizeof msg, "%d %d\n",
                     WIFSIGNALED(sa) ? 128 + WTERMSIG(sa) : WEXITSTATUS(sa),
                     WIFSIGNALED(sb) ? 128 + WTERMSIG(sb) : WEXITSTATUS(sb));
    p_write_all(p, 2, msg, (size_t)n);
    return 0;
}

static void register_all(vos_vm *v)
{
    assert_int_equal(vos_register_command(v, "t-echo", b_echo, NULL), 0);
    assert_int_equal(vos_register_command(v, "t-status", b_status, NULL), 0);
    assert_int_equal(vos_register_command(v, "t-cat", b_cat, NULL), 0);
    assert_int_equal(vos_register_command(v, "t-yes", b_yes, NULL), 0);
    assert_int_equal(vos_register_command(v, "t-head1", b_head1, NULL), 0);
    assert_int_equal(vos_register_command(v, "t-sleep", b_sleep, NULL), 0);
    assert_int_equal(vos_register_command(v, "t-spin", b_spin, NULL), 0);
    assert_int_equal(vos_register_command(v, "t-pipeline", b_pipeline, NULL), 0);
}

static int setup_b(void **state)
{
    if (setup(state)) return -1;
    register_all(vm);
    return 0;
}

/* ---- tests ----------------------------------------------------------------- */

static void test_default_image(void **state)
{
    struct stat st;
    assert_int_equal(vos_stat(vm, "/tmp", &st), 0);
    assert_int_equal(st.st_mode & 07777, 01777);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_size, 4096);
    assert_int_equal(vos_stat(vm, "/home/agent", &st), 0);
    assert_int_equal(st.st_uid, 1000);
    assert_int_equal(vos_lstat(vm, "/bin", &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    void *data;
    size_t len;
    assert_int_equal(vos_read_file(vm, "/etc/passwd", &data, &len), 0);
    assert_non_null(strstr(data, "agent:x:1000:1000:agent:/home/agent:/bin/bash\n"));
    free(data);
    assert_int_equal(vos_read_file(vm, "/etc/hostname", &data, &len), 0);
    assert_string_equal(data, "vos\n");
    free(data);
    assert_string_equal(vos_getenv(vm, "HOME"), "/home/agent");
    assert_string_equal(vos_getenv(vm, "PATH"), "/usr/local/bin:/usr/bin:/bin");
    assert_null(vos_getenv(vm, "TERM"));
}

static void test_file_api(void **state)
{
    assert_int_equal(vos_mkdir(vm, "a/b/c", 0755), 0);
    assert_int_equal(vos_write_file(vm, "a/b/c/f.txt", "hello", 5), 0);
    assert_int_equal(vos_write_file(vm, "/home/agent/a/g", "x", 1), 0);
    struct stat st;
    assert_int_equal(vos_stat(vm, "/home/agent/a/b/c/f.txt", &st), 0);
    assert_int_equal(st.st_size, 5);
    assert_int_equal(st.st_blocks, 8);
    assert_int_equal(st.st_blksize, 4096);
    assert_int_equal(st.st_mode, S_IFREG | 0644);
    char **names;
    assert_int_equal(vos_list(vm, "a", &names), 0);
    assert_string_equal(names[0], "b");
    assert_string_equal(names[1], "g");
    assert_null(names[2]);
    vos_list_free(names);
    assert_int_equal(vos_rename(vm, "a/g", "a/h"), 0);
    assert_int_equal(vos_stat(vm, "a/g", &st), -ENOENT);
    assert_int_equal(vos_remove(vm, "a"), 0);
    assert_int_equal(vos_stat(vm, "a", &st), -ENOENT);
    assert_int_equal(vos_write_file(vm, "/etc/passwd", "x", 1), -EACCES);
    assert_int_equal(vos_write_file(vm, "/nope/x", "x", 1), -ENOENT);
    assert_int_equal(vos_mkdir(vm, "/usr/bin/x", 0755), -EACCES);
    assert_string_equal(vos_strerror(-ENOENT), "No such file or directory");
}

static void test_run_binding(void **state)
{
    const char *argv[] = {"t-echo", "a", "b c", NULL};
    vos_result r = run(argv, NULL);
    assert_string_equal(r.out, "a b c\n");
    assert_int_equal(r.err_len, 0);
    assert_int_equal(r.status, 0);
    vos_result_free(&r);
    const char *argv2[] = {"t-status", "7", NULL};
    r = run(argv2, NULL);
    assert_int_equal(r.status, 7);
    assert_string_equal(r.err, "oops\n");
    vos_result_free(&r);
    const char *argv3[] = {"/usr/local/bin/t-status", "300", NULL};
    r = run(argv3, NULL);
    assert_int_equal(r.status, 300 & 0xff);
    vos_result_free(&r);
}

static void test_not_found(void **state)
{
    const char *argv[] = {"no-such-cmd", NULL};
    vos_result r = run(argv, NULL);
    assert_int_equal(r.status, 127);
    assert_string_equal(r.err, "vos: no-such-cmd: command not found\n");
    vos_result_free(&r);
    assert_int_equal(vos_write_file(vm, "plain", "data\n", 5), 0);
    const char *argv2[] = {"./plain", NULL};
    r = run(argv2, NULL);
    assert_int_equal(r.status, 126);
    assert_string_equal(r.err, "vos: ./plain: Permission denied\n");
    vos_result_free(&r);
    assert_int_equal(vos_chmod(vm, "plain", 0755), 0);
    r = run(argv2, NULL);
    assert_int_equal(r.status, 126);
    assert_string_equal(r.err, "vos: ./plain: Exec format error\n");
    vos_result_free(&r);
}

static void test_stdin(void **state)
{
    const char *argv[] = {"t-cat", NULL};
    vos_exec_opts o = {.stdin_data = "line1\nline2", .stdin_len = 11};
    vos_result r = run(argv, &o);
    assert_int_equal(r.out_len, 11);
    assert_memory_equal(r.out, "line1\nline2", 11);
    vos_result_free(&r);
    r = run(argv, NULL);
    assert_int_equal(r.out_len, 0);
    vos_result_free(&r);
}

static void test_shebang(void **state)
{
    const char *script = "#!/usr/local/bin/t-echo  -x  \nbody\n";
    assert_int_equal(vos_write_file(vm, "s.sh", script, strlen(script)), 0);
    assert_int_equal(vos_chmod(vm, "s.sh", 0755), 0);
    const char *argv[] = {"./s.sh", "arg1", NULL};
    vos_result r = run(argv, NULL);
    assert_string_equal(r.out, "-x ./s.sh arg1\n");
    vos_result_free(&r);
    const char *bad = "#!/no/such\n";
    assert_int_equal(vos_write_file(vm, "b.sh", bad, strlen(bad)), 0);
    assert_int_equal(vos_chmod(vm, "b.sh", 0755), 0);
    const char *argv2[] = {"./b.sh", NULL};
    r = run(argv2, NULL);
    assert_int_equal(r.status, 127);
    vos_result_free(&r);
}

static void test_sigpipe(void **state)
{
    const char *argv[] = {"t-pipeline", "t-yes", "t-head1", NULL};
    vos_result r = run(argv, NULL);
    assert_string_equal(r.out, "y\n");
    assert_string_equal(r.err, "141 0\n");
    vos_result_free(&r);
}

static void test_pipe_streams(void **state)
{
    /* 1 MiB through a 64 KiB pipe: both sides must take turns. */
    size_t n = 1 << 20;
    char *big = malloc(n);
    for (size_t i = 0; i < n; i++) big[i] = (char)('a' + i % 26);
    vos_exec_opts o = {.stdin_data = big, .stdin_len = n};
    const char *argv[] = {"t-pipeline", "t-cat", "t-cat", NULL};
    vos_result r = run(argv, &o);
    assert_int_equal(r.out_len, n);
    assert_memory_equal(r.out, big, n);
    assert_string_equal(r.err, "0 0\n");
    vos_result_free(&r);
    free(big);
}

static void test_timeout_sleep(void **state)
{
    const char *argv[] = {"t-sleep", "100", NULL};
    vos_exec_opts o = {.timeout_ms = 50};
    uint64_t t0 = now_ns();
    vos_result r = run(argv, &o);
    uint64_t ms = (now_ns() - t0) / 1000000;
    assert_true(ms < 1000);
    assert_int_equal(r.status, 124);
    assert_string_equal(r.err, "vos: wall time limit exceeded (50 ms)\n");
    vos_result_free(&r);
}

static void test_timeout_spin(void **state)
{
    const char *argv[] = {"t-spin", NULL};
    vos_exec_opts o = {.timeout_ms = 30};
    vos_result r = run(argv, &o);
    assert_int_equal(r.status, 124);
    vos_result_free(&r);
    /* The VM stays usable. */
    const char *argv2[] = {"t-echo", "ok", NULL};
    r = run(argv2, NULL);
    assert_string_equal(r.out, "ok\n");
    vos_result_free(&r);
}

static void test_timeout_pipeline(void **state)
{
    /* Both stages block forever on each other; the deadline ends all. */
    const char *argv[] = {"t-pipeline", "t-sleep", "t-cat", NULL};
    vos_exec_opts o = {.timeout_ms = 40};
    vos_result r = run(argv, &o);
    assert_int_equal(r.status, 124);
    vos_result_free(&r);
}

static void test_output_limit(void **state)
{
    const char *argv[] = {"t-yes", NULL};
    vos_exec_opts o = {.max_output = 1000};
    vos_result r = run(argv, &o);
    assert_int_equal(r.out_len, 1000);
    assert_int_equal(r.status, 128 + SIGXFSZ);
    assert_string_equal(r.err, "vos: output limit exceeded (1000 bytes)\n");
    vos_result_free(&r);
}

struct stream_state {
    size_t out, err;
};
static void on_out(void *ud, int fd, const void *d, size_t n)
{
    struct stream_state *s = ud;
    if (fd == 1) s->out += n;
    else s->err += n;
}

static void test_streaming(void **state)
{
    struct stream_state s = {0, 0};
    vos_exec_opts o = {.on_output = on_out, .userdata = &s};
    const char *argv[] = {"t-echo", "abc", NULL};
    vos_result r = run(argv, &o);
    assert_int_equal(s.out, 4);
    assert_int_equal(r.out_len, 0);
    vos_result_free(&r);
}

static int b_kill_child(vos_proc *vp, int argc, char **argv, void *ud)
{
    struct proc *p = P(vp);
    int c = spawn(p, "t-sleep", -1, -1, true);
    int st;
    assert_int_equal(sys_waitpid(p, c, &st, WNOHANG), 0);
    assert_int_equal(sys_kill(p, c, atoi(argv[1])), 0);
    assert_int_equal(sys_waitpid(p, c, &st, 0), c);
    assert_int_equal(sys_waitpid(p, -1, &st, 0), -ECHILD);
    assert_int_equal(sys_kill(p, 99999, SIGTERM), -ESRCH);
    return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

static void test_signals(void **state)
{
    assert_int_equal(vos_register_command(vm, "t-kill", b_kill_child, NULL), 0);
    const char *argv[] = {"t-kill", "15", NULL};
    vos_result r = run(argv, NULL);
    assert_int_equal(r.status, 143);
    vos_result_free(&r);
    const char *argv2[] = {"t-kill", "9", NULL};
    r = run(argv2, NULL);
    assert_int_equal(r.status, 137);
    vos_result_free(&r);
    const char *argv3[] = {"t-kill", "2", NULL};
    r = run(argv3, NULL);
    assert_int_equal(r.status, 130);
    vos_result_free(&r);
}

static int b_caught(vos_proc *vp, int argc, char **argv, void *ud)
{
    struct proc *p = P(vp);
    p->sig_caught_mask = 1ull << (SIGTERM - 1);
    p->sig_ignored = 1ull << (SIGINT - 1);
    sys_kill(p, p->pid, SIGINT);
    assert_int_equal(proc_check(p), 0);
    sys_kill(p, p->pid, SIGTERM);
    assert_int_equal(proc_check(p), -EINTR);
    assert_true(p->sig_caught & (1ull << (SIGTERM - 1)));
    assert_int_equal(p->killed, 0);
    return 0;
}

static void test_signal_caught_ignored(void **state)
{
    assert_int_equal(vos_register_command(vm, "t-caught", b_caught, NULL), 0);
    const char *argv[] = {"t-caught", NULL};
    vos_result r = run(argv, NULL);
    assert_int_equal(r.status, 0);
    vos_result_free(&r);
}

static int b_fds(vos_proc *vp, int argc, char **argv, void *ud)
{
    struct proc *p = P(vp);
    int fd = sys_open(p, "f", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_int_equal(fd, 3);
    assert_int_equal(sys_write(p, fd, "abc", 3), 3);
    assert_int_equal(sys_dup2(p, fd, 9), 9);
    assert_int_equal(sys_write(p, 9, "def", 3), 3); /* shared offset */
    assert_int_equal(sys_close(p, fd), 0);
    assert_int_equal(sys_close(p, fd), -EBADF);
    assert_int_equal(sys_write(p, 9, "g", 1), 1);
    sys_close(p, 9);
    fd = sys_open(p, "f", O_WRONLY | O_APPEND, 0);
    assert_int_equal(sys_lseek(p, fd, 0, SEEK_SET), 0);
    assert_int_equal(sys_write(p, fd, "h", 1), 1);
    sys_close(p, fd);
    char buf[16] = {0};
    fd = sys_open(p, "f", O_RDONLY, 0);
    assert_int_equal(sys_read(p, fd, buf, sizeof buf), 8);
    assert_string_equal(buf, "abcdefgh");
    assert_int_equal(sys_write(p, fd, "x", 1), -EBADF);
    assert_int_equal(sys_pread(p, fd, buf, 2, 3), 2);
    assert_memory_equal(buf, "de", 2);
    assert_int_equal(sys_lseek(p, fd, -1, SEEK_END), 7);
    assert_int_equal(sys_lseek(p, fd, -100, SEEK_CUR), -EINVAL);
    sys_close(p, fd);
    /* Unlinked but open: still readable, gone from the namespace. */
    fd = sys_open(p, "f", O_RDONLY, 0);
    assert_int_equal(sys_unlink(p, "f"), 0);
    struct stat st;
    assert_int_equal(sys_stat(p, "f", &st), -ENOENT);
    assert_int_equal(sys_fstat(p, fd, &st), 0);
    assert_int_equal(st.st_nlink, 0);
    memset(buf, 0, sizeof buf);
    assert_int_equal(sys_read(p, fd, buf, sizeof buf), 8);
    assert_string_equal(buf, "abcdefgh");
    sys_close(p, fd);
    /* Nonblocking pipes and cloexec. */
    int pf[2];
    assert_int_equal(sys_pipe(p, pf, O_NONBLOCK | O_CLOEXEC), 0);
    assert_int_equal(sys_read(p, pf[0], buf, 1), -EAGAIN);
    assert_int_equal(sys_fcntl(p, pf[0], F_GETFD, 0), FD_CLOEXEC);
    static char chunk[70000];
    assert_int_equal(sys_write(p, pf[1], chunk, sizeof chunk), PIPE_SIZE);
    assert_int_equal(sys_write(p, pf[1], chunk, 1), -EAGAIN);
    struct pollfd pl[2] = {{pf[0], POLLIN, 0}, {pf[1], POLLOUT, 0}};
    assert_int_equal(sys_poll(p, pl, 2, 0), 1);
    assert_int_equal(pl[0].revents, POLLIN);
    sys_close(p, pf[1]);
    assert_int_equal(sys_lseek(p, pf[0], 0, SEEK_SET), -ESPIPE);
    assert_int_equal(sys_read(p, pf[0], chunk, sizeof chunk), PIPE_SIZE);
    assert_int_equal(sys_read(p, pf[0], chunk, 1), 0);
    sys_close(p, pf[0]);
    assert_int_equal(sys_dup2(p, 77, 5), -EBADF);
    assert_int_equal(sys_getdents(p, 1, NULL, 0), -ENOTDIR);
    return 0;
}

static void test_fds(void **state)
{
    assert_int_equal(vos_register_command(vm, "t-fds", b_fds, NULL), 0);
    const char *argv[] = {"t-fds", NULL};
    vos_result r = run(argv, NULL);
    assert_int_equal(r.status, 0);
    vos_result_free(&r);
}

static int b_dev(vos_proc *vp, int argc, char **argv, void *ud)
{
    struct proc *p = P(vp);
    char buf[64];
    int fd = sys_open(p, "/dev/null", O_RDWR, 0);
    assert_true(fd >= 0);
    assert_int_equal(sys_read(p, fd, buf, 64), 0);
    assert_int_equal(sys_write(p, fd, "x", 1), 1);
    sys_close(p, fd);
    fd = sys_open(p, "/dev/zero", O_RDONLY, 0);
    memset(buf, 1, sizeof buf);
    assert_int_equal(sys_read(p, fd, buf, 64), 64);
    assert_int_equal(buf[0] | buf[63], 0);
    sys_close(p, fd);
    fd = sys_open(p, "/dev/full", O_WRONLY, 0);
    assert_int_equal(sys_write(p, fd, "x", 1), -ENOSPC);
    sys_close(p, fd);
    fd = sys_open(p, "/dev/urandom", O_RDONLY, 0);
    assert_int_equal(sys_read(p, fd, buf, 64), 64);
    sys_close(p, fd);
    struct stat st;
    assert_int_equal(sys_stat(p, "/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    /* /dev/stdout is fd 1 (the exec's sink): writing through it appends. */
    fd = sys_open(p, "/dev/stdout", O_WRONLY, 0);
    assert_true(fd >= 0);
    assert_int_equal(sys_write(p, fd, "via-dev-stdout\n", 15), 15);
    sys_close(p, fd);
    /* /dev/fd/N of a pipe is the same pipe. */
    int pf[2];
    sys_pipe(p, pf, 0);
    sys_write(p, pf[1], "piped", 5);
    char path[32];
    snprintf(path, sizeof path, "/dev/fd/%d", pf[0]);
    assert_int_equal(sys_stat(p, path, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    fd = sys_open(p, path, O_RDONLY, 0);
    assert_true(fd >= 0);
    assert_int_equal(sys_read(p, fd, buf, 64), 5);
    sys_close(p, fd);
    /* /proc/self is this process. */
    char link[64] = {0};
    assert_true(sys_readlink(p, "/proc/self", link, sizeof link) > 0);
    assert_int_equal(atoi(link), p->pid);
    snprintf(path, sizeof path, "/proc/%d/cmdline", p->pid);
    fd = sys_open(p, path, O_RDONLY, 0);
    assert_int_equal(sys_read(p, fd, buf, 64), 6);
    assert_memory_equal(buf, "t-dev\0", 6);
    sys_close(p, fd);
    assert_int_equal(sys_readlink(p, "/proc/self/cwd", link, sizeof link), 11);
    assert_memory_equal(link, "/home/agent", 11);
    fd = sys_open(p, "/proc/self/fd/1", O_WRONLY, 0);
    assert_true(fd >= 0);
    sys_close(p, fd);
    assert_int_equal(sys_open(p, "/dev/fd/57", O_RDONLY, 0), -ENOENT);
    return 0;
}

static void test_devices_and_proc(void **state)
{
    assert_int_equal(vos_register_command(vm, "t-dev", b_dev, NULL), 0);
    const char *argv[] = {"t-dev", NULL};
    vos_result r = run(argv, NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "via-dev-stdout\n");
    vos_result_free(&r);
}

static int b_fifo(vos_proc *vp, int argc, char **argv, void *ud)
{
    struct proc *p = P(vp);
    assert_int_equal(sys_mknod(p, "/tmp/ff", S_IFIFO | 0644, 0), 0);
    struct stat st;
    assert_int_equal(sys_stat(p, "/tmp/ff", &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    /* A writer child, then we read: open blocks until both ends exist. */
    struct proc *c = proc_new(p->vm, p);
    int wfd = -1;
    (void)wfd;
    int rfd = sys_open(p, "/tmp/ff", O_RDONLY | O_NONBLOCK, 0);
    assert_true(rfd >= 0);
    int wf = sys_open(p, "/tmp/ff", O_WRONLY, 0);
    assert_true(wf >= 0);
    fd_install(c, fd_get(p, wf), 1, true, false);
    sys_close(p, wf);
    char *av[] = {"t-echo", "through", "fifo", NULL};
    assert_int_equal(sys_exec(c, "/usr/local/bin/t-echo", av, true), 0);
    sys_fcntl(p, rfd, F_SETFL, 0);
    char buf[64] = {0};
    size_t got = 0;
    ssize_t n;
    while ((n = sys_read(p, rfd, buf + got, sizeof buf - 1 - got)) > 0) got += (size_t)n;
    assert_string_equal(buf, "through fifo\n");
    int stt;
    assert_int_equal(sys_waitpid(p, -1, &stt, 0), c->pid ? c->pid : -1);
    sys_close(p, rfd);
    assert_int_equal(sys_open(p, "/tmp/ff", O_WRONLY | O_NONBLOCK, 0), -ENXIO);
    return 0;
}

static void test_fifo(void **state)
{
    assert_int_equal(vos_register_command(vm, "t-fifo", b_fifo, NULL), 0);
    const char *argv[] = {"t-fifo", NULL};
    vos_result r = run(argv, NULL);
    assert_int_equal(r.status, 0);
    vos_result_free(&r);
}

static int b_limits(vos_proc *vp, int argc, char **argv, void *ud)
{
    struct proc *p = P(vp);
    /* Memory: past the VM limit an allocation fails, nothing else breaks. */
    void *a = p_malloc(p, 1 << 20);
    assert_non_null(a);
    assert_null(p_malloc(p, 8u << 20));
    void *b = p_realloc(p, a, 2 << 20);
    assert_non_null(b);
    assert_null(p_realloc(p, b, 64u << 20));
    p_free(p, b);
    (void)p_malloc(p, 100); /* freed at exit */
    /* Open files. */
    int last = 0, fd;
    while ((fd = sys_open(p, "/dev/null", O_RDONLY, 0)) >= 0) last = fd;
    assert_int_equal(fd, -EMFILE);
    assert_int_equal(last, 15);
    for (int i = 3; i <= last; i++) sys_close(p, i);
    /* Processes: the limit counts live ones. */
    int pids[16], n = 0, r;
    while ((r = spawn(p, "t-sleep", -1, -1, true)) > 0) pids[n++] = r;
    assert_int_equal(r, -EAGAIN);
    /* vos_run's first process, this command, and two more make four. */
    assert_int_equal(n, 2);
    for (int i = 0; i < n; i++) sys_kill(p, pids[i], SIGKILL);
    for (int i = 0; i < n; i++) sys_waitpid(p, pids[i], NULL, 0);
    /* Filesystem bytes and inodes. */
    fd = sys_open(p, "big", O_WRONLY | O_CREAT, 0644);
    static char chunk[65536];
    ssize_t w;
    size_t total = 0;
    while ((w = sys_write(p, fd, chunk, sizeof chunk)) > 0) total += (size_t)w;
    assert_int_equal(w, -ENOSPC);
    assert_true(total < (4u << 20));
    sys_close(p, fd);
    assert_int_equal(sys_unlink(p, "big"), 0);
    fd = sys_open(p, "small", O_WRONLY | O_CREAT, 0644);
    assert_int_equal(sys_write(p, fd, chunk, 100), 100);
    sys_close(p, fd);
    return 0;
}

static void test_limits(void **state)
{
    vos_config cfg = {.limits = {.memory_bytes = 4 << 20, .open_files = 16, .processes = 4,
                                 .fs_bytes = 4 << 20}};
    vos_vm *saved = vm;
    vm = vos_new(&cfg);
    assert_non_null(vm);
    register_all(vm);
    assert_int_equal(vos_register_command(vm, "t-limits", b_limits, NULL), 0);
    const char *argv[] = {"t-limits", NULL};
    vos_result r = run(argv, NULL);
    assert_int_equal(r.status, 0);
    vos_result_free(&r);
    struct vm *k = (struct vm *)vm;
    assert_int_equal(k->mem_used, 0);
    /* Per-exec options lower the VM's limits, never raise them. */
    vos_limits l = {.wall_ms = 30};
    vos_set_limits(vm, &l);
    const char *argv2[] = {"t-sleep", "5", NULL};
    vos_exec_opts o = {.timeout_ms = 100000};
    r = run(argv2, &o);
    assert_int_equal(r.status, 124);
    vos_result_free(&r);
    vos_free(vm);
    vm = saved;
}

static void test_fork_isolation(void **state)
{
    assert_int_equal(vos_write_file(vm, "shared", "parent-v1", 9), 0);
    vos_vm *child = vos_fork(vm);
    assert_non_null(child);
    void *d;
    size_t n;
    assert_int_equal(vos_read_file(child, "shared", &d, &n), 0);
    assert_memory_equal(d, "parent-v1", 9);
    free(d);
    /* Parent changes: child unaffected. */
    assert_int_equal(vos_write_file(vm, "shared", "parent-v2", 9), 0);
    assert_int_equal(vos_write_file(vm, "only-parent", "p", 1), 0);
    assert_int_equal(vos_read_file(child, "shared", &d, &n), 0);
    assert_memory_equal(d, "parent-v1", 9);
    free(d);
    struct stat st;
    assert_int_equal(vos_stat(child, "only-parent", &st), -ENOENT);
    /* And the reverse. */
    assert_int_equal(vos_write_file(child, "only-child", "c", 1), 0);
    assert_int_equal(vos_chmod(child, "shared", 0600), 0);
    assert_int_equal(vos_stat(vm, "only-child", &st), -ENOENT);
    assert_int_equal(vos_stat(vm, "shared", &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    /* The child runs its own processes with its own bindings. */
    const char *argv[] = {"t-echo", "in-child", NULL};
    vos_result r;
    assert_int_equal(vos_run(child, (char *const *)argv, NULL, &r), 0);
    assert_string_equal(r.out, "in-child\n");
    vos_result_free(&r);
    /* /proc in the child shows the child's processes. */
    assert_int_equal(vos_stat(child, "/proc/self", &st), -ENOENT);
    vos_free(child);
    assert_int_equal(vos_read_file(vm, "shared", &d, &n), 0);
    assert_memory_equal(d, "parent-v2", 9);
    free(d);
}

static void test_snapshot_restore(void **state)
{
    assert_int_equal(vos_write_file(vm, "snap", "before", 6), 0);
    assert_int_equal(vos_chmod(vm, "snap", 0640), 0);
    struct stat before;
    assert_int_equal(vos_stat(vm, "snap", &before), 0);
    vos_snapshot *s = vos_snapshot_take(vm);
    assert_non_null(s);
    assert_int_equal(vos_write_file(vm, "snap", "after!!", 7), 0);
    assert_int_equal(vos_chmod(vm, "snap", 0600), 0);
    assert_int_equal(vos_write_file(vm, "new", "n", 1), 0);
    assert_int_equal(vos_restore(vm, s), 0);
    void *d;
    size_t n;
    assert_int_equal(vos_read_file(vm, "snap", &d, &n), 0);
    assert_int_equal(n, 6);
    assert_memory_equal(d, "before", 6);
    free(d);
    struct stat after;
    assert_int_equal(vos_stat(vm, "snap", &after), 0);
    assert_int_equal(after.st_mode, before.st_mode);
    assert_int_equal(after.st_ino, before.st_ino);
    assert_int_equal(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
    assert_int_equal(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
    assert_int_equal(after.st_ctim.tv_nsec, before.st_ctim.tv_nsec);
    assert_int_equal(vos_stat(vm, "new", &after), -ENOENT);
    /* A snapshot can be restored twice, and outlives changes. */
    assert_int_equal(vos_write_file(vm, "snap", "x", 1), 0);
    assert_int_equal(vos_restore(vm, s), 0);
    assert_int_equal(vos_read_file(vm, "snap", &d, &n), 0);
    assert_int_equal(n, 6);
    free(d);
    vos_snapshot_free(s);
}

static void *thread_vm(void *arg)
{
    vos_vm *v = vos_new(NULL);
    if (!v) return (void *)1;
    intptr_t bad = 0;
    vos_register_command(v, "t-cat", b_cat, NULL);
    vos_register_command(v, "t-pipeline", b_pipeline, NULL);
    for (int i = 0; i < 50 && !bad; i++) {
        char name[32], data[32];
        snprintf(name, sizeof name, "f%d", i);
        snprintf(data, sizeof data, "%p-%d", arg, i);
        if (vos_write_file(v, name, data, strlen(data))) bad = 2;
        vos_vm *f = vos_fork(v);
        void *d;
        size_t n;
        if (!f || vos_read_file(f, name, &d, &n) || n != strlen(data) || memcmp(d, data, n)) bad = 3;
        else free(d);
        vos_free(f);
        const char *argv[] = {"t-pipeline", "t-cat", "t-cat", NULL};
        vos_exec_opts o = {.stdin_data = data, .stdin_len = strlen(data)};
        vos_result r;
        if (vos_run(v, (char *const *)argv, &o, &r) || strcmp(r.out, data)) bad = 4;
        vos_result_free(&r);
    }
    vos_free(v);
    return (void *)bad;
}

static void test_many_threads(void **state)
{
    pthread_t t[4];
    int ids[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, thread_vm, &ids[i]);
    for (int i = 0; i < 4; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        assert_int_equal((intptr_t)ret, 0);
    }
}

static void test_background_survives_exec(void **state)
{
    /* A process started in the background outlives the exec that made it;
     * vos_free ends it. */
    vos_vm *v = vos_new(NULL);
    register_all(v);
    assert_int_equal(vos_register_command(v, "t-bg", b_kill_child, NULL), 0);
    vos_vm *saved = vm;
    vm = v;
    const char *argv[] = {"t-pipeline", "t-sleep", "t-cat", NULL};
    vos_exec_opts o = {.timeout_ms = 20};
    vos_result r = run(argv, &o);
    assert_int_equal(r.status, 124);
    vos_result_free(&r);
    vm = saved;
    vos_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_default_image, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_api, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_binding, setup_b, teardown),
        cmocka_unit_test_setup_teardown(test_not_found, setup_b, teardown),
        cmocka_unit_test_setup_teardown(test_stdin, setup_b, teardown),
        cmocka_unit_test_setup_teardown(test_shebang, setup_b, teardown),
        cmocka_unit_test_setup_teardown(test_sigpipe, setup_b, teardown),
        cmocka_unit_test_setup_teardown(test_pipe_streams, setup_b, teardown),
        cmocka_unit_test_setup_teardown(test_timeout_sleep, setup_b, teardown),
        cmocka_unit_test_setup_teardown(test_timeout_spin, setup_b, teardown),
        cmocka_unit_test_setup_teardown(test_timeout_pipeline, setup_b, teardown),
        cmocka_unit_test_setup_teardown(test_output_limit, setup_b, teardown),
        cmocka_unit_test_setup_teardown(test_streaming, setup_b, teardown),
        cmocka_unit_test_setup_teardown(test_signals, setup_b, teardown),
        cmocka_unit_test_setup_teardown(test_signal_caught_ignored, setup_b, teardown),
        cmocka_unit_test_setup_teardown(test_fds, setup_b, teardown),
        cmocka_unit_test_setup_teardown(test_devices_and_proc, setup_b, teardown),
        cmocka_unit_test_setup_teardown(test_fifo, setup_b, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup_b, teardown),
        cmocka_unit_test_setup_teardown(test_fork_isolation, setup_b, teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_restore, setup_b, teardown),
        cmocka_unit_test(test_many_threads),
        cmocka_unit_test_setup_teardown(test_background_survives_exec, setup_b, teardown),
    };
    return cmocka_run_group_tests_name("kernel", tests, NULL, NULL);
}
