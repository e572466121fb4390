/* jqcore.h — the libjq (jq 1.6) engine shared by jq and yq.
 *
 * libjq 1.6 reaches host state in three places, and this layer confines
 * each to the VM:
 *   - `env` / `$ENV` read the host's `environ` when they run, and the
 *     compiler imports "$HOME/.jq" using the host's getenv("HOME");
 *   - the output colours (jq_set_colors) are one process-wide table;
 *   - `input_filename`, `input_line_number` and `stderr` talk to libjq's own
 *     FILE*-based input/output layer, which we do not use.
 * So every libjq call runs under one process-wide mutex (jqc_lock), which
 * points `environ` at the process's VM environment (p->env) while the
 * program runs and at an empty environment while it compiles (no HOME: no
 * ~/.jq import from the host), and installs the VM's JQ_COLORS. The lock
 * is released around every kernel call (reads, writes, proc_check), so two
 * jq processes of one VM in a pipeline cannot deadlock, and the state is
 * re-installed on each acquisition. Host threads that call getenv while a
 * jq program runs may see the VM environment: vos itself never does.
 * input_filename / input_line_number / stderr are redefined in jq (a
 * one-line prefix on line 1 that error messages are cleaned of).
 * Modules: `import`, `include` and `module` are refused (no library path
 * reaches host files); -L is refused by jq.
 * Memory: libjq allocates with the host malloc, outside the VM limit.
 */
#ifndef VOS_CMD_JQCORE_H
#define VOS_CMD_JQCORE_H

#include "cmd/cmd.h"

#include <jq.h>
#include <jv.h>

struct jqc {
    struct proc *p;
    jq_state *jq;
    struct sbuf err; /* stderr text waiting for the lock to be dropped */
    bool locked;
    char **saved_env;
    bool stop; /* killed or output failed: wind down */
    /* current input, for input_filename / input_line_number */
    const char *filename;
    size_t line;
};

/* Create the jq state (the lock is taken and held on return). */
int jqc_init(struct jqc *c, struct proc *p);
void jqc_lock(struct jqc *c);
void jqc_unlock(struct jqc *c);
/* Compile (locked). 1 on success; messages go to c->err. */
int jqc_compile(struct jqc *c, const char *program, jv args);
/* Publish the current input name/line to the program (locked). */
void jqc_set_input(struct jqc *c, jv filename, size_t line);
/* Write pending stderr text (unlocked). */
void jqc_flush_err(struct jqc *c);
/* Tear down (locked on entry; unlocked on return). */
void jqc_free(struct jqc *c);

#endif
