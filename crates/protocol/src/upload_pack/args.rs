//! The arguments of one fetch request, shared by the v0/v1 request (gitprotocol-pack "Packfile
//! Negotiation": want/shallow/deepen lines, haves, `done`) and the v2 `fetch` command
//! (gitprotocol-v2 "fetch"), and the line parser for the lines both spell the same way.

use super::filter::{Filter, FilterError};
use super::progress::parse_i64;
use crate::advertise::{part, part_str, UPLOAD_PACK_CAPABILITIES, V2_FETCH_FEATURES};
use crate::capabilities::lookup;
use alloc::boxed::Box;
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
#[derive(Clone, Debug)]
pub struct FetchArgs {
    /// `want <oid>`, each once, in request order (a set: a repeated want is dropped as it comes).
    pub wants: git_core::OidSet,
    /// `want-ref <ref>` (v2), in request order.
    pub want_refs: Vec<String>,
    /// `have <oid>` (fetch); the `oid <oid>` lines of v2 `object-info`, the other command
    /// that lists ids.
    pub haves: Vec<ObjectId>,
    /// `shallow <oid>`: the client's shallow commits.
    pub shallows: Vec<ObjectId>,
    /// `deepen <n>`.
    pub depth: u32,
    /// `deepen-since <timestamp>`.
    pub deepen_since: Option<i64>,
    /// `deepen-not <ref>`.
    pub deepen_not: Vec<String>,
    /// `filter <spec>`.
    pub filter: Filter,
    /// The flags asked for: bit `i` is [`FLAG_NAMES`]`[i]` (v2 arguments and v0 capabilities).
    pub flags: u16,
}

impl Default for FetchArgs {
    fn default() -> Self {
        // A constant (data the compiler copies) rather than a call per empty collection.
        const EMPTY: FetchArgs = FetchArgs {
            wants: git_core::OidSet::new(),
            want_refs: Vec::new(),
            haves: Vec::new(),
            shallows: Vec::new(),
            depth: 0,
            deepen_since: None,
            deepen_not: Vec::new(),
            filter: Filter::ALL,
            flags: 0,
        };
        EMPTY
    }
}

/// The names of the flag arguments (v2 `fetch`, the first seven) and capabilities (v0 first
/// `want` line, all but `done`, `sideband-all` and `wait-for-done`): one table, one bit each, set
/// by one loop, instead of a comparison and a field per name. The names are parts of the advertised
/// texts (the module stores their bytes once).
pub static FLAG_NAMES: [&[u8]; 13] = [
    part(&UPLOAD_PACK_CAPABILITIES, b"done"),
    part(&UPLOAD_PACK_CAPABILITIES, b"thin-pack"),
    part(&UPLOAD_PACK_CAPABILITIES, b"ofs-delta"),
    part(&UPLOAD_PACK_CAPABILITIES, b"no-progress"),
    part(&UPLOAD_PACK_CAPABILITIES, b"include-tag"),
    part(&V2_FETCH_FEATURES, b"sideband-all"),
    part(&V2_FETCH_FEATURES, b"wait-for-done"),
    part(&UPLOAD_PACK_CAPABILITIES, b"deepen-relative"),
    part(&UPLOAD_PACK_CAPABILITIES, b"no-done"),
    part(&UPLOAD_PACK_CAPABILITIES, b"multi_ack"),
    part(&UPLOAD_PACK_CAPABILITIES, b"multi_ack_detailed"),
    part(&UPLOAD_PACK_CAPABILITIES, b"side-band"),
    part(&UPLOAD_PACK_CAPABILITIES, b"side-band-64k"),
];
/// Names of request lines for the too-many errors, parts of the advertised texts.
static SHALLOW: &str = part_str(&UPLOAD_PACK_CAPABILITIES, "shallow");
static DEEPEN_NOT: &str = part_str(&UPLOAD_PACK_CAPABILITIES, "deepen-not");
static WANT: &str = part_str(&UPLOAD_PACK_CAPABILITIES, "want");

pub const DONE: u16 = 1 << 0;
pub const THIN_PACK: u16 = 1 << 1;
pub const OFS_DELTA: u16 = 1 << 2;
pub const NO_PROGRESS: u16 = 1 << 3;
pub const INCLUDE_TAG: u16 = 1 << 4;
pub const SIDEBAND_ALL: u16 = 1 << 5;
pub const WAIT_FOR_DONE: u16 = 1 << 6;
pub const DEEPEN_RELATIVE: u16 = 1 << 7;
pub const NO_DONE: u16 = 1 << 8;
/// v0 `multi_ack`.
pub const MULTI_ACK: u16 = 1 << 9;
/// v0 `multi_ack_detailed` (wins over `multi_ack`).
pub const MULTI_ACK_DETAILED: u16 = 1 << 10;
pub const SIDE_BAND: u16 = 1 << 11;
pub const SIDE_BAND_64K: u16 = 1 << 12;
/// The flags a v0 client may ask for as capabilities.
pub const V0_FLAGS: u16 = !(DONE | SIDEBAND_ALL | WAIT_FOR_DONE);
/// The flags a v2 `fetch` takes as argument lines (besides `deepen-relative`, a shared line).
pub const V2_FLAGS: usize = 7;

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


