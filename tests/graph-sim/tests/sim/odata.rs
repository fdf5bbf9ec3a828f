//! Paging, query options, auth and the error shape.

use std::collections::HashSet;

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn paging_with_next_link_count_top_skip() {
    let (sim, _) = sim().await;
    let ids = sim.state().seed_jobs(250);
    // Address the simulator as "localhost": the nextLink must use that host.
    let port = sim.addr().port();
    let api = Api::new(&format!("http://localhost:{port}"));

    let first = api.get(&format!("{JOBS}?$count=true")).await;
    assert_eq!(first.status, 200);
    let v = first.json();
    assert_eq!(v["@odata.count"], 250);
    // The list page: "By default 20 objects are returned".
    assert_eq!(v["value"].as_array().unwrap().len(), 20);
    let next = v["@odata.nextLink"].as_str().unwrap().to_string();
    assert!(
        next.starts_with(&format!("http://localhost:{port}{JOBS}?")),
        "{next}"
    );
    assert!(next.contains("$count=true"));

    let mut seen: Vec<String> = v["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap().to_string())
        .collect();
    let mut link = Some(next);
    let mut pages = 1;
    while let Some(l) = link {
        let p = api.get(&l).await.json();
        assert_eq!(p["@odata.count"], 250);
        seen.extend(
            p["value"]
                .as_array()
                .unwrap()
                .iter()
                .map(|j| j["id"].as_str().unwrap().to_string()),
        );
        link = p["@odata.nextLink"].as_str().map(str::to_string);
        pages += 1;
    }
    assert_eq!(pages, 13);
    assert_eq!(seen, ids, "every job once, in creation order");
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 250);

    // $top is the page size; $skip offsets; nextLink keeps $top.
    let v = api.get(&format!("{JOBS}?$top=7&$skip=3")).await.json();
    let got: Vec<&str> = v["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        got,
        ids[3..10].iter().map(String::as_str).collect::<Vec<_>>()
    );
    let next = v["@odata.nextLink"].as_str().unwrap();
    assert!(
        next.contains("$top=7") && next.contains("$skiptoken=") && !next.contains("$skip=3"),
        "{next}"
    );
    let v = api.get(next).await.json();
    assert_eq!(v["value"][0]["id"], json!(ids[10]));

    // The last page has no nextLink.
    let v = api.get(&format!("{JOBS}?$skip=245")).await.json();
    assert_eq!(v["value"].as_array().unwrap().len(), 5);
    assert!(v.get("@odata.nextLink").is_none());

    // /beta prefix is kept in nextLink.
    let v = api.get(&format!("/beta{JOBS}?$top=200")).await.json();
    assert!(
        v["@odata.nextLink"]
            .as_str()
            .unwrap()
            .starts_with(&format!("http://localhost:{port}/beta{JOBS}"))
    );

    // Configurable default page size.
    sim.state().set_page_size(40);
    let v = api.get(JOBS).await.json();
    assert_eq!(v["value"].as_array().unwrap().len(), 40);

    // $count segment.
    let r = api.get(&format!("{JOBS}/$count")).await;
    assert_eq!((r.status, r.text.as_str()), (200, "250"));
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    assert_eq!(sim.stats().requests("GET", &format!("{JOBS}/$count")), 1);
}

#[tokio::test]
async fn select_filter_orderby() {
    let (sim, api) = sim().await;
    sim.state().seed_jobs(30);

    let v = api
        .get(&format!("{JOBS}?$select=displayName,status&$top=2"))
        .await
        .json();
    for j in v["value"].as_array().unwrap() {
        let mut keys: Vec<&String> = j.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, vec!["displayName", "id", "status"]);
    }
    let one = &sim.state().jobs()[0];
    let r = api
        .get(&format!(
            "{JOBS}/{}?$select=message",
            one["id"].as_str().unwrap()
        ))
        .await
        .json();
    assert_eq!(r.as_object().unwrap().len(), 3, "{r}"); // @odata.context, id, message

    let v = api
        .get(&format!(
            "{JOBS}?$filter=displayName%20eq%20'seed-job-0007'"
        ))
        .await
        .json();
    assert_eq!(v["value"].as_array().unwrap().len(), 1);
    assert_eq!(v["value"][0]["displayName"], "seed-job-0007");
    let v = api
        .get(&format!(
            "{JOBS}?$filter=status eq 'submitted' and displayName eq 'SEED-JOB-0008'&$count=true"
        ))
        .await
        .json();
    assert_eq!(v["@odata.count"], 1);
    let v = api
        .get(&format!(
            "{JOBS}?$filter=startswith(displayName,'seed-job-001')"
        ))
        .await
        .json();
    assert_eq!(v["value"].as_array().unwrap().len(), 10);
    let r = api
        .get(&format!(
            "{JOBS}/$count?$filter=displayName%20in%20('seed-job-0001','seed-job-0002')"
        ))
        .await;
    assert_eq!(r.text, "2");

    let v = api
        .get(&format!("{JOBS}?$orderby=displayName%20desc&$top=1"))
        .await
        .json();
    assert_eq!(v["value"][0]["displayName"], "seed-job-0029");

    let r = api.get(&format!("{JOBS}?$filter=displayName%20eq")).await;
    assert_eq!(r.status, 400);
    assert!(r.error().1.starts_with("Invalid filter clause"));
    assert_eq!(api.get(&format!("{JOBS}?$top=-1")).await.status, 400);
    assert_eq!(api.get(&format!("{JOBS}?$count=maybe")).await.status, 400);
}

