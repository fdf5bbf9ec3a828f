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
use migrations_codegen::docs::{Example, normalise_path};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

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

/// The SDK type of each documented body, by the name the API surface gives
/// it. A documented operation on a type missing here fails the test with
/// the name to add.
fn entity_round_trip(type_name: &str, json: &str) -> Option<Result<Value, String>> {
    Some(match type_name {
        "microsoft.graph.crossTenantMigrationJob" => through::<CrossTenantMigrationJob>(json),
        "microsoft.graph.crossTenantMigrationTask" => through::<CrossTenantMigrationTask>(json),
        "microsoft.graph.crossTenantMigrationCancelResponse" => {
            through::<CrossTenantMigrationCancelResponse>(json)
        }
        "microsoft.graph.sharePointMigrationTask" => through::<SharePointMigrationTask>(json),
        "microsoft.graph.sharePointUserIdentityMapping" => {
            through::<SharePointUserIdentityMapping>(json)
        }
        "microsoft.graph.sharePointGroupIdentityMapping" => {
            through::<SharePointGroupIdentityMapping>(json)
        }
        _ => return None,
    })
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
    let items = page["value"].as_array().ok_or("a delta payload without `value`")?;
    let mut changes = Vec::new();
    for item in items {
        let mut item = item.as_object().ok_or("a delta item is not an object")?.clone();
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
    Some(match type_name {
        "microsoft.graph.sharePointUserIdentityMapping" => {
            delta_round_trip::<SharePointUserIdentityMapping>(json)
        }
        "microsoft.graph.sharePointGroupIdentityMapping" => {
            delta_round_trip::<SharePointGroupIdentityMapping>(json)
        }
        _ => return None,
    })
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
        (Value::String(doc), Value::String(ours)) if doc != ours && doc.eq_ignore_ascii_case(ours) => {
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
    fn count(&self, class: &str) -> usize {
        self.0.get(class).map_or(0, Vec::len)
    }
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
        tally.add("not JSON (trailing commas): rejected with a decode error", e.at.to_string());
        repair_trailing_commas(text)
    };
    let mut expected: Value =
        serde_json::from_str(&text).map_err(|err| format!("the repaired JSON: {err}"))?;
    let (class, written) = match (e.kind.as_str(), body_of(surface)) {
        ("response", _) if surface.returns.starts_with("Collection(") => {
            let item = &surface.returns["Collection(".len()..surface.returns.len() - 1];
            ("response: collection decoded and round-tripped", collection_round_trip(item, &text))
        }
        ("response", _) => (
            "response: entity decoded and round-tripped",
            entity_round_trip(&surface.returns, &text),
        ),
        ("request", Body::Entity(t)) => ("request: entity body built from SDK types", entity_round_trip(t, &text)),
        ("request", Body::Delta(t)) => ("request: delta payload built from SDK types", delta_body(t, &text)),
        ("request", Body::Parameters(call)) => (
            "request: action parameters built from SDK types",
            parameters_round_trip(call, &text),
        ),
        (kind, _) => return Err(format!("an example of kind {kind:?}")),
    };
    let written = written.ok_or_else(|| {
        format!(
            "no SDK type for `{}` ({}) in this test's tables: add it",
            surface.returns, surface.call
        )
    })??;
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
            let method = e
                .http_line
                .as_deref()
                .and_then(|l| l.split_whitespace().next())
                .filter(|m| m.chars().all(|c| c.is_ascii_uppercase()));
            let request = op
                .http_requests
                .iter()
                .find(|r| method.is_none_or(|m| r.method == m))
                .or(op.http_requests.first());
            let Some(request) = request else {
                failures.push(format!("{}: the operation documents no HTTP request", e.at));
                continue;
            };
            let path = normalise_path(&request.path);
            let Some(s) = surface
                .iter()
                .find(|s| s.method == request.method && s.path == path)
            else {
                failures.push(format!(
                    "{}: `{} {}` is not in metadata/api-surface.txt",
                    e.at, request.method, request.path
                ));
                continue;
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
            ("not JSON (trailing commas): rejected with a decode error", 4),
            ("request without a body", 0),
            ("response without a body", 0),
        ]),
        "the number of documented examples per class changed: {tally:#?}"
    );
    assert!(!enum_case.is_empty(), "the docs write enum members in other cases; this test must see them");
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
            Some(AnySharePointMigrationTaskParameters::SharePointUserMigrationTaskParameters(_)) => "user",
            Some(AnySharePointMigrationTaskParameters::SharePointSiteMigrationTaskParameters(_)) => "site",
            Some(AnySharePointMigrationTaskParameters::SharePointGroupMigrationTaskParameters(_)) => "group",
            other => panic!("a documented task with parameters {other:?}"),
        });
    }
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), ["group", "site", "user"]);
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
fn odata_type_without_hash_and_in_other_case_selects_the_variant() {
    let task: SharePointMigrationTask = serde_json::from_value(json!({
        "parameters": {"@odata.type": "Microsoft.Graph.SharePointSiteMigrationTaskParameters", "sourceSiteUrl": "x"}
    }))
    .unwrap();
    assert!(matches!(
        task.parameters.get(),
        Some(AnySharePointMigrationTaskParameters::SharePointSiteMigrationTaskParameters(_))
    ));
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
