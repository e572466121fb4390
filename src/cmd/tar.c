/* tar.c — GNU tar 1.34 on libarchive: -c -x -t -r -u with -f -z -j -J -a
 * -C -v -p -O -T -h, --exclude, --strip-components, --owner, --group,
 * --no-same-owner; GNU's listing format and messages. The archive is read
 * and written only through libarchive's callback API over sys_read and
 * sys_write, and members are extracted with sys_* calls (never
 * archive_write_disk): names with ".." are refused and leading "/" removed
 * as GNU tar does, and symlinks to absolute or ".." targets are created
 * last, after a placeholder, so that no member is written through them. */
#include "cmd/cmd.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

static const char tar_help[] =
    "Usage: tar [OPTION...] [FILE]...\n"
    "GNU 'tar' saves many files together into a single tape or disk archive, and can\n"
    "restore individual files from the archive.\n"
    "\n"
    "Examples:\n"
    "  tar -cf archive.tar foo bar  # Create archive.tar from files foo and bar.\n"
    "  tar -tvf archive.tar         # List all files in archive.tar verbosely.\n"
    "  tar -xf archive.tar          # Extract all files from archive.tar.\n"
    "\n"
    " Main operation mode:\n"
    "  -A, --catenate, --concatenate   append tar files to an archive\n"
    "  -c, --create               create a new archive\n"
    "      --delete               delete from the archive (not on mag tapes!)\n"
    "  -d, --diff, --compare      find differences between archive and file system\n"
    "  -r, --append               append files to the end of an archive\n"
    "      --test-label           test the archive volume label and exit\n"
    "  -t, --list                 list the contents of an archive\n"
    "  -u, --update               only append files newer than copy in archive\n"
    "  -x, --extract, --get       extract files from an archive\n"
    "\n"
    " Operation modifiers:\n"
    "\n"
    "      --check-device         check device numbers when creating incremental\n"
    "                             archives (default)\n"
    "  -g, --listed-incremental=FILE   handle new GNU-format incremental backup\n"
    "  -G, --incremental          handle old GNU-format incremental backup\n"
    "      --hole-detection=TYPE  technique to detect holes\n"
    "      --ignore-failed-read   do not exit with nonzero on unreadable files\n"
    "      --level=NUMBER         dump level for created listed-incremental archive\n"
    "      --no-check-device      do not check device numbers when creating\n"
    "                             incremental archives\n"
    "      --no-seek              archive is not seekable\n"
    "  -n, --seek                 archive is seekable\n"
    "      --occurrence[=NUMBER]  process only the NUMBERth occurrence of each file\n"
    "                             in the archive; this option is valid only in\n"
    "                             conjunction with one of the subcommands --delete,\n"
    "                             --diff, --extract or --list and when a list of\n"
    "                             files is given either on the command line or via\n"
    "                             the -T option; NUMBER defaults to 1\n"
    "      --sparse-version=MAJOR[.MINOR]\n"
    "                             set version of the sparse format to use (implies\n"
    "                             --sparse)\n"
    "  -S, --sparse               handle sparse files efficiently\n"
    "\n"
    " Local file name selection:\n"
    "      --add-file=FILE        add given FILE to the archive (useful if its name\n"
    "                             starts with a dash)\n"
    "  -C, --directory=DIR        change to directory DIR\n"
    "      --exclude=PATTERN      exclude files, given as a PATTERN\n"
    "      --exclude-backups      exclude backup and lock files\n"
    "      --exclude-caches       exclude contents of directories containing\n"
    "                             CACHEDIR.TAG, except for the tag file itself\n"
    "      --exclude-caches-all   exclude directories containing CACHEDIR.TAG\n"
    "      --exclude-caches-under exclude everything under directories containing\n"
    "                             CACHEDIR.TAG\n"
    "      --exclude-ignore=FILE  read exclude patterns for each directory from\n"
    "                             FILE, if it exists\n"
    "      --exclude-ignore-recursive=FILE\n"
    "                             read exclude patterns for each directory and its\n"
    "                             subdirectories from FILE, if it exists\n"
    "      --exclude-tag=FILE     exclude contents of directories containing FILE,\n"
    "                             except for FILE itself\n"
    "      --exclude-tag-all=FILE exclude directories containing FILE\n"
    "      --exclude-tag-under=FILE   exclude everything under directories\n"
    "                             containing FILE\n"
    "      --exclude-vcs          exclude version control system directories\n"
    "      --exclude-vcs-ignores  read exclude patterns from the VCS ignore files\n"
    "      --no-null              disable the effect of the previous --null option\n"
    "      --no-recursion         avoid descending automatically in directories\n"
    "      --no-unquote           do not unquote input file or member names\n"
    "      --no-verbatim-files-from   -T treats file names starting with dash as\n"
    "                             options (default)\n"
    "      --null                 -T reads null-terminated names; implies\n"
    "                             --verbatim-files-from\n"
    "      --recursion            recurse into directories (default)\n"
    "  -T, --files-from=FILE      get names to extract or create from FILE\n"
    "      --unquote              unquote input file or member names (default)\n"
    "      --verbatim-files-from  -T reads file names verbatim (no escape or option\n"
    "                             handling)\n"
    "  -X, --exclude-from=FILE    exclude patterns listed in FILE\n"
    "\n"
    " File name matching options (affect both exclude and include patterns):\n"
    "\n"
    "      --anchored             patterns match file name start\n"
    "      --ignore-case          ignore case\n"
    "      --no-anchored          patterns match after any '/' (default for\n"
    "                             exclusion)\n"
    "      --no-ignore-case       case sensitive matching (default)\n"
    "      --no-wildcards         verbatim string matching\n"
    "      --no-wildcards-match-slash   wildcards do not match '/'\n"
    "      --wildcards            use wildcards (default for exclusion)\n"
    "      --wildcards-match-slash   wildcards match '/' (default for exclusion)\n"
    "\n"
    " Overwrite control:\n"
    "\n"
    "      --keep-directory-symlink   preserve existing symlinks to directories when\n"
    "                             extracting\n"
    "      --keep-newer-files     don't replace existing files that are newer than\n"
    "                             their archive copies\n"
    "  -k, --keep-old-files       don't replace existing files when extracting,\n"
    "                             treat them as errors\n"
    "      --no-overwrite-dir     preserve metadata of existing directories\n"
    "      --one-top-level[=DIR]  create a subdirectory to avoid having loose files\n"
    "                             extracted\n"
    "      --overwrite            overwrite existing files when extracting\n"
    "      --overwrite-dir        overwrite metadata of existing directories when\n"
    "                             extracting (default)\n"
    "      --recursive-unlink     empty hierarchies prior to extracting directory\n"
    "      --remove-files         remove files after adding them to the archive\n"
    "      --skip-old-files       don't replace existing files when extracting,\n"
    "                             silently skip over them\n"
    "  -U, --unlink-first         remove each file prior to extracting over it\n"
    "  -W, --verify               attempt to verify the archive after writing it\n"
    "\n"
    " Select output stream:\n"
    "\n"
    "      --ignore-command-error ignore exit codes of children\n"
    "      --no-ignore-command-error   treat non-zero exit codes of children as\n"
    "                             error\n"
    "  -O, --to-stdout            extract files to standard output\n"
    "      --to-command=COMMAND   pipe extracted files to another program\n"
    "\n"
    " Handling of file attributes:\n"
    "\n"
    "      --atime-preserve[=METHOD]   preserve access times on dumped files, either\n"
    "                             by restoring the times after reading\n"
    "                             (METHOD='replace'; default) or by not setting the\n"
    "                             times in the first place (METHOD='system')\n"
    "      --clamp-mtime          only set time when the file is more recent than\n"
    "                             what was given with --mtime\n"
    "      --delay-directory-restore   delay setting modification times and\n"
    "                             permissions of extracted directories until the end\n"
    "                             of extraction\n"
    "      --group=NAME           force NAME as group for added files\n"
    "      --group-map=FILE       use FILE to map file owner GIDs and names\n"
    "      --mode=CHANGES         force (symbolic) mode CHANGES for added files\n"
    "      --mtime=DATE-OR-FILE   set mtime for added files from DATE-OR-FILE\n"
    "  -m, --touch                don't extract file modified time\n"
    "      --no-delay-directory-restore\n"
    "                             cancel the effect of --delay-directory-restore\n"
    "                             option\n"
    "      --no-same-owner        extract files as yourself (default for ordinary\n"
    "                             users)\n"
    "      --no-same-permissions  apply the user's umask when extracting permissions\n"
    "                             from the archive (default for ordinary users)\n"
    "      --numeric-owner        always use numbers for user/group names\n"
    "      --owner=NAME           force NAME as owner for added files\n"
    "      --owner-map=FILE       use FILE to map file owner UIDs and names\n"
    "  -p, --preserve-permissions, --same-permissions\n"
    "                             extract information about file permissions\n"
    "                             (default for superuser)\n"
    "      --same-owner           try extracting files with the same ownership as\n"
    "                             exists in the archive (default for superuser)\n"
    "      --sort=ORDER           directory sorting order: none (default), name or\n"
    "                             inode\n"
    "  -s, --preserve-order, --same-order\n"
    "                             member arguments are listed in the same order as\n"
    "                             the files in the archive\n"
    "\n"
    " Handling of extended file attributes:\n"
    "\n"
    "      --acls                 Enable the POSIX ACLs support\n"
    "      --no-acls              Disable the POSIX ACLs support\n"
    "      --no-selinux           Disable the SELinux context support\n"
    "      --no-xattrs            Disable extended attributes support\n"
    "      --selinux              Enable the SELinux context support\n"
    "      --xattrs               Enable extended attributes support\n"
    "      --xattrs-exclude=MASK  specify the exclude pattern for xattr keys\n"
    "      --xattrs-include=MASK  specify the include pattern for xattr keys\n"
    "\n"
    " Device selection and switching:\n"
    "\n"
    "      --force-local          archive file is local even if it has a colon\n"
    "  -f, --file=ARCHIVE         use archive file or device ARCHIVE\n"
    "  -F, --info-script=NAME, --new-volume-script=NAME\n"
    "                             run script at end of each tape (implies -M)\n"
    "  -L, --tape-length=NUMBER   change tape after writing NUMBER x 1024 bytes\n"
    "  -M, --multi-volume         create/list/extract multi-volume archive\n"
    "      --rmt-command=COMMAND  use given rmt COMMAND instead of rmt\n"
    "      --rsh-command=COMMAND  use remote COMMAND instead of rsh\n"
    "      --volno-file=FILE      use/update the volume number in FILE\n"
    "\n"
    " Device blocking:\n"
    "\n"
    "  -b, --blocking-factor=BLOCKS   BLOCKS x 512 bytes per record\n"
    "  -B, --read-full-records    reblock as we read (for 4.2BSD pipes)\n"
    "  -i, --ignore-zeros         ignore zeroed blocks in archive (means EOF)\n"
    "      --record-size=NUMBER   NUMBER of bytes per record, multiple of 512\n"
    "\n"
    " Archive format selection:\n"
    "\n"
    "  -H, --format=FORMAT        create archive of the given format\n"
    "\n"
    " FORMAT is one of the following:\n"
    "    gnu                      GNU tar 1.13.x format\n"
    "    oldgnu                   GNU format as per tar <= 1.12\n"
    "    pax                      POSIX 1003.1-2001 (pax) format\n"
    "    posix                    same as pax\n"
    "    ustar                    POSIX 1003.1-1988 (ustar) format\n"
    "    v7                       old V7 tar format\n"
    "\n"
    "      --old-archive, --portability\n"
    "                             same as --format=v7\n"
    "      --pax-option=keyword[[:]=value][,keyword[[:]=value]]...\n"
    "                             control pax keywords\n"
    "      --posix                same as --format=posix\n"
    "  -V, --label=TEXT           create archive with volume name TEXT; at\n"
    "                             list/extract time, use TEXT as a globbing pattern\n"
    "                             for volume name\n"
    "\n"
    " Compression options:\n"
    "\n"
    "  -a, --auto-compress        use archive suffix to determine the compression\n"
    "                             program\n"
    "  -I, --use-compress-program=PROG\n"
    "                             filter through PROG (must accept -d)\n"
    "  -j, --bzip2                filter the archive through bzip2\n"
    "  -J, --xz                   filter the archive through xz\n"
    "      --lzip                 filter the archive through lzip\n"
    "      --lzma                 filter the archive through xz\n"
    "      --lzop                 filter the archive through lzop\n"
    "      --no-auto-compress     do not use archive suffix to determine the\n"
    "                             compression program\n"
    "      --zstd                 filter the archive through zstd\n"
    "  -z, --gzip, --gunzip, --ungzip   filter the archive through gzip\n"
    "  -Z, --compress, --uncompress   filter the archive through compress\n"
    "\n"
    " Local file selection:\n"
    "\n"
    "      --backup[=CONTROL]     backup before removal, choose version CONTROL\n"
    "      --hard-dereference     follow hard links; archive and dump the files they\n"
    "                             refer to\n"
    "  -h, --dereference          follow symlinks; archive and dump the files they\n"
    "                             point to\n"
    "  -K, --starting-file=MEMBER-NAME\n"
    "                             begin at member MEMBER-NAME when reading the\n"
    "                             archive\n"
    "      --newer-mtime=DATE     compare date and time when data changed only\n"
    "  -N, --newer=DATE-OR-FILE, --after-date=DATE-OR-FILE\n"
    "                             only store files newer than DATE-OR-FILE\n"
    "      --one-file-system      stay in local file system when creating archive\n"
    "  -P, --absolute-names       don't strip leading '/'s from file names\n"
    "      --suffix=STRING        backup before removal, override usual suffix ('~'\n"
    "                             unless overridden by environment variable\n"
    "                             SIMPLE_BACKUP_SUFFIX)\n"
    "\n"
    " File name transformations:\n"
    "\n"
    "      --strip-components=NUMBER   strip NUMBER leading components from file\n"
    "                             names on extraction\n"
    "      --transform=EXPRESSION, --xform=EXPRESSION\n"
    "                             use sed replace EXPRESSION to transform file\n"
    "                             names\n"
    "\n"
    " Informative output:\n"
    "\n"
    "      --checkpoint[=NUMBER]  display progress messages every NUMBERth record\n"
    "                             (default 10)\n"
    "      --checkpoint-action=ACTION   execute ACTION on each checkpoint\n"
    "      --full-time            print file time to its full resolution\n"
    "      --index-file=FILE      send verbose output to FILE\n"
    "  -l, --check-links          print a message if not all links are dumped\n"
    "      --no-quote-chars=STRING   disable quoting for characters from STRING\n"
    "      --quote-chars=STRING   additionally quote characters from STRING\n"
    "      --quoting-style=STYLE  set name quoting style; see below for valid STYLE\n"
    "                             values\n"
    "  -R, --block-number         show block number within archive with each message\n"
    "                            \n"
    "      --show-defaults        show tar defaults\n"
    "      --show-omitted-dirs    when listing or extracting, list each directory\n"
    "                             that does not match search criteria\n"
    "      --show-snapshot-field-ranges\n"
    "                             show valid ranges for snapshot-file fields\n"
    "      --show-transformed-names, --show-stored-names\n"
    "                             show file or archive names after transformation\n"
    "      --totals[=SIGNAL]      print total bytes after processing the archive;\n"
    "                             with an argument - print total bytes when this\n"
    "                             SIGNAL is delivered; Allowed signals are: SIGHUP,\n"
    "                             SIGQUIT, SIGINT, SIGUSR1 and SIGUSR2; the names\n"
    "                             without SIG prefix are also accepted\n"
    "      --utc                  print file modification times in UTC\n"
    "  -v, --verbose              verbosely list files processed\n"
    "      --warning=KEYWORD      warning control\n"
    "  -w, --interactive, --confirmation\n"
    "                             ask for confirmation for every action\n"
    "\n"
    " Compatibility options:\n"
    "\n"
    "  -o                         when creating, same as --old-archive; when\n"
    "                             extracting, same as --no-same-owner\n"
    "\n"
    " Other options:\n"
    "\n"
    "  -?, --help                 give this help list\n"
    "      --restrict             disable use of some potentially harmful options\n"
    "      --usage                give a short usage message\n"
    "      --version              print program version\n"
    "\n"
    "Mandatory or optional arguments to long options are also mandatory or optional\n"
    "for any corresponding short options.\n"
    "\n"
    "The backup suffix is '~', unless set with --suffix or SIMPLE_BACKUP_SUFFIX.\n"
    "The version control may be set with --backup or VERSION_CONTROL, values are:\n"
    "\n"
    "  none, off       never make backups\n"
    "  t, numbered     make numbered backups\n"
    "  nil, existing   numbered if numbered backups exist, simple otherwise\n"
    "  never, simple   always make simple backups\n"
    "\n"
    "Valid arguments for the --quoting-style option are:\n"
    "\n"
    "  literal\n"
    "  shell\n"
    "  shell-always\n"
    "  shell-escape\n"
    "  shell-escape-always\n"
    "  c\n"
    "  c-maybe\n"
    "  escape\n"
    "  locale\n"
    "  clocale\n"
    "\n"
    "*This* tar defaults to:\n"
    "--format=gnu -f- -b20 --quoting-style=escape --rmt-command=/usr/sbin/rmt\n"
    "--rsh-command=/usr/bin/rsh\n";

