/* cmd.h — what every command file includes: the entry points of all
 * commands (registered in table.c) and helpers for GNU-shaped messages.
 *
 * A command is `int cmd_NAME(struct proc *p, int argc, char **argv)`; it
 * returns its exit status and reaches the world only through sys_* calls.
 * Options: lib/opt.h. Buffered I/O and name quoting: lib/io.h.
 */
#ifndef VOS_CMD_CMD_H
#define VOS_CMD_CMD_H

#include "kernel/kernel.h"
#include "lib/io.h"
#include "lib/opt.h"

#include <errno.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

/* ---- entry points (keep sorted like table.c) ---------------------------- */
int cmd_b2sum(struct proc *p, int argc, char **argv);
int cmd_base32(struct proc *p, int argc, char **argv);
int cmd_base64(struct proc *p, int argc, char **argv);
int cmd_basename(struct proc *p, int argc, char **argv);
int cmd_bash(struct proc *p, int argc, char **argv); /* src/sh/session.c */
int cmd_bc(struct proc *p, int argc, char **argv);
int cmd_bracket(struct proc *p, int argc, char **argv);
int cmd_bunzip2(struct proc *p, int argc, char **argv);
int cmd_bzcat(struct proc *p, int argc, char **argv);
int cmd_bzip2(struct proc *p, int argc, char **argv);
int cmd_cat(struct proc *p, int argc, char **argv);
int cmd_chgrp(struct proc *p, int argc, char **argv);
int cmd_chmod(struct proc *p, int argc, char **argv);
int cmd_chown(struct proc *p, int argc, char **argv);
int cmd_cksum(struct proc *p, int argc, char **argv);
int cmd_clear(struct proc *p, int argc, char **argv);
int cmd_column(struct proc *p, int argc, char **argv);
int cmd_comm(struct proc *p, int argc, char **argv);
int cmd_cp(struct proc *p, int argc, char **argv);
int cmd_cut(struct proc *p, int argc, char **argv);
int cmd_date(struct proc *p, int argc, char **argv);
int cmd_dd(struct proc *p, int argc, char **argv);
int cmd_df(struct proc *p, int argc, char **argv);
int cmd_dirname(struct proc *p, int argc, char **argv);
int cmd_du(struct proc *p, int argc, char **argv);
int cmd_echo(struct proc *p, int argc, char **argv);
int cmd_egrep(struct proc *p, int argc, char **argv);
int cmd_env(struct proc *p, int argc, char **argv);
int cmd_expand(struct proc *p, int argc, char **argv);
int cmd_expr(struct proc *p, int argc, char **argv);
int cmd_false(struct proc *p, int argc, char **argv);
int cmd_fgrep(struct proc *p, int argc, char **argv);
int cmd_file(struct proc *p, int argc, char **argv);
int cmd_fold(struct proc *p, int argc, char **argv);
int cmd_free(struct proc *p, int argc, char **argv);
int cmd_getconf(struct proc *p, int argc, char **argv);
int cmd_grep(struct proc *p, int argc, char **argv);
int cmd_groups(struct proc *p, int argc, char **argv);
int cmd_gunzip(struct proc *p, int argc, char **argv);
int cmd_gzip(struct proc *p, int argc, char **argv);
int cmd_head(struct proc *p, int argc, char **argv);
int cmd_hexdump(struct proc *p, int argc, char **argv);
int cmd_hostname(struct proc *p, int argc, char **argv);
int cmd_id(struct proc *p, int argc, char **argv);
int cmd_install(struct proc *p, int argc, char **argv);
int cmd_join(struct proc *p, int argc, char **argv);
int cmd_jq(struct proc *p, int argc, char **argv);
int cmd_kill(struct proc *p, int argc, char **argv);
int cmd_ln(struct proc *p, int argc, char **argv);
int cmd_ls(struct proc *p, int argc, char **argv);
int cmd_md5sum(struct proc *p, int argc, char **argv);
int cmd_mkdir(struct proc *p, int argc, char **argv);
int cmd_mkfifo(struct proc *p, int argc, char **argv);
int cmd_mknod(struct proc *p, int argc, char **argv);
int cmd_mktemp(struct proc *p, int argc, char **argv);
int cmd_mv(struct proc *p, int argc, char **argv);
int cmd_nice(struct proc *p, int argc, char **argv);
int cmd_nl(struct proc *p, int argc, char **argv);
int cmd_nohup(struct proc *p, int argc, char **argv);
int cmd_nproc(struct proc *p, int argc, char **argv);
int cmd_numfmt(struct proc *p, int argc, char **argv);
int cmd_od(struct proc *p, int argc, char **argv);
int cmd_paste(struct proc *p, int argc, char **argv);
int cmd_printenv(struct proc *p, int argc, char **argv);
int cmd_printf(struct proc *p, int argc, char **argv);
int cmd_ps(struct proc *p, int argc, char **argv);
int cmd_pwd(struct proc *p, int argc, char **argv);
int cmd_readlink(struct proc *p, int argc, char **argv);
int cmd_realpath(struct proc *p, int argc, char **argv);
int cmd_rev(struct proc *p, int argc, char **argv);
int cmd_rm(struct proc *p, int argc, char **argv);
int cmd_rmdir(struct proc *p, int argc, char **argv);
int cmd_sed(struct proc *p, int argc, char **argv);
int cmd_seq(struct proc *p, int argc, char **argv);
int cmd_sha1sum(struct proc *p, int argc, char **argv);
int cmd_sha224sum(struct proc *p, int argc, char **argv);
int cmd_sha256sum(struct proc *p, int argc, char **argv);
int cmd_sha384sum(struct proc *p, int argc, char **argv);
int cmd_sha512sum(struct proc *p, int argc, char **argv);
int cmd_shuf(struct proc *p, int argc, char **argv);
int cmd_sleep(struct proc *p, int argc, char **argv);
int cmd_sort(struct proc *p, int argc, char **argv);
int cmd_split(struct proc *p, int argc, char **argv);
int cmd_stat(struct proc *p, int argc, char **argv);
int cmd_strings(struct proc *p, int argc, char **argv);
int cmd_stty(struct proc *p, int argc, char **argv);
int cmd_tac(struct proc *p, int argc, char **argv);
int cmd_tail(struct proc *p, int argc, char **argv);
int cmd_tar(struct proc *p, int argc, char **argv);
int cmd_tee(struct proc *p, int argc, char **argv);
int cmd_test(struct proc *p, int argc, char **argv);
int cmd_timeout(struct proc *p, int argc, char **argv);
int cmd_touch(struct proc *p, int argc, char **argv);
int cmd_tr(struct proc *p, int argc, char **argv);
int cmd_tree(struct proc *p, int argc, char **argv);
int cmd_true(struct proc *p, int argc, char **argv);
int cmd_truncate(struct proc *p, int argc, char **argv);
int cmd_tty(struct proc *p, int argc, char **argv);
int cmd_uname(struct proc *p, int argc, char **argv);
int cmd_unexpand(struct proc *p, int argc, char **argv);
int cmd_uniq(struct proc *p, int argc, char **argv);
int cmd_unzip(struct proc *p, int argc, char **argv);
int cmd_unxz(struct proc *p, int argc, char **argv);
int cmd_uptime(struct proc *p, int argc, char **argv);
int cmd_wc(struct proc *p, int argc, char **argv);
int cmd_which(struct proc *p, int argc, char **argv);
int cmd_whoami(struct proc *p, int argc, char **argv);
int cmd_xxd(struct proc *p, int argc, char **argv);
int cmd_xz(struct proc *p, int argc, char **argv);
int cmd_xzcat(struct proc *p, int argc, char **argv);
int cmd_yes(struct proc *p, int argc, char **argv);
int cmd_yq(struct proc *p, int argc, char **argv);
int cmd_zcat(struct proc *p, int argc, char **argv);
int cmd_zip(struct proc *p, int argc, char **argv);

