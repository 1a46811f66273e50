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
        let mut one = Vec::new();
        Command::parse_into(line, &mut one).then(|| one.pop()).flatten()
    }

    /// Parse a command line and append the command to `out` (built in place: a command is too
    /// large to move around cheaply); `false` if the line is not a command.
    pub fn parse_into(line: &[u8], out: &mut Vec<Command>) -> bool {
        let mut old = ObjectId::ZERO_SHA1;
        let mut new = ObjectId::ZERO_SHA1;
        let name = line.get(82..).unwrap_or(&[]);
        if name.is_empty() || !id_then_space(line, 0, &mut old) || !id_then_space(line, 41, &mut new) {
            return false;
        }
        out.push(Command { old, new, name: name.to_vec(), failure: None });
        true
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

/// Parse the hex id at `line[at..at + 40]` into `id`; `false` unless it is one and a space
/// follows it. An out-parameter, not an `Option<ObjectId>`: fewer copies of the id.
fn id_then_space(line: &[u8], at: usize, id: &mut ObjectId) -> bool {
    if line.get(at + 40) != Some(&b' ') {
        return false;
    }
    match ObjectId::from_hex(line.get(at..at + 40).unwrap_or(&[])) {
        Ok(parsed) => *id = parsed,
        Err(_) => return false,
    }
    true
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
