//! Host pinning through the generated request builders: an
//! `@odata.nextLink` or a redirect that points at another origin never
//! receives the Authorization header (here: never receives anything), and an
//! `http://` base URL is refused unless the host is loopback.
//!
//! Two raw loopback servers on different ports are two origins; the other
//! one records every byte that reaches it.

#![allow(deprecated)]

use futures::TryStreamExt;
use graph_migrations::models::CrossTenantMigrationJob;
use std::sync::{Arc, Mutex};

use crate::support::security::*;
use graph_migrations::runtime::Error;
use graph_migrations::{Client, Field};
use serde_json::json;

const JOBS: &str = "/beta/solutions/migrations/crossTenantMigrationJobs";

/// Links that must be refused for a client whose base is `a`, where `b` is
/// another origin on loopback.
fn foreign_links(a: &RawServer, b: &RawServer) -> Vec<String> {
    let (pa, pb) = (a.addr.port(), b.addr.port());
    vec![
        // another port
        format!("{}{JOBS}?$skiptoken=2", b.origin()),
        // another host name for the same port (not the same origin)
        format!("http://localhost:{pa}{JOBS}?$skiptoken=2"),
        // another scheme
        format!("https://127.0.0.1:{pa}{JOBS}?$skiptoken=2"),
        // user info that names the base, the host is b
        format!("http://127.0.0.1:{pa}@127.0.0.1:{pb}{JOBS}"),
        // credentials on the right origin
        format!("http://user:pass@127.0.0.1:{pa}{JOBS}?$skiptoken=2"),
        // scheme-relative and relative links
        format!("//127.0.0.1:{pb}{JOBS}"),
        format!("{JOBS}?$skiptoken=2"),
        // odd spellings
        format!("HTTP://127.0.0.1:{pb}{JOBS}"),
        format!("http://127.0.0.1:{pb}\\{JOBS}"),
        format!("http:127.0.0.1:{pb}{JOBS}"),
        "javascript:alert(1)".into(),
        "file:///etc/passwd".into(),
        "".into(),
    ]
}

#[tokio::test]
async fn next_links_to_another_origin_are_refused_and_the_other_origin_gets_nothing() {
    let b = RawServer::start(|_| RawResponse::json(200, json!({"value": []}))).await;
    let next: Arc<Mutex<String>> = Arc::default();
    let n2 = next.clone();
    let a = RawServer::start(move |_| {
        RawResponse::json(
            200,
            json!({"value": [{"id": "j1"}], "@odata.nextLink": n2.lock().unwrap().clone()}),
        )
    })
    .await;
    let client = a.client();
    let jobs = client
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs();
    for link in foreign_links(&a, &b) {
        *next.lock().unwrap() = link.clone();
        let before = a.count();
        let mut items = Box::pin(jobs.get().top(1).items());
        let first: CrossTenantMigrationJob = items.try_next().await.unwrap().unwrap();
        assert_eq!(first.id, Field::Set("j1".to_string()));
        match items.try_next().await {
            Err(Error::InvalidNextLink {
                expected_origin, ..
            }) => assert_eq!(expected_origin, a.origin()),
            other => panic!("{link:?}: expected InvalidNextLink, got {other:?}"),
        }
        assert_eq!(a.count(), before + 1, "{link:?} was followed on the base");
        // A saved link cannot be resumed across origins either.
        assert!(matches!(
            client.request_url(http::Method::GET, &link, "/jobs"),
            Err(Error::InvalidNextLink { .. })
        ));
    }
    assert_eq!(b.count(), 0, "the other origin was contacted");
    // The first pages did carry the token: the refusal is not a lack of auth.
    assert!(
        a.requests()
            .iter()
            .all(|r| r.header("authorization") == Some(&format!("Bearer {TOKEN}")))
    );
}

/// A server whose responder knows the server's own origin.
async fn self_aware(
    f: impl Fn(&str, &RawRequest) -> RawResponse + Send + Sync + 'static,
) -> RawServer {
    let me: Arc<Mutex<String>> = Arc::default();
    let me2 = me.clone();
    let server = RawServer::start(move |r| f(&me2.lock().unwrap(), r)).await;
    *me.lock().unwrap() = server.origin();
    server
}

#[tokio::test]
async fn same_origin_next_links_are_followed_with_the_token() {
    let a = self_aware(|origin, r| {
        if r.target().contains("skiptoken") {
            RawResponse::json(200, json!({"value": [{"id": "j2"}]}))
        } else {
            RawResponse::json(
                200,
                json!({"value": [{"id": "j1"}], "@odata.nextLink": format!("{origin}{JOBS}?$skiptoken=2")}),
            )
        }
    })
    .await;
    let items: Vec<CrossTenantMigrationJob> = a
        .client()
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs()
        .get()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
    let reqs = a.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].target(), format!("{JOBS}?$skiptoken=2"));
    assert!(
        reqs.iter()
            .all(|r| r.header("authorization") == Some(&format!("Bearer {TOKEN}")))
    );
}

