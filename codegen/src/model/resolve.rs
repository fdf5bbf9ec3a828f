//! Syntax tree → resolved [`Model`]: qualifies every name through the
//! schema and include aliases, resolves type references, merges external
//! annotations into their targets and checks the rules a generator relies on
//! (no cycles, no duplicates, keys on root entity types only).
//!
//! Names in a namespace the document includes (`edmx:Include`) but does not
//! hold are kept as external, with a located warning ([`Model::warnings`]),
//! or refused under [`ResolveOptions::strict`]; a slice that needs such a
//! type is refused later ([`crate::slice::check_externals`]).
//!
//! The resolver reads the syntax tree either borrowed ([`resolve`]: names,
//! facets and annotations are copied into the model) or owned
//! ([`resolve_owned`]: they are moved), through [`Src`]. Lookups qualify
//! names without allocating unless an alias has to be expanded.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};

use super::types::*;
use super::{FastMap, FastSet, Model, split_last_dot};
use crate::csdl::syntax::{self, Annotation, OperationKind, Pos, StructuredKind};
use crate::csdl::{Diagnostic, Diagnostics};
use crate::diagnostic::did_you_mean;

/// How tolerant the resolver is.
#[derive(Clone, Debug, Default)]
pub struct ResolveOptions {
    /// Refuse references into namespaces the document includes but does
    /// not hold, instead of keeping them as external with a warning.
    pub strict: bool,
}

/// Resolves a parsed document, leaving it as it is. All errors found are
/// reported together; warnings are in [`Model::warnings`].
pub fn resolve(doc: &syntax::Document) -> Result<Model, Diagnostics> {
    resolve_with(doc, &ResolveOptions::default())
}

/// [`resolve`] with options.
pub fn resolve_with(
    doc: &syntax::Document,
    options: &ResolveOptions,
) -> Result<Model, Diagnostics> {
    let mut r = Resolver::new(doc, options);
    r.collect_aliases(doc);
    r.declare(doc);
    for schema in &doc.schemas {
        r.define_schema(Src::Borrowed(schema));
    }
    r.check_inheritance();
    for schema in &doc.schemas {
        r.apply_external_annotations(Src::Borrowed(schema));
    }
    r.finish()
}

/// [`resolve`] for callers that have no further use for the syntax tree:
/// names, facets and annotations are moved into the model rather than
/// copied. The result is the same.
pub fn resolve_owned(doc: syntax::Document) -> Result<Model, Diagnostics> {
    resolve_owned_with(doc, &ResolveOptions::default())
}

/// [`resolve_owned`] with options.
pub fn resolve_owned_with(
    mut doc: syntax::Document,
    options: &ResolveOptions,
) -> Result<Model, Diagnostics> {
    let mut r = Resolver::new(&doc, options);
    r.collect_aliases(&doc);
    r.declare(&doc);
    for schema in &mut doc.schemas {
        r.define_schema(Src::Owned(schema));
    }
    r.check_inheritance();
    for schema in &mut doc.schemas {
        r.apply_external_annotations(Src::Owned(schema));
    }
    r.finish()
}

/// A piece of the syntax tree: borrowed (what the model keeps is copied) or
/// owned (what the model keeps is moved out, leaving defaults behind).
enum Src<'x, T> {
    Borrowed(&'x T),
    Owned(&'x mut T),
}

impl<T> std::ops::Deref for Src<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        match self {
            Src::Borrowed(t) => t,
            Src::Owned(t) => t,
        }
    }
}

impl<T: Clone + Default> Src<'_, T> {
    fn into_owned(self) -> T {
        match self {
            Src::Borrowed(t) => t.clone(),
            Src::Owned(t) => std::mem::take(t),
        }
    }
}

/// A field of a [`Src`]: cloned when borrowed, taken when owned.
macro_rules! take {
    ($src:expr, $field:ident) => {
        match &mut $src {
            Src::Borrowed(t) => t.$field.clone(),
            Src::Owned(t) => std::mem::take(&mut t.$field),
        }
    };
}

/// The items of a list field of a [`Src`], as [`Src`]s.
macro_rules! each {
    ($src:expr, $field:ident) => {
        match &mut $src {
            Src::Borrowed(t) => Items::Borrowed(t.$field.iter()),
            Src::Owned(t) => Items::Owned(t.$field.iter_mut()),
        }
    };
}

/// The items of a list field of a [`Src`] turned into what the model keeps,
/// `$f(index, item)` deciding each (`None` drops it). An owned list is
/// consumed in place: where the model's item has the syntax item's size (a
/// property and its definition do), the model's list reuses the syntax
/// tree's allocation instead of writing a copy into fresh memory.
macro_rules! convert_each {
    ($src:expr, $field:ident, $f:expr) => {
        match &mut $src {
            Src::Borrowed(t) => {
                // Sized for all the items up front: a filtered iterator
                // would grow the list by doubling.
                let mut kept = Vec::with_capacity(t.$field.len());
                kept.extend(
                    t.$field
                        .iter()
                        .enumerate()
                        .filter_map(|(i, x)| ($f)(i, Src::Borrowed(x))),
                );
                kept
            }
            Src::Owned(t) => std::mem::take(&mut t.$field)
                .into_iter()
                .enumerate()
                .filter_map(|(i, mut x)| ($f)(i, Src::Owned(&mut x)))
                .collect::<Vec<_>>(),
        }
    };
}

