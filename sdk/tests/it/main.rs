//! The SDK's integration tests, one binary (one link of the dependency
//! graph): a module per former test file, shared helpers in `support`.

mod support;

mod examples_run;
mod polymorphic_decode;
mod prop_fuzz_models;
mod prop_models;
mod prop_path;
mod runtime_auth;
mod runtime_batch;
mod runtime_delta;
mod runtime_errors;
mod runtime_limits;
mod runtime_models;
mod runtime_modules;
mod runtime_paging;
mod runtime_path;
mod runtime_phase_waiters;
mod runtime_retry;
mod runtime_wait;
mod security_hosts;
mod security_paths;
mod security_tokens;
