//! Shared helpers of the SDK's integration tests: the runtime's (clients on
//! a mock server, tracing capture) here, the security tests' in [`security`].
#![allow(dead_code)]

pub(crate) mod security;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use graph_migrations::runtime::{Client, ClientBuilder, RetryPolicy};
use wiremock::MockServer;

pub(crate) const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOi.SUPER-SECRET-TOKEN-VALUE.sig";

/// A retry policy with tiny delays for tests.
pub(crate) fn fast_retry(max_retries: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_retries(max_retries)
        .with_initial_delay(Duration::from_millis(5))
        .with_max_delay(Duration::from_millis(20))
        .with_max_total(Duration::from_secs(30))
}

/// A client pointed at `server`/beta with a static token and fast retries.
pub(crate) fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .bearer_token(TOKEN)
        .retry_policy(fast_retry(3))
}

/// A server that answers every request with 200 and `{}`.
pub(crate) async fn answering_ok() -> MockServer {
    let server = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    server
}

pub(crate) fn client(server: &MockServer) -> Client {
    builder(server).build().unwrap()
}

/// A client of the simulator `sim`, with the token that allows every API.
pub(crate) fn sim_client(sim: &graph_sim::SimHandle) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .bearer_token("sim.*")
        .build()
        .unwrap()
}

/// Everything written to it, for tracing output (see [`capture_tracing`]).
#[derive(Clone, Default)]
pub(crate) struct Capture(pub Arc<Mutex<Vec<u8>>>);

impl Capture {
    pub(crate) fn text(&self) -> String {
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

thread_local! {
    static SINK: std::cell::RefCell<Option<Capture>> = const { std::cell::RefCell::new(None) };
}

/// Ends a capture started by [`capture_tracing`] on this thread.
pub(crate) struct CaptureGuard(Option<Capture>);

impl Drop for CaptureGuard {
    fn drop(&mut self) {
        let previous = self.0.take();
        SINK.with(|s| *s.borrow_mut() = previous);
    }
}

/// Writes into the current thread's capture, if one is running.
struct ThreadSink;

impl Write for ThreadSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        SINK.with(|s| match s.borrow_mut().as_mut() {
            Some(cap) => cap.write(buf),
            None => Ok(buf.len()),
        })
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything at TRACE level, span opening and closing included, from every
/// crate (reqwest, hyper, ours), emitted on the current thread until the
/// guard drops.
///
/// One process-wide subscriber routes output to the capturing thread. A
/// scoped `tracing::subscriber::set_default` is not reliable beside other
/// tests: while it is the only live dispatcher, tracing-core computes the
/// interest of a callsite first hit on *another* thread against that
/// thread's (empty) default, caches `never`, and the capturing test then
/// sees no spans. This failed in CI.
pub(crate) fn capture_tracing() -> (Capture, CaptureGuard) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::{Layer, filter::filter_fn, fmt::format::FmtSpan};
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let capturing = filter_fn(|_| SINK.with(|s| s.borrow().is_some()));
        let layer = tracing_subscriber::fmt::layer()
            .with_span_events(FmtSpan::FULL)
            .with_ansi(false)
            .with_writer(|| ThreadSink)
            .with_filter(capturing);
        let sub = tracing_subscriber::registry()
            .with(layer)
            .with(tracing_subscriber::filter::LevelFilter::TRACE);
        tracing::subscriber::set_global_default(sub)
            .expect("no other global tracing subscriber in the SDK tests");
    });
    // A callsite first hit on another thread while the subscriber was being
    // installed may have cached its interest against the empty default.
    tracing::callsite::rebuild_interest_cache();
    let cap = Capture::default();
    let previous = SINK.with(|s| s.borrow_mut().replace(cap.clone()));
    (cap, CaptureGuard(previous))
}

/// A server that answers the n-th connection with `script[n]` (the last
/// one again after the end), written as is, then hangs up: a response whose
/// body is shorter than its `Content-Length` is cut off, and an empty one
/// is no answer at all. (`support::security::RawServer` writes whole
/// responses only.)
pub(crate) async fn scripted_raw_server(
    script: Vec<&'static str>,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicU32>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let c = count.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                break;
            };
            let n = c.fetch_add(1, std::sync::atomic::Ordering::SeqCst) as usize;
            let answer = script[n.min(script.len() - 1)];
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let mut buf = [0u8; 4096];
                let _ = tokio::time::timeout(Duration::from_millis(200), sock.read(&mut buf)).await;
                if let Err(e) = sock.write_all(answer.as_bytes()).await {
                    eprintln!("scripted server: writing failed: {e}");
                }
                drop(sock);
            });
        }
    });
    (format!("http://{addr}/beta"), count)
}
