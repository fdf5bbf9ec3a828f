//! The generator's integration tests, as one test binary: one module per
//! area (parser, resolver, slicer, patches, generator, diff, docs), sharing
//! the helpers in `support`. One binary links the dependency graph once,
//! instead of once per file.

mod diff_drift;
mod diff_kinds;
mod docs_extract;
mod generate_capabilities;
mod generate_generality;
mod generate_naming;
mod parser_conformance;
mod parser_errors;
mod parser_features;
mod parser_real;
mod patch_actions;
mod patch_committed;
mod patch_errors;
mod plan_docs;
mod prop_csdl_hostile;
mod prop_fuzz_csdl;
mod resolve_errors;
mod resolve_externals;
mod resolve_owned;
mod slice_default;
mod slice_errors;
mod slice_idempotent;
mod slice_sharepoint_only;
mod support;
