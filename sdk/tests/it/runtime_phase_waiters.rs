//! The migration waiters of `graph_migrations::waiters`, per phase, against a
//! job (or task) whose status follows a script: what ends each phase, that
//! `adminActionRequired` returns at once, that a status this SDK version does
//! not know keeps the wait going and reaches `on_status`, and that a timeout
//! or a failure keeps the last value polled.

#![allow(deprecated)] // the crossTenantMigrationJob API is marked deprecated in Graph beta

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::client;
use graph_migrations::models::{
    CrossTenantMigrationJobStatus as Job, SharePointMigrationTaskStatus as Task,
};
use graph_migrations::waiters::{
    Outcome, WaitError, Waiter, migration_outcome, task_outcome, validation_outcome,
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const JOB_PATH: &str = "/beta/solutions/migrations/crossTenantMigrationJobs/job1";
const TASK_PATH: &str = "/beta/solutions/sharePoint/migrations/crossOrganizationMigrationTasks/t1";

/// Answers each GET with the next status of the script (the last one repeats).
struct Script {
    statuses: Vec<&'static str>,
    polls: Arc<AtomicUsize>,
}

impl wiremock::Respond for Script {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let n = self.polls.fetch_add(1, Ordering::SeqCst);
        let status = self.statuses[n.min(self.statuses.len() - 1)];
        ResponseTemplate::new(200).set_body_json(json!({
            "id": "job1",
            "status": status,
            "message": format!("poll {}", n + 1),
        }))
    }
}

/// A server whose `at` answers with `statuses`, and the poll counter.
async fn scripted(at: &str, statuses: &[&'static str]) -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let polls = Arc::new(AtomicUsize::new(0));
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(Script {
            statuses: statuses.to_vec(),
            polls: polls.clone(),
        })
        .mount(&server)
        .await;
    (server, polls)
}

/// A fast waiter recording every status it is told about.
fn waiter() -> (Waiter, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let w = Waiter::new()
        .interval(Duration::from_millis(1))
        .max_interval(Duration::from_millis(2))
        .jitter(false)
        .max_wait(Duration::from_secs(20))
        .on_status(move |s| record.lock().unwrap().push(s.to_string()));
    (w, seen)
}

fn jobs(
    server: &MockServer,
) -> graph_migrations::builders::CrossTenantMigrationJobsItemRequestBuilder {
    client(server)
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs()
        .by_id("job1")
}

#[tokio::test]
async fn validation_ends_at_validate_passed_and_reports_unknown_statuses() {
    let (server, polls) = scripted(
        JOB_PATH,
        &[
            "submitted",
            "validateSubmitted",
            "validateQueuedSomewhere", // not in this SDK version
            "validateInProgress",
            "validatePassed",
            "processing",
        ],
    )
    .await;
    let (w, seen) = waiter();
    let done = jobs(&server).wait_for_validation(w).await.unwrap();
    assert_eq!(done.outcome, Outcome::Succeeded);
    assert_eq!(done.status, "validatePassed");
    assert_eq!(done.value.status.get(), Some(&Job::ValidatePassed));
    assert_eq!(done.polls, 5);
    assert_eq!(polls.load(Ordering::SeqCst), 5);
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "submitted",
            "validateSubmitted",
            "validateQueuedSomewhere",
            "validateInProgress",
            "validatePassed"
        ]
    );
}

/// Graph answers a member added after `unknownFutureValue` only to a
/// client that sends `Prefer: include-unknown-enum-members`, and
/// `unknownFutureValue` to the rest. The SDK sends it on every poll, so a
/// status added after this SDK version reaches `on_status` by its name.
#[tokio::test]
async fn polls_ask_for_enum_members_added_after_unknown_future_value() {
    struct Evolvable;
    impl wiremock::Respond for Evolvable {
        fn respond(&self, r: &wiremock::Request) -> ResponseTemplate {
            let takes_new_members = r
                .headers
                .get_all("prefer")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .any(|p| p.trim() == "include-unknown-enum-members");
            let status = if takes_new_members {
                "validateQueuedSomewhere"
            } else {
                "unknownFutureValue"
            };
            ResponseTemplate::new(200).set_body_json(json!({"id": "job1", "status": status}))
        }
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(JOB_PATH))
        .respond_with(Evolvable)
        .mount(&server)
        .await;
    let (w, seen) = waiter();
    let err = jobs(&server)
        .wait_for_validation(w.max_wait(Duration::from_millis(20)))
        .await
        .unwrap_err();
    assert!(matches!(err, WaitError::Timeout { .. }), "{err:?}");
    let seen = seen.lock().unwrap();
    assert!(!seen.is_empty());
    assert!(
        seen.iter().all(|s| s == "validateQueuedSomewhere"),
        "{seen:?}"
    );
}

