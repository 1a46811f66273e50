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
    /// Inlined into its one caller: the answer is not returned through memory and copied.
    #[inline]
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

    /// The second pass over special blobs, read back from the store into `buf` (the caller's
    /// scratch buffer: its contents are replaced).
    pub fn second_pass<S: Store>(
        &mut self,
        store: &mut S,
        reader: &mut ObjectReader,
        limits: &ReadLimits,
        buf: &mut Vec<u8>,
    ) -> Result<(), UnpackError> {
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
                let kind = reader.read(store, &id, limits, buf).map_err(|e| read_failed(id, &e))?;
                let (options, report) = (&self.options, &mut self.report);
                let checked = match kind {
                    Some(ObjectKind::Blob) if attributes => check_gitattributes_blob_into(buf, options, report),
                    Some(ObjectKind::Blob) => check_gitmodules_blob_into(buf, options, report),
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

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use host_abi::{MemStore, ObjectHeader, StoredEncoding};

    fn put(store: &mut MemStore, kind: ObjectKind, data: &[u8]) -> ObjectId {
        let id = git_core::hash_object(kind, data).expect("hash");
        let size = data.len() as u64;
        let header = ObjectHeader { kind, size, encoding: StoredEncoding::Full, payload_size: size, depth: 0 };
        store.object_write(&id, &header, &git_core::zlib::deflate(data, 6)).expect("write");
        id
    }

    /// A tree naming `blob` `.gitmodules`, checked; then the second pass, reading into `buf`.
    fn second_pass(store: &mut MemStore, blob: &ObjectId, buf: &mut Vec<u8>) -> Result<(), UnpackError> {
        let mut tree = b"100644 .gitmodules\0".to_vec();
        tree.extend_from_slice(blob.as_bytes());
        let mut fsck = Fsck::default();
        fsck.check(ObjectKind::Tree, &tree).expect("a clean tree");
        fsck.second_pass(store, &mut ObjectReader::default(), &ReadLimits::default(), buf)
    }

    #[test]
    fn second_pass_reads_the_special_blobs_into_the_callers_buffer() {
        let mut store = MemStore::new();
        let mut buf = b"left over".to_vec();
        let good = put(&mut store, ObjectKind::Blob, b"[submodule \"a\"]\n\tpath = a\n\turl = https://example.com/a\n");
        second_pass(&mut store, &good, &mut buf).expect("a clean .gitmodules");
        assert!(buf.starts_with(b"[submodule"), "the blob was read into the caller's buffer");
        let bad = put(&mut store, ObjectKind::Blob, b"[submodule \"a\"]\n\tpath = a\n\turl = --upload-pack=x\n");
        let e = second_pass(&mut store, &bad, &mut buf).expect_err("an option as url");
        assert!(e.to_string().starts_with(&alloc::format!("fsck error in packed object {bad}: ")), "{e}");
        let missing = ObjectId::Sha1([7; 20]);
        let e = second_pass(&mut store, &missing, &mut buf).expect_err("missing");
        assert!(e.to_string().contains("unable to read .gitmodules blob"), "{e}");
    }
}
