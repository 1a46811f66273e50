//! Servers under test: start/stop with a temp data dir and a free port, wait until ready.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// A git smart-HTTP server under test. `start()` is each implementation's constructor.
pub trait Server: Send + Sync {
    /// `native`, `http-backend`, `workers`.
    fn kind(&self) -> &str;
    /// `http://127.0.0.1:PORT`, no trailing slash.
    fn base_url(&self) -> String;
    /// Creates an empty repository whose HEAD names `refs/heads/<default_branch>`; returns its URL.
    fn create_repo(&self, name: &str, default_branch: &str) -> String;
    /// Stops the server and removes its data. Also happens when the test process exits.
    fn stop(&self);
    /// The server's log (stdout+stderr), for failure messages.
    fn log(&self) -> String;
}

/// Starts a new server of the kind named by `ARTIFACTS_SERVER`.
pub fn start() -> Box<dyn Server> {
    let kind = std::env::var("ARTIFACTS_SERVER").unwrap_or_else(|_| "native".into());
    match kind.as_str() {
        "native" => Box::new(Native::start()),
        "http-backend" => Box::new(HttpBackend::start()),
        "workers" => Box::new(Workers::start()),
        other => panic!("unknown ARTIFACTS_SERVER={other:?} (native | http-backend | workers)"),
    }
}

/// The server shared by all tests of this process, started on first use.
pub fn shared() -> &'static dyn Server {
    static SERVER: OnceLock<Box<dyn Server>> = OnceLock::new();
    SERVER.get_or_init(start).as_ref()
}

/// A new, empty repository with a unique name on the shared server (HEAD -> main). Returns its URL.
pub fn fresh_repo(prefix: &str) -> String {
    fresh_repo_with_branch(prefix, "main")
}

