//! # graph-sim
//!
//! A local, in-memory simulator of the Microsoft Graph **beta** cross-tenant
//! migration APIs, served over HTTP on loopback, for end-to-end tests and
//! runnable examples. It is independent of the SDK: requests and responses
//! are plain JSON as documented in the Graph pages.
//!
//! ```no_run
//! # async fn demo() {
//! let sim = graph_sim::start(graph_sim::SimConfig::default()).await;
//! let base = sim.base_url(); // "http://127.0.0.1:PORT" stands for https://graph.microsoft.com/beta
//! sim.clock().advance_secs(60); // move simulated time
//! sim.faults().inject_next(graph_sim::FaultKind::Throttle429, 1);
//! assert_eq!(sim.stats().total_requests(), 0);
//! sim.shutdown().await;
//! # }
//! ```
//!
//! ## Addressing
//!
//! The server root stands for `https://graph.microsoft.com/beta`; the same
//! paths are also served under a `/beta` prefix. Path segment names are
//! matched case-insensitively, keys may be written `/{id}`, `('{id}')` or
//! `(id='{id}')`, alternate keys as `(displayName='...')`,
//! `(sourceUserPrincipalName='...')`, `(sourceGroupObjectId='...')`; OData
//! string literals are single-quoted with inner quotes doubled, and segments
//! are percent-decoded (a `/` inside a quoted literal does not split the path).
//! Actions and functions may be namespace-qualified (`microsoft.graph.migrate`).
//!
//! Served operations (see [`stats::Stats`] for the path templates):
//!
//! * `GET|PATCH /solutions/migrations`
//! * `GET|POST /solutions/migrations/crossTenantMigrationJobs`, `GET .../$count`,
//!   `POST .../validate` (collection-bound, creates a job, 201: the older page's form)
//! * `GET|PATCH|DELETE .../crossTenantMigrationJobs/{id}` and `(displayName='{name}')`
//! * `POST .../{id}/validate` (item-bound, no body, 200: the current lifecycle), `.../{id}/migrate`, `.../{id}/cancel`
//! * `GET|POST .../{id}/users`, `GET .../{id}/users/$count`,
//!   `GET|PATCH|DELETE .../{id}/users/{taskId}`, `POST .../{id}/users/{taskId}/cancel`
//! * `GET|PATCH /solutions/sharePoint/migrations`
//! * `GET|POST .../crossOrganizationMigrationTasks`, `$count`, `GET|PATCH|DELETE .../{id}`,
//!   `POST .../{id}/cancel`, `GET .../getBySourceUserPrincipalName(sourcePrincipalName='..')`,
//!   `getBySourceSiteUrl(sourceSiteUrl='..')`, `getBySourceGroupMailNickname(sourceGroupMailNickname='..')`
//! * `GET|POST|PATCH(delta) .../crossOrganizationUserMappings` and `...GroupMappings`,
//!   `$count`, `GET|PATCH|DELETE` by `{id}` or by alternate key.
//!
//! Collections support `$top` (page size), `$skip`, `$skiptoken`, `$count=true`,
//! `$select` (`id` and annotations always kept), `$filter` (`eq ne gt ge lt le`,
//! `and or not`, parentheses, `in (...)`, `startswith/endswith/contains`,
//! property paths such as `parameters/sourceSiteUrl`; string comparison is
//! case-insensitive), `$orderby` and `$expand` (job `users`, the roots'
//! collections; 400 for anything else). The jobs list answers pages of
//! [`SimConfig::jobs_page_size`] (20, as documented), the other collections
//! [`SimConfig::page_size`]; `@odata.nextLink` is absolute, built from the `Host`
//! the client used, and carries an opaque keyset `$skiptoken` (see `paging.rs`).
//! Timestamps are written in UTC with at most seven fractional digits.
//!
//! Errors use the Graph shape
//! `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`;
//! every response carries `request-id` and echoes `client-request-id`.
//!
//! ## Test tokens
//!
//! `Authorization: Bearer sim.<entry>[,<entry>...]`, an entry being a permission
//! or a directory role `role:<name>`, for example
//! `Bearer sim.role:Microsoft365MigrationAdministrator,SharePointCrossTenantMigration.Manage.All`.
//! `Bearer sim.*` allows everything; `Bearer sim` is a valid token that allows
//! nothing. No or another token → `401 InvalidAuthenticationToken` (unless
//! [`SimConfig::accept_any_token`]); a token that doesn't allow the operation →
//! `403 accessDenied`. The job APIs need one of [`auth::JOB_ROLES`] (their pages:
//! application and delegated permissions "Not supported"); the SharePoint APIs
//! need a permission of [`auth::PERMISSIONS`] (`GET`: `.Read.All` or
//! `.Manage.All`, other methods `.Manage.All`).
//!
//! ## Cross-tenant migration jobs: rules
//!
//! The README's tables list each documented rule with its page and test, and
//! the reading graph-sim follows where pages contradict each other.
//!
//! * Create (`POST`, 201, starts nothing): `displayName`, `sourceTenantId`,
//!   `completeAfterDateTime`, `resourceType` (`Users`, any case) and `resources` are
//!   required (400 naming the property); at most 2,000 resources; unknown properties
//!   → 400; read-only properties are ignored; `displayName` is unique
//!   (case-insensitive) → 409; `exchangeSettings` is required when `workloads` lists
//!   Exchange (400). Missing/`null` `workloads` means all (`Teams`, `Exchange`,
//!   `ODSP`); workloads are answered in that canonical casing, `resourceType` as
//!   `users`. The job starts as `submitted` (`jobType` `migrate` unless given).
//!   Collection-bound `validate` (the older page) creates the job as
//!   `validateSubmitted` (`jobType` `validate`).
//! * Validation (item-bound `validate`, no body, 200 with the job) from `submitted`
//!   or `validateFailed`, and from `validatePassed`, `failed` or
//!   `completedWithErrors` once the validation is older than
//!   [`Timings::validation_ttl`]; else 409. `validateSubmitted` →
//!   ([`Timings::validate_queue`]) `validateProcessing` →
//!   ([`Timings::validate_processing`]) `validateInProgress` →
//!   ([`Timings::validate_run`]) `validatePassed`, or `validateFailed` when: the
//!   workloads list is empty; a workload is not Teams/Exchange/ODSP; Exchange is
//!   a workload without complete `exchangeSettings`; there are no resources; the
//!   source tenant is not a GUID or equals the target tenant; a resource is not a
//!   GUID, is the nil GUID or is listed in [`SimConfig::unknown_resources`]
//!   (those tasks show `invalid`).
//! * Migrate (200) only from `validatePassed`, `failed`, `completedWithErrors`,
//!   else 409 with the documented message; validation older than
//!   [`Timings::validation_ttl`] (seven days) → 409 asking to revalidate.
//!   Then (`approved` for [`Timings::approval`] with [`SimConfig::approval_step`])
//!   `processing` → ([`Timings::processing`]) `adminActionRequired` while a resource
//!   is listed in [`SimConfig::admin_action_resources`] (its services `error`), else
//!   `inProgress` (tasks `syncing`, then `synced` after [`Timings::sync`]) → at
//!   `completeAfterDateTime` (if later) `cuttingOver` (tasks `finalizing`) → after
//!   [`Timings::cutover`] `completed`, `completedWithErrors` (some users failed) or
//!   `failed` (all failed). A user fails when its id is in
//!   [`SimConfig::failing_resources`] or starts with `deadbeef`; its services end
//!   `forceComplete` when listed in [`SimConfig::force_complete_resources`].
//!   Completed users stay completed when a job is migrated again.
//! * Cancel (202, `{id, displayName, status: "pendingCancel", message}`) while the
//!   job waits (`submitted`, `validateSubmitted`, `validateProcessing`,
//!   `validateInProgress`, `approved`, `processing`, `adminActionRequired`);
//!   `pendingCancel` → `cancelled` after [`Timings::cancel`]. 409 while migrating
//!   (`inProgress`, `cuttingOver`), when final, `pendingCancel` or deleting.
//! * Task cancel (202, `{status: "Accepted", message}`) unless the user is
//!   cancelled or completed, or the job is cutting over or final (409).
//! * PATCH (204) accepts only `completeAfterDateTime` (past values allowed; it
//!   starts nothing); 409 while cutting over, `completed`, `cancelled`,
//!   `pendingCancel` or `pendingDelete`.
//! * DELETE (202) from a final state (`validatePassed`, `validateFailed`,
//!   `completed`, `completedWithErrors`, `failed`, `cancelled`) → `pendingDelete`,
//!   `deleted` after [`Timings::delete`], gone after [`Timings::deleted_retention`];
//!   otherwise 409.
//! * `POST .../users` (201, body `id` = resource GUID, optional `taskType`) and
//!   `DELETE .../users/{id}` only before migration (`submitted`, `validatePassed`,
//!   `validateFailed`); a validated job goes back to `submitted`.
//!
//! ## SharePoint migration tasks: rules
//!
//! Create answers `200 OK` as documented. Checks, in order:
//! 403 without `SharePointCrossTenantMigration.Manage.All`; 400
//! `Cannot process the request because the required parameter {name} is missing.`
//! for `parameters`, `@odata.type`, `targetOrganizationHost` (when neither it nor
//! `targetOrganizationId` is given), `sourceUserIdentity[.userPrincipalName]`,
//! `targetUserIdentity[...]`, `sourceSiteUrl`, `targetSiteUrl`,
//! `sourceGroupIdentity[.mailNickname]`, `targetGroupIdentity[...]`; 400 for an
//! unknown property or `preferredLatestStartDateTime` not after
//! `preferredStartDateTime`; **501** when the target resolves to the same
//! organization as the source (host name such as `contoso-my.sharepoint.com`
//! reduced to `contoso`; the source is [`SimConfig::sharepoint_source_host`], or
//! the host of `sourceSiteUrl`; or `targetOrganizationId` equals
//! [`SimConfig::sharepoint_tenant_id`]); **422** `There is no Cross-Tenant
//! relationship established for partner {partner} and role target.` when the
//! target host/id is not in [`SimConfig::trusted_target_hosts`] /
//! [`SimConfig::trusted_target_tenant_ids`]; **422** `Unable to get a OneDrive URL
//! for source user UPN {upn}.` when the UPN is in
//! [`SimConfig::upns_without_onedrive`] or its local part starts with
//! `noonedrive`; **422** `Identity map entry for source UPN {upn} does not exist on
//! the target tenant.` when no user identity mapping matches the source UPN or id
//! (and [`SimConfig::require_identity_mapping`]). Identities given by id are
//! completed from the mapping. `validateOnly: true` runs the same checks and
//! answers `{"status":"completed","parameters":...}` without creating a task.
//! Posting again for the same source updates a `notStarted` task (create or
//! update), 409 while it is `inProgress`.
//!
//! Lifecycle: `notStarted` until `max(created + sp_queue, preferredStartDateTime)`
//! (cancelled at `preferredLatestStartDateTime` if that comes first), then
//! `inProgress` for [`Timings::sp_run`], then `completed`, or `failed` (with
//! `error`) when the source UPN/URL/nickname contains `simfail` or is listed in
//! [`SimConfig::failing_sharepoint_sources`]. Cancel (204) only while
//! `notStarted`, else 409. PATCH (204) may change only the preferred start
//! times of a `notStarted` task. DELETE (204) unless `inProgress`.
//!
//! Identity mappings: ids are base64url of the alternate key (stable). POST (201),
//! PATCH by key (200 with the mapping, as the update pages document), DELETE (204), delta PATCH on the collection
//! (`{"@context":"#$delta","value":[...]}`, at most 50 items, all-or-nothing
//! validation, `@removed` deletes, others add or update matched by alternate key,
//! 200 with the resulting items).
//!
//! ## Faults and counters
//!
//! See [`FaultConfig`], [`Faults`] and [`Stats`]. Admin endpoints (no auth, not
//! counted, never faulted) help examples that run the binary:
//! `GET /_sim/stats`, `POST /_sim/stats/reset`, `GET /_sim/clock`,
//! `POST /_sim/clock/advance?seconds=N`, `GET|PUT|DELETE /_sim/faults`,
//! `GET|PUT /_sim/scenarios` ([`Scenarios`]).

