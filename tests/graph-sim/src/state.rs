//! The in-memory store and its public seeding / inspection API.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use crate::error::GraphError;
use crate::jobs::{self, Job, Phase};
use crate::mappings::{self, Mapping};
use crate::routes::MapKind;
use crate::sharepoint::{self, SpTask};
use crate::{Scenarios, SimClock, SimConfig};

pub(crate) struct Store {
    pub cfg: SimConfig,
    pub jobs: Vec<Job>,
    pub sp_tasks: Vec<SpTask>,
    pub user_maps: Vec<Mapping>,
    pub group_maps: Vec<Mapping>,
    pub migrations_root_id: String,
    pub sp_root_id: String,
}

impl Store {
    /// Applies every state transition due at `now`.
    pub(crate) fn tick(&mut self, now: OffsetDateTime) {
        for j in &mut self.jobs {
            jobs::tick(j, now, &self.cfg);
        }
        self.jobs.retain(|j| !j.removed);
        for t in &mut self.sp_tasks {
            sharepoint::tick(t, now, &self.cfg);
        }
    }
}

/// An error from a seeding call (the same status, code and message that the
/// equivalent HTTP request would get).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimError {
    /// HTTP status.
    pub status: u16,
    /// Graph error code.
    pub code: String,
    /// Graph error message.
    pub message: String,
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.message)
    }
}

impl std::error::Error for SimError {}

impl From<GraphError> for SimError {
    fn from(e: GraphError) -> Self {
        Self {
            status: e.status.as_u16(),
            code: e.code,
            message: e.message,
        }
    }
}

/// Handle to the simulator's in-memory state, for seeding and inspection.
///
/// Every call first applies the transitions due at the current simulated time.
#[derive(Clone)]
pub struct SimState {
    store: Arc<Mutex<Store>>,
    clock: SimClock,
}

fn as_object(v: Value) -> Result<Map<String, Value>, SimError> {
    match v {
        Value::Object(m) => Ok(m),
        _ => Err(SimError {
            status: 400,
            code: "invalidRequest".into(),
            message: "A JSON object is required.".into(),
        }),
    }
}

impl SimState {
    pub(crate) fn new(cfg: SimConfig, clock: SimClock) -> Self {
        Self {
            store: Arc::new(Mutex::new(Store {
                cfg,
                jobs: Vec::new(),
                sp_tasks: Vec::new(),
                user_maps: Vec::new(),
                group_maps: Vec::new(),
                migrations_root_id: uuid::Uuid::new_v4().to_string(),
                sp_root_id: uuid::Uuid::new_v4().to_string(),
            })),
            clock,
        }
    }

