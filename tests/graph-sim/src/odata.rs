//! OData URL conventions: path segments and key literals, query options
//! (`$filter`, `$orderby`, `$select`, `$top`, `$skip`, `$skiptoken`, `$count`)
//! and collection responses with server-driven paging.

use std::cmp::Ordering;

use http::StatusCode;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::error::{GResult, GraphError};
use crate::request::{Req, Resp};

// ---------------------------------------------------------------------------
// Path segments

/// Splits a raw (percent-encoded) path into raw segments. A `/` inside a
/// parenthesised, single-quoted literal (`('a/b')`) does not split, whether the
/// quotes and parentheses are literal or percent-encoded.
pub(crate) fn split_raw_path(raw: &str) -> Vec<&str> {
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut in_quote = false;
    let mut start = 0usize;
    let mut i = 0usize;
    while i < bytes.len() {
        let (tok, len) = if bytes[i] == b'%' && i + 3 <= bytes.len() {
            match (bytes[i + 1], bytes[i + 2].to_ascii_uppercase()) {
                (b'2', b'7') => (b'\'', 3),
                (b'2', b'8') => (b'(', 3),
                (b'2', b'9') => (b')', 3),
                _ => (b'%', 1),
            }
        } else {
            (bytes[i], 1)
        };
        if in_quote {
            if tok == b'\'' {
                in_quote = false;
            }
        } else {
            match tok {
                b'\'' if depth > 0 => in_quote = true,
                b'(' => depth += 1,
                b')' => depth = depth.saturating_sub(1),
                b'/' if depth == 0 => {
                    out.push(&raw[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        i += len;
    }
    out.push(&raw[start..]);
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

/// Percent-decodes a path segment (a `+` stays a plus).
pub(crate) fn decode_segment(raw: &str) -> GResult<String> {
    percent_decode_str(raw)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| {
            GraphError::bad_request(format!("The path segment '{raw}' is not valid UTF-8."))
        })
}

/// One argument inside parentheses: `name=value` or a bare `value`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Arg {
    pub name: Option<String>,
    pub value: String,
}

/// A decoded path segment: `name` or `name(args)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Segment {
    pub name: String,
    pub args: Option<Vec<Arg>>,
}

impl Segment {
    /// Case-insensitive name comparison that also accepts the
    /// `microsoft.graph.` namespace qualifier.
    pub(crate) fn is(&self, name: &str) -> bool {
        let n = self.name.as_str();
        let n = strip_prefix_ci(n, "microsoft.graph.").unwrap_or(n);
        n.eq_ignore_ascii_case(name)
    }

    pub(crate) fn plain(&self, name: &str) -> bool {
        self.args.is_none() && self.is(name)
    }

    /// A key given in parentheses: `('v')`, `(v)` or `(name='v')`.
    pub(crate) fn key(&self) -> Option<(Option<&str>, &str)> {
        match self.args.as_deref() {
            Some([arg]) => Some((arg.name.as_deref(), arg.value.as_str())),
            _ => None,
        }
    }
}

pub(crate) fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
    {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

/// Parses a decoded segment such as `crossTenantMigrationJobs(displayName='a''b')`.
pub(crate) fn parse_segment(decoded: &str) -> GResult<Segment> {
    let Some(open) = decoded.find('(') else {
        return Ok(Segment {
            name: decoded.to_string(),
            args: None,
        });
    };
    if !decoded.ends_with(')') {
        return Err(GraphError::bad_request(format!(
            "The path segment '{decoded}' has unbalanced parentheses."
        )));
    }
    let name = decoded[..open].to_string();
    let inner: Vec<char> = decoded[open + 1..decoded.len() - 1].chars().collect();
    let mut args = Vec::new();
    let mut i = 0usize;
    let bad = || {
        GraphError::bad_request(format!(
            "The key or parameter list in '{decoded}' is not valid OData syntax."
        ))
    };
    let skip_ws = |i: &mut usize| {
        while *i < inner.len() && inner[*i].is_whitespace() {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    if i == inner.len() {
        return Ok(Segment {
            name,
            args: Some(args),
        });
    }
    loop {
        skip_ws(&mut i);
        // Optional `name=` prefix.
        let mut arg_name = None;
        if i < inner.len() && inner[i] != '\'' {
            let mut j = i;
            while j < inner.len()
                && (inner[j].is_alphanumeric() || inner[j] == '_' || inner[j] == '.')
            {
                j += 1;
            }
            let mut k = j;
            while k < inner.len() && inner[k].is_whitespace() {
                k += 1;
            }
            if j > i && k < inner.len() && inner[k] == '=' {
                arg_name = Some(inner[i..j].iter().collect::<String>());
                i = k + 1;
                skip_ws(&mut i);
            }
        }
        // Value.
        let value = if i < inner.len() && inner[i] == '\'' {
            i += 1;
            let mut s = String::new();
            loop {
                if i >= inner.len() {
                    return Err(bad());
                }
                if inner[i] == '\'' {
                    if i + 1 < inner.len() && inner[i + 1] == '\'' {
                        s.push('\'');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                s.push(inner[i]);
                i += 1;
            }
            s
        } else {
            let start = i;
            while i < inner.len() && inner[i] != ',' {
                i += 1;
            }
            let v: String = inner[start..i]
                .iter()
                .collect::<String>()
                .trim()
                .to_string();
            if v.is_empty() {
                return Err(bad());
            }
            v
        };
        args.push(Arg {
            name: arg_name,
            value,
        });
        skip_ws(&mut i);
        if i >= inner.len() {
            break;
        }
        if inner[i] == ',' {
            i += 1;
            continue;
        }
        return Err(bad());
    }
    Ok(Segment {
        name,
        args: Some(args),
    })
}

// ---------------------------------------------------------------------------
// Query string

/// Decodes a query string into `(name, value)` pairs (`+` is a space).
pub(crate) fn parse_query(raw: Option<&str>) -> Vec<(String, String)> {
    let Some(raw) = raw else { return Vec::new() };
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_query_part(k), decode_query_part(v))
        })
        .collect()
}

fn decode_query_part(s: &str) -> String {
    let replaced = s.replace('+', " ");
    percent_decode_str(&replaced)
        .decode_utf8_lossy()
        .into_owned()
}

const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$')
    .remove(b',')
    .remove(b'/');

pub(crate) fn encode_query_part(s: &str) -> String {
    utf8_percent_encode(s, QUERY_VALUE).to_string()
}

// ---------------------------------------------------------------------------
// $filter

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Comma,
    Str(String),
    Word(String),
}

fn tokenize(s: &str) -> GResult<Vec<Tok>> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1;
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1;
            }
            '\'' => {
                i += 1;
                let mut v = String::new();
                loop {
                    if i >= chars.len() {
                        return Err(filter_error("unterminated string literal"));
                    }
                    if chars[i] == '\'' {
                        if i + 1 < chars.len() && chars[i + 1] == '\'' {
                            v.push('\'');
                            i += 2;
                            continue;
                        }
                        i += 1;
                        break;
                    }
                    v.push(chars[i]);
                    i += 1;
                }
                out.push(Tok::Str(v));
            }
            _ => {
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !matches!(chars[i], '(' | ')' | ',' | '\'')
                {
                    i += 1;
                }
                out.push(Tok::Word(chars[start..i].iter().collect()));
            }
        }
    }
    Ok(out)
}

