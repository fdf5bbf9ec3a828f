//! Helpers shared by the HTTP-level tests.

use graph_sim::{SimConfig, SimHandle};
use reqwest::header::HeaderMap;
use serde_json::Value;

pub(crate) const ALL: &str = "sim.*";
/// A token of a Microsoft 365 Migration Administrator (the job APIs need a role).
pub(crate) const JOBS_ROLE: &str = "sim.role:Microsoft365MigrationAdministrator";
pub(crate) const SP_MANAGE: &str = "sim.SharePointCrossTenantMigration.Manage.All";

pub(crate) const JOBS: &str = "/solutions/migrations/crossTenantMigrationJobs";
pub(crate) const TASKS: &str = "/solutions/sharePoint/migrations/crossOrganizationMigrationTasks";
pub(crate) const USER_MAPS: &str = "/solutions/sharePoint/migrations/crossOrganizationUserMappings";
pub(crate) const GROUP_MAPS: &str =
    "/solutions/sharePoint/migrations/crossOrganizationGroupMappings";

/// A response, fully read.
#[derive(Debug)]
pub(crate) struct R {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl R {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    /// The Graph error code and message.
    pub(crate) fn error(&self) -> (String, String) {
        let v = self.json();
        let e = &v["error"];
        (
            e["code"]
                .as_str()
                .unwrap_or_else(|| panic!("no error code: {}", self.text))
                .to_string(),
            e["message"].as_str().unwrap_or_default().to_string(),
        )
    }
}

/// A tiny client for the simulator.
#[derive(Clone)]
pub(crate) struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub token: Option<String>,
}

impl Api {
    pub(crate) fn new(base: &str) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: base.to_string(),
            token: Some(ALL.to_string()),
        }
    }

    pub(crate) fn with_token(&self, token: Option<&str>) -> Self {
        Self {
            token: token.map(str::to_string),
            ..self.clone()
        }
    }

    pub(crate) async fn try_send(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Result<R> {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{}", self.base, path)
        };
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut rb = self.http.request(m, url);
        if let Some(t) = &self.token {
            rb = rb.header("Authorization", format!("Bearer {t}"));
        }
        if let Some(b) = body {
            rb = rb
                .header("Content-Type", "application/json")
                .body(b.to_string());
        }
        let resp = rb.send().await?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await?;
        Ok(R {
            status,
            headers,
            text,
        })
    }

    pub(crate) async fn send(&self, method: &str, path: &str, body: Option<Value>) -> R {
        self.try_send(method, path, body)
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub(crate) async fn get(&self, path: &str) -> R {
        self.send("GET", path, None).await
    }

    pub(crate) async fn post(&self, path: &str, body: Value) -> R {
        self.send("POST", path, Some(body)).await
    }

    pub(crate) async fn post_empty(&self, path: &str) -> R {
        self.send("POST", path, None).await
    }

    pub(crate) async fn patch(&self, path: &str, body: Value) -> R {
        self.send("PATCH", path, Some(body)).await
    }

    pub(crate) async fn delete(&self, path: &str) -> R {
        self.send("DELETE", path, None).await
    }
}

/// A simulator with the default configuration and a client holding `sim.*`.
pub(crate) async fn sim() -> (SimHandle, Api) {
    sim_with(SimConfig::default()).await
}

pub(crate) async fn sim_with(cfg: SimConfig) -> (SimHandle, Api) {
    let sim = graph_sim::start(cfg).await;
    let api = Api::new(&sim.base_url());
    (sim, api)
}

/// Percent-encodes an OData string literal for a URL path: quotes, inner quotes doubled.
pub(crate) fn lit(v: &str) -> String {
    let quoted = format!("'{}'", v.replace('\'', "''"));
    let mut out = String::new();
    for b in quoted.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Runs the graph-sim binary with `args`; returns the child and the base URL it printed.
pub(crate) async fn spawn_binary(args: &[&str]) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_graph-sim"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn graph-sim");
    let stdout = child.stdout.take().unwrap();
    let base = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line.trim().to_string()
    })
    .await
    .unwrap();
    (child, base)
}