static const char tar_version[] =
    "tar (GNU tar) 1.34\n"
    "Copyright (C) 2021 Free Software Foundation, Inc.\n"
    "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
    "This is free software: you are free to change and redistribute it.\n"
    "There is NO WARRANTY, to the extent permitted by law.\n"
    "\n"
    "Written by John Gilmore and Jay Fenlason.\n";

enum {
    T_EXCLUDE = 256,
    T_STRIP,
    T_OWNER,
    T_GROUP,
    T_NO_SAME_OWNER,
    T_SAME_OWNER,
};

static const struct opt_long longs[] = {{"create", OPT_NOARG, 'c'},
                                        {"extract", OPT_NOARG, 'x'},
                                        {"get", OPT_NOARG, 'x'},
                                        {"list", OPT_NOARG, 't'},
                                        {"append", OPT_NOARG, 'r'},
                                        {"update", OPT_NOARG, 'u'},
                                        {"file", OPT_ARG, 'f'},
                                        {"gzip", OPT_NOARG, 'z'},
                                        {"gunzip", OPT_NOARG, 'z'},
                                        {"ungzip", OPT_NOARG, 'z'},
                                        {"bzip2", OPT_NOARG, 'j'},
                                        {"xz", OPT_NOARG, 'J'},
                                        {"auto-compress", OPT_NOARG, 'a'},
                                        {"directory", OPT_ARG, 'C'},
                                        {"verbose", OPT_NOARG, 'v'},
                                        {"preserve-permissions", OPT_NOARG, 'p'},
                                        {"same-permissions", OPT_NOARG, 'p'},
                                        {"to-stdout", OPT_NOARG, 'O'},
                                        {"files-from", OPT_ARG, 'T'},
                                        {"exclude", OPT_ARG, T_EXCLUDE},
                                        {"exclude-from", OPT_ARG, 'X'},
                                        {"dereference", OPT_NOARG, 'h'},
                                        {"strip-components", OPT_ARG, T_STRIP},
                                        {"owner", OPT_ARG, T_OWNER},
                                        {"group", OPT_ARG, T_GROUP},
                                        {"no-same-owner", OPT_NOARG, T_NO_SAME_OWNER},
                                        {"same-owner", OPT_NOARG, T_SAME_OWNER},
                                        {0}};

