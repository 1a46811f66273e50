//! `.gitattributes` blobs: git refuses to read attribute files over 100 MiB or with lines of
//! 2048 bytes or more (attr.h `ATTR_MAX_FILE_SIZE`, `ATTR_MAX_LINE_LENGTH`; fsck.c `fsck_blob`;
//! fsck-msgids `gitattributesLarge`, `gitattributesLineLength`).

use super::{FsckError, FsckOptions, FsckReport, MsgId};

/// Largest `.gitattributes` git reads.
pub const MAX_FILE_SIZE: usize = 100 * 1024 * 1024;
/// A line this long or longer is rejected.
pub const MAX_LINE_LENGTH: usize = 2048;

/// Check a blob a tree names `.gitattributes`.
pub fn check_gitattributes_blob(data: &[u8], options: &FsckOptions) -> Result<FsckReport, FsckError> {
    let mut report = FsckReport::default();
    if data.len() > MAX_FILE_SIZE {
        options.report(MsgId::GitattributesLarge, ".gitattributes too large to parse", &mut report)?;
        return Ok(report);
    }
    // git scans the blob as a C string: a NUL ends it.
    let text = match data.iter().position(|b| *b == 0) {
        Some(nul) => data.get(..nul).unwrap_or(data),
        None => data,
    };
    if text.split(|b| *b == b'\n').any(|line| line.len() >= MAX_LINE_LENGTH) {
        let detail = ".gitattributes has too long lines to parse";
        options.report(MsgId::GitattributesLineLength, detail, &mut report)?;
    }
    Ok(report)
}
