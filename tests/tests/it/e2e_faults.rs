//! The SDK against graph-sim with fault injection, over real HTTP: what
//! only the end-to-end layer can show — no duplicate create under dropped
//! connections and bodies that are not JSON. The retry rules themselves
//! (429, 503, `Retry-After`, timeouts, budgets) are tested against a mock
//! server in sdk/tests/it/runtime_retry.rs.
//!
//! Retry rules under test (sdk/src/runtime/client.rs, `RetryPolicy`): 429,
//! 503 and 504 and transport errors are retried for idempotent methods; POST
//! and PATCH only on 429, on 503 with `Retry-After`, and when no connection
//! could be made — never after the request may have been processed.

#![allow(deprecated)]

use std::time::Duration;

use graph_migrations::models::CrossTenantMigrationJob;
use graph_migrations::runtime::RetryPolicy;
use graph_migrations::{Client, Error};
use graph_sim::{FaultConfig, FaultKind, SimConfig, SimHandle};

const JOBS: &str = "/solutions/migrations/crossTenantMigrationJobs";
const JOB_BY_NAME: &str =
    "/solutions/migrations/crossTenantMigrationJobs(displayName='{displayName}')";

/// Tiny delays so retries cost milliseconds; `Retry-After` is still honoured.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_retries(3)
        .with_initial_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(5))
        .with_jitter(false)
        .with_max_total(Duration::from_secs(20))
}

fn client(sim: &SimHandle, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .bearer_token("sim.*")
        .retry_policy(policy)
        .build()
        .unwrap()
}

async fn sim_with(faults: FaultConfig) -> SimHandle {
    graph_sim::start(SimConfig {
        faults,
        ..SimConfig::default()
    })
    .await
}

fn job(name: &str) -> CrossTenantMigrationJob {
    serde_json::from_value(serde_json::json!({
        "displayName": name,
        "resources": ["b5b8bc4f-0e36-4ad3-8ddf-248b68260b89"],
        "workloads": ["Teams"],
        "resourceType": "Users",
        "completeAfterDateTime": "2025-05-22T17:14:52Z",
        "sourceTenantId": "12345678-1234-1234-1234-123456789012"
    }))
    .unwrap()
}

/// For requests numbered from 1 where every `every`-th one fails and is
/// retried: the attempts each of `calls` sequential logical calls makes.
fn attempts_per_call(every: u64, calls: usize) -> Vec<u64> {
    let mut n = 0;
    (0..calls)
        .map(|_| {
            let mut attempts = 0;
            loop {
                n += 1;
                attempts += 1;
                if n % every != 0 {
                    break attempts;
                }
            }
        })
        .collect()
}

