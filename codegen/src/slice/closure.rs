//! Which elements of a model a slice keeps: the containers on the included
//! paths, the types those paths expose and everything those types need.

use std::collections::{BTreeMap, BTreeSet};

use super::SliceConfig;
use crate::csdl::syntax::{Annotation, Pos, StructuredKind};
use crate::csdl::{Diagnostic, Diagnostics};
use crate::diagnostic::did_you_mean;
use crate::model::paths::{self, PathNode, SegmentKind};
use crate::model::{Model, OperationDef, TypeRef};

/// The elements a slice keeps, by qualified name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Enum types, type definitions and structured types kept whole
    /// (navigation properties aside, see `navigations`).
    pub types: BTreeSet<String>,
    /// Structured types that only lead to included paths: they keep their
    /// key and the navigation properties on those paths, nothing else.
    pub containers: BTreeSet<String>,
    /// The navigation properties kept on each structured type.
    pub navigations: BTreeMap<String, BTreeSet<String>>,
    /// Operation overloads, by [`OperationDef::signature`].
    pub operations: BTreeSet<String>,
    pub singletons: BTreeSet<String>,
    pub entity_sets: BTreeSet<String>,
    /// Terms defined in the document that kept annotations use.
    pub terms: BTreeSet<String>,
    /// Included resource paths (templates), sorted.
    pub paths: Vec<String>,
}

impl Selection {
    pub fn keeps_type(&self, name: &str) -> bool {
        self.types.contains(name) || self.containers.contains(name)
    }

    /// Whether an overload is kept. Its name is checked first: the full
    /// schema has thousands of operations, few kept, and a signature is a
    /// string to build.
    pub fn keeps_operation(&self, op: &OperationDef) -> bool {
        self.keeps_operation_named(&op.name) && self.operations.contains(&op.signature())
    }

    /// Whether some overload of the operation with this qualified name is
    /// kept. Signatures are `name(...)`, and no character of a name sorts
    /// below `(`: the first signature at or after `name` tells.
    pub fn keeps_operation_named(&self, name: &str) -> bool {
        use std::ops::Bound;
        self.operations
            .range::<str, _>((Bound::Included(name), Bound::Unbounded))
            .next()
            .and_then(|s| s.strip_prefix(name))
            .is_some_and(|rest| rest.starts_with('('))
    }
}

pub fn select(model: &Model, config: &SliceConfig) -> Result<Selection, Diagnostics> {
    check_roots(model, config)?;
    let mut sel = Selection::default();
    let mut included_nodes: Vec<PathNode> = Vec::new();
    let mut visited: Vec<PathNode> = Vec::new();
    let over_budget = std::cell::Cell::new(false);
    paths::walk(
        model,
        &mut |node| !over_budget.get() && config.may_include_below(&node.segment_texts()),
        &mut |node| {
            if visited.len() == config.max_paths {
                over_budget.set(true);
            } else {
                visited.push(node.clone());
            }
        },
    );
    if over_budget.get() {
        return Err(too_many_paths(model, config, &visited));
    }
    for node in &visited {
        let included = config.includes(&node.segment_texts());
        let first = &node.segments[0];
        match first.kind {
            SegmentKind::Singleton => sel.singletons.insert(first.text.clone()),
            SegmentKind::EntitySet => sel.entity_sets.insert(first.text.clone()),
            _ => false,
        };
        if let Some(last) = node.segments.last()
            && let SegmentKind::Navigation { owner, .. } = &last.kind
        {
            sel.navigations
                .entry(owner.clone())
                .or_default()
                .insert(last.text.clone());
        }
        if included {
            included_nodes.push(node.clone());
        } else {
            sel.containers.insert(node.ty.clone());
        }
        // Bound operations are paths of their own: `/jobs/{id}/migrate`.
        for op in model.bound_operations(&node.ty, node.collection) {
            let seg = paths::operation_segment(model, op);
            let mut segs = node.segment_texts();
            segs.push(&seg);
            if config.includes(&segs) {
                sel.operations.insert(op.signature());
                included_nodes.push(node.clone());
            }
        }
    }
    if included_nodes.is_empty() {
        let patterns: Vec<&str> = config.include.iter().map(|p| p.as_str()).collect();
        return Err(Diagnostic::error(
            config.file.clone(),
            Pos { line: 1, col: 1 },
            format!(
                "the include paths {patterns:?} match no path of {}",
                model.file
            ),
        )
        .into());
    }
    let mut paths: BTreeSet<String> = BTreeSet::new();
    let mut work: Vec<String> = Vec::new();
    for node in &included_nodes {
        if config.includes(&node.segment_texts()) {
            paths.insert(node.template());
        }
        work.push(node.ty.clone());
        // A navigation target may hold any derived type.
        work.extend(
            model
                .derived_closure(&node.ty)
                .into_iter()
                .map(str::to_string),
        );
    }
    sel.paths = paths.into_iter().collect();
    for op in model.operations.iter().filter(|o| sel.keeps_operation(o)) {
        work.extend(operation_types(model, op));
    }
    close_types(model, &mut sel, work);
    // Containers that are also needed whole are kept whole.
    let whole = sel.types.clone();
    sel.containers.retain(|c| !whole.contains(c));
    for c in sel.containers.clone() {
        // Base types of containers carry the key: keep them whole.
        let bases: Vec<String> = model
            .base_chain(&c)
            .iter()
            .map(|s| s.name.clone())
            .filter(|n| *n != c)
            .collect();
        close_types(model, &mut sel, bases);
    }
    sel.terms = used_terms(model, &sel);
    super::check_externals(model, &sel)?;
    Ok(sel)
}

