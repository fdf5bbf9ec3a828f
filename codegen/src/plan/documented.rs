//! What the documentation adds to the plan's docs: descriptions of types,
//! properties and enum members, and for each request its summary,
//! permissions, roles, success status, national-cloud availability and
//! page.
//!
//! Which text wins: the documentation's description, when it has one, since
//! it is what Microsoft's own SDKs show and it is kept current with the
//! pages; the metadata's `Core.Description` otherwise. A metadata patch in
//! force is always shown, whatever the description's source.

use super::Docs;
use crate::docs::{DocsFacts, OperationDoc};

/// The public page of a documentation file: `graph-docs/api/x.md` →
/// `https://learn.microsoft.com/graph/api/x?view=graph-rest-beta`.
pub(super) fn page_url(page: &str) -> String {
    let file = page.rsplit('/').next().unwrap_or(page);
    let stem = file.strip_suffix(".md").unwrap_or(file);
    let resources = page.contains("resources/");
    format!(
        "https://learn.microsoft.com/graph/api/{}{stem}?view=graph-rest-beta",
        if resources { "resources/" } else { "" }
    )
}

/// Documentation text made safe for rustdoc: relative page links become
/// links to the published pages, and brackets that are not links are
/// escaped (rustdoc would take `[x]` for a link to an item).
pub(super) fn doc_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&escape_closing(&rest[..open]));
        let after = &rest[open + 1..];
        let link = after.find("](").and_then(|close| {
            let target = &after[close + 2..];
            let end = target.find(')')?;
            (!after[..close].contains('[')).then_some((close, end))
        });
        match link {
            Some((close, end)) => {
                let label = &after[..close];
                let target = &after[close + 2..close + 2 + end];
                let url = if target.starts_with("http") {
                    target.to_string()
                } else {
                    let path = target.split('#').next().unwrap_or(target);
                    page_url(path)
                };
                out.push_str(&format!("[{label}]({url})"));
                rest = &after[close + 2 + end + 1..];
            }
            None => {
                out.push_str("\\[");
                rest = after;
            }
        }
    }
    out.push_str(&escape_closing(rest));
    out
}

fn escape_closing(text: &str) -> String {
    text.replace(']', "\\]")
}

/// The description of a type, property or member: the documentation's,
/// else the metadata's.
pub(super) fn description(documented: Option<&str>, metadata: Option<String>) -> Option<String> {
    documented
        .map(str::trim)
        .filter(|d| !d.is_empty() && !d.contains("TODO"))
        .map(doc_text)
        .or(metadata)
}

pub(super) fn type_description(docs: &DocsFacts, qualified: &str) -> Option<String> {
    docs.type_doc(qualified)
        .and_then(|t| t.description.as_ref())
        .map(|t| t.text.clone())
}

pub(super) fn property_description(
    docs: &DocsFacts,
    owner: &str,
    property: &str,
) -> Option<String> {
    docs.property(owner, property)
        .or_else(|| docs.relationship(owner, property))
        .and_then(|p| p.description.clone())
}

pub(super) fn member_description(
    docs: &DocsFacts,
    enum_name: &str,
    member: &str,
) -> Option<String> {
    docs.member(enum_name, member)
        .and_then(|m| m.description.clone())
}

/// What a request's method doc says beyond its first line: summary,
/// permissions and roles, success status, availability and the page.
pub(super) fn request_docs(op: &OperationDoc) -> Docs {
    let mut d = Docs::new();
    if let Some(s) = &op.summary {
        d.paragraph(doc_text(&s.text));
    }
    // The operation's own page still marked TODO (a draft): what follows
    // may change, and the reader should know it. A draft that only filled
    // in a settled page does not unsettle it, nor does a placeholder value
    // in an example (`"id": "String"`), which the watch list keeps.
    let mut unsettled: Vec<&crate::docs::Source> = op
        .todos
        .iter()
        .filter(|t| {
            t.at.page == op.page
                && t.text.to_ascii_uppercase().contains("TODO")
                && !is_front_matter(&t.text)
        })
        .map(|t| &t.at)
        .collect();
    unsettled.sort_by_key(|at| at.line);
    if let Some(first) = unsettled.first() {
        d.paragraph(format!(
            "**Documentation unsettled**: its page still has {} TODO marker{} (first at {first}); what it \
             says below may change.",
            unsettled.len(),
            if unsettled.len() == 1 { "" } else { "s" }
        ));
    }
    if !op.permissions.is_empty() {
        let lines: Vec<String> = op
            .permissions
            .iter()
            .map(|p| {
                // The pages write "Not supported." or "N/A" where a
                // permission type cannot call the API (the extraction keeps
                // no name for them).
                let least = if p.least_privileged.is_empty() {
                    "not supported".to_string()
                } else {
                    p.least_privileged.join(", ")
                };
                let higher = if p.higher_privileged.is_empty() {
                    String::new()
                } else {
                    format!(" (higher: {})", p.higher_privileged.join(", "))
                };
                format!("- {}: {least}{higher}", p.permission_type)
            })
            .collect();
        d.paragraph(format!(
            "**Permissions** (least privileged first):\n{}",
            lines.join("\n")
        ));
    }
    if !op.roles.is_empty() {
        let roles: Vec<&str> = op.roles.iter().map(|r| r.text.as_str()).collect();
        d.paragraph(format!(
            "**Roles**: the signed-in user needs one of {}.",
            roles.join(", ")
        ));
    }
    if let Some(s) = &op.success_status {
        d.paragraph(format!("**Success**: `{}`.", s.text));
    }
    if op.national_clouds.as_ref().is_some_and(|n| n.global_only) {
        d.paragraph("**Availability**: the global service only, not the national clouds.");
    }
    d.paragraph(format!("Documentation: <{}>", page_url(&op.page)));
    d
}

/// A marker in the page's front matter (`author: "TODO: ..."`, a lower-case
/// key): about the page's metadata, not about what it documents.
fn is_front_matter(text: &str) -> bool {
    text.split_once(':').is_some_and(|(key, _)| {
        !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_point_at_published_pages_and_stray_brackets_are_escaped() {
        assert_eq!(
            doc_text("See [job](../resources/crosstenantmigrationjob.md) [x] a]b"),
            "See [job](https://learn.microsoft.com/graph/api/resources/crosstenantmigrationjob?view=graph-rest-beta) \\[x\\] a\\]b"
        );
        assert_eq!(
            page_url("graph-docs/api/crosstenantmigrationjob-migrate.md"),
            "https://learn.microsoft.com/graph/api/crosstenantmigrationjob-migrate?view=graph-rest-beta"
        );
        assert_eq!(
            description(Some("TODO: Add Description"), Some("meta".into())).as_deref(),
            Some("meta")
        );
        assert_eq!(
            description(Some("Docs."), Some("meta".into())).as_deref(),
            Some("Docs.")
        );
    }
}
