//! Readable listings for review: what a schema change touches, as insta
//! snapshots show it in a pull request. The model listing reads the
//! resolved model (OData names and types); the plan listing reads the plan
//! (every generated Rust type, field, setter, builder and method signature),
//! so a change to any generated item shows up in review.

use std::fmt::Write;

use crate::csdl::syntax::StructuredKind;
use crate::model::{Model, vocab};
use crate::plan::{MethodKind, Plan, StructKind};

/// Types, properties with Edm type and nullability, enum members.
pub fn model_listing(model: &Model) -> String {
    let mut out = String::new();
    for e in model.enums.values() {
        let dep = deprecation_tag(&e.annotations);
        let _ = writeln!(
            out,
            "enum {}{}{dep}",
            e.name,
            if e.is_flags { " (flags)" } else { "" }
        );
        for m in &e.members {
            let _ = writeln!(out, "  {} = {}", m.name, m.value);
        }
    }
    for s in model.structs.values() {
        let kind = match s.kind {
            StructuredKind::Complex => "complex",
            StructuredKind::Entity => "entity",
        };
        let base = s
            .base_type
            .as_ref()
            .map(|b| format!(" : {b}"))
            .unwrap_or_default();
        let dep = deprecation_tag(&s.annotations);
        let _ = writeln!(
            out,
            "{kind} {}{base}{}{dep}",
            s.name,
            if s.is_abstract { " (abstract)" } else { "" }
        );
        for p in &s.properties {
            let _ = writeln!(out, "  {}: {}{}", p.name, p.ty, optional(p.nullable));
        }
        for n in &s.navigation_properties {
            let _ = writeln!(
                out,
                "  {} -> {}{}{}",
                n.name,
                n.ty,
                optional(n.nullable),
                if n.contains_target {
                    " (contained)"
                } else {
                    ""
                }
            );
        }
    }
    for o in &model.operations {
        let params: Vec<String> = o
            .parameters
            .iter()
            .map(|p| format!("{}: {}{}", p.name, p.ty, optional(p.nullable)))
            .collect();
        let ret = o
            .return_type
            .as_ref()
            .map(|r| r.ty.to_string())
            .unwrap_or_else(|| "None".into());
        let _ = writeln!(
            out,
            "{:?} {} ({}) -> {ret}",
            o.kind,
            o.signature(),
            params.join(", ")
        );
    }
    out
}

/// `  [deprecated …]` after an element the metadata deprecates.
fn deprecation_tag(annotations: &[crate::csdl::syntax::Annotation]) -> String {
    vocab::deprecation(annotations)
        .map(|d| format!("  [{}]", d.note()))
        .unwrap_or_default()
}

/// `?` after a nullable type.
fn optional(nullable: bool) -> &'static str {
    if nullable { "?" } else { "" }
}

/// Every generated type and builder with its Rust names and signatures.
pub fn plan_listing(plan: &Plan) -> String {
    let mut out = String::new();
    let dep = |d: &Option<String>| if d.is_some() { "  #[deprecated]" } else { "" };
    for e in &plan.enums {
        let _ = writeln!(
            out,
            "enum {} ({}){}",
            e.rust_name,
            e.odata_name,
            dep(&e.deprecated)
        );
        for m in &e.members {
            let _ = writeln!(out, "  {} = {:?}{}", m.variant, m.wire, dep(&m.deprecated));
        }
    }
    let structs = plan
        .structs
        .iter()
        .chain(plan.builders.iter().filter_map(|b| b.body.as_ref()));
    for s in structs {
        let what = match &s.kind {
            StructKind::ODataType { odata_name } => odata_name.clone(),
            StructKind::ActionParameters { signature } => format!("parameters of {signature}"),
        };
        let _ = writeln!(out, "struct {} ({what}){}", s.rust_name, dep(&s.deprecated));
        for f in &s.fields {
            let _ = writeln!(
                out,
                "  {}: Field<{}>  {:?}  {}{}{}",
                f.rust_name,
                f.ty,
                f.json,
                f.setter.name,
                f.null_setter
                    .as_ref()
                    .map(|n| format!(", {}", n.name))
                    .unwrap_or_default(),
                dep(&f.deprecated)
            );
        }
        if let Some(e) = &s.edit {
            let setters: Vec<&str> = e
                .updatable
                .iter()
                .map(|u| s.fields[u.field].setter.name.as_str())
                .collect();
            let _ = writeln!(out, "struct {}: {}", e.rust_name, setters.join(", "));
            for (p, why) in &e.read_only {
                let _ = writeln!(out, "  read-only {p}: {why}");
            }
        }
        if let Some(any) = &s.any {
            let variants: Vec<&str> = any.variants.iter().map(|(v, _, _)| v.as_str()).collect();
            let _ = writeln!(
                out,
                "enum {} = {} | {}",
                any.rust_name,
                any.base_variant,
                variants.join(" | ")
            );
        }
    }
    for r in &plan.roots {
        let _ = writeln!(out, "Client::{}() -> {}", r.name, r.target);
    }
    for b in &plan.builders {
        let _ = writeln!(
            out,
            "builder {} ({})  in {}",
            b.rust_name, b.template, b.module
        );
        if let Some(m) = &b.query_marker {
            let _ = writeln!(
                out,
                "  query options {}: {}",
                m.rust_name,
                m.allowed.join(", ")
            );
        }
        for m in &b.methods {
            let _ = writeln!(
                out,
                "  {}{}",
                signature(&m.name, &m.kind),
                dep(&m.deprecated)
            );
        }
    }
    out
}

