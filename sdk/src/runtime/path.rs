//! [`RequestPath`]: an encoded request path plus its template, and OData literals.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Everything outside RFC 3986 `unreserved` (`A-Z a-z 0-9 - . _ ~`) is encoded.
pub(crate) const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Literal segment names (identifiers from metadata, `$count`, `$value`, `$ref`,
/// `microsoft.graph.x`): unreserved plus `$`.
const SEGMENT: &AsciiSet = &UNRESERVED.remove(b'$');

/// An OData primitive literal used in call syntax (`name(a='v',b=3)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ODataLiteral<'a> {
    /// `'text'`, inner quotes doubled, then percent-encoded.
    String(&'a str),
    /// A bare GUID `01234567-89ab-...`.
    Guid(uuid::Uuid),
    /// A decimal integer.
    Int(i64),
    /// `true` / `false`.
    Bool(bool),
    /// `Edm.Date`, bare: `2026-07-09`.
    Date(super::edm::Date),
    /// `Edm.DateTimeOffset`, bare RFC 3339 with `:` and `+` percent-encoded:
    /// `2026-07-09T10%3A30%3A00Z`.
    DateTimeOffset(super::edm::DateTimeOffset),
    /// `null`.
    Null,
}

impl<'a> From<&'a str> for ODataLiteral<'a> {
    fn from(v: &'a str) -> Self {
        ODataLiteral::String(v)
    }
}
impl<'a> From<&'a String> for ODataLiteral<'a> {
    fn from(v: &'a String) -> Self {
        ODataLiteral::String(v)
    }
}
impl From<uuid::Uuid> for ODataLiteral<'_> {
    fn from(v: uuid::Uuid) -> Self {
        ODataLiteral::Guid(v)
    }
}
impl From<i64> for ODataLiteral<'_> {
    fn from(v: i64) -> Self {
        ODataLiteral::Int(v)
    }
}
impl From<i32> for ODataLiteral<'_> {
    fn from(v: i32) -> Self {
        ODataLiteral::Int(v.into())
    }
}
impl From<i16> for ODataLiteral<'_> {
    fn from(v: i16) -> Self {
        ODataLiteral::Int(v.into())
    }
}
impl From<u8> for ODataLiteral<'_> {
    fn from(v: u8) -> Self {
        ODataLiteral::Int(v.into())
    }
}
impl From<i8> for ODataLiteral<'_> {
    fn from(v: i8) -> Self {
        ODataLiteral::Int(v.into())
    }
}
impl From<super::edm::Date> for ODataLiteral<'_> {
    fn from(v: super::edm::Date) -> Self {
        ODataLiteral::Date(v)
    }
}
impl From<super::edm::DateTimeOffset> for ODataLiteral<'_> {
    fn from(v: super::edm::DateTimeOffset) -> Self {
        ODataLiteral::DateTimeOffset(v)
    }
}
impl From<bool> for ODataLiteral<'_> {
    fn from(v: bool) -> Self {
        ODataLiteral::Bool(v)
    }
}

/// Percent-encode a value so that it is exactly one opaque path segment:
/// everything outside RFC 3986 `unreserved` is encoded (`/`, `?`, `#`, `%`,
/// `'`, `\`, spaces, non-ASCII...).
pub fn encode_path_segment(value: &str) -> String {
    utf8_percent_encode(value, UNRESERVED).to_string()
}

/// Encode a literal for use inside a path (call syntax / alternate keys).
///
/// Strings become `'...'` with inner quotes doubled and the content
/// percent-encoded; the delimiting quotes stay literal.
pub fn encode_odata_literal(literal: &ODataLiteral<'_>) -> String {
    match literal {
        ODataLiteral::String(s) => {
            let doubled = s.replace('\'', "''");
            format!("'{}'", utf8_percent_encode(&doubled, UNRESERVED))
        }
        ODataLiteral::Guid(g) => g.hyphenated().to_string(),
        ODataLiteral::Int(i) => i.to_string(),
        ODataLiteral::Bool(b) => b.to_string(),
        ODataLiteral::Date(d) => d.to_string(),
        // Every character outside `unreserved` is encoded, as in strings: a
        // `+` of the offset must not reach a server that reads it as a space.
        ODataLiteral::DateTimeOffset(t) => {
            utf8_percent_encode(&t.to_string(), UNRESERVED).to_string()
        }
        ODataLiteral::Null => "null".to_string(),
    }
}

