//! `cargo xtask docs-refresh` and `cargo xtask docs-check`: the Graph
//! documentation pages as an input of regeneration.
//!
//! Pages come from a directory (a checkout of
//! microsoft-graph-docs-contrib, or `../shared/api-docs`) or from the public
//! raw files of that repository, downloaded through the same ETag cache as
//! `regen --from`.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, ValueEnum};
use migrations_codegen::docs::check::{self, FindingClass};
use migrations_codegen::docs::{DirReader, PageReader, write};
use migrations_codegen::pipeline;

use crate::fetch;

/// The raw pages of the public docs repository, beta.
pub(crate) const DOCS_URL: &str = "https://raw.githubusercontent.com/microsoftgraph/microsoft-graph-docs-contrib/main/api-reference/beta/";

#[derive(Args)]
pub(crate) struct RefreshArgs {
    /// A directory of pages (a checkout of microsoft-graph-docs-contrib,
    /// its api-reference/beta folder, or a folder holding graph-docs/), or
    /// an http(s) URL of the raw api-reference/beta folder ('public' for
    /// the public repository's).
    #[arg(long, default_value = pipeline::DEFAULT_DOCS)]
    pub docs: String,
    /// Download timeout per page in seconds, for URLs.
    #[arg(long, default_value_t = 60)]
    pub timeout: u64,
}

#[derive(Args)]
pub(crate) struct CheckArgs {
    /// Read the pages afresh from here (as docs-refresh does) instead of the
    /// committed metadata/docs-facts.json.
    #[arg(long)]
    pub docs: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
    /// Exit with status 2 when a finding of one of these classes is present
    /// (comma-separated: not-in-metadata, undocumented, type, case, enum,
    /// operation, example, unread).
    #[arg(long, value_delimiter = ',')]
    pub fail_on: Vec<String>,
    #[arg(long, default_value_t = 60)]
    pub timeout: u64,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Markdown,
    Json,
}

/// Pages downloaded one by one from a base URL; a 404 is a missing page.
struct UrlReader {
    base: String,
    cache: std::path::PathBuf,
    timeout: Duration,
}

