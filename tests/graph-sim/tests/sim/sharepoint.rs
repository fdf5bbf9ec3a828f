//! sharePointMigrationTask operations, the documented examples and the error table.

use serde_json::{Value, json};

use crate::support::*;

const SRC_UPN: &str = "source-user@contoso.onmicrosoft.com";
const TGT_UPN: &str = "target-user@fabrico.onmicrosoft.com";

fn user_by_upn() -> Value {
    json!({
        "parameters": {
            "@odata.type": "#microsoft.graph.sharePointUserMigrationTaskParameters",
            "targetOrganizationHost": "https://fabrico-my.sharepoint.com",
            "sourceUserIdentity": {"userPrincipalName": SRC_UPN},
            "targetUserIdentity": {"userPrincipalName": TGT_UPN}
        }
    })
}

fn site() -> Value {
    json!({
        "parameters": {
            "@odata.type": "#microsoft.graph.sharePointSiteMigrationTaskParameters",
            "targetOrganizationHost": "https://fabrico-my.sharepoint.com",
            "sourceSiteUrl": "https://contoso.sharepoint.com/sites/IT",
            "targetSiteUrl": "https://fabrico.sharepoint.com/sites/IT"
        }
    })
}

fn group() -> Value {
    json!({
        "parameters": {
            "@odata.type": "#microsoft.graph.sharePointGroupMigrationTaskParameters",
            "targetOrganizationHost": "https://fabrico-my.sharepoint.com",
            "sourceGroupIdentity": {"mailNickname": "source-group"},
            "targetGroupIdentity": {"mailNickname": "target-group"}
        }
    })
}

async fn seeded() -> (graph_sim::SimHandle, Api) {
    let (sim, api) = sim().await;
    sim.state()
        .seed_user_mapping_json(json!({
            "sourceUserIdentity": {"id": "da157a29-f793-4dd6-9c73-41d2c73c2546", "userPrincipalName": SRC_UPN},
            "targetUserIdentity": {"id": "cb53ea98-6151-44cc-9c21-098a3c3e3988", "userPrincipalName": TGT_UPN},
            "userType": "regularUser"
        }))
        .unwrap();
    (sim, api)
}

