//! Every top-level generated model decoded from raw JSON bytes, with
//! decode → encode → decode stability. Seeds: `fuzz/seeds/models`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    graph_migrations_fuzz::models::decode_all(data);
});
