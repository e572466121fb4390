// mcp.test.mjs — drives `vos mcp` (argv[2]: the vos binary) with the
// official MCP TypeScript SDK client and over raw stdio. Prints TAP.
//
// Part 1 (SDK: Client + StdioClientTransport): handshake, listing, each
// tool's success and failure paths, cancellation of `sleep 100`, 100
// concurrent calls. Part 2 (raw lines on the server's stdin): a table of
// malformed and unusual messages, each followed by a ping that must still
// be answered; batches; version negotiation; cancellation; a clean exit.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const vos = process.argv[2];
let n = 0, failed = 0;
function ok(cond, name, ...diag) {
  n++;
  if (cond) console.log(`ok ${n} - ${name}`);
  else {
    failed++;
    console.log(`not ok ${n} - ${name}`);
    for (const d of diag) for (const l of String(d).split("\n")) console.log(`# ${l}`);
  }
}
const text = (r) => (r && r.content && r.content[0] && r.content[0].text) || "";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- part 1: the SDK client ------------------------------------------------
const host = mkdtempSync(join(tmpdir(), "vos-mcp-"));
mkdirSync(join(host, "src"));
writeFileSync(join(host, "README.md"), "# project\nhello world\n");
writeFileSync(join(host, "src", "main.c"), "int main(void)\n{\n    return 0;\n}\n");

const transport = new StdioClientTransport({
  command: vos,
  args: ["mcp", "--root", host, "--env", "GREETING=hey"],
  stderr: "pipe",
});
let stderr = "";
transport.stderr?.on("data", (d) => (stderr += d));
const client = new Client({ name: "vos-test", version: "1.0.0" });
async function call(name, args, opts) {
  return client.callTool({ name, arguments: args }, undefined, opts);
}
async function expectTool(name, args, isError, check, label, c = call) {
  let r, e;
  try {
    r = await c(name, args);
  } catch (err) {
    e = err;
  }
  const good = !e && !!r.isError === isError && (!check || check(text(r)));
  ok(good, label, e ? `threw: ${e}` : `isError=${r.isError} text=${JSON.stringify(text(r)).slice(0, 600)}`);
  return r;
}

// grep, through whatever engine the server uses (tag names it)
async function grepTests(c, tag) {
  const ex = (args, isError, check, label) => expectTool("grep", args, isError, check, `grep${tag}: ${label}`, c);
  await c("write", { path: "/tmp/s/one.py", content: "import os\nprint('Hello')\nx = 1\n" });
  await c("write", { path: "/tmp/s/two.txt", content: "hello there\nnothing\nhello again\n" });
  await c("write", { path: "/tmp/s/sub/three.py", content: "def hello():\n    pass\n" });
  await c("bash", { command: "cd /tmp/s" });
  await ex({ pattern: "hello" }, false, (t) => t.split("\n").filter(Boolean).sort().join(",") ===
    "/tmp/s/sub/three.py,/tmp/s/two.txt", "files_with_matches (default), relative to the cwd");
  await ex({ pattern: "hello", case_insensitive: true, output_mode: "count", path: "/tmp/s" }, false,
    (t) => t.split("\n").filter(Boolean).sort().join(",") === "/tmp/s/one.py:1,/tmp/s/sub/three.py:1,/tmp/s/two.txt:2",
    "count, case_insensitive");
  await ex({ pattern: "^hel+o", path: "/tmp/s/two.txt", output_mode: "content" }, false,
    (t) => t === "/tmp/s/two.txt:1:hello there\n/tmp/s/two.txt:3:hello again\n", "content with line numbers (ERE)");
  await ex({ pattern: "nothing", path: "/tmp/s/two.txt", output_mode: "content", context: 1 }, false,
    (t) => t === "/tmp/s/two.txt-1-hello there\n/tmp/s/two.txt:2:nothing\n/tmp/s/two.txt-3-hello again\n", "context lines");
  await ex({ pattern: "hello", glob: "*.py", path: "/tmp/s" }, false, (t) => t === "/tmp/s/sub/three.py\n", "glob filter");
  await ex({ pattern: "it's \"quoted\" $(x) `y`", path: "/tmp/s" }, false, (t) => t.startsWith("No matches"),
    "shell characters in the pattern are data");
  await ex({ pattern: "zzz" }, false, (t) => t.startsWith("No matches"), "no match");
  await ex({ pattern: "a(" }, true, null, "invalid regular expression");
  await ex({ pattern: "x", path: "/nope" }, true, null, "missing path");
  await ex({ pattern: "x", output_mode: "lines" }, true, (t) => t.includes("output_mode"), "bad output_mode");
}

