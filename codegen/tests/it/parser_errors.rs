//! Malformed CSDL: every input must give located diagnostics with exactly
//! the expected messages, never a panic.

use migrations_codegen::csdl::syntax::Pos;
use migrations_codegen::csdl::{ParseOptions, Severity, parse, parse_fragment};

use crate::support::{SCHEMA_HEAD as HEAD, in_schema as doc};

const FILE: &str = "t.csdl";

struct Case {
    name: &'static str,
    input: String,
    strict: bool,
    expected: &'static str,
}

fn case(name: &'static str, input: impl Into<String>, expected: &'static str) -> Case {
    Case {
        name,
        input: input.into(),
        strict: false,
        expected,
    }
}

fn strict(name: &'static str, input: impl Into<String>, expected: &'static str) -> Case {
    Case {
        name,
        input: input.into(),
        strict: true,
        expected,
    }
}

fn cases() -> Vec<Case> {
    let deep = format!(
        "<Annotation Term=\"a.b\">{}{}</Annotation>",
        "<Collection>".repeat(300),
        "</Collection>".repeat(300)
    );
    vec![
        case(
            "not XML",
            "this is not XML",
            "t.csdl:1:1: error: expected root element <edmx:Edmx>, found text \"this is not XML\"",
        ),
        case(
            "JSON",
            "\n  {\"value\": []}",
            "t.csdl:2:3: error: expected root element <edmx:Edmx>, found text \"{\"value\": []}\"",
        ),
        case(
            "empty input",
            "",
            "t.csdl:1:1: error: unexpected end of file: expected root element <edmx:Edmx>",
        ),
        case(
            "truncated document",
            format!("{HEAD}<EntityType Name=\"a\">\n  <Property Name=\"p\" Type=\"Edm.String\"/>"),
            "t.csdl:5:41: error: unexpected end of file: <EntityType> opened at 4:1 is not closed",
        ),
        case(
            "truncated inside a tag",
            format!("{HEAD}<EntityType Name=\"a\">\n  <Property Name=\"p"),
            "t.csdl:5:3: error: unexpected end of file: tag not closed: expected \">\"",
        ),
        case(
            "unclosed element",
            doc(
                "<EntityType Name=\"a\">\n  <Property Name=\"p\" Type=\"Edm.String\">\n</EntityType>",
            ),
            "t.csdl:6:1: error: mismatched closing tag </EntityType>: expected </Property> (opened at 5:3)",
        ),
        case(
            "mismatched closing tag",
            doc("<EntityType Name=\"a\">\n</ComplexType>"),
            "t.csdl:5:1: error: mismatched closing tag </ComplexType>: expected </EntityType> (opened at 4:1)",
        ),
        case(
            "closing tag with nothing open",
            "</edmx:Edmx>",
            "t.csdl:1:1: error: unexpected closing tag </edmx:Edmx>: no element is open",
        ),
        case(
            "unquoted attribute value",
            doc("<EntityType Name=a/>"),
            "t.csdl:4:18: error: malformed attribute in <EntityType>: expected a value in quotes, found an unquoted value",
        ),
        case(
            "attribute without =",
            doc("<EntityType Name \"a\"/>"),
            "t.csdl:4:17: error: malformed attribute in <EntityType>: expected \"=\" after the attribute name",
        ),
        case(
            "attributes not separated",
            doc("<EntityType Name=\"a\"Abstract=\"true\"/>"),
            "t.csdl:4:21: error: malformed attribute in <EntityType>: expected whitespace before the attribute name",
        ),
        case(
            "duplicate attribute",
            doc("<EntityType Name=\"a\" Name=\"b\"/>"),
            "t.csdl:4:22: error: duplicate attribute Name on <EntityType>: expected each attribute once",
        ),
        case(
            "DOCTYPE with entity expansion",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>\n<edmx:Edmx/>",
            "t.csdl:2:1: error: unexpected <!DOCTYPE>: document type declarations are not allowed (their entities could expand without bound)",
        ),
        case(
            "undeclared entity",
            doc(
                "<Annotations Target=\"n.a\">\n  <Annotation Term=\"a.b\" String=\"&lol2;\"/>\n</Annotations>",
            ),
            "t.csdl:5:26: error: unknown entity reference \"&lol2;\": expected &lt;, &gt;, &amp;, &apos;, &quot; or a character reference in attribute String of <Annotation>",
        ),
        case(
            "undeclared entity in text",
            doc(
                "<Annotations Target=\"n.a\">\n  <Annotation Term=\"a.b\"><String>a &lol; b</String></Annotation>\n</Annotations>",
            ),
            "t.csdl:5:36: error: unknown entity reference \"&lol;\": expected &lt;, &gt;, &amp;, &apos;, &quot; or a character reference in <String>",
        ),
        case(
            "invalid character reference",
            doc(
                "<Annotations Target=\"n.a\">\n  <Annotation Term=\"a.b\" String=\"&#0;\"/>\n</Annotations>",
            ),
            "t.csdl:5:26: error: invalid character reference \"&#0;\": expected the code of a character allowed in XML in attribute String of <Annotation>",
        ),
        case(
            "excessive nesting",
            doc(&deep),
            "t.csdl:4:3048: error: element <Collection> is nested too deeply: at most 256 levels of elements are allowed",
        ),
        case(
            "wrong root element",
            "<?xml version=\"1.0\"?>\n<Schema Namespace=\"a\"/>",
            "t.csdl:2:1: error: expected root element <edmx:Edmx>, found <Schema>",
        ),
        case(
            "root without the edmx namespace",
            "<Edmx Version=\"4.0\"><DataServices/></Edmx>",
            "t.csdl:1:1: error: root element <Edmx> is not in the edmx namespace: expected xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\"",
        ),
        case(
            "unbound prefix",
            "<edmx:Edmx Version=\"4.0\"/>",
            "t.csdl:1:1: error: unbound namespace prefix \"edmx\" in <edmx:Edmx>: expected an xmlns:edmx=\"...\" declaration",
        ),
        case(
            "wrapper element in the wrong namespace",
            "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n  <DataServices/>\n</edmx:Edmx>",
            "t.csdl:2:3: error: element <DataServices> is not in the edmx namespace: expected it in \"http://docs.oasis-open.org/odata/ns/edmx\"\n\
             t.csdl:1:1: error: expected <edmx:DataServices> in <edmx:Edmx>",
        ),
        case(
            "unsupported version",
            "<edmx:Edmx Version=\"3.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\"><edmx:DataServices><Schema Namespace=\"a\"/></edmx:DataServices></edmx:Edmx>",
            "t.csdl:1:12: error: unsupported Version \"3.0\" on <edmx:Edmx>: expected \"4.0\" or \"4.01\"",
        ),
        case(
            "schema outside DataServices",
            "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n<Schema Namespace=\"a\"/>\n<edmx:DataServices><Schema Namespace=\"b\"/></edmx:DataServices>\n</edmx:Edmx>",
            "t.csdl:2:1: error: unexpected element <Schema> in <edmx:Edmx>: expected <edmx:Reference> or <edmx:DataServices>",
        ),
        case(
            "missing Namespace on Schema",
            "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n<edmx:DataServices>\n  <Schema Alias=\"a\"/>\n</edmx:DataServices>\n</edmx:Edmx>",
            "t.csdl:3:3: error: expected attribute Namespace on <Schema>",
        ),
        case(
            "missing Name on EntityType",
            doc("<EntityType BaseType=\"n.b\"/>"),
            "t.csdl:4:1: error: expected attribute Name on <EntityType>",
        ),
        case(
            "missing Name on Property",
            doc("<ComplexType Name=\"c\">\n  <Property Type=\"Edm.String\"/>\n</ComplexType>"),
            "t.csdl:5:3: error: expected attribute Name on <Property>",
        ),
        case(
            "missing Type on Property",
            doc("<ComplexType Name=\"c\">\n  <Property Name=\"p\"/>\n</ComplexType>"),
            "t.csdl:5:3: error: expected attribute Type on <Property>",
        ),
        case(
            "invalid Name",
            doc("<ComplexType Name=\"my type\"/>"),
            "t.csdl:4:14: error: invalid Name \"my type\" on <ComplexType>: expected a simple identifier (a letter or \"_\" followed by letters, digits or \"_\")",
        ),
        // `²` is a number but not a digit (`\p{No}`): CSDL does not allow it,
        // and no Rust name could hold it.
        case(
            "other number in a Name",
            doc("<ComplexType Name=\"x²\"/>"),
            "t.csdl:4:14: error: invalid Name \"x²\" on <ComplexType>: expected a simple identifier (a letter or \"_\" followed by letters, digits or \"_\")",
        ),
        case(
            "malformed Collection( type",
            doc(
                "<ComplexType Name=\"c\">\n  <Property Name=\"p\" Type=\"Collection(graph.user\"/>\n</ComplexType>",
            ),
            "t.csdl:5:22: error: malformed type reference \"Collection(graph.user\": expected \")\"",
        ),
        case(
            "empty Collection() type",
            doc(
                "<ComplexType Name=\"c\">\n  <Property Name=\"p\" Type=\"Collection()\"/>\n</ComplexType>",
            ),
            "t.csdl:5:22: error: malformed type reference \"Collection()\": expected a type name inside Collection(...)",
        ),
        case(
            "nested collection type",
            doc(
                "<Function Name=\"f\">\n  <ReturnType Type=\"Collection(Collection(Edm.Int32))\"/>\n</Function>",
            ),
            "t.csdl:5:15: error: malformed type reference \"Collection(Collection(Edm.Int32))\": collections cannot be nested",
        ),
        case(
            "unqualified type",
            doc("<Action Name=\"a\">\n  <Parameter Name=\"p\" Type=\"user\"/>\n</Action>"),
            "t.csdl:5:23: error: malformed type reference \"user\": expected a qualified type name such as Edm.String or Namespace.Type",
        ),
        case(
            "non-numeric enum member value",
            doc("<EnumType Name=\"e\">\n  <Member Name=\"x\" Value=\"abc\"/>\n</EnumType>"),
            "t.csdl:5:20: error: enum member \"x\" has non-numeric Value \"abc\": expected an integer",
        ),
        case(
            "enum member value overflow",
            doc(
                "<EnumType Name=\"e\">\n  <Member Name=\"x\" Value=\"9223372036854775808\"/>\n</EnumType>",
            ),
            "t.csdl:5:20: error: enum member \"x\" has Value \"9223372036854775808\" out of range: expected an integer between -9223372036854775808 and 9223372036854775807",
        ),
        case(
            "invalid Nullable",
            doc(
                "<ComplexType Name=\"c\">\n  <Property Name=\"p\" Type=\"Edm.String\" Nullable=\"yes\"/>\n</ComplexType>",
            ),
            "t.csdl:5:40: error: invalid Nullable value \"yes\": expected \"true\" or \"false\"",
        ),
        case(
            "invalid IsFlags",
            doc("<EnumType Name=\"e\" IsFlags=\"1\"/>"),
            "t.csdl:4:20: error: invalid IsFlags value \"1\": expected \"true\" or \"false\"",
        ),
        case(
            "invalid Abstract",
            doc("<EntityType Name=\"e\" Abstract=\"True\"/>"),
            "t.csdl:4:22: error: invalid Abstract value \"True\": expected \"true\" or \"false\"",
        ),
        case(
            "Precision not a number",
            doc(
                "<ComplexType Name=\"c\">\n  <Property Name=\"p\" Type=\"Edm.Decimal\" Precision=\"ten\"/>\n</ComplexType>",
            ),
            "t.csdl:5:41: error: invalid Precision value \"ten\": expected a non-negative integer",
        ),
        case(
            "Key in a complex type",
            doc(
                "<ComplexType Name=\"c\">\n  <Key><PropertyRef Name=\"id\"/></Key>\n</ComplexType>",
            ),
            "t.csdl:5:3: error: unexpected element <Key> in <ComplexType>: expected <Property>, <NavigationProperty> or <Annotation>",
        ),
        case(
            "function without return type",
            doc("<Function Name=\"f\" IsBound=\"true\"/>"),
            "t.csdl:4:1: error: expected <ReturnType> in <Function Name=\"f\">\n\
             t.csdl:4:1: error: <Function Name=\"f\"> is bound but has no <Parameter>: expected the binding parameter first",
        ),
        case(
            "Annotation without Term",
            doc("<EntityType Name=\"e\">\n  <Annotation String=\"x\"/>\n</EntityType>"),
            "t.csdl:5:3: error: expected attribute Term on <Annotation>",
        ),
        case(
            "invalid Int annotation value",
            doc(
                "<Annotations Target=\"n.e\">\n  <Annotation Term=\"a.b\"><Int> 12x </Int></Annotation>\n</Annotations>",
            ),
            "t.csdl:5:26: error: invalid Int value \"12x\": expected an integer",
        ),
        case(
            "two annotation values",
            doc(
                "<Annotations Target=\"n.e\">\n  <Annotation Term=\"a.b\" Bool=\"true\"><String>x</String></Annotation>\n</Annotations>",
            ),
            "t.csdl:5:38: error: unexpected <String> in <Annotation>: the value is already given by attribute Bool",
        ),
        case(
            "PropertyValue without Property",
            doc(
                "<Annotations Target=\"n.e\">\n  <Annotation Term=\"a.b\">\n    <Record><PropertyValue String=\"x\"/></Record>\n  </Annotation>\n</Annotations>",
            ),
            "t.csdl:6:13: error: expected attribute Property on <PropertyValue>",
        ),
        case(
            "PropertyValue without value",
            doc(
                "<Annotations Target=\"n.e\">\n  <Annotation Term=\"a.b\">\n    <Record><PropertyValue Property=\"p\"/></Record>\n  </Annotation>\n</Annotations>",
            ),
            "t.csdl:6:13: error: expected a value for <PropertyValue Property=\"p\">: an attribute such as String=\"...\" or a child expression",
        ),
        case(
            "element inside a constant",
            doc(
                "<Annotations Target=\"n.e\">\n  <Annotation Term=\"a.b\"><String>a<b/>c</String></Annotation>\n</Annotations>",
            ),
            "t.csdl:5:35: error: unexpected element <b> in <String>: expected text",
        ),
        strict(
            "unknown element, strict",
            doc("<EntityType Name=\"e\">\n  <Foo/>\n</EntityType>"),
            "t.csdl:5:3: error: unknown element <Foo> in <EntityType>: expected <Key>, <Property>, <NavigationProperty> or <Annotation>",
        ),
        strict(
            // CSDL gives PropertyRef no annotations.
            "misplaced annotation, strict",
            doc(
                "<EntityType Name=\"e\">\n  <Key><PropertyRef Name=\"id\"><Annotation Term=\"a.b\"/></PropertyRef></Key>\n</EntityType>",
            ),
            "t.csdl:5:31: error: unsupported element <Annotation> in <PropertyRef>: not allowed in strict mode",
        ),
        case(
            "OnDelete with an unknown action",
            doc(
                "<EntityType Name=\"e\">\n  <NavigationProperty Name=\"n\" Type=\"n.e\"><OnDelete Action=\"Explode\"/></NavigationProperty>\n</EntityType>",
            ),
            "t.csdl:5:53: error: invalid Action \"Explode\" on <OnDelete>: expected Cascade, None, SetNull or SetDefault",
        ),
        case(
            "operator with one operand",
            doc(
                "<Annotations Target=\"n.e\">\n  <Annotation Term=\"a.b\"><Eq><Path>x</Path></Eq></Annotation>\n</Annotations>",
            ),
            "t.csdl:5:26: error: wrong number of operands in <Eq>: expected two expressions, found 1",
        ),
        case(
            "Apply without Function",
            doc(
                "<Annotations Target=\"n.e\">\n  <Annotation Term=\"a.b\"><Apply><String>x</String></Apply></Annotation>\n</Annotations>",
            ),
            "t.csdl:5:26: error: expected attribute Function on <Apply>",
        ),
        case(
            "OData V3 document",
            "<?xml version=\"1.0\"?>\n<edmx:Edmx Version=\"1.0\" xmlns:edmx=\"http://schemas.microsoft.com/ado/2007/06/edmx\">\n  <edmx:DataServices m:DataServiceVersion=\"3.0\" xmlns:m=\"http://schemas.microsoft.com/ado/2007/08/dataservices/metadata\">\n  <Schema Namespace=\"n\" xmlns=\"http://schemas.microsoft.com/ado/2009/11/edm\"/>\n  </edmx:DataServices>\n</edmx:Edmx>\n".to_string(),
            "t.csdl:2:1: error: <edmx:Edmx> is an OData V3 document (EDMX 1.0, Version=\"1.0\", DataServiceVersion=\"3.0\"): OData V2 and V3 metadata is not supported, expected OData V4 CSDL (xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\", Version \"4.0\" or \"4.01\")",
        ),
        case(
            "V3 schema in a V4 wrapper",
            "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n<edmx:DataServices>\n<Schema Namespace=\"n\" xmlns=\"http://schemas.microsoft.com/ado/2009/11/edm\"/>\n</edmx:DataServices>\n</edmx:Edmx>\n".to_string(),
            "t.csdl:3:1: error: <Schema> is in the CSDL 3.0 namespace \"http://schemas.microsoft.com/ado/2009/11/edm\" of OData V1-V3: OData V2 and V3 metadata is not supported, expected xmlns=\"http://docs.oasis-open.org/odata/ns/edm\"",
        ),
        case(
            "OData V2 document, malformed after the root",
            "<edmx:Edmx Version=\"1.0\" xmlns:edmx=\"http://schemas.microsoft.com/ado/2007/06/edmx\">\n<edmx:DataServices <\n".to_string(),
            "t.csdl:1:1: error: <edmx:Edmx> is an OData V2/V3 document (EDMX 1.0, Version=\"1.0\"): OData V2 and V3 metadata is not supported, expected OData V4 CSDL (xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\", Version \"4.0\" or \"4.01\")",
        ),
        strict(
            "stray text, strict",
            doc("<EntityType Name=\"e\">\n  some text\n</EntityType>"),
            "t.csdl:5:3: error: unexpected text \"some text\" in <EntityType>: ignored",
        ),
        case(
            "several errors are collected",
            doc(
                "<EntityType>\n  <Property Name=\"p\" Type=\"Edm.String\" Nullable=\"no\"/>\n  <Property Name=\"q\" Type=\"Collection(\"/>\n</EntityType>",
            ),
            "t.csdl:4:1: error: expected attribute Name on <EntityType>\n\
             t.csdl:5:40: error: invalid Nullable value \"no\": expected \"true\" or \"false\"\n\
             t.csdl:6:22: error: malformed type reference \"Collection(\": expected \")\"",
        ),
        case(
            "warnings are reported with errors",
            doc("<EntityType Name=\"e\">\n  <Foo/>\n  <Property Name=\"p\"/>\n</EntityType>"),
            "t.csdl:5:3: warning: unknown element <Foo> in <EntityType>: ignored\n\
             t.csdl:6:3: error: expected attribute Type on <Property>",
        ),
        case(
            "element after the root",
            format!("{}<more/>", doc("")),
            "t.csdl:8:1: error: unexpected element <more> after the root element: expected the end of the document",
        ),
    ]
}

