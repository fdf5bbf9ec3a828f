//! Origin checks: a URL the SDK is handed (a `@odata.nextLink`, a saved link
//! to resume from, a redirect) is used only when it has the base URL's
//! scheme, host and port, and carries no credentials. A leaf module: a
//! refusal becomes the request error where one is needed.

use url::Url;

/// Whether `a` and `b` have the same scheme, host (case-insensitive) and port.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str().map(|h| h.to_ascii_lowercase())
            == b.host_str().map(|h| h.to_ascii_lowercase())
        && a.port_or_known_default() == b.port_or_known_default()
}

/// `scheme://host[:port]`, for error messages (never a path or query, which
/// can hold user names).
pub(crate) fn origin_string(u: &Url) -> String {
    format!(
        "{}://{}{}",
        u.scheme(),
        u.host_str().unwrap_or(""),
        u.port().map(|p| format!(":{p}")).unwrap_or_default()
    )
}

/// A link refused by [`checked_link`]: its origin and the one expected.
#[derive(Debug)]
pub(crate) struct RefusedLink {
    pub link_origin: String,
    pub expected_origin: String,
}

/// Parses `link` and accepts it only on `base`'s origin and without
/// credentials.
pub(crate) fn checked_link(base: &Url, link: &str) -> Result<Url, RefusedLink> {
    let refuse = |link_origin: String| RefusedLink {
        link_origin,
        expected_origin: origin_string(base),
    };
    let url = Url::parse(link).map_err(|_| refuse("<unparseable URL>".into()))?;
    if same_origin(base, &url) && url.username().is_empty() && url.password().is_none() {
        Ok(url)
    } else {
        Err(refuse(origin_string(&url)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_base_origin_without_credentials_is_accepted() {
        let base = Url::parse("https://graph.microsoft.com/beta").unwrap();
        for ok in [
            "https://graph.microsoft.com/beta/x?$skiptoken=1",
            "https://GRAPH.microsoft.com:443/beta/x",
        ] {
            assert!(checked_link(&base, ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://graph.microsoft.com/beta/x",
            "https://graph.microsoft.com:8443/beta/x",
            "https://evil.example/beta/x",
            "https://u:p@graph.microsoft.com/beta/x",
            "/beta/x",
        ] {
            let refused = checked_link(&base, bad).unwrap_err();
            assert_eq!(
                refused.expected_origin, "https://graph.microsoft.com",
                "{bad}"
            );
        }
    }
}
