//! [`Field`]: the tri-state value behind every generated model property.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A model property that is either absent ([`Field::Unset`]), explicitly `null`
/// ([`Field::Null`]) or present ([`Field::Set`]).
///
/// * Reading never fails because a property is missing: generated models use
///   `#[serde(default, skip_serializing_if = "Field::is_unset")]`, so a missing
///   property is `Unset`, `null` is `Null` and a value is `Set`.
/// * A PATCH body built from a model sends exactly what the caller set: `Unset`
///   properties are skipped, `Null` is sent as an explicit JSON `null`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field<T> {
    /// Not present in the JSON (and not sent).
    #[default]
    Unset,
    /// Present as JSON `null` (sent as `null`).
    Null,
    /// Present with a value.
    Set(T),
}

impl<T> Field<T> {
    /// `true` when the property was absent / will not be sent.
    pub fn is_unset(&self) -> bool {
        matches!(self, Field::Unset)
    }

    /// `true` when the property is an explicit `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }

    /// `true` when the property holds a value.
    pub fn is_set(&self) -> bool {
        matches!(self, Field::Set(_))
    }

    /// The value, if set.
    pub fn get(&self) -> Option<&T> {
        match self {
            Field::Set(v) => Some(v),
            _ => None,
        }
    }

    /// Mutable access to the value, if set.
    pub fn get_mut(&mut self) -> Option<&mut T> {
        match self {
            Field::Set(v) => Some(v),
            _ => None,
        }
    }

    /// Borrow the value, keeping the state.
    pub fn as_ref(&self) -> Field<&T> {
        match self {
            Field::Unset => Field::Unset,
            Field::Null => Field::Null,
            Field::Set(v) => Field::Set(v),
        }
    }

    /// Mutably borrow the value, keeping the state.
    pub fn as_mut(&mut self) -> Field<&mut T> {
        match self {
            Field::Unset => Field::Unset,
            Field::Null => Field::Null,
            Field::Set(v) => Field::Set(v),
        }
    }

    /// The value, if set (`Unset` and `Null` both give `None`).
    pub fn into_option(self) -> Option<T> {
        match self {
            Field::Set(v) => Some(v),
            _ => None,
        }
    }

    /// Map the value, keeping `Unset` and `Null`.
    pub fn map<U, F: FnOnce(T) -> U>(self, f: F) -> Field<U> {
        match self {
            Field::Unset => Field::Unset,
            Field::Null => Field::Null,
            Field::Set(v) => Field::Set(f(v)),
        }
    }

    /// Take the field out, leaving `Unset` in its place.
    pub fn take(&mut self) -> Field<T> {
        std::mem::take(self)
    }

    /// Replace the field with `Set(value)`, returning the previous state.
    pub fn set(&mut self, value: T) -> Field<T> {
        std::mem::replace(self, Field::Set(value))
    }

    /// The value or a default.
    pub fn unwrap_or(self, default: T) -> T {
        self.into_option().unwrap_or(default)
    }

    /// The value or `T::default()`.
    pub fn unwrap_or_default(self) -> T
    where
        T: Default,
    {
        self.into_option().unwrap_or_default()
    }

    /// Borrow through `Deref` (e.g. `Field<String>` -> `Option<&str>`).
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: std::ops::Deref,
    {
        self.get().map(|v| v.deref())
    }
}

impl<T> From<T> for Field<T> {
    fn from(value: T) -> Self {
        Field::Set(value)
    }
}

impl<T> From<Option<T>> for Field<T> {
    /// `None` becomes an explicit [`Field::Null`].
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Field::Set(v),
            None => Field::Null,
        }
    }
}

impl<T: Serialize> Serialize for Field<T> {
    /// `Set(v)` serialises `v`; `Null` and `Unset` serialise `null` (containers
    /// skip `Unset` with `skip_serializing_if = "Field::is_unset"`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Set(v) => serializer.serialize_some(v),
            Field::Null | Field::Unset => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    /// `null` gives `Null`, anything else `Set` (a missing property is handled by
    /// `#[serde(default)]` and gives `Unset`).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(v) => Field::Set(v),
            None => Field::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Debug, PartialEq, Default)]
    struct M {
        #[serde(default, skip_serializing_if = "Field::is_unset")]
        a: Field<String>,
        #[serde(default, skip_serializing_if = "Field::is_unset")]
        b: Field<i32>,
    }

    #[test]
    fn tri_state() {
        let m: M = serde_json::from_str(r#"{"a":null}"#).unwrap();
        assert_eq!(m.a, Field::Null);
        assert_eq!(m.b, Field::Unset);
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"a":null}"#);
        let m = M {
            a: "x".to_string().into(),
            b: Field::Unset,
        };
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"a":"x"}"#);
        assert_eq!(Field::<i32>::from(None), Field::Null);
        assert_eq!(Field::Set(2).map(|x| x * 2).into_option(), Some(4));
        // Default needs no `T: Default`
        struct NoDefault;
        assert!(Field::<NoDefault>::default().is_unset());
    }
}
