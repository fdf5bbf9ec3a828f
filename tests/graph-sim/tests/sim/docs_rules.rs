//! One test per documented rule that graph-sim follows (graph-sim's README
//! lists each rule with its page and the test here or elsewhere that covers it).

use graph_sim::{SimConfig, SimHandle};
use serde_json::{Value, json};
use std::collections::BTreeSet;

use crate::support::*;

const R1: &str = "4dd550d9-9ea2-4e71-a16b-60b1d1c4f506";
const R2: &str = "63f15b55-f61a-49cb-a599-2e3d233afb2c";
const R3: &str = "41d94bac-3a53-47d6-a89e-583830104e15";
const FAILING: &str = "deadbeef-0000-4000-8000-000000000001";
const FAILING2: &str = "deadbeef-0000-4000-8000-000000000002";

/// The job statuses of the crossTenantMigrationJob resource page.
const JOB_STATUSES: &[&str] = &[
    "submitted",
    "approved",
    "processing",
    "cuttingOver",
    "inProgress",
    "completed",
    "completedWithErrors",
    "failed",
    "cancelled",
    "pendingCancel",
    "adminActionRequired",
    "validateSubmitted",
    "validateProcessing",
    "validateInProgress",
    "validatePassed",
    "validateFailed",
    "pendingDelete",
    "deleted",
];

/// The service statuses of the crossTenantMigrationServiceStatusDetails page.
const SERVICE_STATUSES: &[&str] = &[
    "notStarted",
    "valid",
    "invalid",
    "error",
    "inProgress",
    "completed",
    "failed",
    "cancelled",
    "pendingCancel",
    "syncing",
    "synced",
    "finalizing",
    "forceComplete",
];

fn body(name: &str, resources: &[&str]) -> Value {
    json!({
        "displayName": name,
        "completeAfterDateTime": "2024-12-09T22:48:03.092Z",
        "sourceTenantId": "12345678-1234-1234-1234-123456789012",
        "resources": resources,
        "resourceType": "Users",
        "workloads": ["Teams", "ODSP"]
    })
}