enum Items<'x, T> {
    Borrowed(std::slice::Iter<'x, T>),
    Owned(std::slice::IterMut<'x, T>),
}

impl<'x, T> Iterator for Items<'x, T> {
    type Item = Src<'x, T>;

    fn next(&mut self) -> Option<Src<'x, T>> {
        match self {
            Items::Borrowed(i) => i.next().map(Src::Borrowed),
            Items::Owned(i) => i.next().map(Src::Owned),
        }
    }
}

/// `namespace.name`, allocated once at its final size.
fn qualified_name(namespace: &str, name: &str) -> String {
    let mut q = String::with_capacity(namespace.len() + 1 + name.len());
    q.push_str(namespace);
    q.push('.');
    q.push_str(name);
    q
}

/// For each name that repeats an earlier one, its index and the position
/// of the latest earlier occurrence. Usually empty, and then allocation
/// free; small lists are checked without hashing.
fn earlier_duplicates<'n>(names: impl Iterator<Item = (&'n str, Pos)>) -> Vec<(usize, Pos)> {
    const SMALL: usize = 24;
    let mut out = Vec::new();
    let mut small: [(&str, Pos); SMALL] = [("", Pos::default()); SMALL];
    let mut n = 0;
    let mut big: Option<FastMap<&str, Pos>> = None;
    for (i, (name, pos)) in names.enumerate() {
        if let Some(map) = &mut big {
            if let Some(previous) = map.insert(name, pos) {
                out.push((i, previous));
            }
            continue;
        }
        if let Some((_, previous)) = small[..n].iter().rev().find(|(s, _)| *s == name) {
            out.push((i, *previous));
        }
        if n < SMALL {
            small[n] = (name, pos);
            n += 1;
        } else {
            let mut map = FastMap::with_capacity_and_hasher(4 * SMALL, Default::default());
            map.extend(small.iter().copied());
            map.insert(name, pos);
            big = Some(map);
        }
    }
    out
}

fn duplicate_of(duplicates: &[(usize, Pos)], index: usize) -> Option<Pos> {
    duplicates
        .iter()
        .find(|(i, _)| *i == index)
        .map(|(_, pos)| *pos)
}

/// Names CSDL reserves: no schema may use them as its namespace or alias
/// (so `Edm.String` always means the primitive).
const RESERVED_NAMESPACES: &[&str] = &["Edm", "odata", "System", "Transient"];

/// What a qualified name was declared as, before definitions are built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Declared {
    Enum,
    TypeDefinition,
    Complex,
    Entity,
    Term,
    Container,
}

impl Declared {
    /// For messages: "an entity type".
    fn describe(self) -> &'static str {
        match self {
            Declared::Enum => "an enum type",
            Declared::TypeDefinition => "a type definition",
            Declared::Complex => "a complex type",
            Declared::Entity => "an entity type",
            Declared::Term => "a term",
            Declared::Container => "an entity container",
        }
    }
}

/// What a name in a namespace the document only references becomes.
enum Referenced {
    /// Not such a name: an ordinary unresolved reference.
    No,
    /// Kept as external, with a warning.
    Kept,
    /// Refused with an error (strict).
    Refused,
}

struct Resolver {
    file: String,
    strict: bool,
    /// alias → namespace
    aliases: FastMap<String, String>,
    /// Namespaces defined in this document.
    namespaces: HashSet<String>,
    /// Namespaces only referenced through `edmx:Include`.
    referenced: HashSet<String>,
    declared: FastMap<String, (Declared, Pos)>,
    /// Where each type's `Key` element is, for diagnostics.
    key_pos: HashMap<String, Pos>,
    model: Model,
    errors: Vec<Diagnostic>,
}

impl Resolver {
    fn new(doc: &syntax::Document, options: &ResolveOptions) -> Self {
        Resolver {
            file: doc.file.clone(),
            strict: options.strict,
            aliases: FastMap::default(),
            namespaces: HashSet::new(),
            referenced: HashSet::new(),
            declared: FastMap::default(),
            key_pos: HashMap::new(),
            model: Model {
                file: doc.file.clone(),
                ..Model::default()
            },
            errors: Vec::new(),
        }
    }

    fn error(&mut self, pos: Pos, message: impl Into<String>) {
        self.errors
            .push(Diagnostic::error(self.file.clone(), pos, message));
    }

