/* getconf.c — query system configuration variables (glibc getconf): the
 * values of this VM's stable identity, the same table the host's Debian 12
 * glibc lists with -a, except the processor count (2, as nproc) and the
 * physical pages (from the VM's memory limit in /proc/meminfo). Path
 * variables (PATH_MAX, NAME_MAX, ...) need a PATH operand, others must not
 * have one. */
#include "cmd/cmd.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

static const struct {
    const char *name, *value;
    bool path;
} vars[] = {
    {"LINK_MAX", "65000", 1},
    {"_POSIX_LINK_MAX", "65000", 1},
    {"MAX_CANON", "255", 1},
    {"_POSIX_MAX_CANON", "255", 1},
    {"MAX_INPUT", "255", 1},
    {"_POSIX_MAX_INPUT", "255", 1},
    {"NAME_MAX", "255", 1},
    {"_POSIX_NAME_MAX", "255", 1},
    {"PATH_MAX", "4096", 1},
    {"_POSIX_PATH_MAX", "4096", 1},
    {"PIPE_BUF", "4096", 1},
    {"_POSIX_PIPE_BUF", "4096", 1},
    {"SOCK_MAXBUF", "", 1},
    {"_POSIX_ASYNC_IO", "", 1},
    {"_POSIX_CHOWN_RESTRICTED", "1", 1},
    {"_POSIX_NO_TRUNC", "1", 1},
    {"_POSIX_PRIO_IO", "", 1},
    {"_POSIX_SYNC_IO", "", 1},
    {"_POSIX_VDISABLE", "0", 1},
    {"ARG_MAX", "2097152", 0},
    {"ATEXIT_MAX", "2147483647", 0},
    {"CHAR_BIT", "8", 0},
    {"CHAR_MAX", "127", 0},
    {"CHAR_MIN", "-128", 0},
    {"CHILD_MAX", "96365", 0},
    {"CLK_TCK", "100", 0},
    {"INT_MAX", "2147483647", 0},
    {"INT_MIN", "-2147483648", 0},
    {"IOV_MAX", "1024", 0},
    {"LOGNAME_MAX", "256", 0},
    {"LONG_BIT", "64", 0},
    {"MB_LEN_MAX", "16", 0},
    {"NGROUPS_MAX", "65536", 0},
    {"NL_ARGMAX", "4096", 0},
    {"NL_LANGMAX", "2048", 0},
    {"NL_MSGMAX", "2147483647", 0},
    {"NL_NMAX", "2147483647", 0},
    {"NL_SETMAX", "2147483647", 0},
    {"NL_TEXTMAX", "2147483647", 0},
    {"NSS_BUFLEN_GROUP", "1024", 0},
    {"NSS_BUFLEN_PASSWD", "1024", 0},
    {"NZERO", "20", 0},
    {"OPEN_MAX", "20000", 0},
    {"PAGESIZE", "4096", 0},
    {"PAGE_SIZE", "4096", 0},
    {"PASS_MAX", "8192", 0},
    {"PTHREAD_DESTRUCTOR_ITERATIONS", "4", 0},
    {"PTHREAD_KEYS_MAX", "1024", 0},
    {"PTHREAD_STACK_MIN", "16384", 0},
    {"PTHREAD_THREADS_MAX", "", 0},
    {"SCHAR_MAX", "127", 0},
    {"SCHAR_MIN", "-128", 0},
    {"SHRT_MAX", "32767", 0},
    {"SHRT_MIN", "-32768", 0},
    {"SSIZE_MAX", "32767", 0},
    {"TTY_NAME_MAX", "32", 0},
    {"TZNAME_MAX", "", 0},
    {"UCHAR_MAX", "255", 0},
    {"UINT_MAX", "4294967295", 0},
    {"UIO_MAXIOV", "1024", 0},
    {"ULONG_MAX", "18446744073709551615", 0},
    {"USHRT_MAX", "65535", 0},
    {"WORD_BIT", "32", 0},
    {"_AVPHYS_PAGES", "4550193", 0},
    {"_NPROCESSORS_CONF", "2", 0},
    {"_NPROCESSORS_ONLN", "2", 0},
    {"_PHYS_PAGES", "6171023", 0},
    {"_POSIX_ARG_MAX", "2097152", 0},
    {"_POSIX_ASYNCHRONOUS_IO", "200809", 0},
    {"_POSIX_CHILD_MAX", "96365", 0},
    {"_POSIX_FSYNC", "200809", 0},
    {"_POSIX_JOB_CONTROL", "1", 0},
    {"_POSIX_MAPPED_FILES", "200809", 0},
    {"_POSIX_MEMLOCK", "200809", 0},
    {"_POSIX_MEMLOCK_RANGE", "200809", 0},
    {"_POSIX_MEMORY_PROTECTION", "200809", 0},
    {"_POSIX_MESSAGE_PASSING", "200809", 0},
    {"_POSIX_NGROUPS_MAX", "65536", 0},
    {"_POSIX_OPEN_MAX", "20000", 0},
    {"_POSIX_PII", "", 0},
    {"_POSIX_PII_INTERNET", "", 0},
    {"_POSIX_PII_INTERNET_DGRAM", "", 0},
    {"_POSIX_PII_INTERNET_STREAM", "", 0},
    {"_POSIX_PII_OSI", "", 0},
    {"_POSIX_PII_OSI_CLTS", "", 0},
    {"_POSIX_PII_OSI_COTS", "", 0},
    {"_POSIX_PII_OSI_M", "", 0},
    {"_POSIX_PII_SOCKET", "", 0},
    {"_POSIX_PII_XTI", "", 0},
    {"_POSIX_POLL", "", 0},
    {"_POSIX_PRIORITIZED_IO", "200809", 0},
    {"_POSIX_PRIORITY_SCHEDULING", "200809", 0},
    {"_POSIX_REALTIME_SIGNALS", "200809", 0},
    {"_POSIX_SAVED_IDS", "1", 0},
    {"_POSIX_SELECT", "", 0},
    {"_POSIX_SEMAPHORES", "200809", 0},
    {"_POSIX_SHARED_MEMORY_OBJECTS", "200809", 0},
    {"_POSIX_SSIZE_MAX", "32767", 0},
    {"_POSIX_STREAM_MAX", "16", 0},
    {"_POSIX_SYNCHRONIZED_IO", "200809", 0},
    {"_POSIX_THREADS", "200809", 0},
    {"_POSIX_THREAD_ATTR_STACKADDR", "200809", 0},
    {"_POSIX_THREAD_ATTR_STACKSIZE", "200809", 0},
    {"_POSIX_THREAD_PRIORITY_SCHEDULING", "200809", 0},
    {"_POSIX_THREAD_PRIO_INHERIT", "200809", 0},
    {"_POSIX_THREAD_PRIO_PROTECT", "200809", 0},
    {"_POSIX_THREAD_ROBUST_PRIO_INHERIT", "", 0},
    {"_POSIX_THREAD_ROBUST_PRIO_PROTECT", "", 0},
    {"_POSIX_THREAD_PROCESS_SHARED", "200809", 0},
    {"_POSIX_THREAD_SAFE_FUNCTIONS", "200809", 0},
    {"_POSIX_TIMERS", "200809", 0},
    {"TIMER_MAX", "", 0},
    {"_POSIX_TZNAME_MAX", "", 0},
    {"_POSIX_VERSION", "200809", 0},
    {"_T_IOV_MAX", "", 0},
    {"_XOPEN_CRYPT", "", 0},
    {"_XOPEN_ENH_I18N", "1", 0},
    {"_XOPEN_LEGACY", "1", 0},
    {"_XOPEN_REALTIME", "1", 0},
    {"_XOPEN_REALTIME_THREADS", "1", 0},
    {"_XOPEN_SHM", "1", 0},
    {"_XOPEN_UNIX", "1", 0},
    {"_XOPEN_VERSION", "700", 0},
    {"_XOPEN_XCU_VERSION", "4", 0},
    {"_XOPEN_XPG2", "1", 0},
    {"_XOPEN_XPG3", "1", 0},
    {"_XOPEN_XPG4", "1", 0},
    {"BC_BASE_MAX", "99", 0},
    {"BC_DIM_MAX", "2048", 0},
    {"BC_SCALE_MAX", "99", 0},
    {"BC_STRING_MAX", "1000", 0},
    {"CHARCLASS_NAME_MAX", "2048", 0},
    {"COLL_WEIGHTS_MAX", "255", 0},
    {"EQUIV_CLASS_MAX", "", 0},
    {"EXPR_NEST_MAX", "32", 0},
    {"LINE_MAX", "2048", 0},
    {"POSIX2_BC_BASE_MAX", "99", 0},
    {"POSIX2_BC_DIM_MAX", "2048", 0},
    {"POSIX2_BC_SCALE_MAX", "99", 0},
    {"POSIX2_BC_STRING_MAX", "1000", 0},
    {"POSIX2_CHAR_TERM", "200809", 0},
    {"POSIX2_COLL_WEIGHTS_MAX", "255", 0},
    {"POSIX2_C_BIND", "200809", 0},
    {"POSIX2_C_DEV", "200809", 0},
    {"POSIX2_C_VERSION", "200809", 0},
    {"POSIX2_EXPR_NEST_MAX", "32", 0},
    {"POSIX2_FORT_DEV", "", 0},
    {"POSIX2_FORT_RUN", "", 0},
    {"_POSIX2_LINE_MAX", "2048", 0},
    {"POSIX2_LINE_MAX", "2048", 0},
    {"POSIX2_LOCALEDEF", "200809", 0},
    {"POSIX2_RE_DUP_MAX", "32767", 0},
    {"POSIX2_SW_DEV", "200809", 0},
    {"POSIX2_UPE", "", 0},
    {"POSIX2_VERSION", "200809", 0},
    {"RE_DUP_MAX", "32767", 0},
    {"PATH", "/bin:/usr/bin", 0},
    {"CS_PATH", "/bin:/usr/bin", 0},
    {"LFS_CFLAGS", "", 0},
    {"LFS_LDFLAGS", "", 0},
    {"LFS_LIBS", "", 0},
    {"LFS_LINTFLAGS", "", 0},
    {"LFS64_CFLAGS", "-D_LARGEFILE64_SOURCE", 0},
    {"LFS64_LDFLAGS", "", 0},
    {"LFS64_LIBS", "", 0},
    {"LFS64_LINTFLAGS", "-D_LARGEFILE64_SOURCE", 0},
    {"_XBS5_WIDTH_RESTRICTED_ENVS", "XBS5_LP64_OFF64", 0},
    {"XBS5_WIDTH_RESTRICTED_ENVS", "XBS5_LP64_OFF64", 0},
    {"_XBS5_ILP32_OFF32", "", 0},
    {"XBS5_ILP32_OFF32_CFLAGS", "", 0},
    {"XBS5_ILP32_OFF32_LDFLAGS", "", 0},
    {"XBS5_ILP32_OFF32_LIBS", "", 0},
    {"XBS5_ILP32_OFF32_LINTFLAGS", "", 0},
    {"_XBS5_ILP32_OFFBIG", "", 0},
    {"XBS5_ILP32_OFFBIG_CFLAGS", "", 0},
    {"XBS5_ILP32_OFFBIG_LDFLAGS", "", 0},
    {"XBS5_ILP32_OFFBIG_LIBS", "", 0},
    {"XBS5_ILP32_OFFBIG_LINTFLAGS", "", 0},
    {"_XBS5_LP64_OFF64", "1", 0},
    {"XBS5_LP64_OFF64_CFLAGS", "-m64", 0},
    {"XBS5_LP64_OFF64_LDFLAGS", "-m64", 0},
    {"XBS5_LP64_OFF64_LIBS", "", 0},
    {"XBS5_LP64_OFF64_LINTFLAGS", "", 0},
    {"_XBS5_LPBIG_OFFBIG", "", 0},
    {"XBS5_LPBIG_OFFBIG_CFLAGS", "", 0},
    {"XBS5_LPBIG_OFFBIG_LDFLAGS", "", 0},
    {"XBS5_LPBIG_OFFBIG_LIBS", "", 0},
    {"XBS5_LPBIG_OFFBIG_LINTFLAGS", "", 0},
    {"_POSIX_V6_ILP32_OFF32", "", 0},
    {"POSIX_V6_ILP32_OFF32_CFLAGS", "", 0},
    {"POSIX_V6_ILP32_OFF32_LDFLAGS", "", 0},
    {"POSIX_V6_ILP32_OFF32_LIBS", "", 0},
    {"POSIX_V6_ILP32_OFF32_LINTFLAGS", "", 0},
    {"_POSIX_V6_WIDTH_RESTRICTED_ENVS", "POSIX_V6_LP64_OFF64", 0},
    {"POSIX_V6_WIDTH_RESTRICTED_ENVS", "POSIX_V6_LP64_OFF64", 0},
    {"_POSIX_V6_ILP32_OFFBIG", "", 0},
    {"POSIX_V6_ILP32_OFFBIG_CFLAGS", "", 0},
    {"POSIX_V6_ILP32_OFFBIG_LDFLAGS", "", 0},
    {"POSIX_V6_ILP32_OFFBIG_LIBS", "", 0},
    {"POSIX_V6_ILP32_OFFBIG_LINTFLAGS", "", 0},
    {"_POSIX_V6_LP64_OFF64", "1", 0},
    {"POSIX_V6_LP64_OFF64_CFLAGS", "-m64", 0},
    {"POSIX_V6_LP64_OFF64_LDFLAGS", "-m64", 0},
    {"POSIX_V6_LP64_OFF64_LIBS", "", 0},
    {"POSIX_V6_LP64_OFF64_LINTFLAGS", "", 0},
    {"_POSIX_V6_LPBIG_OFFBIG", "", 0},
    {"POSIX_V6_LPBIG_OFFBIG_CFLAGS", "", 0},
    {"POSIX_V6_LPBIG_OFFBIG_LDFLAGS", "", 0},
    {"POSIX_V6_LPBIG_OFFBIG_LIBS", "", 0},
    {"POSIX_V6_LPBIG_OFFBIG_LINTFLAGS", "", 0},
    {"_POSIX_V7_ILP32_OFF32", "", 0},
    {"POSIX_V7_ILP32_OFF32_CFLAGS", "", 0},
    {"POSIX_V7_ILP32_OFF32_LDFLAGS", "", 0},
    {"POSIX_V7_ILP32_OFF32_LIBS", "", 0},
    {"POSIX_V7_ILP32_OFF32_LINTFLAGS", "", 0},
    {"_POSIX_V7_WIDTH_RESTRICTED_ENVS", "POSIX_V7_LP64_OFF64", 0},
    {"POSIX_V7_WIDTH_RESTRICTED_ENVS", "POSIX_V7_LP64_OFF64", 0},
    {"_POSIX_V7_ILP32_OFFBIG", "", 0},
    {"POSIX_V7_ILP32_OFFBIG_CFLAGS", "", 0},
    {"POSIX_V7_ILP32_OFFBIG_LDFLAGS", "", 0},
    {"POSIX_V7_ILP32_OFFBIG_LIBS", "", 0},
    {"POSIX_V7_ILP32_OFFBIG_LINTFLAGS", "", 0},
    {"_POSIX_V7_LP64_OFF64", "1", 0},
    {"POSIX_V7_LP64_OFF64_CFLAGS", "-m64", 0},
    {"POSIX_V7_LP64_OFF64_LDFLAGS", "-m64", 0},
    {"POSIX_V7_LP64_OFF64_LIBS", "", 0},
    {"POSIX_V7_LP64_OFF64_LINTFLAGS", "", 0},
    {"_POSIX_V7_LPBIG_OFFBIG", "", 0},
    {"POSIX_V7_LPBIG_OFFBIG_CFLAGS", "", 0},
    {"POSIX_V7_LPBIG_OFFBIG_LDFLAGS", "", 0},
    {"POSIX_V7_LPBIG_OFFBIG_LIBS", "", 0},
    {"POSIX_V7_LPBIG_OFFBIG_LINTFLAGS", "", 0},
    {"_POSIX_ADVISORY_INFO", "200809", 0},
    {"_POSIX_BARRIERS", "200809", 0},
    {"_POSIX_BASE", "", 0},
    {"_POSIX_C_LANG_SUPPORT", "", 0},
    {"_POSIX_C_LANG_SUPPORT_R", "", 0},
    {"_POSIX_CLOCK_SELECTION", "200809", 0},
    {"_POSIX_CPUTIME", "200809", 0},
    {"_POSIX_THREAD_CPUTIME", "200809", 0},
    {"_POSIX_DEVICE_SPECIFIC", "", 0},
    {"_POSIX_DEVICE_SPECIFIC_R", "", 0},
    {"_POSIX_FD_MGMT", "", 0},
    {"_POSIX_FIFO", "", 0},
    {"_POSIX_PIPE", "", 0},
    {"_POSIX_FILE_ATTRIBUTES", "", 0},
    {"_POSIX_FILE_LOCKING", "", 0},
    {"_POSIX_FILE_SYSTEM", "", 0},
    {"_POSIX_MONOTONIC_CLOCK", "200809", 0},
    {"_POSIX_MULTI_PROCESS", "", 0},
    {"_POSIX_SINGLE_PROCESS", "", 0},
    {"_POSIX_NETWORKING", "", 0},
    {"_POSIX_READER_WRITER_LOCKS", "200809", 0},
    {"_POSIX_SPIN_LOCKS", "200809", 0},
    {"_POSIX_REGEXP", "1", 0},
    {"_REGEX_VERSION", "", 0},
    {"_POSIX_SHELL", "1", 0},
    {"_POSIX_SIGNALS", "", 0},
    {"_POSIX_SPAWN", "200809", 0},
    {"_POSIX_SPORADIC_SERVER", "", 0},
    {"_POSIX_THREAD_SPORADIC_SERVER", "", 0},
    {"_POSIX_SYSTEM_DATABASE", "", 0},
    {"_POSIX_SYSTEM_DATABASE_R", "", 0},
    {"_POSIX_TIMEOUTS", "200809", 0},
    {"_POSIX_TYPED_MEMORY_OBJECTS", "", 0},
    {"_POSIX_USER_GROUPS", "", 0},
    {"_POSIX_USER_GROUPS_R", "", 0},
    {"POSIX2_PBS", "", 0},
    {"POSIX2_PBS_ACCOUNTING", "", 0},
    {"POSIX2_PBS_LOCATE", "", 0},
    {"POSIX2_PBS_TRACK", "", 0},
    {"POSIX2_PBS_MESSAGE", "", 0},
    {"SYMLOOP_MAX", "", 0},
    {"STREAM_MAX", "16", 0},
    {"AIO_LISTIO_MAX", "", 0},
    {"AIO_MAX", "", 0},
    {"AIO_PRIO_DELTA_MAX", "20", 0},
    {"DELAYTIMER_MAX", "2147483647", 0},
    {"HOST_NAME_MAX", "64", 0},
    {"LOGIN_NAME_MAX", "256", 0},
    {"MQ_OPEN_MAX", "", 0},
    {"MQ_PRIO_MAX", "32768", 0},
    {"_POSIX_DEVICE_IO", "", 0},
    {"_POSIX_TRACE", "", 0},
    {"_POSIX_TRACE_EVENT_FILTER", "", 0},
    {"_POSIX_TRACE_INHERIT", "", 0},
    {"_POSIX_TRACE_LOG", "", 0},
    {"RTSIG_MAX", "32", 0},
    {"SEM_NSEMS_MAX", "", 0},
    {"SEM_VALUE_MAX", "2147483647", 0},
    {"SIGQUEUE_MAX", "96365", 0},
    {"FILESIZEBITS", "64", 1},
    {"POSIX_ALLOC_SIZE_MIN", "4096", 1},
    {"POSIX_REC_INCR_XFER_SIZE", "", 1},
    {"POSIX_REC_MAX_XFER_SIZE", "", 1},
    {"POSIX_REC_MIN_XFER_SIZE", "4096", 1},
    {"POSIX_REC_XFER_ALIGN", "4096", 1},
    {"SYMLINK_MAX", "", 1},
    {"GNU_LIBC_VERSION", "glibc 2.36", 0},
    {"GNU_LIBPTHREAD_VERSION", "NPTL 2.36", 0},
    {"POSIX2_SYMLINKS", "1", 1},
    {"LEVEL1_ICACHE_SIZE", "32768", 0},
    {"LEVEL1_ICACHE_ASSOC", "", 0},
    {"LEVEL1_ICACHE_LINESIZE", "64", 0},
    {"LEVEL1_DCACHE_SIZE", "49152", 0},
    {"LEVEL1_DCACHE_ASSOC", "12", 0},
    {"LEVEL1_DCACHE_LINESIZE", "64", 0},
    {"LEVEL2_CACHE_SIZE", "1048576", 0},
    {"LEVEL2_CACHE_ASSOC", "16", 0},
    {"LEVEL2_CACHE_LINESIZE", "64", 0},
    {"LEVEL3_CACHE_SIZE", "402653184", 0},
    {"LEVEL3_CACHE_ASSOC", "0", 0},
    {"LEVEL3_CACHE_LINESIZE", "64", 0},
    {"LEVEL4_CACHE_SIZE", "", 0},
    {"LEVEL4_CACHE_ASSOC", "", 0},
    {"LEVEL4_CACHE_LINESIZE", "", 0},
    {"IPV6", "200809", 0},
    {"RAW_SOCKETS", "200809", 0},
    {"_POSIX_IPV6", "200809", 0},
    {"_POSIX_RAW_SOCKETS", "200809", 0},
};

