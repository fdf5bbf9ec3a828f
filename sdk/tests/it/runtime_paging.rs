//! Paging: nextLink following, @odata.count, origin check (the other host
//! receives nothing), and redirects never carrying the token to another host.

use crate::support::*;
use futures::{StreamExt, TryStreamExt};
use graph_migrations::models::SharePointUserIdentityMapping;
use graph_migrations::runtime::{Error, RequestPath};
use graph_migrations::{Items, Pager};
use http::Method;
use serde::Deserialize;
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Deserialize, Debug, PartialEq)]
struct User {
    id: String,
}

fn users() -> RequestPath {
    RequestPath::root()
        .segment("solutions")
        .segment("migrations")
        .segment("crossTenantMigrationJobs")
        .key("crossTenantMigrationJob-id", "job1")
        .segment("users")
}

const USERS_PATH: &str = "/beta/solutions/migrations/crossTenantMigrationJobs/job1/users";

#[tokio::test]
async fn follows_same_origin_next_links_with_count() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "ctx",
            "value": [{"id": "c"}],
            "@odata.nextLink": format!("{base}/beta/solutions/migrations/crossTenantMigrationJobs/job1/users?$skiptoken=p3"),
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .and(query_param("$skiptoken", "p3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "d"}]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .and(query_param("$count", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "https://graph.microsoft.com/beta/$metadata#users",
            "@odata.count": "4",
            "value": [{"id": "a"}, {"id": "b"}],
            "@odata.nextLink": format!("{base}/beta/solutions/migrations/crossTenantMigrationJobs/job1/users?$skiptoken=p2"),
        })))
        .mount(&server)
        .await;

    let c = client(&server);
    let req = || {
        c.request(Method::GET, users())
            .query("$count", "true")
            .header("ConsistencyLevel", "eventual")
    };
    let pages: Vec<_> = req().pager::<User>().pages().collect().await;
    assert_eq!(pages.len(), 3);
    let p0 = pages[0].as_ref().unwrap();
    assert_eq!(p0.count, Some(4));
    assert_eq!(
        p0.context.as_deref(),
        Some("https://graph.microsoft.com/beta/$metadata#users")
    );
    assert!(p0.next_link.is_some());
    assert!(pages[2].as_ref().unwrap().next_link.is_none());

    let all = req().pager::<User>().collect_all().await.unwrap();
    let ids: Vec<_> = all.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);

    let items: Vec<_> = req().pager::<User>().items().collect().await;
    assert_eq!(items.len(), 4);

    // headers travel to the next pages too, each page is its own logical request
    let reqs = server.received_requests().await.unwrap();
    assert!(
        reqs.iter()
            .all(|r| r.headers.get("consistencylevel").is_some()
                && r.headers.get("authorization").is_some())
    );
}

/// A server, and another that expects no request at all.
async fn server_and_evil() -> (MockServer, MockServer) {
    let evil = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .expect(0)
        .mount(&evil)
        .await;
    (MockServer::start().await, evil)
}

/// Links a client of `server` must refuse: `evil`'s (same host name
/// 127.0.0.1, another port), another host name, another scheme, `server`'s
/// own origin with credentials, and no URL at all.
fn links_off_origin(server: &MockServer, evil: &MockServer) -> Vec<String> {
    vec![
        format!("{}{USERS_PATH}?$skiptoken=x", evil.uri()),
        format!(
            "http://localhost:{}{USERS_PATH}?$skiptoken=x",
            evil.address().port()
        ),
        format!("https://{}{USERS_PATH}", server.address()),
        format!(
            "http://user:pw@{}{USERS_PATH}?$skiptoken=x",
            server.address()
        ),
        "not a url".to_string(),
    ]
}

