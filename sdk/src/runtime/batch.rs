//! JSON batching (`POST /$batch`), at most 20 requests per batch.

use std::collections::{BTreeMap, HashSet};

use http::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::client::Client;
use super::error::{Error, Result, ServiceError};
use super::path::RequestPath;
use super::request::{INCLUDE_UNKNOWN_ENUM_MEMBERS, Request};
use super::response::{RawResponse, decode_json, header_str};

/// The maximum number of requests Graph accepts in one JSON batch.
pub const MAX_BATCH_REQUESTS: usize = 20;

/// Collects up to [`MAX_BATCH_REQUESTS`] requests for one `POST /$batch`.
///
/// Sending more than 20 is refused with [`Error::InvalidRequest`] before
/// anything is sent (the batch is not split: `dependsOn` chains cannot cross
/// batches). Duplicate ids and `dependsOn` naming an unknown or later id are
/// refused too.
#[derive(Debug)]
pub struct Batch {
    client: Client,
    items: Vec<(String, Request, Vec<String>)>,
}

#[derive(Serialize)]
struct WireRequest<'a> {
    id: &'a str,
    method: &'a str,
    url: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    headers: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<serde_json::Value>,
    #[serde(rename = "dependsOn", skip_serializing_if = "<[String]>::is_empty")]
    depends_on: &'a [String],
}

#[derive(Serialize)]
struct WireBatch<'a> {
    requests: Vec<WireRequest<'a>>,
}

#[derive(Deserialize)]
struct WireResponses {
    responses: Vec<WireResponse>,
}

#[derive(Deserialize)]
struct WireResponse {
    id: String,
    status: u16,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    body: Option<serde_json::Value>,
}

impl Client {
    /// Start a JSON batch.
    pub fn batch(&self) -> Batch {
        Batch {
            client: self.clone(),
            items: Vec::new(),
        }
    }
}

impl Batch {
    /// Add a request with the next free numeric id ("1", "2", ...); returns the id.
    pub fn add(&mut self, request: Request) -> String {
        let mut n = self.items.len() + 1;
        let id = loop {
            let id = n.to_string();
            if !self.items.iter().any(|(i, _, _)| *i == id) {
                break id;
            }
            n += 1;
        };
        self.items.push((id.clone(), request, Vec::new()));
        id
    }

    /// Add a request with an explicit id and `dependsOn` ids.
    pub fn add_with_id(
        &mut self,
        id: impl Into<String>,
        request: Request,
        depends_on: &[&str],
    ) -> &mut Self {
        self.items.push((
            id.into(),
            request,
            depends_on.iter().map(|s| s.to_string()).collect(),
        ));
        self
    }

