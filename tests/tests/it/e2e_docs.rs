//! The SharePoint "Create sharePointMigrationTask" documentation as
//! request/response vectors, through the typed SDK and graph-sim over HTTP.
//!
//! The pages are read from ../shared/api-docs (beside the repository):
//! every documented create example (user by UPN, by object id, by
//! targetOrganizationId with targetDataLocationCode, site, group by
//! mailNickname, preferred start, validateOnly) is decoded into the SDK's
//! `SharePointMigrationTask`, sent with `crossOrganizationMigrationTasks.post`,
//! and the response compared with the documented one on the fields the docs
//! show. Every row of the documented error table is reached through the SDK
//! and recognised by its `Error` helper, with the documented message.
//!
//! Without ../shared the tests are skipped, except under `CI=true`, where
//! they fail.

use graph_migrations::models::SharePointMigrationTask;
use serde_json::{Map, Value, json};

const PAGES: &[&str] = &[
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/api-docs/sharepointmigrationtask-create.md"
    ),
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/api-docs/graph-docs/api/sharepointmigrationtask-create.md"
    ),
];

const TASKS: &str = "/solutions/sharePoint/migrations/crossOrganizationMigrationTasks";
const SRC_UPN: &str = "source-user@contoso.onmicrosoft.com";
const TGT_UPN: &str = "target-user@fabrico.onmicrosoft.com";

/// The pages, or `None` (with the reason printed) when ../shared is absent
/// outside CI.
fn pages() -> Option<Vec<(&'static str, String)>> {
    let mut out = Vec::new();
    for path in PAGES {
        match std::fs::read_to_string(path) {
            Ok(text) => out.push((*path, text)),
            Err(e) => {
                let why = format!(
                    "the SharePoint documentation page {path} cannot be read ({e}); \
                     these tests need ../shared/api-docs beside the repository"
                );
                if std::env::var("CI").is_ok_and(|v| v == "true") {
                    panic!("{why}");
                }
                eprintln!("skipping: {why}");
                return None;
            }
        }
    }
    Some(out)
}

/// One documented example: its heading, request body and response body.
#[derive(Debug)]
struct Example {
    title: String,
    request: Value,
    response: Value,
}

/// The documentation's JSON blocks are not strict JSON: they may start with a
/// `Content-Type:` line and have trailing commas.
fn lenient_json(block: &str) -> Value {
    let body: String = block
        .lines()
        .filter(|l| {
            !l.trim_start()
                .to_ascii_lowercase()
                .starts_with("content-type:")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = String::with_capacity(body.len());
    let chars: Vec<char> = body.chars().collect();
    let mut in_string = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if in_string {
            out.push(c);
            if c == '\\' && i + 1 < chars.len() {
                out.push(chars[i + 1]);
                i += 1;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if !matches!(next, Some('}') | Some(']')) {
                out.push(c);
            }
        } else {
            out.push(c);
        }
        i += 1;
    }
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("documented JSON: {e}\n{out}"))
}

/// The create examples of a page: each `### ` heading followed by an
/// `#### HTTP body` JSON block and an `#### HTTP response` JSON block.
fn examples(page: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let (mut title, mut sub) = (String::new(), String::new());
    let mut request: Option<Value> = None;
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        let t = line.trim();
        if let Some(h) = t.strip_prefix("#### ") {
            sub = h.trim().to_ascii_lowercase();
        } else if let Some(h) = t.strip_prefix("### ") {
            title = h.trim().to_string();
            request = None;
            sub.clear();
        } else if let Some(lang) = t.strip_prefix("```") {
            let block: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.trim().starts_with("```"))
                .collect();
            if !lang.trim().eq_ignore_ascii_case("json") {
                continue;
            }
            let value = lenient_json(&block.join("\n"));
            if sub.contains("body") || sub.contains("request") {
                request = Some(value);
            } else if sub.contains("response") {
                let request = request
                    .take()
                    .unwrap_or_else(|| panic!("{title}: a response without a request"));
                out.push(Example {
                    title: title.clone(),
                    request,
                    response: value,
                });
            }
        }
    }
    out
}

