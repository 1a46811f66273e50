//! Object enumeration for a fetch: the objects `git rev-list --objects <wants> --not <haves>`
//! lists, which is what git's upload-pack hands to pack-objects (upload-pack.c
//! `create_pack_file`; revision.c `limit_list`, list-objects.c, list-objects-filter.c).
//!
//! * Commits are walked newest first; commits reachable from haves are uninteresting, and the
//!   walk stops like git's once only uninteresting commits remain (with git's slop of 5).
//!   Commits on the shallow list are walked but their parents are not.
//! * Trees and blobs of the uninteresting parents of sent commits (the "edges") are known to the
//!   client: they are not sent, and they may serve as thin-pack bases.
//! * The filter drops trees/blobs; objects the client named in `want` lines bypass it.
//!
//! Memory holds ids and commit headers, never object contents beyond the one being read.

use super::filter::{Filter, NO_LIMIT};
use super::graph::{header, Graph};
use super::error::{corrupt, Res};
use alloc::vec::Vec;
use git_core::object::TreeIter;
use git_core::{ObjectId, ObjectKind, OidMap, OidSet};
use host_abi::Store;

const UNINTERESTING: u64 = 1;
const SEEN: u64 = 2;
/// revision.c `SLOP`.
const SLOP: u32 = 5;

/// What to enumerate.
#[derive(Clone, Copy, Debug)]
pub struct WalkInput<'a> {
    /// The client's wants (any kind).
    pub wants: &'a [ObjectId],
    /// What the client has (unknown ids are ignored).
    pub haves: &'a [ObjectId],
    /// Commits whose parents are not walked (the client's and the new shallow boundary).
    pub shallow: &'a OidSet,
    /// The object filter.
    pub filter: &'a Filter,
}

/// The result of enumeration.
#[derive(Clone, Debug, Default)]
pub struct Enumerated {
    /// Objects to send, commits first, in an ordered set (each once; the tree walk and the
    /// included tags look up what is sent already in it).
    pub objects: OidSet,
    /// Trees, blobs and commits the client is known to have (possible thin-pack bases).
    pub client_has: OidSet,
}

/// The walk's state. Every collection the enumeration uses is a field, dropped once when
/// [`enumerate`] returns: [`Walker::run`] then holds no owned locals, so its many `?` exits carry
/// no drop code.
struct Walker<'g, S> {
    store: &'g mut S,
    shallow: &'g OidSet,
    graph: &'g mut Graph,
    /// Flag bits per object; `u64` values, as the other maps of a fetch, for one instantiation of
    /// the map code.
    flags: OidMap<u64>,
    /// The commits to walk with their dates, sorted so that the last is the newest and, among
    /// equal dates, the first queued (a commit goes below those of its date queued before it).
    /// Kept sorted by insertion, as git's `commit_list_insert_by_date` keeps its list: the queue
    /// is the walk's frontier, and a sorted `Vec` is far less code than a binary heap.
    queue: Vec<(i64, ObjectId)>,
    /// The parents of the commit being looked at ([`parents_onto`]), reused for each.
    parents: Vec<ObjectId>,
    /// What the tree walk starts from: trees and blobs wanted by id (1 for a tree, 0 for a blob),
    /// then the root trees of the commits sent (2). `u64`: the element type of the tree walk's
    /// stack, for one instantiation of the `Vec` code.
    explicit: Vec<(ObjectId, u64)>,
    /// Tags to send, each once, in the order found.
    tags: OidSet,
    /// The commits the walk found interesting, newest first.
    commits: Vec<ObjectId>,
    /// Trees the client named as haves, then the root trees of the edges: what the client has
    /// below them is marked (a union: the order does not matter).
    edge_trees: Vec<ObjectId>,
    /// The tree walk: first marking what the client has below `edge_trees`, then (switched to
    /// the request's filter) finding what to send. One walker for both: its stack is empty
    /// between walks and its visited map unused while marking.
    trees: TreeWalk,
}

/// Append `id`'s parents as the walk sees them to `out`: none for a shallow commit (git grafts it
/// parentless) or a commit not read yet.
fn parents_onto(shallow: &OidSet, graph: &Graph, id: &ObjectId, out: &mut Vec<ObjectId>) {
    if shallow.contains(id) {
        return;
    }
    if let Some(c) = graph.cached(id) {
        out.extend_from_slice(&c.parents);
    }
}