    /// The namespace of `qualified` when the document includes it
    /// (`edmx:Include`) without defining it.
    fn referenced_namespace<'q>(&self, qualified: &'q str) -> Option<&'q str> {
        let (ns, _) = split_last_dot(qualified)?;
        (self.referenced.contains(ns) && !self.namespaces.contains(ns)).then_some(ns)
    }

    /// A reference to `qualified`, which no schema of the document defines:
    /// kept as external (with a located warning) when its namespace is only
    /// referenced, refused under strict resolution.
    fn external(&mut self, written: &str, qualified: &str, pos: Pos, what: &str) -> Referenced {
        let Some(ns) = self.referenced_namespace(qualified) else {
            return Referenced::No;
        };
        let msg = format!(
            "{what} \"{written}\" is in the referenced namespace \"{ns}\", which this document does not define"
        );
        if self.strict {
            self.error(pos, msg);
            return Referenced::Refused;
        }
        self.model.warnings.push(Diagnostic::warning(
            self.file.clone(),
            pos,
            format!("{msg}: kept as an external reference"),
        ));
        self.model
            .external_types
            .entry(qualified.to_string())
            .or_insert(pos);
        Referenced::Kept
    }

    fn collect_aliases(&mut self, doc: &syntax::Document) {
        let mut seen: HashMap<String, (String, Pos)> = HashMap::new();
        let mut add = |this: &mut Self, alias: &str, namespace: &str, pos: Pos| {
            if RESERVED_NAMESPACES.contains(&alias) {
                let msg = format!(
                    "alias \"{alias}\" for namespace \"{namespace}\" is reserved: expected a name other than {}",
                    RESERVED_NAMESPACES.join(", ")
                );
                this.error(pos, msg);
                return;
            }
            if let Some((other_ns, other_pos)) = seen.get(alias) {
                if other_ns != namespace {
                    let msg = format!(
                        "alias \"{alias}\" for namespace \"{namespace}\" clashes with the alias \"{alias}\" for \"{other_ns}\" declared at {other_pos}"
                    );
                    this.error(pos, msg);
                }
                return;
            }
            seen.insert(alias.to_string(), (namespace.to_string(), pos));
            this.aliases
                .insert(alias.to_string(), namespace.to_string());
        };
        for reference in &doc.references {
            for include in &reference.includes {
                self.referenced.insert(include.namespace.clone());
                if let Some(alias) = &include.alias {
                    add(self, alias, &include.namespace, include.pos);
                }
            }
        }
        for schema in &doc.schemas {
            if RESERVED_NAMESPACES.contains(&schema.namespace.as_str()) {
                let msg = format!(
                    "namespace \"{}\" is reserved: expected a name other than {}",
                    schema.namespace,
                    RESERVED_NAMESPACES.join(", ")
                );
                self.error(schema.pos, msg);
            }
            if !self.namespaces.contains(schema.namespace.as_str()) {
                // Several Schema elements may share a namespace in CSDL 4.01;
                // the names inside are checked for duplicates below.
                self.namespaces.insert(schema.namespace.clone());
            }
            if let Some(alias) = &schema.alias {
                if self.namespaces.contains(alias.as_str()) && alias != &schema.namespace {
                    let msg = format!(
                        "alias \"{alias}\" of namespace \"{}\" is also a namespace name",
                        schema.namespace
                    );
                    self.error(schema.pos, msg);
                }
                add(self, alias, &schema.namespace, schema.pos);
            }
        }
        self.model.schemas = doc
            .schemas
            .iter()
            .map(|s| (s.namespace.clone(), s.alias.clone()))
            .collect();
    }

    /// `graph.user` → `microsoft.graph.user`; names without a dot or
    /// without an alias are returned as they are, without allocating.
    fn qualify<'n>(&self, name: &'n str) -> Cow<'n, str> {
        match split_last_dot(name) {
            Some((prefix, local)) => match self.aliases.get(prefix) {
                Some(ns) => Cow::Owned(qualified_name(ns, local)),
                None => Cow::Borrowed(name),
            },
            None => Cow::Borrowed(name),
        }
    }

    fn declare(&mut self, doc: &syntax::Document) {
        let total: usize = doc
            .schemas
            .iter()
            .map(|s| {
                s.enum_types.len()
                    + s.type_definitions.len()
                    + s.complex_types.len()
                    + s.entity_types.len()
                    + s.terms.len()
                    + s.containers.len()
            })
            .sum();
        self.declared.reserve(total);
        // In document order, so that the later of two duplicates is the one
        // reported, whatever kinds of element they are.
        let mut items: Vec<(&str, &str, Declared, Pos)> = Vec::with_capacity(total);
        for schema in &doc.schemas {
            let ns = schema.namespace.as_str();
            items.extend(
                (schema.enum_types.iter())
                    .map(|e| (ns, e.name.as_str(), Declared::Enum, e.pos))
                    .chain(
                        schema
                            .type_definitions
                            .iter()
                            .map(|t| (ns, t.name.as_str(), Declared::TypeDefinition, t.pos)),
                    )
                    .chain(
                        schema
                            .complex_types
                            .iter()
                            .map(|t| (ns, t.name.as_str(), Declared::Complex, t.pos)),
                    )
                    .chain(
                        schema
                            .entity_types
                            .iter()
                            .map(|t| (ns, t.name.as_str(), Declared::Entity, t.pos)),
                    )
                    .chain(
                        schema
                            .terms
                            .iter()
                            .map(|t| (ns, t.name.as_str(), Declared::Term, t.pos)),
                    )
                    .chain(
                        schema
                            .containers
                            .iter()
                            .map(|c| (ns, c.name.as_str(), Declared::Container, c.pos)),
                    ),
            );
            // Operations may be overloaded, and Graph reuses type names for
            // operations (`image`), so operation names are not checked here.
        }
        items.sort_by_key(|item| item.3);
        for (ns, name, what, pos) in items {
            let first = match self.declared.entry(qualified_name(ns, name)) {
                Entry::Occupied(e) => e.get().1,
                Entry::Vacant(e) => {
                    e.insert((what, pos));
                    continue;
                }
            };
            let msg = format!(
                "duplicate name \"{name}\" in namespace \"{ns}\": first declared at {first}"
            );
            self.error(pos, msg);
        }
    }

    fn resolve_type(&mut self, ty: &syntax::TypeRef) -> Option<TypeRef> {
        // `Edm` is reserved: no alias can stand for it, so primitives need
        // no qualification (about half of all references).
        let q = if ty.name.starts_with("Edm.") {
            Cow::Borrowed(ty.name.as_str())
        } else {
            self.qualify(&ty.name)
        };
        let kind = if let Some(edm) = q.strip_prefix("Edm.") {
            match Primitive::from_edm_name(edm) {
                Some(p) => TypeKind::Primitive(p),
                None => {
                    let hint = did_you_mean(edm, Primitive::all_names())
                        .map(|s| format!("; did you mean \"Edm.{s}\"?"))
                        .unwrap_or_default();
                    self.error(
                        ty.pos,
                        format!("unknown primitive type \"{}\"{hint}", ty.name),
                    );
                    return None;
                }
            }
        } else {
            match self.declared.get(&*q).map(|(d, _)| *d) {
                Some(Declared::Enum) => TypeKind::Enum(q.into_owned()),
                Some(Declared::TypeDefinition) => TypeKind::TypeDefinition(q.into_owned()),
                Some(Declared::Complex) => TypeKind::Complex(q.into_owned()),
                Some(Declared::Entity) => TypeKind::Entity(q.into_owned()),
                Some(other) => {
                    self.error(
                        ty.pos,
                        format!(
                            "\"{}\" names {}: expected a type",
                            ty.name,
                            other.describe()
                        ),
                    );
                    return None;
                }
                None => match self.external(&ty.name, &q, ty.pos, "type") {
                    Referenced::Kept => TypeKind::External(q.into_owned()),
                    Referenced::Refused => return None,
                    Referenced::No => {
                        self.unresolved(&ty.name, &q, ty.pos, "type");
                        return None;
                    }
                },
            }
        };
        Some(TypeRef {
            collection: ty.collection,
            kind,
        })
    }

    fn unresolved(&mut self, written: &str, qualified: &str, pos: Pos, what: &str) {
        let (ns, local) = qualified.rsplit_once('.').unwrap_or(("", qualified));
        let candidates: Vec<&String> = self
            .declared
            .iter()
            .filter(|(_, (d, _))| {
                matches!(
                    d,
                    Declared::Enum
                        | Declared::TypeDefinition
                        | Declared::Complex
                        | Declared::Entity
                )
            })
            .map(|(k, _)| k)
            .collect();
        // Compare local names (the usual typo), then prefer the namespace
        // written. Whole qualified names are not compared: their shared
        // namespace prefix makes any short name look close.
        let by_local = did_you_mean(
            local,
            candidates.iter().map(|c| c.rsplit('.').next().unwrap_or(c)),
        );
        let suggestion = by_local.and_then(|l| {
            let mut matches: Vec<&&String> = candidates
                .iter()
                .filter(|c| c.rsplit('.').next() == Some(l))
                .collect();
            matches.sort_by_key(|c| (!c.starts_with(ns), c.len(), c.as_str()));
            matches.first().map(|c| c.to_string())
        });
        let hint = suggestion
            .map(|s| format!("; did you mean \"{s}\"?"))
            .unwrap_or_default();
        self.error(
            pos,
            format!("unresolved {what} reference \"{written}\"{hint}"),
        );
    }

    fn define_schema(&mut self, mut schema: Src<'_, syntax::Schema>) {
        let ns = schema.namespace.clone();
        let own = take!(schema, own_annotations);
        if !own.is_empty() {
            // Several schemas may share a namespace: their annotations add up.
            self.model
                .schema_annotations
                .entry(ns.clone())
                .or_default()
                .extend(own);
        }
        for e in each!(schema, enum_types) {
            let def = self.define_enum(&ns, e);
            self.model.enums.insert(def.name.clone(), def);
        }
        for mut t in each!(schema, type_definitions) {
            let q = qualified_name(&ns, &t.name);
            let underlying = self
                .qualify(&t.underlying_type)
                .strip_prefix("Edm.")
                .and_then(Primitive::from_edm_name);
            let Some(p) = underlying else {
                self.error(t.pos, format!("type definition \"{q}\" has UnderlyingType \"{}\": expected an Edm primitive type", t.underlying_type));
                continue;
            };
            let def = TypeDefinitionDef {
                name: q.clone(),
                underlying_type: p,
                facets: take!(t, facets),
                annotations: take!(t, annotations),
                pos: t.pos,
            };
            self.model.type_definitions.insert(q, def);
        }
        for t in each!(schema, complex_types) {
            if let Some(def) = self.define_struct(&ns, t) {
                self.model.structs.insert(def.name.clone(), def);
            }
        }
        for t in each!(schema, entity_types) {
            if let Some(def) = self.define_struct(&ns, t) {
                self.model.structs.insert(def.name.clone(), def);
            }
        }
        // Thousands of operations: grown one push at a time, the list is
        // reallocated and copied a dozen times, into fresh pages each time.
        self.model.operations.reserve(schema.operations.len());
        for op in each!(schema, operations) {
            if let Some(def) = self.define_operation(&ns, op) {
                self.model.operations.push(def);
            }
        }
        for term in each!(schema, terms) {
            let name = qualified_name(&ns, &term.name);
            self.model.terms.insert(name, term.into_owned());
        }
        for mut c in each!(schema, containers) {
            self.model.container_name = Some(qualified_name(&ns, &c.name));
            // Inline annotations first; external ones are merged later.
            let annotations = take!(c, annotations);
            self.model.container_annotations.extend(annotations);
            for mut es in each!(c, entity_sets) {
                let what = format!("entity set \"{}\"", es.name);
                let Some(ty) = self.entity_type_of(&what, &es.entity_type, es.pos) else {
                    continue;
                };
                let name = take!(es, name);
                let def = EntitySetDef {
                    name: name.clone(),
                    entity_type: ty,
                    annotations: take!(es, annotations),
                    pos: es.pos,
                };
                self.model.entity_sets.insert(name, def);
            }
            for mut s in each!(c, singletons) {
                let what = format!("singleton \"{}\"", s.name);
                let Some(ty) = self.entity_type_of(&what, &s.ty, s.pos) else {
                    continue;
                };
                let name = take!(s, name);
                let def = SingletonDef {
                    name: name.clone(),
                    ty,
                    annotations: take!(s, annotations),
                    pos: s.pos,
                };
                self.model.singletons.insert(name, def);
            }
        }
    }

    /// The qualified entity type an entity set or singleton names; an
    /// error when it names nothing or something else.
    fn entity_type_of(&mut self, what: &str, written: &str, pos: Pos) -> Option<String> {
        let ty = self.qualify(written).into_owned();
        match self.declared.get(&ty).map(|(d, _)| *d) {
            Some(Declared::Entity) => Some(ty),
            Some(other) => {
                let msg = format!(
                    "{what} has type \"{written}\", which is {}: expected an entity type",
                    other.describe()
                );
                self.error(pos, msg);
                None
            }
            None => match self.external(written, &ty, pos, "entity type") {
                Referenced::Kept => Some(ty),
                Referenced::Refused => None,
                Referenced::No => {
                    self.unresolved(written, &ty, pos, "entity type");
                    None
                }
            },
        }
    }

    fn define_enum(&mut self, ns: &str, mut e: Src<'_, syntax::EnumType>) -> EnumDef {
        let name = qualified_name(ns, &e.name);
        let underlying = match e.underlying_type.as_deref() {
            None => Primitive::Int32,
            Some(u) => match self
                .qualify(u)
                .strip_prefix("Edm.")
                .and_then(Primitive::from_edm_name)
            {
                Some(
                    p @ (Primitive::Byte
                    | Primitive::SByte
                    | Primitive::Int16
                    | Primitive::Int32
                    | Primitive::Int64),
                ) => p,
                _ => {
                    self.error(e.pos, format!("enum type \"{name}\" has UnderlyingType \"{u}\": expected Edm.Byte, Edm.SByte, Edm.Int16, Edm.Int32 or Edm.Int64"));
                    Primitive::Int32
                }
            },
        };
        let duplicates = earlier_duplicates(e.members.iter().map(|m| (m.name.as_str(), m.pos)));
        let mut members = Vec::with_capacity(e.members.len());
        let mut next = 0i64;
        for (i, mut m) in each!(e, members).enumerate() {
            if let Some(first) = duplicate_of(&duplicates, i) {
                self.error(m.pos, format!("duplicate member \"{}\" in enum type \"{name}\": first declared at {first}", m.name));
                continue;
            }
            let value = m.value.unwrap_or(next);
            next = value.saturating_add(1);
            members.push(EnumMemberDef {
                name: take!(m, name),
                value,
                annotations: take!(m, annotations),
                pos: m.pos,
            });
        }
        EnumDef {
            name,
            underlying_type: underlying,
            is_flags: e.is_flags,
            members,
            annotations: take!(e, annotations),
            pos: e.pos,
        }
    }

    fn define_struct(
        &mut self,
        ns: &str,
        mut t: Src<'_, syntax::StructuredType>,
    ) -> Option<StructDef> {
        let name = qualified_name(ns, &t.name);
        let base_type = match &t.base_type {
            None => None,
            Some(b) => {
                let q = self.qualify(b);
                let expected = match t.kind {
                    StructuredKind::Complex => Declared::Complex,
                    StructuredKind::Entity => Declared::Entity,
                };
                match self.declared.get(&*q).map(|(d, _)| *d) {
                    Some(d) if d == expected => Some(q.into_owned()),
                    Some(d) => {
                        self.error(
                            t.pos,
                            format!(
                                "\"{name}\" has BaseType \"{b}\", which is {}: expected {}",
                                d.describe(),
                                expected.describe()
                            ),
                        );
                        None
                    }
                    None => match self.external(b, &q, t.pos, "base type") {
                        Referenced::Kept => Some(q.into_owned()),
                        Referenced::Refused => None,
                        Referenced::No => {
                            self.unresolved(b, &q, t.pos, "base type");
                            None
                        }
                    },
                }
            }
        };
        let declared_properties = t.properties.len();
        let duplicates = earlier_duplicates(
            (t.properties.iter().map(|p| (p.name.as_str(), p.pos))).chain(
                t.navigation_properties
                    .iter()
                    .map(|n| (n.name.as_str(), n.pos)),
            ),
        );
        let properties = convert_each!(t, properties, |i, mut p: Src<'_, syntax::Property>| {
            if let Some(first) = duplicate_of(&duplicates, i) {
                self.error(
                    p.pos,
                    format!(
                        "duplicate property \"{}\" in \"{name}\": first declared at {first}",
                        p.name
                    ),
                );
                return None;
            }
            let ty = self.resolve_type(&p.ty)?;
            Some(PropertyDef {
                name: take!(p, name),
                ty,
                nullable: p.is_nullable(),
                facets: take!(p, facets),
                default_value: take!(p, default_value),
                annotations: take!(p, annotations),
                pos: p.pos,
            })
        });
        let mut navigation_properties = Vec::with_capacity(t.navigation_properties.len());
        for (i, mut n) in each!(t, navigation_properties).enumerate() {
            if let Some(first) = duplicate_of(&duplicates, declared_properties + i) {
                self.error(
                    n.pos,
                    format!(
                        "duplicate property \"{}\" in \"{name}\": first declared at {first}",
                        n.name
                    ),
                );
                continue;
            }
            if let Some(ty) = self.resolve_type(&n.ty) {
                let entity = matches!(
                    ty.kind,
                    TypeKind::Entity(_)
                        | TypeKind::External(_)
                        | TypeKind::Primitive(Primitive::Abstract("EntityType"))
                );
                if !entity {
                    self.error(
                        n.ty.pos,
                        format!(
                            "navigation property \"{}\" has type \"{}\": expected an entity type",
                            n.name, n.ty
                        ),
                    );
                    continue;
                }
                navigation_properties.push(NavigationDef {
                    name: take!(n, name),
                    ty,
                    nullable: n.nullable.unwrap_or(true),
                    contains_target: n.contains_target,
                    partner: take!(n, partner),
                    annotations: take!(n, annotations),
                    pos: n.pos,
                });
            }
        }
        if let Some(k) = &t.key {
            self.key_pos.insert(name.clone(), k.pos);
        }
        let key = t
            .key
            .as_ref()
            .map(|k| {
                k.property_refs
                    .iter()
                    .map(|r| KeyPart {
                        name: r.name.clone(),
                        alias: r.alias.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(StructDef {
            name,
            kind: t.kind,
            base_type,
            is_abstract: t.is_abstract,
            open_type: t.open_type,
            has_stream: t.has_stream,
            key,
            properties,
            navigation_properties,
            annotations: take!(t, annotations),
            pos: t.pos,
        })
    }

    fn define_operation(
        &mut self,
        ns: &str,
        mut op: Src<'_, syntax::Operation>,
    ) -> Option<OperationDef> {
        let name = qualified_name(ns, &op.name);
        let mut ok = true;
        let mut params = convert_each!(op, parameters, |_, mut p: Src<'_, syntax::Parameter>| {
            let Some(ty) = self.resolve_type(&p.ty) else {
                ok = false;
                return None;
            };
            Some(ParameterDef {
                name: take!(p, name),
                ty,
                nullable: p.nullable.unwrap_or(true),
                facets: take!(p, facets),
                annotations: take!(p, annotations),
                pos: p.pos,
            })
        });
        let has_return = op.return_type.is_some();
        let return_type = match &mut op {
            Src::Borrowed(o) => o.return_type.as_ref().map(Src::Borrowed),
            Src::Owned(o) => o.return_type.as_mut().map(Src::Owned),
        };
        let return_type = match return_type {
            Some(mut r) => match self.resolve_type(&r.ty) {
                Some(ty) => Some(ReturnDef {
                    ty,
                    nullable: r.nullable.unwrap_or(true),
                    facets: take!(r, facets),
                    annotations: take!(r, annotations),
                    pos: r.pos,
                }),
                None => {
                    ok = false;
                    None
                }
            },
            None => None,
        };
        if op.kind == OperationKind::Function && !has_return {
            self.error(
                op.pos,
                format!("function \"{name}\" has no ReturnType: expected one"),
            );
            ok = false;
        }
        let binding = if op.is_bound {
            if params.is_empty() {
                self.error(op.pos, format!("bound operation \"{name}\" has no binding parameter: expected at least one Parameter"));
                return None;
            }
            Some(params.remove(0))
        } else {
            None
        };
        if !ok {
            return None;
        }
        Some(OperationDef {
            kind: op.kind,
            name,
            is_bound: op.is_bound,
            is_composable: op.is_composable,
            entity_set_path: take!(op, entity_set_path),
            binding,
            parameters: params,
            return_type,
            annotations: take!(op, annotations),
            pos: op.pos,
        })
    }

    fn check_inheritance(&mut self) {
        // Walks look types up by name many times: hashing beats the ordered
        // map's string comparisons along shared prefixes ("microsoft.graph.").
        let structs: FastMap<&str, &StructDef> = self
            .model
            .structs
            .iter()
            .map(|(name, def)| (name.as_str(), def))
            .collect();
        let mut errors: Vec<(Pos, String)> = Vec::new();
        let mut reported: FastSet<&str> = FastSet::default();
        // Types whose chain of bases has been walked: it ends, or runs into
        // a cycle already dealt with (cycles of single-base chains are
        // disjoint), so walks can stop there.
        let mut walked: FastSet<&str> = FastSet::default();
        walked.reserve(structs.len());
        let mut chain: Vec<&str> = Vec::new();
        for start in self.model.structs.keys() {
            if walked.contains(start.as_str()) {
                continue;
            }
            chain.clear();
            chain.push(start);
            let mut current = start.as_str();
            while let Some(base) = structs.get(current).and_then(|s| s.base_type.as_deref()) {
                if walked.contains(base) {
                    break;
                }
                if let Some(i) = chain.iter().position(|n| *n == base) {
                    let cycle: Vec<&str> = chain[i..].iter().copied().chain([base]).collect();
                    if cycle.iter().all(|c| !reported.contains(c)) {
                        let pos = structs[base].pos;
                        errors.push((pos, format!("BaseType cycle: {}", cycle.join(" -> "))));
                        reported.extend(cycle);
                    }
                    // Break the cycle so later stages terminate.
                    break;
                }
                chain.push(base);
                current = base;
            }
            walked.extend(chain.iter().copied());
        }
        let cycles = !reported.is_empty();
        // A key may be declared below an abstract, keyless base (Graph's
        // policyDeletableItem), but never redeclared under a keyed ancestor.
        let mut key_errors = Vec::new();
        let mut derived: FastMap<&str, Vec<String>> = FastMap::default();
        if !cycles {
            for s in self.model.structs.values() {
                if s.key.is_empty() {
                    continue;
                }
                let mut base = s.base_type.as_deref();
                while let Some(b) = base {
                    let Some(def) = structs.get(b) else {
                        break;
                    };
                    if !def.key.is_empty() {
                        key_errors.push((self.key_pos.get(&s.name).copied().unwrap_or(s.pos), format!(
                            "key declared on derived type \"{}\": its ancestor \"{b}\" already declares the key",
                            s.name
                        )));
                        break;
                    }
                    base = def.base_type.as_deref();
                }
            }
            // In name order: each list comes out sorted.
            for s in self.model.structs.values() {
                if let Some(b) = &s.base_type {
                    derived.entry(b.as_str()).or_default().push(s.name.clone());
                }
            }
        }
        let derived: BTreeMap<String, Vec<String>> = derived
            .into_iter()
            .map(|(base, mut list)| {
                list.sort();
                (base.to_string(), list)
            })
            .collect();
        for (pos, msg) in errors {
            self.error(pos, msg);
        }
        if cycles {
            return;
        }
        for (pos, msg) in key_errors {
            self.error(pos, msg);
        }
        self.model.derived = derived;
    }

    fn apply_external_annotations(&mut self, mut schema: Src<'_, syntax::Schema>) {
        for mut block in each!(schema, annotations) {
            let mut annotations = take!(block, annotations);
            if let Some(q) = &block.qualifier {
                for a in &mut annotations {
                    a.qualifier.get_or_insert_with(|| q.clone());
                }
            }
            match self.external_target(&block.target, block.pos) {
                Some(Some(target)) => {
                    self.model.external_annotations.push(syntax::Annotations {
                        target,
                        qualifier: block.qualifier.clone(),
                        annotations,
                        pos: block.pos,
                    });
                    continue;
                }
                Some(None) => continue,
                None => {}
            }
            match self.find_target(&block.target) {
                Ok(slot) => slot.extend(annotations),
                Err(msg) => self.error(block.pos, msg),
            }
        }
    }

    /// For an annotation block targeting a namespace the document only
    /// references: the target qualified when the block is kept as external,
    /// `Some(None)` when strict resolution refuses it. `None` for any other
    /// target.
    fn external_target(&mut self, target: &str, pos: Pos) -> Option<Option<String>> {
        let (head, member) = split_target(target)?;
        let name = head.split_once('(').map_or(head, |(n, _)| n).trim();
        let q = self.qualify(name).into_owned();
        // The target is a referenced namespace itself, or lies in one.
        let ns = match self.aliases.get(name) {
            Some(ns) => ns.clone(),
            None if self.referenced.contains(name) => name.to_string(),
            None => split_last_dot(&q).map(|(ns, _)| ns.to_string())?,
        };
        if !self.referenced.contains(&ns) || self.namespaces.contains(&ns) {
            return None;
        }
        let msg = format!(
            "annotation target \"{target}\" is in the referenced namespace \"{ns}\", which this document does not define"
        );
        if self.strict {
            self.error(pos, msg);
            return Some(None);
        }
        self.model.warnings.push(Diagnostic::warning(
            self.file.clone(),
            pos,
            format!("{msg}: kept as external annotations"),
        ));
        let is_namespace = name == ns || self.aliases.get(name).is_some_and(|n| *n == ns);
        let mut qualified = if is_namespace { ns } else { q };
        if let Some((_, args)) = head.split_once('(') {
            qualified.push('(');
            qualified.push_str(args);
        }
        if let Some(m) = member {
            qualified.push('/');
            qualified.push_str(m);
        }
        Some(Some(qualified))
    }

    /// The annotation list an external target names.
    fn find_target(&mut self, target: &str) -> Result<&mut Vec<Annotation>, String> {
        let nothing = |why: &str| format!("annotation target \"{target}\" names nothing: {why}");
        let (head, member) = match split_target(target) {
            Some(parts) => parts,
            None => return Err(nothing("malformed target")),
        };
        if let Some((op_name, args)) = head.split_once('(') {
            let q = self.qualify(op_name.trim());
            let args = args
                .strip_suffix(')')
                .ok_or_else(|| nothing("expected \")\" after the parameter types"))?;
            let wanted: Vec<String> = split_params(args)
                .into_iter()
                .map(|a| self.normalise_type_name(&a))
                .collect();
            let idx = self
                .model
                .operations
                .iter()
                .position(|o| o.name == q && overload_matches(o, &wanted))
                .ok_or_else(|| nothing("no operation overload has these parameter types"))?;
            let op = &mut self.model.operations[idx];
            return match member {
                None => Ok(&mut op.annotations),
                Some(p) => op
                    .parameters
                    .iter_mut()
                    .find(|x| x.name == p)
                    .map(|x| &mut x.annotations)
                    .ok_or_else(|| nothing("no such parameter")),
            };
        }
        // The schema itself, by namespace or alias.
        let namespace = match self.aliases.get(head) {
            Some(ns) => Some(ns.clone()),
            None => self.namespaces.contains(head).then(|| head.to_string()),
        };
        if let Some(ns) = namespace
            && member.is_none()
            && self.namespaces.contains(&ns)
        {
            return Ok(self.model.schema_annotations.entry(ns).or_default());
        }
        let q = self.qualify(head);
        if self.model.container_name.as_deref() == Some(&*q) {
            return match member {
                None => Ok(&mut self.model.container_annotations),
                Some(m) => {
                    let m = m.split('/').next().unwrap_or(m);
                    if let Some(es) = self.model.entity_sets.get_mut(m) {
                        Ok(&mut es.annotations)
                    } else if let Some(s) = self.model.singletons.get_mut(m) {
                        Ok(&mut s.annotations)
                    } else {
                        Err(nothing("no entity set or singleton of that name"))
                    }
                }
            };
        }
        if let Some(s) = self.model.structs.get_mut(&*q) {
            return match member {
                None => Ok(&mut s.annotations),
                Some(m) => {
                    if let Some(p) = s.properties.iter_mut().find(|p| p.name == m) {
                        Ok(&mut p.annotations)
                    } else if let Some(n) = s.navigation_properties.iter_mut().find(|n| n.name == m)
                    {
                        Ok(&mut n.annotations)
                    } else {
                        Err(nothing("the type has no property of that name"))
                    }
                }
            };
        }
        if let Some(e) = self.model.enums.get_mut(&*q) {
            return match member {
                None => Ok(&mut e.annotations),
                Some(m) => e
                    .members
                    .iter_mut()
                    .find(|x| x.name == m)
                    .map(|x| &mut x.annotations)
                    .ok_or_else(|| nothing("the enum type has no member of that name")),
            };
        }
        if let Some(t) = self.model.type_definitions.get_mut(&*q) {
            return if member.is_none() {
                Ok(&mut t.annotations)
            } else {
                Err(nothing("a type definition has no members"))
            };
        }
        if let Some(t) = self.model.terms.get_mut(&*q) {
            return if member.is_none() {
                Ok(&mut t.annotations)
            } else {
                Err(nothing("a term has no members"))
            };
        }
        // An unqualified overload reference: every overload of the name.
        if member.is_none()
            && let Some(op) = self.model.operations.iter_mut().find(|o| o.name == q)
        {
            return Ok(&mut op.annotations);
        }
        Err(nothing("no type, operation or container of that name"))
    }

    fn normalise_type_name(&self, written: &str) -> String {
        let written = written.trim();
        match written
            .strip_prefix("Collection(")
            .and_then(|r| r.strip_suffix(')'))
        {
            Some(inner) => format!("Collection({})", self.qualify(inner.trim())),
            None => self.qualify(written).into_owned(),
        }
    }

    fn finish(mut self) -> Result<Model, Diagnostics> {
        if !self.errors.is_empty() {
            self.errors.sort_by_key(|d| d.pos);
            return Err(Diagnostics(self.errors));
        }
        self.model.aliases = self.aliases.into_iter().collect();
        self.model.index();
        Ok(self.model)
    }
}

/// Splits `ns.Type/member` or `ns.op(a, Collection(b))/param` at the first
/// slash outside parentheses.
fn split_target(target: &str) -> Option<(&str, Option<&str>)> {
    let mut depth = 0i32;
    for (i, c) in target.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            '/' if depth == 0 => return Some((&target[..i], Some(&target[i + 1..]))),
            _ => {}
        }
        if depth < 0 {
            return None;
        }
    }
    (depth == 0 && !target.is_empty()).then_some((target, None))
}

fn split_params(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut current = String::new();
    for c in args.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

/// Graph writes action targets with every parameter type; the OData spec
/// with the binding parameter only. Accept both.
fn overload_matches(op: &OperationDef, wanted: &[String]) -> bool {
    let mut all: Vec<String> = Vec::new();
    if let Some(b) = &op.binding {
        all.push(b.ty.to_string());
    }
    all.extend(op.parameters.iter().map(|p| p.ty.to_string()));
    if all == wanted {
        return true;
    }
    op.kind == OperationKind::Action
        && op.binding.is_some()
        && wanted.len() == 1
        && all.first() == wanted.first()
}
