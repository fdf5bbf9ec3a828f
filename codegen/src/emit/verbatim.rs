//! Text kept out of formatting: table-like macro invocations
//! (`odata_object!`, `wire_enum!`, `any_object!`, laid out one entry per
//! line) and doc comments.
//!
//! prettyplease cannot know a macro's grammar, so it reflows macro arguments
//! as a paragraph: one property added to a type would rewrap every line
//! after it in the pull request that adds it. The emitter puts a placeholder
//! item, `__generated_table!(N);`, into the token stream and keeps the
//! laid-out text aside; [`expand`] swaps the text in after formatting
//! (rust-analyzer's generator does the same for doc comments).
//!
//! Doc comments are most of what the generated files hold, and a
//! `#[doc = "..."]` attribute per line would be escaped into a literal,
//! parsed back by syn and printed by prettyplease only to come out as the
//! same `/// line`. An item's docs are one placeholder attribute instead,
//! `#[doc = "\u{1}N"]`, which prettyplease prints as a `///` line at the
//! item's indentation; [`expand`] writes the comment lines there, exactly as
//! prettyplease would have written them.
//!
//! The texts are kept per thread: a file's tokens are built and formatted
//! on one thread ([`super::generate`] renders each file where it formats
//! it), and [`expand`] takes the texts of the file it expands.

use std::cell::RefCell;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

const MARKER: &str = "__generated_table!";
/// Starts the text of a doc placeholder. A control character: the plan's
/// docs never hold one (see [`docs`]), so a doc line cannot be mistaken for
/// a placeholder.
const DOC_MARKER: char = '\u{1}';

