//! Syntax tree → resolved [`Model`]: qualifies every name through the
//! schema and include aliases, resolves type references, merges external
//! annotations into their targets and checks the rules a generator relies on
//! (no cycles, no duplicates, keys on root entity types only).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::Model;
use super::types::*;
use crate::csdl::diagnostic::did_you_mean;
use crate::csdl::syntax::{self, Annotation, OperationKind, Pos, StructuredKind};
use crate::csdl::{Diagnostic, Diagnostics};

/// Resolves a parsed document. All errors found are reported together.
pub fn resolve(doc: &syntax::Document) -> Result<Model, Diagnostics> {
    let mut r = Resolver::new(doc);
    r.collect_aliases();
    r.declare();
    r.define();
    r.check_inheritance();
    r.apply_external_annotations();
    if r.errors.is_empty() {
        Ok(r.finish())
    } else {
        r.errors.sort_by_key(|d| d.pos);
        Err(Diagnostics(r.errors))
    }
}

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

struct Resolver<'d> {
    doc: &'d syntax::Document,
    file: String,
    /// alias or namespace → namespace
    aliases: HashMap<String, String>,
    /// Namespaces defined in this document.
    namespaces: HashSet<String>,
    /// Namespaces only referenced through `edmx:Include`.
    referenced: HashSet<String>,
    declared: HashMap<String, (Declared, Pos)>,
    /// Where each type's `Key` element is, for diagnostics.
    key_pos: HashMap<String, Pos>,
    model: Model,
    errors: Vec<Diagnostic>,
}

