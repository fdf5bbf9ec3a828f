//! Fault soak through the simulator: 1,000 logical requests through the SDK's
//! generated builders (creates, reads, lists, counts, updates over jobs,
//! SharePoint tasks and identity mappings), 8 in flight, while graph-sim
//! injects 429, 503 and dropped connections on about 10% of the requests it
//! receives (retries included).
//!
//! Every request ends in success or a typed error (a transport error for a
//! create or update whose connection was dropped, since nothing says it was
//! not processed; a 429/503 service error only if retries run out), and
//! nothing is created twice: the simulator's state holds exactly the
//! successful creates, and its counters show that a POST was retried only
//! after a 429 or 503 (the server signalling it did not process it), never
//! after a dropped connection. Bounded in time: tiny retry delays,
//! `Retry-After: 0`, a deadline on the whole run.

#![allow(deprecated)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use graph_migrations::models::*;
use graph_migrations::runtime::{Error, RetryPolicy};
use graph_migrations::{Client, Field};
use graph_sim::{FaultConfig, FaultKind, SimConfig};
use serde_json::json;

const REQUESTS: usize = 1_000;
const IN_FLIGHT: usize = 8;
const JOBS: &str = "/solutions/migrations/crossTenantMigrationJobs";
const TASKS: &str = "/solutions/sharePoint/migrations/crossOrganizationMigrationTasks";
const USER_MAPS: &str = "/solutions/sharePoint/migrations/crossOrganizationUserMappings";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    CreateJob,
    CreateMapping,
    CreateTask,
    GetJob,
    ListJobs,
    CountJobs,
    PatchJob,
    GetJobByName,
    ListMappings,
}

fn op(i: usize) -> Op {
    match i % 10 {
        0 | 1 => Op::CreateJob,
        2 => Op::CreateMapping,
        3 => Op::CreateTask,
        4 => Op::GetJob,
        5 => Op::ListJobs,
        6 => Op::CountJobs,
        7 => Op::PatchJob,
        8 => Op::GetJobByName,
        _ => Op::ListMappings,
    }
}

use workspace_tests::job_body;

/// How one logical request ended.
#[derive(Debug)]
enum End {
    Ok,
    /// A transport error (connection dropped, not retried for POST/PATCH).
    Transport,
    /// 429 or 503 after every retry.
    Throttled,
}

#[derive(Default)]
struct Created {
    /// Job ids and names created so far (for reads and updates).
    jobs: Vec<(String, String)>,
}

