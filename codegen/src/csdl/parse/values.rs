//! Lexical checks and conversions of attribute values and element text.

use std::borrow::Cow;

use swar::{HIGH, ONES, between};

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
    dotted_segments(s) == Some(1)
}

/// Dot-separated simple identifiers, at least `min_segments` of them.
pub(super) fn is_dotted(s: &str, min_segments: usize) -> bool {
    dotted_segments(s).is_some_and(|segments| segments >= min_segments)
}

/// Byte classes eight bytes at a time (SWAR), for bytes below 0x80: adding
/// `0x80 - lo` to such a byte sets its high bit exactly when it is at least
/// `lo`, without carrying into the next byte.
pub(super) mod swar {
    pub(in crate::csdl::parse) const ONES: u64 = 0x0101_0101_0101_0101;
    pub(in crate::csdl::parse) const HIGH: u64 = ONES * 0x80;

    /// The high bit of each byte that is at least `lo`.
    #[inline(always)]
    pub(in crate::csdl::parse) fn at_least(w: u64, lo: u8) -> u64 {
        w.wrapping_add(ONES * (0x80 - lo as u64)) & HIGH
    }

    /// The high bit of each byte in `lo..=hi`.
    #[inline(always)]
    pub(in crate::csdl::parse) fn between(w: u64, lo: u8, hi: u8) -> u64 {
        at_least(w, lo) & !at_least(w, hi + 1)
    }
}

/// The number of segments if `s` is dot-separated simple identifiers.
///
/// Eight bytes at a time ([`swar`]): each byte class is a few word-wide
/// additions and masks. Names with non-ASCII bytes take the slow path.
/// Kept by hand: `memchr` finds given bytes, not membership in byte
/// classes, so it has nothing to offer here.
fn dotted_segments(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    if bytes.is_empty() || bytes[bytes.len() - 1] == b'.' {
        return None;
    }
    let mut segments = 1;
    // High bits of the bytes that start a segment: the first byte, and
    // every byte after a dot (carried from one word to the next).
    let mut carry = 0x80u64;
    let mut chunks = bytes.chunks_exact(8);
    let mut check = |w: u64, present: u64| -> Option<()> {
        if w & HIGH != 0 {
            return None;
        }
        let letter = between(w | (ONES * 0x20), b'a', b'z');
        let digit = between(w, b'0', b'9');
        let underscore = between(w, b'_', b'_');
        // Dots among all the bytes of the word, for the segment starts
        // after them, and among the bytes being checked.
        let dots = between(w, b'.', b'.');
        let dot = dots & present;
        if (letter | digit | underscore | dot) & present != present {
            return None;
        }
        let starts = ((dots << 8) | carry) & present;
        if starts & (digit | dot) != 0 {
            return None;
        }
        // Few dots per name; a loop beats a software popcount (the
        // baseline x86-64 target has no POPCNT instruction).
        let mut dots = dot;
        while dots != 0 {
            segments += 1;
            dots &= dots - 1;
        }
        carry = (dot >> 56) & 0x80;
        Some(())
    };
    let mut ok = true;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        ok &= check(u64::from_le_bytes(word), HIGH).is_some();
        if !ok {
            break;
        }
    }
    let rest = chunks.remainder();
    if ok && !rest.is_empty() {
        if bytes.len() >= 8 {
            // The last eight bytes, of which the last `rest.len()` are new:
            // the byte before them is in the word (and the carry, for the
            // word's first byte, falls outside them).
            let mut word = [0u8; 8];
            word.copy_from_slice(&bytes[bytes.len() - 8..]);
            ok = check(u64::from_le_bytes(word), HIGH << (8 * (8 - rest.len()))).is_some();
        } else {
            let mut word = 0u64;
            for (i, &b) in rest.iter().enumerate() {
                word |= u64::from(b) << (8 * i);
            }
            ok = check(word, HIGH >> (8 * (8 - rest.len()))).is_some();
        }
    }
    if ok {
        return Some(segments);
    }
    if bytes.is_ascii() {
        None
    } else {
        unicode_segments(s)
    }
}

