//! crossTenantMigrationJob and crossTenantMigrationTask: model, lifecycle and handlers.

use http::{Method, StatusCode};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use crate::SimConfig;
use crate::error::{GResult, GraphError};
use crate::odata::{self, fmt_dt};
use crate::paging::{self, Keyed, next_seq};
use crate::request::{Req, Resp};
use crate::routes::{JobAction, Key};
use crate::state::Store;
use crate::util::{
    check_props, enum_member, is_guid, opt_datetime, opt_object, opt_str, opt_str_array, req_str,
};

/// Internal lifecycle phase (finer than the public status).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    Submitted,
    ValidateSubmitted,
    ValidateProcessing,
    ValidateInProgress,
    ValidatePassed,
    ValidateFailed,
    Approved,
    Processing,
    Syncing,
    Synced,
    AdminActionRequired,
    CuttingOver,
    Completed,
    CompletedWithErrors,
    Failed,
    PendingCancel,
    Cancelled,
    PendingDelete,
    Deleted,
}

impl Phase {
    pub(crate) fn status(self) -> &'static str {
        match self {
            Phase::Submitted => "submitted",
            Phase::ValidateSubmitted => "validateSubmitted",
            Phase::ValidateProcessing => "validateProcessing",
            Phase::ValidateInProgress => "validateInProgress",
            Phase::ValidatePassed => "validatePassed",
            Phase::ValidateFailed => "validateFailed",
            Phase::Approved => "approved",
            Phase::Processing => "processing",
            Phase::Syncing | Phase::Synced => "inProgress",
            Phase::AdminActionRequired => "adminActionRequired",
            Phase::CuttingOver => "cuttingOver",
            Phase::Completed => "completed",
            Phase::CompletedWithErrors => "completedWithErrors",
            Phase::Failed => "failed",
            Phase::PendingCancel => "pendingCancel",
            Phase::Cancelled => "cancelled",
            Phase::PendingDelete => "pendingDelete",
            Phase::Deleted => "deleted",
        }
    }

    /// Final states (validation and migration; `deleted` is past them).
    pub(crate) fn is_final(self) -> bool {
        matches!(
            self,
            Phase::ValidatePassed
                | Phase::ValidateFailed
                | Phase::Completed
                | Phase::CompletedWithErrors
                | Phase::Failed
                | Phase::Cancelled
        )
    }

    /// Parses a public status for seeding.
    pub(crate) fn from_status(s: &str) -> Option<Phase> {
        let all = [
            Phase::Submitted,
            Phase::ValidateSubmitted,
            Phase::ValidateProcessing,
            Phase::ValidateInProgress,
            Phase::ValidatePassed,
            Phase::ValidateFailed,
            Phase::Approved,
            Phase::Processing,
            Phase::Syncing,
            Phase::AdminActionRequired,
            Phase::CuttingOver,
            Phase::Completed,
            Phase::CompletedWithErrors,
            Phase::Failed,
            Phase::PendingCancel,
            Phase::Cancelled,
            Phase::PendingDelete,
            Phase::Deleted,
        ];
        all.into_iter().find(|p| p.status().eq_ignore_ascii_case(s))
    }
}