try {
  await client.connect(transport);
  const info = client.getServerVersion();
  ok(info && info.name === "vos", "handshake: serverInfo.name is vos", JSON.stringify(info));
  ok(client.getServerCapabilities()?.tools, "handshake: tools capability");
  ok(typeof client.getInstructions() === "string", "handshake: instructions");
  await client.ping();
  ok(true, "ping");

  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name).sort().join(",");
  ok(names === "bash,edit,glob,grep,list,read,write", "tools/list names", names);
  ok(tools.every((t) => t.inputSchema.type === "object" && t.description.length > 20 &&
    Object.values(t.inputSchema.properties).every((p) => p.description)),
    "every tool has a schema with described properties");
  const ann = Object.fromEntries(tools.map((t) => [t.name, t.annotations]));
  ok(["read", "list", "glob", "grep"].every((k) => ann[k].readOnlyHint === true) &&
    ["bash", "write", "edit"].every((k) => ann[k].readOnlyHint === false && ann[k].destructiveHint === true) &&
    ann.write.idempotentHint === true && ann.bash.idempotentHint === false,
    "annotations: readOnlyHint/destructiveHint/idempotentHint", JSON.stringify(ann));

  // bash
  await expectTool("bash", { command: "echo hi" }, false, (t) => t === "hi\n", "bash: echo hi");
  await expectTool("bash", { command: "pwd" }, false, (t) => t === "/workspace\n", "bash: starts in --root");
  await expectTool("bash", { command: "echo $GREETING" }, false, (t) => t === "hey\n", "bash: --env reaches the VM");
  await expectTool("bash", { command: "cd src && X=42 && f() { echo fn$1; }" }, false, null, "bash: set state");
  await expectTool("bash", { command: "pwd; echo $X; f 1" }, false, (t) => t === "/workspace/src\n42\nfn1\n",
    "bash: cwd, variables and functions persist");
  await expectTool("bash", { command: "echo out; echo err >&2; exit 3" }, true,
    (t) => t === "out\n[stderr]\nerr\n[exit status 3]", "bash: stderr and exit status (isError)");
  await expectTool("bash", { command: "true" }, false, (t) => t === "(no output)", "bash: no output");
  const t0 = Date.now();
  await expectTool("bash", { command: "sleep 10", timeout_ms: 300 }, true,
    (t) => t.includes("[exit status 124: timed out]"), "bash: timeout_ms ends the command (124)");
  ok(Date.now() - t0 < 5000, "bash: timeout is prompt", `${Date.now() - t0} ms`);
  await expectTool("bash", { command: "seq 1 200000" }, false,
    (t) => t.startsWith("1\n2\n3\n") && t.endsWith("199999\n200000\n") && /output truncated: 1288895 bytes/.test(t) &&
      t.length < 31000, "bash: long output keeps head and tail with a marker");
  await expectTool("bash", { command: "printf '\\xff\\xfeab'" }, false, (t) => t === "\ufffd\ufffdab",
    "bash: invalid UTF-8 is replaced, not dropped");
  await expectTool("bash", { command: "echo $X", restart: true }, false,
    (t) => t === "[the shell session was restarted]\n\n", "bash: restart forgets variables");
  await expectTool("bash", { command: "pwd" }, false, (t) => t === "/workspace\n", "bash: restart returns to the start cwd");
  await expectTool("bash", {}, true, (t) => t.includes("missing required argument 'command'"), "bash: missing command");
  await expectTool("bash", { command: 5 }, true, (t) => t.includes("must be a string"), "bash: command of the wrong type");
  await expectTool("bash", { command: "true", timeout_ms: "x" }, true, (t) => t.includes("must be an integer"),
    "bash: timeout_ms of the wrong type");
  await expectTool("bash", { command: "true", timeout_ms: 0 }, true, (t) => t.includes("between"), "bash: timeout_ms out of range");
  await expectTool("bash", { command: "true", bogus: 1 }, true, (t) => t.includes("unknown argument 'bogus'"),
    "bash: unknown argument");

  // write / read
  await expectTool("write", { path: "new/dir/a.txt", content: "one\ntwo\nthree\n" }, false,
    (t) => t === "Created /workspace/new/dir/a.txt (14 bytes)", "write: creates parents (relative to cwd)");
  await expectTool("write", { path: "/workspace/new/dir/a.txt", content: "one\ntwo\nthree\nfour\n" }, false,
    (t) => t.startsWith("Overwrote"), "write: overwrites");
  ok(!readFileSync(join(host, "README.md"), "utf8").includes("x") && true, "write: the host tree is untouched (overlay)");
  await expectTool("write", { path: "/workspace/src", content: "x" }, true, (t) => t.includes("is a directory"),
    "write: onto a directory fails");
  await expectTool("write", { path: "/proc/nope/x", content: "x" }, true, null, "write: where it cannot fails");
  await expectTool("write", { path: "a" }, true, (t) => t.includes("'content'"), "write: missing content");
  await expectTool("read", { path: "new/dir/a.txt" }, false,
    (t) => t === "     1\tone\n     2\ttwo\n     3\tthree\n     4\tfour\n", "read: numbered lines like cat -n");
  await expectTool("read", { path: "new/dir/a.txt", offset: 2, limit: 2 }, false,
    (t) => t === "     2\ttwo\n     3\tthree\n[showing lines 2-3 of 4; continue with offset=4]\n", "read: offset and limit page by lines");
  await expectTool("read", { path: "new/dir/a.txt", offset: 9 }, true, (t) => t.includes("past the end"), "read: offset past the end");
  await expectTool("read", { path: "nope.txt" }, true, (t) => t.includes("no such file"), "read: missing file");
  await expectTool("read", { path: "/workspace" }, true, (t) => t.includes("is a directory"), "read: a directory");
  await call("bash", { command: "printf 'a\\0b\\1' > /tmp/bin; : > /tmp/empty" });
  await expectTool("read", { path: "/tmp/bin" }, false, (t) => t.includes("binary file of 4 bytes"), "read: binary files are described");
  await expectTool("read", { path: "/tmp/empty" }, false, (t) => t.includes("is empty"), "read: empty file");
  await expectTool("read", { path: "README.md", limit: 0 }, true, null, "read: limit 0 is refused");
  await expectTool("read", { path: 7 }, true, null, "read: path of the wrong type");

  // edit
  await call("write", { path: "/tmp/e.txt", content: "alpha beta\nbeta gamma\n" });
  await expectTool("edit", { path: "/tmp/e.txt", old_string: "alpha", new_string: "ALPHA" }, false,
    (t) => t.includes("replaced 1 occurrence (first at line 1)"), "edit: unique replacement");
  await expectTool("edit", { path: "/tmp/e.txt", old_string: "beta", new_string: "B" }, true,
    (t) => t.includes("occurs 2 times"), "edit: not unique fails");
  await expectTool("edit", { path: "/tmp/e.txt", old_string: "delta", new_string: "D" }, true,
    (t) => t.includes("not found"), "edit: missing old_string fails");
  await expectTool("edit", { path: "/tmp/e.txt", old_string: "beta", new_string: "B", replace_all: true }, false,
    (t) => t.includes("replaced 2 occurrences"), "edit: replace_all");
  await expectTool("read", { path: "/tmp/e.txt" }, false, (t) => t === "     1\tALPHA B\n     2\tB gamma\n", "edit: the file holds the edits");
  await expectTool("edit", { path: "/tmp/e.txt", old_string: "", new_string: "x" }, true, null, "edit: empty old_string fails");
  await expectTool("edit", { path: "/tmp/e.txt", old_string: "B", new_string: "B" }, true, null, "edit: identical strings fail");
  await expectTool("edit", { path: "/tmp/none", old_string: "a", new_string: "b" }, true,
    (t) => t.includes("no such file"), "edit: missing file fails");

  // list
  await expectTool("list", {}, false, (t) => t === "/workspace/\n  README.md\n  new/\n  src/\n", "list: the cwd");
  await expectTool("list", { path: "/workspace", depth: 3 }, false,
    (t) => t.includes("  new/\n    dir/\n      a.txt\n") && t.includes("  src/\n    main.c\n"), "list: depth");
  await expectTool("list", { path: "/nope" }, true, (t) => t.includes("no such file"), "list: missing directory");
  await expectTool("list", { path: "README.md" }, true, (t) => t.includes("Not a directory"), "list: a file");
  await expectTool("list", { depth: 99 }, true, null, "list: depth out of range");

  // glob
  await call("bash", { command: "mkdir -p /tmp/g/a/b && cd /tmp/g" });
  for (const f of ["/tmp/g/old.c", "/tmp/g/a/mid.h", "/tmp/g/a/b/new.c", "/tmp/g/a/b/skip.txt"]) {
    await call("write", { path: f, content: f });
    await sleep(15);
  }
  await expectTool("glob", { pattern: "**/*.c" }, false, (t) => t === "/tmp/g/a/b/new.c\n/tmp/g/old.c\n",
    "glob: ** and newest first (relative to the session cwd)");
  await expectTool("glob", { pattern: "**/*.{c,h}", path: "/tmp/g" }, false,
    (t) => t === "/tmp/g/a/b/new.c\n/tmp/g/a/mid.h\n/tmp/g/old.c\n", "glob: {a,b} alternatives");
  await expectTool("glob", { pattern: "/tmp/g/a/*/*.txt" }, false, (t) => t === "/tmp/g/a/b/skip.txt\n", "glob: absolute pattern");
  await expectTool("glob", { pattern: "*.zzz" }, false, (t) => t.startsWith("No files match"), "glob: no match");
  await expectTool("glob", { pattern: "*", path: "/nope" }, true, null, "glob: missing directory");
  await expectTool("glob", { pattern: "" }, true, null, "glob: empty pattern");

  await grepTests(call, "");

  // unknown tool: a protocol error
  let err;
  try { await call("nope", {}); } catch (e) { err = e; }
  ok(err && /Unknown tool/.test(String(err)) && err.code === -32602, "unknown tool: JSON-RPC error -32602", String(err));

  // cancellation of sleep 100
  const ac = new AbortController();
  const started = Date.now();
  const p = call("bash", { command: "sleep 100; echo never" }, { signal: ac.signal }).then(
    () => "resolved", (e) => "rejected:" + e);
  await sleep(300);
  ac.abort("test");
  const outcome = await p;
  ok(outcome.startsWith("rejected"), "cancel: the call is aborted", outcome);
  const r = await call("bash", { command: "echo after" });
  ok(text(r) === "after\n" && Date.now() - started < 5000, "cancel: sleep 100 ends promptly and the VM is free",
    `${Date.now() - started} ms, ${text(r)}`);

  // 100 concurrent calls
  const t1 = Date.now();
  const many = await Promise.all(Array.from({ length: 100 }, (_, i) =>
    call(i % 2 ? "bash" : "read", i % 2 ? { command: `echo ${i}` } : { path: "/workspace/README.md" })));
  ok(many.every((m, i) => i % 2 ? text(m) === `${i}\n` : text(m).includes("hello world")),
    "100 concurrent calls each get their own answer", `${Date.now() - t1} ms`);
  await client.close();

  // the built-in search (for VMs without rg or grep)
  const t2 = new StdioClientTransport({ command: vos, args: ["mcp"], env: { VOS_MCP_GREP: "builtin" } });
  const c2 = new Client({ name: "vos-test-2", version: "1.0.0" });
  await c2.connect(t2);
  await grepTests((name, args) => c2.callTool({ name, arguments: args }), " (built in)");
  await c2.close();
} catch (e) {
  ok(false, "SDK part ran to the end", e && e.stack, stderr);
}

