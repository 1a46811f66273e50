// `npm start`: the Worker and its Durable Objects in workerd (through Miniflare) on
// 127.0.0.1:$PORT (default 8787), storage persisted under $DATA_DIR (default .data/).
// AUTO_CREATE=1 lets a push create a missing repository.

import { Miniflare } from "miniflare";
import { checkBuilt, miniflareOptions } from "./config.mjs";

checkBuilt();
const port = Number(process.env.PORT || 8787);
const dataDir = process.env.DATA_DIR;
const autoCreate = process.env.AUTO_CREATE === "1";
const mf = new Miniflare(miniflareOptions({ port, dataDir, autoCreate }));
const url = await mf.ready;
console.log(`artifacts (workerd) listening on ${url.href.replace(/\/$/, "")}${autoCreate ? " (auto-create on push)" : ""}`);
console.log(`create a repository: npm run repo -- create NAME; clone: git clone ${url.href}NAME.git`);

let stopping = false;
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    await mf.dispose();
    process.exit(0);
  });
}