/// Inverse of [`encode_odata_literal`] for strings: takes the encoded form
/// (`'a%27%27b'`) and returns the original text (`a'b`). Returns `None` when the
/// input is not a well-formed encoded string literal.
pub fn decode_odata_string_literal(encoded: &str) -> Option<String> {
    let inner = encoded.strip_prefix('\'')?.strip_suffix('\'')?;
    let decoded = percent_decode_str(inner).decode_utf8().ok()?;
    // After percent-decoding every quote must come in pairs.
    let mut out = String::with_capacity(decoded.len());
    let mut chars = decoded.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' && chars.next() != Some('\'') {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

/// Decode one percent-encoded path segment (inverse of [`encode_path_segment`]).
pub fn decode_path_segment(encoded: &str) -> Option<String> {
    percent_decode_str(encoded)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

/// An encoded path relative to the client's base URL, plus its template
/// (`/solutions/migrations/crossTenantMigrationJobs/{crossTenantMigrationJob-id}`)
/// used for tracing and the API surface. Values put in with [`RequestPath::key`]
/// or [`RequestPath::call`] are encoded so that they can never add, remove or
/// climb path segments, nor start a query or fragment.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct RequestPath {
    path: String,
    template: String,
    /// Set when a key could not be represented safely (`.`/`..`/empty); the
    /// request is refused before anything is sent.
    invalid: Option<String>,
}

impl RequestPath {
    /// The base URL itself (`""`).
    pub fn root() -> Self {
        Self::default()
    }

    /// Appends `/name`. `name` is an identifier from the metadata (or `$count`,
    /// `$value`, `$ref`, `microsoft.graph.migrate`); it is written literally, any
    /// character outside `unreserved` and `$` is nevertheless percent-encoded.
    pub fn segment(&self, name: &str) -> Self {
        let mut next = self.clone();
        let enc = utf8_percent_encode(name, SEGMENT).to_string();
        next.path.push('/');
        next.path.push_str(&enc);
        next.template.push('/');
        next.template.push_str(&enc);
        if name.is_empty() || name == "." || name == ".." {
            next.invalid
                .get_or_insert_with(|| format!("invalid path segment name {name:?}"));
        }
        next
    }

    /// Appends `/<percent-encoded value>`; the template gets `/{placeholder}`.
    ///
    /// A value of `""`, `"."` or `".."` cannot be sent as a path segment (URL
    /// normalisation would drop or climb it): such a path is marked invalid and
    /// sending it fails with [`super::Error::InvalidRequest`] before any
    /// network traffic.
    pub fn key(&self, placeholder: &str, value: &str) -> Self {
        let mut next = self.clone();
        next.path.push('/');
        next.path.push_str(&encode_path_segment(value));
        next.template.push_str("/{");
        next.template.push_str(placeholder);
        next.template.push('}');
        if value.is_empty() || value == "." || value == ".." {
            next.invalid.get_or_insert_with(|| {
                format!("key {placeholder:?} has a value that cannot be a path segment: {value:?}")
            });
        }
        next
    }

    /// Appends `/name(a='v',b=3)` (bound functions); `/name()` without arguments.
    pub fn call(&self, name: &str, args: &[(&str, ODataLiteral<'_>)]) -> Self {
        self.segment(name).with_arguments(args)
    }

    /// Appends `(a='v',b=3)` to the last segment (alternate keys):
    /// `.../crossTenantMigrationJobs` → `.../crossTenantMigrationJobs(displayName='x')`.
    ///
    /// A key that is an empty string names nothing: like an empty
    /// [`key`](Self::key), the path is marked invalid and sending it fails
    /// with [`super::Error::InvalidRequest`] before any network traffic.
    pub fn with_call_on_last(&self, args: &[(&str, ODataLiteral<'_>)]) -> Self {
        let mut next = self.with_arguments(args);
        if let Some((name, _)) = args
            .iter()
            .find(|(_, lit)| matches!(lit, ODataLiteral::String(s) if s.is_empty()))
        {
            next.invalid
                .get_or_insert_with(|| format!("alternate key {name:?} is empty"));
        }
        next
    }

    /// `(a='v',b=3)` appended to the last segment. A timestamp kept as
    /// received because it is none (`2025-7-18T09:08:04.451Z`) would go out
    /// unquoted as text: the path is marked invalid instead.
    fn with_arguments(&self, args: &[(&str, ODataLiteral<'_>)]) -> Self {
        let mut next = self.clone();
        if let Some((name, ODataLiteral::DateTimeOffset(t))) = args
            .iter()
            .find(|(_, lit)| matches!(lit, ODataLiteral::DateTimeOffset(t) if t.value().is_err()))
        {
            next.invalid
                .get_or_insert_with(|| format!("argument {name:?} is not a timestamp: {t}"));
        }
        next.path.push('(');
        next.template.push('(');
        for (i, (name, lit)) in args.iter().enumerate() {
            if i > 0 {
                next.path.push(',');
                next.template.push(',');
            }
            let name_enc = utf8_percent_encode(name, SEGMENT).to_string();
            next.path.push_str(&name_enc);
            next.path.push('=');
            next.path.push_str(&encode_odata_literal(lit));
            next.template.push_str(&name_enc);
            next.template.push('=');
            match lit {
                ODataLiteral::String(_) => {
                    next.template.push_str(&format!("'{{{name_enc}}}'"));
                }
                _ => next.template.push_str(&format!("{{{name_enc}}}")),
            }
        }
        next.path.push(')');
        next.template.push(')');
        next
    }

    /// The encoded path, e.g. `/solutions/migrations/crossTenantMigrationJobs/abc`.
    pub fn as_str(&self) -> &str {
        &self.path
    }

    /// The template, e.g. `/solutions/migrations/crossTenantMigrationJobs/{crossTenantMigrationJob-id}`.
    pub fn template(&self) -> &str {
        &self.template
    }

    /// Why this path cannot be sent, if it cannot.
    pub fn invalid_reason(&self) -> Option<&str> {
        self.invalid.as_deref()
    }
}

impl fmt::Display for RequestPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_paths_and_templates() {
        let p = RequestPath::root()
            .segment("solutions")
            .segment("migrations")
            .segment("crossTenantMigrationJobs")
            .key("crossTenantMigrationJob-id", "abc");
        assert_eq!(
            p.as_str(),
            "/solutions/migrations/crossTenantMigrationJobs/abc"
        );
        assert_eq!(
            p.template(),
            "/solutions/migrations/crossTenantMigrationJobs/{crossTenantMigrationJob-id}"
        );
        let c = RequestPath::root().call(
            "getByUserPrincipalName",
            &[
                ("upn", ODataLiteral::String("o'neil@x.com")),
                ("n", ODataLiteral::Int(3)),
            ],
        );
        assert_eq!(
            c.as_str(),
            "/getByUserPrincipalName(upn='o%27%27neil%40x.com',n=3)"
        );
        assert_eq!(c.template(), "/getByUserPrincipalName(upn='{upn}',n={n})");
        assert_eq!(RequestPath::root().call("f", &[]).as_str(), "/f()");
        let a = RequestPath::root()
            .segment("jobs")
            .with_call_on_last(&[("displayName", "x".into())]);
        assert_eq!(a.as_str(), "/jobs(displayName='x')");
        assert_eq!(a.template(), "/jobs(displayName='{displayName}')");
    }

    #[test]
    fn typed_literals_are_bare_and_encoded() {
        use crate::runtime::edm::{Date, DateTimeOffset};
        let date: Date = "2026-07-09".parse().unwrap();
        let at: DateTimeOffset = "2026-07-09T10:30:00+02:00".parse().unwrap();
        let guid: uuid::Uuid = "0b9e1b4c-3c9a-4a55-9a43-5c8b5d0f6a01".parse().unwrap();
        let path = RequestPath::root().call(
            "find",
            &[
                ("top", ODataLiteral::from(5i32)),
                ("small", ODataLiteral::from(-3i8)),
                ("flag", ODataLiteral::from(false)),
                ("ref", ODataLiteral::from(guid)),
                ("day", ODataLiteral::from(date)),
                ("at", ODataLiteral::from(at)),
                ("name", ODataLiteral::from("o'k")),
            ],
        );
        assert_eq!(
            path.as_str(),
            "/find(top=5,small=-3,flag=false,ref=0b9e1b4c-3c9a-4a55-9a43-5c8b5d0f6a01,\
             day=2026-07-09,at=2026-07-09T10%3A30%3A00%2B02%3A00,name='o%27%27k')"
        );
        assert_eq!(
            path.template(),
            "/find(top={top},small={small},flag={flag},ref={ref},day={day},at={at},name='{name}')"
        );
        assert!(path.invalid_reason().is_none());
    }

    #[test]
    fn literal_round_trip() {
        for s in [
            "",
            "'",
            "''",
            "a'b",
            "%27",
            "../x?y#z",
            "ünï©ødé 😀",
            "a%2Fb",
        ] {
            let enc = encode_odata_literal(&ODataLiteral::String(s));
            assert_eq!(
                decode_odata_string_literal(&enc).as_deref(),
                Some(s),
                "{enc}"
            );
            let inner = &enc[1..enc.len() - 1];
            assert!(!inner.contains('\''), "{enc}");
            assert_eq!(
                decode_path_segment(&encode_path_segment(s)).as_deref(),
                Some(s)
            );
        }
    }
}
