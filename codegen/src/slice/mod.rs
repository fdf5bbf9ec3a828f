//! Slicing: the part of a schema that serves a set of URL paths.

mod closure;
pub mod config;
mod externals;
mod filter;

pub use closure::{Selection, select};
pub use config::{DEFAULT_MAX_PATHS, PathPattern, SliceConfig};
pub use externals::check_externals;
pub use filter::{filter, syntax_signature};
