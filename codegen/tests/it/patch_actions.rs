//! Every patch action changes the document the way it says, marks what it
//! changed with the patch's note, and applying a patch twice is a no-op.

use migrations_codegen::csdl::syntax::Document;
use migrations_codegen::csdl::write::write_document;
use migrations_codegen::model::{Model, resolve, vocab};
use migrations_codegen::patch::Patch;
use migrations_codegen::pipeline;

use crate::support;

const FILE: &str = "metadata/patches/9999-test.toml";

fn doc() -> Document {
    pipeline::parse_document("test.csdl", support::SMALL_CSDL).unwrap()
}

fn patch(changes: &str) -> Patch {
    let text = format!("description = \"why\"\ndocumentation = \"docs/page.md\"\n\n{changes}");
    Patch::from_toml(FILE, &text).unwrap_or_else(|d| panic!("{d}"))
}

/// Applies the patch to the small schema, then again, checking the second
/// application changes nothing; returns the patched model.
fn apply(changes: &str) -> (Model, Patch) {
    let p = patch(changes);
    let mut d = doc();
    p.apply(&mut d).unwrap_or_else(|e| panic!("{e}"));
    let once = d.clone();
    p.apply(&mut d)
        .unwrap_or_else(|e| panic!("second application: {e}"));
    assert!(d == once, "applying the patch twice changed the document");
    assert_eq!(write_document(&d, &[]), write_document(&once, &[]));
    let model = resolve(&d).unwrap_or_else(|e| panic!("the patched schema does not resolve:\n{e}"));
    (model, p)
}

fn original() -> Model {
    resolve(&doc()).unwrap()
}

#[test]
fn set_attribute_changes_properties_types_and_members() {
    let before = original();
    let label = before.all_properties("test.ns.thing")[1];
    assert_eq!(label.name, "label");
    assert!(label.nullable);

    let (model, p) = apply(
        r#"
[[change]]
action = "set-attribute"
target = "test.ns.thing/label"
attribute = "Nullable"
value = "false"

[[change]]
action = "set-attribute"
target = "t.box/color"
attribute = "Type"
value = "Collection(t.color)"

[[change]]
action = "set-attribute"
target = "test.ns.color/blue"
attribute = "Value"
value = "7"

[[change]]
action = "set-attribute"
target = "test.ns.box"
attribute = "OpenType"
value = "true"

[[change]]
action = "set-attribute"
target = "test.ns.poke(Collection(test.ns.thing))/force"
attribute = "Nullable"
value = "false"
"#,
    );
    let label = model
        .all_properties("test.ns.thing")
        .into_iter()
        .find(|x| x.name == "label")
        .unwrap();
    assert!(!label.nullable, "Nullable was not set");
    // The property keeps its other annotations and gains the patch note.
    assert_eq!(
        vocab::description(&label.annotations).as_deref(),
        Some("A label.")
    );
    assert_eq!(vocab::patched(&label.annotations), [p.note()]);

    let color = &model.struct_def("test.ns.box").unwrap().properties[0];
    assert!(color.ty.collection);
    assert_eq!(color.ty.to_string(), "Collection(test.ns.color)");
    assert_eq!(vocab::patched(&color.annotations), [p.note()]);
    assert!(model.struct_def("test.ns.box").unwrap().open_type);

    let blue = &model.enums["test.ns.color"].members[1];
    assert_eq!((blue.name.as_str(), blue.value), ("blue", 7));
    assert_eq!(vocab::patched(&blue.annotations), [p.note()]);

    let coll = model
        .operations
        .iter()
        .find(|o| o.binding.as_ref().unwrap().ty.collection)
        .unwrap();
    assert!(!coll.parameters[0].nullable);
    // The other overload is not touched.
    let single = model
        .operations
        .iter()
        .find(|o| !o.binding.as_ref().unwrap().ty.collection)
        .unwrap();
    assert!(vocab::patched(&single.annotations).is_empty());
}

