//! Repository names: what may appear in a URL and becomes a file name under the data directory.
//! Letters, digits, `.`, `_`, `-`; at most 63 bytes; starting with a letter or digit. Nothing else
//! ever reaches the file system, so no name can escape the data directory.

use std::fmt;

/// Longest repository name, in bytes.
pub const MAX_LEN: usize = 63;

/// A validated repository name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RepoName(String);

/// A repository name that is not allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RepoNameError {
    #[error("repository name is empty")]
    Empty,
    #[error("repository name has {got} bytes, limit {MAX_LEN}")]
    TooLong { got: usize },
    #[error("repository name must start with a letter or digit, got {first:?}")]
    BadStart { first: char },
    #[error("repository name has {bad:?} at position {pos}; allowed are letters, digits, '.', '_', '-'")]
    BadChar { bad: char, pos: usize },
}

impl RepoName {
    /// Validate a name.
    pub fn parse(name: &str) -> Result<Self, RepoNameError> {
        let first = name.chars().next().ok_or(RepoNameError::Empty)?;
        if name.len() > MAX_LEN {
            return Err(RepoNameError::TooLong { got: name.len() });
        }
        if !first.is_ascii_alphanumeric() {
            return Err(RepoNameError::BadStart { first });
        }
        if let Some((pos, bad)) =
            name.char_indices().find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            return Err(RepoNameError::BadChar { bad, pos });
        }
        Ok(RepoName(name.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RepoName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_allowed_alphabet() {
        for ok in ["a", "9", "my-repo", "My_Repo.v2", &"x".repeat(63)] {
            assert_eq!(RepoName::parse(ok).expect(ok).as_str(), ok);
        }
    }

    #[test]
    fn rejects_everything_else_with_the_reason() {
        assert_eq!(RepoName::parse(""), Err(RepoNameError::Empty));
        assert_eq!(RepoName::parse(&"x".repeat(64)), Err(RepoNameError::TooLong { got: 64 }));
        assert_eq!(RepoName::parse(".hidden"), Err(RepoNameError::BadStart { first: '.' }));
        assert_eq!(RepoName::parse("-x"), Err(RepoNameError::BadStart { first: '-' }));
        assert_eq!(RepoName::parse("a/../b"), Err(RepoNameError::BadChar { bad: '/', pos: 1 }));
        assert_eq!(RepoName::parse("a\\b"), Err(RepoNameError::BadChar { bad: '\\', pos: 1 }));
        assert_eq!(RepoName::parse("a%2e"), Err(RepoNameError::BadChar { bad: '%', pos: 1 }));
        assert_eq!(RepoName::parse("é"), Err(RepoNameError::BadStart { first: 'é' }));
        assert_eq!(RepoName::parse("a b"), Err(RepoNameError::BadChar { bad: ' ', pos: 1 }));
        assert!(RepoName::parse("a\0").is_err());
    }
}
