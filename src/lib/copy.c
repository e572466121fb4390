/* copy.c — the copy engine shared by cp, mv and install; see copy.h. */
#include "lib/copy.h"

#include "cmd/cmd.h"
#include "lib/fsutil.h"
#include "lib/modechange.h"
#include "lib/opt.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#define CP_MAX_DEPTH 2048

static bool timespec_ge(struct timespec a, struct timespec b)
{
    return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec >= b.tv_nsec);
}

struct cp_link {
    dev_t dev;
    ino_t ino;
    char *dst;
};

void cp_init(struct cp_opts *x, struct proc *p)
{
    memset(x, 0, sizeof *x);
    x->p = p;
    x->deref = DEREF_ALWAYS;
    x->suffix = "~";
    mode_t um = sys_umask(p, 0);
    sys_umask(p, um);
    x->umask = um;
}

void cp_free(struct cp_opts *x)
{
    for (size_t i = 0; i < x->nlinks; i++) p_free(x->p, x->links[i].dst);
    p_free(x->p, x->links);
    p_free(x->p, x->buf);
    if (x->in_init) ibuf_free(&x->in);
}

bool cp_yesno(struct cp_opts *x)
{
    if (!x->in_init) {
        ibuf_init(&x->in, x->p, 0);
        x->in_init = true;
    }
    return fs_yesno(&x->in);
}

static const char *cmd_name(struct cp_opts *x)
{
    return cmd_prog(x->p);
}

/* ---- operands -------------------------------------------------------------- */

int cp_operands(struct opt_state *st, char **files, int n, const char *target_opt, bool no_target,
                const char **target_dir, int *n_files)
{
    struct proc *p = st->p;
    *target_dir = NULL;
    if (n <= (target_opt ? 0 : 1)) {
        if (n <= 0) return opt_usage_error(st, "missing file operand"), -1;
        return opt_usage_error(st, "missing destination file operand after %s",
                               cmd_quoteaf(p, files[0])),
               -1;
    }
    if (no_target) {
        if (target_opt) {
            cmd_error(p, "cannot combine --target-directory (-t) and --no-target-directory (-T)");
            st->status = 1;
            return -1;
        }
        if (n > 2) return opt_usage_error(st, "extra operand %s", cmd_quoteaf(p, files[2])), -1;
        *n_files = 1;
        return 0;
    }
    if (target_opt) {
        struct stat s;
        int r = sys_stat(p, target_opt, &s);
        if (r == 0 && !S_ISDIR(s.st_mode)) r = -ENOTDIR;
        if (r < 0) {
            cmd_errno(p, r, "target directory %s", cmd_quoteaf(p, target_opt));
            st->status = 1;
            return -1;
        }
        *target_dir = target_opt;
        *n_files = n;
        return 0;
    }
    const char *last = files[n - 1];
    struct stat s;
    int r = sys_stat(p, last, &s);
    if (r == 0 && S_ISDIR(s.st_mode)) {
        *target_dir = last;
        *n_files = n - 1;
        return 0;
    }
    if (n > 2) {
        cmd_errno(p, r < 0 ? r : -ENOTDIR, "target %s", cmd_quoteaf(p, last));
        st->status = 1;
        return -1;
    }
    *n_files = 1;
    return 0;
}

char *cp_dest_name(struct proc *p, const char *target_dir, const char *src)
{
    const char *base = fs_last_component(src);
    char *b = p_strdup(p, base);
    if (!b) return NULL;
    size_t n = strlen(b);
    while (n > 1 && b[n - 1] == '/') b[--n] = 0;
    char *d = fs_join(p, target_dir, b);
    p_free(p, b);
    return d;
}

/* ---- helpers ----------------------------------------------------------------- */

static void verbose_line(struct cp_opts *x, const char *src, const char *dst, const char *backup)
{
    struct proc *p = x->p;
    struct sbuf sb;
    sbuf_init(&sb, p);
    if (x->move) sbuf_printf(&sb, "renamed ");
    sbuf_printf(&sb, "%s -> %s", cmd_quoteaf(p, src), cmd_quoteaf(p, dst));
    if (backup) sbuf_printf(&sb, " (backup: %s)", cmd_quoteaf(p, backup));
    sbuf_addc(&sb, '\n');
    if (sb.s) io_write_all(p, 1, sb.s, sb.len);
    sbuf_free(&sb);
}

