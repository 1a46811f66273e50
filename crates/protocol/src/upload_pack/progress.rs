//! Decimal numbers for progress lines without the formatting machinery (the side-band 2 messages
//! of gitprotocol-pack "Packfile Data").

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
}
