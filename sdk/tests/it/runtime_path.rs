//! Path and literal encoding: hostile key values cannot change the request
//! path, and OData string literals round-trip for arbitrary strings.

use crate::support::*;
use graph_migrations::Error;
use graph_migrations::runtime::{
    ODataLiteral, RequestPath, decode_odata_string_literal, decode_path_segment,
    encode_odata_literal, encode_path_segment,
};
use http::Method;

const HOSTILE: &[&str] = &[
    "../",
    "../../me",
    "..%2F..%2Fusers",
    "a/b",
    "a?b=c",
    "x#frag",
    "it's",
    "100%",
    "%2e%2e",
    "%00",
    "ünï©ødé",
    "日本語",
    "a\\b",
    "a b+c",
    "$metadata",
    "a;b=c",
    "@x",
    "\u{202e}rtl",
    "a&b",
    "(x)",
    "...",
];

fn job(key: &str) -> RequestPath {
    RequestPath::root()
        .segment("solutions")
        .segment("migrations")
        .segment("crossTenantMigrationJobs")
        .key("crossTenantMigrationJob-id", key)
        .segment("users")
}

#[tokio::test]
async fn hostile_keys_stay_one_segment_on_the_wire() {
    let server = answering_ok().await;
    let c = client(&server);
    for key in HOSTILE {
        let p = job(key);
        assert_eq!(
            p.template(),
            "/solutions/migrations/crossTenantMigrationJobs/{crossTenantMigrationJob-id}/users"
        );
        c.request(Method::GET, p.clone())
            .send::<serde_json::Value>()
            .await
            .unwrap();
        let reqs = server.received_requests().await.unwrap();
        let r = reqs.last().unwrap();
        assert!(r.url.query().is_none(), "{key:?} created a query");
        assert!(r.url.fragment().is_none(), "{key:?} created a fragment");
        let segs: Vec<&str> = r.url.path_segments().unwrap().collect();
        assert_eq!(segs.len(), 6, "{key:?} -> {}", r.url.path());
        assert_eq!(
            &segs[..4],
            [
                "beta",
                "solutions",
                "migrations",
                "crossTenantMigrationJobs"
            ]
        );
        assert_eq!(segs[5], "users");
        assert_eq!(decode_path_segment(segs[4]).as_deref(), Some(*key));
        assert_eq!(r.url.path(), format!("/beta{}", p.as_str()));
    }

    // call / alternate-key syntax: quotes are doubled and encoded, the literal
    // cannot close the parentheses or add segments
    for key in HOSTILE {
        let p = RequestPath::root()
            .segment("crossOrganizationMigrationTasks")
            .call(
                "getBySourceSiteUrl",
                &[("sourceSiteUrl", ODataLiteral::String(key))],
            );
        assert_eq!(
            p.template(),
            "/crossOrganizationMigrationTasks/getBySourceSiteUrl(sourceSiteUrl='{sourceSiteUrl}')"
        );
        c.request(Method::GET, p.clone())
            .send::<serde_json::Value>()
            .await
            .unwrap();
        let reqs = server.received_requests().await.unwrap();
        let r = reqs.last().unwrap();
        assert!(
            r.url.query().is_none() && r.url.fragment().is_none(),
            "{key:?}"
        );
        let segs: Vec<&str> = r.url.path_segments().unwrap().collect();
        assert_eq!(segs.len(), 3, "{key:?} -> {}", r.url.path());
        let last = segs[2];
        let lit = last
            .strip_prefix("getBySourceSiteUrl(sourceSiteUrl=")
            .and_then(|s| s.strip_suffix(')'))
            .unwrap();
        assert_eq!(decode_odata_string_literal(lit).as_deref(), Some(*key));
    }
}

#[tokio::test]
async fn dot_segments_and_empty_keys_are_refused_before_sending() {
    let server = answering_ok().await;
    let c = client(&server);
    for key in ["", ".", ".."] {
        let err = c
            .request(Method::DELETE, job(key))
            .send_empty()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{key:?}: {err:?}");
        let mut b = c.batch();
        b.add(c.request(Method::GET, job(key)));
        assert!(b.send().await.is_err());
    }
    // An empty alternate key names nothing either; a function's empty
    // string argument is a value like any other.
    let mappings = c
        .solutions()
        .share_point()
        .migrations()
        .cross_organization_user_mappings();
    let err = mappings
        .by_source_user_principal_name("")
        .delete()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("alternate key \"sourceUserPrincipalName\" is empty")),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
    let call = RequestPath::root().call("f", &[("x", ODataLiteral::String(""))]);
    assert_eq!(call.as_str(), "/f(x='')");
    assert!(c.request(Method::GET, call).send_empty().await.is_ok());
    // A timestamp kept as received because it is none would go out as bare
    // text: refused.
    let kept: graph_migrations::runtime::edm::DateTimeOffset =
        serde_json::from_value(serde_json::json!("2025-7-18T09:08:04.451Z")).unwrap();
    let call = RequestPath::root().call("f", &[("at", ODataLiteral::DateTimeOffset(kept))]);
    let err = c.request(Method::GET, call).send_empty().await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("argument \"at\" is not a timestamp")),
        "{err:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn query_values_are_encoded() {
    let server = answering_ok().await;
    let c = client(&server);
    let filter = "status eq 'failed' & x=1#y+z%";
    c.request(Method::GET, job("a"))
        .query("$filter", filter)
        .query("$top", "10")
        .send::<serde_json::Value>()
        .await
        .unwrap();
    let r = server.received_requests().await.unwrap().pop().unwrap();
    assert!(r.url.fragment().is_none());
    let pairs: Vec<(String, String)> = r.url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        vec![
            ("$filter".to_string(), filter.to_string()),
            ("$top".to_string(), "10".to_string())
        ]
    );
    assert!(!r.url.query().unwrap().contains(' '));
}

