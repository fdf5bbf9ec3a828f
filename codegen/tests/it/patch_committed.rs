//! Each committed patch in metadata/patches does what its description says,
//! on the real schema, and agrees with the documentation page it cites.

use std::collections::BTreeSet;

use migrations_codegen::csdl::syntax::OperationKind;
use migrations_codegen::model::{Model, OperationDef, Primitive, TypeKind, resolve, vocab};
use migrations_codegen::patch::Patch;
use migrations_codegen::pipeline;

use crate::support;

const P0001: &str = "0001-validate-on-collection.toml";
const P0002: &str = "0002-user-mappings-delta-update.toml";
const P0003: &str = "0003-group-mappings-delta-update.toml";
const P0004: &str = "0004-validate-current-documentation.toml";
const JOB: &str = "microsoft.graph.crossTenantMigrationJob";
const SP_ROOT: &str = "microsoft.graph.sharePointMigrationsRoot";

/// graph-beta.csdl with the given patches applied, resolved.
fn patched(patches: &[Patch]) -> Option<Model> {
    let (file, text) = support::shared_csdl("graph-beta.csdl")?;
    let mut doc = pipeline::parse_document(&file, &text).unwrap();
    for p in patches {
        p.apply(&mut doc)
            .unwrap_or_else(|d| panic!("{} does not apply:\n{d}", p.file));
    }
    Some(resolve(&doc).unwrap_or_else(|d| panic!("the patched schema does not resolve:\n{d}")))
}

fn validates(model: &Model) -> Vec<&OperationDef> {
    model
        .operations
        .iter()
        .filter(|o| o.name == "microsoft.graph.validate")
        .collect()
}

#[test]
fn every_committed_patch_is_covered_here() {
    let dir = support::workspace_root().join("metadata/patches");
    let files: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    assert_eq!(
        files,
        BTreeSet::from([P0001, P0002, P0003, P0004].map(String::from)),
        "a new patch needs its test in codegen/tests/it/patch_committed.rs"
    );
    // Loading gives them in file-name order, with their file in the note.
    let patches = support::committed_patches();
    let notes: Vec<&str> = patches.iter().map(|p| p.file.as_str()).collect();
    assert_eq!(
        notes,
        [P0001, P0002, P0003, P0004].map(|f| format!("metadata/patches/{f}"))
    );
    for p in &patches {
        assert!(p.note().starts_with(&format!("{}: ", p.file)));
        assert!(
            p.note()
                .ends_with(&format!("(documentation: {})", p.documentation))
        );
        assert!(!p.description.trim().is_empty());
    }
}

/// A docs page (front matter first), or `CURRENT.md`, the record of what
/// the newest published pages say where a saved page is older.
#[test]
fn every_patch_cites_an_existing_documentation_page() {
    for p in support::committed_patches() {
        let Some((_, text)) = support::shared_file(&format!("api-docs/{}", p.documentation)) else {
            return;
        };
        assert!(
            text.starts_with("---")
                || (p.documentation == "CURRENT.md"
                    && text.starts_with("# What the current published documentation says")),
            "{} is not a docs page",
            p.documentation
        );
    }
}

/// The single-job validate, the current documentation's form, carries what
/// that documentation says (CURRENT.md): the docs stage has only the older,
/// collection-bound page, which goes to the overload of patch 0001.
#[test]
fn p0004_documents_the_current_validate() {
    let patches = [
        support::committed_patch(P0001),
        support::committed_patch(P0004),
    ];
    let Some(model) = patched(&patches) else {
        return;
    };
    let v = validates(&model);
    let single = v
        .iter()
        .find(|o| !o.binding.as_ref().unwrap().ty.collection)
        .unwrap();
    let long = vocab::long_description(&single.annotations).expect("a long description");
    for said in [
        "no request body",
        "`submitted` or `validateFailed`",
        "`validatePassed` or `validateFailed`",
    ] {
        assert!(long.contains(said), "{said}: {long}");
    }
    assert!(vocab::description(&single.annotations).is_some());
    assert_eq!(vocab::patched(&single.annotations), [patches[1].note()]);
    let collection = v
        .iter()
        .find(|o| o.binding.as_ref().unwrap().ty.collection)
        .unwrap();
    assert_eq!(vocab::long_description(&collection.annotations), None);
    // What CURRENT.md says, said by the patch.
    let Some((_, current)) = support::shared_file("api-docs/CURRENT.md") else {
        return;
    };
    for said in [
        "no request body",
        "`submitted` or `validateFailed`",
        "`validatePassed` or `validateFailed`",
    ] {
        assert!(current.contains(said), "CURRENT.md no longer says {said}");
    }
}

