//! The streaming CSDL parser: CSDL XML text to [`syntax`](super::syntax)
//! tree, with a position on every element.
//!
//! The parser is a recursive descent over quick-xml's event stream (most
//! tags are read by a fast path that quick-xml would read the same way,
//! see `fast`): no DOM is built, attribute values are borrowed from the input and only the
//! strings the tree keeps are allocated. Positions come from quick-xml byte
//! offsets, turned into line and column by binary search in a table of line
//! starts computed once per input.
//!
//! Errors are located [`Diagnostic`]s. XML syntax errors, unclosed or
//! mismatched elements, DOCTYPE declarations and excessive nesting stop the
//! parse; everything else (missing or malformed attributes, misplaced
//! elements, bad values) is collected and the parse goes on, so one run
//! reports every such problem. Elements that are not CSDL are skipped with a
//! warning, or an error under [`ParseOptions::strict`].
//!
//! What the parser checks is syntax: that required attributes are present,
//! that booleans, integers and type references are well formed, that
//! elements appear where CSDL allows them. Whether names resolve, types are
//! unique or base types form cycles is the resolver's business.
//!
//! The tree holds every construct of CSDL 4.0 and 4.01 XML: annotations
//! wherever CSDL allows them (on the schema, on annotations, on references,
//! includes, return types, expressions) and every expression, constant,
//! path or dynamic. OData V2/V3 documents (EDMX 1.0 to 3.0) are refused
//! with one error that says so.

mod events;
mod fast;
mod grammar;
mod values;

use quick_xml::Reader;

use super::syntax::{Document, Pos, Schema};
use super::{Diagnostic, Diagnostics};
use crate::lines::LineIndex;
use events::{Elem, NsBinding, RawAttr, Top};

/// How tolerant the parser is.
#[derive(Clone, Debug, Default)]
pub struct ParseOptions {
    /// Turn the warnings for unknown or unsupported elements and stray text
    /// into errors.
    pub strict: bool,
}

/// A successfully parsed document and the warnings met on the way.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub document: Document,
    pub warnings: Vec<super::Diagnostic>,
}

/// Parses a whole `edmx:Edmx` document. `file` is only used in diagnostics.
///
/// On failure the diagnostics hold every error found (and the warnings met
/// before), in document order.
pub fn parse(file: &str, text: &str, options: &ParseOptions) -> Result<Parsed, Diagnostics> {
    parse_with(file, text, options, true)
}

/// [`parse`] with every tag read by quick-xml, none by the fast path: the
/// reference the fuzz targets and the smoke test compare [`parse`] with.
/// Not part of the API.
#[doc(hidden)]
pub fn parse_without_fast_path(
    file: &str,
    text: &str,
    options: &ParseOptions,
) -> Result<Parsed, Diagnostics> {
    parse_with(file, text, options, false)
}

/// [`parse`], with or without the reader's fast path (which must not change
/// the result: tests compare both).
fn parse_with(
    file: &str,
    text: &str,
    options: &ParseOptions,
    fast_path: bool,
) -> Result<Parsed, Diagnostics> {
    let mut parser = Parser::new(file, text, Pos { line: 1, col: 1 }, options.strict)?;
    parser.fast_path = fast_path;
    let document = parser.document();
    parser
        .finish(document)
        .map(|(document, warnings)| Parsed { document, warnings })
}

/// Parses a sequence of schema-level elements (`EnumType`, `TypeDefinition`,
/// `ComplexType`, `EntityType`, `Action`, `Function`, `Term`,
/// `EntityContainer`, `Annotations`, `Annotation`) that are not wrapped in
/// `edmx:Edmx` and `Schema`, as metadata patches store them, into a
/// [`Schema`] with the given namespace.
///
/// Line 1 of `text` is reported as `base.line`, and columns on that first
/// line are shifted by `base.col - 1`, so that diagnostics point into the
/// file the fragment was taken from.
///
/// Fragments are parsed strictly: there is no way to return warnings, so
/// unknown elements are errors rather than silently dropped. Elements
/// without a namespace are read as CSDL.
pub fn parse_fragment(
    file: &str,
    text: &str,
    base: Pos,
    namespace: &str,
) -> Result<Schema, Diagnostics> {
    let base = Pos {
        line: base.line.max(1),
        col: base.col.max(1),
    };
    let mut parser = Parser::new(file, text, base, true)?;
    let schema = parser.fragment(namespace, base);
    parser.finish(schema).map(|(schema, _)| schema)
}

/// The marker of an error that stops the parse; the diagnostic itself is
/// already recorded in [`Parser::diags`].
#[derive(Debug)]
struct Fatal;

type PResult<T> = Result<T, Fatal>;

/// Element nesting limit, root included.
const MAX_DEPTH: usize = 256;
/// Longest attribute value or element text accepted.
const MAX_VALUE_LEN: usize = 1 << 20;

struct Parser<'a> {
    file: &'a str,
    text: &'a str,
    reader: Reader<&'a [u8]>,
    lines: LineIndex<'a>,
    strict: bool,
    /// The attributes of the element opened last (xmlns ones included).
    attrs: Vec<RawAttr<'a>>,
    /// The attributes the fast path read, before they are checked.
    fast_attrs: Vec<RawAttr<'a>>,
    /// Whether the fast path is used at all.
    fast_path: bool,
    /// Whether the reader stands between markup, where the fast path may
    /// read the next tag (quick-xml's state is then "in text").
    fast: bool,
    /// Bytes the fast path consumed, which quick-xml's offsets leave out.
    skipped: usize,
    /// The line breaks before `lines_upto` are counted: `line_index` of
    /// them, the last one ending at `line_start`.
    lines_upto: usize,
    line_index: usize,
    line_start: usize,
    /// In-scope namespace declarations, innermost last.
    ns: Vec<NsBinding<'a>>,
    depth: usize,
    diags: Vec<Diagnostic>,
    has_error: bool,
    /// Lists for the children that come in numbers, reused from element to
    /// element (see [`Scratch`]).
    scratch: Scratch,
}