/// Answers each GET with the next `(status, lastUpdatedDateTime)` of the
/// script (the last one repeats).
struct Timed(Vec<(&'static str, &'static str)>, Arc<AtomicUsize>);

impl wiremock::Respond for Timed {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let n = self.1.fetch_add(1, Ordering::SeqCst);
        let (status, updated) = self.0[n.min(self.0.len() - 1)];
        ResponseTemplate::new(200).set_body_json(json!({
            "id": "job1", "status": status, "lastUpdatedDateTime": updated,
        }))
    }
}

async fn timed(script: &[(&'static str, &'static str)]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(JOB_PATH))
        .respond_with(Timed(script.to_vec(), Arc::default()))
        .mount(&server)
        .await;
    server
}

/// The first polls after `migrate` or `validate` may still read the status
/// from before it (migrating a `failed` job again, validating again a job
/// whose validation expired). Such a status does not end the wait: it must
/// follow a status in progress, come with a newer `lastUpdatedDateTime`, or
/// hold for two more polls.
#[tokio::test]
async fn a_status_from_before_the_action_does_not_end_the_wait() {
    const T1: &str = "2026-12-06T08:00:00Z";
    const T2: &str = "2026-12-06T08:05:00Z";
    // Migrating a failed job again: the old `failed`, then the new run.
    let server = timed(&[("failed", T1), ("processing", T2), ("completed", T2)]).await;
    let (w, seen) = waiter();
    let done = jobs(&server).wait_for_migration(w).await.unwrap();
    assert_eq!(done.outcome, Outcome::Succeeded);
    assert_eq!(done.polls, 3);
    assert_eq!(*seen.lock().unwrap(), ["failed", "processing", "completed"]);

    // Validating again: the expired `validatePassed`, then a newer one.
    let server = timed(&[("validatePassed", T1), ("validatePassed", T2)]).await;
    let (w, _) = waiter();
    let done = jobs(&server).wait_for_validation(w).await.unwrap();
    assert_eq!(done.outcome, Outcome::Succeeded);
    assert_eq!(done.polls, 2);

    // An action the service refused or finished before the first poll: the
    // same terminal status, unchanged, is the answer after two more polls.
    let server = timed(&[("failed", T1)]).await;
    let (w, _) = waiter();
    let done = jobs(&server).wait_for_migration(w).await.unwrap();
    assert_eq!(done.outcome, Outcome::Failed);
    assert_eq!(done.polls, 3);
}

/// Throttling that outlasts the client's own retry budget (`Retry-After: 1`
/// against half a second here; 300 s against 180 s in production) does
/// not end a wait of hours: it waits at least as long as asked and polls
/// on. Past `max_wait` the throttling is the wait's error.
#[tokio::test]
async fn throttling_during_a_wait_waits_on() {
    let throttled = || {
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "1")
            .set_body_json(json!({"error": {"code": "TooManyRequests", "message": "slow down"}}))
    };
    let job = |server: &MockServer| {
        crate::support::builder(server)
            .retry_policy(crate::support::fast_retry(3).with_max_total(Duration::from_millis(500)))
            .build()
            .unwrap()
            .solutions()
            .migrations()
            .cross_tenant_migration_jobs()
            .by_id("job1")
    };
    let server = failing_once_then_completing(throttled()).await;
    let (w, seen) = waiter();
    let start = std::time::Instant::now();
    let done = job(&server).wait_for_migration(w).await.unwrap();
    assert_eq!(done.outcome, Outcome::Succeeded);
    assert_eq!(*seen.lock().unwrap(), ["processing", "completed"]);
    assert!(start.elapsed() >= Duration::from_secs(1));

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(JOB_PATH))
        .respond_with(throttled())
        .mount(&server)
        .await;
    let (w, _) = waiter();
    let err = job(&server)
        .wait_for_migration(w.max_wait(Duration::from_millis(1500)))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, WaitError::Poll { error, .. } if error.is_throttled()),
        "{err:?}"
    );
}

