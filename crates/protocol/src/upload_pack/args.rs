//! The arguments of one fetch request, shared by the v0/v1 request (gitprotocol-pack "Packfile
//! Negotiation": want/shallow/deepen lines, haves, `done`) and the v2 `fetch` command
//! (gitprotocol-v2 "fetch"), and the line parser for the lines both spell the same way.

use super::filter::{Filter, FilterError};
use super::progress::{parse_i64, parse_u64};
use crate::capabilities::lookup;
use alloc::string::String;
use alloc::vec::Vec;
use git_core::ObjectId;

/// `deepen 2147483647`: git's `INFINITE_DEPTH`, sent by `fetch --unshallow`.
pub const INFINITE_DEPTH: u32 = 0x7fff_ffff;

/// Caps on request contents.
pub const MAX_WANTS: usize = 1 << 20;
/// Most `have`, `shallow` or `deepen-not` lines kept.
pub const MAX_LIST: usize = 1 << 20;

/// Everything a fetch request asked for.
#[derive(Clone, Debug, Default)]
pub struct FetchArgs {
    /// `want <oid>`, each once, in request order (a set: a repeated want is dropped as it comes).
    pub wants: git_core::OidSet,
    /// `want-ref <ref>` (v2), in request order.
    pub want_refs: Vec<String>,
    /// `have <oid>`.
    pub haves: Vec<ObjectId>,
    /// `shallow <oid>`: the client's shallow commits.
    pub shallows: Vec<ObjectId>,
    /// `deepen <n>`.
    pub depth: u32,
    /// `deepen-relative`.
    pub deepen_relative: bool,
    /// `deepen-since <timestamp>`.
    pub deepen_since: Option<i64>,
    /// `deepen-not <ref>`.
    pub deepen_not: Vec<String>,
    /// `filter <spec>`.
    pub filter: Option<Filter>,
    /// `done`.
    pub done: bool,
    /// Capabilities/arguments.
    pub thin_pack: bool,
    pub ofs_delta: bool,
    pub no_progress: bool,
    pub include_tag: bool,
    pub sideband_all: bool,
    pub wait_for_done: bool,
    /// v0: `multi_ack` (1) or `multi_ack_detailed` (2).
    pub multi_ack: u8,
    pub no_done: bool,
    /// v0 side-band choice.
    pub sideband: crate::sideband::Sideband,
}

/// A request line that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArgsError {
    BadId(String),
    BadDepth(String),
    BadSince(String),
    Filter(#[from] FilterError),
    TooMany { what: &'static str, limit: usize },
    DeepenConflict,
    UnexpectedEnd,
}

impl git_core::msg::Describe for ArgsError {
    fn describe(&self, m: &mut git_core::msg::Msg<'_>) {
        match self {
            ArgsError::BadId(got) => {
                m.s("git upload-pack: protocol error, expected to get object ID, not '").s(got).s("'")
            }
            ArgsError::BadDepth(got) => m.s("git upload-pack: invalid deepen: ").s(got),
            ArgsError::BadSince(got) => m.s("invalid deepen-since: ").s(got),
            ArgsError::Filter(e) => m.d(e),
            ArgsError::TooMany { what, limit } => m.s("too many ").s(what).s(" lines: limit ").u(*limit as u64),
            ArgsError::DeepenConflict => {
                m.s("git upload-pack: deepen and deepen-since (or deepen-not) cannot be used together")
            }
            ArgsError::UnexpectedEnd => m.s("expected flush after fetch arguments"),
        };
    }
}
git_core::display_via_describe!(ArgsError);

fn lossy(b: &[u8]) -> String {
    git_core::msg::lossy(b)
}

/// Parse a hex object id, git's error text on failure.
pub fn parse_id(hex: &[u8]) -> Result<ObjectId, ArgsError> {
    ObjectId::from_hex(hex).map_err(|_| ArgsError::BadId(lossy(hex)))
}

fn push_capped<T>(v: &mut Vec<T>, x: T, what: &'static str) -> Result<(), ArgsError> {
    if v.len() >= MAX_LIST {
        return Err(ArgsError::TooMany { what, limit: MAX_LIST });
    }
    v.push(x);
    Ok(())
}

impl FetchArgs {
    /// Handle a line both protocol versions share (`shallow`, `deepen*`, `filter`, `have`);
    /// `Ok(false)` if the line is none of them.
    pub fn shared_line(&mut self, line: &[u8]) -> Result<bool, ArgsError> {
        // The keyword before the first space, looked up in one table, rather than a prefix
        // comparison per keyword.
        const KEYS: [&[u8]; 7] =
            [b"have", b"shallow", b"deepen", b"deepen-since", b"deepen-not", b"filter", b"deepen-relative"];
        let (key, arg) = match line.iter().position(|b| *b == b' ') {
            Some(sp) => (&line[..sp], line.get(sp + 1..)),
            None => (line, None),
        };
        match (lookup(&KEYS, key), arg) {
            (Some(0), Some(hex)) => push_capped(&mut self.haves, parse_id(hex)?, "have")?,
            (Some(1), Some(hex)) => push_capped(&mut self.shallows, parse_id(hex)?, "shallow")?,
            (Some(2), Some(n)) => {
                // `str::parse::<u32>` rules: an optional `+`, then digits.
                let d = parse_u64(n.strip_prefix(b"+").unwrap_or(n)).and_then(|d| u32::try_from(d).ok());
                match d {
                    Some(d) if d > 0 => self.depth = d.min(INFINITE_DEPTH),
                    _ => return Err(ArgsError::BadDepth(lossy(line))),
                }
            }
            (Some(3), Some(t)) => {
                let t = parse_i64(t);
                self.deepen_since = Some(t.ok_or_else(|| ArgsError::BadSince(lossy(line)))?);
            }
            (Some(4), Some(r)) => push_capped(&mut self.deepen_not, lossy(r), "deepen-not")?,
            (Some(5), Some(spec)) => self.filter = Some(Filter::parse(spec)?),
            (Some(6), None) => self.deepen_relative = true,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Add a want (a repeat is dropped).
    pub fn add_want(&mut self, id: ObjectId) -> Result<(), ArgsError> {
        if self.wants.len() >= MAX_WANTS {
            return Err(ArgsError::TooMany { what: "want", limit: MAX_WANTS });
        }
        self.wants.insert(id);
        Ok(())
    }

    /// True if the request asks for a shallow boundary to be computed.
    pub fn deepen_by_rev_list(&self) -> bool {
        self.deepen_since.is_some() || !self.deepen_not.is_empty()
    }

    /// git refuses `deepen` together with `deepen-since`/`deepen-not`.
    pub fn check(&self) -> Result<(), ArgsError> {
        if self.depth > 0 && self.deepen_by_rev_list() {
            return Err(ArgsError::DeepenConflict);
        }
        Ok(())
    }
}
