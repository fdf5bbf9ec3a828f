//! Lexical checks and conversions of attribute values and element text.

use std::borrow::Cow;

/// `"true"` or `"false"`, as CSDL spells booleans.
pub(super) fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// A CSDL SimpleIdentifier: a letter or `_`, then letters, digits or `_`.
pub(super) fn is_simple_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c == '_' || c.is_alphabetic() => {}
        _ => return false,
    }
    chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// Dot-separated simple identifiers, at least `min_segments` of them.
pub(super) fn is_dotted(s: &str, min_segments: usize) -> bool {
    let mut count = 0;
    for segment in s.split('.') {
        if !is_simple_identifier(segment) {
            return false;
        }
        count += 1;
    }
    count >= min_segments
}

/// A qualified name: `Namespace.Name` or `Alias.Name`.
pub(super) fn is_qualified_name(s: &str) -> bool {
    is_dotted(s, 2)
}

/// Splits `Collection(X)` into `(true, "X")` and `X` into `(false, "X")`,
/// or says what is wrong with the reference.
pub(super) fn parse_type_ref(s: &str) -> Result<(bool, &str), String> {
    let (collection, name) = match s.strip_prefix("Collection(") {
        Some(rest) => match rest.strip_suffix(')') {
            Some(inner) => (true, inner),
            None => return Err(format!("malformed type reference \"{s}\": expected \")\"")),
        },
        None => (false, s),
    };
    if collection && name.is_empty() {
        return Err(format!(
            "malformed type reference \"{s}\": expected a type name inside Collection(...)"
        ));
    }
    if collection && name.starts_with("Collection(") {
        return Err(format!(
            "malformed type reference \"{s}\": collections cannot be nested"
        ));
    }
    if !is_qualified_name(name) {
        let what = if name.contains('(') || name.contains(')') {
            "expected a qualified type name or Collection(...)"
        } else {
            "expected a qualified type name such as Edm.String or Namespace.Type"
        };
        return Err(format!("malformed type reference \"{s}\": {what}"));
    }
    Ok((collection, name))
}

/// Non-negative decimal digits that fit a `u32`.
pub(super) fn parse_u32(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

pub(super) fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// An XML Schema double: decimal or exponent notation, `INF`, `-INF`, `NaN`.
pub(super) fn is_float(s: &str) -> bool {
    if matches!(s, "INF" | "-INF" | "+INF" | "NaN") {
        return true;
    }
    is_number(s, true)
}

/// A decimal: an optional sign, digits, an optional fraction (and, as OData
/// 4.01 allows, an exponent).
pub(super) fn is_decimal(s: &str) -> bool {
    is_float(s)
}

fn is_number(s: &str, exponent: bool) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - frac_start;
    }
    if digits == 0 {
        return false;
    }
    if exponent && i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

/// The replacement of a `&name;` reference: the five predefined entities and
/// character references. Anything else would need a DTD, which is refused.
pub(super) fn resolve_entity(name: &str) -> Result<char, String> {
    match name {
        "lt" => return Ok('<'),
        "gt" => return Ok('>'),
        "amp" => return Ok('&'),
        "apos" => return Ok('\''),
        "quot" => return Ok('"'),
        _ => {}
    }
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix('x') {
            Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                u32::from_str_radix(hex, 16).ok()
            }
            Some(_) => None,
            None if is_digits(num) => num.parse().ok(),
            None => None,
        };
        return match code.and_then(char::from_u32) {
            Some(c) if is_xml_char(c) => Ok(c),
            _ => Err(format!(
                "invalid character reference \"&{}\": expected the code of a character allowed in XML",
                excerpt(&format!("{name};"), 20)
            )),
        };
    }
    Err(format!(
        "unknown entity reference \"&{}\": expected &lt;, &gt;, &amp;, &apos;, &quot; or a character reference",
        excerpt(&format!("{name};"), 40)
    ))
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// An attribute value with entities resolved and whitespace normalised as
/// XML prescribes (tab, newline and carriage return become spaces, a CRLF
/// pair one space). Borrows when there is nothing to replace.
pub(super) fn decode_attr(raw: &str) -> Result<Cow<'_, str>, String> {
    if !raw
        .bytes()
        .any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'))
    {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find(['&', '\t', '\n', '\r']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix('&') {
            let Some(semi) = after.find(';') else {
                return Err(format!(
                    "unterminated entity reference \"{}\": expected \";\"",
                    excerpt(tail, 20)
                ));
            };
            out.push(resolve_entity(&after[..semi])?);
            rest = &after[semi + 1..];
        } else {
            out.push(' ');
            rest = match tail.strip_prefix("\r\n") {
                Some(r) => r,
                None => &tail[1..],
            };
        }
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// Element text with line ends normalised (`\r\n` and `\r` to `\n`).
pub(super) fn normalize_newlines(s: &str) -> Cow<'_, str> {
    if s.contains('\r') {
        Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(s)
    }
}

/// At most `max` characters of `s`, with an ellipsis if cut, for messages.
pub(super) fn excerpt(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}...", &s[..cut]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_refs() {
        assert_eq!(parse_type_ref("Edm.String"), Ok((false, "Edm.String")));
        assert_eq!(
            parse_type_ref("Collection(graph.user)"),
            Ok((true, "graph.user"))
        );
        assert!(parse_type_ref("Collection(graph.user").is_err());
        assert!(parse_type_ref("Collection()").is_err());
        assert!(parse_type_ref("Collection(Collection(a.b))").is_err());
        assert!(parse_type_ref("user").is_err());
        assert!(parse_type_ref("").is_err());
        assert!(parse_type_ref("a..b").is_err());
        assert!(parse_type_ref("a.b)").is_err());
    }

    #[test]
    fn numbers() {
        for ok in [
            "1", "-1.5", "+.5", "5.", "1e10", "1.5E-3", "INF", "-INF", "NaN",
        ] {
            assert!(is_float(ok), "{ok}");
        }
        for bad in ["", ".", "e5", "1e", "abc", "1.2.3", "inf", "0x10", "1 "] {
            assert!(!is_float(bad), "{bad}");
        }
    }

    #[test]
    fn attribute_decoding() {
        assert_eq!(decode_attr("plain").unwrap(), "plain");
        assert_eq!(decode_attr("a&lt;b&#x41;&#66;").unwrap(), "a<bAB");
        assert_eq!(decode_attr("a\r\nb\tc").unwrap(), "a b c");
        assert!(decode_attr("&lol;").is_err());
        assert!(decode_attr("&amp").is_err());
        assert!(decode_attr("&#0;").is_err());
        assert!(decode_attr("&#xD800;").is_err());
    }

    #[test]
    fn identifiers() {
        assert!(is_simple_identifier("_a1"));
        assert!(is_simple_identifier("émile"));
        assert!(!is_simple_identifier("1a"));
        assert!(!is_simple_identifier("a b"));
        assert!(!is_simple_identifier(""));
        assert!(is_dotted("microsoft.graph", 1));
        assert!(is_dotted("graph", 1));
        assert!(!is_dotted("graph.", 1));
    }
}
