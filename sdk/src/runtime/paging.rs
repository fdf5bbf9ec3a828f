//! [`Pager`]: follows `@odata.nextLink` within the base URL origin.

use futures::{Stream, StreamExt, TryStreamExt, stream};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::client::{origin_string, same_origin};
use super::edm::de_u64_lenient;
use super::error::{Error, Result};
use super::request::{Request, Target};

/// One page of a collection.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// `@odata.nextLink`, when there is a next page.
    pub next_link: Option<String>,
    /// `@odata.count` (with `$count=true`).
    pub count: Option<u64>,
    /// `@odata.context`.
    pub context: Option<String>,
}

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct RawPage<T> {
    value: Vec<T>,
    #[serde(rename = "@odata.nextLink", default)]
    next_link: Option<String>,
    #[serde(rename = "@odata.count", default, deserialize_with = "de_u64_lenient")]
    count: Option<u64>,
    #[serde(rename = "@odata.context", default)]
    context: Option<String>,
}

/// Pages through a collection. The first request is the one it was built
/// from; later pages `GET` the `@odata.nextLink` with the same headers, but only
/// when the link has the base URL's scheme, host and port. Any other link ends
/// the stream with [`Error::InvalidNextLink`] and nothing is sent to it.
pub struct Pager<T> {
    first: Request,
    max_pages: Option<usize>,
    _t: std::marker::PhantomData<fn() -> T>,
}

enum State {
    First(Request),
    Next {
        base: Request,
        link: String,
        n: usize,
    },
    Done,
}

impl<T: DeserializeOwned + Send + 'static> Pager<T> {
    pub(crate) fn new(first: Request) -> Self {
        Self {
            first,
            max_pages: None,
            _t: std::marker::PhantomData,
        }
    }

    /// Stop after `n` pages.
    pub fn max_pages(mut self, n: usize) -> Self {
        self.max_pages = Some(n);
        self
    }

    /// A stream of pages.
    pub fn pages(self) -> impl Stream<Item = Result<Page<T>>> + Send + 'static {
        let max = self.max_pages.unwrap_or(usize::MAX);
        stream::unfold(State::First(self.first), move |state| async move {
            let (req, n, prev) = match state {
                State::Done => return None,
                State::First(r) => (r, 1usize, None),
                State::Next { base, link, n } => {
                    if n > max {
                        return None;
                    }
                    match next_request(&base, &link) {
                        Ok(r) => (r, n, Some(link)),
                        Err(e) => return Some((Err(e), State::Done)),
                    }
                }
            };
            let page = fetch_page::<T>(&req).await;
            match page {
                Err(e) => Some((Err(e), State::Done)),
                Ok(page) => {
                    let next = match &page.next_link {
                        Some(link) if prev.as_deref() != Some(link.as_str()) => State::Next {
                            base: req,
                            link: link.clone(),
                            n: n + 1,
                        },
                        // no link, or the same link again (would loop forever)
                        _ => State::Done,
                    };
                    Some((Ok(page), next))
                }
            }
        })
    }

    /// A stream of items across pages.
    pub fn items(self) -> impl Stream<Item = Result<T>> + Send + 'static {
        self.pages()
            .map_ok(|p| stream::iter(p.items.into_iter().map(Ok)))
            .try_flatten()
    }

    /// All items of all pages.
    pub async fn collect_all(self) -> Result<Vec<T>> {
        let mut out = Vec::new();
        let mut pages = std::pin::pin!(self.pages());
        while let Some(p) = pages.next().await {
            out.extend(p?.items);
        }
        Ok(out)
    }
}

fn next_request(prev: &Request, link: &str) -> Result<Request> {
    let base = &prev.client.inner.base_url;
    let url = Url::parse(link).map_err(|_| Error::InvalidNextLink {
        link_origin: "<unparseable URL>".into(),
        expected_origin: origin_string(base),
    })?;
    if !same_origin(base, &url) || !url.username().is_empty() || url.password().is_some() {
        return Err(Error::InvalidNextLink {
            link_origin: origin_string(&url),
            expected_origin: origin_string(base),
        });
    }
    let mut r = prev.clone();
    r.method = http::Method::GET;
    r.target = Target::Absolute {
        url,
        template: prev.template().to_string(),
    };
    r.query.clear();
    r.body = None;
    r.headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case("client-request-id"));
    Ok(r)
}

async fn fetch_page<T: DeserializeOwned>(req: &Request) -> Result<Page<T>> {
    let raw = req.execute().await?;
    if !raw.status.is_success() {
        return Err(req.service_error(&raw));
    }
    let p: RawPage<T> = req.decode(&raw)?;
    Ok(Page {
        items: p.value,
        next_link: p.next_link,
        count: p.count,
        context: p.context,
    })
}