#[tokio::test]
async fn next_link_to_another_host_is_refused_and_never_contacted() {
    let (server, evil) = server_and_evil().await;
    for link in links_off_origin(&server, &evil) {
        Mock::given(method("GET"))
            .and(path(USERS_PATH))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("request-id", "rid-page")
                    .set_body_json(json!({
                        "value": [{"id": "a"}],
                        "@odata.nextLink": link,
                    })),
            )
            .up_to_n_times(1)
            .mount(&server)
            .await;
        let c = client(&server);
        let mut pages = Box::pin(c.request(Method::GET, users()).pager::<User>().pages());
        let first = pages.next().await.unwrap().unwrap();
        assert_eq!(first.items, vec![User { id: "a".into() }]);
        let second = pages.next().await.unwrap();
        match second {
            Err(
                ref e @ Error::InvalidNextLink {
                    ref expected_origin,
                    ..
                },
            ) => {
                assert_eq!(*expected_origin, server.uri());
                // The page that named the link, for support to look up.
                assert_eq!(e.request_id(), Some("rid-page"));
                assert!(e.client_request_id().is_some());
                assert!(e.to_string().contains("rid-page"), "{e}");
            }
            other => panic!("expected InvalidNextLink for {link}, got {other:?}"),
        }
        assert!(pages.next().await.is_none(), "stream ends after the error");
        // collect_all surfaces the error too
        Mock::given(method("GET"))
            .and(path(USERS_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "value": [],
                "@odata.nextLink": link,
            })))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        let err = c
            .request(Method::GET, users())
            .pager::<User>()
            .collect_all()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidNextLink { .. }));
    }
    assert!(evil.received_requests().await.unwrap().is_empty());
    evil.verify().await;
}

