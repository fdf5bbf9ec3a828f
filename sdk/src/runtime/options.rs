//! Which query options a request offers. A request type offers an option
//! (`select`, `filter`, `top`, ...) only when its options type implements the
//! matching marker trait. Generated builders use [`AllOptions`] unless the
//! metadata's capability annotations restrict something.

/// `$select` is allowed.
pub trait Select {}
/// `$expand` is allowed.
pub trait Expand {}
/// `$filter` is allowed.
pub trait Filter {}
/// `$orderby` is allowed.
pub trait OrderBy {}
/// `$top` is allowed.
pub trait Top {}
/// `$skip` is allowed.
pub trait Skip {}
/// `$search` is allowed.
pub trait Search {}
/// `$count` is allowed.
pub trait Count {}

/// Every query option allowed (the metadata says nothing to the contrary).
#[derive(Clone, Copy, Debug)]
pub struct AllOptions;
impl Select for AllOptions {}
impl Expand for AllOptions {}
impl Filter for AllOptions {}
impl OrderBy for AllOptions {}
impl Top for AllOptions {}
impl Skip for AllOptions {}
impl Search for AllOptions {}
impl Count for AllOptions {}
