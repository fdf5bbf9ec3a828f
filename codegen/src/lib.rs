//! The generator behind the `graph-migrations` SDK.
//!
//! The pipeline reads in one direction:
//! CSDL text → [`csdl::syntax`] (with positions) → [`model`] (resolved types,
//! inheritance, operations, paths) → slice → Rust tokens → formatted files.

pub mod csdl;
pub mod model;
