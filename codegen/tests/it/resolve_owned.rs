//! `resolve_owned` (which moves names and annotations out of the syntax
//! tree) builds exactly the model `resolve` (which copies them) builds, and
//! reports exactly the same errors.

use migrations_codegen::csdl::{ParseOptions, parse};
use migrations_codegen::model::{Model, resolve, resolve_owned};

use crate::support;

fn assert_same(a: &Model, b: &Model) {
    assert_eq!(a.file, b.file);
    assert_eq!(a.schemas, b.schemas);
    assert_eq!(a.enums, b.enums);
    assert_eq!(a.type_definitions, b.type_definitions);
    assert_eq!(a.structs, b.structs);
    assert_eq!(a.operations, b.operations);
    assert_eq!(a.terms, b.terms);
    assert_eq!(a.container_name, b.container_name);
    assert_eq!(a.container_annotations, b.container_annotations);
    assert_eq!(a.entity_sets, b.entity_sets);
    assert_eq!(a.singletons, b.singletons);
    assert_eq!(a.derived, b.derived);
    assert_eq!(a.aliases, b.aliases);
    for name in a.structs.keys() {
        for collection in [false, true] {
            let x: Vec<String> = a
                .bound_operations(name, collection)
                .iter()
                .map(|o| o.signature())
                .collect();
            let y: Vec<String> = b
                .bound_operations(name, collection)
                .iter()
                .map(|o| o.signature())
                .collect();
            assert_eq!(
                x, y,
                "operations bound to {name} (collection: {collection})"
            );
        }
    }
}

fn both(file: &str, text: &str) -> (Result<Model, String>, Result<Model, String>) {
    let doc = parse(file, text, &ParseOptions::default())
        .unwrap_or_else(|d| panic!("{d}"))
        .document;
    let borrowed = resolve(&doc).map_err(|d| d.to_string());
    let owned = resolve_owned(doc).map_err(|d| d.to_string());
    (borrowed, owned)
}

#[test]
fn owned_and_borrowed_resolution_agree_on_graph_beta() {
    for name in ["graph-beta.csdl", "graph-beta-usnat.csdl"] {
        let Some((file, text)) = support::shared_csdl(name) else {
            return;
        };
        let (borrowed, owned) = both(&file, &text);
        assert_same(&borrowed.unwrap(), &owned.unwrap());
    }
}

const HEAD: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
<edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml">
<edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/>
</edmx:Reference>
<edmx:DataServices>
<Schema Namespace="ns" Alias="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">
"#;
const TAIL: &str = "\n</Schema>\n</edmx:DataServices>\n</edmx:Edmx>\n";

#[test]
fn owned_and_borrowed_resolution_agree_on_small_documents() {
    let body = r#"
<EnumType Name="color" IsFlags="true"><Member Name="red" Value="1"/><Member Name="green"/>
  <Annotation Term="Core.Description" String="colours"/></EnumType>
<TypeDefinition Name="when" UnderlyingType="Edm.DateTimeOffset"/>
<ComplexType Name="base" Abstract="true"><Property Name="id" Type="Edm.String" Nullable="false" MaxLength="40"/></ComplexType>
<ComplexType Name="child" BaseType="n.base"><Property Name="tint" Type="n.color" DefaultValue="red"/></ComplexType>
<EntityType Name="thing"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.Guid" Nullable="false"/>
  <Property Name="parts" Type="Collection(ns.child)"/>
  <NavigationProperty Name="other" Type="n.thing" Partner="other" ContainsTarget="true"/></EntityType>
<EntityType Name="special" BaseType="ns.thing"/>
<Action Name="go" IsBound="true"><Parameter Name="bp" Type="Collection(n.thing)"/><Parameter Name="speed" Type="Edm.Int32"/></Action>
<Function Name="look" IsBound="true"><Parameter Name="bp" Type="n.thing"/><ReturnType Type="n.when"/></Function>
<Term Name="flag" Type="Edm.Boolean"/>
<EntityContainer Name="c"><EntitySet Name="things" EntityType="n.thing"/><Singleton Name="me" Type="n.special"/></EntityContainer>
<Annotations Target="n.thing/parts" Qualifier="q"><Annotation Term="Core.Description" String="the parts"/></Annotations>
<Annotations Target="n.go(Collection(n.thing))"><Annotation Term="Core.Description" String="go!"/></Annotations>
<Annotations Target="n.c/things"><Annotation Term="n.flag"/></Annotations>
"#;
    let text = format!("{HEAD}{body}{TAIL}");
    let (borrowed, owned) = both("t.csdl", &text);
    assert_same(&borrowed.unwrap(), &owned.unwrap());
}

#[test]
fn owned_and_borrowed_resolution_report_the_same_errors() {
    let body = r#"
<EnumType Name="e"><Member Name="a"/><Member Name="a"/><Member Name="a"/></EnumType>
<ComplexType Name="x" BaseType="n.y"><Property Name="p" Type="n.nope"/><Property Name="p" Type="Edm.String"/></ComplexType>
<ComplexType Name="y" BaseType="n.x"/>
<EntityType Name="t"><Property Name="id" Type="Edm.Strin"/><NavigationProperty Name="id" Type="n.t"/></EntityType>
<EntityType Name="t"/>
<Function Name="f"><Parameter Name="a" Type="n.gone"/><ReturnType Type="Edm.String"/></Function>
<EntityContainer Name="c"><EntitySet Name="s" EntityType="n.x"/></EntityContainer>
<Annotations Target="n.t/missing"><Annotation Term="Core.Description" String="x"/></Annotations>
"#;
    let text = format!("{HEAD}{body}{TAIL}");
    let (borrowed, owned) = both("t.csdl", &text);
    let (borrowed, owned) = (borrowed.unwrap_err(), owned.unwrap_err());
    assert_eq!(borrowed, owned);
    for expected in [
        "duplicate member \"a\"",
        "BaseType cycle",
        "duplicate property \"p\"",
        "duplicate property \"id\"",
        "unknown primitive type \"Edm.Strin\"",
        "duplicate name \"t\"",
        "unresolved type reference \"n.gone\"",
        "entity set \"s\" has type \"n.x\", which is a complex type",
        "names nothing",
    ] {
        assert!(borrowed.contains(expected), "{expected} in:\n{borrowed}");
    }
}