/// A 500 or 502 on a poll (which the client does not retry, since a `POST`
/// must not be sent twice) says nothing of the job: the wait polls on. A
/// 400 still ends it.
#[tokio::test]
async fn a_server_error_on_a_poll_does_not_end_the_wait() {
    for status in [500, 502] {
        let server = failing_once_then_completing(
            ResponseTemplate::new(status)
                .set_body_json(json!({"error": {"code": "UnknownError", "message": "gateway"}})),
        )
        .await;
        let (w, seen) = waiter();
        let done = jobs(&server).wait_for_migration(w).await.unwrap();
        assert_eq!(done.outcome, Outcome::Succeeded, "{status}");
        assert_eq!(*seen.lock().unwrap(), ["processing", "completed"]);
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(JOB_PATH))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": {"code": "BadRequest", "message": "no"}})),
        )
        .mount(&server)
        .await;
    let (w, _) = waiter();
    let err = jobs(&server).wait_for_migration(w).await.unwrap_err();
    assert!(
        matches!(&err, WaitError::Poll { error, .. } if error.status().map(|s| s.as_u16()) == Some(400)),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_failed_validation_keeps_the_job() {
    let (server, _) = scripted(JOB_PATH, &["validateInProgress", "validateFailed"]).await;
    let (w, _) = waiter();
    let done = jobs(&server).wait_for_validation(w).await.unwrap();
    assert_eq!(done.outcome, Outcome::Failed);
    let err = done.into_result().unwrap_err();
    let job = match &err {
        WaitError::Failed(f) => &f.value,
        other => panic!("{other:?}"),
    };
    assert_eq!(job.status.get(), Some(&Job::ValidateFailed));
    assert_eq!(job.message.get().map(String::as_str), Some("poll 2"));
    assert_eq!(err.last_status(), Some("validateFailed"));
}

#[tokio::test]
async fn the_migration_phase_does_not_end_at_validate_passed() {
    // The first poll after `migrate` may still read the validation's status.
    let (server, _) = scripted(
        JOB_PATH,
        &[
            "validatePassed",
            "processing",
            "inProgress",
            "cuttingOver",
            "completedWithErrors",
        ],
    )
    .await;
    let (w, seen) = waiter();
    let done = jobs(&server).wait_for_migration(w).await.unwrap();
    assert_eq!(done.outcome, Outcome::Succeeded);
    assert_eq!(done.status, "completedWithErrors");
    assert_eq!(done.polls, 5);
    assert_eq!(
        seen.lock().unwrap().first().map(String::as_str),
        Some("validatePassed")
    );
}

#[tokio::test]
async fn a_failed_migration_is_a_failure() {
    let (server, _) = scripted(JOB_PATH, &["processing", "failed"]).await;
    let (w, _) = waiter();
    let done = jobs(&server).wait_for_migration(w).await.unwrap();
    assert_eq!(done.outcome, Outcome::Failed);
    assert_eq!(done.value.status.get(), Some(&Job::Failed));
}

#[tokio::test]
async fn admin_action_required_returns_at_once_in_either_phase() {
    for validation in [true, false] {
        let (server, polls) = scripted(
            JOB_PATH,
            &["inProgress", "adminActionRequired", "completed"],
        )
        .await;
        // A day's maximum wait: only returning at once ends this test quickly.
        let (w, _) = waiter();
        let w = w.max_wait(Duration::from_secs(24 * 3600));
        let job = jobs(&server);
        let done = if validation {
            job.wait_for_validation(w).await
        } else {
            job.wait_for_migration(w).await
        }
        .unwrap();
        assert_eq!(
            done.outcome,
            Outcome::ActionRequired,
            "validation: {validation}"
        );
        assert_eq!(done.value.status.get(), Some(&Job::AdminActionRequired));
        assert_eq!(done.polls, 2);
        assert_eq!(polls.load(Ordering::SeqCst), 2, "no poll after it");
        assert!(matches!(
            done.into_result(),
            Err(WaitError::ActionRequired(f)) if f.status == "adminActionRequired"
        ));
    }
}

#[tokio::test]
async fn a_timeout_keeps_the_last_job_polled() {
    let (server, polls) = scripted(JOB_PATH, &["validateSubmitted", "validateInProgress"]).await;
    let (w, _) = waiter();
    let err = jobs(&server)
        .wait_for_validation(w.max_wait(Duration::from_millis(50)))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.last_status(), Some("validateInProgress"));
    let job = err.into_last_value().expect("the last job polled");
    assert_eq!(job.status.get(), Some(&Job::ValidateInProgress));
    let n = polls.load(Ordering::SeqCst);
    assert!(n >= 2, "{n} polls");
    assert_eq!(job.message.get().cloned(), Some(format!("poll {n}")));
}

