//! The typed requests generated builders return: [`ItemRequest`],
//! [`ListRequest`], [`SendRequest`], [`OptionalRequest`], [`EmptyRequest`]
//! and [`CountRequest`]. Each wraps a [`Request`] and knows what its response
//! decodes into; await it, or call `send`.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use serde::de::DeserializeOwned;

use super::error::Result;
use super::options::{self, AllOptions};
use super::paging::{Items, Page, Pager, Pages};
use super::request::Request;

type BoxFuture<T> = Pin<Box<dyn Future<Output = Result<T>> + Send>>;

/// A `GET` request type with `$select` and `$expand` (where the options
/// type allows them) and extra headers.
macro_rules! query_request {
    ($(#[$meta:meta])* $ty:ident) => {
        $(#[$meta])*
        pub struct $ty<T, O = AllOptions> {
            request: Request,
            _t: PhantomData<fn() -> (T, O)>,
        }

        impl<T, O> std::fmt::Debug for $ty<T, O> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(stringify!($ty)).field(&self.request).finish()
            }
        }

        impl<T, O> $ty<T, O> {
            /// Wraps `request`, whose response decodes into `T`.
            pub fn new(request: Request) -> Self {
                $ty {
                    request,
                    _t: PhantomData,
                }
            }

            fn with(self, f: impl FnOnce(Request) -> Request) -> Self {
                Self::new(f(self.request))
            }

            /// Adds a request header (e.g. `Prefer`, `ConsistencyLevel`).
            pub fn header(self, name: &str, value: impl Into<String>) -> Self {
                self.with(|r| r.header(name, value))
            }

            /// The untyped request.
            pub fn into_request(self) -> Request {
                self.request
            }
        }

        impl<T, O: options::Select> $ty<T, O> {
            /// `$select`: only these properties.
            pub fn select<I, S>(self, properties: I) -> Self
            where
                I: IntoIterator<Item = S>,
                S: AsRef<str>,
            {
                self.with(|r| r.query("$select", comma_list(properties)))
            }
        }

        impl<T, O: options::Expand> $ty<T, O> {
            /// `$expand`: include these navigation properties.
            pub fn expand<I, S>(self, properties: I) -> Self
            where
                I: IntoIterator<Item = S>,
                S: AsRef<str>,
            {
                self.with(|r| r.query("$expand", comma_list(properties)))
            }
        }
    };
}

fn comma_list<I, S>(items: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    items
        .into_iter()
        .map(|s| s.as_ref().to_string())
        .collect::<Vec<_>>()
        .join(",")
}

query_request!(
    /// `GET` of one entity (or a function result). Await it, or call `send`.
    ItemRequest
);

impl<T: DeserializeOwned + Send + 'static, O> ItemRequest<T, O> {
    /// Sends the request and decodes the entity.
    pub async fn send(self) -> Result<T> {
        self.request.send().await
    }
}

impl<T: DeserializeOwned + Send + 'static, O> IntoFuture for ItemRequest<T, O> {
    type Output = Result<T>;
    type IntoFuture = BoxFuture<T>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.request.send())
    }
}

query_request!(
    /// `GET` of a collection: query options, then `send` (or `.await`) for
    /// the first page, or [`items`](ListRequest::items) /
    /// [`pages`](ListRequest::pages) for a stream that follows `@odata.nextLink`.
    ListRequest
);

impl<T, O: options::Filter> ListRequest<T, O> {
    /// `$filter`, e.g. `status eq 'completed'`.
    pub fn filter(self, expression: impl Into<String>) -> Self {
        self.with(|r| r.query("$filter", expression))
    }
}

impl<T, O: options::OrderBy> ListRequest<T, O> {
    /// `$orderby`, e.g. `createdDateTime desc`.
    pub fn orderby(self, expression: impl Into<String>) -> Self {
        self.with(|r| r.query("$orderby", expression))
    }
}

impl<T, O: options::Top> ListRequest<T, O> {
    /// `$top`: at most this many items per page.
    pub fn top(self, n: u32) -> Self {
        self.with(|r| r.query("$top", n.to_string()))
    }
}

impl<T, O: options::Skip> ListRequest<T, O> {
    /// `$skip`: leave out this many items.
    pub fn skip(self, n: u32) -> Self {
        self.with(|r| r.query("$skip", n.to_string()))
    }
}

impl<T, O: options::Search> ListRequest<T, O> {
    /// `$search`: a search expression.
    pub fn search(self, expression: impl Into<String>) -> Self {
        self.with(|r| r.query("$search", expression))
    }
}

