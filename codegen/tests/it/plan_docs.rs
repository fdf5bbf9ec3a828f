//! What the plan writes into doc comments (every text of the generated code
//! is decided there, and the emitters only render it), and what it takes
//! from the documentation and the generation options.

use migrations_codegen::docs::DocsFacts;
use migrations_codegen::pipeline;
use migrations_codegen::plan::{MethodKind, Options, plan};

use crate::support;

/// The plan of `csdl` for the paths `include`, with default options and no
/// documentation.
fn plan_of(
    file: &str,
    csdl: &str,
    include: &[&str],
) -> Result<migrations_codegen::plan::Plan, migrations_codegen::csdl::Diagnostics> {
    let model = pipeline::load_model(file, csdl).unwrap_or_else(|d| panic!("{d}"));
    plan(
        &model,
        &support::config(include),
        &Options::default(),
        &DocsFacts::default(),
    )
}

/// The committed documentation facts.
fn committed_docs() -> DocsFacts {
    pipeline::load_docs_facts_or_default(&support::workspace_root())
        .unwrap_or_else(|d| panic!("{d}"))
}

/// The plan of the committed slice, with the committed options and `docs`.
fn committed_plan(docs: &DocsFacts) -> migrations_codegen::plan::Plan {
    let root = support::workspace_root();
    let model = pipeline::load_committed_model(&root).unwrap_or_else(|d| panic!("{d}"));
    let options = pipeline::load_options(&root).unwrap_or_else(|d| panic!("{d}"));
    plan(&model, &support::committed_config(), &options, docs).unwrap_or_else(|d| panic!("{d}"))
}

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
    let plan = plan_of("setters.csdl", &csdl, &["/things/**"]).unwrap_or_else(|d| panic!("{d}"));
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

/// A collection of a type with derived types takes and returns `AnyX`: its
/// create still refuses what the service computes, and its update takes
/// `XEdit`. A schema type whose name starts with `any` (`anyOther` beside
/// `other`) is a type of its own, with its own edit; one whose Rust name
/// is a wrapper's (`anyThing` beside a polymorphic `thing`) is a located
/// error.
#[test]
fn requests_of_polymorphic_types_find_their_struct() {
    let schema = |extra: &str| {
        support::in_schema(&format!(
            r#"<EntityType Name="thing">
  <Key><PropertyRef Name="id" /></Key>
  <Property Name="id" Type="Edm.String" Nullable="false" />
  <Property Name="created" Type="Edm.DateTimeOffset">
    <Annotation Term="Org.OData.Core.V1.Computed" Bool="true" />
  </Property>
</EntityType>
<EntityType Name="special" BaseType="n.thing">
  <Property Name="extra" Type="Edm.String" />
</EntityType>
<EntityType Name="other">
  <Key><PropertyRef Name="id" /></Key>
  <Property Name="id" Type="Edm.String" Nullable="false" />
  <NavigationProperty Name="buddy" Type="n.thing" />
</EntityType>
{extra}
<EntityContainer Name="C">
  <EntitySet Name="things" EntityType="n.thing" />
  <EntitySet Name="others" EntityType="n.other" />
  <EntitySet Name="specials" EntityType="n.special" />
</EntityContainer>"#
        ))
    };
    let any_other = r#"<EntityType Name="anyOther">
  <Key><PropertyRef Name="id" /></Key>
  <Property Name="id" Type="Edm.String" Nullable="false" />
</EntityType>"#;
    let csdl = schema(any_other).replace(
        r#"<EntitySet Name="specials""#,
        r#"<EntitySet Name="anyOthers" EntityType="n.anyOther" /><EntitySet Name="specials""#,
    );
    let plan = plan_of("any.csdl", &csdl, &["/**"]).unwrap_or_else(|d| panic!("{d}"));
    let method = |template: &str, name: &str| {
        plan.builders
            .iter()
            .find(|b| b.template == template)
            .and_then(|b| b.methods.iter().find(|m| m.name == name))
            .map(|m| m.kind.clone())
            .unwrap_or_else(|| panic!("no {name} at {template}"))
    };
    match method("/things", "post") {
        MethodKind::Create { ty, read_only } => {
            assert_eq!(ty.as_str(), "crate::models::AnyThing");
            let refused: Vec<&str> = read_only.iter().map(|(_, json, _)| json.as_str()).collect();
            assert_eq!(refused, ["created"]);
        }
        other => panic!("{other:?}"),
    }
    let edit_of = |template: &str| match method(template, "patch") {
        MethodKind::Update { edit, .. } => edit,
        other => panic!("{other:?}"),
    };
    assert_eq!(edit_of("/things/{thingId}").as_deref(), Some("ThingEdit"));
    assert_eq!(edit_of("/others/{otherId}").as_deref(), Some("OtherEdit"));
    assert_eq!(
        edit_of("/anyOthers/{anyOtherId}").as_deref(),
        Some("AnyOtherEdit")
    );

    let clash = schema(
        r#"<EntityType Name="anyThing">
  <Key><PropertyRef Name="id" /></Key>
  <Property Name="id" Type="Edm.String" Nullable="false" />
</EntityType>"#,
    );
    let err = plan_of("clash.csdl", &clash, &["/**"])
        .expect_err("refused")
        .to_string();
    assert!(err.starts_with("clash.csdl:"), "{err}");
    assert!(
        err.contains(
            "\"ns.anyThing\" becomes the Rust name \"AnyThing\", which the generator gives"
        ),
        "{err}"
    );
}

