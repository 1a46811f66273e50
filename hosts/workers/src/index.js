// The artifacts git smart-HTTP server as a Cloudflare Worker. Each repository is one Durable Object
// (`Repository`, `env.REPOSITORIES.idFromName(NAME)`) that stores objects and refs in its SQLite and
// runs the git engine (a Wasm module) against them. This Worker only routes, authenticates and
// forwards; see README.md.

import { route } from "./route.js";
import { authorize, authorizeAdmin } from "./auth.js";

export { Repository } from "./repository.js";

const text = (status, message) =>
  new Response(`${message}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

export default {
  /** @param {Request} request */
  async fetch(request, env) {
    const url = new URL(request.url);
    const r = route(request.method, url);
    if (r.error) return text(r.error, r.message);

    let denied;
    let target;
    if (r.kind === "admin") {
      denied = authorizeAdmin(request, env);
      target = `https://repository/admin/${r.action}${url.search}`;
    } else {
      denied = await authorize(request, env, { repo: r.repo, service: r.service, write: r.service === "git-receive-pack" });
      target = `https://repository/${r.action}/${r.service}`;
    }
    if (denied) return denied;

    const headers = new Headers(request.headers);
    headers.set("X-Artifacts-Repo", r.repo);
    headers.set("X-Artifacts-Auto-Create", env.AUTO_CREATE === "1" ? "1" : "0");
    const stub = env.REPOSITORIES.get(env.REPOSITORIES.idFromName(r.repo));
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    return stub.fetch(new Request(target, { method: request.method, headers, body: hasBody ? request.body : null }));
  },
};