fn operation_types(model: &Model, op: &OperationDef) -> Vec<String> {
    let mut refs: Vec<&TypeRef> = op.parameters.iter().map(|p| &p.ty).collect();
    refs.extend(op.return_type.as_ref().map(|r| &r.ty));
    let mut out = Vec::new();
    for r in refs {
        if let Some(n) = r.kind.defined_name() {
            out.push(n.to_string());
            out.extend(model.derived_closure(n).into_iter().map(str::to_string));
        }
    }
    out
}

/// Adds the types in `work` and everything they need: base types,
/// property types, and the derived types of every polymorphically used type.
fn close_types(model: &Model, sel: &mut Selection, mut work: Vec<String>) {
    while let Some(name) = work.pop() {
        if !sel.types.insert(name.clone()) {
            continue;
        }
        if let Some(td) = model.type_definitions.get(&name) {
            let _ = td;
            continue;
        }
        let Some(s) = model.struct_def(&name) else {
            continue; // enum
        };
        if let Some(b) = &s.base_type {
            work.push(b.clone());
        }
        for p in &s.properties {
            if let Some(n) = p.ty.kind.defined_name() {
                work.push(n.to_string());
                if p.ty.kind.structured_name().is_some() {
                    work.extend(model.derived_closure(n).into_iter().map(str::to_string));
                }
            }
        }
        match s.kind {
            // Entity types reached only through property closure keep no
            // navigation properties unless a path put them there.
            StructuredKind::Entity => {
                sel.navigations.entry(name.clone()).or_default();
            }
            // A complex type's navigation properties are part of its value
            // (an action's result may be nothing else): no path reaches
            // them, so they are kept with the type, and their targets too.
            StructuredKind::Complex => {
                let kept = sel.navigations.entry(name.clone()).or_default();
                for n in &s.navigation_properties {
                    kept.insert(n.name.clone());
                    if let Some(target) = n.ty.kind.structured_name() {
                        work.push(target.to_string());
                        work.extend(
                            model
                                .derived_closure(target)
                                .into_iter()
                                .map(str::to_string),
                        );
                    }
                }
            }
        }
    }
}

fn used_terms(model: &Model, sel: &Selection) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    fn scan(model: &Model, out: &mut BTreeSet<String>, anns: &[Annotation]) {
        for a in anns {
            let q = model.qualify(&a.term);
            if model.terms.contains_key(&q) {
                out.insert(q);
            }
            scan(model, out, &a.annotations);
        }
    }
    let mut scan = |anns: &[Annotation]| scan(model, &mut out, anns);
    for name in sel.types.iter().chain(&sel.containers) {
        if let Some(e) = model.enums.get(name) {
            scan(&e.annotations);
            e.members.iter().for_each(|m| scan(&m.annotations));
        }
        if let Some(s) = model.structs.get(name) {
            scan(&s.annotations);
            s.properties.iter().for_each(|p| scan(&p.annotations));
            s.navigation_properties
                .iter()
                .for_each(|p| scan(&p.annotations));
        }
    }
    for op in model.operations.iter().filter(|o| sel.keeps_operation(o)) {
        scan(&op.annotations);
        if let Some(r) = &op.return_type {
            scan(&r.annotations);
        }
    }
    out
}

/// The error for a slice that reaches more than `config.max_paths` paths:
/// at the include pattern that matched most of them, with the prefixes that
/// hold the most, so that the user can see what to narrow or exclude.
fn too_many_paths(model: &Model, config: &SliceConfig, visited: &[PathNode]) -> Diagnostics {
    let matching = |p: &super::PathPattern| {
        visited
            .iter()
            .filter(|n| p.matches(&n.segment_texts()))
            .count()
    };
    let widest = config
        .include
        .iter()
        .max_by_key(|p| matching(p))
        .expect("a configuration has include patterns");
    let mut by_prefix: BTreeMap<String, usize> = BTreeMap::new();
    for node in visited {
        let prefix: Vec<&str> = node.segment_texts().into_iter().take(2).collect();
        *by_prefix
            .entry(format!("/{}", prefix.join("/")))
            .or_default() += 1;
    }
    let mut largest: Vec<(String, usize)> = by_prefix.into_iter().collect();
    largest.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let listed: Vec<String> = largest
        .iter()
        .take(5)
        .map(|(prefix, n)| format!("{prefix} ({n})"))
        .collect();
    let deepest = visited
        .iter()
        .max_by_key(|n| n.segments.len())
        .map(|n| n.segments.len())
        .unwrap_or(0);
    Diagnostic::error(
        config.file.clone(),
        widest.pos(),
        format!(
            "include path \"{}\" reaches more than {} URL paths of {} (containment nests \
             {deepest} segments deep before the walk stopped): narrow it, add exclude \
             patterns, or raise max_paths in the slice configuration; most of the first {} \
             paths are under {}",
            widest.as_str(),
            config.max_paths,
            model.file,
            visited.len(),
            listed.join(", ")
        ),
    )
    .into()
}

