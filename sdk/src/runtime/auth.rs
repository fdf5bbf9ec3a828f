//! Authentication: [`TokenProvider`] and its implementations.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::error::Result;

/// A boxed, `Send` future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A secret string whose `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wrap a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    /// The secret value. Use only to put it on the wire.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}
impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
impl From<String> for Secret {
    fn from(v: String) -> Self {
        Self(v)
    }
}
impl From<&str> for Secret {
    fn from(v: &str) -> Self {
        Self(v.to_string())
    }
}

/// A bearer token and when it expires.
#[derive(Clone, Debug)]
pub struct AccessToken {
    /// The bearer token; redacted in `Debug`.
    pub token: Secret,
    /// When the token expires, if the provider says.
    pub expires_on: Option<time::OffsetDateTime>,
}

impl AccessToken {
    /// A token with an unknown expiry.
    pub fn new(token: impl Into<Secret>) -> Self {
        Self {
            token: token.into(),
            expires_on: None,
        }
    }
    /// A token with an expiry.
    pub fn with_expiry(token: impl Into<Secret>, expires_on: time::OffsetDateTime) -> Self {
        Self {
            token: token.into(),
            expires_on: Some(expires_on),
        }
    }
}

/// Supplies bearer tokens. The client keeps a token that says when it
/// expires until five minutes before then, asks again after a 401, and
/// otherwise calls the provider before every attempt (a token without an
/// expiry is never reused).
///
/// Written with a boxed future so that it stays object safe; a failure is
/// [`Error::auth`](super::Error::auth) or [`Error::auth_from`](super::Error::auth_from):
/// ```
/// use graph_migrations::Error;
/// use graph_migrations::runtime::{AccessToken, BoxFuture, TokenProvider};
///
/// /// Reads tokens from a secret store.
/// struct Vault;
///
/// impl Vault {
///     async fn fetch(&self, scopes: &[&str]) -> std::io::Result<String> {
///         Ok(format!("token for {}", scopes.join(" ")))
///     }
/// }
///
/// impl TokenProvider for Vault {
///     fn token<'a>(
///         &'a self,
///         scopes: &'a [&'a str],
///     ) -> BoxFuture<'a, graph_migrations::Result<AccessToken>> {
///         Box::pin(async move {
///             let token = self.fetch(scopes).await.map_err(|e| Error::auth_from("vault", e))?;
///             Ok(AccessToken::new(token))
///         })
///     }
/// }
///
/// let client = graph_migrations::Client::builder().token_provider(Vault).build()?;
/// # Ok::<(), Error>(())
/// ```
pub trait TokenProvider: Send + Sync {
    /// A token for `scopes` (the client passes `https://<graph host>/.default`).
    fn token<'a>(&'a self, scopes: &'a [&'a str]) -> BoxFuture<'a, Result<AccessToken>>;
}

impl<P: TokenProvider + ?Sized> TokenProvider for Arc<P> {
    fn token<'a>(&'a self, scopes: &'a [&'a str]) -> BoxFuture<'a, Result<AccessToken>> {
        (**self).token(scopes)
    }
}

/// A fixed token (tests, short scripts, tokens acquired elsewhere).
#[derive(Clone)]
pub struct StaticToken(Secret);

impl StaticToken {
    /// A provider that always returns `token`.
    pub fn new(token: impl Into<Secret>) -> Self {
        Self(token.into())
    }
}
impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("StaticToken").field(&self.0).finish()
    }
}
impl TokenProvider for StaticToken {
    fn token<'a>(&'a self, _scopes: &'a [&'a str]) -> BoxFuture<'a, Result<AccessToken>> {
        let t = AccessToken::new(self.0.clone());
        Box::pin(async move { Ok(t) })
    }
}

/// A provider built from a closure `Fn(Vec<String>) -> impl Future<Output = Result<AccessToken>>`.
pub struct FnTokenProvider<F>(F);

