//! Which wants a v0/v1 client may ask for (gitprotocol-capabilities
//! "allow-reachable-sha1-in-want": any object reachable from a ref), and the tags `include-tag`
//! adds (gitprotocol-capabilities "include-tag": annotated tags pointing at objects being sent).

use super::graph::Graph;
use crate::odb::tag_target;
use crate::refs;
use crate::service::ExchangeError;
use alloc::collections::BTreeSet;
use alloc::vec::Vec;
use git_core::{ObjectId, ObjectKind};
use host_abi::Store;

/// The first want that is neither a ref tip (or a peeled tip) nor a commit reachable from one.
/// Non-commit wants must be tips: reachability of trees and blobs is not searched.
pub fn first_unreachable<S: Store>(
    store: &mut S,
    graph: &mut Graph,
    wants: &[ObjectId],
) -> Result<Option<ObjectId>, ExchangeError> {
    let mut tips: BTreeSet<ObjectId> = BTreeSet::new();
    for r in refs::list(store, "")? {
        let Some(id) = r.id else { continue };
        let mut cur = id;
        // The ref and every tag level down to the peeled object.
        for _ in 0..32 {
            tips.insert(cur);
            match store.object_header(&cur)? {
                Some(h) if h.kind == ObjectKind::Tag => {
                    graph.read(store, &cur)?;
                    match tag_target(&graph.buf) {
                        Some(t) => cur = t,
                        None => break,
                    }
                }
                _ => break,
            }
        }
    }
    let mut reachable: Option<BTreeSet<ObjectId>> = None;
    for w in wants {
        if tips.contains(w) {
            continue;
        }
        match store.object_header(w)? {
            Some(h) if h.kind == ObjectKind::Commit => {}
            _ => return Ok(Some(*w)),
        }
        if reachable.is_none() {
            let mut set = BTreeSet::new();
            let mut stack: Vec<ObjectId> = tips.iter().copied().collect();
            while let Some(c) = stack.pop() {
                if set.contains(&c) {
                    continue;
                }
                if let Some(info) = graph.commit(store, &c)? {
                    stack.extend_from_slice(&info.parents);
                    set.insert(c);
                }
            }
            reachable = Some(set);
        }
        if !reachable.as_ref().is_some_and(|r| r.contains(w)) {
            return Ok(Some(*w));
        }
    }
    Ok(None)
}

/// pack-objects `--include-tag`: for every annotated tag under `refs/tags/` whose chain ends at an
/// object being sent, add the tag objects of the chain not sent yet.
pub fn add_included_tags<S: Store>(
    store: &mut S,
    graph: &mut Graph,
    objects: &mut Vec<ObjectId>,
) -> Result<(), ExchangeError> {
    let tags = refs::list(store, "refs/tags/")?;
    if tags.is_empty() {
        return Ok(());
    }
    let mut set: BTreeSet<ObjectId> = objects.iter().copied().collect();
    for r in tags {
        let Some(id) = r.id else { continue };
        let mut chain: Vec<ObjectId> = Vec::new();
        let mut cur = id;
        let mut target = None;
        for _ in 0..32 {
            match store.object_header(&cur)? {
                Some(h) if h.kind == ObjectKind::Tag => {
                    chain.push(cur);
                    graph.read(store, &cur)?;
                    match tag_target(&graph.buf) {
                        Some(t) => cur = t,
                        None => break,
                    }
                }
                Some(_) => {
                    target = Some(cur);
                    break;
                }
                None => break,
            }
        }
        if chain.is_empty() || !target.is_some_and(|t| set.contains(&t)) {
            continue;
        }
        for t in chain {
            if set.insert(t) {
                objects.push(t);
            }
        }
    }
    Ok(())
}
