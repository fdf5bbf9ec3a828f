//! The layer between quick-xml events and the CSDL grammar: opening and
//! closing elements (with namespace resolution, depth limit and end tag
//! matching), reading attributes and text, skipping unwanted content.

use std::borrow::Cow;

use quick_xml::errors::{Error as XmlError, IllFormedError, SyntaxError};
use quick_xml::events::{BytesEnd, BytesStart, Event};

use super::fast::Tag;
use super::grammar::{CONSTANT_EXPRESSIONS, ELEMENT_EXPRESSIONS};
use super::values::{self, excerpt};
use super::{Fatal, MAX_DEPTH, MAX_VALUE_LEN, PResult, Parser};
use crate::csdl::syntax::Operator;

/// Attributes on one element (CSDL uses at most a dozen).
const MAX_ATTRIBUTES: usize = 256;
/// Namespace declarations in scope at once (CSDL documents use two or three).
const MAX_NAMESPACES: usize = 256;

pub(super) const EDM_NS: &str = "http://docs.oasis-open.org/odata/ns/edm";
pub(super) const EDMX_NS: &str = "http://docs.oasis-open.org/odata/ns/edmx";

/// The namespace an element name resolved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ns<'a> {
    /// No namespace (no default namespace in scope).
    None,
    Edm,
    Edmx,
    /// Any other namespace, as written in its declaration.
    Other(&'a str),
}

#[derive(Clone, Copy, Debug)]
pub(super) struct NsBinding<'a> {
    prefix: &'a str,
    ns: Ns<'a>,
}

/// An attribute of the element opened last, value still escaped.
#[derive(Clone, Copy, Debug)]
pub(super) struct RawAttr<'a> {
    pub key: &'a str,
    pub value: &'a str,
    /// Byte offset of the attribute name.
    pub offset: usize,
    /// Nothing to unescape or normalise in the value.
    pub plain: bool,
}

/// An attribute value, unescaped, with the offset of the attribute.
pub(super) struct Val<'a> {
    pub text: Cow<'a, str>,
    pub offset: usize,
}

/// An open element.
#[derive(Clone, Copy, Debug)]
pub(super) struct Elem<'a> {
    /// The name as written, prefix included.
    pub qname: &'a str,
    pub local: &'a str,
    pub ns: Ns<'a>,
    /// Byte offset of the `<`.
    pub offset: usize,
    /// `<x/>`: there is no content and no end tag to read.
    pub empty: bool,
    /// The length of the namespace stack before this element's declarations.
    ns_mark: usize,
    /// False for the stand-in parent of fragment elements.
    real: bool,
}

impl<'a> Elem<'a> {
    /// A parent for messages about top-level fragment elements.
    pub(super) fn synthetic(name: &'static str) -> Self {
        Elem {
            qname: name,
            local: name,
            ns: Ns::Edm,
            offset: 0,
            empty: true,
            ns_mark: 0,
            real: false,
        }
    }

    /// The local name if the element is a CSDL one: in the edm namespace,
    /// or in no namespace at all (tolerated for hand-written input).
    pub(super) fn csdl(&self) -> Option<&'a str> {
        match self.ns {
            Ns::Edm | Ns::None => Some(self.local),
            _ => None,
        }
    }

    pub(super) fn edmx(&self) -> Option<&'a str> {
        match self.ns {
            Ns::Edmx => Some(self.local),
            _ => None,
        }
    }
}

/// Where [`Parser::next_top`] reads.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Top {
    BeforeRoot,
    AfterRoot,
    Fragment,
}

/// What to do with non-blank text between child elements.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TextMode {
    Report,
    Ignore,
}