#![warn(missing_docs)]

pub mod auth;
mod clock;
mod error;
mod expand;
pub mod faults;
mod jobs;
mod mappings;
mod odata;
mod paging;
mod request;
mod routes;
mod scenarios;
mod server;
mod sharepoint;
mod state;
pub mod stats;
mod util;

use std::net::SocketAddr;
use std::time::Duration;

use time::OffsetDateTime;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use clock::SimClock;
pub use faults::{FaultConfig, FaultKind, Faults};
pub use routes::ApiFamily;
pub use scenarios::Scenarios;
pub use state::{SimError, SimState};
pub use stats::{Stats, StatsSnapshot};

/// Durations of the simulated lifecycles (simulated time).
#[derive(Clone, Debug, PartialEq)]
pub struct Timings {
    /// `validateSubmitted` → `validateProcessing`. Default 5 s.
    pub validate_queue: Duration,
    /// `validateProcessing` → `validateInProgress`. Default 5 s.
    pub validate_processing: Duration,
    /// `validateInProgress` → `validatePassed`/`validateFailed`. Default 20 s.
    pub validate_run: Duration,
    /// Validation results stay usable for `migrate` this long. Default 7 days.
    pub validation_ttl: Duration,
    /// `approved` → `processing` (with [`SimConfig::approval_step`]). Default 10 s.
    pub approval: Duration,
    /// `processing` → `inProgress`. Default 10 s.
    pub processing: Duration,
    /// Data sync inside `inProgress` (tasks `syncing` → `synced`). Default 60 s.
    pub sync: Duration,
    /// `cuttingOver` → final. Default 30 s.
    pub cutover: Duration,
    /// `pendingCancel` → `cancelled`. Default 10 s.
    pub cancel: Duration,
    /// `pendingDelete` → `deleted`. Default 60 s.
    pub delete: Duration,
    /// `deleted` → gone (404). Default 60 s.
    pub deleted_retention: Duration,
    /// SharePoint task queue time before it may start. Default 10 s.
    pub sp_queue: Duration,
    /// SharePoint task `inProgress` → final. Default 60 s.
    pub sp_run: Duration,
}

