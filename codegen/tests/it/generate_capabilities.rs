//! Query options are offered where the Capabilities annotations allow them,
//! and flags enums are encoded as "a,b".

use migrations_codegen::pipeline;

use crate::support;

const CSDL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="cap" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="color" IsFlags="true">
        <Member Name="red" Value="1" />
        <Member Name="green" Value="2" />
      </EnumType>
      <EntityType Name="item">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <Property Name="colors" Type="cap.color" />
      </EntityType>
      <EntityContainer Name="Service">
        <EntitySet Name="restricted" EntityType="cap.item">
          <Annotation Term="Org.OData.Capabilities.V1.TopSupported" Bool="false" />
          <Annotation Term="Org.OData.Capabilities.V1.SearchRestrictions">
            <Record><PropertyValue Property="Searchable" Bool="false" /></Record>
          </Annotation>
          <Annotation Term="Org.OData.Capabilities.V1.InsertRestrictions">
            <Record><PropertyValue Property="Insertable" Bool="false" /></Record>
          </Annotation>
        </EntitySet>
        <EntitySet Name="open" EntityType="cap.item" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

#[test]
fn restricted_collections_get_a_marker_without_the_forbidden_options() {
    let model = pipeline::load_model("cap.csdl", CSDL).unwrap();
    let generated = pipeline::generate(&model, &support::config(&["/restricted/**", "/open/**"]))
        .unwrap_or_else(|d| panic!("{d}"));
    let restricted = &generated.files["builders/restricted.rs"];
    assert!(
        restricted.contains("pub struct RestrictedQueryOptions;"),
        "{restricted}"
    );
    for allowed in ["Select", "Expand", "Filter", "OrderBy", "Skip", "Count"] {
        assert!(
            restricted.contains(&format!(
                "impl crate::runtime::options::{allowed} for RestrictedQueryOptions"
            )),
            "{allowed} missing:\n{restricted}"
        );
    }
    for forbidden in ["Top", "Search"] {
        assert!(
            !restricted.contains(&format!(
                "impl crate::runtime::options::{forbidden} for RestrictedQueryOptions"
            )),
            "{forbidden} must not be offered"
        );
    }
    assert!(restricted.contains("ListRequest<crate::models::Item, RestrictedQueryOptions>"));
    // Insertable=false: no POST, and none in the API surface.
    assert!(!restricted.contains("pub fn post("));
    assert!(!generated.api_surface.contains("POST /restricted "));
    // The unrestricted set keeps every option.
    let open = &generated.files["builders/open.rs"];
    assert!(open.contains("crate::runtime::options::AllOptions"));
    assert!(generated.api_surface.contains("POST /open -> cap.item"));
}

#[test]
fn flags_enums_use_the_flags_wrapper() {
    let model = pipeline::load_model("cap.csdl", CSDL).unwrap();
    let generated = pipeline::generate(&model, &support::config(&["/open/**"]))
        .unwrap_or_else(|d| panic!("{d}"));
    let item = &generated.files["models/item.rs"];
    assert!(
        item.contains("crate::runtime::Flags<crate::models::Color>"),
        "{item}"
    );
}