#[test]
fn remove_deletes_elements_and_annotations_that_targeted_them() {
    let (model, _) = apply(
        r#"
[[change]]
action = "remove"
target = "test.ns.thing/label"

[[change]]
action = "remove"
target = "t.poke(Collection(t.thing))"

[[change]]
action = "remove"
target = "test.ns.color/red"
"#,
    );
    let props: Vec<&str> = model
        .all_properties("test.ns.thing")
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(props, ["id"]);
    assert_eq!(model.operations.len(), 1, "only the named overload goes");
    assert!(!model.operations[0].binding.as_ref().unwrap().ty.collection);
    let members: Vec<&str> = model.enums["test.ns.color"]
        .members
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(members, ["blue"]);

    // Removing a whole type takes its external annotations with it (else
    // the resolver would find them targeting nothing).
    let p = patch(
        r#"
[[change]]
action = "remove"
target = "test.ns.box"
"#,
    );
    let mut d = doc();
    p.apply(&mut d).unwrap();
    assert!(d.schemas[0].complex_types.is_empty());
    assert!(
        d.schemas[0]
            .annotations
            .iter()
            .all(|a| !a.target.contains("box")),
        "{:?}",
        d.schemas[0].annotations
    );
    let model = resolve(&d).unwrap();
    assert!(model.struct_def("test.ns.box").is_none());
}

#[test]
fn remove_annotation_removes_inline_and_external_annotations() {
    let before = original();
    assert!(vocab::description(&before.struct_def("test.ns.thing").unwrap().annotations).is_some());

    let (model, p) = apply(
        r#"
[[change]]
action = "remove-annotation"
target = "test.ns.thing/label"
term = "Org.OData.Core.V1.Description"

[[change]]
action = "remove-annotation"
target = "t.thing"
term = "Org.OData.Core.V1.Description"
"#,
    );
    let label = model
        .all_properties("test.ns.thing")
        .into_iter()
        .find(|x| x.name == "label")
        .unwrap();
    assert_eq!(vocab::description(&label.annotations), None);
    assert_eq!(vocab::patched(&label.annotations), [p.note()]);
    // The type's description lived in an external block: gone too, and
    // the type says it was patched.
    let thing = model.struct_def("test.ns.thing").unwrap();
    assert_eq!(vocab::description(&thing.annotations), None);
    assert_eq!(vocab::patched(&thing.annotations), [p.note()]);
    // The unrelated external annotation stays.
    let color = &model.struct_def("test.ns.box").unwrap().properties[0];
    assert_eq!(
        vocab::description(&color.annotations).as_deref(),
        Some("Its color.")
    );
}

#[test]
fn add_annotation_and_add() {
    let (model, p) = apply(
        r#"
[[change]]
action = "add-annotation"
target = "test.ns.thing/parts"
xml = '''
<Annotation Term="GraphMigrations.Sdk.V1.DeltaUpdate">
  <Record>
    <PropertyValue Property="MaxItems" Int="20" />
  </Record>
</Annotation>
'''

[[change]]
action = "add"
schema = "test.ns"
xml = '''
<ComplexType Name="extra">
  <Property Name="thing" Type="t.box" />
</ComplexType>
<Function Name="find" IsBound="true">
  <Parameter Name="bindingParameter" Type="Collection(t.thing)" />
  <Parameter Name="key" Type="Edm.String" />
  <ReturnType Type="t.thing" />
</Function>
<Annotations Target="t.extra">
  <Annotation Term="Org.OData.Core.V1.Description" String="Added with it." />
</Annotations>
'''
"#,
    );
    let parts = &model
        .struct_def("test.ns.thing")
        .unwrap()
        .navigation_properties[0];
    let d = vocab::delta_update(&parts.annotations).expect("DeltaUpdate added");
    assert_eq!(d.max_items, 20);
    assert_eq!(d.docs, None);
    assert_eq!(vocab::patched(&parts.annotations), [p.note()]);

    let extra = model.struct_def("test.ns.extra").expect("type added");
    // Marked once for the type and once for the annotation block the
    // patch added to it.
    assert_eq!(vocab::patched(&extra.annotations), [p.note(), p.note()]);
    assert_eq!(
        vocab::description(&extra.annotations).as_deref(),
        Some("Added with it.")
    );
    let find = model
        .operations
        .iter()
        .find(|o| o.short_name() == "find")
        .expect("function added");
    assert_eq!(
        find.signature(),
        "test.ns.find(Collection(test.ns.thing),Edm.String)"
    );
    assert_eq!(vocab::patched(&find.annotations), [p.note()]);
    // Added once, though applied twice.
    assert_eq!(model.operations.len(), 3);
    // And the container records the patch with the digest of its text.
    assert_eq!(
        vocab::applied_patches(&model.container_annotations),
        [(p.file.clone(), p.digest.clone())]
    );
}

