//! Hand-made protocol bodies: pkt-lines, packs (including deltas in unusual orders) and
//! receive-pack requests, for the cases real clients never produce.

use sha1_checked::{Digest, Sha1};
use std::io::Write;

pub const ZERO_ID: &str = "0000000000000000000000000000000000000000";

pub fn pkt_line(out: &mut Vec<u8>, payload: &[u8]) {
    assert!(payload.len() + 4 <= 65520);
    out.extend_from_slice(format!("{:04x}", payload.len() + 4).as_bytes());
    out.extend_from_slice(payload);
}

pub fn flush(out: &mut Vec<u8>) {
    out.extend_from_slice(b"0000");
}

/// Splits a pkt-line stream; `None` stands for flush/delim/response-end packets.
pub fn parse_pkt_lines(mut data: &[u8]) -> Vec<Option<Vec<u8>>> {
    let mut v = Vec::new();
    while data.len() >= 4 {
        let n = usize::from_str_radix(std::str::from_utf8(&data[..4]).unwrap(), 16)
            .unwrap_or_else(|_| panic!("bad pkt-line length in {:?}", String::from_utf8_lossy(data)));
        if n < 4 {
            v.push(None);
            data = &data[4..];
        } else {
            v.push(Some(data[4..n].to_vec()));
            data = &data[n..];
        }
    }
    assert!(data.is_empty(), "trailing bytes after pkt-lines: {:?}", String::from_utf8_lossy(data));
    v
}

/// The report-status lines of a receive-pack response (side-band demultiplexed if used).
pub fn report_status(body: &[u8]) -> Vec<String> {
    let pkts = parse_pkt_lines(body);
    let banded = pkts.iter().flatten().next().is_some_and(|p| matches!(p.first(), Some(1..=3)));
    let inner: Vec<u8> = if banded {
        let mut b = Vec::new();
        for p in pkts.iter().flatten() {
            if p[0] == 1 {
                b.extend_from_slice(&p[1..]);
            }
        }
        b
    } else {
        body.to_vec()
    };
    parse_pkt_lines(&inner)
        .into_iter()
        .flatten()
        .map(|l| String::from_utf8_lossy(&l).trim_end_matches('\n').to_owned())
        .collect()
}

pub fn hex_to_bytes(hex: &str) -> [u8; 20] {
    let mut b = [0u8; 20];
    for (i, out) in b.iter_mut().enumerate() {
        *out = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    b
}

pub fn object_id(kind: &str, data: &[u8]) -> String {
    let mut h = Sha1::new();
    h.update(format!("{kind} {}\0", data.len()).as_bytes());
    h.update(data);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn varint(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// One delta instruction.
pub enum DeltaOp<'a> {
    Copy { offset: usize, len: usize },
    Insert(&'a [u8]),
}

/// Encodes a git delta turning `base` (of `base_len` bytes) into a result of `result_len` bytes.
pub fn delta(base_len: usize, result_len: usize, ops: &[DeltaOp]) -> Vec<u8> {
    let mut d = Vec::new();
    varint(&mut d, base_len);
    varint(&mut d, result_len);
    for op in ops {
        match op {
            DeltaOp::Insert(data) => {
                for chunk in data.chunks(127) {
                    d.push(chunk.len() as u8);
                    d.extend_from_slice(chunk);
                }
            }
            DeltaOp::Copy { offset, len } => {
                assert!(*len > 0 && *len <= 0xffffff);
                let mut cmd = 0x80u8;
                let mut args = Vec::new();
                for i in 0..4 {
                    let b = (offset >> (8 * i)) as u8;
                    if b != 0 {
                        cmd |= 1 << i;
                        args.push(b);
                    }
                }
                for i in 0..3 {
                    let b = (len >> (8 * i)) as u8;
                    if b != 0 {
                        cmd |= 1 << (4 + i);
                        args.push(b);
                    }
                }
                d.push(cmd);
                d.extend_from_slice(&args);
            }
        }
    }
    d
}

/// Builds a version-2 pack entry by entry, in exactly the order given.
#[derive(Default)]
pub struct PackBuilder {
    entries: Vec<u8>,
    count: u32,
}

fn kind_code(kind: &str) -> u8 {
    match kind {
        "commit" => 1,
        "tree" => 2,
        "blob" => 3,
        "tag" => 4,
        _ => panic!("bad kind {kind}"),
    }
}

impl PackBuilder {
    fn header(&mut self, code: u8, size: usize) {
        let mut b = (code << 4) | (size & 0x0f) as u8;
        let mut rest = size >> 4;
        while rest != 0 {
            self.entries.push(b | 0x80);
            b = (rest & 0x7f) as u8;
            rest >>= 7;
        }
        self.entries.push(b);
        self.count += 1;
    }

    /// A whole object.
    pub fn full(&mut self, kind: &str, data: &[u8]) -> &mut Self {
        self.header(kind_code(kind), data.len());
        self.entries.extend_from_slice(&zlib(data));
        self
    }

    /// A REF_DELTA against `base_id` (which may come later in the pack, or be on the server).
    pub fn ref_delta(&mut self, base_id: &str, delta: &[u8]) -> &mut Self {
        self.header(7, delta.len());
        self.entries.extend_from_slice(&hex_to_bytes(base_id));
        self.entries.extend_from_slice(&zlib(delta));
        self
    }

    /// The pack with its header and SHA-1 trailer.
    pub fn finish(&self) -> Vec<u8> {
        let mut p = b"PACK".to_vec();
        p.extend_from_slice(&2u32.to_be_bytes());
        p.extend_from_slice(&self.count.to_be_bytes());
        p.extend_from_slice(&self.entries);
        let sum = Sha1::digest(&p);
        p.extend_from_slice(&sum);
        p
    }
}

/// A receive-pack request body: commands (old, new, ref), capabilities on the first, then the pack.
pub fn receive_pack_request(commands: &[(&str, &str, &str)], caps: &str, pack: Option<&[u8]>) -> Vec<u8> {
    let mut body = Vec::new();
    for (i, (old, new, name)) in commands.iter().enumerate() {
        let line = if i == 0 { format!("{old} {new} {name}\0{caps}\n") } else { format!("{old} {new} {name}\n") };
        pkt_line(&mut body, line.as_bytes());
    }
    flush(&mut body);
    if let Some(p) = pack {
        body.extend_from_slice(p);
    }
    body
}

/// POSTs a receive-pack request to `<repo_url>/git-receive-pack`; returns the report-status lines.
pub fn post_receive_pack(repo_url: &str, body: &[u8]) -> Vec<String> {
    // like git, read the advertisement first (some servers expect it; it is cheap)
    let adv = crate::http::request("GET", &format!("{repo_url}/info/refs?service=git-receive-pack"), &[], &[]);
    assert_eq!(adv.status, 200, "GET info/refs?service=git-receive-pack: {}", String::from_utf8_lossy(&adv.body));
    let r = crate::http::request(
        "POST",
        &format!("{repo_url}/git-receive-pack"),
        &[
            ("Content-Type", "application/x-git-receive-pack-request"),
            ("Accept", "application/x-git-receive-pack-result"),
        ],
        body,
    );
    assert_eq!(r.status, 200, "POST git-receive-pack: {}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("Content-Type"), Some("application/x-git-receive-pack-result"));
    report_status(&r.body)
}

/// An empty pack (for pushes that only move refs to objects the server has, and deletions).
pub fn empty_pack() -> Vec<u8> {
    PackBuilder::default().finish()
}
