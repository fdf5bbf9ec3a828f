//! Not public API: the serde glue generated models share (so each model's
//! code stays small) and the macros generated code expands. Hidden from the
//! documentation in the manner of serde's `__private`; nothing here is
//! covered by semver.
//!
//! The re-exports of runtime types below keep the paths the generated
//! code of this version names (`crate::support::ListRequest`, ...) working;
//! the canonical paths are in [`crate::runtime`].

use std::borrow::Cow;
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize};

pub use crate::runtime::options::{self, AllOptions};
pub use crate::runtime::{
    CountRequest, EmptyRequest, Flags, ItemRequest, ListRequest, OptionalRequest, SendRequest,
};

// ---------------------------------------------------------------------------
// serde support for generated models

/// A JSON object key, borrowed from the input when possible, so decoding a
/// known property allocates nothing for its name.
pub struct Key<'de>(Cow<'de, str>);

impl<'de> Key<'de> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                v: &'de str,
            ) -> std::result::Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(
                self,
                v: &str,
            ) -> std::result::Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: serde::de::Error>(
                self,
                v: String,
            ) -> std::result::Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// Implemented by every generated struct: writes its fields into a map, so
/// that a polymorphic wrapper can add the derived type's `@odata.type`, and
/// reads one property at a time, so that a polymorphic wrapper can decode
/// straight into the variant `@odata.type` names.
pub trait ODataObject {
    /// The qualified OData type name.
    const ODATA_TYPE: &'static str;

    fn serialize_fields<M: serde::ser::SerializeMap>(
        &self,
        map: &mut M,
        default_type: Option<&str>,
    ) -> std::result::Result<(), M::Error>;

    /// Decodes the value of property `key` (the next value of `map`) into
    /// `self`: a known property, `@odata.type`, or an additional one.
    fn deserialize_field<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        key: Key<'de>,
        map: &mut A,
    ) -> std::result::Result<(), A::Error>;
}

/// Implemented by every generated `AnyX` enum (made by the `any_object!` macro): a value
/// of type X or of a type derived from it, chosen by `@odata.type`.
pub trait Polymorphic: Sized + Serialize {
    /// The qualified OData name of the base type.
    const BASE_TYPE: &'static str;

    /// An empty value of the variant `odata_type` (without `#`) names,
    /// compared case-insensitively; the base type's when it names none.
    fn for_type(odata_type: Option<&str>) -> Self;

    /// Sets the `@odata.type` the value carries.
    fn set_odata_type(&mut self, odata_type: Option<String>);

    /// [`ODataObject::deserialize_field`] of the variant.
    fn deserialize_field<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        key: Key<'de>,
        map: &mut A,
    ) -> std::result::Result<(), A::Error>;
}

/// Decodes an `AnyX` from a JSON object.
///
/// OData JSON puts control information such as `@odata.type` first, and
/// Graph does: the variant is then known after the first property and the
/// rest decodes straight into it. Otherwise (no `@odata.type`, or not first)
/// the object is buffered as a `serde_json::Map`, the variant chosen from its
/// `@odata.type`, and the buffer decoded into it; the result is the same. As
/// when buffering, the last of repeated `@odata.type` keys chooses.
pub fn deserialize_polymorphic<'de, D, T>(deserializer: D) -> std::result::Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Polymorphic,
{
    struct V<T>(PhantomData<T>);
    impl<'de, T: Polymorphic> serde::de::Visitor<'de> for V<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "a {} object", T::BASE_TYPE)
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> std::result::Result<T, A::Error> {
            use serde::de::Error as _;
            let Some(first) = map.next_key::<Key<'de>>()? else {
                return Ok(T::for_type(None));
            };
            let mut object = serde_json::Map::new();
            if first.as_str() == "@odata.type" {
                let odata_type: Option<String> = map.next_value()?;
                let mut out = T::for_type(odata_type.as_deref().map(odata_type_name));
                out.set_odata_type(odata_type);
                loop {
                    let Some(key) = map.next_key::<Key<'de>>()? else {
                        return Ok(out);
                    };
                    if key.as_str() == "@odata.type" {
                        // Repeated: buffer what was decoded so far (it
                        // encodes back losslessly) and choose again.
                        if let serde_json::Value::Object(o) =
                            serde_json::to_value(&out).map_err(A::Error::custom)?
                        {
                            object = o;
                        }
                        object.insert(key.into_string(), map.next_value()?);
                        break;
                    }
                    out.deserialize_field(key, &mut map)?;
                }
            } else {
                object.insert(first.into_string(), map.next_value()?);
            }
            while let Some(key) = map.next_key::<Key<'de>>()? {
                object.insert(key.into_string(), map.next_value()?);
            }
            from_buffer(object).map_err(A::Error::custom)
        }
    }
    deserializer.deserialize_map(V(PhantomData))
}

