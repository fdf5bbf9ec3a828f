//! Retries: counts, Retry-After (seconds and HTTP date), disabled policy,
//! idempotency rules, client-request-id stability.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::support::*;
use graph_migrations::runtime::{Error, RequestPath, RetryPolicy};
use http::Method;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn jobs() -> RequestPath {
    RequestPath::root()
        .segment("solutions")
        .segment("migrations")
        .segment("crossTenantMigrationJobs")
}

async fn mount_ok(server: &MockServer, m: &str) {
    Mock::given(method(m))
        .and(path("/beta/solutions/migrations/crossTenantMigrationJobs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(server)
        .await;
}

/// A server whose `m` requests to the jobs collection get `failure` the
/// first `n` times, then 200 `{"ok": true}`.
async fn flaky(m: &str, failure: ResponseTemplate, n: u64) -> MockServer {
    let server = MockServer::start().await;
    mount_failures(&server, m, failure, n).await;
    mount_ok(&server, m).await;
    server
}

async fn mount_failures(server: &MockServer, m: &str, t: ResponseTemplate, n: u64) {
    Mock::given(method(m))
        .and(path("/beta/solutions/migrations/crossTenantMigrationJobs"))
        .respond_with(t)
        .up_to_n_times(n)
        .with_priority(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn retries_429_honouring_retry_after_seconds() {
    let server = flaky(
        "GET",
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
        2,
    )
    .await;
    let c = client(&server);
    let t = Instant::now();
    let v: Value = c.request(Method::GET, jobs()).send().await.unwrap();
    let elapsed = t.elapsed();
    assert_eq!(v, json!({"ok": true}));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    // two waits of (at least) one second each, not the 5 ms backoff
    assert!(elapsed >= Duration::from_millis(1950), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
}

#[tokio::test]
async fn retries_503_honouring_retry_after_http_date() {
    let server = MockServer::start().await;
    // An HTTP date 2 s ahead (second resolution: the wait is in (1 s, 2 s]).
    let when = time::OffsetDateTime::now_utc() + time::Duration::seconds(2);
    let fmt = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let date = when.format(fmt).unwrap();
    mount_failures(
        &server,
        "GET",
        ResponseTemplate::new(503).insert_header("Retry-After", date.as_str()),
        1,
    )
    .await;
    mount_ok(&server, "GET").await;
    let c = client(&server);
    let t = Instant::now();
    let _: Value = c.request(Method::GET, jobs()).send().await.unwrap();
    let elapsed = t.elapsed();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[tokio::test]
async fn gives_up_after_max_retries_and_reports_attempts() {
    let server = flaky(
        "GET",
        ResponseTemplate::new(504).set_body_string("<html>gateway timeout</html>"),
        100,
    )
    .await;
    let c = builder(&server)
        .retry_policy(fast_retry(2))
        .build()
        .unwrap();
    let err = c
        .request(Method::GET, jobs())
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    let svc = err.service().expect("service error");
    assert_eq!(svc.status.as_u16(), 504);
    assert_eq!(svc.attempts, 3);
    assert!(err.is_transient());
}

/// Every GET answered with `failure` under `policy`: the error, how long
/// the request took, and how many were sent.
async fn failing_get(
    failure: ResponseTemplate,
    policy: RetryPolicy,
) -> (graph_migrations::Error, Duration, usize) {
    let server = MockServer::start().await;
    mount_failures(&server, "GET", failure, 10).await;
    let c = builder(&server).retry_policy(policy).build().unwrap();
    let t = Instant::now();
    let err = c
        .request(Method::GET, jobs())
        .send::<Value>()
        .await
        .unwrap_err();
    let sent = server.received_requests().await.unwrap().len();
    (err, t.elapsed(), sent)
}

/// A 429 with `header: value`, under a 5 s retry budget.
async fn throttled_with(header: &str, value: &str) -> (graph_migrations::Error, Duration, usize) {
    failing_get(
        ResponseTemplate::new(429).insert_header(header, value),
        fast_retry(3).with_max_total(Duration::from_secs(5)),
    )
    .await
}

#[tokio::test]
async fn retry_after_longer_than_budget_is_not_waited_for() {
    let (err, took, sent) = throttled_with("Retry-After", "3600").await;
    assert!(took < Duration::from_secs(2));
    assert!(err.is_throttled());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(sent, 1);
}

/// A server's `Retry-After` is untrusted: values no `Duration` holds
/// (`1e20` seconds), or that overflow a deadline (`u64::MAX` seconds), are
/// read as a day, longer than any retry budget, and end the retries
/// without a panic.
#[tokio::test]
async fn absurd_retry_after_values_end_the_retries_without_panicking() {
    let day = Duration::from_secs(24 * 60 * 60);
    for (header, value) in [
        ("Retry-After", "18446744073709551615"),
        ("Retry-After", "1e20"),
        ("Retry-After", "1.7976931348623157e308"),
        ("retry-after-ms", "1e30"),
        ("x-ms-retry-after-ms", "18446744073709551615000"),
    ] {
        let (err, took, sent) = throttled_with(header, value).await;
        assert!(took < Duration::from_secs(2), "{header}: {value}");
        assert!(err.is_throttled(), "{header}: {value}: {err:?}");
        assert_eq!(err.retry_after(), Some(day), "{header}: {value}");
        assert_eq!(sent, 1, "{header}: {value}");
    }
}

/// A policy whose delays saturate at `Duration::MAX` stops retrying when
/// the budget is spent instead of overflowing the deadline.
#[tokio::test]
async fn a_policy_with_unbounded_delays_stops_at_its_budget() {
    let (err, took, sent) = failing_get(
        ResponseTemplate::new(503),
        RetryPolicy::default()
            .with_max_retries(5)
            .with_initial_delay(Duration::MAX)
            .with_max_delay(Duration::MAX)
            .with_max_total(Duration::from_secs(5)),
    )
    .await;
    assert!(took < Duration::from_secs(2));
    assert_eq!(err.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(sent, 1);
}

#[tokio::test]
async fn no_retry_when_disabled() {
    let server = MockServer::start().await;
    mount_failures(&server, "GET", ResponseTemplate::new(503), 5).await;
    let c = builder(&server)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = c
        .request(Method::GET, jobs())
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 503);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn same_client_request_id_across_retries_and_new_one_per_request() {
    let server = flaky(
        "GET",
        ResponseTemplate::new(503).insert_header("Retry-After", "0"),
        2,
    )
    .await;
    let c = client(&server);
    let _: Value = c.request(Method::GET, jobs()).send().await.unwrap();
    let _: Value = c.request(Method::GET, jobs()).send().await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 4);
    let ids: Vec<String> = reqs
        .iter()
        .map(|r| {
            r.headers
                .get("client-request-id")
                .unwrap()
                .to_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids[0], ids[1]);
    assert_eq!(ids[1], ids[2]);
    assert_ne!(ids[2], ids[3]);
    let u = uuid::Uuid::parse_str(&ids[0]).unwrap();
    assert_eq!(u.get_version_num(), 4);
    // standard headers
    let r = &reqs[0];
    assert_eq!(
        r.headers.get("user-agent").unwrap(),
        &format!("graph-migrations/{}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        r.headers.get("authorization").unwrap(),
        &format!("Bearer {TOKEN}")
    );
}

#[tokio::test]
async fn post_retried_on_429_and_on_503_with_retry_after_only() {
    // 429: the request was not processed -> retried
    let server = flaky(
        "POST",
        ResponseTemplate::new(429).insert_header("Retry-After", "0"),
        1,
    )
    .await;
    let c = client(&server);
    let _: Value = c
        .request(Method::POST, jobs())
        .json(&json!({"displayName": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    // 503 with Retry-After -> retried
    let server = flaky(
        "POST",
        ResponseTemplate::new(503).insert_header("Retry-After", "0"),
        1,
    )
    .await;
    let c = client(&server);
    let _: Value = c.request(Method::POST, jobs()).send().await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    // 503 without Retry-After, and 504: may have been processed -> not retried
    for status in [503u16, 504] {
        let server = flaky("POST", ResponseTemplate::new(status), 1).await;
        let c = client(&server);
        let err = c
            .request(Method::POST, jobs())
            .send::<Value>()
            .await
            .unwrap_err();
        assert_eq!(err.status().unwrap().as_u16(), status);
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
        // PATCH behaves the same
        let err = c
            .request(Method::PATCH, jobs())
            .send_empty()
            .await
            .unwrap_err();
        assert!(err.status().is_some());
    }
}

#[tokio::test]
async fn non_retryable_statuses_are_not_retried() {
    let server = MockServer::start().await;
    mount_failures(&server, "GET", ResponseTemplate::new(500), 5).await;
    let c = client(&server);
    let err = c
        .request(Method::GET, jobs())
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 500);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// A server that accepts TCP connections, reads a little, and closes them
/// without answering. Counts connections.
async fn hang_up_server() -> (String, Arc<AtomicU32>) {
    scripted_raw_server(vec![""]).await
}

#[tokio::test]
async fn connection_errors_retried_only_for_idempotent_methods() {
    let (base, count) = hang_up_server().await;
    let c = graph_migrations::Client::builder()
        .base_url(&base)
        .bearer_token(TOKEN)
        .retry_policy(fast_retry(2))
        .build()
        .unwrap();

    for m in [Method::GET, Method::PUT, Method::DELETE] {
        count.store(0, Ordering::SeqCst);
        let err = c.request(m.clone(), jobs()).send_empty().await.unwrap_err();
        match &err {
            Error::Transport { attempts, .. } => assert_eq!(*attempts, 3, "{m}"),
            other => panic!("expected transport error, got {other:?}"),
        }
        assert_eq!(count.load(Ordering::SeqCst), 3, "{m}");
    }
    for m in [Method::POST, Method::PATCH] {
        count.store(0, Ordering::SeqCst);
        let err = c
            .request(m.clone(), jobs())
            .json(&json!({}))
            .send_empty()
            .await
            .unwrap_err();
        match &err {
            Error::Transport { attempts, .. } => assert_eq!(*attempts, 1, "{m}"),
            other => panic!("expected transport error, got {other:?}"),
        }
        assert_eq!(count.load(Ordering::SeqCst), 1, "{m}");
    }
}

#[tokio::test]
async fn connect_failures_are_retried_even_for_post() {
    // Nothing listens on this port: the request is never sent.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = graph_migrations::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}/beta"))
        .retry_policy(fast_retry(2))
        .build()
        .unwrap();
    let err = c
        .request(Method::POST, jobs())
        .json(&json!({}))
        .send_empty()
        .await
        .unwrap_err();
    match &err {
        Error::Transport {
            attempts, source, ..
        } => {
            assert_eq!(*attempts, 3);
            assert!(source.is_connect(), "{source:?}");
            assert!(!source.is_timeout(), "{source:?}");
        }
        other => panic!("expected transport error, got {other:?}"),
    }
    // The cause chain goes down to the refused connection.
    let mut chain = std::iter::successors(Some(&err as &(dyn std::error::Error + 'static)), |e| {
        e.source()
    });
    assert!(
        chain.any(|e| e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)),
        "no io::Error ConnectionRefused in the chain of {err:?}"
    );
}

#[tokio::test]
async fn a_timed_out_attempt_is_a_timeout_transport_error() {
    // Accepts, reads, and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            open.push(sock);
        }
    });
    let c = graph_migrations::Client::builder()
        .base_url(format!("http://{addr}/beta"))
        .retry_policy(fast_retry(0))
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let err = c
        .request(Method::GET, jobs())
        .send_empty()
        .await
        .unwrap_err();
    match &err {
        Error::Transport { source, .. } => {
            assert!(source.is_timeout(), "{source:?}");
            assert!(!source.is_connect(), "{source:?}");
        }
        other => panic!("expected transport error, got {other:?}"),
    }
    assert!(err.is_transient());
    assert!(err.to_string().contains("client-request-id"), "{err}");
}

/// The `client-request-id` the SDK sent, read back from what the server received.
async fn sent_id(server: &MockServer) -> String {
    let reqs = server.received_requests().await.unwrap();
    let last = reqs.last().expect("a request was sent");
    last.headers["client-request-id"]
        .to_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn every_error_names_the_client_request_id_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/beta/broken"))
        .respond_with(ResponseTemplate::new(500).set_body_string("<html>gateway</html>"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/garbled"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{\"id\": [", "application/json"))
        .mount(&server)
        .await;
    let c = builder(&server)
        .retry_policy(fast_retry(0))
        .build()
        .unwrap();

    // A service error the service did not stamp with our id.
    let err = c
        .request(Method::GET, RequestPath::root().segment("broken"))
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    let sent = sent_id(&server).await;
    assert_eq!(err.client_request_id(), Some(sent.as_str()));
    assert!(
        err.to_string()
            .contains(&format!("client-request-id {sent}")),
        "{err}"
    );

    // A body that does not decode.
    let err = c
        .request(Method::GET, RequestPath::root().segment("garbled"))
        .send::<Value>()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_eq!(
        err.client_request_id(),
        Some(sent_id(&server).await.as_str())
    );

    // No response at all: the id generated for the request, or the caller's.
    let (base, _) = hang_up_server().await;
    let dead = graph_migrations::Client::builder()
        .base_url(&base)
        .retry_policy(fast_retry(1))
        .build()
        .unwrap();
    let err = dead
        .request(Method::GET, jobs())
        .send_empty()
        .await
        .unwrap_err();
    let id = err
        .client_request_id()
        .expect("a transport error keeps the id");
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 4);
    let err = dead
        .request(Method::GET, jobs())
        .header("client-request-id", "migration-wave-7")
        .send_empty()
        .await
        .unwrap_err();
    assert_eq!(err.client_request_id(), Some("migration-wave-7"));
    assert!(
        err.to_string()
            .contains("after 2 attempt(s) (client-request-id migration-wave-7)"),
        "{err}"
    );
}

/// A response whose status came and whose body was cut off: the status
/// decides. A 429 is retried after its `Retry-After`, even for a `POST`; a
/// 201 was applied, so the `POST` is not sent again, and the error keeps
/// the status and the `request-id`; a 503 that stays cut off ends as that
/// 503, with its ids.
#[tokio::test]
async fn a_response_cut_off_after_its_status_keeps_the_status() {
    const CUT_429: &str = "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nrequest-id: r429\r\ncontent-type: application/json\r\nContent-Length: 200\r\n\r\n{\"error\":";
    const NO_CONTENT: &str =
        "HTTP/1.1 204 No Content\r\nrequest-id: r204\r\nContent-Length: 0\r\n\r\n";
    const CUT_201: &str = "HTTP/1.1 201 Created\r\nrequest-id: r201\r\ncontent-type: application/json\r\nContent-Length: 200\r\n\r\n{\"id\":";
    const CUT_503: &str = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 0\r\nrequest-id: r503\r\nContent-Length: 200\r\n\r\n{";
    let client = |base: &str| {
        graph_migrations::Client::builder()
            .base_url(base)
            .bearer_token(TOKEN)
            .retry_policy(fast_retry(2))
            .build()
            .unwrap()
    };

    let (base, count) = scripted_raw_server(vec![CUT_429, NO_CONTENT]).await;
    let started = Instant::now();
    client(&base)
        .request(Method::POST, jobs())
        .json(&json!({}))
        .send_empty()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(count.load(Ordering::SeqCst), 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After kept"
    );

    let (base, count) = scripted_raw_server(vec![CUT_201]).await;
    let err = client(&base)
        .request(Method::POST, jobs())
        .json(&json!({}))
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 1, "a 201 is not sent again");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(201));
    assert_eq!(err.request_id(), Some("r201"));
    // Applied: not worth sending again, whatever the error's kind.
    assert!(!err.is_transient(), "{err:?}");
    let shown = err.to_string();
    assert!(
        shown.contains("201 Created") && shown.contains("r201"),
        "{shown}"
    );

    // A `GET` may be sent again: its cut-off 200 is transient.
    const CUT_200: &str = "HTTP/1.1 200 OK\r\nrequest-id: r200\r\nContent-Length: 200\r\n\r\n{";
    let (base, _) = scripted_raw_server(vec![CUT_200]).await;
    let err = client(&base)
        .request(Method::GET, jobs())
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200), "{err:?}");
    assert!(err.is_transient(), "{err:?}");

    let (base, count) = scripted_raw_server(vec![CUT_503]).await;
    let err = client(&base)
        .request(Method::GET, jobs())
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 3);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "{err:?}");
    assert_eq!(err.request_id(), Some("r503"));
}

/// `was_not_processed`: the rule the client's own retries follow for a
/// `POST`, for callers that send again themselves (the bulk example).
#[tokio::test]
async fn what_was_not_processed_is_safe_to_send_again() {
    let post = |base: String| async move {
        graph_migrations::Client::builder()
            .base_url(base)
            .bearer_token(TOKEN)
            .retry_policy(RetryPolicy::disabled())
            .build()
            .unwrap()
            .request(Method::POST, jobs())
            .json(&json!({}))
            .send_empty()
            .await
            .unwrap_err()
    };
    // No connection: nothing reached the service.
    let refused = post("http://127.0.0.1:9/beta".into()).await;
    assert!(refused.was_not_processed(), "{refused:?}");
    for (status, retry_after, expected) in [
        (429, None, true),
        (503, Some("1"), true),
        (503, None, false),
        (500, None, false),
    ] {
        let server = MockServer::start().await;
        let mut answer = ResponseTemplate::new(status);
        if let Some(ra) = retry_after {
            answer = answer.insert_header("Retry-After", ra);
        }
        Mock::given(method("POST"))
            .respond_with(answer)
            .mount(&server)
            .await;
        let err = post(format!("{}/beta", server.uri())).await;
        assert_eq!(
            err.was_not_processed(),
            expected,
            "{status} {retry_after:?}"
        );
    }
    // A 201 cut off was applied.
    const CUT_201: &str = "HTTP/1.1 201 Created\r\nContent-Length: 50\r\n\r\n{";
    let (base, _) = scripted_raw_server(vec![CUT_201]).await;
    assert!(!post(base).await.was_not_processed());
}
