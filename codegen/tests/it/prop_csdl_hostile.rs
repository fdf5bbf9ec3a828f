//! Hostile CSDL: the generator reads metadata downloaded from the internet,
//! so inputs built to exhaust the stack, memory or time must be rejected
//! with a located error, or parsed within a time bound. Each attack is
//! tested explicitly, as a whole document and as a patch fragment:
//! deep nesting, huge attribute values and text, entity expansion
//! ("billion laughs", external entities), and inputs that would make a naive
//! parser quadratic (many attributes, many namespace declarations, many
//! siblings, long lines).

use std::time::{Duration, Instant};

use migrations_codegen::csdl::syntax::{ExprKind, Pos};
use migrations_codegen::csdl::{Diagnostics, ParseOptions, Parsed, parse, parse_fragment};

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n<edmx:DataServices>\n<Schema Namespace=\"n\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n";
const TAIL: &str = "\n</Schema>\n</edmx:DataServices>\n</edmx:Edmx>\n";

/// Debug builds are slow; the bounds are generous but far below what a
/// quadratic or exponential parser would need for these sizes.
const BOUND: Duration = Duration::from_secs(10);

fn doc(body: &str) -> String {
    format!("{HEAD}{body}{TAIL}")
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    eprintln!("{what}: {took:?}");
    assert!(took < BOUND, "{what} took {took:?}");
    out
}

fn parse_doc(what: &str, text: &str) -> Result<Parsed, Diagnostics> {
    timed(what, || parse("t.csdl", text, &ParseOptions::default()))
}

fn parse_frag(what: &str, text: &str) -> Result<(), Diagnostics> {
    timed(what, || {
        parse_fragment("p.xml", text, Pos { line: 1, col: 1 }, "n").map(|_| ())
    })
}

/// The first error's message, which must contain `needle`.
fn expect_error(result: Result<impl std::fmt::Debug, Diagnostics>, needle: &str) -> String {
    let diagnostics = match result {
        Ok(v) => panic!("expected an error containing {needle:?}, parsed: {v:.200?}"),
        Err(d) => d,
    };
    let first = diagnostics
        .errors()
        .next()
        .expect("a failure carries an error")
        .to_string();
    assert!(
        first.contains(needle),
        "expected {needle:?} in the first error, found: {first:.300}"
    );
    // Messages quote at most a bounded part of the input.
    for d in &diagnostics.0 {
        assert!(
            d.message.len() < 4096,
            "message of {} bytes",
            d.message.len()
        );
    }
    first
}

// ---------------------------------------------------------------------------
// Deep nesting

fn nested(open: &str, close: &str, n: usize) -> String {
    let mut s = String::with_capacity((open.len() + close.len()) * n);
    for _ in 0..n {
        s.push_str(open);
    }
    for _ in 0..n {
        s.push_str(close);
    }
    s
}

#[test]
fn deep_nesting_is_rejected_without_exhausting_the_stack() {
    // Far deeper than any stack would take if the parser recursed per level
    // without a limit.
    for n in [300, 10_000, 200_000] {
        let annotation = format!(
            "<Annotations Target=\"n.t\"><Annotation Term=\"a.b\">{}</Annotation></Annotations>",
            nested("<Collection>", "</Collection>", n)
        );
        expect_error(
            parse_doc(&format!("nested Collection x{n}"), &doc(&annotation)),
            "nested too deeply: at most 256 levels",
        );
        expect_error(
            parse_frag(&format!("nested Collection x{n} (fragment)"), &annotation),
            "nested too deeply",
        );
        // Unknown elements are skipped, not descended into without bound.
        let unknown = format!(
            "<EntityType Name=\"t\">{}</EntityType>",
            nested("<Foo>", "</Foo>", n)
        );
        expect_error(
            parse_doc(&format!("nested unknown x{n}"), &doc(&unknown)),
            "nested too deeply",
        );
        // Records inside records.
        let records = format!(
            "<Annotations Target=\"n.t\"><Annotation Term=\"a.b\">{}</Annotation></Annotations>",
            nested(
                "<Record><PropertyValue Property=\"p\">",
                "</PropertyValue></Record>",
                n / 2
            )
        );
        expect_error(
            parse_doc(&format!("nested Record x{n}"), &doc(&records)),
            "nested too deeply",
        );
        // Unclosed deep nesting (a truncated attack) fails the same way.
        let unclosed = format!(
            "<Annotations Target=\"n.t\"><Annotation Term=\"a.b\">{}",
            "<Collection>".repeat(n)
        );
        expect_error(
            parse_doc(
                &format!("unclosed nesting x{n}"),
                &format!("{HEAD}{unclosed}"),
            ),
            "nested too deeply",
        );
    }
}

