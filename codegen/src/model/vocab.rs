//! Typed access to the vocabulary annotations the generator acts on
//! (Org.OData.Core.V1 and Org.OData.Capabilities.V1). Every annotation is
//! kept in the model as written; these functions only read them.

use crate::csdl::syntax::{Annotation, Expr, ExprKind};

pub const CORE: &str = "Org.OData.Core.V1";
pub const CAPABILITIES: &str = "Org.OData.Capabilities.V1";

/// Our own vocabulary: what the metadata patches add.
pub const SDK: &str = "GraphMigrations.Sdk.V1";

/// Whether `term` names `namespace.local`, written in full or with the
/// conventional alias (`Core.Description`, `Capabilities.TopSupported`).
pub fn term_is(term: &str, namespace: &str, local: &str) -> bool {
    let Some((prefix, name)) = term.rsplit_once('.') else {
        return false;
    };
    if name != local {
        return false;
    }
    prefix == namespace
        || namespace
            .strip_suffix(".V1")
            .and_then(|n| n.rsplit('.').next())
            .is_some_and(|alias| alias == prefix)
}

pub fn find<'a>(
    annotations: &'a [Annotation],
    namespace: &str,
    local: &str,
) -> Option<&'a Annotation> {
    annotations
        .iter()
        .find(|a| a.qualifier.is_none() && term_is(&a.term, namespace, local))
}

fn string_of(annotations: &[Annotation], namespace: &str, local: &str) -> Option<String> {
    find(annotations, namespace, local)
        .and_then(|a| a.value.as_ref())
        .and_then(Expr::as_str)
        .map(str::to_string)
}

/// A boolean-valued term; a bare annotation without value means `true`.
fn bool_of(annotations: &[Annotation], namespace: &str, local: &str) -> Option<bool> {
    find(annotations, namespace, local)
        .map(|a| a.value.as_ref().and_then(Expr::as_bool).unwrap_or(true))
}

pub fn description(annotations: &[Annotation]) -> Option<String> {
    string_of(annotations, CORE, "Description")
}

pub fn long_description(annotations: &[Annotation]) -> Option<String> {
    string_of(annotations, CORE, "LongDescription")
}

pub fn computed(annotations: &[Annotation]) -> bool {
    bool_of(annotations, CORE, "Computed").unwrap_or(false)
}

/// `Core.IsDelta` (on a return type): the result is a delta response.
pub fn is_delta(annotations: &[Annotation]) -> bool {
    bool_of(annotations, CORE, "IsDelta").unwrap_or(false)
}

pub fn immutable(annotations: &[Annotation]) -> bool {
    bool_of(annotations, CORE, "Immutable").unwrap_or(false)
}

