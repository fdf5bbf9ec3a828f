//! The documentation's JSON examples as test vectors for the generated models.
//!
//! Every example of every documented operation comes from the committed
//! `metadata/docs-facts.json` (what `cargo xtask docs-refresh` read from the
//! pages), so a new page or example is replayed without editing this file.
//! The SDK type of an example is the one the SDK itself uses for the
//! request: `metadata/api-surface.txt` names the return type and the builder
//! call of every `METHOD path`, and the documented path is matched to it
//! with the generator's own placeholder-insensitive normalisation.
//!
//! * A response decodes into that type (collections as `value` arrays of
//!   the item type) and is written back equal to the page's JSON.
//! * A request body decodes into the body type the builder takes (an entity,
//!   a delta payload of `DeltaChange`s, an action's parameters) and is
//!   written back equal to the page's body.
//!
//! Documented normalisations, each listed by page:line: known enum members
//! match case-insensitively and are written in the schema's spelling
//! (README, "Enum case"); doc JSON that is not JSON (trailing commas) is
//! rejected by the SDK with a decode error (README, "Documentation JSON that
//! is not JSON"), and its content, repaired, must then round-trip too.

// The crossTenantMigration types are deprecated in the metadata; these
// tests use them on purpose.
#![allow(deprecated)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use graph_migrations::builders::CrossTenantMigrationJobsValidatePostRequestBody;
use graph_migrations::models::{
    AnySharePointMigrationTaskParameters, CrossTenantMigrationCancelResponse,
    CrossTenantMigrationJob, CrossTenantMigrationJobStatus, CrossTenantMigrationTask,
    SharePointGroupIdentityMapping, SharePointMigrationTask, SharePointUserIdentityMapping,
};
use graph_migrations::runtime::{DeltaChange, DeltaPayload, RemovedReason, decode_json};
use migrations_codegen::docs::{Example, OperationDoc, normalise_path};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One line of `metadata/api-surface.txt`: what the SDK sends for a request.
struct Surface {
    method: String,
    path: String,
    returns: String,
    call: String,
}

fn api_surface(root: &Path) -> Vec<Surface> {
    let text = std::fs::read_to_string(root.join("metadata/api-surface.txt"))
        .expect("metadata/api-surface.txt (written by cargo xtask regen)");
    text.lines()
        .filter_map(|line| {
            let (method, rest) = line.split_once(' ')?;
            let (path, rest) = rest.split_once(" -> ")?;
            let (returns, rest) = rest.split_once("  via ")?;
            let call = rest.split("  [").next()?.trim();
            Some(Surface {
                method: method.to_string(),
                path: normalise_path(path),
                returns: returns.to_string(),
                call: call.to_string(),
            })
        })
        .collect()
}

