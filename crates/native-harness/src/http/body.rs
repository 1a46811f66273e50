//! The request body as the exchange sees it: de-chunked by tiny_http, gunzipped here when
//! `Content-Encoding: gzip` (git gzips upload-pack requests over 1 KiB, gitprotocol-http), and
//! capped in decompressed bytes so neither a long upload nor a gzip bomb runs unbounded.

use flate2::read::GzDecoder;
use std::io::{self, Read};

/// A body encoding the server does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported Content-Encoding {0:?} (supported: gzip, identity)")]
pub struct EncodingError(pub String);

/// Reading the body failed.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("request body too large: got at least {got} bytes, limit {limit}")]
    TooLarge { got: u64, limit: u64 },
    #[error("reading the request body: {0}")]
    Io(#[from] io::Error),
}

/// A decoded, capped body reader.
pub struct Body<'a> {
    inner: Box<dyn Read + 'a>,
    read: u64,
    limit: u64,
}

impl<'a> Body<'a> {
    /// Wrap `raw` for `content_encoding` (absent or `identity`: as is).
    pub fn new(raw: &'a mut dyn Read, content_encoding: Option<&str>, limit: u64) -> Result<Self, EncodingError> {
        let inner: Box<dyn Read + 'a> = match content_encoding.map(str::trim) {
            None | Some("") => Box::new(raw),
            Some(e) if e.eq_ignore_ascii_case("identity") => Box::new(raw),
            Some(e) if e.eq_ignore_ascii_case("gzip") || e.eq_ignore_ascii_case("x-gzip") => {
                Box::new(GzDecoder::new(raw))
            }
            Some(other) => return Err(EncodingError(other.to_owned())),
        };
        Ok(Body { inner, read: 0, limit })
    }

    /// The next chunk into `buf`; `Ok(0)` at the end.
    pub fn next_chunk(&mut self, buf: &mut [u8]) -> Result<usize, BodyError> {
        let n = loop {
            match self.inner.read(buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other?,
            }
        };
        self.read += n as u64;
        if self.read > self.limit {
            return Err(BodyError::TooLarge { got: self.read, limit: self.limit });
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    fn drain(body: &mut Body<'_>) -> Result<Vec<u8>, BodyError> {
        let mut out = Vec::new();
        let mut buf = [0u8; 7];
        loop {
            let n = body.next_chunk(&mut buf)?;
            if n == 0 {
                return Ok(out);
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    #[test]
    fn gzip_and_identity() {
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(b"0032want 0123456789012345678901234567890123456789\n").expect("gz");
        let zipped = gz.finish().expect("gz");
        let mut raw: &[u8] = &zipped;
        let mut body = Body::new(&mut raw, Some("gzip"), 1000).expect("gzip");
        assert_eq!(drain(&mut body).expect("body"), b"0032want 0123456789012345678901234567890123456789\n");
        let mut raw: &[u8] = b"plain";
        assert_eq!(drain(&mut Body::new(&mut raw, None, 5).expect("identity")).expect("body"), b"plain");
    }

    #[test]
    fn caps_decompressed_size_and_rejects_unknown_encodings() {
        let mut gz = GzEncoder::new(Vec::new(), Compression::best());
        gz.write_all(&vec![0u8; 1 << 20]).expect("gz");
        let bomb = gz.finish().expect("gz");
        let mut raw: &[u8] = &bomb;
        let err = drain(&mut Body::new(&mut raw, Some("gzip"), 4096).expect("gzip")).expect_err("cap");
        assert!(matches!(err, BodyError::TooLarge { limit: 4096, .. }), "{err}");
        let mut raw: &[u8] = b"x";
        assert_eq!(Body::new(&mut raw, Some("br"), 10).err(), Some(EncodingError("br".into())));
        let mut raw: &[u8] = b"not gzip at all";
        assert!(matches!(drain(&mut Body::new(&mut raw, Some("gzip"), 100).expect("gzip")), Err(BodyError::Io(_))));
    }
}
