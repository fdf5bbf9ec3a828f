//! Documents that parse but do not resolve: every input gives exactly the
//! expected located messages (file:line:column, what was found, what was
//! expected), never a panic. The parser's own errors are in
//! parser_errors.rs.

use migrations_codegen::csdl::{ParseOptions, parse};
use migrations_codegen::model::{
    ResolveOptions, resolve, resolve_owned, resolve_owned_with, resolve_with,
};

use crate::support::in_schema as doc;

const FILE: &str = "r.csdl";

/// A document of several schemas: `schemas` is everything inside
/// `edmx:DataServices`, starting on line 3.
fn schemas(schemas: &str) -> String {
    format!(
        "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n\
         <edmx:DataServices>\n{schemas}\n</edmx:DataServices>\n</edmx:Edmx>\n"
    )
}

/// The diagnostics of resolving `text`, one per line. Borrowed and owned
/// resolution must agree.
fn errors(text: &str) -> String {
    errors_with(text, &ResolveOptions::default())
}

fn errors_with(text: &str, options: &ResolveOptions) -> String {
    let parsed = parse(FILE, text, &ParseOptions::default())
        .unwrap_or_else(|d| panic!("the input must parse:\n{d}\n{text}"));
    let borrowed = match resolve_with(&parsed.document, options) {
        Ok(_) => panic!("resolution succeeded:\n{text}"),
        Err(d) => d.to_string(),
    };
    let owned = resolve_owned_with(parsed.document, options)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert_eq!(borrowed, owned, "owned and borrowed resolution disagree");
    borrowed
}

