//! Benchmark 3 of BENCHMARKS.md: typed decoding of a page of 10,000
//! `crossTenantMigrationTask` and a page of 10,000 `sharePointMigrationTask`
//! items (with polymorphic `parameters`), versus decoding the same bytes into
//! `serde_json::Value`. Goal: typed at least 1.5 times faster.
//!
//! The typed side decodes the way the SDK's pager does
//! (`graph_migrations::runtime::decode_json` into a page of `value`,
//! `@odata.nextLink`, `@odata.count`, `@odata.context`). Every decode
//! through `serde_path_to_error` (what the SDK did before) is shown too. All
//! sides run round-robin in one process, medians compared.
//!
//! Run: `cargo bench -p graph-migrations --bench decode`.
//! `-- --once typed|value|paths` decodes once, for `valgrind --tool=callgrind`.
//! Under `cargo test` (no `--bench` argument) it only checks that the
//! page decodes, on 100 items.

// The cross-tenant migration API is deprecated in the metadata; it is
// still what the SDK decodes.
#![allow(deprecated)]

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use graph_migrations::models::{
    AnySharePointMigrationTaskParameters, CrossTenantMigrationTask, SharePointMigrationTask,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// The page shape the SDK decodes (the pager's `RawPage`).
#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct Page<T> {
    value: Vec<T>,
    #[serde(rename = "@odata.nextLink", default)]
    next_link: Option<String>,
    #[serde(rename = "@odata.count", default)]
    count: Option<u64>,
    #[serde(rename = "@odata.context", default)]
    context: Option<String>,
}

/// As the pager decodes a page: `runtime::decode_json`.
fn decode_like_sdk<T: DeserializeOwned>(bytes: &[u8]) -> Page<T> {
    graph_migrations::runtime::decode_json(bytes)
        .unwrap_or_else(|(path, message)| panic!("{path}: {message}"))
}

/// What the SDK did before it decoded without path tracking first: every
/// decode through `serde_path_to_error`.
fn decode_tracking_paths<T: DeserializeOwned>(bytes: &[u8]) -> Page<T> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let page: Page<T> = serde_path_to_error::deserialize(&mut de)
        .unwrap_or_else(|e| panic!("{}: {}", e.path(), e.inner()));
    de.end().expect("one JSON value");
    page
}

/// A deterministic stand-in for random data.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn guid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }

    fn timestamp(&mut self) -> String {
        let n = self.next();
        format!(
            "2026-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}Z",
            1 + n % 12,
            1 + (n >> 8) % 28,
            (n >> 16) % 24,
            (n >> 24) % 60,
            (n >> 32) % 60,
            (n >> 40) % 10_000_000
        )
    }
}

/// `GET /solutions/migrations/crossTenantMigrationJobs/{id}/users`: tasks
/// with a status per workload, some with errors.
pub fn cross_tenant_page(n: usize) -> String {
    let mut g = Gen(0x9e37_79b9_7f4a_7c15);
    let job = g.guid();
    let mut s = String::with_capacity(n * 700);
    let _ = write!(
        s,
        r#"{{"@odata.context":"https://graph.microsoft.com/beta/$metadata#solutions/migrations/crossTenantMigrationJobs('{job}')/users","@odata.count":{n},"value":["#
    );
    let statuses = [
        "completed",
        "inProgress",
        "failed",
        "notStarted",
        "pendingCancel",
    ];
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            r#"{{"id":"{}","lastUpdatedDateTime":"{}","taskType":"user","currentStatus":["#,
            g.guid(),
            g.timestamp()
        );
        for (k, service) in ["ODSP", "Meeting", "Teams", "Exchange"].iter().enumerate() {
            if k > 0 {
                s.push(',');
            }
            let status = statuses[(g.next() % statuses.len() as u64) as usize];
            let errors = if status == "failed" {
                r#"[{"code":"MailboxNotFound","message":"The source mailbox could not be found."}]"#
            } else {
                "[]"
            };
            let _ = write!(
                s,
                r#"{{"service":"{service}","status":"{status}","message":"","errors":{errors}}}"#
            );
        }
        s.push_str("]}");
    }
    let _ = write!(
        s,
        r#"],"@odata.nextLink":"https://graph.microsoft.com/beta/solutions/migrations/crossTenantMigrationJobs('{job}')/users?$skiptoken=RFNwdAIAAQAAACE6"}}"#
    );
    s
}

