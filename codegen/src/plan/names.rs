//! Rust names for OData names: PascalCase types, snake_case members, keywords
//! escaped, and collisions after case conversion reported, never merged.

use std::collections::{BTreeMap, HashMap};

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

use crate::csdl::syntax::Pos;
use crate::csdl::{Diagnostic, Diagnostics};

const STRICT: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];
/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// An identifier for a snake_case name, escaping keywords.
pub fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        return Ident::new(&format!("{name}_"), Span::call_site());
    }
    if STRICT.contains(&name) {
        return Ident::new_raw(name, Span::call_site());
    }
    Ident::new(name, Span::call_site())
}

/// The source text of [`ident`]: `r#type`, `self_`, `name`.
pub fn ident_text(name: &str) -> String {
    ident(name).to_string()
}

/// Whether `name` is a Rust identifier (a keyword counts: [`ident`] escapes
/// those). Names from the schema or the documentation may hold characters a
/// Rust identifier may not (`²`, a zero-width joiner); `Ident::new` panics on
/// them.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
        && chars.all(unicode_ident::is_xid_continue)
        && name != "_"
}

pub fn type_ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

pub fn snake(name: &str) -> String {
    rust_safe(name.to_snake_case(), "n_")
}

/// `s` with every character a Rust identifier may not hold dropped, and
/// `prefix` before it when what is left cannot start one (a digit, a
/// combining mark, nothing). CSDL letters Rust does not take (format
/// characters, alphabetic marks) must make a plain name, not a panic in
/// `Ident::new`.
fn rust_safe(s: String, prefix: &str) -> String {
    let s = if s.chars().all(unicode_ident::is_xid_continue) {
        s
    } else {
        s.chars()
            .filter(|&c| unicode_ident::is_xid_continue(c))
            .collect()
    };
    if s.starts_with(|c: char| c == '_' || unicode_ident::is_xid_start(c)) && s != "_" {
        s
    } else {
        format!("{prefix}{s}")
    }
}

pub fn pascal(name: &str) -> String {
    let s = pascal_word(name);
    if s == "Self" {
        // A keyword that cannot be a raw identifier (a type or variant
        // named `self` in the schema).
        "Self_".to_string()
    } else {
        s
    }
}

/// The PascalCase form of a name that is only ever part of a longer
/// identifier (`SelfRequestBuilder`): no keyword escaping needed.
pub fn pascal_word(name: &str) -> String {
    rust_safe(name.to_upper_camel_case(), "N")
}

/// The module (and file) name for a Rust type or builder name: snake_case,
/// with `_` appended to keywords (`type` → `type_`), since `mod r#type;`
/// would work but the file would still be called `type.rs` and `self` has no
/// raw form at all.
pub fn module(name: &str) -> String {
    let s = snake(name);
    if STRICT.contains(&s.as_str()) || NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// The method name of one overload of a function, given the parameter names
/// of every overload reachable from the same path (`overloads` includes
/// `params`). The overload with the fewest parameters keeps the function's
/// name when no other has as few, so that a longer overload added later
/// never renames an existing method; the others are named by their
/// parameters (`recent_with_top`): CSDL requires overloads bound to one type
/// to differ in their sets of parameter names.
pub fn overload_name(name: &str, params: &[&str], overloads: &[Vec<&str>]) -> String {
    let fewest = overloads.iter().map(Vec::len).min().unwrap_or(0);
    let shortest = overloads.iter().filter(|o| o.len() == fewest).count();
    if overloads.len() <= 1 || params.is_empty() || (params.len() == fewest && shortest == 1) {
        return name.to_string();
    }
    let params: Vec<String> = params.iter().map(|p| snake(p)).collect();
    format!("{}_with_{}", snake(name), params.join("_and_"))
}

/// Names the generator itself uses in a scope, and what an OData name that
/// converts to one of them gets instead.
pub struct Reserved<'r> {
    pub names: &'r [&'r str],
    /// Appended to the Rust name of an OData name that would take a reserved
    /// one (`additionalData` → `additional_data_property` beside the
    /// generator's `additional_data`); `None` makes it an error.
    pub suffix: Option<&'r str>,
}

/// Assigns Rust names to a list of OData names in one scope, failing with a
/// located error when two of them convert to the same Rust name. The OData
/// name yields to a reserved one, so which of them is renamed never depends
/// on the order of the members.
pub fn assign_unique<'a>(
    file: &str,
    scope: &str,
    items: impl IntoIterator<Item = (&'a str, Pos)>,
    convert: impl Fn(&str) -> String,
    reserved: Reserved<'_>,
) -> Result<Vec<String>, Diagnostics> {
    let mut seen: HashMap<String, (&str, Pos)> = HashMap::new();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (name, pos) in items {
        let mut rust = convert(name);
        if reserved.names.contains(&rust.as_str()) {
            match reserved.suffix {
                Some(suffix) => rust.push_str(suffix),
                None => {
                    errors.push(Diagnostic::error(
                        file,
                        pos,
                        format!("\"{name}\" in {scope} becomes the Rust name \"{rust}\", which the generator reserves"),
                    ));
                    out.push(rust);
                    continue;
                }
            }
        }
        if let Some((other, other_pos)) = seen.get(&rust) {
            errors.push(Diagnostic::error(
                file,
                pos,
                format!(
                    "\"{name}\" in {scope} becomes the Rust name \"{rust}\", which \"{other}\" (at {other_pos}) already has"
                ),
            ));
        } else {
            seen.insert(rust.clone(), (name, pos));
        }
        out.push(rust);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Diagnostics(errors))
    }
}

/// Rust type names for qualified OData type names: the PascalCase local name,
/// prefixed with the last namespace segment where two namespaces share a
/// local name (`security.alert` → `SecurityAlert`); types of `main_namespace`
/// keep the short name.
pub fn type_names<'a>(
    qualified: impl IntoIterator<Item = &'a str>,
    main_namespace: &str,
) -> BTreeMap<String, String> {
    let names: Vec<&str> = qualified.into_iter().collect();
    let mut by_local: HashMap<String, Vec<&str>> = HashMap::new();
    for q in &names {
        by_local.entry(pascal(local(q))).or_default().push(q);
    }
    let mut out = BTreeMap::new();
    for (local_name, qs) in by_local {
        if qs.len() == 1 {
            out.insert(qs[0].to_string(), local_name);
            continue;
        }
        for q in qs {
            let ns = q.rsplit_once('.').map(|(n, _)| n).unwrap_or("");
            let last = ns.rsplit('.').next().unwrap_or(ns);
            let name = if ns == main_namespace {
                local_name.clone()
            } else {
                format!("{}{local_name}", pascal(last))
            };
            out.insert(q.to_string(), name);
        }
    }
    out
}

pub fn local(qualified: &str) -> &str {
    qualified.rsplit('.').next().unwrap_or(qualified)
}
