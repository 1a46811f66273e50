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
    check_gitattributes_blob_into(data, options, &mut report)?;
    Ok(report)
}

/// [`check_gitattributes_blob`], adding its warnings to `report`.
pub fn check_gitattributes_blob_into(data: &[u8], options: &FsckOptions, report: &mut FsckReport) -> Result<(), FsckError> {
    if data.len() > MAX_FILE_SIZE {
        return options.report(MsgId::GitattributesLarge, ".gitattributes too large to parse", report);
    }
    // git scans the blob as a C string (a NUL ends it), line by line.
    let mut line_len = 0;
    for &b in data {
        match b {
            0 => break,
            b'\n' => line_len = 0,
            _ => {
                line_len += 1;
                if line_len >= MAX_LINE_LENGTH {
                    let detail = ".gitattributes has too long lines to parse";
                    return options.report(MsgId::GitattributesLineLength, detail, report);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn too_long(data: &[u8]) -> bool {
        check_gitattributes_blob(data, &FsckOptions::default()).is_err()
    }

    #[test]
    fn line_length() {
        let line = |n: usize| core::iter::repeat_n(b'a', n).collect::<Vec<u8>>();
        assert!(!too_long(&line(MAX_LINE_LENGTH - 1)));
        assert!(too_long(&line(MAX_LINE_LENGTH)));
        let mut two = line(MAX_LINE_LENGTH - 1);
        two.push(b'\n');
        two.extend(line(MAX_LINE_LENGTH - 1));
        assert!(!too_long(&two), "each line is short");
        two.push(b'a');
        assert!(too_long(&two), "the last line counts without a newline");
        let mut nul = line(10);
        nul.push(0);
        nul.extend(line(MAX_LINE_LENGTH));
        assert!(!too_long(&nul), "a NUL ends the text");
        let err = check_gitattributes_blob(&line(MAX_LINE_LENGTH), &FsckOptions::lenient()).expect_err("an error");
        assert_eq!(err.id, MsgId::GitattributesLineLength);
    }
}