/* ---- messages ------------------------------------------------------------ */

/* The last four lines of a coreutils --help text (gnulib's
 * emit_ancillary_info): DOC names the manual page, INFO the info node. */
#define COREUTILS_HELP_TAIL(DOC, INFO)                                                             \
    "GNU coreutils online help: <https://www.gnu.org/software/coreutils/>\n"                       \
    "Report any translation bugs to <https://translationproject.org/team/>\n"                      \
    "Full documentation <https://www.gnu.org/software/coreutils/" DOC ">\n"                        \
    "or available locally via: info '(coreutils) " INFO " invocation'\n"

/* The program name used in messages: argv[0] as invoked, like coreutils. */
const char *cmd_prog(struct proc *p);
/* "PROG: message\n" on stderr. */
void cmd_error(struct proc *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "PROG: message: strerror(err)\n" on stderr; err is ±errno. */
void cmd_errno(struct proc *p, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The message text of ±errno, as glibc's strerror gives it. */
const char *cmd_strerror(int err);

/* A quoted copy of s (allocated with p_malloc; freed at exit or by p_free):
 *   quotef  — quote only when needed, shell-escaped: cat: 'a b': ...
 *   quoteaf — always quoted, shell-escaped:   ls: cannot access 'x': ...
 *   quote   — locale quotes:                  seq: invalid ...: ‘x’
 * Never NULL (an unquoted "?" when out of memory). */
const char *cmd_quotef(struct proc *p, const char *s);
const char *cmd_quoteaf(struct proc *p, const char *s);
const char *cmd_quote(struct proc *p, const char *s);

/* "PROG: quotef(name): strerror(err)\n", the most common file error. */
void cmd_file_error(struct proc *p, const char *name, int err);

/* End of a command that wrote through o to stdout: flush, and on a write
 * error other than EPIPE say "PROG: write error: ..." (coreutils
 * close_stdout) and return 1; else return status. Frees o's buffer. */
int cmd_close_stdout(struct proc *p, struct obuf *o, int status);

/* Open name for reading ("-" is stdin, fd 0): an fd or a negative errno. */
int cmd_open_input(struct proc *p, const char *name);
/* Close an fd from cmd_open_input (stdin is left open). */
void cmd_close_input(struct proc *p, int fd);

/* ---- characters ---------------------------------------------------------- */

/* Whether the process's locale (LC_ALL, LC_CTYPE, LANG) is UTF-8. */
bool cmd_utf8_locale(struct proc *p);
/* Decode one UTF-8 character of s[0..n): its length, -1 for an invalid
 * byte, -2 when s is a valid but incomplete prefix (mbrtowc's rules). */
int cmd_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* iswprint / iswspace / wcwidth of C.UTF-8 (utf8) or of the C locale. */
bool cmd_iswprint(uint32_t c, bool utf8);
bool cmd_iswspace(uint32_t c, bool utf8);
int cmd_wcwidth(uint32_t c, bool utf8);

/* signal(sig, SIG_IGN) for this process and the children it starts.
 * (Until the kernel has a sigaction call, this sets the mask directly.) */
static inline void cmd_ignore_signal(struct proc *p, int sig)
{
    p->sig_ignored |= 1ull << (sig - 1);
}

#endif