static bool copy_internal(struct cp_opts *x, const char *src, const char *dst, bool cmdline,
                          int depth, dev_t top_dev);

static void preserve_attrs(struct cp_opts *x, const char *dst, const struct stat *sst, bool nofollow)
{
    struct proc *p = x->p;
    if (x->preserve_time) {
        struct timespec ts[2] = {sst->st_atim, sst->st_mtim};
        int r = sys_utimens(p, dst, ts, nofollow);
        if (r < 0 && r != -EINTR)
            cmd_errno(p, r, "preserving times for %s", cmd_quoteaf(p, dst));
    }
    if (x->preserve_owner) {
        int r = sys_chown(p, dst, sst->st_uid, sst->st_gid, nofollow);
        if (r == -EPERM || r == -EINVAL) {
            /* not privileged: at least the group, quietly (coreutils) */
            r = sys_chown(p, dst, (uid_t)-1, sst->st_gid, nofollow);
            if (r < 0 && x->explicit_owner && p->uid == 0)
                cmd_errno(p, r, "failed to preserve ownership for %s", cmd_quoteaf(p, dst));
        }
    }
    if (x->preserve_mode && !(nofollow && S_ISLNK(sst->st_mode))) {
        int r = sys_chmod(p, dst, sst->st_mode & 07777);
        if (r < 0 && r != -EINTR)
            cmd_errno(p, r, "preserving permissions for %s", cmd_quoteaf(p, dst));
    }
}

static bool copy_data(struct cp_opts *x, const char *src, const char *dst, const struct stat *sst,
                      bool dst_exists)
{
    struct proc *p = x->p;
    int sfd = sys_open(p, src, O_RDONLY, 0);
    if (sfd < 0) {
        if (sfd != -EINTR) cmd_errno(p, sfd, "cannot open %s for reading", cmd_quoteaf(p, src));
        return false;
    }
    mode_t mode = sst->st_mode & 0777;
    int dfd;
    if (dst_exists) {
        dfd = sys_open(p, dst, O_WRONLY | O_TRUNC, 0);
        if (dfd < 0 && dfd != -EINTR && (x->force || x->move)) {
            int r = sys_unlink(p, dst);
            if (r == 0 || r == -ENOENT) dfd = sys_open(p, dst, O_WRONLY | O_CREAT | O_EXCL, mode);
        }
    } else {
        dfd = sys_open(p, dst, O_WRONLY | O_CREAT | O_EXCL, mode);
    }
    if (dfd < 0) {
        if (dfd != -EINTR) {
            cmd_errno(p, dfd, "cannot create regular file %s", cmd_quoteaf(p, dst));
        }
        sys_close(p, sfd);
        return false;
    }
    bool ok = true;
    if (!x->attributes_only) {
        if (!x->buf && !(x->buf = p_malloc(p, IO_BUFSIZE))) {
            cmd_error(p, "memory exhausted");
            ok = false;
        }
        while (ok) {
            ssize_t n = sys_read(p, sfd, x->buf, IO_BUFSIZE);
            if (n == 0) break;
            if (n < 0) {
                if (n != -EINTR) cmd_errno(p, (int)n, "error reading %s", cmd_quoteaf(p, src));
                ok = false;
                break;
            }
            int r = io_write_all(p, dfd, x->buf, (size_t)n);
            if (r < 0) {
                if (r != -EINTR) cmd_errno(p, r, "error writing %s", cmd_quoteaf(p, dst));
                ok = false;
            }
        }
    }
    sys_close(p, sfd);
    sys_close(p, dfd);
    return ok;
}

/* Is dst (to be) inside directory src? */
static bool inside(struct cp_opts *x, const char *src, const char *dst)
{
    struct proc *p = x->p;
    int err;
    char *cs = fs_canonicalize(p, src, CAN_EXISTING, &err);
    char *cd = fs_canonicalize(p, dst, CAN_MISSING, &err);
    bool in = false;
    if (cs && cd) {
        size_t n = strlen(cs);
        in = strncmp(cs, cd, n) == 0 && (cd[n] == '/' || cd[n] == 0 || (n == 1 && cs[0] == '/'));
    }
    p_free(p, cs);
    p_free(p, cd);
    return in;
}

