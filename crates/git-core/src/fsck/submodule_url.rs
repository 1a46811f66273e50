//! Submodule names and URLs git refuses to use (submodule-config.c `check_submodule_name`,
//! `check_submodule_url`; urlmatch.c `url_normalize`; fsck-msgids `gitmodulesName`,
//! `gitmodulesUrl`): names that climb out with `..`, URLs that look like options, and URLs that
//! decode to a newline (credential-helper injection, CVE-2020-5260) or escape the host with `../`
//! (CVE-2020-11008).

fn is_xplatform_dir_sep(c: u8) -> bool {
    c == b'/' || c == b'\\'
}

/// True if git accepts `name` as a submodule name: not empty, no `..` path component (either
/// slash counts as a separator).
pub fn check_submodule_name(name: &[u8]) -> bool {
    // A component starts at the beginning and after each separator; `..` may be none of them.
    let mut component = name;
    loop {
        if component == b".." || dot_slash(component) == 3 {
            return false;
        }
        match component.iter().position(|c| is_xplatform_dir_sep(*c)) {
            Some(sep) => component = component.get(sep + 1..).unwrap_or(&[]),
            None => return !name.is_empty(),
        }
    }
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// `%XX` at the start of `s`, as git's `hex2chr`.
fn escape(s: &[u8]) -> Option<u8> {
    Some(hex(*s.get(1)?)? << 4 | hex(*s.get(2)?)?)
}

/// Would url.c `url_decode` (which leaves the part before the first `:` alone) produce a newline?
fn decodes_to_newline(url: &[u8]) -> bool {
    let (head, tail) = match url.iter().position(|b| *b == b':') {
        Some(colon) if colon > 0 => (url.get(..colon).unwrap_or(&[]), url.get(colon..).unwrap_or(&[])),
        _ => (&[][..], url),
    };
    if super::has(head, b'\n') {
        return true;
    }
    let mut i = 0;
    while let Some(&c) = tail.get(i) {
        if c == b'\n' {
            return true;
        }
        if c == b'%' {
            if let Some(v) = escape(tail.get(i..).unwrap_or(&[])).filter(|v| *v > 0) {
                if v == b'\n' {
                    return true;
                }
                i += 3;
                continue;
            }
        }
        i += 1;
    }
    false
}

/// The length of a `./` (2) or `../` (3) at the start of `s`, either slash; 0 if neither (git's
/// `starts_with_dot_slash` and `starts_with_dot_dot_slash` in one).
fn dot_slash(s: &[u8]) -> usize {
    let dots = if s.starts_with(b"..") { 2 } else { usize::from(s.first() == Some(&b'.')) };
    if dots > 0 && s.get(dots).is_some_and(|c| is_xplatform_dir_sep(*c)) {
        dots + 1
    } else {
        0
    }
}

/// True if git accepts `url` as a submodule URL.
pub fn check_submodule_url(url: &[u8]) -> bool {
    // git handles the value as a C string.
    let url = match url.iter().position(|b| *b == 0) {
        Some(nul) => url.get(..nul).unwrap_or(url),
        None => url,
    };
    if url.first() == Some(&b'-') {
        return false;
    }
    if dot_slash(url) > 0 || url.starts_with(b"git://") {
        if decodes_to_newline(url) {
            return false;
        }
        let mut next = url;
        let mut dotdots = 0;
        loop {
            let n = dot_slash(next);
            if n == 0 {
                break;
            }
            dotdots += usize::from(n == 3);
            next = next.get(n..).unwrap_or(&[]);
        }
        return !(dotdots > 0 && matches!(next.first(), Some(b':') | Some(b'/')));
    }
    let curl_url = curl_url(url);
    match curl_url {
        // url_normalize() re-escapes a newline as %0A and url_decode() turns it back.
        Some(curl) => url_normalizes(curl) && !decodes_to_newline(curl),
        None => true,
    }
}

/// transport-helper's `url_to_curl_url` for the schemes git checks: `http`, `https`, `ftp`,
/// `ftps` URLs as curl gets them (a `<scheme>::` prefix removed); `None` for any other URL.
fn curl_url(url: &[u8]) -> Option<&[u8]> {
    let scheme = if url.starts_with(b"http") {
        4
    } else if url.starts_with(b"ftp") {
        3
    } else {
        return None;
    };
    let scheme = scheme + usize::from(url.get(scheme) == Some(&b's'));
    let rest = url.get(scheme..)?;
    if rest.starts_with(b"::") {
        rest.get(2..)
    } else if rest.starts_with(b"://") {
        Some(url)
    } else {
        None
    }
}

const SCHEME_CHARS: &[u8] = b"+.-";
const HOST_CHARS: &[u8] = b".-_[:]";

/// Every `%` starts a valid `%XX` escape (urlmatch.c `append_normalized_escapes`).
fn escapes_ok(s: &[u8]) -> bool {
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if c == b'%' {
            if escape(s.get(i..).unwrap_or(&[])).is_none() {
                return false;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    true
}

/// Bytes at the start of `s` that are ASCII alphanumeric or in `extra`.
#[inline(never)]
fn span(s: &[u8], extra: &[u8]) -> usize {
    // An index loop: no `take_while` adapter in the module.
    let mut n = 0;
    while s.get(n).is_some_and(|c| c.is_ascii_alphanumeric() || super::has(extra, *c)) {
        n += 1;
    }
    n
}

/// The index of the first byte of `s` in `set`, or `s.len()`.
#[inline(never)]
fn find_any(s: &[u8], set: &[u8]) -> usize {
    s.iter().position(|c| super::has(set, *c)).unwrap_or(s.len())
}

/// A path segment's normalized form (escapes of characters that need none are decoded; its
/// escapes are valid): 1 for `.`, 2 for `..`, 0 for anything else.
fn dots(seg: &[u8]) -> u8 {
    let mut n = 0;
    let mut i = 0;
    while let Some(&c) = seg.get(i) {
        let (ch, step) = if c == b'%' { (escape(seg.get(i..).unwrap_or(&[])).unwrap_or(0), 3) } else { (c, 1) };
        if ch != b'.' || n == 2 {
            return 0;
        }
        n += 1;
        i += step;
    }
    n
}

/// Would urlmatch.c `url_normalize` accept `url`? It needs `scheme://`, a host (unless `file:`),
/// a valid port, valid `%` escapes and no `..` above the root.
pub(super) fn url_normalizes(url: &[u8]) -> bool {
    let scheme = span(url, SCHEME_CHARS);
    if scheme == 0
        || !url.first().is_some_and(u8::is_ascii_alphabetic)
        || !url.get(scheme..).unwrap_or_default().starts_with(b"://")
    {
        return false;
    }
    let is_file = url.get(..scheme).is_some_and(|s| s.eq_ignore_ascii_case(b"file"));
    let mut rest = url.get(scheme + 3..).unwrap_or(&[]);
    let at = find_any(rest, b"@");
    if at < find_any(rest, b"/?#") {
        if !escapes_ok(rest.get(..at).unwrap_or(&[])) {
            return false;
        }
        rest = rest.get(at + 1..).unwrap_or(&[]);
    }
    let slash = find_any(rest, b"/?#");
    let has_host = find_any(rest, b":/?#") != 0;
    if !has_host && !is_file {
        return false;
    }
    // The port starts at the last ':' before the path that is not inside an IPv6 literal.
    let authority = rest.get(..slash).unwrap_or(&[]);
    let colon = match authority.iter().rposition(|c| *c == b':' || *c == b']') {
        Some(p) if authority.get(p) == Some(&b':') => Some(p),
        _ => None,
    };
    let host_end = colon.unwrap_or(slash);
    if let Some(c) = colon {
        if !has_host && c + 1 != slash {
            return false; // a file: URL may not have a port
        }
    }
    if span(authority, HOST_CHARS) < host_end {
        return false;
    }
    if let Some(c) = colon {
        // Any port but an empty one must be a number from 1 to 65535, leading zeros allowed
        // (the default ports 80 and 443, which url_normalize drops, are among them).
        let port = authority.get(c + 1..).unwrap_or(&[]);
        if !port.is_empty() {
            if !port.iter().all(u8::is_ascii_digit) {
                return false;
            }
            let n = port.iter().fold(0u32, |v, d| (v * 10 + u32::from(d - b'0')).min(1 << 17));
            if n == 0 || n > 65535 {
                return false;
            }
        }
    }
    // The path: '.' and '..' segments are resolved; '..' with nothing left to remove fails.
    let mut path = rest.get(slash..).unwrap_or(&[]);
    if path.first() == Some(&b'/') {
        path = path.get(1..).unwrap_or(&[]);
    }
    let mut depth: usize = 0;
    loop {
        let end = find_any(path, b"/?#");
        let seg = path.get(..end).unwrap_or(&[]);
        if !escapes_ok(seg) {
            return false;
        }
        match dots(seg) {
            1 => {}
            2 => {
                if depth == 0 {
                    return false;
                }
                depth -= 1;
            }
            _ => depth += 1,
        }
        path = path.get(end..).unwrap_or(&[]);
        match path.first() {
            Some(b'/') => path = path.get(1..).unwrap_or(&[]),
            _ => break,
        }
    }
    escapes_ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(check_submodule_name(b"sub"));
        assert!(check_submodule_name(b"a/..b"));
        assert!(check_submodule_name(b"a/...") && check_submodule_name(b".../a") && check_submodule_name(b"a//b"));
        for bad in [&b""[..], b"..", b"../x", b"a/../b", b"a\\..", b"x/..", b"..\\x", b"a\\..\\b", b"/.."] {
            assert!(!check_submodule_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn newlines_after_decoding() {
        for yes in [&b"./%0a"[..], b"./%0A", b"./a\n", b"a\n:b", b"./a:%0a", b"./%%0a", b"./%25%0a", b"%0a", b"https://h/%0a"] {
            assert!(decodes_to_newline(yes), "{yes:?}");
        }
        for no in [&b"./%250a"[..], b"./a%0a:b", b"./%0", b"./%0b", b"./%00a", b"./0a", b"x%0A:y"] {
            assert!(!decodes_to_newline(no), "{no:?}");
        }
        // The part before the first ':' is not decoded, so a relative URL may carry %0a there.
        assert!(check_submodule_url(b"./a%0a:b"));
        assert!(!check_submodule_url(b"./a:%0a"));
    }

    #[test]
    fn curl_urls() {
        assert_eq!(curl_url(b"http::x://h"), Some(&b"x://h"[..]));
        assert_eq!(curl_url(b"https::x"), Some(&b"x"[..]));
        assert_eq!(curl_url(b"ftp::y"), Some(&b"y"[..]));
        assert_eq!(curl_url(b"ftps::"), Some(&b""[..]));
        for whole in [&b"http://h/"[..], b"https://h", b"ftp://h", b"ftps://h"] {
            assert_eq!(curl_url(whole), Some(whole));
        }
        for other in [&b"httpss::x"[..], b"http:/h", b"HTTP://h", b"ssh://h", b"htt", b"ftpx://h", b"http"] {
            assert_eq!(curl_url(other), None, "{other:?}");
        }
    }

    #[test]
    fn urls() {
        for ok in [
            &b"https://example.com/repo.git"[..],
            b"http://example.com:8080/r",
            b"./sub",
            b"../sibling.git",
            b"git://example.com/r",
            b"ssh://host/r",
            b"host:path",
            b"https://[::1]:443/x",
            b"https://example.com/a/../b",
        ] {
            assert!(check_submodule_url(ok), "{:?}", core::str::from_utf8(ok));
        }
        for bad in [
            &b"-oProxyCommand=x"[..],
            b"https://example.com/%0a",
            b"https://example.com/\n",
            b"./%0Aevil",
            b"../:x",
            b"..//host",
            b"https:///example.com",
            b"http::example.com/r",
            b"https://example.com:0/",
            b"https://example.com:99999/",
            b"https://ex ample.com/",
            b"https://example.com/%zz",
            b"https://example.com/..",
        ] {
            assert!(!check_submodule_url(bad), "{:?}", core::str::from_utf8(bad));
        }
    }
}

/// The URL check against its form before `dot_slash` joined git's two prefix tests (kept here,
/// test-only): the same verdicts on relative-URL-like and random inputs.
#[cfg(test)]
mod differential {
    use super::*;
    use proptest::prelude::*;

    fn starts_with_dot_slash(s: &[u8]) -> bool {
        s.first() == Some(&b'.') && s.get(1).is_some_and(|c| is_xplatform_dir_sep(*c))
    }

    fn starts_with_dot_dot_slash(s: &[u8]) -> bool {
        s.starts_with(b"..") && s.get(2).is_some_and(|c| is_xplatform_dir_sep(*c))
    }

    fn reference(url: &[u8]) -> bool {
        let url = match url.iter().position(|b| *b == 0) {
            Some(nul) => url.get(..nul).unwrap_or(url),
            None => url,
        };
        if url.first() == Some(&b'-') {
            return false;
        }
        if starts_with_dot_slash(url) || starts_with_dot_dot_slash(url) || url.starts_with(b"git://") {
            if decodes_to_newline(url) {
                return false;
            }
            let mut next = url;
            let mut dotdots = 0;
            loop {
                if starts_with_dot_dot_slash(next) {
                    dotdots += 1;
                    next = next.get(3..).unwrap_or(&[]);
                } else if starts_with_dot_slash(next) {
                    next = next.get(2..).unwrap_or(&[]);
                } else {
                    break;
                }
            }
            return !(dotdots > 0 && matches!(next.first(), Some(b':') | Some(b'/')));
        }
        match curl_url(url) {
            Some(curl) => url_normalizes(curl) && !decodes_to_newline(curl),
            None => true,
        }
    }

    /// `check_submodule_name` before it used `dot_slash`.
    fn reference_name(name: &[u8]) -> bool {
        let mut component = name;
        loop {
            let end = component.iter().position(|c| is_xplatform_dir_sep(*c)).unwrap_or(component.len());
            if end == 2 && component.starts_with(b"..") {
                return false;
            }
            match component.get(end + 1..) {
                Some(rest) => component = rest,
                None => return !name.is_empty(),
            }
        }
    }

    const PIECES: [&[u8]; 16] =
        [b".", b"..", b"/", b"\\", b"./", b"../", b"..\\", b":", b"x", b"%0a", b"\n", b"\0", b"git://", b"-", b"...", b"h"];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300_000))]
        #[test]
        fn relative_urls_as_before(parts in proptest::collection::vec(0..PIECES.len(), 0..12)) {
            let url: alloc::vec::Vec<u8> = parts.iter().flat_map(|i| PIECES[*i].iter().copied()).collect();
            prop_assert_eq!(check_submodule_url(&url), reference(&url), "{:?}", url);
        }
        #[test]
        fn names_as_before(parts in proptest::collection::vec(0..PIECES.len(), 0..10)) {
            let name: alloc::vec::Vec<u8> = parts.iter().flat_map(|i| PIECES[*i].iter().copied()).collect();
            prop_assert_eq!(check_submodule_name(&name), reference_name(&name), "{:?}", name);
        }
        #[test]
        fn random_urls_as_before(url in proptest::collection::vec(any::<u8>(), 0..24)) {
            prop_assert_eq!(check_submodule_url(&url), reference(&url));
        }
    }
}
