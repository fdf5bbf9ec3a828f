//! The bearer token never shows in `Debug`, `Display`, errors (and their
//! source chains) or tracing output, through the generated builders and for
//! every kind of failure: service errors after retries, decode errors,
//! refused and dropped connections, timeouts, refused next links and
//! redirects, invalid requests, bad tokens; and the SDK's own log lines never
//! hold a request's URL. (sdk/tests/runtime_auth.rs covers
//! the runtime types and one service and one transport error; this extends
//! it to the generated surface and the remaining failure kinds.)

#![allow(deprecated)]

use std::error::Error as _;
use std::time::Duration;

use crate::support::security::*;
use futures::TryStreamExt;
use graph_migrations::Client;
use graph_migrations::models::CrossTenantMigrationJob;
use graph_migrations::runtime::{AccessToken, Error, token_fn};
use serde_json::json;

/// A server on loopback that reads each request and hangs up unanswered.
async fn dropping_server() -> std::net::SocketAddr {
    let dropper = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = dropper.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = dropper.accept().await {
            let mut buf = [0u8; 1024];
            let _ = tokio::io::AsyncReadExt::read(&mut s, &mut buf).await;
            drop(s);
        }
    });
    addr
}

/// `err`, its Debug and every source in its chain.
fn everything_shown(err: &Error) -> String {
    let mut out = format!("{err}\n{err:?}\n");
    let mut source = err.source();
    while let Some(s) = source {
        out.push_str(&format!("{s}\n{s:?}\n"));
        source = s.source();
    }
    out
}

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(TOKEN), "{what} shows the token:\n{text}");
    assert!(
        !text.contains("TOP-SECRET"),
        "{what} shows part of the token:\n{text}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn no_failure_shows_the_token() {
    let (cap, _guard) = capture_all_tracing();
    let server = RawServer::start(|r| {
        let t = r.target();
        if t.contains("/unavailable") {
            RawResponse::json(503, json!({"error": {"code": "serviceNotAvailable", "message": "later"}}))
                .with_header("Retry-After", "0")
        } else if t.contains("/forbidden") {
            RawResponse::json(403, json!({"error": {"code": "Forbidden", "message": "no", "innerError": {"request-id": "r1"}}}))
        } else if t.contains("/garbled") {
            RawResponse {
                status: 200,
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: b"{\"id\": 5, \"displayName\": [".to_vec(),
            }
        } else if t.contains("/redirect") {
            RawResponse::redirect(302, "http://127.0.0.1:9/elsewhere")
        } else {
            RawResponse::json(
                200,
                json!({"value": [{"id": "a"}], "@odata.nextLink": "http://127.0.0.1:9/beta/next"}),
            )
        }
    })
    .await;
    let client = server
        .client_builder()
        .retry_policy(fast_retry(2))
        .build()
        .unwrap();
    let jobs = client
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs();
    let body = CrossTenantMigrationJob::new().with_display_name("x".to_string());

    let mut errors: Vec<(&str, Error)> = vec![
        (
            "503 after retries",
            jobs.by_id("unavailable").get().await.unwrap_err(),
        ),
        ("403", jobs.by_id("forbidden").get().await.unwrap_err()),
        (
            "POST 403",
            jobs.by_id("forbidden")
                .patch(&body.edit())
                .await
                .unwrap_err(),
        ),
        ("decode", jobs.by_id("garbled").get().await.unwrap_err()),
        (
            "redirect",
            jobs.by_id("redirect").delete().await.unwrap_err(),
        ),
        (
            "next link",
            jobs.get()
                .items()
                .try_collect::<Vec<_>>()
                .await
                .unwrap_err(),
        ),
        ("invalid key", jobs.by_id("..").get().await.unwrap_err()),
    ];
    // Refused and dropped connections.
    let refused = Client::builder()
        .base_url("http://127.0.0.1:9/beta")
        .bearer_token(TOKEN)
        .retry_policy(fast_retry(1))
        .build()
        .unwrap();
    errors.push((
        "connection refused",
        refused
            .solutions()
            .migrations()
            .cross_tenant_migration_jobs()
            .post(&body)
            .await
            .unwrap_err(),
    ));
    let addr = dropping_server().await;
    let dropped = Client::builder()
        .base_url(format!("http://{addr}/beta"))
        .bearer_token(TOKEN)
        .retry_policy(fast_retry(1))
        .build()
        .unwrap();
    errors.push((
        "dropped connection",
        dropped
            .solutions()
            .migrations()
            .cross_tenant_migration_jobs()
            .by_id("j")
            .get()
            .await
            .unwrap_err(),
    ));
    // A server that accepts and never answers: the attempt times out.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_addr = silent.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = silent.accept().await {
            held.push(s);
        }
    });
    let slow = Client::builder()
        .base_url(format!("http://{silent_addr}/beta"))
        .bearer_token(TOKEN)
        .retry_policy(fast_retry(1))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    errors.push((
        "timeout",
        slow.solutions()
            .migrations()
            .cross_tenant_migration_jobs()
            .by_id("j")
            .get()
            .await
            .unwrap_err(),
    ));
    // A provider whose token cannot be a header value (it holds a newline).
    let bad = server
        .client_builder()
        .token_provider(token_fn(|_| async {
            Ok(AccessToken::new(format!("{TOKEN}\n")))
        }))
        .build()
        .unwrap();
    errors.push((
        "invalid token",
        bad.solutions()
            .migrations()
            .cross_tenant_migration_jobs()
            .by_id("j")
            .get()
            .await
            .unwrap_err(),
    ));

    assert_eq!(errors.len(), 11);
    for (what, err) in &errors {
        assert_clean(what, &everything_shown(err));
    }
    assert!(matches!(errors[0].1, Error::Service(_)));
    assert!(matches!(errors[3].1, Error::Decode(_)));
    assert!(matches!(errors[5].1, Error::InvalidNextLink { .. }));
    assert!(matches!(errors[6].1, Error::InvalidRequest(_)));
    for i in [7, 8, 9] {
        assert!(
            matches!(errors[i].1, Error::Transport { .. }),
            "{:?}",
            errors[i]
        );
    }
    assert!(matches!(errors[10].1, Error::Auth { .. }));

    // Debug of the client and of the generated builders.
    for (what, shown) in [
        ("client", format!("{client:?}")),
        (
            "builder",
            format!("{:?}", Client::builder().bearer_token(TOKEN)),
        ),
        ("jobs builder", format!("{jobs:?}")),
        ("item builder", format!("{:?}", jobs.by_id("j"))),
        ("users builder", format!("{:?}", jobs.by_id("j").users())),
    ] {
        assert_clean(what, &shown);
    }

    // The token did go on the wire (positive control) ...
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.header("authorization") == Some(&format!("Bearer {TOKEN}")))
    );
    // ... and TRACE output of every crate on this thread never has it.
    let out = cap.text();
    assert!(out.contains("graph.request"), "nothing captured");
    assert_clean("tracing output", &out);
    assert!(!out.to_ascii_lowercase().contains("bearer "), "{out}");
}

