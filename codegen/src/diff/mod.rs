//! A semantic diff of two resolved models (normally two slices of the Graph
//! beta metadata), each change classified by what it means for users of the
//! generated Rust crate.
//!
//! The classes, most severe first ([`Severity`]):
//!
//! - **breaking**: code written against the old crate may stop compiling or
//!   stop working: a removed (or renamed) type, property, navigation
//!   property, enum member, operation, parameter, alternate key, entity set
//!   or singleton; a changed type (of a property, parameter, return value,
//!   base type, key); a new required (non-nullable) action parameter; any
//!   parameter change of a function (its parameters are method arguments).
//! - **additive**: new API that old code does not see: a new type, optional
//!   property, navigation property, operation, alternate key, enum member
//!   (the generated enums are `#[non_exhaustive]`, and until a release knows
//!   the member it decodes into `UnknownValue`).
//! - **deprecation**: a new, changed or withdrawn `Core.Revisions`
//!   deprecation (with its removal date).
//! - **note**: worth a reviewer's eye but neither breaking nor new API:
//!   nullability of properties (the generated fields are `Field<T>` either
//!   way: reads still compile, and a property that became non-nullable
//!   still decodes), enum member values (the wire uses names), a property
//!   moving to a base type, abstract/open flags, and patches in force.

mod render;
mod semver;

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

pub use render::{json, markdown, summary};
pub use semver::{Bump, Suggestion, Version, suggest};

use crate::csdl::syntax::{Annotation, OperationKind, StructuredKind};
use crate::model::{
    EnumDef, Model, NavigationDef, OperationDef, ParameterDef, PropertyDef, ReturnDef, StructDef,
    TypeRef, vocab,
};
use crate::plan::{self, Paths, Plan};

/// How a change affects users of the generated crate; ordered from the
/// least to the most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Deprecation,
    Additive,
    Breaking,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Breaking,
        Severity::Additive,
        Severity::Deprecation,
        Severity::Note,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Additive => "additive",
            Severity::Deprecation => "deprecation",
            Severity::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What changed, independent of how severe it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    TypeAdded,
    TypeRemoved,
    TypeKindChanged,
    BaseTypeChanged,
    KeyChanged,
    TypeFlagsChanged,
    UnderlyingTypeChanged,
    PropertyAdded,
    PropertyRemoved,
    PropertyTypeChanged,
    PropertyNullabilityChanged,
    PropertyDefaultChanged,
    PropertyMoved,
    NavigationAdded,
    NavigationRemoved,
    NavigationTypeChanged,
    NavigationContainmentChanged,
    NavigationNullabilityChanged,
    DeltaUpdateAdded,
    DeltaUpdateRemoved,
    EnumMemberAdded,
    EnumMemberRemoved,
    EnumMemberValueChanged,
    AlternateKeyAdded,
    AlternateKeyRemoved,
    OperationAdded,
    OperationRemoved,
    MethodRenamed,
    ParameterAdded,
    ParameterRemoved,
    ParameterTypeChanged,
    ParameterNullabilityChanged,
    ReturnTypeChanged,
    ReturnNullabilityChanged,
    EntitySetAdded,
    EntitySetRemoved,
    EntitySetTypeChanged,
    SingletonAdded,
    SingletonRemoved,
    SingletonTypeChanged,
    Deprecated,
    DeprecationChanged,
    DeprecationWithdrawn,
    PatchAdded,
    PatchRemoved,
    PatchChanged,
    /// One side could not be planned, so generated names were not compared.
    NotPlanned,
}

impl ChangeKind {
    /// Words for reports: `property removed`.
    pub fn describe(self) -> &'static str {
        use ChangeKind::*;
        match self {
            TypeAdded => "type added",
            TypeRemoved => "type removed",
            TypeKindChanged => "kind of type changed",
            BaseTypeChanged => "base type changed",
            KeyChanged => "key changed",
            TypeFlagsChanged => "type flags changed",
            UnderlyingTypeChanged => "underlying type changed",
            PropertyAdded => "property added",
            PropertyRemoved => "property removed",
            PropertyTypeChanged => "property type changed",
            PropertyNullabilityChanged => "property nullability changed",
            PropertyDefaultChanged => "property default changed",
            PropertyMoved => "property moved",
            NavigationAdded => "navigation property added",
            NavigationRemoved => "navigation property removed",
            NavigationTypeChanged => "navigation property type changed",
            NavigationContainmentChanged => "navigation containment changed",
            NavigationNullabilityChanged => "navigation nullability changed",
            DeltaUpdateAdded => "delta update added",
            DeltaUpdateRemoved => "delta update removed",
            EnumMemberAdded => "enum member added",
            EnumMemberRemoved => "enum member removed",
            EnumMemberValueChanged => "enum member value changed",
            AlternateKeyAdded => "alternate key added",
            AlternateKeyRemoved => "alternate key removed",
            OperationAdded => "operation added",
            OperationRemoved => "operation removed",
            MethodRenamed => "generated method renamed",
            ParameterAdded => "parameter added",
            ParameterRemoved => "parameter removed",
            ParameterTypeChanged => "parameter type changed",
            ParameterNullabilityChanged => "parameter nullability changed",
            ReturnTypeChanged => "return type changed",
            ReturnNullabilityChanged => "return nullability changed",
            EntitySetAdded => "entity set added",
            EntitySetRemoved => "entity set removed",
            EntitySetTypeChanged => "entity set type changed",
            SingletonAdded => "singleton added",
            SingletonRemoved => "singleton removed",
            SingletonTypeChanged => "singleton type changed",
            Deprecated => "deprecated",
            DeprecationChanged => "deprecation changed",
            DeprecationWithdrawn => "deprecation withdrawn",
            PatchAdded => "patch now in force",
            PatchRemoved => "patch no longer in force",
            PatchChanged => "patch file changed",
            NotPlanned => "generated code not compared",
        }
    }
}

