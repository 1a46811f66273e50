//! One push command, `<old-id> SP <new-id> SP <refname>` (gitprotocol-pack "Reference Update
//! Request"; receive-pack.c `queue_command`).

use alloc::vec::Vec;
use git_core::ObjectId;

/// A requested ref update. A zero old id means "create", a zero new id "delete".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// The value the client saw.
    pub old: ObjectId,
    /// The value to set.
    pub new: ObjectId,
    /// The ref name as sent (bytes; not necessarily UTF-8 or valid).
    pub name: Vec<u8>,
    /// Why the command failed, in git's words, once decided (`None`: fine so far); the `ng`
    /// reason of the report (receive-pack.c keeps it in `struct command` as `error_string`).
    pub failure: Option<&'static str>,
}

impl Command {
    /// Parse a command line (without its trailing newline and capability list).
    pub fn parse(line: &[u8]) -> Option<Command> {
        let old = ObjectId::from_hex(line.get(..40)?).ok()?;
        if line.get(40) != Some(&b' ') {
            return None;
        }
        let new = ObjectId::from_hex(line.get(41..81)?).ok()?;
        if line.get(81) != Some(&b' ') {
            return None;
        }
        let name = line.get(82..)?;
        if name.is_empty() {
            return None;
        }
        Some(Command { old, new, name: name.to_vec(), failure: None })
    }

    /// True if this deletes the ref.
    pub fn is_delete(&self) -> bool {
        self.new.is_null()
    }

    /// True if this creates the ref.
    pub fn is_create(&self) -> bool {
        self.old.is_null()
    }

    /// The name as UTF-8, if it is.
    pub fn name_str(&self) -> Option<&str> {
        core::str::from_utf8(&self.name).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let z = "0000000000000000000000000000000000000000";
        let a = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";
        let c = Command::parse(alloc::format!("{z} {a} refs/heads/main").as_bytes()).expect("valid");
        assert!(c.is_create() && !c.is_delete());
        assert_eq!(c.name, b"refs/heads/main");
        assert!(Command::parse(alloc::format!("{z} {a} ").as_bytes()).is_none(), "empty name");
        assert!(Command::parse(alloc::format!("{z}  {a} x").as_bytes()).is_none());
        assert!(Command::parse(alloc::format!("{z} {a}").as_bytes()).is_none());
        assert!(Command::parse(b"garbage").is_none());
        assert!(Command::parse(alloc::format!("{z} {}g x", &a[..39]).as_bytes()).is_none());
    }
}
