//! Broken patches fail with errors located in the patch file: a target that
//! names nothing (at the target's line and column), an unknown action (at
//! its value), malformed XML (inside the `xml` string), missing fields.

use migrations_codegen::csdl::Diagnostics;
use migrations_codegen::csdl::syntax::Document;
use migrations_codegen::patch::Patch;
use migrations_codegen::pipeline;

use crate::support;

const FILE: &str = "metadata/patches/9999-test.toml";

fn doc() -> Document {
    pipeline::parse_document("test.csdl", support::SMALL_CSDL).unwrap()
}

/// `description` and `documentation` on lines 1-2, `[[change]]` on line 4,
/// the change's fields from line 5.
fn patch_text(fields: &str) -> String {
    format!("description = \"d\"\ndocumentation = \"x.md\"\n\n[[change]]\n{fields}")
}

fn load_err(text: &str) -> Diagnostics {
    match Patch::from_toml(FILE, text) {
        Ok(_) => panic!("the patch loaded:\n{text}"),
        Err(d) => d,
    }
}

fn apply_err(fields: &str) -> Diagnostics {
    let patch = Patch::from_toml(FILE, &patch_text(fields))
        .unwrap_or_else(|d| panic!("the patch does not load:\n{d}"));
    let mut doc = doc();
    match patch.apply(&mut doc) {
        Ok(()) => panic!("the patch applied:\n{fields}"),
        Err(d) => d,
    }
}

fn only(d: &Diagnostics) -> String {
    assert_eq!(d.0.len(), 1, "{d}");
    d.0[0].to_string()
}

#[test]
fn missing_target_names_the_patch_file_and_the_target_position() {
    // `target = "` is 10 columns: the error points at the value's quote.
    for (action, extra) in [
        ("remove", ""),
        (
            "set-attribute",
            "attribute = \"Nullable\"\nvalue = \"false\"\n",
        ),
        (
            "remove-annotation",
            "term = \"Org.OData.Core.V1.Description\"\n",
        ),
        (
            "add-annotation",
            "xml = '<Annotation Term=\"Org.OData.Core.V1.Computed\" />'\n",
        ),
    ] {
        let d = apply_err(&format!(
            "action = \"{action}\"\n{extra}target = \"test.ns.thing/labell\"\n"
        ));
        let line = 6 + extra.lines().count();
        assert_eq!(
            only(&d),
            format!(
                "{FILE}:{line}:10: error: patch target \"test.ns.thing/labell\" names nothing in the metadata"
            ),
            "{action}"
        );
    }
    // A type that does not exist at all, through the alias.
    let d = apply_err("action = \"remove\"\ntarget = \"t.nothing\"\n");
    assert_eq!(
        only(&d),
        format!("{FILE}:6:10: error: patch target \"t.nothing\" names nothing in the metadata")
    );
}

#[test]
fn missing_target_in_a_committed_patch_on_graph_beta() {
    let Some((file, text)) = support::shared_csdl("graph-beta.csdl") else {
        return;
    };
    let path =
        support::workspace_root().join("metadata/patches/0002-user-mappings-delta-update.toml");
    let original = std::fs::read_to_string(&path).unwrap();
    let broken = original.replace(
        "sharePointMigrationsRoot/crossOrganizationUserMappings",
        "sharePointMigrationsRoot/crossOrganizationUserMapings",
    );
    assert_ne!(broken, original);
    let (line, col) = broken
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find("target = \"").map(|c| (i + 1, c + 10)))
        .unwrap();
    let patch = Patch::from_toml(
        "metadata/patches/0002-user-mappings-delta-update.toml",
        &broken,
    )
    .unwrap();
    let err = match pipeline::slice_source(&file, &text, &support::committed_config(), &[patch]) {
        Ok(_) => panic!("a patch with a missing target applied"),
        Err(d) => d,
    };
    assert_eq!(
        only(&err),
        format!(
            "metadata/patches/0002-user-mappings-delta-update.toml:{line}:{col}: error: patch target \"microsoft.graph.sharePointMigrationsRoot/crossOrganizationUserMapings\" names nothing in the metadata"
        )
    );
    assert_eq!((line, col), (6, 10));
}

