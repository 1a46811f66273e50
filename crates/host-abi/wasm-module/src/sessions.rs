//! The table of live sessions. A Durable Object interleaves requests at its awaits, so several
//! upload-pack / receive-pack exchanges can be in flight in one module instance; each has a handle.

use alloc::boxed::Box;
use alloc::vec::Vec;
use host_abi::Store;
use protocol::Exchange;

/// One live exchange.
pub type Session<S> = Box<dyn Exchange<S>>;

/// Sessions by handle. Handles are slot index + 1, so 0 never names a session and serves as the
/// error result of `session_new`; freed slots are reused.
pub struct Sessions<S: Store> {
    slots: Vec<Option<Session<S>>>,
}

impl<S: Store> Default for Sessions<S> {
    fn default() -> Self {
        Self { slots: Vec::new() }
    }
}

impl<S: Store> Sessions<S> {
    /// An empty table (`const`, for a static).
    pub const fn new() -> Self {
        Self { slots: Vec::new() }
    }

    /// Store a session, returning its handle (never 0). Inlined into its one caller
    /// (`session_new`).
    #[inline]
    pub fn insert(&mut self, session: Session<S>) -> u32 {
        // An index loop, not `position`: no iterator code for this one search.
        let mut i = 0;
        while i < self.slots.len() {
            if self.slots[i].is_none() {
                self.slots[i] = Some(session);
                return i as u32 + 1;
            }
            i += 1;
        }
        self.slots.push(Some(session));
        self.slots.len() as u32
    }

    /// The session of a handle.
    pub fn get(&mut self, handle: u32) -> Option<&mut Session<S>> {
        let i = (handle as usize).checked_sub(1)?;
        self.slots.get_mut(i)?.as_mut()
    }

    /// Drop a session; unknown handles are ignored. Returns whether one was dropped. The slot
    /// stays for reuse (the table is as long as the most sessions ever live at once): popping
    /// free slots would carry a second copy of the session drop glue.
    pub fn remove(&mut self, handle: u32) -> bool {
        let Some(i) = (handle as usize).checked_sub(1) else { return false };
        self.slots.get_mut(i).and_then(Option::take).is_some()
    }

    /// Number of live sessions.
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.is_some()).count()
    }

    /// True when no session is live. An index loop: no iterator code for this one search.
    pub fn is_empty(&self) -> bool {
        let mut i = 0;
        while i < self.slots.len() {
            if self.slots[i].is_some() {
                return false;
            }
            i += 1;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use host_abi::MemStore;

    fn session() -> Session<MemStore> {
        Box::new(protocol::ReceivePack::default())
    }

    #[test]
    fn handles_are_reused_and_the_table_empties() {
        let mut t = Sessions::<MemStore>::new();
        assert!(t.is_empty());
        let (a, b, c) = (t.insert(session()), t.insert(session()), t.insert(session()));
        assert_eq!((a, b, c), (1, 2, 3));
        assert!(t.remove(b) && !t.remove(b) && !t.remove(0) && !t.remove(9));
        assert_eq!(t.len(), 2);
        assert!(t.get(b).is_none() && t.get(a).is_some());
        assert_eq!(t.insert(session()), b, "a freed slot is reused");
        assert!(t.remove(c) && t.remove(a) && !t.is_empty());
        assert!(t.remove(b));
        assert!(t.is_empty());
        assert_eq!(t.len(), 0);
        assert_eq!(t.insert(session()), 1);
        // Free slots stay and are reused lowest first.
        assert_eq!(t.insert(session()), 2);
        assert!(t.remove(1) && !t.is_empty());
        assert_eq!(t.insert(session()), 1);
    }
}
