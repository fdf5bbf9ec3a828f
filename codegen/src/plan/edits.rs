//! Edits of fetched values: for every type a `PATCH` updates, which of its
//! properties an edit may change and why each other one may not. An edit
//! sends only what changed from the fetched value, and has no setter for a
//! read-only property: setting one is a compile error, not a 400.

use super::types::setter_docs;
use super::{
    Docs, EditPlan, EditSetter, MethodKind, Plan, ReadOnlyField, RustType, StructKind, StructPlan,
};
use crate::csdl::{Diagnostic, Diagnostics};
use crate::docs::{DocsFacts, ParamDoc};
use crate::model::{Model, vocab};

/// Adds an edit to every struct some `PATCH` method takes, and points those
/// methods at it.
pub(super) fn plan_edits(plan: &mut Plan, model: &Model, docs: &DocsFacts) {
    let mut updated: Vec<String> = Vec::new();
    for b in &plan.builders {
        for m in &b.methods {
            if let MethodKind::Update { ty, .. } = &m.kind
                && let Some(s) = named_struct(&plan.structs, ty)
            {
                updated.push(s.rust_name.clone());
            }
        }
    }
    for s in &mut plan.structs {
        if !updated.contains(&s.rust_name) {
            continue;
        }
        let StructKind::ODataType { odata_name } = &s.kind else {
            continue;
        };
        let odata_name = odata_name.clone();
        let mut updatable = Vec::new();
        let mut read_only = Vec::new();
        for (i, f) in s.fields.iter().enumerate() {
            match why_read_only(model, docs, &odata_name, &f.json) {
                Some(why) => read_only.push((f.json.clone(), why)),
                None => updatable.push(EditSetter {
                    field: i,
                    docs: setter_docs(
                        format!("Changes `{}`", f.json),
                        &f.docs,
                        &s.rust_name,
                        &f.rust_name,
                    ),
                }),
            }
        }
        let rust_name = format!("{}Edit", s.rust_name);
        let mut d = Docs::line(format!(
            "An edit of a [`{}`] for `PATCH`: only the properties that changed from the fetched value are sent \
             (an explicit `null` where one was cleared), and only properties an update may change have setters.",
            s.rust_name
        ));
        d.paragraph(format!(
            "Start one with [`{0}::edit`] on a fetched value, or [`{rust_name}::new`] for a body built from \
             nothing (only what is set is sent). Nested complex values and collections are sent whole when \
             anything inside them changed: an OData `PATCH` replaces a structured property's value, it does \
             not merge into it. Properties this SDK version does not know (`additional_data`) are sent only \
             when changed.",
            s.rust_name
        ));
        if !read_only.is_empty() {
            let list: Vec<String> = read_only
                .iter()
                .map(|(p, why)| format!("- `{p}`: {why}"))
                .collect();
            d.paragraph(format!(
                "Read-only here, never sent unless insisted on with [`{rust_name}::insist`]:\n{}",
                list.join("\n")
            ));
        }
        s.edit = Some(EditPlan {
            rust_name,
            docs: d,
            updatable,
            read_only,
            send_odata_type: s.any.is_some(),
        });
    }
    // Creating: the properties the service sets itself (computed, or
    // documented read-only) are refused; keys and properties an update may
    // not change may still be given on creation.
    let creates: Vec<(String, Vec<ReadOnlyField>)> = plan
        .structs
        .iter()
        .filter_map(|s| {
            let StructKind::ODataType { odata_name } = &s.kind else {
                return None;
            };
            let read_only = s
                .fields
                .iter()
                .filter_map(|f| {
                    service_set(model, docs, odata_name, &f.json)
                        .map(|why| (f.rust_name.clone(), f.json.clone(), why))
                })
                .collect();
            Some((s.rust_name.clone(), read_only))
        })
        .collect();
    // `structs` and `builders` are separate fields: the lookup reads one
    // while the other is changed.
    let structs = &plan.structs;
    for b in &mut plan.builders {
        for m in &mut b.methods {
            match &mut m.kind {
                MethodKind::Create { ty, read_only } => {
                    if let Some(s) = named_struct(structs, ty)
                        && let Some((_, ro)) = creates.iter().find(|(n, _)| *n == s.rust_name)
                    {
                        *read_only = ro.clone();
                    }
                    if let Some(s) = named_struct(structs, ty)
                        && let [endpoint] = m.endpoints.as_slice()
                        && let Some(table) = create_table(docs, endpoint.http, &endpoint.template)
                    {
                        for f in &s.fields {
                            let listed = table.iter().any(|p| p.name == f.json);
                            if !listed && !read_only.iter().any(|(_, json, _)| *json == f.json) {
                                read_only.push((
                                    f.rust_name.clone(),
                                    f.json.clone(),
                                    format!(
                                        "not among the properties the documentation lets a create set ({})",
                                        table[0].at
                                    ),
                                ));
                            }
                        }
                    }
                }
                MethodKind::Update { ty, edit } => {
                    *edit = named_struct(structs, ty)
                        .and_then(|s| s.edit.as_ref())
                        .map(|e| e.rust_name.clone());
                }
                MethodKind::DeltaUpdate { item, not_sent, .. } => {
                    if let Some(s) = named_struct(structs, item)
                        && let StructKind::ODataType { odata_name } = &s.kind
                    {
                        *not_sent = delta_not_sent(model, docs, odata_name, s);
                        if !not_sent.is_empty() {
                            let list: Vec<String> = not_sent
                                .iter()
                                .map(|(json, why)| format!("`{json}` ({why})"))
                                .collect();
                            m.docs.paragraph(format!(
                                "Never sent in an item, whatever it holds: {}.",
                                list.join("; ")
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// An edit's name (`ThingEdit`) is made up after the types are named: a
/// schema type of that name (`thingEdit` beside an updatable `thing`) would
/// be a second `ThingEdit` in `crate::models`, which does not compile.
pub(super) fn check_edit_names(plan: &Plan, model: &Model) -> Result<(), Diagnostics> {
    let errors: Vec<Diagnostic> = plan
        .structs
        .iter()
        .filter_map(|s| {
            let edit = s.edit.as_ref()?;
            let other = plan.structs.iter().find(|o| o.rust_name == edit.rust_name)?;
            let StructKind::ODataType { odata_name } = &other.kind else {
                return None;
            };
            let pos = model.structs.get(odata_name).map(|d| d.pos).unwrap_or_default();
            Some(Diagnostic::error(
                &model.file,
                pos,
                format!(
                    "\"{odata_name}\" becomes the Rust name \"{}\", which the generator gives the edit of \"{}\"",
                    edit.rust_name, s.rust_name
                ),
            ))
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(errors))
    }
}

/// The struct a request's type names: `crate::models::X`, or the wrapper
/// `crate::models::AnyX` of a type with derived types. Looked up, not
/// derived from the text: a schema may have a type `anyThing` of its own.
fn named_struct<'p>(structs: &'p [StructPlan], ty: &RustType) -> Option<&'p StructPlan> {
    let name = ty.as_str().strip_prefix("crate::models::")?;
    structs
        .iter()
        .find(|s| s.rust_name == name || s.any.as_ref().is_some_and(|a| a.rust_name == name))
}

/// The properties a create request may set, when its page lists them ("You
/// can specify the following properties when creating"): a settled table of
/// the operation's own page. A draft's rows, or a table with a TODO marker,
/// decide nothing (the create-task page is such a draft).
fn create_table<'d>(docs: &'d DocsFacts, http: &str, template: &str) -> Option<&'d [ParamDoc]> {
    let op = docs.operation(http, template)?;
    let table = op.request_body.as_slice();
    let settled = !table.is_empty() && table.iter().all(|p| !p.todo && p.at.page == op.page);
    settled.then_some(table)
}

/// Why the service, not the caller, sets `property` of `owner`: the
/// metadata's `Core.Computed` or the documentation's "Read-only.".
fn service_set(model: &Model, docs: &DocsFacts, owner: &str, property: &str) -> Option<String> {
    if let Some(p) = model
        .all_properties(owner)
        .into_iter()
        .find(|p| p.name == property)
        && vocab::computed(&p.annotations)
    {
        return Some("`Core.Computed` in the metadata".into());
    }
    model.base_chain(owner).into_iter().find_map(|t| {
        docs.property(&t.name, property)
            .filter(|p| p.read_only)
            .map(|p| format!("documented as read-only ({})", p.at))
    })
}

/// What a delta item of `owner` leaves out: what an update may not change,
/// but the key, by which a delta payload may name the entity it changes or
/// removes.
fn delta_not_sent(
    model: &Model,
    docs: &DocsFacts,
    owner: &str,
    s: &super::StructPlan,
) -> Vec<(String, String)> {
    let key = model.key(owner);
    s.fields
        .iter()
        .filter(|f| !key.iter().any(|k| k.name == f.json))
        .filter_map(|f| why_read_only(model, docs, owner, &f.json).map(|why| (f.json.clone(), why)))
        .collect()
}

/// Why an update may not change `property` of `owner`: the metadata or
/// the documentation, cited; `None` when it may.
fn why_read_only(model: &Model, docs: &DocsFacts, owner: &str, property: &str) -> Option<String> {
    if model.key(owner).iter().any(|k| k.name == property) {
        return Some("the key: it names the entity and never changes".into());
    }
    if model
        .all_navigation_properties(owner)
        .iter()
        .any(|n| n.name == property)
    {
        return Some("a navigation property: changed through requests of its own".into());
    }
    if let Some(why) = service_set(model, docs, owner, property) {
        return Some(why);
    }
    if model
        .all_properties(owner)
        .into_iter()
        .any(|p| p.name == property && vocab::immutable(&p.annotations))
    {
        return Some("`Core.Immutable` in the metadata".into());
    }
    if let Some(body) = docs.updatable_properties(owner)
        && !body.is_empty()
        && !body.iter().any(|p| p.name == property)
    {
        let at = &body[0].at;
        return Some(format!(
            "not in the request body of the documented update ({})",
            at.page
        ));
    }
    None
}
