//! Fuzz entry points for the generated models, shared by the cargo-fuzz
//! target (`fuzz/fuzz_targets/model_json.rs`) and the bounded stable smoke
//! test (`sdk/tests/it/prop_fuzz_models.rs`, which includes this file by path).
//!
//! Every input is decoded as each top-level model. A decode error is a normal
//! outcome; a panic, or a value that does not survive encode → decode
//! unchanged, is a bug.

#![allow(deprecated)]

use std::fmt::Debug;

use graph_migrations::models::{
    AnySharePointMigrationTaskParameters, CrossTenantMigrationJob, CrossTenantMigrationTask,
    SharePointGroupIdentityMapping, SharePointMigrationTask, SharePointUserIdentityMapping,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A top-level model: its name and its decode → encode → decode check.
pub type Check = fn(&[u8]) -> bool;

/// The top-level models (the bodies of the collections and the polymorphic
/// task parameters).
pub const MODELS: &[(&str, Check)] = &[
    ("CrossTenantMigrationJob", stable::<CrossTenantMigrationJob>),
    (
        "CrossTenantMigrationTask",
        stable::<CrossTenantMigrationTask>,
    ),
    ("SharePointMigrationTask", stable::<SharePointMigrationTask>),
    (
        "SharePointUserIdentityMapping",
        stable::<SharePointUserIdentityMapping>,
    ),
    (
        "SharePointGroupIdentityMapping",
        stable::<SharePointGroupIdentityMapping>,
    ),
    (
        "AnySharePointMigrationTaskParameters",
        stable::<AnySharePointMigrationTaskParameters>,
    ),
];

/// Decodes `data` as every model; returns how many accepted it.
pub fn decode_all(data: &[u8]) -> usize {
    MODELS.iter().filter(|(_, check)| check(data)).count()
}

/// Decodes `data` as `T` from bytes, and from a `serde_json::Value` (the
/// path the polymorphic wrappers take); each value that decodes must encode,
/// decode again to an equal value, and encode to the same JSON.
pub fn stable<T>(data: &[u8]) -> bool
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let mut accepted = false;
    if let Ok(first) = serde_json::from_slice::<T>(data) {
        check_round_trip(&first);
        accepted = true;
    }
    if let Ok(value) = serde_json::from_slice::<Value>(data)
        && let Ok(first) = serde_json::from_value::<T>(value)
    {
        check_round_trip(&first);
        accepted = true;
    }
    accepted
}

fn check_round_trip<T>(first: &T)
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let encoded = serde_json::to_vec(first)
        .unwrap_or_else(|e| panic!("a decoded value does not encode: {e}\n{first:?}"));
    let second: T = serde_json::from_slice(&encoded).unwrap_or_else(|e| {
        panic!(
            "the encoding of a decoded value does not decode: {e}\n{}",
            String::from_utf8_lossy(&encoded)
        )
    });
    assert_eq!(
        first,
        &second,
        "decode → encode → decode changed the value; encoded: {}",
        String::from_utf8_lossy(&encoded)
    );
    let reencoded = serde_json::to_vec(&second).expect("encodes");
    let a: Value = serde_json::from_slice(&encoded).expect("valid JSON");
    let b: Value = serde_json::from_slice(&reencoded).expect("valid JSON");
    assert_eq!(a, b, "encoding is not stable");
}
