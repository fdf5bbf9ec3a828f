//! The committed form of the facts: `metadata/docs-facts.json`.
//!
//! JSON rather than TOML: the facts nest (operations → examples → verbatim
//! JSON bodies), which TOML can only write as deeply nested arrays of
//! tables, and serde_json is already the generator's. Pretty-printed with
//! sorted maps and sorted lists, one fact per line where possible, so a
//! documentation change is a reviewable diff and regeneration is
//! reproducible.

use super::facts::{DocsFacts, FORMAT};
use crate::csdl::syntax::Pos;
use crate::diagnostic::Diagnostic;
use crate::lines::pos_of;

pub fn to_json(facts: &DocsFacts) -> String {
    let mut s = serde_json::to_string_pretty(facts).expect("the facts serialise");
    s.push('\n');
    s
}

/// Reads the committed file; `file` names it in errors, located where the
/// JSON breaks off or at its `format`.
pub fn from_json(file: &str, text: &str) -> Result<DocsFacts, Diagnostic> {
    let facts: DocsFacts = serde_json::from_str(text).map_err(|e| {
        let pos = Pos {
            line: u32::try_from(e.line()).unwrap_or(u32::MAX),
            col: u32::try_from(e.column()).unwrap_or(u32::MAX),
        };
        // serde_json's message ends with its own "at line L column C".
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        Diagnostic::error(file, pos, format!("invalid documentation facts: {message}"))
    })?;
    if facts.format != FORMAT {
        let at = text.find("\"format\"").unwrap_or(0);
        return Err(Diagnostic::error(
            file,
            pos_of(text, at),
            format!(
                "format {} is not the format {FORMAT} this generator writes: run `cargo xtask docs-refresh`",
                facts.format
            ),
        ));
    }
    Ok(facts)
}
