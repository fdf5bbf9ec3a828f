//! Table-like macro invocations (`odata_object!`, `wire_enum!`,
//! `any_object!`), laid out one entry per line.
//!
//! prettyplease cannot know a macro's grammar, so it reflows macro arguments
//! as a paragraph: one property added to a type would rewrap every line
//! after it in the pull request that adds it. The emitter puts a placeholder
//! item carrying the laid-out invocation as a string into the token stream,
//! and [`expand`] swaps the text in after formatting (rust-analyzer's
//! generator does the same for doc comments).

use proc_macro2::TokenStream;
use quote::quote;

const MARKER: &str = "__generated_table!";

/// A placeholder for `path!(head, { entry, ... });`, one entry per line.
pub(super) fn invocation(path: &str, head: &[String], entries: &[String]) -> TokenStream {
    let mut text = format!("{path}!(\n    {}, {{\n", head.join(", "));
    for entry in entries {
        text.push_str("        ");
        text.push_str(entry);
        text.push_str(",\n");
    }
    text.push_str("    }\n);");
    quote!(__generated_table!(#text);)
}

/// A Rust string literal for `text`.
pub(super) fn literal(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

/// Replaces every placeholder in formatted source with the text it carries.
/// Placeholders are items of the file, so they start a line: the marker
/// anywhere else (in a doc comment quoting the metadata) is left alone.
pub(super) fn expand(formatted: &str) -> Result<String, String> {
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
        let text = syn::parse_str::<syn::LitStr>(argument)
            .map_err(|e| format!("a table placeholder does not hold a string: {e}"))?
            .value();
        out.push_str(&text);
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
