//! HTTP-level tests of graph-sim over real loopback connections.

mod common;
mod faults;
mod jobs;
mod mappings;
mod odata;
mod sharepoint;
