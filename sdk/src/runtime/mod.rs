//! The hand-written runtime the generated models and request builders call.
//! It never names generated code, and its modules import one another one way
//! only (`sdk/tests/it/runtime_modules.rs` checks), so it could move into a
//! crate of its own.
//!
//! * [`Client`] / [`ClientBuilder`]: base URL, national [`Cloud`]s, auth
//!   ([`TokenProvider`]), [`RetryPolicy`], timeouts, User-Agent.
//! * [`ItemRequest`], [`ListRequest`], [`SendRequest`], [`OptionalRequest`],
//!   [`EmptyRequest`], [`CountRequest`]: the typed requests builders return,
//!   with the query options of [`options`].
//! * [`Request`]: one untyped request, sent with retries.
//! * [`Pager`], [`Pages`], [`Items`], [`Page`]: origin-checked, resumable
//!   `@odata.nextLink` paging.
//! * [`Field`]: tri-state model properties; [`edm`]: Edm primitive types;
//!   [`Flags`]: the value of a flags enum.
//! * [`Error`]: the request error, with [`ServiceError`], [`DecodeError`] and
//!   [`TransportError`].
//! * [`Waiter`], [`WaitError`]: polling long-running operations.
//! * [`delta`], [`batch`]: delta updates and JSON batching.
//! * [`RequestPath`] / [`ODataLiteral`]: safe path building.

mod auth;
pub mod batch;
mod client;
mod cloud;
pub mod delta;
pub mod documented;
pub mod edm;
mod error;
mod field;
mod flags;
#[doc(hidden)]
pub mod lenient;
pub mod options;
mod origin;
mod paging;
mod path;
mod request;
mod response;
mod retry;
mod typed;
mod wait;

#[cfg(feature = "azure-identity")]
pub use auth::AzureCredential;
pub use auth::{
    AccessToken, BoxFuture, FnTokenProvider, Secret, StaticToken, TokenProvider, token_fn,
};
pub use batch::{Batch, BatchItemResponse, BatchResponse};
pub use client::{Client, ClientBuilder, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, USER_AGENT};
pub use cloud::Cloud;
pub use delta::{
    ChunkResult, DeltaChange, DeltaOptions, DeltaPayload, DeltaReport, RemovedReason, delta_update,
    delta_update_with,
};
pub use error::{DecodeError, Error, Result, ServiceError, TransportError};
pub use field::Field;
pub use flags::{Flags, WireEnum};
pub use paging::{Items, Page, Pager, Pages, RejectedItem};
pub use path::{
    ODataLiteral, RequestPath, decode_odata_string_literal, decode_path_segment,
    encode_odata_literal, encode_path_segment,
};
pub use request::Request;
#[doc(hidden)]
pub use response::decode_json;
pub use retry::RetryPolicy;
pub use typed::{
    CountRequest, EmptyRequest, ItemRequest, ListRequest, OptionalRequest, SendRequest,
};
pub use wait::{Finished, Outcome, WaitError, WaitResult, Waiter};
