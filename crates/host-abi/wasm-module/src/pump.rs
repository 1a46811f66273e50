//! The output pump behind `session_poll`: pull at most a byte budget out of an exchange and hand
//! it to the host, so the module never runs ahead of what the client has read.

use alloc::vec::Vec;
use host_abi::Store;
use protocol::{Exchange, ExchangeError};

/// Largest piece asked of `poll_output` at once (one `emit` call at most this long).
pub const CHUNK: usize = 64 * 1024;

/// Poll `exchange` for up to `budget` bytes (at least one piece is always attempted), passing each
/// piece to `emit`. Returns `Ok(true)` while more output will follow, `Ok(false)` once done.
/// Inlined into its one caller (`session_poll`): the answer is not returned through memory.
#[inline]
pub fn pump<S: Store>(
    exchange: &mut dyn Exchange<S>,
    store: &mut S,
    budget: usize,
    scratch: &mut Vec<u8>,
    mut emit: impl FnMut(&[u8]),
) -> Result<bool, ExchangeError> {
    let mut left = budget.max(1);
    while left > 0 && !exchange.is_done() {
        let want = left.min(CHUNK);
        if scratch.len() < want {
            scratch.resize(want, 0);
        }
        let n = exchange.poll_output(store, &mut scratch[..want])?;
        if n == 0 {
            // `Ok(0)` is promised only when done; anything else would spin the host.
            if !exchange.is_done() {
                return Err(ExchangeError::Misuse("poll_output returned no bytes before the end"));
            }
            break;
        }
        emit(&scratch[..n.min(want)]);
        left = left.saturating_sub(n);
    }
    Ok(!exchange.is_done())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sessions::Sessions;
    use alloc::boxed::Box;
    use host_abi::MemStore;

    /// An exchange that echoes its input back after the input ends.
    #[derive(Default)]
    struct Echo {
        data: Vec<u8>,
        pos: usize,
        ended: bool,
    }

    impl Exchange<MemStore> for Echo {
        fn handle_input(&mut self, _: &mut MemStore, data: &[u8]) -> Result<(), ExchangeError> {
            self.data.extend_from_slice(data);
            Ok(())
        }
        fn handle_input_end(&mut self, _: &mut MemStore) -> Result<(), ExchangeError> {
            self.ended = true;
            Ok(())
        }
        fn poll_output(&mut self, _: &mut MemStore, buf: &mut [u8]) -> Result<usize, ExchangeError> {
            if !self.ended {
                return Err(ExchangeError::Misuse("output before end"));
            }
            let n = buf.len().min(self.data.len() - self.pos);
            buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
            self.pos += n;
            Ok(n)
        }
        fn is_done(&self) -> bool {
            self.ended && self.pos == self.data.len()
        }
    }

    #[test]
    fn budgets_are_respected_and_output_is_complete() {
        let mut store = MemStore::new();
        let mut sessions: Sessions<MemStore> = Sessions::default();
        let a = sessions.insert(Box::new(Echo::default()));
        let b = sessions.insert(Box::new(Echo::default()));
        assert_eq!((a, b), (1, 2));
        let input: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
        let s = sessions.get(a).expect("live");
        s.handle_input(&mut store, &input[..1000]).expect("input");
        s.handle_input(&mut store, &input[1000..]).expect("input");
        s.handle_input_end(&mut store).expect("end");
        let mut out = Vec::new();
        let mut scratch = Vec::new();
        let mut polls = 0;
        loop {
            let before = out.len();
            let more = pump(s.as_mut(), &mut store, 70_000, &mut scratch, |b| out.extend_from_slice(b)).expect("pump");
            assert!(out.len() - before <= 70_000);
            polls += 1;
            if !more {
                break;
            }
        }
        assert_eq!(out, input);
        assert_eq!(polls, 3);
        assert!(sessions.remove(a));
        assert!(!sessions.remove(a));
        assert!(sessions.get(a).is_none());
        assert!(sessions.get(0).is_none());
        assert_eq!(sessions.insert(Box::new(Echo::default())), 1);
        assert_eq!(sessions.len(), 2);
    }

    #[test]
    fn zero_output_before_done_is_an_error() {
        let mut store = MemStore::new();
        let mut e = Echo { ended: true, ..Echo::default() };
        e.data.push(1);
        e.pos = 1;
        assert_eq!(pump(&mut e, &mut store, 10, &mut Vec::new(), |_| {}), Ok(false));
    }
}