#[tokio::test]
async fn cross_host_redirect_is_not_followed() {
    let server = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(&other)
        .await;
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("Location", format!("{}/steal", other.uri()).as_str()),
        )
        .mount(&server)
        .await;
    // Built-in client: redirects to another origin are not followed at all.
    let c = client(&server);
    let err = c
        .request(Method::GET, users())
        .send::<serde_json::Value>()
        .await
        .unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 302);
    assert!(other.received_requests().await.unwrap().is_empty());

    // An injected reqwest client follows, but reqwest strips Authorization.
    let c = builder(&server)
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    let _: serde_json::Value = c.request(Method::GET, users()).send().await.unwrap();
    let got = other.received_requests().await.unwrap();
    assert_eq!(got.len(), 1);
    assert!(got[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn same_origin_redirect_is_followed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .respond_with(ResponseTemplate::new(307).insert_header("Location", "/beta/moved"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/moved"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "z"}]})))
        .mount(&server)
        .await;
    let c = client(&server);
    let all = c
        .request(Method::GET, users())
        .pager::<User>()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all, vec![User { id: "z".into() }]);
}

#[tokio::test]
async fn page_error_and_decode_error_end_the_stream() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "a"}, {"id": 7}]
        })))
        .mount(&server)
        .await;
    let c = client(&server);
    let err = c
        .request(Method::GET, users())
        .pager::<User>()
        .collect_all()
        .await
        .unwrap_err();
    match err {
        Error::Decode(e) => assert_eq!(e.json_path, "value[1].id"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn request_url_resumes_from_a_saved_next_link_on_the_same_origin_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .and(query_param("$skiptoken", "saved"))
        .and(query_param("$top", "5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "r"}]})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let link = format!("{}{USERS_PATH}?$skiptoken=saved", server.uri());
    let all = c
        .request_url(Method::GET, &link, "/users")
        .unwrap()
        .query("$top", "5")
        .pager::<User>()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all, vec![User { id: "r".into() }]);
    for bad in [
        "https://evil.example/beta/users",
        "http://127.0.0.1:1/beta",
        "nope",
    ] {
        assert!(matches!(
            c.request_url(Method::GET, bad, "/users"),
            Err(Error::InvalidNextLink { .. })
        ));
    }
    server.verify().await;
}

/// Serves `total` items (`{"id": "u<i>"}`) at `path` in pages of `size`; the
/// next link carries the offset of the next page.
struct Paged {
    base: String,
    path: &'static str,
    total: usize,
    size: usize,
}

impl wiremock::Respond for Paged {
    fn respond(&self, req: &wiremock::Request) -> ResponseTemplate {
        let from: usize = req
            .url
            .query_pairs()
            .find(|(k, _)| k == "$skiptoken")
            .map_or(0, |(_, v)| v.parse().expect("a numeric skiptoken"));
        let to = (from + self.size).min(self.total);
        let value: Vec<_> = (from..to).map(|i| json!({"id": format!("u{i}")})).collect();
        let mut body = json!({ "value": value });
        if to < self.total {
            body["@odata.nextLink"] = json!(format!("{}{}?$skiptoken={to}", self.base, self.path));
        }
        ResponseTemplate::new(200).set_body_json(body)
    }
}

const MAPPINGS_PATH: &str = "/beta/solutions/sharePoint/migrations/crossOrganizationUserMappings";

/// A caller keeps the named stream types in its own state.
struct Saved {
    pages: graph_migrations::Pages<SharePointUserIdentityMapping>,
}

#[tokio::test]
async fn a_pager_resumes_from_a_saved_link_in_a_fresh_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(MAPPINGS_PATH))
        .respond_with(Paged {
            base: server.uri(),
            path: MAPPINGS_PATH,
            total: 23,
            size: 5,
        })
        .mount(&server)
        .await;
    let id = |m: &SharePointUserIdentityMapping| m.id.get().cloned().unwrap();

    // The first process: two pages, then stop and save the link.
    let first = client(&server);
    let mut saved = Saved {
        pages: first
            .solutions()
            .share_point()
            .migrations()
            .cross_organization_user_mappings()
            .get()
            .pager()
            .max_pages(2)
            .pages(),
    };
    assert_eq!(saved.pages.next_link(), None, "nothing read yet");
    // Storable and movable across tasks without pinning.
    fn spawnable<S: Send + Unpin + 'static>(_: &S) {}
    spawnable(&saved.pages);
    let mut seen = Vec::new();
    let mut last_page_link = None;
    while let Some(page) = saved.pages.try_next().await.unwrap() {
        seen.extend(page.items.iter().map(id));
        last_page_link = page.next_link;
    }
    assert_eq!(seen.len(), 10);
    let link = saved
        .pages
        .next_link()
        .expect("stopped before the end")
        .to_string();
    assert_eq!(
        Some(&link),
        last_page_link.as_ref(),
        "the page says the same"
    );
    assert!(link.ends_with("$skiptoken=10"), "{link}");
    drop(saved);
    drop(first);

    // Another process: a client built from scratch, and the saved link.
    let second = client(&server);
    let rest: Items<SharePointUserIdentityMapping> = Pager::resume(&second, &link).unwrap().items();
    let rest: Vec<SharePointUserIdentityMapping> = rest.try_collect().await.unwrap();
    seen.extend(rest.iter().map(id));

    let expected: Vec<String> = (0..23).map(|i| format!("u{i}")).collect();
    assert_eq!(seen, expected, "every item exactly once, in order");
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 5, "two pages, then the three left");
    assert!(
        reqs.iter()
            .all(|r| r.headers.get("authorization").is_some())
    );
}

#[tokio::test]
async fn a_resumed_link_to_another_host_is_refused_before_anything_is_sent() {
    let (server, evil) = server_and_evil().await;
    let c = client(&server);
    for link in links_off_origin(&server, &evil) {
        match Pager::<User>::resume(&c, &link) {
            Err(Error::InvalidNextLink {
                expected_origin, ..
            }) => assert_eq!(expected_origin, server.uri(), "{link}"),
            other => panic!("expected InvalidNextLink for {link}, got {other:?}"),
        }
    }
    assert!(server.received_requests().await.unwrap().is_empty());
    assert!(evil.received_requests().await.unwrap().is_empty());
    evil.verify().await;
}

