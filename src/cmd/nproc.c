/* nproc.c — print the number of processing units. The VM reports a stable
 * 2 processors (installed and available), so scripts behave the same on any
 * host; OMP_NUM_THREADS / OMP_THREAD_LIMIT and --ignore apply as in GNU. */
#include "cmd/cmd.h"

#include <stdlib.h>

static const char nproc_help[] =
    "Usage: %s [OPTION]...\n"
    "Print the number of processing units available to the current process,\n"
    "which may be less than the number of online processors\n"
    "\n"
    "      --all      print the number of installed processors\n"
    "      --ignore=N  if possible, exclude N processing units\n"
    "      --help        display this help and exit\n"
    "      --version     output version information and exit\n"
    "\n"
    COREUTILS_HELP_TAIL("nproc", "nproc");

#define VM_NPROC 2

enum { OPT_ALL = 256, OPT_IGNORE };
static const struct opt_long longs[] = {
    {"all", OPT_NOARG, OPT_ALL}, {"ignore", OPT_ARG, OPT_IGNORE}, {0}};
static const struct opt_spec spec = {.name = "nproc",
                                     .shorts = "",
                                     .longs = longs,
                                     .help = nproc_help,
                                     .authors = "Giuseppe Scrivano"};

/* gnulib nproc's parse_omp_threads: a positive number, maybe followed by
 * blanks and a comma-separated list (only the first counts); else 0. */
static unsigned long omp_threads(const char *s)
{
    if (!s) return 0;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\v' || *s == '\f' || *s == '\r') s++;
    if (*s < '0' || *s > '9') return 0;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno) return 0;
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\v' || *end == '\f' ||
           *end == '\r')
        end++;
    if (*end && *end != ',') return 0;
    return v;
}

int cmd_nproc(struct proc *p, int argc, char **argv)
{
    bool all = false;
    uintmax_t ignore = 0;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case OPT_ALL: all = true; break;
        case OPT_IGNORE:
            if (opt_dectoumax(&o, o.arg, 0, UINTMAX_MAX, "", "invalid number", &ignore) < 0)
                return 1;
            break;
        case OPT_EXIT: return o.status;
        }
    }
    if (o.ind < argc) {
        cmd_error(p, "extra operand %s", cmd_quote(p, argv[o.ind]));
        return opt_usage_error(&o, NULL);
    }
    unsigned long n = VM_NPROC;
    if (!all) {
        unsigned long omp = omp_threads(proc_getenv(p, "OMP_NUM_THREADS"));
        unsigned long limit = omp_threads(proc_getenv(p, "OMP_THREAD_LIMIT"));
        if (omp) n = omp;
        if (limit && n > limit) n = limit;
    }
    if (ignore >= n)
        n = 1;
    else
        n -= (unsigned long)ignore;
    struct obuf out;
    obuf_init(&out, p, 1);
    obuf_printf(&out, "%lu\n", n);
    return cmd_close_stdout(p, &out, 0);
}
