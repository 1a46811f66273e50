//! The data directory: one `<name>.sqlite` file (plus SQLite's `-wal`/`-shm`) per repository.

use crate::repo_name::RepoName;
use crate::store::{OpenError, SqliteStore};
use std::path::{Path, PathBuf};

/// File name suffix of repository databases.
const SUFFIX: &str = ".sqlite";

/// A data directory of repositories.
#[derive(Clone, Debug)]
pub struct Repos {
    dir: PathBuf,
}

/// A data directory operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ReposError {
    #[error("repository {name} does not exist")]
    NotFound { name: RepoName },
    #[error("repository {name} already exists")]
    Exists { name: RepoName },
    #[error("default branch {branch:?} is not a valid branch name")]
    BadBranch { branch: String },
    #[error("data directory {dir}: {source}")]
    Io { dir: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Open(#[from] OpenError),
}

impl Repos {
    /// Use `dir` (created if missing).
    pub fn new(dir: &Path) -> Result<Self, ReposError> {
        std::fs::create_dir_all(dir).map_err(|source| ReposError::Io { dir: dir.to_path_buf(), source })?;
        Ok(Repos { dir: dir.to_path_buf() })
    }

    /// The database path of `name`.
    pub fn path(&self, name: &RepoName) -> PathBuf {
        self.dir.join(format!("{name}{SUFFIX}"))
    }

    /// Open an existing repository.
    pub fn open(&self, name: &RepoName) -> Result<SqliteStore, ReposError> {
        match SqliteStore::open(&self.path(name)) {
            Err(OpenError::Missing { .. }) => Err(ReposError::NotFound { name: name.clone() }),
            other => Ok(other?),
        }
    }

    /// Open a repository, creating it with HEAD -> refs/heads/main if missing (`--auto-create`).
    pub fn open_or_create(&self, name: &RepoName) -> Result<SqliteStore, ReposError> {
        Ok(SqliteStore::open_or_create(&self.path(name), "main")?)
    }

    /// Create a repository whose HEAD points at `refs/heads/<default_branch>`.
    pub fn create(&self, name: &RepoName, default_branch: &str) -> Result<SqliteStore, ReposError> {
        if !valid_branch(default_branch) {
            return Err(ReposError::BadBranch { branch: default_branch.to_owned() });
        }
        match SqliteStore::create(&self.path(name), default_branch) {
            Err(OpenError::Exists { .. }) => Err(ReposError::Exists { name: name.clone() }),
            other => Ok(other?),
        }
    }

    /// Names of all repositories, sorted.
    pub fn list(&self) -> Result<Vec<RepoName>, ReposError> {
        let io = |source| ReposError::Io { dir: self.dir.clone(), source };
        let mut names = Vec::new();
        for entry in std::fs::read_dir(&self.dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            let file = entry.file_name();
            let Some(stem) = file.to_str().and_then(|f| f.strip_suffix(SUFFIX)) else { continue };
            if let Ok(name) = RepoName::parse(stem) {
                names.push(name);
            }
        }
        names.sort();
        Ok(names)
    }

    /// Delete a repository's files.
    pub fn delete(&self, name: &RepoName) -> Result<(), ReposError> {
        let path = self.path(name);
        if !path.is_file() {
            return Err(ReposError::NotFound { name: name.clone() });
        }
        for suffix in ["-wal", "-shm"] {
            let mut side = path.clone().into_os_string();
            side.push(suffix);
            match std::fs::remove_file(&side) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(ReposError::Io { dir: self.dir.clone(), source: e })
                }
                _ => {}
            }
        }
        std::fs::remove_file(&path).map_err(|source| ReposError::Io { dir: self.dir.clone(), source })
    }
}

/// A branch name for `refs/heads/<branch>`: the git check-ref-format rules that matter for a
/// default branch (no `..`, control bytes, space, `~^:?*[\`, no `/`-edge or `.lock` component, no `@{`).
pub fn valid_branch(branch: &str) -> bool {
    !branch.is_empty()
        && branch != "@"
        && !branch.contains("..")
        && !branch.contains("@{")
        && !branch.contains("//")
        && !branch.starts_with('/')
        && !branch.ends_with('/')
        && !branch.ends_with('.')
        && !branch.bytes().any(|b| b < 0x20 || b == 0x7f || b" ~^:?*[\\".contains(&b))
        && branch.split('/').all(|c| !c.starts_with('.') && !c.ends_with(".lock"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_names() {
        for ok in ["main", "trunk", "feature/x", "v1.0"] {
            assert!(valid_branch(ok), "{ok}");
        }
        for bad in ["", "a..b", "a b", "x.lock", "/x", "x/", ".x", "a/.b", "a@{1}", "a:b", "x."] {
            assert!(!valid_branch(bad), "{bad}");
        }
    }

    #[test]
    fn create_list_delete() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repos = Repos::new(&dir.path().join("data")).expect("repos");
        let a = RepoName::parse("alpha").expect("name");
        let b = RepoName::parse("beta.x").expect("name");
        drop(repos.create(&b, "main").expect("create b"));
        drop(repos.create(&a, "trunk").expect("create a"));
        assert!(matches!(repos.create(&a, "main"), Err(ReposError::Exists { .. })));
        assert_eq!(repos.list().expect("list"), vec![a.clone(), b.clone()]);
        repos.delete(&a).expect("delete");
        assert!(matches!(repos.delete(&a), Err(ReposError::NotFound { .. })));
        assert!(matches!(repos.open(&a), Err(ReposError::NotFound { .. })));
        assert_eq!(repos.list().expect("list"), vec![b]);
        assert!(!repos.path(&a).exists());
    }
}