#[tokio::test]
async fn dropped_connections_retry_reads_but_never_duplicate_a_create() {
    let sim = sim_with(FaultConfig::default()).await;
    let c = client(&sim, fast_retries());
    let jobs = c.solutions().migrations().cross_tenant_migration_jobs();

    // A read whose connection is dropped is sent again and succeeds.
    sim.faults().inject_next(FaultKind::DropConnection, 1);
    let listed = jobs.get().send().await.unwrap();
    assert!(listed.items.is_empty());
    assert_eq!(sim.stats().requests("GET", JOBS), 2);
    assert_eq!(sim.stats().faults(FaultKind::DropConnection), 1);

    // A create whose connection is dropped is NOT sent again: the caller gets
    // a transport error after one attempt and decides.
    sim.faults().inject_next(FaultKind::DropConnection, 1);
    let err = jobs.post(&job("dropped-create")).await.unwrap_err();
    match &err {
        Error::Transport {
            method,
            path_template,
            attempts,
            ..
        } => {
            assert_eq!(method.as_str(), "POST");
            assert_eq!(path_template, JOBS);
            assert_eq!(*attempts, 1);
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(err.is_transient());
    assert_eq!(sim.stats().requests("POST", JOBS), 1);

    // The safe recovery: look the job up by its unique name, create it only if absent.
    let lookup = jobs
        .by_display_name("dropped-create")
        .get()
        .await
        .unwrap_err();
    assert!(lookup.is_not_found(), "{lookup}");
    jobs.post(&job("dropped-create")).await.unwrap();
    assert_eq!(sim.state().jobs().len(), 1, "exactly one job was created");
    assert_eq!(sim.stats().requests("POST", JOBS), 2);

    // Every other request dropped: reads always get through.
    sim.faults().set(FaultConfig {
        drop_connection_every: Some(2),
        ..FaultConfig::default()
    });
    for _ in 0..3 {
        let j = jobs.by_display_name("dropped-create").get().await.unwrap();
        assert_eq!(
            j.display_name.get().map(String::as_str),
            Some("dropped-create")
        );
    }
    let attempts = attempts_per_call(2, 3); // [1, 2, 2]
    assert_eq!(
        sim.stats().requests("GET", JOB_BY_NAME),
        1 + attempts.iter().sum::<u64>()
    );
    assert_eq!(
        sim.stats().faults(FaultKind::DropConnection),
        2 + attempts.iter().map(|a| a - 1).sum::<u64>()
    );
    assert_eq!(sim.state().jobs().len(), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_create_answered_with_malformed_json_is_processed_once_and_reports_the_json_path() {
    let sim = sim_with(FaultConfig::default()).await;
    let c = client(&sim, fast_retries());
    let jobs = c.solutions().migrations().cross_tenant_migration_jobs();

    // The simulator processes the POST, then answers 200 with a truncated body.
    sim.faults().inject_next(FaultKind::MalformedJson, 1);
    let err = jobs.post(&job("malformed")).await.unwrap_err();
    let e = err
        .decode_error()
        .unwrap_or_else(|| panic!("expected a decode error, got {err:?}"));
    assert_eq!(e.path_template, JOBS);
    assert_eq!(e.status.as_u16(), 200);
    assert_eq!(e.json_path, "@odata.context", "{}", e.message);
    assert!(e.message.contains("EOF"), "{}", e.message);
    assert!(e.request_id.is_some());
    assert!(err.to_string().contains("`@odata.context`"), "{err}");
    assert!(!err.is_transient(), "a decode error is not retried");
    assert_eq!(sim.stats().requests("POST", JOBS), 1);
    assert_eq!(sim.state().jobs().len(), 1, "processed exactly once");

    // Reads: the same error type, and the next request is fine again.
    sim.faults().inject_next(FaultKind::MalformedJson, 1);
    let err = jobs.by_display_name("malformed").get().await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_eq!(sim.stats().requests("GET", JOB_BY_NAME), 1);
    jobs.by_display_name("malformed").get().await.unwrap();
    sim.shutdown().await;
}

#[tokio::test]
async fn an_html_502_page_keeps_its_raw_body_and_status() {
    let sim = sim_with(FaultConfig::default()).await;
    let c = client(&sim, fast_retries());
    let jobs = c.solutions().migrations().cross_tenant_migration_jobs();

    sim.faults().inject_next(FaultKind::Html502, 1);
    let err = jobs.get().send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert!(!err.is_transient(), "502 is not retried");
    assert_eq!(err.code(), None);
    assert_eq!(err.message(), None);
    let svc = err.service().expect("a service error");
    assert_eq!(svc.attempts, 1);
    assert!(svc.error_json.is_none());
    let raw = svc.raw_body.as_deref().expect("the raw body is kept");
    assert!(raw.starts_with("<!DOCTYPE html>"), "{raw}");
    assert!(raw.contains("<h1>502 Bad Gateway</h1>"), "{raw}");
    assert!(
        svc.content_type
            .as_deref()
            .unwrap()
            .starts_with("text/html"),
        "{:?}",
        svc.content_type
    );
    assert!(svc.request_id.is_some(), "the request-id header is kept");
    let shown = err.to_string();
    assert!(
        shown.contains("502") && shown.contains("non-JSON body") && shown.contains("Bad Gateway"),
        "{shown}"
    );
    assert_eq!(sim.stats().requests("GET", JOBS), 1);
    assert_eq!(sim.stats().responses("GET", JOBS, 502), 1);

    // On a POST too, and nothing was created.
    sim.faults().inject_next(FaultKind::Html502, 1);
    let err = jobs.post(&job("behind-a-gateway")).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert!(sim.state().jobs().is_empty());
    sim.shutdown().await;
}