fn run(input: &str, strict: bool) -> Result<usize, String> {
    match parse(FILE, input, &ParseOptions { strict }) {
        Ok(parsed) => Ok(parsed.warnings.len()),
        Err(diagnostics) => {
            assert!(
                diagnostics.errors().next().is_some(),
                "failure without an error: {diagnostics}"
            );
            Err(diagnostics.to_string())
        }
    }
}

#[test]
fn malformed_inputs_give_located_messages() {
    let cases = cases();
    assert!(cases.len() >= 22);
    let mut failures = Vec::new();
    for case in &cases {
        match run(&case.input, case.strict) {
            Err(message) if message == case.expected => {}
            Err(message) => failures.push(format!(
                "{}:\n  expected: {}\n  found:    {}",
                case.name,
                case.expected.replace('\n', "\n            "),
                message.replace('\n', "\n            ")
            )),
            Ok(warnings) => failures.push(format!(
                "{}: parsed successfully ({warnings} warnings), expected:\n  {}",
                case.name, case.expected
            )),
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn no_input_panics() {
    // Every case, in both modes, and every prefix of every case: each
    // returns, and a failure always carries an error.
    for case in cases() {
        for strict in [false, true] {
            let _ = run(&case.input, strict);
            // Every prefix of the short inputs, every 7th of the long one.
            let step = if case.input.len() > 1000 { 7 } else { 1 };
            for end in (0..case.input.len())
                .step_by(step)
                .filter(|&i| case.input.is_char_boundary(i))
            {
                let _ = run(&case.input[..end], strict);
            }
        }
    }
}

#[test]
fn unknown_element_is_a_warning_when_not_strict() {
    let input = doc(
        "<EntityType Name=\"e\">\n  <Foo><Property/></Foo>\n  <x:Bar xmlns:x=\"urn:x\"/>\n</EntityType>",
    );
    let parsed = parse(FILE, &input, &ParseOptions::default()).expect("parses");
    let warnings: Vec<String> = parsed.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "t.csdl:5:3: warning: unknown element <Foo> in <EntityType>: ignored",
            "t.csdl:6:3: warning: unknown element <x:Bar> (namespace \"urn:x\") in <EntityType>: ignored",
        ]
    );
    assert!(
        parsed
            .warnings
            .iter()
            .all(|w| w.severity == Severity::Warning)
    );
    let entity = &parsed.document.schemas[0].entity_types[0];
    assert_eq!(entity.name, "e");
    assert!(entity.properties.is_empty());
}

#[test]
fn fragment_positions_are_offset() {
    // An error on the first line: columns shift by base.col - 1.
    let error = parse_fragment(FILE, "<EntityType/>", Pos { line: 10, col: 5 }, "ns")
        .expect_err("missing Name");
    assert_eq!(
        error.to_string(),
        "t.csdl:10:5: error: expected attribute Name on <EntityType>"
    );
    // Further lines keep their columns.
    let text = "<EntityType Name=\"x\">\n  <Property Name=\"p\"/>\n</EntityType>";
    let error = parse_fragment(FILE, text, Pos { line: 10, col: 5 }, "ns").expect_err("no Type");
    assert_eq!(
        error.to_string(),
        "t.csdl:11:3: error: expected attribute Type on <Property>"
    );
    // Fragments are strict, and hold only schema-level elements.
    let error = parse_fragment(
        FILE,
        "<Schema Namespace=\"x\"/>\n<Foo/>",
        Pos { line: 3, col: 1 },
        "ns",
    )
    .expect_err("not schema content");
    assert_eq!(
        error.to_string(),
        "t.csdl:3:1: error: unexpected element <Schema> in <Schema>: expected <EnumType>, <TypeDefinition>, <ComplexType>, <EntityType>, <Action>, <Function>, <Term>, <EntityContainer>, <Annotations> or <Annotation>\n\
         t.csdl:4:1: error: unknown element <Foo> in <Schema>: expected <EnumType>, <TypeDefinition>, <ComplexType>, <EntityType>, <Action>, <Function>, <Term>, <EntityContainer>, <Annotations> or <Annotation>"
    );
}