#[test]
fn nesting_below_the_limit_parses() {
    let annotation = format!(
        "<Annotations Target=\"n.t\"><Annotation Term=\"a.b\">{}</Annotation></Annotations>",
        nested("<Collection>", "</Collection>", 240)
    );
    let parsed = parse_doc("nested Collection x240", &doc(&annotation)).expect("parses");
    let mut expr = &parsed.document.schemas[0].annotations[0].annotations[0]
        .value
        .as_ref()
        .expect("a value")
        .kind;
    let mut depth = 0;
    while let ExprKind::Collection(items) = expr {
        depth += 1;
        match items.first() {
            Some(e) => expr = &e.kind,
            None => break,
        }
    }
    assert_eq!(depth, 240);
}

// ---------------------------------------------------------------------------
// Huge values

#[test]
fn huge_attribute_values_are_rejected() {
    let huge = "x".repeat(2 << 20);
    // A plain value, a value with escapes, a value that only grows when
    // unescaped would not: character references shrink.
    for (what, value) in [
        ("plain", huge.clone()),
        ("escaped", format!("{}&amp;", "y".repeat((1 << 20) + 10))),
        ("character references", "&#x41;".repeat((1 << 20) + 1)),
    ] {
        let body = format!(
            "<Annotations Target=\"n.t\"><Annotation Term=\"a.b\" String=\"{value}\"/></Annotations>"
        );
        expect_error(
            parse_doc(&format!("huge attribute ({what})"), &doc(&body)),
            "too long",
        );
        expect_error(
            parse_frag(&format!("huge attribute ({what}, fragment)"), &body),
            "too long",
        );
    }
    // Huge names are values too.
    let body = format!("<EntityType Name=\"{huge}\"/>");
    expect_error(parse_doc("huge Name", &doc(&body)), "too long");
}

#[test]
fn huge_element_text_is_rejected() {
    let body = format!(
        "<Annotations Target=\"n.t\"><Annotation Term=\"a.b\"><String>{}</String></Annotation></Annotations>",
        "t".repeat(2 << 20)
    );
    expect_error(parse_doc("huge text", &doc(&body)), "too long");
    // Text split into many CDATA sections and character references is
    // counted as a whole.
    let body = format!(
        "<Annotations Target=\"n.t\"><Annotation Term=\"a.b\"><String>{}</String></Annotation></Annotations>",
        "<![CDATA[cccccccc]]>&#x41;".repeat(120_000)
    );
    expect_error(parse_doc("huge split text", &doc(&body)), "too long");
}

#[test]
fn large_values_below_the_limit_are_kept() {
    let value = "v".repeat(512 * 1024);
    let body = format!(
        "<Annotations Target=\"n.t\"><Annotation Term=\"a.b\" String=\"{value}\"/></Annotations>"
    );
    let parsed = parse_doc("512 KiB attribute", &doc(&body)).expect("parses");
    let got = parsed.document.schemas[0].annotations[0].annotations[0]
        .value
        .as_ref()
        .and_then(|e| e.as_str())
        .expect("a string");
    assert_eq!(got.len(), value.len());
}

// ---------------------------------------------------------------------------
// Entity expansion

const LAUGHS: &str = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n]>\n";

