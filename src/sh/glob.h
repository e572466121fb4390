/* sh/glob.h — pathname expansion over the VM filesystem, as bash 5.2 does
 * it: * ? [..] per path component, extglob, dotglob, nocaseglob, globstar
 * (** any depth; ** then a trailing slash: directories only; symlinked directories are listed
 * but not descended into), "." and ".." never matched (globskipdots), the
 * pattern's own spelling kept (dot-slash-star.c gives ./a.c; absolute stays so),
 * results sorted in byte order (C.UTF-8) without duplicates. Directories
 * that cannot be read are skipped silently.
 *
 * The filesystem is reached only through kernel calls (sys_open,
 * sys_getdents, sys_lstat, sys_stat, sys_close) as process p, and
 * proc_check(p) runs in every loop, so a kill or timeout ends a big walk.
 */
#ifndef VOS_SH_GLOB_H
#define VOS_SH_GLOB_H

#include <errno.h>
#include <stddef.h>

struct proc;

#define SH_GLOB_DOTGLOB 0x01  /* * and ? match a leading '.' (never . or ..) */
#define SH_GLOB_GLOBSTAR 0x02 /* ** as a whole component spans directories */
#define SH_GLOB_EXTGLOB 0x04  /* ?( *( +( @( !( groups */
#define SH_GLOB_NOCASE 0x08   /* nocaseglob */
#define SH_GLOB_MARK 0x10     /* mark-directories: append '/' to directories */

#define SH_GLOB_TOO_MANY (-E2BIG) /* more than max_results matches */

/* Expand pattern (quoted characters backslash-escaped). *out: malloc'd
 * vector of *count malloc'd paths, NULL-terminated (free with
 * sh_glob_free); no match is 0 with *count 0 (nullglob / failglob are the
 * caller's). Errors: SH_GLOB_TOO_MANY, -ENOMEM, -EINTR (killed),
 * SH_PAT_TOO_COMPLEX. */
int sh_glob(struct proc *p, const char *pattern, int flags, char ***out, size_t *count,
            size_t max_results);
void sh_glob_free(char **v);

#endif