    /// Number of requests.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the batch is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn validate(&self) -> Result<()> {
        if self.items.is_empty() {
            return Err(Error::InvalidRequest("empty batch".into()));
        }
        if self.items.len() > MAX_BATCH_REQUESTS {
            return Err(Error::InvalidRequest(format!(
                "a JSON batch holds at most {MAX_BATCH_REQUESTS} requests, got {}",
                self.items.len()
            )));
        }
        let mut seen = HashSet::new();
        for (id, _, deps) in &self.items {
            if id.is_empty() {
                return Err(Error::InvalidRequest("empty batch request id".into()));
            }
            for d in deps {
                if !seen.contains(d.as_str()) {
                    return Err(Error::InvalidRequest(format!(
                        "batch request {id:?} depends on {d:?}, which is not an earlier request"
                    )));
                }
            }
            if !seen.insert(id.as_str()) {
                return Err(Error::InvalidRequest(format!(
                    "duplicate batch request id {id:?}"
                )));
            }
        }
        Ok(())
    }

    /// Send the batch. The outer request is retried like any POST; the
    /// individual responses (in the order the requests were added) each carry
    /// their own status, headers and body.
    pub async fn send(self) -> Result<BatchResponse> {
        self.validate()?;
        let mut wire = Vec::with_capacity(self.items.len());
        for (id, req, deps) in &self.items {
            let body: Option<serde_json::Value> = match &req.body {
                None => None,
                Some(Err(e)) => {
                    return Err(Error::InvalidRequest(format!(
                        "cannot serialise body of batch request {id:?}: {e}"
                    )));
                }
                Some(Ok(bytes)) => Some(serde_json::from_slice(bytes).map_err(|e| {
                    Error::InvalidRequest(format!("body of batch request {id:?}: {e}"))
                })?),
            };
            let mut headers = BTreeMap::new();
            for (n, v) in &req.headers {
                add_header(&mut headers, n, v);
            }
            // As on every request the client sends itself.
            add_header(&mut headers, "Prefer", INCLUDE_UNKNOWN_ENUM_MEMBERS);
            if body.is_some()
                && !headers
                    .keys()
                    .any(|k| k.eq_ignore_ascii_case("content-type"))
            {
                headers.insert("Content-Type".into(), "application/json".into());
            }
            wire.push(WireRequest {
                id,
                method: req.method.as_str(),
                url: req.relative_url()?,
                headers,
                body,
                depends_on: deps,
            });
        }
        let outer = self
            .client
            .request(Method::POST, RequestPath::root().segment("$batch"))
            .json(&WireBatch { requests: wire });
        let raw = outer.execute_success().await?;
        let parsed: WireResponses = outer.decode(&raw)?;
        // What support can find when an item's own response names no id
        // (a 424, a gateway error, an item Graph did not answer).
        let batch_request_id = header_str(&raw.headers, "request-id");
        let batch_client_request_id =
            header_str(&raw.headers, "client-request-id").or(raw.client_request_id);
        let mut by_id: BTreeMap<String, WireResponse> = parsed
            .responses
            .into_iter()
            .map(|r| (r.id.clone(), r))
            .collect();
        let mut responses = Vec::with_capacity(self.items.len());
        for (id, req, _) in self.items {
            let r = by_id.remove(&id);
            responses.push(match r {
                Some(r) => BatchItemResponse {
                    id,
                    method: req.method.clone(),
                    path_template: req.template().to_string(),
                    status: StatusCode::from_u16(r.status).unwrap_or(StatusCode::BAD_GATEWAY),
                    headers: r.headers,
                    body: r.body,
                    missing: false,
                    batch_request_id: batch_request_id.clone(),
                    batch_client_request_id: batch_client_request_id.clone(),
                },
                None => BatchItemResponse {
                    id,
                    method: req.method.clone(),
                    path_template: req.template().to_string(),
                    status: StatusCode::BAD_GATEWAY,
                    headers: BTreeMap::new(),
                    body: None,
                    missing: true,
                    batch_request_id: batch_request_id.clone(),
                    batch_client_request_id: batch_client_request_id.clone(),
                },
            });
        }
        Ok(BatchResponse { responses })
    }
}

/// The responses of a batch, in request order.
#[derive(Clone, Debug)]
pub struct BatchResponse {
    /// One response per request, in request order.
    pub responses: Vec<BatchItemResponse>,
}

impl BatchResponse {
    /// The response for `id`.
    pub fn get(&self, id: &str) -> Option<&BatchItemResponse> {
        self.responses.iter().find(|r| r.id == id)
    }
    /// Iterate the responses.
    pub fn iter(&self) -> impl Iterator<Item = &BatchItemResponse> {
        self.responses.iter()
    }
}

