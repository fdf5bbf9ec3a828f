//! Shared helpers for the codegen integration tests: the reference CSDL in
//! ../shared/metadata, the committed slice configuration and patches.

use std::path::{Path, PathBuf};

use migrations_codegen::patch::Patch;
use migrations_codegen::pipeline;
use migrations_codegen::pipeline::Generated;
use migrations_codegen::slice::SliceConfig;

/// The workspace root (`/work/main`).
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen lives in the workspace")
        .to_path_buf()
}

/// `../shared`, beside the repository.
pub(crate) const SHARED_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared");

/// A file under ../shared (`metadata/graph-beta.csdl`,
/// `api-docs/graph-docs/api/x.md`) as `(display name, text)`.
///
/// When the file is missing: under `CI=true` this panics (CI must have
/// ../shared beside the repo); otherwise it prints why the test is skipped
/// and returns `None`, and the caller returns.
pub(crate) fn shared_file(rel: &str) -> Option<(String, String)> {
    let path = format!("{SHARED_DIR}/{rel}");
    let dir = rel.split('/').next().unwrap_or(rel);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some((format!("../shared/{rel}"), text)),
        Err(e) => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!(
                    "../shared/{dir} is missing: CI needs ../shared beside the repo ({path}: {e})"
                );
            }
            eprintln!(
                "skipping: cannot read {path}: {e} (../shared/{dir} is missing: clone ../shared beside the repo to run this test)"
            );
            None
        }
    }
}

/// A reference CSDL file from ../shared/metadata as `(display name, text)`;
/// `None` (after saying why) when it is missing outside CI, see [`shared_file`].
pub(crate) fn shared_csdl(name: &str) -> Option<(String, String)> {
    shared_file(&format!("metadata/{name}"))
}

/// `metadata/slice.toml` as committed.
pub(crate) fn committed_config() -> SliceConfig {
    pipeline::load_config(&workspace_root().join("metadata/slice.toml"))
        .unwrap_or_else(|d| panic!("metadata/slice.toml does not load:\n{d}"))
}

/// `metadata/generate.toml` as committed.
pub(crate) fn committed_options() -> migrations_codegen::plan::Options {
    pipeline::load_options(&workspace_root())
        .unwrap_or_else(|d| panic!("metadata/generate.toml does not load:\n{d}"))
}

/// `metadata/patches/*.toml` as committed, in file-name order.
pub(crate) fn committed_patches() -> Vec<Patch> {
    pipeline::load_patches(&workspace_root().join("metadata/patches"))
        .unwrap_or_else(|d| panic!("metadata/patches does not load:\n{d}"))
}

/// One committed patch by file name (`0001-validate-on-collection.toml`).
pub(crate) fn committed_patch(name: &str) -> Patch {
    let path = workspace_root().join("metadata/patches").join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    Patch::from_toml(&pipeline::display(&path), &text)
        .unwrap_or_else(|d| panic!("{name} does not load:\n{d}"))
}

/// A slice configuration with the given include paths.
pub(crate) fn config(include: &[&str]) -> SliceConfig {
    SliceConfig::new(include, &[]).expect("valid include patterns")
}

/// A small schema: an enum, a complex type, an entity type with an
/// annotated property and a navigation property, two overloads of a bound
/// action, a container, and external annotations.
pub(crate) const SMALL_CSDL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="test.ns" Alias="t" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="color">
        <Member Name="red" Value="0" />
        <Member Name="blue" Value="1" />
      </EnumType>
      <ComplexType Name="box">
        <Property Name="color" Type="t.color" />
      </ComplexType>
      <EntityType Name="thing">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <Property Name="label" Type="Edm.String">
          <Annotation Term="Org.OData.Core.V1.Description" String="A label." />
        </Property>
        <NavigationProperty Name="parts" Type="Collection(t.thing)" ContainsTarget="true" />
      </EntityType>
      <Action Name="poke" IsBound="true">
        <Parameter Name="bindingParameter" Type="t.thing" />
      </Action>
      <Action Name="poke" IsBound="true">
        <Parameter Name="bindingParameter" Type="Collection(t.thing)" />
        <Parameter Name="force" Type="Edm.Boolean" />
      </Action>
      <EntityContainer Name="C">
        <EntitySet Name="things" EntityType="t.thing" />
      </EntityContainer>
      <Annotations Target="t.thing">
        <Annotation Term="Org.OData.Core.V1.Description" String="A thing." />
      </Annotations>
      <Annotations Target="test.ns.box/color">
        <Annotation Term="Org.OData.Core.V1.Description" String="Its color." />
      </Annotations>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

