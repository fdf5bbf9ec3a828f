//! Property tests (proptest) of path and OData literal encoding
//! (sdk/src/runtime/path.rs): for arbitrary strings, with quotes, slashes,
//! `?`, `#`, `%`, dot segments, controls and non-ASCII weighted in,
//!
//! - `encode_path_segment` / `decode_path_segment` and
//!   `encode_odata_literal` / `decode_odata_string_literal` round-trip;
//! - an encoded key is exactly one segment, and an encoded literal cannot
//!   close its quotes or parentheses, whatever URL parser reads them;
//! - the decoders never panic, and what they accept re-encodes to itself;
//! - integers, Booleans, GUIDs, dates and date-times are bare, made of
//!   unreserved characters and escapes only, and read back to their value.

use graph_migrations::runtime::{
    ODataLiteral, RequestPath, decode_odata_string_literal, decode_path_segment,
    encode_odata_literal, encode_path_segment,
};
use proptest::prelude::*;

/// Characters that matter to URLs and OData, weighted against arbitrary
/// Unicode scalar values.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(vec![
            '\'', '"', '/', '\\', '?', '#', '%', '&', '=', '+', ' ', '.', '(', ')', ',', ':', ';',
            '$', '@', '[', ']', '{', '}', '|', '^', '`', '<', '>', '*', '!', '~', '-', '_', '\0',
            '\t', '\n', '\r', '\u{7f}', '\u{85}', '\u{a0}', '\u{feff}', '\u{202e}', '\u{fffd}',
            'é', 'ß', 'İ', '€', '日', '😀', 'a', 'Z', '0', '9',
        ]),
        1 => any::<char>(),
    ]
}

fn hostile_string() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(hostile_char(), 0..40).prop_map(|v| v.into_iter().collect()),
        // Whole tokens that try to escape a segment or a literal.
        2 => prop::collection::vec(
            prop::sample::select(vec![
                "../", "..", ".", "%2e%2e", "%2F", "%25", "%27", "''", "'", "')", "?$top=1", "#x",
                "/users", "%00", "%", "%%", "%zz", "\\..\\", "$metadata", "@odata.nextLink",
                "'),f(x='", "\u{ff0f}", "\u{2215}",
            ]),
            0..8,
        )
        .prop_map(|v| v.concat()),
        1 => any::<String>(),
    ]
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 2_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const UNRESERVED: &[u8] = b"-._~";

