//! The SDK against graph-sim over real HTTP on loopback: every operation in
//! metadata/api-surface.txt is exercised, proven by the SDK's own request
//! spans (method and path template), and the test fails when one is missing.

#![allow(deprecated)]

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::TryStreamExt;
use graph_migrations::Client;
use graph_migrations::models::*;
use graph_migrations::runtime::delta::DeltaChange;
use graph_migrations::waiters::migration_waiter;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};

/// Records `(method, path template)` of every `graph.request` span.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<BTreeSet<(String, String)>>>);

struct Fields(Option<String>, Option<String>);
impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "method" => self.0 = Some(format!("{value:?}")),
            "path" => self.1 = Some(format!("{value:?}")),
            _ => {}
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Seen {
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _: &tracing::span::Id,
        _: Context<'_, S>,
    ) {
        if attrs.metadata().name() != "graph.request" {
            return;
        }
        let mut f = Fields(None, None);
        attrs.record(&mut f);
        if let (Some(m), Some(p)) = (f.0, f.1) {
            self.0.lock().unwrap().insert((m, p));
        }
    }
}

/// Every operation of an identity-mapping collection: create, list, count,
/// get and update by id and by alternate key, delta update, delete both ways.
macro_rules! exercise_mappings {
    ($collection:expr, $body:expr, $alt:ident($key:expr)) => {{
        let collection = $collection;
        let body = $body;
        let created = collection.post(&body).await.unwrap();
        let id = created.id.get().cloned().unwrap();
        assert!(!collection.get().collect_all().await.unwrap().is_empty());
        assert!(collection.count().await.unwrap() >= 1);
        collection.by_id(&id).get().await.unwrap();
        collection
            .by_id(&id)
            .patch(&Default::default())
            .await
            .unwrap();
        let by_key = collection.$alt($key).get().await.unwrap();
        assert_eq!(by_key.id.get(), Some(&id));
        collection
            .$alt($key)
            .patch(&Default::default())
            .await
            .unwrap();
        let report = collection
            .delta_update(vec![DeltaChange::Upsert(body.clone())])
            .await
            .unwrap();
        assert!(report.is_complete());
        collection.$alt($key).delete().await.unwrap();
        let again = collection.post(&body).await.unwrap();
        collection
            .by_id(again.id.get().unwrap())
            .delete()
            .await
            .unwrap();
    }};
}

