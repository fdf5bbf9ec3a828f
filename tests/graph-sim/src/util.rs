//! Small helpers for reading request bodies.

use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::error::{GResult, GraphError};
use crate::odata::parse_datetime;

/// True for a hyphenated GUID (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`).
pub(crate) fn is_guid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::parse_str(s).is_ok()
}

/// 400 for a property that the type doesn't define (annotations are allowed).
pub(crate) fn check_props(
    body: &Map<String, Value>,
    allowed: &[&str],
    type_name: &str,
) -> GResult<()> {
    for k in body.keys() {
        if k.contains('@') {
            continue;
        }
        if !allowed.iter().any(|a| a == k) {
            return Err(GraphError::bad_request(format!(
                "The property '{k}' does not exist on type 'microsoft.graph.{type_name}'. Make sure to only use property names that are defined by the type."
            )));
        }
    }
    Ok(())
}

/// An optional string property (`null` counts as absent).
pub(crate) fn opt_str(body: &Map<String, Value>, key: &str) -> GResult<Option<String>> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(GraphError::bad_request(format!(
            "Invalid value for property '{key}': a string is expected."
        ))),
    }
}

/// An optional, non-empty string property.
pub(crate) fn opt_nonempty(body: &Map<String, Value>, key: &str) -> GResult<Option<String>> {
    Ok(opt_str(body, key)?.filter(|s| !s.trim().is_empty()))
}

/// A required string property (400 naming it otherwise).
pub(crate) fn req_str(body: &Map<String, Value>, key: &str) -> GResult<String> {
    opt_nonempty(body, key)?.ok_or_else(|| GraphError::missing_param(key))
}

/// An optional `Edm.DateTimeOffset` property.
pub(crate) fn opt_datetime(
    body: &Map<String, Value>,
    key: &str,
) -> GResult<Option<OffsetDateTime>> {
    match opt_str(body, key)? {
        None => Ok(None),
        Some(s) => parse_datetime(&s).map(Some).ok_or_else(|| {
            GraphError::bad_request(format!(
                "Invalid value '{s}' for property '{key}': an ISO 8601 date and time with offset is expected."
            ))
        }),
    }
}

/// An optional array of strings.
pub(crate) fn opt_str_array(body: &Map<String, Value>, key: &str) -> GResult<Option<Vec<String>>> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str().map(str::to_string).ok_or_else(|| {
                    GraphError::bad_request(format!(
                        "Invalid value for property '{key}': a collection of strings is expected."
                    ))
                })
            })
            .collect::<GResult<Vec<_>>>()
            .map(Some),
        Some(_) => Err(GraphError::bad_request(format!(
            "Invalid value for property '{key}': a collection of strings is expected."
        ))),
    }
}

/// An optional object property.
pub(crate) fn opt_object<'a>(
    body: &'a Map<String, Value>,
    key: &str,
) -> GResult<Option<&'a Map<String, Value>>> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(GraphError::bad_request(format!(
            "Invalid value for property '{key}': an object is expected."
        ))),
    }
}

/// Normalizes an enum member case-insensitively to the schema's spelling.
pub(crate) fn enum_member(
    value: &str,
    members: &[&'static str],
    property: &str,
) -> GResult<&'static str> {
    members
        .iter()
        .find(|m| m.eq_ignore_ascii_case(value.trim()))
        .copied()
        .ok_or_else(|| {
            GraphError::bad_request(format!(
                "Invalid value '{value}' for property '{property}'. The possible values are: {}.",
                members.join(", ")
            ))
        })
}

/// Removes `null` members from an object (Graph omits unset properties).
pub(crate) fn without_nulls(m: &Map<String, Value>) -> Map<String, Value> {
    m.iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Organization name of a SharePoint host or URL: `https://contoso-my.sharepoint.com/x` → `contoso`.
pub(crate) fn org_name(host_or_url: &str) -> String {
    let s = host_or_url.trim();
    let s = s.split_once("://").map(|(_, rest)| rest).unwrap_or(s);
    let host = s.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    let first = host.split('.').next().unwrap_or("").to_ascii_lowercase();
    for suffix in ["-my", "-admin"] {
        if let Some(base) = first.strip_suffix(suffix) {
            return base.to_string();
        }
    }
    first
}

/// A URL compared case-insensitively and without a trailing slash.
pub(crate) fn norm_url(url: &str) -> String {
    url.trim().trim_end_matches('/').to_ascii_lowercase()
}