#[derive(Clone, Debug)]
pub(crate) struct SvcStatus {
    pub service: String,
    pub status: &'static str,
    pub message: String,
    pub errors: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
pub(crate) struct UserTask {
    /// Creation sequence number (the users collection's order).
    pub seq: u64,
    pub id: String,
    pub task_type: String,
    pub last_updated: OffsetDateTime,
    pub cancelled: bool,
    /// Migrated successfully (kept across re-migrations).
    pub done: bool,
    pub failed: bool,
    /// Its migration waits for an administrator (service status `error`).
    pub needs_admin: bool,
    /// Its services were forced to complete (service status `forceComplete`).
    pub forced: bool,
    pub invalid: Option<String>,
    pub statuses: Vec<SvcStatus>,
}

#[derive(Clone, Debug)]
pub(crate) struct Job {
    /// Creation sequence number (the jobs collection's order).
    pub seq: u64,
    pub id: String,
    pub display_name: String,
    pub job_type: &'static str,
    pub source_tenant_id: String,
    pub target_tenant_id: String,
    pub complete_after: OffsetDateTime,
    /// When `complete_after` was last set: a cutover never starts before this.
    pub complete_after_set: OffsetDateTime,
    pub phase: Phase,
    pub entered: OffsetDateTime,
    pub message: String,
    pub created: OffsetDateTime,
    pub created_by: String,
    pub last_updated: OffsetDateTime,
    pub exchange_settings: Option<Map<String, Value>>,
    pub workloads: Vec<String>,
    pub resource_type: String,
    pub resources: Vec<String>,
    pub tasks: Vec<UserTask>,
    pub validated_at: Option<OffsetDateTime>,
    pub validation_errors: Vec<String>,
    pub removed: bool,
}

const JOB_PROPS: &[&str] = &[
    "id",
    "displayName",
    "jobType",
    "sourceTenantId",
    "targetTenantId",
    "completeAfterDateTime",
    "status",
    "message",
    "createdDateTime",
    "createdBy",
    "lastUpdatedDateTime",
    "exchangeSettings",
    "workloads",
    "resourceType",
    "resources",
    "users",
];

const KNOWN_WORKLOADS: &[&str] = &["Teams", "Exchange", "ODSP"];

fn canonical_workload(w: &str) -> String {
    let t = w.trim();
    if let Some(k) = KNOWN_WORKLOADS.iter().find(|k| k.eq_ignore_ascii_case(t)) {
        return k.to_string();
    }
    if t.eq_ignore_ascii_case("OneDrive") || t.eq_ignore_ascii_case("SharePoint") {
        return "ODSP".into();
    }
    t.to_string()
}

fn phase_message(job: &Job) -> String {
    match job.phase {
        Phase::Submitted => String::new(),
        Phase::ValidateSubmitted => "Validation job has been submitted successfully".into(),
        Phase::ValidateProcessing => "Validation is being processed.".into(),
        Phase::ValidateInProgress => "Validation is in progress.".into(),
        Phase::ValidatePassed => "Validation has completed successfully with no failures.".into(),
        Phase::ValidateFailed => format!("Validation failed: {}", job.validation_errors.join(" ")),
        Phase::Approved => {
            "The migration job has been approved and is waiting to be processed.".into()
        }
        Phase::Processing => "Migration job has been submitted successfully".into(),
        Phase::AdminActionRequired => {
            let waiting: Vec<&str> = job
                .tasks
                .iter()
                .filter(|t| t.needs_admin && !t.cancelled)
                .map(|t| t.id.as_str())
                .collect();
            format!(
                "An administrator must act before the migration can continue for: {}.",
                waiting.join(", ")
            )
        }
        Phase::Syncing => "Migration is in progress.".into(),
        Phase::Synced => {
            "Data synchronization has completed; the cutover starts after completeAfterDateTime."
                .into()
        }
        Phase::CuttingOver => "Cutover is in progress.".into(),
        Phase::Completed => {
            "The batch and all of its users have been successfully migrated with no failures."
                .into()
        }
        Phase::CompletedWithErrors => {
            let active = job.tasks.iter().filter(|t| !t.cancelled).count();
            let failed = job
                .tasks
                .iter()
                .filter(|t| !t.cancelled && t.failed)
                .count();
            format!(
                "The batch has completed with errors: {failed} of {active} users failed to migrate."
            )
        }
        Phase::Failed => "The batch has failed: none of its users could be migrated.".into(),
        Phase::PendingCancel => {
            "cancellation request has been accepted for the migration job".into()
        }
        Phase::Cancelled => "The migration job has been cancelled.".into(),
        Phase::PendingDelete => "The migration job is being deleted.".into(),
        Phase::Deleted => "The migration job has been deleted.".into(),
    }
}

fn svc(service: &str, status: &'static str) -> SvcStatus {
    SvcStatus {
        service: service.to_string(),
        status,
        message: String::new(),
        errors: Vec::new(),
    }
}

fn new_task(id: String, task_type: String, workloads: &[String], now: OffsetDateTime) -> UserTask {
    UserTask {
        seq: next_seq(),
        id,
        task_type,
        last_updated: now,
        cancelled: false,
        done: false,
        failed: false,
        needs_admin: false,
        forced: false,
        invalid: None,
        statuses: workloads.iter().map(|w| svc(w, "notStarted")).collect(),
    }
}

/// Sets every task's per-service status for the job's current phase.
fn refresh_tasks(job: &mut Job, at: OffsetDateTime) {
    let phase = job.phase;
    let job_id = job.id.clone();
    let workloads = job.workloads.clone();
    for t in &mut job.tasks {
        if t.cancelled {
            continue;
        }
        if t.done
            && matches!(
                phase,
                Phase::Approved
                    | Phase::Processing
                    | Phase::Syncing
                    | Phase::AdminActionRequired
                    | Phase::Synced
                    | Phase::CuttingOver
                    | Phase::PendingCancel
                    | Phase::Cancelled
                    | Phase::Completed
                    | Phase::CompletedWithErrors
                    | Phase::Failed
            )
        {
            continue;
        }
        let (status, error): (&'static str, Option<(String, String)>) = match phase {
            Phase::Submitted
            | Phase::ValidateSubmitted
            | Phase::ValidateProcessing
            | Phase::Approved
            | Phase::Processing => ("notStarted", None),
            Phase::ValidateInProgress => ("inProgress", None),
            Phase::ValidatePassed | Phase::ValidateFailed => match &t.invalid {
                Some(reason) => ("invalid", Some(("InvalidResource".into(), reason.clone()))),
                None => ("valid", None),
            },
            Phase::Syncing => ("syncing", None),
            Phase::AdminActionRequired if t.needs_admin => (
                "error",
                Some((
                    "AdminActionRequired".into(),
                    format!(
                        "The migration of user {} in batch {job_id} needs an administrator's action.",
                        t.id
                    ),
                )),
            ),
            Phase::AdminActionRequired => ("syncing", None),
            Phase::Synced => ("synced", None),
            Phase::CuttingOver => ("finalizing", None),
            Phase::Completed | Phase::CompletedWithErrors | Phase::Failed => {
                if t.failed {
                    (
                        "failed",
                        Some((
                            "MigrationFailed".into(),
                            format!("The migration of user {} in batch {job_id} failed.", t.id),
                        )),
                    )
                } else if t.forced {
                    ("forceComplete", None)
                } else {
                    ("completed", None)
                }
            }
            Phase::PendingCancel => ("pendingCancel", None),
            Phase::Cancelled => ("cancelled", None),
            Phase::PendingDelete | Phase::Deleted => continue,
        };
        t.statuses = workloads
            .iter()
            .map(|w| SvcStatus {
                service: w.clone(),
                status,
                message: error.as_ref().map(|e| e.1.clone()).unwrap_or_default(),
                errors: error.iter().cloned().collect(),
            })
            .collect();
        t.last_updated = at;
    }
}

fn enter(job: &mut Job, phase: Phase, at: OffsetDateTime) {
    job.phase = phase;
    job.entered = at;
    job.last_updated = at;
    job.message = phase_message(job);
    refresh_tasks(job, at);
}

fn run_validation(job: &mut Job, cfg: &SimConfig) -> bool {
    let mut errors = Vec::new();
    if job.workloads.is_empty() {
        errors.push("At least one workload must be specified.".to_string());
    }
    for w in &job.workloads {
        if !KNOWN_WORKLOADS.contains(&w.as_str()) {
            errors.push(format!(
                "Unsupported workload '{w}'. Supported workloads are Teams, Exchange and ODSP."
            ));
        }
    }
    if job.workloads.iter().any(|w| w == "Exchange") {
        let ok = job.exchange_settings.as_ref().is_some_and(|s| {
            ["targetDeliveryDomain", "sourceEndpoint"].iter().all(|k| {
                s.get(*k)
                    .and_then(Value::as_str)
                    .is_some_and(|v| !v.trim().is_empty())
            })
        });
        if !ok {
            errors.push(
                "exchangeSettings with targetDeliveryDomain and sourceEndpoint is required when Exchange is a specified workload."
                    .to_string(),
            );
        }
    }
    if job.tasks.is_empty() {
        errors.push("At least one resource must be specified.".to_string());
    }
    if !is_guid(&job.source_tenant_id) {
        errors.push(format!(
            "sourceTenantId '{}' is not a valid tenant ID (GUID).",
            job.source_tenant_id
        ));
    } else if job
        .source_tenant_id
        .eq_ignore_ascii_case(&job.target_tenant_id)
    {
        errors.push("The source and target tenants must be different.".to_string());
    }
    let mut invalid = 0;
    for t in &mut job.tasks {
        t.invalid = if !is_guid(&t.id) {
            Some(format!(
                "Resource '{}' is not a valid object ID (GUID).",
                t.id
            ))
        } else if t.id == "00000000-0000-0000-0000-000000000000"
            || listed(&cfg.unknown_resources, &t.id)
        {
            Some(format!(
                "Resource '{}' was not found in the source tenant.",
                t.id
            ))
        } else {
            None
        };
        if t.invalid.is_some() && !t.cancelled {
            invalid += 1;
        }
    }
    if invalid > 0 {
        errors.push(format!("{invalid} resource(s) failed validation."));
    }
    job.validation_errors = errors;
    job.validation_errors.is_empty()
}

fn listed(list: &[String], id: &str) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(id))
}