/// One response inside a batch.
#[derive(Clone, Debug)]
pub struct BatchItemResponse {
    /// The `id` of the request this answers.
    pub id: String,
    /// The request's method.
    pub method: Method,
    /// The request's path template (never the full URL).
    pub path_template: String,
    /// The response's status.
    pub status: StatusCode,
    /// The response's headers, as Graph sent them in the batch.
    pub headers: BTreeMap<String, String>,
    /// The body as sent by Graph (JSON, or a base64 string for non-JSON content).
    pub body: Option<serde_json::Value>,
    /// True when Graph returned no response for this id (status is then 502).
    pub missing: bool,
    /// The `request-id` of the `$batch` response that held this one: an
    /// item's error falls back to it when its own response names none.
    pub batch_request_id: Option<String>,
    /// The `client-request-id` of the `$batch` request, likewise.
    pub batch_client_request_id: Option<String>,
}

impl BatchItemResponse {
    /// 2xx?
    pub fn is_success(&self) -> bool {
        self.status.is_success() && !self.missing
    }

    /// A header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the item's `Content-Type` says JSON (or says nothing).
    fn is_json(&self) -> bool {
        self.header("content-type")
            .is_none_or(|t| t.to_ascii_lowercase().contains("json"))
    }

    /// The item as a response. `for_error`: a body Graph base64-encoded
    /// because it is not JSON is decoded, for the error to show its text;
    /// what `json()` reads stays as sent (the `body` field's contract).
    fn raw(&self, for_error: bool) -> RawResponse {
        let mut headers = http::HeaderMap::new();
        for (k, v) in &self.headers {
            if let (Ok(n), Ok(v)) = (
                http::HeaderName::from_bytes(k.as_bytes()),
                http::HeaderValue::from_str(v),
            ) {
                headers.append(n, v);
            }
        }
        if !headers.contains_key("request-id")
            && let Some(id) = &self.batch_request_id
            && let Ok(v) = http::HeaderValue::from_str(id)
        {
            headers.insert("request-id", v);
        }
        let body = match &self.body {
            None => bytes::Bytes::new(),
            // Graph sends a body that is not JSON (a gateway's HTML page) as
            // a base64 string: its text is what the error shows.
            Some(serde_json::Value::String(encoded)) if for_error && !self.is_json() => {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .map_or_else(|_| encoded.clone().into_bytes().into(), Into::into)
            }
            Some(v) => serde_json::to_vec(v).unwrap_or_default().into(),
        };
        RawResponse {
            status: self.status,
            headers,
            body,
            attempts: 1,
            client_request_id: self.batch_client_request_id.clone(),
        }
    }

    /// The error for a non-2xx response (same fields as a direct call).
    pub fn error(&self) -> Option<Error> {
        if self.is_success() {
            return None;
        }
        let raw = self.raw(true);
        Some(
            ServiceError::from_response(self.method.clone(), self.path_template.clone(), &raw)
                .into(),
        )
    }

    /// Decode the body as `T` (a non-2xx response gives its [`Error`]).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        if let Some(e) = self.error() {
            return Err(e);
        }
        let raw = self.raw(false);
        decode_json(&raw.body).map_err(|(json_path, message)| {
            Error::decode_failure(
                self.method.clone(),
                self.path_template.clone(),
                &raw,
                json_path,
                message,
            )
        })
    }

    /// Like [`Self::json`], but 204 / no body gives `None`.
    pub fn json_optional<T: DeserializeOwned>(&self) -> Result<Option<T>> {
        if self.is_success() && (self.status == StatusCode::NO_CONTENT || self.body.is_none()) {
            return Ok(None);
        }
        self.json().map(Some)
    }
}

/// Adds a header to a batch item's headers. A JSON object holds each name
/// once, so a repeated header (`Prefer` twice, or `Prefer` and `prefer`) is
/// joined into one value with `, `, as HTTP reads repeated headers and as a
/// request sent on its own carries them.
fn add_header(headers: &mut BTreeMap<String, String>, name: &str, value: &str) {
    match headers
        .iter_mut()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
    {
        Some((_, v)) => {
            v.push_str(", ");
            v.push_str(value);
        }
        None => {
            headers.insert(name.to_string(), value.to_string());
        }
    }
}
