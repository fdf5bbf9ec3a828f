//! The watch list: elements the documentation marks TODO or shows only with
//! placeholder example values (`"String (timestamp)"`), each with its
//! current shape. A regeneration that changes one of them is reviewed on
//! its own (the snapshot of this list, and the first section of the diff).

use std::collections::BTreeMap;

use super::{Plan, StructKind};
use crate::docs::{DocsFacts, OperationDoc, same_path};
use crate::model::{Model, TypeKind};

/// One unsettled element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsettled {
    /// `microsoft.graph.crossTenantMigrationTask/taskType`.
    pub element: String,
    /// `Edm.String, nullable`, or that the metadata lacks it.
    pub shape: String,
    /// The Rust field type, when the SDK has the element.
    pub rust: Option<String>,
    pub description: Option<String>,
    /// Why it is unsettled, with where the documentation says so.
    pub reasons: Vec<String>,
}

pub(super) fn unsettled(plan: &Plan, model: &Model, docs: &DocsFacts) -> Vec<Unsettled> {
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (type_name, t) in &docs.types {
        let Some(qualified) = qualify(model, t.qualified_name.as_deref().unwrap_or(type_name))
        else {
            continue;
        };
        for (name, p) in t.properties.iter().chain(&t.relationships) {
            if p.todo {
                found
                    .entry(format!("{qualified}/{name}"))
                    .or_default()
                    .push(format!("marked TODO at {}", p.at));
            }
        }
    }
    let called = crate::docs::check::called_operations(model, &docs.operations);
    for (op, action) in docs.operations.iter().zip(called) {
        if let Some(action) = action {
            operation_rows(model, op, action, &mut found);
            continue;
        }
        let Some(ty) = operation_type(plan, op) else {
            continue;
        };
        for p in op.request_body.iter().chain(&op.todo_rows) {
            if p.todo {
                found
                    .entry(format!("{ty}/{}", p.name))
                    .or_default()
                    .push(format!("request body row marked TODO at {}", p.at));
            }
        }
        for todo in &op.todos {
            let Some((_, path, value)) = placeholder(&todo.text) else {
                continue;
            };
            if let Some(element) = resolve(model, &ty, path) {
                found
                    .entry(element)
                    .or_default()
                    .push(format!("placeholder example value {value} at {}", todo.at));
            }
        }
    }
    found
        .into_iter()
        .map(|(element, mut reasons)| {
            reasons.sort();
            reasons.dedup();
            let (owner, property) = element.split_once('/').unwrap_or((&element, ""));
            let declared = model
                .all_properties(owner)
                .into_iter()
                .find(|p| p.name == property)
                .map(|p| (p.ty.to_string(), p.nullable))
                .or_else(|| {
                    model
                        .all_navigation_properties(owner)
                        .into_iter()
                        .find(|n| n.name == property)
                        .map(|n| (n.ty.to_string(), n.nullable))
                });
            // An action's parameter (`microsoft.graph.validate/x`).
            let declared = declared.or_else(|| {
                model
                    .operations
                    .iter()
                    .filter(|o| o.name == owner)
                    .flat_map(|o| &o.parameters)
                    .find(|p| p.name == property)
                    .map(|p| (p.ty.to_string(), p.nullable))
            });
            let shape = match declared {
                Some((ty, nullable)) => {
                    format!("{ty}, {}", if nullable { "nullable" } else { "not nullable" })
                }
                None => "not declared in the metadata".to_string(),
            };
            let field = plan
                .structs
                .iter()
                .find(|s| matches!(&s.kind, StructKind::ODataType { odata_name } if odata_name == owner))
                .and_then(|s| s.fields.iter().find(|f| f.json == property));
            Unsettled {
                rust: field.map(|f| format!("Field<{}>", f.ty)),
                description: field.and_then(|f| f.docs.summary()),
                shape,
                reasons,
                element,
            }
        })
        .collect()
}

/// `microsoft.graph.x` for a local or qualified name the model has.
fn qualify(model: &Model, name: &str) -> Option<String> {
    let local = name.rsplit('.').next().unwrap_or(name);
    model
        .structs
        .keys()
        .find(|q| q.rsplit('.').next() == Some(local))
        .cloned()
}

