//! Renders the plan's enums and structs: one Rust item per enum type, one
//! struct per complex or entity type (inherited properties flattened in),
//! an `AnyX` enum for every type used polymorphically, and the request
//! bodies of actions.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tokens::{deprecated_attr, docs, named, ty};
use super::verbatim;
use crate::plan::{AnyPlan, Docs, EditPlan, EnumPlan, FieldPlan, StructKind, StructPlan};

pub(super) fn enum_type(e: &EnumPlan) -> TokenStream {
    let name = format_ident!("{}", e.rust_name);
    let idents: Vec<_> = e
        .members
        .iter()
        .map(|m| format_ident!("{}", m.variant))
        .collect();
    let member_attrs: Vec<TokenStream> = e
        .members
        .iter()
        .map(|m| {
            let d = docs(&m.docs);
            let dep = deprecated_attr(m.deprecated.as_deref());
            quote!(#d #dep)
        })
        .collect();
    let doc = docs(&e.docs);
    let dep = deprecated_attr(e.deprecated.as_deref());
    let entries: Vec<String> = e
        .members
        .iter()
        .map(|m| format!("{} => {}", m.variant, verbatim::literal(&m.wire)))
        .collect();
    let table = verbatim::table(
        "crate::support::wire_enum",
        &[e.rust_name.clone(), verbatim::literal(&e.odata_name)],
        &entries,
    );
    quote! {
        #doc
        #dep
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #member_attrs #idents, )*
            /// A member this version of the SDK does not know, kept as received.
            UnknownValue(String),
        }

        #table
    }
}

/// A struct with its setters and serde implementations.
pub(super) fn structure(s: &StructPlan) -> TokenStream {
    let name = format_ident!("{}", s.rust_name);
    let doc = docs(&s.docs);
    let dep = deprecated_attr(s.deprecated.as_deref());
    let setters = setter_table(
        &s.rust_name,
        s.fields.iter().map(|f| (f, &f.setter.docs)),
        false,
    );
    let mut out = match &s.kind {
        StructKind::ODataType { odata_name } => {
            let fields = s.fields.iter().map(|f| field(f, None));
            // `"json" => field: Type`: odata_object! makes the serde
            // implementations from these.
            let entries: Vec<String> = s
                .fields
                .iter()
                .map(|f| {
                    format!(
                        "{} => {}: {}",
                        verbatim::literal(&f.json),
                        named(&f.rust_name),
                        f.ty.as_str()
                    )
                })
                .collect();
            let table = verbatim::table(
                "crate::support::odata_object",
                &[s.rust_name.clone(), verbatim::literal(odata_name)],
                &entries,
            );
            quote! {
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
            }
        }
        // Action parameters are no OData type: plain serde, no
        // `@odata.type`, and a new() for the builder style.
        StructKind::ActionParameters { .. } => {
            let fields = s.fields.iter().map(|f| {
                let json = &f.json;
                field(
                    f,
                    Some(quote! {
                        #[serde(rename = #json, default, skip_serializing_if = "crate::runtime::Field::is_unset")]
                    }),
                )
            });
            quote! {
                #doc
                #dep
                #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
                #[non_exhaustive]
                pub struct #name {
                    #(#fields)*
                    /// Parameters this version of the SDK does not know: sent as given.
                    #[serde(flatten)]
                    pub additional_data: serde_json::Map<String, serde_json::Value>,
                }

                impl #name {
                    /// An empty body: every parameter unset.
                    pub fn new() -> Self {
                        Self::default()
                    }
                }
            }
        }
    };
    out.extend(setters);
    if let Some(any) = &s.any {
        out.extend(polymorphic(any));
    }
    if let Some(edit) = &s.edit {
        out.extend(edit_type(s, edit));
    }
    out
}

