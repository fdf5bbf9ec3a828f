//! Downloads a `$metadata` document over HTTP(S), with a timeout, gzip,
//! and an ETag cache: the body and its ETag are kept under
//! `target/metadata-cache/`, and the next download sends `If-None-Match`;
//! a `304 Not Modified` answer reuses the cached body.

use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, ETAG, IF_NONE_MATCH};

/// The largest `$metadata` download accepted (the full beta schema is ~8 MB).
pub(crate) const MAX_METADATA_BYTES: u64 = 256 * 1024 * 1024;

/// Whether a source names a URL rather than a file.
pub(crate) fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://")
}

/// How the text was obtained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CacheUse {
    /// The server sent the document (and the cache was updated).
    Downloaded { bytes: usize, etag: Option<String> },
    /// The server answered 304 Not Modified: the cached copy was used.
    NotModified { etag: String },
}

#[derive(Debug)]
pub(crate) struct Fetched {
    pub text: String,
    pub cache: CacheUse,
    /// The cached copy of the body.
    pub cache_file: PathBuf,
}

impl Fetched {
    /// One line for the terminal.
    pub(crate) fn describe(&self, url: &str) -> String {
        match &self.cache {
            CacheUse::Downloaded { bytes, etag } => format!(
                "downloaded {url}: {bytes} bytes, cache not used (cache updated: {}{})",
                self.cache_file.display(),
                etag.as_deref()
                    .map(|e| format!(", ETag {e}"))
                    .unwrap_or_else(|| ", no ETag".to_string())
            ),
            CacheUse::NotModified { etag } => format!(
                "{url}: 304 Not Modified (ETag {etag}), cache used: {}",
                self.cache_file.display()
            ),
        }
    }
}

/// A file name for the cache entry of `url`: readable, and unique through a
/// hash of the whole URL.
fn cache_key(url: &str) -> String {
    let readable: String = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .take(80)
        .collect();
    // FNV-1a, 64 bits.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in url.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{readable}-{h:016x}")
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}

