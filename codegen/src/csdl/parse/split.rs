//! A large document read on two cores: while the parser reads the first
//! half of a schema's elements, a second parser, started speculatively where
//! the second half seems to begin, reads the rest of the schema and the
//! schemas after it, up to the end tag of `edmx:DataServices`.
//!
//! Graph's documents are a few `Schema` elements holding thousands of
//! types and operations, each read on its own: nothing the parser does
//! inside one depends on an earlier one. What a schema's children are read
//! with is the parser's state between two of them: the input, the position,
//! the namespace declarations in scope, the depth, the options. The second
//! parser is given exactly that state for the position it starts at, so
//! whatever it reads is what the first one would have read from there.
//!
//! The guess is checked before its result is used; anything else falls back
//! to reading on:
//! - the first parser must arrive at the guessed position between two of the
//!   schema's children, with nothing but blanks before it (not inside an
//!   element, a comment or a CDATA section, and not in a later schema);
//! - the second parser must have read up to the end tag of
//!   `edmx:DataServices` without an error. After an error the first parser
//!   reads on by itself and reports the same errors, in the same order, as
//!   it always did.
//!
//! So the tree and every diagnostic are those of a parse on one core (the
//! fuzz target, the fast path's mutation test and `parser_split.rs` compare
//! the two, with a split tried in documents of any size).
//!
//! Measured on graph-beta.csdl (BENCHMARKS.md, "Seventh round").

use rayon::in_place_scope;

use super::events::{Elem, NsBinding, TextMode, is_space};
use super::{PResult, Parser};
use crate::csdl::Diagnostic;
use crate::csdl::syntax::{Pos, Schema};

/// What the second parser read: the rest of the schema's children, the
/// schemas after it, the warnings met, and where the end tag of
/// `edmx:DataServices` ends.
struct Ahead {
    rest: Schema,
    following: Vec<Schema>,
    warnings: Vec<Diagnostic>,
    end: usize,
}

/// The parser state a schema's children are read with.
struct Context<'a> {
    file: &'a str,
    text: &'a str,
    strict: bool,
    fast_path: bool,
    ns: Vec<NsBinding<'a>>,
    depth: usize,
    services: Elem<'a>,
    schema: Elem<'a>,
}

/// How the first parser's part ended.
enum Reached {
    /// At the guessed position, between two children.
    Split,
    /// At the schema's end tag (having passed the guess, or never met it).
    End,
}

impl<'a> Parser<'a> {
    /// Where a second parser could start reading the children of the schema
    /// `schema`: the start of a line that starts an element only a schema
    /// holds, about halfway through the rest of the input. Only when the
    /// rest is large enough to pay for a second thread, and only in the
    /// schema that holds the middle (a later schema, when this one seems to
    /// end before it); one split per document.
    pub(super) fn split_point(&mut self, schema: &Elem<'a>) -> Option<usize> {
        let above = self.split_above?;
        let from = self.reader_position();
        let rest = self.text.len().saturating_sub(from);
        if rest < above {
            self.split_above = None;
            return None;
        }
        let middle = from + rest / 2;
        let mut end_tag = Vec::with_capacity(schema.qname.len() + 2);
        end_tag.extend_from_slice(b"</");
        end_tag.extend_from_slice(schema.qname.as_bytes());
        let before_middle = self.text.as_bytes().get(from..middle)?;
        if schema.empty || memchr::memmem::find(before_middle, &end_tag).is_some() {
            return None;
        }
        self.split_above = None;
        tag_at_line_start(self.text.as_bytes(), middle)
    }

    /// The schema `el` (a child of `services`) into `schemas`, and when the
    /// guess `at` holds, the rest of `services` too, read by a second
    /// parser: then `true`, and `services` is closed.
    pub(super) fn schema_split(
        &mut self,
        services: &Elem<'a>,
        el: Elem<'a>,
        at: usize,
        schemas: &mut Vec<Schema>,
    ) -> PResult<bool> {
        let mut schema = self.schema_open(&el);
        let context = Context {
            file: self.file,
            text: self.text,
            strict: self.strict,
            fast_path: self.fast_path,
            ns: self.ns.clone(),
            depth: self.depth,
            services: *services,
            schema: el,
        };
        // The first part is read on this thread (in a `join` called from
        // outside the pool it would go to a pool thread, and the tree would
        // be freed, later, by another thread than the one that made it).
        let mut ahead = None;
        let reached = in_place_scope(|scope| {
            scope.spawn(|_| ahead = context.read_ahead(at));
            self.schema_children_until(&el, &mut schema, at)
        });
        match (reached?, ahead) {
            (Reached::Split, Some(ahead)) => {
                let following = self.splice(services, &el, &mut schema, ahead);
                schemas.push(schema);
                schemas.extend(following);
                Ok(true)
            }
            (Reached::Split, None) => {
                self.schema_children(&el, &mut schema)?;
                schemas.push(schema);
                Ok(false)
            }
            (Reached::End, _) => {
                schemas.push(schema);
                Ok(false)
            }
        }
    }

