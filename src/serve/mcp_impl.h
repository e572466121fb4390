/* mcp_impl.h — what the protocol (mcp.c) and the tools (mcp_tools.c) of the
 * MCP server share: the server's state and one tool call. */
#ifndef VOS_SERVE_MCP_IMPL_H
#define VOS_SERVE_MCP_IMPL_H

#include "serve/mcp.h"
#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>

struct batch;

/* One tools/call on its way through the queue. */
struct call {
    struct call *next;
    json_t *id;
    char *tool;
    json_t *args; /* an object */
    struct batch *batch;
    int cancel;     /* vos_exec_opts.cancel of every exec this call makes */
    bool cancelled; /* notifications/cancelled came: no answer is sent */
};

struct mcp {
    vos_vm *vm;
    struct mcp_config cfg;
    mcp_write_fn write;
    void *wud;

    pthread_mutex_t mu; /* the queue, running, batches */
    pthread_cond_t cv;
    struct call *head, *tail, *running;
    size_t queued;
    bool stopping, worker_started;
    pthread_t worker;
    pthread_mutex_t out_mu; /* one message written at a time */

    /* Protocol state: the reader's. */
    bool initialized, client_ready;
    char version[16];

    /* Session state: the tools' (one call at a time). */
    char *start_cwd;      /* where the session starts */
    char *cwd;            /* the session's cwd when !cwd_dirty */
    bool cwd_dirty;       /* a bash call may have moved it */
    bool session_started; /* the VM's session exists (cwd was applied) */
    int grep_engine;      /* 0 not probed, 1 rg, 2 grep, 3 built in */
};

/* The tools (mcp_tools.c). */
bool mcp_tool_known(const char *name);
json_t *mcp_tool_list(struct mcp *s);
/* Run c and return its CallToolResult (isError set on failure). */
json_t *mcp_run_tool(struct mcp *s, struct call *c);

#endif
