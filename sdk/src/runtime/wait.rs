//! [`Waiter`]: polls a long-running operation (a migration job, a task) until
//! it reaches a terminal status, with backoff, jitter and a maximum wait.
//!
//! The caller says how to read the status and what each status means; the
//! migration waiters of the SDK do so with the generated status enums.
//!
//! ```no_run
//! use std::time::Duration;
//! use graph_migrations::runtime::{Client, Outcome, RequestPath, Waiter};
//! use serde_json::Value;
//!
//! # async fn run(client: Client) -> Result<(), Box<dyn std::error::Error>> {
//! let task = RequestPath::root()
//!     .segment("solutions")
//!     .segment("sharePoint")
//!     .segment("migrations")
//!     .segment("crossOrganizationMigrationTasks")
//!     .key("sharePointMigrationTaskId", "t1");
//! let finished = Waiter::new()
//!     .interval(Duration::from_secs(10))
//!     .max_wait(Duration::from_secs(6 * 3600))
//!     .on_status(|s| eprintln!("status: {s}"))
//!     .wait(
//!         || client.request(http::Method::GET, task.clone()).send::<Value>(),
//!         |t| t["status"].as_str().map(str::to_string),
//!         |s| match s.as_str() {
//!             "completed" => Outcome::Succeeded,
//!             "failed" | "cancelled" => Outcome::Failed,
//!             _ => Outcome::InProgress,
//!         },
//!     )
//!     .await?;
//! println!("{} after {} polls", finished.status, finished.polls);
//! # Ok(()) }
//! ```
//! Dropping the returned future cancels the wait.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use backon::BackoffBuilder as _;
use tokio::time::Instant;

use super::error::{Error, Result};

/// What a status means to a wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// Not terminal: keep polling. Also a status this SDK version does not know.
    InProgress,
    /// Terminal success.
    Succeeded,
    /// Terminal failure.
    Failed,
    /// The operation waits for a person (an administrator): the wait returns
    /// at once instead of polling until `max_wait`.
    ActionRequired,
}

/// A wait that ended on a status that is not [`Outcome::InProgress`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Finished<T> {
    /// The last value polled.
    pub value: T,
    /// Its status, as the service wrote it.
    pub status: String,
    /// `Succeeded`, `Failed` or `ActionRequired`.
    pub outcome: Outcome,
    /// How many polls were made.
    pub polls: u32,
    /// Time spent waiting.
    pub elapsed: Duration,
}

impl<T> Finished<T> {
    /// `Ok(value)` on success; [`WaitError::Failed`] or
    /// [`WaitError::ActionRequired`] (keeping this value) otherwise.
    pub fn into_result(self) -> std::result::Result<T, WaitError<T>> {
        match self.outcome {
            Outcome::Succeeded => Ok(self.value),
            Outcome::ActionRequired => Err(WaitError::ActionRequired(Box::new(self))),
            _ => Err(WaitError::Failed(Box::new(self))),
        }
    }

    /// Whether the outcome is success.
    pub fn succeeded(&self) -> bool {
        self.outcome == Outcome::Succeeded
    }
}

/// What a wait gives: the terminal poll, or why there is none.
pub type WaitResult<T> = std::result::Result<Finished<T>, WaitError<T>>;

/// Why a wait ended without a usable terminal value, in the manner of the
/// AWS SDK's `WaiterError`: every variant keeps the last value polled, when
/// there was one.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError<T> {
    /// `max_wait` passed before a terminal status.
    #[non_exhaustive]
    Timeout {
        /// Time spent waiting.
        elapsed: Duration,
        /// How many polls were made.
        polls: u32,
        /// The last status seen.
        last_status: Option<String>,
        /// The last value polled.
        last: Option<T>,
    },
    /// A poll failed (after the client's own retries).
    #[non_exhaustive]
    Poll {
        /// The request's error (boxed: it is large, and waits rarely fail).
        error: Box<Error>,
        /// Successful polls before it.
        polls: u32,
        /// The last status seen.
        last_status: Option<String>,
        /// The last value polled.
        last: Option<T>,
    },
    /// The operation ended in a failure status ([`Finished::into_result`]).
    Failed(Box<Finished<T>>),
    /// The operation needs an administrator ([`Finished::into_result`]).
    ActionRequired(Box<Finished<T>>),
}

