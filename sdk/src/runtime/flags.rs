//! [`Flags`]: the value of an OData enum type marked `IsFlags`, several
//! members at once, written `"a,b"`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The wire form of an enum: implemented by every generated enum, so that
/// [`Flags`] of it can be read and written.
pub trait WireEnum: Sized {
    /// The member's name on the wire.
    fn as_wire(&self) -> &str;
    /// The member a wire name names; never fails (an unknown name is kept).
    fn from_wire(s: &str) -> Self;
}

/// The value of an `IsFlags` enum: its members, written as `"a,b"`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags<E>(pub Vec<E>);

impl<E: WireEnum> Serialize for Flags<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let parts: Vec<&str> = self.0.iter().map(WireEnum::as_wire).collect();
        serializer.serialize_str(&parts.join(","))
    }
}

impl<'de, E: WireEnum> Deserialize<'de> for Flags<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Ok(Flags(
            s.split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(E::from_wire)
                .collect(),
        ))
    }
}
