//! Bounded fuzz smoke of the CSDL parser on stable: the committed seeds
//! (fuzz/seeds/csdl, fuzz/seeds/csdl_fragment) and deterministic mutations
//! of them go through the same entry points as the cargo-fuzz targets
//! (fuzz/src/csdl.rs): no panic, no broken invariant, no hang.
//!
//! `FUZZ_SMOKE_SEED=<n>` and `FUZZ_SMOKE_EXECS=<n>` change the run; the real
//! coverage-guided fuzzers are described in SECURITY.md.

// The fuzz crate's own modules, where `pub` is their API.
#[allow(unreachable_pub)]
#[path = "../../../fuzz/src/csdl.rs"]
mod harness;
#[allow(unreachable_pub)]
#[path = "../../../fuzz/src/mutate.rs"]
mod mutate;

use std::path::PathBuf;
use std::time::Duration;

const TOKENS: &[&[u8]] = &[
    b"<",
    b"</",
    b"/>",
    b">",
    b"\"",
    b"'",
    b"=",
    b"&amp;",
    b"&lt;",
    b"&#x10FFFF;",
    b"&#0;",
    b"&undefined;",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"<?xml version=\"1.0\"?>",
    b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>",
    b"xmlns=\"http://docs.oasis-open.org/odata/ns/edm\"",
    b"xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\"",
    b"edmx:",
    b"<EntityType Name=\"t\">",
    b"</EntityType>",
    b"<Property Name=\"p\" Type=\"Edm.String\"/>",
    b"<Annotation Term=\"Org.OData.Core.V1.Description\" String=\"x\"/>",
    b"<Collection>",
    b"<Record>",
    b"Collection(",
    b"Edm.",
    b"Nullable=\"false\"",
    b"MaxLength=\"-1\"",
    b"Precision=\"99999999999999999999\"",
    b"Value=\"-9223372036854775809\"",
    b"BaseType=\"",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xf0\x9f\x98\x80",
    b"\r\n",
    b"\t",
];

fn seeds(dir: &str) -> Vec<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/seeds")
        .join(dir);
    let seeds = mutate::read_seeds(&path);
    assert!(!seeds.is_empty(), "no seeds in {}", path.display());
    seeds
}

#[test]
fn parse_survives_mutated_documents() {
    let seeds = seeds("csdl");
    let report = mutate::run(
        &seeds,
        TOKENS,
        0x5eed_c5d1,
        6_000,
        Duration::from_secs(40),
        Duration::from_secs(5),
        |data| harness::parse_bytes(data) == harness::Outcome::Parsed,
    );
    eprintln!("csdl parse smoke: {report:?}");
    assert!(report.executions >= seeds.len() as u64);
    // Every seed parses, and mutations do not all fail.
    assert!(report.accepted >= seeds.len() as u64, "{report:?}");
}

#[test]
fn parse_fragment_survives_mutated_fragments() {
    let seeds = seeds("csdl_fragment");
    // The fragment target reads a base position from the first byte.
    let seeds: Vec<Vec<u8>> = seeds
        .into_iter()
        .map(|s| {
            let mut v = vec![0x11];
            v.extend(s);
            v
        })
        .collect();
    let report = mutate::run(
        &seeds,
        TOKENS,
        0xf7a9_3e17,
        20_000,
        Duration::from_secs(30),
        Duration::from_secs(5),
        |data| harness::parse_fragment_bytes(data) == harness::Outcome::Parsed,
    );
    eprintln!("csdl fragment smoke: {report:?}");
    assert!(report.accepted >= seeds.len() as u64 / 2, "{report:?}");
}
