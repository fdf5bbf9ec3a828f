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

/// Setter doc comments are the plan's to write, like every other text of
/// the generated code: a struct's `with_x` and `with_x_null`, and an edit's
/// `with_x` for what an update may change.
#[test]
fn setters_carry_their_doc_comments() {
    let csdl = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="thing">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <Property Name="note" Type="Edm.String">
          <Annotation Term="Org.OData.Core.V1.Description" String="What the thing is for." />
        </Property>
        <Property Name="type" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityContainer Name="C">
        <EntitySet Name="things" EntityType="n.thing" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;
    let model = load_model("setters.csdl", csdl).unwrap_or_else(|d| panic!("{d}"));
    let paths = SliceConfig::new(&["/things/**"], &[]).unwrap();
    let plan = plan(&model, &paths, &Options::default(), &DocsFacts::default())
        .unwrap_or_else(|d| panic!("{d}"));
    let thing = plan
        .structs
        .iter()
        .find(|s| s.rust_name == "Thing")
        .unwrap();
    let field = |json: &str| thing.fields.iter().find(|f| f.json == json).unwrap();
    let note = field("note");
    assert_eq!(note.setter.name, "with_note");
    assert_eq!(
        note.setter.docs.lines(),
        [
            "Sets `note` (builder style): What the thing is for.",
            "",
            "See [`Thing::note`]."
        ]
    );
    let null = note.null_setter.as_ref().expect("a nullable member");
    assert_eq!(null.name, "with_note_null");
    assert_eq!(
        null.docs.lines(),
        ["Sets `note` to an explicit `null` (sent as `null` in a request body)."]
    );
    // rustdoc cannot link to a raw identifier; a member that may not be
    // null has no null setter.
    let ty = field("type");
    assert_eq!(ty.rust_name, "r#type");
    assert!(ty.null_setter.is_none());
    assert!(
        ty.setter.docs.lines().iter().all(|l| !l.contains("See [")),
        "{:?}",
        ty.setter.docs
    );
    let edit = thing.edit.as_ref().expect("a PATCH updates things");
    let changes: Vec<(&str, &[String])> = edit
        .updatable
        .iter()
        .map(|u| (thing.fields[u.field].json.as_str(), u.docs.lines()))
        .collect();
    let note_edit = changes
        .iter()
        .find(|(j, _)| *j == "note")
        .expect("note is updatable");
    assert_eq!(
        note_edit.1,
        [
            "Changes `note`: What the thing is for.",
            "",
            "See [`Thing::note`]."
        ]
    );
}
