//! Typed client for the Microsoft Graph beta cross-tenant migration APIs.
//!
//! Start with a [`Client`]; every URL path is a chain of builders from it
//! ([`builders`]), and the HTTP verb at the end returns a typed request
//! ([`ItemRequest`], [`ListRequest`], [`SendRequest`], [`OptionalRequest`],
//! [`EmptyRequest`], [`CountRequest`]) to refine and `.await`. Responses are
//! the [`models`]; failures are an [`Error`].
//!
//! ```no_run
//! use futures::TryStreamExt as _;
//! use graph_migrations::{Client, models::CrossTenantMigrationJob};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder().bearer_token("…").build()?;
//! let jobs = client.solutions().migrations().cross_tenant_migration_jobs();
//! let failed: Vec<CrossTenantMigrationJob> =
//!     jobs.get().filter("status eq 'failed'").items().try_collect().await?;
//! # Ok(()) }
//! ```
//!
//! * **Paging**: [`ListRequest::items`] and [`ListRequest::pages`] are the
//!   streams [`Items`] and [`Pages`]; they follow `@odata.nextLink` on the
//!   client's origin only. A [`Page`] keeps its `next_link`, and
//!   [`Pager::resume`] continues from a saved one.
//! * **Waiting**: [`waiters`] polls migration jobs per phase (validation,
//!   migration) and SharePoint tasks, giving a [`Finished`] value or a
//!   [`WaitError`] that keeps the last value polled.
//! * **The runtime** ([`runtime`]): the untyped [`runtime::Request`], auth
//!   ([`runtime::TokenProvider`]), [`runtime::batch`], [`runtime::delta`] and
//!   the Edm types of [`runtime::edm`].

#![warn(missing_docs)]

#[rustfmt::skip]
mod generated;
pub mod runtime;
#[doc(hidden)]
pub mod support;
pub mod waiters;

pub use generated::{builders, models};

pub use runtime::{
    Client, ClientBuilder, Cloud, CountRequest, DecodeError, EmptyRequest, Error, Field, Finished,
    ItemRequest, Items, ListRequest, OptionalRequest, Outcome, Page, Pager, Pages, RejectedItem,
    Result, RetryPolicy, SendRequest, ServiceError, TransportError, WaitError, WaitResult, Waiter,
};

/// The README's code compiles: `cargo test --doc` checks it.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