async fn run_one(client: &Client, i: usize, created: &Mutex<Created>) -> (Op, String, End, String) {
    let jobs = client
        .solutions()
        .migrations()
        .cross_tenant_migration_jobs();
    let sp = client.solutions().share_point().migrations();
    let pick = || {
        let c = created.lock().unwrap();
        (!c.jobs.is_empty()).then(|| c.jobs[i % c.jobs.len()].clone())
    };
    let op = op(i);
    let mut key = String::new();
    let result: Result<(), Error> = match op {
        Op::CreateJob => {
            key = format!("soak-job-{i}");
            match jobs.post(&job_body(&key)).await {
                Ok(job) => {
                    let id = job.id.get().cloned().expect("created job has an id");
                    created.lock().unwrap().jobs.push((id, key.clone()));
                    Ok(())
                }
                Err(e) => Err(e),
            }
        }
        Op::CreateMapping => {
            key = format!("soak-user-{i}@contoso.com");
            let mapping: SharePointUserIdentityMapping = serde_json::from_value(json!({
                "sourceOrganizationId": "11111111-1111-1111-1111-111111111111",
                "userType": "regularUser",
                "sourceUserIdentity": {"userPrincipalName": key},
                "targetUserIdentity": {"userPrincipalName": format!("soak-user-{i}@fabrikam.com")}
            }))
            .unwrap();
            sp.cross_organization_user_mappings()
                .post(&mapping)
                .await
                .map(|_| ())
        }
        Op::CreateTask => {
            key = format!("https://contoso.sharepoint.com/sites/soak{i}");
            let site = SharePointSiteMigrationTaskParameters::new()
                .with_target_organization_host("https://fabrico-my.sharepoint.com".to_string())
                .with_source_site_url(key.clone())
                .with_target_site_url(format!("https://fabrico.sharepoint.com/sites/soak{i}"));
            sp.cross_organization_migration_tasks()
                .post(
                    &SharePointMigrationTask::new()
                        .with_parameters(AnySharePointMigrationTaskParameters::from(site)),
                )
                .await
                .map(|_| ())
        }
        Op::GetJob => match pick() {
            Some((id, _)) => jobs.by_id(&id).get().await.map(|j| {
                assert_eq!(j.id, Field::Set(id));
            }),
            None => jobs.get().top(5).await.map(|_| ()),
        },
        Op::ListJobs => jobs.get().top(5).await.map(|_| ()),
        Op::CountJobs => jobs.count().await.map(|_| ()),
        Op::PatchJob => match pick() {
            Some((id, _)) => {
                let later: graph_migrations::runtime::edm::DateTimeOffset =
                    "2025-06-01T00:00:00Z".parse().unwrap();
                jobs.by_id(&id)
                    .patch(&CrossTenantMigrationJobEdit::new().with_complete_after_date_time(later))
                    .await
                    .map(|_| ())
            }
            None => jobs.count().await.map(|_| ()),
        },
        Op::GetJobByName => match pick() {
            Some((_, name)) => jobs.by_display_name(&name).get().await.map(|_| ()),
            None => jobs.count().await.map(|_| ()),
        },
        Op::ListMappings => sp
            .cross_organization_user_mappings()
            .get()
            .top(5)
            .await
            .map(|_| ()),
    };
    let (end, detail) = match result {
        Ok(()) => (End::Ok, String::new()),
        Err(e @ Error::Transport { .. }) => (End::Transport, e.to_string()),
        Err(e) => match e.status().map(|s| s.as_u16()) {
            Some(429 | 503) => (End::Throttled, e.to_string()),
            _ => {
                panic!("request {i} ({op:?} {key}) ended in an untyped or unexpected error: {e:?}")
            }
        },
    };
    (op, key, end, detail)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_requests_with_ten_percent_faults_lose_nothing_and_duplicate_nothing() {
    let faults = FaultConfig {
        drop_connection_every: Some(29),
        unavailable_503_every: Some(31),
        throttle_429_every: Some(27),
        retry_after_secs: 0,
        ..FaultConfig::default()
    };
    let sim = graph_sim::start(SimConfig {
        faults,
        ..SimConfig::default()
    })
    .await;
    let client = Client::builder()
        .base_url(sim.base_url())
        .bearer_token("sim.*")
        .retry_policy(
            RetryPolicy::default()
                .with_max_retries(6)
                .with_initial_delay(Duration::from_millis(1))
                .with_max_delay(Duration::from_millis(10))
                .with_max_total(Duration::from_secs(20)),
        )
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let created = Arc::new(Mutex::new(Created::default()));
    let start = Instant::now();
    let outcomes: Vec<(Op, String, End, String)> = tokio::time::timeout(
        Duration::from_secs(120),
        futures::stream::iter(0..REQUESTS)
            .map(|i| {
                let (client, created) = (client.clone(), created.clone());
                async move { run_one(&client, i, &created).await }
            })
            .buffer_unordered(IN_FLIGHT)
            .collect(),
    )
    .await
    .expect("the soak hung");
    let elapsed = start.elapsed();
    assert_eq!(outcomes.len(), REQUESTS);

    // Outcome table.
    let mut table: BTreeMap<(Op, &str), usize> = BTreeMap::new();
    for (op, _, end, _) in &outcomes {
        let e = match end {
            End::Ok => "ok",
            End::Transport => "transport error",
            End::Throttled => "429/503 after retries",
        };
        *table.entry((*op, e)).or_default() += 1;
    }
    let stats = sim.stats();
    let snapshot = stats.snapshot();
    let total = stats.total_requests();
    let injected = [
        FaultKind::Throttle429,
        FaultKind::Unavailable503,
        FaultKind::DropConnection,
    ]
    .map(|k| stats.faults(k));
    eprintln!(
        "{REQUESTS} requests in {elapsed:?}; server saw {total} attempts, faults 429/503/drop = {injected:?}\n{table:?}"
    );

    // About 10% of what reached the server was faulted, every kind present.
    assert!(injected.iter().all(|&n| n > 0), "{injected:?}");
    let faulted: u64 = injected.iter().sum();
    let share = faulted as f64 / total as f64;
    assert!((0.08..=0.13).contains(&share), "fault share {share}");

    // Reads are idempotent: they are retried through every fault and succeed.
    for (op, key, end, detail) in &outcomes {
        if matches!(
            op,
            Op::GetJob | Op::ListJobs | Op::CountJobs | Op::GetJobByName | Op::ListMappings
        ) {
            assert!(matches!(end, End::Ok), "{op:?} {key}: {end:?} {detail}");
        }
        if let End::Transport = end {
            assert!(
                matches!(
                    op,
                    Op::CreateJob | Op::CreateMapping | Op::CreateTask | Op::PatchJob
                ),
                "{op:?}: {detail}"
            );
        }
    }
    let oks = outcomes
        .iter()
        .filter(|(_, _, e, _)| matches!(e, End::Ok))
        .count();
    assert!(oks >= REQUESTS * 9 / 10, "only {oks} successes");

    // No duplicate, no ghost: each create that succeeded is in the state
    // exactly once; each that failed is not there at all.
    let count_by = |values: Vec<serde_json::Value>,
                    f: &dyn Fn(&serde_json::Value) -> Option<String>| {
        let mut m: BTreeMap<String, usize> = BTreeMap::new();
        for v in &values {
            if let Some(k) = f(v) {
                *m.entry(k).or_default() += 1;
            }
        }
        m
    };
    let jobs = count_by(sim.state().jobs(), &|v| {
        v["displayName"].as_str().map(str::to_string)
    });
    let maps = count_by(sim.state().user_mappings(), &|v| {
        v["sourceUserIdentity"]["userPrincipalName"]
            .as_str()
            .map(str::to_string)
    });
    let tasks = count_by(sim.state().sharepoint_tasks(), &|v| {
        v["parameters"]["sourceSiteUrl"]
            .as_str()
            .map(str::to_string)
    });
    for (op, key, end, detail) in &outcomes {
        let state = match op {
            Op::CreateJob => &jobs,
            Op::CreateMapping => &maps,
            Op::CreateTask => &tasks,
            _ => continue,
        };
        let n = state.get(key).copied().unwrap_or(0);
        match end {
            End::Ok => assert_eq!(n, 1, "{op:?} {key} is in the state {n} times"),
            _ => assert_eq!(n, 0, "{op:?} {key} failed ({detail}) but is in the state"),
        }
    }
    for (what, state, op) in [
        ("jobs", &jobs, Op::CreateJob),
        ("mappings", &maps, Op::CreateMapping),
        ("tasks", &tasks, Op::CreateTask),
    ] {
        let ok = outcomes
            .iter()
            .filter(|(o, _, e, _)| *o == op && matches!(e, End::Ok))
            .count();
        assert_eq!(state.values().sum::<usize>(), ok, "{what}");
        assert!(state.values().all(|&n| n == 1), "{what}: duplicates");
    }

    // A POST was retried only after 429/503: every POST attempt the server
    // saw is a success, a 429/503 (not processed, retried), or a dropped
    // connection that ended its request with a transport error.
    for (template, op) in [
        (JOBS, Op::CreateJob),
        (USER_MAPS, Op::CreateMapping),
        (TASKS, Op::CreateTask),
    ] {
        let attempts = stats.requests("POST", template);
        let status = |s: u16| stats.responses("POST", template, s);
        let successes: u64 = snapshot
            .responses
            .iter()
            .filter(|r| {
                r.method == "POST" && r.template == template && (200..300).contains(&r.status)
            })
            .map(|r| r.count)
            .sum();
        let signalled = status(429) + status(503);
        let dropped_ends = outcomes
            .iter()
            .filter(|(o, _, e, _)| *o == op && matches!(e, End::Transport))
            .count() as u64;
        let other_errors: u64 = snapshot
            .responses
            .iter()
            .filter(|r| {
                r.method == "POST"
                    && r.template == template
                    && r.status >= 300
                    && !matches!(r.status, 429 | 503)
            })
            .map(|r| r.count)
            .sum();
        eprintln!(
            "POST {template}: {attempts} attempts = {successes} successes + {signalled} 429/503 + dropped (≤ {dropped_ends} transport errors)"
        );
        assert_eq!(
            other_errors, 0,
            "POST {template}: 4xx/5xx answers (409 = a duplicate)"
        );
        assert!(
            attempts <= successes + signalled + dropped_ends,
            "POST {template}: {attempts} attempts, only {successes} + {signalled} + {dropped_ends} explained: a POST was retried after a dropped connection"
        );
        assert!(attempts >= successes + signalled);
    }
    sim.shutdown().await;
}