/// Names that are Rust keywords (`type`, `self`, `crate`, `fn`, `match`,
/// `async`, `gen`, `loop`) or that Rust code uses otherwise (`new`,
/// `default`, `none`, `Some`): as properties, enum members, a type, a
/// navigation property, action and function names and parameters, and a
/// singleton.
pub(crate) const KEYWORD_CSDL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="kw" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="kind">
        <Member Name="self" Value="0" />
        <Member Name="type" Value="1" />
        <Member Name="none" Value="2" />
        <Member Name="Some" Value="3" />
        <Member Name="unknownValue" Value="4" />
      </EnumType>
      <ComplexType Name="self">
        <Property Name="type" Type="Edm.String" />
      </ComplexType>
      <EntityType Name="thing">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <Property Name="type" Type="Edm.String" />
        <Property Name="self" Type="Edm.String" />
        <Property Name="crate" Type="Edm.String" />
        <Property Name="super" Type="Edm.String" />
        <Property Name="fn" Type="Edm.Int32" />
        <Property Name="match" Type="Edm.Boolean" />
        <Property Name="async" Type="Edm.String" />
        <Property Name="gen" Type="Edm.String" />
        <Property Name="new" Type="Edm.String" />
        <Property Name="default" Type="kw.self" />
        <Property Name="_" Type="Edm.String" />
        <Property Name="additionalData" Type="Edm.String" />
        <Property Name="odataType" Type="kw.kind" />
        <NavigationProperty Name="children" Type="Collection(kw.thing)" ContainsTarget="true" />
        <NavigationProperty Name="loop" Type="kw.thing" ContainsTarget="true" />
        <NavigationProperty Name="path" Type="kw.thing" ContainsTarget="true" />
      </EntityType>
      <Action Name="count" IsBound="true">
        <Parameter Name="bindingParameter" Type="Collection(kw.thing)" />
        <ReturnType Type="Edm.Int32" />
      </Action>
      <Action Name="type" IsBound="true">
        <Parameter Name="bindingParameter" Type="kw.thing" />
        <Parameter Name="self" Type="Edm.String" />
        <Parameter Name="type" Type="Edm.String" />
        <ReturnType Type="kw.thing" />
      </Action>
      <Function Name="match" IsBound="true">
        <Parameter Name="bindingParameter" Type="Collection(kw.thing)" />
        <Parameter Name="self" Type="Edm.String" />
        <Parameter Name="type" Type="Edm.String" />
        <ReturnType Type="Collection(kw.thing)" />
      </Function>
      <EntityContainer Name="C">
        <EntitySet Name="things" EntityType="kw.thing" />
        <Singleton Name="self" Type="kw.thing" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