impl<T> WaitError<T> {
    /// The last value polled.
    pub fn last_value(&self) -> Option<&T> {
        match self {
            WaitError::Timeout { last, .. } | WaitError::Poll { last, .. } => last.as_ref(),
            WaitError::Failed(f) | WaitError::ActionRequired(f) => Some(&f.value),
        }
    }

    /// The last value polled, owned.
    pub fn into_last_value(self) -> Option<T> {
        match self {
            WaitError::Timeout { last, .. } | WaitError::Poll { last, .. } => last,
            WaitError::Failed(f) | WaitError::ActionRequired(f) => Some(f.value),
        }
    }

    /// The last status seen.
    pub fn last_status(&self) -> Option<&str> {
        match self {
            WaitError::Timeout { last_status, .. } | WaitError::Poll { last_status, .. } => {
                last_status.as_deref()
            }
            WaitError::Failed(f) | WaitError::ActionRequired(f) => Some(&f.status),
        }
    }

    /// Whether the wait timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, WaitError::Timeout { .. })
    }

    /// The error of the failed poll, if a poll failed.
    pub fn poll_error(&self) -> Option<&Error> {
        match self {
            WaitError::Poll { error, .. } => Some(error.as_ref()),
            _ => None,
        }
    }
}

impl<T> fmt::Display for WaitError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last = self.last_status().unwrap_or("none");
        match self {
            WaitError::Timeout { elapsed, polls, .. } => write!(
                f,
                "timed out after {elapsed:?} and {polls} poll(s) waiting for a terminal status (last status: {last})"
            ),
            WaitError::Poll { polls, .. } => {
                write!(f, "poll failed after {polls} poll(s) (last status: {last})")
            }
            WaitError::Failed(_) => write!(f, "operation ended in failure status {last:?}"),
            WaitError::ActionRequired(_) => {
                write!(f, "operation needs an administrator: status {last:?}")
            }
        }
    }
}

impl<T: fmt::Debug> std::error::Error for WaitError<T> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.poll_error().map(|e| e as _)
    }
}

type StatusCallback = Box<dyn FnMut(&str) + Send>;

/// Whether a failed poll leaves the wait going while time is left: what is
/// transient for any request ([`Error::is_transient`]), and a 500 or 502,
/// which the client does not retry (a `POST` must not be sent twice) but
/// which, on the `GET` of a poll, says nothing of the job: one gateway
/// hiccup must not end a wait of hours while the job runs on.
fn keeps_waiting(error: &Error) -> bool {
    error.is_transient()
        || error
            .status()
            .is_some_and(|s| matches!(s.as_u16(), 500 | 502))
}

/// The shortest interval between polls: a zero interval would poll Graph
/// in a tight loop and, multiplied by the factor, never grow.
const MIN_INTERVAL: Duration = Duration::from_millis(1);

/// Polls until a terminal status, with backoff, jitter and a maximum wait.
///
/// Defaults: 5 s first interval, ×1.5 per poll, 60 s max interval, jitter on,
/// 1 h max wait.
pub struct Waiter {
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

impl fmt::Debug for Waiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("interval", &self.interval)
            .field("max_interval", &self.max_interval)
            .field("factor", &self.factor)
            .field("jitter", &self.jitter)
            .field("max_wait", &self.max_wait)
            .finish_non_exhaustive()
    }
}

impl Waiter {
    /// A waiter with the defaults.
    pub fn new() -> Self {
        Self {
            interval: Duration::from_secs(5),
            max_interval: Duration::from_secs(60),
            factor: 1.5,
            jitter: true,
            max_wait: Duration::from_secs(3600),
            on_status: None,
        }
    }

