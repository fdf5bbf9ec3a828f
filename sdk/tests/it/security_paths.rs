//! Keys cannot change the request path: hostile keys (`../`, `?`, `#`, `'`,
//! `%`, CR LF, non-ASCII...) go through the GENERATED request builders
//! (`by_id`, alternate keys such as `by_display_name`, functions such as
//! `get_by_source_site_url`) to a raw loopback server that records the
//! request line as sent, before any URL normalisation. Each request target
//! must have exactly the template's segments, no query, no fragment, no
//! extra header, and decode back to the key.

#![allow(deprecated)]

use crate::support::security::*;
use graph_migrations::runtime::{Error, decode_odata_string_literal, decode_path_segment};
use serde_json::json;

const HOSTILE: &[&str] = &[
    "../x?y#z'",
    "../",
    "../../../me",
    "..\\..\\me",
    "..%2F..%2Fusers",
    "%2e%2e",
    "%2e%2e%2fusers",
    "...",
    "a/b",
    "a?b=c",
    "?$top=1",
    "x#frag",
    "#",
    "it's",
    "'",
    "''",
    "')/users/x('",
    "'),f(a='",
    "100%",
    "%",
    "%zz",
    "%00",
    "a\r\nX-Evil: 1",
    "a\nX-Evil: 2",
    "a b+c",
    "a;b=c",
    "a&b",
    "$metadata",
    "$batch",
    "@odata.nextLink",
    "ünï©ødé",
    "日本語",
    "😀",
    "\u{202e}rtl",
    "\u{ff0f}fullwidth-slash",
    "\u{2215}division-slash",
    "\u{0}",
    "http://127.0.0.1:9/steal",
    "//evil.example/x",
];

const JOBS: &str = "/beta/solutions/migrations/crossTenantMigrationJobs";
const TASKS: &str = "/beta/solutions/sharePoint/migrations/crossOrganizationMigrationTasks";
const USER_MAPPINGS: &str = "/beta/solutions/sharePoint/migrations/crossOrganizationUserMappings";
const GROUP_MAPPINGS: &str = "/beta/solutions/sharePoint/migrations/crossOrganizationGroupMappings";

/// The target as sent: no query, no fragment, nothing outside ASCII.
fn assert_plain_target(target: &str, key: &str) {
    assert!(!target.contains(['?', '#', '\'']), "{key:?} -> {target}");
    assert!(target.is_ascii(), "{key:?} -> {target}");
}

/// `prefix/<segment>[/suffix]`: the segment decodes to `key`.
fn assert_key_segment(target: &str, prefix: &str, suffix: &str, key: &str) {
    assert_plain_target(target, key);
    let rest = target
        .strip_prefix(prefix)
        .and_then(|r| r.strip_prefix('/'))
        .unwrap_or_else(|| panic!("{key:?} -> {target}: not under {prefix}"));
    let segment = rest
        .strip_suffix(suffix)
        .unwrap_or_else(|| panic!("{key:?} -> {target}: does not end with {suffix:?}"));
    assert!(
        !segment.contains('/'),
        "{key:?} -> {target}: extra segments"
    );
    assert_eq!(
        decode_path_segment(segment).as_deref(),
        Some(key),
        "{target}"
    );
}

/// `prefix(name='<literal>')[suffix]`: the literal decodes to `key`.
fn assert_call(target: &str, prefix: &str, suffix: &str, key: &str) {
    assert!(!target.contains(['?', '#']), "{key:?} -> {target}");
    assert!(target.is_ascii(), "{key:?} -> {target}");
    let literal = target
        .strip_prefix(prefix)
        .and_then(|r| r.strip_suffix(suffix))
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{key:?} -> {target}: not {prefix}...){suffix}"));
    assert!(!literal.contains(['/', '(', ')']), "{key:?} -> {target}");
    assert_eq!(literal.matches('\'').count(), 2, "{key:?} -> {target}");
    assert_eq!(
        decode_odata_string_literal(literal).as_deref(),
        Some(key),
        "{target}"
    );
}