impl Default for Timings {
    fn default() -> Self {
        Self {
            validate_queue: Duration::from_secs(5),
            validate_processing: Duration::from_secs(5),
            validate_run: Duration::from_secs(20),
            validation_ttl: Duration::from_secs(7 * 24 * 3600),
            approval: Duration::from_secs(10),
            processing: Duration::from_secs(10),
            sync: Duration::from_secs(60),
            cutover: Duration::from_secs(30),
            cancel: Duration::from_secs(10),
            delete: Duration::from_secs(60),
            deleted_retention: Duration::from_secs(60),
            sp_queue: Duration::from_secs(10),
            sp_run: Duration::from_secs(60),
        }
    }
}

/// Configuration of a simulator instance.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Port on 127.0.0.1; `0` picks a free one.
    pub port: u16,
    /// Page size of `GET crossTenantMigrationJobs`: 20, as the list page documents
    /// ("By default 20 objects are returned").
    pub jobs_page_size: usize,
    /// Page size of the collections whose pages document none (a job's users,
    /// SharePoint tasks, identity mappings). Default 100.
    pub page_size: usize,
    /// Largest page `$top` may ask for. Default 999.
    pub max_page_size: usize,
    /// Simulated seconds per real second; `0.0` (default) freezes the clock.
    pub time_scale: f64,
    /// Initial simulated time; default: now (whole seconds).
    pub clock_start: Option<OffsetDateTime>,
    /// Initial fault switches.
    pub faults: FaultConfig,
    /// Lifecycle durations.
    pub timings: Timings,
    /// The calling (target) tenant of the job APIs: every job's `targetTenantId`.
    pub tenant_id: String,
    /// `createdBy` of new jobs.
    pub created_by: String,
    /// The calling (source) organization of the SharePoint APIs.
    pub sharepoint_tenant_id: String,
    /// The source organization's SharePoint host.
    pub sharepoint_source_host: String,
    /// Target hosts with a cross-tenant relationship (compared by organization name).
    pub trusted_target_hosts: Vec<String>,
    /// Target organization ids with a cross-tenant relationship.
    pub trusted_target_tenant_ids: Vec<String>,
    /// Source UPNs that have no OneDrive (422).
    pub upns_without_onedrive: Vec<String>,
    /// Whether user tasks need a user identity mapping (422). Default true.
    pub require_identity_mapping: bool,
    /// `targetDataLocationCode` filled in when a task names `targetOrganizationId` without one.
    pub default_data_location: String,
    /// Job resources that validation does not find.
    pub unknown_resources: Vec<String>,
    /// Job resources whose migration fails.
    pub failing_resources: Vec<String>,
    /// Knob: job resources whose migration needs an administrator. A job with one
    /// of them goes from `processing` to `adminActionRequired` (their services
    /// `error`) and resumes `inProgress` once none of its resources is listed.
    pub admin_action_resources: Vec<String>,
    /// Knob: job resources whose services end `forceComplete` (counted as migrated).
    pub force_complete_resources: Vec<String>,
    /// Knob: `migrate` puts the job in `approved` for [`Timings::approval`] before `processing`.
    pub approval_step: bool,
    /// SharePoint sources (UPN, site URL or mail nickname) whose task fails.
    pub failing_sharepoint_sources: Vec<String>,
    /// Accept any bearer token as one with every permission.
    pub accept_any_token: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            port: 0,
            jobs_page_size: 20,
            page_size: 100,
            max_page_size: 999,
            time_scale: 0.0,
            clock_start: None,
            faults: FaultConfig::default(),
            timings: Timings::default(),
            tenant_id: "87654321-4321-4321-4321-210987654321".into(),
            created_by: "admin@fabrikam.onmicrosoft.com".into(),
            sharepoint_tenant_id: "11111111-1111-1111-1111-111111111111".into(),
            sharepoint_source_host: "https://contoso-my.sharepoint.com".into(),
            trusted_target_hosts: vec!["https://fabrico-my.sharepoint.com".into()],
            trusted_target_tenant_ids: vec!["78d010af-72cb-412f-8779-18ce9b5f553b".into()],
            upns_without_onedrive: Vec::new(),
            require_identity_mapping: true,
            default_data_location: "FRA".into(),
            unknown_resources: Vec::new(),
            failing_resources: Vec::new(),
            admin_action_resources: Vec::new(),
            force_complete_resources: Vec::new(),
            approval_step: false,
            failing_sharepoint_sources: Vec::new(),
            accept_any_token: false,
        }
    }
}