#define TRY_TEXT "Try '%s --help' or '%s --usage' for more information.\n"
#define TBUF (128 * 1024)

struct delayed {
    char *path, *target;
    ino_t ino;
};
struct dirfix {
    char *path;
    mode_t mode;
    struct timespec mtime;
};
struct hl {
    dev_t dev;
    ino_t ino;
    char *name;
};

struct tar {
    struct proc *p;
    char mode;
    const char *archive;
    char comp; /* 0, 'z', 'j', 'J' */
    bool autoc, preserve, to_stdout, deref;
    int same_owner; /* -1 --no-same-owner, 1 --same-owner, 0 default (root only) */
    int verbose;
    int strip;
    char **excl;
    size_t nexcl, excap;
    const char *owner, *group;
    const char *dir;
    char **names;
    size_t nnames, namecap;
    bool *found;
    int status;
    char *prefixes[16];
    int nprefixes;
    int ugswidth;
    struct obuf out;
    int vfd;
    int fd;
    struct stat ast; /* the archive file (create: skip it) */
    bool ast_ok;
    struct delayed *dl;
    size_t ndl, dlcap;
    struct dirfix *dirs;
    size_t ndirs, dircap;
    struct hl *hls;
    size_t nhls, hlcap;
    unsigned char *buf;
    mode_t umask;
    bool fatal;
    /* update: member names and times already in the archive */
    char **have;
    time_t *have_t;
    size_t nhave, havecap;
};

static void tmsg(struct tar *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tmsg(struct tar *t, const char *fmt, ...)
{
    struct sbuf sb;
    sbuf_init(&sb, t->p);
    sbuf_add(&sb, "tar: ", 5);
    va_list ap;
    va_start(ap, fmt);
    sbuf_vprintf(&sb, fmt, ap);
    va_end(ap);
    sbuf_addc(&sb, '\n');
    obuf_flush(&t->out);
    if (sb.s) p_write_all(t->p, 2, sb.s, sb.len);
    sbuf_free(&sb);
}

#define TERR(t, ...)                                                                         \
    do {                                                                                      \
        tmsg(t, __VA_ARGS__);                                                                 \
        (t)->status = 2;                                                                      \
    } while (0)

static bool grow(struct proc *p, void **arr, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap) return true;
    size_t nc = *cap ? *cap * 2 : 16;
    void *na = p_realloc(p, *arr, nc * sz);
    if (!na) return false;
    *arr = na;
    *cap = nc;
    return true;
}

/* ---- archive I/O callbacks ------------------------------------------------ */
static la_ssize_t rd_cb(struct archive *a, void *ud, const void **buf)
{
    struct tar *t = ud;
    if (proc_check(t->p)) {
        archive_set_error(a, EINTR, "Interrupted");
        return -1;
    }
    ssize_t n = sys_read(t->p, t->fd, t->buf, TBUF);
    if (n < 0) {
        archive_set_error(a, (int)-n, "Read error: %s", cmd_strerror((int)n));
        return -1;
    }
    *buf = t->buf;
    return n;
}

static la_ssize_t wr_cb(struct archive *a, void *ud, const void *buf, size_t n)
{
    struct tar *t = ud;
    if (proc_check(t->p)) {
        archive_set_error(a, EINTR, "Interrupted");
        return -1;
    }
    int e = io_write_all(t->p, t->fd, buf, n);
    if (e) {
        archive_set_error(a, -e, "Cannot write: %s", cmd_strerror(e));
        return -1;
    }
    return (la_ssize_t)n;
}

static int close_cb(struct archive *a, void *ud)
{
    (void)a;
    (void)ud;
    return ARCHIVE_OK;
}

/* ---- names ---------------------------------------------------------------- */

/* GNU safer_name_suffix: the part of name after any leading "/" or up to
 * the last ".." component; reports the removed prefix once. */
static const char *safer_name(struct tar *t, const char *name, bool report)
{
    size_t prefix = 0;
    for (const char *p = name; *p;) {
        if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || !p[2])) prefix = (size_t)(p + 2 - name);
        do {
            char c = *p++;
            if (c == '/') break;
        } while (*p);
    }
    while (name[prefix] == '/') prefix++;
    if (prefix && report) {
        bool seen = false;
        for (int i = 0; i < t->nprefixes; i++)
            if (strlen(t->prefixes[i]) == prefix && !strncmp(t->prefixes[i], name, prefix))
                seen = true;
        if (!seen) {
            if (t->nprefixes < 16) t->prefixes[t->nprefixes++] = p_strndup(t->p, name, prefix);
            tmsg(t, "Removing leading `%.*s' from member names", (int)prefix, name);
        }
    }
    const char *r = name + prefix;
    return *r ? r : ".";
}

