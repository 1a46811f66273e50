// The Miniflare configuration equivalent to wrangler.toml, shared by the local runner (dev.mjs) and
// the repository CLI (repo.mjs). Runs the real workerd runtime.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";

export const HOST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Fail loudly if `npm run build` has not produced what the Worker imports. */
export function checkBuilt() {
  for (const f of ["build/artifacts.wasm", "build/schema.sql"]) {
    if (!existsSync(path.join(HOST_DIR, f))) {
      throw new Error(`${f} is missing in ${HOST_DIR}: run \`npm run build\` first`);
    }
  }
}

/**
 * @param {{port?: number, dataDir?: string, autoCreate?: boolean}} opts
 */
export function miniflareOptions({ port = 8787, dataDir, autoCreate = false } = {}) {
  const persist = path.resolve(dataDir || path.join(HOST_DIR, ".data"));
  // Test only (test-restart.sh): test/hooks.js wraps the Worker with a Durable Object reset hook.
  const testHooks = process.env.ARTIFACTS_TEST_HOOKS === "1";
  return {
    host: "127.0.0.1",
    port,
    modules: true,
    rootPath: HOST_DIR,
    // Module names relative to this directory, whatever the working directory (workerd refuses "..").
    modulesRoot: HOST_DIR,
    scriptPath: path.join(HOST_DIR, testHooks ? "test/hooks.js" : "src/index.js"),
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"], fallthrough: false },
      { type: "CompiledWasm", include: ["**/*.wasm"], fallthrough: false },
      { type: "Text", include: ["**/*.sql"], fallthrough: false },
    ],
    compatibilityDate: "2025-09-01",
    durableObjects: { REPOSITORIES: { className: "Repository", useSQLite: true } },
    durableObjectsPersist: path.join(persist, "do"),
    bindings: {
      AUTO_CREATE: autoCreate ? "1" : "0",
      MAX_PUSH_BYTES: process.env.MAX_PUSH_BYTES || "2147483648",
      // Local runner only (loopback): the admin API is open without a token.
      INSECURE_ADMIN: "1",
      ...(testHooks ? { TEST_HOOKS: "1" } : {}),
    },
  };
}
