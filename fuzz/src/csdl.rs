//! Fuzz entry points for the CSDL parser, shared by the cargo-fuzz targets
//! (`fuzz/fuzz_targets/csdl_*.rs`) and the bounded stable smoke test
//! (`codegen/tests/it/prop_fuzz_csdl.rs`, which includes this file by path).
//!
//! Each entry point takes raw bytes and panics only when an invariant is
//! broken; a parse error is a normal outcome.

use migrations_codegen::csdl::parse::parse_without_fast_path;
use migrations_codegen::csdl::syntax::Pos;
use migrations_codegen::csdl::write::write_document;
use migrations_codegen::csdl::{Diagnostics, ParseOptions, Severity, parse, parse_fragment};

/// What one input did, for statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Parsed,
    Rejected,
}

/// `parse` on the lossy UTF-8 decoding of `data`, lenient and strict.
///
/// Invariants: the parser's fast path changes nothing (the tree, or every
/// diagnostic with its position, equals what quick-xml alone reads); a
/// failure carries at least one error; every diagnostic points inside the
/// input; a parsed document written back with the normalising writer parses
/// again, and writing that again gives the same bytes.
pub fn parse_bytes(data: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(data);
    let mut outcome = Outcome::Rejected;
    for strict in [false, true] {
        let options = ParseOptions { strict };
        let result = parse("fuzz.csdl", &text, &options);
        let reference = parse_without_fast_path("fuzz.csdl", &text, &options);
        assert_eq!(
            format!("{result:?}"),
            format!("{reference:?}"),
            "the fast path changed the result (strict: {strict})"
        );
        match result {
            Ok(parsed) => {
                outcome = Outcome::Parsed;
                check_positions(&text, Pos { line: 1, col: 1 }, &parsed.warnings);
                assert!(
                    parsed
                        .warnings
                        .iter()
                        .all(|w| w.severity == Severity::Warning),
                    "an error among the warnings of a successful parse"
                );
                if strict {
                    assert!(parsed.warnings.is_empty(), "strict parse with warnings");
                }
                let written = write_document(&parsed.document, &[]);
                let again = match parse("written.csdl", &written, &ParseOptions::default()) {
                    Ok(p) => p,
                    Err(d) => panic!(
                        "the writer's output does not parse again:\n{d}\n--- written ---\n{written}"
                    ),
                };
                let rewritten = write_document(&again.document, &[]);
                assert_eq!(written, rewritten, "writing is not a fixpoint");
            }
            Err(diagnostics) => check_failure(&text, Pos { line: 1, col: 1 }, &diagnostics),
        }
    }
    outcome
}

/// `parse_fragment` on the lossy UTF-8 decoding of `data`. The first byte,
/// when there is one, picks the base position (so that offset positions are
/// exercised too).
pub fn parse_fragment_bytes(data: &[u8]) -> Outcome {
    let (base, rest) = match data.split_first() {
        Some((&b, rest)) => (
            Pos {
                line: u32::from(b >> 4),
                col: u32::from(b & 0x0f),
            },
            rest,
        ),
        None => (Pos { line: 1, col: 1 }, data),
    };
    let text = String::from_utf8_lossy(rest);
    let shown = Pos {
        line: base.line.max(1),
        col: base.col.max(1),
    };
    match parse_fragment("fuzz.xml", &text, base, "fuzz.ns") {
        Ok(schema) => {
            assert_eq!(schema.namespace, "fuzz.ns");
            Outcome::Parsed
        }
        Err(diagnostics) => {
            check_failure(&text, shown, &diagnostics);
            Outcome::Rejected
        }
    }
}

fn check_failure(text: &str, base: Pos, diagnostics: &Diagnostics) {
    assert!(
        diagnostics.errors().next().is_some(),
        "a failure without an error: {diagnostics}"
    );
    check_positions(text, base, &diagnostics.0);
}

/// Every position is 1-based and at most one line past the input's end.
fn check_positions(text: &str, base: Pos, diagnostics: &[migrations_codegen::csdl::Diagnostic]) {
    let lines = text.bytes().filter(|&b| b == b'\n').count() as u64 + 1;
    let last_line = u64::from(base.line) + lines;
    for d in diagnostics {
        assert!(
            d.pos.line >= 1 && d.pos.col >= 1,
            "position {} is not 1-based: {d}",
            d.pos
        );
        assert!(
            u64::from(d.pos.line) <= last_line,
            "line {} past the end ({last_line} lines): {d}",
            d.pos.line
        );
        assert!(!d.message.is_empty(), "empty message at {}", d.pos);
    }
}
