//! Shallow boundaries (gitprotocol-pack "Shallow Clone", gitprotocol-v2 `shallow-info`; git's
//! upload-pack.c `deepen`, `deepen_by_rev_list`, `send_unshallow` and shallow.c
//! `get_shallow_commits`, `get_shallow_commits_by_rev_list`).

use super::args::{FetchArgs, INFINITE_DEPTH};
use super::graph::{header, Graph};
use crate::refs;
use super::error::{corrupt, Failed, Res};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use git_core::{ObjectId, ObjectKind, OidMap, OidSet};
use host_abi::Store;

/// What the shallow computation tells the client and the walk.
#[derive(Clone, Debug)]
pub struct ShallowInfo {
    /// Commits whose parents the walk must not follow: first the `client` shallow commits of the
    /// request, then the ones of the `shallow <oid>` lines (new boundary commits).
    pub boundary: OidSet,
    /// How many of `boundary` are the client's.
    pub client: usize,
    /// `unshallow <oid>` lines: client shallow commits whose parents are now sent. The client
    /// has them (extra haves of the walk).
    pub unshallow: Vec<ObjectId>,
    /// Parents of unshallowed commits: walked as extra wants.
    pub extra_wants: Vec<ObjectId>,
}

impl Default for ShallowInfo {
    fn default() -> Self {
        // A constant rather than a call per empty collection.
        const EMPTY: ShallowInfo =
            ShallowInfo { boundary: OidSet::new(), client: 0, unshallow: Vec::new(), extra_wants: Vec::new() };
        EMPTY
    }
}

impl ShallowInfo {
    /// The `i`th line to send: the `shallow` lines, then the `unshallow` lines.
    pub fn line(&self, i: usize) -> Option<(&'static [u8], &ObjectId)> {
        let new = self.boundary.as_slice().get(self.client..).unwrap_or_default();
        match new.get(i) {
            Some(id) => Some((b"shallow ", id)),
            // `i` is at least `new.len()` here.
            None => self.unshallow.get(i - new.len()).map(|id| (&b"unshallow "[..], id)),
        }
    }
}

/// A shallow request git refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShallowError {
    NotACommit(ObjectId),
    DeepenNot(String),
    NoCommits,
}

impl git_core::msg::Describe for ShallowError {
    fn describe(&self, m: &mut git_core::msg::Msg<'_>) {
        match self {
            ShallowError::NotACommit(id) => m.s("invalid shallow object ").id(id),
            ShallowError::DeepenNot(name) => m.s("git upload-pack: ambiguous deepen-not: ").s(name),
            ShallowError::NoCommits => m.s("no commits selected for shallow requests"),
        };
    }
}
git_core::display_via_describe!(ShallowError);

/// A commit's parent the store lacks (also the walk's error: one copy of the text).
pub(super) fn missing(id: &ObjectId) -> Failed {
    corrupt(id, "parent commit missing from the store")
}

/// Compute the shallow info for `args` and its (already validated) wants into `info` (empty
/// before). `Ok(Err(_))` is a protocol error for the client; the error is boxed as the `Ok`
/// path moves this result.
pub fn compute<S: Store>(
    store: &mut S,
    graph: &mut Graph,
    args: &FetchArgs,
    info: &mut ShallowInfo,
) -> Res<Result<(), Box<ShallowError>>> {
    // The working sets are owned here and dropped once: the many exits of the computation
    // carry no drop code.
    let mut not_shallow: OidSet = OidSet::new();
    let mut rev_list = [OidSet::new(), OidSet::new()];
    let mut result: Vec<ObjectId> = Vec::new();
    compute_with(store, graph, args, info, &mut not_shallow, &mut rev_list, &mut result)
}

