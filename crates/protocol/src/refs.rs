//! The repository's refs as the advertisements and `ls-refs` show them: `HEAD` and `refs/*`, symbolic
//! refs resolved (at most 5 levels, git's `SYMREF_MAXDEPTH`), in byte order of name.

use crate::service::ExchangeError;
use alloc::string::String;
use alloc::vec::Vec;
use git_core::ObjectId;
use host_abi::{RefValue, Store};

/// One ref with its resolved value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedRef {
    /// Full name (`HEAD`, `refs/heads/main`).
    pub name: String,
    /// The object it resolves to; `None` for a symbolic ref to a missing ref (unborn).
    pub id: Option<ObjectId>,
    /// For a symbolic ref: the name it points at (one level, as `symref-target` shows it).
    pub symref_target: Option<String>,
}

/// Every ref under `prefix` (`""` for all), resolved.
pub fn list<S: Store>(store: &mut S, prefix: &str) -> Result<Vec<ResolvedRef>, ExchangeError> {
    let mut raw = Vec::new();
    store.refs_list(prefix, &mut raw)?;
    // `new`, not `with_capacity`: no allocation code of its own for this element type.
    let mut out = Vec::new();
    // A loop taking the strings out in place: no consuming iterator's code, no reversal.
    for (name, value) in raw.iter_mut() {
        if name != "HEAD" && !name.starts_with("refs/") {
            continue;
        }
        let (id, symref_target) = match value {
            RefValue::Direct(id) => (Some(*id), None),
            RefValue::Symbolic(target) => (resolve(store, target)?, Some(core::mem::take(target))),
        };
        out.push(ResolvedRef { name: core::mem::take(name), id, symref_target });
    }
    Ok(out)
}

/// Resolve a ref name to an object id, following symbolic refs.
pub fn resolve<S: Store>(store: &mut S, name: &str) -> Result<Option<ObjectId>, ExchangeError> {
    let mut cur = String::from(name);
    for _ in 0..5 {
        match store.ref_read(&cur)? {
            Some(RefValue::Direct(id)) => return Ok(Some(id)),
            Some(RefValue::Symbolic(t)) => cur = t,
            None => return Ok(None),
        }
    }
    Ok(None)
}