#[tokio::test]
async fn documented_create_examples() {
    let (_sim, api) = seeded().await;

    // Example 1: user by UPN.
    let r = api.post(TASKS, user_by_upn()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let t = r.json();
    assert!(t["id"].is_string());
    assert_eq!(t["status"], "notStarted");
    assert_eq!(t["parameters"], user_by_upn()["parameters"]);
    assert!(t.get("startedDateTime").is_none());

    // Example 2: user by object id; identities are completed from the mapping.
    let r = api
        .post(
            TASKS,
            json!({"parameters": {
                "@odata.type": "#microsoft.graph.sharePointUserMigrationTaskParameters",
                "targetOrganizationHost": "https://fabrico-my.sharepoint.com",
                "sourceUserIdentity": {"id": "da157a29-f793-4dd6-9c73-41d2c73c2546"},
                "targetUserIdentity": {"id": "cb53ea98-6151-44cc-9c21-098a3c3e3988"}
            }}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let t = r.json();
    assert_eq!(
        t["parameters"]["sourceUserIdentity"]["id"],
        "da157a29-f793-4dd6-9c73-41d2c73c2546"
    );
    assert_eq!(
        t["id"],
        api.get(TASKS).await.json()["value"][0]["id"],
        "same source: create-or-update"
    );

    // Example 3: targetOrganizationId with a null targetDataLocationCode.
    let r = api
        .post(
            TASKS,
            json!({"parameters": {
                "@odata.type": "#microsoft.graph.sharePointUserMigrationTaskParameters",
                "targetOrganizationId": "78d010af-72cb-412f-8779-18ce9b5f553b",
                "targetDataLocationCode": null,
                "sourceUserIdentity": {"id": "da157a29-f793-4dd6-9c73-41d2c73c2546"},
                "targetUserIdentity": {"id": "cb53ea98-6151-44cc-9c21-098a3c3e3988"}
            }}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let p = &r.json()["parameters"];
    assert_eq!(p["targetDataLocationCode"], "FRA");
    assert_eq!(
        p["targetOrganizationId"],
        "78d010af-72cb-412f-8779-18ce9b5f553b"
    );
    assert_eq!(p["sourceUserIdentity"]["userPrincipalName"], SRC_UPN);
    assert_eq!(p["targetUserIdentity"]["userPrincipalName"], TGT_UPN);

    // Example 4: site. Example 5: group (type name in other casing, no '#').
    let r = api.post(TASKS, site()).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["parameters"], site()["parameters"]);
    let mut g = group();
    g["parameters"]["@odata.type"] =
        json!("microsoft.graph.SharePointGroupMigrationTaskParameters");
    let r = api.post(TASKS, g).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["parameters"]["@odata.type"],
        "#microsoft.graph.sharePointGroupMigrationTaskParameters"
    );
    assert_eq!(api.get(&format!("{TASKS}/$count")).await.text, "3");
}

#[tokio::test]
async fn lifecycle_failure_cancel_patch_delete() {
    let (sim, api) = seeded().await;
    let clock = sim.clock();
    let user = api.post(TASKS, user_by_upn()).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut failing = site();
    failing["parameters"]["sourceSiteUrl"] =
        json!("https://contoso.sharepoint.com/sites/simfail-finance");
    let fail = api.post(TASKS, failing).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let to_cancel = api.post(TASKS, group()).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();

    let r = api.post_empty(&format!("{TASKS}/{to_cancel}/cancel")).await;
    assert_eq!(r.status, 204);
    assert_eq!(r.text, "");
    let c = api.get(&format!("{TASKS}/{to_cancel}")).await.json();
    assert_eq!(c["status"], "cancelled");
    assert!(c["finishedDateTime"].is_string());
    assert_eq!(
        api.post_empty(&format!("{TASKS}/{to_cancel}/cancel"))
            .await
            .status,
        409
    );

    clock.advance_secs(10);
    let t = api.get(&format!("{TASKS}/{user}")).await.json();
    assert_eq!(t["status"], "inProgress");
    assert!(t["startedDateTime"].is_string());
    assert!(t.get("finishedDateTime").is_none());
    assert_eq!(
        api.post_empty(&format!("{TASKS}('{user}')/cancel"))
            .await
            .status,
        409
    );
    assert_eq!(
        api.patch(
            &format!("{TASKS}/{user}"),
            json!({"parameters": {"preferredStartDateTime": "2030-01-01T00:00:00Z"}})
        )
        .await
        .status,
        409
    );
    assert_eq!(api.delete(&format!("{TASKS}/{user}")).await.status, 409);
    assert_eq!(
        api.post(TASKS, user_by_upn()).await.status,
        409,
        "already in progress"
    );

    clock.advance_secs(60);
    let t = api.get(&format!("{TASKS}/{user}")).await.json();
    assert_eq!(t["status"], "completed");
    assert!(t["finishedDateTime"].is_string());
    assert_eq!(t["lastUpdatedDateTime"], t["finishedDateTime"]);
    let f = api.get(&format!("{TASKS}/{fail}")).await.json();
    assert_eq!(f["status"], "failed");
    assert_eq!(f["error"]["code"], "migrationFailed");

    assert_eq!(api.delete(&format!("{TASKS}/{user}")).await.status, 204);
    let r = api.get(&format!("{TASKS}/{user}")).await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.error().1,
        format!("The migration task {user} could not be found.")
    );

    // $filter on status and a nested parameter.
    let r = api
        .get(&format!("{TASKS}?$filter=status%20eq%20'failed'"))
        .await
        .json();
    assert_eq!(r["value"].as_array().unwrap().len(), 1);
    let r = api
        .get(&format!(
            "{TASKS}?$filter=parameters/sourceSiteUrl%20eq%20'https://contoso.sharepoint.com/sites/simfail-finance'&$select=status"
        ))
        .await
        .json();
    assert_eq!(r["value"][0], json!({"id": fail, "status": "failed"}));
}

#[tokio::test]
async fn preferred_start_and_latest_start() {
    let (sim, api) = seeded().await;
    let clock = sim.clock();
    let start = clock.now() + std::time::Duration::from_secs(3 * 3600);
    let fmt = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let mut b = user_by_upn();
    b["parameters"]["preferredStartDateTime"] = json!(fmt(start));
    let r = api.post(TASKS, b).await;
    assert_eq!(r.status, 200);
    let t = r.json();
    assert_eq!(t["status"], "notStarted");
    assert_eq!(t["parameters"]["preferredStartDateTime"], json!(fmt(start)));
    let id = t["id"].as_str().unwrap().to_string();

    clock.advance_secs(3 * 3600 - 1);
    assert_eq!(
        api.get(&format!("{TASKS}/{id}")).await.json()["status"],
        "notStarted"
    );
    clock.advance_secs(1);
    let t = api.get(&format!("{TASKS}/{id}")).await.json();
    assert_eq!(t["status"], "inProgress");
    assert_eq!(t["startedDateTime"], json!(fmt(start)));

    // A task whose preferred start passes its latest start is cancelled.
    let mut b = site();
    b["parameters"]["preferredStartDateTime"] =
        json!(fmt(clock.now() + std::time::Duration::from_secs(600)));
    b["parameters"]["preferredLatestStartDateTime"] =
        json!(fmt(clock.now() + std::time::Duration::from_secs(1200)));
    let id2 = api.post(TASKS, b).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Move the preferred start after the latest start: PATCH is validated.
    let r = api
        .patch(
            &format!("{TASKS}/{id2}"),
            json!({"parameters": {"preferredStartDateTime": fmt(clock.now() + std::time::Duration::from_secs(1800))}}),
        )
        .await;
    assert_eq!(r.status, 400);
    let r = api
        .patch(
            &format!("{TASKS}/{id2}"),
            json!({"parameters": {"preferredStartDateTime": fmt(clock.now() + std::time::Duration::from_secs(900))}}),
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        api.patch(&format!("{TASKS}/{id2}"), json!({"status": "completed"}))
            .await
            .status,
        400
    );
    clock.advance_secs(899);
    assert_eq!(
        api.get(&format!("{TASKS}/{id2}")).await.json()["status"],
        "notStarted"
    );
    clock.advance_secs(1);
    assert_eq!(
        api.get(&format!("{TASKS}/{id2}")).await.json()["status"],
        "inProgress"
    );

    // latest < start (queue) → cancelled at the latest start.
    let mut b = group();
    b["parameters"]["preferredLatestStartDateTime"] =
        json!(fmt(clock.now() + std::time::Duration::from_secs(5)));
    let id3 = api.post(TASKS, b).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    clock.advance_secs(5);
    let t = api.get(&format!("{TASKS}/{id3}")).await.json();
    assert_eq!(t["status"], "cancelled");
    assert_eq!(t["error"]["code"], "preferredLatestStartDateTimeExceeded");

    let mut b = site();
    b["parameters"]["preferredStartDateTime"] = json!("2030-01-02T00:00:00Z");
    b["parameters"]["preferredLatestStartDateTime"] = json!("2030-01-01T00:00:00Z");
    assert_eq!(api.post(TASKS, b).await.status, 400);
}

#[tokio::test]
async fn validate_only_creates_nothing() {
    let (_sim, api) = seeded().await;
    let mut b = user_by_upn();
    b["parameters"]["validateOnly"] = json!(true);
    let r = api.post(TASKS, b.clone()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    assert_eq!(v["status"], "completed");
    assert!(v.get("id").is_none());
    assert_eq!(v["parameters"], b["parameters"]);
    assert_eq!(api.get(&format!("{TASKS}/$count")).await.text, "0");
    // The same checks apply: no trust → 422, nothing created either.
    b["parameters"]["targetOrganizationHost"] = json!("https://woodgrove-my.sharepoint.com");
    assert_eq!(api.post(TASKS, b).await.status, 422);
    assert_eq!(api.get(TASKS).await.json()["value"], json!([]));
}

#[tokio::test]
async fn documented_error_table() {
    let (sim, api) = seeded().await;
    let missing = |name: &str| {
        format!("Cannot process the request because the required parameter {name} is missing.")
    };

    // 400: missing parameters.
    let r = api.post(TASKS, json!({})).await;
    assert_eq!((r.status, r.error().1), (400, missing("parameters")));
    let mut b = user_by_upn();
    b["parameters"]
        .as_object_mut()
        .unwrap()
        .remove("@odata.type");
    assert_eq!(api.post(TASKS, b).await.error().1, missing("@odata.type"));
    let mut b = user_by_upn();
    b["parameters"]
        .as_object_mut()
        .unwrap()
        .remove("sourceUserIdentity");
    assert_eq!(
        api.post(TASKS, b).await.error().1,
        missing("sourceUserIdentity")
    );
    let mut b = user_by_upn();
    b["parameters"]["targetUserIdentity"] = json!({});
    assert_eq!(
        api.post(TASKS, b).await.error().1,
        missing("targetUserIdentity.userPrincipalName")
    );
    let mut b = site();
    b["parameters"]
        .as_object_mut()
        .unwrap()
        .remove("targetSiteUrl");
    assert_eq!(api.post(TASKS, b).await.error().1, missing("targetSiteUrl"));
    let mut b = site();
    b["parameters"]
        .as_object_mut()
        .unwrap()
        .remove("targetOrganizationHost");
    assert_eq!(
        api.post(TASKS, b).await.error().1,
        missing("targetOrganizationHost")
    );
    let mut b = group();
    b["parameters"]["sourceGroupIdentity"] = json!({"displayName": "x"});
    assert_eq!(
        api.post(TASKS, b).await.error().1,
        missing("sourceGroupIdentity.mailNickname")
    );
    let mut b = site();
    b["parameters"]["sourceUserIdentity"] = json!({"userPrincipalName": "a@b.c"});
    assert_eq!(
        api.post(TASKS, b).await.status,
        400,
        "user property on a site task"
    );

    // 403 without the Manage permission.
    let reader = api.with_token(Some("sim.SharePointCrossTenantMigration.Read.All"));
    let r = reader.post(TASKS, site()).await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.error(),
        ("accessDenied".to_string(), "Access denied".to_string())
    );
    assert_eq!(reader.get(TASKS).await.status, 200);

    // 422: no trust relationship (host, then organization id).
    let mut b = site();
    b["parameters"]["targetOrganizationHost"] = json!("https://woodgrove-my.sharepoint.com");
    let r = api.post(TASKS, b).await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.error().1,
        "There is no Cross-Tenant relationship established for partner https://woodgrove-my.sharepoint.com and role target."
    );
    let mut b = site();
    b["parameters"]
        .as_object_mut()
        .unwrap()
        .remove("targetOrganizationHost");
    b["parameters"]["targetOrganizationId"] = json!("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    assert_eq!(api.post(TASKS, b).await.status, 422);
    sim.state().trust_target_host("woodgrove.sharepoint.com");
    let mut b = site();
    b["parameters"]["targetOrganizationHost"] = json!("https://woodgrove-my.sharepoint.com");
    assert_eq!(api.post(TASKS, b).await.status, 200, "trusted at runtime");

    // 422: no OneDrive.
    let mut b = user_by_upn();
    b["parameters"]["sourceUserIdentity"] =
        json!({"userPrincipalName": "noonedrive-amy@contoso.onmicrosoft.com"});
    let r = api.post(TASKS, b).await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.error().1,
        "Unable to get a OneDrive URL for source user UPN noonedrive-amy@contoso.onmicrosoft.com."
    );
    sim.state()
        .seed_user_mapping("bob@contoso.onmicrosoft.com", "bob@fabrico.onmicrosoft.com");
    sim.state()
        .add_upn_without_onedrive("bob@contoso.onmicrosoft.com");
    let mut b = user_by_upn();
    b["parameters"]["sourceUserIdentity"] =
        json!({"userPrincipalName": "bob@contoso.onmicrosoft.com"});
    assert_eq!(api.post(TASKS, b).await.error().0, "oneDriveNotFound");

    // 422: identity mapping missing.
    let mut b = user_by_upn();
    b["parameters"]["sourceUserIdentity"] =
        json!({"userPrincipalName": "carol@contoso.onmicrosoft.com"});
    let r = api.post(TASKS, b.clone()).await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.error().1,
        "Identity map entry for source UPN carol@contoso.onmicrosoft.com does not exist on the target tenant."
    );
    sim.state().set_require_identity_mapping(false);
    assert_eq!(api.post(TASKS, b).await.status, 200);

    // 501: same farm.
    let mut b = site();
    b["parameters"]["targetOrganizationHost"] = json!("https://contoso-my.sharepoint.com");
    b["parameters"]["targetSiteUrl"] = json!("https://contoso.sharepoint.com/sites/IT2");
    let r = api.post(TASKS, b).await;
    assert_eq!(r.status, 501);
    assert!(
        r.error()
            .1
            .starts_with("It has been detected that partners reside in the same SPO location")
    );

    // Bad @odata.type and unknown property.
    let mut b = site();
    b["parameters"]["@odata.type"] = json!("#microsoft.graph.somethingElse");
    assert_eq!(api.post(TASKS, b).await.status, 400);
    let mut b = site();
    b["parameters"]["sourceSiteId"] = json!("x");
    assert_eq!(api.post(TASKS, b).await.status, 400);
}

