//! Snapshots of what a metadata change touches, so that a regeneration shows
//! up in review as snapshot diffs of the views reviewers read: the API
//! surface (every request and the Rust call that sends it), the model
//! listing (OData types) and the plan listing (every generated Rust type,
//! field, setter, builder and method signature). The generated files
//! themselves are compared byte for byte by `generated_fresh`.

use std::path::Path;

use migrations_codegen::{listing, pipeline};

fn outputs() -> pipeline::Outputs {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    pipeline::regen_outputs(root, None).unwrap_or_else(|d| panic!("regeneration failed:\n{d}"))
}

#[test]
fn api_surface() {
    insta::assert_snapshot!("api_surface", outputs().plan.api_surface());
}

#[test]
fn model_listing() {
    insta::assert_snapshot!("model_listing", listing::model_listing(&outputs().model));
}

#[test]
fn plan_listing() {
    let listing = listing::plan_listing(&outputs().plan);
    // Every generated model and builder is in it, so a change to any of
    // them fails review until accepted.
    let generated_types = outputs()
        .files
        .keys()
        .filter(|p| p.to_string_lossy().contains("sdk/src/generated/models/"))
        .count();
    assert!(generated_types > 40, "{generated_types} model files");
    insta::assert_snapshot!("plan_listing", listing);
}

/// The elements the documentation has not settled (TODO rows, placeholder
/// example values) with their current shape: a regeneration that changes
/// any of them fails here until the change is reviewed and accepted.
#[test]
fn unsettled_elements() {
    let out = outputs();
    let listing = listing::unsettled(&out.plan);
    for watched in [
        "microsoft.graph.crossTenantMigrationTask/taskType:",
        "microsoft.graph.crossTenantMigrationTask/lastUpdatedDateTime:",
        "microsoft.graph.crossTenantMigrationTask/currentStatus:",
        // The create-job page's TODO rows.
        "microsoft.graph.crossTenantMigrationJob/displayName:",
        "microsoft.graph.crossTenantMigrationJob/exchangeSettings:",
    ] {
        assert!(
            listing.lines().any(|l| l.starts_with(watched)),
            "{watched} is not watched:\n{listing}"
        );
    }
    insta::assert_snapshot!("unsettled_elements", listing);
}

/// The documented descriptions attached to the generated API, one line per
/// item (the documentation's text wins over the metadata's).
#[test]
fn descriptions() {
    let listing = listing::descriptions(&outputs().plan);
    assert!(
        listing.contains(
            "CrossTenantMigrationJob.display_name: Display name of the job. Must be unique per tenant"
        ),
        "{listing}"
    );
    insta::assert_snapshot!("descriptions", listing);
}
