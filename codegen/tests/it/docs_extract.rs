//! The `docs` stage on the pages in ../shared/api-docs: per-page counts
//! checked against an independent line scan, the committed facts file kept
//! fresh, lookups, malformed markdown, and docs-check (snapshot, and one
//! planted disagreement of each class).

use std::path::{Path, PathBuf};

use migrations_codegen::docs::check::{self, FindingClass};
use migrations_codegen::docs::extract::{
    self, PageFacts, extract, extract_rendered, looks_rendered,
};
use migrations_codegen::docs::{DirReader, DocsFacts, Precedence, page, write};
use migrations_codegen::pipeline;

use crate::support;

/// ../shared/api-docs, or `None` (after saying why) outside CI.
fn docs_dir() -> Option<PathBuf> {
    support::shared_file("api-docs/CURRENT.md")?;
    Some(PathBuf::from(format!("{}/api-docs", support::SHARED_DIR)))
}

fn all_pages(dir: &Path, rel: &str, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir.join(rel))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let child = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        if p.is_dir() {
            all_pages(dir, &child, out);
        } else if name.ends_with(".md") {
            out.push((child, std::fs::read_to_string(&p).unwrap()));
        }
    }
}

fn extract_any(rel: &str, text: &str) -> PageFacts {
    if looks_rendered(text) {
        extract_rendered(rel, text, Precedence::Saved)
    } else {
        extract(&page::parse(rel, text), Precedence::Current)
    }
}

#[derive(Debug, Default, PartialEq, Eq, Clone, Copy)]
struct Counts {
    descriptions: usize,
    errors: usize,
    examples: usize,
    todos: usize,
}

/// What the extractor found on one page.
fn extracted_counts(pf: &PageFacts) -> Counts {
    let mut c = Counts::default();
    if let Some((_, t)) = pf.types.first().filter(|(_, t)| t.at.is_some()) {
        assert_eq!(t.description, pf.info.as_ref().unwrap().summary);
        c.descriptions += t
            .properties
            .values()
            .chain(t.relationships.values())
            .filter(|p| p.description.is_some())
            .count();
        c.examples += usize::from(t.json_representation.is_some());
    }
    if let Some(op) = &pf.operation {
        assert_eq!(op.summary, pf.info.as_ref().unwrap().summary);
        c.descriptions += op
            .request_body
            .iter()
            .chain(&op.function_parameters)
            .filter(|p| p.description.is_some())
            .count();
        c.errors += op.errors.len();
        c.examples += op.examples.len();
    }
    c.descriptions += usize::from(pf.info.as_ref().is_some_and(|i| i.summary.is_some()));
    c.todos = pf.info.as_ref().map_or(0, |i| i.todos.len());
    c
}

fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    t.split('|').map(|c| c.trim().to_string()).collect()
}

/// `"blockType": "request"` in a comment → `request`.
fn block_type(comment: &str) -> Option<String> {
    comment
        .split("\"blockType\"")
        .nth(1)
        .and_then(|r| r.split('"').nth(1))
        .map(str::to_string)
}