/// [`compute`] with its sets (the commits not to be shallow, two for [`by_rev_list`]) and its new
/// boundary commits, all empty before.
fn compute_with<S: Store>(
    store: &mut S,
    graph: &mut Graph,
    args: &FetchArgs,
    info: &mut ShallowInfo,
    not_shallow: &mut OidSet,
    rev_list: &mut [OidSet; 2],
    result: &mut Vec<ObjectId>,
) -> Res<Result<(), Box<ShallowError>>> {
    let wants = args.wants.as_slice();
    // upload-pack.c process_shallow: unknown ids are ignored, non-commits refused.
    // The client's shallow commits in request order, each once: the boundary's first part (its
    // own set, no other kept for them).
    for s in &args.shallows {
        match header(store, s)? {
            None => continue,
            Some((kind, _)) if kind != ObjectKind::Commit => return Ok(Err(Box::new(ShallowError::NotACommit(*s)))),
            Some(_) => info.boundary.insert(*s),
        };
    }
    info.client = info.boundary.len();
    let client = info.boundary.as_slice();
    if args.depth == INFINITE_DEPTH {
        not_shallow.extend(client.iter().copied());
    } else if args.depth > 0 {
        let (heads, depth) = if args.has(super::args::DEEPEN_RELATIVE) {
            (client, args.depth.saturating_add(1))
        } else {
            (wants, args.depth)
        };
        // `extra_wants`, empty until send_unshallow below, lends its buffer as the walk's stack.
        shallow_commits(store, graph, heads, depth, result, not_shallow, &mut info.extra_wants)?;
    } else if args.deepen_by_rev_list() {
        if let Err(e) = by_rev_list(store, graph, args, wants, result, not_shallow, rev_list)? {
            return Ok(Err(e));
        }
    }
    // send_unshallow.
    for c in client {
        if not_shallow.contains(c) {
            info.unshallow.push(*c);
            if let Some(commit) = graph.commit(store, c)? {
                info.extra_wants.extend_from_slice(&commit.parents);
            }
        }
    }
    // send_shallow: the list is built by prepending, so newest-found last. A client's shallow
    // commit is on the boundary already (and not inserted again).
    for c in result.iter().rev() {
        if !not_shallow.contains(c) {
            info.boundary.insert(*c);
        }
    }
    Ok(Ok(()))
}

/// shallow.c get_shallow_commits. `stack` is a lent buffer, empty before and after (a walk that
/// fails leaves it as it was then: the request fails too).
fn shallow_commits<S: Store>(
    store: &mut S,
    graph: &mut Graph,
    heads: &[ObjectId],
    depth: u32,
    result: &mut Vec<ObjectId>,
    not_shallow: &mut OidSet,
    stack: &mut Vec<ObjectId>,
) -> Res<()> {
    // u64 values: the map code the walk instantiates already.
    let mut depths: OidMap<u64> = OidMap::new();
    let mut heads = heads.iter();
    // The last parent is walked next (git keeps it in `commit`; here it is on top of the stack),
    // before the next head; the other parents wait on the stack until the heads are done.
    let mut follow = false;
    loop {
        if !follow {
            if let Some(h) = heads.next() {
                // A head is at depth 0 and walked next.
                if graph.push_commit(store, h, stack)? {
                    // The commit pushed is where the peel ended.
                    depths.insert(graph.peeled, 0);
                    follow = true;
                }
                continue;
            }
        }
        let Some(c) = stack.pop() else { break };
        follow = false;
        // The depth it was queued at (only u32 values are stored), plus one.
        let cur = depths.get(&c).map_or(0, |d| *d as u32) + 1;
        if depth != INFINITE_DEPTH && cur >= depth {
            result.push(c);
            continue;
        }
        not_shallow.insert(c);
        let Some(info) = graph.commit(store, &c)? else {
            return Err(missing(&c));
        };
        // Borrowed: nothing below reads the graph. `follow` ends up telling whether the last
        // parent was pushed.
        for &p in &info.parents {
            follow = false;
            match depths.get(&p) {
                Some(d) if u64::from(cur) >= *d => continue,
                _ => {
                    depths.insert(p, u64::from(cur));
                }
            }
            stack.push(p);
            follow = true;
        }
    }
    Ok(())
}

