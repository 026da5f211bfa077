//! The little of SPDY/3.1 that `kubectl port-forward` needs from a server, as client-go's
//! `spdystream` speaks it: frames (SYN_STREAM, SYN_REPLY, DATA, RST_STREAM, PING, GOAWAY;
//! SETTINGS and WINDOW_UPDATE are read and ignored), and header blocks compressed with zlib
//! against SPDY's dictionary, one zlib stream per direction for the whole session.
//! Everything here is bytes in, bytes out; `kube_portforward_spdy.rs` runs the session.

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

pub const SYN_STREAM: u16 = 1;
pub const SYN_REPLY: u16 = 2;
pub const RST_STREAM: u16 = 3;
pub const PING: u16 = 6;
pub const GOAWAY: u16 = 7;
pub const FLAG_FIN: u8 = 0x01;

/// The names SPDY/3's header dictionary starts with, each as a length-prefixed string.
const DICTIONARY_NAMES: &[&str] = &[
    "options",
    "head",
    "post",
    "put",
    "delete",
    "trace",
    "accept",
    "accept-charset",
    "accept-encoding",
    "accept-language",
    "accept-ranges",
    "age",
    "allow",
    "authorization",
    "cache-control",
    "connection",
    "content-base",
    "content-encoding",
    "content-language",
    "content-length",
    "content-location",
    "content-md5",
    "content-range",
    "content-type",
    "date",
    "etag",
    "expect",
    "expires",
    "from",
    "host",
    "if-match",
    "if-modified-since",
    "if-none-match",
    "if-range",
    "if-unmodified-since",
    "last-modified",
    "location",
    "max-forwards",
    "pragma",
    "proxy-authenticate",
    "proxy-authorization",
    "range",
    "referer",
    "retry-after",
    "server",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "vary",
    "via",
    "warning",
    "www-authenticate",
    "method",
    "get",
    "status",
    "200 OK",
    "version",
    "HTTP/1.1",
    "url",
    "public",
    "set-cookie",
    "keep-alive",
    "origin",
];

/// What follows the names in the dictionary, as it is (status codes, reasons, dates, types).
const DICTIONARY_TAIL: &str = "100101201202205206300302303304305306307402405406407408409410411\
412413414415416417502504505203 Non-Authoritative Information204 No Content301 Moved Permanently\
400 Bad Request401 Unauthorized403 Forbidden404 Not Found500 Internal Server Error501 Not \
Implemented503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, \
Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,image/jpg,image/gif,\
application/xml,application/xhtml+xml,text/plain,text/javascript,publicprivatemax-age=gzip,\
deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";

/// SPDY/3's zlib dictionary for header blocks (1423 bytes).
pub fn dictionary() -> Vec<u8> {
    let mut d = Vec::with_capacity(1423);
    for name in DICTIONARY_NAMES {
        d.extend_from_slice(&(name.len() as u32).to_be_bytes());
        d.extend_from_slice(name.as_bytes());
    }
    d.extend_from_slice(DICTIONARY_TAIL.as_bytes());
    d
}

/// One frame as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    Control {
        kind: u16,
        flags: u8,
        payload: Vec<u8>,
    },
    Data {
        stream: u32,
        flags: u8,
        data: Vec<u8>,
    },
}

/// Takes the first whole frame off the front of `buf`, if one has arrived.
pub fn take_frame(buf: &mut Vec<u8>) -> Option<Frame> {
    if buf.len() < 8 {
        return None;
    }
    let len = u32::from_be_bytes([0, buf[5], buf[6], buf[7]]) as usize;
    if buf.len() < 8 + len {
        return None;
    }
    let head: Vec<u8> = buf.drain(..8 + len).collect();
    let flags = head[4];
    let payload = head[8..].to_vec();
    Some(if head[0] & 0x80 != 0 {
        Frame::Control {
            kind: u16::from_be_bytes([head[2], head[3]]),
            flags,
            payload,
        }
    } else {
        Frame::Data {
            stream: u32::from_be_bytes([head[0], head[1], head[2], head[3]]) & 0x7fff_ffff,
            flags,
            data: payload,
        }
    })
}

pub fn control(kind: u16, flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![0x80, 3];
    f.extend_from_slice(&kind.to_be_bytes());
    f.push(flags);
    f.extend_from_slice(&(payload.len() as u32).to_be_bytes()[1..]);
    f.extend_from_slice(payload);
    f
}

pub fn data(stream: u32, flags: u8, bytes: &[u8]) -> Vec<u8> {
    let mut f = (stream & 0x7fff_ffff).to_be_bytes().to_vec();
    f.push(flags);
    f.extend_from_slice(&(bytes.len() as u32).to_be_bytes()[1..]);
    f.extend_from_slice(bytes);
    f
}

pub fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The session's two zlib streams: what the client sends, what we send.
pub struct Headers {
    inflate: Decompress,
    deflate: Compress,
    dictionary: Vec<u8>,
}

