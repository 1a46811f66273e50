//! The smart-HTTP server over real sockets: routing and statuses, headers, gzip and chunked
//! request bodies, keep-alive, and real `git` against it.

mod common;
use common::*;
use std::io::Write;
use std::net::TcpStream;

#[test]
fn statuses_for_missing_bad_and_dumb_paths() {
    let server = Server::start(&[]);
    let r = get(&server.addr, "/nope.git/info/refs?service=git-upload-pack", "");
    assert_eq!(r.status, 404);
    assert!(String::from_utf8_lossy(&r.body).contains("repository nope does not exist"));
    let r = get(&server.addr, "/..%2f/info/refs?service=git-upload-pack", "");
    assert_eq!(r.status, 400);
    assert!(String::from_utf8_lossy(&r.body).contains("bad repository name"), "{:?}", r.body);
    server.create_repo("r");
    assert_eq!(get(&server.addr, "/r.git/info/refs", "").status, 404, "dumb HTTP is not served");
    assert_eq!(get(&server.addr, "/r.git/HEAD", "").status, 404);
    assert_eq!(get(&server.addr, "/r.git/objects/info/packs", "").status, 404);
    assert_eq!(get(&server.addr, "/r.git/info/refs?service=git-frob", "").status, 403);
    assert_eq!(get(&server.addr, "/r.git/git-upload-pack", "").status, 405);
    let lines = server.log_lines();
    assert!(
        lines.iter().any(|l| l.starts_with("GET /nope.git/info/refs?service=git-upload-pack 404 ") && l.contains("ms")),
        "{lines:?}"
    );
}

#[test]
fn advertisements_have_git_content_types_and_no_cache() {
    let server = Server::start(&[]);
    server.create_repo("r");
    for path in ["/r.git", "/r"] {
        let r = get(&server.addr, &format!("{path}/info/refs?service=git-upload-pack"), "");
        assert_eq!(r.status, 200);
        assert_eq!(r.header("Content-Type"), Some("application/x-git-upload-pack-advertisement"));
        assert!(r.header("Cache-Control").is_some_and(|v| v.contains("no-cache")));
        assert!(r.body.starts_with(b"001e# service=git-upload-pack\n0000"), "{:?}", String::from_utf8_lossy(&r.body));
    }
    let r = get(&server.addr, "/r.git/info/refs?service=git-upload-pack", "Git-Protocol: version=2\r\n");
    assert!(r.body.starts_with(b"000eversion 2\n"), "{:?}", String::from_utf8_lossy(&r.body));
    let r = get(&server.addr, "/r.git/info/refs?service=git-receive-pack", "Git-Protocol: version=2\r\n");
    assert_eq!(r.header("Content-Type"), Some("application/x-git-receive-pack-advertisement"));
    let body = String::from_utf8_lossy(&r.body);
    assert!(body.starts_with("001f# service=git-receive-pack\n0000"), "push never speaks v2: {body}");
    assert!(body.contains("capabilities^{}\0report-status"), "{body}");
}

/// A v2 ls-refs request as pkt-lines.
fn ls_refs_body() -> Vec<u8> {
    let mut out = Vec::new();
    for line in ["command=ls-refs\n", "agent=git/2.47.0\n", "", "peel\n", "symrefs\n", "unborn\n"] {
        if line.is_empty() {
            out.extend_from_slice(b"0001");
        } else {
            out.extend_from_slice(format!("{:04x}{line}", line.len() + 4).as_bytes());
        }
    }
    out.extend_from_slice(b"0000");
    out
}

#[test]
fn keep_alive_chunked_and_gzip_request_bodies() {
    let server = Server::start(&[]);
    server.create_repo("r");
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    // Two requests on one connection: the first with a chunked body, the second gzipped.
    let body = ls_refs_body();
    let mut req = b"POST /r.git/git-upload-pack HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-git-upload-pack-request\r\n\
         Git-Protocol: version=2\r\nTransfer-Encoding: chunked\r\n\r\n"
        .to_vec();
    for part in body.chunks(7) {
        req.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        req.extend_from_slice(part);
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"0\r\n\r\n");
    let r1 = exchange(&mut stream, &req);
    assert_eq!(r1.status, 200, "{:?}", String::from_utf8_lossy(&r1.body));
    assert_eq!(r1.header("Content-Type"), Some("application/x-git-upload-pack-result"));
    // An empty repository: ls-refs answers the unborn HEAD and a flush.
    let text = String::from_utf8_lossy(&r1.body);
    assert!(text.contains("unborn HEAD symref-target:refs/heads/main") && text.ends_with("0000"), "{text}");

    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&body).expect("gzip");
    let zipped = gz.finish().expect("gzip");
    let mut req = format!(
        "POST /r/git-upload-pack HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-git-upload-pack-request\r\n\
         Git-Protocol: version=2\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n",
        zipped.len()
    )
    .into_bytes();
    req.extend_from_slice(&zipped);
    let r2 = exchange(&mut stream, &req);
    assert_eq!(r2.status, 200);
    assert_eq!(r2.body, r1.body, "same answer gzipped or chunked");

    // Wrong content type and unknown encodings are refused with a reason.
    let r3 = exchange(
        &mut stream,
        b"POST /r/git-upload-pack HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\n0000",
    );
    assert_eq!(r3.status, 415);
    assert!(String::from_utf8_lossy(&r3.body).contains("is not application/x-git-upload-pack-request"));
}

#[test]
fn git_clones_an_empty_repository_with_a_warning() {
    let server = Server::start(&[]);
    server.create_repo("empty");
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = git(tmp.path()).args(["clone", &server.url("empty"), "c"]).output().expect("git");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("You appear to have cloned an empty repository"), "{err}");
    assert_eq!(git_ok(&tmp.path().join("c"), &["symbolic-ref", "HEAD"]).trim(), "refs/heads/main");
}