/// `Core.Permissions`: the permission names listed.
pub fn permissions(annotations: &[Annotation]) -> Vec<String> {
    let Some(value) = find(annotations, CORE, "Permissions").and_then(|a| a.value.as_ref()) else {
        return Vec::new();
    };
    match &value.kind {
        ExprKind::EnumMember(s) => s
            .split_whitespace()
            .map(|m| m.rsplit('/').next().unwrap_or(m).to_string())
            .collect(),
        ExprKind::Collection(items) => items
            .iter()
            .filter_map(|i| {
                i.as_str()
                    .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// One entry of `Core.Revisions`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Revision {
    /// `Added`, `Modified` or `Deprecated`.
    pub kind: String,
    pub date: Option<String>,
    pub removal_date: Option<String>,
    pub version: Option<String>,
    pub description: Option<String>,
}

impl Revision {
    pub fn is_deprecation(&self) -> bool {
        self.kind.eq_ignore_ascii_case("Deprecated")
    }

    /// A one-line note for `#[deprecated]`, docs and reports.
    pub fn note(&self) -> String {
        let mut parts = vec!["deprecated in Microsoft Graph beta".to_string()];
        if let Some(d) = &self.date {
            parts.push(format!("since {d}"));
        }
        if let Some(r) = &self.removal_date {
            parts.push(format!("removal planned on {r}"));
        }
        let mut note = parts.join(", ");
        if let Some(v) = &self.version {
            note.push_str(&format!(" (version {v})"));
        }
        if let Some(d) = &self.description {
            note.push_str(&format!(": {d}"));
        }
        note
    }
}

pub fn revisions(annotations: &[Annotation]) -> Vec<Revision> {
    let Some(items) = find(annotations, CORE, "Revisions")
        .and_then(|a| a.value.as_ref())
        .and_then(Expr::as_collection)
    else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(Expr::as_record)
        .map(|r| {
            let text = |p: &str| r.get(p).and_then(Expr::as_str).map(str::to_string);
            Revision {
                kind: text("Kind")
                    .map(|k| k.rsplit('/').next().unwrap_or(&k).to_string())
                    .unwrap_or_default(),
                date: text("Date"),
                removal_date: text("RemovalDate"),
                version: text("Version"),
                description: text("Description"),
            }
        })
        .collect()
}

pub fn deprecation(annotations: &[Annotation]) -> Option<Revision> {
    revisions(annotations)
        .into_iter()
        .find(Revision::is_deprecation)
}

/// One alternate key: `(alias, property path)` pairs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlternateKey {
    pub parts: Vec<(String, String)>,
}

pub fn alternate_keys(annotations: &[Annotation]) -> Vec<AlternateKey> {
    let Some(items) = find(annotations, CORE, "AlternateKeys")
        .and_then(|a| a.value.as_ref())
        .and_then(Expr::as_collection)
    else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(Expr::as_record)
        .filter_map(|key| {
            let refs = key.get("Key")?.as_collection()?;
            let parts: Vec<(String, String)> = refs
                .iter()
                .filter_map(Expr::as_record)
                .filter_map(|r| {
                    let name = r.get("Name")?.as_str()?.to_string();
                    let alias = r
                        .get("Alias")
                        .and_then(Expr::as_str)
                        .map(str::to_string)
                        .unwrap_or_else(|| name.clone());
                    Some((alias, name))
                })
                .collect();
            (!parts.is_empty()).then_some(AlternateKey { parts })
        })
        .collect()
}

/// What the Capabilities vocabulary says about an entity set, singleton or
/// navigation property. `None` means the metadata is silent (allowed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    pub insertable: Option<bool>,
    pub updatable: Option<bool>,
    pub deletable: Option<bool>,
    pub readable: Option<bool>,
    pub navigable: Option<bool>,
    pub selectable: Option<bool>,
    pub filterable: Option<bool>,
    pub sortable: Option<bool>,
    pub countable: Option<bool>,
    pub top_supported: Option<bool>,
    pub skip_supported: Option<bool>,
    pub expandable: Option<bool>,
    pub searchable: Option<bool>,
}

fn record_bool(annotations: &[Annotation], term: &str, property: &str) -> Option<bool> {
    let value = find(annotations, CAPABILITIES, term)?.value.as_ref()?;
    match &value.kind {
        ExprKind::Record(r) => r.get(property).and_then(Expr::as_bool),
        ExprKind::Bool(b) => Some(*b),
        _ => None,
    }
}

pub fn capabilities(annotations: &[Annotation]) -> Capabilities {
    Capabilities {
        insertable: record_bool(annotations, "InsertRestrictions", "Insertable"),
        updatable: record_bool(annotations, "UpdateRestrictions", "Updatable"),
        deletable: record_bool(annotations, "DeleteRestrictions", "Deletable"),
        readable: record_bool(annotations, "ReadRestrictions", "Readable"),
        navigable: find(annotations, CAPABILITIES, "NavigationRestrictions")
            .and_then(|a| a.value.as_ref())
            .and_then(Expr::as_record)
            .and_then(|r| r.get("Navigability"))
            .and_then(Expr::as_str)
            .map(|s| !s.ends_with("/None")),
        selectable: record_bool(annotations, "SelectSupport", "Supported"),
        filterable: record_bool(annotations, "FilterRestrictions", "Filterable"),
        sortable: record_bool(annotations, "SortRestrictions", "Sortable"),
        countable: record_bool(annotations, "CountRestrictions", "Countable"),
        top_supported: bool_of(annotations, CAPABILITIES, "TopSupported").or_else(|| {
            find(annotations, CAPABILITIES, "TopSupported")
                .and_then(|a| a.value.as_ref())
                .and_then(Expr::as_bool)
        }),
        skip_supported: bool_of(annotations, CAPABILITIES, "SkipSupported"),
        expandable: record_bool(annotations, "ExpandRestrictions", "Expandable"),
        searchable: record_bool(annotations, "SearchRestrictions", "Searchable"),
    }
}

/// Our `DeltaUpdate` term (added by a metadata patch): the collection takes
/// a PATCH with an OData delta payload of at most `max_items` items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeltaUpdate {
    pub max_items: u32,
    pub docs: Option<String>,
}

pub fn delta_update(annotations: &[Annotation]) -> Option<DeltaUpdate> {
    let a = find(annotations, SDK, "DeltaUpdate")?;
    let record = a.value.as_ref().and_then(Expr::as_record);
    let max_items = record
        .and_then(|r| r.get("MaxItems"))
        .and_then(|e| match e.kind {
            ExprKind::Int(i) => u32::try_from(i).ok(),
            _ => None,
        })
        .unwrap_or(50);
    let docs = record
        .and_then(|r| r.get("Documentation"))
        .and_then(Expr::as_str)
        .map(str::to_string);
    Some(DeltaUpdate { max_items, docs })
}

/// `GraphMigrations.Sdk.V1.AppliedPatch` on the entity container: every
/// patch applied to this document, as `(patch file, sha256 of its text)`.
pub fn applied_patches(annotations: &[Annotation]) -> Vec<(String, String)> {
    annotations
        .iter()
        .filter(|a| term_is(&a.term, SDK, "AppliedPatch"))
        .filter_map(|a| a.value.as_ref().and_then(Expr::as_str))
        .filter_map(|v| v.split_once(" sha256:"))
        .map(|(f, d)| (f.to_string(), d.to_string()))
        .collect()
}

/// `GraphMigrations.Sdk.V1.Patched`: which patch changed an element and why.
pub fn patched(annotations: &[Annotation]) -> Vec<String> {
    annotations
        .iter()
        .filter(|a| term_is(&a.term, SDK, "Patched"))
        .filter_map(|a| a.value.as_ref().and_then(Expr::as_str).map(str::to_string))
        .collect()
}
