//! The generated Rust: names and types the plans of the two sides disagree
//! on where the schema element itself is unchanged. A type renamed because a
//! namespace collision now prefixes it, a field boxed by a new cycle or
//! turned into `AnyX` by a new derived type, a builder renamed because a new
//! path shares its words: the model diff cannot see any of these.
//!
//! What the model diff already reports as breaking on the same element (a
//! property whose OData type changed, an action parameter that became
//! required) is not reported again for its Rust consequences.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, ChangeKind, Differ, Severity};
use crate::plan::{
    BuilderPlan, EnumPlan, FieldPlan, MethodKind, MethodPlan, Plan, QUERY_OPTIONS, Setter,
    StructKind, StructPlan,
};

impl Differ<'_> {
    /// Runs after the model checks, whose breaking changes it reads.
    pub(super) fn rust(&mut self) {
        let Some((old, new)) = self.plans else {
            return;
        };
        let reported: BTreeSet<String> = self
            .out
            .iter()
            .filter(|c| c.severity == Severity::Breaking)
            .map(|c| c.target.clone())
            .collect();
        self.out.extend(compare(old, new, &reported));
    }
}

/// The Rust-level changes between two plans, leaving out the elements in
/// `reported` (those with a breaking change of their own).
fn compare(old: &Plan, new: &Plan, reported: &BTreeSet<String>) -> Vec<Change> {
    let mut out = Vec::new();
    let renames = type_renames(old, new, &mut out);
    enum_variants(old, new, &mut out);
    builders(old, new, reported, &mut out);
    methods(old, new, &mut out);
    let (old_structs, new_structs) = (structs(old), structs(new));
    for (owner, o) in &old_structs {
        if let Some(n) = new_structs.get(owner) {
            fields(owner, o, n, &renames, reported, &mut out);
            edits(new, owner, o, n, &mut out);
        }
    }
    out
}

fn breaking(kind: ChangeKind, target: &str, detail: String) -> Change {
    Change::new(Severity::Breaking, kind, target, detail)
}

/// The Rust name of every enum and model struct, by OData name.
fn type_names(plan: &Plan) -> BTreeMap<&str, &str> {
    let enums = plan
        .enums
        .iter()
        .map(|e| (e.odata_name.as_str(), e.rust_name.as_str()));
    let structs = plan.structs.iter().filter_map(|s| match &s.kind {
        StructKind::ODataType { odata_name } => Some((odata_name.as_str(), s.rust_name.as_str())),
        StructKind::ActionParameters { .. } => None,
    });
    enums.chain(structs).collect()
}

/// Reports the types whose Rust name changed, and returns the old name →
/// new name of each (with their `AnyX` wrappers), so that a field whose type
/// only changed by that rename is not reported again.
fn type_renames(old: &Plan, new: &Plan, out: &mut Vec<Change>) -> BTreeMap<String, String> {
    let new_names = type_names(new);
    let mut renames = BTreeMap::new();
    for (odata, before) in type_names(old) {
        let Some(&after) = new_names.get(odata) else {
            continue;
        };
        if before != after {
            out.push(breaking(
                ChangeKind::TypeRenamed,
                odata,
                format!("{before} → {after}"),
            ));
            renames.insert(before.to_string(), after.to_string());
            renames.insert(format!("Any{before}"), format!("Any{after}"));
        }
    }
    renames
}

/// The items of `old` that `new` still has, each with its new self, paired
/// by `key` (an OData name, a URL template).
fn paired<'p, T>(old: &'p [T], new: &'p [T], key: impl Fn(&T) -> &str) -> Vec<(&'p T, &'p T)> {
    let by_key: BTreeMap<&str, &T> = new.iter().map(|n| (key(n), n)).collect();
    old.iter()
        .filter_map(|o| by_key.get(key(o)).map(|&n| (o, n)))
        .collect()
}

