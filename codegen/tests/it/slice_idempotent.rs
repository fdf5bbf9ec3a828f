//! Slicing is a fixpoint: the sliced output parses cleanly, resolves, and
//! slicing it again (same configuration, same patches) changes no byte.
//! (Whether the committed generated files are fresh is tested in tests/.)

use migrations_codegen::csdl::{ParseOptions, parse};
use migrations_codegen::model::resolve;
use migrations_codegen::pipeline;

use crate::support;

#[test]
fn sliced_output_parses_strictly_and_resolves() {
    let Some((file, text)) = support::shared_csdl("graph-beta.csdl") else {
        return;
    };
    let sliced = pipeline::slice_source(
        &file,
        &text,
        &support::committed_config(),
        &support::committed_patches(),
    )
    .unwrap_or_else(|d| panic!("{d}"));
    // Strict: an element the parser does not know would be an error.
    let parsed = parse(
        pipeline::SLICED_CSDL,
        &sliced.csdl,
        &ParseOptions { strict: true },
    )
    .unwrap_or_else(|d| panic!("the sliced CSDL does not parse:\n{d}"));
    assert!(
        parsed.warnings.is_empty(),
        "warnings: {:?}",
        parsed.warnings
    );
    let model = resolve(&parsed.document)
        .unwrap_or_else(|d| panic!("the sliced CSDL does not resolve:\n{d}"));
    assert_eq!(model.singletons.len(), 1);
    assert_eq!(model.operations.len(), 9);
}

#[test]
fn slicing_the_slice_again_gives_the_same_bytes() {
    let Some((file, text)) = support::shared_csdl("graph-beta.csdl") else {
        return;
    };
    let config = support::committed_config();
    let patches = support::committed_patches();
    let first =
        pipeline::slice_source(&file, &text, &config, &patches).unwrap_or_else(|d| panic!("{d}"));
    let second = pipeline::slice_source(pipeline::SLICED_CSDL, &first.csdl, &config, &patches)
        .unwrap_or_else(|d| panic!("slicing the slice failed:\n{d}"));
    assert_eq!(
        first.selection, second.selection,
        "the second slice selects something else"
    );
    if first.csdl != second.csdl {
        let line = first
            .csdl
            .lines()
            .zip(second.csdl.lines())
            .position(|(a, b)| a != b)
            .map(|i| i + 1);
        panic!(
            "slicing the slice changed it (first differing line: {line:?}; {} vs {} bytes)",
            first.csdl.len(),
            second.csdl.len()
        );
    }
    // A third time, for good measure: patches are not re-applied.
    let third = pipeline::slice_source(pipeline::SLICED_CSDL, &second.csdl, &config, &patches)
        .unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(second.csdl, third.csdl);
    // Each patch marks the element it changed once, and records itself (with
    // the digest of its text) on the entity container once.
    assert_eq!(
        third.csdl.matches("GraphMigrations.Sdk.V1.Patched").count(),
        4,
    );
    let model = pipeline::load_model(pipeline::SLICED_CSDL, &third.csdl).unwrap();
    let recorded = migrations_codegen::model::vocab::applied_patches(&model.container_annotations);
    let expected: Vec<(String, String)> = patches
        .iter()
        .map(|p| (p.file.clone(), p.digest.clone()))
        .collect();
    assert_eq!(recorded, expected);
}

#[test]
fn committed_slice_is_a_fixpoint_and_matches_the_reference_schema() {
    let root = support::workspace_root();
    let committed = std::fs::read_to_string(root.join(pipeline::SLICED_CSDL)).unwrap();
    let config = support::committed_config();
    let patches = support::committed_patches();
    // Without ../shared: the committed slice sliced again is itself (this
    // is what `cargo xtask regen` without --from relies on).
    let again = pipeline::slice_source(pipeline::SLICED_CSDL, &committed, &config, &patches)
        .unwrap_or_else(|d| panic!("{d}"));
    assert!(
        again.csdl == committed,
        "slicing metadata/graph-beta-migrations.csdl changes it"
    );
    // With ../shared: the committed slice is what graph-beta.csdl gives.
    let Some((file, text)) = support::shared_csdl("graph-beta.csdl") else {
        return;
    };
    let fresh =
        pipeline::slice_source(&file, &text, &config, &patches).unwrap_or_else(|d| panic!("{d}"));
    assert!(
        fresh.csdl == committed,
        "metadata/graph-beta-migrations.csdl is not what slicing ../shared/metadata/graph-beta.csdl gives: run `cargo xtask regen --from ../shared/metadata/graph-beta.csdl`"
    );
}

#[test]
fn other_slices_are_fixpoints_too() {
    let Some((file, text)) = support::shared_csdl("graph-beta.csdl") else {
        return;
    };
    let patches = support::committed_patches();
    for include in [
        &["/solutions/sharePoint/**"][..],
        &["/solutions/migrations/crossTenantMigrationJobs/*/users/**"],
        &["/solutions/sharePoint/migrations/crossOrganizationMigrationTasks/**"],
    ] {
        let config = support::config(include);
        let first = pipeline::slice_source(&file, &text, &config, &patches)
            .unwrap_or_else(|d| panic!("{include:?}: {d}"));
        let second = pipeline::slice_source("again.csdl", &first.csdl, &config, &patches)
            .unwrap_or_else(|d| panic!("{include:?} again: {d}"));
        assert!(first.csdl == second.csdl, "{include:?}: not a fixpoint");
        pipeline::load_model("again.csdl", &second.csdl)
            .unwrap_or_else(|d| panic!("{include:?}: does not resolve:\n{d}"));
    }
}
