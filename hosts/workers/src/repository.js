// The Durable Object of one repository (one instance per repository name, `idFromName(NAME)`):
// its SQLite holds the objects and refs (storage.js), its Wasm instance runs the engine
// (engine.js). The Worker (index.js) routes requests here with the action in the URL path.

import { DurableObject } from "cloudflare:workers";
import { RepoStorage } from "./storage.js";
import { Engine, EngineError, Service } from "./engine.js";

/** git http-backend's cap on a negotiation request (`http.maxRequestBuffer`, 10 MiB). */
const MAX_UPLOAD_REQUEST = 10 * 1024 * 1024;
/** Default cap on a (decompressed) push body; env MAX_PUSH_BYTES overrides. */
const DEFAULT_MAX_PUSH = 2 * 1024 * 1024 * 1024;
/** Output bytes produced per `pull()` when the stream has no better hint. */
const POLL_BUDGET = 64 * 1024;

const noCache = (contentType) => ({
  "Content-Type": contentType,
  "Cache-Control": "no-cache, max-age=0, must-revalidate",
  Expires: "Fri, 01 Jan 1980 00:00:00 GMT",
  Pragma: "no-cache",
});

const text = (status, message) =>
  new Response(`${message}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

export class Repository extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.storage = new RepoStorage(ctx.storage);
    this.engine = new Engine(this.storage, ctx.id.toString());
  }

  /**
   * Internal requests from the Worker: `/<action>` with `X-Artifacts-Repo` naming the repository.
   * Actions: `info-refs/<svc>`, `rpc/<svc>`, `admin/create?default_branch=B`, `admin/info`,
   * `admin/delete`.
   */
  async fetch(request) {
    const url = new URL(request.url);
    const [, kind, arg] = url.pathname.split("/");
    const repo = request.headers.get("X-Artifacts-Repo") || "?";
    const autoCreate = request.headers.get("X-Artifacts-Auto-Create") === "1";
    try {
      switch (kind) {
        case "info-refs":
          return this.infoRefs(request, repo, arg, autoCreate);
        case "rpc":
          return await this.rpc(request, repo, arg, autoCreate);
        case "admin":
          return await this.admin(repo, arg, url.searchParams);
        default:
          return text(404, "not found");
      }
    } catch (e) {
      if (e instanceof EngineError) return text(e.httpStatus, e.message);
      console.error(`repository ${repo}:`, e);
      return text(500, `internal error: ${e && e.message ? e.message : e}`);
    }
  }

  /** The repository must exist; a push may create it when auto-create is on. */
  ensure(repo, service, autoCreate) {
    if (this.storage.exists()) return null;
    if (autoCreate && service === "git-receive-pack") {
      this.storage.create("main");
      return null;
    }
    return text(404, `repository ${repo} not found`);
  }

  infoRefs(request, repo, service, autoCreate) {
    const missing = this.ensure(repo, service, autoCreate);
    if (missing) return missing;
    const version = this.engine.protocolVersion(request.headers.get("Git-Protocol"));
    const body = this.engine.advertise(Service[service], version);
    return new Response(request.method === "HEAD" ? null : body, {
      headers: noCache(`application/x-${service}-advertisement`),
    });
  }

  async rpc(request, repo, service, autoCreate) {
    const expected = `application/x-${service}-request`;
    const got = (request.headers.get("Content-Type") || "").trim().toLowerCase();
    if (got !== expected) return text(415, `Content-Type ${JSON.stringify(got || "none")} is not ${expected}`);
    const missing = this.ensure(repo, service, autoCreate);
    if (missing) return missing;

    const engine = this.engine;
    const version = engine.protocolVersion(request.headers.get("Git-Protocol"));
    const limit =
      service === "git-upload-pack" ? MAX_UPLOAD_REQUEST : Number(this.env.MAX_PUSH_BYTES || DEFAULT_MAX_PUSH);
    const handle = engine.sessionNew(Service[service], version);
    let first;
    try {
      await feedBody(engine, handle, request, limit);
      // The first output is produced before answering, so an early failure still gets its status.
      first = engine.sessionPoll(handle, POLL_BUDGET);
    } catch (e) {
      engine.sessionFree(handle);
      throw e;
    }
    let done = !first.more;
    if (done) engine.sessionFree(handle);
    const body = new ReadableStream(
      {
        // Runs only when the client has read what was queued: the engine never runs ahead.
        // One poll becomes one chunk (workerd was seen to reorder several chunks enqueued at once).
        pull(controller) {
          if (first) {
            if (first.bytes.length) controller.enqueue(first.bytes);
            first = null;
            if (done) controller.close();
            return;
          }
          if (done) return;
          try {
            const budget = Math.max(controller.desiredSize || 0, POLL_BUDGET);
            const { bytes, more } = engine.sessionPoll(handle, budget);
            if (bytes.length) controller.enqueue(bytes);
            if (!more) {
              done = true;
              engine.sessionFree(handle);
              controller.close();
            }
          } catch (e) {
            done = true;
            engine.sessionFree(handle);
            console.error(`repository ${repo}: response cut short:`, e.message);
            controller.error(e);
          }
        },
        cancel() {
          if (!done) engine.sessionFree(handle);
          done = true;
        },
      },
      new ByteLengthQueuingStrategy({ highWaterMark: POLL_BUDGET }),
    );
    return new Response(body, { headers: noCache(`application/x-${service}-result`) });
  }

  async admin(repo, action, params) {
    switch (action) {
      case "create": {
        const branch = params.get("default_branch") || "main";
        if (!this.engine.validBranch(branch)) return text(400, `default branch ${JSON.stringify(branch)} is not a valid branch name`);
        if (!this.storage.create(branch)) return text(409, `repository ${repo} already exists`);
        return Response.json({ name: repo, head: `refs/heads/${branch}` }, { status: 201 });
      }
      case "info": {
        if (!this.storage.exists()) return text(404, `repository ${repo} not found`);
        const head = this.storage.readRef("HEAD");
        return Response.json({
          name: repo,
          head: head && head.symref,
          ...this.storage.stats(),
          wasmMemoryBytes: this.engine.memoryBytes(),
          wasmMemoryPeakBytes: this.engine.peakMemory,
        });
      }
      case "delete": {
        if (!this.storage.exists()) return text(404, `repository ${repo} not found`);
        this.engine.reset();
        await this.storage.destroy();
        // Recreate the (empty) tables so this object can serve again.
        this.storage = new RepoStorage(this.ctx.storage);
        this.engine = new Engine(this.storage, this.ctx.id.toString());
        return text(200, `repository ${repo} deleted`);
      }
      default:
        return text(404, "unknown admin action");
    }
  }
}

/**
 * Feed the request body into a session as it arrives (gunzipping `Content-Encoding: gzip`),
 * stopping at `limit` decompressed bytes.
 */
async function feedBody(engine, handle, request, limit) {
  let stream = request.body;
  const encoding = (request.headers.get("Content-Encoding") || "").trim().toLowerCase();
  if (stream && (encoding === "gzip" || encoding === "x-gzip")) {
    stream = stream.pipeThrough(new DecompressionStream("gzip"));
  } else if (encoding && encoding !== "identity") {
    throw new EngineError(2, `unsupported Content-Encoding ${JSON.stringify(encoding)}`);
  }
  let total = 0;
  if (stream) {
    const reader = stream.getReader();
    for (;;) {
      let next;
      try {
        next = await reader.read();
      } catch (e) {
        throw new EngineError(2, `reading the request body failed: ${e && e.message ? e.message : e}`);
      }
      if (next.done) break;
      const chunk = next.value instanceof Uint8Array ? next.value : new Uint8Array(next.value);
      total += chunk.length;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        throw new EngineError(3, `request body over ${limit} bytes`);
      }
      engine.sessionInput(handle, chunk);
    }
  }
  engine.sessionInputEnd(handle);
}
