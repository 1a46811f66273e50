//! The response body of a POST as a [`Read`]: each `read` polls the exchange's output straight into
//! tiny_http's buffer, so a pack is streamed to the client as it is produced, never held whole.

use crate::store::SqliteStore;
use protocol::Exchange;
use std::io::{self, Read};

/// An exchange and its store, read as a byte stream.
pub struct ExchangeReader<'a> {
    exchange: &'a mut dyn Exchange<SqliteStore>,
    store: &'a mut SqliteStore,
    sent: u64,
    error: Option<String>,
}

impl<'a> ExchangeReader<'a> {
    /// Read `exchange`'s output (after its input ended).
    pub fn new(exchange: &'a mut dyn Exchange<SqliteStore>, store: &'a mut SqliteStore) -> Self {
        ExchangeReader { exchange, store, sent: 0, error: None }
    }

    /// Response bytes produced so far.
    pub fn sent(&self) -> u64 {
        self.sent
    }

    /// The failure that cut the response short, if any (the client sees a truncated stream).
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }
}

impl Read for ExchangeReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() || self.exchange.is_done() {
            return Ok(0);
        }
        match self.exchange.poll_output(self.store, buf) {
            Ok(0) if !self.exchange.is_done() => {
                let msg = "exchange returned no output before it was done";
                self.error = Some(msg.to_owned());
                Err(io::Error::other(msg))
            }
            Ok(n) => {
                self.sent += n as u64;
                Ok(n)
            }
            Err(e) => {
                let msg = e.to_string();
                self.error = Some(msg.clone());
                Err(io::Error::other(msg))
            }
        }
    }
}
