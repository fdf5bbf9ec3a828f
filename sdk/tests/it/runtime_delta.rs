//! Delta updates: payload shape, 120 items -> 50/50/20, resume after failure.

use std::sync::{Arc, Mutex};

use crate::support::*;
use graph_migrations::Field;
use graph_migrations::runtime::delta::{DeltaOptions, DeltaPayload, delta_update_with};
use graph_migrations::runtime::{DeltaChange, RemovedReason, RequestPath, delta_update};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
struct UserIdentity {
    #[serde(
        rename = "@odata.type",
        default,
        skip_serializing_if = "Field::is_unset"
    )]
    odata_type: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    user_principal_name: Field<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
struct Mapping {
    #[serde(
        rename = "@odata.type",
        default,
        skip_serializing_if = "Field::is_unset"
    )]
    odata_type: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    id: Field<String>,
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    source_organization_id: Field<uuid::Uuid>,
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    source_user_identity: Field<UserIdentity>,
}

fn mapping(i: usize) -> Mapping {
    Mapping {
        odata_type: Field::Set("#microsoft.graph.sharePointUserIdentityMapping".into()),
        source_user_identity: Field::Set(UserIdentity {
            odata_type: Field::Set("microsoft.graph.userIdentity".into()),
            user_principal_name: Field::Set(format!("user{i}@contoso.com")),
        }),
        ..Default::default()
    }
}

fn mappings_path() -> RequestPath {
    RequestPath::root()
        .segment("solutions")
        .segment("sharePoint")
        .segment("migrations")
        .segment("crossOrganizationUserMappings")
}

const MAPPINGS: &str = "/beta/solutions/sharePoint/migrations/crossOrganizationUserMappings";

#[test]
fn payload_matches_the_documented_shape() {
    let changes = vec![
        DeltaChange::Upsert(Mapping {
            source_organization_id: Field::Set(uuid::Uuid::nil()),
            ..mapping(1)
        }),
        DeltaChange::Remove {
            item: Mapping {
                source_user_identity: mapping(2).source_user_identity,
                odata_type: mapping(2).odata_type,
                ..Default::default()
            },
            reason: RemovedReason::Deleted,
        },
    ];
    let v = serde_json::to_value(DeltaPayload::new(&changes)).unwrap();
    assert_eq!(
        v,
        json!({
            "@context": "#$delta",
            "value": [
                {
                    "@odata.type": "#microsoft.graph.sharePointUserIdentityMapping",
                    "sourceOrganizationId": "00000000-0000-0000-0000-000000000000",
                    "sourceUserIdentity": {
                        "@odata.type": "microsoft.graph.userIdentity",
                        "userPrincipalName": "user1@contoso.com"
                    }
                },
                {
                    "@odata.type": "#microsoft.graph.sharePointUserIdentityMapping",
                    "@removed": {"reason": "deleted"},
                    "sourceUserIdentity": {
                        "@odata.type": "microsoft.graph.userIdentity",
                        "userPrincipalName": "user2@contoso.com"
                    }
                }
            ]
        })
    );
    let changed = DeltaChange::Remove {
        item: json!({"id": "x"}),
        reason: RemovedReason::Changed,
    };
    assert_eq!(
        serde_json::to_value(&changed).unwrap(),
        json!({"@removed": {"reason": "changed"}, "id": "x"})
    );
    // a removed item must be an object
    assert!(serde_json::to_value(DeltaChange::remove(3)).is_err());
}

/// Echoes the received `value` items back with an id, failing the n-th call.
struct Echo {
    calls: Arc<Mutex<u32>>,
    fail_call: Option<u32>,
}

impl Respond for Echo {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut calls = self.calls.lock().unwrap();
        *calls += 1;
        if Some(*calls) == self.fail_call {
            return ResponseTemplate::new(400).set_body_json(json!({
                "error": {"code": "badRequest", "message": "Maximum of 50 items allowed"}
            }));
        }
        let body: Value = req.body_json().unwrap();
        let items: Vec<Value> = body["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                let mut v = v.clone();
                v["id"] = json!("b64id");
                v
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "https://graph.microsoft.com/beta/$metadata#solutions/sharePoint/migrations/crossOrganizationUserMappings",
            "value": items
        }))
    }
}

async fn sizes_of_requests(server: &MockServer) -> Vec<usize> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r.method, http::Method::PATCH);
            let v: Value = r.body_json().unwrap();
            assert_eq!(v["@context"], "#$delta");
            v["value"].as_array().unwrap().len()
        })
        .collect()
}

