//! Paging through a collection: [`Pager`] builds the streams [`Pages`] and
//! [`Items`], which follow `@odata.nextLink` within the base URL's origin.
//!
//! Paging is resumable: every [`Page`] carries its `next_link`, and
//! [`Pager::resume`] continues from a saved one, in another client or
//! process. A resumed link passes the same origin check as a followed one.

use std::collections::HashSet;
use std::future::Future;
use std::hash::{BuildHasher, RandomState};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::client::Client;
use super::edm::de_u64_lenient;
use super::error::{DecodeError, Error, PageIds, Result};
use super::request::Request;
use super::response::{RawResponse, decode_json, header_str};

/// The path template a resumed pager reports in traces and errors: the
/// link's own path can hold user names, and its template is not known.
const RESUMED_TEMPLATE: &str = "{resumed @odata.nextLink}";

/// One page of a collection.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The page's items (`value`).
    pub items: Vec<T>,
    /// `@odata.nextLink`, when there is a next page: save it to continue
    /// later with [`Pager::resume`].
    pub next_link: Option<String>,
    /// `@odata.deltaLink`, on the last page of a delta function's round:
    /// where the next round starts (resume it with [`Pager::resume`]).
    pub delta_link: Option<String>,
    /// `@odata.count` (with `$count=true`).
    pub count: Option<u64>,
    /// `@odata.context`.
    pub context: Option<String>,
    /// The items of `value` that did not decode (a property of the wrong
    /// JSON type, say), each kept as received with why: one malformed item
    /// does not lose the page, nor the pages after it. Empty when every
    /// item decoded.
    pub rejected: Vec<RejectedItem>,
}

/// An item of a page that did not decode into the expected type.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RejectedItem {
    /// Its position in the page's `value`.
    pub index: usize,
    /// The item as received.
    pub value: serde_json::Value,
    /// Why it did not decode, with its JSON path in the page
    /// (`value[3].status`).
    pub error: DecodeError,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            next_link: None,
            delta_link: None,
            count: None,
            context: None,
            rejected: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct RawPage<T> {
    value: Vec<T>,
    #[serde(rename = "@odata.nextLink", default)]
    next_link: Option<String>,
    #[serde(rename = "@odata.deltaLink", default)]
    delta_link: Option<String>,
    #[serde(rename = "@odata.count", default, deserialize_with = "de_u64_lenient")]
    count: Option<u64>,
    #[serde(rename = "@odata.context", default)]
    context: Option<String>,
}

/// Pages through a collection. The first request is the one it was built
/// from; later pages `GET` the `@odata.nextLink` with the same headers
/// ([`Request::next_page`]), but only when the link has the base URL's
/// scheme, host and port. Any other link ends the stream with
/// [`Error::InvalidNextLink`] and nothing is sent to it.
///
/// ```no_run
/// # async fn run(client: graph_migrations::runtime::Client) -> graph_migrations::runtime::Result<()> {
/// use futures::TryStreamExt as _;
/// use graph_migrations::runtime::{Pager, RequestPath};
/// use serde_json::Value;
///
/// let mappings = RequestPath::root()
///     .segment("solutions")
///     .segment("sharePoint")
///     .segment("migrations")
///     .segment("crossOrganizationUserMappings");
/// // Read two pages and keep the link to the third...
/// let mut pages = client
///     .request(http::Method::GET, mappings)
///     .query("$top", "100")
///     .pager::<Value>()
///     .max_pages(2)
///     .pages();
/// while let Some(page) = pages.try_next().await? {
///     println!("{} mappings", page.items.len());
/// }
/// let saved: Option<String> = pages.next_link().map(str::to_string);
///
/// // ...and finish later, possibly in another process with another client.
/// if let Some(link) = saved {
///     let rest: Vec<Value> = Pager::resume(&client, &link)?.collect_all().await?;
///     println!("{} more", rest.len());
/// }
/// # Ok(()) }
/// ```
pub struct Pager<T> {
    first: Request,
    /// The saved link a resumed pager starts from.
    first_link: Option<String>,
    max_pages: Option<usize>,
    _t: std::marker::PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Pager<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pager")
            .field("first", &self.first)
            .field("max_pages", &self.max_pages)
            .finish()
    }
}