/// An edit is named after its type (`ThingEdit`): a schema type of that
/// name beside an updatable `thing` is a located error, not two
/// `ThingEdit`s in one module.
#[test]
fn a_type_named_like_an_edit_is_a_located_error() {
    let csdl = support::in_schema(
        r#"<EntityType Name="thing">
  <Key><PropertyRef Name="id" /></Key>
  <Property Name="id" Type="Edm.String" Nullable="false" />
  <Property Name="note" Type="Edm.String" />
</EntityType>
<EntityType Name="thingEdit">
  <Key><PropertyRef Name="id" /></Key>
  <Property Name="id" Type="Edm.String" Nullable="false" />
</EntityType>
<EntityContainer Name="C">
  <EntitySet Name="things" EntityType="n.thing" />
  <EntitySet Name="thingEdits" EntityType="n.thingEdit" />
</EntityContainer>"#,
    );
    let err = plan_of("edit.csdl", &csdl, &["/**"])
        .expect_err("refused")
        .to_string();
    assert!(err.starts_with("edit.csdl:9:1: error:"), "{err}");
    assert!(
        err.contains("\"ns.thingEdit\" becomes the Rust name \"ThingEdit\", which the generator gives the edit of \"Thing\""),
        "{err}"
    );
}

/// An action's request body rows and request example values are its
/// parameters: a TODO row of `validate`'s body is watched as
/// `microsoft.graph.validate/displayName` (with the parameter's shape), not as
/// the `displayName` of the job it returns; its response example values
/// belong to the job.
#[test]
fn the_watch_list_files_an_actions_rows_under_the_action() {
    use migrations_codegen::docs::{Source, Todo};
    let mut docs = committed_docs();
    let at = Source::new("graph-docs/api/planted-validate.md", 7);
    let validate = docs
        .operations
        .iter_mut()
        .find(|o| {
            o.http_requests
                .iter()
                .any(|r| r.path == "/solutions/migrations/crossTenantMigrationJobs/validate")
        })
        .expect("the validate page's facts");
    let row = validate
        .request_body
        .iter_mut()
        .find(|p| p.name == "displayName")
        .expect("validate's displayName row");
    row.todo = true;
    row.at = at.clone();
    for text in [
        "placeholder value in the request example: $.sourceTenantId = \"String\"",
        "placeholder value in the response example: $.status = \"String\"",
    ] {
        validate.todos.push(Todo {
            text: text.to_string(),
            at: at.clone(),
        });
    }
    let plan = committed_plan(&docs);
    let watched = |element: &str| {
        plan.unsettled
            .iter()
            .find(|u| u.element == element)
            .unwrap_or_else(|| panic!("{element} is not watched"))
    };
    let display_name = watched("microsoft.graph.validate/displayName");
    assert_eq!(display_name.shape, "Edm.String, not nullable");
    assert!(
        display_name.reasons[0]
            .contains("request body row marked TODO at graph-docs/api/planted-validate.md:7")
    );
    watched("microsoft.graph.validate/sourceTenantId");
    let status = watched("microsoft.graph.crossTenantMigrationJob/status");
    assert!(
        status
            .reasons
            .iter()
            .any(|r| r.contains("planted-validate.md"))
    );
    // The job's own displayName is watched for the create page, not for this.
    assert!(
        plan.unsettled
            .iter()
            .filter(|u| u.element == "microsoft.graph.crossTenantMigrationJob/displayName")
            .all(|u| u.reasons.iter().all(|r| !r.contains("planted-validate.md")))
    );
}