static bool copy_dir(struct cp_opts *x, const char *src, const char *dst, const struct stat *sst,
                     bool dst_exists, int depth, dev_t top_dev)
{
    struct proc *p = x->p;
    if (inside(x, src, dst)) {
        cmd_error(p, "cannot copy a directory, %s, into itself, %s", cmd_quoteaf(p, src),
                  cmd_quoteaf(p, dst));
        return false;
    }
    if (depth >= CP_MAX_DEPTH) {
        cmd_errno(p, -ENAMETOOLONG, "cannot copy %s", cmd_quoteaf(p, src));
        return false;
    }
    bool new_dir = !dst_exists;
    if (new_dir) {
        int r = sys_mkdir(p, dst, (sst->st_mode & 07777) | S_IRWXU);
        if (r < 0) {
            if (r != -EINTR) cmd_errno(p, r, "cannot create directory %s", cmd_quoteaf(p, dst));
            return false;
        }
    }
    if (x->verbose && !x->move) verbose_line(x, src, dst, NULL);
    bool ok = true;
    if (!(x->one_fs && depth > 0 && sst->st_dev != top_dev)) {
        int fd = sys_open(p, src, O_RDONLY | O_DIRECTORY, 0);
        if (fd < 0) {
            if (fd != -EINTR) cmd_errno(p, fd, "cannot access %s", cmd_quoteaf(p, src));
            ok = false;
        } else {
            /* read every name first: the copy may add entries to src */
            char **names = NULL;
            size_t n = 0, cap = 0;
            struct vfs_dirent ents[32];
            int k;
            while ((k = sys_getdents(p, fd, ents, 32)) > 0) {
                for (int i = 0; i < k; i++) {
                    const char *nm = ents[i].name;
                    if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2]))) continue;
                    if (n == cap) {
                        size_t nc = cap ? cap * 2 : 16;
                        char **nn = p_realloc(p, names, nc * sizeof *nn);
                        if (!nn) {
                            k = -ENOMEM;
                            break;
                        }
                        names = nn, cap = nc;
                    }
                    if (!(names[n] = p_strdup(p, nm))) {
                        k = -ENOMEM;
                        break;
                    }
                    n++;
                }
                if (k < 0) break;
            }
            sys_close(p, fd);
            if (k < 0) {
                if (k == -ENOMEM) cmd_error(p, "memory exhausted");
                else if (k != -EINTR) cmd_errno(p, k, "cannot access %s", cmd_quoteaf(p, src));
                ok = false;
            }
            for (size_t i = 0; i < n; i++) {
                if (ok || k >= 0) {
                    char *s = fs_join(p, src, names[i]);
                    char *d = fs_join(p, dst, names[i]);
                    if (!s || !d) {
                        cmd_error(p, "memory exhausted");
                        ok = false;
                    } else {
                        ok &= copy_internal(x, s, d, false, depth + 1, top_dev);
                    }
                    p_free(p, s);
                    p_free(p, d);
                }
                p_free(p, names[i]);
                if (p->killed) {
                    for (size_t j = i + 1; j < n; j++) p_free(p, names[j]);
                    ok = false;
                    break;
                }
            }
            p_free(p, names);
        }
    }
    preserve_attrs(x, dst, sst, false);
    if (!x->preserve_mode && new_dir) {
        mode_t want = sst->st_mode & 07777 & ~x->umask;
        if (x->set_mode) want = x->mode;
        sys_chmod(p, dst, want);
    }
    return ok;
}