/// `GET /solutions/sharePoint/migrations/crossOrganizationMigrationTasks`:
/// site, user and group tasks, each with its derived `parameters` type
/// (`@odata.type` first, as Graph writes it), some failed with an error.
pub fn sharepoint_page(n: usize) -> String {
    let mut g = Gen(0x2545_f491_4f6c_dd1d);
    let mut s = String::with_capacity(n * 900);
    let _ = write!(
        s,
        r#"{{"@odata.context":"https://graph.microsoft.com/beta/$metadata#solutions/sharePoint/migrations/crossOrganizationMigrationTasks","value":["#
    );
    let statuses = [
        "completed",
        "inProgress",
        "notStarted",
        "failed",
        "cancelled",
    ];
    let tenant = g.guid();
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        let status = statuses[(g.next() % statuses.len() as u64) as usize];
        let _ = write!(
            s,
            r#"{{"id":"{}","status":"{status}","startedDateTime":"{}","lastUpdatedDateTime":"{}","finishedDateTime":"{}","#,
            g.guid(),
            g.timestamp(),
            g.timestamp(),
            g.timestamp()
        );
        let common = format!(
            r#""targetOrganizationId":"{tenant}","targetOrganizationHost":"https://fabrikam-my.sharepoint.com","targetDataLocationCode":"EUR","preferredStartDateTime":"{}","validateOnly":false"#,
            g.timestamp()
        );
        match i % 3 {
            0 => {
                let _ = write!(
                    s,
                    r##""parameters":{{"@odata.type":"#microsoft.graph.sharePointSiteMigrationTaskParameters",{common},"sourceSiteUrl":"https://contoso.sharepoint.com/sites/project-{i}","targetSiteUrl":"https://fabrikam.sharepoint.com/sites/project-{i}"}}"##
                );
            }
            1 => {
                let _ = write!(
                    s,
                    r##""parameters":{{"@odata.type":"#microsoft.graph.sharePointUserMigrationTaskParameters",{common},"sourceUserIdentity":{{"id":"{}","userPrincipalName":"user{i}@contoso.com","displayName":"User {i}"}},"targetUserIdentity":{{"id":"{}","userPrincipalName":"user{i}@fabrikam.com","displayName":"User {i}"}}}}"##,
                    g.guid(),
                    g.guid()
                );
            }
            _ => {
                let _ = write!(
                    s,
                    r##""parameters":{{"@odata.type":"#microsoft.graph.sharePointGroupMigrationTaskParameters",{common},"sourceGroupIdentity":{{"id":"{}","mailNickname":"team{i}","displayName":"Team {i}"}},"targetGroupIdentity":{{"id":"{}","mailNickname":"team{i}","displayName":"Team {i}"}}}}"##,
                    g.guid(),
                    g.guid()
                );
            }
        }
        if status == "failed" {
            s.push_str(
                r#","error":{"code":"targetSiteExists","message":"A site already exists at the target URL.","details":[{"code":"conflict","message":"Choose another target URL.","target":"targetSiteUrl"}]}"#,
            );
        }
        s.push('}');
    }
    s.push_str(r#"]}"#);
    s
}

struct Pages {
    cross_tenant: Vec<u8>,
    sharepoint: Vec<u8>,
}

fn typed(p: &Pages) -> usize {
    let a: Page<CrossTenantMigrationTask> = decode_like_sdk(&p.cross_tenant);
    let b: Page<SharePointMigrationTask> = decode_like_sdk(&p.sharepoint);
    a.value.len() + b.value.len() + usize::from(a.next_link.is_some())
}

fn paths(p: &Pages) -> usize {
    let a: Page<CrossTenantMigrationTask> = decode_tracking_paths(&p.cross_tenant);
    let b: Page<SharePointMigrationTask> = decode_tracking_paths(&p.sharepoint);
    a.value.len() + b.value.len() + usize::from(a.next_link.is_some())
}

