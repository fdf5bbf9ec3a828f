//! [`Client`] and [`ClientBuilder`]. The requests a client makes are built
//! by [`super::Request`]'s module (`Client::request`, `Client::request_url`), so that
//! a request may hold its client without the two modules importing each other.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use super::auth::{StaticToken, TokenCache, TokenProvider};
use super::cloud::Cloud;
use super::error::{Error, Result};
use super::origin::same_origin;
use super::retry::RetryPolicy;

/// The crate's User-Agent: `graph-migrations/<version>`.
pub const USER_AGENT: &str = concat!("graph-migrations/", env!("CARGO_PKG_VERSION"));

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Url,
    /// base URL as a string without trailing slash
    pub(crate) base_str: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) token: Option<TokenCache>,
    pub(crate) retry: RetryPolicy,
    pub(crate) user_agent: String,
    pub(crate) timeout: Option<Duration>,
    pub(crate) cloud: Cloud,
    pub(crate) max_response_bytes: usize,
}

/// The default cap on one response body: far above a 999-item page, far
/// below what would let a broken gateway exhaust memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// The default timeout of one attempt ([`ClientBuilder::timeout`]): as long
/// as Kiota's, ample for a page of 999 items or a `$batch` of 20.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(100);

/// The Microsoft Graph client. Cheap to clone (an `Arc` inside).
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("cloud", &self.inner.cloud)
            .field("scopes", &self.inner.scopes)
            .field("authenticated", &self.inner.token.is_some())
            .field("retry", &self.inner.retry)
            .finish()
    }
}

impl Client {
    /// Start configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL, e.g. `https://graph.microsoft.com/beta`.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The token scopes used.
    pub fn scopes(&self) -> &[String] {
        &self.inner.scopes
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The cloud whose token scope is used.
    pub fn cloud(&self) -> Cloud {
        self.inner.cloud
    }

    /// Whether `url` has the base URL's scheme, host and port.
    pub fn is_same_origin(&self, url: &Url) -> bool {
        same_origin(&self.inner.base_url, url)
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    cloud: Option<Cloud>,
    base_url: Option<String>,
    http: Option<reqwest::Client>,
    token: Option<Arc<dyn TokenProvider>>,
    scopes: Option<Vec<String>>,
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent_suffix: Option<String>,
    max_response_bytes: Option<usize>,
}

/// Same-origin redirects followed before a request fails (SECURITY.md).
const MAX_REDIRECTS: usize = 5;

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("cloud", &self.cloud)
            .field("base_url", &self.base_url.as_deref().map(without_userinfo))
            .field("authenticated", &self.token.is_some())
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// National cloud (sets the default base URL and the token scope).
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.cloud = Some(cloud);
        self
    }

