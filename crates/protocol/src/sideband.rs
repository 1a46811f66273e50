//! Side-band multiplexing (gitprotocol-capabilities "side-band, side-band-64k"; gitprotocol-pack
//! "Packfile Data"): each pkt-line's first payload byte names a band — 1 pack data, 2 progress
//! text, 3 a fatal error message. `side-band` packets are at most 1000 bytes, `side-band-64k`
//! packets at most 65520 bytes, length prefix and band byte included.

use crate::pktline;
use alloc::vec::Vec;

/// A side-band channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Band {
    /// Pack data.
    Data = 1,
    /// Progress messages (the client prints them as "remote: ...").
    Progress = 2,
    /// A fatal error; the client prints it and stops.
    Error = 3,
}

/// Which side-band, if any, the client asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Sideband {
    /// No multiplexing: pack data raw, progress dropped.
    #[default]
    None,
    /// `side-band`: 1000-byte packets.
    Small,
    /// `side-band-64k` (and always in protocol v2): 65520-byte packets.
    Large,
}

impl Sideband {
    /// The largest packet including the 4-byte length, `None` without side-band.
    pub const fn max_packet(self) -> Option<usize> {
        match self {
            Sideband::None => None,
            Sideband::Small => Some(1000),
            Sideband::Large => Some(pktline::MAX_PKT_LEN),
        }
    }

    /// The largest payload of one packet after the length and the band byte.
    pub const fn max_payload(self) -> usize {
        match self {
            Sideband::None => usize::MAX,
            Sideband::Small => 1000 - 5,
            Sideband::Large => pktline::MAX_PKT_LEN - 5,
        }
    }

    /// Append `data` on `band`, split into as many packets as needed. Without side-band, band 1
    /// is written raw, band 2 dropped and band 3 written as an `ERR` pkt-line.
    pub fn write(self, out: &mut Vec<u8>, band: Band, data: &[u8]) {
        if self == Sideband::None {
            match band {
                Band::Data => out.extend_from_slice(data),
                Band::Progress => {}
                Band::Error => pktline::write_err(out, data),
            }
            return;
        }
        let max = self.max_payload();
        let mut rest = data;
        while !rest.is_empty() {
            let (chunk, tail) = rest.split_at(rest.len().min(max));
            // Cannot fail: chunks are at most the side-band payload size.
            let _ = pktline::write_parts(out, &[&[band as u8], chunk]);
            rest = tail;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_small_band() {
        let mut out = Vec::new();
        Sideband::Small.write(&mut out, Band::Data, &[7u8; 2000]);
        // 995 + 995 + 10 payload bytes.
        assert_eq!(out.len(), 2000 + 3 * 5);
        assert_eq!(&out[..5], b"03e8\x01");
        assert_eq!(&out[1000..1005], b"03e8\x01");
        assert_eq!(&out[2000..2005], b"000f\x01");
    }

    #[test]
    fn no_sideband() {
        let mut out = Vec::new();
        Sideband::None.write(&mut out, Band::Data, b"PACK");
        Sideband::None.write(&mut out, Band::Progress, b"Counting");
        Sideband::None.write(&mut out, Band::Error, b"boom");
        assert_eq!(&out[..], b"PACK000dERR boom\n");
    }
}