fn value(p: &Pages) -> usize {
    let a: serde_json::Value = serde_json::from_slice(&p.cross_tenant).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&p.sharepoint).unwrap();
    a["value"].as_array().map_or(0, Vec::len) + b["value"].as_array().map_or(0, Vec::len) + 1
}

/// The typed decode sees what the JSON says.
fn check(p: &Pages, n: usize) {
    let a: Page<CrossTenantMigrationTask> = decode_like_sdk(&p.cross_tenant);
    let b: Page<SharePointMigrationTask> = decode_like_sdk(&p.sharepoint);
    assert_eq!((a.value.len(), b.value.len()), (n, n));
    assert_eq!(a.count, Some(n as u64));
    assert!(a.context.is_some() && b.next_link.is_none());
    assert_eq!(a.value[0].current_status.get().map(Vec::len), Some(4));
    assert!(a.value.iter().all(|t| t.additional_data.is_empty()));
    let kinds = |k: fn(&AnySharePointMigrationTaskParameters) -> bool| {
        b.value
            .iter()
            .filter(|t| t.parameters.get().is_some_and(k))
            .count()
    };
    use AnySharePointMigrationTaskParameters as P;
    assert_eq!(
        kinds(|p| matches!(p, P::SharePointSiteMigrationTaskParameters(_))),
        n.div_ceil(3)
    );
    assert_eq!(
        kinds(
            |p| matches!(p, P::SharePointUserMigrationTaskParameters(v) if v.source_user_identity.is_set())
        ),
        (n + 1) / 3
    );
    assert_eq!(
        kinds(
            |p| matches!(p, P::SharePointGroupMigrationTaskParameters(v) if v.target_group_identity.is_set())
        ),
        n / 3
    );
    assert!(b.value.iter().all(|t| t.additional_data.is_empty()
        && t.finished_date_time.is_set()
        && t.parameters.get().is_some_and(|p| p.odata_type().is_some())));
    assert_eq!(value(p), 2 * n + 1);
}

fn medians(runs: usize, fs: &mut [&mut dyn FnMut() -> usize]) -> Vec<Duration> {
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(runs); fs.len()];
    for _ in 0..runs {
        for (f, t) in fs.iter_mut().zip(&mut times) {
            let start = Instant::now();
            std::hint::black_box(f());
            t.push(start.elapsed());
        }
    }
    times
        .into_iter()
        .map(|mut t| {
            t.sort();
            t[t.len() / 2]
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this
    // (unoptimised) without it: then a quick check only.
    let under_test = !args.iter().any(|a| a == "--bench");
    let n = if under_test { 100 } else { 10_000 };
    let pages = Pages {
        cross_tenant: cross_tenant_page(n).into_bytes(),
        sharepoint: sharepoint_page(n).into_bytes(),
    };
    if let Some(i) = args.iter().position(|a| a == "--once") {
        let r = match args.get(i + 1).map(String::as_str) {
            Some("value") => value(&pages),
            Some("paths") => paths(&pages),
            _ => typed(&pages),
        };
        println!("{r}");
        return;
    }
    check(&pages, n);
    if under_test {
        return;
    }
    let mb = (pages.cross_tenant.len() + pages.sharepoint.len()) as f64 / 1e6;
    let runs = 21;
    let t = medians(
        runs,
        &mut [&mut || value(&pages), &mut || typed(&pages), &mut || {
            paths(&pages)
        }],
    );
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "input: 2 pages x {n} items, {mb:.1} MB ({:.1} + {:.1}), {runs} runs each, interleaved, medians",
        pages.cross_tenant.len() as f64 / 1e6,
        pages.sharepoint.len() as f64 / 1e6
    );
    println!("serde_json::Value          : {:>8.2} ms", ms(t[0]));
    println!("typed, as the SDK decodes  : {:>8.2} ms", ms(t[1]));
    println!(
        "typed, tracking JSON paths : {:>8.2} ms  (serde_path_to_error on every decode)",
        ms(t[2])
    );
    println!(
        "[3] typed speed-up over Value: {:.2}x  (goal >= 1.5; tracking paths: {:.2}x)",
        t[0].as_secs_f64() / t[1].as_secs_f64(),
        t[0].as_secs_f64() / t[2].as_secs_f64()
    );
}
