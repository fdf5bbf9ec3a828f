//! Rust names for OData names: case collisions are located errors naming
//! both members, keywords are escaped into code that parses (it also
//! compiles: see generate_generality.rs), and names the generator uses
//! itself (fields, enum members, builder methods) make the schema's name take
//! a suffix; any other clash is a located error.

use migrations_codegen::csdl::Diagnostics;
use migrations_codegen::pipeline;
use migrations_codegen::pipeline::Generated;
use migrations_codegen::plan::names;

use crate::support;

/// A one-type schema whose entity type body is `members`, written from
/// line 6 on (line 5 is `<EntityType Name="thing">`).
fn schema(members: &str, extra: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="thing">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
{members}      </EntityType>
{extra}      <EntityContainer Name="C">
        <EntitySet Name="things" EntityType="n.thing" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#
    )
}

fn generate(csdl: &str) -> Result<Generated, Diagnostics> {
    let model = pipeline::load_model("names.csdl", csdl).unwrap_or_else(|d| panic!("{d}"));
    pipeline::generate(&model, &support::config(&["/things/**"]))
}

fn generate_err(csdl: &str) -> Diagnostics {
    match generate(csdl) {
        Ok(_) => panic!("generation succeeded"),
        Err(d) => d,
    }
}

#[test]
fn properties_differing_only_in_case_are_a_located_error() {
    let d = generate_err(&schema(
        "        <Property Name=\"displayName\" Type=\"Edm.String\" />\n        <Property Name=\"DisplayName\" Type=\"Edm.String\" />\n",
        "",
    ));
    assert_eq!(d.0.len(), 1, "{d}");
    assert_eq!(
        d.0[0].to_string(),
        "names.csdl:9:9: error: \"DisplayName\" in type n.thing becomes the Rust name \"display_name\", which \"displayName\" (at 8:9) already has"
    );
}

#[test]
fn a_property_and_a_navigation_property_colliding_are_reported() {
    let d = generate_err(&schema(
        "        <Property Name=\"parts\" Type=\"Edm.String\" />\n        <NavigationProperty Name=\"Parts\" Type=\"Collection(n.thing)\" ContainsTarget=\"true\" />\n",
        "",
    ));
    let msg = d.to_string();
    assert!(msg.contains("names.csdl:9:9:"), "{msg}");
    assert!(
        msg.contains("\"Parts\"") && msg.contains("\"parts\""),
        "{msg}"
    );
}

#[test]
fn enum_members_differing_only_in_case_are_reported() {
    let d = generate_err(&schema(
        "        <Property Name=\"state\" Type=\"n.state\" />\n",
        "      <EnumType Name=\"state\">\n        <Member Name=\"on\" Value=\"0\" />\n        <Member Name=\"On\" Value=\"1\" />\n      </EnumType>\n",
    ));
    assert_eq!(
        d.0[0].to_string(),
        "names.csdl:12:9: error: \"On\" in enum type n.state becomes the Rust name \"On\", which \"on\" (at 11:9) already has"
    );
}

#[test]
fn odata_names_yield_to_the_names_the_generator_reserves() {
    // Graph beta's security.alert has an `additionalData` property; our
    // structs keep unknown properties in `additional_data`, and enums keep
    // unknown members in `UnknownValue`.
    let generated = generate(&schema(
        "        <Property Name=\"additionalData\" Type=\"Edm.String\" />\n        <Property Name=\"odataType\" Type=\"Edm.String\" />\n        <Property Name=\"state\" Type=\"n.state\" />\n",
        "      <EnumType Name=\"state\">\n        <Member Name=\"unknownValue\" Value=\"0\" />\n      </EnumType>\n",
    ))
    .unwrap_or_else(|d| panic!("{d}"));
    let thing = support::generated_text(&generated, "models/thing.rs");
    for expected in [
        "pub additional_data_property: crate::runtime::Field<String>",
        "pub odata_type_property: crate::runtime::Field<String>",
        "pub additional_data: serde_json::Map<String, serde_json::Value>",
        "\"additionalData\" => additional_data_property: String,",
        "\"odataType\" => odata_type_property: String,",
        // Setters are a table for `support::setters!`.
        "\"additionalData\" => additional_data_property: String => with_additional_data_property / ",
        " with_additional_data_property_null,",
    ] {
        assert!(thing.contains(expected), "lacks `{expected}`:\n{thing}");
    }
    let state = support::generated_text(&generated, "models/state.rs");
    assert!(
        state.contains("UnknownValueMember => \"unknownValue\","),
        "{state}"
    );

    // Renaming does not hide a clash it creates.
    let d = generate_err(&schema(
        "        <Property Name=\"additionalData\" Type=\"Edm.String\" />\n        <Property Name=\"additionalDataProperty\" Type=\"Edm.String\" />\n",
        "",
    ));
    assert_eq!(
        d.0[0].to_string(),
        "names.csdl:9:9: error: \"additionalDataProperty\" in type n.thing becomes the Rust name \"additional_data_property\", which \"additionalData\" (at 8:9) already has"
    );
}

