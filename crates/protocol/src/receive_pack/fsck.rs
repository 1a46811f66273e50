//! fsck of received objects (`receive.fsckObjects` with `--strict`, git's fsck.c through
//! `index-pack --strict`), using `git_core::fsck`: every new object is checked as it arrives, and
//! the blobs that trees name `.gitmodules` or `.gitattributes` are checked in a second pass once
//! the whole pack is stored, whether the blob came before the tree, after it, or was already
//! stored (git's `fsck_finish`). The checks also gather the ids the new objects name
//! ([`Fsck::links`]), for the connectivity check.

use super::error::UnpackError;
use super::unpack::{fsck_failed, read_failed};
use crate::odb::{ObjectReader, ReadLimits};
use alloc::vec::Vec;
use git_core::fsck::{check_gitattributes_blob_into, check_gitmodules_blob_into, check_object_into, FsckError, FsckOptions, FsckReport, MsgId};
use git_core::{ObjectId, ObjectKind, OidSet};
use host_abi::Store;

/// The fsck state of one push.
#[derive(Debug)]
pub struct Fsck {
    options: FsckOptions,
    /// The special blobs and the links of every object checked. Not its warnings (cleared after
    /// each object). The only state that grows with the pack: ids, bounded like the unpacker's
    /// `written` by the pack's own size; sets rather than sorted lists, so no slice-sort code in
    /// the Wasm module.
    report: FsckReport,
}

impl Default for Fsck {
    fn default() -> Self {
        Fsck { options: FsckOptions::strict(), report: FsckReport::default() }
    }
}

/// What fsck.c `fsck_blobs` reports for a special blob it cannot check, per file (`.gitmodules`,
/// then `.gitattributes`): the blob is missing, or the object is not a blob.
const UNCHECKABLE: [[(MsgId, &str); 2]; 2] = [
    [
        (MsgId::GitmodulesMissing, "unable to read .gitmodules blob"),
        (MsgId::GitmodulesBlob, "non-blob found at .gitmodules"),
    ],
    [
        (MsgId::GitattributesMissing, "unable to read .gitattributes blob"),
        (MsgId::GitattributesBlob, "non-blob found at .gitattributes"),
    ],
];

impl Fsck {
    /// Check one new object; remember the special blobs a tree names and the ids it names.
    pub fn check(&mut self, kind: ObjectKind, data: &[u8]) -> Result<(), FsckError> {
        let checked = check_object_into(kind, data, &self.options, &mut self.report);
        self.report.warnings.clear();
        checked
    }

    /// The ids the checked objects name (commit tree and parents, tree entries except gitlinks,
    /// tag object), each once, in the order first named.
    pub fn links(&self) -> &OidSet {
        &self.report.links
    }

    /// The blobs trees name `.gitattributes` (`attributes`) or `.gitmodules`.
    fn special(&self, attributes: bool) -> &[ObjectId] {
        if attributes {
            self.report.gitattributes.as_slice()
        } else {
            self.report.gitmodules.as_slice()
        }
    }

    /// The second pass over special blobs, read back from the store.
    pub fn second_pass<S: Store>(
        &mut self,
        store: &mut S,
        reader: &mut ObjectReader,
        limits: &ReadLimits,
    ) -> Result<(), UnpackError> {
        let mut buf = Vec::new();
        // A range, not an array of the two flags or an enumerated table: no iterator adapter
        // in the Wasm module.
        #[allow(clippy::needless_range_loop)]
        for file in 0..2 {
            let attributes = file == 1;
            let [missing, not_blob] = UNCHECKABLE[file];
            let mut next = 0;
            // By index: the checks add to the report that holds the list (warnings only).
            while let Some(&id) = self.special(attributes).get(next) {
                next += 1;
                let kind = reader.read(store, &id, limits, &mut buf).map_err(|e| read_failed(id, &e))?;
                let (options, report) = (&self.options, &mut self.report);
                let checked = match kind {
                    Some(ObjectKind::Blob) if attributes => check_gitattributes_blob_into(&buf, options, report),
                    Some(ObjectKind::Blob) => check_gitmodules_blob_into(&buf, options, report),
                    None => options.report(missing.0, missing.1, report),
                    Some(_) => options.report(not_blob.0, not_blob.1, report),
                };
                report.warnings.clear();
                checked.map_err(|e| fsck_failed(id, &e))?;
            }
        }
        Ok(())
    }
}