fn filter_error(detail: &str) -> GraphError {
    GraphError::bad_request(format!("Invalid filter clause: {detail}."))
}

#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Path(Vec<String>),
    Lit(Value),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum CmpOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, PartialEq)]
enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    Cmp(Operand, CmpOp, Operand),
    In(Operand, Vec<Operand>),
    Func(String, Operand, Operand),
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn peek_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(x)) if x.eq_ignore_ascii_case(w))
    }

    fn expect(&mut self, t: Tok) -> GResult<()> {
        match self.next() {
            Some(x) if x == t => Ok(()),
            _ => Err(filter_error(&format!("expected {t:?}"))),
        }
    }

    fn or(&mut self) -> GResult<Filter> {
        let mut left = self.and()?;
        while self.peek_word("or") {
            self.pos += 1;
            let right = self.and()?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> GResult<Filter> {
        let mut left = self.unary()?;
        while self.peek_word("and") {
            self.pos += 1;
            let right = self.unary()?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> GResult<Filter> {
        if self.peek_word("not") {
            self.pos += 1;
            return Ok(Filter::Not(Box::new(self.unary()?)));
        }
        if self.peek() == Some(&Tok::LParen) {
            self.pos += 1;
            let inner = self.or()?;
            self.expect(Tok::RParen)?;
            return Ok(inner);
        }
        // Function call?
        if let (Some(Tok::Word(w)), Some(Tok::LParen)) =
            (self.toks.get(self.pos), self.toks.get(self.pos + 1))
        {
            let f = w.to_ascii_lowercase();
            if matches!(f.as_str(), "startswith" | "endswith" | "contains") {
                self.pos += 2;
                let a = self.operand()?;
                self.expect(Tok::Comma)?;
                let b = self.operand()?;
                self.expect(Tok::RParen)?;
                return Ok(Filter::Func(f, a, b));
            }
            return Err(filter_error(&format!("unsupported function '{w}'")));
        }
        let left = self.operand()?;
        let op = match self.next() {
            Some(Tok::Word(w)) => w.to_ascii_lowercase(),
            _ => return Err(filter_error("expected a comparison operator")),
        };
        if op == "in" {
            self.expect(Tok::LParen)?;
            let mut items = vec![self.operand()?];
            while self.peek() == Some(&Tok::Comma) {
                self.pos += 1;
                items.push(self.operand()?);
            }
            self.expect(Tok::RParen)?;
            return Ok(Filter::In(left, items));
        }
        let op = match op.as_str() {
            "eq" => CmpOp::Eq,
            "ne" => CmpOp::Ne,
            "gt" => CmpOp::Gt,
            "ge" => CmpOp::Ge,
            "lt" => CmpOp::Lt,
            "le" => CmpOp::Le,
            other => return Err(filter_error(&format!("unsupported operator '{other}'"))),
        };
        let right = self.operand()?;
        Ok(Filter::Cmp(left, op, right))
    }

    fn operand(&mut self) -> GResult<Operand> {
        match self.next() {
            Some(Tok::Str(s)) => Ok(Operand::Lit(Value::String(s))),
            Some(Tok::Word(w)) => {
                let lw = w.to_ascii_lowercase();
                if lw == "true" {
                    return Ok(Operand::Lit(Value::Bool(true)));
                }
                if lw == "false" {
                    return Ok(Operand::Lit(Value::Bool(false)));
                }
                if lw == "null" {
                    return Ok(Operand::Lit(Value::Null));
                }
                let first = w.chars().next().unwrap_or(' ');
                if first.is_ascii_digit() || first == '-' {
                    if let Ok(n) = w.parse::<f64>() {
                        return Ok(Operand::Lit(json!(n)));
                    }
                    // Unquoted GUID or date/time literal.
                    return Ok(Operand::Lit(Value::String(w)));
                }
                if w.chars().any(|c| c.is_whitespace())
                    || w.contains('/') && w.split('/').any(|p| p.is_empty())
                {
                    return Err(filter_error(&format!("invalid property path '{w}'")));
                }
                Ok(Operand::Path(w.split('/').map(str::to_string).collect()))
            }
            _ => Err(filter_error("expected a property or a literal")),
        }
    }
}

fn lookup<'a>(entity: &'a Value, path: &[String]) -> Option<&'a Value> {
    let mut cur = entity;
    for p in path {
        let obj = cur.as_object()?;
        cur = obj.get(p.as_str()).or_else(|| {
            obj.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(p))
                .map(|(_, v)| v)
        })?;
    }
    Some(cur)
}