fn enum_variants(old: &Plan, new: &Plan, out: &mut Vec<Change>) {
    for (o, n) in paired(&old.enums, &new.enums, |e: &EnumPlan| &e.odata_name) {
        for om in &o.members {
            if let Some(nm) = n.members.iter().find(|m| m.wire == om.wire)
                && nm.variant != om.variant
            {
                out.push(breaking(
                    ChangeKind::EnumVariantRenamed,
                    &format!("{}/{}", o.odata_name, om.wire),
                    format!(
                        "{}::{} → {}::{}",
                        o.rust_name, om.variant, n.rust_name, nm.variant
                    ),
                ));
            }
        }
    }
}

/// Builders are paired by their URL template: a template that stays keeps
/// its builder, which should keep its name. The builder of an operation
/// whose method was renamed (an overload added) is named after the method:
/// the method's rename says it.
fn builders(old: &Plan, new: &Plan, reported: &BTreeSet<String>, out: &mut Vec<Change>) {
    let operations = operation_builders(new);
    for (b, n) in paired(&old.builders, &new.builders, by_template) {
        let after = n.rust_name.as_str();
        if after == b.rust_name
            || operations
                .get(after)
                .is_some_and(|sig| reported.contains(*sig))
        {
            continue;
        }
        out.push(breaking(
            ChangeKind::BuilderRenamed,
            &b.template,
            format!("{} → {after}", b.rust_name),
        ));
    }
}

/// The request methods and query options of each builder that stays. The
/// capability annotations decide them (`Deletable=false` takes `delete()`
/// away, `Searchable=false` takes `.search()`), and `Core.IsDelta` decides
/// what `get()` of a function returns: the schema elements behind them do
/// not change, so the model diff cannot see it. Methods that lead to
/// another builder are left out: they go with their path, which the model
/// diff reports.
fn methods(old: &Plan, new: &Plan, out: &mut Vec<Change>) {
    for (o, n) in paired(&old.builders, &new.builders, by_template) {
        let (before, after) = (requests(o), requests(n));
        // A path that turned from a collection into one entity (or back)
        // changed every method: the model diff reports the type change
        // that did it.
        let shape = |r: &[(&str, &'static str)]| {
            r.iter()
                .find(|(m, _)| *m == "get")
                .map(|(_, k)| *k)
                .filter(|k| [LIST, GET].contains(k))
        };
        if let (Some(a), Some(b)) = (shape(&before), shape(&after))
            && a != b
        {
            continue;
        }
        for (name, kind) in &before {
            match after.iter().find(|(m, _)| m == name) {
                None => out.push(breaking(
                    ChangeKind::MethodRemoved,
                    &o.template,
                    format!("{}::{name}() ({kind})", n.rust_name),
                )),
                Some((_, now)) if now != kind => out.push(breaking(
                    ChangeKind::MethodChanged,
                    &o.template,
                    format!("{}::{name}(): {kind} → {now}", n.rust_name),
                )),
                Some(_) => {}
            }
        }
        for (name, kind) in &after {
            if !before.iter().any(|(m, _)| m == name) {
                out.push(Change::new(
                    Severity::Additive,
                    ChangeKind::MethodAdded,
                    &o.template,
                    format!("{}::{name}() ({kind})", n.rust_name),
                ));
            }
        }
        let allowed = |b: &BuilderPlan| -> Vec<&'static str> {
            b.query_marker
                .as_ref()
                .map_or(QUERY_OPTIONS.to_vec(), |q| q.allowed.clone())
        };
        let (was, is) = (allowed(o), allowed(n));
        for option in QUERY_OPTIONS {
            match (was.contains(&option), is.contains(&option)) {
                (true, false) => out.push(breaking(
                    ChangeKind::QueryOptionRemoved,
                    &o.template,
                    format!("${}", option.to_ascii_lowercase()),
                )),
                (false, true) => out.push(Change::new(
                    Severity::Additive,
                    ChangeKind::QueryOptionAdded,
                    &o.template,
                    format!("${}", option.to_ascii_lowercase()),
                )),
                _ => {}
            }
        }
    }
}