fn is_separator(line: &str) -> bool {
    line.trim().starts_with('|') && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// The same counts, made by scanning lines: headings, `|` rows, fences and
/// the `blockType` comments, without the markdown parser.
fn scanned_counts(text: &str) -> Counts {
    let mut c = Counts {
        todos: text.matches("TODO").count(),
        ..Counts::default()
    };
    let lines: Vec<&str> = text.lines().collect();
    if looks_rendered(text) {
        // Rendered: a summary paragraph and the error lines under "Response".
        let mut section = "";
        let mut seen_title = false;
        for l in &lines {
            let l = l.trim();
            if l.is_empty() || l == "Edit" {
                continue;
            }
            if !seen_title {
                seen_title = true;
                continue;
            }
            if [
                "Permissions",
                "HTTP request",
                "Response",
                "Examples",
                "Request body",
            ]
            .contains(&l)
            {
                section = if l == "Response" && section == "Examples" {
                    "done"
                } else {
                    l
                };
                continue;
            }
            if section.is_empty()
                && !l.starts_with("Namespace:")
                && l != "Important"
                && !l.starts_with("APIs under")
                && c.descriptions == 0
            {
                c.descriptions = 1;
            }
            let code: Option<u16> = l.get(..3).and_then(|s| s.parse().ok());
            if section == "Response" && code.is_some_and(|n| n >= 400) {
                c.errors += 1;
            }
        }
        return c;
    }
    let mut heading = String::new();
    let mut headings: Vec<(usize, String)> = Vec::new();
    let mut in_fence = false;
    let mut in_front = lines.first() == Some(&"---");
    let mut summary_done = false;
    let mut after_h1 = false;
    let mut header: Option<Vec<String>> = None;
    let mut last_comment_type: Option<String> = None;
    let mut comment: Option<String> = None;
    // Failures stated in a sentence of an API page ("a `409 Conflict`
    // response"), counted for the statuses no error table has.
    let api_page = text.contains("doc_type: apiPageType");
    let mut table_statuses: Vec<u16> = Vec::new();
    let mut stated: Vec<u16> = Vec::new();
    for (i, raw) in lines.iter().enumerate() {
        let l = raw.trim_end();
        if in_front {
            if i > 0 && l == "---" {
                in_front = false;
            }
            continue;
        }
        if l.trim_start().starts_with("```") {
            if !in_fence {
                let counted = match last_comment_type.as_deref() {
                    Some("request" | "response" | "resource") => true,
                    Some(_) => false,
                    None => heading.contains("body") || heading.contains("response"),
                };
                if counted {
                    c.examples += 1;
                }
            }
            in_fence = !in_fence;
            last_comment_type = None;
            continue;
        }
        if in_fence {
            continue;
        }
        if let Some(text) = &mut comment {
            text.push_str(l);
            if l.contains("-->") {
                last_comment_type = block_type(&comment.take().unwrap());
            }
            continue;
        }
        if l.starts_with("<!--") {
            comment = Some(l.to_string());
            if l.contains("-->") {
                last_comment_type = block_type(&comment.take().unwrap());
            }
            continue;
        }
        if let Some(h) = l.strip_prefix('#') {
            let level = 1 + h.chars().take_while(|&c| c == '#').count();
            let title = h
                .trim_start_matches('#')
                .trim()
                .to_ascii_lowercase()
                .replace("**", "");
            if title.starts_with('[') {
                continue; // a code tab, not a section
            }
            headings.retain(|(lv, _)| *lv < level);
            headings.push((level, title.clone()));
            heading = title;
            after_h1 = level == 1 || after_h1;
            if level > 1 {
                summary_done = true;
            }
            last_comment_type = None;
            header = None;
            continue;
        }
        if l.trim_start().starts_with('|') {
            if is_separator(l) {
                continue;
            }
            let row = cells(l);
            let Some(h) = &header else {
                header = Some(row);
                continue;
            };
            let under = |w: &str| headings.iter().any(|(_, t)| t.contains(w));
            let first = h[0].to_ascii_lowercase();
            let col = |name: &str| h.iter().position(|x| x.eq_ignore_ascii_case(name));
            let status = col("Status code").or(col("Code"));
            if let Some(sc) = status
                && (under("response") || under("error"))
                && first != "permission type"
            {
                if let Some(n) = row.get(sc).and_then(|s| {
                    s.trim_matches('`')
                        .get(..3)
                        .and_then(|n| n.parse::<u16>().ok())
                }) {
                    c.errors += 1;
                    table_statuses.push(n);
                }
                continue;
            }
            let described = col("Description")
                .and_then(|d| row.get(d))
                .is_some_and(|d| !d.is_empty());
            let property_table = matches!(first.as_str(), "property" | "relationship")
                && (under("properties") || under("relationships"));
            let body_table = under("request body")
                && matches!(first.as_str(), "property" | "parameter" | "name");
            let function_table = under("function parameters");
            if described && (property_table || body_table || function_table) {
                c.descriptions += 1;
            }
            continue;
        }
        header = None;
        let t = l.trim();
        if !t.is_empty() {
            // A comment describes the block right after it only.
            last_comment_type = None;
        }
        if api_page {
            let pieces: Vec<&str> = t.split('`').collect();
            for k in (1..pieces.len()).step_by(2) {
                let after = pieces.get(k + 1).copied().unwrap_or("");
                let status = pieces[k].get(..3).and_then(|n| n.parse::<u16>().ok());
                if let Some(n) = status.filter(|n| *n >= 400)
                    && after
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("response")
                    && !stated.contains(&n)
                {
                    stated.push(n);
                }
            }
        }
        if after_h1
            && !summary_done
            && !t.is_empty()
            && !t.starts_with("Namespace:")
            && !t.starts_with("[!INCLUDE")
            && !t.starts_with("Inherits from")
        {
            c.descriptions += 1;
            summary_done = true;
        }
    }
    c.errors += stated
        .iter()
        .filter(|n| !table_statuses.contains(n))
        .count();
    c
}

#[test]
fn every_page_counts_match_an_independent_scan() {
    let Some(dir) = docs_dir() else { return };
    let mut pages = Vec::new();
    all_pages(&dir, "", &mut pages);
    assert!(
        pages.len() >= 49,
        "expected every page of ../shared/api-docs, got {}",
        pages.len()
    );
    let mut totals = Counts::default();
    let mut mismatches = Vec::new();
    for (rel, text) in &pages {
        let pf = extract_any(rel, text);
        let got = extracted_counts(&pf);
        let want = scanned_counts(text);
        if got != want {
            mismatches.push(format!("{rel}: extracted {got:?}, scanned {want:?}"));
        }
        totals.descriptions += got.descriptions;
        totals.errors += got.errors;
        totals.examples += got.examples;
        totals.todos += got.todos;
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    // The pages do hold these facts: a scan that found nothing would agree
    // with an extractor that found nothing.
    assert!(totals.descriptions > 150, "{totals:?}");
    assert!(totals.errors >= 13, "{totals:?}");
    assert!(totals.examples > 80, "{totals:?}");
    assert_eq!(totals.todos, 25, "{totals:?}");
}

fn shared_facts() -> Option<DocsFacts> {
    let dir = docs_dir()?;
    let mut reader = DirReader::new(&dir, pipeline::DEFAULT_DOCS);
    Some(pipeline::refresh_docs_facts(&support::workspace_root(), &mut reader).unwrap())
}

#[test]
fn the_committed_facts_are_what_the_shared_pages_say() {
    let Some(facts) = shared_facts() else { return };
    let committed = pipeline::load_docs_facts(&support::workspace_root()).unwrap();
    assert!(
        committed == facts,
        "metadata/docs-facts.json is stale: run `cargo xtask docs-refresh` and commit"
    );
    assert_eq!(
        write::to_json(&committed),
        std::fs::read_to_string(support::workspace_root().join(pipeline::DOCS_FACTS)).unwrap(),
        "the committed file is not in the normalised form"
    );
}

#[test]
fn facts_of_the_pages_the_issue_names() {
    let Some(facts) = shared_facts() else { return };
    // migrate: errors, and permissions and roles from the rendered page.
    let migrate = facts
        .operation(
            "post",
            "/solutions/migrations/crossTenantMigrationJobs/{id}/migrate",
        )
        .expect("migrate is documented");
    let statuses: Vec<u16> = migrate.errors.iter().map(|e| e.status).collect();
    assert_eq!(statuses, [404, 409, 409]);
    assert!(migrate.errors[2].message_pattern.contains("seven days"));
    assert_eq!(migrate.success_status.as_ref().unwrap().code, 200);
    assert_eq!(migrate.permissions.len(), 3);
    assert!(
        migrate
            .permissions
            .iter()
            .all(|p| p.least_privileged.is_empty())
    );
    let roles: Vec<&str> = migrate.roles.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(
        roles,
        [
            "Microsoft 365 Migration Administrator",
            "Global Administrator"
        ]
    );
    assert_eq!(
        migrate.roles[0].at.to_string(),
        "crosstenantmigrationjob-migrate.md:28"
    );
    assert!(migrate.no_request_body);
    assert!(
        migrate
            .examples
            .iter()
            .all(|e| e.json.is_none() || e.json_parses)
    );
    // create sharePointMigrationTask: the error table with placeholders.
    let create = facts
        .operation(
            "POST",
            "/solutions/sharePoint/migrations/crossOrganizationMigrationTasks",
        )
        .unwrap();
    assert_eq!(create.errors.len(), 6);
    let trust = create
        .errors
        .iter()
        .find(|e| e.message_pattern.contains("Cross-Tenant"))
        .unwrap();
    assert_eq!(trust.status, 422);
    assert_eq!(trust.placeholders, ["siteUrl", "soure/target"]);
    assert_eq!(
        trust.at.to_string(),
        "graph-docs/api/sharepointmigrationtask-create.md:399"
    );
    let upn = create
        .errors
        .iter()
        .find(|e| e.message_pattern.starts_with("Identity map"))
        .unwrap();
    assert_eq!(upn.placeholders, ["sourceUserUpn"]);
    assert_eq!(
        create.permissions[1].least_privileged,
        ["SharePointCrossTenantMigration.Manage.All"]
    );
    // The create-task page: the three TODO fields and placeholder values.
    let task = facts
        .operation(
            "POST",
            "/solutions/migrations/crossTenantMigrationJobs/{crossTenantMigrationJobId}/users",
        )
        .unwrap();
    let todo_fields: Vec<&str> = task
        .request_body
        .iter()
        .filter(|p| p.todo)
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        todo_fields,
        ["taskType", "lastUpdatedDateTime", "currentStatus"]
    );
    assert!(task.todos.iter().any(|t| {
        t.text
            .contains("$.lastUpdatedDateTime = \"String (timestamp)\"")
    }));
    // The create-job page's TODO rows reach the create operation.
    let job = facts
        .operation("POST", "/solutions/migrations/crossTenantMigrationJobs")
        .unwrap();
    assert!(
        job.todos
            .iter()
            .filter(|t| t.text.contains("TODO: Add Description"))
            .count()
            >= 14
    );
    // Types, properties, enum members, lookups.
    let t = facts
        .type_doc("microsoft.graph.crossTenantMigrationJob")
        .unwrap();
    assert_eq!(
        t.properties["displayName"].description.as_deref(),
        Some("Display name of the job. Must be unique per tenant")
    );
    assert_eq!(
        t.properties["displayName"].at.to_string(),
        "graph-docs/resources/crosstenantmigrationjob.md:41"
    );
    assert!(facts.property("crossTenantMigrationJob", "id").is_some());
    assert_eq!(
        facts
            .member("crossTenantMigrationJobType", "validate")
            .unwrap()
            .description
            .as_deref(),
        Some("only validation is performed, no migration")
    );
    assert!(
        facts
            .relationship("crossTenantMigrationJob", "users")
            .is_some()
    );
    let updatable: Vec<&str> = facts
        .updatable_properties("sharePointUserIdentityMapping")
        .unwrap()
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert!(updatable.contains(&"targetUserIdentity"), "{updatable:?}");
    let read_only: Vec<&String> = facts
        .type_doc("sharePointMigrationTask")
        .unwrap()
        .properties
        .iter()
        .filter(|(_, p)| p.read_only)
        .map(|(n, _)| n)
        .collect();
    assert!(!read_only.is_empty());
    let validate = facts
        .operation(
            "POST",
            "/solutions/migrations/crossTenantMigrationJobs/validate",
        )
        .unwrap();
    assert!(validate.national_clouds.as_ref().unwrap().global_only);
    // validate takes its roles from the include the rendered migrate page shows.
    assert_eq!(
        validate.roles_include.as_ref().unwrap().text,
        "rbac-crosstenantmigration-apis"
    );
    assert_eq!(validate.roles, migrate.roles);
}

#[test]
fn docs_check_report_on_the_shared_docs() {
    let Some(facts) = shared_facts() else { return };
    let model = pipeline::load_committed_model(&support::workspace_root()).unwrap();
    let report = check::check(&facts, &model);
    // The saved pages have no enum difference and nothing the extractor
    // could not read (their examples that are not JSON are `example`
    // findings); the planted test finds those two classes.
    for class in FindingClass::ALL {
        if class != FindingClass::Enum && class != FindingClass::Unread {
            assert!(report.count(class) > 0, "no {} finding", class.name());
        }
    }
    insta::assert_snapshot!("docs_check_shared", check::markdown(&report));
}

/// Copies a directory tree.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            copy_tree(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// The facts of one page given as text.
fn facts_of(path: &str, text: &str) -> PageFacts {
    extract(&page::parse(path, text), Precedence::Current)
}

/// Asserts that a warning starts with `at` (`api/x.md:19:`) and says `words`.
fn assert_warned(pf: &PageFacts, at: &str, words: &str) {
    let warnings: Vec<String> = pf.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with(at) && w.contains(words)),
        "no `{at} … {words}` in {warnings:#?}"
    );
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn one_planted_disagreement_of_each_class_is_found() {
    let Some(dir) = docs_dir() else { return };
    let tmp = std::env::temp_dir().join(format!("docs-planted-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    copy_tree(&dir, &tmp);
    let job = "graph-docs/resources/crosstenantmigrationjob.md";
    // not-in-metadata: a documented property the metadata lacks.
    edit(
        &tmp,
        job,
        "|message|String|",
        "|plantedProperty|String|Planted.|\n|message|String|",
    );
    // undocumented: a property row removed.
    edit(
        &tmp,
        job,
        "|createdBy|String|ID of the user that created the job|\n",
        "",
    );
    // type: a property typed differently.
    edit(
        &tmp,
        job,
        "|sourceTenantId|String|",
        "|sourceTenantId|Int32 collection|",
    );
    // enum: a member the metadata does not have.
    edit(
        &tmp,
        job,
        "`migrate` (Content is migrated)",
        "`migrate` (Content is migrated), `plantedMember`",
    );
    // operation: migrate documented on the collection.
    let migrate = "graph-docs/api/crosstenantmigrationjob-migrate.md";
    edit(
        &tmp,
        migrate,
        "POST /solutions/migrations/crossTenantMigrationJobs/{crossTenantMigrationJobId}/migrate",
        "POST /solutions/migrations/crossTenantMigrationJobs/migrate",
    );
    std::fs::remove_file(tmp.join("crosstenantmigrationjob-migrate.md")).unwrap();
    // type: a documented base type the metadata does not have.
    edit(
        &tmp,
        "graph-docs/resources/sharepointsitemigrationtaskparameters.md",
        "Inherits from [sharePointMigrationTaskParameters](../resources/sharepointmigrationtaskparameters.md).",
        "Inherits from [entity](../resources/entity.md).",
    );
    // unread: a row with a cell too few, skipped by the extractor.
    edit(
        &tmp,
        job,
        "|message|String|",
        "|plantedShortRow|String|\n|message|String|",
    );
    // case: a request body row spelled with a capital.
    edit(
        &tmp,
        "graph-docs/api/crosstenantmigrationjob-update.md",
        "|completeAfterDateTime|DateTimeOffset|",
        "|CompleteAfterDateTime|Int32|",
    );
    // example: a JSON value of the wrong kind.
    let get = "graph-docs/api/crosstenantmigrationjob-get.md";
    let text = std::fs::read_to_string(tmp.join(get)).unwrap();
    let (before, after) = text.split_at(
        text.find("\"displayName\": \"")
            .expect("get example has a displayName"),
    );
    let rest = &after[after.find(',').unwrap()..];
    std::fs::write(tmp.join(get), format!("{before}\"displayName\": 42{rest}")).unwrap();

    let mut reader = DirReader::new(&tmp, "planted");
    let facts = pipeline::refresh_docs_facts(&support::workspace_root(), &mut reader).unwrap();
    let model = pipeline::load_committed_model(&support::workspace_root()).unwrap();
    let report = check::check(&facts, &model);
    let _ = std::fs::remove_dir_all(&tmp);
    let found = |class: FindingClass, subject: &str| {
        report
            .findings
            .iter()
            .find(|f| f.class == class && f.subject.contains(subject))
            .unwrap_or_else(|| {
                panic!(
                    "no {} finding about {subject}:\n{}",
                    class.name(),
                    check::markdown(&report)
                )
            })
    };
    let f = found(
        FindingClass::NotInMetadata,
        "crossTenantMigrationJob/plantedProperty",
    );
    assert!(f.docs.as_deref().unwrap().starts_with(job));
    assert!(
        f.patch
            .as_deref()
            .unwrap()
            .contains("<Property Name=\"plantedProperty\" Type=\"Edm.String\" />")
    );
    let f = found(
        FindingClass::Undocumented,
        "crossTenantMigrationJob/createdBy",
    );
    assert!(
        f.csdl
            .as_deref()
            .unwrap()
            .starts_with("metadata/graph-beta-migrations.csdl:")
    );
    let f = found(FindingClass::Type, "crossTenantMigrationJob/sourceTenantId");
    assert!(
        f.patch
            .as_deref()
            .unwrap()
            .contains("value = \"Collection(Edm.Int32)\"")
    );
    found(
        FindingClass::Enum,
        "crossTenantMigrationJobType/plantedMember",
    );
    let f = found(FindingClass::Operation, "/crossTenantMigrationJobs/migrate");
    assert!(
        f.patch
            .as_deref()
            .unwrap()
            .contains("Type=\"Collection(graph.crossTenantMigrationJob)\"")
    );
    // A finding of `class` about `subject` whose message says `words`.
    let says = |class: FindingClass, subject: &str, words: &str| {
        let f = found(class, subject);
        assert!(f.message.contains(words), "{}", f.message);
    };
    says(
        FindingClass::Type,
        "sharePointSiteMigrationTaskParameters",
        "inherits from `entity`, the metadata from `sharePointMigrationTaskParameters`",
    );
    says(
        FindingClass::Unread,
        "resources/crosstenantmigrationjob.md:",
        "table row has 2 of 3 columns",
    );
    // A resource page's JSON representation that is not JSON is `unread`:
    // no `example` finding covers it.
    let warning = |message: &str| migrations_codegen::docs::Warning {
        at: migrations_codegen::docs::Source::new("resources/x.md", 3),
        message: message.to_string(),
    };
    assert!(
        !warning("invalid JSON in the resource example (x): kept verbatim").is_unparsed_example()
    );
    assert!(
        warning("invalid JSON in the response example (x): kept verbatim").is_unparsed_example()
    );
    // Examples that are not JSON are `example` findings, not `unread` ones.
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.class == FindingClass::Unread && f.message.contains("invalid JSON"))
    );
    // Spelled and typed apart: both are reported.
    found(FindingClass::Type, "body/CompleteAfterDateTime");
    says(
        FindingClass::Case,
        "body/CompleteAfterDateTime",
        "the docs spell `CompleteAfterDateTime`, the metadata `completeAfterDateTime`",
    );
    let f = found(FindingClass::Example, "$.displayName");
    assert!(f.message.contains("expected a string"), "{}", f.message);
    assert!(f.docs.as_deref().unwrap().starts_with(get));
    // None of these is in the report on the unplanted docs.
    if let Some(clean) = shared_facts() {
        let clean = check::check(&clean, &model);
        assert!(
            !clean
                .findings
                .iter()
                .any(|f| f.subject.contains("planted") || f.subject.contains("createdBy"))
        );
    }
}

