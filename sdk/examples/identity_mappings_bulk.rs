//! Apply user identity mappings in bulk from a CSV file: delta PATCH requests
//! on `crossOrganizationUserMappings` (at most 50 changes each), with a
//! progress bar and a summary of the failures.
//!
//! The documentation does not say whether a rejected chunk applied any of
//! its rows; this example takes a 400 to mean none (as graph-sim does) and
//! a 2xx to mean all of them. When the service rejects a chunk (400), the
//! example splits it in halves until the offending rows are isolated, so
//! every other row is still applied; transient failures (after the client's
//! own retries) are retried; authorization errors stop the run. Rows that
//! could not be applied are written, with the reason, to
//! `<file>.failed.csv`, which has the input's columns: fix it and pass it
//! back to resume.
//!
//! ```text
//! action,sourceUserPrincipalName,targetUserPrincipalName,targetEmail,userType,sourceOrganizationId
//! upsert,user0001@contoso.onmicrosoft.com,user0001@fabrikam.onmicrosoft.com,user0001@fabrikam.com,regularUser,
//! remove,olduser@contoso.onmicrosoft.com,,,,
//! ```
//!
//! Only `sourceUserPrincipalName` is required (`action` defaults to
//! `upsert`). Against the simulator, a missing file is generated with 1,000
//! sample rows, four of them deliberately invalid (no target user) to show
//! the failure summary:
//!
//! ```sh
//! cargo run -p graph-sim -- --port 8080 &
//! GRAPH_BASE_URL=http://127.0.0.1:8080 cargo run -p graph-migrations --example identity_mappings_bulk -- /tmp/mappings.csv
//! ```
//!
//! Against Microsoft Graph (the **target** organization, where tasks look up
//! the mapping of each source user; `SharePointCrossTenantMigration.Manage.All`),
//! pass your own file: no sample data is ever generated there.

#[path = "common/mod.rs"]
mod common;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::time::Duration;

use graph_migrations::models::{
    SharePointIdentityMappingUserMigrationData, SharePointIdentityMappingUserType,
    SharePointUserIdentityMapping, UserIdentity,
};
use graph_migrations::runtime::delta::{DeltaChange, MAX_DELTA_CHUNK};
use graph_migrations::{Client, Error};
use serde::{Deserialize, Serialize};

use common::{BoxError, bar, say};

/// One CSV row (the failures file adds `error`).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub(crate) struct Row {
    #[serde(default)]
    pub action: String,
    #[serde(rename = "sourceUserPrincipalName")]
    pub source_upn: String,
    #[serde(rename = "targetUserPrincipalName", default)]
    pub target_upn: String,
    #[serde(rename = "targetEmail", default)]
    pub target_email: String,
    #[serde(rename = "userType", default)]
    pub user_type: String,
    #[serde(rename = "sourceOrganizationId", default)]
    pub source_organization_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub error: String,
}

/// A row that was not applied.
#[derive(Clone, Debug)]
pub(crate) struct Failure {
    /// Line in the CSV file (the header is line 1).
    pub line: u64,
    pub source_upn: String,
    pub reason: String,
}

/// What to apply and how.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    pub csv_path: PathBuf,
    /// Changes per PATCH (1..=50).
    pub chunk_size: usize,
    /// Attempts for a chunk that fails transiently (after the client's retries).
    pub attempts: u32,
    /// Pause before such an attempt.
    pub retry_pause: Duration,
    /// Generate sample data when the file does not exist (simulator only).
    pub generate_if_missing: bool,
}

impl Options {
    pub(crate) fn new(csv_path: impl Into<PathBuf>) -> Self {
        Self {
            csv_path: csv_path.into(),
            chunk_size: MAX_DELTA_CHUNK,
            attempts: 3,
            retry_pause: Duration::from_secs(2),
            generate_if_missing: false,
        }
    }

    /// The path from the first argument (default: a file in the temp directory).
    pub(crate) fn from_args(conn: &common::Connection) -> Self {
        let path = std::env::args_os()
            .nth(1)
            .map(PathBuf::from)
            .unwrap_or_else(|| std::env::temp_dir().join("graph-migrations-identity-mappings.csv"));
        let mut o = Self::new(path);
        o.generate_if_missing = conn.is_simulator();
        o
    }

    /// `<file>.failed.csv` beside the input.
    pub(crate) fn failures_path(&self) -> PathBuf {
        let stem = self
            .csv_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "mappings".into());
        self.csv_path.with_file_name(format!("{stem}.failed.csv"))
    }
}

/// The outcome of a run.
#[derive(Clone, Debug, Default)]
pub(crate) struct Summary {
    pub total: usize,
    pub applied: usize,
    pub failures: Vec<Failure>,
    /// PATCH requests sent (chunks, halves and retries).
    pub requests: usize,
    /// Whether the run stopped early (authorization failure).
    pub aborted: bool,
    /// Where the failed rows were written (when there were any).
    pub failures_file: Option<PathBuf>,
}

