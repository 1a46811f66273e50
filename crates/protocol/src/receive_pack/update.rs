//! Checking and applying the ref updates of a push (receive-pack.c `update`,
//! `execute_commands_non_atomic`, `execute_commands_atomic`; git 2.47 reasons).
//!
//! Each command is first checked on its own: a ref name git would call funny, a new id that is
//! not stored, deleting the branch HEAD points at, a non-commit for `refs/heads/*`, a second
//! update of the same ref, a directory/file conflict with another ref. Then refs move by
//! compare-and-swap against the old id the client sent ([`Store::refs_update`]):
//! without `atomic` each ref on its own, deletions first; with `atomic` all in one update or none.

use super::command::Command;
use super::refname::is_updatable_ref;
use super::report::Messages;
use crate::service::ExchangeError;
use alloc::string::String;
use alloc::vec::Vec;
use git_core::msg::with;
use git_core::{ObjectId, ObjectKind, OidMap, OidSet};
use host_abi::{RefUpdate, RefValue, Store, StoreError};

/// Reasons a command failed, as git words them.
pub mod reason {
    pub const FUNNY: &str = "funny refname";
    pub const BAD_PACK: &str = "bad pack";
    pub const DELETE_CURRENT: &str = "deletion of the current branch prohibited";
    pub const FAILED: &str = "failed to update ref";
    pub const ATOMIC_PUSH: &str = "atomic push failure";
    pub const ATOMIC_TX: &str = "atomic transaction failed";
    pub const UNPACKER: &str = "unpacker error";
    /// `missing necessary objects`: the bytes of [`super::super::error::MISSING_OBJECTS`]
    /// without its `: ` (one copy of the text in the Wasm module).
    pub static MISSING: &str = without_colon(super::super::error::MISSING_OBJECTS);

    const fn without_colon(s: &'static str) -> &'static str {
        match s.as_bytes().split_last_chunk::<2>() {
            Some((words, b": ")) => match core::str::from_utf8(words) {
                Ok(w) => w,
                Err(_) => s,
            },
            _ => s,
        }
    }
}

fn some(id: &ObjectId) -> Option<ObjectId> {
    if id.is_null() {
        None
    } else {
        Some(*id)
    }
}

/// `error: <before><name><after>`: the messages about one ref, or one object (`name` its hex),
/// share this one formatter.
pub(super) fn ref_error(msgs: &mut Messages, before: &str, name: &[u8], after: &str) {
    msgs.error(&with(|m| {
        m.s(before).lossy(name).s(after);
    }));
}

/// [`ref_error`] about an object: `name` is `id`'s hex. One copy of the hex buffer for both callers.
pub(super) fn id_error(msgs: &mut Messages, before: &str, id: &ObjectId, after: &str) {
    let mut hex = [0u8; 40];
    ref_error(msgs, before, id.hex_into(&mut hex).as_bytes(), after);
}

/// The checks of receive-pack's `update()` that need no ref lock; `None` if the command may go on.
/// Inlined into its one caller: the answer is not returned through memory and copied.
#[inline]
fn check_one<S: Store>(
    store: &mut S,
    cmd: &Command,
    head_target: Option<&str>,
    msgs: &mut Messages,
) -> Result<Option<&'static str>, StoreError> {
    let name = match cmd.name_str() {
        Some(n) if is_updatable_ref(&cmd.name, cmd.is_delete()) => n,
        _ => {
            ref_error(msgs, "refusing to update funny ref '", &cmd.name, "' remotely");
            return Ok(Some(reason::FUNNY));
        }
    };
    if !cmd.is_delete() {
        let Some(header) = store.object_header(&cmd.new)? else {
            id_error(msgs, "unpack should have generated ", &cmd.new, ", but I can't find it!");
            return Ok(Some(reason::BAD_PACK));
        };
        if name.starts_with("refs/heads/") && header.kind != ObjectKind::Commit {
            msgs.error(&with(|m| {
                m.s("trying to write non-commit object ").id(&cmd.new).s(" to branch '").s(name).s("'");
            }));
            return Ok(Some(reason::FAILED));
        }
    } else if !cmd.old.is_null() && head_target == Some(name) {
        ref_error(msgs, "refusing to delete the current branch: ", name.as_bytes(), "");
        return Ok(Some(reason::DELETE_CURRENT));
    }
    Ok(None)
}