#[test]
fn malformed_markdown_gives_located_warnings() {
    let text = "---\ntitle: \"Get x\"\ndoc_type: apiPageType\n---\n# Get x\n\nGets x.\n\n## HTTP request\n\n```http\nGET /x\n```\n\n## Request body\n\n|Property|Type|Description|\n|:---|:---|:---|\n|a|String|\n|b|String|Fine.|\n\n## Examples\n\n<!-- { \"blockType\": \"request\", broken -->\n```http\nGET https://graph.microsoft.com/beta/x\n```\n\n<!-- {\n  \"blockType\": \"response\"\n}\n-->\n```http\nHTTP/1.1 200 OK\n\n{ \"a\": 1,, }\n```\n\n```json\n{ \"unterminated\": true\n";
    let pf = facts_of("api/x.md", text);
    let has = |at: &str, words: &str| assert_warned(&pf, at, words);
    has("api/x.md:19:", "table row has 2 of 3 columns");
    has("api/x.md:24:", "annotation comment is not valid JSON");
    has("api/x.md:36:", "invalid JSON in the response example");
    has("api/x.md:39:", "unterminated code block");
    let op = pf.operation.unwrap();
    // The good row and the request line survive; the bad row is skipped.
    assert_eq!(op.request_body.len(), 1);
    assert_eq!(op.request_body[0].name, "b");
    assert_eq!(op.http_requests[0].path, "/x");
    let response = op.examples.iter().find(|e| e.kind == "response").unwrap();
    assert!(!response.json_parses);
    assert_eq!(response.json.as_deref(), Some("{ \"a\": 1,, }"));
}

