//! The generic waiter: termination, status callbacks, time-out, backoff,
//! errors and cancellation. Uses tokio's paused clock, so it runs instantly.

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use graph_migrations::runtime::{Outcome, WaitError, WaitResult, Waiter};
use graph_migrations::{Error, Result};
use tokio::time::Instant;

/// crossTenantMigrationJob statuses from the migrate doc, as plain strings
/// (the typed job waiters are tested in runtime_phase_waiters.rs).
fn job_status(status: &str) -> Outcome {
    match status.to_ascii_lowercase().as_str() {
        "completed" | "completedwitherrors" => Outcome::Succeeded,
        "failed" | "cancelled" => Outcome::Failed,
        "adminactionrequired" => Outcome::ActionRequired,
        _ => Outcome::InProgress,
    }
}

/// Waits on a poll that returns the status itself.
async fn wait_status<P, F>(waiter: Waiter, poll: P) -> WaitResult<String>
where
    P: FnMut() -> F,
    F: Future<Output = Result<String>>,
{
    waiter
        .wait(
            poll,
            |s: &String| Some(s.clone()),
            |s: &String| job_status(s),
        )
        .await
}

fn job_waiter() -> Waiter {
    Waiter::new()
        .interval(Duration::from_secs(2))
        .max_interval(Duration::from_secs(10))
        .factor(2.0)
        .jitter(false)
}

fn scripted(
    statuses: &[&str],
) -> impl FnMut() -> std::future::Ready<graph_migrations::Result<String>> {
    let statuses: Vec<String> = statuses.iter().map(|s| s.to_string()).collect();
    let mut i = 0;
    move || {
        let s = statuses[i.min(statuses.len() - 1)].clone();
        i += 1;
        std::future::ready(Ok(s))
    }
}

#[tokio::test(start_paused = true)]
async fn terminates_on_success_with_callback_sequence_and_backoff() {
    let seen = Arc::new(Mutex::new(Vec::<(String, Duration)>::new()));
    let s2 = seen.clone();
    let start = Instant::now();
    let waiter =
        job_waiter().on_status(move |s| s2.lock().unwrap().push((s.to_string(), start.elapsed())));
    let done = wait_status(
        waiter,
        scripted(&[
            "submitted",
            "processing",
            "inProgress",
            "inProgress",
            "COMPLETED", // the classifier's choice: case-insensitive
            "never-polled",
        ]),
    )
    .await
    .unwrap();
    assert_eq!(done.status, "COMPLETED");
    assert_eq!(done.outcome, Outcome::Succeeded);
    assert!(done.succeeded());
    assert_eq!(done.polls, 5);
    let seen = seen.lock().unwrap().clone();
    let statuses: Vec<_> = seen.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        statuses,
        [
            "submitted",
            "processing",
            "inProgress",
            "inProgress",
            "COMPLETED"
        ]
    );
    // intervals 2, 4, 8, 10 (capped) seconds, no jitter
    let at: Vec<u64> = seen.iter().map(|(_, d)| d.as_secs()).collect();
    assert_eq!(at, [0, 2, 6, 14, 24]);
    assert_eq!(done.into_result().unwrap(), "COMPLETED");
}

#[tokio::test(start_paused = true)]
async fn terminal_failure_is_reported_with_the_value() {
    let done = wait_status(job_waiter(), scripted(&["validateInProgress", "Failed"]))
        .await
        .unwrap();
    assert_eq!(done.outcome, Outcome::Failed);
    assert_eq!(done.polls, 2);
    let err = done.into_result().unwrap_err();
    assert!(
        matches!(&err, WaitError::Failed(f) if f.status == "Failed"),
        "{err:?}"
    );
    assert_eq!(err.last_status(), Some("Failed"));
    assert_eq!(err.into_last_value().as_deref(), Some("Failed"));
}

/// `max_wait(Duration::MAX)` is the natural way to say "no limit": it
/// waits (here, through a day of polls) instead of overflowing the deadline.
#[tokio::test(start_paused = true)]
async fn an_unlimited_max_wait_polls_until_the_end() {
    let mut statuses = vec!["migrationInProgress"; 10_000];
    statuses.push("Completed");
    let start = Instant::now();
    let done = wait_status(job_waiter().max_wait(Duration::MAX), scripted(&statuses))
        .await
        .unwrap();
    assert_eq!(done.outcome, Outcome::Succeeded);
    assert_eq!(done.polls, 10_001);
    assert!(start.elapsed() > Duration::from_secs(24 * 3600));
}

