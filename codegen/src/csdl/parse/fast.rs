//! The reader's fast path: start and end tags of the common shape
//! (`<name key="value" ...>`, `<name .../>`, `</name>`) read in one pass
//! straight from the input, without a quick-xml event and without a second
//! scan of the start tag for its attributes.
//!
//! Anything else (text, comments, processing instructions, and every tag
//! that strays from that shape, malformed ones included) is left to
//! quick-xml, so that diagnostics stay those of the general path: a tag is
//! taken here only where quick-xml would read the same tag, with the same
//! name, and [`Parser::scan_attributes`] the same attributes.
//!
//! Measured with `valgrind --tool=callgrind` on the parse bench
//! (`--once ours`, graph-beta.csdl, parse and resolve): 83.8 M
//! instructions without it, 76.3 M with it.

use super::Parser;
use super::events::{RawAttr, is_space};
use super::values;

/// A tag read by the fast path.
pub(super) enum Tag<'a> {
    /// A start tag; its attributes are in [`Parser::fast_attrs`], not yet
    /// checked for duplicates or namespace declarations.
    Start {
        qname: &'a str,
        /// Byte offset of the `<`.
        offset: usize,
        empty: bool,
    },
    End {
        name: &'a str,
        /// Byte offset of the `<`.
        offset: usize,
    },
}

/// Bytes of names and attribute names on the fast path: none of them is
/// whitespace, a quote, `=`, `/`, `<`, `>`, `!` or `?`, so a name made of
/// them ends where quick-xml ends it, and a tag made of them and quoted
/// values ends at the `>` quick-xml finds.
static NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] =
            matches!(b as u8, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b':' | b'.' | b'-');
        b += 1;
    }
    table
};

/// The blanks `bytes` starts with: their length, how many line breaks they
/// hold and where the last one is. The blanks between tags are a line break
/// and indentation: runs of spaces are skipped eight at a time (measured
/// with callgrind on the parse bench, `--once ours`: 76.3 M instructions
/// byte by byte, 75.8 M this way).
#[inline(always)]
fn skip_blanks(bytes: &[u8]) -> (usize, usize, usize) {
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    let (mut i, mut newlines, mut last_newline) = (0, 0, 0);
    loop {
        if let Some(word) = bytes.get(i..i + 8) {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(word);
            if u64::from_ne_bytes(eight) == SPACES {
                i += 8;
                continue;
            }
        }
        match bytes.get(i) {
            Some(b'\n') => {
                newlines += 1;
                last_newline = i;
                i += 1;
            }
            Some(&b) if is_space(b) => i += 1,
            _ => return (i, newlines, last_newline),
        }
    }
}