/// A next link that names a page already read would loop forever (the
/// page itself, or A → B → A); ending quietly would make a cut-short
/// listing look complete. Paging stops with `RepeatedNextLink` after the
/// pages read, each read once.
#[tokio::test]
async fn a_next_link_to_a_page_already_read_is_an_error() {
    let server = MockServer::start().await;
    let link = |token: &str| format!("{}{USERS_PATH}?$skiptoken={token}", server.uri());
    // The first page links to itself.
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .and(query_param("$skiptoken", "same"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "s"}],
            "@odata.nextLink": link("same"),
        })))
        .mount(&server)
        .await;
    // A → B → A.
    for (from, to) in [("a", "b"), ("b", "a")] {
        Mock::given(method("GET"))
            .and(path(USERS_PATH))
            .and(query_param("$skiptoken", from))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "value": [{"id": from}],
                "@odata.nextLink": link(to),
            })))
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "first"}],
            "@odata.nextLink": link("a"),
        })))
        .mount(&server)
        .await;
    let c = client(&server);
    let mut pages = c.request(Method::GET, users()).pager::<User>().pages();
    let mut ids = Vec::new();
    let err = loop {
        match pages.next().await {
            Some(Ok(page)) => ids.extend(page.items.into_iter().map(|u| u.id)),
            Some(Err(e)) => break e,
            None => panic!("the stream ended quietly after {ids:?}"),
        }
    };
    assert_eq!(ids, ["first", "a", "b"]);
    assert!(
        matches!(err, Error::RepeatedNextLink { pages: 3, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("after 3 page(s)"), "{err}");
    assert!(!err.to_string().contains("skiptoken"), "{err}");
    assert!(pages.next().await.is_none());
    assert_eq!(server.received_requests().await.unwrap().len(), 3);

    // A resumed pager knows the link it started from.
    let err = Pager::<User>::resume(&c, &link("same"))
        .unwrap()
        .collect_all()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::RepeatedNextLink { pages: 1, .. }),
        "{err:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

/// A page that fails (throttled past the retries, a body that is not JSON)
/// keeps its link: the listing can go on from that page, with this client
/// or in another process, instead of starting over.
#[tokio::test]
async fn a_failed_page_keeps_its_link_to_read_it_again() {
    let server = MockServer::start().await;
    let second = format!("{}{USERS_PATH}?$skiptoken=p2", server.uri());
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("{\"value\": [{\"id\": \"b\"", "application/json"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "b"}, {"id": "c"}]
        })))
        .mount(&server)
        .await;
    mount_first_page(&server, &second).await;
    let c = client(&server);
    let mut items = c.request(Method::GET, users()).pager::<User>().items();
    assert_eq!(items.next().await.unwrap().unwrap().id, "a");
    // The first page's items are consumed: the next link is where to go on.
    assert_eq!(items.next_link(), Some(second.as_str()));
    let err = items.next().await.unwrap().unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_eq!(items.next_link(), Some(second.as_str()));
    assert!(items.next().await.is_none());
    let rest: Vec<String> = Pager::<User>::resume(&c, items.next_link().unwrap())
        .unwrap()
        .collect_all()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(rest, ["b", "c"]);
}

