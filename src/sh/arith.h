/* sh/arith.h — bash arithmetic: $(( )), (( )), let, array subscripts.
 *
 * 64-bit signed integers that wrap like bash's on x86-64 (INTMAX_MIN / -1 is
 * INTMAX_MIN, % gives 0, shift counts are taken mod 64), bash's operators
 * and precedence, numeric bases (0x1F, 017, 2#1010, 64#zZ@_), variables
 * whose values are themselves evaluated as expressions, a[i] elements,
 * short-circuit evaluation without side effects in the skipped branch, and
 * bash's error messages word for word.
 *
 * The evaluator is reentrant: all state lives in the call; variables are
 * reached only through the callbacks below.
 */
#ifndef VOS_SH_ARITH_H
#define VOS_SH_ARITH_H

#include <stdbool.h>
#include <stdint.h>

/* Variables. sub is NULL for a plain name; for name[...] it is the
 * subscript: the evaluated index in decimal for an indexed array, the
 * subscript text as written for an associative one (assoc() says which).
 * Negative indexes and "a means a[0]" are the callee's business.
 *   get: *value = malloc'd text, or NULL when unset (then 0 is used).
 *   set: assign the value (the callee formats it, e.g. in decimal).
 * Both return 0, or a negative error after reporting it themselves (set -u
 * "x: unbound variable", readonly): evaluation then stops and
 * sh_arith_eval returns that code with no message. */
struct sh_arith_ops {
    void *ctx;
    int (*get)(void *ctx, const char *name, const char *sub, char **value);
    int (*set)(void *ctx, const char *name, const char *sub, intmax_t v);
    bool (*assoc)(void *ctx, const char *name); /* NULL: no associative arrays */
};

#define SH_ARITH_ERROR (-22) /* -EINVAL: an evaluation error, *msg says what */

/* Nesting of parentheses, unary operators, right-associative chains and
 * variable-value recursion together ("expression recursion level
 * exceeded" past it; bash allows 1024 variable levels, we allow fewer). */
#define SH_ARITH_MAX_DEPTH 512

/* Evaluate expr. 0 and *result; SH_ARITH_ERROR with *msg (malloc'd) like
 * `1/0: division by 0 (error token is "0")` — bash prints it after
 * "bash: " (or "bash: let: ", "bash: ((: "); -ENOMEM; or a callback's code
 * (*msg NULL). An empty or blank expr is 0. ops may be NULL: every
 * variable is then unset and assignments are dropped. */
int sh_arith_eval(const char *expr, const struct sh_arith_ops *ops, intmax_t *result, char **msg);

#endif
