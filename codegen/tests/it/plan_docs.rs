//! What the plan writes into doc comments (every text of the generated code
//! is decided there, and the emitters only render it), and what it takes
//! from the documentation and the generation options.

use migrations_codegen::docs::DocsFacts;
use migrations_codegen::pipeline;
use migrations_codegen::plan::{Options, plan};

use crate::support;

/// A struct's `with_x` and `with_x_null`, and an edit's `with_x` for what
/// an update may change.
#[test]
fn setters_carry_their_doc_comments() {
    let csdl = support::in_schema(
        r#"<EntityType Name="thing">
  <Key><PropertyRef Name="id" /></Key>
  <Property Name="id" Type="Edm.String" Nullable="false" />
  <Property Name="note" Type="Edm.String">
    <Annotation Term="Org.OData.Core.V1.Description" String="What the thing is for." />
  </Property>
  <Property Name="type" Type="Edm.String" Nullable="false" />
</EntityType>
<EntityContainer Name="C">
  <EntitySet Name="things" EntityType="n.thing" />
</EntityContainer>"#,
    );
    let model = pipeline::load_model("setters.csdl", &csdl).unwrap_or_else(|d| panic!("{d}"));
    let plan = plan(
        &model,
        &support::config(&["/things/**"]),
        &Options::default(),
        &DocsFacts::default(),
    )
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
    let note_edit = edit
        .updatable
        .iter()
        .find(|u| thing.fields[u.field].json == "note")
        .expect("note is updatable");
    assert_eq!(
        note_edit.docs.lines(),
        [
            "Changes `note`: What the thing is for.",
            "",
            "See [`Thing::note`]."
        ]
    );
}

/// Every error name of the committed `generate.toml` is taken by a
/// documented case; a name no case takes (a page's table changed, a typo)
/// is reported at its line by regeneration.
#[test]
fn error_names_that_no_documented_case_takes_are_reported() {
    let root = support::workspace_root();
    let docs = pipeline::load_docs_facts(&root).unwrap_or_else(|d| panic!("{d}"));
    let options = pipeline::load_options(&root).unwrap_or_else(|d| panic!("{d}"));
    assert!(options.error_names.len() >= 10, "{options:?}");
    assert_eq!(
        migrations_codegen::plan::unused_error_names(&options.error_names, &docs),
        []
    );
    let text = std::fs::read_to_string(root.join(pipeline::GENERATE_TOML)).unwrap()
        + "\"404 The migration job\" = \"MigrationJobGone\"\n";
    let stale = Options::from_toml(pipeline::GENERATE_TOML, &text).unwrap();
    assert_eq!(
        migrations_codegen::plan::unused_error_names(&stale.error_names, &docs),
        [("404 The migration job", "MigrationJobGone")]
    );
    let line = text.lines().count();
    assert_eq!(
        stale.error_name_positions["404 The migration job"].to_string(),
        format!("{line}:1")
    );
}
