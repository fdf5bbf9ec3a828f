//! Bounded fuzz smoke of the generated models on stable: the committed seeds
//! (fuzz/seeds/models: the documentation's JSON examples) and deterministic
//! mutations of them are decoded as every top-level model through the same
//! entry point as the cargo-fuzz target (fuzz/src/models.rs): no panic, no
//! hang, and whatever decodes survives encode → decode unchanged.
//!
//! Also: nesting beyond serde_json's recursion limit is an error, not a
//! stack overflow, for every model and for the SDK's own response decoding.
//!
//! `FUZZ_SMOKE_SEED=<n>` and `FUZZ_SMOKE_EXECS=<n>` change the run; the real
//! coverage-guided fuzzer is described in SECURITY.md.

#![allow(deprecated)]

// The fuzz crate's own modules, where `pub` is their API.
#[allow(unreachable_pub)]
#[path = "../../../fuzz/src/models.rs"]
mod harness;
#[allow(unreachable_pub)]
#[path = "../../../fuzz/src/mutate.rs"]
mod mutate;

use std::path::PathBuf;
use std::time::Duration;

use graph_migrations::models::{CrossTenantMigrationJob, SharePointMigrationTask};

const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"\"",
    b"null",
    b"true",
    b"false",
    b"-0",
    b"1e999",
    b"-1e-999",
    b"18446744073709551616",
    b"0.1",
    b"\"@odata.type\":",
    b"\"#microsoft.graph.sharePointUserMigrationTaskParameters\"",
    b"\"#microsoft.graph.sharePointSiteMigrationTaskParameters\"",
    b"\"#microsoft.graph.sharePointGroupMigrationTaskParameters\"",
    b"\"#microsoft.graph.userIdentity\"",
    b"\"#microsoft.graph.groupIdentity\"",
    b"\"microsoft.graph.future\"",
    b"\"parameters\":",
    b"\"status\":",
    b"\"error\":",
    b"\"currentStatus\":",
    b"\"users\":",
    b"\"sourceUserIdentity\":",
    b"\"createdDateTime\":",
    b"\"2024-01-01T00:00:00Z\"",
    b"\"2024-01-01T00:00:00.1234567+05:30\"",
    b"\"2024-01-01T00:00:00\"",
    b"\"+1\"",
    b"\"-12:00\"",
    b"\"9999-12-31T23:59:60Z\"",
    b"\"00000000-0000-0000-0000-000000000000\"",
    b"\"\\u0000\"",
    b"\"\\ud800\"",
    b"\"\\ud83d\\ude00\"",
    b"\xef\xbb\xbf",
    b"\xff",
];

#[test]
fn models_survive_mutated_documentation_examples() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/models");
    let seeds = mutate::read_seeds(&dir);
    assert!(seeds.len() >= 10, "too few seeds in {}", dir.display());
    let report = mutate::run(
        &seeds,
        TOKENS,
        0x0da7_a5ee_d000_0001,
        20_000,
        Duration::from_secs(40),
        Duration::from_secs(5),
        |data| harness::decode_all(data) > 0,
    );
    eprintln!(
        "model smoke: {report:?} ({} models per input)",
        harness::MODELS.len()
    );
    // Every documentation example decodes as at least one model.
    assert!(report.accepted >= seeds.len() as u64, "{report:?}");
}

fn nested(open: &str, close: &str, n: usize) -> String {
    format!("{}{}", open.repeat(n), close.repeat(n))
}

#[test]
fn deep_json_nesting_is_an_error_not_a_stack_overflow() {
    // serde_json refuses more than 128 levels; far deeper input must not
    // recurse further, wherever the nesting sits: an unknown property
    // (kept as serde_json::Value), a known structured property, the
    // polymorphic parameters (decoded through a Value), a collection.
    for n in [129, 1_000, 100_000] {
        let inputs = [
            format!("{{\"future\": {}}}", nested("[", "]", n)),
            format!("{{\"future\": {}}}", nested("{\"a\":", "}", n)),
            format!("{{\"parameters\": {{\"x\": {}}}}}", nested("[", "]", n)),
            format!(
                "{{\"error\": {}}}",
                nested("{\"innerError\": {\"details\": [", "]}}", n / 2)
            ),
            nested("[", "]", n),
        ];
        for input in &inputs {
            for (name, check) in harness::MODELS {
                // Rejected without panicking (the stack would overflow first).
                assert!(!check(input.as_bytes()), "{name} accepted depth {n}");
            }
            let err = serde_json::from_str::<SharePointMigrationTask>(input).unwrap_err();
            if input.starts_with('{') {
                assert!(
                    err.to_string().contains("recursion limit"),
                    "depth {n}: {err}"
                );
            }
        }
    }
    // Nesting below the limit is kept and written back.
    let ok = format!("{{\"future\": {}}}", nested("[", "]", 100));
    let job: CrossTenantMigrationJob = serde_json::from_str(&ok).unwrap();
    assert_eq!(
        serde_json::to_value(&job).unwrap(),
        serde_json::from_str::<serde_json::Value>(&ok).unwrap()
    );
}

#[test]
fn malformed_edm_values_are_kept_and_reported_without_panicking() {
    // Each once panicked or could. A malformed date-time is kept as received
    // (see `edm::DateTimeOffset`): reading it is an error, writing it back
    // sends it unchanged, and parsing it from text stays an error.
    for bad in [
        "+1",
        "-1",
        "+",
        "-",
        "+12:0",
        "Z",
        "",
        "2024",
        "2024-13-01T00:00:00Z",
        "9999-12-31T24:00:00Z",
        "2024-01-01T00:00:00+99:99",
        "😀😀",
        "+😀",
    ] {
        let input = format!("{{\"createdDateTime\": \"{bad}\"}}");
        let job: CrossTenantMigrationJob = serde_json::from_str(&input).unwrap();
        let kept = job.created_date_time.get().unwrap();
        assert!(kept.value().is_err(), "{bad:?} read as a date-time");
        assert_eq!(kept.invalid_text(), Some(bad));
        assert_eq!(
            serde_json::to_value(&job).unwrap(),
            serde_json::json!({ "createdDateTime": bad })
        );
        assert!(
            bad.parse::<graph_migrations::runtime::edm::DateTimeOffset>()
                .is_err()
        );
    }
}