/// A method's Rust signature, shortened.
fn signature(name: &str, kind: &MethodKind) -> String {
    let params = |ps: &[crate::plan::UrlParam]| {
        ps.iter()
            .map(|p| format!("{}: {}", p.rust_name, p.value.param_type()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match kind {
        MethodKind::List { item, options } => format!("{name}() -> ListRequest<{item}, {options}>"),
        MethodKind::Count => format!("{name}() -> CountRequest"),
        MethodKind::Create { ty, read_only } => {
            let refused: Vec<&str> = read_only.iter().map(|(_, j, _)| j.as_str()).collect();
            if refused.is_empty() {
                format!("{name}(&{ty}) -> SendRequest<{ty}>")
            } else {
                format!(
                    "{name}(&{ty}) -> SendRequest<{ty}>  (refuses {})",
                    refused.join(", ")
                )
            }
        }
        MethodKind::DeltaUpdate {
            item,
            max_items,
            not_sent,
        } => {
            let mut line = format!(
                "async {name}(Vec<DeltaChange<{item}>>) -> DeltaReport  (chunks of {max_items}"
            );
            if !not_sent.is_empty() {
                let names: Vec<&str> = not_sent.iter().map(|(json, _)| json.as_str()).collect();
                line.push_str(&format!("; never sends {}", names.join(", ")));
            }
            line.push(')');
            line
        }
        MethodKind::Get { ty, options } => format!("{name}() -> ItemRequest<{ty}, {options}>"),
        MethodKind::Update { ty, edit } => format!(
            "{name}(&{}) -> OptionalRequest<{ty}>",
            edit.as_deref().unwrap_or(ty.as_str())
        ),
        MethodKind::Delete => format!("{name}() -> EmptyRequest"),
        MethodKind::CallFunction { returns } => format!(
            "{name}() -> ItemRequest<{}>",
            returns.as_ref().map_or("serde_json::Value", |r| r.as_str())
        ),
        MethodKind::CallDeltaFunction { item } => {
            format!(
                "{name}() -> ListRequest<{item}>  (delta: the last page keeps @odata.deltaLink)"
            )
        }
        MethodKind::CallAction { returns, body } => format!(
            "{name}({}) -> {}",
            body.as_ref().map(|b| format!("&{b}")).unwrap_or_default(),
            returns
                .as_ref()
                .map_or("EmptyRequest".to_string(), |r| format!("SendRequest<{r}>"))
        ),
        MethodKind::ById { target, key, .. } => {
            format!("{name}(id: {}) -> {target}", key.param_type())
        }
        MethodKind::ByAlternateKey { target, params: ps } => {
            format!("{name}({}) -> {target}", params(ps))
        }
        MethodKind::Navigate { target, segment } => format!("{name}() -> {target}  /{segment}"),
        MethodKind::Function {
            target,
            segment,
            params: ps,
        } => format!("{name}({}) -> {target}  /{segment}(…)", params(ps)),
        MethodKind::Action { target, segment } => format!("{name}() -> {target}  /{segment}"),
    }
}

/// The watch list: every element the documentation has not settled, with
/// its current shape, and why.
pub fn unsettled(plan: &Plan) -> String {
    let mut out = String::new();
    for u in &plan.unsettled {
        let _ = writeln!(
            out,
            "{}: {}{}",
            u.element,
            u.shape,
            u.rust
                .as_ref()
                .map(|r| format!(" → {r}"))
                .unwrap_or_default()
        );
        if let Some(d) = &u.description {
            let _ = writeln!(out, "  description: {d}");
        }
        for r in &u.reasons {
            let _ = writeln!(out, "  {r}");
        }
    }
    out
}

/// The first paragraph of the docs of every generated item: what a user
/// reads in the IDE and on docs.rs, so a documentation change shows up in
/// review.
pub fn descriptions(plan: &Plan) -> String {
    let mut out = String::new();
    let mut line = |item: String, docs: &crate::plan::Docs| {
        let summary = docs.summary().unwrap_or_default().replace('\n', " ");
        let _ = writeln!(out, "{item}: {summary}");
    };
    for e in &plan.enums {
        line(format!("enum {}", e.rust_name), &e.docs);
        for m in &e.members {
            line(format!("  {}::{}", e.rust_name, m.variant), &m.docs);
        }
    }
    let structs = plan
        .structs
        .iter()
        .chain(plan.builders.iter().filter_map(|b| b.body.as_ref()));
    for s in structs {
        line(format!("struct {}", s.rust_name), &s.docs);
        for f in &s.fields {
            line(format!("  {}.{}", s.rust_name, f.rust_name), &f.docs);
        }
    }
    for b in &plan.builders {
        line(format!("builder {}", b.rust_name), &b.docs);
        for m in &b.methods {
            line(format!("  {}::{}", b.rust_name, m.name), &m.docs);
            if let Some(e) = &m.errors {
                line(format!("  enum {}", e.rust_name), &e.docs);
                for v in &e.variants {
                    line(format!("    {}::{}", e.rust_name, v.name), &v.docs);
                }
            }
        }
    }
    out
}
