//! The smart-HTTP server (gitprotocol-http) on tiny_http: keep-alive and chunked bodies both ways
//! come from tiny_http; each request runs on its own thread.

mod body;
mod exchange_reader;
mod handler;
mod log;
mod route;

pub use handler::Config;
pub use route::{route, Action, Route, RouteError};

use crate::cli::ServeArgs;
use crate::repos::{Repos, ReposError};
use std::net::SocketAddr;
use std::sync::Arc;

/// `artifacts serve` could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "refusing to listen on {addr}: it is not a loopback address and this server has no \
         authentication; pass --insecure-no-auth to serve it anyway"
    )]
    NotLoopback { addr: SocketAddr },
    #[error("cannot listen on {addr}: {message}")]
    Listen { addr: SocketAddr, message: String },
    #[error(transparent)]
    Data(#[from] ReposError),
}

/// Serve until the process ends.
pub fn serve(args: &ServeArgs) -> Result<(), ServeError> {
    if !args.listen.ip().is_loopback() && !args.insecure_no_auth {
        return Err(ServeError::NotLoopback { addr: args.listen });
    }
    let repos = Repos::new(&args.data)?;
    let server = tiny_http::Server::http(args.listen)
        .map_err(|e| ServeError::Listen { addr: args.listen, message: e.to_string() })?;
    let shown = server.server_addr().to_ip().map_or_else(|| args.listen.to_string(), |a| a.to_string());
    eprintln!(
        "artifacts: listening on http://{shown}/ data {}{}",
        args.data.display(),
        if args.auto_create { " (auto-create on push)" } else { "" }
    );
    let config = Arc::new(Config { repos, auto_create: args.auto_create, max_push_size: args.max_push_size });
    for request in server.incoming_requests() {
        let config = Arc::clone(&config);
        let spawned = std::thread::Builder::new()
            .name("artifacts-request".into())
            .spawn(move || handler::handle(request, &config));
        if let Err(e) = spawned {
            eprintln!("artifacts: cannot start a request thread: {e}");
        }
    }
    Ok(())
}
