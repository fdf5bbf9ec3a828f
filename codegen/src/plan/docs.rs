//! Doc comments as the plan holds them: lines, with the blank lines that
//! separate paragraphs, never leading or trailing ones (rustdoc takes the
//! first line as the summary).

/// The lines of one doc comment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Docs(Vec<String>);

impl Docs {
    pub fn new() -> Self {
        Docs(Vec::new())
    }

    /// A one-paragraph doc.
    pub fn line(text: impl Into<String>) -> Self {
        let mut d = Docs::new();
        d.paragraph(text);
        d
    }

    /// Appends a paragraph (a blank line before it when there is text
    /// already); an empty paragraph adds nothing.
    pub fn paragraph(&mut self, text: impl Into<String>) -> &mut Self {
        let text = text.into();
        let text = text.trim();
        if text.is_empty() {
            return self;
        }
        if !self.0.is_empty() {
            self.0.push(String::new());
        }
        self.0
            .extend(text.lines().map(|l| l.trim_end().to_string()));
        self
    }

    /// Appends every paragraph of `other`.
    pub fn extend(&mut self, other: &Docs) -> &mut Self {
        for p in other.paragraphs() {
            self.paragraph(p);
        }
        self
    }

    /// The paragraphs, each joined into one string.
    pub fn paragraphs(&self) -> Vec<String> {
        self.0
            .split(String::is_empty)
            .filter(|p| !p.is_empty())
            .map(|p| p.join("\n"))
            .collect()
    }

    pub fn lines(&self) -> &[String] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first paragraph: what rustdoc shows in item lists.
    pub fn summary(&self) -> Option<String> {
        self.0
            .split(String::is_empty)
            .find(|p| !p.is_empty())
            .map(|p| p.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_leading_trailing_or_double_blank_lines() {
        let mut d = Docs::new();
        d.paragraph("").paragraph("  first  ").paragraph("");
        d.paragraph("second\nline two");
        assert_eq!(d.lines(), ["first", "", "second", "line two"]);
        assert_eq!(d.summary().as_deref(), Some("first"));
        assert_eq!(d.paragraphs(), ["first", "second\nline two"]);
    }
}
