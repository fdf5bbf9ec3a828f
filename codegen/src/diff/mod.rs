//! A semantic diff of two resolved models (normally two slices of the Graph
//! beta metadata), each change classified by what it means for users of the
//! generated Rust crate. Besides the schema, it compares the plans of the
//! Rust generated from each side (the same plans the code and the API
//! listing come from), for the names and types the schema does not show.
//!
//! The classes, most severe first ([`Severity`]):
//!
//! - **breaking**: code written against the old crate may stop compiling or
//!   stop working: a removed (or renamed) type, property, navigation
//!   property, enum member, operation, parameter, alternate key, entity set
//!   or singleton; a changed type (of a property, parameter, return value,
//!   base type, key); a new required (non-nullable) action parameter; any
//!   parameter change of a function (its parameters are method arguments).
//!   In the generated Rust, where the schema element is unchanged: a
//!   generated method, type, builder or enum variant renamed (an overload
//!   added, a namespace collision, a new path sharing a builder's words); a
//!   field whose Rust type changed (a `Box` for a new cycle, `AnyX` for a
//!   new derived type); a setter removed (`with_x_null()` of a property that
//!   is no longer nullable). A Rust change that follows from a breaking
//!   schema change on the same element is not listed again.
//! - **additive**: new API that old code does not see: a new type, optional
//!   property, navigation property, operation, alternate key, enum member
//!   (the generated enums are `#[non_exhaustive]`, and until a release knows
//!   the member it decodes into `UnknownValue`).
//! - **deprecation**: a new, changed or withdrawn `Core.Revisions`
//!   deprecation (with its removal date).
//! - **note**: worth a reviewer's eye but neither breaking nor new API:
//!   nullability of properties (the generated fields are `Field<T>` either
//!   way: reads still compile, and a property that became non-nullable
//!   still decodes; the setter it loses is listed as breaking), enum member
//!   values (the wire uses names), a property moving to a base type,
//!   abstract/open flags, patches in force, and a side that cannot be
//!   generated (then nothing of the Rust is compared).
mod container;
mod operations;
mod render;
mod report;
mod rust;
mod semver;
mod types;

pub use render::{json, markdown, summary};
pub use report::{Change, ChangeKind, PatchInForce, Report, Severity, patches_in_force};
pub use semver::{Bump, Suggestion, Version, suggest};

use crate::csdl::syntax::Annotation;
use crate::model::{Model, TypeRef, vocab};
use crate::plan::{self, Paths, Plan};

/// Compares two resolved models, and the generated Rust of the paths
/// `paths` covers in each: a method name is what the plan of each side
/// says with `options` (those of `metadata/generate.toml`, which name
/// types), the same plan the code and the API listing are made from.
pub fn diff(old: &Model, new: &Model, paths: &dyn Paths, options: &plan::Options) -> Report {
    // Names do not depend on the documentation.
    let docs = crate::docs::DocsFacts::default();
    let plans = (
        plan::plan(old, paths, options, &docs),
        plan::plan(new, paths, options, &docs),
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
                format!("it cannot be generated, so its generated names and types were not compared: {first}"),
            );
        }
    }
    d.enums();
    d.type_definitions();
    d.structs();
    d.operations();
    d.container();
    d.patches();
    d.rust();
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
        watched: Vec::new(),
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
}