/// The entity type a documented request reads or writes: what the SDK's
/// endpoint for it returns.
fn operation_type(plan: &Plan, op: &OperationDoc) -> Option<String> {
    let endpoint = plan
        .builders
        .iter()
        .flat_map(|b| &b.methods)
        .flat_map(|m| &m.endpoints)
        .find(|e| {
            op.http_requests
                .iter()
                .any(|r| r.method.eq_ignore_ascii_case(e.http) && same_path(&r.path, &e.template))
        })?;
    let returns = endpoint.returns.as_str();
    let inner = returns
        .strip_prefix("Collection(")
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(returns);
    (inner != "None" && !inner.starts_with("Edm.")).then(|| inner.to_string())
}

/// `placeholder value in the request example: $.a.b = "String"` →
/// (`request`, `$.a.b`, `"String"`).
fn placeholder(text: &str) -> Option<(&str, &str, &str)> {
    let rest = text.strip_prefix("placeholder value in the ")?;
    let (kind, assignment) = rest.split_once(": ")?;
    let kind = kind.strip_suffix(" example").unwrap_or(kind);
    let (path, value) = assignment.split_once(" = ")?;
    Some((kind, path, value))
}

/// The unsettled rows of a documented action or function: its request body
/// rows and request example values are its parameters
/// (`microsoft.graph.validate/x`), its response example values belong to
/// what it returns.
fn operation_rows(
    model: &Model,
    op: &OperationDoc,
    called: &crate::model::OperationDef,
    found: &mut BTreeMap<String, Vec<String>>,
) {
    for p in op.request_body.iter().chain(&op.todo_rows) {
        if p.todo {
            found
                .entry(format!("{}/{}", called.name, p.name))
                .or_default()
                .push(format!("request body row marked TODO at {}", p.at));
        }
    }
    let returns = called
        .return_type
        .as_ref()
        .and_then(|r| r.ty.kind.structured_name());
    for todo in &op.todos {
        let Some((kind, path, value)) = placeholder(&todo.text) else {
            continue;
        };
        let element = if kind == "request" {
            let first = path.strip_prefix("$.").unwrap_or(path);
            let (name, rest) = first.split_once('.').unwrap_or((first, ""));
            let name = name.split('[').next().unwrap_or(name);
            called.parameters.iter().find(|p| p.name == name).map(|p| {
                match p.ty.kind.structured_name() {
                    Some(complex) if !rest.is_empty() => {
                        resolve(model, complex, &format!("$.{rest}"))
                            .unwrap_or_else(|| format!("{}/{name}", called.name))
                    }
                    _ => format!("{}/{name}", called.name),
                }
            })
        } else {
            returns.and_then(|ty| resolve(model, ty, path))
        };
        if let Some(element) = element {
            found
                .entry(element)
                .or_default()
                .push(format!("placeholder example value {value} at {}", todo.at));
        }
    }
}

/// The property a JSON path of an example names, from the request's type
/// (`$.value[0].x` of a collection is the items' `x`).
fn resolve(model: &Model, ty: &str, path: &str) -> Option<String> {
    let mut owner = ty.to_string();
    let mut element = None;
    for segment in path.strip_prefix("$.")?.split('.') {
        let name = segment.split('[').next().unwrap_or(segment);
        if element.is_none() && name == "value" && segment.contains('[') {
            continue;
        }
        let ty = model
            .all_properties(&owner)
            .into_iter()
            .find(|p| p.name == name)
            .map(|p| p.ty.clone())
            .or_else(|| {
                model
                    .all_navigation_properties(&owner)
                    .into_iter()
                    .find(|n| n.name == name)
                    .map(|n| n.ty.clone())
            });
        element = Some(format!("{owner}/{name}"));
        match ty.map(|t| t.kind) {
            Some(TypeKind::Complex(n) | TypeKind::Entity(n)) => owner = n,
            _ => break,
        }
    }
    element
}
