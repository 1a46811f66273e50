// Request routing (gitprotocol-http "Smart Clients"), as on the native server:
// `GET /<repo>/info/refs?service=<svc>` and `POST /<repo>/<svc>`, where `<repo>` is `NAME.git` or
// `NAME`; and the admin API `/_admin/repos/NAME` (POST create, GET info, DELETE).

/** Repository names: letters, digits, `.`, `_`, `-`; at most 63 bytes; starting with a letter or digit. */
export const REPO_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const SERVICES = new Set(["git-upload-pack", "git-receive-pack"]);

/** A route: {kind: "git", repo, service, action: "info-refs"|"rpc"} or {kind: "admin", repo, action}; or {error: status, message}. */
export function route(method, url) {
  const path = url.pathname;
  const admin = path.match(/^\/_admin\/repos\/([^/]+)$/);
  if (admin) {
    const action = { POST: "create", PUT: "create", GET: "info", DELETE: "delete" }[method];
    if (!action) return { error: 405, message: `method ${method} not allowed on ${path}` };
    return checkName(admin[1], { kind: "admin", action });
  }
  let repo, service, action, allowed;
  if (path.endsWith("/info/refs")) {
    repo = path.slice(1, -"/info/refs".length);
    service = url.searchParams.get("service");
    if (service === null) return { error: 404, message: notFound };
    if (!SERVICES.has(service)) return { error: 403, message: `unsupported service ${JSON.stringify(service)}` };
    action = "info-refs";
    allowed = "GET";
  } else {
    const slash = path.lastIndexOf("/");
    service = path.slice(slash + 1);
    if (slash <= 0 || !SERVICES.has(service)) return { error: 404, message: notFound };
    repo = path.slice(1, slash);
    action = "rpc";
    allowed = "POST";
  }
  if (method !== allowed && !(allowed === "GET" && method === "HEAD")) {
    return { error: 405, message: `method ${method} not allowed on ${path}, use ${allowed}` };
  }
  if (repo.endsWith(".git")) repo = repo.slice(0, -4);
  return checkName(repo, { kind: "git", service, action });
}

const notFound =
  "not found (only the smart HTTP protocol is served: /NAME.git/info/refs?service=..., /NAME.git/git-upload-pack, /NAME.git/git-receive-pack)";

function checkName(name, r) {
  let decoded;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    decoded = name;
  }
  if (!REPO_NAME.test(name) || decoded !== name) {
    return { error: 400, message: `bad repository name ${JSON.stringify(decoded)}: letters, digits, '.', '_', '-', at most 63 bytes, starting with a letter or digit` };
  }
  return { ...r, repo: name };
}
