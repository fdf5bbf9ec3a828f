//! Authentication and token redaction (Debug, Display, errors, tracing output).

use std::sync::{Arc, Mutex};

use crate::support::*;
use graph_migrations::runtime::{
    AccessToken, Cloud, Error, RequestPath, Secret, StaticToken, TokenProvider, token_fn,
};
use http::Method;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn job(id: &str) -> RequestPath {
    RequestPath::root()
        .segment("solutions")
        .segment("migrations")
        .segment("crossTenantMigrationJobs")
        .key("crossTenantMigrationJob-id", id)
}

#[test]
fn secret_and_token_types_redact() {
    let s = Secret::new(TOKEN);
    assert!(!format!("{s:?}").contains("SECRET"));
    assert!(!format!("{s}").contains("SECRET"));
    assert_eq!(s.expose_secret(), TOKEN);
    let t = AccessToken::new(TOKEN);
    assert!(!format!("{t:?}").contains("SECRET"));
    let p = StaticToken::new(TOKEN);
    assert!(!format!("{p:?}").contains("SECRET"));
    let c = graph_migrations::Client::builder()
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    assert!(!format!("{c:?}").contains("SECRET"));
    let b = graph_migrations::Client::builder().bearer_token(TOKEN);
    assert!(!format!("{b:?}").contains("SECRET"));
}

#[tokio::test]
async fn token_never_in_errors_or_tracing() {
    let (cap, _guard) = capture_tracing();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(
            "/beta/solutions/migrations/crossTenantMigrationJobs/job-secret-key",
        ))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("Retry-After", "0")
                .set_body_json(
                    json!({"error": {"code": "serviceUnavailable", "message": "later"}}),
                ),
        )
        .mount(&server)
        .await;
    let c = builder(&server)
        .retry_policy(fast_retry(1))
        .build()
        .unwrap();
    let err = c
        .request(Method::GET, job("job-secret-key"))
        .send::<serde_json::Value>()
        .await
        .unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("SUPER-SECRET"), "{shown}");
    // a transport error too
    let dead = graph_migrations::Client::builder()
        .base_url("http://127.0.0.1:9/beta")
        .bearer_token(TOKEN)
        .retry_policy(fast_retry(0))
        .build()
        .unwrap();
    let err = dead
        .request(Method::GET, job("x"))
        .send_empty()
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("SUPER-SECRET"), "{shown}");

    let out = cap.text();
    assert!(!out.is_empty());
    assert!(
        !out.contains("SUPER-SECRET"),
        "token leaked into tracing:\n{out}"
    );
    // our spans carry the path template, method, status and attempt, not the URL
    let ours: Vec<&str> = out.lines().filter(|l| l.contains("graph.")).collect();
    assert!(!ours.is_empty(), "{out}");
    let joined = ours.join("\n");
    assert!(
        joined.contains(
            "path=/solutions/migrations/crossTenantMigrationJobs/{crossTenantMigrationJob-id}"
        ),
        "{joined}"
    );
    assert!(joined.contains("method=GET"), "{joined}");
    assert!(joined.contains("status=503"), "{joined}");
    assert!(joined.contains("attempt=2"), "{joined}");
    assert!(joined.contains("duration_ms="), "{joined}");
    assert!(!joined.contains("job-secret-key"), "{joined}");
    assert!(!joined.contains(&server.uri()), "{joined}");
}

#[tokio::test]
async fn provider_receives_cloud_scope_and_is_called_per_attempt() {
    let server = answering_ok().await;
    let seen: Arc<Mutex<Vec<Vec<String>>>> = Arc::default();
    let s2 = seen.clone();
    let c = graph_migrations::Client::builder()
        .cloud(Cloud::UsGov)
        .base_url(format!("{}/beta", server.uri()))
        .token_provider(token_fn(move |scopes| {
            s2.lock().unwrap().push(scopes);
            async { Ok(AccessToken::new("t1")) }
        }))
        .build()
        .unwrap();
    let _: serde_json::Value = c.request(Method::GET, job("a")).send().await.unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        vec![vec!["https://graph.microsoft.us/.default".to_string()]]
    );
    let r = &server.received_requests().await.unwrap()[0];
    assert_eq!(r.headers.get("authorization").unwrap(), "Bearer t1");
}

