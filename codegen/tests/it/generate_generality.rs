//! The generator is not tied to the committed slice: code generated for a
//! different include path, and for a schema full of Rust keywords, compiles
//! against the SDK's hand-written runtime.
//!
//! Each case is written as a crate of its own under target/generality/
//! (the runtime and support modules copied from sdk/src, a lib.rs like
//! sdk/src/lib.rs, the dependencies of sdk/Cargo.toml with the workspace's
//! versions and Cargo.lock) and checked with `cargo check`. Dependency
//! builds are shared across runs through CARGO_TARGET_DIR=target/generality.

use std::path::{Path, PathBuf};
use std::process::Command;

use migrations_codegen::pipeline;
use migrations_codegen::pipeline::{self as emit, Generated};
use toml::{Table, Value};

use crate::support;

/// `target/generality`: the temporary crates and their shared target dir.
fn generality_dir() -> PathBuf {
    support::workspace_root().join("target/generality")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn table(text: &str, what: &str) -> Table {
    text.parse::<Table>()
        .unwrap_or_else(|e| panic!("{what} is not valid TOML: {e}"))
}

/// sdk/Cargo.toml's `[dependencies]`, with every `workspace = true` entry
/// replaced by the root `[workspace.dependencies]` entry (its features
/// merged with the sdk's, `optional` kept).
fn resolved_dependencies() -> (Table, Table) {
    let root = support::workspace_root();
    let ws = table(&read(&root.join("Cargo.toml")), "Cargo.toml");
    let sdk = table(&read(&root.join("sdk/Cargo.toml")), "sdk/Cargo.toml");
    let ws_deps = ws["workspace"]["dependencies"]
        .as_table()
        .expect("[workspace.dependencies]");
    let mut out = Table::new();
    for (name, spec) in sdk["dependencies"].as_table().expect("sdk [dependencies]") {
        let inherits = spec
            .get("workspace")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if !inherits {
            out.insert(name.clone(), spec.clone());
            continue;
        }
        let mut resolved = match ws_deps.get(name) {
            Some(Value::String(v)) => {
                let mut t = Table::new();
                t.insert("version".into(), Value::String(v.clone()));
                t
            }
            Some(Value::Table(t)) => t.clone(),
            other => panic!("workspace dependency {name}: unexpected {other:?}"),
        };
        let spec = spec.as_table().unwrap();
        if let Some(Value::Array(extra)) = spec.get("features") {
            let features = resolved
                .entry("features")
                .or_insert_with(|| Value::Array(Vec::new()));
            let list = features.as_array_mut().unwrap();
            for f in extra {
                if !list.contains(f) {
                    list.push(f.clone());
                }
            }
        }
        if let Some(optional) = spec.get("optional") {
            resolved.insert("optional".into(), optional.clone());
        }
        out.insert(name.clone(), Value::Table(resolved));
    }
    // The sdk's features, without enabling the optional Azure credential
    // (its crates are large and the generated code does not touch it).
    let mut features = sdk
        .get("features")
        .and_then(Value::as_table)
        .cloned()
        .unwrap_or_default();
    features.insert("default".into(), Value::Array(Vec::new()));
    (out, features)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Writes a crate named `name` holding `generated` (as sdk/src/generated)
/// and returns its directory.
fn write_crate(name: &str, generated: &Generated) -> PathBuf {
    let root = support::workspace_root();
    let dir = generality_dir().join("crates").join(name);
    let src = dir.join("src");
    if src.exists() {
        std::fs::remove_dir_all(&src).unwrap();
    }
    std::fs::create_dir_all(&src).unwrap();

    let ws = table(&read(&root.join("Cargo.toml")), "Cargo.toml");
    let edition = ws["workspace"]["package"]["edition"].clone();
    let (dependencies, features) = resolved_dependencies();
    let mut package = Table::new();
    package.insert("name".into(), Value::String(name.into()));
    package.insert("version".into(), Value::String("0.0.0".into()));
    package.insert("edition".into(), edition);
    package.insert("publish".into(), Value::Boolean(false));
    let mut manifest = Table::new();
    manifest.insert("package".into(), Value::Table(package));
    manifest.insert("features".into(), Value::Table(features));
    manifest.insert("dependencies".into(), Value::Table(dependencies));
    // Outside the workspace (it lives under target/).
    manifest.insert("workspace".into(), Value::Table(Table::new()));
    std::fs::write(dir.join("Cargo.toml"), toml::to_string(&manifest).unwrap()).unwrap();
    // The workspace's lock file pins the same versions (unused entries are
    // dropped by cargo), so an offline build finds them in the cache.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();

    copy_dir(&root.join("sdk/src/runtime"), &src.join("runtime"));
    std::fs::copy(root.join("sdk/src/support.rs"), src.join("support.rs")).unwrap();
    std::fs::write(
        src.join("lib.rs"),
        "//! Generated by codegen/tests/it/generate_generality.rs.\n\n\
         #[rustfmt::skip]\nmod generated;\npub mod runtime;\npub mod support;\n\n\
         pub use generated::{builders, models};\n\n\
         pub use runtime::{Client, ClientBuilder, Error, Field, Result};\n",
    )
    .unwrap();
    for (rel, contents) in &generated.files {
        let path = src.join("generated").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
    }
    dir
}

fn registry_cache_populated() -> bool {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    home.map(|h| h.join("registry/cache"))
        .and_then(|c| std::fs::read_dir(c).ok())
        .is_some_and(|mut d| d.next().is_some())
}

/// `cargo check` on the crate; the compiler's output on failure.
fn cargo_check(dir: &Path) -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let run = |offline: bool| {
        let mut cmd = Command::new(&cargo);
        cmd.arg("check")
            .arg("--manifest-path")
            .arg(dir.join("Cargo.toml"))
            .arg("--message-format=short")
            .env("CARGO_TARGET_DIR", generality_dir().join("target"))
            // Nothing of the outer `cargo test` leaks into the inner build.
            .env_remove("CARGO_MANIFEST_DIR")
            .env_remove("CARGO_PRIMARY_PACKAGE")
            .env_remove("RUSTC_WORKSPACE_WRAPPER");
        if offline {
            cmd.arg("--offline");
        }
        let out = cmd.output().expect("run cargo");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.success(), stderr)
    };
    let offline = registry_cache_populated();
    let (ok, stderr) = run(offline);
    if ok {
        return Ok(stderr);
    }
    // A dependency missing from the cache is not a generator failure: try
    // the network once before giving up.
    let compile_error = stderr.contains("error[") || stderr.contains("could not compile");
    if offline && !compile_error {
        eprintln!("offline check failed, retrying online:\n{stderr}");
        let (ok, stderr) = run(false);
        return if ok { Ok(stderr) } else { Err(stderr) };
    }
    Err(stderr)
}