/// The documented error table: `(scenario, status, message template)`.
fn error_table(page: &str) -> Vec<(String, u16, String)> {
    let start = page
        .find("### Error Conditions")
        .expect("the page has an error table");
    page[start..]
        .lines()
        .filter(|l| l.trim_start().starts_with('|'))
        .filter_map(|l| {
            let cells: Vec<&str> = l
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            let status = cells.get(2)?.parse::<u16>().ok()?;
            Some((cells[0].to_string(), status, cells.get(3)?.to_string()))
        })
        .collect()
}

/// Whether `message` matches `template`, whose `{placeholders}` stand for any text.
fn matches_template(template: &str, message: &str) -> bool {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        parts.push(&rest[..open]);
        rest = rest[open..]
            .find('}')
            .map_or("", |close| &rest[open + close + 1..]);
    }
    parts.push(rest);
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if parts.len() == 1 {
        return message == template;
    }
    if !message.starts_with(first) {
        return false;
    }
    let mut pos = first.len();
    for part in &parts[1..parts.len() - 1] {
        match message[pos..].find(part) {
            Some(p) => pos += p + part.len(),
            None => return false,
        }
    }
    message.len() >= pos + last.len() && message.ends_with(last)
}

/// `expected` ⊆ `actual`: every field the docs show has the documented value.
fn assert_subset(expected: &Value, actual: &Value, path: &str, title: &str) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                let p = format!("{path}.{k}");
                match a.get(k) {
                    Some(av) => assert_subset(v, av, &p, title),
                    None => panic!("{title}: {p} is documented as {v} but missing from {actual}"),
                }
            }
        }
        _ => assert_eq!(actual, expected, "{title}: {path}"),
    }
}

/// A typed round trip: what the SDK model makes of a documented JSON body.
fn typed(v: &Value) -> SharePointMigrationTask {
    serde_json::from_value(v.clone()).expect("documented body decodes into the SDK model")
}

async fn seeded_sim() -> graph_sim::SimHandle {
    let sim = graph_sim::start(graph_sim::SimConfig::default()).await;
    sim.state()
        .seed_user_mapping_json(json!({
            "sourceUserIdentity": {"id": "da157a29-f793-4dd6-9c73-41d2c73c2546", "userPrincipalName": SRC_UPN},
            "targetUserIdentity": {"id": "cb53ea98-6151-44cc-9c21-098a3c3e3988", "userPrincipalName": TGT_UPN},
            "userType": "regularUser"
        }))
        .unwrap();
    sim
}

use workspace_tests::sim_client as client;

#[tokio::test]
async fn documented_create_examples_through_the_typed_sdk() {
    let Some(pages) = pages() else { return };
    for (path, page) in pages {
        let examples = examples(&page);
        let kinds: Vec<&str> = examples
            .iter()
            .filter_map(|e| e.request["parameters"]["@odata.type"].as_str())
            .collect();
        assert_eq!(examples.len(), 7, "{path}: examples found: {examples:#?}");
        for kind in ["User", "Site", "Group"] {
            let t = format!("#microsoft.graph.sharePoint{kind}MigrationTaskParameters");
            assert!(kinds.contains(&t.as_str()), "{path}: no {kind} example");
        }

        let sim = seeded_sim().await;
        let tasks = client(&sim, "sim.SharePointCrossTenantMigration.Manage.All")
            .solutions()
            .share_point()
            .migrations()
            .cross_organization_migration_tasks();
        let mut checked = Vec::new();
        for ex in &examples {
            let title = format!("{path}: {}", ex.title);
            // The typed request serialises to exactly the documented body.
            let request = typed(&ex.request);
            assert_eq!(
                serde_json::to_value(&request).unwrap(),
                ex.request,
                "{title}: the SDK would not send the documented body"
            );
            let before = sim.state().sharepoint_tasks().len();
            let posted_before = sim.stats().requests("POST", TASKS);
            let response = tasks
                .post(&request)
                .await
                .unwrap_or_else(|e| panic!("{title}: {e}"));
            assert_eq!(sim.stats().requests("POST", TASKS), posted_before + 1);

            // The documented response, read through the same model (enum
            // members are matched case-insensitively: "Completed").
            let expected = serde_json::to_value(typed(&ex.response)).unwrap();
            let actual = serde_json::to_value(&response).unwrap();
            let mut shown = expected.as_object().cloned().unwrap_or_default();
            if shown.remove("id").is_some() {
                let id = response
                    .id
                    .get()
                    .unwrap_or_else(|| panic!("{title}: no id"));
                assert_eq!(id.len(), 36, "{title}: id {id}");
                assert!(
                    sim.state()
                        .sharepoint_tasks()
                        .iter()
                        .any(|t| t["id"] == id.as_str()),
                    "{title}: the task {id} exists"
                );
            }
            assert_subset(&Value::Object(shown), &actual, "", &title);

            let validate_only = ex.request["parameters"]["validateOnly"] == json!(true);
            if validate_only {
                assert!(
                    response.id.get().is_none(),
                    "{title}: validateOnly has no id"
                );
                assert_eq!(
                    sim.state().sharepoint_tasks().len(),
                    before,
                    "{title}: validateOnly creates nothing"
                );
            }
            checked.push(ex.title.clone());
        }
        // Same source posted again updates the task not yet started: one task
        // per source (user, site, group).
        assert_eq!(sim.state().sharepoint_tasks().len(), 3, "{checked:#?}");
        sim.shutdown().await;
    }
}