#[tokio::test]
async fn provider_failure_is_an_auth_error_and_nothing_is_sent() {
    let server = MockServer::start().await;
    struct Failing;
    impl TokenProvider for Failing {
        fn token<'a>(
            &'a self,
            _scopes: &'a [&'a str],
        ) -> graph_migrations::runtime::BoxFuture<'a, graph_migrations::Result<AccessToken>>
        {
            Box::pin(async {
                let cause = std::io::Error::other("vault unreachable");
                Err(Error::auth_from("no credential", cause))
            })
        }
    }
    let c = graph_migrations::Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .token_provider(Failing)
        .build()
        .unwrap();
    let err = c
        .request(Method::GET, job("a"))
        .send_empty()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Auth { .. }), "{err:?}");
    assert_eq!(err.to_string(), "authentication failed: no credential");
    let cause = std::error::Error::source(&err).expect("the provider's cause is kept");
    assert_eq!(cause.to_string(), "vault unreachable");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[cfg(feature = "azure-identity")]
#[tokio::test]
async fn azure_credential_adapter() {
    use azure_core::credentials::{TokenCredential, TokenRequestOptions};

    #[derive(Debug)]
    struct Fake(Mutex<Vec<String>>);
    // `TokenCredential` is an `async_trait`; this is its desugared form.
    impl TokenCredential for Fake {
        fn get_token<'a, 'b, 'c, 'd, 't>(
            &'a self,
            scopes: &'b [&'c str],
            _options: Option<TokenRequestOptions<'d>>,
        ) -> std::pin::Pin<
            Box<
                dyn std::future::Future<
                        Output = azure_core::Result<azure_core::credentials::AccessToken>,
                    > + Send
                    + 't,
            >,
        >
        where
            'a: 't,
            'b: 't,
            'c: 't,
            'd: 't,
            Self: 't,
        {
            Box::pin(async move {
                self.0
                    .lock()
                    .unwrap()
                    .extend(scopes.iter().map(|s| s.to_string()));
                Ok(azure_core::credentials::AccessToken::new(
                    "azure-token",
                    time::OffsetDateTime::now_utc() + time::Duration::hours(1),
                ))
            })
        }
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer azure-token"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let fake = Arc::new(Fake(Mutex::default()));
    let c = graph_migrations::Client::builder()
        .cloud(Cloud::China)
        .base_url(format!("{}/beta", server.uri()))
        .credential(fake.clone())
        .build()
        .unwrap();
    c.request(Method::GET, job("a")).send_empty().await.unwrap();
    assert_eq!(
        *fake.0.lock().unwrap(),
        vec!["https://microsoftgraph.chinacloudapi.cn/.default".to_string()]
    );
    server.verify().await;
}

/// A provider whose tokens say when they expire, counting its calls.
fn counting_provider(
    calls: Arc<std::sync::atomic::AtomicUsize>,
    lifetime: time::Duration,
) -> impl graph_migrations::runtime::TokenProvider {
    token_fn(move |_| {
        let n = calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        async move {
            Ok(AccessToken::with_expiry(
                format!("t{n}"),
                time::OffsetDateTime::now_utc() + lifetime,
            ))
        }
    })
}

