/* sh/builtins.h — every builtin's entry point. The table is in builtins.c;
 * the small ones live there too, the big ones in bi_NAME.c files.
 * A builtin is `int bi_NAME(struct sh *sh, int argc, char **argv)`: it
 * writes through sh_write/sh_printf (fds of sh->p), prints errors with
 * sh_error ("bash: line N: NAME: msg") and returns its status. */
#ifndef VOS_SH_BUILTINS_H
#define VOS_SH_BUILTINS_H
#include "sh/sh.h"

#define BI(name) int bi_##name(struct sh *sh, int argc, char **argv)
/* builtins.c */
BI(colon); BI(true); BI(false); BI(exit); BI(return); BI(break); BI(continue); BI(shift);
BI(eval); BI(source); BI(exec); BI(set); BI(shopt); BI(unset); BI(cd); BI(pwd); BI(echo);
BI(alias); BI(unalias); BI(type); BI(command); BI(builtin); BI(hash); BI(trap); BI(wait);
BI(jobs); BI(kill); BI(umask); BI(times); BI(let); BI(bash_false_dummy);
/* bi_printf.c */
BI(printf);
/* bi_read.c */
BI(read); BI(mapfile);
/* bi_declare.c */
BI(declare); BI(local); BI(export); BI(readonly);
/* bi_test.c */
BI(test); BI(bracket);
/* bi_misc.c */
BI(getopts); BI(help); BI(caller); BI(dirs); BI(pushd); BI(popd); BI(ulimit); BI(enable);
BI(disown); BI(suspend); BI(logout); BI(fc); BI(history); BI(bg); BI(fg); BI(compgen);
BI(complete); BI(compopt);
#undef BI

/* [[ ]] and test share these (bi_test.c): 1 true, 0 false, -1 error
 * (message printed). */
int sh_test_unary(struct sh *sh, const char *op, const char *arg);
int sh_test_binary(struct sh *sh, const char *l, const char *op, const char *r);
bool sh_test_is_unary(const char *op);
bool sh_test_is_binary(const char *op);
/* sh_test_binary with flags: SH_TEST_ARITH (-eq etc. evaluate their
 * operands as arithmetic expressions, as in [[ ]]), SH_TEST_PATTERN (= ==
 * != match r as a pattern), SH_TEST_LOCALE (< > compare by strcoll).
 * sh_test_binary itself is SH_TEST_LOCALE only. */
enum { SH_TEST_ARITH = 1, SH_TEST_PATTERN = 2, SH_TEST_LOCALE = 4 };
int sh_test_binary_ex(struct sh *sh, const char *l, const char *op, const char *r, int flags);

/* declare -p style printing of one variable (bi_declare.c). */
void sh_print_var_decl(struct sh *sh, struct sh_var *v, int fd);

/* echo -e / xpg_echo escapes of in into out (room for strlen(in) + 1
 * bytes is enough); *stop when \c ended the output. Returns bytes written
 * (bi_printf.c). */
size_t sh_echo_escapes(const char *in, char *out, bool *stop);
/* ${v@E}: the $'...' escapes of s, malloc'd; *outlen its length. */
char *sh_ansi_decode(const char *s, size_t *outlen);

/* Shared by the bi_*.c builtins (bi_misc.c). bash's internal_getopt:
 * options before operands, "--" ends them, "-" is an operand; opts is a
 * getopt string, with a leading '+' allowing +x forms (o->plus tells).
 * Returns the option, -1 at the end (operands from o->ind), or -2 after
 * printing "NAME: -x: invalid option" (or "option requires an argument")
 * and "NAME: usage: USAGE" (then return 2). */
struct sh_bopt {
    int ind;
    char *arg;
    bool plus;
    int sp; /* position in a cluster */
};
int sh_bopt_next(struct sh *sh, struct sh_bopt *o, int argc, char **argv, const char *opts,
                 const char *usage);
/* Assign val to NAME or NAME[SUB] as read/printf -v/getopts do; -1 after
 * an error message (readonly, bad subscript). */
int sh_bi_assign(struct sh *sh, const char *lhs, const char *val);
/* NAME or NAME[SUB] with a valid NAME (printf -v, read, mapfile). */
bool sh_bi_valid_lhs(const char *s);
/* State the bi_*.c builtins keep per shell (getopts position, completion
 * specs, enable -n, ulimit): sh_clone must call sh_bi_state_clone(parent,
 * child) and sh_free sh_bi_state_free(sh) (bi_misc.c). Until then a
 * subshell starts without it and it is kept until the process ends. */
void sh_bi_state_clone(struct sh *parent, struct sh *child);
void sh_bi_state_free(struct sh *sh);
bool sh_builtin_enabled(struct sh *sh, const char *name);
/* The locale of the shell's variables (LC_ALL, LC_CTYPE, LANG) is UTF-8. */
bool sh_utf8(struct sh *sh);
#endif