#[test]
fn billion_laughs_is_rejected_before_any_expansion() {
    let uses = "<Annotations Target=\"n.t\"><Annotation Term=\"a.b\" String=\"&lol9;\"><String>&lol9;</String></Annotation></Annotations>";
    let text = format!(
        "{LAUGHS}{}",
        &doc(uses)["<?xml version=\"1.0\" encoding=\"utf-8\"?>\n".len()..]
    );
    let first = expect_error(
        parse_doc("billion laughs", &text),
        "document type declarations are not allowed",
    );
    assert!(first.starts_with("t.csdl:2:1:"), "{first}");
    // In a fragment too, and after the root element.
    expect_error(
        parse_frag("billion laughs (fragment)", &format!("{LAUGHS}{uses}")),
        "document type declarations are not allowed",
    );
    let inner = doc("<!DOCTYPE x [<!ENTITY a \"b\">]>");
    expect_error(
        parse_doc("DOCTYPE inside the schema", &inner),
        "document type declarations are not allowed",
    );
    // Without a DOCTYPE, a reference to an undeclared entity is an error,
    // never expanded or looked up.
    expect_error(
        parse_doc("undeclared entity", &doc(uses)),
        "unknown entity reference \"&lol9;\"",
    );
}

#[test]
fn external_entities_and_parameter_entities_are_rejected() {
    for (what, decl) in [
        (
            "external entity",
            "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
        ),
        (
            "external DTD",
            "<!DOCTYPE x SYSTEM \"http://127.0.0.1:9/evil.dtd\">",
        ),
        (
            "parameter entity",
            "<!DOCTYPE x [<!ENTITY % p \"<!ENTITY q 'qqqq'>\"> %p;]>",
        ),
        ("public id", "<!DOCTYPE x PUBLIC \"-//X//Y\" \"x.dtd\">"),
    ] {
        let text = format!(
            "<?xml version=\"1.0\"?>\n{decl}\n{}",
            &doc(
                "<Annotations Target=\"n.t\"><Annotation Term=\"a.b\" String=\"&xxe;\"/></Annotations>"
            )["<?xml version=\"1.0\" encoding=\"utf-8\"?>\n".len()..]
        );
        let first = expect_error(parse_doc(what, &text), "document type declarations");
        assert!(!first.contains("root:"), "{first}");
    }
}

#[test]
fn character_references_cannot_produce_markup_or_invalid_characters() {
    // &#60; is '<': it becomes text, never an element.
    let body = "<Annotations Target=\"n.t\"><Annotation Term=\"a.b\" String=\"&#60;EntityType Name=&#34;x&#34;/&#62;\"/></Annotations>";
    let parsed = parse_doc("markup by reference", &doc(body)).expect("parses");
    let schema = &parsed.document.schemas[0];
    assert!(schema.entity_types.is_empty());
    assert_eq!(
        schema.annotations[0].annotations[0]
            .value
            .as_ref()
            .and_then(|e| e.as_str()),
        Some("<EntityType Name=\"x\"/>")
    );
    for bad in [
        "&#0;",
        "&#xD800;",
        "&#x110000;",
        "&#99999999999999999999;",
        "&#x;",
    ] {
        let body = format!(
            "<Annotations Target=\"n.t\"><Annotation Term=\"a.b\" String=\"{bad}\"/></Annotations>"
        );
        expect_error(parse_doc(bad, &doc(&body)), "character reference");
    }
}

// ---------------------------------------------------------------------------
// Inputs that are slow for a naive parser

#[test]
fn many_attributes_on_one_element_are_rejected() {
    // The duplicate check compares each attribute with the ones before it:
    // without a cap, 200k attributes (2 MB) took minutes.
    let attrs: String = (0..200_000).map(|i| format!(" a{i}=\"v\"")).collect();
    let body = format!("<EntityType Name=\"t\"{attrs}/>");
    let first = expect_error(
        parse_doc("200k attributes", &doc(&body)),
        "too many attributes on <EntityType>: at most 256 are allowed",
    );
    assert!(first.starts_with("t.csdl:5:"), "{first}");
    expect_error(
        parse_frag("200k attributes (fragment)", &body),
        "too many attributes",
    );
    // Up to the cap, unknown attributes are accepted (and ignored).
    let attrs: String = (0..255).map(|i| format!(" a{i}=\"v\"")).collect();
    parse_doc(
        "255 attributes",
        &doc(&format!("<EntityType Name=\"t\"{attrs}/>")),
    )
    .expect("parses");
}