impl<'d> Resolver<'d> {
    fn new(doc: &'d syntax::Document) -> Self {
        Resolver {
            doc,
            file: doc.file.clone(),
            aliases: HashMap::new(),
            namespaces: HashSet::new(),
            referenced: HashSet::new(),
            declared: HashMap::new(),
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

    fn collect_aliases(&mut self) {
        let mut seen: HashMap<String, (String, Pos)> = HashMap::new();
        let mut add = |this: &mut Self, alias: &str, namespace: &str, pos: Pos| {
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
        for reference in &self.doc.references {
            for include in &reference.includes {
                self.referenced.insert(include.namespace.clone());
                if let Some(alias) = &include.alias {
                    add(self, alias, &include.namespace, include.pos);
                }
            }
        }
        for schema in &self.doc.schemas {
            if !self.namespaces.insert(schema.namespace.clone()) {
                // Several Schema elements may share a namespace in CSDL 4.01;
                // the names inside are checked for duplicates below.
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
        self.model.schemas = self
            .doc
            .schemas
            .iter()
            .map(|s| (s.namespace.clone(), s.alias.clone()))
            .collect();
    }

    /// `graph.user` → `microsoft.graph.user`; names without a dot are
    /// returned unchanged.
    fn qualify(&self, name: &str) -> String {
        match name.rsplit_once('.') {
            Some((prefix, local)) => match self.aliases.get(prefix) {
                Some(ns) => format!("{ns}.{local}"),
                None => name.to_string(),
            },
            None => name.to_string(),
        }
    }

    fn declare(&mut self) {
        let doc = self.doc;
        for schema in &doc.schemas {
            let ns = &schema.namespace;
            let mut items: Vec<(&str, Declared, Pos)> = Vec::new();
            items.extend(
                schema
                    .enum_types
                    .iter()
                    .map(|e| (e.name.as_str(), Declared::Enum, e.pos)),
            );
            items.extend(
                schema
                    .type_definitions
                    .iter()
                    .map(|t| (t.name.as_str(), Declared::TypeDefinition, t.pos)),
            );
            items.extend(
                schema
                    .complex_types
                    .iter()
                    .map(|t| (t.name.as_str(), Declared::Complex, t.pos)),
            );
            items.extend(
                schema
                    .entity_types
                    .iter()
                    .map(|t| (t.name.as_str(), Declared::Entity, t.pos)),
            );
            items.extend(
                schema
                    .terms
                    .iter()
                    .map(|t| (t.name.as_str(), Declared::Term, t.pos)),
            );
            items.extend(
                schema
                    .containers
                    .iter()
                    .map(|c| (c.name.as_str(), Declared::Container, c.pos)),
            );
            for (name, what, pos) in items {
                let q = format!("{ns}.{name}");
                if let Some((_, first)) = self.declared.get(&q) {
                    let msg = format!(
                        "duplicate name \"{name}\" in namespace \"{ns}\": first declared at {first}"
                    );
                    self.error(pos, msg);
                    continue;
                }
                self.declared.insert(q, (what, pos));
            }
            // Operations may be overloaded, and Graph reuses type names for
            // operations (`image`), so operation names are not checked here.
        }
    }

    fn resolve_type(&mut self, ty: &syntax::TypeRef) -> Option<TypeRef> {
        let q = self.qualify(&ty.name);
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
            match self.declared.get(&q).map(|(d, _)| *d) {
                Some(Declared::Enum) => TypeKind::Enum(q),
                Some(Declared::TypeDefinition) => TypeKind::TypeDefinition(q),
                Some(Declared::Complex) => TypeKind::Complex(q),
                Some(Declared::Entity) => TypeKind::Entity(q),
                Some(other) => {
                    self.error(
                        ty.pos,
                        format!("\"{}\" names a {other:?}, expected a type", ty.name),
                    );
                    return None;
                }
                None => {
                    self.unresolved(&ty.name, &q, ty.pos, "type");
                    return None;
                }
            }
        };
        Some(TypeRef {
            collection: ty.collection,
            kind,
        })
    }

    fn unresolved(&mut self, written: &str, qualified: &str, pos: Pos, what: &str) {
        let (ns, local) = qualified.rsplit_once('.').unwrap_or(("", qualified));
        if self.referenced.contains(ns) && !self.namespaces.contains(ns) {
            let msg = format!(
                "{what} \"{written}\" is in the referenced namespace \"{ns}\", which this document does not define"
            );
            self.error(pos, msg);
            return;
        }
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
        // Compare local names first (the usual typo), then whole names.
        let by_local = did_you_mean(
            local,
            candidates.iter().map(|c| c.rsplit('.').next().unwrap_or(c)),
        );
        let suggestion = by_local
            .and_then(|l| {
                let mut matches: Vec<&&String> = candidates
                    .iter()
                    .filter(|c| c.rsplit('.').next() == Some(l))
                    .collect();
                matches.sort_by_key(|c| (!c.starts_with(ns), c.len(), c.as_str()));
                matches.first().map(|c| c.to_string())
            })
            .or_else(|| {
                did_you_mean(qualified, candidates.iter().map(|c| c.as_str())).map(str::to_string)
            });
        let hint = suggestion
            .map(|s| format!("; did you mean \"{s}\"?"))
            .unwrap_or_default();
        self.error(
            pos,
            format!("unresolved {what} reference \"{written}\"{hint}"),
        );
    }

    fn define(&mut self) {
        let doc = self.doc;
        for schema in &doc.schemas {
            let ns = schema.namespace.clone();
            for e in &schema.enum_types {
                let def = self.define_enum(&ns, e);
                self.model.enums.insert(def.name.clone(), def);
            }
            for t in &schema.type_definitions {
                let q = format!("{ns}.{}", t.name);
                let underlying = self.qualify(&t.underlying_type);
                let Some(p) = underlying
                    .strip_prefix("Edm.")
                    .and_then(Primitive::from_edm_name)
                else {
                    self.error(t.pos, format!("type definition \"{q}\" has UnderlyingType \"{}\": expected an Edm primitive type", t.underlying_type));
                    continue;
                };
                self.model.type_definitions.insert(
                    q.clone(),
                    TypeDefinitionDef {
                        name: q,
                        underlying_type: p,
                        facets: t.facets.clone(),
                        annotations: t.annotations.clone(),
                        pos: t.pos,
                    },
                );
            }
            for t in schema.complex_types.iter().chain(&schema.entity_types) {
                if let Some(def) = self.define_struct(&ns, t) {
                    self.model.structs.insert(def.name.clone(), def);
                }
            }
            for op in &schema.operations {
                if let Some(def) = self.define_operation(&ns, op) {
                    self.model.operations.push(def);
                }
            }
            for term in &schema.terms {
                self.model
                    .terms
                    .insert(format!("{ns}.{}", term.name), term.clone());
            }
            for c in &schema.containers {
                self.model.container_name = Some(format!("{ns}.{}", c.name));
                // Inline annotations first; external ones are merged later.
                self.model
                    .container_annotations
                    .extend(c.annotations.iter().cloned());
                for es in &c.entity_sets {
                    let ty = self.qualify(&es.entity_type);
                    if !matches!(self.declared.get(&ty), Some((Declared::Entity, _))) {
                        self.unresolved(&es.entity_type, &ty, es.pos, "entity type");
                        continue;
                    }
                    self.model.entity_sets.insert(
                        es.name.clone(),
                        EntitySetDef {
                            name: es.name.clone(),
                            entity_type: ty,
                            annotations: es.annotations.clone(),
                            pos: es.pos,
                        },
                    );
                }
                for s in &c.singletons {
                    let ty = self.qualify(&s.ty);
                    if !matches!(self.declared.get(&ty), Some((Declared::Entity, _))) {
                        self.unresolved(&s.ty, &ty, s.pos, "entity type");
                        continue;
                    }
                    self.model.singletons.insert(
                        s.name.clone(),
                        SingletonDef {
                            name: s.name.clone(),
                            ty,
                            annotations: s.annotations.clone(),
                            pos: s.pos,
                        },
                    );
                }
            }
        }
    }

    fn define_enum(&mut self, ns: &str, e: &syntax::EnumType) -> EnumDef {
        let name = format!("{ns}.{}", e.name);
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
        let mut members = Vec::with_capacity(e.members.len());
        let mut seen: HashMap<&str, Pos> = HashMap::new();
        let mut next = 0i64;
        for m in &e.members {
            if let Some(first) = seen.insert(m.name.as_str(), m.pos) {
                self.error(m.pos, format!("duplicate member \"{}\" in enum type \"{name}\": first declared at {first}", m.name));
                continue;
            }
            let value = m.value.unwrap_or(next);
            next = value.saturating_add(1);
            members.push(EnumMemberDef {
                name: m.name.clone(),
                value,
                annotations: m.annotations.clone(),
                pos: m.pos,
            });
        }
        EnumDef {
            name,
            underlying_type: underlying,
            is_flags: e.is_flags,
            members,
            annotations: e.annotations.clone(),
            pos: e.pos,
        }
    }

    fn define_struct(&mut self, ns: &str, t: &syntax::StructuredType) -> Option<StructDef> {
        let name = format!("{ns}.{}", t.name);
        let base_type = match &t.base_type {
            None => None,
            Some(b) => {
                let q = self.qualify(b);
                let expected = match t.kind {
                    StructuredKind::Complex => Declared::Complex,
                    StructuredKind::Entity => Declared::Entity,
                };
                match self.declared.get(&q).map(|(d, _)| *d) {
                    Some(d) if d == expected => Some(q),
                    Some(d) => {
                        self.error(t.pos, format!("\"{name}\" has BaseType \"{b}\", which is a {d:?} type: expected a {expected:?} type"));
                        None
                    }
                    None => {
                        self.unresolved(b, &q, t.pos, "base type");
                        None
                    }
                }
            }
        };
        let mut member_names: HashMap<&str, Pos> = HashMap::new();
        let mut properties = Vec::with_capacity(t.properties.len());
        for p in &t.properties {
            if let Some(first) = member_names.insert(p.name.as_str(), p.pos) {
                self.error(
                    p.pos,
                    format!(
                        "duplicate property \"{}\" in \"{name}\": first declared at {first}",
                        p.name
                    ),
                );
                continue;
            }
            if let Some(ty) = self.resolve_type(&p.ty) {
                properties.push(PropertyDef {
                    name: p.name.clone(),
                    ty,
                    nullable: p.is_nullable(),
                    facets: p.facets.clone(),
                    default_value: p.default_value.clone(),
                    annotations: p.annotations.clone(),
                    pos: p.pos,
                });
            }
        }
        let mut navigation_properties = Vec::with_capacity(t.navigation_properties.len());
        for n in &t.navigation_properties {
            if let Some(first) = member_names.insert(n.name.as_str(), n.pos) {
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
                if !matches!(ty.kind, TypeKind::Entity(_)) {
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
                    name: n.name.clone(),
                    ty,
                    nullable: n.nullable.unwrap_or(true),
                    contains_target: n.contains_target,
                    partner: n.partner.clone(),
                    annotations: n.annotations.clone(),
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
            annotations: t.annotations.clone(),
            pos: t.pos,
        })
    }

    fn define_operation(&mut self, ns: &str, op: &syntax::Operation) -> Option<OperationDef> {
        let name = format!("{ns}.{}", op.name);
        let mut params = Vec::with_capacity(op.parameters.len());
        let mut ok = true;
        for p in &op.parameters {
            match self.resolve_type(&p.ty) {
                Some(ty) => params.push(ParameterDef {
                    name: p.name.clone(),
                    ty,
                    nullable: p.nullable.unwrap_or(true),
                    facets: p.facets.clone(),
                    annotations: p.annotations.clone(),
                    pos: p.pos,
                }),
                None => ok = false,
            }
        }
        let return_type = match &op.return_type {
            Some(r) => match self.resolve_type(&r.ty) {
                Some(ty) => Some(ReturnDef {
                    ty,
                    nullable: r.nullable.unwrap_or(true),
                }),
                None => {
                    ok = false;
                    None
                }
            },
            None => None,
        };
        if op.kind == OperationKind::Function && op.return_type.is_none() {
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
        ok.then(|| OperationDef {
            kind: op.kind,
            name,
            is_bound: op.is_bound,
            is_composable: op.is_composable,
            entity_set_path: op.entity_set_path.clone(),
            binding,
            parameters: params,
            return_type,
            annotations: op.annotations.clone(),
            pos: op.pos,
        })
    }

    fn check_inheritance(&mut self) {
        let names: Vec<String> = self.model.structs.keys().cloned().collect();
        let mut reported: HashSet<String> = HashSet::new();
        for start in names {
            let mut chain = vec![start.clone()];
            let mut current = start.clone();
            while let Some(base) = self
                .model
                .structs
                .get(&current)
                .and_then(|s| s.base_type.clone())
            {
                if let Some(i) = chain.iter().position(|n| *n == base) {
                    let cycle: Vec<String> =
                        chain[i..].iter().cloned().chain([base.clone()]).collect();
                    if cycle.iter().all(|c| !reported.contains(c)) {
                        let pos = self.model.structs[&base].pos;
                        let msg = format!("BaseType cycle: {}", cycle.join(" -> "));
                        self.error(pos, msg);
                        reported.extend(cycle);
                    }
                    // Break the cycle so later stages terminate.
                    break;
                }
                chain.push(base.clone());
                current = base;
            }
        }
        if !reported.is_empty() {
            return;
        }
        // A key may be declared below an abstract, keyless base (Graph's
        // policyDeletableItem), but never redeclared under a keyed ancestor.
        let mut key_errors = Vec::new();
        for s in self.model.structs.values() {
            if s.key.is_empty() {
                continue;
            }
            let mut base = s.base_type.clone();
            while let Some(b) = base {
                let Some(def) = self.model.structs.get(&b) else {
                    break;
                };
                if !def.key.is_empty() {
                    key_errors.push((self.key_pos.get(&s.name).copied().unwrap_or(s.pos), format!(
                        "key declared on derived type \"{}\": its ancestor \"{b}\" already declares the key",
                        s.name
                    )));
                    break;
                }
                base = def.base_type.clone();
            }
        }
        for (pos, msg) in key_errors {
            self.error(pos, msg);
        }
        let mut derived: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for s in self.model.structs.values() {
            if let Some(b) = &s.base_type {
                derived.entry(b.clone()).or_default().push(s.name.clone());
            }
        }
        for list in derived.values_mut() {
            list.sort();
        }
        self.model.derived = derived;
    }

    fn apply_external_annotations(&mut self) {
        let doc = self.doc;
        for schema in &doc.schemas {
            for block in &schema.annotations {
                let mut annotations = block.annotations.clone();
                if let Some(q) = &block.qualifier {
                    for a in &mut annotations {
                        a.qualifier.get_or_insert_with(|| q.clone());
                    }
                }
                match self.find_target(&block.target) {
                    Ok(slot) => slot.extend(annotations),
                    Err(msg) => self.error(block.pos, msg),
                }
            }
        }
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
        let q = self.qualify(head);
        if self.model.container_name.as_deref() == Some(q.as_str()) {
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
        if let Some(s) = self.model.structs.get_mut(&q) {
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
        if let Some(e) = self.model.enums.get_mut(&q) {
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
        if let Some(t) = self.model.type_definitions.get_mut(&q) {
            return if member.is_none() {
                Ok(&mut t.annotations)
            } else {
                Err(nothing("a type definition has no members"))
            };
        }
        if let Some(t) = self.model.terms.get_mut(&q) {
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
            None => self.qualify(written),
        }
    }

    fn finish(mut self) -> Model {
        self.model.aliases = std::mem::take(&mut self.aliases);
        self.model.index();
        self.model
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
