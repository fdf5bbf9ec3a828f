//! How a key, alternate key or function parameter is written into a URL:
//! the Rust type the method takes and the OData literal it becomes. Types
//! without a URL form here are refused with their position rather than
//! encoded wrongly.

use crate::csdl::syntax::Pos;
use crate::csdl::{Diagnostic, Diagnostics};
use crate::model::{Model, Primitive, TypeRef};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlValue {
    /// Strings and enum members: `impl AsRef<str>`, a quoted literal.
    Text,
    /// An Edm integer type, by its Rust type (`i32`).
    Integer(&'static str),
    Boolean,
    Guid,
    Date,
    DateTimeOffset,
}

impl UrlValue {
    /// `ty` is `None` for an alternate key whose property is not found
    /// (the resolver reports that); it is taken as a string.
    pub fn of(
        model: &Model,
        ty: Option<&TypeRef>,
        what: &str,
        pos: Pos,
    ) -> Result<Self, Diagnostics> {
        let Some(ty) = ty else {
            return Ok(UrlValue::Text);
        };
        if model.quoted_in_urls(ty) {
            return Ok(UrlValue::Text);
        }
        Ok(match model.primitive_of(ty) {
            Some(Primitive::Byte) => UrlValue::Integer("u8"),
            Some(Primitive::SByte) => UrlValue::Integer("i8"),
            Some(Primitive::Int16) => UrlValue::Integer("i16"),
            Some(Primitive::Int32) => UrlValue::Integer("i32"),
            Some(Primitive::Int64) => UrlValue::Integer("i64"),
            Some(Primitive::Boolean) => UrlValue::Boolean,
            Some(Primitive::Guid) => UrlValue::Guid,
            Some(Primitive::Date) => UrlValue::Date,
            Some(Primitive::DateTimeOffset) => UrlValue::DateTimeOffset,
            _ => {
                return Err(Diagnostic::error(
                    model.file.clone(),
                    pos,
                    format!(
                        "{what} has type {ty}: the generator writes only strings, enum members, integers, \
                         Booleans, GUIDs, dates and date-times (or type definitions of these) into URLs; \
                         exclude the paths that need it in the slice configuration to generate the rest"
                    ),
                )
                .into());
            }
        })
    }

    /// The Rust type of the method parameter.
    pub fn param_type(&self) -> &'static str {
        match self {
            UrlValue::Text => "impl AsRef<str>",
            UrlValue::Integer(t) => t,
            UrlValue::Boolean => "bool",
            UrlValue::Guid => "uuid::Uuid",
            UrlValue::Date => "crate::runtime::edm::Date",
            UrlValue::DateTimeOffset => "crate::runtime::edm::DateTimeOffset",
        }
    }

    /// `name='{name}'` or `name={name}`, as the path templates write it.
    pub fn template(&self, name: &str) -> String {
        match self {
            UrlValue::Text => format!("{name}='{{{name}}}'"),
            _ => format!("{name}={{{name}}}"),
        }
    }
}
