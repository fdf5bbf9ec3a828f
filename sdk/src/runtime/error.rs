//! [`Error`], the error of a request, and the details it carries: [`ServiceError`],
//! [`DecodeError`], [`TransportError`]. Waits have their own error (`WaitError`).

use std::fmt;
use std::time::Duration;

use http::{Method, StatusCode};

use super::origin::RefusedLink;
use super::response::{RawResponse, header_str, parse_retry_after};

/// `Result` with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong. Never contains a bearer token.
///
/// Variants with named fields are `#[non_exhaustive]`: match them with `..`,
/// so that a field added later (as `client_request_id` was) breaks nothing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Microsoft Graph answered with a non-success status.
    #[error("{0}")]
    Service(Box<ServiceError>),

    /// The request could not be sent or its response could not be read.
    #[error(
        "transport error on {method} {path_template} after {attempts} attempt(s) (client-request-id {client_request_id}){}: {source}",
        answered(*.status, .request_id.as_deref())
    )]
    #[non_exhaustive]
    Transport {
        /// The request's method.
        method: Method,
        /// The path template (never the full URL).
        path_template: String,
        /// How many times the request was sent, retries included.
        attempts: u32,
        /// The `client-request-id` sent with every attempt: with no response
        /// there is no `request-id`, and this is what Microsoft support can
        /// look up when the request reached the service.
        client_request_id: String,
        /// What failed: the connection, the TLS handshake, a timeout.
        #[source]
        source: TransportError,
        /// The status of a response whose body was cut off: the service
        /// answered, and may have applied the request (a `POST` is not sent
        /// again, whatever the status).
        status: Option<StatusCode>,
        /// The `request-id` of that response.
        request_id: Option<String>,
    },

    /// A success response whose body did not match the expected type.
    #[error("{0}")]
    Decode(Box<DecodeError>),

    /// A paging `@odata.nextLink` pointing outside the client's base URL
    /// origin; nothing was sent to it.
    #[error(
        "refusing to follow @odata.nextLink to {link_origin}: expected origin {expected_origin}{}",
        named_by(.request_id.as_deref())
    )]
    #[non_exhaustive]
    InvalidNextLink {
        /// The origin (scheme, host, port) of the refused link.
        link_origin: String,
        /// The origin of the client's base URL.
        expected_origin: String,
        /// The `request-id` of the page that named the link (none for a
        /// link given to [`super::Pager::resume`]).
        request_id: Option<String>,
        /// The `client-request-id` of that page's request.
        client_request_id: Option<String>,
    },

    /// A collection's `@odata.nextLink` named a page already read: following
    /// it would read the same pages forever. What was read before is
    /// complete only up to there.
    #[error(
        "paging {path_template} stopped after {pages} page(s): @odata.nextLink names a page already read{}",
        named_by(.request_id.as_deref())
    )]
    #[non_exhaustive]
    RepeatedNextLink {
        /// The path template of the listing (never the full URL).
        path_template: String,
        /// How many pages were read.
        pages: usize,
        /// The `request-id` of the page that named the link.
        request_id: Option<String>,
        /// The `client-request-id` of that page's request.
        client_request_id: Option<String>,
    },

    /// The client was configured inconsistently.
    #[error("configuration error: {0}")]
    Config(String),

    /// The request could not be built (bad header, key, body...); nothing was sent.
    #[error("invalid request: {0}")]
    InvalidRequest(String),

    /// The token provider failed.
    #[error("authentication failed: {message}{}", refused_by(.refused.as_deref()))]
    #[non_exhaustive]
    Auth {
        /// What the token provider reported.
        message: String,
        /// The provider's own error, when it gave one.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
        /// The service's `401` that made the client ask the provider again
        /// (its token revoked, say), when the provider then failed: its
        /// status, Graph code and message, and request ids
        /// ([`Error::status`], [`Error::request_id`]).
        refused: Option<Box<ServiceError>>,
    },

    /// The response body was larger than the client accepts
    /// ([`super::ClientBuilder::max_response_bytes`]); the rest was not read.
    #[error("response to {method} {path_template} ({status}) is larger than {limit} bytes")]
    #[non_exhaustive]
    ResponseTooLarge {
        /// The request's method.
        method: Method,
        /// The path template (never the full URL).
        path_template: String,
        /// The response's status.
        status: StatusCode,
        /// The configured limit, in bytes.
        limit: usize,
        /// The response's `request-id` header: the response was received,
        /// so support can find it.
        request_id: Option<String>,
        /// The `client-request-id` the service echoed, else the one sent.
        client_request_id: String,
    },
}

