//! crossTenantMigrationJob operations and lifecycle over HTTP.

use serde_json::{Value, json};

use crate::support::*;

const R1: &str = "4dd550d9-9ea2-4e71-a16b-60b1d1c4f506";
const R2: &str = "63f15b55-f61a-49cb-a599-2e3d233afb2c";
const R3: &str = "41d94bac-3a53-47d6-a89e-583830104e15";

/// The request body of the documented create example (with a given name).
fn create_body(name: &str) -> Value {
    json!({
        "displayName": name,
        "completeAfterDateTime": "2024-12-09T22:48:03.092Z",
        "sourceTenantId": "12345678-1234-1234-1234-123456789012",
        "exchangeSettings": {
            "targetDeliveryDomain": "xtmigration.onmicrosoft.com",
            "sourceEndpoint": "sampleEndpointText"
        },
        "resources": [R1, R2, R3],
        "resourceType": "Users",
        "workloads": ["Teams", "Exchange", "ODSP"]
    })
}

fn statuses(task: &Value) -> Vec<String> {
    task["currentStatus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap().to_string())
        .collect()
}

async fn status_of(api: &Api, id: &str) -> String {
    let r = api.get(&format!("{JOBS}/{id}")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["status"].as_str().unwrap().to_string()
}

async fn create(api: &Api, name: &str) -> String {
    let r = api.post(JOBS, create_body(name)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()["id"].as_str().unwrap().to_string()
}

/// Creates a job and validates it to validatePassed.
async fn validated(sim: &graph_sim::SimHandle, api: &Api, name: &str) -> String {
    let id = create(api, name).await;
    let r = api.post_empty(&format!("{JOBS}/{id}/validate")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    sim.clock().advance_secs(30);
    assert_eq!(status_of(api, &id).await, "validatePassed");
    id
}

#[tokio::test]
async fn create_get_by_id_alternate_key_and_beta_prefix() {
    let (sim, api) = sim().await;
    let r = api.post(JOBS, create_body("Contoso_migration_job")).await;
    assert_eq!(r.status, 201);
    let job = r.json();
    let id = job["id"].as_str().unwrap().to_string();
    assert_eq!(job["status"], "submitted");
    assert_eq!(job["jobType"], "migrate");
    assert_eq!(job["resourceType"], "users");
    assert_eq!(job["workloads"], json!(["Teams", "Exchange", "ODSP"]));
    assert_eq!(
        job["targetTenantId"],
        "87654321-4321-4321-4321-210987654321"
    );
    assert_eq!(job["createdBy"], "admin@fabrikam.onmicrosoft.com");
    assert_eq!(job["resources"], json!([R1, R2, R3]));
    assert_eq!(job["completeAfterDateTime"], "2024-12-09T22:48:03.092Z");
    assert_eq!(
        job["exchangeSettings"]["sourceEndpoint"],
        "sampleEndpointText"
    );
    assert!(
        job["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("$metadata#solutions/migrations/crossTenantMigrationJobs/$entity")
    );
    assert_eq!(job["createdDateTime"], json!(job["lastUpdatedDateTime"]));

    let by_id = api.get(&format!("{JOBS}/{id}")).await.json();
    assert_eq!(by_id["displayName"], "Contoso_migration_job");
    let paren = api.get(&format!("{JOBS}('{id}')")).await.json();
    assert_eq!(paren["id"], json!(id));
    let lower = api
        .get(&format!(
            "/solutions/migrations/crosstenantmigrationjobs/{id}"
        ))
        .await;
    assert_eq!(lower.status, 200);
    let beta = api.get(&format!("/beta{JOBS}/{id}")).await.json();
    assert_eq!(beta["id"], json!(id));
    assert!(
        beta["@odata.context"]
            .as_str()
            .unwrap()
            .contains("/beta/$metadata#")
    );

    // Alternate key with characters that need quoting and percent-encoding.
    let odd = "Q3 move: R&D's / 50% (phase 1)";
    let odd_id = create(&api, odd).await;
    let r = api.get(&format!("{JOBS}(displayName={})", lit(odd))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["id"], json!(odd_id));
    assert_eq!(
        sim.stats()
            .requests("GET", &format!("{JOBS}(displayName='{{displayName}}')")),
        1
    );
    // Alternate key works for actions too.
    let r = api
        .post_empty(&format!("{JOBS}(displayName={})/validate", lit(odd)))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "validateSubmitted");

    let r = api
        .get(&format!("{JOBS}/00000000-1111-2222-3333-444444444444"))
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.error().1,
        "The specified crossTenantMigrationJob wasn't found."
    );
}

#[tokio::test]
async fn create_rejects_bad_requests() {
    let (_sim, api) = sim().await;
    let mut b = create_body("x");
    b.as_object_mut().unwrap().remove("displayName");
    let r = api.post(JOBS, b).await;
    assert_eq!(r.status, 400);
    assert!(r.error().1.contains("displayName"), "{}", r.text);

    let mut b = create_body("x");
    b["resourceType"] = json!("Groups");
    assert_eq!(api.post(JOBS, b).await.status, 400);

    let mut b = create_body("x");
    b["resorces"] = json!([]);
    let r = api.post(JOBS, b).await;
    assert_eq!(r.status, 400);
    assert!(r.error().1.contains("'resorces' does not exist"));

    let mut b = create_body("x");
    b["resources"] = json!(
        (0..2001)
            .map(|_| uuid::Uuid::new_v4().to_string())
            .collect::<Vec<_>>()
    );
    assert_eq!(api.post(JOBS, b).await.status, 400);

    let r = api.send("POST", JOBS, None).await;
    assert_eq!(r.status, 400);
    let r = api
        .http
        .post(format!("{}{JOBS}", api.base))
        .header("Authorization", "Bearer sim.*")
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    // Case-insensitive enum input, schema casing in the answer; read-only properties ignored.
    let mut b = create_body("enum-case");
    b["jobType"] = json!("VALIDATE");
    b["status"] = json!("completed");
    b["workloads"] = json!(["teams", "odsp"]);
    let r = api.post(JOBS, b).await;
    assert_eq!(r.status, 201);
    let j = r.json();
    assert_eq!(j["jobType"], "validate");
    assert_eq!(j["status"], "submitted");
    assert_eq!(j["workloads"], json!(["Teams", "ODSP"]));

    // Unique display names (case-insensitive).
    assert_eq!(api.post(JOBS, create_body("dup")).await.status, 201);
    let r = api.post(JOBS, create_body("DUP")).await;
    assert_eq!(r.status, 409);
    assert_eq!(r.error().0, "conflict");
}

#[tokio::test]
async fn full_lifecycle_driven_by_the_clock() {
    let (sim, api) = sim().await;
    let clock = sim.clock();
    let id = create(&api, "lifecycle").await;

    // Migrate before validation: 409 with the documented message.
    let r = api.post_empty(&format!("{JOBS}/{id}/migrate")).await;
    assert_eq!(r.status, 409);
    assert_eq!(
        r.error().1,
        "The job isn't in a valid status for migration. The job must be in validatePassed, failed, or completedWithErrors status."
    );

    let r = api.post_empty(&format!("{JOBS}/{id}/validate")).await;
    assert_eq!(r.status, 200);
    let j = r.json();
    assert_eq!(j["status"], "validateSubmitted");
    assert_eq!(
        j["message"],
        "Validation job has been submitted successfully"
    );
    assert!(
        j["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("#microsoft.graph.crossTenantMigrationJob")
    );

    clock.advance_secs(4);
    assert_eq!(status_of(&api, &id).await, "validateSubmitted");
    clock.advance_secs(1);
    assert_eq!(status_of(&api, &id).await, "validateProcessing");
    clock.advance_secs(5);
    assert_eq!(status_of(&api, &id).await, "validateInProgress");
    clock.advance_secs(20);
    let j = api.get(&format!("{JOBS}/{id}")).await.json();
    assert_eq!(j["status"], "validatePassed");
    assert_eq!(
        j["message"],
        "Validation has completed successfully with no failures."
    );
    let users = api.get(&format!("{JOBS}/{id}/users")).await.json();
    assert_eq!(users["value"].as_array().unwrap().len(), 3);
    assert_eq!(statuses(&users["value"][0]), vec!["valid"; 3]);

    let t0 = clock.now();
    let r = api.post_empty(&format!("{JOBS}/{id}/migrate")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let j = r.json();
    assert_eq!(j["status"], "processing");
    assert_eq!(j["jobType"], "migrate");
    assert_eq!(
        j["message"],
        "Migration job has been submitted successfully"
    );

    // Put the cutover in the future so the job waits after syncing.
    let future = t0 + std::time::Duration::from_secs(3600);
    let future_s = future
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let r = api
        .patch(
            &format!("{JOBS}/{id}"),
            json!({"completeAfterDateTime": future_s}),
        )
        .await;
    assert_eq!(r.status, 204);

    clock.advance_secs(10);
    assert_eq!(status_of(&api, &id).await, "inProgress");
    let u = api.get(&format!("{JOBS}/{id}/users/{R1}")).await.json();
    assert_eq!(statuses(&u), vec!["syncing"; 3]);
    clock.advance_secs(60);
    assert_eq!(status_of(&api, &id).await, "inProgress");
    let u = api.get(&format!("{JOBS}/{id}/users/{R1}")).await.json();
    assert_eq!(statuses(&u), vec!["synced"; 3]);
    clock.advance_secs(600);
    assert_eq!(
        status_of(&api, &id).await,
        "inProgress",
        "waits for completeAfterDateTime"
    );

    // Bring completeAfterDateTime to the past: the cutover starts.
    let r = api
        .patch(
            &format!("{JOBS}/{id}"),
            json!({"completeAfterDateTime": "2020-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(status_of(&api, &id).await, "cuttingOver");
    let r = api
        .patch(
            &format!("{JOBS}/{id}"),
            json!({"completeAfterDateTime": "2020-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(r.status, 409, "no updates while cutting over");
    let r = api.post_empty(&format!("{JOBS}/{id}/cancel")).await;
    assert_eq!(r.status, 409, "cutover can't be cancelled");

    clock.advance_secs(30);
    let j = api.get(&format!("{JOBS}/{id}")).await.json();
    assert_eq!(j["status"], "completed");
    assert_eq!(
        j["message"],
        "The batch and all of its users have been successfully migrated with no failures."
    );
    let users = api.get(&format!("{JOBS}/{id}/users")).await.json();
    for u in users["value"].as_array().unwrap() {
        assert_eq!(statuses(u), vec!["completed"; 3]);
    }
    // A completed job can't be migrated again, nor cancelled.
    assert_eq!(
        api.post_empty(&format!("{JOBS}/{id}/migrate")).await.status,
        409
    );
    let r = api.post_empty(&format!("{JOBS}/{id}/cancel")).await;
    assert_eq!(r.status, 409);
}

#[tokio::test]
async fn collection_bound_validate_and_validation_failures() {
    let (sim, api) = sim().await;
    let body = json!({
        "displayName": "Contoso_migration_validation_job",
        "completeAfterDateTime": "2025-05-22T17:14:52Z",
        "sourceTenantId": "12345678-1234-1234-1234-123456789012",
        "exchangeSettings": {"targetDeliveryDomain": "fabrikam.com", "sourceEndpoint": "EXOHandler"},
        "resources": ["b5b8bc4f-0e36-4ad3-8ddf-248b68260b89", "ac87d040-a081-426c-a73b-81133f458a29"],
        "workloads": ["Teams"],
        "resourceType": "Users"
    });
    let r = api.post(&format!("{JOBS}/validate"), body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let j = r.json();
    assert_eq!(j["status"], "validateSubmitted");
    assert_eq!(j["jobType"], "validate");
    assert_eq!(
        j["message"],
        "Validation job has been submitted successfully"
    );
    let ok_id = j["id"].as_str().unwrap().to_string();

    // Empty workloads list fails validation.
    let mut b = create_body("no-workloads");
    b["workloads"] = json!([]);
    let bad1 = api
        .post(&format!("{JOBS}/microsoft.graph.validate"), b)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Unknown and non-GUID resources fail validation.
    let unknown = "11111111-2222-3333-4444-555555555555";
    sim.state().mark_resource_unknown(unknown);
    let mut b = create_body("bad-resources");
    b["resources"] = json!([R1, unknown, "not-a-guid"]);
    let bad2 = api.post(&format!("{JOBS}/validate"), b).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Omitted workloads mean all of them, Exchange included: without
    // exchangeSettings the job is created and its validation fails.
    let mut b = create_body("no-exchange-settings");
    b.as_object_mut().unwrap().remove("exchangeSettings");
    b.as_object_mut().unwrap().remove("workloads");
    let bad3 = api.post(&format!("{JOBS}/validate"), b).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();

    sim.clock().advance_secs(30);
    assert_eq!(status_of(&api, &ok_id).await, "validatePassed");
    let j = api.get(&format!("{JOBS}/{bad1}")).await.json();
    assert_eq!(j["status"], "validateFailed");
    assert!(
        j["message"]
            .as_str()
            .unwrap()
            .contains("At least one workload")
    );
    assert_eq!(status_of(&api, &bad3).await, "validateFailed");
    let users = api.get(&format!("{JOBS}/{bad2}/users")).await.json();
    let by_id = |id: &str| {
        users["value"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(statuses(&by_id(R1)), vec!["valid"; 3]);
    let u = by_id(unknown);
    assert_eq!(statuses(&u), vec!["invalid"; 3]);
    assert_eq!(
        u["currentStatus"][0]["errors"][0]["code"],
        "InvalidResource"
    );
    assert!(
        u["currentStatus"][0]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not found")
    );
    assert_eq!(statuses(&by_id("not-a-guid")), vec!["invalid"; 3]);
    assert_eq!(status_of(&api, &bad2).await, "validateFailed");

    // validateFailed can't be migrated; it can be revalidated.
    assert_eq!(
        api.post_empty(&format!("{JOBS}/{bad1}/migrate"))
            .await
            .status,
        409
    );
    let r = api.post_empty(&format!("{JOBS}/{bad1}/validate")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "validateSubmitted");
    // ...but not while validating.
    assert_eq!(
        api.post_empty(&format!("{JOBS}/{bad1}/validate"))
            .await
            .status,
        409
    );

    // The validated job migrates (namespace-qualified action name works too).
    let r = api
        .post_empty(&format!("{JOBS}/{ok_id}/microsoft.graph.migrate"))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["jobType"], "migrate");
}

#[tokio::test]
async fn validation_expires_after_seven_days() {
    let (sim, api) = sim().await;
    let id = validated(&sim, &api, "expiry").await;
    sim.clock().advance_secs(7 * 24 * 3600 + 1);
    let r = api.post_empty(&format!("{JOBS}/{id}/migrate")).await;
    assert_eq!(r.status, 409);
    assert_eq!(
        r.error().1,
        "The validation results expired (more than seven days ago). Revalidate the job before you call the migrate API."
    );
    assert_eq!(status_of(&api, &id).await, "validatePassed");
    let r = api.post_empty(&format!("{JOBS}/{id}/validate")).await;
    assert_eq!(r.status, 200);
    sim.clock().advance_secs(30);
    assert_eq!(
        api.post_empty(&format!("{JOBS}/{id}/migrate")).await.status,
        200
    );
}

#[tokio::test]
async fn completed_with_errors_failed_and_remigration() {
    let (sim, api) = sim().await;
    let failing = "deadbeef-0000-4000-8000-000000000001";
    let mut b = create_body("partial");
    b["resources"] = json!([R1, failing]);
    b["completeAfterDateTime"] = json!("2020-01-01T00:00:00Z");
    let id = api.post(JOBS, b).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    api.post_empty(&format!("{JOBS}/{id}/validate")).await;
    sim.clock().advance_secs(30);
    assert_eq!(
        api.post_empty(&format!("{JOBS}/{id}/migrate")).await.status,
        200
    );
    sim.clock().advance_secs(10 + 60 + 30);
    let j = api.get(&format!("{JOBS}/{id}")).await.json();
    assert_eq!(j["status"], "completedWithErrors");
    assert!(j["message"].as_str().unwrap().contains("1 of 2"));
    let f = api
        .get(&format!("{JOBS}/{id}/users('{failing}')"))
        .await
        .json();
    assert_eq!(statuses(&f), vec!["failed"; 3]);
    assert_eq!(
        f["currentStatus"][0]["errors"][0]["code"],
        "MigrationFailed"
    );

    // Migrate again: the failing user is still failing → completedWithErrors again.
    assert_eq!(
        api.post_empty(&format!("{JOBS}/{id}/migrate")).await.status,
        200
    );
    let ok = api.get(&format!("{JOBS}/{id}/users/{R1}")).await.json();
    assert_eq!(
        statuses(&ok),
        vec!["completed"; 3],
        "completed users stay completed"
    );
    sim.clock().advance_secs(100);
    assert_eq!(status_of(&api, &id).await, "completedWithErrors");

    // All users failing → failed; after fixing, a new migration completes.
    let other = "0f0f0f0f-1111-4111-8111-111111111111";
    sim.state().mark_resource_failing(other);
    let mut b = create_body("all-fail");
    b["resources"] = json!([other]);
    b["completeAfterDateTime"] = json!("2020-01-01T00:00:00Z");
    let id2 = api.post(JOBS, b).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    api.post_empty(&format!("{JOBS}/{id2}/validate")).await;
    sim.clock().advance_secs(30);
    api.post_empty(&format!("{JOBS}/{id2}/migrate")).await;
    sim.clock().advance_secs(100);
    assert_eq!(status_of(&api, &id2).await, "failed");
    sim.state().clear_resource_failing(other);
    assert_eq!(
        api.post_empty(&format!("{JOBS}/{id2}/migrate"))
            .await
            .status,
        200
    );
    sim.clock().advance_secs(100);
    assert_eq!(status_of(&api, &id2).await, "completed");
}

#[tokio::test]
async fn cancel_job_and_delete() {
    let (sim, api) = sim().await;
    let id = validated(&sim, &api, "cancel-me").await;
    // validatePassed is final for validation: cancel → 409.
    assert_eq!(
        api.post_empty(&format!("{JOBS}/{id}/cancel")).await.status,
        409
    );
    api.post_empty(&format!("{JOBS}/{id}/migrate")).await;
    // In progress: delete → 409.
    let r = api.delete(&format!("{JOBS}/{id}")).await;
    assert_eq!(r.status, 409);

    let r = api.post_empty(&format!("{JOBS}/{id}/cancel")).await;
    assert_eq!(r.status, 202);
    let c = r.json();
    assert_eq!(c["status"], "pendingCancel");
    assert_eq!(
        c["message"],
        "cancellation request has been accepted for the migration job"
    );
    assert_eq!(c["id"], json!(id));
    assert_eq!(c["displayName"], "cancel-me");
    assert_eq!(
        api.post_empty(&format!("{JOBS}/{id}/cancel")).await.status,
        409
    );
    assert_eq!(status_of(&api, &id).await, "pendingCancel");
    let u = api.get(&format!("{JOBS}/{id}/users/{R2}")).await.json();
    assert_eq!(statuses(&u), vec!["pendingCancel"; 3]);
    sim.clock().advance_secs(10);
    assert_eq!(status_of(&api, &id).await, "cancelled");
    let u = api.get(&format!("{JOBS}/{id}/users/{R2}")).await.json();
    assert_eq!(statuses(&u), vec!["cancelled"; 3]);
    let r = api.post_empty(&format!("{JOBS}/{id}/cancel")).await;
    assert_eq!(r.status, 409);
    assert!(r.error().1.contains("terminal"));

    // Delete a final job: 202, pendingDelete, deleted, then gone.
    let r = api.delete(&format!("{JOBS}/{id}")).await;
    assert_eq!(r.status, 202);
    assert_eq!(r.text, "");
    assert_eq!(status_of(&api, &id).await, "pendingDelete");
    // Deleting again while it is pending: not a final state, 409.
    let again = api.delete(&format!("{JOBS}/{id}")).await;
    assert_eq!(again.status, 409, "{}", again.text);
    assert!(again.error().1.contains("final state"), "{}", again.text);
    sim.clock().advance_secs(60);
    assert_eq!(status_of(&api, &id).await, "deleted");
    assert_eq!(api.delete(&format!("{JOBS}/{id}")).await.status, 202);
    sim.clock().advance_secs(60);
    assert_eq!(api.get(&format!("{JOBS}/{id}")).await.status, 404);
    // A submitted job isn't final: 409; cancelled, it can be deleted (by alternate key).
    create(&api, "delete by name").await;
    let by_name = format!("{JOBS}(displayName={})", lit("delete by name"));
    let r = api.delete(&by_name).await;
    assert_eq!(r.status, 409);
    assert!(r.error().1.contains("final state"), "{}", r.text);
    assert_eq!(
        api.post_empty(&format!("{by_name}/cancel")).await.status,
        202
    );
    sim.clock().advance_secs(10);
    assert_eq!(api.delete(&by_name).await.status, 202);
}

#[tokio::test]
async fn users_collection_and_task_operations() {
    let (sim, api) = sim().await;
    let id = create(&api, "users").await;
    let users = format!("{JOBS}/{id}/users");
    let r = api.get(&format!("{users}/$count")).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type").unwrap(),
        "text/plain; charset=utf-8"
    );
    assert_eq!(r.text, "3");

    let new_user = "9a9a9a9a-1234-4321-8888-abcdefabcdef";
    let r = api
        .post(&users, json!({"id": new_user, "taskType": "user"}))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let t = r.json();
    assert_eq!(t["id"], new_user);
    assert_eq!(statuses(&t), vec!["notStarted"; 3]);
    assert_eq!(api.post(&users, json!({"id": new_user})).await.status, 409);
    assert_eq!(api.get(&format!("{users}/$count")).await.text, "4");
    assert!(
        api.get(&format!("{JOBS}/{id}")).await.json()["resources"]
            .as_array()
            .unwrap()
            .contains(&json!(new_user))
    );

    let r = api
        .patch(
            &format!("{users}/{new_user}"),
            json!({"taskType": "mailbox"}),
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        api.get(&format!("{users}('{new_user}')")).await.json()["taskType"],
        "mailbox"
    );
    assert_eq!(
        api.patch(&format!("{users}/{new_user}"), json!({"currentStatus": []}))
            .await
            .status,
        400
    );
    assert_eq!(api.delete(&format!("{users}/{new_user}")).await.status, 204);
    assert_eq!(api.get(&format!("{users}/{new_user}")).await.status, 404);
    assert_eq!(api.get(&format!("{users}/$count")).await.text, "3");

    // Validate, migrate, cancel one user while syncing.
    api.patch(
        &format!("{JOBS}/{id}"),
        json!({"completeAfterDateTime": "2020-01-01T00:00:00Z"}),
    )
    .await;
    api.post_empty(&format!("{JOBS}/{id}/validate")).await;
    sim.clock().advance_secs(30);
    api.post_empty(&format!("{JOBS}/{id}/migrate")).await;
    assert_eq!(
        api.post(&users, json!({"id": new_user})).await.status,
        409,
        "no adds after migrate"
    );
    sim.clock().advance_secs(10);
    let r = api.post_empty(&format!("{users}/{R3}/cancel")).await;
    assert_eq!(r.status, 202, "{}", r.text);
    let c = r.json();
    assert_eq!(c["status"], "Accepted");
    assert_eq!(
        c["message"],
        json!(format!(
            "Cancellation request for user id: {R3} from batch: {id} was accepted."
        ))
    );
    assert_eq!(
        api.post_empty(&format!("{users}/{R3}/cancel")).await.status,
        409
    );
    sim.clock().advance_secs(100);
    assert_eq!(status_of(&api, &id).await, "completed");
    assert_eq!(
        statuses(&api.get(&format!("{users}/{R3}")).await.json()),
        vec!["cancelled"; 3]
    );
    assert_eq!(
        statuses(&api.get(&format!("{users}/{R1}")).await.json()),
        vec!["completed"; 3]
    );
    assert_eq!(
        api.post_empty(&format!("{users}/{R1}/cancel")).await.status,
        409
    );
    assert_eq!(api.get(&format!("{users}/nope")).await.status, 404);
}

#[tokio::test]
async fn patch_rules_and_migrations_root() {
    let (_sim, api) = sim().await;
    let id = create(&api, "patch").await;
    let r = api
        .patch(&format!("{JOBS}/{id}"), json!({"displayName": "renamed"}))
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.error()
            .1
            .contains("Only updates to completeAfterDateTime are supported")
    );
    assert_eq!(
        api.patch(&format!("{JOBS}/{id}"), json!({})).await.status,
        400
    );
    let r = api
        .patch(
            &format!("{JOBS}/{id}"),
            json!({"completeAfterDateTime": "2031-02-03T04:05:06Z"}),
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        api.get(&format!("{JOBS}/{id}")).await.json()["completeAfterDateTime"],
        "2031-02-03T04:05:06Z"
    );
    let r = api
        .patch(
            &format!("{JOBS}(displayName='patch')"),
            json!({"completeAfterDateTime": "2032-02-03T04:05:06+02:00"}),
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        api.get(&format!("{JOBS}/{id}")).await.json()["completeAfterDateTime"],
        "2032-02-03T02:05:06Z",
        "answered in UTC"
    );

    let root = api.get("/solutions/migrations").await;
    assert_eq!(root.status, 200);
    let v = root.json();
    assert!(v["id"].is_string());
    assert!(
        v["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("#solutions/migrations/$entity")
    );
    assert_eq!(
        api.patch("/solutions/migrations", json!({})).await.status,
        204
    );
    assert_eq!(
        api.patch("/solutions/migrations", json!({"x": 1}))
            .await
            .status,
        400
    );
    assert_eq!(api.delete("/solutions/migrations").await.status, 405);
}

#[tokio::test]
async fn seeded_status_helpers() {
    let (sim, api) = sim().await;
    let j = sim
        .state()
        .seed_job_with_status(create_body("seeded"), "validatePassed")
        .unwrap();
    let id = j["id"].as_str().unwrap();
    assert_eq!(j["status"], "validatePassed");
    assert_eq!(
        api.post_empty(&format!("{JOBS}/{id}/migrate")).await.status,
        200
    );
    let err = sim.state().seed_job(create_body("seeded")).unwrap_err();
    assert_eq!(err.status, 409);
    assert_eq!(sim.state().jobs().len(), 1);
    assert_eq!(sim.state().job_users(id).unwrap().len(), 3);
}
