//! Migrate users between tenants with a cross-tenant migration job, along the
//! documented lifecycle: create the job (which starts nothing), validate it
//! (`POST …/{id}/validate`) and wait for the validation phase, migrate it and
//! wait for the migration phase, then report every user's outcome. Progress
//! is shown with indicatif, driven by the waiters' `on_status` callback.
//!
//! Against the simulator (statuses move with its clock: `--time-scale 60`
//! makes a run take a few seconds):
//!
//! ```sh
//! cargo run -p graph-sim -- --port 8080 --time-scale 60 &
//! GRAPH_BASE_URL=http://127.0.0.1:8080 cargo run -p graph-migrations --example migrate_users
//! ```
//!
//! Against Microsoft Graph, in the target tenant: these APIs support no
//! application permission, so sign in as a user who holds the Microsoft 365
//! Migration Administrator or Global Administrator role (`az login`, then
//! `GRAPH_CREDENTIAL=azure-cli`, or a delegated token in `GRAPH_TOKEN`), and
//! set `SOURCE_TENANT_ID` and `MIGRATE_USER_IDS` (comma-separated object ids
//! of the users in the source tenant). Optional: `MIGRATE_WORKLOADS` (default
//! `Teams,ODSP`), `JOB_NAME`.
//!
//! The run fails (exit status 1) unless every user's every workload
//! completed: a job that ends `completedWithErrors` lists the users that
//! failed, and `migrate` may be called again on it to retry them.

#![allow(deprecated)] // the crossTenantMigrationJob API is marked deprecated in Graph beta

#[path = "common/mod.rs"]
mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use graph_migrations::models::{CrossTenantMigrationJob, CrossTenantMigrationTask};
use graph_migrations::runtime::edm::DateTimeOffset;
use graph_migrations::waiters::{Outcome, Waiter};
use graph_migrations::{Client, WaitError};

use common::{BoxError, bar, say};

/// What to migrate.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// The job's display name (unique in the tenant).
    pub display_name: String,
    /// The source tenant's id.
    pub source_tenant_id: String,
    /// Object ids of the users to migrate (in the source tenant).
    pub users: Vec<String>,
    /// `Teams`, `ODSP` (`Exchange` needs exchange settings, not shown here).
    pub workloads: Vec<String>,
    /// Time between status polls.
    pub poll: Duration,
    /// Give up waiting after this long.
    pub max_wait: Duration,
}

impl Options {
    /// Sample data the simulator accepts: three new users, Teams and OneDrive.
    pub(crate) fn sample(poll: Duration) -> Self {
        let short = uuid::Uuid::new_v4().simple().to_string();
        Self {
            display_name: format!("example-migrate-users-{}", &short[..8]),
            source_tenant_id: "12345678-1234-1234-1234-123456789012".into(),
            users: (0..3).map(|_| uuid::Uuid::new_v4().to_string()).collect(),
            workloads: vec!["Teams".into(), "ODSP".into()],
            poll,
            max_wait: Duration::from_secs(3600),
        }
    }

    /// From the environment; the simulator gets sample data for what is not set.
    pub(crate) fn from_env(conn: &common::Connection) -> Result<Self, BoxError> {
        let var = |n: &str| std::env::var(n).ok().filter(|v| !v.trim().is_empty());
        let mut o = Self::sample(conn.poll);
        if let Some(name) = var("JOB_NAME") {
            o.display_name = name;
        }
        if let Some(w) = common::list_var(var("MIGRATE_WORKLOADS")) {
            o.workloads = w;
        }
        match (
            var("SOURCE_TENANT_ID"),
            common::list_var(var("MIGRATE_USER_IDS")),
        ) {
            (Some(t), Some(users)) => {
                o.source_tenant_id = t;
                o.users = users;
            }
            _ if conn.is_simulator() => {}
            _ => {
                return Err(
                    "against Microsoft Graph, set SOURCE_TENANT_ID and MIGRATE_USER_IDS".into(),
                );
            }
        }
        if !conn.is_simulator() {
            o.max_wait = Duration::from_secs(7 * 24 * 3600);
        }
        Ok(o)
    }
}

/// One user's outcome, per workload.
#[derive(Clone, Debug)]
pub(crate) struct UserOutcome {
    pub id: String,
    /// `(service, status)` pairs, e.g. `("Teams", "completed")`.
    pub services: Vec<(String, String)>,
}

/// The result of a run.
#[derive(Clone, Debug)]
#[allow(dead_code)] // read by the tests that include this example (sdk/tests/it/examples_run.rs)
pub(crate) struct Report {
    pub job_id: String,
    pub validation_status: String,
    pub status: String,
    pub succeeded: bool,
    /// Every status the waiters observed, in order.
    pub statuses_seen: Vec<String>,
    pub users: Vec<UserOutcome>,
}

fn validation_step(status: &str) -> u64 {
    match status {
        "validateSubmitted" => 1,
        "validateProcessing" | "validateInProgress" => 2,
        "validatePassed" | "validateFailed" => 3,
        _ => 0,
    }
}

fn migration_step(status: &str) -> u64 {
    match status {
        "processing" => 1,
        "inProgress" => 2,
        "cuttingOver" => 3,
        "completed" | "completedWithErrors" | "failed" | "cancelled" => 4,
        _ => 0,
    }
}

impl Report {
    /// The users not every workload of which completed (a job that ended
    /// `completedWithErrors`); `migrate` on the job again retries them. A
    /// user with no workload status at all did not complete either.
    pub(crate) fn failed_users(&self) -> Vec<&str> {
        self.users
            .iter()
            .filter(|u| {
                u.services.is_empty()
                    || !u
                        .services
                        .iter()
                        .all(|(_, s)| s.eq_ignore_ascii_case("completed"))
            })
            .map(|u| u.id.as_str())
            .collect()
    }
}

