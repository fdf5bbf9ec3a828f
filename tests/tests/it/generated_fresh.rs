//! The committed generated files must equal a fresh regeneration from the
//! committed metadata (rust-analyzer's codegen check, run as a test).

use std::path::Path;

use migrations_codegen::pipeline;

#[test]
fn committed_generated_files_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let outputs =
        pipeline::regen_outputs(root, None).unwrap_or_else(|d| panic!("regeneration failed:\n{d}"));
    let stale = pipeline::stale_files(&outputs);
    assert!(
        stale.is_empty(),
        "generated files are stale; run `cargo xtask regen` and commit:\n{}",
        stale
            .iter()
            .map(|p| format!("  {}", p.display()))
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The check itself must be able to fail: a changed file is reported.
    let mut tampered = pipeline::regen_outputs(root, None).unwrap();
    let (path, contents) = tampered.files.iter_mut().next().unwrap();
    contents.push_str("\n// tampered\n");
    let path = path.clone();
    assert_eq!(pipeline::stale_files(&tampered), vec![path]);
}