#[test]
fn p0001_adds_the_documented_collection_bound_validate() {
    let Some(before) = patched(&[]) else { return };
    let v = validates(&before);
    assert_eq!(v.len(), 1, "the metadata has one validate overload");
    assert!(!v[0].binding.as_ref().unwrap().ty.collection);

    let patch = support::committed_patch(P0001);
    let model = patched(std::slice::from_ref(&patch)).unwrap();
    let v = validates(&model);
    assert_eq!(
        v.len(),
        2,
        "the patch adds an overload, it replaces nothing"
    );

    // The metadata's own overload is untouched.
    let single = v
        .iter()
        .find(|o| !o.binding.as_ref().unwrap().ty.collection)
        .expect("the single-bound validate remains");
    assert_eq!(
        single.signature(),
        format!("microsoft.graph.validate({JOB})")
    );
    assert!(single.parameters.is_empty());
    assert!(vocab::patched(&single.annotations).is_empty());

    let added = v
        .iter()
        .find(|o| o.binding.as_ref().unwrap().ty.collection)
        .expect("a validate overload bound to the collection");
    assert_eq!(added.kind, OperationKind::Action);
    assert!(added.is_bound);
    assert_eq!(added.entity_set_path.as_deref(), Some("bindingParameter"));
    assert_eq!(
        added.signature(),
        format!("microsoft.graph.validate(Collection({JOB}))")
    );
    let binding = added.binding.as_ref().unwrap();
    assert_eq!(binding.ty.to_string(), format!("Collection({JOB})"));

    // The seven documented parameters, in the documented order.
    let params: Vec<(&str, String, bool)> = added
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.ty.to_string(), p.nullable))
        .collect();
    assert_eq!(
        params,
        [
            ("displayName", "Edm.String".to_string(), false),
            (
                "completeAfterDateTime",
                "Edm.DateTimeOffset".to_string(),
                false
            ),
            ("sourceTenantId", "Edm.String".to_string(), false),
            (
                "exchangeSettings",
                "microsoft.graph.exchangeOnlineCrossTenantMigrationSettings".to_string(),
                true
            ),
            ("workloads", "Collection(Edm.String)".to_string(), false),
            ("resourceType", "Edm.String".to_string(), false),
            ("resources", "Collection(Edm.String)".to_string(), false),
        ]
    );
    assert!(matches!(
        added.parameters[1].ty.kind,
        TypeKind::Primitive(Primitive::DateTimeOffset)
    ));
    let ret = added.return_type.as_ref().expect("returns the job");
    assert_eq!(ret.ty.to_string(), JOB);
    assert!(!ret.ty.collection);

    // Marked with the patch's note, so docs and the API surface show it.
    assert_eq!(vocab::patched(&added.annotations), [patch.note()]);

    // The parameters are those of the documentation's request body table.
    let Some((_, page)) = support::shared_file(&format!("api-docs/{}", patch.documentation)) else {
        return;
    };
    assert!(page.contains("POST /solutions/migrations/crossTenantMigrationJobs/validate"));
    assert!(page.contains("201 Created"));
    let body = &page[page.find("## Request body").unwrap()..page.find("## Response").unwrap()];
    let documented: Vec<&str> = body
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|Parameter") && !l.starts_with("|:"))
        .filter_map(|l| l.split('|').nth(1))
        .collect();
    let ours: Vec<&str> = added.parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(ours, documented);
}

#[test]
fn p0001_validate_reaches_the_api_surface() {
    let Some((file, text)) = support::shared_csdl("graph-beta.csdl") else {
        return;
    };
    let outputs = pipeline::regen_outputs(&support::workspace_root(), Some((&file, &text)))
        .unwrap_or_else(|d| panic!("{d}"));
    let surface = &support::without_calls(
        &outputs.files[&support::workspace_root().join(pipeline::API_SURFACE)],
    );
    assert!(
        surface.lines().any(|l| l
            == "POST /solutions/migrations/crossTenantMigrationJobs/validate -> microsoft.graph.crossTenantMigrationJob  [patched: metadata/patches/0001-validate-on-collection.toml]  [deprecated, removal 2026-07-09 passed]"),
        "{surface}"
    );
    assert!(surface.lines().any(|l| l
        == "POST /solutions/migrations/crossTenantMigrationJobs/{crossTenantMigrationJobId}/validate -> microsoft.graph.crossTenantMigrationJob  [patched: metadata/patches/0004-validate-current-documentation.toml]  [deprecated, removal 2026-07-09 passed]"));
}

fn delta_update_on(model: &Model, nav: &str) -> Option<vocab::DeltaUpdate> {
    let root = model.struct_def(SP_ROOT).unwrap();
    let n = root
        .navigation_properties
        .iter()
        .find(|n| n.name == nav)
        .unwrap_or_else(|| panic!("{SP_ROOT}/{nav} is missing"));
    vocab::delta_update(&n.annotations)
}