#[test]
fn two_patches_with_different_notes_both_apply() {
    let a = patch(
        r#"
[[change]]
action = "set-attribute"
target = "test.ns.thing/label"
attribute = "Nullable"
value = "false"
"#,
    );
    let b_text = "description = \"other\"\ndocumentation = \"docs/other.md\"\n\n[[change]]\naction = \"set-attribute\"\ntarget = \"test.ns.box/color\"\nattribute = \"Nullable\"\nvalue = \"false\"\n";
    let b = Patch::from_toml("metadata/patches/9998-other.toml", b_text).unwrap();
    let mut d = doc();
    a.apply(&mut d).unwrap();
    b.apply(&mut d).unwrap();
    let twice = {
        let mut again = d.clone();
        b.apply(&mut again).unwrap();
        a.apply(&mut again).unwrap();
        again
    };
    assert!(twice == d, "re-applying either patch changed the document");
    let model = resolve(&d).unwrap();
    assert_eq!(
        vocab::applied_patches(&model.container_annotations),
        [
            (a.file.clone(), a.digest.clone()),
            (b.file.clone(), b.digest.clone())
        ]
    );
    assert!(!model.struct_def("test.ns.box").unwrap().properties[0].nullable);
}

#[test]
fn a_patch_is_all_or_nothing_per_document_written() {
    // The written form of a patched document shows the patch note, and the
    // written document parses back to the same patched model.
    let (_, p) = apply(
        r#"
[[change]]
action = "set-attribute"
target = "test.ns.thing/label"
attribute = "Nullable"
value = "false"
"#,
    );
    let mut d = doc();
    p.apply(&mut d).unwrap();
    let text = write_document(&d, &["header".to_string()]);
    assert!(text.contains("GraphMigrations.Sdk.V1.Patched"));
    let mut back = pipeline::parse_document("written.csdl", &text).unwrap();
    let model_back = resolve(&back).unwrap();
    p.apply(&mut back).unwrap();
    assert_eq!(
        write_document(&back, &["header".to_string()]),
        text,
        "a written patched document is recognised as patched"
    );
    let label = model_back
        .all_properties("test.ns.thing")
        .into_iter()
        .find(|x| x.name == "label")
        .unwrap();
    assert!(!label.nullable);
}

#[test]
fn a_patch_edited_after_slicing_is_an_error_not_a_second_application() {
    let original = patch(
        r#"
[[change]]
action = "set-attribute"
target = "test.ns.thing/label"
attribute = "Nullable"
value = "false"
"#,
    );
    let mut d = doc();
    original.apply(&mut d).unwrap();
    let edited = patch(
        r#"
[[change]]
action = "set-attribute"
target = "test.ns.thing/label"
attribute = "Nullable"
value = "true"
"#,
    );
    assert_eq!(edited.file, original.file);
    assert_ne!(edited.digest, original.digest);
    let err = edited.apply(&mut d).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!(
            "{}:1:1: error: this patch changed after",
            edited.file
        )),
        "{err}"
    );
    assert!(err.contains("cargo xtask regen --from"), "{err}");
}

