/* opt.h — the one option parser every command and builtin uses.
 *
 * Reentrant GNU getopt_long: all state lives in a struct opt_state on the
 * caller's stack (glibc getopt keeps globals, and many VMs run on threads).
 * Same semantics and the same error messages as glibc 2.36:
 *   - permutation: options after operands are still options, unless the
 *     short string starts with '+' or POSIXLY_CORRECT is in the process env;
 *   - "--" ends options; "-" alone is an operand;
 *   - clusters "-abc", "-n5", "-n 5"; "x:" requires an argument, "x::" takes
 *     an optional one (attached only);
 *   - "--name=value", "--name value", unambiguous prefixes ("--verb");
 *   - "--help" and "--version" are added to every long table (unless
 *     OPT_NO_HELP) and handled here: text to stdout, status 0.
 *
 * Use:
 *     static const struct opt_long longs[] = {
 *         {"lines", OPT_ARG, 'n'}, {"quiet", OPT_NOARG, 'q'},
 *         {"zero-terminated", OPT_NOARG, 'z'}, {0}};
 *     static const struct opt_spec spec = {
 *         .name = "head", .shorts = "c:n:qvz", .longs = longs,
 *         .help = head_help, .authors = "David MacKenzie and Jim Meyering"};
 *     struct opt_state o;
 *     opt_init(&o, p, &spec, argc, argv);
 *     for (int c; (c = opt_next(&o)) != OPT_END;) {
 *         switch (c) {
 *         case 'n': ... o.arg ...; break;
 *         case OPT_EXIT: return o.status;   // help/version shown, or bad usage
 *         }
 *     }
 *     // operands: argv[o.ind] .. argv[argc - 1]
 */
#ifndef VOS_LIB_OPT_H
#define VOS_LIB_OPT_H

#include <stdbool.h>
#include <stdint.h>

struct proc;

enum { OPT_NOARG = 0, OPT_ARG = 1, OPT_OPTARG = 2 };

struct opt_long {
    const char *name; /* NULL ends the table */
    int has_arg;      /* OPT_NOARG, OPT_ARG, OPT_OPTARG */
    int val;          /* what opt_next returns: a short option char or an id >= 256 */
};

#define OPT_END (-1)  /* no more options: operands start at st.ind */
#define OPT_EXIT (-2) /* --help/--version printed, or an error reported: return st.status */

enum { OPT_NO_HELP = 1 }; /* spec flags: no automatic --help/--version */

struct opt_spec {
    const char *name;             /* canonical name for --version ("cat"); messages use argv[0] */
    const char *shorts;           /* getopt string; leading '+': stop at the first operand */
    const struct opt_long *longs; /* may be NULL */
    /* --help text, printf-like: each "%s" is argv[0], "%%" a percent sign. */
    const char *help;
    /* --version: the "Written by ..." names (GNU coreutils format), or a whole
     * custom text in version (printed as is) when the tool is not coreutils. */
    const char *authors;
    const char *version;
    int err_status; /* exit status for usage errors; 0 means 1 */
    /* What follows an option error instead of "Try 'PROG --help' for more
     * information." (printf-like as help); NULL for that default. */
    const char *try_text;
    unsigned flags;
};

struct opt_state {
    /* results */
    int ind;          /* after OPT_END: index of the first operand */
    char *arg;        /* argument of the option just returned, or NULL */
    int opt;          /* the option just returned or that failed (0: a long one) */
    int long_index;   /* index in spec->longs of a long option, else -1 */
    int status;       /* after OPT_EXIT: the exit status */
    const char *prog; /* argv[0] */
    /* private */
    struct proc *p;
    const struct opt_spec *spec;
    int argc;
    char **argv;
    char *next; /* rest of a short-option cluster */
    int first_nonopt, last_nonopt;
    bool in_order, started;
};

void opt_init(struct opt_state *st, struct proc *p, const struct opt_spec *spec, int argc,
              char **argv);
/* The next option: its val/char, OPT_END, or OPT_EXIT. argv is permuted in
 * place so that operands end up at argv[ind..argc). */
int opt_next(struct opt_state *st);

/* Print the help text / version text to stdout; return 0 (the status). */
int opt_help(struct opt_state *st);
int opt_version(struct opt_state *st);
/* "PROG: message\n" then the Try line to stderr; returns spec's error
 * status (also stored in st->status). fmt NULL prints only the Try line. */
int opt_usage_error(struct opt_state *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- numbers ----------------------------------------------------------- */

/* gnulib xstrtol's result codes. */
enum opt_num_status {
    OPT_NUM_OK = 0,
    OPT_NUM_OVERFLOW = 1,
    OPT_NUM_BAD_SUFFIX = 2,
    OPT_NUM_BAD_SUFFIX_OVERFLOW = 3,
    OPT_NUM_INVALID = 4,
};

/* Like gnulib xstrtoumax: parse an unsigned number in base (0: C rules),
 * then an optional multiplier suffix from valid_suffixes (NULL: none).
 * Suffixes: b 512, B 1024, c 1, w 2, k/K M/m G/g T/t P E Z Y powers of 1024;
 * when valid_suffixes holds '0', "KB" (powers of 1000) and "KiB" (1024) too.
 * Overflow saturates at UINTMAX_MAX. *end (if end) gets the stop point. */
enum opt_num_status opt_strtoumax(const char *s, char **end, int base, uintmax_t *val,
                                  const char *valid_suffixes);
/* Signed variant (xstrtoimax): saturates at INTMAX_MIN/INTMAX_MAX. */
enum opt_num_status opt_strtoimax(const char *s, char **end, int base, intmax_t *val,
                                  const char *valid_suffixes);
/* coreutils xdectoumax: the whole string must be a decimal number with an
 * optional suffix in [min, max]; else "PROG: ERRMSG: ‘S’[: strerror]" on
 * stderr and a negative return (the command exits 1). */
int opt_dectoumax(struct opt_state *st, const char *s, uintmax_t min, uintmax_t max,
                  const char *suffixes, const char *errmsg, uintmax_t *val);

/* gnulib argmatch for an option's argument: the index in names (NULL
 * terminated) of arg or of its unambiguous prefix. Else prints
 * "PROG: invalid argument ‘ARG’ for ‘OPTION’" (or "ambiguous argument"),
 * the valid list and the Try line, and returns -1 (st->status is set). */
int opt_argmatch(struct opt_state *st, const char *option, const char *arg,
                 const char *const *names);
/* The same where vals[i] is the value of names[i]: prefixes of names with
 * one value are not ambiguous, and the list of valid arguments groups
 * consecutive names of one value on a line ("  - 'atime', 'access'"). */
int opt_argmatch_vals(struct opt_state *st, const char *option, const char *arg,
                      const char *const *names, const int *vals);

#endif