/// A cell written empty (`|c|String||`) is a cell: its row is kept with an
/// empty description. Only a row that writes fewer cells than the header
/// is skipped; an escaped pipe is text, not a cell boundary.
#[test]
fn an_empty_cell_keeps_its_row() {
    // A title naming errors does not make every table an error table; a
    // pipe after an escaped backslash is text, as pulldown-cmark reads it.
    let text = "---\ntitle: \"Update errorSettings\"\ndoc_type: apiPageType\n---\n# Update errorSettings\n\n## HTTP request\n\n```http\nPATCH /x\n```\n\n## Request body\n\n|Property|Type|Description|\n|:---|:---|:---|\n|c|String||\n|a|String|\n|d|String|Either \\| or not.|\n| e | String |  |\n|f|String\\\\|g|\n";
    let pf = facts_of("api/x.md", text);
    assert_eq!(pf.warnings.len(), 2, "{:#?}", pf.warnings);
    assert_warned(&pf, "api/x.md:18:", "2 of 3 columns");
    assert_warned(&pf, "api/x.md:21:", "2 of 3 columns");
    let op = pf.operation.unwrap();
    let names: Vec<&str> = op.request_body.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["c", "d", "e"]);
    assert_eq!(
        op.request_body[0]
            .description
            .as_deref()
            .unwrap_or_default(),
        ""
    );
    assert_eq!(
        op.request_body[1].description.as_deref(),
        Some("Either | or not.")
    );
}