/// One classified change.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub severity: Severity,
    /// The element: `microsoft.graph.x`, `microsoft.graph.x/property`,
    /// an operation signature, or a patch file.
    pub target: String,
    pub kind: ChangeKind,
    /// Old and new values, or what the element is.
    pub detail: String,
}

impl Change {
    fn new(
        severity: Severity,
        kind: ChangeKind,
        target: impl Into<String>,
        detail: String,
    ) -> Self {
        Change {
            severity,
            target: target.into(),
            kind,
            detail,
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} {}",
            self.severity,
            self.kind.describe(),
            self.target
        )?;
        if !self.detail.is_empty() {
            write!(f, " ({})", self.detail)?;
        }
        Ok(())
    }
}

/// The diff of two models.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Where the old and the new model came from (file, git revision).
    pub old: String,
    pub new: String,
    /// Most severe first, then by target.
    pub changes: Vec<Change>,
    /// The metadata patches recorded in the new model.
    pub patches_in_force: Vec<PatchInForce>,
}

/// A metadata patch recorded in a model: on the entity container (with the
/// patch file's digest, `AppliedPatch`) and on the elements it touched
/// (with its description, `Patched`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PatchInForce {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Every patch recorded in `model`, by file name.
pub fn patches_in_force(model: &Model) -> Vec<PatchInForce> {
    let mut out: BTreeMap<String, PatchInForce> = BTreeMap::new();
    let mut found: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    for a in &model.container_annotations {
        let Some(value) = a.value.as_ref().and_then(crate::csdl::syntax::Expr::as_str) else {
            continue;
        };
        if vocab::term_is(&a.term, vocab::SDK, "AppliedPatch") {
            let (file, digest) = match value.split_once(" sha256:") {
                Some((f, d)) => (f, Some(d.to_string())),
                None => (value, None),
            };
            found.push((file.to_string(), digest, None));
        }
    }
    let mut notes: Vec<String> = Vec::new();
    let mut collect = |annotations: &[Annotation]| notes.extend(vocab::patched(annotations));
    collect(&model.container_annotations);
    for e in model.enums.values() {
        collect(&e.annotations);
        e.members.iter().for_each(|m| collect(&m.annotations));
    }
    for t in model.type_definitions.values() {
        collect(&t.annotations);
    }
    for s in model.structs.values() {
        collect(&s.annotations);
        s.properties.iter().for_each(|p| collect(&p.annotations));
        s.navigation_properties
            .iter()
            .for_each(|n| collect(&n.annotations));
    }
    for o in &model.operations {
        collect(&o.annotations);
        o.parameters.iter().for_each(|p| collect(&p.annotations));
    }
    for es in model.entity_sets.values() {
        collect(&es.annotations);
    }
    for sg in model.singletons.values() {
        collect(&sg.annotations);
    }
    for note in notes {
        let (file, text) = note.split_once(": ").unwrap_or((note.as_str(), ""));
        found.push((file.to_string(), None, Some(text.to_string())));
    }
    for (file, digest, description) in found {
        let p = out.entry(file.clone()).or_insert_with(|| PatchInForce {
            file,
            sha256: None,
            description: None,
        });
        if p.sha256.is_none() {
            p.sha256 = digest;
        }
        if p.description.is_none() {
            p.description = description.filter(|d| !d.is_empty());
        }
    }
    out.into_values().collect()
}

impl Report {
    /// The most severe class present; `None` when nothing changed.
    pub fn classification(&self) -> Option<Severity> {
        self.changes.iter().map(|c| c.severity).max()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.changes
            .iter()
            .filter(|c| c.severity == severity)
            .count()
    }