    /// Override the base URL (e.g. `https://graph.microsoft.com/beta`, or a
    /// loopback test server). `http://` is refused unless the host is loopback.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Use this `reqwest::Client` (its redirect policy, proxies and TLS
    /// settings then apply; reqwest strips `Authorization` on cross-host redirects).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The token provider.
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.token = Some(Arc::new(provider));
        self
    }

    /// The token provider, shared.
    pub fn token_provider_arc(mut self, provider: Arc<dyn TokenProvider>) -> Self {
        self.token = Some(provider);
        self
    }

    /// A fixed bearer token.
    pub fn bearer_token(self, token: impl Into<super::auth::Secret>) -> Self {
        self.token_provider(StaticToken::new(token))
    }

    /// Any Azure SDK credential (`azure_identity::ClientSecretCredential`,
    /// `ManagedIdentityCredential`, `WorkloadIdentityCredential`,
    /// `AzureCliCredential`, ...).
    #[cfg(feature = "azure-identity")]
    pub fn credential(self, credential: Arc<dyn azure_core::credentials::TokenCredential>) -> Self {
        self.token_provider(super::auth::AzureCredential::new(credential))
    }

    /// Override the token scopes (default: `https://<graph host>/.default`).
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// The retry policy ([`RetryPolicy::disabled`] switches retries off).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Timeout for one attempt: connect, send and read the whole response
    /// (default [`DEFAULT_TIMEOUT`]). A server that accepts the connection
    /// and never answers would otherwise hold the request, and a wait
    /// polling through it, forever; the retry budget is only checked
    /// between attempts.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The largest response body accepted (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]); a larger one ends the request with
    /// [`super::Error::ResponseTooLarge`] without reading the rest.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    /// Connect timeout (only for the client this builder creates).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Appended to the User-Agent: `graph-migrations/<version> <suffix>`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Build the client.
    pub fn build(self) -> Result<Client> {
        let mut base_url = match &self.base_url {
            Some(s) => Url::parse(s).map_err(|e| {
                Error::Config(format!("invalid base URL {:?}: {e}", without_userinfo(s)))
            })?,
            None => self.cloud.unwrap_or_default().base_url(),
        };
        match base_url.scheme() {
            "https" => {}
            "http" if is_loopback(&base_url) => {}
            "http" => {
                return Err(Error::Config(format!(
                    "refusing plain http base URL for non-loopback host {:?}",
                    base_url.host_str().unwrap_or("")
                )));
            }
            other => return Err(Error::Config(format!("unsupported URL scheme {other:?}"))),
        }
        if base_url.query().is_some() || base_url.fragment().is_some() {
            return Err(Error::Config(
                "base URL must not have a query or fragment".into(),
            ));
        }
        if !base_url.username().is_empty() || base_url.password().is_some() {
            return Err(Error::Config(
                "base URL must not contain credentials".into(),
            ));
        }
        let trimmed = base_url.path().trim_end_matches('/').to_string();
        base_url.set_path(&trimmed);
        let base_str = base_url.as_str().trim_end_matches('/').to_string();

        let host_cloud = base_url.host_str().and_then(Cloud::from_host);
        // A token scoped for one cloud sent to another cloud's host fails
        // with a 401 that says nothing of why: refuse the pair here.
        if let (Some(chosen), Some(host)) = (self.cloud, host_cloud)
            && chosen != host
        {
            return Err(Error::Config(format!(
                "the cloud is {chosen}, but the base URL is {host}'s Graph host ({}): \
                 set one of them, or both to the same cloud",
                host.graph_host()
            )));
        }
        let cloud = self.cloud.or(host_cloud).unwrap_or_default();
        let scopes = self.scopes.unwrap_or_else(|| vec![cloud.scope()]);

        let http = match self.http {
            Some(h) => h,
            None => {
                let origin = base_url.clone();
                let mut b = reqwest::Client::builder()
                    .user_agent(USER_AGENT)
                    .redirect(reqwest::redirect::Policy::custom(move |attempt| {
                        // Follow only same-origin redirects: the bearer token never
                        // travels to another host.
                        // `previous` starts with the request's own URL:
                        // five redirects make six entries.
                        if attempt.previous().len() > MAX_REDIRECTS {
                            attempt.error("too many redirects")
                        } else if same_origin(&origin, attempt.url()) {
                            attempt.follow()
                        } else {
                            attempt.stop()
                        }
                    }))
                    .https_only(origin_is_https(&base_url));
                if let Some(t) = self.connect_timeout {
                    b = b.connect_timeout(t);
                }
                b.build()
                    .map_err(|e| Error::Config(format!("cannot build HTTP client: {e}")))?
            }
        };
        let user_agent = match &self.user_agent_suffix {
            Some(s) => format!("{USER_AGENT} {s}"),
            None => USER_AGENT.to_string(),
        };
        http::HeaderValue::from_str(&user_agent)
            .map_err(|_| Error::Config("invalid User-Agent suffix".into()))?;

        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                base_str,
                scopes,
                token: self.token.map(TokenCache::new),
                retry: self.retry.unwrap_or_default(),
                user_agent,
                timeout: Some(self.timeout.unwrap_or(DEFAULT_TIMEOUT)),
                cloud,
                max_response_bytes: self
                    .max_response_bytes
                    .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            }),
        })
    }
}

