//! The parts of commits a fetch needs (tree, parents, committer date), read once from the store
//! and kept for the rest of the request; reading of trees and tags goes through the same buffers.

use crate::odb::{peel_tags, ObjectReader, ReadLimits};
use super::error::{corrupt, Res};
use alloc::vec::Vec;
use git_core::object::walk_info;
use git_core::{ObjectId, ObjectKind, OidMap};
use host_abi::Store;

/// Kind and size of `id`, `None` if absent: the part of the store's header the walks use, out of
/// line so that its callers do not each move the whole header.
#[inline(never)]
pub fn header<S: Store>(store: &mut S, id: &ObjectId) -> Res<Option<(ObjectKind, u64)>> {
    Ok(store.object_header(id)?.map(|h| (h.kind, h.size)))
}

/// What the walk keeps of a commit.
#[derive(Clone, Debug)]
pub struct CommitInfo {
    /// Committer time (what git's `commit->date` holds).
    pub date: i64,
    /// Root tree.
    pub tree: ObjectId,
    /// Parents in order.
    pub parents: Vec<ObjectId>,
}

/// Commit cache plus object-reading buffers.
#[derive(Debug)]
pub struct Graph {
    /// Commit id → its index in `infos` (a `u64` map: the map code the walks instantiate
    /// already, rather than one more instantiation for `CommitInfo` values).
    commits: OidMap<u64>,
    infos: Vec<CommitInfo>,
    reader: ObjectReader,
    /// The last object read by [`Graph::read`].
    pub buf: Vec<u8>,
    /// Where the last [`Graph::peel`] ended (kept here, like `buf`, rather than moved out to each
    /// caller in an `Option`).
    pub peeled: ObjectId,
    /// The annotated tags the last [`Graph::peel`] went through, in order.
    pub tags: Vec<ObjectId>,
    /// Caps on reading objects.
    pub limits: ReadLimits,
}

impl Default for Graph {
    fn default() -> Self {
        // A `const` empty graph: the compiler stores it as data and copies it, instead of calling
        // each collection's out-of-line constructor and moving the results into place.
        const EMPTY: Graph = Graph {
            commits: OidMap::new(),
            infos: Vec::new(),
            reader: ObjectReader::EMPTY,
            buf: Vec::new(),
            peeled: ObjectId::ZERO_SHA1,
            tags: Vec::new(),
            limits: ReadLimits::DEFAULT,
        };
        EMPTY
    }
}

impl Graph {
    /// Read `id` whole into `self.buf`.
    pub fn read<S: Store>(&mut self, store: &mut S, id: &ObjectId) -> Res<Option<ObjectKind>> {
        Ok(self.reader.read(store, id, &self.limits, &mut self.buf)?)
    }

    /// A commit's info, `None` if `id` is absent or not a commit.
    pub fn commit<S: Store>(&mut self, store: &mut S, id: &ObjectId) -> Res<Option<&CommitInfo>> {
        if !self.commits.contains_key(id) {
            match header(store, id)? {
                Some((ObjectKind::Commit, _)) => {}
                _ => return Ok(None),
            }
            self.read(store, id)?;
            let (tree, parents, date) =
                walk_info(&self.buf).ok_or_else(|| corrupt(id, "stored commit does not parse"))?;
            // Pushed one by one: `collect` would instantiate its own Vec-from-iterator code. The
            // exact room first (as `collect` would give; the count is bounded by the commit's
            // size), so that a cached commit holds no spare capacity.
            let mut list = Vec::with_capacity(parents.len());
            for p in parents {
                list.push(p);
            }
            self.commits.insert(*id, self.infos.len() as u64);
            self.infos.push(CommitInfo { date, tree, parents: list });
        }
        Ok(self.cached(id))
    }

    /// Follow tags from `id` to a commit and push that onto `stack`; `false` (nothing pushed) if
    /// the chain ends elsewhere or at a missing object. Every caller puts the commit on a walk's
    /// stack: pushing it here spares each of them moving an `Option<ObjectId>` out.
    #[inline(never)]
    pub fn push_commit<S: Store>(&mut self, store: &mut S, id: &ObjectId, stack: &mut Vec<ObjectId>) -> Res<bool> {
        match self.peel(store, id)? {
            Some(ObjectKind::Commit) => {
                stack.push(self.peeled);
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// A commit already read, without touching the store.
    pub fn cached(&self, id: &ObjectId) -> Option<&CommitInfo> {
        self.commits.get(id).and_then(|i| self.infos.get(*i as usize))
    }

    /// Follow tags from `id` ([`peel_tags`]): the first non-tag object's kind (`None` if missing),
    /// its id in `self.peeled` and the tags on the way in `self.tags`. The one tag-following loop
    /// of upload-pack: haves, wants, `include-tag` and `ls-refs` peel through it.
    pub fn peel<S: Store>(&mut self, store: &mut S, id: &ObjectId) -> Res<Option<ObjectKind>> {
        self.tags.clear();
        Ok(peel_tags(store, &mut self.reader, &self.limits, id, &mut self.buf, &mut self.peeled, &mut self.tags)?)
    }
}