/// A ref name as a key of the id-keyed set and map the fetch side uses anyway ([`OidSet`],
/// [`OidMap`]): the SHA-1 of the name's bytes. A `BTreeSet` of names would add its own copy of the
/// tree code to the Wasm module. Two names share a key only through a SHA-1 collision; one the
/// collision detection reports maps to the null id, which at worst makes a push fail
/// (as a "multiple updates" or directory/file conflict), never succeed wrongly.
fn key(name: &[u8]) -> ObjectId {
    git_core::hash_object(ObjectKind::Blob, name).unwrap_or(ObjectId::null(git_core::ObjectFormat::Sha1))
}

/// True if the ref `name` exists.
fn exists<S: Store>(store: &mut S, name: &str) -> Result<bool, StoreError> {
    Ok(store.ref_read(name)?.is_some())
}

/// The directories of `name`, shortest first: `refs`, `refs/heads` of `refs/heads/a`. An index
/// loop, not an iterator chain: less code in the Wasm module.
fn dirs(name: &[u8], mut each: impl FnMut(&[u8])) {
    for end in 0..name.len() {
        if name.get(end) == Some(&b'/') {
            each(name.get(..end).unwrap_or(&[]));
        }
    }
}

/// The names this push deletes and creates, for directory/file conflicts.
#[derive(Default)]
struct PushNames {
    /// Refs the accepted deletions remove.
    deleted: OidSet,
    /// Refs created by commands before the one being checked.
    added: OidSet,
    /// Each directory (`refs/heads/a` of `refs/heads/a/b`) of an added name → the index among
    /// the push's commands of the least added name below it (the one a sorted search from the
    /// directory finds first). An index, not the name: the `OidMap<u64>` the fetch side uses
    /// anyway, no map code of its own in the Wasm module.
    dirs: OidMap<u64>,
}

/// The name of `commands[i]` (empty if there is none).
fn name_at(commands: &[Command], i: u64) -> &[u8] {
    commands.get(i as usize).map_or(&[], |c| c.name.as_slice())
}

impl PushNames {
    /// Record that `commands[i]` creates its ref.
    fn add(&mut self, commands: &[Command], i: usize) {
        let name = name_at(commands, i as u64);
        self.added.insert(key(name));
        dirs(name, |dir| {
            let k = key(dir);
            match self.dirs.get_mut(&k) {
                Some(least) if name >= name_at(commands, *least) => {}
                Some(least) => *least = i as u64,
                None => {
                    self.dirs.insert(k, i as u64);
                }
            }
        });
    }
}

/// Whether `name` would have to share a path with another ref as both a file and a directory:
/// `refs/heads/a` and `refs/heads/a/b` cannot coexist in a git repository (refs.c
/// `refs_verify_refname_available`); if so, says which ref is in the way (git's words) and
/// returns `true`. Looks at the refs named by `name`'s prefixes and those under `name/` only,
/// never at every ref of the repository: stored refs minus `names.deleted`, plus `names.added`
/// (names this push creates before `name`, whose `dirs` index `commands`). `below` is scratch
/// space. Inlined into its one caller: the answer is not returned through memory and copied.
#[inline]
fn df_conflict<S: Store>(
    store: &mut S,
    name: &str,
    names: &PushNames,
    commands: &[Command],
    below: &mut Vec<(String, RefValue)>,
    msgs: &mut Messages,
) -> Result<bool, StoreError> {
    let mut other: Option<&[u8]> = None;
    let bytes = name.as_bytes();
    for end in 0..bytes.len() {
        if bytes.get(end) != Some(&b'/') {
            continue;
        }
        let prefix = name.get(..end).unwrap_or("");
        let k = key(prefix.as_bytes());
        if names.added.contains(&k) || (!names.deleted.contains(&k) && exists(store, prefix)?) {
            other = Some(prefix.as_bytes());
            break;
        }
    }
    if other.is_none() {
        other = names.dirs.get(&key(name.as_bytes())).map(|&i| name_at(commands, i));
    }
    if other.is_none() {
        let mut dir = String::from(name);
        dir.push('/');
        below.clear();
        store.refs_list(&dir, below)?;
        for (n, _) in below.iter() {
            if !names.deleted.contains(&key(n.as_bytes())) {
                other = Some(n.as_bytes());
                break;
            }
        }
    }
    let Some(other) = other else { return Ok(false) };
    msgs.error(&with(|m| {
        m.s("cannot lock ref '").s(name).s("': '").lossy(other).s("' exists; cannot create '").s(name).s("'");
    }));
    Ok(true)
}

