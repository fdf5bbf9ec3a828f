//! Request and fault counters that tests read.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::faults::FaultKind;

/// Counters of requests received and faults injected (cloneable handle).
///
/// Requests are counted per `(METHOD, path template)` when they arrive, before
/// any fault is injected, so a retried request counts once per attempt. Path
/// templates are the documented paths without the `/beta` prefix, with keys
/// replaced by placeholders, for example
/// `/solutions/migrations/crossTenantMigrationJobs/{id}/migrate` or
/// `/solutions/sharePoint/migrations/crossOrganizationUserMappings(sourceUserPrincipalName='{sourceUserPrincipalName}')`.
/// Paths that match no operation are counted under the template `UNMATCHED`.
/// Requests to the `/_sim/...` admin endpoints are not counted.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    inner: Arc<Mutex<StatsInner>>,
}

#[derive(Debug, Default)]
struct StatsInner {
    requests: BTreeMap<(String, String), u64>,
    statuses: BTreeMap<(String, String, u16), u64>,
    faults: BTreeMap<FaultKind, u64>,
    total: u64,
    /// The latest request bodies, oldest first, at most [`BODIES_KEPT`].
    bodies: std::collections::VecDeque<(String, String, Vec<u8>)>,
}

/// How many request bodies the journal keeps: enough for a test to see what
/// an SDK call sent, bounded so a long soak does not grow without end.
pub const BODIES_KEPT: usize = 256;

/// A copy of all counters at one moment.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StatsSnapshot {
    /// All requests counted.
    pub total_requests: u64,
    /// Per route.
    pub requests: Vec<RouteCount>,
    /// Per route and response status (responses actually sent; dropped
    /// connections have no status and are not listed here).
    pub responses: Vec<StatusCount>,
    /// Faults injected, per kind.
    pub faults: BTreeMap<FaultKind, u64>,
}

/// Requests counted for one route.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RouteCount {
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template.
    pub template: String,
    /// Requests received.
    pub count: u64,
}

/// Responses sent for one route with one status.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct StatusCount {
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template.
    pub template: String,
    /// HTTP status code.
    pub status: u16,
    /// Responses sent.
    pub count: u64,
}

impl Stats {
    fn lock(&self) -> std::sync::MutexGuard<'_, StatsInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn record_request(&self, method: &str, template: &str) {
        let mut g = self.lock();
        g.total += 1;
        *g.requests
            .entry((method.to_ascii_uppercase(), template.to_string()))
            .or_default() += 1;
    }

    pub(crate) fn record_status(&self, method: &str, template: &str, status: u16) {
        let mut g = self.lock();
        *g.statuses
            .entry((method.to_ascii_uppercase(), template.to_string(), status))
            .or_default() += 1;
    }

    pub(crate) fn record_fault(&self, kind: FaultKind) {
        *self.lock().faults.entry(kind).or_default() += 1;
    }

    pub(crate) fn record_body(&self, method: &str, template: &str, body: &[u8]) {
        if body.is_empty() {
            return;
        }
        let mut g = self.lock();
        if g.bodies.len() == BODIES_KEPT {
            g.bodies.pop_front();
        }
        g.bodies.push_back((
            method.to_ascii_uppercase(),
            template.to_string(),
            body.to_vec(),
        ));
    }

    /// The bodies of the latest requests for `method` and `template`
    /// (oldest first; the journal keeps the last [`BODIES_KEPT`] bodies of
    /// all routes), parsed as JSON where they are JSON.
    pub fn request_bodies(&self, method: &str, template: &str) -> Vec<serde_json::Value> {
        let method = method.to_ascii_uppercase();
        self.lock()
            .bodies
            .iter()
            .filter(|(m, t, _)| *m == method && t == template)
            .map(|(_, _, b)| {
                serde_json::from_slice(b).unwrap_or_else(|_| {
                    serde_json::Value::String(String::from_utf8_lossy(b).into())
                })
            })
            .collect()
    }

    /// Requests received for `method` (any case) and `template`.
    pub fn requests(&self, method: &str, template: &str) -> u64 {
        self.lock()
            .requests
            .get(&(method.to_ascii_uppercase(), template.to_string()))
            .copied()
            .unwrap_or(0)
    }

    /// Responses sent for `method` and `template` with `status`.
    pub fn responses(&self, method: &str, template: &str, status: u16) -> u64 {
        self.lock()
            .statuses
            .get(&(method.to_ascii_uppercase(), template.to_string(), status))
            .copied()
            .unwrap_or(0)
    }

    /// All requests counted.
    pub fn total_requests(&self) -> u64 {
        self.lock().total
    }

    /// Faults of `kind` injected so far.
    pub fn faults(&self, kind: FaultKind) -> u64 {
        self.lock().faults.get(&kind).copied().unwrap_or(0)
    }

    /// All faults injected so far.
    pub fn total_faults(&self) -> u64 {
        self.lock().faults.values().sum()
    }

    /// A copy of every counter.
    pub fn snapshot(&self) -> StatsSnapshot {
        let g = self.lock();
        StatsSnapshot {
            total_requests: g.total,
            requests: g
                .requests
                .iter()
                .map(|((m, t), c)| RouteCount {
                    method: m.clone(),
                    template: t.clone(),
                    count: *c,
                })
                .collect(),
            responses: g
                .statuses
                .iter()
                .map(|((m, t, s), c)| StatusCount {
                    method: m.clone(),
                    template: t.clone(),
                    status: *s,
                    count: *c,
                })
                .collect(),
            faults: g.faults.clone(),
        }
    }

    /// Sets every counter back to zero.
    pub fn reset(&self) {
        *self.lock() = StatsInner::default();
    }
}