#[test]
fn builder_methods_the_generator_reserves_are_yielded_and_other_clashes_are_errors() {
    // A navigation property or an operation named like a builder method
    // (Graph's workbookFunctions has an action `count`, beside `$count`)
    // takes a suffix saying what it is.
    let generated = generate(&schema(
        "        <NavigationProperty Name=\"path\" Type=\"n.thing\" ContainsTarget=\"true\" />\n",
        "      <Action Name=\"count\" IsBound=\"true\">\n        <Parameter Name=\"bindingParameter\" Type=\"Collection(n.thing)\" />\n      </Action>\n",
    ))
    .unwrap_or_else(|d| panic!("{d}"));
    let builders = support::generated_text(&generated, "builders/");
    for expected in [
        "pub fn path_navigation(&self) -> crate::builders::",
        ".segment(\"path\")",
        "pub fn count_action(&self)",
        "pub fn count(&self) -> crate::runtime::CountRequest",
    ] {
        assert!(
            builders.contains(expected),
            "lacks `{expected}`:\n{builders}"
        );
    }
    assert!(
        support::without_calls(&generated.api_surface)
            .lines()
            .any(|l| l == "POST /things/count -> None"),
        "{}",
        generated.api_surface
    );

    // A clash the suffix creates is still an error.
    let d = generate_err(&schema(
        "        <NavigationProperty Name=\"path\" Type=\"n.thing\" ContainsTarget=\"true\" />\n        <NavigationProperty Name=\"pathNavigation\" Type=\"n.thing\" ContainsTarget=\"true\" />\n",
        "",
    ));
    assert_eq!(
        d.0[0].to_string(),
        "names.csdl:9:9: error: navigation property \"pathNavigation\" becomes the method \"path_navigation\" of the request builder for /things/{thingId}, but navigation property \"path\" has it"
    );
    // A navigation property and a bound action of the same name.
    let d = generate_err(&schema(
        "        <NavigationProperty Name=\"poke\" Type=\"n.thing\" ContainsTarget=\"true\" />\n",
        "      <Action Name=\"poke\" IsBound=\"true\">\n        <Parameter Name=\"bindingParameter\" Type=\"n.thing\" />\n      </Action>\n",
    ));
    assert_eq!(
        d.0[0].to_string(),
        "names.csdl:10:7: error: operation n.poke(n.thing) becomes the method \"poke\" of the request builder for /things/{thingId}, but navigation property \"poke\" has it"
    );
}

