//! Typed client for the Microsoft Graph beta cross-tenant migration APIs.

pub mod runtime;

pub use runtime::{Client, ClientBuilder, Error, Field, Result};
