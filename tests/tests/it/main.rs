//! The workspace tests, one binary: a module per former test file. The
//! end-to-end coverage test (`e2e.rs`) stays a binary of its own: it
//! captures the SDK's tracing spans with a scoped subscriber, which another
//! test hitting the same callsites first on another thread would make
//! tracing cache as uninteresting.

mod e2e_docs;
mod e2e_faults;
mod faults_soak;
mod generated_fresh;
mod models_docs;
mod snapshots;
