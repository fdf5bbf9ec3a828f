//! How a deprecation reads in `#[deprecated]`, docs and the API listing.

use crate::model::vocab::Revision;

/// The note for a deprecation. A removal date before `as_of` (the date the
/// metadata was taken, from the generation options) reads as passed rather
/// than planned: the service may already refuse the call. Comparing with the
/// recorded date, not today's, keeps regeneration reproducible.
pub fn deprecation_note(d: &Revision, as_of: Option<&str>) -> String {
    let mut parts = vec!["deprecated in Microsoft Graph beta".to_string()];
    if let Some(date) = &d.date {
        parts.push(format!("since {date}"));
    }
    if let Some(r) = &d.removal_date {
        // ISO dates compare as text.
        if as_of.is_some_and(|today| r.as_str() < today) {
            parts.push(format!("removal date {r} has passed"));
        } else {
            parts.push(format!("removal planned on {r}"));
        }
    }
    let mut note = parts.join(", ");
    if let Some(v) = &d.version {
        note.push_str(&format!(" (version {v})"));
    }
    if let Some(text) = &d.description {
        note.push_str(&format!(": {text}"));
    }
    note
}

/// `removal 2026-07-09` or `removal 2026-07-09 passed`, for the API listing.
pub(super) fn removal_note(d: &Revision, as_of: Option<&str>) -> String {
    match &d.removal_date {
        Some(r) if as_of.is_some_and(|today| r.as_str() < today) => {
            format!("deprecated, removal {r} passed")
        }
        Some(r) => format!("deprecated, removal {r}"),
        None => "deprecated, removal unannounced".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revision(removal: &str) -> Revision {
        Revision {
            kind: "Deprecated".into(),
            date: Some("2023-11-15".into()),
            removal_date: Some(removal.into()),
            version: None,
            description: None,
        }
    }

    #[test]
    fn a_removal_date_before_the_metadata_date_reads_as_passed() {
        let d = revision("2026-07-09");
        assert_eq!(
            deprecation_note(&d, Some("2026-12-06")),
            "deprecated in Microsoft Graph beta, since 2023-11-15, removal date 2026-07-09 has passed"
        );
        assert_eq!(
            deprecation_note(&d, Some("2026-07-01")),
            "deprecated in Microsoft Graph beta, since 2023-11-15, removal planned on 2026-07-09"
        );
        assert_eq!(
            removal_note(&d, Some("2026-12-06")),
            "deprecated, removal 2026-07-09 passed"
        );
        assert_eq!(removal_note(&d, None), "deprecated, removal 2026-07-09");
    }
}