/// Whatever `resolve` and `resolve_owned` say must agree, also on success.
fn warnings(text: &str) -> String {
    let parsed = parse(FILE, text, &ParseOptions::default())
        .unwrap_or_else(|d| panic!("the input must parse:\n{d}\n{text}"));
    let borrowed = resolve(&parsed.document).unwrap_or_else(|d| panic!("{d}"));
    let owned = resolve_owned(parsed.document).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(borrowed.warnings, owned.warnings);
    borrowed
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn cases() -> Vec<(&'static str, String, &'static str)> {
    const SCHEMA_NS: &str = "xmlns=\"http://docs.oasis-open.org/odata/ns/edm\"";
    vec![
        (
            "unresolved type, did you mean",
            doc(r#"<ComplexType Name="address"/>
<ComplexType Name="x"><Property Name="home" Type="n.adress"/></ComplexType>"#),
            "r.csdl:5:23: error: unresolved type reference \"n.adress\"; did you mean \"ns.address\"?",
        ),
        (
            "unresolved type in a collection",
            doc(
                r#"<ComplexType Name="x"><Property Name="all" Type="Collection(ns.nothingLikeIt)"/></ComplexType>"#,
            ),
            "r.csdl:4:23: error: unresolved type reference \"ns.nothingLikeIt\"",
        ),
        (
            "unresolved type, nothing close",
            // The shared namespace prefix does not make "ns.e" look close.
            doc(r#"<EnumType Name="e"><Member Name="a"/></EnumType>
<ComplexType Name="x"><Property Name="a" Type="n.nope"/></ComplexType>"#),
            "r.csdl:5:23: error: unresolved type reference \"n.nope\"",
        ),
        (
            "unknown primitive, did you mean",
            doc(r#"<ComplexType Name="x"><Property Name="a" Type="Edm.Strin"/></ComplexType>"#),
            "r.csdl:4:23: error: unknown primitive type \"Edm.Strin\"; did you mean \"Edm.String\"?",
        ),
        (
            "unresolved base type",
            doc(
                r#"<EntityType Name="x" BaseType="n.entiy"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
<EntityType Name="entity"/>"#,
            ),
            "r.csdl:4:1: error: unresolved base type reference \"n.entiy\"; did you mean \"ns.entity\"?",
        ),
        (
            "base type of the other kind",
            doc(
                r#"<EntityType Name="e"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
<ComplexType Name="c" BaseType="n.e"/>"#,
            ),
            "r.csdl:5:1: error: \"ns.c\" has BaseType \"n.e\", which is an entity type: expected a complex type",
        ),
        (
            "BaseType cycle",
            doc(r#"<ComplexType Name="a" BaseType="n.b"/>
<ComplexType Name="b" BaseType="n.c"/>
<ComplexType Name="c" BaseType="n.a"/>"#),
            "r.csdl:4:1: error: BaseType cycle: ns.a -> ns.b -> ns.c -> ns.a",
        ),
        (
            "duplicate type name",
            doc(r#"<ComplexType Name="x"/>
<EnumType Name="x"><Member Name="a"/></EnumType>"#),
            "r.csdl:5:1: error: duplicate name \"x\" in namespace \"ns\": first declared at 4:1",
        ),
        (
            "duplicate property",
            doc(r#"<ComplexType Name="x">
<Property Name="a" Type="Edm.String"/>
<NavigationProperty Name="a" Type="n.x"/>
</ComplexType>"#),
            "r.csdl:6:1: error: duplicate property \"a\" in \"ns.x\": first declared at 5:1",
        ),
        (
            "duplicate enum member",
            doc(r#"<EnumType Name="e">
<Member Name="a"/>
<Member Name="a"/>
</EnumType>"#),
            "r.csdl:6:1: error: duplicate member \"a\" in enum type \"ns.e\": first declared at 5:1",
        ),
        (
            "navigation property to a complex type",
            doc(r#"<ComplexType Name="c"/>
<EntityType Name="e"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/><NavigationProperty Name="c" Type="n.c"/></EntityType>"#),
            "r.csdl:5:113: error: navigation property \"c\" has type \"n.c\": expected an entity type",
        ),
        (
            "key on a derived type",
            doc(
                r#"<EntityType Name="base"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
<EntityType Name="derived" BaseType="n.base">
  <Key><PropertyRef Name="id"/></Key>
</EntityType>"#,
            ),
            "r.csdl:6:3: error: key declared on derived type \"ns.derived\": its ancestor \"ns.base\" already declares the key",
        ),
        (
            "annotation target naming nothing",
            doc(
                r#"<ComplexType Name="x"><Property Name="a" Type="Edm.String"/></ComplexType>
<Annotations Target="n.x/b"><Annotation Term="Org.OData.Core.V1.Description" String="?"/></Annotations>"#,
            ),
            "r.csdl:5:1: error: annotation target \"n.x/b\" names nothing: the type has no property of that name",
        ),
        (
            "annotation target overload naming nothing",
            doc(
                r#"<EntityType Name="e"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
<Action Name="go" IsBound="true"><Parameter Name="this" Type="n.e"/></Action>
<Annotations Target="n.go(Edm.String)"><Annotation Term="Org.OData.Core.V1.Description" String="?"/></Annotations>"#,
            ),
            "r.csdl:6:1: error: annotation target \"n.go(Edm.String)\" names nothing: no operation overload has these parameter types",
        ),
        (
            "singleton of a missing type",
            doc(
                r#"<EntityType Name="root"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
<EntityContainer Name="C"><Singleton Name="me" Type="n.roots"/></EntityContainer>"#,
            ),
            "r.csdl:5:27: error: unresolved entity type reference \"n.roots\"; did you mean \"ns.root\"?",
        ),
        (
            "action parameter of a missing type",
            doc(r#"<ComplexType Name="settings"/>
<Action Name="go"><Parameter Name="with" Type="n.setings"/></Action>"#),
            "r.csdl:5:19: error: unresolved type reference \"n.setings\"; did you mean \"ns.settings\"?",
        ),
        (
            "entity set of a complex type",
            doc(r#"<ComplexType Name="c"/>
<EntityContainer Name="C"><EntitySet Name="cs" EntityType="n.c"/></EntityContainer>"#),
            "r.csdl:5:27: error: entity set \"cs\" has type \"n.c\", which is a complex type: expected an entity type",
        ),
        (
            "type definition over a non-primitive",
            doc(r#"<ComplexType Name="c"/>
<TypeDefinition Name="t" UnderlyingType="n.c"/>"#),
            "r.csdl:5:1: error: type definition \"ns.t\" has UnderlyingType \"n.c\": expected an Edm primitive type",
        ),
        (
            "enum over a non-integer type",
            doc(r#"<EnumType Name="e" UnderlyingType="Edm.String"><Member Name="a"/></EnumType>"#),
            "r.csdl:4:1: error: enum type \"ns.e\" has UnderlyingType \"Edm.String\": expected Edm.Byte, Edm.SByte, Edm.Int16, Edm.Int32 or Edm.Int64",
        ),
        (
            "clashing aliases",
            schemas(&format!(
                "<Schema Namespace=\"one\" Alias=\"a\" {SCHEMA_NS}/>\n<Schema Namespace=\"two\" Alias=\"a\" {SCHEMA_NS}/>"
            )),
            "r.csdl:4:1: error: alias \"a\" for namespace \"two\" clashes with the alias \"a\" for \"one\" declared at 3:1",
        ),
        (
            "alias naming another namespace",
            schemas(&format!(
                "<Schema Namespace=\"one\" {SCHEMA_NS}/>\n<Schema Namespace=\"two\" Alias=\"one\" {SCHEMA_NS}/>"
            )),
            "r.csdl:4:1: error: alias \"one\" of namespace \"two\" is also a namespace name",
        ),
        (
            "reserved alias",
            schemas(&format!(
                "<Schema Namespace=\"mine\" Alias=\"Edm\" {SCHEMA_NS}/>"
            )),
            "r.csdl:3:1: error: alias \"Edm\" for namespace \"mine\" is reserved: expected a name other than Edm, odata, System, Transient",
        ),
        (
            "reserved namespace",
            schemas(&format!("<Schema Namespace=\"odata\" {SCHEMA_NS}/>")),
            "r.csdl:3:1: error: namespace \"odata\" is reserved: expected a name other than Edm, odata, System, Transient",
        ),
    ]
}

#[test]
fn unresolvable_documents_give_located_messages() {
    let cases = cases();
    assert!(cases.len() >= 20);
    let mut failures = Vec::new();
    for (name, input, expected) in &cases {
        let actual = errors(input);
        if actual != *expected {
            failures.push(format!(
                "{name}:\n  expected: {expected}\n  actual:   {actual}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// A document that includes namespace `other` (alias `o`) without holding
/// it, with `body` in its schema `ns` from line 5 on.
fn referencing(body: &str) -> String {
    format!(
        "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n\
         <edmx:Reference Uri=\"https://example.com/other.xml\"><edmx:Include Namespace=\"other\" Alias=\"o\"/></edmx:Reference>\n\
         <edmx:DataServices>\n<Schema Namespace=\"ns\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n\
         {body}\n\
         </Schema>\n</edmx:DataServices>\n</edmx:Edmx>\n"
    )
}

#[test]
fn references_into_unloaded_namespaces_are_external_with_warnings() {
    let property =
        referencing(r#"<ComplexType Name="x"><Property Name="a" Type="o.thing"/></ComplexType>"#);
    // Strict resolution refuses, with the message unstrict resolution warns with.
    assert_eq!(
        errors_with(&property, &ResolveOptions { strict: true }),
        "r.csdl:5:23: error: type \"o.thing\" is in the referenced namespace \"other\", which this document does not define"
    );
    assert_eq!(
        warnings(&property),
        "r.csdl:5:23: warning: type \"o.thing\" is in the referenced namespace \"other\", which this document does not define: kept as an external reference"
    );
    let everything = referencing(
        r#"<EntityType Name="e" BaseType="other.base"><NavigationProperty Name="n" Type="Collection(o.target)"/></EntityType>
<EntityContainer Name="c"><EntitySet Name="es" EntityType="o.entity"/></EntityContainer>
<Annotations Target="o.entity/p"><Annotation Term="o.term" String="x"/></Annotations>
<Annotations Target="other"><Annotation Term="o.term" String="y"/></Annotations>"#,
    );
    assert_eq!(
        warnings(&everything),
        [
            "r.csdl:5:1: warning: base type \"other.base\" is in the referenced namespace \"other\", which this document does not define: kept as an external reference",
            "r.csdl:5:44: warning: type \"o.target\" is in the referenced namespace \"other\", which this document does not define: kept as an external reference",
            "r.csdl:6:27: warning: entity type \"o.entity\" is in the referenced namespace \"other\", which this document does not define: kept as an external reference",
            "r.csdl:7:1: warning: annotation target \"o.entity/p\" is in the referenced namespace \"other\", which this document does not define: kept as external annotations",
            "r.csdl:8:1: warning: annotation target \"other\" is in the referenced namespace \"other\", which this document does not define: kept as external annotations",
        ]
        .join("\n")
    );
    let parsed = parse(FILE, &everything, &ParseOptions::default()).unwrap();
    let model = resolve(&parsed.document).unwrap();
    let targets: Vec<&str> = model
        .external_annotations
        .iter()
        .map(|a| a.target.as_str())
        .collect();
    assert_eq!(targets, ["other.entity/p", "other"]);
    assert_eq!(
        model.external_types.keys().collect::<Vec<_>>(),
        ["other.base", "other.entity", "other.target"]
    );
    assert_eq!(
        errors_with(&everything, &ResolveOptions { strict: true })
            .lines()
            .count(),
        5
    );
}
