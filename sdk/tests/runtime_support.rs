//! Shared helpers for the runtime integration tests (`mod runtime_support;`).
#![allow(dead_code)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use graph_migrations::runtime::{Client, ClientBuilder, RetryPolicy};
use wiremock::MockServer;

pub const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOi.SUPER-SECRET-TOKEN-VALUE.sig";

/// A retry policy with tiny delays for tests.
pub fn fast_retry(max_retries: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_retries(max_retries)
        .with_initial_delay(Duration::from_millis(5))
        .with_max_delay(Duration::from_millis(20))
        .with_max_total(Duration::from_secs(30))
}

/// A client pointed at `server`/beta with a static token and fast retries.
pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .bearer_token(TOKEN)
        .retry_policy(fast_retry(3))
}

pub fn client(server: &MockServer) -> Client {
    builder(server).build().unwrap()
}

/// A `MakeWriter` capturing everything written, for tracing output.
#[derive(Clone, Default)]
pub struct Capture(pub Arc<Mutex<Vec<u8>>>);

impl Capture {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Install a TRACE-level subscriber capturing all output for the current thread.
pub fn capture_tracing() -> (Capture, tracing::subscriber::DefaultGuard) {
    capture_tracing_with(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
}

/// [`capture_tracing`], with the span events given.
pub fn capture_tracing_with(
    spans: tracing_subscriber::fmt::format::FmtSpan,
) -> (Capture, tracing::subscriber::DefaultGuard) {
    let cap = Capture::default();
    let sub = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(spans)
        .with_ansi(false)
        .with_writer(cap.clone())
        .finish();
    let guard = tracing::subscriber::set_default(sub);
    (cap, guard)
}