/// Keys (string, Int32 and Guid), alternate keys and function parameters of
/// every type the generator writes into URLs, overloaded functions, and a
/// function redefined on a derived type.
pub(crate) const URL_VALUES_CSDL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="uv" Alias="u" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="color">
        <Member Name="red" />
        <Member Name="blue" />
      </EnumType>
      <TypeDefinition Name="code" UnderlyingType="Edm.String" />
      <TypeDefinition Name="total" UnderlyingType="Edm.Int64" />
      <EntityType Name="item">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <Property Name="number" Type="Edm.Int32" Nullable="false" />
        <Property Name="serial" Type="Edm.Guid" Nullable="false" />
        <Property Name="code" Type="u.code" Nullable="false" />
        <Property Name="weight" Type="Edm.Double" />
        <Annotation Term="Org.OData.Core.V1.AlternateKeys">
          <Collection>
            <Record Type="Org.OData.Core.V1.AlternateKey">
              <PropertyValue Property="Key">
                <Collection>
                  <Record Type="Org.OData.Core.V1.PropertyRef">
                    <PropertyValue Property="Alias" String="number" />
                    <PropertyValue Property="Name" PropertyPath="number" />
                  </Record>
                </Collection>
              </PropertyValue>
            </Record>
            <Record Type="Org.OData.Core.V1.AlternateKey">
              <PropertyValue Property="Key">
                <Collection>
                  <Record Type="Org.OData.Core.V1.PropertyRef">
                    <PropertyValue Property="Alias" String="serial" />
                    <PropertyValue Property="Name" PropertyPath="serial" />
                  </Record>
                  <Record Type="Org.OData.Core.V1.PropertyRef">
                    <PropertyValue Property="Alias" String="code" />
                    <PropertyValue Property="Name" PropertyPath="code" />
                  </Record>
                </Collection>
              </PropertyValue>
            </Record>
          </Collection>
        </Annotation>
      </EntityType>
      <EntityType Name="special" BaseType="u.item" />
      <EntityType Name="counter">
        <Key><PropertyRef Name="number" /></Key>
        <Property Name="number" Type="Edm.Int32" Nullable="false" />
      </EntityType>
      <EntityType Name="ticket">
        <Key><PropertyRef Name="ref" /></Key>
        <Property Name="ref" Type="Edm.Guid" Nullable="false" />
      </EntityType>
      <Function Name="find" IsBound="true">
        <Parameter Name="bindingParameter" Type="Collection(u.item)" />
        <Parameter Name="top" Type="Edm.Int32" />
        <Parameter Name="tiny" Type="Edm.Byte" />
        <Parameter Name="small" Type="Edm.SByte" />
        <Parameter Name="short" Type="Edm.Int16" />
        <Parameter Name="big" Type="Edm.Int64" />
        <Parameter Name="flag" Type="Edm.Boolean" />
        <Parameter Name="ref" Type="Edm.Guid" />
        <Parameter Name="day" Type="Edm.Date" />
        <Parameter Name="at" Type="Edm.DateTimeOffset" />
        <Parameter Name="name" Type="Edm.String" />
        <Parameter Name="color" Type="u.color" />
        <Parameter Name="code" Type="u.code" />
        <Parameter Name="total" Type="u.total" />
        <ReturnType Type="Collection(u.item)" />
      </Function>
      <Function Name="recent" IsBound="true">
        <Parameter Name="bindingParameter" Type="Collection(u.item)" />
        <ReturnType Type="Collection(u.item)" />
      </Function>
      <Function Name="recent" IsBound="true">
        <Parameter Name="bindingParameter" Type="Collection(u.item)" />
        <Parameter Name="top" Type="Edm.Int32" />
        <ReturnType Type="Collection(u.item)" />
      </Function>
      <Function Name="recent" IsBound="true">
        <Parameter Name="bindingParameter" Type="Collection(u.item)" />
        <Parameter Name="top" Type="Edm.Int32" />
        <Parameter Name="color" Type="u.color" />
        <ReturnType Type="Collection(u.item)" />
      </Function>
      <Function Name="describe" IsBound="true">
        <Parameter Name="bindingParameter" Type="u.item" />
        <ReturnType Type="Edm.String" />
      </Function>
      <Function Name="describe" IsBound="true">
        <Parameter Name="bindingParameter" Type="u.special" />
        <ReturnType Type="Edm.String" />
      </Function>
      <EntityContainer Name="C">
        <EntitySet Name="items" EntityType="u.item" />
        <EntitySet Name="specials" EntityType="u.special" />
        <EntitySet Name="counters" EntityType="u.counter" />
        <EntitySet Name="tickets" EntityType="u.ticket" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