#[test]
fn url_values_without_a_url_form_are_located_errors() {
    // A function parameter of a type the generator cannot write into a URL.
    let d = generate_err(&schema(
        "",
        "      <Function Name=\"near\" IsBound=\"true\">\n        <Parameter Name=\"bindingParameter\" Type=\"Collection(n.thing)\" />\n        <Parameter Name=\"distance\" Type=\"Edm.Double\" />\n        <ReturnType Type=\"Collection(n.thing)\" />\n      </Function>\n\
         <Function Name=\"tagged\" IsBound=\"true\">\n        <Parameter Name=\"bindingParameter\" Type=\"n.thing\" />\n        <Parameter Name=\"tags\" Type=\"Collection(Edm.String)\" />\n        <ReturnType Type=\"Edm.Boolean\" />\n      </Function>\n",
    ));
    // Every path the generator cannot write is reported in one run, in
    // document order, each once.
    assert_eq!(d.0.len(), 2, "{d}");
    assert!(
        d.0[1].to_string().starts_with(
            "names.csdl:16:9: error: parameter tags of n.tagged(n.thing,Collection(Edm.String)) \
             (path /things/{thingId}/tagged(tags={tags})) has type Collection(Edm.String):"
        ),
        "{d}"
    );
    assert_eq!(
        d.0[0].to_string(),
        "names.csdl:11:9: error: parameter distance of n.near(Collection(n.thing),Edm.Double) \
         (path /things/near(distance={distance})) has type Edm.Double: \
         the generator writes only strings, enum members, integers, Booleans, GUIDs, dates and date-times \
         (or type definitions of these) into URLs; exclude the paths that need it in the slice \
         configuration to generate the rest"
    );
}

#[test]
fn keys_of_several_properties_are_located_errors() {
    // A composite key has no key-as-segment form.
    let csdl = schema("", "")
        .replace("<Key><PropertyRef Name=\"id\" /></Key>", "<Key><PropertyRef Name=\"id\" /><PropertyRef Name=\"part\" /></Key>")
        .replace(
            "<Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\" />",
            "<Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\" /><Property Name=\"part\" Type=\"Edm.Int32\" Nullable=\"false\" />",
        );
    let d = generate_err(&csdl);
    assert_eq!(
        d.0[0].to_string(),
        "names.csdl:5:7: error: n.thing has a key of 2 properties: the generator supports keys of one property"
    );
}

#[test]
fn function_overloads_get_one_method_each() {
    // Two overloads of one function bound to the collection: the one
    // without parameters keeps the name, the other is named by them.
    let function = |params: &str| {
        format!(
            "      <Function Name=\"recent\" IsBound=\"true\">\n        <Parameter Name=\"bindingParameter\" Type=\"Collection(n.thing)\" />\n{params}        <ReturnType Type=\"Collection(n.thing)\" />\n      </Function>\n"
        )
    };
    let extra =
        function("") + &function("        <Parameter Name=\"sinceDays\" Type=\"Edm.Int32\" />\n");
    let generated = generate(&schema("", &extra)).unwrap_or_else(|d| panic!("{d}"));
    let surface = &generated.api_surface;
    assert!(
        surface.contains("GET /things/recent() -> Collection(n.thing)")
            && surface.contains("GET /things/recent(sinceDays={sinceDays}) -> Collection(n.thing)"),
        "{surface}"
    );
    // Whitespace collapsed: prettyplease breaks long signatures.
    let things = generated.files["builders/things.rs"]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        things.contains("pub fn recent(&self) -> ThingsRecentRequestBuilder")
            && things.contains(
                "pub fn recent_with_since_days( &self, since_days: i32, ) -> ThingsRecentWithSinceDaysRequestBuilder"
            ),
        "{things}"
    );
}

#[test]
fn overload_names_are_stable_when_longer_overloads_are_added() {
    let name = |own: &[&str], all: &[&[&str]]| {
        let all: Vec<Vec<&str>> = all.iter().map(|o| o.to_vec()).collect();
        names::overload_name("getBy", own, &all)
    };
    // No overloads: the plain name.
    assert_eq!(name(&["a"], &[&["a"]]), "getBy");
    // The shortest overload keeps it; a longer one added later does not
    // rename it.
    assert_eq!(name(&["a"], &[&["a"], &["a", "b"]]), "getBy");
    assert_eq!(
        name(&["a", "b"], &[&["a"], &["a", "b"]]),
        "get_by_with_a_and_b"
    );
    // Two shortest overloads: both are named by their parameters.
    assert_eq!(name(&["a"], &[&["a"], &["b"]]), "get_by_with_a");
    assert_eq!(name(&["b"], &[&["a"], &["b"]]), "get_by_with_b");
    // Without parameters, always the plain name.
    assert_eq!(name(&[], &[&[], &["a"]]), "getBy");
}

