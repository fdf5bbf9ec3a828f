//! A raw HTTP/1.1 server on loopback for the security tests: it records each
//! request exactly as it arrived (request line, headers, body), before any
//! URL parsing or normalisation, and answers with whatever the test's
//! responder returns.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub(crate) use crate::support::Capture;
use graph_migrations::runtime::{Client, ClientBuilder, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub(crate) const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOi.TOP-SECRET-HARDENING-TOKEN.sig";

/// One request as it arrived on the wire.
#[derive(Clone, Debug)]
pub(crate) struct RawRequest {
    /// `GET /beta/x HTTP/1.1`
    pub line: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    pub(crate) fn method(&self) -> &str {
        self.line.split(' ').next().unwrap_or("")
    }
    /// The request target, as sent (`/beta/x?y`).
    pub(crate) fn target(&self) -> &str {
        self.line.split(' ').nth(1).unwrap_or("")
    }
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What to answer.
#[derive(Clone, Debug)]
pub(crate) struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub(crate) fn json(status: u16, v: serde_json::Value) -> Self {
        RawResponse {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: serde_json::to_vec(&v).unwrap(),
        }
    }
    pub(crate) fn redirect(status: u16, location: &str) -> Self {
        RawResponse {
            status,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
        }
    }
    pub(crate) fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

type Responder = Arc<dyn Fn(&RawRequest) -> RawResponse + Send + Sync>;

/// A loopback server; each instance is its own origin (own port).
pub(crate) struct RawServer {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<RawRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl RawServer {
    pub(crate) async fn start(
        responder: impl Fn(&RawRequest) -> RawResponse + Send + Sync + 'static,
    ) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests: Arc<Mutex<Vec<RawRequest>>> = Arc::default();
        let responder: Responder = Arc::new(responder);
        let log = requests.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (log, responder) = (log.clone(), responder.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, log, responder).await;
                });
            }
        });
        RawServer {
            addr,
            requests,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`
    pub(crate) fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub(crate) fn requests(&self) -> Vec<RawRequest> {
        self.requests.lock().unwrap().clone()
    }

    pub(crate) fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// A client with base URL `<origin>/beta`, the test token and fast retries.
    pub(crate) fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .base_url(format!("{}/beta", self.origin()))
            .bearer_token(TOKEN)
            .retry_policy(fast_retry(1))
            .timeout(Duration::from_secs(10))
    }

    pub(crate) fn client(&self) -> Client {
        self.client_builder().build().unwrap()
    }
}

pub(crate) fn fast_retry(n: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_retries(n)
        .with_initial_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(5))
        .with_max_total(Duration::from_secs(10))
}

async fn serve(
    mut stream: TcpStream,
    log: Arc<Mutex<Vec<RawRequest>>>,
    responder: Responder,
) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buf = Vec::new();
    loop {
        // Read a head.
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        buf.drain(..head_end + 4);
        let mut lines = head.split("\r\n");
        let line = lines.next().unwrap_or("").to_string();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
            .collect();
        let len: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        while buf.len() < len {
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let body: Vec<u8> = buf.drain(..len).collect();
        let request = RawRequest {
            line,
            headers,
            body,
        };
        let response = responder(&request);
        log.lock().unwrap().push(request);
        let mut out = format!(
            "HTTP/1.1 {} X\r\ncontent-length: {}\r\n",
            response.status,
            response.body.len()
        );
        for (n, v) in &response.headers {
            out.push_str(&format!("{n}: {v}\r\n"));
        }
        out.push_str("\r\n");
        // One write (head and body together) avoids Nagle/delayed-ACK stalls.
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(&response.body);
        stream.write_all(&bytes).await?;
        stream.flush().await?;
    }
}

/// Everything at TRACE level, span opening and closing included, from every
/// crate (reqwest, hyper, ours), for the current thread.
pub(crate) fn capture_all_tracing() -> (Capture, crate::support::CaptureGuard) {
    crate::support::capture_tracing()
}