/// `XEdit`: an edit of a fetched `X` that sends only what changed, with
/// setters for the properties an update may change.
fn edit_type(s: &StructPlan, e: &EditPlan) -> TokenStream {
    let target = format_ident!("{}", s.rust_name);
    let name = format_ident!("{}", e.rust_name);
    let d = docs(&e.docs);
    let dep = deprecated_attr(s.deprecated.as_deref());
    let updatable: Vec<&FieldPlan> = e.updatable.iter().map(|u| &s.fields[u.field]).collect();
    let setters = setter_table(
        &e.rust_name,
        e.updatable.iter().map(|u| (&s.fields[u.field], &u.docs)),
        true,
    );
    let changes: Vec<String> = updatable
        .iter()
        .map(|f| format!("{} => {}", verbatim::literal(&f.json), f.rust_name))
        .collect();
    let read_only: Vec<String> = e
        .read_only
        .iter()
        .map(|(p, why)| format!("{} => {}", verbatim::literal(p), verbatim::literal(why)))
        .collect();
    let odata_type = if e.send_odata_type {
        "sent"
    } else {
        "not_sent"
    };
    let table = verbatim::tables(
        "crate::support::edit_object",
        &[
            e.rust_name.clone(),
            s.rust_name.clone(),
            odata_type.to_string(),
        ],
        &[&changes, &read_only],
    );
    quote! {
        #d
        #dep
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #name {
            base: Option<Box<#target>>,
            current: #target,
            insisted: serde_json::Map<String, serde_json::Value>,
        }

        #table

        #setters
    }
}

fn field(f: &FieldPlan, serde: Option<TokenStream>) -> TokenStream {
    let d = docs(&f.docs);
    let dep = deprecated_attr(f.deprecated.as_deref());
    let name = named(&f.rust_name);
    let t = ty(&f.ty);
    quote!(#d #dep #serde pub #name: crate::runtime::Field<#t>,)
}

/// The setters of a struct (or, with `edit`, of an edit), as a table for
/// `support::setters!`/`edit_setters!`, each with its field's summary:
/// laid out as text rather than formatted, since a model has up to two
/// setters per field and formatting is most of a regeneration.
fn setter_table<'p>(
    target: &str,
    setters: impl Iterator<Item = (&'p FieldPlan, &'p Docs)>,
    edit: bool,
) -> TokenStream {
    let attrs = |d: &Docs, dep: Option<&str>| -> String {
        let mut out: Vec<String> = d
            .lines()
            .iter()
            .map(|l| format!("#[doc = {}]", verbatim::literal(&verbatim::doc_value(l))))
            .collect();
        if let Some(note) = dep {
            out.push(format!("#[deprecated(note = {})]", verbatim::literal(note)));
        }
        out.join(" ")
    };
    let entries: Vec<String> = setters
        .map(|(f, docs)| {
            let dep = f.deprecated.as_deref();
            let null = f
                .null_setter
                .as_ref()
                .map(|n| format!(" / {} {}", attrs(&n.docs, dep), n.name));
            format!(
                "{} {} => {}: {} => {}{}",
                attrs(docs, dep),
                verbatim::literal(&f.json),
                f.rust_name,
                f.ty.as_str(),
                f.setter.name,
                null.unwrap_or_default()
            )
        })
        .collect();
    let path = if edit {
        "crate::support::edit_setters"
    } else {
        "crate::support::setters"
    };
    verbatim::table(path, &[target.to_string()], &entries)
}

/// `AnyX`: a value of type X or of any type derived from it in the slice,
/// chosen by `@odata.type`.
fn polymorphic(any: &AnyPlan) -> TokenStream {
    let name = format_ident!("{}", any.rust_name);
    let base = format_ident!("{}", any.base_variant);
    let variants: Vec<_> = any
        .variants
        .iter()
        .map(|(v, _, _)| format_ident!("{}", v))
        .collect();
    let types: Vec<_> = any
        .variants
        .iter()
        .map(|(_, t, _)| {
            let t = format_ident!("{}", t);
            quote!(crate::models::#t)
        })
        .collect();
    let table = verbatim::table(
        "crate::support::any_object",
        &[
            any.rust_name.clone(),
            any.base_variant.clone(),
            verbatim::literal(&any.base_odata),
        ],
        &any.variants
            .iter()
            .map(|(v, _, o)| format!("{v} => {}", verbatim::literal(o)))
            .collect::<Vec<_>>(),
    );
    let variant_docs = any.variants.iter().map(|(_, _, o)| format!(" A `{o}`."));
    let doc = docs(&any.docs);
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            /// The base type itself, or a derived type this version does not know.
            #base(#base),
            #( #[doc = #variant_docs] #variants(#types), )*
        }

        #table
    }
}
