//! Object filters for partial clone (gitprotocol-v2 `filter`, gitprotocol-capabilities "filter",
//! the `--filter=` forms of git-rev-list and list-objects-filter.c): `blob:none`,
//! `blob:limit=<n>[kmg]`, `tree:<depth>`, `object:type=<kind>` and `combine:<f>+<f>...` (each
//! sub-filter URL-encoded). A combination keeps an object only if every part keeps it, so it folds
//! into one [`Filter`]. Objects the client names in `want` lines bypass the filter.

use git_core::ObjectKind;

/// The folded filter; the default sends everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Filter {
    /// Blobs of this size or more are omitted (`blob:none` is 0; [`NO_LIMIT`]: none).
    pub blob_limit: u64,
    /// Trees and blobs at this depth or deeper below a root tree (depth 0) are omitted
    /// ([`NO_LIMIT`]: none).
    pub tree_depth: u64,
    /// Only this kind is sent (`object:type=`).
    pub only_kind: Option<ObjectKind>,
}

/// No limit: above every size and depth a spec can give (at most 19 digits, times a power of
/// two for a unit: never `u64::MAX`, which is odd and has 20 digits), and above every real size
/// and depth. Folding a limit in is then a plain `min`.
pub const NO_LIMIT: u64 = u64::MAX;

impl Filter {
    /// The default: everything is sent.
    pub const ALL: Filter = Filter { blob_limit: NO_LIMIT, tree_depth: NO_LIMIT, only_kind: None };
}

impl Default for Filter {
    fn default() -> Self {
        Self::ALL
    }
}

/// A filter spec this server does not understand.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    Invalid(alloc::string::String),
    TooLong { got: usize, limit: usize },
}

impl git_core::msg::Describe for FilterError {
    fn describe(&self, m: &mut git_core::msg::Msg<'_>) {
        match self {
            FilterError::Invalid(spec) => m.s("invalid filter-spec '").s(spec).s("'"),
            FilterError::TooLong { got, limit } => {
                m.s("filter spec over ").u(*limit as u64).s(" bytes: got ").u(*got as u64)
            }
        };
    }
}
git_core::display_via_describe!(FilterError);

const MAX_SPEC: usize = 4096;

fn invalid(spec: &[u8]) -> FilterError {
    FilterError::Invalid(git_core::msg::lossy(spec))
}

impl Filter {
    /// Parse a filter spec as sent on a `filter` line. The parts are parsed to a yes/no; the
    /// error (naming the whole spec, or the decoded part that is not understood) is built here
    /// only.
    pub fn parse(spec: &[u8]) -> Result<Self, FilterError> {
        let mut f = Filter::default();
        f.set(spec)?;
        Ok(f)
    }

    /// [`Filter::parse`] into `self`, which it replaces (left in between on an error: the request
    /// fails then). The request's filter is set in place, not moved in a `Result`.
    pub fn set(&mut self, spec: &[u8]) -> Result<(), FilterError> {
        if spec.len() > MAX_SPEC {
            return Err(FilterError::TooLong { got: spec.len(), limit: MAX_SPEC });
        }
        *self = Filter::default();
        let f = self;
        let Some(list) = spec.strip_prefix(b"combine:") else {
            return if f.add(spec) { Ok(()) } else { Err(invalid(spec)) };
        };
        // The parts between `+`s, URL-decoded, each ended by the `+` or the end (an index loop:
        // less code than `split`); decoding goes up to the `+`.
        let mut decoded = alloc::vec::Vec::new();
        let mut i = 0;
        while i <= list.len() {
            decoded.clear();
            if url_decode(list, &mut i, &mut decoded).is_none() || decoded.is_empty() {
                return Err(invalid(spec));
            }
            // A nested `combine:` is not a form `add` knows: refused like git.
            if !f.add(&decoded) {
                return Err(invalid(&decoded));
            }
            i += 1;
        }
        Ok(())
    }

    /// Fold one filter (not a combination) in; `false` if it is not understood.
    fn add(&mut self, spec: &[u8]) -> bool {
        if let Some(k) = spec.strip_prefix(b"object:type=") {
            let Ok(k) = ObjectKind::from_name(k) else { return false };
            if self.only_kind.is_some_and(|o| o != k) {
                // Two different kinds: nothing passes both; keep the first, as an approximation
                // would be wrong either way. git accepts this; it sends only explicit wants.
                self.blob_limit = 0;
                self.tree_depth = 0;
            }
            self.only_kind = Some(k);
            return true;
        }
        // `blob:none` is `blob:limit=0`; `tree:<depth>` takes digits only (no unit).
        let (slot, n) = if spec == b"blob:none" {
            (&mut self.blob_limit, Some(0))
        } else if let Some(n) = spec.strip_prefix(b"blob:limit=") {
            (&mut self.blob_limit, parse_size(n, true))
        } else if let Some(n) = spec.strip_prefix(b"tree:") {
            (&mut self.tree_depth, parse_size(n, false))
        } else {
            return false;
        };
        let Some(n) = n else { return false };
        *slot = (*slot).min(n);
        true
    }

