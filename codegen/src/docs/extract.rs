//! One parsed page → the facts it states. Tables are recognised by their
//! header and by the section they are in; code blocks by the annotation
//! comment before them (`"blockType": "request"`), or, on older pages
//! without annotations, by their section heading.

use super::facts::*;
use super::page::{Block, Cell, Page, Row, collapse, todo_count};

/// What one page states.
#[derive(Clone, Debug, Default)]
pub struct PageFacts {
    pub info: Option<PageInfo>,
    /// `(local name, doc)`: the page's resource type, and enum types whose
    /// members its properties list.
    pub types: Vec<(String, TypeDoc)>,
    pub operation: Option<OperationDoc>,
    pub warnings: Vec<Warning>,
}

/// Extracts the facts of a markdown page.
pub fn extract(page: &Page, precedence: Precedence) -> PageFacts {
    let mut page = page.clone();
    let kind = page
        .front_matter
        .get("doc_type")
        .map(|(v, _)| v.clone())
        .unwrap_or_else(|| "other".to_string());
    let mut out = PageFacts::default();
    let blocks = page.blocks.clone();
    let sections = sections(&blocks);
    let is_resource = kind == "resourcePageType"
        || page
            .blocks
            .iter()
            .any(|b| annotation_type(b) == Some("resource"));
    if is_resource {
        resource(&mut page, &sections, &mut out);
    } else if kind == "apiPageType" || has_http_section(&sections) {
        out.operation = Some(operation(&mut page, &sections));
    }
    out.info = Some(PageInfo {
        title: page.title().map(str::to_string),
        kind,
        date: page.front_matter.get("ms.date").map(|(v, _)| v.clone()),
        summary: summary(&page, &sections),
        precedence,
        todos: page
            .todos
            .iter()
            .map(|(text, line)| Todo {
                text: text.clone(),
                at: page.at(*line),
            })
            .collect(),
    });
    if let Some(op) = &mut out.operation {
        op.todos
            .extend(out.info.as_ref().unwrap().todos.iter().cloned());
        op.todos.sort();
    }
    out.warnings = page.warnings;
    out
}

/// A block with the headings it is under (innermost last).
struct InSection<'a> {
    headings: Vec<&'a str>,
    block: &'a Block,
    /// The annotation comment right before this block, if any.
    annotation: Option<&'a serde_json::Value>,
}

impl InSection<'_> {
    fn under(&self, words: &[&str]) -> bool {
        self.headings.iter().any(|h| {
            let h = h.to_ascii_lowercase();
            words.iter().any(|w| h.contains(w))
        })
    }

    fn innermost(&self) -> String {
        self.headings
            .last()
            .map(|h| h.to_ascii_lowercase())
            .unwrap_or_default()
    }
}

fn sections(blocks: &[Block]) -> Vec<InSection<'_>> {
    let mut stack: Vec<(u8, &str)> = Vec::new();
    let mut out = Vec::new();
    let mut pending: Option<&serde_json::Value> = None;
    for block in blocks {
        match block {
            Block::Heading { level, text, .. } => {
                // `# [C#](#tab/csharp)` tab headings are not sections.
                if !text.starts_with('[') {
                    stack.retain(|(l, _)| l < level);
                    stack.push((*level, text));
                }
                pending = None;
                continue;
            }
            Block::Annotation { json, .. } => {
                pending = Some(json);
                continue;
            }
            _ => {}
        }
        out.push(InSection {
            headings: stack.iter().map(|(_, t)| *t).collect(),
            block,
            annotation: pending.take(),
        });
    }
    out
}

fn annotation_type(b: &Block) -> Option<&str> {
    match b {
        Block::Annotation { json, .. } => json.get("blockType").and_then(|v| v.as_str()),
        _ => None,
    }
}

