//! A generic poller for long-running operations (migration jobs and tasks).
//!
//! ```ignore
//! let done = Waiter::new()
//!     .success_statuses(["completed", "completedWithErrors"])
//!     .failure_statuses(["failed", "cancelled"])
//!     .interval(Duration::from_secs(10))
//!     .max_wait(Duration::from_secs(6 * 3600))
//!     .on_status(|s| eprintln!("status: {s}"))
//!     .wait(|| job_request().send::<Job>(), |job| job.status.get().map(|s| s.to_string()))
//!     .await?;
//! ```
//! Dropping the returned future cancels the wait.

use std::future::Future;
use std::time::Duration;

use backon::BackoffBuilder as _;
use tokio::time::Instant;

use super::error::{Error, Result};

/// How a status is classified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Not terminal: keep polling.
    InProgress,
    /// Terminal success.
    Succeeded,
    /// Terminal failure.
    Failed,
}

/// A terminal result.
#[derive(Clone, Debug)]
pub struct Finished<T> {
    /// The last value polled.
    pub value: T,
    /// Its status.
    pub status: String,
    /// `Succeeded` or `Failed`.
    pub outcome: Outcome,
    /// How many polls were made.
    pub polls: u32,
    /// Time spent waiting.
    pub elapsed: Duration,
}

impl<T> Finished<T> {
    /// `Ok(value)` on success, [`Error::WaitFailed`] on a failure status.
    pub fn into_result(self) -> Result<T> {
        match self.outcome {
            Outcome::Succeeded => Ok(self.value),
            _ => Err(Error::WaitFailed {
                status: self.status,
            }),
        }
    }
    /// Whether the outcome is success.
    pub fn succeeded(&self) -> bool {
        self.outcome == Outcome::Succeeded
    }
}

type Classifier = Box<dyn Fn(&str) -> Outcome + Send + Sync>;
type StatusCallback = Box<dyn FnMut(&str) + Send>;

/// Polls until a terminal status, with backoff, jitter and a maximum wait.
///
/// Statuses are compared case-insensitively; anything neither a success nor a
/// failure status (including statuses added to the service later) is in
/// progress. Defaults: 5 s first interval, ×1.5 per poll, 60 s max interval,
/// jitter on, 1 h max wait.
pub struct Waiter {
    success: Vec<String>,
    failure: Vec<String>,
    classifier: Option<Classifier>,
    interval: Duration,
    max_interval: Duration,
    factor: f32,
    jitter: bool,
    max_wait: Duration,
    on_status: Option<StatusCallback>,
}

impl Default for Waiter {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Waiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waiter")
            .field("success", &self.success)
            .field("failure", &self.failure)
            .field("interval", &self.interval)
            .field("max_interval", &self.max_interval)
            .field("max_wait", &self.max_wait)
            .finish_non_exhaustive()
    }
}

impl Waiter {
    pub fn new() -> Self {
        Self {
            success: Vec::new(),
            failure: Vec::new(),
            classifier: None,
            interval: Duration::from_secs(5),
            max_interval: Duration::from_secs(60),
            factor: 1.5,
            jitter: true,
            max_wait: Duration::from_secs(3600),
            on_status: None,
        }
    }

    /// Terminal success statuses (case-insensitive).
    pub fn success_statuses<I, S>(mut self, statuses: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.success.extend(statuses.into_iter().map(Into::into));
        self
    }

    /// Terminal failure statuses (case-insensitive).
    pub fn failure_statuses<I, S>(mut self, statuses: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.failure.extend(statuses.into_iter().map(Into::into));
        self
    }

    /// A custom classifier, replacing the status lists.
    pub fn classify_with(mut self, f: impl Fn(&str) -> Outcome + Send + Sync + 'static) -> Self {
        self.classifier = Some(Box::new(f));
        self
    }

    /// Classify a status.
    pub fn classify(&self, status: &str) -> Outcome {
        if let Some(c) = &self.classifier {
            return c(status);
        }
        let s = status.trim();
        if self.success.iter().any(|x| x.eq_ignore_ascii_case(s)) {
            Outcome::Succeeded
        } else if self.failure.iter().any(|x| x.eq_ignore_ascii_case(s)) {
            Outcome::Failed
        } else {
            Outcome::InProgress
        }
    }

    /// First interval between polls.
    pub fn interval(mut self, d: Duration) -> Self {
        self.interval = d;
        self
    }
    /// Longest interval between polls.
    pub fn max_interval(mut self, d: Duration) -> Self {
        self.max_interval = d;
        self
    }
    /// Interval growth factor (≥ 1).
    pub fn factor(mut self, f: f32) -> Self {
        self.factor = if f.is_finite() && f >= 1.0 { f } else { 1.0 };
        self
    }
    /// Add up to +100% random jitter to each interval (default on).
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }
    /// Give up after this long with [`Error::WaitTimeout`].
    pub fn max_wait(mut self, d: Duration) -> Self {
        self.max_wait = d;
        self
    }
    /// Called with every status observed (one call per poll).
    pub fn on_status(mut self, f: impl FnMut(&str) + Send + 'static) -> Self {
        self.on_status = Some(Box::new(f));
        self
    }

    /// Poll with `poll` until `status_of` gives a terminal status.
    ///
    /// An error from `poll` ends the wait with that error (the client has
    /// already retried throttling and transient failures). A value with no
    /// status counts as in progress. On timeout the error carries the last
    /// status seen; one last poll is made at the deadline.
    pub async fn wait<T, P, Fut, S>(mut self, mut poll: P, status_of: S) -> Result<Finished<T>>
    where
        P: FnMut() -> Fut,
        Fut: Future<Output = Result<T>>,
        S: Fn(&T) -> Option<String>,
    {
        let start = Instant::now();
        let deadline = start + self.max_wait;
        let mut b = backon::ExponentialBuilder::new()
            .with_min_delay(self.interval)
            .with_max_delay(self.max_interval.max(self.interval))
            .with_factor(self.factor)
            .without_max_times();
        if self.jitter {
            b = b.with_jitter();
        }
        let mut delays = b.build();
        let mut polls = 0u32;
        let mut last: Option<String> = None;
        loop {
            let value = poll().await?;
            polls += 1;
            if let Some(status) = status_of(&value) {
                if let Some(cb) = self.on_status.as_mut() {
                    cb(&status);
                }
                tracing::debug!(status = %status, polls, "waiter observed status");
                let outcome = self.classify(&status);
                if outcome != Outcome::InProgress {
                    return Ok(Finished {
                        value,
                        status,
                        outcome,
                        polls,
                        elapsed: start.elapsed(),
                    });
                }
                last = Some(status);
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Error::WaitTimeout {
                    elapsed: now - start,
                    last_status: last,
                });
            }
            let d = delays
                .next()
                .unwrap_or(self.max_interval)
                .min(deadline - now);
            tokio::time::sleep(d).await;
        }
    }

    /// Like [`Waiter::wait`] for a poll that returns the status string itself.
    pub async fn wait_status<P, Fut>(self, poll: P) -> Result<Finished<String>>
    where
        P: FnMut() -> Fut,
        Fut: Future<Output = Result<String>>,
    {
        self.wait(poll, |s: &String| Some(s.clone())).await
    }
}