#[test]
fn many_namespace_declarations_are_rejected() {
    // Every element resolves its prefix against the declarations in scope:
    // without a cap, 200 x 1000 declarations over 50k elements took 11 s
    // (release build).
    let decls: String = (0..200)
        .map(|i| format!(" xmlns:p{i}=\"urn:p{i}\""))
        .collect();
    let mut body = String::new();
    for _ in 0..200 {
        body.push_str(&format!("<Foo{decls}>"));
    }
    body.push_str(&"<Bar/>".repeat(50_000));
    for _ in 0..200 {
        body.push_str("</Foo>");
    }
    let text = doc(&format!("<EntityType Name=\"t\">{body}</EntityType>"));
    expect_error(
        parse_doc("40k namespace declarations in scope", &text),
        "too many namespace declarations in scope: at most 256 are allowed",
    );
    // Declarations go out of scope with their element: many siblings that
    // each declare a few are fine.
    let siblings = "<Foo xmlns:a=\"urn:a\" xmlns:b=\"urn:b\"><a:x/></Foo>".repeat(10_000);
    let parsed = parse_doc(
        "10k siblings with declarations",
        &doc(&format!("<EntityType Name=\"t\">{siblings}</EntityType>")),
    )
    .expect("parses");
    assert_eq!(parsed.warnings.len(), 10_000);
}

#[test]
fn many_siblings_and_long_lines_are_linear() {
    let props: String = (0..100_000)
        .map(|i| format!("<Property Name=\"p{i}\" Type=\"Edm.String\"/>"))
        .collect();
    // One line of ~4 MB: positions come from a line table, not rescans.
    let parsed = parse_doc(
        "100k properties on one line",
        &doc(&format!("<EntityType Name=\"t\">{props}</EntityType>")),
    )
    .expect("parses");
    assert_eq!(
        parsed.document.schemas[0].entity_types[0].properties.len(),
        100_000
    );
    // 100k errors are collected, each located, in bounded time.
    let bad: String = (0..100_000).map(|_| "<Property Name=\"p\"/>\n").collect();
    let err = parse_doc(
        "100k errors",
        &doc(&format!("<EntityType Name=\"t\">{bad}</EntityType>")),
    )
    .unwrap_err();
    assert_eq!(err.errors().count(), 100_000);
    // Many unknown elements are warnings, each located.
    let unknown = "<Foo/>".repeat(100_000);
    let parsed = parse_doc(
        "100k unknown elements",
        &doc(&format!("<EntityType Name=\"t\">{unknown}</EntityType>")),
    )
    .expect("parses");
    assert_eq!(parsed.warnings.len(), 100_000);
}

#[test]
fn huge_comments_processing_instructions_and_whitespace_are_linear() {
    let big = 8 << 20;
    for (what, filler) in [
        ("comment", format!("<!--{}-->", "c".repeat(big))),
        (
            "processing instruction",
            format!("<?pi {}?>", "p".repeat(big)),
        ),
        ("whitespace", " \n".repeat(big / 2)),
        (
            "CDATA between elements",
            format!("<![CDATA[{}]]>", "d".repeat(big)),
        ),
    ] {
        let result = parse_doc(
            what,
            &doc(&format!("{filler}<EntityType Name=\"t\"/>{filler}")),
        );
        if let Err(d) = result {
            assert!(d.errors().next().is_some(), "{what}");
        }
    }
    // Unterminated constructs at the end of a large input are located.
    for open in ["<!--", "<![CDATA[", "<?pi", "<EntityType Name=\""] {
        let text = format!("{HEAD}{open}{}", "z".repeat(big));
        expect_error(parse_doc(&format!("unterminated {open}"), &text), "");
    }
}