#[test]
fn keyword_names_generate_code_that_parses() {
    let model = pipeline::load_model("keywords.csdl", support::KEYWORD_CSDL).unwrap();
    let generated = pipeline::generate(&model, &support::config(&["/things/**", "/self"]))
        .unwrap_or_else(|d| panic!("{d}"));
    // format_file already parsed every file with syn; parse again here so
    // the test does not depend on that.
    for (path, text) in &generated.files {
        syn::parse_file(text).unwrap_or_else(|e| panic!("{path} does not parse: {e}\n{text}"));
    }
    let thing = &generated.files["models/thing.rs"];
    for field in [
        "pub r#type:",
        "pub self_:",
        "pub crate_:",
        "pub super_:",
        "pub r#fn:",
        "pub r#match:",
        "pub r#async:",
        "pub r#gen:",
        "pub new:",
        "pub default:",
    ] {
        assert!(thing.contains(field), "no `{field}` in models/thing.rs");
    }
    // Wire names are unchanged.
    assert!(thing.contains("\"type\" => r#type"), "{thing}");
    assert!(thing.contains("\"self\" => self_"), "{thing}");
    // A type and an enum member named `self`.
    assert!(generated.files.contains_key("models/self_.rs"));
    assert!(generated.files["models/self_.rs"].contains("pub struct Self_ {"));
    assert!(generated.files["models/kind.rs"].contains("Self_ => \"self\""));
    assert!(generated.files["models/kind.rs"].contains("Type => \"type\""));
    // Operations and parameters.
    let things = &generated.files["builders/things.rs"];
    assert!(
        things.contains("pub fn r#type(&self) -> ThingsItemTypeRequestBuilder"),
        "{things}"
    );
    assert!(things.contains("pub fn r#match("));
    assert!(things.contains("self_: impl AsRef<str>"));
    assert!(things.contains("r#type: impl AsRef<str>"));
    assert!(things.contains("pub fn r#loop(&self)"));
    // The singleton `self`.
    assert!(
        generated.files["builders/mod.rs"]
            .contains("pub fn self_(&self) -> crate::builders::SelfRequestBuilder")
    );
    assert!(generated.files.contains_key("builders/self_.rs"));
}

#[test]
fn name_helpers() {
    assert_eq!(names::ident("type").to_string(), "r#type");
    assert_eq!(names::ident("self").to_string(), "self_");
    assert_eq!(names::ident("crate").to_string(), "crate_");
    assert_eq!(names::ident("displayName").to_string(), "displayName");
    assert_eq!(names::pascal("self"), "Self_");
    assert_eq!(names::pascal_word("self"), "Self");
    assert_eq!(names::pascal("3d"), "N3d");
    assert_eq!(names::module("Type"), "type_");
    assert_eq!(names::module("Self_"), "self_");
    assert_eq!(
        names::module("SharePointMigrations"),
        "share_point_migrations"
    );
    let n = names::type_names(
        ["microsoft.graph.alert", "microsoft.graph.security.alert"],
        "microsoft.graph",
    );
    assert_eq!(n["microsoft.graph.alert"], "Alert");
    assert_eq!(n["microsoft.graph.security.alert"], "SecurityAlert");
}

#[test]
fn types_differing_only_in_case_are_reported() {
    // Both would be written to models/n_thing.rs.
    let d = generate_err(&schema(
        "        <Property Name=\"other\" Type=\"n.Thing\" />\n",
        "      <ComplexType Name=\"Thing\">\n        <Property Name=\"x\" Type=\"Edm.String\" />\n      </ComplexType>\n",
    ));
    assert_eq!(
        d.to_string(),
        "names.csdl:5:7: error: \"n.thing\" in the schema's types becomes the Rust name \"n_thing\", which \"n.Thing\" (at 10:7) already has"
    );
}