/// The request line is read under "HTTP request" however its block is
/// annotated and however the method is written; a page with none says so,
/// since its facts then belong to no operation.
#[test]
fn request_lines_are_read_or_their_absence_reported() {
    let page_with = |request: &str| {
        format!(
            "---\ntitle: \"Get x\"\ndoc_type: apiPageType\n---\n# Get x\n\n## HTTP request\n\n{request}\n\n## Response\n\nOK.\n"
        )
    };
    for (block, method) in [
        (
            "<!-- {\n  \"blockType\": \"request\"\n}\n-->\n```http\nPOST /x\n```",
            "POST",
        ),
        ("```http\nget\t/x\n```", "GET"),
    ] {
        let pf = facts_of("api/x.md", &page_with(block));
        let op = pf.operation.unwrap();
        assert_eq!(op.http_requests.len(), 1, "{block}");
        assert_eq!(op.http_requests[0].method, method);
        assert_eq!(op.http_requests[0].path, "/x");
        assert!(op.examples.is_empty(), "{block}");
        assert!(pf.warnings.is_empty(), "{:?}", pf.warnings);
    }
    let pf = facts_of("api/x.md", &page_with("```http\nFETCH /x\n```"));
    assert_warned(&pf, "api/x.md:9:", "no request line");
}

