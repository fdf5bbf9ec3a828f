//! The report's vocabulary: how severe a change is, what kind it is, one
//! classified change, the report of a diff, and the metadata patches a model
//! records.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::csdl::syntax::Annotation;
use crate::model::{Model, vocab};

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
    /// A function's parameters in another order.
    ParametersReordered,
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
    /// The Rust name of an OData type changed (a namespace collision now
    /// prefixes it).
    TypeRenamed,
    /// A field's Rust type changed while its OData type did not (a `Box`
    /// for a new cycle, `AnyX` for a new derived type).
    FieldTypeChanged,
    /// The request builder of a URL template got another name.
    BuilderRenamed,
    /// An enum member kept its wire name but not its Rust variant.
    EnumVariantRenamed,
    /// A setter of a field is gone or has another name.
    SetterRemoved,
    /// A request method of a builder that stays is gone (the capability
    /// annotations no longer allow it: `delete()` under `Deletable=false`).
    MethodRemoved,
    /// A request method keeps its name but sends another kind of request
    /// (`get()` of a function whose result became delta pages).
    MethodChanged,
    /// A builder that stays has a new request method.
    MethodAdded,
    /// A query option (`$search`, `$top`, …) is no longer allowed on a path.
    QueryOptionRemoved,
    /// A query option is newly allowed on a path.
    QueryOptionAdded,
    /// A type no update takes any more: its edit type is gone.
    EditRemoved,
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
            ParametersReordered => "parameters reordered",
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
            TypeRenamed => "generated type renamed",
            FieldTypeChanged => "generated field type changed",
            BuilderRenamed => "generated builder renamed",
            EnumVariantRenamed => "generated enum variant renamed",
            SetterRemoved => "generated setter removed",
            MethodRemoved => "generated method removed",
            MethodChanged => "generated method changed",
            MethodAdded => "generated method added",
            QueryOptionRemoved => "query option no longer allowed",
            QueryOptionAdded => "query option now allowed",
            EditRemoved => "generated edit type removed",
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
    pub(super) fn new(
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
    /// Elements on the watch list (the documentation has not settled them):
    /// changes to them are reported first, in a section of their own.
    pub watched: Vec<String>,
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

    /// Puts the watch list on the report (`microsoft.graph.t/p` elements).
    pub fn watch(&mut self, elements: impl IntoIterator<Item = String>) {
        self.watched = elements.into_iter().collect();
        self.watched.sort();
    }

    /// Whether a change is to a watched element (or below it).
    pub fn is_watched(&self, change: &Change) -> bool {
        self.watched.iter().any(|w| {
            change.target == *w
                || change
                    .target
                    .strip_prefix(w.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }

    /// The changes to watched elements, most severe first.
    pub fn unsettled_changes(&self) -> Vec<&Change> {
        self.changes.iter().filter(|c| self.is_watched(c)).collect()
    }
}
