//! `index_pack PACK [IDX_OUT]`: parse and resolve a pack like `git index-pack` (objects kept in a
//! map, standing in for the store), write its idx v2, print the time. Used by
//! benches/scripts/pack-vs-index-pack.sh.

use git_core::{ObjectId, ObjectKind};
use pack::idx::{write_idx, IdxEntry};
use pack::parser::{PackParser, ParserOptions};
use pack::resolve::{BaseInfo, BaseSource, Resolver, ResolverOptions};
use pack::Event;
use std::collections::HashMap;
use std::time::Instant;

#[derive(Default)]
struct Objects(HashMap<ObjectId, (ObjectKind, std::sync::Arc<Vec<u8>>)>);

impl BaseSource for Objects {
    type Error = std::convert::Infallible;
    fn object_by_id(&mut self, id: &ObjectId, out: &mut Vec<u8>) -> Result<Option<BaseInfo>, Self::Error> {
        out.clear();
        Ok(self.0.get(id).map(|(kind, data)| {
            out.extend_from_slice(data);
            BaseInfo { kind: *kind, depth: 0 }
        }))
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("usage: index_pack PACK [IDX_OUT]")?;
    let bytes = std::fs::read(path)?;
    let start = Instant::now();
    let mut parser = PackParser::new(ParserOptions::default());
    let mut resolver = Resolver::new(ResolverOptions::default());
    let mut store = Objects::default();
    let mut entries = Vec::new();
    let mut checksum = [0u8; 20];
    // Feed in 64 KiB pieces, as a network would deliver them.
    for chunk in bytes.chunks(64 << 10) {
        let mut rest = chunk;
        loop {
            let n = parser.handle_bytes(rest)?;
            rest = &rest[n..];
            while let Some(ev) = parser.poll_event() {
                match ev {
                    Event::Entry(e) => {
                        resolver.handle_entry(e);
                        while let Some(o) = resolver.poll_object(&mut store)? {
                            entries.push(IdxEntry { id: o.id, offset: o.offset, crc32: o.crc32 });
                            store.0.insert(o.id, (o.kind, o.data));
                        }
                    }
                    Event::End { checksum: c } => checksum = c,
                    Event::Header { .. } => {}
                }
            }
            if rest.is_empty() {
                break;
            }
        }
    }
    parser.handle_end()?;
    let summary = resolver.finish()?;
    let mut idx = Vec::new();
    write_idx(&mut entries, &checksum, &mut idx);
    let secs = start.elapsed().as_secs_f64();
    if let Some(out) = args.get(2) {
        std::fs::write(out, &idx)?;
    }
    println!(
        "objects {} deltas {} bytes {} seconds {:.3} MB/s {:.1}",
        summary.objects,
        summary.deltas,
        bytes.len(),
        secs,
        bytes.len() as f64 / secs / 1e6
    );
    Ok(())
}
