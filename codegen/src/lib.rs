//! The generator behind the `graph-migrations` SDK.
//!
//! The pipeline reads in one direction:
//! CSDL text → [`csdl::syntax`] (with positions) → [`patch`] → [`model`]
//! (resolved types, inheritance, operations, paths) → [`mod@slice`] → normalised
//! CSDL → Rust tokens ([`emit`]) → formatted files. [`pipeline`] strings the
//! stages together for `cargo xtask`.

pub mod csdl;
pub mod diagnostic;
pub mod diff;
pub mod docs;
pub mod emit;
pub mod lines;
pub mod listing;
pub mod model;
pub mod patch;
pub mod pipeline;
pub mod plan;
pub mod slice;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};