/// The CSDL elements (edm namespace) the syntax tree holds, besides the
/// expressions ([`CONSTANT_EXPRESSIONS`], [`ELEMENT_EXPRESSIONS`] and the
/// operators).
const STRUCTURE_EDM: &[&str] = &[
    "Schema",
    "EnumType",
    "Member",
    "TypeDefinition",
    "ComplexType",
    "EntityType",
    "Key",
    "PropertyRef",
    "Property",
    "NavigationProperty",
    "ReferentialConstraint",
    "OnDelete",
    "Action",
    "Function",
    "Parameter",
    "ReturnType",
    "Term",
    "EntityContainer",
    "EntitySet",
    "Singleton",
    "NavigationPropertyBinding",
    "ActionImport",
    "FunctionImport",
    "Annotations",
    "Annotation",
    "PropertyValue",
];

/// Whether `local` names an element of CSDL (edm namespace).
fn csdl_element(local: &str) -> bool {
    STRUCTURE_EDM.contains(&local)
        || CONSTANT_EXPRESSIONS.contains(&local)
        || ELEMENT_EXPRESSIONS.contains(&local)
        || Operator::from_name(local).is_some()
}

const EDMX_ELEMENTS: &[&str] = &[
    "Edmx",
    "DataServices",
    "Reference",
    "Include",
    "IncludeAnnotations",
];

impl<'a> Parser<'a> {
    /// The offset and text of a slice of the input (quick-xml borrows every
    /// event from it), found by pointer arithmetic.
    fn locate(&self, bytes: &[u8]) -> Option<(usize, &'a str)> {
        let start = (bytes.as_ptr() as usize).checked_sub(self.text.as_ptr() as usize)?;
        let end = start.checked_add(bytes.len())?;
        Some((start, self.text.get(start..end)?))
    }

    /// quick-xml's position in the input.
    fn reader_position(&self) -> usize {
        self.reader.buffer_position() as usize + self.skipped
    }

