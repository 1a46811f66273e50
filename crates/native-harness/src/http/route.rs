//! Request routing (gitprotocol-http "Smart Clients"): `GET /<repo>/info/refs?service=<svc>` and
//! `POST /<repo>/<svc>`, where `<repo>` is `NAME.git` or `NAME`. Every other path (the dumb HTTP
//! protocol's `objects/...`, `HEAD`, ...) is not served.

use crate::repo_name::{RepoName, RepoNameError};
use protocol::Service;

/// What a request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `GET .../info/refs?service=<svc>`: the ref advertisement.
    InfoRefs(Service),
    /// `POST .../<svc>`: one stateless RPC exchange.
    Rpc(Service),
}

/// A routed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub repo: RepoName,
    pub action: Action,
}

/// A request that is not routed; each maps to one HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    #[error("not found (only the smart HTTP protocol is served: /NAME.git/info/refs?service=..., /NAME.git/git-upload-pack, /NAME.git/git-receive-pack)")]
    NotFound,
    #[error("bad repository name: {0}")]
    BadName(#[from] RepoNameError),
    #[error("unsupported service {0:?}")]
    UnsupportedService(String),
    #[error("method {method} not allowed on {path}, use {allowed}")]
    Method { method: String, path: String, allowed: &'static str },
}

impl RouteError {
    /// The HTTP status (403 for an unknown service as git's http-backend answers).
    pub fn status(&self) -> u16 {
        match self {
            RouteError::NotFound => 404,
            RouteError::BadName(_) => 400,
            RouteError::UnsupportedService(_) => 403,
            RouteError::Method { .. } => 405,
        }
    }
}

/// Route `method` and `url` (path plus optional query, as in the request line).
pub fn route(method: &str, url: &str) -> Result<Route, RouteError> {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let path = path.strip_prefix('/').ok_or(RouteError::NotFound)?;
    let (repo, action, allowed) = if let Some(repo) = path.strip_suffix("/info/refs") {
        let service = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("service="))
            .ok_or(RouteError::NotFound)?;
        let service = Service::from_name(service.as_bytes())
            .ok_or_else(|| RouteError::UnsupportedService(service.to_owned()))?;
        (repo, Action::InfoRefs(service), "GET")
    } else if let Some((repo, svc)) = path.rsplit_once('/') {
        match Service::from_name(svc.as_bytes()) {
            Some(service) => (repo, Action::Rpc(service), "POST"),
            None => return Err(RouteError::NotFound),
        }
    } else {
        return Err(RouteError::NotFound);
    };
    if method != allowed && !(allowed == "GET" && method == "HEAD") {
        return Err(RouteError::Method { method: method.to_owned(), path: path.to_owned(), allowed });
    }
    let name = repo.strip_suffix(".git").unwrap_or(repo);
    Ok(Route { repo: RepoName::parse(name)?, action })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(method: &str, url: &str) -> (String, Action) {
        let r = route(method, url).expect(url);
        (r.repo.to_string(), r.action)
    }

    #[test]
    fn smart_http_paths() {
        assert_eq!(
            ok("GET", "/foo.git/info/refs?service=git-upload-pack"),
            ("foo".into(), Action::InfoRefs(Service::UploadPack))
        );
        assert_eq!(
            ok("GET", "/foo/info/refs?x=1&service=git-receive-pack"),
            ("foo".into(), Action::InfoRefs(Service::ReceivePack))
        );
        assert_eq!(ok("POST", "/foo.git/git-upload-pack"), ("foo".into(), Action::Rpc(Service::UploadPack)));
        assert_eq!(ok("POST", "/a.b-c/git-receive-pack"), ("a.b-c".into(), Action::Rpc(Service::ReceivePack)));
    }

    #[test]
    fn everything_else() {
        assert_eq!(route("GET", "/foo.git/info/refs"), Err(RouteError::NotFound), "dumb HTTP");
        assert_eq!(route("GET", "/foo.git/HEAD"), Err(RouteError::NotFound));
        assert_eq!(route("GET", "/foo.git/objects/info/packs"), Err(RouteError::NotFound));
        assert_eq!(route("GET", "/"), Err(RouteError::NotFound));
        assert_eq!(
            route("GET", "/foo/info/refs?service=git-frob").map_err(|e| e.status()),
            Err(403)
        );
        assert_eq!(route("GET", "/foo/git-upload-pack").map_err(|e| e.status()), Err(405));
        assert_eq!(route("POST", "/foo/info/refs?service=git-upload-pack").map_err(|e| e.status()), Err(405));
        for bad in ["/../x/git-upload-pack", "/a/b/git-upload-pack", "/.git/git-upload-pack", "/%2e%2e/git-upload-pack"] {
            assert_eq!(route("POST", bad).map_err(|e| e.status()), Err(400), "{bad}");
        }
        let err = route("POST", "/a b/git-upload-pack").expect_err("space");
        assert!(err.to_string().contains("bad repository name"), "{err}");
    }
}