proptest! {
    #![proptest_config(config())]

    #[test]
    fn path_segments_round_trip_and_stay_one_segment(s in hostile_string()) {
        let seg = encode_path_segment(&s);
        prop_assert!(
            seg.bytes().all(|b| b.is_ascii_alphanumeric() || UNRESERVED.contains(&b) || b == b'%'),
            "{seg}"
        );
        prop_assert_eq!(decode_path_segment(&seg), Some(s.clone()));
        // Through a URL parser: one segment, no query or fragment, the
        // encoded bytes kept verbatim (no normalisation of `.`/`..`, since
        // dots only ever appear next to other characters or are refused).
        let path = RequestPath::root().segment("jobs").key("id", &s).segment("users");
        let url = url::Url::parse(&format!("https://graph.microsoft.com/beta{}", path.as_str())).unwrap();
        prop_assert!(url.query().is_none() && url.fragment().is_none());
        prop_assert_eq!(url.host_str(), Some("graph.microsoft.com"));
        if s.is_empty() || s == "." || s == ".." {
            prop_assert!(path.invalid_reason().is_some());
        } else {
            prop_assert!(path.invalid_reason().is_none());
            let segs: Vec<&str> = url.path_segments().unwrap().collect();
            prop_assert_eq!(segs.len(), 4, "{}", url.path());
            prop_assert_eq!(segs[2], seg.as_str());
            prop_assert_eq!(url.path(), format!("/beta{}", path.as_str()));
        }
        prop_assert_eq!(path.template(), "/jobs/{id}/users");
    }

    #[test]
    fn string_literals_round_trip_and_stay_inside_their_quotes(s in hostile_string()) {
        let lit = encode_odata_literal(&ODataLiteral::String(&s));
        prop_assert!(lit.len() >= 2 && lit.starts_with('\'') && lit.ends_with('\''));
        let inner = &lit[1..lit.len() - 1];
        // Nothing inside can end the literal, the argument list or the segment.
        prop_assert!(
            inner.bytes().all(|b| b.is_ascii_alphanumeric() || UNRESERVED.contains(&b) || b == b'%'),
            "{lit}"
        );
        prop_assert_eq!(decode_odata_string_literal(&lit), Some(s.clone()));

        // Function call and alternate-key syntax, through a URL parser.
        let call = RequestPath::root()
            .segment("tasks")
            .call("getBySourceSiteUrl", &[("sourceSiteUrl", ODataLiteral::String(&s))]);
        let alt = RequestPath::root()
            .segment("jobs")
            .with_call_on_last(&[("displayName", ODataLiteral::String(&s))]);
        for (path, prefix, segments) in [
            (&call, "getBySourceSiteUrl(sourceSiteUrl=", 3),
            (&alt, "jobs(displayName=", 2),
        ] {
            let url = url::Url::parse(&format!("https://graph.microsoft.com/beta{}", path.as_str())).unwrap();
            prop_assert!(url.query().is_none() && url.fragment().is_none());
            let segs: Vec<&str> = url.path_segments().unwrap().collect();
            prop_assert_eq!(segs.len(), segments, "{}", url.path());
            let last = segs[segments - 1];
            let arg = last.strip_prefix(prefix).and_then(|a| a.strip_suffix(')'));
            prop_assert_eq!(arg, Some(lit.as_str()));
            prop_assert_eq!(last.matches('(').count(), 1);
            prop_assert_eq!(last.matches('\'').count(), 2);
        }
        prop_assert_eq!(
            call.template(),
            "/tasks/getBySourceSiteUrl(sourceSiteUrl='{sourceSiteUrl}')"
        );
        prop_assert_eq!(alt.template(), "/jobs(displayName='{displayName}')");
    }

    #[test]
    fn decoders_never_panic_and_accept_only_what_re_encodes(s in hostile_string()) {
        if let Some(decoded) = decode_path_segment(&s) {
            // Decoding is lenient (raw characters pass), but its result
            // always encodes to a canonical form that decodes to it.
            let again = encode_path_segment(&decoded);
            prop_assert_eq!(decode_path_segment(&again), Some(decoded));
        }
        let quoted = format!("'{s}'");
        for candidate in [s.as_str(), quoted.as_str()] {
            if let Some(decoded) = decode_odata_string_literal(candidate) {
                let again = encode_odata_literal(&ODataLiteral::String(&decoded));
                prop_assert_eq!(decode_odata_string_literal(&again), Some(decoded));
            }
        }
    }

    #[test]
    fn other_literals_never_need_quotes(i in any::<i64>(), b in any::<bool>(), g in any::<u128>()) {
        let g = uuid::Uuid::from_u128(g);
        for lit in [ODataLiteral::Int(i), ODataLiteral::Bool(b), ODataLiteral::Guid(g), ODataLiteral::Null] {
            let enc = encode_odata_literal(&lit);
            prop_assert!(
                enc.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'),
                "{enc}"
            );
        }
        prop_assert_eq!(encode_odata_literal(&ODataLiteral::Int(i)).parse::<i64>().unwrap(), i);
        prop_assert_eq!(
            uuid::Uuid::parse_str(&encode_odata_literal(&ODataLiteral::Guid(g))).unwrap(),
            g
        );
    }

    #[test]
    fn dates_and_date_times_are_bare_encoded_and_read_back(
        seconds in -62_135_596_800i64..253_402_300_799,
        nanos in 0u32..1_000_000_000,
        offset_minutes in -(23 * 60 + 59)..(23 * 60 + 59i32),
    ) {
        use graph_migrations::runtime::edm::{Date, DateTimeOffset};
        let offset = time::UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap();
        let at = time::OffsetDateTime::from_unix_timestamp(seconds)
            .unwrap()
            .replace_nanosecond(nanos)
            .unwrap()
            .to_offset(offset);
        if at.year() < 0 || at.year() > 9999 {
            return Ok(());
        }
        let date = Date(at.date());
        let at = DateTimeOffset::from(at);
        for lit in [ODataLiteral::Date(date), ODataLiteral::DateTimeOffset(at.clone())] {
            let enc = encode_odata_literal(&lit);
            // Only unreserved characters and escapes: nothing that could end
            // the call, the segment or the path.
            prop_assert!(
                enc.bytes().all(|b| b.is_ascii_alphanumeric() || UNRESERVED.contains(&b) || b == b'%'),
                "{enc}"
            );
        }
        let date_text = encode_odata_literal(&ODataLiteral::Date(date));
        prop_assert_eq!(date_text.parse::<Date>().unwrap(), date);
        let at_text = decode_path_segment(&encode_odata_literal(&ODataLiteral::DateTimeOffset(at.clone()))).unwrap();
        prop_assert_eq!(at_text.parse::<DateTimeOffset>().unwrap(), at);
    }
}