fn resource_fails(id: &str, cfg: &SimConfig) -> bool {
    id.to_ascii_lowercase().starts_with("deadbeef") || listed(&cfg.failing_resources, id)
}

fn needs_admin(id: &str, cfg: &SimConfig) -> bool {
    listed(&cfg.admin_action_resources, id)
}

fn next_transition(job: &Job, cfg: &SimConfig) -> Option<OffsetDateTime> {
    let t = &cfg.timings;
    let e = job.entered;
    Some(match job.phase {
        Phase::ValidateSubmitted => e + t.validate_queue,
        Phase::ValidateProcessing => e + t.validate_processing,
        Phase::ValidateInProgress => e + t.validate_run,
        Phase::Approved => e + t.approval,
        // Resumes as soon as no waiting resource is listed any more.
        Phase::AdminActionRequired => {
            if job
                .tasks
                .iter()
                .any(|x| x.needs_admin && !x.cancelled && needs_admin(&x.id, cfg))
            {
                return None;
            }
            e
        }
        Phase::Processing => e + t.processing,
        Phase::Syncing => e + t.sync,
        Phase::Synced => e.max(job.complete_after).max(job.complete_after_set),
        Phase::CuttingOver => e + t.cutover,
        Phase::PendingCancel => e + t.cancel,
        Phase::PendingDelete => e + t.delete,
        Phase::Deleted => e + t.deleted_retention,
        _ => return None,
    })
}