static bool copy_internal(struct cp_opts *x, const char *src, const char *dst, bool cmdline,
                          int depth, dev_t top_dev)
{
    struct proc *p = x->p;
    if (proc_check(p) < 0) return false;
    struct stat sst, dst_st, dst_fst;
    bool follow = x->deref == DEREF_ALWAYS || (x->deref == DEREF_COMMAND_LINE && cmdline);
    int r = follow ? sys_stat(p, src, &sst) : sys_lstat(p, src, &sst);
    if (r < 0) {
        if (r != -EINTR) cmd_errno(p, r, "cannot stat %s", cmd_quoteaf(p, src));
        return false;
    }
    if (cmdline) top_dev = sst.st_dev;
    if (S_ISDIR(sst.st_mode) && !x->recursive) {
        if (x->install)
            cmd_error(p, "omitting directory %s", cmd_quoteaf(p, src));
        else
            cmd_error(p, "-r not specified; omitting directory %s", cmd_quoteaf(p, src));
        return false;
    }
    bool dst_exists = sys_lstat(p, dst, &dst_st) == 0;
    bool dst_follow_ok = dst_exists && sys_stat(p, dst, &dst_fst) == 0;
    if (dst_exists && !dst_follow_ok) dst_fst = dst_st;
    char *backup = NULL;
    if (dst_exists) {
        bool same = dst_follow_ok && dst_fst.st_ino == sst.st_ino && dst_fst.st_dev == sst.st_dev;
        bool same_entry = dst_st.st_ino == sst.st_ino && dst_st.st_dev == sst.st_dev;
        if ((same && !S_ISLNK(dst_st.st_mode) && !x->hard_link && !x->symbolic_link &&
             !(x->backup && !same_entry && !S_ISDIR(sst.st_mode))) ||
            (same_entry && (x->hard_link || x->symbolic_link || S_ISLNK(sst.st_mode)) &&
             !x->backup && !x->remove_dest && !S_ISDIR(sst.st_mode))) {
            if (!(S_ISLNK(sst.st_mode) && !same_entry)) {
                cmd_error(p, "%s and %s are the same file", cmd_quoteaf(p, src), cmd_quoteaf(p, dst));
                return false;
            }
        }
        if (!S_ISDIR(sst.st_mode)) {
            if (S_ISDIR(dst_fst.st_mode)) {
                cmd_error(p, "cannot overwrite directory %s with non-directory", cmd_quoteaf(p, dst));
                return false;
            }
            if (x->no_clobber) return true;
            if (x->update && timespec_ge(dst_st.st_mtim, sst.st_mtim)) return true;
            if (x->interactive) {
                p_printf(p, 2, "%s: overwrite %s? ", cmd_name(x), cmd_quoteaf(p, dst));
                if (!cp_yesno(x)) return true;
            }
        } else if (!S_ISDIR(dst_fst.st_mode)) {
            cmd_error(p, "cannot overwrite non-directory %s with directory %s", cmd_quoteaf(p, dst),
                      cmd_quoteaf(p, src));
            return false;
        }
        if (x->backup && !S_ISDIR(sst.st_mode)) {
            backup = fs_backup_name(p, dst, x->backup, x->suffix);
            if (!backup || (r = sys_rename(p, dst, backup)) < 0) {
                if (backup) cmd_errno(p, r, "cannot backup %s", cmd_quoteaf(p, dst));
                else cmd_error(p, "memory exhausted");
                p_free(p, backup);
                return false;
            }
            dst_exists = false;
        } else if (!S_ISDIR(sst.st_mode) &&
                   (x->remove_dest || x->install || x->hard_link || x->symbolic_link ||
                    (!S_ISREG(sst.st_mode) && (x->recursive || !follow)) ||
                    (S_ISLNK(dst_st.st_mode) && !dst_follow_ok))) {
            r = sys_unlink(p, dst);
            if (r < 0 && r != -ENOENT) {
                if (r != -EINTR) cmd_errno(p, r, "cannot remove %s", cmd_quoteaf(p, dst));
                return false;
            }
            if (r == 0 && x->verbose && (x->remove_dest || x->install))
                p_printf(p, 1, "removed %s\n", cmd_quoteaf(p, dst));
            dst_exists = false;
        }
    }
    bool ok = true;
    if (x->verbose && !S_ISDIR(sst.st_mode)) verbose_line(x, src, dst, backup);
    /* a later name of an inode already copied: link to that copy */
    if (x->preserve_links && !S_ISDIR(sst.st_mode) && sst.st_nlink > 1) {
        for (size_t i = 0; i < x->nlinks; i++) {
            if (x->links[i].dev != sst.st_dev || x->links[i].ino != sst.st_ino) continue;
            if (dst_exists) sys_unlink(p, dst);
            r = sys_link(p, x->links[i].dst, dst);
            if (r < 0) {
                cmd_errno(p, r, "cannot create hard link %s to %s", cmd_quoteaf(p, dst),
                          cmd_quoteaf(p, x->links[i].dst));
                ok = false;
            }
            p_free(p, backup);
            return ok;
        }
    }
    if (x->hard_link && !S_ISDIR(sst.st_mode)) {
        r = sys_link(p, src, dst);
        if (r < 0) {
            if (r != -EINTR)
                cmd_errno(p, r, "cannot create hard link %s to %s", cmd_quoteaf(p, dst),
                          cmd_quoteaf(p, src));
            ok = false;
        }
    } else if (x->symbolic_link && !S_ISDIR(sst.st_mode)) {
        if (src[0] != '/' && strchr(dst, '/')) {
            /* only if dst's directory is the current one */
            const char *base = fs_last_component(dst);
            char *dir = p_strndup(p, dst, (size_t)(base - dst));
            struct stat a, b;
            bool here = dir && sys_stat(p, dir, &a) == 0 && sys_stat(p, ".", &b) == 0 &&
                        a.st_ino == b.st_ino && a.st_dev == b.st_dev;
            p_free(p, dir);
            if (!here) {
                cmd_error(p, "%s: can make relative symbolic links only in current directory",
                          cmd_quotef(p, dst));
                p_free(p, backup);
                return false;
            }
        }
        r = sys_symlink(p, src, dst);
        if (r < 0) {
            if (r != -EINTR)
                cmd_errno(p, r, "cannot create symbolic link %s to %s", cmd_quoteaf(p, dst),
                          cmd_quoteaf(p, src));
            ok = false;
        }
    } else if (S_ISDIR(sst.st_mode)) {
        ok = copy_dir(x, src, dst, &sst, dst_exists, depth, top_dev);
        p_free(p, backup);
        return ok;
    } else if (S_ISLNK(sst.st_mode)) {
        char *target = p_malloc(p, VFS_PATH_MAX + 1);
        ssize_t n = target ? sys_readlink(p, src, target, VFS_PATH_MAX) : -ENOMEM;
        if (n < 0) {
            cmd_errno(p, (int)n, "cannot read symbolic link %s", cmd_quoteaf(p, src));
            ok = false;
        } else {
            target[n] = 0;
            r = sys_symlink(p, target, dst);
            if (r == -EEXIST) {
                sys_unlink(p, dst);
                r = sys_symlink(p, target, dst);
            }
            if (r < 0) {
                if (r != -EINTR)
                    cmd_errno(p, r, "cannot create symbolic link %s", cmd_quoteaf(p, dst));
                ok = false;
            } else {
                preserve_attrs(x, dst, &sst, true);
            }
        }
        p_free(p, target);
    } else if (S_ISREG(sst.st_mode) || !(x->recursive || !follow)) {
        ok = copy_data(x, src, dst, &sst, dst_exists);
        if (ok) {
            preserve_attrs(x, dst, &sst, false);
            if (x->set_mode) {
                r = sys_chmod(p, dst, x->mode);
                if (r < 0) {
                    cmd_errno(p, r, "cannot change permissions of %s", cmd_quoteaf(p, dst));
                    ok = false;
                }
            }
        }
    } else if (S_ISFIFO(sst.st_mode) || S_ISCHR(sst.st_mode) || S_ISBLK(sst.st_mode)) {
        r = sys_mknod(p, dst, (sst.st_mode & S_IFMT) | (sst.st_mode & 0777),
                      S_ISFIFO(sst.st_mode) ? 0 : sst.st_rdev);
        if (r < 0) {
            if (r != -EINTR)
                cmd_errno(p, r, S_ISFIFO(sst.st_mode) ? "cannot create fifo %s"
                                                      : "cannot create special file %s",
                          cmd_quoteaf(p, dst));
            ok = false;
        } else {
            preserve_attrs(x, dst, &sst, false);
        }
    } else {
        cmd_error(p, "%s has unknown file type", cmd_quoteaf(p, src));
        ok = false;
    }
    if (!ok && backup) sys_rename(p, backup, dst);
    if (ok && x->preserve_links && sst.st_nlink > 1 && !S_ISDIR(sst.st_mode)) {
        if (x->nlinks == x->cap_links) {
            size_t nc = x->cap_links ? x->cap_links * 2 : 16;
            struct cp_link *nl = p_realloc(p, x->links, nc * sizeof *nl);
            if (nl) x->links = nl, x->cap_links = nc;
        }
        if (x->nlinks < x->cap_links) {
            char *d = p_strdup(p, dst);
            if (d) x->links[x->nlinks++] = (struct cp_link){sst.st_dev, sst.st_ino, d};
        }
    }
    p_free(p, backup);
    return ok;
}

