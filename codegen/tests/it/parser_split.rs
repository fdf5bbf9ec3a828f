//! A large schema read on two cores (`csdl/parse/split.rs`) gives the tree
//! and the diagnostics of a parse on one core: on Graph's files, where the
//! split is taken, and on documents made to defeat each check of the guess.

use migrations_codegen::csdl::parse::{
    parse_split_everywhere, parse_splits, parse_without_fast_path,
};
use migrations_codegen::csdl::{ParseOptions, parse};

use crate::support;

const EDMX_OPEN: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
"#;
const EDMX_CLOSE: &str = "  </edmx:DataServices>\n</edmx:Edmx>\n";

/// A document of the schemas given, each `(open tag, body)`.
fn document(schemas: &[(&str, &str)]) -> String {
    let mut text = EDMX_OPEN.to_string();
    for (open, body) in schemas {
        let close = match open.split_once(' ') {
            Some((name, _)) => format!("</{}>", name.trim_start_matches('<')),
            None => "</Schema>".to_string(),
        };
        text.push_str(&format!("    {open}\n{body}    {close}\n"));
    }
    text.push_str(EDMX_CLOSE);
    text
}

const SCHEMA: &str =
    r#"<Schema Namespace="ns" Alias="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">"#;

/// `n` entity types, one property each.
fn types(n: usize, prefix: &str) -> String {
    (0..n)
        .map(|i| {
            format!(
                "      <{prefix}EntityType Name=\"t{i}\">\n        <{prefix}Property Name=\"p\" Type=\"Edm.String\"/>\n      </{prefix}EntityType>\n"
            )
        })
        .collect()
}

/// Parses `text` with a split tried and on one core without the fast path;
/// the results must be equal. Whether the split was taken is returned.
fn same_either_way(text: &str) -> bool {
    let mut taken = false;
    for strict in [false, true] {
        let options = ParseOptions { strict };
        let (split, was_taken) = parse_split_everywhere("t.csdl", text, &options);
        let reference = parse_without_fast_path("t.csdl", text, &options);
        assert_eq!(
            format!("{split:?}"),
            format!("{reference:?}"),
            "a split changed the result (strict: {strict}) of\n{text}"
        );
        taken |= was_taken;
    }
    taken
}

#[test]
fn graph_files_are_read_on_two_cores_with_the_same_result() {
    for name in ["graph-beta.csdl", "graph-beta-usnat.csdl"] {
        let Some((_, text)) = support::shared_csdl(name) else {
            return;
        };
        let options = ParseOptions::default();
        assert!(
            parse_splits(name, &text, &options),
            "{name}: the split was not taken"
        );
        let split = parse(name, &text, &options).expect("parses");
        let reference = parse_without_fast_path(name, &text, &options).expect("parses");
        assert!(
            split.document == reference.document,
            "{name}: the tree differs"
        );
        assert_eq!(split.warnings, reference.warnings, "{name}");
    }
}

#[test]
fn a_small_document_is_read_on_one_core() {
    let text = document(&[(SCHEMA, &types(3, ""))]);
    assert!(!parse_splits("t.csdl", &text, &ParseOptions::default()));
    assert!(same_either_way(&text), "split everywhere");
}

#[test]
fn a_split_keeps_document_order_and_warnings() {
    // Warnings and kinds of element on both sides of the middle.
    let half = format!(
        "{}      <foo:Unknown xmlns:foo=\"urn:x\"/>\n      <ComplexType Name=\"c\"/>\n      <foo:Bar xmlns:foo=\"urn:x\"/>\n",
        types(20, "")
    );
    let text = document(&[(SCHEMA, &format!("{half}{half}"))]);
    let (parsed, taken) = parse_split_everywhere("t.csdl", &text, &ParseOptions::default());
    let parsed = parsed.expect("parses");
    assert!(taken, "the split was not taken");
    assert_eq!(parsed.warnings.len(), 4, "{:?}", parsed.warnings);
    assert_eq!(parsed.document.schemas[0].complex_types.len(), 2);
    same_either_way(&text);
}

#[test]
fn errors_after_the_split_are_those_of_one_core() {
    // The second part's error makes its reader give up; the first reads
    // on and reports it, with every error before and after, in order.
    let body = format!(
        "{}      <EntityType/>\n{}      <Property Name=\"stray\" Type=\"Edm.String\"/>\n",
        types(10, ""),
        types(10, "")
    );
    let text = document(&[(SCHEMA, &body)]);
    let result = parse("t.csdl", &text, &ParseOptions::default());
    assert!(result.is_err());
    assert!(!same_either_way(&text), "a part with errors was used");
}

#[test]
fn a_fatal_error_in_the_second_part_is_reported_once() {
    let body = format!(
        "{}      <EntityType Name=\"x\">\n{}",
        types(10, ""),
        types(10, "")
    );
    let text = document(&[(SCHEMA, &body)]);
    assert!(!same_either_way(&text), "a part that did not end was used");
}

#[test]
fn a_guess_inside_a_comment_or_an_element_is_not_used() {
    // The middle of each document falls among lines that look like schema
    // children: in a comment, and in an element the parser skips.
    let lines: String = (0..200)
        .map(|i| format!("      <EntityType Name=\"x{i}\"/>\n"))
        .collect();
    let in_comment = document(&[(
        SCHEMA,
        &format!("{}      <!--\n{lines}      -->\n", types(2, "")),
    )]);
    assert!(!same_either_way(&in_comment), "split inside a comment");

    let in_element = document(&[(
        SCHEMA,
        &format!(
            "{}      <foo:Wrapper xmlns:foo=\"urn:x\">\n{lines}      </foo:Wrapper>\n",
            types(2, "")
        ),
    )]);
    assert!(!same_either_way(&in_element), "split inside an element");
}

