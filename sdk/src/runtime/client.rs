//! [`Client`], [`ClientBuilder`], [`Cloud`] and [`RetryPolicy`].

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use super::auth::{StaticToken, TokenProvider};
use super::error::{Error, Result};
use super::path::RequestPath;
use super::request::Request;

/// The crate's User-Agent: `graph-migrations/<version>`.
pub const USER_AGENT: &str = concat!("graph-migrations/", env!("CARGO_PKG_VERSION"));

/// A Microsoft Graph national cloud.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Cloud {
    /// `https://graph.microsoft.com`
    #[default]
    Global,
    /// US Government L4 (GCC High): `https://graph.microsoft.us`
    UsGov,
    /// US Government L5 (DoD): `https://dod-graph.microsoft.us`
    UsGovDod,
    /// Microsoft Azure operated by 21Vianet: `https://microsoftgraph.chinacloudapi.cn`
    China,
}

impl Cloud {
    /// All clouds.
    pub const ALL: [Cloud; 4] = [Cloud::Global, Cloud::UsGov, Cloud::UsGovDod, Cloud::China];

    /// The Graph host name.
    pub fn graph_host(self) -> &'static str {
        match self {
            Cloud::Global => "graph.microsoft.com",
            Cloud::UsGov => "graph.microsoft.us",
            Cloud::UsGovDod => "dod-graph.microsoft.us",
            Cloud::China => "microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The beta endpoint, e.g. `https://graph.microsoft.com/beta`.
    pub fn base_url(self) -> Url {
        Url::parse(&format!("https://{}/beta", self.graph_host())).expect("static URL")
    }

    /// The token scope, e.g. `https://graph.microsoft.com/.default`.
    pub fn scope(self) -> String {
        format!("https://{}/.default", self.graph_host())
    }

    /// The canonical name (`global`, `usgov`, `usgovdod`, `china`).
    pub fn name(self) -> &'static str {
        match self {
            Cloud::Global => "global",
            Cloud::UsGov => "usgov",
            Cloud::UsGovDod => "usgovdod",
            Cloud::China => "china",
        }
    }

    fn from_host(host: &str) -> Option<Cloud> {
        Cloud::ALL
            .into_iter()
            .find(|c| c.graph_host().eq_ignore_ascii_case(host))
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Cloud {
    type Err = Error;
    /// Case-insensitive; `-`, `_` and spaces are ignored. Accepts `global`,
    /// `public`, `AzurePublicCloud`, `usgov`, `gcchigh`, `l4`, `usgovdod`,
    /// `dod`, `l5`, `china`, `AzureChinaCloud`, `21vianet`, or a Graph host name.
    fn from_str(s: &str) -> Result<Self> {
        let n: String = s
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .collect::<String>()
            .to_ascii_lowercase();
        Ok(match n.as_str() {
            "global" | "public" | "azurepubliccloud" | "worldwide" | "commercial" => Cloud::Global,
            "usgov" | "usgovernment" | "gcchigh" | "l4" | "azureusgovernment" | "usgovl4" => {
                Cloud::UsGov
            }
            "usgovdod" | "dod" | "l5" | "usgovl5" => Cloud::UsGovDod,
            "china" | "azurechinacloud" | "21vianet" | "cn" => Cloud::China,
            _ => {
                return Cloud::from_host(s.trim())
                    .ok_or_else(|| Error::Config(format!("unknown cloud {s:?}")));
            }
        })
    }
}

/// When and how requests are retried.
///
/// Retried: 429, 503 and 504 responses, and transport errors. Idempotent
/// methods (GET, HEAD, OPTIONS, PUT, DELETE) are retried on all of them; POST and
/// PATCH only when the server signalled the request was not processed: 429, 503
/// with `Retry-After`, or a connection that could not be established.
///
/// The delay before retry *n* is exponential (`initial_delay * factor^(n-1)`,
/// capped at `max_delay`) with jitter (up to +100%); when the server sends
/// `Retry-After` (seconds, HTTP date, or `retry-after-ms`) the larger of the two
/// is used. Retrying stops after `max_retries` retries or when the total time
/// spent would exceed `max_total`.
///
/// Defaults (in the style of Kiota): 3 retries, 3 s initial delay, factor 2,
/// 60 s max delay, 180 s total.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    pub(crate) max_retries: u32,
    pub(crate) initial_delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) factor: f32,
    pub(crate) jitter: bool,
    pub(crate) max_total: Duration,
    pub(crate) respect_retry_after: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_delay: Duration::from_secs(3),
            max_delay: Duration::from_secs(60),
            factor: 2.0,
            jitter: true,
            max_total: Duration::from_secs(180),
            respect_retry_after: true,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn disabled() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }
    /// Maximum number of retries (not counting the first attempt). Capped at 10.
    pub fn with_max_retries(mut self, n: u32) -> Self {
        self.max_retries = n.min(10);
        self
    }
    /// Delay before the first retry.
    pub fn with_initial_delay(mut self, d: Duration) -> Self {
        self.initial_delay = d;
        self
    }
    /// Cap on a single computed delay.
    pub fn with_max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }
    /// Exponential factor (default 2).
    pub fn with_factor(mut self, f: f32) -> Self {
        self.factor = if f.is_finite() && f >= 1.0 { f } else { 1.0 };
        self
    }
    /// Enable or disable jitter.
    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }
    /// Total time budget for one logical request, attempts and waits included.
    pub fn with_max_total(mut self, d: Duration) -> Self {
        self.max_total = d;
        self
    }
    /// Whether `Retry-After` lengthens the wait (default true).
    pub fn with_respect_retry_after(mut self, yes: bool) -> Self {
        self.respect_retry_after = yes;
        self
    }
    /// Maximum number of retries.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    pub(crate) fn backoff(&self) -> backon::ExponentialBuilder {
        let mut b = backon::ExponentialBuilder::new()
            .with_min_delay(self.initial_delay)
            .with_max_delay(self.max_delay.max(self.initial_delay))
            .with_factor(self.factor)
            .with_max_times(self.max_retries as usize);
        if self.jitter {
            b = b.with_jitter();
        }
        b
    }
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Url,
    /// base URL as a string without trailing slash
    pub(crate) base_str: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) token: Option<Arc<dyn TokenProvider>>,
    pub(crate) retry: RetryPolicy,
    pub(crate) user_agent: String,
    pub(crate) timeout: Option<Duration>,
    pub(crate) cloud: Cloud,
    pub(crate) max_response_bytes: usize,
}