fn has_http_section(sections: &[InSection<'_>]) -> bool {
    sections
        .iter()
        .any(|s| s.under(&["http request"]) && matches!(s.block, Block::Code { .. }))
}

/// The first paragraph after the title that is prose.
fn summary(page: &Page, sections: &[InSection<'_>]) -> Option<Text> {
    sections.iter().find_map(|s| match s.block {
        Block::Paragraph { text, raw, line } if s.headings.len() <= 1 && is_prose(text, raw) => {
            Some(Text {
                text: text.clone(),
                at: page.at(*line),
            })
        }
        _ => None,
    })
}

fn is_prose(text: &str, raw: &str) -> bool {
    !(text.starts_with("Namespace:")
        || raw.trim_start().starts_with("[!INCLUDE")
        || text.starts_with("Inherits from")
        || text.is_empty())
}

fn header_is(header: &[String], first: &[&str]) -> bool {
    header
        .first()
        .is_some_and(|h| first.iter().any(|f| h.eq_ignore_ascii_case(f)))
}

fn column(header: &[String], names: &[&str]) -> Option<usize> {
    header
        .iter()
        .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
}

fn resource(page: &mut Page, sections: &[InSection<'_>], out: &mut PageFacts) {
    let mut doc = TypeDoc::default();
    let mut name = page
        .title()
        .and_then(|t| t.strip_suffix(" resource type"))
        .map(|t| t.trim().to_string());
    for s in sections {
        // "Inherits from [entity](../resources/entity.md)." under the title.
        if let Block::Paragraph { text, .. } = s.block
            && doc.base_type.is_none()
            && let Some(rest) = text.strip_prefix("Inherits from ")
            && let Some(base) = rest
                .split(|c: char| c.is_whitespace() || c == '.' || c == ',')
                .next()
                .filter(|b| !b.is_empty())
        {
            doc.base_type = Some(base.to_string());
        }
        if let Some(json) = s.annotation
            && json.get("blockType").and_then(|v| v.as_str()) == Some("resource")
        {
            let odata = json.get("@odata.type").and_then(|v| v.as_str());
            if let Some(t) = odata {
                doc.qualified_name = Some(t.to_string());
                name = Some(local(t).to_string());
            }
            // The annotation's qualified name wins over the sentence's
            // local one; an annotation without one leaves the sentence's.
            if let Some(base) = json.get("baseType").and_then(|v| v.as_str()) {
                doc.base_type = Some(base.to_string());
            }
            if let Block::Code { .. } = s.block {
                doc.json_representation = example(page, s, "resource");
            }
        }
    }
    let Some(name) = name else {
        page.warn(
            1,
            "a resource page without a type name (no title, no resource annotation): skipped",
        );
        return;
    };
    doc.at = sections
        .iter()
        .find(|s| !s.headings.is_empty())
        .map(|s| page.at(s.block.line().saturating_sub(2).max(1)));
    doc.description = summary(page, sections);
    let mut enums: Vec<(String, TypeDoc)> = Vec::new();
    for s in sections {
        let Block::Table { header, rows, .. } = s.block else {
            continue;
        };
        if header_is(header, &["Method"]) {
            for row in rows {
                if let Some(m) = method_link(page, row) {
                    doc.methods.push(m);
                }
            }
        } else if header_is(header, &["Property", "Relationship"]) {
            let relationships = header_is(header, &["Relationship"]);
            for row in rows {
                let Some(p) = property(page, header, row) else {
                    continue;
                };
                collect_members(page, &p, &mut enums);
                let key = p.0.clone();
                if relationships {
                    doc.relationships.insert(key, p.1);
                } else {
                    doc.properties.insert(key, p.1);
                }
            }
        }
    }
    out.types.push((name, doc));
    out.types.extend(enums);
}

/// Enum members a property's "possible values" name, under its enum type.
fn collect_members(page: &Page, p: &(String, PropertyDoc), enums: &mut Vec<(String, TypeDoc)>) {
    let doc = &p.1;
    if doc.possible_values.is_empty() || is_primitive(&doc.type_name) {
        return;
    }
    let entry = match enums.iter_mut().find(|(n, _)| n == &doc.type_name) {
        Some(e) => e,
        None => {
            enums.push((doc.type_name.clone(), TypeDoc::default()));
            enums.last_mut().unwrap()
        }
    };
    let text = doc.description.as_deref().unwrap_or("");
    for v in &doc.possible_values {
        entry
            .1
            .members
            .entry(v.clone())
            .or_insert_with(|| MemberDoc {
                description: member_description(text, v),
                at: page.at(doc.at.line),
            });
    }
}

/// The parenthesised text after `` `member` `` in a description.
fn member_description(text: &str, member: &str) -> Option<String> {
    let pat = format!("`{member}`");
    let rest = text[text.find(&pat)? + pat.len()..].trim_start();
    let inner = rest.strip_prefix('(')?;
    let end = inner.find(')')?;
    Some(inner[..end].trim().to_string())
}

pub fn is_primitive(type_name: &str) -> bool {
    matches!(
        type_name.to_ascii_lowercase().as_str(),
        "string"
            | "boolean"
            | "int32"
            | "int64"
            | "int16"
            | "double"
            | "single"
            | "decimal"
            | "guid"
            | "datetimeoffset"
            | "date"
            | "timeofday"
            | "duration"
            | "binary"
            | "byte"
            | "stream"
    )
}

fn local(name: &str) -> &str {
    name.trim_start_matches('#')
        .rsplit('.')
        .next()
        .unwrap_or(name)
}

fn method_link(page: &Page, row: &Row) -> Option<MethodLink> {
    let first = row.cells.first()?;
    let target = first.links.first()?;
    Some(MethodLink {
        label: first.text.clone(),
        page: resolve_link(&page.path, target),
        return_type: row.cells.get(1).map(|c| c.text.clone()).unwrap_or_default(),
        description: row.cells.get(2).map(|c| c.text.clone()).unwrap_or_default(),
        at: page.at(row.line),
    })
}

/// `../api/x.md` from `graph-docs/resources/y.md` → `graph-docs/api/x.md`.
pub fn resolve_link(from: &str, link: &str) -> String {
    let link = link.split(['#', '?']).next().unwrap_or(link);
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// `(type_name, collection)` of a type cell: `x collection` → `(x, true)`.
fn type_of(cell: &Cell) -> (String, bool) {
    let text = cell.text.trim();
    let (name, collection) = match text
        .strip_suffix(" collection")
        .or_else(|| text.strip_suffix(" Collection"))
    {
        Some(n) => (n.trim(), true),
        None => match text
            .strip_prefix("Collection(")
            .and_then(|r| r.strip_suffix(')'))
        {
            Some(n) => (n.trim(), true),
            None => (text, false),
        },
    };
    (local(name).to_string(), collection)
}

fn property(page: &Page, header: &[String], row: &Row) -> Option<(String, PropertyDoc)> {
    let p = param(page, header, row)?;
    let description = p.description.clone();
    let read_only = description
        .as_deref()
        .is_some_and(|d| d.contains("Read-only") || d.contains("read-only"));
    Some((
        p.name.clone(),
        PropertyDoc {
            type_text: p.type_text,
            type_name: p.type_name,
            collection: p.collection,
            description,
            read_only,
            todo: p.todo,
            required: p.required,
            possible_values: p.possible_values,
            at: p.at,
        },
    ))
}

fn param(page: &Page, header: &[String], row: &Row) -> Option<ParamDoc> {
    let name = row.cells.first()?.text.trim().trim_matches('`').to_string();
    let ty = column(header, &["Type"]).and_then(|i| row.cells.get(i));
    let (type_name, collection) = ty.map(type_of).unwrap_or_default();
    let description = column(header, &["Description"])
        .and_then(|i| row.cells.get(i))
        .map(|c| c.text.clone())
        .filter(|d| !d.is_empty());
    let d = description.as_deref().unwrap_or("");
    let required_col = column(header, &["Required"])
        .and_then(|i| row.cells.get(i))
        .map(|c| c.text.to_ascii_lowercase());
    let required = match required_col.as_deref() {
        Some(v) if v.starts_with("yes") || v.starts_with("required") => Some(true),
        Some(v) if v.starts_with("no") || v.starts_with("optional") => Some(false),
        _ if d.contains("Required.") => Some(true),
        _ if d.contains("Optional.") => Some(false),
        _ => None,
    };
    Some(ParamDoc {
        name,
        type_text: ty.map(|c| c.text.clone()).unwrap_or_default(),
        type_name,
        collection,
        required,
        // A marker in any cell (`|**TODO: name**|…|`) leaves the row unsettled.
        todo: row.cells.iter().any(|c| c.todos > 0),
        possible_values: possible_values(d),
        description,
        at: page.at(row.line),
    })
}

/// The backticked values of the sentence "possible values are", and of
/// the one Graph adds for an evolvable enum: "Use the `Prefer:
/// include-unknown-enum-members` request header to get the following values
/// in this evolvable enum: `x`, `y`."
fn possible_values(description: &str) -> Vec<String> {
    // ASCII lowercasing keeps every byte where it was: offsets carry over.
    let lower = description.to_ascii_lowercase();
    let Some(i) = lower.find("possible values are") else {
        return Vec::new();
    };
    let mut values = backticked(sentence(&description[i..]));
    if let Some(j) = lower[i..].find("in this evolvable enum") {
        // The values follow the colon of that sentence, or the sentence's
        // own words when it has none.
        let own = sentence(&description[i + j..]);
        let listed = own.split_once(':').map_or(own, |(_, after)| after);
        values.extend(backticked(listed));
    }
    values
}

/// `text` up to the end of its first sentence: a full stop and a space,
/// except after "e.g" and "i.e" (so that "(e.g. SharePoint)" does not end it).
fn sentence(text: &str) -> &str {
    let bytes = text.as_bytes();
    let end = (0..bytes.len().saturating_sub(1))
        .find(|&k| {
            bytes[k] == b'.'
                && bytes[k + 1] == b' '
                && !(k >= 3
                    && (bytes[k - 3..k].eq_ignore_ascii_case(b"e.g")
                        || bytes[k - 3..k].eq_ignore_ascii_case(b"i.e")))
        })
        .unwrap_or(text.len());
    &text[..end]
}

/// The texts between pairs of backticks.
fn backticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn operation(page: &mut Page, sections: &[InSection<'_>]) -> OperationDoc {
    let mut op = OperationDoc {
        page: page.path.clone(),
        title: page.title().map(str::to_string),
        summary: summary(page, sections),
        ..OperationDoc::default()
    };
    // Failures the page states in a sentence ("a `409 Conflict` response is
    // returned"), kept for the statuses its error table, if any, leaves out.
    let mut stated: Vec<ErrorCase> = Vec::new();
    for s in sections {
        let annotated = s
            .annotation
            .and_then(|j| j.get("blockType"))
            .and_then(|v| v.as_str());
        match s.block {
            Block::Paragraph { text, raw, line } => {
                if raw.contains("[!INCLUDE [national-cloud-support]") {
                    let include = include_name(raw);
                    op.national_clouds = Some(NationalClouds {
                        global_only: include == "global-only",
                        include,
                        at: page.at(*line),
                    });
                }
                if raw.contains("[!INCLUDE [access-requirements]") {
                    op.roles_include = Some(Text {
                        text: include_name(raw),
                        at: page.at(*line),
                    });
                }
                if annotated == Some("permissions")
                    && let Some(name) = s
                        .annotation
                        .and_then(|j| j.get("name"))
                        .and_then(|v| v.as_str())
                {
                    op.permissions_include = Some(Text {
                        text: name.to_string(),
                        at: page.at(*line),
                    });
                }
                let lower = text.to_ascii_lowercase();
                if s.under(&["request body"])
                    && (lower.contains("don't supply a request body")
                        || lower.contains("do not supply a request body"))
                {
                    op.no_request_body = true;
                }
                if s.innermost() == "response"
                    && op.success_status.is_none()
                    && let Some(status) = success_status(text)
                {
                    op.success_status = Some(Status {
                        code: status.0,
                        text: status.1,
                        at: page.at(*line),
                    });
                }
                for (status, said) in stated_errors(text) {
                    if !stated.iter().any(|e| e.status == status) {
                        stated.push(ErrorCase {
                            status,
                            code: None,
                            scenario: None,
                            placeholders: Vec::new(),
                            message_pattern: said,
                            message_column: "Description (stated in the text)".into(),
                            at: page.at(*line),
                        });
                    }
                }
            }
            Block::List { items, .. } if s.under(&["permissions"]) => {
                for (item, line) in items {
                    op.roles.push(Text {
                        text: item.clone(),
                        at: page.at(*line),
                    });
                }
            }
            Block::Table { header, rows, .. } => table(page, s, header, rows, &mut op),
            // The request line is read wherever the section says it is,
            // whatever the block is annotated as: a page whose request is
            // missed cannot be matched to its operation at all.
            Block::Code { .. } if s.under(&["http request"]) => {
                http_requests(page, s.block, &mut op)
            }
            Block::Code { .. } => {
                let kind = match annotated {
                    Some("request") => Some("request"),
                    Some("response") => Some("response"),
                    Some(_) => None,
                    None if s.innermost().contains("body") => Some("request"),
                    None if s.innermost().contains("response") => Some("response"),
                    None => None,
                };
                if let Some(kind) = kind
                    && let Some(e) = example(page, s, kind)
                {
                    op.examples.push(e);
                }
            }
            _ => {}
        }
    }
    for e in &op.examples {
        placeholders(page, e, &mut op.todos);
    }
    stated.retain(|e| !op.errors.iter().any(|t| t.status == e.status));
    op.errors.extend(stated);
    if op.http_requests.is_empty() {
        let line = sections
            .iter()
            .find(|s| s.under(&["http request"]))
            .map_or(1, |s| s.block.line());
        page.warn(
            line,
            "no request line (`METHOD /path`) under \"HTTP request\": the page's permissions, errors \
             and examples are tied to no operation",
        );
    }
    op
}

/// `[!INCLUDE [x](../includes/dir/name.md)]` → `name`.
fn include_name(raw: &str) -> String {
    raw.trim()
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches([')', ']', '\n', ' '])
        .trim_end_matches(".md")
        .to_string()
}

fn table(
    page: &mut Page,
    s: &InSection<'_>,
    header: &[String],
    rows: &[Row],
    op: &mut OperationDoc,
) {
    if header_is(header, &["Permission type"]) {
        for row in rows {
            let cell = |i: usize| {
                row.cells
                    .get(i)
                    .map(|c| permission_names(&c.text))
                    .unwrap_or_default()
            };
            op.permissions.push(Permission {
                permission_type: row.cells[0].text.clone(),
                least_privileged: cell(1),
                higher_privileged: cell(2),
                at: page.at(row.line),
            });
        }
        return;
    }
    let status_col = column(
        header,
        &[
            "Status code",
            "Code",
            "Status",
            "HTTP status",
            "HTTP status code",
        ],
    );
    if let Some(sc) = status_col
        && (s.under(&["response", "error"]))
    {
        let message_col = column(header, &["Message"])
            .or_else(|| column(header, &["Description", "Error message"]));
        let scenario_col = column(header, &["Scenario"]);
        let code_col = column(header, &["Error code"]);
        for row in rows {
            let status_text = row.cells[sc].text.trim_matches('`').trim().to_string();
            let Some(status) = status_text
                .split_whitespace()
                .next()
                .and_then(|n| n.trim_matches('`').parse::<u16>().ok())
            else {
                page.warn(
                    row.line,
                    format!("error table row without a status code (`{status_text}`): skipped"),
                );
                continue;
            };
            let message = message_col
                .and_then(|i| row.cells.get(i))
                .map(|c| c.text.clone())
                .unwrap_or_default();
            op.errors.push(ErrorCase {
                status,
                code: code_col
                    .and_then(|i| row.cells.get(i))
                    .map(|c| c.text.trim_matches('`').to_string()),
                scenario: scenario_col
                    .and_then(|i| row.cells.get(i))
                    .map(|c| c.text.clone()),
                placeholders: placeholders_of(&message),
                message_pattern: message,
                message_column: message_col.map(|i| header[i].clone()).unwrap_or_default(),
                at: page.at(row.line),
            });
        }
        return;
    }
    if s.innermost().contains("error") {
        // An error table is worth the documented cases it holds: one whose
        // status column is not recognised would lose them all unseen.
        page.warn(
            s.block.line(),
            format!(
                "table under an errors heading without a status column (headers: {}): ignored",
                header.join(", ")
            ),
        );
        return;
    }
    let params = if s.under(&["function parameters"]) {
        &mut op.function_parameters
    } else if s.under(&["request body"]) && header_is(header, &["Property", "Parameter", "Name"]) {
        &mut op.request_body
    } else {
        return;
    };
    for row in rows {
        if let Some(p) = param(page, header, row) {
            params.push(p);
        }
    }
}

/// `SharePointCrossTenantMigration.Manage.All` → one name; "Not supported." → none.
fn permission_names(text: &str) -> Vec<String> {
    let t = text.trim().trim_end_matches('.');
    if t.is_empty()
        || t.eq_ignore_ascii_case("not supported")
        || t.eq_ignore_ascii_case("n/a")
        || t.eq_ignore_ascii_case("not available")
    {
        return Vec::new();
    }
    t.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `{paramName}` → `paramName`, in order.
pub fn placeholders_of(message: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = message;
    while let Some(i) = rest.find('{') {
        let Some(j) = rest[i..].find('}') else { break };
        out.push(rest[i + 1..i + j].to_string());
        rest = &rest[i + j + 1..];
    }
    out
}

/// The failures a paragraph states: each sentence that speaks of a
/// response and names a status of 400 or more in a code span ("If the job
/// can't be canceled, a `409 Conflict` response is returned") → `(409, the
/// sentence)`.
pub fn stated_errors(text: &str) -> Vec<(u16, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let said = sentence(rest);
        rest = rest[said.len()..].trim_start_matches('.').trim_start();
        // A code span followed by "response": `` `409 Conflict` response ``.
        let pieces: Vec<&str> = said.split('`').collect();
        for i in (1..pieces.len()).step_by(2) {
            let (span, after) = (pieces[i], pieces.get(i + 1).copied().unwrap_or(""));
            if !after
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("response")
            {
                continue;
            }
            if let Some(status) = span
                .split_whitespace()
                .next()
                .and_then(|n| n.parse::<u16>().ok())
                .filter(|n| (400..600).contains(n))
                && !out.iter().any(|(s, _)| *s == status)
            {
                out.push((status, format!("{}.", said.trim().trim_end_matches('.'))));
            }
        }
    }
    out
}

/// "returns a `200 OK` response code" → `(200, "200 OK")`.
pub fn success_status(text: &str) -> Option<(u16, String)> {
    let i = text.find("returns a")?;
    let rest = text[i + "returns a".len()..]
        .trim_start()
        .trim_start_matches('n');
    let rest = rest.trim_start().trim_start_matches('`');
    let code: u16 = rest.get(..3)?.parse().ok()?;
    let end = rest
        .find(['`'])
        .unwrap_or_else(|| rest.find(" response").unwrap_or(rest.len()));
    Some((code, rest[..end].trim().to_string()))
}

fn http_requests(page: &Page, block: &Block, op: &mut OperationDoc) {
    let Block::Code { text, line, .. } = block else {
        return;
    };
    for (n, l) in text.lines().enumerate() {
        if let Some((method, path)) = request_line(l)
            && !op
                .http_requests
                .iter()
                .any(|r| r.method == method && r.path == path)
        {
            op.http_requests.push(HttpRequest {
                method,
                path,
                at: page.at(line + 1 + n),
            });
        }
    }
}

pub const METHODS: [&str; 5] = ["GET", "POST", "PATCH", "PUT", "DELETE"];

/// `POST /x/y` (or a full URL) → `("POST", "/x/y")`.
pub fn request_line(line: &str) -> Option<(String, String)> {
    let (method, rest) = line.trim().split_once(char::is_whitespace)?;
    // HTTP methods are case-sensitive, but a page that writes `get` means GET.
    let method = method.to_ascii_uppercase();
    if !METHODS.contains(&method.as_str()) {
        return None;
    }
    let path = rest.trim();
    let path = path
        .strip_prefix("https://graph.microsoft.com/beta")
        .or_else(|| path.strip_prefix("https://graph.microsoft.com/v1.0"))
        .unwrap_or(path);
    path.starts_with('/').then(|| (method, path.to_string()))
}

fn example(page: &mut Page, s: &InSection<'_>, kind: &str) -> Option<Example> {
    let Block::Code { text, line, .. } = s.block else {
        return None;
    };
    let ann = |k: &str| {
        s.annotation
            .and_then(|j| j.get(k))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let lines: Vec<&str> = text.lines().collect();
    let http_line = lines
        .first()
        .map(|l| l.trim())
        .filter(|l| l.starts_with("HTTP/") || request_line(l).is_some())
        .map(str::to_string);
    let json_start = lines
        .iter()
        .position(|l| l.trim_start().starts_with('{') || l.trim_start().starts_with('['));
    let json = json_start.map(|i| lines[i..].join("\n"));
    let json_parses = match &json {
        Some(j) => match serde_json::from_str::<serde_json::Value>(j) {
            Ok(_) => true,
            Err(e) => {
                page.warn(
                    line + 1 + json_start.unwrap_or(0) + e.line().saturating_sub(1),
                    format!(
                        "{} {kind} example ({e}): kept verbatim, not decoded",
                        Warning::UNPARSED_EXAMPLE
                    ),
                );
                false
            }
        },
        None => false,
    };
    Some(Example {
        kind: kind.to_string(),
        name: ann("name"),
        odata_type: ann("@odata.type"),
        truncated: s
            .annotation
            .and_then(|j| j.get("truncated"))
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        http_line,
        json,
        json_parses,
        at: page.at(*line),
        json_line: json_start.map(|i| line + 1 + i),
    })
}

/// A JSON string value that names a type instead of giving a value.
pub fn is_placeholder_value(v: &str) -> bool {
    let head = v.split(" (").next().unwrap_or(v);
    let typed = matches!(
        head,
        "String" | "Guid" | "Boolean" | "Int32" | "Int64" | "Double" | "DateTimeOffset" | "Date"
    );
    typed && (head == v || v.ends_with(')'))
}

/// Placeholder values in a request or response example, as TODOs.
fn placeholders(page: &Page, e: &Example, todos: &mut Vec<Todo>) {
    let (Some(json), Some(first)) = (&e.json, e.json_line) else {
        return;
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(json) else {
        return;
    };
    let mut found = Vec::new();
    walk_strings(&value, "$", &mut found);
    for (path, v) in found {
        if !is_placeholder_value(&v) {
            continue;
        }
        let offset = value_line(json, &path, &v);
        todos.push(Todo {
            text: format!(
                "placeholder value in the {} example: {path} = \"{v}\"",
                e.kind
            ),
            at: page.at(first + offset),
        });
    }
}

/// The line (from 0) where the value at a JSON path (`$.value[1].id`, as
/// the walks over examples write paths) is written: the line of its key in
/// an object, of the value itself in an array; 0 when the text holds no
/// such path (or is not JSON). Reads the text as JSON, keeping the path of
/// the value at hand, so that `id` in `value[1]` is not taken for the first
/// `"id"` of the text.
pub fn key_line(json: &str, path: &str) -> usize {
    enum Frame {
        Object {
            key: Option<String>,
            key_line: usize,
        },
        Array {
            index: usize,
        },
    }
    fn path_of(stack: &[Frame]) -> String {
        let mut p = String::from("$");
        for f in stack {
            match f {
                Frame::Object { key: Some(k), .. } => {
                    p.push('.');
                    p.push_str(k);
                }
                Frame::Object { key: None, .. } => {}
                Frame::Array { index } => p.push_str(&format!("[{index}]")),
            }
        }
        p
    }
    if path == "$" {
        return 0;
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut line = 0;
    let mut chars = json.chars().peekable();
    // Whether the next string is an object's key.
    let mut expecting_key = false;
    // The line where the value about to start is named: its key's line in
    // an object, its own in an array.
    let at_value = |stack: &[Frame], line: usize| -> Option<usize> {
        (path_of(stack) == path).then(|| match stack.last() {
            Some(Frame::Object { key_line, .. }) => *key_line,
            _ => line,
        })
    };
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '{' | '[' => {
                if let Some(l) = at_value(&stack, line) {
                    return l;
                }
                if c == '{' {
                    stack.push(Frame::Object {
                        key: None,
                        key_line: line,
                    });
                    expecting_key = true;
                } else {
                    stack.push(Frame::Array { index: 0 });
                }
            }
            '}' | ']' => {
                stack.pop();
                expecting_key = false;
            }
            ',' => match stack.last_mut() {
                Some(Frame::Object { key, .. }) => {
                    *key = None;
                    expecting_key = true;
                }
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            '"' => {
                let mut text = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => {
                            if let Some(escaped) = chars.next() {
                                text.push(escaped);
                            }
                        }
                        '\n' => {
                            line += 1;
                            text.push(c);
                        }
                        _ => text.push(c),
                    }
                }
                if expecting_key {
                    if let Some(Frame::Object { key, key_line }) = stack.last_mut() {
                        *key = Some(text);
                        *key_line = line;
                    }
                    expecting_key = false;
                } else if let Some(l) = at_value(&stack, line) {
                    return l;
                }
            }
            c if c.is_whitespace() || c == ':' => {}
            _ => {
                // A number, `true`, `false` or `null`.
                if let Some(l) = at_value(&stack, line) {
                    return l;
                }
                while chars
                    .peek()
                    .is_some_and(|n| !matches!(n, ',' | '}' | ']') && !n.is_whitespace())
                {
                    chars.next();
                }
            }
        }
    }
    0
}

/// The line (from 0) of a string value at a JSON path: after the line of
/// the path's last named key, the first line holding the value.
fn value_line(json: &str, path: &str, value: &str) -> usize {
    let from = key_line(json, path);
    json.lines()
        .skip(from)
        .position(|l| l.contains(&format!("\"{value}\"")))
        .map_or(from, |i| from + i)
}

fn walk_strings(v: &serde_json::Value, path: &str, out: &mut Vec<(String, String)>) {
    match v {
        serde_json::Value::String(s) => out.push((path.to_string(), s.clone())),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_strings(item, &format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, item) in map {
                walk_strings(item, &format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

/// The facts of a page saved from the rendered site (plain text: headings
/// are lines of their own, tables are space-separated). Only what markdown
/// pages leave to includes is read here: permissions, roles, the request
/// line, the success status and the error table.
pub fn extract_rendered(path: &str, text: &str, precedence: Precedence) -> PageFacts {
    let at = |line: usize| Source::new(path, line);
    let lines: Vec<&str> = text.lines().collect();
    let mut op = OperationDoc {
        page: path.to_string(),
        ..OperationDoc::default()
    };
    let mut title = None;
    let mut section = "";
    for (i, raw) in lines.iter().enumerate() {
        let l = raw.trim();
        let n = i + 1;
        if l.is_empty() || l == "Edit" {
            continue;
        }
        if title.is_none() {
            title = Some(l.to_string());
            continue;
        }
        if matches!(
            l,
            "Permissions"
                | "HTTP request"
                | "Request headers"
                | "Request body"
                | "Response"
                | "Examples"
                | "Request"
        ) {
            section = if l == "Request" {
                "Example request"
            } else {
                raw.trim()
            };
            continue;
        }
        match section {
            "" if op.summary.is_none()
                && !l.starts_with("Namespace:")
                && l != "Important"
                && !l.starts_with("APIs under the /beta") =>
            {
                op.summary = Some(Text {
                    text: l.to_string(),
                    at: at(n),
                });
            }
            "Permissions" => {
                for t in [
                    "Delegated (work or school account)",
                    "Delegated (personal Microsoft account)",
                    "Application",
                ] {
                    if let Some(rest) = l.strip_prefix(t) {
                        let rest = rest.trim();
                        // "Not supported. Not supported." or "A.B C.D"
                        let (least, higher) = split_permission_cells(rest);
                        op.permissions.push(Permission {
                            permission_type: t.to_string(),
                            least_privileged: permission_names(&least),
                            higher_privileged: permission_names(&higher),
                            at: at(n),
                        });
                    }
                }
                if let Some(role) = l.strip_prefix('•') {
                    op.roles.push(Text {
                        text: role.trim().to_string(),
                        at: at(n),
                    });
                }
            }
            "HTTP request" => {
                if let Some((method, path)) = request_line(l) {
                    op.http_requests.push(HttpRequest {
                        method,
                        path,
                        at: at(n),
                    });
                }
            }
            "Request body" if l.starts_with("Don't supply a request body") => {
                op.no_request_body = true
            }
            "Response" => {
                if op.success_status.is_none()
                    && let Some((code, text)) = success_status(l)
                {
                    op.success_status = Some(Status {
                        code,
                        text,
                        at: at(n),
                    });
                } else if let Some((code, reason, message)) = rendered_error(l) {
                    op.errors.push(ErrorCase {
                        status: code,
                        code: None,
                        scenario: None,
                        placeholders: placeholders_of(&message),
                        message_pattern: message,
                        message_column: format!("Description ({reason})"),
                        at: at(n),
                    });
                }
            }
            _ => {}
        }
    }
    op.title = title.clone();
    let todos: Vec<Todo> = lines
        .iter()
        .enumerate()
        .flat_map(|(i, l)| std::iter::repeat_n((i + 1, *l), todo_count(l)))
        .map(|(n, l)| Todo {
            text: collapse(l),
            at: at(n),
        })
        .collect();
    op.todos = todos.clone();
    PageFacts {
        info: Some(PageInfo {
            title,
            kind: "rendered".to_string(),
            date: None,
            summary: op.summary.clone(),
            precedence,
            todos,
        }),
        types: Vec::new(),
        operation: Some(op),
        warnings: Vec::new(),
    }
}

/// "Not supported. Not supported." → two cells; "X.Read.All X.Manage.All" likewise.
fn split_permission_cells(rest: &str) -> (String, String) {
    if let Some(r) = rest.strip_prefix("Not supported.") {
        return ("Not supported.".to_string(), r.trim().to_string());
    }
    match rest.split_once(' ') {
        Some((a, b)) => (a.to_string(), b.to_string()),
        None => (rest.to_string(), String::new()),
    }
}

/// "404 Not Found The specified …" → (404, "Not Found", "The specified …").
fn rendered_error(line: &str) -> Option<(u16, String, String)> {
    let code: u16 = line.get(..3)?.parse().ok()?;
    if !(400..600).contains(&code) {
        return None;
    }
    let rest = line[3..].trim();
    // The reason phrase is the capitalised words before the sentence.
    let words: Vec<&str> = rest.split(' ').collect();
    let reason_len = words
        .iter()
        .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count()
        .saturating_sub(1)
        .max(1);
    let reason = words[..reason_len].join(" ");
    let message = words[reason_len..].join(" ");
    Some((code, reason, message))
}

/// Whether a page without front matter is a page saved from the rendered
/// site: plain text with the sections as lines of their own.
pub fn looks_rendered(text: &str) -> bool {
    !text.starts_with("---")
        && !text.lines().any(|l| l.starts_with('#'))
        && text.lines().any(|l| l.trim() == "HTTP request")
}