bool cp_copy(struct cp_opts *x, const char *src, const char *dst, bool command_line)
{
    return copy_internal(x, src, dst, command_line, 0, 0);
}

/* ---- mv ----------------------------------------------------------------------- */

/* Remove a tree after it was copied elsewhere (mv across filesystems). */
static bool remove_tree(struct cp_opts *x, const char *path)
{
    struct proc *p = x->p;
    char *roots[2] = {(char *)path, NULL};
    struct fwalk *w = fwalk_open(p, roots, FW_PHYSICAL);
    if (!w) return false;
    bool ok = true;
    struct fw_ent *e;
    int err;
    while ((e = fwalk_read(w, &err))) {
        if (e->info == FW_D) continue;
        int r = e->info == FW_DP || e->info == FW_DNR ? sys_rmdir(p, e->path) : sys_unlink(p, e->path);
        if (r < 0) {
            cmd_errno(p, r, "cannot remove %s", cmd_quoteaf(p, e->path));
            ok = false;
        }
    }
    fwalk_close(w);
    return ok && !err;
}

bool cp_move(struct cp_opts *x, const char *src, const char *dst)
{
    struct proc *p = x->p;
    struct stat sst, dst_st;
    int r = sys_lstat(p, src, &sst);
    if (r < 0) {
        if (r != -EINTR) cmd_errno(p, r, "cannot stat %s", cmd_quoteaf(p, src));
        return false;
    }
    bool dst_exists = sys_lstat(p, dst, &dst_st) == 0;
    char *backup = NULL;
    if (dst_exists) {
        if (dst_st.st_ino == sst.st_ino && dst_st.st_dev == sst.st_dev) {
            cmd_error(p, "%s and %s are the same file", cmd_quoteaf(p, src), cmd_quoteaf(p, dst));
            return false;
        }
        if (S_ISDIR(dst_st.st_mode) && !S_ISDIR(sst.st_mode)) {
            cmd_error(p, "cannot overwrite directory %s with non-directory", cmd_quoteaf(p, dst));
            return false;
        }
        if (!S_ISDIR(dst_st.st_mode) && S_ISDIR(sst.st_mode)) {
            cmd_error(p, "cannot overwrite non-directory %s with directory %s", cmd_quoteaf(p, dst),
                      cmd_quoteaf(p, src));
            return false;
        }
        if (x->no_clobber) return true;
        if (x->update && timespec_ge(dst_st.st_mtim, sst.st_mtim)) return true;
        if (x->interactive) {
            p_printf(p, 2, "%s: overwrite %s? ", cmd_name(x), cmd_quoteaf(p, dst));
            if (!cp_yesno(x)) return true;
        } else if (!x->force && x->stdin_tty && !S_ISLNK(dst_st.st_mode) &&
                   sys_access(p, dst, W_OK) == -EACCES) {
            char ms[11];
            mode_string(dst_st.st_mode, ms);
            p_printf(p, 2, "%s: replace %s, overriding mode %04o (%s)? ", cmd_name(x),
                     cmd_quoteaf(p, dst), (unsigned)(dst_st.st_mode & 07777), ms + 1);
            if (!cp_yesno(x)) return true;
        }
        if (x->backup) {
            backup = fs_backup_name(p, dst, x->backup, x->suffix);
            if (!backup || (r = sys_rename(p, dst, backup)) < 0) {
                if (backup) cmd_errno(p, r, "cannot backup %s", cmd_quoteaf(p, dst));
                p_free(p, backup);
                return false;
            }
        }
    }
    r = sys_rename(p, src, dst);
    if (r == 0) {
        if (x->verbose) verbose_line(x, src, dst, backup);
        p_free(p, backup);
        return true;
    }
    bool ok = false;
    if (r == -EXDEV) {
        /* across filesystems: copy everything, then remove the source */
        struct cp_opts y = *x;
        y.move = false;
        y.verbose = false;
        y.recursive = true;
        y.deref = DEREF_NEVER;
        y.preserve_mode = y.preserve_owner = y.preserve_time = y.preserve_links = true;
        y.in_init = false;
        y.links = NULL, y.nlinks = y.cap_links = 0;
        y.buf = NULL;
        y.backup = 0;
        ok = copy_internal(&y, src, dst, true, 0, 0);
        cp_free(&y);
        if (ok) ok = remove_tree(x, src);
        if (ok && x->verbose) verbose_line(x, src, dst, backup);
    } else if (r == -EINVAL && S_ISDIR(sst.st_mode)) {
        cmd_error(p, "cannot move %s to a subdirectory of itself, %s", cmd_quoteaf(p, src),
                  cmd_quoteaf(p, dst));
    } else if (r != -EINTR) {
        cmd_errno(p, r, "cannot move %s to %s", cmd_quoteaf(p, src), cmd_quoteaf(p, dst));
    }
    if (!ok && backup) sys_rename(p, backup, dst);
    p_free(p, backup);
    return ok;
}