#[test]
fn builder_type_names_are_unique_across_the_tree() {
    // Two paths whose last words read alike from different depths, and a
    // function `item` on a collection beside the collection's items (Graph
    // beta: `/policies/conditionalAccessPolicies` and
    // `/conditionalAccess/policies`, and `workbookChart`'s `charts/item(name=…)`).
    // Items are named after their collection.
    let csdl = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="policy">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityType Name="policyRoot">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <NavigationProperty Name="conditionalAccessPolicies" Type="Collection(n.policy)" ContainsTarget="true" />
      </EntityType>
      <EntityType Name="conditionalAccessRoot">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <NavigationProperty Name="policies" Type="Collection(n.policy)" ContainsTarget="true" />
      </EntityType>
      <Function Name="item" IsBound="true">
        <Parameter Name="bindingParameter" Type="Collection(n.policy)" />
        <Parameter Name="name" Type="Edm.String" />
        <ReturnType Type="n.policy" />
      </Function>
      <EntityContainer Name="C">
        <Singleton Name="policies" Type="n.policyRoot" />
        <Singleton Name="conditionalAccess" Type="n.conditionalAccessRoot" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;
    let model = pipeline::load_model("names.csdl", csdl).unwrap_or_else(|d| panic!("{d}"));
    let generated = pipeline::generate(
        &model,
        &support::config(&["/policies/**", "/conditionalAccess/**"]),
    )
    .unwrap_or_else(|d| panic!("{d}"));
    let structs = support::unique_type_names(&generated, "builders/");
    for expected in [
        "ConditionalAccessPoliciesRequestBuilder",
        "ConditionalAccessPoliciesItemRequestBuilder",
        "PoliciesConditionalAccessPoliciesRequestBuilder",
        "PoliciesConditionalAccessPoliciesItemRequestBuilder",
        "ConditionalAccessPoliciesItemFunctionRequestBuilder",
        "PoliciesConditionalAccessPoliciesItemFunctionRequestBuilder",
    ] {
        assert!(
            structs.iter().any(|s| s == expected),
            "no {expected} in {structs:?}\n{}",
            generated.api_surface
        );
    }
}