#[tokio::test]
async fn chunks_120_changes_into_50_50_20() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(MAPPINGS))
        .respond_with(Echo {
            calls: Arc::default(),
            fail_call: None,
        })
        .mount(&server)
        .await;
    let changes: Vec<_> = (0..120)
        .map(|i| {
            if i % 10 == 9 {
                DeltaChange::remove(mapping(i))
            } else {
                DeltaChange::Upsert(mapping(i))
            }
        })
        .collect();
    let report = delta_update::<Mapping, Mapping>(&client(&server), mappings_path(), changes, 50)
        .await
        .unwrap();
    assert_eq!(sizes_of_requests(&server).await, vec![50, 50, 20]);
    let ranges: Vec<_> = report.chunks.iter().map(|c| c.range.clone()).collect();
    assert_eq!(ranges, vec![0..50, 50..100, 100..120]);
    assert!(report.is_complete());
    assert!(report.remaining().is_empty());
    assert_eq!(report.applied_count(), 120);
    assert_eq!(report.returned_items().count(), 120);
    assert!(
        report
            .returned_items()
            .all(|m| m.id == Field::Set("b64id".to_string()))
    );
    // order preserved across chunks
    let reqs = server.received_requests().await.unwrap();
    let second: Value = reqs[1].body_json().unwrap();
    assert_eq!(
        second["value"][0]["sourceUserIdentity"]["userPrincipalName"],
        "user50@contoso.com"
    );
    assert_eq!(second["value"][9]["@removed"]["reason"], "deleted");
}

#[tokio::test]
async fn failed_chunk_stops_and_resume_applies_the_rest() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(MAPPINGS))
        .respond_with(Echo {
            calls: Arc::default(),
            fail_call: Some(2),
        })
        .mount(&server)
        .await;
    let c = client(&server);
    let changes: Vec<_> = (0..120).map(|i| DeltaChange::Upsert(mapping(i))).collect();
    let report = delta_update::<Mapping, Value>(&c, mappings_path(), changes, 50)
        .await
        .unwrap();
    assert_eq!(sizes_of_requests(&server).await, vec![50, 50]);
    assert_eq!(report.chunks.len(), 2);
    assert!(report.chunks[0].result.is_ok());
    let err = report.chunks[1].result.as_ref().unwrap_err();
    assert!(err.is_bad_request());
    assert_eq!(report.chunks[1].range, 50..100);
    assert!(!report.is_complete());
    assert_eq!(report.applied_count(), 50);
    assert!(report.first_error().is_some());
    let remaining = report.into_remaining();
    assert_eq!(remaining.len(), 70);
    assert_eq!(remaining[0], DeltaChange::Upsert(mapping(50)));
    assert_eq!(remaining[69], DeltaChange::Upsert(mapping(119)));

    // resume: the server now accepts everything (its 2nd call failed, the rest succeed)
    let report2 = delta_update::<Mapping, Value>(&c, mappings_path(), remaining, 50)
        .await
        .unwrap();
    assert!(report2.is_complete());
    assert_eq!(sizes_of_requests(&server).await, vec![50, 50, 50, 20]);
    // every item was eventually applied exactly once
    let reqs = server.received_requests().await.unwrap();
    let mut applied = Vec::new();
    for (i, r) in reqs.iter().enumerate() {
        if i == 1 {
            continue; // the failed call
        }
        let v: Value = r.body_json().unwrap();
        for item in v["value"].as_array().unwrap() {
            applied.push(
                item["sourceUserIdentity"]["userPrincipalName"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            );
        }
    }
    let expected: Vec<_> = (0..120).map(|i| format!("user{i}@contoso.com")).collect();
    assert_eq!(applied, expected);
}

#[tokio::test]
async fn continue_on_error_and_chunk_size_validation() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(Echo {
            calls: Arc::default(),
            fail_call: Some(1),
        })
        .mount(&server)
        .await;
    let c = client(&server);
    let changes: Vec<_> = (0..25).map(|i| DeltaChange::Upsert(mapping(i))).collect();
    let report = delta_update_with::<Mapping, Value>(
        &c,
        mappings_path(),
        changes.clone(),
        DeltaOptions {
            chunk_size: 10,
            stop_on_error: false,
            ..DeltaOptions::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(sizes_of_requests(&server).await, vec![10, 10, 5]);
    let remaining = report.remaining();
    assert_eq!(remaining.len(), 10);
    assert_eq!(*remaining[0], DeltaChange::Upsert(mapping(0)));

    for bad in [0, 51] {
        assert!(
            delta_update::<Mapping, Value>(&c, mappings_path(), changes.clone(), bad)
                .await
                .is_err()
        );
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

/// A chunk the service accepted (2xx) is applied, even when an item it
/// returned cannot be read: the changes are not offered again (an upsert
/// sent twice, a removal that would now 404), and what failed to read is
/// kept beside the result.
#[tokio::test]
async fn an_applied_chunk_with_an_unreadable_answer_is_not_sent_again() {
    #[derive(Deserialize, Debug)]
    struct Strict {
        #[allow(dead_code)]
        id: String,
    }
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(MAPPINGS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "m1"}, {"id": 7}]
        })))
        .mount(&server)
        .await;
    let c = client(&server);
    let changes: Vec<_> = (0..3).map(|i| DeltaChange::Upsert(mapping(i))).collect();
    let report = delta_update::<Mapping, Strict>(&c, mappings_path(), changes, 2)
        .await
        .unwrap();
    assert_eq!(sizes_of_requests(&server).await, vec![2, 1]);
    assert!(report.is_complete());
    assert!(report.remaining().is_empty());
    assert!(report.first_error().is_none());
    let unread = report.chunks[0].returned_error.as_ref().expect("kept");
    assert!(unread.to_string().contains("value[1].id"), "{unread}");
}

