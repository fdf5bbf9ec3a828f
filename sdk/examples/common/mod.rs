//! Shared by the examples: connect to graph-sim or to Microsoft Graph from
//! the environment, progress-bar helpers and small parsing helpers.
//!
//! * `GRAPH_BASE_URL` set to anything but a Microsoft Graph host (for example
//!   the URL `cargo run -p graph-sim -- --port 8080` prints): talk to that
//!   endpoint with the bearer token `GRAPH_TOKEN` (default `sim.*`, the
//!   simulator's "every permission" test token). Sample data is generated
//!   only when that endpoint is on this machine.
//! * `GRAPH_BASE_URL` unset, or a Graph host (`https://graph.microsoft.com/beta`,
//!   national clouds too): real Microsoft Graph, authenticated as
//!   - the user signed in with `az login` when `GRAPH_CREDENTIAL=azure-cli`
//!     (`azure_identity::AzureCliCredential`, in `AZURE_TENANT_ID` if set).
//!     The cross-tenant migration job APIs take only such a signed-in user
//!     (Microsoft 365 Migration Administrator or Global Administrator): they
//!     support no application permission;
//!   - an application, through `azure_identity::ClientSecretCredential` from
//!     `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET` (the
//!     SharePoint migration APIs);
//!   - or a token acquired elsewhere, in `GRAPH_TOKEN`.
//!
//! Every example also reads `POLL_SECONDS` (the first interval between
//! status polls, 1 to 86,400 seconds; default 2 against the simulator, 30
//! against Graph).

#![allow(dead_code)]

use std::time::Duration;

use graph_migrations::Client;
use graph_migrations::runtime::{Cloud, RetryPolicy};
use indicatif::{ProgressBar, ProgressStyle};

/// The error type of the examples.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Which kind of endpoint a client talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// graph-sim, or another endpoint on this machine (test data may be
    /// generated).
    Simulator,
    /// Microsoft Graph (a national cloud included), or an endpoint elsewhere
    /// that may stand in front of it: never test data.
    Graph,
}

/// A configured client and what it talks to.
pub(crate) struct Connection {
    pub client: Client,
    pub endpoint: Endpoint,
    /// Seconds between status polls.
    pub poll: Duration,
}

impl Connection {
    pub(crate) fn is_simulator(&self) -> bool {
        self.endpoint == Endpoint::Simulator
    }
}

/// Whether `url` names a Microsoft Graph host (any national cloud; a host
/// written with its trailing dot, `graph.microsoft.com.`, is the same host).
pub(crate) fn is_graph_host(url: &str) -> bool {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| h.trim_end_matches('.').to_ascii_lowercase())
        })
        .is_some_and(|h| Cloud::ALL.iter().any(|c| c.graph_host() == h))
}