/// An `AnyX` from a whole buffered object.
fn from_buffer<T: Polymorphic>(
    object: serde_json::Map<String, serde_json::Value>,
) -> std::result::Result<T, serde_json::Error> {
    let kind = object
        .get("@odata.type")
        .and_then(serde_json::Value::as_str)
        .map(|t| odata_type_name(t).to_string());
    let mut out = T::for_type(kind.as_deref());
    let mut entries =
        serde::de::value::MapDeserializer::<_, serde_json::Error>::new(object.into_iter());
    while let Some(key) = serde::de::MapAccess::next_key::<Key<'_>>(&mut entries)? {
        out.deserialize_field(key, &mut entries)?;
    }
    Ok(out)
}

/// The constructor and serde implementations of a generated struct, from its
/// list of `"jsonName" => field: Type` entries (the generator writes the
/// setters, each with its field's documentation). Every generated struct has an `odata_type`
/// and an `additional_data` field; unknown properties land in the latter and
/// are written back, so a round trip loses nothing. Decoding matches keys
/// without allocating for known names (see [`Key`]).
macro_rules! odata_object {
    ($name:ident, $odata:literal, { $($json:literal => $field:ident : $ty:ty),* $(,)? }) => {
        impl $name {
            /// The qualified OData name of this type.
            pub const ODATA_TYPE: &'static str = $odata;

            /// An empty value: every property unset.
            pub fn new() -> Self {
                Self::default()
            }

        }

        impl crate::support::ODataObject for $name {
            const ODATA_TYPE: &'static str = $odata;

            fn serialize_fields<M: serde::ser::SerializeMap>(
                &self,
                map: &mut M,
                default_type: Option<&str>,
            ) -> Result<(), M::Error> {
                // A key in `additional_data` is sent from there, once: the
                // way to send a property as the caller has it.
                let extra = &self.additional_data;
                if let Some(t) = self.odata_type.as_deref().or(default_type)
                    && !crate::support::overridden(extra, "@odata.type")
                {
                    map.serialize_entry("@odata.type", t)?;
                }
                $(
                    if !self.$field.is_unset() && !crate::support::overridden(extra, $json) {
                        map.serialize_entry($json, &self.$field)?;
                    }
                )*
                for (k, v) in &self.additional_data {
                    map.serialize_entry(k, v)?;
                }
                Ok(())
            }

            fn deserialize_field<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                key: crate::support::Key<'de>,
                map: &mut A,
            ) -> Result<(), A::Error> {
                match key.as_str() {
                    "@odata.type" => crate::support::known_field(&mut self.odata_type, &mut self.additional_data, "@odata.type", map)?,
                    $( $json => crate::support::known_field(&mut self.$field, &mut self.additional_data, $json, map)?, )*
                    _ => {
                        self.additional_data.insert(key.into_string(), map.next_value()?);
                    }
                }
                Ok(())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                crate::support::ODataObject::serialize_fields(self, &mut map, None)?;
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(f, "a {} object", $odata)
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        let mut out = $name::default();
                        while let Some(key) = map.next_key::<crate::support::Key<'de>>()? {
                            crate::support::ODataObject::deserialize_field(&mut out, key, &mut map)?;
                        }
                        Ok(out)
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }
    };
}
pub(crate) use odata_object;