/// What a request body is, from the builder call that sends it.
enum Body<'a> {
    /// `…::post()`, `…(…).patch()`: the entity itself.
    Entity(&'a str),
    /// `…::delta_update()`: a `#$delta` payload of the collection's items.
    Delta(&'a str),
    /// `…::validate().post()`: the action's parameters, by builder call.
    Parameters(&'a str),
}

fn body_of(s: &Surface) -> Body<'_> {
    let item = s
        .returns
        .strip_prefix("Collection(")
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(&s.returns);
    if s.call.ends_with("::delta_update()") {
        return Body::Delta(item);
    }
    let head = s
        .call
        .strip_suffix("post()")
        .or_else(|| s.call.strip_suffix("patch()"))
        .unwrap_or(&s.call);
    if head.ends_with("::") || head.ends_with("(…).") {
        Body::Entity(item)
    } else {
        Body::Parameters(&s.call)
    }
}

/// Decodes `json` as the SDK decodes a response body, and writes it back.
fn through<T: DeserializeOwned + Serialize>(json: &str) -> Result<Value, String> {
    let typed: T = decode_json(json.as_bytes()).map_err(|(path, e)| format!("at {path}: {e}"))?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

/// `$f::<T>($json)` with the SDK type `T` of each documented body, by the
/// name the API surface gives it. A documented operation on a type missing
/// here fails the test with the name to add.
macro_rules! with_sdk_type {
    ($type_name:expr, $f:ident, $json:expr) => {
        match $type_name {
            "microsoft.graph.crossTenantMigrationJob" => Some($f::<CrossTenantMigrationJob>($json)),
            "microsoft.graph.crossTenantMigrationTask" => {
                Some($f::<CrossTenantMigrationTask>($json))
            }
            "microsoft.graph.crossTenantMigrationCancelResponse" => {
                Some($f::<CrossTenantMigrationCancelResponse>($json))
            }
            "microsoft.graph.sharePointMigrationTask" => Some($f::<SharePointMigrationTask>($json)),
            "microsoft.graph.sharePointUserIdentityMapping" => {
                Some($f::<SharePointUserIdentityMapping>($json))
            }
            "microsoft.graph.sharePointGroupIdentityMapping" => {
                Some($f::<SharePointGroupIdentityMapping>($json))
            }
            _ => None,
        }
    };
}

fn entity_round_trip(type_name: &str, json: &str) -> Option<Result<Value, String>> {
    with_sdk_type!(type_name, through, json)
}

fn parameters_round_trip(call: &str, json: &str) -> Option<Result<Value, String>> {
    Some(match call {
        "CrossTenantMigrationJobsRequestBuilder::validate().post()" => {
            through::<CrossTenantMigrationJobsValidatePostRequestBody>(json)
        }
        _ => return None,
    })
}

/// A delta payload built from `DeltaChange`s of the SDK's item type.
fn delta_round_trip<T: DeserializeOwned + Serialize>(json: &str) -> Result<Value, String> {
    let page: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let items = page["value"]
        .as_array()
        .ok_or("a delta payload without `value`")?;
    let mut changes = Vec::new();
    for item in items {
        let mut item = item
            .as_object()
            .ok_or("a delta item is not an object")?
            .clone();
        let removed = item.remove("@removed");
        let typed: T = through::<T>(&Value::Object(item).to_string())
            .and_then(|v| serde_json::from_value(v).map_err(|e| e.to_string()))?;
        changes.push(match removed {
            None => DeltaChange::Upsert(typed),
            Some(r) => DeltaChange::Remove {
                item: typed,
                reason: match r["reason"].as_str() {
                    Some("deleted") => RemovedReason::Deleted,
                    Some("changed") => RemovedReason::Changed,
                    other => return Err(format!("@removed reason {other:?}")),
                },
            },
        });
    }
    serde_json::to_value(DeltaPayload::new(&changes)).map_err(|e| e.to_string())
}

fn delta_body(type_name: &str, json: &str) -> Option<Result<Value, String>> {
    with_sdk_type!(type_name, delta_round_trip, json)
}

/// A collection response: each item of `value` through the item type, the
/// page's own annotations as they are (the SDK's `Page` keeps them apart).
fn collection_round_trip(type_name: &str, json: &str) -> Option<Result<Value, String>> {
    let mut page: Value = serde_json::from_str(json).ok()?;
    let Some(items) = page.get_mut("value").and_then(Value::as_array_mut) else {
        return Some(Err("a collection response without a `value` array".into()));
    };
    for item in items.iter_mut() {
        match entity_round_trip(type_name, &item.to_string())? {
            Ok(written) => *item = written,
            Err(e) => return Some(Err(e)),
        }
    }
    Some(Ok(page))
}

/// Where the written JSON differs from the page's only in the case of a
/// string (an enum member written in the schema's spelling), takes the
/// SDK's spelling into `expected` and returns the paths changed.
fn accept_enum_case(expected: &mut Value, written: &Value, path: &str, out: &mut Vec<String>) {
    match (expected, written) {
        (Value::String(doc), Value::String(ours))
            if doc != ours && doc.eq_ignore_ascii_case(ours) =>
        {
            out.push(format!("{path}: {doc:?} → {ours:?}"));
            *doc = ours.clone();
        }
        (Value::Object(doc), Value::Object(ours)) => {
            for (k, v) in doc.iter_mut() {
                if let Some(w) = ours.get(k) {
                    accept_enum_case(v, w, &format!("{path}.{k}"), out);
                }
            }
        }
        (Value::Array(doc), Value::Array(ours)) => {
            for (i, (v, w)) in doc.iter_mut().zip(ours).enumerate() {
                accept_enum_case(v, w, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn repair_trailing_commas(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']')) {
                continue;
            }
        }
        out.push(*c);
    }
    out
}

/// How each example was checked, with the page:line of each.
#[derive(Default, Debug)]
struct Tally(BTreeMap<&'static str, Vec<String>>);

impl Tally {
    fn add(&mut self, class: &'static str, at: String) {
        self.0.entry(class).or_default().push(at);
    }
}

/// The SDK's JSON for an example's body, and how it was built.
type Written = (&'static str, Option<Result<Value, String>>);

fn through_sdk(kind: &str, surface: &Surface, text: &str) -> Result<Written, String> {
    Ok(match (kind, body_of(surface)) {
        ("response", _) if surface.returns.starts_with("Collection(") => {
            let item = &surface.returns["Collection(".len()..surface.returns.len() - 1];
            (
                "response: collection decoded and round-tripped",
                collection_round_trip(item, text),
            )
        }
        ("response", _) => (
            "response: entity decoded and round-tripped",
            entity_round_trip(&surface.returns, text),
        ),
        ("request", Body::Entity(t)) => (
            "request: entity body built from SDK types",
            entity_round_trip(t, text),
        ),
        ("request", Body::Delta(t)) => (
            "request: delta payload built from SDK types",
            delta_body(t, text),
        ),
        ("request", Body::Parameters(call)) => (
            "request: action parameters built from SDK types",
            parameters_round_trip(call, text),
        ),
        (kind, _) => return Err(format!("an example of kind {kind:?}")),
    })
}

/// The SDK's JSON for an example's body, or why there is none.
fn written(kind: &str, surface: &Surface, text: &str) -> Result<(&'static str, Value), String> {
    let (class, written) = through_sdk(kind, surface, text)?;
    let written = written.ok_or_else(|| {
        format!(
            "no SDK type for `{}` ({}) in this test's tables: add it",
            surface.returns, surface.call
        )
    })??;
    Ok((class, written))
}

/// Replays one example; returns its class or what went wrong.
fn replay(
    e: &Example,
    surface: &Surface,
    tally: &mut Tally,
    enum_case: &mut Vec<String>,
) -> Result<&'static str, String> {
    let Some(text) = e.json.as_deref() else {
        return Ok(if e.kind == "request" {
            "request without a body"
        } else {
            "response without a body"
        });
    };
    let text = if e.json_parses {
        text.to_string()
    } else {
        // The SDK rejects it, as the service sends strict JSON.
        let rejected = match body_of(surface) {
            Body::Entity(t) | Body::Delta(t) => entity_round_trip(t, text),
            Body::Parameters(call) => parameters_round_trip(call, text),
        };
        if !matches!(rejected, Some(Err(_))) {
            return Err("doc JSON that does not parse was not rejected by the SDK".into());
        }
        tally.add(
            "not JSON (trailing commas): rejected with a decode error",
            e.at.to_string(),
        );
        repair_trailing_commas(text)
    };
    let mut expected: Value =
        serde_json::from_str(&text).map_err(|err| format!("the repaired JSON: {err}"))?;
    let (class, written) = written(&e.kind, surface, &text)?;
    let mut changed = Vec::new();
    accept_enum_case(&mut expected, &written, "$", &mut changed);
    enum_case.extend(changed.into_iter().map(|c| format!("{} {c}", e.at)));
    if written != expected {
        return Err(format!(
            "not written back as documented:\n  page: {expected}\n  SDK:  {written}"
        ));
    }
    Ok(class)
}

/// The API-surface line of the request an example belongs to.
fn surface_of<'s>(
    op: &OperationDoc,
    e: &Example,
    surface: &'s [Surface],
) -> Result<&'s Surface, String> {
    let method = e
        .http_line
        .as_deref()
        .and_then(|l| l.split_whitespace().next())
        .filter(|m| m.chars().all(|c| c.is_ascii_uppercase()));
    let request = op
        .http_requests
        .iter()
        .find(|r| method.is_none_or(|m| r.method == m))
        .or(op.http_requests.first())
        .ok_or("the operation documents no HTTP request")?;
    let path = normalise_path(&request.path);
    surface
        .iter()
        .find(|s| s.method == request.method && s.path == path)
        .ok_or_else(|| {
            format!(
                "`{} {}` is not in metadata/api-surface.txt",
                request.method, request.path
            )
        })
}

#[test]
fn every_documented_example_through_the_sdk_types() {
    let root = repo_root();
    let facts = migrations_codegen::pipeline::load_docs_facts(&root)
        .unwrap_or_else(|d| panic!("metadata/docs-facts.json: {d}"));
    let surface = api_surface(&root);
    let mut tally = Tally::default();
    let mut enum_case = Vec::new();
    let mut failures = Vec::new();
    for op in &facts.operations {
        for e in &op.examples {
            let s = match surface_of(op, e, &surface) {
                Ok(s) => s,
                Err(why) => {
                    failures.push(format!("{}: {why}", e.at));
                    continue;
                }
            };
            match replay(e, s, &mut tally, &mut enum_case) {
                Ok(class) => tally.add(class, e.at.to_string()),
                Err(why) => failures.push(format!("{} ({} example): {why}", e.at, e.kind)),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("{tally:#?}\nenum members re-cased: {enum_case:#?}");
    // Every example is in exactly one class: a skipped one changes a count.
    let total: usize = facts.operations.iter().map(|o| o.examples.len()).sum();
    let counted: usize = tally
        .0
        .iter()
        .filter(|(k, _)| !k.starts_with("not JSON"))
        .map(|(_, v)| v.len())
        .sum();
    assert_eq!(counted, total, "{tally:#?}");
    let counts: BTreeMap<&str, usize> = tally.0.iter().map(|(k, v)| (*k, v.len())).collect();
    assert_eq!(
        counts,
        BTreeMap::from([
            (
                "not JSON (trailing commas): rejected with a decode error",
                4
            ),
            ("request without a body", 15),
            ("request: action parameters built from SDK types", 1),
            ("request: delta payload built from SDK types", 2),
            ("request: entity body built from SDK types", 18),
            ("response without a body", 3),
            ("response: collection decoded and round-tripped", 4),
            ("response: entity decoded and round-tripped", 29),
        ]),
        "the number of documented examples per class changed: {tally:#?}"
    );
    // Known members match case-insensitively and are written in the
    // schema's spelling (README, "Enum case").
    assert_eq!(
        enum_case.len(),
        2,
        "enum members written in another case: {enum_case:#?}"
    );
}

/// The value at a JSON path of the generator's findings (`$.value[0].id`).
fn at_path<'v>(mut v: &'v Value, path: &str) -> Option<&'v Value> {
    let mut rest = path.strip_prefix('$')?;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            v = v.get(&r[..end])?;
            rest = &r[end..];
        } else {
            let r = rest.strip_prefix('[')?;
            let (i, r) = r.split_once(']')?;
            v = v.get(i.parse::<usize>().ok()?)?;
            rest = r;
        }
    }
    Some(v)
}

/// Reads a kept value as its Edm type: the problem, with the text, or `None`
/// when the SDK reads it as valid.
fn read_kept(edm: &str, raw: &str) -> Option<String> {
    use graph_migrations::runtime::edm::{DateTimeOffset, Guid};
    let (kept, problem) = match edm {
        "Edm.DateTimeOffset" => {
            let v: DateTimeOffset = serde_json::from_value(json!(raw)).ok()?;
            (v.invalid_text().map(str::to_string), v.value().err())
        }
        "Edm.Guid" => {
            let v: Guid = serde_json::from_value(json!(raw)).ok()?;
            (v.invalid_text().map(str::to_string), v.value().err())
        }
        other => panic!("an invalid {other} in the docs: add it here"),
    };
    assert_eq!(kept.as_deref(), Some(raw), "kept as received");
    problem.map(|e| e.to_string())
}

/// Invalid values inside otherwise valid JSON (a malformed date-time, a
/// non-GUID id, the docs' placeholders `"Guid"` and `"String (timestamp)"`):
/// found by the generator's `docs-check` against the metadata, each one must
/// not cost its example. It decodes, the value is kept, reading it reports
/// the problem with the text, and writing it back sends it unchanged.
#[test]
fn invalid_values_in_documented_examples_are_kept_reported_and_sent_back() {
    let root = repo_root();
    let facts = migrations_codegen::pipeline::load_docs_facts(&root).unwrap();
    let model = migrations_codegen::pipeline::load_committed_model(&root).unwrap();
    let surface = api_surface(&root);
    let report = migrations_codegen::docs::check::check(&facts, &model);
    let mut seen: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for f in &report.findings {
        let Some(edm) = ["Edm.DateTimeOffset", "Edm.Guid"]
            .into_iter()
            .find(|t| f.message.contains(&format!("is not a valid {t}")))
        else {
            continue;
        };
        let (_, path) = f
            .subject
            .rsplit_once(" example ")
            .expect("`… example $.path`");
        let docs = f.docs.as_deref().expect("a located finding");
        let (page, line) = docs.rsplit_once(':').unwrap();
        let line: usize = line.parse().unwrap();
        // The example holding that line: the last one starting before it.
        let (op, e) = facts
            .operations
            .iter()
            .flat_map(|op| op.examples.iter().map(move |e| (op, e)))
            .filter(|(_, e)| e.at.page == page && e.json_line.is_some_and(|l| l <= line))
            .max_by_key(|(_, e)| e.json_line)
            .unwrap_or_else(|| panic!("{docs}: no example"));
        let text = e.json.as_deref().unwrap();
        let raw = at_path(&serde_json::from_str(text).unwrap(), path)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{docs}: no string at {path}"))
            .to_string();
        let s = surface_of(op, e, &surface).unwrap();
        let (_, written) = written(&e.kind, s, text)
            .unwrap_or_else(|why| panic!("{} ({}): the example is lost: {why}", e.at, f.subject));
        assert_eq!(
            at_path(&written, path),
            Some(&json!(raw)),
            "{docs}: {path} is not sent back unchanged"
        );
        let problem =
            read_kept(edm, &raw).unwrap_or_else(|| panic!("{docs}: {raw:?} read as valid"));
        assert!(
            problem.contains(&raw) || raw.len() > 64,
            "{docs}: {problem}"
        );
        seen.entry(edm)
            .or_default()
            .push(format!("{docs} {path} = {raw:?} ({})", e.at));
    }
    eprintln!("{seen:#?}");
    let counts: BTreeMap<&str, usize> = seen.iter().map(|(k, v)| (*k, v.len())).collect();
    assert_eq!(
        counts,
        BTreeMap::from([("Edm.DateTimeOffset", 19), ("Edm.Guid", 7)]),
        "the number of invalid values in the docs changed: {seen:#?}"
    );
    let all = seen
        .values()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("\"2025-7-18T09:08:04.451Z\""), "{all}");
    assert!(
        all.contains("\"3ef4e46d-13a3-4895-b6ea-a74a20hu728h\""),
        "{all}"
    );
}

