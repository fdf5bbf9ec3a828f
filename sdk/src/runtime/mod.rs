//! The hand-written runtime that the generated models and request builders call.
//!
//! * [`Client`] / [`ClientBuilder`]: base URL, national [`Cloud`]s, auth
//!   ([`TokenProvider`]), [`RetryPolicy`], timeouts, User-Agent.
//! * [`RequestPath`] / [`ODataLiteral`]: safe path building.
//! * [`Request`]: `send`, `send_optional`, `send_empty`, `send_count`, `pager`.
//! * [`Pager`] / [`Page`]: origin-checked `@odata.nextLink` paging.
//! * [`Field`]: tri-state model properties; [`edm`]: Edm primitive types.
//! * [`Error`]: the one error type with helpers for documented Graph conditions.
//! * [`delta`], [`wait`], [`batch`]: delta updates, waiters and JSON batching.

pub mod auth;
pub mod batch;
pub mod client;
pub mod delta;
pub mod documented;
pub mod edm;
pub mod error;
pub mod field;
pub mod paging;
pub mod path;
pub mod request;
pub mod wait;

#[cfg(feature = "azure-identity")]
pub use auth::AzureCredential;
pub use auth::{
    AccessToken, BoxFuture, FnTokenProvider, Secret, StaticToken, TokenProvider, token_fn,
};
pub use batch::{Batch, BatchItemResponse, BatchResponse};
pub use client::{Client, ClientBuilder, Cloud, RetryPolicy, USER_AGENT};
pub use delta::{
    ChunkResult, DeltaChange, DeltaOptions, DeltaPayload, DeltaReport, RemovedReason, delta_update,
    delta_update_with,
};
pub use error::{DecodeError, Error, Result, ServiceError};
pub use field::Field;
pub use paging::{Page, Pager};
pub use path::{
    ODataLiteral, RequestPath, decode_odata_string_literal, decode_path_segment,
    encode_odata_literal, encode_path_segment,
};
pub use request::Request;
pub use wait::{Finished, Outcome, Waiter};