impl Request {
    /// Page through a collection, following same-origin `@odata.nextLink`s.
    pub fn pager<T: DeserializeOwned + Send + 'static>(self) -> Pager<T> {
        Pager::new(self)
    }
}

impl<T: DeserializeOwned + Send + 'static> Pager<T> {
    /// A pager whose first page is `first`'s response.
    pub fn new(first: Request) -> Self {
        Self {
            first,
            first_link: None,
            max_pages: None,
            _t: std::marker::PhantomData,
        }
    }

    /// Continues paging from a saved `@odata.nextLink` ([`Page::next_link`],
    /// [`Pages::next_link`]) with `client`. The link is refused with
    /// [`Error::InvalidNextLink`], before anything is sent, unless it has
    /// `client`'s base URL origin and no credentials. Headers the first
    /// request had (`ConsistencyLevel`, ...) are not in the link: to send
    /// them, build the request with [`Client::request_url`], add them, and
    /// call [`Request::pager`].
    pub fn resume(client: &Client, next_link: &str) -> Result<Self> {
        let first = client.request_url(http::Method::GET, next_link, RESUMED_TEMPLATE)?;
        Ok(Self {
            first_link: Some(next_link.to_string()),
            ..Self::new(first)
        })
    }

    /// Stop after `n` pages.
    pub fn max_pages(mut self, n: usize) -> Self {
        self.max_pages = Some(n);
        self
    }

    /// A stream of pages.
    pub fn pages(self) -> Pages<T> {
        Pages {
            state: State::Ready {
                request: self.first,
                link: self.first_link,
            },
            remaining: self.max_pages.unwrap_or(usize::MAX),
            followed: HashSet::new(),
            hasher: RandomState::new(),
            read: 0,
        }
    }

    /// A stream of items across pages.
    pub fn items(self) -> Items<T> {
        Items {
            pages: self.pages(),
            buffered: Vec::new().into_iter(),
        }
    }

    /// All items of all pages. An item that does not decode fails the
    /// whole collection with its error, since the result would otherwise be
    /// incomplete without saying so; [`Pager::pages`] and [`Pager::items`]
    /// go on past such an item.
    pub async fn collect_all(self) -> Result<Vec<T>> {
        use futures::TryStreamExt as _;
        let mut out = Vec::new();
        let mut pages = self.pages();
        while let Some(page) = pages.try_next().await? {
            if let Some(r) = page.rejected.into_iter().next() {
                return Err(Error::Decode(Box::new(r.error)));
            }
            out.extend(page.items);
        }
        Ok(out)
    }
}

type PageFuture<T> = Pin<Box<dyn Future<Output = (Request, Result<(Page<T>, PageIds)>)> + Send>>;

enum State<T> {
    /// The request for the next page, and the `@odata.nextLink` it follows
    /// (`None` for the pager's first request).
    Ready {
        request: Request,
        link: Option<String>,
    },
    Fetching {
        link: Option<String>,
        future: PageFuture<T>,
    },
    /// The last page's `@odata.nextLink` was refused: the next poll says so.
    Refused(Error),
    /// A page failed: its link stays, so that it can be read again.
    Failed {
        link: Option<String>,
    },
    Done,
}

/// The stream of pages of a collection ([`Pager::pages`], `ListRequest::pages`).
///
/// Ends after the page without a `@odata.nextLink`, after the first error, or
/// after [`Pager::max_pages`] pages. [`Pages::next_link`] then says where a
/// [`Pager::resume`] would continue.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<T> {
    state: State<T>,
    remaining: usize,
    /// The URL of every page read, the first included, hashed (links can be
    /// kilobytes long, and a listing of a whole organisation has thousands
    /// of pages): a next link to one of them would loop.
    followed: HashSet<u64>,
    hasher: RandomState,
    /// Pages read so far.
    read: usize,
}

impl<T> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match &self.state {
            State::Ready { .. } => "ready",
            State::Fetching { .. } => "fetching",
            State::Refused(_) => "refused",
            State::Failed { .. } => "failed",
            State::Done => "done",
        };
        f.debug_struct("Pages")
            .field("state", &state)
            .field("remaining", &self.remaining)
            .finish()
    }
}