/// A request whose own page is still a draft (TODO markers) says so in its
/// docs; a settled page that a draft only filled in does not, nor does a
/// page whose only "TODO" is a placeholder value in an example.
#[test]
fn a_request_documented_by_a_draft_says_so() {
    let plan = committed_plan(&committed_docs());
    let docs_of = |http: &str, template: &str| -> String {
        plan.builders
            .iter()
            .flat_map(|b| &b.methods)
            .find(|m| {
                m.endpoints
                    .iter()
                    .any(|e| e.http == http && e.template == template)
                    && !m.docs.is_empty()
            })
            .unwrap_or_else(|| panic!("{http} {template} is not planned"))
            .docs
            .lines()
            .join("\n")
    };
    let unsettled = "**Documentation unsettled**";
    let create_task = docs_of(
        "POST",
        "/solutions/migrations/crossTenantMigrationJobs/{crossTenantMigrationJobId}/users",
    );
    assert!(
        create_task.contains(&format!(
            "{unsettled}: its page still has 4 TODO markers (first at crosstenantmigrationtask-create.md:53)"
        )),
        "{create_task}"
    );
    let create_job = docs_of("POST", "/solutions/migrations/crossTenantMigrationJobs");
    assert!(!create_job.contains(unsettled), "{create_job}");
    let mappings = docs_of(
        "PATCH",
        "/solutions/sharePoint/migrations/crossOrganizationUserMappings",
    );
    assert!(!mappings.contains(unsettled), "{mappings}");
}

/// An alternate key's reads are documented under that key's URL only: the
/// accessor that reaches them names each documented request and its page.
#[test]
fn an_alternate_key_accessor_names_its_documented_requests() {
    let plan = committed_plan(&committed_docs());
    let accessor = plan
        .builders
        .iter()
        .flat_map(|b| &b.methods)
        .find(|m| m.name == "by_source_user_principal_name")
        .expect("the alternate-key accessor");
    let docs = accessor.docs.lines().join("\n");
    assert!(
        docs.contains(
            "`GET`: Retrieve a specific user identity mapping by the source user principal name"
        ),
        "{docs}"
    );
    assert!(
        docs.contains("graph/api/sharepointuseridentitymapping-get?view=graph-rest-beta"),
        "{docs}"
    );
}

/// A permission type the page marks "Not supported." (or "N/A") says so,
/// not "none listed": migrate takes no permission at all, only a role.
#[test]
fn unsupported_permission_types_say_so() {
    let plan = committed_plan(&committed_docs());
    let migrate = plan
        .builders
        .iter()
        .flat_map(|b| &b.methods)
        .find(|m| {
            m.endpoints.iter().any(|e| {
                e.http == "POST"
                    && e.template
                        == "/solutions/migrations/crossTenantMigrationJobs/{crossTenantMigrationJobId}/migrate"
            }) && !m.docs.is_empty()
        })
        .expect("migrate is planned");
    let docs = migrate.docs.lines().join("\n");
    assert!(docs.contains("- Application: not supported"), "{docs}");
    assert!(!docs.contains("none listed"), "{docs}");
}