/// Resolve a `deepen-not` name like git's `expand_ref` (the rev-parse rules) and push the commit
/// it peels to (if any) onto `stack`; `false` if the name does not resolve.
fn expand_ref<S: Store>(store: &mut S, graph: &mut Graph, name: &str, stack: &mut Vec<ObjectId>) -> Res<bool> {
    const RULES: [(&str, &str); 6] =
        [("", ""), ("refs/", ""), ("refs/tags/", ""), ("refs/heads/", ""), ("refs/remotes/", ""), ("refs/remotes/", "/HEAD")];
    for &(pre, post) in &RULES {
        let mut full = String::from(pre);
        full.push_str(name);
        full.push_str(post);
        // The name is dropped before any exit: one drop.
        let found = refs::resolve(store, &full);
        drop(full);
        if let Some(id) = found? {
            graph.push_commit(store, &id, stack)?;
            return Ok(true);
        }
    }
    Ok(false)
}

/// Add to `seen`, in the order found, the commits reachable from `stack` through parents, except
/// those in `stop` and those committed before `since`. With `stop` (the selection), a commit
/// missing from the store is an error; without (the `deepen-not` exclusion), a missing or
/// non-commit object is added and not followed.
fn reach<S: Store>(
    store: &mut S,
    graph: &mut Graph,
    stack: &mut Vec<ObjectId>,
    seen: &mut OidSet,
    stop: Option<&OidSet>,
    since: Option<i64>,
) -> Res<()> {
    while let Some(c) = stack.pop() {
        if stop.is_some_and(|s| s.contains(&c)) || seen.contains(&c) {
            continue;
        }
        match graph.commit(store, &c)? {
            Some(info) if since.is_some_and(|since| info.date < since) => continue,
            Some(info) => stack.extend_from_slice(&info.parents),
            None if stop.is_some() => return Err(missing(&c)),
            None => {}
        }
        seen.insert(c);
    }
    Ok(())
}

/// shallow.c get_shallow_commits_by_rev_list for `deepen-since` / `deepen-not`. `sets` are
/// [`compute`]'s (empty before; owned there, so that no exit here drops a set).
fn by_rev_list<S: Store>(
    store: &mut S,
    graph: &mut Graph,
    args: &FetchArgs,
    wants: &[ObjectId],
    result: &mut Vec<ObjectId>,
    not_shallow: &mut OidSet,
    sets: &mut [OidSet; 2],
) -> Res<Result<(), Box<ShallowError>>> {
    // The excluded commits and the selected ones.
    let [excluded, set] = sets;
    // `result` (empty until the end) serves as the walks' stack: each `reach` leaves it empty.
    let stack = result;
    for name in &args.deepen_not {
        if !expand_ref(store, graph, name, stack)? {
            let mut line = String::from("deepen-not ");
            line.push_str(name);
            return Ok(Err(Box::new(ShallowError::DeepenNot(line))));
        }
    }
    reach(store, graph, stack, excluded, None, None)?;
    // The selected commits, in the order found (`set`).
    for w in wants {
        graph.push_commit(store, w, stack)?;
    }
    reach(store, graph, stack, set, Some(excluded), args.deepen_since)?;
    if set.is_empty() {
        return Ok(Err(Box::new(ShallowError::NoCommits)));
    }
    // Last found first: `compute` reads the result backwards. The stack is empty again: the
    // result after all.
    let result = stack;
    for c in set.as_slice().iter().rev() {
        if graph.cached(c).is_some_and(|i| i.parents.iter().any(|p| !set.contains(p))) {
            result.push(*c);
        } else {
            not_shallow.insert(*c);
        }
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> ObjectId {
        ObjectId::Sha1([n; 20])
    }

    #[test]
    fn lines_are_the_new_boundary_then_the_unshallowed() {
        // Two client shallow commits (the boundary's first part, not sent), two new ones.
        let mut info = ShallowInfo::default();
        for n in [1, 2, 3, 4] {
            info.boundary.insert(id(n));
        }
        info.client = 2;
        info.unshallow.push(id(1));
        let lines: Vec<_> = (0..).map_while(|i| info.line(i)).map(|(p, i)| (p, *i)).collect();
        assert_eq!(
            lines,
            [(&b"shallow "[..], id(3)), (&b"shallow "[..], id(4)), (&b"unshallow "[..], id(1))]
        );
        // Without client shallow commits every boundary commit is sent.
        info.client = 0;
        info.unshallow.clear();
        assert_eq!((0..).map_while(|i| info.line(i)).count(), 4);
    }
}