impl<S: Store> Walker<'_, S> {
    fn flag(&self, id: &ObjectId) -> u64 {
        self.flags.get(id).copied().unwrap_or(0)
    }

    /// Queue a commit once; `false` if the store does not have it as a commit.
    fn push(&mut self, id: &ObjectId, extra: u64) -> Res<bool> {
        let f = self.flags.get_or_insert_with(*id, || 0);
        *f |= extra;
        if *f & SEEN != 0 {
            return Ok(true);
        }
        *f |= SEEN;
        let Some(info) = self.graph.commit(self.store, id)? else { return Ok(false) };
        let date = info.date;
        let pos = self.queue.partition_point(|e| e.0 < date);
        self.queue.insert(pos, (date, *id));
        Ok(true)
    }

    /// Put `id`'s parents as the walk sees them in `self.parents`.
    fn load_parents(&mut self, id: &ObjectId) {
        self.parents.clear();
        parents_onto(self.shallow, self.graph, id, &mut self.parents);
    }

    /// revision.c `mark_parents_uninteresting`: through parents already read.
    fn mark_parents_uninteresting(&mut self, id: &ObjectId) {
        let mut stack: Vec<ObjectId> = Vec::new();
        parents_onto(self.shallow, self.graph, id, &mut stack);
        while let Some(p) = stack.pop() {
            let f = self.flags.get_or_insert_with(p, || 0);
            if *f & UNINTERESTING != 0 {
                continue;
            }
            *f |= UNINTERESTING;
            parents_onto(self.shallow, self.graph, &p, &mut stack);
        }
    }

    fn everybody_uninteresting(&self) -> bool {
        self.queue.iter().all(|(_, id)| self.flag(id) & UNINTERESTING != 0)
    }

    /// The enumeration proper (see [`enumerate`]).
    fn run(&mut self, input: &WalkInput<'_>, out: &mut Enumerated) -> Res<()> {
        // The haves, then the wants, each peeled (one call for both): a commit is queued
        // (uninteresting for a have); another object is known to the client (a have) or starts
        // the tree walk (a want, whose annotated tags are sent themselves).
        let haves = input.haves.len();
        for i in 0..haves + input.wants.len() {
            let have = i < haves;
            let id = if have { input.haves.get(i) } else { input.wants.get(i - haves) };
            let Some(id) = id else { break };
            let kind = self.graph.peel(self.store, id)?;
            let cur = self.graph.peeled;
            if !have {
                self.tags.extend(self.graph.tags.iter().copied());
            }
            match kind {
                None => {}
                Some(ObjectKind::Commit) => {
                    self.push(&cur, if have { UNINTERESTING } else { 0 })?;
                }
                Some(ObjectKind::Tree) if have => self.edge_trees.push(cur),
                Some(_) if have => {
                    out.client_has.insert(cur);
                }
                Some(kind) => self.explicit.push((cur, u64::from(kind == ObjectKind::Tree))),
            }
        }

        // revision.c limit_list.
        let mut slop = SLOP;
        let mut last_date = i64::MAX;
        while let Some((date, id)) = self.queue.pop() {
            self.load_parents(&id);
            // The parents of an uninteresting commit are queued uninteresting (UNINTERESTING is
            // bit 0: `extra` is that bit of the commit's flags).
            let extra = self.flag(&id) & UNINTERESTING;
            // By index: `push` borrows the walker whole.
            let mut i = 0;
            while let Some(&p) = self.parents.get(i) {
                i += 1;
                if extra != 0 {
                    // Its own flag is set by `push` (nothing before reads it). A parent not read
                    // yet has no parents to mark.
                    self.mark_parents_uninteresting(&p);
                }
                if !self.push(&p, extra)? && extra == 0 {
                    return Err(super::shallow::missing(&id));
                }
            }
            if extra == 0 {
                last_date = date;
                self.commits.push(id);
                continue;
            }
            slop = match self.queue.last() {
                None => 0,
                Some((d, _)) if last_date <= *d => SLOP,
                Some(_) if !self.everybody_uninteresting() => SLOP,
                Some(_) => slop - 1,
            };
            if slop == 0 {
                break;
            }
        }
        // The ones still interesting (a pushed commit may have been marked since) are sent, their
        // root trees walked; their uninteresting parents are the edges (list-objects.c
        // mark_edges_uninteresting; a shallow commit has none).
        let keep_commits = input.filter.keeps_kind(ObjectKind::Commit);
        // By index: `load_parents` borrows the walker whole.
        let mut i = 0;
        while let Some(&c) = self.commits.get(i) {
            i += 1;
            if self.flag(&c) & UNINTERESTING != 0 {
                continue;
            }
            if keep_commits {
                out.objects.insert(c);
            }
            let Some(info) = self.graph.cached(&c) else { continue };
            self.explicit.push((info.tree, 2));
            self.load_parents(&c);
            for p in &self.parents {
                if self.flag(p) & UNINTERESTING != 0 && out.client_has.insert(*p) {
                    if let Some(info) = self.graph.commit(self.store, p)? {
                        self.edge_trees.push(info.tree);
                    }
                }
            }
        }
        // The marking walk takes `out.objects` as known before: it holds only commits yet, and no
        // tree or blob has a commit's id, so nothing it meets counts as known (no empty set kept
        // for the purpose).
        for &t in &self.edge_trees {
            self.trees.walk(self.store, self.graph, &out.objects, &mut out.client_has, t, false)?;
        }
        self.trees.marking = false;
        self.trees.filter = *input.filter;

        out.objects.extend(self.tags.iter().copied());
        for &(id, what) in &self.explicit {
            if what != 2 {
                out.objects.insert(id);
            }
            if what != 0 {
                self.trees.walk(self.store, self.graph, &out.client_has, &mut out.objects, id, what == 1)?;
            }
        }
        Ok(())
    }
}

