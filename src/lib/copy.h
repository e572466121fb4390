/* copy.h — the copy engine of cp, mv and install (coreutils copy.c in
 * spirit): files, directories (recursively, refusing to copy a directory
 * into itself), symlinks, FIFOs and devices, hard and symbolic links
 * instead of copies, preservation of mode, ownership, timestamps and hard
 * links, backups, -n -i -f -u semantics, and moving with rename() falling
 * back to copy-and-remove across filesystems. Plus the target-directory
 * rules the three commands share. */
#ifndef VOS_LIB_COPY_H
#define VOS_LIB_COPY_H

#include "lib/io.h"

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

struct proc;
struct opt_state;

enum { DEREF_NEVER, DEREF_COMMAND_LINE, DEREF_ALWAYS };
enum { CP_INTERACTIVE_ALWAYS_NO = 1, CP_INTERACTIVE_ASK, CP_INTERACTIVE_YES };

struct cp_link; /* hard-link memory for --preserve=links */

struct cp_opts {
    struct proc *p;
    bool move;           /* mv */
    bool install;        /* install: unlink the destination first, no dir recursion */
    bool recursive, hard_link, symbolic_link, no_clobber, interactive, force, update;
    bool verbose, remove_dest, one_fs, attributes_only, parents;
    int deref;
    bool preserve_mode, preserve_owner, preserve_time, preserve_links;
    bool explicit_owner; /* report failures to preserve ownership */
    int backup;          /* BK_* from fsutil.h */
    const char *suffix;
    mode_t umask;
    bool stdin_tty;
    /* install's settings applied to each copied file */
    bool set_mode;
    mode_t mode;
    /* private */
    struct ibuf in;
    bool in_init;
    struct cp_link *links;
    size_t nlinks, cap_links;
    char *buf;
};

void cp_init(struct cp_opts *x, struct proc *p);
void cp_free(struct cp_opts *x);
/* Copy (or move) src to dst. command_line: src was named by the user.
 * Returns true on success; messages are printed here. */
bool cp_copy(struct cp_opts *x, const char *src, const char *dst, bool command_line);
/* mv one file. */
bool cp_move(struct cp_opts *x, const char *src, const char *dst);

/* The operand rules of cp, mv, install: on success *target_dir is set (or
 * NULL for SOURCE DEST) and *n_files counts the sources. Returns -1 after a
 * message (st->status or 1 to return). */
int cp_operands(struct opt_state *st, char **files, int n, const char *target_opt, bool no_target,
                const char **target_dir, int *n_files);
/* target_dir + "/" + last component of src (p_malloc'd). */
char *cp_dest_name(struct proc *p, const char *target_dir, const char *src);
/* Ask "PROG: overwrite 'x'? " style questions: reads a line from stdin. */
bool cp_yesno(struct cp_opts *x);

#endif