/// Warnings the compiler reports in the generated files.
fn generated_warnings(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains("src/generated/") && l.contains("warning"))
        .collect()
}

/// Writes `generated` as a crate and asserts that it compiles without
/// warnings in the generated files.
fn assert_compiles(name: &str, generated: &Generated, what: &str) {
    let dir = write_crate(name, generated);
    match cargo_check(&dir) {
        Ok(stderr) => {
            let warnings = generated_warnings(&stderr);
            assert!(
                warnings.is_empty(),
                "the code generated for {what} compiles with warnings:\n{}",
                warnings.join("\n")
            );
        }
        Err(stderr) => panic!(
            "the code generated for {what} does not compile ({}):\n{stderr}",
            dir.display()
        ),
    }
}

#[test]
fn share_point_slice_compiles_against_the_runtime() {
    let Some((file, text)) = support::shared_csdl("graph-beta.csdl") else {
        return;
    };
    let config = support::config(&["/solutions/sharePoint/**"]);
    let sliced = pipeline::slice_source(&file, &text, &config, &support::committed_patches())
        .unwrap_or_else(|d| panic!("{d}"));
    let model = pipeline::load_model("sharepoint.csdl", &sliced.csdl).unwrap();
    let generated = emit::generate(&model, &config).unwrap_or_else(|d| panic!("{d}"));

    // The surface is the SharePoint tree, from /solutions/sharePoint down.
    let surface = &support::without_calls(&generated.api_surface);
    for line in [
        "GET /solutions/sharePoint -> microsoft.graph.sharePointRoot",
        "GET /solutions/sharePoint/migrations -> microsoft.graph.sharePointMigrationsRoot",
        "GET /solutions/sharePoint/migrations/crossOrganizationMigrationTasks -> Collection(microsoft.graph.sharePointMigrationTask)",
        "POST /solutions/sharePoint/migrations/crossOrganizationMigrationTasks -> microsoft.graph.sharePointMigrationTask",
        "GET /solutions/sharePoint/migrations/crossOrganizationMigrationTasks/{sharePointMigrationTaskId} -> microsoft.graph.sharePointMigrationTask",
        "POST /solutions/sharePoint/migrations/crossOrganizationMigrationTasks/{sharePointMigrationTaskId}/cancel -> None",
        "GET /solutions/sharePoint/migrations/crossOrganizationMigrationTasks/getBySourceSiteUrl(sourceSiteUrl='{sourceSiteUrl}') -> microsoft.graph.sharePointMigrationTask",
        "PATCH /solutions/sharePoint/migrations/crossOrganizationUserMappings -> Collection(microsoft.graph.sharePointUserIdentityMapping)  [patched: metadata/patches/0002-user-mappings-delta-update.toml]",
    ] {
        assert!(
            surface.lines().any(|l| l == line),
            "missing from the API surface: {line}\n{surface}"
        );
    }
    assert!(
        surface
            .lines()
            .all(|l| l.contains(" /solutions/sharePoint")),
        "{surface}"
    );
    // Not the committed SDK: this slice has the /solutions/sharePoint node.
    let committed = read(&support::workspace_root().join(pipeline::API_SURFACE));
    assert_ne!(&committed, surface);

    assert_compiles(
        "generality-sharepoint",
        &generated,
        "/solutions/sharePoint/**",
    );
}

