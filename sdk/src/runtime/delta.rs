//! OData delta updates (`PATCH` of a collection with a `#$delta` payload), as
//! used by `crossOrganizationUserMappings` / `crossOrganizationGroupMappings`.
//!
//! ```json
//! { "@context": "#$delta",
//!   "value": [ { ...upserted entity... },
//!              { "@removed": { "reason": "deleted" }, ...key fields... } ] }
//! ```

use std::ops::Range;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize, Serializer};

use super::client::Client;
use super::error::{Error, Result};
use super::path::RequestPath;

/// The most items Graph accepts in one delta payload.
pub const MAX_DELTA_CHUNK: usize = 50;

/// Why an entity is removed (`@removed.reason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum RemovedReason {
    /// `"deleted"`: the entity is deleted.
    #[default]
    Deleted,
    /// `"changed"`: removed from the collection, not deleted.
    Changed,
}

impl RemovedReason {
    /// The value of the `@removed` annotation's `reason`.
    pub fn as_str(self) -> &'static str {
        match self {
            RemovedReason::Deleted => "deleted",
            RemovedReason::Changed => "changed",
        }
    }
}

/// One change in a delta payload.
#[derive(Clone, Debug, PartialEq)]
pub enum DeltaChange<T> {
    /// Add or update: the entity is sent as is.
    Upsert(T),
    /// Remove: the entity (typically only its key fields are set) is sent with
    /// an `@removed` annotation.
    Remove {
        /// The entity removed (its key fields at least).
        item: T,
        /// Why it is removed.
        reason: RemovedReason,
    },
}

impl<T> DeltaChange<T> {
    /// A removal with reason `deleted`.
    pub fn remove(item: T) -> Self {
        DeltaChange::Remove {
            item,
            reason: RemovedReason::Deleted,
        }
    }
    /// The entity.
    pub fn item(&self) -> &T {
        match self {
            DeltaChange::Upsert(t) | DeltaChange::Remove { item: t, .. } => t,
        }
    }
    /// Whether this is a removal.
    pub fn is_remove(&self) -> bool {
        matches!(self, DeltaChange::Remove { .. })
    }
}

impl<T: Serialize> Serialize for DeltaChange<T> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        SentChange {
            change: self,
            not_sent: &[],
        }
        .serialize(s)
    }
}

/// A change as sent: without the properties the update may not carry.
struct SentChange<'a, T> {
    change: &'a DeltaChange<T>,
    not_sent: &'a [&'a str],
}

impl<T: Serialize> Serialize for SentChange<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::Error as _;
        use serde::ser::SerializeMap as _;
        let v = serde_json::to_value(self.change.item()).map_err(S::Error::custom)?;
        let serde_json::Value::Object(map) = v else {
            return Err(S::Error::custom(
                "a delta item must serialise to a JSON object",
            ));
        };
        // An item read back from a delta response (`returned_items`) may
        // carry `@removed` among its unknown properties: sent again as it is,
        // an upsert would read as a removal, and a removal would say
        // `@removed` twice. The change says which it is.
        // A fetched item carries what the service set (`deleted` on an
        // identity mapping): sent back, the update would carry properties
        // its documented body does not have.
        let rest = map.iter().filter(|(k, _)| {
            *k != "@odata.type" && *k != "@removed" && !self.not_sent.contains(&k.as_str())
        });
        match self.change {
            DeltaChange::Upsert(_) => {
                let mut m = s.serialize_map(None)?;
                if let Some(t) = map.get("@odata.type") {
                    m.serialize_entry("@odata.type", t)?;
                }
                for (k, v) in rest {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
            DeltaChange::Remove { reason, .. } => {
                // "@odata.type" first when present, then "@removed", then the rest.
                let mut m = s.serialize_map(None)?;
                if let Some(t) = map.get("@odata.type") {
                    m.serialize_entry("@odata.type", t)?;
                }
                m.serialize_entry(
                    "@removed",
                    &serde_json::json!({ "reason": reason.as_str() }),
                )?;
                for (k, v) in rest {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }
    }
}

/// The request body of a delta update.
#[derive(Debug)]
pub struct DeltaPayload<'a, T> {
    /// The `@context` annotation, `#$delta`.
    pub context: &'static str,
    /// The changes, in order.
    pub value: &'a [DeltaChange<T>],
    /// Properties left out of every item ([`DeltaOptions::not_sent`]).
    pub not_sent: &'a [&'a str],
}

