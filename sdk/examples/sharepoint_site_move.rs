//! Move a SharePoint site to another organization: check the request with
//! `validateOnly`, create the migration task (polymorphic parameters:
//! `sharePointSiteMigrationTaskParameters`), find it again with
//! `getBySourceSiteUrl`, and follow it to the end with a spinner.
//!
//! Against the simulator:
//!
//! ```sh
//! cargo run -p graph-sim -- --port 8080 --time-scale 60 &
//! GRAPH_BASE_URL=http://127.0.0.1:8080 cargo run -p graph-migrations --example sharepoint_site_move
//! ```
//!
//! Against Microsoft Graph (run in the **source** organization, with
//! `SharePointCrossTenantMigration.Manage.All` to create the task and
//! `SharePointCrossTenantMigration.Read.All`, or Manage, to read it): set `AZURE_TENANT_ID`,
//! `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`, and `SOURCE_SITE_URL`,
//! `TARGET_SITE_URL`, `TARGET_ORGANIZATION_HOST` (e.g.
//! `https://fabrikam-my.sharepoint.com`). Optional: `PREFERRED_START`
//! (RFC 3339: the task waits until then).

#[path = "common/mod.rs"]
mod common;

use std::time::Duration;

use graph_migrations::models::{
    AnySharePointMigrationTaskParameters, SharePointMigrationTask, SharePointMigrationTaskStatus,
    SharePointSiteMigrationTaskParameters,
};
use graph_migrations::runtime::edm::DateTimeOffset;
use graph_migrations::{Client, Error};

use common::{BoxError, say, spinner};

/// The site to move.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    pub source_site_url: String,
    pub target_site_url: String,
    /// The target organization's OneDrive host, `https://<org>-my.sharepoint.com`.
    pub target_organization_host: String,
    /// Do not start before this time.
    pub preferred_start: Option<DateTimeOffset>,
    pub poll: Duration,
    pub max_wait: Duration,
}

impl Options {
    /// The documentation's example (trusted by the simulator's defaults).
    pub(crate) fn sample(poll: Duration) -> Self {
        Self {
            source_site_url: "https://contoso.sharepoint.com/sites/IT".into(),
            target_site_url: "https://fabrico.sharepoint.com/sites/IT".into(),
            target_organization_host: "https://fabrico-my.sharepoint.com".into(),
            preferred_start: None,
            poll,
            max_wait: Duration::from_secs(3600),
        }
    }

    /// From the environment; the simulator gets the sample for what is not set.
    pub(crate) fn from_env(conn: &common::Connection) -> Result<Self, BoxError> {
        let var = |n: &str| std::env::var(n).ok().filter(|v| !v.trim().is_empty());
        let mut o = Self::sample(conn.poll);
        match (
            var("SOURCE_SITE_URL"),
            var("TARGET_SITE_URL"),
            var("TARGET_ORGANIZATION_HOST"),
        ) {
            (Some(s), Some(t), Some(h)) => {
                o.source_site_url = s;
                o.target_site_url = t;
                o.target_organization_host = h;
            }
            _ if conn.is_simulator() => {}
            _ => {
                return Err("against Microsoft Graph, set SOURCE_SITE_URL, TARGET_SITE_URL and TARGET_ORGANIZATION_HOST".into());
            }
        }
        if let Some(p) = var("PREFERRED_START") {
            o.preferred_start = Some(p.parse()?);
        }
        if !conn.is_simulator() {
            o.max_wait = Duration::from_secs(7 * 24 * 3600);
        }
        Ok(o)
    }

    fn task(&self, validate_only: bool) -> SharePointMigrationTask {
        let mut p = SharePointSiteMigrationTaskParameters::new()
            .with_target_organization_host(self.target_organization_host.clone())
            .with_source_site_url(self.source_site_url.clone())
            .with_target_site_url(self.target_site_url.clone());
        if validate_only {
            p = p.with_validate_only(true);
        }
        if let Some(at) = self.preferred_start.clone() {
            p = p.with_preferred_start_date_time(at);
        }
        SharePointMigrationTask::new()
            .with_parameters(AnySharePointMigrationTaskParameters::from(p))
    }
}