fn by_template(b: &BuilderPlan) -> &str {
    &b.template
}

/// A builder's request methods, each with what it sends.
fn requests(b: &BuilderPlan) -> Vec<(&str, &'static str)> {
    b.methods
        .iter()
        .filter_map(|m| request_kind(m).map(|k| (m.name.as_str(), k)))
        .collect()
}

const LIST: &str = "lists a collection";
const GET: &str = "gets an entity";

/// What request a method sends, in words; `None` for a method that leads
/// to another builder.
fn request_kind(m: &MethodPlan) -> Option<&'static str> {
    Some(match &m.kind {
        MethodKind::List { .. } => LIST,
        MethodKind::Count => "counts a collection",
        MethodKind::Create { .. } => "creates an item",
        MethodKind::Get { .. } => GET,
        MethodKind::Update { .. } => "updates an entity",
        MethodKind::Delete => "deletes an entity",
        MethodKind::CallFunction { .. } => "calls a function",
        MethodKind::CallDeltaFunction { .. } => "lists a function's delta pages",
        MethodKind::CallAction { .. } => "calls an action",
        // The model diff reports delta updates added and removed.
        MethodKind::DeltaUpdate { .. }
        | MethodKind::ById { .. }
        | MethodKind::ByAlternateKey { .. }
        | MethodKind::Navigate { .. }
        | MethodKind::Function { .. }
        | MethodKind::Action { .. } => return None,
    })
}

/// An edit's setters: a property an update may no longer change (now
/// `Core.Computed` or `Core.Immutable`, or gone from the documented update)
/// loses its setter, and a type no update takes loses its edit type. The
/// property itself is unchanged, so the model diff cannot see either.
fn edits(plan: &Plan, owner: &str, old: &StructPlan, new: &StructPlan, out: &mut Vec<Change>) {
    let Some(was) = &old.edit else {
        return;
    };
    let Some(is) = &new.edit else {
        // Only when the type is still fetched somewhere: a type whose paths
        // went away lost its updates with them, which the model diff
        // reports.
        if !fetched(plan, &new.rust_name) {
            return;
        }
        out.push(breaking(
            ChangeKind::EditRemoved,
            owner,
            format!(
                "{}: no update takes {} any more",
                was.rust_name, new.rust_name
            ),
        ));
        return;
    };
    for u in &was.updatable {
        let json = &old.fields[u.field].json;
        // A property that is gone is reported as removed.
        if !new.fields.iter().any(|f| &f.json == json) {
            continue;
        }
        if is
            .updatable
            .iter()
            .any(|v| &new.fields[v.field].json == json)
        {
            continue;
        }
        let why = is
            .read_only
            .iter()
            .find(|(p, _)| p == json)
            .map_or("read-only", |(_, w)| w.as_str());
        out.push(breaking(
            ChangeKind::SetterRemoved,
            &format!("{owner}/{json}"),
            format!(
                "{}::{}(): {why}",
                is.rust_name, old.fields[u.field].setter.name
            ),
        ));
    }
}

/// Whether some request of `plan` gets one `rust_name` (or its `AnyX`).
fn fetched(plan: &Plan, rust_name: &str) -> bool {
    let (plain, any) = (
        format!("crate::models::{rust_name}"),
        format!("crate::models::Any{rust_name}"),
    );
    plan.builders.iter().flat_map(|b| &b.methods).any(|m| {
        matches!(&m.kind, MethodKind::Get { ty, .. } if ty.as_str() == plain || ty.as_str() == any)
    })
}

/// The operation each operation builder calls, by builder name: the method
/// leading to the builder knows it.
fn operation_builders(plan: &Plan) -> BTreeMap<&str, &str> {
    plan.builders
        .iter()
        .flat_map(|b| &b.methods)
        .filter_map(|m| match (&m.kind, &m.operation) {
            (
                MethodKind::Function { target, .. } | MethodKind::Action { target, .. },
                Some(sig),
            ) => Some((target.as_str(), sig.as_str())),
            _ => None,
        })
        .collect()
}