/// The two documented responses of the issue, read through the typed model.
#[test]
fn a_malformed_date_time_and_a_non_guid_id_do_not_lose_the_task() {
    use graph_migrations::models::SharePointSiteMigrationTaskParameters;
    let facts = migrations_codegen::pipeline::load_docs_facts(&repo_root()).unwrap();
    let pages = [
        "graph-docs/api/sharepointmigrationtask-get.md",
        "graph-docs/api/sharepointmigrationtask-getbysourcesiteurl.md",
        "graph-docs/api/sharepointmigrationtask-getbysourceuserprincipalname.md",
        "graph-docs/api/sharepointmigrationtask-getbysourcegroupmailnickname.md",
    ];
    let mut checked = 0;
    for op in facts
        .operations
        .iter()
        .filter(|op| pages.contains(&op.page.as_str()))
    {
        for e in op.examples.iter().filter(|e| e.kind == "response") {
            let text = e.json.as_deref().unwrap();
            let task: SharePointMigrationTask =
                decode_json(text.as_bytes()).unwrap_or_else(|err| panic!("{}: {err:?}", e.at));
            assert_eq!(
                task.id.get().map(String::as_str),
                Some("3ed6d46d-13a3-4995-b6ea-a74a20b1fac0")
            );
            let started = task.started_date_time.get().unwrap();
            let problem = started.value().unwrap_err().to_string();
            assert!(problem.contains("\"2025-7-18T09:08:04.451Z\""), "{problem}");
            let Some(AnySharePointMigrationTaskParameters::SharePointSiteMigrationTaskParameters(
                SharePointSiteMigrationTaskParameters {
                    target_organization_id,
                    ..
                },
            )) = task.parameters.get()
            else {
                panic!("{}: site parameters", e.at)
            };
            let id = target_organization_id.get().unwrap();
            assert_eq!(
                id.invalid_text(),
                Some("3ef4e46d-13a3-4895-b6ea-a74a20hu728h")
            );
            let problem = id.value().unwrap_err().to_string();
            assert!(
                problem.contains("Edm.Guid") && problem.contains("a74a20hu728h"),
                "{problem}"
            );
            let written = serde_json::to_value(&task).unwrap();
            assert_eq!(written["startedDateTime"], "2025-7-18T09:08:04.451Z");
            assert_eq!(
                written["parameters"]["targetOrganizationId"],
                "3ef4e46d-13a3-4895-b6ea-a74a20hu728h"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, pages.len(), "one documented response per page");
}

#[test]
fn sharepoint_task_examples_decode_to_their_derived_parameters() {
    let facts = migrations_codegen::pipeline::load_docs_facts(&repo_root()).unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    let bodies = facts
        .operations
        .iter()
        .filter(|op| {
            op.http_requests
                .iter()
                .any(|r| r.path.ends_with("/crossOrganizationMigrationTasks"))
        })
        .flat_map(|op| &op.examples)
        .filter_map(|e| e.json.as_deref());
    for body in bodies {
        let task: SharePointMigrationTask =
            serde_json::from_str(&repair_trailing_commas(body)).unwrap();
        kinds.insert(match task.parameters.get() {
            Some(AnySharePointMigrationTaskParameters::SharePointUserMigrationTaskParameters(
                _,
            )) => "user",
            Some(AnySharePointMigrationTaskParameters::SharePointSiteMigrationTaskParameters(
                _,
            )) => "site",
            Some(AnySharePointMigrationTaskParameters::SharePointGroupMigrationTaskParameters(
                _,
            )) => "group",
            other => panic!("a documented task with parameters {other:?}"),
        });
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["group", "site", "user"]
    );
}

#[test]
fn unknown_properties_odata_types_and_enum_members_survive() {
    let original = json!({
        "id": "t1",
        "status": "someFutureStatus",
        "brandNewProperty": {"nested": [1, 2, 3]},
        "parameters": {
            "@odata.type": "#microsoft.graph.sharePointFutureMigrationTaskParameters",
            "sourceSiteUrl": "https://contoso.sharepoint.com/sites/a",
            "futureField": true
        }
    });
    let task: SharePointMigrationTask = serde_json::from_value(original.clone()).unwrap();
    match task.parameters.get().unwrap() {
        AnySharePointMigrationTaskParameters::SharePointMigrationTaskParameters(base) => {
            assert_eq!(
                base.odata_type.as_deref(),
                Some("#microsoft.graph.sharePointFutureMigrationTaskParameters")
            );
            assert_eq!(
                base.source_site_url.get().map(String::as_str),
                Some("https://contoso.sharepoint.com/sites/a")
            );
        }
        other => panic!("unknown derived type must fall back to the base type, got {other:?}"),
    }
    assert_eq!(serde_json::to_value(&task).unwrap(), original);
}

#[test]
fn derived_types_are_encoded_with_their_odata_type() {
    use graph_migrations::models::SharePointSiteMigrationTaskParameters;
    let params = SharePointSiteMigrationTaskParameters::new()
        .with_source_site_url("https://contoso.sharepoint.com/sites/IT".to_string())
        .with_target_site_url("https://fabrikam.sharepoint.com/sites/IT".to_string());
    let task = SharePointMigrationTask::new()
        .with_parameters(AnySharePointMigrationTaskParameters::from(params));
    assert_eq!(
        serde_json::to_value(&task).unwrap(),
        json!({"parameters": {
            "@odata.type": "#microsoft.graph.sharePointSiteMigrationTaskParameters",
            "sourceSiteUrl": "https://contoso.sharepoint.com/sites/IT",
            "targetSiteUrl": "https://fabrikam.sharepoint.com/sites/IT"
        }})
    );
}

#[test]
fn patch_bodies_send_only_what_was_set_and_explicit_nulls() {
    #[allow(deprecated)]
    let job = graph_migrations::models::CrossTenantMigrationJob::new()
        .with_display_name("renamed".to_string())
        .with_message_null();
    assert_eq!(
        serde_json::to_value(&job).unwrap(),
        json!({"displayName": "renamed", "message": null})
    );
}

#[test]
fn enum_members_match_case_insensitively_and_keep_unknown_strings() {
    #[allow(deprecated)]
    {
        let s: CrossTenantMigrationJobStatus = serde_json::from_value(json!("Completed")).unwrap();
        assert_eq!(s, CrossTenantMigrationJobStatus::Completed);
        assert_eq!(serde_json::to_value(&s).unwrap(), json!("completed"));
        let u: CrossTenantMigrationJobStatus =
            serde_json::from_value(json!("quantumTunnelling")).unwrap();
        assert_eq!(
            u,
            CrossTenantMigrationJobStatus::UnknownValue("quantumTunnelling".into())
        );
        assert_eq!(
            serde_json::to_value(&u).unwrap(),
            json!("quantumTunnelling")
        );
    }
}
