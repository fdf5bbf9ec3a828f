//! The committed form of the facts: `metadata/docs-facts.json`.
//!
//! JSON rather than TOML: the facts nest (operations → examples → verbatim
//! JSON bodies), which TOML can only write as deeply nested arrays of
//! tables, and serde_json is already the generator's. Pretty-printed with
//! sorted maps and sorted lists, one fact per line where possible, so a
//! documentation change is a reviewable diff and regeneration is
//! reproducible.

use super::facts::{DocsFacts, FORMAT};

pub fn to_json(facts: &DocsFacts) -> String {
    let mut s = serde_json::to_string_pretty(facts).expect("the facts serialise");
    s.push('\n');
    s
}

/// Reads the committed file; `file` names it in errors.
pub fn from_json(file: &str, text: &str) -> Result<DocsFacts, String> {
    let facts: DocsFacts = serde_json::from_str(text)
        .map_err(|e| format!("{file}:{}:{}: {e}", e.line(), e.column()))?;
    if facts.format != FORMAT {
        return Err(format!(
            "{file}: format {} is not the format {FORMAT} this generator writes: run `cargo xtask docs-refresh`",
            facts.format
        ));
    }
    Ok(facts)
}