/// The length of the name `bytes` starts with, eight bytes at a time
/// ([`values::swar`], on the low seven bits of each byte; measured with
/// callgrind on the parse bench, `--once ours`: 73.5 M instructions byte
/// by byte, 72.6 M this way).
#[inline(always)]
fn name_len(bytes: &[u8]) -> usize {
    use values::swar::{HIGH, ONES, between};
    const LOW7: u64 = ONES * 0x7f;
    let mut at = 0;
    while let Some(word) = bytes.get(at..at + 8) {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(word);
        let w = u64::from_le_bytes(eight);
        let x = w & LOW7;
        let name = (between(x | (ONES * 0x20), b'a', b'z')
            | (between(x, b'-', b':') & !between(x, b'/', b'/'))
            | between(x, b'_', b'_'))
            & !w;
        let other = !name & HIGH;
        if other != 0 {
            return at + (other.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while at < bytes.len() && NAME_BYTES[bytes[at] as usize] {
        at += 1;
    }
    at
}

/// Skips whitespace inside a tag from `*i`; whether it held a line break.
#[inline(always)]
fn skip_space(bytes: &[u8], i: &mut usize) -> bool {
    let mut newline = false;
    while let Some(&b) = bytes.get(*i) {
        if !is_space(b) {
            break;
        }
        newline |= b == b'\n';
        *i += 1;
    }
    newline
}

impl<'a> Parser<'a> {
    /// The next tag, if the input holds one of the common shapes there
    /// (after blanks, which quick-xml skips as well); the input is then
    /// consumed up to the tag's end. `None` leaves the input as it was.
    #[inline]
    pub(super) fn fast_tag(&mut self) -> Option<Tag<'a>> {
        // Only between markup (quick-xml's own state is then "in text")
        // and while blank text is skipped (not inside element text).
        if !self.fast || !self.fast_path || !self.reader.config().trim_text_start {
            return None;
        }
        let &rest = self.reader.get_ref();
        let base = (rest.as_ptr() as usize).checked_sub(self.text.as_ptr() as usize)?;
        let len = rest.len();
        let (mut i, newlines, last_newline) = skip_blanks(rest);
        if rest.get(i) != Some(&b'<') {
            return None;
        }
        // Line breaks inside the tag, which are rare.
        let mut broken = false;
        let lt = i;
        i += 1;
        let end_tag = rest.get(i) == Some(&b'/');
        if end_tag {
            i += 1;
        }
        let name_start = i;
        i += name_len(&rest[i..]);
        if i == name_start {
            return None;
        }
        let name = self.text.get(base + name_start..base + i)?;
        if end_tag {
            broken |= skip_space(rest, &mut i);
            if rest.get(i) != Some(&b'>') {
                return None;
            }
            self.track_lines(base, newlines, last_newline, lt, broken, i + 1);
            self.consume(i + 1);
            return Some(Tag::End {
                name,
                offset: base + lt,
            });
        }
        self.fast_attrs.clear();
        let empty = loop {
            let separated = i < len && is_space(rest[i]);
            broken |= skip_space(rest, &mut i);
            match rest.get(i) {
                Some(b'>') => break false,
                Some(b'/') if rest.get(i + 1) == Some(&b'>') => {
                    i += 1;
                    break true;
                }
                _ if !separated => return None,
                _ => {}
            }
            let key_start = i;
            i += name_len(&rest[i..]);
            let key_end = i;
            if key_end == key_start {
                return None;
            }
            broken |= skip_space(rest, &mut i);
            if rest.get(i) != Some(&b'=') {
                return None;
            }
            i += 1;
            broken |= skip_space(rest, &mut i);
            let quote = match rest.get(i) {
                Some(&q @ (b'"' | b'\'')) => q,
                _ => return None,
            };
            let value_start = i + 1;
            let (value_len, special) = values::scan_value(&rest[value_start..], quote)?;
            // Line breaks are among the bytes that make a value special.
            broken |= special;
            i = value_start + value_len + 1;
            self.fast_attrs.push(RawAttr {
                key: self.text.get(base + key_start..base + key_end)?,
                value: self
                    .text
                    .get(base + value_start..base + value_start + value_len)?,
                offset: base + key_start,
                plain: !special,
            });
        };
        self.track_lines(base, newlines, last_newline, lt, broken, i + 1);
        self.consume(i + 1);
        Some(Tag::Start {
            qname: name,
            offset: base + lt,
            empty,
        })
    }

    /// Keeps count of the lines up to the end of a tag the fast path read
    /// (`lt` and `end` relative to `base`), and tells the line index where
    /// the tag's `<` is: the parser locates most elements there, which the
    /// index then answers without a table of all line starts (measured with
    /// callgrind on the parse bench, `--once ours`: 74.4 M instructions
    /// with the table, 73.5 M this way).
    #[inline(always)]
    fn track_lines(
        &mut self,
        base: usize,
        newlines: usize,
        last_newline: usize,
        lt: usize,
        broken: bool,
        end: usize,
    ) {
        if self.lines_upto != base {
            // Read by quick-xml since the last fast tag.
            self.count_lines(self.lines_upto, base);
        }
        if newlines > 0 {
            self.line_index += newlines;
            self.line_start = base + last_newline + 1;
        }
        // Every offset in an unbroken tag is on the line of its `<`.
        let marked = if broken {
            base + lt..base + lt + 1
        } else {
            base + lt..base + end
        };
        self.lines.mark(marked, self.line_index, self.line_start);
        if broken {
            self.count_lines(base + lt, base + end);
        }
        self.lines_upto = base + end;
    }

    /// Counts the line breaks in `from..to` into the line tracking.
    fn count_lines(&mut self, from: usize, to: usize) {
        let bytes = self.text.as_bytes().get(from..to).unwrap_or_default();
        for at in memchr::memchr_iter(b'\n', bytes) {
            self.line_index += 1;
            self.line_start = from + at + 1;
        }
    }

    /// Moves the reader `n` bytes on, past a tag the fast path read.
    fn consume(&mut self, n: usize) {
        let reader = self.reader.get_mut();
        *reader = &reader[n..];
        self.skipped += n;
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ParseOptions, parse_with};

    /// xorshift64*: deterministic mutations without a dependency.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            let mut x = self.0;
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            self.0 = x;
            (x.wrapping_mul(0x2545_f491_4f6c_dd1d) % n as u64) as usize
        }
    }

    /// Pieces of tags, inserted or substituted to make tags of every near
    /// miss of the fast path's shape.
    const TOKENS: &[&str] = &[
        "<",
        "</",
        "/>",
        ">",
        "/",
        "\"",
        "'",
        "=",
        " ",
        "\t",
        "\n",
        "\r\n",
        "a",
        "x:",
        ":",
        "!",
        "?",
        "&",
        "&amp;",
        "-",
        ".",
        "\u{e9}",
        "\u{a0}",
        "\u{b}",
        "<!--x-->",
        "<![CDATA[y]]>",
        "<?p?>",
        "xmlns:x=\"urn:x\"",
        "xmlns=\"\"",
        " Name=\"n\"",
        " Name='n'",
    ];

    fn mutate(rng: &mut Rng, seed: &str) -> String {
        let mut text: Vec<char> = seed.chars().collect();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(text.len() + 1);
            match rng.below(3) {
                0 => {
                    let end = (at + 1 + rng.below(3)).min(text.len());
                    text.drain(at.min(end)..end);
                }
                1 => {
                    let token = TOKENS[rng.below(TOKENS.len())];
                    text.splice(at..at, token.chars());
                }
                _ => {
                    let token = TOKENS[rng.below(TOKENS.len())];
                    let end = (at + 1).min(text.len());
                    text.splice(at..end, token.chars());
                }
            }
        }
        text.into_iter().collect()
    }

    /// Every result (the tree, or each diagnostic with its position) is
    /// the same with and without the fast path, on the fuzz seeds and
    /// thousands of near misses of them.
    #[test]
    fn fast_path_changes_nothing() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/csdl");
        let mut seeds: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("fuzz seeds {}: {e}", dir.display()))
            .map(|e| e.expect("directory entry").path())
            .collect();
        seeds.sort();
        assert!(!seeds.is_empty(), "no seeds in {}", dir.display());
        let mut rng = Rng(0x5eed_f00d);
        let mut differing_inputs = 0;
        for path in &seeds {
            let seed = std::fs::read_to_string(path).expect("seed file");
            for round in 0..400 {
                let text = if round == 0 {
                    seed.clone()
                } else {
                    mutate(&mut rng, &seed)
                };
                for strict in [false, true] {
                    let options = ParseOptions { strict };
                    let fast = parse_with("t.csdl", &text, &options, true);
                    let slow = parse_with("t.csdl", &text, &options, false);
                    if format!("{fast:?}") != format!("{slow:?}") {
                        differing_inputs += 1;
                        eprintln!("{}: differs on\n{text}", path.display());
                    }
                }
            }
        }
        assert_eq!(
            differing_inputs, 0,
            "inputs where the fast path changes the result"
        );
    }
}
