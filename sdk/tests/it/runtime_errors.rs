//! Error fields from Graph error bodies, documented-condition helpers, raw
//! HTML bodies, decode errors naming the JSON path, and the send variants.

use crate::support::*;
use graph_migrations::runtime::{Error, RequestPath};
use http::Method;
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn tasks() -> RequestPath {
    RequestPath::root()
        .segment("solutions")
        .segment("sharePoint")
        .segment("migrations")
        .segment("crossOrganizationMigrationTasks")
}

fn graph_error(code: &str, message: &str) -> Value {
    json!({
        "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": "2025-11-02T10:11:12",
                "request-id": "5f4c3b2a-1111-2222-3333-444455556666",
                "client-request-id": "0e9d8c7b-aaaa-bbbb-cccc-ddddeeeeffff"
            }
        }
    })
}

async fn error_for(status: u16, body: Value) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    client(&server)
        .request(Method::POST, tasks())
        .json(&json!({"parameters": {}}))
        .send::<Value>()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn graph_error_body_fields() {
    let err = error_for(403, graph_error("accessDenied", "Access denied")).await;
    let svc = err.service().unwrap();
    assert_eq!(svc.status.as_u16(), 403);
    assert_eq!(svc.code.as_deref(), Some("accessDenied"));
    assert_eq!(svc.message.as_deref(), Some("Access denied"));
    assert_eq!(
        svc.request_id.as_deref(),
        Some("5f4c3b2a-1111-2222-3333-444455556666")
    );
    assert_eq!(
        err.request_id(),
        Some("5f4c3b2a-1111-2222-3333-444455556666")
    );
    assert_eq!(
        err.client_request_id(),
        Some("0e9d8c7b-aaaa-bbbb-cccc-ddddeeeeffff")
    );
    assert_eq!(svc.date.as_deref(), Some("2025-11-02T10:11:12"));
    assert_eq!(
        svc.path_template,
        "/solutions/sharePoint/migrations/crossOrganizationMigrationTasks"
    );
    assert_eq!(svc.method, Method::POST);
    assert!(svc.raw_body.is_none());
    assert!(err.is_forbidden());
    assert!(!err.is_not_found());
    let shown = err.to_string();
    assert!(shown.contains("403"), "{shown}");
    assert!(shown.contains("Access denied"), "{shown}");
    assert!(
        shown.contains("5f4c3b2a-1111-2222-3333-444455556666"),
        "{shown}"
    );
}

/// Sends one request answered with `status`, `code` and `message`.
async fn failed(status: u16, code: &str, message: &str) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).set_body_json(graph_error(code, message)))
        .mount(&server)
        .await;
    let c = builder(&server)
        .retry_policy(graph_migrations::runtime::RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = c
        .request(Method::POST, tasks())
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(err.message(), Some(message));
    assert_eq!(err.code(), Some(code));
    err
}

