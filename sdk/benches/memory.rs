//! Benchmark 5 of BENCHMARKS.md: peak memory while streaming identity
//! mappings through the SDK's pager (`.items()`), 10,000 versus 100,000 of
//! them. Goal: the peak is bounded by about two pages and does not grow
//! with the total.
//!
//! A counting global allocator records the peak of live heap bytes in this
//! process above what was live when streaming started. The server runs in a
//! child process (this binary with `--serve N`), so only the client is
//! counted: a wiremock server that generates pages of 999 user identity
//! mappings, shaped as graph-sim writes them, with `@odata.nextLink`s
//! carrying `$skiptoken` (graph-sim itself rebuilds the whole collection for
//! every page, which at 100,000 items would make this a benchmark of the
//! simulator).
//!
//! Run: `cargo bench -p graph-migrations --bench memory`.
//! Under `cargo test` (no `--bench` argument) it streams 50 items in pages
//! of 7 and checks the count.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};

use graph_migrations::Client;
use graph_migrations::runtime::RetryPolicy;
use support::{ChildServer, USER_MAPPINGS};

mod support;

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; the
// wrapper only updates two counters.
#[allow(
    unsafe_code,
    reason = "a counting allocator; the workspace denies unsafe code elsewhere"
)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A page as the pager decodes it.
#[derive(serde::Deserialize)]
struct DecodedPage {
    value: Vec<graph_migrations::models::SharePointUserIdentityMapping>,
}

/// One page of user identity mappings `start..end` of `total`.
fn page_body(origin: &str, start: usize, end: usize, total: usize, top: usize) -> String {
    let mut s = String::with_capacity((end - start) * 480 + 300);
    let _ = write!(
        s,
        r#"{{"@odata.context":"{origin}/$metadata#solutions/sharePoint/migrations/crossOrganizationUserMappings","value":["#
    );
    for i in start..end {
        if i > start {
            s.push(',');
        }
        let _ = write!(
            s,
            r##"{{"@odata.type":"#microsoft.graph.sharePointUserIdentityMapping","id":"user{i:06}@contoso.com","sourceOrganizationId":"5f1f8b6e-3c4a-4f0e-9a51-0d6a1c2b3e4f","userType":"regularUser","sourceUserIdentity":{{"userPrincipalName":"user{i:06}@contoso.com"}},"targetUserIdentity":{{"userPrincipalName":"user{i:06}@fabrikam.com"}},"targetUserMigrationData":{{"email":"user{i:06}@fabrikam.com"}}}}"##
        );
    }
    s.push(']');
    if end < total {
        let _ = write!(
            s,
            r#","@odata.nextLink":"{origin}{USER_MAPPINGS}?$top={top}&$skiptoken={end}""#
        );
    }
    s.push('}');
    s
}

struct Pages {
    /// The server's own base URL (wiremock's request URLs do not carry the
    /// `Host` the client used).
    origin: String,
    total: usize,
    default_top: usize,
}

impl wiremock::Respond for Pages {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let query = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse::<usize>().ok())
        };
        let start = query("$skiptoken").unwrap_or(0).min(self.total);
        let top = query("$top").unwrap_or(self.default_top).max(1);
        let end = (start + top).min(self.total);
        wiremock::ResponseTemplate::new(200).set_body_raw(
            page_body(&self.origin, start, end, self.total, top),
            "application/json",
        )
    }
}

/// Child mode: serve `n` mappings in pages of `top`.
fn serve(n: usize, top: usize) {
    support::child_runtime().block_on(async {
        let server = wiremock::MockServer::start().await;
        wiremock::Mock::given(wiremock::matchers::method("GET"))
            .and(wiremock::matchers::path(USER_MAPPINGS))
            .respond_with(Pages {
                origin: server.uri(),
                total: n,
                default_top: top,
            })
            .mount(&server)
            .await;
        support::announce_and_serve(&server.uri()).await;
    });
}

struct Run {
    items: usize,
    /// Peak live bytes above those live when streaming started.
    peak: usize,
    /// Live bytes left once the stream is dropped, above the start.
    after: isize,
}

/// Streams every mapping, keeping none: the peak is what paging needs.
fn stream(n: usize, top: u32) -> Run {
    let server = ChildServer::start(&[n.to_string(), top.to_string()]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = Client::builder()
        .base_url(&server.base_url)
        .bearer_token("token")
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("SDK client");
    rt.block_on(async {
        // Warm up the connection pool, the runtime's buffers and hyper's
        // adaptive read buffer (it grows with the responses it reads, up to
        // a fixed maximum) with the same ten pages for every total.
        let first = client
            .solutions()
            .share_point()
            .migrations()
            .cross_organization_user_mappings()
            .get()
            .top(top)
            .pager()
            .max_pages(10)
            .collect_all()
            .await
            .expect("first pages");
        assert_eq!(first.len(), n.min(10 * top as usize));
    });
    let start = LIVE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    let items = rt.block_on(support::stream_user_mappings(&client, top));
    let peak = PEAK.load(Ordering::Relaxed) - start;
    let after = LIVE.load(Ordering::Relaxed) as isize - start as isize;
    drop(server);
    Run { items, peak, after }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some((n, top)) = support::serve_args(&args) {
        serve(n, top);
        return;
    }
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this
    // (unoptimised) without it: then a quick check only.
    if !args.iter().any(|a| a == "--bench") {
        let run = stream(50, 7);
        assert_eq!(run.items, 50);
        return;
    }
    let top = 999u32;
    let body = page_body("http://127.0.0.1:12345", 0, 999, 100_000, 999);
    let page_bytes = body.len();
    // What one page takes once decoded (the items the pager hands out).
    let before = LIVE.load(Ordering::Relaxed);
    let decoded: DecodedPage = serde_json::from_str(&body).expect("page");
    let decoded_bytes = LIVE.load(Ordering::Relaxed) - before;
    assert_eq!(decoded.value.len(), 999);
    drop(decoded);
    let one_page = page_bytes + decoded_bytes;
    let small = stream(10_000, top);
    let large = stream(100_000, top);
    assert_eq!((small.items, large.items), (10_000, 100_000));
    let kb = |b: usize| b as f64 / 1024.0;
    println!(
        "streaming user identity mappings through Pager::items(), pages of {top}: \
         one page = {:.0} KiB of JSON + {:.0} KiB decoded = {:.0} KiB",
        kb(page_bytes),
        kb(decoded_bytes),
        kb(one_page)
    );
    for (n, run) in [(10_000, &small), (100_000, &large)] {
        println!(
            "{n:>7} items: peak {:>7.0} KiB above the start = {:.2} pages; {:+.0} KiB live after",
            kb(run.peak),
            run.peak as f64 / one_page as f64,
            run.after as f64 / 1024.0
        );
    }
    println!(
        "[5] peak(100k) / peak(10k): {:.2}  (goal: about 1, bounded by about two pages)",
        large.peak as f64 / small.peak as f64
    );
}