impl<T> Pages<T> {
    /// The `@odata.nextLink` the next page would be read from: after the
    /// stream stopped at [`Pager::max_pages`], where to resume; while a page
    /// is being read (a `next()` given up on, a timeout), the link of that
    /// page, which was not delivered; after a page failed (throttled past
    /// the retries, a malformed item), the link of that page, to read it
    /// again with [`Pager::resume`]. `None` before the first page (unless
    /// the pager was resumed from a link), when the last page had no next
    /// link, when the first page failed, and after a refused or repeated
    /// link.
    pub fn next_link(&self) -> Option<&str> {
        match &self.state {
            State::Ready { link, .. } | State::Fetching { link, .. } | State::Failed { link } => {
                link.as_deref()
            }
            State::Refused(_) | State::Done => None,
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for Pages<T> {
    type Item = Result<Page<T>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Failed { link } => {
                    this.state = State::Failed { link };
                    return Poll::Ready(None);
                }
                State::Refused(e) => return Poll::Ready(Some(Err(e))),
                State::Ready { request, link } => {
                    if this.remaining == 0 {
                        this.state = State::Ready { request, link };
                        return Poll::Ready(None);
                    }
                    this.remaining -= 1;
                    let future = Box::pin(async move {
                        let page = fetch_page(&request).await;
                        (request, page)
                    });
                    this.state = State::Fetching { link, future };
                }
                State::Fetching { link, mut future } => {
                    let (request, page) = match future.as_mut().poll(cx) {
                        Poll::Pending => {
                            this.state = State::Fetching { link, future };
                            return Poll::Pending;
                        }
                        Poll::Ready(done) => done,
                    };
                    let (page, ids) = match page {
                        Ok(read) => read,
                        Err(e) => {
                            this.state = State::Failed { link };
                            return Poll::Ready(Some(Err(e)));
                        }
                    };
                    this.read += 1;
                    let key = |request: &Request| {
                        request
                            .build_url()
                            .ok()
                            .map(|url| this.hasher.hash_one(url.as_str()))
                    };
                    this.followed.extend(key(&request));
                    this.state = match page.next_link.as_deref() {
                        Some(next) => match request.next_page(next) {
                            // A link to a page already read, the first
                            // included, would read the same pages forever
                            // (A → B → A), and ending quietly would make a
                            // cut-short listing look complete.
                            Ok(next_request)
                                if key(&next_request)
                                    .is_some_and(|k| this.followed.contains(&k)) =>
                            {
                                State::Refused(Error::RepeatedNextLink {
                                    path_template: request.template().to_string(),
                                    pages: this.read,
                                    request_id: ids.request_id,
                                    client_request_id: ids.client_request_id,
                                })
                            }
                            Ok(request) => State::Ready {
                                request,
                                link: Some(next.to_string()),
                            },
                            Err(e) => State::Refused(e.named_by_page(&ids)),
                        },
                        None => State::Done,
                    };
                    return Poll::Ready(Some(Ok(page)));
                }
            }
        }
    }
}

/// The stream of items of a collection, across pages ([`Pager::items`],
/// `ListRequest::items`). Ends as [`Pages`] does. An item that does not
/// decode comes as its [`Error::Decode`], in its place, and the stream goes
/// on ([`Page::rejected`] keeps it as received).
#[must_use = "streams do nothing unless polled"]
pub struct Items<T> {
    pages: Pages<T>,
    /// The current page's items in page order, a rejected one as its error.
    buffered: std::vec::IntoIter<Result<T>>,
}

impl<T> std::fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .finish()
    }
}

impl<T> Items<T> {
    /// Where a [`Pager::resume`] would continue once the items already read
    /// are consumed: [`Pages::next_link`], and `None` while items of the
    /// current page remain (a link then would skip them).
    pub fn next_link(&self) -> Option<&str> {
        if self.buffered.as_slice().is_empty() {
            self.pages.next_link()
        } else {
            None
        }
    }
}

// Nothing of `Items` is pinned structurally: the buffered items are moved
// out, never polled in place.
impl<T> Unpin for Items<T> {}

