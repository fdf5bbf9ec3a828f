//! `graph-sim` binary: runs the simulator until Ctrl-C and prints its base URL
//! (the first line of standard output) so scripts and examples can use it.

use clap::Parser;
use graph_sim::{FaultConfig, SimConfig};

/// A local simulator of the Microsoft Graph beta cross-tenant migration APIs.
#[derive(Parser, Debug)]
#[command(name = "graph-sim", version, about)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Page size of every collection (default: 20 for the jobs list, as its page
    /// documents, and 100 for the collections whose pages document none).
    #[arg(long, value_name = "N")]
    page_size: Option<usize>,
    /// Simulated seconds per real second (0 freezes the clock; use POST /_sim/clock/advance).
    #[arg(long, default_value_t = 1.0)]
    time_scale: f64,
    /// 429 with Retry-After every N-th request.
    #[arg(long, value_name = "N")]
    fault_429_every: Option<u64>,
    /// 503 every N-th request.
    #[arg(long, value_name = "N")]
    fault_503_every: Option<u64>,
    /// Close the connection without a response every N-th request.
    #[arg(long, value_name = "N")]
    fault_drop_every: Option<u64>,
    /// Delay every N-th response by --slow-ms.
    #[arg(long, value_name = "N")]
    fault_slow_every: Option<u64>,
    /// Truncated JSON body every N-th request.
    #[arg(long, value_name = "N")]
    fault_malformed_every: Option<u64>,
    /// HTML 502 page every N-th request.
    #[arg(long, value_name = "N")]
    fault_html_every: Option<u64>,
    /// Retry-After seconds on 429/503.
    #[arg(long, default_value_t = 1)]
    retry_after: u64,
    /// Delay of slow responses, in milliseconds.
    #[arg(long, default_value_t = 500)]
    slow_ms: u64,
    /// Only count and fault requests whose path contains this text.
    #[arg(long)]
    fault_path_contains: Option<String>,
    /// Additional trusted SharePoint target host (repeatable).
    #[arg(long = "trusted-target-host", value_name = "HOST")]
    trusted_target_hosts: Vec<String>,
    /// Additional trusted target organization id (repeatable).
    #[arg(long = "trusted-target-tenant", value_name = "GUID")]
    trusted_target_tenants: Vec<String>,
    /// Do not require identity mappings for SharePoint user tasks.
    #[arg(long)]
    no_identity_mapping_required: bool,
    /// Accept any bearer token as one with every permission.
    #[arg(long)]
    accept_any_token: bool,
    /// Knob: `migrate` goes through `approved` before `processing`.
    #[arg(long)]
    approval_step: bool,
    /// Knob: migrating this job resource needs an administrator (`adminActionRequired`; repeatable).
    #[arg(long = "admin-action-resource", value_name = "GUID")]
    admin_action_resources: Vec<String>,
    /// Knob: this job resource's services end `forceComplete` (repeatable).
    #[arg(long = "force-complete-resource", value_name = "GUID")]
    force_complete_resources: Vec<String>,
    /// Knob: migrating this job resource fails (repeatable).
    #[arg(long = "failing-resource", value_name = "GUID")]
    failing_resources: Vec<String>,
    /// Knob: validation doesn't find this job resource (`invalid`; repeatable).
    #[arg(long = "unknown-resource", value_name = "GUID")]
    unknown_resources: Vec<String>,
    /// Create N jobs at startup.
    #[arg(long, default_value_t = 0)]
    seed_jobs: usize,
    /// Seed a user identity mapping SOURCE_UPN=TARGET_UPN (repeatable).
    #[arg(long = "seed-user-mapping", value_name = "SRC=TGT")]
    seed_user_mappings: Vec<String>,
}

#[tokio::main]
async fn main() {
    let a = Args::parse();
    let mut cfg = SimConfig {
        port: a.port,
        time_scale: a.time_scale,
        faults: FaultConfig {
            throttle_429_every: a.fault_429_every,
            unavailable_503_every: a.fault_503_every,
            drop_connection_every: a.fault_drop_every,
            slow_every: a.fault_slow_every,
            malformed_json_every: a.fault_malformed_every,
            html_502_every: a.fault_html_every,
            retry_after_secs: a.retry_after,
            slow_delay_ms: a.slow_ms,
            path_contains: a.fault_path_contains,
        },
        require_identity_mapping: !a.no_identity_mapping_required,
        accept_any_token: a.accept_any_token,
        approval_step: a.approval_step,
        admin_action_resources: a.admin_action_resources,
        force_complete_resources: a.force_complete_resources,
        failing_resources: a.failing_resources,
        unknown_resources: a.unknown_resources,
        ..SimConfig::default()
    };
    if let Some(n) = a.page_size {
        cfg.page_size = n.max(1);
        cfg.jobs_page_size = n.max(1);
    }
    cfg.trusted_target_hosts.extend(a.trusted_target_hosts);
    cfg.trusted_target_tenant_ids
        .extend(a.trusted_target_tenants);
    let sim = match graph_sim::try_start(cfg).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("graph-sim: cannot bind: {e}");
            std::process::exit(1);
        }
    };
    if a.seed_jobs > 0 {
        sim.state().seed_jobs(a.seed_jobs);
    }
    for m in a.seed_user_mappings {
        match m.split_once('=') {
            Some((s, t)) => {
                sim.state().seed_user_mapping(s, t);
            }
            None => eprintln!("graph-sim: ignoring --seed-user-mapping '{m}' (expected SRC=TGT)"),
        }
    }
    println!("{}", sim.base_url());
    eprintln!(
        "graph-sim: serving the Graph beta migration APIs at {} (also under /beta); token: 'Bearer sim.*'; Ctrl-C stops",
        sim.base_url()
    );
    let _ = tokio::signal::ctrl_c().await;
    sim.shutdown().await;
}
