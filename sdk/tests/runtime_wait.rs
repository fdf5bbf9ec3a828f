//! The generic waiter: termination, status callbacks, time-out, backoff,
//! errors and cancellation. Uses tokio's paused clock, so it runs instantly.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use graph_migrations::Error;
use graph_migrations::runtime::{Outcome, Waiter};
use tokio::time::Instant;

/// crossTenantMigrationJob: terminal statuses from the migrate doc.
fn job_waiter() -> Waiter {
    Waiter::new()
        .success_statuses(["completed", "completedWithErrors"])
        .failure_statuses(["failed", "cancelled"])
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
    let done = job_waiter()
        .on_status(move |s| s2.lock().unwrap().push((s.to_string(), start.elapsed())))
        .wait_status(scripted(&[
            "submitted",
            "processing",
            "inProgress",
            "inProgress",
            "COMPLETED", // case-insensitive
            "never-polled",
        ]))
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
async fn terminal_failure_is_reported() {
    let done = job_waiter()
        .wait_status(scripted(&["validateInProgress", "Failed"]))
        .await
        .unwrap();
    assert_eq!(done.outcome, Outcome::Failed);
    match done.into_result() {
        Err(Error::WaitFailed { status, .. }) => assert_eq!(status, "Failed"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn times_out_with_last_status() {
    let polls = Arc::new(AtomicU32::new(0));
    let p2 = polls.clone();
    let start = Instant::now();
    let err = job_waiter()
        .max_wait(Duration::from_secs(30))
        .wait_status(move || {
            let n = p2.fetch_add(1, Ordering::SeqCst);
            async move { Ok(if n == 0 { "submitted" } else { "processing" }.to_string()) }
        })
        .await
        .unwrap_err();
    match err {
        Error::WaitTimeout {
            elapsed,
            last_status,
            ..
        } => {
            assert_eq!(last_status.as_deref(), Some("processing"));
            assert_eq!(elapsed, Duration::from_secs(30));
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
    let _ = Waiter::new()
        .success_statuses(["done"])
        .interval(Duration::from_secs(1))
        .max_interval(Duration::from_secs(1))
        .jitter(true)
        .max_wait(Duration::from_secs(100))
        .on_status(move |_| t2.lock().unwrap().push(start.elapsed()))
        .wait_status(scripted(&["a", "a", "a", "a", "a", "done"]))
        .await
        .unwrap();
    let times = times.lock().unwrap();
    for w in times.windows(2) {
        let gap = w[1] - w[0];
        assert!(
            gap >= Duration::from_secs(1) && gap <= Duration::from_secs(2),
            "{gap:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn poll_error_ends_the_wait_and_custom_values_work() {
    #[derive(Debug)]
    struct Job {
        status: Option<String>,
    }
    let mut n = 0;
    let err = job_waiter()
        .wait(
            move || {
                n += 1;
                let r = if n < 3 {
                    Ok(Job { status: None })
                } else {
                    Err(Error::InvalidRequest("boom".into()))
                };
                async move { r }
            },
            |j: &Job| j.status.clone(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)));

    let classifier = Waiter::new().classify_with(|s| {
        if s.starts_with("validatePassed") {
            Outcome::Succeeded
        } else {
            Outcome::InProgress
        }
    });
    assert_eq!(classifier.classify("validatePassed"), Outcome::Succeeded);
    assert_eq!(
        classifier.classify("unknownFutureValue"),
        Outcome::InProgress
    );
    assert_eq!(
        job_waiter().classify("CompletedWithErrors"),
        Outcome::Succeeded
    );
    assert_eq!(job_waiter().classify("cancelled"), Outcome::Failed);
    assert_eq!(job_waiter().classify("pendingCancel"), Outcome::InProgress);
}

#[tokio::test(start_paused = true)]
async fn dropping_the_future_cancels_polling() {
    let polls = Arc::new(AtomicU32::new(0));
    let p2 = polls.clone();
    let fut = job_waiter().wait_status(move || {
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