#[tokio::test]
async fn redirects_to_another_origin_are_not_followed_for_any_method() {
    let b = RawServer::start(|_| RawResponse::json(200, json!({"id": "stolen"}))).await;
    let target: Arc<Mutex<String>> = Arc::default();
    let t2 = target.clone();
    let status: Arc<Mutex<u16>> = Arc::new(Mutex::new(302));
    let s2 = status.clone();
    let a = self_aware(move |origin, r| {
        // A same-origin hop first, then the foreign target: chains are
        // checked at every hop.
        if r.target().ends_with("/hop") {
            RawResponse::redirect(*s2.lock().unwrap(), &t2.lock().unwrap())
        } else if r.target().contains("/chain") {
            RawResponse::redirect(*s2.lock().unwrap(), &format!("{origin}/beta/hop"))
        } else {
            RawResponse::redirect(*s2.lock().unwrap(), &t2.lock().unwrap())
        }
    })
    .await;
    let (pa, pb) = (a.addr.port(), b.addr.port());
    let client = a.client();
    let jobs = client
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs();
    for code in [301, 302, 303, 307, 308] {
        *status.lock().unwrap() = code;
        for location in [
            format!("{}/beta/steal", b.origin()),
            format!("http://localhost:{pa}/beta/steal"),
            format!("//127.0.0.1:{pb}/beta/steal"),
            format!("http://127.0.0.1:{pa}@127.0.0.1:{pb}/beta/steal"),
        ] {
            *target.lock().unwrap() = location.clone();
            let body = CrossTenantMigrationJob::new().with_display_name("x".to_string());
            let results = [
                ("GET", jobs.by_id("j1").get().await.map(|_| ())),
                ("POST", jobs.post(&body).await.map(|_| ())),
                (
                    "PATCH",
                    jobs.by_id("j1").patch(&body.edit()).await.map(|_| ()),
                ),
                ("DELETE", jobs.by_id("j1").delete().await),
                ("chain", jobs.by_id("chain").get().await.map(|_| ())),
            ];
            for (what, result) in results {
                let err = result.expect_err("a redirect is not a success");
                assert_eq!(
                    err.status().map(|s| s.as_u16()),
                    Some(code),
                    "{what} {code} -> {location}: {err:?}"
                );
            }
        }
    }
    assert_eq!(b.count(), 0, "the other origin was contacted");
}

#[tokio::test]
async fn same_origin_redirects_keep_the_token_and_foreign_ones_never_see_it() {
    let a = self_aware(|origin, r| {
        if r.target().ends_with("/moved") {
            RawResponse::json(200, json!({"id": "j1"}))
        } else {
            RawResponse::redirect(307, &format!("{origin}/beta/moved"))
        }
    })
    .await;
    let job = a
        .client()
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs()
        .by_id("j1")
        .get()
        .await
        .unwrap();
    assert_eq!(job.id, Field::Set("j1".to_string()));
    assert!(
        a.requests()
            .iter()
            .all(|r| r.header("authorization") == Some(&format!("Bearer {TOKEN}")))
    );

    // With an injected reqwest client, which follows cross-origin redirects,
    // reqwest removes Authorization first: the other origin gets the request
    // (and body) but never the token.
    let b = RawServer::start(|_| RawResponse::json(201, json!({"id": "b"}))).await;
    let location = format!("{}/beta/elsewhere", b.origin());
    let c = RawServer::start(move |_| RawResponse::redirect(307, &location)).await;
    let client = c
        .client_builder()
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    let jobs = client
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs();
    let _ = jobs.by_id("j1").get().await;
    let _ = jobs
        .post(&CrossTenantMigrationJob::new().with_display_name("x".to_string()))
        .await;
    let got = b.requests();
    assert_eq!(got.len(), 2);
    for r in &got {
        assert_eq!(r.header("authorization"), None, "{}", r.line);
        assert!(!r.headers.iter().any(|(_, v)| v.contains(TOKEN)));
    }
}

#[test]
fn plain_http_base_urls_are_refused_unless_loopback() {
    for refused in [
        "http://example.com/beta",
        "http://graph.microsoft.com/beta",
        "http://10.0.0.1/beta",
        "http://192.168.1.1:8080/beta",
        "http://0.0.0.0:80/beta",
        "http://[::]:80/beta",
        "http://127.0.0.1.nip.io/beta",
        "http://localhost.example.com/beta",
        "http://localhost@example.com/beta",
        "http://127.0.0.1@example.com/beta",
        "http://example.com#@127.0.0.1/beta",
        "http://example.com?@127.0.0.1/beta",
        "http://[::ffff:10.0.0.1]/beta",
        "ws://127.0.0.1/beta",
        "ftp://127.0.0.1/beta",
        "file:///beta",
    ] {
        let r = Client::builder()
            .base_url(refused)
            .bearer_token(TOKEN)
            .build();
        match r {
            Err(Error::Config(message)) => {
                assert!(!message.contains(TOKEN), "{message}");
            }
            other => panic!("{refused} was accepted: {other:?}"),
        }
    }
    for accepted in [
        "http://127.0.0.1:1/beta",
        "http://127.42.0.7/beta",
        "http://localhost/beta",
        "http://LOCALHOST:8080/",
        "http://[::1]:9/beta",
        "https://graph.microsoft.com/beta",
        "https://example.com/beta",
    ] {
        Client::builder()
            .base_url(accepted)
            .bearer_token(TOKEN)
            .build()
            .unwrap_or_else(|e| panic!("{accepted} refused: {e}"));
    }
}

/// At most five same-origin redirects are followed, as SECURITY.md says:
/// a chain of five ends at its answer, a chain of six is an error.
#[tokio::test]
async fn five_same_origin_redirects_are_followed_and_a_sixth_is_not() {
    for (hops, followed) in [(5, true), (6, false)] {
        let server = self_aware(move |origin, r| {
            let n: usize = r
                .target()
                .rsplit("hop=")
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            if n < hops {
                RawResponse::redirect(307, &format!("{origin}/beta/x?hop={}", n + 1))
            } else {
                RawResponse::json(200, json!({"done": n}))
            }
        })
        .await;
        let result = server
            .client()
            .request(
                http::Method::GET,
                graph_migrations::runtime::RequestPath::root().segment("x"),
            )
            .send::<serde_json::Value>()
            .await;
        assert_eq!(result.is_ok(), followed, "{hops} redirects: {result:?}");
        assert_eq!(server.count(), hops.min(5) + 1, "{hops} redirects");
    }
}