/// The generated per-operation errors of create sharePointMigrationTask and
/// migrate: each documented message becomes its own variant, with the
/// placeholders' values, and tolerates case, spacing and trailing text.
#[tokio::test]
async fn documented_conditions_of_the_create_and_migrate_apis() {
    use graph_migrations::builders::CrossOrganizationMigrationTasksPostError as Create;
    use graph_migrations::builders::CrossTenantMigrationJobsItemMigrateError as Migrate;
    let create = |e: &Create| -> String {
        match e {
            Create::MissingParameter { parameter, .. } => format!("MissingParameter {parameter}"),
            Create::AccessDenied { .. } => "AccessDenied".into(),
            Create::NoTrustRelationship { partner, role, .. } => {
                format!("NoTrustRelationship {partner} {role}")
            }
            Create::NoOneDrive { upn, .. } => format!("NoOneDrive {upn}"),
            Create::IdentityMapMissing { upn, .. } => format!("IdentityMapMissing {upn}"),
            Create::SameFarm { .. } => "SameFarm".into(),
            Create::Other(_) => "Other".into(),
            _ => "unknown variant".into(),
        }
    };
    let cases: &[(u16, &str, &str, &str)] = &[
        (
            400,
            "badRequest",
            "Cannot process the request because the required parameter sourceSiteUrl is missing.",
            "MissingParameter sourceSiteUrl",
        ),
        (403, "accessDenied", "Access denied", "AccessDenied"),
        (
            422,
            "unprocessableEntity",
            "There is no Cross-Tenant relationship established for partner https://fabrico.sharepoint.com and role target.",
            "NoTrustRelationship https://fabrico.sharepoint.com target",
        ),
        (
            422,
            "unprocessableEntity",
            // Other case and spacing, and text after the documented message.
            "unable to get a  OneDrive URL for source user UPN source-user@contoso.onmicrosoft.com. Try again later.",
            "NoOneDrive source-user@contoso.onmicrosoft.com",
        ),
        (
            422,
            "unprocessableEntity",
            "Identity map entry for source UPN source-user@contoso.onmicrosoft.com does not exist on the target tenant.",
            "IdentityMapMissing source-user@contoso.onmicrosoft.com",
        ),
        (
            501,
            "notImplemented",
            "It has been detected that partners reside in the same SPO location that prevents them from migrating. Please contact MS to resolve this issue. Once the issue has been resolved, please try running the migration again.",
            "SameFarm",
        ),
        // A 422 the page does not document: the message decides, so Other.
        (
            422,
            "unprocessableEntity",
            "Something else entirely.",
            "Other",
        ),
        (429, "TooManyRequests", "Too many requests", "Other"),
    ];
    for (status, code, message, expected) in cases {
        let err = failed(*status, code, message).await;
        let typed = Create::from(err);
        assert_eq!(create(&typed), *expected, "{status} {message}");
        assert_eq!(typed.error().code(), Some(*code));
    }
    let migrate = |e: &Migrate| -> &'static str {
        match e {
            Migrate::JobNotFound { .. } => "JobNotFound",
            Migrate::InvalidStatus { .. } => "InvalidStatus",
            Migrate::ValidationExpired { .. } => "ValidationExpired",
            Migrate::Other(_) => "Other",
            _ => "unknown variant",
        }
    };
    let cases: &[(u16, &str, &str, &str)] = &[
        (
            404,
            "itemNotFound",
            "The specified crossTenantMigrationJob wasn't found.",
            "JobNotFound",
        ),
        // The page describes the 404 rather than quoting it: the one 404 it
        // documents matches whatever the message.
        (404, "itemNotFound", "Not found.", "JobNotFound"),
        (
            409,
            "conflict",
            "The job isn't in a valid status for migration. The job must be in validatePassed, failed, or completedWithErrors status.",
            "InvalidStatus",
        ),
        (
            409,
            "conflict",
            "The validation results expired (more than seven days ago). Revalidate the job before you call the migrate API.",
            "ValidationExpired",
        ),
        // Two 409s are documented: a third message is neither.
        (
            409,
            "conflict",
            "Another operation is in progress.",
            "Other",
        ),
    ];
    for (status, code, message, expected) in cases {
        let typed = Migrate::from(failed(*status, code, message).await);
        assert_eq!(migrate(&typed), *expected, "{status} {message}");
    }
}

#[tokio::test]
async fn html_gateway_body_is_kept_raw() {
    let server = MockServer::start().await;
    let html = "<html><head><title>502 Bad Gateway</title></head><body>upstream</body></html>";
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_raw(html, "text/html")
                .insert_header("request-id", "hdr-req-id"),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .request(Method::GET, tasks())
        .send::<Value>()
        .await
        .unwrap_err();
    let svc = err.service().unwrap();
    assert_eq!(svc.status.as_u16(), 502);
    assert_eq!(svc.raw_body.as_deref(), Some(html));
    assert_eq!(svc.content_type.as_deref(), Some("text/html"));
    assert!(svc.code.is_none());
    assert_eq!(err.request_id(), Some("hdr-req-id"));
    assert!(err.to_string().contains("502 Bad Gateway"));
}