/// Everything of a generated `AnyX` enum but its definition: `Default` and
/// `From` conversions, `odata_type()`, and the serde implementations, from
/// the base variant, the base type's OData name and the derived variants'
/// `Variant => "qualified.name"` pairs. Variants are named after their types
/// (`crate::models::Variant`). Decoding streams into the variant when
/// `@odata.type` comes first (see [`deserialize_polymorphic`]).
macro_rules! any_object {
    ($any:ident, $base:ident, $base_odata:literal, { $($variant:ident => $odata:literal),* $(,)? }) => {
        impl Default for $any {
            fn default() -> Self {
                $any::$base($base::default())
            }
        }

        impl From<$base> for $any {
            fn from(v: $base) -> Self {
                $any::$base(v)
            }
        }

        $(
            impl From<crate::models::$variant> for $any {
                fn from(v: crate::models::$variant) -> Self {
                    $any::$variant(v)
                }
            }
        )*

        impl $any {
            /// The `@odata.type` this value carries or will be sent with.
            pub fn odata_type(&self) -> Option<&str> {
                match self {
                    $any::$base(v) => v.odata_type.as_deref(),
                    $( $any::$variant(v) => Some(v.odata_type.as_deref().unwrap_or(concat!("#", $odata))), )*
                }
            }
        }

        impl serde::Serialize for $any {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                match self {
                    $any::$base(v) => crate::support::ODataObject::serialize_fields(v, &mut map, None)?,
                    $( $any::$variant(v) => crate::support::ODataObject::serialize_fields(v, &mut map, Some(concat!("#", $odata)))?, )*
                }
                map.end()
            }
        }

        impl crate::support::Polymorphic for $any {
            const BASE_TYPE: &'static str = $base_odata;

            fn for_type(odata_type: Option<&str>) -> Self {
                match odata_type {
                    $( Some(k) if k.eq_ignore_ascii_case($odata) => $any::$variant(Default::default()), )*
                    _ => $any::$base(Default::default()),
                }
            }

            fn set_odata_type(&mut self, odata_type: Option<String>) {
                match self {
                    $any::$base(v) => v.odata_type = odata_type,
                    $( $any::$variant(v) => v.odata_type = odata_type, )*
                }
            }

            fn deserialize_field<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                key: crate::support::Key<'de>,
                map: &mut A,
            ) -> Result<(), A::Error> {
                match self {
                    $any::$base(v) => crate::support::ODataObject::deserialize_field(v, key, map),
                    $( $any::$variant(v) => crate::support::ODataObject::deserialize_field(v, key, map), )*
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $any {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::support::deserialize_polymorphic(deserializer)
            }
        }
    };
}
pub(crate) use any_object;

/// The methods and serde implementations of a generated forward-compatible
/// enum, from its `Variant => "wireName"` pairs. The enum itself (with its
/// docs and the `UnknownValue(String)` variant) is generated.
macro_rules! wire_enum {
    ($name:ident, $odata:literal, { $($variant:ident => $wire:literal),* $(,)? }) => {
        impl $name {
            /// The qualified OData name of this enum type.
            pub const ODATA_NAME: &'static str = $odata;
            /// Every member this version knows, in schema order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// The member's wire name.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::UnknownValue(s) => s,
                }
            }

            /// Decodes a wire name; never fails. Exact names first, then a
            /// case-insensitive match, else `UnknownValue`.
            pub fn from_wire(s: &str) -> Self {
                match s {
                    $( $wire => $name::$variant, )*
                    _ => Self::KNOWN
                        .iter()
                        .find(|k| k.as_str().eq_ignore_ascii_case(s))
                        .cloned()
                        .unwrap_or_else(|| $name::UnknownValue(s.to_string())),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from_wire(s))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = crate::support::Key::deserialize(deserializer)?;
                Ok(Self::from_wire(s.as_str()))
            }
        }

        impl crate::runtime::WireEnum for $name {
            fn as_wire(&self) -> &str {
                self.as_str()
            }
            fn from_wire(s: &str) -> Self {
                Self::from_wire(s)
            }
        }
    };
}
pub(crate) use wire_enum;

/// `microsoft.graph.x` from `#microsoft.graph.x` or `microsoft.graph.x`.
pub fn odata_type_name(t: &str) -> &str {
    t.strip_prefix('#').unwrap_or(t)
}