    /// Whether `--fail-on threshold` fails: a change of that class or of a
    /// more severe one is present.
    pub fn fails_on(&self, threshold: Severity) -> bool {
        self.classification().is_some_and(|c| c >= threshold)
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Compares two resolved models, and the generated Rust of the paths
/// `paths` covers in each: a method name is what the plan of each side
/// says, the same plan the code and the API listing are made from.
pub fn diff(old: &Model, new: &Model, paths: &dyn Paths) -> Report {
    let options = plan::Options::default();
    // Names do not depend on the documentation.
    let docs = crate::docs::DocsFacts::default();
    let plans = (
        plan::plan(old, paths, &options, &docs),
        plan::plan(new, paths, &options, &docs),
    );
    let mut d = Differ {
        old,
        new,
        plans: match &plans {
            (Ok(o), Ok(n)) => Some((o, n)),
            _ => None,
        },
        out: Vec::new(),
    };
    for (side, planned) in [("old", &plans.0), ("new", &plans.1)] {
        if let Err(e) = planned {
            let first = e.0.first().map(ToString::to_string).unwrap_or_default();
            d.push(
                Severity::Note,
                ChangeKind::NotPlanned,
                &format!("{side} schema"),
                format!("it cannot be generated, so method names were not compared: {first}"),
            );
        }
    }
    d.enums();
    d.type_definitions();
    d.structs();
    d.operations();
    d.container();
    d.patches();
    let mut changes = d.out;
    changes.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.target.cmp(&b.target))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.detail.cmp(&b.detail))
    });
    changes.dedup();
    Report {
        old: old.file.clone(),
        new: new.file.clone(),
        changes,
        patches_in_force: patches_in_force(new),
    }
}

struct Differ<'m> {
    old: &'m Model,
    new: &'m Model,
    /// The plans of both sides, when both could be planned.
    plans: Option<(&'m Plan, &'m Plan)>,
    out: Vec<Change>,
}

fn nullability(nullable: bool) -> &'static str {
    if nullable { "nullable" } else { "not nullable" }
}

fn typed(ty: &TypeRef, nullable: bool) -> String {
    format!("{ty}, {}", nullability(nullable))
}

fn deprecation_suffix(annotations: &[Annotation]) -> String {
    match vocab::deprecation(annotations) {
        Some(r) => format!("; {}", r.note()),
        None => String::new(),
    }
}

fn struct_kind(kind: StructuredKind) -> &'static str {
    match kind {
        StructuredKind::Complex => "complex type",
        StructuredKind::Entity => "entity type",
    }
}