/// GETs `url`, revalidating the cached copy in `cache_dir` when there is one.
pub(crate) fn fetch(url: &str, cache_dir: &Path, timeout: Duration) -> Result<Fetched, String> {
    let key = cache_key(url);
    let body_path = cache_dir.join(format!("{key}.csdl"));
    let etag_path = cache_dir.join(format!("{key}.etag"));
    let cached_etag = std::fs::read_to_string(&etag_path)
        .ok()
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty() && body_path.is_file());

    let client = reqwest::blocking::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(30)))
        .gzip(true)
        .user_agent(concat!(
            "graph-migrations-xtask/",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    let mut request = client.get(url).header(ACCEPT, "application/xml");
    if let Some(etag) = &cached_etag {
        request = request.header(IF_NONE_MATCH, etag);
    }
    let failed = |e: reqwest::Error| {
        if e.is_timeout() {
            format!("GET {url}: timed out after {timeout:?}: {e}")
        } else {
            format!("GET {url}: {e}")
        }
    };
    let response = request.send().map_err(failed)?;
    let status = response.status();
    if status == StatusCode::NOT_MODIFIED {
        let Some(etag) = cached_etag else {
            return Err(format!(
                "GET {url}: 304 Not Modified, but no ETag was sent and nothing is cached"
            ));
        };
        let text = std::fs::read_to_string(&body_path)
            .map_err(|e| format!("{}: {e}", body_path.display()))?;
        return Ok(Fetched {
            text,
            cache: CacheUse::NotModified { etag },
            cache_file: body_path,
        });
    }
    if !status.is_success() {
        return Err(format!("GET {url}: HTTP {status}"));
    }
    let etag = response
        .headers()
        .get(ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // The full beta $metadata is about 8 MB; refuse anything absurdly larger
    // rather than filling memory from a misbehaving server (the body is
    // read through `take`, so an undeclared length is bounded too).
    if response
        .content_length()
        .is_some_and(|n| n > MAX_METADATA_BYTES)
    {
        return Err(format!(
            "GET {url}: the document is larger than {MAX_METADATA_BYTES} bytes"
        ));
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(response, MAX_METADATA_BYTES + 1),
        &mut bytes,
    )
    .map_err(|e| format!("GET {url}: {e}"))?;
    if bytes.len() as u64 > MAX_METADATA_BYTES {
        return Err(format!(
            "GET {url}: the document is larger than {MAX_METADATA_BYTES} bytes"
        ));
    }
    let text = String::from_utf8(bytes)
        .map_err(|e| format!("GET {url}: the document is not UTF-8: {e}"))?;
    std::fs::create_dir_all(cache_dir).map_err(|e| format!("{}: {e}", cache_dir.display()))?;
    write_atomic(&body_path, text.as_bytes())?;
    match &etag {
        Some(e) => write_atomic(&etag_path, e.as_bytes())?,
        None => {
            let _ = std::fs::remove_file(&etag_path);
        }
    }
    Ok(Fetched {
        cache: CacheUse::Downloaded {
            bytes: text.len(),
            etag,
        },
        text,
        cache_file: body_path,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    //! Against a tiny HTTP/1.1 server on 127.0.0.1 (no network needed).

    use super::*;
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::{Arc, Mutex};
    use std::time::Instant;

    /// The request head as received, lower-cased header names.
    #[derive(Clone, Debug)]
    pub(crate) struct Seen {
        pub(crate) path: String,
        headers: Vec<(String, String)>,
    }

    impl Seen {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }
    }

    pub(crate) struct Reply {
        pub(crate) status: &'static str,
        pub(crate) headers: Vec<(&'static str, String)>,
        pub(crate) body: Vec<u8>,
    }

    /// Serves `connections` connections, one request each, then stops.
    pub(crate) fn serve(
        connections: usize,
        handler: impl Fn(&Seen) -> Option<Reply> + Send + 'static,
    ) -> (String, Arc<Mutex<Vec<Seen>>>, std::thread::JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let handle = std::thread::spawn(move || {
            for _ in 0..connections {
                let Ok((mut stream, _)) = listener.accept() else {
                    return;
                };
                let Some(request) = read_head(&mut stream) else {
                    continue;
                };
                log.lock().unwrap().push(request.clone());
                match handler(&request) {
                    Some(reply) => write_reply(&mut stream, reply),
                    // Never answer: hold the connection until the client gives up.
                    None => {
                        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                        let mut sink = [0u8; 64];
                        let _ = stream.read(&mut sink);
                    }
                }
            }
        });
        (format!("http://{addr}"), seen, handle)
    }

    fn read_head(stream: &mut TcpStream) -> Option<Seen> {
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .ok()?;
        let mut buf = Vec::new();
        let mut byte = [0u8; 1];
        while !buf.ends_with(b"\r\n\r\n") {
            if stream.read(&mut byte).ok()? == 0 {
                return None;
            }
            buf.push(byte[0]);
        }
        let text = String::from_utf8_lossy(&buf);
        let mut lines = text.split("\r\n");
        let path = lines.next()?.split(' ').nth(1)?.to_string();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Some(Seen { path, headers })
    }

    fn write_reply(stream: &mut TcpStream, reply: Reply) {
        let mut head = format!(
            "HTTP/1.1 {}\r\ncontent-length: {}\r\nconnection: close\r\n",
            reply.status,
            reply.body.len()
        );
        for (n, v) in &reply.headers {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
        head.push_str("\r\n");
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&reply.body);
        let _ = stream.flush();
    }

    /// A gzip member with stored (uncompressed) deflate blocks: enough to
    /// prove the client decodes `Content-Encoding: gzip`.
    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
        let chunks: Vec<&[u8]> = if data.is_empty() {
            vec![&[][..]]
        } else {
            data.chunks(65_535).collect()
        };
        for (i, chunk) in chunks.iter().enumerate() {
            out.push(u8::from(i + 1 == chunks.len()));
            let len = chunk.len() as u16;
            out.extend(len.to_le_bytes());
            out.extend((!len).to_le_bytes());
            out.extend(*chunk);
        }
        out.extend(crc32(data).to_le_bytes());
        out.extend((data.len() as u32).to_le_bytes());
        out
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    fn cache_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-fetch-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    const DOC: &str = "<?xml version=\"1.0\"?><edmx:Edmx Version=\"4.0\"/>\n";

    /// 200 with gzip and an ETag unless `If-None-Match` matches `etag`.
    fn etag_server(
        connections: usize,
        etag: &'static str,
        body: &'static str,
    ) -> (String, Arc<Mutex<Vec<Seen>>>, std::thread::JoinHandle<()>) {
        serve(connections, move |req| {
            if req.header("if-none-match") == Some(etag) {
                return Some(Reply {
                    status: "304 Not Modified",
                    headers: vec![("etag", etag.to_string())],
                    body: Vec::new(),
                });
            }
            let gz = req
                .header("accept-encoding")
                .is_some_and(|v| v.contains("gzip"));
            let mut headers = vec![
                ("etag", etag.to_string()),
                ("content-type", "application/xml".to_string()),
            ];
            let body = if gz {
                headers.push(("content-encoding", "gzip".to_string()));
                gzip(body.as_bytes())
            } else {
                body.as_bytes().to_vec()
            };
            Some(Reply {
                status: "200 OK",
                headers,
                body,
            })
        })
    }

    #[test]
    fn downloads_gzip_then_revalidates_with_the_etag() {
        let dir = cache_dir("etag");
        let (base, seen, server) = etag_server(2, "\"v1\"", DOC);
        let url = format!("{base}/beta/$metadata");
        let first = fetch(&url, &dir, Duration::from_secs(10)).unwrap();
        assert_eq!(first.text, DOC);
        assert_eq!(
            first.cache,
            CacheUse::Downloaded {
                bytes: DOC.len(),
                etag: Some("\"v1\"".into())
            }
        );
        assert!(first.describe(&url).contains("cache not used"));
        assert_eq!(std::fs::read_to_string(&first.cache_file).unwrap(), DOC);
        let second = fetch(&url, &dir, Duration::from_secs(10)).unwrap();
        assert_eq!(second.text, DOC);
        assert_eq!(
            second.cache,
            CacheUse::NotModified {
                etag: "\"v1\"".into()
            }
        );
        assert!(second.describe(&url).contains("304 Not Modified"));
        assert!(second.describe(&url).contains("cache used"));
        server.join().unwrap();
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].path, "/beta/$metadata");
        assert!(
            seen[0]
                .header("accept-encoding")
                .is_some_and(|v| v.contains("gzip")),
            "{seen:?}"
        );
        assert_eq!(seen[0].header("if-none-match"), None);
        assert_eq!(seen[1].header("if-none-match"), Some("\"v1\""));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_changed_document_replaces_the_cache() {
        let dir = cache_dir("changed");
        let url_for = |base: &str| format!("{base}/beta/$metadata");
        // Two servers on different ports would be two cache entries: use one
        // server that changes its ETag after the first request.
        let count = Arc::new(Mutex::new(0));
        let c = count.clone();
        let (base, seen, server) = serve(2, move |req| {
            let mut n = c.lock().unwrap();
            *n += 1;
            let (etag, body) = if *n == 1 {
                ("\"v1\"", "one")
            } else {
                ("\"v2\"", "two")
            };
            if req.header("if-none-match") == Some(etag) {
                return Some(Reply {
                    status: "304 Not Modified",
                    headers: vec![],
                    body: vec![],
                });
            }
            Some(Reply {
                status: "200 OK",
                headers: vec![("etag", etag.to_string())],
                body: body.as_bytes().to_vec(),
            })
        });
        let url = url_for(&base);
        assert_eq!(
            fetch(&url, &dir, Duration::from_secs(10)).unwrap().text,
            "one"
        );
        let second = fetch(&url, &dir, Duration::from_secs(10)).unwrap();
        assert_eq!(second.text, "two");
        assert!(matches!(second.cache, CacheUse::Downloaded { .. }));
        server.join().unwrap();
        assert_eq!(
            seen.lock().unwrap()[1].header("if-none-match"),
            Some("\"v1\"")
        );
        let etag_file = second.cache_file.with_extension("etag");
        assert_eq!(std::fs::read_to_string(etag_file).unwrap(), "\"v2\"");
        assert_eq!(std::fs::read_to_string(&second.cache_file).unwrap(), "two");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn without_an_etag_nothing_is_revalidated() {
        let dir = cache_dir("noetag");
        let (base, seen, server) = serve(2, |_| {
            Some(Reply {
                status: "200 OK",
                headers: vec![],
                body: b"plain".to_vec(),
            })
        });
        let url = format!("{base}/m");
        for _ in 0..2 {
            let f = fetch(&url, &dir, Duration::from_secs(10)).unwrap();
            assert_eq!(f.text, "plain");
            assert_eq!(
                f.cache,
                CacheUse::Downloaded {
                    bytes: 5,
                    etag: None
                }
            );
        }
        server.join().unwrap();
        assert!(
            seen.lock()
                .unwrap()
                .iter()
                .all(|s| s.header("if-none-match").is_none())
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn http_errors_and_unexpected_304_are_reported() {
        let dir = cache_dir("errors");
        let (base, _, server) = serve(2, |req| {
            Some(Reply {
                status: if req.path == "/gone" {
                    "404 Not Found"
                } else {
                    "304 Not Modified"
                },
                headers: vec![],
                body: vec![],
            })
        });
        let e = fetch(&format!("{base}/gone"), &dir, Duration::from_secs(10)).unwrap_err();
        assert!(e.contains("HTTP 404 Not Found"), "{e}");
        let e = fetch(&format!("{base}/other"), &dir, Duration::from_secs(10)).unwrap_err();
        assert!(e.contains("304 Not Modified, but no ETag was sent"), "{e}");
        server.join().unwrap();
        assert!(!dir.exists(), "nothing cached on errors");
    }

    #[test]
    fn a_silent_server_times_out() {
        let dir = cache_dir("timeout");
        let (base, _, server) = serve(1, |_| None);
        let started = Instant::now();
        let e = fetch(&format!("{base}/slow"), &dir, Duration::from_millis(300)).unwrap_err();
        let took = started.elapsed();
        assert!(e.contains("timed out"), "{e}");
        assert!(took < Duration::from_secs(5), "{took:?}");
        server.join().unwrap();
    }

    #[test]
    fn cache_keys_are_readable_and_distinct() {
        let a = cache_key("https://graph.microsoft.com/beta/$metadata");
        let b = cache_key("https://graph.microsoft.com/v1.0/$metadata");
        assert!(a.starts_with("graph_microsoft_com_beta__metadata-"), "{a}");
        assert_ne!(a, b);
        assert!(is_url("https://x") && is_url("http://x") && !is_url("../x.csdl"));
    }

    #[test]
    fn the_test_gzip_is_valid() {
        // Known CRC-32 of "123456789".
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(gzip(b"").len(), 10 + 5 + 8);
    }
}
