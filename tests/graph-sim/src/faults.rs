//! Fault injection: throttling, outages, dropped connections, slow and broken responses.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The kinds of fault the simulator can inject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FaultKind {
    /// `429 Too Many Requests` with a `Retry-After` header and a Graph error body.
    Throttle429,
    /// `503 Service Unavailable` with a `Retry-After` header and a Graph error body.
    Unavailable503,
    /// The TCP connection is closed without any response.
    DropConnection,
    /// The response is delayed (real time) by `slow_delay_ms`, then served normally.
    Slow,
    /// The request is processed normally (side effects happen!) but the response is
    /// `200 OK`, `application/json`, with a truncated, unparsable JSON body.
    MalformedJson,
    /// `502 Bad Gateway` with an HTML page (`text/html`) instead of JSON.
    Html502,
}

impl FaultKind {
    /// Every fault kind.
    pub const ALL: [FaultKind; 6] = [
        FaultKind::Throttle429,
        FaultKind::Unavailable503,
        FaultKind::DropConnection,
        FaultKind::Slow,
        FaultKind::MalformedJson,
        FaultKind::Html502,
    ];
}

/// Periodic fault switches. `Some(n)` injects the fault on every `n`-th request
/// (counting the requests that match `path_contains`, from the moment the
/// configuration was set); `None` or `Some(0)` disables it.
///
/// When several periodic faults hit the same request, the first of
/// drop, HTML 502, 503, 429 wins; `Slow` combines with any of them;
/// `MalformedJson` applies only when no other response fault hit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FaultConfig {
    /// 429 with `Retry-After` every n-th request.
    pub throttle_429_every: Option<u64>,
    /// 503 (with `Retry-After`) every n-th request.
    pub unavailable_503_every: Option<u64>,
    /// Close the connection without a response every n-th request.
    pub drop_connection_every: Option<u64>,
    /// Delay every n-th response by `slow_delay_ms`.
    pub slow_every: Option<u64>,
    /// Malformed JSON body every n-th request.
    pub malformed_json_every: Option<u64>,
    /// HTML 502 page every n-th request.
    pub html_502_every: Option<u64>,
    /// Value of the `Retry-After` header (seconds) on 429 and 503. Default 1.
    pub retry_after_secs: u64,
    /// Delay of slow responses, in milliseconds. Default 500.
    pub slow_delay_ms: u64,
    /// Only requests whose raw path contains this string are counted and faulted.
    pub path_contains: Option<String>,
}

impl Default for FaultConfig {
    fn default() -> Self {
        Self {
            throttle_429_every: None,
            unavailable_503_every: None,
            drop_connection_every: None,
            slow_every: None,
            malformed_json_every: None,
            html_502_every: None,
            retry_after_secs: 1,
            slow_delay_ms: 500,
            path_contains: None,
        }
    }
}

/// Runtime handle to the fault switches (cloneable; all clones share state).
#[derive(Clone, Debug, Default)]
pub struct Faults {
    inner: Arc<Mutex<FaultsInner>>,
}

#[derive(Debug, Default)]
struct FaultsInner {
    config: FaultConfig,
    counter: u64,
    queued: VecDeque<FaultKind>,
}

/// What to do with one request.
#[derive(Debug, Default, Clone)]
pub(crate) struct Decision {
    pub pre: Option<FaultKind>,
    pub slow: Option<Duration>,
    pub malformed: bool,
    pub retry_after_secs: u64,
}

fn hits(every: Option<u64>, n: u64) -> bool {
    matches!(every, Some(k) if k > 0 && n.is_multiple_of(k))
}

impl Faults {
    pub(crate) fn new(config: FaultConfig) -> Self {
        Self {
            inner: Arc::new(Mutex::new(FaultsInner {
                config,
                counter: 0,
                queued: VecDeque::new(),
            })),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FaultsInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Replaces the periodic fault configuration and restarts the request counter.
    pub fn set(&self, config: FaultConfig) {
        let mut g = self.lock();
        g.config = config;
        g.counter = 0;
    }

    /// Edits the configuration in place (the counter restarts).
    pub fn update(&self, f: impl FnOnce(&mut FaultConfig)) {
        let mut g = self.lock();
        f(&mut g.config);
        g.counter = 0;
    }

    /// The current periodic configuration.
    pub fn get(&self) -> FaultConfig {
        self.lock().config.clone()
    }

    /// Disables every fault, periodic and queued.
    pub fn clear(&self) {
        let mut g = self.lock();
        g.config = FaultConfig::default();
        g.counter = 0;
        g.queued.clear();
    }

    /// Queues `count` one-shot faults of `kind`: the next `count` matching
    /// requests get that fault (before any periodic fault is considered).
    pub fn inject_next(&self, kind: FaultKind, count: usize) {
        let mut g = self.lock();
        for _ in 0..count {
            g.queued.push_back(kind);
        }
    }

    /// Number of one-shot faults still queued.
    pub fn queued(&self) -> usize {
        self.lock().queued.len()
    }

    pub(crate) fn decide(&self, raw_path: &str) -> Decision {
        let mut g = self.lock();
        if let Some(filter) = &g.config.path_contains
            && !raw_path.contains(filter.as_str())
        {
            return Decision::default();
        }
        g.counter += 1;
        let n = g.counter;
        let c = g.config.clone();
        let mut d = Decision {
            retry_after_secs: c.retry_after_secs,
            ..Decision::default()
        };
        let slow_delay = Duration::from_millis(c.slow_delay_ms);
        if let Some(kind) = g.queued.pop_front() {
            match kind {
                FaultKind::Slow => d.slow = Some(slow_delay),
                FaultKind::MalformedJson => d.malformed = true,
                other => d.pre = Some(other),
            }
            return d;
        }
        d.pre = if hits(c.drop_connection_every, n) {
            Some(FaultKind::DropConnection)
        } else if hits(c.html_502_every, n) {
            Some(FaultKind::Html502)
        } else if hits(c.unavailable_503_every, n) {
            Some(FaultKind::Unavailable503)
        } else if hits(c.throttle_429_every, n) {
            Some(FaultKind::Throttle429)
        } else {
            None
        };
        if hits(c.slow_every, n) {
            d.slow = Some(slow_delay);
        }
        d.malformed = d.pre.is_none() && hits(c.malformed_json_every, n);
        d
    }
}
