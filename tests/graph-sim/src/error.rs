//! Graph-shaped errors.

use http::StatusCode;

/// An error answered in the Microsoft Graph shape
/// `{"error":{"code","message","innerError":{"request-id","client-request-id","date"}}}`.
#[derive(Debug, Clone)]
pub(crate) struct GraphError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub headers: Vec<(&'static str, String)>,
}

impl GraphError {
    pub(crate) fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_string(),
            message: message.into(),
            headers: Vec::new(),
        }
    }

    pub(crate) fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalidRequest", message)
    }

    /// The documented SharePoint message for a missing required parameter.
    pub(crate) fn missing_param(name: &str) -> Self {
        Self::bad_request(format!(
            "Cannot process the request because the required parameter {name} is missing."
        ))
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "itemNotFound", message)
    }

    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message)
    }

    pub(crate) fn unprocessable(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    pub(crate) fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "methodNotAllowed",
            "The HTTP method is not supported for this resource.",
        )
    }

    pub(crate) fn invalid_json() -> Self {
        Self::bad_request(
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
        )
    }
}

pub(crate) type GResult<T> = Result<T, GraphError>;