impl<'a, T> DeltaPayload<'a, T> {
    /// A delta body of `value`, items sent whole.
    pub fn new(value: &'a [DeltaChange<T>]) -> Self {
        Self {
            context: "#$delta",
            value,
            not_sent: &[],
        }
    }

    /// The same body with `properties` left out of every item.
    pub fn not_sending(self, properties: &'a [&'a str]) -> Self {
        Self {
            not_sent: properties,
            ..self
        }
    }
}

impl<T: Serialize> Serialize for DeltaPayload<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        struct Items<'b, T>(&'b [DeltaChange<T>], &'b [&'b str]);
        impl<T: Serialize> Serialize for Items<'_, T> {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.collect_seq(self.0.iter().map(|change| SentChange {
                    change,
                    not_sent: self.1,
                }))
            }
        }
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("@context", self.context)?;
        m.serialize_entry("value", &Items(self.value, self.not_sent))?;
        m.end()
    }
}

#[derive(Deserialize)]
#[serde(bound = "R: DeserializeOwned")]
struct Collection<R> {
    #[serde(default = "Vec::new")]
    value: Vec<R>,
}

/// The outcome of one chunk.
#[derive(Debug)]
pub struct ChunkResult<R> {
    /// Indices into the changes given to [`delta_update`].
    pub range: Range<usize>,
    /// The items the service returned, or the error. `Ok` whenever the
    /// service accepted the chunk (2xx): its changes are applied.
    pub result: Result<Vec<R>>,
    /// The chunk was applied, but what the service returned could not be
    /// read (an item with a malformed value): the changes are not sent again
    /// by [`DeltaReport::remaining`], and the returned items are missing.
    pub returned_error: Option<Error>,
}

/// Per-chunk results of a [`delta_update`]; resume with [`DeltaReport::remaining`].
#[derive(Debug)]
pub struct DeltaReport<T, R> {
    changes: Vec<DeltaChange<T>>,
    /// One entry per chunk that was sent, in order.
    pub chunks: Vec<ChunkResult<R>>,
}

impl<T, R> DeltaReport<T, R> {
    /// Whether every change was applied.
    pub fn is_complete(&self) -> bool {
        self.applied_count() == self.changes.len()
    }

    /// How many changes were applied.
    pub fn applied_count(&self) -> usize {
        self.chunks
            .iter()
            .filter(|c| c.result.is_ok())
            .map(|c| c.range.len())
            .sum()
    }

    fn applied(&self, i: usize) -> bool {
        self.chunks
            .iter()
            .any(|c| c.result.is_ok() && c.range.contains(&i))
    }

    /// The changes not applied (failed or not attempted), in their original
    /// order: pass them to [`delta_update`] again to resume.
    pub fn remaining(&self) -> Vec<&DeltaChange<T>> {
        (0..self.changes.len())
            .filter(|i| !self.applied(*i))
            .map(|i| &self.changes[i])
            .collect()
    }

    /// Owned version of [`Self::remaining`].
    pub fn into_remaining(self) -> Vec<DeltaChange<T>> {
        let applied: Vec<bool> = (0..self.changes.len()).map(|i| self.applied(i)).collect();
        self.changes
            .into_iter()
            .zip(applied)
            .filter(|(_, a)| !a)
            .map(|(c, _)| c)
            .collect()
    }

    /// The first error, if any chunk failed.
    pub fn first_error(&self) -> Option<&Error> {
        self.chunks.iter().find_map(|c| c.result.as_ref().err())
    }

    /// Items returned by all successful chunks.
    pub fn returned_items(&self) -> impl Iterator<Item = &R> {
        self.chunks
            .iter()
            .filter_map(|c| c.result.as_ref().ok())
            .flatten()
    }