#[test]
fn added_annotations_keep_nested_annotations_and_dynamic_expressions() {
    let (model, _) = apply(
        r#"
[[change]]
action = "add-annotation"
target = "test.ns.thing/label"
xml = '''
<Annotation Term="Org.OData.Core.V1.Description">
  <If><Eq><Path>id</Path><Null/></Eq><String>new</String><String>old</String></If>
  <Annotation Term="Org.OData.Core.V1.LongDescription" String="why the label says so"/>
</Annotation>
'''
"#,
    );
    let label = model.all_properties("test.ns.thing")[1];
    let added = label
        .annotations
        .iter()
        .find(|a| a.term == "Org.OData.Core.V1.Description" && !a.annotations.is_empty())
        .expect("the added annotation");
    assert_eq!(
        added.annotations[0].term,
        "Org.OData.Core.V1.LongDescription"
    );
    assert!(matches!(
        added.value.as_ref().map(|v| &v.kind),
        Some(migrations_codegen::csdl::syntax::ExprKind::If(branches)) if branches.len() == 3
    ));
}

/// A target with parameter types names the overloads a resolver would: a
/// function's by all its parameters, so removing `f(thing)` keeps
/// `f(thing, Edm.String)`; only an action's may be named by its binding
/// parameter alone.
#[test]
fn a_function_overload_is_named_by_all_its_parameters() {
    let (model, _) = apply(
        r#"
[[change]]
action = "add"
schema = "test.ns"
xml = '''
<Function Name="look" IsBound="true">
  <Parameter Name="bindingParameter" Type="t.thing" />
  <ReturnType Type="Edm.String" />
</Function>
<Function Name="look" IsBound="true">
  <Parameter Name="bindingParameter" Type="t.thing" />
  <Parameter Name="how" Type="Edm.String" />
  <ReturnType Type="Edm.String" />
</Function>
'''

[[change]]
action = "remove"
target = "t.look(t.thing)"
"#,
    );
    let looks: Vec<String> = model
        .operations
        .iter()
        .filter(|o| o.short_name() == "look")
        .map(|o| o.signature())
        .collect();
    assert_eq!(looks, ["test.ns.look(test.ns.thing,Edm.String)"]);
}

/// A change to every overload a target names fails if it fails on any of
/// them, whichever comes last.
#[test]
fn a_change_that_fails_on_one_overload_fails() {
    let p = patch(
        r#"
[[change]]
action = "add"
schema = "test.ns"
xml = '''
<Action Name="act" />
<Action Name="act">
  <Parameter Name="how" Type="Edm.String" />
</Action>
'''

[[change]]
action = "set-attribute"
target = "t.act"
attribute = "IsBound"
value = "true"
"#,
    );
    let err = p
        .apply(&mut doc())
        .expect_err("binding an action without parameters");
    assert!(
        err.to_string()
            .contains("IsBound=\"true\" needs a binding parameter"),
        "{err}"
    );
}

/// Removing an annotation prunes the external blocks it empties, and only
/// those: an empty block the metadata wrote stays as written.
#[test]
fn only_blocks_a_removal_empties_are_pruned() {
    let text = support::SMALL_CSDL.replace(
        "<Annotations Target=\"t.thing\">",
        "<Annotations Target=\"t.box\" />\n      <Annotations Target=\"t.thing\">",
    );
    let mut d = pipeline::parse_document("test.csdl", &text).unwrap();
    patch(
        r#"
[[change]]
action = "remove-annotation"
target = "t.thing"
term = "Org.OData.Core.V1.Description"
"#,
    )
    .apply(&mut d)
    .unwrap_or_else(|e| panic!("{e}"));
    let targets: Vec<&str> = d.schemas[0]
        .annotations
        .iter()
        .map(|b| b.target.as_str())
        .collect();
    assert_eq!(targets, ["t.box", "test.ns.box/color"]);
}
