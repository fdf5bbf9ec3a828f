//! Runs each example's logic (its `run` function, included from
//! sdk/examples) against graph-sim started in-process, with a fast clock.

#![allow(deprecated)]
// Each example is a standalone program that includes examples/common/mod.rs itself.
#![allow(clippy::duplicate_mod)]

#[path = "../../examples/common/mod.rs"]
mod common;

#[allow(dead_code)]
#[path = "../../examples/migrate_users.rs"]
mod migrate_users;

#[allow(dead_code)]
#[path = "../../examples/sharepoint_site_move.rs"]
mod sharepoint_site_move;

#[allow(dead_code)]
#[path = "../../examples/identity_mappings_bulk.rs"]
mod identity_mappings_bulk;

use std::collections::HashMap;
use std::time::Duration;

use graph_migrations::Client;

const POLL: Duration = Duration::from_millis(20);

/// A simulator whose clock runs 600 times faster than real time: a job's
/// validation (30 s) takes 50 ms, its migration (100 s) under 200 ms.
async fn fast_sim() -> graph_sim::SimHandle {
    graph_sim::start(graph_sim::SimConfig {
        time_scale: 600.0,
        ..graph_sim::SimConfig::default()
    })
    .await
}

/// The client the examples build from `GRAPH_BASE_URL` / `GRAPH_TOKEN`.
fn client_for(sim: &graph_sim::SimHandle) -> Client {
    let vars = HashMap::from([("GRAPH_BASE_URL", sim.base_url())]);
    let conn = common::connect_with(|n| vars.get(n).cloned()).unwrap();
    assert!(conn.is_simulator());
    conn.client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_users_runs_to_completion() {
    let sim = fast_sim().await;
    let client = client_for(&sim);
    let options = migrate_users::Options::sample(POLL);
    let report = migrate_users::run(&client, &options).await.unwrap();
    assert_eq!(report.validation_status, "validatePassed");
    assert_eq!(
        report.status, "completed",
        "seen: {:?}",
        report.statuses_seen
    );
    assert!(report.succeeded);
    assert!(report.failed_users().is_empty());
    assert_eq!(report.users.len(), options.users.len());
    // A user whose workload did not complete fails the run (exit status 1),
    // named, though the job itself succeeded (`completedWithErrors`).
    let mut partial = report.clone();
    partial.users[0]
        .services
        .push(("Teams".into(), "failed".into()));
    assert_eq!(partial.failed_users(), [report.users[0].id.as_str()]);
    // So does one with no workload status at all.
    let mut silent = report.clone();
    silent.users[1].services.clear();
    assert_eq!(silent.failed_users(), [report.users[1].id.as_str()]);
    for u in &report.users {
        assert!(
            u.services.iter().all(|(_, s)| s == "completed"),
            "user {}: {:?}",
            u.id,
            u.services
        );
    }
    let job = sim.state().job(&report.job_id).expect("the job exists");
    assert_eq!(job["displayName"], options.display_name.as_str());
    // The current lifecycle: create, then the job-bound validate.
    for (template, n) in [
        ("/solutions/migrations/crossTenantMigrationJobs", 1),
        (
            "/solutions/migrations/crossTenantMigrationJobs/{id}/validate",
            1,
        ),
        ("/solutions/migrations/crossTenantMigrationJobs/validate", 0),
    ] {
        assert_eq!(sim.stats().requests("POST", template), n, "POST {template}");
    }
    assert_eq!(
        sim.stats().requests(
            "POST",
            "/solutions/migrations/crossTenantMigrationJobs/{id}/migrate"
        ),
        1
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_users_reports_a_failed_validation() {
    let sim = fast_sim().await;
    let client = client_for(&sim);
    let mut options = migrate_users::Options::sample(POLL);
    sim.state().mark_resource_unknown(&options.users[1]);
    options.display_name.push_str("-unknown-user");
    let err = migrate_users::run(&client, &options).await.unwrap_err();
    assert!(err.to_string().contains("validateFailed"), "{err}");
    // The users cannot be listed afterwards (a gateway error): the error is
    // still the validation's.
    sim.faults().set(graph_sim::FaultConfig {
        html_502_every: Some(1),
        path_contains: Some("/users".into()),
        ..graph_sim::FaultConfig::default()
    });
    options.display_name.push_str("-again");
    let err = migrate_users::run(&client, &options).await.unwrap_err();
    assert!(err.to_string().contains("validateFailed"), "{err}");
    sim.faults().clear();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sharepoint_site_move_runs_to_completion() {
    let sim = fast_sim().await;
    let client = client_for(&sim);
    let options = sharepoint_site_move::Options::sample(POLL);
    let report = sharepoint_site_move::run(&client, &options).await.unwrap();
    assert_eq!(
        report.status, "completed",
        "seen: {:?}",
        report.statuses_seen
    );
    assert!(report.succeeded && report.error.is_none());
    let tasks = sim.state().sharepoint_tasks();
    assert_eq!(tasks.len(), 1, "validateOnly created no task: {tasks:#?}");
    assert_eq!(tasks[0]["id"], report.task_id.as_str());
    assert_eq!(
        tasks[0]["parameters"]["@odata.type"],
        "#microsoft.graph.sharePointSiteMigrationTaskParameters"
    );

    // A failing move ends `failed` with the task's error; an untrusted target is explained.
    let mut failing = sharepoint_site_move::Options::sample(POLL);
    failing.source_site_url = "https://contoso.sharepoint.com/sites/simfail".into();
    failing.target_site_url = "https://fabrico.sharepoint.com/sites/simfail".into();
    let report = sharepoint_site_move::run(&client, &failing).await.unwrap();
    assert_eq!(report.status, "failed");
    assert!(!report.succeeded && report.error.is_some());
    let mut untrusted = sharepoint_site_move::Options::sample(POLL);
    untrusted.target_organization_host = "https://woodgrove-my.sharepoint.com".into();
    let err = sharepoint_site_move::run(&client, &untrusted)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("no cross-tenant relationship"),
        "{err}"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_mappings_bulk_applies_a_generated_csv_and_resumes() {
    let sim = fast_sim().await;
    let client = client_for(&sim);
    let dir = std::env::temp_dir().join(format!("examples-run-{}", uuid::Uuid::new_v4()));
    let csv_path = dir.join("mappings.csv");
    let mut options = identity_mappings_bulk::Options::new(&csv_path);
    options.generate_if_missing = true;
    options.retry_pause = Duration::from_millis(10);

    // First run: the file is generated (1,000 rows, 4 invalid) and applied in chunks.
    let summary = identity_mappings_bulk::run(&client, &options)
        .await
        .unwrap();
    assert!(csv_path.exists());
    assert_eq!(summary.total, 1000);
    assert_eq!(summary.applied, 996);
    assert_eq!(
        summary.failures.iter().map(|f| f.line).collect::<Vec<_>>(),
        [251, 501, 751, 1001]
    );
    assert!(summary.failures.iter().all(|f| f.reason.contains("400")));
    assert!(!summary.aborted);
    assert_eq!(sim.state().user_mappings().len(), 996);
    let template = "/solutions/sharePoint/migrations/crossOrganizationUserMappings";
    assert_eq!(
        sim.stats().requests("PATCH", template),
        summary.requests as u64
    );
    assert!(summary.requests >= 20, "at least 1000 / 50 requests");

    // Resume: fix the failures file and run it.
    let failed = summary.failures_file.clone().expect("a failures file");
    let text = std::fs::read_to_string(&failed).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut w = csv::Writer::from_path(&failed).unwrap();
    for row in reader.deserialize::<identity_mappings_bulk::Row>() {
        let mut row = row.unwrap();
        assert!(!row.error.is_empty());
        row.target_upn = row.source_upn.replace("contoso", "fabrikam");
        row.error.clear();
        w.serialize(row).unwrap();
    }
    w.flush().unwrap();
    drop(w);
    let summary = identity_mappings_bulk::run(
        &client,
        &identity_mappings_bulk::Options {
            csv_path: failed,
            ..options.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!((summary.total, summary.applied), (4, 4));
    assert!(summary.failures.is_empty());
    assert_eq!(sim.state().user_mappings().len(), 1000);

    // Removals, and throttling that the client retries transparently.
    let removals = dir.join("removals.csv");
    std::fs::write(
        &removals,
        "action,sourceUserPrincipalName\nremove,user0001@contoso.onmicrosoft.com\nremove,user0002@contoso.onmicrosoft.com\nfrobnicate,user0003@contoso.onmicrosoft.com\nremove,\n",
    )
    .unwrap();
    sim.faults().set(graph_sim::FaultConfig {
        throttle_429_every: Some(2),
        retry_after_secs: 0,
        ..graph_sim::FaultConfig::default()
    });
    let summary = identity_mappings_bulk::run(
        &client,
        &identity_mappings_bulk::Options {
            csv_path: removals,
            ..options.clone()
        },
    )
    .await
    .unwrap();
    sim.faults().clear();
    assert_eq!((summary.total, summary.applied), (4, 2));
    assert_eq!(summary.failures.len(), 2);
    assert!(summary.failures[0].reason.contains("unknown action"));
    assert!(
        summary.failures[1]
            .reason
            .contains("sourceUserPrincipalName is empty")
    );
    // Every row not applied is in the failures file, the empty one too.
    let failed = std::fs::read_to_string(summary.failures_file.as_ref().unwrap()).unwrap();
    assert_eq!(failed.lines().count(), 3, "{failed}");
    assert_eq!(sim.state().user_mappings().len(), 998);

    // No permission: the run stops and keeps every row.
    let reader_client = Client::builder()
        .base_url(sim.base_url())
        .bearer_token("sim.SharePointCrossTenantMigration.Read.All")
        .build()
        .unwrap();
    let summary = identity_mappings_bulk::run(&reader_client, &options)
        .await
        .unwrap();
    assert!(summary.aborted);
    assert_eq!(summary.applied, 0);
    assert_eq!(summary.failures.len(), 1000);
    assert_eq!(summary.requests, 1);
    let _ = std::fs::remove_dir_all(&dir);
    sim.shutdown().await;
}

#[test]
fn connection_from_the_environment() {
    use common::{Endpoint, connect_with, is_graph_host};
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    };
    assert!(is_graph_host("https://graph.microsoft.com/beta"));
    assert!(is_graph_host("https://graph.microsoft.us/beta"));
    assert!(!is_graph_host("http://127.0.0.1:8080"));

    let c = connect_with(env(&[("GRAPH_BASE_URL", "http://127.0.0.1:9")])).unwrap();
    assert_eq!(c.endpoint, Endpoint::Simulator);
    assert_eq!(c.client.base_url().as_str(), "http://127.0.0.1:9/");
    assert_eq!(c.poll, Duration::from_secs(2));

    // Graph without credentials: a helpful error; with them: Graph.
    let err = connect_with(env(&[])).err().unwrap();
    assert!(err.to_string().contains("GRAPH_BASE_URL"), "{err}");
    let c = connect_with(env(&[
        ("AZURE_TENANT_ID", "72f988bf-86f1-41af-91ab-2d7cd011db47"),
        ("AZURE_CLIENT_ID", "00000000-0000-0000-0000-000000000001"),
        ("AZURE_CLIENT_SECRET", "not-a-real-secret"),
        ("POLL_SECONDS", "5"),
    ]))
    .unwrap();
    assert_eq!(c.endpoint, Endpoint::Graph);
    assert_eq!(
        c.client.base_url().as_str(),
        "https://graph.microsoft.com/beta"
    );
    assert_eq!(c.poll, Duration::from_secs(5));
    let c = connect_with(env(&[
        ("GRAPH_BASE_URL", "https://graph.microsoft.us/beta"),
        ("GRAPH_TOKEN", "eyJ..."),
    ]))
    .unwrap();
    assert_eq!(c.endpoint, Endpoint::Graph);
    assert_eq!(c.client.scopes(), ["https://graph.microsoft.us/.default"]);
    for poll in ["-1", "0.001", "1e20", "NaN"] {
        assert!(
            connect_with(env(Box::leak(Box::new([
                ("GRAPH_BASE_URL", "http://127.0.0.1:9"),
                ("POLL_SECONDS", poll)
            ]))))
            .is_err(),
            "{poll}"
        );
    }
    // Sample data only for this machine: Graph written with its trailing
    // dot is Graph, and another host may stand in front of a real tenant.
    assert!(is_graph_host("https://graph.microsoft.com./beta"));
    for (base, endpoint) in [
        ("http://localhost:8080", Endpoint::Simulator),
        ("http://[::1]:8080", Endpoint::Simulator),
        ("https://graph-proxy.contoso.com/beta", Endpoint::Graph),
        ("https://10.0.0.5:8443/beta", Endpoint::Graph),
    ] {
        let pairs = Box::leak(Box::new([("GRAPH_BASE_URL", base), ("GRAPH_TOKEN", "t")]));
        let c = connect_with(env(pairs)).unwrap();
        assert_eq!(c.endpoint, endpoint, "{base}");
    }
}