/// A token that says when it expires is reused until five minutes before
/// then, and asked for once by concurrent requests: a credential that does
/// not cache (`AzureCliCredential` runs `az`) is not asked before every
/// request, page and poll.
#[tokio::test]
async fn a_token_with_an_expiry_is_reused_until_shortly_before_it() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let server = answering_ok().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let c = graph_migrations::Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .token_provider(counting_provider(calls.clone(), time::Duration::hours(1)))
        .build()
        .unwrap();
    let sends = (0..8).map(|i| {
        let c = c.clone();
        async move {
            c.request(Method::GET, job(&format!("j{i}")))
                .send::<serde_json::Value>()
                .await
        }
    });
    for r in futures::future::join_all(sends).await {
        r.unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let received = server.received_requests().await.unwrap();
    assert!(
        received
            .iter()
            .all(|r| r.headers.get("authorization").unwrap() == "Bearer t1")
    );

    // A token within five minutes of its expiry is asked for anew each time.
    let calls = Arc::new(AtomicUsize::new(0));
    let c = graph_migrations::Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .token_provider(counting_provider(calls.clone(), time::Duration::minutes(4)))
        .build()
        .unwrap();
    for _ in 0..3 {
        let _: serde_json::Value = c.request(Method::GET, job("a")).send().await.unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

/// A 401 (a revoked token, or one that expired early) makes the client ask
/// its provider again and resend once; a second 401 is the answer. A token
/// already expired when the provider hands it over is not sent.
#[tokio::test]
async fn a_refused_token_is_replaced_once_and_an_expired_one_never_sent() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::header("authorization", "Bearer t1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": {"code": "InvalidAuthenticationToken", "message": "revoked"}}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let c = graph_migrations::Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .token_provider(counting_provider(calls.clone(), time::Duration::hours(1)))
        .build()
        .unwrap();
    let v: serde_json::Value = c.request(Method::GET, job("a")).send().await.unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    // A static token refused twice: one resend, then the 401.
    let refusing = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&refusing)
        .await;
    let c = graph_migrations::Client::builder()
        .base_url(format!("{}/beta", refusing.uri()))
        .bearer_token("static")
        .build()
        .unwrap();
    let err = c
        .request(Method::GET, job("a"))
        .send::<serde_json::Value>()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::UNAUTHORIZED));
    assert_eq!(refusing.received_requests().await.unwrap().len(), 2);

    let expired = graph_migrations::Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .token_provider(token_fn(|_| async {
            Ok(AccessToken::with_expiry(
                "old",
                time::OffsetDateTime::now_utc() - time::Duration::minutes(1),
            ))
        }))
        .build()
        .unwrap();
    let before = server.received_requests().await.unwrap().len();
    let err = expired
        .request(Method::GET, job("a"))
        .send::<serde_json::Value>()
        .await
        .unwrap_err();
    assert!(
        matches!(err, graph_migrations::Error::Auth { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("already expired"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), before);
}

/// A base URL that does not parse is shown in the error, without the user
/// name and password it may carry.
#[test]
fn an_unparsable_base_url_does_not_show_its_credentials() {
    for url in [
        "https://app:S3cret@graph.microsoft.com:99999/beta",
        "https://S3cret@graph.microsoft.com:99999",
        "https://app:S3cret@@graph.microsoft.com:99999/beta?x=1",
        // What a parser refused need not have the usual shape.
        "https://app:S3c/ret@graph.microsoft.com:99999/beta",
        "https://app:S3c#ret@graph.microsoft.com:99999",
        "https:/app:S3cret@graph.microsoft.com:99999",
    ] {
        let builder = graph_migrations::Client::builder()
            .base_url(url)
            .bearer_token("t");
        let debug = format!("{builder:?}");
        let err = builder.build().unwrap_err();
        let shown = format!("{err} {err:?} {debug}");
        for secret in ["S3cret", "S3c/ret", "S3c#ret"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("graph.microsoft.com:99999"), "{shown}");
    }
}

/// A 401 makes the client ask the provider again; when the provider then
/// fails, the error is the provider's, with the 401 kept: its status,
/// Graph code and request id, which support can look up.
#[tokio::test]
async fn a_provider_failing_after_a_401_keeps_the_401() {
    use std::sync::atomic::{AtomicU32, Ordering};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("request-id", "rid-401")
                .set_body_json(serde_json::json!({"error": {
                    "code": "InvalidAuthenticationToken", "message": "Token revoked."}})),
        )
        .mount(&server)
        .await;
    let asked = Arc::new(AtomicU32::new(0));
    let c = graph_migrations::Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .token_provider(token_fn(move |_| {
            let n = asked.fetch_add(1, Ordering::SeqCst);
            async move {
                if n == 0 {
                    Ok(AccessToken::new("t1"))
                } else {
                    Err(Error::auth("the client secret expired"))
                }
            }
        }))
        .build()
        .unwrap();
    let err = c
        .request(Method::GET, job("a"))
        .send_empty()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Auth { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(err.request_id(), Some("rid-401"));
    assert_eq!(err.code(), Some("InvalidAuthenticationToken"));
    let shown = err.to_string();
    assert!(
        shown.starts_with("authentication failed: the client secret expired, after a 401")
            && shown.contains("rid-401"),
        "{shown}"
    );
    assert!(!shown.contains("t1"), "{shown}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
