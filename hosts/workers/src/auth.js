// Authentication and authorisation: the one place to add them.
//
// `authorize` runs for every git request before it reaches the repository's Durable Object, with
// the parsed route: `{ repo, service, write }` (`write` is true for push, i.e. any
// git-receive-pack request). Return `null` to let the request through, or a `Response` to answer
// instead (401 with `WWW-Authenticate: Basic realm="..."` makes git prompt for credentials; 403
// refuses). The default allows everything: put a check of `request.headers.get("Authorization")`
// against a secret (`env.GIT_TOKEN`, set with `wrangler secret put`) or an Access JWT here.
//
// The admin API (`/_admin/...`) is guarded separately by `authorizeAdmin`: with `env.ADMIN_TOKEN`
// set it requires `Authorization: Bearer <ADMIN_TOKEN>`; without it the admin API is closed unless
// `env.INSECURE_ADMIN` is "1" (the local runner sets that, on loopback only).

/**
 * @param {Request} request
 * @param {object} env
 * @param {{repo: string, service: string, write: boolean}} route
 * @returns {Promise<Response|null>}
 */
export async function authorize(request, env, route) {
  void request, env, route;
  return null;
}

/** @returns {Response|null} */
export function authorizeAdmin(request, env) {
  if (env.ADMIN_TOKEN) {
    if (request.headers.get("Authorization") === `Bearer ${env.ADMIN_TOKEN}`) return null;
    return new Response("admin API: bad or missing bearer token\n", { status: 401 });
  }
  if (env.INSECURE_ADMIN === "1") return null;
  return new Response("admin API disabled: set the ADMIN_TOKEN secret\n", { status: 403 });
}
