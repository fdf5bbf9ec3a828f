//! `metadata/api-surface.txt`: every HTTP request the SDK can send, with the
//! Rust call that sends it, read off the plan.

use std::fmt::Write;

use super::Plan;

/// One HTTP request the SDK can send.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Endpoint {
    pub http: &'static str,
    pub template: String,
    /// The OData type of the response (`None` without a body).
    pub returns: String,
    /// `patched: …`, `deprecated, removal …`.
    pub notes: Vec<String>,
    /// The Rust call that sends it: `JobsRequestBuilder::by_id(…).get()`.
    pub rust: String,
}

impl Endpoint {
    pub fn line(&self) -> String {
        let mut s = format!(
            "{} {} -> {}  via {}",
            self.http, self.template, self.returns, self.rust
        );
        for n in &self.notes {
            let _ = write!(s, "  [{n}]");
        }
        s
    }
}

/// Every endpoint of the plan, sorted by template and verb.
pub(super) fn endpoints(plan: &Plan) -> Vec<&Endpoint> {
    let mut all: Vec<&Endpoint> = plan
        .builders
        .iter()
        .flat_map(|b| &b.methods)
        .flat_map(|m| &m.endpoints)
        .collect();
    all.sort_by(|a, b| (&a.template, a.http, &a.rust).cmp(&(&b.template, b.http, &b.rust)));
    all.dedup();
    all
}

pub(super) fn listing(plan: &Plan) -> String {
    let mut out = String::new();
    for e in endpoints(plan) {
        let _ = writeln!(out, "{}", e.line());
    }
    out
}