#[test]
fn schemas_after_the_split_are_read_by_the_second_core() {
    let other = |ns: &str| {
        format!(r#"<Schema Namespace="{ns}" xmlns="http://docs.oasis-open.org/odata/ns/edm">"#)
    };
    let (second, third) = (other("second"), other("third"));
    let third_body = format!("{}      <foo:Bar xmlns:foo=\"urn:x\"/>\n", types(2, ""));
    let text = document(&[
        (SCHEMA, &types(60, "")),
        (&second, &types(3, "")),
        (&third, &third_body),
    ]);
    let (parsed, taken) = parse_split_everywhere("t.csdl", &text, &ParseOptions::default());
    assert!(taken, "the split was not taken");
    let parsed = parsed.expect("parses");
    let namespaces: Vec<&str> = parsed
        .document
        .schemas
        .iter()
        .map(|s| s.namespace.as_str())
        .collect();
    assert_eq!(namespaces, ["ns", "second", "third"]);
    assert_eq!(parsed.document.schemas[0].entity_types.len(), 60);
    assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    same_either_way(&text);

    // An error in a later schema: what the second core read is dropped,
    // and the first reports the error.
    let bad_body = format!("{third_body}      <EntityType Name=\"bad\" Abstract=\"maybe\"/>\n");
    let broken = document(&[
        (SCHEMA, &types(60, "")),
        (&second, &types(3, "")),
        (&third, &bad_body),
    ]);
    assert!(parse("t.csdl", &broken, &ParseOptions::default()).is_err());
    assert!(!same_either_way(&broken), "a part with an error was used");
}

#[test]
fn the_schema_that_holds_the_middle_is_the_one_split() {
    let other = r#"<Schema Namespace="other" xmlns="http://docs.oasis-open.org/odata/ns/edm">"#;
    let text = document(&[(SCHEMA, &types(2, "")), (other, &types(60, ""))]);
    let (parsed, taken) = parse_split_everywhere("t.csdl", &text, &ParseOptions::default());
    assert!(taken, "the second schema was not split");
    let parsed = parsed.expect("parses");
    assert_eq!(parsed.document.schemas[0].entity_types.len(), 2);
    assert_eq!(parsed.document.schemas[1].entity_types.len(), 60);
    same_either_way(&text);

    // A comment that looks like the first schema's end tag: that schema is
    // not split, whatever the second one is.
    let hidden = document(&[
        (
            SCHEMA,
            &format!("      <!-- </Schema> -->\n{}", types(60, "")),
        ),
        (other, &types(2, "")),
    ]);
    assert!(
        !same_either_way(&hidden),
        "split after a comment like an end tag"
    );
}

#[test]
fn namespace_prefixes_in_scope_carry_over() {
    // Children written with a prefix the Schema element declares, and a
    // schema whose default namespace is not CSDL's (its children are then
    // not CSDL: warnings, on both sides of the split).
    let prefixed = document(&[(
        r#"<edm:Schema Namespace="ns" xmlns:edm="http://docs.oasis-open.org/odata/ns/edm">"#,
        &types(30, "edm:"),
    )]);
    assert!(same_either_way(&prefixed), "the split was not taken");

    let foreign = document(&[(
        r#"<Schema Namespace="ns" xmlns="urn:not-csdl">"#,
        &types(30, ""),
    )]);
    same_either_way(&foreign);
}

#[test]
fn nesting_depth_carries_over() {
    // An expression nested to just within the limit after the split, and
    // one level beyond it: the same depth count on both sides.
    let mut outcomes = Vec::new();
    for depth in 249..=253 {
        let open: String = (0..depth).map(|_| "<Collection>").collect();
        let close: String = (0..depth).map(|_| "</Collection>").collect();
        let deep = format!(
            "      <Annotations Target=\"ns.t0\"><Annotation Term=\"Core.Description\">{open}{close}</Annotation></Annotations>\n"
        );
        // The types put the middle before the deep element.
        let text = document(&[(SCHEMA, &format!("{}{deep}", types(150, "")))]);
        let parses = parse("t.csdl", &text, &ParseOptions::default()).is_ok();
        let taken = same_either_way(&text);
        assert_eq!(taken, parses, "depth {depth}");
        outcomes.push(parses);
    }
    // Both sides of the limit were tried.
    assert!(
        outcomes.contains(&true) && outcomes.contains(&false),
        "{outcomes:?}"
    );
}

#[test]
fn a_byte_order_mark_after_the_split_is_text_as_on_one_core() {
    // A new XML reader drops a byte order mark where it first reads; the
    // second parser's first read must not be that place (the fuzz smoke
    // test found it: the text lost its first character and moved columns).
    let body = format!(
        "{}      <EntityType Name=\"bom\">\u{feff}stray</EntityType>\n{}",
        types(30, ""),
        types(2, "")
    );
    let text = document(&[(SCHEMA, &body)]);
    let (parsed, taken) = parse_split_everywhere("t.csdl", &text, &ParseOptions::default());
    assert!(taken, "the split was not taken");
    let warnings = parsed.expect("parses").warnings;
    assert!(
        warnings.iter().any(|w| w.message.contains("\u{feff}stray")),
        "{warnings:?}"
    );
    same_either_way(&text);
}
