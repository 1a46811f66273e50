//! TEST-ONLY: the `.gitmodules` reader before the size work, for differential tests of the
//! current one (crate::fsck::gitmodules). `.gitmodules` blobs, read with git's config syntax (config.c `git_parse_source`, `get_value`,
//! `parse_value`, `get_base_var`) and checked per `submodule.<name>.<key>` entry as fsck.c
//! `fsck_gitmodules_fn` does (fsck-msgids `gitmodulesName`, `gitmodulesUrl`, `gitmodulesPath`,
//! `gitmodulesUpdate`, `gitmodulesParse`, `gitmodulesLarge`). Entries before a syntax error are
//! still checked, as git's callback sees them.

use super::submodule_url::{check_submodule_name, check_submodule_url};
use super::{FsckError, FsckOptions, FsckReport, MsgId};
use alloc::vec::Vec;

/// Check a blob a tree names `.gitmodules`.
pub(super) fn check_gitmodules_blob(data: &[u8], options: &FsckOptions) -> Result<FsckReport, FsckError> {
    let mut report = FsckReport::default();
    check_gitmodules_blob_into(data, options, &mut report)?;
    Ok(report)
}

/// [`check_gitmodules_blob`], adding its warnings to `report`.
fn check_gitmodules_blob_into(data: &[u8], options: &FsckOptions, report: &mut FsckReport) -> Result<(), FsckError> {
    if data.len() > options.max_gitmodules_size {
        return options.report(MsgId::GitmodulesLarge, ".gitmodules too large to parse", report);
    }
    // A byte order mark is skipped; a partial one is a syntax error (config.c reads it byte by
    // byte and fails at the first that differs).
    let parsed = match data.strip_prefix(UTF8_BOM) {
        Some(rest) => parse(&mut Source { data: rest, pos: 0, eof: false }, options, report),
        None if data.first() == Some(&UTF8_BOM[0]) => Err(Stop::Syntax),
        None => parse(&mut Source { data, pos: 0, eof: false }, options, report),
    };
    match parsed {
        Ok(()) => Ok(()),
        Err(Stop::Syntax) => options.report(MsgId::GitmodulesParse, "could not parse gitmodules blob", report),
        Err(Stop::Rejected(e)) => Err(e),
    }
}

/// `var` is `section[.subsection].key` as git builds it; `value` is `None` for a bare key.
fn check_entry(var: &[u8], value: Option<&[u8]>, options: &FsckOptions, report: &mut FsckReport) -> Result<(), FsckError> {
    let Some(rest) = var.strip_prefix(b"submodule.") else { return Ok(()) };
    // parse_config_key: the key follows the last dot; no dot means no subsection.
    let Some(dot) = rest.iter().rposition(|b| *b == b'.') else { return Ok(()) };
    let name = c_str(rest.get(..dot).unwrap_or(&[]));
    let key = rest.get(dot + 1..).unwrap_or(&[]);
    let value = value.map(c_str);
    if !check_submodule_name(name) {
        options.report_value(MsgId::GitmodulesName, "disallowed submodule name: ", name, report)?;
    }
    if let Some(v) = value {
        if key == b"url" && !check_submodule_url(v) {
            options.report_value(MsgId::GitmodulesUrl, "disallowed submodule url: ", v, report)?;
        }
        if key == b"path" && v.first() == Some(&b'-') {
            options.report_value(MsgId::GitmodulesPath, "disallowed submodule path: ", v, report)?;
        }
        // parse_submodule_update_type: a command is `!...`; the named modes (none, checkout,
        // rebase, merge) never start with `!`, so they need no separate test.
        if key == b"update" && v.first() == Some(&b'!') {
            options.report_value(MsgId::GitmodulesUpdate, "disallowed submodule update setting: ", v, report)?;
        }
    }
    Ok(())
}

/// git passes names and values on as C strings: a NUL ends them.
fn c_str(s: &[u8]) -> &[u8] {
    match s.iter().position(|b| *b == 0) {
        Some(nul) => s.get(..nul).unwrap_or(s),
        None => s,
    }
}

enum Stop {
    Syntax,
    Rejected(FsckError),
}

struct Source<'a> {
    data: &'a [u8],
    pos: usize,
    eof: bool,
}

impl Source<'_> {
    /// config.c `get_next_char`: CRLF reads as LF; the end reads as LF with `eof` set.
    fn next(&mut self) -> u8 {
        let Some(&c) = self.data.get(self.pos) else {
            self.eof = true;
            return b'\n';
        };
        self.pos += 1;
        if c == b'\r' && self.data.get(self.pos) == Some(&b'\n') {
            self.pos += 1;
            return b'\n';
        }
        c
    }
}

