//! `.gitmodules` blobs, read with git's config syntax (config.c `git_parse_source`, `get_value`,
//! `parse_value`, `get_base_var`) and checked per `submodule.<name>.<key>` entry as fsck.c
//! `fsck_gitmodules_fn` does (fsck-msgids `gitmodulesName`, `gitmodulesUrl`, `gitmodulesPath`,
//! `gitmodulesUpdate`, `gitmodulesParse`, `gitmodulesLarge`). Entries before a syntax error are
//! still checked, as git's callback sees them.

use super::submodule_url::{check_submodule_name, check_submodule_url};
use super::{FsckError, FsckOptions, FsckReport, MsgId};
use alloc::vec::Vec;

/// Check a blob a tree names `.gitmodules`.
pub fn check_gitmodules_blob(data: &[u8], options: &FsckOptions) -> Result<FsckReport, FsckError> {
    let mut report = FsckReport::default();
    check_gitmodules_blob_into(data, options, &mut report)?;
    Ok(report)
}

/// [`check_gitmodules_blob`], adding its warnings to `report`.
pub fn check_gitmodules_blob_into(data: &[u8], options: &FsckOptions, report: &mut FsckReport) -> Result<(), FsckError> {
    if data.len() > options.max_gitmodules_size {
        return options.report(MsgId::GitmodulesLarge, ".gitmodules too large to parse", report);
    }
    // A byte order mark is skipped; a partial one is a syntax error (config.c reads it byte by
    // byte and fails at the first that differs).
    let body = data.strip_prefix(UTF8_BOM);
    let parsed = !(body.is_none() && data.first() == Some(&UTF8_BOM[0]))
        && parse(&mut Source { data: body.unwrap_or(data), pos: 0 }, options, report)?;
    if !parsed {
        return options.report(MsgId::GitmodulesParse, "could not parse gitmodules blob", report);
    }
    Ok(())
}