/// Why a request could not be sent or its response not read: a connection
/// refused or reset, a timeout, a TLS failure. The HTTP library's error stays
/// inside: its message and its causes ([`std::error::Error::source`]) are
/// kept, its type is not part of this crate's API.
#[derive(Debug)]
pub struct TransportError {
    timeout: bool,
    connect: bool,
    inner: Box<dyn std::error::Error + Send + Sync>,
}

impl TransportError {
    pub(crate) fn new(error: reqwest::Error) -> Self {
        Self {
            timeout: error.is_timeout(),
            connect: error.is_connect(),
            inner: Box::new(error.without_url()),
        }
    }

    /// The attempt timed out ([`super::ClientBuilder::timeout`], or the connect timeout).
    pub fn is_timeout(&self) -> bool {
        self.timeout
    }

    /// No connection could be made (refused, unreachable, DNS, TLS handshake):
    /// the service cannot have received the request.
    pub fn is_connect(&self) -> bool {
        self.connect
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.inner, f)
    }
}

impl std::error::Error for TransportError {
    /// The causes of the HTTP library's error (an I/O error, a hyper error...):
    /// the chain reads as it would on that error itself.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source()
    }
}

/// The details of a success response whose body did not match the expected type.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error(
    "cannot decode response of {method} {path_template} ({status}) at `{json_path}`: {message}"
)]
#[non_exhaustive]
pub struct DecodeError {
    /// The request's method.
    pub method: Method,
    /// The path template (never the full URL).
    pub path_template: String,
    /// The response's status.
    pub status: StatusCode,
    /// JSON path of the value that failed (`value[3].status`, `.` for the root).
    pub json_path: String,
    /// What serde_json reported.
    pub message: String,
    /// The `request-id` response header, if any.
    pub request_id: Option<String>,
    /// The `client-request-id` echoed by the service, else the one sent.
    pub client_request_id: Option<String>,
}

/// The details of a Graph error response.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct ServiceError {
    /// The request's method.
    pub method: Method,
    /// The path template (never the full URL).
    pub path_template: String,
    /// The response's status.
    pub status: StatusCode,
    /// `error.code`.
    pub code: Option<String>,
    /// `error.message`.
    pub message: Option<String>,
    /// `error.innerError.code` when present.
    pub inner_code: Option<String>,
    /// `innerError.request-id`, else the `request-id` header.
    pub request_id: Option<String>,
    /// `innerError.client-request-id`, else the `client-request-id` header.
    pub client_request_id: Option<String>,
    /// `innerError.date`, else the `Date` header.
    pub date: Option<String>,
    /// Parsed `Retry-After` (seconds or HTTP date).
    pub retry_after: Option<Duration>,
    /// The whole `error` object when the body was a Graph error.
    pub error_json: Option<serde_json::Value>,
    /// The body as text when it was not a JSON Graph error (gateways answer in HTML).
    pub raw_body: Option<String>,
    /// The response content type.
    pub content_type: Option<String>,
    /// How many attempts were made.
    pub attempts: u32,
}

impl fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("method", &self.method)
            .field("path_template", &self.path_template)
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("inner_code", &self.inner_code)
            .field("request_id", &self.request_id)
            .field("client_request_id", &self.client_request_id)
            .field("date", &self.date)
            .field("retry_after", &self.retry_after)
            .field(
                "raw_body",
                &self.raw_body.as_ref().map(|b| truncate(b, 512)),
            )
            .field("attempts", &self.attempts)
            .finish()
    }
}

fn truncate(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Graph returned {} for {} {}",
            self.status, self.method, self.path_template
        )?;
        if let Some(code) = &self.code {
            write!(f, ": {code}")?;
        }
        if let Some(msg) = &self.message {
            write!(f, ": {msg}")?;
        } else if let Some(raw) = &self.raw_body {
            let t = truncate(raw.trim(), 200);
            if !t.is_empty() {
                write!(f, ": non-JSON body: {t}")?;
            }
        }
        let ids = [
            ("request-id", &self.request_id),
            ("client-request-id", &self.client_request_id),
            ("date", &self.date),
        ];
        let mut sep = " (";
        for (name, value) in ids {
            if let Some(value) = value {
                write!(f, "{sep}{name} {value}")?;
                sep = ", ";
            }
        }
        if sep == ", " {
            write!(f, ")")?;
        }
        Ok(())
    }
}

