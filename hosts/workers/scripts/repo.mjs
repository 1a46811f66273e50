// `npm run repo -- create NAME [--default-branch B] | info NAME | delete NAME`
// Manages repositories through the admin API of a running host ($ARTIFACTS_URL, default
// http://127.0.0.1:$PORT with PORT 8787; `Authorization: Bearer $ADMIN_TOKEN` if set). With no host
// running on a loopback URL, starts the Worker in-process on $DATA_DIR for the one command.

import { Miniflare } from "miniflare";
import { checkBuilt, miniflareOptions } from "./config.mjs";

const usage = "usage: npm run repo -- create NAME [--default-branch BRANCH] | info NAME | delete NAME";

function parse(argv) {
  const [cmd, name, ...rest] = argv;
  if (!cmd || !name || !["create", "info", "delete"].includes(cmd)) throw new Error(usage);
  let branch = null;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--default-branch" && cmd === "create" && rest[i + 1]) branch = rest[++i];
    else throw new Error(`unexpected argument ${JSON.stringify(rest[i])}\n${usage}`);
  }
  return { cmd, name, branch };
}

async function main() {
  const { cmd, name, branch } = parse(process.argv.slice(2));
  const method = { create: "POST", info: "GET", delete: "DELETE" }[cmd];
  const base = process.env.ARTIFACTS_URL || `http://127.0.0.1:${process.env.PORT || 8787}`;
  const query = branch ? `?default_branch=${encodeURIComponent(branch)}` : "";
  const pathAndQuery = `/_admin/repos/${encodeURIComponent(name)}${query}`;
  const headers = process.env.ADMIN_TOKEN ? { Authorization: `Bearer ${process.env.ADMIN_TOKEN}` } : {};
  let res;
  try {
    res = await fetch(base + pathAndQuery, { method, headers });
  } catch (e) {
    if (!/^http:\/\/(127\.|localhost|\[::1\])/.test(base)) throw e;
    // No host running: run the Worker in-process on the same storage for this one request.
    checkBuilt();
    const mf = new Miniflare({ ...miniflareOptions({ dataDir: process.env.DATA_DIR }), port: 0 });
    try {
      res = await mf.dispatchFetch(`http://127.0.0.1${pathAndQuery}`, { method, headers });
      res = { status: res.status, ok: res.ok, text: await res.text() };
    } finally {
      await mf.dispose();
    }
  }
  const body = typeof res.text === "function" ? await res.text() : res.text;
  (res.ok ? process.stdout : process.stderr).write(body.endsWith("\n") ? body : `${body}\n`);
  process.exit(res.ok ? 0 : 1);
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(2);
});
