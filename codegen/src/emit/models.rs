//! Model emitters: one Rust item per enum type, one struct per complex or
//! entity type (inherited properties flattened in), and an `AnyX` enum for
//! every type used polymorphically.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Ctx;
use super::names::{assign_unique, ident, pascal, type_ident};
use super::table;
use crate::csdl::Diagnostics;
use crate::csdl::syntax::{Annotation, Pos};
use crate::model::{
    EnumDef, NavigationDef, ParameterDef, Primitive, PropertyDef, TypeKind, TypeRef, vocab,
};

/// A member of a generated struct, whatever it came from (property,
/// navigation property, action parameter).
pub struct Member<'a> {
    pub json: &'a str,
    pub ty: &'a TypeRef,
    pub nullable: bool,
    pub navigation: bool,
    pub annotations: &'a [Annotation],
    pub pos: Pos,
}

impl<'a> Member<'a> {
    pub fn property(p: &'a PropertyDef) -> Self {
        Member {
            json: &p.name,
            ty: &p.ty,
            nullable: p.nullable,
            navigation: false,
            annotations: &p.annotations,
            pos: p.pos,
        }
    }

    pub fn navigation(n: &'a NavigationDef) -> Self {
        Member {
            json: &n.name,
            ty: &n.ty,
            nullable: n.nullable,
            navigation: true,
            annotations: &n.annotations,
            pos: n.pos,
        }
    }

    /// An action parameter, as a member of the request body.
    pub fn parameter(p: &'a ParameterDef) -> Self {
        Member {
            json: &p.name,
            ty: &p.ty,
            nullable: p.nullable,
            navigation: false,
            annotations: &p.annotations,
            pos: p.pos,
        }
    }
}

/// Doc lines: description, long description, patch notes.
pub fn doc_lines(annotations: &[Annotation]) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(d) = vocab::description(annotations) {
        lines.push(d);
    }
    if let Some(d) = vocab::long_description(annotations) {
        lines.push(String::new());
        lines.push(d);
    }
    for p in vocab::patched(annotations) {
        lines.push(String::new());
        lines.push(format!("**Metadata patch in force**: {p}"));
    }
    lines
}