fn job_body(name: &str) -> CrossTenantMigrationJob {
    serde_json::from_value(workspace_tests::job_json(
        name,
        &[
            "b5b8bc4f-0e36-4ad3-8ddf-248b68260b89",
            "ac87d040-a081-426c-a73b-81133f458a29",
        ],
    ))
    .unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn every_operation_in_the_api_surface_works_against_the_simulator() {
    let seen = Seen::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(seen.clone()));
    let sim = graph_sim::start(graph_sim::SimConfig::default()).await;
    let client = Client::builder()
        .base_url(sim.base_url())
        .bearer_token("sim.*")
        .build()
        .unwrap();
    let jobs = client
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs();

    // Migrations root.
    client.solutions().migrations().get().await.unwrap();
    client
        .solutions()
        .migrations()
        .patch(&MigrationsRootEdit::new())
        .await
        .unwrap();

    // Jobs: create, list, count, get by key and alternate key, update.
    let job = jobs.post(&job_body("Contoso_job")).await.unwrap();
    let id = job.id.get().cloned().expect("created job has an id");
    let listed: Vec<CrossTenantMigrationJob> =
        jobs.get().top(10).items().try_collect().await.unwrap();
    assert!(listed.iter().any(|j| j.id.get() == Some(&id)));
    assert_eq!(jobs.count().await.unwrap(), 1);
    let by_name = jobs.by_display_name("Contoso_job").get().await.unwrap();
    assert_eq!(by_name.id.get(), Some(&id));
    let later: graph_migrations::runtime::edm::DateTimeOffset =
        "2025-06-01T00:00:00Z".parse().unwrap();
    jobs.by_id(&id)
        .patch(&CrossTenantMigrationJobEdit::new().with_complete_after_date_time(later.clone()))
        .await
        .unwrap();
    jobs.by_display_name("Contoso_job")
        .patch(&CrossTenantMigrationJobEdit::new().with_complete_after_date_time(later))
        .await
        .unwrap();

    // Validate on the collection (patched overload), wait, migrate, wait.
    let body = graph_migrations::builders::CrossTenantMigrationJobsValidatePostRequestBody::new()
        .with_display_name("Contoso_validation".to_string())
        .with_complete_after_date_time(
            "2025-05-22T17:14:52Z"
                .parse::<graph_migrations::runtime::edm::DateTimeOffset>()
                .unwrap(),
        )
        .with_source_tenant_id("12345678-1234-1234-1234-123456789012".to_string())
        .with_workloads(vec!["Teams".to_string()])
        .with_resource_type("Users".to_string())
        .with_resources(vec!["b5b8bc4f-0e36-4ad3-8ddf-248b68260b89".to_string()]);
    let validation = jobs.validate().post(&body).await.unwrap();
    let vid = validation.id.get().cloned().unwrap();
    let clock = sim.clock();
    let statuses = Arc::new(Mutex::new(Vec::new()));
    let record = statuses.clone();
    let done = jobs
        .by_id(&vid)
        .wait_for_validation(
            migration_waiter()
                .interval(Duration::from_millis(5))
                .max_interval(Duration::from_millis(5))
                .jitter(false)
                .on_status(move |s| {
                    record.lock().unwrap().push(s.to_string());
                    clock.advance_secs(20);
                }),
        )
        .await
        .unwrap();
    assert_eq!(
        done.status,
        "validatePassed",
        "statuses seen: {:?}",
        statuses.lock().unwrap()
    );
    // The job-bound validate needs a submitted (or validateFailed) job.
    jobs.by_id(&id).validate().post().await.unwrap();
    sim.clock().advance_secs(120);
    let migrating = jobs.by_id(&vid).migrate().post().await.unwrap();
    assert!(migrating.status.get().is_some());
    let clock = sim.clock();
    let done = jobs
        .by_id(&vid)
        .wait_for_migration(
            migration_waiter()
                .interval(Duration::from_millis(5))
                .max_interval(Duration::from_millis(5))
                .jitter(false)
                .on_status(move |_| clock.advance_secs(60)),
        )
        .await
        .unwrap();
    assert!(done.succeeded(), "migration ended {}", done.status);

    // The job's user tasks.
    let users = jobs.by_id(&vid).users();
    let tasks: Vec<CrossTenantMigrationTask> = users.get().collect_all().await.unwrap();
    assert!(!tasks.is_empty());
    users.count().await.unwrap();
    let users = jobs.by_id(&id).users();
    let created = users
        .post(&CrossTenantMigrationTask::new().with_task_type("user".to_string()))
        .await
        .unwrap();
    let tid = created.id.get().cloned().unwrap();
    users.by_id(&tid).get().await.unwrap();
    users
        .by_id(&tid)
        .patch(&CrossTenantMigrationTaskEdit::new())
        .await
        .unwrap();
    let _ = users.by_id(&tid).cancel().post().await;
    users.by_id(&tid).delete().await.unwrap();

    // Cancel and delete.
    let _ = jobs.by_id(&id).cancel().post().await;
    jobs.by_id(&vid).delete().await.unwrap();
    jobs.post(&job_body("to_delete")).await.unwrap();
    // Delete needs a final state: cancel the submitted job first.
    jobs.by_display_name("to_delete")
        .cancel()
        .post()
        .await
        .unwrap();
    sim.clock().advance_secs(10);
    jobs.by_display_name("to_delete").delete().await.unwrap();

    // SharePoint root and tasks.
    let sp = client.solutions().share_point().migrations();
    sp.get().await.unwrap();
    sp.patch(&SharePointMigrationsRootEdit::new())
        .await
        .unwrap();
    let tasks = sp.cross_organization_migration_tasks();
    let site = SharePointSiteMigrationTaskParameters::new()
        .with_target_organization_host("https://fabrico-my.sharepoint.com".to_string())
        .with_source_site_url("https://contoso.sharepoint.com/sites/IT".to_string())
        .with_target_site_url("https://fabrico.sharepoint.com/sites/IT".to_string());
    let task = tasks
        .post(
            &SharePointMigrationTask::new()
                .with_parameters(AnySharePointMigrationTaskParameters::from(site)),
        )
        .await
        .unwrap();
    let sp_id = task.id.get().cloned().unwrap();
    tasks.get().collect_all().await.unwrap();
    tasks.count().await.unwrap();
    tasks.by_id(&sp_id).get().await.unwrap();
    tasks
        .by_id(&sp_id)
        .patch(&SharePointMigrationTaskEdit::new())
        .await
        .unwrap();
    tasks
        .get_by_source_site_url("https://contoso.sharepoint.com/sites/IT")
        .get()
        .await
        .unwrap();
    let _ = tasks
        .get_by_source_user_principal_name("nobody@contoso.com")
        .get()
        .await;
    let _ = tasks
        .get_by_source_group_mail_nickname("contoso")
        .get()
        .await;
    tasks.by_id(&sp_id).cancel().post().await.unwrap();
    tasks.by_id(&sp_id).delete().await.unwrap();

    // Identity mappings: create, read, alternate keys, delta update; the
    // user and group collections have the same operations, different types.
    let mapping: SharePointUserIdentityMapping = serde_json::from_value(serde_json::json!({
        "sourceOrganizationId": "11111111-1111-1111-1111-111111111111",
        "userType": "regularUser",
        "sourceUserIdentity": {"userPrincipalName": "user1@contoso.com"},
        "targetUserIdentity": {"userPrincipalName": "user1@fabrikam.com"}
    }))
    .unwrap();
    exercise_mappings!(
        sp.cross_organization_user_mappings(),
        mapping,
        by_source_user_principal_name("user1@contoso.com")
    );
    let group: SharePointGroupIdentityMapping = serde_json::from_value(serde_json::json!({
        "sourceOrganizationId": "11111111-1111-1111-1111-111111111111",
        "groupType": "m365Group",
        "sourceGroupIdentity": {"@odata.type": "#microsoft.graph.groupIdentity", "id": "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"},
        "targetGroupIdentity": {"@odata.type": "#microsoft.graph.groupIdentity", "id": "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb"}
    }))
    .unwrap();
    exercise_mappings!(
        sp.cross_organization_group_mappings(),
        group,
        by_source_group_object_id("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa")
    );

    // Coverage: every operation of the surface was sent by the SDK.
    let surface = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../metadata/api-surface.txt"
    ))
    .unwrap();
    let seen = seen.0.lock().unwrap().clone();
    let missing: Vec<&str> = surface
        .lines()
        .filter(|l| {
            let mut parts = l.split_whitespace();
            let (m, p) = (parts.next().unwrap(), parts.next().unwrap());
            !seen.contains(&(m.to_string(), p.to_string()))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "operations without an end-to-end test:\n{}\nseen: {seen:#?}",
        missing.join("\n")
    );
    sim.shutdown().await;
}