/// Writes `rows` sample mappings; every `invalid_every`-th row has no target user.
pub(crate) fn generate_csv(
    path: &Path,
    rows: usize,
    invalid_every: Option<usize>,
) -> Result<(), BoxError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut w = csv::Writer::from_path(path)?;
    for i in 1..=rows {
        let invalid = invalid_every.is_some_and(|k| k > 0 && i % k == 0);
        w.serialize(Row {
            action: "upsert".into(),
            source_upn: format!("user{i:04}@contoso.onmicrosoft.com"),
            target_upn: if invalid {
                String::new()
            } else {
                format!("user{i:04}@fabrikam.onmicrosoft.com")
            },
            target_email: if invalid {
                String::new()
            } else {
                format!("user{i:04}@fabrikam.com")
            },
            user_type: if i % 10 == 0 {
                "adminUser"
            } else {
                "regularUser"
            }
            .into(),
            ..Row::default()
        })?;
    }
    w.flush()?;
    Ok(())
}

/// The rows read (with their line numbers), and the lines that could not be read.
type Parsed = (Vec<(u64, Row)>, Vec<Failure>);

fn read_rows(path: &Path) -> Result<Parsed, BoxError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_path(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (mut rows, mut bad) = (Vec::new(), Vec::new());
    for (n, record) in reader.deserialize::<Row>().enumerate() {
        let line = n as u64 + 2;
        match record {
            // A row without a source UPN is refused by `change`, which puts
            // it in the failures file with the others.
            Ok(row) => rows.push((line, row)),
            Err(e) => bad.push(Failure {
                line,
                source_upn: String::new(),
                reason: format!("invalid CSV row: {e}"),
            }),
        }
    }
    Ok((rows, bad))
}

/// The delta change for a row.
fn change(row: &Row) -> Result<DeltaChange<SharePointUserIdentityMapping>, String> {
    if row.source_upn.is_empty() {
        return Err("sourceUserPrincipalName is empty".into());
    }
    let source = UserIdentity::new().with_user_principal_name(row.source_upn.clone());
    let mut m = SharePointUserIdentityMapping::new().with_source_user_identity(source);
    if !row.source_organization_id.is_empty() {
        let id: uuid::Uuid = row
            .source_organization_id
            .parse()
            .map_err(|e| format!("sourceOrganizationId is not a GUID: {e}"))?;
        m = m.with_source_organization_id(id);
    }
    match row.action.to_ascii_lowercase().as_str() {
        "remove" | "delete" => return Ok(DeltaChange::remove(m)),
        "" | "upsert" | "add" | "update" => {}
        other => return Err(format!("unknown action {other:?} (upsert or remove)")),
    }
    if !row.target_upn.is_empty() {
        m = m.with_target_user_identity(
            UserIdentity::new().with_user_principal_name(row.target_upn.clone()),
        );
    }
    if !row.target_email.is_empty() {
        m = m.with_target_user_migration_data(
            SharePointIdentityMappingUserMigrationData::new().with_email(row.target_email.clone()),
        );
    }
    if !row.user_type.is_empty() {
        m = m.with_user_type(SharePointIdentityMappingUserType::from_wire(&row.user_type));
    }
    Ok(DeltaChange::Upsert(m))
}

fn reason(e: &Error) -> String {
    e.message()
        .map(|m| format!("{} {m}", e.status().map(|s| s.as_u16()).unwrap_or(0)))
        .unwrap_or_else(|| e.to_string())
}