impl<T, O: options::Count> ListRequest<T, O> {
    /// `$count=true`: pages carry `@odata.count`.
    pub fn count(self, on: bool) -> Self {
        self.with(|r| r.query("$count", on.to_string()))
    }
}

impl<T: DeserializeOwned + Send + 'static, O> ListRequest<T, O> {
    /// The pager, to stream items or pages (and to stop after some pages).
    pub fn pager(self) -> Pager<T> {
        self.request.pager()
    }

    /// Every item of every page, following `@odata.nextLink` on the same origin only.
    pub fn items(self) -> Items<T> {
        self.pager().items()
    }

    /// Every page, following `@odata.nextLink` on the same origin only.
    pub fn pages(self) -> Pages<T> {
        self.pager().pages()
    }

    /// All items of all pages, collected.
    pub async fn collect_all(self) -> Result<Vec<T>> {
        self.pager().collect_all().await
    }

    /// The first page only; its [`Page::next_link`] leads to the next.
    pub async fn send(self) -> Result<Page<T>> {
        use futures::TryStreamExt as _;
        let mut pages = self.pager().max_pages(1).pages();
        Ok(pages.try_next().await?.unwrap_or_default())
    }
}

impl<T: DeserializeOwned + Send + 'static, O: 'static> IntoFuture for ListRequest<T, O> {
    type Output = Result<Page<T>>;
    type IntoFuture = BoxFuture<Page<T>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

macro_rules! simple_request {
    ($(#[$doc:meta])* $name:ident<$t:ident>, $output:ty, $send:ident) => {
        $(#[$doc])*
        pub struct $name<$t> {
            request: Request,
            _t: PhantomData<fn() -> $t>,
        }

        impl<$t> std::fmt::Debug for $name<$t> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.request).finish()
            }
        }

        impl<$t> $name<$t> {
            /// Wraps `request`, whose response decodes into `T`.
            pub fn new(request: Request) -> Self {
                $name { request, _t: PhantomData }
            }

            /// Adds a request header.
            pub fn header(self, name: &str, value: impl Into<String>) -> Self {
                Self::new(self.request.header(name, value))
            }

            /// The untyped request.
            pub fn into_request(self) -> Request {
                self.request
            }
        }

        impl<$t: DeserializeOwned + Send + 'static> $name<$t> {
            /// Sends the request and decodes the response.
            pub async fn send(self) -> Result<$output> {
                self.request.$send().await
            }
        }

        impl<$t: DeserializeOwned + Send + 'static> IntoFuture for $name<$t> {
            type Output = Result<$output>;
            type IntoFuture = BoxFuture<$output>;
            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.request.$send())
            }
        }
    };
}

simple_request!(
    /// `POST` returning a value (create, actions).
    SendRequest<T>, T, send
);
simple_request!(
    /// `PATCH`: the service answers `204 No Content` (`None`) or the updated value.
    OptionalRequest<T>, Option<T>, send_optional
);

/// A request whose response body is ignored (`DELETE`, actions without a result).
#[derive(Debug)]
pub struct EmptyRequest {
    request: Request,
}

impl EmptyRequest {
    /// Wraps `request`.
    pub fn new(request: Request) -> Self {
        EmptyRequest { request }
    }

    /// Adds a request header.
    pub fn header(self, name: &str, value: impl Into<String>) -> Self {
        Self::new(self.request.header(name, value))
    }

    /// The untyped request.
    pub fn into_request(self) -> Request {
        self.request
    }

    /// Sends the request; any 2xx is success.
    pub async fn send(self) -> Result<()> {
        self.request.send_empty().await
    }
}

impl IntoFuture for EmptyRequest {
    type Output = Result<()>;
    type IntoFuture = BoxFuture<()>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.request.send_empty())
    }
}

/// `GET .../$count`.
#[derive(Debug)]
pub struct CountRequest {
    request: Request,
}

impl CountRequest {
    /// Wraps `request`, whose response is a `text/plain` count.
    pub fn new(request: Request) -> Self {
        CountRequest { request }
    }

    /// `$filter` applied before counting.
    pub fn filter(self, expression: impl Into<String>) -> Self {
        Self::new(self.request.query("$filter", expression))
    }

    /// `$search` applied before counting.
    pub fn search(self, expression: impl Into<String>) -> Self {
        Self::new(self.request.query("$search", expression))
    }

    /// The untyped request.
    pub fn into_request(self) -> Request {
        self.request
    }

    /// Sends the request and parses the count.
    pub async fn send(self) -> Result<u64> {
        self.request.send_count().await
    }
}

impl IntoFuture for CountRequest {
    type Output = Result<u64>;
    type IntoFuture = BoxFuture<u64>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.request.send_count())
    }
}