// ---------------------------------------------------------------------------
// request builders

/// The common part of a generated request builder (a struct with `client`
/// and `path` fields): its URL template, constructor, path accessor, and a
/// `Debug` that shows the template only (never a URL, which can hold user
/// names).
macro_rules! request_builder {
    ($name:ident, $template:literal) => {
        impl $name {
            /// The URL template this builder addresses.
            pub const TEMPLATE: &'static str = $template;

            pub(crate) fn new(
                client: crate::runtime::Client,
                path: crate::runtime::RequestPath,
            ) -> Self {
                Self { client, path }
            }

            /// The path this builder addresses, percent-encoded.
            pub fn path(&self) -> &crate::runtime::RequestPath {
                &self.path
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("template", &Self::TEMPLATE)
                    .finish()
            }
        }
    };
}
pub(crate) use request_builder;

/// One property of an edit's body: sent when set and different from the
/// fetched value (always, for a body built from nothing).
pub fn edit_entry<M: serde::ser::SerializeMap, T: serde::Serialize + PartialEq>(
    map: &mut M,
    key: &str,
    before: Option<&crate::runtime::Field<T>>,
    after: &crate::runtime::Field<T>,
) -> Result<(), M::Error> {
    if after.is_unset() || before.is_some_and(|b| b == after) {
        return Ok(());
    }
    map.serialize_entry(key, after)
}

/// Decodes the value of a known property into its field. In the lenient
/// pass of a single entity (`runtime::lenient`), a value that does not
/// decode is kept as received in `extra` under its name, and the field
/// stays unset.
pub fn known_field<'de, A, T>(
    field: &mut T,
    extra: &mut serde_json::Map<String, serde_json::Value>,
    key: &str,
    map: &mut A,
) -> Result<(), A::Error>
where
    A: serde::de::MapAccess<'de>,
    T: serde::de::DeserializeOwned,
{
    if !crate::runtime::lenient::active() {
        *field = map.next_value()?;
        return Ok(());
    }
    let raw: serde_json::Value = map.next_value()?;
    match T::deserialize(&raw) {
        Ok(value) => *field = value,
        Err(e) => {
            crate::runtime::lenient::reject(key, e);
            extra.insert(key.to_string(), raw);
        }
    }
    Ok(())
}

/// Whether `key` is in `extra` and so sent from there: a JSON object names
/// each key once, and a body that says `status` twice leaves the service to
/// pick one. The empty check first keeps the common case to one load.
pub fn overridden(extra: &serde_json::Map<String, serde_json::Value>, key: &str) -> bool {
    !extra.is_empty() && extra.contains_key(key)
}

/// Whether an edit sends the `additional_data` entry `key`: it was added
/// or changed.
pub fn additional_changed(
    before: Option<&serde_json::Map<String, serde_json::Value>>,
    after: &serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> bool {
    !after.is_empty()
        && after
            .get(key)
            .is_some_and(|v| before.and_then(|b| b.get(key)) != Some(v))
}

/// The unknown properties of an edit's body: those added or changed, and
/// `null` for those removed, except those insisted on (sent as insisted).
/// An entry named like a known property (`known`) that was removed sends
/// no `null`: the typed field speaks for that name, and a `null` would clear
/// the property.
pub fn edit_additional<M: serde::ser::SerializeMap>(
    map: &mut M,
    before: Option<&serde_json::Map<String, serde_json::Value>>,
    after: &serde_json::Map<String, serde_json::Value>,
    insisted: &serde_json::Map<String, serde_json::Value>,
    known: &[&str],
) -> Result<(), M::Error> {
    for (k, v) in after {
        if before.and_then(|b| b.get(k)) != Some(v) && !overridden(insisted, k) {
            map.serialize_entry(k, v)?;
        }
    }
    if let Some(before) = before {
        for k in before.keys().filter(|k| {
            !after.contains_key(*k) && !overridden(insisted, k) && !known.contains(&k.as_str())
        }) {
            map.serialize_entry(k, &serde_json::Value::Null)?;
        }
    }
    Ok(())
}

/// A create body checked for the properties the service sets itself: with
/// `refused` set, serialising fails, so the request is refused as
/// `Error::InvalidRequest` before anything is sent. A caller who insists
/// puts the property in `additional_data` instead.
pub struct CreateBody<'a, T> {
    pub body: &'a T,
    /// `(property, why it is read-only)`.
    pub refused: Option<(&'static str, &'static str)>,
}