fn eval_operand(entity: &Value, o: &Operand) -> Value {
    match o {
        Operand::Lit(v) => v.clone(),
        Operand::Path(p) => lookup(entity, p).cloned().unwrap_or(Value::Null),
    }
}

fn parse_dt(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

fn order_values(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64()?.partial_cmp(&y.as_f64()?),
        (Value::String(x), Value::String(y)) => match (parse_dt(x), parse_dt(y)) {
            (Some(dx), Some(dy)) => Some(dx.cmp(&dy)),
            _ => Some(x.to_lowercase().cmp(&y.to_lowercase())),
        },
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Null, Value::Null) => Some(Ordering::Equal),
        (Value::Null, _) => Some(Ordering::Less),
        (_, Value::Null) => Some(Ordering::Greater),
        _ => None,
    }
}

fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => {
            x.eq_ignore_ascii_case(y)
                || matches!((parse_dt(x), parse_dt(y)), (Some(p), Some(q)) if p == q)
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn eval(entity: &Value, f: &Filter) -> bool {
    match f {
        Filter::And(a, b) => eval(entity, a) && eval(entity, b),
        Filter::Or(a, b) => eval(entity, a) || eval(entity, b),
        Filter::Not(a) => !eval(entity, a),
        Filter::Cmp(l, op, r) => {
            let (a, b) = (eval_operand(entity, l), eval_operand(entity, r));
            match op {
                CmpOp::Eq => values_equal(&a, &b),
                CmpOp::Ne => !values_equal(&a, &b),
                _ => {
                    if a.is_null() || b.is_null() {
                        return false;
                    }
                    match order_values(&a, &b) {
                        Some(o) => match op {
                            CmpOp::Gt => o == Ordering::Greater,
                            CmpOp::Ge => o != Ordering::Less,
                            CmpOp::Lt => o == Ordering::Less,
                            CmpOp::Le => o != Ordering::Greater,
                            _ => false,
                        },
                        None => false,
                    }
                }
            }
        }
        Filter::In(l, items) => {
            let a = eval_operand(entity, l);
            items
                .iter()
                .any(|i| values_equal(&a, &eval_operand(entity, i)))
        }
        Filter::Func(name, l, r) => {
            let (a, b) = (eval_operand(entity, l), eval_operand(entity, r));
            let (Some(a), Some(b)) = (a.as_str(), b.as_str()) else {
                return false;
            };
            let (a, b) = (a.to_lowercase(), b.to_lowercase());
            match name.as_str() {
                "startswith" => a.starts_with(&b),
                "endswith" => a.ends_with(&b),
                "contains" => a.contains(&b),
                _ => false,
            }
        }
    }
}

fn parse_filter(s: &str) -> GResult<Filter> {
    let toks = tokenize(s)?;
    if toks.is_empty() {
        return Err(filter_error("the expression is empty"));
    }
    let mut p = Parser { toks, pos: 0 };
    let f = p.or()?;
    if p.pos != p.toks.len() {
        return Err(filter_error("unexpected text after the expression"));
    }
    Ok(f)
}

/// The request's `$filter` as a predicate (true for every entity without one).
pub(crate) fn filter_predicate(req: &Req) -> GResult<impl Fn(&Value) -> bool> {
    let f = req.query_opt("$filter").map(parse_filter).transpose()?;
    Ok(move |e: &Value| f.as_ref().is_none_or(|f| eval(e, f)))
}

/// Keeps the entities that match the request's `$filter`, if any.
pub(crate) fn apply_filter(req: &Req, items: Vec<Value>) -> GResult<Vec<Value>> {
    let keep = filter_predicate(req)?;
    Ok(items.into_iter().filter(|e| keep(e)).collect())
}

/// One `$orderby` key: a property path and whether it sorts descending.
pub(crate) type OrderKey = (Vec<String>, bool);

/// The request's `$orderby` keys (empty without `$orderby`).
pub(crate) fn orderby_keys(req: &Req) -> GResult<Vec<OrderKey>> {
    let Some(spec) = req.query_opt("$orderby") else {
        return Ok(Vec::new());
    };
    let mut keys = Vec::new();
    for part in spec.split(',') {
        let mut words = part.split_whitespace();
        let Some(path) = words.next() else {
            return Err(GraphError::bad_request("Invalid $orderby clause."));
        };
        let desc = match words.next().map(|w| w.to_ascii_lowercase()) {
            None => false,
            Some(w) if w == "asc" => false,
            Some(w) if w == "desc" => true,
            Some(_) => return Err(GraphError::bad_request("Invalid $orderby clause.")),
        };
        keys.push((path.split('/').map(str::to_string).collect(), desc));
    }
    Ok(keys)
}

/// The values an entity sorts by, one per key.
pub(crate) fn sort_values(keys: &[OrderKey], entity: &Value) -> Vec<Value> {
    keys.iter()
        .map(|(path, _)| lookup(entity, path).cloned().unwrap_or(Value::Null))
        .collect()
}

/// Compares two entities' sort values under `keys`.
pub(crate) fn compare_sort_values(keys: &[OrderKey], a: &[Value], b: &[Value]) -> Ordering {
    for ((_, desc), (va, vb)) in keys.iter().zip(a.iter().zip(b)) {
        let o = order_values(va, vb).unwrap_or(Ordering::Equal);
        let o = if *desc { o.reverse() } else { o };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// Applies `$select` to one entity: keeps the listed properties plus `id`
/// and `@odata.type` (and other annotations).
pub(crate) fn apply_select(req: &Req, value: Value) -> Value {
    let Some(sel) = req.query_opt("$select") else {
        return value;
    };
    let wanted: Vec<String> = sel
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if wanted.is_empty() || wanted.iter().any(|w| w == "*") {
        return value;
    }
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| {
                    k == "id"
                        || k.starts_with('@')
                        || req.expands(k)
                        || wanted.iter().any(|w| w.eq_ignore_ascii_case(k))
                })
                .collect(),
        ),
        other => other,
    }
}