/// Graph's evolvable enums list their later members in a sentence of their
/// own after "possible values are"; both sentences count, the header name
/// between them does not, and a note with "e.g." does not end the list.
#[test]
fn evolvable_enum_members_after_the_first_sentence_count() {
    let text = "---\ntitle: \"thing resource type\"\ndoc_type: resourcePageType\n---\n# thing resource type\n\n## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n|state|thingState|The state. The possible values are: `on` (e.g. lit), `off`, `unknownFutureValue`. Use the `Prefer: include-unknown-enum-members` request header to get the following values in this [evolvable enum](/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations): `dimmed`, `broken`. Other text names `nothing`.|\n";
    let pf = facts_of("resources/thing.md", text);
    let (_, state) = pf
        .types
        .iter()
        .find(|(n, _)| n == "thingState")
        .expect("the enum's members");
    let members: Vec<&str> = state.members.keys().map(String::as_str).collect();
    assert_eq!(
        members,
        ["broken", "dimmed", "off", "on", "unknownFutureValue"],
        "{members:?}"
    );
    assert_eq!(state.members["on"].description.as_deref(), Some("e.g. lit"));
    // The list ends with its sentence, whatever the next one starts with;
    // an evolvable sentence without a colon lists its own values.
    let text = "---\ntitle: \"thing resource type\"\ndoc_type: resourcePageType\n---\n# thing resource type\n\n## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n|mode|thingMode|The possible values are: `a` (e.g. SharePoint), `b`. `null` means not set.|\n|kind|thingKind|The possible values are: `c`. Use the following value in this evolvable enum `d`. Note: `e` was removed.|\n";
    let pf = facts_of("resources/thing.md", text);
    let members = |name: &str| -> Vec<String> {
        pf.types
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.members.keys().cloned().collect())
            .unwrap_or_default()
    };
    assert_eq!(members("thingMode"), ["a", "b"]);
    assert_eq!(members("thingKind"), ["c", "d"]);
}

/// A JSON path's line is where that path's key is written, not the first
/// line that mentions the key anywhere in the text.
#[test]
fn json_paths_are_located_at_their_own_key() {
    use migrations_codegen::docs::extract::key_line;
    let json = r##"{
  "value": [
    {
      "targetGroupIdentity": {
        "id": "a"
      }
    },
    {
      "@odata.type": "#x",
      "sourceGroupIdentity": {"id": "b", "flags": [true, null, 3]},
      "escaped \" key": 1,
      "text": "a \"quoted\" value, with [brackets] and {braces}",
      "id": "c"
    }
  ]
}"##;
    let cases = [
        ("$", 0),
        ("$.value", 1),
        ("$.value[0]", 2),
        ("$.value[0].targetGroupIdentity.id", 4),
        ("$.value[1]", 7),
        ("$.value[1].@odata.type", 8),
        ("$.value[1].sourceGroupIdentity.id", 9),
        ("$.value[1].sourceGroupIdentity.flags[2]", 9),
        ("$.value[1].escaped \" key", 10),
        ("$.value[1].id", 12),
        ("$.value[2]", 0),
    ];
    for (path, line) in cases {
        assert_eq!(key_line(json, path), line, "{path}");
    }
    assert_eq!(key_line("{ not json", "$.x"), 0);
}