/// A transport failure is logged (each retry, and the final failure)
/// without the request's URL: keys and query options can be personal data
/// (`userPrincipalName` filters, mapping keys), and the SDK's own lines
/// name only the path template.
#[tokio::test(flavor = "current_thread")]
async fn transport_failures_are_logged_without_the_url() {
    let (cap, _guard) = capture_all_tracing();
    let addr = dropping_server().await;
    let client = Client::builder()
        .base_url(format!("http://{addr}/beta"))
        .bearer_token(TOKEN)
        .retry_policy(fast_retry(2))
        .build()
        .unwrap();
    let key = "person-7f3e@contoso.example";
    let err = client
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs()
        .by_id(key)
        .get()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(!everything_shown(&err).contains("7f3e"), "{err:?}");
    let ours: Vec<String> = cap
        .text()
        .lines()
        .filter(|l| l.contains("graph_migrations"))
        .map(str::to_string)
        .collect();
    // Positive control: the retries and the failure were logged.
    assert!(
        ours.iter()
            .any(|l| l.contains("retrying after transport error")),
        "{ours:#?}"
    );
    assert!(
        ours.iter().any(|l| l.contains("graph request failed")),
        "{ours:#?}"
    );
    for line in &ours {
        assert!(!line.contains("7f3e"), "logs the URL: {line}");
    }
}