/// Model structs by OData name and action request bodies by operation
/// signature: the owners the model diff names its targets after.
fn structs(plan: &Plan) -> BTreeMap<&str, &StructPlan> {
    let bodies = plan.builders.iter().filter_map(|b| b.body.as_ref());
    let mut out = BTreeMap::new();
    for s in plan.structs.iter().chain(bodies) {
        let owner = match &s.kind {
            StructKind::ODataType { odata_name } => odata_name,
            StructKind::ActionParameters { signature } => signature,
        };
        // An action reached from several paths has one body per builder,
        // all with the same fields.
        out.entry(owner.as_str()).or_insert(s);
    }
    out
}

fn fields(
    owner: &str,
    old: &StructPlan,
    new: &StructPlan,
    renames: &BTreeMap<String, String>,
    reported: &BTreeSet<String>,
    out: &mut Vec<Change>,
) {
    for o in &old.fields {
        let target = format!("{owner}/{}", o.json);
        let Some(n) = new.fields.iter().find(|f| f.json == o.json) else {
            continue;
        };
        if reported.contains(&target) {
            continue;
        }
        // A change of the field's type itself that shows in Rust (flags, a
        // type definition's underlying type) is reported on that type.
        if o.odata_type == n.odata_type
            && !reported.contains(element_type(&n.odata_type))
            && renamed(o.ty.as_str(), renames) != n.ty.as_str()
        {
            out.push(breaking(
                ChangeKind::FieldTypeChanged,
                &target,
                format!(
                    "{} → {}; the OData type {} is unchanged",
                    o.ty, n.ty, n.odata_type
                ),
            ));
        }
        for detail in removed_setters(o, n) {
            out.push(breaking(ChangeKind::SetterRemoved, &target, detail));
        }
    }
}

/// The setters of `old` that `new` lacks, each with its successor in the
/// same role or why it went.
fn removed_setters(old: &FieldPlan, new: &FieldPlan) -> Vec<String> {
    let mut out = Vec::new();
    if old.setter.name != new.setter.name {
        out.push(format!("{}() → {}()", old.setter.name, new.setter.name));
    }
    fn name(s: &Option<Setter>) -> Option<&str> {
        s.as_ref().map(|s| s.name.as_str())
    }
    match (name(&old.null_setter), name(&new.null_setter)) {
        (Some(o), Some(n)) if o != n => out.push(format!("{o}() → {n}()")),
        (Some(o), None) => out.push(format!("{o}(): the member is no longer nullable")),
        _ => {}
    }
    out
}

/// `ns.thing` of `Collection(ns.thing)`.
fn element_type(odata: &str) -> &str {
    odata
        .strip_prefix("Collection(")
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(odata)
}