static bool contains_dot_dot(const char *name)
{
    for (const char *p = name;;) {
        if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || !p[2])) return true;
        while (*p && *p != '/') p++;
        if (!*p) return false;
        while (*p == '/') p++;
    }
}

static const char *strip_components(const char *name, int n)
{
    const char *p = name;
    while (n-- > 0) {
        while (*p == '/') p++;
        const char *s = strchr(p, '/');
        if (!s) return NULL;
        p = s + 1;
    }
    while (*p == '/') p++;
    return *p ? p : NULL;
}

static bool excluded(struct tar *t, const char *name)
{
    for (size_t i = 0; i < t->nexcl; i++) {
        const char *pat = t->excl[i];
        for (const char *s = name; s;) {
            if (fnmatch(pat, s, FNM_LEADING_DIR) == 0) return true;
            s = strchr(s, '/');
            if (s) s++;
        }
    }
    return false;
}

/* Whether an operand selects member name (the operand or inside it). */
static int name_match(struct tar *t, const char *name)
{
    if (!t->nnames) return 1;
    size_t nl = strlen(name);
    while (nl > 1 && name[nl - 1] == '/') nl--;
    for (size_t i = 0; i < t->nnames; i++) {
        const char *op = t->names[i];
        size_t ol = strlen(op);
        while (ol > 1 && op[ol - 1] == '/') ol--;
        if (nl >= ol && !strncmp(name, op, ol) && (nl == ol || name[ol] == '/')) {
            t->found[i] = true;
            return 1;
        }
    }
    return 0;
}

/* ---- listing -------------------------------------------------------------- */
static void mode_string(struct archive_entry *e, char *m)
{
    mode_t md = archive_entry_mode(e);
    unsigned ft = archive_entry_filetype(e);
    char c = '-';
    if (archive_entry_hardlink(e))
        c = 'h';
    else if (ft == AE_IFDIR)
        c = 'd';
    else if (ft == AE_IFLNK)
        c = 'l';
    else if (ft == AE_IFCHR)
        c = 'c';
    else if (ft == AE_IFBLK)
        c = 'b';
    else if (ft == AE_IFIFO)
        c = 'p';
    else if (ft == AE_IFSOCK)
        c = 's';
    m[0] = c;
    const char *rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) m[1 + i] = (md & (0400 >> i)) ? rwx[i] : '-';
    if (md & S_ISUID) m[3] = (md & 0100) ? 's' : 'S';
    if (md & S_ISGID) m[6] = (md & 010) ? 's' : 'S';
    if (md & S_ISVTX) m[9] = (md & 01) ? 't' : 'T';
    m[10] = 0;
}

static void print_entry(struct tar *t, struct obuf *o, struct archive_entry *e, int verbose)
{
    const char *name = archive_entry_pathname(e);
    if (!name) name = "";
    if (verbose < 2 && t->mode != 't') {
        obuf_puts(o, name);
        obuf_putc(o, '\n');
        return;
    }
    if (verbose < 1) {
        obuf_puts(o, name);
        obuf_putc(o, '\n');
        return;
    }
    char m[11], ubuf[32], gbuf[32], size[64], date[64];
    mode_string(e, m);
    const char *u = archive_entry_uname(e), *g = archive_entry_gname(e);
    if (!u || !*u) {
        snprintf(ubuf, sizeof ubuf, "%lld", (long long)archive_entry_uid(e));
        u = ubuf;
    }
    if (!g || !*g) {
        snprintf(gbuf, sizeof gbuf, "%lld", (long long)archive_entry_gid(e));
        g = gbuf;
    }
    unsigned ft = archive_entry_filetype(e);
    if (ft == AE_IFCHR || ft == AE_IFBLK)
        snprintf(size, sizeof size, "%lu,%lu", (unsigned long)archive_entry_rdevmajor(e),
                 (unsigned long)archive_entry_rdevminor(e));
    else
        snprintf(size, sizeof size, "%lld",
                 (long long)(archive_entry_hardlink(e) ? 0 : archive_entry_size(e)));
    time_t mt = archive_entry_mtime(e);
    struct tm tm;
    if (gmtime_r(&mt, &tm))
        strftime(date, sizeof date, "%Y-%m-%d %H:%M", &tm);
    else
        snprintf(date, sizeof date, "%lld", (long long)mt);
    int pad = (int)(strlen(u) + 1 + strlen(g) + strlen(size));
    if (pad > t->ugswidth) t->ugswidth = pad;
    obuf_printf(o, "%s %s/%s %*s %s %s", m, u, g, (int)(t->ugswidth - pad + (int)strlen(size)),
                size, date, name);
    if (archive_entry_hardlink(e))
        obuf_printf(o, " link to %s", archive_entry_hardlink(e));
    else if (ft == AE_IFLNK && archive_entry_symlink(e))
        obuf_printf(o, " -> %s", archive_entry_symlink(e));
    obuf_putc(o, '\n');
}

/* ---- extraction ------------------------------------------------------------- */

/* Make the missing parents of path (like GNU tar's make_directories). */
static void make_parents(struct tar *t, const char *path)
{
    char *s = p_strdup(t->p, path);
    if (!s) return;
    for (char *q = s + 1; *q; q++) {
        if (*q != '/') continue;
        *q = 0;
        struct stat st;
        if (sys_lstat(t->p, s, &st) < 0) sys_mkdir(t->p, s, 0777);
        *q = '/';
    }
    p_free(t->p, s);
}

