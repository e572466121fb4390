/* table.c — every command of vos in one place, sorted by name: its entry
 * point and a one-line summary. The image puts a marker file for each in
 * /usr/bin; cmd_find looks names up by binary search. */
#include "cmd/cmd.h"

#include <string.h>

const struct cmd_entry cmd_table[] = {
    {"[", cmd_bracket, "check file types and compare values"},
    {"b2sum", cmd_b2sum, "compute and check BLAKE2 message digest"},
    {"base32", cmd_base32, "base32 encode/decode data and print to standard output"},
    {"base64", cmd_base64, "base64 encode/decode data and print to standard output"},
    {"basename", cmd_basename, "strip directory and suffix from file names"},
    {"bash", cmd_bash, "GNU Bourne-Again SHell (the vos shell)"},
    {"cat", cmd_cat, "concatenate files and print on the standard output"},
    {"chgrp", cmd_chgrp, "change group ownership"},
    {"chmod", cmd_chmod, "change file mode bits"},
    {"chown", cmd_chown, "change file owner and group"},
    {"cksum", cmd_cksum, "compute and verify file checksums"},
    {"clear", cmd_clear, "clear the terminal screen"},
    {"column", cmd_column, "columnate lists"},
    {"comm", cmd_comm, "compare two sorted files line by line"},
    {"cp", cmd_cp, "copy files and directories"},
    {"cut", cmd_cut, "remove sections from each line of files"},
    {"date", cmd_date, "print or set the system date and time"},
    {"dd", cmd_dd, "convert and copy a file"},
    {"df", cmd_df, "report file system space usage"},
    {"dirname", cmd_dirname, "strip last component from file name"},
    {"du", cmd_du, "estimate file space usage"},
    {"echo", cmd_echo, "display a line of text"},
    {"egrep", cmd_egrep, "print lines that match patterns (grep -E)"},
    {"env", cmd_env, "run a program in a modified environment"},
    {"expand", cmd_expand, "convert tabs to spaces"},
    {"expr", cmd_expr, "evaluate expressions"},
    {"false", cmd_false, "do nothing, unsuccessfully"},
    {"fgrep", cmd_fgrep, "print lines that match patterns (grep -F)"},
    {"fold", cmd_fold, "wrap each input line to fit in specified width"},
    {"free", cmd_free, "display amount of free and used memory in the system"},
    {"getconf", cmd_getconf, "query system configuration variables"},
    {"grep", cmd_grep, "print lines that match patterns"},
    {"groups", cmd_groups, "print the groups a user is in"},
    {"gunzip", cmd_gunzip, "decompress files"},
    {"gzip", cmd_gzip, "compress or expand files"},
    {"head", cmd_head, "output the first part of files"},
    {"hexdump", cmd_hexdump, "display file contents in hexadecimal, decimal, octal, or ascii"},
    {"hostname", cmd_hostname, "show or set the system's host name"},
    {"id", cmd_id, "print real and effective user and group IDs"},
    {"install", cmd_install, "copy files and set attributes"},
    {"join", cmd_join, "join lines of two files on a common field"},
    {"jq", cmd_jq, "command-line JSON processor (jq 1.6)"},
    {"kill", cmd_kill, "send a signal to a process"},
    {"ln", cmd_ln, "make links between files"},
    {"ls", cmd_ls, "list directory contents"},
    {"md5sum", cmd_md5sum, "compute and check MD5 message digest"},
    {"mkdir", cmd_mkdir, "make directories"},
    {"mkfifo", cmd_mkfifo, "make FIFOs (named pipes)"},
    {"mknod", cmd_mknod, "make block or character special files"},
    {"mktemp", cmd_mktemp, "create a temporary file or directory"},
    {"mv", cmd_mv, "move (rename) files"},
    {"nice", cmd_nice, "run a program with modified scheduling priority"},
    {"nl", cmd_nl, "number lines of files"},
    {"nohup", cmd_nohup, "run a command immune to hangups, with output to a non-tty"},
    {"nproc", cmd_nproc, "print the number of processing units available"},
    {"numfmt", cmd_numfmt, "convert numbers from/to human-readable strings"},
    {"od", cmd_od, "dump files in octal and other formats"},
    {"paste", cmd_paste, "merge lines of files"},
    {"printenv", cmd_printenv, "print all or part of environment"},
    {"printf", cmd_printf, "format and print data"},
    {"ps", cmd_ps, "report a snapshot of the current processes"},
    {"pwd", cmd_pwd, "print name of current/working directory"},
    {"readlink", cmd_readlink, "print resolved symbolic links or canonical file names"},
    {"realpath", cmd_realpath, "print the resolved path"},
    {"rev", cmd_rev, "reverse lines characterwise"},
    {"rm", cmd_rm, "remove files or directories"},
    {"rmdir", cmd_rmdir, "remove empty directories"},
    {"seq", cmd_seq, "print a sequence of numbers"},
    {"sh", cmd_bash, "command interpreter (the vos shell)"},
    {"sha1sum", cmd_sha1sum, "compute and check SHA1 message digest"},
    {"sha224sum", cmd_sha224sum, "compute and check SHA224 message digest"},
    {"sha256sum", cmd_sha256sum, "compute and check SHA256 message digest"},
    {"sha384sum", cmd_sha384sum, "compute and check SHA384 message digest"},
    {"sha512sum", cmd_sha512sum, "compute and check SHA512 message digest"},
    {"shuf", cmd_shuf, "generate random permutations"},
    {"sleep", cmd_sleep, "delay for a specified amount of time"},
    {"sort", cmd_sort, "sort lines of text files"},
    {"split", cmd_split, "split a file into pieces"},
    {"stat", cmd_stat, "display file or file system status"},
    {"strings", cmd_strings, "print the sequences of printable characters in files"},
    {"stty", cmd_stty, "change and print terminal line settings"},
    {"tac", cmd_tac, "concatenate and print files in reverse"},
    {"tail", cmd_tail, "output the last part of files"},
    {"tar", cmd_tar, "an archiving utility"},
    {"tee", cmd_tee, "read from standard input and write to standard output and files"},
    {"test", cmd_test, "check file types and compare values"},
    {"timeout", cmd_timeout, "run a command with a time limit"},
    {"touch", cmd_touch, "change file timestamps"},
    {"tr", cmd_tr, "translate or delete characters"},
    {"tree", cmd_tree, "list contents of directories in a tree-like format"},
    {"true", cmd_true, "do nothing, successfully"},
    {"truncate", cmd_truncate, "shrink or extend the size of a file to the specified size"},
    {"tty", cmd_tty, "print the file name of the terminal connected to standard input"},
    {"uname", cmd_uname, "print system information"},
    {"unexpand", cmd_unexpand, "convert spaces to tabs"},
    {"uniq", cmd_uniq, "report or omit repeated lines"},
    {"unzip", cmd_unzip, "list, test and extract compressed files in a ZIP archive"},
    {"uptime", cmd_uptime, "tell how long the system has been running"},
    {"wc", cmd_wc, "print newline, word, and byte counts for each file"},
    {"which", cmd_which, "locate a command"},
    {"whoami", cmd_whoami, "print effective user name"},
    {"xxd", cmd_xxd, "make a hex dump or do the reverse"},
    {"yes", cmd_yes, "output a string repeatedly until killed"},
    {"zcat", cmd_zcat, "decompress files to standard output"},
    {"zip", cmd_zip, "package and compress (archive) files"},
};

const size_t cmd_count = sizeof cmd_table / sizeof cmd_table[0];

const struct cmd_entry *cmd_find(const char *name)
{
    size_t lo = 0, hi = cmd_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, cmd_table[mid].name);
        if (c == 0) return &cmd_table[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
