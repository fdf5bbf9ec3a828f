//! Matching a service error against the documented cases of a request: the
//! generic half of the generated per-operation error enums.
//!
//! A case matches by HTTP status, then Graph error code, then message
//! pattern. Patterns are compared word by word, ignoring case, punctuation
//! around words and runs of whitespace; text after the pattern is allowed
//! (the service may append details); a `{placeholder}` takes one or more
//! words, and its value is returned. A case the documentation describes in
//! its own words (rather than quoting the service's message) also matches
//! by status alone when it is the only case documented for that status.

use super::error::{Error, ServiceError};

/// One documented failure of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Case {
    /// The documented HTTP status.
    pub status: u16,
    /// The documented Graph error code, when the page gives one.
    pub code: Option<&'static str>,
    /// The documented message, with `{placeholders}`.
    pub pattern: &'static str,
    /// Whether the page quotes the service's message (`Message` column)
    /// rather than describing the case (`Description` column).
    pub exact_message: bool,
}

/// The index of the documented case `error` is, with the values of the
/// case's placeholders (empty strings when it matched without its message);
/// `None` for an error no case describes.
pub fn classify(error: &Error, cases: &[Case]) -> Option<(usize, Vec<String>)> {
    let service = error.service()?;
    classify_service(service, cases)
}

pub(crate) fn classify_service(
    service: &ServiceError,
    cases: &[Case],
) -> Option<(usize, Vec<String>)> {
    let status = service.status.as_u16();
    let candidates: Vec<usize> = (0..cases.len())
        .filter(|&i| cases[i].status == status)
        .collect();
    let message = service.message.as_deref().unwrap_or("");
    let values = |i: usize| {
        let case = &cases[i];
        match_pattern(case.pattern, message)
            .unwrap_or_else(|| vec![String::new(); placeholders(case.pattern)])
    };
    if let Some(code) = service.code.as_deref()
        && let Some(&i) = candidates
            .iter()
            .find(|&&i| cases[i].code.is_some_and(|c| c.eq_ignore_ascii_case(code)))
    {
        return Some((i, values(i)));
    }
    for &i in &candidates {
        if let Some(v) = match_pattern(cases[i].pattern, message) {
            return Some((i, v));
        }
    }
    match candidates.as_slice() {
        [only] if !cases[*only].exact_message => Some((*only, values(*only))),
        _ => None,
    }
}

fn placeholders(pattern: &str) -> usize {
    pattern.matches('{').count()
}

enum Token {
    Word(String),
    Hole,
}

/// Words compared without case and without the punctuation around them.
fn norm(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// Words and placeholders; punctuation standing alone is not compared.
fn tokens(pattern: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut rest = pattern;
    loop {
        let (text, hole) = match rest.find('{') {
            Some(open) => match rest[open..].find('}') {
                Some(close) => (&rest[..open], Some(open + close + 1)),
                None => (rest, None),
            },
            None => (rest, None),
        };
        out.extend(
            text.split_whitespace()
                .map(norm)
                .filter(|n| !n.is_empty())
                .map(Token::Word),
        );
        match hole {
            Some(end) => {
                out.push(Token::Hole);
                rest = &rest[end..];
            }
            None => return out,
        }
    }
}

/// The placeholder values when `message` starts with `pattern`, under the
/// tolerance above.
pub fn match_pattern(pattern: &str, message: &str) -> Option<Vec<String>> {
    let pattern = tokens(pattern);
    let words: Vec<&str> = message
        .split_whitespace()
        .filter(|w| !norm(w).is_empty())
        .collect();
    let normed: Vec<String> = words.iter().map(|w| norm(w)).collect();
    let mut values = Vec::new();
    matches_at(&pattern, &words, &normed, &mut values).then_some(values)
}

fn matches_at(
    pattern: &[Token],
    words: &[&str],
    normed: &[String],
    values: &mut Vec<String>,
) -> bool {
    let Some((first, rest)) = pattern.split_first() else {
        return true;
    };
    match first {
        Token::Word(w) => {
            normed.first() == Some(w) && matches_at(rest, &words[1..], &normed[1..], values)
        }
        Token::Hole => {
            // Lazily: the shortest value that lets the rest match.
            for take in 1..=words.len() {
                let before = values.len();
                let value = words[..take]
                    .join(" ")
                    .trim_end_matches(['.', ',', ';', ':'])
                    .to_string();
                values.push(value);
                if matches_at(rest, &words[take..], &normed[take..], values) {
                    return true;
                }
                values.truncate(before);
            }
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_tolerate_case_punctuation_whitespace_and_trailing_text() {
        let p = "There is no Cross-Tenant relationship established for partner {siteUrl} and role {soure/target}.";
        assert_eq!(
            match_pattern(
                p,
                "there is no cross-tenant  relationship established for partner https://contoso.sharepoint.com and role source. Details follow"
            ),
            Some(vec![
                "https://contoso.sharepoint.com".to_string(),
                "source".to_string()
            ])
        );
        assert_eq!(
            match_pattern("Access denied", "Access denied."),
            Some(vec![])
        );
        assert_eq!(match_pattern("Access denied", "Access granted"), None);
        assert_eq!(
            match_pattern(
                "The validation results expired (more than seven days ago). Revalidate the job before you call the migrate API.",
                "The validation results expired (more than seven days ago). Revalidate the job before you call the migrate API."
            ),
            Some(vec![])
        );
        // A placeholder takes several words when the text needs it.
        assert_eq!(
            match_pattern("UPN {upn} does not exist", "UPN a b does not exist"),
            Some(vec!["a b".to_string()])
        );
        assert_eq!(
            match_pattern("UPN {upn} does not exist", "UPN does not exist"),
            None
        );
    }
}
