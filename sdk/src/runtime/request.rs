//! [`Request`]: one logical Graph request, sent with retries.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use backon::Retryable as _;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use percent_encoding::{AsciiSet, utf8_percent_encode};
use serde::de::DeserializeOwned;
use tracing::Instrument as _;
use url::Url;

use super::client::Client;
use super::error::{Error, Result, ServiceError, TransportError};
use super::origin::{checked_link, same_origin};
use super::path::{RequestPath, UNRESERVED};
use super::response::{RawResponse, decode_json, header_str, parse_retry_after};
use super::retry::{is_idempotent, unprocessed_status};

/// Query names and values: everything outside `unreserved` is encoded except
/// the characters OData expressions use that are harmless in a query (`$ ( ) , : / @`).
const QUERY: &AsciiSet = &UNRESERVED
    .remove(b'$')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b':')
    .remove(b'/')
    .remove(b'@');

#[derive(Clone, Debug)]
pub(crate) enum Target {
    Path(RequestPath),
    /// An absolute URL already checked against the base origin (paging).
    Absolute {
        url: Url,
        template: String,
    },
}

/// A request being built; send it with one of the `send*` methods or page it
/// with [`Request::pager`]. Holds a clone of the [`Client`].
#[derive(Clone)]
pub struct Request {
    pub(crate) client: Client,
    pub(crate) method: Method,
    pub(crate) target: Target,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    /// The serialised JSON body (struct field order preserved, so `@odata.type`
    /// stays first), or the serialisation error to report at send time.
    pub(crate) body: Option<std::result::Result<Bytes, Arc<serde_json::Error>>>,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.template())
            .field("query", &self.query)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// Whether a response with this status is sent again: throttling always
/// (the service did nothing), 503 for an idempotent request or with
/// `Retry-After` (the service says when to come back), 504 for an
/// idempotent one.
fn retried_status(status: StatusCode, idempotent: bool, headers: &http::HeaderMap) -> bool {
    unprocessed_status(status.as_u16(), parse_retry_after(headers).is_some())
        || (idempotent && matches!(status.as_u16(), 503 | 504))
}

/// What one attempt produced.
/// Sent with every request: Graph answers members of an evolvable enum
/// added after `unknownFutureValue` only to clients that say they can take
/// them, and as `unknownFutureValue` to the rest. The generated enums keep
/// any member they do not know (`UnknownValue`), so a status added next
/// year reaches `Waiter::on_status` and the caller by its name instead of
/// looking like `unknownFutureValue` until the wait times out.
pub(crate) const INCLUDE_UNKNOWN_ENUM_MEMBERS: &str = "include-unknown-enum-members";

enum Attempt {
    /// An HTTP response that may be retried.
    Retryable(RawResponse),
    /// A transport error; `retryable` decided by method and error kind.
    /// The error has lost its URL already: logs and errors never hold
    /// the full URL (keys, `$filter`, `$skiptoken`).
    Transport {
        error: TransportError,
        retryable: bool,
        /// The status and `request-id` of a response whose body was cut off.
        answered: Option<(StatusCode, Option<String>)>,
    },
    /// Not retryable at all (auth failure, bad request construction).
    Fatal(Error),
}

enum BodyError {
    Transport(reqwest::Error),
    TooLarge,
}

