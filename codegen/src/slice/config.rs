//! `metadata/slice.toml`: which URL paths the SDK covers.
//!
//! Patterns work on path segments in the style of Kiota's `--include-path`:
//! `*` matches one segment (a key placeholder too), `**` any number of
//! segments (zero included), anything else matches literally.

use serde::Deserialize;
use toml::Spanned;

use crate::csdl::{Diagnostic, Diagnostics, syntax::Pos};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SliceConfig {
    /// The file the configuration came from, for diagnostics.
    pub file: String,
    pub include: Vec<PathPattern>,
    pub exclude: Vec<PathPattern>,
    /// How many URL paths the walk may visit before slicing stops with an
    /// error ([`DEFAULT_MAX_PATHS`] unless `max_paths` is set).
    pub max_paths: usize,
}

/// Containment nests deeply in Graph: `/**` over the 1.4 MB beta stand-in
/// reaches 445,000 paths, 34 segments deep, and the production schema is six
/// times larger. Each path costs about 140 lines of generated Rust (4,039
/// paths of graph-beta.csdl made 550,000 lines; 42,000 under `/drive`, `/drives`,
/// `/sites`, `/groups` and `/storage` made 7 million lines in 37,000 files),
/// so a slice that reaches more than this is refused with a message that
/// says where the paths are; `max_paths` in slice.toml raises it.
pub const DEFAULT_MAX_PATHS: usize = 5_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    include: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    max_paths: Option<usize>,
}

impl SliceConfig {
    pub fn new(include: &[&str], exclude: &[&str]) -> Result<Self, String> {
        Ok(SliceConfig {
            file: "slice configuration".to_string(),
            include: include
                .iter()
                .map(|p| PathPattern::parse(p))
                .collect::<Result<_, _>>()?,
            exclude: exclude
                .iter()
                .map(|p| PathPattern::parse(p))
                .collect::<Result<_, _>>()?,
            max_paths: DEFAULT_MAX_PATHS,
        })
    }

    pub fn from_toml(file: &str, text: &str) -> Result<Self, Diagnostics> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let pos = e
                .span()
                .map(|s| crate::lines::pos_of(text, s.start))
                .unwrap_or_default();
            Diagnostic::error(
                file,
                pos,
                format!("invalid slice configuration: {}", e.message()),
            )
        })?;
        let at = |span: std::ops::Range<usize>| crate::lines::pos_of(text, span.start);
        if raw.include.get_ref().is_empty() {
            return Err(Diagnostic::error(
                file,
                at(raw.include.span()),
                "slice configuration has no include paths: expected at least one",
            )
            .into());
        }
        // Each pattern keeps where it is written (inside its quotes): the
        // slicer's errors about a pattern point there.
        let patterns = |list: &[Spanned<String>]| -> Result<Vec<PathPattern>, Diagnostics> {
            list.iter()
                .map(|p| {
                    let quote = at(p.span());
                    let pos = Pos {
                        line: quote.line,
                        col: quote.col + 1,
                    };
                    let mut pattern = PathPattern::parse(p.get_ref())
                        .map_err(|m| Diagnostics::from(Diagnostic::error(file, pos, m)))?;
                    pattern.pos = pos;
                    Ok(pattern)
                })
                .collect()
        };
        Ok(SliceConfig {
            file: file.to_string(),
            include: patterns(raw.include.get_ref())?,
            exclude: patterns(&raw.exclude)?,
            max_paths: raw.max_paths.unwrap_or(DEFAULT_MAX_PATHS),
        })
    }

    /// Whether the path (its template segments) is in the slice.
    pub fn includes(&self, segments: &[&str]) -> bool {
        self.include.iter().any(|p| p.matches(segments))
            && !self.exclude.iter().any(|p| p.matches(segments))
    }

    /// Whether anything at or below this prefix may be in the slice: an
    /// include may reach it, and no exclude ending in `**` takes all of it
    /// (so that excluding a subtree also spares the walk, and the path
    /// budget, everything below it).
    pub fn may_include_below(&self, prefix: &[&str]) -> bool {
        self.include.iter().any(|p| p.may_match_below(prefix))
            && !self.exclude.iter().any(|p| p.covers_below(prefix))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Literal(String),
    One,
    Any,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathPattern {
    text: String,
    parts: Vec<Part>,
    pos: Pos,
}

impl PathPattern {
    pub fn parse(text: &str) -> Result<Self, String> {
        let Some(rest) = text.strip_prefix('/') else {
            return Err(format!("path pattern \"{text}\" must start with \"/\""));
        };
        let parts = rest
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| match s {
                "**" => Part::Any,
                "*" => Part::One,
                lit => Part::Literal(lit.to_string()),
            })
            .collect();
        Ok(PathPattern {
            text: text.to_string(),
            parts,
            pos: Pos { line: 1, col: 1 },
        })
    }

    /// Where the pattern is written in its configuration file.
    pub fn pos(&self) -> Pos {
        self.pos
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The literal segments before the first wildcard: what must exist.
    pub fn literal_prefix(&self) -> Vec<&str> {
        self.parts
            .iter()
            .map_while(|p| match p {
                Part::Literal(l) => Some(l.as_str()),
                _ => None,
            })
            .collect()
    }

    pub fn matches(&self, segments: &[&str]) -> bool {
        match_parts(&self.parts, segments, false)
    }

    pub fn may_match_below(&self, prefix: &[&str]) -> bool {
        match_parts(&self.parts, prefix, true)
    }

    /// Whether the pattern matches `prefix` and every path below it: it
    /// ends in `**`, which takes any segments that follow.
    pub fn covers_below(&self, prefix: &[&str]) -> bool {
        matches!(self.parts.last(), Some(Part::Any)) && self.matches(prefix)
    }
}

fn segment_matches(literal: &str, segment: &str) -> bool {
    if literal == segment {
        return true;
    }
    // `crossTenantMigrationJobs` also names `crossTenantMigrationJobs(displayName='{displayName}')`,
    // and a pattern may spell a function without its argument list.
    segment.split('(').next() == Some(literal) && !literal.contains('(')
}

/// With `prefix_ok`, a path that runs out before the pattern does still
/// matches: something below it might.
fn match_parts(parts: &[Part], segs: &[&str], prefix_ok: bool) -> bool {
    match parts.first() {
        None => segs.is_empty(),
        Some(Part::Any) => {
            (0..=segs.len()).any(|i| match_parts(&parts[1..], &segs[i..], prefix_ok)) || prefix_ok
        }
        Some(p) => match segs.first() {
            None => prefix_ok,
            Some(s) => {
                let ok = match p {
                    Part::One => true,
                    Part::Literal(l) => segment_matches(l, s),
                    Part::Any => unreachable!(),
                };
                ok && match_parts(&parts[1..], &segs[1..], prefix_ok)
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_by_segment() {
        let p = PathPattern::parse("/solutions/migrations/**").unwrap();
        assert!(p.matches(&["solutions", "migrations"]));
        assert!(p.matches(&[
            "solutions",
            "migrations",
            "crossTenantMigrationJobs",
            "{id}"
        ]));
        assert!(!p.matches(&["solutions"]));
        assert!(p.may_match_below(&["solutions"]));
        assert!(!p.may_match_below(&["solutions", "sharePoint"]));
        let one = PathPattern::parse("/a/*/c").unwrap();
        assert!(one.matches(&["a", "{x}", "c"]));
        assert!(!one.matches(&["a", "b", "d"]));
        assert!(PathPattern::parse("no-slash").is_err());
    }
}