impl ServiceError {
    /// Build from a response status, headers and body.
    pub(crate) fn from_response(method: Method, path_template: String, raw: &RawResponse) -> Self {
        let (status, headers, body, attempts) =
            (raw.status, &raw.headers, &raw.body[..], raw.attempts);
        let content_type = header_str(headers, "content-type");
        let mut e = ServiceError {
            method,
            path_template,
            status,
            code: None,
            message: None,
            inner_code: None,
            request_id: None,
            client_request_id: None,
            date: None,
            retry_after: parse_retry_after(headers),
            error_json: None,
            raw_body: None,
            content_type,
            attempts,
        };
        let parsed = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|v| match v {
                serde_json::Value::Object(mut m) => m.remove("error"),
                _ => None,
            })
            .filter(|e| e.is_object());
        match parsed {
            Some(err) => {
                let s =
                    |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_string);
                e.code = s(err.get("code"));
                e.message = s(err.get("message"));
                let inner = err.get("innerError").or_else(|| err.get("innererror"));
                if let Some(inner) = inner {
                    e.inner_code = s(inner.get("code"));
                    e.request_id = s(inner.get("request-id"));
                    e.client_request_id = s(inner.get("client-request-id"));
                    e.date = s(inner.get("date"));
                }
                e.error_json = Some(err);
            }
            None => {
                if !body.is_empty() {
                    e.raw_body = Some(String::from_utf8_lossy(body).into_owned());
                }
            }
        }
        e.request_id = e.request_id.or_else(|| header_str(headers, "request-id"));
        e.client_request_id = e
            .client_request_id
            .or_else(|| header_str(headers, "client-request-id"))
            .or_else(|| raw.client_request_id.clone());
        e.date = e.date.or_else(|| header_str(headers, "date"));
        e
    }
}

impl From<RefusedLink> for Error {
    fn from(r: RefusedLink) -> Self {
        Error::InvalidNextLink {
            link_origin: r.link_origin,
            expected_origin: r.expected_origin,
            request_id: None,
            client_request_id: None,
        }
    }
}

impl From<ServiceError> for Error {
    fn from(e: ServiceError) -> Self {
        Error::Service(Box::new(e))
    }
}