#[test]
fn keyword_names_compile() {
    let model = pipeline::load_model("keywords.csdl", support::KEYWORD_CSDL)
        .unwrap_or_else(|d| panic!("{d}"));
    let config = support::config(&["/things/**", "/self"]);
    let generated = emit::generate(&model, &config).unwrap_or_else(|d| panic!("{d}"));
    assert!(
        generated
            .api_surface
            .lines()
            .any(|l| l.starts_with("POST /things/{thingId}/type -> kw.thing")),
        "{}",
        generated.api_surface
    );
    assert_compiles("generality-keywords", &generated, "keyword names");
}

/// `text` without whitespace and trailing commas: prettyplease breaks long
/// types where it likes, and ends a broken list of generic arguments with `,`.
fn squeeze(text: &str) -> String {
    text.split_whitespace()
        .collect::<String>()
        .replace(",>", ">")
}

#[test]
fn types_holding_themselves_through_other_types_are_boxed_and_compile() {
    let model = pipeline::load_model("recursive.csdl", support::RECURSIVE_CSDL)
        .unwrap_or_else(|d| panic!("{d}"));
    let config = support::config(&["/directoryObjects/**", "/sites/**"]);
    let generated = emit::generate(&model, &config).unwrap_or_else(|d| panic!("{d}"));
    let file = |name: &str| {
        squeeze(&support::generated_text(
            &generated,
            &format!("models/{name}.rs"),
        ))
    };
    // Each cycle is broken by a `Box` in the field that closes it: the enum
    // `AnyDirectoryObject` holds `Blueprint`, `AnyExpression` holds
    // `NotExpression`, `Site` and `Person` hold each other.
    for (model, field) in [
        (
            "blueprint",
            "created_on_behalf_of: crate::runtime::Field<Box<crate::models::AnyDirectoryObject>>",
        ),
        (
            "not_expression",
            "operand: crate::runtime::Field<Box<crate::models::AnyExpression>>",
        ),
        (
            "site",
            "owner: crate::runtime::Field<Box<crate::models::Person>>",
        ),
        (
            "person",
            "home_site: crate::runtime::Field<Box<crate::models::Site>>",
        ),
    ] {
        let text = file(model);
        assert!(
            text.contains(&squeeze(field)),
            "models/{model}.rs lacks `{field}`:\n{text}"
        );
    }
    // A field that closes no cycle keeps its plain type.
    let blueprint = file("blueprint");
    assert!(
        blueprint.contains(&squeeze(
            "rule: crate::runtime::Field<crate::models::AnyExpression>"
        )),
        "{blueprint}"
    );
    assert_compiles("generality-recursive", &generated, "recursive types");
}

