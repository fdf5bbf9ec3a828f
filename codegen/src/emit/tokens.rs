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

/// An item's doc comment (kept out of formatting: see [`super::verbatim`]).
pub(super) fn docs(docs: &Docs) -> TokenStream {
    super::verbatim::docs(docs.lines())
}

pub(super) fn deprecated_attr(note: Option<&str>) -> TokenStream {
    match note {
        Some(note) => quote!(#[deprecated(note = #note)]),
        None => quote!(),
    }
}

/// A planned Rust type. The plan only holds types it wrote itself, so one
/// that does not lex is a generator bug: it becomes a `compile_error!`
/// naming it rather than a panic, and formatting reports it (as it reports
/// one that lexes but does not parse as a type). Lexing alone, not parsing
/// with syn: the file is parsed once, when it is formatted.
pub(super) fn ty(t: &RustType) -> TokenStream {
    match t.as_str().parse::<TokenStream>() {
        Ok(tokens) => tokens,
        Err(e) => {
            let message = format!("the generator planned an invalid Rust type `{t}`: {e}");
            quote!(compile_error!(#message))
        }
    }
}