impl PageReader for UrlReader {
    fn read(&mut self, rel: &str) -> Result<Option<String>, String> {
        let url = format!("{}{rel}", self.base);
        match fetch::fetch(&url, &self.cache, self.timeout) {
            Ok(f) => {
                eprintln!("{}", f.describe(&url));
                Ok(Some(f.text))
            }
            Err(e) if e.contains("HTTP 404") => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn list(&self, _rel_dir: &str) -> Option<Vec<String>> {
        // Raw file servers do not list folders: only linked pages are read.
        None
    }

    fn describe(&self) -> String {
        self.base.clone()
    }
}

fn reader(root: &Path, docs: &str, timeout: u64) -> Box<dyn PageReader> {
    let url = if docs == "public" { DOCS_URL } else { docs };
    if fetch::is_url(url) {
        let base = if url.ends_with('/') {
            url.to_string()
        } else {
            format!("{url}/")
        };
        return Box::new(UrlReader {
            base,
            cache: root.join("target/docs-cache"),
            timeout: Duration::from_secs(timeout),
        });
    }
    let dir = if Path::new(docs).is_absolute() {
        Path::new(docs).to_path_buf()
    } else {
        root.join(docs)
    };
    Box::new(DirReader::new(&dir, docs))
}

/// `docs-refresh`: rewrites metadata/docs-facts.json.
pub(crate) fn refresh(root: &Path, args: RefreshArgs) -> Result<ExitCode, String> {
    let mut reader = reader(root, &args.docs, args.timeout);
    let facts = pipeline::refresh_docs_facts(root, reader.as_mut())?;
    for w in &facts.warnings {
        eprintln!("warning: {w}");
    }
    let path = root.join(pipeline::DOCS_FACTS);
    let text = write::to_json(&facts);
    let changed = std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str());
    if changed {
        std::fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    println!(
        "{} from {}: {}{}",
        pipeline::DOCS_FACTS,
        args.docs,
        facts.counts(),
        if changed {
            " (written)"
        } else {
            " (unchanged)"
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// `docs-check`: the disagreements between the docs and the sliced metadata.
pub(crate) fn check(root: &Path, args: CheckArgs) -> Result<ExitCode, String> {
    let facts = match &args.docs {
        Some(d) => pipeline::refresh_docs_facts(root, reader(root, d, args.timeout).as_mut())?,
        None => pipeline::load_docs_facts(root).map_err(|d| d.to_string())?,
    };
    let model = pipeline::load_committed_model(root).map_err(|d| d.to_string())?;
    let report = check::check(&facts, &model);
    match args.format {
        Format::Markdown => print!("{}", check::markdown(&report)),
        Format::Json => print!("{}", check::json(&report)),
    }
    let mut classes = Vec::new();
    for name in &args.fail_on {
        classes.push(FindingClass::from_name(name.trim()).ok_or_else(|| {
            format!(
                "--fail-on: unknown class `{name}` (expected one of {})",
                FindingClass::names()
            )
        })?);
    }
    let failing: Vec<&str> = classes
        .iter()
        .filter(|c| report.findings.iter().any(|f| f.class == **c))
        .map(|c| c.name())
        .collect();
    if !failing.is_empty() {
        eprintln!(
            "docs-check: findings of class {} present (--fail-on)",
            failing.join(", ")
        );
        return Ok(ExitCode::from(crate::FAIL_ON_STATUS));
    }
    Ok(ExitCode::SUCCESS)
}

/// The short docs-check section `regen` prints after the schema diff, from
/// the committed facts and the freshly written slice.
pub(crate) fn regen_summary(root: &Path) -> String {
    let facts = match pipeline::load_docs_facts(root) {
        Ok(f) => f,
        Err(d) => return format!("docs check: not run ({d})\n"),
    };
    match pipeline::load_committed_model(root) {
        Ok(model) => check::summary(&check::check(&facts, &model), 12),
        Err(d) => format!("docs check: not run ({d})\n"),
    }
}

#[cfg(test)]
mod tests {
    //! The URL source against a tiny server on 127.0.0.1 (no network).

    use super::*;
    use crate::fetch::tests::{Reply, serve};

    const RESOURCE: &str = "---\ntitle: \"migrationsRoot resource type\"\ndoc_type: resourcePageType\n---\n# migrationsRoot resource type\n\nThe root of migrations.\n\n## Methods\n|Method|Return type|Description|\n|:---|:---|:---|\n|[List](../api/migrationsroot-list.md)|x collection|List them.|\n\n## Relationships\n|Relationship|Type|Description|\n|:---|:---|:---|\n|crossTenantMigrationJobs|[crossTenantMigrationJob](crosstenantmigrationjob.md) collection|The jobs.|\n";
    const API: &str = "---\ntitle: \"List\"\ndoc_type: apiPageType\n---\n# List\n\nLists jobs.\n\n## HTTP request\n\n```http\nGET /solutions/migrations/crossTenantMigrationJobs\n```\n";

    #[test]
    fn pages_come_from_a_url_with_missing_pages_as_404() {
        // Every type of the committed slice is asked for; only two pages exist.
        let (base, seen, _server) = serve(200, |req| {
            let body = match req.path.as_str() {
                "/beta/resources/migrationsroot.md" => RESOURCE,
                "/beta/api/migrationsroot-list.md" => API,
                _ => {
                    return Some(Reply {
                        status: "404 Not Found",
                        headers: vec![],
                        body: vec![],
                    });
                }
            };
            Some(Reply {
                status: "200 OK",
                headers: vec![("etag", "\"1\"".to_string())],
                body: body.as_bytes().to_vec(),
            })
        });
        let root = crate::root();
        let cache = std::env::temp_dir().join(format!("xtask-docs-url-{}", std::process::id()));
        let mut reader = UrlReader {
            base: format!("{base}/beta/"),
            cache: cache.clone(),
            timeout: Duration::from_secs(10),
        };
        let facts = pipeline::refresh_docs_facts(&root, &mut reader).unwrap();
        let _ = std::fs::remove_dir_all(&cache);
        assert_eq!(facts.source, format!("{base}/beta/"));
        assert_eq!(
            facts.pages.keys().collect::<Vec<_>>(),
            ["api/migrationsroot-list.md", "resources/migrationsroot.md"]
        );
        let root_doc = facts.type_doc("migrationsRoot").unwrap();
        assert_eq!(
            root_doc.description.as_ref().unwrap().text,
            "The root of migrations."
        );
        assert!(
            facts
                .operation("GET", "/solutions/migrations/crossTenantMigrationJobs")
                .is_some()
        );
        let seen = seen.lock().unwrap();
        assert!(
            seen.iter()
                .any(|s| s.path == "/beta/resources/crosstenantmigrationjob.md")
        );
        assert!(seen.iter().all(|s| s.path.ends_with(".md")));
    }
}