/// Enumerate the objects to send into `out` (empty before; filled in place rather than returned).
pub fn enumerate<S: Store>(store: &mut S, graph: &mut Graph, input: WalkInput<'_>, out: &mut Enumerated) -> Res<()> {
    let mut w = Walker {
        store,
        shallow: input.shallow,
        graph,
        flags: OidMap::new(),
        queue: Vec::new(),
        parents: Vec::new(),
        explicit: Vec::new(),
        tags: OidSet::new(),
        commits: Vec::new(),
        edge_trees: Vec::new(),
        trees: TreeWalk::START,
    };
    w.run(&input, out)
}

/// A walk through trees, adding what it finds to an `out` set: the objects to send (with the
/// request's filter), or, `marking`, what the client has below its trees (list-objects.c
/// `mark_tree_uninteresting`; the default filter, which keeps all): then `out` is the client's set,
/// which also serves as the visited set, and a tree missing from the store is passed over.
struct TreeWalk {
    filter: Filter,
    marking: bool,
    /// Least depth each tree/blob was seen at (not used when marking).
    visited: OidMap<u64>,
    stack: Vec<(ObjectId, u64)>,
}

impl TreeWalk {
    /// The state before the walk: a constant (data the compiler copies), not a call per collection.
    const START: TreeWalk = TreeWalk { filter: Filter::ALL, marking: true, visited: OidMap::new(), stack: Vec::new() };
}

impl TreeWalk {
    /// First visit, or a visit at a smaller depth when a `tree:` filter makes depth matter; when
    /// marking, a first insertion into `out`.
    fn first_visit(&mut self, id: &ObjectId, depth: u64, out: &mut OidSet) -> bool {
        if self.marking {
            return out.insert(*id);
        }
        match self.visited.get(id) {
            Some(d) if self.filter.tree_depth == NO_LIMIT || *d <= depth => false,
            _ => {
                self.visited.insert(*id, depth);
                true
            }
        }
    }

    fn walk<S: Store>(
        &mut self,
        store: &mut S,
        graph: &mut Graph,
        has: &OidSet,
        out: &mut OidSet,
        root: ObjectId,
        user_given: bool,
    ) -> Res<()> {
        // The stack is empty between walks: the first entry popped is the root, the only one at
        // depth 0.
        self.stack.push((root, 0));
        let mut root_given = user_given;
        while let Some((t, depth)) = self.stack.pop() {
            let given = core::mem::take(&mut root_given);
            if has.contains(&t) || !self.first_visit(&t, depth, out) {
                continue;
            }
            if !given && self.filter.keeps_tree(depth) {
                out.insert(t);
            }
            if !self.filter.enters_tree(depth) {
                continue;
            }
            if graph.read(store, &t)?.is_none() {
                if self.marking {
                    continue;
                }
                return Err(corrupt(&t, "tree missing from the store"));
            }
            // Subtrees go on the stack, then that part is reversed: depth first in entry order,
            // like git's process_tree. Blobs are looked at as they come.
            let subtrees = self.stack.len();
            for e in TreeIter::new(&graph.buf) {
                let e = e.map_err(|_| corrupt(&t, "stored tree does not parse"))?;
                let b = e.id;
                match e.mode.object_kind() {
                    Some(ObjectKind::Tree) => self.stack.push((b, depth + 1)),
                    Some(_) => {
                        if has.contains(&b) || out.contains(&b) || !self.first_visit(&b, depth + 1, out) {
                            continue;
                        }
                        // The size is read only when a limit other than 0 makes it matter (under
                        // `blob:none` no size passes, without a limit every size does).
                        let mut size = 0;
                        if self.filter.blob_limit != 0 && self.filter.blob_limit != NO_LIMIT {
                            match header(store, &b)? {
                                Some((_, s)) => size = s,
                                None => return Err(corrupt(&b, "blob missing from the store")),
                            }
                        }
                        if self.filter.keeps_blob(size, depth + 1) {
                            out.insert(b);
                        }
                    }
                    None => {}
                }
            }
            if let Some(pushed) = self.stack.get_mut(subtrees..) {
                pushed.reverse();
            }
        }
        Ok(())
    }
}
