//! References into a namespace the document includes but does not hold:
//! the resolver keeps them as external, a slice that stays clear of them
//! is cut and written as usual (keeping every annotation of what it keeps,
//! nested ones and those on return types included), and a slice that needs
//! one is refused at the element that needs it.

use migrations_codegen::pipeline;

use crate::support;

/// `root` (a singleton) leads to `fine`, whose types are all defined, and
/// to `item`, whose property `x` (line 9) has an external type.
const CSDL: &str = r#"<edmx:Edmx Version="4.01" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
<edmx:Reference Uri="https://example.com/other.xml"><edmx:Include Namespace="other" Alias="o"/></edmx:Reference>
<edmx:DataServices>
<Schema Namespace="ns" Alias="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<EntityType Name="root"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/>
<NavigationProperty Name="fine" Type="Collection(n.fine)" ContainsTarget="true"/>
<NavigationProperty Name="item" Type="Collection(n.item)" ContainsTarget="true"/></EntityType>
<EntityType Name="item"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/>
<Property Name="x" Type="o.thing"/></EntityType>
<EntityType Name="fine"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false">
<Annotation Term="Org.OData.Core.V1.Description" String="the key"><Annotation Term="Org.OData.Core.V1.Description" String="on the description"/></Annotation>
</Property></EntityType>
<Function Name="changes" IsBound="true"><Parameter Name="bindingParameter" Type="Collection(n.fine)"/><ReturnType Type="Collection(n.fine)"><Annotation Term="Org.OData.Core.V1.IsDelta" Bool="true"/></ReturnType></Function>
<EntityContainer Name="c"><Singleton Name="root" Type="n.root"/></EntityContainer>
<Annotation Term="Org.OData.Core.V1.Description" String="the schema"/>
<Annotations Target="n"><Annotation Term="Org.OData.Core.V1.LongDescription" String="the schema, by alias"/></Annotations>
</Schema>
</edmx:DataServices>
</edmx:Edmx>
"#;

#[test]
fn a_slice_clear_of_external_types_keeps_every_annotation() {
    let model = pipeline::load_model("x.csdl", CSDL).expect("resolves");
    assert_eq!(
        model
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "x.csdl:9:1: warning: type \"o.thing\" is in the referenced namespace \"other\", which this document does not define: kept as an external reference"
        ]
    );
    let sliced = pipeline::slice_source("x.csdl", CSDL, &support::config(&["/root/fine/**"]), &[])
        .unwrap_or_else(|d| panic!("{d}"));
    let csdl = &sliced.csdl;
    for kept in [
        r#"<Annotation Term="Org.OData.Core.V1.IsDelta" Bool="true" />"#,
        r#"<Annotation Term="Org.OData.Core.V1.Description" String="on the description" />"#,
        r#"<Annotation Term="Org.OData.Core.V1.Description" String="the schema" />"#,
        r#"<Annotation Term="Org.OData.Core.V1.LongDescription" String="the schema, by alias" />"#,
        r#"<edmx:Include Namespace="other" Alias="o" />"#,
    ] {
        assert!(csdl.contains(kept), "the slice lost {kept}:\n{csdl}");
    }
    assert!(!csdl.contains("o.thing"), "{csdl}");
    // The slice reads back with the same annotations, and the delta
    // function is known as one.
    let again = pipeline::load_model("slice.csdl", csdl).unwrap_or_else(|d| panic!("{d}"));
    let changes = again
        .operations
        .iter()
        .find(|o| o.name == "ns.changes")
        .expect("kept");
    assert!(changes.returns_delta());
    assert_eq!(again.schema_annotations["ns"].len(), 2);
}

#[test]
fn a_slice_that_needs_an_external_type_is_refused_where_it_needs_it() {
    let d = pipeline::slice_source("x.csdl", CSDL, &support::config(&["/root/item/**"]), &[])
        .map(|s| s.csdl)
        .unwrap_err();
    assert_eq!(
        d.to_string(),
        "x.csdl:9:1: error: property \"ns.item/x\" needs type \"other.thing\" of the referenced namespace \"other\", which this document does not define: expected the namespace's schema in the document, or a slice that does not reach property \"ns.item/x\""
    );
}