async fn create(api: &Api, name: &str, resources: &[&str]) -> String {
    let r = api.post(JOBS, body(name, resources)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()["id"].as_str().unwrap().to_string()
}

async fn status(api: &Api, id: &str) -> String {
    let r = api.get(&format!("{JOBS}/{id}")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["status"].as_str().unwrap().to_string()
}

fn ids(page: &Value) -> Vec<String> {
    page["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect()
}

fn skiptoken(link: &str) -> String {
    link.split("$skiptoken=").nth(1).unwrap().to_string()
}

/// Polls (advancing the frozen clock by `step` seconds) until the status is
/// one of `until`; returns every status seen, without repeats.
async fn poll(sim: &SimHandle, api: &Api, id: &str, step: u64, until: &[&str]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..200 {
        let s = status(api, id).await;
        if seen.last() != Some(&s) {
            seen.push(s.clone());
        }
        if until.contains(&s.as_str()) {
            return seen;
        }
        sim.clock().advance_secs(step);
    }
    panic!("{id} never reached {until:?}; saw {seen:?}");
}

#[tokio::test]
async fn jobs_list_pages_hold_twenty_items() {
    let (sim, api) = sim().await;
    sim.state().seed_jobs(45);
    let p1 = api.get(JOBS).await.json();
    assert_eq!(ids(&p1).len(), 20, "the list page: by default 20 objects");
    let p2 = api
        .get(p1["@odata.nextLink"].as_str().unwrap())
        .await
        .json();
    assert_eq!(ids(&p2).len(), 20);
    let p3 = api
        .get(p2["@odata.nextLink"].as_str().unwrap())
        .await
        .json();
    assert_eq!(ids(&p3).len(), 5);
    assert!(p3.get("@odata.nextLink").is_none());

    // Collections whose pages document no size use SimConfig::page_size (100).
    let many: Vec<String> = (0..130)
        .map(|i| format!("00000000-0000-4000-8000-{i:012}"))
        .collect();
    let refs: Vec<&str> = many.iter().map(String::as_str).collect();
    let id = create(&api, "big", &refs).await;
    let users = api.get(&format!("{JOBS}/{id}/users")).await.json();
    assert_eq!(ids(&users).len(), 100);
    assert!(users["@odata.nextLink"].is_string());
}

#[tokio::test]
async fn skiptoken_neither_skips_nor_repeats_after_deletions() {
    let (sim, api) = sim().await;
    sim.state().set_page_size(10);
    let upns: Vec<String> = (0..30).map(|i| format!("u{i:02}@contoso.com")).collect();
    let mids: Vec<String> = upns
        .iter()
        .map(|u| sim.state().seed_user_mapping(u, "t@fabrikam.com"))
        .collect();

    let p1 = api.get(USER_MAPS).await.json();
    assert_eq!(ids(&p1), mids[..10]);
    let next = p1["@odata.nextLink"].as_str().unwrap().to_string();
    let token = skiptoken(&next);
    assert!(
        token.parse::<u64>().is_err(),
        "opaque, not an offset: {token}"
    );

    // Between pages: delete one item already served and two not yet served,
    // and add one.
    for i in [3, 10, 12] {
        let r = api.delete(&format!("{USER_MAPS}/{}", mids[i])).await;
        assert_eq!(r.status, 204);
    }
    let added = sim
        .state()
        .seed_user_mapping("new@contoso.com", "t@fabrikam.com");

    let mut seen = ids(&p1);
    let mut link = Some(next);
    while let Some(l) = link {
        let p = api.get(&l).await.json();
        seen.extend(ids(&p));
        link = p["@odata.nextLink"].as_str().map(str::to_string);
    }
    let mut expected: Vec<String> = mids
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 10 && *i != 12)
        .map(|(_, m)| m.clone())
        .collect();
    expected.push(added);
    assert_eq!(seen, expected, "nothing skipped, nothing repeated");

    // With $orderby, the token is a position in that order.
    let order = "$orderby=sourceUserIdentity/userPrincipalName%20desc";
    let p1 = api.get(&format!("{USER_MAPS}?{order}")).await.json();
    let first = ids(&p1);
    let next = p1["@odata.nextLink"].as_str().unwrap().to_string();
    let gone = api.get(&next).await.json()["value"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    api.delete(&format!("{USER_MAPS}/{gone}")).await;
    let p2 = api.get(&next).await.json();
    assert!(!ids(&p2).contains(&gone));
    assert!(ids(&p2).iter().all(|i| !first.contains(i)));
    let all = api
        .get(&format!("{USER_MAPS}?{order}&$top=999"))
        .await
        .json();
    assert_eq!(ids(&all)[10..20], ids(&p2)[..]);

    // A token is bound to its $orderby and must decode.
    let t = skiptoken(&next);
    let r = api.get(&format!("{USER_MAPS}?$skiptoken={t}")).await;
    assert_eq!(r.status, 400);
    let r = api.get(&format!("{USER_MAPS}?$skiptoken=10")).await;
    assert_eq!(
        (r.status, r.error().1.as_str()),
        (400, "The $skiptoken is not valid.")
    );

    // The jobs list (pages of 20): final jobs deleted between pages.
    sim.state().update_config(|c| c.jobs_page_size = 20);
    let mut jobs = Vec::new();
    for i in 0..45 {
        let j = sim
            .state()
            .seed_job_with_status(body(&format!("done-{i:02}"), &[R1]), "completed")
            .unwrap();
        jobs.push(j["id"].as_str().unwrap().to_string());
    }
    let p1 = api.get(JOBS).await.json();
    assert_eq!(ids(&p1), jobs[..20]);
    for i in [0, 19, 20, 21] {
        assert_eq!(api.delete(&format!("{JOBS}/{}", jobs[i])).await.status, 202);
    }
    sim.clock().advance_secs(120);
    let p2 = api
        .get(p1["@odata.nextLink"].as_str().unwrap())
        .await
        .json();
    assert_eq!(ids(&p2), jobs[22..42]);
}

#[tokio::test]
async fn identity_mapping_updates_answer_200_with_the_mapping() {
    let (sim, api) = sim().await;
    let uid = sim
        .state()
        .seed_user_mapping("a@contoso.com", "a@fabrikam.com");
    for path in [
        format!("{USER_MAPS}/{uid}"),
        format!("{USER_MAPS}(sourceUserPrincipalName='a%40contoso.com')"),
    ] {
        let r = api.patch(&path, json!({"userType": "adminUser"})).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let m = r.json();
        assert_eq!(m["id"], json!(uid));
        assert_eq!(m["userType"], "adminUser");
        assert_eq!(
            m["@odata.type"],
            "#microsoft.graph.sharePointUserIdentityMapping"
        );
        assert_eq!(
            m["targetUserIdentity"]["userPrincipalName"],
            "a@fabrikam.com"
        );
    }
    let src = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
    sim.state()
        .seed_group_mapping(src, "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb");
    let r = api
        .patch(
            &format!("{GROUP_MAPS}(sourceGroupObjectId='{src}')"),
            json!({"targetGroupMigrationData": {"mailNickname": "targetGroup"}}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["targetGroupMigrationData"]["mailNickname"],
        "targetGroup"
    );
    // The delta PATCH on the collection: 200 with the resulting items.
    let r = api
        .patch(
            USER_MAPS,
            json!({"@context": "#$delta", "value": [
                {"@removed": {"reason": "deleted"}, "sourceUserIdentity": {"userPrincipalName": "a@contoso.com"}}
            ]}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["value"][0]["id"], json!(uid));
}

#[tokio::test]
async fn expand_is_served_where_the_metadata_allows_it() {
    let (sim, api) = sim().await;
    let id = create(&api, "expand", &[R1, R2]).await;
    sim.state()
        .seed_user_mapping("a@contoso.com", "a@fabrikam.com");

    let list = api.get(&format!("{JOBS}?$expand=users")).await.json();
    let users = list["value"][0]["users"].as_array().unwrap();
    assert_eq!(ids(&json!({ "value": users })), vec![R1, R2]);
    let one = api
        .get(&format!("{JOBS}/{id}?$expand=users&$select=displayName"))
        .await
        .json();
    assert_eq!(one["displayName"], "expand");
    assert_eq!(one["users"].as_array().unwrap().len(), 2);
    assert!(one.get("status").is_none(), "$select still applies");
    let plain = api.get(&format!("{JOBS}/{id}")).await.json();
    assert!(plain.get("users").is_none(), "not expanded unless asked");

    let root = api
        .get("/solutions/migrations?$expand=crossTenantMigrationJobs")
        .await
        .json();
    assert_eq!(root["crossTenantMigrationJobs"][0]["id"], json!(id));
    let sp = api
        .get("/solutions/sharePoint/migrations?$expand=*")
        .await
        .json();
    assert_eq!(
        sp["crossOrganizationUserMappings"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(sp["crossOrganizationGroupMappings"].is_array());
    assert!(sp["crossOrganizationMigrationTasks"].is_array());

    // Never silently ignored: 400 where the type has no such navigation property.
    for path in [
        format!("{JOBS}?$expand=foo"),
        format!("{JOBS}/{id}?$expand=users($select=id)"),
        format!("{JOBS}/{id}/users?$expand=currentStatus"),
        format!("{JOBS}/$count?$expand=users"),
        format!("{TASKS}?$expand=parameters"),
        format!("{USER_MAPS}?$expand=sourceUserIdentity"),
    ] {
        let r = api.get(&path).await;
        assert_eq!(r.status, 400, "{path}: {}", r.text);
    }
    let r = api.get(&format!("{JOBS}?$expand=foo")).await;
    assert_eq!(
        r.error().1,
        "Could not find a navigation property named 'foo' on type 'microsoft.graph.crossTenantMigrationJob' to expand."
    );
}

/// Every JSON string that looks like a timestamp, with its path.
fn timestamps(v: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s)
            if s.len() >= 20 && s.as_bytes()[4] == b'-' && s.contains('T') && s.ends_with('Z') =>
        {
            out.push((path.to_string(), s.clone()));
        }
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| timestamps(x, &format!("{path}/{i}"), out)),
        Value::Object(m) => m
            .iter()
            .for_each(|(k, x)| timestamps(x, &format!("{path}/{k}"), out)),
        _ => {}
    }
}

#[tokio::test]
async fn timestamps_carry_at_most_seven_fractional_digits() {
    let (sim, api) = sim_with(SimConfig {
        clock_start: Some(time::macros::datetime!(2026-05-04 20:55:10.123456789 UTC)),
        ..SimConfig::default()
    })
    .await;
    let id = create(&api, "ticks", &[R1]).await;
    let job = api.get(&format!("{JOBS}/{id}")).await.json();
    assert_eq!(job["createdDateTime"], "2026-05-04T20:55:10.1234567Z");
    api.post_empty(&format!("{JOBS}/{id}/validate")).await;
    sim.clock()
        .advance(std::time::Duration::from_nanos(30_000_000_001));
    api.post_empty(&format!("{JOBS}/{id}/migrate")).await;
    sim.state()
        .seed_user_mapping("a@contoso.com", "a@fabrikam.com");
    let task = api
        .post(
            TASKS,
            json!({"parameters": {
                "@odata.type": "#microsoft.graph.sharePointUserMigrationTaskParameters",
                "targetOrganizationHost": "https://fabrico-my.sharepoint.com",
                "sourceUserIdentity": {"userPrincipalName": "a@contoso.com"},
                "targetUserIdentity": {"userPrincipalName": "a@fabrikam.com"},
                "preferredStartDateTime": "2026-05-04T21:00:00.987654321Z"
            }}),
        )
        .await
        .json();
    assert_eq!(
        task["parameters"]["preferredStartDateTime"],
        "2026-05-04T21:00:00.9876543Z"
    );
    sim.clock().advance_secs(3600);
    let mut found = Vec::new();
    for path in [
        format!("{JOBS}/{id}"),
        format!("{JOBS}/{id}/users"),
        TASKS.to_string(),
        "/_sim/clock".to_string(),
    ] {
        timestamps(&api.get(&path).await.json(), &path, &mut found);
    }
    assert!(found.len() >= 8, "{found:?}");
    for (path, ts) in &found {
        let digits = ts
            .rsplit_once('.')
            .map_or(0, |(_, f)| f.trim_end_matches('Z').len());
        assert!(digits <= 7, "{path}: {ts}");
    }
    assert!(found.iter().any(|(_, t)| t.ends_with(".1234567Z")));
}

#[tokio::test]
async fn exchange_settings_required_when_exchange_is_a_workload() {
    let (sim, api) = sim().await;
    let mut b = body("exo", &[R1]);
    b["workloads"] = json!(["Teams", "exchange"]);
    let r = api.post(JOBS, b.clone()).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.error().1,
        "exchangeSettings is required if Exchange is a specified workload."
    );
    // The older validate form creates a job too: the same rule.
    assert_eq!(
        api.post(&format!("{JOBS}/validate"), b.clone())
            .await
            .status,
        400
    );
    assert!(sim.state().jobs().is_empty());
    b["exchangeSettings"] =
        json!({"targetDeliveryDomain": "fabrikam.com", "sourceEndpoint": "EXOHandler"});
    assert_eq!(api.post(JOBS, b).await.status, 201);
    // Without Exchange, no settings are needed.
    create(&api, "no-exo", &[R1]).await;
    // Omitted workloads mean all of them: created, and the validation fails.
    let mut b = body("all-workloads", &[R1]);
    b.as_object_mut().unwrap().remove("workloads");
    let r = api.post(JOBS, b).await;
    assert_eq!(r.status, 201);
    let id = r.json()["id"].as_str().unwrap().to_string();
    assert_eq!(r.json()["workloads"], json!(["Teams", "Exchange", "ODSP"]));
    api.post_empty(&format!("{JOBS}/{id}/validate")).await;
    sim.clock().advance_secs(30);
    let j = api.get(&format!("{JOBS}/{id}")).await.json();
    assert_eq!(j["status"], "validateFailed");
    assert!(j["message"].as_str().unwrap().contains("exchangeSettings"));
}

async fn seeded(sim: &SimHandle, name: &str, status: &str) -> String {
    let j = sim
        .state()
        .seed_job_with_status(body(name, &[R1]), status)
        .unwrap();
    assert_eq!(j["status"], status);
    j["id"].as_str().unwrap().to_string()
}

/// Job statuses of a job that waits to be validated or migrated.
const WAITING: &[&str] = &[
    "submitted",
    "validateSubmitted",
    "validateProcessing",
    "validateInProgress",
    "approved",
    "processing",
    "adminActionRequired",
];
/// Job statuses while the migration is in progress.
const MIGRATING: &[&str] = &["inProgress", "cuttingOver"];
/// Final job statuses (validation and migration).
const FINAL: &[&str] = &[
    "validatePassed",
    "validateFailed",
    "completed",
    "completedWithErrors",
    "failed",
    "cancelled",
];

#[tokio::test]
async fn delete_needs_a_final_state() {
    let (sim, api) = sim().await;
    let busy = WAITING.iter().chain(MIGRATING).chain(&["pendingCancel"]);
    for s in busy {
        let id = seeded(&sim, &format!("busy-{s}"), s).await;
        let r = api.delete(&format!("{JOBS}/{id}")).await;
        assert_eq!(r.status, 409, "{s}");
        assert!(r.error().1.contains("final state"), "{}", r.text);
    }
    for s in FINAL {
        let id = seeded(&sim, &format!("final-{s}"), s).await;
        let r = api.delete(&format!("{JOBS}/{id}")).await;
        assert_eq!((r.status, r.text.as_str()), (202, ""), "{s}");
        assert_eq!(status(&api, &id).await, "pendingDelete");
    }
}

#[tokio::test]
async fn cancel_is_refused_while_migrating_or_final() {
    let (sim, api) = sim().await;
    for s in WAITING {
        let id = seeded(&sim, &format!("waiting-{s}"), s).await;
        let r = api.post_empty(&format!("{JOBS}/{id}/cancel")).await;
        assert_eq!(r.status, 202, "{s}: {}", r.text);
        assert_eq!(r.json()["status"], "pendingCancel");
    }
    for s in MIGRATING {
        let id = seeded(&sim, &format!("moving-{s}"), s).await;
        let r = api.post_empty(&format!("{JOBS}/{id}/cancel")).await;
        assert_eq!(r.status, 409, "{s}");
        assert!(r.error().1.contains("already in progress"), "{}", r.text);
        assert_eq!(status(&api, &id).await, *s, "the migration continues");
    }
    for s in FINAL.iter().chain(&["pendingCancel", "pendingDelete"]) {
        let id = seeded(&sim, &format!("over-{s}"), s).await;
        let r = api.post_empty(&format!("{JOBS}/{id}/cancel")).await;
        assert_eq!(r.status, 409, "{s}");
    }
}

#[tokio::test]
async fn current_lifecycle_create_validate_migrate() {
    let (sim, api) = sim().await;
    let id = create(&api, "current", &[R1, R2]).await;
    // Creating a job starts nothing.
    sim.clock().advance_secs(24 * 3600);
    assert_eq!(status(&api, &id).await, "submitted");

    // POST {id}/validate: no body, asynchronous; poll to validatePassed.
    let r = api.post_empty(&format!("{JOBS}/{id}/validate")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["status"], "validateSubmitted");
    let seen = poll(&sim, &api, &id, 5, &["validatePassed", "validateFailed"]).await;
    assert_eq!(
        seen,
        [
            "validateSubmitted",
            "validateProcessing",
            "validateInProgress",
            "validatePassed"
        ]
    );
    // Only submitted or validateFailed jobs are validated (fresh results stand).
    let r = api.post_empty(&format!("{JOBS}/{id}/validate")).await;
    assert_eq!(r.status, 409);
    assert!(r.error().1.contains("submitted or validateFailed"));

    // POST {id}/migrate: poll to completed.
    let r = api.post_empty(&format!("{JOBS}/{id}/migrate")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "processing");
    let seen = poll(
        &sim,
        &api,
        &id,
        10,
        &["completed", "completedWithErrors", "failed"],
    )
    .await;
    assert_eq!(
        seen,
        ["processing", "inProgress", "cuttingOver", "completed"]
    );
    assert_eq!(
        api.post_empty(&format!("{JOBS}/{id}/validate"))
            .await
            .status,
        409
    );
    // migrate: 404 for an unknown job.
    let r = api
        .post_empty(&format!(
            "{JOBS}/00000000-0000-0000-0000-000000000000/migrate"
        ))
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.error().1,
        "The specified crossTenantMigrationJob wasn't found."
    );
}

/// Drives jobs through every documented scenario and knob; returns the job
/// and service statuses observed over HTTP.
async fn walk_every_status() -> (BTreeSet<String>, BTreeSet<String>) {
    let (sim, api) = sim_with(SimConfig {
        approval_step: true,
        admin_action_resources: vec![R2.to_string()],
        force_complete_resources: vec![R3.to_string()],
        ..SimConfig::default()
    })
    .await;
    let mut jobs = BTreeSet::new();
    let mut services = BTreeSet::new();
    async fn look(
        api: &Api,
        id: &str,
        jobs: &mut BTreeSet<String>,
        services: &mut BTreeSet<String>,
    ) {
        jobs.insert(status(api, id).await);
        let users = api.get(&format!("{JOBS}/{id}/users")).await.json();
        for u in users["value"].as_array().unwrap() {
            for s in u["currentStatus"].as_array().unwrap() {
                services.insert(s["status"].as_str().unwrap().to_string());
            }
        }
    }
    // Validation, the approval knob, an administrator's action, a forced completion.
    let a = create(&api, "walk", &[R1, R2, R3]).await;
    let complete_after = |at: &str| {
        let api = api.clone();
        let path = format!("{JOBS}/{a}");
        let body = json!({ "completeAfterDateTime": at });
        async move { assert_eq!(api.patch(&path, body).await.status, 204) }
    };
    // A cutover in the future first, so the synced state can be seen.
    complete_after("2099-01-01T00:00:00Z").await;
    look(&api, &a, &mut jobs, &mut services).await;
    api.post_empty(&format!("{JOBS}/{a}/validate")).await;
    for _ in 0..7 {
        look(&api, &a, &mut jobs, &mut services).await;
        sim.clock().advance_secs(5);
    }
    assert_eq!(
        api.post_empty(&format!("{JOBS}/{a}/migrate")).await.status,
        200
    );
    for _ in 0..3 {
        look(&api, &a, &mut jobs, &mut services).await;
        sim.clock().advance_secs(10);
    }
    assert_eq!(status(&api, &a).await, "adminActionRequired");
    sim.state().resolve_admin_action(R2);
    for _ in 0..8 {
        look(&api, &a, &mut jobs, &mut services).await;
        sim.clock().advance_secs(10);
    }
    complete_after("2020-01-01T00:00:00Z").await;
    for _ in 0..4 {
        look(&api, &a, &mut jobs, &mut services).await;
        sim.clock().advance_secs(10);
    }
    assert_eq!(status(&api, &a).await, "completed");
    // Partial and total failures, an unknown resource.
    sim.state().set_approval_step(false);
    let b = create(&api, "partial", &[R1, FAILING]).await;
    let c = create(&api, "total", &[FAILING2]).await;
    for id in [&b, &c] {
        api.post_empty(&format!("{JOBS}/{id}/validate")).await;
    }
    sim.clock().advance_secs(30);
    for id in [&b, &c] {
        api.post_empty(&format!("{JOBS}/{id}/migrate")).await;
    }
    sim.clock().advance_secs(200);
    for id in [&b, &c] {
        look(&api, id, &mut jobs, &mut services).await;
    }
    sim.state().mark_resource_unknown(R3);
    let d = create(&api, "unknown", &[R3]).await;
    api.post_empty(&format!("{JOBS}/{d}/validate")).await;
    sim.clock().advance_secs(30);
    look(&api, &d, &mut jobs, &mut services).await;
    // Cancel, then delete.
    let e = create(&api, "cancel-delete", &[R1]).await;
    api.post_empty(&format!("{JOBS}/{e}/cancel")).await;
    look(&api, &e, &mut jobs, &mut services).await;
    sim.clock().advance_secs(10);
    look(&api, &e, &mut jobs, &mut services).await;
    api.delete(&format!("{JOBS}/{e}")).await;
    look(&api, &e, &mut jobs, &mut services).await;
    sim.clock().advance_secs(60);
    look(&api, &e, &mut jobs, &mut services).await;
    (jobs, services)
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn every_job_status_is_reachable() {
    let (jobs, _) = walk_every_status().await;
    assert_eq!(jobs, set(JOB_STATUSES));
}

#[tokio::test]
async fn every_service_status_is_reachable() {
    let (_, services) = walk_every_status().await;
    assert_eq!(services, set(SERVICE_STATUSES));
}

#[tokio::test]
async fn admin_action_waits_until_resolved_and_shows_error() {
    let (sim, api) = sim().await;
    sim.state().require_admin_action(R2);
    let id = create(&api, "admin", &[R1, R2]).await;
    api.post_empty(&format!("{JOBS}/{id}/validate")).await;
    sim.clock().advance_secs(30);
    api.post_empty(&format!("{JOBS}/{id}/migrate")).await;
    sim.clock().advance_secs(10);
    let j = api.get(&format!("{JOBS}/{id}")).await.json();
    assert_eq!(j["status"], "adminActionRequired");
    assert!(j["message"].as_str().unwrap().contains(R2));
    sim.clock().advance_secs(24 * 3600);
    assert_eq!(
        status(&api, &id).await,
        "adminActionRequired",
        "waits for a person"
    );
    let u = api.get(&format!("{JOBS}/{id}/users/{R2}")).await.json();
    assert_eq!(u["currentStatus"][0]["status"], "error");
    assert_eq!(
        u["currentStatus"][0]["errors"][0]["code"],
        "AdminActionRequired"
    );
    let u = api.get(&format!("{JOBS}/{id}/users/{R1}")).await.json();
    assert_eq!(u["currentStatus"][0]["status"], "syncing");
    sim.state().resolve_admin_action(R2);
    assert_eq!(status(&api, &id).await, "inProgress");
    sim.clock().advance_secs(100);
    assert_eq!(status(&api, &id).await, "completed");
}

#[tokio::test]
async fn binary_flags_set_the_scenario_knobs() {
    let (mut child, base) = spawn_binary(&[
        "--port",
        "0",
        "--time-scale",
        "0",
        "--approval-step",
        "--admin-action-resource",
        R2,
        "--force-complete-resource",
        R1,
    ])
    .await;
    let api = Api::new(&base);
    let advance = |s: u64| {
        let api = api.clone();
        async move {
            let r = api
                .post_empty(&format!("/_sim/clock/advance?seconds={s}"))
                .await;
            assert_eq!(r.status, 200);
        }
    };
    let id = create(&api, "flags", &[R1, R2]).await;
    api.post_empty(&format!("{JOBS}/{id}/validate")).await;
    advance(30).await;
    let migrated = api.post_empty(&format!("{JOBS}/{id}/migrate")).await.json();
    advance(20).await;
    let later = status(&api, &id).await;
    // The knobs can be read and changed at runtime: the administrator acts.
    let knobs = api.get("/_sim/scenarios").await.json();
    let resolved = api
        .send(
            "PUT",
            "/_sim/scenarios",
            Some(json!({"approvalStep": true, "forceCompleteResources": [R1]})),
        )
        .await;
    let resumed = status(&api, &id).await;
    child.kill().ok();
    child.wait().ok();
    assert_eq!(migrated["status"], "approved");
    assert_eq!(later, "adminActionRequired");
    assert_eq!(knobs["approvalStep"], true);
    assert_eq!(knobs["adminActionResources"], json!([R2]));
    assert_eq!(knobs["forceCompleteResources"], json!([R1]));
    assert_eq!(resolved.status, 200);
    assert_eq!(resolved.json()["adminActionResources"], json!([]));
    assert_eq!(resumed, "inProgress");
}

#[tokio::test]
async fn create_answers_the_enum_spellings_of_the_resource_page() {
    let (_sim, api) = sim().await;
    // The create page's example answers "status": "Submitted" and
    // "resourceType": "Users"; the resource page's enum member is `submitted`
    // and the other pages' examples answer "users".
    let r = api
        .post(
            JOBS,
            json!({
                "displayName": "xtmigration_user_req_1",
                "completeAfterDateTime": "2024-12-09T22:48:03.092Z",
                "sourceTenantId": "12345678-1234-1234-1234-123456789012",
                "exchangeSettings": {"targetDeliveryDomain": "xtmigration.onmicrosoft.com", "sourceEndpoint": "sampleEndpointText"},
                "resources": [R1, R2, R3],
                "resourceType": "Users",
                "workloads": ["Teams", "Exchange", "ODSP"]
            }),
        )
        .await;
    assert_eq!(r.status, 201);
    let j = r.json();
    assert_eq!(j["status"], "submitted");
    assert_eq!(j["resourceType"], "users");
    assert!(
        j["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("$metadata#solutions/migrations/crossTenantMigrationJobs/$entity")
    );
}

#[tokio::test]
async fn complete_after_in_the_past_starts_nothing_before_migrate() {
    let (sim, api) = sim().await;
    // The update page: "If completeAfterDateTime is set to the past, the job starts
    // processing"; the current create page: creating starts nothing, migrate does.
    let id = create(&api, "past", &[R1]).await;
    let r = api
        .patch(
            &format!("{JOBS}/{id}"),
            json!({"completeAfterDateTime": "2020-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!((r.status, r.text.as_str()), (204, ""));
    sim.clock().advance_secs(3600);
    assert_eq!(status(&api, &id).await, "submitted");
}
