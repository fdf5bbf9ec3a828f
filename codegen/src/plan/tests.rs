//! Plans of small schemas: what the plan decides for constructs the
//! migration slice does not have.

use super::{MethodKind, Options, plan};
use crate::docs::DocsFacts;
use crate::pipeline::load_model;
use crate::slice::SliceConfig;

/// A function whose return type carries `Core.IsDelta` (as Microsoft's v1.0
/// metadata writes it, inside `<ReturnType>`) lists its changes page by
/// page, the delta link kept, instead of returning one collection value.
#[test]
fn a_delta_function_returns_delta_pages() {
    let csdl = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="thing">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <Function Name="delta" IsBound="true">
        <Parameter Name="bindingParameter" Type="Collection(n.thing)" />
        <ReturnType Type="Collection(n.thing)">
          <Annotation Term="Org.OData.Core.V1.IsDelta" Bool="true" />
        </ReturnType>
      </Function>
      <Function Name="recent" IsBound="true">
        <Parameter Name="bindingParameter" Type="Collection(n.thing)" />
        <ReturnType Type="Collection(n.thing)" />
      </Function>
      <EntityContainer Name="C">
        <EntitySet Name="things" EntityType="n.thing" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;
    let model = load_model("delta.csdl", csdl).unwrap_or_else(|d| panic!("{d}"));
    let paths = SliceConfig::new(&["/things/**"], &[]).unwrap();
    let plan = plan(&model, &paths, &Options::default(), &DocsFacts::default())
        .unwrap_or_else(|d| panic!("{d}"));
    let send = |template: &str| {
        plan.builders
            .iter()
            .find(|b| b.template == template)
            .map(|b| b.methods[0].kind.clone())
            .unwrap_or_else(|| panic!("no builder for {template}"))
    };
    match send("/things/delta()") {
        MethodKind::CallDeltaFunction { item } => {
            assert_eq!(item.as_str(), "crate::models::Thing")
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        send("/things/recent()"),
        MethodKind::CallFunction { .. }
    ));
}