/// Where the children of the many small elements are gathered before they
/// move, all at once, into a list of their final size. Pushed straight into
/// the element's own list, a type's properties would be copied at each
/// doubling and the list would keep up to half its room unused; Graph's
/// schema has thousands of such lists, and the model keeps them.
/// None of these elements nests in itself, so one list of each kind serves.
#[derive(Default)]
struct Scratch {
    properties: Vec<super::syntax::Property>,
    navigation_properties: Vec<super::syntax::NavigationProperty>,
    parameters: Vec<super::syntax::Parameter>,
    members: Vec<super::syntax::EnumMember>,
}

/// The items gathered in a scratch list, moved into a list of their final
/// size; the scratch list keeps its room for the next element.
#[expect(
    clippy::drain_collect,
    reason = "`mem::take` would hand over the scratch list's room, which is what this avoids"
)]
fn exact<T>(scratch: &mut Vec<T>) -> Vec<T> {
    scratch.drain(..).collect()
}

impl<'a> Parser<'a> {
    fn new(file: &'a str, text: &'a str, base: Pos, strict: bool) -> Result<Self, Diagnostics> {
        if text.len() >= u32::MAX as usize {
            return Err(Diagnostic::error(
                file,
                base,
                format!(
                    "input too large: {} bytes, expected less than 4 GiB",
                    text.len()
                ),
            )
            .into());
        }
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        // End tags are matched by the parser itself, which knows where the
        // open element started and can say so.
        config.check_end_names = false;
        config.expand_empty_elements = false;
        // Blank text between elements is never kept: skipped by the reader,
        // it costs no event. Element text (`text_of`) turns this off.
        config.trim_text_start = true;
        config.trim_text_end = false;
        // The fast path reads most tags without quick-xml, which then
        // cannot match end tags with start tags; `next_top` reports a
        // closing tag with nothing open just as quick-xml would.
        config.allow_unmatched_ends = true;
        Ok(Parser {
            file,
            text,
            reader,
            lines: LineIndex::new(text, base),
            strict,
            attrs: Vec::with_capacity(16),
            fast_attrs: Vec::with_capacity(16),
            fast_path: true,
            fast: false,
            skipped: 0,
            lines_upto: 0,
            line_index: 0,
            line_start: 0,
            ns: Vec::new(),
            depth: 0,
            diags: Vec::new(),
            has_error: false,
            scratch: Scratch::default(),
        })
    }

    fn finish<T>(mut self, result: PResult<T>) -> Result<(T, Vec<Diagnostic>), Diagnostics> {
        match result {
            Ok(value) if !self.has_error => Ok((value, self.diags)),
            _ => {
                if !self.has_error {
                    // Cannot happen: every Fatal records an error first.
                    let end = self.text.len();
                    self.error(end, "internal error: parse stopped without a diagnostic");
                }
                Err(Diagnostics(self.diags))
            }
        }
    }

    fn pos(&self, offset: usize) -> Pos {
        self.lines.pos(offset)
    }

    fn error(&mut self, offset: usize, message: impl Into<String>) {
        let pos = self.pos(offset);
        self.diags.push(Diagnostic::error(self.file, pos, message));
        self.has_error = true;
    }

    fn warning(&mut self, offset: usize, message: impl Into<String>) {
        let pos = self.pos(offset);
        self.diags
            .push(Diagnostic::warning(self.file, pos, message));
    }

    /// A warning, or an error in strict mode.
    fn lenient(&mut self, offset: usize, message: impl Into<String>) {
        if self.strict {
            self.error(offset, message);
        } else {
            self.warning(offset, message);
        }
    }

    fn fatal(&mut self, offset: usize, message: impl Into<String>) -> Fatal {
        self.error(offset, message);
        Fatal
    }

    /// The whole document: `edmx:Edmx` and nothing else but comments.
    fn document(&mut self) -> PResult<Document> {
        let Some(root) = self.next_top(Top::BeforeRoot)? else {
            let end = self.text.len();
            return Err(self.fatal(
                end,
                "unexpected end of file: expected root element <edmx:Edmx>",
            ));
        };
        let document = self.edmx(root)?;
        if let Some(extra) = self.next_top(Top::AfterRoot)? {
            return Err(self.fatal(
                extra.offset,
                format!(
                    "unexpected element <{}> after the root element: expected the end of the document",
                    extra.qname
                ),
            ));
        }
        Ok(document)
    }

    /// Schema-level elements without any wrapper.
    fn fragment(&mut self, namespace: &str, base: Pos) -> PResult<Schema> {
        let mut schema = Schema {
            namespace: namespace.to_string(),
            pos: base,
            ..Schema::default()
        };
        let parent = Elem::synthetic("Schema");
        while let Some(child) = self.next_top(Top::Fragment)? {
            self.schema_item(&mut schema, &parent, child)?;
            // next_top does not track the depth of top-level elements'
            // parents: each top-level element closes itself.
        }
        Ok(schema)
    }
}
