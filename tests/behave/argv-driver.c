/* argv-driver.c — the vos side of tests/behave/run-argv.
 *
 *   argv-driver DIR STDIN OUT ERR -- ARGV... [--- ARGV...]...
 *
 * Makes a VM, copies the host directory DIR into it at the same path
 * (files, directories, symlinks, modes), then runs each ARGV in turn with
 * vos_run (cwd DIR, PWD=DIR, stdin the bytes of the host file STDIN),
 * appending stdout to OUT and stderr to ERR and printing "status N" for
 * each on stdout. Host libc file calls are fine here: this is the harness.
 */
#include "vos.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (size_t r; buf && (r = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += r;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

static int copy_tree(vos_vm *vm, const char *path)
{
    DIR *d = opendir(path);
    if (!d) return -1;
    struct dirent *e;
    int r = 0;
    while ((e = readdir(d)) && r == 0) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        struct stat st;
        if (lstat(p, &st) < 0) continue;
        if (S_ISDIR(st.st_mode)) {
            r = vos_mkdir(vm, p, st.st_mode & 07777);
            if (r == 0) r = copy_tree(vm, p);
            if (r == 0) r = vos_chmod(vm, p, st.st_mode & 07777);
        } else if (S_ISLNK(st.st_mode)) {
            char t[4096];
            ssize_t n = readlink(p, t, sizeof t - 1);
            t[n < 0 ? 0 : n] = 0;
            r = vos_symlink(vm, t, p);
        } else if (S_ISREG(st.st_mode)) {
            size_t len = 0;
            char *data = slurp(p, &len);
            if (!data && st.st_size == 0) data = strdup("");
            if (!data) { /* unreadable on the host too: create, then chmod */
                data = strdup("");
                len = 0;
            }
            r = vos_write_file(vm, p, data, len);
            free(data);
            if (r == 0) r = vos_chmod(vm, p, st.st_mode & 07777);
        }
        if (r < 0) fprintf(stderr, "argv-driver: %s: %s\n", p, vos_strerror(r));
    }
    closedir(d);
    return r;
}

static void append(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "ab");
    if (f) {
        fwrite(data, 1, len, f);
        fclose(f);
    }
}

int main(int argc, char **argv)
{
    if (argc < 7 || strcmp(argv[5], "--")) {
        fprintf(stderr, "usage: argv-driver DIR STDIN OUT ERR -- ARGV... [--- ARGV...]\n");
        return 2;
    }
    const char *dir = argv[1];
    size_t in_len = 0;
    char *in = slurp(argv[2], &in_len);
    vos_vm *vm = vos_new(NULL);
    if (!vm) {
        fprintf(stderr, "argv-driver: vos_new failed\n");
        return 2;
    }
    int r = vos_mkdir(vm, dir, 0755);
    if (r == 0) r = copy_tree(vm, dir);
    if (r < 0) {
        fprintf(stderr, "argv-driver: copying %s: %s\n", dir, vos_strerror(r));
        return 2;
    }
    char pwd[4200];
    snprintf(pwd, sizeof pwd, "PWD=%s", dir);
    const char *env[] = {pwd, NULL};
    vos_exec_opts o = {
        .stdin_data = in, .stdin_len = in_len, .env = env, .cwd = dir, .timeout_ms = 20000};
    for (int i = 6; i < argc;) {
        int j = i;
        while (j < argc && strcmp(argv[j], "---")) j++;
        argv[j == argc ? argc : j] = NULL;
        vos_result res;
        r = vos_run(vm, argv + i, &o, &res);
        if (r < 0) {
            printf("vos_run failed: %s\n", vos_strerror(r));
        } else {
            append(argv[3], res.out, res.out_len);
            append(argv[4], res.err, res.err_len);
            printf("status %d\n", res.status);
            vos_result_free(&res);
        }
        i = j + 1;
    }
    vos_free(vm);
    free(in);
    return 0;
}
