//! Status codes of host calls.

/// The result code every host import returns. `Ok` is zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Status {
    /// Success.
    Ok = 0,
    /// The object or ref does not exist.
    NotFound = 1,
    /// A ref compare-and-swap found another value than expected.
    Conflict = 2,
    /// A value is over a host limit.
    TooLarge = 3,
    /// The host's storage failed (I/O, SQLite error).
    Io = 4,
    /// The arguments were malformed (bad name, bad length).
    Invalid = 5,
    /// The caller's buffer is too small; the needed length was reported.
    BufferTooSmall = 6,
}

impl Status {
    /// The variant's name, as `{:?}` prints it natively (the Wasm module's `{:?}` prints nothing).
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "Ok",
            Status::NotFound => "NotFound",
            Status::Conflict => "Conflict",
            Status::TooLarge => "TooLarge",
            Status::Io => "Io",
            Status::Invalid => "Invalid",
            Status::BufferTooSmall => "BufferTooSmall",
        }
    }

    /// [`Status::name`] as bytes, cut out of all the names back to back: a table of one-byte
    /// offsets is smaller in the Wasm module than the match's tables of pointers and lengths.
    fn name_bytes(self) -> &'static [u8] {
        const NAMES: &[u8] = b"OkNotFoundConflictTooLargeIoInvalidBufferTooSmall";
        const ENDS: [u8; 8] = [0, 2, 10, 18, 26, 28, 35, 49];
        let i = self as usize;
        match (ENDS.get(i), ENDS.get(i + 1)) {
            (Some(&start), Some(&end)) => NAMES.get(usize::from(start)..usize::from(end)).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// From a raw code; unknown codes are reported as `Io`.
    pub fn from_u32(code: u32) -> Status {
        match code {
            0 => Status::Ok,
            1 => Status::NotFound,
            2 => Status::Conflict,
            3 => Status::TooLarge,
            5 => Status::Invalid,
            6 => Status::BufferTooSmall,
            _ => Status::Io,
        }
    }
}

/// A storage call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    Conflict { index: usize },
    TooLarge { what: &'static str },
    Host { status: Status, what: &'static str },
    Invalid { what: &'static str },
}

impl git_core::msg::Describe for StoreError {
    fn describe(&self, m: &mut git_core::msg::Msg<'_>) {
        match self {
            StoreError::Conflict { index } => m
                .s("ref update conflict at update ")
                .u(*index as u64)
                .s(": the ref no longer has the expected old value"),
            // The variants naming `what` share one call sequence: fewer calls in the Wasm module.
            StoreError::TooLarge { what } | StoreError::Host { what, .. } | StoreError::Invalid { what } => {
                let (before, status, after): (_, &[u8], _) = match self {
                    StoreError::Host { status, .. } => ("storage failure (", status.name_bytes(), "): "),
                    StoreError::TooLarge { .. } => ("stored value over the host limit: ", b"", ""),
                    _ => ("invalid argument to storage: ", b"", ""),
                };
                // The name is ASCII: `lossy` copies it as it is.
                m.s(before).lossy(status).s(after).s(what)
            }
        };
    }
}
git_core::display_via_describe!(StoreError);

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::ToString;

    #[test]
    fn names_match_debug_and_messages_name_the_status() {
        for code in 0..8 {
            let s = Status::from_u32(code);
            assert_eq!(s.name(), format!("{s:?}"));
            assert_eq!(s.name_bytes(), s.name().as_bytes());
        }
        let e = StoreError::Host { status: Status::NotFound, what: "object_read" };
        assert_eq!(e.to_string(), "storage failure (NotFound): object_read");
    }
}