fn outcomes(tasks: &[CrossTenantMigrationTask]) -> Vec<UserOutcome> {
    tasks
        .iter()
        .map(|t| UserOutcome {
            id: t.id.get().cloned().unwrap_or_default(),
            services: t
                .current_status
                .get()
                .map(|v| {
                    v.iter()
                        .map(|s| {
                            (
                                s.service.get().cloned().unwrap_or_default(),
                                s.status.get().map(|x| x.to_string()).unwrap_or_default(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}

/// The waiter both phases use, reporting each status to the progress bar.
fn phase_waiter(
    options: &Options,
    pb: &indicatif::ProgressBar,
    seen: &Arc<Mutex<Vec<String>>>,
    step: fn(&str) -> u64,
) -> Waiter {
    let (p, s) = (pb.clone(), seen.clone());
    common::poll_waiter(options.poll, options.max_wait).on_status(move |status| {
        s.lock().unwrap().push(status.to_string());
        p.set_position(step(status));
        p.set_message(status.to_string());
    })
}

/// A wait that ended without a terminal status, with the job's last known status.
fn wait_failed(phase: &str, job_id: &str, e: WaitError<CrossTenantMigrationJob>) -> BoxError {
    format!(
        "{phase} of job {job_id} did not finish (last status {}): {e}",
        e.last_status().unwrap_or("unknown")
    )
    .into()
}

/// Creates, validates, migrates and waits; the whole example.
pub(crate) async fn run(client: &Client, options: &Options) -> Result<Report, BoxError> {
    let jobs = client
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs();
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));

    // 1. Create the job: this defines the batch and starts nothing.
    let body = CrossTenantMigrationJob::new()
        .with_display_name(options.display_name.clone())
        .with_source_tenant_id(options.source_tenant_id.clone())
        .with_resource_type("Users".to_string())
        .with_resources(options.users.clone())
        .with_workloads(options.workloads.clone())
        // Cut over as soon as the data is synced; the time may not be in the
        // past when the service reads it, so a few minutes ahead.
        .with_complete_after_date_time(DateTimeOffset::from(
            time::OffsetDateTime::now_utc() + time::Duration::minutes(10),
        ));
    let job = jobs.post(&body).await?;
    let job_id = job
        .id
        .get()
        .cloned()
        .ok_or("the service returned a job without an id")?;
    let job_ref = jobs.by_id(&job_id);

    // 2. Validate it, and wait for the validation phase with a progress bar
    //    of its three steps.
    job_ref.validate().post().await?;
    let pb = bar(3, "validation steps");
    say(
        &pb,
        format!(
            "created and validating job {job_id} ({}) for {} user(s)",
            options.display_name,
            options.users.len()
        ),
    );
    let validated = job_ref
        .wait_for_validation(phase_waiter(options, &pb, &seen, validation_step))
        .await
        .map_err(|e| wait_failed("validation", &job_id, e))?;
    pb.finish_with_message(validated.status.clone());
    say(&pb, format!("validation: {}", validated.status));
    if validated.outcome != Outcome::Succeeded {
        // The users' statuses help; a failure to list them must not hide
        // why the validation failed, which is the error returned below.
        match job_ref.users().get().collect_all().await {
            Ok(tasks) => {
                for u in outcomes(&tasks) {
                    eprintln!("  user {}: {:?}", u.id, u.services);
                }
            }
            Err(e) => eprintln!("  (the users could not be listed: {e})"),
        }
        return Err(format!(
            "validation of job {job_id} ended {}: {}",
            validated.status,
            validated.value.message.get().cloned().unwrap_or_default()
        )
        .into());
    }

    // 3. Migrate, and wait for the migration phase with a progress bar of its steps.
    let started = job_ref.migrate().post().await?;
    let pb = bar(4, "phases");
    say(
        &pb,
        format!(
            "migration started: {}",
            started
                .status
                .get()
                .map(|s| s.to_string())
                .unwrap_or_default()
        ),
    );
    let done = job_ref
        .wait_for_migration(phase_waiter(options, &pb, &seen, migration_step))
        .await
        .map_err(|e| wait_failed("migration", &job_id, e))?;
    pb.finish_with_message(done.status.clone());

    // 4. Every user's outcome.
    let tasks: Vec<CrossTenantMigrationTask> = job_ref.users().get().collect_all().await?;
    let users = outcomes(&tasks);
    say(
        &pb,
        format!(
            "job {job_id} ended {} after {} poll(s)",
            done.status, done.polls
        ),
    );
    for u in &users {
        let s: Vec<String> = u
            .services
            .iter()
            .map(|(w, s)| format!("{w}: {s}"))
            .collect();
        say(&pb, format!("  user {}: {}", u.id, s.join(", ")));
    }
    let statuses_seen = seen.lock().unwrap().clone();
    Ok(Report {
        job_id,
        validation_status: validated.status,
        succeeded: done.succeeded(),
        status: done.status,
        statuses_seen,
        users,
    })
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    common::exit(main_inner().await)
}

async fn main_inner() -> Result<(), BoxError> {
    let conn = common::connect()?;
    let options = Options::from_env(&conn)?;
    let report = run(&conn.client, &options).await?;
    if !report.succeeded {
        return Err(format!("migration job {} ended {}", report.job_id, report.status).into());
    }
    let failed = report.failed_users();
    if !failed.is_empty() {
        return Err(format!(
            "migration job {} ended {}; not every workload completed for {} user(s): {}; \
             calling migrate on the job again retries them",
            report.job_id,
            report.status,
            failed.len(),
            failed.join(", ")
        )
        .into());
    }
    Ok(())
}