pub fn fresh_repo_with_branch(prefix: &str, branch: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let name = format!("{prefix}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst));
    shared().create_repo(&name, branch)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Runs a server command under a tiny shell guard: when our end of its stdin closes (stop(), or
/// this test process exits for any reason) the guard kills the server and deletes the data dir.
struct Guarded {
    child: Mutex<Option<(Child, ChildStdin)>>,
    log: PathBuf,
    port: u16,
}

impl Guarded {
    fn spawn(cmd: &[String], data: &Path, log: &Path, port: u16, env: &[(&str, &str)]) -> Guarded {
        let script = r#"data="$1"; shift; "$@" </dev/null & pid=$!; read -r _ignored; kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$data""#;
        let logf = std::fs::File::create(log).unwrap();
        let mut c = Command::new("sh");
        c.arg("-c").arg(script).arg("guard").arg(data).args(cmd);
        for (k, v) in env {
            c.env(k, v);
        }
        let mut child = c
            .stdin(Stdio::piped())
            .stdout(logf.try_clone().unwrap())
            .stderr(logf)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
        let stdin = child.stdin.take().unwrap();
        let g = Guarded { child: Mutex::new(Some((child, stdin))), log: log.to_owned(), port };
        g.wait_ready(cmd);
        g
    }

    fn wait_ready(&self, cmd: &[String]) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            if let Some((child, _)) = self.child.lock().unwrap().as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    panic!("server {cmd:?} exited ({status}) before listening:\n{}", self.log());
                }
            }
            if Instant::now() > deadline {
                panic!("server {cmd:?} not listening on port {} after 60 s:\n{}", self.port, self.log());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn stop(&self) {
        if let Some((mut child, mut stdin)) = self.child.lock().unwrap().take() {
            let _ = stdin.write_all(b"stop\n");
            drop(stdin);
            let _ = child.wait();
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// Runs a repository-creation command of a server's own tooling; panics with its output on failure.
fn run_create(mut cmd: Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The cargo target dir in use: `CARGO_TARGET_DIR`, or the one holding this test executable
/// (<target>/<profile>/deps/). Also says whether this is a release build.
fn target_dir() -> (PathBuf, bool) {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().unwrap().parent().unwrap().to_owned();
    let release = profile_dir.file_name().is_some_and(|n| n == "release");
    let dir = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| profile_dir.parent().unwrap().to_owned());
    (dir, release)
}

fn scratch_dir(kind: &str) -> (PathBuf, PathBuf) {
    let data = tempfile::Builder::new()
        .prefix(&format!("artifacts-{kind}-data-"))
        .tempdir()
        .unwrap()
        .keep();
    let logs = std::env::temp_dir().join("artifacts-conformance-logs");
    std::fs::create_dir_all(&logs).unwrap();
    let log = logs.join(format!("{kind}-{}-{}.log", std::process::id(), free_port()));
    (data, log)
}

/// git's own `git http-backend` (git 2.47) behind reference/git-http-server.py: the reference.
pub struct HttpBackend {
    guard: Guarded,
    root: PathBuf,
}

impl HttpBackend {
    pub fn start() -> HttpBackend {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("reference/git-http-server.py");
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        let (root, log) = scratch_dir("http-backend");
        let port = free_port();
        let cmd = vec![
            python,
            script.display().to_string(),
            "--listen".into(),
            format!("127.0.0.1:{port}"),
            "--root".into(),
            root.display().to_string(),
            "--git".into(),
            crate::git::GIT_247.into(),
        ];
        let guard = Guarded::spawn(&cmd, &root, &log, port, &[]);
        HttpBackend { guard, root }
    }
}

impl Server for HttpBackend {
    fn kind(&self) -> &str {
        "http-backend"
    }
    fn base_url(&self) -> String {
        self.guard.base_url()
    }
    fn create_repo(&self, name: &str, default_branch: &str) -> String {
        let dir = self.root.join(format!("{name}.git"));
        let git = crate::git::tool_git();
        git.run(&self.root, &["init", "-q", "--bare", "-b", default_branch, &dir.display().to_string()]);
        for (k, v) in [
            ("http.receivepack", "true"),
            ("uploadpack.allowFilter", "true"),
            ("uploadpack.allowAnySHA1InWant", "true"),
            ("receive.fsckObjects", "true"),
            ("receive.advertisePushOptions", "true"),
            ("core.logAllRefUpdates", "false"),
        ] {
            git.run(&dir, &["config", k, v]);
        }
        format!("{}/{name}.git", self.base_url())
    }
    fn stop(&self) {
        self.guard.stop()
    }
    fn log(&self) -> String {
        self.guard.log()
    }
}

/// `artifacts serve` from crates/native-harness.
pub struct Native {
    guard: Guarded,
    bin: PathBuf,
    data: PathBuf,
}

/// The `artifacts` binary: `ARTIFACTS_BIN`, or built by cargo into the target dir in use.
pub fn native_binary() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Ok(bin) = std::env::var("ARTIFACTS_BIN") {
            let p = PathBuf::from(bin);
            assert!(p.is_file(), "ARTIFACTS_BIN={} is not a file", p.display());
            return p;
        }
        let (target_dir, release) = target_dir();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut c = Command::new(cargo);
        c.args(["build", "-q", "-p", "artifacts-native-harness", "--bin", "artifacts"])
            .env("CARGO_TARGET_DIR", &target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if release {
            c.arg("--release");
        }
        let out = c.output().expect("cannot run cargo to build the artifacts binary");
        assert!(
            out.status.success(),
            "cargo build -p artifacts-native-harness failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bin = target_dir.join(if release { "release" } else { "debug" }).join("artifacts");
        assert!(bin.is_file(), "built, but {} is missing", bin.display());
        bin
    })
    .clone()
}

impl Native {
    pub fn start() -> Native {
        let bin = native_binary();
        let (data, log) = scratch_dir("native");
        let port = free_port();
        let cmd = vec![
            bin.display().to_string(),
            "serve".into(),
            "--listen".into(),
            format!("127.0.0.1:{port}"),
            "--data".into(),
            data.display().to_string(),
        ];
        let guard = Guarded::spawn(&cmd, &data, &log, port, &[]);
        Native { guard, bin, data }
    }
}

impl Server for Native {
    fn kind(&self) -> &str {
        "native"
    }
    fn base_url(&self) -> String {
        self.guard.base_url()
    }
    fn create_repo(&self, name: &str, default_branch: &str) -> String {
        let mut c = Command::new(&self.bin);
        c.args(["repo", "create", name, "--data"]).arg(&self.data).args(["--default-branch", default_branch]);
        run_create(c, &format!("artifacts repo create {name}"));
        format!("{}/{name}.git", self.base_url())
    }
    fn stop(&self) {
        self.guard.stop()
    }
    fn log(&self) -> String {
        self.guard.log()
    }
}

/// The Workers host (hosts/workers): the Worker and its Durable Objects in real workerd through
/// Miniflare (`node scripts/dev.mjs`), the engine being the Wasm module in hosts/workers/build/.
pub struct Workers {
    guard: Guarded,
    dir: PathBuf,
    data: PathBuf,
}

/// hosts/workers (or `ARTIFACTS_WORKERS_DIR`), made ready once per test process: `npm ci` when
/// miniflare is missing or package-lock.json differs from the one last installed (a stamp), then `bash scripts/build.sh`
/// (the Wasm engine, incremental, and the schema) with `WASM_TARGET_DIR` defaulting to
/// `<target dir>/wasm`. Under flock, as several test processes may start at once.
/// `ARTIFACTS_WORKERS_BUILD=0` skips both and uses what is there.
pub fn workers_host() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::var("ARTIFACTS_WORKERS_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../hosts/workers"));
        let dir = dir.canonicalize().unwrap_or_else(|e| panic!("Workers host {}: {e}", dir.display()));
        let skip = std::env::var("ARTIFACTS_WORKERS_BUILD").is_ok_and(|v| v == "0");
        if !skip {
            // Exit status 3 of build.sh: built, but over the Wasm size budget. The module is written
            // and conformance does not judge its size (hosts/workers/test.sh and ./x do).
            let script = r#"set -e
if [ ! -f node_modules/miniflare/package.json ] || ! cmp -s package-lock.json node_modules/.artifacts-installed-lock; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.artifacts-installed-lock
fi
rc=0; bash scripts/build.sh || rc=$?
if [ "$rc" = 3 ]; then echo "conformance: the Wasm module is over its size budget; testing it anyway" >&2; rc=0; fi
exit "$rc""#;
            let wasm_target =
                std::env::var("WASM_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| target_dir().0.join("wasm"));
            std::fs::create_dir_all(dir.join("build")).unwrap();
            let out = Command::new("flock")
                .arg(dir.join("build/.conformance-prepare.lock"))
                .args(["sh", "-c", script])
                .current_dir(&dir)
                .env("WASM_TARGET_DIR", &wasm_target)
                .env("WASM_SIZE_REPORT", "")
                .output()
                .expect("cannot run flock/sh to prepare the Workers host (flock, node and npm are required)");
            assert!(
                out.status.success(),
                "preparing the Workers host in {} failed ({}); by hand: cd {0} && npm ci && \
                 WASM_TARGET_DIR={} bash scripts/build.sh\n{}{}",
                dir.display(),
                out.status,
                wasm_target.display(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        for f in ["node_modules/miniflare/package.json", "build/artifacts.wasm", "build/schema.sql"] {
            assert!(
                dir.join(f).is_file(),
                "{f} is missing in {}: run `npm ci && bash scripts/build.sh` there",
                dir.display()
            );
        }
        dir
    })
    .clone()
}

impl Workers {
    pub fn start() -> Workers {
        let dir = workers_host();
        let (data, log) = scratch_dir("workers");
        let port = free_port();
        let cmd = vec!["node".to_string(), dir.join("scripts/dev.mjs").display().to_string()];
        let (port_s, data_s) = (port.to_string(), data.display().to_string());
        let guard = Guarded::spawn(&cmd, &data, &log, port, &[("PORT", &port_s), ("DATA_DIR", &data_s)]);
        Workers { guard, dir, data }
    }
}

impl Server for Workers {
    fn kind(&self) -> &str {
        "workers"
    }
    fn base_url(&self) -> String {
        self.guard.base_url()
    }
    fn create_repo(&self, name: &str, default_branch: &str) -> String {
        // Through the running host's admin API. DATA_DIR too: should the host be gone, repo.mjs's
        // in-process fallback then uses the test's data dir, never hosts/workers/.data.
        let mut c = Command::new("node");
        c.arg(self.dir.join("scripts/repo.mjs"))
            .args(["create", name, "--default-branch", default_branch])
            .env("ARTIFACTS_URL", self.base_url())
            .env("DATA_DIR", &self.data);
        run_create(c, &format!("repo.mjs create {name}"));
        format!("{}/{name}.git", self.base_url())
    }
    fn stop(&self) {
        self.guard.stop()
    }
    fn log(&self) -> String {
        self.guard.log()
    }
}