fn key_text(key: &vocab::AlternateKey) -> String {
    key.parts
        .iter()
        .map(|(alias, path)| {
            if alias == path {
                path.clone()
            } else {
                format!("{alias}={path}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn return_text(r: Option<&ReturnDef>) -> String {
    match r {
        Some(r) => r.ty.to_string(),
        None => "nothing".to_string(),
    }
}

impl Differ<'_> {
    fn push(&mut self, severity: Severity, kind: ChangeKind, target: &str, detail: String) {
        self.out.push(Change::new(severity, kind, target, detail));
    }

    /// New, changed and withdrawn deprecations of an element in both models.
    fn revisions(&mut self, target: &str, old: &[Annotation], new: &[Annotation]) {
        let (o, n) = (vocab::deprecation(old), vocab::deprecation(new));
        match (o, n) {
            (None, Some(n)) => self.push(
                Severity::Deprecation,
                ChangeKind::Deprecated,
                target,
                n.note(),
            ),
            (Some(o), None) => self.push(
                Severity::Deprecation,
                ChangeKind::DeprecationWithdrawn,
                target,
                format!("was: {}", o.note()),
            ),
            (Some(o), Some(n)) if o != n => {
                let mut parts = Vec::new();
                let field = |name: &str, a: &Option<String>, b: &Option<String>| {
                    (a != b).then(|| {
                        format!(
                            "{name} {} → {}",
                            a.as_deref().unwrap_or("none"),
                            b.as_deref().unwrap_or("none")
                        )
                    })
                };
                parts.extend(field("removal date", &o.removal_date, &n.removal_date));
                parts.extend(field("date", &o.date, &n.date));
                parts.extend(field("version", &o.version, &n.version));
                parts.extend(field("description", &o.description, &n.description));
                self.push(
                    Severity::Deprecation,
                    ChangeKind::DeprecationChanged,
                    target,
                    parts.join("; "),
                );
            }
            _ => {}
        }
    }

    fn enums(&mut self) {
        for (name, o) in &self.old.enums {
            if !self.new.enums.contains_key(name) && !self.new.structs.contains_key(name) {
                self.push(
                    Severity::Breaking,
                    ChangeKind::TypeRemoved,
                    name,
                    format!("enum type, members: {}", member_list(o)),
                );
            }
        }
        for (name, n) in &self.new.enums {
            let Some(o) = self.old.enums.get(name) else {
                if let Some(s) = self.old.structs.get(name) {
                    self.push(
                        Severity::Breaking,
                        ChangeKind::TypeKindChanged,
                        name,
                        format!("{} → enum type", struct_kind(s.kind)),
                    );
                } else {
                    self.push(
                        Severity::Additive,
                        ChangeKind::TypeAdded,
                        name,
                        format!(
                            "enum type, members: {}{}",
                            member_list(n),
                            deprecation_suffix(&n.annotations)
                        ),
                    );
                }
                continue;
            };
            self.revisions(name, &o.annotations, &n.annotations);
            if o.is_flags != n.is_flags {
                self.push(
                    Severity::Breaking,
                    ChangeKind::TypeFlagsChanged,
                    name,
                    format!("IsFlags {} → {}", o.is_flags, n.is_flags),
                );
            }
            if o.underlying_type != n.underlying_type {
                self.push(
                    Severity::Note,
                    ChangeKind::UnderlyingTypeChanged,
                    name,
                    format!(
                        "Edm.{} → Edm.{}",
                        o.underlying_type.edm_name(),
                        n.underlying_type.edm_name()
                    ),
                );
            }
            for om in &o.members {
                let target = format!("{name}/{}", om.name);
                match n.members.iter().find(|m| m.name == om.name) {
                    None => self.push(
                        Severity::Breaking,
                        ChangeKind::EnumMemberRemoved,
                        &target,
                        format!("value {}", om.value),
                    ),
                    Some(nm) => {
                        if nm.value != om.value {
                            self.push(
                                Severity::Note,
                                ChangeKind::EnumMemberValueChanged,
                                &target,
                                format!("{} → {} (the wire uses names)", om.value, nm.value),
                            );
                        }
                        self.revisions(&target, &om.annotations, &nm.annotations);
                    }
                }
            }
            for nm in &n.members {
                if !o.members.iter().any(|m| m.name == nm.name) {
                    self.push(
                        Severity::Additive,
                        ChangeKind::EnumMemberAdded,
                        &format!("{name}/{}", nm.name),
                        format!(
                            "value {}; older releases decode it as UnknownValue{}",
                            nm.value,
                            deprecation_suffix(&nm.annotations)
                        ),
                    );
                }
            }
        }
    }

    fn type_definitions(&mut self) {
        for (name, o) in &self.old.type_definitions {
            match self.new.type_definitions.get(name) {
                None => self.push(
                    Severity::Breaking,
                    ChangeKind::TypeRemoved,
                    name,
                    format!("type definition of Edm.{}", o.underlying_type.edm_name()),
                ),
                Some(n) => {
                    if n.underlying_type != o.underlying_type {
                        self.push(
                            Severity::Breaking,
                            ChangeKind::UnderlyingTypeChanged,
                            name,
                            format!(
                                "Edm.{} → Edm.{}",
                                o.underlying_type.edm_name(),
                                n.underlying_type.edm_name()
                            ),
                        );
                    }
                    self.revisions(name, &o.annotations, &n.annotations);
                }
            }
        }
        for (name, n) in &self.new.type_definitions {
            if !self.old.type_definitions.contains_key(name) {
                self.push(
                    Severity::Additive,
                    ChangeKind::TypeAdded,
                    name,
                    format!("type definition of Edm.{}", n.underlying_type.edm_name()),
                );
            }
        }
    }

    fn structs(&mut self) {
        for (name, o) in &self.old.structs {
            if !self.new.structs.contains_key(name) {
                // A struct that became an enum is reported by enums().
                if !self.new.enums.contains_key(name) {
                    self.push(
                        Severity::Breaking,
                        ChangeKind::TypeRemoved,
                        name,
                        struct_summary(o),
                    );
                }
            }
        }
        for (name, n) in &self.new.structs {
            match self.old.structs.get(name) {
                Some(o) => self.structure(name, o, n),
                None if self.old.enums.contains_key(name) => self.push(
                    Severity::Breaking,
                    ChangeKind::TypeKindChanged,
                    name,
                    format!("enum type → {}", struct_kind(n.kind)),
                ),
                None => {
                    let detail = format!(
                        "{}{}",
                        struct_summary(n),
                        deprecation_suffix(&n.annotations)
                    );
                    self.push(Severity::Additive, ChangeKind::TypeAdded, name, detail);
                }
            }
        }
    }

    fn structure(&mut self, name: &str, o: &StructDef, n: &StructDef) {
        self.revisions(name, &o.annotations, &n.annotations);
        if o.kind != n.kind {
            self.push(
                Severity::Breaking,
                ChangeKind::TypeKindChanged,
                name,
                format!("{} → {}", struct_kind(o.kind), struct_kind(n.kind)),
            );
        }
        if o.base_type != n.base_type {
            self.push(
                Severity::Breaking,
                ChangeKind::BaseTypeChanged,
                name,
                format!(
                    "{} → {}",
                    o.base_type.as_deref().unwrap_or("none"),
                    n.base_type.as_deref().unwrap_or("none")
                ),
            );
        }
        let (ok, nk) = (self.old.key(name), self.new.key(name));
        if ok != nk {
            let text = |k: &[crate::model::KeyPart]| {
                k.iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            self.push(
                Severity::Breaking,
                ChangeKind::KeyChanged,
                name,
                format!("({}) → ({})", text(ok), text(nk)),
            );
        }
        let flags = |s: &StructDef| {
            let mut f = Vec::new();
            if s.is_abstract {
                f.push("abstract");
            }
            if s.open_type {
                f.push("open");
            }
            if s.has_stream {
                f.push("has stream");
            }
            if f.is_empty() {
                "none".to_string()
            } else {
                f.join(", ")
            }
        };
        if (o.is_abstract, o.open_type, o.has_stream) != (n.is_abstract, n.open_type, n.has_stream)
        {
            self.push(
                Severity::Note,
                ChangeKind::TypeFlagsChanged,
                name,
                format!("{} → {}", flags(o), flags(n)),
            );
        }
        self.properties(name, o, n);
        self.navigations(name, o, n);
        let (oks, nks) = (
            vocab::alternate_keys(&o.annotations),
            vocab::alternate_keys(&n.annotations),
        );
        for k in &oks {
            if !nks.contains(k) {
                self.push(
                    Severity::Breaking,
                    ChangeKind::AlternateKeyRemoved,
                    name,
                    format!("({})", key_text(k)),
                );
            }
        }
        for k in &nks {
            if !oks.contains(k) {
                self.push(
                    Severity::Additive,
                    ChangeKind::AlternateKeyAdded,
                    name,
                    format!("({})", key_text(k)),
                );
            }
        }
    }

    /// A property that moved between a type and its base: a note when its
    /// type stayed the same (the Rust struct keeps the field), else breaking.
    fn property_moved(
        &mut self,
        target: &str,
        old: &PropertyDef,
        new: &PropertyDef,
        moved: &str,
        retyped: &str,
    ) {
        if old.ty == new.ty {
            let detail = format!("{moved} ({})", typed(&new.ty, new.nullable));
            self.push(Severity::Note, ChangeKind::PropertyMoved, target, detail);
        } else {
            let detail = format!("{} → {} ({retyped})", old.ty, new.ty);
            self.push(
                Severity::Breaking,
                ChangeKind::PropertyTypeChanged,
                target,
                detail,
            );
        }
    }

    fn properties(&mut self, name: &str, o: &StructDef, n: &StructDef) {
        for op in &o.properties {
            let target = format!("{name}/{}", op.name);
            let Some(np) = n.properties.iter().find(|p| p.name == op.name) else {
                // Still there through a new base type: the Rust struct keeps the field.
                let new = self.new;
                match new
                    .all_properties(name)
                    .into_iter()
                    .find(|p| p.name == op.name)
                {
                    Some(inherited) => self.property_moved(
                        &target,
                        op,
                        inherited,
                        "now inherited from a base type",
                        "now inherited",
                    ),
                    None => self.push(
                        Severity::Breaking,
                        ChangeKind::PropertyRemoved,
                        &target,
                        typed(&op.ty, op.nullable),
                    ),
                }
                continue;
            };
            self.property(&target, op, np);
        }
        for np in &n.properties {
            if o.properties.iter().any(|p| p.name == np.name) {
                continue;
            }
            let target = format!("{name}/{}", np.name);
            let old = self.old;
            match old
                .all_properties(name)
                .into_iter()
                .find(|p| p.name == np.name)
            {
                Some(inherited) => self.property_moved(
                    &target,
                    inherited,
                    np,
                    "now declared here, was inherited",
                    "now declared here",
                ),
                None => self.push(
                    Severity::Additive,
                    ChangeKind::PropertyAdded,
                    &target,
                    format!(
                        "{}{}",
                        typed(&np.ty, np.nullable),
                        deprecation_suffix(&np.annotations)
                    ),
                ),
            }
        }
    }

    fn property(&mut self, target: &str, o: &PropertyDef, n: &PropertyDef) {
        if o.ty != n.ty {
            self.push(
                Severity::Breaking,
                ChangeKind::PropertyTypeChanged,
                target,
                format!("{} → {}", o.ty, n.ty),
            );
        }
        if o.nullable != n.nullable {
            let why = if n.nullable {
                "values may now be null"
            } else {
                "reads unaffected; writes should now send a value"
            };
            self.push(
                Severity::Note,
                ChangeKind::PropertyNullabilityChanged,
                target,
                format!(
                    "{} → {}: {why}",
                    nullability(o.nullable),
                    nullability(n.nullable)
                ),
            );
        }
        if o.default_value != n.default_value {
            self.push(
                Severity::Note,
                ChangeKind::PropertyDefaultChanged,
                target,
                format!(
                    "{} → {}",
                    o.default_value.as_deref().unwrap_or("none"),
                    n.default_value.as_deref().unwrap_or("none")
                ),
            );
        }
        self.revisions(target, &o.annotations, &n.annotations);
    }

    fn navigations(&mut self, name: &str, o: &StructDef, n: &StructDef) {
        for on in &o.navigation_properties {
            let target = format!("{name}/{}", on.name);
            match n.navigation_properties.iter().find(|x| x.name == on.name) {
                None => {
                    if self
                        .new
                        .all_navigation_properties(name)
                        .iter()
                        .any(|x| x.name == on.name && x.ty == on.ty)
                    {
                        self.push(
                            Severity::Note,
                            ChangeKind::PropertyMoved,
                            &target,
                            "now inherited from a base type".into(),
                        );
                    } else {
                        self.push(
                            Severity::Breaking,
                            ChangeKind::NavigationRemoved,
                            &target,
                            nav_text(on),
                        );
                    }
                }
                Some(nn) => self.navigation(&target, on, nn),
            }
        }
        for nn in &n.navigation_properties {
            if o.navigation_properties.iter().any(|x| x.name == nn.name) {
                continue;
            }
            let target = format!("{name}/{}", nn.name);
            if self
                .old
                .all_navigation_properties(name)
                .iter()
                .any(|x| x.name == nn.name && x.ty == nn.ty)
            {
                self.push(
                    Severity::Note,
                    ChangeKind::PropertyMoved,
                    &target,
                    "now declared here, was inherited".into(),
                );
            } else {
                let detail = format!("{}{}", nav_text(nn), deprecation_suffix(&nn.annotations));
                self.push(
                    Severity::Additive,
                    ChangeKind::NavigationAdded,
                    &target,
                    detail,
                );
            }
        }
    }

    fn navigation(&mut self, target: &str, o: &NavigationDef, n: &NavigationDef) {
        if o.ty != n.ty {
            self.push(
                Severity::Breaking,
                ChangeKind::NavigationTypeChanged,
                target,
                format!("{} → {}", o.ty, n.ty),
            );
        }
        if o.contains_target != n.contains_target {
            self.push(
                Severity::Breaking,
                ChangeKind::NavigationContainmentChanged,
                target,
                format!(
                    "ContainsTarget {} → {}: request paths through it change",
                    o.contains_target, n.contains_target
                ),
            );
        }
        if o.nullable != n.nullable {
            self.push(
                Severity::Note,
                ChangeKind::NavigationNullabilityChanged,
                target,
                format!("{} → {}", nullability(o.nullable), nullability(n.nullable)),
            );
        }
        match (
            vocab::delta_update(&o.annotations),
            vocab::delta_update(&n.annotations),
        ) {
            (Some(d), None) => self.push(
                Severity::Breaking,
                ChangeKind::DeltaUpdateRemoved,
                target,
                format!(
                    "delta_update (at most {} items) is no longer generated",
                    d.max_items
                ),
            ),
            (None, Some(d)) => self.push(
                Severity::Additive,
                ChangeKind::DeltaUpdateAdded,
                target,
                format!("delta_update, at most {} items", d.max_items),
            ),
            _ => {}
        }
        self.revisions(target, &o.annotations, &n.annotations);
    }

    fn operations(&mut self) {
        let (old, new) = (operation_index(self.old), operation_index(self.new));
        let pairs = pair_operations(&old, &new);
        for o in &pairs.removed {
            self.push(
                Severity::Breaking,
                ChangeKind::OperationRemoved,
                &o.signature(),
                operation_text(o),
            );
        }
        for (o, n) in &pairs.same {
            self.operation(o, n);
        }
        for n in &pairs.added {
            let detail = format!(
                "{}{}",
                operation_text(n),
                deprecation_suffix(&n.annotations)
            );
            self.push(
                Severity::Additive,
                ChangeKind::OperationAdded,
                &n.signature(),
                detail,
            );
        }
        // An overload added or removed can rename the methods generated for
        // the others (`recent` → `recent_with_top`).
        let Some((old_plan, new_plan)) = self.plans else {
            return;
        };
        let (old_names, new_names) = (
            old_plan.method_names_by_operation(),
            new_plan.method_names_by_operation(),
        );
        for (o, n) in &pairs.same {
            let (Some(before), Some(after)) =
                (old_names.get(&o.signature()), new_names.get(&n.signature()))
            else {
                continue;
            };
            if before != after {
                let calls = |names: &[String]| {
                    names
                        .iter()
                        .map(|m| format!("{m}()"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                self.push(
                    Severity::Breaking,
                    ChangeKind::MethodRenamed,
                    &n.signature(),
                    format!(
                        "{} → {}: the operation's overloads changed",
                        calls(before),
                        calls(after)
                    ),
                );
            }
        }
    }

    fn operation(&mut self, o: &OperationDef, n: &OperationDef) {
        let target = n.signature();
        self.revisions(&target, &o.annotations, &n.annotations);
        let function = n.kind == OperationKind::Function;
        if return_text(o.return_type.as_ref()) != return_text(n.return_type.as_ref()) {
            self.push(
                Severity::Breaking,
                ChangeKind::ReturnTypeChanged,
                &target,
                format!(
                    "{} → {}",
                    return_text(o.return_type.as_ref()),
                    return_text(n.return_type.as_ref())
                ),
            );
        } else if let (Some(or), Some(nr)) = (&o.return_type, &n.return_type)
            && or.nullable != nr.nullable
        {
            self.push(
                Severity::Note,
                ChangeKind::ReturnNullabilityChanged,
                &target,
                format!(
                    "{} → {}",
                    nullability(or.nullable),
                    nullability(nr.nullable)
                ),
            );
        }
        // An action's parameters are the fields of a request body
        // (`Field<T>`); an action that had none gains a `body` argument.
        // A function's parameters are method arguments: any change breaks.
        let gains_body = !function && o.parameters.is_empty() && !n.parameters.is_empty();
        for op in &o.parameters {
            let ptarget = format!("{target}/{}", op.name);
            match n.parameters.iter().find(|p| p.name == op.name) {
                None => self.push(
                    Severity::Breaking,
                    ChangeKind::ParameterRemoved,
                    &ptarget,
                    typed(&op.ty, op.nullable),
                ),
                Some(np) => self.parameter(&ptarget, op, np, function),
            }
        }
        for np in &n.parameters {
            if o.parameters.iter().any(|p| p.name == np.name) {
                continue;
            }
            let ptarget = format!("{target}/{}", np.name);
            let (severity, why) = if function {
                (Severity::Breaking, "a new argument of the generated method")
            } else if gains_body {
                (Severity::Breaking, "post() now takes a request body")
            } else if !np.nullable {
                (Severity::Breaking, "a new required parameter")
            } else {
                (Severity::Additive, "optional")
            };
            self.push(
                severity,
                ChangeKind::ParameterAdded,
                &ptarget,
                format!("{}: {why}", typed(&np.ty, np.nullable)),
            );
        }
    }

    fn parameter(&mut self, target: &str, o: &ParameterDef, n: &ParameterDef, function: bool) {
        if o.ty != n.ty {
            self.push(
                Severity::Breaking,
                ChangeKind::ParameterTypeChanged,
                target,
                format!("{} → {}", o.ty, n.ty),
            );
        }
        if o.nullable != n.nullable {
            let severity = if !function && o.nullable && !n.nullable {
                Severity::Breaking
            } else {
                Severity::Note
            };
            let why = if severity == Severity::Breaking {
                ": now required"
            } else {
                ""
            };
            self.push(
                severity,
                ChangeKind::ParameterNullabilityChanged,
                target,
                format!(
                    "{} → {}{why}",
                    nullability(o.nullable),
                    nullability(n.nullable)
                ),
            );
        }
    }

    fn container(&mut self) {
        let (old, new) = (self.old, self.new);
        self.container_members(
            &old.entity_sets,
            &new.entity_sets,
            |e| (&e.entity_type, &e.annotations),
            [
                ChangeKind::EntitySetRemoved,
                ChangeKind::EntitySetTypeChanged,
                ChangeKind::EntitySetAdded,
            ],
        );
        self.container_members(
            &old.singletons,
            &new.singletons,
            |s| (&s.ty, &s.annotations),
            [
                ChangeKind::SingletonRemoved,
                ChangeKind::SingletonTypeChanged,
                ChangeKind::SingletonAdded,
            ],
        );
    }

    /// Entity sets or singletons: removed, retyped, deprecated, added.
    /// `kinds` are the removed, type-changed and added change kinds.
    fn container_members<V>(
        &mut self,
        old: &BTreeMap<String, V>,
        new: &BTreeMap<String, V>,
        parts: fn(&V) -> (&String, &Vec<Annotation>),
        [removed, retyped, added]: [ChangeKind; 3],
    ) {
        for (name, o) in old {
            let (o_ty, o_ann) = parts(o);
            match new.get(name) {
                None => self.push(Severity::Breaking, removed, name, o_ty.clone()),
                Some(n) => {
                    let (n_ty, n_ann) = parts(n);
                    if n_ty != o_ty {
                        self.push(
                            Severity::Breaking,
                            retyped,
                            name,
                            format!("{o_ty} → {n_ty}"),
                        );
                    }
                    self.revisions(name, o_ann, n_ann);
                }
            }
        }
        for (name, n) in new {
            if !old.contains_key(name) {
                self.push(Severity::Additive, added, name, parts(n).0.clone());
            }
        }
    }

    fn patches(&mut self) {
        let old = patches_in_force(self.old);
        let new = patches_in_force(self.new);
        let about = |p: &PatchInForce| p.description.clone().unwrap_or_default();
        for n in &new {
            match old.iter().find(|o| o.file == n.file) {
                None => self.push(Severity::Note, ChangeKind::PatchAdded, &n.file, about(n)),
                Some(o) => {
                    if let (Some(a), Some(b)) = (&o.sha256, &n.sha256)
                        && a != b
                    {
                        self.push(
                            Severity::Note,
                            ChangeKind::PatchChanged,
                            &n.file,
                            format!("sha256 {} → {}", short(a), short(b)),
                        );
                    }
                }
            }
        }
        for o in &old {
            if !new.iter().any(|n| n.file == o.file) {
                self.push(Severity::Note, ChangeKind::PatchRemoved, &o.file, about(o));
            }
        }
    }
}

fn short(digest: &str) -> &str {
    digest.get(..12).unwrap_or(digest)
}

fn member_list(e: &EnumDef) -> String {
    e.members
        .iter()
        .map(|m| m.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn struct_summary(s: &StructDef) -> String {
    let mut text = struct_kind(s.kind).to_string();
    if let Some(b) = &s.base_type {
        text.push_str(&format!(" deriving from {b}"));
    }
    let props = s.properties.len();
    let navs = s.navigation_properties.len();
    text.push_str(&format!(
        ", {props} propert{}",
        if props == 1 { "y" } else { "ies" }
    ));
    if navs > 0 {
        text.push_str(&format!(
            ", {navs} navigation propert{}",
            if navs == 1 { "y" } else { "ies" }
        ));
    }
    text
}

fn nav_text(n: &NavigationDef) -> String {
    format!(
        "{}{}",
        n.ty,
        if n.contains_target { ", contained" } else { "" }
    )
}

fn operation_text(o: &OperationDef) -> String {
    let kind = match o.kind {
        OperationKind::Action => "action",
        OperationKind::Function => "function",
    };
    let params: Vec<String> = o
        .parameters
        .iter()
        .map(|p| format!("{}: {}", p.name, p.ty))
        .collect();
    format!(
        "{kind}({}) returning {}",
        params.join(", "),
        return_text(o.return_type.as_ref())
    )
}

/// `function ns.f(binding)`: what the overloads of one operation share.
fn operation_group(o: &OperationDef) -> String {
    let kind = match o.kind {
        OperationKind::Action => "action",
        OperationKind::Function => "function",
    };
    let binding = o
        .binding
        .as_ref()
        .map(|b| b.ty.to_string())
        .unwrap_or_default();
    format!("{kind} {}({binding})", o.name)
}

/// Every operation by its group and signature, which tells overloads apart.
fn operation_index(model: &Model) -> BTreeMap<String, &OperationDef> {
    model
        .operations
        .iter()
        .map(|o| (format!("{} {}", operation_group(o), o.signature()), o))
        .collect()
}

/// Pairs the operations of two models: by signature, then, within a group,
/// the one operation left on each side (a function whose parameters
/// changed). The rest are removed or added.
fn pair_operations<'m>(
    old: &BTreeMap<String, &'m OperationDef>,
    new: &BTreeMap<String, &'m OperationDef>,
) -> OperationPairs<'m> {
    let mut pairs = OperationPairs::default();
    let mut left_old: BTreeMap<String, Vec<&OperationDef>> = BTreeMap::new();
    let mut left_new: BTreeMap<String, Vec<&OperationDef>> = BTreeMap::new();
    for (key, o) in old {
        match new.get(key) {
            Some(n) => pairs.same.push((o, n)),
            None => left_old.entry(operation_group(o)).or_default().push(o),
        }
    }
    for (key, n) in new {
        if !old.contains_key(key) {
            left_new.entry(operation_group(n)).or_default().push(n);
        }
    }
    for (group, os) in left_old {
        match left_new.remove(&group) {
            Some(ns) if os.len() == 1 && ns.len() == 1 => pairs.same.push((os[0], ns[0])),
            Some(ns) => {
                pairs.removed.extend(os);
                pairs.added.extend(ns);
            }
            None => pairs.removed.extend(os),
        }
    }
    pairs.added.extend(left_new.into_values().flatten());
    pairs
}

#[derive(Default)]
struct OperationPairs<'m> {
    same: Vec<(&'m OperationDef, &'m OperationDef)>,
    removed: Vec<&'m OperationDef>,
    added: Vec<&'m OperationDef>,
}
