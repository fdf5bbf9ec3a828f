//! The next version of the sdk crate, from a diff's classification.
//!
//! Cargo's reading of semver: below 1.0.0 the left-most non-zero component
//! is the breaking one (`0.1.3` → `0.2.0` is breaking, `0.1.3` → `0.1.4`
//! is compatible and picked up by `cargo update`). So:
//!
//! | change class | 0.x.y (x ≥ 1)  | ≥ 1.0.0 |
//! | ---          | ---            | ---     |
//! | breaking     | minor (0.x+1.0) | major   |
//! | additive     | patch          | minor   |
//! | deprecation  | patch          | minor (semver: deprecating is a minor change) |
//! | note only    | patch          | patch   |
//! | nothing      | none           | none    |
//!
//! A `0.0.z` version bumps to `0.1.0` on a breaking change and its patch
//! component otherwise (Cargo treats every 0.0.z as incompatible anyway).
//! A pre-release or build suffix is dropped before bumping.

use std::fmt;

use serde::Serialize;

use super::Severity;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    /// `1.2.3`, optionally followed by `-pre` or `+build` (dropped).
    pub fn parse(text: &str) -> Result<Version, String> {
        let core = text.trim().split(['-', '+']).next().unwrap_or_default();
        let parts: Vec<&str> = core.split('.').collect();
        let number = |s: &str| {
            s.parse::<u64>()
                .map_err(|_| format!("`{text}` is not a semver version (MAJOR.MINOR.PATCH)"))
        };
        match parts.as_slice() {
            [a, b, c] => Ok(Version {
                major: number(a)?,
                minor: number(b)?,
                patch: number(c)?,
            }),
            _ => Err(format!(
                "`{text}` is not a semver version (MAJOR.MINOR.PATCH)"
            )),
        }
    }

    /// The version of a crate from its manifest, following
    /// `version.workspace = true` into the workspace manifest.
    pub fn from_manifests(crate_toml: &str, workspace_toml: &str) -> Result<Version, String> {
        let table: toml::Table = crate_toml
            .parse()
            .map_err(|e| format!("crate manifest: {e}"))?;
        let package = table
            .get("package")
            .and_then(|p| p.as_table())
            .ok_or("crate manifest has no [package]")?;
        match package.get("version") {
            Some(toml::Value::String(v)) => Version::parse(v),
            Some(toml::Value::Table(t))
                if t.get("workspace").and_then(toml::Value::as_bool) == Some(true) =>
            {
                let ws: toml::Table = workspace_toml
                    .parse()
                    .map_err(|e| format!("workspace manifest: {e}"))?;
                ws.get("workspace")
                    .and_then(|w| w.get("package"))
                    .and_then(|p| p.get("version"))
                    .and_then(toml::Value::as_str)
                    .ok_or_else(|| {
                        "workspace manifest has no [workspace.package] version".to_string()
                    })
                    .and_then(Version::parse)
            }
            Some(_) => Err("crate manifest: unsupported `version` value".to_string()),
            None => Err("crate manifest has no version".to_string()),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub current: String,
    pub next: String,
    pub bump: Bump,
    pub reason: String,
}

/// The suggested next version after changes of class `classification`
/// (the most severe one present; `None` when nothing changed).
pub fn suggest(current: Version, classification: Option<Severity>) -> Suggestion {
    let zero = current.major == 0;
    let (bump, reason) = match classification {
        None => (Bump::None, "no API change: no release needed"),
        Some(Severity::Breaking) if zero => (
            Bump::Minor,
            "breaking changes; below 1.0.0 the minor version is the breaking one",
        ),
        Some(Severity::Breaking) => (Bump::Major, "breaking changes"),
        Some(Severity::Additive) if zero => (
            Bump::Patch,
            "additive changes only; below 1.0.0 a patch release is the compatible one",
        ),
        Some(Severity::Additive) => (Bump::Minor, "additive changes only"),
        Some(Severity::Deprecation) if zero => (
            Bump::Patch,
            "new or changed deprecations; below 1.0.0 a patch release is the compatible one",
        ),
        Some(Severity::Deprecation) => (Bump::Minor, "new or changed deprecations"),
        Some(Severity::Note) => (Bump::Patch, "no API change, generated docs differ"),
    };
    let next = match bump {
        Bump::None => current,
        Bump::Patch => Version {
            patch: current.patch.saturating_add(1),
            ..current
        },
        Bump::Minor => Version {
            major: current.major,
            minor: current.minor.saturating_add(1),
            patch: 0,
        },
        Bump::Major => Version {
            major: current.major.saturating_add(1),
            minor: 0,
            patch: 0,
        },
    };
    Suggestion {
        current: current.to_string(),
        next: next.to_string(),
        bump,
        reason: reason.to_string(),
    }
}