static const char usage_text[] = "Usage: getconf [-v specification] variable_name [pathname]\n"
                                 "       getconf -a [pathname]\n";

static const char help_text[] =
    "Usage: getconf [-v SPEC] VAR\n"
    "  or:  getconf [-v SPEC] PATH_VAR PATH\n"
    "\n"
    "Get the configuration value for variable VAR, or for variable PATH_VAR\n"
    "for path PATH.  If SPEC is given, give values for compilation\n"
    "environment SPEC.\n"
    "\n"
    "For bug reporting instructions, please see:\n"
    "<http://www.debian.org/Bugs/>.\n";

static int usage(struct proc *p)
{
    io_write_all(p, 2, usage_text, sizeof usage_text - 1);
    return 2;
}

/* _PHYS_PAGES and _AVPHYS_PAGES from the VM's /proc/meminfo. */
static const char *value_of(struct proc *p, int i, char *buf, size_t n)
{
    const char *name = vars[i].name;
    bool phys = !strcmp(name, "_PHYS_PAGES"), avail = !strcmp(name, "_AVPHYS_PAGES");
    if (!phys && !avail) return vars[i].value;
    char text[512];
    int fd = sys_open(p, "/proc/meminfo", O_RDONLY, 0);
    ssize_t r = fd >= 0 ? sys_read(p, fd, text, sizeof text - 1) : -1;
    if (fd >= 0) sys_close(p, fd);
    if (r <= 0) return vars[i].value;
    text[r] = 0;
    const char *key = phys ? "MemTotal:" : "MemAvailable:";
    const char *s = strstr(text, key);
    if (!s) return vars[i].value;
    unsigned long long kb = strtoull(s + strlen(key), NULL, 10);
    snprintf(buf, n, "%llu", kb / 4);
    return buf;
}