/// Applies every transition due at `now`.
pub(crate) fn tick(job: &mut Job, now: OffsetDateTime, cfg: &SimConfig) {
    while !job.removed {
        let Some(at) = next_transition(job, cfg) else {
            break;
        };
        if at > now {
            break;
        }
        match job.phase {
            Phase::ValidateSubmitted => enter(job, Phase::ValidateProcessing, at),
            Phase::ValidateProcessing => enter(job, Phase::ValidateInProgress, at),
            Phase::Approved => enter(job, Phase::Processing, at),
            Phase::ValidateInProgress => {
                if run_validation(job, cfg) {
                    job.validated_at = Some(at);
                    enter(job, Phase::ValidatePassed, at);
                } else {
                    enter(job, Phase::ValidateFailed, at);
                }
            }
            Phase::Processing => {
                let mut waiting = false;
                for t in &mut job.tasks {
                    t.needs_admin = !t.cancelled && !t.done && needs_admin(&t.id, cfg);
                    waiting |= t.needs_admin;
                }
                let next = if waiting {
                    Phase::AdminActionRequired
                } else {
                    Phase::Syncing
                };
                enter(job, next, at);
            }
            Phase::AdminActionRequired => {
                for t in &mut job.tasks {
                    t.needs_admin = false;
                }
                // The resolution is seen now; the sync starts from here.
                enter(job, Phase::Syncing, now.max(at));
            }
            Phase::Syncing => enter(job, Phase::Synced, at),
            Phase::Synced => enter(job, Phase::CuttingOver, at),
            Phase::CuttingOver => {
                let mut active = 0;
                let mut failed = 0;
                for t in &mut job.tasks {
                    if t.cancelled {
                        continue;
                    }
                    active += 1;
                    if t.done {
                        continue;
                    }
                    t.failed = resource_fails(&t.id, cfg);
                    t.forced = !t.failed && listed(&cfg.force_complete_resources, &t.id);
                    if t.failed {
                        failed += 1;
                    }
                }
                let phase = if active == 0 {
                    Phase::Cancelled
                } else if failed == 0 {
                    Phase::Completed
                } else if failed == active {
                    Phase::Failed
                } else {
                    Phase::CompletedWithErrors
                };
                enter(job, phase, at);
                for t in &mut job.tasks {
                    if !t.cancelled && !t.failed {
                        t.done = true;
                    }
                }
            }
            Phase::PendingCancel => enter(job, Phase::Cancelled, at),
            Phase::PendingDelete => enter(job, Phase::Deleted, at),
            Phase::Deleted => job.removed = true,
            _ => break,
        }
    }
}

// ---------------------------------------------------------------------------
// JSON

pub(crate) fn job_json(job: &Job) -> Value {
    json!({
        "id": job.id,
        "displayName": job.display_name,
        "jobType": job.job_type,
        "sourceTenantId": job.source_tenant_id,
        "targetTenantId": job.target_tenant_id,
        "completeAfterDateTime": fmt_dt(job.complete_after),
        "status": job.phase.status(),
        "message": job.message,
        "createdDateTime": fmt_dt(job.created),
        "createdBy": job.created_by,
        "lastUpdatedDateTime": fmt_dt(job.last_updated),
        "exchangeSettings": job.exchange_settings.clone().map(Value::Object).unwrap_or(Value::Null),
        "workloads": job.workloads,
        "resourceType": job.resource_type,
        "resources": job.resources,
    })
}

/// A job as answered to `req`: with its `users` when `$expand` asks for them.
fn job_out(req: &Req, job: &Job) -> Value {
    let mut v = job_json(job);
    if req.expands("users") {
        v["users"] = job.tasks.iter().map(task_json).collect();
    }
    v
}

