//! [`RetryPolicy`]: when and how a request is retried.

use std::time::Duration;

use http::Method;

/// Whether a response says the service did nothing with the request, so
/// that any request, a `POST` too, may be sent again: throttled (429), or
/// unavailable with a time to come back (503 with `Retry-After`).
pub(crate) fn unprocessed_status(status: u16, retry_after: bool) -> bool {
    status == 429 || (status == 503 && retry_after)
}

/// Whether a request with this method may be sent twice with the effect of
/// once: retried on any transient failure, and worth trying again after a
/// response cut off ([`Error::is_transient`](super::Error::is_transient)).
pub(crate) fn is_idempotent(m: &Method) -> bool {
    matches!(
        *m,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE | Method::TRACE
    )
}

/// When and how requests are retried.
///
/// Retried: 429, 503 and 504 responses, and transport errors. Idempotent
/// methods (GET, HEAD, OPTIONS, PUT, DELETE) are retried on all of them; POST and
/// PATCH only when the server signalled the request was not processed: 429, 503
/// with `Retry-After`, or a connection that could not be established.
///
/// The delay before retry *n* is exponential (`initial_delay * factor^(n-1)`,
/// capped at `max_delay`) with jitter (up to +100%); when the server sends
/// `Retry-After` (seconds, HTTP date, or `retry-after-ms`) the larger of the two
/// is used. Retrying stops after `max_retries` retries or when the total time
/// spent would exceed `max_total`.
///
/// Defaults (in the style of Kiota): 3 retries, 3 s initial delay, factor 2,
/// 60 s max delay, 180 s total.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    pub(crate) max_retries: u32,
    pub(crate) initial_delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) factor: f32,
    pub(crate) jitter: bool,
    pub(crate) max_total: Duration,
    pub(crate) respect_retry_after: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_delay: Duration::from_secs(3),
            max_delay: Duration::from_secs(60),
            factor: 2.0,
            jitter: true,
            max_total: Duration::from_secs(180),
            respect_retry_after: true,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn disabled() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }
    /// Maximum number of retries (not counting the first attempt). Capped at 10.
    pub fn with_max_retries(mut self, n: u32) -> Self {
        self.max_retries = n.min(10);
        self
    }
    /// Delay before the first retry.
    pub fn with_initial_delay(mut self, d: Duration) -> Self {
        self.initial_delay = d;
        self
    }
    /// Cap on a single computed delay.
    pub fn with_max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }
    /// Exponential factor (default 2).
    pub fn with_factor(mut self, f: f32) -> Self {
        self.factor = if f.is_finite() && f >= 1.0 { f } else { 1.0 };
        self
    }
    /// Enable or disable jitter.
    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }
    /// Total time budget for one logical request, attempts and waits included.
    pub fn with_max_total(mut self, d: Duration) -> Self {
        self.max_total = d;
        self
    }
    /// Whether `Retry-After` lengthens the wait (default true).
    pub fn with_respect_retry_after(mut self, yes: bool) -> Self {
        self.respect_retry_after = yes;
        self
    }
    /// Maximum number of retries.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    pub(crate) fn backoff(&self) -> backon::ExponentialBuilder {
        let mut b = backon::ExponentialBuilder::new()
            .with_min_delay(self.initial_delay)
            .with_max_delay(self.max_delay.max(self.initial_delay))
            .with_factor(self.factor)
            .with_max_times(self.max_retries as usize);
        if self.jitter {
            b = b.with_jitter();
        }
        b
    }
}
