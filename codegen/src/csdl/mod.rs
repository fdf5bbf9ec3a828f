//! The CSDL front end: text to syntax tree ([`mod@parse`]), and syntax tree back
//! to normalised text ([`mod@write`]).

pub mod diagnostic;
pub mod parse;
pub mod syntax;
pub mod write;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use parse::{ParseOptions, Parsed, parse, parse_fragment};
