/* options.c — parsing the vos command line's options and making the VM
 * they describe. Errors are one short line for the caller to print after
 * "vos: ", with exit status 2, as GNU tools do for bad usage.
 */
#include "cli/options.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return 2;
}

int cli_parse_bytes(const char *s, uint64_t *out)
{
    char *end;
    if (!*s || *s == '-') return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s) return -1;
    int shift = 0;
    switch (*end) {
    case 'K':
    case 'k':
        shift = 10;
        end++;
        break;
    case 'M':
    case 'm':
        shift = 20;
        end++;
        break;
    case 'G':
    case 'g':
        shift = 30;
        end++;
        break;
    }
    if (*end == 'B' || *end == 'b') end++;
    if (*end || (shift && v > (UINT64_MAX >> shift))) return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

int cli_parse_seconds(const char *s, uint64_t *ms)
{
    char *end;
    errno = 0;
    double secs = strtod(s, &end);
    if (errno || end == s || *end || !(secs > 0) || secs > 1e9) return -1;
    *ms = (uint64_t)(secs * 1000 + 0.5);
    if (!*ms) *ms = 1;
    return 0;
}

static int add_env(struct cli_opts *o, const char *kv, int copy)
{
    char **n = realloc(o->env, (size_t)(o->nenv + 2) * sizeof *n);
    if (!n) return -1;
    o->env = n;
    if (!(n[o->nenv] = copy ? strdup(kv) : (char *)kv)) return -1;
    n[++o->nenv] = NULL;
    return 0;
}

static int valid_env(const char *kv)
{
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv) return 0;
    for (const char *p = kv; p < eq; p++)
        if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              (p > kv && *p >= '0' && *p <= '9')))
            return 0;
    return 1;
}

static int read_env_file(struct cli_opts *o, const char *path, char *err, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f) return bad(err, n, "%s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0, r = 0;
    while (r == 0 && (len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        char *s = line;
        while (*s == ' ' || *s == '\t') s++;
        if (!*s || *s == '#') continue;
        if (!strncmp(s, "export ", 7)) s += 7;
        if (!valid_env(s))
            r = bad(err, n, "%s:%d: not NAME=VALUE: '%s'", path, lineno, s);
        else if (add_env(o, s, 1) < 0)
            r = bad(err, n, "%s", strerror(ENOMEM));
    }
    free(line);
    fclose(f);
    return r;
}

/* Split "DIR:VMPATH" at the last ":/" (DIR may hold colons). */
static void split_at(const char *arg, char **dir, char **at)
{
    const char *c = NULL;
    for (const char *p = arg; (p = strchr(p, ':')); p++)
        if (p[1] == '/') c = p;
    if (!c) {
        *dir = strdup(arg);
        *at = NULL;
        return;
    }
    *dir = strndup(arg, (size_t)(c - arg));
    *at = strdup(c + 1);
}

static int parse_mount(struct cli_opts *o, const char *arg, char *err, size_t n)
{
    char *spec = strdup(arg), *src, *dst;
    if (!spec) return bad(err, n, "%s", strerror(ENOMEM));
    int mode = VOS_MOUNT_RO;
    char *last = strrchr(spec, ':');
    if (last && last[1] != '/') {
        if (!strcmp(last + 1, "ro"))
            mode = VOS_MOUNT_RO;
        else if (!strcmp(last + 1, "rw"))
            mode = VOS_MOUNT_RW;
        else if (!strcmp(last + 1, "overlay"))
            mode = VOS_MOUNT_OVERLAY;
        else {
            free(spec);
            return bad(err, n, "invalid mount mode in '%s' (ro, rw or overlay)", arg);
        }
        *last = 0;
    }
    split_at(spec, &src, &dst);
    free(spec);
    if (!src || !*src || !dst || dst[0] != '/') {
        free(src);
        free(dst);
        return bad(err, n, "invalid --mount '%s' (SRC:/DST[:ro|rw|overlay])", arg);
    }
    struct cli_mount *m = realloc(o->mounts, (size_t)(o->nmounts + 1) * sizeof *m);
    if (!m) return bad(err, n, "%s", strerror(ENOMEM));
    o->mounts = m;
    m[o->nmounts++] = (struct cli_mount){src, dst, mode};
    return 0;
}

static const char *const with_value[] = {
    "--root",    "--mount",  "--cwd",  "--env",        "--env-file",
    "--timeout", "--memory", "--disk", "--max-output", NULL,
};

static int option(struct cli_opts *o, const char *name, const char *val, char *err, size_t n)
{
    uint64_t v;
    if (!strcmp(name, "--root")) {
        free(o->root);
        free(o->root_at);
        split_at(val, &o->root, &o->root_at);
        if (!o->root || !*o->root) return bad(err, n, "invalid --root '%s'", val);
    } else if (!strcmp(name, "--mount")) {
        return parse_mount(o, val, err, n);
    } else if (!strcmp(name, "--cwd")) {
        if (!*val) return bad(err, n, "invalid --cwd ''");
        o->cwd = val;
    } else if (!strcmp(name, "--env")) {
        if (!valid_env(val)) return bad(err, n, "invalid --env '%s' (NAME=VALUE)", val);
        if (add_env(o, val, 1) < 0) return bad(err, n, "%s", strerror(ENOMEM));
    } else if (!strcmp(name, "--env-file")) {
        return read_env_file(o, val, err, n);
    } else if (!strcmp(name, "--timeout")) {
        if (cli_parse_seconds(val, &o->timeout_ms) < 0)
            return bad(err, n, "invalid time interval '%s'", val);
    } else {
        if (cli_parse_bytes(val, &v) < 0 || !v) return bad(err, n, "invalid size '%s'", val);
        if (!strcmp(name, "--memory"))
            o->memory = v;
        else if (!strcmp(name, "--disk"))
            o->disk = v;
        else
            o->max_output = v;
    }
    return 0;
}

static void add_sharg(struct cli_opts *o, char *a)
{
    char **v = realloc(o->shargs, ((size_t)o->nshargs + 1) * sizeof *v);
    if (!v) return;
    o->shargs = v;
    o->shargs[o->nshargs++] = a;
}

int cli_parse_more(int argc, char **argv, int *used, struct cli_opts *o, char *err, size_t n)
{
    int i = 0;
    for (; i < argc; i++) {
        char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (a[0] != '-' || !a[1]) break;
        char name[64];
        const char *val = NULL;
        const char *eq = strncmp(a, "--", 2) ? NULL : strchr(a, '=');
        snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - a) : 63, a);
        int takes = 0;
        for (const char *const *w = with_value; *w; w++) takes |= !strcmp(name, *w);
        if (takes) {
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc)
                val = argv[++i];
            else
                return bad(err, n, "option '%s' requires an argument", name);
            int r = option(o, name, val, err, n);
            if (r) return r;
            continue;
        }
        if (eq) return bad(err, n, "option '%s' doesn't allow an argument", name);
        if (!strcmp(a, "--rw"))
            o->rw = 1;
        else if (!strcmp(a, "--diff"))
            o->diff = 1;
        else if (!strcmp(a, "--apply"))
            o->apply = 1;
        else if (!strcmp(a, "--json"))
            o->json = 1;
        else if (!strcmp(a, "--version"))
            o->version = 1;
        else if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            o->help = 1;
        else if (a[1] == '-')
            return bad(err, n, "unrecognized option '%s'", a);
        else if (!strcmp(a, "-c")) {
            if (i + 1 >= argc) return bad(err, n, "option requires an argument -- 'c'");
            o->command = argv[++i];
            i++;
            break; /* what follows is $0 and the arguments */
        } else if (!strcmp(a, "-o") || !strcmp(a, "+o")) {
            if (i + 1 >= argc) return bad(err, n, "option requires an argument -- 'o'");
            add_sharg(o, a);
            add_sharg(o, argv[++i]);
        } else if (strspn(a + 1, "euxvfCn") == strlen(a + 1))
            add_sharg(o, a);
        else
            return bad(err, n, "invalid option -- '%c'", a[1]);
    }
    *used = i;
    return 0;
}