/// CSDL's SimpleIdentifier: a letter (`\p{L}`, `\p{Nl}`) or `_`, then
/// letters, digits, combining marks, connector punctuation (`\p{Pc}`) and
/// format characters (`\p{Cf}`).
fn unicode_segments(s: &str) -> Option<usize> {
    let mut segments = 0;
    for segment in s.split('.') {
        let mut chars = segment.chars();
        match chars.next() {
            Some(c) if c == '_' || c.is_alphabetic() => {}
            _ => return None,
        }
        if !chars.all(identifier_continue) {
            return None;
        }
        segments += 1;
    }
    Some(segments)
}

fn identifier_continue(c: char) -> bool {
    // XID_Continue holds letters, digits, marks and connector punctuation;
    // the format characters are listed (std and unicode-ident have no
    // general category lookup).
    // Not `is_alphanumeric`: that takes the other numbers (`²`, `①`,
    // `\p{No}`), which CSDL does not allow and no Rust name may hold.
    c.is_alphabetic()
        || unicode_ident::is_xid_continue(c)
        || matches!(
            c,
            '\u{AD}'
                | '\u{600}'..='\u{605}'
                | '\u{61C}'
                | '\u{6DD}'
                | '\u{70F}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// The length of an attribute value up to the closing `quote`, and whether
/// it holds anything to decode (`&`, tab, newline, carriage return).
/// Eight bytes at a time.
///
/// Kept by hand rather than `memchr`: values are short (tens of bytes), so
/// memchr's per-call set-up dominates, and the `&`/control-byte check needs
/// a second pass. Measured with `valgrind --tool=callgrind` on the parse
/// bench (`--once parse 5`, graph-beta.csdl): this function 20.5 M
/// instructions, `memchr` plus a vectorized fold over the value 26.3 M
/// (whole parse 347.1 M against 351.3 M).
#[inline]
pub(super) fn scan_value(bytes: &[u8], quote: u8) -> Option<(usize, bool)> {
    // The high bit of each byte of `x` that is zero, and possibly of bytes
    // above a zero byte (the borrow runs upwards). The lowest bit set is
    // always a zero byte, and a bit set below the first quote means a byte
    // to decode before it, which is all the scan asks.
    fn zeros(x: u64) -> u64 {
        x.wrapping_sub(ONES) & !x & HIGH
    }
    let quotes = ONES * quote as u64;
    let amps = ONES * b'&' as u64;
    let mut special = false;
    let mut at = 0;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let q = zeros(w ^ quotes);
        // `&`, or a byte below 0x20 (tab, newline, carriage return and
        // the control characters quick-xml lets through).
        let low = zeros(w & !0x1f1f_1f1f_1f1f_1f1f);
        let s = zeros(w ^ amps) | low;
        if q != 0 {
            let before = s & (q & q.wrapping_neg()).wrapping_sub(1);
            return Some((
                at + (q.trailing_zeros() / 8) as usize,
                special || before != 0,
            ));
        }
        special |= s != 0;
        at += 8;
    }
    for &b in chunks.remainder() {
        if b == quote {
            return Some((at, special));
        }
        special |= b == b'&' || b < 0x20;
        at += 1;
    }
    None
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
    fn dotted_segments_match_a_plain_definition() {
        fn reference(s: &str) -> Option<usize> {
            let mut n = 0;
            for segment in s.split('.') {
                let mut chars = segment.chars();
                match chars.next() {
                    Some(c) if c == '_' || c.is_alphabetic() => {}
                    _ => return None,
                }
                if !chars.all(|c| c == '_' || c.is_alphanumeric()) {
                    return None;
                }
                n += 1;
            }
            Some(n)
        }
        let cases = [
            "",
            ".",
            "a",
            "_",
            "1",
            "a1",
            "1a",
            "a.b",
            "a..b",
            "a.",
            ".a",
            "a.1b",
            "a.b1.c_d",
            "Edm.String",
            "microsoft.graph.user",
            "a b",
            "a-b",
            "a.b c",
            "é",
            "a.é1",
            "a.1é",
            "a\u{0}b",
            "graph.x(y)",
            "Collection(a.b)",
            "__.__",
            "a.b.",
            "x.y.z.w.v",
            "abcdefg.h",
            "abcdefgh.i",
            "abcdefgh.1",
            "abcdefg.1",
            "abcdefgh..i",
            "abcdefgh.",
            "microsoft.graph.crossTenantMigrationTask",
            "microsoft.graph.1x",
            "a_b_c_d_e_f_g_h_i",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ.abcdefghijklmnopqrstuvwxyz_0123456789",
            "a@b",
            "a[b",
            "a`b",
            "a{b",
            "a/b",
            "a:b",
            "a\u{7f}b",
            "abcdefgh\u{7f}",
            "émile.x",
            "abcdefghé",
            "abcdefgh 1",
            "1234567.a",
        ];
        for case in cases {
            assert_eq!(dotted_segments(case), reference(case), "{case:?}");
        }
        // Pseudo-random strings over the interesting bytes, every length up
        // to three words, so that dots and digits meet word boundaries.
        let alphabet = ['a', 'Z', '_', '0', '9', '.', '.', 'q', ' ', '`', 'é'];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 25) as usize;
            let case: String = (0..len)
                .map(|i| {
                    let r = (seed >> (i * 2 % 50)) as usize + i;
                    // Mostly letters, so that valid names are common.
                    if r.is_multiple_of(3) {
                        alphabet[r / 3 % alphabet.len()]
                    } else {
                        'x'
                    }
                })
                .collect();
            assert_eq!(dotted_segments(&case), reference(&case), "{case:?}");
        }
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
        assert!(!is_dotted(".graph", 1));
        assert!(!is_dotted("a.1b", 1));
        assert!(is_dotted("a.b1.émile", 3));
        assert!(!is_dotted("a.é-", 1));
        // Connector punctuation, combining marks and format characters
        // continue an identifier; none of them starts one.
        assert!(is_simple_identifier("a\u{203F}b"));
        assert!(is_simple_identifier("e\u{301}t\u{e9}"));
        assert!(is_simple_identifier("a\u{200D}b"));
        assert!(is_simple_identifier("名前"));
        assert!(is_simple_identifier("Ⅻ_roman"));
        assert!(!is_simple_identifier("\u{203F}b"));
        assert!(!is_simple_identifier("\u{301}b"));
    }

    #[test]
    fn value_scan() {
        for (text, expected) in [
            ("abc\"", Some((3, false))),
            ("\"", Some((0, false))),
            ("0123456789abcdef\"", Some((16, false))),
            ("0123456\"89abcdef\"", Some((7, false))),
            ("01234567&9abcdef\"", Some((16, true))),
            ("0123456\"&9abcdef\"", Some((7, false))),
            ("0\n23456789\"", Some((10, true))),
            ("a\tb\"", Some((3, true))),
            ("é\"", Some((2, false))),
            ("no end", None),
            ("no end, longer than eight", None),
        ] {
            assert_eq!(scan_value(text.as_bytes(), b'"'), expected, "{text:?}");
        }
        assert_eq!(scan_value(b"a\"b'", b'\''), Some((3, false)));
    }

    /// Against a plain definition, on every string of up to four bytes
    /// (placed at every offset of a word) over bytes next to the ones the
    /// scan looks for, where a borrow between bytes would show.
    #[test]
    fn value_scan_matches_a_plain_definition() {
        fn reference(bytes: &[u8], quote: u8) -> Option<(usize, bool)> {
            let end = bytes.iter().position(|&b| b == quote)?;
            Some((end, bytes[..end].iter().any(|&b| b == b'&' || b < 0x20)))
        }
        let alphabet = [
            b'a', b'"', b'#', b'\'', b'(', b'&', b'%', 0x00, 0x01, b'\n', b'!', 0x1f,
        ];
        let mut text = Vec::new();
        for len in 0..=4u32 {
            for mut n in 0..alphabet.len().pow(len) {
                for pad in 0..8 {
                    text.clear();
                    text.extend(std::iter::repeat_n(b'x', pad));
                    for _ in 0..len {
                        text.push(alphabet[n % alphabet.len()]);
                        n /= alphabet.len();
                    }
                    text.extend_from_slice(b"yy\"zz");
                    for quote in [b'"', b'\''] {
                        assert_eq!(
                            scan_value(&text, quote),
                            reference(&text, quote),
                            "{text:?} {quote}"
                        );
                    }
                }
            }
        }
    }
}
