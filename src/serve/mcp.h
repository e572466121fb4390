/* mcp.h — `vos mcp`: a Model Context Protocol server (JSON-RPC 2.0, one
 * message per line) whose tools (bash, read, write, edit, list, glob, grep)
 * run inside one vos VM.
 *
 * The server is fed bytes one line at a time (mcp_handle_line) and answers
 * through a write callback, so the same dispatcher serves stdio
 * (mcp_serve_stdio), tests and the fuzzer. With mcp_start, tools/call runs
 * on a worker thread in arrival order while the caller keeps feeding lines
 * (ping and notifications/cancelled are answered at once); without it, each
 * call runs on the caller's thread before mcp_handle_line returns.
 */
#ifndef VOS_SERVE_MCP_H
#define VOS_SERVE_MCP_H

#include "vos.h"
#include <stddef.h>
#include <stdint.h>

struct mcp;

struct mcp_config {
    const char *cwd;         /* where the shell session starts (NULL: the VM's cwd) */
    uint64_t timeout_ms;     /* a bash call's default time limit (0: 120 s) */
    uint64_t max_timeout_ms; /* cap on a call's timeout_ms (0: none) */
    size_t output_limit;     /* bytes of each output stream shown (0: 30000) */
    size_t max_line;         /* bytes in one message (0: 64 MiB) */
};

/* One complete JSON text (no newline) to deliver to the client. */
typedef void (*mcp_write_fn)(void *userdata, const char *msg, size_t len);

/* NULL on ENOMEM. The VM stays the caller's; it must outlive the server. */
struct mcp *mcp_new(vos_vm *vm, const struct mcp_config *cfg, mcp_write_fn write, void *userdata);
/* Run tools/call on a worker thread from now on. 0 or -errno. */
int mcp_start(struct mcp *s);
/* One message (or batch) as read from the wire, without its newline. */
void mcp_handle_line(struct mcp *s, const char *line, size_t len);
/* A line longer than max_line was dropped: answer with an error. */
void mcp_line_too_long(struct mcp *s, size_t len);
/* Wait for every queued call to finish (cancel_all: cancel them instead),
 * stop the worker and free the server. */
void mcp_free(struct mcp *s, int cancel_all);

/* Serve newline-delimited JSON-RPC on fds in/out until in reaches EOF (then
 * the calls in flight finish and their answers are written). 0, or -errno
 * when the server cannot start. */
int mcp_serve_stdio(vos_vm *vm, const struct mcp_config *cfg, int in, int out);

#endif