use graph_migrations::builders::CrossOrganizationMigrationTasksPostError as PostError;

/// The documented case of the generated error enum, with its placeholder
/// values, or `None` for another variant.
type Variant = fn(&PostError) -> Option<Vec<String>>;

/// How each documented error is reached, and which variant of the generated
/// per-operation error recognises it.
struct Scenario {
    /// A distinctive part of the documented message.
    marker: &'static str,
    status: u16,
    /// The request body, and the token to send it with.
    body: Value,
    token: &'static str,
    /// Values of the message's placeholders, in order (checked by substitution).
    placeholders: &'static [&'static str],
    variant: Variant,
    variant_name: &'static str,
}

fn user_task(source_upn: &str) -> Value {
    json!({"parameters": {
        "@odata.type": "#microsoft.graph.sharePointUserMigrationTaskParameters",
        "targetOrganizationHost": "https://fabrico-my.sharepoint.com",
        "sourceUserIdentity": {"userPrincipalName": source_upn},
        "targetUserIdentity": {"userPrincipalName": TGT_UPN}
    }})
}

fn site_task(target_host: &str, target_site: &str) -> Value {
    json!({"parameters": {
        "@odata.type": "#microsoft.graph.sharePointSiteMigrationTaskParameters",
        "targetOrganizationHost": target_host,
        "sourceSiteUrl": "https://contoso.sharepoint.com/sites/IT",
        "targetSiteUrl": target_site
    }})
}

fn scenarios() -> Vec<Scenario> {
    const MANAGE: &str = "sim.SharePointCrossTenantMigration.Manage.All";
    let mut missing = site_task("https://fabrico-my.sharepoint.com", "");
    missing["parameters"]
        .as_object_mut()
        .unwrap()
        .remove("targetSiteUrl");
    vec![
        Scenario {
            marker: "required parameter",
            status: 400,
            body: missing,
            token: MANAGE,
            placeholders: &["targetSiteUrl"],
            variant: |e| match e {
                PostError::MissingParameter { parameter, .. } => Some(vec![parameter.clone()]),
                _ => None,
            },
            variant_name: "MissingParameter",
        },
        Scenario {
            marker: "Access denied",
            status: 403,
            body: site_task(
                "https://fabrico-my.sharepoint.com",
                "https://fabrico.sharepoint.com/sites/IT",
            ),
            token: "sim.SharePointCrossTenantMigration.Read.All",
            placeholders: &[],
            variant: |e| matches!(e, PostError::AccessDenied { .. }).then(Vec::new),
            variant_name: "AccessDenied",
        },
        Scenario {
            marker: "Cross-Tenant relationship",
            status: 422,
            body: site_task(
                "https://woodgrove-my.sharepoint.com",
                "https://woodgrove.sharepoint.com/sites/IT",
            ),
            token: MANAGE,
            placeholders: &["https://woodgrove-my.sharepoint.com", "target"],
            variant: |e| match e {
                PostError::NoTrustRelationship { partner, role, .. } => {
                    Some(vec![partner.clone(), role.clone()])
                }
                _ => None,
            },
            variant_name: "NoTrustRelationship",
        },
        Scenario {
            marker: "OneDrive URL",
            status: 422,
            body: user_task("noonedrive-amy@contoso.onmicrosoft.com"),
            token: MANAGE,
            placeholders: &["noonedrive-amy@contoso.onmicrosoft.com"],
            variant: |e| match e {
                PostError::NoOneDrive { upn, .. } => Some(vec![upn.clone()]),
                _ => None,
            },
            variant_name: "NoOneDrive",
        },
        Scenario {
            marker: "Identity map entry",
            status: 422,
            body: user_task("carol@contoso.onmicrosoft.com"),
            token: MANAGE,
            placeholders: &["carol@contoso.onmicrosoft.com"],
            variant: |e| match e {
                PostError::IdentityMapMissing { upn, .. } => Some(vec![upn.clone()]),
                _ => None,
            },
            variant_name: "IdentityMapMissing",
        },
        Scenario {
            marker: "same SPO location",
            status: 501,
            body: site_task(
                "https://contoso-my.sharepoint.com",
                "https://contoso.sharepoint.com/sites/IT2",
            ),
            token: MANAGE,
            placeholders: &[],
            variant: |e| matches!(e, PostError::SameFarm { .. }).then(Vec::new),
            variant_name: "SameFarm",
        },
    ]
}

