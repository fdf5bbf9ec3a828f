//! Placeholder: the streaming quick-xml parser lands here.
use super::{Diagnostics, syntax::{Document, Schema, Pos}};

#[derive(Clone, Debug, Default)]
pub struct ParseOptions { pub strict: bool }
#[derive(Clone, Debug)]
pub struct Parsed { pub document: Document, pub warnings: Vec<super::Diagnostic> }
pub fn parse(_file: &str, _text: &str, _options: &ParseOptions) -> Result<Parsed, Diagnostics> { unimplemented!() }
pub fn parse_fragment(_file: &str, _text: &str, _base: Pos, _namespace: &str) -> Result<Schema, Diagnostics> { unimplemented!() }
