//! The `docs` stage: the Microsoft Graph documentation pages (markdown of
//! microsoft-graph-docs-contrib) as typed facts with their page and line.
//!
//! [`page`] reads markdown into blocks, [`extract`] turns a page into facts,
//! [`select`] decides which pages the slice needs, [`merge`] combines pages,
//! [`mod@write`] is the committed `metadata/docs-facts.json`, [`lookup`] finds
//! facts by type or by request, and [`check`] compares them with the model.

pub mod check;
pub mod extract;
pub mod facts;
pub mod lookup;
pub mod merge;
pub mod page;
pub mod select;
pub mod write;

pub use facts::*;
pub use lookup::{FactCounts, normalise_path, same_path};
pub use select::{DirReader, PageReader};

use crate::model::Model;

/// Reads the pages the slice needs and extracts their facts.
pub fn refresh(model: &Model, reader: &mut dyn PageReader) -> Result<DocsFacts, String> {
    let selection = select::select(model, reader)?;
    // Not every type has a page, but a refresh that found none read from
    // the wrong place (a typo in `--docs`, a base URL that answers 404):
    // writing its empty facts would throw the committed ones away.
    if selection.pages.is_empty() {
        let some: Vec<&str> = selection
            .missing
            .iter()
            .take(3)
            .map(String::as_str)
            .collect();
        return Err(format!(
            "{}: none of the {} documentation pages looked for was found (such as {}): \
             check the docs location; nothing was written",
            reader.describe(),
            selection.missing.len(),
            some.join(", ")
        ));
    }
    Ok(merge::build(&reader.describe(), &selection.pages))
}