static int open_member(struct tar *t, const char *path)
{
    int fd = sys_open(t->p, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    if (fd == -ENOENT) {
        make_parents(t, path);
        fd = sys_open(t->p, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    }
    if (fd == -EEXIST) {
        struct stat st;
        if (sys_lstat(t->p, path, &st) == 0 && !S_ISDIR(st.st_mode)) {
            sys_unlink(t->p, path);
            fd = sys_open(t->p, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
        }
    }
    return fd;
}

static mode_t ext_mode(struct tar *t, mode_t m)
{
    return t->preserve ? (m & 07777) : (m & 0777 & ~t->umask);
}

static void set_times(struct tar *t, const char *path, struct archive_entry *e, bool nofollow)
{
    struct timespec ts[2] = {{0, UTIME_NOW},
                             {archive_entry_mtime(e), archive_entry_mtime_nsec(e)}};
    sys_utimens(t->p, path, ts, nofollow);
}

/* Copy the member's data to fd (pwrite for sparse holes). 0, or -1 after a
 * fatal archive error, or 1 after a write error (reported). */
static int copy_data(struct tar *t, struct archive *a, int fd, const char *path, bool seekable)
{
    const void *buf;
    size_t size;
    la_int64_t off;
    la_int64_t pos = 0;
    int werr = 0;
    for (;;) {
        int r = archive_read_data_block(a, &buf, &size, &off);
        if (r == ARCHIVE_EOF) break;
        if (r < ARCHIVE_WARN) {
            TERR(t, "%s", archive_error_string(a));
            return -1;
        }
        if (werr) continue;
        int e;
        if (seekable && off != pos) {
            ssize_t w = sys_pwrite(t->p, fd, buf, size, off);
            e = w < 0 ? (int)w : 0;
        } else {
            e = io_write_all(t->p, fd, buf, size);
        }
        if (e) {
            werr = e;
            if (e != -EINTR && e != -EPIPE) TERR(t, "%s: Cannot write: %s", path, cmd_strerror(e));
            t->status = 2;
            if (e == -EINTR || e == -EPIPE) return -1;
        }
        pos = off + (la_int64_t)size;
    }
    return werr ? 1 : 0;
}

static bool unsafe_target(const char *target)
{
    return target[0] == '/' || contains_dot_dot(target);
}

static bool unsafe_target_name(struct archive_entry *e)
{
    const char *s = archive_entry_symlink(e);
    return s && unsafe_target(s);
}

static int extract_entry2(struct tar *t, struct archive *a, struct archive_entry *e,
                          const char *path);

/* GNU tar restores ownership when run by root (or with --same-owner). */
static int extract_entry(struct tar *t, struct archive *a, struct archive_entry *e,
                         const char *path)
{
    int r = extract_entry2(t, a, e, path);
    bool chown = t->same_owner > 0 || (t->same_owner == 0 && t->p->uid == 0);
    if (r == 0 && chown && !t->to_stdout) {
        unsigned ft = archive_entry_filetype(e);
        int c = sys_chown(t->p, path, (uid_t)archive_entry_uid(e), (gid_t)archive_entry_gid(e),
                          ft == AE_IFLNK);
        if (c < 0 && c != -ENOENT && !(ft == AE_IFLNK && unsafe_target_name(e)))
            TERR(t, "%s: Cannot change ownership to uid %lld, gid %lld: %s", path,
                 (long long)archive_entry_uid(e), (long long)archive_entry_gid(e),
                 cmd_strerror(c));
    }
    return r;
}

static int extract_entry2(struct tar *t, struct archive *a, struct archive_entry *e,
                          const char *path)
{
    struct proc *p = t->p;
    unsigned ft = archive_entry_filetype(e);
    const char *hl = archive_entry_hardlink(e);
    if (t->to_stdout) {
        if (hl || ft != AE_IFREG) return 0;
        obuf_flush(&t->out);
        return copy_data(t, a, 1, path, false) < 0 ? -1 : 0;
    }
    if (hl) {
        const char *target = safer_name(t, hl, false);
        if (t->strip) {
            target = strip_components(target, t->strip);
            if (!target) return 0;
        }
        int r = sys_link(p, target, path);
        if (r == -ENOENT) {
            make_parents(t, path);
            r = sys_link(p, target, path);
        }
        if (r == -EEXIST) {
            sys_unlink(p, path);
            r = sys_link(p, target, path);
        }
        if (r < 0) TERR(t, "%s: Cannot hard link to '%s': %s", path, target, cmd_strerror(r));
        return 0;
    }
    switch (ft) {
    case AE_IFDIR: {
        char *d = p_strdup(p, path);
        if (!d) return -1;
        size_t l = strlen(d);
        while (l > 1 && d[l - 1] == '/') d[--l] = 0;
        if (!strcmp(d, ".")) return 0;
        int r = sys_mkdir(p, d, 0700);
        if (r == -ENOENT) {
            make_parents(t, d);
            r = sys_mkdir(p, d, 0700);
        }
        if (r == -EEXIST) {
            struct stat st;
            if (sys_stat(p, d, &st) == 0 && S_ISDIR(st.st_mode))
                r = 0;
            else if (sys_unlink(p, d) == 0)
                r = sys_mkdir(p, d, 0700);
        }
        if (r < 0) {
            TERR(t, "%s: Cannot mkdir: %s", d, cmd_strerror(r));
            return 0;
        }
        if (grow(p, (void **)&t->dirs, &t->dircap, t->ndirs, sizeof *t->dirs)) {
            t->dirs[t->ndirs++] = (struct dirfix){
                d, ext_mode(t, archive_entry_mode(e)),
                {archive_entry_mtime(e), archive_entry_mtime_nsec(e)}};
        }
        return 0;
    }
    case AE_IFLNK: {
        const char *target = archive_entry_symlink(e);
        if (!target) target = "";
        if (unsafe_target(target)) {
            int fd = open_member(t, path);
            if (fd < 0) {
                TERR(t, "%s: Cannot open: %s", path, cmd_strerror(fd));
                return 0;
            }
            struct stat st;
            sys_fstat(p, fd, &st);
            sys_close(p, fd);
            if (grow(p, (void **)&t->dl, &t->dlcap, t->ndl, sizeof *t->dl))
                t->dl[t->ndl++] = (struct delayed){p_strdup(p, path), p_strdup(p, target),
                                                    st.st_ino};
            return 0;
        }
        int r = sys_symlink(p, target, path);
        if (r == -ENOENT) {
            make_parents(t, path);
            r = sys_symlink(p, target, path);
        }
        if (r == -EEXIST) {
            sys_unlink(p, path);
            r = sys_symlink(p, target, path);
        }
        if (r < 0)
            TERR(t, "%s: Cannot create symlink to '%s': %s", path, target, cmd_strerror(r));
        else
            set_times(t, path, e, true);
        return 0;
    }
    case AE_IFIFO:
    case AE_IFCHR:
    case AE_IFBLK: {
        mode_t m = ft == AE_IFIFO ? S_IFIFO : ft == AE_IFCHR ? S_IFCHR : S_IFBLK;
        int r = sys_mknod(p, path, m | ext_mode(t, archive_entry_mode(e)), archive_entry_rdev(e));
        if (r == -ENOENT) {
            make_parents(t, path);
            r = sys_mknod(p, path, m | ext_mode(t, archive_entry_mode(e)), archive_entry_rdev(e));
        }
        if (r == -EEXIST) {
            sys_unlink(p, path);
            r = sys_mknod(p, path, m | ext_mode(t, archive_entry_mode(e)), archive_entry_rdev(e));
        }
        if (r < 0) {
            TERR(t, "%s: Cannot mknod: %s", path, cmd_strerror(r));
            return 0;
        }
        sys_chmod(p, path, ext_mode(t, archive_entry_mode(e)));
        set_times(t, path, e, false);
        return 0;
    }
    default: {
        int fd = open_member(t, path);
        if (fd < 0) {
            TERR(t, "%s: Cannot open: %s", path, cmd_strerror(fd));
            return 0;
        }
        int r = copy_data(t, a, fd, path, true);
        if (r == 0) {
            la_int64_t sz = archive_entry_size(e);
            struct stat st;
            if (sys_fstat(p, fd, &st) == 0 && st.st_size < sz) sys_ftruncate(p, fd, sz);
        }
        sys_fchmod(p, fd, ext_mode(t, archive_entry_mode(e)));
        struct timespec ts[2] = {{0, UTIME_NOW},
                                 {archive_entry_mtime(e), archive_entry_mtime_nsec(e)}};
        sys_futimens(p, fd, ts);
        sys_close(p, fd);
        return r < 0 ? -1 : 0;
    }
    }
}

static void finish_extract(struct tar *t)
{
    struct proc *p = t->p;
    for (size_t i = 0; i < t->ndl; i++) {
        struct delayed *d = &t->dl[i];
        struct stat st;
        if (!d->path || sys_lstat(p, d->path, &st) < 0 || !S_ISREG(st.st_mode) ||
            st.st_ino != d->ino || st.st_size != 0)
            continue;
        sys_unlink(p, d->path);
        int r = sys_symlink(p, d->target, d->path);
        if (r < 0)
            TERR(t, "%s: Cannot create symlink to '%s': %s", d->path, d->target,
                 cmd_strerror(r));
    }
    for (size_t i = t->ndirs; i-- > 0;) {
        struct dirfix *d = &t->dirs[i];
        sys_chmod(p, d->path, d->mode);
        struct timespec ts[2] = {{0, UTIME_NOW}, d->mtime};
        sys_utimens(p, d->path, ts, false);
    }
}

static struct archive *open_reader(struct tar *t)
{
    struct archive *a = archive_read_new();
    if (!a) return NULL;
    /* only built-in decompressors: never an external program */
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_bzip2(a);
    archive_read_support_filter_xz(a);
    archive_read_support_filter_lzma(a);
    archive_read_support_filter_compress(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_gnutar(a);
    archive_read_support_format_empty(a);
    if (archive_read_open(a, t, NULL, rd_cb, close_cb) != ARCHIVE_OK) {
        const char *es = archive_error_string(a);
        if (es && strstr(es, "Unrecognized archive format"))
            TERR(t, "This does not look like a tar archive");
        else
            TERR(t, "%s", es ? es : "read error");
        archive_read_free(a);
        return NULL;
    }
    return a;
}

static void read_error(struct tar *t, struct archive *a, int nent)
{
    const char *es = archive_error_string(a);
    if (nent == 0 && es && strstr(es, "Unrecognized archive format"))
        TERR(t, "This does not look like a tar archive");
    else if (es && (strstr(es, "runcated") || strstr(es, "premature")))
        TERR(t, "Unexpected EOF in archive");
    else
        TERR(t, "%s", es ? es : "read error");
    t->fatal = true;
}

static int skip_data(struct tar *t, struct archive *a)
{
    if (archive_read_data_skip(a) < ARCHIVE_WARN) {
        read_error(t, a, 1);
        return -1;
    }
    return 0;
}

/* -t and -x (and the scan of -u/-r when list is NULL). */
static void read_archive(struct tar *t)
{
    struct proc *p = t->p;
    struct archive *a = open_reader(t);
    if (!a) return;
    struct archive_entry *e;
    int nent = 0;
    for (;;) {
        int r = archive_read_next_header(a, &e);
        if (r == ARCHIVE_EOF) break;
        if (r < ARCHIVE_WARN) {
            const char *es = archive_error_string(a);
            if (nent == 0 && es && strstr(es, "Unrecognized archive format"))
                TERR(t, "This does not look like a tar archive");
            else if (es && (strstr(es, "runcated") || strstr(es, "premature")))
                TERR(t, "Unexpected EOF in archive");
            else
                TERR(t, "%s", es ? es : "read error");
            t->fatal = true;
            break;
        }
        nent++;
        if (proc_check(p)) break;
        const char *orig = archive_entry_pathname(e);
        if (!orig) orig = "";
        const char *name = safer_name(t, orig, true);
        if (!name_match(t, orig) || excluded(t, orig)) {
            if (skip_data(t, a) < 0) break;
            continue;
        }
        if (t->mode == 't') {
            print_entry(t, &t->out, e, t->verbose);
            if (skip_data(t, a) < 0) break;
            continue;
        }
        /* extract */
        if (contains_dot_dot(orig)) {
            TERR(t, "%s: Member name contains '..'", orig);
            if (skip_data(t, a) < 0) break;
            continue;
        }
        const char *path = name;
        if (t->strip) {
            path = strip_components(name, t->strip);
            if (!path) {
                if (skip_data(t, a) < 0) break;
                continue;
            }
        }
        if (t->verbose) {
            struct obuf *vo = &t->out;
            if (t->vfd == 2) obuf_flush(vo);
            if (t->vfd == 1 && !t->to_stdout)
                print_entry(t, vo, e, t->verbose);
            else {
                struct obuf eo;
                obuf_init(&eo, p, 2);
                print_entry(t, &eo, e, t->verbose);
                obuf_free(&eo);
            }
        }
        if (extract_entry(t, a, e, path) < 0) {
            t->fatal = true;
            break;
        }
    }
    archive_read_free(a);
    if (t->mode == 'x') finish_extract(t);
    if (t->fatal) tmsg(t, "Error is not recoverable: exiting now");
}

/* ---- creation ------------------------------------------------------------------ */

static bool resolve_id(struct tar *t, const char *spec, bool group, la_int64_t *id, char **name)
{
    const char *colon = strchr(spec, ':');
    char *nm = colon ? p_strndup(t->p, spec, (size_t)(colon - spec)) : p_strdup(t->p, spec);
    if (!nm) return false;
    char *end;
    if (colon) {
        *id = strtoll(colon + 1, &end, 10);
        if (*end || end == colon + 1) return false;
        *name = nm;
        return true;
    }
    if (*nm && (strtoll(nm, &end, 10), !*end)) {
        *id = strtoll(nm, NULL, 10);
        *name = *id == 0 ? "root" : (*id == (la_int64_t)(group ? t->p->vm->gid : t->p->vm->uid) &&
                                     t->p->vm->user)
                                        ? t->p->vm->user
                                        : "";
        return true;
    }
    if (!strcmp(nm, "root")) {
        *id = 0;
    } else if (t->p->vm->user && !strcmp(nm, t->p->vm->user)) {
        *id = group ? t->p->vm->gid : t->p->vm->uid;
    } else {
        *id = group ? t->p->vm->gid : t->p->vm->uid;
    }
    *name = nm;
    return true;
}

struct wctx {
    struct archive *a;
    la_int64_t uid, gid;
    char *uname, *gname;
    bool set_owner, set_group;
};

static int add_path(struct tar *t, struct wctx *w, const char *path, bool top);

static int write_member(struct tar *t, struct wctx *w, const char *path, struct stat *st)
{
    struct proc *p = t->p;
    const char *mname = safer_name(t, path, true);
    size_t ml = strlen(mname);
    char *name = p_malloc(p, ml + 2);
    if (!name) return -1;
    memcpy(name, mname, ml + 1);
    if (S_ISDIR(st->st_mode) && (ml == 0 || name[ml - 1] != '/')) strcpy(name + ml, "/");
    if (t->mode == 'u') {
        for (size_t i = 0; i < t->nhave; i++)
            if (!strcmp(t->have[i], name) && t->have_t[i] >= st->st_mtime) {
                p_free(p, name);
                return 0;
            }
    }
    struct archive_entry *e = archive_entry_new();
    archive_entry_copy_stat(e, st);
    archive_entry_copy_pathname(e, name);
    archive_entry_set_atime(e, 0, 0);
    archive_entry_unset_atime(e);
    archive_entry_unset_ctime(e);
    const char *user = p->vm->user;
    if (w->set_owner) {
        archive_entry_set_uid(e, w->uid);
        archive_entry_copy_uname(e, w->uname);
    } else if (user && st->st_uid == p->vm->uid) {
        archive_entry_copy_uname(e, user);
    } else if (st->st_uid == 0) {
        archive_entry_copy_uname(e, "root");
    }
    if (w->set_group) {
        archive_entry_set_gid(e, w->gid);
        archive_entry_copy_gname(e, w->gname);
    } else if (user && st->st_gid == p->vm->gid) {
        archive_entry_copy_gname(e, user);
    } else if (st->st_gid == 0) {
        archive_entry_copy_gname(e, "root");
    }
    int fd = -1;
    if (S_ISLNK(st->st_mode)) {
        char tb[4096];
        ssize_t n = sys_readlink(p, path, tb, sizeof tb - 1);
        if (n < 0) {
            TERR(t, "%s: Cannot readlink: %s", path, cmd_strerror((int)n));
            archive_entry_free(e);
            return 0;
        }
        tb[n] = 0;
        archive_entry_copy_symlink(e, tb);
        archive_entry_set_size(e, 0);
    } else if (S_ISREG(st->st_mode)) {
        if (st->st_nlink > 1) {
            for (size_t i = 0; i < t->nhls; i++)
                if (t->hls[i].dev == st->st_dev && t->hls[i].ino == st->st_ino) {
                    archive_entry_copy_hardlink(e, t->hls[i].name);
                    archive_entry_set_size(e, 0);
                    goto header;
                }
            if (grow(p, (void **)&t->hls, &t->hlcap, t->nhls, sizeof *t->hls))
                t->hls[t->nhls++] = (struct hl){st->st_dev, st->st_ino, p_strdup(p, name)};
        }
        fd = sys_open(p, path, O_RDONLY, 0);
        if (fd < 0) {
            TERR(t, "%s: Cannot open: %s", path, cmd_strerror(fd));
            archive_entry_free(e);
            return 0;
        }
    } else if (S_ISSOCK(st->st_mode)) {
        tmsg(t, "%s: socket ignored", path);
        archive_entry_free(e);
        return 0;
    } else {
        archive_entry_set_size(e, 0);
    }
header:
    if (t->verbose) {
        struct obuf *vo = &t->out;
        if (t->vfd == 1) {
            print_entry(t, vo, e, t->verbose);
        } else {
            struct obuf eo;
            obuf_init(&eo, p, 2);
            print_entry(t, &eo, e, t->verbose);
            obuf_free(&eo);
        }
    }
    int r = archive_write_header(w->a, e);
    archive_entry_free(e);
    if (r < ARCHIVE_WARN) {
        TERR(t, "%s", archive_error_string(w->a));
        if (fd >= 0) sys_close(p, fd);
        return -1;
    }
    if (fd >= 0) {
        la_int64_t left = st->st_size;
        while (left > 0) {
            ssize_t n = sys_read(p, fd, t->buf, left < TBUF ? (size_t)left : TBUF);
            if (n < 0) {
                TERR(t, "%s: Read error: %s", path, cmd_strerror((int)n));
                break;
            }
            if (n == 0) break;
            if (archive_write_data(w->a, t->buf, (size_t)n) < 0) {
                TERR(t, "%s", archive_error_string(w->a));
                sys_close(p, fd);
                return -1;
            }
            left -= n;
        }
        if (left > 0) {
            /* file shrank: pad with zeros like GNU tar */
            memset(t->buf, 0, TBUF);
            while (left > 0) {
                size_t k = left < TBUF ? (size_t)left : TBUF;
                if (archive_write_data(w->a, t->buf, k) < 0) break;
                left -= (la_int64_t)k;
            }
        }
        sys_close(p, fd);
    }
    if (S_ISDIR(st->st_mode)) {
        int dfd = sys_open(p, path, O_RDONLY | O_DIRECTORY, 0);
        if (dfd < 0) {
            TERR(t, "%s: Cannot open: %s", path, cmd_strerror(dfd));
            return 0;
        }
        char **kids = NULL;
        size_t nk = 0, kc = 0;
        struct vfs_dirent ents[64];
        int k;
        while ((k = sys_getdents(p, dfd, ents, 64)) > 0) {
            for (int i = 0; i < k; i++) {
                if (!strcmp(ents[i].name, ".") || !strcmp(ents[i].name, "..")) continue;
                if (!grow(p, (void **)&kids, &kc, nk, sizeof *kids)) break;
                size_t pl = strlen(path), nl = strlen(ents[i].name);
                char *c = p_malloc(p, pl + nl + 2);
                if (!c) break;
                memcpy(c, path, pl);
                size_t o = pl;
                if (o && c[o - 1] != '/') c[o++] = '/';
                memcpy(c + o, ents[i].name, nl + 1);
                kids[nk++] = c;
            }
        }
        sys_close(p, dfd);
        for (size_t i = 0; i < nk; i++) {
            if (add_path(t, w, kids[i], false) < 0) return -1;
            p_free(p, kids[i]);
        }
        p_free(p, kids);
    }
    p_free(p, name);
    return 0;
}

static int add_path(struct tar *t, struct wctx *w, const char *path, bool top)
{
    struct proc *p = t->p;
    if (proc_check(p)) return -1;
    if (excluded(t, path)) return 0;
    struct stat st;
    int r = t->deref ? sys_stat(p, path, &st) : sys_lstat(p, path, &st);
    if (r < 0) {
        TERR(t, "%s: Cannot stat: %s", path, cmd_strerror(r));
        return 0;
    }
    if (t->ast_ok && st.st_dev == t->ast.st_dev && st.st_ino == t->ast.st_ino &&
        S_ISREG(st.st_mode)) {
        tmsg(t, "%s: file is the archive; not dumped", path);
        return 0;
    }
    (void)top;
    return write_member(t, w, path, &st);
}

static char comp_by_suffix(const char *name)
{
    size_t l = strlen(name);
    static const struct {
        const char *s;
        char c;
    } tab[] = {{".tar.gz", 'z'}, {".tgz", 'z'}, {".taz", 'z'},  {".gz", 'z'},
               {".tar.bz2", 'j'}, {".tbz", 'j'}, {".tbz2", 'j'}, {".tz2", 'j'},
               {".bz2", 'j'}, {".tar.xz", 'J'}, {".txz", 'J'}, {".xz", 'J'}};
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        size_t sl = strlen(tab[i].s);
        if (l > sl && !strcmp(name + l - sl, tab[i].s)) return tab[i].c;
    }
    return 0;
}

static void create_archive(struct tar *t, off_t start)
{
    struct proc *p = t->p;
    struct wctx w = {0};
    if (t->owner) {
        if (!resolve_id(t, t->owner, false, &w.uid, &w.uname)) {
            TERR(t, "%s: Invalid owner", t->owner);
            return;
        }
        w.set_owner = true;
    }
    if (t->group) {
        if (!resolve_id(t, t->group, true, &w.gid, &w.gname)) {
            TERR(t, "%s: Invalid group", t->group);
            return;
        }
        w.set_group = true;
    }
    struct archive *a = archive_write_new();
    if (!a) {
        TERR(t, "memory exhausted");
        return;
    }
    w.a = a;
    archive_write_set_format_gnutar(a);
    int r = ARCHIVE_OK;
    if (t->comp == 'z')
        r = archive_write_add_filter_gzip(a);
    else if (t->comp == 'j')
        r = archive_write_add_filter_bzip2(a);
    else if (t->comp == 'J')
        r = archive_write_add_filter_xz(a);
    if (r != ARCHIVE_OK) {
        TERR(t, "%s", archive_error_string(a));
        archive_write_free(a);
        return;
    }
    archive_write_set_bytes_per_block(a, 10240);
    if (t->comp) archive_write_set_bytes_in_last_block(a, 1);
    (void)start;
    if (archive_write_open(a, t, NULL, wr_cb, close_cb) != ARCHIVE_OK) {
        TERR(t, "%s", archive_error_string(a));
        archive_write_free(a);
        return;
    }
    for (size_t i = 0; i < t->nnames; i++)
        if (add_path(t, &w, t->names[i], true) < 0) {
            t->fatal = true;
            break;
        }
    obuf_flush(&t->out);
    if (archive_write_close(a) != ARCHIVE_OK && !t->fatal) {
        TERR(t, "%s", archive_error_string(a));
    }
    archive_write_free(a);
    (void)p;
}

/* -r/-u: find where the end-of-archive blocks start, then write from there. */
static void append_archive(struct tar *t)
{
    struct proc *p = t->p;
    struct archive *a = archive_read_new();
    archive_read_support_format_tar(a);
    archive_read_support_format_gnutar(a);
    archive_read_support_format_empty(a);
    if (archive_read_open(a, t, NULL, rd_cb, close_cb) != ARCHIVE_OK) {
        TERR(t, "This does not look like a tar archive");
        archive_read_free(a);
        return;
    }
    struct archive_entry *e;
    la_int64_t end = 0;
    int r;
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        if (t->mode == 'u' && grow(p, (void **)&t->have, &t->havecap, t->nhave, sizeof *t->have)) {
            t->have_t = p_realloc(p, t->have_t, t->havecap * sizeof *t->have_t);
            if (!t->have_t) break;
            t->have[t->nhave] = p_strdup(p, archive_entry_pathname(e) ? archive_entry_pathname(e) : "");
            t->have_t[t->nhave++] = archive_entry_mtime(e);
        }
        archive_read_data_skip(a);
    }
    if (r == ARCHIVE_EOF) {
        end = archive_read_header_position(a);
    } else {
        const char *es = archive_error_string(a);
        if (es && strstr(es, "Unrecognized archive format"))
            TERR(t, "This does not look like a tar archive");
        else
            TERR(t, "%s", es ? es : "read error");
        archive_read_free(a);
        return;
    }
    if (archive_filter_count(a) > 1) {
        archive_read_free(a);
        TERR(t, "Cannot update compressed archives");
        return;
    }
    archive_read_free(a);
    sys_lseek(p, t->fd, end, SEEK_SET);
    create_archive(t, end);
    off_t now = sys_lseek(p, t->fd, 0, SEEK_CUR);
    if (now > 0) sys_ftruncate(p, t->fd, now);
}

/* ---- main ---------------------------------------------------------------------- */

static bool add_name(struct tar *t, const char *s)
{
    if (!grow(t->p, (void **)&t->names, &t->namecap, t->nnames, sizeof *t->names)) return false;
    t->names[t->nnames++] = (char *)s;
    return true;
}

/* Lines of a file (-T, -X): each line is added by fn. */
static int read_list(struct tar *t, const char *file, bool excl)
{
    struct proc *p = t->p;
    int fd = cmd_open_input(p, file);
    if (fd < 0) {
        tmsg(t, "%s: Cannot open: %s", file, cmd_strerror(fd));
        tmsg(t, "Error is not recoverable: exiting now");
        return -1;
    }
    struct ibuf in;
    ibuf_init(&in, p, fd);
    char *rec;
    ssize_t n;
    while ((n = ibuf_getline(&in, &rec)) > 0) {
        if (rec[n - 1] == '\n') n--;
        if (n == 0) continue;
        char *s = p_strndup(p, rec, (size_t)n);
        if (!s) break;
        if (excl) {
            if (grow(p, (void **)&t->excl, &t->excap, t->nexcl, sizeof *t->excl))
                t->excl[t->nexcl++] = s;
        } else {
            add_name(t, s);
        }
    }
    ibuf_free(&in);
    cmd_close_input(p, fd);
    return 0;
}

/* Old-style "tar czf A.tgz dir": expand the first word into options. */
static char **old_style(struct proc *p, int *argc, char **argv)
{
    if (*argc < 2 || argv[1][0] == '-') return argv;
    int n = *argc;
    const char *w = argv[1];
    char **nv = p_calloc(p, (size_t)n + strlen(w) + 2, sizeof *nv);
    if (!nv) return argv;
    int k = 0, next = 2;
    nv[k++] = argv[0];
    for (const char *c = w; *c; c++) {
        char *o = p_malloc(p, 3);
        if (!o) return argv;
        o[0] = '-';
        o[1] = *c;
        o[2] = 0;
        nv[k++] = o;
        if (strchr("fCTXbgKLNV", *c) && next < n) nv[k++] = argv[next++];
    }
    for (int i = next; i < n; i++) nv[k++] = argv[i];
    nv[k] = NULL;
    *argc = k;
    return nv;
}

int cmd_tar(struct proc *p, int argc, char **argv)
{
    argv = old_style(p, &argc, argv);
    static const struct opt_spec spec = {.name = "tar",
                                         .shorts = "crtuxf:zjJaC:vpOT:X:h",
                                         .longs = longs,
                                         .help = tar_help,
                                         .version = tar_version,
                                         .err_status = 64,
                                         .try_text = TRY_TEXT};
    struct tar t = {.p = p, .ugswidth = 18, .fd = -1};
    const char *tfiles[16];
    const char *xfiles[16];
    int ntf = 0, nxf = 0;
    int modes = 0;
    struct opt_state o;
    opt_init(&o, p, &spec, argc, argv);
    for (int c; (c = opt_next(&o)) != OPT_END;) {
        switch (c) {
        case OPT_EXIT: return o.status;
        case 'c':
        case 'x':
        case 't':
        case 'r':
        case 'u':
            if (t.mode && t.mode != c) modes++;
            if (!t.mode) modes++;
            t.mode = (char)c;
            break;
        case 'f': t.archive = o.arg; break;
        case 'z':
        case 'j':
        case 'J': t.comp = (char)c; break;
        case 'a': t.autoc = true; break;
        case 'C': t.dir = o.arg; break;
        case 'v': t.verbose++; break;
        case 'p': t.preserve = true; break;
        case 'O': t.to_stdout = true; break;
        case 'T':
            if (ntf < 16) tfiles[ntf++] = o.arg;
            break;
        case 'X':
            if (nxf < 16) xfiles[nxf++] = o.arg;
            break;
        case 'h': t.deref = true; break;
        case T_EXCLUDE:
            if (grow(p, (void **)&t.excl, &t.excap, t.nexcl, sizeof *t.excl))
                t.excl[t.nexcl++] = o.arg;
            break;
        case T_STRIP: {
            char *end;
            long v = strtol(o.arg, &end, 10);
            if (*end || end == o.arg || v < 0) {
                tmsg(&t, "Invalid number of elements: %s", cmd_quote(p, o.arg));
                p_printf(p, 2, TRY_TEXT, o.prog, o.prog);
                return 2;
            }
            t.strip = (int)v;
            break;
        }
        case T_OWNER: t.owner = o.arg; break;
        case T_GROUP: t.group = o.arg; break;
        case T_NO_SAME_OWNER: t.same_owner = -1; break;
        case T_SAME_OWNER: t.same_owner = 1; break;
        }
    }
    if (modes > 1) {
        tmsg(&t, "You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' "
                 "option");
        p_printf(p, 2, TRY_TEXT, o.prog, o.prog);
        return 2;
    }
    if (!t.mode) {
        tmsg(&t, "You must specify one of the '-Acdtrux', '--delete' or '--test-label' options");
        p_printf(p, 2, TRY_TEXT, o.prog, o.prog);
        return 2;
    }
    for (int i = o.ind; i < argc; i++) add_name(&t, argv[i]);
    for (int i = 0; i < nxf; i++)
        if (read_list(&t, xfiles[i], true) < 0) return 2;
    for (int i = 0; i < ntf; i++)
        if (read_list(&t, tfiles[i], false) < 0) return 2;
    if ((t.mode == 'c') && t.nnames == 0) {
        tmsg(&t, "Cowardly refusing to create an empty archive");
        p_printf(p, 2, TRY_TEXT, o.prog, o.prog);
        return 2;
    }
    if (!t.archive) t.archive = "-";
    bool is_std = !strcmp(t.archive, "-");
    if (t.autoc && t.mode == 'c' && !is_std) t.comp = comp_by_suffix(t.archive);
    if ((t.mode == 'r' || t.mode == 'u') && (t.comp || is_std)) {
        if (t.comp) {
            tmsg(&t, "Cannot update compressed archives");
            p_printf(p, 2, TRY_TEXT, o.prog, o.prog);
        } else {
            tmsg(&t, "Options '-Aru' are incompatible with '-f -'");
            p_printf(p, 2, TRY_TEXT, o.prog, o.prog);
        }
        return 2;
    }
    t.buf = p_malloc(p, TBUF);
    t.found = p_calloc(p, t.nnames + 1, sizeof *t.found);
    if (!t.buf || !t.found) {
        tmsg(&t, "memory exhausted");
        return 2;
    }
    obuf_init(&t.out, p, 1);
    t.vfd = (t.mode == 'c' || t.mode == 'r' || t.mode == 'u') && is_std ? 2 : 1;
    if (t.to_stdout) t.vfd = 2;
    t.umask = sys_umask(p, 022);
    sys_umask(p, t.umask);
    /* open the archive before -C */
    if (is_std) {
        t.fd = (t.mode == 'c') ? 1 : 0;
    } else {
        int fl = t.mode == 'c'   ? O_WRONLY | O_CREAT | O_TRUNC
                 : t.mode == 'x' || t.mode == 't' ? O_RDONLY
                                                  : O_RDWR | O_CREAT;
        t.fd = sys_open(p, t.archive, fl, 0666);
        if (t.fd < 0) {
            tmsg(&t, "%s: Cannot open: %s", t.archive, cmd_strerror(t.fd));
            tmsg(&t, "Error is not recoverable: exiting now");
            obuf_free(&t.out);
            return 2;
        }
    }
    if (t.mode != 't' && t.mode != 'x' && sys_fstat(p, t.fd, &t.ast) == 0) t.ast_ok = true;
    if (t.dir) {
        int r = sys_chdir(p, t.dir);
        if (r < 0) {
            tmsg(&t, "%s: Cannot open: %s", t.dir, cmd_strerror(r));
            tmsg(&t, "Error is not recoverable: exiting now");
            obuf_free(&t.out);
            return 2;
        }
    }
    switch (t.mode) {
    case 'c': create_archive(&t, 0); break;
    case 'r':
    case 'u': append_archive(&t); break;
    default: read_archive(&t); break;
    }
    if (!is_std) sys_close(p, t.fd);
    if ((t.mode == 't' || t.mode == 'x') && !t.fatal) {
        for (size_t i = 0; i < t.nnames; i++)
            if (!t.found[i]) TERR(&t, "%s: Not found in archive", t.names[i]);
    }
    int st = cmd_close_stdout(p, &t.out, 0);
    if (t.status && !t.fatal) tmsg(&t, "Exiting with failure status due to previous errors");
    return t.status ? t.status : st ? 2 : 0;
}