/// Build a [`TokenProvider`] from an async closure receiving the scopes.
pub fn token_fn<F, Fut>(f: F) -> FnTokenProvider<F>
where
    F: Fn(Vec<String>) -> Fut + Send + Sync,
    Fut: Future<Output = Result<AccessToken>> + Send + 'static,
{
    FnTokenProvider(f)
}

impl<F> fmt::Debug for FnTokenProvider<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnTokenProvider")
    }
}

impl<F, Fut> TokenProvider for FnTokenProvider<F>
where
    F: Fn(Vec<String>) -> Fut + Send + Sync,
    Fut: Future<Output = Result<AccessToken>> + Send + 'static,
{
    fn token<'a>(&'a self, scopes: &'a [&'a str]) -> BoxFuture<'a, Result<AccessToken>> {
        Box::pin((self.0)(scopes.iter().map(|s| s.to_string()).collect()))
    }
}

/// Adapter for any `azure_core::credentials::TokenCredential`
/// (`azure_identity::ClientSecretCredential`, `ManagedIdentityCredential`,
/// `WorkloadIdentityCredential`, `AzureCliCredential`, ...).
#[cfg(feature = "azure-identity")]
#[derive(Clone, Debug)]
pub struct AzureCredential(pub Arc<dyn azure_core::credentials::TokenCredential>);

#[cfg(feature = "azure-identity")]
impl AzureCredential {
    /// A provider that asks `credential` for the scopes the client passes.
    pub fn new(credential: Arc<dyn azure_core::credentials::TokenCredential>) -> Self {
        Self(credential)
    }
}

#[cfg(feature = "azure-identity")]
impl TokenProvider for AzureCredential {
    fn token<'a>(&'a self, scopes: &'a [&'a str]) -> BoxFuture<'a, Result<AccessToken>> {
        Box::pin(async move {
            let t = self.0.get_token(scopes, None).await.map_err(|e| {
                // azure_core errors never contain the token value itself
                super::error::Error::auth_from(
                    format!("azure credential failed for scopes {scopes:?}: {e}"),
                    e,
                )
            })?;
            Ok(AccessToken {
                token: Secret::new(t.token.secret()),
                expires_on: Some(t.expires_on),
            })
        })
    }
}

/// How long before its expiry a cached token is replaced: a request sent
/// with it must still be accepted when it arrives, retries included.
const REFRESH_BEFORE_EXPIRY: time::Duration = time::Duration::minutes(5);

/// The client's token: the provider's, kept while it is valid, so that a
/// credential that does not cache (`AzureCliCredential` runs `az` each time)
/// is not asked before every request, page and poll. One caller at a time
/// asks the provider; the others wait for its token.
pub(crate) struct TokenCache {
    provider: Arc<dyn TokenProvider>,
    cached: tokio::sync::Mutex<Option<AccessToken>>,
}

impl TokenCache {
    pub(crate) fn new(provider: Arc<dyn TokenProvider>) -> Self {
        Self {
            provider,
            cached: tokio::sync::Mutex::new(None),
        }
    }

    /// A token for `scopes` (the client's, always the same).
    pub(crate) async fn token(&self, scopes: &[&str]) -> Result<AccessToken> {
        let mut slot = self.cached.lock().await;
        let now = time::OffsetDateTime::now_utc();
        if let Some(t) = slot.as_ref()
            && t.expires_on
                .is_some_and(|e| e - REFRESH_BEFORE_EXPIRY > now)
        {
            return Ok(t.clone());
        }
        let t = self.provider.token(scopes).await?;
        if t.expires_on.is_some_and(|e| e <= now) {
            *slot = None;
            return Err(super::error::Error::auth(
                "the token provider returned a token that has already expired",
            ));
        }
        *slot = t.expires_on.is_some().then(|| t.clone());
        Ok(t)
    }

    /// Forgets the cached token (the service refused it).
    pub(crate) async fn invalidate(&self) {
        *self.cached.lock().await = None;
    }
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenCache")
    }
}
