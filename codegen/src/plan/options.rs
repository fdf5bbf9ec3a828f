//! How the SDK is generated, as opposed to what (the slice): read from
//! `metadata/generate.toml`.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::csdl::{Diagnostic, Diagnostics};
use crate::lines::pos_of;

/// Generation options. Every field has a default, so the file may be absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The namespace whose types keep their short Rust names when another
    /// namespace has a type of the same name (`alert` vs `security.alert`).
    pub namespace: String,
    /// The sliced CSDL file, relative to the workspace: written by `regen`,
    /// named in every generated file's header.
    pub sliced_csdl: String,
    /// The date the metadata was taken (`YYYY-MM-DD`): removal dates before
    /// it read as passed. Recorded rather than taken from the clock, so that
    /// regenerating the same metadata always writes the same files.
    pub metadata_date: Option<String>,
    /// Rust names of documented error cases, by `"<status> <start of the
    /// message>"`; a case without one is named after its status.
    pub error_names: BTreeMap<String, String>,
}

pub const DEFAULT_SLICED_CSDL: &str = "metadata/graph-beta-migrations.csdl";

impl Default for Options {
    fn default() -> Self {
        Options {
            namespace: "microsoft.graph".into(),
            sliced_csdl: DEFAULT_SLICED_CSDL.into(),
            metadata_date: None,
            error_names: BTreeMap::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    namespace: Option<String>,
    sliced_csdl: Option<String>,
    metadata_date: Option<toml::value::Datetime>,
    #[serde(default)]
    error_names: BTreeMap<String, String>,
}

impl Options {
    pub fn from_toml(file: &str, text: &str) -> Result<Self, Diagnostics> {
        let at = |offset: usize| pos_of(text, offset);
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let pos = e.span().map(|s| at(s.start)).unwrap_or_default();
            Diagnostic::error(
                file,
                pos,
                format!("invalid generation options: {}", e.message()),
            )
        })?;
        let defaults = Options::default();
        let metadata_date = match raw.metadata_date {
            Some(d) if d.date.is_some() && d.time.is_none() => Some(d.to_string()),
            Some(d) => {
                let offset = text.find("metadata_date").unwrap_or(0);
                return Err(Diagnostic::error(
                    file,
                    at(offset),
                    format!("metadata_date = {d}: expected a date without a time (2026-12-06)"),
                )
                .into());
            }
            None => None,
        };
        Ok(Options {
            namespace: raw.namespace.unwrap_or(defaults.namespace),
            sliced_csdl: raw.sliced_csdl.unwrap_or(defaults.sliced_csdl),
            metadata_date,
            error_names: raw.error_names,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_option_and_locates_errors() {
        let o = Options::from_toml(
            "g.toml",
            "namespace = \"n.s\"\nsliced_csdl = \"m/x.csdl\"\nmetadata_date = 2026-12-06\n",
        )
        .unwrap();
        assert_eq!(o.namespace, "n.s");
        assert_eq!(o.sliced_csdl, "m/x.csdl");
        assert_eq!(o.metadata_date.as_deref(), Some("2026-12-06"));
        assert_eq!(
            Options::from_toml("g.toml", "").unwrap(),
            Options::default()
        );
        let e = Options::from_toml("g.toml", "\nnamspace = \"x\"\n").unwrap_err();
        assert!(e.to_string().starts_with("g.toml:2:1"), "{e}");
        let e = Options::from_toml("g.toml", "metadata_date = 2026-12-06T10:00:00Z\n").unwrap_err();
        assert!(
            e.to_string().contains("expected a date without a time"),
            "{e}"
        );
    }
}
