//! Collection responses with server-driven paging: `$count`, `$skip`, `$top`,
//! `$skiptoken` and an absolute `@odata.nextLink`.
//!
//! A continuation token is a keyset position, not an offset: it records the
//! sort values and the creation sequence number of the last item served, so a
//! next page starts right after that item whatever was created or deleted in
//! between (nothing is skipped or served twice). It is base64url-encoded JSON
//! and opaque to clients; a token for another `$orderby`, or one that doesn't
//! decode, is a 400.

use std::cmp::Ordering;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::error::{GResult, GraphError};
use crate::odata::{
    OrderKey, apply_filter, apply_select, compare_sort_values, encode_query_part, filter_predicate,
    orderby_keys, sort_values,
};
use crate::request::{Req, Resp};

/// A new creation sequence number: the collections' stable order.
pub(crate) fn next_seq() -> u64 {
    static SEQ: AtomicU64 = AtomicU64::new(1);
    SEQ.fetch_add(1, AtomicOrdering::Relaxed)
}

/// One collection member with its creation sequence number.
pub(crate) struct Keyed {
    pub seq: u64,
    pub value: Value,
}

impl Keyed {
    pub(crate) fn new(seq: u64, value: Value) -> Self {
        Self { seq, value }
    }
}

/// The position a continuation token stands for.
#[derive(Serialize, Deserialize)]
struct Token {
    /// The `$orderby` the token was issued for (empty: creation order).
    o: String,
    /// Sort values of the last item served.
    k: Vec<Value>,
    /// Its creation sequence number.
    s: u64,
}

fn encode_token(t: &Token) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(t).unwrap_or_default())
}

fn decode_token(raw: &str, orderby: &str) -> GResult<Token> {
    let invalid = || GraphError::bad_request("The $skiptoken is not valid.");
    let bytes = URL_SAFE_NO_PAD.decode(raw.trim()).map_err(|_| invalid())?;
    let t: Token = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if t.o != orderby {
        return Err(GraphError::bad_request(
            "The $skiptoken was issued for another $orderby; start again from the first page.",
        ));
    }
    Ok(t)
}

fn parse_usize_opt(req: &Req, name: &str) -> GResult<Option<usize>> {
    match req.query_opt(name) {
        None => Ok(None),
        Some(v) => v.trim().parse::<usize>().map(Some).map_err(|_| {
            GraphError::bad_request(format!(
                "Invalid value '{v}' for query option {name}: a non-negative integer is required."
            ))
        }),
    }
}

fn with_count(req: &Req) -> GResult<bool> {
    match req.query_opt("$count") {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(v) => Err(GraphError::bad_request(format!(
            "Invalid value '{v}' for query option $count: 'true' or 'false' is required."
        ))),
    }
}

/// A collection response: `$filter`, `$orderby` (ties in creation order),
/// `$count`, `$skiptoken` or `$skip`, `$top` (the page size, at most
/// `max_page`; `default_page` without it) and `$select`.
pub(crate) fn collection(
    req: &Req,
    items: Vec<Keyed>,
    context_fragment: &str,
    default_page: usize,
    max_page: usize,
) -> GResult<Resp> {
    let count = with_count(req)?;
    let keep = filter_predicate(req)?;
    let keys = orderby_keys(req)?;
    let orderby = req.query_opt("$orderby").unwrap_or("").to_string();
    let mut rows: Vec<(Vec<Value>, Keyed)> = items
        .into_iter()
        .filter(|k| keep(&k.value))
        .map(|k| (sort_values(&keys, &k.value), k))
        .collect();
    let order = |keys: &[OrderKey], a: (&[Value], u64), b: (&[Value], u64)| {
        compare_sort_values(keys, a.0, b.0).then(a.1.cmp(&b.1))
    };
    rows.sort_by(|a, b| order(&keys, (&a.0, a.1.seq), (&b.0, b.1.seq)));
    let total = rows.len();
    let start = match req.query_opt("$skiptoken") {
        Some(raw) => {
            let t = decode_token(raw, &orderby)?;
            rows.iter()
                .position(|r| order(&keys, (&r.0, r.1.seq), (&t.k, t.s)) == Ordering::Greater)
                .unwrap_or(total)
        }
        None => parse_usize_opt(req, "$skip")?.unwrap_or(0).min(total),
    };
    let page = parse_usize_opt(req, "$top")?
        .unwrap_or(default_page.max(1))
        .min(max_page.max(1));
    let end = start.saturating_add(page).min(total);
    let mut out = Map::new();
    out.insert(
        "@odata.context".into(),
        Value::String(req.context(context_fragment)),
    );
    if count {
        out.insert("@odata.count".into(), json!(total));
    }
    if end < total && end > start {
        let (k, last) = &rows[end - 1];
        let token = Token {
            o: orderby,
            k: k.clone(),
            s: last.seq,
        };
        out.insert(
            "@odata.nextLink".into(),
            Value::String(next_link(req, &encode_token(&token))),
        );
    }
    let page_items: Vec<Value> = rows
        .drain(start..end)
        .map(|(_, k)| apply_select(req, k.value))
        .collect();
    out.insert("value".into(), Value::Array(page_items));
    Ok(Resp::ok(Value::Object(out)))
}

/// The `/$count` segment: `text/plain` count of the (filtered) collection.
pub(crate) fn count(req: &Req, items: Vec<Value>) -> GResult<Resp> {
    let items = apply_filter(req, items)?;
    Ok(Resp::text(StatusCode::OK, items.len().to_string()))
}

fn next_link(req: &Req, token: &str) -> String {
    let mut parts: Vec<String> = req
        .query
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("$skip") && !k.eq_ignore_ascii_case("$skiptoken"))
        .map(|(k, v)| format!("{}={}", encode_query_part(k), encode_query_part(v)))
        .collect();
    parts.push(format!("$skiptoken={token}"));
    format!("{}{}?{}", req.origin, req.raw_path, parts.join("&"))
}
