//! xtask's integration tests, as one test binary (the layout every crate of
//! the workspace uses: `tests/it/main.rs` with one module per area).

mod cli;