int cmd_getconf(struct proc *p, int argc, char **argv)
{
    size_t nvars = sizeof vars / sizeof vars[0];
    int i = 1;
    if (i < argc && !strcmp(argv[i], "--help")) {
        io_write_all(p, 1, help_text, sizeof help_text - 1);
        return 0;
    }
    if (i < argc && !strcmp(argv[i], "--version")) {
        static const char v[] =
            "getconf (Debian GLIBC 2.36-9+deb12u14) 2.36\n"
            "Copyright (C) 2022 Free Software Foundation, Inc.\n"
            "This is free software; see the source for copying conditions.  There is NO\n"
            "warranty; not even for MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.\n"
            "Written by Roland McGrath.\n";
        io_write_all(p, 1, v, sizeof v - 1);
        return 0;
    }
    if (i < argc && !strcmp(argv[i], "-v")) {
        if (i + 1 >= argc) return usage(p);
        i += 2; /* one environment: any spec */
    } else if (i < argc && !strncmp(argv[i], "-v", 2) && argv[i][2])
        i++;
    char buf[64];
    struct obuf out;
    if (i < argc && !strcmp(argv[i], "-a")) {
        if (argc - i > 2) return usage(p);
        obuf_init(&out, p, 1);
        for (size_t k = 0; k < nvars; k++)
            obuf_printf(&out, "%-35s%s\n", vars[k].name, value_of(p, (int)k, buf, sizeof buf));
        return cmd_close_stdout(p, &out, 0);
    }
    if (i >= argc || argc - i > 2) return usage(p);
    const char *name = argv[i];
    for (size_t k = 0; k < nvars; k++) {
        if (strcmp(vars[k].name, name)) continue;
        if (vars[k].path != (argc - i == 2)) return usage(p);
        const char *v = value_of(p, (int)k, buf, sizeof buf);
        obuf_init(&out, p, 1);
        obuf_printf(&out, "%s\n", *v ? v : "undefined");
        return cmd_close_stdout(p, &out, 0);
    }
    cmd_error(p, "Unrecognized variable `%s'", name);
    return 2;
}
