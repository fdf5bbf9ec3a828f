//! The facts of many pages → one [`DocsFacts`]. Pages are read in
//! precedence order (current docs, saved copies, older versions); a later
//! page only fills what the earlier ones leave out, so an older page never
//! overrides a newer one, and nothing the newer page says is lost.

use super::extract::{PageFacts, extract, extract_rendered, looks_rendered};
use super::facts::*;
use super::lookup::{normalise_path, same_path};
use super::page;
use super::select::Selected;

/// Parses, extracts and merges the selected pages.
pub fn build(source: &str, pages: &[Selected]) -> DocsFacts {
    let mut ordered: Vec<&Selected> = pages.iter().collect();
    ordered.sort_by(|a, b| (a.precedence, &a.path).cmp(&(b.precedence, &b.path)));
    let mut facts = DocsFacts {
        format: FORMAT,
        source: source.to_string(),
        ..DocsFacts::default()
    };
    // Methods tables link the page that documents an operation first (the
    // "Create or update" page before a separate create page).
    let mut linked: Vec<String> = Vec::new();
    let extracted: Vec<PageFacts> = ordered
        .iter()
        .map(|s| {
            let pf = if looks_rendered(&s.text) {
                extract_rendered(&s.path, &s.text, s.precedence)
            } else {
                extract(&page::parse(&s.path, &s.text), s.precedence)
            };
            for (_, t) in &pf.types {
                linked.extend(t.methods.iter().map(|m| m.page.clone()));
            }
            pf
        })
        .collect();
    let mut ops: Vec<(Precedence, bool, OperationDoc)> = Vec::new();
    for (s, pf) in ordered.iter().zip(extracted) {
        if let Some(info) = pf.info {
            facts.pages.insert(s.path.clone(), info);
        }
        facts.warnings.extend(pf.warnings);
        for (name, doc) in pf.types {
            merge_type(facts.types.entry(name).or_default(), doc);
        }
        if let Some(op) = pf.operation {
            let is_linked = linked.contains(&op.page);
            ops.push((s.precedence, !is_linked, op));
        }
    }
    ops.sort_by(|a, b| (a.0, a.1, &a.2.page).cmp(&(b.0, b.1, &b.2.page)));
    let mut merged: Vec<OperationDoc> = Vec::new();
    for (_, _, op) in ops {
        let key = op_key(&op);
        match merged
            .iter_mut()
            .find(|m| key.is_some() && op_key(m) == key)
        {
            Some(m) => merge_operation(m, op),
            None => merged.push(op),
        }
    }
    merged.sort_by(|a, b| (op_key(a), &a.page).cmp(&(op_key(b), &b.page)));
    shared_roles(&mut merged);
    facts.operations = merged;
    facts.warnings.sort();
    facts.warnings.dedup();
    facts
}

/// Pages that take their roles from the same include name the same roles:
/// a page that shows them (rendered) lends them to the others.
fn shared_roles(ops: &mut [OperationDoc]) {
    let known: Vec<(String, Vec<Text>)> = ops
        .iter()
        .filter(|o| !o.roles.is_empty())
        .filter_map(|o| Some((o.roles_include.as_ref()?.text.clone(), o.roles.clone())))
        .collect();
    for op in ops.iter_mut().filter(|o| o.roles.is_empty()) {
        if let Some(include) = &op.roles_include
            && let Some((_, roles)) = known.iter().find(|(i, _)| i == &include.text)
        {
            op.roles = roles.clone();
        }
    }
}

/// `(METHOD, normalised path)` of the first request line.
fn op_key(op: &OperationDoc) -> Option<(String, String)> {
    op.http_requests
        .first()
        .map(|r| (r.method.clone(), normalise_path(&r.path)))
}

fn merge_type(into: &mut TypeDoc, from: TypeDoc) {
    let fresh = into.at.is_none() && into.properties.is_empty() && into.members.is_empty();
    if fresh {
        let members = std::mem::take(&mut into.members);
        *into = from;
        for (k, v) in members {
            into.members.entry(k).or_insert(v);
        }
        return;
    }
    let had_page = into.at.is_some();
    fill(&mut into.qualified_name, from.qualified_name);
    fill(&mut into.at, from.at);
    fill(&mut into.description, from.description);
    fill(&mut into.base_type, from.base_type);
    fill(&mut into.json_representation, from.json_representation);
    // Properties an older page lists but the current one does not may have
    // been removed: only descriptions of known properties are filled in.
    for (name, p) in from.properties {
        if let Some(mine) = into.properties.get_mut(&name) {
            fill(&mut mine.description, p.description);
        } else if !had_page {
            into.properties.insert(name, p);
        }
    }
    for (name, m) in from.members {
        into.members.entry(name).or_insert(m);
    }
    if into.methods.is_empty() {
        into.methods = from.methods;
    }
}

fn merge_operation(into: &mut OperationDoc, from: OperationDoc) {
    into.also.push(from.page.clone());
    fill(&mut into.title, from.title);
    fill(&mut into.summary, from.summary);
    fill(&mut into.permissions_include, from.permissions_include);
    fill(&mut into.roles_include, from.roles_include);
    fill(&mut into.success_status, from.success_status);
    fill(&mut into.national_clouds, from.national_clouds);
    fill_vec(&mut into.permissions, from.permissions);
    fill_vec(&mut into.roles, from.roles);
    into.todo_rows.extend(
        from.request_body
            .iter()
            .chain(&from.function_parameters)
            .filter(|p| p.todo)
            .cloned(),
    );
    fill_vec(&mut into.request_body, from.request_body);
    fill_vec(&mut into.function_parameters, from.function_parameters);
    fill_vec(&mut into.errors, from.errors);
    into.no_request_body |= from.no_request_body && into.request_body.is_empty();
    for r in from.http_requests {
        if !into
            .http_requests
            .iter()
            .any(|m| m.method == r.method && same_path(&m.path, &r.path))
        {
            into.http_requests.push(r);
        }
    }
    // Examples and TODOs of every page are kept (each is a fact of its
    // own), except those of a copy of a page already merged.
    let copy = std::iter::once(&into.page)
        .chain(&into.also)
        .any(|p| p != &from.page && stem(p) == stem(&from.page));
    if !copy {
        into.examples.extend(from.examples);
        into.todos.extend(from.todos);
        into.todos.sort();
    }
}

fn stem(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn fill<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

fn fill_vec<T>(slot: &mut Vec<T>, value: Vec<T>) {
    if slot.is_empty() {
        *slot = value;
    }
}