/// Check all commands and move the refs. Sets each command's [`Command::failure`]; failures
/// decided before (connectivity) are kept and those commands are not applied. Inlined into its
/// one caller (receive-pack's `finish`).
#[inline]
pub fn execute<S: Store>(
    store: &mut S,
    commands: &mut [Command],
    atomic: bool,
    msgs: &mut Messages,
) -> Result<(), ExchangeError> {
    // One conversion here; inside, every `?` passes the store's error on as it is.
    check_and_apply(store, commands, atomic, msgs).map_err(ExchangeError::Store)
}

// Inlined into its one caller: the answer is not returned through memory and copied.
#[inline]
fn check_and_apply<S: Store>(
    store: &mut S,
    commands: &mut [Command],
    atomic: bool,
    msgs: &mut Messages,
) -> Result<(), StoreError> {
    let head_target = match store.ref_read("HEAD")? {
        Some(RefValue::Symbolic(t)) => Some(t),
        _ => None,
    };
    let mut seen = OidSet::new();
    // Names that exist once the accepted deletions ran, for directory/file conflicts.
    let mut names = PushNames::default();
    for cmd in commands.iter_mut() {
        if cmd.failure.is_some() {
            continue;
        }
        let k = key(&cmd.name);
        if !seen.insert(k) {
            ref_error(msgs, "multiple updates for ref '", &cmd.name, "' not allowed");
            cmd.failure = Some(reason::FAILED);
            continue;
        }
        cmd.failure = check_one(store, cmd, head_target.as_deref(), msgs)?;
        if cmd.failure.is_none() && cmd.is_delete() {
            names.deleted.insert(k);
        }
    }
    let mut below = Vec::new();
    // An index loop: `df_conflict` reads the names of the other commands.
    for i in 0..commands.len() {
        let Some(cmd) = commands.get(i) else { break };
        if cmd.failure.is_some() || cmd.is_delete() {
            continue;
        }
        let Some(name) = cmd.name_str() else { continue };
        // An accepted name occurs once in the push (a second update of it failed above): neither
        // deleted nor added by it, so the store alone says whether it exists (an update, which
        // can meet no directory/file conflict).
        if exists(store, name)? {
            continue;
        }
        if df_conflict(store, name, &names, commands, &mut below, msgs)? {
            if let Some(cmd) = commands.get_mut(i) {
                cmd.failure = Some(reason::FAILED);
            }
            continue;
        }
        names.add(commands, i);
    }
    apply(store, commands, atomic, msgs)
}

/// Append the update for `cmd` to `updates`, unless there is nothing to do (deleting a ref that
/// does not exist, whose old object is unknown: git warns "deleting a non-existent ref" and
/// succeeds). Built in place: an update is too large to move around cheaply. Inlined into its
/// one caller: the answer is not returned through memory and copied.
#[inline]
fn to_update<S: Store>(
    store: &mut S,
    cmd: &Command,
    name: &str,
    msgs: &mut Messages,
    updates: &mut Vec<RefUpdate>,
) -> Result<(), StoreError> {
    let mut old = some(&cmd.old);
    if cmd.is_delete() && !cmd.old.is_null() && store.object_header(&cmd.old)?.is_none() {
        match store.ref_read(name)? {
            None => {
                msgs.warning(&"deleting a non-existent ref");
                return Ok(());
            }
            Some(RefValue::Direct(current)) => {
                msgs.warning(&"allowing deletion of corrupt ref");
                old = Some(current);
            }
            Some(RefValue::Symbolic(_)) => {}
        }
    }
    updates.push(RefUpdate { name: String::from(name), old, new: some(&cmd.new) });
    Ok(())
}

/// Why a compare-and-swap failed, in git's words. Inlined into its one caller.
#[inline]
fn explain_conflict<S: Store>(store: &mut S, u: &RefUpdate, msgs: &mut Messages) {
    let name = u.name.as_str();
    let read = store.ref_read(name);
    msgs.error(&with(|m| {
        m.s("cannot lock ref '").s(name).s("': ");
        match (&read, &u.old) {
            (Ok(Some(RefValue::Direct(current))), Some(expected)) => {
                m.s("is at ").id(current).s(" but expected ").id(expected)
            }
            (Ok(Some(_)), None) => m.s("reference already exists"),
            (Ok(None), Some(_)) => m.s("unable to resolve reference '").s(name).s("'"),
            _ => m.s("reference changed during the push"),
        };
    }));
}

/// Move `updates` in one compare-and-swap; on failure say why (`false`). Shared by the atomic
/// push (all updates at once) and the non-atomic one (one update per call).
fn update_refs<S: Store>(store: &mut S, updates: &[RefUpdate], msgs: &mut Messages) -> bool {
    match store.refs_update(updates) {
        Ok(()) => true,
        Err(StoreError::Conflict { index }) => {
            if let Some(u) = updates.get(index) {
                explain_conflict(store, u, msgs);
            }
            false
        }
        Err(e) => {
            msgs.error(&e);
            false
        }
    }
}

