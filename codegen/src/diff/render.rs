//! Reports: Markdown for pull-request descriptions, JSON for tools, and a
//! few lines for `cargo xtask regen`.

use std::fmt::Write;

use serde::Serialize;

use super::{Report, Severity, Suggestion};

fn heading(s: Severity) -> &'static str {
    match s {
        Severity::Breaking => "Breaking changes",
        Severity::Additive => "Additive changes",
        Severity::Deprecation => "Deprecations",
        Severity::Note => "Notes",
    }
}

/// Table cells: no line breaks, `|` escaped.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn counts(report: &Report) -> String {
    Severity::ALL
        .iter()
        .map(|&s| {
            let n = report.count(s);
            let word = match s {
                Severity::Deprecation if n != 1 => "deprecations".to_string(),
                Severity::Note if n != 1 => "notes".to_string(),
                _ => s.as_str().to_string(),
            };
            format!("{n} {word}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn table(out: &mut String, changes: &[&super::Change]) {
    let _ = writeln!(out, "| element | change | details |");
    let _ = writeln!(out, "| --- | --- | --- |");
    for c in changes {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            cell(&c.target),
            c.kind.describe(),
            cell(&c.detail)
        );
    }
    out.push('\n');
}

/// A Markdown report for a pull-request description.
pub fn markdown(report: &Report, suggestion: Option<&Suggestion>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Microsoft Graph beta metadata changes\n");
    let _ = writeln!(out, "`{}` → `{}`\n", cell(&report.old), cell(&report.new));
    match report.classification() {
        None => {
            let _ = writeln!(out, "No changes to the types or operations of the slice.\n");
        }
        Some(c) => {
            let _ = writeln!(out, "**Classification: {c}** ({}).\n", counts(report));
        }
    }
    if let Some(s) = suggestion {
        if s.next == s.current {
            let _ = writeln!(
                out,
                "Suggested version of the sdk crate: stays **{}** ({}).\n",
                s.current, s.reason
            );
        } else {
            let _ = writeln!(
                out,
                "Suggested version of the sdk crate: **{}** ({} bump from {}: {}).\n",
                s.next,
                s.bump.as_str(),
                s.current,
                s.reason
            );
        }
    }
    let unsettled = report.unsettled_changes();
    if !unsettled.is_empty() {
        let _ = writeln!(
            out,
            "### Unsettled elements\n\nThe documentation marks these TODO or shows them only with placeholder values: review each change on its own.\n"
        );
        table(&mut out, &unsettled);
    }
    for severity in Severity::ALL {
        let changes: Vec<_> = report
            .changes
            .iter()
            .filter(|c| c.severity == severity && !report.is_watched(c))
            .collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {}\n", heading(severity));
        table(&mut out, &changes);
    }
    if !report.patches_in_force.is_empty() {
        let _ = writeln!(out, "### Metadata patches in force\n");
        for p in &report.patches_in_force {
            let first = p
                .description
                .as_deref()
                .map(|d| d.split(". ").next().unwrap_or(d).trim_end_matches('.'))
                .unwrap_or_default();
            if first.is_empty() {
                let _ = writeln!(out, "- `{}`", p.file);
            } else {
                let _ = writeln!(out, "- `{}`: {}.", p.file, cell(first));
            }
        }
        out.push('\n');
    }
    out
}

#[derive(Serialize)]
struct Json<'a> {
    old: &'a str,
    new: &'a str,
    classification: Option<Severity>,
    counts: Counts,
    unsettled_changes: Vec<&'a super::Change>,
    changes: &'a [super::Change],
    patches_in_force: &'a [super::PatchInForce],
    #[serde(skip_serializing_if = "Option::is_none")]
    semver: Option<&'a Suggestion>,
}

#[derive(Serialize)]
struct Counts {
    breaking: usize,
    additive: usize,
    deprecation: usize,
    note: usize,
}

/// The report as pretty-printed JSON.
pub fn json(report: &Report, suggestion: Option<&Suggestion>) -> String {
    let value = Json {
        old: &report.old,
        new: &report.new,
        classification: report.classification(),
        counts: Counts {
            breaking: report.count(Severity::Breaking),
            additive: report.count(Severity::Additive),
            deprecation: report.count(Severity::Deprecation),
            note: report.count(Severity::Note),
        },
        unsettled_changes: report.unsettled_changes(),
        changes: &report.changes,
        patches_in_force: &report.patches_in_force,
        semver: suggestion,
    };
    let mut text = serde_json::to_string_pretty(&value).expect("reports serialize");
    text.push('\n');
    text
}

/// A few lines for a terminal: the counts, then one line per change (at
/// most `limit`, most severe first).
pub fn summary(report: &Report, suggestion: Option<&Suggestion>, limit: usize) -> String {
    let mut out = String::new();
    match report.classification() {
        None => {
            let _ = writeln!(out, "schema changes: none");
        }
        Some(c) => {
            let _ = writeln!(out, "schema changes: {c} ({})", counts(report));
            let unsettled = report.unsettled_changes();
            if !unsettled.is_empty() {
                let _ = writeln!(out, "  unsettled elements (documented as TODO):");
                for change in &unsettled {
                    let _ = writeln!(out, "    {change}");
                }
            }
            let rest: Vec<_> = report
                .changes
                .iter()
                .filter(|c| !report.is_watched(c))
                .collect();
            for change in rest.iter().take(limit) {
                let _ = writeln!(out, "  {change}");
            }
            if rest.len() > limit {
                let _ = writeln!(
                    out,
                    "  … and {} more (`cargo xtask diff` prints them all)",
                    rest.len() - limit
                );
            }
        }
    }
    if let Some(s) = suggestion {
        if s.next == s.current {
            let _ = writeln!(
                out,
                "suggested sdk version: {} unchanged ({})",
                s.current, s.reason
            );
        } else {
            let _ = writeln!(
                out,
                "suggested sdk version: {} → {} ({}: {})",
                s.current,
                s.next,
                s.bump.as_str(),
                s.reason
            );
        }
    }
    out
}
