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
    Ok(merge::build(&reader.describe(), &selection.pages))
}
