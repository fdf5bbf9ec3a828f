//! `parse_fragment` on raw bytes (the first byte picks the base position).
//! Seeds: `fuzz/seeds/csdl_fragment`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    graph_migrations_fuzz::csdl::parse_fragment_bytes(data);
});
