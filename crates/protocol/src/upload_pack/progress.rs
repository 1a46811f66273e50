//! Decimal numbers without the formatting and parsing machinery of `core`: for progress lines (the
//! side-band 2 messages of gitprotocol-pack "Packfile Data") and for the numbers of request lines
//! (`deepen <n>`, `deepen-since <t>`, `blob:limit=<n>`), one shared routine instead of a
//! `str::parse` instantiation per integer type.

use alloc::vec::Vec;

/// Append `n` in decimal.
pub fn push_u64(out: &mut Vec<u8>, n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// `digits` as a decimal number: at least one ASCII digit and nothing else; `None` on overflow.
pub fn parse_u64(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        n = git_core::mul::checked_mul(n, 10)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(n)
}

/// An optionally signed decimal (`+`/`-`), with the rules of `str::parse::<i64>`.
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    // The sign, then one call parsing the digits.
    let (negative, digits) = match s.split_first() {
        Some((b'-', digits)) => (true, digits),
        Some((b'+', digits)) => (false, digits),
        _ => (false, s),
    };
    let n = parse_u64(digits)?;
    if negative {
        0i64.checked_sub_unsigned(n)
    } else {
        i64::try_from(n).ok()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimal() {
        let mut v = alloc::vec::Vec::new();
        super::push_u64(&mut v, 0);
        v.push(b' ');
        super::push_u64(&mut v, u64::MAX);
        assert_eq!(&v[..], b"0 18446744073709551615");
    }

    #[test]
    fn parse_like_core() {
        use super::{parse_i64, parse_u64};
        for s in ["0", "7", "007", "18446744073709551615", "18446744073709551616", "", "+", "-", "1a", " 1", "+5", "-5"] {
            assert_eq!(parse_u64(s.as_bytes()), s.parse::<u64>().ok().filter(|_| !s.starts_with('+')), "{s:?}");
        }
        for s in ["0", "-0", "+12", "-12", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                  "-9223372036854775809", "", "+", "-", "--1", "+-1", "1 "] {
            assert_eq!(parse_i64(s.as_bytes()), s.parse::<i64>().ok(), "{s:?}");
        }
    }
}