/// The names of the methods that reach operations, three ways: in the
/// generated builders, in the API listing (`via Builder::name(…)`) and in
/// what the diff's rename check compares. They must be one set.
fn operation_method_names(generated: &Generated) -> Vec<String> {
    let mut from_plan: Vec<String> = generated
        .plan
        .method_names_by_operation()
        .into_values()
        .flatten()
        .collect();
    from_plan.sort();
    from_plan.dedup();
    let mut from_listing: Vec<String> = generated
        .api_surface
        .lines()
        .filter_map(|l| {
            let call = l.split("  via ").nth(1)?.split("  [").next()?;
            // `Builder::op(…).post()`: a method reaching an operation
            // builder, then the request.
            if call.matches('(').count() < 2 || call.contains("by_") {
                return None;
            }
            let after = call.split("::").nth(1)?;
            Some(after.split('(').next()?.to_string())
        })
        .collect();
    from_listing.sort();
    from_listing.dedup();
    let code: String = generated
        .files
        .iter()
        .filter(|(p, _)| p.starts_with("builders/"))
        .map(|(_, t)| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    for name in &from_plan {
        assert!(
            code.contains(&format!("pub fn {name}(")),
            "the plan names {name}() but the generated code has no such method"
        );
    }
    assert_eq!(from_plan, from_listing, "{}", generated.api_surface);
    from_plan
}

#[test]
fn operation_method_names_agree_across_code_listing_and_diff() {
    let function = |binding: &str, params: &str| {
        format!(
            "      <Function Name=\"find\" IsBound=\"true\">\n        <Parameter Name=\"bindingParameter\" Type=\"Collection({binding})\" />\n{params}        <ReturnType Type=\"Collection(n.thing)\" />\n      </Function>\n"
        )
    };
    let name_param = "        <Parameter Name=\"name\" Type=\"Edm.String\" />\n";
    let action = |name: &str| {
        format!(
            "      <Action Name=\"{name}\" IsBound=\"true\">\n        <Parameter Name=\"bindingParameter\" Type=\"Collection(n.thing)\" />\n        <Parameter Name=\"all\" Type=\"Edm.Boolean\" />\n      </Action>\n"
        )
    };
    let derived = "      <EntityType Name=\"special\" BaseType=\"n.thing\" />\n";
    let with_specials = |extra: &str| {
        schema("", extra).replace(
            "<EntitySet Name=\"things\" EntityType=\"n.thing\" />",
            "<EntitySet Name=\"things\" EntityType=\"n.thing\" />\n        <EntitySet Name=\"specials\" EntityType=\"n.special\" />",
        )
    };
    let generate_all = |csdl: &str| {
        let model = pipeline::load_model("names.csdl", csdl).unwrap_or_else(|d| panic!("{d}"));
        pipeline::generate(&model, &support::config(&["/things/**", "/specials/**"]))
            .unwrap_or_else(|d| panic!("{d}"))
    };
    // The cases where the diff used to group overloads its own way (by
    // kind and binding type) while the emitter grouped them by short name
    // at a URL node, inherited ones included.
    let cases: [(&str, String, &[&str]); 3] = [
        (
            "an action and a function sharing a short name",
            schema("", &(function("n.thing", "") + &action("find"))),
            &["find", "find_with_all"],
        ),
        (
            "overloads split between a base type and a derived type",
            with_specials(
                &(derived.to_string()
                    + &function("n.thing", name_param)
                    + &function("n.special", "")),
            ),
            // /things sees find(name) alone; /specials sees both.
            &["find", "find_with_name"],
        ),
        (
            "a reserved-name clash",
            schema("", &action("count")),
            &["count_action"],
        ),
    ];
    for (case, csdl, expected) in cases {
        let generated = generate_all(&csdl);
        assert_eq!(operation_method_names(&generated), expected, "{case}");
    }
    // An overload added later: the rename the diff reports is the one the
    // code and the listing show.
    let old = schema("", &function("n.thing", name_param));
    let new = schema(
        "",
        &(function("n.thing", name_param) + &function("n.thing", "")),
    );
    assert_eq!(operation_method_names(&generate_all(&old)), ["find"]);
    assert_eq!(
        operation_method_names(&generate_all(&new)),
        ["find", "find_with_name"]
    );
    let load = |csdl: &str| pipeline::load_model("names.csdl", csdl).unwrap();
    let report = migrations_codegen::diff::diff(
        &load(&old),
        &load(&new),
        &support::config(&["/things/**"]),
        &Default::default(),
    );
    let renames: Vec<String> = report
        .changes
        .iter()
        .filter(|c| c.kind == migrations_codegen::diff::ChangeKind::MethodRenamed)
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        renames,
        [
            "breaking: generated method renamed n.find(Collection(n.thing),Edm.String) (find() → find_with_name(): the operation's overloads changed)"
        ]
    );
}