impl<T: serde::Serialize> serde::Serialize for CreateBody<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.refused {
            Some((property, why)) => Err(serde::ser::Error::custom(format!(
                "`{property}` is read-only ({why}): the service sets it; to send it anyway, put it in \
                 `additional_data`"
            ))),
            None => self.body.serialize(serializer),
        }
    }
}

/// What every generated edit has besides its struct and setters: `X::edit()`,
/// `new`, `current`, `additional_data_mut`, `insist`, `is_empty`,
/// `READ_ONLY` and the serialisation that sends only what changed. The
/// first table lists the properties an edit may change, the second the
/// read-only ones with why; `sent`/`not_sent` says whether `@odata.type`
/// goes with the changes (the service needs it to pick a derived type).
macro_rules! edit_object {
    ($edit:ident, $target:ident, $odata_type:ident,
     { $( $json:literal => $field:ident ),* $(,)? },
     { $( $ro:literal => $why:literal ),* $(,)? }) => {
        impl $edit {
            /// Every property an edit may not change, with the metadata or
            /// documentation fact that makes it read-only.
            pub const READ_ONLY: &'static [(&'static str, &'static str)] = &[$( ($ro, $why) ),*];
        }

        impl serde::Serialize for $edit {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let base = self.base.as_deref();
                let mut map = serializer.serialize_map(None)?;
                // Each key is sent once: what was insisted on wins over an
                // `additional_data` entry added or changed, which wins over
                // the typed field.
                let before_extra = base.map(|b| &b.additional_data);
                let extra = &self.current.additional_data;
                let sent_elsewhere = |key: &str| {
                    crate::support::overridden(&self.insisted, key)
                        || crate::support::additional_changed(before_extra, extra, key)
                };
                crate::support::edit_object!(@odata_type $odata_type, self, map, sent_elsewhere);
                $(
                    if !sent_elsewhere($json) {
                        crate::support::edit_entry(&mut map, $json, base.map(|b| &b.$field), &self.current.$field)?;
                    }
                )*
                crate::support::edit_additional(&mut map, before_extra, extra, &self.insisted, &["@odata.type", $($json),*])?;
                for (k, v) in &self.insisted {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }

        impl $target {
            /// Starts an edit of this value: change what should change, and pass the edit to `patch`.
            /// Only the properties that then differ from this value are sent.
            pub fn edit(&self) -> $edit {
                $edit {
                    base: Some(Box::new(self.clone())),
                    current: self.clone(),
                    insisted: serde_json::Map::new(),
                }
            }
        }

        impl $edit {
            /// A body built from nothing: only what is set is sent.
            pub fn new() -> Self {
                Self::default()
            }

            /// The value as edited so far.
            pub fn current(&self) -> &$target {
                &self.current
            }

            /// Properties this SDK version does not know: a key added, changed
            /// or removed here is sent (a removed one as `null`).
            pub fn additional_data_mut(
                &mut self,
            ) -> &mut serde_json::Map<String, serde_json::Value> {
                &mut self.current.additional_data
            }

            /// Sends `name` with `value` whatever this SDK knows of it: for a
            /// property it holds read-only when the service accepts it after all.
            /// It replaces a typed change or an `additional_data` entry of the
            /// same name: each key is sent once.
            pub fn insist(mut self, name: impl Into<String>, value: serde_json::Value) -> Self {
                self.insisted.insert(name.into(), value);
                self
            }

            /// Whether the edit would send nothing.
            pub fn is_empty(&self) -> bool {
                serde_json::to_value(self)
                    .is_ok_and(|v| v.as_object().is_some_and(|m| m.is_empty()))
            }
        }
    };
    (@odata_type sent, $self:ident, $map:ident, $sent_elsewhere:ident) => {
        if let Some(t) = &$self.current.odata_type
            && !$sent_elsewhere("@odata.type")
        {
            $map.serialize_entry("@odata.type", t)?;
        }
    };
    (@odata_type not_sent, $self:ident, $map:ident, $sent_elsewhere:ident) => {
        // An edit with no settable property reads the closure nowhere else.
        let _ = &$sent_elsewhere;
    };
}
pub(crate) use edit_object;

/// What every generated per-request error enum has besides its variants and
/// matching table: `error()`, `into_error()`, `Display` and `Error`.
macro_rules! documented_error {
    ($name:ident, { $($variant:ident),* $(,)? }) => {
        impl $name {
            /// The SDK error behind the case: status, Graph code and message, request ids.
            pub fn error(&self) -> &crate::runtime::Error {
                match self {
                    $( $name::$variant { error, .. } => error, )*
                    $name::Other(error) => error,
                }
            }

            /// The SDK error behind the case, by value.
            pub fn into_error(self) -> crate::runtime::Error {
                match self {
                    $( $name::$variant { error, .. } => error, )*
                    $name::Other(error) => error,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(self.error(), f)
            }
        }

        impl std::error::Error for $name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(self.error())
            }
        }
    };
}
pub(crate) use documented_error;