/// `template` with its placeholders replaced by `values`, in order.
fn substitute(template: &str, values: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = template;
    let mut values = values.iter();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').expect("closed placeholder") + open;
        out.push_str(values.next().expect("a value for every placeholder"));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn documented_error_table_through_the_generated_error_enum() {
    let Some(pages) = pages() else { return };
    for (path, page) in pages {
        let table = error_table(&page);
        let scenarios = scenarios();
        assert_eq!(
            table.len(),
            scenarios.len(),
            "{path}: the documented error table changed: {table:#?}"
        );
        let sim = seeded_sim().await;
        for (scenario_text, status, template) in &table {
            let s = scenarios
                .iter()
                .find(|s| s.status == *status && template.contains(s.marker))
                .unwrap_or_else(|| {
                    panic!("{path}: no scenario reaches the documented {status} '{template}' ({scenario_text})")
                });
            let title = format!("{path}: {status} {scenario_text}");
            let body = typed(&s.body);
            let tasks_before = sim.state().sharepoint_tasks().len();
            let err = client(&sim, s.token)
                .solutions()
                .share_point()
                .migrations()
                .cross_organization_migration_tasks()
                .post(&body)
                .await
                .expect_err(&title);
            assert_eq!(
                err.status().map(|s| s.as_u16()),
                Some(*status),
                "{title}: {err}"
            );
            let message = err
                .message()
                .unwrap_or_else(|| panic!("{title}: no message: {err}"));
            assert!(
                matches_template(template, message),
                "{title}: '{message}' vs '{template}'"
            );
            assert_eq!(message, substitute(template, s.placeholders), "{title}");
            let typed = PostError::from(err);
            let values = (s.variant)(&typed)
                .unwrap_or_else(|| panic!("{title}: not {}: {typed:?}", s.variant_name));
            assert_eq!(values, s.placeholders, "{title}: placeholder values");
            for other in scenarios
                .iter()
                .filter(|o| o.variant_name != s.variant_name)
            {
                assert!(
                    (other.variant)(&typed).is_none(),
                    "{title}: also {}",
                    other.variant_name
                );
            }
            // The request ids stay reachable through the typed error.
            assert!(typed.error().request_id().is_some(), "{title}");
            assert!(typed.error().client_request_id().is_some(), "{title}");
            assert_eq!(
                sim.state().sharepoint_tasks().len(),
                tasks_before,
                "{title}: nothing created"
            );
        }
        sim.shutdown().await;
    }
}

#[test]
fn the_documentation_parsers() {
    let page = "### 1. One\n#### HTTP body\n```JSON\nContent-Type: application/json\n{\"a\": [1,2,], \"b\": {\"c\": \"x,}\",},}\n```\n#### HTTP response\n```json\n{\"a\": 1}\n```\n### Error Conditions for **Create** API\n| Scenario | Method | Code | Message |\n| --- | --- | --- | --- |\n| Missing | POST | 400 | Need {name} now. |\n";
    let ex = examples(page);
    assert_eq!(ex.len(), 1);
    assert_eq!(ex[0].request, json!({"a": [1, 2], "b": {"c": "x,}"}}));
    assert_eq!(ex[0].response, json!({"a": 1}));
    let t = error_table(page);
    assert_eq!(
        t,
        vec![("Missing".to_string(), 400, "Need {name} now.".to_string())]
    );
    assert!(matches_template("Need {name} now.", "Need x now."));
    assert!(!matches_template("Need {name} now.", "Need x later."));
    assert!(matches_template("Access denied", "Access denied"));
    assert!(!matches_template("Access denied", "Access denied forever"));
    assert_eq!(
        substitute("Need {name} now {x}.", &["a", "b"]),
        "Need a now b."
    );
    let mut m = Map::new();
    m.insert("k".into(), json!(1));
    assert_subset(
        &Value::Object(m),
        &json!({"k": 1, "other": 2}),
        "",
        "subset",
    );
}

/// Every documented failure of `migrate` (404; 409 not in a status that
/// allows it; 409 validation older than seven days), reached through the SDK
/// against graph-sim and recognised by the generated
/// `CrossTenantMigrationJobsItemMigrateError`, whose cases come from the
/// page's error table.
#[tokio::test]
#[allow(deprecated)]
async fn documented_migrate_errors_through_the_generated_error_enum() {
    use graph_migrations::builders::CrossTenantMigrationJobsItemMigrateError as MigrateError;
    let sim = graph_sim::start(graph_sim::SimConfig::default()).await;
    let client = client(&sim, "sim.role:GlobalAdministrator");
    let jobs = client
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs();
    let body = json!({
        "displayName": "Contoso_migration",
        "completeAfterDateTime": "2026-01-01T00:00:00Z",
        "sourceTenantId": "2ac4d6a6-7d6b-4bd1-bf7e-0a3d36ae1a01",
        "workloads": ["Teams"],
        "resourceType": "Users",
        "resources": ["d4f1f35a-4b1a-4e7b-a9d6-0e1c6a3b6a11"]
    });
    let migrate = |id: &str| {
        let request = jobs.by_id(id).migrate().post();
        async move { request.await.map_err(MigrateError::from) }
    };

    let missing = migrate("00000000-0000-0000-0000-000000000000")
        .await
        .unwrap_err();
    assert!(
        matches!(missing, MigrateError::JobNotFound { .. }),
        "{missing:?}"
    );
    assert_eq!(missing.error().status().map(|s| s.as_u16()), Some(404));

    let submitted = sim.state().seed_job(body.clone()).unwrap();
    let id = submitted["id"].as_str().unwrap().to_string();
    let not_validated = migrate(&id).await.unwrap_err();
    assert!(
        matches!(not_validated, MigrateError::InvalidStatus { .. }),
        "{not_validated:?}"
    );

    let mut expiring = body.clone();
    expiring["displayName"] = json!("Expired");
    let passed = sim
        .state()
        .seed_job_with_status(expiring, "validatePassed")
        .unwrap();
    sim.clock().advance_secs(8 * 24 * 3600);
    let expired = migrate(passed["id"].as_str().unwrap()).await.unwrap_err();
    assert!(
        matches!(expired, MigrateError::ValidationExpired { .. }),
        "{expired:?}"
    );
    // Every variant keeps the request ids Microsoft support asks for.
    for e in [&missing, &not_validated, &expired] {
        assert!(e.error().request_id().is_some(), "{e:?}");
        assert!(e.error().client_request_id().is_some(), "{e:?}");
    }
    // Another status is `Other`, with the whole error.
    let other = MigrateError::from(graph_migrations::Error::Config("x".into()));
    assert!(matches!(other, MigrateError::Other(_)));
    sim.shutdown().await;
}

/// A job the simulator accepts, for the edit test.
fn edit_job_body() -> Value {
    workspace_tests::job_json("edit-me", &["b5b8bc4f-0e36-4ad3-8ddf-248b68260b89"])
}

// (This test lives here rather than in e2e.rs: that binary captures the
// SDK's tracing spans with a scoped subscriber, and a test hitting the same
// callsites first on another thread would make tracing cache them as
// uninteresting.)
/// Edit what you fetched: for every resource a `PATCH` updates, get it,
/// change one property through its edit, patch, and check what graph-sim
/// received: exactly that property, although the fetched value had every
/// property set (`createdBy`, `status`, `@odata.context`, …).
#[tokio::test]
#[allow(deprecated)]
async fn an_edit_of_a_fetched_value_sends_only_what_changed() {
    use graph_migrations::models::*;
    let sim = graph_sim::start(graph_sim::SimConfig::default()).await;
    let client = client(&sim, "sim.*");
    let stats = sim.stats();
    let sent = |template: &str| {
        stats
            .request_bodies("PATCH", template)
            .last()
            .cloned()
            .unwrap_or_else(|| panic!("no PATCH body recorded for {template}"))
    };

    // A job: the update page allows completeAfterDateTime only.
    let job_json = sim.state().seed_job(edit_job_body()).unwrap();
    let job_id = job_json["id"].as_str().unwrap().to_string();
    let jobs = client
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs();
    let job = jobs.by_id(&job_id).get().await.unwrap();
    assert!(job.created_by.is_set() && job.status.is_set());
    let later: graph_migrations::runtime::edm::DateTimeOffset =
        "2030-01-01T00:00:00Z".parse().unwrap();
    jobs.by_id(&job_id)
        .patch(&job.edit().with_complete_after_date_time(later))
        .await
        .unwrap();
    assert_eq!(
        sent("/solutions/migrations/crossTenantMigrationJobs/{id}"),
        json!({"completeAfterDateTime": "2030-01-01T00:00:00Z"})
    );
    // Nothing changed: an empty body.
    assert!(job.edit().is_empty());

    // One of the job's user tasks.
    let users = jobs.by_id(&job_id).users();
    let task = users.get().collect_all().await.unwrap().remove(0);
    let task_id = task.id.get().cloned().unwrap();
    users
        .by_id(&task_id)
        .patch(&task.edit().with_task_type("mailbox"))
        .await
        .unwrap();
    assert_eq!(
        sent("/solutions/migrations/crossTenantMigrationJobs/{id}/users/{taskId}"),
        json!({"taskType": "mailbox"})
    );

    // A SharePoint task: its status (error, finishedDateTime, … are read-only).
    sim.state()
        .trust_target_host("https://fabrico-my.sharepoint.com");
    let sp_json = sim
        .state()
        .seed_sharepoint_task(json!({"parameters": {
            "@odata.type": "#microsoft.graph.sharePointSiteMigrationTaskParameters",
            "targetOrganizationHost": "https://fabrico-my.sharepoint.com",
            "sourceSiteUrl": "https://contoso.sharepoint.com/sites/Edit",
            "targetSiteUrl": "https://fabrico.sharepoint.com/sites/Edit"
        }}))
        .unwrap();
    let sp_id = sp_json["id"].as_str().unwrap().to_string();
    let tasks = client
        .solutions()
        .share_point()
        .migrations()
        .cross_organization_migration_tasks();
    let sp_task = tasks.by_id(&sp_id).get().await.unwrap();
    // The documented update takes the parameters; a nested value that
    // changed is sent whole, with its `@odata.type`.
    let Some(AnySharePointMigrationTaskParameters::SharePointSiteMigrationTaskParameters(site)) =
        sp_task.parameters.get().cloned()
    else {
        panic!("a site task: {sp_task:?}")
    };
    let start: graph_migrations::runtime::edm::DateTimeOffset =
        "2031-02-03T04:05:06Z".parse().unwrap();
    let site = site.with_preferred_start_date_time(start);
    tasks
        .by_id(&sp_id)
        .patch(
            &sp_task
                .edit()
                .with_parameters(AnySharePointMigrationTaskParameters::from(site.clone())),
        )
        .await
        .unwrap();
    let mut expected = serde_json::to_value(&site).unwrap();
    expected["@odata.type"] = json!("#microsoft.graph.sharePointSiteMigrationTaskParameters");
    assert_eq!(
        sent("/solutions/sharePoint/migrations/crossOrganizationMigrationTasks/{id}"),
        json!({ "parameters": expected })
    );

    // User and group identity mappings.
    let maps = client.solutions().share_point().migrations();
    let user_id = sim.state().seed_user_mapping(
        "edit-src@contoso.onmicrosoft.com",
        "edit-tgt@fabrico.onmicrosoft.com",
    );
    let user_maps = maps.cross_organization_user_mappings();
    let user_map = user_maps.by_id(&user_id).get().await.unwrap();
    user_maps
        .by_id(&user_id)
        .patch(
            &user_map
                .edit()
                .with_user_type(SharePointIdentityMappingUserType::AdminUser),
        )
        .await
        .unwrap();
    assert_eq!(
        sent("/solutions/sharePoint/migrations/crossOrganizationUserMappings/{id}"),
        json!({"userType": "adminUser"})
    );
    let group_id = sim.state().seed_group_mapping(
        "0b7b2d9c-4b7e-4c8a-9f3e-5a1d2c3b4a51",
        "7c6d5e4f-3a2b-4c1d-8e9f-0a1b2c3d4e5f",
    );
    let group_maps = maps.cross_organization_group_mappings();
    let group_map = group_maps.by_id(&group_id).get().await.unwrap();
    let other =
        if group_map.group_type.get() == Some(&SharePointIdentityMappingGroupType::M365Group) {
            SharePointIdentityMappingGroupType::RegularGroup
        } else {
            SharePointIdentityMappingGroupType::M365Group
        };
    group_maps
        .by_id(&group_id)
        .patch(&group_map.edit().with_group_type(other.clone()))
        .await
        .unwrap();
    assert_eq!(
        sent("/solutions/sharePoint/migrations/crossOrganizationGroupMappings/{id}"),
        json!({"groupType": other.to_string()})
    );
    sim.shutdown().await;
}

/// The documented rules graph-sim follows, through the SDK: validate only
/// from `submitted` or `validateFailed` (CURRENT.md: a 409 otherwise), and
/// the mapping delta `PATCH` of at most 50 items (the update pages): the
/// SDK splits 120 changes into requests of 50, 50 and 20, and a raw request
/// of 51 is refused by the service.
#[tokio::test]
#[allow(deprecated)]
async fn documented_validate_state_and_delta_limits_through_the_sdk() {
    use graph_migrations::models::*;
    use graph_migrations::runtime::delta::DeltaChange;
    let sim = graph_sim::start(graph_sim::SimConfig::default()).await;
    let client = client(&sim, "sim.*");
    let jobs = client
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs();
    let passed = sim
        .state()
        .seed_job_with_status(edit_job_body(), "validatePassed")
        .unwrap();
    let err = jobs
        .by_id(passed["id"].as_str().unwrap())
        .validate()
        .post()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(409), "{err}");
    assert!(
        err.message().unwrap_or("").contains("valid status"),
        "{err}"
    );

    let maps = client
        .solutions()
        .share_point()
        .migrations()
        .cross_organization_user_mappings();
    let changes: Vec<DeltaChange<SharePointUserIdentityMapping>> = (0..120)
        .map(|i| {
            DeltaChange::Upsert(
                serde_json::from_value(json!({
                    "sourceOrganizationId": "11111111-1111-1111-1111-111111111111",
                    "userType": "regularUser",
                    "sourceUserIdentity": {"userPrincipalName": format!("u{i}@contoso.com")},
                    "targetUserIdentity": {"userPrincipalName": format!("u{i}@fabrico.com")}
                }))
                .unwrap(),
            )
        })
        .collect();
    let report = maps.delta_update(changes).await.unwrap();
    assert!(report.is_complete());
    let template = "/solutions/sharePoint/migrations/crossOrganizationUserMappings";
    let sizes: Vec<usize> = sim
        .stats()
        .request_bodies("PATCH", template)
        .iter()
        .map(|b| b["value"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [50, 50, 20]);
    // 51 items in one request: the documented maximum is enforced.
    let too_many: Vec<Value> = (0..51)
        .map(|i| json!({"sourceUserIdentity": {"userPrincipalName": format!("x{i}@contoso.com")}}))
        .collect();
    let raw = client
        .request(
            http::Method::PATCH,
            graph_migrations::runtime::RequestPath::root()
                .segment("solutions")
                .segment("sharePoint")
                .segment("migrations")
                .segment("crossOrganizationUserMappings"),
        )
        .json(&json!({"@context": "#$delta", "value": too_many}))
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(raw.status().map(|s| s.as_u16()), Some(400), "{raw}");
    sim.shutdown().await;
}
