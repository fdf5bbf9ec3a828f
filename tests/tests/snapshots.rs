//! Snapshots of what a metadata change touches, so that a regeneration shows
//! up in review as snapshot diffs: the API surface, a model listing and
//! every generated file.

use std::path::Path;

use migrations_codegen::{emit, pipeline};

fn outputs() -> pipeline::Outputs {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    pipeline::regen_outputs(root, None).unwrap_or_else(|d| panic!("regeneration failed:\n{d}"))
}

#[test]
fn api_surface() {
    let out = outputs();
    let surface = out
        .files
        .iter()
        .find(|(p, _)| p.ends_with(pipeline::API_SURFACE))
        .unwrap()
        .1;
    insta::assert_snapshot!("api_surface", surface);
}

#[test]
fn model_listing() {
    insta::assert_snapshot!("model_listing", emit::model_listing(&outputs().model));
}

#[test]
fn generated_files() {
    let out = outputs();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join(pipeline::GENERATED_DIR);
    let mut n = 0;
    for (path, contents) in &out.files {
        let Ok(rel) = path.strip_prefix(&root) else {
            continue;
        };
        let name = format!(
            "generated__{}",
            rel.display().to_string().replace(['/', '.'], "_")
        );
        insta::assert_snapshot!(name, contents);
        n += 1;
    }
    assert!(
        n > 20,
        "expected the generated models and builders, found {n} files"
    );
}
