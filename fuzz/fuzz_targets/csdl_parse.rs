//! `parse` (lenient and strict) on the lossy UTF-8 decoding of raw bytes,
//! plus writer round trip of whatever parses. Seeds: `fuzz/seeds/csdl`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    graph_migrations_fuzz::csdl::parse_bytes(data);
});
