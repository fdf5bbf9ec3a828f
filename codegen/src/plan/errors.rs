//! Typed per-operation errors, from the documented error tables: an enum per
//! request with a variant per documented case, its `{placeholders}` as
//! fields, and `Other` for everything else.

use std::collections::BTreeMap;

use super::documented::{doc_text, page_url};
use super::names::{is_identifier, pascal_word, snake};
use super::{Docs, ErrorEnumPlan, ErrorVariantPlan};
use crate::docs::{DocsFacts, ErrorCase, OperationDoc};

/// The error enum of a documented request, when its page documents errors.
/// `names` are the generation options' variant names, by
/// `"<status> <start of the message>"`.
pub(super) fn plan_errors(
    rust_name: String,
    label: &str,
    op: &OperationDoc,
    names: &BTreeMap<String, String>,
) -> Option<ErrorEnumPlan> {
    if op.errors.is_empty() {
        return None;
    }
    let mut variants: Vec<ErrorVariantPlan> = op
        .errors
        .iter()
        .map(|e| ErrorVariantPlan {
            name: variant_name(e, names),
            docs: variant_docs(e),
            status: e.status,
            code: e.code.clone(),
            pattern: e.message_pattern.clone(),
            // A "Message" column quotes what the service says; a
            // "Description" column describes the case in other words.
            exact_message: e.message_column.eq_ignore_ascii_case("message"),
            fields: fields(&e.message_pattern),
        })
        .collect();
    // Two cases with one name (no configured name, one status) are
    // numbered in the order the page lists them.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for v in &mut variants {
        let n = seen.entry(v.name.clone()).or_default();
        *n += 1;
        if *n > 1 {
            v.name = format!("{}{n}", v.name);
        }
    }
    // A page lists its failures in an error table, or states them in a
    // sentence ("a `409 Conflict` response is returned").
    let from = if op
        .errors
        .iter()
        .all(|e| e.message_column.contains("stated in the text"))
    {
        "as its page states them"
    } else {
        "from the error table of its page"
    };
    let mut docs = Docs::line(format!("The documented failures of `{label}`, {from}."));
    docs.paragraph(format!(
        "Convert a request's error with `From` (`.map_err({rust_name}::from)`): it is matched by HTTP \
         status, then Graph error code, then message pattern (case, punctuation and whitespace are \
         ignored, text after the pattern is allowed, and a status documented once matches by status \
         alone when the page describes the case rather than quoting the message). Anything else is \
         `Other`. Every variant keeps the whole error: status, code, message and both request ids."
    ));
    docs.paragraph(format!("Documentation: <{}>", page_url(&op.page)));
    Some(ErrorEnumPlan {
        rust_name,
        docs,
        variants,
    })
}

/// The configured error names no documented case takes: a page's error
/// table changed, or the name was mistyped. Its variant has gone back to
/// the status's name, which `cargo xtask diff` shows as a rename; this says
/// which line of the options to mend.
pub fn unused_error_names<'n>(
    names: &'n BTreeMap<String, String>,
    docs: &DocsFacts,
) -> Vec<(&'n str, &'n str)> {
    let cases: Vec<String> = docs
        .operations
        .iter()
        .flat_map(|op| &op.errors)
        .map(|e| format!("{} {}", e.status, e.message_pattern))
        .collect();
    names
        .iter()
        .filter(|(k, _)| !cases.iter().any(|c| c.starts_with(k.as_str())))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

fn variant_docs(e: &ErrorCase) -> Docs {
    let mut d = Docs::line(format!("`{}`: {}", e.status, doc_text(&e.message_pattern)));
    if let Some(s) = &e.scenario {
        d.paragraph(format!("When: {}.", doc_text(s.trim_end_matches('.'))));
    }
    d.paragraph(format!("Documented at `{}`.", e.at));
    d
}

fn variant_name(e: &ErrorCase, names: &BTreeMap<String, String>) -> String {
    let key = format!("{} {}", e.status, e.message_pattern);
    if let Some(name) = names
        .iter()
        .filter(|(k, _)| key.starts_with(k.as_str()))
        .max_by_key(|(k, _)| k.len())
        .map(|(_, v)| v)
    {
        return name.clone();
    }
    let reason = match e.status {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        422 => "UnprocessableEntity",
        429 => "TooManyRequests",
        501 => "NotImplemented",
        503 => "ServiceUnavailable",
        other => return format!("Status{other}"),
    };
    reason.to_string()
}

/// The field of each `{placeholder}`: named by the word before it, as the
/// sentence reads ("for partner {siteUrl} and role {soure/target}" →
/// `partner`, `role`), else by the placeholder itself, else `field_N`. The
/// text is the documentation's: a name Rust cannot spell (`tenant²`) is
/// passed over, and `error` (the variant's own field) gets a suffix.
pub(super) fn fields(pattern: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let before = &rest[..open];
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let inside = &rest[open + 1..open + close];
        let word = before
            .split_whitespace()
            .last()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_alphanumeric()));
        let mut name = [word.map(snake), Some(snake(&pascal_word(inside)))]
            .into_iter()
            .flatten()
            .find(|n| is_identifier(n))
            .unwrap_or_else(|| format!("field_{}", out.len() + 1));
        if name == "error" {
            name = "error_value".to_string();
        }
        if out.contains(&name) {
            name = format!("{name}_{}", out.len() + 1);
        }
        out.push(name);
        rest = &rest[open + close + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_named_as_the_sentence_reads() {
        assert_eq!(
            fields(
                "There is no Cross-Tenant relationship established for partner {siteUrl} and role {soure/target}."
            ),
            ["partner", "role"]
        );
        assert_eq!(
            fields(
                "Identity map entry for source UPN {sourceUserUpn} does not exist on the target tenant."
            ),
            ["upn"]
        );
        assert_eq!(fields("{id} could not be found"), ["id"]);
        assert!(fields("Access denied").is_empty());
    }

    /// The documentation's words need not be Rust names: each field is one
    /// anyway, and distinct.
    #[test]
    fn fields_are_rust_identifiers_whatever_the_message_says() {
        assert_eq!(fields("No site for tenant² {siteUrl}."), ["tenant"]);
        assert_eq!(fields("No site ² {²}."), ["n_"]);
        assert_eq!(fields("Bad {} and {}"), ["bad", "and"]);
        assert_eq!(fields("{} {}"), ["n", "n_2"]);
        assert_eq!(
            fields("The error {code} and the error {code}"),
            ["error_value", "error_value_2"]
        );
        assert_eq!(fields("CO₂ {x}"), ["co"]);
        for pattern in ["a {b}", "über {x}", "for {type}", "①{x}", "{\u{200d}}"] {
            for f in fields(pattern) {
                assert!(is_identifier(&f), "{pattern}: {f}");
                // Keywords are escaped when emitted, as every field is.
                let _ = crate::plan::names::ident(&f);
            }
        }
    }
}
