//! HTTP-level tests of graph-sim over real loopback connections.

mod docs_rules;
mod faults;
mod jobs;
mod mappings;
mod odata;
mod sharepoint;
mod support;