    /// The changes that were submitted.
    pub fn changes(&self) -> &[DeltaChange<T>] {
        &self.changes
    }
}

/// Options for [`delta_update_with`].
#[derive(Clone, Copy, Debug)]
pub struct DeltaOptions {
    /// Items per PATCH (1..=50).
    pub chunk_size: usize,
    /// Stop at the first failed chunk (default true: later changes may depend
    /// on earlier ones). When false every chunk is attempted.
    pub stop_on_error: bool,
    /// Properties never sent in an item, whatever it holds: those the update
    /// may not carry, such as what the service sets. The generated
    /// `delta_update` methods pass their type's list; default none.
    pub not_sent: &'static [&'static str],
}

impl Default for DeltaOptions {
    fn default() -> Self {
        Self {
            chunk_size: MAX_DELTA_CHUNK,
            stop_on_error: true,
            not_sent: &[],
        }
    }
}

/// PATCH `path` with the changes in chunks of `chunk_size` (1..=50), stopping
/// at the first failed chunk. Returns `Err` only when `chunk_size` is out of
/// range; request failures are in the report.
pub async fn delta_update<T, R>(
    client: &Client,
    path: RequestPath,
    changes: Vec<DeltaChange<T>>,
    chunk_size: usize,
) -> Result<DeltaReport<T, R>>
where
    T: Serialize,
    R: DeserializeOwned,
{
    delta_update_with(
        client,
        path,
        changes,
        DeltaOptions {
            chunk_size,
            ..DeltaOptions::default()
        },
    )
    .await
}

/// [`delta_update`] with options.
///
/// The report exists only once the call returns: a future dropped part-way
/// (a timeout, Ctrl-C, the other branch of a `select!`) leaves no record of
/// the chunks already applied, and sending everything again repeats them
/// (removals then fail). To checkpoint a long run, call it with a bounded
/// number of changes at a time, a few chunks' worth, and keep each report.
pub async fn delta_update_with<T, R>(
    client: &Client,
    path: RequestPath,
    changes: Vec<DeltaChange<T>>,
    options: DeltaOptions,
) -> Result<DeltaReport<T, R>>
where
    T: Serialize,
    R: DeserializeOwned,
{
    if options.chunk_size == 0 || options.chunk_size > MAX_DELTA_CHUNK {
        return Err(Error::InvalidRequest(format!(
            "delta chunk size must be between 1 and {MAX_DELTA_CHUNK}, got {}",
            options.chunk_size
        )));
    }
    let mut chunks = Vec::new();
    let mut start = 0;
    while start < changes.len() {
        let end = (start + options.chunk_size).min(changes.len());
        let slice = &changes[start..end];
        let request = client
            .request(http::Method::PATCH, path.clone())
            .json(&DeltaPayload::new(slice).not_sending(options.not_sent));
        // A 2xx applied the chunk whatever its body says: a body that
        // cannot be read must not send the changes again.
        let (result, returned_error) = match request.execute_success().await {
            // A 2xx whose body was cut off: applied all the same.
            Err(e) if e.status().is_some_and(|s| s.is_success()) => (Ok(Vec::new()), Some(e)),
            Err(e) => (Err(e), None),
            Ok(raw)
                if raw.status == http::StatusCode::NO_CONTENT
                    || raw.body.iter().all(u8::is_ascii_whitespace) =>
            {
                (Ok(Vec::new()), None)
            }
            Ok(raw) => match request.decode::<Collection<R>>(&raw) {
                Ok(c) => (Ok(c.value), None),
                Err(e) => (Ok(Vec::new()), Some(e)),
            },
        };
        let failed = result.is_err();
        tracing::debug!(from = start, to = end, ok = !failed, "delta chunk");
        chunks.push(ChunkResult {
            range: start..end,
            result,
            returned_error,
        });
        if failed && options.stop_on_error {
            break;
        }
        start = end;
    }
    Ok(DeltaReport { changes, chunks })
}
