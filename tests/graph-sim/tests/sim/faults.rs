//! Fault switches, counters, admin endpoints and the binary.

use std::time::{Duration, Instant};

use graph_sim::{FaultConfig, FaultKind, SimConfig};
use serde_json::json;

use crate::support::*;

fn job_body(name: &str) -> serde_json::Value {
    json!({
        "displayName": name,
        "completeAfterDateTime": "2025-05-22T17:14:52Z",
        "sourceTenantId": "12345678-1234-1234-1234-123456789012",
        "resources": ["b5b8bc4f-0e36-4ad3-8ddf-248b68260b89"],
        "workloads": ["Teams"],
        "resourceType": "Users"
    })
}

#[tokio::test]
async fn throttle_429_every_nth_with_retry_after() {
    let (sim, api) = sim_with(SimConfig {
        faults: FaultConfig {
            throttle_429_every: Some(2),
            retry_after_secs: 3,
            ..FaultConfig::default()
        },
        ..SimConfig::default()
    })
    .await;
    let statuses: Vec<u16> = {
        let mut v = Vec::new();
        for _ in 0..4 {
            v.push(api.get(JOBS).await.status);
        }
        v
    };
    assert_eq!(statuses, vec![200, 429, 200, 429]);
    let r = api.get(JOBS).await; // 5th: ok
    assert_eq!(r.status, 200);
    let r = api.get(JOBS).await; // 6th: throttled
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after").as_deref(), Some("3"));
    assert_eq!(r.error().0, "TooManyRequests");
    let s = sim.stats();
    assert_eq!(s.faults(FaultKind::Throttle429), 3);
    assert_eq!(s.requests("GET", JOBS), 6);
    assert_eq!(s.responses("GET", JOBS, 429), 3);
    assert_eq!(s.responses("GET", JOBS, 200), 3);

    // Runtime switch off.
    sim.faults().clear();
    for _ in 0..3 {
        assert_eq!(api.get(JOBS).await.status, 200);
    }
}

#[tokio::test]
async fn unavailable_503_and_one_shot_faults() {
    let (sim, api) = sim().await;
    sim.faults().update(|f| f.unavailable_503_every = Some(3));
    let got: Vec<u16> = {
        let mut v = Vec::new();
        for _ in 0..6 {
            v.push(api.get(TASKS).await.status);
        }
        v
    };
    assert_eq!(got, vec![200, 200, 503, 200, 200, 503]);
    let r = api.get(TASKS).await;
    assert_eq!(r.status, 200);
    sim.faults().clear();

    // A POST throttled once is not applied; the retry creates exactly one job.
    sim.faults().inject_next(FaultKind::Unavailable503, 1);
    let r = api.post(JOBS, job_body("once")).await;
    assert_eq!(r.status, 503);
    assert_eq!(r.header("retry-after").as_deref(), Some("1"));
    assert_eq!(r.error().0, "serviceNotAvailable");
    assert!(sim.state().jobs().is_empty());
    assert_eq!(api.post(JOBS, job_body("once")).await.status, 201);
    assert_eq!(sim.state().jobs().len(), 1);
    assert_eq!(sim.stats().requests("POST", JOBS), 2);
    assert_eq!(sim.stats().faults(FaultKind::Unavailable503), 3);
    assert_eq!(sim.faults().queued(), 0);
}

#[tokio::test]
async fn dropped_connections() {
    let (sim, api) = sim().await;
    sim.faults().inject_next(FaultKind::DropConnection, 1);
    let err = api.try_send("POST", JOBS, Some(job_body("dropped"))).await;
    assert!(
        err.is_err(),
        "the connection must be closed without a response"
    );
    assert_eq!(
        sim.stats().requests("POST", JOBS),
        1,
        "the client did not retry on its own"
    );
    assert!(
        sim.state().jobs().is_empty(),
        "a dropped request has no effect"
    );
    assert_eq!(sim.stats().faults(FaultKind::DropConnection), 1);
    // The server keeps serving new connections.
    assert_eq!(api.post(JOBS, job_body("dropped")).await.status, 201);

    sim.faults().set(FaultConfig {
        drop_connection_every: Some(2),
        ..FaultConfig::default()
    });
    assert!(api.try_send("GET", JOBS, None).await.is_ok());
    assert!(api.try_send("GET", JOBS, None).await.is_err());
    assert!(api.try_send("GET", JOBS, None).await.is_ok());
    assert_eq!(sim.stats().faults(FaultKind::DropConnection), 2);
}

