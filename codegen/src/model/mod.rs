//! The resolved schema model: a layer of its own between the syntax tree and
//! everything that consumes the schema (slicer, emitters, diff).

pub mod paths;
mod resolve;
mod types;
pub mod vocab;

use std::collections::{BTreeMap, HashMap};

pub use resolve::{ResolveOptions, resolve, resolve_owned, resolve_owned_with, resolve_with};
pub use types::*;

use crate::csdl::syntax::{Annotation, Annotations, Pos, Term};
use crate::diagnostic::Diagnostic;

/// A resolved CSDL document. Names are fully qualified (`microsoft.graph.user`).
#[derive(Clone, Debug, Default)]
pub struct Model {
    pub file: String,
    /// `(namespace, alias)` in document order.
    pub schemas: Vec<(String, Option<String>)>,
    pub enums: BTreeMap<String, EnumDef>,
    pub type_definitions: BTreeMap<String, TypeDefinitionDef>,
    pub structs: BTreeMap<String, StructDef>,
    pub operations: Vec<OperationDef>,
    pub terms: BTreeMap<String, Term>,
    pub container_name: Option<String>,
    pub container_annotations: Vec<Annotation>,
    pub entity_sets: BTreeMap<String, EntitySetDef>,
    pub singletons: BTreeMap<String, SingletonDef>,
    /// Direct derived types of each structured type, sorted.
    pub derived: BTreeMap<String, Vec<String>>,
    /// alias or namespace → namespace, for qualifying names written in the source.
    pub aliases: HashMap<String, String>,
    /// The annotations of each schema on itself (inline, or external
    /// blocks targeting the namespace), by namespace.
    pub schema_annotations: BTreeMap<String, Vec<Annotation>>,
    /// Types of namespaces the document references but does not hold, by
    /// qualified name, with their first reference.
    pub external_types: BTreeMap<String, Pos>,
    /// External annotation blocks whose target lies in such a namespace,
    /// target qualified, kept as written.
    pub external_annotations: Vec<Annotations>,
    /// What the resolver accepted with a warning (external references).
    pub warnings: Vec<Diagnostic>,
    /// Bound operations by binding type: `[single entity, collection]`.
    bound: FastMap<String, [Vec<usize>; 2]>,
}

/// A hash map for the model's own indexes, keyed by names: FxHash (the
/// hash rustc uses), several times cheaper than the default SipHash on short
/// keys. Iteration order is never relied upon.
pub(crate) type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;
pub(crate) type FastSet<K> = rustc_hash::FxHashSet<K>;

impl Model {
    /// `graph.user` → `microsoft.graph.user`; `Collection(graph.x)` likewise.
    pub fn qualify(&self, name: &str) -> String {
        if let Some(inner) = name
            .strip_prefix("Collection(")
            .and_then(|r| r.strip_suffix(')'))
        {
            return format!("Collection({})", self.qualify(inner.trim()));
        }
        match split_last_dot(name) {
            Some((prefix, local)) => match self.aliases.get(prefix) {
                Some(ns) => format!("{ns}.{local}"),
                None => name.to_string(),
            },
            None => name.to_string(),
        }
    }

    /// [`Model::qualify`], appended to `out` without allocating.
    pub fn qualify_into(&self, name: &str, out: &mut String) {
        if let Some(inner) = name
            .strip_prefix("Collection(")
            .and_then(|r| r.strip_suffix(')'))
        {
            out.push_str("Collection(");
            self.qualify_into(inner.trim(), out);
            out.push(')');
            return;
        }
        match split_last_dot(name)
            .and_then(|(prefix, local)| Some((self.aliases.get(prefix)?, local)))
        {
            Some((ns, local)) => {
                out.push_str(ns);
                out.push('.');
                out.push_str(local);
            }
            None => out.push_str(name),
        }
    }

    pub(crate) fn index(&mut self) {
        self.bound.clear();
        for (i, op) in self.operations.iter().enumerate() {
            if let Some(b) = &op.binding
                && let Some(name) = b.ty.kind.defined_name()
            {
                let slot = usize::from(b.ty.collection);
                match self.bound.get_mut(name) {
                    Some(lists) => lists[slot].push(i),
                    None => {
                        let mut lists = [Vec::new(), Vec::new()];
                        lists[slot].push(i);
                        self.bound.insert(name.to_string(), lists);
                    }
                }
            }
        }
    }

    pub fn struct_def(&self, name: &str) -> Option<&StructDef> {
        self.structs.get(name)
    }

    /// The primitive a single-valued type reference stands for: itself, or
    /// the underlying type of a type definition. `None` for collections,
    /// enums and structured types.
    pub fn primitive_of(&self, ty: &TypeRef) -> Option<Primitive> {
        if ty.collection {
            return None;
        }
        match &ty.kind {
            TypeKind::Primitive(p) => Some(*p),
            TypeKind::TypeDefinition(n) => self.type_definitions.get(n).map(|t| t.underlying_type),
            _ => None,
        }
    }

    /// Whether a value of this type is written as a quoted string in a URL
    /// (`name='value'`): strings, and enum members in the OData 4.01 form.
    pub fn quoted_in_urls(&self, ty: &TypeRef) -> bool {
        !ty.collection
            && (matches!(ty.kind, TypeKind::Enum(_))
                || self.primitive_of(ty) == Some(Primitive::String))
    }

