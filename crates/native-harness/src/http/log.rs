//! One line per request on stderr: method, path, status, response bytes, milliseconds.

use std::time::Instant;

/// What a finished request logs.
pub struct LogLine<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub status: u16,
    pub bytes: u64,
    pub started: Instant,
    pub note: Option<String>,
}

impl LogLine<'_> {
    /// Write the line.
    pub fn emit(&self) {
        let ms = self.started.elapsed().as_millis();
        // Keep the line one line even for odd URLs.
        let url: String = self.url.chars().map(|c| if c.is_control() { '?' } else { c }).collect();
        match &self.note {
            Some(note) => eprintln!("{} {} {} {} {}ms ({note})", self.method, url, self.status, self.bytes, ms),
            None => eprintln!("{} {} {} {} {}ms", self.method, url, self.status, self.bytes, ms),
        }
    }
}