/// Whether `url` names this machine (`127.0.0.1`, `::1`, `localhost`): the
/// only endpoints sample data is ever generated for. A proxy in front of
/// Graph, or any other host, may be a real tenant.
pub(crate) fn is_loopback(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    match u.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.trim_end_matches('.').eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Connects from the process environment (see the module docs).
pub(crate) fn connect() -> Result<Connection, BoxError> {
    connect_with(|name| std::env::var(name).ok())
}

/// Connects from the variables `var` returns (the process environment in
/// [`connect`]; a map in tests).
pub(crate) fn connect_with(var: impl Fn(&str) -> Option<String>) -> Result<Connection, BoxError> {
    let var = |name: &str| {
        var(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let base = var("GRAPH_BASE_URL");
    let token = var("GRAPH_TOKEN");
    // Between a second and a day: less would poll Graph in a tight loop,
    // more is no poll at all (and a huge number is no `Duration`).
    let poll_override = match var("POLL_SECONDS") {
        Some(s) => Some(Duration::from_secs_f64(
            s.parse::<f64>()
                .ok()
                .filter(|v| (1.0..=86_400.0).contains(v))
                .ok_or_else(|| {
                    format!("POLL_SECONDS must be a number of seconds from 1 to 86400, got {s:?}")
                })?,
        )),
        None => None,
    };
    let builder = Client::builder().user_agent_suffix("graph-migrations-examples");

    // A simulator (or any endpoint that is not Microsoft Graph).
    if let Some(base) = base.as_deref().filter(|b| !is_graph_host(b)) {
        let client = builder
            .base_url(base)
            .bearer_token(token.unwrap_or_else(|| "sim.*".to_string()))
            // The simulator answers instantly; keep retries short.
            .retry_policy(
                RetryPolicy::default()
                    .with_initial_delay(Duration::from_millis(200))
                    .with_max_delay(Duration::from_secs(2)),
            )
            .build()?;
        return Ok(Connection {
            client,
            endpoint: if is_loopback(base) {
                Endpoint::Simulator
            } else {
                Endpoint::Graph
            },
            poll: poll_override.unwrap_or(Duration::from_secs(2)),
        });
    }

    // Microsoft Graph.
    let mut builder = builder;
    if let Some(base) = &base {
        builder = builder.base_url(base.as_str());
    }
    let builder = if let Some(token) = token {
        builder.bearer_token(token)
    } else if var("GRAPH_CREDENTIAL").is_some_and(|c| c.eq_ignore_ascii_case("azure-cli")) {
        with_azure_cli(builder, var("AZURE_TENANT_ID"))?
    } else {
        match (
            var("AZURE_TENANT_ID"),
            var("AZURE_CLIENT_ID"),
            var("AZURE_CLIENT_SECRET"),
        ) {
            (Some(tenant), Some(client_id), Some(secret)) => {
                with_client_secret(builder, &tenant, client_id, secret)?
            }
            _ => {
                return Err(
                    "no endpoint configured: start the simulator (`cargo run -p graph-sim -- --port 8080`) \
                     and set GRAPH_BASE_URL=http://127.0.0.1:8080, or set GRAPH_CREDENTIAL=azure-cli \
                     (a user signed in with `az login`), AZURE_TENANT_ID, AZURE_CLIENT_ID and \
                     AZURE_CLIENT_SECRET (an application), or GRAPH_TOKEN to use Microsoft Graph"
                        .into(),
                );
            }
        }
    };
    Ok(Connection {
        client: builder.build()?,
        endpoint: Endpoint::Graph,
        poll: poll_override.unwrap_or(Duration::from_secs(30)),
    })
}

#[cfg(feature = "azure-identity")]
fn with_client_secret(
    builder: graph_migrations::ClientBuilder,
    tenant: &str,
    client_id: String,
    secret: String,
) -> Result<graph_migrations::ClientBuilder, BoxError> {
    // The credential caches its token and refreshes it before it expires.
    let credential =
        azure_identity::ClientSecretCredential::new(tenant, client_id, secret.into(), None)?;
    Ok(builder.credential(credential))
}

#[cfg(feature = "azure-identity")]
fn with_azure_cli(
    builder: graph_migrations::ClientBuilder,
    tenant: Option<String>,
) -> Result<graph_migrations::ClientBuilder, BoxError> {
    let options = azure_identity::AzureCliCredentialOptions {
        tenant_id: tenant,
        ..Default::default()
    };
    Ok(builder.credential(azure_identity::AzureCliCredential::new(Some(options))?))
}

#[cfg(not(feature = "azure-identity"))]
fn with_azure_cli(
    _builder: graph_migrations::ClientBuilder,
    _tenant: Option<String>,
) -> Result<graph_migrations::ClientBuilder, BoxError> {
    Err("GRAPH_CREDENTIAL=azure-cli needs the `azure-identity` feature of graph-migrations".into())
}

#[cfg(not(feature = "azure-identity"))]
fn with_client_secret(
    _builder: graph_migrations::ClientBuilder,
    _tenant: &str,
    _client_id: String,
    _secret: String,
) -> Result<graph_migrations::ClientBuilder, BoxError> {
    Err("AZURE_* credentials need the `azure-identity` feature of graph-migrations".into())
}

/// A spinner with a message (hidden automatically when stderr is not a terminal).
pub(crate) fn spinner(message: impl Into<String>) -> ProgressBar {
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template("{spinner:.green} [{elapsed_precise}] {msg}")
            .expect("valid template"),
    );
    pb.set_message(message.into());
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// A progress bar of `len` steps.
pub(crate) fn bar(len: u64, unit: &str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    let template = format!(
        "{{spinner:.green}} [{{elapsed_precise}}] [{{wide_bar:.cyan/blue}}] {{pos}}/{{len}} {unit} {{msg}}"
    );
    pb.set_style(
        ProgressStyle::with_template(&template)
            .expect("valid template")
            .progress_chars("=> "),
    );
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// Prints a line above the bar, or to stderr when the bar is hidden (not a terminal).
pub(crate) fn say(pb: &ProgressBar, line: impl AsRef<str>) {
    if pb.is_hidden() {
        eprintln!("{}", line.as_ref());
    } else {
        pb.println(line.as_ref());
    }
}

/// The migration waiter polling every `poll` (backing off to four times
/// that), giving up after `max_wait`.
pub(crate) fn poll_waiter(poll: Duration, max_wait: Duration) -> graph_migrations::Waiter {
    graph_migrations::waiters::migration_waiter()
        .interval(poll)
        .max_interval(poll * 4)
        .max_wait(max_wait)
}

/// A comma-separated list from a variable.
pub(crate) fn list_var(value: Option<String>) -> Option<Vec<String>> {
    value.map(|v| {
        v.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    })
}

/// The process exit: prints the error chain to stderr on failure.
pub(crate) fn exit(result: Result<(), BoxError>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            let mut source = e.source();
            while let Some(s) = source {
                eprintln!("  caused by: {s}");
                source = s.source();
            }
            std::process::ExitCode::FAILURE
        }
    }
}
