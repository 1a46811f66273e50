//! The parser gives the same events for any chunking of the input, down to one byte at a time.

mod common;

use common::*;
use pack::parser::{PackParser, ParserOptions};
use pack::Event;
use proptest::prelude::*;
use std::sync::OnceLock;

fn small_pack() -> &'static Vec<u8> {
    static P: OnceLock<Vec<u8>> = OnceLock::new();
    P.get_or_init(|| {
        let repo = make_repo(6);
        git(repo.path(), &["pack-objects", "--stdout", "-q", "--all", "--revs", "--delta-base-offset"], b"")
    })
}

/// Events for the input cut at `cuts` (sorted positions).
fn events(pack: &[u8], cuts: &[usize]) -> Vec<Event> {
    events_with(PackParser::new(ParserOptions::default()), pack, cuts)
}

fn events_with<I: git_core::zlib::StreamInflate>(mut parser: PackParser<I>, pack: &[u8], cuts: &[usize]) -> Vec<Event> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bounds: Vec<usize> = cuts.iter().copied().filter(|c| *c < pack.len()).collect();
    bounds.push(pack.len());
    for end in bounds {
        if end < start {
            continue;
        }
        let mut rest = &pack[start..end];
        loop {
            let n = parser.handle_bytes(rest).expect("valid pack");
            rest = &rest[n..];
            while let Some(ev) = parser.poll_event() {
                out.push(ev);
            }
            if rest.is_empty() {
                break;
            }
        }
        start = end;
    }
    parser.handle_end().expect("complete");
    out
}

#[test]
fn one_byte_at_a_time_equals_all_at_once() {
    let pack = small_pack();
    let whole = events(pack, &[]);
    let cuts: Vec<usize> = (1..pack.len()).collect();
    assert_eq!(events(pack, &cuts), whole);
    assert!(whole.len() > 10, "header, many entries, end");
    assert!(matches!(whole.first(), Some(Event::Header { version: 2, .. })));
    assert!(matches!(whole.last(), Some(Event::End { .. })));
    assert!(whole.iter().any(|e| matches!(e, Event::Entry(en) if en.kind.is_delta())));
}

/// The Wasm module's inflater (`SmallInflater`) gives the same events as miniz_oxide's.
#[test]
fn small_inflater_gives_the_same_events() {
    let pack = small_pack();
    let whole = events(pack, &[]);
    let small = || PackParser::with_inflater(ParserOptions::default(), git_core::zlib::SmallInflater::new());
    assert_eq!(events_with(small(), pack, &[]), whole);
    let cuts: Vec<usize> = (1..pack.len()).step_by(7).collect();
    assert_eq!(events_with(small(), pack, &cuts), whole);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn any_chunking_gives_identical_events(mut cuts in proptest::collection::vec(0usize..70_000, 0..200), big in 0usize..3) {
        let pack = small_pack();
        let whole = events(pack, &[]);
        // Mix in runs of single bytes and 64 KiB pieces.
        let extra: Vec<usize> = match big { 0 => (0..pack.len()).step_by(65_536).collect(), 1 => (100..400).collect(), _ => vec![] };
        cuts.extend(extra);
        let n = pack.len();
        for c in cuts.iter_mut() { *c %= n; }
        cuts.sort_unstable();
        cuts.dedup();
        prop_assert_eq!(events(pack, &cuts), whole);
    }
}