    /// The type and its ancestors, root first.
    pub fn base_chain(&self, name: &str) -> Vec<&StructDef> {
        let mut chain = Vec::new();
        let mut current = self.structs.get(name);
        while let Some(s) = current {
            if chain.iter().any(|c: &&StructDef| c.name == s.name) {
                break; // cycles are reported by the resolver; never loop here
            }
            chain.push(s);
            current = s.base_type.as_deref().and_then(|b| self.structs.get(b));
        }
        chain.reverse();
        chain
    }

    /// Declared and inherited structural properties, ancestors' first.
    pub fn all_properties(&self, name: &str) -> Vec<&PropertyDef> {
        self.base_chain(name)
            .into_iter()
            .flat_map(|s| s.properties.iter())
            .collect()
    }

    pub fn all_navigation_properties(&self, name: &str) -> Vec<&NavigationDef> {
        self.base_chain(name)
            .into_iter()
            .flat_map(|s| s.navigation_properties.iter())
            .collect()
    }

    /// The key of an entity type (declared on the root of its hierarchy).
    pub fn key(&self, name: &str) -> &[KeyPart] {
        self.base_chain(name)
            .into_iter()
            .find(|s| !s.key.is_empty())
            .map(|s| s.key.as_slice())
            .unwrap_or(&[])
    }

    /// Every type derived from `name`, directly or not, sorted.
    pub fn derived_closure(&self, name: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let mut stack: Vec<&str> = vec![name];
        while let Some(n) = stack.pop() {
            for d in self.derived.get(n).map(Vec::as_slice).unwrap_or(&[]) {
                if !out.contains(&d.as_str()) {
                    out.push(d);
                    stack.push(d);
                }
            }
        }
        out.sort();
        out
    }

    pub fn is_same_or_derived(&self, name: &str, ancestor: &str) -> bool {
        self.base_chain(name).iter().any(|s| s.name == ancestor)
    }

    /// Operations bound to `ty` (or to one of its ancestors), to a single
    /// instance or to a collection.
    pub fn bound_operations(&self, ty: &str, collection: bool) -> Vec<&OperationDef> {
        let mut out: Vec<&OperationDef> = Vec::new();
        for s in self.base_chain(ty) {
            if let Some(lists) = self.bound.get(s.name.as_str()) {
                let list = &lists[usize::from(collection)];
                out.extend(list.iter().map(|&i| &self.operations[i]));
            }
        }
        out
    }

    /// Counts used by `cargo xtask inspect` and tests.
    pub fn counts(&self) -> Counts {
        use crate::csdl::syntax::{OperationKind, StructuredKind};
        Counts {
            schemas: self.schemas.len(),
            enum_types: self.enums.len(),
            type_definitions: self.type_definitions.len(),
            complex_types: self
                .structs
                .values()
                .filter(|s| s.kind == StructuredKind::Complex)
                .count(),
            entity_types: self
                .structs
                .values()
                .filter(|s| s.kind == StructuredKind::Entity)
                .count(),
            actions: self
                .operations
                .iter()
                .filter(|o| o.kind == OperationKind::Action)
                .count(),
            functions: self
                .operations
                .iter()
                .filter(|o| o.kind == OperationKind::Function)
                .count(),
            entity_sets: self.entity_sets.len(),
            singletons: self.singletons.len(),
            terms: self.terms.len(),
        }
    }

    /// Every deprecated element, with its qualified name (and member), sorted.
    pub fn deprecations(&self) -> Vec<(String, vocab::Revision)> {
        let mut out = Vec::new();
        let mut push = |name: String, annotations: &[Annotation]| {
            for r in vocab::revisions(annotations) {
                if r.is_deprecation() {
                    out.push((name.clone(), r));
                }
            }
        };
        for e in self.enums.values() {
            push(e.name.clone(), &e.annotations);
            for m in &e.members {
                push(format!("{}/{}", e.name, m.name), &m.annotations);
            }
        }
        for s in self.structs.values() {
            push(s.name.clone(), &s.annotations);
            for p in &s.properties {
                push(format!("{}/{}", s.name, p.name), &p.annotations);
            }
            for n in &s.navigation_properties {
                push(format!("{}/{}", s.name, n.name), &n.annotations);
            }
        }
        for o in &self.operations {
            push(o.signature(), &o.annotations);
        }
        for es in self.entity_sets.values() {
            push(es.name.clone(), &es.annotations);
        }
        for s in self.singletons.values() {
            push(s.name.clone(), &s.annotations);
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub schemas: usize,
    pub enum_types: usize,
    pub type_definitions: usize,
    pub complex_types: usize,
    pub entity_types: usize,
    pub actions: usize,
    pub functions: usize,
    pub entity_sets: usize,
    pub singletons: usize,
    pub terms: usize,
}

/// `name.rsplit_once('.')`, by a plain backward loop: the last dot of a
/// qualified name is a few bytes from its end, where the searcher behind
/// `rsplit_once` spends more on its set-up (measured with callgrind on the
/// parse bench, graph-beta.csdl: the resolver's `qualify` went from 3.5 M
/// to 2.7 M instructions).
pub(crate) fn split_last_dot(name: &str) -> Option<(&str, &str)> {
    let dot = name.bytes().rposition(|b| b == b'.')?;
    // A dot is one byte: both sides are whole characters.
    Some((&name[..dot], &name[dot + 1..]))
}