fn origin_is_https(u: &Url) -> bool {
    u.scheme() == "https"
}

/// `url` with what may be a user name and password hidden: everything from
/// after its scheme to its last `@` becomes `***`. A URL that does not parse
/// is shown in errors, and `ClientBuilder`'s `Debug` shows the one given;
/// neither may show credentials, and a string the parser refused need not
/// have the shape that would say where they end (`https://app:pa/ss@host`).
fn without_userinfo(url: &str) -> std::borrow::Cow<'_, str> {
    let Some(at) = url.rfind('@') else {
        return url.into();
    };
    let scheme = url
        .find(':')
        .filter(|&i| {
            i > 0
                && url[..i]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        })
        .map_or(0, |i| i + 1);
    let start = scheme + url[scheme..].bytes().take_while(|&b| b == b'/').count();
    if at < start {
        return url.into();
    }
    format!("{}***{}", &url[..start], &url[at..]).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clouds() {
        for c in Cloud::ALL {
            assert_eq!(c.name().parse::<Cloud>().unwrap(), c);
            assert_eq!(c.graph_host().parse::<Cloud>().unwrap(), c);
        }
        assert_eq!("GCC-High".parse::<Cloud>().unwrap(), Cloud::UsGov);
        assert_eq!("AzureChinaCloud".parse::<Cloud>().unwrap(), Cloud::China);
        assert!("mars".parse::<Cloud>().is_err());
        let c = Client::builder().cloud(Cloud::UsGovDod).build().unwrap();
        assert_eq!(c.base_url().as_str(), "https://dod-graph.microsoft.us/beta");
        assert_eq!(c.scopes(), ["https://dod-graph.microsoft.us/.default"]);
        let c = Client::builder().build().unwrap();
        assert_eq!(c.base_url().as_str(), "https://graph.microsoft.com/beta");
        assert_eq!(c.scopes(), ["https://graph.microsoft.com/.default"]);
        let c = Client::builder()
            .base_url("https://microsoftgraph.chinacloudapi.cn/beta/")
            .build()
            .unwrap();
        assert_eq!(c.cloud(), Cloud::China);
        assert_eq!(
            c.base_url().as_str(),
            "https://microsoftgraph.chinacloudapi.cn/beta"
        );
        // A fully qualified host name is the same cloud's.
        let c = Client::builder()
            .base_url("https://graph.microsoft.us./beta")
            .build()
            .unwrap();
        assert_eq!(c.scopes(), ["https://graph.microsoft.us/.default"]);
        // A cloud and another cloud's host: a token for one would go to the
        // other and fail with a 401 that says nothing of why.
        let e = Client::builder()
            .cloud(Cloud::China)
            .base_url("https://graph.microsoft.com/beta")
            .build()
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("the cloud is china, but the base URL is global's Graph host"),
            "{e}"
        );
        // The same cloud twice, or a host of no cloud (a proxy, the simulator), is fine.
        Client::builder()
            .cloud(Cloud::UsGov)
            .base_url("https://graph.microsoft.us/beta")
            .build()
            .unwrap();
        let c = Client::builder()
            .cloud(Cloud::UsGov)
            .base_url("https://graph-proxy.contoso.example/beta")
            .build()
            .unwrap();
        assert_eq!(c.scopes(), ["https://graph.microsoft.us/.default"]);
    }

    #[test]
    fn http_only_for_loopback() {
        assert!(
            Client::builder()
                .base_url("http://example.com/beta")
                .build()
                .is_err()
        );
        assert!(
            Client::builder()
                .base_url("http://10.0.0.1/beta")
                .build()
                .is_err()
        );
        for ok in [
            "http://127.0.0.1:8080/beta",
            "http://localhost:1/",
            "http://[::1]:9/x",
        ] {
            Client::builder().base_url(ok).build().unwrap();
        }
        assert!(
            Client::builder()
                .base_url("ftp://localhost/")
                .build()
                .is_err()
        );
        assert!(
            Client::builder()
                .base_url("https://u:p@graph.microsoft.com/beta")
                .build()
                .is_err()
        );
    }
}
