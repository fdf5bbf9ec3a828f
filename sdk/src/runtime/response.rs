//! A raw HTTP response after retries, what its headers say (request ids,
//! `Retry-After`), and the JSON decoding every response goes through.

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

/// A raw HTTP response after retries.
#[derive(Clone, Debug)]
pub(crate) struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub attempts: u32,
    /// The `client-request-id` sent, when this response came over HTTP
    /// (a `$batch` part has none of its own).
    pub client_request_id: Option<String>,
}

pub(crate) fn header_str(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Parse a `Retry-After` value: delta-seconds or an HTTP date (relative to now;
/// a date in the past gives zero). Also `retry-after-ms`/`x-ms-retry-after-ms`.
/// Capped at [`MAX_RETRY_AFTER`].
pub(crate) fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    for ms in ["retry-after-ms", "x-ms-retry-after-ms"] {
        if let Some(v) = headers.get(ms).and_then(|v| v.to_str().ok())
            && let Ok(n) = v.trim().parse::<f64>()
            && let Some(d) = seconds(n / 1000.0)
        {
            return Some(d);
        }
    }
    let v = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER));
    }
    if let Ok(secs) = v.parse::<f64>() {
        return seconds(secs);
    }
    let when =
        time::OffsetDateTime::parse(v, &time::format_description::well_known::Rfc2822).ok()?;
    let diff = when - time::OffsetDateTime::now_utc();
    Some(
        Duration::try_from(diff)
            .unwrap_or(Duration::ZERO)
            .min(MAX_RETRY_AFTER),
    )
}

/// The longest wait a `Retry-After` is read as. A server's value is
/// untrusted input: `1e20` seconds does not fit a `Duration`, and
/// `u64::MAX` seconds overflows any deadline computed from it. No retry
/// budget is anywhere near a day, so nothing longer changes a decision.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// A non-negative, finite number of seconds, capped at [`MAX_RETRY_AFTER`].
fn seconds(secs: f64) -> Option<Duration> {
    (secs.is_finite() && secs >= 0.0)
        .then(|| Duration::from_secs_f64(secs.min(MAX_RETRY_AFTER.as_secs_f64())))
}

/// Decodes a JSON body the way the SDK decodes every response; a failure is
/// `(JSON path, message)`.
///
/// Plain `serde_json` first. Only when that fails is the body decoded again
/// through `serde_path_to_error`, which fails at the same place and names
/// its JSON path (`value[3].status`). Path tracking costs an allocation per
/// object key, so successful decodes (nearly all of them) skip it.
///
/// Public for the benchmarks (`sdk/benches/decode.rs`), not part of the
/// supported API.
#[doc(hidden)]
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> std::result::Result<T, (String, String)> {
    let plain = match serde_json::from_slice::<T>(body) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => Err((e.path().to_string(), e.into_inner().to_string())),
        Ok(_) => match de.end() {
            Err(e) => Err((".".to_string(), e.to_string())),
            // Cannot happen (decoding is deterministic), but never report
            // success for a body that failed.
            Ok(()) => Err((".".to_string(), plain.to_string())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (n, v) in pairs {
            h.insert(*n, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(
            parse_retry_after(&headers(&[("retry-after", "7")])),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after(&headers(&[("retry-after", "1.5")])),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            parse_retry_after(&headers(&[("retry-after-ms", "250"), ("retry-after", "9")])),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            parse_retry_after(&headers(&[(
                "retry-after",
                "Wed, 21 Oct 2015 07:28:00 GMT"
            )])),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        assert_eq!(
            parse_retry_after(&headers(&[("retry-after", "soon")])),
            None
        );
        assert_eq!(parse_retry_after(&HeaderMap::new()), None);
    }
}