/// git's isspace(): space, tab, LF, CR.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_key_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// Parses the config after any byte order mark, checking each entry with [`check_entry`].
fn parse(src: &mut Source<'_>, options: &FsckOptions, report: &mut FsckReport) -> Result<(), Stop> {
    let mut comment = false;
    let mut var: Vec<u8> = Vec::new();
    let mut value: Vec<u8> = Vec::new();
    let mut base_len = 0;
    loop {
        let c = src.next();
        if c == b'\n' {
            if src.eof {
                return Ok(());
            }
            comment = false;
            continue;
        }
        if comment || is_space(c) {
            continue;
        }
        if c == b'#' || c == b';' {
            comment = true;
            continue;
        }
        if c == b'[' {
            var.clear();
            if !base_var(src, &mut var) || var.is_empty() {
                return Err(Stop::Syntax);
            }
            var.push(b'.');
            base_len = var.len();
            continue;
        }
        if !c.is_ascii_alphabetic() {
            return Err(Stop::Syntax);
        }
        var.truncate(base_len);
        var.push(c.to_ascii_lowercase());
        let has_value = key_and_value(src, &mut var, &mut value).ok_or(Stop::Syntax)?;
        check_entry(&var, has_value.then_some(value.as_slice()), options, report).map_err(Stop::Rejected)?;
    }
}

/// config.c `get_base_var`: `[section]`, `[section.sub]` or `[section "sub"]`.
fn base_var(src: &mut Source<'_>, var: &mut Vec<u8>) -> bool {
    loop {
        let c = src.next();
        if src.eof {
            return false;
        }
        if c == b']' {
            return true;
        }
        if is_space(c) {
            return extended_base_var(src, var, c);
        }
        if !is_key_char(c) && c != b'.' {
            return false;
        }
        var.push(c.to_ascii_lowercase());
    }
}

fn extended_base_var(src: &mut Source<'_>, var: &mut Vec<u8>, mut c: u8) -> bool {
    loop {
        if c == b'\n' {
            return false;
        }
        c = src.next();
        if !is_space(c) {
            break;
        }
    }
    if c != b'"' {
        return false;
    }
    var.push(b'.');
    loop {
        let mut c = src.next();
        if c == b'\n' {
            return false;
        }
        if c == b'"' {
            break;
        }
        if c == b'\\' {
            c = src.next();
            if c == b'\n' {
                return false;
            }
        }
        var.push(c);
    }
    src.next() == b']'
}

/// config.c `get_value`: the rest of the key, then `= value` or nothing. `Some(has_value)`.
fn key_and_value(src: &mut Source<'_>, var: &mut Vec<u8>, value: &mut Vec<u8>) -> Option<bool> {
    let mut c;
    loop {
        c = src.next();
        if src.eof || !is_key_char(c) {
            break;
        }
        var.push(c.to_ascii_lowercase());
    }
    while c == b' ' || c == b'\t' {
        c = src.next();
    }
    if c == b'\n' {
        return Some(false);
    }
    if c != b'=' {
        return None;
    }
    parse_value(src, value).then_some(true)
}

/// config.c `parse_value`: quotes, escapes (`\t \b \n \\ \"`, line continuation), comments, and
/// white space trimmed at the end.
fn parse_value(src: &mut Source<'_>, value: &mut Vec<u8>) -> bool {
    value.clear();
    let mut quote = false;
    let mut comment = false;
    let mut trim_len = 0;
    loop {
        let mut c = src.next();
        if c == b'\n' {
            if quote {
                return false;
            }
            if trim_len > 0 {
                value.truncate(trim_len);
            }
            return true;
        }
        if comment {
            continue;
        }
        if is_space(c) && !quote {
            if trim_len == 0 {
                trim_len = value.len();
            }
            if !value.is_empty() {
                value.push(c);
            }
            continue;
        }
        if !quote && (c == b';' || c == b'#') {
            comment = true;
            continue;
        }
        trim_len = 0;
        if c == b'\\' {
            c = match src.next() {
                b'\n' => continue,
                b't' => b'\t',
                b'b' => 0x08,
                b'n' => b'\n',
                b'\\' => b'\\',
                b'"' => b'"',
                _ => return false,
            };
            value.push(c);
            continue;
        }
        if c == b'"' {
            quote = !quote;
            continue;
        }
        value.push(c);
    }
}