/// The builder-style setters of a generated struct, each with its docs:
/// `with_x(impl Into<T>)`, and `with_x_null()` for a nullable field.
macro_rules! setters {
    ($name:ident, { $( $(#[$doc:meta])* $json:literal => $field:ident : $ty:ty => $setter:ident $( / $(#[$ndoc:meta])* $null:ident )? ),* $(,)? }) => {
        impl $name {
            $(
                $(#[$doc])*
                pub fn $setter(mut self, value: impl Into<$ty>) -> Self {
                    self.$field = crate::runtime::Field::Set(value.into());
                    self
                }
                $(
                    $(#[$ndoc])*
                    pub fn $null(mut self) -> Self {
                        self.$field = crate::runtime::Field::Null;
                        self
                    }
                )?
            )*
        }
    };
}
pub(crate) use setters;

/// The setters of a generated edit: the same, on the edited value.
macro_rules! edit_setters {
    ($name:ident, { $( $(#[$doc:meta])* $json:literal => $field:ident : $ty:ty => $setter:ident $( / $(#[$ndoc:meta])* $null:ident )? ),* $(,)? }) => {
        impl $name {
            $(
                $(#[$doc])*
                pub fn $setter(mut self, value: impl Into<$ty>) -> Self {
                    self.current.$field = crate::runtime::Field::Set(value.into());
                    self
                }
                $(
                    $(#[$ndoc])*
                    pub fn $null(mut self) -> Self {
                        self.current.$field = crate::runtime::Field::Null;
                        self
                    }
                )?
            )*
        }
    };
}
pub(crate) use edit_setters;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::SharePointMigrationTaskStatus as Status;

    #[test]
    fn flags_encode_as_comma_list_and_keep_unknown_members() {
        let f: Flags<Status> = serde_json::from_str("\"notStarted, completed,someday\"").unwrap();
        assert_eq!(
            f.0,
            vec![
                Status::NotStarted,
                Status::Completed,
                Status::UnknownValue("someday".into())
            ]
        );
        assert_eq!(
            serde_json::to_string(&f).unwrap(),
            "\"notStarted,completed,someday\""
        );
    }

    #[test]
    fn escaped_keys_are_decoded_and_unknown_keys_kept() {
        // `\u0069d` is `id` written with an escape: serde_json cannot borrow it.
        let v: crate::models::SharePointMigrationTask =
            serde_json::from_str(r#"{"\u0069d":"x","n\u0065w":1}"#).unwrap();
        assert_eq!(v.id.get().map(String::as_str), Some("x"));
        assert_eq!(v.additional_data["new"], 1);
    }

    #[test]
    fn odata_type_name_strips_the_hash() {
        assert_eq!(odata_type_name("#microsoft.graph.x"), "microsoft.graph.x");
        assert_eq!(odata_type_name("microsoft.graph.x"), "microsoft.graph.x");
    }
}
