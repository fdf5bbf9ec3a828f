//! The CSDL front end: text to syntax tree ([`mod@parse`]), and syntax tree back
//! to normalised text ([`mod@write`]).

pub mod parse;
pub mod syntax;
pub mod write;

// Diagnostics live at the crate root; re-exported so `csdl::Diagnostic` keeps working.
pub use crate::diagnostic::{self, Diagnostic, Diagnostics, Severity};
pub use parse::{ParseOptions, Parsed, parse, parse_fragment};