#[tokio::test]
async fn slow_responses() {
    let (sim, api) = sim().await;
    sim.faults().set(FaultConfig {
        slow_every: Some(1),
        slow_delay_ms: 300,
        ..FaultConfig::default()
    });
    let t = Instant::now();
    assert_eq!(api.get(JOBS).await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(sim.stats().faults(FaultKind::Slow), 1);
    sim.faults().clear();
    // Whether a cleared fault is still applied is read from the counters,
    // not from a timing, which a loaded CI machine could stretch.
    assert_eq!(api.get(JOBS).await.status, 200);
    assert_eq!(sim.stats().faults(FaultKind::Slow), 1);
    // A slow request can time out on the client side.
    sim.faults().inject_next(FaultKind::Slow, 1);
    sim.faults().update(|f| f.slow_delay_ms = 2_000);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let r = client
        .get(format!("{}{JOBS}", api.base))
        .header("Authorization", "Bearer sim.*")
        .send()
        .await;
    assert!(r.unwrap_err().is_timeout());
}

#[tokio::test]
async fn malformed_json_and_html_502() {
    let (sim, api) = sim().await;
    // Malformed: the request IS processed (the job exists) but the body can't be parsed.
    sim.faults().inject_next(FaultKind::MalformedJson, 1);
    let r = api.post(JOBS, job_body("processed")).await;
    assert_eq!(r.status, 200);
    assert!(
        r.header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    assert!(serde_json::from_str::<serde_json::Value>(&r.text).is_err());
    assert_eq!(sim.state().jobs().len(), 1);
    assert_eq!(sim.stats().faults(FaultKind::MalformedJson), 1);

    sim.faults().set(FaultConfig {
        html_502_every: Some(1),
        ..FaultConfig::default()
    });
    let r = api.get(JOBS).await;
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text.contains("<html>"));
    assert_eq!(sim.stats().faults(FaultKind::Html502), 1);

    // path_contains scopes faults.
    sim.faults().set(FaultConfig {
        malformed_json_every: Some(1),
        path_contains: Some("sharePoint".into()),
        ..FaultConfig::default()
    });
    assert_eq!(
        api.get(JOBS).await.json()["value"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let r = api.get(TASKS).await;
    assert!(serde_json::from_str::<serde_json::Value>(&r.text).is_err());
}

#[tokio::test]
async fn admin_endpoints() {
    let (sim, api) = sim().await;
    let http = reqwest::Client::new();
    let base = sim.base_url();
    api.get(JOBS).await;
    let stats: serde_json::Value = http
        .get(format!("{base}/_sim/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["totalRequests"], 1);
    assert_eq!(stats["requests"][0]["template"], JOBS);

    let before = sim.clock().now();
    let r = http
        .post(format!("{base}/_sim/clock/advance?seconds=90"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(sim.clock().now() - before, time::Duration::seconds(90));

    let r = http
        .put(format!("{base}/_sim/faults"))
        .json(&json!({"throttle429Every": 1, "retryAfterSecs": 7}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(sim.faults().get().throttle_429_every, Some(1));
    let r = api.get(JOBS).await;
    assert_eq!(
        (r.status, r.header("retry-after").as_deref()),
        (429, Some("7"))
    );
    http.delete(format!("{base}/_sim/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.get(JOBS).await.status, 200);
    http.post(format!("{base}/_sim/stats/reset"))
        .send()
        .await
        .unwrap();
    assert_eq!(sim.stats().total_requests(), 0);
}

#[tokio::test]
async fn binary_prints_base_url_and_applies_flags() {
    let (mut child, base) = spawn_binary(&[
        "--port",
        "0",
        "--fault-429-every",
        "2",
        "--time-scale",
        "0",
        "--seed-jobs",
        "3",
    ])
    .await;
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let api = Api::new(&base);
    let first = api.get(&format!("{JOBS}/$count")).await;
    let second = api.get(&format!("{JOBS}/$count")).await;
    child.kill().ok();
    child.wait().ok();
    assert_eq!((first.status, first.text.as_str()), (200, "3"));
    assert_eq!(second.status, 429);
}
