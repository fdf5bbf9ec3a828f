//! The CSDL front end: text to syntax tree ([`parse`]), and syntax tree back
//! to normalised text ([`write`]).

pub mod diagnostic;
pub mod parse;
pub mod syntax;
pub mod write;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use parse::{ParseOptions, Parsed, parse, parse_fragment};
