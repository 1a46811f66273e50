// Test-only entry point (test-restart.sh): the production Worker and Durable Object, plus one
// hook to reset a repository's Durable Object while the host process lives. Used only when
// scripts/config.mjs is run with ARTIFACTS_TEST_HOOKS=1, which also sets the TEST_HOOKS binding;
// src/ never imports this file, and wrangler.toml does not name it.
//
// `POST /_test/abort/NAME`: `ctx.abort()` on NAME's Durable Object, which workerd resets: its
// in-memory state (the Wasm engine, sessions) is dropped, requests in flight on it fail, and the
// next request gets a fresh instance over the same SQLite storage.

import worker, { Repository as Production } from "../src/index.js";

export class Repository extends Production {
  async fetch(request) {
    if (new URL(request.url).pathname === "/test-abort" && this.env.TEST_HOOKS === "1") {
      this.ctx.abort("test hook: reset mid-push");
    }
    return super.fetch(request);
  }
}

export default {
  async fetch(request, env, ctx) {
    const m = new URL(request.url).pathname.match(/^\/_test\/abort\/([A-Za-z0-9][A-Za-z0-9._-]{0,62})$/);
    if (m && request.method === "POST" && env.TEST_HOOKS === "1") {
      const stub = env.REPOSITORIES.get(env.REPOSITORIES.idFromName(m[1]));
      try {
        const res = await stub.fetch("https://repository/test-abort", { method: "POST" });
        return new Response(`ctx.abort() did not abort (status ${res.status})\n`, { status: 500 });
      } catch (e) {
        return new Response(`aborted: ${e && e.message ? e.message : e}\n`);
      }
    }
    return worker.fetch(request, env, ctx);
  },
};