/// A system query option set twice (`.filter(a).filter(b)`, a `$top` on a
/// request that had one) is sent once, with the later value: OData allows
/// each once and Graph answers a repeat with 400. Custom options may repeat.
#[tokio::test]
async fn a_system_query_option_set_again_replaces_the_first() {
    let server = answering_ok().await;
    let c = client(&server);
    c.request(Method::GET, job("a"))
        .query("$filter", "a eq 1")
        .query("$top", "10")
        .query("tag", "x")
        .query("$filter", "b eq 2")
        .query("tag", "y")
        .send::<serde_json::Value>()
        .await
        .unwrap();
    let r = server.received_requests().await.unwrap().pop().unwrap();
    let pairs: Vec<(String, String)> = r.url.query_pairs().into_owned().collect();
    let pair = |n: &str, v: &str| (n.to_string(), v.to_string());
    assert_eq!(
        pairs,
        [
            pair("$filter", "b eq 2"),
            pair("$top", "10"),
            pair("tag", "x"),
            pair("tag", "y")
        ]
    );
}

#[test]
fn literal_forms() {
    let g = uuid::Uuid::parse_str("da157a29-f793-4dd6-9c73-41d2c73c2546").unwrap();
    assert_eq!(
        encode_odata_literal(&ODataLiteral::Guid(g)),
        "da157a29-f793-4dd6-9c73-41d2c73c2546"
    );
    assert_eq!(encode_odata_literal(&ODataLiteral::Int(-3)), "-3");
    assert_eq!(encode_odata_literal(&ODataLiteral::Bool(true)), "true");
    assert_eq!(encode_odata_literal(&ODataLiteral::Null), "null");
    assert_eq!(
        encode_odata_literal(&ODataLiteral::String("it's")),
        "'it%27%27s'"
    );
    let p = RequestPath::root().segment("f").with_call_on_last(&[
        ("a", ODataLiteral::Guid(g)),
        ("b", ODataLiteral::Int(3)),
        ("c", ODataLiteral::Bool(false)),
        ("d", ODataLiteral::Null),
    ]);
    assert_eq!(
        p.as_str(),
        "/f(a=da157a29-f793-4dd6-9c73-41d2c73c2546,b=3,c=false,d=null)"
    );
    assert_eq!(p.template(), "/f(a={a},b={b},c={c},d={d})");
    assert_eq!(RequestPath::root().as_str(), "");
    assert_eq!(RequestPath::root().segment("$count").as_str(), "/$count");
}

/// A small deterministic generator (no external property-testing crate).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn string(&mut self) -> String {
        const POOL: &[char] = &[
            '\'', '\'', '"', '/', '\\', '?', '#', '%', '&', '=', '+', ' ', '.', '(', ')', ',', ':',
            '$', '@', '~', '-', '_', 'a', 'Z', '0', 'é', '€', '日', '😀', '\u{0}', '\n', '\u{7f}',
            '\u{feff}',
        ];
        let len = (self.next() % 24) as usize;
        (0..len)
            .map(|_| {
                let r = self.next();
                if r.is_multiple_of(4) {
                    char::from_u32((r >> 8) as u32 % 0x11_0000).unwrap_or('x')
                } else {
                    POOL[(r >> 8) as usize % POOL.len()]
                }
            })
            .collect()
    }
}

#[test]
fn property_round_trip_of_arbitrary_strings() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..20_000 {
        let s = rng.string();
        let lit = encode_odata_literal(&ODataLiteral::String(&s));
        assert!(lit.starts_with('\'') && lit.ends_with('\''));
        let inner = &lit[1..lit.len() - 1];
        assert!(
            inner
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
            "{lit}"
        );
        assert_eq!(
            decode_odata_string_literal(&lit).as_deref(),
            Some(s.as_str())
        );
        let seg = encode_path_segment(&s);
        assert!(!seg.contains(['/', '?', '#', '\'', '\\']), "{seg}");
        assert_eq!(decode_path_segment(&seg).as_deref(), Some(s.as_str()));
    }
    // malformed literals are rejected rather than misread
    for bad in ["abc", "'abc", "'a'b'", "'%27'", "'%FF'"] {
        assert_eq!(decode_odata_string_literal(bad), None, "{bad}");
    }
}