pub fn docs(lines: &[String]) -> TokenStream {
    let mut out = TokenStream::new();
    for l in lines {
        let text = if l.is_empty() {
            String::new()
        } else {
            format!(" {}", l.replace('\n', " "))
        };
        out.extend(quote!(#[doc = #text]));
    }
    out
}

pub fn deprecated_attr(annotations: &[Annotation]) -> TokenStream {
    match vocab::deprecation(annotations) {
        Some(r) => {
            let note = r.note();
            quote!(#[deprecated(note = #note)])
        }
        None => quote!(),
    }
}

impl Ctx<'_> {
    /// The Rust type of a value (collections as `Vec`), without `Field`.
    pub fn rust_type(&self, ty: &TypeRef, owner: Option<&str>) -> TokenStream {
        let inner = match &ty.kind {
            TypeKind::Primitive(p) => primitive(*p),
            // Never reached: slicing refuses external types (slice::check_externals).
            TypeKind::External(_) => primitive(Primitive::Untyped),
            TypeKind::TypeDefinition(n) => {
                primitive(self.model.type_definitions[n].underlying_type)
            }
            TypeKind::Enum(n) => {
                let id = type_ident(&self.names[n]);
                if self.model.enums[n].is_flags {
                    quote!(crate::support::Flags<crate::models::#id>)
                } else {
                    quote!(crate::models::#id)
                }
            }
            TypeKind::Complex(n) | TypeKind::Entity(n) => {
                let id = if self.polymorphic.contains(n) {
                    format_ident!("Any{}", self.names[n])
                } else {
                    type_ident(&self.names[n])
                };
                let t = quote!(crate::models::#id);
                match owner {
                    Some(o) if !ty.collection && self.reaches(n, o) => quote!(Box<#t>),
                    _ => t,
                }
            }
        };
        if ty.collection {
            quote!(Vec<#inner>)
        } else {
            inner
        }
    }

    /// Whether a value of `from`'s Rust type can hold the struct `to` by
    /// value, without a `Vec` in between (so the field needs a `Box`). The
    /// Rust type of a polymorphic type is its `AnyX` enum, which holds any
    /// derived struct by value; navigation properties are fields too.
    fn reaches(&self, from: &str, to: &str) -> bool {
        let mut stack = vec![from];
        let mut seen = std::collections::HashSet::new();
        while let Some(n) = stack.pop() {
            let mut held = vec![n];
            if self.polymorphic.contains(n) {
                held.extend(self.model.derived_closure(n));
            }
            for s in held {
                if s == to {
                    return true;
                }
                if !seen.insert(s) {
                    continue;
                }
                let properties = self.model.all_properties(s).into_iter().map(|p| &p.ty);
                let navigations = self
                    .model
                    .all_navigation_properties(s)
                    .into_iter()
                    .map(|n| &n.ty);
                for ty in properties.chain(navigations) {
                    if let Some(t) = ty.kind.structured_name()
                        && !ty.collection
                    {
                        stack.push(t);
                    }
                }
            }
        }
        false
    }

    pub fn enum_type(&self, e: &EnumDef) -> Result<TokenStream, Diagnostics> {
        let name = type_ident(&self.names[&e.name]);
        let variants = assign_unique(
            &self.file,
            &format!("enum type {}", e.name),
            e.members.iter().map(|m| (m.name.as_str(), m.pos)),
            pascal,
            super::names::Reserved {
                names: &["UnknownValue"],
                suffix: Some("Member"),
            },
        )?;
        let idents: Vec<_> = variants.iter().map(|v| type_ident(v)).collect();
        let wires: Vec<&str> = e.members.iter().map(|m| m.name.as_str()).collect();
        let member_docs: Vec<TokenStream> = e
            .members
            .iter()
            .map(|m| {
                let mut lines = doc_lines(&m.annotations);
                lines.insert(0, format!("`{}` (value {})", m.name, m.value));
                let d = docs(&lines);
                let dep = deprecated_attr(&m.annotations);
                quote!(#d #dep)
            })
            .collect();
        let mut lines = doc_lines(&e.annotations);
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!(
            "OData enum type `{}`{}.",
            e.name,
            if e.is_flags { " (flags)" } else { "" }
        ));
        lines.push(String::new());
        lines.push(
            "Forward compatible: a member this version does not know decodes into `UnknownValue` and encodes back \
             unchanged. Known members match case-insensitively and encode in the schema's spelling."
                .to_string(),
        );
        let doc = docs(&lines);
        let dep = deprecated_attr(&e.annotations);
        let entries: Vec<String> = idents
            .iter()
            .zip(&wires)
            .map(|(i, w)| format!("{i} => {}", table::literal(w)))
            .collect();
        let table = table::invocation(
            "crate::support::wire_enum",
            &[name.to_string(), table::literal(&e.name)],
            &entries,
        );
        Ok(quote! {
            #doc
            #dep
            #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            pub enum #name {
                #( #member_docs #idents, )*
                /// A member this version of the SDK does not know, kept as received.
                UnknownValue(String),
            }

            #table
        })
    }

    /// A struct with its serde implementations.
    pub fn structure(
        &self,
        rust_name: &str,
        odata_name: &str,
        members: &[Member<'_>],
        type_annotations: &[Annotation],
        owner_for_boxing: Option<&str>,
    ) -> Result<TokenStream, Diagnostics> {
        let name = type_ident(rust_name);
        let field_names = assign_unique(
            &self.file,
            &format!("type {odata_name}"),
            members.iter().map(|m| (m.json, m.pos)),
            super::names::snake,
            super::names::Reserved {
                names: &["odata_type", "additional_data"],
                suffix: Some("_property"),
            },
        )?;
        let mut fields = Vec::new();
        // `"json" => field: Type => with_field`: odata_object! makes the
        // setters and the serde implementations from these.
        let mut entries = Vec::new();
        for (m, fname) in members.iter().zip(&field_names) {
            let f = ident(fname);
            let ty = self.rust_type(m.ty, owner_for_boxing);
            let json = m.json;
            let mut lines = doc_lines(m.annotations);
            if !lines.is_empty() {
                lines.push(String::new());
            }
            let kind = if m.navigation {
                "navigation property"
            } else {
                "property"
            };
            lines.push(format!(
                "OData {kind} `{json}`: `{}`{}{}.",
                m.ty,
                if m.nullable {
                    ", nullable"
                } else {
                    ", not nullable"
                },
                if vocab::computed(m.annotations) {
                    ", computed by the service"
                } else {
                    ""
                }
            ));
            let d = docs(&lines);
            let dep = deprecated_attr(m.annotations);
            fields.push(quote!(#d #dep pub #f: crate::runtime::Field<#ty>,));
            let setter = format_ident!("with_{}", fname.trim_start_matches("r#"));
            entries.push(format!(
                "{} => {f}: {} => {setter}",
                table::literal(json),
                table::type_text(&ty)
            ));
        }
        let mut lines = doc_lines(type_annotations);
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!("OData type `{odata_name}`."));
        let doc = docs(&lines);
        let dep = deprecated_attr(type_annotations);
        let table = table::invocation(
            "crate::support::odata_object",
            &[name.to_string(), table::literal(odata_name)],
            &entries,
        );
        Ok(quote! {
            #doc
            #dep
            #[derive(Clone, Debug, Default, PartialEq)]
            #[non_exhaustive]
            pub struct #name {
                /// `@odata.type` as received, or to send.
                pub odata_type: Option<String>,
                #(#fields)*
                /// Properties this version of the SDK does not know: kept, and written back.
                pub additional_data: serde_json::Map<String, serde_json::Value>,
            }

            #table
        })
    }

    /// `AnyX`: a value of type X or of any type derived from it in the slice,
    /// chosen by `@odata.type`.
    pub fn polymorphic(&self, base: &str) -> TokenStream {
        let base_name = type_ident(&self.names[base]);
        let any = format_ident!("Any{}", self.names[base]);
        let derived: Vec<&str> = self.model.derived_closure(base);
        let variants: Vec<_> = derived
            .iter()
            .map(|d| type_ident(&self.names[*d]))
            .collect();
        let types: Vec<TokenStream> = variants.iter().map(|v| quote!(crate::models::#v)).collect();
        let odata: Vec<String> = derived.iter().map(|d| d.to_string()).collect();
        let table = table::invocation(
            "crate::support::any_object",
            &[any.to_string(), base_name.to_string(), table::literal(base)],
            &variants
                .iter()
                .zip(&odata)
                .map(|(v, o)| format!("{v} => {}", table::literal(o)))
                .collect::<Vec<_>>(),
        );
        let doc = format!(
            " A `{base}` or any type derived from it, decoded by `@odata.type` (with or without the leading `#`, \
             compared case-insensitively). An unknown `@odata.type` decodes as the base type and keeps its \
             `@odata.type` and every property."
        );
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq)]
            #[non_exhaustive]
            pub enum #any {
                /// The base type itself, or a derived type this version does not know.
                #base_name(#base_name),
                #( #variants(#types), )*
            }

            #table
        }
    }
}

fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::Binary => quote!(crate::runtime::edm::Binary),
        Primitive::Boolean => quote!(bool),
        Primitive::Byte => quote!(u8),
        Primitive::SByte => quote!(i8),
        Primitive::Int16 => quote!(i16),
        Primitive::Int32 => quote!(i32),
        Primitive::Int64 => quote!(crate::runtime::edm::Int64),
        Primitive::Date => quote!(crate::runtime::edm::Date),
        Primitive::DateTimeOffset => quote!(crate::runtime::edm::DateTimeOffset),
        Primitive::TimeOfDay => quote!(crate::runtime::edm::TimeOfDay),
        Primitive::Duration => quote!(crate::runtime::edm::Duration),
        Primitive::Decimal => quote!(crate::runtime::edm::Decimal),
        Primitive::Double => quote!(crate::runtime::edm::Double),
        Primitive::Single => quote!(crate::runtime::edm::Single),
        Primitive::Guid => quote!(uuid::Uuid),
        Primitive::String => quote!(String),
        // Streams, untyped values and spatial types travel as raw JSON.
        _ => quote!(serde_json::Value),
    }
}
