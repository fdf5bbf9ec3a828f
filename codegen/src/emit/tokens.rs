//! The plan's values as tokens: docs, deprecations, names and types.

use proc_macro2::TokenStream;
use quote::quote;

use crate::plan::{Docs, RustType};

/// An identifier from the plan's text of one (`r#type`, `self_`, `name`).
pub(super) fn named(text: &str) -> proc_macro2::Ident {
    match text.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(text, proc_macro2::Span::call_site()),
    }
}

/// `#[doc = " line"]` for each line; blank lines separate paragraphs.
pub(super) fn docs(docs: &Docs) -> TokenStream {
    let mut out = TokenStream::new();
    for l in docs.lines() {
        let text = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        out.extend(quote!(#[doc = #text]));
    }
    out
}

pub(super) fn deprecated_attr(note: Option<&str>) -> TokenStream {
    match note {
        Some(note) => quote!(#[deprecated(note = #note)]),
        None => quote!(),
    }
}

/// A planned Rust type. The plan only holds types it wrote itself, so one
/// that does not parse is a generator bug: it becomes a `compile_error!`
/// naming it rather than a panic, and formatting reports it.
pub(super) fn ty(t: &RustType) -> TokenStream {
    match syn::parse_str::<syn::Type>(t.as_str()) {
        Ok(parsed) => quote!(#parsed),
        Err(e) => {
            let message = format!("the generator planned an invalid Rust type `{t}`: {e}");
            quote!(compile_error!(#message))
        }
    }
}