#[derive(Deserialize, Debug)]
#[allow(dead_code)]
struct Task {
    id: String,
    status: String,
    parameters: Params,
}
#[derive(Deserialize, Debug)]
#[allow(dead_code)]
struct Params {
    #[serde(rename = "sourceUserIdentity")]
    source_user_identity: Identity,
}
#[derive(Deserialize, Debug)]
#[allow(dead_code)]
struct Identity {
    id: uuid::Uuid,
}

#[tokio::test]
async fn decode_error_names_the_json_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", "rid-1")
                .set_body_json(json!({
                    "id": "3ed6d46d-13a3-4995-b6ea-a74a20b1fac0",
                    "status": "notStarted",
                    "parameters": {
                        "@odata.type": "#microsoft.graph.sharePointUserMigrationTaskParameters",
                        "sourceUserIdentity": {"id": "not-a-guid"}
                    }
                })),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .request(Method::GET, tasks().key("sharePointMigrationTask-id", "t1"))
        .send::<Task>()
        .await
        .unwrap_err();
    let e = err.decode_error().expect("a decode error");
    assert_eq!(e.json_path, "parameters.sourceUserIdentity.id");
    assert_eq!(e.status.as_u16(), 200);
    assert_eq!(
        e.path_template,
        "/solutions/sharePoint/migrations/crossOrganizationMigrationTasks/{sharePointMigrationTask-id}"
    );
    assert_eq!(e.request_id.as_deref(), Some("rid-1"));
    assert_eq!(err.request_id(), Some("rid-1"));
    assert!(err.to_string().contains("parameters.sourceUserIdentity.id"));
}

#[tokio::test]
async fn send_variants() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/beta/solutions/sharePoint/migrations/crossOrganizationMigrationTasks/$count",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_raw("42", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"a": 1})))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"a": 2})))
        .mount(&server)
        .await;
    let c = client(&server);
    assert_eq!(
        c.request(Method::DELETE, tasks().key("id", "x"))
            .send_optional::<Value>()
            .await
            .unwrap(),
        None
    );
    c.request(Method::DELETE, tasks().key("id", "x"))
        .send_empty()
        .await
        .unwrap();
    c.request(Method::POST, tasks()).send_empty().await.unwrap();
    assert_eq!(
        c.request(Method::PATCH, tasks())
            .send_optional::<Value>()
            .await
            .unwrap(),
        Some(json!({"a": 2}))
    );
    assert_eq!(
        c.request(Method::GET, tasks().segment("$count"))
            .send_count()
            .await
            .unwrap(),
        42
    );
    // body serialisation failure surfaces at send, nothing is sent
    let before = server.received_requests().await.unwrap().len();
    let mut bad = std::collections::HashMap::new();
    bad.insert(vec![1u8], 1); // non-string map keys cannot be JSON
    let err = c
        .request(Method::POST, tasks())
        .json(&bad)
        .send_empty()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    let err = c
        .request(Method::POST, tasks())
        .header("bad header", "x")
        .send_empty()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), before);
}

/// Failures a page states in a sentence are typed too: a job that cannot
/// be cancelled or deleted answers 409, whatever the service's message.
#[tokio::test]
async fn stated_conflicts_of_cancel_and_delete_are_typed() {
    use graph_migrations::builders::CrossTenantMigrationJobsItemCancelError as Cancel;
    use graph_migrations::builders::CrossTenantMigrationJobsItemDeleteError as Delete;
    let err = failed(409, "conflict", "The job is running.").await;
    assert!(matches!(Cancel::from(err), Cancel::Conflict { .. }));
    let err = failed(409, "conflict", "The job is not in a final state.").await;
    match Delete::from(err) {
        Delete::Conflict { error, .. } => {
            assert_eq!(error.message(), Some("The job is not in a final state."));
        }
        other => panic!("{other:?}"),
    }
    let err = failed(404, "notFound", "No such job.").await;
    assert!(matches!(Delete::from(err), Delete::Other(_)));
}