#[tokio::test]
async fn auth_401_and_403() {
    let (sim, api) = sim().await;
    let anon = api.with_token(None);
    let r = anon.get(JOBS).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.error().0, "InvalidAuthenticationToken");
    assert!(r.header("www-authenticate").unwrap().starts_with("Bearer"));
    let r = api
        .with_token(Some("eyJhbGciOi.not-a-sim-token"))
        .get(TASKS)
        .await;
    assert_eq!(r.status, 401);

    // A valid token without permissions.
    let none = api.with_token(Some("sim"));
    let r = none.get(JOBS).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.error().0, "accessDenied");
    assert_eq!(none.get(TASKS).await.status, 403);

    // SharePoint permissions don't open the job APIs, and vice versa.
    let sp = api.with_token(Some(SP_MANAGE));
    assert_eq!(sp.get(TASKS).await.status, 200);
    assert_eq!(sp.get(JOBS).await.status, 403);
    let jobs = api.with_token(Some(JOBS_ROLE));
    assert_eq!(jobs.get(JOBS).await.status, 200);
    assert_eq!(jobs.get(USER_MAPS).await.status, 403);

    // The job pages: application and delegated permissions are "Not supported";
    // the signed-in user needs Microsoft 365 Migration Administrator or Global
    // Administrator, for reads and writes alike.
    for perm in [
        "sim.CrossTenantContentMigration.Read.All",
        "sim.CrossTenantContentMigration.ReadWrite.All",
        "sim.CrossTenantMigrationJob.ReadWrite.All",
    ] {
        let r = api.with_token(Some(perm)).get(JOBS).await;
        assert_eq!(r.status, 403, "{perm}");
        assert!(
            r.error()
                .1
                .contains("Microsoft 365 Migration Administrator or Global Administrator"),
            "{}",
            r.text
        );
    }
    let global = api.with_token(Some("sim.role:GlobalAdministrator"));
    assert_eq!(
        global.post(JOBS, json!({})).await.status,
        400,
        "authorized, then validated"
    );
    let spaced = api.with_token(Some("sim.role:global administrator"));
    assert_eq!(spaced.get(JOBS).await.status, 200);
    assert_eq!(
        api.with_token(Some("sim.role:User Administrator"))
            .get(JOBS)
            .await
            .status,
        403
    );
    let both = api.with_token(Some(
        "sim.SharePointCrossTenantMigration.Manage.All,role:Microsoft365MigrationAdministrator",
    ));
    assert_eq!(both.get(JOBS).await.status, 200);
    assert_eq!(both.get(GROUP_MAPS).await.status, 200);
    // A role doesn't open the SharePoint APIs.
    assert_eq!(global.get(TASKS).await.status, 403);

    // No state change happened on rejected writes.
    assert!(sim.state().jobs().is_empty());
    // The permission table is public.
    assert!(
        graph_sim::auth::required_permissions(
            graph_sim::ApiFamily::SharePointMigrations,
            &reqwest::Method::POST
        )
        .contains(&"SharePointCrossTenantMigration.Manage.All")
    );
}

#[tokio::test]
async fn error_shape_request_ids_and_routing() {
    let (_sim, api) = sim().await;
    let r = api
        .http
        .get(format!("{}{JOBS}/nope", api.base))
        .header("Authorization", "Bearer sim.*")
        .header("client-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let rid = r
        .headers()
        .get("request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(r.headers().get("client-request-id").unwrap(), "abc-123");
    assert!(
        r.headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "itemNotFound");
    assert_eq!(v["error"]["innerError"]["request-id"], json!(rid));
    assert_eq!(v["error"]["innerError"]["client-request-id"], "abc-123");
    assert!(v["error"]["innerError"]["date"].is_string());

    // Successful responses carry a request-id too.
    assert!(api.get(JOBS).await.header("request-id").is_some());

    let r = api.get("/solutions/migrations/somethingElse").await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.error().1,
        "Resource not found for the segment 'somethingElse'."
    );
    assert_eq!(api.send("PUT", JOBS, Some(json!({}))).await.status, 405);
    assert_eq!(api.delete(&format!("{JOBS}/$count")).await.status, 405);
    let r = api.get(&format!("{JOBS}(foo='x')")).await;
    assert_eq!(r.status, 400);
}