// ---- part 2: raw stdio -------------------------------------------------------
function rawServer(args = []) {
  const child = spawn(vos, ["mcp", ...args], { stdio: ["pipe", "pipe", "pipe"] });
  const lines = [], waiters = [];
  let buf = "", err = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
      for (const w of waiters.splice(0)) w();
    }
  });
  child.stderr.on("data", (d) => (err += d));
  const exited = new Promise((res) => child.on("exit", (code, sig) => res({ code, sig })));
  child.stdin.on("error", () => {});
  return {
    child, exited, stderr: () => err,
    send(s) { child.stdin.write(s + "\n"); },
    // the next message (parsed), or null after ms
    async next(ms = 5000) {
      const end = Date.now() + ms;
      while (!lines.length) {
        const left = end - Date.now();
        if (left <= 0) return null;
        await Promise.race([new Promise((r) => waiters.push(r)), sleep(left)]);
      }
      const l = lines.shift();
      try { return JSON.parse(l); } catch { return { unparsable: l }; }
    },
    pending() { return lines.length; },
  };
}
const init = (v, id = 0) => JSON.stringify({ jsonrpc: "2.0", id, method: "initialize",
  params: { protocolVersion: v, capabilities: {}, clientInfo: { name: "raw", version: "0" } } });

try {
  const s = rawServer();
  s.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }));
  let m = await s.next();
  ok(m && m.error && m.error.code === -32600 && /not initialized/.test(m.error.message), "raw: tools/list before initialize", JSON.stringify(m));
  s.send(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "ping" }));
  m = await s.next();
  ok(m && m.id === 2 && m.result, "raw: ping before initialize", JSON.stringify(m));
  s.send(init("1999-01-01"));
  m = await s.next();
  ok(m && m.result && m.result.protocolVersion === "2025-11-25", "raw: unknown version gets the newest", JSON.stringify(m));
  s.send(init("2025-06-18", 3));
  m = await s.next();
  ok(m && m.error && m.error.code === -32600, "raw: a second initialize is refused", JSON.stringify(m));
  s.send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));

  const big = "x".repeat(10 << 20);
  const table = [
    ["invalid JSON", "garbage", -32700],
    ["truncated JSON", '{"jsonrpc":"2.0","id":1', -32700],
    ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), -32700],
    ["NUL byte", Buffer.from('{"jsonrpc":"2.0",\0"id":1}'), -32700],
    ["deep nesting", "[".repeat(100000) + "]".repeat(100000), -32700],
    ["a number", "42", -32600],
    ["a string", '"ping"', -32600],
    ["null", "null", -32600],
    ["a batch after 2025-06-18", '[{"jsonrpc":"2.0","id":1,"method":"ping"}]', -32600],
    ["wrong jsonrpc", '{"jsonrpc":"1.0","id":1,"method":"ping"}', -32600],
    ["missing jsonrpc", '{"id":1,"method":"ping"}', -32600],
    ["object id", '{"jsonrpc":"2.0","id":{},"method":"ping"}', -32600],
    ["null id", '{"jsonrpc":"2.0","id":null,"method":"ping"}', -32600],
    ["fractional id", '{"jsonrpc":"2.0","id":1.5,"method":"ping"}', -32600],
    ["method not a string", '{"jsonrpc":"2.0","id":1,"method":5}', -32600],
    ["unknown method", '{"jsonrpc":"2.0","id":1,"method":"resources/list"}', -32601],
    ["params an array", '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":[]}', -32602],
    ["tools/call without params", '{"jsonrpc":"2.0","id":1,"method":"tools/call"}', -32602],
    ["tool name not a string", '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":5}}', -32602],
    ["unknown tool", '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"rm_rf"}}', -32602],
    ["arguments not an object", '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"bash","arguments":[1]}}', -32602],
    ["bad cursor", '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":5}}', -32602],
    ["wrong argument type", '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read","arguments":{"path":[]}}}', "isError"],
    ["10 MiB command", JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call",
      params: { name: "bash", arguments: { command: ": " + big } } }), "result"],
    ["huge line over the limit", "y".repeat(65 << 20), -32600],
    ["unknown notification", '{"jsonrpc":"2.0","method":"notifications/whatever","params":{}}', null],
    ["notification with bad params", '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":{}}}', null],
    ["a response from the client", '{"jsonrpc":"2.0","id":77,"result":{}}', null],
    ["blank line", "   ", null],
  ];
  let pingId = 1000;
  for (const [name, line, want] of table) {
    s.child.stdin.write(line);
    s.child.stdin.write("\n");
    let got = null;
    if (want !== null) got = await s.next(20000);
    const pid = ++pingId;
    s.send(JSON.stringify({ jsonrpc: "2.0", id: pid, method: "ping" }));
    const pong = await s.next(20000);
    let good;
    if (want === null) good = pong && pong.id === pid;
    else if (want === "isError") good = got && got.result && got.result.isError === true;
    else if (want === "result") good = got && got.result && got.result.isError === false;
    else good = got && got.error && got.error.code === want && typeof got.error.message === "string";
    ok(good && pong && pong.id === pid, `raw: ${name} → ${want === null ? "no answer" : want}, server alive`,
      `got ${JSON.stringify(got)?.slice(0, 300)}`, `pong ${JSON.stringify(pong)}`);
  }

  // cancellation over raw stdio: no answer for the cancelled call
  const c0 = Date.now();
  s.send(JSON.stringify({ jsonrpc: "2.0", id: "slow", method: "tools/call", params: { name: "bash", arguments: { command: "sleep 100" } } }));
  s.send(JSON.stringify({ jsonrpc: "2.0", id: "queued", method: "tools/call", params: { name: "bash", arguments: { command: "echo queued" } } }));
  await sleep(200);
  s.send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: "queued", reason: "x" } }));
  s.send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: "slow", reason: "x" } }));
  s.send(JSON.stringify({ jsonrpc: "2.0", id: "next", method: "tools/call", params: { name: "bash", arguments: { command: "echo next" } } }));
  m = await s.next(10000);
  ok(m && m.id === "next" && m.result.content[0].text === "next\n" && Date.now() - c0 < 5000,
    "raw: cancelled calls (running and queued) get no answer; the next runs at once", JSON.stringify(m), `${Date.now() - c0} ms`);
  s.child.stdin.end();
  const ex = await Promise.race([s.exited, sleep(10000).then(() => null)]);
  ok(ex && ex.code === 0 && s.pending() === 0, "raw: EOF on stdin ends the server with status 0", JSON.stringify(ex), s.stderr().slice(-2000));

  // batches under 2025-03-26
  const b = rawServer();
  b.send(init("2025-03-26"));
  m = await b.next();
  ok(m && m.result.protocolVersion === "2025-03-26", "raw: 2025-03-26 is answered as asked", JSON.stringify(m));
  b.send(JSON.stringify([
    { jsonrpc: "2.0", id: "a", method: "ping" },
    { jsonrpc: "2.0", method: "notifications/initialized" },
    { jsonrpc: "2.0", id: "b", method: "tools/call", params: { name: "bash", arguments: { command: "echo batched" } } },
    { jsonrpc: "2.0", id: "c", method: "nope" },
    7,
  ]));
  m = await b.next();
  const ids = Array.isArray(m) ? m.map((x) => x.id).sort((x, y) => String(x).localeCompare(String(y))) : [];
  ok(Array.isArray(m) && m.length === 4 && JSON.stringify(ids) === '["a","b","c",null]' &&
    m.find((x) => x.id === "b").result.content[0].text === "batched\n" && m.find((x) => x.id === "c").error.code === -32601,
    "raw: a batch gets one array of answers (notifications have none)", JSON.stringify(m));
  b.send("[]");
  m = await b.next();
  ok(m && m.error && m.error.code === -32600, "raw: an empty batch is invalid", JSON.stringify(m));
  b.send(JSON.stringify([{ jsonrpc: "2.0", method: "notifications/initialized" }]));
  b.send(JSON.stringify({ jsonrpc: "2.0", id: 9, method: "ping" }));
  m = await b.next();
  ok(m && m.id === 9, "raw: a batch of notifications gets no answer", JSON.stringify(m));
  b.child.stdin.end();
  const bx = await Promise.race([b.exited, sleep(10000).then(() => null)]);
  ok(bx && bx.code === 0, "raw: second server exits cleanly", JSON.stringify(bx), b.stderr().slice(-2000));

  // EOF while a call runs: its answer is still written
  const e = rawServer();
  e.send(init("2024-11-05"));
  await e.next();
  e.send(JSON.stringify({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "bash", arguments: { command: "sleep 0.2; echo late" } } }));
  e.child.stdin.end();
  m = await e.next();
  ok(m && m.id === 5 && m.result.content[0].text === "late\n", "raw: calls in flight at EOF still answer", JSON.stringify(m));
  const exx = await Promise.race([e.exited, sleep(10000).then(() => null)]);
  ok(exx && exx.code === 0, "raw: third server exits cleanly", JSON.stringify(exx), e.stderr().slice(-2000));

  // usage errors
  const u = spawn(vos, ["mcp", "--bogus"], { stdio: ["ignore", "pipe", "pipe"] });
  let uerr = "";
  u.stderr.on("data", (d) => (uerr += d));
  const ux = await new Promise((r) => u.on("exit", (code) => r(code)));
  ok(ux === 2 && uerr.includes("unrecognized option '--bogus'"), "cli: vos mcp --bogus is a usage error", uerr);
} catch (e) {
  ok(false, "raw part ran to the end", e && e.stack);
}

rmSync(host, { recursive: true, force: true });
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