/// An item that does not decode (a property of the wrong JSON type) loses
/// neither its page nor the pages after it: `pages()` keeps it as received
/// in `rejected`, with its JSON path; `items()` yields its error in its place
/// and goes on; `collect_all()`, whose result would be incomplete without
/// saying so, fails with that error.
#[tokio::test]
async fn a_malformed_item_loses_neither_its_page_nor_the_next() {
    let server = MockServer::start().await;
    let second = format!("{}{USERS_PATH}?$skiptoken=p2", server.uri());
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "d"}]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "a"}, {"id": 7, "name": "x"}, {"id": "c"}],
            "@odata.nextLink": second,
        })))
        .mount(&server)
        .await;
    let c = client(&server);
    let pager = || c.request(Method::GET, users()).pager::<User>();

    let pages: Vec<_> = pager().pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 2);
    let ids =
        |p: &graph_migrations::Page<User>| p.items.iter().map(|u| u.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&pages[0]), ["a", "c"]);
    assert_eq!(ids(&pages[1]), ["d"]);
    let r = &pages[0].rejected;
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].index, 1);
    assert_eq!(r[0].value, json!({"id": 7, "name": "x"}));
    assert_eq!(r[0].error.json_path, "value[1].id");
    assert!(pages[1].rejected.is_empty());

    let items: Vec<Result<User, Error>> = pager().items().collect().await;
    assert_eq!(items.len(), 4);
    assert_eq!(items[0].as_ref().unwrap().id, "a");
    match &items[1] {
        Err(Error::Decode(e)) => assert_eq!(e.json_path, "value[1].id"),
        other => panic!("{other:?}"),
    }
    assert_eq!(items[2].as_ref().unwrap().id, "c");
    assert_eq!(items[3].as_ref().unwrap().id, "d");

    match pager().collect_all().await {
        Err(Error::Decode(e)) => assert_eq!(e.json_path, "value[1].id"),
        other => panic!("{other:?}"),
    }
}

/// The first page's own URL counts as read: a next link back to it (a
/// server that dropped the skiptoken) stops paging before its items come
/// a second time, where each of them might have been acted on twice.
#[tokio::test]
async fn a_next_link_to_the_first_page_is_an_error_before_its_items_repeat() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", "rid-first")
                .set_body_json(json!({
                    "value": [{"id": "first"}],
                    "@odata.nextLink": format!("{}{USERS_PATH}", server.uri()),
                })),
        )
        .mount(&server)
        .await;
    let c = client(&server);
    let mut items = c.request(Method::GET, users()).pager::<User>().items();
    let mut ids = Vec::new();
    let err = loop {
        match items.next().await {
            Some(Ok(user)) => ids.push(user.id),
            Some(Err(e)) => break e,
            None => panic!("the stream ended quietly after {ids:?}"),
        }
    };
    assert_eq!(ids, ["first"]);
    assert!(
        matches!(err, Error::RepeatedNextLink { pages: 1, .. }),
        "{err:?}"
    );
    assert_eq!(err.request_id(), Some("rid-first"));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// A `next()` given up on while its page is being read (a timeout, a
/// shutdown in `select!`) leaves the page undelivered: `next_link` names
/// it, so a checkpoint taken then resumes there instead of looking finished.
#[tokio::test]
async fn next_link_names_the_page_being_read() {
    let server = MockServer::start().await;
    let second = format!("{}{USERS_PATH}?$skiptoken=p2", server.uri());
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": [{"id": "b"}]}))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    mount_first_page(&server, &second).await;
    let c = client(&server);
    let mut pages = c.request(Method::GET, users()).pager::<User>().pages();
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.items, [User { id: "a".into() }]);
    let given_up = tokio::time::timeout(Duration::from_millis(200), pages.next()).await;
    assert!(given_up.is_err(), "the second page came early");
    assert_eq!(pages.next_link(), Some(second.as_str()));
    let mut items = c.request(Method::GET, users()).pager::<User>().items();
    items.next().await.unwrap().unwrap();
    let given_up = tokio::time::timeout(Duration::from_millis(200), items.next()).await;
    assert!(given_up.is_err(), "the second page came early");
    assert_eq!(items.next_link(), Some(second.as_str()));
}

/// The first page of `USERS_PATH` (without a skiptoken): item `a`, then
/// `next`. Mounted last, it answers what the more specific mocks do not.
async fn mount_first_page(server: &MockServer, next: &str) {
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "a"}],
            "@odata.nextLink": next,
        })))
        .mount(server)
        .await;
}
