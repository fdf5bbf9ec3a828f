//! Typed client for the Microsoft Graph beta cross-tenant migration APIs.

#[rustfmt::skip]
mod generated;
pub mod runtime;
pub mod support;
pub mod waiters;

pub use generated::{builders, models};

pub use runtime::{Client, ClientBuilder, Error, Field, Result};

/// The README's code compiles: `cargo test --doc` checks it.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