    /// The children of `el`, up to `at` if the parser stops there between
    /// two of them, else to the end tag.
    fn schema_children_until(
        &mut self,
        el: &Elem<'a>,
        schema: &mut Schema,
        at: usize,
    ) -> PResult<Reached> {
        let mut watching = true;
        loop {
            if watching {
                let here = self.reader_position();
                let between = self.text.as_bytes().get(here..at);
                if between.is_some_and(|blanks| blanks.iter().all(|&b| is_space(b))) {
                    return Ok(Reached::Split);
                }
                watching = here < at;
            }
            match self.next_child(el, TextMode::Report)? {
                Some(child) => self.schema_item(schema, el, child)?,
                None => return Ok(Reached::End),
            }
        }
    }

    /// Takes over what the second parser read (the rest of `schema`, and
    /// the schemas after it, returned), and moves on past the end tag of
    /// `services` as if it had read it.
    fn splice(
        &mut self,
        services: &Elem<'a>,
        el: &Elem<'a>,
        schema: &mut Schema,
        ahead: Ahead,
    ) -> Vec<Schema> {
        let Ahead {
            rest,
            following,
            warnings,
            end,
        } = ahead;
        self.diags.extend(warnings);
        let Schema {
            enum_types,
            type_definitions,
            complex_types,
            entity_types,
            operations,
            terms,
            containers,
            annotations,
            own_annotations,
            ..
        } = rest;
        schema.enum_types.extend(enum_types);
        schema.type_definitions.extend(type_definitions);
        schema.complex_types.extend(complex_types);
        schema.entity_types.extend(entity_types);
        schema.operations.extend(operations);
        schema.terms.extend(terms);
        schema.containers.extend(containers);
        schema.annotations.extend(annotations);
        schema.own_annotations.extend(own_annotations);
        // The second parser read the end tags, so the reader stands after
        // markup, where the fast path may read; the lines skipped are
        // counted when the next tag is.
        let here = self.reader_position();
        self.consume(end.saturating_sub(here));
        self.close(el);
        self.close(services);
        self.fast = true;
        self.split = true;
        following
    }
}

impl<'a> Context<'a> {
    /// The schema's children from `at` to its end tag and the rest of
    /// `edmx:DataServices`, read by a parser in the state the first one
    /// would be in at `at`; `None` if that fails or meets an error.
    fn read_ahead(self, at: usize) -> Option<Ahead> {
        let mut parser =
            Parser::new(self.file, self.text, Pos { line: 1, col: 1 }, self.strict).ok()?;
        parser.fast_path = self.fast_path;
        parser.ns = self.ns;
        parser.depth = self.depth;
        // A new reader drops a byte order mark at the first place it reads
        // from; the first parser's did so at the start of the input. So
        // this one reads the first event there too (the first parser read
        // it without error), then moves on to `at`.
        parser.reader.read_event().ok()?;
        let skip = at.checked_sub(parser.reader_position())?;
        parser.consume(skip);
        parser.fast = true;
        let mut rest = Schema::default();
        let mut following = Vec::new();
        let read = parser
            .schema_children(&self.schema, &mut rest)
            .and_then(|()| {
                let mut legacy = false;
                while let Some(child) = parser.next_child(&self.services, TextMode::Report)? {
                    parser.data_services_child(
                        &self.services,
                        child,
                        &mut following,
                        &mut legacy,
                    )?;
                }
                Ok(())
            });
        if read.is_err() || parser.has_error {
            return None;
        }
        let end = parser.reader_position();
        Some(Ahead {
            rest,
            following,
            warnings: parser.diags,
            end,
        })
    }
}

/// Elements that occur only as children of a schema: a line that starts
/// with one of them most likely starts a child of the schema.
const SCHEMA_ONLY: &[&[u8]] = &[
    b"EntityType",
    b"ComplexType",
    b"EnumType",
    b"TypeDefinition",
    b"Action",
    b"Function",
    b"Term",
    b"EntityContainer",
    b"Annotations",
];

/// The first `<` at or after `from` that follows a line break and blanks
/// and starts a start tag of an element that only a schema holds (with or
/// without a prefix): where a schema child most likely begins.
fn tag_at_line_start(text: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let newline = at + memchr::memchr(b'\n', text.get(at..)?)?;
        let mut lt = newline + 1;
        while text.get(lt).is_some_and(|&b| b == b' ' || b == b'\t') {
            lt += 1;
        }
        if text.get(lt) == Some(&b'<') {
            let name_len = text
                .get(lt + 1..)?
                .iter()
                .position(|&b| {
                    !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-'))
                })
                .unwrap_or(0);
            let name = &text[lt + 1..lt + 1 + name_len];
            let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
            let ends = matches!(
                text.get(lt + 1 + name_len),
                Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/')
            );
            if ends && SCHEMA_ONLY.contains(&local) {
                return Some(lt);
            }
        }
        at = newline + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::tag_at_line_start;

    #[test]
    fn a_split_starts_at_a_schema_child_that_begins_a_line() {
        let text = b"<a>\n  </EntityType>\n  <!-- c -->\n  x <Term/>\n  <Property/>\n  <EntityTypes/>\n\t<edm:Term/>\n";
        assert_eq!(tag_at_line_start(text, 0), Some(text.len() - 12));
        assert_eq!(tag_at_line_start(b"\n<Action Name=\"a\">", 0), Some(1));
        assert_eq!(tag_at_line_start(b"<Action/>", 0), None);
        assert_eq!(tag_at_line_start(b"\n<Action", 0), None);
        assert_eq!(tag_at_line_start(b"\n", 0), None);
        assert_eq!(tag_at_line_start(b"", 3), None);
    }
}