#[test]
fn unknown_action_is_located_at_its_value() {
    let d = load_err(&patch_text(
        "action = \"frobnicate\"\ntarget = \"t.thing\"\n",
    ));
    assert_eq!(
        only(&d),
        format!(
            "{FILE}:5:10: error: unknown patch action \"frobnicate\": expected add, remove, set-attribute, add-annotation or remove-annotation"
        )
    );
}

#[test]
fn malformed_xml_is_located_inside_the_patch_file() {
    // Multi-line literal string: the XML starts on line 8.
    let d = load_err(&patch_text(
        "action = \"add\"\nschema = \"test.ns\"\nxml = '''\n<Action Name=\"a\" IsBound=\"true\">\n  <Parameter Name=\"b\" Type=\"t.thing\">\n</Action>\n'''\n",
    ));
    assert_eq!(
        only(&d),
        format!(
            "{FILE}:10:1: error: mismatched closing tag </Action>: expected </Parameter> (opened at 9:3)"
        )
    );
    // On the `xml = '''` line itself: columns count from the line start.
    let d = load_err(&patch_text(
        "action = \"add\"\nschema = \"test.ns\"\nxml = '''<Action Name=\"a\" IsBound=\"true\"></Actio>'''\n",
    ));
    assert_eq!(
        only(&d),
        format!(
            "{FILE}:7:42: error: mismatched closing tag </Actio>: expected </Action> (opened at 7:10)"
        )
    );
    // A basic string: `xml = "` is 7 columns.
    let d = load_err(&patch_text(
        "action = \"add\"\nschema = \"test.ns\"\nxml = \"<Action Name='a' IsBound='maybe' />\"\n",
    ));
    let e = &d.0[0];
    assert_eq!((e.file.as_str(), e.pos.line), (FILE, 7), "{d}");
    assert!(e.pos.col > 7, "{d}");
    assert!(e.message.contains("maybe"), "{d}");
}

#[test]
fn malformed_annotation_xml_is_located_inside_the_patch_file() {
    // On the first line of the string, after `xml = '''` (9 columns).
    let d = load_err(&patch_text(
        "action = \"add-annotation\"\ntarget = \"t.thing\"\nxml = '''<Annotation Term=\"A.B\" String=\"x\"></Annotatio>'''\n",
    ));
    assert_eq!(
        only(&d),
        format!(
            "{FILE}:7:44: error: mismatched closing tag </Annotatio>: expected </Annotation> (opened at 7:10)"
        )
    );
    // On a later line.
    let d = load_err(&patch_text(
        "action = \"add-annotation\"\ntarget = \"t.thing\"\nxml = '''\n<Annotation Term=\"A.B\">\n  <Record>\n</Annotation>\n'''\n",
    ));
    assert_eq!(
        only(&d),
        format!(
            "{FILE}:10:1: error: mismatched closing tag </Annotation>: expected </Record> (opened at 9:3)"
        )
    );
}

#[test]
fn missing_fields_are_located_at_the_change() {
    let d = load_err(&patch_text("action = \"remove\"\n"));
    assert_eq!(
        only(&d),
        format!("{FILE}:4:1: error: change \"remove\" needs a \"target\" field")
    );
    let d = load_err(&patch_text(
        "action = \"add\"\nxml = '<Action Name=\"a\" />'\n",
    ));
    assert_eq!(
        only(&d),
        format!("{FILE}:4:1: error: change \"add\" needs a \"schema\" field")
    );
    let d = load_err(&patch_text(
        "action = \"set-attribute\"\ntarget = \"t.thing\"\nvalue = \"x\"\n",
    ));
    assert!(only(&d).starts_with(&format!(
        "{FILE}:4:1: error: change \"set-attribute\" needs an \"attribute\" field"
    )));
    let d =
        load_err("description = \"d\"\n\n[[change]]\naction = \"remove\"\ntarget = \"t.thing\"\n");
    assert!(only(&d).contains("missing field `documentation`"), "{d}");
    let d = load_err(&patch_text(
        "action = \"remove\"\ntarget = \"t.thing\"\ncolour = \"red\"\n",
    ));
    let e = &d.0[0];
    assert!(e.message.contains("colour"), "{e}");
    assert!(e.pos.line >= 4, "{e}");
    let d = load_err("description = \"d\"\ndocumentation = \"x.md\"\n[[change]\n");
    assert_eq!(d.0[0].pos.line, 3, "{d}");
}