thread_local! {
    static TEXTS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn keep(text: String) -> usize {
    TEXTS.with(|t| {
        let mut t = t.borrow_mut();
        t.push(text);
        t.len() - 1
    })
}

/// A placeholder for `path!(head, { entry, ... });`, one entry per line.
pub(super) fn table(path: &str, head: &[String], entries: &[String]) -> TokenStream {
    tables(path, head, &[entries])
}

/// A placeholder for `path!(head, { entry, ... }, { entry, ... });`: a
/// macro that takes several tables.
pub(super) fn tables(path: &str, head: &[String], tables: &[&[String]]) -> TokenStream {
    let mut text = format!("{path}!(\n    {}, {{\n", head.join(", "));
    for (i, entries) in tables.iter().enumerate() {
        if i > 0 {
            text.push_str("    }, {\n");
        }
        for entry in entries.iter() {
            text.push_str("        ");
            text.push_str(entry);
            text.push_str(",\n");
        }
    }
    text.push_str("    }\n);");
    let index = Literal::usize_unsuffixed(keep(text));
    quote!(__generated_table!(#index);)
}

/// The doc attributes of an item: one placeholder for all its lines, or,
/// for lines that hold a control character (which the placeholder could
/// not tell apart from its marker), one `#[doc]` per line as before.
pub(super) fn docs(lines: &[String]) -> TokenStream {
    if lines.is_empty() {
        return TokenStream::new();
    }
    if lines.iter().any(|l| l.chars().any(char::is_control)) {
        let attrs = lines.iter().map(|l| doc_value(l));
        return quote!(#( #[doc = #attrs] )*);
    }
    // What prettyplease prints for `#[doc = " line"]`: `///`, the value,
    // trailing spaces trimmed.
    let mut text = String::new();
    for l in lines {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str("///");
        text.push_str(doc_value(l).trim_end_matches(' '));
    }
    let placeholder = format!("{DOC_MARKER}{}", keep(text));
    quote!(#[doc = #placeholder])
}

/// The value of a `#[doc]` attribute for one line of docs: a space before
/// the text, as after `///`, and nothing for a blank line.
pub(super) fn doc_value(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!(" {line}")
    }
}

/// A Rust string literal for `text` (`str`'s `Debug` writes one).
pub(super) fn literal(text: &str) -> String {
    // Most texts need no escape: quote them without `Debug`'s walk through
    // every character's escape.
    if text
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
    {
        let mut out = String::with_capacity(text.len() + 2);
        out.push('"');
        out.push_str(text);
        out.push('"');
        return out;
    }
    format!("{text:?}")
}

/// Replaces every placeholder in formatted source with its text, and
/// forgets this thread's texts. Table placeholders are items of the file,
/// so they start a line: the marker anywhere else (in a doc comment quoting
/// the metadata) is left alone. Doc placeholders are whole lines,
/// `<indent>///\u{1}N`; every line of their text gets the indentation.
pub(super) fn expand(formatted: &str) -> Result<String, String> {
    let texts = TEXTS.with(|t| std::mem::take(&mut *t.borrow_mut()));
    let used = RefCell::new(vec![false; texts.len()]);
    let text_at = |argument: &str| {
        let i = argument
            .parse::<usize>()
            .ok()
            .filter(|&i| i < texts.len())
            .ok_or_else(|| format!("a placeholder names no text: {argument}"))?;
        used.borrow_mut()[i] = true;
        Ok(&texts[i])
    };
    let formatted = expand_docs(formatted, &text_at)?;
    let mut out = String::with_capacity(formatted.len() * 2);
    let mut rest = formatted.as_str();
    while let Some(at) = find_at_line_start(rest, MARKER) {
        out.push_str(&rest[..at]);
        let after = &rest[at + MARKER.len()..];
        if !after.starts_with('(') {
            return Err("a table placeholder is not followed by `(`".into());
        }
        let close = closing_paren(after).ok_or("a table placeholder is not closed")?;
        out.push_str(text_at(after[1..close].trim().trim_end_matches(','))?);
        rest = after[close + 1..]
            .strip_prefix(';')
            .ok_or("a table placeholder is not followed by `;`")?;
    }
    out.push_str(rest);
    // A placeholder that prettyplease did not print where one is expected
    // (a doc attribute inside a macro's tokens, printed as a literal) would
    // leave its marker in the file.
    if let Some(i) = used.borrow().iter().position(|u| !u) {
        return Err(format!(
            "placeholder {i} was not printed as an item or a doc comment"
        ));
    }
    Ok(out)
}

fn expand_docs<'t>(
    formatted: &str,
    text_at: &dyn Fn(&str) -> Result<&'t String, String>,
) -> Result<String, String> {
    let doc_prefix = format!("///{DOC_MARKER}");
    let mut out = String::with_capacity(formatted.len() * 3);
    let mut rest = formatted;
    while let Some(at) = rest.find(&doc_prefix) {
        let line_start = rest[..at].rfind('\n').map_or(0, |i| i + 1);
        let indent = &rest[line_start..at];
        if !indent.bytes().all(|b| b == b' ') {
            return Err("a doc placeholder does not start its line".into());
        }
        let after = &rest[at + doc_prefix.len()..];
        let line_end = after.find('\n').unwrap_or(after.len());
        out.push_str(&rest[..line_start]);
        for (i, line) in text_at(&after[..line_end])?.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(indent);
            out.push_str(line);
        }
        rest = &after[line_end..];
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
        let tokens = table(
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
        let tokens = table("m", &["A".into()], &["B".into()]);
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

    /// What prettyplease prints for one `#[doc]` per line, the way the
    /// emitter wrote docs before placeholders.
    fn per_line(lines: &[String]) -> TokenStream {
        let attrs = lines.iter().map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        });
        quote!(#( #[doc = #attrs] )*)
    }

    #[test]
    fn doc_placeholders_print_as_prettyplease_prints_doc_attributes() {
        let lines: Vec<String> = [
            "Summary with `code` and \"quotes\" and a \\ backslash.",
            "",
            "Trailing spaces   ",
            "Unicode: é — ✓, and a marker: __generated_table!(0);",
        ]
        .map(String::from)
        .to_vec();
        let field_lines = vec!["A field.".to_string()];
        let build = |doc: &dyn Fn(&[String]) -> TokenStream| {
            let (d, f) = (doc(&lines), doc(&field_lines));
            quote! {
                #d
                pub struct A {
                    #f
                    pub x: u8,
                }
                impl A {
                    #d
                    pub fn f(&self) {}
                }
            }
        };
        let expected = prettyplease::unparse(&syn::parse2(build(&per_line)).unwrap());
        let placeholders = build(&|l: &[String]| docs(l));
        let expanded = expand(&prettyplease::unparse(&syn::parse2(placeholders).unwrap()));
        assert_eq!(expanded.unwrap(), expected);
    }

    #[test]
    fn docs_with_a_control_character_stay_attributes() {
        let lines = vec!["bell \u{7} and \u{1}0".to_string()];
        let format =
            |d: TokenStream| prettyplease::unparse(&syn::parse2(quote!(#d pub struct A;)).unwrap());
        let expected = format(per_line(&lines));
        assert_eq!(expand(&format(docs(&lines))).unwrap(), expected);
    }

    #[test]
    fn a_doc_placeholder_that_is_not_printed_as_a_comment_is_an_error() {
        let d = docs(&["inside a macro".to_string()]);
        let file: syn::File = syn::parse2(quote!(m! { #d struct A; })).unwrap();
        let error = expand(&prettyplease::unparse(&file)).unwrap_err();
        assert!(error.contains("placeholder 0 was not printed"), "{error}");
    }
}