/// TODO markers count wherever a page puts them: in an HTML comment inside
/// a sentence or a cell, in a code span, and in the name or type column of
/// a row, which then stays unsettled.
#[test]
fn todo_markers_in_comments_code_and_any_cell_count() {
    let text = "---\ntitle: \"Update x\"\ndoc_type: apiPageType\n---\n# Update x\n\nUpdates x. <!-- TODO: say what it returns -->\n\n## HTTP request\n\n```http\nPATCH /x\n```\n\n## Request body\n\n|Property|Type|Description|\n|:---|:---|:---|\n|**TODO: name**|**TODO: type**|Settled words.|\n|b|String|Fine <!-- TODO: check -->.|\n|c|String|Set to `TODO` for now.|\n|d|String|Fine.|\n";
    let pf = facts_of("api/x.md", text);
    let op = pf.operation.unwrap();
    let unsettled: Vec<(&str, bool)> = op
        .request_body
        .iter()
        .map(|p| (p.name.as_str(), p.todo))
        .collect();
    assert_eq!(
        unsettled,
        [("TODO: name", true), ("b", true), ("c", true), ("d", false)]
    );
    let marked: Vec<(&str, usize)> = op
        .todos
        .iter()
        .map(|t| (t.text.as_str(), t.at.line))
        .collect();
    for (text, line) in [
        ("TODO: say what it returns", 7),
        ("TODO: check", 20),
        ("TODO", 21),
    ] {
        assert!(
            marked.contains(&(text, line)),
            "no {text:?} at {line} in {marked:?}"
        );
    }
}

/// An error table headed "HTTP status code" is read; one whose status
/// column is not recognised is a warning, not documented cases lost unseen.
#[test]
fn error_tables_are_read_or_reported() {
    let page_with = |table: &str| {
        format!(
            "---\ntitle: \"Get x\"\ndoc_type: apiPageType\n---\n# Get x\n\n## HTTP request\n\n```http\nGET /x\n```\n\n## Errors\n\n{table}\n"
        )
    };
    let pf = facts_of(
        "api/x.md",
        &page_with(
            "|HTTP status code|Error code|Message|\n|:---|:---|:---|\n|404|notFound|No x.|\n",
        ),
    );
    let op = pf.operation.unwrap();
    assert_eq!(op.errors.len(), 1, "{:?}", pf.warnings);
    assert_eq!(op.errors[0].status, 404);
    assert_eq!(op.errors[0].code.as_deref(), Some("notFound"));
    let pf = facts_of(
        "api/x.md",
        &page_with("|Reason|Message|\n|:---|:---|\n|Gone|No x.|\n"),
    );
    assert_warned(&pf, "api/x.md:15:", "without a status column");
    assert!(pf.operation.unwrap().errors.is_empty());
}

/// Only the block that opens a page is its front matter: one opened by an
/// editor's byte-order mark counts, a later `---` block does not overwrite
/// the title and is reported where it is.
#[test]
fn front_matter_is_the_block_that_opens_the_page() {
    let text = "\u{feff}---\ntitle: \"Get x\"\ndoc_type: apiPageType\n---\n# Get x\n\nGets x.\n\n---\ntitle: \"Something else\"\n---\n\nMore.\n";
    let page = page::parse("api/x.md", text);
    assert_eq!(
        page.front_matter
            .get("title")
            .map(|(t, l)| (t.as_str(), *l)),
        Some(("Get x", 2))
    );
    assert_eq!(
        page.front_matter.get("doc_type").map(|(t, _)| t.as_str()),
        Some("apiPageType")
    );
    let warnings: Vec<String> = page.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].starts_with("api/x.md:9:") && warnings[0].contains("its text is ignored"),
        "{warnings:#?}"
    );
}

#[test]
fn surplus_cells_and_garbage_never_panic() {
    let text = "# T\n\n|A|B|\n|---|---|\n|1|2|3|\n\n```\n";
    let page = page::parse("p.md", text);
    assert!(
        page.warnings
            .iter()
            .any(|w| w.to_string().starts_with("p.md:5:") && w.message.contains("more cells"))
    );
    assert!(
        page.warnings
            .iter()
            .any(|w| w.to_string().starts_with("p.md:7:") && w.message.contains("unterminated"))
    );
    for junk in [
        "",
        "---",
        "|",
        "<!--",
        "<!-- { -->",
        "```\n```",
        "# \n|a|\n|-|\n||",
        "\u{0}\u{feff}|x|",
    ] {
        let p = page::parse("junk.md", junk);
        let _ = extract(&p, Precedence::Current);
        let _ = extract_rendered("junk.md", junk, Precedence::Saved);
    }
}

#[test]
fn paths_match_whatever_the_placeholders_are_called() {
    use migrations_codegen::docs::normalise_path;
    assert_eq!(
        normalise_path(
            "https://graph.microsoft.com/beta/solutions/migrations/crossTenantMigrationJobs/{crossTenantMigrationJobId}/migrate"
        ),
        normalise_path("/solutions/migrations/crossTenantMigrationJobs/{id}/migrate/")
    );
    assert_ne!(normalise_path("/a/{x}/b"), normalise_path("/a/b"));
    assert_eq!(
        extract::placeholders_of("partner {siteUrl} and role {soure/target}."),
        ["siteUrl", "soure/target"]
    );
    assert_eq!(
        extract::success_status("this action returns a `200 OK` response code"),
        Some((200, "200 OK".into()))
    );
    assert_eq!(
        extract::request_line("POST https://graph.microsoft.com/beta/x/y"),
        Some(("POST".into(), "/x/y".into()))
    );
    assert!(extract::is_placeholder_value("String (timestamp)"));
    assert!(!extract::is_placeholder_value("Stringent"));
}

