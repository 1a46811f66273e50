//! One HTTP request, start to finish (gitprotocol-http): route, open the repository, run the
//! service, stream the answer, log one line.

use super::body::{Body, BodyError};
use super::exchange_reader::ExchangeReader;
use super::log::LogLine;
use super::route::{route, Action};
use crate::exchanges::new_exchange;
use crate::repo_name::RepoName;
use crate::repos::{Repos, ReposError};
use crate::store::SqliteStore;
use protocol::{advertise_refs, parse_git_protocol, ExchangeError, ProtocolVersion, Service};
use std::time::Instant;
use tiny_http::{Header, Request, Response};

/// Server-wide settings every request reads.
#[derive(Debug, Clone)]
pub struct Config {
    pub repos: Repos,
    /// Create a missing repository on its first push.
    pub auto_create: bool,
    /// Cap on a receive-pack request body, decompressed.
    pub max_push_size: u64,
}

/// Size of the buffer request bodies are read through.
const READ_CHUNK: usize = 64 * 1024;

/// The status and length of what was sent, for the log.
struct Outcome {
    status: u16,
    bytes: u64,
    note: Option<String>,
}

/// A failure answered with an HTTP status and a one-line text body.
struct Failure {
    status: u16,
    message: String,
}

impl Failure {
    fn new(status: u16, message: impl Into<String>) -> Self {
        Failure { status, message: message.into() }
    }
}

fn header<'r>(request: &'r Request, name: &'static str) -> Option<&'r str> {
    request.headers().iter().find(|h| h.field.equiv(name)).map(|h| h.value.as_str())
}

fn mk_header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

/// git's http-backend `hdr_nocache` headers: never cache a ref advertisement or an RPC result.
fn no_cache_headers(content_type: &str) -> Vec<Header> {
    [
        ("Content-Type", content_type),
        ("Expires", "Fri, 01 Jan 1980 00:00:00 GMT"),
        ("Pragma", "no-cache"),
        ("Cache-Control", "no-cache, max-age=0, must-revalidate"),
    ]
    .iter()
    .filter_map(|(n, v)| mk_header(n, v))
    .collect()
}

/// Handle `request` and log it.
pub fn handle(request: Request, config: &Config) {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let url = request.url().to_owned();
    let outcome = match route(&method, &url) {
        Err(e) => respond_failure(request, Failure::new(e.status(), e.to_string())),
        Ok(r) => match r.action {
            Action::InfoRefs(service) => info_refs(request, config, &r.repo, service),
            Action::Rpc(service) => rpc(request, config, &r.repo, service),
        },
    };
    LogLine { method: &method, url: &url, status: outcome.status, bytes: outcome.bytes, started, note: outcome.note }
        .emit();
}

fn respond_failure(request: Request, failure: Failure) -> Outcome {
    let body = format!("{}\n", failure.message);
    let bytes = body.len() as u64;
    let mut response = Response::from_string(body).with_status_code(failure.status);
    if let Some(h) = mk_header("Content-Type", "text/plain; charset=utf-8") {
        response.add_header(h);
    }
    let note = match request.respond(response) {
        Ok(()) => Some(failure.message),
        Err(e) => Some(format!("{}; sending failed: {e}", failure.message)),
    };
    Outcome { status: failure.status, bytes, note }
}

/// Open the repository for `service`; a push may create it under `--auto-create`.
fn open(config: &Config, name: &RepoName, service: Service) -> Result<SqliteStore, Failure> {
    let result = match config.repos.open(name) {
        Err(ReposError::NotFound { .. }) if config.auto_create && service == Service::ReceivePack => {
            config.repos.open_or_create(name)
        }
        other => other,
    };
    result.map_err(|e| match e {
        ReposError::NotFound { .. } => Failure::new(404, e.to_string()),
        other => Failure::new(500, other.to_string()),
    })
}

fn exchange_status(e: &ExchangeError) -> u16 {
    match e {
        ExchangeError::RequestTooLarge { .. } => 413,
        ExchangeError::Misuse(_) => 400,
        _ => 500,
    }
}