#[test]
fn bad_attribute_values_are_errors_at_the_target() {
    let d = apply_err(
        "action = \"set-attribute\"\ntarget = \"t.thing/label\"\nattribute = \"Nullable\"\nvalue = \"sometimes\"\n",
    );
    assert_eq!(
        only(&d),
        format!(
            "{FILE}:6:10: error: attribute Nullable takes \"true\" or \"false\", not \"sometimes\""
        )
    );
    let d = apply_err(
        "action = \"set-attribute\"\ntarget = \"t.thing/label\"\nattribute = \"Colour\"\nvalue = \"red\"\n",
    );
    assert!(
        only(&d).contains("attribute \"Colour\" cannot be set on this target"),
        "{d}"
    );
}

/// A type set by a patch that the metadata lacks is the patch's error, at
/// its target, as for types of added elements; so is binding an operation
/// that has no binding parameter.
#[test]
fn set_attribute_to_an_unknown_type_is_located_in_the_patch() {
    for (target, attribute, value) in [
        ("t.thing/label", "Type", "t.colour"),
        ("t.thing/label", "Type", "Collection(t.colour)"),
        ("t.box", "BaseType", "t.crate"),
    ] {
        let d = apply_err(&format!(
            "action = \"set-attribute\"\ntarget = \"{target}\"\nattribute = \"{attribute}\"\nvalue = \"{value}\"\n"
        ));
        assert_eq!(
            only(&d),
            format!(
                "{FILE}:6:10: error: patch sets {attribute} of \"{target}\" to \"{value}\", which the metadata (test.csdl) does not define"
            )
        );
    }
    // Values that are no type, refused where they are written: a slice
    // holding them would not parse again, or fail to resolve at 0:0.
    for (target, attribute, value, problem) in [
        (
            "t.thing/label",
            "Type",
            "Edm.Strng",
            ": \"Edm.Strng\" is no type of the Edm namespace",
        ),
        (
            "t.thing/label",
            "Type",
            "Edm.String)",
            ": expected a qualified type name",
        ),
        (
            "t.thing/label",
            "Type",
            "label",
            ": expected a qualified type name",
        ),
        (
            "t.box",
            "BaseType",
            "Collection(t.box)",
            ": expected the qualified name of a structured type, not a collection",
        ),
    ] {
        let d = apply_err(&format!(
            "action = \"set-attribute\"\ntarget = \"{target}\"\nattribute = \"{attribute}\"\nvalue = \"{value}\"\n"
        ));
        assert!(
            only(&d).starts_with(&format!(
                "{FILE}:6:10: error: patch sets {attribute} of \"{target}\" to \"{value}\"{problem}"
            )),
            "{d}"
        );
    }
    // Known types, Edm types and collections are fine.
    for (target, attribute, value) in [
        ("t.thing/label", "Type", "t.color"),
        ("t.thing/label", "Type", "Collection(Edm.Int32)"),
        ("t.box", "BaseType", "test.ns.box"),
    ] {
        let patch = Patch::from_toml(
            FILE,
            &patch_text(&format!(
                "action = \"set-attribute\"\ntarget = \"{target}\"\nattribute = \"{attribute}\"\nvalue = \"{value}\"\n"
            )),
        )
        .unwrap();
        patch
            .apply(&mut doc())
            .unwrap_or_else(|d| panic!("{value}: {d}"));
    }
}