    /// First interval between polls (at least 1 ms).
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
    /// Spread each interval randomly over its second half, so that many
    /// waiters do not poll in step (default on). No interval exceeds
    /// [`Waiter::max_interval`] either way.
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }
    /// Give up after this long with [`WaitError::Timeout`]; `Duration::MAX`
    /// waits without a limit.
    pub fn max_wait(mut self, d: Duration) -> Self {
        self.max_wait = d;
        self
    }
    /// Called with every status observed, as the service wrote it (one call
    /// per poll), statuses this SDK version does not know included.
    pub fn on_status(mut self, f: impl FnMut(&str) + Send + 'static) -> Self {
        self.on_status = Some(Box::new(f));
        self
    }

    /// Polls with `poll` until `classify` says the status `status_of` reads
    /// is not [`Outcome::InProgress`].
    ///
    /// A value with no status counts as in progress. A transient error from
    /// `poll` (throttling, 500, 502, 503, 504, a transport failure that
    /// outlasted the client's retries) keeps the wait going, at least as long
    /// as its `Retry-After`; any other error (a token the credential could
    /// not get included) ends it with [`WaitError::Poll`], and so does a
    /// transient one at `max_wait`. At `max_wait` one last poll is
    /// made, then [`WaitError::Timeout`]. Both keep the last value polled.
    pub async fn wait<T, S, P, Fut, R, C>(
        mut self,
        mut poll: P,
        status_of: R,
        classify: C,
    ) -> WaitResult<T>
    where
        P: FnMut() -> Fut,
        Fut: Future<Output = Result<T>>,
        R: Fn(&T) -> Option<S>,
        C: Fn(&S) -> Outcome,
        S: fmt::Display,
    {
        let start = Instant::now();
        // `Duration::MAX` reads as "no limit": no `Instant` is that far off.
        let deadline = start.checked_add(self.max_wait);
        // A zero interval would poll in a tight loop, and never grow.
        let interval = self.interval.max(MIN_INTERVAL);
        let max_interval = self.max_interval.max(interval);
        // backon's jitter adds up to the whole delay on top of it; from half
        // the delay it spreads each interval over its second half instead,
        // so that no interval exceeds `max_interval`.
        let (first, most) = if self.jitter {
            (interval / 2, max_interval / 2)
        } else {
            (interval, max_interval)
        };
        let mut b = backon::ExponentialBuilder::new()
            .with_min_delay(first)
            .with_max_delay(most)
            .with_factor(self.factor)
            .without_max_times();
        if self.jitter {
            b = b.with_jitter();
        }
        let mut delays = b.build();
        let mut polls = 0u32;
        let mut last: Option<T> = None;
        let mut last_status: Option<String> = None;
        loop {
            let value = match poll().await {
                Ok(v) => v,
                Err(error) => {
                    // Throttling or an outage that outlasted the client's
                    // own retries does not end a wait of hours: it waits on
                    // (at least as long as `Retry-After` says) while time
                    // is left. Anything else is the caller's to handle.
                    let now = Instant::now();
                    let left = deadline.map(|d| d.saturating_duration_since(now));
                    if keeps_waiting(&error) && left.is_none_or(|l| !l.is_zero()) {
                        let next = delays.next().unwrap_or(max_interval);
                        let d = error
                            .retry_after()
                            .map_or(next, |ra| ra.max(next))
                            .min(left.unwrap_or(Duration::MAX));
                        tracing::info!(
                            delay_ms = d.as_millis() as u64,
                            "poll failed ({error}); waiting on"
                        );
                        tokio::time::sleep(d).await;
                        continue;
                    }
                    return Err(WaitError::Poll {
                        error: Box::new(error),
                        polls,
                        last_status,
                        last,
                    });
                }
            };
            polls += 1;
            if let Some(status) = status_of(&value) {
                let outcome = classify(&status);
                let status = status.to_string();
                if let Some(cb) = self.on_status.as_mut() {
                    cb(&status);
                }
                tracing::debug!(status = %status, polls, ?outcome, "waiter observed status");
                if outcome != Outcome::InProgress {
                    return Ok(Finished {
                        value,
                        status,
                        outcome,
                        polls,
                        elapsed: start.elapsed(),
                    });
                }
                last_status = Some(status);
            }
            last = Some(value);
            let now = Instant::now();
            if deadline.is_some_and(|d| now >= d) {
                return Err(WaitError::Timeout {
                    elapsed: now - start,
                    polls,
                    last_status,
                    last,
                });
            }
            let d = delays
                .next()
                .unwrap_or(max_interval)
                .min(deadline.map_or(Duration::MAX, |d| d - now));
            tokio::time::sleep(d).await;
        }
    }
}
