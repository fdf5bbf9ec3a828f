//! Benchmark 4 of BENCHMARKS.md: listing identity mappings through the SDK's
//! pager (`.items()`, following `@odata.nextLink`) versus a plain reqwest
//! loop (`GET`, decode into `serde_json::Value`, follow `@odata.nextLink`),
//! against graph-sim on loopback. Goal: SDK throughput at least 0.85 of the
//! plain loop's.
//!
//! graph-sim runs in a child process (this binary with `--serve N`), seeded
//! with N user identity mappings, so that the parent's CPU time is the
//! client's alone. Both clients share one `reqwest::Client` (the SDK is given
//! it with `ClientBuilder::http_client`), so connection settings are equal.
//! Both run round-robin on one current-thread runtime; medians compared.
//!
//! Run: `cargo bench -p graph-migrations --bench paging` (`-- --items N`).
//! Under `cargo test` it lists 25 items in pages of 7, once each way.

use std::time::{Duration, Instant};

use graph_migrations::Client;
use graph_migrations::runtime::RetryPolicy;
use support::{ChildServer, USER_MAPPINGS};

mod support;

const TOKEN: &str = "sim.*";

/// Child mode: graph-sim with `n` user mappings in pages of `page`.
fn serve(n: usize, page: usize) {
    support::child_runtime().block_on(async {
        let config = graph_sim::SimConfig {
            page_size: page,
            max_page_size: page.max(999),
            ..graph_sim::SimConfig::default()
        };
        let sim = graph_sim::start(config).await;
        let state = sim.state();
        for i in 0..n {
            state.seed_user_mapping(
                &format!("user{i:06}@contoso.com"),
                &format!("user{i:06}@fabrikam.com"),
            );
        }
        support::announce_and_serve(&sim.base_url()).await;
        sim.shutdown().await;
    });
}

/// CPU time of this process (user + system), from /proc; `None` elsewhere.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // Fields 14 and 15 of stat(5), counted after the `(comm)` field.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10)) // USER_HZ is 100 on Linux
}

async fn plain(http: &reqwest::Client, base: &str, top: u32) -> usize {
    let mut url = format!("{base}{USER_MAPPINGS}?$top={top}");
    let mut n = 0;
    loop {
        let page: serde_json::Value = http
            .get(&url)
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("send")
            .error_for_status()
            .expect("2xx")
            .json()
            .await
            .expect("JSON");
        n += page["value"]
            .as_array()
            .expect("value")
            .iter()
            .filter(|m| m["id"].is_string())
            .count();
        match page["@odata.nextLink"].as_str() {
            Some(next) => url = next.to_string(),
            None => return n,
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some((n, page)) = support::serve_args(&args) {
        serve(n, page);
        return;
    }
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this
    // (unoptimised) without it: then a quick check only.
    let under_test = !args.iter().any(|a| a == "--bench");
    let n: usize = match args.iter().position(|a| a == "--items") {
        Some(i) => args[i + 1].parse().expect("--items N"),
        None if under_test => 25,
        None => 20_000,
    };
    let top: u32 = if under_test { 7 } else { 999 };
    let runs = if under_test { 1 } else { 7 };

    let server = ChildServer::start(&[n.to_string(), top.to_string()]);
    let base = server.base_url.clone();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    // One HTTP client for both sides: the SDK's default settings, given to
    // the SDK explicitly.
    let http = reqwest::Client::builder()
        .user_agent(graph_migrations::runtime::USER_AGENT)
        .build()
        .expect("reqwest client");
    let client = Client::builder()
        .base_url(&base)
        .bearer_token(TOKEN)
        .http_client(http.clone())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("SDK client");

    rt.block_on(async {
        // Warm up: connections, the simulator's first listing.
        assert_eq!(support::stream_user_mappings(&client, top).await, n);
        assert_eq!(plain(&http, &base, top).await, n);
    });
    if under_test {
        return;
    }
    let mut wall: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
    let mut cpu: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
    for _ in 0..runs {
        for side in 0..2 {
            let (t0, c0) = (Instant::now(), cpu_time());
            let got = rt.block_on(async {
                if side == 0 {
                    plain(&http, &base, top).await
                } else {
                    support::stream_user_mappings(&client, top).await
                }
            });
            wall[side].push(t0.elapsed());
            if let (Some(a), Some(b)) = (c0, cpu_time()) {
                cpu[side].push(b - a);
            }
            assert_eq!(got, n);
        }
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v.get(v.len() / 2).copied()
    };
    let (plain_wall, sdk_wall) = (median(&mut wall[0]).unwrap(), median(&mut wall[1]).unwrap());
    let pages = n.div_ceil(top as usize);
    println!(
        "{n} user identity mappings from graph-sim (child process, loopback), {pages} pages of {top}, {runs} runs each, interleaved, medians"
    );
    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    println!(
        "plain reqwest + serde_json::Value : {:>8.1} ms  {:>9.0} items/s",
        plain_wall.as_secs_f64() * 1e3,
        rate(plain_wall)
    );
    println!(
        "SDK pager .items()                : {:>8.1} ms  {:>9.0} items/s",
        sdk_wall.as_secs_f64() * 1e3,
        rate(sdk_wall)
    );
    if let (Some(pc), Some(sc)) = (median(&mut cpu[0]), median(&mut cpu[1])) {
        println!(
            "client CPU time (this process)    : plain {:.0} ms, SDK {:.0} ms (the rest of the wall time is graph-sim's)",
            pc.as_secs_f64() * 1e3,
            sc.as_secs_f64() * 1e3
        );
    }
    println!(
        "[4] SDK / plain throughput: {:.2}  (goal >= 0.85)",
        plain_wall.as_secs_f64() / sdk_wall.as_secs_f64()
    );
    drop(server);
}