pub(crate) fn task_json(t: &UserTask) -> Value {
    json!({
        "id": t.id,
        "taskType": t.task_type,
        "lastUpdatedDateTime": fmt_dt(t.last_updated),
        "currentStatus": t.statuses.iter().map(|s| json!({
            "service": s.service,
            "status": s.status,
            "message": s.message,
            "errors": s.errors.iter().map(|(c, m)| json!({"code": c, "message": m})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

// ---------------------------------------------------------------------------
// Operations (shared by HTTP handlers and seeding)

/// Creates a job from a request body.
pub(crate) fn create_job(
    store: &mut Store,
    body: &Map<String, Value>,
    now: OffsetDateTime,
    validate: bool,
) -> GResult<usize> {
    check_props(body, JOB_PROPS, "crossTenantMigrationJob")?;
    let display_name = req_str(body, "displayName")?;
    let source_tenant_id = req_str(body, "sourceTenantId")?;
    let complete_after = opt_datetime(body, "completeAfterDateTime")?
        .ok_or_else(|| GraphError::missing_param("completeAfterDateTime"))?;
    let resource_type = req_str(body, "resourceType")?;
    if !resource_type.eq_ignore_ascii_case("users") {
        return Err(GraphError::bad_request(format!(
            "Unsupported resourceType '{resource_type}'. Only 'Users' is supported."
        )));
    }
    let resources =
        opt_str_array(body, "resources")?.ok_or_else(|| GraphError::missing_param("resources"))?;
    if resources.len() > 2000 {
        return Err(GraphError::bad_request(format!(
            "A crossTenantMigrationJob supports at most 2,000 resources; {} were given.",
            resources.len()
        )));
    }
    let workloads = match opt_str_array(body, "workloads")? {
        None => KNOWN_WORKLOADS.iter().map(|s| s.to_string()).collect(),
        Some(w) => {
            let mut out: Vec<String> = Vec::new();
            for x in w {
                let c = canonical_workload(&x);
                if !out.contains(&c) {
                    out.push(c);
                }
            }
            out
        }
    };
    let exchange_settings = match opt_object(body, "exchangeSettings")? {
        None => None,
        Some(m) => {
            check_props(
                m,
                &["sourceEndpoint", "targetDeliveryDomain"],
                "exchangeOnlineCrossTenantMigrationSettings",
            )?;
            opt_str(m, "sourceEndpoint")?;
            opt_str(m, "targetDeliveryDomain")?;
            Some(
                m.iter()
                    .filter(|(k, _)| !k.contains('@'))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )
        }
    };
    // The create page: exchangeSettings is "Optional, but required if Exchange is a
    // specified workload". Omitted workloads mean all of them; that job is not
    // refused here, its validation fails instead (see run_validation).
    let exchange_specified = body
        .get("workloads")
        .and_then(Value::as_array)
        .is_some_and(|w| {
            w.iter().any(|x| {
                x.as_str()
                    .is_some_and(|x| canonical_workload(x) == "Exchange")
            })
        });
    if exchange_specified && exchange_settings.is_none() {
        return Err(GraphError::bad_request(
            "exchangeSettings is required if Exchange is a specified workload.",
        ));
    }
    let job_type = if validate {
        "validate"
    } else {
        match opt_str(body, "jobType")? {
            None => "migrate",
            Some(v) => enum_member(
                &v,
                &["validate", "migrate", "unknownFutureValue"],
                "jobType",
            )?,
        }
    };
    if store
        .jobs
        .iter()
        .any(|j| !j.removed && j.display_name.eq_ignore_ascii_case(&display_name))
    {
        return Err(GraphError::conflict(format!(
            "A crossTenantMigrationJob with displayName '{display_name}' already exists. Job names must be unique per tenant."
        )));
    }
    let target_tenant_id =
        opt_str(body, "targetTenantId")?.unwrap_or_else(|| store.cfg.tenant_id.clone());
    let mut ids: Vec<String> = Vec::new();
    for r in resources {
        let r = r.trim().to_string();
        if !ids.iter().any(|x| x.eq_ignore_ascii_case(&r)) {
            ids.push(r);
        }
    }
    let tasks = ids
        .iter()
        .map(|id| new_task(id.clone(), "user".into(), &workloads, now))
        .collect();
    let mut job = Job {
        seq: next_seq(),
        id: uuid::Uuid::new_v4().to_string(),
        display_name,
        job_type,
        source_tenant_id,
        target_tenant_id,
        complete_after,
        complete_after_set: now,
        phase: Phase::Submitted,
        entered: now,
        message: String::new(),
        created: now,
        created_by: store.cfg.created_by.clone(),
        last_updated: now,
        exchange_settings,
        workloads,
        resource_type: "users".into(),
        resources: ids,
        tasks,
        validated_at: None,
        validation_errors: Vec::new(),
        removed: false,
    };
    enter(
        &mut job,
        if validate {
            Phase::ValidateSubmitted
        } else {
            Phase::Submitted
        },
        now,
    );
    store.jobs.push(job);
    Ok(store.jobs.len() - 1)
}

/// Forces a job into a phase (seeding helper).
pub(crate) fn force_phase(job: &mut Job, phase: Phase, now: OffsetDateTime, cfg: &SimConfig) {
    match phase {
        Phase::ValidatePassed | Phase::ValidateFailed => {
            let ok = run_validation(job, cfg);
            if phase == Phase::ValidateFailed && ok {
                job.validation_errors = vec!["Validation failed (seeded).".into()];
            }
            job.validated_at = (phase == Phase::ValidatePassed).then_some(now);
        }
        Phase::Completed | Phase::CompletedWithErrors | Phase::Failed => {
            job.validated_at.get_or_insert(now);
            job.job_type = "migrate";
            let n = job.tasks.len();
            for (i, t) in job.tasks.iter_mut().enumerate() {
                t.failed = match phase {
                    Phase::Failed => true,
                    Phase::CompletedWithErrors => i + 1 == n,
                    _ => false,
                };
                t.done = !t.failed;
            }
        }
        Phase::Approved
        | Phase::Processing
        | Phase::Syncing
        | Phase::Synced
        | Phase::AdminActionRequired
        | Phase::CuttingOver => {
            job.validated_at.get_or_insert(now);
            job.job_type = "migrate";
            for t in &mut job.tasks {
                t.needs_admin = phase == Phase::AdminActionRequired && needs_admin(&t.id, cfg);
            }
        }
        _ => {}
    }
    enter(job, phase, now);
}

fn find_job(store: &Store, key: &Key) -> GResult<usize> {
    store
        .jobs
        .iter()
        .position(|j| {
            !j.removed
                && match key {
                    Key::Id(id) => j.id.eq_ignore_ascii_case(id),
                    Key::Alt(name) => j.display_name.eq_ignore_ascii_case(name),
                }
        })
        .ok_or_else(|| GraphError::not_found("The specified crossTenantMigrationJob wasn't found."))
}

fn find_task(job: &Job, task: &str) -> GResult<usize> {
    job.tasks
        .iter()
        .position(|t| t.id.eq_ignore_ascii_case(task))
        .ok_or_else(|| {
            GraphError::not_found("The specified crossTenantMigrationTask wasn't found.")
        })
}

const JOB_ENTITY: &str = "solutions/migrations/crossTenantMigrationJobs/$entity";
const JOB_ACTION_CONTEXT: &str = "microsoft.graph.crossTenantMigrationJob";

fn users_context(job: &Job) -> String {
    format!(
        "solutions/migrations/crossTenantMigrationJobs('{}')/users",
        job.id
    )
}

// ---------------------------------------------------------------------------
// HTTP handlers

pub(crate) fn jobs_collection(store: &mut Store, req: &Req, now: OffsetDateTime) -> GResult<Resp> {
    match req.method {
        Method::GET => {
            let items = store
                .jobs
                .iter()
                .filter(|j| !j.removed)
                .map(|j| Keyed::new(j.seq, job_out(req, j)))
                .collect();
            paging::collection(
                req,
                items,
                "solutions/migrations/crossTenantMigrationJobs",
                store.cfg.jobs_page_size,
                store.cfg.max_page_size,
            )
        }
        Method::POST => {
            let body = req.json_object()?;
            let i = create_job(store, &body, now, false)?;
            Ok(odata::entity_with_status(
                req,
                StatusCode::CREATED,
                job_out(req, &store.jobs[i]),
                JOB_ENTITY,
            ))
        }
        _ => Err(GraphError::method_not_allowed()),
    }
}

pub(crate) fn jobs_count(store: &mut Store, req: &Req) -> GResult<Resp> {
    if req.method != Method::GET {
        return Err(GraphError::method_not_allowed());
    }
    paging::count(
        req,
        store
            .jobs
            .iter()
            .filter(|j| !j.removed)
            .map(job_json)
            .collect(),
    )
}

pub(crate) fn jobs_validate(store: &mut Store, req: &Req, now: OffsetDateTime) -> GResult<Resp> {
    if req.method != Method::POST {
        return Err(GraphError::method_not_allowed());
    }
    let body = req.json_object()?;
    let i = create_job(store, &body, now, true)?;
    Ok(odata::entity_with_status(
        req,
        StatusCode::CREATED,
        job_out(req, &store.jobs[i]),
        JOB_ACTION_CONTEXT,
    ))
}

pub(crate) fn job_item(
    store: &mut Store,
    req: &Req,
    key: &Key,
    now: OffsetDateTime,
) -> GResult<Resp> {
    let i = find_job(store, key)?;
    match req.method {
        Method::GET => Ok(odata::entity(req, job_out(req, &store.jobs[i]), JOB_ENTITY)),
        Method::PATCH => {
            let body = req.json_object()?;
            check_props(&body, JOB_PROPS, "crossTenantMigrationJob")?;
            if let Some(k) = body.keys().find(|k| {
                !k.contains('@') && k.as_str() != "completeAfterDateTime" && k.as_str() != "id"
            }) {
                return Err(GraphError::bad_request(format!(
                    "The property '{k}' can't be updated. Only updates to completeAfterDateTime are supported."
                )));
            }
            let at = opt_datetime(&body, "completeAfterDateTime")?
                .ok_or_else(|| GraphError::missing_param("completeAfterDateTime"))?;
            let job = &mut store.jobs[i];
            if matches!(
                job.phase,
                Phase::CuttingOver
                    | Phase::Completed
                    | Phase::Cancelled
                    | Phase::PendingCancel
                    | Phase::PendingDelete
                    | Phase::Deleted
            ) {
                return Err(GraphError::conflict(format!(
                    "completeAfterDateTime can't be updated while the job is in status '{}'.",
                    job.phase.status()
                )));
            }
            job.complete_after = at;
            job.complete_after_set = now;
            job.last_updated = now;
            Ok(Resp::empty(StatusCode::NO_CONTENT))
        }
        Method::DELETE => {
            let job = &mut store.jobs[i];
            match job.phase {
                // `pendingDelete` is no final state: a second DELETE, or
                // one retried after a lost answer, is refused as the page
                // says (migrationsroot-delete-crosstenantmigrationjobs.md:19).
                Phase::Deleted => Ok(Resp::empty(StatusCode::ACCEPTED)),
                p if p.is_final() => {
                    enter(job, Phase::PendingDelete, now);
                    Ok(Resp::empty(StatusCode::ACCEPTED))
                }
                p => Err(GraphError::conflict(format!(
                    "The crossTenantMigrationJob can't be deleted because it isn't in a final state (status '{}'). Wait for it to reach a final state or cancel it first.",
                    p.status()
                ))),
            }
        }
        _ => Err(GraphError::method_not_allowed()),
    }
}

/// Whether the job's validation results are still usable for `migrate`.
fn validation_fresh(job: &Job, now: OffsetDateTime, ttl: std::time::Duration) -> bool {
    job.validated_at.is_some_and(|v| now - v <= ttl)
}

pub(crate) fn job_action(
    store: &mut Store,
    req: &Req,
    key: &Key,
    action: JobAction,
    now: OffsetDateTime,
) -> GResult<Resp> {
    if req.method != Method::POST {
        return Err(GraphError::method_not_allowed());
    }
    let i = find_job(store, key)?;
    let ttl = store.cfg.timings.validation_ttl;
    let approval = store.cfg.approval_step;
    let job = &mut store.jobs[i];
    match action {
        JobAction::Validate => {
            // CURRENT.md (validate): the job must be `submitted` or `validateFailed`.
            // The migrate page asks to revalidate a job whose validation is more than
            // seven days old, so such a job (in a status migrate accepts) may be too.
            let expired = !validation_fresh(job, now, ttl);
            let allowed = matches!(job.phase, Phase::Submitted | Phase::ValidateFailed)
                || expired
                    && matches!(
                        job.phase,
                        Phase::ValidatePassed | Phase::Failed | Phase::CompletedWithErrors
                    );
            if !allowed {
                return Err(GraphError::conflict(format!(
                    "The job isn't in a valid status for validation. The job must be in submitted or validateFailed status (or its validation results must have expired); it is in status '{}'.",
                    job.phase.status()
                )));
            }
            job.validated_at = None;
            job.validation_errors.clear();
            for t in &mut job.tasks {
                t.invalid = None;
            }
            enter(job, Phase::ValidateSubmitted, now);
            Ok(odata::entity(req, job_out(req, job), JOB_ACTION_CONTEXT))
        }
        JobAction::Migrate => {
            if !matches!(
                job.phase,
                Phase::ValidatePassed | Phase::Failed | Phase::CompletedWithErrors
            ) {
                return Err(GraphError::conflict(
                    "The job isn't in a valid status for migration. The job must be in validatePassed, failed, or completedWithErrors status.",
                ));
            }
            if !validation_fresh(job, now, ttl) {
                return Err(GraphError::conflict(
                    "The validation results expired (more than seven days ago). Revalidate the job before you call the migrate API.",
                ));
            }
            job.job_type = "migrate";
            for t in &mut job.tasks {
                t.failed = false;
            }
            let next = if approval {
                Phase::Approved
            } else {
                Phase::Processing
            };
            enter(job, next, now);
            Ok(odata::entity(req, job_out(req, job), JOB_ACTION_CONTEXT))
        }
        JobAction::Cancel => {
            // The cancel page: 409 "when a migration is already in progress or is
            // in a terminal state"; a job waiting to be validated or migrated can be.
            match job.phase {
                Phase::Submitted
                | Phase::ValidateSubmitted
                | Phase::ValidateProcessing
                | Phase::ValidateInProgress
                | Phase::Approved
                | Phase::Processing
                | Phase::AdminActionRequired => {}
                p @ (Phase::Syncing | Phase::Synced | Phase::CuttingOver) => {
                    return Err(GraphError::conflict(format!(
                        "The job can't be canceled because the migration is already in progress (status '{}').",
                        p.status()
                    )));
                }
                Phase::PendingCancel => {
                    return Err(GraphError::conflict(
                        "A cancellation request is already pending for this job.",
                    ));
                }
                p => {
                    return Err(GraphError::conflict(format!(
                        "The job can't be canceled because it is in a terminal state (status '{}').",
                        p.status()
                    )));
                }
            }
            enter(job, Phase::PendingCancel, now);
            Ok(odata::entity_with_status(
                req,
                StatusCode::ACCEPTED,
                json!({
                    "id": job.id,
                    "displayName": job.display_name,
                    "status": "pendingCancel",
                    "message": "cancellation request has been accepted for the migration job",
                }),
                "microsoft.graph.crossTenantMigrationCancelResponse",
            ))
        }
    }
}

fn users_editable(job: &Job) -> GResult<()> {
    if matches!(
        job.phase,
        Phase::Submitted | Phase::ValidatePassed | Phase::ValidateFailed
    ) {
        Ok(())
    } else {
        Err(GraphError::conflict(format!(
            "Users can only be added to or removed from a job before migration starts (status '{}').",
            job.phase.status()
        )))
    }
}

fn reset_validation(job: &mut Job, now: OffsetDateTime) {
    if job.phase != Phase::Submitted {
        job.validated_at = None;
        enter(job, Phase::Submitted, now);
        job.message =
            "The job's resources changed; validate the job again before migrating.".into();
    }
}

pub(crate) fn job_users(
    store: &mut Store,
    req: &Req,
    key: &Key,
    now: OffsetDateTime,
) -> GResult<Resp> {
    let i = find_job(store, key)?;
    match req.method {
        Method::GET => {
            let job = &store.jobs[i];
            let items = job
                .tasks
                .iter()
                .map(|t| Keyed::new(t.seq, task_json(t)))
                .collect();
            paging::collection(
                req,
                items,
                &users_context(job),
                store.cfg.page_size,
                store.cfg.max_page_size,
            )
        }
        Method::POST => {
            let body = req.json_object()?;
            check_props(
                &body,
                &["id", "taskType", "lastUpdatedDateTime", "currentStatus"],
                "crossTenantMigrationTask",
            )?;
            let id = opt_str(&body, "id")?
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
            let task_type = opt_str(&body, "taskType")?
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| "user".into());
            let job = &mut store.jobs[i];
            users_editable(job)?;
            if job.tasks.iter().any(|t| t.id.eq_ignore_ascii_case(&id)) {
                return Err(GraphError::conflict(format!(
                    "The user '{id}' is already part of this job."
                )));
            }
            if job.tasks.len() >= 2000 {
                return Err(GraphError::bad_request(
                    "A crossTenantMigrationJob supports at most 2,000 resources.",
                ));
            }
            reset_validation(job, now);
            job.resources.push(id.clone());
            job.tasks.push(new_task(id, task_type, &job.workloads, now));
            job.last_updated = now;
            let ctx = format!("{}/$entity", users_context(job));
            Ok(odata::entity_with_status(
                req,
                StatusCode::CREATED,
                task_json(job.tasks.last().expect("just pushed")),
                &ctx,
            ))
        }
        _ => Err(GraphError::method_not_allowed()),
    }
}

pub(crate) fn job_users_count(store: &mut Store, req: &Req, key: &Key) -> GResult<Resp> {
    if req.method != Method::GET {
        return Err(GraphError::method_not_allowed());
    }
    let i = find_job(store, key)?;
    paging::count(req, store.jobs[i].tasks.iter().map(task_json).collect())
}

pub(crate) fn job_user(
    store: &mut Store,
    req: &Req,
    key: &Key,
    task: &str,
    now: OffsetDateTime,
) -> GResult<Resp> {
    let i = find_job(store, key)?;
    let t = find_task(&store.jobs[i], task)?;
    match req.method {
        Method::GET => {
            let job = &store.jobs[i];
            let ctx = format!("{}/$entity", users_context(job));
            Ok(odata::entity(req, task_json(&job.tasks[t]), &ctx))
        }
        Method::PATCH => {
            let body = req.json_object()?;
            check_props(
                &body,
                &["id", "taskType", "lastUpdatedDateTime", "currentStatus"],
                "crossTenantMigrationTask",
            )?;
            if let Some(k) = body
                .keys()
                .find(|k| !k.contains('@') && k.as_str() != "taskType" && k.as_str() != "id")
            {
                return Err(GraphError::bad_request(format!(
                    "The property '{k}' is read-only. Only taskType can be updated."
                )));
            }
            let task_type = opt_str(&body, "taskType")?;
            let job = &mut store.jobs[i];
            if let Some(tt) = task_type.filter(|s| !s.trim().is_empty()) {
                job.tasks[t].task_type = tt;
                job.tasks[t].last_updated = now;
            }
            Ok(Resp::empty(StatusCode::NO_CONTENT))
        }
        Method::DELETE => {
            let job = &mut store.jobs[i];
            users_editable(job)?;
            let removed = job.tasks.remove(t);
            job.resources
                .retain(|r| !r.eq_ignore_ascii_case(&removed.id));
            reset_validation(job, now);
            job.last_updated = now;
            Ok(Resp::empty(StatusCode::NO_CONTENT))
        }
        _ => Err(GraphError::method_not_allowed()),
    }
}

pub(crate) fn job_user_cancel(
    store: &mut Store,
    req: &Req,
    key: &Key,
    task: &str,
    now: OffsetDateTime,
) -> GResult<Resp> {
    if req.method != Method::POST {
        return Err(GraphError::method_not_allowed());
    }
    let i = find_job(store, key)?;
    let t = find_task(&store.jobs[i], task)?;
    let job = &mut store.jobs[i];
    let phase = job.phase;
    if matches!(
        phase,
        Phase::CuttingOver
            | Phase::Completed
            | Phase::CompletedWithErrors
            | Phase::Failed
            | Phase::Cancelled
            | Phase::PendingCancel
            | Phase::PendingDelete
            | Phase::Deleted
    ) {
        return Err(GraphError::conflict(format!(
            "The user migration can't be canceled while the job is in status '{}'.",
            phase.status()
        )));
    }
    let task = &mut job.tasks[t];
    if task.cancelled || task.done {
        return Err(GraphError::conflict(format!(
            "The user migration for '{}' is in a terminal state and can't be canceled.",
            task.id
        )));
    }
    task.cancelled = true;
    task.last_updated = now;
    for s in &mut task.statuses {
        s.status = "cancelled";
        s.message = String::new();
        s.errors.clear();
    }
    let msg = format!(
        "Cancellation request for user id: {} from batch: {} was accepted.",
        task.id, job.id
    );
    job.last_updated = now;
    Ok(odata::entity_with_status(
        req,
        StatusCode::ACCEPTED,
        json!({"status": "Accepted", "message": msg}),
        "microsoft.graph.crossTenantMigrationCancelResponse",
    ))
}

pub(crate) fn migrations_root(store: &mut Store, req: &Req) -> GResult<Resp> {
    match req.method {
        Method::GET => {
            let mut root = json!({"id": store.migrations_root_id});
            if req.expands("crossTenantMigrationJobs") {
                root["crossTenantMigrationJobs"] = store
                    .jobs
                    .iter()
                    .filter(|j| !j.removed)
                    .map(job_json)
                    .collect();
            }
            Ok(odata::entity(req, root, "solutions/migrations/$entity"))
        }
        Method::PATCH => {
            let body = req.json_object()?;
            check_props(&body, &["id"], "migrationsRoot")?;
            Ok(Resp::empty(StatusCode::NO_CONTENT))
        }
        _ => Err(GraphError::method_not_allowed()),
    }
}
