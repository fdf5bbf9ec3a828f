//! Intentionally empty: this package exists for its `tests/` directory.
