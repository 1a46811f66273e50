//! What the client's `have` lines tell the server (upload-pack.c `got_oid`, `do_got_oid`,
//! `ok_to_give_up`; commit-reach.c `can_all_from_reach_with_flag`): which haves are common, and
//! whether every want is reachable from them so the server can say `ready` (gitprotocol-pack
//! "Packfile Negotiation", gitprotocol-v2 "acknowledgments").

use super::graph::{header, Graph};
use super::error::Res;
use alloc::vec::Vec;
use git_core::{ObjectId, OidSet};
use host_abi::Store;

/// Negotiation state of one request.
#[derive(Debug)]
pub struct Haves {
    /// Commits the client has: each common have and its parents (git's `THEY_HAVE`).
    they_have: OidSet,
    /// Common haves in the order first seen (git's `have_obj`).
    pub common: Vec<ObjectId>,
    /// Date of the oldest common commit; `i64::MAX` before there is one (then `they_have` is
    /// empty, and the cutoff of [`Haves::ok_to_give_up`] does not matter).
    oldest: i64,
}

impl Default for Haves {
    fn default() -> Self {
        // A constant rather than a call per empty collection.
        const EMPTY: Haves = Haves { they_have: OidSet::new(), common: Vec::new(), oldest: i64::MAX };
        EMPTY
    }
}

/// How a `have` line turned out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HaveResult {
    /// We do not have the object.
    Unknown,
    /// We have it (and it is new to the common list, or was implied by an earlier have).
    Common,
}

impl Haves {
    /// git's `got_oid`. `cut`: commits whose parents the negotiation does not see (see
    /// [`Haves::ok_to_give_up`]).
    pub fn got<S: Store>(
        &mut self,
        store: &mut S,
        graph: &mut Graph,
        id: &ObjectId,
        cut: &OidSet,
    ) -> Res<HaveResult> {
        // A commit (which `commit` reads once), else any object the store has.
        let mut knew = false;
        if let Some(info) = graph.commit(store, id)? {
            let date = info.date;
            knew = !self.they_have.insert(*id);
            self.oldest = self.oldest.min(date);
            if !cut.contains(id) {
                self.they_have.extend(info.parents.iter().copied());
            }
        } else if header(store, id)?.is_none() {
            return Ok(HaveResult::Unknown);
        }
        if !knew {
            self.common.push(*id);
        }
        Ok(HaveResult::Common)
    }

    /// git's `ok_to_give_up`: every want reaches a commit the client has, through commits no
    /// older than the oldest common one. Non-commit wants count as reachable. `stack` is a buffer
    /// the caller lends (its contents are dropped): no list of its own to drop at each exit.
    ///
    /// `cut`: the shallow boundary in force while v0 negotiates — the client's shallow commits and
    /// the new ones of a deepening request, which git's upload-pack registers as shallow before it
    /// reads the haves (`receive_needs`, `send_unshallow`, `send_shallow`): their parents are
    /// hidden from the walk here and from [`Haves::got`], as `register_shallow` hides them from
    /// git's. (v2 computes the boundary after its negotiation, so the set is empty then.)
    pub fn ok_to_give_up<S: Store>(
        &self,
        store: &mut S,
        graph: &mut Graph,
        wants: &[ObjectId],
        stack: &mut Vec<ObjectId>,
        cut: &OidSet,
    ) -> Res<bool> {
        if self.common.is_empty() {
            return Ok(false);
        }
        let cutoff = self.oldest;
        for w in wants {
            stack.clear();
            if !graph.push_commit(store, w, stack)? {
                continue;
            }
            let mut seen: OidSet = OidSet::new();
            let mut found = false;
            // The want's commit is the first popped (and, `seen` then, the only time it counts).
            let mut root = true;
            while let Some(x) = stack.pop() {
                let is_root = core::mem::take(&mut root);
                if self.they_have.contains(&x) {
                    found = true;
                    break;
                }
                if !seen.insert(x) {
                    continue;
                }
                // Beyond the want itself, only commits no older than the cutoff are walked.
                let Some(info) = graph.commit(store, &x)? else { continue };
                if info.date < cutoff && !is_root {
                    continue;
                }
                if !cut.contains(&x) {
                    stack.extend_from_slice(&info.parents);
                }
            }
            if !found {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use git_core::ObjectKind;
    use crate::odb::tests::put_whole as put;
    use host_abi::MemStore;

    fn commit(store: &mut MemStore, tree: &ObjectId, parent: Option<&ObjectId>, time: u32) -> ObjectId {
        let mut text = alloc::format!("tree {tree}\n");
        if let Some(p) = parent {
            text.push_str(&alloc::format!("parent {p}\n"));
        }
        text.push_str(&alloc::format!("author A <a@x> {time} +0000\ncommitter A <a@x> {time} +0000\n\nm\n"));
        put(store, ObjectKind::Commit, text.as_bytes())
    }

    #[test]
    fn ready_needs_a_common_commit_below_each_commit_want() {
        let mut store = MemStore::new();
        let blob = put(&mut store, ObjectKind::Blob, b"x\n");
        let tree = put(&mut store, ObjectKind::Tree, b"");
        let base = commit(&mut store, &tree, None, 1_700_000_000);
        let tip = commit(&mut store, &tree, Some(&base), 1_700_000_100);
        let mut graph = Graph::default();

        // Only a blob in common: no commit the client has (and no oldest date), so no commit want
        // is reachable; a blob want alone counts as reachable.
        let mut haves = Haves::default();
        assert_eq!(haves.got(&mut store, &mut graph, &blob, &OidSet::new()).map_err(|f| *f.0).expect("test"), HaveResult::Common);
        assert!(!haves.ok_to_give_up(&mut store, &mut graph, &[tip], &mut Vec::new(), &OidSet::new()).map_err(|f| *f.0).expect("test"));
        assert!(haves.ok_to_give_up(&mut store, &mut graph, &[blob], &mut Vec::new(), &OidSet::new()).map_err(|f| *f.0).expect("test"));

        // The tip's parent in common: ready.
        assert_eq!(haves.got(&mut store, &mut graph, &base, &OidSet::new()).map_err(|f| *f.0).expect("test"), HaveResult::Common);
        assert!(haves.ok_to_give_up(&mut store, &mut graph, &[tip], &mut Vec::new(), &OidSet::new()).map_err(|f| *f.0).expect("test"));
        assert_eq!(haves.common, [blob, base]);
    }
}
