/* modechange.h — file mode strings as chmod, mkdir -m, mkfifo -m, install -m
 * and friends take them (gnulib modechange semantics): octal modes and
 * symbolic lists like "u+rwx,g-w,o=r", "a+X", "u=g", "+t"; and ls-style
 * rendering of a mode ("-rw-r--r--"). */
#ifndef VOS_LIB_MODECHANGE_H
#define VOS_LIB_MODECHANGE_H

#include <stdbool.h>
#include <sys/types.h>

struct proc;

struct mode_change {
    char op;   /* '=', '+', '-' */
    char flag; /* MODE_* below; MODE_DONE ends the list */
    mode_t affected, value, mentioned;
};
enum { MODE_DONE, MODE_ORDINARY_CHANGE, MODE_X_IF_ANY_X, MODE_COPY_EXISTING };

/* Compile s into a MODE_DONE-terminated list allocated with p_malloc;
 * NULL when s is not a valid mode (or out of memory: *oom set when oom). */
struct mode_change *mode_compile(struct proc *p, const char *s, bool *oom);
/* A list that sets the permission bits to those of mode (chmod --reference). */
struct mode_change *mode_create_from_ref(struct proc *p, mode_t mode);
/* The mode that results from applying changes to oldmode (a directory when
 * dir); umask_value applies to changes with no "who". *mode_bits (if not
 * NULL) gets the bits the changes care about. */
mode_t mode_adjust(mode_t oldmode, bool dir, mode_t umask_value, const struct mode_change *changes,
                   mode_t *mode_bits);
/* "drwxr-xr-x" plus a NUL (11 bytes; gnulib strmode without the trailing
 * space). */
void mode_string(mode_t mode, char out[11]);

#endif
