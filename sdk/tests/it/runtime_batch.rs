//! JSON batching: wire format, mixed statuses, dependsOn, the 20-request limit.

use crate::support::*;
use graph_migrations::Error;
use graph_migrations::runtime::{ODataLiteral, RequestPath};
use http::Method;
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn jobs() -> RequestPath {
    RequestPath::root()
        .segment("solutions")
        .segment("migrations")
        .segment("crossTenantMigrationJobs")
}

#[derive(Deserialize, Debug, PartialEq)]
struct Job {
    id: String,
    status: String,
}

#[tokio::test]
async fn mixed_statuses_and_wire_format() {
    let server = MockServer::start().await;
    // Responses deliberately out of order, as Graph may return them.
    Mock::given(method("POST"))
        .and(path("/beta/$batch"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "responses": [
                {"id": "3", "status": 404, "headers": {"Content-Type": "application/json"},
                 "body": {"error": {"code": "itemNotFound",
                   "message": "The specified crossTenantMigrationJob wasn't found.",
                   "innerError": {"request-id": "rid-3", "client-request-id": "crid-3", "date": "2025-11-02T10:00:00"}}}},
                {"id": "1", "status": 200, "headers": {"Content-Type": "application/json"},
                 "body": {"id": "a", "status": "processing"}},
                {"id": "2", "status": 204, "headers": {}},
                {"id": "4", "status": 429, "headers": {"Retry-After": "7"},
                 "body": {"error": {"code": "TooManyRequests", "message": "slow down"}}},
                {"id": "5", "status": 200, "body": {"id": 5}}
            ]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let mut b = c.batch();
    let id1 = b.add(
        c.request(Method::GET, jobs().key("crossTenantMigrationJob-id", "a"))
            .query("$select", "id,status"),
    );
    let id2 = b.add(
        c.request(Method::PATCH, jobs().key("crossTenantMigrationJob-id", "a"))
            .header("Prefer", "return=minimal")
            // Repeated, in another case: one JSON key, the values joined.
            .header("prefer", "odata.maxpagesize=5")
            .json(&json!({"displayName": "renamed"})),
    );
    b.add_with_id(
        "3",
        c.request(
            Method::POST,
            jobs()
                .key("crossTenantMigrationJob-id", "gone")
                .segment("migrate"),
        ),
        &["1", "2"],
    );
    b.add_with_id(
        "4",
        c.request(
            Method::GET,
            jobs().with_call_on_last(&[("displayName", ODataLiteral::String("O'Brien job"))]),
        ),
        &[],
    );
    let id5 = b.add(c.request(Method::GET, jobs().key("crossTenantMigrationJob-id", "b")));
    assert_eq!((id1.as_str(), id2.as_str(), id5.as_str()), ("1", "2", "5"));
    assert_eq!(b.len(), 5);
    let resp = b.send().await.unwrap();

    // wire format
    let sent: Value = server.received_requests().await.unwrap()[0]
        .body_json()
        .unwrap();
    // Every item says it takes enum members added after
    // `unknownFutureValue`, as every request the client sends does.
    let prefer = json!({"Prefer": "include-unknown-enum-members"});
    assert_eq!(
        sent,
        json!({"requests": [
            {"id": "1", "method": "GET", "url": "/solutions/migrations/crossTenantMigrationJobs/a?$select=id,status",
             "headers": prefer},
            {"id": "2", "method": "PATCH", "url": "/solutions/migrations/crossTenantMigrationJobs/a",
             "headers": {"Content-Type": "application/json", "Prefer": "return=minimal, odata.maxpagesize=5, include-unknown-enum-members"},
             "body": {"displayName": "renamed"}},
            {"id": "3", "method": "POST", "url": "/solutions/migrations/crossTenantMigrationJobs/gone/migrate",
             "headers": prefer, "dependsOn": ["1", "2"]},
            {"id": "4", "method": "GET", "url": "/solutions/migrations/crossTenantMigrationJobs(displayName='O%27%27Brien%20job')",
             "headers": prefer},
            {"id": "5", "method": "GET", "url": "/solutions/migrations/crossTenantMigrationJobs/b",
             "headers": prefer}
        ]})
    );

    // responses in request order
    let ids: Vec<_> = resp.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    let r1 = resp.get("1").unwrap();
    assert!(r1.is_success());
    assert_eq!(
        r1.json::<Job>().unwrap(),
        Job {
            id: "a".into(),
            status: "processing".into()
        }
    );
    let r2 = resp.get("2").unwrap();
    assert_eq!(r2.status.as_u16(), 204);
    assert_eq!(r2.json_optional::<Job>().unwrap(), None);
    let r3 = resp.get("3").unwrap();
    assert!(!r3.is_success());
    let e3 = r3.json::<Job>().unwrap_err();
    assert!(e3.is_not_found());
    assert_eq!(e3.request_id(), Some("rid-3"));
    assert_eq!(
        e3.service().unwrap().path_template,
        "/solutions/migrations/crossTenantMigrationJobs/{crossTenantMigrationJob-id}/migrate"
    );
    let e4 = resp.get("4").unwrap().error().unwrap();
    assert!(e4.is_throttled());
    assert_eq!(e4.retry_after(), Some(std::time::Duration::from_secs(7)));
    assert_eq!(resp.get("4").unwrap().header("retry-after"), Some("7"));
    // decoding on demand: a body of the wrong shape is a decode error with its path
    match resp.get("5").unwrap().json::<Job>().unwrap_err() {
        Error::Decode(e) => assert_eq!(e.json_path, "id"),
        other => panic!("{other:?}"),
    }
    server.verify().await;
}

#[tokio::test]
async fn more_than_20_or_bad_dependencies_fail_before_sending() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"responses": []})))
        .expect(0)
        .mount(&server)
        .await;
    let c = client(&server);
    let mut b = c.batch();
    for i in 0..21 {
        b.add(c.request(Method::GET, jobs().key("id", &i.to_string())));
    }
    let err = b.send().await.unwrap_err();
    assert!(
        matches!(err, Error::InvalidRequest(ref m) if m.contains("20")),
        "{err}"
    );

    let mut b = c.batch();
    b.add_with_id("a", c.request(Method::GET, jobs()), &["b"]);
    b.add_with_id("b", c.request(Method::GET, jobs()), &[]);
    assert!(
        b.send().await.is_err(),
        "dependsOn must name an earlier request"
    );

    let mut b = c.batch();
    b.add_with_id("a", c.request(Method::GET, jobs()), &[]);
    b.add_with_id("a", c.request(Method::GET, jobs()), &[]);
    assert!(b.send().await.is_err(), "duplicate ids");

    assert!(c.batch().send().await.is_err(), "empty batch");
    server.verify().await;
}

