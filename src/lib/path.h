/* path.h — finding a command on PATH inside the VM (execvp's search). */
#ifndef VOS_LIB_PATH_H
#define VOS_LIB_PATH_H

#include <stddef.h>

struct proc;

/* Resolve name like execvp: a name holding '/' is used as is; else each
 * directory of path (the process's PATH when NULL; an empty entry is ".")
 * is tried for an executable regular file. The result goes to out (size n).
 * 0, or -ENOENT (nothing found), -EACCES (found but not executable),
 * -ENAMETOOLONG. */
int path_search(struct proc *p, const char *name, const char *path, char *out, size_t n);

#endif
