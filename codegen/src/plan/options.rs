//! How the SDK is generated, as opposed to what (the slice): read from
//! `metadata/generate.toml`.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use serde::Deserialize;
use toml::Spanned;

use crate::csdl::syntax::Pos;
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
    /// Where each of `error_names` is written, for reporting one that no
    /// documented case uses.
    pub error_name_positions: BTreeMap<String, Pos>,
}

pub const DEFAULT_SLICED_CSDL: &str = "metadata/graph-beta-migrations.csdl";

impl Default for Options {
    fn default() -> Self {
        Options {
            namespace: "microsoft.graph".into(),
            sliced_csdl: DEFAULT_SLICED_CSDL.into(),
            metadata_date: None,
            error_names: BTreeMap::new(),
            error_name_positions: BTreeMap::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    namespace: Option<String>,
    sliced_csdl: Option<Spanned<String>>,
    metadata_date: Option<Spanned<toml::value::Datetime>>,
    #[serde(default)]
    error_names: BTreeMap<Spanned<String>, Spanned<String>>,
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
        let error = |value: &dyn SpanStart, message: String| -> Diagnostics {
            Diagnostic::error(file, at(value.start()), message).into()
        };
        let metadata_date = match raw.metadata_date {
            Some(d) if d.get_ref().date.is_some() && d.get_ref().time.is_none() => {
                Some(d.get_ref().to_string())
            }
            Some(d) => {
                return Err(error(
                    &d,
                    format!(
                        "metadata_date = {}: expected a date without a time (2026-12-06)",
                        d.get_ref()
                    ),
                ));
            }
            None => None,
        };
        let sliced_csdl = match raw.sliced_csdl {
            Some(p) => {
                if let Some(why) = not_a_workspace_file(p.get_ref()) {
                    return Err(error(
                        &p,
                        format!(
                            "sliced_csdl = {:?}: {why}: expected a file path relative to the \
                             workspace (metadata/graph-beta-migrations.csdl)",
                            p.get_ref()
                        ),
                    ));
                }
                p.into_inner()
            }
            None => defaults.sliced_csdl,
        };
        let mut error_names = BTreeMap::new();
        let mut error_name_positions = BTreeMap::new();
        for (case, name) in raw.error_names {
            let case_pos = at(case.span().start);
            let case = case.into_inner();
            if let Some(why) = not_a_variant_name(name.get_ref()) {
                return Err(error(
                    &name,
                    format!(
                        "error name {:?} for {case:?}: {why}: expected a PascalCase Rust name \
                         (JobNotFound)",
                        name.get_ref()
                    ),
                ));
            }
            error_name_positions.insert(case.clone(), case_pos);
            error_names.insert(case, name.into_inner());
        }
        Ok(Options {
            namespace: raw.namespace.unwrap_or(defaults.namespace),
            sliced_csdl,
            metadata_date,
            error_names,
            error_name_positions,
        })
    }
}

/// Where a spanned value starts, whatever it holds.
trait SpanStart {
    fn start(&self) -> usize;
}

impl<T> SpanStart for Spanned<T> {
    fn start(&self) -> usize {
        self.span().start
    }
}

/// Why `path` cannot be the sliced file: `regen` writes it, so it must stay
/// inside the workspace and name a file.
fn not_a_workspace_file(path: &str) -> Option<&'static str> {
    let p = Path::new(path);
    if path.trim().is_empty() {
        return Some("empty");
    }
    if p.is_absolute() || path.starts_with(['/', '\\']) {
        return Some("an absolute path");
    }
    if p.components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Some("it leaves the workspace");
    }
    if path.ends_with(['/', '\\']) || p.file_name().is_none() {
        return Some("no file name");
    }
    // What regeneration reads or owns: writing the slice there would
    // overwrite an input, or collide with another output.
    if p.extension().is_none_or(|e| e != "csdl") {
        return Some("not a .csdl file (regeneration would overwrite an input or another output)");
    }
    let normal: Vec<&std::ffi::OsStr> = p
        .components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n),
            _ => None,
        })
        .collect();
    let under =
        |dirs: &[&str]| normal.len() > dirs.len() && normal.iter().zip(dirs).all(|(n, d)| n == d);
    if under(&["sdk", "src", "generated"]) || under(&["metadata", "patches"]) {
        return Some("inside a directory that regeneration owns or reads patches from");
    }
    None
}

/// Why `name` cannot name a variant of a generated error enum.
fn not_a_variant_name(name: &str) -> Option<&'static str> {
    let mut chars = name.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_uppercase()) {
        return Some("it does not start with a capital letter");
    }
    if !chars.all(|c| c.is_ascii_alphanumeric()) {
        return Some("only ASCII letters and digits may follow");
    }
    match name {
        "Other" => Some("every error enum has its own `Other`"),
        "Self" => Some("a keyword"),
        _ => None,
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
        assert!(e.to_string().starts_with("g.toml:1:17"), "{e}");
    }

    /// `regen` writes the sliced file: it must name a file inside the
    /// workspace. Each refusal is located at the value.
    #[test]
    fn the_sliced_file_stays_inside_the_workspace() {
        for (value, why) in [
            ("/", "an absolute path"),
            ("/etc/x.csdl", "an absolute path"),
            ("../../x.csdl", "it leaves the workspace"),
            ("metadata/../../x.csdl", "it leaves the workspace"),
            ("metadata/", "no file name"),
            ("", "empty"),
            ("metadata/slice.toml", "not a .csdl file"),
            ("metadata/api-surface.txt", "not a .csdl file"),
            ("sdk/src/generated/x.csdl", "regeneration owns"),
            ("./metadata/patches/x.csdl", "reads patches from"),
        ] {
            let text = format!("# generation\nsliced_csdl = {value:?}\n");
            let e = Options::from_toml("g.toml", &text).unwrap_err().to_string();
            assert!(
                e.starts_with("g.toml:2:15: error: sliced_csdl"),
                "{value}: {e}"
            );
            assert!(e.contains(why), "{value}: {e}");
        }
        let ok = Options::from_toml("g.toml", "sliced_csdl = \"./m/x.csdl\"\n").unwrap();
        assert_eq!(ok.sliced_csdl, "./m/x.csdl");
    }

    /// Error names become enum variants: anything Rust would refuse, or
    /// that clashes with `Other`, is refused here with the line, not as a
    /// panic or a compile error in the generated code.
    #[test]
    fn error_names_must_be_variant_names() {
        for (name, why) in [
            ("Job Not Found", "only ASCII letters and digits"),
            ("", "capital letter"),
            ("1Job", "capital letter"),
            ("jobNotFound", "capital letter"),
            ("Größe", "only ASCII letters and digits"),
            ("Other", "its own `Other`"),
            ("Self", "a keyword"),
        ] {
            let text = format!("[error_names]\n\"404 The job\" = {name:?}\n");
            let e = Options::from_toml("g.toml", &text).unwrap_err().to_string();
            assert!(
                e.starts_with("g.toml:2:17: error: error name"),
                "{name}: {e}"
            );
            assert!(e.contains(why), "{name}: {e}");
        }
        let ok = Options::from_toml(
            "g.toml",
            "[error_names]\n\"404 The job\" = \"JobNotFound2\"\n",
        )
        .unwrap();
        assert_eq!(ok.error_names["404 The job"], "JobNotFound2");
        assert_eq!(ok.error_name_positions["404 The job"].to_string(), "2:1");
    }
}
