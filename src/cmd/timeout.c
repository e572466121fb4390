/* timeout.c — run a command with a time limit (coreutils timeout): the
 * child runs asynchronously in its own process group; timeout polls it with
 * sys_waitpid(WNOHANG) and short sleeps, sends the signal (-s) to the group
 * (or the child alone with --foreground) at the deadline, then KILL after
 * -k. Statuses: 124 timed out, 125 timeout failed, 126/127 cannot run,
 * 137 when KILL was sent (GNU timeout is killed with its group), else the
 * command's; a command killed by a signal makes timeout die by it too. */
#include "cmd/cmd.h"
#include "lib/path.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/wait.h>

static const char timeout_help[] =
    "Usage: %s [OPTION] DURATION COMMAND [ARG]...\n"
    "  or:  %s [OPTION]\n"
    "Start COMMAND, and kill it if still running after DURATION.\n"
    "\n"
    "Mandatory arguments to long options are mandatory for short options too.\n"
    "      --preserve-status\n"
    "                 exit with the same status as COMMAND, even when the\n"
    "                   command times out\n"
    "      --foreground\n"
    "                 when not running timeout directly from a shell prompt,\n"
    "                   allow COMMAND to read from the TTY and get TTY signals;\n"
    "                   in this mode, children of COMMAND will not be timed out\n"
    "  -k, --kill-after=DURATION\n"
    "                 also send a KILL signal if COMMAND is still running\n"
    "                   this long after the initial signal was sent\n"
    "  -s, --signal=SIGNAL\n"
    "                 specify the signal to be sent on timeout;\n"
    "                   SIGNAL may be a name like 'HUP' or a number;\n"
    "                   see 'kill -l' for a list of signals\n"
    "  -v, --verbose  diagnose to stderr any signal sent upon timeout\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    "DURATION is a floating point number with an optional suffix:\n"
    "'s' for seconds (the default), 'm' for minutes, 'h' for hours or 'd' for days.\n"
    "A duration of 0 disables the associated timeout.\n"
    "\n"
    "Upon timeout, send the TERM signal to COMMAND, if no other SIGNAL specified.\n"
    "The TERM signal kills any process that does not block or catch that signal.\n"
    "It may be necessary to use the KILL signal, since this signal can't be caught.\n"
    "\n"
    "EXIT status:\n"
    "  124  if COMMAND times out, and --preserve-status is not specified\n"
    "  125  if the timeout command itself fails\n"
    "  126  if COMMAND is found but cannot be invoked\n"
    "  127  if COMMAND cannot be found\n"
    "  137  if COMMAND (or timeout itself) is sent the KILL (9) signal (128+9)\n"
    "  -    the exit status of COMMAND otherwise\n"
    "\n"
    COREUTILS_HELP_TAIL("timeout", "timeout");

enum { OPT_FOREGROUND = 256, OPT_PRESERVE };
static const struct opt_long longs[] = {{"kill-after", OPT_ARG, 'k'},
                                        {"signal", OPT_ARG, 's'},
                                        {"verbose", OPT_NOARG, 'v'},
                                        {"foreground", OPT_NOARG, OPT_FOREGROUND},
                                        {"preserve-status", OPT_NOARG, OPT_PRESERVE},
                                        {0}};
static const struct opt_spec spec = {.name = "timeout",
                                     .shorts = "+k:s:v",
                                     .longs = longs,
                                     .help = timeout_help,
                                     .authors = "Padraig Brady",
                                     .err_status = 125};

static const char *const signames[] = {
    NULL,   "HUP",  "INT",  "QUIT", "ILL",    "TRAP",   "ABRT",  "BUS",  "FPE",  "KILL", "USR1",
    "SEGV", "USR2", "PIPE", "ALRM", "TERM",   "STKFLT", "CHLD",  "CONT", "STOP", "TSTP", "TTIN",
    "TTOU", "URG",  "XCPU", "XFSZ", "VTALRM", "PROF",   "WINCH", "POLL", "PWR",  "SYS"};

/* coreutils str2sig: a number, or a name with or without SIG. */
static int str2sig(const char *s)
{
    char *end;
    if (*s >= '0' && *s <= '9') {
        long v = strtol(s, &end, 10);
        return *end || v > 64 ? -1 : (int)v;
    }
    if (!strncasecmp(s, "SIG", 3)) s += 3;
    for (int i = 1; i < 32; i++)
        if (!strcasecmp(s, signames[i])) return i;
    if (!strcmp(s, "EXIT")) return 0;
    if (!strcmp(s, "IOT")) return SIGABRT;
    if (!strcmp(s, "CLD")) return SIGCHLD;
    if (!strcmp(s, "IO")) return SIGIO;
    if (!strcmp(s, "RTMIN")) return 34;
    if (!strcmp(s, "RTMAX")) return 64;
    return -1;
}

static void sig2str(int sig, char *buf, size_t n)
{
    if (sig > 0 && sig < 32)
        snprintf(buf, n, "%s", signames[sig]);
    else if (sig >= 34 && sig <= 64)
        snprintf(buf, n, sig == 34 ? "RTMIN" : sig == 64 ? "RTMAX" : "RTMIN+%d", sig - 34);
    else
        snprintf(buf, n, "%d", sig);
}

