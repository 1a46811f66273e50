//! Which wants a v0/v1 client may ask for (gitprotocol-capabilities
//! "allow-reachable-sha1-in-want": any object reachable from a ref), and the tags `include-tag`
//! adds (gitprotocol-capabilities "include-tag": annotated tags pointing at objects being sent).

use super::graph::{header, Graph};
use crate::refs;
use super::error::Res;
use git_core::{ObjectId, OidSet};
use host_abi::Store;

/// The first want the store does not have.
///
/// v0/v1 accept any stored object, as v2 does (gitprotocol-v2 "want <oid>": any object id) and as
/// git's upload-pack does with `uploadpack.allowAnySHA1InWant`; the advertised
/// `allow-tip-sha1-in-want` and `allow-reachable-sha1-in-want` (gitprotocol-capabilities) are
/// subsets of that. Partial clones rely on it: their lazy fetches want single blobs and trees by
/// id. Objects of a rejected push are deleted before the push answers, so nothing unvetted is
/// served this way.
///
/// Returns its index, or `wants.len()` if the store has them all (an index, not an `Option<ObjectId>`
/// moved out).
pub fn first_missing<S: Store>(store: &mut S, wants: &[ObjectId]) -> Res<usize> {
    let mut i = 0;
    while let Some(w) = wants.get(i) {
        if header(store, w)?.is_none() {
            break;
        }
        i += 1;
    }
    Ok(i)
}

/// pack-objects `--include-tag`: for every annotated tag under `refs/tags/` whose chain ends at an
/// object being sent, add the tag objects of the chain not sent yet.
pub fn add_included_tags<S: Store>(
    store: &mut S,
    graph: &mut Graph,
    objects: &mut OidSet,
) -> Res<()> {
    let tags = refs::list(store, "refs/tags/")?;
    for r in &tags {
        let Some(id) = r.id else { continue };
        // The chain's tags are in `graph.tags`; a chain without tags is no annotated tag.
        if graph.peel(store, &id)?.is_some() && !graph.tags.is_empty() && objects.contains(&graph.peeled) {
            objects.extend(graph.tags.iter().copied());
        }
    }
    Ok(())
}