#[tokio::test]
async fn a_failed_poll_keeps_the_last_job_polled() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(JOB_PATH))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "job1", "status": "processing"})),
        )
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(JOB_PATH))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "error": {"code": "notFound", "message": "The specified crossTenantMigrationJob wasn't found."}
        })))
        .mount(&server)
        .await;
    let (w, _) = waiter();
    let err = jobs(&server).wait_for_migration(w).await.unwrap_err();
    assert!(
        err.poll_error().is_some_and(|e| e.is_not_found()),
        "{err:?}"
    );
    assert_eq!(
        err.last_value().and_then(|j| j.status.get()),
        Some(&Job::Processing)
    );
    assert!(matches!(err, WaitError::Poll { polls: 2, .. }), "{err:?}");
}

#[tokio::test]
async fn a_sharepoint_task_is_waited_for_until_it_ends() {
    let (server, _) = scripted(
        TASK_PATH,
        &["notStarted", "inProgress", "someday", "failed"],
    )
    .await;
    let (w, seen) = waiter();
    let done = client(&server)
        .solutions()
        .share_point()
        .migrations()
        .cross_organization_migration_tasks()
        .by_id("t1")
        .wait_until_terminal(w)
        .await
        .unwrap();
    assert_eq!(done.outcome, Outcome::Failed);
    assert_eq!(done.value.status.get(), Some(&Task::Failed));
    assert_eq!(
        *seen.lock().unwrap(),
        ["notStarted", "inProgress", "someday", "failed"]
    );
}

/// Every member of the status enums has a meaning per phase, and the ones
/// the documented lifecycle names mean what the pages say.
#[test]
fn statuses_per_phase() {
    use Outcome::*;
    let unknown = Job::UnknownValue("validateQueuedSomewhere".into());
    for (status, validation, migration) in [
        (&Job::Submitted, InProgress, InProgress),
        (&Job::ValidateSubmitted, InProgress, InProgress),
        (&Job::ValidateInProgress, InProgress, InProgress),
        (&Job::ValidatePassed, Succeeded, InProgress),
        (&Job::ValidateFailed, Failed, Failed),
        (&Job::Processing, InProgress, InProgress),
        (&Job::InProgress, InProgress, InProgress),
        (&Job::CuttingOver, InProgress, InProgress),
        (&Job::Completed, Failed, Succeeded),
        (&Job::CompletedWithErrors, Failed, Succeeded),
        (&Job::Failed, Failed, Failed),
        (&Job::Cancelled, Failed, Failed),
        (&Job::AdminActionRequired, ActionRequired, ActionRequired),
        (&Job::UnknownFutureValue, InProgress, InProgress),
        (&unknown, InProgress, InProgress),
    ] {
        assert_eq!(
            validation_outcome(status),
            validation,
            "validation: {status}"
        );
        assert_eq!(migration_outcome(status), migration, "migration: {status}");
    }
    // Every known member is classified, and only the documented ones end a phase.
    let ends = |f: fn(&Job) -> Outcome| -> Vec<String> {
        Job::KNOWN
            .iter()
            .filter(|s| f(s) == Succeeded)
            .map(|s| s.to_string())
            .collect()
    };
    assert_eq!(ends(validation_outcome), ["validatePassed"]);
    assert_eq!(
        ends(migration_outcome),
        ["completed", "completedWithErrors"]
    );
    assert_eq!(task_outcome(&Task::Completed), Succeeded);
    assert_eq!(task_outcome(&Task::Cancelled), Failed);
    assert_eq!(task_outcome(&Task::UnknownValue("x".into())), InProgress);
}

/// A job whose first poll answers `first`, and whose next polls read
/// `processing`, then `completed`.
async fn failing_once_then_completing(first: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(JOB_PATH))
        .respond_with(first)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(JOB_PATH))
        .respond_with(Script {
            statuses: vec!["processing", "completed"],
            polls: Arc::default(),
        })
        .mount(&server)
        .await;
    server
}