#[tokio::test]
async fn get_by_source_functions() {
    let (sim, api) = seeded().await;
    let odd_upn = "o'brien+test@contoso.onmicrosoft.com";
    sim.state()
        .seed_user_mapping(odd_upn, "obrien@fabrico.onmicrosoft.com");
    let mut b = user_by_upn();
    b["parameters"]["sourceUserIdentity"] = json!({"userPrincipalName": odd_upn});
    let u = api.post(TASKS, b).await.json()["id"].clone();
    let s = api.post(TASKS, site()).await.json()["id"].clone();
    let g = api.post(TASKS, group()).await.json()["id"].clone();

    let r = api
        .get(&format!(
            "{TASKS}/getBySourceUserPrincipalName(sourcePrincipalName={})",
            lit(odd_upn)
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["id"], u);
    let r = api
        .get(&format!(
            "{TASKS}/getBySourceSiteUrl(sourceSiteUrl={})",
            lit("https://contoso.sharepoint.com/sites/IT")
        ))
        .await;
    assert_eq!(r.json()["id"], s);
    // Unencoded slashes inside the literal (as in the documentation's example) work too.
    let r = api
        .get(&format!(
            "{TASKS}/getBySourceSiteUrl(sourceSiteUrl='https://contoso.sharepoint.com/sites/IT')?$select=status"
        ))
        .await;
    assert_eq!(
        r.json(),
        json!({"@odata.context": r.json()["@odata.context"], "id": s, "status": "notStarted"})
    );
    let r = api
        .get(&format!(
            "{TASKS}/microsoft.graph.getBySourceGroupMailNickname(sourceGroupMailNickname='SOURCE-GROUP')"
        ))
        .await;
    assert_eq!(r.json()["id"], g);

    let r = api
        .get(&format!(
            "{TASKS}/getBySourceGroupMailNickname(sourceGroupMailNickname='nobody')"
        ))
        .await;
    assert_eq!(r.status, 404);
    let r = api
        .get(&format!("{TASKS}/getBySourceUserPrincipalName()"))
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.error().1,
        "Cannot process the request because the required parameter sourcePrincipalName is missing."
    );
    let r = api
        .get(&format!(
            "{TASKS}/getBySourceUserPrincipalName(sourceUserPrincipalName='x@y.z')"
        ))
        .await;
    assert_eq!(r.status, 400, "the parameter is named sourcePrincipalName");

    // The latest task for a source wins.
    sim.clock().advance_secs(100);
    let s2 = api.post(TASKS, site()).await.json()["id"].clone();
    assert_ne!(s2, s);
    let r = api
        .get(&format!(
            "{TASKS}/getBySourceSiteUrl(sourceSiteUrl={})",
            lit("https://CONTOSO.sharepoint.com/sites/IT/")
        ))
        .await;
    assert_eq!(r.json()["id"], s2);
}

#[tokio::test]
async fn sharepoint_migrations_root() {
    let (_sim, api) = sim().await;
    let r = api.get("/solutions/sharePoint/migrations").await;
    assert_eq!(r.status, 200);
    assert!(
        r.json()["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("#solutions/sharePoint/migrations/$entity")
    );
    assert_eq!(
        api.patch("/beta/solutions/sharepoint/migrations", json!({}))
            .await
            .status,
        204
    );
    let reader = api.with_token(Some("sim.SharePointCrossTenantMigration.Read.All"));
    assert_eq!(
        reader
            .patch("/solutions/sharePoint/migrations", json!({}))
            .await
            .status,
        403
    );
}
