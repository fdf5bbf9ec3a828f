//! A documentation page as a flat list of blocks with line numbers: what
//! the extractor needs of the markdown, read with pulldown-cmark (GitHub
//! tables, YAML front matter) rather than line patterns.

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::facts::{Source, Warning};

/// One block of a page, in page order.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        text: String,
        line: usize,
    },
    /// A paragraph as plain text (links reduced to their text, code spans
    /// kept in backticks), with the raw markdown for `[!INCLUDE …]` lines.
    Paragraph {
        text: String,
        raw: String,
        line: usize,
    },
    List {
        items: Vec<(String, usize)>,
        line: usize,
    },
    Table {
        header: Vec<String>,
        rows: Vec<Row>,
        line: usize,
    },
    /// A fenced code block that is closed.
    Code {
        info: String,
        text: String,
        /// The line of the opening fence.
        line: usize,
    },
    /// An HTML comment holding a JSON object (`<!-- { "blockType": … } -->`).
    Annotation {
        json: serde_json::Value,
        line: usize,
    },
}

impl Block {
    pub fn line(&self) -> usize {
        match self {
            Block::Heading { line, .. }
            | Block::Paragraph { line, .. }
            | Block::List { line, .. }
            | Block::Table { line, .. }
            | Block::Code { line, .. }
            | Block::Annotation { line, .. } => *line,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub line: usize,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Cell {
    pub text: String,
    /// Link targets in the cell, in order (`../resources/x.md`).
    pub links: Vec<String>,
    /// TODO markers in the cell, those in HTML comments (which `text` leaves
    /// out) included.
    pub todos: usize,
}

/// A parsed page.
#[derive(Clone, Debug, Default)]
pub struct Page {
    /// The page's path relative to the docs root (`api/x.md`).
    pub path: String,
    /// `key: value` pairs of the YAML front matter, with their lines.
    pub front_matter: BTreeMap<String, (String, usize)>,
    pub blocks: Vec<Block>,
    /// Every `TODO` marker: the text around it and its line.
    pub todos: Vec<(String, usize)>,
    /// What was skipped, and why.
    pub warnings: Vec<Warning>,
}

impl Page {
    pub fn at(&self, line: usize) -> Source {
        Source::new(&self.path, line)
    }

    pub fn warn(&mut self, line: usize, message: impl Into<String>) {
        let at = self.at(line);
        self.warnings.push(Warning {
            at,
            message: message.into(),
        });
    }

    pub fn title(&self) -> Option<&str> {
        self.front_matter
            .get("title")
            .map(|(t, _)| t.as_str())
            .or_else(|| {
                self.blocks.iter().find_map(|b| match b {
                    Block::Heading { level: 1, text, .. } => Some(text.as_str()),
                    _ => None,
                })
            })
    }
}

/// Byte offset → 1-based line.
pub struct Lines(Vec<usize>);

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines(starts)
    }

    pub fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset)
    }
}

/// How many `TODO` markers a text holds.
pub fn todo_count(text: &str) -> usize {
    text.matches("TODO").count()
}