/// `GET /<repo>/info/refs?service=<svc>`.
fn info_refs(request: Request, config: &Config, name: &RepoName, service: Service) -> Outcome {
    let version = header(&request, "Git-Protocol").map_or(ProtocolVersion::V0, |v| parse_git_protocol(v.as_bytes()));
    let mut store = match open(config, name, service) {
        Ok(s) => s,
        Err(f) => return respond_failure(request, f),
    };
    let mut body = Vec::new();
    if let Err(e) = advertise_refs(&mut store, service, version, &mut body) {
        return respond_failure(request, Failure::new(exchange_status(&e), e.to_string()));
    }
    let bytes = body.len() as u64;
    let len = body.len();
    let response = Response::new(
        200.into(),
        no_cache_headers(service.advertisement_content_type()),
        std::io::Cursor::new(body),
        Some(len),
        None,
    );
    let note = request.respond(response).err().map(|e| format!("sending failed: {e}"));
    Outcome { status: 200, bytes, note }
}

/// `POST /<repo>/<svc>`: stream the body in, then stream the result out.
fn rpc(mut request: Request, config: &Config, name: &RepoName, service: Service) -> Outcome {
    let version = header(&request, "Git-Protocol").map_or(ProtocolVersion::V0, |v| parse_git_protocol(v.as_bytes()));
    let expected_type = format!("application/x-{}-request", service.name());
    match header(&request, "Content-Type") {
        Some(t) if t.trim().eq_ignore_ascii_case(&expected_type) => {}
        other => {
            let got = other.unwrap_or("none").to_owned();
            let msg = format!("Content-Type {got:?} is not {expected_type}");
            return respond_failure(request, Failure::new(415, msg));
        }
    }
    let mut store = match open(config, name, service) {
        Ok(s) => s,
        Err(f) => return respond_failure(request, f),
    };
    let mut exchange = match new_exchange(service, version) {
        Ok(e) => e,
        Err(message) => return respond_failure(request, Failure::new(501, message)),
    };
    if let Err(f) = feed_body(&mut request, config, service, &mut *exchange, &mut store) {
        return respond_failure(request, f);
    }
    let mut reader = ExchangeReader::new(&mut *exchange, &mut store);
    let response = Response::new(200.into(), no_cache_headers(service.result_content_type()), &mut reader, None, None);
    let sent_result = request.respond(response);
    let (bytes, mut note) = (reader.sent(), reader.error().map(|e| format!("response cut short: {e}")));
    if let (Err(e), None) = (sent_result, &note) {
        note = Some(format!("sending failed: {e}"));
    }
    if let Err(e) = store.flush() {
        note = Some(format!("storage commit failed: {e}"));
    }
    Outcome { status: 200, bytes, note }
}

/// Read the (decoded, capped) request body into the exchange chunk by chunk.
fn feed_body(
    request: &mut Request,
    config: &Config,
    service: Service,
    exchange: &mut dyn protocol::Exchange<SqliteStore>,
    store: &mut SqliteStore,
) -> Result<(), Failure> {
    let limit = match service {
        Service::UploadPack => protocol::service::MAX_REQUEST_BUFFER as u64,
        Service::ReceivePack => config.max_push_size,
    };
    let encoding = header(request, "Content-Encoding").map(str::to_owned);
    let mut body = Body::new(request.as_reader(), encoding.as_deref(), limit)
        .map_err(|e| Failure::new(415, e.to_string()))?;
    let mut buf = vec![0u8; READ_CHUNK];
    loop {
        let n = body.next_chunk(&mut buf).map_err(|e| match e {
            BodyError::TooLarge { .. } => Failure::new(413, e.to_string()),
            BodyError::Io(_) => Failure::new(400, e.to_string()),
        })?;
        let Some(chunk) = buf.get(..n) else { break };
        if chunk.is_empty() {
            break;
        }
        exchange.handle_input(store, chunk).map_err(|e| Failure::new(exchange_status(&e), e.to_string()))?;
    }
    exchange.handle_input_end(store).map_err(|e| Failure::new(exchange_status(&e), e.to_string()))
}