#[test]
fn url_values_of_every_supported_type_and_overloads_compile() {
    let model = pipeline::load_model("url-values.csdl", support::URL_VALUES_CSDL)
        .unwrap_or_else(|d| panic!("{d}"));
    let config = support::config(&["/items/**", "/specials/**", "/counters/**", "/tickets/**"]);
    let generated = emit::generate(&model, &config).unwrap_or_else(|d| panic!("{d}"));
    let surface = &support::without_calls(&generated.api_surface);
    for line in [
        // Quoted: strings, enum members, type definitions of strings; bare: the rest.
        "GET /items/find(top={top},tiny={tiny},small={small},short={short},big={big},flag={flag},\
         ref={ref},day={day},at={at},name='{name}',color='{color}',code='{code}',total={total}) \
         -> Collection(uv.item)",
        "GET /items(number={number}) -> uv.item",
        "GET /items(serial={serial},code='{code}') -> uv.item",
        // Three overloads, three paths.
        "GET /items/recent() -> Collection(uv.item)",
        "GET /items/recent(top={top}) -> Collection(uv.item)",
        "GET /items/recent(top={top},color='{color}') -> Collection(uv.item)",
        "GET /specials/{specialId}/describe() -> Edm.String",
    ] {
        assert!(
            surface.lines().any(|l| l == line),
            "missing from the API surface: {line}\n{surface}"
        );
    }
    // `describe` is redefined on uv.special: its items get that overload only.
    assert_eq!(
        surface
            .lines()
            .filter(|l| l.starts_with("GET /specials/{specialId}/describe"))
            .count(),
        1,
        "{surface}"
    );
    // Whitespace collapsed: prettyplease breaks long parameter lists.
    let builders = support::generated_text(&generated, "builders/");
    for method in [
        "pub fn recent(&self)",
        "pub fn recent_with_top(&self, top: i32)",
        "pub fn recent_with_top_and_color( &self, top: i32, color: impl AsRef<str>,",
        "pub fn by_number(&self, number: i32)",
        "pub fn by_serial_and_code( &self, serial: uuid::Uuid, code: impl AsRef<str>,",
        "day: crate::runtime::edm::Date, at: crate::runtime::edm::DateTimeOffset,",
        "crate::runtime::ODataLiteral::Int(i64::from(tiny))",
        "crate::runtime::ODataLiteral::Date(day)",
        // Keys as segments: typed, written bare.
        "pub fn by_id(&self, id: i32) -> crate::builders::CountersItemRequestBuilder",
        "self.path.key(\"counterId\", &id.to_string())",
        "pub fn by_id(&self, id: uuid::Uuid) -> crate::builders::TicketsItemRequestBuilder",
        "pub fn by_id( &self, id: impl AsRef<str>, ) -> crate::builders::ItemsItemRequestBuilder",
    ] {
        assert!(builders.contains(method), "no `{method}` in:\n{builders}");
    }
    assert_compiles(
        "generality-url-values",
        &generated,
        "URL values and overloads",
    );
}

/// Slicing, patching and generating `include` out of graph-beta.csdl.
fn generate_from_graph_beta(include: &[&str], exclude: &[&str]) -> Option<Generated> {
    let (file, text) = support::shared_csdl("graph-beta.csdl")?;
    let mut config = migrations_codegen::slice::SliceConfig::new(include, exclude).unwrap();
    config.file = "wide slice".into();
    let sliced = pipeline::slice_source(&file, &text, &config, &support::committed_patches())
        .unwrap_or_else(|d| panic!("{d}"));
    let model = pipeline::load_model("wide.csdl", &sliced.csdl).unwrap_or_else(|d| panic!("{d}"));
    Some(emit::generate(&model, &config).unwrap_or_else(|d| panic!("{d}")))
}

#[test]
fn a_wide_slice_of_graph_beta_compiles() {
    // Directory objects, chats, applications and every solution: types that
    // hold themselves through AnyX enums and navigation properties
    // (agentIdentityBlueprint.createdOnBehalfOf), enum members and
    // properties by the hundred, deprecations of other APIs.
    let include = [
        "/solutions/**",
        "/directory/**",
        "/chats/**",
        "/applications/**",
    ];
    let Some(generated) = generate_from_graph_beta(&include, &[]) else {
        return;
    };
    let operations = generated.api_surface.lines().count();
    assert!(operations > 400, "{operations} operations");
    assert_compiles(
        "generality-wide",
        &generated,
        "a wide slice of graph-beta.csdl",
    );
}

#[test]
fn every_smaller_root_of_graph_beta_generates_with_unique_names() {
    // Every singleton and entity set reaching fewer than 1,100 paths: 72
    // roots, about 4,000 paths and 550,000 generated lines (they compile;
    // checking that here would take minutes). Two functions take collections
    // in their URLs, which the generator refuses with a located error; they
    // are excluded as that error says.
    let Some((file, text)) = support::shared_csdl("graph-beta.csdl") else {
        return;
    };
    let model = pipeline::load_model(&file, &text).unwrap_or_else(|d| panic!("{d}"));
    let mut per_root: std::collections::BTreeMap<String, usize> = Default::default();
    migrations_codegen::model::paths::walk(
        &model,
        &mut |node| {
            let n = per_root.entry(node.segments[0].text.clone()).or_default();
            *n += 1;
            *n <= 1_100
        },
        &mut |_| {},
    );
    let roots: Vec<String> = per_root
        .iter()
        .filter(|(_, n)| **n < 1_100)
        .map(|(root, _)| format!("/{root}/**"))
        .collect();
    assert!(roots.len() > 60, "{roots:?}");
    let include: Vec<&str> = roots.iter().map(String::as_str).collect();
    let generated = generate_from_graph_beta(
        &include,
        &["/**/findByMethodMode", "/**/computeInheritance"],
    )
    .expect("graph-beta.csdl was read above");
    let builders = support::unique_type_names(&generated, "builders/");
    support::unique_type_names(&generated, "models/");
    assert!(builders.len() > 3_000, "{} builders", builders.len());
}