int cli_parse(int argc, char **argv, struct cli_opts *o, char *err, size_t n)
{
    memset(o, 0, sizeof *o);
    int used, r = cli_parse_more(argc - 1, argv + 1, &used, o, err, n);
    if (r) return r;
    o->argc = argc - 1 - used;
    o->argv = argv + 1 + used;
    if (o->rw && !o->root) return bad(err, n, "--rw needs --root");
    if ((o->diff || o->apply) && (!o->root || o->rw))
        return bad(err, n, "--%s needs --root without --rw", o->diff ? "diff" : "apply");
    return 0;
}

void cli_opts_free(struct cli_opts *o)
{
    free(o->shargs);
    free(o->root);
    free(o->root_at);
    for (int i = 0; i < o->nmounts; i++) {
        free(o->mounts[i].src);
        free(o->mounts[i].dst);
    }
    free(o->mounts);
    for (int i = 0; i < o->nenv; i++) free(o->env[i]);
    free(o->env);
    memset(o, 0, sizeof *o);
}

int cli_make_vm(const struct cli_opts *o, vos_vm **out, const char **cwd, char *err, size_t n)
{
    vos_config cfg = {0};
    cfg.limits.memory_bytes = o->memory;
    cfg.limits.fs_bytes = o->disk;
    cfg.limits.output_bytes = o->max_output;
    vos_vm *vm = vos_new(&cfg);
    if (!vm) return bad(err, n, "cannot create a VM: %s", strerror(ENOMEM));
    int r = 0;
    const char *at = o->root_at ? o->root_at : "/workspace";
    if (o->root) {
        r = vos_mount_host(vm, o->root, at, o->rw ? VOS_MOUNT_RW : VOS_MOUNT_OVERLAY);
        if (r < 0) bad(err, n, "cannot mount '%s': %s", o->root, vos_strerror(r));
    }
    for (int i = 0; r == 0 && i < o->nmounts; i++) {
        r = vos_mount_host(vm, o->mounts[i].src, o->mounts[i].dst, o->mounts[i].mode);
        if (r < 0) bad(err, n, "cannot mount '%s': %s", o->mounts[i].src, vos_strerror(r));
    }
    for (int i = 0; r == 0 && i < o->nenv; i++) {
        char *eq = strchr(o->env[i], '=');
        *eq = 0;
        r = vos_setenv(vm, o->env[i], eq + 1);
        *eq = '=';
        if (r < 0) bad(err, n, "cannot set %s: %s", o->env[i], vos_strerror(r));
    }
    *cwd = o->cwd ? o->cwd : o->root ? at : NULL;
    if (r == 0 && *cwd) {
        struct stat st;
        r = vos_stat(vm, *cwd, &st);
        if (r == 0 && !S_ISDIR(st.st_mode)) r = -ENOTDIR;
        if (r < 0)
            bad(err, n, "cannot use --cwd '%s': %s", *cwd, vos_strerror(r));
        else
            r = vos_setenv(vm, "PWD", *cwd);
    }
    if (r < 0) {
        vos_free(vm);
        return 2;
    }
    *out = vm;
    return 0;
}