/// A running simulator. Dropping it stops the server.
pub struct SimHandle {
    addr: SocketAddr,
    clock: SimClock,
    faults: Faults,
    stats: Stats,
    state: SimState,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl SimHandle {
    /// `http://127.0.0.1:PORT`: stands for `https://graph.microsoft.com/beta`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT/beta`: the same API under the `/beta` prefix.
    pub fn beta_url(&self) -> String {
        format!("http://{}/beta", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The simulated clock.
    pub fn clock(&self) -> SimClock {
        self.clock.clone()
    }

    /// Fault switches.
    pub fn faults(&self) -> Faults {
        self.faults.clone()
    }

    /// Request and fault counters.
    pub fn stats(&self) -> Stats {
        self.stats.clone()
    }

    /// The in-memory state, for seeding and inspection.
    pub fn state(&self) -> SimState {
        self.state.clone()
    }

    /// Stops the server and waits for it.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

/// Starts a simulator on 127.0.0.1 (port [`SimConfig::port`], `0` for any).
///
/// # Panics
/// When the port cannot be bound; see [`try_start`].
pub async fn start(config: SimConfig) -> SimHandle {
    try_start(config).await.expect("graph-sim: cannot bind")
}

/// Like [`start`], returning the bind error.
pub async fn try_start(config: SimConfig) -> std::io::Result<SimHandle> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
    let addr = listener.local_addr()?;
    let clock = SimClock::scaled(
        config.clock_start.unwrap_or_else(clock::default_start),
        config.time_scale,
    );
    let faults = Faults::new(config.faults.clone());
    let stats = Stats::default();
    let state = SimState::new(config, clock.clone());
    let (tx, rx) = watch::channel(false);
    let ctx = std::sync::Arc::new(server::Ctx {
        state: state.clone(),
        faults: faults.clone(),
        stats: stats.clone(),
        clock: clock.clone(),
        local_addr: addr,
    });
    let task = tokio::spawn(server::run(listener, ctx, rx));
    Ok(SimHandle {
        addr,
        clock,
        faults,
        stats,
        state,
        shutdown: tx,
        task: Some(task),
    })
}
