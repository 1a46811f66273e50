//! v2 `ls-refs` (gitprotocol-v2 "ls-refs"; git's ls-refs.c): arguments `symrefs`, `peel`,
//! `ref-prefix <prefix>`, `unborn`; one line per ref, `HEAD` first:
//! `<oid> <name>[ symref-target:<target>][ peeled:<oid>]`, or `unborn HEAD symref-target:<target>`
//! for a HEAD whose branch does not exist yet, then a flush.

use super::error::Res;
use super::graph::Graph;
use crate::pktline;
use crate::refs;
use alloc::string::String;
use alloc::vec::Vec;
use host_abi::Store;

/// ls.refs.c ignores prefixes once there are this many and lists everything.
const TOO_MANY_PREFIXES: usize = 65536;

/// The arguments of one `ls-refs` command.
#[derive(Clone, Debug)]
pub struct LsRefsArgs {
    pub symrefs: bool,
    pub peel: bool,
    pub unborn: bool,
    pub prefixes: Vec<String>,
    too_many: bool,
}

impl Default for LsRefsArgs {
    fn default() -> Self {
        // A constant rather than a call per empty collection.
        const EMPTY: LsRefsArgs =
            LsRefsArgs { symrefs: false, peel: false, unborn: false, prefixes: Vec::new(), too_many: false };
        EMPTY
    }
}

impl LsRefsArgs {
    /// Take one argument line; `false` if it is not an ls-refs argument.
    pub fn line(&mut self, line: &[u8]) -> bool {
        static NAMES: [&[u8]; 3] = [b"symrefs", b"peel", crate::advertise::part(&crate::advertise::V2_LS_REFS, b"unborn")];
        match crate::capabilities::lookup(&NAMES, line) {
            Some(0) => self.symrefs = true,
            Some(1) => self.peel = true,
            Some(_) => self.unborn = true,
            None => match line.strip_prefix(b"ref-prefix ") {
                Some(p) => {
                    if self.prefixes.len() >= TOO_MANY_PREFIXES {
                        self.too_many = true;
                        self.prefixes.clear();
                    } else if !self.too_many {
                        self.prefixes.push(git_core::msg::lossy(p));
                    }
                }
                None => return false,
            },
        }
        true
    }

    fn matches(&self, name: &str) -> bool {
        self.prefixes.is_empty() || self.prefixes.iter().any(|p| name.starts_with(p.as_str()))
    }
}

/// Write the ls-refs response; tags are peeled through `graph`'s reader. Each line is built in
/// `line`, a buffer the caller lends.
pub fn ls_refs<S: Store>(
    store: &mut S,
    graph: &mut Graph,
    args: &LsRefsArgs,
    out: &mut Vec<u8>,
    line: &mut Vec<u8>,
) -> Res<()> {
    let all = refs::list(store, "")?;
    let mut result = Ok(());
    for r in &all {
        if !args.matches(&r.name) {
            continue;
        }
        line.clear();
        match r.id {
            Some(id) => {
                line.extend_from_slice(&id.to_hex());
                line.push(b' ');
            }
            // Only HEAD is reported unborn, and only when asked (ls-refs.c send_possibly_unborn_head).
            None if r.name == "HEAD" && args.unborn && args.symrefs => line.extend_from_slice(b"unborn "),
            None => continue,
        }
        line.extend_from_slice(r.name.as_bytes());
        if args.symrefs {
            if let Some(t) = &r.symref_target {
                line.extend_from_slice(b" symref-target:");
                line.extend_from_slice(t.as_bytes());
            }
        }
        if args.peel {
            if let Some(id) = r.id {
                // Only an annotated tag peels to another object (odb::peel's rule: a chain of at
                // least one tag, ending at an object the store has). A store error ends the loop:
                // one exit, where the lists are dropped.
                match graph.peel(store, &id) {
                    Ok(Some(_)) if !graph.tags.is_empty() => {
                        line.extend_from_slice(b" peeled:");
                        line.extend_from_slice(&graph.peeled.to_hex());
                    }
                    Ok(_) => {}
                    Err(e) => {
                        result = Err(e);
                        break;
                    }
                }
            }
        }
        let _ = pktline::write_text(out, line);
    }
    if result.is_ok() {
        pktline::write_flush(out);
    }
    result
}