impl Error {
    /// The Graph service error, if this is one (or the `401` behind an
    /// authentication failure).
    pub fn service(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(e) => Some(e),
            Error::Auth {
                refused: Some(e), ..
            } => Some(e),
            _ => None,
        }
    }

    /// An authentication failure, for [`super::TokenProvider`] implementations.
    pub fn auth(message: impl Into<String>) -> Self {
        Error::Auth {
            message: message.into(),
            source: None,
            refused: None,
        }
    }

    /// An authentication failure with its cause.
    pub fn auth_from(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::Auth {
            message: message.into(),
            source: Some(source.into()),
            refused: None,
        }
    }

    /// The details of a decode error, if this is one.
    pub fn decode_error(&self) -> Option<&DecodeError> {
        match self {
            Error::Decode(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status of a service error (or of a decode error, of a
    /// response too large to read, or of a response whose body was cut off).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Service(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::Transport { status, .. } => *status,
            Error::Auth {
                refused: Some(e), ..
            } => Some(e.status),
            _ => None,
        }
    }

    /// `error.code` of a service error.
    pub fn code(&self) -> Option<&str> {
        self.service().and_then(|e| e.code.as_deref())
    }

    /// `error.message` of a service error.
    pub fn message(&self) -> Option<&str> {
        self.service().and_then(|e| e.message.as_deref())
    }

    /// The request id support engineers ask for.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            Error::ResponseTooLarge { request_id, .. } => request_id.as_deref(),
            Error::Transport { request_id, .. } => request_id.as_deref(),
            Error::Auth {
                refused: Some(e), ..
            } => e.request_id.as_deref(),
            Error::InvalidNextLink { request_id, .. }
            | Error::RepeatedNextLink { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The `client-request-id` of the request: the one the service echoed,
    /// else the one the SDK sent (the same on every retry).
    pub fn client_request_id(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.client_request_id.as_deref(),
            Error::Transport {
                client_request_id, ..
            } => Some(client_request_id),
            Error::Decode(e) => e.client_request_id.as_deref(),
            Error::ResponseTooLarge {
                client_request_id, ..
            } => Some(client_request_id),
            Error::Auth {
                refused: Some(e), ..
            } => e.client_request_id.as_deref(),
            Error::InvalidNextLink {
                client_request_id, ..
            }
            | Error::RepeatedNextLink {
                client_request_id, ..
            } => client_request_id.as_deref(),
            _ => None,
        }
    }

    /// A paging refusal tied to the page that named the link: its ids.
    pub(crate) fn named_by_page(mut self, ids: &PageIds) -> Self {
        if let Error::InvalidNextLink {
            request_id,
            client_request_id,
            ..
        }
        | Error::RepeatedNextLink {
            request_id,
            client_request_id,
            ..
        } = &mut self
        {
            request_id.clone_from(&ids.request_id);
            client_request_id.clone_from(&ids.client_request_id);
        }
        self
    }

    /// The error for a success response whose body is not what was expected.
    pub(crate) fn decode_failure(
        method: Method,
        path_template: String,
        raw: &RawResponse,
        json_path: String,
        message: String,
    ) -> Self {
        Error::Decode(Box::new(DecodeError {
            method,
            path_template,
            status: raw.status,
            json_path,
            message,
            request_id: header_str(&raw.headers, "request-id"),
            client_request_id: header_str(&raw.headers, "client-request-id")
                .or_else(|| raw.client_request_id.clone()),
        }))
    }

    /// The server's `Retry-After`, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        self.service().and_then(|e| e.retry_after)
    }

    /// Whether the service certainly did nothing with the request, so that
    /// sending it again is safe whatever its method: throttled (429),
    /// unavailable with `Retry-After` (503), or no connection made. The rule
    /// the client's own retries follow for a `POST` or `PATCH`; after a
    /// timeout or an answer cut off, the request may have been applied.
    pub fn was_not_processed(&self) -> bool {
        match self {
            Error::Transport {
                source,
                status: None,
                ..
            } => source.is_connect(),
            _ => self.status().is_some_and(|s| {
                super::retry::unprocessed_status(s.as_u16(), self.retry_after().is_some())
            }),
        }
    }

    fn status_is(&self, s: u16) -> bool {
        self.status().is_some_and(|x| x.as_u16() == s)
    }

    /// 400 of any kind.
    pub fn is_bad_request(&self) -> bool {
        self.status_is(400)
    }

    /// 401.
    pub fn is_unauthorized(&self) -> bool {
        self.status_is(401)
    }

    /// 403 ("Access denied").
    pub fn is_forbidden(&self) -> bool {
        self.status_is(403)
    }

    /// 404 (e.g. "The specified crossTenantMigrationJob wasn't found.").
    pub fn is_not_found(&self) -> bool {
        self.status_is(404)
    }

    /// 409 of any kind.
    pub fn is_conflict(&self) -> bool {
        self.status_is(409)
    }

    /// 429 Too Many Requests.
    pub fn is_throttled(&self) -> bool {
        self.status_is(429)
    }

    /// Whether the condition is transient (429, 503, 504, or a transport
    /// error): worth trying again. A transport error after the status came
    /// is so only for a request that may be sent twice (`GET`, `PUT`,
    /// `DELETE`) or a status that says to retry: a `POST` answered `201`
    /// whose body was cut off was applied, and sending it again would apply
    /// it twice.
    pub fn is_transient(&self) -> bool {
        let retried = |s: StatusCode| matches!(s.as_u16(), 429 | 503 | 504);
        match self {
            Error::Transport { status, method, .. } => {
                status.is_none_or(retried) || super::retry::is_idempotent(method)
            }
            _ => self.status().is_some_and(retried),
        }
    }
}

/// " after a 201 Created response (request-id r1) whose body was cut off",
/// or nothing when no response came.
fn answered(status: Option<StatusCode>, request_id: Option<&str>) -> String {
    match (status, request_id) {
        (None, _) => String::new(),
        (Some(status), Some(id)) => {
            format!(", after a {status} response (request-id {id}) whose body was cut off")
        }
        (Some(status), None) => format!(", after a {status} response whose body was cut off"),
    }
}

/// ", after a 401 Unauthorized (request-id r1)" for the `401` behind an
/// authentication failure, or nothing.
fn refused_by(refused: Option<&ServiceError>) -> String {
    match refused {
        None => String::new(),
        Some(e) => match &e.request_id {
            Some(id) => format!(", after a {} from the service (request-id {id})", e.status),
            None => format!(", after a {} from the service", e.status),
        },
    }
}

/// The ids of a page's response, for an error about the link it named.
#[derive(Clone, Debug, Default)]
pub(crate) struct PageIds {
    pub request_id: Option<String>,
    pub client_request_id: Option<String>,
}

/// " (named by the page with request-id r7)", or nothing.
fn named_by(request_id: Option<&str>) -> String {
    request_id.map_or_else(String::new, |id| {
        format!(" (named by the page with request-id {id})")
    })
}