/// A refresh that finds no page at all read from the wrong place: it fails,
/// saying where it looked, instead of returning facts that would overwrite
/// the committed ones with nothing.
#[test]
fn a_refresh_that_finds_no_page_fails() {
    let tmp = std::env::temp_dir().join(format!("docs-none-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut reader = DirReader::new(&tmp.join("api-doc"), "../shared/api-doc");
    let err = pipeline::refresh_docs_facts(&support::workspace_root(), &mut reader).unwrap_err();
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(err.starts_with("../shared/api-doc: none of the "), "{err}");
    assert!(
        err.contains("documentation pages looked for was found (such as "),
        "{err}"
    );
    assert!(err.contains(".md"), "{err}");
    assert!(err.ends_with("nothing was written"), "{err}");
}

/// A damaged facts file (cut off mid-object, or of another format) is
/// refused with the line and column where it breaks, like every other
/// input of regeneration.
#[test]
fn a_damaged_facts_file_is_refused_where_it_breaks() {
    let committed = write::to_json(&DocsFacts::default());
    let cut = &committed[..committed.len() / 2];
    let e = write::from_json("docs-facts.json", cut)
        .unwrap_err()
        .to_string();
    let last_line = cut.lines().count();
    assert!(
        e.starts_with(&format!("docs-facts.json:{last_line}:")),
        "{e}"
    );
    assert!(
        e.contains("error: invalid documentation facts: EOF while parsing"),
        "{e}"
    );
    assert!(!e.contains(" at line "), "{e}");
    let text = committed.replace(
        &format!("\"format\": {}", DocsFacts::default().format),
        "\"format\": 999",
    );
    assert_ne!(text, committed);
    let e = write::from_json("docs-facts.json", &text)
        .unwrap_err()
        .to_string();
    let line = text.lines().position(|l| l.contains("\"format\"")).unwrap() + 1;
    assert!(e.starts_with(&format!("docs-facts.json:{line}:")), "{e}");
    assert!(e.contains("format 999 is not the format"), "{e}");
}

/// A failure a page states in a sentence ("a `409 Conflict` response is
/// returned") is a documented error case, for the statuses its error table,
/// if any, leaves out: cancelling or deleting a job documents its 409 so.
/// A success status, or a status in a sentence about no response, is none.
#[test]
fn failures_stated_in_a_sentence_are_error_cases() {
    let page_with = |errors: &str| {
        format!(
            "---\ntitle: \"Cancel x\"\ndoc_type: apiPageType\n---\n# Cancel x\n\nCancel x. If x can't be canceled, a `409 Conflict` response is returned and x goes on. Status `404` is a code, not a response here.\n\n## HTTP request\n\n```http\nPOST /x/cancel\n```\n\n## Response\n\nIf successful, this action returns a `202 Accepted` response code. If not successful, a `409 CONFLICT` response code is returned.\n\n{errors}"
        )
    };
    let op = facts_of("api/x.md", &page_with("")).operation.unwrap();
    let stated: Vec<(u16, &str, &str)> = op
        .errors
        .iter()
        .map(|e| {
            (
                e.status,
                e.message_pattern.as_str(),
                e.message_column.as_str(),
            )
        })
        .collect();
    assert_eq!(
        stated,
        [(
            409,
            "If x can't be canceled, a `409 Conflict` response is returned and x goes on.",
            "Description (stated in the text)"
        )]
    );
    assert_eq!(op.errors[0].at.to_string(), "api/x.md:7");
    // An error table decides its statuses; a stated one it leaves out stays.
    let table = "## Errors\n\n|HTTP status code|Message|\n|:---|:---|\n|409|Busy.|\n|404|No x.|\n";
    let op = facts_of("api/x.md", &page_with(table)).operation.unwrap();
    let cases: Vec<(u16, &str)> = op
        .errors
        .iter()
        .map(|e| (e.status, e.message_pattern.as_str()))
        .collect();
    assert_eq!(cases, [(409, "Busy."), (404, "No x.")]);
    // The shared pages: the job's and the task's cancel, and the delete.
    let Some(facts) = shared_facts() else { return };
    for (method, path) in [
        (
            "post",
            "/solutions/migrations/crossTenantMigrationJobs/{id}/cancel",
        ),
        (
            "delete",
            "/solutions/migrations/crossTenantMigrationJobs/{id}",
        ),
        (
            "post",
            "/solutions/migrations/crossTenantMigrationJobs/{id}/users/{id}/cancel",
        ),
    ] {
        let op = facts.operation(method, path).expect("documented");
        let statuses: Vec<u16> = op.errors.iter().map(|e| e.status).collect();
        assert_eq!(statuses, [409], "{method} {path}");
    }
}