impl FetchArgs {
    /// Handle a line both protocol versions share (`shallow`, `deepen*`, `filter`, `have`);
    /// `Ok(false)` if the line is none of them. Each case either returns `Ok(true)` or names its
    /// error, boxed and returned at the one exit (a `?` per case would move the error at each;
    /// the caller moves a pointer).
    pub fn shared_line(&mut self, line: &[u8]) -> Result<bool, Box<ArgsError>> {
        // The keyword before the first space, looked up in one table, rather than a prefix
        // comparison per keyword; the names but `have` are parts of the advertised texts.
        static KEYS: [&[u8]; 7] = [
            b"have",
            part(&UPLOAD_PACK_CAPABILITIES, b"shallow"),
            part(&UPLOAD_PACK_CAPABILITIES, b"deepen"),
            part(&UPLOAD_PACK_CAPABILITIES, b"deepen-since"),
            part(&UPLOAD_PACK_CAPABILITIES, b"deepen-not"),
            part(&V2_FETCH_FEATURES, b"filter"),
            part(&UPLOAD_PACK_CAPABILITIES, b"deepen-relative"),
        ];
        let (key, arg) = match line.iter().position(|b| *b == b' ') {
            Some(sp) => (&line[..sp], line.get(sp + 1..)),
            None => (line, None),
        };
        let err = match (lookup(&KEYS, key), arg) {
            (Some(k @ (0 | 1)), Some(hex)) => {
                let (list, what) = if k == 0 { (&mut self.haves, "have") } else { (&mut self.shallows, SHALLOW) };
                match ObjectId::from_hex(hex) {
                    Err(_) => ArgsError::BadId(lossy(hex)),
                    Ok(_) if list.len() >= MAX_LIST => ArgsError::TooMany { what, limit: MAX_LIST },
                    Ok(id) => {
                        list.push(id);
                        return Ok(true);
                    }
                }
            }
            (Some(2), Some(n)) => {
                // `str::parse::<u32>` rules: an optional `+`, then digits (through the signed
                // parser `deepen-since` uses: a `-` gives no u32).
                let d = parse_i64(n).and_then(|d| u32::try_from(d).ok());
                match d {
                    Some(d) if d > 0 => {
                        self.depth = d.min(INFINITE_DEPTH);
                        return Ok(true);
                    }
                    _ => ArgsError::BadDepth(lossy(line)),
                }
            }
            (Some(3), Some(t)) => match parse_i64(t) {
                Some(t) => {
                    self.deepen_since = Some(t);
                    return Ok(true);
                }
                None => ArgsError::BadSince(lossy(line)),
            },
            (Some(4), Some(_)) if self.deepen_not.len() >= MAX_LIST => {
                ArgsError::TooMany { what: DEEPEN_NOT, limit: MAX_LIST }
            }
            (Some(4), Some(r)) => {
                self.deepen_not.push(lossy(r));
                return Ok(true);
            }
            (Some(5), Some(spec)) => match self.filter.set(spec) {
                Ok(()) => return Ok(true),
                Err(e) => ArgsError::Filter(e),
            },
            (Some(6), None) => {
                self.flags |= DEEPEN_RELATIVE;
                return Ok(true);
            }
            _ => return Ok(false),
        };
        Err(Box::new(err))
    }

    /// Add the want of a `want <hex>` line (a repeat is dropped); `Ok(true)`, as
    /// [`FetchArgs::shared_line`] for a line it knows (the callers handle both alike).
    pub fn add_want(&mut self, hex: &[u8]) -> Result<bool, Box<ArgsError>> {
        let err = match ObjectId::from_hex(hex) {
            Err(_) => ArgsError::BadId(lossy(hex)),
            Ok(_) if self.wants.len() >= MAX_WANTS => ArgsError::TooMany { what: WANT, limit: MAX_WANTS },
            Ok(id) => {
                self.wants.insert(id);
                return Ok(true);
            }
        };
        Err(Box::new(err))
    }

    /// True if any of `flags` was asked for.
    pub fn has(&self, flags: u16) -> bool {
        self.flags & flags != 0
    }

    /// Set the flag named `name` if it is one of `FLAG_NAMES[..count]` and in `allowed`; `false`
    /// if it is not.
    pub fn set_flag(&mut self, name: &[u8], count: usize, allowed: u16) -> bool {
        match lookup(FLAG_NAMES.get(..count).unwrap_or_default(), name) {
            Some(i) => {
                self.flags |= (1 << i) & allowed;
                true
            }
            None => false,
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_names_are_the_capability_words() {
        let want: [&[u8]; 13] = [
            b"done", b"thin-pack", b"ofs-delta", b"no-progress", b"include-tag", b"sideband-all", b"wait-for-done",
            b"deepen-relative", b"no-done", b"multi_ack", b"multi_ack_detailed", b"side-band", b"side-band-64k",
        ];
        assert_eq!(FLAG_NAMES, want);
    }

    #[test]
    fn deepen_takes_a_positive_u32() {
        for (arg, depth) in [("5", Some(5)), ("+5", Some(5)), ("4294967295", Some(INFINITE_DEPTH)), ("2147483647", Some(INFINITE_DEPTH))] {
            let mut a = FetchArgs::default();
            let line = alloc::format!("deepen {arg}");
            assert_eq!(a.shared_line(line.as_bytes()).ok(), depth.map(|_| true), "{arg}");
            assert_eq!(Some(a.depth), depth, "{arg}");
        }
        for arg in ["0", "-5", "-0", "+", "++5", "+-5", "4294967296", "99999999999999999999", "x"] {
            let mut a = FetchArgs::default();
            let line = alloc::format!("deepen {arg}");
            let e = a.shared_line(line.as_bytes()).expect_err(arg);
            assert_eq!(*e, ArgsError::BadDepth(line.clone()), "{arg}");
        }
    }
}