#[tokio::test(start_paused = true)]
async fn action_required_returns_at_once() {
    let start = Instant::now();
    let done = wait_status(
        job_waiter().max_wait(Duration::from_secs(24 * 3600)),
        scripted(&["inProgress", "adminActionRequired", "completed"]),
    )
    .await
    .unwrap();
    assert_eq!(done.outcome, Outcome::ActionRequired);
    assert_eq!(done.value, "adminActionRequired");
    assert_eq!(done.polls, 2);
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(2),
        "no wait past the second poll"
    );
    let err = done.into_result().unwrap_err();
    assert!(matches!(err, WaitError::ActionRequired(_)), "{err:?}");
    assert!(err.to_string().contains("administrator"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn times_out_with_last_status() {
    let polls = Arc::new(AtomicU32::new(0));
    let p2 = polls.clone();
    let start = Instant::now();
    let err = wait_status(job_waiter().max_wait(Duration::from_secs(30)), move || {
        let n = p2.fetch_add(1, Ordering::SeqCst);
        async move { Ok(if n == 0 { "submitted" } else { "processing" }.to_string()) }
    })
    .await
    .unwrap_err();
    assert!(err.is_timeout());
    assert_eq!(err.last_value().map(String::as_str), Some("processing"));
    match err {
        WaitError::Timeout {
            elapsed,
            polls,
            last_status,
            last,
            ..
        } => {
            assert_eq!(last_status.as_deref(), Some("processing"));
            assert_eq!(last.as_deref(), Some("processing"));
            assert_eq!(elapsed, Duration::from_secs(30));
            assert_eq!(polls, 6);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(start.elapsed(), Duration::from_secs(30));
    // polls at 0, 2, 6, 14, 24 and a last one at the 30 s deadline
    assert_eq!(polls.load(Ordering::SeqCst), 6);
}

#[tokio::test(start_paused = true)]
async fn jitter_keeps_intervals_within_bounds() {
    let times = Arc::new(Mutex::new(Vec::new()));
    let t2 = times.clone();
    let start = Instant::now();
    let waiter = Waiter::new()
        .interval(Duration::from_secs(1))
        .max_interval(Duration::from_secs(2))
        .jitter(true)
        .max_wait(Duration::from_secs(100))
        .on_status(move |_| t2.lock().unwrap().push(start.elapsed()));
    let done = wait_status(waiter, scripted(&["a", "a", "a", "a", "a", "completed"]))
        .await
        .unwrap();
    assert_eq!(done.polls, 6);
    let times = times.lock().unwrap();
    assert_eq!(times.len(), 6);
    // Each interval lies in the second half of what it would be without
    // jitter (1 s, 1.5 s, then 2 s by the default factor 1.5): never beyond
    // `max_interval`.
    for (i, w) in times.windows(2).enumerate() {
        let gap = w[1] - w[0];
        let full = Duration::from_secs(1)
            .mul_f64(1.5f64.powi(i as i32))
            .min(Duration::from_secs(2));
        assert!(gap >= full / 2 && gap <= full, "{i}: {gap:?}");
    }
}

/// A zero interval does not poll in a tight loop: it starts at 1 ms and
/// grows by the factor up to `max_interval`.
#[tokio::test(start_paused = true)]
async fn a_zero_interval_still_backs_off() {
    let start = Instant::now();
    let waiter = Waiter::new()
        .interval(Duration::ZERO)
        .factor(2.0)
        .max_interval(Duration::from_secs(1))
        .jitter(false);
    let mut statuses = vec!["processing"; 20];
    statuses.push("completed");
    let done = wait_status(waiter, scripted(&statuses)).await.unwrap();
    assert_eq!(done.polls, 21);
    // 1 + 2 + 4 + … + 512 ms, then 1 s for the other ten intervals (the
    // timer rounds the shortest sleeps up to its next millisecond).
    let elapsed = start.elapsed();
    assert!(
        elapsed >= Duration::from_millis(1023 + 10_000) && elapsed < Duration::from_millis(11_100),
        "{elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn poll_error_ends_the_wait_keeping_the_last_value() {
    #[derive(Debug, PartialEq)]
    struct Job {
        status: Option<String>,
        n: u32,
    }
    let mut n = 0;
    let err = job_waiter()
        .wait(
            move || {
                n += 1;
                let r = match n {
                    1 => Ok(Job { status: None, n }),
                    2 => Ok(Job {
                        status: Some("processing".into()),
                        n,
                    }),
                    _ => Err(Error::InvalidRequest("boom".into())),
                };
                async move { r }
            },
            |j: &Job| j.status.clone(),
            |s: &String| job_status(s),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err.poll_error(), Some(Error::InvalidRequest(_))),
        "{err:?}"
    );
    assert_eq!(err.last_status(), Some("processing"));
    assert_eq!(err.last_value().map(|j| j.n), Some(2));
    assert!(matches!(err, WaitError::Poll { polls: 2, .. }), "{err:?}");
    // The poll's error is the wait error's source.
    let source = std::error::Error::source(&err).expect("a source");
    assert!(source.to_string().contains("boom"), "{source}");
}

#[tokio::test(start_paused = true)]
async fn dropping_the_future_cancels_polling() {
    let polls = Arc::new(AtomicU32::new(0));
    let p2 = polls.clone();
    let fut = wait_status(job_waiter(), move || {
        p2.fetch_add(1, Ordering::SeqCst);
        async { Ok("processing".to_string()) }
    });
    let r = tokio::time::timeout(Duration::from_secs(5), fut).await;
    assert!(r.is_err(), "timed out by the caller");
    let after_drop = polls.load(Ordering::SeqCst);
    assert_eq!(after_drop, 2); // polls at 0 s and 2 s; the 6 s poll never happens
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(polls.load(Ordering::SeqCst), after_drop);
}