impl Default for Headers {
    fn default() -> Self {
        let dictionary = dictionary();
        let mut deflate = Compress::new(Compression::default(), true);
        deflate
            .set_dictionary(&dictionary)
            .expect("zlib takes a dictionary before the first block");
        Headers {
            inflate: Decompress::new(true),
            deflate,
            dictionary,
        }
    }
}

impl Headers {
    /// A compressed header block as its (name, value) pairs.
    pub fn read(&mut self, block: &[u8]) -> Result<Vec<(String, String)>, String> {
        let plain = self.inflate(block)?;
        let mut pairs = Vec::new();
        let count = be32(&plain, 0).ok_or("short header block")?;
        let mut at = 4;
        let string = |at: &mut usize| -> Result<String, String> {
            let len = be32(&plain, *at).ok_or("short header block")? as usize;
            let s = plain
                .get(*at + 4..*at + 4 + len)
                .ok_or("short header block")?;
            *at += 4 + len;
            Ok(String::from_utf8_lossy(s).into_owned())
        };
        for _ in 0..count {
            let name = string(&mut at)?;
            let value = string(&mut at)?;
            pairs.push((name, value));
        }
        Ok(pairs)
    }

    fn inflate(&mut self, mut input: &[u8]) -> Result<Vec<u8>, String> {
        let mut out = Vec::with_capacity(input.len() * 4 + 64);
        loop {
            out.reserve(1024);
            let before = self.inflate.total_in();
            match self
                .inflate
                .decompress_vec(input, &mut out, FlushDecompress::Sync)
            {
                Ok(_) => {
                    let used = (self.inflate.total_in() - before) as usize;
                    input = &input[used..];
                    if input.is_empty() && out.len() < out.capacity() {
                        return Ok(out);
                    }
                }
                // The first block names the dictionary (its Adler-32): it must be SPDY's.
                Err(e) if e.needs_dictionary().is_some() => {
                    let used = (self.inflate.total_in() - before) as usize;
                    input = &input[used..];
                    self.inflate
                        .set_dictionary(&self.dictionary)
                        .map_err(|e| format!("header dictionary: {e}"))?;
                }
                Err(e) => return Err(format!("header block: {e}")),
            }
        }
    }

    /// (name, value) pairs as a compressed header block.
    pub fn write(&mut self, pairs: &[(&str, &str)]) -> Vec<u8> {
        let mut plain = (pairs.len() as u32).to_be_bytes().to_vec();
        for (name, value) in pairs {
            for s in [name, value] {
                plain.extend_from_slice(&(s.len() as u32).to_be_bytes());
                plain.extend_from_slice(s.as_bytes());
            }
        }
        let mut out = Vec::with_capacity(plain.len() + 64);
        let mut input = &plain[..];
        loop {
            out.reserve(256);
            let before = self.deflate.total_in();
            let status = self
                .deflate
                .compress_vec(input, &mut out, FlushCompress::Sync)
                .expect("deflate into memory");
            input = &input[(self.deflate.total_in() - before) as usize..];
            if input.is_empty() && out.len() < out.capacity() || status == Status::StreamEnd {
                return out;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dictionary_is_spdy3s() {
        let d = dictionary();
        assert_eq!(d.len(), 1423);
        // zlib names a dictionary by its Adler-32; kubectl's header blocks carry this one.
        let mut adler = (1u32, 0u32);
        for b in &d {
            adler.0 = (adler.0 + *b as u32) % 65521;
            adler.1 = (adler.1 + adler.0) % 65521;
        }
        assert_eq!((adler.1 << 16) | adler.0, 0xe3c6_a7c2);
    }

    #[test]
    fn header_blocks_round_trip_through_both_zlib_streams() {
        // Our writer against our reader: two sessions' worth, as a client and a server.
        let (mut client, mut server) = (Headers::default(), Headers::default());
        for round in 0..3 {
            let port = format!("{}", 8080 + round);
            let block = client.write(&[("streamtype", "data"), ("port", &port)]);
            let pairs = server.read(&block).expect("read");
            assert_eq!(
                pairs,
                vec![
                    ("streamtype".to_string(), "data".to_string()),
                    ("port".to_string(), port)
                ]
            );
        }
    }

    #[test]
    fn frames_are_taken_whole_and_only_whole() {
        let mut buf = control(PING, 0, &7u32.to_be_bytes());
        buf.extend(data(3, FLAG_FIN, b"hello"));
        // The whole PING (12 bytes) and the first bytes of the data frame.
        let mut partial = buf[..15].to_vec();
        assert!(matches!(
            take_frame(&mut partial),
            Some(Frame::Control { kind: PING, .. })
        ));
        assert_eq!(
            take_frame(&mut partial),
            None,
            "half a data frame is not a frame"
        );
        take_frame(&mut buf);
        assert_eq!(
            take_frame(&mut buf),
            Some(Frame::Data {
                stream: 3,
                flags: FLAG_FIN,
                data: b"hello".to_vec()
            })
        );
        assert!(buf.is_empty());
    }
}