/// Parses markdown. Never fails: what cannot be read becomes a warning.
pub fn parse(path: &str, text: &str) -> Page {
    // A byte-order mark would hide the front matter's opening `---`; it is
    // one character on line 1, so lines stay where they were.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = Lines::new(text);
    let mut page = Page {
        path: path.to_string(),
        ..Page::default()
    };
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
    let events: Vec<(Event<'_>, Range<usize>)> =
        Parser::new_ext(text, options).into_offset_iter().collect();
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        let line = lines.line(range.start);
        match event {
            Event::Start(Tag::MetadataBlock(_)) => {
                let end = find_end(&events, i);
                // Only the block that opens the page is its front matter:
                // pulldown-cmark reads any `---` … `---` block as one, and a
                // later `key: value` must not overwrite the title.
                if range.start == 0 {
                    for (e, r) in &events[i + 1..end] {
                        if let Event::Text(t) = e {
                            front_matter(&mut page, t, lines.line(r.start));
                        }
                    }
                } else {
                    page.warn(
                        line,
                        "a `---` block after the start of the page: read as metadata by \
                         CommonMark's front-matter extension, so its text is ignored",
                    );
                }
                i = end;
            }
            Event::Start(Tag::Heading { level, .. }) => {
                let end = find_end(&events, i);
                let (text, _) = inline(&mut page, &lines, &events[i + 1..end]);
                page.blocks.push(Block::Heading {
                    level: *level as u8,
                    text,
                    line,
                });
                i = end;
            }
            Event::Start(Tag::Paragraph) => {
                let end = find_end(&events, i);
                let (rendered, _) = inline(&mut page, &lines, &events[i + 1..end]);
                page.blocks.push(Block::Paragraph {
                    text: rendered,
                    raw: text[range.clone()].to_string(),
                    line,
                });
                i = end;
            }
            Event::Start(Tag::List(_)) => {
                let end = find_end(&events, i);
                let mut items = Vec::new();
                let mut j = i + 1;
                while j < end {
                    if let (Event::Start(Tag::Item), r) = &events[j] {
                        let item_end = find_end(&events, j);
                        let (t, _) = inline(&mut page, &lines, &events[j + 1..item_end]);
                        items.push((t, lines.line(r.start)));
                        j = item_end;
                    }
                    j += 1;
                }
                page.blocks.push(Block::List { items, line });
                i = end;
            }
            Event::Start(Tag::Table(_)) => {
                let end = find_end(&events, i);
                let table = table(&mut page, text, &lines, &events[i + 1..end], line);
                page.blocks.push(table);
                i = end;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let end = find_end(&events, i);
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.trim().to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let body: String = events[i + 1..end]
                    .iter()
                    .filter_map(|(e, _)| match e {
                        Event::Text(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                for (n, l) in body.lines().enumerate() {
                    if todo_count(l) > 0 {
                        for _ in 0..todo_count(l) {
                            page.todos.push((l.trim().to_string(), line + 1 + n));
                        }
                    }
                }
                let raw = &text[range.clone()];
                if matches!(kind, CodeBlockKind::Fenced(_)) && !closed_fence(raw) {
                    page.warn(
                        line,
                        "unterminated code block (no closing fence before the end of the page): skipped",
                    );
                } else {
                    page.blocks.push(Block::Code {
                        info,
                        text: body,
                        line,
                    });
                }
                i = end;
            }
            Event::Start(Tag::HtmlBlock) => {
                let end = find_end(&events, i);
                let html: String = events[i + 1..end]
                    .iter()
                    .filter_map(|(e, _)| match e {
                        Event::Html(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                html_block(&mut page, &html, line);
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    page
}

/// The index of the `End` event matching the `Start` at `start`.
fn find_end(events: &[(Event<'_>, Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

fn front_matter(page: &mut Page, text: &str, first_line: usize) {
    for (n, l) in text.lines().enumerate() {
        for _ in 0..todo_count(l) {
            page.todos.push((l.trim().to_string(), first_line + n));
        }
        if let Some((k, v)) = l.split_once(':')
            && !k.starts_with(' ')
        {
            let v = v.trim().trim_matches('"').trim().to_string();
            page.front_matter
                .insert(k.trim().to_string(), (v, first_line + n));
        }
    }
}

/// Renders inline events as plain text; returns it with the link targets.
fn inline(
    page: &mut Page,
    lines: &Lines,
    events: &[(Event<'_>, Range<usize>)],
) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut links = Vec::new();
    // A marker in text, in a code span or in an HTML comment
    // (`<!-- TODO: … -->` inside a sentence or a cell) is one.
    let todo = |page: &mut Page, t: &str, start: usize| {
        for _ in 0..todo_count(t) {
            let t = t.trim();
            let t = t
                .strip_prefix("<!--")
                .map_or(t, |r| r.strip_suffix("-->").unwrap_or(r).trim());
            page.todos.push((t.to_string(), lines.line(start)));
        }
    };
    for (e, r) in events {
        match e {
            Event::Text(t) => {
                todo(page, t, r.start);
                out.push_str(t);
            }
            Event::Code(t) => {
                todo(page, t, r.start);
                out.push('`');
                out.push_str(t);
                out.push('`');
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::InlineHtml(h) if h.starts_with("<br") => out.push(' '),
            Event::InlineHtml(h) => todo(page, h, r.start),
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::End(TagEnd::Item) => out.push(' '),
            _ => {}
        }
    }
    (collapse(&out), links)
}

/// Collapses runs of whitespace and trims.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn table(
    page: &mut Page,
    text: &str,
    lines: &Lines,
    events: &[(Event<'_>, Range<usize>)],
    line: usize,
) -> Block {
    let mut header = Vec::new();
    let mut rows = Vec::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            (Event::Start(Tag::TableHead), _) => {
                let end = find_end(events, i);
                for cell in cells(page, lines, &events[i + 1..end]) {
                    header.push(cell.0.text);
                }
                i = end;
            }
            (Event::Start(Tag::TableRow), row_range) => {
                let end = find_end(events, i);
                let cells = cells(page, lines, &events[i + 1..end]);
                let row_line = cells
                    .first()
                    .map_or(lines.line(row_range.start), |c| lines.line(c.1.start));
                // pulldown-cmark pads short rows and drops surplus cells:
                // either means the row does not say what its columns mean.
                // A padded cell and a cell written empty (`|id|String||`)
                // look alike to it, so the row's own text says how many
                // cells were written.
                let written = text
                    .get(row_range.clone())
                    .map_or(cells.len(), written_cells);
                let missing = header.len().saturating_sub(written);
                let last_end = cells.last().map_or(row_range.start, |c| c.1.end);
                let surplus = text
                    .get(last_end..row_range.end)
                    .map(|rest| rest.trim().trim_matches('|').trim())
                    .is_some_and(|rest| !rest.is_empty());
                if missing > 0 {
                    page.warn(
                        row_line,
                        format!(
                            "table row has {} of {} columns: row skipped",
                            cells.len() - missing,
                            header.len()
                        ),
                    );
                } else if surplus {
                    page.warn(
                        row_line,
                        format!(
                            "table row has more cells than the {} header columns: row skipped",
                            header.len()
                        ),
                    );
                } else {
                    rows.push(Row {
                        cells: cells.into_iter().map(|c| c.0).collect(),
                        line: row_line,
                    });
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    Block::Table { header, rows, line }
}

/// How many cells a table row's source writes: its text split at the pipes
/// not preceded by a backslash, one leading and one trailing pipe aside.
/// Tables split there before reading code spans; pulldown-cmark takes a pipe
/// after any backslash for text (`\\|` too), and so does this count.
fn written_cells(row: &str) -> usize {
    let row = row.trim();
    let row = row.strip_prefix('|').unwrap_or(row);
    let row = match row.strip_suffix('|') {
        Some(rest) if !rest.ends_with('\\') => rest,
        _ => row,
    };
    let bytes = row.as_bytes();
    1 + (0..bytes.len())
        .filter(|&i| bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\'))
        .count()
}

fn cells(
    page: &mut Page,
    lines: &Lines,
    events: &[(Event<'_>, Range<usize>)],
) -> Vec<(Cell, Range<usize>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let (Event::Start(Tag::TableCell), r) = &events[i] {
            let end = find_end(events, i);
            let before = page.todos.len();
            let (text, links) = inline(page, lines, &events[i + 1..end]);
            let todos = page.todos.len() - before;
            out.push((Cell { text, links, todos }, r.clone()));
            i = end;
        }
        i += 1;
    }
    out
}

/// Whether a fenced block's source ends with a closing fence.
fn closed_fence(raw: &str) -> bool {
    let open = raw.trim_start();
    let fence_char = open.chars().next().unwrap_or('`');
    let fence_len = open.chars().take_while(|&c| c == fence_char).count();
    let mut body_lines = raw.trim_end().lines();
    body_lines.next();
    body_lines.next_back().is_some_and(|last| {
        let last = last.trim();
        last.len() >= fence_len && last.chars().all(|c| c == fence_char)
    })
}

fn html_block(page: &mut Page, html: &str, line: usize) {
    let trimmed = html.trim();
    let Some(inner) = trimmed
        .strip_prefix("<!--")
        .map(|r| r.strip_suffix("-->").unwrap_or(r).trim())
    else {
        return;
    };
    for _ in 0..todo_count(inner) {
        page.todos.push((collapse(inner), line));
    }
    if !inner.starts_with('{') {
        return;
    }
    match serde_json::from_str::<serde_json::Value>(inner) {
        Ok(json) => page.blocks.push(Block::Annotation { json, line }),
        Err(e) => page.warn(
            line,
            format!("the annotation comment is not valid JSON ({e}): skipped"),
        ),
    }
}
