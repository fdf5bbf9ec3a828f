//! Byte offsets to line and column, by binary search in a table of line
//! starts built once per input, on the first look-up that needs it. The one
//! line index of the crate: the CSDL parser, patches and slice
//! configurations all locate through it.
//!
//! A reader that counts lines itself (the CSDL parser's fast path) can
//! [`mark`](LineIndex::mark) the line of the offset it will look up next:
//! that look-up then needs no table.

use std::cell::{Cell, OnceCell};

use crate::csdl::syntax::Pos;

pub struct LineIndex<'t> {
    text: &'t [u8],
    /// Byte offset of the start of every line; `starts[0] == 0`.
    starts: OnceCell<Vec<u32>>,
    /// Where line 1, column 1 of the input is reported.
    base: Pos,
    /// The line index found last: lookups come mostly in document order,
    /// so the next one is usually on that line or a few lines below.
    hint: Cell<usize>,
    /// Offsets whose line is known: the range, the index of their line and
    /// the offset of that line's start.
    marked: Cell<(std::ops::Range<usize>, usize, usize)>,
}

impl<'t> LineIndex<'t> {
    /// `text` must be shorter than 4 GiB (the parser checks).
    pub fn new(text: &'t str, base: Pos) -> Self {
        LineIndex {
            text: text.as_bytes(),
            starts: OnceCell::new(),
            base,
            hint: Cell::new(0),
            marked: Cell::new((0..0, 0, 0)),
        }
    }

    /// Records that the offsets of `range` are on the line of index `line`
    /// (0 for the first), which starts at `line_start`.
    pub fn mark(&self, range: std::ops::Range<usize>, line: usize, line_start: usize) {
        self.marked.set((range, line, line_start));
    }

    fn starts(&self) -> &[u32] {
        self.starts.get_or_init(|| {
            let mut starts = Vec::with_capacity(self.text.len() / 48 + 1);
            starts.push(0);
            starts.extend(memchr::memchr_iter(b'\n', self.text).map(|at| (at + 1) as u32));
            starts
        })
    }

    /// The index of the line holding `offset` and the offset of its start:
    /// the marked line, else a few steps forward from the hint, else a
    /// binary search.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let (marked, line, line_start) = self.marked.replace((0..0, 0, 0));
        let known = marked.contains(&offset);
        self.marked.set((marked, line, line_start));
        if known {
            return (line, line_start);
        }
        let starts = self.starts();
        let start_of = |index: usize| starts.get(index).copied().unwrap_or(0) as usize;
        let hint = self.hint.get();
        if starts.get(hint).is_some_and(|&s| s as usize <= offset) {
            for index in hint..(hint + 4).min(starts.len()) {
                match starts.get(index + 1) {
                    Some(&next) if next as usize <= offset => continue,
                    _ => {
                        self.hint.set(index);
                        return (index, start_of(index));
                    }
                }
            }
        }
        let index = starts
            .partition_point(|&start| start as usize <= offset)
            .saturating_sub(1);
        self.hint.set(index);
        (index, start_of(index))
    }

    /// The position of the byte at `offset` (which may be the end of input).
    pub fn pos(&self, offset: usize) -> Pos {
        let (index, start) = self.line_of(offset);
        let col = u32::try_from(offset.saturating_sub(start))
            .unwrap_or(u32::MAX - 1)
            .saturating_add(1);
        let line = u32::try_from(index).unwrap_or(u32::MAX);
        if line == 0 {
            Pos {
                line: self.base.line,
                col: col.saturating_add(self.base.col.saturating_sub(1)),
            }
        } else {
            Pos {
                line: self.base.line.saturating_add(line),
                col,
            }
        }
    }
}

/// The position of `offset` in `text` (clamped to its end), for callers
/// that locate one or two offsets and keep no index.
pub fn pos_of(text: &str, offset: usize) -> Pos {
    // The index holds u32 offsets: texts this large are refused by every
    // reader long before, but never index out of range here.
    let mut end = text.len().min(u32::MAX as usize - 1);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    LineIndex::new(text, Pos { line: 1, col: 1 }).pos(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(text: &str, offset: usize) -> Pos {
        let before = &text.as_bytes()[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        let start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        Pos {
            line,
            col: (offset - start) as u32 + 1,
        }
    }

    #[test]
    fn matches_naive_count() {
        let text = "ab\ncdefghijklmnop\n\n\nq\r\nrstuvwxyz0123456789\nend";
        let index = LineIndex::new(text, Pos { line: 1, col: 1 });
        for offset in 0..=text.len() {
            assert_eq!(index.pos(offset), naive(text, offset), "offset {offset}");
        }
    }

    #[test]
    fn matches_naive_count_at_every_alignment() {
        // Newlines at every offset modulo 8, runs of them, and bytes that
        // differ from a newline in one bit (0x0b, 0x8a) or borrow (0x09).
        let mut text = String::new();
        for i in 0..200 {
            for _ in 0..(i % 11) {
                text.push(['a', '\u{b}', '\t', '\u{8a}'][i % 4]);
            }
            text.push('\n');
            if i % 7 == 0 {
                text.push('\n');
            }
        }
        let index = LineIndex::new(&text, Pos { line: 1, col: 1 });
        for offset in 0..=text.len() {
            assert_eq!(index.pos(offset), naive(&text, offset), "offset {offset}");
        }
    }

    #[test]
    fn a_marked_offset_is_located_by_its_mark() {
        let text = "ab\ncd\nef";
        let index = LineIndex::new(text, Pos { line: 1, col: 1 });
        index.mark(7..9, 2, 6);
        assert_eq!(index.pos(7), Pos { line: 3, col: 2 });
        assert_eq!(index.pos(8), Pos { line: 3, col: 3 });
        // Other offsets still go through the table.
        for offset in 0..=text.len() {
            assert_eq!(index.pos(offset), naive(text, offset), "offset {offset}");
        }
    }

    #[test]
    fn pos_of_clamps_to_the_text_and_its_characters() {
        assert_eq!(pos_of("ab\ncd", 4), Pos { line: 2, col: 2 });
        assert_eq!(pos_of("ab\ncd", 99), Pos { line: 2, col: 3 });
        // Inside the two bytes of "é": the position of its first byte.
        assert_eq!(pos_of("\u{e9}x", 1), Pos { line: 1, col: 1 });
    }

    #[test]
    fn base_shifts_first_line_columns_only() {
        let text = "abc\ndef";
        let index = LineIndex::new(text, Pos { line: 10, col: 5 });
        assert_eq!(index.pos(1), Pos { line: 10, col: 6 });
        assert_eq!(index.pos(5), Pos { line: 11, col: 2 });
    }
}
