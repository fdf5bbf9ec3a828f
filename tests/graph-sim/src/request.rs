//! The request and response values that handlers work with.

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use serde_json::Value;

use crate::error::{GResult, GraphError};

/// A request as the handlers see it.
#[derive(Debug)]
pub(crate) struct Req {
    pub method: Method,
    /// The path as sent (still percent-encoded), including any `/beta` prefix.
    pub raw_path: String,
    /// Decoded query parameters, in order.
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// `http://host[:port]` as the client addressed the simulator.
    pub origin: String,
    /// `/beta` when the client used that prefix, else empty.
    pub prefix: String,
    /// Navigation properties to expand (validated `$expand`).
    pub expand: Vec<String>,
}

impl Req {
    /// `origin + prefix`: what stands for `https://graph.microsoft.com/beta`.
    pub(crate) fn service_root(&self) -> String {
        format!("{}{}", self.origin, self.prefix)
    }

    /// `@odata.context` for a metadata fragment.
    pub(crate) fn context(&self, fragment: &str) -> String {
        format!("{}/$metadata#{}", self.service_root(), fragment)
    }

    /// The body parsed as a JSON object (400 otherwise).
    pub(crate) fn json_object(&self) -> GResult<serde_json::Map<String, Value>> {
        if self.body.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(GraphError::bad_request(
                "The request body is empty; a JSON object is required.",
            ));
        }
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(GraphError::bad_request(
                "The request body must be a JSON object.",
            )),
            Err(_) => Err(GraphError::invalid_json()),
        }
    }

    /// Whether `$expand` asked for this navigation property.
    pub(crate) fn expands(&self, nav: &str) -> bool {
        self.expand.iter().any(|n| n == nav)
    }

    /// First value of a query option (names compared case-insensitively).
    pub(crate) fn query_opt(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub(crate) enum Body {
    Json(Value),
    Text(String),
    Empty,
}

/// A successful response.
pub(crate) struct Resp {
    pub status: StatusCode,
    pub body: Body,
}

impl Resp {
    pub(crate) fn json(status: StatusCode, value: Value) -> Self {
        Self {
            status,
            body: Body::Json(value),
        }
    }

    pub(crate) fn ok(value: Value) -> Self {
        Self::json(StatusCode::OK, value)
    }

    pub(crate) fn empty(status: StatusCode) -> Self {
        Self {
            status,
            body: Body::Empty,
        }
    }

    pub(crate) fn text(status: StatusCode, text: String) -> Self {
        Self {
            status,
            body: Body::Text(text),
        }
    }
}