/// An operation bound by a patch needs a binding parameter: said at the
/// patch's target, not by the resolver at the operation in the CSDL.
#[test]
fn binding_an_operation_without_parameters_is_located_in_the_patch() {
    let text = format!(
        "{}\n[[change]]\naction = \"set-attribute\"\ntarget = \"t.bare\"\nattribute = \"IsBound\"\nvalue = \"true\"\n",
        patch_text("action = \"add\"\nschema = \"test.ns\"\nxml = '<Action Name=\"bare\" />'\n")
    );
    let patch = Patch::from_toml(FILE, &text).unwrap_or_else(|d| panic!("{d}"));
    let d = match patch.apply(&mut doc()) {
        Ok(()) => panic!("the patch applied"),
        Err(d) => d,
    };
    assert_eq!(
        only(&d),
        format!(
            "{FILE}:11:10: error: IsBound=\"true\" needs a binding parameter, and this operation has no parameter"
        )
    );
}

/// Windows line endings: the XML of a `'''` string still starts on the
/// line after the quotes.
#[test]
fn malformed_xml_is_located_with_windows_line_endings() {
    let text = patch_text(
        "action = \"add\"\nschema = \"test.ns\"\nxml = '''\n<Action Name=\"a\" IsBound=\"true\">\n  <Parameter Name=\"b\" Type=\"t.thing\">\n</Action>\n'''\n",
    )
    .replace('\n', "\r\n");
    let d = load_err(&text);
    assert!(
        only(&d).starts_with(&format!(
            "{FILE}:10:1: error: mismatched closing tag </Action>"
        )),
        "{d}"
    );
}

#[test]
fn remove_annotation_without_such_term_is_an_error() {
    let d = apply_err(
        "action = \"remove-annotation\"\ntarget = \"t.thing/label\"\nterm = \"Org.OData.Core.V1.LongDescription\"\n",
    );
    assert_eq!(
        only(&d),
        format!(
            "{FILE}:6:10: error: patch target \"t.thing/label\" has no annotation with term \"Org.OData.Core.V1.LongDescription\""
        )
    );
}

#[test]
fn add_to_an_unknown_schema_or_with_unknown_types_is_located() {
    let d =
        apply_err("action = \"add\"\nschema = \"other.ns\"\nxml = '<ComplexType Name=\"x\" />'\n");
    assert!(
        only(&d).contains("patch adds to schema \"other.ns\", which the metadata does not define"),
        "{d}"
    );
    let d = apply_err(
        "action = \"add\"\nschema = \"test.ns\"\nxml = '''\n<ComplexType Name=\"x\">\n  <Property Name=\"p\" Type=\"t.missing\" />\n</ComplexType>\n'''\n",
    );
    let e = &d.0[0];
    assert_eq!(e.file, FILE, "{d}");
    assert_eq!(e.pos.line, 9, "{d}");
    assert!(e.message.contains("\"t.missing\""), "{d}");
}

#[test]
fn add_annotation_xml_holds_only_annotations() {
    let d = load_err(&patch_text(
        "action = \"add-annotation\"\ntarget = \"t.thing\"\nxml = '''\n<Annotation Term=\"A.B\" />\n<ComplexType Name=\"sneaky\" />\n'''\n",
    ));
    assert_eq!(
        only(&d),
        format!(
            "{FILE}:9:1: error: the xml of an \"add-annotation\" change may only hold <Annotation> elements"
        )
    );
}

/// An added `<EntityContainer>` would be a second container, which nothing
/// merges: refused where the patch adds it, not dropped in silence.
#[test]
fn adding_an_entity_container_is_refused() {
    let d = apply_err(
        "action = \"add\"\nschema = \"test.ns\"\nxml = '<EntityContainer Name=\"D\"><EntitySet Name=\"more\" EntityType=\"t.thing\"/></EntityContainer>'\n",
    );
    assert!(
        only(&d).contains("patch adds an <EntityContainer>: a schema holds at most one"),
        "{d}"
    );
}