#[tokio::test]
async fn hostile_keys_through_generated_builders_cannot_change_the_path() {
    let server = RawServer::start(|r| {
        if r.method() == "DELETE" {
            RawResponse {
                status: 204,
                headers: vec![],
                body: vec![],
            }
        } else {
            RawResponse::json(200, json!({"id": "x", "value": []}))
        }
    })
    .await;
    let client = server.client();
    let jobs = client
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs();
    let sp = client.solutions().share_point().migrations();
    let tasks = sp.cross_organization_migration_tasks();
    let users = sp.cross_organization_user_mappings();
    let groups = sp.cross_organization_group_mappings();

    for key in HOSTILE {
        let before = server.count();
        jobs.by_id(key).get().await.unwrap();
        jobs.by_id(key).delete().await.unwrap();
        jobs.by_id(key).users().get().await.unwrap();
        jobs.by_id(key).users().by_id(key).get().await.unwrap();
        jobs.by_display_name(key).get().await.unwrap();
        tasks.by_id(key).get().await.unwrap();
        tasks.get_by_source_site_url(key).get().await.unwrap();
        tasks
            .get_by_source_user_principal_name(key)
            .get()
            .await
            .unwrap();
        tasks
            .get_by_source_group_mail_nickname(key)
            .get()
            .await
            .unwrap();
        users.by_id(key).get().await.unwrap();
        users
            .by_source_user_principal_name(key)
            .get()
            .await
            .unwrap();
        groups.by_source_group_object_id(key).get().await.unwrap();

        let reqs = server.requests();
        let sent = &reqs[before..];
        assert_eq!(
            sent.len(),
            12,
            "{key:?}: {:#?}",
            sent.iter().map(|r| &r.line).collect::<Vec<_>>()
        );
        let t: Vec<&str> = sent.iter().map(|r| r.target()).collect();
        assert_key_segment(t[0], JOBS, "", key);
        assert_eq!(sent[1].method(), "DELETE");
        assert_key_segment(t[1], JOBS, "", key);
        assert_key_segment(t[2], JOBS, "/users", key);
        // two keys: both stay single segments
        let (outer, inner) = t[3]
            .strip_prefix(JOBS)
            .and_then(|r| r.strip_prefix('/'))
            .and_then(|r| r.split_once("/users/"))
            .unwrap_or_else(|| panic!("{key:?} -> {}", t[3]));
        assert_eq!(decode_path_segment(outer).as_deref(), Some(*key));
        assert_eq!(decode_path_segment(inner).as_deref(), Some(*key));
        assert!(!outer.contains('/') && !inner.contains('/'));
        assert_call(t[4], &format!("{JOBS}(displayName="), "", key);
        assert_key_segment(t[5], TASKS, "", key);
        assert_call(
            t[6],
            &format!("{TASKS}/getBySourceSiteUrl(sourceSiteUrl="),
            "",
            key,
        );
        assert_call(
            t[7],
            &format!("{TASKS}/getBySourceUserPrincipalName(sourcePrincipalName="),
            "",
            key,
        );
        assert_call(
            t[8],
            &format!("{TASKS}/getBySourceGroupMailNickname(sourceGroupMailNickname="),
            "",
            key,
        );
        assert_key_segment(t[9], USER_MAPPINGS, "", key);
        assert_call(
            t[10],
            &format!("{USER_MAPPINGS}(sourceUserPrincipalName="),
            "",
            key,
        );
        assert_call(
            t[11],
            &format!("{GROUP_MAPPINGS}(sourceGroupObjectId="),
            "",
            key,
        );
        for r in sent {
            // No header came from a key (CR LF is encoded, not sent).
            assert!(
                !r.headers
                    .iter()
                    .any(|(n, _)| n.eq_ignore_ascii_case("x-evil")),
                "{key:?}: {:?}",
                r.headers
            );
            assert_eq!(r.header("host"), Some(server.addr.to_string().as_str()));
        }
    }
}

#[tokio::test]
async fn dot_and_empty_keys_are_refused_before_anything_is_sent() {
    let server = RawServer::start(|_| RawResponse::json(200, json!({}))).await;
    let client = server.client();
    let jobs = client
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs();
    let tasks = client
        .solutions()
        .share_point()
        .migrations()
        .cross_organization_migration_tasks();
    for key in ["", ".", ".."] {
        for result in [
            jobs.by_id(key).get().await.map(|_| ()),
            jobs.by_id(key).delete().await,
            jobs.by_id("ok").users().by_id(key).get().await.map(|_| ()),
            tasks.by_id(key).cancel().post().await,
        ] {
            match result {
                Err(Error::InvalidRequest(message)) => {
                    assert!(message.contains("path segment"), "{message}")
                }
                other => panic!("{key:?}: {other:?}"),
            }
        }
    }
    assert_eq!(server.count(), 0);
    // In a literal dots are ordinary text; an empty alternate key names
    // nothing and is refused too.
    for key in [".", ".."] {
        jobs.by_display_name(key).get().await.unwrap();
    }
    assert!(matches!(
        jobs.by_display_name("").get().await,
        Err(Error::InvalidRequest(m)) if m.contains("alternate key \"displayName\" is empty")
    ));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn hostile_query_options_stay_inside_their_parameter() {
    let server = RawServer::start(|_| RawResponse::json(200, json!({"value": []}))).await;
    let client = server.client();
    let jobs = client
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs();
    for value in [
        "status eq 'a&$top=1'",
        "x#y",
        "a=b&c=d",
        "it's%20",
        "\r\nX-Evil: 1",
        "ünï",
        "../..",
    ] {
        let before = server.count();
        jobs.get().filter(value).await.unwrap();
        let r = &server.requests()[before];
        let (path, query) = r.target().split_once('?').expect("a query");
        assert_eq!(path, JOBS);
        assert!(!query.contains(['#', ' ', '\'', '\r', '\n']), "{query}");
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        assert_eq!(pairs, vec![("$filter".to_string(), value.to_string())]);
        assert!(r.header("x-evil").is_none());
    }
}
