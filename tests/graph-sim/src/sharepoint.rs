//! sharePointMigrationTask: model, lifecycle and handlers.

use http::{Method, StatusCode};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use crate::SimConfig;
use crate::error::{GResult, GraphError};
use crate::odata::{self, fmt_dt, strip_prefix_ci};
use crate::paging::{self, Keyed, next_seq};
use crate::request::{Req, Resp};
use crate::routes::{GetBy, MapKind};
use crate::state::Store;
use crate::util::{
    check_props, is_guid, norm_url, opt_datetime, opt_nonempty, opt_object, org_name,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SpKind {
    User,
    Site,
    Group,
}

impl SpKind {
    fn type_name(self) -> &'static str {
        match self {
            SpKind::User => "sharePointUserMigrationTaskParameters",
            SpKind::Site => "sharePointSiteMigrationTaskParameters",
            SpKind::Group => "sharePointGroupMigrationTaskParameters",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SpPhase {
    NotStarted,
    InProgress,
    Completed,
    Failed,
    Cancelled,
}

impl SpPhase {
    fn status(self) -> &'static str {
        match self {
            SpPhase::NotStarted => "notStarted",
            SpPhase::InProgress => "inProgress",
            SpPhase::Completed => "completed",
            SpPhase::Failed => "failed",
            SpPhase::Cancelled => "cancelled",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct SpTask {
    /// Creation sequence number (the collection's order).
    pub seq: u64,
    pub id: String,
    pub kind: SpKind,
    pub parameters: Map<String, Value>,
    pub source_key: String,
    pub phase: SpPhase,
    pub created: OffsetDateTime,
    pub start_at: OffsetDateTime,
    pub latest_start: Option<OffsetDateTime>,
    pub started: Option<OffsetDateTime>,
    pub finished: Option<OffsetDateTime>,
    pub last_updated: Option<OffsetDateTime>,
    pub error: Option<(String, String)>,
}

const BASE_PARAMS: &[&str] = &[
    "preferredLatestStartDateTime",
    "preferredStartDateTime",
    "sourceSiteUrl",
    "targetDataLocationCode",
    "targetOrganizationHost",
    "targetOrganizationId",
    "targetSiteUrl",
    "validateOnly",
];

const TASK_PROPS: &[&str] = &[
    "id",
    "status",
    "parameters",
    "error",
    "startedDateTime",
    "finishedDateTime",
    "lastUpdatedDateTime",
];

fn kind_of(odata_type: &str) -> Option<SpKind> {
    let t = odata_type.trim().trim_start_matches('#');
    let t = strip_prefix_ci(t, "microsoft.graph.").unwrap_or(t);
    let eq = |a: &str| t.eq_ignore_ascii_case(a);
    if eq("sharePointUserMigrationTaskParameters") || eq("sharePointUserMigrationParameters") {
        Some(SpKind::User)
    } else if eq("sharePointSiteMigrationTaskParameters") || eq("sharePointSiteMigrationParameters")
    {
        Some(SpKind::Site)
    } else if eq("sharePointGroupMigrationTaskParameters")
        || eq("sharePointGroupMigrationParameters")
    {
        Some(SpKind::Group)
    } else {
        None
    }
}

fn identity(
    params: &Map<String, Value>,
    key: &str,
    fields: &[&str],
    required: bool,
) -> GResult<Option<Map<String, Value>>> {
    let Some(obj) = opt_object(params, key)? else {
        return if required {
            Err(GraphError::missing_param(key))
        } else {
            Ok(None)
        };
    };
    for (k, v) in obj {
        if !k.starts_with('@') && !v.is_null() && !v.is_string() {
            return Err(GraphError::bad_request(format!(
                "Invalid value for property '{key}.{k}': a string is expected."
            )));
        }
    }
    let clean: Map<String, Value> = obj
        .iter()
        .filter(|(k, v)| !k.starts_with('@') && v.as_str().is_some_and(|s| !s.trim().is_empty()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !fields.iter().any(|f| clean.contains_key(*f)) {
        return Err(GraphError::missing_param(&format!("{key}.{}", fields[0])));
    }
    Ok(Some(clean))
}

fn get<'a>(m: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    m.get(k).and_then(Value::as_str)
}

/// Validated, normalized task parameters.
struct Checked {
    kind: SpKind,
    params: Map<String, Value>,
    source_key: String,
    source_label: String,
    validate_only: bool,
    preferred_start: Option<OffsetDateTime>,
    latest_start: Option<OffsetDateTime>,
}

/// Runs the documented checks (400, 501, 422) and normalizes the parameters.
fn check_task(store: &Store, body: &Map<String, Value>) -> GResult<Checked> {
    check_props(body, TASK_PROPS, "sharePointMigrationTask")?;
    let p =
        opt_object(body, "parameters")?.ok_or_else(|| GraphError::missing_param("parameters"))?;
    let t = p
        .get("@odata.type")
        .and_then(Value::as_str)
        .ok_or_else(|| GraphError::missing_param("@odata.type"))?;
    let kind = kind_of(t).ok_or_else(|| {
        GraphError::bad_request(format!(
            "'{t}' is not a valid @odata.type for parameters. Use #microsoft.graph.sharePointUserMigrationTaskParameters, #microsoft.graph.sharePointSiteMigrationTaskParameters or #microsoft.graph.sharePointGroupMigrationTaskParameters."
        ))
    })?;
    let mut allowed: Vec<&str> = BASE_PARAMS.to_vec();
    match kind {
        SpKind::User => allowed.extend(["sourceUserIdentity", "targetUserIdentity"]),
        SpKind::Group => allowed.extend(["sourceGroupIdentity", "targetGroupIdentity"]),
        SpKind::Site => {}
    }
    check_props(p, &allowed, kind.type_name())?;
    for k in [
        "sourceSiteUrl",
        "targetDataLocationCode",
        "targetOrganizationHost",
        "targetOrganizationId",
        "targetSiteUrl",
    ] {
        crate::util::opt_str(p, k)?;
    }
    let validate_only = match p.get("validateOnly") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(GraphError::bad_request(
                "Invalid value for property 'validateOnly': a boolean is expected.",
            ));
        }
    };
    let preferred_start = opt_datetime(p, "preferredStartDateTime")?;
    let latest_start = opt_datetime(p, "preferredLatestStartDateTime")?;
    let host = opt_nonempty(p, "targetOrganizationHost")?;
    let org_id = opt_nonempty(p, "targetOrganizationId")?;
    if host.is_none() && org_id.is_none() {
        return Err(GraphError::missing_param("targetOrganizationHost"));
    }
    if let Some(id) = &org_id
        && !is_guid(id)
    {
        return Err(GraphError::bad_request(format!(
            "Invalid value '{id}' for property 'targetOrganizationId': a GUID is expected."
        )));
    }
    let mut out = crate::util::without_nulls(p);
    // Stored as Edm.DateTimeOffset, so answered in the service's format.
    for (k, v) in [
        ("preferredStartDateTime", preferred_start),
        ("preferredLatestStartDateTime", latest_start),
    ] {
        if let Some(v) = v {
            out.insert(k.into(), Value::String(fmt_dt(v)));
        }
    }
    out.insert(
        "@odata.type".into(),
        Value::String(format!("#microsoft.graph.{}", kind.type_name())),
    );
    let cfg = &store.cfg;
    let (source_key, source_label);
    match kind {
        SpKind::User => {
            let mut src = identity(p, "sourceUserIdentity", &["userPrincipalName", "id"], true)?
                .unwrap_or_default();
            let mut tgt = identity(p, "targetUserIdentity", &["userPrincipalName", "id"], true)?
                .unwrap_or_default();
            // Complete identities given by id from the identity mapping.
            let mapping = store.user_maps.iter().find(|m| {
                let ms = m
                    .entity
                    .get("sourceUserIdentity")
                    .and_then(Value::as_object);
                let m_upn = ms.and_then(|s| get(s, "userPrincipalName"));
                let m_id = ms.and_then(|s| get(s, "id"));
                get(&src, "userPrincipalName")
                    .is_some_and(|u| m_upn.is_some_and(|x| x.eq_ignore_ascii_case(u)))
                    || get(&src, "id")
                        .is_some_and(|i| m_id.is_some_and(|x| x.eq_ignore_ascii_case(i)))
            });
            if let Some(m) = mapping {
                for (field, mine) in [
                    ("sourceUserIdentity", &mut src),
                    ("targetUserIdentity", &mut tgt),
                ] {
                    if let Some(theirs) = m.entity.get(field).and_then(Value::as_object) {
                        // As in the documented example: a user given by id gets its UPN.
                        for k in ["userPrincipalName"] {
                            if !mine.contains_key(k)
                                && let Some(v) = get(theirs, k)
                            {
                                mine.insert(k.into(), Value::String(v.to_string()));
                            }
                        }
                    }
                }
            }
            let upn = get(&src, "userPrincipalName").map(str::to_string);
            source_label = upn
                .clone()
                .or_else(|| get(&src, "id").map(str::to_string))
                .unwrap_or_default();
            source_key = match &upn {
                Some(u) => format!("upn:{}", u.to_ascii_lowercase()),
                None => format!("id:{}", source_label.to_ascii_lowercase()),
            };
            let source_org = org_name(&cfg.sharepoint_source_host);
            out.insert("sourceUserIdentity".into(), Value::Object(src));
            out.insert("targetUserIdentity".into(), Value::Object(tgt));
            check_target(cfg, &source_org, host.as_deref(), org_id.as_deref(), None)?;
            if let Some(u) = &upn {
                let local = u.split('@').next().unwrap_or("").to_ascii_lowercase();
                if local.starts_with("noonedrive")
                    || cfg
                        .upns_without_onedrive
                        .iter()
                        .any(|x| x.eq_ignore_ascii_case(u))
                {
                    return Err(GraphError::unprocessable(
                        "oneDriveNotFound",
                        format!("Unable to get a OneDrive URL for source user UPN {u}."),
                    ));
                }
            }
            if mapping.is_none() && cfg.require_identity_mapping {
                return Err(GraphError::unprocessable(
                    "identityMappingNotFound",
                    format!(
                        "Identity map entry for source UPN {source_label} does not exist on the target tenant."
                    ),
                ));
            }
        }
        SpKind::Site => {
            let src = opt_nonempty(p, "sourceSiteUrl")?
                .ok_or_else(|| GraphError::missing_param("sourceSiteUrl"))?;
            let tgt = opt_nonempty(p, "targetSiteUrl")?
                .ok_or_else(|| GraphError::missing_param("targetSiteUrl"))?;
            source_key = format!("site:{}", norm_url(&src));
            let source_org = org_name(&src);
            source_label = src;
            check_target(
                cfg,
                &source_org,
                host.as_deref(),
                org_id.as_deref(),
                Some(&tgt),
            )?;
        }
        SpKind::Group => {
            let src = identity(p, "sourceGroupIdentity", &["mailNickname", "id"], true)?
                .unwrap_or_default();
            let tgt = identity(p, "targetGroupIdentity", &["mailNickname", "id"], true)?
                .unwrap_or_default();
            let nick = get(&src, "mailNickname").map(str::to_string);
            source_label = nick
                .clone()
                .or_else(|| get(&src, "id").map(str::to_string))
                .unwrap_or_default();
            source_key = match &nick {
                Some(n) => format!("group:{}", n.to_ascii_lowercase()),
                None => format!("groupid:{}", source_label.to_ascii_lowercase()),
            };
            let source_org = org_name(&cfg.sharepoint_source_host);
            out.insert("sourceGroupIdentity".into(), Value::Object(src));
            out.insert("targetGroupIdentity".into(), Value::Object(tgt));
            check_target(cfg, &source_org, host.as_deref(), org_id.as_deref(), None)?;
        }
    }
    if let (Some(s), Some(l)) = (preferred_start, latest_start)
        && l <= s
    {
        return Err(GraphError::bad_request(
            "preferredLatestStartDateTime must be greater than preferredStartDateTime.",
        ));
    }
    if org_id.is_some() && !out.contains_key("targetDataLocationCode") {
        out.insert(
            "targetDataLocationCode".into(),
            Value::String(cfg.default_data_location.clone()),
        );
    }
    Ok(Checked {
        kind,
        params: out,
        source_key,
        source_label,
        validate_only,
        preferred_start,
        latest_start,
    })
}

/// 501 for the same organization, 422 without a trust relationship.
fn check_target(
    cfg: &SimConfig,
    source_org: &str,
    host: Option<&str>,
    org_id: Option<&str>,
    target_site: Option<&str>,
) -> GResult<()> {
    let same_farm = || {
        GraphError::new(
            StatusCode::NOT_IMPLEMENTED,
            "notImplemented",
            "It has been detected that partners reside in the same SPO location that prevents them from migrating. Please contact MS to resolve this issue. Once the issue has been resolved, please try running the migration again.",
        )
    };
    let target_org = host.or(target_site).map(org_name);
    if target_org.as_deref().is_some_and(|t| t == source_org) {
        return Err(same_farm());
    }
    if org_id.is_some_and(|id| id.eq_ignore_ascii_case(&cfg.sharepoint_tenant_id)) {
        return Err(same_farm());
    }
    let no_trust = |partner: &str| {
        GraphError::unprocessable(
            "crossTenantRelationshipNotFound",
            format!(
                "There is no Cross-Tenant relationship established for partner {partner} and role target."
            ),
        )
    };
    if let Some(h) = host {
        let name = org_name(h);
        if !cfg.trusted_target_hosts.iter().any(|t| org_name(t) == name) {
            return Err(no_trust(h));
        }
    }
    if let Some(id) = org_id
        && !cfg
            .trusted_target_tenant_ids
            .iter()
            .any(|t| t.eq_ignore_ascii_case(id))
    {
        return Err(no_trust(id));
    }
    Ok(())
}

fn schedule(
    task: &mut SpTask,
    checked_start: Option<OffsetDateTime>,
    latest: Option<OffsetDateTime>,
    cfg: &SimConfig,
) {
    let earliest = task.created + cfg.timings.sp_queue;
    task.start_at = checked_start.map_or(earliest, |s| s.max(earliest));
    task.latest_start = latest;
}

fn fails(task: &SpTask, cfg: &SimConfig) -> bool {
    let mut labels: Vec<String> = vec![task.source_key.clone()];
    for k in ["sourceSiteUrl"] {
        if let Some(v) = task.parameters.get(k).and_then(Value::as_str) {
            labels.push(v.to_ascii_lowercase());
        }
    }
    for k in ["sourceUserIdentity", "sourceGroupIdentity"] {
        if let Some(o) = task.parameters.get(k).and_then(Value::as_object) {
            for f in ["userPrincipalName", "mailNickname", "id"] {
                if let Some(v) = get(o, f) {
                    labels.push(v.to_ascii_lowercase());
                }
            }
        }
    }
    labels.iter().any(|l| l.contains("simfail"))
        || cfg
            .failing_sharepoint_sources
            .iter()
            .any(|f| labels.iter().any(|l| norm_url(l) == norm_url(f)))
}

/// Applies every transition due at `now`.
pub(crate) fn tick(task: &mut SpTask, now: OffsetDateTime, cfg: &SimConfig) {
    loop {
        match task.phase {
            SpPhase::NotStarted => {
                if let Some(latest) = task.latest_start.filter(|l| *l < task.start_at) {
                    if latest > now {
                        return;
                    }
                    task.phase = SpPhase::Cancelled;
                    task.finished = Some(latest);
                    task.last_updated = Some(latest);
                    task.error = Some((
                        "preferredLatestStartDateTimeExceeded".into(),
                        "The task didn't start before preferredLatestStartDateTime and was cancelled.".into(),
                    ));
                    return;
                }
                if task.start_at > now {
                    return;
                }
                task.phase = SpPhase::InProgress;
                task.started = Some(task.start_at);
                task.last_updated = Some(task.start_at);
            }
            SpPhase::InProgress => {
                let end = task.started.unwrap_or(task.start_at) + cfg.timings.sp_run;
                if end > now {
                    return;
                }
                task.finished = Some(end);
                task.last_updated = Some(end);
                if fails(task, cfg) {
                    task.phase = SpPhase::Failed;
                    task.error = Some((
                        "migrationFailed".into(),
                        "The migration of the source resource failed; see the migration logs for details.".into(),
                    ));
                } else {
                    task.phase = SpPhase::Completed;
                }
            }
            _ => return,
        }
    }
}

pub(crate) fn task_json(t: &SpTask) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(t.id));
    m.insert("status".into(), json!(t.phase.status()));
    if let Some(s) = t.started {
        m.insert("startedDateTime".into(), json!(fmt_dt(s)));
    }
    if let Some(s) = t.last_updated {
        m.insert("lastUpdatedDateTime".into(), json!(fmt_dt(s)));
    }
    if let Some(s) = t.finished {
        m.insert("finishedDateTime".into(), json!(fmt_dt(s)));
    }
    if let Some((code, message)) = &t.error {
        m.insert("error".into(), json!({"code": code, "message": message}));
    }
    m.insert("parameters".into(), Value::Object(t.parameters.clone()));
    Value::Object(m)
}

/// Outcome of a create request.
pub(crate) enum Created {
    Task(usize),
    ValidateOnly(Map<String, Value>),
}

/// Creates (or updates a not-yet-started task for the same source).
pub(crate) fn create_task(
    store: &mut Store,
    body: &Map<String, Value>,
    now: OffsetDateTime,
) -> GResult<Created> {
    let c = check_task(store, body)?;
    if c.validate_only {
        return Ok(Created::ValidateOnly(c.params));
    }
    let cfg = store.cfg.clone();
    if let Some(i) = store.sp_tasks.iter().rposition(|t| {
        t.kind == c.kind
            && t.source_key == c.source_key
            && matches!(t.phase, SpPhase::NotStarted | SpPhase::InProgress)
    }) {
        let t = &mut store.sp_tasks[i];
        if t.phase == SpPhase::InProgress {
            return Err(GraphError::conflict(format!(
                "A migration task for '{}' is already in progress.",
                c.source_label
            )));
        }
        t.parameters = c.params;
        schedule(t, c.preferred_start, c.latest_start, &cfg);
        t.last_updated = Some(now);
        return Ok(Created::Task(i));
    }
    let mut task = SpTask {
        seq: next_seq(),
        id: uuid::Uuid::new_v4().to_string(),
        kind: c.kind,
        parameters: c.params,
        source_key: c.source_key,
        phase: SpPhase::NotStarted,
        created: now,
        start_at: now,
        latest_start: None,
        started: None,
        finished: None,
        last_updated: None,
        error: None,
    };
    schedule(&mut task, c.preferred_start, c.latest_start, &cfg);
    store.sp_tasks.push(task);
    Ok(Created::Task(store.sp_tasks.len() - 1))
}

const TASKS: &str = "solutions/sharePoint/migrations/crossOrganizationMigrationTasks";
const TASK_ENTITY: &str = "solutions/sharePoint/migrations/crossOrganizationMigrationTasks/$entity";

fn find(store: &Store, id: &str) -> GResult<usize> {
    store
        .sp_tasks
        .iter()
        .position(|t| t.id.eq_ignore_ascii_case(id))
        .ok_or_else(|| {
            GraphError::not_found(format!("The migration task {id} could not be found."))
        })
}

pub(crate) fn tasks_collection(store: &mut Store, req: &Req, now: OffsetDateTime) -> GResult<Resp> {
    match req.method {
        Method::GET => {
            let items = store
                .sp_tasks
                .iter()
                .map(|t| Keyed::new(t.seq, task_json(t)))
                .collect();
            paging::collection(
                req,
                items,
                TASKS,
                store.cfg.page_size,
                store.cfg.max_page_size,
            )
        }
        Method::POST => {
            let body = req.json_object()?;
            match create_task(store, &body, now)? {
                Created::Task(i) => Ok(odata::entity(
                    req,
                    task_json(&store.sp_tasks[i]),
                    TASK_ENTITY,
                )),
                Created::ValidateOnly(params) => Ok(odata::entity(
                    req,
                    json!({"status": "completed", "parameters": params}),
                    TASK_ENTITY,
                )),
            }
        }
        _ => Err(GraphError::method_not_allowed()),
    }
}

pub(crate) fn tasks_count(store: &mut Store, req: &Req) -> GResult<Resp> {
    if req.method != Method::GET {
        return Err(GraphError::method_not_allowed());
    }
    paging::count(req, store.sp_tasks.iter().map(task_json).collect())
}

pub(crate) fn task_item(
    store: &mut Store,
    req: &Req,
    id: &str,
    now: OffsetDateTime,
) -> GResult<Resp> {
    let i = find(store, id)?;
    match req.method {
        Method::GET => Ok(odata::entity(
            req,
            task_json(&store.sp_tasks[i]),
            TASK_ENTITY,
        )),
        Method::PATCH => {
            let body = req.json_object()?;
            check_props(&body, TASK_PROPS, "sharePointMigrationTask")?;
            if let Some(k) = body
                .keys()
                .find(|k| !k.contains('@') && k.as_str() != "parameters" && k.as_str() != "id")
            {
                return Err(GraphError::bad_request(format!(
                    "The property '{k}' is read-only."
                )));
            }
            let p = opt_object(&body, "parameters")?
                .cloned()
                .unwrap_or_default();
            // The "Create or update" page asks for the whole structure, so
            // parameters sent unchanged are accepted; only the preferred
            // start times may differ from the task's.
            let current = &store.sp_tasks[i].parameters;
            if let Some(k) = p.iter().find_map(|(k, v)| {
                (!k.starts_with('@')
                    && k.as_str() != "preferredStartDateTime"
                    && k.as_str() != "preferredLatestStartDateTime"
                    && current.get(k) != Some(v))
                .then_some(k)
            }) {
                return Err(GraphError::bad_request(format!(
                    "The parameter '{k}' can't be updated. Only preferredStartDateTime and preferredLatestStartDateTime can be updated."
                )));
            }
            let start = opt_datetime(&p, "preferredStartDateTime")?;
            let latest = opt_datetime(&p, "preferredLatestStartDateTime")?;
            let cfg = store.cfg.clone();
            let t = &mut store.sp_tasks[i];
            if t.phase != SpPhase::NotStarted {
                return Err(GraphError::conflict(format!(
                    "The migration task {} can't be updated because it is in status '{}'.",
                    t.id,
                    t.phase.status()
                )));
            }
            let old_start = t
                .parameters
                .get("preferredStartDateTime")
                .and_then(Value::as_str)
                .and_then(odata::parse_datetime);
            let old_latest = t
                .parameters
                .get("preferredLatestStartDateTime")
                .and_then(Value::as_str)
                .and_then(odata::parse_datetime);
            let new_start = if p.contains_key("preferredStartDateTime") {
                start
            } else {
                old_start
            };
            let new_latest = if p.contains_key("preferredLatestStartDateTime") {
                latest
            } else {
                old_latest
            };
            if let (Some(s), Some(l)) = (new_start, new_latest)
                && l <= s
            {
                return Err(GraphError::bad_request(
                    "preferredLatestStartDateTime must be greater than preferredStartDateTime.",
                ));
            }
            for (k, v) in [
                ("preferredStartDateTime", new_start),
                ("preferredLatestStartDateTime", new_latest),
            ] {
                match v {
                    Some(v) => {
                        t.parameters.insert(k.into(), json!(fmt_dt(v)));
                    }
                    None => {
                        t.parameters.remove(k);
                    }
                }
            }
            schedule(t, new_start, new_latest, &cfg);
            t.last_updated = Some(now);
            Ok(Resp::empty(StatusCode::NO_CONTENT))
        }
        Method::DELETE => {
            if store.sp_tasks[i].phase == SpPhase::InProgress {
                return Err(GraphError::conflict(format!(
                    "The migration task {} can't be deleted while it is in progress.",
                    store.sp_tasks[i].id
                )));
            }
            store.sp_tasks.remove(i);
            Ok(Resp::empty(StatusCode::NO_CONTENT))
        }
        _ => Err(GraphError::method_not_allowed()),
    }
}

pub(crate) fn task_cancel(
    store: &mut Store,
    req: &Req,
    id: &str,
    now: OffsetDateTime,
) -> GResult<Resp> {
    if req.method != Method::POST {
        return Err(GraphError::method_not_allowed());
    }
    let i = find(store, id)?;
    let t = &mut store.sp_tasks[i];
    if t.phase != SpPhase::NotStarted {
        return Err(GraphError::conflict(format!(
            "The migration task {} can't be cancelled because it is in status '{}'. Only tasks that haven't started can be cancelled.",
            t.id,
            t.phase.status()
        )));
    }
    t.phase = SpPhase::Cancelled;
    t.finished = Some(now);
    t.last_updated = Some(now);
    Ok(Resp::empty(StatusCode::NO_CONTENT))
}

pub(crate) fn get_by(
    store: &mut Store,
    req: &Req,
    by: GetBy,
    value: Option<&str>,
) -> GResult<Resp> {
    if req.method != Method::GET {
        return Err(GraphError::method_not_allowed());
    }
    let value = value
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| GraphError::missing_param(by.parameter()))?;
    let found = store.sp_tasks.iter().rev().find(|t| {
        let p = &t.parameters;
        match by {
            GetBy::UserPrincipalName => {
                t.kind == SpKind::User
                    && p.get("sourceUserIdentity")
                        .and_then(Value::as_object)
                        .and_then(|o| get(o, "userPrincipalName"))
                        .is_some_and(|u| u.eq_ignore_ascii_case(value))
            }
            GetBy::SiteUrl => {
                get(p, "sourceSiteUrl").is_some_and(|u| norm_url(u) == norm_url(value))
            }
            GetBy::GroupMailNickname => {
                t.kind == SpKind::Group
                    && p.get("sourceGroupIdentity")
                        .and_then(Value::as_object)
                        .and_then(|o| get(o, "mailNickname"))
                        .is_some_and(|u| u.eq_ignore_ascii_case(value))
            }
        }
    });
    match found {
        Some(t) => Ok(odata::entity(req, task_json(t), TASK_ENTITY)),
        None => Err(GraphError::not_found(format!(
            "The migration task {value} could not be found."
        ))),
    }
}

pub(crate) fn sp_root(store: &mut Store, req: &Req) -> GResult<Resp> {
    match req.method {
        Method::GET => {
            let mut root = json!({"id": store.sp_root_id});
            if req.expands("crossOrganizationMigrationTasks") {
                root["crossOrganizationMigrationTasks"] =
                    store.sp_tasks.iter().map(task_json).collect();
            }
            for kind in [MapKind::User, MapKind::Group] {
                if req.expands(kind.set_name()) {
                    root[kind.set_name()] = crate::mappings::all_json(store, kind).into();
                }
            }
            Ok(odata::entity(
                req,
                root,
                "solutions/sharePoint/migrations/$entity",
            ))
        }
        Method::PATCH => {
            let body = req.json_object()?;
            check_props(&body, &["id"], "sharePointMigrationsRoot")?;
            Ok(Resp::empty(StatusCode::NO_CONTENT))
        }
        _ => Err(GraphError::method_not_allowed()),
    }
}
