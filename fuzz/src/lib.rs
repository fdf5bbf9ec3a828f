//! Fuzz entry points for the CSDL parser and the generated models. The same
//! files run on stable in bounded smoke tests (`codegen/tests/it/prop_fuzz_csdl.rs`,
//! `sdk/tests/it/prop_fuzz_models.rs`), which include them by path.

pub mod csdl;
pub mod models;
