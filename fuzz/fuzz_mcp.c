/* fuzz_mcp.c — the MCP server's request path (src/serve/mcp.c): bytes in,
 * answers out, never a crash, a leak, or an answer that is not one valid
 * JSON text on one line.
 *
 * Each input is lines fed to mcp_handle_line as if read from stdin. The
 * first byte picks the protocol version the server is initialized with
 * (or none), so batches, tools/list and tools/call are reached; tool calls
 * run synchronously (no worker thread) in one VM kept across inputs, under
 * a 200 ms wall limit and small output and filesystem limits.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/mcp.h"

static vos_vm *vm;

static void check(int ok)
{
    if (!ok) __builtin_trap();
}

static void on_answer(void *ud, const char *msg, size_t len)
{
    (void)ud;
    check(len > 0 && !memchr(msg, '\n', len));
    json_error_t e;
    json_t *j = json_loadb(msg, len, 0, &e);
    check(j != NULL);
    check(json_is_object(j) || json_is_array(j));
    json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const versions[] = {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25",
                                           "1.0"};
    if (!vm) {
        vos_config cfg = {0};
        cfg.limits.wall_ms = 200;
        cfg.limits.output_bytes = 1 << 20;
        cfg.limits.fs_bytes = 16 << 20;
        cfg.limits.processes = 32;
        vm = vos_new(&cfg);
        check(vm != NULL);
    }
    struct mcp_config mc = {0};
    mc.output_limit = 4096;
    mc.max_line = 1 << 16;
    struct mcp *s = mcp_new(vm, &mc, on_answer, NULL);
    check(s != NULL);
    if (size && data[0] % 6 < 5) {
        char init[256];
        int n = snprintf(init, sizeof init,
                         "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
                         "{\"protocolVersion\":\"%s\",\"capabilities\":{}}}",
                         versions[data[0] % 6 % 5]);
        mcp_handle_line(s, init, (size_t)n);
    }
    size_t start = size ? 1 : 0;
    for (size_t i = start; i <= size; i++) {
        if (i < size && data[i] != '\n') continue;
        if (i - start > mc.max_line)
            mcp_line_too_long(s, i - start);
        else
            mcp_handle_line(s, (const char *)data + start, i - start);
        start = i + 1;
    }
    mcp_free(s, 0);
    return 0;
}