    #[inline]
    fn read(&mut self) -> PResult<Event<'a>> {
        match self.reader.read_event() {
            Ok(event) => {
                // After text quick-xml stands inside markup or a reference;
                // after anything else, in text.
                self.fast = !matches!(event, Event::Text(_) | Event::Eof);
                Ok(event)
            }
            Err(error) => Err(self.xml_error(error)),
        }
    }

    fn xml_error(&mut self, error: XmlError) -> Fatal {
        let offset = (self.reader.error_position() as usize + self.skipped).min(self.text.len());
        let message = match error {
            XmlError::Syntax(SyntaxError::UnclosedTag) => {
                "unexpected end of file: tag not closed: expected \">\"".to_string()
            }
            XmlError::Syntax(SyntaxError::UnclosedComment) => {
                "unexpected end of file: comment not closed: expected \"-->\"".to_string()
            }
            XmlError::Syntax(SyntaxError::UnclosedCData) => {
                "unexpected end of file: CDATA section not closed: expected \"]]>\"".to_string()
            }
            XmlError::Syntax(SyntaxError::UnclosedDoctype) => {
                "unexpected end of file: DOCTYPE not closed: expected \">\"".to_string()
            }
            XmlError::Syntax(SyntaxError::UnclosedPIOrXmlDecl) => {
                "unexpected end of file: processing instruction not closed: expected \"?>\""
                    .to_string()
            }
            XmlError::Syntax(SyntaxError::InvalidBangMarkup) => {
                "malformed XML: unknown markup after \"<!\": expected a comment or a CDATA section"
                    .to_string()
            }
            XmlError::IllFormed(IllFormedError::UnmatchedEndTag(name)) => {
                format!("unexpected closing tag </{name}>: no element is open")
            }
            XmlError::IllFormed(IllFormedError::UnclosedReference) => {
                "malformed XML: entity reference not closed: expected \";\" after \"&\"".to_string()
            }
            XmlError::IllFormed(IllFormedError::MissingDeclVersion(_)) => {
                "malformed XML declaration: expected a version attribute first".to_string()
            }
            XmlError::IllFormed(IllFormedError::MissingDoctypeName) => DOCTYPE_MESSAGE.to_string(),
            other => format!("malformed XML: {other}"),
        };
        self.fatal(offset, message)
    }

    /// Opens an element from its start tag: checks the depth, reads the
    /// attributes into [`Parser::attrs`], applies its namespace
    /// declarations and resolves its name.
    fn open(&mut self, start: &BytesStart<'_>, empty: bool) -> PResult<Elem<'a>> {
        let Some((content_offset, content)) = self.locate(start) else {
            let at = self.reader_position();
            return Err(self.fatal(at, "internal error: element outside the input"));
        };
        let offset = content_offset.saturating_sub(1);
        let name_len = start.name().as_ref().len();
        let qname = content.get(..name_len).unwrap_or(content);
        self.enter(qname, offset)?;
        let ns_mark = self.ns.len();
        self.attrs.clear();
        self.scan_attributes(qname, content, content_offset, name_len)?;
        self.named(qname, offset, ns_mark, empty)
    }

    /// [`Parser::open`] for a start tag the fast path read: the same
    /// checks, in the same order.
    pub(super) fn open_fast(
        &mut self,
        qname: &'a str,
        offset: usize,
        empty: bool,
    ) -> PResult<Elem<'a>> {
        self.enter(qname, offset)?;
        let ns_mark = self.ns.len();
        std::mem::swap(&mut self.attrs, &mut self.fast_attrs);
        for index in 0..self.attrs.len() {
            self.admit(qname, index)?;
        }
        self.named(qname, offset, ns_mark, empty)
    }

    /// One level deeper, within the nesting limit.
    #[inline(always)]
    fn enter(&mut self, qname: &str, offset: usize) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.too_deep(qname, offset));
        }
        Ok(())
    }

    #[cold]
    fn too_deep(&mut self, qname: &str, offset: usize) -> Fatal {
        self.fatal(
            offset,
            format!(
                "element <{qname}> is nested too deeply: at most {MAX_DEPTH} levels of elements are allowed"
            ),
        )
    }

    /// The element named `qname`, its attributes read: its name resolved.
    #[inline(always)]
    fn named(
        &mut self,
        qname: &'a str,
        offset: usize,
        ns_mark: usize,
        empty: bool,
    ) -> PResult<Elem<'a>> {
        // Names are short: a plain loop beats a memchr call.
        let (prefix, local) = match qname.bytes().position(|b| b == b':') {
            Some(colon) => (&qname[..colon], &qname[colon + 1..]),
            None => ("", qname),
        };
        let Some(ns) = self.resolve(prefix) else {
            return Err(self.unbound(qname, prefix, offset));
        };
        Ok(Elem {
            qname,
            local,
            ns,
            offset,
            empty,
            ns_mark,
            real: true,
        })
    }

    #[cold]
    fn unbound(&mut self, qname: &str, prefix: &str, offset: usize) -> Fatal {
        self.fatal(
            offset,
            format!(
                "unbound namespace prefix \"{prefix}\" in <{qname}>: expected an xmlns:{prefix}=\"...\" declaration"
            ),
        )
    }

    fn bind(&mut self, prefix: &'a str, raw: &'a str, offset: usize) -> PResult<()> {
        let uri = match values::decode_attr(raw) {
            Ok(uri) => uri,
            Err(message) => return Err(self.fatal(offset, message)),
        };
        let ns = match &*uri {
            EDM_NS => Ns::Edm,
            EDMX_NS => Ns::Edmx,
            "" if prefix.is_empty() => Ns::None,
            "" => {
                return Err(self.fatal(
                    offset,
                    format!(
                        "empty namespace declaration xmlns:{prefix}=\"\": expected a namespace name"
                    ),
                ));
            }
            _ => Ns::Other(raw),
        };
        // Every element resolves its prefix against the declarations in
        // scope: bound them so that resolution stays cheap.
        if self.ns.len() >= MAX_NAMESPACES {
            return Err(self.fatal(
                offset,
                format!(
                    "too many namespace declarations in scope: at most {MAX_NAMESPACES} are allowed"
                ),
            ));
        }
        self.ns.push(NsBinding { prefix, ns });
        Ok(())
    }

    fn resolve(&self, prefix: &str) -> Option<Ns<'a>> {
        if let Some(binding) = self.ns.iter().rev().find(|b| same_key(b.prefix, prefix)) {
            return Some(binding.ns);
        }
        match prefix {
            "" => Some(Ns::None),
            "xml" => Some(Ns::Other("http://www.w3.org/XML/1998/namespace")),
            _ => None,
        }
    }

    /// Splits the attributes of a start tag (`content` is the text between
    /// `<` and `>`, the name takes its first `name_len` bytes) into
    /// [`Parser::attrs`] and applies namespace declarations.
    fn scan_attributes(
        &mut self,
        qname: &'a str,
        content: &'a str,
        content_offset: usize,
        name_len: usize,
    ) -> PResult<()> {
        let bytes = content.as_bytes();
        let len = bytes.len();
        let mut i = name_len;
        loop {
            let separated = i < len && is_space(bytes[i]);
            while i < len && is_space(bytes[i]) {
                i += 1;
            }
            if i >= len {
                return Ok(());
            }
            if !separated {
                return Err(self.malformed_attribute(
                    qname,
                    content_offset + i,
                    "expected whitespace before the attribute name",
                ));
            }
            let key_start = i;
            while i < len && !is_space(bytes[i]) && bytes[i] != b'=' {
                i += 1;
            }
            let key_end = i;
            while i < len && is_space(bytes[i]) {
                i += 1;
            }
            if i >= len || bytes[i] != b'=' {
                return Err(self.malformed_attribute(
                    qname,
                    content_offset + key_end,
                    "expected \"=\" after the attribute name",
                ));
            }
            i += 1;
            while i < len && is_space(bytes[i]) {
                i += 1;
            }
            let quote = match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => q,
                Some(_) => {
                    return Err(self.malformed_attribute(
                        qname,
                        content_offset + i,
                        "expected a value in quotes, found an unquoted value",
                    ));
                }
                None => {
                    return Err(self.malformed_attribute(
                        qname,
                        content_offset + i,
                        "expected a quoted value after \"=\"",
                    ));
                }
            };
            let value_start = i + 1;
            let Some((value_len, special)) = values::scan_value(&bytes[value_start..], quote)
            else {
                return Err(self.malformed_attribute(
                    qname,
                    content_offset + i,
                    &format!(
                        "expected the closing {} of the attribute value",
                        quote as char
                    ),
                ));
            };
            i = value_start + value_len + 1;
            // Both ends are ASCII bytes (or the end), so these are char
            // boundaries.
            let (Some(key), Some(value)) = (
                content.get(key_start..key_end),
                content.get(value_start..value_start + value_len),
            ) else {
                return Err(self.malformed_attribute(
                    qname,
                    content_offset + key_start,
                    "invalid attribute",
                ));
            };
            self.attrs.push(RawAttr {
                key,
                value,
                offset: content_offset + key_start,
                plain: !special,
            });
            self.admit(qname, self.attrs.len() - 1)?;
        }
    }

    /// Checks attribute `index` of [`Parser::attrs`] against the ones
    /// before it and applies it if it declares a namespace.
    #[inline(always)]
    fn admit(&mut self, qname: &str, index: usize) -> PResult<()> {
        let key = self.attrs[index].key;
        // The duplicate check is linear per attribute: bound the count so
        // that a start tag cannot make the parse quadratic.
        if index >= MAX_ATTRIBUTES || self.attrs[..index].iter().any(|a| same_key(a.key, key)) {
            return Err(self.refuse_attribute(qname, index));
        }
        if key.len() >= 5 && key.as_bytes()[0] == b'x' && key.starts_with("xmlns") {
            self.declare_namespace(index)?;
        }
        Ok(())
    }

    /// The error for attribute `index`, one too many or a duplicate.
    #[cold]
    fn refuse_attribute(&mut self, qname: &str, index: usize) -> Fatal {
        let RawAttr { key, offset, .. } = self.attrs[index];
        if index >= MAX_ATTRIBUTES {
            self.fatal(
                offset,
                format!("too many attributes on <{qname}>: at most {MAX_ATTRIBUTES} are allowed"),
            )
        } else {
            self.fatal(
                offset,
                format!("duplicate attribute {key} on <{qname}>: expected each attribute once"),
            )
        }
    }

    /// Applies attribute `index` if it is `xmlns` or `xmlns:prefix`.
    fn declare_namespace(&mut self, index: usize) -> PResult<()> {
        let RawAttr {
            key, value, offset, ..
        } = self.attrs[index];
        if key == "xmlns" {
            self.bind("", value, offset)?;
        } else if let Some(prefix) = key.strip_prefix("xmlns:") {
            self.bind(prefix, value, offset)?;
        }
        Ok(())
    }

    fn malformed_attribute(&mut self, qname: &str, at: usize, what: &str) -> Fatal {
        self.fatal(at, format!("malformed attribute in <{qname}>: {what}"))
    }

    fn close(&mut self, el: &Elem<'a>) {
        if el.real {
            self.ns.truncate(el.ns_mark);
            self.depth = self.depth.saturating_sub(1);
        }
    }

    fn end_tag(&mut self, el: &Elem<'a>, end: &BytesEnd<'_>) -> PResult<()> {
        let name = end.name();
        if name.as_ref() == el.qname.as_bytes() {
            self.close(el);
            return Ok(());
        }
        let at = match self.locate(name.as_ref()) {
            Some((offset, _)) => offset.saturating_sub(2),
            None => self.reader_position(),
        };
        let found = String::from_utf8_lossy(name.as_ref()).into_owned();
        Err(self.mismatched(el, at, &found))
    }

    /// [`Parser::end_tag`] for an end tag the fast path read; `at` is the
    /// offset of its `<`.
    fn end_tag_fast(&mut self, el: &Elem<'a>, name: &str, at: usize) -> PResult<()> {
        if name == el.qname {
            self.close(el);
            return Ok(());
        }
        Err(self.mismatched(el, at, name))
    }

    fn mismatched(&mut self, el: &Elem<'a>, at: usize, found: &str) -> Fatal {
        let opened = self.pos(el.offset);
        self.fatal(
            at,
            format!(
                "mismatched closing tag </{found}>: expected </{}> (opened at {opened})",
                el.qname
            ),
        )
    }

    fn unclosed(&mut self, el: &Elem<'a>) -> Fatal {
        let opened = self.pos(el.offset);
        let end = self.text.len();
        self.fatal(
            end,
            format!(
                "unexpected end of file: <{}> opened at {opened} is not closed",
                el.qname
            ),
        )
    }

    fn doctype(&mut self, bytes: &[u8]) -> Fatal {
        let at = match self.locate(bytes) {
            // The event holds the text after "<!DOCTYPE".
            Some((offset, _)) => self.text[..offset].rfind("<!").unwrap_or(offset),
            None => self.reader_position(),
        };
        self.fatal(at, DOCTYPE_MESSAGE)
    }

    fn stray_text(&mut self, parent: &Elem<'a>, bytes: &[u8]) {
        let (at, text) = match self.locate(bytes) {
            Some((offset, text)) => {
                let trimmed = text.trim_start();
                (offset + (text.len() - trimmed.len()), trimmed.trim_end())
            }
            None => (self.reader_position(), "?"),
        };
        let message = format!(
            "unexpected text \"{}\" in <{}>: ignored",
            excerpt(text, 40),
            parent.qname
        );
        self.lenient(at, message);
    }

    /// The next child element of `parent`, or `None` once its end tag has
    /// been read (and `parent` closed).
    pub(super) fn next_child(
        &mut self,
        parent: &Elem<'a>,
        text: TextMode,
    ) -> PResult<Option<Elem<'a>>> {
        if parent.empty {
            self.close(parent);
            return Ok(None);
        }
        loop {
            match self.fast_tag() {
                Some(Tag::Start {
                    qname,
                    offset,
                    empty,
                }) => return self.open_fast(qname, offset, empty).map(Some),
                Some(Tag::End { name, offset }) => {
                    self.end_tag_fast(parent, name, offset)?;
                    return Ok(None);
                }
                None => {}
            }
            match self.read()? {
                Event::Start(start) => return self.open(&start, false).map(Some),
                Event::Empty(start) => return self.open(&start, true).map(Some),
                Event::End(end) => {
                    self.end_tag(parent, &end)?;
                    return Ok(None);
                }
                Event::Text(t) => {
                    if text == TextMode::Report && !is_blank(&t) {
                        self.stray_text(parent, &t);
                    }
                }
                Event::CData(t) => {
                    if text == TextMode::Report && !is_blank(&t) {
                        self.stray_text(parent, &t);
                    }
                }
                Event::GeneralRef(r) => {
                    if text == TextMode::Report {
                        self.stray_text(parent, &r);
                    }
                }
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
                Event::DocType(d) => return Err(self.doctype(&d)),
                Event::Eof => return Err(self.unclosed(parent)),
            }
        }
    }

    /// The next element outside any element: the root, something after it,
    /// or the next element of a fragment. `None` at the end of input.
    pub(super) fn next_top(&mut self, place: Top) -> PResult<Option<Elem<'a>>> {
        loop {
            let bytes: Cow<'a, [u8]> = match self.read()? {
                Event::Start(start) => return self.open(&start, false).map(Some),
                Event::Empty(start) => return self.open(&start, true).map(Some),
                Event::End(end) => {
                    let name = String::from_utf8_lossy(end.name().as_ref()).into_owned();
                    let at = match self.locate(end.name().as_ref()) {
                        Some((offset, _)) => offset.saturating_sub(2),
                        None => self.reader_position(),
                    };
                    return Err(self.fatal(
                        at,
                        format!("unexpected closing tag </{name}>: no element is open"),
                    ));
                }
                Event::Text(t) if is_blank(&t) => continue,
                Event::CData(t) if is_blank(&t) => continue,
                Event::Text(t) => t.into_inner(),
                Event::CData(t) => t.into_inner(),
                Event::GeneralRef(r) => r.into_inner(),
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) => continue,
                Event::DocType(d) => return Err(self.doctype(&d)),
                Event::Eof => return Ok(None),
            };
            let (at, text) = match self.locate(&bytes) {
                Some((offset, text)) => {
                    let trimmed = text.trim_start();
                    (offset + (text.len() - trimmed.len()), trimmed.trim_end())
                }
                None => (self.reader_position(), "?"),
            };
            let text = excerpt(text, 40);
            match place {
                Top::BeforeRoot => {
                    return Err(self.fatal(
                        at,
                        format!("expected root element <edmx:Edmx>, found text \"{text}\""),
                    ));
                }
                Top::AfterRoot => {
                    return Err(self.fatal(
                        at,
                        format!(
                            "unexpected text \"{text}\" after the root element: expected the end of the document"
                        ),
                    ));
                }
                Top::Fragment => self.error(
                    at,
                    format!("unexpected text \"{text}\" between fragment elements: expected schema elements such as <EntityType>"),
                ),
            }
        }
    }

    /// The text content of `el` (entities resolved, CDATA included), up to
    /// its end tag. Child elements are errors.
    pub(super) fn text_of(&mut self, el: &Elem<'a>) -> PResult<Cow<'a, str>> {
        if el.empty {
            self.close(el);
            return Ok(Cow::Borrowed(""));
        }
        // Leading blanks are part of the text: the reader skips them only
        // when it reads the next event, so turning trimming off now keeps
        // them.
        self.reader.config_mut().trim_text_start = false;
        let text = self.text_content(el);
        self.reader.config_mut().trim_text_start = true;
        text
    }

    fn text_content(&mut self, el: &Elem<'a>) -> PResult<Cow<'a, str>> {
        let mut out: Cow<'a, str> = Cow::Borrowed("");
        loop {
            match self.read()? {
                Event::Text(t) => self.append_text(&mut out, &t),
                Event::CData(t) => self.append_text(&mut out, &t),
                Event::GeneralRef(r) => {
                    let name = String::from_utf8_lossy(&r);
                    match values::resolve_entity(&name) {
                        Ok(c) => out.to_mut().push(c),
                        Err(message) => {
                            let at = match self.locate(&r) {
                                Some((offset, _)) => offset.saturating_sub(1),
                                None => self.reader_position(),
                            };
                            self.error(at, format!("{message} in <{}>", el.qname));
                        }
                    }
                }
                Event::Start(start) => {
                    let child = self.open(&start, false)?;
                    self.child_in_text(el, child)?;
                }
                Event::Empty(start) => {
                    let child = self.open(&start, true)?;
                    self.child_in_text(el, child)?;
                }
                Event::End(end) => {
                    self.end_tag(el, &end)?;
                    break;
                }
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
                Event::DocType(d) => return Err(self.doctype(&d)),
                Event::Eof => return Err(self.unclosed(el)),
            }
        }
        if out.len() > MAX_VALUE_LEN {
            self.error(
                el.offset,
                format!(
                    "text of <{}> too long: {} bytes, expected at most {MAX_VALUE_LEN}",
                    el.qname,
                    out.len()
                ),
            );
        }
        Ok(out)
    }

    fn append_text(&mut self, out: &mut Cow<'a, str>, bytes: &[u8]) {
        let piece: Cow<'a, str> = match self.locate(bytes) {
            Some((_, text)) => values::normalize_newlines(text),
            None => Cow::Owned(String::from_utf8_lossy(bytes).into_owned()),
        };
        if out.is_empty() {
            *out = piece;
        } else {
            out.to_mut().push_str(&piece);
        }
    }

    fn child_in_text(&mut self, parent: &Elem<'a>, child: Elem<'a>) -> PResult<()> {
        self.error(
            child.offset,
            format!(
                "unexpected element <{}> in <{}>: expected text",
                child.qname, parent.qname
            ),
        );
        self.skip(child)
    }

    /// Reads past the end of `el`, ignoring its content.
    pub(super) fn skip(&mut self, el: Elem<'a>) -> PResult<()> {
        while let Some(child) = self.next_child(&el, TextMode::Ignore)? {
            self.skip(child)?;
        }
        Ok(())
    }

    /// Reports `child`, which CSDL does not allow in `parent`, and skips it.
    /// Misplaced CSDL elements are errors; elements that are not CSDL, or
    /// that the syntax tree cannot hold, are warnings (errors when strict).
    pub(super) fn unexpected(
        &mut self,
        child: Elem<'a>,
        parent: &Elem<'a>,
        expected: &str,
    ) -> PResult<()> {
        let (c, p) = (child.qname, parent.qname);
        match child.ns {
            Ns::Edm | Ns::None if EDMX_ELEMENTS.contains(&child.local) => self.error(
                child.offset,
                format!("element <{c}> is not in the edmx namespace: expected it in \"{EDMX_NS}\""),
            ),
            Ns::Edm | Ns::None if csdl_element(child.local) => self.error(
                child.offset,
                format!("unexpected element <{c}> in <{p}>: expected {expected}"),
            ),
            Ns::Edmx if EDMX_ELEMENTS.contains(&child.local) => self.error(
                child.offset,
                format!("unexpected element <{c}> in <{p}>: expected {expected}"),
            ),
            Ns::Other(uri) => {
                let message = if self.strict {
                    format!(
                        "unknown element <{c}> (namespace \"{uri}\") in <{p}>: expected {expected}"
                    )
                } else {
                    format!("unknown element <{c}> (namespace \"{uri}\") in <{p}>: ignored")
                };
                self.lenient(child.offset, message);
            }
            _ => {
                let message = if self.strict {
                    format!("unknown element <{c}> in <{p}>: expected {expected}")
                } else {
                    format!("unknown element <{c}> in <{p}>: ignored")
                };
                self.lenient(child.offset, message);
            }
        }
        self.skip(child)
    }

    /// Skips a CSDL element that CSDL does not allow where it stands but
    /// that does no harm there (an annotation on an element that takes
    /// none), with a warning (an error when strict).
    pub(super) fn unsupported(&mut self, child: Elem<'a>, parent: &Elem<'a>) -> PResult<()> {
        let message = if self.strict {
            format!(
                "unsupported element <{}> in <{}>: not allowed in strict mode",
                child.qname, parent.qname
            )
        } else {
            format!(
                "unsupported element <{}> in <{}>: ignored",
                child.qname, parent.qname
            )
        };
        self.lenient(child.offset, message);
        self.skip(child)
    }

    /// Reads an element that CSDL gives no children: annotations are
    /// skipped with a warning, anything else is unexpected.
    pub(super) fn no_children(&mut self, el: &Elem<'a>) -> PResult<()> {
        while let Some(child) = self.next_child(el, TextMode::Report)? {
            if child.csdl() == Some("Annotation") {
                self.unsupported(child, el)?;
            } else {
                self.unexpected(child, el, "no child elements")?;
            }
        }
        Ok(())
    }

    // Attributes of the element opened last.

    #[inline]
    fn raw_attr(&self, name: &str) -> Option<RawAttr<'a>> {
        self.attrs.iter().find(|a| same_key(a.key, name)).copied()
    }

    /// The attributes of the element opened last, for scans.
    pub(super) fn attr_list(&self) -> &[RawAttr<'a>] {
        &self.attrs
    }

    /// Unescapes a raw attribute value; errors are recorded.
    #[inline]
    pub(super) fn decode(&mut self, el: &Elem<'a>, attr: RawAttr<'a>) -> Option<Val<'a>> {
        if attr.plain && attr.value.len() <= MAX_VALUE_LEN {
            return Some(Val {
                text: Cow::Borrowed(attr.value),
                offset: attr.offset,
            });
        }
        self.decode_escaped(el, attr)
    }

    /// [`Parser::decode`] for values with something to unescape or
    /// normalise (rare: kept out of line).
    #[inline(never)]
    fn decode_escaped(&mut self, el: &Elem<'a>, attr: RawAttr<'a>) -> Option<Val<'a>> {
        match values::decode_attr(attr.value) {
            Ok(text) if text.len() > MAX_VALUE_LEN => {
                self.error(
                    attr.offset,
                    format!(
                        "attribute {} of <{}> too long: {} bytes, expected at most {MAX_VALUE_LEN}",
                        attr.key,
                        el.qname,
                        text.len()
                    ),
                );
                None
            }
            Ok(text) => Some(Val {
                text,
                offset: attr.offset,
            }),
            Err(message) => {
                self.error(
                    attr.offset,
                    format!("{message} in attribute {} of <{}>", attr.key, el.qname),
                );
                None
            }
        }
    }

    /// An optional attribute.
    #[inline]
    pub(super) fn attr(&mut self, el: &Elem<'a>, name: &str) -> Option<Val<'a>> {
        let raw = self.raw_attr(name)?;
        self.decode(el, raw)
    }

    /// A required attribute; its absence is an error.
    #[inline]
    pub(super) fn required(&mut self, el: &Elem<'a>, name: &str) -> Option<Val<'a>> {
        match self.raw_attr(name) {
            Some(raw) => self.decode(el, raw),
            None => {
                self.error(
                    el.offset,
                    format!("expected attribute {name} on <{}>", el.qname),
                );
                None
            }
        }
    }
}

const DOCTYPE_MESSAGE: &str = "unexpected <!DOCTYPE>: document type declarations are not allowed (their entities could expand without bound)";

/// Attribute name equality, inlined: CSDL attribute names are short and
/// mostly differ in their first byte (`Name`, `Type`), where a call to
/// `memcmp` would cost more than the comparison.
#[inline(always)]
fn same_key(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Whitespace only. Without early exit, so that it vectorises: the text
/// between elements is short indentation.
fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().fold(true, |blank, &b| {
        blank & ((b == b' ') | (b == b'\t') | (b == b'\n') | (b == b'\r'))
    })
}