/// Types that hold themselves by value only through another type: a derived
/// entity whose navigation property names its polymorphic base (so the base's
/// `AnyX` enum holds the derived struct), a derived complex type with a
/// property of its base type, and a two-type cycle through navigations. The
/// first is `agentIdentityBlueprint.createdOnBehalfOf` (a `directoryObject`)
/// in Graph beta.
pub(crate) const RECURSIVE_CSDL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="rec" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="directoryObject">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityType Name="blueprint" BaseType="rec.directoryObject">
        <Property Name="rule" Type="rec.expression" />
        <NavigationProperty Name="createdOnBehalfOf" Type="rec.directoryObject" />
      </EntityType>
      <ComplexType Name="expression">
        <Property Name="text" Type="Edm.String" />
      </ComplexType>
      <ComplexType Name="notExpression" BaseType="rec.expression">
        <Property Name="operand" Type="rec.expression" />
      </ComplexType>
      <EntityType Name="site">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <NavigationProperty Name="owner" Type="rec.person" />
      </EntityType>
      <EntityType Name="person">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <NavigationProperty Name="homeSite" Type="rec.site" />
      </EntityType>
      <EntityContainer Name="c">
        <EntitySet Name="directoryObjects" EntityType="rec.directoryObject" />
        <EntitySet Name="sites" EntityType="rec.site" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

/// Lines 1 to 3 of a one-schema document (namespace `ns`, alias `n`):
/// what [`in_schema`] puts before its body, which starts at 4:1.
pub(crate) const SCHEMA_HEAD: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
<edmx:DataServices>
<Schema Namespace="ns" Alias="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">
"#;

/// A one-schema document around `body`, which starts at line 4, column 1.
pub(crate) fn in_schema(body: &str) -> String {
    format!("{SCHEMA_HEAD}{body}\n</Schema>\n</edmx:DataServices>\n</edmx:Edmx>\n")
}

/// The generated files whose paths start with `prefix` (`builders/`,
/// `models/thing.rs`), one after another, with whitespace collapsed to
/// single spaces: what tests search, wherever prettyplease broke the lines.
pub(crate) fn generated_text(generated: &Generated, prefix: &str) -> String {
    let texts: Vec<&str> = generated
        .files
        .iter()
        .filter(|(path, _)| path.starts_with(prefix))
        .map(|(_, text)| text.as_str())
        .collect();
    assert!(!texts.is_empty(), "no generated file under {prefix}");
    texts
        .iter()
        .flat_map(|t| t.split_whitespace())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The names of the `pub struct`s and `pub enum`s of the generated files
/// under `prefix`, sorted, after asserting that none is defined twice.
pub(crate) fn unique_type_names(generated: &Generated, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = generated
        .files
        .iter()
        .filter(|(path, _)| path.starts_with(prefix))
        .flat_map(|(_, text)| text.lines())
        .filter_map(|l| {
            l.strip_prefix("pub struct ")
                .or_else(|| l.strip_prefix("pub enum "))
        })
        .filter_map(|l| l.split([' ', '<', '{']).next())
        .map(str::to_string)
        .collect();
    names.sort_unstable();
    for pair in names.windows(2) {
        assert_ne!(pair[0], pair[1], "{prefix}: a type name is defined twice");
    }
    names
}

/// The API surface without the Rust call of each line (`  via X::y()`), for
/// tests about the HTTP side.
pub(crate) fn without_calls(surface: &str) -> String {
    surface
        .lines()
        .map(|l| match l.find("  via ") {
            Some(at) => {
                let rest = &l[at + 6..];
                let end = rest.find("  [").map_or(rest.len(), |i| i);
                format!("{}{}", &l[..at], &rest[end..])
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
