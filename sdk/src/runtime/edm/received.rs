//! [`Received`]: an Edm value as the service sent it, so that one malformed
//! value does not cost the whole response.
//!
//! Why the Edm types and not [`Field`](crate::runtime::Field): the problem
//! belongs to the value's type (only types with a lexical form to check can
//! hold a malformed one), so only those types pay for it, and every model
//! property, collection item and parameter of such a type keeps what was
//! received without a fourth state on every field. Decoding stays one
//! parse of the borrowed string, as before; only a value that does not
//! parse is copied.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::EdmParseError;

/// A value type with a checked lexical form.
pub(super) trait Lexical: Sized + Clone {
    /// What a decode error expects (`an RFC 3339 date-time string`).
    const EXPECTING: &'static str;
    fn parse(text: &str) -> Result<Self, EdmParseError>;
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

/// Parsed, or the text as received when it is not in the type's form.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum Received<T> {
    Valid(T),
    Invalid(Box<str>),
}

impl<T: Lexical> Received<T> {
    /// Keeps `text` when it does not parse.
    pub(super) fn read(text: &str) -> Self {
        match T::parse(text) {
            Ok(v) => Received::Valid(v),
            Err(_) => Received::Invalid(text.into()),
        }
    }

    /// The value, or why the received text is not one.
    pub(super) fn value(&self) -> Result<T, EdmParseError> {
        match self {
            Received::Valid(v) => Ok(v.clone()),
            // Parsing again gives the reason; it is not kept per value
            // because malformed values are rare and reading them rarer.
            Received::Invalid(text) => Err(match T::parse(text) {
                Err(e) => e,
                Ok(_) => EdmParseError::new("value", text, "kept as received"),
            }),
        }
    }

    pub(super) fn invalid_text(&self) -> Option<&str> {
        match self {
            Received::Valid(_) => None,
            Received::Invalid(text) => Some(text),
        }
    }
}

impl<T: Lexical> fmt::Display for Received<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Received::Valid(v) => v.write(f),
            Received::Invalid(text) => f.write_str(text),
        }
    }
}

impl<T: Lexical> Serialize for Received<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Received::Valid(_) => s.collect_str(self),
            Received::Invalid(text) => s.serialize_str(text),
        }
    }
}

impl<'de, T: Lexical> Deserialize<'de> for Received<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<T: Lexical> Visitor<'_> for V<T> {
            type Value = Received<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(T::EXPECTING)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Received<T>, E> {
                Ok(Received::read(v))
            }
        }
        d.deserialize_str(V(std::marker::PhantomData))
    }
}

/// The API an Edm type `$name(Received<$inner>)` shares: `value()`,
/// `invalid_text()`, conversions, strict `FromStr`, and `Display` of the
/// JSON text.
macro_rules! received_api {
    ($name:ident, $inner:ty, $what:literal) => {
        impl $name {
            #[doc = concat!("The ", $what, ", or the problem with the text received.")]
            pub fn value(&self) -> Result<$inner, EdmParseError> {
                self.0.value()
            }

            #[doc = concat!("The text as received, when it is not a ", $what, ".")]
            pub fn invalid_text(&self) -> Option<&str> {
                self.0.invalid_text()
            }
        }

        impl From<$inner> for $name {
            fn from(v: $inner) -> Self {
                Self(Received::Valid(v))
            }
        }

        impl TryFrom<$name> for $inner {
            type Error = EdmParseError;
            fn try_from(v: $name) -> Result<Self, EdmParseError> {
                v.value()
            }
        }

        impl FromStr for $name {
            type Err = EdmParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$inner as Lexical>::parse(s).map(Self::from)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}
