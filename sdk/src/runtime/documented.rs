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
    if let Some(code) = service.code.as_deref() {
        let with_code: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| cases[i].code.is_some_and(|c| c.eq_ignore_ascii_case(code)))
            .collect();
        // Cases may share a code and differ by message: the one whose
        // message matches, else the first with the code.
        if let Some(&i) = with_code
            .iter()
            .find(|&&i| match_pattern(cases[i].pattern, message).is_some())
            .or(with_code.first())
        {
            return Some((i, values(i)));
        }
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

/// How many words of a message are compared: far more than any documented
/// message holds.
const MAX_WORDS: usize = 256;

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
    // A documented message is a sentence; what follows the pattern is
    // allowed and never compared. Only the first words can matter, and a
    // service message of a million words must not make matching quadratic.
    let words: Vec<&str> = message
        .split_whitespace()
        .filter(|w| !norm(w).is_empty())
        .take(MAX_WORDS)
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

    /// A message of any length is matched on its first words: the rest is
    /// never compared, so a huge message costs no more than a short one.
    #[test]
    fn a_huge_message_is_matched_on_its_first_words() {
        let p = "There is no relationship for partner {partner} and role {role}.";
        let mut message = String::from("There is no relationship for partner");
        message.push_str(&" x".repeat(200_000));
        assert_eq!(match_pattern(p, &message), None);
        let message = format!(
            "There is no relationship for partner a and role b.{}",
            " y".repeat(200_000)
        );
        assert_eq!(
            match_pattern(p, &message),
            Some(vec!["a".into(), "b".into()])
        );
    }

    /// Cases that share a Graph error code are told apart by their message.
    #[test]
    fn cases_sharing_a_code_are_told_apart_by_message() {
        let case = |pattern: &'static str| Case {
            status: 409,
            code: Some("conflict"),
            pattern,
            exact_message: true,
        };
        let cases = [case("The job is running."), case("The job is {state}.")];
        let error = |message: &str| {
            let raw = super::super::response::RawResponse {
                status: http::StatusCode::CONFLICT,
                headers: http::HeaderMap::new(),
                body: serde_json::to_vec(&serde_json::json!({
                    "error": {"code": "Conflict", "message": message}
                }))
                .unwrap()
                .into(),
                attempts: 1,
                client_request_id: None,
            };
            ServiceError::from_response(http::Method::POST, "/x".into(), &raw)
        };
        assert_eq!(
            classify_service(&error("The job is running."), &cases),
            Some((0, vec![]))
        );
        assert_eq!(
            classify_service(&error("The job is paused."), &cases),
            Some((1, vec!["paused".to_string()]))
        );
        // A message no case of the code quotes still takes the code's first.
        assert_eq!(
            classify_service(&error("Something else."), &cases),
            Some((0, vec![]))
        );
    }
}