#[tokio::test]
async fn exactly_20_is_sent_and_missing_responses_are_flagged() {
    let server = MockServer::start().await;
    let responses: Vec<Value> = (1..=19)
        .map(|i| json!({"id": i.to_string(), "status": 200, "body": {"id": i.to_string(), "status": "completed"}}))
        .collect();
    Mock::given(method("POST"))
        .and(path("/beta/$batch"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"responses": responses})))
        .mount(&server)
        .await;
    let c = client(&server);
    let mut b = c.batch();
    for i in 0..20 {
        b.add(c.request(Method::GET, jobs().key("id", &i.to_string())));
    }
    let resp = b.send().await.unwrap();
    assert_eq!(resp.responses.len(), 20);
    assert!(resp.responses[..19].iter().all(|r| r.is_success()));
    let last = &resp.responses[19];
    assert!(last.missing);
    assert!(!last.is_success());
    assert!(last.json::<Job>().is_err());
}

/// An item whose response names no request id (a 424 Failed Dependency, a
/// gateway error, an item Graph did not answer) reports the `$batch`
/// response's ids instead, which support can look up; an item that names
/// its own keeps them.
#[tokio::test]
async fn items_without_their_own_ids_report_the_batch_ids() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/beta/$batch"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", "batch-rid")
                .set_body_json(json!({
                    "responses": [
                        {"id": "1", "status": 404, "headers": {"Content-Type": "application/json"},
                         "body": {"error": {"code": "itemNotFound", "message": "gone",
                           "innerError": {"request-id": "rid-1", "client-request-id": "crid-1"}}}},
                        {"id": "2", "status": 424, "headers": {},
                         "body": {"error": {"code": "FailedDependency", "message": "1 failed"}}}
                    ]
                })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let mut b = c.batch();
    let first = b.add(c.request(Method::GET, jobs().key("crossTenantMigrationJob-id", "a")));
    let second = b.add(c.request(Method::GET, jobs().key("crossTenantMigrationJob-id", "b")));
    let unanswered = b.add(c.request(Method::GET, jobs().key("crossTenantMigrationJob-id", "c")));
    let resp = b.send().await.unwrap();
    let sent = server.received_requests().await.unwrap()[0]
        .headers
        .get("client-request-id")
        .map(|v| v.to_str().unwrap().to_string());
    assert!(sent.is_some());

    let own = resp.get(&first).unwrap().error().unwrap();
    assert_eq!(own.request_id(), Some("rid-1"));
    assert_eq!(own.client_request_id(), Some("crid-1"));

    for id in [&second, &unanswered] {
        let item = resp.get(id).unwrap();
        assert_eq!(item.batch_request_id.as_deref(), Some("batch-rid"));
        let err = item.error().unwrap();
        assert_eq!(err.request_id(), Some("batch-rid"), "{id}: {err:?}");
        assert_eq!(err.client_request_id(), sent.as_deref(), "{id}: {err:?}");
    }
    let failed = resp.get(&second).unwrap().error().unwrap();
    assert_eq!(failed.status(), Some(http::StatusCode::FAILED_DEPENDENCY));
    assert_eq!(failed.code(), Some("FailedDependency"));
    assert!(resp.get(&unanswered).unwrap().missing);
    // `json()` fails with the same error, ids included.
    let decoded = resp.get(&second).unwrap().json::<Value>().unwrap_err();
    assert_eq!(decoded.request_id(), Some("batch-rid"));
}