/// The default cap on one response body: far above a 999-item page, far
/// below what would let a broken gateway exhaust memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

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

    /// A request for `path` relative to the base URL.
    pub fn request(&self, method: http::Method, path: RequestPath) -> Request {
        Request::new(self.clone(), method, path)
    }

    /// A request for an absolute URL (a saved `@odata.nextLink`, a location
    /// header): refused with [`Error::InvalidNextLink`] unless it has the base
    /// URL's scheme, host and port. `template` is used for tracing.
    pub fn request_url(&self, method: http::Method, url: &str, template: &str) -> Result<Request> {
        let parsed = Url::parse(url).ok().filter(|u| {
            same_origin(&self.inner.base_url, u)
                && u.username().is_empty()
                && u.password().is_none()
        });
        match parsed {
            Some(u) => Ok(Request::absolute(
                self.clone(),
                method,
                u,
                template.to_string(),
            )),
            None => Err(Error::InvalidNextLink {
                link_origin: Url::parse(url)
                    .map(|u| origin_string(&u))
                    .unwrap_or_else(|_| "<unparseable URL>".into()),
                expected_origin: origin_string(&self.inner.base_url),
            }),
        }
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

pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str().map(|h| h.to_ascii_lowercase())
            == b.host_str().map(|h| h.to_ascii_lowercase())
        && a.port_or_known_default() == b.port_or_known_default()
}

pub(crate) fn origin_string(u: &Url) -> String {
    format!(
        "{}://{}{}",
        u.scheme(),
        u.host_str().unwrap_or(""),
        u.port().map(|p| format!(":{p}")).unwrap_or_default()
    )
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

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("cloud", &self.cloud)
            .field("base_url", &self.base_url)
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

    /// Timeout for one attempt (connect, send and read the whole response).
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
            Some(s) => {
                Url::parse(s).map_err(|e| Error::Config(format!("invalid base URL {s:?}: {e}")))?
            }
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

        let cloud = self
            .cloud
            .or_else(|| base_url.host_str().and_then(Cloud::from_host))
            .unwrap_or_default();
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
                        if attempt.previous().len() >= 5 {
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
                token: self.token,
                retry: self.retry.unwrap_or_default(),
                user_agent,
                timeout: self.timeout,
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