/// CSDL names may hold what a Rust identifier may not: format characters
/// (`\p{Cf}`, such as a zero-width joiner) anywhere, and a letter that is a
/// combining mark (`\u{345}`, alphabetic but no identifier start) first.
/// Their Rust names drop what Rust cannot spell (heck reads the joiner as a
/// word break), and generation goes on.
#[test]
fn names_rust_cannot_spell_become_plain_identifiers() {
    let csdl = support::in_schema(
        "<EntityType Name=\"thing\">\n  <Key><PropertyRef Name=\"id\" /></Key>\n  \
         <Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\" />\n  \
         <Property Name=\"a\u{200d}b\" Type=\"Edm.String\" />\n  \
         <Property Name=\"\u{345}x\" Type=\"Edm.String\" />\n</EntityType>\n\
         <EntityContainer Name=\"C\">\n  <EntitySet Name=\"things\" EntityType=\"n.thing\" />\n</EntityContainer>",
    );
    let model = pipeline::load_model("spell.csdl", &csdl).unwrap_or_else(|d| panic!("{d}"));
    let generated = pipeline::generate(&model, &support::config(&["/things/**"]))
        .unwrap_or_else(|d| panic!("{d}"));
    let thing = support::generated_text(&generated, "models/thing.rs");
    assert!(thing.contains("pub a_b: "), "{thing}");
    assert!(thing.contains("pub n_\u{345}x: "), "{thing}");
    // The JSON names stay as the schema writes them (escaped in the source).
    assert!(thing.contains(r#""a\u{200d}b" => a_b"#), "{thing}");
}

/// A type whose module is named like a crate the SDK uses (`url`) is
/// re-exported through `self::`, which is never ambiguous; a type that would
/// hide a prelude name the generated code uses (`string` → `String`) is a
/// located error instead of code that does not compile.
#[test]
fn type_names_that_meet_crates_or_the_prelude() {
    let schema = |name: &str| {
        support::in_schema(&format!(
            "<ComplexType Name=\"{name}\">\n  <Property Name=\"x\" Type=\"Edm.String\" />\n</ComplexType>\n\
             <EntityType Name=\"thing\">\n  <Key><PropertyRef Name=\"id\" /></Key>\n  \
             <Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\" />\n  \
             <Property Name=\"v\" Type=\"n.{name}\" />\n</EntityType>\n\
             <EntityContainer Name=\"C\">\n  <EntitySet Name=\"things\" EntityType=\"n.thing\" />\n</EntityContainer>"
        ))
    };
    let model = pipeline::load_model("url.csdl", &schema("url")).unwrap_or_else(|d| panic!("{d}"));
    let generated = pipeline::generate(&model, &support::config(&["/things/**"]))
        .unwrap_or_else(|d| panic!("{d}"));
    let mods = support::generated_text(&generated, "models/mod.rs");
    assert!(mods.contains("pub use self::url::*;"), "{mods}");
    for name in ["string", "option", "Result"] {
        let model =
            pipeline::load_model("prelude.csdl", &schema(name)).unwrap_or_else(|d| panic!("{d}"));
        let err = pipeline::generate(&model, &support::config(&["/things/**"]))
            .err()
            .unwrap_or_else(|| panic!("{name} generated"))
            .to_string();
        assert!(err.starts_with("prelude.csdl:4:"), "{name}: {err}");
        assert!(
            err.contains("which the generator reserves"),
            "{name}: {err}"
        );
    }
}

/// Root methods live on `Client` beside its own methods: an entity set
/// named like one (`batch`, `clone`) gets a suffix, and two container
/// members that snake-case alike are a located error, as are two function
/// parameters that do.
#[test]
fn root_methods_and_function_parameters_are_unique() {
    let schema = |container: &str, params: &str| {
        support::in_schema(&format!(
            "<EntityType Name=\"thing\">\n  <Key><PropertyRef Name=\"id\" /></Key>\n  \
             <Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\" />\n</EntityType>\n\
             <Function Name=\"span\" IsBound=\"true\">\n  \
             <Parameter Name=\"bindingParameter\" Type=\"Collection(n.thing)\" />{params}\n  \
             <ReturnType Type=\"Collection(n.thing)\" />\n</Function>\n\
             <EntityContainer Name=\"C\">{container}</EntityContainer>"
        ))
    };
    let sets = "<EntitySet Name=\"batch\" EntityType=\"n.thing\" /><EntitySet Name=\"clone\" EntityType=\"n.thing\" />";
    let model =
        pipeline::load_model("roots.csdl", &schema(sets, "")).unwrap_or_else(|d| panic!("{d}"));
    let generated =
        pipeline::generate(&model, &support::config(&["/**"])).unwrap_or_else(|d| panic!("{d}"));
    let roots = support::generated_text(&generated, "builders/mod.rs");
    assert!(roots.contains("pub fn batch_root(&self)"), "{roots}");
    assert!(roots.contains("pub fn clone_root(&self)"), "{roots}");

    let twins = "<EntitySet Name=\"things\" EntityType=\"n.thing\" /><Singleton Name=\"Things\" Type=\"n.thing\" />";
    let model =
        pipeline::load_model("roots.csdl", &schema(twins, "")).unwrap_or_else(|d| panic!("{d}"));
    let err = pipeline::generate(&model, &support::config(&["/**"]))
        .err()
        .expect("refused")
        .to_string();
    assert!(
        err.contains("in the entity container becomes the Rust name \"things\", which"),
        "{err}"
    );

    let params = "<Parameter Name=\"startDate\" Type=\"Edm.String\" /><Parameter Name=\"StartDate\" Type=\"Edm.String\" />";
    let set = "<EntitySet Name=\"things\" EntityType=\"n.thing\" />";
    let model =
        pipeline::load_model("params.csdl", &schema(set, params)).unwrap_or_else(|d| panic!("{d}"));
    let err = pipeline::generate(&model, &support::config(&["/**"]))
        .err()
        .expect("refused")
        .to_string();
    assert!(err.starts_with("params.csdl:"), "{err}");
    assert!(err.contains("\"StartDate\" in the parameters of"), "{err}");
}

/// The same alternate key annotated on a type and on its base is one
/// `by_…` method; a key aliased `id` would take `by_id` and is a located
/// error.
#[test]
fn alternate_key_methods_are_unique() {
    let key = |alias: &str| {
        format!(
            r#"<Annotation Term="Org.OData.Core.V1.AlternateKeys"><Collection><Record Type="Org.OData.Core.V1.AlternateKey"><PropertyValue Property="Key"><Collection><Record Type="Org.OData.Core.V1.PropertyRef"><PropertyValue Property="Alias" String="{alias}" /><PropertyValue Property="Name" PropertyPath="name" /></Record></Collection></PropertyValue></Record></Collection></Annotation>"#
        )
    };
    let schema = |base_alias: &str, derived_alias: &str| {
        support::in_schema(&format!(
            "<EntityType Name=\"base\">\n  <Key><PropertyRef Name=\"id\" /></Key>\n  \
             <Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\" />\n  \
             <Property Name=\"name\" Type=\"Edm.String\" Nullable=\"false\" />{}\n</EntityType>\n\
             <EntityType Name=\"thing\" BaseType=\"n.base\">{}</EntityType>\n\
             <EntityContainer Name=\"C\">\n  <EntitySet Name=\"things\" EntityType=\"n.thing\" />\n</EntityContainer>",
            key(base_alias),
            key(derived_alias)
        ))
    };
    let model = pipeline::load_model("keys.csdl", &schema("name", "name"))
        .unwrap_or_else(|d| panic!("{d}"));
    let generated = pipeline::generate(&model, &support::config(&["/things/**"]))
        .unwrap_or_else(|d| panic!("{d}"));
    let builders = support::generated_text(&generated, "builders/");
    assert_eq!(builders.matches("pub fn by_name(").count(), 1, "{builders}");

    let model =
        pipeline::load_model("keys.csdl", &schema("name", "id")).unwrap_or_else(|d| panic!("{d}"));
    let err = pipeline::generate(&model, &support::config(&["/things/**"]))
        .err()
        .expect("refused")
        .to_string();
    assert!(err.starts_with("keys.csdl:"), "{err}");
    assert!(err.contains("becomes the method \"by_id\""), "{err}");
}

/// Operation builders are named after their node and operation: a function
/// `itemZ` bound to a collection and `z` bound to its items would both be
/// `XsItemZRequestBuilder`. That is a located error, at the operation.
#[test]
fn operation_builders_that_meet_are_a_located_error() {
    let csdl = support::in_schema(
        "<EntityType Name=\"x\">\n  <Key><PropertyRef Name=\"id\" /></Key>\n  \
         <Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\" />\n</EntityType>\n\
         <Function Name=\"itemZ\" IsBound=\"true\">\n  <Parameter Name=\"bindingParameter\" Type=\"Collection(n.x)\" />\n  \
         <ReturnType Type=\"Edm.String\" />\n</Function>\n\
         <Function Name=\"z\" IsBound=\"true\">\n  <Parameter Name=\"bindingParameter\" Type=\"n.x\" />\n  \
         <ReturnType Type=\"Edm.String\" />\n</Function>\n\
         <EntityContainer Name=\"C\">\n  <EntitySet Name=\"xs\" EntityType=\"n.x\" />\n</EntityContainer>",
    );
    let model = pipeline::load_model("ops.csdl", &csdl).unwrap_or_else(|d| panic!("{d}"));
    let err = pipeline::generate(&model, &support::config(&["/xs/**"]))
        .err()
        .expect("refused")
        .to_string();
    assert!(err.starts_with("ops.csdl:"), "{err}");
    assert!(
        err.contains("would be named XsItemZRequestBuilder, as the one for"),
        "{err}"
    );
}
