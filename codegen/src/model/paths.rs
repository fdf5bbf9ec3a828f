//! The URL tree of a model: singletons and entity sets, then navigation
//! properties, keys and bound operations below them.
//!
//! The full Graph tree is far too large to enumerate (containment nests
//! deeply), so the walk asks a predicate before descending into a prefix.

use super::{Model, OperationDef};

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SegmentKind {
    Singleton,
    EntitySet,
    /// A navigation property of the previous node's type; `owner` is the
    /// type that declares it (that type or one of its bases).
    Navigation {
        owner: String,
        contained: bool,
    },
    /// `{xId}` after a collection.
    Key,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Segment {
    /// As it appears in a URL template: `crossTenantMigrationJobs` or
    /// `{crossTenantMigrationJobId}`.
    pub text: String,
    pub kind: SegmentKind,
}

/// A resource path: where an entity or a collection of entities lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathNode {
    pub segments: Vec<Segment>,
    /// The entity type addressed.
    pub ty: String,
    pub collection: bool,
}

impl PathNode {
    pub fn template(&self) -> String {
        let mut s = String::new();
        for seg in &self.segments {
            s.push('/');
            s.push_str(&seg.text);
        }
        s
    }

    pub fn segment_texts(&self) -> Vec<&str> {
        self.segments.iter().map(|s| s.text.as_str()).collect()
    }

    fn child(&self, text: String, kind: SegmentKind, ty: &str, collection: bool) -> PathNode {
        let mut segments = self.segments.clone();
        segments.push(Segment { text, kind });
        PathNode {
            segments,
            ty: ty.to_string(),
            collection,
        }
    }
}

/// `{crossTenantMigrationJobId}`: the placeholder the documentation uses.
pub fn key_placeholder(entity_type: &str) -> String {
    let local = entity_type.rsplit('.').next().unwrap_or(entity_type);
    format!("{{{local}Id}}")
}

/// The URL segment a bound operation adds to a path: `cancel`, or a function
/// call in the documentation's syntax, `getBySourceSiteUrl(sourceSiteUrl='{sourceSiteUrl}')`
/// (strings and enum members quoted, other values bare: `top={top}`).
pub fn operation_segment(model: &Model, op: &OperationDef) -> String {
    use crate::csdl::syntax::OperationKind;
    let name = op.short_name();
    if op.kind == OperationKind::Action {
        return name.to_string();
    }
    let args: Vec<String> = op
        .parameters
        .iter()
        .map(|p| {
            if model.quoted_in_urls(&p.ty) {
                format!("{0}='{{{0}}}'", p.name)
            } else {
                format!("{0}={{{0}}}", p.name)
            }
        })
        .collect();
    format!("{name}({})", args.join(","))
}

/// Walks the tree depth first. `descend(prefix)` decides whether anything
/// below `prefix` is of interest; `visit` sees every node it accepted.
pub fn walk(
    model: &Model,
    descend: &mut dyn FnMut(&PathNode) -> bool,
    visit: &mut dyn FnMut(&PathNode),
) {
    let root = PathNode {
        segments: Vec::new(),
        ty: String::new(),
        collection: false,
    };
    for s in model.singletons.values() {
        let node = root.child(s.name.clone(), SegmentKind::Singleton, &s.ty, false);
        walk_node(model, node, descend, visit, &mut Vec::new());
    }
    for es in model.entity_sets.values() {
        let node = root.child(
            es.name.clone(),
            SegmentKind::EntitySet,
            &es.entity_type,
            true,
        );
        walk_node(model, node, descend, visit, &mut Vec::new());
    }
}

fn walk_node(
    model: &Model,
    node: PathNode,
    descend: &mut dyn FnMut(&PathNode) -> bool,
    visit: &mut dyn FnMut(&PathNode),
    on_path: &mut Vec<String>,
) {
    if !descend(&node) {
        return;
    }
    visit(&node);
    if node.collection {
        let key = node.child(
            key_placeholder(&node.ty),
            SegmentKind::Key,
            &node.ty.clone(),
            false,
        );
        walk_node(model, key, descend, visit, on_path);
        return;
    }
    // A type that contains itself (folders in folders) would recurse forever.
    if on_path.contains(&node.ty) {
        return;
    }
    on_path.push(node.ty.clone());
    // Each with the type that declares it: a slice keeps a navigation
    // property on that type (`baseItem.createdByUser` reached as
    // `/drive/createdByUser`).
    let declared = model.base_chain(&node.ty).into_iter().flat_map(|s| {
        s.navigation_properties
            .iter()
            .map(move |nav| (s.name.as_str(), nav))
    });
    for (owner, nav) in declared {
        let Some(target) = nav.ty.kind.structured_name() else {
            continue;
        };
        let kind = SegmentKind::Navigation {
            owner: owner.to_string(),
            contained: nav.contains_target,
        };
        let child = node.child(nav.name.clone(), kind, target, nav.ty.collection);
        if nav.contains_target {
            walk_node(model, child, descend, visit, on_path);
        } else if descend(&child) {
            // Non-contained targets are addressed by reference only; do not
            // descend (their own paths live under their entity set).
            visit(&child);
        }
    }
    on_path.pop();
}