fn check_delta_patch(file: &str, nav: &str, other: &str) {
    let Some(before) = patched(&[]) else { return };
    assert_eq!(
        delta_update_on(&before, nav),
        None,
        "the metadata cannot say it"
    );
    let patch = support::committed_patch(file);
    let model = patched(std::slice::from_ref(&patch)).unwrap();
    let d = delta_update_on(&model, nav)
        .unwrap_or_else(|| panic!("{file} put no DeltaUpdate annotation on {nav}"));
    assert_eq!(d.max_items, 50);
    assert_eq!(d.docs.as_deref(), Some(patch.documentation.as_str()));
    // The patch touches only its own navigation property.
    assert_eq!(delta_update_on(&model, other), None);
    assert_eq!(
        delta_update_on(&model, "crossOrganizationMigrationTasks"),
        None
    );
    let n = model
        .struct_def(SP_ROOT)
        .unwrap()
        .navigation_properties
        .iter()
        .find(|n| n.name == nav)
        .unwrap();
    assert_eq!(vocab::patched(&n.annotations), [patch.note()]);
    // The documentation says 50.
    let Some((_, page)) = support::shared_file(&format!("api-docs/{}", patch.documentation)) else {
        return;
    };
    assert!(
        page.contains("Maximum of **50** items"),
        "{}",
        patch.documentation
    );
    assert!(page.contains(&format!("PATCH /solutions/sharePoint/migrations/{nav}")));
    assert!(page.contains("\"@context\": \"#$delta\""));
}

#[test]
fn p0002_marks_user_mappings_for_delta_update() {
    check_delta_patch(
        P0002,
        "crossOrganizationUserMappings",
        "crossOrganizationGroupMappings",
    );
}

#[test]
fn p0003_marks_group_mappings_for_delta_update() {
    check_delta_patch(
        P0003,
        "crossOrganizationGroupMappings",
        "crossOrganizationUserMappings",
    );
}

#[test]
fn all_patches_together_and_twice() {
    let Some((file, text)) = support::shared_csdl("graph-beta.csdl") else {
        return;
    };
    let patches = support::committed_patches();
    let mut doc = pipeline::parse_document(&file, &text).unwrap();
    for p in &patches {
        p.apply(&mut doc).unwrap();
    }
    let once = doc.clone();
    for p in &patches {
        p.apply(&mut doc).unwrap();
    }
    assert!(
        doc == once,
        "applying the committed patches twice changed the schema"
    );
    let model = resolve(&doc).unwrap();
    assert_eq!(validates(&model).len(), 2);
    assert!(delta_update_on(&model, "crossOrganizationUserMappings").is_some());
    assert!(delta_update_on(&model, "crossOrganizationGroupMappings").is_some());
}

/// A patch's label is recorded in what regeneration writes (its notes, the
/// `AppliedPatch` digests that say it was applied): it is the same wherever
/// the workspace is, a directory named `metadata` above it and Windows'
/// separators included.
#[test]
fn patch_labels_do_not_depend_on_where_the_workspace_is() {
    let committed = support::committed_patches();
    let elsewhere = std::env::temp_dir()
        .join(format!("label-test-{}", std::process::id()))
        .join("metadata/ws/metadata/patches");
    std::fs::create_dir_all(&elsewhere).unwrap();
    for p in &committed {
        let name = p.file.rsplit('/').next().unwrap();
        std::fs::copy(
            support::workspace_root().join(&p.file),
            elsewhere.join(name),
        )
        .unwrap();
    }
    let moved = pipeline::load_patches(&elsewhere).unwrap_or_else(|d| panic!("{d}"));
    let _ = std::fs::remove_dir_all(elsewhere.ancestors().nth(4).unwrap());
    let labels = |ps: &[Patch]| {
        ps.iter()
            .map(|p| (p.file.clone(), p.note()))
            .collect::<Vec<_>>()
    };
    assert_eq!(labels(&moved), labels(&committed));
    assert_eq!(
        pipeline::display(std::path::Path::new(r"C:\w\metadata/patches\0001-x.toml")),
        "metadata/patches/0001-x.toml"
    );
}

/// The files regeneration owns are listed without following a symbolic
/// link out of their directory: what the link points to is not "stale"
/// and is never removed.
#[cfg(unix)]
#[test]
fn owned_files_are_listed_without_following_links() {
    let dir = std::env::temp_dir().join(format!("walk-test-{}", std::process::id()));
    let (owned, outside) = (dir.join("owned"), dir.join("outside"));
    std::fs::create_dir_all(&owned).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(owned.join("a.rs"), "").unwrap();
    std::fs::write(outside.join("slice.toml"), "").unwrap();
    std::os::unix::fs::symlink(&outside, owned.join("link")).unwrap();
    let mut listed = pipeline::walk_files(&owned);
    listed.sort();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(listed, [owned.join("a.rs"), owned.join("link")]);
}