/// Reads a response body, refusing to buffer more than `limit` bytes: a
/// declared length over the limit fails before reading anything.
async fn read_body(
    mut resp: reqwest::Response,
    limit: usize,
) -> std::result::Result<Bytes, BodyError> {
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(BodyError::TooLarge);
    }
    // One allocation of the declared length (capped, so that a length
    // declared but never sent costs little) instead of growing by doubling,
    // which copies the body and briefly holds it twice: a page of 999 items
    // is about 400 KiB.
    const RESERVE_AT_MOST: u64 = 4 << 20;
    let declared = resp.content_length().unwrap_or(0).min(RESERVE_AT_MOST);
    let mut buf = bytes::BytesMut::with_capacity(declared as usize);
    while let Some(chunk) = resp.chunk().await.map_err(BodyError::Transport)? {
        if buf.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

struct Prepared {
    url: Url,
    method: Method,
    template: String,
    headers: HeaderMap,
    body: Option<Bytes>,
    client_request_id: String,
}

impl Client {
    /// A request for `path` relative to the base URL.
    pub fn request(&self, method: Method, path: RequestPath) -> Request {
        Request::new(self.clone(), method, path)
    }

    /// A request for an absolute URL (a saved `@odata.nextLink`, a location
    /// header): refused with [`Error::InvalidNextLink`] unless it has the base
    /// URL's scheme, host and port. `template` is used for tracing.
    pub fn request_url(&self, method: Method, url: &str, template: &str) -> Result<Request> {
        let url = checked_link(self.base_url(), url)?;
        Ok(Request::absolute(
            self.clone(),
            method,
            url,
            template.to_string(),
        ))
    }
}

impl Request {
    pub(crate) fn new(client: Client, method: Method, path: RequestPath) -> Self {
        Self {
            client,
            method,
            target: Target::Path(path),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    pub(crate) fn absolute(client: Client, method: Method, url: Url, template: String) -> Self {
        Self {
            client,
            method,
            target: Target::Absolute { url, template },
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// Add a query option (`$top`, `10`); names and values are percent-encoded.
    /// A system query option (`$filter`, `$select`, …) given again replaces
    /// the earlier value: OData allows each once, and Graph answers 400 to a
    /// repeat.
    pub fn query(mut self, name: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        if name.starts_with('$')
            && let Some(earlier) = self.query.iter_mut().find(|(n, _)| n == name)
        {
            earlier.1 = value;
            return self;
        }
        self.query.push((name.to_string(), value));
        self
    }

    /// Add a header. An invalid name or value fails at send time.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// Set a JSON body. A serialisation error surfaces when sending.
    pub fn json<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = Some(serde_json::to_vec(body).map(Bytes::from).map_err(Arc::new));
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path template (for tracing).
    pub fn template(&self) -> &str {
        match &self.target {
            Target::Path(p) => p.template(),
            Target::Absolute { template, .. } => template,
        }
    }

    /// The request for the page at `next_link`, which followed this
    /// request's page: a `GET` of that link with this request's headers (not
    /// its query, which the link carries, nor its body or `client-request-id`).
    /// A link off the base URL's origin, or with credentials, is
    /// [`Error::InvalidNextLink`].
    pub fn next_page(&self, next_link: &str) -> Result<Request> {
        let url = checked_link(self.client.base_url(), next_link)?;
        let mut headers = self.headers.clone();
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case("client-request-id"));
        Ok(Request {
            headers,
            ..Request::absolute(
                self.client.clone(),
                Method::GET,
                url,
                self.template().to_string(),
            )
        })
    }

    /// The path relative to the base URL plus query, as used in a JSON batch.
    pub(crate) fn relative_url(&self) -> Result<String> {
        match &self.target {
            Target::Path(p) => {
                if let Some(reason) = p.invalid_reason() {
                    return Err(Error::InvalidRequest(reason.to_string()));
                }
                Ok(format!("{}{}", p.as_str(), self.query_string()))
            }
            Target::Absolute { .. } => Err(Error::InvalidRequest(
                "an absolute (nextLink) request cannot be batched".into(),
            )),
        }
    }

    fn query_string(&self) -> String {
        if self.query.is_empty() {
            return String::new();
        }
        let mut s = String::from("?");
        for (i, (n, v)) in self.query.iter().enumerate() {
            if i > 0 {
                s.push('&');
            }
            s.push_str(&utf8_percent_encode(n, QUERY).to_string());
            s.push('=');
            s.push_str(&utf8_percent_encode(v, QUERY).to_string());
        }
        s
    }

    pub(crate) fn build_url(&self) -> Result<Url> {
        let inner = &self.client.inner;
        match &self.target {
            Target::Absolute { url, .. } => {
                if !same_origin(&inner.base_url, url) {
                    return Err(Error::InvalidRequest(
                        "absolute URL outside the base origin".into(),
                    ));
                }
                let mut url = url.clone();
                if !self.query.is_empty() {
                    let extra = self.query_string();
                    let extra = extra.trim_start_matches('?');
                    let q = match url.query() {
                        Some(q) if !q.is_empty() => format!("{q}&{extra}"),
                        _ => extra.to_string(),
                    };
                    url.set_query(Some(&q));
                }
                Ok(url)
            }
            Target::Path(p) => {
                if let Some(reason) = p.invalid_reason() {
                    return Err(Error::InvalidRequest(reason.to_string()));
                }
                let s = format!("{}{}{}", inner.base_str, p.as_str(), self.query_string());
                let url = Url::parse(&s)
                    .map_err(|e| Error::InvalidRequest(format!("cannot build URL: {e}")))?;
                // Defence in depth: the path must be exactly base path + our path.
                let expected = format!(
                    "{}{}",
                    inner.base_url.path().trim_end_matches('/'),
                    p.as_str()
                );
                let expected = if expected.is_empty() {
                    "/".to_string()
                } else {
                    expected
                };
                if url.path() != expected || !same_origin(&inner.base_url, &url) {
                    return Err(Error::InvalidRequest(format!(
                        "path {:?} would not stay under the base URL",
                        p.template()
                    )));
                }
                Ok(url)
            }
        }
    }

    // (A request's own `Prefer` values are appended beside this one.)
    fn prepare(&self) -> Result<Prepared> {
        let inner = &self.client.inner;
        let url = self.build_url()?;
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        headers.insert(
            http::header::USER_AGENT,
            HeaderValue::from_str(&inner.user_agent).expect("checked at build"),
        );
        headers.insert(
            HeaderName::from_static("prefer"),
            HeaderValue::from_static(INCLUDE_UNKNOWN_ENUM_MEMBERS),
        );
        let mut client_request_id = None;
        for (n, v) in &self.headers {
            let name = HeaderName::from_bytes(n.as_bytes())
                .map_err(|_| Error::InvalidRequest(format!("invalid header name {n:?}")))?;
            let mut value = HeaderValue::from_str(v)
                .map_err(|_| Error::InvalidRequest(format!("invalid value for header {n:?}")))?;
            if name == http::header::AUTHORIZATION {
                value.set_sensitive(true);
            }
            if name.as_str() == "client-request-id" {
                client_request_id = Some(v.clone());
                continue;
            }
            if name == http::header::ACCEPT || name == http::header::USER_AGENT {
                headers.insert(name, value);
            } else {
                headers.append(name, value);
            }
        }
        let client_request_id =
            client_request_id.unwrap_or_else(|| uuid::Uuid::new_v4().hyphenated().to_string());
        headers.insert(
            HeaderName::from_static("client-request-id"),
            HeaderValue::from_str(&client_request_id)
                .map_err(|_| Error::InvalidRequest("invalid client-request-id".into()))?,
        );
        let body = match &self.body {
            None => None,
            Some(Ok(b)) => {
                if !headers.contains_key(http::header::CONTENT_TYPE) {
                    headers.insert(
                        http::header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    );
                }
                Some(b.clone())
            }
            Some(Err(e)) => {
                return Err(Error::InvalidRequest(format!(
                    "cannot serialise request body: {e}"
                )));
            }
        };
        Ok(Prepared {
            url,
            method: self.method.clone(),
            template: self.template().to_string(),
            headers,
            body,
            client_request_id,
        })
    }

    /// One attempt. A 401 makes the client ask its token provider again
    /// and resend once: the token was revoked, or expired before its stated
    /// time. A second 401 is the answer.
    async fn attempt(&self, p: &Prepared, n: u32) -> std::result::Result<RawResponse, Attempt> {
        let first = self.attempt_once(p, n).await;
        let refused = matches!(&first, Ok(raw) if raw.status == StatusCode::UNAUTHORIZED);
        if refused && let Some(cache) = &self.client.inner.token {
            cache.invalidate().await;
            tracing::debug!("401: asking the token provider again");
            return match self.attempt_once(p, n).await {
                // The provider failed: its reason is the error, with the
                // 401 that made the client ask (status, code, ids) kept.
                Err(Attempt::Fatal(Error::Auth {
                    message, source, ..
                })) => Err(Attempt::Fatal(Error::Auth {
                    message,
                    source,
                    refused: first.ok().map(|raw| {
                        Box::new(ServiceError::from_response(
                            p.method.clone(),
                            p.template.clone(),
                            &raw,
                        ))
                    }),
                })),
                other => other,
            };
        }
        first
    }

    async fn attempt_once(
        &self,
        p: &Prepared,
        n: u32,
    ) -> std::result::Result<RawResponse, Attempt> {
        let inner = &self.client.inner;
        let span = tracing::debug_span!(
            "graph.attempt",
            attempt = n,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        async move {
            let started = Instant::now();
            let mut headers = p.headers.clone();
            if let Some(provider) = &inner.token {
                let scopes: Vec<&str> = inner.scopes.iter().map(String::as_str).collect();
                let token = provider.token(&scopes).await.map_err(Attempt::Fatal)?;
                let mut v =
                    HeaderValue::from_str(&format!("Bearer {}", token.token.expose_secret()))
                        .map_err(|_| {
                            Attempt::Fatal(Error::auth(
                                "token provider returned a token that is not a valid header value",
                            ))
                        })?;
                v.set_sensitive(true);
                headers.insert(http::header::AUTHORIZATION, v);
            }
            let mut rb = inner
                .http
                .request(p.method.clone(), p.url.clone())
                .headers(headers);
            if let Some(t) = inner.timeout {
                rb = rb.timeout(t);
            }
            if let Some(b) = &p.body {
                rb = rb.body(b.clone());
            }
            let idempotent = is_idempotent(&p.method);
            let transport = |error: reqwest::Error| {
                let retryable = error.is_connect()
                    || (idempotent && !error.is_builder() && !error.is_redirect());
                Attempt::Transport {
                    error: TransportError::new(error),
                    retryable,
                    answered: None,
                }
            };
            let resp = rb.send().await.map_err(transport)?;
            let status = resp.status();
            let headers = resp.headers().clone();
            let limit = inner.max_response_bytes;
            let retried = retried_status(status, idempotent, &headers);
            let body = read_body(resp, limit).await.map_err(|e| match e {
                // The status came, its body did not. A status that is
                // retried anyway (429, 503 with `Retry-After`) is retried as
                // it would have been, after its `Retry-After`; otherwise the
                // error keeps the status and `request-id` (a 201 whose body
                // was cut off was applied, and is not sent again).
                BodyError::Transport(_) if retried => Attempt::Retryable(RawResponse {
                    status,
                    headers: headers.clone(),
                    body: bytes::Bytes::new(),
                    attempts: n,
                    client_request_id: Some(p.client_request_id.clone()),
                }),
                BodyError::Transport(error) => match transport(error) {
                    Attempt::Transport {
                        error, retryable, ..
                    } => Attempt::Transport {
                        error,
                        retryable,
                        answered: Some((status, header_str(&headers, "request-id"))),
                    },
                    other => other,
                },
                BodyError::TooLarge => Attempt::Fatal(Error::ResponseTooLarge {
                    method: p.method.clone(),
                    path_template: p.template.clone(),
                    status,
                    limit,
                    request_id: header_str(&headers, "request-id"),
                    client_request_id: header_str(&headers, "client-request-id")
                        .unwrap_or_else(|| p.client_request_id.clone()),
                }),
            })?;
            let elapsed = started.elapsed();
            let span = tracing::Span::current();
            span.record("status", status.as_u16());
            span.record("duration_ms", elapsed.as_millis() as u64);
            tracing::debug!(
                status = status.as_u16(),
                duration_ms = elapsed.as_millis() as u64,
                "graph attempt finished"
            );
            let raw = RawResponse {
                status,
                headers,
                body,
                attempts: n,
                client_request_id: Some(p.client_request_id.clone()),
            };
            if retried {
                Err(Attempt::Retryable(raw))
            } else {
                Ok(raw)
            }
        }
        .instrument(span)
        .await
    }

    /// Send with retries; any HTTP response (success or not) is `Ok`.
    pub(crate) async fn execute(&self) -> Result<RawResponse> {
        let p = self.prepare()?;
        let policy = self.client.inner.retry.clone();
        let span = tracing::info_span!(
            "graph.request",
            method = %p.method,
            path = %p.template,
            client_request_id = %p.client_request_id,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let attempts = AtomicU32::new(0);
        let start = Instant::now();
        let max_total = policy.max_total;
        let respect = policy.respect_retry_after;
        let result = async {
            (|| async {
                let n = attempts.fetch_add(1, Ordering::SeqCst) + 1;
                self.attempt(&p, n).await
            })
            .retry(policy.backoff())
            .sleep(tokio::time::sleep)
            .when(|a: &Attempt| match a {
                Attempt::Retryable(_) => true,
                Attempt::Transport { retryable, .. } => *retryable,
                Attempt::Fatal(_) => false,
            })
            .adjust(|a: &Attempt, proposed: Option<Duration>| {
                let proposed = proposed?;
                let retry_after = match a {
                    Attempt::Retryable(r) if respect => parse_retry_after(&r.headers),
                    _ => None,
                };
                let delay = retry_after.map_or(proposed, |ra| ra.max(proposed));
                // `checked_add`: a delay near `Duration::MAX` (a policy's
                // own, saturated by backoff) must end the retries, not panic.
                if start
                    .elapsed()
                    .checked_add(delay)
                    .is_none_or(|t| t > max_total)
                {
                    tracing::debug!(
                        delay_ms = delay.as_millis() as u64,
                        "retry budget exhausted"
                    );
                    return None;
                }
                Some(delay)
            })
            .notify(|a: &Attempt, delay: Duration| {
                let what = match a {
                    Attempt::Retryable(r) => format!("status {}", r.status.as_u16()),
                    Attempt::Transport { error, .. } => format!("transport error: {error}"),
                    Attempt::Fatal(_) => "fatal".into(),
                };
                tracing::info!(delay_ms = delay.as_millis() as u64, "retrying after {what}");
            })
            .await
        }
        .instrument(span.clone())
        .await;
        let n = attempts.load(Ordering::SeqCst);
        span.record("attempts", n);
        span.record("duration_ms", start.elapsed().as_millis() as u64);
        let raw = match result {
            Ok(r) | Err(Attempt::Retryable(r)) => r,
            Err(Attempt::Transport {
                error, answered, ..
            }) => {
                span.in_scope(|| tracing::warn!(attempts = n, "graph request failed: {error}"));
                let (status, request_id) = answered.map_or((None, None), |(s, id)| (Some(s), id));
                return Err(Error::Transport {
                    method: p.method,
                    path_template: p.template,
                    attempts: n,
                    client_request_id: p.client_request_id,
                    source: error,
                    status,
                    request_id,
                });
            }
            Err(Attempt::Fatal(e)) => return Err(e),
        };
        span.record("status", raw.status.as_u16());
        if let Some(id) = raw.headers.get("request-id").and_then(|v| v.to_str().ok()) {
            span.record("request_id", id);
        }
        span.in_scope(|| {
            tracing::debug!(
                status = raw.status.as_u16(),
                attempts = n,
                "graph request finished"
            )
        });
        Ok(RawResponse { attempts: n, ..raw })
    }

    pub(crate) fn service_error(&self, raw: &RawResponse) -> Error {
        ServiceError::from_response(self.method.clone(), self.template().to_string(), raw).into()
    }

    pub(crate) fn decode<T: DeserializeOwned>(&self, raw: &RawResponse) -> Result<T> {
        decode_json(&raw.body).map_err(|(json_path, message)| {
            Error::decode_failure(
                self.method.clone(),
                self.template().to_string(),
                raw,
                json_path,
                message,
            )
        })
    }

    pub(crate) async fn execute_success(&self) -> Result<RawResponse> {
        let raw = self.execute().await?;
        if raw.status.is_success() {
            Ok(raw)
        } else {
            Err(self.service_error(&raw))
        }
    }

    /// One entity (or any single value) from a response body. A property
    /// value that does not decode does not fail the response: it is kept as
    /// received in its object's `additional_data` (see `lenient`), and a
    /// warning names it. Only when even that fails is the strict decode's
    /// error returned, with its JSON path.
    fn decode_entity<T: DeserializeOwned>(&self, raw: &RawResponse) -> Result<T> {
        let strict = match self.decode(raw) {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        match super::lenient::leniently(|| serde_json::from_slice::<T>(&raw.body)) {
            (Ok(v), kept) if !kept.is_empty() => {
                tracing::warn!(
                    method = %self.method,
                    template = %self.template(),
                    kept = ?kept,
                    "property values that did not decode are kept as received in additional_data"
                );
                Ok(v)
            }
            _ => Err(strict),
        }
    }

    /// Send and decode the JSON response body.
    pub async fn send<T: DeserializeOwned>(self) -> Result<T> {
        let raw = self.execute_success().await?;
        self.decode_entity(&raw)
    }

    /// Send; `204 No Content` (or an empty 2xx body) gives `None`.
    pub async fn send_optional<T: DeserializeOwned>(self) -> Result<Option<T>> {
        let raw = self.execute_success().await?;
        if raw.status == StatusCode::NO_CONTENT || raw.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        self.decode_entity(&raw).map(Some)
    }

    /// Send; any 2xx is success and the body is ignored.
    pub async fn send_empty(self) -> Result<()> {
        self.execute_success().await.map(|_| ())
    }

    /// Send a `$count` request: the body is a `text/plain` integer.
    pub async fn send_count(self) -> Result<u64> {
        let raw = self.execute_success().await?;
        let text = String::from_utf8_lossy(&raw.body);
        text.trim()
            .trim_start_matches('\u{feff}')
            .parse::<u64>()
            .map_err(|e| {
                Error::decode_failure(
                    self.method.clone(),
                    self.template().to_string(),
                    &raw,
                    ".".into(),
                    format!("expected a text/plain integer: {e}"),
                )
            })
    }
}
