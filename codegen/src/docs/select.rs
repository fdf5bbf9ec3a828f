//! Which pages to read follows from the slice: a resource page per type,
//! the api pages its Methods table links to, and api pages named after a
//! type of the slice (`<type>-<verb>.md`, the docs repository's convention).
//! Beside a docs layout, saved copies of those pages and their
//! `older-versions/` are read too, at a lower precedence.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::extract::{looks_rendered, resolve_link};
use super::facts::Precedence;
use super::page;
use crate::model::Model;

/// Where pages come from: a directory, or (in xtask) the raw files of the
/// public docs repository.
pub trait PageReader {
    /// The text of a page by path relative to the root; `Ok(None)` when the
    /// page does not exist.
    fn read(&mut self, rel: &str) -> Result<Option<String>, String>;
    /// The `*.md` file names in a folder relative to the root, when the
    /// source can list (a directory can, a web server cannot).
    fn list(&self, rel_dir: &str) -> Option<Vec<String>>;
    /// What to call the source in the facts file.
    fn describe(&self) -> String;
}

/// Pages on disk: a checkout of microsoft-graph-docs-contrib, its
/// `api-reference/beta` folder, or a folder holding `graph-docs/` (that
/// layout) with saved pages beside it, like `../shared/api-docs`.
pub struct DirReader {
    pub root: PathBuf,
    pub name: String,
}

impl DirReader {
    pub fn new(root: &Path, name: &str) -> DirReader {
        DirReader {
            root: root.to_path_buf(),
            name: name.to_string(),
        }
    }
}

impl PageReader for DirReader {
    fn read(&mut self, rel: &str) -> Result<Option<String>, String> {
        match std::fs::read_to_string(self.root.join(rel)) {
            Ok(t) => Ok(Some(t)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{}: {e}", self.root.join(rel).display())),
        }
    }

    fn list(&self, rel_dir: &str) -> Option<Vec<String>> {
        let rd = std::fs::read_dir(self.root.join(rel_dir)).ok()?;
        let mut names: Vec<String> = rd
            .filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(".md"))
            .collect();
        names.sort();
        Some(names)
    }

    fn describe(&self) -> String {
        self.name.clone()
    }
}

/// The folder holding `resources/` and `api/` inside the source.
pub fn docs_prefix(reader: &dyn PageReader) -> &'static str {
    for prefix in ["", "api-reference/beta/", "graph-docs/"] {
        if reader
            .list(&format!("{prefix}resources"))
            .is_some_and(|l| !l.is_empty())
        {
            return prefix;
        }
    }
    ""
}

/// A page chosen, with its text.
pub struct Selected {
    pub path: String,
    pub text: String,
    pub precedence: Precedence,
}

/// The pages the slice needs, in reading order, and the resource pages
/// looked for but absent.
pub struct Selection {
    pub pages: Vec<Selected>,
    pub missing: Vec<String>,
}

pub fn select(model: &Model, reader: &mut dyn PageReader) -> Result<Selection, String> {
    let prefix = docs_prefix(reader);
    let mut names: BTreeSet<String> = model
        .structs
        .keys()
        .chain(model.enums.keys())
        .map(|n| n.rsplit('.').next().unwrap_or(n).to_ascii_lowercase())
        .collect();
    names.remove("entity");
    let mut pages = Vec::new();
    let mut missing = Vec::new();
    let mut wanted_api: BTreeSet<String> = BTreeSet::new();
    for name in &names {
        let rel = format!("{prefix}resources/{name}.md");
        match reader.read(&rel)? {
            Some(text) => {
                let p = page::parse(&rel, &text);
                for link in method_links(&p) {
                    wanted_api.insert(resolve_link(&rel, &link));
                }
                pages.push(Selected {
                    path: rel,
                    text,
                    precedence: Precedence::Current,
                });
            }
            None => missing.push(rel),
        }
    }
    let by_convention = |file: &str| {
        file.split_once('-')
            .is_some_and(|(ty, _)| names.contains(ty))
    };
    if let Some(files) = reader.list(&format!("{prefix}api")) {
        for f in files.iter().filter(|f| by_convention(f)) {
            wanted_api.insert(format!("{prefix}api/{f}"));
        }
    }
    for rel in &wanted_api {
        match reader.read(rel)? {
            Some(text) => pages.push(Selected {
                path: rel.clone(),
                text,
                precedence: Precedence::Current,
            }),
            None => missing.push(rel.clone()),
        }
    }
    let read_stems: BTreeSet<String> = pages.iter().map(|p| stem(&p.path)).collect();
    let wanted = |file: &str| read_stems.contains(&stem(file)) || by_convention(file);
    // Saved pages beside a `graph-docs/` layout, and older versions.
    let mut extra = Vec::new();
    if prefix == "graph-docs/"
        && let Some(files) = reader.list("")
    {
        for f in files.into_iter().filter(|f| wanted(f)) {
            extra.push((f, Precedence::Saved));
        }
    }
    for dir in ["resources", "api"] {
        let d = format!("{prefix}older-versions/{dir}");
        if let Some(files) = reader.list(&d) {
            for f in files.into_iter().filter(|f| wanted(f)) {
                extra.push((format!("{d}/{f}"), Precedence::Older));
            }
        }
    }
    for (rel, precedence) in extra {
        if let Some(text) = reader.read(&rel)? {
            // A saved note (no front matter, not a rendered page) states no facts.
            // (An editor's byte-order mark does not make it one.)
            if text.trim_start_matches('\u{feff}').starts_with("---") || looks_rendered(&text) {
                pages.push(Selected {
                    path: rel,
                    text,
                    precedence,
                });
            }
        }
    }
    Ok(Selection { pages, missing })
}

fn stem(path: &str) -> String {
    path.rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".md")
        .to_string()
}

/// Link targets in a page's Methods table.
fn method_links(p: &page::Page) -> Vec<String> {
    p.blocks
        .iter()
        .filter_map(|b| match b {
            page::Block::Table { header, rows, .. }
                if header
                    .first()
                    .is_some_and(|h| h.eq_ignore_ascii_case("Method")) =>
            {
                Some(rows)
            }
            _ => None,
        })
        .flatten()
        .filter_map(|r| r.cells.first()?.links.first().cloned())
        .filter(|l| l.ends_with(".md"))
        .collect()
}
