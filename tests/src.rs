//! Fixtures shared by the workspace tests (`tests/it` and `tests/e2e.rs`):
//! job bodies the simulator accepts, and SDK clients for a simulator.

// The job APIs are deprecated in the metadata and still documented: the
// tests exercise them on purpose.
#![allow(deprecated)]

use graph_migrations::Client;
use graph_migrations::models::CrossTenantMigrationJob;
use serde_json::{Value, json};

/// The JSON of a job graph-sim accepts, named `name`, moving `resources`
/// (Teams only, so no Exchange settings are needed).
pub fn job_json(name: &str, resources: &[&str]) -> Value {
    json!({
        "displayName": name,
        "resources": resources,
        "workloads": ["Teams"],
        "resourceType": "Users",
        "exchangeSettings": {"targetDeliveryDomain": "fabrikam.com", "sourceEndpoint": "EXOHandler"},
        "completeAfterDateTime": "2025-05-22T17:14:52Z",
        "sourceTenantId": "12345678-1234-1234-1234-123456789012"
    })
}

/// [`job_json`] as the SDK's model, with one resource.
pub fn job_body(name: &str) -> CrossTenantMigrationJob {
    serde_json::from_value(job_json(name, &["b5b8bc4f-0e36-4ad3-8ddf-248b68260b89"]))
        .expect("the fixture is a job")
}

/// An SDK client for `sim` with the bearer token `token` (`sim.*` allows
/// everything; `sim.role:GlobalAdministrator` is what the job pages ask for).
pub fn sim_client(sim: &graph_sim::SimHandle, token: &str) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .bearer_token(token)
        .build()
        .expect("a client for the simulator")
}
