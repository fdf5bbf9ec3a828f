//! Table-like macro invocations (`odata_object!`, `wire_enum!`,
//! `any_object!`), laid out one entry per line.
//!
//! prettyplease cannot know a macro's grammar, so it reflows macro arguments
//! as a paragraph: one property added to a type would rewrap every line
//! after it in the pull request that adds it. The emitter puts a placeholder
//! item, `__generated_table!(N);`, into the token stream and keeps the
//! laid-out text aside; [`expand`] swaps the text in after formatting
//! (rust-analyzer's generator does the same for doc comments). The text is
//! never tokenised, parsed or formatted: tables are most of a model file
//! (setters, with their docs), and formatting is most of a regeneration.
//!
//! The texts are kept per thread: a file's tokens are built and formatted
//! on one thread ([`super::generate`] renders each file where it formats
//! it), and [`expand`] takes the texts of the file it expands.

use std::cell::RefCell;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

const MARKER: &str = "__generated_table!";

thread_local! {
    static TEXTS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// A placeholder for `path!(head, { entry, ... });`, one entry per line.
pub(super) fn invocation(path: &str, head: &[String], entries: &[String]) -> TokenStream {
    let mut text = format!("{path}!(\n    {}, {{\n", head.join(", "));
    for entry in entries {
        text.push_str("        ");
        text.push_str(entry);
        text.push_str(",\n");
    }
    text.push_str("    }\n);");
    let index = TEXTS.with(|t| {
        let mut t = t.borrow_mut();
        t.push(text);
        t.len() - 1
    });
    let index = Literal::usize_unsuffixed(index);
    quote!(__generated_table!(#index);)
}

/// A Rust string literal for `text` (`str`'s `Debug` writes one).
pub(super) fn literal(text: &str) -> String {
    format!("{text:?}")
}

/// Replaces every placeholder in formatted source with its text, and
/// forgets this thread's texts. Placeholders are items of the file, so they
/// start a line: the marker anywhere else (in a doc comment quoting the
/// metadata) is left alone.
pub(super) fn expand(formatted: &str) -> Result<String, String> {
    let texts = TEXTS.with(|t| std::mem::take(&mut *t.borrow_mut()));
    let mut out = String::with_capacity(formatted.len() * 2);
    let mut rest = formatted;
    while let Some(at) = find_at_line_start(rest, MARKER) {
        out.push_str(&rest[..at]);
        let after = &rest[at + MARKER.len()..];
        if !after.starts_with('(') {
            return Err("a table placeholder is not followed by `(`".into());
        }
        let close = closing_paren(after).ok_or("a table placeholder is not closed")?;
        let argument = after[1..close].trim().trim_end_matches(',');
        let text = argument
            .parse::<usize>()
            .ok()
            .and_then(|i| texts.get(i))
            .ok_or_else(|| format!("a table placeholder names no table: {argument}"))?;
        out.push_str(text);
        rest = after[close + 1..]
            .strip_prefix(';')
            .ok_or("a table placeholder is not followed by `;`")?;
    }
    out.push_str(rest);
    Ok(out)
}

fn find_at_line_start(text: &str, marker: &str) -> Option<usize> {
    if text.starts_with(marker) {
        return Some(0);
    }
    text.match_indices(marker)
        .map(|(i, _)| i)
        .find(|&i| text[..i].ends_with('\n'))
}

/// The index of the `)` that closes the `(` `text` starts with, skipping
/// string literals.
fn closing_paren(text: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'(' => depth += 1,
            b')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_expand_to_one_entry_per_line() {
        let tokens = invocation(
            "crate::support::wire_enum",
            &["Color".into(), literal("n.color")],
            &[
                format!("Red => {}", literal("red")),
                format!("Blue => {}", literal("a \"b\" (c);")),
            ],
        );
        let file: syn::File = syn::parse2(quote!(pub struct A; #tokens pub struct B;)).unwrap();
        let formatted = prettyplease::unparse(&file);
        assert_eq!(
            expand(&formatted).unwrap(),
            "pub struct A;\ncrate::support::wire_enum!(\n    Color, \"n.color\", {\n        Red => \"red\",\n        \
             Blue => \"a \\\"b\\\" (c);\",\n    }\n);\npub struct B;\n"
        );
    }

    #[test]
    fn the_marker_in_a_doc_comment_is_left_alone() {
        let tokens = invocation("m", &["A".into()], &["B".into()]);
        let file: syn::File = syn::parse2(quote! {
            /// Quoting the metadata: __generated_table!("x");
            pub struct A;
            #tokens
        })
        .unwrap();
        let expanded = expand(&prettyplease::unparse(&file)).unwrap();
        assert!(
            expanded.contains("/// Quoting the metadata: __generated_table!(\"x\");"),
            "{expanded}"
        );
        assert!(
            expanded.contains("m!(\n    A, {\n        B,\n    }\n);"),
            "{expanded}"
        );
    }
}