/// A Rust type with the model types renamed between the two plans replaced
/// by their new names (`crate::models::Color` → `crate::models::NsColor`).
fn renamed(ty: &str, renames: &BTreeMap<String, String>) -> String {
    const MODELS: &str = "crate::models::";
    if renames.is_empty() {
        return ty.to_string();
    }
    let mut out = String::new();
    let mut rest = ty;
    while let Some(at) = rest.find(MODELS) {
        out.push_str(&rest[..at + MODELS.len()]);
        rest = &rest[at + MODELS.len()..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..end];
        out.push_str(renames.get(name).map_or(name, String::as_str));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Docs, EnumMemberPlan, RustType};

    fn plan(enums: Vec<EnumPlan>, structs: Vec<StructPlan>) -> Plan {
        Plan {
            source: String::new(),
            enums,
            structs,
            builders: Vec::new(),
            roots: Vec::new(),
            unsettled: Vec::new(),
        }
    }

    fn plan_with_enum(variant: &str) -> Plan {
        plan(
            vec![EnumPlan {
                rust_name: "Color".into(),
                module: "color".into(),
                odata_name: "t.ns.color".into(),
                flags: false,
                docs: Docs::new(),
                deprecated: None,
                members: vec![EnumMemberPlan {
                    variant: variant.into(),
                    wire: "unknownValue".into(),
                    docs: Docs::new(),
                    deprecated: None,
                }],
            }],
            Vec::new(),
        )
    }

    fn plan_with_setters(setter: &str, null_setter: Option<&str>) -> Plan {
        let field = FieldPlan {
            json: "note".into(),
            rust_name: "note".into(),
            ty: RustType::new("String"),
            odata_type: "Edm.String".into(),
            setter: Setter {
                name: setter.into(),
                docs: Docs::new(),
            },
            null_setter: null_setter.map(|n| Setter {
                name: n.into(),
                docs: Docs::new(),
            }),
            docs: Docs::new(),
            deprecated: None,
        };
        let thing = StructPlan {
            rust_name: "Thing".into(),
            module: "thing".into(),
            kind: StructKind::ODataType {
                odata_name: "t.ns.thing".into(),
            },
            docs: Docs::new(),
            deprecated: None,
            fields: vec![field],
            any: None,
            edit: None,
        };
        plan(Vec::new(), vec![thing])
    }

    /// Setter names follow from field names today; a renamed one would
    /// break callers as a removed one does.
    #[test]
    fn setters_renamed_or_removed_are_breaking() {
        let lines = |old: &Plan, new: &Plan| -> Vec<String> {
            compare(old, new, &BTreeSet::new())
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        let before = plan_with_setters("with_note", Some("with_note_null"));
        assert_eq!(
            lines(
                &before,
                &plan_with_setters("with_remark", Some("with_note_null"))
            ),
            ["breaking: generated setter removed t.ns.thing/note (with_note() → with_remark())"]
        );
        assert_eq!(
            lines(&before, &plan_with_setters("with_note", None)),
            [
                "breaking: generated setter removed t.ns.thing/note (with_note_null(): the member is no longer nullable)"
            ]
        );
        // A setter gained is not a removal.
        let gained = lines(&plan_with_setters("with_note", None), &before);
        assert!(gained.is_empty(), "{gained:?}");
        // The model diff's breaking change on the member covers it.
        let reported: BTreeSet<String> = ["t.ns.thing/note".to_string()].into();
        assert!(compare(&before, &plan_with_setters("with_note", None), &reported).is_empty());
    }

    /// Variant names follow from wire names alone today, so no schema edit
    /// renames one; a naming rule that starts to depend on other members
    /// (or on the generator's reserved names) would.
    #[test]
    fn a_variant_renamed_under_the_same_wire_name_is_breaking() {
        let changes = compare(
            &plan_with_enum("UnknownValue"),
            &plan_with_enum("UnknownValueMember"),
            &BTreeSet::new(),
        );
        let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "breaking: generated enum variant renamed t.ns.color/unknownValue (Color::UnknownValue → Color::UnknownValueMember)"
            ]
        );
        assert!(
            compare(
                &plan_with_enum("Red"),
                &plan_with_enum("Red"),
                &BTreeSet::new()
            )
            .is_empty()
        );
    }

    #[test]
    fn renamed_types_are_replaced_whole() {
        let renames: BTreeMap<String, String> = [
            ("Color".to_string(), "NsColor".to_string()),
            ("AnyBox".to_string(), "AnyNsBox".to_string()),
        ]
        .into();
        assert_eq!(
            renamed("Vec<crate::support::Flags<crate::models::Color>>", &renames),
            "Vec<crate::support::Flags<crate::models::NsColor>>"
        );
        assert_eq!(
            renamed("Box<crate::models::AnyBox>", &renames),
            "Box<crate::models::AnyNsBox>"
        );
        assert_eq!(
            renamed("crate::models::Colors", &renames),
            "crate::models::Colors"
        );
    }
}