/// The result of a run.
#[derive(Clone, Debug)]
#[allow(dead_code)] // read by the tests that include this example (sdk/tests/it/examples_run.rs)
pub(crate) struct Report {
    pub task_id: String,
    pub status: String,
    pub succeeded: bool,
    pub statuses_seen: Vec<String>,
    /// `error.code: error.message` of a failed task.
    pub error: Option<String>,
}

/// Explains the documented create errors (the generated
/// `CrossOrganizationMigrationTasksPostError` has a variant for each).
fn with_hint(e: Error) -> BoxError {
    use graph_migrations::builders::CrossOrganizationMigrationTasksPostError as Create;
    let e = Create::from(e);
    let hint = match &e {
        Create::MissingParameter { parameter, .. } => {
            format!("the required parameter {parameter} is missing")
        }
        Create::AccessDenied { .. } => {
            "the caller lacks SharePointCrossTenantMigration.Manage.All".to_string()
        }
        Create::NoTrustRelationship { partner, role, .. } => format!(
            "no cross-tenant relationship with {partner} (role {role}): set up the trust first"
        ),
        Create::NoOneDrive { upn, .. } => {
            format!("{upn} has no OneDrive in the source organization")
        }
        Create::IdentityMapMissing { upn, .. } => {
            format!("{upn} has no identity mapping on the target: add one first")
        }
        Create::SameFarm { .. } => {
            "source and target are in the same SharePoint location: contact Microsoft".to_string()
        }
        _ => return e.into_error().into(),
    };
    format!("{e}\n  hint: {hint}").into()
}

/// Validates, creates and follows the task; the whole example.
pub(crate) async fn run(client: &Client, options: &Options) -> Result<Report, BoxError> {
    let tasks = client
        .solutions()
        .share_point()
        .migrations()
        .cross_organization_migration_tasks();
    let pb = spinner(format!(
        "checking the move of {} to {}",
        options.source_site_url, options.target_site_url
    ));

    // 1. validateOnly: the same checks, no task.
    let check = tasks.post(&options.task(true)).await.map_err(with_hint)?;
    say(
        &pb,
        format!(
            "validateOnly: {}",
            check
                .status
                .get()
                .map(|s| s.to_string())
                .unwrap_or_else(|| "ok".into())
        ),
    );
    // A check that failed says why in its `error`: creating the task anyway
    // would only fail later.
    if check.status.get() == Some(&SharePointMigrationTaskStatus::Failed) {
        return Err(format!(
            "validateOnly failed: {}",
            check
                .error
                .get()
                .map(|e| format!("{e:?}"))
                .unwrap_or_else(|| "no reason given".into())
        )
        .into());
    }

    // 2. Create the task (posting again for the same source updates a task not yet started).
    let task = tasks.post(&options.task(false)).await.map_err(with_hint)?;
    let task_id = task
        .id
        .get()
        .cloned()
        .ok_or("the service returned a task without an id")?;
    say(&pb, format!("created task {task_id}"));

    // 3. The task can be found by its source too.
    let found = tasks
        .get_by_source_site_url(&options.source_site_url)
        .get()
        .await?;
    say(
        &pb,
        format!(
            "getBySourceSiteUrl: task {} is {}",
            found.id.get().map(String::as_str).unwrap_or("?"),
            found
                .status
                .get()
                .map(|s| s.to_string())
                .unwrap_or_default()
        ),
    );

    // 4. Follow it to the end.
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (p, s) = (pb.clone(), seen.clone());
    let done = tasks
        .by_id(&task_id)
        .wait_until_terminal(
            common::poll_waiter(options.poll, options.max_wait).on_status(move |status| {
                s.lock().unwrap().push(status.to_string());
                p.set_message(format!("task {status}"));
            }),
        )
        .await?;
    let error = done.value.error.get().map(|e| {
        format!(
            "{}: {}",
            e.code.get().map(String::as_str).unwrap_or("error"),
            e.message.get().map(String::as_str).unwrap_or("")
        )
    });
    pb.finish_with_message(format!("task {}", done.status));
    say(
        &pb,
        match &error {
            Some(e) => format!("task {task_id} ended {}: {e}", done.status),
            None => format!("task {task_id} ended {}", done.status),
        },
    );
    let statuses_seen = seen.lock().unwrap().clone();
    Ok(Report {
        task_id,
        succeeded: done.succeeded(),
        status: done.status,
        statuses_seen,
        error,
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
        return Err(format!("task {} ended {}", report.task_id, report.status).into());
    }
    Ok(())
}