/* A duration: a float with an optional s/m/h/d suffix, in ns (saturated). */
static bool parse_duration(const char *s, uint64_t *ns)
{
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (end == s || isnan(d) || d < 0) return false;
    double mult = 1;
    if (*end) {
        if (end[1]) return false;
        switch (*end) {
        case 's': break;
        case 'm': mult = 60; break;
        case 'h': mult = 3600; break;
        case 'd': mult = 86400; break;
        default: return false;
        }
    }
    d *= mult;
    if (d > 1e10) d = 1e10; /* ~300 years: effectively no limit */
    double v = ceil(d * 1e9);
    *ns = (uint64_t)v;
    if (d > 0 && *ns == 0) *ns = 1;
    return true;
}

static void send(struct proc *p, int pid, int sig, bool foreground, bool verbose, const char *cmd)
{
    if (verbose) {
        char name[32];
        sig2str(sig, name, sizeof name);
        cmd_error(p, "sending signal %s to command %s", name, cmd_quote(p, cmd));
    }
    if (foreground)
        sys_kill(p, pid, sig);
    else if (sys_kill(p, -pid, sig) < 0)
        sys_kill(p, pid, sig);
    if (sig != SIGKILL && sig != SIGCONT) {
        /* GNU sends CONT too, so stopped processes see the signal. */
        if (foreground)
            sys_kill(p, pid, SIGCONT);
        else if (sys_kill(p, -pid, SIGCONT) < 0)
            sys_kill(p, pid, SIGCONT);
    }
}

int cmd_timeout(struct proc *p, int argc, char **argv)
{
    int term_signal = SIGTERM;
    uint64_t kill_after = 0;
    bool verbose = false, foreground = false, preserve = false;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case 'k':
            if (!parse_duration(o.arg, &kill_after)) {
                cmd_error(p, "invalid time interval %s", cmd_quote(p, o.arg));
                return opt_usage_error(&o, NULL);
            }
            break;
        case 's':
            term_signal = str2sig(o.arg);
            if (term_signal < 0) {
                cmd_error(p, "%s: invalid signal", cmd_quote(p, o.arg));
                return opt_usage_error(&o, NULL);
            }
            break;
        case 'v': verbose = true; break;
        case OPT_FOREGROUND: foreground = true; break;
        case OPT_PRESERVE: preserve = true; break;
        case OPT_EXIT: return o.status;
        }
    }
    if (argc - o.ind < 2) return opt_usage_error(&o, NULL);
    uint64_t timeout;
    if (!parse_duration(argv[o.ind], &timeout)) {
        cmd_error(p, "invalid time interval %s", cmd_quote(p, argv[o.ind]));
        return opt_usage_error(&o, NULL);
    }
    char **cmd = argv + o.ind + 1;
    char path[VFS_PATH_MAX];
    int r = path_search(p, cmd[0], NULL, path, sizeof path);
    struct proc *child = NULL;
    int pid = 0;
    if (r == 0) {
        child = proc_new(p->vm, p);
        if (!child) {
            cmd_error(p, "fork system call failed");
            return 125;
        }
        pid = child->pid;
        if (!foreground) child->pgid = pid;
        r = sys_exec(child, path, cmd, true);
        if (r < 0) proc_discard(child);
    }
    if (r < 0) {
        if (r == -ENOEXEC) r = -EACCES;
        cmd_errno(p, r, "failed to run command %s", cmd_quote(p, cmd[0]));
        return r == -ENOENT ? 127 : 126;
    }
    uint64_t start = now_ns();
    uint64_t deadline = timeout ? start + timeout : 0;
    bool timed_out = false, killed = false;
    int status = 0;
    uint64_t nap = 1000000; /* 1 ms, growing to 20 ms */
    for (;;) {
        r = sys_waitpid(p, pid, &status, WNOHANG);
        if (r == pid) break;
        if (r < 0) {
            if (r == -EINTR && p->killed) return 125;
            if (r != -EINTR) {
                cmd_errno(p, r, "error waiting for child");
                return 125;
            }
        }
        uint64_t now = now_ns();
        if (deadline && now >= deadline) {
            if (!timed_out) {
                timed_out = true;
                send(p, pid, term_signal, foreground, verbose, cmd[0]);
                if (term_signal == SIGKILL) killed = true;
                deadline = kill_after && !killed ? now + kill_after : 0;
            } else {
                send(p, pid, SIGKILL, foreground, verbose, cmd[0]);
                killed = true;
                deadline = 0;
            }
            nap = 1000000;
            continue;
        }
        uint64_t wait = nap;
        if (deadline && deadline - now < wait) wait = deadline - now;
        struct timespec ts = {(time_t)(wait / 1000000000u), (long)(wait % 1000000000u)};
        if (sys_nanosleep(p, &ts) < 0 && p->killed) {
            /* timeout itself was killed: take the child with it */
            sys_kill(p, foreground ? pid : -pid, SIGKILL);
            return 125;
        }
        if (nap < 20000000) nap += nap / 2;
    }
    if (killed && !foreground) {
        /* GNU timeout signals its own process group, itself included. */
        proc_kill(p, SIGKILL);
        return 128 + SIGKILL;
    }
    int ret;
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        /* GNU re-raises the child's signal on itself: fatal unless it is
         * one timeout catches (it forwards those). */
        bool caught = sig != SIGKILL && (sig == term_signal || sig == SIGALRM || sig == SIGINT ||
                                         sig == SIGQUIT || sig == SIGHUP || sig == SIGTERM ||
                                         sig == SIGCHLD || sig == SIGTTIN || sig == SIGTTOU);
        if (!caught) {
            proc_kill(p, sig);
            return 128 + sig;
        }
        ret = 128 + sig;
    } else {
        ret = WEXITSTATUS(status);
    }
    if (timed_out && !preserve) ret = 124;
    return ret;
}