/// An item whose body is not JSON comes base64-encoded (a gateway's HTML
/// page): its error shows the text, not the encoded string; a success's
/// body stays as sent.
#[tokio::test]
async fn an_item_body_that_is_not_json_shows_as_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/beta/$batch"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "responses": [
                {"id": "1", "status": 502, "headers": {"Content-Type": "text/html"},
                 "body": "PGh0bWw+QmFkIEdhdGV3YXk8L2h0bWw+"},
                {"id": "2", "status": 200, "headers": {"Content-Type": "text/plain"},
                 "body": "aGVsbG8="}
            ]
        })))
        .mount(&server)
        .await;
    let c = client(&server);
    let mut b = c.batch();
    let id = b.add(c.request(Method::GET, jobs().key("crossTenantMigrationJob-id", "a")));
    let ok = b.add(c.request(Method::GET, jobs().key("crossTenantMigrationJob-id", "b")));
    let resp = b.send().await.unwrap();
    // A success's body is read as sent: the base64 string.
    assert_eq!(resp.get(&ok).unwrap().json::<String>().unwrap(), "aGVsbG8=");
    let err = resp.get(&id).unwrap().error().unwrap();
    assert_eq!(err.status(), Some(http::StatusCode::BAD_GATEWAY));
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("<html>Bad Gateway</html>"), "{shown}");
    assert!(!shown.contains("PGh0bWw"), "{shown}");
}