/// Move the refs of the commands not failed so far. Without `atomic`: deletions first, then the
/// rest, each ref on its own; with `atomic`: all in one update, or none if any command failed.
fn apply<S: Store>(store: &mut S, commands: &mut [Command], atomic: bool, msgs: &mut Messages) -> Result<(), StoreError> {
    let fail_rest = |commands: &mut [Command], why: &'static str| {
        for cmd in commands.iter_mut() {
            cmd.failure.get_or_insert(why);
        }
    };
    if atomic {
        for cmd in commands.iter() {
            if cmd.failure.is_some() {
                fail_rest(commands, reason::ATOMIC_PUSH);
                return Ok(());
            }
        }
    }
    let mut updates = Vec::new();
    // A range, not `[true, false]`: no array-iterator code in the Wasm module.
    for pass in 0..2 - usize::from(atomic) {
        for cmd in commands.iter_mut() {
            if cmd.failure.is_some() || (!atomic && cmd.is_delete() != (pass == 0)) {
                continue;
            }
            let Some(name) = cmd.name_str() else { continue };
            to_update(store, cmd, name, msgs, &mut updates)?;
            if !atomic && !updates.is_empty() {
                if !update_refs(store, &updates, msgs) {
                    cmd.failure = Some(reason::FAILED);
                }
                updates.clear();
            }
        }
    }
    if atomic && !update_refs(store, &updates, msgs) {
        fail_rest(commands, reason::ATOMIC_TX);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_file_conflicts() {
        let mut store = host_abi::MemStore::default();
        let id = ObjectId::from_bytes(&[7u8; 20]).expect("id");
        let updates: Vec<RefUpdate> = ["refs/heads/a", "refs/heads/b/c", "refs/tags/v1"]
            .iter()
            .map(|n| RefUpdate { name: String::from(*n), old: None, new: Some(id) })
            .collect();
        store.refs_update(&updates).expect("refs");
        let none = PushNames::default();
        let mut below = Vec::new();
        // The ref in the way, from the error message; `None`: no conflict.
        let mut check = |name: &str, names: &PushNames, commands: &[Command]| {
            let mut msgs = Messages::default();
            let hit = df_conflict(&mut store, name, names, commands, &mut below, &mut msgs).expect("store");
            let text = String::from(msgs.as_str());
            assert_eq!(hit, !text.is_empty(), "{text}");
            let other = text.split('\'').nth(3).map(String::from);
            if let Some(other) = &other {
                assert_eq!(text, alloc::format!("error: cannot lock ref '{name}': '{other}' exists; cannot create '{name}'\n"));
            }
            other
        };
        assert_eq!(check("refs/heads/a/x", &none, &[]).as_deref(), Some("refs/heads/a"));
        assert_eq!(check("refs/heads/b", &none, &[]).as_deref(), Some("refs/heads/b/c"));
        assert_eq!(check("refs/heads/ab", &none, &[]), None);
        assert_eq!(check("refs/heads/b-c", &none, &[]), None);
        assert_eq!(check("refs/tags/v2", &none, &[]), None);
        // A ref this push deletes is no obstacle; one it creates earlier is.
        let mut deleted = PushNames::default();
        deleted.deleted.insert(key(b"refs/heads/a"));
        deleted.deleted.insert(key(b"refs/heads/b/c"));
        assert_eq!(check("refs/heads/a/x", &deleted, &[]), None);
        assert_eq!(check("refs/heads/b", &deleted, &[]), None);
        let mut added = PushNames::default();
        let created: Vec<Command> = ["refs/heads/n/z", "refs/heads/n/m", "refs/heads/n/q/r"]
            .iter()
            .map(|n| Command { old: ObjectId::null(git_core::ObjectFormat::Sha1), new: id, name: n.as_bytes().to_vec(), failure: None })
            .collect();
        for i in 0..created.len() {
            added.add(&created, i);
        }
        assert_eq!(check("refs/heads/n", &added, &created).as_deref(), Some("refs/heads/n/m"), "the least name below");
        assert_eq!(check("refs/heads/n/m/o", &added, &created).as_deref(), Some("refs/heads/n/m"));
        assert_eq!(check("refs/heads/n/q", &added, &created).as_deref(), Some("refs/heads/n/q/r"));
        assert_eq!(check("refs/heads/nn", &added, &created), None);
    }
}