/// An entity response: `$select` applied and `@odata.context` added.
pub(crate) fn entity(req: &Req, value: Value, context_fragment: &str) -> Resp {
    entity_with_status(req, StatusCode::OK, value, context_fragment)
}

pub(crate) fn entity_with_status(
    req: &Req,
    status: StatusCode,
    value: Value,
    context_fragment: &str,
) -> Resp {
    let mut v = apply_select(req, value);
    if let Value::Object(map) = &mut v {
        let mut out = Map::new();
        out.insert(
            "@odata.context".into(),
            Value::String(req.context(context_fragment)),
        );
        out.append(map);
        v = Value::Object(out);
    }
    Resp::json(status, v)
}

/// Formats a timestamp as Graph does: RFC 3339, UTC, `Z`, and at most seven
/// fractional digits (Graph keeps 100-nanosecond ticks, as in the documented
/// `2025-11-06T09:06:34.4773205Z`), so finer digits are truncated.
pub(crate) fn fmt_dt(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let ticks = t.nanosecond() / 100 * 100;
    let t = t.replace_nanosecond(ticks).unwrap_or(t);
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

/// Parses an `Edm.DateTimeOffset` value.
pub(crate) fn parse_datetime(s: &str) -> Option<OffsetDateTime> {
    parse_dt(s.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_quoted_slashes() {
        let p = "/solutions/sharePoint/migrations/crossOrganizationMigrationTasks/getBySourceSiteUrl(sourceSiteUrl='https://contoso.sharepoint.com/sites/IT')";
        let s = split_raw_path(p);
        assert_eq!(s.len(), 5);
        assert!(s[4].starts_with("getBySourceSiteUrl("));
        let enc = "/a/b%28x%3D%27a/b%27%29/c";
        assert_eq!(split_raw_path(enc), vec!["a", "b%28x%3D%27a/b%27%29", "c"]);
    }

    #[test]
    fn parses_literals() {
        let s = parse_segment("jobs(displayName='it''s, (odd)')").unwrap();
        assert_eq!(s.name, "jobs");
        assert_eq!(s.key(), Some((Some("displayName"), "it's, (odd)")));
        let s = parse_segment("users('abc')").unwrap();
        assert_eq!(s.key(), Some((None, "abc")));
        let s = parse_segment("users(abc)").unwrap();
        assert_eq!(s.key(), Some((None, "abc")));
        assert!(parse_segment("x('abc)").is_err());
    }

    #[test]
    fn filters() {
        let e = json!({"status": "completed", "displayName": "A", "n": 3, "parameters": {"sourceSiteUrl": "https://x/sites/IT"}});
        let t = |s: &str| eval(&e, &parse_filter(s).unwrap());
        assert!(t("status eq 'completed'"));
        assert!(t("status eq 'Completed' and displayName eq 'a'"));
        assert!(!t("status eq 'completed' and displayName eq 'b'"));
        assert!(t("status eq 'x' or n gt 2"));
        assert!(t("not (status eq 'x')"));
        assert!(t("parameters/sourceSiteUrl eq 'https://x/sites/IT'"));
        assert!(t("startswith(displayName,'a')"));
        assert!(t("status in ('failed','completed')"));
        assert!(parse_filter("status eq").is_err());
        assert!(parse_filter("status foo 'x'").is_err());
    }
}