    /// Is a blob of `size` at tree depth `depth` sent?
    pub fn keeps_blob(&self, size: u64, depth: u64) -> bool {
        size < self.blob_limit
            && depth < self.tree_depth
            && self.only_kind.is_none_or(|k| k == ObjectKind::Blob)
    }

    /// Is a tree at `depth` sent?
    pub fn keeps_tree(&self, depth: u64) -> bool {
        depth < self.tree_depth && self.only_kind.is_none_or(|k| k == ObjectKind::Tree)
    }

    /// Are the entries of a tree at `depth` looked at at all?
    pub fn enters_tree(&self, depth: u64) -> bool {
        depth + 1 < self.tree_depth
    }

    /// Is an object of a kind without depth (commit, tag) sent?
    pub fn keeps_kind(&self, kind: ObjectKind) -> bool {
        self.only_kind.is_none_or(|k| k == kind)
    }
}

/// `<digits>[kmg]` (git's `git_parse_ulong`, case-insensitive units; `units` false: digits only),
/// at most 19 digits.
fn parse_size(s: &[u8], units: bool) -> Option<u64> {
    // The unit's shift (0: none); `| 0x20` lower-cases a letter, and only `K`/`k` give `k` (and
    // so for `m`, `g`).
    let shift = match s.last() {
        Some(u) if units => match u | 0x20 {
            b'k' => 10,
            b'm' => 20,
            b'g' => 30,
            _ => 0,
        },
        _ => 0,
    };
    let digits = if shift > 0 { s.get(..s.len() - 1)? } else { s };
    if digits.len() > 19 {
        return None;
    }
    git_core::mul::checked_mul(super::progress::parse_u64(digits)?, 1 << shift)
}

fn hex_value(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// URL-decode `s` from `*i` up to the next `+` or the end into `out`, leaving `*i` there.
fn url_decode(s: &[u8], i: &mut usize, out: &mut alloc::vec::Vec<u8>) -> Option<()> {
    while let Some(&b) = s.get(*i) {
        if b == b'+' {
            break;
        }
        if b == b'%' {
            // Two hex digits, as git's url_decode (`hex2chr`) requires.
            let (hi, lo) = (hex_value(*s.get(*i + 1)?)?, hex_value(*s.get(*i + 2)?)?);
            out.push(hi << 4 | lo);
            *i += 3;
        } else {
            out.push(b);
            *i += 1;
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        assert_eq!(Filter::parse(b"blob:none").expect("ok").blob_limit, 0);
        assert_eq!(Filter::parse(b"blob:limit=1k").expect("ok").blob_limit, 1024);
        assert_eq!(Filter::parse(b"blob:limit=2M").expect("ok").blob_limit, 2 << 20);
        assert_eq!(Filter::parse(b"blob:limit=3g").expect("ok").blob_limit, 3 << 30);
        assert_eq!(Filter::parse(b"blob:limit=5K").expect("ok").blob_limit, 5 << 10);
        assert!(Filter::parse(b"blob:limit=k").is_err(), "a unit without digits");
        assert!(Filter::parse(b"blob:limit=1+").is_err(), "not a unit");
        assert_eq!(Filter::parse(b"tree:0").expect("ok").tree_depth, 0);
        let c = Filter::parse(b"combine:blob:limit=10+tree:3").expect("ok");
        assert_eq!((c.blob_limit, c.tree_depth), (10, 3));
        let c = Filter::parse(b"combine:blob%3Anone+tree%3A2").expect("ok");
        assert_eq!((c.blob_limit, c.tree_depth), (0, 2));
        assert!(Filter::parse(b"sparse:oid=abc").is_err());
        assert!(Filter::parse(b"blob:limit=").is_err());
        assert!(Filter::parse(b"tree:1k").is_err());
        assert!(Filter::parse(b"combine:tree:1+%zz").is_err());
        assert!(Filter::parse(b"combine:tree:1+blob%3anone").is_ok(), "lower-case hex");
        assert!(Filter::parse(b"combine:tree:1+blob%+anone").is_err(), "two hex digits, no sign");
        assert!(Filter::parse(b"combine:tree:1+blob%3").is_err());
        assert!(!Filter::parse(b"blob:limit=10").expect("ok").keeps_blob(10, 1));
        assert!(Filter::parse(b"blob:limit=10").expect("ok").keeps_blob(9, 1));
        let none = Filter::default();
        assert!(none.keeps_blob(u64::MAX - 1, 1000) && none.keeps_tree(1000) && none.enters_tree(1000));
        assert_eq!(Filter::parse(b"tree:9999999999999999999").expect("ok").tree_depth, 9_999_999_999_999_999_999);
    }
}