/// A pattern whose literal prefix names no path gets a located explanation:
/// which segment is missing and what exists there instead.
fn check_roots(model: &Model, config: &SliceConfig) -> Result<(), Diagnostics> {
    let mut errors = Vec::new();
    // An exclude is checked as an include is: a misspelled one excludes
    // nothing, and the slice would silently hold what it was meant to keep out.
    let patterns = (config.include.iter().map(|p| ("include", p)))
        .chain(config.exclude.iter().map(|p| ("exclude", p)));
    for (kind, pattern) in patterns {
        let literal = pattern.literal_prefix();
        if literal.is_empty() {
            continue;
        }
        let mut found_depth = 0;
        let mut options_at_miss: Vec<String> = Vec::new();
        let mut complete = false;
        let mut visited: Vec<Vec<String>> = Vec::new();
        paths::walk(
            model,
            &mut |node| {
                let segs = node.segment_texts();
                segs.len() <= literal.len()
                    && segs[..segs.len() - 1]
                        .iter()
                        .zip(&literal)
                        .all(|(a, b)| a.split('(').next() == Some(*b))
            },
            &mut |node| visited.push(node.segment_texts().iter().map(|s| s.to_string()).collect()),
        );
        for segs in &visited {
            let matched = segs
                .iter()
                .zip(&literal)
                .take_while(|(a, b)| a == *b)
                .count();
            if matched == literal.len() {
                complete = true;
            }
            found_depth = found_depth.max(matched);
        }
        if complete {
            continue;
        }
        for segs in &visited {
            if segs.len() == found_depth + 1
                && segs[..found_depth]
                    .iter()
                    .zip(&literal)
                    .all(|(a, b)| a == b)
            {
                options_at_miss.push(segs[found_depth].clone());
            }
        }
        if found_depth == 0 {
            options_at_miss = model
                .singletons
                .keys()
                .chain(model.entity_sets.keys())
                .cloned()
                .collect();
        }
        options_at_miss.sort();
        options_at_miss.dedup();
        let missing = literal[found_depth];
        let parent = if found_depth == 0 {
            "the entity container".to_string()
        } else {
            format!("/{}", literal[..found_depth].join("/"))
        };
        let hint = did_you_mean(missing, options_at_miss.iter().map(String::as_str))
            .map(|s| format!("; did you mean \"{s}\"?"))
            .unwrap_or_default();
        // "Closest" means most similar to the missing segment, not first in
        // alphabetical order: a schema may have dozens of names there.
        let wanted = missing.to_ascii_lowercase();
        let similarity = |c: &str| strsim::jaro_winkler(&wanted, &c.to_ascii_lowercase());
        options_at_miss.sort_by(|a, b| {
            similarity(b)
                .total_cmp(&similarity(a))
                .then_with(|| a.cmp(b))
        });
        let shown: Vec<&str> = options_at_miss
            .iter()
            .take(12)
            .map(String::as_str)
            .collect();
        let more = if options_at_miss.len() > 12 {
            format!(" and {} more", options_at_miss.len() - 12)
        } else {
            String::new()
        };
        errors.push(Diagnostic::error(
            config.file.clone(),
            pattern.pos(),
            format!(
                "{kind} path \"{}\" does not resolve in {}: segment \"{missing}\" is not found under {parent}{hint} (closest existing: {}{more})",
                pattern.as_str(),
                model.file,
                shown.join(", ")
            ),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_found_by_name_without_their_signature() {
        let sel = Selection {
            operations: [
                "ns.migrate(ns.job)",
                "ns.migrateAll()",
                "ns.x.cancel(ns.job,Edm.String)",
            ]
            .map(String::from)
            .into(),
            ..Selection::default()
        };
        for (name, kept) in [
            ("ns.migrate", true),
            ("ns.migrateAll", true),
            ("ns.x.cancel", true),
            ("ns.migrat", false),
            ("ns.migrateA", false),
            ("ns.x", false),
            ("ns.cancel", false),
            ("zz", false),
            ("", false),
        ] {
            assert_eq!(sel.keeps_operation_named(name), kept, "{name}");
        }
    }
}