impl<T: DeserializeOwned + Send + 'static> Stream for Items<T> {
    type Item = Result<T>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffered.next() {
                return Poll::Ready(Some(item));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Ready(Some(Ok(page))) => this.buffered = in_page_order(page).into_iter(),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// A page's items and rejected items, in the order of its `value`.
fn in_page_order<T>(page: Page<T>) -> Vec<Result<T>> {
    let mut rejected = page.rejected.into_iter().peekable();
    let mut items = page.items.into_iter();
    let mut out = Vec::with_capacity(items.len() + rejected.len());
    loop {
        if let Some(r) = rejected.next_if(|r| r.index == out.len()) {
            out.push(Err(Error::Decode(Box::new(r.error))));
        } else if let Some(item) = items.next() {
            out.push(Ok(item));
        } else if let Some(r) = rejected.next() {
            out.push(Err(Error::Decode(Box::new(r.error))));
        } else {
            return out;
        }
    }
}

/// A page, and its response's ids (for an error about the link it names).
async fn fetch_page<T: DeserializeOwned>(req: &Request) -> Result<(Page<T>, PageIds)> {
    let raw = req.execute().await?;
    if !raw.status.is_success() {
        return Err(req.service_error(&raw));
    }
    let ids = PageIds {
        request_id: header_str(&raw.headers, "request-id"),
        client_request_id: header_str(&raw.headers, "client-request-id")
            .or_else(|| raw.client_request_id.clone()),
    };
    let (p, rejected) = match req.decode::<RawPage<T>>(&raw) {
        Ok(p) => (p, Vec::new()),
        Err(whole) => match decode_items(req, &raw) {
            Some(parts) => parts,
            None => return Err(whole),
        },
    };
    let page = Page {
        items: p.value,
        next_link: p.next_link,
        delta_link: p.delta_link,
        count: p.count,
        context: p.context,
        rejected,
    };
    Ok((page, ids))
}

/// The slow path of a page that did not decode as a whole: each item on its
/// own, keeping those that decode and the others as received. `None` when
/// the page itself is malformed (not JSON, no `value` array).
fn decode_items<T: DeserializeOwned>(
    req: &Request,
    raw: &RawResponse,
) -> Option<(RawPage<T>, Vec<RejectedItem>)> {
    let page: RawPage<serde_json::Value> = serde_json::from_slice(&raw.body).ok()?;
    let mut items = Vec::with_capacity(page.value.len());
    let mut rejected = Vec::new();
    for (index, value) in page.value.into_iter().enumerate() {
        match T::deserialize(&value) {
            Ok(item) => items.push(item),
            Err(_) => {
                // Decoded again through the path-tracking decoder, for the
                // failing property's path (rare: this page already failed).
                let bytes = serde_json::to_vec(&value).unwrap_or_default();
                let (path, message) = match decode_json::<T>(&bytes) {
                    Err((path, message)) => (path, message),
                    Ok(_) => (".".to_string(), "does not decode".to_string()),
                };
                let inner = path.strip_prefix('.').unwrap_or(&path);
                let json_path = if inner.is_empty() || inner.starts_with('[') {
                    format!("value[{index}]{inner}")
                } else {
                    format!("value[{index}].{inner}")
                };
                let Error::Decode(error) = Error::decode_failure(
                    req.method().clone(),
                    req.template().to_string(),
                    raw,
                    json_path,
                    message,
                ) else {
                    continue;
                };
                tracing::warn!(index, json_path = %error.json_path, "page item kept undecoded: {}", error.message);
                rejected.push(RejectedItem {
                    index,
                    value,
                    error: *error,
                });
            }
        }
    }
    Some((
        RawPage {
            value: items,
            next_link: page.next_link,
            delta_link: page.delta_link,
            count: page.count,
            context: page.context,
        },
        rejected,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delta_round_keeps_its_delta_link() {
        let raw: RawPage<serde_json::Value> = serde_json::from_str(
            r#"{"value": [{"id": "1"}], "@odata.deltaLink": "https://graph.microsoft.com/beta/x/delta()?$deltatoken=abc"}"#,
        )
        .unwrap();
        assert_eq!(
            raw.delta_link.as_deref(),
            Some("https://graph.microsoft.com/beta/x/delta()?$deltatoken=abc")
        );
        assert!(raw.next_link.is_none());
    }
}
