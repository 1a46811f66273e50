//! Test support: the `artifacts` binary on a free loopback port with a temporary data directory,
//! real `git` runs against it, and a minimal raw HTTP/1.1 client for requests git would not make.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Path of the built binary.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_artifacts")
}

/// Run `artifacts <args>`.
pub fn artifacts(args: &[&str]) -> Output {
    Command::new(bin()).args(args).output().expect("run the artifacts binary")
}

/// A running `artifacts serve`, killed on drop.
pub struct Server {
    pub child: Child,
    pub addr: String,
    pub data: tempfile::TempDir,
    pub log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Start with extra `serve` options.
    pub fn start(extra: &[&str]) -> Server {
        let data = tempfile::tempdir().expect("tempdir");
        let data_path = data.path().to_str().expect("utf-8 temp path").to_owned();
        let mut args = vec!["serve", "--listen", "127.0.0.1:0", "--data", &data_path];
        args.extend_from_slice(extra);
        let mut child = Command::new(bin())
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn artifacts serve");
        let stderr = child.stderr.take().expect("stderr piped");
        let mut lines = BufReader::new(stderr).lines();
        let first = lines.next().expect("a first stderr line").expect("read stderr");
        let addr = first
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no listen address in {first:?}"))
            .to_owned();
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().expect("log lock").push(line);
            }
        });
        Server { child, addr, data, log }
    }

    /// `http://addr/name.git`.
    pub fn url(&self, name: &str) -> String {
        format!("http://{}/{name}.git", self.addr)
    }

    /// `artifacts repo create name` in this server's data directory.
    pub fn create_repo(&self, name: &str) {
        let data = self.data.path().to_str().expect("utf-8");
        let out = artifacts(&["repo", "create", name, "--data", data]);
        assert!(out.status.success(), "repo create: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// The request log lines so far (waits briefly for the line of a request just answered).
    pub fn log_lines(&self) -> Vec<String> {
        std::thread::sleep(Duration::from_millis(100));
        self.log.lock().expect("log lock").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A git command with a clean environment (no user config), in `dir`.
pub fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_AUTHOR_NAME", "A U Thor")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "C O Mitter")
        .env("GIT_COMMITTER_EMAIL", "committer@example.com")
        .env("GIT_AUTHOR_DATE", "1700000000 +0000")
        .env("GIT_COMMITTER_DATE", "1700000000 +0000")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
    c
}

/// Run git and require success; returns stdout.
pub fn git_ok(dir: &Path, args: &[&str]) -> String {
    let out = git(dir).args(args).output().expect("git must be installed (/usr/local/bin/git)");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Run git expecting failure; returns stderr.
pub fn git_fails(dir: &Path, args: &[&str]) -> String {
    let out = git(dir).args(args).output().expect("git must be installed (/usr/local/bin/git)");
    assert!(!out.status.success(), "git {args:?} unexpectedly succeeded: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh work repository with one commit on `main` (a file and a subdirectory).
pub fn work_repo(parent: &Path, name: &str) -> PathBuf {
    let dir = parent.join(name);
    std::fs::create_dir_all(dir.join("sub")).expect("mkdir");
    git_ok(&dir, &["init", "-q", "-b", "main"]);
    std::fs::write(dir.join("README"), "hello\n").expect("write");
    std::fs::write(dir.join("sub/file.txt"), "content\n".repeat(100)).expect("write");
    git_ok(&dir, &["add", "."]);
    git_ok(&dir, &["commit", "-q", "-m", "first"]);
    dir
}

/// A parsed HTTP response.
#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Send raw request bytes on `stream` and read one response (Content-Length or chunked).
pub fn exchange(stream: &mut TcpStream, request: &[u8]) -> HttpResponse {
    stream.write_all(request).expect("send request");
    read_response(&mut BufReader::new(stream))
}

/// Read one response from `reader`.
pub fn read_response<R: BufRead>(reader: &mut R) -> HttpResponse {
    let mut line = String::new();
    reader.read_line(&mut line).expect("status line");
    let status: u16 = line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("status {line:?}"));
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).expect("header line");
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':').expect("header colon");
        headers.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    let mut resp = HttpResponse { status, headers, body: Vec::new() };
    if resp.header("Transfer-Encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).expect("chunk size");
            let n = usize::from_str_radix(size.trim(), 16).expect("hex chunk size");
            let mut chunk = vec![0u8; n + 2];
            reader.read_exact(&mut chunk).expect("chunk");
            if n == 0 {
                break;
            }
            resp.body.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(len) = resp.header("Content-Length").and_then(|v| v.parse::<usize>().ok()) {
        let mut body = vec![0u8; len];
        reader.read_exact(&mut body).expect("body");
        resp.body = body;
    }
    resp
}

/// One request on a fresh connection.
pub fn request(addr: &str, raw: &str) -> HttpResponse {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    exchange(&mut s, raw.as_bytes())
}

/// `GET path` with extra header lines (each ending in \r\n).
pub fn get(addr: &str, path: &str, extra_headers: &str) -> HttpResponse {
    request(addr, &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{extra_headers}Connection: close\r\n\r\n"))
}
