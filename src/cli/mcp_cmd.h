/* mcp_cmd.h — `vos mcp`: the command line of the MCP server. */
#ifndef VOS_CLI_MCP_CMD_H
#define VOS_CLI_MCP_CMD_H
#include "cli/options.h"

/* o->argv[0] is "mcp"; the rest are its options. Returns the exit status. */
int cli_mcp(struct cli_opts *o);

#endif