/// `var` is `section[.subsection].key` as git builds it, the key from `base_len` on (after the
/// section's dot; 0 before any section); `value` is `None` for a bare key.
fn check_entry(var: &[u8], base_len: usize, value: Option<&[u8]>, options: &FsckOptions, report: &mut FsckReport) -> Result<(), FsckError> {
    // parse_config_key: the key follows the last dot, the subsection lies between the first and
    // the last; no second dot means no subsection. Keys hold no dot, so the last dot is the
    // section's, at `base_len - 1`: the name is the section after `submodule.`.
    let Some(name) = var.get(..base_len.wrapping_sub(1)).and_then(|base| base.strip_prefix("submodule.".as_bytes())) else {
        return Ok(());
    };
    let name = c_str(name);
    let key = var.get(base_len..).unwrap_or(&[]);
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

struct Source<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Source<'_> {
    /// config.c `get_next_char`: CRLF reads as LF; the end reads as LF (config.c also sets
    /// `eof`, which only the top level needs: see [`Source::at_end`]).
    fn next(&mut self) -> u8 {
        let Some(&c) = self.data.get(self.pos) else { return b'\n' };
        self.pos += 1;
        if c == b'\r' && self.data.get(self.pos) == Some(&b'\n') {
            self.pos += 1;
            return b'\n';
        }
        c
    }

    /// Whether the next read is the end. config.c tests its `eof` flag after a read that
    /// returned LF; testing before the read is the same, as reads at the end change nothing. The
    /// nested readers need no test: the end reads as LF, which ends or fails each of them as
    /// a real LF does.
    fn at_end(&self) -> bool {
        self.pos >= self.data.len()
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
/// `Ok(false)` at a syntax error (after checking the entries before it), `Err` if an entry is
/// rejected.
fn parse(src: &mut Source<'_>, options: &FsckOptions, report: &mut FsckReport) -> Result<bool, FsckError> {
    let mut comment = false;
    let mut var: Vec<u8> = Vec::new();
    let mut value: Vec<u8> = Vec::new();
    let mut base_len = 0;
    loop {
        if src.at_end() {
            return Ok(true);
        }
        let c = src.next();
        if c == b'\n' {
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
                return Ok(false);
            }
            var.push(b'.');
            base_len = var.len();
            continue;
        }
        if !c.is_ascii_alphabetic() {
            return Ok(false);
        }
        var.truncate(base_len);
        var.push(c.to_ascii_lowercase());
        let Some(has_value) = key_and_value(src, &mut var, &mut value) else { return Ok(false) };
        check_entry(&var, base_len, has_value.then_some(value.as_slice()), options, report)?;
    }
}

/// config.c `get_base_var`: `[section]`, `[section.sub]` or `[section "sub"]`.
fn base_var(src: &mut Source<'_>, var: &mut Vec<u8>) -> bool {
    loop {
        // At the end this reads LF, a space: extended_base_var fails on it as config.c's eof
        // test does.
        let c = src.next();
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
        if !is_key_char(c) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn first_error(blob: &[u8]) -> Option<MsgId> {
        check_gitmodules_blob(blob, &FsckOptions::default()).err().map(|e| e.id)
    }

    #[test]
    fn config_syntax_and_checks() {
        assert_eq!(first_error(b"[submodule \"a\"]\n\tpath = a\n\turl = https://example.com/a\n"), None);
        assert_eq!(first_error(b"[submodule \"../x\"]\n\turl = ./x\n"), Some(MsgId::GitmodulesName));
        assert_eq!(first_error(b"[submodule \"a\"]\n\turl = \"-u\"\n"), Some(MsgId::GitmodulesUrl));
        assert_eq!(first_error(b"[submodule \"a\"]\n\turl = ./a\\\n%0a\n"), Some(MsgId::GitmodulesUrl));
        assert_eq!(first_error(b"[submodule \"a\"]\npath=-x ; comment\n"), Some(MsgId::GitmodulesPath));
        assert_eq!(first_error(b"[submodule \"a\"]\nupdate = !rm -rf\n"), Some(MsgId::GitmodulesUpdate));
        // A byte order mark is skipped; a partial one is a syntax error (only reported).
        assert_eq!(first_error(b"\xef\xbb\xbf[submodule \"a\"]\nupdate = !x\n"), Some(MsgId::GitmodulesUpdate));
        for partial in [&b"\xef"[..], b"\xef\xbb", b"\xef\xbb[submodule \"a\"]\nupdate = !x\n", b"\xefx"] {
            let r = check_gitmodules_blob(partial, &FsckOptions::default()).expect("parse errors do not reject");
            assert_eq!(r.warnings.first().map(|f| f.id), Some(MsgId::GitmodulesParse), "{partial:?}");
        }
        let r = check_gitmodules_blob(b"\xef\xbb\xbf", &FsckOptions::default()).expect("a BOM alone is empty");
        assert!(r.warnings.is_empty());
        for mode in ["none", "checkout", "rebase", "merge", "other"] {
            let blob = alloc::format!("[submodule \"a\"]\nupdate = {mode}\n");
            assert_eq!(first_error(blob.as_bytes()), None, "{mode}");
        }
        // `[Submodule.A]` is the old spelling of `[submodule "a"]` (lower-cased).
        assert_eq!(first_error(b"[Submodule.A]\r\nupdate = !x\r\n"), Some(MsgId::GitmodulesUpdate));
        // A syntax error is only reported (gitmodulesParse is info), entries before it count.
        let r = check_gitmodules_blob(b"[submodule \"a\"]\npath = ok\n[broken", &FsckOptions::default())
            .expect("parse errors do not reject");
        assert_eq!(r.warnings.first().map(|f| f.id), Some(MsgId::GitmodulesParse));
        assert_eq!(first_error(b"[submodule \"a\"]\npath = -x\n[broken"), Some(MsgId::GitmodulesPath));
    }
}

/// The reader against its version before the size work (`gitmodules_reference`, test-only):
/// the same findings and verdicts on structured and random blobs.
#[cfg(test)]
mod differential {
    use super::super::gitmodules_reference;
    use super::*;
    use alloc::format;
    use alloc::string::String;
    use proptest::prelude::*;

    fn verdict(r: Result<FsckReport, FsckError>) -> String {
        match r {
            Ok(report) => format!("ok {:?} {:?}", report.warnings, report.gitmodules.len()),
            Err(e) => format!("err {e}"),
        }
    }

    fn same(blob: &[u8]) {
        // Every gitmodules finding as a warning as well: all of them are compared, not just the
        // first error.
        let mut all = FsckOptions::lenient();
        for id in [MsgId::GitmodulesName, MsgId::GitmodulesUrl, MsgId::GitmodulesPath, MsgId::GitmodulesUpdate] {
            all.overrides.push((id, super::super::Severity::Warn));
        }
        for options in [FsckOptions::default(), FsckOptions::lenient(), all] {
            let new = verdict(check_gitmodules_blob(blob, &options));
            let old = verdict(gitmodules_reference::check_gitmodules_blob(blob, &options));
            assert_eq!(new, old, "{blob:?}");
        }
    }

    /// Pieces of config syntax and of the values the checks look at.
    const TOKENS: [&[u8]; 49] = [
        b"\n[submodule \"a\"]\n", b"\npath = -", b"\nurl = -", b"\nupdate = !", b"\n\turl = ./",
        b"[", b"]", b"\"", b"\\", b"\n", b"\r", b"\r\n", b" ", b"\t", b"=", b"#", b";", b".", b"-", b"!", b"%",
        b"%0a", b"%0", b"\0", b"a", b"A", b"x", b"0", b"submodule", b"Submodule", b"url", b"URL", b"path",
        b"update", b"[submodule \"", b"[submodule.", b"\"]\n", b"../", b"./", b"..", b"git://", b"https://h/",
        b"http::", b"\xef\xbb\xbf", b"\xef", b"\\n", b"\\t", b"\\b", b"\\\n",
    ];

    fn blob() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(prop_oneof![8 => (0..TOKENS.len()).prop_map(|i| TOKENS[i].to_vec()), 1 => any::<u8>().prop_map(|b| alloc::vec![b])], 0..40)
            .prop_map(|parts| parts.concat())
    }

    #[test]
    fn structured() {
        let heads = [&b"[submodule \"a\"]\n"[..], b"[submodule.A]\n", b"[Submodule \"a\\\"b\"]\r\n", b"[submodule]\n", b"[submodule.]\n", b"[submodule \"\"]\n", b"[x \"a\"]\n", b""];
        let lines = [&b"url = ./a\n"[..], b"url=\"-u\"", b"path = -x ; c\n", b"update = !x\n", b"update\n", b"url\n", b"url = a\\\n%0a\n", b"url = \"a\n", b"url = \\q\n", b"\turl = ../x:y # c\n", b"url = a\0b\n", b"url = https://h:0/\n"];
        for h in heads {
            for l in lines {
                for l2 in lines {
                    same(&[h, l, l2].concat());
                    same(&[b"\xef\xbb\xbf", h, l, b"[broken", l2].concat());
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300_000))]
        #[test]
        fn random_config_like(b in blob()) {
            same(&b);
        }
        #[test]
        fn random_bytes(b in proptest::collection::vec(any::<u8>(), 0..64)) {
            same(&b);
        }
    }
}