    /// Locks the store after applying due transitions.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Store> {
        let mut g = self.store.lock().unwrap_or_else(|e| e.into_inner());
        g.tick(self.clock.now());
        g
    }

    /// A copy of the current configuration.
    pub fn config(&self) -> SimConfig {
        self.lock().cfg.clone()
    }

    /// Edits the configuration at runtime (trusted hosts, failing resources, page size, timings, ...).
    pub fn update_config(&self, f: impl FnOnce(&mut SimConfig)) {
        f(&mut self.lock().cfg);
    }

    /// The scenario knobs.
    pub fn scenarios(&self) -> Scenarios {
        Scenarios::of(&self.lock().cfg)
    }

    /// Replaces the scenario knobs.
    pub fn set_scenarios(&self, s: Scenarios) {
        self.update_config(|c| s.apply(c));
    }

    /// Sets the page size of every collection (the jobs list included).
    pub fn set_page_size(&self, n: usize) {
        self.update_config(|c| {
            c.page_size = n.max(1);
            c.jobs_page_size = n.max(1);
        });
    }

    // ----- jobs ------------------------------------------------------------

    /// Creates a job exactly as `POST /solutions/migrations/crossTenantMigrationJobs` would;
    /// returns its JSON.
    pub fn seed_job(&self, body: Value) -> Result<Value, SimError> {
        let body = as_object(body)?;
        let now = self.clock.now();
        let mut g = self.lock();
        let i = jobs::create_job(&mut g, &body, now, false)?;
        Ok(jobs::job_json(&g.jobs[i]))
    }

    /// Creates a job and puts it directly into `status` (any crossTenantMigrationJobStatus
    /// member except `inProgress` means the phase of that name; `inProgress` = syncing).
    /// `validatePassed` records a validation at the current time; `adminActionRequired`
    /// lists the job's resources as needing an administrator. Returns the job JSON.
    pub fn seed_job_with_status(&self, body: Value, status: &str) -> Result<Value, SimError> {
        let phase = Phase::from_status(status).ok_or_else(|| SimError {
            status: 400,
            code: "invalidRequest".into(),
            message: format!("Unknown job status '{status}'."),
        })?;
        let body = as_object(body)?;
        let now = self.clock.now();
        let mut g = self.lock();
        let i = jobs::create_job(&mut g, &body, now, false)?;
        if phase == Phase::AdminActionRequired {
            // The job waits for its resources until they are resolved.
            let resources = g.jobs[i].resources.clone();
            g.cfg.admin_action_resources.extend(resources);
        }
        let cfg = g.cfg.clone();
        jobs::force_phase(&mut g.jobs[i], phase, now, &cfg);
        Ok(jobs::job_json(&g.jobs[i]))
    }

    /// Creates `n` jobs named `seed-job-0000`, `seed-job-0001`, ... (one resource
    /// each, status `submitted`); returns their ids in creation order.
    pub fn seed_jobs(&self, n: usize) -> Vec<String> {
        let now = self.clock.now();
        let mut g = self.lock();
        let mut ids = Vec::with_capacity(n);
        let mut k = g.jobs.len();
        while ids.len() < n {
            let name = format!("seed-job-{k:04}");
            k += 1;
            if g.jobs
                .iter()
                .any(|j| j.display_name.eq_ignore_ascii_case(&name))
            {
                continue;
            }
            let body = json!({
                "displayName": name,
                "completeAfterDateTime": crate::odata::fmt_dt(now),
                "sourceTenantId": "12345678-1234-1234-1234-123456789012",
                "resourceType": "Users",
                "resources": [uuid::Uuid::new_v4().to_string()],
                "workloads": ["Teams", "ODSP"],
            });
            let body = body.as_object().cloned().unwrap_or_default();
            let i = jobs::create_job(&mut g, &body, now, false).expect("seed job is valid");
            ids.push(g.jobs[i].id.clone());
        }
        ids
    }

    /// The job with this id, as JSON.
    pub fn job(&self, id: &str) -> Option<Value> {
        self.lock()
            .jobs
            .iter()
            .find(|j| j.id.eq_ignore_ascii_case(id))
            .map(jobs::job_json)
    }

    /// All jobs, as JSON.
    pub fn jobs(&self) -> Vec<Value> {
        self.lock().jobs.iter().map(jobs::job_json).collect()
    }

    /// The user tasks of a job, as JSON.
    pub fn job_users(&self, id: &str) -> Option<Vec<Value>> {
        self.lock()
            .jobs
            .iter()
            .find(|j| j.id.eq_ignore_ascii_case(id))
            .map(|j| j.tasks.iter().map(jobs::task_json).collect())
    }

    /// Validation will not find this resource (its task becomes `invalid`).
    pub fn mark_resource_unknown(&self, id: &str) {
        self.update_config(|c| c.unknown_resources.push(id.to_string()));
    }

    /// Migration of this resource will fail.
    pub fn mark_resource_failing(&self, id: &str) {
        self.update_config(|c| c.failing_resources.push(id.to_string()));
    }

    /// Migrating this resource will need an administrator: its job stops in
    /// `adminActionRequired` (the resource's services `error`).
    pub fn require_admin_action(&self, id: &str) {
        self.update_config(|c| c.admin_action_resources.push(id.to_string()));
    }

    /// The administrator acted: jobs waiting only for this resource resume.
    pub fn resolve_admin_action(&self, id: &str) {
        self.update_config(|c| {
            c.admin_action_resources
                .retain(|x| !x.eq_ignore_ascii_case(id))
        });
    }

    /// This resource's services will end `forceComplete`.
    pub fn force_complete_resource(&self, id: &str) {
        self.update_config(|c| c.force_complete_resources.push(id.to_string()));
    }

    /// Whether `migrate` goes through `approved` first.
    pub fn set_approval_step(&self, on: bool) {
        self.update_config(|c| c.approval_step = on);
    }

    /// Migration of this resource will succeed again.
    pub fn clear_resource_failing(&self, id: &str) {
        self.update_config(|c| c.failing_resources.retain(|x| !x.eq_ignore_ascii_case(id)));
    }

    // ----- SharePoint ------------------------------------------------------

    /// Creates a SharePoint migration task exactly as
    /// `POST /solutions/sharePoint/migrations/crossOrganizationMigrationTasks` would.
    pub fn seed_sharepoint_task(&self, body: Value) -> Result<Value, SimError> {
        let body = as_object(body)?;
        let now = self.clock.now();
        let mut g = self.lock();
        match sharepoint::create_task(&mut g, &body, now)? {
            sharepoint::Created::Task(i) => Ok(sharepoint::task_json(&g.sp_tasks[i])),
            sharepoint::Created::ValidateOnly(p) => {
                Ok(json!({"status": "completed", "parameters": p}))
            }
        }
    }

    /// All SharePoint migration tasks, as JSON.
    pub fn sharepoint_tasks(&self) -> Vec<Value> {
        self.lock()
            .sp_tasks
            .iter()
            .map(sharepoint::task_json)
            .collect()
    }

    /// Adds a target host with a cross-tenant relationship.
    pub fn trust_target_host(&self, host: &str) {
        self.update_config(|c| c.trusted_target_hosts.push(host.to_string()));
    }

    /// Adds a target organization id with a cross-tenant relationship.
    pub fn trust_target_tenant(&self, id: &str) {
        self.update_config(|c| c.trusted_target_tenant_ids.push(id.to_string()));
    }

    /// This source UPN has no OneDrive (task creation answers 422).
    pub fn add_upn_without_onedrive(&self, upn: &str) {
        self.update_config(|c| c.upns_without_onedrive.push(upn.to_string()));
    }

    /// The task for this source (UPN, site URL or mail nickname) will fail.
    pub fn mark_sharepoint_source_failing(&self, source: &str) {
        self.update_config(|c| c.failing_sharepoint_sources.push(source.to_string()));
    }

    /// Whether user tasks need an identity mapping.
    pub fn set_require_identity_mapping(&self, required: bool) {
        self.update_config(|c| c.require_identity_mapping = required);
    }

    /// Adds (or replaces) a user identity mapping; returns its id.
    pub fn seed_user_mapping(&self, source_upn: &str, target_upn: &str) -> String {
        let mut g = self.lock();
        let key = source_upn.to_ascii_lowercase();
        g.user_maps.retain(|m| m.key != key);
        let body = json!({
            "userType": "regularUser",
            "sourceUserIdentity": {"userPrincipalName": source_upn},
            "targetUserIdentity": {"userPrincipalName": target_upn},
            "targetUserMigrationData": {"email": target_upn},
        });
        let body = body.as_object().cloned().unwrap_or_default();
        let i = mappings::create(&mut g, MapKind::User, &body).expect("seed mapping is valid");
        g.user_maps[i].id.clone()
    }

    /// Adds a user identity mapping from a full JSON body (as `POST` would); returns its JSON.
    pub fn seed_user_mapping_json(&self, body: Value) -> Result<Value, SimError> {
        let body = as_object(body)?;
        let mut g = self.lock();
        let i = mappings::create(&mut g, MapKind::User, &body)?;
        Ok(mappings::mapping_json(MapKind::User, &g.user_maps[i]))
    }

    /// Adds (or replaces) a group identity mapping; returns its id.
    pub fn seed_group_mapping(&self, source_group_id: &str, target_group_id: &str) -> String {
        let mut g = self.lock();
        let key = source_group_id.to_ascii_lowercase();
        g.group_maps.retain(|m| m.key != key);
        let body = json!({
            "groupType": "m365Group",
            "sourceGroupIdentity": {"id": source_group_id},
            "targetGroupIdentity": {"id": target_group_id},
        });
        let body = body.as_object().cloned().unwrap_or_default();
        let i = mappings::create(&mut g, MapKind::Group, &body).expect("seed mapping is valid");
        g.group_maps[i].id.clone()
    }

    /// All user identity mappings, as JSON.
    pub fn user_mappings(&self) -> Vec<Value> {
        mappings::all_json(&self.lock(), MapKind::User)
    }

    /// All group identity mappings, as JSON.
    pub fn group_mappings(&self) -> Vec<Value> {
        mappings::all_json(&self.lock(), MapKind::Group)
    }

    /// Removes every job, task and mapping (configuration is kept).
    pub fn clear(&self) {
        let mut g = self.lock();
        g.jobs.clear();
        g.sp_tasks.clear();
        g.user_maps.clear();
        g.group_maps.clear();
    }
}