/// Reads the CSV and applies it; the whole example.
pub(crate) async fn run(client: &Client, options: &Options) -> Result<Summary, BoxError> {
    if !options.csv_path.exists() {
        if !options.generate_if_missing {
            return Err(format!("{} does not exist", options.csv_path.display()).into());
        }
        generate_csv(&options.csv_path, 1000, Some(250))?;
        eprintln!(
            "generated {} with 1,000 sample mappings (4 of them invalid)",
            options.csv_path.display()
        );
    }
    let chunk_size = options.chunk_size.clamp(1, MAX_DELTA_CHUNK);
    let (rows, mut failures) = read_rows(&options.csv_path)?;
    let mut summary = Summary {
        total: rows.len() + failures.len(),
        ..Summary::default()
    };
    let mut failed_rows: Vec<(u64, Row, String)> = Vec::new();
    let mut pending = Vec::new();
    for (line, row) in rows {
        match change(&row) {
            Ok(c) => pending.push((line, row, c)),
            Err(reason) => {
                failures.push(Failure {
                    line,
                    source_upn: row.source_upn.clone(),
                    reason: reason.clone(),
                });
                failed_rows.push((line, row, reason));
            }
        }
    }

    let pb = bar(summary.total as u64, "mappings");
    pb.inc(failures.len() as u64);
    let mappings = client
        .solutions()
        .share_point()
        .migrations()
        .cross_organization_user_mappings();

    // Work items: ranges of `pending`, applied front to back.
    let mut queue: VecDeque<std::ops::Range<usize>> = (0..pending.len())
        .step_by(chunk_size)
        .map(|s| s..(s + chunk_size).min(pending.len()))
        .collect();
    let mut attempt = 0u32;
    while let Some(range) = queue.pop_front() {
        let changes: Vec<_> = pending[range.clone()]
            .iter()
            .map(|(_, _, c)| c.clone())
            .collect();
        summary.requests += 1;
        let report = mappings.delta_update(changes).await?;
        if report.is_complete() {
            attempt = 0;
            summary.applied += range.len();
            pb.inc(range.len() as u64);
            pb.set_message(format!("{} failed", failures.len()));
            continue;
        }
        let err = report
            .first_error()
            .expect("an incomplete report has an error");
        let fail = |range: std::ops::Range<usize>,
                    why: String,
                    failures: &mut Vec<Failure>,
                    failed_rows: &mut Vec<(u64, Row, String)>| {
            for (line, row, _) in &pending[range] {
                failures.push(Failure {
                    line: *line,
                    source_upn: row.source_upn.clone(),
                    reason: why.clone(),
                });
                failed_rows.push((*line, row.clone(), why.clone()));
            }
        };
        if err.is_unauthorized() || err.is_forbidden() {
            // Nothing else will succeed: stop, and keep every remaining row for a rerun.
            say(&pb, format!("stopping: {err}"));
            let why = reason(err);
            fail(range.clone(), why.clone(), &mut failures, &mut failed_rows);
            while let Some(r) = queue.pop_front() {
                fail(
                    r,
                    format!("not attempted: {why}"),
                    &mut failures,
                    &mut failed_rows,
                );
            }
            summary.aborted = true;
            break;
        }
        // A PATCH is sent again only when the service said it did nothing:
        // throttled, unavailable with `Retry-After`, or never reached. After
        // a timeout or a cut-off answer it may have applied the chunk, and
        // its removals would then fail: those rows are reported instead.
        if err.was_not_processed() && attempt + 1 < options.attempts {
            attempt += 1;
            say(
                &pb,
                format!("retrying rows {range:?} (attempt {}): {err}", attempt + 1),
            );
            let pause = err
                .retry_after()
                .map_or(options.retry_pause, |ra| ra.max(options.retry_pause));
            tokio::time::sleep(pause).await;
            queue.push_front(range);
            continue;
        }
        if err.is_transient() && !err.was_not_processed() {
            pb.inc(range.len() as u64);
            let why = format!("outcome unknown, check before rerunning: {}", reason(err));
            fail(range, why, &mut failures, &mut failed_rows);
            continue;
        }
        attempt = 0;
        if err.is_bad_request() && range.len() > 1 {
            // Isolate the rejected rows: retry each half.
            let mid = range.start + range.len() / 2;
            queue.push_front(mid..range.end);
            queue.push_front(range.start..mid);
            continue;
        }
        let why = reason(err);
        if range.len() == 1 {
            say(
                &pb,
                format!(
                    "line {}: {} rejected: {why}",
                    pending[range.start].0, pending[range.start].1.source_upn
                ),
            );
        }
        pb.inc(range.len() as u64);
        fail(range, why, &mut failures, &mut failed_rows);
        pb.set_message(format!("{} failed", failures.len()));
    }
    pb.finish_with_message(format!("{} failed", failures.len()));

    failures.sort_by_key(|f| f.line);
    if !failures.is_empty() {
        let path = options.failures_path();
        let mut w = csv::Writer::from_path(&path)?;
        failed_rows.sort_by_key(|(line, _, _)| *line);
        for (_, row, why) in failed_rows {
            w.serialize(Row { error: why, ..row })?;
        }
        w.flush()?;
        summary.failures_file = Some(path);
    }
    summary.failures = failures;

    // The summary.
    eprintln!(
        "applied {} of {} change(s) in {} request(s); {} failed{}",
        summary.applied,
        summary.total,
        summary.requests,
        summary.failures.len(),
        if summary.aborted {
            " (stopped early)"
        } else {
            ""
        }
    );
    for f in summary.failures.iter().take(20) {
        eprintln!("  line {:>5} {:<40} {}", f.line, f.source_upn, f.reason);
    }
    if summary.failures.len() > 20 {
        eprintln!("  ... and {} more", summary.failures.len() - 20);
    }
    if let Some(p) = &summary.failures_file {
        eprintln!(
            "failed rows written to {}: fix them and run again with that file",
            p.display()
        );
    }
    Ok(summary)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    common::exit(main_inner().await)
}

async fn main_inner() -> Result<(), BoxError> {
    let conn = common::connect()?;
    let mut options = Options::from_args(&conn);
    if !conn.is_simulator() {
        options.retry_pause = Duration::from_secs(30);
    }
    let summary = run(&conn.client, &options).await?;
    if summary.aborted {
        return Err("stopped early; see the failures file".into());
    }
    Ok(())
}
