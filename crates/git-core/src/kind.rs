//! The four object kinds and their numbers in pack entry headers (gitformat-pack).

use core::fmt;

/// A git object kind. The discriminants are the pack entry type numbers (gitformat-pack).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum ObjectKind {
    Commit = 1,
    Tree = 2,
    Blob = 3,
    Tag = 4,
}

/// A kind name or number that is not one of the four.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseKindError {
    Number(u8),
    Name,
}

impl crate::msg::Describe for ParseKindError {
    fn describe(&self, m: &mut crate::msg::Msg<'_>) {
        match self {
            ParseKindError::Number(n) => m.s("unknown object type number ").u(u64::from(*n)),
            ParseKindError::Name => m.s("unknown object type name"),
        };
    }
}
crate::display_via_describe!(ParseKindError);

impl ObjectKind {
    /// The name used in object headers and tags (`commit`, `tree`, `blob`, `tag`).
    pub const fn name(self) -> &'static str {
        match self {
            ObjectKind::Commit => "commit",
            ObjectKind::Tree => "tree",
            ObjectKind::Blob => "blob",
            ObjectKind::Tag => "tag",
        }
    }
    /// From the name in an object header or a tag's `type` line.
    pub fn from_name(name: &[u8]) -> Result<Self, ParseKindError> {
        // The four numbers in turn, each kind's name compared: one comparison in the code instead
        // of a match arm per name.
        let mut n = 1;
        while n <= 4 {
            if let Ok(kind) = Self::from_number(n) {
                if kind.name().as_bytes() == name {
                    return Ok(kind);
                }
            }
            n += 1;
        }
        Err(ParseKindError::Name)
    }
    /// From the pack type number (1..=4).
    pub fn from_number(n: u8) -> Result<Self, ParseKindError> {
        match n {
            1 => Ok(ObjectKind::Commit),
            2 => Ok(ObjectKind::Tree),
            3 => Ok(ObjectKind::Blob),
            4 => Ok(ObjectKind::Tag),
            _ => Err(ParseKindError::Number(n)),
        }
    }
    /// The pack type number.
    pub const fn number(self) -> u8 {
        self as u8
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_nothing_else_parses() {
        for n in 1..=4 {
            let kind = ObjectKind::from_number(n).expect("kind");
            assert_eq!(ObjectKind::from_name(kind.name().as_bytes()), Ok(kind));
        }
        assert_eq!(ObjectKind::from_name(b"tag"), Ok(ObjectKind::Tag));
        for bad in [&b""[..], b"blobs", b"Blob", b"ta", b"commit\0", b"tree ", b"1"] {
            assert_eq!(ObjectKind::from_name(bad), Err(ParseKindError::Name), "{bad:?}");
        }
        assert_eq!(ObjectKind::from_number(0), Err(ParseKindError::Number(0)));
        assert_eq!(ObjectKind::from_number(5), Err(ParseKindError::Number(5)));
    }
}