/// `@removed` among an item's unknown properties (an item read back from a
/// delta response) is not sent again: the change says whether it is an
/// upsert or a removal, and a removal says so once.
#[test]
fn a_stray_removed_annotation_is_not_sent_again() {
    let mut item: Value = serde_json::to_value(mapping(1)).unwrap();
    item["@removed"] = json!({"reason": "changed"});
    let upsert = serde_json::to_value(DeltaChange::Upsert(item.clone())).unwrap();
    assert!(upsert.get("@removed").is_none(), "{upsert}");
    assert_eq!(
        upsert["sourceUserIdentity"]["userPrincipalName"],
        "user1@contoso.com"
    );
    let removal = serde_json::to_string(&DeltaChange::Remove {
        item,
        reason: RemovedReason::Deleted,
    })
    .unwrap();
    assert_eq!(removal.matches("@removed").count(), 1, "{removal}");
    assert!(
        removal.contains(r#""@removed":{"reason":"deleted"}"#),
        "{removal}"
    );
    assert!(
        removal.starts_with(
            r##"{"@odata.type":"#microsoft.graph.sharePointUserIdentityMapping","@removed""##
        ),
        "{removal}"
    );
}

/// A fetched identity mapping carries what the service set (`deleted`,
/// which the documented update body does not have). Sent back through the
/// generated `delta_update`, an upsert or a removal leaves it out, and keeps
/// the key (a delta item may name its entity by key) and everything else.
#[tokio::test]
async fn generated_delta_updates_leave_out_what_the_update_may_not_carry() {
    use graph_migrations::models::SharePointUserIdentityMapping;
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(MAPPINGS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(&server)
        .await;
    let fetched: SharePointUserIdentityMapping = serde_json::from_value(json!({
        "id": "m1",
        "deleted": {"state": "softDeleted"},
        "sourceOrganizationId": "00000000-0000-0000-0000-000000000001",
        "sourceUserIdentity": {"userPrincipalName": "a@contoso.com"},
        "newProperty": 1
    }))
    .unwrap();
    let report = client(&server)
        .solutions()
        .share_point()
        .migrations()
        .cross_organization_user_mappings()
        .delta_update(vec![
            DeltaChange::Upsert(fetched.clone()),
            DeltaChange::remove(fetched),
        ])
        .await
        .unwrap();
    assert!(report.is_complete());
    let requests = server.received_requests().await.unwrap();
    let body: Value = requests[0].body_json().unwrap();
    for item in body["value"].as_array().unwrap() {
        let keys: Vec<&str> = item
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert!(!keys.contains(&"deleted"), "{item}");
        for kept in [
            "id",
            "sourceOrganizationId",
            "sourceUserIdentity",
            "newProperty",
        ] {
            assert!(keys.contains(&kept), "{kept} missing from {item}");
        }
    }
    assert_eq!(body["value"][1]["@removed"]["reason"], "deleted");
    // Items serialised on their own (no update in sight) are sent whole.
    let whole = serde_json::to_value(DeltaPayload::new(&[DeltaChange::Upsert(
        json!({"deleted": 1}),
    )]))
    .unwrap();
    assert_eq!(whole["value"][0]["deleted"], 1);
}

/// A chunk answered 2xx was applied, even when its body was cut off: it is
/// not offered again (removals would then fail), and the report says what
/// could not be read.
#[tokio::test]
async fn a_chunk_answered_2xx_with_a_cut_body_counts_as_applied() {
    const CUT_200: &str = "HTTP/1.1 200 OK\r\nrequest-id: r-delta\r\ncontent-type: application/json\r\nContent-Length: 200\r\n\r\n{\"value\":[";
    let (base, count) = scripted_raw_server(vec![CUT_200]).await;
    let client = graph_migrations::Client::builder()
        .base_url(&base)
        .bearer_token(TOKEN)
        .retry_policy(fast_retry(2))
        .build()
        .unwrap();
    let changes: Vec<DeltaChange<Mapping>> =
        (0..3).map(|i| DeltaChange::Upsert(mapping(i))).collect();
    let report = delta_update::<Mapping, Value>(&client, mappings_path(), changes, 50)
        .await
        .unwrap();
    assert_eq!(
        count.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "sent once"
    );
    assert!(report.remaining().is_empty());
    assert_eq!(report.applied_count(), 3);
    let chunk = &report.chunks[0];
    assert!(chunk.result.is_ok());
    let unread = chunk
        .returned_error
        .as_ref()
        .expect("what could not be read");
    assert_eq!(unread.request_id(), Some("r-delta"));
}
